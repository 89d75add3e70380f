/* src/codegen/plan.c - building and writing the plan directory (codegen layer). */
#include "codegen/plan.h"
#include "jinja/json.h"
#include "util/fs.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0.1.0"
#endif

static void s_add(gl_plan *plan, const char *path, const char *data, size_t len)
{
    if (plan->n == plan->cap) {
        plan->cap = plan->cap ? plan->cap * 2 : 64;
        plan->files = gl_xrealloc(plan->files, plan->cap * sizeof *plan->files);
    }
    gl_plan_file *f = &plan->files[plan->n++];
    size_t pl = strlen(path);
    f->path = gl_xmalloc(pl + 1);
    memcpy(f->path, path, pl + 1);
    f->data = gl_xmalloc(len + 1);
    if (len) memcpy(f->data, data, len);
    f->data[len] = '\0';
    f->len = len;
}

static int s_cmp_file(const void *a, const void *b)
{
    return strcmp(((const gl_plan_file *)a)->path, ((const gl_plan_file *)b)->path);
}

static bool s_planned(const gl_dnode *n)
{
    if (!gl_node_enabled(n)) return false;
    if (n->type == GL_RT_SOURCE || n->type == GL_RT_ANALYSIS || n->type == GL_RT_EXPOSURE) return false;
    return !n->ephemeral;
}

static gl_value s_cfg(const gl_dnode *n, const char *key)
{
    gl_value v;
    return gl_dict_get_cstr(n->config.u.dict, key, &v) ? v : gl_none();
}

static gl_value s_node_json(gl_compile *c, const gl_dnode *n, const char *compiled_path)
{
    gl_vm *vm = &c->p->vm;
    gl_value d = gl_dict_new(vm);
    gl_dict *o = d.u.dict;
    gl_dict_set_cstr(vm, o, "unique_id", gl_cstr(n->unique_id));
    gl_dict_set_cstr(vm, o, "resource_type", gl_cstr(gl_rtype_name(n->type)));
    gl_dict_set_cstr(vm, o, "name", gl_cstr(n->name));
    gl_dict_set_cstr(vm, o, "package", gl_cstr(n->pkg->name));
    gl_dict_set_cstr(vm, o, "path", gl_cstr(n->path));
    gl_dict_set_cstr(vm, o, "materialized", s_cfg(n, "materialized"));
    gl_dict_set_cstr(vm, o, "file_format", s_cfg(n, "file_format"));
    gl_dict_set_cstr(vm, o, "incremental_strategy", s_cfg(n, "incremental_strategy"));
    gl_value rel = gl_none();
    if (n->type != GL_RT_TEST && n->type != GL_RT_OPERATION) {
        gl_buf *b = gl_vm_buf_get(vm);
        gl_str_of(vm, gl_context_relation(c, n), b);
        rel = gl_vm_buf_str(vm, b);
    }
    gl_dict_set_cstr(vm, o, "relation", rel);
    gl_value deps = gl_list_new(vm, n->nparents);
    for (uint32_t i = 0; i < n->nparents; i++) gl_list_push(vm, deps.u.list, gl_cstr(c->p->nodes[n->parents[i]]->unique_id));
    gl_dict_set_cstr(vm, o, "depends_on", deps);
    gl_dict_set_cstr(vm, o, "compiled", compiled_path ? gl_str_copy(vm, compiled_path, strlen(compiled_path)) : gl_none());
    gl_dict_set_cstr(vm, o, "steps", gl_list_new(vm, 0));
    gl_dict_set_cstr(vm, o, "checksum", gl_vm_strf(vm, "sha256:%s", n->checksum));
    return d;
}

/* One node into the plan: its compiled file (dbt writes none for snapshots) and, when
 * the plan builds it, its entry in nodes. */
static void s_plan_node(gl_compile *c, const gl_dnode *n, gl_plan *plan, gl_buf *path, gl_value nodes)
{
    const char *compiled = NULL;
    if (n->rendered && n->type != GL_RT_SNAPSHOT) {
        gl_buf_truncate(path, 0);
        gl_buf_printf(path, "compiled/%s/%s", n->pkg->name, n->compiled_path ? n->compiled_path : n->path);
        s_add(plan, path->data, n->compiled, n->compiled_len);
        compiled = path->data;
    }
    if (s_planned(n)) gl_list_push(&c->p->vm, nodes.u.list, s_node_json(c, n, compiled));
}

void gl_plan_build(gl_compile *c, const bool *selected, gl_plan *plan)
{
    gl_project *p = c->p;
    gl_vm *vm = &p->vm;
    gl_buf path;
    gl_buf_init(&path);
    gl_value nodes = gl_list_new(vm, c->norder + p->nhooks);
    /* on-run-start hooks before every node and on-run-end after, whatever is selected
     * (as dbt runs them); p->hooks is in dbt's hook order */
    for (uint32_t i = 0; i < p->nhooks; i++)
        if (!p->hooks[i]->hook_end) s_plan_node(c, p->hooks[i], plan, &path, nodes);
    for (uint32_t k = 0; k < c->norder; k++) {   /* dbt also writes the ephemeral models it injected */
        const gl_dnode *n = p->nodes[c->order[k]];
        if (!selected || selected[c->order[k]] || (n->ephemeral && n->rendered)) s_plan_node(c, n, plan, &path, nodes);
    }
    for (uint32_t i = 0; i < p->nhooks; i++)
        if (p->hooks[i]->hook_end) s_plan_node(c, p->hooks[i], plan, &path, nodes);
    gl_buf_free(&path);
    gl_value root = gl_dict_new(vm);
    gl_dict_set_cstr(vm, root.u.dict, "plan_version", gl_int(1));
    gl_dict_set_cstr(vm, root.u.dict, "generator", gl_cstr("gluec " PACKAGE_VERSION));
    gl_dict_set_cstr(vm, root.u.dict, "project", gl_cstr(p->pkgs[0]->name));
    gl_value target = gl_dict_new(vm), v;
    const char *keys[] = { "name", "type", "schema", "location", NULL };
    for (const char **k = keys; *k; k++)
        gl_dict_set_cstr(vm, target.u.dict, *k, gl_dict_get_cstr(p->target.u.dict, *k, &v) ? v : gl_none());
    gl_dict_set_cstr(vm, root.u.dict, "target", target);
    gl_dict_set_cstr(vm, root.u.dict, "session", p->session);
    gl_dict_set_cstr(vm, root.u.dict, "nodes", nodes);
    gl_buf json;
    gl_buf_init(&json);
    gl_json_dump(vm, root, 2, &json);
    gl_buf_addc(&json, '\n');
    s_add(plan, "plan.json", json.data, json.len);
    gl_buf_free(&json);
    qsort(plan->files, plan->n, sizeof *plan->files, s_cmp_file);
}

/* One writer thread: a contiguous run of the sorted files (so its directories are
 * made once), its own error text. */
typedef struct s_writer {
    const gl_plan *plan;
    const char *root;
    const char *reuse;          /* the plan being replaced: unchanged files are linked */
    uint32_t from, to;
    gl_buf err;
    bool ok;
} s_writer;

static void *s_write_run(void *arg)
{
    s_writer *w = arg;
    gl_buf made;
    gl_buf_init(&made);
    w->ok = true;
    for (uint32_t i = w->from; i < w->to && w->ok; i++)
        w->ok = gl_fs_write_under(w->root, &made, w->plan->files[i].path, w->plan->files[i].data,
                                  w->plan->files[i].len, w->reuse, &w->err);
    gl_buf_free(&made);
    return NULL;
}

/* Writes the files with up to `threads` writers (file creation dominates a large
 * plan); the bytes written do not depend on the count. */
bool gl_plan_write(const gl_plan *plan, const char *dir, int threads, gl_fs_cleanup *cleanup, gl_buf *err)
{
    gl_fs_tx tx;
    bool begun = gl_fs_tx_begin(&tx, dir, err);
    tx.cleanup = cleanup;
    if (!begun) {
        gl_fs_tx_abort(&tx);
        return false;
    }
    if (threads < 1) threads = 1;
    if (threads > 16) threads = 16;
    if ((uint32_t)threads > plan->n / 64 + 1) threads = (int)(plan->n / 64 + 1);
    s_writer w[16];
    pthread_t tid[16];
    bool started[16] = { false };
    for (int t = 0; t < threads; t++) {
        w[t] = (s_writer){ plan, tx.tmp, tx.final, (uint32_t)((uint64_t)plan->n * t / threads),
                           (uint32_t)((uint64_t)plan->n * (t + 1) / threads), { 0 }, true };
        gl_buf_init(&w[t].err);
        started[t] = t > 0 && pthread_create(&tid[t], NULL, s_write_run, &w[t]) == 0;
        if (t > 0 && !started[t]) s_write_run(&w[t]);   /* no thread: write it here */
    }
    s_write_run(&w[0]);
    bool ok = true;
    for (int t = 0; t < threads; t++) {
        if (started[t]) pthread_join(tid[t], NULL);
        if (!w[t].ok && ok) {
            gl_buf_add(err, w[t].err.data ? w[t].err.data : "", w[t].err.len);
            ok = false;
        }
        gl_buf_free(&w[t].err);
    }
    if (!ok) {
        gl_fs_tx_abort(&tx);
        return false;
    }
    return gl_fs_tx_commit(&tx, err);
}

/* Both lists are sorted by path: one merge walk finds missing, changed and stale files. */
bool gl_plan_check(const gl_plan *plan, const char *dir, gl_buf *report)
{
    bool same = true;
    gl_pathlist have = {0};
    gl_fs_walk(dir, ".", &have);
    gl_buf full;
    gl_buf_init(&full);
    size_t h = 0;
    for (uint32_t i = 0; i < plan->n; i++) {
        const gl_plan_file *f = &plan->files[i];
        for (; h < have.n && strcmp(have.paths[h], f->path) < 0; h++) {
            gl_buf_printf(report, "stale: %s\n", have.paths[h]);
            same = false;
        }
        if (h < have.n && strcmp(have.paths[h], f->path) == 0) h++;
        gl_path_join(&full, dir, f->path);
        gl_source *s = gl_source_read(full.data);
        if (!s) {
            gl_buf_printf(report, "missing: %s\n", f->path);
            same = false;
        } else if (s->len != f->len || memcmp(s->text, f->data, s->len) != 0) {
            gl_buf_printf(report, "changed: %s\n", f->path);
            same = false;
        }
        gl_source_free(s);
    }
    for (; h < have.n; h++) {
        gl_buf_printf(report, "stale: %s\n", have.paths[h]);
        same = false;
    }
    gl_pathlist_free(&have);
    gl_buf_free(&full);
    return same;
}

void gl_plan_free(gl_plan *plan)
{
    for (uint32_t i = 0; i < plan->n; i++) {
        free(plan->files[i].path);
        free(plan->files[i].data);
    }
    free(plan->files);
    plan->files = NULL;
    plan->n = plan->cap = 0;
}
