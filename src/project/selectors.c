/* src/project/selectors.c - dbt's named selectors (project layer): selectors.yml of the
 * root project, `--selector NAME`, and the selector marked `default: true`, which
 * applies when neither --select, --exclude nor --selector is given. A definition is a
 * CLI-syntax string, a criterion ({method, value, parents, parents_depth, children,
 * children_depth, childrens_parents, indirect_selection, exclude} or the one-key
 * shorthand {tag: nightly}), or a union / intersection list whose items may include one
 * {exclude: [...]} entry, as dbt-core 1.10's graph/cli.py reads them. Each criterion is
 * selected by gl_select (graph operators and indirect test selection included) and the
 * sets are combined. Scalars holding Jinja are rendered (env_var, var, target). */
#include "project/selectors.h"
#include "project/load.h"
#include "util/fs.h"
#include "util/suggest.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { GL_SELECTOR_MAX_DEPTH = 64 };

typedef struct s_ctx {
    gl_project *p;
    const gl_ydoc *doc;
    const gl_graph *g;
    const gl_select_opts *base;
    uint32_t depth;
} s_ctx;

static bool s_eval(s_ctx *x, const gl_ynode *def, bool *out);

static void s_error(s_ctx *x, const gl_ynode *at, const char *hint, const char *msg)
{
    gl_load_error_at(x->p, x->doc, at, hint, "%s", msg);
}

/* A scalar's text, rendered when it holds Jinja; NULL for anything else. */
static const char *s_text(s_ctx *x, const gl_ynode *n)
{
    if (!n || n->kind != GL_Y_SCALAR) return NULL;
    gl_value v = gl_load_value(x->p, x->doc, n, true);
    if (v.kind == GL_STR) return gl_load_str(x->p, v.u.s, v.len);
    gl_buf b;
    gl_buf_init(&b);
    gl_str_of(&x->p->vm, v, &b);
    const char *s = gl_load_str(x->p, b.data ? b.data : "", b.len);
    gl_buf_free(&b);
    return s;
}

static bool s_flag(s_ctx *x, const gl_ynode *n)
{
    if (!n) return false;
    gl_value v = gl_load_value(x->p, x->doc, n, true);
    return gl_truthy(v);
}

/* One CLI-syntax spec through gl_select (a string definition, or a criterion). */
static bool s_spec(s_ctx *x, const gl_ynode *at, const char *spec, gl_indirect indirect, bool *out)
{
    gl_select_opts o = *x->base;
    o.select = &spec;
    o.nselect = 1;
    o.exclude = NULL;
    o.nexclude = 0;
    o.indirect = indirect;
    gl_diag err = {0};
    if (gl_select(x->g, &o, out, &err)) return true;
    gl_load_error_at(x->p, x->doc, at, err.hint, "%s", err.message);
    gl_diag_clear(&err);
    return false;
}

static bool s_indirect_of(s_ctx *x, const gl_ynode *n, gl_indirect *out)
{
    static const char *const names[] = { "eager", "cautious", "buildable", "empty" };
    const char *s = s_text(x, n);
    for (int i = 0; s && i < 4; i++)
        if (!strcmp(s, names[i])) { *out = (gl_indirect)i; return true; }
    s_error(x, n, "use eager, cautious, buildable or empty", "invalid indirect_selection");
    return false;
}

static const char *s_depth(s_ctx *x, const gl_ynode *n)
{
    const char *s = n ? s_text(x, n) : NULL;
    return s ? s : "";
}

/* {method, value, ...} (or the shorthand {method: value}) as a CLI spec: "@m:v",
 * "2+m:v+1". */
static bool s_criterion(s_ctx *x, const gl_ynode *def, const gl_ynode *method, const gl_ynode *value, bool *out)
{
    const char *m = s_text(x, method), *v = s_text(x, value);
    if (!m || !v) {
        s_error(x, value ? value : def, "write the method and the value as strings",
                "a selector criterion needs a method and a value");
        return false;
    }
    gl_indirect indirect = x->base->indirect;
    const gl_ynode *ind = def->kind == GL_Y_MAP ? gl_ymap_get(def, "indirect_selection") : NULL;
    if (ind && !s_indirect_of(x, ind, &indirect)) return false;
    bool at = s_flag(x, gl_ymap_get(def, "childrens_parents"));
    bool parents = s_flag(x, gl_ymap_get(def, "parents")), children = s_flag(x, gl_ymap_get(def, "children"));
    const char *spec = gl_load_strf(x->p, "%s%s%s%s:%s%s%s", at ? "@" : "",
                                    parents && !at ? s_depth(x, gl_ymap_get(def, "parents_depth")) : "",
                                    parents && !at ? "+" : "", m, v, children ? "+" : "",
                                    children ? s_depth(x, gl_ymap_get(def, "children_depth")) : "");
    return s_spec(x, def, spec, indirect, out);
}

/* Union (or intersection) of the items of list, minus the union of its one
 * {exclude: [...]} entry. */
static bool s_combine(s_ctx *x, const gl_ynode *list, bool intersect, bool *out)
{
    uint32_t n = x->g->n;
    if (list->kind != GL_Y_SEQ) {
        s_error(x, list, "write a list of definitions", intersect ? "'intersection' must be a list" : "'union' must be a list");
        return false;
    }
    bool *one = calloc(n + 1, sizeof *one), *excluded = calloc(n + 1, sizeof *excluded), ok = true, first = true;
    if (!one || !excluded) abort();
    for (uint32_t i = 0; i < n; i++) out[i] = false;
    for (uint32_t k = 0; ok && k < list->n; k++) {
        const gl_ynode *item = list->items[k], *ex = gl_ymap_get(item, "exclude");
        if (ex && item->n == 1) {
            ok = s_combine(x, ex, false, excluded);
            continue;
        }
        ok = s_eval(x, item, one);
        for (uint32_t i = 0; ok && i < n; i++) out[i] = intersect && !first ? out[i] && one[i] : out[i] || one[i];
        first = false;
    }
    for (uint32_t i = 0; ok && i < n; i++) out[i] = out[i] && !excluded[i];
    free(one);
    free(excluded);
    return ok;
}

static bool s_eval_map(s_ctx *x, const gl_ynode *def, bool *out)
{
    const gl_ynode *u = gl_ymap_get(def, "union"), *in = gl_ymap_get(def, "intersection");
    if (u || in) return s_combine(x, u ? u : in, !u, out);
    if (def->n == 1) return s_criterion(x, def, def->keys[0], def->vals[0], out);
    const gl_ynode *method = gl_ymap_get(def, "method"), *value = gl_ymap_get(def, "value");
    if (!method || !value) {
        gl_buf keys;
        gl_buf_init(&keys);
        for (uint32_t i = 0; i < def->n; i++) gl_buf_printf(&keys, "%s'%s'", i ? ", " : "", def->keys[i]->text);
        gl_load_error_at(x->p, x->doc, def, "write {method: tag, value: nightly} or the shorthand {tag: nightly}",
                         "a selector definition needs either one key or 'method' and 'value' keys, but got [%s]",
                         keys.data ? keys.data : "");
        gl_buf_free(&keys);
        return false;
    }
    if (!s_criterion(x, def, method, value, out)) return false;
    const gl_ynode *ex = gl_ymap_get(def, "exclude");
    if (!ex) return true;
    uint32_t n = x->g->n;
    bool *excluded = calloc(n + 1, sizeof *excluded);
    if (!excluded) abort();
    bool ok = s_combine(x, ex, false, excluded);
    for (uint32_t i = 0; ok && i < n; i++) out[i] = out[i] && !excluded[i];
    free(excluded);
    return ok;
}

static bool s_eval(s_ctx *x, const gl_ynode *def, bool *out)
{
    if (++x->depth > GL_SELECTOR_MAX_DEPTH) {
        s_error(x, def, NULL, "selector definition nested too deeply");
        return false;
    }
    bool ok;
    if (def->kind == GL_Y_SCALAR) {
        const char *spec = s_text(x, def);
        ok = spec && s_spec(x, def, spec, x->base->indirect, out);
    } else if (def->kind == GL_Y_MAP) {
        ok = s_eval_map(x, def, out);
    } else {
        s_error(x, def, "write a selection string, a {method, value} mapping, or union/intersection",
                "a selector definition cannot be a list");
        ok = false;
    }
    x->depth--;
    return ok;
}

void gl_selectors_load(gl_project *p, const gl_pkg *root)
{
    gl_buf path;
    gl_buf_init(&path);
    gl_path_join(&path, root->dir, "selectors.yml");
    bool exists = gl_fs_is_file(path.data);
    gl_ydoc *doc = exists ? gl_load_yaml(p, path.data) : NULL;
    gl_buf_free(&path);
    if (!doc || !doc->root) return;
    const gl_ynode *list = gl_ymap_get(doc->root, "selectors");
    if (!list || list->kind != GL_Y_SEQ) {
        gl_load_error_at(p, doc, list ? list : doc->root, "selectors.yml holds `selectors:`, a list of named selectors",
                         "selectors.yml has no list of selectors");
        return;
    }
    p->selectors_doc = doc;
    p->selectors = list;
    for (uint32_t i = 0; i < list->n; i++) {
        const gl_ynode *s = list->items[i], *name = gl_ymap_get(s, "name");
        if (s->kind != GL_Y_MAP || !gl_yscalar_text(name) || !gl_ymap_get(s, "definition")) {
            gl_load_error_at(p, doc, s, "each selector has a name and a definition", "invalid selector");
            continue;
        }
        for (uint32_t k = 0; k < i; k++)
            if (gl_yscalar_text(gl_ymap_get(list->items[k], "name")) &&
                !strcmp(gl_ymap_get(list->items[k], "name")->text, name->text))
                gl_load_error_at(p, doc, name, "give each selector its own name", "duplicate selector '%s'", name->text);
        const gl_ynode *d = gl_ymap_get(s, "default");
        if (!d || !gl_truthy(gl_load_value(p, doc, d, true))) continue;
        if (p->default_selector)
            gl_load_error_at(p, doc, d, "mark one selector as the default",
                             "selectors '%s' and '%s' are both marked default", p->default_selector->text, name->text);
        else
            p->default_selector = name;
    }
}

/* The selector named name, or NULL (an error with a did-you-mean added). */
static const gl_ynode *s_find(gl_project *p, const char *name)
{
    gl_suggest sg;
    gl_suggest_init(&sg, name, strlen(name));
    for (uint32_t i = 0; p->selectors && i < p->selectors->n; i++) {
        const gl_ynode *n = gl_ymap_get(p->selectors->items[i], "name");
        if (!gl_yscalar_text(n)) continue;
        if (!strcmp(n->text, name)) return p->selectors->items[i];
        gl_suggest_offer(&sg, n->text, n->len);
    }
    char hint[256];
    if (sg.best) snprintf(hint, sizeof hint, "did you mean '%.*s'?", (int)sg.best_len, sg.best);
    else snprintf(hint, sizeof hint, "selectors are defined in the project's selectors.yml");
    gl_diags_add(&p->diags, GL_SEV_ERROR, NULL, (gl_span){ 0, 0 }, hint, "no selector named '%s'", name);
    return NULL;
}

int gl_selectors_apply(gl_project *p, const gl_graph *g, const char *name, const gl_select_opts *base, bool *selected)
{
    const gl_ynode *sel = name ? s_find(p, name) : NULL;
    if (!name && p->default_selector)
        for (uint32_t i = 0; p->selectors && i < p->selectors->n; i++)
            if (gl_ymap_get(p->selectors->items[i], "name") == p->default_selector) sel = p->selectors->items[i];
    if (!sel) return 2;
    s_ctx x = { p, p->selectors_doc, g, base, 0 };
    return s_eval(&x, gl_ymap_get(sel, "definition"), selected) ? 0 : 1;
}
