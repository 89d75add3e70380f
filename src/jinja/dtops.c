/* src/jinja/dtops.c - the Python operators of date, datetime, time, timedelta and
 * tzinfo objects (gl_dt_ops): ==, hashing, ordering with Python's TypeErrors (naive
 * vs aware, date vs datetime), date/datetime +- timedelta, datetime - datetime, and
 * timedelta arithmetic with Python's rounding (half to even). */
#include "jinja/dt.h"
#include "parser/ast.h"
#include <math.h>
#include <string.h>

/* A comparison key of a value of one of our classes; false when a and b cannot be
 * compared (different classes, or naive against aware). */
static bool s_key(gl_value v, gl_i128 *k)
{
    const gl_object *o = v.u.obj;
    if (o->cls == &gl_timedelta_class) { *k = gl_td_total(o->data); return true; }
    const gl_dt *d = o->data;
    if (o->cls == &gl_date_class) *k = d->days;
    else if (o->cls == &gl_datetime_class) *k = gl_dt_instant(d);
    else if (o->cls == &gl_time_class) *k = d->us - (d->tz ? d->tz->offset * GL_US_PER_SEC : 0);
    else return false;
    return true;
}

static bool s_aware(gl_value v)
{
    const gl_object *o = v.u.obj;
    return (o->cls == &gl_datetime_class || o->cls == &gl_time_class) && ((const gl_dt *)o->data)->tz;
}

static bool s_same_class(gl_value a, gl_value b)
{
    return a.kind == GL_OBJECT && b.kind == GL_OBJECT && a.u.obj->cls == b.u.obj->cls;
}

static gl_value s_isocal_tuple(gl_value v)
{
    gl_value t = {0};
    t.kind = GL_TUPLE;
    t.u.list = v.u.obj->data;
    return t;
}

static bool s_equal(gl_value a, gl_value b)
{
    if (gl_is_a(a, &gl_isocal_class)) a = s_isocal_tuple(a);
    if (gl_is_a(b, &gl_isocal_class)) b = s_isocal_tuple(b);
    if (a.kind == GL_TUPLE || b.kind == GL_TUPLE) return gl_equal(a, b);
    if (!s_same_class(a, b)) return false;
    if (a.u.obj->cls == &gl_tzinfo_class) return gl_tz_equal(a.u.obj->data, b.u.obj->data);
    gl_i128 x, y;
    if (s_aware(a) != s_aware(b) || !s_key(a, &x) || !s_key(b, &y)) return false;
    return x == y;
}

static uint32_t s_hash(gl_value v)
{
    if (gl_is_a(v, &gl_isocal_class)) return gl_hash(s_isocal_tuple(v));
    gl_i128 k = 0;
    if (!s_key(v, &k)) return 0x5bd1e995u;
    uint64_t x = (uint64_t)k ^ (uint64_t)(k >> 64) ^ (uintptr_t)v.u.obj->cls;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return (uint32_t)x;
}

static int s_compare(gl_vm *vm, gl_value a, gl_value b, const char *op, gl_span span)
{
    if (gl_is_a(a, &gl_isocal_class) || gl_is_a(b, &gl_isocal_class)) {
        gl_value x = gl_is_a(a, &gl_isocal_class) ? s_isocal_tuple(a) : a;
        gl_value y = gl_is_a(b, &gl_isocal_class) ? s_isocal_tuple(b) : b;
        return gl_compare(vm, x, y, op, span);
    }
    gl_i128 x, y;
    if (!s_same_class(a, b) || !s_key(a, &x) || !s_key(b, &y)) {
        if (s_same_class(a, b) || (gl_is_a(a, &gl_datetime_class) && gl_is_a(b, &gl_date_class)) ||
            (gl_is_a(a, &gl_date_class) && gl_is_a(b, &gl_datetime_class)))
            gl_vm_error(vm, GL_ERR_TYPE, span, "can't compare %s to %s", gl_type_name(a), gl_type_name(b));
        gl_vm_error(vm, GL_ERR_TYPE, span, "'%s' not supported between instances of '%s' and '%s'",
                    op, gl_type_name(a), gl_type_name(b));
    }
    if (s_aware(a) != s_aware(b))
        gl_vm_error(vm, GL_ERR_TYPE, span, "can't compare offset-naive and offset-aware %s",
                    a.u.obj->cls == &gl_time_class ? "times" : "datetimes");
    return (x > y) - (x < y);
}

/* ---------------------------------------------------------------- arithmetic */

static gl_i128 s_abs128(gl_i128 x) { return x < 0 ? -x : x; }

/* a / b rounded half to even (b != 0). */
static gl_i128 s_div_even(gl_i128 a, gl_i128 b)
{
    if (b < 0) { a = -a; b = -b; }
    gl_i128 q = a / b, r = a % b;
    if (r < 0) { q--; r += b; }
    if (2 * r > b || (2 * r == b && (q & 1))) q++;
    return q;
}

static gl_i128 s_floor128(gl_i128 a, gl_i128 b)
{
    gl_i128 q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
    return q;
}

static gl_value s_td(gl_vm *vm, gl_i128 us, gl_span span) { return gl_timedelta_value(vm, us, span); }

static gl_i128 s_td_of(gl_value v) { return gl_td_total(v.u.obj->data); }

/* timedelta * number, rounding a float product half to even. */
static gl_value s_td_scale(gl_vm *vm, gl_i128 us, gl_value n, bool divide, gl_span span)
{
    if (n.kind == GL_FLOAT) {
        if (divide && n.u.f == 0.0) gl_vm_error(vm, GL_ERR_ZERO_DIVISION, span, "division by zero");
        long double r = divide ? (long double)us / n.u.f : (long double)us * n.u.f;
        if (!isfinite((double)r)) gl_vm_error(vm, GL_ERR_OVERFLOW, span, "cannot convert float to integer");
        if (fabsl(r) > 1e20L) gl_vm_error(vm, GL_ERR_OVERFLOW, span, "date value out of range");
        return s_td(vm, (gl_i128)rintl(r), span);
    }
    int64_t k = n.kind == GL_BOOL ? n.u.b : n.u.i;
    if (!divide) return s_td(vm, us * k, span);
    if (k == 0) gl_vm_error(vm, GL_ERR_ZERO_DIVISION, span, "division by zero");
    return s_td(vm, s_div_even(us, k), span);
}

static gl_value s_td_binop(gl_vm *vm, int op, gl_value a, gl_value b, gl_span span)
{
    bool ta = gl_is_a(a, &gl_timedelta_class), tb = gl_is_a(b, &gl_timedelta_class);
    if (ta && tb) {
        gl_i128 x = s_td_of(a), y = s_td_of(b);
        if (op == GL_OP_ADD) return s_td(vm, x + y, span);
        if (op == GL_OP_SUB) return s_td(vm, x - y, span);
        if (op != GL_OP_DIV && op != GL_OP_FLOORDIV && op != GL_OP_MOD) return gl_missing();
        if (y == 0) gl_vm_error(vm, GL_ERR_ZERO_DIVISION, span, "integer division or modulo by zero");
        if (op == GL_OP_DIV) return gl_float((double)((long double)x / (long double)y));
        gl_i128 q = s_floor128(x, y);
        if (op == GL_OP_FLOORDIV) return gl_int((int64_t)q);
        return s_td(vm, x - q * y, span);
    }
    gl_value td = ta ? a : b, n = ta ? b : a;
    if (!gl_is_number(n)) return gl_missing();
    if (op == GL_OP_MUL) return s_td_scale(vm, s_td_of(td), n, false, span);
    if (!ta) return gl_missing();
    if (op == GL_OP_DIV) return s_td_scale(vm, s_td_of(td), n, true, span);
    if (op == GL_OP_FLOORDIV && n.kind != GL_FLOAT) {
        int64_t k = n.kind == GL_BOOL ? n.u.b : n.u.i;
        if (k == 0) gl_vm_error(vm, GL_ERR_ZERO_DIVISION, span, "integer division or modulo by zero");
        return s_td(vm, s_floor128(s_td_of(td), k), span);
    }
    return gl_missing();
}

/* date/datetime + timedelta (sign 1 or -1); a date moves by whole days only. */
static gl_value s_shift(gl_vm *vm, gl_value d, gl_value td, int sign, gl_span span)
{
    const gl_dt *x = d.u.obj->data;
    const gl_td *t = td.u.obj->data;
    if (d.u.obj->cls == &gl_date_class) {
        gl_i128 days = (gl_i128)x->days + sign * t->days;
        if (days < gl_days_min || days > gl_days_max) gl_vm_error(vm, GL_ERR_OVERFLOW, span, "date value out of range");
        return gl_date_value(vm, (int64_t)days, span);
    }
    gl_i128 us = (gl_i128)x->days * GL_US_PER_DAY + x->us + sign * gl_td_total(t);
    gl_i128 days = s_floor128(us, GL_US_PER_DAY);
    if (days < gl_days_min || days > gl_days_max) gl_vm_error(vm, GL_ERR_OVERFLOW, span, "date value out of range");
    return gl_datetime_value(vm, (int64_t)days, (int64_t)(us - days * GL_US_PER_DAY), x->tz, span);
}

static gl_value s_binop(gl_vm *vm, int op, gl_value a, gl_value b, gl_span span)
{
    if (gl_is_a(a, &gl_timedelta_class) || gl_is_a(b, &gl_timedelta_class)) {
        gl_value date = gl_is_a(a, &gl_timedelta_class) ? b : a;
        if (gl_is_a(date, &gl_date_class) || gl_is_a(date, &gl_datetime_class)) {
            if (op == GL_OP_ADD) return s_shift(vm, date, gl_is_a(a, &gl_timedelta_class) ? a : b, 1, span);
            if (op == GL_OP_SUB && gl_is_a(b, &gl_timedelta_class)) return s_shift(vm, a, b, -1, span);
            return gl_missing();
        }
        return s_td_binop(vm, op, a, b, span);
    }
    if (op != GL_OP_SUB || !s_same_class(a, b)) return gl_missing();
    const gl_dt *x = a.u.obj->data, *y = b.u.obj->data;
    if (a.u.obj->cls == &gl_date_class) return s_td(vm, (gl_i128)(x->days - y->days) * GL_US_PER_DAY, span);
    if (a.u.obj->cls != &gl_datetime_class) return gl_missing();
    if (!x->tz != !y->tz) gl_vm_error(vm, GL_ERR_TYPE, span, "can't subtract offset-naive and offset-aware datetimes");
    return s_td(vm, (gl_i128)gl_dt_instant(x) - gl_dt_instant(y), span);
}

static gl_value s_unary(gl_vm *vm, char op, gl_value v, gl_span span)
{
    if (!gl_is_a(v, &gl_timedelta_class)) return gl_missing();
    gl_i128 us = s_td_of(v);
    if (op == '-') us = -us;
    else if (op == 'a') us = s_abs128(us);
    return s_td(vm, us, span);
}

static void s_repr(gl_vm *vm, gl_object *o, gl_buf *out)
{
    if (o->cls == &gl_isocal_class) o->cls->print(vm, o, out);
    else gl_dt_repr(vm, o, out);
}

const gl_ops gl_dt_ops = { s_equal, s_hash, s_compare, s_binop, s_unary, s_repr };
