/* src/util/buf.c - growable byte buffer (util layer). */
#include "util/buf.h"
#include "util/arena.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gl_buf_init(gl_buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void gl_buf_free(gl_buf *b)
{
    free(b->data);
    gl_buf_init(b);
}

void gl_buf_reserve(gl_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap) return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1) cap *= 2;
    b->data = gl_xrealloc(b->data, cap);
    b->cap = cap;
}

void gl_buf_add(gl_buf *b, const char *s, size_t n)
{
    gl_buf_reserve(b, n);
    if (n) memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void gl_buf_adds(gl_buf *b, const char *s) { gl_buf_add(b, s, strlen(s)); }

void gl_buf_addc(gl_buf *b, char c) { gl_buf_add(b, &c, 1); }

void gl_buf_vprintf(gl_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n <= 0) return;
    gl_buf_reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void gl_buf_printf(gl_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gl_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void gl_buf_truncate(gl_buf *b, size_t len)
{
    if (len < b->len) {
        b->len = len;
        b->data[len] = '\0';
    }
}

char *gl_vstrf(const char *fmt, va_list ap)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_buf_vprintf(&b, fmt, ap);
    if (!b.data) gl_buf_add(&b, "", 0);
    return b.data;
}
