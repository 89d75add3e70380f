/* src/util/intern.h - interned names (util layer): identifiers of templates, variables,
 * filters and macros are interned once so they compare by pointer.
 * Ownership: the table owns every name; names live until gl_intern_free. */
#ifndef GL_INTERN_H
#define GL_INTERN_H
#include <stddef.h>
#include <stdint.h>
#include "util/arena.h"

typedef struct gl_name {
    uint32_t len;       /* bytes, without the NUL */
    uint32_t hash;      /* FNV-1a of the bytes */
    char str[];         /* NUL-terminated */
} gl_name;

typedef struct gl_interner {
    gl_arena arena;     /* holds the names */
    gl_name **slots;    /* open addressing, power of two */
    size_t cap, count;
} gl_interner;

void gl_intern_init(gl_interner *t);
void gl_intern_free(gl_interner *t);
const gl_name *gl_intern(gl_interner *t, const char *s, size_t len);
const gl_name *gl_intern_cstr(gl_interner *t, const char *s);
/* Looks a name up without adding it; NULL when it was never interned. */
const gl_name *gl_intern_find(const gl_interner *t, const char *s, size_t len);
uint32_t gl_hash_bytes(const void *p, size_t n);
#endif
