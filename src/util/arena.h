/* src/util/arena.h - bump allocator; every allocation of a parse or a render lives in
 * one arena and dies with it (util layer, used by every stage).
 * Ownership: gl_arena_free releases every block at once; nothing is freed singly.
 * Out of memory aborts the process with a message (as jq does). */
#ifndef GL_ARENA_H
#define GL_ARENA_H
#include <stddef.h>

typedef struct gl_arena_block gl_arena_block;
typedef struct gl_arena {
    gl_arena_block *head;   /* newest block, the one allocations come from */
    size_t used;            /* bytes used in head */
    size_t total;           /* bytes requested over the arena's life (statistics) */
} gl_arena;

void  gl_arena_init(gl_arena *a);
void  gl_arena_free(gl_arena *a);
void *gl_arena_alloc(gl_arena *a, size_t n);            /* 16-byte aligned, not zeroed */
void *gl_arena_zalloc(gl_arena *a, size_t n);           /* zeroed */
void *gl_arena_grow(gl_arena *a, void *p, size_t old_n, size_t new_n); /* copy into new space */
char *gl_arena_strndup(gl_arena *a, const char *s, size_t n); /* NUL-terminated copy */

void *gl_xmalloc(size_t n);
void *gl_xrealloc(void *p, size_t n);
void *gl_xcalloc(size_t n, size_t m);
#endif
