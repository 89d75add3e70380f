/* src/codegen/context.c - dbt's Jinja context for a node (codegen layer): ref, source,
 * config, var, env_var, this, target, model, adapter (dispatch, quote), return,
 * exceptions, log/print, tojson/fromjson, zip, set, is_incremental, execute, and the
 * macros visible from the node's package (own package > root project > gluec's
 * library), every package also reachable by name (pkg.macro()). */
#include "codegen/api.h"
#include "codegen/compile.h"
#include "codegen/relation.h"
#include "jinja/datetime.h"

/* run_started_at and modules.datetime's now(): one fixed instant (epoch seconds), so
 * plans never depend on the clock. */
enum { GL_RUN_STARTED_AT = 0 };
#include "jinja/eval.h"
#include "jinja/json.h"
#include "jinja/pyre.h"
#include "jinja/toyaml.h"
#include "project/load.h"
#include "project/testname.h"
#include "util/suggest.h"
#include <stdlib.h>
#include <string.h>

static gl_compile *s_c(gl_func *f) { return f->data; }

static char *s_cstr(gl_vm *vm, gl_value v) { return gl_arena_strndup(&vm->arena, v.u.s, v.len); }

static void s_need_str(gl_vm *vm, gl_value v, const char *fn, const gl_args *a)
{
    if (v.kind != GL_STR) gl_vm_error(vm, GL_ERR_TYPE, a->span, "%s() takes names as strings, not %s", fn, gl_type_name(v));
}

/* ---------------------------------------------------------------- ref and source */

/* "<type>.<package>.<name>[.v<version>]" without printf (this is hot), looked up. */
static long s_find_uid(gl_project *p, gl_rtype type, const char *pkg, const char *name, const char *version)
{
    char uid[512];
    const char *parts[4] = { gl_rtype_name(type), pkg, name, version };
    size_t len = 0;
    for (int i = 0; i < 4 && parts[i]; i++) {
        size_t n = strlen(parts[i]);
        if (len + n + 3 > sizeof uid) return -1;
        if (i) uid[len++] = '.';
        if (i == 3) uid[len++] = 'v';
        memcpy(uid + len, parts[i], n);
        len += n;
    }
    uid[len] = '\0';
    return gl_project_find(p, uid);
}

/* A model, seed or snapshot of a package; a versioned model answers with the version
 * asked for, else its latest. */
static long s_find_in(gl_project *p, gl_rtype type, const char *pkg, const char *name, const char *version)
{
    if (type != GL_RT_MODEL) return s_find_uid(p, type, pkg, name, NULL);
    if (version) return s_find_uid(p, type, pkg, name, version);
    long at = s_find_uid(p, type, pkg, name, NULL);
    const char *latest = at < 0 ? gl_project_latest_version(p, pkg, name) : NULL;
    return latest ? s_find_uid(p, type, pkg, name, latest) : at;
}

/* ref(..., version=2) as the text of a version ("2", "1.5"). */
static const char *s_version_text(gl_project *p, gl_value v)
{
    if (v.kind == GL_MISSING || v.kind == GL_NONE || v.kind == GL_UNDEFINED) return NULL;
    gl_value s = gl_to_str(&p->vm, v);
    return gl_arena_strndup(&p->vm.arena, s.u.s, s.len);
}

long gl_context_resolve_ref(gl_compile *c, const gl_dnode *from, const char *pkg, const char *name, gl_value version)
{
    gl_project *p = c->p;
    const char *ver = s_version_text(p, version);
    static const gl_rtype kinds[] = { GL_RT_MODEL, GL_RT_SEED, GL_RT_SNAPSHOT };
    const char *order[2] = { p->pkgs[0]->name, from->pkg->name };
    for (int k = 0; k < 3; k++) {
        if (pkg) {
            long at = s_find_in(p, kinds[k], pkg, name, ver);
            if (at >= 0) return at;
            continue;
        }
        for (int o = 0; o < 2; o++) {
            long at = s_find_in(p, kinds[k], order[o], name, ver);
            if (at >= 0) return at;
        }
        for (uint32_t i = 0; i < p->npkgs; i++) {
            long at = s_find_in(p, kinds[k], p->pkgs[i]->name, name, ver);
            if (at >= 0) return at;
        }
    }
    return -1;
}

long gl_context_resolve_source(gl_compile *c, const gl_dnode *from, const char *src, const char *table)
{
    gl_project *p = c->p;
    const char *order[2] = { p->pkgs[0]->name, from->pkg->name };
    for (int o = 0; o < 2; o++) {
        long at = gl_project_find(p, gl_load_strf(p, "source.%s.%s.%s", order[o], src, table));
        if (at >= 0) return at;
    }
    for (uint32_t i = 0; i < p->npkgs; i++) {
        long at = gl_project_find(p, gl_load_strf(p, "source.%s.%s.%s", p->pkgs[i]->name, src, table));
        if (at >= 0) return at;
    }
    return -1;
}

/* Where a ref/source call is reported: the call, or for a generic test (whose template
 * gluec wrote) the test's entry in its properties file. */
static void s_call_site(gl_compile *c, const gl_args *a, const gl_source **src, gl_span *span)
{
    const gl_dnode *n = c->node;
    if (n && n->test_entry && n->props_doc) {
        *src = n->props_doc->src;
        *span = n->test_entry->span;
        return;
    }
    *src = c->p->vm.src;
    *span = a->span;
}

static void s_record(gl_compile *c, const gl_args *a, const char *pkg, const char *name, const char *table,
                     gl_value version)
{
    gl_dnode *n = c->node;
    if (n->ndeps == n->capdeps) {
        uint32_t cap = n->capdeps ? n->capdeps * 2 : 4;
        n->deps = gl_arena_grow(&c->p->vm.arena, n->deps, n->ndeps * sizeof *n->deps, cap * sizeof *n->deps);
        n->capdeps = cap;
    }
    gl_dep *d = &n->deps[n->ndeps++];
    d->package = pkg;
    d->name = name;
    d->table = table;
    d->version = version;
    d->target = UINT32_MAX;
    s_call_site(c, a, &d->src, &d->span);
}

/* One quoting policy level: schema/identifier booleans of a YAML mapping or dict. */
static void s_quote_yaml(const gl_ynode *q, gl_relation *r)
{
    const gl_ynode *v;
    if (!q || q->kind != GL_Y_MAP) return;
    if ((v = gl_ymap_get(q, "schema")) && gl_yscalar_kind(v) == GL_YS_BOOL) r->quote_schema = gl_yscalar_bool(v);
    if ((v = gl_ymap_get(q, "identifier")) && gl_yscalar_kind(v) == GL_YS_BOOL) r->quote_identifier = gl_yscalar_bool(v);
}

/* The quoting policy of a relation: the root project's quoting:, then the node's
 * quoting config, or for a source its source and table quoting: entries. */
static void s_quoting(gl_compile *c, const gl_dnode *t, gl_relation *r)
{
    const gl_pkg *root = c->p->pkgs[0];
    if (root->yml) s_quote_yaml(gl_ymap_get(root->yml->root, "quoting"), r);
    if (t->type == GL_RT_SOURCE) {
        s_quote_yaml(t->source_props ? gl_ymap_get(t->source_props, "quoting") : NULL, r);
        s_quote_yaml(t->props ? gl_ymap_get(t->props, "quoting") : NULL, r);
        return;
    }
    /* dbt: nodes have no quoting attribute, so only the project's policy applies */
}

gl_value gl_context_relation(gl_compile *c, const gl_dnode *t)
{
    gl_relation *r = gl_vm_alloc(&c->p->vm, sizeof *r);
    memset(r, 0, sizeof *r);
    s_quoting(c, t, r);
    r->database = t->database;
    r->schema = t->schema;
    r->identifier = t->type == GL_RT_SOURCE ? t->identifier : t->alias;
    r->ephemeral = t->ephemeral;
    r->type = t->ephemeral ? "cte" : NULL;   /* dbt knows a type only from the catalog */
    return gl_relation_value(&c->p->vm, r);
}

static void s_add_cte(gl_compile *c, uint32_t at)
{
    for (uint32_t i = 0; i < c->nctes; i++) if (c->ctes[i] == at) return;
    if (c->nctes == c->capctes) {
        c->capctes = c->capctes ? c->capctes * 2 : 8;
        c->ctes = gl_xrealloc(c->ctes, c->capctes * sizeof *c->ctes);
    }
    c->ctes[c->nctes++] = at;
}

static void s_suggest(gl_compile *c, gl_suggest *sg, const char *name, gl_rtype kind)
{
    gl_suggest_init(sg, name, strlen(name));
    for (uint32_t i = 0; i < c->p->nnodes; i++) {
        const gl_dnode *n = c->p->nodes[i];
        bool refable = n->type == GL_RT_MODEL || n->type == GL_RT_SEED || n->type == GL_RT_SNAPSHOT;
        if (kind == GL_RT_SOURCE && n->type == GL_RT_SOURCE) {
            const char *full = gl_load_strf(c->p, "%s.%s", n->source_name, n->name);
            gl_suggest_offer(sg, full, strlen(full));
        } else if (kind != GL_RT_SOURCE && refable) {
            gl_suggest_offer(sg, n->name, strlen(n->name));
        }
    }
}

/* A ref/source that names nothing: reported at the call, with a did-you-mean. */
static void s_report_missing(gl_compile *c, gl_vm *vm, const gl_args *a, const char *name, gl_rtype kind)
{
    gl_suggest sg;
    s_suggest(c, &sg, name, kind);
    gl_buf hint;
    gl_buf_init(&hint);
    if (sg.best) gl_buf_printf(&hint, "did you mean '%.*s'?", (int)sg.best_len, sg.best);
    const gl_source *src;
    gl_span span;
    s_call_site(c, a, &src, &span);
    (void)vm;
    gl_diags_add(&c->p->diags, GL_SEV_ERROR, src, span, hint.data, "no %s named '%s'",
                 kind == GL_RT_SOURCE ? "source" : "model, seed or snapshot", name);
    gl_buf_free(&hint);
    c->node->failed = true;
}

_Noreturn static void s_missing(gl_compile *c, gl_vm *vm, const gl_args *a, const char *what, const char *name,
                                gl_rtype kind)
{
    gl_suggest sg;
    s_suggest(c, &sg, name, kind);
    if (sg.best) gl_vm_hint(vm, "did you mean '%.*s'?", (int)sg.best_len, sg.best);
    gl_vm_error(vm, GL_ERR_RUNTIME, a->span, "%s '%s' was not found", what, name);
}

/* dbt's RefBadContextError: a ref the parse did not see (it sat in a branch that only
 * runs when execute is true) leaves the DAG without that edge. */
static void s_check_inferred(gl_compile *c, gl_vm *vm, const gl_args *a, uint32_t at, const char *name)
{
    const gl_dnode *n = c->node;
    if (!n->unique_id || !strncmp(n->unique_id, "sql_operation.", 14)) return;   /* compile --inline */
    for (uint32_t i = 0; i < n->ndeps; i++)
        if (n->deps[i].target == at) return;
    gl_vm_hint(vm, "dbt found this ref only at run time; add a comment the parse sees: -- depends_on: {{ ref('%s') }}",
               name);
    gl_vm_error(vm, GL_ERR_RUNTIME, a->span, "dbt was unable to infer all dependencies for %s '%s'",
                gl_rtype_name(n->type), n->name);
}

static gl_value s_ref(gl_vm *vm, gl_func *f, const gl_args *a)
{
    gl_compile *c = s_c(f);
    gl_value version = gl_missing();
    for (uint32_t k = 0; k < a->nkw; k++) {
        const char *kw = a->kw_names[k]->str;
        if (!strcmp(kw, "version") || !strcmp(kw, "v")) version = a->kw[k];
        else gl_vm_error(vm, GL_ERR_TYPE, a->span, "ref() got an unexpected keyword argument '%s'", kw);
    }
    if (a->npos < 1 || a->npos > 2)
        gl_vm_error(vm, GL_ERR_TYPE, a->span, "ref() takes 1 or 2 arguments (%u given)", a->npos);
    for (uint32_t i = 0; i < a->npos; i++) s_need_str(vm, a->pos[i], "ref", a);
    const char *pkg = a->npos == 2 ? s_cstr(vm, a->pos[0]) : NULL;
    const char *name = s_cstr(vm, a->pos[a->npos - 1]);
    long at = gl_context_resolve_ref(c, c->node, pkg, name, version);
    if (c->parsing) {
        s_record(c, a, pkg, name, NULL, version);
        if (at < 0) {   /* reported here; the parse goes on with a stand-in */
            s_report_missing(c, vm, a, name, GL_RT_MODEL);
            gl_relation *r = gl_vm_alloc(vm, sizeof *r);
            memset(r, 0, sizeof *r);
            r->identifier = name;
            return gl_relation_value(vm, r);
        }
    }
    if (at < 0) s_missing(c, vm, a, "model", name, GL_RT_MODEL);
    if (!c->parsing) s_check_inferred(c, vm, a, (uint32_t)at, name);
    const gl_dnode *t = c->p->nodes[at];
    if (t->ephemeral && !c->parsing) s_add_cte(c, (uint32_t)at);
    return gl_context_relation(c, t);
}

static gl_value s_source(gl_vm *vm, gl_func *f, const gl_args *a)
{
    gl_compile *c = s_c(f);
    static const char *const names[] = { "source_name", "table_name", NULL };
    gl_value v[2];
    gl_args_bind(vm, a, "source", names, 2, v);
    s_need_str(vm, v[0], "source", a);
    s_need_str(vm, v[1], "source", a);
    const char *sname = s_cstr(vm, v[0]), *tname = s_cstr(vm, v[1]);
    long at = gl_context_resolve_source(c, c->node, sname, tname);
    if (c->parsing) {
        s_record(c, a, NULL, sname, tname, gl_missing());
        if (at < 0) {
            s_report_missing(c, vm, a, s_cstr(vm, gl_vm_strf(vm, "%s.%s", sname, tname)), GL_RT_SOURCE);
            gl_relation *r = gl_vm_alloc(vm, sizeof *r);
            memset(r, 0, sizeof *r);
            r->schema = sname;
            r->identifier = tname;
            return gl_relation_value(vm, r);
        }
    }
    if (at < 0) {
        gl_value full = gl_vm_strf(vm, "%s.%s", sname, tname);
        s_missing(c, vm, a, "source", s_cstr(vm, full), GL_RT_SOURCE);
    }
    return gl_context_relation(c, c->p->nodes[at]);
}

/* ---------------------------------------------------------------- config */

/* Fields of dbt's NodeConfig: config.get returns their value (None when unset) and
 * ignores the default; other keys fall back to the default (dbt-core behaviour). */
static const char *const s_declared[] = {
    "enabled", "alias", "schema", "database", "tags", "meta", "docs", "group", "materialized",
    "incremental_strategy", "batch_size", "lookback", "begin", "persist_docs", "post-hook",
    "pre-hook", "quoting", "column_types", "full_refresh", "unique_key", "on_schema_change",
    "on_configuration_change", "grants", "packages", "contract", "event_time",
    "concurrent_batches", NULL
};

static bool s_is_declared(gl_value key)
{
    for (const char *const *d = s_declared; *d; d++)
        if (key.kind == GL_STR && strlen(*d) == key.len && !memcmp(*d, key.u.s, key.len)) return true;
    return false;
}

/* The merged config (dbt's RuntimeConfigObject); hooks may be asked for as pre_hook. */
static bool s_config_lookup(gl_compile *c, gl_value key, gl_value *out)
{
    if (key.kind == GL_STR && key.len == 8 && !memcmp(key.u.s, "pre_hook", 8)) key = gl_cstr("pre-hook");
    if (key.kind == GL_STR && key.len == 9 && !memcmp(key.u.s, "post_hook", 9)) key = gl_cstr("post-hook");
    return gl_dict_get(c->node->config.u.dict, key, out);
}

static gl_value s_config_get(gl_vm *vm, gl_func *f, const gl_args *a)
{
    gl_compile *c = s_c(f);
    static const char *const names[] = { "name", "default", "validator", NULL };
    gl_value v[3], out;
    gl_args_bind(vm, a, "get", names, 1, v);
    if (c->parsing) return gl_str("", 0);   /* dbt's ParseConfigObject answers "" */
    if (s_config_lookup(c, v[0], &out) && (out.kind != GL_NONE || s_is_declared(v[0]))) return out;
    if (s_is_declared(v[0])) return gl_none();
    return v[1].kind == GL_MISSING ? gl_none() : v[1];
}

static gl_value s_config_require(gl_vm *vm, gl_func *f, const gl_args *a)
{
    gl_compile *c = s_c(f);
    static const char *const names[] = { "name", "validator", NULL };
    gl_value v[2], out;
    gl_args_bind(vm, a, "require", names, 1, v);
    if (c->parsing) return gl_str("", 0);
    if (s_config_lookup(c, v[0], &out) && out.kind != GL_NONE) return out;
    gl_buf *b = gl_vm_buf_get(vm);
    gl_str_of(vm, v[0], b);
    gl_vm_hint(vm, "set it with config(%s=...) in the model or +%s: in dbt_project.yml", b->data, b->data);
    gl_vm_error(vm, GL_ERR_RUNTIME, a->span, "required config key '%s' not found for %s", b->data, c->node->name);
}

/* config.persist_relation_docs() / persist_column_docs(): persist_docs.relation /
 * .columns (False while parsing, as dbt's parse-time config answers). */
static gl_value s_persist_docs(gl_vm *vm, gl_func *f, const gl_args *a, const char *which)
{
    gl_compile *c = s_c(f);
    static const char *const names[] = { NULL };
    gl_args_bind(vm, a, f->name, names, 0, NULL);
    gl_value pd, v;
    if (c->parsing || !s_config_lookup(c, gl_cstr("persist_docs"), &pd) || pd.kind == GL_NONE) return gl_bool(false);
    if (pd.kind != GL_DICT)
        gl_vm_error(vm, GL_ERR_RUNTIME, a->span, "Invalid value provided for 'persist_docs'. Expected dict but received %s",
                    gl_type_name(pd));
    return gl_dict_get_cstr(pd.u.dict, which, &v) ? v : gl_bool(false);
}

static gl_value s_persist_relation_docs(gl_vm *vm, gl_func *f, const gl_args *a)
{
    return s_persist_docs(vm, f, a, "relation");
}

static gl_value s_persist_column_docs(gl_vm *vm, gl_func *f, const gl_args *a)
{
    return s_persist_docs(vm, f, a, "columns");
}

static gl_value s_config_call(gl_vm *vm, gl_object *o, const gl_args *a)
{
    gl_compile *c = o->data;
    if (!c->parsing) return gl_str("", 0);
    gl_dict *cfg = c->node->file_config.u.dict;
    for (uint32_t i = 0; i < a->npos; i++) {
        if (a->pos[i].kind != GL_DICT)
            gl_vm_error(vm, GL_ERR_TYPE, a->span, "config() takes keyword arguments or one dict, not %s", gl_type_name(a->pos[i]));
        gl_config_apply_dict(vm, cfg, a->pos[i]);
    }
    for (uint32_t k = 0; k < a->nkw; k++)
        gl_config_apply(vm, cfg, gl_str(a->kw_names[k]->str, a->kw_names[k]->len), a->kw[k]);
    return gl_str("", 0);
}

static gl_value s_config_getattr(gl_vm *vm, gl_object *o, const char *name, size_t len)
{
    if (!vm) return gl_missing();
    if (len == 3 && !memcmp(name, "get", 3)) return gl_func_new(vm, "get", s_config_get, gl_missing(), o->data);
    if (len == 7 && !memcmp(name, "require", 7)) return gl_func_new(vm, "require", s_config_require, gl_missing(), o->data);
    if (len == 21 && !memcmp(name, "persist_relation_docs", 21))
        return gl_func_new(vm, "persist_relation_docs", s_persist_relation_docs, gl_missing(), o->data);
    if (len == 19 && !memcmp(name, "persist_column_docs", 19))
        return gl_func_new(vm, "persist_column_docs", s_persist_column_docs, gl_missing(), o->data);
    return gl_missing();
}

static void s_config_print(gl_vm *vm, gl_object *o, gl_buf *out)
{
    (void)vm;
    (void)o;
    gl_buf_adds(out, "<dbt config>");
}

static const gl_class s_config_class = { "Config", s_config_getattr, s_config_call, s_config_print };

/* ---------------------------------------------------------------- var */

/* dbt's precedence: --vars, the root project's block for the node's package, the root
 * project's global vars, then the package's own dbt_project.yml vars. */
static bool s_var_lookup(gl_compile *c, gl_value name, gl_value *out)
{
    gl_project *p = c->p;
    const gl_pkg *root = p->pkgs[0], *pkg = c->node ? c->node->pkg : root;
    if (gl_dict_get(p->cli_vars.u.dict, name, out)) return true;
    gl_value scoped;
    if (gl_dict_get(root->vars.u.dict, gl_cstr(pkg->name), &scoped) && scoped.kind == GL_DICT &&
        gl_dict_get(scoped.u.dict, name, out))
        return true;
    if (gl_dict_get(root->vars.u.dict, name, out) && !(out->kind == GL_DICT && name.kind == GL_STR &&
                                                       gl_project_pkg(p, s_cstr(&p->vm, name))))
        return true;
    if (pkg != root) {
        if (gl_dict_get(pkg->vars.u.dict, gl_cstr(pkg->name), &scoped) && scoped.kind == GL_DICT &&
            gl_dict_get(scoped.u.dict, name, out))
            return true;
        if (gl_dict_get(pkg->vars.u.dict, name, out)) return true;
    }
    return false;
}

/* A var written with Jinja ("{{ target.name }}_x") is rendered when var() reads it, in
 * the calling node's context, natively (dbt's Var.get_rendered_var). */
static gl_value s_render_var(gl_compile *c, gl_vm *vm, gl_value v)
{
    if (!gl_load_has_jinja(v)) return v;
    gl_template *t = gl_compile_template(c, "<var>", gl_arena_strndup(&vm->arena, v.u.s, v.len));
    if (!t) return v;   /* its syntax error is already a diagnostic: the compile fails */
    gl_value out;
    if (!gl_render_native(vm, t, c->node ? gl_context_node(c, c->node) : gl_dict_new(vm), &out))
        longjmp(vm->catch_top->jb, GL_JUMP_ERROR);   /* the var's own error, already in vm->error */
    return out;
}

static gl_value s_var(gl_vm *vm, gl_func *f, const gl_args *a)
{
    gl_compile *c = s_c(f);
    static const char *const names[] = { "name", "default", NULL };
    gl_value v[2], out;
    gl_args_bind(vm, a, "var", names, 1, v);
    if (s_var_lookup(c, v[0], &out)) return s_render_var(c, vm, out);
    if (v[1].kind != GL_MISSING) return v[1];
    gl_buf *b = gl_vm_buf_get(vm);
    gl_str_of(vm, v[0], b);
    gl_vm_hint(vm, "define it under vars: in dbt_project.yml, pass --vars '{%s: ...}', or give var() a default",
               b->data ? b->data : "");
    gl_vm_error(vm, GL_ERR_RUNTIME, a->span, "required var '%s' not found for %s", b->data ? b->data : "",
                c->node ? c->node->name : c->p->pkgs[0]->name);
}

/* ---------------------------------------------------------------- adapter */

static bool s_pkg_macro(gl_compile *c, const char *pkg, const char *name, gl_value *out)
{
    gl_value key = gl_cstr(name);
    if (!strcmp(pkg, "dbt")) return gl_dict_get(c->internal_macros.u.dict, key, out);
    gl_pkg *p = gl_project_pkg(c->p, pkg);
    return p && gl_dict_get(p->macros, key, out);
}

/* The packages dispatch searches for a namespace: the root project's dispatch config,
 * else the root project then the namespace. */
static gl_value s_search_order(gl_compile *c, const char *ns)
{
    gl_vm *vm = &c->p->vm;
    const gl_pkg *root = c->p->pkgs[0];
    const gl_ynode *dispatch = root->yml ? gl_ymap_get(root->yml->root, "dispatch") : NULL;
    for (uint32_t i = 0; dispatch && dispatch->kind == GL_Y_SEQ && i < dispatch->n; i++) {
        const gl_ynode *e = dispatch->items[i], *m = gl_ymap_get(e, "macro_namespace");
        if (!m || m->kind != GL_Y_SCALAR || strcmp(m->text, ns) != 0) continue;
        const gl_ynode *order = gl_ymap_get(e, "search_order");
        gl_value l = gl_list_new(vm, 4);
        for (uint32_t k = 0; order && order->kind == GL_Y_SEQ && k < order->n; k++)
            if (order->items[k]->kind == GL_Y_SCALAR) gl_list_push(vm, l.u.list, gl_cstr(order->items[k]->text));
        return l;
    }
    gl_value l = gl_list_new(vm, 2);   /* dbt: the root project, then the namespace */
    gl_list_push(vm, l.u.list, gl_cstr(root->name));
    gl_list_push(vm, l.u.list, gl_cstr(ns));
    return l;
}

static const char *const s_prefixes[] = { "glue", "spark", "default", NULL };   /* dbt-glue's adapter chain */

/* "<prefix>__<name>" into buf (NUL-terminated); false when it does not fit. */
static bool s_candidate(char *buf, size_t cap, const char *prefix, const gl_value name, size_t *len)
{
    size_t pl = strlen(prefix);
    if (pl + 2 + name.len + 1 > cap) return false;
    memcpy(buf, prefix, pl);
    memcpy(buf + pl, "__", 2);
    memcpy(buf + pl + 2, name.u.s, name.len);
    *len = pl + 2 + name.len;
    buf[*len] = '\0';
    return true;
}

/* The search, without caching: the macro or GL_MISSING, and what was tried. */
static gl_value s_dispatch_find(gl_compile *c, gl_value name, gl_value ns, gl_buf *tried)
{
    gl_vm *vm = &c->p->vm;
    char buf[256];
    size_t len;
    gl_value out;
    if (ns.kind == GL_STR) {
        gl_value order = s_search_order(c, s_cstr(vm, ns));
        for (uint32_t i = 0; i < order.u.list->len; i++) {
            const char *pkg = s_cstr(vm, order.u.list->items[i]);
            for (const char *const *pre = s_prefixes; *pre; pre++) {
                if (!s_candidate(buf, sizeof buf, *pre, name, &len)) continue;
                if (s_pkg_macro(c, pkg, buf, &out)) return out;
                gl_buf_printf(tried, "%s'%s.%s'", tried->len ? ", " : "", pkg, buf);
            }
        }
        return gl_missing();
    }
    gl_dict *g = gl_context_package_globals(c, c->node ? c->node->pkg : c->p->pkgs[0]);
    for (const char *const *pre = s_prefixes; *pre; pre++) {
        if (!s_candidate(buf, sizeof buf, *pre, name, &len)) continue;
        if (gl_dict_get(g, gl_str(buf, len), &out) && out.kind == GL_MACRO) return out;
        gl_buf_printf(tried, "%s'%s'", tried->len ? ", " : "", buf);
    }
    return gl_missing();
}

/* adapter.dispatch(name, macro_namespace): glue__, spark__, default__ in each package of
 * the search order. Results are cached per (package of the caller, namespace, name). */
static gl_value s_dispatch(gl_vm *vm, gl_func *f, const gl_args *a)
{
    gl_compile *c = s_c(f);
    static const char *const names[] = { "macro_name", "macro_namespace", "packages", NULL };
    gl_value v[3], out;
    gl_args_bind(vm, a, "dispatch", names, 1, v);
    s_need_str(vm, v[0], "dispatch", a);
    if (v[1].kind != GL_STR) v[1] = gl_none();
    const char *pkg = c->node ? c->node->pkg->name : c->p->pkgs[0]->name;
    gl_value key = gl_tuple_new(vm, 3);
    key.u.list->items[0] = gl_cstr(pkg);
    key.u.list->items[1] = v[1];
    key.u.list->items[2] = v[0];
    if (!c->dispatch_cache) c->dispatch_cache = gl_dict_new(vm).u.dict;
    if (gl_dict_get(c->dispatch_cache, key, &out)) return out;
    gl_buf *tried = gl_vm_buf_get(vm);
    out = s_dispatch_find(c, v[0], v[1], tried);
    if (out.kind != GL_MISSING) {
        gl_vm_buf_put(vm, tried);
        gl_dict_set(vm, c->dispatch_cache, key, out);
        return out;
    }
    gl_vm_hint(vm, "searched for %s", tried->data ? tried->data : "nothing");
    if (v[1].kind == GL_STR)
        gl_vm_error(vm, GL_ERR_RUNTIME, a->span, "in dispatch: no macro named '%.*s' found within namespace '%.*s'",
                    (int)v[0].len, v[0].u.s, (int)v[1].len, v[1].u.s);
    gl_vm_error(vm, GL_ERR_RUNTIME, a->span, "in dispatch: no macro named '%.*s' found", (int)v[0].len, v[0].u.s);
}

static gl_value s_quote(gl_vm *vm, gl_func *f, const gl_args *a)
{
    (void)f;
    static const char *const names[] = { "identifier", NULL };
    gl_value v[1];
    gl_args_bind(vm, a, "quote", names, 1, v);
    return gl_vm_strf(vm, "`%.*s`", (int)gl_to_str(vm, v[0]).len, gl_to_str(vm, v[0]).u.s);
}

static gl_value s_offline(gl_vm *vm, gl_func *f, const gl_args *a)
{
    gl_vm_hint(vm, "gluec compiles without a Glue session; declare the columns in the properties YAML or guard "
                   "the call with {%% if execute %%} where dbt would run it");
    gl_vm_error(vm, GL_ERR_RUNTIME, a->span, "adapter.%s needs a live catalog, which an offline compiler does not have",
                f->name);
}

/* adapter.get_relation(database, schema, identifier): the relation as --state lists it,
 * with its type, or None when it is not there. Without --state nothing exists (a first
 * run, as for is_incremental); while parsing it is None, as dbt's parse has no catalog. */
static gl_value s_get_relation(gl_vm *vm, gl_func *f, const gl_args *a)
{
    gl_compile *c = s_c(f);
    static const char *const names[] = { "database", "schema", "identifier", "needs_information", NULL };
    gl_value v[4], type;
    gl_args_bind(vm, a, "get_relation", names, 3, v);
    if (c->parsing || !c->p->existing || v[1].kind != GL_STR || v[2].kind != GL_STR) return gl_none();
    gl_value key = gl_vm_strf(vm, "%.*s.%.*s", (int)v[1].len, v[1].u.s, (int)v[2].len, v[2].u.s);
    if (!gl_dict_get(c->p->existing, key, &type) || type.kind != GL_STR) return gl_none();
    gl_relation *r = gl_vm_alloc(vm, sizeof *r);
    memset(r, 0, sizeof *r);
    r->schema = r->database = gl_arena_strndup(&vm->arena, v[1].u.s, v[1].len);
    r->identifier = gl_arena_strndup(&vm->arena, v[2].u.s, v[2].len);
    r->type = gl_arena_strndup(&vm->arena, type.u.s, type.len);
    return gl_relation_value(vm, r);
}

/* The node a relation names (schema and identifier), or NULL. */
static const gl_dnode *s_node_of(gl_compile *c, const gl_relation *r)
{
    if (!r || !r->schema || !r->identifier || c->parsing) return NULL;   /* no names while parsing */
    gl_vm *vm = &c->p->vm;
    if (!c->relations) {   /* one map for the whole render: no scan per call */
        c->relations = gl_dict_new(vm).u.dict;
        for (uint32_t i = 0; i < c->p->nnodes; i++) {
            const gl_dnode *n = c->p->nodes[i];
            const char *ident = n->type == GL_RT_SOURCE ? n->identifier : n->alias;
            if (!n->schema || !ident) continue;
            gl_value key = gl_vm_strf(vm, "%s.%s", n->schema, ident), seen;
            if (!gl_dict_get(c->relations, key, &seen)) gl_dict_set(vm, c->relations, key, gl_int(i));
        }
    }
    gl_value at;
    if (!gl_dict_get(c->relations, gl_vm_strf(vm, "%s.%s", r->schema, r->identifier), &at)) return NULL;
    return c->p->nodes[at.u.i];
}

/* adapter.get_columns_in_relation: the columns the project declares for it, in order,
 * as GlueColumn objects. While parsing (execute is false, relation names are not known
 * yet) it answers an empty list; the real render answers or fails. */
static gl_value s_columns(gl_vm *vm, gl_func *f, const gl_args *a)
{
    gl_compile *c = s_c(f);
    static const char *const names[] = { "relation", NULL };
    gl_value v[1];
    gl_args_bind(vm, a, "get_columns_in_relation", names, 1, v);
    if (c->parsing) return gl_list_new(vm, 0);
    const gl_dnode *n = s_node_of(c, gl_relation_of(v[0]));
    const gl_ynode *cols = n && n->props ? gl_ymap_get(n->props, "columns") : NULL;
    if (!cols || cols->kind != GL_Y_SEQ || !cols->n) {
        gl_buf *b = gl_vm_buf_get(vm);
        gl_str_of(vm, v[0], b);
        gl_vm_hint(vm, "gluec compiles without a Glue session: declare the columns of %s (columns: with name and "
                       "data_type) in its properties YAML", b->data ? b->data : "the relation");
        gl_vm_error(vm, GL_ERR_RUNTIME, a->span, "adapter.get_columns_in_relation needs the columns of %s, "
                    "and the project declares none", b->data ? b->data : "the relation");
    }
    gl_value out = gl_list_new(vm, cols->n);
    for (uint32_t i = 0; i < cols->n; i++) {
        const gl_ynode *name = gl_ymap_get(cols->items[i], "name"), *type = gl_ymap_get(cols->items[i], "data_type");
        if (!name || name->kind != GL_Y_SCALAR) continue;
        bool typed = type && type->kind == GL_Y_SCALAR;
        gl_list_push(vm, out.u.list, gl_column_value(vm, name->text, name->len, typed ? type->text : NULL,
                                                     typed ? type->len : 0));
    }
    return out;
}

static gl_value s_adapter_getattr(gl_vm *vm, gl_object *o, const char *name, size_t len)
{
    if (!vm) return gl_missing();
#define IS(s) (len == sizeof(s) - 1 && memcmp(name, s, len) == 0)
    if (IS("dispatch")) return gl_func_new(vm, "dispatch", s_dispatch, gl_missing(), o->data);
    if (IS("quote")) return gl_func_new(vm, "quote", s_quote, gl_missing(), o->data);
    if (IS("type")) return gl_cstr("glue");
    if (IS("get_columns_in_relation")) return gl_func_new(vm, "get_columns_in_relation", s_columns, gl_missing(), o->data);
    if (IS("get_relation")) return gl_func_new(vm, "get_relation", s_get_relation, gl_missing(), o->data);
    if (IS("list_relations_without_caching") ||
        IS("get_table_type") || IS("execute") || IS("get_missing_columns"))
        return gl_func_new(vm, gl_arena_strndup(&vm->arena, name, len), s_offline, gl_missing(), o->data);
#undef IS
    return gl_missing();
}

static const gl_class s_adapter_class = { "GlueAdapter", s_adapter_getattr, NULL, NULL };

/* ---------------------------------------------------------------- small builtins */

/* env_var in a node's context: as dbt, secrets (DBT_ENV_SECRET_*) stay out of SQL. */
static gl_value s_env_var(gl_vm *vm, gl_func *f, const gl_args *a)
{
    if (a->npos && a->pos[0].kind == GL_STR && a->pos[0].len >= 15 && !memcmp(a->pos[0].u.s, "DBT_ENV_SECRET_", 15)) {
        gl_vm_hint(vm, "secret variables may be used in profiles.yml and packages.yml only");
        gl_vm_error(vm, GL_ERR_RUNTIME, a->span, "secret env vars (DBT_ENV_SECRET_*) are not allowed here");
    }
    return gl_native_env_var(vm, f, a);
}

static gl_value s_return(gl_vm *vm, gl_func *f, const gl_args *a)
{
    (void)f;
    gl_vm_return(vm, a->npos ? a->pos[0] : gl_none());
}

static gl_value s_raise_compiler_error(gl_vm *vm, gl_func *f, const gl_args *a)
{
    (void)f;
    gl_value msg = a->npos ? gl_to_str(vm, a->pos[0]) : gl_str("", 0);
    gl_vm_error(vm, GL_ERR_RUNTIME, a->span, "%.*s", (int)msg.len, msg.u.s);
}

static gl_value s_warn(gl_vm *vm, gl_func *f, const gl_args *a)
{
    gl_compile *c = s_c(f);
    gl_value msg = a->npos ? gl_to_str(vm, a->pos[0]) : gl_str("", 0);
    gl_diags_add(&c->p->diags, GL_SEV_WARNING, vm->src, a->span, NULL, "%.*s", (int)msg.len, msg.u.s);
    return gl_str("", 0);
}

static gl_value s_exceptions_getattr(gl_vm *vm, gl_object *o, const char *name, size_t len)
{
    if (!vm) return gl_missing();
    if ((len == 20 && !memcmp(name, "raise_compiler_error", 20)) ||
        (len == 21 && !memcmp(name, "raise_not_implemented", 21)))
        return gl_func_new(vm, "raise_compiler_error", s_raise_compiler_error, gl_missing(), o->data);
    if (len == 4 && !memcmp(name, "warn", 4)) return gl_func_new(vm, "warn", s_warn, gl_missing(), o->data);
    return gl_missing();
}

static const gl_class s_exceptions_class = { "Exceptions", s_exceptions_getattr, NULL, NULL };

static gl_value s_nothing(gl_vm *vm, gl_func *f, const gl_args *a)
{
    (void)vm; (void)f; (void)a;
    return gl_str("", 0);
}

/* is_incremental(): dbt's rule, answered from --state instead of the catalog: the
 * relation exists as a table, the model is incremental, and no full refresh. Without
 * --state nothing exists (a first run), so it is false. */
static gl_value s_is_incremental(gl_vm *vm, gl_func *f, const gl_args *a)
{
    (void)a;
    gl_compile *c = s_c(f);
    const gl_dnode *n = c->node;
    gl_value m, t, fr;
    if (!n || !c->p->existing || c->parsing) return gl_bool(false);
    if (!gl_dict_get_cstr(n->config.u.dict, "materialized", &m) || m.kind != GL_STR || m.len != 11 ||
        memcmp(m.u.s, "incremental", 11) != 0)
        return gl_bool(false);
    bool full = c->p->opts.full_refresh;
    if (gl_dict_get_cstr(n->config.u.dict, "full_refresh", &fr) && fr.kind != GL_NONE) full = gl_truthy(fr);
    if (full || !n->schema || !n->alias) return gl_bool(false);
    gl_value key = gl_vm_strf(vm, "%s.%s", n->schema, n->alias);
    return gl_bool(gl_dict_get(c->p->existing, key, &t) && t.kind == GL_STR && t.len == 5 && !memcmp(t.u.s, "table", 5));
}

static gl_value s_fromjson(gl_vm *vm, gl_func *f, const gl_args *a)
{
    (void)f;
    static const char *const names[] = { "string", "default", NULL };
    gl_value v[2];
    gl_args_bind(vm, a, "fromjson", names, 1, v);
    if (v[0].kind != GL_STR) return v[1].kind == GL_MISSING ? gl_none() : v[1];
    size_t off;
    const char *msg;
    gl_value r = gl_json_to_value(vm, v[0].u.s, v[0].len, &off, &msg);
    if (r.kind == GL_MISSING) return v[1].kind == GL_MISSING ? gl_none() : v[1];
    return r;
}

static gl_value s_tojson(gl_vm *vm, gl_func *f, const gl_args *a)
{
    (void)f;
    static const char *const names[] = { "value", "default", "sort_keys", NULL };
    gl_value v[3];
    gl_args_bind(vm, a, "tojson", names, 1, v);
    gl_args fa = gl_args_make(NULL, 0, a->span);
    return gl_vm_filter(vm, "tojson", v[0], &fa);
}

static gl_value s_zip(gl_vm *vm, gl_func *f, const gl_args *a)
{
    (void)f;
    uint32_t n = UINT32_MAX;
    gl_list **lists = gl_vm_alloc(vm, (a->npos + 1) * sizeof *lists);
    for (uint32_t i = 0; i < a->npos; i++) {
        lists[i] = gl_iterate(vm, a->pos[i], a->span);
        if (lists[i]->len < n) n = lists[i]->len;
    }
    if (!a->npos) n = 0;
    gl_value out = gl_list_new(vm, n);
    for (uint32_t k = 0; k < n; k++) {
        gl_value t = gl_tuple_new(vm, a->npos);
        for (uint32_t i = 0; i < a->npos; i++) t.u.list->items[i] = lists[i]->items[k];
        gl_list_push(vm, out.u.list, t);
    }
    return out;
}

/* local_md5(value): the md5 of str(value) as 32 hex characters, as dbt's. */
static gl_value s_local_md5(gl_vm *vm, gl_func *f, const gl_args *a)
{
    (void)f;
    static const char *const names[] = { "value", NULL };
    gl_value v[1];
    gl_args_bind(vm, a, "local_md5", names, 1, v);
    gl_buf *b = gl_vm_buf_get(vm);
    gl_str_of(vm, v[0], b);
    char hex[33];
    gl_md5_hex(b->data ? b->data : "", b->len, hex);
    gl_vm_buf_put(vm, b);
    return gl_str_copy(vm, hex, 32);
}

/* set(): dbt returns a Python set; gluec keeps the first of each item, in order. */
static gl_value s_set(gl_vm *vm, gl_func *f, const gl_args *a)
{
    (void)f;
    static const char *const names[] = { "value", "default", NULL };
    gl_value v[2];
    gl_args_bind(vm, a, "set", names, 1, v);
    gl_list *in = gl_iterate(vm, v[0], a->span);
    gl_value out = gl_list_new(vm, in->len), seen = gl_dict_new(vm);
    for (uint32_t i = 0; i < in->len; i++) {
        gl_value dummy;
        if (!gl_hashable(in->items[i]) || gl_dict_get(seen.u.dict, in->items[i], &dummy)) continue;
        gl_dict_set(vm, seen.u.dict, in->items[i], gl_none());
        gl_list_push(vm, out.u.list, in->items[i]);
    }
    return out;
}

/* run_query / statement / load_result: dbt runs SQL on the warehouse here. At parse
 * time (execute is false) dbt gives nothing back; at render time an offline compiler
 * cannot answer, and says so naming the call. */
static gl_value s_needs_session(gl_vm *vm, gl_func *f, const gl_args *a)
{
    gl_compile *c = s_c(f);
    if (c->parsing) return gl_none();
    gl_vm_hint(vm, "gluec compiles without a Glue session: take the value from vars or from the columns "
                   "declared in properties YAML instead of querying for it");
    gl_vm_error(vm, GL_ERR_RUNTIME, a->span, "%s() needs a live Glue session, which an offline compiler does not have",
                f->name);
}

/* {% call statement('name', fetch_result=True) %}...{% endcall %}: the SQL is not run;
 * load_result('name') then reports it (see s_needs_session). */
static gl_value s_statement(gl_vm *vm, gl_func *f, const gl_args *a)
{
    (void)vm; (void)f; (void)a;
    return gl_str("", 0);
}

static gl_value s_fromyaml(gl_vm *vm, gl_func *f, const gl_args *a)
{
    (void)f;
    static const char *const names[] = { "value", "default", NULL };
    gl_value v[2];
    gl_args_bind(vm, a, "fromyaml", names, 1, v);
    if (v[0].kind != GL_STR) return v[1].kind == GL_MISSING ? gl_none() : v[1];
    char *text = gl_xmalloc(v[0].len + 1);
    memcpy(text, v[0].u.s, v[0].len);
    text[v[0].len] = '\0';
    gl_source *src = gl_source_new("<fromyaml>", text, v[0].len);
    gl_diag err = {0};
    gl_source *err_src = NULL;
    gl_ydoc *doc = gl_yaml_load(src, &err, &err_src);
    gl_value out = v[1].kind == GL_MISSING ? gl_none() : v[1];
    gl_catch c;
    c.prev = vm->catch_top;
    vm->catch_top = &c;
    int code = setjmp(c.jb);
    if (code == 0 && doc && doc->root) out = gl_yaml_to_value(vm, doc->root);   /* copies in the vm arena */
    vm->catch_top = c.prev;
    gl_ydoc_free(doc);
    gl_diag_clear(&err);
    gl_source_free(err_src);
    if (code) longjmp(c.prev->jb, code);   /* the error's text is in vm->error already */
    return out;
}

/* toyaml(value, default=None, sort_keys=False): yaml.safe_dump(value, sort_keys=...) as
 * dbt's; default when the value has no YAML form (dbt catches PyYAML's error). */
static gl_value s_toyaml(gl_vm *vm, gl_func *f, const gl_args *a)
{
    (void)f;
    static const char *const names[] = { "value", "default", "sort_keys", NULL };
    gl_value v[3];
    gl_args_bind(vm, a, "toyaml", names, 1, v);
    gl_buf *b = gl_vm_buf_get(vm);
    if (gl_value_to_yaml(vm, v[0], v[2].kind != GL_MISSING && gl_truthy(v[2]), a->span, b)) return gl_vm_buf_str(vm, b);
    gl_vm_buf_put(vm, b);
    return v[1].kind == GL_MISSING ? gl_none() : v[1];
}

/* graph: the project's nodes and sources as dicts keyed by unique id, built on first use. */
static gl_value s_graph_getattr(gl_vm *vm, gl_object *o, const char *name, size_t len)
{
    gl_compile *c = o->data;
    if (!vm) return gl_missing();
    bool nodes = len == 5 && !memcmp(name, "nodes", 5), sources = len == 7 && !memcmp(name, "sources", 7);
    if (!nodes && !sources) {
        if ((len == 9 && !memcmp(name, "exposures", 9)) || (len == 6 && !memcmp(name, "groups", 6)) ||
            (len == 7 && !memcmp(name, "metrics", 7)))
            return gl_dict_new(vm);
        return gl_missing();
    }
    gl_value *cache = nodes ? &c->graph_nodes : &c->graph_sources;
    if (cache->kind == GL_DICT) return *cache;
    *cache = gl_dict_new(vm);
    gl_dnode *saved = c->node;
    for (uint32_t i = 0; i < c->p->nnodes; i++) {
        gl_dnode *n = c->p->nodes[i];
        if ((n->type == GL_RT_SOURCE) != sources) continue;
        gl_dict_set(vm, cache->u.dict, gl_cstr(n->unique_id), gl_context_model_dict(c, n));
    }
    c->node = saved;
    return *cache;
}

static const gl_class s_graph_class = { "Graph", s_graph_getattr, NULL, NULL };

/* ---------------------------------------------------------------- contexts */

static void s_fn(gl_vm *vm, gl_dict *d, const char *name, gl_native_fn fn, void *data)
{
    gl_dict_set_cstr(vm, d, name, gl_func_new(vm, name, fn, gl_missing(), data));
}

static void s_add_macros(gl_vm *vm, gl_dict *d, const gl_dict *macros)
{
    for (uint32_t i = 0; i < macros->nentries; i++)
        if (macros->entries[i].live) gl_dict_set(vm, d, macros->entries[i].key, macros->entries[i].value);
}

static gl_value s_namespace(gl_vm *vm, const gl_dict *macros)
{
    gl_value ns = gl_dict_new(vm);
    s_add_macros(vm, ns.u.dict, macros);
    ns.kind = GL_NAMESPACE;
    return ns;
}

/* Builtins shared by every node, then macros: gluec's library, the root project, the
 * package itself (later entries win); every package is also a namespace (pkg.macro). */
gl_dict *gl_context_package_globals(gl_compile *c, gl_pkg *pkg)
{
    gl_project *p = c->p;
    gl_vm *vm = &p->vm;
    uint32_t at = 0;
    while (at < p->npkgs && p->pkgs[at] != pkg) at++;
    if (c->pkg_globals[at]) return c->pkg_globals[at];
    gl_dict *g = gl_dict_new(vm).u.dict;
    s_add_macros(vm, g, c->jinja_globals);       /* range, dict, namespace, ... */
    s_fn(vm, g, "ref", s_ref, c);
    s_fn(vm, g, "source", s_source, c);
    s_fn(vm, g, "var", s_var, c);
    s_fn(vm, g, "env_var", s_env_var, c);
    s_fn(vm, g, "return", s_return, c);
    s_fn(vm, g, "log", s_nothing, c);
    s_fn(vm, g, "print", s_nothing, c);
    s_fn(vm, g, "is_incremental", s_is_incremental, c);
    s_fn(vm, g, "fromjson", s_fromjson, c);
    s_fn(vm, g, "tojson", s_tojson, c);
    s_fn(vm, g, "zip", s_zip, c);
    s_fn(vm, g, "zip_strict", s_zip, c);
    s_fn(vm, g, "local_md5", s_local_md5, c);
    gl_dict_set_cstr(vm, g, "dbt_version", gl_cstr(GL_DBT_VERSION));
    gl_dict_set_cstr(vm, g, "selected_resources",
                     c->selected_resources.kind == GL_LIST ? c->selected_resources : gl_list_new(vm, 0));
    s_fn(vm, g, "set", s_set, c);
    s_fn(vm, g, "set_strict", s_set, c);
    s_fn(vm, g, "run_query", s_needs_session, c);
    s_fn(vm, g, "load_result", s_needs_session, c);
    s_fn(vm, g, "statement", s_statement, c);
    s_fn(vm, g, "fromyaml", s_fromyaml, c);
    s_fn(vm, g, "toyaml", s_toyaml, c);
    gl_dict_set_cstr(vm, g, "config", gl_object_new(vm, &s_config_class, c));
    gl_dict_set_cstr(vm, g, "adapter", gl_object_new(vm, &s_adapter_class, c));
    gl_dict_set_cstr(vm, g, "exceptions", gl_object_new(vm, &s_exceptions_class, c));
    gl_dict_set_cstr(vm, g, "graph", gl_object_new(vm, &s_graph_class, c));
    gl_dict_set_cstr(vm, g, "api", gl_api_object(vm));
    gl_value modules = gl_dict_new(vm);   /* dbt's `modules`: the Python modules it exposes */
    gl_dict_set_cstr(vm, modules.u.dict, "pytz", gl_pytz_module(vm));   /* dbt's order */
    gl_dict_set_cstr(vm, modules.u.dict, "datetime", gl_datetime_module(vm, GL_RUN_STARTED_AT));
    gl_dict_set_cstr(vm, modules.u.dict, "re", gl_re_module(vm));
    gl_dict_set_cstr(vm, modules.u.dict, "itertools", gl_itertools_module(vm));
    gl_dict_set_cstr(vm, g, "modules", modules);
    gl_value builtins = gl_dict_new(vm);   /* the originals, for macros that override ref */
    gl_value v;
    if (gl_dict_get_cstr(g, "ref", &v)) gl_dict_set_cstr(vm, builtins.u.dict, "ref", v);
    if (gl_dict_get_cstr(g, "source", &v)) gl_dict_set_cstr(vm, builtins.u.dict, "source", v);
    if (gl_dict_get_cstr(g, "config", &v)) gl_dict_set_cstr(vm, builtins.u.dict, "config", v);
    gl_dict_set_cstr(vm, g, "builtins", builtins);
    gl_dict_set_cstr(vm, g, "target", p->target);
    gl_dict_set_cstr(vm, g, "project_name", gl_cstr(p->pkgs[0]->name));
    gl_dict_set_cstr(vm, g, "invocation_id", gl_cstr("00000000-0000-0000-0000-000000000000"));
    gl_dict_set_cstr(vm, g, "run_started_at", gl_datetime_new(vm, GL_RUN_STARTED_AT, 0));
    gl_value flags = gl_dict_new(vm);
    gl_dict_set_cstr(vm, flags.u.dict, "FULL_REFRESH", gl_bool(p->opts.full_refresh));
    gl_dict_set_cstr(vm, flags.u.dict, "WHICH", gl_cstr("compile"));
    gl_dict_set_cstr(vm, flags.u.dict, "STORE_FAILURES", gl_bool(false));
    gl_dict_set_cstr(vm, g, "flags", flags);
    s_add_macros(vm, g, c->internal_macros.u.dict);   /* other packages: only as pkg.macro */
    s_add_macros(vm, g, p->pkgs[0]->macros);
    s_add_macros(vm, g, pkg->macros);
    gl_dict_set_cstr(vm, g, "dbt", c->internal_macros);
    for (uint32_t i = 0; i < p->npkgs; i++)
        gl_dict_set_cstr(vm, g, p->pkgs[i]->name, s_namespace(vm, p->pkgs[i]->macros));
    c->pkg_globals[at] = g;
    return g;
}

static gl_value s_str_list(gl_vm *vm, const char *const *items, uint32_t n)
{
    gl_value l = gl_list_new(vm, n);
    for (uint32_t i = 0; i < n; i++) gl_list_push(vm, l.u.list, gl_cstr(items[i]));
    return l;
}

static gl_value s_model_dict(gl_compile *c, gl_dnode *n);

/* The `model` object: the node's attributes as dbt exposes them; made once per node
 * and phase (gl_compile_parse drops them when configs change). */
gl_value gl_context_model_dict(gl_compile *c, gl_dnode *n)
{
    long at = n->unique_id ? gl_project_find(c->p, n->unique_id) : -1;
    if (at < 0 || c->p->nodes[at] != n) return s_model_dict(c, n);
    if (!c->models) c->models = gl_xcalloc(c->p->nnodes + 1, sizeof *c->models);
    if (c->models[at].kind != GL_DICT) c->models[at] = s_model_dict(c, n);
    return c->models[at];
}

/* model.config as dbt's to_dict(omit_none=True) gives it: a copy without the unset
 * (None) fields, also inside docs; config.get still sees them (s_is_declared). */
static gl_value s_config_dict(gl_vm *vm, gl_value cfg)
{
    gl_value out = gl_dict_new(vm);
    for (uint32_t i = 0; cfg.kind == GL_DICT && i < cfg.u.dict->nentries; i++) {
        const gl_dict_entry *e = &cfg.u.dict->entries[i];
        if (!e->live || e->value.kind == GL_NONE) continue;
        gl_value v = e->value;
        if (v.kind == GL_DICT && e->key.kind == GL_STR && e->key.len == 4 && !memcmp(e->key.u.s, "docs", 4))
            v = s_config_dict(vm, v);
        gl_dict_set(vm, out.u.dict, e->key, v);
    }
    return out;
}

static gl_value s_model_dict(gl_compile *c, gl_dnode *n)
{
    gl_vm *vm = &c->p->vm;
    gl_value m = gl_dict_new(vm);
    gl_dict *d = m.u.dict;
    gl_dict_set_cstr(vm, d, "name", gl_cstr(n->name));
    gl_dict_set_cstr(vm, d, "unique_id", gl_cstr(n->unique_id));
    gl_dict_set_cstr(vm, d, "resource_type", gl_cstr(gl_rtype_name(n->type)));
    gl_dict_set_cstr(vm, d, "package_name", gl_cstr(n->pkg->name));
    gl_dict_set_cstr(vm, d, "original_file_path", gl_cstr(n->path));
    const char *slash = strchr(n->path, '/');   /* path: relative to its resource folder */
    gl_dict_set_cstr(vm, d, "path", gl_cstr(slash ? slash + 1 : n->path));
    gl_dict_set_cstr(vm, d, "language", gl_cstr("sql"));
    gl_value checksum = gl_dict_new(vm);
    gl_dict_set_cstr(vm, checksum.u.dict, "name", gl_cstr("sha256"));
    gl_dict_set_cstr(vm, checksum.u.dict, "checksum", gl_str_copy(vm, n->checksum, strlen(n->checksum)));
    gl_dict_set_cstr(vm, d, "checksum", checksum);
    if (n->type != GL_RT_TEST && n->type != GL_RT_EXPOSURE && !n->ephemeral && n->schema) {
        gl_buf *rb = gl_vm_buf_get(vm);
        gl_str_of(vm, gl_context_relation(c, n), rb);
        gl_dict_set_cstr(vm, d, "relation_name", gl_vm_buf_str(vm, rb));
    } else {
        gl_dict_set_cstr(vm, d, "relation_name", gl_none());
    }
    if (n->source_name) {
        gl_dict_set_cstr(vm, d, "source_name", gl_cstr(n->source_name));
        gl_dict_set_cstr(vm, d, "identifier", gl_cstr(n->identifier));
    }
    gl_dict_set_cstr(vm, d, "fqn", s_str_list(vm, n->fqn, n->nfqn));
    gl_dict_set_cstr(vm, d, "config", s_config_dict(vm, n->config));
    gl_value tags;
    gl_dict_set_cstr(vm, d, "tags", gl_dict_get_cstr(n->config.u.dict, "tags", &tags) ? tags : gl_list_new(vm, 0));
    gl_dict_set_cstr(vm, d, "schema", n->schema ? gl_cstr(n->schema) : gl_none());
    gl_dict_set_cstr(vm, d, "alias", n->alias ? gl_cstr(n->alias) : gl_none());
    gl_dict_set_cstr(vm, d, "database", n->database ? gl_cstr(n->database) : gl_none());
    gl_dict_set_cstr(vm, d, "version", n->version ? gl_cstr(n->version) : gl_none());
    if (n->tpl) gl_dict_set_cstr(vm, d, "raw_code", gl_str(n->tpl->src->text, n->tpl->src->len));
    gl_dict_set_cstr(vm, d, "description", gl_context_description(c, n->props ? gl_ymap_get(n->props, "description") : NULL));
    gl_value cols = gl_dict_new(vm);
    const gl_ynode *cl = n->props ? gl_ymap_get(n->props, "columns") : NULL;
    for (uint32_t i = 0; cl && cl->kind == GL_Y_SEQ && i < cl->n; i++) {
        const gl_ynode *name = gl_ymap_get(cl->items[i], "name");
        if (!name || name->kind != GL_Y_SCALAR) continue;
        const gl_source *saved = vm->src;
        vm->src = n->props_doc->src;
        gl_value col = gl_yaml_to_value(vm, cl->items[i]);
        vm->src = saved;
        const gl_ynode *cdesc = gl_ymap_get(cl->items[i], "description");
        if (cdesc && col.kind == GL_DICT) gl_dict_set_cstr(vm, col.u.dict, "description", gl_context_description(c, cdesc));
        gl_dict_set(vm, cols.u.dict, gl_cstr(name->text), col);
    }
    gl_dict_set_cstr(vm, d, "columns", cols);
    gl_value refs = gl_list_new(vm, n->ndeps), srcs = gl_list_new(vm, n->ndeps), nodes = gl_list_new(vm, n->nparents);
    for (uint32_t i = 0; i < n->ndeps; i++) {
        const gl_dep *dep = &n->deps[i];
        if (dep->table) {   /* sources: [source, table] */
            gl_value pair = gl_list_new(vm, 2);
            gl_list_push(vm, pair.u.list, gl_cstr(dep->name));
            gl_list_push(vm, pair.u.list, gl_cstr(dep->table));
            gl_list_push(vm, srcs.u.list, pair);
            continue;
        }
        gl_value r = gl_dict_new(vm);   /* refs: {name, package, version} */
        gl_dict_set_cstr(vm, r.u.dict, "name", gl_cstr(dep->name));
        gl_dict_set_cstr(vm, r.u.dict, "package", dep->package ? gl_cstr(dep->package) : gl_none());
        gl_dict_set_cstr(vm, r.u.dict, "version", dep->version.kind == GL_MISSING ? gl_none() : dep->version);
        gl_list_push(vm, refs.u.list, r);
    }
    for (uint32_t i = 0; i < n->nparents; i++) gl_list_push(vm, nodes.u.list, gl_cstr(c->p->nodes[n->parents[i]]->unique_id));
    gl_value depends = gl_dict_new(vm);
    gl_dict_set_cstr(vm, depends.u.dict, "nodes", nodes);
    gl_dict_set_cstr(vm, depends.u.dict, "macros", gl_list_new(vm, 0));
    gl_dict_set_cstr(vm, d, "refs", refs);
    gl_dict_set_cstr(vm, d, "sources", srcs);
    gl_dict_set_cstr(vm, d, "depends_on", depends);
    return m;
}

/* ---------------------------------------------------------------- docs */

/* doc('name') or doc('package', 'name'): a docs block of that package, else (as dbt's
 * resolve_doc searches) of the root project, the node's package, then any package. */
static gl_value s_doc(gl_vm *vm, gl_func *f, const gl_args *a)
{
    gl_compile *c = s_c(f);
    gl_project *p = c->p;
    if (a->nkw || a->npos < 1 || a->npos > 2)
        gl_vm_error(vm, GL_ERR_TYPE, a->span, "doc() takes a docs block name, optionally after its package name");
    for (uint32_t i = 0; i < a->npos; i++) s_need_str(vm, a->pos[i], "doc", a);
    gl_value name = a->pos[a->npos - 1], text;
    const char *pkg = a->npos == 2 ? s_cstr(vm, a->pos[0]) : NULL;
    gl_pkg *order[2] = { p->pkgs[0], c->node ? c->node->pkg : p->pkgs[0] };
    if (pkg) {
        gl_pkg *only = gl_project_pkg(p, pkg);
        if (only && gl_dict_get(only->doc_blocks, name, &text)) return text;
    } else {
        for (int k = 0; k < 2; k++)
            if (gl_dict_get(order[k]->doc_blocks, name, &text)) return text;
        for (uint32_t i = 0; i < p->npkgs; i++)
            if (p->pkgs[i]->doc_blocks && gl_dict_get(p->pkgs[i]->doc_blocks, name, &text)) return text;
    }
    gl_suggest sg;
    gl_suggest_init(&sg, name.u.s, name.len);
    for (uint32_t i = 0; i < p->npkgs; i++) {
        const gl_dict *d = p->pkgs[i]->doc_blocks;
        for (uint32_t k = 0; d && k < d->nentries; k++)
            if (d->entries[k].live) gl_suggest_offer(&sg, d->entries[k].key.u.s, d->entries[k].key.len);
    }
    if (sg.best) gl_vm_hint(vm, "did you mean '%.*s'?", (int)sg.best_len, sg.best);
    else gl_vm_hint(vm, "define it in a .md file of the docs paths: {%% docs %s %%} ... {%% enddocs %%}", s_cstr(vm, name));
    gl_vm_error(vm, GL_ERR_RUNTIME, a->span, "Documentation for '%s' depends on doc '%s'%s%s%s which was not found",
                c->node ? c->node->unique_id : p->pkgs[0]->name, s_cstr(vm, name),
                pkg ? " in package '" : "", pkg ? pkg : "", pkg ? "'" : "");
}

gl_value gl_context_doc_fn(gl_compile *c)
{
    return gl_func_new(&c->p->vm, "doc", s_doc, gl_missing(), c);
}

gl_value gl_context_description(gl_compile *c, const gl_ynode *desc)
{
    gl_value v;
    if (!desc || desc->kind != GL_Y_SCALAR) return gl_cstr("");
    if (c->descriptions && gl_dict_get(c->descriptions, gl_int((int64_t)(uintptr_t)desc), &v)) return v;
    return gl_str(desc->text, desc->len);
}

/* `model` is made when a template first reads it: most renders never do. */
typedef struct s_node_ref { gl_compile *c; gl_dnode *n; } s_node_ref;

static gl_value s_lazy_model(gl_vm *vm, void *data, gl_span read_at)
{
    (void)vm;
    (void)read_at;
    const s_node_ref *r = data;
    return gl_context_model_dict(r->c, r->n);
}

/* on-run-end's `results` are the run's results: nothing an offline compiler has. */
static gl_value s_lazy_results(gl_vm *vm, void *data, gl_span read_at)
{
    (void)data;
    gl_vm_hint(vm, "a hook that reads the results (a dbt_artifacts upload...) can only run after a dbt run: "
                   "wrap it in {%% if flags.WHICH in ('run', 'build') %%} ... {%% endif %%}");
    gl_vm_error(vm, GL_ERR_RUNTIME, read_at,
                "on-run-end `results` holds what the run did: gluec compiles before anything runs");
}

static int s_cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* on-run-end's `schemas` and `database_schemas`: dbt lists the schemas of the models,
 * seeds and snapshots that ran; the plan builds every one, so all of theirs (a set in
 * dbt, in no defined order; sorted here). Glue relations have no database (None). */
static void s_hook_schemas(gl_compile *c, gl_dict *ctx)
{
    gl_project *p = c->p;
    gl_vm *vm = &p->vm;
    const char **all = gl_xmalloc((p->nnodes + 1) * sizeof *all);
    uint32_t n = 0;
    for (uint32_t i = 0; i < p->nnodes; i++) {
        const gl_dnode *t = p->nodes[i];
        if (t->type != GL_RT_MODEL && t->type != GL_RT_SEED && t->type != GL_RT_SNAPSHOT) continue;
        if (t->ephemeral || !t->schema || !gl_node_enabled(t)) continue;
        all[n++] = t->schema;
    }
    qsort(all, n, sizeof *all, s_cmp_str);
    gl_value schemas = gl_list_new(vm, n), pairs = gl_list_new(vm, n);
    for (uint32_t i = 0; i < n; i++) {
        if (i && !strcmp(all[i], all[i - 1])) continue;
        gl_list_push(vm, schemas.u.list, gl_cstr(all[i]));
        gl_value pair = gl_tuple_new(vm, 2);
        pair.u.list->items[0] = gl_none();
        pair.u.list->items[1] = gl_cstr(all[i]);
        gl_list_push(vm, pairs.u.list, pair);
    }
    free(all);
    gl_dict_set_cstr(vm, ctx, "schemas", schemas);
    gl_dict_set_cstr(vm, ctx, "database_schemas", pairs);
    gl_dict_set_cstr(vm, ctx, "results", gl_lazy_new(vm, s_lazy_results, NULL));
}

/* Per-node variables on top of the package globals. */
gl_value gl_context_node(gl_compile *c, gl_dnode *n)
{
    gl_vm *vm = &c->p->vm;
    gl_value ctx = gl_dict_new(vm);
    gl_dict *d = ctx.u.dict;
    gl_dict_set_cstr(vm, d, "this", gl_context_relation(c, n));
    s_node_ref *r = gl_arena_alloc(&vm->arena, sizeof *r);
    r->c = c;
    r->n = n;
    gl_dict_set_cstr(vm, d, "model", gl_lazy_new(vm, s_lazy_model, r));
    gl_dict_set_cstr(vm, d, "execute", gl_bool(!c->parsing));
    gl_dict_set_cstr(vm, d, "schema", n->schema ? gl_cstr(n->schema) : gl_none());
    gl_dict_set_cstr(vm, d, "database", n->database ? gl_cstr(n->database) : gl_none());
    if (n->type == GL_RT_OPERATION && n->hook_end && !c->parsing) s_hook_schemas(c, d);
    return ctx;
}
