/* src/jinja/format.c - Python string formatting for templates (jinja layer, called by
 * the evaluator for `str % args`, by the format filter and by str.format): printf-style
 * `%` formatting and str.format with the format-spec mini-language, with CPython 3.11's
 * results and error messages. str.format follows Jinja2's SandboxedFormatter (Python's
 * string.Formatter with sandboxed attribute and item lookup), which is what dbt's
 * sandboxed environment runs. A safe (Markup) format string escapes what it inserts, as
 * markupsafe's Markup.__mod__ and EscapeFormatter do, and gives a safe result.
 *
 * Memory: results and scratch space come from the vm arena, so an error raised halfway
 * leaks nothing. */
#include "jinja/sb.h"
#include "jinja/value.h"
#include "jinja/vm.h"
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* ---------------------------------------------------------------- building */

/* n copies of the code point cp (fill characters). */
static void s_fill(gl_sb *b, int32_t cp, int64_t n)
{
    utf8proc_uint8_t t[4];
    utf8proc_ssize_t k = utf8proc_encode_char(cp, t);
    gl_sb_repeat(b, (const char *)t, (size_t)k, n);
}

/* The one-character string chr(cp). */
static gl_value s_chr(gl_vm *vm, int32_t cp, gl_span span)
{
    gl_sb b;
    gl_sb_init(&b, vm, span);
    gl_sb_cp(&b, cp);
    return gl_sb_value(&b, 0);
}

/* ---------------------------------------------------------------- str(), repr(), ascii() */

typedef enum s_conv { S_STR, S_REPR, S_ASCII } s_conv;

/* Escape the non-ASCII code points of a repr, as Python's ascii() does. */
static gl_value s_ascii_of(gl_vm *vm, const char *s, size_t len, gl_span span)
{
    gl_sb b;
    gl_sb_init(&b, vm, span);
    for (size_t i = 0; i < len;) {
        int32_t cp;
        int n = gl_utf8_decode(s + i, len - i, &cp);
        if (cp < 0x80) gl_sb_addc(&b, (char)cp);
        else if (cp <= 0xff) gl_sb_printf(&b, "\\x%02x", (unsigned)cp);
        else if (cp <= 0xffff) gl_sb_printf(&b, "\\u%04x", (unsigned)cp);
        else gl_sb_printf(&b, "\\U%08x", (unsigned)cp);
        i += (size_t)n;
    }
    return gl_sb_value(&b, 0);
}

static gl_value s_convert(gl_vm *vm, gl_value v, s_conv how, gl_span span)
{
    if (how == S_STR) return gl_to_str(vm, v);
    gl_buf b;
    gl_buf_init(&b);
    gl_repr(vm, v, &b);
    gl_value r = how == S_ASCII ? s_ascii_of(vm, b.data ? b.data : "", b.len, span)
                                : gl_str_copy(vm, b.data ? b.data : "", b.len);
    gl_buf_free(&b);
    return r;
}

static size_t s_count(gl_value s) { return gl_utf8_count(s.u.s, s.len); }

/* The first n code points of s. */
static gl_value s_truncate(gl_value s, int64_t n)
{
    return gl_str(s.u.s, gl_utf8_offset(s.u.s, s.len, (size_t)n));
}

/* ---------------------------------------------------------------- numbers as text */

/* Digits of |v| in base, without sign or prefix, into buf (70 bytes). */
static size_t s_int_digits(int64_t v, int base, bool upper, char *buf)
{
    const char *dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    char tmp[70];
    size_t n = 0;
    do {
        tmp[n++] = dig[m % (uint64_t)base];
        m /= (uint64_t)base;
    } while (m);
    for (size_t i = 0; i < n; i++) buf[i] = tmp[n - 1 - i];
    return n;
}

static int s_snprintf_double(char *dst, size_t room, char conv, bool alt, int prec, double v)
{
    if (conv == 'e') return alt ? snprintf(dst, room, "%#.*e", prec, v) : snprintf(dst, room, "%.*e", prec, v);
    return alt ? snprintf(dst, room, "%#.*f", prec, v) : snprintf(dst, room, "%.*f", prec, v);
}

/* printf of one double with %.*e or %.*f (alt: '#'), into the arena, with room for
 * two more characters (".0"). */
static char *s_printf_double(gl_vm *vm, char conv, bool alt, int prec, double v)
{
    int n = s_snprintf_double(NULL, 0, conv, alt, prec, v);
    char *p = gl_vm_alloc(vm, (size_t)n + 4);
    s_snprintf_double(p, (size_t)n + 1, conv, alt, prec, v);
    return p;
}

/* Drops trailing zeros of the fraction, and then a bare point ('g' without '#'). */
static void s_strip_zeros(char *s)
{
    char *e = strchr(s, 'e');
    char tail[16] = "";
    if (e) {
        snprintf(tail, sizeof tail, "%s", e);
        *e = '\0';
    }
    if (strchr(s, '.')) {
        size_t n = strlen(s);
        while (n > 0 && s[n - 1] == '0') s[--n] = '\0';
        if (n > 0 && s[n - 1] == '.') s[--n] = '\0';
    }
    strcat(s, tail);
}

/* Python's 'g' formatting; add_dot_0 is the no-type-with-precision rule of format():
 * fixed notation keeps a ".0" and switches to exponent one digit earlier. */
static char *s_format_g(gl_vm *vm, double v, int prec, bool alt, bool add_dot_0)
{
    if (prec == 0) prec = 1;
    char *e = s_printf_double(vm, 'e', false, prec - 1, v);
    int decpt = atoi(strchr(e, 'e') + 1) + 1;
    char *s;
    if (decpt <= -4 || decpt > (add_dot_0 ? prec - 1 : prec))
        s = s_printf_double(vm, 'e', alt, prec - 1, v);
    else
        s = s_printf_double(vm, 'f', alt, prec - decpt, v);
    if (!alt) s_strip_zeros(s);
    if (add_dot_0 && !strchr(s, '.') && !strchr(s, 'e')) strcat(s, ".0");
    return s;
}

/* PyOS_double_to_string: type is e E f F g G, or 'R' for format() with no type: repr
 * when prec < 0, else 'g' with the ".0" rule. Never "-nan". */
static char *s_float_text(gl_vm *vm, double v, char type, int prec, bool alt)
{
    bool upper = type == 'E' || type == 'F' || type == 'G';
    if (isnan(v) || isinf(v)) {
        const char *t = isnan(v) ? (upper ? "NAN" : "nan") : v < 0 ? (upper ? "-INF" : "-inf") : (upper ? "INF" : "inf");
        return gl_arena_strndup(&vm->arena, t, strlen(t));
    }
    char *s;
    switch (type) {
    case 'e': case 'E': s = s_printf_double(vm, 'e', alt, prec, v); break;
    case 'f': case 'F': s = s_printf_double(vm, 'f', alt, prec, v); break;
    case 'g': case 'G': s = s_format_g(vm, v, prec, alt, false); break;
    default:
        if (prec >= 0) {
            s = s_format_g(vm, v, prec, alt, true);
        } else {
            gl_buf b;
            gl_buf_init(&b);
            gl_format_float(v, &b);
            char *e = alt && !memchr(b.data, '.', b.len) ? strchr(b.data, 'e') : NULL;
            s = gl_vm_alloc(vm, b.len + 2);     /* '#': a point even in 1e+16 */
            if (e) snprintf(s, b.len + 2, "%.*s.%s", (int)(e - b.data), b.data, e);
            else memcpy(s, b.data, b.len + 1);
            gl_buf_free(&b);
        }
        break;
    }
    if (upper)
        for (char *p = s; *p; p++)
            if (*p == 'e') *p = 'E';
    return s;
}

/* ---------------------------------------------------------------- % formatting */

enum { F_LJUST = 1, F_SIGN = 2, F_BLANK = 4, F_ALT = 8, F_ZERO = 16 };

typedef struct s_pct {
    gl_vm *vm;
    gl_span span;
    const char *fmt;
    size_t len, pos;            /* bytes */
    gl_value args;              /* the tuple, or the single value */
    int64_t arglen, argidx;     /* CPython's scheme: arglen -1 for a single value */
    gl_value dict;              /* the mapping for %(name)s, or GL_MISSING */
    bool markup;                /* a Markup format: values go through _MarkupEscapeHelper */
    gl_sb out;
} s_pct;

typedef struct s_pct_arg {
    unsigned flags;
    int64_t width, prec;        /* -1: not given */
    int32_t ch;                 /* the conversion character */
    size_t ch_index;            /* its code-point index, for messages */
} s_pct_arg;

static gl_value s_pct_next(s_pct *c)
{
    if (c->argidx < c->arglen) {
        int64_t i = c->argidx++;
        return c->arglen < 0 ? c->args : c->args.u.list->items[i];
    }
    gl_vm_error(c->vm, GL_ERR_TYPE, c->span, "not enough arguments for format string");
}

/* dict[key] for %(key)s: Python's mapping protocol on the right operand. */
static gl_value s_pct_lookup(s_pct *c, gl_value key)
{
    gl_value v;
    switch (c->dict.kind) {
    case GL_DICT:
        if (gl_dict_get(c->dict.u.dict, key, &v)) return v;
        gl_vm_error(c->vm, GL_ERR_KEY, c->span, "'%.*s'", (int)key.len, key.u.s);
    case GL_UNDEFINED:
        gl_vm_undefined_error(c->vm, c->dict, c->span);
    default:
        gl_vm_error(c->vm, GL_ERR_TYPE, c->span, "%s indices must be integers or slices, not str",
                    gl_type_name(c->dict));
    }
}

static void s_pct_key(s_pct *c)
{
    if (c->dict.kind == GL_MISSING) gl_vm_error(c->vm, GL_ERR_TYPE, c->span, "format requires a mapping");
    size_t start = ++c->pos;
    int depth = 1;
    while (depth > 0 && c->pos < c->len) {
        if (c->fmt[c->pos] == '(') depth++;
        else if (c->fmt[c->pos] == ')') depth--;
        c->pos++;
    }
    if (depth > 0) gl_vm_error(c->vm, GL_ERR_VALUE, c->span, "incomplete format key");
    c->args = s_pct_lookup(c, gl_str(c->fmt + start, c->pos - 1 - start));
    c->arglen = -1;
    c->argidx = -2;
}

static int64_t s_pct_star(s_pct *c)
{
    gl_value v = s_pct_next(c);
    if (v.kind == GL_INT && !c->markup) return v.u.i;
    if (v.kind == GL_BOOL && !c->markup) return v.u.b;
    gl_vm_error(c->vm, GL_ERR_TYPE, c->span, "* wants int");
}

static int64_t s_pct_digits(s_pct *c, const char *what)
{
    int64_t n = 0;
    while (c->pos < c->len && c->fmt[c->pos] >= '0' && c->fmt[c->pos] <= '9') {
        if (n > (INT32_MAX - 9) / 10) gl_vm_error(c->vm, GL_ERR_VALUE, c->span, "%s too big", what);
        n = n * 10 + (c->fmt[c->pos++] - '0');
    }
    return n;
}

static unsigned s_pct_flags(s_pct *c)
{
    unsigned f = 0;
    for (; c->pos < c->len; c->pos++) {
        switch (c->fmt[c->pos]) {
        case '-': f |= F_LJUST; continue;
        case '+': f |= F_SIGN; continue;
        case ' ': f |= F_BLANK; continue;
        case '#': f |= F_ALT; continue;
        case '0': f |= F_ZERO; continue;
        default: break;
        }
        break;
    }
    return f;
}

/* Parses what follows '%' (not "%%"): key, flags, width, precision, conversion. */
static s_pct_arg s_pct_parse(s_pct *c)
{
    s_pct_arg arg = {0, -1, -1, 0, 0};
    if (c->pos < c->len && c->fmt[c->pos] == '(') s_pct_key(c);
    arg.flags = s_pct_flags(c);
    if (c->pos < c->len && c->fmt[c->pos] == '*') {
        c->pos++;
        arg.width = s_pct_star(c);
        if (arg.width < 0) {
            arg.flags |= F_LJUST;
            arg.width = -arg.width;
        }
    } else if (c->pos < c->len && c->fmt[c->pos] >= '0' && c->fmt[c->pos] <= '9') {
        arg.width = s_pct_digits(c, "width");
    }
    if (c->pos < c->len && c->fmt[c->pos] == '.') {
        c->pos++;
        if (c->pos < c->len && c->fmt[c->pos] == '*') {
            c->pos++;
            arg.prec = s_pct_star(c);
            if (arg.prec < 0) arg.prec = 0;
        } else {
            arg.prec = s_pct_digits(c, "precision");
        }
    }
    if (c->pos >= c->len) gl_vm_error(c->vm, GL_ERR_VALUE, c->span, "incomplete format");
    arg.ch_index = gl_utf8_count(c->fmt, c->pos);
    c->pos += (size_t)gl_utf8_decode(c->fmt + c->pos, c->len - c->pos, &arg.ch);
    return arg;
}

/* %d %i %u %o %x %X: the text, sign first, then "0x"/"0o" when '#', then digits. */
static gl_value s_pct_int(s_pct *c, const s_pct_arg *arg, gl_value v)
{
    bool integer_only = arg->ch == 'o' || arg->ch == 'x' || arg->ch == 'X';
    if (integer_only && c->markup)
        gl_vm_error(c->vm, GL_ERR_TYPE, c->span, "%%%c format: an integer is required, not _MarkupEscapeHelper",
                    (char)arg->ch);
    if (!gl_is_number(v) || (integer_only && v.kind == GL_FLOAT))
        gl_vm_error(c->vm, GL_ERR_TYPE, c->span, "%%%c format: %s is required, not %s", (char)arg->ch,
                    integer_only ? "an integer" : "a real number", gl_type_name(v));
    char digits[400];
    size_t nd;
    bool neg;
    if (v.kind == GL_FLOAT) {
        double t = trunc(v.u.f);
        if (isnan(t)) gl_vm_error(c->vm, GL_ERR_VALUE, c->span, "cannot convert float NaN to integer");
        if (isinf(t)) gl_vm_error(c->vm, GL_ERR_OVERFLOW, c->span, "cannot convert float infinity to integer");
        neg = t < 0;
        nd = (size_t)snprintf(digits, sizeof digits, "%.0f", fabs(t));
    } else {
        int64_t i = v.kind == GL_BOOL ? v.u.b : v.u.i;
        int base = arg->ch == 'o' ? 8 : integer_only ? 16 : 10;
        neg = i < 0;
        nd = s_int_digits(i, base, arg->ch == 'X', digits);
    }
    gl_sb b;
    gl_sb_init(&b, c->vm, c->span);
    if (neg) gl_sb_addc(&b, '-');
    if (arg->flags & F_ALT && integer_only) gl_sb_add(&b, arg->ch == 'o' ? "0o" : arg->ch == 'x' ? "0x" : "0X", 2);
    for (int64_t z = (int64_t)nd; z < arg->prec; z++) gl_sb_addc(&b, '0');
    gl_sb_add(&b, digits, nd);
    return gl_sb_value(&b, 0);
}

static gl_value s_pct_float(s_pct *c, const s_pct_arg *arg, gl_value v)
{
    if (!gl_is_number(v))
        gl_vm_error(c->vm, GL_ERR_TYPE, c->span, "must be real number, not %s", gl_type_name(v));
    int prec = arg->prec < 0 ? 6 : (int)arg->prec;
    return gl_cstr(s_float_text(c->vm, gl_as_double(v), (char)arg->ch, prec, arg->flags & F_ALT));
}

static gl_value s_pct_char(s_pct *c, gl_value v)
{
    if (v.kind == GL_STR && s_count(v) == 1 && !c->markup) return v;
    if ((v.kind != GL_INT && v.kind != GL_BOOL) || c->markup)
        gl_vm_error(c->vm, GL_ERR_TYPE, c->span, "%%c requires int or char");
    int64_t i = v.kind == GL_BOOL ? v.u.b : v.u.i;
    if (i < 0 || i > 0x10ffff) gl_vm_error(c->vm, GL_ERR_OVERFLOW, c->span, "%%c arg not in range(0x110000)");
    return s_chr(c->vm, (int32_t)i, c->span);
}

/* The formatted text of one conversion; *numeric says it takes a sign and '0' padding. */
static gl_value s_pct_convert(s_pct *c, const s_pct_arg *arg, bool *numeric)
{
    gl_value v = s_pct_next(c), s;
    *numeric = false;
    switch (arg->ch) {
    case 's': case 'r': case 'a':
        s = s_convert(c->vm, v, arg->ch == 's' ? S_STR : arg->ch == 'r' ? S_REPR : S_ASCII, c->span);
        if (c->markup) s = gl_sb_escape(c->vm, arg->ch == 's' ? s : gl_str(s.u.s, s.len), c->span);
        if (arg->prec >= 0 && (int64_t)s_count(s) > arg->prec) s = s_truncate(s, arg->prec);
        return s;
    case 'd': case 'i': case 'u': case 'o': case 'x': case 'X':
        *numeric = true;
        return s_pct_int(c, arg, v);
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G':
        *numeric = true;
        return s_pct_float(c, arg, v);
    case 'c':
        return s_pct_char(c, v);
    default:
        gl_vm_error(c->vm, GL_ERR_VALUE, c->span, "unsupported format character '%c' (0x%x) at index %zu",
                    arg->ch >= 32 && arg->ch <= 126 ? (char)arg->ch : '?', (unsigned)arg->ch, arg->ch_index);
    }
}

/* Width, sign and zero padding around one converted value (unicode_format_arg_output). */
static void s_pct_output(s_pct *c, const s_pct_arg *arg, gl_value s, bool numeric)
{
    const char *p = s.u.s;
    size_t nb = s.len;
    int64_t len = (int64_t)s_count(s), width = arg->width;
    char fill = numeric && (arg->flags & F_ZERO) ? '0' : ' ', sign = 0;
    if (numeric) {
        if (nb && (p[0] == '-' || p[0] == '+')) {
            sign = p[0];
            p++, nb--, len--;
        } else if (arg->flags & F_SIGN) sign = '+';
        else if (arg->flags & F_BLANK) sign = ' ';
    }
    if (width < len) width = len;
    if (sign) {
        if (fill != ' ') gl_sb_addc(&c->out, sign);
        if (width > len) width--;
    }
    bool prefix = (arg->flags & F_ALT) && (arg->ch == 'x' || arg->ch == 'X' || arg->ch == 'o');
    if (prefix) {
        if (fill != ' ') gl_sb_add(&c->out, p, 2);
        width = width - 2 < 0 ? 0 : width - 2;
        len -= 2;
    }
    if (width > len && !(arg->flags & F_LJUST)) {
        s_fill(&c->out, fill, width - len);
        width = len;
    }
    if (fill == ' ') {
        if (sign) gl_sb_addc(&c->out, sign);
        if (prefix) gl_sb_add(&c->out, p, 2);
    }
    if (prefix) p += 2, nb -= 2;
    gl_sb_add(&c->out, p, nb);
    if (width > len) s_fill(&c->out, ' ', width - len);
}

gl_value gl_format_percent(gl_vm *vm, gl_value fmt, gl_value args, gl_span span)
{
    s_pct c = {vm, span, fmt.u.s, fmt.len, 0, args, -1, -2, gl_missing(), false, {0}};
    c.markup = fmt.flags & GL_F_SAFE;
    if (c.markup && args.kind != GL_TUPLE && args.kind != GL_DICT && args.kind != GL_LIST) {
        args = gl_list_from(vm, &args, 1, GL_TUPLE);    /* Markup wraps a single value */
        c.args = args;
    }
    if (args.kind == GL_TUPLE) {
        c.arglen = args.u.list->len;
        c.argidx = 0;
    } else if (args.kind == GL_DICT || args.kind == GL_LIST || args.kind == GL_UNDEFINED) {
        c.dict = args;              /* Python: any mapping that is not a tuple or str */
    }
    gl_sb_init(&c.out, vm, span);
    while (c.pos < c.len) {
        const char *pct = memchr(c.fmt + c.pos, '%', c.len - c.pos);
        size_t stop = pct ? (size_t)(pct - c.fmt) : c.len;
        gl_sb_add(&c.out, c.fmt + c.pos, stop - c.pos);
        c.pos = stop;
        if (!pct) break;
        c.pos++;
        if (c.pos < c.len && c.fmt[c.pos] == '%') {
            gl_sb_addc(&c.out, '%');
            c.pos++;
            continue;
        }
        s_pct_arg arg = s_pct_parse(&c);
        bool numeric;
        gl_value s = s_pct_convert(&c, &arg, &numeric);
        s_pct_output(&c, &arg, s, numeric);
    }
    if (c.argidx < c.arglen && c.dict.kind == GL_MISSING)
        gl_vm_error(vm, GL_ERR_TYPE, span, "not all arguments converted during string formatting");
    gl_value r = gl_sb_value(&c.out, 0);
    if (c.markup) r.flags |= GL_F_SAFE;
    return r;
}

/* ---------------------------------------------------------------- format specs */

/* A parsed [[fill]align][sign][z][#][0][width][,|_][.precision][type]. */
typedef struct s_spec {
    int32_t fill, align;
    char sign;                  /* 0, '+', '-' or ' ' */
    bool no_neg_0, alt;
    int64_t width, prec;        /* -1: not given */
    char thousands;             /* 0, ',' or '_' */
    int group;                  /* digits per group: 3, or 4 for '_' with b/o/x/X */
    int32_t type;               /* 0: none */
} s_spec;

typedef struct s_fctx {
    gl_vm *vm;
    gl_span span;
    const gl_args *a;
    int64_t auto_idx;           /* next automatic field number */
    bool manual;                /* a numbered field was seen (auto numbering is off) */
    bool markup;                /* a Markup format string: fields are escaped */
} s_fctx;

_Noreturn static void s_fvalue(s_fctx *f, const char *msg)
{
    gl_vm_error(f->vm, GL_ERR_VALUE, f->span, "%s", msg);
}

static bool s_is_align(int32_t c) { return c == '<' || c == '>' || c == '=' || c == '^'; }

static int64_t s_spec_int(s_fctx *f, const int32_t *cp, size_t n, size_t *i, bool *any)
{
    int64_t v = 0;
    *any = false;
    for (; *i < n && cp[*i] >= '0' && cp[*i] <= '9'; (*i)++) {
        if (v > (INT64_MAX - 9) / 10)
            gl_vm_error(f->vm, GL_ERR_VALUE, f->span, "Too many decimal digits in format string");
        v = v * 10 + (cp[*i] - '0');
        *any = true;
    }
    return v;
}

static void s_spec_thousands(s_fctx *f, s_spec *sp)
{
    if (!sp->thousands) return;
    switch (sp->type) {
    case 'd': case 'e': case 'f': case 'g': case 'E': case 'G': case '%': case 'F': case 0:
        return;
    case 'b': case 'o': case 'x': case 'X':
        if (sp->thousands == '_') {
            sp->group = 4;
            return;
        }
        /* fallthrough */
    default:
        if (sp->type > 32 && sp->type < 128)
            gl_vm_error(f->vm, GL_ERR_VALUE, f->span, "Cannot specify ',' with '%c'.", (char)sp->type);
        gl_vm_error(f->vm, GL_ERR_VALUE, f->span, "Cannot specify ',' with '\\x%x'.", (unsigned)sp->type);
    }
}

/* default_type and default_align are the value's: 's' and '<' for str, 'd' and '>'
 * for int, 0 and '>' for float. */
static void s_spec_parse(s_fctx *f, gl_value spec, gl_value obj, int32_t default_type, int32_t default_align,
                         s_spec *sp)
{
    size_t n, i = 0;
    int32_t *cp = gl_vm_alloc(f->vm, (spec.len + 1) * sizeof *cp);
    for (n = 0; i < spec.len; n++) i += (size_t)gl_utf8_decode(spec.u.s + i, spec.len - i, &cp[n]);
    *sp = (s_spec){' ', default_align, 0, false, false, -1, -1, 0, 3, default_type};
    bool fill_given = false, align_given = false, any;
    i = 0;
    if (n >= 2 && s_is_align(cp[1])) {
        sp->fill = cp[0], sp->align = cp[1], i = 2, fill_given = align_given = true;
    } else if (n >= 1 && s_is_align(cp[0])) {
        sp->align = cp[0], i = 1, align_given = true;
    }
    if (i < n && (cp[i] == '+' || cp[i] == '-' || cp[i] == ' ')) sp->sign = (char)cp[i++];
    if (i < n && cp[i] == 'z') sp->no_neg_0 = true, i++;
    if (i < n && cp[i] == '#') sp->alt = true, i++;
    if (!fill_given && i < n && cp[i] == '0') {
        sp->fill = '0', i++;
        if (!align_given && default_align == '>') sp->align = '=';
    }
    sp->width = s_spec_int(f, cp, n, &i, &any);
    if (!any) sp->width = -1;
    if (i < n && cp[i] == ',') sp->thousands = ',', i++;
    if (i < n && cp[i] == '_') {
        if (sp->thousands) gl_vm_error(f->vm, GL_ERR_VALUE, f->span, "Cannot specify both ',' and '_'.");
        sp->thousands = '_', i++;
    }
    if (i < n && cp[i] == ',') gl_vm_error(f->vm, GL_ERR_VALUE, f->span, "Cannot specify both ',' and '_'.");
    if (i < n && cp[i] == '.') {
        i++;
        sp->prec = s_spec_int(f, cp, n, &i, &any);
        if (!any) gl_vm_error(f->vm, GL_ERR_VALUE, f->span, "Format specifier missing precision");
    }
    if (n - i > 1)
        gl_vm_error(f->vm, GL_ERR_VALUE, f->span, "Invalid format specifier '%.*s' for object of type '%s'",
                    (int)spec.len, spec.u.s, gl_type_name(obj));
    if (n - i == 1) sp->type = cp[i];
    s_spec_thousands(f, sp);
}

_Noreturn static void s_unknown_code(s_fctx *f, int32_t type, gl_value obj)
{
    if (type > 32 && type < 128)
        gl_vm_error(f->vm, GL_ERR_VALUE, f->span, "Unknown format code '%c' for object of type '%s'", (char)type,
                    gl_type_name(obj));
    gl_vm_error(f->vm, GL_ERR_VALUE, f->span, "Unknown format code '\\x%x' for object of type '%s'",
                (unsigned)type, gl_type_name(obj));
}

static void s_format_str(s_fctx *f, gl_sb *out, gl_value s, const s_spec *sp)
{
    if (sp->sign) gl_vm_error(f->vm, GL_ERR_VALUE, f->span, "Sign not allowed in string format specifier");
    if (sp->no_neg_0)
        gl_vm_error(f->vm, GL_ERR_VALUE, f->span, "Negative zero coercion (z) not allowed in string format specifier");
    if (sp->alt)
        gl_vm_error(f->vm, GL_ERR_VALUE, f->span, "Alternate form (#) not allowed in string format specifier");
    if (sp->align == '=')
        gl_vm_error(f->vm, GL_ERR_VALUE, f->span, "'=' alignment not allowed in string format specifier");
    int64_t len = (int64_t)s_count(s);
    if (sp->prec >= 0 && len > sp->prec) {
        s = s_truncate(s, sp->prec);
        len = sp->prec;
    }
    int64_t pad = sp->width > len ? sp->width - len : 0;
    int64_t left = sp->align == '>' ? pad : sp->align == '^' ? pad / 2 : 0;
    s_fill(out, sp->fill, left);
    gl_sb_add(out, s.u.s, s.len);
    s_fill(out, sp->fill, pad - left);
}

/* A number split as CPython's calc_number_widths sees it. */
typedef struct s_num {
    bool neg;
    const char *prefix;         /* "0x"... or "" */
    const char *digits;         /* integer digits */
    size_t ndigits;
    gl_value rest;              /* decimal point, fraction, exponent, '%' (or the 'c' char) */
    bool upper;                 /* 'X': upper-case the prefix */
} s_num;

/* Integer digits with separators every `group`, zero-padded to min_width when fill is
 * '0' with '=' alignment (CPython's _PyUnicode_InsertThousandsGrouping). */
static void s_grouped(s_fctx *f, gl_sb *out, const s_num *num, const s_spec *sp, int64_t min_width)
{
    int64_t remaining = (int64_t)num->ndigits, l, zeros, chars;
    size_t cap = num->ndigits * 2 + (size_t)(min_width > 0 ? min_width : 0) + 8, k = 0;
    char *rev = gl_vm_alloc(f->vm, cap);
    const char *end = num->digits + num->ndigits;
    bool sep = false, broken = false;
    for (int64_t group = sp->thousands ? sp->group : 0; group > 0;) {
        l = remaining > min_width ? remaining : min_width;
        l = l < 1 ? 1 : l > group ? group : l;
        zeros = l > remaining ? l - remaining : 0;
        chars = remaining < l ? (remaining > 0 ? remaining : 0) : l;
        if (sep) rev[k++] = sp->thousands;
        for (int64_t i = 0; i < chars; i++) rev[k++] = *--end;
        for (int64_t i = 0; i < zeros; i++) rev[k++] = '0';
        sep = true;
        remaining -= chars;
        min_width -= l;
        if (remaining <= 0 && min_width <= 0) {
            broken = true;
            break;
        }
        min_width -= 1;
    }
    if (!broken) {
        l = remaining > min_width ? remaining : min_width;
        l = l < 1 ? 1 : l;
        zeros = l > remaining ? l - remaining : 0;
        chars = remaining < l ? (remaining > 0 ? remaining : 0) : l;
        if (sep) rev[k++] = sp->thousands;
        for (int64_t i = 0; i < chars; i++) rev[k++] = *--end;
        for (int64_t i = 0; i < zeros; i++) rev[k++] = '0';
    }
    while (k > 0) gl_sb_addc(out, rev[--k]);
}

/* Lays out sign, prefix, padding, grouped digits and the rest (fill_number). */
static void s_format_number(s_fctx *f, gl_sb *out, const s_num *num, const s_spec *sp)
{
    char sign = 0;
    if (sp->sign == '+') sign = num->neg ? '-' : '+';
    else if (sp->sign == ' ') sign = num->neg ? '-' : ' ';
    else if (num->neg) sign = '-';
    int64_t nprefix = (int64_t)strlen(num->prefix);
    int64_t fixed = (sign != 0) + nprefix + (int64_t)s_count(num->rest);
    int64_t min_width = sp->fill == '0' && sp->align == '=' ? sp->width - fixed : 0;
    gl_sb digits;
    gl_sb_init(&digits, f->vm, f->span);
    if (num->ndigits) s_grouped(f, &digits, num, sp, min_width);
    int64_t pad = sp->width - (fixed + (int64_t)digits.len), lpad = 0, spad = 0, rpad = 0;
    if (pad > 0) {
        switch (sp->align) {
        case '<': rpad = pad; break;
        case '^': lpad = pad / 2, rpad = pad - lpad; break;
        case '=': spad = pad; break;
        default: lpad = pad; break;
        }
    }
    s_fill(out, sp->fill, lpad);
    if (sign) gl_sb_addc(out, sign);
    for (int64_t i = 0; i < nprefix; i++)
        gl_sb_addc(out, num->upper && num->prefix[i] == 'x' ? 'X' : num->prefix[i]);
    s_fill(out, sp->fill, spad);
    gl_sb_add(out, digits.p, digits.len);
    gl_sb_add(out, num->rest.u.s, num->rest.len);
    s_fill(out, sp->fill, rpad);
}

static void s_format_float(s_fctx *f, gl_sb *out, double v, const s_spec *sp, gl_value obj);

static void s_format_char(s_fctx *f, gl_sb *out, int64_t i, const s_spec *sp)
{
    if (sp->sign)
        gl_vm_error(f->vm, GL_ERR_VALUE, f->span, "Sign not allowed with integer format specifier 'c'");
    if (sp->alt)
        gl_vm_error(f->vm, GL_ERR_VALUE, f->span, "Alternate form (#) not allowed with integer format specifier 'c'");
    if (i < 0 || i > 0x10ffff) gl_vm_error(f->vm, GL_ERR_OVERFLOW, f->span, "%%c arg not in range(0x110000)");
    s_num num = {false, "", "", 0, s_chr(f->vm, (int32_t)i, f->span), false};
    s_format_number(f, out, &num, sp);
}

static void s_format_int(s_fctx *f, gl_sb *out, int64_t i, const s_spec *sp, gl_value obj)
{
    int32_t type = sp->type;
    int base;
    switch (type) {
    case 'b': base = 2; break;
    case 'o': base = 8; break;
    case 'x': case 'X': base = 16; break;
    case 'd': case 'n': case 'c': base = 10; break;
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case '%':
        s_format_float(f, out, (double)i, sp, obj);
        return;
    default:
        s_unknown_code(f, type, obj);
    }
    if (sp->prec >= 0)
        gl_vm_error(f->vm, GL_ERR_VALUE, f->span, "Precision not allowed in integer format specifier");
    if (sp->no_neg_0)
        gl_vm_error(f->vm, GL_ERR_VALUE, f->span,
                    "Negative zero coercion (z) not allowed in integer format specifier");
    if (type == 'c') {
        s_format_char(f, out, i, sp);
        return;
    }
    char *digits = gl_vm_alloc(f->vm, 70);
    size_t nd = s_int_digits(i, base, type == 'X', digits);
    const char *prefix = !sp->alt ? "" : base == 2 ? "0b" : base == 8 ? "0o" : base == 16 ? "0x" : "";
    s_num num = {i < 0, prefix, digits, nd, gl_str("", 0), type == 'X'};
    s_format_number(f, out, &num, sp);
}

/* Drops the '-' of a result that rounded to zero ('z' option). */
static bool s_all_zero(const char *s)
{
    for (; *s && *s != 'e' && *s != 'E' && *s != '%'; s++)
        if (*s >= '1' && *s <= '9') return false;
    return true;
}

static void s_format_float(s_fctx *f, gl_sb *out, double v, const s_spec *sp, gl_value obj)
{
    int32_t type = sp->type;
    switch (type) {
    case 0: case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'n': case '%': break;
    default: s_unknown_code(f, type, obj);
    }
    if (sp->prec > INT32_MAX) s_fvalue(f, "precision too big");
    char t = type == 0 ? 'R' : type == 'n' ? 'g' : type == '%' ? 'f' : (char)type;
    if (type == '%') v *= 100;
    int prec = sp->prec < 0 ? (type == 0 ? -1 : 6) : (int)sp->prec;
    char *text = s_float_text(f->vm, v, t, prec, sp->alt);
    bool neg = text[0] == '-';
    if (neg) text++;
    if (neg && sp->no_neg_0 && s_all_zero(text)) neg = false;
    size_t nd = 0;
    while (text[nd] >= '0' && text[nd] <= '9') nd++;
    size_t rest = strlen(text + nd);
    char *tail = gl_vm_alloc(f->vm, rest + 2);
    memcpy(tail, text + nd, rest);
    if (type == '%') tail[rest++] = '%';
    s_num num = {neg, "", text, nd, gl_str(tail, rest), false};
    s_format_number(f, out, &num, sp);
}

/* format(value, spec) for the value kinds templates have. */
static void s_format_value(s_fctx *f, gl_sb *out, gl_value v, gl_value spec)
{
    s_spec sp;
    bool numeric = v.kind == GL_INT || v.kind == GL_BOOL || v.kind == GL_FLOAT;
    if (spec.len == 0 || !(numeric || v.kind == GL_STR)) {
        if (spec.len)
            gl_vm_error(f->vm, GL_ERR_TYPE, f->span, "unsupported format string passed to %s.__format__",
                        gl_type_name(v));
        gl_value s = gl_to_str(f->vm, v);
        gl_sb_add(out, s.u.s, s.len);
        return;
    }
    if (v.kind == GL_STR) s_spec_parse(f, spec, v, 's', '<', &sp);
    else s_spec_parse(f, spec, v, v.kind == GL_FLOAT ? 0 : 'd', '>', &sp);
    if (v.kind == GL_STR) {
        if (sp.type != 's') s_unknown_code(f, sp.type, v);
        s_format_str(f, out, v, &sp);
    } else if (v.kind == GL_FLOAT) {
        s_format_float(f, out, v.u.f, &sp, v);
    } else {
        s_format_int(f, out, v.kind == GL_BOOL ? v.u.b : v.u.i, &sp, v);
    }
}

/* ---------------------------------------------------------------- str.format */

/* A replacement field as MarkupIterator splits it. */
typedef struct s_field {
    gl_value name, spec;
    int32_t conversion;         /* 0: none */
} s_field;

/* Parses the field after '{' at *pos (parse_field). */
static s_field s_parse_field(s_fctx *f, const char *s, size_t len, size_t *pos)
{
    s_field fd = {gl_str("", 0), gl_str("", 0), 0};
    size_t start = *pos;
    char c = 0;
    while (*pos < len) {
        c = s[(*pos)++];
        if (c == '{') s_fvalue(f, "unexpected '{' in field name");
        if (c == '[') {
            while (*pos < len && s[*pos] != ']') (*pos)++;
            continue;
        }
        if (c == '}' || c == ':' || c == '!') break;
    }
    fd.name = gl_str(s + start, *pos - 1 - start);
    if (c != '!' && c != ':') {
        if (c != '}') s_fvalue(f, "expected '}' before end of string");
        return fd;
    }
    if (c == '!') {
        if (*pos >= len) s_fvalue(f, "end of string while looking for conversion specifier");
        *pos += (size_t)gl_utf8_decode(s + *pos, len - *pos, &fd.conversion);
        if (*pos < len) {
            c = s[(*pos)++];
            if (c == '}') return fd;
            if (c != ':') s_fvalue(f, "expected ':' after conversion specifier");
        }
    }
    size_t spec = *pos;
    for (int depth = 1; *pos < len;) {
        c = s[(*pos)++];
        if (c == '{') depth++;
        else if (c == '}' && --depth == 0) {
            fd.spec = gl_str(s + spec, *pos - 1 - spec);
            return fd;
        }
    }
    s_fvalue(f, "unmatched '{' in format spec");
}

/* Decimal digits only: the integer, or -1 (get_integer). */
static int64_t s_field_int(s_fctx *f, const char *s, size_t n)
{
    if (n == 0) return -1;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        if (v > (INT64_MAX - 9) / 10) s_fvalue(f, "Too many decimal digits in format string");
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static gl_value s_field_first(s_fctx *f, const char *s, size_t n)
{
    int64_t idx = s_field_int(f, s, n);
    if (idx >= 0) {
        if (idx >= f->a->npos) gl_vm_error(f->vm, GL_ERR_INDEX, f->span, "tuple index out of range");
        return f->a->pos[idx];
    }
    for (uint32_t k = 0; k < f->a->nkw; k++)
        if (f->a->kw_names[k]->len == n && memcmp(f->a->kw_names[k]->str, s, n) == 0) return f->a->kw[k];
    gl_buf b;
    gl_buf_init(&b);
    gl_repr_str(s, n, &b);
    gl_value r = gl_str_copy(f->vm, b.data, b.len);
    gl_buf_free(&b);
    gl_vm_error(f->vm, GL_ERR_KEY, f->span, "%.*s", (int)r.len, r.u.s);
}

/* Formatter.get_field: the first part, then .attr and [item] through the sandbox. */
static gl_value s_get_field(s_fctx *f, gl_value name)
{
    const char *s = name.u.s;
    size_t n = name.len, i = 0;
    while (i < n && s[i] != '.' && s[i] != '[') i++;
    gl_value obj = s_field_first(f, s, i);
    while (i < n) {
        char c = s[i++];
        size_t start = i;
        if (c == '.') {
            while (i < n && s[i] != '.' && s[i] != '[') i++;
        } else if (c == '[') {
            while (i < n && s[i] != ']') i++;
            if (i >= n) s_fvalue(f, "Missing ']' in format string");
        } else {
            s_fvalue(f, "Only '.' or '[' may follow ']' in format field specifier");
        }
        size_t end = i;
        if (c == '[') i++;
        if (end == start) s_fvalue(f, "Empty attribute in format string");
        int64_t idx = c == '[' ? s_field_int(f, s + start, end - start) : -1;
        if (c == '.') obj = gl_getattr(f->vm, obj, s + start, end - start, f->span);
        else if (idx >= 0) obj = gl_getitem(f->vm, obj, gl_int(idx), f->span);
        else obj = gl_getitem(f->vm, obj, gl_str_copy(f->vm, s + start, end - start), f->span);
    }
    return obj;
}

static bool s_all_digits(gl_value s)
{
    if (s.len == 0) return false;
    for (size_t i = 0; i < s.len; i++)
        if (s.u.s[i] < '0' || s.u.s[i] > '9') return false;
    return true;
}

static gl_value s_vformat(s_fctx *f, gl_value fmt, int depth);

/* One replacement field: numbering, lookup, conversion, nested spec, format(). */
static void s_render_field(s_fctx *f, gl_sb *out, s_field fd, int depth)
{
    if (fd.name.len == 0) {
        if (f->manual)
            s_fvalue(f, "cannot switch from manual field specification to automatic field numbering");
        fd.name = gl_vm_strf(f->vm, "%" PRId64, f->auto_idx++);
    } else if (s_all_digits(fd.name)) {
        if (!f->manual && f->auto_idx > 0)
            s_fvalue(f, "cannot switch from manual field specification to automatic field numbering");
        f->manual = true;
    }
    gl_value obj = s_get_field(f, fd.name);
    switch (fd.conversion) {
    case 0: break;
    case 's': obj = s_convert(f->vm, obj, S_STR, f->span); break;
    case 'r': obj = s_convert(f->vm, obj, S_REPR, f->span); break;
    case 'a': obj = s_convert(f->vm, obj, S_ASCII, f->span); break;
    default: {
        gl_value ch = s_chr(f->vm, fd.conversion, f->span);
        gl_vm_error(f->vm, GL_ERR_VALUE, f->span, "Unknown conversion specifier %.*s", (int)ch.len, ch.u.s);
    }
    }
    if (fd.conversion) obj.flags &= (uint8_t)~GL_F_SAFE;   /* str() and repr() are plain str */
    gl_value spec = s_vformat(f, fd.spec, depth - 1);
    if (!f->markup) {
        s_format_value(f, out, obj, spec);
        return;
    }
    if (obj.kind == GL_STR && (obj.flags & GL_F_SAFE)) {   /* Markup.__html_format__ */
        if (spec.len) s_fvalue(f, "Unsupported format specification for Markup.");
        gl_sb_add(out, obj.u.s, obj.len);
        return;
    }
    gl_sb tmp;
    gl_sb_init(&tmp, f->vm, f->span);
    s_format_value(f, &tmp, obj, spec);
    gl_value e = gl_sb_value(&tmp, 0);
    gl_sb_add_html(out, e.u.s, e.len);
}

/* Formatter._vformat: literal text and fields, recursing into nested specs. */
static gl_value s_vformat(s_fctx *f, gl_value fmt, int depth)
{
    if (depth < 0) s_fvalue(f, "Max string recursion exceeded");
    const char *s = fmt.u.s;
    size_t len = fmt.len, pos = 0;
    gl_sb out;
    gl_sb_init(&out, f->vm, f->span);
    while (pos < len) {
        size_t start = pos;
        char c = 0;
        bool markup = false;
        while (pos < len) {
            c = s[pos++];
            if (c == '{' || c == '}') {
                markup = true;
                break;
            }
        }
        bool at_end = pos >= len;
        size_t lit = pos - start;
        if (markup && c == '}' && (at_end || s[pos] != '}')) s_fvalue(f, "Single '}' encountered in format string");
        if (markup && c == '{' && at_end) s_fvalue(f, "Single '{' encountered in format string");
        if (markup && s[pos] == c) {
            pos++;
            markup = false;
        } else if (markup) {
            lit--;
        }
        gl_sb_add(&out, s + start, lit);
        if (markup) s_render_field(f, &out, s_parse_field(f, s, len, &pos), depth);
    }
    return gl_sb_value(&out, 0);
}

gl_value gl_format_method(gl_vm *vm, gl_value fmt, const gl_args *a)
{
    s_fctx f = {vm, a->span, a, 0, false, fmt.flags & GL_F_SAFE};
    gl_value r = s_vformat(&f, fmt, 2);
    if (f.markup) r.flags |= GL_F_SAFE;
    return r;
}
