/* src/util/diag.h - source files and positioned diagnostics (util layer).
 * A gl_source owns one file's text (NUL-terminated) and, once needed, its line table.
 * Spans are byte offsets; line and column are computed only when a message is printed.
 * One printer emits `path:line:col: error: msg`, the source line, a caret and a hint. */
#ifndef GL_DIAG_H
#define GL_DIAG_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stddef.h>

typedef struct gl_span {
    uint32_t start, end;    /* byte offsets into the source text; end exclusive */
} gl_span;

typedef struct gl_source {
    char *path;             /* as given by the user, owned */
    char *text;             /* owned, NUL-terminated (a sentinel for the scanners) */
    size_t len;
    uint32_t *lines;        /* offset of each line start, built lazily, owned */
    size_t nlines;
    bool library;           /* gluec's own macro library: errors in it are reported at the user's call */
    const struct gl_source *outer; /* when set, text is a verbatim slice of outer starting
                                      at outer_offset (a hook in dbt_project.yml): positions
                                      are printed against outer, which must outlive this */
    uint32_t outer_offset;
} gl_source;

typedef enum { GL_SEV_ERROR, GL_SEV_WARNING, GL_SEV_NOTE } gl_severity;

typedef struct gl_diag {
    gl_severity severity;
    const gl_source *src;   /* NULL when the message has no position */
    gl_span span;
    char *message;          /* owned */
    char *hint;             /* owned, may be NULL */
} gl_diag;

/* Takes ownership of text (malloc'd, len bytes plus a NUL). */
gl_source *gl_source_new(const char *path, char *text, size_t len);
/* Reads a file ("-" is stdin); NULL and errno set on failure. */
gl_source *gl_source_read(const char *path);
void gl_source_free(gl_source *s);
/* 1-based line, and 1-based column counted in code points. */
void gl_source_position(gl_source *s, uint32_t offset, uint32_t *line, uint32_t *col);

void gl_diag_print(FILE *out, const gl_diag *d);
void gl_diag_clear(gl_diag *d);
#endif
