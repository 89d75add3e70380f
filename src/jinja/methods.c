/* src/jinja/methods.c - Python methods of the built-in types as Jinja2 templates see
 * them (jinja layer, used by attribute lookup in the evaluator): str (split, strip,
 * replace, format, find, join, upper, title...), list (append, extend, pop, sort...),
 * tuple (index, count) and dict (get, items, update, pop...). Semantics and error
 * messages follow CPython 3.11; str indices and lengths count code points, and the
 * Unicode predicates and case mappings are pystr's (Unicode 14, as Python 3.11's). A
 * safe string (Markup) behaves as markupsafe's Markup: wrapped methods escape their
 * str arguments and return Markup, join escapes the items, format and % escape what
 * they insert (format.c).
 *
 * dict.items()/keys()/values() return live view objects that iterate and print as
 * Python's do (dict_items([('a', 1)])).
 *
 * Memory: every result lives in the vm arena; nothing here is freed. */
#include "jinja/pystr.h"
#include "jinja/sb.h"
#include "jinja/value.h"
#include "jinja/vm.h"
#include <inttypes.h>
#include <stdint.h>
#include <string.h>

/* ---------------------------------------------------------------- UTF-8 */

#define S_COUNT(t) (sizeof(t) / sizeof((t)[0]))

/* Byte offset of the code point before byte offset i (i > 0). */
/* The start of the code point before i, not going below lo (a stray continuation
 * byte, which valid UTF-8 never has, counts as one character). */
static size_t s_prev(const char *s, size_t lo, size_t i)
{
    size_t j = i;
    do j--; while (j > lo && ((unsigned char)s[j] & 0xC0) == 0x80);
    int32_t cp;
    return j + (size_t)gl_utf8_decode(s + j, i - j, &cp) == i ? j : i - 1;
}

/* ---------------------------------------------------------------- signatures */

/* How CPython checks a method's arguments, which decides its error messages. */
typedef enum s_style {
    S_NOARGS,   /* METH_NOARGS: "str.upper() takes no arguments (1 given)" */
    S_ONE,      /* METH_O: "list.append() takes exactly one argument (0 given)" */
    S_POS,      /* Argument Clinic, positional-only: "center expected at least 1 argument, got 0" */
    S_OLD,      /* PyArg_ParseTuple: "find() takes at least 1 argument (0 given)" */
    S_KW,       /* keywords accepted, bound by name */
    S_KWONLY,   /* keyword-only parameters (list.sort) */
    S_VARKW,    /* positional-only, then any keywords (dict.update) */
    S_ANY       /* anything: the method checks (str.format) */
} s_style;

/* argv holds the bound parameters (GL_MISSING when absent); a is the raw call. */
typedef gl_value (*s_impl)(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a);

/* What markupsafe's Markup does around the str method when the receiver is safe. */
typedef enum s_markup {
    S_MK_NONE,  /* plain str result (find, casefold, removeprefix...) */
    S_MK_WRAP,  /* str arguments escaped, result safe (upper, replace, strip...) */
    S_MK_ITEMS, /* the items of the result are safe (split, splitlines) */
    S_MK_PART   /* separator escaped, the items of the result are safe (partition) */
} s_markup;

typedef struct s_method {
    const char *name;
    s_impl fn;
    uint8_t style;              /* s_style */
    uint8_t min, max;           /* positional arguments */
    const char *const *kw;      /* S_KW, S_KWONLY: parameter names, NULL-terminated */
    uint8_t markup;             /* s_markup */
} s_method;

enum { S_MAXARGS = 4 };

static const char *s_plural(unsigned n) { return n == 1 ? "" : "s"; }

static void s_check_pos(gl_vm *vm, const s_method *m, const char *tname, const gl_args *a)
{
    unsigned n = a->npos, lo = m->min, hi = m->max;
    const char *f = m->name;
    if (a->nkw) gl_vm_error(vm, GL_ERR_TYPE, a->span, "%s.%s() takes no keyword arguments", tname, f);
    if (m->style == S_OLD) {
        if (n < lo)
            gl_vm_error(vm, GL_ERR_TYPE, a->span, "%s() takes at least %u argument%s (%u given)", f, lo,
                        s_plural(lo), n);
        if (n > hi)
            gl_vm_error(vm, GL_ERR_TYPE, a->span, "%s() takes at most %u argument%s (%u given)", f, hi,
                        s_plural(hi), n);
        return;
    }
    if (lo == hi && n != lo)
        gl_vm_error(vm, GL_ERR_TYPE, a->span, "%s expected %u argument%s, got %u", f, lo, s_plural(lo), n);
    if (n < lo)
        gl_vm_error(vm, GL_ERR_TYPE, a->span, "%s expected at least %u argument%s, got %u", f, lo, s_plural(lo), n);
    if (n > hi)
        gl_vm_error(vm, GL_ERR_TYPE, a->span, "%s expected at most %u argument%s, got %u", f, hi, s_plural(hi), n);
}

/* Positional then keyword parameters, with Argument Clinic's messages. */
static void s_bind_kw(gl_vm *vm, const s_method *m, const gl_args *a, gl_value *argv)
{
    if (a->npos > m->max)
        gl_vm_error(vm, GL_ERR_TYPE, a->span, "%s() takes at most %u argument%s (%u given)", m->name, m->max,
                    s_plural(m->max), a->npos);
    for (uint32_t i = 0; i < a->npos; i++) argv[i] = a->pos[i];
    for (uint32_t k = 0; k < a->nkw; k++) {
        const char *kw = a->kw_names[k]->str;
        unsigned i = 0;
        while (m->kw[i] && strcmp(m->kw[i], kw) != 0) i++;
        if (!m->kw[i])
            gl_vm_error(vm, GL_ERR_TYPE, a->span, "'%s' is an invalid keyword argument for %s()", kw, m->name);
        if (argv[i].kind != GL_MISSING)
            gl_vm_error(vm, GL_ERR_TYPE, a->span, "argument for %s() given by name ('%s') and position (%u)",
                        m->name, kw, i + 1);
        argv[i] = a->kw[k];
    }
}

static void s_bind(gl_vm *vm, const s_method *m, const char *tname, const gl_args *a, gl_value *argv)
{
    for (int i = 0; i < S_MAXARGS; i++) argv[i] = gl_missing();
    switch ((s_style)m->style) {
    case S_NOARGS:
        if (a->nkw) gl_vm_error(vm, GL_ERR_TYPE, a->span, "%s.%s() takes no keyword arguments", tname, m->name);
        if (a->npos)
            gl_vm_error(vm, GL_ERR_TYPE, a->span, "%s.%s() takes no arguments (%u given)", tname, m->name, a->npos);
        return;
    case S_ONE:
        if (a->nkw) gl_vm_error(vm, GL_ERR_TYPE, a->span, "%s.%s() takes no keyword arguments", tname, m->name);
        if (a->npos != 1)
            gl_vm_error(vm, GL_ERR_TYPE, a->span, "%s.%s() takes exactly one argument (%u given)", tname, m->name,
                        a->npos);
        break;
    case S_POS: case S_OLD:
        s_check_pos(vm, m, tname, a);
        break;
    case S_KWONLY:
        if (a->npos) gl_vm_error(vm, GL_ERR_TYPE, a->span, "%s() takes no positional arguments", m->name);
        /* fallthrough */
    case S_KW:
        s_bind_kw(vm, m, a, argv);
        return;
    case S_VARKW:
        if (a->npos > m->max)
            gl_vm_error(vm, GL_ERR_TYPE, a->span, "%s expected at most %u argument%s, got %u", m->name, m->max,
                        s_plural(m->max), a->npos);
        break;
    case S_ANY:
        return;
    }
    for (uint32_t i = 0; i < a->npos && i < S_MAXARGS; i++) argv[i] = a->pos[i];
}

/* ---------------------------------------------------------------- Markup */

static bool s_is_safe(gl_value v) { return v.kind == GL_STR && (v.flags & GL_F_SAFE); }

static gl_value s_safe(gl_value v)
{
    if (v.kind == GL_STR) v.flags |= GL_F_SAFE;
    return v;
}

static void s_safe_items(gl_value v)
{
    if (v.kind != GL_LIST && v.kind != GL_TUPLE) return;
    for (uint32_t i = 0; i < v.u.list->len; i++) v.u.list->items[i] = s_safe(v.u.list->items[i]);
}

/* The native function every bound method calls: f->data is its s_method. A safe
 * (Markup) receiver behaves as markupsafe's Markup does. */
static gl_value s_call(gl_vm *vm, gl_func *f, const gl_args *a)
{
    const s_method *m = (const s_method *)f->data;
    gl_value argv[S_MAXARGS];
    s_bind(vm, m, gl_type_name(f->self), a, argv);
    if (!s_is_safe(f->self) || m->markup == S_MK_NONE) return m->fn(vm, f->self, argv, a);
    if (m->markup == S_MK_WRAP || m->markup == S_MK_PART)
        for (int i = 0; i < S_MAXARGS; i++)
            if (argv[i].kind == GL_STR) argv[i] = gl_sb_escape(vm, argv[i], a->span);
    gl_value r = m->fn(vm, f->self, argv, a);
    if (m->markup == S_MK_WRAP) return s_safe(r);
    s_safe_items(r);
    return r;
}

/* ---------------------------------------------------------------- argument helpers */

static int64_t s_as_index(gl_vm *vm, gl_value v, gl_span span)
{
    if (v.kind == GL_INT) return v.u.i;
    if (v.kind == GL_BOOL) return v.u.b;
    gl_vm_error(vm, GL_ERR_TYPE, span, "'%s' object cannot be interpreted as an integer", gl_type_name(v));
}

/* A start/end argument of find, count, startswith... (None means the default). */
static int64_t s_slice_arg(gl_vm *vm, gl_value v, int64_t dflt, bool none_ok, gl_span span)
{
    if (v.kind == GL_MISSING || (none_ok && v.kind == GL_NONE)) return dflt;
    if (v.kind == GL_INT) return v.u.i;
    if (v.kind == GL_BOOL) return v.u.b;
    gl_vm_error(vm, GL_ERR_TYPE, span, "slice indices must be integers %shave an __index__ method",
                none_ok ? "or None or " : "or ");
}

/* A str argument; otherwise TypeError "<prefix>must be str, not <type>". */
static gl_value s_str_arg(gl_vm *vm, gl_value v, const char *prefix, gl_span span)
{
    if (v.kind != GL_STR)
        gl_vm_error(vm, GL_ERR_TYPE, span, "%smust be str, not %s", prefix, gl_type_name(v));
    return v;
}

_Noreturn static void s_unhashable(gl_vm *vm, gl_value key, gl_span span)
{
    gl_vm_error(vm, GL_ERR_TYPE, span, "unhashable type: '%s'", gl_type_name(key));
}

static void s_check_hashable(gl_vm *vm, gl_value key, gl_span span)
{
    if (!gl_hashable(key)) s_unhashable(vm, key, span);
}

/* Python's ADJUST_INDICES on [start, end) over n items. */
static void s_adjust(int64_t *start, int64_t *end, int64_t n)
{
    if (*end > n) *end = n;
    else if (*end < 0) {
        *end += n;
        if (*end < 0) *end = 0;
    }
    if (*start < 0) {
        *start += n;
        if (*start < 0) *start = 0;
    }
}

/* ---------------------------------------------------------------- str: searching */

/* The code-point window [start, end) of find/count/startswith, with byte offsets. */
typedef struct s_window {
    int64_t start, end;         /* code points, adjusted as Python does */
    size_t bs, be;              /* byte offsets (bs = len when start is past the end) */
} s_window;

static s_window s_window_make(gl_vm *vm, gl_value self, gl_value vstart, gl_value vend, gl_span span)
{
    int64_t n = (int64_t)gl_utf8_count(self.u.s, self.len);
    s_window w;
    w.start = s_slice_arg(vm, vstart, 0, true, span);
    w.end = s_slice_arg(vm, vend, n, true, span);
    s_adjust(&w.start, &w.end, n);
    w.bs = w.start >= n ? self.len : gl_utf8_offset(self.u.s, self.len, (size_t)w.start);
    w.be = gl_utf8_offset(self.u.s, self.len, (size_t)w.end);
    if (w.be < w.bs) w.be = w.bs;
    return w;
}

static const char *s_memfind(const char *h, size_t hn, const char *n, size_t nn)
{
    if (nn == 0) return h;
    if (nn > hn) return NULL;
    for (const char *p = h, *end = h + hn - nn; p <= end; p++) {
        p = memchr(p, n[0], (size_t)(end - p) + 1);
        if (!p) return NULL;
        if (memcmp(p, n, nn) == 0) return p;
    }
    return NULL;
}

static const char *s_memrfind(const char *h, size_t hn, const char *n, size_t nn)
{
    if (nn > hn) return NULL;
    for (size_t i = hn - nn + 1; i-- > 0;)
        if (memcmp(h + i, n, nn) == 0) return h + i;
    return NULL;
}

/* find/rfind/index/rindex: the code-point index, or -1. */
static int64_t s_find(gl_vm *vm, gl_value self, const gl_value *argv, gl_span span, bool rev)
{
    gl_value sub = s_str_arg(vm, argv[0], "", span);
    s_window w = s_window_make(vm, self, argv[1], argv[2], span);
    if (w.end - w.start < (int64_t)gl_utf8_count(sub.u.s, sub.len)) return -1;
    const char *h = self.u.s + w.bs;
    size_t hn = w.be - w.bs;
    const char *p = rev ? s_memrfind(h, hn, sub.u.s, sub.len) : s_memfind(h, hn, sub.u.s, sub.len);
    if (!p) return -1;
    return w.start + (int64_t)gl_utf8_count(h, (size_t)(p - h));
}

static gl_value s_str_find(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    return gl_int(s_find(vm, self, argv, a->span, false));
}

static gl_value s_str_rfind(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    return gl_int(s_find(vm, self, argv, a->span, true));
}

static gl_value s_index_result(gl_vm *vm, int64_t i, gl_span span)
{
    if (i < 0) gl_vm_error(vm, GL_ERR_VALUE, span, "substring not found");
    return gl_int(i);
}

static gl_value s_str_index(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    return s_index_result(vm, s_find(vm, self, argv, a->span, false), a->span);
}

static gl_value s_str_rindex(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    return s_index_result(vm, s_find(vm, self, argv, a->span, true), a->span);
}

static gl_value s_str_count(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    gl_value sub = s_str_arg(vm, argv[0], "", a->span);
    s_window w = s_window_make(vm, self, argv[1], argv[2], a->span);
    if (w.end - w.start < (int64_t)gl_utf8_count(sub.u.s, sub.len)) return gl_int(0);
    if (sub.len == 0) return gl_int(w.end - w.start + 1);
    int64_t n = 0;
    const char *h = self.u.s + w.bs, *end = self.u.s + w.be;
    for (const char *p; (p = s_memfind(h, (size_t)(end - h), sub.u.s, sub.len)); h = p + sub.len) n++;
    return gl_int(n);
}

/* startswith/endswith of one str over the window. */
static bool s_tailmatch(gl_value self, gl_value sub, const s_window *w, bool at_end)
{
    if (w->end - w->start < (int64_t)gl_utf8_count(sub.u.s, sub.len)) return false;
    if (sub.len == 0) return true;
    if (w->be - w->bs < sub.len) return false;
    size_t at = at_end ? w->be - sub.len : w->bs;
    return memcmp(self.u.s + at, sub.u.s, sub.len) == 0;
}

static gl_value s_affix(gl_vm *vm, gl_value self, const gl_value *argv, gl_span span, bool at_end)
{
    const char *name = at_end ? "endswith" : "startswith";
    gl_value x = argv[0];
    s_window w;
    if (x.kind == GL_STR) {
        w = s_window_make(vm, self, argv[1], argv[2], span);
        return gl_bool(s_tailmatch(self, x, &w, at_end));
    }
    if (x.kind != GL_TUPLE)
        gl_vm_error(vm, GL_ERR_TYPE, span, "%s first arg must be str or a tuple of str, not %s", name,
                    gl_type_name(x));
    w = s_window_make(vm, self, argv[1], argv[2], span);
    for (uint32_t i = 0; i < x.u.list->len; i++) {
        gl_value sub = x.u.list->items[i];
        if (sub.kind != GL_STR)
            gl_vm_error(vm, GL_ERR_TYPE, span, "tuple for %s must only contain str, not %s", name,
                        gl_type_name(sub));
        if (s_tailmatch(self, sub, &w, at_end)) return gl_bool(true);
    }
    return gl_bool(false);
}

static gl_value s_str_startswith(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    return s_affix(vm, self, argv, a->span, false);
}

static gl_value s_str_endswith(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    return s_affix(vm, self, argv, a->span, true);
}

static gl_value s_str_removeprefix(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    gl_value p = s_str_arg(vm, argv[0], "removeprefix() argument ", a->span);
    if (p.len <= self.len && memcmp(self.u.s, p.u.s, p.len) == 0)
        return gl_str(self.u.s + p.len, self.len - p.len);
    return self;
}

static gl_value s_str_removesuffix(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    gl_value p = s_str_arg(vm, argv[0], "removesuffix() argument ", a->span);
    if (p.len && p.len <= self.len && memcmp(self.u.s + self.len - p.len, p.u.s, p.len) == 0)
        return gl_str(self.u.s, self.len - p.len);
    return self;
}

static gl_value s_str_replace(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    gl_value old = s_str_arg(vm, argv[0], "replace() argument 1 ", a->span);
    gl_value new = s_str_arg(vm, argv[1], "replace() argument 2 ", a->span);
    int64_t count = argv[2].kind == GL_MISSING ? -1 : s_as_index(vm, argv[2], a->span);
    gl_sb b;
    gl_sb_init(&b, vm, a->span);
    const char *p = self.u.s, *end = self.u.s + self.len;
    if (old.len == 0) {
        while (count != 0) {
            gl_sb_add(&b, new.u.s, new.len);
            count--;
            if (p == end) break;
            int32_t cp;
            int n = gl_utf8_decode(p, (size_t)(end - p), &cp);
            gl_sb_add(&b, p, (size_t)n);
            p += n;
        }
    } else {
        for (const char *q; count != 0 && (q = s_memfind(p, (size_t)(end - p), old.u.s, old.len)); count--) {
            gl_sb_add(&b, p, (size_t)(q - p));
            gl_sb_add(&b, new.u.s, new.len);
            p = q + old.len;
        }
    }
    gl_sb_add(&b, p, (size_t)(end - p));
    return gl_sb_value(&b, 0);
}

/* ---------------------------------------------------------------- str: splitting */

static void s_push_str(gl_vm *vm, gl_list *l, const char *s, size_t n)
{
    gl_list_push(vm, l, gl_str(s, n));
}

static bool s_space_at(const char *s, size_t len, size_t i, size_t *next)
{
    int32_t cp;
    *next = i + (size_t)gl_utf8_decode(s + i, len - i, &cp);
    return gl_py_isspace(cp);
}

static gl_value s_split_ws(gl_vm *vm, gl_value self, int64_t maxsplit)
{
    gl_value out = gl_list_new(vm, 4);
    const char *s = self.u.s;
    size_t len = self.len, i = 0, next;
    for (; maxsplit-- != 0;) {
        while (i < len && s_space_at(s, len, i, &next)) i = next;
        if (i == len) break;
        size_t j = i;
        while (i < len && !s_space_at(s, len, i, &next)) i = next;
        s_push_str(vm, out.u.list, s + j, i - j);
    }
    while (i < len && s_space_at(s, len, i, &next)) i = next;
    if (i < len) s_push_str(vm, out.u.list, s + i, len - i);
    return out;
}

static bool s_space_before(const char *s, size_t i, size_t *prev)
{
    int32_t cp;
    *prev = s_prev(s, 0, i);
    gl_utf8_decode(s + *prev, i - *prev, &cp);
    return gl_py_isspace(cp);
}

static void s_reverse_values(gl_value *v, uint32_t n)
{
    for (uint32_t i = 0; i < n / 2; i++) {
        gl_value t = v[i];
        v[i] = v[n - 1 - i];
        v[n - 1 - i] = t;
    }
}

static gl_value s_rsplit_ws(gl_vm *vm, gl_value self, int64_t maxsplit)
{
    gl_value out = gl_list_new(vm, 4);
    const char *s = self.u.s;
    size_t i = self.len, prev;       /* i: end of the unscanned prefix */
    for (; maxsplit-- != 0;) {
        while (i > 0 && s_space_before(s, i, &prev)) i = prev;
        if (i == 0) break;
        size_t j = i;
        while (i > 0 && !s_space_before(s, i, &prev)) i = prev;
        s_push_str(vm, out.u.list, s + i, j - i);
    }
    while (i > 0 && s_space_before(s, i, &prev)) i = prev;
    if (i > 0) s_push_str(vm, out.u.list, s, i);
    s_reverse_values(out.u.list->items, out.u.list->len);
    return out;
}

static gl_value s_split_sep(gl_vm *vm, gl_value self, gl_value sep, int64_t maxsplit, bool rev)
{
    gl_value out = gl_list_new(vm, 4);
    const char *s = self.u.s, *p;
    size_t lo = 0, hi = self.len;     /* the part not split yet */
    for (; maxsplit != 0; maxsplit--) {
        p = rev ? s_memrfind(s + lo, hi - lo, sep.u.s, sep.len) : s_memfind(s + lo, hi - lo, sep.u.s, sep.len);
        if (!p) break;
        size_t at = (size_t)(p - s);
        if (rev) {
            s_push_str(vm, out.u.list, p + sep.len, hi - at - sep.len);
            hi = at;
        } else {
            s_push_str(vm, out.u.list, s + lo, at - lo);
            lo = at + sep.len;
        }
    }
    s_push_str(vm, out.u.list, s + lo, hi - lo);
    if (rev) s_reverse_values(out.u.list->items, out.u.list->len);
    return out;
}

static gl_value s_split(gl_vm *vm, gl_value self, const gl_value *argv, gl_span span, bool rev)
{
    gl_value sep = argv[0];
    int64_t maxsplit = argv[1].kind == GL_MISSING ? -1 : s_as_index(vm, argv[1], span);
    if (maxsplit < 0) maxsplit = -1;
    if (sep.kind == GL_MISSING || sep.kind == GL_NONE)
        return rev ? s_rsplit_ws(vm, self, maxsplit) : s_split_ws(vm, self, maxsplit);
    if (sep.kind != GL_STR)
        gl_vm_error(vm, GL_ERR_TYPE, span, "must be str or None, not %s", gl_type_name(sep));
    if (sep.len == 0) gl_vm_error(vm, GL_ERR_VALUE, span, "empty separator");
    return s_split_sep(vm, self, sep, maxsplit, rev);
}

static gl_value s_str_split(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    return s_split(vm, self, argv, a->span, false);
}

static gl_value s_str_rsplit(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    return s_split(vm, self, argv, a->span, true);
}

static gl_value s_str_splitlines(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    bool keepends = argv[0].kind != GL_MISSING && s_as_index(vm, argv[0], a->span) != 0;
    gl_value out = gl_list_new(vm, 4);
    const char *s = self.u.s;
    size_t len = self.len, i = 0;
    while (i < len) {
        size_t j = i, eol;
        int32_t cp = 0;
        int n = 0;
        while (i < len) {
            n = gl_utf8_decode(s + i, len - i, &cp);
            if (gl_py_islinebreak(cp)) break;
            i += (size_t)n;
        }
        eol = i;
        if (i < len) {
            i += (cp == '\r' && i + 1 < len && s[i + 1] == '\n') ? 2 : (size_t)n;
            if (keepends) eol = i;
        }
        s_push_str(vm, out.u.list, s + j, eol - j);
    }
    return out;
}

static gl_value s_partition(gl_vm *vm, gl_value self, gl_value sep, gl_span span, bool rev)
{
    s_str_arg(vm, sep, "", span);
    if (sep.len == 0) gl_vm_error(vm, GL_ERR_VALUE, span, "empty separator");
    const char *p = rev ? s_memrfind(self.u.s, self.len, sep.u.s, sep.len)
                        : s_memfind(self.u.s, self.len, sep.u.s, sep.len);
    gl_value t = gl_tuple_new(vm, 3);
    gl_value *it = t.u.list->items;
    if (!p) {
        it[0] = rev ? gl_str("", 0) : self;
        it[1] = gl_str("", 0);
        it[2] = rev ? self : gl_str("", 0);
        return t;
    }
    size_t at = (size_t)(p - self.u.s);
    it[0] = gl_str(self.u.s, at);
    it[1] = sep;
    it[2] = gl_str(p + sep.len, self.len - at - sep.len);
    return t;
}

static gl_value s_str_partition(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    return s_partition(vm, self, argv[0], a->span, false);
}

static gl_value s_str_rpartition(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    return s_partition(vm, self, argv[0], a->span, true);
}

/* The items of an iterable argument of join; "can only join an iterable" otherwise. */
static gl_list *s_join_items(gl_vm *vm, gl_value v, gl_span span)
{
    switch (v.kind) {
    case GL_LIST: case GL_TUPLE: case GL_DICT: case GL_STR: case GL_UNDEFINED: case GL_OBJECT:
        return gl_iterate(vm, v, span);
    default:
        gl_vm_error(vm, GL_ERR_TYPE, span, "can only join an iterable");
    }
}

/* Markup.join: every item escaped (any value is accepted), the result safe. */
static gl_value s_markup_join(gl_vm *vm, gl_value self, gl_list *items, gl_span span)
{
    gl_sb b;
    gl_sb_init(&b, vm, span);
    for (uint32_t i = 0; i < items->len; i++) {
        if (i) gl_sb_addv(&b, self);
        gl_sb_addv(&b, gl_sb_escape(vm, items->items[i], span));
    }
    return gl_sb_value(&b, GL_F_SAFE);
}

static gl_value s_str_join(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    gl_list *items = s_join_items(vm, argv[0], a->span);
    if (s_is_safe(self)) return s_markup_join(vm, self, items, a->span);
    size_t total = 0;
    for (uint32_t i = 0; i < items->len; i++) {
        gl_value it = items->items[i];
        if (it.kind != GL_STR)
            gl_vm_error(vm, GL_ERR_TYPE, a->span, "sequence item %u: expected str instance, %s found", i,
                        gl_type_name(it));
        total += it.len + self.len;
    }
    if (items->len == 1) return items->items[0];
    gl_sb b;
    gl_sb_init(&b, vm, a->span);
    gl_sb_reserve(&b, total);
    for (uint32_t i = 0; i < items->len; i++) {
        if (i) gl_sb_addv(&b, self);
        gl_sb_addv(&b, items->items[i]);
    }
    return gl_sb_value(&b, 0);
}

/* ---------------------------------------------------------------- str: case */

static gl_value s_case(gl_vm *vm, gl_value self, gl_py_mapper map, gl_span span)
{
    gl_sb b;
    gl_sb_init(&b, vm, span);
    map(self.u.s, self.len, &b);
    return gl_sb_value(&b, 0);
}

#define S_CASE(name)                                                                         \
    static gl_value s_str_##name(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a) \
    {                                                                                        \
        (void)argv;                                                                          \
        return s_case(vm, self, gl_py_##name, a->span);                                      \
    }
S_CASE(lower)
S_CASE(upper)
S_CASE(swapcase)
S_CASE(title)
S_CASE(capitalize)
S_CASE(casefold)
#undef S_CASE

/* ---------------------------------------------------------------- str: predicates */

typedef bool (*s_cp_pred)(int32_t cp);

/* True when every code point satisfies pred (False for ''). */
static bool s_all(gl_value self, s_cp_pred pred)
{
    if (self.len == 0) return false;
    for (size_t i = 0; i < self.len;) {
        int32_t cp;
        i += (size_t)gl_utf8_decode(self.u.s + i, self.len - i, &cp);
        if (!pred(cp)) return false;
    }
    return true;
}

#define S_PREDICATE(name)                                                                    \
    static gl_value s_str_##name(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a) \
    {                                                                                        \
        (void)vm, (void)argv, (void)a;                                                       \
        return gl_bool(s_all(self, gl_py_##name));                                           \
    }
S_PREDICATE(isdigit)
S_PREDICATE(isdecimal)
S_PREDICATE(isnumeric)
S_PREDICATE(isalpha)
S_PREDICATE(isalnum)
S_PREDICATE(isspace)
#undef S_PREDICATE

/* the predicates pystr answers for a whole string */
#define S_STR_PREDICATE(name)                                                                \
    static gl_value s_str_##name(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a) \
    {                                                                                        \
        (void)vm, (void)argv, (void)a;                                                       \
        return gl_bool(gl_py_str_##name(self.u.s, self.len));                                \
    }
S_STR_PREDICATE(isascii)
S_STR_PREDICATE(islower)
S_STR_PREDICATE(isupper)
S_STR_PREDICATE(istitle)
#undef S_STR_PREDICATE

static gl_value s_str_isprintable(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    (void)vm, (void)argv, (void)a;
    return gl_bool(self.len == 0 || s_all(self, gl_py_isprintable));
}

static gl_value s_str_isidentifier(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    (void)vm, (void)argv, (void)a;
    if (self.len == 0) return gl_bool(false);
    int32_t cp;
    size_t i = (size_t)gl_utf8_decode(self.u.s, self.len, &cp);
    if (!gl_py_isidstart(cp)) return gl_bool(false);
    gl_value rest = gl_str(self.u.s + i, self.len - i);
    return gl_bool(rest.len == 0 || s_all(rest, gl_py_isidcontinue));
}

/* ---------------------------------------------------------------- str: strip, pad */

/* Is cp one of chars (a str), or whitespace when chars is None? */
static bool s_strip_member(gl_value chars, int32_t cp)
{
    if (chars.kind != GL_STR) return gl_py_isspace(cp);
    for (size_t i = 0; i < chars.len;) {
        int32_t c;
        i += (size_t)gl_utf8_decode(chars.u.s + i, chars.len - i, &c);
        if (c == cp) return true;
    }
    return false;
}

static gl_value s_strip(gl_vm *vm, gl_value self, gl_value chars, const char *name, bool left, bool right,
                        gl_span span)
{
    if (chars.kind != GL_MISSING && chars.kind != GL_NONE && chars.kind != GL_STR)
        gl_vm_error(vm, GL_ERR_TYPE, span, "%s arg must be None or str", name);
    const char *s = self.u.s;
    size_t lo = 0, hi = self.len;
    while (left && lo < hi) {
        int32_t cp;
        int n = gl_utf8_decode(s + lo, hi - lo, &cp);
        if (!s_strip_member(chars, cp)) break;
        lo += (size_t)n;
    }
    while (right && hi > lo) {
        int32_t cp;
        size_t prev = s_prev(s, lo, hi);
        gl_utf8_decode(s + prev, hi - prev, &cp);
        if (!s_strip_member(chars, cp)) break;
        hi = prev;
    }
    return gl_str(s + lo, hi - lo);
}

static gl_value s_str_strip(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    return s_strip(vm, self, argv[0], "strip", true, true, a->span);
}

static gl_value s_str_lstrip(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    return s_strip(vm, self, argv[0], "lstrip", true, false, a->span);
}

static gl_value s_str_rstrip(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    return s_strip(vm, self, argv[0], "rstrip", false, true, a->span);
}

/* The fill character argument of center/ljust/rjust, as its UTF-8 bytes. */
static gl_value s_fillchar(gl_vm *vm, gl_value v, gl_span span)
{
    if (v.kind == GL_MISSING) return gl_str(" ", 1);
    if (v.kind != GL_STR)
        gl_vm_error(vm, GL_ERR_TYPE, span, "The fill character must be a unicode character, not %s",
                    gl_type_name(v));
    if (gl_utf8_count(v.u.s, v.len) != 1)
        gl_vm_error(vm, GL_ERR_TYPE, span, "The fill character must be exactly one character long");
    return v;
}

static gl_value s_pad(gl_vm *vm, gl_value self, int64_t left, int64_t right, gl_value fill, gl_span span)
{
    if (left <= 0 && right <= 0) return self;
    gl_sb b;
    gl_sb_init(&b, vm, span);
    uint64_t pads = (uint64_t)(left + right);   /* one reserve: too long raises up front */
    gl_sb_reserve(&b, pads > GL_SB_MAX / fill.len ? SIZE_MAX : self.len + (size_t)pads * fill.len);
    gl_sb_repeat(&b, fill.u.s, fill.len, left);
    gl_sb_addv(&b, self);
    gl_sb_repeat(&b, fill.u.s, fill.len, right);
    return gl_sb_value(&b, 0);
}

/* center (align 0), ljust (align -1), rjust (align 1). */
static gl_value s_justify(gl_vm *vm, gl_value self, const gl_value *argv, gl_span span, int align)
{
    int64_t width = s_as_index(vm, argv[0], span);
    gl_value fill = s_fillchar(vm, argv[1], span);
    int64_t n = (int64_t)gl_utf8_count(self.u.s, self.len);
    if (width <= n) return self;
    int64_t marg = width - n;
    if (align < 0) return s_pad(vm, self, 0, marg, fill, span);
    if (align > 0) return s_pad(vm, self, marg, 0, fill, span);
    int64_t left = marg / 2 + (marg & width & 1);
    return s_pad(vm, self, left, marg - left, fill, span);
}

static gl_value s_str_center(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    return s_justify(vm, self, argv, a->span, 0);
}

static gl_value s_str_ljust(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    return s_justify(vm, self, argv, a->span, -1);
}

static gl_value s_str_rjust(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    return s_justify(vm, self, argv, a->span, 1);
}

static gl_value s_str_zfill(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    int64_t width = s_as_index(vm, argv[0], a->span);
    int64_t n = (int64_t)gl_utf8_count(self.u.s, self.len);
    if (width <= n) return self;
    size_t sign = self.len && (self.u.s[0] == '+' || self.u.s[0] == '-');
    gl_sb b;
    gl_sb_init(&b, vm, a->span);
    gl_sb_add(&b, self.u.s, sign);
    gl_sb_repeat(&b, "0", 1, width - n);
    gl_sb_add(&b, self.u.s + sign, self.len - sign);
    return gl_sb_value(&b, 0);
}

static gl_value s_str_expandtabs(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    int64_t tabsize = argv[0].kind == GL_MISSING ? 8 : s_as_index(vm, argv[0], a->span);
    gl_sb b;
    gl_sb_init(&b, vm, a->span);
    int64_t col = 0;
    for (size_t i = 0; i < self.len;) {
        int32_t cp;
        int n = gl_utf8_decode(self.u.s + i, self.len - i, &cp);
        if (cp == '\t') {
            if (tabsize > 0) {
                int64_t incr = tabsize - col % tabsize;
                col += incr;
                gl_sb_repeat(&b, " ", 1, incr);
            }
        } else {
            col++;
            gl_sb_add(&b, self.u.s + i, (size_t)n);
            if (cp == '\n' || cp == '\r') col = 0;
        }
        i += (size_t)n;
    }
    return gl_sb_value(&b, 0);
}

/* ---------------------------------------------------------------- str: format */

static gl_value s_str_format(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    (void)argv;
    return gl_format_method(vm, self, a);
}

/* format_map(mapping): the mapping's str keys become keyword arguments. Jinja2's
 * sandbox words the arity errors itself. */
static gl_value s_str_format_map(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    (void)argv;
    if (a->nkw) gl_vm_error(vm, GL_ERR_TYPE, a->span, "format_map() takes no keyword arguments");
    if (a->npos != 1)
        gl_vm_error(vm, GL_ERR_TYPE, a->span, "format_map() takes exactly one argument (%u given)", a->npos);
    gl_value m = a->pos[0];
    gl_args fa = gl_args_make(NULL, 0, a->span);
    if (m.kind != GL_DICT) return gl_format_method(vm, self, &fa);
    const gl_name **names = gl_vm_alloc(vm, (m.u.dict->count + 1) * sizeof *names);
    gl_value *vals = gl_vm_alloc(vm, (m.u.dict->count + 1) * sizeof *vals);
    uint32_t k = 0;
    for (uint32_t i = 0; i < m.u.dict->nentries; i++) {
        const gl_dict_entry *e = &m.u.dict->entries[i];
        if (!e->live || e->key.kind != GL_STR) continue;
        names[k] = gl_intern(vm->names, e->key.u.s, e->key.len);
        vals[k++] = e->value;
    }
    fa.nkw = k;
    fa.kw_names = names;
    fa.kw = vals;
    return gl_format_method(vm, self, &fa);
}

/* ---------------------------------------------------------------- list and tuple */

static gl_value s_list_append(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    (void)a;
    gl_list_push(vm, self.u.list, argv[0]);
    return gl_none();
}

static gl_value s_list_extend(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    gl_list *src = gl_iterate(vm, argv[0], a->span);
    uint32_t n = src->len;          /* l.extend(l) doubles l once */
    for (uint32_t i = 0; i < n; i++) gl_list_push(vm, self.u.list, src->items[i]);
    return gl_none();
}

static gl_value s_list_insert(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    gl_list_insert(vm, self.u.list, s_as_index(vm, argv[0], a->span), argv[1]);
    return gl_none();
}

static gl_value s_list_pop(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    gl_list *l = self.u.list;
    int64_t i = argv[0].kind == GL_MISSING ? -1 : s_as_index(vm, argv[0], a->span);
    if (l->len == 0) gl_vm_error(vm, GL_ERR_INDEX, a->span, "pop from empty list");
    if (i < 0) i += l->len;
    if (i < 0 || i >= (int64_t)l->len) gl_vm_error(vm, GL_ERR_INDEX, a->span, "pop index out of range");
    gl_value v = l->items[i];
    memmove(l->items + i, l->items + i + 1, (l->len - (size_t)i - 1) * sizeof *l->items);
    l->len--;
    return v;
}

static gl_value s_list_remove(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    gl_list *l = self.u.list;
    for (uint32_t i = 0; i < l->len; i++) {
        if (!gl_equal(l->items[i], argv[0])) continue;
        memmove(l->items + i, l->items + i + 1, (l->len - i - 1) * sizeof *l->items);
        l->len--;
        return gl_none();
    }
    gl_vm_error(vm, GL_ERR_VALUE, a->span, "list.remove(x): x not in list");
}

static gl_value s_seq_count(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    (void)vm, (void)a;
    int64_t n = 0;
    for (uint32_t i = 0; i < self.u.list->len; i++) n += gl_equal(self.u.list->items[i], argv[0]);
    return gl_int(n);
}

static gl_value s_seq_index(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    gl_list *l = self.u.list;
    int64_t start = s_slice_arg(vm, argv[1], 0, false, a->span);
    int64_t stop = s_slice_arg(vm, argv[2], l->len, false, a->span);
    if (start < 0 && (start += l->len) < 0) start = 0;
    if (stop < 0 && (stop += l->len) < 0) stop = 0;
    for (int64_t i = start; i < stop && i < (int64_t)l->len; i++)
        if (gl_equal(l->items[i], argv[0])) return gl_int(i);
    if (self.kind == GL_TUPLE) gl_vm_error(vm, GL_ERR_VALUE, a->span, "tuple.index(x): x not in tuple");
    gl_buf b;
    gl_buf_init(&b);
    gl_repr(vm, argv[0], &b);
    gl_value r = gl_str_from_buf(vm, &b);
    gl_buf_free(&b);
    gl_vm_error(vm, GL_ERR_VALUE, a->span, "%.*s is not in list", (int)r.len, r.u.s);
}

static gl_value s_list_reverse(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    (void)vm, (void)argv, (void)a;
    s_reverse_values(self.u.list->items, self.u.list->len);
    return gl_none();
}

static gl_value s_list_copy(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    (void)argv, (void)a;
    return gl_list_from(vm, self.u.list->items, self.u.list->len, GL_LIST);
}

static gl_value s_list_clear(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    (void)vm, (void)argv, (void)a;
    self.u.list->len = 0;
    return gl_none();
}

/* Stable merge sort of the indices a[0..n) by keys, with Python's `<` only. */
static void s_msort(gl_vm *vm, const gl_value *keys, uint32_t *ix, uint32_t *tmp, uint32_t n, gl_span span)
{
    if (n < 2) return;
    uint32_t h = n / 2, i = 0, j = h, k = 0;
    s_msort(vm, keys, ix, tmp, h, span);
    s_msort(vm, keys, ix + h, tmp, n - h, span);
    while (i < h && j < n) {
        if (gl_compare(vm, keys[ix[j]], keys[ix[i]], "<", span) < 0) tmp[k++] = ix[j++];
        else tmp[k++] = ix[i++];
    }
    while (i < h) tmp[k++] = ix[i++];
    while (j < n) tmp[k++] = ix[j++];
    memcpy(ix, tmp, n * sizeof *ix);
}

static const char *const s_sort_kw[] = {"key", "reverse", NULL};

/* list.sort(*, key=None, reverse=False): like CPython, reverse=True sorts the reversed
 * list stably and reverses the result, so equal items keep their order. */
static gl_value s_list_sort(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    gl_list *l = self.u.list;
    bool reverse = argv[1].kind != GL_MISSING && s_as_index(vm, argv[1], a->span) != 0;
    uint32_t n = l->len;
    gl_value *keys = l->items;
    if (argv[0].kind != GL_MISSING && argv[0].kind != GL_NONE) {
        keys = gl_vm_alloc(vm, (n + 1) * sizeof *keys);
        for (uint32_t i = 0; i < n; i++) {
            gl_args ka = gl_args_make(&l->items[i], 1, a->span);
            keys[i] = gl_vm_call(vm, argv[0], &ka);
        }
    }
    uint32_t *ix = gl_vm_alloc(vm, (2 * (size_t)n + 1) * sizeof *ix);
    for (uint32_t i = 0; i < n; i++) ix[i] = reverse ? n - 1 - i : i;
    s_msort(vm, keys, ix, ix + n, n, a->span);
    gl_value *sorted = gl_vm_alloc(vm, (n + 1) * sizeof *sorted);
    for (uint32_t i = 0; i < n; i++) sorted[i] = l->items[ix[reverse ? n - 1 - i : i]];
    if (n) memcpy(l->items, sorted, n * sizeof *sorted);
    return gl_none();
}

/* ---------------------------------------------------------------- dict */

static gl_value s_dict_get(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    gl_value v;
    s_check_hashable(vm, argv[0], a->span);
    if (gl_dict_get(self.u.dict, argv[0], &v)) return v;
    return argv[1].kind == GL_MISSING ? gl_none() : argv[1];
}

typedef enum s_view { S_KEYS, S_VALUES, S_ITEMS } s_view;

/* A live view of a dict (dict_keys, dict_values, dict_items): a native object that
 * iterates (gl_iterate asks for "__iter__") and prints as Python does. */
typedef struct s_dict_view {
    gl_dict *dict;
    s_view what;
} s_dict_view;

static gl_value s_view_list(gl_vm *vm, const gl_dict *d, s_view what)
{
    gl_value out = gl_list_new(vm, d->count);
    for (uint32_t i = 0; i < d->nentries; i++) {
        const gl_dict_entry *e = &d->entries[i];
        if (!e->live) continue;
        gl_value v = what == S_KEYS ? e->key : e->value;
        if (what == S_ITEMS) {
            v = gl_tuple_new(vm, 2);
            v.u.list->items[0] = e->key;
            v.u.list->items[1] = e->value;
        }
        out.u.list->items[out.u.list->len++] = v;
    }
    return out;
}

static gl_value s_view_getattr(gl_vm *vm, gl_object *o, const char *name, size_t len)
{
    const s_dict_view *dv = o->data;
    if (len == 8 && memcmp(name, "__iter__", 8) == 0) return s_view_list(vm, dv->dict, dv->what);
    if (len == 7 && memcmp(name, "__len__", 7) == 0) return gl_int(dv->dict->count);
    return gl_missing();
}

static void s_view_print(gl_vm *vm, gl_object *o, gl_buf *out)
{
    const s_dict_view *dv = o->data;
    gl_buf_adds(out, o->cls->name);
    gl_buf_addc(out, '(');
    gl_repr(vm, s_view_list(vm, dv->dict, dv->what), out);
    gl_buf_addc(out, ')');
}

static const gl_class s_view_classes[] = {      /* ORDER: s_view */
    {"dict_keys", s_view_getattr, NULL, s_view_print},
    {"dict_values", s_view_getattr, NULL, s_view_print},
    {"dict_items", s_view_getattr, NULL, s_view_print},
};

static gl_value s_dict_view_new(gl_vm *vm, gl_value self, s_view what)
{
    s_dict_view *dv = gl_vm_alloc(vm, sizeof *dv);
    dv->dict = self.u.dict;
    dv->what = what;
    return gl_object_new(vm, &s_view_classes[what], dv);
}

static gl_value s_dict_keys(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    (void)argv, (void)a;
    return s_dict_view_new(vm, self, S_KEYS);
}

static gl_value s_dict_values(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    (void)argv, (void)a;
    return s_dict_view_new(vm, self, S_VALUES);
}

static gl_value s_dict_items(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    (void)argv, (void)a;
    return s_dict_view_new(vm, self, S_ITEMS);
}

/* One element of a dict update sequence: a pair (any 2-item sequence). */
static void s_update_pair(gl_vm *vm, gl_dict *d, gl_value item, uint32_t i, gl_span span)
{
    gl_list *kv;
    if (item.kind == GL_LIST || item.kind == GL_TUPLE) kv = item.u.list;
    else if (item.kind == GL_STR || item.kind == GL_DICT) kv = gl_iterate(vm, item, span);
    else
        gl_vm_error(vm, GL_ERR_TYPE, span, "cannot convert dictionary update sequence element #%u to a sequence", i);
    if (kv->len != 2)
        gl_vm_error(vm, GL_ERR_VALUE, span, "dictionary update sequence element #%u has length %u; 2 is required",
                    i, kv->len);
    s_check_hashable(vm, kv->items[0], span);
    gl_dict_set(vm, d, kv->items[0], kv->items[1]);
}

/* d.update(src): a dict's items, or an iterable of pairs. */
static void s_update_from(gl_vm *vm, gl_dict *d, gl_value src, gl_span span)
{
    if (src.kind == GL_DICT) {
        const gl_dict *s = src.u.dict;
        for (uint32_t i = 0; i < s->nentries; i++)
            if (s->entries[i].live) gl_dict_set(vm, d, s->entries[i].key, s->entries[i].value);
        return;
    }
    if (src.kind == GL_NAMESPACE)
        gl_vm_error(vm, GL_ERR_TYPE, span, "'%s' object is not iterable", gl_type_name(src));
    gl_list *items = gl_iterate(vm, src, span);
    uint32_t n = items->len;
    for (uint32_t i = 0; i < n; i++) s_update_pair(vm, d, items->items[i], i, span);
}

static gl_value s_dict_update(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    if (argv[0].kind != GL_MISSING) s_update_from(vm, self.u.dict, argv[0], a->span);
    for (uint32_t k = 0; k < a->nkw; k++)
        gl_dict_set(vm, self.u.dict, gl_str(a->kw_names[k]->str, a->kw_names[k]->len), a->kw[k]);
    return gl_none();
}

_Noreturn static void s_key_error(gl_vm *vm, gl_value key, gl_span span)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_repr(vm, key, &b);
    gl_value r = gl_str_from_buf(vm, &b);
    gl_buf_free(&b);
    gl_vm_error(vm, GL_ERR_KEY, span, "%.*s", (int)r.len, r.u.s);
}

static gl_value s_dict_pop(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    gl_value v;
    s_check_hashable(vm, argv[0], a->span);
    if (gl_dict_del(self.u.dict, argv[0], &v)) return v;
    if (argv[1].kind != GL_MISSING) return argv[1];
    s_key_error(vm, argv[0], a->span);
}

static gl_value s_dict_popitem(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    (void)argv;
    gl_dict *d = self.u.dict;
    for (uint32_t i = d->nentries; i-- > 0;) {
        if (!d->entries[i].live) continue;
        gl_value t = gl_tuple_new(vm, 2);
        t.u.list->items[0] = d->entries[i].key;
        t.u.list->items[1] = d->entries[i].value;
        gl_dict_del(d, d->entries[i].key, NULL);
        return t;
    }
    gl_vm_error(vm, GL_ERR_KEY, a->span, "'popitem(): dictionary is empty'");
}

static gl_value s_dict_setdefault(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    gl_value v;
    s_check_hashable(vm, argv[0], a->span);
    if (gl_dict_get(self.u.dict, argv[0], &v)) return v;
    v = argv[1].kind == GL_MISSING ? gl_none() : argv[1];
    gl_dict_set(vm, self.u.dict, argv[0], v);
    return v;
}

static gl_value s_dict_copy(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    gl_value d = gl_dict_new(vm);
    s_update_from(vm, d.u.dict, self, a->span);
    (void)argv;
    return d;
}

/* d.fromkeys(iterable, value=None): a new dict (a classmethod, reached here through an
 * instance). */
static gl_value s_dict_fromkeys(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    (void)self;
    gl_list *keys = gl_iterate(vm, argv[0], a->span);
    gl_value v = argv[1].kind == GL_MISSING ? gl_none() : argv[1], d = gl_dict_new(vm);
    for (uint32_t i = 0; i < keys->len; i++) {
        s_check_hashable(vm, keys->items[i], a->span);
        gl_dict_set(vm, d.u.dict, keys->items[i], v);
    }
    return d;
}

static gl_value s_dict_clear(gl_vm *vm, gl_value self, const gl_value *argv, const gl_args *a)
{
    (void)vm, (void)argv, (void)a;
    gl_dict *d = self.u.dict;
    for (uint32_t i = 0; i < d->nentries; i++)
        if (d->entries[i].live) gl_dict_del(d, d->entries[i].key, NULL);
    return gl_none();
}

/* ---------------------------------------------------------------- method tables */

static const char *const s_split_kw[] = {"sep", "maxsplit", NULL};
static const char *const s_splitlines_kw[] = {"keepends", NULL};
static const char *const s_expandtabs_kw[] = {"tabsize", NULL};

#define M_NOARGS(name, fn) {name, fn, S_NOARGS, 0, 0, NULL, S_MK_NONE}
#define M_ONE(name, fn) {name, fn, S_ONE, 1, 1, NULL, S_MK_NONE}
#define M_POS(name, fn, min, max) {name, fn, S_POS, min, max, NULL, S_MK_NONE}
#define M_OLD(name, fn, min, max) {name, fn, S_OLD, min, max, NULL, S_MK_NONE}
#define M_KW(name, fn, max, kw) {name, fn, S_KW, 0, max, kw, S_MK_NONE}
/* the same, for the str methods Markup wraps */
#define W_NOARGS(name, fn) {name, fn, S_NOARGS, 0, 0, NULL, S_MK_WRAP}
#define W_ONE(name, fn) {name, fn, S_ONE, 1, 1, NULL, S_MK_WRAP}
#define W_POS(name, fn, min, max) {name, fn, S_POS, min, max, NULL, S_MK_WRAP}
#define W_KW(name, fn, max, kw) {name, fn, S_KW, 0, max, kw, S_MK_WRAP}

static const s_method s_str_methods[] = {
    W_NOARGS("capitalize", s_str_capitalize),
    M_NOARGS("casefold", s_str_casefold),
    W_POS("center", s_str_center, 1, 2),
    M_OLD("count", s_str_count, 1, 3),
    M_OLD("endswith", s_str_endswith, 1, 3),
    W_KW("expandtabs", s_str_expandtabs, 1, s_expandtabs_kw),
    M_OLD("find", s_str_find, 1, 3),
    {"format", s_str_format, S_ANY, 0, 0, NULL, S_MK_NONE},
    {"format_map", s_str_format_map, S_ANY, 0, 0, NULL, S_MK_NONE},
    M_OLD("index", s_str_index, 1, 3),
    M_NOARGS("isalnum", s_str_isalnum),
    M_NOARGS("isalpha", s_str_isalpha),
    M_NOARGS("isascii", s_str_isascii),
    M_NOARGS("isdecimal", s_str_isdecimal),
    M_NOARGS("isdigit", s_str_isdigit),
    M_NOARGS("isidentifier", s_str_isidentifier),
    M_NOARGS("islower", s_str_islower),
    M_NOARGS("isnumeric", s_str_isnumeric),
    M_NOARGS("isprintable", s_str_isprintable),
    M_NOARGS("isspace", s_str_isspace),
    M_NOARGS("istitle", s_str_istitle),
    M_NOARGS("isupper", s_str_isupper),
    M_ONE("join", s_str_join),
    W_POS("ljust", s_str_ljust, 1, 2),
    W_NOARGS("lower", s_str_lower),
    W_POS("lstrip", s_str_lstrip, 0, 1),
    {"partition", s_str_partition, S_ONE, 1, 1, NULL, S_MK_PART},
    M_ONE("removeprefix", s_str_removeprefix),
    M_ONE("removesuffix", s_str_removesuffix),
    W_POS("replace", s_str_replace, 2, 3),
    M_OLD("rfind", s_str_rfind, 1, 3),
    M_OLD("rindex", s_str_rindex, 1, 3),
    W_POS("rjust", s_str_rjust, 1, 2),
    {"rpartition", s_str_rpartition, S_ONE, 1, 1, NULL, S_MK_PART},
    {"rsplit", s_str_rsplit, S_KW, 0, 2, s_split_kw, S_MK_ITEMS},
    W_POS("rstrip", s_str_rstrip, 0, 1),
    {"split", s_str_split, S_KW, 0, 2, s_split_kw, S_MK_ITEMS},
    {"splitlines", s_str_splitlines, S_KW, 0, 1, s_splitlines_kw, S_MK_ITEMS},
    M_OLD("startswith", s_str_startswith, 1, 3),
    W_POS("strip", s_str_strip, 0, 1),
    W_NOARGS("swapcase", s_str_swapcase),
    W_NOARGS("title", s_str_title),
    W_NOARGS("upper", s_str_upper),
    W_ONE("zfill", s_str_zfill),
};

static const s_method s_list_methods[] = {
    M_ONE("append", s_list_append),
    M_NOARGS("clear", s_list_clear),
    M_NOARGS("copy", s_list_copy),
    M_ONE("count", s_seq_count),
    M_ONE("extend", s_list_extend),
    M_POS("index", s_seq_index, 1, 3),
    M_POS("insert", s_list_insert, 2, 2),
    M_POS("pop", s_list_pop, 0, 1),
    M_ONE("remove", s_list_remove),
    M_NOARGS("reverse", s_list_reverse),
    {"sort", s_list_sort, S_KWONLY, 0, 2, s_sort_kw, S_MK_NONE},
};

static const s_method s_tuple_methods[] = {
    M_ONE("count", s_seq_count),
    M_POS("index", s_seq_index, 1, 3),
};

static const s_method s_dict_methods[] = {
    M_NOARGS("clear", s_dict_clear),
    M_NOARGS("copy", s_dict_copy),
    M_POS("fromkeys", s_dict_fromkeys, 1, 2),
    M_POS("get", s_dict_get, 1, 2),
    M_NOARGS("items", s_dict_items),
    M_NOARGS("keys", s_dict_keys),
    M_POS("pop", s_dict_pop, 1, 2),
    M_NOARGS("popitem", s_dict_popitem),
    M_POS("setdefault", s_dict_setdefault, 1, 2),
    {"update", s_dict_update, S_VARKW, 0, 1, NULL, S_MK_NONE},
    M_NOARGS("values", s_dict_values),
};

#undef M_NOARGS
#undef M_ONE
#undef M_POS
#undef M_OLD
#undef M_KW
#undef W_NOARGS
#undef W_ONE
#undef W_POS
#undef W_KW

static const s_method *s_lookup(const s_method *t, size_t n, const char *name, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strncmp(t[i].name, name, len) == 0 && t[i].name[len] == '\0') return &t[i];
    return NULL;
}

gl_value gl_method(gl_vm *vm, gl_value self, const char *name, size_t len)
{
    const s_method *m = NULL;
    switch (self.kind) {
    case GL_STR: m = s_lookup(s_str_methods, S_COUNT(s_str_methods), name, len); break;
    case GL_LIST: m = s_lookup(s_list_methods, S_COUNT(s_list_methods), name, len); break;
    case GL_TUPLE: m = s_lookup(s_tuple_methods, S_COUNT(s_tuple_methods), name, len); break;
    case GL_DICT: m = s_lookup(s_dict_methods, S_COUNT(s_dict_methods), name, len); break;
    default: break;
    }
    if (!m) return gl_missing();
    /* the table is const; the function only reads its s_method back in s_call */
    return gl_func_new(vm, m->name, s_call, self, (void *)(uintptr_t)m);
}
