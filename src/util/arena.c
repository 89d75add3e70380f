/* src/util/arena.c - bump allocator with geometric block sizes (util layer). */
#include "util/arena.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct gl_arena_block {
    gl_arena_block *prev;
    size_t size;                 /* usable bytes in data */
    _Alignas(16) unsigned char data[];
};

enum { GL_ARENA_MIN_BLOCK = 1024 };   /* small: a project holds one arena per template */

static void s_oom(void)
{
    fputs("gluec: out of memory\n", stderr);
    abort();
}

void *gl_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) s_oom();
    return p;
}

void *gl_xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) s_oom();
    return p;
}

void *gl_xcalloc(size_t n, size_t m)
{
    void *p = calloc(n ? n : 1, m ? m : 1);
    if (!p) s_oom();
    return p;
}

void gl_arena_init(gl_arena *a)
{
    a->head = NULL;
    a->used = 0;
    a->total = 0;
}

void gl_arena_free(gl_arena *a)
{
    gl_arena_block *b = a->head;
    while (b) {
        gl_arena_block *prev = b->prev;
        free(b);
        b = prev;
    }
    gl_arena_init(a);
}

void *gl_arena_alloc(gl_arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (n == 0) n = 16;
    if (!a->head || a->head->size - a->used < n) {
        size_t size = a->head ? a->head->size * 2 : GL_ARENA_MIN_BLOCK;
        if (size > 8u * 1024 * 1024) size = 8u * 1024 * 1024;
        if (size < n) size = n;
        gl_arena_block *b = malloc(sizeof *b + size);
        if (!b) s_oom();
        b->prev = a->head;
        b->size = size;
        a->head = b;
        a->used = 0;
    }
    void *p = a->head->data + a->used;
    a->used += n;
    a->total += n;
    return p;
}

void *gl_arena_zalloc(gl_arena *a, size_t n)
{
    void *p = gl_arena_alloc(a, n);
    memset(p, 0, n);
    return p;
}

void *gl_arena_grow(gl_arena *a, void *p, size_t old_n, size_t new_n)
{
    size_t old_r = (old_n + 15) & ~(size_t)15, new_r = (new_n + 15) & ~(size_t)15;
    if (p && old_r && a->head && (unsigned char *)p + old_r == a->head->data + a->used &&
        new_r >= old_r && a->used - old_r + new_r <= a->head->size) {
        a->used += new_r - old_r;   /* the newest allocation grows in place */
        a->total += new_r - old_r;
        return p;
    }
    void *q = gl_arena_alloc(a, new_n);
    if (p && old_n) memcpy(q, p, old_n < new_n ? old_n : new_n);
    return q;
}

char *gl_arena_strndup(gl_arena *a, const char *s, size_t n)
{
    char *p = gl_arena_alloc(a, n + 1);
    if (n) memcpy(p, s, n);
    p[n] = '\0';
    return p;
}
