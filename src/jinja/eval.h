/* src/jinja/eval.h - the tree-walking evaluator (jinja layer): renders a parsed
 * template with a context into an output buffer, with Jinja2's scoping (for bodies,
 * macros and with blocks get their own frames; if does not), macros, caller, loops,
 * filters and tests. Knows nothing about dbt.
 * Ownership: everything a render makes lives in vm->arena; the template is borrowed. */
#ifndef GL_EVAL_H
#define GL_EVAL_H
#include <stdbool.h>
#include "jinja/vm.h"
#include "parser/ast.h"

/* Checks what Jinja2 checks when it compiles a template: every filter and test named
 * exists. Returns false with vm->error set. */
bool gl_eval_check(gl_vm *vm, const gl_template *t);
/* Renders t with ctx (a GL_DICT of variables, or GL_NONE) appending to out. Returns
 * false with vm->error set (and out holding partial output the caller discards). */
bool gl_render(gl_vm *vm, const gl_template *t, gl_value ctx, gl_buf *out);

/* A macro value for a MACRO node of a parsed template, with no enclosing frame: its
 * body sees its parameters, then the context of whatever render calls it (dbt's rule
 * for macros in macro files). t must outlive the vm's use of the value. */
gl_value gl_macro_make(gl_vm *vm, const gl_template *t, const gl_node *node);
const gl_node *gl_macro_node(const gl_macro *m);

/* dbt's native rendering: a template that is one {{ expression }} gives the
 * expression's value itself (a relation, a list...); anything else renders to a string. */
bool gl_render_native(gl_vm *vm, const gl_template *t, gl_value ctx, gl_value *out);

/* Calls callee (a macro or native) with args as if from a template rendered with ctx:
 * for code that drives macros directly (dbt's generate_schema_name and friends).
 * Returns false with vm->error set. */
bool gl_render_call(gl_vm *vm, gl_value callee, const gl_args *args, gl_value ctx, gl_value *out);

/* a OP b (op: a gl_binop) exactly as a template's operator evaluates it, for native
 * code such as itertools.accumulate; only while a render is running. */
gl_value gl_eval_binop(gl_vm *vm, int op, gl_value a, gl_value b, gl_span span);

/* For value.c: macro printing and attributes. */
void gl_macro_print(gl_vm *vm, const gl_macro *m, gl_buf *out);
gl_value gl_macro_getattr(gl_vm *vm, const gl_macro *m, const char *name, size_t len);
#endif
