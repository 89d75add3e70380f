/* src/jinja/filters.c - the builtin filters of Jinja2 3.1 (jinja layer, render stage):
 * `value|name(args)` as dbt's SandboxedEnvironment runs them, with Python's string,
 * number and sorting rules, byte for byte where a template can see the difference.
 *
 * Filters that return generators in Jinja2 (map, select, reject, batch, slice, items,
 * unique, reverse of a sequence...) return lists here: a template only iterates them,
 * joins them or passes them through |list, which gives the same output.
 * Memory: every result lives in the vm arena (strings are built with gl_sb, which grows
 * in the arena), so an error raised half way (gl_vm_error longjmps) leaks nothing.
 * FilterArgumentError and AssertionError become GL_ERR_RUNTIME (TemplateRuntimeError). */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L     /* regcomp, clock_gettime under -std=c11 */
#endif
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "jinja/pystr.h"
#include "jinja/sb.h"
#include "jinja/value.h"
#include "jinja/vm.h"

#define S_ERR_FILTER_ARG GL_ERR_RUNTIME      /* jinja2.exceptions.FilterArgumentError */
#define S_NAMES(...) static const char *const names[] = {__VA_ARGS__, NULL}

/* ------------------------------------------------------------------------------------
 * Builder helpers */

/* repr()/str() of any value appended to a builder. */
static void s_sb_repr(gl_sb *b, gl_value v)
{
    gl_buf t;
    gl_buf_init(&t);
    gl_repr(b->vm, v, &t);
    gl_sb_add(b, t.data, t.len);
    gl_buf_free(&t);
}

/* ------------------------------------------------------------------------------------
 * Values as Python sees them (markupsafe.soft_str is gl_to_str: a str, safe or not,
 * stays as it is; Undefined is '') */

static bool s_is_safe(gl_value v) { return v.kind == GL_STR && (v.flags & GL_F_SAFE); }

static bool s_given(gl_value v) { return v.kind != GL_MISSING && v.kind != GL_NONE; }

static bool s_is_intlike(gl_value v) { return v.kind == GL_INT || v.kind == GL_BOOL; }

static int64_t s_intval(gl_value v) { return v.kind == GL_BOOL ? (int64_t)v.u.b : v.u.i; }

static bool s_streq(gl_value v, const char *s)
{
    size_t n = strlen(s);
    return v.kind == GL_STR && v.len == n && memcmp(v.u.s, s, n) == 0;
}

static const char *s_cstr(gl_vm *vm, gl_value s)
{
    return gl_arena_strndup(&vm->arena, s.u.s, s.len);
}

static gl_value s_tuple2(gl_vm *vm, gl_value a, gl_value b)
{
    gl_value t = gl_tuple_new(vm, 2);
    t.u.list->items[0] = a;
    t.u.list->items[1] = b;
    return t;
}

static _Noreturn void s_undefined(gl_vm *vm, gl_value v, gl_span span)
{
    gl_vm_undefined_error(vm, v, span);
}

/* v.attr(), which only values of one kind have: Undefined raises its UndefinedError,
 * any other kind "'int' object has no attribute 'attr'" */
static void s_need(gl_vm *vm, gl_value v, gl_kind kind, const char *attr, gl_span span)
{
    if (v.kind == GL_UNDEFINED)
        s_undefined(vm, v, span);
    if (v.kind != kind)
        gl_vm_error(vm, GL_ERR_TYPE, span, "'%s' object has no attribute '%s'", gl_type_name(v),
                    attr);
}

static void s_noargs(gl_vm *vm, const gl_args *a, const char *fname)
{
    static const char *const names[] = {NULL};
    gl_value none[1];
    gl_args_bind(vm, a, fname, names, 0, none);
}

/* An int parameter that Python would pass to an int-only API: bool counts as int. */
static int64_t s_int_arg(gl_vm *vm, const gl_args *a, gl_value v, const char *fname,
                         int64_t dflt)
{
    if (v.kind == GL_MISSING)
        return dflt;
    if (v.kind == GL_BOOL)
        return v.u.b;
    if (v.kind == GL_INT)
        return v.u.i;
    if (v.kind == GL_UNDEFINED)
        s_undefined(vm, v, a->span);
    return gl_arg_int(vm, a, v, fname, dflt);
}

static gl_value s_list_copy(gl_vm *vm, const gl_list *l)
{
    return gl_list_from(vm, l->items, l->len, GL_LIST);
}

static bool s_is_generator(gl_value v) { return v.kind == GL_LIST && (v.flags & GL_F_GENERATOR); }

static gl_value s_generator(gl_value list)
{
    list.flags |= GL_F_GENERATOR;
    return list;
}

/* len(v): Undefined is 0, generators have none */
static int64_t s_len(gl_vm *vm, gl_value v, gl_span span)
{
    if (v.kind == GL_UNDEFINED)
        return 0;
    if (s_is_generator(v))
        gl_vm_error(vm, GL_ERR_TYPE, span, "object of type 'generator' has no len()");
    return gl_length(vm, v, span);
}

/* ------------------------------------------------------------------------------------
 * Unicode: code point arrays and Python's character classes (pystr) */

typedef struct s_cps {
    int32_t *c;             /* arena */
    size_t n;
} s_cps;

static s_cps s_decode(gl_vm *vm, gl_value s)
{
    s_cps r;
    r.c = gl_vm_alloc(vm, ((size_t)s.len + 1) * sizeof(int32_t));
    r.n = 0;
    size_t i = 0;
    while (i < s.len) {
        int32_t cp;
        i += (size_t)gl_utf8_decode(s.u.s + i, s.len - i, &cp);
        r.c[r.n++] = cp;
    }
    return r;
}

static void s_sb_cps(gl_sb *b, const int32_t *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        gl_sb_cp(b, c[i]);
}

/* \w of Python's re */
static bool s_is_word(int32_t c) { return gl_py_isalnum(c) || c == '_'; }

/* str.lower() / str.upper()... of a string value; flags (safe) are kept. */
static gl_value s_mapped(gl_vm *vm, gl_value s, gl_py_mapper map, gl_span span)
{
    gl_sb b;
    gl_sb_init(&b, vm, span);
    map(s.u.s, s.len, &b);
    return gl_sb_value(&b, s.flags);
}

static gl_value s_lower_value(gl_vm *vm, gl_value v, gl_span span)
{
    return v.kind == GL_STR ? s_mapped(vm, v, gl_py_lower, span) : v;
}

/* str.splitlines() (no keepends) of c[0, n): line ranges into *starts / *ends. */
static size_t s_splitlines(gl_vm *vm, const int32_t *c, size_t n, size_t **starts,
                           size_t **ends)
{
    size_t cap = 1;
    for (size_t i = 0; i < n; i++)
        cap += gl_py_islinebreak(c[i]);
    *starts = gl_vm_alloc(vm, cap * sizeof(size_t));
    *ends = gl_vm_alloc(vm, cap * sizeof(size_t));
    size_t k = 0, i = 0, start = 0;
    while (i < n) {
        if (!gl_py_islinebreak(c[i])) {
            i++;
            continue;
        }
        (*starts)[k] = start;
        (*ends)[k++] = i;
        i += (c[i] == '\r' && i + 1 < n && c[i + 1] == '\n') ? 2 : 1;
        start = i;
    }
    if (start < n) {
        (*starts)[k] = start;
        (*ends)[k++] = n;
    }
    return k;
}

static bool s_strip_hit(int32_t c, const s_cps *chars)
{
    if (!chars)
        return gl_py_isspace(c);
    for (size_t k = 0; k < chars->n; k++)
        if (chars->c[k] == c)
            return true;
    return false;
}

/* str.strip(chars) of c[0, n) as the range [*lo, *hi); chars NULL strips whitespace */
static void s_strip_range(const int32_t *c, size_t n, const s_cps *chars, size_t *lo,
                          size_t *hi)
{
    size_t a = 0, z = n;
    while (a < z && s_strip_hit(c[a], chars))
        a++;
    while (z > a && s_strip_hit(c[z - 1], chars))
        z--;
    *lo = a;
    *hi = z;
}

/* ------------------------------------------------------------------------------------
 * Python's int(str, base) and float(str) */

typedef enum { S_NUM_OK, S_NUM_INVALID, S_NUM_OVERFLOW } s_num_status;

static void s_trim_space(const char **s, size_t *n)
{
    /* str.strip() of Python whitespace, as int() and float() do */
    for (;;) {
        if (*n == 0)
            return;
        int32_t cp;
        int k = gl_utf8_decode(*s, *n, &cp);
        if (!gl_py_isspace(cp))
            break;
        *s += k;
        *n -= (size_t)k;
    }
    while (*n > 0) {
        size_t i = *n - 1;
        while (i > 0 && ((unsigned char)(*s)[i] & 0xC0) == 0x80)
            i--;
        int32_t cp;
        gl_utf8_decode(*s + i, *n - i, &cp);
        if (!gl_py_isspace(cp))
            break;
        *n = i;
    }
}

static int s_digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return 99;
}

/* Digits with single underscores between them; lead_us forbids a leading underscore
 * (one is allowed right after a base prefix). */
static s_num_status s_parse_digits(const char *s, size_t n, int base, bool lead_us,
                                   bool neg, int64_t *out)
{
    uint64_t acc = 0, lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    bool any = false, overflow = false, prev_us = lead_us;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '_') {
            if (prev_us)
                return S_NUM_INVALID;
            prev_us = true;
            continue;
        }
        int d = s_digit_value(s[i]);
        if (d >= base)
            return S_NUM_INVALID;
        prev_us = false;
        any = true;
        if (acc > (lim - (uint64_t)d) / (uint64_t)base)
            overflow = true;
        else
            acc = acc * (uint64_t)base + (uint64_t)d;
    }
    if (!any || prev_us)
        return S_NUM_INVALID;
    if (overflow)
        return S_NUM_OVERFLOW;
    *out = neg ? (int64_t)(0 - acc) : (int64_t)acc;
    return S_NUM_OK;
}

static int s_prefix_base(const char *s, size_t n)
{
    if (n < 2 || s[0] != '0')
        return 0;
    switch (s[1]) {
    case 'x': case 'X': return 16;
    case 'o': case 'O': return 8;
    case 'b': case 'B': return 2;
    default: return 0;
    }
}

/* int(s, base) for base 0 or 2..36 */
static s_num_status s_parse_int(const char *s, size_t n, int64_t base, int64_t *out)
{
    if (base != 0 && (base < 2 || base > 36))
        return S_NUM_INVALID;
    s_trim_space(&s, &n);
    bool neg = false;
    if (n > 0 && (s[0] == '+' || s[0] == '-')) {
        neg = s[0] == '-';
        s++, n--;
    }
    int pb = s_prefix_base(s, n);
    if (pb && (base == 0 || base == pb))
        return s_parse_digits(s + 2, n - 2, pb, false, neg, out);
    if (base == 0) {
        /* no prefix: decimal, and a leading zero only for zero itself */
        s_num_status st = s_parse_digits(s, n, 10, true, neg, out);
        if (st == S_NUM_OK && *out != 0 && n > 0 && s[0] == '0')
            return S_NUM_INVALID;
        return st;
    }
    return s_parse_digits(s, n, (int)base, true, neg, out);
}

static bool s_ieq(const char *s, size_t n, const char *word)
{
    size_t k = strlen(word);
    if (n != k)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (c != word[i])
            return false;
    }
    return true;
}

/* Copies the digits of s (underscores between digits allowed) into b; returns how
 * many bytes of s it consumed, 0 if it saw no digit or a misplaced underscore. */
static size_t s_float_digits(const char *s, size_t n, char *b, size_t *bn, bool *bad)
{
    size_t i = 0;
    bool prev_digit = false;
    while (i < n) {
        if (s[i] >= '0' && s[i] <= '9') {
            b[(*bn)++] = s[i++];
            prev_digit = true;
        } else if (s[i] == '_' && prev_digit && i + 1 < n && s[i + 1] >= '0' &&
                   s[i + 1] <= '9') {
            i++;
            prev_digit = false;
        } else {
            break;
        }
    }
    if (i < n && s[i] == '_')
        *bad = true;
    return i;
}

/* float(s): false when Python raises ValueError */
static bool s_parse_float(gl_vm *vm, const char *s, size_t n, double *out)
{
    s_trim_space(&s, &n);
    char *b = gl_vm_alloc(vm, n + 2);
    size_t bn = 0, i = 0;
    bool bad = false;
    if (n > 0 && (s[0] == '+' || s[0] == '-'))
        b[bn++] = s[i++];
    const char *w = s + i;
    size_t wn = n - i;
    if (s_ieq(w, wn, "inf") || s_ieq(w, wn, "infinity") || s_ieq(w, wn, "nan")) {
        double x = (w[0] == 'n' || w[0] == 'N') ? NAN : INFINITY;
        *out = (bn && b[0] == '-') ? -x : x;
        return true;
    }
    size_t before = bn;
    i += s_float_digits(s + i, n - i, b, &bn, &bad);
    bool mant = bn > before;
    if (i < n && s[i] == '.') {
        b[bn++] = s[i++];
        size_t d0 = bn;
        i += s_float_digits(s + i, n - i, b, &bn, &bad);
        mant = mant || bn > d0;
    }
    if (!mant || bad)
        return false;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        b[bn++] = s[i++];
        if (i < n && (s[i] == '+' || s[i] == '-'))
            b[bn++] = s[i++];
        size_t e0 = bn;
        i += s_float_digits(s + i, n - i, b, &bn, &bad);
        if (bn == e0 || bad)
            return false;
    }
    if (i != n)
        return false;
    b[bn] = 0;
    *out = strtod(b, NULL);
    return true;
}

/* Python's float(v) for the filters: false on TypeError/ValueError */
static bool s_to_float(gl_vm *vm, gl_value v, gl_span span, double *out)
{
    switch (v.kind) {
    case GL_BOOL: *out = v.u.b; return true;
    case GL_INT: *out = (double)v.u.i; return true;
    case GL_FLOAT: *out = v.u.f; return true;
    case GL_STR: return s_parse_float(vm, v.u.s, v.len, out);
    case GL_UNDEFINED: s_undefined(vm, v, span);
    default: return false;
    }
}

/* int(x) of a finite float, or an OverflowError past 64 bits */
static int64_t s_float_to_int(gl_vm *vm, double x, gl_span span)
{
    if (isinf(x))
        gl_vm_error(vm, GL_ERR_OVERFLOW, span, "cannot convert float infinity to integer");
    double t = trunc(x);
    if (!(t >= -9223372036854775808.0 && t < 9223372036854775808.0))
        gl_vm_error(vm, GL_ERR_OVERFLOW, span, "integer %.0f does not fit in 64 bits", t);
    return (int64_t)t;
}

static void s_float_repr(gl_sb *b, double f)
{
    gl_buf t;
    gl_buf_init(&t);
    gl_format_float(f, &t);
    gl_sb_add(b, t.data, t.len);
    gl_buf_free(&t);
}

/* ------------------------------------------------------------------------------------
 * Attribute paths: make_attrgetter / make_multi_attrgetter */

typedef struct s_path {
    gl_value *parts;        /* str parts, or int parts for all-digit ones */
    uint32_t n;
} s_path;

static gl_value s_path_part(const char *s, size_t n)
{
    bool digits = n > 0;
    int64_t v = 0;
    for (size_t i = 0; i < n && digits; i++)
        digits = s[i] >= '0' && s[i] <= '9';
    if (digits && s_parse_digits(s, n, 10, true, false, &v) == S_NUM_OK)
        return gl_int(v);
    return gl_str(s, n);
}

static s_path s_path_make(gl_vm *vm, gl_value attr)
{
    s_path p = {NULL, 0};
    if (!s_given(attr))
        return p;
    if (attr.kind != GL_STR) {
        p.parts = gl_vm_alloc(vm, sizeof(gl_value));
        p.parts[0] = attr;
        p.n = 1;
        return p;
    }
    uint32_t n = 1;
    for (uint32_t i = 0; i < attr.len; i++)
        n += attr.u.s[i] == '.';
    p.parts = gl_vm_alloc(vm, n * sizeof(gl_value));
    uint32_t start = 0;
    for (uint32_t i = 0; i <= attr.len; i++) {
        if (i < attr.len && attr.u.s[i] != '.')
            continue;
        p.parts[p.n++] = s_path_part(attr.u.s + start, i - start);
        start = i + 1;
    }
    return p;
}

/* environment.getitem along the path; dflt (when given) replaces an Undefined */
static gl_value s_path_get(gl_vm *vm, gl_value item, const s_path *p, gl_value dflt,
                           bool lower, gl_span span)
{
    for (uint32_t i = 0; i < p->n; i++) {
        item = gl_getitem(vm, item, p->parts[i], span);
        if (s_given(dflt) && item.kind == GL_UNDEFINED)
            item = dflt;
    }
    return lower ? s_lower_value(vm, item, span) : item;
}

typedef struct s_mpath {
    s_path *paths;
    uint32_t n;
} s_mpath;

static s_mpath s_mpath_make(gl_vm *vm, gl_value attr)
{
    s_mpath m;
    if (attr.kind != GL_STR) {
        m.paths = gl_vm_alloc(vm, sizeof(s_path));
        m.paths[0] = s_path_make(vm, attr);
        m.n = 1;
        return m;
    }
    m.n = 1;
    for (uint32_t i = 0; i < attr.len; i++)
        m.n += attr.u.s[i] == ',';
    m.paths = gl_vm_alloc(vm, m.n * sizeof(s_path));
    uint32_t start = 0, k = 0;
    for (uint32_t i = 0; i <= attr.len; i++) {
        if (i < attr.len && attr.u.s[i] != ',')
            continue;
        m.paths[k++] = s_path_make(vm, gl_str(attr.u.s + start, i - start));
        start = i + 1;
    }
    return m;
}

static gl_value s_mpath_get(gl_vm *vm, gl_value item, const s_mpath *m, bool lower,
                            gl_span span)
{
    gl_value key = gl_list_new(vm, m->n);
    for (uint32_t i = 0; i < m->n; i++)
        gl_list_push(vm, key.u.list, s_path_get(vm, item, &m->paths[i], gl_missing(),
                                                lower, span));
    return key;
}

/* ------------------------------------------------------------------------------------
 * Stable sorting with Python's comparisons */

static bool s_is_nan(gl_value v) { return v.kind == GL_FLOAT && isnan(v.u.f); }

/* a < b, or a > b when greater: NaN makes both false, as in Python */
static bool s_before_op(gl_vm *vm, gl_value a, gl_value b, bool greater, gl_span span)
{
    int c = gl_compare(vm, a, b, greater ? ">" : "<", span);
    if (s_is_nan(a) || s_is_nan(b))
        return false;
    return greater ? c > 0 : c < 0;
}

static bool s_lt(gl_vm *vm, gl_value a, gl_value b, gl_span span)
{
    return s_before_op(vm, a, b, false, span);
}

/* list < list: the first unequal items decide (so equal items never meet '<') */
static bool s_seq_lt(gl_vm *vm, gl_value a, gl_value b, gl_span span)
{
    const gl_list *x = a.u.list, *y = b.u.list;
    uint32_t n = x->len < y->len ? x->len : y->len;
    for (uint32_t i = 0; i < n; i++)
        if (!gl_equal(x->items[i], y->items[i]))
            return s_lt(vm, x->items[i], y->items[i], span);
    return x->len < y->len;
}

typedef struct s_sorter {
    gl_vm *vm;
    gl_span span;
    const gl_value *keys;   /* one key per item */
    bool multi;             /* keys are lists compared item by item */
    bool reverse;           /* sorted(..., reverse=True): still stable */
} s_sorter;

static bool s_key_lt(const s_sorter *s, uint32_t i, uint32_t j)
{
    if (s->multi)
        return s_seq_lt(s->vm, s->keys[i], s->keys[j], s->span);
    return s_lt(s->vm, s->keys[i], s->keys[j], s->span);
}

/* Should r (from the right run) go before l (from the left run)? */
static bool s_right_first(const s_sorter *s, uint32_t l, uint32_t r)
{
    return s->reverse ? s_key_lt(s, l, r) : s_key_lt(s, r, l);
}

static void s_merge(const s_sorter *s, const uint32_t *src, uint32_t *dst, uint32_t lo,
                    uint32_t mid, uint32_t hi)
{
    uint32_t i = lo, j = mid, k = lo;
    while (i < mid && j < hi)
        dst[k++] = s_right_first(s, src[i], src[j]) ? src[j++] : src[i++];
    while (i < mid)
        dst[k++] = src[i++];
    while (j < hi)
        dst[k++] = src[j++];
}

/* A stable bottom-up merge sort; returns the sorted order of 0..n-1. */
static uint32_t *s_sort_order(const s_sorter *s, uint32_t n)
{
    uint32_t *a = gl_vm_alloc(s->vm, (n + 1) * sizeof(uint32_t));
    uint32_t *b = gl_vm_alloc(s->vm, (n + 1) * sizeof(uint32_t));
    for (uint32_t i = 0; i < n; i++)
        a[i] = i;
    for (uint32_t w = 1; w < n; w *= 2) {
        for (uint32_t lo = 0; lo < n; lo += 2 * w) {
            uint32_t mid = lo + w < n ? lo + w : n;
            uint32_t hi = lo + 2 * w < n ? lo + 2 * w : n;
            s_merge(s, a, b, lo, mid, hi);
        }
        uint32_t *t = a;
        a = b;
        b = t;
        if (w > UINT32_MAX / 2)
            break;
    }
    return a;
}

/* items reordered by keys */
static gl_value s_sorted(gl_vm *vm, const gl_value *items, const gl_value *keys, uint32_t n,
                         bool multi, bool reverse, gl_span span)
{
    s_sorter s = {vm, span, keys, multi, reverse};
    uint32_t *order = s_sort_order(&s, n);
    gl_value out = gl_list_new(vm, n);
    for (uint32_t i = 0; i < n; i++)
        gl_list_push(vm, out.u.list, items[order[i]]);
    return out;
}

/* ------------------------------------------------------------------------------------
 * String filters */

static gl_value s_filter_escape(gl_vm *vm, gl_value v, const gl_args *a)
{
    s_noargs(vm, a, "escape");
    return gl_sb_escape(vm, v, a->span);
}

static gl_value s_filter_forceescape(gl_vm *vm, gl_value v, const gl_args *a)
{
    s_noargs(vm, a, "do_forceescape");
    gl_value s = gl_to_str(vm, v);
    s.flags = 0;
    return gl_sb_escape(vm, s, a->span);
}

static gl_value s_filter_safe(gl_vm *vm, gl_value v, const gl_args *a)
{
    s_noargs(vm, a, "do_mark_safe");
    gl_value s = gl_to_str(vm, v);
    s.flags |= GL_F_SAFE;
    return s;
}

static gl_value s_filter_string(gl_vm *vm, gl_value v, const gl_args *a)
{
    s_noargs(vm, a, "soft_str");
    return gl_to_str(vm, v);
}

static gl_value s_filter_lower(gl_vm *vm, gl_value v, const gl_args *a)
{
    s_noargs(vm, a, "do_lower");
    return s_mapped(vm, gl_to_str(vm, v), gl_py_lower, a->span);
}

static gl_value s_filter_upper(gl_vm *vm, gl_value v, const gl_args *a)
{
    s_noargs(vm, a, "do_upper");
    return s_mapped(vm, gl_to_str(vm, v), gl_py_upper, a->span);
}

/* str.capitalize(): the first character titlecased, the rest lowercased */
static gl_value s_filter_capitalize(gl_vm *vm, gl_value v, const gl_args *a)
{
    s_noargs(vm, a, "do_capitalize");
    return s_mapped(vm, gl_to_str(vm, v), gl_py_capitalize, a->span);
}

static bool s_is_title_sep(int32_t c)
{
    return c == '-' || c == '(' || c == '{' || c == '[' || c == '<' || gl_py_isspace(c);
}

/* Jinja's title, not str.title(): the string split by the regex ([-\s({\[<]+); each
 * separator run is kept, each other run gets item[0].upper() + item[1:].lower() */
static gl_value s_filter_title(gl_vm *vm, gl_value v, const gl_args *a)
{
    s_noargs(vm, a, "do_title");
    gl_value s = gl_to_str(vm, v);
    gl_sb b;
    gl_sb_init(&b, vm, a->span);
    size_t i = 0;
    while (i < s.len) {
        int32_t c;
        size_t first = (size_t)gl_utf8_decode(s.u.s + i, s.len - i, &c), j = i + first;
        bool sep = s_is_title_sep(c);
        while (j < s.len) {
            int k = gl_utf8_decode(s.u.s + j, s.len - j, &c);
            if (s_is_title_sep(c) != sep)
                break;
            j += (size_t)k;
        }
        if (sep) {
            gl_sb_add(&b, s.u.s + i, j - i);
        } else {
            gl_py_upper(s.u.s + i, first, &b);
            gl_py_lower(s.u.s + i + first, j - i - first, &b);
        }
        i = j;
    }
    return gl_sb_value(&b, 0);
}

static gl_value s_filter_center(gl_vm *vm, gl_value v, const gl_args *a)
{
    S_NAMES("width");
    gl_value p[1];
    gl_args_bind(vm, a, "do_center", names, 0, p);
    int64_t width = s_int_arg(vm, a, p[0], "center", 80);
    gl_value s = gl_to_str(vm, v);
    int64_t len = (int64_t)gl_utf8_count(s.u.s, s.len);
    int64_t marg = width - len;
    if (marg <= 0)
        return s;
    int64_t left = marg / 2 + (marg & width & 1);
    gl_sb b;
    gl_sb_init(&b, vm, a->span);
    if ((uint64_t)marg > GL_SB_MAX)
        gl_vm_error(vm, GL_ERR_LIMIT, a->span, "string result is too long");
    gl_sb_repeat(&b, " ", 1, left);
    gl_sb_addv(&b, s);
    gl_sb_repeat(&b, " ", 1, marg - left);
    return gl_sb_value(&b, s.flags);
}

static gl_value s_filter_trim(gl_vm *vm, gl_value v, const gl_args *a)
{
    S_NAMES("chars");
    gl_value p[1];
    gl_args_bind(vm, a, "do_trim", names, 0, p);
    gl_value s = gl_to_str(vm, v);
    s_cps chars, *cp = NULL;
    if (s_given(p[0])) {
        if (p[0].kind != GL_STR)
            gl_vm_error(vm, GL_ERR_TYPE, a->span, "strip arg must be None or str");
        chars = s_decode(vm, p[0]);
        cp = &chars;
    }
    s_cps c = s_decode(vm, s);
    size_t lo, hi;
    s_strip_range(c.c, c.n, cp, &lo, &hi);
    gl_sb b;
    gl_sb_init(&b, vm, a->span);
    s_sb_cps(&b, c.c + lo, hi - lo);
    return gl_sb_value(&b, s.flags);
}

/* str.replace with an empty `old`: new goes before every character and at the end */
static gl_value s_replace_empty(gl_vm *vm, gl_value s, gl_value new, int64_t count,
                                gl_span span)
{
    gl_sb b;
    gl_sb_init(&b, vm, span);
    s_cps c = s_decode(vm, s);
    int64_t done = 0;
    for (size_t i = 0; i <= c.n; i++) {
        if (count < 0 || done < count) {
            gl_sb_addv(&b, new);
            done++;
        }
        if (i < c.n)
            gl_sb_cp(&b, c.c[i]);
    }
    return gl_sb_value(&b, 0);
}

static gl_value s_replace(gl_vm *vm, gl_value s, gl_value old, gl_value new, int64_t count,
                          gl_span span)
{
    if (old.len == 0)
        return s_replace_empty(vm, s, new, count, span);
    gl_sb b;
    gl_sb_init(&b, vm, span);
    uint32_t i = 0, run = 0;
    int64_t done = 0;
    while (i + old.len <= s.len && (count < 0 || done < count)) {
        if (memcmp(s.u.s + i, old.u.s, old.len) != 0) {
            i++;
            continue;
        }
        gl_sb_add(&b, s.u.s + run, i - run);
        gl_sb_addv(&b, new);
        i += old.len;
        run = i;
        done++;
    }
    gl_sb_add(&b, s.u.s + run, s.len - run);
    return gl_sb_value(&b, 0);
}

static gl_value s_filter_replace(gl_vm *vm, gl_value v, const gl_args *a)
{
    S_NAMES("old", "new", "count");
    gl_value p[3];
    gl_args_bind(vm, a, "do_replace", names, 2, p);
    int64_t count = -1;
    if (s_given(p[2]))
        count = s_int_arg(vm, a, p[2], "replace", -1);
    gl_value s = gl_to_str(vm, v), old = gl_to_str(vm, p[0]), new = gl_to_str(vm, p[1]);
    return s_replace(vm, s, old, new, count, a->span);
}

static gl_value s_filter_truncate(gl_vm *vm, gl_value v, const gl_args *a)
{
    S_NAMES("length", "killwords", "end", "leeway");
    gl_value p[4];
    gl_args_bind(vm, a, "do_truncate", names, 0, p);
    int64_t length = s_int_arg(vm, a, p[0], "truncate", 255);
    bool killwords = gl_arg_bool(p[1], false);
    gl_value end = p[2].kind == GL_MISSING ? gl_str("...", 3) : p[2];
    int64_t leeway = s_given(p[3]) ? s_int_arg(vm, a, p[3], "truncate", 5) : 5;
    int64_t endlen = gl_length(vm, end, a->span);
    if (length < endlen)
        gl_vm_error(vm, GL_ERR_RUNTIME, a->span, "expected length >= %" PRId64 ", got %" PRId64,
                    endlen, length);
    if (leeway < 0)
        gl_vm_error(vm, GL_ERR_RUNTIME, a->span, "expected leeway >= 0, got %" PRId64, leeway);
    int64_t n = s_len(vm, v, a->span);
    if (n <= length + leeway)
        return v;
    if (v.kind != GL_STR || end.kind != GL_STR)
        gl_vm_error(vm, GL_ERR_TYPE, a->span, "can only concatenate %s (not \"%s\") to %s",
                    gl_type_name(v), gl_type_name(end), gl_type_name(v));
    size_t cut = gl_utf8_offset(v.u.s, v.len, (size_t)(length - endlen));
    if (!killwords) {
        size_t k = cut;
        while (k > 0 && v.u.s[k - 1] != ' ')
            k--;
        if (k > 0)
            cut = k - 1;
    }
    gl_sb b;
    gl_sb_init(&b, vm, a->span);
    gl_sb_add(&b, v.u.s, cut);
    if (s_is_safe(v) && !s_is_safe(end))
        gl_sb_add_html(&b, end.u.s, end.len);
    else
        gl_sb_addv(&b, end);
    return gl_sb_value(&b, v.flags & GL_F_SAFE);
}

static gl_value s_filter_indent(gl_vm *vm, gl_value v, const gl_args *a)
{
    S_NAMES("width", "first", "blank");
    gl_value p[3];
    gl_args_bind(vm, a, "do_indent", names, 0, p);
    gl_sb ind;
    gl_sb_init(&ind, vm, a->span);
    if (p[0].kind == GL_STR) {
        gl_sb_addv(&ind, p[0]);
    } else {
        int64_t w = s_int_arg(vm, a, p[0], "indent", 4);
        gl_sb_repeat(&ind, " ", 1, w);
    }
    bool first = gl_arg_bool(p[1], false), blank = gl_arg_bool(p[2], false);
    if (v.kind == GL_UNDEFINED)
        s_undefined(vm, v, a->span);
    if (v.kind != GL_STR)
        gl_vm_error(vm, GL_ERR_TYPE, a->span,
                    "unsupported operand type(s) for +=: '%s' and 'str'", gl_type_name(v));
    s_cps c = s_decode(vm, v);
    c.c[c.n++] = '\n';              /* s += "\n", the splitlines quirk */
    size_t *st, *en;
    size_t nl = s_splitlines(vm, c.c, c.n, &st, &en);
    gl_sb b;
    gl_sb_init(&b, vm, a->span);
    if (first)
        gl_sb_add(&b, ind.p, ind.len);
    for (size_t i = 0; i < nl; i++) {
        if (i > 0) {
            gl_sb_addc(&b, '\n');
            if (blank || en[i] > st[i])
                gl_sb_add(&b, ind.p, ind.len);
        }
        s_sb_cps(&b, c.c + st[i], en[i] - st[i]);
    }
    return gl_sb_value(&b, v.flags & GL_F_SAFE);
}

static gl_value s_filter_wordcount(gl_vm *vm, gl_value v, const gl_args *a)
{
    s_noargs(vm, a, "do_wordcount");
    s_cps c = s_decode(vm, gl_to_str(vm, v));
    int64_t n = 0;
    bool in = false;
    for (size_t i = 0; i < c.n; i++) {
        bool w = s_is_word(c.c[i]);
        n += w && !in;
        in = w;
    }
    return gl_int(n);
}

static gl_value s_filter_format(gl_vm *vm, gl_value v, const gl_args *a)
{
    if (a->npos > 0 && a->nkw > 0)
        gl_vm_error(vm, S_ERR_FILTER_ARG, a->span,
                    "can't handle positional and keyword arguments at the same time");
    gl_value fmt = gl_to_str(vm, v);
    gl_value args;
    if (a->nkw > 0) {
        args = gl_dict_new(vm);
        for (uint32_t i = 0; i < a->nkw; i++)
            gl_dict_set(vm, args.u.dict, gl_str(a->kw_names[i]->str, a->kw_names[i]->len),
                        a->kw[i]);
    } else {
        args = gl_list_from(vm, a->pos, a->npos, GL_TUPLE);
        if (s_is_safe(fmt)) {
            /* Markup % args escapes the arguments */
            for (uint32_t i = 0; i < a->npos; i++)
                if (args.u.list->items[i].kind == GL_STR)
                    args.u.list->items[i] = gl_sb_escape(vm, args.u.list->items[i], a->span);
        }
    }
    gl_value r = gl_format_percent(vm, fmt, args, a->span);
    if (s_is_safe(fmt) && r.kind == GL_STR)
        r.flags |= GL_F_SAFE;
    return r;
}

/* str(s)[::-1] */
static gl_value s_reverse_str(gl_vm *vm, gl_value s, gl_span span)
{
    s_cps c = s_decode(vm, s);
    gl_sb b;
    gl_sb_init(&b, vm, span);
    for (size_t i = c.n; i > 0; i--)
        gl_sb_cp(&b, c.c[i - 1]);
    return gl_sb_value(&b, s.flags);
}

/* ------------------------------------------------------------------------------------
 * Sequence filters */

static gl_value s_filter_default(gl_vm *vm, gl_value v, const gl_args *a)
{
    S_NAMES("default_value", "boolean");
    gl_value p[2];
    gl_args_bind(vm, a, "do_default", names, 0, p);
    gl_value dflt = p[0].kind == GL_MISSING ? gl_str("", 0) : p[0];
    if (v.kind == GL_UNDEFINED || (gl_arg_bool(p[1], false) && !gl_truthy(v)))
        return dflt;
    return v;
}

static gl_value s_filter_length(gl_vm *vm, gl_value v, const gl_args *a)
{
    s_noargs(vm, a, "len");
    return gl_int(s_len(vm, v, a->span));
}

static gl_value s_filter_list(gl_vm *vm, gl_value v, const gl_args *a)
{
    s_noargs(vm, a, "do_list");
    return s_list_copy(vm, gl_iterate(vm, v, a->span));
}

static gl_value s_filter_first(gl_vm *vm, gl_value v, const gl_args *a)
{
    s_noargs(vm, a, "do_first");
    gl_list *l = gl_iterate(vm, v, a->span);
    if (l->len == 0)
        return gl_undefined_hint(vm, "No first item, sequence was empty.");
    return l->items[0];
}

static bool s_reversible(gl_value v)
{
    if (v.kind == GL_OBJECT)        /* range() is the one reversible native object */
        return v.u.obj->cls->name && strcmp(v.u.obj->cls->name, "range") == 0;
    return v.kind == GL_STR || v.kind == GL_LIST || v.kind == GL_TUPLE ||
           v.kind == GL_DICT || v.kind == GL_UNDEFINED;
}

static gl_value s_filter_last(gl_vm *vm, gl_value v, const gl_args *a)
{
    s_noargs(vm, a, "do_last");
    if (!s_reversible(v) || s_is_generator(v))
        gl_vm_error(vm, GL_ERR_TYPE, a->span, "'%s' object is not reversible",
                    s_is_generator(v) ? "generator" : gl_type_name(v));
    gl_list *l = gl_iterate(vm, v, a->span);
    if (l->len == 0)
        return gl_undefined_hint(vm, "No last item, sequence was empty.");
    return l->items[l->len - 1];
}

/* random.choice; not reproducible, as in Jinja2 */
static gl_value s_filter_random(gl_vm *vm, gl_value v, const gl_args *a)
{
    s_noargs(vm, a, "do_random");
    if (v.kind == GL_UNDEFINED)
        return gl_undefined_hint(vm, "No random item, sequence was empty.");
    int64_t n = s_len(vm, v, a->span);
    if (v.kind == GL_DICT)
        gl_vm_error(vm, GL_ERR_KEY, a->span, "0");
    if (n == 0)
        return gl_undefined_hint(vm, "No random item, sequence was empty.");
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t x = (uint64_t)ts.tv_nsec * 0x9E3779B97F4A7C15ull ^ (uint64_t)ts.tv_sec ^
                 (uint64_t)(uintptr_t)&ts;
    x ^= x >> 31;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 29;
    return gl_iterate(vm, v, a->span)->items[x % (uint64_t)n];
}

static gl_value s_filter_reverse(gl_vm *vm, gl_value v, const gl_args *a)
{
    s_noargs(vm, a, "do_reverse");
    if (v.kind == GL_STR)
        return s_reverse_str(vm, v, a->span);
    if (!s_reversible(v) && v.kind != GL_OBJECT)
        gl_vm_error(vm, S_ERR_FILTER_ARG, a->span, "argument must be iterable");
    gl_list *l = gl_iterate(vm, v, a->span);
    gl_value out = gl_list_new(vm, l->len);
    for (uint32_t i = l->len; i > 0; i--)
        gl_list_push(vm, out.u.list, l->items[i - 1]);
    return s_generator(out);
}

static gl_value s_filter_join(gl_vm *vm, gl_value v, const gl_args *a)
{
    S_NAMES("d", "attribute");
    gl_value p[2];
    gl_args_bind(vm, a, "do_join", names, 0, p);
    gl_value d = p[0].kind == GL_MISSING ? gl_str("", 0) : gl_to_str(vm, p[0]);
    gl_list *l = gl_iterate(vm, v, a->span);
    s_path path = s_path_make(vm, p[1]);
    gl_sb b;
    gl_sb_init(&b, vm, a->span);
    for (uint32_t i = 0; i < l->len; i++) {
        gl_value item = l->items[i];
        if (s_given(p[1]))
            item = s_path_get(vm, item, &path, gl_missing(), false, a->span);
        if (i > 0)
            gl_sb_addv(&b, d);
        gl_sb_addv(&b, gl_to_str(vm, item));
    }
    return gl_sb_value(&b, 0);
}

static gl_value s_filter_sort(gl_vm *vm, gl_value v, const gl_args *a)
{
    S_NAMES("reverse", "case_sensitive", "attribute");
    gl_value p[3];
    gl_args_bind(vm, a, "do_sort", names, 0, p);
    bool reverse = gl_arg_bool(p[0], false), cs = gl_arg_bool(p[1], false);
    s_mpath m = s_mpath_make(vm, p[2].kind == GL_MISSING ? gl_none() : p[2]);
    gl_list *l = gl_iterate(vm, v, a->span);
    gl_value *keys = gl_vm_alloc(vm, (l->len + 1) * sizeof(gl_value));
    for (uint32_t i = 0; i < l->len; i++)
        keys[i] = s_mpath_get(vm, l->items[i], &m, !cs, a->span);
    return s_sorted(vm, l->items, keys, l->len, true, reverse, a->span);
}

static gl_value s_filter_dictsort(gl_vm *vm, gl_value v, const gl_args *a)
{
    S_NAMES("case_sensitive", "by", "reverse");
    gl_value p[3];
    gl_args_bind(vm, a, "do_dictsort", names, 0, p);
    bool cs = gl_arg_bool(p[0], false), reverse = gl_arg_bool(p[2], false);
    int pos;
    if (p[1].kind == GL_MISSING || s_streq(p[1], "key"))
        pos = 0;
    else if (s_streq(p[1], "value"))
        pos = 1;
    else
        gl_vm_error(vm, S_ERR_FILTER_ARG, a->span,
                    "You can only sort by either \"key\" or \"value\"");
    s_need(vm, v, GL_DICT, "items", a->span);
    const gl_dict *d = v.u.dict;
    gl_value *items = gl_vm_alloc(vm, (d->count + 1) * sizeof(gl_value));
    gl_value *keys = gl_vm_alloc(vm, (d->count + 1) * sizeof(gl_value));
    uint32_t n = 0;
    for (uint32_t i = 0; i < d->nentries; i++) {
        if (!d->entries[i].live)
            continue;
        items[n] = s_tuple2(vm, d->entries[i].key, d->entries[i].value);
        gl_value k = pos ? d->entries[i].value : d->entries[i].key;
        keys[n++] = cs ? k : s_lower_value(vm, k, a->span);
    }
    return s_sorted(vm, items, keys, n, false, reverse, a->span);
}

static gl_value s_filter_items(gl_vm *vm, gl_value v, const gl_args *a)
{
    s_noargs(vm, a, "do_items");
    if (v.kind == GL_UNDEFINED)
        return s_generator(gl_list_new(vm, 0));
    if (v.kind != GL_DICT)
        gl_vm_error(vm, GL_ERR_TYPE, a->span, "Can only get item pairs from a mapping.");
    const gl_dict *d = v.u.dict;
    gl_value out = gl_list_new(vm, d->count);
    for (uint32_t i = 0; i < d->nentries; i++)
        if (d->entries[i].live)
            gl_list_push(vm, out.u.list,
                         s_tuple2(vm, d->entries[i].key, d->entries[i].value));
    return s_generator(out);
}

static gl_value s_filter_unique(gl_vm *vm, gl_value v, const gl_args *a)
{
    S_NAMES("case_sensitive", "attribute");
    gl_value p[2];
    gl_args_bind(vm, a, "do_unique", names, 0, p);
    bool cs = gl_arg_bool(p[0], false);
    s_path path = s_path_make(vm, p[1]);
    gl_list *l = gl_iterate(vm, v, a->span);
    gl_dict *seen = gl_dict_new(vm).u.dict;
    gl_value out = gl_list_new(vm, l->len);
    for (uint32_t i = 0; i < l->len; i++) {
        gl_value key = s_path_get(vm, l->items[i], &path, gl_missing(), !cs, a->span);
        if (!gl_hashable(key))
            gl_vm_error(vm, GL_ERR_TYPE, a->span, "unhashable type: '%s'", gl_type_name(key));
        gl_value dummy;
        if (gl_dict_get(seen, key, &dummy))
            continue;
        gl_dict_set(vm, seen, key, gl_none());
        gl_list_push(vm, out.u.list, l->items[i]);
    }
    return s_generator(out);
}

/* min()/max() with a key: the first of the smallest / largest */
static gl_value s_min_max(gl_vm *vm, gl_value v, const gl_args *a, bool max, const char *fname)
{
    S_NAMES("case_sensitive", "attribute");
    gl_value p[2];
    gl_args_bind(vm, a, fname, names, 0, p);
    gl_list *l = gl_iterate(vm, v, a->span);
    if (l->len == 0)
        return gl_undefined_hint(vm, "No aggregated item, sequence was empty.");
    bool cs = gl_arg_bool(p[0], false);
    s_path path = s_path_make(vm, p[1]);
    uint32_t best = 0;
    gl_value best_key = s_path_get(vm, l->items[0], &path, gl_missing(), !cs, a->span);
    for (uint32_t i = 1; i < l->len; i++) {
        gl_value k = s_path_get(vm, l->items[i], &path, gl_missing(), !cs, a->span);
        if (s_before_op(vm, k, best_key, max, a->span)) {
            best = i;
            best_key = k;
        }
    }
    return l->items[best];
}

static gl_value s_filter_min(gl_vm *vm, gl_value v, const gl_args *a)
{
    return s_min_max(vm, v, a, false, "do_min");
}

static gl_value s_filter_max(gl_vm *vm, gl_value v, const gl_args *a)
{
    return s_min_max(vm, v, a, true, "do_max");
}

static _Noreturn void s_add_error(gl_vm *vm, gl_value x, gl_value y, gl_span span)
{
    if (x.kind == GL_UNDEFINED)
        s_undefined(vm, x, span);
    if (y.kind == GL_UNDEFINED)
        s_undefined(vm, y, span);
    if ((x.kind == GL_LIST || x.kind == GL_TUPLE || x.kind == GL_STR) && !gl_is_number(y))
        gl_vm_error(vm, GL_ERR_TYPE, span, "can only concatenate %s (not \"%s\") to %s",
                    gl_type_name(x), gl_type_name(y), gl_type_name(x));
    gl_vm_error(vm, GL_ERR_TYPE, span, "unsupported operand type(s) for +: '%s' and '%s'",
                gl_type_name(x), gl_type_name(y));
}

/* Python's x + y for what sum() meets: numbers, and sequences of one kind */
static gl_value s_add(gl_vm *vm, gl_value x, gl_value y, gl_span span)
{
    if (s_is_intlike(x) && s_is_intlike(y)) {
        int64_t r;
        if (__builtin_add_overflow(s_intval(x), s_intval(y), &r))
            gl_vm_error(vm, GL_ERR_OVERFLOW, span, "integer result does not fit in 64 bits");
        return gl_int(r);
    }
    if (gl_is_number(x) && gl_is_number(y))
        return gl_float(gl_as_double(x) + gl_as_double(y));
    if ((x.kind == GL_LIST || x.kind == GL_TUPLE) && y.kind == x.kind) {
        const gl_list *l = x.u.list, *m = y.u.list;
        gl_value r = x.kind == GL_TUPLE ? gl_tuple_new(vm, l->len + m->len)
                                        : gl_list_from(vm, l->items, l->len, GL_LIST);
        if (x.kind == GL_TUPLE) {
            memcpy(r.u.list->items, l->items, l->len * sizeof(gl_value));
            memcpy(r.u.list->items + l->len, m->items, m->len * sizeof(gl_value));
            return r;
        }
        for (uint32_t i = 0; i < m->len; i++)
            gl_list_push(vm, r.u.list, m->items[i]);
        return r;
    }
    if (x.kind == GL_STR && y.kind == GL_STR) {
        gl_sb b;
        gl_sb_init(&b, vm, span);
        gl_sb_addv(&b, x);
        gl_sb_addv(&b, y);
        return gl_sb_value(&b, 0);
    }
    s_add_error(vm, x, y, span);
}

static gl_value s_filter_sum(gl_vm *vm, gl_value v, const gl_args *a)
{
    S_NAMES("attribute", "start");
    gl_value p[2];
    gl_args_bind(vm, a, "do_sum", names, 0, p);
    gl_value acc = p[1].kind == GL_MISSING ? gl_int(0) : p[1];
    if (acc.kind == GL_STR)
        gl_vm_error(vm, GL_ERR_TYPE, a->span, "sum() can't sum strings [use ''.join(seq) instead]");
    s_path path = s_path_make(vm, p[0]);
    gl_list *l = gl_iterate(vm, v, a->span);
    for (uint32_t i = 0; i < l->len; i++) {
        gl_value item = l->items[i];
        if (s_given(p[0]))
            item = s_path_get(vm, item, &path, gl_missing(), false, a->span);
        acc = s_add(vm, acc, item, a->span);
    }
    return acc;
}

static gl_value s_filter_batch(gl_vm *vm, gl_value v, const gl_args *a)
{
    S_NAMES("linecount", "fill_with");
    gl_value p[2];
    gl_args_bind(vm, a, "do_batch", names, 1, p);
    int64_t n = s_int_arg(vm, a, p[0], "batch", 0);
    gl_list *l = gl_iterate(vm, v, a->span);
    gl_value out = gl_list_new(vm, 0);
    gl_value tmp = gl_list_new(vm, 0);
    for (uint32_t i = 0; i < l->len; i++) {
        if ((int64_t)tmp.u.list->len == n) {
            gl_list_push(vm, out.u.list, tmp);
            tmp = gl_list_new(vm, 0);
        }
        gl_list_push(vm, tmp.u.list, l->items[i]);
    }
    if (tmp.u.list->len > 0) {
        if (s_given(p[1])) {
            if (n > (int64_t)l->len + 1000000)
                gl_vm_error(vm, GL_ERR_LIMIT, a->span, "batch size is too large");
            while ((int64_t)tmp.u.list->len < n)
                gl_list_push(vm, tmp.u.list, p[1]);
        }
        gl_list_push(vm, out.u.list, tmp);
    }
    return s_generator(out);
}

static int64_t s_floordiv(int64_t x, int64_t y)
{
    int64_t q = x / y;
    if ((x % y != 0) && ((x < 0) != (y < 0)))
        q--;
    return q;
}

static int64_t s_floormod(int64_t x, int64_t y)
{
    return x - s_floordiv(x, y) * y;
}

static gl_value s_filter_slice(gl_vm *vm, gl_value v, const gl_args *a)
{
    S_NAMES("slices", "fill_with");
    gl_value p[2];
    gl_args_bind(vm, a, "do_slice", names, 1, p);
    int64_t slices = s_int_arg(vm, a, p[0], "slice", 1);
    gl_list *l = gl_iterate(vm, v, a->span);
    if (slices == 0)
        gl_vm_error(vm, GL_ERR_ZERO_DIVISION, a->span, "integer division or modulo by zero");
    int64_t len = l->len;
    int64_t per = s_floordiv(len, slices), extra = s_floormod(len, slices), offset = 0;
    gl_value out = gl_list_new(vm, 0);
    for (int64_t k = 0; k < slices; k++) {
        int64_t start = offset + k * per;
        if (k < extra)
            offset++;
        int64_t end = offset + (k + 1) * per;
        start = start < 0 ? 0 : start > len ? len : start;
        end = end < start ? start : end > len ? len : end;
        gl_value tmp = gl_list_from(vm, l->items + start, (uint32_t)(end - start), GL_LIST);
        if (s_given(p[1]) && k >= extra)
            gl_list_push(vm, tmp.u.list, p[1]);
        gl_list_push(vm, out.u.list, tmp);
    }
    return s_generator(out);
}

static gl_value s_filter_groupby(gl_vm *vm, gl_value v, const gl_args *a)
{
    S_NAMES("attribute", "default", "case_sensitive");
    gl_value p[3];
    gl_args_bind(vm, a, "do_groupby", names, 1, p);
    bool cs = gl_arg_bool(p[2], false);
    s_path path = s_path_make(vm, p[0]);
    gl_list *l = gl_iterate(vm, v, a->span);
    gl_value *keys = gl_vm_alloc(vm, (l->len + 1) * sizeof(gl_value));
    for (uint32_t i = 0; i < l->len; i++)
        keys[i] = s_path_get(vm, l->items[i], &path, p[1], !cs, a->span);
    s_sorter s = {vm, a->span, keys, false, false};
    uint32_t *order = s_sort_order(&s, l->len);
    gl_value out = gl_list_new(vm, 0);
    uint32_t i = 0;
    while (i < l->len) {
        gl_value group = gl_list_new(vm, 0);
        uint32_t j = i;
        while (j < l->len && gl_equal(keys[order[j]], keys[order[i]]))
            gl_list_push(vm, group.u.list, l->items[order[j++]]);
        gl_value grouper = keys[order[i]];
        if (!cs)
            grouper = s_path_get(vm, l->items[order[i]], &path, p[1], false, a->span);
        gl_value t = s_tuple2(vm, grouper, group);
        t.flags |= GL_F_GROUPTUPLE;
        gl_list_push(vm, out.u.list, t);
        i = j;
    }
    return out;
}

/* jinja2 `attr`: a Python attribute only, never an item */
static gl_value s_filter_attr(gl_vm *vm, gl_value v, const gl_args *a)
{
    S_NAMES("name");
    gl_value p[1];
    gl_args_bind(vm, a, "do_attr", names, 1, p);
    if (p[0].kind != GL_STR)
        gl_vm_error(vm, GL_ERR_TYPE, a->span, "attribute name must be string, not '%s'",
                    gl_type_name(p[0]));
    if (v.kind == GL_UNDEFINED)
        s_undefined(vm, v, a->span);
    switch (v.kind) {
    case GL_STR: case GL_LIST: case GL_TUPLE: case GL_DICT: {
        gl_value m = gl_method(vm, v, p[0].u.s, p[0].len);
        return m.kind == GL_MISSING ? gl_undefined_attr(vm, v, p[0]) : m;
    }
    default:
        return gl_getattr(vm, v, p[0].u.s, p[0].len, a->span);
    }
}

/* ------------------------------------------------------------------------------------
 * map, select, reject, selectattr, rejectattr */

static bool s_kw_is(const gl_args *a, uint32_t i, const char *name)
{
    return strcmp(a->kw_names[i]->str, name) == 0;
}

/* The arguments after the first `skip` positional ones, keywords kept. */
static gl_args s_args_rest(const gl_args *a, uint32_t skip)
{
    gl_args r = *a;
    r.pos = a->pos + skip;
    r.npos = a->npos - skip;
    return r;
}

static const char *s_callee_name(gl_vm *vm, gl_value name, const char *what, gl_span span)
{
    if (name.kind == GL_STR)
        return s_cstr(vm, name);
    gl_sb b;
    gl_sb_init(&b, vm, span);
    s_sb_repr(&b, name);
    gl_vm_error(vm, GL_ERR_RUNTIME, span, "No %s named %.*s.", what, (int)b.len, b.p);
}

static gl_value s_map_attribute(gl_vm *vm, gl_list *l, const gl_args *a)
{
    gl_value attribute = gl_missing(), dflt = gl_none();
    for (uint32_t i = 0; i < a->nkw; i++) {
        if (s_kw_is(a, i, "attribute"))
            attribute = a->kw[i];
        else if (s_kw_is(a, i, "default"))
            dflt = a->kw[i];
    }
    for (uint32_t i = 0; i < a->nkw; i++)
        if (!s_kw_is(a, i, "attribute") && !s_kw_is(a, i, "default"))
            gl_vm_error(vm, S_ERR_FILTER_ARG, a->span, "Unexpected keyword argument '%s'",
                        a->kw_names[i]->str);
    s_path path = s_path_make(vm, attribute);
    gl_value out = gl_list_new(vm, l->len);
    for (uint32_t i = 0; i < l->len; i++)
        gl_list_push(vm, out.u.list, s_path_get(vm, l->items[i], &path, dflt, false, a->span));
    return s_generator(out);
}

static bool s_has_kw(const gl_args *a, const char *name)
{
    for (uint32_t i = 0; i < a->nkw; i++)
        if (s_kw_is(a, i, name))
            return true;
    return false;
}

static gl_value s_filter_map(gl_vm *vm, gl_value v, const gl_args *a)
{
    if (!gl_truthy(v))
        return s_generator(gl_list_new(vm, 0));
    gl_list *l = gl_iterate(vm, v, a->span);
    if (a->npos == 0 && s_has_kw(a, "attribute"))
        return s_map_attribute(vm, l, a);
    if (a->npos == 0)
        gl_vm_error(vm, S_ERR_FILTER_ARG, a->span, "map requires a filter argument");
    const char *name = s_callee_name(vm, a->pos[0], "filter", a->span);
    gl_args rest = s_args_rest(a, 1);
    gl_value out = gl_list_new(vm, l->len);
    for (uint32_t i = 0; i < l->len; i++)
        gl_list_push(vm, out.u.list, gl_vm_filter(vm, name, l->items[i], &rest));
    return s_generator(out);
}

static gl_value s_select_reject(gl_vm *vm, gl_value v, const gl_args *a, bool want,
                                bool lookup_attr)
{
    if (!gl_truthy(v))
        return s_generator(gl_list_new(vm, 0));
    gl_list *l = gl_iterate(vm, v, a->span);
    s_path path = {NULL, 0};
    uint32_t off = 0;
    if (lookup_attr) {
        if (a->npos == 0)
            gl_vm_error(vm, S_ERR_FILTER_ARG, a->span, "Missing parameter for attribute name");
        path = s_path_make(vm, a->pos[0]);
        off = 1;
    }
    const char *test = NULL;
    gl_args rest = *a;
    if (a->npos > off) {
        test = s_callee_name(vm, a->pos[off], "test", a->span);
        rest = s_args_rest(a, off + 1);
    }
    gl_value out = gl_list_new(vm, 0);
    for (uint32_t i = 0; i < l->len; i++) {
        gl_value x = l->items[i];
        if (lookup_attr)
            x = s_path_get(vm, x, &path, gl_missing(), false, a->span);
        bool r = test ? gl_vm_test(vm, test, x, &rest) : gl_truthy(x);
        if (r == want)
            gl_list_push(vm, out.u.list, l->items[i]);
    }
    return s_generator(out);
}

static gl_value s_filter_select(gl_vm *vm, gl_value v, const gl_args *a)
{
    return s_select_reject(vm, v, a, true, false);
}

static gl_value s_filter_reject(gl_vm *vm, gl_value v, const gl_args *a)
{
    return s_select_reject(vm, v, a, false, false);
}

static gl_value s_filter_selectattr(gl_vm *vm, gl_value v, const gl_args *a)
{
    return s_select_reject(vm, v, a, true, true);
}

static gl_value s_filter_rejectattr(gl_vm *vm, gl_value v, const gl_args *a)
{
    return s_select_reject(vm, v, a, false, true);
}

/* ------------------------------------------------------------------------------------
 * Number filters */

static gl_value s_filter_abs(gl_vm *vm, gl_value v, const gl_args *a)
{
    s_noargs(vm, a, "abs");
    switch (v.kind) {
    case GL_BOOL:
        return gl_int(v.u.b);
    case GL_INT:
        if (v.u.i == INT64_MIN)
            gl_vm_error(vm, GL_ERR_OVERFLOW, a->span, "integer result does not fit in 64 bits");
        return gl_int(v.u.i < 0 ? -v.u.i : v.u.i);
    case GL_FLOAT:
        return gl_float(fabs(v.u.f));
    case GL_OBJECT:             /* timedelta... */
        if (v.u.obj->ops && v.u.obj->ops->unary) {
            gl_value r = v.u.obj->ops->unary(vm, 'a', v, a->span);
            if (r.kind != GL_MISSING) return r;
        }
    /* fallthrough */
    default:
        gl_vm_error(vm, GL_ERR_TYPE, a->span, "bad operand type for abs(): '%s'",
                    gl_type_name(v));
    }
}

/* int(float(x)) of do_int's fallback; dflt when float() fails */
static gl_value s_int_via_float(gl_vm *vm, gl_value v, gl_value dflt, gl_span span)
{
    double f;
    if (!s_to_float(vm, v, span, &f) || isnan(f))
        return dflt;
    return gl_int(s_float_to_int(vm, f, span));
}

static gl_value s_filter_int(gl_vm *vm, gl_value v, const gl_args *a)
{
    S_NAMES("default", "base");
    gl_value p[2];
    gl_args_bind(vm, a, "do_int", names, 0, p);
    gl_value dflt = p[0].kind == GL_MISSING ? gl_int(0) : p[0];
    switch (v.kind) {
    case GL_BOOL:
        return gl_int(v.u.b);
    case GL_INT:
        return v;
    case GL_FLOAT:
        if (isnan(v.u.f))
            return dflt;
        return gl_int(s_float_to_int(vm, v.u.f, a->span));
    case GL_STR: {
        int64_t r;
        int64_t base = 10;
        bool base_ok = true;
        if (p[1].kind != GL_MISSING) {
            base_ok = s_is_intlike(p[1]);
            base = base_ok ? s_intval(p[1]) : 10;
        }
        s_num_status st = base_ok ? s_parse_int(v.u.s, v.len, base, &r) : S_NUM_INVALID;
        if (st == S_NUM_OK)
            return gl_int(r);
        if (st == S_NUM_OVERFLOW)
            gl_vm_error(vm, GL_ERR_OVERFLOW, a->span, "integer %.*s does not fit in 64 bits",
                        (int)v.len, v.u.s);
        return s_int_via_float(vm, v, dflt, a->span);
    }
    case GL_UNDEFINED:
        s_undefined(vm, v, a->span);
    default:
        return dflt;
    }
}

static gl_value s_filter_float(gl_vm *vm, gl_value v, const gl_args *a)
{
    S_NAMES("default");
    gl_value p[1];
    gl_args_bind(vm, a, "do_float", names, 0, p);
    double f;
    if (s_to_float(vm, v, a->span, &f))
        return gl_float(f);
    return p[0].kind == GL_MISSING ? gl_float(0.0) : p[0];
}

/* Python's round(int, ndigits) for ndigits < 0: half to even at 10**-ndigits */
static gl_value s_round_int(gl_vm *vm, int64_t x, int64_t nd, gl_span span)
{
    if (nd >= 0)
        return gl_int(x);
    if (nd < -18) {
        if (x >= -5000000000000000000 && x <= 5000000000000000000)
            return gl_int(0);
        gl_vm_error(vm, GL_ERR_OVERFLOW, span, "integer result does not fit in 64 bits");
    }
    int64_t m = 1;
    for (int64_t i = 0; i < -nd; i++)
        m *= 10;
    int64_t q = s_floordiv(x, m), r = s_floormod(x, m);
    if (2 * r > m || (2 * r == m && (q & 1)))
        q++;
    int64_t out;
    if (__builtin_mul_overflow(q, m, &out))
        gl_vm_error(vm, GL_ERR_OVERFLOW, span, "integer result does not fit in 64 bits");
    return gl_int(out);
}

/* Add one to the decimal digits d[0, n) in place; returns true on a carry out. */
static bool s_decimal_increment(char *d, size_t n)
{
    for (size_t i = n; i > 0; i--) {
        if (d[i - 1] != '9') {
            d[i - 1]++;
            return false;
        }
        d[i - 1] = '0';
    }
    return true;
}

/* round(x, nd) for nd < 0, correctly rounded half to even like Python's dtoa mode 3 */
static double s_round_neg(gl_vm *vm, double x, int64_t nd)
{
    size_t k = (size_t)-nd;
    double t = trunc(x);
    bool frac = x != t, neg = signbit(x);
    int n = snprintf(NULL, 0, "%.0f", fabs(t));
    char *d = gl_vm_alloc(vm, (size_t)n + k + 16);
    snprintf(d, (size_t)n + 1, "%.0f", fabs(t));
    size_t len = (size_t)n;
    /* compare the dropped digits with the half */
    int cmp;
    size_t keep;
    if (len < k) {
        cmp = -1;
        keep = 0;
    } else {
        keep = len - k;
        cmp = d[keep] < '5' ? -1 : d[keep] > '5' ? 1 : 0;
        for (size_t i = keep + 1; i < len && cmp == 0; i++)
            cmp = d[i] != '0';
        if (cmp == 0 && frac)
            cmp = 1;
    }
    bool odd = keep > 0 && ((d[keep - 1] - '0') & 1);
    char *out = gl_vm_alloc(vm, keep + k + 24);
    size_t o = 0;
    if (neg)
        out[o++] = '-';
    out[o++] = '0';             /* room for a carry */
    memcpy(out + o, d, keep);
    if (cmp > 0 || (cmp == 0 && odd))
        s_decimal_increment(out + o - 1, keep + 1);
    snprintf(out + o + keep, 24, "e%zu", k);
    return strtod(out, NULL);
}

/* float.__round__(nd): the exact value rounded half to even */
static double s_round_float(gl_vm *vm, double x, int64_t nd, gl_span span)
{
    if (!isfinite(x) || nd > 323)
        return x;
    if (nd < -308)
        return 0.0 * x;
    double r;
    if (nd >= 0) {
        int n = snprintf(NULL, 0, "%.*f", (int)nd, x);
        char *s = gl_vm_alloc(vm, (size_t)n + 1);
        snprintf(s, (size_t)n + 1, "%.*f", (int)nd, x);
        r = strtod(s, NULL);
    } else {
        r = s_round_neg(vm, x, nd);
    }
    if (isinf(r))
        gl_vm_error(vm, GL_ERR_OVERFLOW, span, "rounded value too large to represent");
    return r;
}

static double s_pow10(int64_t p)
{
    char buf[32];
    snprintf(buf, sizeof buf, "1e%" PRId64, p);
    return strtod(buf, NULL);
}

/* math.ceil/floor(value * 10**precision) / 10**precision */
static gl_value s_round_ceil_floor(gl_vm *vm, gl_value v, int64_t p, bool ceil_, gl_span span)
{
    if (v.kind == GL_UNDEFINED)
        s_undefined(vm, v, span);
    if (!gl_is_number(v))
        gl_vm_error(vm, GL_ERR_TYPE, span, "must be real number, not %s", gl_type_name(v));
    if (v.kind != GL_FLOAT && p >= 0)
        return gl_float((double)s_intval(v));
    double m = p >= 0 ? s_pow10(p) : pow(10.0, (double)p);
    double t = gl_as_double(v) * m;
    if (isnan(t))
        gl_vm_error(vm, GL_ERR_VALUE, span, "cannot convert float NaN to integer");
    if (isinf(t))
        gl_vm_error(vm, GL_ERR_OVERFLOW, span, "cannot convert float infinity to integer");
    double c = ceil_ ? ceil(t) : floor(t);
    return gl_float(c / m);
}

static gl_value s_filter_round(gl_vm *vm, gl_value v, const gl_args *a)
{
    S_NAMES("precision", "method");
    gl_value p[2];
    gl_args_bind(vm, a, "do_round", names, 0, p);
    bool common = p[1].kind == GL_MISSING || s_streq(p[1], "common");
    if (!common && !s_streq(p[1], "ceil") && !s_streq(p[1], "floor"))
        gl_vm_error(vm, S_ERR_FILTER_ARG, a->span, "method must be common, ceil or floor");
    int64_t prec = s_int_arg(vm, a, p[0], "round", 0);
    if (!common)
        return s_round_ceil_floor(vm, v, prec, s_streq(p[1], "ceil"), a->span);
    if (s_is_intlike(v))
        return s_round_int(vm, s_intval(v), prec, a->span);
    if (v.kind == GL_FLOAT)
        return gl_float(s_round_float(vm, v.u.f, prec, a->span));
    gl_vm_error(vm, GL_ERR_TYPE, a->span, "type %s doesn't define __round__ method",
                gl_type_name(v));
}

/* float(v), raising what Python raises */
static double s_float_strict(gl_vm *vm, gl_value v, gl_span span)
{
    double f;
    if (s_to_float(vm, v, span, &f))
        return f;
    if (v.kind == GL_STR) {
        gl_sb b;
        gl_sb_init(&b, vm, span);
        s_sb_repr(&b, v);
        gl_vm_error(vm, GL_ERR_VALUE, span, "could not convert string to float: %.*s",
                    (int)b.len, b.p);
    }
    gl_vm_error(vm, GL_ERR_TYPE, span,
                "float() argument must be a string or a real number, not '%s'", gl_type_name(v));
}

static gl_value s_filter_filesizeformat(gl_vm *vm, gl_value v, const gl_args *a)
{
    static const char *const dec[] = {"kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
    static const char *const bin[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"};
    S_NAMES("binary");
    gl_value p[1];
    gl_args_bind(vm, a, "do_filesizeformat", names, 0, p);
    bool binary = gl_arg_bool(p[0], false);
    double bytes = s_float_strict(vm, v, a->span);
    double base = binary ? 1024.0 : 1000.0;
    gl_sb b;
    gl_sb_init(&b, vm, a->span);
    if (bytes == 1) {
        gl_sb_adds(&b, "1 Byte");
    } else if (bytes < base) {
        if (isinf(bytes))
            gl_vm_error(vm, GL_ERR_OVERFLOW, a->span, "cannot convert float infinity to integer");
        gl_sb_printf(&b, "%.0f Bytes", trunc(bytes) == 0 ? 0.0 : trunc(bytes));
    } else {
        double unit = base;
        int i;
        for (i = 0; i < 8; i++) {
            unit = binary ? ldexp(1.0, 10 * (i + 2)) : s_pow10(3 * (i + 2));
            if (bytes < unit)
                break;
        }
        if (i == 8)
            i = 7;
        double r = base * bytes / unit;
        if (isnan(r))
            gl_sb_printf(&b, "nan %s", binary ? bin[i] : dec[i]);
        else
            gl_sb_printf(&b, "%.1f %s", r, binary ? bin[i] : dec[i]);
    }
    return gl_sb_value(&b, 0);
}

/* ------------------------------------------------------------------------------------
 * tojson: json.dumps(sort_keys=True) with <, >, & and ' as \u escapes */

typedef struct s_json {
    gl_vm *vm;
    gl_span span;
    gl_sb *b;
    gl_value indent;        /* GL_STR, or GL_MISSING for one line */
    const void **stack;     /* containers being written, for cycle detection */
    uint32_t depth;
} s_json;

#define S_JSON_MAX_DEPTH 512

static void s_json_u(gl_sb *b, uint32_t c)
{
    gl_sb_printf(b, "\\u%04x", c);
}

static void s_json_str(gl_sb *b, gl_value s)
{
    gl_sb_addc(b, '"');
    size_t i = 0;
    while (i < s.len) {
        int32_t cp;
        i += (size_t)gl_utf8_decode(s.u.s + i, s.len - i, &cp);
        uint32_t c = (uint32_t)cp;
        switch (c) {
        case '"': gl_sb_adds(b, "\\\""); continue;
        case '\\': gl_sb_adds(b, "\\\\"); continue;
        case '\n': gl_sb_adds(b, "\\n"); continue;
        case '\r': gl_sb_adds(b, "\\r"); continue;
        case '\t': gl_sb_adds(b, "\\t"); continue;
        case '\b': gl_sb_adds(b, "\\b"); continue;
        case '\f': gl_sb_adds(b, "\\f"); continue;
        case '<': case '>': case '&': case '\'': s_json_u(b, c); continue;
        default: break;
        }
        if (c >= 0x20 && c < 0x7F) {
            gl_sb_addc(b, (char)c);
        } else if (c < 0x10000) {
            s_json_u(b, c);
        } else {
            c -= 0x10000;
            s_json_u(b, 0xD800 | (c >> 10));
            s_json_u(b, 0xDC00 | (c & 0x3FF));
        }
    }
    gl_sb_addc(b, '"');
}

static void s_json_float(gl_sb *b, double f)
{
    if (isnan(f))
        gl_sb_adds(b, "NaN");
    else if (isinf(f))
        gl_sb_adds(b, f > 0 ? "Infinity" : "-Infinity");
    else
        s_float_repr(b, f);
}

static void s_json_value(s_json *j, gl_value v);

static void s_json_newline(s_json *j, uint32_t level)
{
    gl_sb_addc(j->b, '\n');
    for (uint32_t i = 0; i < level; i++)
        gl_sb_addv(j->b, j->indent);
}

static void s_json_enter(s_json *j, const void *p)
{
    for (uint32_t i = 0; i < j->depth; i++)
        if (j->stack[i] == p)
            gl_vm_error(j->vm, GL_ERR_VALUE, j->span, "Circular reference detected");
    if (j->depth >= S_JSON_MAX_DEPTH)
        gl_vm_error(j->vm, GL_ERR_LIMIT, j->span, "tojson: value nested too deeply");
    j->stack[j->depth++] = p;
}

/* Separator before item i of a container at the current depth */
static void s_json_sep(s_json *j, uint32_t i)
{
    if (i > 0)
        gl_sb_adds(j->b, j->indent.kind == GL_STR ? "," : ", ");
    if (j->indent.kind == GL_STR)
        s_json_newline(j, j->depth);
}

static void s_json_key(s_json *j, gl_value k)
{
    switch (k.kind) {
    case GL_STR: s_json_str(j->b, k); return;
    case GL_BOOL: gl_sb_adds(j->b, k.u.b ? "\"true\"" : "\"false\""); return;
    case GL_NONE: gl_sb_adds(j->b, "\"null\""); return;
    case GL_INT: gl_sb_printf(j->b, "\"%" PRId64 "\"", k.u.i); return;
    case GL_FLOAT:
        gl_sb_addc(j->b, '"');
        s_json_float(j->b, k.u.f);
        gl_sb_addc(j->b, '"');
        return;
    default:
        gl_vm_error(j->vm, GL_ERR_TYPE, j->span,
                    "keys must be str, int, float, bool or None, not %s", gl_type_name(k));
    }
}

/* A list's items (keys NULL), or a dict's keys and values in the given order: the
 * brackets, separators and indentation, with the cycle check. */
static void s_json_items(s_json *j, const void *container, const gl_value *keys,
                         const gl_value *vals, const uint32_t *order, uint32_t n)
{
    const char *brackets = keys ? "{}" : "[]";
    if (n == 0) {
        gl_sb_adds(j->b, brackets);
        return;
    }
    s_json_enter(j, container);
    gl_sb_addc(j->b, brackets[0]);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t at = order ? order[i] : i;
        s_json_sep(j, i);
        if (keys) {
            s_json_key(j, keys[at]);
            gl_sb_adds(j->b, ": ");
        }
        s_json_value(j, vals[at]);
    }
    j->depth--;
    if (j->indent.kind == GL_STR)
        s_json_newline(j, j->depth);
    gl_sb_addc(j->b, brackets[1]);
}

/* sort_keys=True */
static void s_json_dict(s_json *j, const gl_dict *d)
{
    gl_value *keys = gl_vm_alloc(j->vm, (d->count + 1) * sizeof(gl_value));
    gl_value *vals = gl_vm_alloc(j->vm, (d->count + 1) * sizeof(gl_value));
    uint32_t n = 0;
    for (uint32_t i = 0; i < d->nentries; i++) {
        if (d->entries[i].live) {
            keys[n] = d->entries[i].key;
            vals[n++] = d->entries[i].value;
        }
    }
    s_sorter s = {j->vm, j->span, keys, false, false};
    s_json_items(j, d, keys, vals, s_sort_order(&s, n), n);
}

static void s_json_value(s_json *j, gl_value v)
{
    switch (v.kind) {
    case GL_NONE: gl_sb_adds(j->b, "null"); return;
    case GL_BOOL: gl_sb_adds(j->b, v.u.b ? "true" : "false"); return;
    case GL_INT: gl_sb_printf(j->b, "%" PRId64, v.u.i); return;
    case GL_FLOAT: s_json_float(j->b, v.u.f); return;
    case GL_STR: s_json_str(j->b, v); return;
    case GL_LIST: case GL_TUPLE:
        if (s_is_generator(v))
            break;
        s_json_items(j, v.u.list, NULL, v.u.list->items, NULL, v.u.list->len);
        return;
    case GL_DICT: s_json_dict(j, v.u.dict); return;
    default:
        break;
    }
    gl_vm_error(j->vm, GL_ERR_TYPE, j->span, "Object of type %s is not JSON serializable",
                s_is_generator(v) ? "generator" : gl_type_name(v));
}

static gl_value s_filter_tojson(gl_vm *vm, gl_value v, const gl_args *a)
{
    S_NAMES("indent");
    gl_value p[1];
    gl_args_bind(vm, a, "do_tojson", names, 0, p);
    gl_sb b, ind;
    gl_sb_init(&b, vm, a->span);
    gl_sb_init(&ind, vm, a->span);
    s_json j = {vm, a->span, &b, gl_missing(), NULL, 0};
    j.stack = gl_vm_alloc(vm, S_JSON_MAX_DEPTH * sizeof(void *));
    if (p[0].kind == GL_STR) {
        j.indent = p[0];
    } else if (s_given(p[0])) {
        int64_t n = s_int_arg(vm, a, p[0], "tojson", 0);
        if (n > 4096)
            gl_vm_error(vm, GL_ERR_LIMIT, a->span, "tojson: indent is too large");
        gl_sb_repeat(&ind, " ", 1, n);
        j.indent = gl_sb_value(&ind, 0);
    }
    s_json_value(&j, v);
    return gl_sb_value(&b, GL_F_SAFE);
}

/* ------------------------------------------------------------------------------------
 * pprint: pprint.pformat(width=80, indent=1, sort_dicts=True) */

typedef struct s_pp {
    gl_vm *vm;
    gl_span span;
    gl_sb *out;
} s_pp;

#define S_PP_WIDTH 80

/* Can Python order a and b with '<' without a TypeError? */
static bool s_orderable(gl_value a, gl_value b)
{
    if (gl_is_number(a) && gl_is_number(b))
        return true;
    if (a.kind == GL_STR && b.kind == GL_STR)
        return true;
    if ((a.kind == GL_LIST || a.kind == GL_TUPLE) && a.kind == b.kind) {
        uint32_t n = a.u.list->len < b.u.list->len ? a.u.list->len : b.u.list->len;
        for (uint32_t i = 0; i < n; i++)
            if (!gl_equal(a.u.list->items[i], b.u.list->items[i]))
                return s_orderable(a.u.list->items[i], b.u.list->items[i]);
        return true;
    }
    return false;
}

/* pprint's _safe_key: '<' when it works, else by type name */
static bool s_safe_lt(gl_vm *vm, gl_value a, gl_value b, gl_span span)
{
    if (s_orderable(a, b)) {
        if (a.kind == GL_LIST || a.kind == GL_TUPLE)
            return s_seq_lt(vm, a, b, span);
        return s_lt(vm, a, b, span);
    }
    return strcmp(gl_type_name(a), gl_type_name(b)) < 0;
}

/* The live keys of d in pprint's order (insertion sort: dicts printed are small) */
static uint32_t *s_pp_key_order(s_pp *pp, const gl_dict *d, uint32_t *n)
{
    uint32_t *o = gl_vm_alloc(pp->vm, (d->count + 1) * sizeof(uint32_t));
    *n = 0;
    for (uint32_t i = 0; i < d->nentries; i++) {
        if (!d->entries[i].live)
            continue;
        uint32_t k = (*n)++;
        while (k > 0 && s_safe_lt(pp->vm, d->entries[i].key, d->entries[o[k - 1]].key,
                                  pp->span)) {
            o[k] = o[k - 1];
            k--;
        }
        o[k] = i;
    }
    return o;
}

static void s_pp_repr(s_pp *pp, gl_sb *b, gl_value v, uint32_t depth)
{
    if (depth > 200)
        gl_vm_error(pp->vm, GL_ERR_LIMIT, pp->span, "pprint: value nested too deeply");
    if (v.kind == GL_DICT) {
        uint32_t n, *o = s_pp_key_order(pp, v.u.dict, &n);
        gl_sb_addc(b, '{');
        for (uint32_t i = 0; i < n; i++) {
            if (i > 0)
                gl_sb_adds(b, ", ");
            s_pp_repr(pp, b, v.u.dict->entries[o[i]].key, depth + 1);
            gl_sb_adds(b, ": ");
            s_pp_repr(pp, b, v.u.dict->entries[o[i]].value, depth + 1);
        }
        gl_sb_addc(b, '}');
    } else if ((v.kind == GL_LIST || v.kind == GL_TUPLE) && !(v.flags & GL_F_GROUPTUPLE)) {
        gl_sb_addc(b, v.kind == GL_LIST ? '[' : '(');
        for (uint32_t i = 0; i < v.u.list->len; i++) {
            if (i > 0)
                gl_sb_adds(b, ", ");
            s_pp_repr(pp, b, v.u.list->items[i], depth + 1);
        }
        if (v.kind == GL_TUPLE && v.u.list->len == 1)
            gl_sb_addc(b, ',');
        gl_sb_addc(b, v.kind == GL_LIST ? ']' : ')');
    } else {
        s_sb_repr(b, v);
    }
}

static gl_value s_pp_repr_value(s_pp *pp, gl_value v)
{
    gl_sb b;
    gl_sb_init(&b, pp->vm, pp->span);
    s_pp_repr(pp, &b, v, 0);
    return gl_sb_value(&b, 0);
}

static int64_t s_cp_len(gl_value s) { return (int64_t)gl_utf8_count(s.u.s, s.len); }

static void s_pp_format(s_pp *pp, gl_value v, int64_t indent, int64_t allowance, int level);

static void s_pp_newline(s_pp *pp, int64_t indent)
{
    gl_sb_adds(pp->out, ",\n");
    gl_sb_repeat(pp->out, " ", 1, indent);
}

static void s_pp_dict(s_pp *pp, const gl_dict *d, int64_t indent, int64_t allowance, int level)
{
    gl_sb_addc(pp->out, '{');
    uint32_t n, *o = s_pp_key_order(pp, d, &n);
    indent += 1;
    allowance += 1;
    for (uint32_t i = 0; i < n; i++) {
        gl_value rep = s_pp_repr_value(pp, d->entries[o[i]].key);
        gl_sb_addv(pp->out, rep);
        gl_sb_adds(pp->out, ": ");
        bool last = i + 1 == n;
        s_pp_format(pp, d->entries[o[i]].value, indent + s_cp_len(rep) + 2,
                    last ? allowance : 1, level);
        if (!last)
            s_pp_newline(pp, indent);
    }
    gl_sb_addc(pp->out, '}');
}

static void s_pp_items(s_pp *pp, const gl_list *l, int64_t indent, int64_t allowance,
                       int level)
{
    indent += 1;
    for (uint32_t i = 0; i < l->len; i++) {
        if (i > 0)
            s_pp_newline(pp, indent);
        s_pp_format(pp, l->items[i], indent, i + 1 == l->len ? allowance : 1, level);
    }
}

/* End of the run of s from byte i whose characters are (not) whitespace */
static uint32_t s_skip_space(gl_value s, uint32_t i, bool space)
{
    while (i < s.len) {
        int32_t cp;
        int k = gl_utf8_decode(s.u.s + i, s.len - i, &cp);
        if (gl_py_isspace(cp) != space)
            break;
        i += (uint32_t)k;
    }
    return i;
}

/* One line of a long string as pieces that fit the width (pprint's _pprint_str) */
static void s_pp_str_chunks(s_pp *pp, gl_value s, int64_t width, int64_t allowance,
                            bool last_line, gl_value *chunks, uint32_t *nc)
{
    gl_value rep = s_pp_repr_value(pp, s);
    if (s_cp_len(rep) <= width - (last_line ? allowance : 0)) {
        chunks[(*nc)++] = rep;
        return;
    }
    /* parts: a run of non-space then a run of space (re.findall(r'\S*\s*')) */
    uint32_t i = 0, cur = 0;
    while (i < s.len) {
        uint32_t j = s_skip_space(s, s_skip_space(s, i, false), true);
        int64_t w = width - ((j == s.len && last_line) ? allowance : 0);
        gl_value cand = s_pp_repr_value(pp, gl_str(s.u.s + cur, j - cur));
        if (s_cp_len(cand) > w) {
            if (i > cur)
                chunks[(*nc)++] = s_pp_repr_value(pp, gl_str(s.u.s + cur, i - cur));
            cur = i;
        }
        i = j;
    }
    if (cur < s.len)
        chunks[(*nc)++] = s_pp_repr_value(pp, gl_str(s.u.s + cur, s.len - cur));
}

static void s_pp_str(s_pp *pp, gl_value s, int64_t indent, int64_t allowance, int level)
{
    if (s.len == 0) {
        s_sb_repr(pp->out, s);
        return;
    }
    if (level == 1) {
        indent += 1;
        allowance += 1;
    }
    /* lines with their ends (splitlines(True)) */
    s_cps c = s_decode(pp->vm, s);
    gl_value *chunks = gl_vm_alloc(pp->vm, (c.n + 2) * sizeof(gl_value));
    uint32_t nc = 0;
    size_t byte = 0, line_byte = 0;
    for (size_t i = 0; i < c.n; i++) {
        size_t w = c.c[i] < 0x80 ? 1 : c.c[i] < 0x800 ? 2 : c.c[i] < 0x10000 ? 3 : 4;
        byte += w;
        bool end = i + 1 == c.n;
        bool brk = gl_py_islinebreak(c.c[i]) && !(c.c[i] == '\r' && !end && c.c[i + 1] == '\n');
        if (!brk && !end)
            continue;
        s_pp_str_chunks(pp, gl_str(s.u.s + line_byte, byte - line_byte), S_PP_WIDTH - indent,
                        allowance, end, chunks, &nc);
        line_byte = byte;
    }
    if (nc == 1) {
        gl_sb_addv(pp->out, chunks[0]);
        return;
    }
    if (level == 1)
        gl_sb_addc(pp->out, '(');
    for (uint32_t i = 0; i < nc; i++) {
        if (i > 0) {
            gl_sb_addc(pp->out, '\n');
            gl_sb_repeat(pp->out, " ", 1, indent);
        }
        gl_sb_addv(pp->out, chunks[i]);
    }
    if (level == 1)
        gl_sb_addc(pp->out, ')');
}

static void s_pp_format(s_pp *pp, gl_value v, int64_t indent, int64_t allowance, int level)
{
    if (level > 200)
        gl_vm_error(pp->vm, GL_ERR_LIMIT, pp->span, "pprint: value nested too deeply");
    gl_value rep = s_pp_repr_value(pp, v);
    if (s_cp_len(rep) <= S_PP_WIDTH - indent - allowance || (v.flags & GL_F_GROUPTUPLE)) {
        gl_sb_addv(pp->out, rep);
        return;
    }
    switch (v.kind) {
    case GL_DICT:
        s_pp_dict(pp, v.u.dict, indent, allowance, level + 1);
        return;
    case GL_LIST:
        gl_sb_addc(pp->out, '[');
        s_pp_items(pp, v.u.list, indent, allowance + 1, level + 1);
        gl_sb_addc(pp->out, ']');
        return;
    case GL_TUPLE:
        gl_sb_addc(pp->out, '(');
        s_pp_items(pp, v.u.list, indent, allowance + (v.u.list->len == 1 ? 2 : 1), level + 1);
        gl_sb_adds(pp->out, v.u.list->len == 1 ? ",)" : ")");
        return;
    case GL_STR:
        if (!(v.flags & GL_F_SAFE)) {
            s_pp_str(pp, v, indent, allowance, level + 1);
            return;
        }
        break;
    default:
        break;
    }
    gl_sb_addv(pp->out, rep);
}

static gl_value s_filter_pprint(gl_vm *vm, gl_value v, const gl_args *a)
{
    s_noargs(vm, a, "do_pprint");
    gl_sb b;
    gl_sb_init(&b, vm, a->span);
    s_pp pp = {vm, a->span, &b};
    s_pp_format(&pp, v, 0, 0, 0);
    return gl_sb_value(&b, 0);
}

/* ------------------------------------------------------------------------------------
 * urlencode, xmlattr */

/* urllib.parse.quote of the UTF-8 bytes; for_qs: nothing is safe and ' ' is '+' */
static void s_sb_quote(gl_sb *b, gl_value s, bool for_qs)
{
    static const char hex[] = "0123456789ABCDEF";
    for (uint32_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.u.s[i];
        bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == '-' || c == '~' || (c == '/' && !for_qs);
        if (keep) {
            gl_sb_addc(b, (char)c);
        } else if (c == ' ' && for_qs) {
            gl_sb_addc(b, '+');
        } else {
            char t[3] = {'%', hex[c >> 4], hex[c & 15]};
            gl_sb_add(b, t, 3);
        }
    }
}

static void s_urlencode_pair(gl_vm *vm, gl_sb *b, gl_value pair, gl_span span)
{
    gl_list *kv = gl_iterate(vm, pair, span);
    if (kv->len > 2)
        gl_vm_error(vm, GL_ERR_VALUE, span, "too many values to unpack (expected 2)");
    if (kv->len < 2)
        gl_vm_error(vm, GL_ERR_VALUE, span, "not enough values to unpack (expected 2, got %u)",
                    kv->len);
    s_sb_quote(b, gl_to_str(vm, kv->items[0]), true);
    gl_sb_addc(b, '=');
    s_sb_quote(b, gl_to_str(vm, kv->items[1]), true);
}

static gl_value s_filter_urlencode(gl_vm *vm, gl_value v, const gl_args *a)
{
    s_noargs(vm, a, "do_urlencode");
    gl_sb b;
    gl_sb_init(&b, vm, a->span);
    if (v.kind == GL_DICT) {
        const gl_dict *d = v.u.dict;
        bool first = true;
        for (uint32_t i = 0; i < d->nentries; i++) {
            if (!d->entries[i].live)
                continue;
            if (!first)
                gl_sb_addc(&b, '&');
            first = false;
            s_sb_quote(&b, gl_to_str(vm, d->entries[i].key), true);
            gl_sb_addc(&b, '=');
            s_sb_quote(&b, gl_to_str(vm, d->entries[i].value), true);
        }
    } else if (v.kind == GL_LIST || v.kind == GL_TUPLE || v.kind == GL_UNDEFINED) {
        gl_list *l = gl_iterate(vm, v, a->span);
        for (uint32_t i = 0; i < l->len; i++) {
            if (i > 0)
                gl_sb_addc(&b, '&');
            s_urlencode_pair(vm, &b, l->items[i], a->span);
        }
    } else {
        s_sb_quote(&b, gl_to_str(vm, v), false);
    }
    return gl_sb_value(&b, 0);
}

/* the characters that end an attribute name in HTML: [\s/>=] (ASCII \s) */
static bool s_bad_attr_key(gl_value k)
{
    for (uint32_t i = 0; i < k.len; i++) {
        char c = k.u.s[i];
        if (c == ' ' || (c >= '\t' && c <= '\r') || c == '/' || c == '>' || c == '=')
            return true;
    }
    return false;
}

static gl_value s_filter_xmlattr(gl_vm *vm, gl_value v, const gl_args *a)
{
    S_NAMES("autospace");
    gl_value p[1];
    gl_args_bind(vm, a, "do_xmlattr", names, 0, p);
    s_need(vm, v, GL_DICT, "items", a->span);
    gl_sb b;
    gl_sb_init(&b, vm, a->span);
    const gl_dict *d = v.u.dict;
    for (uint32_t i = 0; i < d->nentries; i++) {
        gl_value k = d->entries[i].key, x = d->entries[i].value;
        if (!d->entries[i].live || x.kind == GL_NONE || x.kind == GL_UNDEFINED)
            continue;
        if (k.kind != GL_STR)
            gl_vm_error(vm, GL_ERR_TYPE, a->span, "expected string or bytes-like object, got '%s'",
                        gl_type_name(k));
        if (s_bad_attr_key(k)) {
            gl_sb r;
            gl_sb_init(&r, vm, a->span);
            s_sb_repr(&r, k);
            gl_vm_error(vm, GL_ERR_VALUE, a->span, "Invalid character in attribute name: %.*s",
                        (int)r.len, r.p);
        }
        gl_sb_addc(&b, ' ');
        gl_sb_addv(&b, gl_sb_escape(vm, k, a->span));
        gl_sb_adds(&b, "=\"");
        gl_sb_addv(&b, gl_sb_escape(vm, x, a->span));
        gl_sb_addc(&b, '"');
    }
    if (b.len > 0 && !gl_arg_bool(p[0], true))
        return gl_str(b.p + 1, b.len - 1);
    return gl_sb_value(&b, 0);
}

/* ------------------------------------------------------------------------------------
 * striptags: remove comments and tags, collapse whitespace, html.unescape */

typedef struct s_entity { const char *name; const char *text; } s_entity;

/* html.entities.html5 restricted to the HTML 4 names (plus &apos;) and the legacy
 * names that need no semicolon; sorted by name (strcmp). */
static const s_entity s_entities[] = {
    {"AElig", "\xc3\x86"},
    {"AElig;", "\xc3\x86"},
    {"AMP", "&"},
    {"Aacute", "\xc3\x81"},
    {"Aacute;", "\xc3\x81"},
    {"Acirc", "\xc3\x82"},
    {"Acirc;", "\xc3\x82"},
    {"Agrave", "\xc3\x80"},
    {"Agrave;", "\xc3\x80"},
    {"Alpha;", "\xce\x91"},
    {"Aring", "\xc3\x85"},
    {"Aring;", "\xc3\x85"},
    {"Atilde", "\xc3\x83"},
    {"Atilde;", "\xc3\x83"},
    {"Auml", "\xc3\x84"},
    {"Auml;", "\xc3\x84"},
    {"Beta;", "\xce\x92"},
    {"COPY", "\xc2\xa9"},
    {"Ccedil", "\xc3\x87"},
    {"Ccedil;", "\xc3\x87"},
    {"Chi;", "\xce\xa7"},
    {"Dagger;", "\xe2\x80\xa1"},
    {"Delta;", "\xce\x94"},
    {"ETH", "\xc3\x90"},
    {"ETH;", "\xc3\x90"},
    {"Eacute", "\xc3\x89"},
    {"Eacute;", "\xc3\x89"},
    {"Ecirc", "\xc3\x8a"},
    {"Ecirc;", "\xc3\x8a"},
    {"Egrave", "\xc3\x88"},
    {"Egrave;", "\xc3\x88"},
    {"Epsilon;", "\xce\x95"},
    {"Eta;", "\xce\x97"},
    {"Euml", "\xc3\x8b"},
    {"Euml;", "\xc3\x8b"},
    {"GT", ">"},
    {"Gamma;", "\xce\x93"},
    {"Iacute", "\xc3\x8d"},
    {"Iacute;", "\xc3\x8d"},
    {"Icirc", "\xc3\x8e"},
    {"Icirc;", "\xc3\x8e"},
    {"Igrave", "\xc3\x8c"},
    {"Igrave;", "\xc3\x8c"},
    {"Iota;", "\xce\x99"},
    {"Iuml", "\xc3\x8f"},
    {"Iuml;", "\xc3\x8f"},
    {"Kappa;", "\xce\x9a"},
    {"LT", "<"},
    {"Lambda;", "\xce\x9b"},
    {"Mu;", "\xce\x9c"},
    {"Ntilde", "\xc3\x91"},
    {"Ntilde;", "\xc3\x91"},
    {"Nu;", "\xce\x9d"},
    {"OElig;", "\xc5\x92"},
    {"Oacute", "\xc3\x93"},
    {"Oacute;", "\xc3\x93"},
    {"Ocirc", "\xc3\x94"},
    {"Ocirc;", "\xc3\x94"},
    {"Ograve", "\xc3\x92"},
    {"Ograve;", "\xc3\x92"},
    {"Omega;", "\xce\xa9"},
    {"Omicron;", "\xce\x9f"},
    {"Oslash", "\xc3\x98"},
    {"Oslash;", "\xc3\x98"},
    {"Otilde", "\xc3\x95"},
    {"Otilde;", "\xc3\x95"},
    {"Ouml", "\xc3\x96"},
    {"Ouml;", "\xc3\x96"},
    {"Phi;", "\xce\xa6"},
    {"Pi;", "\xce\xa0"},
    {"Prime;", "\xe2\x80\xb3"},
    {"Psi;", "\xce\xa8"},
    {"QUOT", "\x22"},
    {"REG", "\xc2\xae"},
    {"Rho;", "\xce\xa1"},
    {"Scaron;", "\xc5\xa0"},
    {"Sigma;", "\xce\xa3"},
    {"THORN", "\xc3\x9e"},
    {"THORN;", "\xc3\x9e"},
    {"Tau;", "\xce\xa4"},
    {"Theta;", "\xce\x98"},
    {"Uacute", "\xc3\x9a"},
    {"Uacute;", "\xc3\x9a"},
    {"Ucirc", "\xc3\x9b"},
    {"Ucirc;", "\xc3\x9b"},
    {"Ugrave", "\xc3\x99"},
    {"Ugrave;", "\xc3\x99"},
    {"Upsilon;", "\xce\xa5"},
    {"Uuml", "\xc3\x9c"},
    {"Uuml;", "\xc3\x9c"},
    {"Xi;", "\xce\x9e"},
    {"Yacute", "\xc3\x9d"},
    {"Yacute;", "\xc3\x9d"},
    {"Yuml;", "\xc5\xb8"},
    {"Zeta;", "\xce\x96"},
    {"aacute", "\xc3\xa1"},
    {"aacute;", "\xc3\xa1"},
    {"acirc", "\xc3\xa2"},
    {"acirc;", "\xc3\xa2"},
    {"acute", "\xc2\xb4"},
    {"acute;", "\xc2\xb4"},
    {"aelig", "\xc3\xa6"},
    {"aelig;", "\xc3\xa6"},
    {"agrave", "\xc3\xa0"},
    {"agrave;", "\xc3\xa0"},
    {"alefsym;", "\xe2\x84\xb5"},
    {"alpha;", "\xce\xb1"},
    {"amp", "&"},
    {"amp;", "&"},
    {"and;", "\xe2\x88\xa7"},
    {"ang;", "\xe2\x88\xa0"},
    {"apos;", "'"},
    {"aring", "\xc3\xa5"},
    {"aring;", "\xc3\xa5"},
    {"asymp;", "\xe2\x89\x88"},
    {"atilde", "\xc3\xa3"},
    {"atilde;", "\xc3\xa3"},
    {"auml", "\xc3\xa4"},
    {"auml;", "\xc3\xa4"},
    {"bdquo;", "\xe2\x80\x9e"},
    {"beta;", "\xce\xb2"},
    {"brvbar", "\xc2\xa6"},
    {"brvbar;", "\xc2\xa6"},
    {"bull;", "\xe2\x80\xa2"},
    {"cap;", "\xe2\x88\xa9"},
    {"ccedil", "\xc3\xa7"},
    {"ccedil;", "\xc3\xa7"},
    {"cedil", "\xc2\xb8"},
    {"cedil;", "\xc2\xb8"},
    {"cent", "\xc2\xa2"},
    {"cent;", "\xc2\xa2"},
    {"chi;", "\xcf\x87"},
    {"circ;", "\xcb\x86"},
    {"clubs;", "\xe2\x99\xa3"},
    {"cong;", "\xe2\x89\x85"},
    {"copy", "\xc2\xa9"},
    {"copy;", "\xc2\xa9"},
    {"crarr;", "\xe2\x86\xb5"},
    {"cup;", "\xe2\x88\xaa"},
    {"curren", "\xc2\xa4"},
    {"curren;", "\xc2\xa4"},
    {"dArr;", "\xe2\x87\x93"},
    {"dagger;", "\xe2\x80\xa0"},
    {"darr;", "\xe2\x86\x93"},
    {"deg", "\xc2\xb0"},
    {"deg;", "\xc2\xb0"},
    {"delta;", "\xce\xb4"},
    {"diams;", "\xe2\x99\xa6"},
    {"divide", "\xc3\xb7"},
    {"divide;", "\xc3\xb7"},
    {"eacute", "\xc3\xa9"},
    {"eacute;", "\xc3\xa9"},
    {"ecirc", "\xc3\xaa"},
    {"ecirc;", "\xc3\xaa"},
    {"egrave", "\xc3\xa8"},
    {"egrave;", "\xc3\xa8"},
    {"empty;", "\xe2\x88\x85"},
    {"emsp;", "\xe2\x80\x83"},
    {"ensp;", "\xe2\x80\x82"},
    {"epsilon;", "\xce\xb5"},
    {"equiv;", "\xe2\x89\xa1"},
    {"eta;", "\xce\xb7"},
    {"eth", "\xc3\xb0"},
    {"eth;", "\xc3\xb0"},
    {"euml", "\xc3\xab"},
    {"euml;", "\xc3\xab"},
    {"euro;", "\xe2\x82\xac"},
    {"exist;", "\xe2\x88\x83"},
    {"fnof;", "\xc6\x92"},
    {"forall;", "\xe2\x88\x80"},
    {"frac12", "\xc2\xbd"},
    {"frac12;", "\xc2\xbd"},
    {"frac14", "\xc2\xbc"},
    {"frac14;", "\xc2\xbc"},
    {"frac34", "\xc2\xbe"},
    {"frac34;", "\xc2\xbe"},
    {"frasl;", "\xe2\x81\x84"},
    {"gamma;", "\xce\xb3"},
    {"ge;", "\xe2\x89\xa5"},
    {"gt", ">"},
    {"gt;", ">"},
    {"hArr;", "\xe2\x87\x94"},
    {"harr;", "\xe2\x86\x94"},
    {"hearts;", "\xe2\x99\xa5"},
    {"hellip;", "\xe2\x80\xa6"},
    {"iacute", "\xc3\xad"},
    {"iacute;", "\xc3\xad"},
    {"icirc", "\xc3\xae"},
    {"icirc;", "\xc3\xae"},
    {"iexcl", "\xc2\xa1"},
    {"iexcl;", "\xc2\xa1"},
    {"igrave", "\xc3\xac"},
    {"igrave;", "\xc3\xac"},
    {"image;", "\xe2\x84\x91"},
    {"infin;", "\xe2\x88\x9e"},
    {"int;", "\xe2\x88\xab"},
    {"iota;", "\xce\xb9"},
    {"iquest", "\xc2\xbf"},
    {"iquest;", "\xc2\xbf"},
    {"isin;", "\xe2\x88\x88"},
    {"iuml", "\xc3\xaf"},
    {"iuml;", "\xc3\xaf"},
    {"kappa;", "\xce\xba"},
    {"lArr;", "\xe2\x87\x90"},
    {"lambda;", "\xce\xbb"},
    {"lang;", "\xe2\x9f\xa8"},
    {"laquo", "\xc2\xab"},
    {"laquo;", "\xc2\xab"},
    {"larr;", "\xe2\x86\x90"},
    {"lceil;", "\xe2\x8c\x88"},
    {"ldquo;", "\xe2\x80\x9c"},
    {"le;", "\xe2\x89\xa4"},
    {"lfloor;", "\xe2\x8c\x8a"},
    {"lowast;", "\xe2\x88\x97"},
    {"loz;", "\xe2\x97\x8a"},
    {"lrm;", "\xe2\x80\x8e"},
    {"lsaquo;", "\xe2\x80\xb9"},
    {"lsquo;", "\xe2\x80\x98"},
    {"lt", "<"},
    {"lt;", "<"},
    {"macr", "\xc2\xaf"},
    {"macr;", "\xc2\xaf"},
    {"mdash;", "\xe2\x80\x94"},
    {"micro", "\xc2\xb5"},
    {"micro;", "\xc2\xb5"},
    {"middot", "\xc2\xb7"},
    {"middot;", "\xc2\xb7"},
    {"minus;", "\xe2\x88\x92"},
    {"mu;", "\xce\xbc"},
    {"nabla;", "\xe2\x88\x87"},
    {"nbsp", "\xc2\xa0"},
    {"nbsp;", "\xc2\xa0"},
    {"ndash;", "\xe2\x80\x93"},
    {"ne;", "\xe2\x89\xa0"},
    {"ni;", "\xe2\x88\x8b"},
    {"not", "\xc2\xac"},
    {"not;", "\xc2\xac"},
    {"notin;", "\xe2\x88\x89"},
    {"nsub;", "\xe2\x8a\x84"},
    {"ntilde", "\xc3\xb1"},
    {"ntilde;", "\xc3\xb1"},
    {"nu;", "\xce\xbd"},
    {"oacute", "\xc3\xb3"},
    {"oacute;", "\xc3\xb3"},
    {"ocirc", "\xc3\xb4"},
    {"ocirc;", "\xc3\xb4"},
    {"oelig;", "\xc5\x93"},
    {"ograve", "\xc3\xb2"},
    {"ograve;", "\xc3\xb2"},
    {"oline;", "\xe2\x80\xbe"},
    {"omega;", "\xcf\x89"},
    {"omicron;", "\xce\xbf"},
    {"oplus;", "\xe2\x8a\x95"},
    {"or;", "\xe2\x88\xa8"},
    {"ordf", "\xc2\xaa"},
    {"ordf;", "\xc2\xaa"},
    {"ordm", "\xc2\xba"},
    {"ordm;", "\xc2\xba"},
    {"oslash", "\xc3\xb8"},
    {"oslash;", "\xc3\xb8"},
    {"otilde", "\xc3\xb5"},
    {"otilde;", "\xc3\xb5"},
    {"otimes;", "\xe2\x8a\x97"},
    {"ouml", "\xc3\xb6"},
    {"ouml;", "\xc3\xb6"},
    {"para", "\xc2\xb6"},
    {"para;", "\xc2\xb6"},
    {"part;", "\xe2\x88\x82"},
    {"permil;", "\xe2\x80\xb0"},
    {"perp;", "\xe2\x8a\xa5"},
    {"phi;", "\xcf\x86"},
    {"pi;", "\xcf\x80"},
    {"piv;", "\xcf\x96"},
    {"plusmn", "\xc2\xb1"},
    {"plusmn;", "\xc2\xb1"},
    {"pound", "\xc2\xa3"},
    {"pound;", "\xc2\xa3"},
    {"prime;", "\xe2\x80\xb2"},
    {"prod;", "\xe2\x88\x8f"},
    {"prop;", "\xe2\x88\x9d"},
    {"psi;", "\xcf\x88"},
    {"quot", "\x22"},
    {"quot;", "\x22"},
    {"rArr;", "\xe2\x87\x92"},
    {"radic;", "\xe2\x88\x9a"},
    {"rang;", "\xe2\x9f\xa9"},
    {"raquo", "\xc2\xbb"},
    {"raquo;", "\xc2\xbb"},
    {"rarr;", "\xe2\x86\x92"},
    {"rceil;", "\xe2\x8c\x89"},
    {"rdquo;", "\xe2\x80\x9d"},
    {"real;", "\xe2\x84\x9c"},
    {"reg", "\xc2\xae"},
    {"reg;", "\xc2\xae"},
    {"rfloor;", "\xe2\x8c\x8b"},
    {"rho;", "\xcf\x81"},
    {"rlm;", "\xe2\x80\x8f"},
    {"rsaquo;", "\xe2\x80\xba"},
    {"rsquo;", "\xe2\x80\x99"},
    {"sbquo;", "\xe2\x80\x9a"},
    {"scaron;", "\xc5\xa1"},
    {"sdot;", "\xe2\x8b\x85"},
    {"sect", "\xc2\xa7"},
    {"sect;", "\xc2\xa7"},
    {"shy", "\xc2\xad"},
    {"shy;", "\xc2\xad"},
    {"sigma;", "\xcf\x83"},
    {"sigmaf;", "\xcf\x82"},
    {"sim;", "\xe2\x88\xbc"},
    {"spades;", "\xe2\x99\xa0"},
    {"sub;", "\xe2\x8a\x82"},
    {"sube;", "\xe2\x8a\x86"},
    {"sum;", "\xe2\x88\x91"},
    {"sup1", "\xc2\xb9"},
    {"sup1;", "\xc2\xb9"},
    {"sup2", "\xc2\xb2"},
    {"sup2;", "\xc2\xb2"},
    {"sup3", "\xc2\xb3"},
    {"sup3;", "\xc2\xb3"},
    {"sup;", "\xe2\x8a\x83"},
    {"supe;", "\xe2\x8a\x87"},
    {"szlig", "\xc3\x9f"},
    {"szlig;", "\xc3\x9f"},
    {"tau;", "\xcf\x84"},
    {"there4;", "\xe2\x88\xb4"},
    {"theta;", "\xce\xb8"},
    {"thetasym;", "\xcf\x91"},
    {"thinsp;", "\xe2\x80\x89"},
    {"thorn", "\xc3\xbe"},
    {"thorn;", "\xc3\xbe"},
    {"tilde;", "\xcb\x9c"},
    {"times", "\xc3\x97"},
    {"times;", "\xc3\x97"},
    {"trade;", "\xe2\x84\xa2"},
    {"uArr;", "\xe2\x87\x91"},
    {"uacute", "\xc3\xba"},
    {"uacute;", "\xc3\xba"},
    {"uarr;", "\xe2\x86\x91"},
    {"ucirc", "\xc3\xbb"},
    {"ucirc;", "\xc3\xbb"},
    {"ugrave", "\xc3\xb9"},
    {"ugrave;", "\xc3\xb9"},
    {"uml", "\xc2\xa8"},
    {"uml;", "\xc2\xa8"},
    {"upsih;", "\xcf\x92"},
    {"upsilon;", "\xcf\x85"},
    {"uuml", "\xc3\xbc"},
    {"uuml;", "\xc3\xbc"},
    {"weierp;", "\xe2\x84\x98"},
    {"xi;", "\xce\xbe"},
    {"yacute", "\xc3\xbd"},
    {"yacute;", "\xc3\xbd"},
    {"yen", "\xc2\xa5"},
    {"yen;", "\xc2\xa5"},
    {"yuml", "\xc3\xbf"},
    {"yuml;", "\xc3\xbf"},
    {"zeta;", "\xce\xb6"},
    {"zwj;", "\xe2\x80\x8d"},
    {"zwnj;", "\xe2\x80\x8c"},
};

static const char *s_entity_find(const char *name, size_t n)
{
    size_t lo = 0, hi = sizeof s_entities / sizeof *s_entities;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const char *e = s_entities[mid].name;
        int c = strncmp(e, name, n);
        if (c == 0 && e[n] != 0)
            c = 1;
        if (c == 0)
            return s_entities[mid].text;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Windows-1252 replacements of html.unescape's _invalid_charrefs, 0x80..0x9F */
static const uint16_t s_cp1252[32] = {
    0x20AC, 0x81, 0x201A, 0x192, 0x201E, 0x2026, 0x2020, 0x2021, 0x2C6, 0x2030, 0x160,
    0x2039, 0x152, 0x8D, 0x17D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013,
    0x2014, 0x2DC, 0x2122, 0x161, 0x203A, 0x153, 0x9D, 0x17E, 0x178,
};

static bool s_invalid_codepoint(uint64_t c)
{
    return (c >= 0x1 && c <= 0x8) || c == 0xB || (c >= 0xE && c <= 0x1F) ||
           (c >= 0x7F && c <= 0x9F) || (c >= 0xFDD0 && c <= 0xFDEF) ||
           (c & 0xFFFE) == 0xFFFE;
}

static void s_sb_charref(gl_sb *b, uint64_t num)
{
    if (num == 0)
        gl_sb_cp(b, 0xFFFD);
    else if (num == 0x0D)
        gl_sb_addc(b, '\r');
    else if (num >= 0x80 && num <= 0x9F)
        gl_sb_cp(b, s_cp1252[num - 0x80]);
    else if ((num >= 0xD800 && num <= 0xDFFF) || num > 0x10FFFF)
        gl_sb_cp(b, 0xFFFD);
    else if (!s_invalid_codepoint(num))
        gl_sb_cp(b, (int32_t)num);
}

/* &#...; at s[i] (s[i] == '&', s[i+1] == '#'); returns bytes consumed, 0 if none */
static size_t s_charref_num(gl_sb *b, const char *s, size_t n, size_t i)
{
    size_t j = i + 2;
    int base = 10;
    if (j < n && (s[j] == 'x' || s[j] == 'X'))
        base = 16, j++;
    size_t d0 = j;
    uint64_t num = 0;
    while (j < n && s_digit_value(s[j]) < base) {
        if (num <= 0x10FFFF)
            num = num * (uint64_t)base + (uint64_t)s_digit_value(s[j]);
        j++;
    }
    if (j == d0)
        return 0;
    if (j < n && s[j] == ';')
        j++;
    s_sb_charref(b, num);
    return j - i;
}

static bool s_entity_char(char c)
{
    return c != '\t' && c != '\n' && c != '\f' && c != ' ' && c != '<' && c != '&' &&
           c != '#' && c != ';';
}

/* &name at s[i]: the longest known prefix of up to 32 characters; returns bytes used */
static size_t s_charref_named(gl_sb *b, const char *s, size_t n, size_t i)
{
    size_t j = i + 1, chars = 0;
    while (j < n && chars < 32 && s_entity_char(s[j])) {
        int32_t cp;
        j += (size_t)gl_utf8_decode(s + j, n - j, &cp);
        chars++;
    }
    if (chars == 0)
        return 0;
    if (j < n && s[j] == ';')
        j++;
    size_t len = j - i - 1;
    const char *t = s_entity_find(s + i + 1, len);
    if (t) {
        gl_sb_adds(b, t);
        return j - i;
    }
    for (size_t x = len - 1; x >= 2; x--) {
        t = s_entity_find(s + i + 1, x);
        if (t) {
            gl_sb_adds(b, t);
            gl_sb_add(b, s + i + 1 + x, len - x);
            return j - i;
        }
    }
    gl_sb_add(b, s + i, j - i);
    return j - i;
}

/* html.unescape */
static void s_sb_unescape(gl_sb *b, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t used = 0;
        if (s[i] == '&' && i + 1 < n)
            used = s[i + 1] == '#' ? s_charref_num(b, s, n, i) : s_charref_named(b, s, n, i);
        if (used == 0) {
            gl_sb_addc(b, s[i]);
            used = 1;
        }
        i += used;
    }
}

static const char *s_memfind(const char *s, size_t n, const char *pat)
{
    size_t k = strlen(pat);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(s + i, pat, k) == 0)
            return s + i;
    return NULL;
}

/* Removes every non-greedy match of open...close. */
static gl_value s_strip_between(gl_vm *vm, gl_value s, const char *open, const char *close,
                                gl_span span)
{
    gl_sb b;
    gl_sb_init(&b, vm, span);
    const char *p = s.u.s, *end = s.u.s + s.len;
    size_t on = strlen(open);
    for (;;) {
        const char *o = s_memfind(p, (size_t)(end - p), open);
        const char *c = o ? s_memfind(o + on, (size_t)(end - o) - on, close) : NULL;
        if (!c) {
            gl_sb_add(&b, p, (size_t)(end - p));
            break;
        }
        gl_sb_add(&b, p, (size_t)(o - p));
        p = c + strlen(close);
    }
    return gl_sb_value(&b, 0);
}

static gl_value s_filter_striptags(gl_vm *vm, gl_value v, const gl_args *a)
{
    s_noargs(vm, a, "do_striptags");
    gl_value s = s_strip_between(vm, gl_to_str(vm, v), "<!--", "-->", a->span);
    s = s_strip_between(vm, s, "<", ">", a->span);
    gl_sb w;                         /* " ".join(s.split()) */
    gl_sb_init(&w, vm, a->span);
    uint32_t i = s_skip_space(s, 0, true);
    while (i < s.len) {
        uint32_t j = s_skip_space(s, i, false);
        if (w.len > 0)
            gl_sb_addc(&w, ' ');
        gl_sb_add(&w, s.u.s + i, j - i);
        i = s_skip_space(s, j, true);
    }
    gl_sb b;
    gl_sb_init(&b, vm, a->span);
    s_sb_unescape(&b, w.p, w.len);
    return gl_sb_value(&b, 0);
}

/* ------------------------------------------------------------------------------------
 * wordwrap: textwrap.wrap(expand_tabs=False, replace_whitespace=False) per line */

static bool s_tw_space(int32_t c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

static bool s_tw_letter(int32_t c) { return s_is_word(c) && !gl_py_isdecimal(c); }

static bool s_tw_wordpunct(int32_t c)
{
    return s_is_word(c) || c == '!' || c == '"' || c == '\'' || c == '&' || c == '.' ||
           c == ',' || c == '?';
}

/* At i (c[i] == '-'): the hyphenated-word break of textwrap's wordsep_re */
static bool s_tw_hyphen_break(const int32_t *c, size_t n, size_t i)
{
    bool behind = (i >= 2 && s_tw_letter(c[i - 2]) && s_tw_letter(c[i - 1])) ||
                  (i >= 3 && s_tw_letter(c[i - 3]) && c[i - 2] == '-' && s_tw_letter(c[i - 1]));
    if (!behind || i + 1 >= n || !s_tw_letter(c[i + 1]))
        return false;
    size_t k = i + 2;
    if (k < n && c[k] == '-')
        k++;
    return k < n && s_tw_letter(c[k]);
}

/* -{2,} followed by \w, at i */
static size_t s_tw_dashes(const int32_t *c, size_t n, size_t i)
{
    size_t k = i;
    while (k < n && c[k] == '-')
        k++;
    return (k - i >= 2 && k < n && s_is_word(c[k])) ? k - i : 0;
}

/* Length of the chunk of wordsep_re (break_on_hyphens) that starts at i */
static size_t s_tw_chunk(const int32_t *c, size_t n, size_t i, bool hyphens)
{
    size_t k = i;
    if (s_tw_space(c[i])) {
        while (k < n && s_tw_space(c[k]))
            k++;
        return k - i;
    }
    if (!hyphens) {
        while (k < n && !s_tw_space(c[k]))
            k++;
        return k - i;
    }
    if (i > 0 && s_tw_wordpunct(c[i - 1])) {
        size_t d = s_tw_dashes(c, n, i);
        if (d)
            return d;
    }
    /* \S+? then: hyphen break | end of word | before an em-dash */
    for (k = i + 1; k <= n; k++) {
        if (c[k - 1] == '-' && k - 1 > i && s_tw_hyphen_break(c, n, k - 1))
            return k - i;
        if (k == n || s_tw_space(c[k]))
            return k - i;
        if (s_tw_wordpunct(c[k - 1]) && s_tw_dashes(c, n, k))
            return k - i;
    }
    return n - i;
}

typedef struct s_chunk { size_t at, len; } s_chunk;

static bool s_tw_blank(const int32_t *c, s_chunk ch)
{
    for (size_t i = 0; i < ch.len; i++)
        if (!gl_py_isspace(c[ch.at + i]))
            return false;
    return true;
}

typedef struct s_wrap {
    gl_vm *vm;
    gl_sb *out;
    gl_value wrapstring;
    int64_t width;
    bool break_long, hyphens;
    size_t nlines;          /* lines written so far (for the separators) */
} s_wrap;

static void s_wrap_emit(s_wrap *w, const int32_t *c, const s_chunk *line, size_t n)
{
    if (w->nlines++ > 0)
        gl_sb_addv(w->out, w->wrapstring);
    for (size_t i = 0; i < n; i++)
        s_sb_cps(w->out, c + line[i].at, line[i].len);
}

/* _handle_long_word: split the chunk on top of the stack into the current line */
static void s_wrap_long(s_wrap *w, const int32_t *c, s_chunk *top, s_chunk *line, size_t *nl,
                        int64_t cur_len, bool *popped)
{
    int64_t space_left = w->width < 1 ? 1 : w->width - cur_len;
    *popped = false;
    if (w->break_long) {
        size_t end = (size_t)space_left;
        if (w->hyphens && (int64_t)top->len > space_left) {
            size_t h = (size_t)space_left;
            while (h > 0 && c[top->at + h - 1] != '-')
                h--;
            bool nondash = false;
            for (size_t i = 0; h > 1 && i + 1 < h && !nondash; i++)
                nondash = c[top->at + i] != '-';
            if (h > 1 && nondash)
                end = h;
        }
        if (end > top->len)
            end = top->len;
        line[(*nl)++] = (s_chunk){top->at, end};
        top->at += end;
        top->len -= end;
    } else if (*nl == 0) {
        line[(*nl)++] = *top;
        *popped = true;
    }
}

/* _wrap_chunks over chunks[0, n) (consumed from the front) */
static void s_wrap_chunks(s_wrap *w, const int32_t *c, s_chunk *ch, size_t n)
{
    s_chunk *line = gl_vm_alloc(w->vm, (n + 1) * sizeof(s_chunk));
    size_t i = 0, produced = 0;
    while (i < n) {
        size_t nl = 0;
        int64_t cur = 0;
        if (produced > 0 && s_tw_blank(c, ch[i]))
            i++;
        while (i < n && cur + (int64_t)ch[i].len <= w->width) {
            cur += (int64_t)ch[i].len;
            line[nl++] = ch[i++];
        }
        if (i < n && (int64_t)ch[i].len > w->width) {
            bool popped;
            s_wrap_long(w, c, &ch[i], line, &nl, cur, &popped);
            if (popped || ch[i].len == 0)
                i++;
            cur = 0;
            for (size_t k = 0; k < nl; k++)
                cur += (int64_t)line[k].len;
        }
        if (nl > 0 && s_tw_blank(c, line[nl - 1]))
            nl--;
        if (nl > 0) {
            s_wrap_emit(w, c, line, nl);
            produced++;
        }
    }
}

static void s_wrap_paragraph(s_wrap *w, const int32_t *c, size_t n, gl_span span)
{
    if (n == 0)
        return;
    if (w->width <= 0)
        gl_vm_error(w->vm, GL_ERR_VALUE, span, "invalid width %" PRId64 " (must be > 0)",
                    w->width);
    s_chunk *ch = gl_vm_alloc(w->vm, (n + 1) * sizeof(s_chunk));
    size_t nc = 0, i = 0;
    while (i < n) {
        size_t len = s_tw_chunk(c, n, i, w->hyphens);
        ch[nc++] = (s_chunk){i, len};
        i += len;
    }
    s_wrap_chunks(w, c, ch, nc);
}

static gl_value s_filter_wordwrap(gl_vm *vm, gl_value v, const gl_args *a)
{
    S_NAMES("width", "break_long_words", "wrapstring", "break_on_hyphens");
    gl_value p[4];
    gl_args_bind(vm, a, "do_wordwrap", names, 0, p);
    s_need(vm, v, GL_STR, "splitlines", a->span);
    gl_sb b;
    gl_sb_init(&b, vm, a->span);
    s_wrap w = {vm, &b, gl_str("\n", 1), s_int_arg(vm, a, p[0], "wordwrap", 79),
                gl_arg_bool(p[1], true), gl_arg_bool(p[3], true), 0};
    if (s_given(p[2]))
        w.wrapstring = gl_to_str(vm, p[2]);
    s_cps c = s_decode(vm, v);
    size_t *st, *en;
    size_t nl = s_splitlines(vm, c.c, c.n, &st, &en);
    for (size_t i = 0; i < nl; i++) {
        if (i > 0)
            gl_sb_addv(&b, w.wrapstring);
        w.nlines = 0;
        s_wrap_paragraph(&w, c.c + st[i], en[i] - st[i], a->span);
    }
    return gl_sb_value(&b, 0);
}

/* ------------------------------------------------------------------------------------
 * urlize (jinja2.utils.urlize with the default policies: rel "noopener", no target) */

/* The URL and e-mail patterns of jinja2.utils as POSIX EREs over an ASCII image of
 * the word (s_url_image), where \w is [A-Za-z0-9_] and \d is [0-9]. */
static const char s_http_ere[] =
    "^((https?://|www\\.)(([A-Za-z0-9_%-]+\\.)+)?([a-z]{2,63}|xn--[A-Za-z0-9_%]{2,59})"
    "|([A-Za-z0-9_%-]{2,63}\\.)+(com|net|int|edu|gov|org|info|mil)"
    "|(https?://)(([0-9]{1,3})(\\.[0-9]{1,3}){3}"
    "|\\[([0-9a-f]{0,4}:){2}([0-9a-f]{0,4}:?){1,6}]))"
    "(:[0-9]{1,5})?([/?#][^ \t\n\r\f\v]*)?$";
static const char s_email_ere[] = "^[^ \t\n\r\f\v]+@[A-Za-z0-9_][A-Za-z0-9_.-]*\\.[A-Za-z0-9_]+$";

typedef struct s_urlize {
    gl_vm *vm;
    gl_span span;
    regex_t http, email;
    int64_t trim;           /* trim_url_limit, -1 for none */
    gl_value rel_attr, target_attr;   /* ' rel="..."' or '' */
    gl_list *schemes;       /* extra_schemes, or NULL */
} s_urlize;

/* One byte per code point: digits stay digits, other word characters become '_' and
 * everything else non-ASCII becomes \x01, so the ASCII EREs see Python's classes. */
static const char *s_url_image(gl_vm *vm, const char *s, size_t n)
{
    char *img = gl_vm_alloc(vm, n + 1);
    size_t i = 0, k = 0;
    while (i < n) {
        int32_t cp;
        i += (size_t)gl_utf8_decode(s + i, n - i, &cp);
        if (cp < 0x80 && cp > 0)
            img[k++] = (char)cp;
        else
            img[k++] = gl_py_isdecimal(cp) ? '0' : s_is_word(cp) ? '_' : '\x01';
    }
    img[k] = 0;
    return img;
}

static bool s_url_match(s_urlize *u, const regex_t *re, const char *s, size_t n)
{
    return regexec(re, s_url_image(u->vm, s, n), 0, NULL, 0) == 0;
}

static bool s_starts(const char *s, size_t n, const char *p)
{
    size_t k = strlen(p);
    return n >= k && memcmp(s, p, k) == 0;
}

static size_t s_count(const char *s, size_t n, const char *p)
{
    size_t k = strlen(p), c = 0;
    for (size_t i = 0; i + k <= n;) {
        if (memcmp(s + i, p, k) == 0)
            c++, i += k;
        else
            i++;
    }
    return c;
}

static void s_url_trimmed(s_urlize *u, gl_sb *b, const char *s, size_t n)
{
    size_t cps = gl_utf8_count(s, n);
    if (u->trim >= 0 && (int64_t)cps > u->trim) {
        gl_sb_add(b, s, gl_utf8_offset(s, n, (size_t)u->trim));
        gl_sb_adds(b, "...");
    } else {
        gl_sb_add(b, s, n);
    }
}

/* The link for middle, or false when it is no URL */
static bool s_url_link(s_urlize *u, gl_sb *b, const char *m, size_t n)
{
    if (s_url_match(u, &u->http, m, n)) {
        gl_sb_adds(b, "<a href=\"");
        if (!s_starts(m, n, "https://") && !s_starts(m, n, "http://"))
            gl_sb_adds(b, "https://");
        gl_sb_add(b, m, n);
        gl_sb_add(b, "\"", 1);
        gl_sb_addv(b, u->rel_attr);
        gl_sb_addv(b, u->target_attr);
        gl_sb_addc(b, '>');
        s_url_trimmed(u, b, m, n);
        gl_sb_adds(b, "</a>");
        return true;
    }
    if (s_starts(m, n, "mailto:") && s_url_match(u, &u->email, m + 7, n - 7)) {
        gl_sb_adds(b, "<a href=\"");
        gl_sb_add(b, m, n);
        gl_sb_adds(b, "\">");
        gl_sb_add(b, m + 7, n - 7);
        gl_sb_adds(b, "</a>");
        return true;
    }
    if (memchr(m, '@', n) && !s_starts(m, n, "www.") && !memchr(m, ':', n) &&
        s_url_match(u, &u->email, m, n)) {
        gl_sb_adds(b, "<a href=\"mailto:");
        gl_sb_add(b, m, n);
        gl_sb_adds(b, "\">");
        gl_sb_add(b, m, n);
        gl_sb_adds(b, "</a>");
        return true;
    }
    for (uint32_t i = 0; u->schemes && i < u->schemes->len; i++) {
        gl_value sc = u->schemes->items[i];
        if (sc.kind == GL_STR && n > sc.len && s_starts(m, n, s_cstr(u->vm, sc))) {
            gl_sb_adds(b, "<a href=\"");
            gl_sb_add(b, m, n);
            gl_sb_add(b, "\"", 1);
            gl_sb_addv(b, u->rel_attr);
            gl_sb_addv(b, u->target_attr);
            gl_sb_addc(b, '>');
            gl_sb_add(b, m, n);
            gl_sb_adds(b, "</a>");
            return true;
        }
    }
    return false;
}

/* Length of the trailing punctuation ([)>.,\n]|&gt;)+$ of w[0, n) */
static size_t s_url_tail(gl_vm *vm, const char *w, size_t n)
{
    bool *ok = gl_vm_alloc(vm, n + 1);
    ok[n] = true;
    size_t best = n;
    for (size_t i = n; i > 0; i--) {
        size_t p = i - 1;
        bool one = strchr(")>.,\n", w[p]) != NULL && w[p] != 0 && ok[p + 1];
        bool gt = p + 4 <= n && memcmp(w + p, "&gt;", 4) == 0 && ok[p + 4];
        ok[p] = one || gt;
    }
    for (size_t p = 0; p < n; p++) {
        if (ok[p]) {
            best = p;
            break;
        }
    }
    return n - best;
}

/* Moves end_char groups from the tail back into the middle to balance start_char */
static void s_url_balance(const char *w, size_t h, size_t *mid_end, size_t tail_end,
                          const char *open, const char *close)
{
    size_t starts = s_count(w + h, *mid_end - h, open);
    if (starts <= s_count(w + h, *mid_end - h, close))
        return;
    size_t moves = s_count(w + *mid_end, tail_end - *mid_end, close);
    if (moves > starts)
        moves = starts;
    size_t cl = strlen(close);
    for (size_t k = 0; k < moves; k++) {
        const char *t = s_memfind(w + *mid_end, tail_end - *mid_end, close);
        *mid_end = (size_t)(t - w) + cl;
    }
}

static void s_urlize_word(s_urlize *u, gl_sb *b, const char *w, size_t n)
{
    size_t h = 0;
    for (;;) {
        if (h < n && (w[h] == '(' || w[h] == '<'))
            h++;
        else if (n - h >= 4 && memcmp(w + h, "&lt;", 4) == 0)
            h += 4;
        else
            break;
    }
    size_t mid_end = n - s_url_tail(u->vm, w + h, n - h);
    s_url_balance(w, h, &mid_end, n, "(", ")");
    s_url_balance(w, h, &mid_end, n, "<", ">");
    s_url_balance(w, h, &mid_end, n, "&lt;", "&gt;");
    gl_sb_add(b, w, h);
    if (!s_url_link(u, b, w + h, mid_end - h))
        gl_sb_add(b, w + h, mid_end - h);
    gl_sb_add(b, w + mid_end, n - mid_end);
}

static bool s_valid_scheme(gl_value s)
{
    /* ^([\w.+-]{2,}:(/){0,2})$ */
    uint32_t i = 0, k = 0;
    while (i < s.len) {
        int32_t cp;
        int w = gl_utf8_decode(s.u.s + i, s.len - i, &cp);
        if (!(s_is_word(cp) || cp == '.' || cp == '+' || cp == '-'))
            break;
        i += (uint32_t)w;
        k++;
    }
    if (k < 2 || i >= s.len || s.u.s[i] != ':')
        return false;
    uint32_t slashes = s.len - i - 1;
    for (uint32_t j = i + 1; j < s.len; j++)
        if (s.u.s[j] != '/')
            return false;
    return slashes <= 2;
}

static void s_urlize_attrs(s_urlize *u, gl_value nofollow, gl_value target, gl_value rel)
{
    /* rel: the sorted set of rel's words, "nofollow" and the policy's "noopener" */
    gl_value words = gl_list_new(u->vm, 0);
    gl_value r = s_given(rel) ? gl_to_str(u->vm, rel) : gl_str("", 0);
    uint32_t i = s_skip_space(r, 0, true);
    while (i < r.len) {
        uint32_t j = s_skip_space(r, i, false);
        gl_list_push(u->vm, words.u.list, gl_str(r.u.s + i, j - i));
        i = s_skip_space(r, j, true);
    }
    if (gl_truthy(nofollow))
        gl_list_push(u->vm, words.u.list, gl_str("nofollow", 8));
    gl_list_push(u->vm, words.u.list, gl_str("noopener", 8));
    gl_list *l = words.u.list;
    gl_value sorted = s_sorted(u->vm, l->items, l->items, l->len, false, false, u->span);
    gl_sb b;
    gl_sb_init(&b, u->vm, u->span);
    gl_sb_adds(&b, " rel=\"");
    for (uint32_t k = 0; k < sorted.u.list->len; k++) {
        gl_value x = sorted.u.list->items[k];
        if (k > 0 && gl_equal(x, sorted.u.list->items[k - 1]))
            continue;
        if (k > 0)
            gl_sb_addc(&b, ' ');
        gl_sb_add_html(&b, x.u.s, x.len);
    }
    gl_sb_addc(&b, '"');
    u->rel_attr = gl_sb_value(&b, 0);
    u->target_attr = gl_str("", 0);
    if (s_given(target) && gl_truthy(target)) {
        gl_sb t;
        gl_sb_init(&t, u->vm, u->span);
        gl_sb_adds(&t, " target=\"");
        gl_sb_addv(&t, gl_sb_escape(u->vm, target, u->span));
        gl_sb_addc(&t, '"');
        u->target_attr = gl_sb_value(&t, 0);
    }
}

static void s_urlize_text(s_urlize *u, gl_sb *b, gl_value text)
{
    uint32_t i = 0;
    while (i < text.len) {
        uint32_t j = s_skip_space(text, i, false);
        s_urlize_word(u, b, text.u.s + i, j - i);
        uint32_t k = s_skip_space(text, j, true);
        gl_sb_add(b, text.u.s + j, k - j);
        i = k;
    }
}

static gl_value s_filter_urlize(gl_vm *vm, gl_value v, const gl_args *a)
{
    S_NAMES("trim_url_limit", "nofollow", "target", "rel", "extra_schemes");
    gl_value p[5];
    gl_args_bind(vm, a, "do_urlize", names, 0, p);
    s_urlize u;
    memset(&u, 0, sizeof u);
    u.vm = vm;
    u.span = a->span;
    u.trim = s_given(p[0]) ? s_int_arg(vm, a, p[0], "urlize", -1) : -1;
    s_urlize_attrs(&u, p[1], p[2], p[3]);
    if (s_given(p[4])) {
        u.schemes = gl_iterate(vm, p[4], a->span);
        for (uint32_t i = 0; i < u.schemes->len; i++) {
            gl_value sc = u.schemes->items[i];
            if (sc.kind != GL_STR || !s_valid_scheme(sc)) {
                gl_sb r;
                gl_sb_init(&r, vm, a->span);
                s_sb_repr(&r, sc);
                gl_vm_error(vm, S_ERR_FILTER_ARG, a->span,
                            "%.*s is not a valid URI scheme prefix.", (int)r.len, r.p);
            }
        }
    }
    gl_value text = gl_sb_escape(vm, v, a->span);
    gl_sb b;
    gl_sb_init(&b, vm, a->span);
    if (regcomp(&u.http, s_http_ere, REG_EXTENDED | REG_ICASE | REG_NOSUB) != 0)
        gl_vm_error(vm, GL_ERR_RUNTIME, a->span, "urlize: cannot compile the URL pattern");
    if (regcomp(&u.email, s_email_ere, REG_EXTENDED | REG_NOSUB) != 0) {
        regfree(&u.http);
        gl_vm_error(vm, GL_ERR_RUNTIME, a->span, "urlize: cannot compile the e-mail pattern");
    }
    /* nothing below raises: only arena allocation, which aborts on failure */
    s_urlize_text(&u, &b, text);
    regfree(&u.http);
    regfree(&u.email);
    return gl_sb_value(&b, 0);
}

/* ------------------------------------------------------------------------------------
 * The table (jinja2.filters.FILTERS) */

const gl_builtin_filter gl_builtin_filters[] = {
    {"abs", s_filter_abs},
    {"attr", s_filter_attr},
    {"batch", s_filter_batch},
    {"capitalize", s_filter_capitalize},
    {"center", s_filter_center},
    {"count", s_filter_length},
    {"d", s_filter_default},
    {"default", s_filter_default},
    {"dictsort", s_filter_dictsort},
    {"e", s_filter_escape},
    {"escape", s_filter_escape},
    {"filesizeformat", s_filter_filesizeformat},
    {"first", s_filter_first},
    {"float", s_filter_float},
    {"forceescape", s_filter_forceescape},
    {"format", s_filter_format},
    {"groupby", s_filter_groupby},
    {"indent", s_filter_indent},
    {"int", s_filter_int},
    {"items", s_filter_items},
    {"join", s_filter_join},
    {"last", s_filter_last},
    {"length", s_filter_length},
    {"list", s_filter_list},
    {"lower", s_filter_lower},
    {"map", s_filter_map},
    {"max", s_filter_max},
    {"min", s_filter_min},
    {"pprint", s_filter_pprint},
    {"random", s_filter_random},
    {"reject", s_filter_reject},
    {"rejectattr", s_filter_rejectattr},
    {"replace", s_filter_replace},
    {"reverse", s_filter_reverse},
    {"round", s_filter_round},
    {"safe", s_filter_safe},
    {"select", s_filter_select},
    {"selectattr", s_filter_selectattr},
    {"slice", s_filter_slice},
    {"sort", s_filter_sort},
    {"string", s_filter_string},
    {"striptags", s_filter_striptags},
    {"sum", s_filter_sum},
    {"title", s_filter_title},
    {"tojson", s_filter_tojson},
    {"trim", s_filter_trim},
    {"truncate", s_filter_truncate},
    {"unique", s_filter_unique},
    {"upper", s_filter_upper},
    {"urlencode", s_filter_urlencode},
    {"urlize", s_filter_urlize},
    {"wordcount", s_filter_wordcount},
    {"wordwrap", s_filter_wordwrap},
    {"xmlattr", s_filter_xmlattr},
    {NULL, NULL},
};
