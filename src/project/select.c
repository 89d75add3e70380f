/* src/project/select.c - dbt's node selection (project layer): parses --select and
 * --exclude specs, runs the selector methods over a gl_graph, applies the graph
 * operators, combines unions, intersections and the exclusion, selects tests
 * indirectly and filters by resource type. Reads the graph; writes only selected[].
 *
 * Every rule follows dbt-core 1.10 (read at tag v1.10.23):
 *  - core/dbt/graph/cli.py: each argument is split on " " (a union of specs; empty specs
 *    stay), each spec on "," (an intersection); no --select means the union of
 *    "fqn:* source:* exposure:* metric:* semantic_model:*"; the result is
 *    (select union) minus (exclude union). Only given specs warn when they select nothing.
 *  - core/dbt/graph/selector_spec.py: RAW_SELECTOR_PATTERN (optional "@", optional
 *    "<digits>+", optional "<[\w.]+>:", the shortest value, optional "+<digits>"); it
 *    fails only on a newline ("Invalid selector spec"), so "+" and "x++" are valid specs
 *    that match nothing. "@" with a "+" suffix is an error. "method.a.b:" passes [a, b] to
 *    the method. Without a method: a value holding "/" is a path:, one ending in
 *    .sql/.py/.csv (any case) a file:, anything else an fqn:. Depth digits "" mean no
 *    limit; "0+x" adds no parents.
 *  - core/dbt/graph/selector_methods.py: which nodes each method searches (fqn: no
 *    sources; config: only parsed nodes and sources; tag/path/file/package/resource_type:
 *    every node), is_selected_node (leaf equality, else dotted prefix match over the fqn
 *    and over the fqn without its package, fnmatch from the first part holding * ? [ or
 *    ], so "stg_*" does not match models in folders), fnmatch everywhere a method says
 *    so, source parts (1-3), config comparison (str equality, list membership,
 *    "true"/"false" in any case against booleans, severity case-insensitive; numbers
 *    never match), test_type's substring quirk (`selector in ("data")`), the error texts.
 *  - fnmatch (posix): fnmatch.translate's rules, case-sensitive, on code points; "*" and
 *    "?" cross "." and "/"; [!...] negates, "a-z" ranges, a backwards range is dropped,
 *    an unclosed "[" is literal. test_name: matches the test's name without "pkg.".
 *  - path: Path.glob() relative to the root project (Python 3.11 pathlib: segments by
 *    fnmatch, "**" a whole segment for zero or more directories, a trailing "/" for
 *    directories only); a node matches when its original_file_path or one of its parent
 *    directories is globbed. Globbing sees only the root project's files, so another
 *    package's node matches only when the root project has the same relative path (its
 *    files are approximated by the root package's node paths and their directories).
 *  - core/dbt/graph/graph.py: select_parents/select_children (breadth-first, depth
 *    limited), select_childrens_parents for "@", select_successors for tests.
 *  - core/dbt/graph/selector.py: the graph holds enabled nodes only; get_nodes_from_criteria,
 *    expand_selection (eager: a test with any selected parent; cautious: all parents;
 *    buildable: all parents among the selected, their ancestors and every source; empty:
 *    none), incorporate_indirect_nodes at each union/intersection (cautious, buildable),
 *    the top-level difference running eagerly, filter_selection by resource type last.
 *  - core/dbt/task/base.py resource_types_from_args and core/dbt/task/list.py: "default"
 *    and "all" for --resource-type, --exclude-resource-type subtracted.
 * Not modelled (the graph lacks the data): versioned models, patch_path (a model's
 * properties file for path:), empty nodes; state:, result: and source_status: need a
 * previous run and are errors. */
#include "project/select.h"
#include "util/buf.h"
#include "util/suggest.h"
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define S_NO_LIMIT UINT32_MAX

/* ---- node kinds: which of dbt's manifest collections a node lives in ---------------- */

enum {                      /* ORDER: s_kind_names; parsed nodes (manifest.nodes) first */
    S_K_OTHER, S_K_MODEL, S_K_SEED, S_K_SNAPSHOT, S_K_TEST, S_K_ANALYSIS,
    S_K_SOURCE, S_K_EXPOSURE, S_K_METRIC, S_K_SEMANTIC, S_K_SAVED, S_K_UNIT
};
static const char *const s_kind_names[] = {
    "", "model", "seed", "snapshot", "test", "analysis",
    "source", "exposure", "metric", "semantic_model", "saved_query", "unit_test"
};

/* NodeType's values: what resource_type: accepts. */
static const char *const s_node_types[] = {
    "model", "analysis", "test", "snapshot", "operation", "seed", "rpc", "sql_operation",
    "doc", "source", "macro", "exposure", "metric", "group", "saved_query",
    "semantic_model", "unit_test", "fixture", NULL
};

/* The --resource-type choices (click), and dbt ls's default set ("all" adds analysis). */
static const char *const s_type_choices[] = {
    "metric", "semantic_model", "saved_query", "source", "analysis", "model", "test",
    "unit_test", "exposure", "snapshot", "seed", "default", "all", NULL
};
static const char *const s_ls_default[] = {
    "model", "snapshot", "seed", "test", "source", "exposure", "metric", "saved_query",
    "semantic_model", "unit_test", NULL
};

static bool s_parsed(uint8_t k) { return k <= S_K_ANALYSIS; }
static bool s_testlike(uint8_t k) { return k == S_K_TEST || k == S_K_UNIT; }

/* ---- selector methods, in dbt's MethodName order (the hint lists them so) ------------ */

#define S_METHODS(X) X(FQN, "fqn") X(TAG, "tag") X(GROUP, "group") X(ACCESS, "access") \
    X(SOURCE, "source") X(PATH, "path") X(FILE, "file") X(PACKAGE, "package")          \
    X(CONFIG, "config") X(TEST_NAME, "test_name") X(TEST_TYPE, "test_type")            \
    X(RESOURCE_TYPE, "resource_type") X(STATE, "state") X(EXPOSURE, "exposure")        \
    X(METRIC, "metric") X(RESULT, "result") X(SOURCE_STATUS, "source_status")          \
    X(VERSION, "version") X(SEMANTIC_MODEL, "semantic_model")                          \
    X(SAVED_QUERY, "saved_query") X(UNIT_TEST, "unit_test")
#define S_ENUM(id, name) S_M_##id,
#define S_NAME(id, name) name,
enum { S_METHODS(S_ENUM) S_NMETHODS };
static const char *const s_method_names[] = { S_METHODS(S_NAME) };

/* ---- one run: the graph, scratch space and the error ---------------------------------- */

typedef struct s_run {
    const gl_graph *g;
    const gl_select_opts *o;
    gl_diag *err;
    uint32_t n;
    uint8_t *kind;          /* S_K_* of each node */
    uint8_t *alive;         /* enabled: a member of dbt's selection graph */
    uint32_t *queue;        /* breadth-first scratch */
    uint32_t *dist;
    char **root_paths;      /* sorted files and directories of the root project (path:) */
    size_t nroot_paths;
    bool root_paths_built;
    gl_buf scratch;
} s_run;

/* a parsed spec: slices of the argument it came from */
typedef struct s_spec {
    const char *raw;
    size_t raw_len;
    int method;
    const char *args;       /* after "method.": "materialized", "meta.owner" */
    size_t args_len;
    bool has_args;
    const char *value;
    size_t value_len;
    bool at, parents, children;
    uint32_t pdepth, cdepth;
} s_spec;

/* a selection result as dbt's select_nodes_recursively carries it */
typedef struct s_pair {
    uint8_t *d;             /* direct */
    uint8_t *di;            /* direct plus tests still waiting for parents */
} s_pair;

static bool s_fail(s_run *r, gl_buf *hint, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static bool s_fail(s_run *r, gl_buf *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *message = gl_vstrf(fmt, ap);
    va_end(ap);
    r->err->severity = GL_SEV_ERROR;
    r->err->src = NULL;
    r->err->span.start = r->err->span.end = 0;
    r->err->message = message;
    r->err->hint = hint ? hint->data : NULL;
    return false;
}

/* "did you mean 'x'? <what>: a, b, c" over a NULL-terminated list */
static void s_hint_list(gl_buf *h, const char *word, size_t len, const char *const *names,
                        size_t count, const char *what)
{
    gl_suggest sg;
    gl_suggest_init(&sg, word, len);
    for (size_t i = 0; i < count; i++) gl_suggest_offer(&sg, names[i], strlen(names[i]));
    gl_buf_init(h);
    if (sg.best) gl_buf_printf(h, "did you mean '%.*s'? ", (int)sg.best_len, sg.best);
    gl_buf_printf(h, "%s: ", what);
    for (size_t i = 0; i < count; i++) gl_buf_printf(h, "%s%s", i ? ", " : "", names[i]);
}

static size_t s_count(const char *const *names)
{
    size_t n = 0;
    while (names[n]) n++;
    return n;
}

static uint8_t *s_set_new(const s_run *r) { return gl_xcalloc(r->n ? r->n : 1, 1); }

static uint8_t *s_set_copy(const s_run *r, const uint8_t *a)
{
    uint8_t *c = s_set_new(r);
    memcpy(c, a, r->n);
    return c;
}

static bool s_eq(const char *a, size_t na, const char *b)
{
    return b && strlen(b) == na && memcmp(a, b, na) == 0;
}

/* ---- UTF-8 and fnmatch (Python's fnmatch.translate, posix: case-sensitive) ------------- */

static uint32_t s_cp(const char *s, size_t len, size_t *adv)
{
    utf8proc_int32_t c;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &c);
    if (k <= 0) {               /* a stray byte matches only itself */
        *adv = 1;
        return 0x110000u + (unsigned char)s[0];
    }
    *adv = (size_t)k;
    return (uint32_t)c;
}

enum { S_T_LIT, S_T_ANY, S_T_STAR, S_T_CLASS, S_T_NEVER };

typedef struct s_tok {
    uint8_t kind;
    bool neg;               /* S_T_CLASS: [!...] */
    uint32_t cp;            /* S_T_LIT */
    uint32_t first, count;  /* S_T_CLASS: its ranges */
} s_tok;

typedef struct s_pat {
    s_tok *tok;
    uint32_t ntok;
    uint32_t (*rng)[2];     /* inclusive code point ranges of the classes */
    uint32_t nrng;
} s_pat;

/* Class chunks as fnmatch.translate cuts them: a "-" between chunks makes a range from
 * the last character before it to the first after it; ranges running backwards are
 * dropped with both ends. Storage is contiguous in chunk order. */
typedef struct s_chunks {
    uint32_t *cp, ncp;
    uint32_t *off, *len, n;
} s_chunks;

static void s_chunk_push(s_chunks *c, const uint32_t *from, uint32_t count)
{
    c->off[c->n] = c->ncp;
    c->len[c->n++] = count;
    memcpy(c->cp + c->ncp, from, count * sizeof *from);
    c->ncp += count;
}

static void s_chunk_split(s_chunks *c, const uint32_t *cp, uint32_t i, uint32_t j)
{
    bool dash = false;
    for (uint32_t k = i; k < j; k++) dash |= cp[k] == '-';
    if (!dash) {
        s_chunk_push(c, cp + i, j - i);
        return;
    }
    uint32_t start = i, k = i + (cp[i] == '!' ? 2 : 1);
    for (;;) {
        uint32_t at = k;
        while (at < j && cp[at] != '-') at++;
        if (at >= j) break;
        s_chunk_push(c, cp + start, at - start);
        start = at + 1;
        k = at + 3;
    }
    if (start < j) s_chunk_push(c, cp + start, j - start);
    else {
        c->cp[c->ncp++] = '-';
        c->len[c->n - 1]++;
    }
    for (uint32_t m = c->n - 1; m >= 1; m--) {
        if (!c->len[m - 1] || !c->len[m]) continue;
        if (c->cp[c->off[m - 1] + c->len[m - 1] - 1] <= c->cp[c->off[m]]) continue;
        uint32_t at = c->off[m] - 1;
        memmove(c->cp + at, c->cp + at + 2, (c->ncp - at - 2) * sizeof *c->cp);
        c->ncp -= 2;
        c->len[m - 1] += c->len[m] - 2;
        for (uint32_t q = m + 1; q < c->n; q++) {
            c->off[q - 1] = c->off[q] - 2;
            c->len[q - 1] = c->len[q];
        }
        c->n--;
    }
}

static void s_class_emit(s_pat *p, const s_chunks *c)
{
    s_tok *t = &p->tok[p->ntok++];
    memset(t, 0, sizeof *t);
    if (c->ncp == 0) { t->kind = S_T_NEVER; return; }
    if (c->ncp == 1 && c->cp[0] == '!') { t->kind = S_T_ANY; return; }
    t->kind = S_T_CLASS;
    t->neg = c->cp[0] == '!';
    t->first = p->nrng;
    for (uint32_t q = 0; q < c->n; q++) {
        for (uint32_t k = 0; k < c->len[q]; k++) {
            if ((q == 0 && k == 0 && t->neg) || (q > 0 && k == 0)) continue;
            uint32_t x = c->cp[c->off[q] + k];
            bool range = q + 1 < c->n && k + 1 == c->len[q];
            p->rng[p->nrng][0] = x;
            p->rng[p->nrng++][1] = range ? c->cp[c->off[q + 1]] : x;
        }
    }
    t->count = p->nrng - t->first;
}

static void s_pat_class(s_pat *p, const uint32_t *cp, uint32_t i, uint32_t j)
{
    s_chunks c;
    uint32_t room = j - i + 2;
    c.cp = gl_xmalloc(room * sizeof *c.cp);
    c.off = gl_xmalloc(room * sizeof *c.off);
    c.len = gl_xmalloc(room * sizeof *c.len);
    c.ncp = c.n = 0;
    s_chunk_split(&c, cp, i, j);
    s_class_emit(p, &c);
    free(c.cp);
    free(c.off);
    free(c.len);
}

static void s_pat_add(s_pat *p, uint8_t kind, uint32_t cp)
{
    s_tok *t = &p->tok[p->ntok++];
    memset(t, 0, sizeof *t);
    t->kind = kind;
    t->cp = cp;
}

static void s_pat_compile(s_pat *p, const char *s, size_t len)
{
    uint32_t *cp = gl_xmalloc((len + 1) * sizeof *cp), n = 0;
    for (size_t i = 0, adv; i < len; i += adv) cp[n++] = s_cp(s + i, len - i, &adv);
    p->tok = gl_xmalloc((n + 1) * sizeof *p->tok);
    p->rng = gl_xmalloc((n + 1) * sizeof *p->rng);
    p->ntok = p->nrng = 0;
    for (uint32_t i = 0; i < n;) {
        uint32_t c = cp[i++];
        if (c == '*') {
            if (!p->ntok || p->tok[p->ntok - 1].kind != S_T_STAR) s_pat_add(p, S_T_STAR, 0);
        } else if (c == '?') {
            s_pat_add(p, S_T_ANY, 0);
        } else if (c == '[') {
            uint32_t j = i;
            if (j < n && cp[j] == '!') j++;
            if (j < n && cp[j] == ']') j++;
            while (j < n && cp[j] != ']') j++;
            if (j >= n) s_pat_add(p, S_T_LIT, '[');
            else {
                s_pat_class(p, cp, i, j);
                i = j + 1;
            }
        } else {
            s_pat_add(p, S_T_LIT, c);
        }
    }
    free(cp);
}

static void s_pat_free(s_pat *p)
{
    free(p->tok);
    free(p->rng);
    p->tok = NULL;
    p->rng = NULL;
}

static bool s_tok_hit(const s_pat *p, const s_tok *t, uint32_t c)
{
    switch (t->kind) {
    case S_T_LIT: return t->cp == c;
    case S_T_ANY: return true;
    case S_T_CLASS:
        for (uint32_t i = 0; i < t->count; i++)
            if (c >= p->rng[t->first + i][0] && c <= p->rng[t->first + i][1]) return !t->neg;
        return t->neg;
    default: return false;
    }
}

/* Linear-time wildcard match: on a mismatch, the last '*' takes one more character. */
static bool s_match(const s_pat *p, const char *s, size_t len)
{
    uint32_t ti = 0, star = UINT32_MAX;
    size_t si = 0, star_si = 0, adv;
    while (si < len) {
        uint32_t c = s_cp(s + si, len - si, &adv);
        if (ti < p->ntok && p->tok[ti].kind == S_T_STAR) {
            star = ti++;
            star_si = si;
        } else if (ti < p->ntok && s_tok_hit(p, &p->tok[ti], c)) {
            ti++;
            si += adv;
        } else if (star != UINT32_MAX) {
            ti = star + 1;
            s_cp(s + star_si, len - star_si, &adv);
            star_si += adv;
            si = star_si;
        } else {
            return false;
        }
    }
    while (ti < p->ntok && p->tok[ti].kind == S_T_STAR) ti++;
    return ti == p->ntok;
}

static bool s_match_cstr(const s_pat *p, const char *s) { return s && s_match(p, s, strlen(s)); }

/* str.upper() == str.upper() (simple case mapping) */
static bool s_ieq(const char *a, size_t na, const char *b, size_t nb)
{
    size_t i = 0, j = 0, ka, kb;
    while (i < na && j < nb) {
        uint32_t x = s_cp(a + i, na - i, &ka), y = s_cp(b + j, nb - j, &kb);
        if (x != y && utf8proc_toupper((utf8proc_int32_t)x) != utf8proc_toupper((utf8proc_int32_t)y))
            return false;
        i += ka;
        j += kb;
    }
    return i == na && j == nb;
}

/* ---- spec parsing: RAW_SELECTOR_PATTERN and SelectionCriteria ------------------------ */

static bool s_word(const char *s, size_t len, size_t *adv)
{
    unsigned char c = (unsigned char)s[0];
    *adv = 1;
    if (c < 0x80) return c == '_' || c == '.' || (c >= '0' && c <= '9') ||
                         ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
    uint32_t cp = s_cp(s, len, adv);
    if (cp > 0x10FFFF) return false;
    utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)cp);
    return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
           (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
}

static uint32_t s_depth(const char *s, size_t len)
{
    if (!len) return S_NO_LIMIT;
    uint64_t v = 0;
    for (size_t i = 0; i < len && v < S_NO_LIMIT; i++) v = v * 10 + (uint64_t)(s[i] - '0');
    return v >= S_NO_LIMIT ? S_NO_LIMIT - 1 : (uint32_t)v;
}

static bool s_digits_to_end(const char *s, size_t from, size_t len)
{
    for (size_t i = from; i < len; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

/* The value is as short as it can be: it stops at the first "+" followed only by digits. */
static void s_parse_tail(s_spec *sp, const char *s, size_t pos, size_t len)
{
    size_t end = pos;
    while (end < len && !(s[end] == '+' && s_digits_to_end(s, end + 1, len))) end++;
    sp->value = s + pos;
    sp->value_len = end - pos;
    if (end < len) {
        sp->children = true;
        sp->cdepth = s_depth(s + end + 1, len - end - 1);
    }
}

static bool s_ends_with_ci(const char *v, size_t len, const char *ext)
{
    size_t n = strlen(ext);
    if (len < n) return false;
    for (size_t k = 0; k < n; k++) {
        char c = v[len - n + k];
        if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != ext[k]) return false;
    }
    return true;
}

static int s_default_method(const char *v, size_t len)
{
    if (memchr(v, '/', len)) return S_M_PATH;
    if (s_ends_with_ci(v, len, ".sql") || s_ends_with_ci(v, len, ".py") || s_ends_with_ci(v, len, ".csv"))
        return S_M_FILE;
    return S_M_FQN;
}

static bool s_method_of(s_run *r, s_spec *sp, const char *m, size_t len)
{
    const char *dot = memchr(m, '.', len);
    size_t head = dot ? (size_t)(dot - m) : len;
    for (int i = 0; i < S_NMETHODS; i++) {
        if (!s_eq(m, head, s_method_names[i])) continue;
        sp->method = i;
        sp->has_args = dot != NULL;
        sp->args = dot ? dot + 1 : m + len;
        sp->args_len = dot ? len - head - 1 : 0;
        return true;
    }
    gl_buf h;
    s_hint_list(&h, m, head, s_method_names, S_NMETHODS, "valid methods");
    return s_fail(r, &h, "'%.*s' is not a valid method name", (int)head, m);
}

static bool s_parse(s_run *r, const char *s, size_t len, s_spec *sp)
{
    memset(sp, 0, sizeof *sp);
    sp->raw = s;
    sp->raw_len = len;
    sp->pdepth = sp->cdepth = S_NO_LIMIT;
    if (memchr(s, '\n', len)) return s_fail(r, NULL, "Invalid selector spec \"%.*s\"", (int)len, s);
    size_t pos = 0, q, adv;
    if (pos < len && s[pos] == '@') { sp->at = true; pos++; }
    for (q = pos; q < len && s[q] >= '0' && s[q] <= '9'; q++) {}
    if (q < len && s[q] == '+') {
        sp->parents = true;
        sp->pdepth = s_depth(s + pos, q - pos);
        pos = q + 1;
    }
    for (q = pos; q < len && s_word(s + q, len - q, &adv); q += adv) {}
    if (q > pos && q < len && s[q] == ':') {
        if (!s_method_of(r, sp, s + pos, q - pos)) return false;
        pos = q + 1;
        s_parse_tail(sp, s, pos, len);
    } else {
        s_parse_tail(sp, s, pos, len);
        sp->method = s_default_method(sp->value, sp->value_len);
    }
    if (sp->at && sp->children)
        return s_fail(r, NULL, "Invalid node spec %.*s - \"@\" prefix and \"+\" suffix are incompatible",
                      (int)len, s);
    return true;
}

/* ---- methods: fqn ------------------------------------------------------------------------ */

typedef struct s_fqnsel {
    const char *sel;
    size_t len;
    uint32_t nparts;        /* selector.split(".") */
    uint32_t slurp;         /* first part with * ? [ ]; nparts when none */
    size_t slurp_off;       /* byte offset of that part */
    s_pat tail;             /* the selector from there */
} s_fqnsel;

static void s_fqnsel_init(s_fqnsel *f, const char *sel, size_t len)
{
    memset(f, 0, sizeof *f);
    f->sel = sel;
    f->len = len;
    f->nparts = 1;
    f->slurp = UINT32_MAX;
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        if (sel[i] == '.') {
            f->nparts++;
            start = i + 1;
        } else if (f->slurp == UINT32_MAX && sel[i] && strchr("*?[]", sel[i])) {
            f->slurp = f->nparts - 1;
            f->slurp_off = start;
        }
    }
    if (f->slurp == UINT32_MAX) f->slurp = f->nparts;
    else s_pat_compile(&f->tail, sel + f->slurp_off, len - f->slurp_off);
}

/* is_selected_node's part walk over a dotted fqn j (its flattened parts) */
static bool s_fqn_walk(const s_fqnsel *f, const char *j, size_t jlen)
{
    uint32_t nflat = 1;
    for (size_t i = 0; i < jlen; i++) nflat += j[i] == '.';
    if (nflat < f->nparts) return false;
    size_t jp = 0, sp = 0;
    for (uint32_t part = 0; part < f->slurp; part++) {
        size_t je = jp, se = sp;
        while (je < jlen && j[je] != '.') je++;
        while (se < f->len && f->sel[se] != '.') se++;
        if (je - jp != se - sp || memcmp(j + jp, f->sel + sp, je - jp) != 0) return false;
        jp = je + 1;
        sp = se + 1;
    }
    if (f->slurp == f->nparts) return true;
    return s_match(&f->tail, j + jp, jp <= jlen ? jlen - jp : 0);
}

static bool s_fqn_match(s_run *r, const s_fqnsel *f, const gl_gnode *nd)
{
    if (nd->nfqn == 0) return false;
    if (s_eq(f->sel, f->len, nd->fqn[nd->nfqn - 1])) return true;
    gl_buf *b = &r->scratch;
    gl_buf_truncate(b, 0);
    for (uint32_t i = 0; i < nd->nfqn; i++) {
        if (i) gl_buf_addc(b, '.');
        gl_buf_adds(b, nd->fqn[i] ? nd->fqn[i] : "");
    }
    if (s_fqn_walk(f, b->data, b->len)) return true;
    if (nd->nfqn < 2) return false;
    size_t skip = strlen(nd->fqn[0] ? nd->fqn[0] : "") + 1;
    return s_fqn_walk(f, b->data + skip, b->len - skip);
}

static bool s_m_fqn(s_run *r, const s_spec *sp, uint8_t *out)
{
    s_fqnsel f;
    s_fqnsel_init(&f, sp->value, sp->value_len);
    for (uint32_t i = 0; i < r->n; i++)
        if (r->alive[i] && r->kind[i] != S_K_SOURCE && s_fqn_match(r, &f, &r->g->nodes[i])) out[i] = 1;
    s_pat_free(&f.tail);
    return true;
}

/* ---- methods: tag, group, access, package, source and the named resources ---------------- */

static bool s_m_tag(s_run *r, const s_spec *sp, uint8_t *out)
{
    s_pat p;
    s_pat_compile(&p, sp->value, sp->value_len);
    for (uint32_t i = 0; i < r->n; i++) {
        const gl_gnode *nd = &r->g->nodes[i];
        for (uint32_t t = 0; r->alive[i] && t < nd->ntags && !out[i]; t++)
            if (s_match_cstr(&p, nd->tags[t])) out[i] = 1;
    }
    s_pat_free(&p);
    return true;
}

static gl_value s_config_key(const gl_gnode *nd, const char *key)
{
    gl_value v = gl_missing();
    if (nd->config.kind == GL_DICT && nd->config.u.dict) gl_dict_get_cstr(nd->config.u.dict, key, &v);
    return v;
}

static bool s_m_group(s_run *r, const s_spec *sp, uint8_t *out)
{
    s_pat p;
    s_pat_compile(&p, sp->value, sp->value_len);
    for (uint32_t i = 0; i < r->n; i++) {
        if (!r->alive[i] || !(s_parsed(r->kind[i]) || r->kind[i] == S_K_METRIC)) continue;
        gl_value v = s_config_key(&r->g->nodes[i], "group");
        if (v.kind == GL_STR && v.len && s_match(&p, v.u.s, v.len)) out[i] = 1;
    }
    s_pat_free(&p);
    return true;
}

static bool s_m_access(s_run *r, const s_spec *sp, uint8_t *out)
{
    for (uint32_t i = 0; i < r->n; i++) {
        if (!r->alive[i] || r->kind[i] != S_K_MODEL) continue;
        gl_value v = s_config_key(&r->g->nodes[i], "access");
        const char *a = v.kind == GL_STR ? v.u.s : "protected";
        size_t alen = v.kind == GL_STR ? v.len : strlen("protected");
        if (alen == sp->value_len && memcmp(a, sp->value, alen) == 0) out[i] = 1;
    }
    return true;
}

static bool s_m_package(s_run *r, const s_spec *sp, uint8_t *out)
{
    s_pat p;
    if (s_eq(sp->value, sp->value_len, "this") && r->g->root_package)
        s_pat_compile(&p, r->g->root_package, strlen(r->g->root_package));
    else
        s_pat_compile(&p, sp->value, sp->value_len);
    for (uint32_t i = 0; i < r->n; i++)
        if (r->alive[i] && s_match_cstr(&p, r->g->nodes[i].package)) out[i] = 1;
    s_pat_free(&p);
    return true;
}

/* value.split(".") into at most max parts; returns the count (max + 1: too many) */
static int s_split_dots(const char *v, size_t len, const char **part, size_t *plen, int max)
{
    int n = 0;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && v[i] != '.') continue;
        if (n == max) return max + 1;
        part[n] = v + start;
        plen[n++] = i - start;
        start = i + 1;
    }
    return n;
}

static bool s_m_source(s_run *r, const s_spec *sp, uint8_t *out)
{
    const char *part[3];
    size_t plen[3];
    int n = s_split_dots(sp->value, sp->value_len, part, plen, 3);
    if (n > 3)
        return s_fail(r, NULL, "Invalid source selector value \"%.*s\". Sources must be of the form "
                      "`${source_name}`, `${source_name}.${target_name}`, or "
                      "`${package_name}.${source_name}.${target_name}", (int)sp->value_len, sp->value);
    s_pat pk, src, tab;
    s_pat_compile(&pk, n == 3 ? part[0] : "*", n == 3 ? plen[0] : 1);
    s_pat_compile(&src, part[n == 3], plen[n == 3]);
    s_pat_compile(&tab, n == 1 ? "*" : part[n - 1], n == 1 ? 1 : plen[n - 1]);
    for (uint32_t i = 0; i < r->n; i++) {
        const gl_gnode *nd = &r->g->nodes[i];
        if (r->alive[i] && r->kind[i] == S_K_SOURCE && s_match_cstr(&pk, nd->package) &&
            s_match_cstr(&src, nd->source_name) && s_match_cstr(&tab, nd->name)) out[i] = 1;
    }
    s_pat_free(&pk);
    s_pat_free(&src);
    s_pat_free(&tab);
    return true;
}

/* exposure:, metric:, semantic_model:, saved_query:, unit_test: ([package.]name) */
static bool s_m_named(s_run *r, const s_spec *sp, uint8_t kind, uint8_t *out)
{
    const char *part[2];
    size_t plen[2];
    int n = s_split_dots(sp->value, sp->value_len, part, plen, 2);
    if (n > 2) {
        static const char *const what[][3] = {
            { "exposure", "Exposures", "${exposure_name} or ${exposure_package.exposure_name}" },
            { "metric", "Metrics", "${metric_name} or ${metric_package.metric_name}" },
            { "semantic model", "Semantic models",
              "${semantic_model_name} or ${semantic_model_package.semantic_model_name}" },
            { "saved query", "Saved queries",
              "${saved_query_name} or ${saved_query_package.saved_query_name}" },
            { "unit test", "Saved queries",     /* sic: dbt's message */
              "${unit_test_name} or ${unit_test_package_name.unit_test_name}" },
        };
        const char *const *w = what[kind - S_K_EXPOSURE];
        return s_fail(r, NULL, "Invalid %s selector value \"%.*s\". %s must be of the form %s",
                      w[0], (int)sp->value_len, sp->value, w[1], w[2]);
    }
    s_pat pk, nm;
    s_pat_compile(&pk, n == 2 ? part[0] : "*", n == 2 ? plen[0] : 1);
    s_pat_compile(&nm, part[n - 1], plen[n - 1]);
    for (uint32_t i = 0; i < r->n; i++)
        if (r->alive[i] && r->kind[i] == kind && s_match_cstr(&pk, r->g->nodes[i].package) &&
            s_match_cstr(&nm, r->g->nodes[i].name)) out[i] = 1;
    s_pat_free(&pk);
    s_pat_free(&nm);
    return true;
}

/* ---- methods: config -------------------------------------------------------------------- */

/* _getattr_descend over the config dict: every part a key of a dict */
static bool s_config_descend(const gl_gnode *nd, const char *args, size_t len, gl_value *out)
{
    gl_value v = nd->config;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && args[i] != '.') continue;
        if ((v.kind != GL_DICT && v.kind != GL_NAMESPACE) || !v.u.dict) return false;
        if (!gl_dict_get(v.u.dict, gl_str(args + start, i - start), &v)) return false;
        start = i + 1;
    }
    *out = v;
    return true;
}

static bool s_str_is(gl_value v, const char *s, size_t len, bool ci)
{
    if (v.kind != GL_STR) return false;
    return ci ? s_ieq(v.u.s, v.len, s, len) : (v.len == len && memcmp(v.u.s, s, len) == 0);
}

static bool s_config_hit(gl_value v, const char *sel, size_t len, bool ci)
{
    bool t = s_ieq(sel, len, "true", 4), f = s_ieq(sel, len, "false", 5);
    if (v.kind == GL_LIST) {
        for (uint32_t i = 0; i < v.u.list->len; i++) {
            gl_value e = v.u.list->items[i];
            if (s_str_is(e, sel, len, ci) || (t && gl_equal(e, gl_bool(true))) ||
                (f && gl_equal(e, gl_bool(false)))) return true;
        }
        return false;
    }
    return s_str_is(v, sel, len, ci) || (v.kind == GL_BOOL && ((t && v.u.b) || (f && !v.u.b)));
}

static bool s_m_config(s_run *r, const s_spec *sp, uint8_t *out)
{
    if (!sp->has_args) return true;     /* the config object itself equals no string */
    bool ci = s_eq(sp->args, sp->args_len, "severity");
    for (uint32_t i = 0; i < r->n; i++) {
        if (!r->alive[i] || !(s_parsed(r->kind[i]) || r->kind[i] == S_K_SOURCE)) continue;
        gl_value v;
        if (s_config_descend(&r->g->nodes[i], sp->args, sp->args_len, &v) &&
            s_config_hit(v, sp->value, sp->value_len, ci)) out[i] = 1;
    }
    return true;
}

/* ---- methods: tests, resource types, versions, previous state ----------------------------- */

static const char *s_bare_test_name(const char *t)
{
    const char *dot = strrchr(t, '.');
    return dot ? dot + 1 : t;
}

static bool s_m_test_name(s_run *r, const s_spec *sp, uint8_t *out)
{
    s_pat p;
    s_pat_compile(&p, sp->value, sp->value_len);
    for (uint32_t i = 0; i < r->n; i++) {
        const gl_gnode *nd = &r->g->nodes[i];
        if (!r->alive[i]) continue;
        if (r->kind[i] == S_K_TEST && nd->test_name && s_match_cstr(&p, s_bare_test_name(nd->test_name)))
            out[i] = 1;
        else if (r->kind[i] == S_K_UNIT && s_match_cstr(&p, nd->name))
            out[i] = 1;
    }
    s_pat_free(&p);
    return true;
}

/* `selector in ("data")` is a substring test in dbt: "a", "at" and "" mean data */
static bool s_within(const char *s, size_t len, const char *word)
{
    size_t n = strlen(word);
    for (size_t i = 0; len <= n && i + len <= n; i++)
        if (memcmp(word + i, s, len) == 0) return true;
    return false;
}

static bool s_m_test_type(s_run *r, const s_spec *sp, uint8_t *out)
{
    const char *v = sp->value;
    size_t len = sp->value_len;
    bool generic = false, singular = false, unit = false;
    if (s_eq(v, len, "generic") || s_eq(v, len, "schema")) generic = true;
    else if (s_within(v, len, "data")) generic = singular = true;
    else if (s_within(v, len, "singular")) singular = true;
    else if (s_within(v, len, "unit")) unit = true;
    else return s_fail(r, NULL, "Invalid test type selector %.*s: expected \"generic\", \"singular\", "
                       "\"unit\", or \"data\"", (int)len, v);
    for (uint32_t i = 0; i < r->n; i++) {
        if (!r->alive[i]) continue;
        bool is_generic = r->kind[i] == S_K_TEST && r->g->nodes[i].test_name;
        bool is_singular = r->kind[i] == S_K_TEST && !r->g->nodes[i].test_name;
        if ((generic && is_generic) || (singular && is_singular) || (unit && r->kind[i] == S_K_UNIT))
            out[i] = 1;
    }
    return true;
}

static bool s_m_resource_type(s_run *r, const s_spec *sp, uint8_t *out)
{
    bool known = false;
    for (size_t i = 0; s_node_types[i]; i++) known |= s_eq(sp->value, sp->value_len, s_node_types[i]);
    if (!known) {
        gl_buf h;
        s_hint_list(&h, sp->value, sp->value_len, s_node_types, s_count(s_node_types), "resource types");
        return s_fail(r, &h, "Invalid resource_type selector \"%.*s\"", (int)sp->value_len, sp->value);
    }
    for (uint32_t i = 0; i < r->n; i++)
        if (r->alive[i] && s_eq(sp->value, sp->value_len, r->g->nodes[i].resource_type)) out[i] = 1;
    return true;
}

/* version:latest|prerelease|old|none, as dbt's VersionSelectorMethod: against the
 * model's latest_version; none is an unversioned model. */
static bool s_m_version(s_run *r, const s_spec *sp, uint8_t *out)
{
    static const char *const kinds[] = { "latest", "prerelease", "old", "none" };
    int kind = -1;
    for (int k = 0; k < 4; k++)
        if (s_eq(sp->value, sp->value_len, kinds[k])) kind = k;
    for (uint32_t i = 0; i < r->n; i++) {
        if (!r->alive[i] || r->kind[i] != S_K_MODEL) continue;
        if (kind < 0)     /* dbt checks the value only when it meets a model */
            return s_fail(r, NULL, "Invalid version type selector %.*s: expected one of: \"latest\", "
                          "\"prerelease\", \"old\", or \"none\"", (int)sp->value_len, sp->value);
        const gl_gnode *n = &r->g->nodes[i];
        int c = n->version_vs_latest;
        bool none = kind == 3;
        if (n->version && ((kind == 0 && c == 0) || (kind == 1 && c > 0) || (kind == 2 && c < 0))) out[i] = 1;
        if (none && !n->version) out[i] = 1;
    }
    return true;
}

static bool s_m_state(s_run *r, const s_spec *sp)
{
    static const char *const need[][2] = {
        { "manifest", "Got a state selector method, but no comparison manifest" },
        { "run_results.json", "No comparison run_results" },
        { "sources.json", "No previous state comparison freshness results in sources.json" },
    };
    int k = sp->method == S_M_STATE ? 0 : sp->method == S_M_RESULT ? 1 : 2;
    gl_buf h;
    gl_buf_init(&h);
    gl_buf_printf(&h, "gluec compiles without a previous run to compare with (dbt says: \"%s\"); "
                  "select with the other methods", need[k][1]);
    return s_fail(r, &h, "%s: selector needs --state %s", s_method_names[sp->method], need[k][0]);
}

/* ---- methods: path and file ---------------------------------------------------------------- */

typedef struct s_glob {
    s_pat *seg;
    uint8_t *rec;           /* the segment is "**" */
    uint32_t n;
    bool dir_only;          /* the pattern ended with "/" */
} s_glob;

typedef struct s_comps {    /* a path's components (PurePath.parts) */
    const char *p[64];
    size_t len[64];
    uint32_t n;
} s_comps;

static bool s_comps_of(const char *path, size_t len, s_comps *c)
{
    c->n = 0;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && path[i] != '/') continue;
        size_t k = i - start;
        if (k && !(k == 1 && path[start] == '.')) {
            if (c->n == 64) return false;
            c->p[c->n] = path + start;
            c->len[c->n++] = k;
        }
        start = i + 1;
    }
    return true;
}

static bool s_has_stars(const char *p, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++)
        if (p[i] == '*' && p[i + 1] == '*') return true;
    return false;
}

/* Path.glob's checks, in its order, then one fnmatch pattern per segment */
static bool s_glob_compile(s_run *r, const char *v, size_t len, s_glob *g)
{
    memset(g, 0, sizeof *g);
    s_comps c;
    if (len && v[0] == '/') return s_fail(r, NULL, "Non-relative patterns are unsupported");
    if (!len || !s_comps_of(v, len, &c) || c.n == 0) {
        gl_buf rp;
        gl_buf_init(&rp);
        gl_repr_str(v, len, &rp);
        s_fail(r, NULL, "Unacceptable pattern: %s", rp.data);
        gl_buf_free(&rp);
        return false;
    }
    for (uint32_t i = 0; i < c.n; i++)
        if (c.len[i] != 2 && s_has_stars(c.p[i], c.len[i]))
            return s_fail(r, NULL, "Invalid pattern: '**' can only be an entire path component");
    g->n = c.n;
    g->seg = gl_xcalloc(c.n, sizeof *g->seg);
    g->rec = gl_xcalloc(c.n, 1);
    for (uint32_t i = 0; i < c.n; i++) {
        g->rec[i] = c.len[i] == 2 && s_has_stars(c.p[i], 2);
        if (!g->rec[i]) s_pat_compile(&g->seg[i], c.p[i], c.len[i]);
    }
    g->dir_only = v[len - 1] == '/';
    return true;
}

static void s_glob_free(s_glob *g)
{
    for (uint32_t i = 0; i < g->n; i++) s_pat_free(&g->seg[i]);
    free(g->seg);
    free(g->rec);
}

/* Does Path.glob yield the first l components of c? The last one is the node's file
 * when l == c->n; every other is a directory. "**" consumes directories only.
 * at[k]: the segments so far can consume exactly the first k components. */
static bool s_glob_hit(const s_glob *g, const s_comps *c, uint32_t l)
{
    bool file = l == c->n, at[65], next[65];
    if (g->dir_only && file) return false;
    memset(at, 0, (l + 1) * sizeof *at);
    at[0] = true;
    for (uint32_t s = 0; s < g->n; s++) {
        bool any = false;
        memset(next, 0, (l + 1) * sizeof *next);
        for (uint32_t k = 0; k <= l; k++) {
            if (!at[k]) continue;
            if (g->rec[s]) {
                for (uint32_t k2 = k; k2 <= l && !(file && k2 == l && k2 > k); k2++) next[k2] = any = true;
            } else if (k < l && (s + 1 == g->n || !(file && k + 1 == l)) &&
                       s_match(&g->seg[s], c->p[k], c->len[k])) {
                next[k + 1] = any = true;
            }
        }
        if (!any) return false;
        memcpy(at, next, (l + 1) * sizeof *at);
    }
    return at[l];
}

static int s_strcmp_p(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* What the root project's directory holds, as far as the graph shows: every root
 * node's file and the directories above it. Sorted for binary search. */
static void s_root_paths(s_run *r)
{
    if (r->root_paths_built) return;
    r->root_paths_built = true;
    size_t cap = 0, n = 0;
    char **v = NULL;
    for (uint32_t i = 0; i < r->n; i++) {
        const gl_gnode *nd = &r->g->nodes[i];
        s_comps c;
        if (!nd->path || !nd->package || !r->g->root_package || strcmp(nd->package, r->g->root_package) ||
            !s_comps_of(nd->path, strlen(nd->path), &c)) continue;
        gl_buf_truncate(&r->scratch, 0);
        for (uint32_t k = 0; k < c.n; k++) {
            if (k) gl_buf_addc(&r->scratch, '/');
            gl_buf_add(&r->scratch, c.p[k], c.len[k]);
            if (n == cap) v = gl_xrealloc(v, (cap = cap ? cap * 2 : 64) * sizeof *v);
            v[n] = gl_xmalloc(r->scratch.len + 1);
            memcpy(v[n++], r->scratch.data, r->scratch.len + 1);
        }
    }
    if (n) qsort(v, n, sizeof *v, s_strcmp_p);
    r->root_paths = v;
    r->nroot_paths = n;
}

static bool s_root_has(s_run *r, const s_comps *c, uint32_t l)
{
    if (l == 0) return true;
    gl_buf_truncate(&r->scratch, 0);
    for (uint32_t k = 0; k < l; k++) {
        if (k) gl_buf_addc(&r->scratch, '/');
        gl_buf_add(&r->scratch, c->p[k], c->len[k]);
    }
    const char *key = r->scratch.data;
    return r->nroot_paths && bsearch(&key, r->root_paths, r->nroot_paths, sizeof *r->root_paths, s_strcmp_p);
}

static bool s_m_path(s_run *r, const s_spec *sp, uint8_t *out)
{
    s_glob g;
    if (!s_glob_compile(r, sp->value, sp->value_len, &g)) return false;
    for (uint32_t i = 0; i < r->n; i++) {
        const gl_gnode *nd = &r->g->nodes[i];
        s_comps c;
        if (!r->alive[i] || !nd->path || !s_comps_of(nd->path, strlen(nd->path), &c)) continue;
        bool root = nd->package && r->g->root_package && !strcmp(nd->package, r->g->root_package);
        if (!root) s_root_paths(r);
        for (uint32_t l = c.n + 1; l-- > 0 && !out[i];)
            if (s_glob_hit(&g, &c, l) && (root || s_root_has(r, &c, l))) out[i] = 1;
    }
    s_glob_free(&g);
    return true;
}

static bool s_m_file(s_run *r, const s_spec *sp, uint8_t *out)
{
    s_pat p;
    s_pat_compile(&p, sp->value, sp->value_len);
    for (uint32_t i = 0; i < r->n; i++) {
        const gl_gnode *nd = &r->g->nodes[i];
        s_comps c;
        if (!r->alive[i] || !nd->path || !s_comps_of(nd->path, strlen(nd->path), &c)) continue;
        const char *name = c.n ? c.p[c.n - 1] : "";
        size_t len = c.n ? c.len[c.n - 1] : 0, stem = len;
        while (stem > 0 && name[stem - 1] != '.') stem--;
        stem = stem > 1 && stem < len ? stem - 1 : len;    /* PurePath.stem */
        if (s_match(&p, name, len) || s_match(&p, name, stem)) out[i] = 1;
    }
    s_pat_free(&p);
    return true;
}

static bool s_search(s_run *r, const s_spec *sp, uint8_t *out)
{
    switch (sp->method) {
    case S_M_FQN: return s_m_fqn(r, sp, out);
    case S_M_TAG: return s_m_tag(r, sp, out);
    case S_M_GROUP: return s_m_group(r, sp, out);
    case S_M_ACCESS: return s_m_access(r, sp, out);
    case S_M_SOURCE: return s_m_source(r, sp, out);
    case S_M_PATH: return s_m_path(r, sp, out);
    case S_M_FILE: return s_m_file(r, sp, out);
    case S_M_PACKAGE: return s_m_package(r, sp, out);
    case S_M_CONFIG: return s_m_config(r, sp, out);
    case S_M_TEST_NAME: return s_m_test_name(r, sp, out);
    case S_M_TEST_TYPE: return s_m_test_type(r, sp, out);
    case S_M_RESOURCE_TYPE: return s_m_resource_type(r, sp, out);
    case S_M_EXPOSURE: return s_m_named(r, sp, S_K_EXPOSURE, out);
    case S_M_METRIC: return s_m_named(r, sp, S_K_METRIC, out);
    case S_M_SEMANTIC_MODEL: return s_m_named(r, sp, S_K_SEMANTIC, out);
    case S_M_SAVED_QUERY: return s_m_named(r, sp, S_K_SAVED, out);
    case S_M_UNIT_TEST: return s_m_named(r, sp, S_K_UNIT, out);
    case S_M_VERSION: return s_m_version(r, sp, out);
    default: return s_m_state(r, sp);
    }
}

/* ---- graph operators (graph.py) ---------------------------------------------------------- */

/* Adds to into every enabled node within depth edges of from, upwards (parents) or
 * downwards (children); one breadth-first walk over all of from at once. */
static void s_reach(s_run *r, const uint8_t *from, bool up, uint32_t depth, uint8_t *into)
{
    uint32_t head = 0, tail = 0;
    for (uint32_t i = 0; i < r->n; i++) {
        r->dist[i] = from[i] ? 0 : UINT32_MAX;
        if (from[i]) r->queue[tail++] = i;
    }
    while (head < tail) {
        uint32_t u = r->queue[head++];
        if (r->dist[u] >= depth) continue;
        const gl_gnode *nd = &r->g->nodes[u];
        const uint32_t *e = up ? nd->parents : nd->children;
        uint32_t ne = up ? nd->nparents : nd->nchildren;
        for (uint32_t k = 0; k < ne; k++) {
            uint32_t v = e[k];
            if (v >= r->n || !r->alive[v] || r->dist[v] != UINT32_MAX) continue;
            r->dist[v] = r->dist[u] + 1;
            into[v] = 1;
            r->queue[tail++] = v;
        }
    }
}

static void s_neighbors(s_run *r, const s_spec *sp, uint8_t *sel)
{
    if (!sp->at && !sp->parents && !sp->children) return;
    uint8_t *add = s_set_new(r);
    if (sp->at) {           /* select_childrens_parents */
        uint8_t *down = s_set_copy(r, sel);
        s_reach(r, sel, false, S_NO_LIMIT, down);
        s_reach(r, down, true, S_NO_LIMIT, add);
        for (uint32_t i = 0; i < r->n; i++) add[i] |= down[i];
        free(down);
    }
    if (sp->parents) s_reach(r, sel, true, sp->pdepth, add);
    if (sp->children) s_reach(r, sel, false, sp->cdepth, add);
    for (uint32_t i = 0; i < r->n; i++) sel[i] |= add[i];
    free(add);
}

/* ---- indirect selection (selector.py) ---------------------------------------------------- */

static bool s_parents_in(const s_run *r, uint32_t t, const uint8_t *set)
{
    const gl_gnode *nd = &r->g->nodes[t];
    for (uint32_t k = 0; k < nd->nparents; k++)
        if (nd->parents[k] >= r->n || !set[nd->parents[k]]) return false;
    return true;
}

/* selected plus its ancestors (plus every source for expand_selection's buildable) */
static uint8_t *s_buildable_set(s_run *r, const uint8_t *sel, bool sources)
{
    uint8_t *sp = s_set_copy(r, sel);
    s_reach(r, sel, true, S_NO_LIMIT, sp);
    for (uint32_t i = 0; sources && i < r->n; i++)
        if (r->alive[i] && r->kind[i] == S_K_SOURCE) sp[i] = 1;
    return sp;
}

/* expand_selection: tests that are children of the selection */
static void s_expand(s_run *r, const uint8_t *sel, s_pair *out)
{
    gl_indirect mode = r->o->indirect;
    out->d = s_set_copy(r, sel);
    out->di = s_set_copy(r, sel);
    if (mode == GL_INDIRECT_EMPTY) return;
    uint8_t *sp = mode == GL_INDIRECT_BUILDABLE ? s_buildable_set(r, sel, true) : NULL;
    uint8_t *seen = s_set_new(r);
    for (uint32_t u = 0; u < r->n; u++) {
        const gl_gnode *nd = &r->g->nodes[u];
        for (uint32_t k = 0; sel[u] && k < nd->nchildren; k++) {
            uint32_t c = nd->children[k];
            if (c >= r->n || !r->alive[c] || seen[c] || !s_testlike(r->kind[c])) continue;
            seen[c] = 1;
            out->di[c] = 1;
            if (mode == GL_INDIRECT_EAGER || s_parents_in(r, c, sel) || (sp && s_parents_in(r, c, sp)))
                out->d[c] = 1;
        }
    }
    free(seen);
    free(sp);
}

/* incorporate_indirect_nodes: waiting tests whose parents have all arrived */
static void s_incorporate(s_run *r, s_pair *p)
{
    gl_indirect mode = r->o->indirect;
    if (mode != GL_INDIRECT_CAUTIOUS && mode != GL_INDIRECT_BUILDABLE) return;
    uint8_t *sp = mode == GL_INDIRECT_BUILDABLE ? s_buildable_set(r, p->d, false) : NULL;
    for (uint32_t i = 0; i < r->n; i++) {
        if (!p->di[i] || p->d[i] || !s_parsed(r->kind[i])) continue;
        if (s_parents_in(r, i, sp ? sp : p->d)) p->d[i] = 1;
    }
    free(sp);
}

/* ---- combining specs (cli.py, selector_spec.py) ------------------------------------------ */

static void s_pair_free(s_pair *p)
{
    free(p->d);
    free(p->di);
    p->d = p->di = NULL;
}

static bool s_eval_spec(s_run *r, const char *s, size_t len, s_pair *out)
{
    s_spec sp;
    if (!s_parse(r, s, len, &sp)) return false;
    uint8_t *sel = s_set_new(r);
    if (!s_search(r, &sp, sel)) {
        free(sel);
        return false;
    }
    s_neighbors(r, &sp, sel);
    s_expand(r, sel, out);
    free(sel);
    return true;
}

static void s_combine(const s_run *r, s_pair *acc, s_pair *part, bool intersect)
{
    if (!acc->d) {
        *acc = *part;
        return;
    }
    for (uint32_t i = 0; i < r->n; i++) {
        acc->d[i] = intersect ? (acc->d[i] & part->d[i]) : (acc->d[i] | part->d[i]);
        acc->di[i] = intersect ? (acc->di[i] & part->di[i]) : (acc->di[i] | part->di[i]);
    }
    s_pair_free(part);
}

static bool s_empty(const s_run *r, const uint8_t *set)
{
    for (uint32_t i = 0; i < r->n; i++)
        if (set[i]) return false;
    return true;
}

/* one space-separated spec: the intersection of its comma-separated parts */
static bool s_eval_token(s_run *r, const char *s, size_t len, bool warn, s_pair *out)
{
    s_pair acc = { NULL, NULL };
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && s[i] != ',') continue;
        s_pair part;
        if (!s_eval_spec(r, s + start, i - start, &part)) {
            s_pair_free(&acc);
            return false;
        }
        s_combine(r, &acc, &part, true);
        start = i + 1;
    }
    s_incorporate(r, &acc);
    if (warn && r->o->unmatched && s_empty(r, acc.d)) {
        gl_buf spec;
        gl_buf_init(&spec);
        gl_buf_add(&spec, s, len);
        r->o->unmatched(r->o->unmatched_ctx, spec.data);
        gl_buf_free(&spec);
    }
    *out = acc;
    return true;
}

/* the union of every space-separated spec of every argument */
static bool s_eval_union(s_run *r, const char *const *args, size_t nargs, bool warn, s_pair *out)
{
    s_pair acc = { s_set_new(r), s_set_new(r) };
    for (size_t a = 0; a < nargs; a++) {
        const char *s = args[a];
        size_t len = strlen(s), start = 0;
        for (size_t i = 0; i <= len; i++) {
            if (i < len && s[i] != ' ') continue;
            s_pair part;
            if (!s_eval_token(r, s + start, i - start, warn, &part)) {
                s_pair_free(&acc);
                return false;
            }
            s_combine(r, &acc, &part, false);
            start = i + 1;
        }
    }
    s_incorporate(r, &acc);
    *out = acc;
    return true;
}

/* dbt parses every spec before it selects anything: report syntax errors first */
static bool s_check_syntax(s_run *r, const char *const *args, size_t nargs)
{
    for (size_t a = 0; a < nargs; a++) {
        const char *s = args[a];
        size_t len = strlen(s), start = 0;
        for (size_t i = 0; i <= len; i++) {
            if (i < len && s[i] != ' ' && s[i] != ',') continue;
            s_spec sp;
            if (!s_parse(r, s + start, i - start, &sp)) return false;
            start = i + 1;
        }
    }
    return true;
}

/* ---- resource types (task/base.py resource_types_from_args) -------------------------------- */

static bool s_type_listed(const char *t, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(t, list[i])) return true;
    return false;
}

static bool s_check_types(s_run *r, const char *const *types, size_t n, bool exclude)
{
    const char *flag = exclude ? "'--exclude-resource-types' / '--exclude-resource-type'"
                               : "'--resource-types' / '--resource-type'";
    size_t nchoices = s_count(s_type_choices) - (exclude ? 1 : 0);     /* no "all" */
    for (size_t i = 0; i < n; i++) {
        bool ok = false, exact = false;
        for (size_t c = 0; c < nchoices; c++) {
            ok |= s_ieq(types[i], strlen(types[i]), s_type_choices[c], strlen(s_type_choices[c]));
            exact |= !strcmp(types[i], s_type_choices[c]);
        }
        if (!ok) {
            gl_buf h, list;
            s_hint_list(&h, types[i], strlen(types[i]), s_type_choices, nchoices, "choices");
            gl_buf_init(&list);
            for (size_t c = 0; c < nchoices; c++)
                gl_buf_printf(&list, "%s'%s'", c ? ", " : "", s_type_choices[c]);
            s_fail(r, &h, "Invalid value for %s: '%s' is not one of %s.", flag, types[i], list.data);
            gl_buf_free(&list);
            return false;
        }
        if (!exact || (exclude && !strcmp(types[i], "default")))
            return s_fail(r, NULL, "'%s' is not a valid NodeType", types[i]);
    }
    return true;
}

static bool s_type_kept(const s_run *r, const char *t)
{
    const gl_select_opts *o = r->o;
    if (!t) t = "";
    if (s_type_listed(t, (const char *const *)o->exclude_types, o->nexclude_types)) return false;
    if (!o->ntypes || s_type_listed(t, (const char *const *)o->resource_types, o->ntypes)) return true;
    bool all = s_type_listed("all", (const char *const *)o->resource_types, o->ntypes);
    bool def = all || s_type_listed("default", (const char *const *)o->resource_types, o->ntypes);
    return (def && s_type_listed(t, s_ls_default, s_count(s_ls_default))) || (all && !strcmp(t, "analysis"));
}

/* ---- the entry points --------------------------------------------------------------------- */

static void s_run_init(s_run *r, const gl_graph *g, const gl_select_opts *o, gl_diag *err)
{
    memset(r, 0, sizeof *r);
    r->g = g;
    r->o = o;
    r->err = err;
    r->n = g->n;
    r->kind = s_set_new(r);
    r->alive = s_set_new(r);
    r->queue = gl_xcalloc(r->n ? r->n : 1, sizeof *r->queue);
    r->dist = gl_xcalloc(r->n ? r->n : 1, sizeof *r->dist);
    gl_buf_init(&r->scratch);
    for (uint32_t i = 0; i < r->n; i++) {
        const gl_gnode *nd = &g->nodes[i];
        r->alive[i] = nd->enabled;
        for (uint8_t k = S_K_MODEL; k <= S_K_UNIT; k++)
            if (nd->resource_type && !strcmp(nd->resource_type, s_kind_names[k])) r->kind[i] = k;
    }
}

static void s_run_free(s_run *r)
{
    free(r->kind);
    free(r->alive);
    free(r->queue);
    free(r->dist);
    for (size_t i = 0; i < r->nroot_paths; i++) free(r->root_paths[i]);
    free(r->root_paths);
    gl_buf_free(&r->scratch);
}

static const char *const s_default_select[] = {
    "fqn:*", "source:*", "exposure:*", "metric:*", "semantic_model:*"
};

static bool s_select(s_run *r, bool *selected)
{
    const gl_select_opts *o = r->o;
    if (!s_check_types(r, o->resource_types, o->ntypes, false) ||
        !s_check_types(r, o->exclude_types, o->nexclude_types, true) ||
        !s_check_syntax(r, o->select, o->nselect) || !s_check_syntax(r, o->exclude, o->nexclude))
        return false;
    s_pair inc, exc;
    bool given = o->nselect > 0;
    size_t ndefault = sizeof s_default_select / sizeof *s_default_select;
    if (!s_eval_union(r, given ? o->select : s_default_select, given ? o->nselect : ndefault, given, &inc))
        return false;
    if (!s_eval_union(r, o->exclude, o->nexclude, true, &exc)) {
        s_pair_free(&inc);
        return false;
    }
    for (uint32_t i = 0; i < r->n; i++)
        selected[i] = inc.d[i] && !exc.d[i] && s_type_kept(r, r->g->nodes[i].resource_type);
    s_pair_free(&inc);
    s_pair_free(&exc);
    return true;
}

bool gl_select(const gl_graph *g, const gl_select_opts *o, bool *selected, gl_diag *err)
{
    s_run r;
    s_run_init(&r, g, o, err);
    bool ok = s_select(&r, selected);
    s_run_free(&r);
    return ok;
}

void gl_select_unmatched(const char *spec, gl_diag *warn)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_buf_printf(&b, "The selection criterion '%s' does not match any enabled nodes", spec);
    memset(warn, 0, sizeof *warn);
    warn->severity = GL_SEV_WARNING;
    warn->message = b.data;
}
