/* src/cli/graph.c - `gluec graph` (cli layer): the DAG of the selected nodes, as
 * Graphviz dot (default) or JSON ({"nodes": [...], "edges": [[parent, child], ...]}),
 * nodes and edges in unique_id order so the output diffs cleanly. */
#include "cli/cli.h"
#include "cli/options.h"
#include "jinja/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char s_usage[] =
    "usage: gluec graph [project options] [--select SPEC...] [--exclude SPEC...] [--format dot|json]\n";

static void s_dot(const gl_project *p, const bool *sel, gl_buf *out)
{
    gl_buf_adds(out, "digraph gluec {\n  rankdir=LR;\n");
    for (uint32_t i = 0; i < p->nnodes; i++) {
        if (!sel[i]) continue;
        const gl_dnode *n = p->nodes[i];
        gl_buf_printf(out, "  \"%s\" [label=\"%s\", shape=%s];\n", n->unique_id, n->name,
                      n->type == GL_RT_SOURCE ? "cylinder" : n->type == GL_RT_TEST ? "note" : "box");
    }
    for (uint32_t i = 0; i < p->nnodes; i++) {
        if (!sel[i]) continue;
        const gl_dnode *n = p->nodes[i];
        for (uint32_t k = 0; k < n->nparents; k++)
            if (sel[n->parents[k]])
                gl_buf_printf(out, "  \"%s\" -> \"%s\";\n", p->nodes[n->parents[k]]->unique_id, n->unique_id);
    }
    gl_buf_adds(out, "}\n");
}

static void s_json(gl_project *p, const bool *sel, gl_buf *out)
{
    gl_vm *vm = &p->vm;
    gl_value nodes = gl_list_new(vm, 0), edges = gl_list_new(vm, 0);
    for (uint32_t i = 0; i < p->nnodes; i++) {
        if (!sel[i]) continue;
        const gl_dnode *n = p->nodes[i];
        gl_value o = gl_dict_new(vm);
        gl_dict_set_cstr(vm, o.u.dict, "unique_id", gl_cstr(n->unique_id));
        gl_dict_set_cstr(vm, o.u.dict, "name", gl_cstr(n->name));
        gl_dict_set_cstr(vm, o.u.dict, "resource_type", gl_cstr(gl_rtype_name(n->type)));
        gl_list_push(vm, nodes.u.list, o);
        for (uint32_t k = 0; k < n->nparents; k++) {
            if (!sel[n->parents[k]]) continue;
            gl_value e = gl_tuple_new(vm, 2);
            e.u.list->items[0] = gl_cstr(p->nodes[n->parents[k]]->unique_id);
            e.u.list->items[1] = gl_cstr(n->unique_id);
            gl_list_push(vm, edges.u.list, e);
        }
    }
    gl_value root = gl_dict_new(vm);
    gl_dict_set_cstr(vm, root.u.dict, "nodes", nodes);
    gl_dict_set_cstr(vm, root.u.dict, "edges", edges);
    gl_json_dump(vm, root, 2, out);
    gl_buf_addc(out, '\n');
}

static void s_emit(gl_project *p, const bool *sel, int json, gl_buf *out)
{
    if (json) s_json(p, sel, out);
    else s_dot(p, sel, out);
}

static int s_run(const gl_cli *cli)
{
    bool json = cli->format && !strcmp(cli->format, "json");
    if (cli->format && !json && strcmp(cli->format, "dot")) {
        fprintf(stderr, "gluec graph: --format takes dot or json\n");
        return 2;
    }
    return gl_cli_run_selected(cli, false, s_emit, json);
}

int gl_cmd_graph(int argc, char **argv)
{
    gl_cli cli;
    int rc = gl_cli_parse(&cli, argc, argv, s_usage);
    if (rc == 0) rc = s_run(&cli);
    gl_cli_free(&cli);
    return rc;
}
