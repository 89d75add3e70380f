/* tests/unit/test_value.c - values with Python semantics: repr and str, float
 * formatting, equality across numeric kinds, dict order and deletion, ordering errors. */
#include "jinja/vm.h"
#include "tap.h"
#include <math.h>
#include <stdlib.h>

static gl_vm vm;

static void s_repr_is(gl_value v, const char *want, const char *name)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_repr(&vm, v, &b);
    tap_is(b.data ? b.data : "", want, name);
    gl_buf_free(&b);
}

static void s_float_is(double f, const char *want)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_format_float(f, &b);
    tap_is(b.data, want, want);
    gl_buf_free(&b);
}

static void s_try_compare(void)
{
    gl_span at = { 0, 0 };
    gl_compare(&vm, gl_int(1), gl_cstr("a"), "<", at);
}

static void s_compare_raises(void)
{
    gl_catch c;
    c.prev = NULL;
    vm.catch_top = &c;
    if (setjmp(c.jb) == 0) {
        s_try_compare();
        tap_ok(0, "comparing int and str raises");
    } else {
        tap_is(vm.error.message, "'<' not supported between instances of 'int' and 'str'", "comparing int and str raises");
    }
    vm.catch_top = NULL;
}

int main(void)
{
    gl_interner names;
    gl_intern_init(&names);
    gl_vm_init(&vm, &names);

    s_float_is(1.0, "1.0");
    s_float_is(0.1 + 0.2, "0.30000000000000004");
    s_float_is(1e16, "1e+16");
    s_float_is(123456789012345.0, "123456789012345.0");
    s_float_is(1e-5, "1e-05");
    s_float_is(0.0001, "0.0001");
    s_float_is(-0.0, "-0.0");
    s_float_is(1.5e300, "1.5e+300");
    s_float_is(INFINITY, "inf");
    s_float_is(2.0 / 3.0, "0.6666666666666666");

    s_repr_is(gl_cstr("it's"), "\"it's\"", "repr picks double quotes around a single quote");
    s_repr_is(gl_cstr("a\nb\\"), "'a\\nb\\\\'", "repr escapes newline and backslash");
    s_repr_is(gl_cstr("caf\xc3\xa9"), "'caf\xc3\xa9'", "repr keeps printable non-ASCII");
    s_repr_is(gl_cstr("\x01"), "'\\x01'", "repr escapes control characters");
    gl_value items[3] = { gl_int(1), gl_cstr("a"), gl_none() };
    s_repr_is(gl_list_from(&vm, items, 3, GL_LIST), "[1, 'a', None]", "list repr");
    s_repr_is(gl_list_from(&vm, items, 1, GL_TUPLE), "(1,)", "one-tuple repr");
    s_repr_is(gl_list_from(&vm, items, 0, GL_TUPLE), "()", "empty tuple repr");

    gl_value d = gl_dict_new(&vm);
    gl_dict_set(&vm, d.u.dict, gl_cstr("b"), gl_int(1));
    gl_dict_set(&vm, d.u.dict, gl_cstr("a"), gl_bool(true));
    gl_dict_set(&vm, d.u.dict, gl_int(1), gl_float(2.5));
    s_repr_is(d, "{'b': 1, 'a': True, 1: 2.5}", "dict keeps insertion order");
    gl_value got;
    tap_ok(gl_dict_get(d.u.dict, gl_float(1.0), &got) && got.kind == GL_FLOAT, "1.0 finds the key 1");
    tap_ok(gl_dict_get(d.u.dict, gl_bool(true), &got), "True finds the key 1");
    gl_dict_del(d.u.dict, gl_cstr("a"), NULL);
    s_repr_is(d, "{'b': 1, 1: 2.5}", "deleted keys vanish from the order");
    for (int i = 0; i < 100; i++) gl_dict_set(&vm, d.u.dict, gl_int(i + 10), gl_int(i));
    tap_ok(d.u.dict->count == 102 && gl_dict_get(d.u.dict, gl_int(77), &got) && got.u.i == 67, "large dicts use the index");

    tap_ok(gl_equal(gl_int(1), gl_float(1.0)) && gl_equal(gl_bool(true), gl_int(1)), "numeric equality across kinds");
    tap_ok(!gl_equal(gl_cstr("1"), gl_int(1)), "a string never equals a number");
    tap_ok(gl_utf8_count("caf\xc3\xa9", 5) == 4, "length counts code points");

    s_compare_raises();
    gl_vm_free(&vm);
    gl_intern_free(&names);
    return tap_done();
}
