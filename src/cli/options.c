/* src/cli/options.c - parsing the project options of the project commands (cli layer). */
#include "cli/options.h"
#include "codegen/compile.h"
#include "project/graphbuild.h"
#include "project/select.h"
#include "project/selectors.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void s_push(const char ***list, int *n, const char *v)
{
    *list = realloc(*list, (size_t)(*n + 1) * sizeof **list);
    if (!*list) abort();
    (*list)[(*n)++] = v;
}

/* Value of an option: "--opt value" or "--opt=value". */
static const char *s_value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) == 0 && argv[*i][n] == '=') return argv[*i] + n + 1;
    if (*i + 1 < argc) return argv[++*i];
    return NULL;
}

static bool s_is(const char *arg, const char *name)
{
    size_t n = strlen(name);
    return strncmp(arg, name, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

/* Options that take every following word up to the next option (dbt's nargs='+'). */
static void s_words(int argc, char **argv, int *i, const char ***list, int *n)
{
    const char *eq = strchr(argv[*i], '=');
    if (eq && argv[*i][0] == '-' && argv[*i][1] == '-') s_push(list, n, eq + 1);
    while (*i + 1 < argc && argv[*i + 1][0] != '-') s_push(list, n, argv[++*i]);
}

int gl_cli_parse(gl_cli *cli, int argc, char **argv, const char *usage)
{
    memset(cli, 0, sizeof *cli);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
#define OPT(name) (s_is(a, name) && (v = s_value(argc, argv, &i, name)) != NULL)
        if (OPT("--project-dir")) cli->project.project_dir = v;
        else if (OPT("--profiles-dir")) cli->project.profiles_dir = v;
        else if (OPT("--profile")) cli->project.profile = v;
        else if (OPT("--target") || OPT("-t")) cli->project.target = v;
        else if (OPT("--vars")) cli->project.vars = v;
        else if (OPT("--out") || OPT("-o")) cli->out = v;
        else if (OPT("--inline")) cli->inline_sql = v;
        else if (OPT("--output")) cli->output = v;
        else if (OPT("--format")) cli->format = v;
        else if (OPT("--state")) cli->state = cli->project.state = v;
        else if (OPT("--indirect-selection")) cli->indirect = v;
        else if (OPT("--selector")) cli->selector = v;
        else if (OPT("--threads")) cli->threads = atoi(v);
        else if (s_is(a, "--select") || s_is(a, "-s"))
            s_words(argc, argv, &i, &cli->select, &cli->nselect);
        else if (s_is(a, "--models") || s_is(a, "-m")) {
            cli->models = true;
            s_words(argc, argv, &i, &cli->select, &cli->nselect);
        }
        else if (s_is(a, "--exclude-resource-type") || s_is(a, "--exclude-resource-types"))
            s_words(argc, argv, &i, &cli->exclude_types, &cli->nexclude_types);
        else if (s_is(a, "--exclude")) s_words(argc, argv, &i, &cli->exclude, &cli->nexclude);
        else if (s_is(a, "--resource-type") || s_is(a, "--resource-types"))
            s_words(argc, argv, &i, &cli->resource_types, &cli->ntypes);
        else if (!strcmp(a, "--full-refresh")) cli->project.full_refresh = true;
        else if (!strcmp(a, "--check")) cli->check = true;
        else {
            fprintf(stderr, "gluec %s: unknown option or missing value: %s\n%s", argv[0], a, usage);
            return 2;
        }
#undef OPT
    }
    if (!cli->project.project_dir) cli->project.project_dir = ".";
    return 0;
}

void gl_cli_free(gl_cli *cli)
{
    free(cli->select);
    free(cli->exclude);
    free(cli->resource_types);
    free(cli->exclude_types);
}

gl_project *gl_cli_load(const gl_cli *cli)
{
    gl_project *p = gl_project_load(&cli->project);
    return p;
}

static bool s_indirect(const char *s, gl_indirect *out)
{
    static const char *const names[] = { "eager", "cautious", "buildable", "empty" };
    for (int i = 0; i < 4; i++)
        if (!strcmp(s, names[i])) { *out = (gl_indirect)i; return true; }
    return false;
}

static void s_unmatched(void *ctx, const char *spec)
{
    gl_project *p = ctx;
    gl_diag warn = {0};
    gl_select_unmatched(spec, &warn);
    gl_diags_take(&p->diags, &warn);
}

int gl_cli_select(const gl_cli *cli, gl_project *p, bool ls_defaults, bool **out)
{
    gl_indirect indirect = GL_INDIRECT_EAGER;
    *out = calloc(p->nnodes + 1, sizeof **out);
    if (!*out) abort();
    if (cli->indirect && !s_indirect(cli->indirect, &indirect)) {
        gl_diags_add(&p->diags, GL_SEV_ERROR, NULL, (gl_span){ 0, 0 }, NULL,
                     "--indirect-selection takes eager, cautious, buildable or empty");
        return 2;
    }
    gl_graph g;
    gl_graph_build(p, &g);
    static const char *const dflt[] = { "default" }, *const all[] = { "all" }, *const models[] = { "model" };
    const char *const *types = cli->ntypes ? (const char *const *)cli->resource_types : ls_defaults ? dflt : all;
    size_t ntypes = cli->ntypes ? (size_t)cli->ntypes : 1;
    if (ls_defaults && cli->models) types = models, ntypes = 1;   /* dbt ls -m: models, whatever else was asked */
    gl_select_opts o = { (const char *const *)cli->select, (size_t)cli->nselect,
                         (const char *const *)cli->exclude, (size_t)cli->nexclude, types, ntypes, indirect,
                         (const char *const *)cli->exclude_types, (size_t)cli->nexclude_types, s_unmatched, p };
    int rc = 0;
    if (cli->selector || (!cli->nselect && !cli->nexclude && p->default_selector)) {
        if (cli->selector && (cli->nselect || cli->nexclude))   /* dbt: the selector wins */
            gl_diags_add(&p->diags, GL_SEV_WARNING, NULL, (gl_span){ 0, 0 }, "give either --selector or --select/--exclude",
                         "--selector %s is used; --select and --exclude are ignored", cli->selector);
        rc = gl_selectors_apply(p, &g, cli->selector, &o, *out);
    } else {
        gl_diag err = {0};
        if (!gl_select(&g, &o, *out, &err)) {
            gl_diags_take(&p->diags, &err);
            rc = 2;
        }
    }
    gl_graph_free(&g);
    return rc;
}

int gl_cli_run_selected(const gl_cli *cli, bool ls_defaults, gl_cli_emit emit, int mode)
{
    gl_project *p = gl_cli_load(cli);
    gl_compile *c = p->diags.errors ? NULL : gl_compile_new(p);
    int rc = 1;
    bool *sel = NULL;
    if (c && gl_compile_parse(c)) rc = gl_cli_select(cli, p, ls_defaults, &sel);
    if (rc == 0) {
        gl_buf out;
        gl_buf_init(&out);
        emit(p, sel, mode, &out);
        fwrite(out.data ? out.data : "", 1, out.len, stdout);
        gl_buf_free(&out);
    }
    free(sel);
    gl_diags_print(&p->diags, stderr);
    gl_compile_free(c);
    gl_project_free(p);
    return rc;
}
