/* src/jinja/vm.c - render state (jinja layer): the vm's arena, filter/test/global
 * registries, raising errors (longjmp to the innermost gl_catch), Undefined's
 * messages, scratch buffers, and calls into filters and tests by name. */
#include "jinja/vm.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void gl_vm_init(gl_vm *vm, gl_interner *names)
{
    memset(vm, 0, sizeof *vm);
    gl_arena_init(&vm->arena);
    vm->names = names;
    vm->step_limit = 200000000;
    vm->depth_limit = 400;
    vm->filters = gl_dict_new(vm).u.dict;
    vm->tests = gl_dict_new(vm).u.dict;
    vm->globals = gl_dict_new(vm).u.dict;
    for (const gl_builtin_filter *f = gl_builtin_filters; f->name; f++)
        gl_dict_set(vm, vm->filters, gl_cstr(f->name), gl_func_new(vm, f->name, NULL, gl_missing(), (void *)f));
    for (const gl_builtin_test *t = gl_builtin_tests; t->name; t++)
        gl_dict_set(vm, vm->tests, gl_cstr(t->name), gl_func_new(vm, t->name, NULL, gl_missing(), (void *)t));
    gl_globals_install(vm);
}

void gl_vm_free(gl_vm *vm)
{
    for (uint32_t i = 0; i < vm->nbufs; i++) {
        gl_buf_free(vm->bufs[i]);
        free(vm->bufs[i]);
    }
    free(vm->bufs);
    free(vm->spare);
    gl_diag_clear(&vm->error);
    gl_arena_free(&vm->arena);
}

gl_buf *gl_vm_buf_get(gl_vm *vm)
{
    if (vm->nspare) return vm->spare[--vm->nspare];
    if (vm->nbufs == vm->capbufs) {
        vm->capbufs = vm->capbufs ? vm->capbufs * 2 : 16;
        vm->bufs = gl_xrealloc(vm->bufs, vm->capbufs * sizeof *vm->bufs);
    }
    gl_buf *b = gl_xmalloc(sizeof *b);
    gl_buf_init(b);
    vm->bufs[vm->nbufs++] = b;
    return b;
}

void gl_vm_buf_put(gl_vm *vm, gl_buf *b)
{
    gl_buf_truncate(b, 0);
    if (vm->nspare == vm->capspare) {
        vm->capspare = vm->capspare ? vm->capspare * 2 : 16;
        vm->spare = gl_xrealloc(vm->spare, vm->capspare * sizeof *vm->spare);
    }
    vm->spare[vm->nspare++] = b;
}

gl_value gl_vm_buf_str(gl_vm *vm, gl_buf *b)
{
    gl_value s = gl_str_copy(vm, b->data ? b->data : "", b->len);
    gl_vm_buf_put(vm, b);
    return s;
}

void *gl_vm_alloc(gl_vm *vm, size_t n) { return gl_arena_alloc(&vm->arena, n); }

gl_value gl_vm_strf(gl_vm *vm, const char *fmt, ...)
{
    gl_buf *b = gl_vm_buf_get(vm);
    va_list ap;
    va_start(ap, fmt);
    gl_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return gl_vm_buf_str(vm, b);
}

gl_args gl_args_make(const gl_value *pos, uint32_t npos, gl_span span)
{
    gl_args a = { pos, npos, 0, NULL, NULL, span };
    return a;
}

void gl_vm_hint(gl_vm *vm, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *hint = gl_vstrf(fmt, ap);
    va_end(ap);
    free(vm->error.hint);
    vm->error.hint = hint;
}

_Noreturn void gl_vm_error(gl_vm *vm, gl_error_kind kind, gl_span span, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *message = gl_vstrf(fmt, ap);
    va_end(ap);
    free(vm->error.message);
    vm->error.message = message;
    vm->error.severity = GL_SEV_ERROR;
    vm->error.src = vm->src;
    vm->error.span = span;
    vm->error_kind = kind;
    if (!vm->catch_top) abort();
    longjmp(vm->catch_top->jb, GL_JUMP_ERROR);
}

_Noreturn void gl_vm_return(gl_vm *vm, gl_value value)
{
    vm->returned = value;
    if (!vm->catch_top) abort();
    longjmp(vm->catch_top->jb, GL_JUMP_RETURN);
}

/* Jinja2's object_type_repr: "None", or "<type> object". */
static void s_type_repr(gl_value v, gl_buf *out)
{
    if (v.kind == GL_NONE) gl_buf_adds(out, "None");
    else if (v.kind == GL_NAMESPACE) gl_buf_adds(out, "jinja2.utils.Namespace object");
    else gl_buf_printf(out, "%s object", gl_type_name(v));
}

_Noreturn void gl_vm_undefined_error(gl_vm *vm, gl_value undef, gl_span span)
{
    gl_buf *b = gl_vm_buf_get(vm);
    const gl_undef *u = undef.kind == GL_UNDEFINED ? undef.u.undef : NULL;
    if (!u) {
        gl_buf_adds(b, "value is undefined");
    } else if (u->hint) {
        gl_buf_adds(b, u->hint);
    } else if (u->obj.kind == GL_MISSING) {
        gl_repr(vm, u->name, b);
        gl_buf_adds(b, " is undefined");
    } else if (u->name.kind != GL_STR) {
        s_type_repr(u->obj, b);
        gl_buf_adds(b, " has no element ");
        gl_repr(vm, u->name, b);
    } else {
        gl_buf *t = gl_vm_buf_get(vm);
        s_type_repr(u->obj, t);
        gl_repr_str(t->data, t->len, b);
        gl_vm_buf_put(vm, t);
        gl_buf_adds(b, " has no attribute ");
        gl_repr(vm, u->name, b);
    }
    gl_vm_error(vm, GL_ERR_UNDEFINED, span, "%s", b->data);
}

static const gl_builtin_filter *s_filter(gl_vm *vm, const char *name)
{
    gl_value f;
    if (!gl_dict_get(vm->filters, gl_cstr(name), &f)) return NULL;
    return f.u.func->data;
}

static const gl_builtin_test *s_test(gl_vm *vm, const char *name)
{
    gl_value t;
    if (!gl_dict_get(vm->tests, gl_cstr(name), &t)) return NULL;
    return t.u.func->data;
}

bool gl_vm_has_filter(gl_vm *vm, const char *name) { return s_filter(vm, name) != NULL; }
bool gl_vm_has_test(gl_vm *vm, const char *name) { return s_test(vm, name) != NULL; }

gl_value gl_vm_filter(gl_vm *vm, const char *name, gl_value v, const gl_args *a)
{
    const gl_builtin_filter *f = s_filter(vm, name);
    if (!f) gl_vm_error(vm, GL_ERR_RUNTIME, a->span, "no filter named '%s'", name);
    return f->fn(vm, v, a);
}

bool gl_vm_test(gl_vm *vm, const char *name, gl_value v, const gl_args *a)
{
    const gl_builtin_test *t = s_test(vm, name);
    if (!t) gl_vm_error(vm, GL_ERR_RUNTIME, a->span, "no test named '%s'", name);
    return t->fn(vm, v, a);
}

gl_value gl_vm_attr_path(gl_vm *vm, gl_value v, const char *path, size_t len, gl_span span)
{
    size_t i = 0;
    while (i <= len) {
        size_t j = i;
        while (j < len && path[j] != '.') j++;
        bool digits = j > i;
        int64_t n = 0;
        for (size_t k = i; k < j && digits; k++) {
            if (path[k] < '0' || path[k] > '9') digits = false;
            else n = n * 10 + (path[k] - '0');
        }
        gl_value key = digits ? gl_int(n) : gl_str(path + i, j - i);
        v = gl_getitem(vm, v, key, span);
        i = j + 1;
    }
    return v;
}
