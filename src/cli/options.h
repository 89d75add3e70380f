/* src/cli/options.h - the project options shared by compile, parse, ls and graph (cli
 * layer), with dbt's names and meanings (design.md section 3). */
#ifndef GL_OPTIONS_H
#define GL_OPTIONS_H
#include <stdbool.h>
#include "project/project.h"

typedef struct gl_cli {
    gl_project_opts project;
    const char **select, **exclude, **resource_types, **exclude_types;
    int nselect, nexclude, ntypes, nexclude_types;
    bool models;                /* -m/--models: ls lists models only (dbt's ListTask) */
    const char *out;            /* --out/-o */
    const char *inline_sql;     /* compile --inline */
    const char *output;         /* ls --output selector|text|name|path|json */
    const char *format;         /* graph --format dot|json */
    const char *state;          /* --state FILE */
    const char *indirect;       /* --indirect-selection eager|cautious|buildable|empty */
    const char *selector;       /* --selector NAME (selectors.yml) */
    bool check;                 /* compile --check */
    int threads;
} gl_cli;

/* Parses argv (argv[0] is the command). Returns 0, or 2 after printing a usage error. */
int gl_cli_parse(gl_cli *cli, int argc, char **argv, const char *usage);
void gl_cli_free(gl_cli *cli);
/* Which nodes --select/--exclude/--resource-type pick (or --selector, or without any of
 * them the default selector of selectors.yml), over a parsed project: *out is a
 * malloc'd flag per node. ls_defaults: no --resource-type means dbt ls's "default"
 * (everything but analyses); otherwise all types. Returns 0; 2 after adding a
 * selection (usage) error to p->diags; 1 after an invalid selectors.yml definition. */
int gl_cli_select(const gl_cli *cli, gl_project *p, bool ls_defaults, bool **out);
/* Writes the output of a listing command for the selected nodes; mode is the command's
 * own output format (ls: selector, name, path, json; graph: dot, json). */
typedef void (*gl_cli_emit)(gl_project *p, const bool *selected, int mode, gl_buf *out);
/* The whole of ls and graph: load, parse, select, emit to stdout, print diagnostics.
 * Returns the exit status. */
int gl_cli_run_selected(const gl_cli *cli, bool ls_defaults, gl_cli_emit emit, int mode);
/* Loads the project and prints its diagnostics; NULL when it has errors. */
gl_project *gl_cli_load(const gl_cli *cli);
#endif
