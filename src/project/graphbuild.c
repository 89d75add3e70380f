/* src/project/graphbuild.c - the selection graph of a project (project layer): one
 * gl_gnode per node, with the attributes dbt's selector methods read and the edges
 * from depends_on. Built after compile has linked the nodes. */
#include "project/graphbuild.h"
#include <string.h>


/* A versioned model's version and where it stands against the model's latest. */
static void s_version(const gl_project *p, const gl_dnode *n, gl_gnode *o)
{
    o->version = n->version;
    const char *latest = n->version ? gl_project_latest_version(p, n->pkg->name, n->name) : NULL;
    if (latest) o->version_vs_latest = gl_version_cmp(n->version, latest);
}

static void s_tags(gl_graph *g, const gl_dnode *n, gl_gnode *o)
{
    gl_value tags;
    o->ntags = 0;
    if (!gl_dict_get_cstr(n->config.u.dict, "tags", &tags) || !gl_is_seq(tags)) return;
    o->tags = gl_arena_alloc(&g->arena, (tags.u.list->len + 1) * sizeof *o->tags);
    for (uint32_t i = 0; i < tags.u.list->len; i++) {
        gl_value t = tags.u.list->items[i];
        if (t.kind == GL_STR) o->tags[o->ntags++] = gl_arena_strndup(&g->arena, t.u.s, t.len);
    }
}

void gl_graph_build(const gl_project *p, gl_graph *g)
{
    gl_arena_init(&g->arena);
    g->n = p->nnodes;
    g->nodes = gl_arena_zalloc(&g->arena, (p->nnodes + 1) * sizeof *g->nodes);
    g->root_package = p->pkgs[0]->name;
    uint32_t *nchild = gl_arena_zalloc(&g->arena, (p->nnodes + 1) * sizeof *nchild);
    for (uint32_t i = 0; i < p->nnodes; i++) {
        const gl_dnode *n = p->nodes[i];
        gl_gnode *o = &g->nodes[i];
        o->unique_id = n->unique_id;
        o->resource_type = gl_rtype_name(n->type);
        o->name = n->name;
        o->package = n->pkg->name;
        o->path = n->path;
        o->fqn = n->fqn;
        o->nfqn = n->nfqn;
        o->config = n->config;
        o->source_name = n->source_name;
        if (n->test_macro) {
            const char *dot = strrchr(n->test_macro, '.');
            o->test_name = (dot ? dot + 1 : n->test_macro) + 5;   /* after "test_" */
        }
        o->enabled = gl_node_enabled(n);
        s_version(p, n, o);
        o->parents = n->parents;
        o->nparents = n->nparents;
        s_tags(g, n, o);
        for (uint32_t k = 0; k < n->nparents; k++) nchild[n->parents[k]]++;
    }
    for (uint32_t i = 0; i < p->nnodes; i++)
        g->nodes[i].children = gl_arena_alloc(&g->arena, (nchild[i] + 1) * sizeof(uint32_t));
    for (uint32_t i = 0; i < p->nnodes; i++)
        for (uint32_t k = 0; k < g->nodes[i].nparents; k++) {
            gl_gnode *par = &g->nodes[g->nodes[i].parents[k]];
            par->children[par->nchildren++] = i;
        }
}

void gl_graph_free(gl_graph *g)
{
    gl_arena_free(&g->arena);
    g->nodes = NULL;
    g->n = 0;
}
