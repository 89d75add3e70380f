/* src/jinja/datetime.c - Python's date, datetime, time and timedelta objects for
 * templates (see datetime.h): calendar arithmetic from first principles (proleptic
 * Gregorian, days from the civil date), str()/repr() as Python prints them, attributes
 * and methods, and the operators (gl_ops): comparisons, + - * / // % and unary minus.
 * The module objects and constructors are in dtmodule.c, formatting in dtformat.c. */
#include "jinja/datetime.h"
#include "jinja/dt.h"
#include <math.h>
#include <string.h>

/* ---------------------------------------------------------------- calendar */

int64_t gl_floordiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

bool gl_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int gl_month_days(int64_t y, int m)
{
    static const int n[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return m == 2 && gl_leap(y) ? 29 : n[m - 1];
}

/* Days from 1970-01-01 of a civil date: years counted from March, in 400-year eras. */
int64_t gl_days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = gl_floordiv(y, 400), yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void gl_civil_from_days(int64_t days, int64_t *y, int *m, int *d)
{
    int64_t z = days + 719468, era = gl_floordiv(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

const int64_t gl_days_min = -719162;        /* 0001-01-01 */
const int64_t gl_days_max = 2932896;        /* 9999-12-31 */

static int s_weekday(int64_t days) { return (int)((days % 7 + 7 + 3) % 7); }   /* Monday 0 */

/* ISO year, week and weekday (1..7) of a day. */
static void s_iso_week(int64_t days, int64_t *year, int *week, int *wd)
{
    *wd = s_weekday(days) + 1;
    int64_t thursday = days + 4 - *wd, y;
    int m, d;
    gl_civil_from_days(thursday, &y, &m, &d);
    *year = y;
    *week = (int)((thursday - gl_days_from_civil(y, 1, 1)) / 7 + 1);
}

int64_t gl_check_date(gl_vm *vm, gl_span span, int64_t y, int64_t m, int64_t d)
{
    if (y < 1 || y > 9999) gl_vm_error(vm, GL_ERR_VALUE, span, "year %lld is out of range", (long long)y);
    if (m < 1 || m > 12) gl_vm_error(vm, GL_ERR_VALUE, span, "month must be in 1..12");
    if (d < 1 || d > gl_month_days(y, (int)m)) gl_vm_error(vm, GL_ERR_VALUE, span, "day is out of range for month");
    return gl_days_from_civil(y, (int)m, (int)d);
}

/* ---------------------------------------------------------------- values */

static gl_value s_obj(gl_vm *vm, const gl_class *cls, void *data)
{
    gl_value v = gl_object_new(vm, cls, data);
    v.u.obj->ops = &gl_dt_ops;
    return v;
}

static gl_dt *s_dt(gl_vm *vm, int64_t days, int64_t us, const gl_tz *tz)
{
    gl_dt *d = gl_vm_alloc(vm, sizeof *d);
    d->days = days;
    d->us = us;
    d->tz = tz;
    return d;
}

_Noreturn static void s_out_of_range(gl_vm *vm, gl_span span)
{
    gl_vm_error(vm, GL_ERR_OVERFLOW, span, "date value out of range");
}

gl_value gl_date_value(gl_vm *vm, int64_t days, gl_span span)
{
    if (days < gl_days_min || days > gl_days_max) s_out_of_range(vm, span);
    return s_obj(vm, &gl_date_class, s_dt(vm, days, 0, NULL));
}

gl_value gl_datetime_value(gl_vm *vm, int64_t days, int64_t us, const gl_tz *tz, gl_span span)
{
    if (days < gl_days_min || days > gl_days_max) s_out_of_range(vm, span);
    return s_obj(vm, &gl_datetime_class, s_dt(vm, days, us, tz));
}

gl_value gl_time_value(gl_vm *vm, int64_t us, const gl_tz *tz)
{
    return s_obj(vm, &gl_time_class, s_dt(vm, 0, us, tz));
}

gl_value gl_timedelta_value(gl_vm *vm, gl_i128 total, gl_span span)
{
    gl_i128 day = (gl_i128)GL_US_PER_DAY, days = total / day;
    if (total % day < 0) days--;
    if (days > GL_TD_MAX_DAYS || days < -GL_TD_MAX_DAYS)
        gl_vm_error(vm, GL_ERR_OVERFLOW, span, "days=%lld; must have magnitude <= 999999999",
                    (long long)(days > 0 ? days > INT64_MAX ? INT64_MAX : days : days < INT64_MIN ? INT64_MIN : days));
    int64_t rest = (int64_t)(total - days * day);
    gl_td *td = gl_vm_alloc(vm, sizeof *td);
    td->days = (int64_t)days;
    td->secs = rest / GL_US_PER_SEC;
    td->us = rest % GL_US_PER_SEC;
    return s_obj(vm, &gl_timedelta_class, td);
}

gl_value gl_tz_value(gl_vm *vm, const gl_tz *tz)
{
    return s_obj(vm, &gl_tzinfo_class, (void *)tz);
}

gl_i128 gl_td_total(const gl_td *td)
{
    return (gl_i128)td->days * GL_US_PER_DAY + (gl_i128)td->secs * GL_US_PER_SEC + td->us;
}

const gl_tz *gl_tz_arg(gl_vm *vm, gl_value v, gl_span span)
{
    if (v.kind == GL_NONE || v.kind == GL_MISSING) return NULL;
    if (gl_is_a(v, &gl_tzinfo_class)) return v.u.obj->data;
    gl_vm_error(vm, GL_ERR_TYPE, span, "tzinfo argument must be None or of a tzinfo subclass, not type '%s'",
                gl_type_name(v));
}

/* Microseconds since the epoch, in UTC when aware. */
int64_t gl_dt_instant(const gl_dt *d)
{
    return d->days * GL_US_PER_DAY + d->us - (d->tz ? d->tz->offset * GL_US_PER_SEC : 0);
}

/* ---------------------------------------------------------------- str() and repr() */

void gl_offset_print(int32_t offset, const char *sep, gl_buf *out)
{
    int32_t a = offset < 0 ? -offset : offset;
    gl_buf_printf(out, "%c%02d%s%02d", offset < 0 ? '-' : '+', a / 3600, sep, a / 60 % 60);
    if (a % 60) gl_buf_printf(out, "%s%02d", sep, a % 60);
}

static void s_date_iso(int64_t days, gl_buf *out)
{
    int64_t y;
    int m, d;
    gl_civil_from_days(days, &y, &m, &d);
    gl_buf_printf(out, "%04lld-%02d-%02d", (long long)y, m, d);
}

static const char *const s_timespecs[] = { "auto", "hours", "minutes", "seconds", "milliseconds",
                                           "microseconds", NULL };

/* HH[:MM[:SS[.fff[fff]]]] by timespec (index into s_timespecs), then the offset. */
static void s_time_iso(int64_t us, const gl_tz *tz, int spec, gl_buf *out)
{
    int64_t s = us / GL_US_PER_SEC, frac = us % GL_US_PER_SEC;
    if (spec == 0) spec = frac ? 5 : 3;
    gl_buf_printf(out, "%02d", (int)(s / 3600));
    if (spec >= 2) gl_buf_printf(out, ":%02d", (int)(s / 60 % 60));
    if (spec >= 3) gl_buf_printf(out, ":%02d", (int)(s % 60));
    if (spec == 4) gl_buf_printf(out, ".%03d", (int)(frac / 1000));
    if (spec == 5) gl_buf_printf(out, ".%06d", (int)frac);
    if (tz) gl_offset_print(tz->offset, ":", out);
}

void gl_td_print(const gl_td *td, bool repr, gl_buf *out)
{
    if (repr) {
        gl_buf_adds(out, "datetime.timedelta(");
        const char *sep = "";
        if (td->days) { gl_buf_printf(out, "days=%lld", (long long)td->days); sep = ", "; }
        if (td->secs) { gl_buf_printf(out, "%sseconds=%lld", sep, (long long)td->secs); sep = ", "; }
        if (td->us) { gl_buf_printf(out, "%smicroseconds=%lld", sep, (long long)td->us); sep = ", "; }
        gl_buf_adds(out, *sep ? ")" : "0)");
        return;
    }
    if (td->days)
        gl_buf_printf(out, "%lld day%s, ", (long long)td->days, td->days == 1 || td->days == -1 ? "" : "s");
    gl_buf_printf(out, "%d:%02d:%02d", (int)(td->secs / 3600), (int)(td->secs / 60 % 60), (int)(td->secs % 60));
    if (td->us) gl_buf_printf(out, ".%06d", (int)td->us);
}

static void s_fields_repr(int64_t us, gl_buf *out)
{
    int64_t s = us / GL_US_PER_SEC, frac = us % GL_US_PER_SEC;
    gl_buf_printf(out, "%d, %d", (int)(s / 3600), (int)(s / 60 % 60));
    if (s % 60 || frac) gl_buf_printf(out, ", %d", (int)(s % 60));
    if (frac) gl_buf_printf(out, ", %d", (int)frac);
}

static void s_tz_repr(const gl_tz *tz, gl_buf *out)
{
    if (!tz) return;
    gl_buf_adds(out, ", tzinfo=");
    gl_tz_print(tz, true, out);
}

static void s_print_date(gl_vm *vm, gl_object *o, gl_buf *out, bool repr)
{
    (void)vm;
    const gl_dt *d = o->data;
    if (!repr) { s_date_iso(d->days, out); return; }
    int64_t y;
    int m, dd;
    gl_civil_from_days(d->days, &y, &m, &dd);
    gl_buf_printf(out, "datetime.date(%lld, %d, %d)", (long long)y, m, dd);
}

static void s_print_datetime(gl_vm *vm, gl_object *o, gl_buf *out, bool repr)
{
    (void)vm;
    const gl_dt *d = o->data;
    if (!repr) {
        s_date_iso(d->days, out);
        gl_buf_addc(out, ' ');
        s_time_iso(d->us, d->tz, 0, out);
        return;
    }
    int64_t y;
    int m, dd;
    gl_civil_from_days(d->days, &y, &m, &dd);
    gl_buf_printf(out, "datetime.datetime(%lld, %d, %d, ", (long long)y, m, dd);
    s_fields_repr(d->us, out);
    s_tz_repr(d->tz, out);
    gl_buf_addc(out, ')');
}

static void s_print_time(gl_vm *vm, gl_object *o, gl_buf *out, bool repr)
{
    (void)vm;
    const gl_dt *d = o->data;
    if (!repr) { s_time_iso(d->us, d->tz, 0, out); return; }
    gl_buf_adds(out, "datetime.time(");
    s_fields_repr(d->us, out);
    s_tz_repr(d->tz, out);
    gl_buf_addc(out, ')');
}

static void s_print_as(gl_vm *vm, gl_object *o, gl_buf *out, bool repr)
{
    if (o->cls == &gl_date_class) s_print_date(vm, o, out, repr);
    else if (o->cls == &gl_datetime_class) s_print_datetime(vm, o, out, repr);
    else if (o->cls == &gl_time_class) s_print_time(vm, o, out, repr);
    else if (o->cls == &gl_timedelta_class) gl_td_print(o->data, repr, out);
    else gl_tz_print(o->data, repr, out);
}

static void s_str(gl_vm *vm, gl_object *o, gl_buf *out) { s_print_as(vm, o, out, false); }
void gl_dt_repr(gl_vm *vm, gl_object *o, gl_buf *out) { s_print_as(vm, o, out, true); }

/* ---------------------------------------------------------------- methods */

static bool s_is(const char *name, size_t len, const char *lit)
{
    return strlen(lit) == len && !memcmp(name, lit, len);
}

static const gl_dt *s_self(gl_func *f) { return f->self.u.obj->data; }

static void s_noargs(gl_vm *vm, const gl_args *a, const char *fname)
{
    static const char *const none[] = { NULL };
    gl_args_bind(vm, a, fname, none, 0, NULL);
}

static gl_value s_m_strftime(gl_vm *vm, gl_func *f, const gl_args *a)
{
    static const char *const names[] = { "format", NULL };
    gl_value v[1];
    gl_args_bind(vm, a, "strftime", names, 1, v);
    if (v[0].kind != GL_STR)
        gl_vm_error(vm, GL_ERR_TYPE, a->span, "strftime() argument 1 must be str, not %s", gl_type_name(v[0]));
    gl_buf *b = gl_vm_buf_get(vm);
    gl_dt_strftime(f->self, v[0].u.s, v[0].len, b);
    return gl_vm_buf_str(vm, b);
}

static int s_timespec(gl_vm *vm, gl_value v, gl_span span)
{
    if (v.kind == GL_MISSING) return 0;
    if (v.kind != GL_STR) gl_vm_error(vm, GL_ERR_TYPE, span, "isoformat() argument 'timespec' must be str");
    for (int i = 0; s_timespecs[i]; i++)
        if (s_is(v.u.s, v.len, s_timespecs[i])) return i;
    gl_vm_error(vm, GL_ERR_VALUE, span, "Unknown timespec value");
}

static gl_value s_m_isoformat(gl_vm *vm, gl_func *f, const gl_args *a)
{
    static const char *const names[] = { "sep", "timespec", NULL };
    const gl_dt *d = s_self(f);
    const gl_class *cls = f->self.u.obj->cls;
    gl_value v[2];
    gl_args_bind(vm, a, "isoformat", cls == &gl_datetime_class ? names : names + 1, 0, v);
    gl_value spec = cls == &gl_datetime_class ? v[1] : v[0];
    char sep = 'T';
    if (cls == &gl_datetime_class && v[0].kind != GL_MISSING) {
        if (v[0].kind != GL_STR || gl_utf8_count(v[0].u.s, v[0].len) != 1 || v[0].len != 1)
            gl_vm_error(vm, GL_ERR_TYPE, a->span, "isoformat() argument 1 must be a unicode character");
        sep = v[0].u.s[0];
    }
    int ts = s_timespec(vm, spec, a->span);
    gl_buf *b = gl_vm_buf_get(vm);
    if (cls != &gl_time_class) s_date_iso(d->days, b);
    if (cls == &gl_datetime_class) gl_buf_addc(b, sep);
    if (cls != &gl_date_class) s_time_iso(d->us, d->tz, ts, b);
    return gl_vm_buf_str(vm, b);
}

static gl_value s_m_weekday(gl_vm *vm, gl_func *f, const gl_args *a)
{
    s_noargs(vm, a, "weekday");
    return gl_int(s_weekday(s_self(f)->days) + (f->data != NULL));
}

extern const gl_class gl_isocal_class;

static gl_value s_m_isocalendar(gl_vm *vm, gl_func *f, const gl_args *a)
{
    s_noargs(vm, a, "isocalendar");
    int64_t y;
    int w, wd;
    s_iso_week(s_self(f)->days, &y, &w, &wd);
    gl_value t = gl_tuple_new(vm, 3);
    t.u.list->items[0] = gl_int(y);
    t.u.list->items[1] = gl_int(w);
    t.u.list->items[2] = gl_int(wd);
    gl_value v = gl_object_new(vm, &gl_isocal_class, t.u.list);
    v.u.obj->ops = &gl_dt_ops;
    return v;
}

static gl_value s_m_toordinal(gl_vm *vm, gl_func *f, const gl_args *a)
{
    s_noargs(vm, a, "toordinal");
    return gl_int(s_self(f)->days - gl_days_min + 1);
}

static gl_value s_m_ctime(gl_vm *vm, gl_func *f, const gl_args *a)
{
    s_noargs(vm, a, "ctime");
    gl_buf *b = gl_vm_buf_get(vm);
    gl_value self = f->self;
    gl_dt_strftime(self, "%a %b %e %H:%M:%S ", 18, b);
    int64_t y;
    int m, d;
    gl_civil_from_days(s_self(f)->days, &y, &m, &d);
    gl_buf_printf(b, "%04lld", (long long)y);
    return gl_vm_buf_str(vm, b);
}

static gl_value s_m_date(gl_vm *vm, gl_func *f, const gl_args *a)
{
    s_noargs(vm, a, "date");
    return gl_date_value(vm, s_self(f)->days, a->span);
}

static gl_value s_m_time(gl_vm *vm, gl_func *f, const gl_args *a)
{
    s_noargs(vm, a, f->data ? "timetz" : "time");
    return gl_time_value(vm, s_self(f)->us, f->data ? s_self(f)->tz : NULL);
}

static gl_value s_m_timestamp(gl_vm *vm, gl_func *f, const gl_args *a)
{
    s_noargs(vm, a, "timestamp");   /* naive datetimes are taken as UTC (gluec's local time) */
    int64_t t = gl_dt_instant(s_self(f));
    return gl_float((double)gl_floordiv(t, GL_US_PER_SEC) + (double)(t - gl_floordiv(t, GL_US_PER_SEC) * GL_US_PER_SEC) / 1e6);
}

/* utcoffset() (data 0), dst() (1), tzname() (2) */
static gl_value s_m_tzquery(gl_vm *vm, gl_func *f, const gl_args *a)
{
    static const char *const fnames[] = { "utcoffset", "dst", "tzname" };
    int which = (int)(intptr_t)f->data;
    s_noargs(vm, a, fnames[which]);
    const gl_tz *tz = s_self(f)->tz;
    if (!tz) return gl_none();
    if (which == 0) return gl_timedelta_value(vm, (gl_i128)tz->offset * GL_US_PER_SEC, a->span);
    if (which == 1) {
        if (tz->kind == GL_TZ_FIXED) return gl_none();
        return gl_timedelta_value(vm, (gl_i128)tz->dst * GL_US_PER_SEC, a->span);
    }
    if (tz->name) return gl_cstr(tz->name);
    if (tz->kind == GL_TZ_PYTZ_FIXED) return gl_none();
    gl_buf *b = gl_vm_buf_get(vm);
    gl_tz_print(tz, false, b);
    return gl_vm_buf_str(vm, b);
}

static gl_value s_m_astimezone(gl_vm *vm, gl_func *f, const gl_args *a)
{
    static const char *const names[] = { "tz", NULL };
    gl_value v[1];
    gl_args_bind(vm, a, "astimezone", names, 0, v);
    const gl_dt *d = s_self(f);
    const gl_tz *tz = v[0].kind == GL_MISSING || v[0].kind == GL_NONE ? &gl_tz_utc : gl_tz_arg(vm, v[0], a->span);
    int64_t t = gl_dt_instant(d);           /* naive: gluec's local time is UTC */
    tz = gl_tz_at_utc(vm, tz, gl_floordiv(t, GL_US_PER_SEC));
    t += tz->offset * GL_US_PER_SEC;
    int64_t days = gl_floordiv(t, GL_US_PER_DAY);
    return gl_datetime_value(vm, days, t - days * GL_US_PER_DAY, tz, a->span);
}

static int64_t s_field(gl_vm *vm, const gl_args *a, gl_value v, const char *fname, int64_t keep)
{
    return gl_arg_int(vm, a, v, fname, keep);
}

static void s_check_time(gl_vm *vm, gl_span span, int64_t h, int64_t mi, int64_t s, int64_t us)
{
    if (h < 0 || h > 23) gl_vm_error(vm, GL_ERR_VALUE, span, "hour must be in 0..23");
    if (mi < 0 || mi > 59) gl_vm_error(vm, GL_ERR_VALUE, span, "minute must be in 0..59");
    if (s < 0 || s > 59) gl_vm_error(vm, GL_ERR_VALUE, span, "second must be in 0..59");
    if (us < 0 || us > 999999) gl_vm_error(vm, GL_ERR_VALUE, span, "microsecond must be in 0..999999");
}

/* The fields of a date/datetime/time, in Python's constructor order, from bound
 * arguments v (GL_MISSING keeps base's). kind: 0 date, 1 datetime, 2 time. */
gl_value gl_dt_build(gl_vm *vm, const gl_args *a, const char *fname, int kind, const gl_dt *base,
                     const gl_value *v)
{
    int64_t y = 1900, m = 1, d = 1, h, mi, s, us;
    if (base && kind != 2) { int mm, dd; gl_civil_from_days(base->days, &y, &mm, &dd); m = mm; d = dd; }
    int64_t bus = base ? base->us : 0;
    int at = 0;
    if (kind != 2) {
        y = s_field(vm, a, v[0], fname, y);
        m = s_field(vm, a, v[1], fname, m);
        d = s_field(vm, a, v[2], fname, d);
        at = 3;
    }
    int64_t days = kind == 2 ? 0 : gl_check_date(vm, a->span, y, m, d);
    if (kind == 0) return gl_date_value(vm, days, a->span);
    h = s_field(vm, a, v[at], fname, bus / 3600000000);
    mi = s_field(vm, a, v[at + 1], fname, bus / 60000000 % 60);
    s = s_field(vm, a, v[at + 2], fname, bus / 1000000 % 60);
    us = s_field(vm, a, v[at + 3], fname, bus % 1000000);
    s_check_time(vm, a->span, h, mi, s, us);
    const gl_tz *tz = v[at + 4].kind == GL_MISSING && base ? base->tz : gl_tz_arg(vm, v[at + 4], a->span);
    if (v[at + 5].kind != GL_MISSING) {
        int64_t fold = s_field(vm, a, v[at + 5], fname, 0);
        if (fold != 0 && fold != 1) gl_vm_error(vm, GL_ERR_VALUE, a->span, "fold must be either 0 or 1");
    }
    int64_t t = ((h * 60 + mi) * 60 + s) * GL_US_PER_SEC + us;
    return kind == 1 ? gl_datetime_value(vm, days, t, tz, a->span) : gl_time_value(vm, t, tz);
}

const char *const gl_dt_fields[] = { "year", "month", "day", "hour", "minute", "second", "microsecond",
                                     "tzinfo", "fold", NULL };

static gl_value s_m_replace(gl_vm *vm, gl_func *f, const gl_args *a)
{
    const gl_class *cls = f->self.u.obj->cls;
    int kind = cls == &gl_date_class ? 0 : cls == &gl_datetime_class ? 1 : 2;
    static const char *const date_names[] = { "year", "month", "day", NULL };
    gl_value v[9];
    gl_args_bind(vm, a, "replace", kind == 0 ? date_names : kind == 1 ? gl_dt_fields : gl_dt_fields + 3, 0, v);
    return gl_dt_build(vm, a, "replace", kind, s_self(f), v);
}

static gl_value s_m_total_seconds(gl_vm *vm, gl_func *f, const gl_args *a)
{
    s_noargs(vm, a, "total_seconds");
    return gl_float((double)gl_td_total(f->self.u.obj->data) / 1e6);
}

typedef struct s_method { const char *name; gl_native_fn fn; intptr_t data; } s_method;

static const s_method s_date_methods[] = {
    { "strftime", s_m_strftime, 0 }, { "isoformat", s_m_isoformat, 0 }, { "weekday", s_m_weekday, 0 },
    { "isoweekday", s_m_weekday, 1 }, { "isocalendar", s_m_isocalendar, 0 }, { "toordinal", s_m_toordinal, 0 },
    { "replace", s_m_replace, 0 }, { "ctime", s_m_ctime, 0 }, { NULL, NULL, 0 }
};
static const s_method s_datetime_methods[] = {
    { "date", s_m_date, 0 }, { "time", s_m_time, 0 }, { "timetz", s_m_time, 1 },
    { "timestamp", s_m_timestamp, 0 }, { "utcoffset", s_m_tzquery, 0 }, { "dst", s_m_tzquery, 1 },
    { "tzname", s_m_tzquery, 2 }, { "astimezone", s_m_astimezone, 0 }, { NULL, NULL, 0 }
};
static const s_method s_time_methods[] = {
    { "strftime", s_m_strftime, 0 }, { "isoformat", s_m_isoformat, 0 }, { "replace", s_m_replace, 0 },
    { "utcoffset", s_m_tzquery, 0 }, { "dst", s_m_tzquery, 1 }, { "tzname", s_m_tzquery, 2 },
    { NULL, NULL, 0 }
};

static gl_value s_find_method(gl_vm *vm, gl_object *o, const s_method *t, const char *name, size_t len)
{
    for (; t->name; t++)
        if (s_is(name, len, t->name)) {
            gl_value self = gl_object_new(vm, o->cls, o->data);
            self.u.obj->ops = o->ops;
            return gl_func_new(vm, t->name, t->fn, self, (void *)t->data);
        }
    return gl_missing();
}

/* year..microsecond, tzinfo and fold of a date/datetime/time */
static gl_value s_field_attr(gl_vm *vm, gl_object *o, const char *name, size_t len)
{
    const gl_dt *d = o->data;
    int64_t y = 0;
    int m = 0, dd = 0;
    if (o->cls != &gl_time_class) {
        gl_civil_from_days(d->days, &y, &m, &dd);
        if (s_is(name, len, "year")) return gl_int(y);
        if (s_is(name, len, "month")) return gl_int(m);
        if (s_is(name, len, "day")) return gl_int(dd);
        if (o->cls == &gl_date_class) return gl_missing();
    }
    int64_t s = d->us / GL_US_PER_SEC;
    if (s_is(name, len, "hour")) return gl_int(s / 3600);
    if (s_is(name, len, "minute")) return gl_int(s / 60 % 60);
    if (s_is(name, len, "second")) return gl_int(s % 60);
    if (s_is(name, len, "microsecond")) return gl_int(d->us % GL_US_PER_SEC);
    if (s_is(name, len, "fold")) return gl_int(0);
    if (s_is(name, len, "tzinfo")) return d->tz ? gl_tz_value(vm, d->tz) : gl_none();
    return gl_missing();
}

static gl_value s_getattr(gl_vm *vm, gl_object *o, const char *name, size_t len)
{
    if (!vm) return gl_missing();           /* truth: datetimes have no __len__ */
    if (o->cls == &gl_timedelta_class) {
        const gl_td *td = o->data;
        if (s_is(name, len, "days")) return gl_int(td->days);
        if (s_is(name, len, "seconds")) return gl_int(td->secs);
        if (s_is(name, len, "microseconds")) return gl_int(td->us);
        static const s_method m[] = { { "total_seconds", s_m_total_seconds, 0 }, { NULL, NULL, 0 } };
        return s_find_method(vm, o, m, name, len);
    }
    if (o->cls == &gl_tzinfo_class) return gl_tz_getattr(vm, o, name, len);
    gl_value r = s_field_attr(vm, o, name, len);
    if (r.kind != GL_MISSING) return r;
    if (o->cls == &gl_time_class) return s_find_method(vm, o, s_time_methods, name, len);
    r = s_find_method(vm, o, s_date_methods, name, len);
    if (r.kind == GL_MISSING && o->cls == &gl_datetime_class) r = s_find_method(vm, o, s_datetime_methods, name, len);
    return r;
}

const gl_class gl_date_class = { "datetime.date", s_getattr, NULL, s_str };
const gl_class gl_datetime_class = { "datetime.datetime", s_getattr, NULL, s_str };
const gl_class gl_time_class = { "datetime.time", s_getattr, NULL, s_str };
const gl_class gl_timedelta_class = { "datetime.timedelta", s_getattr, NULL, s_str };
const gl_class gl_tzinfo_class = { "tzinfo", s_getattr, NULL, s_str };

/* ---------------------------------------------------------------- isocalendar() */

static gl_value s_isocal_getattr(gl_vm *vm, gl_object *o, const char *name, size_t len)
{
    gl_list *t = o->data;
    static const char *const names[] = { "year", "week", "weekday" };
    for (int i = 0; i < 3; i++)
        if (s_is(name, len, names[i])) return t->items[i];
    if (s_is(name, len, "__len__")) return gl_int(3);
    if (s_is(name, len, "__sequence__")) return gl_bool(true);
    if (s_is(name, len, "__iter__")) return gl_list_from(vm, t->items, 3, GL_TUPLE);
    return gl_missing();
}

static void s_isocal_print(gl_vm *vm, gl_object *o, gl_buf *out)
{
    (void)vm;
    gl_list *t = o->data;
    gl_buf_printf(out, "datetime.IsoCalendarDate(year=%lld, week=%lld, weekday=%lld)",
                  (long long)t->items[0].u.i, (long long)t->items[1].u.i, (long long)t->items[2].u.i);
}

const gl_class gl_isocal_class = { "datetime.IsoCalendarDate", s_isocal_getattr, NULL, s_isocal_print };

/* ---------------------------------------------------------------- gl_datetime_new */

gl_value gl_datetime_new(gl_vm *vm, int64_t epoch_seconds, int32_t microsecond)
{
    int64_t days = gl_floordiv(epoch_seconds, 86400);
    int64_t us = (epoch_seconds - days * 86400) * GL_US_PER_SEC + microsecond;
    gl_span none = {0};
    return gl_datetime_value(vm, days, us, &gl_tz_pytz_utc, none);
}
