/* src/codegen/compile.h - compiling a loaded project (codegen layer): the parse-phase
 * render of every node (collecting config(), ref() and source()), config and relation
 * resolution, the DAG, and the real render with dbt's context, ephemeral CTEs injected.
 * Data flow: gl_project (loaded) -> gl_compile_run -> nodes' compiled SQL -> plan. */
#ifndef GL_COMPILE_H
#define GL_COMPILE_H
#include "project/project.h"

/* The dbt-core release whose behavior gluec reproduces: the context's dbt_version. */
#define GL_DBT_VERSION "1.10.0"

typedef struct gl_compile {
    gl_project *p;
    bool parsing;               /* parse phase: ref/source/config record, execute=false */
    gl_dnode *node;             /* the node being rendered */
    uint32_t *ctes;             /* ephemeral nodes referenced by the current render */
    uint32_t nctes, capctes;
    gl_dict **pkg_globals;      /* per package: builtins + macros visible from it */
    gl_dict *jinja_globals;     /* the vm's own globals (range, dict, namespace...) */
    gl_dict *dispatch_cache;    /* (package, namespace, name) -> macro, for adapter.dispatch */
    gl_dict *arg_templates;     /* text -> its parsed template (GL_INT pointer): gl_compile_template */
    gl_value *models;           /* per node: its `model` dict, made once per phase */
    gl_value graph_nodes;       /* the `graph` context object's dicts, made on first use */
    gl_value graph_sources;
    gl_value internal_macros;   /* GL_NAMESPACE: gluec's own macro library ("dbt") */
    gl_value selected_resources; /* GL_LIST of the selected unique ids (empty while parsing) */
    gl_dict *relations;         /* "schema.identifier" -> node index (GL_INT), made on first
                                   use once relation names are final */
    gl_dict *descriptions;      /* description scalar (its YAML node, GL_INT) -> rendered
                                   text, for descriptions holding Jinja (doc() calls) */
    uint32_t *order;            /* execution order (topological, smallest unique_id first) */
    uint32_t norder;
} gl_compile;

gl_compile *gl_compile_new(gl_project *p);
/* The parse phase, configs, relation names, the DAG and the execution order (what
 * ls, parse and graph need); errors go to p->diags. */
bool gl_compile_parse(gl_compile *c);
/* After gl_compile_parse: compiled SQL for the selected nodes (selected[i] per node;
 * NULL: every enabled node), the ephemeral models they inject, and the hooks. The
 * context's selected_resources lists the selected unique ids. */
bool gl_compile_render(gl_compile *c, const bool *selected);
/* gl_compile_parse, then gl_compile_render of every enabled node. */
bool gl_compile_run(gl_compile *c);
/* Renders one SQL snippet in the root project's context (compile --inline). */
bool gl_compile_inline(gl_compile *c, const char *sql, gl_buf *out);
void gl_compile_free(gl_compile *c);

/* The template of a text (a test argument, a var's value), parsed once per distinct
 * text for the whole compile; a syntax error is reported at display and gives NULL. */
gl_template *gl_compile_template(gl_compile *c, const char *display, const char *text);

/* context.c */
long gl_context_resolve_ref(gl_compile *c, const gl_dnode *from, const char *pkg, const char *name, gl_value version);
long gl_context_resolve_source(gl_compile *c, const gl_dnode *from, const char *src, const char *table);
gl_value gl_context_relation(gl_compile *c, const gl_dnode *t);
gl_dict *gl_context_package_globals(gl_compile *c, gl_pkg *pkg);
gl_value gl_context_node(gl_compile *c, gl_dnode *n);
gl_value gl_context_model_dict(gl_compile *c, gl_dnode *n);
/* dbt's doc() for rendering descriptions: the text of a {% docs %} block. */
gl_value gl_context_doc_fn(gl_compile *c);
/* A description as dbt's docs processing leaves it: rendered when it held Jinja. */
gl_value gl_context_description(gl_compile *c, const gl_ynode *desc);
/* Embedded macro library (templates/, compiled into the binary). */
typedef struct gl_embedded { const char *path; const char *text; } gl_embedded;
extern const gl_embedded gl_embedded_templates[];
#endif
