/* src/project/graph.h - the resolved project graph as node selection sees it (project
 * layer): every node of every resource type with the attributes dbt's selector methods
 * match on, and its edges. Built by the resolver; read by select.c, ls and graph.
 * Ownership: the graph's arena owns the nodes, strings and edge lists. */
#ifndef GL_GRAPH_H
#define GL_GRAPH_H
#include <stdbool.h>
#include <stdint.h>
#include "jinja/value.h"
#include "util/arena.h"

typedef struct gl_gnode {
    const char *unique_id;      /* "model.shop.stg_orders", "source.shop.raw.orders",
                                   "test.shop.not_null_orders_id.a1b2c3d4e5" */
    const char *resource_type;  /* model seed snapshot test source analysis exposure */
    const char *name;           /* node name; sources: the table name */
    const char *package;        /* package (project) name */
    const char *path;           /* original_file_path, relative to the package root:
                                   "models/staging/stg_orders.sql"; sources, generic
                                   tests: the properties file "models/staging/_src.yml" */
    const char **fqn;           /* dbt's fqn: ["shop", "staging", "stg_orders"];
                                   sources: [pkg, <folders...>, source_name, table] */
    uint32_t nfqn;
    const char **tags;          /* config tags, in order */
    uint32_t ntags;
    gl_value config;            /* GL_DICT: the resolved config (config.<key>: selectors) */
    const char *source_name;    /* sources: the source's name; NULL otherwise */
    const char *test_name;      /* generic tests: the test macro ("not_null"); else NULL */
    const char *version;        /* versioned models: "2"; NULL when unversioned */
    int version_vs_latest;      /* versioned models: <0 old, 0 latest, >0 prerelease */
    bool enabled;               /* disabled nodes are never selected */
    uint32_t *parents;          /* depends_on, as indices into gl_graph.nodes */
    uint32_t nparents;
    uint32_t *children;         /* the reverse edges */
    uint32_t nchildren;
} gl_gnode;

typedef struct gl_graph {
    gl_arena arena;
    gl_gnode *nodes;            /* sorted by unique_id */
    uint32_t n;
    const char *root_package;   /* the project being compiled */
} gl_graph;
#endif
