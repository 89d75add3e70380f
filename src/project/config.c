/* src/project/config.c - node configs with dbt's precedence and merge rules (project
 * layer): defaults < the node package's own dbt_project.yml tree < the properties
 * entry's config: < config() in the file < (for nodes of installed packages) the root
 * project's tree. Within a tree, deeper (more specific) levels win. tags, pre-hook and
 * post-hook accumulate; meta, quoting, column_types, docs and contract merge as dicts;
 * grants merge per privilege as lists ("+select" extends); everything else is replaced. */
#include "project/load.h"
#include <string.h>

/* dbt-common's merge behaviours: Append, Update (dict merge), DictKeyAppend (grants);
 * every other key is replaced. */
static const char *const s_append_keys[] = { "tags", "pre-hook", "post-hook", NULL };
static const char *const s_dict_keys[] = { "meta", "quoting", "column_types", "docs", "contract", NULL };

static bool s_in(const char *s, size_t n, const char *const *list)
{
    for (; *list; list++)
        if (strlen(*list) == n && memcmp(s, *list, n) == 0) return true;
    return false;
}

/* Hooks are written pre_hook/pre-hook; dbt keeps pre-hook. */
static gl_value s_norm_key(gl_vm *vm, gl_value k)
{
    if (k.kind == GL_STR && k.len == 8 && !memcmp(k.u.s, "pre_hook", 8)) return gl_cstr("pre-hook");
    if (k.kind == GL_STR && k.len == 9 && !memcmp(k.u.s, "post_hook", 9)) return gl_cstr("post-hook");
    (void)vm;
    return k;
}

static void s_append(gl_vm *vm, gl_dict *cfg, gl_value key, gl_value v)
{
    gl_value cur;
    gl_value list = gl_list_new(vm, 4);
    if (gl_dict_get(cfg, key, &cur) && gl_is_seq(cur))
        for (uint32_t i = 0; i < cur.u.list->len; i++) gl_list_push(vm, list.u.list, cur.u.list->items[i]);
    if (gl_is_seq(v)) {
        for (uint32_t i = 0; i < v.u.list->len; i++) gl_list_push(vm, list.u.list, v.u.list->items[i]);
    } else if (v.kind != GL_NONE) {
        gl_list_push(vm, list.u.list, v);
    }
    bool tags = key.len == 4 && !memcmp(key.u.s, "tags", 4);
    if (tags) {   /* tags are a set: keep the first of each */
        uint32_t o = 0;
        for (uint32_t i = 0; i < list.u.list->len; i++) {
            bool seen = false;
            for (uint32_t j = 0; j < o && !seen; j++) seen = gl_equal(list.u.list->items[j], list.u.list->items[i]);
            if (!seen) list.u.list->items[o++] = list.u.list->items[i];
        }
        list.u.list->len = o;
    }
    gl_dict_set(vm, cfg, key, list);
}

static gl_value s_listify(gl_vm *vm, gl_value v)
{
    gl_value l = gl_list_new(vm, 1);
    if (gl_is_seq(v)) for (uint32_t i = 0; i < v.u.list->len; i++) gl_list_push(vm, l.u.list, v.u.list->items[i]);
    else gl_list_push(vm, l.u.list, v);
    return l;
}

/* grants: each privilege a list; "+privilege" extends what is there, else replaces. */
static void s_grants(gl_vm *vm, gl_dict *cfg, gl_value key, gl_value v)
{
    gl_value cur, merged = gl_dict_new(vm);
    if (gl_dict_get(cfg, key, &cur) && cur.kind == GL_DICT)
        for (uint32_t i = 0; i < cur.u.dict->nentries; i++)
            if (cur.u.dict->entries[i].live)
                gl_dict_set(vm, merged.u.dict, cur.u.dict->entries[i].key, s_listify(vm, cur.u.dict->entries[i].value));
    for (uint32_t i = 0; v.kind == GL_DICT && i < v.u.dict->nentries; i++) {
        if (!v.u.dict->entries[i].live || v.u.dict->entries[i].key.kind != GL_STR) continue;
        gl_value k = v.u.dict->entries[i].key, val = s_listify(vm, v.u.dict->entries[i].value), have;
        bool extend = k.len && k.u.s[0] == '+';
        while (k.len && k.u.s[0] == '+') { k.u.s++; k.len--; }
        if (extend && gl_dict_get(merged.u.dict, k, &have)) {
            gl_value l = s_listify(vm, have);
            for (uint32_t j = 0; j < val.u.list->len; j++) gl_list_push(vm, l.u.list, val.u.list->items[j]);
            val = l;
        }
        gl_dict_set(vm, merged.u.dict, k, val);
    }
    gl_dict_set(vm, cfg, key, merged);
}

/* Applies one key/value of a config source to cfg with dbt's merge behaviour. */
void gl_config_apply(gl_vm *vm, gl_dict *cfg, gl_value key, gl_value v)
{
    key = s_norm_key(vm, key);
    if (key.kind != GL_STR) return;
    if (s_in(key.u.s, key.len, s_append_keys)) {
        s_append(vm, cfg, key, v);
        return;
    }
    if (key.len == 6 && !memcmp(key.u.s, "grants", 6) && v.kind == GL_DICT) {
        s_grants(vm, cfg, key, v);
        return;
    }
    gl_value cur;
    if (v.kind == GL_DICT && s_in(key.u.s, key.len, s_dict_keys) && gl_dict_get(cfg, key, &cur) && cur.kind == GL_DICT) {
        gl_value merged = gl_dict_new(vm);
        for (uint32_t i = 0; i < cur.u.dict->nentries; i++)
            if (cur.u.dict->entries[i].live)
                gl_dict_set(vm, merged.u.dict, cur.u.dict->entries[i].key, cur.u.dict->entries[i].value);
        for (uint32_t i = 0; i < v.u.dict->nentries; i++)
            if (v.u.dict->entries[i].live)
                gl_dict_set(vm, merged.u.dict, v.u.dict->entries[i].key, v.u.dict->entries[i].value);
        gl_dict_set(vm, cfg, key, merged);
        return;
    }
    gl_dict_set(vm, cfg, key, v);
}

void gl_config_apply_dict(gl_vm *vm, gl_dict *cfg, gl_value src)
{
    if (src.kind != GL_DICT) return;
    for (uint32_t i = 0; i < src.u.dict->nentries; i++)
        if (src.u.dict->entries[i].live) gl_config_apply(vm, cfg, src.u.dict->entries[i].key, src.u.dict->entries[i].value);
}

/* Is this key of a dbt_project.yml level a config (vs. a folder or node name)? */
static bool s_is_config(const gl_ynode *key, const gl_ynode *val)
{
    if (key->text[0] == '+') return true;
    return val->kind != GL_Y_MAP;   /* dbt: a plain key holding a mapping is a folder */
}

/* One level of a tree: its configs applied; returns the child for the next fqn part. */
static void s_apply_level(gl_project *p, const gl_ydoc *doc, const gl_ynode *level, gl_dict *cfg)
{
    for (uint32_t i = 0; i < level->n; i++) {
        const gl_ynode *k = level->keys[i], *v = level->vals[i];
        if (!s_is_config(k, v)) continue;
        const char *name = k->text[0] == '+' ? k->text + 1 : k->text;
        bool hook = !strcmp(name, "pre-hook") || !strcmp(name, "post-hook") || !strcmp(name, "pre_hook") ||
                    !strcmp(name, "post_hook");
        gl_value val = gl_load_value(p, doc, v, !hook);
        gl_config_apply(&p->vm, cfg, gl_str(name, strlen(name)), val);
    }
}

static void s_apply_tree(gl_project *p, const gl_pkg *owner, gl_rtype type, const gl_dnode *n, gl_dict *cfg)
{
    const gl_ynode *level = owner->cfg[type];
    if (!level || level->kind != GL_Y_MAP) return;
    s_apply_level(p, owner->yml, level, cfg);   /* top-level keys apply to every package */
    for (uint32_t i = 0; i < n->nfqn; i++) {
        const gl_ynode *next = gl_ymap_get(level, n->fqn[i]);
        if (!next || next->kind != GL_Y_MAP) return;
        level = next;
        s_apply_level(p, owner->yml, level, cfg);
    }
}

static void s_defaults(gl_vm *vm, gl_dnode *n, gl_dict *cfg)
{
    static const char *const materialized[] = { "view", "seed", "snapshot", "test", "view", NULL, NULL, NULL };
    _Static_assert(sizeof materialized / sizeof *materialized == GL_RT_COUNT, "one entry per gl_rtype");
    gl_dict_set_cstr(vm, cfg, "enabled", gl_bool(true));   /* ORDER: gl_rtype */
    if (materialized[n->type]) gl_dict_set_cstr(vm, cfg, "materialized", gl_cstr(materialized[n->type]));
    if (n->type == GL_RT_SOURCE || n->type == GL_RT_EXPOSURE) return;
    if (n->type == GL_RT_OPERATION) {   /* dbt tags a hook with its hook type */
        gl_value tags = gl_list_new(vm, 1);
        gl_list_push(vm, tags.u.list, gl_cstr(n->hook_end ? "on-run-end" : "on-run-start"));
        gl_dict_set_cstr(vm, cfg, "tags", tags);
        return;
    }
    gl_dict_set_cstr(vm, cfg, "tags", gl_list_new(vm, 0));
    gl_dict_set_cstr(vm, cfg, "meta", gl_dict_new(vm));
    gl_dict_set_cstr(vm, cfg, "pre-hook", gl_list_new(vm, 0));
    gl_dict_set_cstr(vm, cfg, "post-hook", gl_list_new(vm, 0));
    if (n->type != GL_RT_TEST) {   /* dbt's NodeConfig defaults */
        gl_dict_set_cstr(vm, cfg, "persist_docs", gl_dict_new(vm));
        gl_dict_set_cstr(vm, cfg, "quoting", gl_dict_new(vm));
        gl_dict_set_cstr(vm, cfg, "column_types", gl_dict_new(vm));
        gl_dict_set_cstr(vm, cfg, "grants", gl_dict_new(vm));
        gl_dict_set_cstr(vm, cfg, "packages", gl_list_new(vm, 0));
        gl_dict_set_cstr(vm, cfg, "on_schema_change", gl_cstr("ignore"));
        gl_dict_set_cstr(vm, cfg, "on_configuration_change", gl_cstr("apply"));
        gl_dict_set_cstr(vm, cfg, "lookback", gl_int(1));
        gl_value docs = gl_dict_new(vm), contract = gl_dict_new(vm);
        gl_dict_set_cstr(vm, docs.u.dict, "show", gl_bool(true));
        gl_dict_set_cstr(vm, docs.u.dict, "node_color", gl_none());
        gl_dict_set_cstr(vm, contract.u.dict, "enforced", gl_bool(false));
        gl_dict_set_cstr(vm, contract.u.dict, "alias_types", gl_bool(true));
        gl_dict_set_cstr(vm, cfg, "docs", docs);
        gl_dict_set_cstr(vm, cfg, "contract", contract);
    }
    if (n->type == GL_RT_TEST) {
        gl_dict_set_cstr(vm, cfg, "severity", gl_cstr("ERROR"));
        gl_dict_set_cstr(vm, cfg, "store_failures", gl_none());
        gl_dict_set_cstr(vm, cfg, "where", gl_none());
        gl_dict_set_cstr(vm, cfg, "limit", gl_none());
        gl_dict_set_cstr(vm, cfg, "fail_calc", gl_cstr("count(*)"));
        gl_dict_set_cstr(vm, cfg, "warn_if", gl_cstr("!= 0"));
        gl_dict_set_cstr(vm, cfg, "error_if", gl_cstr("!= 0"));
        gl_dict_set_cstr(vm, cfg, "schema", gl_cstr("dbt_test__audit"));
    }
}

void gl_config_set_enabled(gl_project *p, gl_dnode *n, const bool *value)
{
    gl_value v;
    if (value) gl_dict_set_cstr(&p->vm, n->config.u.dict, "enabled", gl_bool(*value));
    n->enabled = !gl_dict_get_cstr(n->config.u.dict, "enabled", &v) || gl_truthy(v);
}

void gl_config_resolve(gl_project *p, gl_dnode *n)
{
    gl_vm *vm = &p->vm;
    gl_value cfg = gl_dict_new(vm);
    s_defaults(vm, n, cfg.u.dict);
    gl_rtype tree = n->type;
    s_apply_tree(p, n->pkg, tree, n, cfg.u.dict);
    if (n->props) {
        const gl_ynode *c = gl_ymap_get(n->props, "config");
        if (c) gl_config_apply_dict(vm, cfg.u.dict, gl_load_value(p, n->props_doc, c, true));
    }
    if (n->version_props) {   /* a version's own config: over the model's */
        const gl_ynode *c = gl_ymap_get(n->version_props, "config");
        if (c) gl_config_apply_dict(vm, cfg.u.dict, gl_load_value(p, n->props_doc, c, true));
    }
    gl_config_apply_dict(vm, cfg.u.dict, n->file_config);
    /* dbt's ContextConfig: for a package's node, the root project's dbt_project.yml comes
     * last, over the package's own config() calls */
    if (!n->pkg->is_root) s_apply_tree(p, p->pkgs[0], tree, n, cfg.u.dict);
    n->config = cfg;
    gl_config_set_enabled(p, n, NULL);
}
