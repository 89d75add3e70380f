/* src/util/intern.c - interned names in an open-addressing table (util layer). */
#include "util/intern.h"
#include <stdlib.h>
#include <string.h>

uint32_t gl_hash_bytes(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 16777619u;
    }
    return h;
}

void gl_intern_init(gl_interner *t)
{
    gl_arena_init(&t->arena);
    t->cap = 256;
    t->count = 0;
    t->slots = gl_xcalloc(t->cap, sizeof *t->slots);
}

void gl_intern_free(gl_interner *t)
{
    gl_arena_free(&t->arena);
    free(t->slots);
    t->slots = NULL;
    t->cap = t->count = 0;
}

static size_t s_probe(gl_name **slots, size_t cap, const char *s, size_t len, uint32_t h)
{
    size_t i = h & (cap - 1);
    while (slots[i]) {
        const gl_name *n = slots[i];
        if (n->hash == h && n->len == len && memcmp(n->str, s, len) == 0) break;
        i = (i + 1) & (cap - 1);
    }
    return i;
}

static void s_rehash(gl_interner *t)
{
    size_t cap = t->cap * 2;
    gl_name **slots = gl_xcalloc(cap, sizeof *slots);
    for (size_t i = 0; i < t->cap; i++) {
        gl_name *n = t->slots[i];
        if (n) slots[s_probe(slots, cap, n->str, n->len, n->hash)] = n;
    }
    free(t->slots);
    t->slots = slots;
    t->cap = cap;
}

const gl_name *gl_intern_find(const gl_interner *t, const char *s, size_t len)
{
    uint32_t h = gl_hash_bytes(s, len);
    return t->slots[s_probe(t->slots, t->cap, s, len, h)];
}

const gl_name *gl_intern(gl_interner *t, const char *s, size_t len)
{
    uint32_t h = gl_hash_bytes(s, len);
    size_t i = s_probe(t->slots, t->cap, s, len, h);
    if (t->slots[i]) return t->slots[i];
    gl_name *n = gl_arena_alloc(&t->arena, sizeof *n + len + 1);
    n->len = (uint32_t)len;
    n->hash = h;
    memcpy(n->str, s, len);
    n->str[len] = '\0';
    t->slots[i] = n;
    if (++t->count * 2 > t->cap) s_rehash(t);
    return n;
}

const gl_name *gl_intern_cstr(gl_interner *t, const char *s) { return gl_intern(t, s, strlen(s)); }
