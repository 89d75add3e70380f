/* src/jinja/toyaml.c - Jinja values to YAML text as PyYAML 6's safe_dump writes it
 * (jinja layer, see toyaml.h). Three passes, as PyYAML's own pipeline:
 *   represent  values -> nodes (one node per list/dict/tuple object, so a shared one
 *              becomes an alias; scalars get their text and whether it may be plain),
 *   anchor     nodes met a second time get idNNN, numbered in depth-first order,
 *   emit       block style writer keeping PyYAML's column/whitespace/indention state,
 *              which decides line folding at width 80, `? ` keys and the `...` end. */
#include "jinja/toyaml.h"
#include <math.h>
#include <stdint.h>
#include <string.h>

enum { Y_WIDTH = 80, Y_INDENT = 2, Y_MAX_DEPTH = 300, Y_SIMPLE_KEY_MAX = 128 };

typedef enum { Y_SCALAR, Y_SEQ, Y_MAP } y_kind;

typedef struct y_node {
    y_kind kind;
    uint8_t tag_len;        /* length of its short tag ("!!str"...): counts toward a simple key */
    bool plain_ok;          /* written plain it reads back as the same type */
    bool visited, emitted;
    uint32_t anchor;        /* 0: none, else &idNNN */
    const char *text;       /* scalar: UTF-8 */
    size_t len;
    struct y_node **kids;   /* seq: items; map: key, value, key, value... */
    uint32_t nkids;
} y_node;

/* ---------------------------------------------------------------- implicit types */
/* A plain scalar PyYAML's resolver would read as null, bool, int, float, timestamp,
 * merge (<<), value (=) or yaml (! & *) rather than a string must be quoted. */

typedef struct y_cur { const char *p, *end; } y_cur;

static bool s_at(y_cur *c, const char *set)
{
    return c->p < c->end && *c->p && strchr(set, *c->p);
}

static bool s_eat(y_cur *c, const char *set)
{
    if (!s_at(c, set)) return false;
    c->p++;
    return true;
}

static int s_run(y_cur *c, const char *set)
{
    int n = 0;
    while (s_eat(c, set)) n++;
    return n;
}

#define DIG "0123456789"
#define DIG_ "0123456789_"

static bool s_done(const y_cur *c) { return c->p == c->end; }

/* (:[0-5]?[0-9])+ */
static bool s_sexagesimal(y_cur *c)
{
    int parts = 0;
    while (s_eat(c, ":")) {
        const char *start = c->p;
        int k = s_run(c, DIG);
        if (k == 0 || k > 2 || (k == 2 && start[0] > '5')) return false;
        parts++;
    }
    return parts > 0;
}

static bool s_exponent_opt(y_cur *c)
{
    if (!s_eat(c, "eE")) return true;
    return s_eat(c, "-+") && s_run(c, DIG) > 0;
}

static bool s_is_int(const char *s, size_t n)
{
    y_cur c = { s, s + n };
    s_eat(&c, "-+");
    y_cur body = c;
    if (s_eat(&c, "0")) {
        if (s_done(&c)) return true;
        if (s_eat(&c, "b")) return s_run(&c, "01_") > 0 && s_done(&c);
        if (s_eat(&c, "x")) return s_run(&c, DIG "abcdefABCDEF_") > 0 && s_done(&c);
        return s_run(&c, "01234567_") > 0 && s_done(&c);
    }
    c = body;
    if (!s_eat(&c, "123456789")) return false;
    s_run(&c, DIG_);
    if (s_done(&c)) return true;
    return s_sexagesimal(&c) && s_done(&c);
}

static bool s_is_float(const char *s, size_t n)
{
    static const char *const words[] = { ".inf", ".Inf", ".INF", "-.inf", "-.Inf", "-.INF", "+.inf",
                                         "+.Inf", "+.INF", ".nan", ".NaN", ".NAN", NULL };
    for (int i = 0; words[i]; i++)
        if (n == strlen(words[i]) && !memcmp(s, words[i], n)) return true;
    y_cur c = { s, s + n };
    if (s_eat(&c, ".")) {
        if (!s_eat(&c, DIG)) return false;
        s_run(&c, DIG_);
        return s_exponent_opt(&c) && s_done(&c);
    }
    s_eat(&c, "-+");
    if (!s_eat(&c, DIG)) return false;
    s_run(&c, DIG_);
    if (s_eat(&c, ".")) {
        s_run(&c, DIG_);
        return s_exponent_opt(&c) && s_done(&c);
    }
    if (!s_sexagesimal(&c) || !s_eat(&c, ".")) return false;
    s_run(&c, DIG_);
    return s_done(&c);
}

static bool s_digits(y_cur *c, int min, int max)
{
    int k = 0;
    while (k < max && s_eat(c, DIG)) k++;
    return k >= min;
}

static bool s_is_timestamp(const char *s, size_t n)
{
    y_cur c = { s, s + n };
    if (!s_digits(&c, 4, 4) || !s_eat(&c, "-")) return false;
    const char *month = c.p;
    if (!s_digits(&c, 1, 2) || !s_eat(&c, "-") || !s_digits(&c, 1, 2)) return false;
    if (s_done(&c)) return c.p - month == 5;   /* the date form wants two-digit fields */
    if (!s_eat(&c, "Tt") && s_run(&c, " \t") == 0) return false;
    if (!s_digits(&c, 1, 2) || !s_eat(&c, ":") || !s_digits(&c, 2, 2) || !s_eat(&c, ":") || !s_digits(&c, 2, 2))
        return false;
    if (s_eat(&c, ".")) s_run(&c, DIG);
    if (s_done(&c)) return true;
    s_run(&c, " \t");
    if (s_eat(&c, "Z")) return s_done(&c);
    if (!s_eat(&c, "-+") || !s_digits(&c, 1, 2)) return false;
    if (s_eat(&c, ":") && !s_digits(&c, 2, 2)) return false;
    return s_done(&c);
}

static bool s_is_word(const char *s, size_t n, const char *const *words)
{
    for (int i = 0; words[i]; i++)
        if (n == strlen(words[i]) && !memcmp(s, words[i], n)) return true;
    return false;
}

static bool s_resolves_non_str(const char *s, size_t n)
{
    static const char *const words[] = {
        "", "~", "null", "Null", "NULL", "<<", "=", "!", "&", "*",
        "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
        "on", "On", "ON", "off", "Off", "OFF", NULL };
    return s_is_word(s, n, words) || s_is_int(s, n) || s_is_float(s, n) || s_is_timestamp(s, n);
}

/* ---------------------------------------------------------------- represent */

typedef struct y_rep {
    gl_vm *vm;
    bool sort_keys;
    gl_span span;
    gl_dict *seen;          /* object address -> its node (both as ints) */
    int depth;
} y_rep;

static y_node *s_node(y_rep *r, y_kind kind, uint8_t tag_len)
{
    y_node *n = gl_vm_alloc(r->vm, sizeof *n);
    memset(n, 0, sizeof *n);
    n->kind = kind;
    n->tag_len = tag_len;
    n->plain_ok = true;
    return n;
}

static y_node *s_scalar(y_rep *r, const char *text, size_t len, uint8_t tag_len)
{
    y_node *n = s_node(r, Y_SCALAR, tag_len);
    n->text = text;
    n->len = len;
    return n;
}

/* The object whose identity makes a second occurrence an alias (NULL: none, as PyYAML
 * ignores aliases for None, str, bool, int, float and the empty tuple). */
static const void *s_identity(gl_value v)
{
    switch (v.kind) {
    case GL_LIST: case GL_DICT: case GL_OBJECT: return v.u.list;
    case GL_TUPLE: return v.u.list->len ? v.u.list : NULL;
    default: return NULL;
    }
}

static gl_value s_addr(const void *p) { return gl_int((int64_t)(intptr_t)p); }

static void s_remember(y_rep *r, const void *id, y_node *n)
{
    if (id) gl_dict_set(r->vm, r->seen, s_addr(id), s_addr(n));
}

/* repr(float) lowercased, with .0 before a bare exponent; .nan, .inf, -.inf */
static y_node *s_float(y_rep *r, double f)
{
    if (f != f) return s_scalar(r, ".nan", 4, 7);
    if (isinf(f)) return f > 0 ? s_scalar(r, ".inf", 4, 7) : s_scalar(r, "-.inf", 5, 7);
    gl_buf *b = gl_vm_buf_get(r->vm);
    gl_format_float(f, b);
    char *e = memchr(b->data, 'e', b->len);
    if (e && !memchr(b->data, '.', b->len)) {
        size_t at = (size_t)(e - b->data);
        gl_buf_add(b, "..", 2);
        memmove(b->data + at + 2, b->data + at, b->len - at - 2);
        memcpy(b->data + at, ".0", 2);
    }
    gl_value s = gl_vm_buf_str(r->vm, b);
    return s_scalar(r, s.u.s, s.len, 7);
}

static y_node *s_represent(y_rep *r, gl_value v);

static y_node *s_kids(y_rep *r, y_node *n, const gl_value *items, uint32_t count)
{
    n->kids = gl_vm_alloc(r->vm, (count ? count : 1) * sizeof *n->kids);
    for (uint32_t i = 0; i < count; i++) {
        n->kids[i] = s_represent(r, items[i]);
        if (!n->kids[i]) return NULL;
        n->nkids++;
    }
    return n;
}

static y_node *s_seq(y_rep *r, gl_value v)
{
    if (v.flags & (GL_F_GENERATOR | GL_F_GROUPTUPLE)) return NULL;   /* not list or tuple to Python */
    y_node *n = s_node(r, Y_SEQ, 5);
    s_remember(r, s_identity(v), n);
    return s_kids(r, n, v.u.list->items, v.u.list->len);
}

/* Could Python's < order a and b without TypeError? (numbers, strings, and tuples
 * whose first unequal items are orderable) */
static bool s_orderable(gl_value a, gl_value b)
{
    if (gl_is_number(a) && gl_is_number(b)) return true;
    if (a.kind != b.kind) return false;
    if (a.kind == GL_STR) return true;
    if (a.kind != GL_TUPLE) return false;
    for (uint32_t i = 0; i < a.u.list->len && i < b.u.list->len; i++)
        if (!gl_equal(a.u.list->items[i], b.u.list->items[i]))
            return s_orderable(a.u.list->items[i], b.u.list->items[i]);
    return true;
}

/* sorted(d.items()) raises TypeError as soon as two keys cannot be ordered; any such
 * pair among the keys ends up compared, so PyYAML then keeps insertion order. */
static bool s_all_orderable(gl_value *keys, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t j = i + 1; j < n; j++)
            if (!s_orderable(keys[i], keys[j])) return false;
    return true;
}

/* Stable merge sort of keys and values together (keys are distinct). */
static void s_sort_pairs(y_rep *r, gl_value *kv, gl_value *tmp, uint32_t n)
{
    if (n < 2) return;
    uint32_t h = n / 2, i = 0, j = h, k = 0;
    s_sort_pairs(r, kv, tmp, h);
    s_sort_pairs(r, kv + 2 * h, tmp, n - h);
    while (i < h || j < n) {
        bool left = j == n || (i < h && gl_compare(r->vm, kv[2 * j], kv[2 * i], "<", r->span) >= 0);
        uint32_t from = left ? i++ : j++;
        tmp[2 * k] = kv[2 * from];
        tmp[2 * k + 1] = kv[2 * from + 1];
        k++;
    }
    memcpy(kv, tmp, 2 * n * sizeof *kv);
}

static void s_maybe_sort(y_rep *r, gl_value *kv, uint32_t n)
{
    if (!r->sort_keys || n < 2) return;
    gl_value *keys = gl_vm_alloc(r->vm, n * sizeof *keys);
    for (uint32_t i = 0; i < n; i++) keys[i] = kv[2 * i];
    if (!s_all_orderable(keys, n)) return;
    s_sort_pairs(r, kv, gl_vm_alloc(r->vm, 2 * n * sizeof *kv), n);
}

static y_node *s_map(y_rep *r, gl_value v)
{
    const gl_dict *d = v.u.dict;
    y_node *n = s_node(r, Y_MAP, 5);
    s_remember(r, d, n);
    gl_value *kv = gl_vm_alloc(r->vm, (2 * d->count + 1) * sizeof *kv);
    uint32_t count = 0;
    for (uint32_t i = 0; i < d->nentries; i++) {
        if (!d->entries[i].live) continue;
        kv[2 * count] = d->entries[i].key;
        kv[2 * count + 1] = d->entries[i].value;
        count++;
    }
    s_maybe_sort(r, kv, count);
    return s_kids(r, n, kv, 2 * count);
}

/* A datetime is a timestamp scalar: str() is isoformat(' '), as represent_datetime. */
static y_node *s_object(y_rep *r, gl_value v)
{
    if (strcmp(v.u.obj->cls->name, "datetime.datetime") != 0) return NULL;
    gl_buf *b = gl_vm_buf_get(r->vm);
    gl_str_of(r->vm, v, b);
    gl_value s = gl_vm_buf_str(r->vm, b);
    y_node *n = s_scalar(r, s.u.s, s.len, 11);
    n->plain_ok = s_is_timestamp(s.u.s, s.len);
    s_remember(r, v.u.obj, n);
    return n;
}

static y_node *s_represent_new(y_rep *r, gl_value v)
{
    switch (v.kind) {
    case GL_NONE: return s_scalar(r, "null", 4, 6);
    case GL_BOOL: return v.u.b ? s_scalar(r, "true", 4, 6) : s_scalar(r, "false", 5, 6);
    case GL_INT: {
        gl_value s = gl_vm_strf(r->vm, "%lld", (long long)v.u.i);
        return s_scalar(r, s.u.s, s.len, 5);
    }
    case GL_FLOAT: return s_float(r, v.u.f);
    case GL_STR: {
        if (v.flags & GL_F_SAFE) return NULL;   /* Markup: a str subclass SafeDumper refuses */
        y_node *n = s_scalar(r, v.u.s, v.len, 5);
        n->plain_ok = !s_resolves_non_str(v.u.s, v.len);
        return n;
    }
    case GL_LIST: case GL_TUPLE: return s_seq(r, v);
    case GL_DICT: return s_map(r, v);
    case GL_OBJECT: return s_object(r, v);
    default: return NULL;   /* Undefined, namespace, macro, function */
    }
}

static y_node *s_represent(y_rep *r, gl_value v)
{
    const void *id = s_identity(v);
    gl_value known;
    if (id && gl_dict_get(r->seen, s_addr(id), &known)) return (y_node *)(intptr_t)known.u.i;
    if (++r->depth > Y_MAX_DEPTH)
        gl_vm_error(r->vm, GL_ERR_RUNTIME, r->span, "maximum recursion depth exceeded while representing YAML");
    y_node *n = s_represent_new(r, v);
    r->depth--;
    return n;
}

/* ---------------------------------------------------------------- anchors */

static void s_anchor(y_node *n, uint32_t *last)
{
    if (n->visited) {
        if (!n->anchor) n->anchor = ++*last;
        return;
    }
    n->visited = true;
    for (uint32_t i = 0; i < n->nkids; i++) s_anchor(n->kids[i], last);
}

/* ---------------------------------------------------------------- scalar analysis */

typedef struct y_text {
    int32_t *cp;            /* the scalar as code points */
    size_t n;
    bool empty, multiline;
    bool plain, single;     /* allowed styles (block context) */
} y_text;

static bool s_is_break(int32_t c) { return c == '\n' || c == 0x85 || c == 0x2028 || c == 0x2029; }

static bool s_is_space(int32_t c)
{
    return c == 0 || c == ' ' || c == '\t' || c == '\r' || s_is_break(c);
}

static bool s_printable(int32_t c) { return c >= 0x20 && c <= 0x7E; }

typedef struct y_flags {
    bool block_ind, breaks, special;
    bool lead_space, trail_space, break_space, space_break;
} y_flags;

/* Indicators that keep a block plain scalar from reading back as itself. */
static bool s_block_indicator(const int32_t *t, size_t n, size_t i, bool before_ws)
{
    int32_t c = t[i];
    bool after_ws = i + 1 >= n || s_is_space(t[i + 1]);
    if (i == 0) {
        if (c > 0 && c < 128 && strchr("#,[]{}&*!|>'\"%@`", c)) return true;
        return (c == '?' || c == ':' || c == '-') && after_ws;
    }
    return (c == ':' && after_ws) || (c == '#' && before_ws);
}

static void s_scan(const int32_t *t, size_t n, y_flags *f)
{
    bool prev_space = false, prev_break = false;
    for (size_t i = 0; i < n; i++) {
        int32_t c = t[i];
        if (s_block_indicator(t, n, i, i == 0 || s_is_space(t[i - 1]))) f->block_ind = true;
        if (s_is_break(c)) f->breaks = true;
        if (c != '\n' && !s_printable(c)) f->special = true;
        bool sp = c == ' ', br = s_is_break(c);
        if ((sp || br) && i == 0) f->lead_space = true;
        if ((sp || br) && i == n - 1) f->trail_space = true;
        if (sp && prev_break) f->break_space = true;
        if (br && prev_space) f->space_break = true;
        prev_space = sp;
        prev_break = br;
    }
}

static void s_analyze(y_text *a)
{
    a->empty = a->n == 0;
    a->multiline = false;
    a->plain = a->single = true;
    if (a->empty) return;
    y_flags f = {0};
    const int32_t *t = a->cp;
    if (a->n >= 3 && ((t[0] == '-' && t[1] == '-' && t[2] == '-') || (t[0] == '.' && t[1] == '.' && t[2] == '.')))
        f.block_ind = true;
    s_scan(t, a->n, &f);
    a->multiline = f.breaks;
    if (f.lead_space || f.trail_space || f.breaks || f.block_ind) a->plain = false;
    if (f.break_space || f.space_break || f.special) a->plain = a->single = false;
}

static void s_decode(gl_vm *vm, const char *s, size_t len, y_text *a)
{
    a->cp = gl_vm_alloc(vm, (len + 1) * sizeof *a->cp);
    a->n = 0;
    for (size_t i = 0; i < len;) {
        int32_t c;
        i += (size_t)gl_utf8_decode(s + i, len - i, &c);
        a->cp[a->n++] = c;
    }
    s_analyze(a);
}

/* ---------------------------------------------------------------- writer state */

typedef struct y_emit {
    gl_vm *vm;
    gl_buf *out;
    long column;
    int indent;             /* -1 before the first collection or scalar */
    bool whitespace;        /* the last character written was a space or a break */
    bool indention;         /* only indentation and indicators on this line so far */
    bool open_ended;        /* a plain top-level scalar: `...` must end the stream */
    bool root, mapping, simple_key;   /* context of the node being written */
} y_emit;

static void s_put(y_emit *e, const int32_t *t, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) gl_utf8_encode(t[i], e->out);
    if (to > from) e->column += (long)(to - from);
}

static void s_indicator(y_emit *e, const char *ind, bool need_ws, bool whitespace, bool indention)
{
    if (!e->whitespace && need_ws) {
        gl_buf_addc(e->out, ' ');
        e->column++;
    }
    gl_buf_adds(e->out, ind);
    e->column += (long)strlen(ind);
    e->whitespace = whitespace;
    e->indention = e->indention && indention;
    e->open_ended = false;
}

static void s_line_break(y_emit *e, int32_t br)
{
    gl_utf8_encode(br, e->out);
    e->whitespace = e->indention = true;
    e->column = 0;
}

static void s_write_indent(y_emit *e)
{
    long indent = e->indent < 0 ? 0 : e->indent;
    if (!e->indention || e->column > indent || (e->column == indent && !e->whitespace)) s_line_break(e, '\n');
    if (e->column < indent) {
        e->whitespace = true;
        for (; e->column < indent; e->column++) gl_buf_addc(e->out, ' ');
    }
}

static void s_increase_indent(y_emit *e, bool flow, bool indentless)
{
    if (e->indent < 0) e->indent = flow ? Y_INDENT : 0;
    else if (!indentless) e->indent += Y_INDENT;
}

/* ---------------------------------------------------------------- scalar writers */

static void s_write_plain(y_emit *e, const int32_t *t, size_t n, bool split)
{
    if (e->root) e->open_ended = true;
    if (!n) return;
    if (!e->whitespace) {
        gl_buf_addc(e->out, ' ');
        e->column++;
    }
    e->whitespace = e->indention = false;
    size_t start = 0;
    for (size_t end = 0; end <= n; end++) {   /* plain text has no breaks: fold at single spaces */
        int32_t c = end < n ? t[end] : -1;
        bool in_spaces = end > 0 && t[end - 1] == ' ';
        if (in_spaces && c != ' ') {
            if (start + 1 == end && e->column > Y_WIDTH && split) {
                s_write_indent(e);
                e->whitespace = e->indention = false;
            } else {
                s_put(e, t, start, end);
            }
            start = end;
        } else if (!in_spaces && (c == -1 || c == ' ')) {
            s_put(e, t, start, end);
            start = end;
        }
    }
}

static void s_single_breaks(y_emit *e, const int32_t *t, size_t start, size_t end)
{
    if (t[start] == '\n') s_line_break(e, '\n');
    for (size_t i = start; i < end; i++) s_line_break(e, t[i]);
    s_write_indent(e);
}

static void s_write_single(y_emit *e, const int32_t *t, size_t n, bool split)
{
    s_indicator(e, "'", true, false, false);
    bool spaces = false, breaks = false;
    size_t start = 0;
    for (size_t end = 0; end <= n; end++) {
        int32_t c = end < n ? t[end] : -1;
        if (spaces && c != ' ') {
            if (start + 1 == end && e->column > Y_WIDTH && split && start != 0 && end != n) s_write_indent(e);
            else s_put(e, t, start, end);
            start = end;
        } else if (breaks && (c == -1 || !s_is_break(c))) {
            s_single_breaks(e, t, start, end);
            start = end;
        } else if (!spaces && !breaks && (c == -1 || c == ' ' || s_is_break(c) || c == '\'') && start < end) {
            s_put(e, t, start, end);
            start = end;
        }
        if (c == '\'') {
            gl_buf_adds(e->out, "''");
            e->column += 2;
            start = end + 1;
        }
        if (c != -1) {
            spaces = c == ' ';
            breaks = s_is_break(c);
        }
    }
    s_indicator(e, "'", false, false, false);
}

static void s_escape(y_emit *e, int32_t c)
{
    static const char from[] = { 0, 7, 8, 9, 10, 11, 12, 13, 27, '"', '\\' };
    static const char to[] = "0abtnvfre\"\\";
    char tmp[16];
    int len = -1;
    for (size_t i = 0; i < sizeof from; i++)
        if (c == from[i]) len = snprintf(tmp, sizeof tmp, "\\%c", to[i]);
    if (len < 0) {
        switch (c) {
        case 0x85: len = snprintf(tmp, sizeof tmp, "\\N"); break;
        case 0xA0: len = snprintf(tmp, sizeof tmp, "\\_"); break;
        case 0x2028: len = snprintf(tmp, sizeof tmp, "\\L"); break;
        case 0x2029: len = snprintf(tmp, sizeof tmp, "\\P"); break;
        default:
            len = c <= 0xFF ? snprintf(tmp, sizeof tmp, "\\x%02X", (unsigned)c)
                : c <= 0xFFFF ? snprintf(tmp, sizeof tmp, "\\u%04X", (unsigned)c)
                : snprintf(tmp, sizeof tmp, "\\U%08X", (unsigned)c);
        }
    }
    gl_buf_add(e->out, tmp, (size_t)len);
    e->column += len;
}

static bool s_needs_escape(int32_t c)
{
    return c == '"' || c == '\\' || c == 0xFEFF || !s_printable(c);
}

/* Folding a double-quoted scalar: the line ends in `\`, the next starts at the indent
 * (with a `\` first when it starts with a space, so the space survives). */
static void s_double_fold(y_emit *e, const int32_t *t, size_t *start, size_t end)
{
    if (*start < end) {
        s_put(e, t, *start, end);
        *start = end;
    }
    gl_buf_addc(e->out, '\\');
    e->column++;
    s_write_indent(e);
    e->whitespace = e->indention = false;
    if (t[*start] == ' ') {
        gl_buf_addc(e->out, '\\');
        e->column++;
    }
}

static void s_write_double(y_emit *e, const int32_t *t, size_t n, bool split)
{
    s_indicator(e, "\"", true, false, false);
    size_t start = 0;
    for (size_t end = 0; end <= n; end++) {
        int32_t c = end < n ? t[end] : -1;
        if (c == -1 || s_needs_escape(c)) {
            if (start < end) {
                s_put(e, t, start, end);
                start = end;
            }
            if (c != -1) {
                s_escape(e, c);
                start = end + 1;
            }
        }
        if (split && end > 0 && end + 1 < n && (c == ' ' || start >= end) &&
            e->column + ((long)end - (long)start) > Y_WIDTH)
            s_double_fold(e, t, &start, end);
    }
    s_indicator(e, "\"", false, false, false);
}

/* ---------------------------------------------------------------- nodes */

static void s_emit_node(y_emit *e, y_node *n, bool mapping, bool simple_key, int depth);

static void s_write_scalar(y_emit *e, y_node *n)
{
    y_text a;
    s_decode(e->vm, n->text, n->len, &a);
    int saved = e->indent;
    s_increase_indent(e, true, false);
    bool split = !e->simple_key;
    if (n->plain_ok && !(e->simple_key && (a.empty || a.multiline)) && a.plain)
        s_write_plain(e, a.cp, a.n, split);
    else if (a.single && !(e->simple_key && a.multiline))
        s_write_single(e, a.cp, a.n, split);
    else
        s_write_double(e, a.cp, a.n, split);
    e->indent = saved;
}

static void s_write_empty(y_emit *e, const char *open, const char *close)
{
    s_indicator(e, open, true, true, false);
    s_indicator(e, close, false, false, false);
}

static void s_write_seq(y_emit *e, y_node *n, int depth)
{
    int saved = e->indent;
    s_increase_indent(e, false, e->mapping && !e->indention);   /* `key:\n- item`: not indented */
    for (uint32_t i = 0; i < n->nkids; i++) {
        s_write_indent(e);
        s_indicator(e, "-", true, false, true);
        s_emit_node(e, n->kids[i], false, false, depth + 1);
    }
    e->indent = saved;
}

/* A key written `key: value` (else `? key` on its own line, then `: value`). */
static bool s_simple_key(y_emit *e, y_node *k)
{
    size_t len = k->anchor ? (size_t)snprintf(NULL, 0, "id%03u", (unsigned)k->anchor) : 0;
    if (k->emitted) return len < Y_SIMPLE_KEY_MAX;   /* an alias */
    len += k->tag_len;
    if (k->kind != Y_SCALAR) return len < Y_SIMPLE_KEY_MAX && k->nkids == 0;
    y_text a;
    s_decode(e->vm, k->text, k->len, &a);
    return len + a.n < Y_SIMPLE_KEY_MAX && !a.empty && !a.multiline;
}

static void s_write_map(y_emit *e, y_node *n, int depth)
{
    int saved = e->indent;
    s_increase_indent(e, false, false);
    for (uint32_t i = 0; i + 1 < n->nkids; i += 2) {
        s_write_indent(e);
        if (s_simple_key(e, n->kids[i])) {
            s_emit_node(e, n->kids[i], true, true, depth + 1);
            s_indicator(e, ":", false, false, false);
        } else {
            s_indicator(e, "?", true, false, true);
            s_emit_node(e, n->kids[i], true, false, depth + 1);
            s_write_indent(e);
            s_indicator(e, ":", true, false, true);
        }
        s_emit_node(e, n->kids[i + 1], true, false, depth + 1);
    }
    e->indent = saved;
}

static void s_anchor_text(y_emit *e, char sigil, uint32_t anchor)
{
    char tmp[24];
    snprintf(tmp, sizeof tmp, "%cid%03u", sigil, (unsigned)anchor);
    s_indicator(e, tmp, true, false, false);
}

static void s_emit_node(y_emit *e, y_node *n, bool mapping, bool simple_key, int depth)
{
    e->root = depth == 0;
    e->mapping = mapping;
    e->simple_key = simple_key;
    if (n->emitted) {
        s_anchor_text(e, '*', n->anchor);
        return;
    }
    n->emitted = true;
    if (n->anchor) s_anchor_text(e, '&', n->anchor);
    if (n->kind == Y_SCALAR) s_write_scalar(e, n);
    else if (n->nkids == 0) s_write_empty(e, n->kind == Y_SEQ ? "[" : "{", n->kind == Y_SEQ ? "]" : "}");
    else if (n->kind == Y_SEQ) s_write_seq(e, n, depth);
    else s_write_map(e, n, depth);
}

/* ---------------------------------------------------------------- entry */

bool gl_value_to_yaml(gl_vm *vm, gl_value v, bool sort_keys, gl_span span, gl_buf *out)
{
    y_rep r = { vm, sort_keys, span, gl_dict_new(vm).u.dict, 0 };
    y_node *root = s_represent(&r, v);
    if (!root) return false;
    uint32_t last = 0;
    s_anchor(root, &last);
    y_emit e = { vm, out, 0, -1, true, true, false, false, false, false };
    s_emit_node(&e, root, false, false, 0);
    s_write_indent(&e);   /* document end */
    if (e.open_ended) {
        s_indicator(&e, "...", true, false, false);
        s_write_indent(&e);
    }
    return true;
}
