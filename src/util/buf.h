/* src/util/buf.h - growable byte buffer (util layer): render output, messages, files.
 * Ownership: a gl_buf owns its malloc'd bytes; gl_buf_free releases them. */
#ifndef GL_BUF_H
#define GL_BUF_H
#include <stdarg.h>
#include <stddef.h>

typedef struct gl_buf {
    char *data;     /* always NUL-terminated when cap > 0 */
    size_t len;
    size_t cap;
} gl_buf;

void gl_buf_init(gl_buf *b);
void gl_buf_free(gl_buf *b);
void gl_buf_reserve(gl_buf *b, size_t extra);
void gl_buf_add(gl_buf *b, const char *s, size_t n);
void gl_buf_adds(gl_buf *b, const char *s);
void gl_buf_addc(gl_buf *b, char c);
void gl_buf_printf(gl_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void gl_buf_vprintf(gl_buf *b, const char *fmt, va_list ap);
void gl_buf_truncate(gl_buf *b, size_t len);
/* A malloc'd, NUL-terminated string formatted from fmt (never NULL). */
char *gl_vstrf(const char *fmt, va_list ap);
#endif
