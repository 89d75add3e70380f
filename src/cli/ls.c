/* src/cli/ls.c - `gluec ls` (cli layer): the selected nodes, one line each, exactly as
 * `dbt ls` prints them: fqn joined by dots (models, seeds, snapshots, tests, analyses),
 * "source:<pkg>.<source>.<table>" for sources; sorted by unique id. --output name prints
 * dbt's search names, path the original file paths, json one JSON object per line. */
#include "cli/cli.h"
#include "cli/options.h"
#include "jinja/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char s_usage[] =
    "usage: gluec ls [project options] [--select SPEC...] [--models SPEC...] [--exclude SPEC...]\n"
    "                [--resource-type T...] [--exclude-resource-type T...]\n"
    "                [--indirect-selection eager|cautious|buildable|empty]\n"
    "                [--output selector|name|path|json]\n";

/* dbt's ListTask: sources and exposures by package and name, the rest by fqn. */
static void s_line(const gl_dnode *n, gl_buf *out)
{
    if (n->type == GL_RT_SOURCE) {
        gl_buf_printf(out, "source:%s.%s.%s\n", n->pkg->name, n->source_name, n->name);
        return;
    }
    if (n->type == GL_RT_EXPOSURE) {
        gl_buf_printf(out, "exposure:%s.%s\n", n->pkg->name, n->name);
        return;
    }
    for (uint32_t i = 0; i < n->nfqn; i++) gl_buf_printf(out, "%s%s", i ? "." : "", n->fqn[i]);
    gl_buf_addc(out, '\n');
}

/* --output name: dbt's search_name (versioned models "<name>.v<v>", sources
 * "<source>.<table>"). */
static void s_name(const gl_dnode *n, gl_buf *out)
{
    if (n->type == GL_RT_SOURCE) gl_buf_printf(out, "%s.%s\n", n->source_name, n->name);
    else if (n->version) gl_buf_printf(out, "%s.v%s\n", n->name, n->version);
    else gl_buf_printf(out, "%s\n", n->name);
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

typedef enum { S_SELECTOR, S_NAME, S_PATH, S_JSON } s_output;
static void s_emit(gl_project *p, const bool *sel, int mode, gl_buf *out)
{
    for (uint32_t i = 0; i < p->nnodes; i++) {
        if (!sel[i]) continue;
        const gl_dnode *n = p->nodes[i];
        switch ((s_output)mode) {
        case S_JSON: s_json(p, n, out); break;
        case S_NAME: s_name(n, out); break;
        case S_PATH: gl_buf_printf(out, "%s\n", n->path); break;
        case S_SELECTOR: s_line(n, out); break;
        }
    }
}

static int s_run(const gl_cli *cli)
{
    static const char *const modes[] = { "selector", "name", "path", "json" };
    s_output mode = S_SELECTOR;
    if (cli->output) {
        int m = -1;
        for (int k = 0; k < 4; k++)
            if (!strcmp(cli->output, modes[k])) m = k;
        if (!strcmp(cli->output, "text")) m = S_SELECTOR;
        if (m < 0) {
            fprintf(stderr, "gluec ls: --output takes selector, name, path or json\n");
            return 2;
        }
        mode = (s_output)m;
    }
    return gl_cli_run_selected(cli, true, s_emit, (int)mode);
}

int gl_cmd_ls(int argc, char **argv)
{
    gl_cli cli;
    int rc = gl_cli_parse(&cli, argc, argv, s_usage);
    if (rc == 0) rc = s_run(&cli);
    gl_cli_free(&cli);
    return rc;
}
