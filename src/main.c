/* src/main.c - gluec's entry point: command dispatch only. */
#include "cli/cli.h"
#include <stdio.h>
#include <string.h>

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0.1.0"
#endif

static const char s_usage[] =
    "usage: gluec <command> [options]\n"
    "\n"
    "commands:\n"
    "  render [--context FILE.json] [TEMPLATE|-]   render one Jinja template\n"
    "  compile [project options] [--out DIR]       compile the project into a plan directory\n"
    "  parse [project options]                     load and check the project\n"
    "  ls [project options] [--select ...]         list the selected nodes as dbt ls does\n"
    "  graph [project options] [--format dot|json] the DAG of the selected nodes\n"
    "\n"
    "  gluec --version | --help\n"
    "See gluec(1).\n";

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(s_usage, stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--version") == 0) {
        printf("gluec %s\n", PACKAGE_VERSION);
        return 0;
    }
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        fputs(s_usage, stdout);
        return 0;
    }
    if (strcmp(cmd, "render") == 0) return gl_cmd_render(argc - 1, argv + 1);
    if (strcmp(cmd, "compile") == 0) return gl_cmd_compile(argc - 1, argv + 1);
    if (strcmp(cmd, "parse") == 0) return gl_cmd_parse(argc - 1, argv + 1);
    if (strcmp(cmd, "ls") == 0 || strcmp(cmd, "list") == 0) return gl_cmd_ls(argc - 1, argv + 1);
    if (strcmp(cmd, "graph") == 0) return gl_cmd_graph(argc - 1, argv + 1);
    fprintf(stderr, "gluec: unknown command '%s'\n%s", cmd, s_usage);
    return 2;
}
