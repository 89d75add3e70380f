/* src/jinja/vm.h - the render state shared by the evaluator, filters, tests, methods
 * and globals (jinja layer). Knows nothing about dbt.
 *
 * Errors: gl_vm_error formats a message and longjmps to the innermost handler set by
 * the evaluator (the render entry point, or a macro call catching `return`); nothing
 * needs freeing on the way because every allocation is in vm->arena.
 * Ownership: the vm owns its arena; values made during a render die with gl_vm_free. */
#ifndef GL_VM_H
#define GL_VM_H
#include <setjmp.h>
#include "jinja/value.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/intern.h"

typedef gl_value (*gl_filter_fn)(gl_vm *vm, gl_value v, const gl_args *a);
typedef bool (*gl_test_fn)(gl_vm *vm, gl_value v, const gl_args *a);

typedef struct gl_builtin_filter { const char *name; gl_filter_fn fn; } gl_builtin_filter;
typedef struct gl_builtin_test { const char *name; gl_test_fn fn; } gl_builtin_test;

/* Tables terminated by a {NULL, NULL} entry (filters.c, tests.c, globals.c). */
extern const gl_builtin_filter gl_builtin_filters[];
extern const gl_builtin_test gl_builtin_tests[];

enum { GL_JUMP_ERROR = 1, GL_JUMP_RETURN = 2 };   /* setjmp codes */

typedef struct gl_catch {
    jmp_buf jb;
    struct gl_catch *prev;
} gl_catch;

typedef enum gl_error_kind {       /* the Python exception Jinja2 would raise */
    GL_ERR_SYNTAX, GL_ERR_UNDEFINED, GL_ERR_TYPE, GL_ERR_VALUE, GL_ERR_ZERO_DIVISION,
    GL_ERR_OVERFLOW, GL_ERR_INDEX, GL_ERR_KEY, GL_ERR_SECURITY, GL_ERR_RUNTIME,
    GL_ERR_LIMIT
} gl_error_kind;

struct gl_vm {
    gl_arena arena;                /* every value of the render */
    gl_interner *names;              /* shared with the parser */
    gl_dict *filters;              /* name -> GL_FUNC wrapping a gl_filter_fn (data) */
    gl_dict *tests;                /* name -> GL_FUNC wrapping a gl_test_fn (data) */
    gl_dict *globals;              /* range, dict, namespace, cycler, joiner, ... */
    gl_catch *catch_top;           /* innermost error handler */
    gl_diag error;                 /* the pending error once one was raised */
    gl_error_kind error_kind;
    const gl_source *src;          /* the template being rendered, for diagnostics */
    uint64_t steps, step_limit;    /* fuel: a render cannot run forever */
    uint32_t depth, depth_limit;   /* macro/recursion depth cap */
    void *eval;                    /* the evaluator's own state */
    gl_value returned;             /* the value of dbt's return(), in flight */
    gl_buf **bufs;                 /* every scratch buffer made (freed by gl_vm_free) */
    uint32_t nbufs, capbufs;
    gl_buf **spare;                /* scratch buffers free for reuse */
    uint32_t nspare, capspare;
};

void gl_vm_init(gl_vm *vm, gl_interner *names);
void gl_vm_free(gl_vm *vm);

/* Raise: formats the message (printf-style), records span and kind, longjmps. */
_Noreturn void gl_vm_error(gl_vm *vm, gl_error_kind kind, gl_span span, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* dbt's return(value): ends the innermost macro call with value as its result. */
_Noreturn void gl_vm_return(gl_vm *vm, gl_value value);
/* Attach a hint to the error about to be raised (call right before gl_vm_error). */
void gl_vm_hint(gl_vm *vm, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Raise the UndefinedError an Undefined value stands for. */
_Noreturn void gl_vm_undefined_error(gl_vm *vm, gl_value undef, gl_span span);

/* Calls for filters and tests that need others (map, select, sort by attribute...). */
gl_value gl_vm_call(gl_vm *vm, gl_value callee, const gl_args *a);
gl_value gl_vm_filter(gl_vm *vm, const char *name, gl_value v, const gl_args *a);
bool gl_vm_test(gl_vm *vm, const char *name, gl_value v, const gl_args *a);
bool gl_vm_has_test(gl_vm *vm, const char *name);
bool gl_vm_has_filter(gl_vm *vm, const char *name);
/* Jinja's attribute path lookup used by map/sort/groupby ("a.b.0"): each part is an
 * item lookup (integer parts index sequences), as environment.getitem does. */
gl_value gl_vm_attr_path(gl_vm *vm, gl_value v, const char *path, size_t len, gl_span span);

/* Scratch buffers owned by the vm: safe across errors (a longjmp leaks nothing because
 * the vm frees them all); return them with gl_vm_buf_put on the normal path. */
gl_buf *gl_vm_buf_get(gl_vm *vm);
void gl_vm_buf_put(gl_vm *vm, gl_buf *b);
/* Copy of a scratch buffer's bytes as a string value, then returns the buffer. */
gl_value gl_vm_buf_str(gl_vm *vm, gl_buf *b);

/* Helpers for native code */
void *gl_vm_alloc(gl_vm *vm, size_t n);
gl_value gl_vm_strf(gl_vm *vm, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* One argument list built in C, for gl_vm_call and friends. */
gl_args gl_args_make(const gl_value *pos, uint32_t npos, gl_span span);

/* Python str % args and str.format(*args, **kw) (format.c). */
gl_value gl_format_percent(gl_vm *vm, gl_value fmt, gl_value args, gl_span span);
gl_value gl_format_method(gl_vm *vm, gl_value fmt, const gl_args *a);

/* Register the builtin globals into vm->globals (globals.c). */
void gl_globals_install(gl_vm *vm);
#endif
