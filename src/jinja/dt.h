/* src/jinja/dt.h - internal to the datetime module (datetime.c, dtformat.c, pytz.c):
 * the representation of date, datetime, time, timedelta and tzinfo objects, the
 * calendar helpers, and the formatting/parsing entry points they share. */
#ifndef GL_DT_H
#define GL_DT_H
#include "jinja/value.h"
#include "jinja/vm.h"

__extension__ typedef __int128 gl_i128;

enum { GL_US_PER_DAY_S = 86400 };
#define GL_US_PER_SEC INT64_C(1000000)
#define GL_US_PER_DAY (INT64_C(86400) * GL_US_PER_SEC)
#define GL_TD_MAX_DAYS INT64_C(999999999)

typedef enum gl_tz_kind {
    GL_TZ_PYTZ_UTC,         /* pytz.utc: <UTC> */
    GL_TZ_FIXED,            /* datetime.timezone(timedelta[, name]) */
    GL_TZ_PYTZ_FIXED,       /* pytz.FixedOffset(minutes) */
    GL_TZ_STATIC,           /* pytz StaticTzInfo (a zone with one offset) */
    GL_TZ_DST               /* pytz DstTzInfo: one (offset, dst, abbreviation) of a zone */
} gl_tz_kind;

typedef struct gl_tzzone gl_tzzone;     /* a parsed TZif file (pytz.c) */

/* Every tzinfo here has one fixed offset, as pytz's instances do. */
typedef struct gl_tz {
    gl_tz_kind kind;
    int32_t offset;         /* seconds east of UTC */
    int32_t dst;            /* seconds of DST in offset (pytz zones) */
    const char *name;       /* tzname(): abbreviation or timezone's name; NULL: none */
    const gl_tzzone *zone;  /* GL_TZ_STATIC / GL_TZ_DST */
} gl_tz;

/* date (days), datetime (days, us, tz) and time (us, tz). */
typedef struct gl_dt {
    int64_t days;           /* since 1970-01-01 */
    int64_t us;             /* microseconds since midnight, wall time */
    const gl_tz *tz;        /* NULL: naive */
} gl_dt;

/* timedelta, normalised as Python does: 0 <= secs < 86400, 0 <= us < 10**6. */
typedef struct gl_td {
    int64_t days, secs, us;
} gl_td;

extern const gl_class gl_date_class, gl_datetime_class, gl_time_class, gl_timedelta_class,
    gl_tzinfo_class;

static inline bool gl_is_a(gl_value v, const gl_class *c) { return v.kind == GL_OBJECT && v.u.obj->cls == c; }
static inline const gl_dt *gl_dt_of(gl_value v) { return v.u.obj->data; }

/* ---- calendar (datetime.c) ---- */
int64_t gl_floordiv(int64_t a, int64_t b);
bool gl_leap(int64_t y);
int gl_month_days(int64_t y, int m);
int64_t gl_days_from_civil(int64_t y, int m, int d);
void gl_civil_from_days(int64_t days, int64_t *y, int *m, int *d);
extern const int64_t gl_days_min, gl_days_max;      /* 0001-01-01, 9999-12-31 */

/* ---- constructors (datetime.c); range errors are raised at span ---- */
gl_value gl_date_value(gl_vm *vm, int64_t days, gl_span span);
gl_value gl_datetime_value(gl_vm *vm, int64_t days, int64_t us, const gl_tz *tz, gl_span span);
gl_value gl_time_value(gl_vm *vm, int64_t us, const gl_tz *tz);
gl_value gl_timedelta_value(gl_vm *vm, gl_i128 total_us, gl_span span);
gl_value gl_tz_value(gl_vm *vm, const gl_tz *tz);
/* Checked y-m-d (Python's messages: "month must be in 1..12"...). */
int64_t gl_check_date(gl_vm *vm, gl_span span, int64_t y, int64_t m, int64_t d);
/* tzinfo argument: None -> NULL, a tzinfo object, else TypeError. */
const gl_tz *gl_tz_arg(gl_vm *vm, gl_value v, gl_span span);
void gl_td_print(const gl_td *td, bool repr, gl_buf *out);
gl_i128 gl_td_total(const gl_td *td);
/* Microseconds since the epoch, in UTC when aware (naive: as if UTC). */
int64_t gl_dt_instant(const gl_dt *d);
/* A date (kind 0), datetime (1) or time (2) from bound constructor arguments v in
 * Python's order (year, month, day, hour, minute, second, microsecond, tzinfo, fold;
 * time starts at hour); GL_MISSING fields keep base's (or the defaults). */
gl_value gl_dt_build(gl_vm *vm, const gl_args *a, const char *fname, int kind, const gl_dt *base,
                     const gl_value *v);
extern const char *const gl_dt_fields[];
/* The operators of every object here (dtops.c) and their repr (datetime.c). */
extern const gl_ops gl_dt_ops;
extern const gl_class gl_isocal_class;
void gl_dt_repr(gl_vm *vm, gl_object *o, gl_buf *out);
extern const gl_tz gl_tz_pytz_utc, gl_tz_utc;

/* ---- formatting and parsing (dtformat.c) ---- */
/* strftime of a date/datetime/time object (glibc's directives, English names). */
void gl_dt_strftime(gl_value obj, const char *f, size_t n, gl_buf *out);
/* "+HH:MM[:SS]" of an offset in seconds (sep ":" or ""). */
void gl_offset_print(int32_t offset, const char *sep, gl_buf *out);
/* datetime.strptime: raises ValueError like Python on a mismatch. */
gl_value gl_dt_strptime(gl_vm *vm, gl_value s, gl_value f, gl_span span);
/* fromisoformat of datetime (want_time), date (neither) or time (time_only). */
gl_value gl_dt_fromiso(gl_vm *vm, gl_value s, const gl_class *cls, gl_span span);
/* A datetime.timezone of a fixed offset (timezone.utc for 0). */
const gl_tz *gl_tz_fixed(gl_vm *vm, int32_t offset);

/* ---- pytz (pytz.c) ---- */
void gl_tz_print(const gl_tz *tz, bool repr, gl_buf *out);
bool gl_tz_equal(const gl_tz *a, const gl_tz *b);
/* tz.fromutc: the tzinfo of a pytz zone in effect at a UTC instant (seconds). */
const gl_tz *gl_tz_at_utc(gl_vm *vm, const gl_tz *tz, int64_t utc_seconds);
/* Methods of tzinfo objects (localize, normalize, utcoffset, zone...). */
gl_value gl_tz_getattr(gl_vm *vm, gl_object *o, const char *name, size_t len);
#endif
