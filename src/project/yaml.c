/* src/project/yaml.c - YAML files (dbt_project.yml, profiles.yml, properties files,
 * packages.yml, selectors) to positioned node trees, and nodes to Jinja values
 * (project layer: source text -> gl_ynode tree -> gl_value).
 *
 * The parts, in the order PyYAML (CSafeLoader, as dbt uses) runs them:
 *   1. compose: libyaml's event parser builds nodes; anchors, aliases, the single-
 *      document rule and syntax errors (libyaml's messages, converted to byte spans);
 *   2. construct: per collection, in post order, what SafeConstructor would raise on
 *      (tags, `!!int "x"`, a plain `=` or `<<` value), then `<<` merges (flatten_mapping)
 *      and repeated keys (a Python dict: first position, last value);
 *   3. resolve and convert, on demand: plain scalars through the YAML 1.1 implicit
 *      resolvers of PyYAML's resolver.py and SafeConstructor's int/float/bool
 *      constructors; nodes to gl_values.
 * Errors of steps 1-2 are gl_diags and fail the load, as yaml.safe_load raises; step 3
 * raises only for what Python would accept (ints beyond 64 bits, depth).
 * libyaml marks count characters (code points), not bytes: s_cursor converts them. */
#include "project/yaml.h"
#include <yaml.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "util/buf.h"

/* ======================================================================================
 * Scalar resolution (PyYAML 6.0 resolver.py and constructor.py)
 * ====================================================================================== */

typedef enum s_rkind {       /* what a scalar resolves to, before gl_yscalar */
    S_R_NULL, S_R_BOOL, S_R_INT, S_R_FLOAT, S_R_STR,
    S_R_MERGE,               /* `<<` (tag:yaml.org,2002:merge): a key only */
    S_R_VALUE,               /* `=` (tag:yaml.org,2002:value): a str as a key, else an error */
    S_R_BADTAG               /* an explicit tag gluec has no constructor for */
} s_rkind;

typedef enum s_status { S_OK, S_BAD, S_BIG } s_status;  /* BAD: the constructor raises */

static bool s_is_digit(char c) { return c >= '0' && c <= '9'; }

static bool s_eq(const char *s, size_t n, const char *lit)
{
    size_t m = strlen(lit);
    return n == m && memcmp(s, lit, m) == 0;
}

static bool s_eq_any(const char *s, size_t n, const char *const *lits)
{
    for (; *lits; lits++)
        if (s_eq(s, n, *lits)) return true;
    return false;
}

static const char *const s_true_words[] = { "yes", "Yes", "YES", "true", "True", "TRUE",
                                            "on", "On", "ON", NULL };
static const char *const s_false_words[] = { "no", "No", "NO", "false", "False", "FALSE",
                                             "off", "Off", "OFF", NULL };

/* null: ^(?: ~ |null|Null|NULL | )$ */
static bool s_match_null(const char *s, size_t n)
{
    static const char *const words[] = { "~", "null", "Null", "NULL", "", NULL };
    return s_eq_any(s, n, words);
}

/* ( ?:[eE][-+][0-9]+ )? $ from position i */
static bool s_exp_tail(const char *s, size_t n, size_t i)
{
    if (i == n) return true;
    if (s[i] != 'e' && s[i] != 'E') return false;
    if (++i >= n || (s[i] != '-' && s[i] != '+')) return false;
    if (++i >= n) return false;
    while (i < n && s_is_digit(s[i])) i++;
    return i == n;
}

static size_t s_skip(const char *s, size_t n, size_t i, const char *set)
{
    while (i < n && s[i] && strchr(set, s[i])) i++;
    return i;
}

/* (?::[0-5]?[0-9])+ from position i (at a ':'): the index after it, or 0 on no match.
 * Greedy is exact: after a part comes ':', '.' or the end, never a digit. */
static size_t s_sexagesimal(const char *s, size_t n, size_t i)
{
    if (i >= n || s[i] != ':') return 0;
    while (i < n && s[i] == ':') {
        i++;
        if (i + 1 < n && s[i] >= '0' && s[i] <= '5' && s_is_digit(s[i + 1])) i += 2;
        else if (i < n && s_is_digit(s[i])) i++;
        else return 0;
    }
    return i;
}

/* float: ^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
 *          |\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
 *          |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
 *          |[-+]?\.(?:inf|Inf|INF)
 *          |\.(?:nan|NaN|NAN))$
 * (no sign before ".5" or ".nan"; an exponent needs a dot and a sign: 1.0e3 is a str) */
static bool s_match_float(const char *s, size_t n)
{
    static const char *const nans[] = { ".nan", ".NaN", ".NAN", NULL };
    static const char *const infs[] = { ".inf", ".Inf", ".INF", NULL };
    if (s_eq_any(s, n, nans)) return true;
    size_t j = n && (s[0] == '-' || s[0] == '+') ? 1 : 0;
    if (s_eq_any(s + j, n - j, infs)) return true;
    if (n >= 2 && s[0] == '.' && s_is_digit(s[1]))
        return s_exp_tail(s, n, s_skip(s, n, 2, "0123456789_"));
    size_t i = j;
    if (i >= n || !s_is_digit(s[i])) return false;
    i = s_skip(s, n, i + 1, "0123456789_");
    if (i < n && s[i] == '.') return s_exp_tail(s, n, s_skip(s, n, i + 1, "0123456789_"));
    i = s_sexagesimal(s, n, i);
    if (!i || i >= n || s[i] != '.') return false;
    return s_skip(s, n, i + 1, "0123456789_") == n;
}

/* int: ^(?:[-+]?0b[0-1_]+ |[-+]?0[0-7_]+ |[-+]?(?:0|[1-9][0-9_]*)
 *        |[-+]?0x[0-9a-fA-F_]+ |[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$ */
static bool s_match_int(const char *s, size_t n)
{
    size_t j = n && (s[0] == '-' || s[0] == '+') ? 1 : 0;
    const char *r = s + j;
    size_t m = n - j;
    if (m == 0) return false;
    if (r[0] == '0') {
        if (m == 1) return true;
        if (r[1] == 'b') return m > 2 && s_skip(r, m, 2, "01_") == m;
        if (r[1] == 'x') return m > 2 && s_skip(r, m, 2, "0123456789abcdefABCDEF_") == m;
        return s_skip(r, m, 1, "01234567_") == m;
    }
    if (!s_is_digit(r[0])) return false;
    size_t i = s_skip(r, m, 1, "0123456789_");
    if (i == m) return true;
    return s_sexagesimal(r, m, i) == m;
}

/* The text without '_' (and lowercased for floats), NUL-terminated, as the
 * constructors see it after value.replace('_', ''). */
typedef struct s_clean {
    char small[64];
    char *p;                /* small, or malloc'd */
    size_t n;
} s_clean;

static void s_clean_init(s_clean *c, const char *s, size_t n, bool lower)
{
    c->p = n < sizeof c->small ? c->small : gl_xmalloc(n + 1);
    c->n = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '_') continue;
        char ch = s[i];
        if (lower && ch >= 'A' && ch <= 'Z') ch = (char)(ch - 'A' + 'a');
        c->p[c->n++] = ch;
    }
    c->p[c->n] = '\0';
}

static void s_clean_free(s_clean *c)
{
    if (c->p != c->small) free(c->p);
}

static int s_digit_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return 99;
}

/* Digits of base into a magnitude (S_BIG past 64 bits; the rest is still checked). */
static s_status s_digits(const char *v, size_t m, int base, uint64_t *mag)
{
    if (m == 0) return S_BAD;
    bool big = false;
    uint64_t x = 0;
    for (size_t i = 0; i < m; i++) {
        int d = s_digit_value(v[i]);
        if (d >= base) return S_BAD;
        if (x > (UINT64_MAX - (uint64_t)d) / (uint64_t)base) big = true;
        else x = x * (uint64_t)base + (uint64_t)d;
    }
    *mag = x;
    return big ? S_BIG : S_OK;
}

/* A Python int as sign and magnitude: -2**63 fits, and so do the sums on the way. */
typedef struct s_pyint {
    bool neg;
    uint64_t mag;
} s_pyint;

static bool s_is_blank(char c) { return c && strchr(" \t\n\r\f\v", c) != NULL; }

/* Python's int(v, base) on ASCII text without '_': blanks around, a sign, the base's
 * prefix (0b, 0o, 0x) when base is 2, 8 or 16, then digits. */
static s_status s_py_int(const char *v, size_t m, int base, s_pyint *out)
{
    while (m && s_is_blank(v[0])) v++, m--;
    while (m && s_is_blank(v[m - 1])) m--;
    bool neg = m && v[0] == '-';
    if (m && (v[0] == '-' || v[0] == '+')) v++, m--;
    char prefix = base == 2 ? 'b' : base == 8 ? 'o' : base == 16 ? 'x' : 0;
    if (prefix && m >= 2 && v[0] == '0' && (v[1] == prefix || v[1] == prefix - 32)) v += 2, m -= 2;
    s_status st = s_digits(v, m, base, &out->mag);
    out->neg = neg && out->mag != 0;
    return st;
}

/* a += b * scale, exactly, or false past 64 bits of magnitude */
static bool s_pyint_add(s_pyint *a, s_pyint b, uint64_t scale)
{
    if (__builtin_mul_overflow(b.mag, scale, &b.mag)) return false;
    if (a->neg == b.neg || a->mag == 0) {
        if (a->mag == 0) a->neg = b.neg;
        return !__builtin_add_overflow(a->mag, b.mag, &a->mag);
    }
    if (a->mag >= b.mag) {
        a->mag -= b.mag;
    } else {
        a->mag = b.mag - a->mag;
        a->neg = b.neg;
    }
    if (a->mag == 0) a->neg = false;
    return true;
}

/* SafeConstructor.construct_yaml_int, branch for branch. Implicit ints always take the
 * plain path; the Python int() leniencies (blanks, signs, 0o) matter only to `!!int`. */
static s_status s_int_value(const char *s, size_t n, int64_t *out)
{
    s_clean c;
    s_clean_init(&c, s, n, false);
    const char *v = c.p;
    size_t m = c.n;
    s_status st = S_OK;
    s_pyint x = { false, 0 };
    bool neg = m && v[0] == '-';
    if (m && (v[0] == '-' || v[0] == '+')) v++, m--;
    if (m == 1 && v[0] == '0') {
        /* 0 */
    } else if (m >= 2 && v[0] == '0' && v[1] == 'b') {
        st = s_py_int(v + 2, m - 2, 2, &x);
    } else if (m >= 2 && v[0] == '0' && v[1] == 'x') {
        st = s_py_int(v + 2, m - 2, 16, &x);
    } else if (m == 0) {
        st = S_BAD;                                 /* value[0]: IndexError */
    } else if (v[0] == '0') {
        st = s_py_int(v, m, 8, &x);
    } else if (memchr(v, ':', m)) {
        /* digits = [int(part) for part in value.split(':')]; sum of digit * 60**k */
        size_t i = 0;
        for (;;) {
            size_t e = i;
            while (e < m && v[e] != ':') e++;
            s_pyint part;
            s_status ps = s_py_int(v + i, e - i, 10, &part);
            if (ps == S_BAD) {
                st = S_BAD;
                break;
            }
            if (ps == S_BIG || __builtin_mul_overflow(x.mag, 60, &x.mag) || !s_pyint_add(&x, part, 1))
                st = S_BIG;                         /* keep checking the other parts */
            if (e == m) break;
            i = e + 1;
        }
    } else {
        st = s_py_int(v, m, 10, &x);
    }
    s_clean_free(&c);
    if (st != S_OK) return st;
    if (neg && x.mag) x.neg = !x.neg;
    if (x.neg ? x.mag > (uint64_t)INT64_MAX + 1 : x.mag > (uint64_t)INT64_MAX) return S_BIG;
    if (!x.neg) *out = (int64_t)x.mag;
    else *out = x.mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)x.mag;
    return S_OK;
}

/* Python's float() on a lowercased text without '_': blanks around, a sign, then
 * inf, infinity, nan, or digits with an optional dot and exponent. */
static bool s_py_float_syntax(const char *v)
{
    static const char *const ws = " \t\n\r\f\v";
    while (*v && strchr(ws, *v)) v++;
    if (*v == '-' || *v == '+') v++;
    size_t n = strlen(v);
    while (n && strchr(ws, v[n - 1])) n--;
    static const char *const words[] = { "inf", "infinity", "nan", NULL };
    if (s_eq_any(v, n, words)) return true;
    size_t i = 0, digits = 0;
    while (i < n && s_is_digit(v[i])) i++, digits++;
    if (i < n && v[i] == '.') {
        i++;
        while (i < n && s_is_digit(v[i])) i++, digits++;
    }
    if (digits == 0) return false;
    if (i < n && v[i] == 'e') {
        i++;
        if (i < n && (v[i] == '-' || v[i] == '+')) i++;
        size_t e = i;
        while (i < n && s_is_digit(v[i])) i++;
        if (i == e) return false;
    }
    return i == n;
}

static s_status s_py_float(const char *v, double *out)
{
    if (!s_py_float_syntax(v)) return S_BAD;
    *out = strtod(v, NULL);     /* correctly rounded, as Python's float() */
    return S_OK;
}

/* SafeConstructor.construct_yaml_float, step by step (the base-60 sum in its order). */
static s_status s_float_value(const char *s, size_t n, double *out)
{
    s_clean c;
    s_clean_init(&c, s, n, true);
    char *v = c.p;
    s_status st = S_BAD;
    double sign = 1.0, x = 0.0;
    if (c.n == 0) goto done;
    if (v[0] == '-') sign = -1.0;
    if (v[0] == '-' || v[0] == '+') v++;
    if (strcmp(v, ".inf") == 0) {
        x = INFINITY;
        st = S_OK;
    } else if (strcmp(v, ".nan") == 0) {
        *out = NAN;               /* the constructor returns nan_value, without the sign */
        st = S_OK;
        goto done;
    } else if (strchr(v, ':')) {
        /* digits = [float(part) for part in value.split(':')]; reversed; sum with base */
        size_t nparts = 1;
        for (char *p = v; *p; p++) nparts += *p == ':';
        double base = 1.0;
        st = S_OK;
        for (size_t k = nparts; k-- > 0 && st == S_OK;) {
            char *part = v;         /* the k-th part, cut out in place */
            for (size_t skip = k; skip; skip--) part = strchr(part, ':') + 1;
            char *end = strchr(part, ':');
            char saved = end ? *end : '\0';
            if (end) *end = '\0';
            double d;
            st = s_py_float(part, &d);
            if (end) *end = saved;
            if (st == S_OK) {
                x += d * base;
                base *= 60;
            }
        }
    } else {
        st = s_py_float(v, &x);
    }
    if (st == S_OK) *out = sign * x;
done:
    s_clean_free(&c);
    return st;
}

/* SafeConstructor.construct_yaml_bool: bool_values[value.lower()] */
static s_status s_bool_value(const char *s, size_t n, bool *out)
{
    static const char *const yes[] = { "yes", "true", "on", NULL };
    static const char *const no[] = { "no", "false", "off", NULL };
    char low[8];
    if (n >= sizeof low) return S_BAD;
    for (size_t i = 0; i < n; i++)
        low[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
    if (s_eq_any(low, n, yes)) *out = true;
    else if (s_eq_any(low, n, no)) *out = false;
    else return S_BAD;
    return S_OK;
}

/* The implicit resolvers apply where libyaml sets plain_implicit, which PyYAML passes
 * to resolve(): plain scalars without a tag, and scalars of any style tagged "!" --
 * except an empty node ("k: !", nothing after the tag), which libyaml makes a plain
 * "" without plain_implicit: a str. (A real plain scalar is never empty.) */
static bool s_implicit(const gl_ynode *n)
{
    if (!n->tag) return n->plain;
    return strcmp(n->tag, "!") == 0 && !(n->plain && n->len == 0);
}

/* Resolver.resolve: the first matching implicit resolver, else str. Timestamps
 * resolve to str: gluec keeps the text of 2024-01-01 (PyYAML makes a datetime.date,
 * whose str() is the same text for dates; datetimes may print differently). */
static s_rkind s_resolve(const gl_ynode *n)
{
    const char *s = n->text;
    size_t len = n->len;
    if (!s_implicit(n)) {
        if (!n->tag || strcmp(n->tag, "!") == 0) return S_R_STR;
        static const struct { const char *tag; s_rkind kind; } tags[] = {
            { "!!str", S_R_STR }, { "!!int", S_R_INT }, { "!!float", S_R_FLOAT },
            { "!!bool", S_R_BOOL }, { "!!null", S_R_NULL }, { "!!timestamp", S_R_STR },
            { "!!merge", S_R_MERGE }, { "!!value", S_R_VALUE },
        };
        for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
            if (strcmp(n->tag, tags[i].tag) == 0) return tags[i].kind;
        return S_R_BADTAG;
    }
    /* Python's `$` also matches before a final newline, which only a "!"-tagged quoted
     * or block scalar can have (`! |` then 123: the int 123); value[0] picks the
     * resolvers, so a lone "\n" is a str */
    if (len > 1 && s[len - 1] == '\n') len--;
    if (s_eq_any(s, len, s_true_words) || s_eq_any(s, len, s_false_words)) return S_R_BOOL;
    if (s_match_float(s, len)) return S_R_FLOAT;
    if (s_match_int(s, len)) return S_R_INT;
    if (s_eq(s, len, "<<")) return S_R_MERGE;
    if (s_match_null(s, len)) return S_R_NULL;
    if (s_eq(s, len, "=")) return S_R_VALUE;
    return S_R_STR;
}

gl_yscalar gl_yscalar_kind(const gl_ynode *n)
{
    if (!n) return GL_YS_NULL;
    if (n->kind != GL_Y_SCALAR) return GL_YS_STR;
    switch (s_resolve(n)) {
    case S_R_NULL: return GL_YS_NULL;
    case S_R_BOOL: return GL_YS_BOOL;
    case S_R_INT: return GL_YS_INT;
    case S_R_FLOAT: return GL_YS_FLOAT;
    default: return GL_YS_STR;
    }
}

bool gl_yscalar_bool(const gl_ynode *n)
{
    bool b = false;
    if (n && n->kind == GL_Y_SCALAR) s_bool_value(n->text, n->len, &b);
    return b;
}

const gl_ynode *gl_ymap_get(const gl_ynode *map, const char *key)
{
    if (!map || map->kind != GL_Y_MAP) return NULL;
    size_t klen = strlen(key);
    for (uint32_t i = 0; i < map->n; i++) {
        const gl_ynode *k = map->keys[i];
        if (k->kind == GL_Y_SCALAR && k->len == klen && memcmp(k->text, key, klen) == 0)
            return map->vals[i];
    }
    return NULL;
}

/* ======================================================================================
 * Keys as Python values: identity for the repeated-key rule
 * ====================================================================================== */

typedef enum s_keyclass { S_K_NULL, S_K_NUM, S_K_STR, S_K_OTHER } s_keyclass;

typedef struct s_keyid {
    s_keyclass cls;
    bool is_int;            /* S_K_NUM: i, else f */
    int64_t i;
    double f;
    const gl_ynode *node;   /* S_K_STR, S_K_OTHER: the text (OTHER: and the tag) */
    uint32_t hash;
} s_keyid;

static uint32_t s_fnv(const void *p, size_t n, uint32_t h)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 16777619u;
    return h;
}

/* How the key node constructs in Python: None, a number (bool, int and float compare
 * equal across kinds: 1 == 1.0 == True), a str, or something gluec cannot value
 * (ints beyond 64 bits, texts a tag rejects: compared by tag and text). */
static s_keyid s_key_identity(const gl_ynode *k)
{
    s_keyid id = { .cls = S_K_OTHER, .node = k };
    s_status st = S_OK;
    switch (s_resolve(k)) {
    case S_R_NULL: id.cls = S_K_NULL; break;
    case S_R_BOOL: {
        bool b = false;
        st = s_bool_value(k->text, k->len, &b);
        id.cls = S_K_NUM, id.is_int = true, id.i = b;
        break;
    }
    case S_R_INT:
        st = s_int_value(k->text, k->len, &id.i);
        id.cls = S_K_NUM, id.is_int = true;
        break;
    case S_R_FLOAT:
        st = s_float_value(k->text, k->len, &id.f);
        id.cls = S_K_NUM;
        /* an integral float is the int it equals (hash(1.0) == hash(1)) */
        if (st == S_OK && id.f >= -9223372036854775808.0 && id.f < 9223372036854775808.0 &&
            id.f == (double)(int64_t)id.f) {
            id.is_int = true;
            id.i = (int64_t)id.f;
        }
        break;
    case S_R_STR: case S_R_VALUE: id.cls = S_K_STR; break;
    default: break;
    }
    if (st != S_OK) id.cls = S_K_OTHER;
    uint32_t h = 2166136261u;
    switch (id.cls) {
    case S_K_NULL: h = 1; break;
    case S_K_NUM:
        if (id.is_int) h = s_fnv(&id.i, sizeof id.i, h);
        else if (isnan(id.f)) h = 3;
        else h = s_fnv(&id.f, sizeof id.f, h);
        break;
    case S_K_STR: h = s_fnv(k->text, k->len, h); break;
    case S_K_OTHER:
        h = s_fnv(k->text, k->len, h);
        if (k->tag) h = s_fnv(k->tag, strlen(k->tag), h);
        break;
    }
    id.hash = h;
    return id;
}

static bool s_key_equal(const s_keyid *a, const s_keyid *b)
{
    if (a->cls != b->cls || a->hash != b->hash) return false;
    switch (a->cls) {
    case S_K_NULL: return true;
    case S_K_NUM:
        if (a->is_int != b->is_int) return false;
        if (a->is_int) return a->i == b->i;
        /* PyYAML returns one nan object for every .nan, and dicts match by identity
         * first: {.nan: 1, .NaN: 2} has one key */
        return a->f == b->f || (isnan(a->f) && isnan(b->f));
    case S_K_STR:
        return a->node->len == b->node->len && memcmp(a->node->text, b->node->text, a->node->len) == 0;
    case S_K_OTHER:
        return a->node->len == b->node->len && memcmp(a->node->text, b->node->text, a->node->len) == 0 &&
               (a->node->tag ? b->node->tag && strcmp(a->node->tag, b->node->tag) == 0 : !b->node->tag);
    }
    return false;
}

/* ======================================================================================
 * Constructibility: what PyYAML's constructors raise on
 * ====================================================================================== */

static const char *s_kind_word(const gl_ynode *n)
{
    return n->kind == GL_Y_MAP ? "mapping" : n->kind == GL_Y_SEQ ? "sequence" : "scalar";
}

static const char s_tags_hint[] =
    "gluec understands the tags !!str, !!int, !!float, !!bool, !!null, !!timestamp (kept as "
    "text), !!map and !!seq";

/* A collection's tag must be absent, "!", or the standard one of its kind. */
static bool s_collection_tag_ok(const gl_ynode *n)
{
    const char *own = n->kind == GL_Y_MAP ? "!!map" : "!!seq";
    return !n->tag || strcmp(n->tag, "!") == 0 || strcmp(n->tag, own) == 0;
}

/* False, with the message in msg and a static hint, when PyYAML's SafeConstructor
 * raises on the node (ConstructorError, or the ValueError of int()/float()). Ints
 * beyond 64 bits pass: Python has them (gl_yaml_to_value refuses them). A key may be a
 * plain `=` (a str) or `<<` (the merge key, removed by s_flatten). */
static bool s_constructible(const gl_ynode *n, bool is_key, gl_buf *msg, const char **hint)
{
    *hint = NULL;
    if (n->kind != GL_Y_SCALAR) {
        if (s_collection_tag_ok(n)) return true;
        static const char *const scalar_tags[] = { "!!str", "!!int", "!!float", "!!bool",
                                                   "!!null", "!!timestamp", NULL };
        const char *want = NULL;
        if (s_eq_any(n->tag, strlen(n->tag), scalar_tags)) want = "scalar";
        else if (strcmp(n->tag, "!!map") == 0) want = "mapping";
        else if (strcmp(n->tag, "!!seq") == 0) want = "sequence";
        if (!want) {
            *hint = s_tags_hint;
            gl_buf_printf(msg, "could not determine a constructor for the tag '%s'", n->tag);
        } else {
            gl_buf_printf(msg, "expected a %s node, but found %s", want, s_kind_word(n));
        }
        return false;
    }
    union { bool b; int64_t i; double f; } out;
    switch (s_resolve(n)) {
    case S_R_NULL: case S_R_STR:
        return true;
    case S_R_BOOL:
        if (s_bool_value(n->text, n->len, &out.b) == S_OK) return true;
        *hint = "a !!bool is one of true/false, yes/no, on/off (any case)";
        gl_buf_adds(msg, "invalid boolean ");
        break;
    case S_R_INT:
        if (s_int_value(n->text, n->len, &out.i) != S_BAD) return true;
        gl_buf_adds(msg, "invalid literal for int(): ");
        break;
    case S_R_FLOAT:
        if (s_float_value(n->text, n->len, &out.f) == S_OK) return true;
        gl_buf_adds(msg, "could not convert string to float: ");
        break;
    case S_R_VALUE:
        if (is_key) return true;
        *hint = "a plain '=' is YAML 1.1's value key; write \"=\" for the text";
        gl_buf_adds(msg, "could not determine a constructor for the tag 'tag:yaml.org,2002:value'");
        return false;
    case S_R_MERGE:
        if (is_key) return true;
        *hint = "'<<' is the merge key; write \"<<\" for the text";
        gl_buf_adds(msg, "could not determine a constructor for the tag 'tag:yaml.org,2002:merge'");
        return false;
    case S_R_BADTAG:
        *hint = s_tags_hint;
        gl_buf_printf(msg, "could not determine a constructor for the tag '%s'", n->tag);
        return false;
    }
    gl_repr_str(n->text, n->len, msg);
    return false;
}

/* ======================================================================================
 * Loading: events to nodes
 * ====================================================================================== */

/* libyaml's mark.index counts code points of the (UTF-8, validated) input; byte
 * offsets come from walking the text from the last converted position. Marks arrive
 * almost in order, so the walk is linear overall. */
typedef struct s_cursor {
    const char *text;
    size_t len;
    size_t ci, bi;          /* code point index and its byte offset */
} s_cursor;

static uint32_t s_byte_of(s_cursor *c, size_t ci)
{
    while (c->ci < ci && c->bi < c->len) {
        c->bi++;
        while (c->bi < c->len && ((unsigned char)c->text[c->bi] & 0xC0) == 0x80) c->bi++;
        c->ci++;
    }
    while (c->ci > ci && c->bi > 0) {
        c->bi--;
        while (c->bi > 0 && ((unsigned char)c->text[c->bi] & 0xC0) == 0x80) c->bi--;
        c->ci--;
    }
    return (uint32_t)c->bi;
}

typedef struct s_anchor {
    const char *name;       /* NULL: free slot */
    gl_ynode *node;
    uint32_t at;            /* byte offset of the definition's `&` */
    bool open;              /* its collection is still being composed */
} s_anchor;

typedef struct s_frame {
    gl_ynode *node;         /* the collection being composed */
    gl_ynode **items;       /* seq items, or map keys and values interleaved */
    uint32_t n, cap;
    uint32_t end;           /* end of the last child (block collections end there) */
    bool flow;
    const char *anchor;     /* its anchor's name (in the table, open until the collection
                               ends), or NULL */
} s_frame;

typedef struct s_loader {
    gl_arena *a;            /* the document's: every temporary goes there too */
    gl_source *src;
    yaml_parser_t parser;
    yaml_event_t event;
    bool have_event;        /* event must be deleted */
    s_cursor cur;
    s_frame *stack;
    uint32_t depth, stack_cap;
    s_anchor *anchors;      /* open addressing, power-of-two size */
    uint32_t nanchors, anchor_cap;
    gl_ynode **colls;       /* collections in the order they closed (post order) */
    uint32_t ncolls, colls_cap;
    gl_ynode *root;         /* the document's node, NULL until one is composed */
    gl_diag *err;
} s_loader;

/* ---- diagnostics ---- */

static uint32_t s_char_len(const gl_source *src, uint32_t off)
{
    if (off >= src->len || src->text[off] == '\n' || src->text[off] == '\r') return 0;
    uint32_t e = off + 1;
    while (e < src->len && ((unsigned char)src->text[e] & 0xC0) == 0x80) e++;
    return e - off;
}

/* One character at off (nothing at a line end or the end of the text). */
static gl_span s_point(const gl_source *src, uint32_t off)
{
    if (off > src->len) off = (uint32_t)src->len;
    gl_span sp = { off, off + s_char_len(src, off) };
    return sp;
}

static bool s_failv(s_loader *L, gl_span span, const char *hint, const char *fmt, va_list ap)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_buf_vprintf(&b, fmt, ap);
    L->err->severity = GL_SEV_ERROR;
    L->err->src = L->src;
    L->err->span = span;
    L->err->message = b.data;
    L->err->hint = NULL;
    if (hint) {
        size_t n = strlen(hint);
        L->err->hint = gl_xmalloc(n + 1);
        memcpy(L->err->hint, hint, n + 1);
    }
    return false;
}

static bool s_fail(s_loader *L, gl_span span, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static bool s_fail(s_loader *L, gl_span span, const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    s_failv(L, span, hint, fmt, ap);
    va_end(ap);
    return false;
}

static void s_line_col(s_loader *L, uint32_t off, uint32_t *line, uint32_t *col)
{
    gl_source_position(L->src, off, line, col);
}

/* Does the line holding off contain needle between its start and off? */
static bool s_line_before_has(const gl_source *src, uint32_t off, const char *needle)
{
    uint32_t ls = off;
    while (ls > 0 && src->text[ls - 1] != '\n') ls--;
    size_t nl = strlen(needle);
    for (uint32_t i = ls; i + nl <= off; i++)
        if (memcmp(src->text + i, needle, nl) == 0) return true;
    return false;
}

/* Is there a tab in the indentation of the line holding off (or at off)? */
static bool s_tab_indent(const gl_source *src, uint32_t off)
{
    if (off < src->len && src->text[off] == '\t') return true;
    uint32_t ls = off;
    while (ls > 0 && src->text[ls - 1] != '\n') ls--;
    for (uint32_t i = ls; i < src->len && (src->text[i] == ' ' || src->text[i] == '\t'); i++)
        if (src->text[i] == '\t') return true;
    return false;
}

/* The last non-blank character before off on its line, or 0. */
static char s_prev_char(const gl_source *src, uint32_t off)
{
    while (off > 0 && (src->text[off - 1] == ' ' || src->text[off - 1] == '\t')) off--;
    return off > 0 && src->text[off - 1] != '\n' ? src->text[off - 1] : 0;
}

static const char s_jinja_hint[] =
    "an unquoted '{{ ... }}' or '{% ... %}' is read as YAML; quote Jinja in YAML values, "
    "e.g. \"{{ var('x') }}\"";

/* A hint for the common mistakes behind libyaml's messages. */
static void s_parse_hint(s_loader *L, const char *problem, const char *context, uint32_t off,
                         uint32_t ctx_off, gl_buf *hint)
{
    const gl_source *src = L->src;
    uint32_t cl, cc;
    s_line_col(L, ctx_off, &cl, &cc);
    char at = off < src->len ? src->text[off] : 0;
    if (strstr(problem, "tab") || s_tab_indent(src, off)) {
        gl_buf_adds(hint, "YAML does not allow tabs for indentation; use spaces");
    } else if (s_line_before_has(src, off, "{{") || s_line_before_has(src, off, "{%") ||
               (at == '%' && s_prev_char(src, off) == '{')) {
        gl_buf_adds(hint, s_jinja_hint);
    } else if (strcmp(problem, "mapping values are not allowed in this context") == 0) {
        if (s_line_before_has(src, off, ": "))
            gl_buf_adds(hint, "a plain value cannot contain ': '; put the value in quotes");
        else
            gl_buf_adds(hint, "this line is indented more than the key above it, so it continues "
                              "that value; check the indentation");
    } else if (context && strcmp(context, "while scanning a quoted scalar") == 0) {
        gl_buf_printf(hint, "the quoted string that starts at line %u, column %u is not closed",
                      cl, cc);
    } else if (strcmp(problem, "did not find expected key") == 0 && context &&
               strcmp(context, "while parsing a block mapping") == 0) {
        char prev = s_prev_char(src, off);
        if (prev == '"' || prev == '\'')
            gl_buf_adds(hint, "text after a closing quote: quote the whole value (inside single "
                              "quotes, write a quote twice: 'it''s')");
        else if (at == '-')
            gl_buf_printf(hint, "a list item cannot stand among the keys of the mapping that "
                                "starts at line %u, column %u; indent it under a key", cl, cc);
        else
            gl_buf_printf(hint, "check the indentation: the keys of the mapping that starts at "
                                "line %u are in column %u", cl, cc);
    } else if (strcmp(problem, "did not find expected '-' indicator") == 0) {
        gl_buf_printf(hint, "check the indentation: the items of the list that starts at line "
                            "%u are '- ' in column %u", cl, cc);
    } else if (strcmp(problem, "block sequence entries are not allowed in this context") == 0) {
        gl_buf_adds(hint, "a list cannot start on the line of its key; write each '- item' on "
                          "its own line, indented under the key");
    } else if (strcmp(problem, "could not find expected ':'") == 0) {
        gl_buf_adds(hint, "every line of a mapping needs 'key: value'; add the ':', or indent "
                          "the line to continue the value above");
    } else if (strcmp(problem, "found character that cannot start any token") == 0 &&
               (at == '@' || at == '`')) {
        gl_buf_printf(hint, "'%c' is reserved in YAML and cannot start a plain value; put the "
                            "value in quotes", at);
    }
}

static bool s_parse_error(s_loader *L)
{
    yaml_parser_t *p = &L->parser;
    if (p->error == YAML_MEMORY_ERROR) {
        fputs("gluec: out of memory\n", stderr);
        abort();
    }
    const char *problem = p->problem ? p->problem : "unknown YAML error";
    if (p->error == YAML_READER_ERROR) {
        uint32_t off = p->problem_offset > L->src->len ? (uint32_t)L->src->len
                                                       : (uint32_t)p->problem_offset;
        gl_span sp = { off, off < L->src->len ? off + 1 : off };
        if (strstr(problem, "octet"))
            return s_fail(L, sp, "gluec reads YAML files as UTF-8; save the file as UTF-8",
                          "%s 0x%02x", problem, (unsigned)p->problem_value & 0xffu);
        if (strstr(problem, "UTF-8"))
            return s_fail(L, sp, "gluec reads YAML files as UTF-8; save the file as UTF-8",
                          "%s", problem);
        if (p->problem_value >= 0)
            return s_fail(L, sp, NULL, "%s (U+%04X)", problem, (unsigned)p->problem_value);
        return s_fail(L, sp, NULL, "%s", problem);
    }
    uint32_t ctx_off = p->context ? s_byte_of(&L->cur, p->context_mark.index) : 0;
    uint32_t off = s_byte_of(&L->cur, p->problem_mark.index);
    gl_buf msg, hint;
    gl_buf_init(&msg);
    gl_buf_init(&hint);
    gl_buf_adds(&msg, problem);
    if (p->context) {
        if (ctx_off == off) {
            gl_buf_printf(&msg, " (%s)", p->context);
        } else {
            uint32_t line, col;
            s_line_col(L, ctx_off, &line, &col);
            gl_buf_printf(&msg, " (%s at line %u, column %u)", p->context, line, col);
        }
    }
    s_parse_hint(L, problem, p->context, off, ctx_off, &hint);
    s_fail(L, s_point(L->src, off), hint.data, "%s", msg.data);
    gl_buf_free(&msg);
    gl_buf_free(&hint);
    return false;
}

/* ---- building ---- */

static uint32_t s_mark(s_loader *L, yaml_mark_t m) { return s_byte_of(&L->cur, m.index); }

static gl_span s_event_span(s_loader *L)
{
    gl_span sp;
    sp.start = s_mark(L, L->event.start_mark);
    sp.end = s_mark(L, L->event.end_mark);
    return sp;
}

/* "tag:yaml.org,2002:str" -> "!!str"; others as they are */
static const char *s_tag(s_loader *L, const yaml_char_t *tag)
{
    static const char prefix[] = "tag:yaml.org,2002:";
    if (!tag) return NULL;
    const char *t = (const char *)tag;
    size_t n = strlen(t);
    if (strncmp(t, prefix, sizeof prefix - 1) == 0) {
        size_t rest = n - (sizeof prefix - 1);
        char *s = gl_arena_alloc(L->a, rest + 3);
        memcpy(s, "!!", 2);
        memcpy(s + 2, t + sizeof prefix - 1, rest + 1);
        return s;
    }
    return gl_arena_strndup(L->a, t, n);
}

static s_anchor *s_anchor_slot(s_loader *L, const char *name)
{
    uint32_t mask = L->anchor_cap - 1;
    uint32_t i = s_fnv(name, strlen(name), 2166136261u) & mask;
    while (L->anchors[i].name && strcmp(L->anchors[i].name, name) != 0) i = (i + 1) & mask;
    return &L->anchors[i];
}

static s_anchor *s_anchor_find(s_loader *L, const char *name)
{
    if (!L->anchor_cap) return NULL;
    s_anchor *a = s_anchor_slot(L, name);
    return a->name ? a : NULL;
}

/* Records an anchor for node; false (and the error) when it is already defined. */
static bool s_anchor_define(s_loader *L, const yaml_char_t *anchor, gl_ynode *node,
                            s_anchor **out)
{
    *out = NULL;
    if (!anchor) return true;
    const char *name = (const char *)anchor;
    uint32_t start = s_mark(L, L->event.start_mark);
    uint32_t end = s_mark(L, L->event.end_mark);
    /* the anchor is among the node's properties, which start the event */
    const char *amp = NULL;
    for (uint32_t i = start; i < end && i < L->src->len; i++)
        if (L->src->text[i] == '&' && strncmp(L->src->text + i + 1, name, strlen(name)) == 0) {
            amp = L->src->text + i;
            break;
        }
    uint32_t at = amp ? (uint32_t)(amp - L->src->text) : start;
    gl_span sp = { at, amp ? at + 1 + (uint32_t)strlen(name) : at + s_char_len(L->src, at) };
    s_anchor *old = s_anchor_find(L, name);
    if (old) {
        uint32_t line, col;
        s_line_col(L, old->at, &line, &col);
        gl_buf hint;
        gl_buf_init(&hint);
        gl_buf_printf(&hint, "'&%s' is first defined at line %u, column %u; anchors must be "
                             "unique within a file", name, line, col);
        s_fail(L, sp, hint.data, "found duplicate anchor '%s'", name);
        gl_buf_free(&hint);
        return false;
    }
    if ((L->nanchors + 1) * 2 > L->anchor_cap) {
        s_anchor *old_tab = L->anchors;
        uint32_t old_cap = L->anchor_cap;
        L->anchor_cap = old_cap ? old_cap * 2 : 16;
        L->anchors = gl_arena_zalloc(L->a, L->anchor_cap * sizeof *L->anchors);
        for (uint32_t i = 0; i < old_cap; i++)
            if (old_tab[i].name) *s_anchor_slot(L, old_tab[i].name) = old_tab[i];
    }
    s_anchor *slot = s_anchor_slot(L, name);
    slot->name = gl_arena_strndup(L->a, name, strlen(name));
    slot->node = node;
    slot->at = at;
    slot->open = false;
    L->nanchors++;
    *out = slot;
    return true;
}

static gl_ynode *s_node(s_loader *L, gl_ykind kind, const yaml_char_t *tag)
{
    gl_ynode *n = gl_arena_zalloc(L->a, sizeof *n);
    n->kind = kind;
    n->span = s_event_span(L);
    n->tag = s_tag(L, tag);
    return n;
}

/* Appends a finished node (ending at byte end) to the open collection, or makes it
 * the root. */
static void s_add(s_loader *L, gl_ynode *n, uint32_t end)
{
    if (L->depth == 0) {
        L->root = n;
        return;
    }
    s_frame *f = &L->stack[L->depth - 1];
    if (f->n == f->cap) {
        uint32_t cap = f->cap ? f->cap * 2 : 8;
        f->items = gl_arena_grow(L->a, f->items, f->n * sizeof *f->items, cap * sizeof *f->items);
        f->cap = cap;
    }
    f->items[f->n++] = n;
    if (end > f->end) f->end = end;
}

static bool s_push(s_loader *L, gl_ykind kind, const yaml_char_t *tag,
                   const yaml_char_t *anchor, bool flow)
{
    gl_ynode *n = s_node(L, kind, tag);
    if (L->depth >= GL_YAML_MAX_DEPTH)
        return s_fail(L, s_point(L->src, n->span.start),
                      "flatten the data, or check for unbalanced brackets",
                      "YAML nesting is too deep (more than %d levels)", GL_YAML_MAX_DEPTH);
    s_anchor *an;
    if (!s_anchor_define(L, anchor, n, &an)) return false;
    if (an) an->open = true;
    if (L->depth == L->stack_cap) {
        uint32_t cap = L->stack_cap ? L->stack_cap * 2 : 16;
        L->stack = gl_arena_grow(L->a, L->stack, L->depth * sizeof *L->stack, cap * sizeof *L->stack);
        L->stack_cap = cap;
    }
    s_frame *f = &L->stack[L->depth++];
    memset(f, 0, sizeof *f);
    f->node = n;
    f->flow = flow;
    f->anchor = an ? an->name : NULL;      /* a name: the table moves when it grows */
    f->end = n->span.end;
    return true;
}

static void s_pop(s_loader *L)
{
    s_frame *f = &L->stack[--L->depth];
    gl_ynode *n = f->node;
    /* a flow collection ends at its bracket; a block one with its last child */
    n->span.end = f->flow ? s_mark(L, L->event.end_mark) : f->end;
    if (n->span.end < n->span.start) n->span.end = n->span.start;
    if (n->kind == GL_Y_SEQ) {
        n->n = f->n;
        n->items = f->items;
    } else {
        n->n = f->n / 2;
        n->keys = gl_arena_alloc(L->a, (n->n + 1) * sizeof *n->keys);
        n->vals = gl_arena_alloc(L->a, (n->n + 1) * sizeof *n->vals);
        for (uint32_t i = 0; i < n->n; i++) {
            n->keys[i] = f->items[2 * i];
            n->vals[i] = f->items[2 * i + 1];
        }
    }
    if (L->ncolls == L->colls_cap) {
        uint32_t cap = L->colls_cap ? L->colls_cap * 2 : 16;
        L->colls = gl_arena_grow(L->a, L->colls, L->ncolls * sizeof *L->colls, cap * sizeof *L->colls);
        L->colls_cap = cap;
    }
    L->colls[L->ncolls++] = n;
    if (f->anchor) s_anchor_find(L, f->anchor)->open = false;
    s_add(L, n, n->span.end);
}

static bool s_alias(s_loader *L)
{
    const char *name = (const char *)L->event.data.alias.anchor;
    gl_span sp = s_event_span(L);
    s_anchor *an = s_anchor_find(L, name);
    if (!an)
        return s_fail(L, sp, "define the anchor with '&name' before its first use as '*name'",
                      "found undefined alias '%s'", name);
    if (an->open) {
        uint32_t line, col;
        s_line_col(L, an->at, &line, &col);
        gl_buf hint;
        gl_buf_init(&hint);
        gl_buf_printf(&hint, "'*%s' is inside the node anchored at line %u, column %u, which "
                             "would contain itself", name, line, col);
        s_fail(L, sp, hint.data, "recursive alias '%s'", name);
        gl_buf_free(&hint);
        return false;
    }
    an->node->shared = true;
    s_add(L, an->node, sp.end);
    return true;
}

static bool s_scalar(s_loader *L)
{
    const yaml_event_t *e = &L->event;
    gl_ynode *n = s_node(L, GL_Y_SCALAR, e->data.scalar.tag);
    n->text = gl_arena_strndup(L->a, (const char *)e->data.scalar.value, e->data.scalar.length);
    n->len = (uint32_t)e->data.scalar.length;
    n->plain = e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    s_anchor *an;
    if (!s_anchor_define(L, e->data.scalar.anchor, n, &an)) return false;
    s_add(L, n, n->span.end);
    return true;
}

/* The event loop: true with L->root set (or left NULL for an empty stream). */
static bool s_compose(s_loader *L)
{
    bool seen_document = false;
    for (;;) {
        if (!yaml_parser_parse(&L->parser, &L->event)) return s_parse_error(L);
        L->have_event = true;
        bool ok = true;
        switch (L->event.type) {
        case YAML_DOCUMENT_START_EVENT:
            if (seen_document) {
                gl_span sp = s_event_span(L);
                if (sp.end == sp.start) sp = s_point(L->src, sp.start);
                ok = s_fail(L, sp, "dbt reads one YAML document per file: remove this separator "
                                   "or move the next document to a file of its own",
                            "expected a single document in the stream, but found another "
                            "document");
            }
            seen_document = true;
            break;
        case YAML_ALIAS_EVENT: ok = s_alias(L); break;
        case YAML_SCALAR_EVENT: ok = s_scalar(L); break;
        case YAML_SEQUENCE_START_EVENT:
            ok = s_push(L, GL_Y_SEQ, L->event.data.sequence_start.tag,
                        L->event.data.sequence_start.anchor,
                        L->event.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE);
            break;
        case YAML_MAPPING_START_EVENT:
            ok = s_push(L, GL_Y_MAP, L->event.data.mapping_start.tag,
                        L->event.data.mapping_start.anchor,
                        L->event.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE);
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            s_pop(L);
            break;
        default:
            break;
        }
        bool end = L->event.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&L->event);
        L->have_event = false;
        if (!ok) return false;
        if (end) return true;
    }
}

/* ======================================================================================
 * Construction: merge keys and repeated keys, per mapping in post order
 * ====================================================================================== */

static bool s_is_merge_key(const gl_ynode *k)
{
    return k->kind == GL_Y_SCALAR && s_resolve(k) == S_R_MERGE;
}

typedef struct s_pairs {
    gl_ynode **keys, **vals;
    uint32_t n, cap;
} s_pairs;

static void s_pairs_add(s_loader *L, s_pairs *p, gl_ynode *k, gl_ynode *v)
{
    if (p->n == p->cap) {
        uint32_t cap = p->cap ? p->cap * 2 : 8;
        p->keys = gl_arena_grow(L->a, p->keys, p->n * sizeof *p->keys, cap * sizeof *p->keys);
        p->vals = gl_arena_grow(L->a, p->vals, p->n * sizeof *p->vals, cap * sizeof *p->vals);
        p->cap = cap;
    }
    p->keys[p->n] = k;
    p->vals[p->n] = v;
    p->n++;
}

/* Merged pairs come from another mapping: they now have a second parent. */
static void s_pairs_merge(s_loader *L, s_pairs *p, const gl_ynode *from)
{
    for (uint32_t i = 0; i < from->n; i++) {
        from->keys[i]->shared = true;
        from->vals[i]->shared = true;
        s_pairs_add(L, p, from->keys[i], from->vals[i]);
    }
}

/* SafeConstructor.flatten_mapping: the pairs of `<<` values first (a list of mappings
 * in reverse order, so earlier ones win), then the mapping's own pairs. Merged
 * mappings closed earlier, so they are flattened already. */
static bool s_flatten(s_loader *L, gl_ynode *map, s_pairs *out)
{
    s_pairs merged = { 0 }, own = { 0 };
    for (uint32_t i = 0; i < map->n; i++) {
        gl_ynode *k = map->keys[i], *v = map->vals[i];
        if (!s_is_merge_key(k)) {
            s_pairs_add(L, &own, k, v);
        } else if (v->kind == GL_Y_MAP) {
            s_pairs_merge(L, &merged, v);
        } else if (v->kind == GL_Y_SEQ) {
            for (uint32_t j = 0; j < v->n; j++)
                if (v->items[j]->kind != GL_Y_MAP)
                    return s_fail(L, v->items[j]->span,
                                  "'<<' merges mappings: '<<: *anchor' or '<<: [*a, *b]'",
                                  "expected a mapping for merging, but found %s",
                                  s_kind_word(v->items[j]));
            for (uint32_t j = v->n; j-- > 0;) s_pairs_merge(L, &merged, v->items[j]);
        } else {
            return s_fail(L, v->span, "'<<' merges mappings: '<<: *anchor' or '<<: [*a, *b]'",
                          "expected a mapping or list of mappings for merging, but found %s",
                          s_kind_word(v));
        }
    }
    *out = merged;
    for (uint32_t i = 0; i < own.n; i++) s_pairs_add(L, out, own.keys[i], own.vals[i]);
    return true;
}

/* The pairs as a Python dict builds them: scalar keys only ("found unhashable key"
 * otherwise), a repeated key keeps its first position and takes the last value. */
static bool s_dedupe(s_loader *L, gl_ynode *map, const s_pairs *p)
{
    uint32_t cap = 16;
    while (cap < p->n * 2) cap *= 2;
    uint32_t *slots = gl_arena_zalloc(L->a, cap * sizeof *slots);   /* out index + 1 */
    s_keyid *ids = gl_arena_alloc(L->a, (p->n + 1) * sizeof *ids);
    map->keys = gl_arena_alloc(L->a, (p->n + 1) * sizeof *map->keys);
    map->vals = gl_arena_alloc(L->a, (p->n + 1) * sizeof *map->vals);
    map->n = 0;
    for (uint32_t i = 0; i < p->n; i++) {
        gl_ynode *k = p->keys[i];
        if (k->kind != GL_Y_SCALAR) {
            const gl_source *src = L->src;
            bool jinja = k->kind == GL_Y_MAP && k->span.start > 0 && src->text[k->span.start] == '{' &&
                         src->text[k->span.start - 1] == '{';
            return s_fail(L, k->span, jinja ? s_jinja_hint
                                            : "keys must be scalars (text, numbers, booleans)",
                          "found unhashable key: a %s cannot be a mapping key", s_kind_word(k));
        }
        s_keyid id = s_key_identity(k);
        uint32_t h = id.hash & (cap - 1);
        for (;;) {
            uint32_t s = slots[h];
            if (!s) {
                slots[h] = map->n + 1;
                ids[map->n] = id;
                map->keys[map->n] = k;
                map->vals[map->n] = p->vals[i];
                map->n++;
                break;
            }
            if (s_key_equal(&ids[s - 1], &id)) {
                map->vals[s - 1] = p->vals[i];
                break;
            }
            h = (h + 1) & (cap - 1);
        }
    }
    return true;
}

static bool s_check(s_loader *L, const gl_ynode *n, bool is_key)
{
    gl_buf msg;
    gl_buf_init(&msg);
    const char *hint;
    if (s_constructible(n, is_key, &msg, &hint)) return true;
    s_fail(L, n->span, hint, "%s", msg.data);
    gl_buf_free(&msg);
    return false;
}

/* PyYAML constructs every node, also values a repeated key discards later: each
 * collection (post order) has its tag and its scalars checked, then a mapping has
 * its merges applied and its repeated keys folded. */
static bool s_construct(s_loader *L)
{
    if (L->root && L->root->kind == GL_Y_SCALAR && !s_check(L, L->root, false)) return false;
    for (uint32_t i = 0; i < L->ncolls; i++) {
        gl_ynode *c = L->colls[i];
        if (!s_check(L, c, false)) return false;
        if (c->kind == GL_Y_SEQ) {
            for (uint32_t j = 0; j < c->n; j++)
                if (c->items[j]->kind == GL_Y_SCALAR && !s_check(L, c->items[j], false)) return false;
            continue;
        }
        for (uint32_t j = 0; j < c->n; j++) {
            if (c->keys[j]->kind == GL_Y_SCALAR && !s_check(L, c->keys[j], true)) return false;
            /* a merge value that is no mapping is s_flatten's error */
            if (c->vals[j]->kind == GL_Y_SCALAR && !s_is_merge_key(c->keys[j]) &&
                !s_check(L, c->vals[j], false))
                return false;
        }
        s_pairs p;
        if (!s_flatten(L, c, &p) || !s_dedupe(L, c, &p)) return false;
    }
    return true;
}

gl_ydoc *gl_yaml_load(gl_source *src, gl_diag *err, gl_source **err_src)
{
    gl_ydoc *doc = gl_xcalloc(1, sizeof *doc);
    gl_arena_init(&doc->arena);
    doc->src = src;
    s_loader L;
    memset(&L, 0, sizeof L);
    L.a = &doc->arena;
    L.src = src;
    L.err = err;
    L.cur.text = src->text;
    L.cur.len = src->len;
    bool ok;
    if (src->len >= UINT32_MAX) {
        gl_span at = { 0, 0 };
        ok = s_fail(&L, at, NULL, "file too large (4 GiB or more)");
    } else {
        if (!yaml_parser_initialize(&L.parser)) {
            fputs("gluec: out of memory\n", stderr);
            abort();
        }
        /* UTF-8 only: a UTF-16 file is an encoding error, not a silently converted text
         * whose marks no longer match the bytes */
        yaml_parser_set_encoding(&L.parser, YAML_UTF8_ENCODING);
        yaml_parser_set_input_string(&L.parser, (const unsigned char *)src->text, src->len);
        ok = s_compose(&L) && s_construct(&L);
        if (L.have_event) yaml_event_delete(&L.event);
        yaml_parser_delete(&L.parser);
    }
    if (!ok) {
        gl_arena_free(&doc->arena);
        free(doc);
        if (err_src) {
            *err_src = src;
        } else {
            err->src = NULL;
            gl_source_free(src);
        }
        return NULL;
    }
    doc->root = L.root;
    return doc;
}

void gl_ydoc_free(gl_ydoc *doc)
{
    if (!doc) return;
    gl_arena_free(&doc->arena);
    gl_source_free(doc->src);
    free(doc);
}

/* ======================================================================================
 * Nodes to Jinja values
 * ====================================================================================== */

typedef struct s_memo_slot {
    const gl_ynode *node;
    gl_value value;
} s_memo_slot;

typedef struct s_conv {
    gl_vm *vm;
    s_memo_slot *memo;      /* shared collections already converted (vm arena) */
    uint32_t nmemo, memo_cap;
    uint32_t depth;
} s_conv;

static uint32_t s_ptr_hash(const void *p)
{
    uintptr_t x = (uintptr_t)p;
    x ^= x >> 17;
    x *= 0x9E3779B97F4A7C15ull;
    return (uint32_t)(x >> 32);
}

static s_memo_slot *s_memo_slot_for(s_conv *c, const gl_ynode *n)
{
    uint32_t mask = c->memo_cap - 1, i = s_ptr_hash(n) & mask;
    while (c->memo[i].node && c->memo[i].node != n) i = (i + 1) & mask;
    return &c->memo[i];
}

static void s_memo_put(s_conv *c, const gl_ynode *n, gl_value v)
{
    if ((c->nmemo + 1) * 2 > c->memo_cap) {
        s_memo_slot *old = c->memo;
        uint32_t old_cap = c->memo_cap;
        c->memo_cap = old_cap ? old_cap * 2 : 16;
        c->memo = gl_vm_alloc(c->vm, c->memo_cap * sizeof *c->memo);
        memset(c->memo, 0, c->memo_cap * sizeof *c->memo);
        for (uint32_t i = 0; i < old_cap; i++)
            if (old[i].node) *s_memo_slot_for(c, old[i].node) = old[i];
    }
    s_memo_slot *s = s_memo_slot_for(c, n);
    s->node = n;
    s->value = v;
    c->nmemo++;
}

/* Raises what s_constructible found. */
_Noreturn static void s_raise_unconstructible(gl_vm *vm, const gl_ynode *n, bool is_key)
{
    gl_buf *msg = gl_vm_buf_get(vm);    /* the vm frees it, also across the longjmp */
    const char *hint;
    s_constructible(n, is_key, msg, &hint);
    if (hint) gl_vm_hint(vm, "%s", hint);
    gl_vm_error(vm, GL_ERR_VALUE, n->span, "%s", msg->data);
}

static gl_value s_scalar_value(gl_vm *vm, const gl_ynode *n, bool is_key)
{
    union { bool b; int64_t i; double f; } out;
    switch (s_resolve(n)) {
    case S_R_NULL:
        return gl_none();
    case S_R_STR:
        return gl_str_copy(vm, n->text, n->len);
    case S_R_BOOL:
        if (s_bool_value(n->text, n->len, &out.b) == S_OK) return gl_bool(out.b);
        break;
    case S_R_INT:
        switch (s_int_value(n->text, n->len, &out.i)) {
        case S_OK: return gl_int(out.i);
        case S_BIG:
            gl_vm_hint(vm, "gluec keeps integers in 64 bits; quote the value to keep it as text");
            gl_vm_error(vm, GL_ERR_OVERFLOW, n->span, "integer %s does not fit in 64 bits",
                        n->text);
        case S_BAD: break;
        }
        break;
    case S_R_FLOAT:
        if (s_float_value(n->text, n->len, &out.f) == S_OK) return gl_float(out.f);
        break;
    case S_R_VALUE:
        if (is_key) return gl_str_copy(vm, n->text, n->len);
        break;
    case S_R_MERGE: case S_R_BADTAG:
        break;
    }
    s_raise_unconstructible(vm, n, is_key);
}

static gl_value s_to_value(s_conv *c, const gl_ynode *n, bool is_key)
{
    gl_vm *vm = c->vm;
    if (!n) return gl_none();
    if (n->kind == GL_Y_SCALAR) return s_scalar_value(vm, n, is_key);
    if (n->shared && c->memo_cap) {
        s_memo_slot *s = s_memo_slot_for(c, n);
        if (s->node) return s->value;
    }
    if (!s_collection_tag_ok(n)) s_raise_unconstructible(vm, n, false);
    if (c->depth >= GL_YAML_MAX_DEPTH)
        gl_vm_error(vm, GL_ERR_LIMIT, n->span, "YAML data nested too deeply (more than %d levels "
                                               "through aliases)", GL_YAML_MAX_DEPTH);
    c->depth++;
    gl_value v;
    if (n->kind == GL_Y_SEQ) {
        v = gl_list_new(vm, n->n);
        for (uint32_t i = 0; i < n->n; i++) gl_list_push(vm, v.u.list, s_to_value(c, n->items[i], false));
    } else {
        v = gl_dict_new(vm);
        for (uint32_t i = 0; i < n->n; i++) {
            gl_value k = s_to_value(c, n->keys[i], true);
            gl_dict_set(vm, v.u.dict, k, s_to_value(c, n->vals[i], false));
        }
    }
    c->depth--;
    if (n->shared) s_memo_put(c, n, v);
    return v;
}

gl_value gl_yaml_to_value(gl_vm *vm, const gl_ynode *n)
{
    s_conv c;
    memset(&c, 0, sizeof c);
    c.vm = vm;
    return s_to_value(&c, n, false);
}
