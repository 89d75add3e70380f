/* src/project/generic.c - generic data tests (project layer): each test a properties
 * file declares (under a model, seed, snapshot or source table, or one of its columns)
 * becomes a test node named, pathed and identified exactly as dbt names it, with the
 * test macro's keyword arguments and its config. The node's template is the one dbt
 * gives it: {{ test_<name>(**_dbt_generic_test_kwargs) }}. */
#include "project/load.h"
#include "project/testname.h"
#include <string.h>

/* The test's written name and its argument value, from `- unique` or `- name: {...}`. */
static bool s_entry(gl_project *p, const gl_testspec *t, const char **name, gl_value *args)
{
    const gl_ynode *e = t->test;
    if (e->kind == GL_Y_SCALAR) {
        *name = e->text;
        *args = gl_dict_new(&p->vm);
        return true;
    }
    if (e->kind == GL_Y_MAP && e->n == 1 && e->keys[0]->kind == GL_Y_SCALAR) {
        *name = e->keys[0]->text;
        *args = gl_load_value(p, t->doc, e->vals[0], false);
        return true;
    }
    gl_load_error_at(p, t->doc, e, "write `- not_null` or `- accepted_values: {values: [...]}`",
                     "a test entry must name one test");
    return false;
}

/* The test's config: config keys written beside the arguments, then its config: block,
 * Jinja in them rendered as dbt's TestBuilder renders it. */
static gl_value s_config(gl_project *p, const gl_testspec *t, gl_value args)
{
    static const char *const keys[] = { "severity", "tags", "enabled", "where", "limit", "warn_if",
                                        "error_if", "fail_calc", "store_failures", "store_failures_as",
                                        "meta", "database", "schema", "alias", NULL };
    gl_vm *vm = &p->vm;
    gl_value cfg = gl_dict_new(vm), v;
    if (args.kind != GL_DICT) return cfg;
    for (const char *const *k = keys; *k; k++)
        if (gl_dict_get_cstr(args.u.dict, *k, &v)) gl_config_apply(vm, cfg.u.dict, gl_cstr(*k), v);
    if (gl_dict_get_cstr(args.u.dict, "config", &v) && v.kind == GL_DICT) gl_config_apply_dict(vm, cfg.u.dict, v);
    return gl_load_render_tree(p, t->doc, t->test, cfg);
}

/* The column a test sits under, as the adapter quotes it when quote: true. */
static const char *s_column(gl_project *p, const gl_testspec *t)
{
    const gl_ynode *name = t->column ? gl_ymap_get(t->column, "name") : NULL;
    if (!name || name->kind != GL_Y_SCALAR) return NULL;
    const gl_ynode *quote = gl_ymap_get(t->column, "quote");
    if (quote && gl_yscalar_kind(quote) == GL_YS_BOOL && gl_yscalar_bool(quote))
        return gl_load_strf(p, "`%s`", name->text);
    return name->text;
}

/* Tests of one macro declared in one file share the template that calls it. */
static gl_template *s_test_template(gl_project *p, const char *path, const char *raw)
{
    gl_vm *vm = &p->vm;
    gl_value key = gl_vm_strf(vm, "%s\n%s", path, raw), at;
    if (!p->test_templates) p->test_templates = gl_dict_new(vm).u.dict;
    if (gl_dict_get(p->test_templates, key, &at)) return (gl_template *)(uintptr_t)at.u.i;
    gl_template *t = gl_load_inline_template(p, path, raw);
    if (t) gl_dict_set(vm, p->test_templates, key, gl_int((int64_t)(uintptr_t)t));
    return t;
}

static void s_build_one(gl_project *p, const gl_testspec *t)
{
    gl_vm *vm = &p->vm;
    const char *written;
    gl_value args;
    if (!s_entry(p, t, &written, &args)) return;
    const char *column = s_column(p, t);
    gl_test_args split;
    gl_buf err;
    gl_buf_init(&err);
    if (!gl_test_args_split(vm, args, column, true, &split, &err)) {
        gl_load_error_at(p, t->doc, t->test, NULL, "%s", err.data ? err.data : "bad test arguments");
        gl_buf_free(&err);
        return;
    }
    gl_buf_free(&err);
    const gl_dnode *target = t->target;
    gl_test_naming nm = {0};
    nm.test_name = written;
    nm.kwargs = split.kwargs;
    if (target->type == GL_RT_SOURCE) {
        nm.on_source = true;
        nm.source_name = target->source_name;
        nm.table_name = target->name;
    } else {
        nm.target_name = target->name;
        nm.version = target->version;
    }
    if (split.name.kind != GL_MISSING) {
        gl_value cn = gl_to_str(vm, split.name);
        nm.custom_name = gl_load_str(p, cn.u.s, cn.len);
    }
    gl_buf name, file, suffix, model;
    gl_buf_init(&name);
    gl_buf_init(&file);
    gl_buf_init(&suffix);
    gl_buf_init(&model);
    gl_test_names(vm, &nm, &name, &file);
    gl_test_unique_suffix(vm, &nm, name.data, &suffix);
    gl_test_model_arg(&nm, &model);
    gl_dnode *n = gl_load_add_node(p, t->pkg, GL_RT_TEST, gl_load_str(p, name.data, name.len), t->file, NULL);
    n->unique_id = gl_load_strf(p, "test.%s.%s.%s", t->pkg->name, name.data, suffix.data);
    n->compiled_path = gl_load_strf(p, "%s/%s.sql", t->file, file.data);
    n->alias = gl_load_str(p, file.data, file.len);
    n->props_doc = t->doc;
    n->test_owner = t->target;
    n->test_entry = t->test;
    gl_load_fqn(p, n, t->dirs, n->name);
    const char *ns;
    size_t nslen;
    const char *tn;
    size_t tnlen;
    if (!gl_test_split_name(written, &ns, &nslen, &tn, &tnlen)) { tn = written; tnlen = strlen(written); ns = NULL; }
    n->test_macro = ns ? gl_load_strf(p, "%.*s.test_%.*s", (int)nslen, ns, (int)tnlen, tn)
                       : gl_load_strf(p, "test_%.*s", (int)tnlen, tn);
    gl_value kwargs = gl_dict_new(vm);
    for (uint32_t i = 0; i < split.kwargs.u.dict->nentries; i++)
        if (split.kwargs.u.dict->entries[i].live)
            gl_dict_set(vm, kwargs.u.dict, split.kwargs.u.dict->entries[i].key, split.kwargs.u.dict->entries[i].value);
    gl_dict_set_cstr(vm, kwargs.u.dict, "model", gl_str_copy(vm, model.data, model.len));
    n->test_kwargs = kwargs;
    n->file_config = s_config(p, t, args);
    const char *raw = gl_load_strf(p, "{{ %s(**_dbt_generic_test_kwargs) }}", n->test_macro);
    gl_load_checksum(n, raw, strlen(raw));
    n->tpl = s_test_template(p, t->doc->src->path, raw);
    gl_buf_free(&name);
    gl_buf_free(&file);
    gl_buf_free(&suffix);
    gl_buf_free(&model);
}

void gl_generic_tests_build(gl_project *p)
{
    uint32_t before = p->nnodes;
    for (uint32_t i = 0; i < p->ntests; i++) s_build_one(p, &p->tests[i]);
    if (p->nnodes != before) gl_project_reindex(p);
}
