/* src/jinja/tests.c - the builtin tests of Jinja2 3.1 (jinja layer, render stage):
 * `value is name(args)` with Python's semantics for type checks, `%`, `in`, `is` and
 * the comparison operators, as dbt's SandboxedEnvironment runs them.
 * Errors are raised with gl_vm_error like Python would raise. */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "jinja/pystr.h"
#include "jinja/value.h"
#include "jinja/vm.h"

/* ------------------------------------------------------------------------------------
 * Argument helpers */

static void s_noargs(gl_vm *vm, const gl_args *a, const char *fname)
{
    static const char *const names[] = {NULL};
    gl_value none[1];
    gl_args_bind(vm, a, fname, names, 0, none);
}

/* The single required argument of a two-argument test */
static gl_value s_other(gl_vm *vm, const gl_args *a, const char *fname, const char *pname)
{
    const char *const names[] = {pname, NULL};
    gl_value p[1];
    gl_args_bind(vm, a, fname, names, 1, p);
    return p[0];
}

static bool s_is_intlike(gl_value v) { return v.kind == GL_INT || v.kind == GL_BOOL; }

static int64_t s_intval(gl_value v) { return v.kind == GL_BOOL ? (int64_t)v.u.b : v.u.i; }

/* ------------------------------------------------------------------------------------
 * Python's `value % num == want` (odd, even, divisibleby) */

static bool s_int_mod_is(gl_vm *vm, int64_t x, int64_t y, int64_t want, gl_span span)
{
    if (y == 0)
        gl_vm_error(vm, GL_ERR_ZERO_DIVISION, span, "integer modulo by zero");
    if (y == -1)
        return want == 0;
    int64_t r = x % y;
    if (r != 0 && ((r < 0) != (y < 0)))
        r += y;
    return r == want;
}

static bool s_float_mod_is(gl_vm *vm, double x, double y, int64_t want, gl_span span)
{
    if (y == 0.0)
        gl_vm_error(vm, GL_ERR_ZERO_DIVISION, span, "float modulo");
    double r = fmod(x, y);
    if (r != 0.0 && ((r < 0) != (y < 0)))
        r += y;
    return r == (double)want;
}

static bool s_mod_is(gl_vm *vm, gl_value v, gl_value d, int64_t want, gl_span span)
{
    if (v.kind == GL_UNDEFINED)
        gl_vm_undefined_error(vm, v, span);
    if (v.kind == GL_STR) {
        /* str % x is string formatting: it raises or gives a str, never a number */
        gl_format_percent(vm, v, d, span);
        return false;
    }
    if (d.kind == GL_UNDEFINED && gl_is_number(v))
        gl_vm_undefined_error(vm, d, span);
    if (!gl_is_number(v) || !gl_is_number(d))
        gl_vm_error(vm, GL_ERR_TYPE, span, "unsupported operand type(s) for %%: '%s' and '%s'",
                    gl_type_name(v), gl_type_name(d));
    if (s_is_intlike(v) && s_is_intlike(d))
        return s_int_mod_is(vm, s_intval(v), s_intval(d), want, span);
    return s_float_mod_is(vm, gl_as_double(v), gl_as_double(d), want, span);
}

static bool s_test_odd(gl_vm *vm, gl_value v, const gl_args *a)
{
    s_noargs(vm, a, "test_odd");
    return s_mod_is(vm, v, gl_int(2), 1, a->span);
}

static bool s_test_even(gl_vm *vm, gl_value v, const gl_args *a)
{
    s_noargs(vm, a, "test_even");
    return s_mod_is(vm, v, gl_int(2), 0, a->span);
}

static bool s_test_divisibleby(gl_vm *vm, gl_value v, const gl_args *a)
{
    gl_value num = s_other(vm, a, "test_divisibleby", "num");
    return s_mod_is(vm, v, num, 0, a->span);
}

/* ------------------------------------------------------------------------------------
 * Kinds of values */

/* A test that takes no argument and looks at the value only. (`name` is pasted and
 * stringified, never expanded, so `true` and `false` name tests here.) */
#define S_VALUE_TEST(name, expr)                                                        \
    static bool s_test_##name(gl_vm *vm, gl_value v, const gl_args *a)                  \
    {                                                                                   \
        s_noargs(vm, a, "test_" #name);                                                 \
        return (expr);                                                                  \
    }
S_VALUE_TEST(defined, v.kind != GL_UNDEFINED)
S_VALUE_TEST(undefined, v.kind == GL_UNDEFINED)
S_VALUE_TEST(none, v.kind == GL_NONE)
S_VALUE_TEST(boolean, v.kind == GL_BOOL)
S_VALUE_TEST(false, v.kind == GL_BOOL && !v.u.b)
S_VALUE_TEST(true, v.kind == GL_BOOL && v.u.b)
/* bool is an int in Python, but Jinja's `integer` leaves True and False out */
S_VALUE_TEST(integer, v.kind == GL_INT)
S_VALUE_TEST(float, v.kind == GL_FLOAT)
S_VALUE_TEST(number, gl_is_number(v))
S_VALUE_TEST(string, v.kind == GL_STR)
S_VALUE_TEST(mapping, v.kind == GL_DICT || (v.kind == GL_OBJECT && v.u.obj->cls->getattr &&
                                            v.u.obj->cls->getattr(NULL, v.u.obj, "__mapping__", 11).kind != GL_MISSING))
S_VALUE_TEST(escaped, v.kind == GL_STR && (v.flags & GL_F_SAFE))
#undef S_VALUE_TEST

/* `name in env.filters` / `env.tests`: unhashable names raise, others are just absent */
static bool s_name_known(gl_vm *vm, gl_value v, bool filter, gl_span span)
{
    if (v.kind == GL_STR) {
        const char *name = gl_arena_strndup(&vm->arena, v.u.s, v.len);
        return filter ? gl_vm_has_filter(vm, name) : gl_vm_has_test(vm, name);
    }
    if (!gl_hashable(v))
        gl_vm_error(vm, GL_ERR_TYPE, span, "unhashable type: '%s'", gl_type_name(v));
    return false;
}

static bool s_test_filter(gl_vm *vm, gl_value v, const gl_args *a)
{
    s_noargs(vm, a, "test_filter");
    return s_name_known(vm, v, true, a->span);
}

static bool s_test_test(gl_vm *vm, gl_value v, const gl_args *a)
{
    s_noargs(vm, a, "test_test");
    return s_name_known(vm, v, false, a->span);
}

static bool s_class_is(gl_value v, const char *name)
{
    return v.kind == GL_OBJECT && v.u.obj->cls->name && strcmp(v.u.obj->cls->name, name) == 0;
}

/* Native objects iterate when their class answers "__iter__" (range does); Jinja's
 * loop object is iterable too. */
static bool s_obj_iterable(gl_vm *vm, gl_value v)
{
    if (v.kind != GL_OBJECT)
        return false;
    if (s_class_is(v, "LoopContext"))
        return true;
    gl_object *o = v.u.obj;
    return o->cls->getattr && o->cls->getattr(vm, o, "__iter__", 8).kind != GL_MISSING;
}

/* len(value) and value.__getitem__ both exist (Undefined has both) */
static bool s_test_sequence(gl_vm *vm, gl_value v, const gl_args *a)
{
    s_noargs(vm, a, "test_sequence");
    switch (v.kind) {
    case GL_LIST:
        return !(v.flags & GL_F_GENERATOR);
    case GL_STR: case GL_TUPLE: case GL_DICT: case GL_UNDEFINED:
        return true;
    default:
        return s_class_is(v, "range");     /* the one native sequence (len and [i]) */
    }
}

static bool s_test_iterable(gl_vm *vm, gl_value v, const gl_args *a)
{
    s_noargs(vm, a, "test_iterable");
    switch (v.kind) {
    case GL_STR: case GL_LIST: case GL_TUPLE: case GL_DICT: case GL_UNDEFINED:
        return true;
    default:
        return s_obj_iterable(vm, v);
    }
}

/* Undefined defines __call__ (to raise), so Python calls it callable */
static bool s_test_callable(gl_vm *vm, gl_value v, const gl_args *a)
{
    s_noargs(vm, a, "callable");
    return gl_is_callable(v) || v.kind == GL_UNDEFINED;
}

/* ------------------------------------------------------------------------------------
 * str(value).islower() / isupper() */

static bool s_test_lower(gl_vm *vm, gl_value v, const gl_args *a)
{
    s_noargs(vm, a, "test_lower");
    gl_value s = gl_to_str(vm, v);
    return gl_py_str_islower(s.u.s, s.len);
}

static bool s_test_upper(gl_vm *vm, gl_value v, const gl_args *a)
{
    s_noargs(vm, a, "test_upper");
    gl_value s = gl_to_str(vm, v);
    return gl_py_str_isupper(s.u.s, s.len);
}

/* ------------------------------------------------------------------------------------
 * sameas, in, and the operators */

/* Python's `is`: singletons and the small-int and one-character caches are shared;
 * containers by identity; other numbers and strings are separate objects unless they
 * come from the very same place, which for strings the pointer tells. */
static bool s_test_sameas(gl_vm *vm, gl_value v, const gl_args *a)
{
    gl_value o = s_other(vm, a, "test_sameas", "other");
    if (v.kind != o.kind)
        return false;
    switch (v.kind) {
    case GL_NONE:
        return true;
    case GL_UNDEFINED:
        return v.u.undef == o.u.undef;
    case GL_BOOL:
        return v.u.b == o.u.b;
    case GL_INT:
        return v.u.i == o.u.i && v.u.i >= -5 && v.u.i <= 256;
    case GL_FLOAT:
        return false;
    case GL_STR:
        if (v.len == o.len && v.u.s == o.u.s && v.flags == o.flags)
            return true;
        return v.len == o.len && v.len <= 1 && memcmp(v.u.s, o.u.s, v.len) == 0 &&
               v.flags == o.flags;
    default:
        return v.u.list == o.u.list;    /* same pointer, whichever union member */
    }
}

static bool s_contains_str(gl_vm *vm, gl_value hay, gl_value needle, gl_span span)
{
    if (needle.kind != GL_STR)
        gl_vm_error(vm, GL_ERR_TYPE, span,
                    "'in <string>' requires string as left operand, not %s",
                    gl_type_name(needle));
    if (needle.len == 0)
        return true;
    for (uint32_t i = 0; i + needle.len <= hay.len; i++)
        if (memcmp(hay.u.s + i, needle.u.s, needle.len) == 0)
            return true;
    return false;
}

/* Python's `value in seq` */
static bool s_contains(gl_vm *vm, gl_value seq, gl_value v, gl_span span)
{
    switch (seq.kind) {
    case GL_STR:
        return s_contains_str(vm, seq, v, span);
    case GL_LIST: case GL_TUPLE:
        for (uint32_t i = 0; i < seq.u.list->len; i++)
            if (gl_equal(seq.u.list->items[i], v))
                return true;
        return false;
    case GL_DICT: {
        if (!gl_hashable(v))
            gl_vm_error(vm, GL_ERR_TYPE, span, "unhashable type: '%s'", gl_type_name(v));
        gl_value dummy;
        return gl_dict_get(seq.u.dict, v, &dummy);
    }
    case GL_UNDEFINED:
        return false;
    default:
        if (seq.kind == GL_OBJECT && !s_class_is(seq, "LoopContext") &&
            s_obj_iterable(vm, seq)) {
            gl_list *l = gl_iterate(vm, seq, span);
            for (uint32_t i = 0; i < l->len; i++)
                if (gl_equal(l->items[i], v))
                    return true;
            return false;
        }
        gl_vm_error(vm, GL_ERR_TYPE, span, "argument of type '%s' is not iterable",
                    gl_type_name(seq));
    }
}

static bool s_test_in(gl_vm *vm, gl_value v, const gl_args *a)
{
    gl_value seq = s_other(vm, a, "test_in", "seq");
    return s_contains(vm, seq, v, a->span);
}

static bool s_test_eq(gl_vm *vm, gl_value v, const gl_args *a)
{
    return gl_equal(v, s_other(vm, a, "eq", "b"));
}

static bool s_test_ne(gl_vm *vm, gl_value v, const gl_args *a)
{
    return !gl_equal(v, s_other(vm, a, "ne", "b"));
}

/* NaN is unordered: every ordering comparison with it is false */
static bool s_has_nan(gl_value x, gl_value y)
{
    return (x.kind == GL_FLOAT && isnan(x.u.f) && gl_is_number(y)) ||
           (y.kind == GL_FLOAT && isnan(y.u.f) && gl_is_number(x));
}

static bool s_order(gl_vm *vm, gl_value v, const gl_args *a, const char *fname,
                    const char *op)
{
    gl_value o = s_other(vm, a, fname, "b");
    int c = gl_compare(vm, v, o, op, a->span);
    if (s_has_nan(v, o))
        return false;
    switch (op[0]) {
    case '<': return op[1] == '=' ? c <= 0 : c < 0;
    default: return op[1] == '=' ? c >= 0 : c > 0;
    }
}

static bool s_test_lt(gl_vm *vm, gl_value v, const gl_args *a)
{
    return s_order(vm, v, a, "lt", "<");
}

static bool s_test_le(gl_vm *vm, gl_value v, const gl_args *a)
{
    return s_order(vm, v, a, "le", "<=");
}

static bool s_test_gt(gl_vm *vm, gl_value v, const gl_args *a)
{
    return s_order(vm, v, a, "gt", ">");
}

static bool s_test_ge(gl_vm *vm, gl_value v, const gl_args *a)
{
    return s_order(vm, v, a, "ge", ">=");
}

/* ------------------------------------------------------------------------------------
 * The table (jinja2.tests.TESTS) */

const gl_builtin_test gl_builtin_tests[] = {
    {"odd", s_test_odd},
    {"even", s_test_even},
    {"divisibleby", s_test_divisibleby},
    {"defined", s_test_defined},
    {"undefined", s_test_undefined},
    {"filter", s_test_filter},
    {"test", s_test_test},
    {"none", s_test_none},
    {"boolean", s_test_boolean},
    {"false", s_test_false},
    {"true", s_test_true},
    {"integer", s_test_integer},
    {"float", s_test_float},
    {"lower", s_test_lower},
    {"upper", s_test_upper},
    {"string", s_test_string},
    {"mapping", s_test_mapping},
    {"number", s_test_number},
    {"sequence", s_test_sequence},
    {"iterable", s_test_iterable},
    {"callable", s_test_callable},
    {"sameas", s_test_sameas},
    {"escaped", s_test_escaped},
    {"in", s_test_in},
    {"==", s_test_eq},
    {"eq", s_test_eq},
    {"equalto", s_test_eq},
    {"!=", s_test_ne},
    {"ne", s_test_ne},
    {">", s_test_gt},
    {"gt", s_test_gt},
    {"greaterthan", s_test_gt},
    {">=", s_test_ge},
    {"ge", s_test_ge},
    {"<", s_test_lt},
    {"lt", s_test_lt},
    {"lessthan", s_test_lt},
    {"<=", s_test_le},
    {"le", s_test_le},
    {NULL, NULL},
};
