/* src/jinja/datetime.c - a UTC-aware Python datetime for templates (see datetime.h).
 * Calendar arithmetic is done here (proleptic Gregorian, days from the civil date), and
 * strftime spells names in English itself, so no libc locale or time zone is read. */
#include "jinja/datetime.h"
#include "jinja/vm.h"
#include <string.h>

typedef struct gl_datetime {
    int64_t epoch;          /* seconds since 1970-01-01T00:00:00Z */
    int32_t micro;
    int64_t year;
    int month, day, hour, minute, second;
    int weekday;            /* Monday 0 .. Sunday 6, as Python's weekday() */
    int yday;               /* 1 .. 366 */
} gl_datetime;

static const char *const s_days[] = { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                      "Saturday", "Sunday" };
static const char *const s_months[] = { "January", "February", "March", "April", "May", "June", "July",
                                        "August", "September", "October", "November", "December" };

static int64_t s_floordiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

static bool s_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* The civil date of a day count from 1970-01-01 (era arithmetic, 400-year cycles). */
static void s_civil(int64_t days, gl_datetime *d)
{
    int64_t z = days + 719468, era = s_floordiv(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    d->day = (int)(doy - (153 * mp + 2) / 5 + 1);
    d->month = (int)(mp < 10 ? mp + 3 : mp - 9);
    d->year = yoe + era * 400 + (d->month <= 2);
    static const int before[] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
    d->yday = before[d->month - 1] + d->day + (d->month > 2 && s_leap(d->year));
    d->weekday = (int)((days % 7 + 7 + 3) % 7);   /* 1970-01-01 was a Thursday */
}

static void s_put2(gl_buf *b, int v) { gl_buf_printf(b, "%02d", v); }

/* Python's str(): "YYYY-MM-DD HH:MM:SS[.ffffff]+00:00", sep between date and time. */
static void s_iso(const gl_datetime *d, char sep, gl_buf *b)
{
    gl_buf_printf(b, "%04lld-%02d-%02d%c%02d:%02d:%02d", (long long)d->year, d->month, d->day, sep,
                  d->hour, d->minute, d->second);
    if (d->micro) gl_buf_printf(b, ".%06d", d->micro);
    gl_buf_adds(b, "+00:00");
}

static void s_strftime(const gl_datetime *d, const char *f, size_t n, gl_buf *b)
{
    for (size_t i = 0; i < n; i++) {
        if (f[i] != '%' || i + 1 == n) { gl_buf_addc(b, f[i]); continue; }
        char c = f[++i];
        int h12 = d->hour % 12 ? d->hour % 12 : 12;
        switch (c) {
        case 'Y': gl_buf_printf(b, "%lld", (long long)d->year); break;   /* glibc: no padding */
        case 'y': s_put2(b, (int)(((d->year % 100) + 100) % 100)); break;
        case 'm': s_put2(b, d->month); break;
        case 'd': s_put2(b, d->day); break;
        case 'e': gl_buf_printf(b, "%2d", d->day); break;
        case 'H': s_put2(b, d->hour); break;
        case 'I': s_put2(b, h12); break;
        case 'M': s_put2(b, d->minute); break;
        case 'S': s_put2(b, d->second); break;
        case 'f': gl_buf_printf(b, "%06d", d->micro); break;
        case 'p': gl_buf_adds(b, d->hour < 12 ? "AM" : "PM"); break;
        case 'j': gl_buf_printf(b, "%03d", d->yday); break;
        case 'a': gl_buf_printf(b, "%.3s", s_days[d->weekday]); break;
        case 'A': gl_buf_adds(b, s_days[d->weekday]); break;
        case 'w': gl_buf_printf(b, "%d", (d->weekday + 1) % 7); break;
        case 'u': gl_buf_printf(b, "%d", d->weekday + 1); break;
        case 'b': case 'h': gl_buf_printf(b, "%.3s", s_months[d->month - 1]); break;
        case 'B': gl_buf_adds(b, s_months[d->month - 1]); break;
        case 'z': gl_buf_adds(b, "+0000"); break;
        case 'Z': gl_buf_adds(b, "UTC"); break;
        case 's': gl_buf_printf(b, "%lld", (long long)d->epoch); break;
        case 'F': s_strftime(d, "%Y-%m-%d", 8, b); break;
        case 'T': s_strftime(d, "%H:%M:%S", 8, b); break;
        case 'D': s_strftime(d, "%m/%d/%y", 8, b); break;
        case 'R': s_strftime(d, "%H:%M", 5, b); break;
        case '%': gl_buf_addc(b, '%'); break;
        default: gl_buf_addc(b, '%'); gl_buf_addc(b, c); break;   /* glibc keeps unknown directives */
        }
    }
}

static gl_value s_strftime_fn(gl_vm *vm, gl_func *f, const gl_args *a)
{
    static const char *const names[] = { "format", NULL };
    gl_value v[1];
    gl_args_bind(vm, a, "strftime", names, 1, v);
    if (v[0].kind != GL_STR)
        gl_vm_error(vm, GL_ERR_TYPE, a->span, "strftime() argument 1 must be str, not %s", gl_type_name(v[0]));
    gl_buf *b = gl_vm_buf_get(vm);
    s_strftime(f->data, v[0].u.s, v[0].len, b);
    return gl_vm_buf_str(vm, b);
}

static gl_value s_isoformat_fn(gl_vm *vm, gl_func *f, const gl_args *a)
{
    static const char *const names[] = { "sep", NULL };
    gl_value v[1];
    gl_args_bind(vm, a, "isoformat", names, 0, v);
    char sep = 'T';
    if (v[0].kind == GL_STR && v[0].len == 1) sep = v[0].u.s[0];
    else if (v[0].kind != GL_MISSING)
        gl_vm_error(vm, GL_ERR_TYPE, a->span, "isoformat() argument 1 must be a unicode character");
    gl_buf *b = gl_vm_buf_get(vm);
    s_iso(f->data, sep, b);
    return gl_vm_buf_str(vm, b);
}

static gl_value s_timestamp_fn(gl_vm *vm, gl_func *f, const gl_args *a)
{
    gl_args_bind(vm, a, "timestamp", (const char *const[]){ NULL }, 0, NULL);
    const gl_datetime *d = f->data;
    return gl_float((double)d->epoch + d->micro / 1e6);
}

static gl_value s_getattr(gl_vm *vm, gl_object *o, const char *name, size_t len)
{
    const gl_datetime *d = o->data;
    struct { const char *name; int64_t value; } ints[] = {
        { "year", d->year }, { "month", d->month }, { "day", d->day }, { "hour", d->hour },
        { "minute", d->minute }, { "second", d->second }, { "microsecond", d->micro },
    };
    for (size_t i = 0; i < sizeof ints / sizeof *ints; i++)
        if (strlen(ints[i].name) == len && !memcmp(ints[i].name, name, len)) return gl_int(ints[i].value);
    struct { const char *name; gl_native_fn fn; } methods[] = {
        { "strftime", s_strftime_fn }, { "isoformat", s_isoformat_fn }, { "timestamp", s_timestamp_fn },
    };
    for (size_t i = 0; i < sizeof methods / sizeof *methods; i++)
        if (strlen(methods[i].name) == len && !memcmp(methods[i].name, name, len))
            return gl_func_new(vm, methods[i].name, methods[i].fn, gl_missing(), o->data);
    return gl_missing();
}

static void s_print(gl_vm *vm, gl_object *o, gl_buf *out)
{
    (void)vm;
    s_iso(o->data, ' ', out);
}

static const gl_class s_datetime_class = { "datetime.datetime", s_getattr, NULL, s_print };

gl_value gl_datetime_new(gl_vm *vm, int64_t epoch_seconds, int32_t microsecond)
{
    gl_datetime *d = gl_arena_alloc(&vm->arena, sizeof *d);
    memset(d, 0, sizeof *d);
    d->epoch = epoch_seconds;
    d->micro = microsecond;
    int64_t days = s_floordiv(epoch_seconds, 86400), secs = epoch_seconds - days * 86400;
    s_civil(days, d);
    d->hour = (int)(secs / 3600);
    d->minute = (int)(secs / 60 % 60);
    d->second = (int)(secs % 60);
    return gl_object_new(vm, &s_datetime_class, d);
}
