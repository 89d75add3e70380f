/* src/codegen/compile.c - the compile pipeline (codegen layer): gluec's macro library,
 * the parse-phase render of every node, configs, relation names through the
 * generate_*_name macros, dependencies and the DAG (cycles reported whole), then the
 * real render in execution order with ephemeral models injected as CTEs exactly as
 * dbt-core injects them. */
#include "codegen/compile.h"
#include "jinja/eval.h"
#include "project/load.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- the macro library */

static void s_load_library(gl_compile *c)
{
    gl_project *p = c->p;
    gl_vm *vm = &p->vm;
    c->internal_macros = gl_dict_new(vm);
    c->internal_macros.kind = GL_NAMESPACE;
    gl_buf path;
    gl_buf_init(&path);
    for (size_t i = 0; gl_embedded_templates[i].path; i++) {
        gl_buf_truncate(&path, 0);
        gl_buf_printf(&path, "<gluec>/%s", gl_embedded_templates[i].path);
        /* the project owns it (and reports a syntax error in it like any other) */
        gl_template *t = gl_load_inline_template(p, path.data, gl_embedded_templates[i].text);
        if (t) t->src->library = true;
        for (uint32_t k = 0; t && k < t->root->nitems; k++) {
            const gl_node *m = t->root->items[k];
            if (m->kind == GL_N_MACRO)
                gl_dict_set(vm, c->internal_macros.u.dict, gl_str(m->name->str, m->name->len), gl_macro_make(vm, t, m));
        }
    }
    gl_buf_free(&path);
}

gl_compile *gl_compile_new(gl_project *p)
{
    gl_compile *c = gl_xcalloc(1, sizeof *c);
    c->p = p;
    c->pkg_globals = gl_xcalloc(p->npkgs + 1, sizeof *c->pkg_globals);
    c->jinja_globals = p->vm.globals;
    s_load_library(c);
    return c;
}

void gl_compile_free(gl_compile *c)
{
    if (!c) return;
    c->p->vm.globals = c->jinja_globals;
    free(c->pkg_globals);
    free(c->ctes);
    free(c->order);
    free(c->models);
    free(c);
}

/* ---------------------------------------------------------------- rendering */

static char *s_dup(const char *s, size_t n);

static bool s_sql_node(const gl_dnode *n)
{
    return n->tpl && (n->type == GL_RT_MODEL || n->type == GL_RT_ANALYSIS || n->type == GL_RT_TEST ||
                      n->type == GL_RT_SNAPSHOT || n->type == GL_RT_OPERATION);
}

static void s_take_error(gl_compile *c, gl_dnode *n)
{
    gl_vm *vm = &c->p->vm;
    gl_diag d = vm->error;
    memset(&vm->error, 0, sizeof vm->error);
    if (n->type == GL_RT_OPERATION && d.message) {   /* say which hook the line belongs to */
        char *m = gl_xmalloc(strlen(d.message) + strlen(n->name) + 16);
        sprintf(m, "in hook %s: %s", n->name, d.message);
        free(d.message);
        d.message = m;
    }
    gl_diags_take(&c->p->diags, &d);
    n->failed = true;
}

/* dbt's looks_like_func: a test argument written as a call ("ref('customers')"). */
static bool s_looks_like_call(gl_value v)
{
    static const char *const fns[] = { "env_var", "ref", "var", "source", "doc", NULL };
    size_t i = 0, n = v.len;
    while (i < n && isspace((unsigned char)v.u.s[i])) i++;
    while (n > i && isspace((unsigned char)v.u.s[n - 1])) n--;
    for (const char *const *f = fns; *f; f++) {
        size_t k = strlen(*f), j = i + k;
        if (n - i <= k || strncmp(v.u.s + i, *f, k) != 0) continue;
        while (j < n && isspace((unsigned char)v.u.s[j])) j++;
        if (j < n && v.u.s[j] == '(' && v.u.s[n - 1] == ')' && n - j > 2) return true;
    }
    return false;
}

/* One test argument, rendered the way dbt renders _dbt_generic_test_kwargs: calls are
 * wrapped in {{ }}, Jinja is rendered natively (a ref stays a relation), lists and
 * dicts recursively; column_name is left as written. */
static gl_value s_test_arg(gl_compile *c, gl_dnode *n, gl_value v, gl_value ctx, bool *ok)
{
    gl_project *p = c->p;
    gl_vm *vm = &p->vm;
    if (gl_is_seq(v)) {
        gl_value r = gl_list_new(vm, v.u.list->len);
        for (uint32_t i = 0; i < v.u.list->len && *ok; i++) gl_list_push(vm, r.u.list, s_test_arg(c, n, v.u.list->items[i], ctx, ok));
        return r;
    }
    if (v.kind == GL_DICT) {
        gl_value r = gl_dict_new(vm);
        for (uint32_t i = 0; i < v.u.dict->nentries && *ok; i++)
            if (v.u.dict->entries[i].live)
                gl_dict_set(vm, r.u.dict, v.u.dict->entries[i].key, s_test_arg(c, n, v.u.dict->entries[i].value, ctx, ok));
        return r;
    }
    if (v.kind != GL_STR) return v;
    bool call = s_looks_like_call(v);
    if (!call && !gl_load_has_jinja(v)) return v;
    const char *text = call ? gl_load_strf(p, "{{ %.*s }}", (int)v.len, v.u.s) : gl_load_str(p, v.u.s, v.len);
    gl_template *t = gl_compile_template(c, n->props_doc ? n->props_doc->src->path : n->path, text);
    gl_value out = gl_none();
    if (!t || !gl_render_native(vm, t, ctx, &out)) *ok = false;
    return out;
}

gl_template *gl_compile_template(gl_compile *c, const char *display, const char *text)
{
    gl_vm *vm = &c->p->vm;
    gl_value key = gl_cstr(text), known;
    if (!c->arg_templates) c->arg_templates = gl_dict_new(vm).u.dict;
    if (gl_dict_get(c->arg_templates, key, &known)) return (gl_template *)(uintptr_t)known.u.i;
    gl_template *t = gl_load_inline_template(c->p, display, text);
    gl_dict_set(vm, c->arg_templates, key, gl_int((int64_t)(uintptr_t)t));
    return t;
}

static bool s_test_kwargs(gl_compile *c, gl_dnode *n, gl_value ctx)
{
    gl_vm *vm = &c->p->vm;
    gl_value kw = gl_dict_new(vm);
    bool ok = true;
    const gl_dict *d = n->test_kwargs.u.dict;
    for (uint32_t i = 0; i < d->nentries && ok; i++) {
        if (!d->entries[i].live) continue;
        gl_value key = d->entries[i].key, v = d->entries[i].value;
        bool column = key.kind == GL_STR && key.len == 11 && !memcmp(key.u.s, "column_name", 11);
        gl_dict_set(vm, kw.u.dict, key, column ? v : s_test_arg(c, n, v, ctx, &ok));
    }
    gl_dict_set_cstr(vm, ctx.u.dict, "_dbt_generic_test_kwargs", kw);
    return ok;
}

static bool s_render(gl_compile *c, gl_dnode *n, bool parsing, gl_buf *out)
{
    gl_vm *vm = &c->p->vm;
    c->node = n;
    c->parsing = parsing;
    c->nctes = 0;
    vm->globals = gl_context_package_globals(c, n->pkg);
    gl_value ctx = gl_context_node(c, n);
    bool ok = (n->test_kwargs.kind != GL_DICT || s_test_kwargs(c, n, ctx)) &&
              (!parsing || gl_eval_check(vm, n->tpl)) && gl_render(vm, n->tpl, ctx, out);
    vm->globals = c->jinja_globals;
    if (!ok) s_take_error(c, n);
    c->node = NULL;
    return ok;
}

/* Does the root project override this generate_*_name macro, directly, through the
 * dispatched glue__/spark__/default__ names, or with a dispatch config for 'dbt'? */
static bool s_overridden(gl_compile *c, const char *macro)
{
    const gl_pkg *root = c->p->pkgs[0];
    static const char *const prefixes[] = { "", "glue__", "spark__", "default__", NULL };
    gl_value m;
    for (const char *const *pre = prefixes; *pre; pre++) {
        char buf[128];
        snprintf(buf, sizeof buf, "%s%s", *pre, macro);
        if (gl_dict_get_cstr(root->macros, buf, &m)) return true;
    }
    return root->yml && gl_ymap_get(root->yml->root, "dispatch") != NULL;
}

/* What gluec's own generate_*_name macros answer, without rendering them: the same
 * rules as templates/macros/get_custom_name.sql (the golden tests pin both). */
static const char *s_default_name(gl_compile *c, gl_dnode *n, const char *macro, gl_value custom)
{
    gl_project *p = c->p;
    gl_value schema;
    const char *ts = gl_dict_get_cstr(p->target.u.dict, "schema", &schema) && schema.kind == GL_STR
                         ? gl_load_str(p, schema.u.s, schema.len) : "";
    if (!strcmp(macro, "generate_database_name")) return ts;
    bool has = custom.kind != GL_NONE && custom.kind != GL_MISSING && gl_truthy(custom);
    gl_value cs = has ? gl_to_str(&p->vm, custom) : gl_str("", 0);
    size_t b = 0, e = cs.len;
    while (b < e && isspace((unsigned char)cs.u.s[b])) b++;
    while (e > b && isspace((unsigned char)cs.u.s[e - 1])) e--;
    if (!strcmp(macro, "generate_schema_name")) {
        if (custom.kind == GL_NONE || custom.kind == GL_MISSING) return ts;
        return gl_load_strf(p, "%s_%.*s", ts, (int)(e - b), cs.u.s + b);
    }
    if (has) return gl_load_str(p, cs.u.s + b, e - b);
    if (!n->version) return n->name;
    const char *v = gl_load_str(p, n->version, strlen(n->version));   /* <name>_v<version>, '.' as '_' */
    for (char *q = (char *)v; *q; q++) if (*q == '.') *q = '_';
    return gl_load_strf(p, "%s_v%s", n->name, v);
}

/* Calls a generate_*_name macro as dbt's RelationUpdate picks it: for a package's node
 * the package's own macro of that name when it has one, else the root project's
 * override, else gluec's. */
static const char *s_generate(gl_compile *c, gl_dnode *n, const char *macro, const char *cfg_key)
{
    gl_project *p = c->p;
    gl_vm *vm = &p->vm;
    gl_value m, custom = gl_none();
    gl_dict_get_cstr(n->config.u.dict, cfg_key, &custom);
    bool own = n->pkg != p->pkgs[0] && gl_dict_get_cstr(n->pkg->macros, macro, &m);
    if (!own && !s_overridden(c, macro)) return s_default_name(c, n, macro, custom);
    if (!own && !gl_dict_get_cstr(p->pkgs[0]->macros, macro, &m) &&
        !gl_dict_get_cstr(c->internal_macros.u.dict, macro, &m))
        return NULL;
    gl_value args[2] = { custom, gl_context_model_dict(c, n) };
    gl_args a = gl_args_make(args, 2, (gl_span){ 0, 0 });
    c->node = n;
    c->parsing = false;
    vm->globals = gl_context_package_globals(c, n->pkg);
    gl_value out;
    bool ok = gl_render_call(vm, m, &a, gl_context_node(c, n), &out);
    vm->globals = c->jinja_globals;
    c->node = NULL;
    if (!ok) {
        s_take_error(c, n);
        return NULL;
    }
    gl_value s = gl_to_str(vm, out);
    size_t b = 0, e = s.len;
    while (b < e && isspace((unsigned char)s.u.s[b])) b++;
    while (e > b && isspace((unsigned char)s.u.s[e - 1])) e--;
    return gl_load_str(p, s.u.s + b, e - b);
}

/* A properties value holding Jinja (a source's schema: "{{ var('raw') }}"), rendered
 * in the node's context as dbt renders it; errors point into the YAML file. */
static const char *s_render_field(gl_compile *c, gl_dnode *n, const char *text)
{
    if (!text || !gl_load_has_jinja(gl_cstr(text))) return text;
    gl_project *p = c->p;
    gl_template *t = gl_load_inline_template(p, n->props_doc ? n->props_doc->src->path : n->path, text);
    if (!t) return text;
    gl_template *saved = n->tpl;
    n->tpl = t;
    gl_buf out;
    gl_buf_init(&out);
    const char *r = s_render(c, n, false, &out) ? gl_load_str(p, out.data ? out.data : "", out.len) : text;
    n->tpl = saved;
    gl_buf_free(&out);
    return r;
}

static void s_name_relation(gl_compile *c, gl_dnode *n)
{
    if (n->type == GL_RT_EXPOSURE) return;
    if (n->type == GL_RT_SOURCE) {
        n->schema = s_render_field(c, n, n->schema);
        n->identifier = s_render_field(c, n, n->identifier);
        n->database = s_render_field(c, n, n->database);
        return;
    }
    gl_value m;
    n->ephemeral = gl_dict_get_cstr(n->config.u.dict, "materialized", &m) && m.kind == GL_STR &&
                   m.len == 9 && !memcmp(m.u.s, "ephemeral", 9);
    n->database = s_generate(c, n, "generate_database_name", "database");
    n->schema = s_generate(c, n, "generate_schema_name", "schema");
    gl_value ts;   /* a snapshot's target_schema replaces the schema as written */
    if (n->type == GL_RT_SNAPSHOT && gl_dict_get_cstr(n->config.u.dict, "target_schema", &ts) && ts.kind == GL_STR)
        n->schema = gl_load_str(c->p, ts.u.s, ts.len);
    gl_value alias;
    bool custom = gl_dict_get_cstr(n->config.u.dict, "alias", &alias) && alias.kind != GL_NONE;
    if (n->type != GL_RT_TEST || !n->alias || custom)   /* a generic test's alias is its file name */
        n->alias = s_generate(c, n, "generate_alias_name", "alias");
    if (!n->alias) n->alias = n->name;
}

/* dbt's _check_resource_uniqueness: two models, seeds or snapshots that would build
 * the same relation are an error (each run would overwrite the other). */
static void s_check_relations(gl_compile *c)
{
    gl_project *p = c->p;
    gl_vm *vm = &p->vm;
    gl_dict *seen = gl_dict_new(vm).u.dict;
    for (uint32_t i = 0; i < p->nnodes; i++) {
        gl_dnode *n = p->nodes[i];
        if ((n->type != GL_RT_MODEL && n->type != GL_RT_SEED && n->type != GL_RT_SNAPSHOT) || n->ephemeral ||
            !gl_node_enabled(n) || !n->schema || !n->alias)
            continue;
        gl_value key = gl_vm_strf(vm, "%s.%s", n->schema, n->alias), first;
        char *lower = gl_arena_strndup(&vm->arena, key.u.s, key.len);
        for (char *q = lower; *q; q++) *q = (char)tolower((unsigned char)*q);
        key = gl_str(lower, key.len);
        if (!gl_dict_get(seen, key, &first)) {
            gl_dict_set(vm, seen, key, gl_int(i));
            continue;
        }
        const gl_dnode *a = p->nodes[first.u.i];
        gl_buf hint;
        gl_buf_init(&hint);
        gl_buf_printf(&hint, "%s (%s/%s) builds it too; give one of them another alias or schema", a->unique_id,
                      a->pkg->dir, a->path);
        gl_diags_add(&p->diags, GL_SEV_ERROR, n->tpl ? n->tpl->src : NULL, (gl_span){ 0, 0 }, hint.data,
                     "dbt found two resources with the database representation \"%s\"", lower);
        gl_buf_free(&hint);
    }
}

/* ---------------------------------------------------------------- the DAG */

static int s_cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static void s_link(gl_compile *c, gl_dnode *n)
{
    gl_project *p = c->p;
    n->parents = gl_vm_alloc(&p->vm, (n->ndeps + 1) * sizeof *n->parents);
    n->nparents = 0;
    for (uint32_t i = 0; i < n->ndeps; i++) {
        gl_dep *d = &n->deps[i];
        long at = d->table ? gl_context_resolve_source(c, n, d->name, d->table)
                           : gl_context_resolve_ref(c, n, d->package, d->name, d->version);
        if (at < 0) continue;   /* reported during the parse */
        d->target = (uint32_t)at;
        n->parents[n->nparents++] = (uint32_t)at;
        const gl_dnode *t = p->nodes[at];
        if (!gl_node_enabled(t))
            gl_diags_add(&p->diags, GL_SEV_ERROR, d->src, d->span,
                         "enable it (enabled: true) or remove the reference",
                         "%s '%s' depends on %s '%s', which is disabled", gl_rtype_name(n->type), n->name,
                         gl_rtype_name(t->type), d->table ? gl_load_strf(p, "%s.%s", d->name, d->table) : t->name);
    }
    if (n->nparents > 1) qsort(n->parents, n->nparents, sizeof *n->parents, s_cmp_u32);
    uint32_t o = 0;
    for (uint32_t i = 0; i < n->nparents; i++)
        if (!o || n->parents[o - 1] != n->parents[i]) n->parents[o++] = n->parents[i];
    n->nparents = o;
}

/* Min-heap of node indices: the node order is unique_id order. */
typedef struct s_heap { uint32_t *a; uint32_t n; } s_heap;

static void s_heap_push(s_heap *h, uint32_t v)
{
    uint32_t i = h->n++;
    h->a[i] = v;
    while (i && h->a[(i - 1) / 2] > h->a[i]) {
        uint32_t t = h->a[i]; h->a[i] = h->a[(i - 1) / 2]; h->a[(i - 1) / 2] = t;
        i = (i - 1) / 2;
    }
}

static uint32_t s_heap_pop(s_heap *h)
{
    uint32_t top = h->a[0], i = 0;
    h->a[0] = h->a[--h->n];
    for (;;) {
        uint32_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < h->n && h->a[l] < h->a[m]) m = l;
        if (r < h->n && h->a[r] < h->a[m]) m = r;
        if (m == i) break;
        uint32_t t = h->a[i]; h->a[i] = h->a[m]; h->a[m] = t;
        i = m;
    }
    return top;
}

/* Reports one cycle among the nodes left unplaced: follow parents until a node repeats,
 * then name the cycle from its smallest unique_id, at that node's ref to the next. */
static void s_report_cycle(gl_compile *c, const uint32_t *indeg)
{
    gl_project *p = c->p;
    uint32_t start = 0;
    while (start < p->nnodes && !indeg[start]) start++;
    uint32_t *seen = gl_xcalloc(p->nnodes, sizeof *seen), *path = gl_xmalloc((p->nnodes + 1) * sizeof *path);
    uint32_t len = 0, cur = start;
    while (!seen[cur]) {
        seen[cur] = ++len;
        path[len - 1] = cur;
        const gl_dnode *n = p->nodes[cur];
        uint32_t next = cur;
        for (uint32_t i = 0; i < n->nparents; i++)
            if (indeg[n->parents[i]]) { next = n->parents[i]; break; }
        if (next == cur) break;
        cur = next;
    }
    uint32_t from = seen[cur] - 1, k = len - from, first = 0;
    for (uint32_t i = 1; i < k; i++)
        if (path[from + i] < path[from + first]) first = i;
    gl_buf msg;
    gl_buf_init(&msg);
    for (uint32_t i = 0; i <= k; i++)
        gl_buf_printf(&msg, "%s%s", i ? " -> " : "", p->nodes[path[from + (first + i) % k]]->name);
    const gl_dnode *a = p->nodes[path[from + first]];
    uint32_t b = path[from + (first + 1) % k];
    const gl_dep *at = NULL;
    for (uint32_t i = 0; i < a->ndeps && !at; i++)
        if (a->deps[i].target == b) at = &a->deps[i];
    gl_diags_add(&p->diags, GL_SEV_ERROR, at ? at->src : a->tpl ? a->tpl->src : NULL, at ? at->span : (gl_span){ 0, 0 },
                 "a model cannot depend on itself, directly or through others; remove one of these refs",
                 "dependency cycle: %s", msg.data);
    gl_buf_free(&msg);
    free(seen);
    free(path);
}

/* Execution order: topological, always the smallest unique_id among the ready nodes. */
static bool s_order(gl_compile *c)
{
    gl_project *p = c->p;
    uint32_t n = p->nnodes;
    uint32_t *indeg = gl_xcalloc(n + 1, sizeof *indeg), *nchild = gl_xcalloc(n + 1, sizeof *nchild);
    for (uint32_t i = 0; i < n; i++) {
        indeg[i] = p->nodes[i]->nparents;
        for (uint32_t k = 0; k < p->nodes[i]->nparents; k++) nchild[p->nodes[i]->parents[k]]++;
    }
    uint32_t **children = gl_xcalloc(n + 1, sizeof *children), *fill = gl_xcalloc(n + 1, sizeof *fill);
    for (uint32_t i = 0; i < n; i++) children[i] = gl_xmalloc((nchild[i] + 1) * sizeof **children);
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t k = 0; k < p->nodes[i]->nparents; k++) {
            uint32_t par = p->nodes[i]->parents[k];
            children[par][fill[par]++] = i;
        }
    s_heap h = { gl_xmalloc((n + 1) * sizeof *h.a), 0 };
    for (uint32_t i = 0; i < n; i++) if (!indeg[i]) s_heap_push(&h, i);
    c->order = gl_xmalloc((n + 1) * sizeof *c->order);
    c->norder = 0;
    while (h.n) {
        uint32_t i = s_heap_pop(&h);
        c->order[c->norder++] = i;
        for (uint32_t k = 0; k < fill[i]; k++)
            if (--indeg[children[i][k]] == 0) s_heap_push(&h, children[i][k]);
    }
    bool ok = c->norder == n;
    if (!ok) s_report_cycle(c, indeg);
    for (uint32_t i = 0; i < n; i++) free(children[i]);
    free(children);
    free(fill);
    free(indeg);
    free(nchild);
    free(h.a);
    return ok;
}

/* ---------------------------------------------------------------- ephemeral CTEs */

/* Position of the first top-level WITH keyword of the first statement, as sqlparse
 * finds it in dbt's _inject_ctes_into_sql; -1 when there is none. *first is set to the
 * first token (whitespace skipped, comments count). */
static long s_find_with(const char *s, size_t n, size_t *first)
{
    int depth = 0;
    *first = n;
    for (size_t i = 0; i < n;) {
        unsigned char ch = (unsigned char)s[i];
        if (isspace(ch)) { i++; continue; }
        if (*first == n) *first = i;
        if (ch == '-' && i + 1 < n && s[i + 1] == '-') {
            while (i < n && s[i] != '\n') i++;
        } else if (ch == '/' && i + 1 < n && s[i + 1] == '*') {
            const char *e = strstr(s + i + 2, "*/");
            i = e ? (size_t)(e - s) + 2 : n;
        } else if (ch == '\'' || ch == '"' || ch == '`') {
            size_t j = i + 1;
            while (j < n && s[j] != (char)ch) j += (s[j] == '\\' && j + 1 < n) ? 2 : 1;
            i = j + 1;
        } else if (ch == '(') { depth++; i++; }
        else if (ch == ')') { depth--; i++; }
        else if (ch == ';' && depth <= 0) { return -1; }
        else if (isalpha(ch) || ch == '_') {
            size_t j = i;
            while (j < n && (isalnum((unsigned char)s[j]) || s[j] == '_' || s[j] == '$')) j++;
            if (depth == 0 && j - i == 4 && strncasecmp(s + i, "with", 4) == 0) return (long)i;
            i = j;
        } else {
            i++;
        }
    }
    return -1;
}

/* dbt-core's inject_ctes_into_sql: after the WITH (or WITH RECURSIVE) and the
 * whitespace that follows it, the CTEs and ", "; without one, "with", the CTEs and " "
 * before the first token. Each CTE is
 * " __dbt__cte__<alias> as (\n<sql>\n)", joined with ", ". */
static void s_inject(const gl_project *p, const gl_dnode *n, gl_buf *out)
{
    gl_buf ctes;
    gl_buf_init(&ctes);
    for (uint32_t i = 0; i < n->nctes; i++) {
        const gl_dnode *e = p->nodes[n->ctes[i]];
        gl_buf_printf(&ctes, "%s __dbt__cte__%s as (\n", i ? ", " : "", e->alias);
        gl_buf_add(&ctes, e->pre_injected, e->pre_injected_len);
        gl_buf_adds(&ctes, "\n)");
    }
    const char *sql = n->pre_injected;
    size_t len = n->pre_injected_len, first;
    long w = s_find_with(sql, len, &first);
    if (w >= 0) {
        size_t at = (size_t)w + 4;
        while (at < len && isspace((unsigned char)sql[at])) at++;
        if (len - at >= 9 && strncasecmp(sql + at, "recursive", 9) == 0 &&
            (at + 9 == len || !(isalnum((unsigned char)sql[at + 9]) || sql[at + 9] == '_'))) {
            at += 9;
            while (at < len && isspace((unsigned char)sql[at])) at++;
        }
        /* sqlparse's insert_after skips the whitespace after the keyword */
        gl_buf_add(out, sql, at);
        gl_buf_add(out, ctes.data, ctes.len);
        gl_buf_adds(out, ", ");
        gl_buf_add(out, sql + at, len - at);
    } else {
        gl_buf_add(out, sql, first);
        gl_buf_adds(out, "with");
        gl_buf_add(out, ctes.data, ctes.len);
        gl_buf_addc(out, ' ');
        gl_buf_add(out, sql + first, len - first);
    }
    gl_buf_free(&ctes);
}

static void s_add_unique(uint32_t *list, uint32_t *n, uint32_t v)
{
    for (uint32_t i = 0; i < *n; i++) if (list[i] == v) return;
    list[(*n)++] = v;
}

/* The CTEs of a render: each referenced ephemeral's own CTEs first, then it. */
static void s_flatten(gl_compile *c, gl_dnode *n)
{
    uint32_t total = 0;
    for (uint32_t i = 0; i < c->nctes; i++) total += c->p->nodes[c->ctes[i]]->nctes + 1;
    n->ctes = gl_xmalloc((total + 1) * sizeof *n->ctes);
    n->nctes = 0;
    for (uint32_t i = 0; i < c->nctes; i++) {
        const gl_dnode *e = c->p->nodes[c->ctes[i]];
        for (uint32_t k = 0; k < e->nctes; k++) s_add_unique(n->ctes, &n->nctes, e->ctes[k]);
        s_add_unique(n->ctes, &n->nctes, c->ctes[i]);
    }
}

static char *s_dup(const char *s, size_t n)
{
    char *d = gl_xmalloc(n + 1);
    if (n) memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

static void s_compile_node(gl_compile *c, gl_dnode *n)
{
    gl_buf out;
    gl_buf_init(&out);
    if (s_render(c, n, false, &out)) {
        n->pre_injected = s_dup(out.data ? out.data : "", out.len);
        n->pre_injected_len = out.len;
        s_flatten(c, n);
        gl_buf_truncate(&out, 0);
        if (n->nctes) s_inject(c->p, n, &out);
        else gl_buf_add(&out, n->pre_injected, n->pre_injected_len);
        n->compiled = s_dup(out.data ? out.data : "", out.len);
        n->compiled_len = out.len;
        n->rendered = true;
    }
    gl_buf_free(&out);
}

/* ---------------------------------------------------------------- descriptions */

/* One description holding Jinja, rendered as dbt's process_docs renders it (doc() and
 * the node's context); errors point into the properties file. */
static void s_describe(gl_compile *c, gl_dnode *n, const gl_ydoc *doc, const gl_ynode *desc)
{
    gl_project *p = c->p;
    gl_vm *vm = &p->vm;
    if (!desc || desc->kind != GL_Y_SCALAR || !gl_load_has_jinja(gl_str(desc->text, desc->len))) return;
    gl_template *t = gl_load_scalar_template(p, doc, desc);
    if (!t) return;
    c->node = n;
    vm->globals = gl_context_package_globals(c, n->pkg);
    gl_value ctx = gl_context_node(c, n), out;
    gl_dict_set_cstr(vm, ctx.u.dict, "doc", gl_context_doc_fn(c));
    if (gl_eval_check(vm, t) && gl_render_native(vm, t, ctx, &out)) {
        if (!c->descriptions) c->descriptions = gl_dict_new(vm).u.dict;
        gl_dict_set(vm, c->descriptions, gl_int((int64_t)(uintptr_t)desc), gl_to_str(vm, out));
    } else {
        s_take_error(c, n);
    }
    vm->globals = c->jinja_globals;
    c->node = NULL;
}

/* dbt's process_docs: the descriptions of every enabled node, its columns and, for a
 * source table, its source. */
static void s_process_docs(gl_compile *c)
{
    gl_project *p = c->p;
    for (uint32_t i = 0; i < p->nnodes; i++) {
        gl_dnode *n = p->nodes[i];
        if (!n->props || !n->props_doc || !gl_node_enabled(n)) continue;
        s_describe(c, n, n->props_doc, gl_ymap_get(n->props, "description"));
        if (n->source_props) s_describe(c, n, n->props_doc, gl_ymap_get(n->source_props, "description"));
        const gl_ynode *cols = gl_ymap_get(n->props, "columns");
        for (uint32_t k = 0; cols && cols->kind == GL_Y_SEQ && k < cols->n; k++)
            s_describe(c, n, n->props_doc, gl_ymap_get(cols->items[k], "description"));
    }
}

/* ---------------------------------------------------------------- hooks */

/* dbt runs hooks by type, then the packages' by package name with the root project's
 * last, each package's in the order written (RunTask._hook_keyfunc). */
static int s_cmp_hook(const void *a, const void *b)
{
    const gl_dnode *x = *(gl_dnode *const *)a, *y = *(gl_dnode *const *)b;
    if (x->hook_end != y->hook_end) return x->hook_end ? 1 : -1;
    if (x->pkg != y->pkg) {
        if (x->pkg->is_root || y->pkg->is_root) return x->pkg->is_root ? 1 : -1;
        int k = strcmp(x->pkg->name, y->pkg->name);
        if (k) return k;
    }
    return (x->hook_index > y->hook_index) - (x->hook_index < y->hook_index);
}

/* Hooks are parsed like nodes (their ref/source calls must resolve) but never join the
 * DAG: the plan runs on-run-start before every node and on-run-end after. */
static void s_parse_hooks(gl_compile *c, gl_buf *scratch)
{
    gl_project *p = c->p;
    if (p->nhooks > 1) qsort(p->hooks, p->nhooks, sizeof *p->hooks, s_cmp_hook);
    for (uint32_t i = 0; i < p->nhooks; i++) {
        gl_config_resolve(p, p->hooks[i]);
        gl_buf_truncate(scratch, 0);
        s_render(c, p->hooks[i], true, scratch);
    }
}

/* ---------------------------------------------------------------- the pipeline */

bool gl_compile_parse(gl_compile *c)
{
    gl_project *p = c->p;
    if (p->diags.errors || !p->npkgs) return false;
    gl_buf scratch;
    gl_buf_init(&scratch);
    for (uint32_t i = 0; i < p->nnodes; i++) gl_config_resolve(p, p->nodes[i]);
    for (uint32_t i = 0; i < p->nnodes; i++) {   /* exposures render only here, for their refs */
        gl_dnode *n = p->nodes[i];
        if (!(s_sql_node(n) || (n->type == GL_RT_EXPOSURE && n->tpl)) || !gl_node_enabled(n)) continue;
        gl_buf_truncate(&scratch, 0);
        s_render(c, n, true, &scratch);
    }
    s_parse_hooks(c, &scratch);
    gl_buf_free(&scratch);
    /* only config() calls change a config now; a node whose `model` was read may have
     * had its config touched through it: those are resolved again */
    for (uint32_t i = 0; i < p->nnodes; i++)
        if (p->nodes[i]->file_config.u.dict->count || (c->models && c->models[i].kind == GL_DICT))
            gl_config_resolve(p, p->nodes[i]);
    free(c->models);   /* configs changed: the model dicts are made again */
    c->models = NULL;
    s_process_docs(c);
    for (uint32_t i = 0; i < p->nnodes; i++) {   /* dbt: a disabled node's tests are disabled too */
        gl_dnode *n = p->nodes[i];
        if (n->type == GL_RT_TEST && n->test_owner && !gl_node_enabled(n->test_owner))
            gl_config_set_enabled(p, n, &(bool){ false });
    }
    for (uint32_t i = 0; i < p->nnodes; i++)
        if (gl_node_enabled(p->nodes[i])) s_name_relation(c, p->nodes[i]);
    for (uint32_t i = 0; i < p->nhooks; i++) s_name_relation(c, p->hooks[i]);
    free(c->models);   /* schema and alias are known now */
    c->models = NULL;
    c->relations = NULL;
    s_check_relations(c);
    for (uint32_t i = 0; i < p->nnodes; i++)
        if (gl_node_enabled(p->nodes[i])) s_link(c, p->nodes[i]);
    for (uint32_t i = 0; i < p->nhooks; i++) s_link(c, p->hooks[i]);
    return s_order(c) && p->diags.errors == 0;
}

/* need[i]: node i is selected, or an ephemeral model a needed node injects. */
static void s_need(gl_compile *c, const bool *selected, bool *need)
{
    gl_project *p = c->p;
    uint32_t *stack = gl_xmalloc((p->nnodes + 1) * sizeof *stack), top = 0;
    for (uint32_t i = 0; i < p->nnodes; i++)
        if ((need[i] = !selected || selected[i])) stack[top++] = i;
    while (top) {
        const gl_dnode *n = p->nodes[stack[--top]];
        for (uint32_t k = 0; k < n->nparents; k++) {
            uint32_t at = n->parents[k];
            if (!need[at] && p->nodes[at]->ephemeral) need[at] = true, stack[top++] = at;
        }
    }
    free(stack);
}

bool gl_compile_render(gl_compile *c, const bool *selected)
{
    gl_project *p = c->p;
    gl_vm *vm = &p->vm;
    bool *need = gl_xcalloc(p->nnodes + 1, sizeof *need);
    s_need(c, selected, need);
    c->selected_resources = gl_list_new(vm, 0);
    for (uint32_t i = 0; i < p->nnodes; i++)
        if ((!selected || selected[i]) && gl_node_enabled(p->nodes[i]))
            gl_list_push(vm, c->selected_resources.u.list, gl_cstr(p->nodes[i]->unique_id));
    for (uint32_t i = 0; i < p->npkgs; i++)   /* globals made while parsing saw an empty list */
        if (c->pkg_globals[i]) gl_dict_set_cstr(vm, c->pkg_globals[i], "selected_resources", c->selected_resources);
    for (uint32_t k = 0; k < c->norder; k++) {
        gl_dnode *n = p->nodes[c->order[k]];
        if (need[c->order[k]] && s_sql_node(n) && gl_node_enabled(n) && !n->failed) s_compile_node(c, n);
    }
    free(need);
    for (uint32_t i = 0; i < p->nhooks; i++)
        if (!p->hooks[i]->failed) s_compile_node(c, p->hooks[i]);
    return p->diags.errors == 0;
}

bool gl_compile_run(gl_compile *c)
{
    return gl_compile_parse(c) && gl_compile_render(c, NULL);
}

bool gl_compile_inline(gl_compile *c, const char *sql, gl_buf *out)
{
    gl_project *p = c->p;
    gl_template *t = gl_load_inline_template(p, "<inline>", sql);   /* kept: errors point into it */
    if (!t) return false;
    gl_dnode *n = gl_arena_zalloc(&p->vm.arena, sizeof *n);
    n->type = GL_RT_MODEL;
    n->pkg = p->pkgs[0];
    n->name = "inline_query";
    n->unique_id = "sql_operation.inline_query";
    n->path = "<inline>";
    n->tpl = t;
    n->config = gl_dict_new(&p->vm);
    n->file_config = gl_dict_new(&p->vm);
    n->schema = n->alias = NULL;
    bool ok = s_render(c, n, false, out);
    if (ok && c->nctes) {
        n->pre_injected = s_dup(out->data ? out->data : "", out->len);
        n->pre_injected_len = out->len;
        s_flatten(c, n);
        gl_buf_truncate(out, 0);
        s_inject(p, n, out);
        free(n->pre_injected);
        free(n->ctes);
    }
    return ok;
}
