/* src/project/props.c - properties files (project layer): the version-2 YAML files
 * under a package's resource paths. models/seeds/snapshots/analyses entries patch the
 * node of that name (description, config, columns); sources entries become source
 * nodes; tests and data_tests entries are kept as generic test specs for the test
 * builder. Exposures, groups, macros and semantic entries are kept as metadata. */
#include "project/load.h"
#include <stdlib.h>
#include <string.h>

struct gl_propfile {
    gl_pkg *pkg;
    gl_ydoc *doc;
    const char *rel;            /* path relative to the package */
    const char *dirs;           /* its folders under the resource path (for fqn) */
};
typedef struct gl_propfile gl_propfile;

void gl_props_load(gl_project *p, gl_pkg *pkg, const char *rel_path, const char *resource_dir)
{
    gl_buf full;
    gl_buf_init(&full);
    size_t dl = strlen(pkg->dir);
    gl_buf_add(&full, pkg->dir, dl);
    if (dl && pkg->dir[dl - 1] != '/') gl_buf_addc(&full, '/');
    gl_buf_adds(&full, rel_path);
    gl_ydoc *doc = gl_load_yaml(p, full.data);
    gl_buf_free(&full);
    if (!doc || !doc->root) return;
    if (p->npropfiles == p->cappropfiles) {
        p->cappropfiles = p->cappropfiles ? p->cappropfiles * 2 : 16;
        p->propfiles = gl_xrealloc(p->propfiles, p->cappropfiles * sizeof *p->propfiles);
    }
    size_t skip = strlen(resource_dir);
    const char *in = strncmp(rel_path, resource_dir, skip) == 0 && rel_path[skip] == '/' ? rel_path + skip + 1 : rel_path;
    const char *slash = strrchr(in, '/');
    gl_propfile *f = &p->propfiles[p->npropfiles++];
    f->pkg = pkg;
    f->doc = doc;
    f->rel = gl_load_str(p, rel_path, strlen(rel_path));
    f->dirs = slash ? gl_load_str(p, in, (size_t)(slash - in)) : "";
}

static const char *const s_top_keys[] = {
    "version", "models", "sources", "seeds", "snapshots", "analyses", "macros", "exposures",
    "groups", "metrics", "semantic_models", "saved_queries", "unit_tests", NULL
};
static const char *const s_node_keys[] = {
    "name", "description", "config", "columns", "tests", "data_tests", "docs", "meta", "tags",
    "constraints", "versions", "latest_version", "access", "group", "deprecation_date",
    "time_spine", "freshness", "quote_columns", "column_types", "relation", NULL
};

/* Resources dbt builds or lists that gluec does not model yet: said, not dropped silently. */
static const char *const s_unbuilt_keys[] = { "unit_tests", "metrics", "semantic_models", "saved_queries", NULL };

static bool s_in(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0) return true;
    return false;
}

static void s_add_spec(gl_project *p, const gl_propfile *f, const gl_ynode *test, const gl_ynode *column,
                       gl_dnode *target)
{
    if (p->ntests == p->captests) {
        p->captests = p->captests ? p->captests * 2 : 32;
        p->tests = gl_xrealloc(p->tests, p->captests * sizeof *p->tests);
    }
    gl_testspec *t = &p->tests[p->ntests++];
    t->pkg = f->pkg;
    t->doc = f->doc;
    t->file = f->rel;
    t->dirs = f->dirs;
    t->test = test;
    t->column = column;
    t->target = target;
}

/* tests: / data_tests: of an entry and of each of its columns. */
static void s_collect_tests(gl_project *p, const gl_propfile *f, const gl_ynode *entry, gl_dnode *target)
{
    const char *keys[2] = { "tests", "data_tests" };
    if (gl_ymap_get(entry, "tests") && gl_ymap_get(entry, "data_tests"))
        gl_load_error_at(p, f->doc, gl_ymap_get(entry, "tests"), "use data_tests: only (tests: is its old name)",
                         "an entry cannot have both 'tests' and 'data_tests'");
    for (int k = 0; k < 2; k++) {
        const gl_ynode *list = gl_ymap_get(entry, keys[k]);
        for (uint32_t i = 0; list && list->kind == GL_Y_SEQ && i < list->n; i++)
            s_add_spec(p, f, list->items[i], NULL, target);
    }
    const gl_ynode *cols = gl_ymap_get(entry, "columns");
    for (uint32_t c = 0; cols && cols->kind == GL_Y_SEQ && c < cols->n; c++) {
        for (int k = 0; k < 2; k++) {
            const gl_ynode *list = gl_ymap_get(cols->items[c], keys[k]);
            for (uint32_t i = 0; list && list->kind == GL_Y_SEQ && i < list->n; i++)
                s_add_spec(p, f, list->items[i], cols->items[c], target);
        }
    }
}

/* Versions as dbt compares them (UnparsedVersion): as numbers when both are numbers,
 * else as strings. */
int gl_version_cmp(const char *a, const char *b)
{
    char *ea, *eb;
    double x = strtod(a, &ea), y = strtod(b, &eb);
    if (*a && *b && !*ea && !*eb) return (x > y) - (x < y);
    return strcmp(a, b);
}

const char *gl_project_latest_version(const gl_project *p, const char *pkg, const char *name)
{
    if (!p->latest) return NULL;
    gl_buf key;
    gl_buf_init(&key);
    gl_buf_printf(&key, "%s.%s", pkg, name);
    gl_value v;
    bool found = gl_dict_get(p->latest, gl_str(key.data, key.len), &v);
    gl_buf_free(&key);
    return found ? v.u.s : NULL;   /* stored from a C string: NUL-terminated */
}

/* The latest version: latest_version when given, else the greatest v. */
static const char *s_latest(const gl_ynode *e, const gl_ynode *versions)
{
    const char *latest = gl_yscalar_text(gl_ymap_get(e, "latest_version"));
    if (latest) return latest;
    for (uint32_t i = 0; i < versions->n; i++) {
        const char *v = gl_yscalar_text(gl_ymap_get(versions->items[i], "v"));
        if (v && (!latest || gl_version_cmp(v, latest) > 0)) latest = v;
    }
    return latest;
}

/* versions: of a model entry: each version's file (defined_in, else <name>_v<v>) becomes
 * the node model.<pkg>.<name>.v<v>, named <name>, with the model's and the version's
 * properties; ref('<name>') then means the latest version. Returns false when nothing
 * was patched. */
static bool s_versions(gl_project *p, const gl_propfile *f, const gl_ynode *e, const char *name)
{
    const gl_ynode *versions = gl_ymap_get(e, "versions");
    if (!versions) return false;
    if (versions->kind != GL_Y_SEQ) {
        gl_load_error_at(p, f->doc, versions, "write a list: versions: [{v: 1}, {v: 2}]", "'versions' must be a list");
        return true;
    }
    const char *latest = s_latest(e, versions);
    for (uint32_t i = 0; i < versions->n; i++) {
        const gl_ynode *ve = versions->items[i], *v = gl_ymap_get(ve, "v"), *def = gl_ymap_get(ve, "defined_in");
        if (!gl_yscalar_text(v)) {
            gl_load_error_at(p, f->doc, ve, "each version needs its number: - v: 2", "a version without 'v'");
            continue;
        }
        const char *stem = gl_yscalar_text(def) ? def->text : gl_load_strf(p, "%s_v%s", name, v->text);
        long at = gl_project_find(p, gl_load_strf(p, "model.%s.%s", f->pkg->name, stem));
        if (at < 0 && !gl_yscalar_text(def) && latest && !strcmp(v->text, latest))
            at = gl_project_find(p, gl_load_strf(p, "model.%s.%s", f->pkg->name, name));   /* dbt: the latest may be unsuffixed */
        if (at < 0) {   /* dbt warns (NoNodeForYamlKey) and builds the other versions */
            gl_load_warn_at(p, f->doc, ve, "add the model file, or point defined_in at the file that holds it",
                            "version %s of model '%s' has no file %s.sql; it is skipped", v->text, name, stem);
            continue;
        }
        gl_dnode *n = p->nodes[at];
        n->name = name;
        n->version = v->text;
        n->unique_id = gl_load_strf(p, "model.%s.%s.v%s", f->pkg->name, name, v->text);
        const char **fqn = gl_arena_alloc(&p->vm.arena, (n->nfqn + 2) * sizeof *fqn);
        memcpy(fqn, n->fqn, n->nfqn * sizeof *fqn);
        fqn[n->nfqn - 1] = name;
        fqn[n->nfqn] = gl_load_strf(p, "v%s", v->text);
        n->fqn = fqn;
        n->nfqn++;
        n->props = e;
        n->version_props = ve;
        n->props_doc = f->doc;
        s_collect_tests(p, f, e, n);
        s_collect_tests(p, f, ve, n);
    }
    if (!p->latest) p->latest = gl_dict_new(&p->vm).u.dict;
    if (latest) gl_dict_set(&p->vm, p->latest, gl_cstr(gl_load_strf(p, "%s.%s", f->pkg->name, name)), gl_cstr(latest));
    p->renamed = true;
    return true;
}

static void s_patch(gl_project *p, const gl_propfile *f, gl_rtype type, const char *section, const gl_ynode *list)
{
    if (list->kind != GL_Y_SEQ) {
        gl_load_error_at(p, f->doc, list, "write a list of entries, each starting with `- name: ...`",
                         "'%s' must be a list", section);
        return;
    }
    for (uint32_t i = 0; i < list->n; i++) {
        const gl_ynode *e = list->items[i];
        const gl_ynode *name = gl_ymap_get(e, "name");
        if (!gl_yscalar_text(name)) {
            gl_load_error_at(p, f->doc, e, NULL, "every entry of '%s' needs a name", section);
            continue;
        }
        for (uint32_t k = 0; k < e->n; k++)
            if (!s_in(e->keys[k]->text, s_node_keys))
                gl_load_warn_at(p, f->doc, e->keys[k], NULL, "unknown key '%s' is ignored", e->keys[k]->text);
        if (type == GL_RT_MODEL && s_versions(p, f, e, name->text)) continue;
        const char *uid = gl_load_strf(p, "%s.%s.%s", gl_rtype_name(type), f->pkg->name, name->text);
        long at = gl_project_find(p, uid);
        if (at < 0) {
            gl_load_warn_at(p, f->doc, name, NULL, "did not find a %s named '%s' for this entry of '%s'",
                            gl_rtype_name(type), name->text, section);
            continue;
        }
        gl_dnode *n = p->nodes[at];
        if (n->props) {
            gl_load_error_at(p, f->doc, name, "keep one properties entry per resource",
                             "%s '%s' already has properties in %s", gl_rtype_name(type), name->text,
                             n->props_doc->src->path);
            continue;
        }
        n->props = e;
        n->props_doc = f->doc;
        s_collect_tests(p, f, e, n);
    }
}

static gl_dnode *s_source_node(gl_project *p, const gl_propfile *f, const gl_ynode *src, const gl_ynode *tbl)
{
    const char *sname = gl_ymap_get(src, "name")->text, *tname = gl_ymap_get(tbl, "name")->text;
    gl_dnode *n = gl_load_add_node(p, f->pkg, GL_RT_SOURCE, gl_load_strf(p, "%s.%s", sname, tname), f->rel, NULL);
    n->name = tname;
    n->source_name = sname;
    n->source_props = src;
    n->props = tbl;
    n->props_doc = f->doc;
    const gl_ynode *ident = gl_ymap_get(tbl, "identifier");
    n->identifier = gl_yscalar_text(ident) ? ident->text : tname;
    const gl_ynode *schema = gl_ymap_get(src, "schema");
    n->schema = gl_yscalar_text(schema) ? schema->text : sname;
    const gl_ynode *db = gl_ymap_get(src, "database");
    n->database = gl_yscalar_text(db) ? db->text : NULL;
    gl_load_fqn(p, n, f->dirs, sname);   /* dbt: [package, folders..., source, table] */
    n->fqn[n->nfqn++] = tname;           /* gl_load_fqn left room for one more part */
    return n;
}

static void s_sources(gl_project *p, const gl_propfile *f, const gl_ynode *list)
{
    for (uint32_t i = 0; list->kind == GL_Y_SEQ && i < list->n; i++) {
        const gl_ynode *src = list->items[i];
        if (!gl_yscalar_text(gl_ymap_get(src, "name"))) {
            gl_load_error_at(p, f->doc, src, NULL, "every source needs a name");
            continue;
        }
        const gl_ynode *tables = gl_ymap_get(src, "tables");
        for (uint32_t t = 0; tables && tables->kind == GL_Y_SEQ && t < tables->n; t++) {
            if (!gl_yscalar_text(gl_ymap_get(tables->items[t], "name"))) {
                gl_load_error_at(p, f->doc, tables->items[t], NULL, "every source table needs a name");
                continue;
            }
            s_source_node(p, f, src, tables->items[t]);
        }
    }
}

/* exposures: nodes of their own (dbt ls lists them), whose depends_on entries
 * (ref(...), source(...)) become a template the parse phase renders to find the
 * parents. */
static void s_exposures(gl_project *p, const gl_propfile *f, const gl_ynode *list)
{
    for (uint32_t i = 0; list->kind == GL_Y_SEQ && i < list->n; i++) {
        const gl_ynode *e = list->items[i], *name = gl_ymap_get(e, "name"), *deps = gl_ymap_get(e, "depends_on");
        if (!gl_yscalar_text(name)) {
            gl_load_error_at(p, f->doc, e, NULL, "every exposure needs a name");
            continue;
        }
        gl_dnode *n = gl_load_add_node(p, f->pkg, GL_RT_EXPOSURE, name->text, f->rel, NULL);
        n->props = e;
        n->props_doc = f->doc;
        gl_load_fqn(p, n, f->dirs, name->text);
        gl_buf raw;
        gl_buf_init(&raw);
        for (uint32_t k = 0; deps && deps->kind == GL_Y_SEQ && k < deps->n; k++)
            if (gl_yscalar_text(deps->items[k])) gl_buf_printf(&raw, "{{ %s }}\n", deps->items[k]->text);
        gl_load_checksum(n, raw.data ? raw.data : "", raw.len);
        n->tpl = gl_load_inline_template(p, f->doc->src->path, raw.data ? raw.data : "");
        gl_buf_free(&raw);
    }
}

/* snapshots: entries with a `relation:` (dbt 1.9's YAML snapshots) are snapshot nodes
 * of their own, `select * from {{ <relation> }}`, as dbt-core's
 * _add_yaml_snapshot_nodes_to_manifest makes them; the entry then patches the node
 * like any snapshot entry. */
static void s_yaml_snapshots(gl_project *p, const gl_propfile *f, const gl_ynode *list)
{
    static const char prefix[] = "select * from {{ ";
    for (uint32_t i = 0; list->kind == GL_Y_SEQ && i < list->n; i++) {
        const gl_ynode *e = list->items[i], *rel = gl_ymap_get(e, "relation"), *name = gl_ymap_get(e, "name");
        if (!rel) continue;
        if (!gl_yscalar_text(name) || !gl_yscalar_text(rel)) {
            gl_load_error_at(p, f->doc, name ? rel : e, "write `name:` and `relation: ref('...')` or source(...)",
                             "a snapshot defined in YAML needs a name and a relation");
            continue;
        }
        const char *code = gl_load_strf(p, "%s%s }}", prefix, rel->text);
        uint32_t at = rel->span.start >= sizeof prefix - 1 ? rel->span.start - (uint32_t)(sizeof prefix - 1) : 0;
        gl_template *t = gl_load_mapped_template(p, f->doc->src, at, code);
        if (!t) continue;
        gl_dnode *n = gl_load_add_node(p, f->pkg, GL_RT_SNAPSHOT, name->text, f->rel, NULL);
        gl_load_checksum(n, code, strlen(code));
        n->tpl = t;
        n->compiled_path = gl_load_strf(p, "%s/%s.sql", f->rel, name->text);
        gl_load_fqn(p, n, f->dirs, name->text);
    }
}

/* macros: entries describe macros of the same package; one for a macro that does not
 * exist is dbt's MacroNotFoundForPatch warning, two for one macro its
 * DuplicateMacroPatchNameError. */
static void s_macro_patches(gl_project *p, const gl_propfile *f, const gl_ynode *list, gl_dict *seen)
{
    for (uint32_t i = 0; list->kind == GL_Y_SEQ && i < list->n; i++) {
        const gl_ynode *name = gl_ymap_get(list->items[i], "name");
        if (!gl_yscalar_text(name)) {
            gl_load_error_at(p, f->doc, list->items[i], "give the entry `name: <macro name>`", "a macro entry needs a name");
            continue;
        }
        gl_value key = gl_cstr(gl_load_strf(p, "%s.%s", f->pkg->name, name->text)), prev;
        if (!gl_dict_get(f->pkg->macros, gl_cstr(name->text), &prev)) {
            gl_load_warn_at(p, f->doc, name, NULL, "Found patch for macro \"%s\" which was not found", name->text);
        } else if (gl_dict_get(seen, key, &prev)) {
            gl_load_error_at(p, f->doc, name, "describe each macro once", "macro '%s' is already described in %.*s",
                             name->text, (int)prev.len, prev.u.s);
        } else {
            gl_dict_set(&p->vm, seen, key, gl_cstr(f->doc->src->path));
        }
    }
}

/* Sources first (they are new nodes), then the index is rebuilt and patches applied. */
void gl_props_attach(gl_project *p)
{
    uint32_t before = p->nnodes;
    for (uint32_t i = 0; i < p->npropfiles; i++) {
        const gl_propfile *f = &p->propfiles[i];
        if (f->doc->root->kind != GL_Y_MAP) {
            gl_load_error_at(p, f->doc, f->doc->root, NULL, "a properties file must be a mapping (version: 2, models: ...)");
            continue;
        }
        const gl_ynode *srcs = gl_ymap_get(f->doc->root, "sources");
        if (srcs) s_sources(p, f, srcs);
        const gl_ynode *exps = gl_ymap_get(f->doc->root, "exposures");
        if (exps) s_exposures(p, f, exps);
        const gl_ynode *snaps = gl_ymap_get(f->doc->root, "snapshots");
        if (snaps) s_yaml_snapshots(p, f, snaps);
    }
    if (p->nnodes != before) gl_project_reindex(p);
    gl_dict *macro_patches = gl_dict_new(&p->vm).u.dict;
    static const struct { const char *section; gl_rtype type; } sections[] = {
        {"models", GL_RT_MODEL}, {"seeds", GL_RT_SEED}, {"snapshots", GL_RT_SNAPSHOT}, {"analyses", GL_RT_ANALYSIS},
    };
    for (uint32_t i = 0; i < p->npropfiles; i++) {
        const gl_propfile *f = &p->propfiles[i];
        const gl_ynode *root = f->doc->root;
        if (root->kind != GL_Y_MAP) continue;
        for (uint32_t k = 0; k < root->n; k++) {
            const char *key = root->keys[k]->text;
            if (!s_in(key, s_top_keys))
                gl_load_warn_at(p, f->doc, root->keys[k], NULL, "unknown key '%s' is ignored", key);
            else if (s_in(key, s_unbuilt_keys) && root->vals[k]->kind == GL_Y_SEQ && root->vals[k]->n)
                gl_load_warn_at(p, f->doc, root->keys[k], "dbt ls lists them and dbt compile compiles unit tests",
                                "%s are not supported by gluec yet: they are left out of the plan and of ls", key);
        }
        for (size_t s = 0; s < sizeof sections / sizeof sections[0]; s++) {
            const gl_ynode *list = gl_ymap_get(root, sections[s].section);
            if (list) s_patch(p, f, sections[s].type, sections[s].section, list);
        }
        const gl_ynode *macros = gl_ymap_get(root, "macros");
        if (macros) s_macro_patches(p, f, macros, macro_patches);
        const gl_ynode *srcs = gl_ymap_get(root, "sources");
        for (uint32_t s = 0; srcs && srcs->kind == GL_Y_SEQ && s < srcs->n; s++) {
            const gl_ynode *tables = gl_ymap_get(srcs->items[s], "tables");
            for (uint32_t t = 0; tables && tables->kind == GL_Y_SEQ && t < tables->n; t++) {
                const gl_ynode *sn = gl_ymap_get(srcs->items[s], "name"), *tn = gl_ymap_get(tables->items[t], "name");
                if (!gl_yscalar_text(sn) || !gl_yscalar_text(tn)) continue;
                long at = gl_project_find(p, gl_load_strf(p, "source.%s.%s.%s", f->pkg->name, sn->text, tn->text));
                if (at >= 0) s_collect_tests(p, f, tables->items[t], p->nodes[at]);
            }
        }
    }
    if (p->renamed) gl_project_reindex(p);   /* versioned models changed their ids */
}
