/* src/util/diag.c - source files, line tables and the diagnostic printer (util layer). */
#include "util/diag.h"
#include "util/arena.h"
#include "util/buf.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

gl_source *gl_source_new(const char *path, char *text, size_t len)
{
    gl_source *s = gl_xcalloc(1, sizeof *s);
    size_t n = strlen(path);
    s->path = gl_xmalloc(n + 1);
    memcpy(s->path, path, n + 1);
    s->text = text;
    s->len = len;
    return s;
}

gl_source *gl_source_read(const char *path)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) return NULL;
    gl_buf b;
    gl_buf_init(&b);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) gl_buf_add(&b, chunk, n);
    int err = ferror(f);
    if (f != stdin) fclose(f);
    if (err) {
        gl_buf_free(&b);
        errno = EIO;
        return NULL;
    }
    if (!b.data) gl_buf_add(&b, "", 0);
    return gl_source_new(strcmp(path, "-") == 0 ? "<stdin>" : path, b.data, b.len);
}

void gl_source_free(gl_source *s)
{
    if (!s) return;
    free(s->path);
    free(s->text);
    free(s->lines);
    free(s);
}

static void s_build_lines(gl_source *s)
{
    size_t cap = 64, n = 0;
    uint32_t *lines = gl_xmalloc(cap * sizeof *lines);
    lines[n++] = 0;
    for (size_t i = 0; i < s->len; i++) {
        if (s->text[i] != '\n') continue;
        if (n == cap) lines = gl_xrealloc(lines, (cap *= 2) * sizeof *lines);
        lines[n++] = (uint32_t)(i + 1);
    }
    s->lines = lines;
    s->nlines = n;
}

static size_t s_line_index(gl_source *s, uint32_t offset)
{
    if (!s->lines) s_build_lines(s);
    size_t lo = 0, hi = s->nlines;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (s->lines[mid] <= offset) lo = mid; else hi = mid;
    }
    return lo;
}

static uint32_t s_codepoints(const char *p, size_t n)
{
    uint32_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)p[i] & 0xC0) != 0x80) c++;
    return c;
}

void gl_source_position(gl_source *s, uint32_t offset, uint32_t *line, uint32_t *col)
{
    if (offset > s->len) offset = (uint32_t)s->len;
    size_t li = s_line_index(s, offset);
    *line = (uint32_t)li + 1;
    *col = s_codepoints(s->text + s->lines[li], offset - s->lines[li]) + 1;
}

static const char *s_severity_name(gl_severity sev)
{
    switch (sev) {
    case GL_SEV_ERROR: return "error";
    case GL_SEV_WARNING: return "warning";
    case GL_SEV_NOTE: return "note";
    }
    return "error";
}

void gl_diag_print(FILE *out, const gl_diag *d)
{
    const char *sev = s_severity_name(d->severity);
    if (!d->src) {
        fprintf(out, "gluec: %s: %s\n", sev, d->message);
        if (d->hint) fprintf(out, "  hint: %s\n", d->hint);
        return;
    }
    gl_source *s = (gl_source *)d->src;
    gl_span span = d->span;
    for (; s->outer; s = (gl_source *)s->outer) {
        span.start += s->outer_offset;
        span.end += s->outer_offset;
    }
    uint32_t line, col;
    gl_source_position(s, span.start, &line, &col);
    fprintf(out, "%s:%u:%u: %s: %s\n", s->path, line, col, sev, d->message);
    size_t li = line - 1;
    uint32_t ls = s->lines[li];
    uint32_t le = li + 1 < s->nlines ? s->lines[li + 1] - 1 : (uint32_t)s->len;
    int width = fprintf(out, "%5u | ", line) - 2;
    fwrite(s->text + ls, 1, le - ls, out);
    fputc('\n', out);
    fprintf(out, "%*s| %*s^", width, "", (int)(col - 1), "");
    uint32_t end = span.end < le ? span.end : le;
    uint32_t tildes = end > span.start ? s_codepoints(s->text + span.start, end - span.start) : 0;
    for (uint32_t i = 1; i < tildes; i++) fputc('~', out);
    fputc('\n', out);
    if (d->hint) fprintf(out, "%*s= hint: %s\n", width, "", d->hint);
}

void gl_diag_clear(gl_diag *d)
{
    free(d->message);
    free(d->hint);
    memset(d, 0, sizeof *d);
}
