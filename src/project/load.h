/* src/project/load.h - internals shared by the project loader's files (project layer):
 * load.c (files, dbt_project.yml, profiles.yml, discovery), props.c (properties YAML),
 * config.c (config resolution). Not for use outside src/project. */
#ifndef GL_LOAD_H
#define GL_LOAD_H
#include "project/project.h"

const char *gl_load_str(gl_project *p, const char *s, size_t n);
const char *gl_load_strf(gl_project *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
gl_ydoc *gl_load_yaml(gl_project *p, const char *path);
gl_template *gl_load_template(gl_project *p, const char *path, const char *display);
const char *gl_yscalar_text(const gl_ynode *n);
void gl_load_error_at(gl_project *p, const gl_ydoc *doc, const gl_ynode *n, const char *hint,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void gl_load_warn_at(gl_project *p, const gl_ydoc *doc, const gl_ynode *n, const char *hint,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* YAML -> value; with render, strings holding Jinja are rendered with env_var() and
 * var() (--vars only), as dbt renders dbt_project.yml and profiles.yml. */
gl_value gl_load_value(gl_project *p, const gl_ydoc *doc, const gl_ynode *n, bool render);
gl_value gl_load_render_value(gl_project *p, const gl_ydoc *doc, const gl_ynode *n, gl_value v);
/* The same over a value tree with no YAML nodes beside it; errors point at `at`. */
gl_value gl_load_render_tree(gl_project *p, const gl_ydoc *doc, const gl_ynode *at, gl_value v);

/* A node record for a file, registered under its unique id (duplicates reported). */
gl_dnode *gl_load_add_node(gl_project *p, gl_pkg *pkg, gl_rtype type, const char *name,
                           const char *path, const gl_source *src);
/* sha256 of the text as the node's checksum. */
void gl_load_checksum(gl_dnode *n, const char *text, size_t len);
/* fqn of a file node: package, the folders under its resource path, then name. */
void gl_load_fqn(gl_project *p, gl_dnode *n, const char *rel_dir, const char *last);

/* props.c: every properties YAML file of every package (models, sources, seeds...). */
void gl_props_load(gl_project *p, gl_pkg *pkg, const char *rel_path, const char *resource_dir);
/* config.c: resolve each node's config from dbt_project.yml trees, properties and
 * config() in the file (once the parse phase has filled file_config). */
void gl_config_resolve(gl_project *p, gl_dnode *n);
/* Sets config.enabled to *value (NULL: leaves the config as it is) and caches it in
 * n->enabled (gl_node_enabled). */
void gl_config_set_enabled(gl_project *p, gl_dnode *n, const bool *value);
/* Merges one key (or every key of a dict) into cfg with dbt's rules. */
void gl_config_apply(gl_vm *vm, gl_dict *cfg, gl_value key, gl_value v);
void gl_config_apply_dict(gl_vm *vm, gl_dict *cfg, gl_value src);
/* A template made from text (generic tests' {{ test_x(**kwargs) }}), owned by p. */
gl_template *gl_load_inline_template(gl_project *p, const char *display, const char *text);
/* The template of a YAML scalar (a hook, a description), owned by p; diagnostics point
 * into the YAML file: at the exact place when the text stands verbatim in it (plain and
 * quoted one-line scalars), else at the scalar's start. NULL after a syntax error. */
gl_template *gl_load_scalar_template(gl_project *p, const gl_ydoc *doc, const gl_ynode *v);
/* The template of text that stands for part of outer (a file that outlives it):
 * diagnostics are printed at outer's text from offset on. */
gl_template *gl_load_mapped_template(gl_project *p, const gl_source *outer, uint32_t offset, const char *text);
/* True when a string value holds Jinja ("{{" or "{%"), so it must be rendered. */
bool gl_load_has_jinja(gl_value v);
/* generic.c: test nodes for the generic tests that properties files declare. */
void gl_generic_tests_build(gl_project *p);
/* Sorts the nodes by unique id and rebuilds the index (after nodes were added). */
void gl_project_reindex(gl_project *p);
/* props.c: after every file is found, attach properties (descriptions, columns,
 * configs) to their nodes and create sources and generic tests. */
void gl_props_attach(gl_project *p);
/* --vars YAML/JSON into p->cli_vars. */
void gl_load_cli_vars(gl_project *p);
/* The dbt env_var() and var() natives (env.c), shared with the codegen context. */
gl_value gl_native_env_var(gl_vm *vm, gl_func *self, const gl_args *a);
#endif
