/* src/cli/ls.c - `gluec ls` (cli layer): the selected nodes, one line each, exactly as
 * `dbt ls` prints them: fqn joined by dots (models, seeds, snapshots, tests, analyses),
 * "source:<pkg>.<source>.<table>" for sources; sorted by unique id. --output json prints
 * one JSON object per line. */
#include "cli/cli.h"
#include "cli/options.h"
#include "codegen/compile.h"
#include "jinja/json.h"
#include "project/graphbuild.h"
#include "project/select.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char s_usage[] =
    "usage: gluec ls [project options] [--select SPEC...] [--exclude SPEC...] [--resource-type T...]\n"
    "                [--indirect-selection eager|cautious|buildable|empty] [--output text|json]\n";

static bool s_indirect(const char *s, gl_indirect *out)
{
    static const char *const names[] = { "eager", "cautious", "buildable", "empty" };
    for (int i = 0; i < 4; i++)
        if (!strcmp(s, names[i])) { *out = (gl_indirect)i; return true; }
    return false;
}

static void s_line(const gl_dnode *n, gl_buf *out)
{
    if (n->type == GL_RT_SOURCE) gl_buf_adds(out, "source:");
    for (uint32_t i = 0; i < n->nfqn; i++) gl_buf_printf(out, "%s%s", i ? "." : "", n->fqn[i]);
    gl_buf_addc(out, '\n');
}

static void s_json(gl_project *p, const gl_dnode *n, gl_buf *out)
{
    gl_vm *vm = &p->vm;
    gl_value o = gl_dict_new(vm);
    gl_dict_set_cstr(vm, o.u.dict, "name", gl_cstr(n->name));
    gl_dict_set_cstr(vm, o.u.dict, "resource_type", gl_cstr(gl_rtype_name(n->type)));
    gl_dict_set_cstr(vm, o.u.dict, "package_name", gl_cstr(n->pkg->name));
    gl_dict_set_cstr(vm, o.u.dict, "original_file_path", gl_cstr(n->path));
    gl_dict_set_cstr(vm, o.u.dict, "unique_id", gl_cstr(n->unique_id));
    gl_dict_set_cstr(vm, o.u.dict, "config", n->config);
    gl_value deps = gl_list_new(vm, n->nparents);
    for (uint32_t i = 0; i < n->nparents; i++) gl_list_push(vm, deps.u.list, gl_cstr(p->nodes[n->parents[i]]->unique_id));
    gl_dict_set_cstr(vm, o.u.dict, "depends_on", deps);
    gl_json_dump(vm, o, 0, out);
    gl_buf_addc(out, '\n');
}

static void s_unmatched(void *ctx, const char *spec)
{
    gl_project *p = ctx;
    gl_diag warn = {0};
    gl_select_unmatched(spec, &warn);
    gl_diags_take(&p->diags, &warn);
}

static int s_run(const gl_cli *cli)
{
    gl_indirect indirect = GL_INDIRECT_EAGER;
    if (cli->indirect && !s_indirect(cli->indirect, &indirect)) {
        fprintf(stderr, "gluec ls: --indirect-selection takes eager, cautious, buildable or empty\n");
        return 2;
    }
    bool json = cli->output && !strcmp(cli->output, "json");
    if (cli->output && !json && strcmp(cli->output, "text")) {
        fprintf(stderr, "gluec ls: --output takes text or json\n");
        return 2;
    }
    gl_project *p = gl_cli_load(cli);
    gl_compile *c = p->diags.errors ? NULL : gl_compile_new(p);
    int rc = 1;
    if (c && gl_compile_parse(c)) {
        gl_graph g;
        gl_graph_build(p, &g);
        static const char *const dflt[] = { "default" };
        gl_select_opts o = { (const char *const *)cli->select, (size_t)cli->nselect,
                             (const char *const *)cli->exclude, (size_t)cli->nexclude,
                             cli->ntypes ? (const char *const *)cli->resource_types : dflt,
                             cli->ntypes ? (size_t)cli->ntypes : 1, indirect, NULL, 0, s_unmatched, p };
        bool *sel = calloc(p->nnodes + 1, sizeof *sel);
        gl_diag err = {0};
        if (gl_select(&g, &o, sel, &err)) {
            gl_buf out;
            gl_buf_init(&out);
            for (uint32_t i = 0; i < p->nnodes; i++) {
                if (!sel[i]) continue;
                if (json) s_json(p, p->nodes[i], &out);
                else s_line(p->nodes[i], &out);
            }
            fwrite(out.data ? out.data : "", 1, out.len, stdout);
            gl_buf_free(&out);
            rc = 0;
        } else {
            gl_diags_take(&p->diags, &err);
            rc = 2;
        }
        free(sel);
        gl_graph_free(&g);
    }
    gl_diags_print(&p->diags, stderr);
    gl_compile_free(c);
    gl_project_free(p);
    return rc;
}

int gl_cmd_ls(int argc, char **argv)
{
    gl_cli cli;
    int rc = gl_cli_parse(&cli, argc, argv, s_usage);
    if (rc == 0) rc = s_run(&cli);
    gl_cli_free(&cli);
    return rc;
}
