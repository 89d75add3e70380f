/* src/project/load.c - loading a dbt project (project layer): dbt_project.yml of the
 * root and of each installed package, profiles.yml (profile -> target -> output),
 * --vars, and the discovery of macro files and node files in every package. Properties
 * files and configs are read by props.c and config.c. Errors go to p->diags with
 * their file positions; loading goes on so that one run reports them all. */
#include "project/load.h"
#include "project/selectors.h"
#include "jinja/eval.h"
#include "util/fs.h"
#include <sha2.h>
#include <stdarg.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>

static const char *const s_rtype_names[] = {   /* ORDER: gl_rtype */
    "model", "seed", "snapshot", "test", "analysis", "source", "exposure", "operation"
};

const char *gl_rtype_name(gl_rtype t) { return t < GL_RT_COUNT ? s_rtype_names[t] : "node"; }

/* ---------------------------------------------------------------- ownership helpers */

const char *gl_load_str(gl_project *p, const char *s, size_t n)
{
    return gl_arena_strndup(&p->vm.arena, s, n);
}

const char *gl_load_strf(gl_project *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = gl_vstrf(fmt, ap);
    va_end(ap);
    const char *s = gl_load_str(p, text, strlen(text));
    free(text);
    return s;
}

static void s_keep_source(gl_project *p, gl_source *src)
{
    p->sources = gl_xrealloc(p->sources, (p->nsources + 1) * sizeof *p->sources);
    p->sources[p->nsources++] = src;
}

static void s_keep_doc(gl_project *p, gl_ydoc *doc)
{
    if (p->ndocs == p->capdocs) {
        p->capdocs = p->capdocs ? p->capdocs * 2 : 16;
        p->docs = gl_xrealloc(p->docs, p->capdocs * sizeof *p->docs);
    }
    p->docs[p->ndocs++] = doc;
}

/* Reads and parses a YAML file; NULL (with a diagnostic) when it is broken, NULL
 * without one when it does not exist. */
gl_ydoc *gl_load_yaml(gl_project *p, const char *path)
{
    if (!gl_fs_is_file(path)) return NULL;
    gl_source *src = gl_source_read(path);
    if (!src) {
        gl_diags_add(&p->diags, GL_SEV_ERROR, NULL, (gl_span){ 0, 0 }, NULL, "cannot read %s", path);
        return NULL;
    }
    gl_diag err = {0};
    gl_source *err_src = NULL;
    gl_ydoc *doc = gl_yaml_load(src, &err, &err_src);
    if (!doc) {
        s_keep_source(p, err_src);
        gl_diags_take(&p->diags, &err);
        return NULL;
    }
    s_keep_doc(p, doc);
    return doc;
}

static void s_keep_template(gl_project *p, gl_template *t)
{
    if (p->ntemplates == p->captemplates) {
        p->captemplates = p->captemplates ? p->captemplates * 2 : 64;
        p->templates = gl_xrealloc(p->templates, p->captemplates * sizeof *p->templates);
    }
    p->templates[p->ntemplates++] = t;
}

/* Parses src (taken) in dbt mode; the project keeps the template, or on a syntax error
 * the source, so diagnostics can point into it. */
static gl_template *s_parse_kept(gl_project *p, gl_source *src)
{
    gl_diag err = {0};
    gl_source *err_src = NULL;
    gl_template *t = gl_parse_dbt_template(src, &p->names, &err, &err_src);
    if (!t) {
        s_keep_source(p, err_src);
        gl_diags_take(&p->diags, &err);
        return NULL;
    }
    s_keep_template(p, t);
    return t;
}

/* Offset of the first byte that is not valid UTF-8, or -1. */
static long s_invalid_utf8(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        int32_t cp;
        if (((unsigned char)s[i] & 0x80) == 0) { i++; continue; }
        int n = gl_utf8_decode(s + i, len - i, &cp);
        if (n == 1) return (long)i;   /* gl_utf8_decode takes one byte for invalid input */
        i += (size_t)n;
    }
    return -1;
}

/* Reads and parses a template file in dbt mode; NULL (with a diagnostic) on errors. */
gl_template *gl_load_template(gl_project *p, const char *path, const char *display)
{
    gl_source *src = gl_source_read(path);
    if (!src) {
        gl_diags_add(&p->diags, GL_SEV_ERROR, NULL, (gl_span){ 0, 0 }, NULL, "cannot read %s", path);
        return NULL;
    }
    long bad = s_invalid_utf8(src->text, src->len);
    if (bad >= 0) {
        s_keep_source(p, src);
        gl_diags_add(&p->diags, GL_SEV_ERROR, src, (gl_span){ (uint32_t)bad, (uint32_t)bad + 1 }, "save it as UTF-8",
                     "the file is not valid UTF-8");
        return NULL;
    }
    if (display) {
        free(src->path);
        size_t n = strlen(display);
        src->path = gl_xmalloc(n + 1);
        memcpy(src->path, display, n + 1);
    }
    return s_parse_kept(p, src);
}

gl_template *gl_load_inline_template(gl_project *p, const char *display, const char *text)
{
    size_t n = strlen(text);
    char *copy = gl_xmalloc(n + 1);
    memcpy(copy, text, n + 1);
    return s_parse_kept(p, gl_source_new(display, copy, n));
}

/* ---------------------------------------------------------------- YAML access */

const char *gl_yscalar_text(const gl_ynode *n)
{
    return n && n->kind == GL_Y_SCALAR ? n->text : NULL;
}

static void s_diag_at(gl_project *p, gl_severity sev, const gl_ydoc *doc, const gl_ynode *n, const char *hint,
                      const char *fmt, va_list ap)
{
    char *text = gl_vstrf(fmt, ap);
    gl_span at = n ? n->span : (gl_span){ 0, 0 };
    gl_diags_add(&p->diags, sev, doc->src, at, hint, "%s", text);
    free(text);
}

void gl_load_error_at(gl_project *p, const gl_ydoc *doc, const gl_ynode *n, const char *hint,
                      const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    s_diag_at(p, GL_SEV_ERROR, doc, n, hint, fmt, ap);
    va_end(ap);
}

void gl_load_warn_at(gl_project *p, const gl_ydoc *doc, const gl_ynode *n, const char *hint,
                     const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    s_diag_at(p, GL_SEV_WARNING, doc, n, hint, fmt, ap);
    va_end(ap);
}

static gl_value s_load_value(gl_project *p, const gl_ydoc *doc, const gl_ynode *n, bool render);

/* A YAML node as a Jinja value, with Jinja in strings rendered where dbt renders it
 * (dbt_project.yml and profiles.yml values: env_var(), var()). */
gl_value gl_load_value(gl_project *p, const gl_ydoc *doc, const gl_ynode *n, bool render)
{
    gl_vm *vm = &p->vm;
    /* config trees are read once per node: convert each YAML node once */
    gl_value key = gl_int((int64_t)((uintptr_t)n * 2 + render)), cached;
    if (!p->yaml_values) p->yaml_values = gl_dict_new(vm).u.dict;
    if (gl_dict_get(p->yaml_values, key, &cached)) return cached;
    gl_value v = s_load_value(p, doc, n, render);
    gl_dict_set(vm, p->yaml_values, key, v);
    return v;
}

static gl_value s_load_value(gl_project *p, const gl_ydoc *doc, const gl_ynode *n, bool render)
{
    gl_vm *vm = &p->vm;
    gl_catch c;
    c.prev = vm->catch_top;
    vm->catch_top = &c;
    const gl_source *saved = vm->src;
    vm->src = doc->src;
    gl_value v = gl_none();
    if (setjmp(c.jb) == 0) {
        v = gl_yaml_to_value(vm, n);
        if (render) v = gl_load_render_value(p, doc, n, v);
    } else {
        gl_diags_take(&p->diags, &vm->error);
        v = gl_none();
    }
    vm->catch_top = c.prev;
    vm->src = saved;
    return v;
}

/* ---------------------------------------------------------------- rendering YAML values */

/* var() while rendering YAML values: --vars, then the root project's vars. */
static gl_value s_cli_var(gl_vm *vm, gl_func *self, const gl_args *a)
{
    gl_project *p = self->data;
    static const char *const names[] = { "name", "default", NULL };
    gl_value args[2], v;
    gl_args_bind(vm, a, "var", names, 1, args);
    if (p->cli_vars.kind == GL_DICT && gl_dict_get(p->cli_vars.u.dict, args[0], &v)) return v;
    if (p->npkgs && p->pkgs[0]->vars.kind == GL_DICT && gl_dict_get(p->pkgs[0]->vars.u.dict, args[0], &v)) return v;
    if (args[1].kind != GL_MISSING) return args[1];
    gl_buf *b = gl_vm_buf_get(vm);
    gl_str_of(vm, args[0], b);
    gl_vm_hint(vm, "pass it with --vars '{%s: ...}' or give var() a default", b->data ? b->data : "");
    gl_vm_error(vm, GL_ERR_RUNTIME, a->span, "Required var '%s' not found in config", b->data ? b->data : "");
}

bool gl_load_has_jinja(gl_value v)
{
    for (uint32_t i = 0; v.kind == GL_STR && i + 1 < v.len; i++)
        if (v.u.s[i] == '{' && (v.u.s[i + 1] == '{' || v.u.s[i + 1] == '%')) return true;
    return false;
}

/* Renders one string holding Jinja; errors point at the YAML scalar. */
static gl_value s_render_string(gl_project *p, const gl_ydoc *doc, const gl_ynode *n, gl_value v)
{
    gl_vm *vm = &p->vm;
    char *text = gl_xmalloc(v.len + 1);
    memcpy(text, v.u.s, v.len);
    text[v.len] = '\0';
    gl_source *src = gl_source_new(doc->src->path, text, v.len);
    gl_diag err = {0};
    gl_source *err_src = NULL;
    gl_template *t = gl_parse_template(src, &p->names, &err, &err_src);
    if (!t) {
        gl_diags_add(&p->diags, GL_SEV_ERROR, doc->src, n->span, NULL, "in this value: %s", err.message);
        gl_diag_clear(&err);
        gl_source_free(err_src);
        return gl_str("", 0);
    }
    gl_value ctx = gl_dict_new(vm);
    gl_dict_set_cstr(vm, ctx.u.dict, "env_var", gl_func_new(vm, "env_var", gl_native_env_var, gl_missing(), NULL));
    gl_dict_set_cstr(vm, ctx.u.dict, "var", gl_func_new(vm, "var", s_cli_var, gl_missing(), p));
    gl_dict_set_cstr(vm, ctx.u.dict, "target", p->target);
    gl_value r = gl_str("", 0);
    /* dbt renders these natively: "{{ var('on', false) }}" is a boolean, not a string */
    if (gl_eval_check(vm, t) && gl_render_native(vm, t, ctx, &r)) {
        if (r.kind == GL_STR) r = gl_str_copy(vm, r.u.s, r.len);
    } else {
        gl_diags_add(&p->diags, GL_SEV_ERROR, doc->src, n->span, vm->error.hint, "%s", vm->error.message);
        r = gl_str("", 0);
    }
    vm->src = doc->src;
    gl_template_free(t);
    return r;
}

gl_value gl_load_render_tree(gl_project *p, const gl_ydoc *doc, const gl_ynode *at, gl_value v)
{
    if (v.kind == GL_STR) return gl_load_has_jinja(v) ? s_render_string(p, doc, at, v) : v;
    if (gl_is_seq(v)) {
        for (uint32_t i = 0; i < v.u.list->len; i++) v.u.list->items[i] = gl_load_render_tree(p, doc, at, v.u.list->items[i]);
    } else if (v.kind == GL_DICT) {
        for (uint32_t i = 0; i < v.u.dict->nentries; i++)
            if (v.u.dict->entries[i].live)
                v.u.dict->entries[i].value = gl_load_render_tree(p, doc, at, v.u.dict->entries[i].value);
    }
    return v;
}

gl_value gl_load_render_value(gl_project *p, const gl_ydoc *doc, const gl_ynode *n, gl_value v)
{
    if (!n) return v;
    if (n->kind == GL_Y_SCALAR) return gl_load_has_jinja(v) ? s_render_string(p, doc, n, v) : v;
    if (n->kind == GL_Y_SEQ && v.kind == GL_LIST) {
        for (uint32_t i = 0; i < n->n && i < v.u.list->len; i++)
            v.u.list->items[i] = gl_load_render_value(p, doc, n->items[i], v.u.list->items[i]);
    } else if (n->kind == GL_Y_MAP && v.kind == GL_DICT) {
        for (uint32_t i = 0; i < n->n; i++) {
            gl_value cur;
            gl_value key = gl_str(n->keys[i]->text, n->keys[i]->len);
            if (gl_dict_get(v.u.dict, key, &cur))
                gl_dict_set(&p->vm, v.u.dict, key, gl_load_render_value(p, doc, n->vals[i], cur));
        }
    }
    return v;
}

/* ---------------------------------------------------------------- dbt_project.yml */

static const char *const s_project_keys[] = {
    "name", "version", "config-version", "profile", "model-paths", "source-paths", "seed-paths",
    "data-paths", "test-paths", "analysis-paths", "macro-paths", "snapshot-paths", "docs-paths",
    "asset-paths", "target-path", "log-path", "clean-targets", "packages-install-path", "vars",
    "models", "seeds", "snapshots", "tests", "data_tests", "sources", "analyses", "exposures",
    "metrics", "semantic-models", "saved-queries", "unit_tests", "on-run-start", "on-run-end",
    "quoting", "dispatch", "flags", "require-dbt-version", "query-comment", "restrict-access",
    "dbt-cloud", NULL
};

static bool s_in(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0) return true;
    return false;
}

/* A list of paths (a YAML string or list of strings), or the default. */
static void s_paths(gl_project *p, gl_pkg *pkg, const gl_ydoc *doc, const char *key, const char *alt,
                    const char *dflt, const char ***out, uint32_t *n)
{
    const gl_ynode *v = gl_ymap_get(doc->root, key);
    if (!v && alt) v = gl_ymap_get(doc->root, alt);
    (void)pkg;
    if (!v) {
        *out = gl_arena_alloc(&p->vm.arena, sizeof **out);
        (*out)[0] = dflt;
        *n = 1;
        return;
    }
    if (v->kind == GL_Y_SCALAR) {
        *out = gl_arena_alloc(&p->vm.arena, sizeof **out);
        (*out)[0] = v->text;
        *n = 1;
        return;
    }
    if (v->kind != GL_Y_SEQ) {
        gl_load_error_at(p, doc, v, "write a list of folders, like [\"models\"]", "'%s' must be a list of paths", key);
        *n = 0;
        return;
    }
    *out = gl_arena_alloc(&p->vm.arena, (v->n + 1) * sizeof **out);
    *n = 0;
    for (uint32_t i = 0; i < v->n; i++) {
        if (v->items[i]->kind != GL_Y_SCALAR) {
            gl_load_error_at(p, doc, v->items[i], NULL, "'%s' entries must be folder names", key);
            continue;
        }
        (*out)[(*n)++] = v->items[i]->text;
    }
}

/* The first place needle stands in hay, or NULL. */
static const char *s_find_bytes(const char *hay, size_t n, const char *needle, size_t k)
{
    for (size_t i = 0; k && i + k <= n; i++)
        if (hay[i] == needle[0] && memcmp(hay + i, needle, k) == 0) return hay + i;
    return NULL;
}

gl_template *gl_load_mapped_template(gl_project *p, const gl_source *outer, uint32_t offset, const char *text)
{
    size_t n = strlen(text);
    char *copy = gl_xmalloc(n + 1);
    memcpy(copy, text, n + 1);
    gl_source *src = gl_source_new(outer->path, copy, n);
    src->outer = outer;
    src->outer_offset = offset;
    return s_parse_kept(p, src);
}

gl_template *gl_load_scalar_template(gl_project *p, const gl_ydoc *doc, const gl_ynode *v)
{
    const char *at = NULL;   /* where the text stands verbatim in the file, if it does */
    if (v->len && v->span.end <= doc->src->len)
        at = s_find_bytes(doc->src->text + v->span.start, v->span.end - v->span.start, v->text, v->len);
    return gl_load_mapped_template(p, doc->src, at ? (uint32_t)(at - doc->src->text) : v->span.start, v->text);
}

/* One on-run-start/on-run-end hook: an operation node named as dbt names it
 * (<project>-on-run-start-<i>), its text a template rendered at compile time (dbt does
 * not render hooks when it loads dbt_project.yml). */
static void s_hook(gl_project *p, gl_pkg *pkg, const gl_ydoc *doc, const gl_ynode *v, bool end, uint32_t i)
{
    const char *kind = end ? "on-run-end" : "on-run-start";
    gl_template *t = gl_load_scalar_template(p, doc, v);
    if (!t) return;
    gl_dnode *n = gl_arena_zalloc(&p->vm.arena, sizeof *n);
    n->type = GL_RT_OPERATION;
    n->pkg = pkg;
    n->name = gl_load_strf(p, "%s-%s-%u", pkg->name, kind, i);
    n->unique_id = gl_load_strf(p, "operation.%s.%s", pkg->name, n->name);
    n->path = "dbt_project.yml";
    n->compiled_path = gl_load_strf(p, "hooks/%s.sql", n->name);
    n->tpl = t;
    n->hook_value = v;
    n->hook_end = end;
    n->hook_index = i;
    n->props_doc = doc;
    n->config = gl_dict_new(&p->vm);
    n->file_config = gl_dict_new(&p->vm);
    n->test_kwargs = gl_none();
    gl_load_checksum(n, v->text, v->len);
    n->fqn = gl_arena_alloc(&p->vm.arena, 3 * sizeof *n->fqn);
    n->fqn[0] = pkg->name;
    n->fqn[1] = "hooks";
    n->fqn[2] = n->name;
    n->nfqn = 3;
    if (p->nhooks == p->caphooks) {
        p->caphooks = p->caphooks ? p->caphooks * 2 : 8;
        p->hooks = gl_xrealloc(p->hooks, p->caphooks * sizeof *p->hooks);
    }
    p->hooks[p->nhooks++] = n;
}

/* on-run-start / on-run-end: a string or a list of strings. */
static void s_hooks(gl_project *p, gl_pkg *pkg, const gl_ydoc *doc, bool end)
{
    const char *key = end ? "on-run-end" : "on-run-start";
    const gl_ynode *v = gl_ymap_get(doc->root, key);
    if (!v || (v->kind == GL_Y_SCALAR && gl_yscalar_kind(v) == GL_YS_NULL)) return;
    if (v->kind == GL_Y_SCALAR) {
        s_hook(p, pkg, doc, v, end, 0);
        return;
    }
    if (v->kind != GL_Y_SEQ) {
        gl_load_error_at(p, doc, v, "write one SQL string, or a list of them", "'%s' must be a string or a list of strings", key);
        return;
    }
    for (uint32_t i = 0; i < v->n; i++) {
        if (v->items[i]->kind != GL_Y_SCALAR) {
            gl_load_error_at(p, doc, v->items[i], "write each hook as one SQL string", "'%s' entries must be strings", key);
            continue;
        }
        s_hook(p, pkg, doc, v->items[i], end, i);
    }
}

/* docs-paths; dbt's default is every resource path and macro path (once each). */
static void s_docs_paths(gl_project *p, gl_pkg *pkg, const gl_ydoc *doc)
{
    if (gl_ymap_get(doc->root, "docs-paths")) {
        s_paths(p, pkg, doc, "docs-paths", NULL, NULL, &pkg->docs_paths, &pkg->ndocs_paths);
        return;
    }
    static const gl_rtype kinds[] = { GL_RT_MODEL, GL_RT_SEED, GL_RT_SNAPSHOT, GL_RT_ANALYSIS, GL_RT_TEST };
    uint32_t cap = pkg->nmacro_paths;
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) cap += pkg->npaths[kinds[k]];
    pkg->docs_paths = gl_arena_alloc(&p->vm.arena, (cap + 1) * sizeof *pkg->docs_paths);
    pkg->ndocs_paths = 0;
    for (uint32_t i = 0; i <= sizeof kinds / sizeof *kinds; i++) {
        bool macros = i == sizeof kinds / sizeof *kinds;
        uint32_t n = macros ? pkg->nmacro_paths : pkg->npaths[kinds[i]];
        for (uint32_t j = 0; j < n; j++) {
            const char *d = macros ? pkg->macro_paths[j] : pkg->paths[kinds[i]][j];
            bool seen = false;
            for (uint32_t k = 0; k < pkg->ndocs_paths && !seen; k++) seen = !strcmp(pkg->docs_paths[k], d);
            if (!seen) pkg->docs_paths[pkg->ndocs_paths++] = d;
        }
    }
}

static gl_pkg *s_load_package(gl_project *p, const char *dir, bool is_root)
{
    gl_buf path;
    gl_buf_init(&path);
    gl_path_join(&path, dir, "dbt_project.yml");
    gl_ydoc *doc = gl_load_yaml(p, path.data);
    bool exists = gl_fs_is_file(path.data);
    gl_buf_free(&path);
    if (!doc) {
        if (!exists && is_root)
            gl_diags_add(&p->diags, GL_SEV_ERROR, NULL, (gl_span){ 0, 0 },
                         "run gluec in the folder that holds dbt_project.yml, or pass --project-dir",
                         "no dbt_project.yml found in %s", dir);
        return NULL;
    }
    if (!doc->root || doc->root->kind != GL_Y_MAP) {
        gl_load_error_at(p, doc, doc->root, NULL, "dbt_project.yml must be a mapping of settings");
        return NULL;
    }
    gl_pkg *pkg = gl_arena_zalloc(&p->vm.arena, sizeof *pkg);
    pkg->dir = (char *)gl_load_str(p, dir, strlen(dir));
    pkg->is_root = is_root;
    pkg->yml = doc;
    const gl_ynode *name = gl_ymap_get(doc->root, "name");
    if (!gl_yscalar_text(name)) {
        gl_load_error_at(p, doc, name ? name : doc->root, "add `name: my_project` to dbt_project.yml",
                         "dbt_project.yml has no project name");
        pkg->name = "unnamed";
    } else {
        pkg->name = name->text;
    }
    for (uint32_t i = 0; i < doc->root->n; i++) {
        const char *k = doc->root->keys[i]->text;
        if (!s_in(k, s_project_keys))
            gl_load_warn_at(p, doc, doc->root->keys[i], NULL, "unknown key '%s' in dbt_project.yml is ignored", k);
    }
    s_paths(p, pkg, doc, "model-paths", "source-paths", "models", &pkg->paths[GL_RT_MODEL], &pkg->npaths[GL_RT_MODEL]);
    s_paths(p, pkg, doc, "seed-paths", "data-paths", "seeds", &pkg->paths[GL_RT_SEED], &pkg->npaths[GL_RT_SEED]);
    s_paths(p, pkg, doc, "snapshot-paths", NULL, "snapshots", &pkg->paths[GL_RT_SNAPSHOT], &pkg->npaths[GL_RT_SNAPSHOT]);
    s_paths(p, pkg, doc, "test-paths", NULL, "tests", &pkg->paths[GL_RT_TEST], &pkg->npaths[GL_RT_TEST]);
    s_paths(p, pkg, doc, "analysis-paths", NULL, "analyses", &pkg->paths[GL_RT_ANALYSIS], &pkg->npaths[GL_RT_ANALYSIS]);
    s_paths(p, pkg, doc, "macro-paths", NULL, "macros", &pkg->macro_paths, &pkg->nmacro_paths);
    pkg->cfg[GL_RT_MODEL] = gl_ymap_get(doc->root, "models");
    pkg->cfg[GL_RT_SEED] = gl_ymap_get(doc->root, "seeds");
    pkg->cfg[GL_RT_SNAPSHOT] = gl_ymap_get(doc->root, "snapshots");
    pkg->cfg[GL_RT_TEST] = gl_ymap_get(doc->root, "data_tests");
    if (!pkg->cfg[GL_RT_TEST]) pkg->cfg[GL_RT_TEST] = gl_ymap_get(doc->root, "tests");
    pkg->cfg[GL_RT_ANALYSIS] = gl_ymap_get(doc->root, "analyses");
    pkg->cfg[GL_RT_SOURCE] = gl_ymap_get(doc->root, "sources");
    pkg->cfg[GL_RT_EXPOSURE] = gl_ymap_get(doc->root, "exposures");
    const gl_ynode *vars = gl_ymap_get(doc->root, "vars");
    pkg->vars = vars ? gl_load_value(p, doc, vars, false) : gl_dict_new(&p->vm);   /* rendered by var() */
    if (pkg->vars.kind != GL_DICT) {
        gl_load_error_at(p, doc, vars, NULL, "'vars' must be a mapping of names to values");
        pkg->vars = gl_dict_new(&p->vm);
    }
    pkg->macros = gl_dict_new(&p->vm).u.dict;
    s_docs_paths(p, pkg, doc);
    s_hooks(p, pkg, doc, false);
    s_hooks(p, pkg, doc, true);
    return pkg;
}

static void s_add_pkg(gl_project *p, gl_pkg *pkg)
{
    p->pkgs = gl_xrealloc(p->pkgs, (p->npkgs + 1) * sizeof *p->pkgs);
    p->pkgs[p->npkgs++] = pkg;
}

gl_pkg *gl_project_pkg(const gl_project *p, const char *name)
{
    for (uint32_t i = 0; i < p->npkgs; i++)
        if (strcmp(p->pkgs[i]->name, name) == 0) return p->pkgs[i];
    return NULL;
}

/* packages.yml / dependencies.yml are read only to tell when fewer packages are
 * installed than declared (dbt's check), naming the declared ones. */
static void s_check_declared(gl_project *p, gl_pkg *root, const char *install)
{
    const char *files[] = { "packages.yml", "dependencies.yml" };
    for (int f = 0; f < 2; f++) {
        gl_buf path;
        gl_buf_init(&path);
        gl_path_join(&path, root->dir, files[f]);
        gl_ydoc *doc = gl_load_yaml(p, path.data);
        gl_buf_free(&path);
        const gl_ynode *list = doc && doc->root ? gl_ymap_get(doc->root, "packages") : NULL;
        if (!list || list->kind != GL_Y_SEQ) continue;
        uint32_t installed = p->npkgs - 1;
        if (list->n <= installed) continue;
        gl_buf names;
        gl_buf_init(&names);
        for (uint32_t i = 0; i < list->n; i++) {
            const gl_ynode *e = list->items[i], *v = gl_ymap_get(e, "package");
            if (!v) v = gl_ymap_get(e, "git");
            if (!v) v = gl_ymap_get(e, "local");
            if (v && v->kind == GL_Y_SCALAR) gl_buf_printf(&names, "%s%s", names.len ? ", " : "", v->text);
        }
        gl_load_error_at(p, doc, list, "run `dbt deps` to install them, then compile again",
                         "%s declares %u package%s (%s) but %u %s installed in %s/", files[f], list->n,
                         list->n == 1 ? "" : "s", names.data ? names.data : "", installed,
                         installed == 1 ? "is" : "are", install);
        gl_buf_free(&names);
    }
}

/* Installed packages: every folder of packages-install-path with a dbt_project.yml,
 * in name order; packages.yml entries that are not installed are reported. */
static void s_load_packages(gl_project *p, gl_pkg *root)
{
    const gl_ynode *ip = gl_ymap_get(root->yml->root, "packages-install-path");
    const char *install = gl_yscalar_text(ip) ? ip->text : "dbt_packages";
    gl_buf dir, yml;
    gl_buf_init(&dir);
    gl_buf_init(&yml);
    gl_path_join(&dir, root->dir, install);
    gl_pathlist files = {0};
    gl_fs_walk(dir.data, ".", &files);
    for (size_t i = 0; i < files.n; i++) {
        const char *f = files.paths[i];
        const char *slash = strchr(f, '/');
        if (!slash || strcmp(slash, "/dbt_project.yml") != 0) continue;
        gl_buf_truncate(&yml, 0);
        gl_path_join(&yml, dir.data, f);
        yml.data[yml.len - strlen("/dbt_project.yml")] = '\0';
        gl_pkg *pkg = s_load_package(p, yml.data, false);
        if (pkg) s_add_pkg(p, pkg);
    }
    gl_pathlist_free(&files);
    gl_buf_free(&dir);
    gl_buf_free(&yml);
    s_check_declared(p, root, install);
    gl_selectors_load(p, root);
}

/* ---------------------------------------------------------------- profiles.yml */

static const char *const s_glue_required[] = { "role_arn", "region", "workers", "worker_type", "schema", NULL };
/* The Jinja `target`: every GlueCredentials connection key, in dbt-glue's order, with
 * its default when the profile leaves it out (None for most), then type, threads, name,
 * target_name, profile_name. database, custom_iceberg_catalog_namespace and
 * root_location are credentials but not connection keys: they stay out. */
typedef enum { S_NONE, S_INT, S_FLOAT, S_STR, S_BOOL } s_kind;
static const struct { const char *key; s_kind kind; const char *dflt; } s_glue_keys[] = {
    { "role_arn", S_NONE, 0 }, { "region", S_NONE, 0 }, { "workers", S_NONE, 0 },
    { "worker_type", S_NONE, 0 }, { "session_provisioning_timeout_in_seconds", S_INT, "120" },
    { "schema", S_NONE, 0 }, { "temp_schema", S_NONE, 0 }, { "location", S_NONE, 0 },
    { "extra_jars", S_NONE, 0 }, { "idle_timeout", S_INT, "10" }, { "query_timeout_in_minutes", S_INT, "300" },
    { "glue_version", S_STR, "5.0" }, { "security_configuration", S_NONE, 0 }, { "connections", S_NONE, 0 },
    { "conf", S_NONE, 0 }, { "extra_py_files", S_NONE, 0 }, { "delta_athena_prefix", S_NONE, 0 },
    { "tags", S_NONE, 0 }, { "seed_format", S_STR, "parquet" }, { "seed_mode", S_STR, "overwrite" },
    { "default_arguments", S_NONE, 0 }, { "iceberg_glue_commit_lock_table", S_STR, "myGlueLockTable" },
    { "use_interactive_session_role_for_api_calls", S_BOOL, 0 }, { "lf_tags", S_NONE, 0 },
    { "glue_session_id", S_NONE, 0 }, { "glue_session_reuse", S_BOOL, 0 }, { "datalake_formats", S_NONE, 0 },
    { "enable_session_per_model", S_BOOL, 0 }, { "group_session_id", S_NONE, 0 }, { "use_arrow", S_BOOL, 0 },
    { "enable_spark_seed_casting", S_BOOL, 0 }, { "statement_poll_interval", S_FLOAT, "1.0" },
    { "boto_retry_mode", S_STR, "adaptive" }, { "boto_retry_max_attempts", S_INT, "10" }, { "packages", S_NONE, 0 },
};

static gl_value s_glue_default(size_t i)
{
    switch (s_glue_keys[i].kind) {
    case S_INT: return gl_int(strtoll(s_glue_keys[i].dflt, NULL, 10));
    case S_FLOAT: return gl_float(strtod(s_glue_keys[i].dflt, NULL));
    case S_STR: return gl_cstr(s_glue_keys[i].dflt);
    case S_BOOL: return gl_bool(false);
    case S_NONE: break;
    }
    return gl_none();
}

/* packages: "a, b" in a profile is the list ['a', 'b'], as GlueCredentials reads it. */
static gl_value s_glue_packages(gl_vm *vm, gl_value v)
{
    if (v.kind != GL_STR) return v;
    gl_value list = gl_list_new(vm, 4);
    size_t start = 0;
    for (size_t i = 0; i <= v.len; i++) {
        if (i < v.len && v.u.s[i] != ',') continue;
        size_t a = start, b = i;
        while (a < b && isspace((unsigned char)v.u.s[a])) a++;
        while (b > a && isspace((unsigned char)v.u.s[b - 1])) b--;
        gl_list_push(vm, list.u.list, gl_str_copy(vm, v.u.s + a, b - a));
        start = i + 1;
    }
    return list;
}

static int s_cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void s_profiles_path(gl_project *p, gl_pkg *root, gl_buf *out)
{
    const char *dir = p->opts.profiles_dir;
    if (!dir) dir = getenv("DBT_PROFILES_DIR");
    if (dir) {
        gl_path_join(out, dir, "profiles.yml");
        return;
    }
    gl_path_join(out, root->dir, "profiles.yml");
    if (gl_fs_is_file(out->data)) return;
    const char *home = getenv("HOME");
    gl_buf d;
    gl_buf_init(&d);
    gl_path_join(&d, home ? home : ".", ".dbt");
    gl_path_join(out, d.data, "profiles.yml");
    gl_buf_free(&d);
}

static void s_build_target(gl_project *p, const char *profile, const char *target, gl_value output)
{
    gl_vm *vm = &p->vm;
    p->target = gl_dict_new(vm);
    p->session = gl_dict_new(vm);
    gl_dict *od = output.u.dict;
    for (uint32_t i = 0; i < od->nentries; i++) {
        if (!od->entries[i].live) continue;
        gl_value k = od->entries[i].key, v = od->entries[i].value;
        if (k.len != 4 || memcmp(k.u.s, "type", 4) != 0) gl_dict_set(vm, p->session.u.dict, k, v);
    }
    for (size_t i = 0; i < sizeof s_glue_keys / sizeof *s_glue_keys; i++) {
        gl_value v;
        if (!gl_dict_get_cstr(od, s_glue_keys[i].key, &v)) v = s_glue_default(i);
        else if (!strcmp(s_glue_keys[i].key, "packages")) v = s_glue_packages(vm, v);
        gl_dict_set_cstr(vm, p->target.u.dict, s_glue_keys[i].key, v);
    }
    gl_value type, threads;
    gl_dict_set_cstr(vm, p->target.u.dict, "type", gl_dict_get_cstr(od, "type", &type) ? type : gl_cstr("glue"));
    if (!gl_dict_get_cstr(od, "threads", &threads)) threads = gl_int(1);
    gl_dict_set_cstr(vm, p->target.u.dict, "threads", threads);
    gl_dict_set_cstr(vm, p->target.u.dict, "name", gl_cstr(target));
    gl_dict_set_cstr(vm, p->target.u.dict, "target_name", gl_cstr(target));
    gl_dict_set_cstr(vm, p->target.u.dict, "profile_name", gl_cstr(profile));
}

static void s_load_profile(gl_project *p, gl_pkg *root)
{
    const gl_ynode *pn = gl_ymap_get(root->yml->root, "profile");
    const char *profile = p->opts.profile ? p->opts.profile : gl_yscalar_text(pn);
    if (!profile) {
        gl_load_error_at(p, root->yml, root->yml->root, "add `profile: <name>` naming a profile of profiles.yml",
                         "dbt_project.yml names no profile");
        return;
    }
    gl_buf path;
    gl_buf_init(&path);
    s_profiles_path(p, root, &path);
    gl_ydoc *doc = gl_load_yaml(p, path.data);
    if (!doc) {
        if (!gl_fs_is_file(path.data))
            gl_diags_add(&p->diags, GL_SEV_ERROR, NULL, (gl_span){ 0, 0 },
                         "pass --profiles-dir, set DBT_PROFILES_DIR, or put profiles.yml next to dbt_project.yml",
                         "profiles.yml not found at %s", path.data);
        gl_buf_free(&path);
        return;
    }
    gl_buf_free(&path);
    const gl_ynode *prof = doc->root ? gl_ymap_get(doc->root, profile) : NULL;
    if (!prof || prof->kind != GL_Y_MAP) {
        gl_load_error_at(p, doc, doc->root, "the profile named in dbt_project.yml must be a top-level key here",
                         "profile '%s' not found in profiles.yml", profile);
        return;
    }
    const gl_ynode *tn = gl_ymap_get(prof, "target");
    const char *target = p->opts.target ? p->opts.target : gl_yscalar_text(tn) ? tn->text : "default";
    const gl_ynode *outputs = gl_ymap_get(prof, "outputs");
    const gl_ynode *out = outputs ? gl_ymap_get(outputs, target) : NULL;
    if (!out || out->kind != GL_Y_MAP) {
        gl_load_error_at(p, doc, outputs ? outputs : prof, "add it under outputs:, or choose another with --target",
                         "target '%s' not found in profile '%s'", target, profile);
        return;
    }
    gl_value output = gl_load_value(p, doc, out, true);
    if (output.kind != GL_DICT) return;
    gl_value type;
    if (!gl_dict_get_cstr(output.u.dict, "type", &type) || type.kind != GL_STR || type.len != 4 ||
        memcmp(type.u.s, "glue", 4) != 0) {
        const gl_ynode *tnode = gl_ymap_get(out, "type");
        gl_load_error_at(p, doc, tnode ? tnode : out, "gluec compiles for the dbt-glue adapter: set `type: glue`",
                         "target '%s' is not a glue target", target);
        return;
    }
    const char *missing[8];
    int nmissing = 0;
    for (const char *const *f = s_glue_required; *f; f++) {
        gl_value v;
        if (!gl_dict_get_cstr(output.u.dict, *f, &v) || v.kind == GL_NONE) missing[nmissing++] = *f;
    }
    if (nmissing) {
        qsort(missing, (size_t)nmissing, sizeof *missing, s_cmp_str);
        gl_buf list;
        gl_buf_init(&list);
        for (int i = 0; i < nmissing; i++)
            gl_buf_printf(&list, "%s'%s'", i == 0 ? "" : i == nmissing - 1 ? " and " : ", ", missing[i]);
        gl_load_error_at(p, doc, out, "dbt-glue needs role_arn, region, workers, worker_type and schema in every glue target",
                         "target '%s' of profile '%s' is missing required field%s %s", target, profile,
                         nmissing > 1 ? "s" : "", list.data);
        gl_buf_free(&list);
        for (uint32_t i = 0; i < outputs->n; i++)
            if (strcmp(outputs->keys[i]->text, target) == 0) p->diags.items[p->diags.n - 1].span = outputs->keys[i]->span;
    }
    gl_value db, sch;
    if (gl_dict_get_cstr(output.u.dict, "database", &db) && db.kind != GL_NONE &&
        gl_dict_get_cstr(output.u.dict, "schema", &sch) && !gl_equal(db, sch)) {
        const gl_ynode *dn = gl_ymap_get(out, "database");
        gl_load_error_at(p, doc, dn ? dn : out, "remove database:, or give it the schema's value",
                         "on Spark, database must be omitted or have the same value as schema");
    }
    s_build_target(p, profile, target, output);
}

/* ---------------------------------------------------------------- discovery */

static int s_cmp_node(const void *a, const void *b)
{
    const gl_dnode *x = *(gl_dnode *const *)a, *y = *(gl_dnode *const *)b;
    int c = strcmp(x->unique_id, y->unique_id);
    return c ? c : strcmp(x->path, y->path);   /* duplicates: a stable, path order */
}

long gl_project_find(const gl_project *p, const char *unique_id)
{
    gl_value v;
    if (!p->by_uid || !gl_dict_get(p->by_uid, gl_cstr(unique_id), &v)) return -1;
    return (long)v.u.i;
}

void gl_load_checksum(gl_dnode *n, const char *text, size_t len)
{
    SHA256Data((const uint8_t *)text, len, n->checksum);
}

gl_dnode *gl_load_add_node(gl_project *p, gl_pkg *pkg, gl_rtype type, const char *name,
                           const char *path, const gl_source *src)
{
    gl_dnode *n = gl_arena_zalloc(&p->vm.arena, sizeof *n);
    n->type = type;
    n->pkg = pkg;
    n->name = name;
    n->path = path;
    n->unique_id = gl_load_strf(p, "%s.%s.%s", gl_rtype_name(type), pkg->name, name);
    n->config = gl_dict_new(&p->vm);
    n->file_config = gl_dict_new(&p->vm);
    n->test_kwargs = gl_none();
    if (src) gl_load_checksum(n, src->text, src->len);
    if (p->nnodes == p->capnodes) {
        p->capnodes = p->capnodes ? p->capnodes * 2 : 64;
        p->nodes = gl_xrealloc(p->nodes, p->capnodes * sizeof *p->nodes);
    }
    p->nodes[p->nnodes++] = n;
    return n;
}

void gl_load_fqn(gl_project *p, gl_dnode *n, const char *rel_dir, const char *last)
{
    uint32_t parts = 4;   /* package, first folder, last, and one spare (sources) */
    for (const char *s = rel_dir; s && *s; s++) if (*s == '/') parts++;
    n->fqn = gl_arena_alloc(&p->vm.arena, parts * sizeof *n->fqn);
    n->nfqn = 0;
    n->fqn[n->nfqn++] = n->pkg->name;
    for (const char *s = rel_dir; s && *s;) {
        const char *e = strchr(s, '/');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        if (len) n->fqn[n->nfqn++] = gl_load_str(p, s, len);
        s = e ? e + 1 : s + len;
    }
    n->fqn[n->nfqn++] = last;
}

/* "models/staging/x.sql" under resource dir "models": folders "staging", stem "x". */
static void s_split(gl_project *p, const char *rel, const char *resdir, const char **dirs, const char **stem)
{
    size_t skip = strlen(resdir);
    const char *in = strncmp(rel, resdir, skip) == 0 && rel[skip] == '/' ? rel + skip + 1 : rel;
    const char *slash = strrchr(in, '/');
    *dirs = slash ? gl_load_str(p, in, (size_t)(slash - in)) : "";
    const char *base = slash ? slash + 1 : in;
    const char *dot = strrchr(base, '.');
    *stem = gl_load_str(p, base, dot ? (size_t)(dot - base) : strlen(base));
}

static void s_register_macros(gl_project *p, gl_pkg *pkg, gl_template *t)
{
    gl_vm *vm = &p->vm;
    for (uint32_t i = 0; i < t->root->nitems; i++) {
        const gl_node *m = t->root->items[i];
        if (m->kind != GL_N_MACRO) continue;
        gl_value key = gl_str(m->name->str, m->name->len), old;
        if (gl_dict_get(pkg->macros, key, &old)) {
            const gl_node *first = gl_macro_node(old.u.macro);
            (void)first;
            gl_diags_add(&p->diags, GL_SEV_ERROR, t->src, m->span,
                         "rename one of them; dbt allows one macro of a name per package",
                         "macro '%s' is defined twice in package '%s'", m->name->str, pkg->name);
            continue;
        }
        gl_dict_set(vm, pkg->macros, key, gl_macro_make(vm, t, m));
    }
}

static void s_discover_macros(gl_project *p, gl_pkg *pkg)
{
    gl_buf full;
    gl_buf_init(&full);
    for (uint32_t d = 0; d <= pkg->nmacro_paths + pkg->npaths[GL_RT_TEST]; d++) {
        gl_pathlist files = {0};
        if (d < pkg->nmacro_paths) {
            gl_fs_walk(pkg->dir, pkg->macro_paths[d], &files);
        } else if (d < pkg->nmacro_paths + pkg->npaths[GL_RT_TEST]) {   /* <test-path>/generic */
            gl_buf g;
            gl_buf_init(&g);
            gl_path_join(&g, pkg->paths[GL_RT_TEST][d - pkg->nmacro_paths], "generic");
            gl_fs_walk(pkg->dir, g.data, &files);
            gl_buf_free(&g);
        }
        for (size_t i = 0; i < files.n; i++) {
            if (!gl_str_ends_with(files.paths[i], ".sql")) continue;
            gl_path_join(&full, pkg->dir, files.paths[i]);
            gl_template *t = gl_load_template(p, full.data, NULL);
            if (t) s_register_macros(p, pkg, t);
        }
        gl_pathlist_free(&files);
    }
    gl_buf_free(&full);
}

/* The raw text between {% docs name %} and its {% enddocs %}: [*start, *end). */
static bool s_docs_contents(const gl_source *src, const gl_node *b, uint32_t *start, uint32_t *end)
{
    const char *t = src->text, *open = strstr(t + b->span.start, "%}");
    if (!open) return false;
    for (const char *e = strstr(open + 2, "enddocs"); e; e = strstr(e + 7, "enddocs")) {
        const char *q = e - 1;   /* back over blanks and an optional "-" to "{%" */
        while (q > open + 2 && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')) q--;
        if (*q == '-') q--;
        if (q >= open + 3 && *q == '%' && q[-1] == '{') {
            *start = (uint32_t)(open + 2 - t);
            *end = (uint32_t)(q - 1 - t);
            return true;
        }
    }
    return false;
}

/* One docs block: its contents rendered with an empty context and stripped, as dbt's
 * DocumentationParser stores them. */
static void s_docs_block(gl_project *p, gl_pkg *pkg, const gl_template *t, const gl_node *b)
{
    uint32_t start, end;
    if (!s_docs_contents(t->src, b, &start, &end)) return;
    gl_value name = gl_cstr(b->name->str), prev;
    if (gl_dict_get(pkg->doc_files, name, &prev)) {
        gl_diags_add(&p->diags, GL_SEV_ERROR, t->src, b->span, "docs names must be unique within a package",
                     "duplicate docs block '%s' (also defined in %.*s)", b->name->str, (int)prev.len, prev.u.s);
        return;
    }
    char *text = gl_xmalloc(end - start + 1);
    memcpy(text, t->src->text + start, end - start);
    text[end - start] = '\0';
    gl_source *src = gl_source_new(t->src->path, text, end - start);
    src->outer = t->src;
    src->outer_offset = start;
    gl_template *body = s_parse_kept(p, src);
    if (!body) return;
    gl_vm *vm = &p->vm;
    gl_buf out;
    gl_buf_init(&out);
    if (gl_eval_check(vm, body) && gl_render(vm, body, gl_dict_new(vm), &out)) {
        size_t i = 0, n = out.len;
        while (i < n && isspace((unsigned char)out.data[i])) i++;
        while (n > i && isspace((unsigned char)out.data[n - 1])) n--;
        gl_dict_set(vm, pkg->doc_blocks, name, gl_str_copy(vm, out.data ? out.data + i : "", n - i));
        gl_dict_set(vm, pkg->doc_files, name, gl_cstr(t->src->path));
    } else {
        gl_diags_take(&p->diags, &vm->error);
    }
    gl_buf_free(&out);
}

/* Markdown files under the docs paths: their {% docs %} blocks. */
static void s_discover_docs(gl_project *p, gl_pkg *pkg)
{
    pkg->doc_blocks = gl_dict_new(&p->vm).u.dict;
    pkg->doc_files = gl_dict_new(&p->vm).u.dict;
    gl_buf full;
    gl_buf_init(&full);
    for (uint32_t d = 0; d < pkg->ndocs_paths; d++) {
        gl_pathlist files = {0};
        gl_fs_walk(pkg->dir, pkg->docs_paths[d], &files);
        for (size_t i = 0; i < files.n; i++) {
            if (!gl_str_ends_with(files.paths[i], ".md")) continue;
            gl_path_join(&full, pkg->dir, files.paths[i]);
            gl_template *t = gl_load_template(p, full.data, NULL);
            for (uint32_t k = 0; t && k < t->root->nitems; k++)
                if (t->root->items[k]->kind == GL_N_DOCS) s_docs_block(p, pkg, t, t->root->items[k]);
        }
        gl_pathlist_free(&files);
    }
    gl_buf_free(&full);
}

static bool s_under_generic(const char *rel, const char *testdir)
{
    size_t n = strlen(testdir);
    return strncmp(rel, testdir, n) == 0 && strncmp(rel + n, "/generic/", 9) == 0;
}

/* A snapshot file: one node per {% snapshot name %} block, named by the block; its fqn
 * has the file's folders, the file name, then the snapshot name (dbt's rule). */
static void s_snapshots(gl_project *p, gl_pkg *pkg, gl_template *t, const char *path, const char *dirs,
                        const char *stem)
{
    uint32_t found = 0;
    for (uint32_t i = 0; i < t->root->nitems; i++) {
        const gl_node *b = t->root->items[i];
        if (b->kind != GL_N_SNAPSHOT) continue;
        gl_dnode *n = gl_load_add_node(p, pkg, GL_RT_SNAPSHOT, b->name->str, path, t->src);
        n->tpl = t;
        gl_load_fqn(p, n, *dirs ? gl_load_strf(p, "%s/%s", dirs, stem) : stem, b->name->str);
        found++;
    }
    if (!found)
        gl_diags_add(&p->diags, GL_SEV_WARNING, t->src, (gl_span){ 0, 0 },
                     "a snapshot is written as {% snapshot name %} ... {% endsnapshot %}",
                     "no snapshot block in this file of the snapshot paths");
}

/* A Python model (models/x.py, def model(dbt, session)) is a node dbt builds, and gluec
 * cannot compile one yet: an error at its def model, so no plan silently lacks it. */
static void s_python_model(gl_project *p, gl_pkg *pkg, const char *rel)
{
    gl_buf full;
    gl_buf_init(&full);
    gl_path_join(&full, pkg->dir, rel);
    gl_source *src = gl_source_read(full.data);
    gl_buf_free(&full);
    if (!src) {
        gl_diags_add(&p->diags, GL_SEV_ERROR, NULL, (gl_span){ 0, 0 }, NULL, "cannot read %s/%s", pkg->dir, rel);
        return;
    }
    s_keep_source(p, src);
    const char *def = strstr(src->text, "def model");
    uint32_t at = def ? (uint32_t)(def - src->text) : 0;
    gl_diags_add(&p->diags, GL_SEV_ERROR, src, (gl_span){ at, at + (def ? 9 : 0) },
                 "write the model in SQL, or leave it out of the model paths, to compile this project with gluec",
                 "Python models are not supported by gluec yet");
}

static void s_discover_kind(gl_project *p, gl_pkg *pkg, gl_rtype type)
{
    gl_buf full;
    gl_buf_init(&full);
    for (uint32_t d = 0; d < pkg->npaths[type]; d++) {
        const char *resdir = pkg->paths[type][d];
        gl_pathlist files = {0};
        gl_fs_walk(pkg->dir, resdir, &files);
        for (size_t i = 0; i < files.n; i++) {
            const char *rel = files.paths[i];
            if (gl_str_ends_with(rel, ".yml") || gl_str_ends_with(rel, ".yaml")) {
                gl_props_load(p, pkg, rel, resdir);
                continue;
            }
            bool sql = gl_str_ends_with(rel, ".sql");
            if (type == GL_RT_MODEL && gl_str_ends_with(rel, ".py")) {
                s_python_model(p, pkg, rel);
                continue;
            }
            if (type == GL_RT_SEED ? !gl_str_ends_with(rel, ".csv") : !sql) continue;
            if (type == GL_RT_TEST && s_under_generic(rel, resdir)) continue;
            const char *dirs, *stem;
            s_split(p, rel, resdir, &dirs, &stem);
            gl_path_join(&full, pkg->dir, rel);
            const char *path = gl_load_str(p, rel, strlen(rel));
            if (type == GL_RT_SEED) {
                gl_source *src = gl_source_read(full.data);
                if (!src) { gl_diags_add(&p->diags, GL_SEV_ERROR, NULL, (gl_span){ 0, 0 }, NULL, "cannot read %s", full.data); continue; }
                gl_dnode *n = gl_load_add_node(p, pkg, type, stem, path, src);
                gl_load_fqn(p, n, dirs, stem);
                s_keep_source(p, src);
                continue;
            }
            gl_template *t = gl_load_template(p, full.data, NULL);
            if (!t) continue;
            if (type == GL_RT_SNAPSHOT) {
                s_snapshots(p, pkg, t, path, dirs, stem);
                continue;
            }
            gl_dnode *n = gl_load_add_node(p, pkg, type, stem, path, t->src);
            n->tpl = t;
            gl_load_fqn(p, n, dirs, stem);
        }
        gl_pathlist_free(&files);
    }
    gl_buf_free(&full);
}

/* Two nodes with one unique id: dbt refuses the project; name both files. */
static void s_check_duplicates(gl_project *p)
{
    for (uint32_t i = 1; i < p->nnodes; i++) {
        gl_dnode *a = p->nodes[i - 1], *b = p->nodes[i];
        if (strcmp(a->unique_id, b->unique_id) != 0) continue;
        const gl_source *src = b->tpl ? b->tpl->src : NULL;
        gl_diags_add(&p->diags, GL_SEV_ERROR, src, (gl_span){ 0, 0 },
                     "names must be unique across the project's folders; rename one file (an alias can keep the table name)",
                     "duplicate %s name '%s' (also defined in %s/%s)", gl_rtype_name(b->type), b->name,
                     a->pkg->dir, a->path);
    }
}

void gl_project_reindex(gl_project *p)
{
    if (p->nnodes > 1) qsort(p->nodes, p->nnodes, sizeof *p->nodes, s_cmp_node);
    p->by_uid = gl_dict_new(&p->vm).u.dict;
    for (uint32_t i = 0; i < p->nnodes; i++)
        gl_dict_set(&p->vm, p->by_uid, gl_cstr(p->nodes[i]->unique_id), gl_int(i));
}

static void s_load_state(gl_project *p);

gl_project *gl_project_load(const gl_project_opts *opts)
{
    gl_project *p = gl_xcalloc(1, sizeof *p);
    gl_intern_init(&p->names);
    gl_vm_init(&p->vm, &p->names);
    p->opts = *opts;
    if (!p->opts.project_dir) p->opts.project_dir = ".";
    p->cli_vars = gl_dict_new(&p->vm);
    p->target = gl_dict_new(&p->vm);
    p->session = gl_dict_new(&p->vm);
    gl_load_cli_vars(p);
    s_load_state(p);
    gl_pkg *root = s_load_package(p, p->opts.project_dir, true);
    if (!root) return p;
    s_add_pkg(p, root);
    s_load_profile(p, root);
    s_load_packages(p, root);
    for (uint32_t i = 0; i < p->npkgs; i++) {
        gl_pkg *pkg = p->pkgs[i];
        s_discover_macros(p, pkg);
        s_discover_docs(p, pkg);
        s_discover_kind(p, pkg, GL_RT_MODEL);
        s_discover_kind(p, pkg, GL_RT_SEED);
        s_discover_kind(p, pkg, GL_RT_SNAPSHOT);
        s_discover_kind(p, pkg, GL_RT_TEST);
        s_discover_kind(p, pkg, GL_RT_ANALYSIS);
    }
    gl_project_reindex(p);
    s_check_duplicates(p);
    gl_props_attach(p);
    gl_generic_tests_build(p);
    return p;
}

/* What compiling a node malloc'd (the rest of it lives in the project's arenas). */
static void s_free_results(gl_dnode *n)
{
    free(n->compiled);
    free(n->pre_injected);
    free(n->ctes);
}

void gl_project_free(gl_project *p)
{
    if (!p) return;
    for (uint32_t i = 0; i < p->nnodes; i++) s_free_results(p->nodes[i]);
    free(p->nodes);
    for (uint32_t i = 0; i < p->nhooks; i++) s_free_results(p->hooks[i]);
    free(p->hooks);
    for (uint32_t i = 0; i < p->ntemplates; i++) gl_template_free(p->templates[i]);
    free(p->templates);
    for (uint32_t i = 0; i < p->ndocs; i++) gl_ydoc_free(p->docs[i]);
    free(p->docs);
    for (uint32_t i = 0; i < p->nsources; i++) gl_source_free(p->sources[i]);
    free(p->sources);
    free(p->pkgs);
    free(p->propfiles);
    free(p->tests);
    gl_diags_free(&p->diags);
    gl_vm_free(&p->vm);
    gl_intern_free(&p->names);
    free(p);
}

/* --state FILE: a JSON (or YAML) list of the relations that exist in the catalog, each
 * "schema.identifier" or {"schema": ..., "identifier": ..., "type": "table"|"view"}. */
static void s_load_state(gl_project *p)
{
    if (!p->opts.state) return;
    gl_ydoc *doc = gl_load_yaml(p, p->opts.state);
    if (!doc) {
        if (!gl_fs_is_file(p->opts.state))
            gl_diags_add(&p->diags, GL_SEV_ERROR, NULL, (gl_span){ 0, 0 }, NULL, "--state: cannot read %s", p->opts.state);
        return;
    }
    gl_vm *vm = &p->vm;
    p->existing = gl_dict_new(vm).u.dict;
    const gl_ynode *list = doc->root;
    if (!list || list->kind != GL_Y_SEQ) {
        gl_load_error_at(p, doc, list, "write a list such as [\"analytics.orders\", {\"schema\": \"analytics\", "
                         "\"identifier\": \"v_orders\", \"type\": \"view\"}]", "--state must be a list of relations");
        return;
    }
    for (uint32_t i = 0; i < list->n; i++) {
        const gl_ynode *e = list->items[i], *schema = gl_ymap_get(e, "schema"), *ident = gl_ymap_get(e, "identifier");
        const gl_ynode *type = gl_ymap_get(e, "type");
        const char *name = NULL;
        if (e->kind == GL_Y_SCALAR) name = e->text;
        else if (gl_yscalar_text(schema) && gl_yscalar_text(ident)) name = gl_load_strf(p, "%s.%s", schema->text, ident->text);
        if (!name || !strchr(name, '.')) {
            gl_load_error_at(p, doc, e, "each relation is \"schema.identifier\" or has schema and identifier",
                             "--state entry names no relation");
            continue;
        }
        gl_dict_set(vm, p->existing, gl_cstr(name), gl_cstr(gl_yscalar_text(type) ? type->text : "table"));
    }
}

void gl_load_cli_vars(gl_project *p)
{
    if (!p->opts.vars || !*p->opts.vars) return;
    size_t n = strlen(p->opts.vars);
    char *text = gl_xmalloc(n + 1);
    memcpy(text, p->opts.vars, n + 1);
    gl_source *src = gl_source_new("--vars", text, n);
    gl_diag err = {0};
    gl_source *err_src = NULL;
    gl_ydoc *doc = gl_yaml_load(src, &err, &err_src);
    if (!doc) {
        s_keep_source(p, err_src);
        gl_diags_take(&p->diags, &err);
        return;
    }
    s_keep_doc(p, doc);
    if (!doc->root || doc->root->kind != GL_Y_MAP) {
        gl_load_error_at(p, doc, doc->root, "write --vars '{key: value}'", "--vars must be a YAML or JSON mapping");
        return;
    }
    p->cli_vars = gl_load_value(p, doc, doc->root, false);
}
