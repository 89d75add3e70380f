/* src/jinja/toyaml.h - Jinja values as YAML text (jinja layer): byte for byte what
 * PyYAML 6's yaml.safe_dump(value, sort_keys=...) writes with its pure-Python emitter
 * (block style, width 80, indent 2, non-ASCII escaped, `...` after a plain top-level
 * scalar, &idNNN anchors for a list or dict met twice). dbt's toyaml() sits on it. */
#ifndef GL_JINJA_TOYAML_H
#define GL_JINJA_TOYAML_H
#include "jinja/vm.h"

/* Appends the YAML of v to out and returns true; returns false when v (or anything in
 * it) has no YAML form under SafeDumper (Undefined, Markup, macros, functions, objects
 * other than datetimes, namespaces, generators), out then holds a partial text. Keys
 * are sorted when sort_keys is set and Python could order them all (else kept in
 * insertion order, as PyYAML does when sorted() raises TypeError). Nesting deeper than
 * Python's recursion allows raises GL_ERR_RUNTIME at span. */
bool gl_value_to_yaml(gl_vm *vm, gl_value v, bool sort_keys, gl_span span, gl_buf *out);
#endif
