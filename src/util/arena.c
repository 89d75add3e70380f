/* src/util/arena.c - bump allocator with geometric block sizes (util layer); blocks of a
 * MiB and more are mapped with their pages populated. */
#include "util/arena.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

struct gl_arena_block {
    gl_arena_block *prev;
    size_t size;                 /* usable bytes in data */
    size_t mapped;               /* bytes mmap'd (0: malloc'd) */
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

/* Big blocks are mapped with their pages populated in one call: one kernel entry per
 * block instead of a page fault per 4 KiB touched (a third of a large compile's system
 * time). Under AddressSanitizer every block is malloc'd, so that it is checked. */
#if defined(__SANITIZE_ADDRESS__)
#define GL_ARENA_MAP 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GL_ARENA_MAP 0
#endif
#endif
#ifndef GL_ARENA_MAP
#define GL_ARENA_MAP 1
#endif
enum { GL_ARENA_MAP_MIN = 1024 * 1024 };

static gl_arena_block *s_block_new(size_t n)
{
    gl_arena_block *b;
    if (GL_ARENA_MAP && n >= GL_ARENA_MAP_MIN) {
        void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
        if (p == MAP_FAILED) s_oom();
        b = p;
        b->mapped = n;
        return b;
    }
    b = malloc(n);
    if (!b) s_oom();
    b->mapped = 0;
    return b;
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
        if (b->mapped) munmap(b, b->mapped);
        else free(b);
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
        gl_arena_block *b = s_block_new(sizeof *b + size);
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
