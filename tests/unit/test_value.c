/* tests/unit/test_value.c - values with Python semantics: repr and str, float
 * formatting, equality across numeric kinds, dict order and deletion, ordering errors. */
#include "jinja/datetime.h"
#include "jinja/vm.h"
#include "tap.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* datetime: str(), isoformat() and strftime() of instants from year 1 to 9999, as
 * /usr/bin/python3 prints datetime(..., tzinfo=timezone.utc) (TZ=UTC, glibc). */
static const struct { long long epoch; int micro; const char *str, *iso, *strftime; } s_dt_cases[] = {
    { 0LL, 0, "1970-01-01 00:00:00+00:00", "1970-01-01T00:00:00+00:00",
      "1970-01-01 00:00:00.000000 Thu Thursday Jan January 001 4 4 70 12 AM +0000 UTC  1 1970-01-01 00:00:00 01/01/70 00:00 0 %" },
    { -1LL, 0, "1969-12-31 23:59:59+00:00", "1969-12-31T23:59:59+00:00",
      "1969-12-31 23:59:59.000000 Wed Wednesday Dec December 365 3 3 69 11 PM +0000 UTC 31 1969-12-31 23:59:59 12/31/69 23:59 -1 %" },
    { 86399LL, 0, "1970-01-01 23:59:59+00:00", "1970-01-01T23:59:59+00:00",
      "1970-01-01 23:59:59.000000 Thu Thursday Jan January 001 4 4 70 11 PM +0000 UTC  1 1970-01-01 23:59:59 01/01/70 23:59 86399 %" },
    { 951782400LL, 0, "2000-02-29 00:00:00+00:00", "2000-02-29T00:00:00+00:00",
      "2000-02-29 00:00:00.000000 Tue Tuesday Feb February 060 2 2 00 12 AM +0000 UTC 29 2000-02-29 00:00:00 02/29/00 00:00 951782400 %" },
    { 4107542399LL, 0, "2100-02-28 23:59:59+00:00", "2100-02-28T23:59:59+00:00",
      "2100-02-28 23:59:59.000000 Sun Sunday Feb February 059 0 7 00 11 PM +0000 UTC 28 2100-02-28 23:59:59 02/28/00 23:59 4107542399 %" },
    { -2208988800LL, 0, "1900-01-01 00:00:00+00:00", "1900-01-01T00:00:00+00:00",
      "1900-01-01 00:00:00.000000 Mon Monday Jan January 001 1 1 00 12 AM +0000 UTC  1 1900-01-01 00:00:00 01/01/00 00:00 -2208988800 %" },
    { 253402300799LL, 999999, "9999-12-31 23:59:59.999999+00:00", "9999-12-31T23:59:59.999999+00:00",
      "9999-12-31 23:59:59.999999 Fri Friday Dec December 365 5 5 99 11 PM +0000 UTC 31 9999-12-31 23:59:59 12/31/99 23:59 253402300799 %" },
    { 1709210096LL, 123456, "2024-02-29 12:34:56.123456+00:00", "2024-02-29T12:34:56.123456+00:00",
      "2024-02-29 12:34:56.123456 Thu Thursday Feb February 060 4 4 24 12 PM +0000 UTC 29 2024-02-29 12:34:56 02/29/24 12:34 1709210096 %" },
    { -62135596800LL, 0, "0001-01-01 00:00:00+00:00", "0001-01-01T00:00:00+00:00",
      "1-01-01 00:00:00.000000 Mon Monday Jan January 001 1 1 01 12 AM +0000 UTC  1 1-01-01 00:00:00 01/01/01 00:00 -62135596800 %" },

};
static const char s_dt_format[] = "%Y-%m-%d %H:%M:%S.%f %a %A %b %B %j %w %u %y %I %p %z %Z %e %F %T %D %R %s %%";

static const char *s_cstr(gl_value v)
{
    static char text[512];
    snprintf(text, sizeof text, "%.*s", v.kind == GL_STR ? (int)v.len : 0, v.kind == GL_STR ? v.u.s : "");
    return text;
}

static gl_value s_dt_call(gl_value dt, const char *method, gl_value arg, uint32_t nargs)
{
    gl_value f = dt.u.obj->cls->getattr(&vm, dt.u.obj, method, strlen(method));
    gl_args a = gl_args_make(&arg, nargs, (gl_span){ 0, 0 });
    return f.u.func->fn(&vm, f.u.func, &a);
}

static void s_datetimes(void)
{
    for (size_t i = 0; i < sizeof s_dt_cases / sizeof *s_dt_cases; i++) {
        gl_value dt = gl_datetime_new(&vm, s_dt_cases[i].epoch, s_dt_cases[i].micro);
        gl_buf b;
        gl_buf_init(&b);
        gl_str_of(&vm, dt, &b);
        tap_is(b.data, s_dt_cases[i].str, s_dt_cases[i].str);
        gl_buf_free(&b);
        gl_value iso = s_dt_call(dt, "isoformat", gl_missing(), 0);
        tap_is(s_cstr(iso), s_dt_cases[i].iso, "isoformat");
        gl_value out = s_dt_call(dt, "strftime", gl_cstr(s_dt_format), 1);
        tap_is(s_cstr(out), s_dt_cases[i].strftime, "strftime");
    }
    gl_value dt = gl_datetime_new(&vm, 1709210096, 123456);
    gl_value year = dt.u.obj->cls->getattr(&vm, dt.u.obj, "year", 4);
    tap_ok(year.kind == GL_INT && year.u.i == 2024, "year attribute");
}

/* modules.datetime's now(), utcnow(), today(), date.today() answer the instant the
 * module was made with, never the clock. */
static gl_value s_call_attr(gl_value obj, const char *name, const gl_value *args, uint32_t n)
{
    gl_value f = obj.kind == GL_OBJECT ? obj.u.obj->cls->getattr(&vm, obj.u.obj, name, strlen(name)) : gl_missing();
    gl_args a = gl_args_make(args, n, (gl_span){ 0, 0 });
    if (f.kind == GL_FUNC) return f.u.func->fn(&vm, f.u.func, &a);
    return obj.u.obj->cls->call(&vm, obj.u.obj, &a);
}

static void s_str_is(gl_value v, const char *want, const char *name)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_str_of(&vm, v, &b);
    tap_is(b.data ? b.data : "", want, name);
    gl_buf_free(&b);
}

static void s_datetime_now(void)
{
    gl_value m = gl_datetime_module(&vm, 1709210096);
    gl_value dtcls, datecls;
    gl_dict_get_cstr(m.u.dict, "datetime", &dtcls);
    gl_dict_get_cstr(m.u.dict, "date", &datecls);
    s_str_is(s_call_attr(dtcls, "now", NULL, 0), "2024-02-29 12:34:56", "datetime.now() is the fixed instant");
    s_str_is(s_call_attr(dtcls, "utcnow", NULL, 0), "2024-02-29 12:34:56", "datetime.utcnow()");
    s_str_is(s_call_attr(dtcls, "today", NULL, 0), "2024-02-29 12:34:56", "datetime.today()");
    s_str_is(s_call_attr(datecls, "today", NULL, 0), "2024-02-29", "date.today()");
    gl_value utc;
    gl_dict_get_cstr(gl_pytz_module(&vm).u.dict, "utc", &utc);
    s_str_is(s_call_attr(dtcls, "now", &utc, 1), "2024-02-29 12:34:56+00:00", "datetime.now(pytz.utc)");
    gl_value zero = gl_datetime_module(&vm, 0);
    gl_dict_get_cstr(zero.u.dict, "datetime", &dtcls);
    s_repr_is(s_call_attr(dtcls, "now", NULL, 0), "datetime.datetime(1970, 1, 1, 0, 0)", "now() at epoch 0");
}

int main(void)
{
    gl_interner names;
    gl_intern_init(&names);
    gl_vm_init(&vm, &names);

    s_datetimes();
    s_datetime_now();
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
