/* src/jinja/sb.h - strings built in the vm arena (jinja layer, render stage): the
 * builder every filter, str method and formatter writes its result with, and
 * markupsafe's HTML escaping on top of it.
 *
 * Ownership: the bytes live in the arena of the vm given to gl_sb_init and die with the
 * render; a gl_sb is never freed, so an error raised halfway (gl_vm_error longjmps)
 * leaks nothing. gl_sb_value hands the bytes out as a string without copying them: add
 * nothing to a builder after taking its value. A result longer than a gl_value can hold
 * (GL_SB_MAX) raises GL_ERR_LIMIT "string result is too long" at the span given to
 * gl_sb_init. */
#ifndef GL_SB_H
#define GL_SB_H
#include <stdint.h>
#include "jinja/value.h"

#define GL_SB_MAX ((size_t)UINT32_MAX - 16)    /* gl_value.len is 32 bits */

typedef struct gl_sb {
    gl_vm *vm;              /* whose arena holds the bytes */
    gl_span span;           /* where the "too long" error points */
    char *p;                /* arena bytes, NULL until the first add */
    size_t len, cap;        /* bytes used / allocated */
} gl_sb;

void gl_sb_init(gl_sb *b, gl_vm *vm, gl_span span);
/* Room for n more bytes: afterwards b->p + b->len may be written up to n bytes (then
 * add them to b->len). */
void gl_sb_reserve(gl_sb *b, size_t n);
void gl_sb_add(gl_sb *b, const char *s, size_t n);
void gl_sb_adds(gl_sb *b, const char *s);                 /* a C string */
void gl_sb_addc(gl_sb *b, char c);
void gl_sb_addv(gl_sb *b, gl_value s);                    /* a GL_STR's bytes */
void gl_sb_cp(gl_sb *b, int32_t cp);                      /* one code point as UTF-8 */
void gl_sb_repeat(gl_sb *b, const char *s, size_t n, int64_t times);   /* none if <= 0 */
void gl_sb_printf(gl_sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The bytes as a GL_STR with the given flags (GL_F_SAFE or 0). */
gl_value gl_sb_value(const gl_sb *b, uint8_t flags);

/* markupsafe: s with & < > " ' replaced by &amp; &lt; &gt; &#34; &#39; */
void gl_sb_add_html(gl_sb *b, const char *s, size_t n);
/* markupsafe.escape(v): a safe string as it is; anything else str()'d (Undefined is
 * '') and escaped, as a safe string. */
gl_value gl_sb_escape(gl_vm *vm, gl_value v, gl_span span);
#endif
