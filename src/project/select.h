/* src/project/select.h - dbt's node selection syntax (project layer): --select,
 * --exclude and --resource-type over a gl_graph with dbt's exact semantics: methods
 * (name, path:, file:, tag:, config.<key>:, source:, package:, resource_type:, fqn:,
 * test_name:, test_type:, group:, access:, exposure:, metric:...), wildcards matched as
 * dbt matches them, graph operators (+x, x+, n+x, x+n, @x), unions (space) and
 * intersections (comma), indirect selection of tests (eager by default), disabled nodes
 * never selected. select.c names the dbt-core 1.10 source each rule follows.
 * Ownership: nothing returned is kept; selected[] and err belong to the caller. */
#ifndef GL_SELECT_H
#define GL_SELECT_H
#include <stdbool.h>
#include <stddef.h>
#include "project/graph.h"
#include "util/diag.h"

typedef enum gl_indirect { GL_INDIRECT_EAGER, GL_INDIRECT_CAUTIOUS, GL_INDIRECT_BUILDABLE,
                           GL_INDIRECT_EMPTY } gl_indirect;

/* Told of each space-separated spec of --select or --exclude that selected no enabled
 * node (spec is NUL-terminated and lives only for the call). */
typedef void (*gl_select_warn_fn)(void *ctx, const char *spec);

typedef struct gl_select_opts {
    const char *const *select;          /* each entry is one --select argument (dbt splits
                                           an argument on spaces: a union) */
    size_t nselect;                     /* 0: everything (dbt's default selector) */
    const char *const *exclude;
    size_t nexclude;
    const char *const *resource_types;  /* --resource-type values; 0: all types. "default"
                                           and "all" expand as dbt ls expands them (all but
                                           analysis / everything ls lists): ls passes
                                           "default" when the user gave none */
    size_t ntypes;
    gl_indirect indirect;
    const char *const *exclude_types;   /* --exclude-resource-type values */
    size_t nexclude_types;
    gl_select_warn_fn unmatched;        /* optional (NULL): dbt's "does not match" warning */
    void *unmatched_ctx;
} gl_select_opts;

/* Fills selected[i] for every node of g. Returns false with err set (message and hint,
 * no source position: the caller adds "in --select") when a spec is malformed or names
 * an unknown method. A spec that matches nothing is not an error (dbt warns); the
 * caller reports it from opts.unmatched with gl_select_unmatched. */
bool gl_select(const gl_graph *g, const gl_select_opts *o, bool *selected, gl_diag *err);

/* dbt's warning for a spec that selected nothing, as a GL_SEV_WARNING diagnostic:
 * "The selection criterion '<spec>' does not match any enabled nodes". */
void gl_select_unmatched(const char *spec, gl_diag *warn);
#endif
