/* src/cli/compile.c - `gluec compile` and `gluec parse` (cli layer): load the project,
 * compile every node, and write the plan directory (or compare it, with --check, or
 * print one snippet, with --inline). Diagnostics go to stderr; nothing is written when
 * there is an error, so the previous plan stays as it was. */
#include "cli/cli.h"
#include "cli/options.h"
#include "codegen/compile.h"
#include "codegen/plan.h"
#include "util/fs.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char s_usage[] =
    "usage: gluec compile [--project-dir DIR] [--profiles-dir DIR] [--profile NAME] [--target NAME]\n"
    "                     [--vars YAML] [--full-refresh] [--select SPEC...] [--exclude SPEC...]\n"
    "                     [--selector NAME]\n"
    "                     [--out DIR] [--check] [--inline SQL] [--state FILE] [--threads N]\n";

/* GLUEC_STATS=1: what the compile held in memory and how long each phase took, on
 * stderr (ninja's -d stats idea); the clock is read only then, and never reaches the plan. */
enum { S_MAX_PHASES = 8 };
static struct { const char *name[S_MAX_PHASES]; double at[S_MAX_PHASES]; int n; bool on; } s_clock;

static void s_tick(const char *phase)
{
    if (!s_clock.on || s_clock.n == S_MAX_PHASES) return;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    s_clock.name[s_clock.n] = phase;
    s_clock.at[s_clock.n++] = (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void s_print_times(void)
{
    if (!s_clock.on || s_clock.n < 2) return;
    fprintf(stderr, "gluec times (ms):");
    for (int i = 1; i < s_clock.n; i++) fprintf(stderr, " %s %.1f", s_clock.name[i], s_clock.at[i] - s_clock.at[i - 1]);
    fprintf(stderr, ", total %.1f\n", s_clock.at[s_clock.n - 1] - s_clock.at[0]);
}

static void s_stats(const gl_project *p)
{
    if (!getenv("GLUEC_STATS")) return;
    size_t tpl = 0;
    for (uint32_t i = 0; i < p->ntemplates; i++) tpl += p->templates[i]->arena.total;
    fprintf(stderr, "gluec stats: %u nodes, %u packages, %u templates (%zu KiB of AST), %u YAML documents, "
            "%zu KiB of values, %zu interned names\n", p->nnodes, p->npkgs, p->ntemplates, tpl / 1024, p->ndocs,
            p->vm.arena.total / 1024, p->names.count);
}

/* The old plan's removal, running while the compile's memory is freed. */
static gl_fs_cleanup s_cleanup;

static int s_finish(gl_project *p, gl_compile *c, int rc)
{
    s_stats(p);
    gl_diags_print(&p->diags, stderr);
    s_tick("diagnostics");
    gl_compile_free(c);
    gl_project_free(p);
    gl_fs_cleanup_wait(&s_cleanup);
    s_tick("free");
    s_print_times();
    return rc;
}

/* --threads, else the number of CPUs; it never changes what is written. */
static int s_threads(const gl_cli *cli)
{
    if (cli->threads > 0) return cli->threads;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

static int s_run(const gl_cli *cli, bool write)
{
    s_clock.on = getenv("GLUEC_STATS") != NULL;
    s_tick("start");
    gl_project *p = gl_cli_load(cli);
    s_tick("load");
    gl_compile *c = p->diags.errors ? NULL : gl_compile_new(p);
    if (!c || !gl_compile_parse(c)) return s_finish(p, c, 1);
    s_tick("parse");
    if (!write) return s_finish(p, c, 0);   /* gluec parse */
    if (cli->inline_sql) {
        if (!gl_compile_render(c, NULL)) return s_finish(p, c, 1);
        gl_buf out;
        gl_buf_init(&out);
        bool ok = gl_compile_inline(c, cli->inline_sql, &out);
        if (ok) fwrite(out.data ? out.data : "", 1, out.len, stdout);
        if (ok) fputc('\n', stdout);
        gl_buf_free(&out);
        return s_finish(p, c, ok ? 0 : 1);
    }
    bool *sel = NULL;
    bool selecting = cli->nselect || cli->nexclude || cli->ntypes || cli->selector || p->default_selector;
    int src = selecting ? gl_cli_select(cli, p, false, &sel) : 0;
    if (src != 0 || !gl_compile_render(c, sel)) {   /* dbt compiles only what is selected */
        free(sel);
        return s_finish(p, c, src ? src : 1);
    }
    s_tick("render");
    gl_plan plan = {0};
    gl_plan_build(c, sel, &plan);
    free(sel);
    s_tick("plan");
    gl_buf dir, err;
    gl_buf_init(&dir);
    gl_buf_init(&err);
    if (cli->out) gl_buf_adds(&dir, cli->out);
    else gl_path_join(&dir, p->pkgs[0]->dir, "target/plan");
    int rc = 0;
    if (cli->check) {
        if (!gl_plan_check(&plan, dir.data, &err)) {
            fprintf(stderr, "gluec: the plan in %s is stale:\n%s", dir.data, err.data);
            rc = 1;
        }
    } else if (!gl_plan_write(&plan, dir.data, s_threads(cli), &s_cleanup, &err)) {
        fprintf(stderr, "gluec: error: %s\n", err.data);
        rc = 1;
    }
    s_tick("write");
    gl_buf_free(&dir);
    gl_buf_free(&err);
    gl_plan_free(&plan);
    return s_finish(p, c, rc);
}

int gl_cmd_compile(int argc, char **argv)
{
    gl_cli cli;
    int rc = gl_cli_parse(&cli, argc, argv, s_usage);
    if (rc == 0) rc = s_run(&cli, true);
    gl_cli_free(&cli);
    return rc;
}

int gl_cmd_parse(int argc, char **argv)
{
    gl_cli cli;
    int rc = gl_cli_parse(&cli, argc, argv, s_usage);
    if (rc == 0) rc = s_run(&cli, false);
    gl_cli_free(&cli);
    return rc;
}
