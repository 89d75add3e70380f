/* tests/unit/test_yaml.c - YAML loading (project layer): scalar resolution against
 * PyYAML 6.0 (SafeLoader and CSafeLoader agree on every row; the expected repr column
 * was printed by /usr/bin/python3 with python3-yaml), anchors and merge keys, repeated
 * keys, spans as byte offsets with UTF-8 text before them, and the diagnostics of
 * syntax and structure errors with their line:col. */
#include "project/yaml.h"
#include "tap.h"
#include <stdlib.h>
#include <string.h>

static gl_vm vm;

static gl_source *s_src(const char *text, size_t len)
{
    char *t = gl_xmalloc(len + 1);
    memcpy(t, text, len);
    t[len] = '\0';
    return gl_source_new("t.yml", t, len);
}

static gl_ydoc *s_load(const char *text)
{
    gl_diag err = { 0 };
    gl_source *esrc = NULL;
    gl_ydoc *doc = gl_yaml_load(s_src(text, strlen(text)), &err, &esrc);
    if (!doc) {
        printf("# unexpected error loading:\n");
        gl_diag_print(stdout, &err);
        gl_diag_clear(&err);
        gl_source_free(esrc);
    }
    return doc;
}

/* gl_yaml_to_value inside a handler: true and *out, or false with vm.error set. */
static bool s_to_value(const gl_ydoc *doc, const gl_ynode *n, gl_value *out)
{
    gl_catch c;
    c.prev = vm.catch_top;
    vm.catch_top = &c;
    vm.src = doc->src;
    if (setjmp(c.jb) == 0) {
        *out = gl_yaml_to_value(&vm, n);
        vm.catch_top = c.prev;
        return true;
    }
    vm.catch_top = c.prev;
    return false;
}

/* repr() of the node's value, or "!<message>" when converting raises. */
static void s_repr_of(const gl_ydoc *doc, const gl_ynode *n, gl_buf *out)
{
    gl_value v;
    if (s_to_value(doc, n, &v)) {
        gl_repr(&vm, v, out);
    } else {
        gl_buf_adds(out, "!");
        gl_buf_adds(out, vm.error.message);
    }
}

/* ---- scalar resolution: `k: <src>` as PyYAML loads it ------------------------------------- */

typedef struct scalar_case {
    const char *src;        /* the value as written after "k: " */
    int kind;               /* gl_yscalar */
    const char *repr;       /* Python's repr of yaml.safe_load("k: " + src)["k"] */
} scalar_case;

/* Dates are the one deliberate difference: PyYAML gives datetime.date, gluec the text. */
static const scalar_case s_scalars[] = {
    { "~", GL_YS_NULL, "None" },
    { "null", GL_YS_NULL, "None" },
    { "Null", GL_YS_NULL, "None" },
    { "NULL", GL_YS_NULL, "None" },
    { "nULL", GL_YS_STR, "'nULL'" },
    { "", GL_YS_NULL, "None" },
    { "yes", GL_YS_BOOL, "True" },
    { "Yes", GL_YS_BOOL, "True" },
    { "YES", GL_YS_BOOL, "True" },
    { "yEs", GL_YS_STR, "'yEs'" },
    { "no", GL_YS_BOOL, "False" },
    { "NO", GL_YS_BOOL, "False" },
    { "on", GL_YS_BOOL, "True" },
    { "On", GL_YS_BOOL, "True" },
    { "OFF", GL_YS_BOOL, "False" },
    { "off", GL_YS_BOOL, "False" },
    { "y", GL_YS_STR, "'y'" },
    { "n", GL_YS_STR, "'n'" },
    { "true", GL_YS_BOOL, "True" },
    { "True", GL_YS_BOOL, "True" },
    { "TRUE", GL_YS_BOOL, "True" },
    { "tRUE", GL_YS_STR, "'tRUE'" },
    { "false", GL_YS_BOOL, "False" },
    { "False", GL_YS_BOOL, "False" },
    { "0", GL_YS_INT, "0" },
    { "-0", GL_YS_INT, "0" },
    { "+0", GL_YS_INT, "0" },
    { "00", GL_YS_INT, "0" },
    { "012", GL_YS_INT, "10" },
    { "019", GL_YS_STR, "'019'" },
    { "08", GL_YS_STR, "'08'" },
    { "0o17", GL_YS_STR, "'0o17'" },
    { "0b101", GL_YS_INT, "5" },
    { "-0b11", GL_YS_INT, "-3" },
    { "0x1F", GL_YS_INT, "31" },
    { "0xff_ff", GL_YS_INT, "65535" },
    { "-0x10", GL_YS_INT, "-16" },
    { "0x", GL_YS_STR, "'0x'" },
    { "1_000", GL_YS_INT, "1000" },
    { "1__", GL_YS_INT, "1" },
    { "+12", GL_YS_INT, "12" },
    { "-12", GL_YS_INT, "-12" },
    { "1:30", GL_YS_INT, "90" },
    { "190:20:30", GL_YS_INT, "685230" },
    { "1:60", GL_YS_STR, "'1:60'" },
    { "1:05", GL_YS_INT, "65" },
    { "09:30", GL_YS_STR, "'09:30'" },
    { "0:30", GL_YS_STR, "'0:30'" },
    { "1.5", GL_YS_FLOAT, "1.5" },
    { "1.", GL_YS_FLOAT, "1.0" },
    { ".5", GL_YS_FLOAT, "0.5" },
    { "-.5", GL_YS_STR, "'-.5'" },
    { "+.5", GL_YS_STR, "'+.5'" },
    { "1.0e+3", GL_YS_FLOAT, "1000.0" },
    { "1.0e3", GL_YS_STR, "'1.0e3'" },
    { "1e3", GL_YS_STR, "'1e3'" },
    { "1.e-2", GL_YS_FLOAT, "0.01" },
    { "1_0.5_0", GL_YS_FLOAT, "10.5" },
    { "1.2.3", GL_YS_STR, "'1.2.3'" },
    { "._5", GL_YS_STR, "'._5'" },
    { ".inf", GL_YS_FLOAT, "inf" },
    { "-.inf", GL_YS_FLOAT, "-inf" },
    { "+.Inf", GL_YS_FLOAT, "inf" },
    { ".INF", GL_YS_FLOAT, "inf" },
    { "inf", GL_YS_STR, "'inf'" },
    { ".nan", GL_YS_FLOAT, "nan" },
    { ".NaN", GL_YS_FLOAT, "nan" },
    { "-.nan", GL_YS_STR, "'-.nan'" },
    { "NaN", GL_YS_STR, "'NaN'" },
    { "1:30.5", GL_YS_FLOAT, "90.5" },
    { "-1:30.5", GL_YS_FLOAT, "-90.5" },
    { "0:30.5", GL_YS_FLOAT, "30.5" },
    { "1:30:00.25", GL_YS_FLOAT, "5400.25" },
    { "-0.0", GL_YS_FLOAT, "-0.0" },
    { "9223372036854775807", GL_YS_INT, "9223372036854775807" },
    { "-9223372036854775808", GL_YS_INT, "-9223372036854775808" },
    { "0x7fffffffffffffff", GL_YS_INT, "9223372036854775807" },
    { "-0x8000000000000000", GL_YS_INT, "-9223372036854775808" },
    { "2024-01-01", GL_YS_STR, "'2024-01-01'" },     /* PyYAML: datetime.date(2024, 1, 1) */
    { "2024-1-1", GL_YS_STR, "'2024-1-1'" },
    { "a", GL_YS_STR, "'a'" },
    { "1_", GL_YS_INT, "1" },
    { "_1", GL_YS_STR, "'_1'" },
    { "1,000", GL_YS_STR, "'1,000'" },
    { "0.5_", GL_YS_FLOAT, "0.5" },
    { "+1_000.0e-1", GL_YS_FLOAT, "100.0" },
    { "1e+3", GL_YS_STR, "'1e+3'" },
    { "123abc", GL_YS_STR, "'123abc'" },
    { ".", GL_YS_STR, "'.'" },
    { "0_", GL_YS_INT, "0" },
    { "0b", GL_YS_STR, "'0b'" },
    { "0b2", GL_YS_STR, "'0b2'" },
    { "1:7", GL_YS_INT, "67" },
    { "+0x_1", GL_YS_INT, "1" },
    { "1_2:3_0", GL_YS_STR, "'1_2:3_0'" },
    { "0.1", GL_YS_FLOAT, "0.1" },
    { "6.02e+23", GL_YS_FLOAT, "6.02e+23" },
    { "\"yes\"", GL_YS_STR, "'yes'" },
    { "'123'", GL_YS_STR, "'123'" },
    { "\"~\"", GL_YS_STR, "'~'" },
    { "|\n    true", GL_YS_STR, "'true'" },
    { ">\n    1.5", GL_YS_STR, "'1.5'" },
    { "! 123", GL_YS_INT, "123" },
    { "! \"yes\"", GL_YS_BOOL, "True" },
    { "!!str 12", GL_YS_STR, "'12'" },
    { "!!str yes", GL_YS_STR, "'yes'" },
    { "!!int \"0x1f\"", GL_YS_INT, "31" },
    { "!!int \"-1:30\"", GL_YS_INT, "-90" },
    { "!!float \"1\"", GL_YS_FLOAT, "1.0" },
    { "!!float 3", GL_YS_FLOAT, "3.0" },
    { "!!float \"1e5\"", GL_YS_FLOAT, "100000.0" },
    { "!!bool \"TrUe\"", GL_YS_BOOL, "True" },
    { "!!bool OFF", GL_YS_BOOL, "False" },
    { "!!null x", GL_YS_NULL, "None" },
    { "!!str", GL_YS_STR, "''" },
    { "\"caf\xc3\xa9\"", GL_YS_STR, "'caf\xc3\xa9'" },
    { "caf\xc3\xa9 au lait", GL_YS_STR, "'caf\xc3\xa9 au lait'" },
    { "\"a\\tb\"", GL_YS_STR, "'a\\tb'" },
    /* the non-specific tag "!" resolves any style (libyaml's plain_implicit), and Python's
     * `$` matches before a final newline */
    { "! \"123\\n\"", GL_YS_INT, "123" },
    { "! \"1:30\\n\"", GL_YS_INT, "90" },
    { "! \"\"", GL_YS_NULL, "None" },
    { "!", GL_YS_STR, "''" },       /* CSafeLoader (dbt's); the pure-Python SafeLoader: None */
};

static void s_test_scalars(void)
{
    int bad = 0;
    size_t n = sizeof s_scalars / sizeof s_scalars[0];
    for (size_t i = 0; i < n; i++) {
        const scalar_case *c = &s_scalars[i];
        gl_buf text, got;
        gl_buf_init(&text);
        gl_buf_init(&got);
        gl_buf_printf(&text, "k: %s", c->src);
        gl_ydoc *doc = s_load(text.data);
        const gl_ynode *v = doc ? gl_ymap_get(doc->root, "k") : NULL;
        if (v) s_repr_of(doc, v, &got);
        int kind = v ? (int)gl_yscalar_kind(v) : -2;
        if (!v || kind != c->kind || !got.data || strcmp(got.data, c->repr) != 0) {
            printf("#   k: %s -> kind %d repr %s; want kind %d repr %s\n", c->src, kind,
                   got.data ? got.data : "(none)", c->kind, c->repr);
            bad++;
        }
        if (v && kind == GL_YS_BOOL && gl_yscalar_bool(v) != (strcmp(c->repr, "True") == 0)) {
            printf("#   k: %s -> gl_yscalar_bool disagrees\n", c->src);
            bad++;
        }
        gl_ydoc_free(doc);
        gl_buf_free(&text);
        gl_buf_free(&got);
    }
    printf("# %zu scalars checked\n", n);
    tap_ok(bad == 0, "scalars resolve and convert as PyYAML's SafeLoader does");
}

/* Values gl_yaml_to_value refuses: the message, the kind and where. */
static void s_value_error_is(const char *text, gl_error_kind kind, const char *msg,
                             uint32_t line, uint32_t col, const char *name)
{
    gl_ydoc *doc = s_load(text);
    gl_value v;
    bool ok = doc && !s_to_value(doc, doc->root, &v);
    if (ok) {
        uint32_t l, c;
        gl_source_position(doc->src, vm.error.span.start, &l, &c);
        ok = vm.error_kind == kind && strcmp(vm.error.message, msg) == 0 && l == line && c == col;
        if (!ok)
            printf("#   got %d:%u:%u %s\n", (int)vm.error_kind, l, c, vm.error.message);
    }
    tap_ok(ok, name);
    gl_ydoc_free(doc);
}

static void s_test_value_errors(void)
{
    s_value_error_is("a: 1\nbig: 99999999999999999999\n", GL_ERR_OVERFLOW,
                     "integer 99999999999999999999 does not fit in 64 bits", 2, 6,
                     "an int beyond 64 bits is an OverflowError at its span");
    tap_is(vm.error.hint, "gluec keeps integers in 64 bits; quote the value to keep it as text",
           "the overflow error has a hint");
    s_value_error_is("x: -0x8000000000000001", GL_ERR_OVERFLOW,
                     "integer -0x8000000000000001 does not fit in 64 bits", 1, 4,
                     "a hex int one below INT64_MIN overflows");
    gl_ydoc *doc = s_load("= : 1\n");
    gl_buf b;
    gl_buf_init(&b);
    if (doc) s_repr_of(doc, doc->root, &b);
    tap_is(b.data, "{'=': 1}", "a plain = as a key is the text '='");
    gl_buf_free(&b);
    gl_ydoc_free(doc);
}

/* ---- anchors, aliases and merge keys -------------------------------------------------------- */

static const char s_merge_doc[] =
    "base: &base\n"
    "  a: 1\n"
    "  b: 2\n"
    "other: &other {b: 20, c: 30}\n"
    "m1:\n"
    "  <<: *base\n"
    "  b: 3\n"
    "m2:\n"
    "  <<: [*base, *other]\n"
    "  d: 4\n"
    "m3:\n"
    "  b: 0\n"
    "  <<: *base\n"
    "m4:\n"
    "  <<: *base\n"
    "  <<: *other\n"
    "list: &l [1, 2]\n"
    "ref: *l\n";

static void s_test_merge(void)
{
    gl_ydoc *doc = s_load(s_merge_doc);
    if (!doc) {
        tap_ok(0, "merge document loads");
        return;
    }
    gl_buf b;
    gl_buf_init(&b);
    s_repr_of(doc, doc->root, &b);
    /* yaml.safe_load(s_merge_doc), printed by Python */
    tap_is(b.data,
           "{'base': {'a': 1, 'b': 2}, 'other': {'b': 20, 'c': 30}, 'm1': {'a': 1, 'b': 3}, "
           "'m2': {'b': 2, 'c': 30, 'a': 1, 'd': 4}, 'm3': {'a': 1, 'b': 0}, "
           "'m4': {'a': 1, 'b': 20, 'c': 30}, 'list': [1, 2], 'ref': [1, 2]}",
           "merge keys as PyYAML: own keys win, earlier anchors of a list win, order of first "
           "appearance");
    gl_buf_free(&b);

    const gl_ynode *m1 = gl_ymap_get(doc->root, "m1");
    tap_ok(m1 && m1->n == 2 && strcmp(m1->keys[0]->text, "a") == 0 &&
           strcmp(m1->keys[1]->text, "b") == 0 && strcmp(m1->vals[1]->text, "3") == 0,
           "merged node keeps merged pairs first, then its own (b overridden to 3)");
    uint32_t line, col;
    gl_source_position(doc->src, m1->keys[1]->span.start, &line, &col);
    tap_ok(line == 3 && col == 3, "the repeated key b keeps its first position (in base, 3:3)");
    gl_source_position(doc->src, m1->vals[1]->span.start, &line, &col);
    tap_ok(line == 7 && col == 6, "and its last value (7:6)");
    tap_ok(m1->vals[0] == gl_ymap_get(gl_ymap_get(doc->root, "base"), "a") && m1->vals[0]->shared,
           "merged values are the anchored nodes, marked shared");
    tap_ok(gl_ymap_get(doc->root, "ref") == gl_ymap_get(doc->root, "list") &&
           gl_ymap_get(doc->root, "ref")->shared, "an alias shares the anchored node");

    gl_value v;
    if (s_to_value(doc, doc->root, &v)) {
        gl_value l1, l2;
        gl_dict_get_cstr(v.u.dict, "list", &l1);
        gl_dict_get_cstr(v.u.dict, "ref", &l2);
        tap_ok(l1.kind == GL_LIST && l1.u.list == l2.u.list,
               "an alias is the same list object (as in Python)");
    } else {
        tap_ok(0, "an alias is the same list object (as in Python)");
    }
    gl_ydoc_free(doc);

    /* an anchored mapping holding enough anchors to grow the anchor table while it is
     * open: once closed, aliasing it is fine */
    gl_buf grow;
    gl_buf_init(&grow);
    gl_buf_adds(&grow, "outer: &o\n");
    for (int i = 0; i < 40; i++) gl_buf_printf(&grow, "  k%d: &a%d %d\n", i, i, i);
    gl_buf_adds(&grow, "ref: *o\nlast: *a39\n");
    doc = s_load(grow.data);
    tap_ok(doc && gl_ymap_get(doc->root, "ref") == gl_ymap_get(doc->root, "outer") &&
           strcmp(gl_ymap_get(doc->root, "last")->text, "39") == 0,
           "an anchor opened before the anchor table grows closes properly");
    gl_ydoc_free(doc);
    gl_buf_free(&grow);

    /* ten levels of ten aliases: 10^10 leaves if expanded, one list each when shared */
    gl_buf big;
    gl_buf_init(&big);
    gl_buf_adds(&big, "l0: &l0 [x]\n");
    for (int i = 1; i <= 10; i++) {
        gl_buf_printf(&big, "l%d: &l%d [", i, i);
        for (int j = 0; j < 10; j++) gl_buf_printf(&big, "%s*l%d", j ? ", " : "", i - 1);
        gl_buf_adds(&big, "]\n");
    }
    doc = s_load(big.data);
    tap_ok(doc && s_to_value(doc, doc->root, &v) && v.kind == GL_DICT,
           "alias bombs convert in linear time (shared nodes convert once)");
    gl_ydoc_free(doc);

    /* a chain of aliases deeper than the cap */
    gl_buf_truncate(&big, 0);
    gl_buf_adds(&big, "a0: &a0 [x]\n");
    for (int i = 1; i <= GL_YAML_MAX_DEPTH + 5; i++) gl_buf_printf(&big, "a%d: &a%d [*a%d]\n", i, i, i - 1);
    gl_buf_printf(&big, "last: *a%d\n", GL_YAML_MAX_DEPTH + 5);
    doc = s_load(big.data);
    /* converted alone, nothing on the way is memoized yet: the whole chain recurses */
    tap_ok(doc && !s_to_value(doc, gl_ymap_get(doc->root, "last"), &v) && vm.error_kind == GL_ERR_LIMIT,
           "values nested too deeply through aliases are a limit error, not a stack overflow");
    gl_ydoc_free(doc);
    gl_buf_free(&big);
}

static void s_test_duplicates(void)
{
    gl_ydoc *doc = s_load("x: 1\ny: 2\nx: 3\n");
    tap_ok(doc && doc->root->n == 2 && strcmp(doc->root->keys[0]->text, "x") == 0 &&
           strcmp(doc->root->vals[0]->text, "3") == 0 && doc->root->keys[0]->span.start == 0,
           "a repeated key keeps its first position and its last value");
    gl_ydoc_free(doc);

    doc = s_load("{1: a, 1.0: b, true: c, .nan: d, .NaN: e, null: f, ~: g, '': h, 0x10: i, "
                 "16: j, -0.0: k, 0: l, '1': m}");
    gl_buf b;
    gl_buf_init(&b);
    if (doc) s_repr_of(doc, doc->root, &b);
    /* Python prints {1: 'c', nan: 'e', None: 'g', '': 'h', 16: 'j', -0.0: 'l'} plus '1' */
    tap_is(b.data, "{1: 'c', nan: 'e', None: 'g', '': 'h', 16: 'j', -0.0: 'l', '1': 'm'}",
           "keys compare as Python values (1 == 1.0 == true, one nan, 0x10 == 16, '1' != 1)");
    gl_buf_free(&b);
    gl_ydoc_free(doc);
}

/* ---- spans ------------------------------------------------------------------------------------ */

static void s_test_spans(void)
{
    const char *text =
        "version: 2\n"
        "models:\n"
        "  - name: caf\xc3\xa9_orders   # \xc3\xa9 is two bytes\n"
        "    description: \"\xe6\x97\xa5\xe6\x9c\xac\"\n"
        "    columns:\n"
        "      - {name: \xc3\xbc, tests: [unique]}\n";
    gl_ydoc *doc = s_load(text);
    if (!doc) {
        tap_ok(0, "spans document loads");
        return;
    }
    const gl_ynode *model = gl_ymap_get(doc->root, "models")->items[0];
    const gl_ynode *col = gl_ymap_get(model, "columns")->items[0];
    const gl_ynode *tests = NULL;
    for (uint32_t i = 0; i < col->n; i++)
        if (strcmp(col->keys[i]->text, "tests") == 0) tests = col->keys[i];
    uint32_t line, c;
    gl_source_position(doc->src, tests->span.start, &line, &c);
    tap_ok(line == 6 && c == 19 && tests->span.start == (uint32_t)(strstr(text, "tests") - text),
           "a nested flow key after UTF-8 text is at 6:19, at its byte offset");
    tap_ok(tests->span.end - tests->span.start == 5 &&
           memcmp(doc->src->text + tests->span.start, "tests", 5) == 0,
           "its span covers exactly the bytes of 'tests'");
    const gl_ynode *desc = gl_ymap_get(model, "description");
    tap_ok(desc->span.end - desc->span.start == 8 && doc->src->text[desc->span.start] == '"',
           "a quoted scalar's span covers its quotes and six bytes of text");
    const gl_ynode *seq = gl_ymap_get(col, "tests");
    tap_ok(doc->src->text[seq->span.start] == '[' && doc->src->text[seq->span.end - 1] == ']',
           "a flow sequence spans its brackets");
    const gl_ynode *models = gl_ymap_get(doc->root, "models");
    gl_source_position(doc->src, models->span.end, &line, &c);
    tap_ok(doc->src->text[models->span.end - 1] == '}', "a block sequence ends with its last item");
    tap_ok(gl_ymap_get(doc->root, "nope") == NULL && gl_ymap_get(models, "x") == NULL,
           "gl_ymap_get: absent key, and not a map");
    gl_ydoc_free(doc);

    doc = s_load("");
    tap_ok(doc && doc->root == NULL, "an empty file has no root");
    gl_ydoc_free(doc);
    doc = s_load("# only a comment\n");
    tap_ok(doc && doc->root == NULL, "a file of comments has no root");
    gl_ydoc_free(doc);
    doc = s_load("---\n");
    tap_ok(doc && gl_yscalar_kind(doc->root) == GL_YS_NULL, "an empty explicit document is null");
    gl_ydoc_free(doc);
    doc = s_load("\xef\xbb\xbfname: x\n");
    tap_ok(doc && doc->root->keys[0]->span.start == 3, "a BOM is skipped and offsets stay bytes");
    gl_ydoc_free(doc);
}

/* ---- errors ----------------------------------------------------------------------------------- */

typedef struct err_case {
    const char *name;
    const char *text;
    uint32_t line, col;     /* of err.span.start */
    const char *message;
    const char *hint;       /* a substring of the hint, or NULL for no hint */
} err_case;

static const err_case s_errors[] = {
    { "bad indentation in a mapping", "a:\n  b: 1\n c: 2\n", 3, 2,
      "did not find expected key (while parsing a block mapping at line 1, column 1)",
      "check the indentation: the keys of the mapping that starts at line 1 are in column 1" },
    { "bad indentation in a list", "models:\n  - name: a\n    columns: []\n   tests: []\n", 4, 4,
      "did not find expected '-' indicator (while parsing a block collection at line 2, column 3)",
      "the items of the list that starts at line 2 are '- ' in column 3" },
    { "tab indentation", "models:\n\t- name: a\n", 2, 1,
      "found character that cannot start any token (while scanning for the next token)",
      "YAML does not allow tabs for indentation; use spaces" },
    { "unclosed quote", "a: 1\nb: \"caf\xc3\xa9\nc: 2\n", 4, 1,
      "found unexpected end of stream (while scanning a quoted scalar at line 2, column 4)",
      "the quoted string that starts at line 2, column 4 is not closed" },
    { "second document", "a: 1\n---\nb: 2\n", 2, 1,
      "expected a single document in the stream, but found another document",
      "dbt reads one YAML document per file" },
    { "document after an end marker without ---", "a: 1\n...\nb: 2\n", 3, 1,
      "did not find expected <document start>", NULL },
    { "empty second document", "a: 1\n--- \n", 2, 1,
      "expected a single document in the stream, but found another document", "remove this separator" },
    { "UTF-8 before the error", "d: \xc3\xa9\xc3\xa9\xc3\xa9\n\xc3\xa9: \xc3\xbc: x\n", 2, 5,
      "mapping values are not allowed in this context",
      "a plain value cannot contain ': '; put the value in quotes" },
    { "value continued by a deeper line", "a: b\n  c: d\n", 2, 4,
      "mapping values are not allowed in this context", "check the indentation" },
    { "text after a quote", "description: 'it's'\n", 1, 18,
      "did not find expected key (while parsing a block mapping at line 1, column 1)",
      "write a quote twice: 'it''s'" },
    { "unquoted Jinja", "vars:\n  x: {{ var('y') }}\n", 2, 7,
      "found unhashable key: a mapping cannot be a mapping key", "quote Jinja in YAML values" },
    { "unquoted Jinja statement", "sql: {% if x %}y{% endif %}\n", 1, 7,
      "found character that cannot start any token (while scanning for the next token)",
      "quote Jinja in YAML values" },
    { "undefined alias", "a: *nope\n", 1, 4, "found undefined alias 'nope'", "define the anchor" },
    { "duplicate anchor", "a: &x 1\nb: &x 2\n", 2, 4, "found duplicate anchor 'x'",
      "first defined at line 1, column 4" },
    { "recursive alias", "a: &x [1, *x]\n", 1, 11, "recursive alias 'x'",
      "inside the node anchored at line 1, column 4" },
    { "merge of a scalar", "a:\n  <<: 1\n", 2, 7,
      "expected a mapping or list of mappings for merging, but found scalar", "'<<' merges" },
    { "merge list with a scalar", "b: &b {x: 1}\na: {<<: [*b, 2]}\n", 2, 14,
      "expected a mapping for merging, but found scalar", "'<<: [*a, *b]'" },
    { "sequence as a key", "? [a]\n: 1\n", 1, 3, "found unhashable key: a sequence cannot be a mapping key",
      "keys must be scalars" },
    { "invalid UTF-8", "a: \xc3\xa9\xff\n", 1, 5, "invalid leading UTF-8 octet 0xff",
      "save the file as UTF-8" },
    { "control character", "a: \xc3\xa9\x01\n", 1, 5, "control characters are not allowed (U+0001)",
      NULL },
    { "list on the key's line", "a: - b\n", 1, 4,
      "block sequence entries are not allowed in this context", "on its own line" },
    /* what PyYAML's constructors raise on fails the load too, as yaml.safe_load does */
    { "unknown tag", "x: [1, !foo bar]", 1, 8,
      "could not determine a constructor for the tag '!foo'", "gluec understands the tags" },
    { "unsupported standard tag", "x: !!binary aGk=", 1, 4,
      "could not determine a constructor for the tag '!!binary'", "!!timestamp (kept as text)" },
    { "scalar tag on a sequence", "x: !!str [1]", 1, 4,
      "expected a scalar node, but found sequence", NULL },
    { "0b_ resolves to int but has no digits", "x: 0b_", 1, 4,
      "invalid literal for int(): '0b_'", NULL },
    { "!!int rejects 1.5", "x: !!int \"1.5\"", 1, 4, "invalid literal for int(): '1.5'", NULL },
    { "!!float rejects abc", "x: !!float abc", 1, 4, "could not convert string to float: 'abc'",
      NULL },
    { "!!bool rejects maybe", "x: !!bool maybe", 1, 4, "invalid boolean 'maybe'", "yes/no" },
    { "a plain << as a value", "x: <<", 1, 4,
      "could not determine a constructor for the tag 'tag:yaml.org,2002:merge'", "merge key" },
    { "a plain = as a value", "x: =", 1, 4,
      "could not determine a constructor for the tag 'tag:yaml.org,2002:value'", "value key" },
    { "a bad value later replaced by a repeated key", "a: !foo 1\na: 2\n", 1, 4,
      "could not determine a constructor for the tag '!foo'", "gluec understands the tags" },
};

static void s_error_is(const err_case *c)
{
    gl_diag err = { 0 };
    gl_source *esrc = NULL;
    gl_ydoc *doc = gl_yaml_load(s_src(c->text, strlen(c->text)), &err, &esrc);
    bool ok = !doc && esrc && err.src == esrc && err.severity == GL_SEV_ERROR && err.message;
    if (ok) {
        uint32_t line, col;
        gl_source_position(esrc, err.span.start, &line, &col);
        ok = line == c->line && col == c->col && strcmp(err.message, c->message) == 0 &&
             (c->hint ? err.hint && strstr(err.hint, c->hint) : !err.hint);
        if (!ok) {
            printf("#   got:\n");
            gl_diag_print(stdout, &err);
        }
    }
    tap_ok(ok, c->name);
    gl_ydoc_free(doc);
    gl_diag_clear(&err);
    gl_source_free(esrc);
}

/* The whole diagnostic, as the user sees it: UTF-8 before the caret, which is placed in
 * code points from the byte offset. */
static void s_test_printed(void)
{
    const char *text = "a: \xc3\xa9\xc3\xa9\n\xc3\xa9: \xc3\xbc: x\n";
    gl_diag err = { 0 };
    gl_source *esrc = NULL;
    gl_ydoc *doc = gl_yaml_load(s_src(text, strlen(text)), &err, &esrc);
    char *out = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&out, &n);
    if (!doc) gl_diag_print(f, &err);
    fclose(f);
    tap_is(out,
           "t.yml:2:5: error: mapping values are not allowed in this context\n"
           "    2 | \xc3\xa9: \xc3\xbc: x\n"
           "      |     ^\n"
           "      = hint: a plain value cannot contain ': '; put the value in quotes\n",
           "a printed diagnostic after UTF-8 text");
    tap_ok(err.span.start == 14, "its byte offset is 14 (libyaml's mark index counts 10 characters)");
    free(out);
    gl_diag_clear(&err);
    gl_source_free(esrc);

    /* without err_src the source is freed and the error has no position */
    err = (gl_diag){ 0 };
    doc = gl_yaml_load(s_src("a: *x", 5), &err, NULL);
    tap_ok(!doc && err.src == NULL && err.message, "a NULL err_src gives a position-less error");
    gl_diag_clear(&err);
}

static void s_test_depth(void)
{
    gl_buf b;
    gl_buf_init(&b);
    for (int i = 0; i < GL_YAML_MAX_DEPTH; i++) gl_buf_addc(&b, '[');
    for (int i = 0; i < GL_YAML_MAX_DEPTH; i++) gl_buf_addc(&b, ']');
    gl_ydoc *doc = s_load(b.data);
    gl_value v;
    tap_ok(doc && s_to_value(doc, doc->root, &v), "nesting up to the cap loads and converts");
    gl_ydoc_free(doc);
    gl_buf_truncate(&b, 0);
    for (int i = 0; i <= GL_YAML_MAX_DEPTH; i++) gl_buf_addc(&b, '[');
    gl_diag err = { 0 };
    gl_source *esrc = NULL;
    doc = gl_yaml_load(s_src(b.data, b.len), &err, &esrc);
    tap_ok(!doc && err.message && strstr(err.message, "too deep") && err.span.start == GL_YAML_MAX_DEPTH,
           "one level more is an error at the bracket that opens it");
    gl_diag_clear(&err);
    gl_source_free(esrc);
    gl_buf_free(&b);
}

int main(void)
{
    gl_interner names;
    gl_intern_init(&names);
    gl_vm_init(&vm, &names);

    s_test_scalars();
    s_test_value_errors();
    s_test_merge();
    s_test_duplicates();
    s_test_spans();
    for (size_t i = 0; i < sizeof s_errors / sizeof s_errors[0]; i++) s_error_is(&s_errors[i]);
    s_test_printed();
    s_test_depth();

    gl_vm_free(&vm);
    gl_intern_free(&names);
    return tap_done();
}
