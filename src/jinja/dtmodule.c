/* src/jinja/dtmodule.c - dbt's modules.datetime: the classes date, datetime, time,
 * timedelta and tzinfo as callable objects with their class methods (now, strptime,
 * fromisoformat, combine...). "Now" is the compile's fixed instant, never the clock. */
#include "jinja/datetime.h"
#include "jinja/dt.h"
#include <math.h>
#include <string.h>

typedef enum s_type_id { T_DATE, T_DATETIME, T_TIME, T_TIMEDELTA, T_TZINFO } s_type_id;

typedef struct s_type {
    s_type_id id;
    int64_t now;            /* epoch seconds of now(), today(), utcnow() */
} s_type;

static const char *const s_type_names[] = { "datetime.date", "datetime.datetime", "datetime.time",
                                            "datetime.timedelta", "datetime.tzinfo" };

static bool s_is(const char *name, size_t len, const char *lit)
{
    return strlen(lit) == len && !memcmp(name, lit, len);
}

/* ---------------------------------------------------------------- timedelta() */

static const char *const s_td_names[] = { "days", "seconds", "microseconds", "milliseconds", "minutes",
                                          "hours", "weeks", NULL };
static const int64_t s_td_factor[] = { 86400000000, 1000000, 1, 1000, 60000000, 3600000000, 604800000000 };

static gl_value s_timedelta(gl_vm *vm, const gl_args *a)
{
    gl_value v[7];
    gl_args_bind(vm, a, "timedelta", s_td_names, 0, v);
    gl_i128 total = 0;
    long double frac = 0;
    for (int i = 0; i < 7; i++) {
        if (v[i].kind == GL_MISSING) continue;
        if (v[i].kind == GL_INT || v[i].kind == GL_BOOL)
            total += (gl_i128)(v[i].kind == GL_BOOL ? v[i].u.b : v[i].u.i) * s_td_factor[i];
        else if (v[i].kind == GL_FLOAT) {
            if (!isfinite(v[i].u.f)) gl_vm_error(vm, GL_ERR_OVERFLOW, a->span, "cannot convert float %s to integer",
                                                  isnan(v[i].u.f) ? "NaN" : "infinity");
            if (fabs(v[i].u.f) > 1e18) gl_vm_error(vm, GL_ERR_OVERFLOW, a->span, "timedelta value out of range");
            frac += (long double)v[i].u.f * s_td_factor[i];
        } else
            gl_vm_error(vm, GL_ERR_TYPE, a->span, "unsupported type for timedelta %s component: %s", s_td_names[i],
                        gl_type_name(v[i]));
    }
    return gl_timedelta_value(vm, total + (gl_i128)rintl(frac), a->span);
}

/* ---------------------------------------------------------------- constructors */

static gl_value s_call(gl_vm *vm, gl_object *o, const gl_args *a)
{
    const s_type *t = o->data;
    static const char *const date_names[] = { "year", "month", "day", NULL };
    gl_value v[9];
    switch (t->id) {
    case T_DATE:
        gl_args_bind(vm, a, "date", date_names, 3, v);
        return gl_dt_build(vm, a, "date", 0, NULL, v);
    case T_DATETIME:
        gl_args_bind(vm, a, "datetime", gl_dt_fields, 3, v);
        return gl_dt_build(vm, a, "datetime", 1, NULL, v);
    case T_TIME:
        gl_args_bind(vm, a, "time", gl_dt_fields + 3, 0, v);
        return gl_dt_build(vm, a, "time", 2, NULL, v);
    case T_TIMEDELTA:
        return s_timedelta(vm, a);
    default:
        gl_vm_error(vm, GL_ERR_TYPE, a->span, "datetime.tzinfo is abstract: use a pytz time zone");
    }
}

/* A datetime at epoch microseconds t (UTC), shown in tz (NULL: naive UTC wall time). */
static gl_value s_at(gl_vm *vm, int64_t t, const gl_tz *tz, gl_span span)
{
    if (tz) {
        tz = gl_tz_at_utc(vm, tz, gl_floordiv(t, GL_US_PER_SEC));
        t += tz->offset * GL_US_PER_SEC;
    }
    int64_t days = gl_floordiv(t, GL_US_PER_DAY);
    return gl_datetime_value(vm, days, t - days * GL_US_PER_DAY, tz, span);
}

static const s_type *s_type_of(gl_func *f) { return f->data; }

/* now(tz=None), today(), utcnow(): the compile's instant (naive: UTC wall time) */
static gl_value s_now(gl_vm *vm, gl_func *f, const gl_args *a)
{
    static const char *const names[] = { "tz", NULL };
    gl_value v[1];
    bool with_tz = !strcmp(f->name, "now");
    gl_args_bind(vm, a, f->name, with_tz ? names : names + 1, 0, v);
    gl_value dt = s_at(vm, s_type_of(f)->now * GL_US_PER_SEC, with_tz ? gl_tz_arg(vm, v[0], a->span) : NULL, a->span);
    if (s_type_of(f)->id == T_DATE) return gl_date_value(vm, gl_dt_of(dt)->days, a->span);
    return dt;
}

static gl_value s_fromtimestamp(gl_vm *vm, gl_func *f, const gl_args *a)
{
    static const char *const names[] = { "timestamp", "tz", NULL };
    gl_value v[2];
    bool utc = !strcmp(f->name, "utcfromtimestamp"), date = s_type_of(f)->id == T_DATE;
    gl_args_bind(vm, a, f->name, utc || date ? (const char *const[]){ "timestamp", NULL } : names, 1, v);
    if (!gl_is_number(v[0]))
        gl_vm_error(vm, GL_ERR_TYPE, a->span, "'%s' object cannot be interpreted as an integer", gl_type_name(v[0]));
    double ts = gl_as_double(v[0]);
    if (!isfinite(ts) || fabs(ts) > 3e11) gl_vm_error(vm, GL_ERR_OVERFLOW, a->span, "timestamp out of range for platform time_t");
    int64_t t = v[0].kind == GL_FLOAT ? (int64_t)rint(ts * 1e6) : (v[0].kind == GL_BOOL ? v[0].u.b : v[0].u.i) * GL_US_PER_SEC;
    gl_value dt = s_at(vm, t, utc || date ? NULL : gl_tz_arg(vm, v[1], a->span), a->span);
    return date ? gl_date_value(vm, gl_dt_of(dt)->days, a->span) : dt;
}

static gl_value s_strptime(gl_vm *vm, gl_func *f, const gl_args *a)
{
    static const char *const names[] = { "date_string", "format", NULL };
    gl_value v[2];
    (void)f;
    gl_args_bind(vm, a, "strptime", names, 2, v);
    return gl_dt_strptime(vm, v[0], v[1], a->span);
}

static const gl_class *const s_classes[] = { &gl_date_class, &gl_datetime_class, &gl_time_class };

static gl_value s_fromisoformat(gl_vm *vm, gl_func *f, const gl_args *a)
{
    static const char *const names[] = { "date_string", NULL };
    gl_value v[1];
    gl_args_bind(vm, a, "fromisoformat", names, 1, v);
    return gl_dt_fromiso(vm, v[0], s_classes[s_type_of(f)->id], a->span);
}

static gl_value s_fromordinal(gl_vm *vm, gl_func *f, const gl_args *a)
{
    static const char *const names[] = { "ordinal", NULL };
    gl_value v[1];
    gl_args_bind(vm, a, "fromordinal", names, 1, v);
    int64_t n = gl_arg_int(vm, a, v[0], "fromordinal", 0);
    if (n < 1 || n > gl_days_max - gl_days_min + 1) gl_vm_error(vm, GL_ERR_VALUE, a->span, "ordinal must be >= 1");
    int64_t days = gl_days_min + n - 1;
    if (s_type_of(f)->id == T_DATE) return gl_date_value(vm, days, a->span);
    return gl_datetime_value(vm, days, 0, NULL, a->span);
}

static gl_value s_combine(gl_vm *vm, gl_func *f, const gl_args *a)
{
    static const char *const names[] = { "date", "time", "tzinfo", NULL };
    gl_value v[3];
    (void)f;
    gl_args_bind(vm, a, "combine", names, 2, v);
    if (!gl_is_a(v[0], &gl_date_class) && !gl_is_a(v[0], &gl_datetime_class))
        gl_vm_error(vm, GL_ERR_TYPE, a->span, "combine() argument 1 must be datetime.date, not %s", gl_type_name(v[0]));
    if (!gl_is_a(v[1], &gl_time_class))
        gl_vm_error(vm, GL_ERR_TYPE, a->span, "combine() argument 2 must be datetime.time, not %s", gl_type_name(v[1]));
    const gl_dt *t = gl_dt_of(v[1]);
    const gl_tz *tz = v[2].kind == GL_MISSING ? t->tz : gl_tz_arg(vm, v[2], a->span);
    return gl_datetime_value(vm, gl_dt_of(v[0])->days, t->us, tz, a->span);
}

/* ---------------------------------------------------------------- class attributes */

static gl_value s_limit(gl_vm *vm, s_type_id id, const char *name, size_t len)
{
    gl_span none = {0};
    bool max = s_is(name, len, "max"), min = s_is(name, len, "min"), res = s_is(name, len, "resolution");
    if (!max && !min && !res) return gl_missing();
    switch (id) {
    case T_DATE:
        return res ? gl_timedelta_value(vm, GL_US_PER_DAY, none) : gl_date_value(vm, max ? gl_days_max : gl_days_min, none);
    case T_DATETIME:
        if (res) return gl_timedelta_value(vm, 1, none);
        return gl_datetime_value(vm, max ? gl_days_max : gl_days_min, max ? GL_US_PER_DAY - 1 : 0, NULL, none);
    case T_TIME:
        return res ? gl_timedelta_value(vm, 1, none) : gl_time_value(vm, max ? GL_US_PER_DAY - 1 : 0, NULL);
    case T_TIMEDELTA:
        if (res) return gl_timedelta_value(vm, 1, none);
        return gl_timedelta_value(vm, max ? (gl_i128)(GL_TD_MAX_DAYS + 1) * GL_US_PER_DAY - 1
                                          : -(gl_i128)GL_TD_MAX_DAYS * GL_US_PER_DAY, none);
    default:
        return gl_missing();
    }
}

typedef struct s_classmethod {
    const char *name;
    gl_native_fn fn;
    unsigned types;         /* bit per s_type_id */
} s_classmethod;

#define B(t) (1u << (t))
static const s_classmethod s_classmethods[] = {
    { "now", s_now, B(T_DATETIME) }, { "utcnow", s_now, B(T_DATETIME) },
    { "today", s_now, B(T_DATETIME) | B(T_DATE) },
    { "strptime", s_strptime, B(T_DATETIME) },
    { "fromisoformat", s_fromisoformat, B(T_DATETIME) | B(T_DATE) | B(T_TIME) },
    { "fromtimestamp", s_fromtimestamp, B(T_DATETIME) | B(T_DATE) },
    { "utcfromtimestamp", s_fromtimestamp, B(T_DATETIME) },
    { "fromordinal", s_fromordinal, B(T_DATETIME) | B(T_DATE) },
    { "combine", s_combine, B(T_DATETIME) },
    { NULL, NULL, 0 }
};
#undef B

static gl_value s_getattr(gl_vm *vm, gl_object *o, const char *name, size_t len)
{
    const s_type *t = o->data;
    if (!vm) return gl_missing();
    for (const s_classmethod *m = s_classmethods; m->name; m++)
        if ((m->types & (1u << t->id)) && s_is(name, len, m->name))
            return gl_func_new(vm, m->name, m->fn, gl_missing(), o->data);
    return s_limit(vm, t->id, name, len);
}

static void s_print(gl_vm *vm, gl_object *o, gl_buf *out)
{
    (void)vm;
    gl_buf_printf(out, "<class '%s'>", s_type_names[((const s_type *)o->data)->id]);
}

static const gl_class s_type_class = { "type", s_getattr, s_call, s_print };

gl_value gl_datetime_module(gl_vm *vm, int64_t now_epoch_seconds)
{
    static const char *const keys[] = { "date", "datetime", "time", "timedelta", "tzinfo" };
    static const s_type_id ids[] = { T_DATE, T_DATETIME, T_TIME, T_TIMEDELTA, T_TZINFO };
    gl_value m = gl_dict_new(vm);
    for (int i = 0; i < 5; i++) {
        s_type *t = gl_vm_alloc(vm, sizeof *t);
        t->id = ids[i];
        t->now = now_epoch_seconds;
        gl_dict_set_cstr(vm, m.u.dict, keys[i], gl_object_new(vm, &s_type_class, t));
    }
    return m;
}
