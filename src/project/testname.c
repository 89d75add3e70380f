/* src/project/testname.c - generic data test names exactly as dbt-core 1.10 forms them
 * (project layer, between YAML loading and node creation): the kwargs split out of a
 * test's YAML entry, the synthesized name, the hashed short file name, the model
 * argument and the unique id's hash suffix. The dbt functions each part follows are
 * named in testname.h and above each function. */
#include "project/testname.h"
#include <md5.h>
#include <stdint.h>
#include <string.h>

enum {
    S_LONG_NAME = 64,       /* synthesize_generic_test_names: len(full_name) >= 64 */
    S_ID_KEEP = 30,         /* ... keeps test_identifier[:30] */
    S_HASH_KEEP = 10,       /* create_test_node: HASH_LENGTH, the md5's tail */
    S_MAX_DEPTH = 100       /* nesting followed by get_hashable_md before str() */
};

/* TestBuilder.CONFIG_ARGS: keys popped out of the arguments as configs. */
static const char *const s_config_args[] = {
    "severity", "tags", "enabled", "where", "limit", "warn_if", "error_if", "fail_calc",
    "store_failures", "store_failures_as", "meta", "database", "schema", "alias", NULL
};

void gl_md5_hex(const void *data, size_t len, char hex[33])
{
    MD5Data(data, len, hex);    /* libmd: lowercase hex, NUL-terminated */
}

/* ------------------------------------------------------------- splitting the entry */

static gl_value s_dict_copy(gl_vm *vm, const gl_dict *src)
{
    gl_value d = gl_dict_new(vm);
    for (uint32_t i = 0; i < src->nentries; i++)
        if (src->entries[i].live) gl_dict_set(vm, d.u.dict, src->entries[i].key, src->entries[i].value);
    return d;
}

/* dict.pop(key, missing) */
static gl_value s_pop(gl_dict *d, const char *key)
{
    gl_value v = gl_missing();
    gl_dict_del(d, gl_cstr(key), &v);
    return v;
}

/* TestArgsNotDictError: "test arguments must be a dict, got <class 'list'> (value [...])" */
static void s_not_dict(gl_vm *vm, gl_value args, gl_buf *err)
{
    gl_buf_printf(err, "test arguments must be a dict, got <class '%s'> (value ", gl_type_name(args));
    gl_str_of(vm, args, err);
    gl_buf_addc(err, ')');
}

/* extract_test_args with require_generic_test_arguments_property: {**args, **arguments} */
static gl_value s_merge_arguments(gl_vm *vm, gl_value d)
{
    gl_value arguments = s_pop(d.u.dict, "arguments");
    if (arguments.kind != GL_DICT) return d;
    const gl_dict *a = arguments.u.dict;
    for (uint32_t i = 0; i < a->nentries; i++)
        if (a->entries[i].live) gl_dict_set(vm, d.u.dict, a->entries[i].key, a->entries[i].value);
    return d;
}

bool gl_test_args_split(gl_vm *vm, gl_value args, const char *column_name,
                        bool arguments_property, gl_test_args *out, gl_buf *err)
{
    out->kwargs = gl_missing();
    out->name = out->description = gl_missing();
    if (args.kind != GL_DICT) {
        s_not_dict(vm, args, err);
        return false;
    }
    gl_value d = s_dict_copy(vm, args.u.dict);
    if (column_name)
        gl_dict_set_cstr(vm, d.u.dict, "column_name", gl_str_copy(vm, column_name, strlen(column_name)));
    if (arguments_property) d = s_merge_arguments(vm, d);
    gl_value model;
    if (gl_dict_get_cstr(d.u.dict, "model", &model)) {
        gl_buf_adds(err, "Test arguments include \"model\", which is a reserved argument");
        return false;
    }
    for (const char *const *k = s_config_args; *k; k++) s_pop(d.u.dict, *k);
    s_pop(d.u.dict, "config");
    out->description = s_pop(d.u.dict, "description");
    out->name = s_pop(d.u.dict, "name");
    out->kwargs = d;
    return true;
}

/* ------------------------------------------------------------------ the test name */

static const char *s_text(const char *s) { return s ? s : ""; }   /* a missing field */

static bool s_ident_start(char c) { return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool s_word(char c) { return s_ident_start(c) || (c >= '0' && c <= '9'); }

/* [a-zA-Z_][0-9a-zA-Z_]* at s: its length, 0 when none */
static size_t s_ident_len(const char *s)
{
    if (!s_ident_start(s[0])) return 0;
    size_t n = 1;
    while (s_word(s[n])) n++;
    return n;
}

bool gl_test_split_name(const char *written, const char **ns, size_t *ns_len,
                        const char **name, size_t *name_len)
{
    size_t first = s_ident_len(written);
    *ns = NULL;
    *ns_len = 0;
    if (first == 0) return false;
    size_t second = written[first] == '.' ? s_ident_len(written + first + 1) : 0;
    if (second == 0) {          /* the optional "namespace." group backtracks away */
        *name = written;
        *name_len = first;
        return true;
    }
    *ns = written;
    *ns_len = first;
    *name = written + first + 1;
    *name_len = second;
    return true;
}

/* The namespace (or NULL) and bare name of t's test. */
static void s_test_parts(const gl_test_naming *t, gl_value *ns, gl_value *name)
{
    const char *n, *s;
    size_t nlen, slen;
    if (!gl_test_split_name(t->test_name, &s, &slen, &n, &nlen)) {
        s = NULL;
        n = t->test_name;
        nlen = strlen(n);
    }
    if (!s && t->package) {
        s = t->package;
        slen = strlen(s);
    }
    *ns = s ? gl_str(s, slen) : gl_none();
    *name = gl_str(n, nlen);
}

/* get_synthetic_test_names + synthesize_generic_test_names' test_identifier:
 * "[<ns>_][source_]<test>_<target>[_v<version>]" */
static void s_test_identifier(const gl_test_naming *t, gl_buf *out)
{
    gl_value ns, name;
    s_test_parts(t, &ns, &name);
    if (ns.kind == GL_STR) {
        gl_buf_add(out, ns.u.s, ns.len);
        gl_buf_addc(out, '_');
    }
    if (t->on_source) gl_buf_adds(out, "source_");
    gl_buf_add(out, name.u.s, name.len);
    gl_buf_addc(out, '_');
    if (t->target_name) gl_buf_adds(out, t->target_name);
    else gl_buf_printf(out, "%s_%s", s_text(t->source_name), s_text(t->table_name));
    if (t->version && !t->on_source) gl_buf_printf(out, "_v%s", t->version);
}

/* Key order of Python's sorted(): strings by code point (UTF-8 byte order), numbers by
 * value. Python raises TypeError on keys of mixed types; here they sort by kind. */
static int s_key_cmp(gl_vm *vm, gl_value a, gl_value b)
{
    if (a.kind == GL_STR && b.kind == GL_STR) {
        size_t n = a.len < b.len ? a.len : b.len;
        int c = memcmp(a.u.s, b.u.s, n);
        return c ? c : (a.len > b.len) - (a.len < b.len);
    }
    if (gl_is_number(a) && gl_is_number(b)) {
        gl_span at = { 0, 0 };
        return gl_compare(vm, a, b, "<", at);
    }
    return (int)a.kind - (int)b.kind;
}

/* The live entries of d in sorted key order (an arena array of *n indexes): a stable
 * insertion sort, as argument dicts are small. */
static uint32_t *s_sorted_entries(gl_vm *vm, const gl_dict *d, uint32_t *n)
{
    uint32_t *ix = gl_vm_alloc(vm, (d->count ? d->count : 1) * sizeof *ix);
    uint32_t k = 0;
    for (uint32_t i = 0; i < d->nentries; i++) {
        if (!d->entries[i].live) continue;
        uint32_t j = k++;
        while (j > 0 && s_key_cmp(vm, d->entries[ix[j - 1]].key, d->entries[i].key) > 0) {
            ix[j] = ix[j - 1];
            j--;
        }
        ix[j] = i;
    }
    *n = k;
    return ix;
}

/* re.sub("[^0-9a-zA-Z_]+", "_", s) appended to out */
static void s_clean(const char *s, size_t len, gl_buf *out)
{
    for (size_t i = 0; i < len;) {
        if (s_word(s[i])) {
            gl_buf_addc(out, s[i++]);
            continue;
        }
        while (i < len && !s_word(s[i])) i++;
        gl_buf_addc(out, '_');
    }
}

/* One flattened part: str(part), cleaned, after "__" unless it is the first. */
static void s_add_part(gl_vm *vm, gl_value part, gl_buf *scratch, bool *first, gl_buf *out)
{
    gl_buf_truncate(scratch, 0);
    gl_str_of(vm, part, scratch);
    if (!*first) gl_buf_add(out, "__", 2);
    *first = false;
    s_clean(scratch->data ? scratch->data : "", scratch->len, out);
}

/* One argument's parts: a dict's values (insertion order), a list's or tuple's items,
 * or the value itself. */
static void s_add_arg(gl_vm *vm, gl_value v, gl_buf *scratch, bool *first, gl_buf *out)
{
    if (v.kind == GL_DICT) {
        const gl_dict *d = v.u.dict;
        for (uint32_t j = 0; j < d->nentries; j++)
            if (d->entries[j].live) s_add_part(vm, d->entries[j].value, scratch, first, out);
    } else if (gl_is_seq(v)) {
        for (uint32_t j = 0; j < v.u.list->len; j++) s_add_part(vm, v.u.list->items[j], scratch, first, out);
    } else {
        s_add_part(vm, v, scratch, first, out);
    }
}

/* synthesize_generic_test_names' `unique`: per argument in key order, but "model", its
 * dict values, list items or the value itself, each str()'d and cleaned, joined by "__". */
static void s_flat_args(gl_vm *vm, gl_value kwargs, gl_buf *out)
{
    if (kwargs.kind != GL_DICT) return;
    const gl_dict *d = kwargs.u.dict;
    uint32_t n;
    uint32_t *ix = s_sorted_entries(vm, d, &n);
    gl_buf scratch;
    gl_buf_init(&scratch);
    bool first = true;
    for (uint32_t i = 0; i < n; i++) {
        const gl_dict_entry *e = &d->entries[ix[i]];
        if (gl_equal(e->key, gl_cstr("model"))) continue;
        s_add_arg(vm, e->value, &scratch, &first, out);
    }
    gl_buf_free(&scratch);
}

void gl_test_names(gl_vm *vm, const gl_test_naming *t, gl_buf *name, gl_buf *file)
{
    if (t->custom_name) {       /* TestBuilder.__init__: compiled_name = fqn_name = name */
        gl_buf_adds(name, t->custom_name);
        gl_buf_adds(file, t->custom_name);
        return;
    }
    gl_buf full;
    gl_buf_init(&full);
    s_test_identifier(t, &full);
    size_t ident_len = full.len;
    gl_buf_addc(&full, '_');
    s_flat_args(vm, t->kwargs, &full);
    gl_buf_add(name, full.data, full.len);
    if (gl_utf8_count(full.data, full.len) >= S_LONG_NAME) {
        char hex[33];
        gl_md5_hex(full.data, full.len, hex);
        gl_buf_add(file, full.data, gl_utf8_offset(full.data, ident_len, S_ID_KEEP));
        gl_buf_addc(file, '_');
        gl_buf_add(file, hex, 32);
    } else {
        gl_buf_add(file, full.data, full.len);
    }
    gl_buf_free(&full);
}

/* ---------------------------------------------------------------- the unique id */

void gl_test_model_arg(const gl_test_naming *t, gl_buf *out)
{
    gl_buf_adds(out, "{{ get_where_subquery(");
    const char *model = s_text(t->target_name);
    if (t->on_source) gl_buf_printf(out, "source('%s', '%s')", s_text(t->source_name), s_text(t->table_name));
    else if (t->version) gl_buf_printf(out, "ref('%s', version='%s')", model, t->version);
    else gl_buf_printf(out, "ref('%s')", model);
    gl_buf_adds(out, ") }}");
}

/* create_test_node's get_hashable_md: dicts (exactly dict) key-sorted, lists (exactly
 * list, not tuple) kept, anything else str(). */
static gl_value s_hashable(gl_vm *vm, gl_value v, int depth)
{
    if (depth < S_MAX_DEPTH && v.kind == GL_DICT) {
        uint32_t n;
        uint32_t *ix = s_sorted_entries(vm, v.u.dict, &n);
        gl_value d = gl_dict_new(vm);
        for (uint32_t i = 0; i < n; i++) {
            const gl_dict_entry *e = &v.u.dict->entries[ix[i]];
            gl_dict_set(vm, d.u.dict, e->key, s_hashable(vm, e->value, depth + 1));
        }
        return d;
    }
    if (depth < S_MAX_DEPTH && v.kind == GL_LIST && !(v.flags & GL_F_GENERATOR)) {
        gl_value l = gl_list_new(vm, v.u.list->len);
        for (uint32_t i = 0; i < v.u.list->len; i++)
            gl_list_push(vm, l.u.list, s_hashable(vm, v.u.list->items[i], depth + 1));
        return l;
    }
    return gl_to_str(vm, v);
}

/* parse_generic_test's test_metadata: {"namespace", "name", "kwargs" (with model)} */
static gl_value s_metadata(gl_vm *vm, const gl_test_naming *t)
{
    gl_value kwargs = t->kwargs.kind == GL_DICT ? s_dict_copy(vm, t->kwargs.u.dict) : gl_dict_new(vm);
    gl_buf model;
    gl_buf_init(&model);
    gl_test_model_arg(t, &model);
    gl_dict_set_cstr(vm, kwargs.u.dict, "model", gl_str_from_buf(vm, &model));
    gl_buf_free(&model);
    gl_value ns, name;
    s_test_parts(t, &ns, &name);
    gl_value md = gl_dict_new(vm);
    gl_dict_set_cstr(vm, md.u.dict, "namespace", ns);
    gl_dict_set_cstr(vm, md.u.dict, "name", name);
    gl_dict_set_cstr(vm, md.u.dict, "kwargs", kwargs);
    return md;
}

void gl_test_unique_suffix(gl_vm *vm, const gl_test_naming *t, const char *name, gl_buf *out)
{
    gl_buf text;                /* "".join([name, repr(get_hashable_md(test_metadata))]) */
    gl_buf_init(&text);
    gl_buf_adds(&text, name);
    gl_repr(vm, s_hashable(vm, s_metadata(vm, t), 0), &text);
    char hex[33];
    gl_md5_hex(text.data, text.len, hex);
    gl_buf_add(out, hex + 32 - S_HASH_KEEP, S_HASH_KEEP);   /* md5(...)[-HASH_LENGTH:] */
    gl_buf_free(&text);
}
