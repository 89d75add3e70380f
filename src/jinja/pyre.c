/* src/jinja/pyre.c - Python's `re` module for templates (modules.re), matched by PCRE2.
 * Owns: the translation of Python's pattern syntax into PCRE2's (with Python's errors),
 * Python's replacement templates, Python 3.11's empty-match rules for findall, sub and
 * split, the Pattern and Match objects, and a per-module cache of compiled patterns.
 * Ownership: PCRE2 allocates through a general context backed by vm->arena, so codes,
 * match data and match frames die with the vm and nothing is freed singly.
 * A match that backtracks too much stops at a PCRE2 match limit and is an error. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include "jinja/pyre.h"
#include "jinja/vm.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum { RE_T = 1, RE_I = 2, RE_L = 4, RE_M = 8, RE_S = 16, RE_U = 32, RE_X = 64, RE_A = 256 };
enum { RE_MATCH_LIMIT = 10000000, RE_HEAP_LIMIT_KIB = 32768 };
enum { RE_MODE_MATCH, RE_MODE_SEARCH, RE_MODE_FULL };

typedef struct re_state {
    gl_vm *vm;
    pcre2_general_context *gctx;
    pcre2_compile_context *cctx;
    pcre2_match_context *mctx;
    gl_dict *cache;             /* (pattern, flags) -> Pattern object */
} re_state;

typedef struct re_group {
    gl_value name;              /* GL_STR, or GL_NONE when unnamed */
    uint32_t parent;            /* the enclosing capture group, 0 for none */
    bool open;                  /* while translating: not closed yet */
} re_group;

typedef struct re_pattern {
    re_state *st;
    gl_value self;              /* the Pattern object */
    gl_value src;               /* the Python pattern */
    int64_t flags;              /* Python flags with inline ones and UNICODE */
    pcre2_code *code;
    pcre2_match_data *md;
    uint32_t ngroups;
    re_group *groups;           /* [1..ngroups] */
    gl_dict *groupindex;        /* name -> group number */
} re_pattern;

typedef struct re_match {
    re_pattern *p;
    gl_value subj;
    PCRE2_SIZE *ov;             /* 2 * (ngroups + 1) byte offsets, PCRE2_UNSET if unset */
    int64_t pos, endpos;        /* code points; -1: not given (0, len) */
} re_match;

static const gl_class s_pattern_class, s_match_class;

static bool s_is(const char *s, size_t n, const char *lit) { return strlen(lit) == n && !memcmp(s, lit, n); }

static size_t s_cp(const char *s, size_t byte_off) { return gl_utf8_count(s, byte_off); }

/* ---------------------------------------------------------------- PCRE2 memory */

static void *s_pcre_alloc(PCRE2_SIZE n, void *data)
{
    return gl_arena_alloc(&((gl_vm *)data)->arena, n ? n : 1);
}

static void s_pcre_free(void *p, void *data) { (void)p; (void)data; }

/* ---------------------------------------------------------------- errors */

static _Noreturn void s_re_error(gl_vm *vm, gl_span span, size_t pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static _Noreturn void s_re_error(gl_vm *vm, gl_span span, size_t pos, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    gl_vm_error(vm, GL_ERR_VALUE, span, "re.error: %s at position %zu", msg, pos);
}

static gl_value s_subject(gl_vm *vm, gl_value v, gl_span span)
{
    if (v.kind != GL_STR)
        gl_vm_error(vm, GL_ERR_TYPE, span, "expected string or bytes-like object, got '%s'", gl_type_name(v));
    return v;
}

/* ---------------------------------------------------------------- translation */

/* Python pattern -> PCRE2 pattern. map holds (output offset, input offset) pairs so a
 * PCRE2 error offset can be told as a position in the Python pattern. */
typedef struct re_tr {
    gl_vm *vm;
    gl_span span;
    const char *p;
    size_t n, i;
    gl_buf *out, *map;
    int64_t flags;
    bool items;                 /* an item was seen: global flags are too late */
    re_group *groups;
    uint32_t ngroups, capgroups;
    struct { uint32_t group; size_t at; } *open;
    uint32_t nopen, capopen;
    unsigned long maxcond;      /* the highest group a (?(n)...) tests: checked at the end */
    size_t maxcond_at;
} re_tr;

static _Noreturn void s_tr_fail(re_tr *t, size_t at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static _Noreturn void s_tr_fail(re_tr *t, size_t at, const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    s_re_error(t->vm, t->span, s_cp(t->p, at), "%s", msg);
}

static void s_tr_mark(re_tr *t, size_t at)
{
    uint32_t pair[2] = { (uint32_t)t->out->len, (uint32_t)at };
    gl_buf_add(t->map, (const char *)pair, sizeof pair);
}

static void s_tr_emit(re_tr *t, const char *s, size_t n) { gl_buf_add(t->out, s, n); }

static void s_tr_char(re_tr *t, int32_t cp) { gl_buf_printf(t->out, "\\x{%X}", (unsigned)cp); }

static bool s_hexval(char c, int *v)
{
    if (c >= '0' && c <= '9') *v = c - '0';
    else if (c >= 'a' && c <= 'f') *v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') *v = c - 'A' + 10;
    else return false;
    return true;
}

static bool s_octal(char c) { return c >= '0' && c <= '7'; }
static bool s_digit(char c) { return c >= '0' && c <= '9'; }
static bool s_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/* \xhh, \uhhhh, \Uhhhhhhhh: exactly ndig hex digits after the letter at t->i + 1. */
static void s_tr_hex(re_tr *t, size_t at, int ndig)
{
    uint32_t v = 0;
    size_t j = t->i + 2;
    for (int k = 0; k < ndig; k++, j++) {
        int d;
        if (j >= t->n || !s_hexval(t->p[j], &d))
            s_tr_fail(t, at, "incomplete escape %.*s", (int)(j - at), t->p + at);
        v = v * 16 + (uint32_t)d;
    }
    if (v > 0x10FFFF) s_tr_fail(t, at, "bad escape %.*s", (int)(j - at), t->p + at);
    s_tr_char(t, (int32_t)v);
    t->i = j;
}

/* Up to max more octal digits after the first at t->i + 1; the character they make. */
static void s_tr_octal(re_tr *t, size_t at, int max)
{
    size_t j = t->i + 2;
    while (j < t->n && j - (t->i + 1) <= (size_t)max && s_octal(t->p[j])) j++;
    unsigned v = 0;
    for (size_t k = t->i + 1; k < j; k++) v = v * 8 + (unsigned)(t->p[k] - '0');
    if (v > 0377) s_tr_fail(t, at, "octal escape value %.*s outside of range 0-0o377", (int)(j - at), t->p + at);
    s_tr_char(t, (int32_t)v);
    t->i = j;
}

/* \1..\99 (a group that must exist and be closed) or a three-digit octal escape. */
static void s_tr_backref(re_tr *t, size_t at)
{
    const char *p = t->p;
    size_t j = t->i + 1;
    if (j + 1 < t->n && s_digit(p[j + 1])) {
        if (s_octal(p[j]) && s_octal(p[j + 1]) && j + 2 < t->n && s_octal(p[j + 2])) {
            s_tr_octal(t, at, 2);
            return;
        }
        j++;
    }
    unsigned g = 0;
    for (size_t k = t->i + 1; k <= j; k++) g = g * 10 + (unsigned)(p[k] - '0');
    if (g > t->ngroups) s_tr_fail(t, at + 1, "invalid group reference %u", g);
    if (t->groups[g].open) s_tr_fail(t, at, "cannot refer to an open group");
    gl_buf_printf(t->out, "(?:\\g{%u})", g);
    t->i = j + 1;
}

static void s_tr_named_char(re_tr *t, size_t at)
{
    if (t->i + 2 >= t->n || t->p[t->i + 2] != '{') s_tr_fail(t, at + 2, "missing {");
    s_tr_fail(t, at, "\\N{...} named characters are not supported by gluec");
}

/* Python's Unicode \s is str.isspace(): PCRE2's also misses U+001C..U+001F and U+0085.
 * Returns false when PCRE2's \s or \S will do (ASCII, or \S inside a class). */
static bool s_tr_space(re_tr *t, bool in_class, bool negated)
{
    static const char extra[] = "\\s\\x{1C}-\\x{1F}\\x{85}";
    if ((t->flags & RE_A) || (in_class && negated)) return false;
    if (in_class) gl_buf_adds(t->out, extra);
    else gl_buf_printf(t->out, "[%s%s]", negated ? "^" : "", extra);
    t->i += 2;
    return true;
}

/* An escape at t->i (the backslash); in_class: inside [...]. */
static void s_tr_escape(re_tr *t, bool in_class)
{
    size_t at = t->i;
    if (at + 1 >= t->n) s_tr_fail(t, at, "bad escape (end of pattern)");
    char c = t->p[at + 1];
    switch (c) {
    case 'x': s_tr_hex(t, at, 2); return;
    case 'u': s_tr_hex(t, at, 4); return;
    case 'U': s_tr_hex(t, at, 8); return;
    case 'N': s_tr_named_char(t, at); return;
    case 'v': s_tr_char(t, 0x0B); t->i += 2; return;
    case 'a': s_tr_char(t, 0x07); t->i += 2; return;
    case '0': s_tr_octal(t, at, 2); return;
    case 'b': if (in_class) { s_tr_char(t, 0x08); t->i += 2; return; } break;
    case 'Z': if (!in_class) { s_tr_emit(t, "\\z", 2); t->i += 2; return; } break;
    case 's': case 'S': if (s_tr_space(t, in_class, c == 'S')) return; break;
    default: break;
    }
    if (s_digit(c)) {
        if (!in_class) { s_tr_backref(t, at); return; }
        if (!s_octal(c)) s_tr_fail(t, at, "bad escape \\%c", c);
        s_tr_octal(t, at, 2);
        return;
    }
    if (s_letter(c) && !strchr(in_class ? "dDsSwWfnrt" : "AbBdDsSwWfnrt", c))
        s_tr_fail(t, at, "bad escape \\%c", c);
    int32_t cp;
    int len = gl_utf8_decode(t->p + at + 1, t->n - at - 1, &cp);
    s_tr_emit(t, t->p + at, 1 + (size_t)len);
    t->i += 1 + (size_t)len;
}

/* [...]: a '[' inside is escaped (PCRE2 would read [:alpha:]); escapes as Python's. */
static void s_tr_class(re_tr *t)
{
    size_t at = t->i;
    s_tr_emit(t, "[", 1);
    t->i++;
    if (t->i < t->n && t->p[t->i] == '^') { s_tr_emit(t, "^", 1); t->i++; }
    if (t->i < t->n && t->p[t->i] == ']') { s_tr_emit(t, "\\]", 2); t->i++; }
    while (t->i < t->n && t->p[t->i] != ']') {
        s_tr_mark(t, t->i);
        if (t->p[t->i] == '\\') s_tr_escape(t, true);
        else if (t->p[t->i] == '[') { s_tr_emit(t, "\\[", 2); t->i++; }
        else { s_tr_emit(t, t->p + t->i, 1); t->i++; }
    }
    if (t->i >= t->n) s_tr_fail(t, at, "unterminated character set");
    s_tr_emit(t, "]", 1);
    t->i++;
}

static void s_tr_push(re_tr *t, uint32_t group, size_t at)
{
    if (t->nopen == t->capopen) {
        uint32_t cap = t->capopen ? t->capopen * 2 : 16;
        t->open = gl_arena_grow(&t->vm->arena, t->open, t->capopen * sizeof *t->open, cap * sizeof *t->open);
        t->capopen = cap;
    }
    t->open[t->nopen].group = group;
    t->open[t->nopen++].at = at;
}

static uint32_t s_tr_parent(const re_tr *t)
{
    for (uint32_t k = t->nopen; k > 0; k--)
        if (t->open[k - 1].group) return t->open[k - 1].group;
    return 0;
}

static void s_tr_new_group(re_tr *t, gl_value name, size_t at)
{
    if (t->ngroups + 2 > t->capgroups) {
        uint32_t cap = t->capgroups ? t->capgroups * 2 : 16;
        t->groups = gl_arena_grow(&t->vm->arena, t->groups, t->capgroups * sizeof *t->groups, cap * sizeof *t->groups);
        t->capgroups = cap;
    }
    uint32_t g = ++t->ngroups;
    t->groups[g] = (re_group){ name, s_tr_parent(t), true };
    s_tr_push(t, g, at);
}

static void s_tr_close(re_tr *t)
{
    if (!t->nopen) s_tr_fail(t, t->i, "unbalanced parenthesis");
    uint32_t g = t->open[--t->nopen].group;
    if (g) t->groups[g].open = false;
    s_tr_emit(t, ")", 1);
    t->i++;
}

/* A group name from t->i up to term; returns it (validated as an identifier). */
static gl_value s_tr_name(re_tr *t, char term)
{
    size_t start = t->i, j = start;
    while (j < t->n && t->p[j] != term) j++;
    if (j == start) s_tr_fail(t, start, "missing group name");
    if (j >= t->n) s_tr_fail(t, start, "missing %c, unterminated name", term);
    for (size_t k = start; k < j; k++) {
        unsigned char c = (unsigned char)t->p[k];
        if (!(c >= 0x80 || c == '_' || s_letter((char)c) || (k > start && s_digit((char)c))))
            s_tr_fail(t, start, "bad character in group name '%.*s'", (int)(j - start), t->p + start);
    }
    t->i = j + 1;
    return gl_str(t->p + start, j - start);
}

static uint32_t s_tr_find_name(const re_tr *t, gl_value name)
{
    for (uint32_t g = 1; g <= t->ngroups; g++)
        if (t->groups[g].name.kind == GL_STR && gl_equal(t->groups[g].name, name)) return g;
    return 0;
}

/* (?P<name>...) and (?P=name); t->i is at the 'P'. */
static void s_tr_ext_p(re_tr *t, size_t at)
{
    char c = t->i + 1 < t->n ? t->p[t->i + 1] : 0;
    t->i += 2;
    if (c == '<') {
        gl_value name = s_tr_name(t, '>');
        uint32_t was = s_tr_find_name(t, name);
        if (was) s_tr_fail(t, at + 4, "redefinition of group name '%.*s' as group %u; was group %u",
                           (int)name.len, name.u.s, t->ngroups + 1, was);
        s_tr_new_group(t, name, at);
        gl_buf_printf(t->out, "(?P<%.*s>", (int)name.len, name.u.s);
        return;
    }
    if (c != '=') s_tr_fail(t, at + 1, "unknown extension ?P%c", c);
    gl_value name = s_tr_name(t, ')');
    uint32_t g = s_tr_find_name(t, name);
    if (!g) s_tr_fail(t, at + 4, "unknown group name '%.*s'", (int)name.len, name.u.s);
    if (t->groups[g].open) s_tr_fail(t, at + 4, "cannot refer to an open group");
    gl_buf_printf(t->out, "(?:\\g{%u})", g);
}

static int64_t s_flag_bit(char c)
{
    switch (c) {
    case 'a': return RE_A; case 'i': return RE_I; case 'L': return RE_L; case 'm': return RE_M;
    case 's': return RE_S; case 'u': return RE_U; case 'x': return RE_X;
    default: return 0;
    }
}

/* Inline flags (?aiLmsux) at the start, or scoped (?imsx-imsx:...); t->i after "(?". */
static void s_tr_flags(re_tr *t, size_t at)
{
    int64_t on = 0, off = 0;
    bool minus = false;
    size_t j = t->i;
    for (; j < t->n && t->p[j] != ')' && t->p[j] != ':'; j++) {
        if (t->p[j] == '-' && !minus) { minus = true; continue; }
        int64_t bit = s_flag_bit(t->p[j]);
        if (!bit) s_tr_fail(t, j, t->p[j] == '-' || s_letter(t->p[j]) ? "unknown flag" : "missing -, : or )");
        if (minus && !(bit & (RE_I | RE_M | RE_S | RE_X))) s_tr_fail(t, j, "bad inline flags: cannot turn off flags 'a', 'u' and 'L'");
        *(minus ? &off : &on) |= bit;
    }
    if (j >= t->n) s_tr_fail(t, j, "missing -, : or )");
    if (on & RE_L) s_tr_fail(t, at, "bad inline flags: cannot use 'L' flag with a str pattern");
    if ((on & RE_A) && (on & RE_U)) s_tr_fail(t, at, "bad inline flags: flags 'a', 'u' and 'L' are incompatible");
    if (t->p[j] == ')') {
        if (minus) s_tr_fail(t, j, "missing :");
        if (t->items) s_tr_fail(t, at, "global flags not at the start of the expression");
        t->flags |= on;
        t->i = j + 1;
        return;
    }
    if (on & RE_A) s_tr_fail(t, at, "scoped ASCII flags (?a:...) are not supported by gluec");
    gl_buf_addc(t->out, '(');
    gl_buf_addc(t->out, '?');
    for (size_t k = t->i; k <= j; k++) if (t->p[k] != 'u') gl_buf_addc(t->out, t->p[k]);
    s_tr_push(t, 0, at);
    t->i = j + 1;
}

/* (?(group)yes|no): the condition is copied as it is, PCRE2 reads it the same way. */
static void s_tr_cond(re_tr *t, size_t at)
{
    size_t start = ++t->i, j = start;
    while (j < t->n && s_digit(t->p[j])) j++;
    gl_value name;
    if (j > start && j < t->n && t->p[j] == ')') {
        name = gl_str(t->p + start, j - start);
        if (j - start > 9) s_tr_fail(t, start, "invalid group reference %.*s", (int)name.len, name.u.s);
        unsigned long g = strtoul(name.u.s, NULL, 10);
        if (g > t->maxcond) { t->maxcond = g; t->maxcond_at = start; }
        t->i = j + 1;
    } else {
        name = s_tr_name(t, ')');
        if (!s_tr_find_name(t, name)) s_tr_fail(t, start, "unknown group name '%.*s'", (int)name.len, name.u.s);
    }
    gl_buf_printf(t->out, "(?(%.*s)", (int)name.len, name.u.s);
    s_tr_push(t, 0, at);
}

/* "(?": t->i is at the '('. */
static void s_tr_ext(re_tr *t)
{
    size_t at = t->i;
    t->i += 2;
    char c = t->i < t->n ? t->p[t->i] : 0;
    const char *rest = t->p + t->i;
    size_t left = t->n - t->i;
    if (c == 'P') { s_tr_ext_p(t, at); return; }
    if (c == '#') {
        const char *e = memchr(rest, ')', left);
        if (!e) s_tr_fail(t, at, "missing ), unterminated comment");
        t->i = (size_t)(e - t->p) + 1;
        return;
    }
    if (c == '(') { s_tr_cond(t, at); return; }
    if (c == ':' || c == '=' || c == '!' || c == '>' ||
        (c == '<' && left >= 2 && (rest[1] == '=' || rest[1] == '!'))) {
        size_t k = c == '<' ? 2 : 1;
        gl_buf_add(t->out, t->p + at, 2 + k);
        t->i += k;
        s_tr_push(t, 0, at);
        return;
    }
    if (c == '-' || s_flag_bit(c)) { s_tr_flags(t, at); return; }
    if (c == 0) s_tr_fail(t, at + 1, "unexpected end of pattern");
    if (c == '<') s_tr_fail(t, at + 1, "unknown extension ?<%c", left >= 2 ? rest[1] : ' ');
    s_tr_fail(t, at + 1, "unknown extension ?%c", c);
}

static void s_tr_paren(re_tr *t)
{
    size_t at = t->i;
    if (at + 1 < t->n && t->p[at + 1] == '?') { s_tr_ext(t); return; }
    if (at + 1 < t->n && t->p[at + 1] == '*') s_tr_fail(t, at + 1, "nothing to repeat");
    s_tr_new_group(t, gl_none(), at);
    s_tr_emit(t, "(", 1);
    t->i++;
}

/* {m,n} as Python reads it: {,n} means {0,n}; anything else not a repeat is literal. */
static void s_tr_brace(re_tr *t)
{
    size_t j = t->i + 1, lo0 = j;
    while (j < t->n && s_digit(t->p[j])) j++;
    size_t lo1 = j, hi0 = j, hi1 = j;
    bool comma = j < t->n && t->p[j] == ',';
    if (comma) {
        hi0 = ++j;
        while (j < t->n && s_digit(t->p[j])) j++;
        hi1 = j;
    }
    if (j >= t->n || t->p[j] != '}' || (!comma && lo0 == lo1)) {
        s_tr_emit(t, "\\{", 2);
        t->i++;
        return;
    }
    unsigned long lo = lo0 < lo1 ? strtoul(t->p + lo0, NULL, 10) : 0;
    if (comma && hi0 < hi1 && strtoul(t->p + hi0, NULL, 10) < lo)
        s_tr_fail(t, hi0, "min repeat greater than max repeat");
    gl_buf_printf(t->out, "{%lu", lo);
    if (comma) gl_buf_printf(t->out, ",%.*s", (int)(hi1 - hi0), t->p + hi0);
    gl_buf_addc(t->out, '}');
    t->i = j + 1;
}

static bool s_tr_verbose_skip(re_tr *t)
{
    char c = t->p[t->i];
    if (!(t->flags & RE_X)) return false;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') { t->i++; return true; }
    if (c != '#') return false;
    while (t->i < t->n && t->p[t->i] != '\n') t->i++;
    return true;
}

static void s_tr_item(re_tr *t)
{
    s_tr_mark(t, t->i);
    if (s_tr_verbose_skip(t)) return;
    char c = t->p[t->i];
    bool global = c == '(' && t->i + 2 < t->n && t->p[t->i + 1] == '?' &&
                  (s_flag_bit(t->p[t->i + 2]));
    switch (c) {
    case '\\': s_tr_escape(t, false); break;
    case '[': s_tr_class(t); break;
    case '(': s_tr_paren(t); break;
    case ')': s_tr_close(t); break;
    case '{': s_tr_brace(t); break;
    default: s_tr_emit(t, t->p + t->i, 1); t->i++; break;
    }
    if (!global) t->items = true;
}

static void s_translate(re_tr *t)
{
    while (t->i < t->n) s_tr_item(t);
    if (t->nopen) s_tr_fail(t, t->open[t->nopen - 1].at, "missing ), unterminated subpattern");
    if (t->maxcond > t->ngroups) s_tr_fail(t, t->maxcond_at, "invalid group reference %lu", t->maxcond);
}

/* ---------------------------------------------------------------- compiling */

static void s_check_flags(gl_vm *vm, int64_t flags, gl_span span)
{
    if (flags & RE_L) gl_vm_error(vm, GL_ERR_VALUE, span, "cannot use LOCALE flag with a str pattern");
    if ((flags & RE_A) && (flags & RE_U)) gl_vm_error(vm, GL_ERR_VALUE, span, "ASCII and UNICODE flags are incompatible");
}

static uint32_t s_pcre_options(int64_t flags)
{
    uint32_t o = PCRE2_UTF | PCRE2_ALT_CIRCUMFLEX | PCRE2_NEVER_BACKSLASH_C;
    if (!(flags & RE_A)) o |= PCRE2_UCP;
    if (flags & RE_I) o |= PCRE2_CASELESS;
    if (flags & RE_M) o |= PCRE2_MULTILINE;
    if (flags & RE_S) o |= PCRE2_DOTALL;
    if (flags & RE_X) o |= PCRE2_EXTENDED;
    return o;
}

static _Noreturn void s_compile_error(re_tr *t, int err, PCRE2_SIZE off)
{
    PCRE2_UCHAR msg[160];
    if (pcre2_get_error_message(err, msg, sizeof msg) < 0) strcpy((char *)msg, "bad pattern");
    const uint32_t *pairs = (const uint32_t *)t->map->data;
    size_t npairs = t->map->len / (2 * sizeof *pairs), at = 0;
    for (size_t k = 0; k < npairs && pairs[2 * k] <= off; k++) at = pairs[2 * k + 1];
    s_tr_fail(t, at, "%s", (const char *)msg);
}

static void s_pattern_groups(re_pattern *p, const re_tr *t)
{
    gl_vm *vm = p->st->vm;
    p->ngroups = t->ngroups;
    p->groups = gl_arena_zalloc(&vm->arena, (t->ngroups + 1) * sizeof *p->groups);
    if (t->ngroups) memcpy(p->groups + 1, t->groups + 1, t->ngroups * sizeof *p->groups);
    p->groupindex = gl_dict_new(vm).u.dict;
    for (uint32_t g = 1; g <= p->ngroups; g++)
        if (p->groups[g].name.kind == GL_STR) gl_dict_set(vm, p->groupindex, p->groups[g].name, gl_int(g));
}

static re_pattern *s_compile_new(re_state *st, gl_value src, int64_t flags, gl_span span)
{
    gl_vm *vm = st->vm;
    re_tr t = { .vm = vm, .span = span, .p = src.len ? src.u.s : "", .n = src.len,
                .out = gl_vm_buf_get(vm), .map = gl_vm_buf_get(vm), .flags = flags };
    s_translate(&t);
    if (!(t.flags & RE_A)) t.flags |= RE_U;
    int err;
    PCRE2_SIZE off;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)(t.out->len ? t.out->data : ""), t.out->len, s_pcre_options(t.flags),
                                     &err, &off, st->cctx);
    if (!code) s_compile_error(&t, err, off);
    re_pattern *p = gl_arena_zalloc(&vm->arena, sizeof *p);
    p->st = st;
    p->src = src;
    p->flags = t.flags;
    p->code = code;
    p->md = pcre2_match_data_create_from_pattern(code, st->gctx);
    s_pattern_groups(p, &t);
    p->self = gl_object_new(vm, &s_pattern_class, p);
    gl_vm_buf_put(vm, t.out);
    gl_vm_buf_put(vm, t.map);
    return p;
}

/* The compiled pattern for (src, flags), from the cache when it was compiled before. */
static re_pattern *s_compile(re_state *st, gl_value src, int64_t flags, gl_span span)
{
    gl_vm *vm = st->vm;
    s_check_flags(vm, flags, span);
    gl_value key = gl_tuple_new(vm, 2), hit;
    key.u.list->items[0] = src;
    key.u.list->items[1] = gl_int(flags);
    if (gl_dict_get(st->cache, key, &hit)) return hit.u.obj->data;
    re_pattern *p = s_compile_new(st, src, flags, span);
    gl_dict_set(vm, st->cache, key, p->self);
    return p;
}

static bool s_is_pattern(gl_value v) { return v.kind == GL_OBJECT && v.u.obj->cls == &s_pattern_class; }

/* The pattern argument of a module function: a str or a compiled Pattern. */
static re_pattern *s_pattern_arg(re_state *st, gl_value pat, gl_value flags, const gl_args *a)
{
    int64_t f = gl_arg_int(st->vm, a, flags, "re", 0);
    if (s_is_pattern(pat)) {
        if (f) gl_vm_error(st->vm, GL_ERR_VALUE, a->span, "cannot process flags argument with a compiled pattern");
        return pat.u.obj->data;
    }
    if (pat.kind != GL_STR)
        gl_vm_error(st->vm, GL_ERR_TYPE, a->span, "first argument must be string or compiled pattern");
    return s_compile(st, pat, f, a->span);
}

/* ---------------------------------------------------------------- matching */

static _Noreturn void s_match_error(gl_vm *vm, int rc, gl_span span)
{
    if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT)
        gl_vm_error(vm, GL_ERR_LIMIT, span,
                    "regular expression match limit exceeded (the pattern backtracks too much)");
    PCRE2_UCHAR msg[160];
    if (pcre2_get_error_message(rc, msg, sizeof msg) < 0) strcpy((char *)msg, "match failed");
    gl_vm_error(vm, GL_ERR_VALUE, span, "regular expression match failed: %s", (const char *)msg);
}

/* One pcre2_match; a copy of the offsets (arena) or NULL when nothing matched. */
static PCRE2_SIZE *s_exec(re_pattern *p, const char *s, size_t len, size_t start, uint32_t opts, gl_span span)
{
    gl_vm *vm = p->st->vm;
    int rc = pcre2_match(p->code, (PCRE2_SPTR)s, len, start, opts, p->md, p->st->mctx);
    if (rc == PCRE2_ERROR_NOMATCH) return NULL;
    if (rc < 0) s_match_error(vm, rc, span);
    size_t n = 2 * ((size_t)p->ngroups + 1);
    PCRE2_SIZE *ov = gl_arena_alloc(&vm->arena, n * sizeof *ov);
    const PCRE2_SIZE *src = pcre2_get_ovector_pointer(p->md);
    size_t have = 2 * (size_t)pcre2_get_ovector_count(p->md);
    for (size_t k = 0; k < n; k++) ov[k] = (k / 2 < (size_t)rc && k < have) ? src[k] : PCRE2_UNSET;
    return ov;
}

/* Successive matches with Python's rule: after an empty match, the next one may not be
 * empty at the same place (PCRE2_NOTEMPTY_ATSTART says exactly that). */
typedef struct re_scan {
    re_pattern *p;
    const char *s;
    size_t end, at;
    bool advance, checked, done;
    gl_span span;
} re_scan;

static PCRE2_SIZE *s_scan_next(re_scan *sc)
{
    if (sc->done || sc->at > sc->end) return NULL;
    uint32_t opts = (sc->advance ? PCRE2_NOTEMPTY_ATSTART : 0) | (sc->checked ? PCRE2_NO_UTF_CHECK : 0);
    PCRE2_SIZE *ov = s_exec(sc->p, sc->s, sc->end, sc->at, opts, sc->span);
    sc->checked = true;
    if (!ov) { sc->done = true; return NULL; }
    sc->advance = ov[0] == ov[1];
    sc->at = ov[1];
    return ov;
}

/* pos/endpos in code points, clamped as Python does, as byte offsets; false when
 * endpos < pos (nothing can match). */
static bool s_window(gl_value subj, int64_t pos, int64_t endpos, size_t *b0, size_t *b1)
{
    if (pos < 0) pos = 0;
    if (endpos < 0) endpos = 0;
    *b0 = pos ? gl_utf8_offset(subj.u.s, subj.len, (size_t)pos) : 0;
    *b1 = endpos == INT64_MAX ? subj.len : gl_utf8_offset(subj.u.s, subj.len, (size_t)endpos);
    return *b1 >= *b0;
}

static re_scan s_scan_init(re_pattern *p, gl_value subj, size_t b0, size_t b1, gl_span span)
{
    return (re_scan){ .p = p, .s = subj.len ? subj.u.s : "", .end = b1, .at = b0, .span = span };
}

/* ---------------------------------------------------------------- Match objects */

static gl_value s_match_new(gl_vm *vm, re_pattern *p, gl_value subj, PCRE2_SIZE *ov, int64_t pos, int64_t endpos)
{
    re_match *m = gl_arena_zalloc(&vm->arena, sizeof *m);
    m->p = p;
    m->subj = subj;
    m->ov = ov;
    m->pos = pos == 0 ? -1 : pos;
    m->endpos = endpos == INT64_MAX ? -1 : endpos;
    return gl_object_new(vm, &s_match_class, m);
}

static gl_value s_group_str(const re_match *m, uint32_t g, gl_value dflt)
{
    PCRE2_SIZE a = m->ov[2 * g], b = m->ov[2 * g + 1];
    if (a == PCRE2_UNSET) return dflt;
    return gl_str(m->subj.u.s + a, b - a);
}

static uint32_t s_group_index(gl_vm *vm, const re_match *m, gl_value key, gl_span span)
{
    gl_value g;
    if (key.kind == GL_STR && gl_dict_get(m->p->groupindex, key, &g)) return (uint32_t)g.u.i;
    int64_t i = key.kind == GL_BOOL ? key.u.b : key.kind == GL_INT ? key.u.i : -1;
    if (i < 0 || i > m->p->ngroups) gl_vm_error(vm, GL_ERR_INDEX, span, "no such group");
    return (uint32_t)i;
}

static gl_value s_m_group(gl_vm *vm, gl_func *f, const gl_args *a)
{
    re_match *m = f->data;
    if (a->nkw) gl_vm_error(vm, GL_ERR_TYPE, a->span, "group() takes no keyword arguments");
    if (a->npos == 0) return s_group_str(m, 0, gl_none());
    if (a->npos == 1) return s_group_str(m, s_group_index(vm, m, a->pos[0], a->span), gl_none());
    gl_value t = gl_tuple_new(vm, a->npos);
    for (uint32_t k = 0; k < a->npos; k++)
        t.u.list->items[k] = s_group_str(m, s_group_index(vm, m, a->pos[k], a->span), gl_none());
    return t;
}

static gl_value s_m_default(gl_vm *vm, const gl_args *a, const char *fname)
{
    static const char *const names[] = { "default", NULL };
    gl_value v[1];
    gl_args_bind(vm, a, fname, names, 0, v);
    return v[0].kind == GL_MISSING ? gl_none() : v[0];
}

static gl_value s_m_groups(gl_vm *vm, gl_func *f, const gl_args *a)
{
    re_match *m = f->data;
    gl_value dflt = s_m_default(vm, a, "groups");
    gl_value t = gl_tuple_new(vm, m->p->ngroups);
    for (uint32_t g = 1; g <= m->p->ngroups; g++) t.u.list->items[g - 1] = s_group_str(m, g, dflt);
    return t;
}

static gl_value s_m_groupdict(gl_vm *vm, gl_func *f, const gl_args *a)
{
    re_match *m = f->data;
    gl_value dflt = s_m_default(vm, a, "groupdict");
    gl_value d = gl_dict_new(vm);
    for (uint32_t g = 1; g <= m->p->ngroups; g++)
        if (m->p->groups[g].name.kind == GL_STR)
            gl_dict_set(vm, d.u.dict, m->p->groups[g].name, s_group_str(m, g, dflt));
    return d;
}

/* start(), end(), span(): which is 0, 1 or 2 (both). */
static gl_value s_m_offsets(gl_vm *vm, gl_func *f, const gl_args *a, const char *fname, int which)
{
    static const char *const names[] = { "group", NULL };
    re_match *m = f->data;
    gl_value v[1];
    gl_args_bind(vm, a, fname, names, 0, v);
    uint32_t g = v[0].kind == GL_MISSING ? 0 : s_group_index(vm, m, v[0], a->span);
    int64_t s = -1, e = -1;
    if (m->ov[2 * g] != PCRE2_UNSET) {
        s = (int64_t)s_cp(m->subj.u.s, m->ov[2 * g]);
        e = (int64_t)s_cp(m->subj.u.s, m->ov[2 * g + 1]);
    }
    if (which < 2) return gl_int(which ? e : s);
    gl_value t = gl_tuple_new(vm, 2);
    t.u.list->items[0] = gl_int(s);
    t.u.list->items[1] = gl_int(e);
    return t;
}

static gl_value s_m_start(gl_vm *vm, gl_func *f, const gl_args *a) { return s_m_offsets(vm, f, a, "start", 0); }
static gl_value s_m_end(gl_vm *vm, gl_func *f, const gl_args *a) { return s_m_offsets(vm, f, a, "end", 1); }
static gl_value s_m_span(gl_vm *vm, gl_func *f, const gl_args *a) { return s_m_offsets(vm, f, a, "span", 2); }

/* lastindex: the group that closed last, i.e. the latest end; among groups ending at
 * the same place an enclosing group closes after the ones inside it. */
static uint32_t s_lastindex(const re_match *m)
{
    uint32_t best = 0;
    for (uint32_t g = 1; g <= m->p->ngroups; g++) {
        if (m->ov[2 * g] == PCRE2_UNSET) continue;
        if (!best || m->ov[2 * g + 1] > m->ov[2 * best + 1]) { best = g; continue; }
        if (m->ov[2 * g + 1] < m->ov[2 * best + 1]) continue;
        uint32_t up = m->p->groups[g].parent;
        while (up && up != best) up = m->p->groups[up].parent;
        if (!up) best = g;          /* g is not inside best: it closed later */
    }
    return best;
}

static gl_value s_m_regs(gl_vm *vm, const re_match *m)
{
    gl_value t = gl_tuple_new(vm, m->p->ngroups + 1);
    for (uint32_t g = 0; g <= m->p->ngroups; g++) {
        gl_value sp = gl_tuple_new(vm, 2);
        bool set = m->ov[2 * g] != PCRE2_UNSET;
        sp.u.list->items[0] = gl_int(set ? (int64_t)s_cp(m->subj.u.s, m->ov[2 * g]) : -1);
        sp.u.list->items[1] = gl_int(set ? (int64_t)s_cp(m->subj.u.s, m->ov[2 * g + 1]) : -1);
        t.u.list->items[g] = sp;
    }
    return t;
}

static gl_value s_m_expand(gl_vm *vm, gl_func *f, const gl_args *a);

static gl_value s_match_getattr(gl_vm *vm, gl_object *o, const char *name, size_t len)
{
    re_match *m = o->data;
    static const struct { const char *name; gl_native_fn fn; } methods[] = {
        { "group", s_m_group }, { "groups", s_m_groups }, { "groupdict", s_m_groupdict },
        { "start", s_m_start }, { "end", s_m_end }, { "span", s_m_span }, { "expand", s_m_expand },
    };
    for (size_t k = 0; k < sizeof methods / sizeof *methods; k++)
        if (s_is(name, len, methods[k].name)) return gl_func_new(vm, methods[k].name, methods[k].fn, gl_missing(), m);
    if (!vm) return gl_missing();
    uint32_t last = s_lastindex(m);
    if (s_is(name, len, "string")) return m->subj;
    if (s_is(name, len, "re")) return m->p->self;
    if (s_is(name, len, "pos")) return gl_int(m->pos < 0 ? 0 : m->pos);
    if (s_is(name, len, "endpos"))
        return gl_int(m->endpos < 0 ? (int64_t)gl_utf8_count(m->subj.u.s, m->subj.len) : m->endpos);
    if (s_is(name, len, "lastindex")) return last ? gl_int(last) : gl_none();
    if (s_is(name, len, "lastgroup")) return last && m->p->groups[last].name.kind == GL_STR ? m->p->groups[last].name : gl_none();
    if (s_is(name, len, "regs")) return s_m_regs(vm, m);
    if (s_is(name, len, "__sequence__")) return gl_bool(true);
    if (s_is(name, len, "__iter__")) {     /* for m[0], m[1]: the groups */
        gl_value l = gl_list_new(vm, m->p->ngroups + 1);
        for (uint32_t g = 0; g <= m->p->ngroups; g++) gl_list_push(vm, l.u.list, s_group_str(m, g, gl_none()));
        return l;
    }
    gl_value g;                            /* m['name'] and Jinja's m.name */
    if (gl_dict_get(m->p->groupindex, gl_str(name, len), &g)) return s_group_str(m, (uint32_t)g.u.i, gl_none());
    return gl_missing();
}

/* repr's %.50R / %.200R: the repr cut to max code points. */
static void s_repr_cut(const char *s, size_t n, size_t max, gl_buf *out)
{
    size_t from = out->len;
    gl_repr_str(s, n, out);
    size_t cut = gl_utf8_offset(out->data + from, out->len - from, max);
    gl_buf_truncate(out, from + cut);
}

static void s_match_print(gl_vm *vm, gl_object *o, gl_buf *out)
{
    (void)vm;
    re_match *m = o->data;
    gl_buf_printf(out, "<re.Match object; span=(%zu, %zu), match=", s_cp(m->subj.u.s, m->ov[0]),
                  s_cp(m->subj.u.s, m->ov[1]));
    s_repr_cut(m->subj.u.s + m->ov[0], m->ov[1] - m->ov[0], 50, out);
    gl_buf_addc(out, '>');
}

static const gl_class s_match_class = { "re.Match", s_match_getattr, NULL, s_match_print };

/* ---------------------------------------------------------------- replacement templates */

/* A parsed template: literal pieces and group references (group < 0: literal). */
typedef struct re_piece { gl_value lit; int32_t group; } re_piece;
typedef struct re_tpl { re_piece *items; uint32_t n, cap; } re_tpl;

typedef struct re_tparse {
    gl_vm *vm;
    gl_span span;
    const re_pattern *p;
    const char *s;
    size_t n, i;
    gl_buf *lit;
    re_tpl *tpl;
} re_tparse;

static void s_tpl_add(re_tparse *tp, gl_value lit, int32_t group)
{
    re_tpl *t = tp->tpl;
    if (t->n == t->cap) {
        uint32_t cap = t->cap ? t->cap * 2 : 8;
        t->items = gl_arena_grow(&tp->vm->arena, t->items, t->cap * sizeof *t->items, cap * sizeof *t->items);
        t->cap = cap;
    }
    t->items[t->n++] = (re_piece){ lit, group };
}

static void s_tpl_flush(re_tparse *tp)
{
    if (tp->lit->len) s_tpl_add(tp, gl_str_copy(tp->vm, tp->lit->data, tp->lit->len), -1);
    gl_buf_truncate(tp->lit, 0);
}

static void s_tpl_group(re_tparse *tp, unsigned long g, size_t at)
{
    if (g > tp->p->ngroups) s_re_error(tp->vm, tp->span, s_cp(tp->s, at), "invalid group reference %lu", g);
    s_tpl_flush(tp);
    s_tpl_add(tp, gl_none(), (int32_t)g);
}

/* \g<name> or \g<number>; tp->i at the 'g'. */
static void s_tpl_named(re_tparse *tp)
{
    size_t j = tp->i + 1;
    if (j >= tp->n || tp->s[j] != '<') s_re_error(tp->vm, tp->span, s_cp(tp->s, j), "missing <");
    size_t start = ++j;
    while (j < tp->n && tp->s[j] != '>') j++;
    if (j == start) s_re_error(tp->vm, tp->span, s_cp(tp->s, start), "missing group name");
    if (j >= tp->n) s_re_error(tp->vm, tp->span, s_cp(tp->s, start), "missing >, unterminated name");
    gl_value name = gl_str(tp->s + start, j - start), g;
    tp->i = j + 1;
    bool num = true;
    for (size_t k = start; k < j; k++) num = num && s_digit(tp->s[k]);
    if (num) { s_tpl_group(tp, name.len > 9 ? 1000000000ul : strtoul(name.u.s, NULL, 10), start); return; }
    if (!gl_dict_get(tp->p->groupindex, name, &g)) {
        bool ident = !s_digit(name.u.s[0]);
        for (size_t k = 0; k < name.len; k++) {
            unsigned char c = (unsigned char)name.u.s[k];
            ident = ident && (c >= 0x80 || c == '_' || s_letter((char)c) || s_digit((char)c));
        }
        if (!ident) s_re_error(tp->vm, tp->span, s_cp(tp->s, start), "bad character in group name '%.*s'", (int)name.len, name.u.s);
        gl_vm_error(tp->vm, GL_ERR_INDEX, tp->span, "unknown group name '%.*s'", (int)name.len, name.u.s);
    }
    s_tpl_group(tp, (unsigned long)g.u.i, start);
}

/* \1..\99 or a three-digit octal escape; \0 and \0oo are octal. tp->i at the digit. */
static void s_tpl_digits(re_tparse *tp, size_t at)
{
    const char *s = tp->s;
    size_t j = tp->i;
    bool zero = s[j] == '0';
    if (!zero && !(j + 1 < tp->n && s_digit(s[j + 1]) && s_octal(s[j]) && s_octal(s[j + 1]) &&
                   j + 2 < tp->n && s_octal(s[j + 2]))) {
        unsigned long g = (unsigned long)(s[j] - '0');
        if (j + 1 < tp->n && s_digit(s[j + 1])) g = g * 10 + (unsigned long)(s[++j] - '0');
        tp->i = j + 1;
        s_tpl_group(tp, g, at + 1);
        return;
    }
    size_t e = j + 3;                      /* \ooo */
    if (zero) for (e = j + 1; e < tp->n && e - j <= 2 && s_octal(s[e]);) e++;
    unsigned v = 0;
    for (size_t k = j; k < e; k++) v = v * 8 + (unsigned)(s[k] - '0');
    if (v > 0377)
        s_re_error(tp->vm, tp->span, s_cp(s, at), "octal escape value \\%.*s outside of range 0-0o377", (int)(e - j), s + j);
    gl_utf8_encode((int32_t)v, tp->lit);
    tp->i = e;
}

static void s_tpl_escape(re_tparse *tp)
{
    size_t at = tp->i++;
    if (tp->i >= tp->n) s_re_error(tp->vm, tp->span, s_cp(tp->s, at), "bad escape (end of pattern)");
    char c = tp->s[tp->i];
    const char *esc = strchr("a\007b\010f\014n\012r\015t\011v\013\\\\", c);
    if (c == 'g') { s_tpl_named(tp); return; }
    if (s_digit(c)) { s_tpl_digits(tp, at); return; }
    if (c && esc && (esc - "a\007b\010f\014n\012r\015t\011v\013\\\\") % 2 == 0) {
        gl_buf_addc(tp->lit, esc[1]);
        tp->i++;
        return;
    }
    if (s_letter(c)) s_re_error(tp->vm, tp->span, s_cp(tp->s, at), "bad escape \\%c", c);
    gl_buf_addc(tp->lit, '\\');            /* other escapes keep their backslash */
}

static re_tpl *s_tpl_parse(gl_vm *vm, const re_pattern *p, gl_value repl, gl_span span)
{
    re_tpl *t = gl_arena_zalloc(&vm->arena, sizeof *t);
    re_tparse tp = { vm, span, p, repl.len ? repl.u.s : "", repl.len, 0, gl_vm_buf_get(vm), t };
    while (tp.i < tp.n) {
        if (tp.s[tp.i] == '\\') s_tpl_escape(&tp);
        else gl_buf_addc(tp.lit, tp.s[tp.i++]);
    }
    s_tpl_flush(&tp);
    gl_vm_buf_put(vm, tp.lit);
    return t;
}

static void s_tpl_expand(const re_tpl *t, const re_match *m, gl_buf *out)
{
    for (uint32_t k = 0; k < t->n; k++) {
        gl_value v = t->items[k].group < 0 ? t->items[k].lit : s_group_str(m, (uint32_t)t->items[k].group, gl_cstr(""));
        gl_buf_add(out, v.u.s, v.len);
    }
}

static gl_value s_m_expand(gl_vm *vm, gl_func *f, const gl_args *a)
{
    static const char *const names[] = { "template", NULL };
    re_match *m = f->data;
    gl_value v[1];
    gl_args_bind(vm, a, "expand", names, 1, v);
    if (v[0].kind != GL_STR) gl_vm_error(vm, GL_ERR_TYPE, a->span, "expected str instance, %s found", gl_type_name(v[0]));
    gl_buf *b = gl_vm_buf_get(vm);
    s_tpl_expand(s_tpl_parse(vm, m->p, v[0], a->span), m, b);
    return gl_vm_buf_str(vm, b);
}

/* ---------------------------------------------------------------- operations */

static gl_value s_do_match(gl_vm *vm, re_pattern *p, gl_value subj, int64_t pos, int64_t endpos, int mode, gl_span span)
{
    size_t b0, b1;
    if (!s_window(subj, pos, endpos, &b0, &b1)) return gl_none();
    uint32_t opts = mode == RE_MODE_SEARCH ? 0 : mode == RE_MODE_MATCH ? PCRE2_ANCHORED : PCRE2_ANCHORED | PCRE2_ENDANCHORED;
    PCRE2_SIZE *ov = s_exec(p, subj.len ? subj.u.s : "", b1, b0, opts, span);
    return ov ? s_match_new(vm, p, subj, ov, pos < 0 ? 0 : pos, endpos) : gl_none();
}

static gl_value s_slice(const char *s, PCRE2_SIZE a, PCRE2_SIZE b, gl_value unset)
{
    return a == PCRE2_UNSET ? unset : gl_str(s + a, b - a);
}

static gl_value s_findall_item(gl_vm *vm, const re_pattern *p, const char *s, const PCRE2_SIZE *ov)
{
    if (p->ngroups <= 1) {
        uint32_t g = p->ngroups;
        return s_slice(s, ov[2 * g], ov[2 * g + 1], gl_cstr(""));
    }
    gl_value t = gl_tuple_new(vm, p->ngroups);
    for (uint32_t g = 1; g <= p->ngroups; g++) t.u.list->items[g - 1] = s_slice(s, ov[2 * g], ov[2 * g + 1], gl_cstr(""));
    return t;
}

/* findall (iter false) or finditer (a list standing for the iterator). */
static gl_value s_do_findall(gl_vm *vm, re_pattern *p, gl_value subj, int64_t pos, int64_t endpos, bool iter, gl_span span)
{
    gl_value l = gl_list_new(vm, 4);
    if (iter) l.flags |= GL_F_GENERATOR;
    size_t b0, b1;
    if (!s_window(subj, pos, endpos, &b0, &b1)) return l;
    re_scan sc = s_scan_init(p, subj, b0, b1, span);
    for (PCRE2_SIZE *ov; (ov = s_scan_next(&sc));)
        gl_list_push(vm, l.u.list, iter ? s_match_new(vm, p, subj, ov, pos < 0 ? 0 : pos, endpos)
                                        : s_findall_item(vm, p, sc.s, ov));
    return l;
}

static gl_value s_do_split(gl_vm *vm, re_pattern *p, gl_value subj, int64_t maxsplit, gl_span span)
{
    gl_value l = gl_list_new(vm, 4);
    re_scan sc = s_scan_init(p, subj, 0, subj.len, span);
    size_t last = 0;
    for (int64_t n = 0; maxsplit >= 0 && (maxsplit == 0 || n < maxsplit); n++) {
        PCRE2_SIZE *ov = s_scan_next(&sc);
        if (!ov) break;
        gl_list_push(vm, l.u.list, gl_str(sc.s + last, ov[0] - last));
        for (uint32_t g = 1; g <= p->ngroups; g++) gl_list_push(vm, l.u.list, s_slice(sc.s, ov[2 * g], ov[2 * g + 1], gl_none()));
        last = ov[1];
    }
    gl_list_push(vm, l.u.list, gl_str(sc.s + last, subj.len - last));
    return l;
}

/* The replacement for one match: a template, or what the callable returns. */
static void s_replace(gl_vm *vm, re_pattern *p, gl_value repl, const re_tpl *tpl, gl_value subj,
                      PCRE2_SIZE *ov, gl_buf *out, gl_span span)
{
    if (tpl) {
        re_match m = { p, subj, ov, -1, -1 };
        s_tpl_expand(tpl, &m, out);
        return;
    }
    gl_value mv = s_match_new(vm, p, subj, ov, 0, INT64_MAX);
    gl_args ca = gl_args_make(&mv, 1, span);
    gl_value r = gl_vm_call(vm, repl, &ca);
    if (r.kind == GL_STR) gl_buf_add(out, r.u.s, r.len);
    else if (r.kind != GL_NONE) gl_vm_error(vm, GL_ERR_TYPE, span, "expected str instance, %s found", gl_type_name(r));
}

static gl_value s_do_sub(gl_vm *vm, re_pattern *p, gl_value repl, gl_value subj, int64_t count, bool subn, gl_span span)
{
    const re_tpl *tpl = NULL;
    if (repl.kind == GL_STR) tpl = s_tpl_parse(vm, p, repl, span);
    else if (!gl_is_callable(repl))
        gl_vm_error(vm, GL_ERR_TYPE, span, "expected str instance, %s found", gl_type_name(repl));
    gl_buf *out = gl_vm_buf_get(vm);
    re_scan sc = s_scan_init(p, subj, 0, subj.len, span);
    size_t last = 0;
    int64_t n = 0;
    for (; count >= 0 && (count == 0 || n < count); n++) {
        PCRE2_SIZE *ov = s_scan_next(&sc);
        if (!ov) break;
        gl_buf_add(out, sc.s + last, ov[0] - last);
        s_replace(vm, p, repl, tpl, subj, ov, out, span);
        last = ov[1];
    }
    gl_buf_add(out, sc.s + last, subj.len - last);
    gl_value r = gl_vm_buf_str(vm, out);
    if (!subn) return r;
    gl_value t = gl_tuple_new(vm, 2);
    t.u.list->items[0] = r;
    t.u.list->items[1] = gl_int(n);
    return t;
}

/* ---------------------------------------------------------------- module functions */

static gl_value s_mod_match(gl_vm *vm, gl_func *f, const gl_args *a, const char *fname, int mode)
{
    static const char *const names[] = { "pattern", "string", "flags", NULL };
    gl_value v[3];
    gl_args_bind(vm, a, fname, names, 2, v);
    re_pattern *p = s_pattern_arg(f->data, v[0], v[2], a);
    return s_do_match(vm, p, s_subject(vm, v[1], a->span), 0, INT64_MAX, mode, a->span);
}

static gl_value s_re_match(gl_vm *vm, gl_func *f, const gl_args *a) { return s_mod_match(vm, f, a, "match", RE_MODE_MATCH); }
static gl_value s_re_search(gl_vm *vm, gl_func *f, const gl_args *a) { return s_mod_match(vm, f, a, "search", RE_MODE_SEARCH); }
static gl_value s_re_fullmatch(gl_vm *vm, gl_func *f, const gl_args *a) { return s_mod_match(vm, f, a, "fullmatch", RE_MODE_FULL); }

static gl_value s_mod_findall(gl_vm *vm, gl_func *f, const gl_args *a, const char *fname, bool iter)
{
    static const char *const names[] = { "pattern", "string", "flags", NULL };
    gl_value v[3];
    gl_args_bind(vm, a, fname, names, 2, v);
    re_pattern *p = s_pattern_arg(f->data, v[0], v[2], a);
    return s_do_findall(vm, p, s_subject(vm, v[1], a->span), 0, INT64_MAX, iter, a->span);
}

static gl_value s_re_findall(gl_vm *vm, gl_func *f, const gl_args *a) { return s_mod_findall(vm, f, a, "findall", false); }
static gl_value s_re_finditer(gl_vm *vm, gl_func *f, const gl_args *a) { return s_mod_findall(vm, f, a, "finditer", true); }

static gl_value s_mod_sub(gl_vm *vm, gl_func *f, const gl_args *a, const char *fname, bool subn)
{
    static const char *const names[] = { "pattern", "repl", "string", "count", "flags", NULL };
    gl_value v[5];
    gl_args_bind(vm, a, fname, names, 3, v);
    re_pattern *p = s_pattern_arg(f->data, v[0], v[4], a);
    gl_value subj = s_subject(vm, v[2], a->span);
    return s_do_sub(vm, p, v[1], subj, gl_arg_int(vm, a, v[3], fname, 0), subn, a->span);
}

static gl_value s_re_sub(gl_vm *vm, gl_func *f, const gl_args *a) { return s_mod_sub(vm, f, a, "sub", false); }
static gl_value s_re_subn(gl_vm *vm, gl_func *f, const gl_args *a) { return s_mod_sub(vm, f, a, "subn", true); }

static gl_value s_re_split(gl_vm *vm, gl_func *f, const gl_args *a)
{
    static const char *const names[] = { "pattern", "string", "maxsplit", "flags", NULL };
    gl_value v[4];
    gl_args_bind(vm, a, "split", names, 2, v);
    re_pattern *p = s_pattern_arg(f->data, v[0], v[3], a);
    gl_value subj = s_subject(vm, v[1], a->span);
    return s_do_split(vm, p, subj, gl_arg_int(vm, a, v[2], "split", 0), a->span);
}

static gl_value s_compile_common(gl_vm *vm, gl_func *f, const gl_args *a, const char *fname, int64_t extra)
{
    static const char *const names[] = { "pattern", "flags", NULL };
    gl_value v[2];
    gl_args_bind(vm, a, fname, names, 1, v);
    int64_t flags = gl_arg_int(vm, a, v[1], fname, 0) | extra;
    if (s_is_pattern(v[0]) && !flags) return v[0];
    return s_pattern_arg(f->data, v[0], gl_int(flags), a)->self;
}

static gl_value s_re_compile(gl_vm *vm, gl_func *f, const gl_args *a) { return s_compile_common(vm, f, a, "compile", 0); }
static gl_value s_re_template(gl_vm *vm, gl_func *f, const gl_args *a) { return s_compile_common(vm, f, a, "template", RE_T); }

static gl_value s_re_purge(gl_vm *vm, gl_func *f, const gl_args *a)
{
    gl_args_bind(vm, a, "purge", (const char *const[]){ NULL }, 0, NULL);
    ((re_state *)f->data)->cache = gl_dict_new(vm).u.dict;
    return gl_none();
}

static gl_value s_re_escape(gl_vm *vm, gl_func *f, const gl_args *a)
{
    (void)f;
    static const char *const names[] = { "pattern", NULL };
    gl_value v[1];
    gl_args_bind(vm, a, "escape", names, 1, v);
    if (v[0].kind != GL_STR)
        gl_vm_error(vm, GL_ERR_TYPE, a->span, "decoding to str: need a bytes-like object, %s found", gl_type_name(v[0]));
    gl_buf *b = gl_vm_buf_get(vm);
    for (uint32_t k = 0; k < v[0].len; k++) {
        char c = v[0].u.s[k];
        if (c && strchr("()[]{}?*+-|^$\\.&~# \t\n\r\v\f", c)) gl_buf_addc(b, '\\');
        gl_buf_addc(b, c);
    }
    return gl_vm_buf_str(vm, b);
}

/* ---------------------------------------------------------------- Pattern objects */

static gl_value s_p_match(gl_vm *vm, gl_func *f, const gl_args *a, const char *fname, int mode)
{
    static const char *const names[] = { "string", "pos", "endpos", NULL };
    gl_value v[3];
    gl_args_bind(vm, a, fname, names, 1, v);
    gl_value subj = s_subject(vm, v[0], a->span);
    int64_t pos = gl_arg_int(vm, a, v[1], fname, 0), endpos = gl_arg_int(vm, a, v[2], fname, INT64_MAX);
    if (mode > RE_MODE_FULL) return s_do_findall(vm, f->data, subj, pos, endpos, mode == RE_MODE_FULL + 2, a->span);
    return s_do_match(vm, f->data, subj, pos, endpos, mode, a->span);
}

static gl_value s_pm_match(gl_vm *vm, gl_func *f, const gl_args *a) { return s_p_match(vm, f, a, "match", RE_MODE_MATCH); }
static gl_value s_pm_search(gl_vm *vm, gl_func *f, const gl_args *a) { return s_p_match(vm, f, a, "search", RE_MODE_SEARCH); }
static gl_value s_pm_fullmatch(gl_vm *vm, gl_func *f, const gl_args *a) { return s_p_match(vm, f, a, "fullmatch", RE_MODE_FULL); }
static gl_value s_pm_findall(gl_vm *vm, gl_func *f, const gl_args *a) { return s_p_match(vm, f, a, "findall", RE_MODE_FULL + 1); }
static gl_value s_pm_finditer(gl_vm *vm, gl_func *f, const gl_args *a) { return s_p_match(vm, f, a, "finditer", RE_MODE_FULL + 2); }

static gl_value s_p_sub(gl_vm *vm, gl_func *f, const gl_args *a, const char *fname, bool subn)
{
    static const char *const names[] = { "repl", "string", "count", NULL };
    gl_value v[3];
    gl_args_bind(vm, a, fname, names, 2, v);
    gl_value subj = s_subject(vm, v[1], a->span);
    return s_do_sub(vm, f->data, v[0], subj, gl_arg_int(vm, a, v[2], fname, 0), subn, a->span);
}

static gl_value s_pm_sub(gl_vm *vm, gl_func *f, const gl_args *a) { return s_p_sub(vm, f, a, "sub", false); }
static gl_value s_pm_subn(gl_vm *vm, gl_func *f, const gl_args *a) { return s_p_sub(vm, f, a, "subn", true); }

static gl_value s_pm_split(gl_vm *vm, gl_func *f, const gl_args *a)
{
    static const char *const names[] = { "string", "maxsplit", NULL };
    gl_value v[2];
    gl_args_bind(vm, a, "split", names, 1, v);
    gl_value subj = s_subject(vm, v[0], a->span);
    return s_do_split(vm, f->data, subj, gl_arg_int(vm, a, v[1], "split", 0), a->span);
}

/* groupindex: Python's read-only mappingproxy of the group names. */
static gl_value s_proxy_getattr(gl_vm *vm, gl_object *o, const char *name, size_t len)
{
    gl_dict *d = o->data;
    gl_value dv = { .kind = GL_DICT, .u.dict = d }, r;
    if (s_is(name, len, "__len__")) return gl_int(d->count);
    if (!vm) return gl_missing();
    if (s_is(name, len, "__iter__")) {
        gl_value l = gl_list_new(vm, d->count);
        for (uint32_t k = 0; k < d->nentries; k++) if (d->entries[k].live) gl_list_push(vm, l.u.list, d->entries[k].key);
        return l;
    }
    if (s_is(name, len, "keys") || s_is(name, len, "values") || s_is(name, len, "items") ||
        s_is(name, len, "get") || s_is(name, len, "copy"))
        return gl_method(vm, dv, name, len);
    if (gl_dict_get(d, gl_str(name, len), &r)) return r;
    return gl_missing();
}

/* str() of a mappingproxy is its dict's (repr would add "mappingproxy(...)"). */
static void s_proxy_print(gl_vm *vm, gl_object *o, gl_buf *out)
{
    gl_value dv = { .kind = GL_DICT, .u.dict = o->data };
    gl_repr(vm, dv, out);
}

static const gl_class s_proxy_class = { "mappingproxy", s_proxy_getattr, NULL, s_proxy_print };

static gl_value s_pattern_getattr(gl_vm *vm, gl_object *o, const char *name, size_t len)
{
    re_pattern *p = o->data;
    static const struct { const char *name; gl_native_fn fn; } methods[] = {
        { "match", s_pm_match }, { "search", s_pm_search }, { "fullmatch", s_pm_fullmatch },
        { "findall", s_pm_findall }, { "finditer", s_pm_finditer }, { "sub", s_pm_sub },
        { "subn", s_pm_subn }, { "split", s_pm_split },
    };
    if (!vm) return gl_missing();
    for (size_t k = 0; k < sizeof methods / sizeof *methods; k++)
        if (s_is(name, len, methods[k].name)) return gl_func_new(vm, methods[k].name, methods[k].fn, gl_missing(), p);
    if (s_is(name, len, "pattern")) return p->src;
    if (s_is(name, len, "flags")) return gl_int(p->flags);
    if (s_is(name, len, "groups")) return gl_int(p->ngroups);
    if (s_is(name, len, "groupindex")) return gl_object_new(vm, &s_proxy_class, p->groupindex);
    return gl_missing();
}

static void s_pattern_print(gl_vm *vm, gl_object *o, gl_buf *out)
{
    (void)vm;
    static const struct { int64_t bit; const char *name; } names[] = {
        { RE_T, "re.TEMPLATE" }, { RE_I, "re.IGNORECASE" }, { RE_L, "re.LOCALE" }, { RE_M, "re.MULTILINE" },
        { RE_S, "re.DOTALL" }, { RE_U, "re.UNICODE" }, { RE_X, "re.VERBOSE" }, { 128, "re.DEBUG" },
        { RE_A, "re.ASCII" },
    };
    re_pattern *p = o->data;
    int64_t flags = p->flags;
    if ((flags & (RE_L | RE_U | RE_A)) == RE_U) flags &= ~(int64_t)RE_U;
    gl_buf_adds(out, "re.compile(");
    s_repr_cut(p->src.u.s, p->src.len, 200, out);
    const char *sep = ", ";
    for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
        if (!(flags & names[k].bit)) continue;
        gl_buf_printf(out, "%s%s", sep, names[k].name);
        sep = "|";
        flags &= ~names[k].bit;
    }
    if (flags) gl_buf_printf(out, "%s0x%llx", sep, (unsigned long long)flags);
    gl_buf_addc(out, ')');
}

static const gl_class s_pattern_class = { "re.Pattern", s_pattern_getattr, NULL, s_pattern_print };

/* ---------------------------------------------------------------- the module */

/* re.error, re.Pattern, re.Match, re.RegexFlag: types templates can only print. */
static void s_type_print(gl_vm *vm, gl_object *o, gl_buf *out)
{
    (void)vm;
    gl_buf_adds(out, o->data);
}

static const gl_class s_type_class = { "type", NULL, NULL, s_type_print };

static re_state *s_state_new(gl_vm *vm)
{
    re_state *st = gl_arena_zalloc(&vm->arena, sizeof *st);
    st->vm = vm;
    st->gctx = pcre2_general_context_create(s_pcre_alloc, s_pcre_free, vm);
    st->cctx = pcre2_compile_context_create(st->gctx);
    pcre2_set_newline(st->cctx, PCRE2_NEWLINE_LF);
    st->mctx = pcre2_match_context_create(st->gctx);
    pcre2_set_match_limit(st->mctx, RE_MATCH_LIMIT);
    pcre2_set_depth_limit(st->mctx, RE_MATCH_LIMIT);
    pcre2_set_heap_limit(st->mctx, RE_HEAP_LIMIT_KIB);
    st->cache = gl_dict_new(vm).u.dict;
    return st;
}

static void s_add_flags(gl_vm *vm, gl_dict *d)
{
    static const struct { const char *name; int64_t value; } flags[] = {
        { "A", RE_A }, { "ASCII", RE_A }, { "I", RE_I }, { "IGNORECASE", RE_I }, { "L", RE_L },
        { "LOCALE", RE_L }, { "M", RE_M }, { "MULTILINE", RE_M }, { "S", RE_S }, { "DOTALL", RE_S },
        { "X", RE_X }, { "VERBOSE", RE_X }, { "U", RE_U }, { "UNICODE", RE_U }, { "NOFLAG", 0 },
    };
    for (size_t k = 0; k < sizeof flags / sizeof *flags; k++) gl_dict_set_cstr(vm, d, flags[k].name, gl_int(flags[k].value));
}

gl_value gl_re_module(gl_vm *vm)
{
    static const struct { const char *name; gl_native_fn fn; } fns[] = {
        { "match", s_re_match }, { "fullmatch", s_re_fullmatch }, { "search", s_re_search },
        { "sub", s_re_sub }, { "subn", s_re_subn }, { "split", s_re_split }, { "findall", s_re_findall },
        { "finditer", s_re_finditer }, { "compile", s_re_compile }, { "purge", s_re_purge },
        { "template", s_re_template }, { "escape", s_re_escape },
    };
    static const char *const types[][2] = {
        { "error", "<class 're.error'>" }, { "Pattern", "<class 're.Pattern'>" },
        { "Match", "<class 're.Match'>" }, { "RegexFlag", "<flag 'RegexFlag'>" },
    };
    re_state *st = s_state_new(vm);
    gl_value m = gl_dict_new(vm);
    for (size_t k = 0; k < sizeof fns / sizeof *fns; k++)
        gl_dict_set_cstr(vm, m.u.dict, fns[k].name, gl_func_new(vm, fns[k].name, fns[k].fn, gl_missing(), st));
    for (size_t k = 0; k < sizeof types / sizeof *types; k++)
        gl_dict_set_cstr(vm, m.u.dict, types[k][0], gl_object_new(vm, &s_type_class, (void *)types[k][1]));
    s_add_flags(vm, m.u.dict);
    return m;
}
