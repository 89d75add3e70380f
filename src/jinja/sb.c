/* src/jinja/sb.c - strings built in the vm arena (jinja layer, render stage): a byte
 * builder that grows in the arena and stops at GL_SB_MAX, and markupsafe's escape.
 * See sb.h for the ownership rule. */
#include "jinja/sb.h"
#include "jinja/vm.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

_Noreturn static void s_too_long(const gl_sb *b)
{
    gl_vm_error(b->vm, GL_ERR_LIMIT, b->span, "string result is too long");
}

void gl_sb_init(gl_sb *b, gl_vm *vm, gl_span span)
{
    b->vm = vm;
    b->span = span;
    b->p = NULL;
    b->len = b->cap = 0;
}

void gl_sb_reserve(gl_sb *b, size_t n)
{
    if (n <= b->cap - b->len)
        return;
    if (n > GL_SB_MAX - b->len)
        s_too_long(b);
    size_t cap = b->cap ? b->cap : 32;
    while (cap - b->len < n)
        cap *= 2;
    if (cap > GL_SB_MAX)
        cap = GL_SB_MAX;            /* len + n fits: checked above */
    if (b->p)
        b->p = gl_arena_grow(&b->vm->arena, b->p, b->len, cap);
    else
        b->p = gl_vm_alloc(b->vm, cap);
    b->cap = cap;
}

void gl_sb_add(gl_sb *b, const char *s, size_t n)
{
    if (n == 0)
        return;
    gl_sb_reserve(b, n);
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

void gl_sb_adds(gl_sb *b, const char *s) { gl_sb_add(b, s, strlen(s)); }

void gl_sb_addc(gl_sb *b, char c)
{
    gl_sb_reserve(b, 1);
    b->p[b->len++] = c;
}

void gl_sb_addv(gl_sb *b, gl_value s) { gl_sb_add(b, s.u.s, s.len); }

void gl_sb_cp(gl_sb *b, int32_t cp)
{
    utf8proc_uint8_t t[4];
    utf8proc_ssize_t n = utf8proc_encode_char(cp, t);
    gl_sb_add(b, (const char *)t, (size_t)n);
}

void gl_sb_repeat(gl_sb *b, const char *s, size_t n, int64_t times)
{
    if (times <= 0 || n == 0)
        return;
    if ((uint64_t)times > GL_SB_MAX / n)
        s_too_long(b);
    gl_sb_reserve(b, n * (size_t)times);
    for (int64_t i = 0; i < times; i++)
        gl_sb_add(b, s, n);
}

void gl_sb_printf(gl_sb *b, const char *fmt, ...)
{
    char tmp[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof tmp) {
        gl_sb_add(b, tmp, (size_t)n);
        return;
    }
    gl_sb_reserve(b, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

gl_value gl_sb_value(const gl_sb *b, uint8_t flags)
{
    gl_value v = gl_str(b->p ? b->p : "", b->len);
    v.flags = flags;
    return v;
}

void gl_sb_add_html(gl_sb *b, const char *s, size_t n)
{
    size_t run = 0;                 /* start of the bytes not copied yet */
    for (size_t i = 0; i < n; i++) {
        const char *rep;
        switch (s[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&#34;"; break;
        case '\'': rep = "&#39;"; break;
        default: continue;
        }
        gl_sb_add(b, s + run, i - run);
        gl_sb_adds(b, rep);
        run = i + 1;
    }
    gl_sb_add(b, s + run, n - run);
}

gl_value gl_sb_escape(gl_vm *vm, gl_value v, gl_span span)
{
    if (v.kind == GL_STR && (v.flags & GL_F_SAFE))
        return v;
    gl_value s = gl_to_str(vm, v);
    gl_sb b;
    gl_sb_init(&b, vm, span);
    gl_sb_add_html(&b, s.u.s, s.len);
    return gl_sb_value(&b, GL_F_SAFE);
}
