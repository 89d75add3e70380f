/* src/jinja/pytz.c - tzinfo objects and dbt's modules.pytz: pytz.utc, datetime.timezone
 * (fixed offsets from fromisoformat/strptime), pytz.FixedOffset and pytz.timezone(name)
 * read from the TZif files of /usr/share/zoneinfo the way pytz builds its zones (the
 * version 1 data, offsets rounded to minutes, one fixed-offset tzinfo per transition,
 * localize/normalize/astimezone). Reading tzdata is the only input besides the project. */
#include "jinja/datetime.h"
#include "jinja/dt.h"
#include <stdio.h>
#include <string.h>
#include <strings.h>

struct gl_tzzone {
    const char *name;
    uint32_t n;             /* transitions; trans[0] is "the beginning of time" */
    int64_t *trans;         /* UTC seconds */
    gl_tz *info;            /* the tzinfo in effect from trans[i] */
};

const gl_tz gl_tz_pytz_utc = { GL_TZ_PYTZ_UTC, 0, 0, "UTC", NULL };
const gl_tz gl_tz_utc = { GL_TZ_FIXED, 0, 0, NULL, NULL };

static bool s_is(const char *name, size_t len, const char *lit)
{
    return strlen(lit) == len && !memcmp(name, lit, len);
}

/* ---------------------------------------------------------------- printing */

static void s_td_str(int32_t seconds, gl_buf *out)
{
    gl_td td = { gl_floordiv(seconds, 86400), seconds - gl_floordiv(seconds, 86400) * 86400, 0 };
    gl_td_print(&td, false, out);
}

void gl_tz_print(const gl_tz *tz, bool repr, gl_buf *out)
{
    switch (tz->kind) {
    case GL_TZ_PYTZ_UTC: gl_buf_adds(out, repr ? "<UTC>" : "UTC"); break;
    case GL_TZ_FIXED:
        if (!repr) {
            gl_buf_adds(out, "UTC");
            if (tz->offset) gl_offset_print(tz->offset, ":", out);
        } else if (!tz->offset) gl_buf_adds(out, "datetime.timezone.utc");
        else {
            gl_td td = { gl_floordiv(tz->offset, 86400), tz->offset - gl_floordiv(tz->offset, 86400) * 86400, 0 };
            gl_buf_adds(out, "datetime.timezone(");
            gl_td_print(&td, true, out);
            gl_buf_addc(out, ')');
        }
        break;
    case GL_TZ_PYTZ_FIXED: gl_buf_printf(out, "pytz.FixedOffset(%d)", tz->offset / 60); break;
    case GL_TZ_STATIC:
        if (repr) gl_buf_printf(out, "<StaticTzInfo '%s'>", tz->zone->name);
        else gl_buf_adds(out, tz->zone->name);
        break;
    case GL_TZ_DST:
        if (!repr) { gl_buf_adds(out, tz->zone->name); break; }
        gl_buf_printf(out, "<DstTzInfo '%s' %s%s", tz->zone->name, tz->name, tz->offset > 0 ? "+" : "");
        s_td_str(tz->offset, out);
        gl_buf_adds(out, tz->dst ? " DST>" : " STD>");
        break;
    }
}

bool gl_tz_equal(const gl_tz *a, const gl_tz *b)
{
    if (a == b) return true;
    if (a->kind != b->kind || a->offset != b->offset || a->dst != b->dst) return false;
    if ((a->name == NULL) != (b->name == NULL) || (a->name && strcmp(a->name, b->name))) return false;
    return !a->zone || !strcmp(a->zone->name, b->zone->name);
}

/* ---------------------------------------------------------------- zones */

static uint32_t s_bisect(const gl_tzzone *z, int64_t t)   /* last transition at or before t */
{
    uint32_t lo = 0, hi = z->n;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (z->trans[mid] <= t) lo = mid + 1;
        else hi = mid;
    }
    return lo ? lo - 1 : 0;
}

const gl_tz *gl_tz_at_utc(gl_vm *vm, const gl_tz *tz, int64_t utc_seconds)
{
    (void)vm;
    if (tz->kind != GL_TZ_DST) return tz;
    return &tz->zone->info[s_bisect(tz->zone, utc_seconds)];
}

static uint32_t s_be32(const unsigned char *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

static int32_t s_round_min(int32_t s) { return (int32_t)gl_floordiv(s + 30, 60) * 60; }

typedef struct s_ttinfo { int32_t off; bool isdst; const char *abbr; } s_ttinfo;

static bool s_tt_same(const s_ttinfo *a, const s_ttinfo *b)
{
    return a->off == b->off && a->isdst == b->isdst && !strcmp(a->abbr, b->abbr);
}

/* pytz's DST amount: the offset over the previous standard time, else a later one. */
static int32_t s_dst_amount(const s_ttinfo *tt, const uint8_t *idx, uint32_t n, uint32_t i)
{
    const s_ttinfo *inf = &tt[idx[i]];
    if (!inf->isdst) return 0;
    const s_ttinfo *prev = inf;
    for (uint32_t j = i; j-- > 0;) {
        prev = &tt[idx[j]];
        if (!prev->isdst) break;
    }
    int32_t dst = inf->off - prev->off;
    if (dst <= 0 || dst > 3 * 3600)
        for (uint32_t j = i + 1; j < n; j++)
            if (!tt[idx[j]].isdst && (dst = inf->off - tt[idx[j]].off) > 0) break;
    return dst;
}

/* Builds the zone from a TZif file's version 1 data; NULL if malformed. */
static gl_tzzone *s_zone_parse(gl_vm *vm, const char *name, const unsigned char *p, size_t len)
{
    if (len < 44 || memcmp(p, "TZif", 4)) return NULL;
    uint32_t timecnt = s_be32(p + 32), typecnt = s_be32(p + 36), charcnt = s_be32(p + 40);
    size_t need = 44 + (size_t)timecnt * 5 + (size_t)typecnt * 6 + charcnt;
    if (typecnt == 0 || typecnt > 256 || timecnt > 100000 || need > len) return NULL;
    const unsigned char *tp = p + 44, *ip = tp + timecnt * 4, *ttp = ip + timecnt, *cp = ttp + typecnt * 6;
    char *chars = gl_vm_alloc(vm, charcnt + 1);
    memcpy(chars, cp, charcnt);
    chars[charcnt] = 0;
    s_ttinfo *tt = gl_vm_alloc(vm, typecnt * sizeof *tt);
    for (uint32_t i = 0; i < typecnt; i++) {
        tt[i].off = (int32_t)s_be32(ttp + 6 * i);
        tt[i].isdst = ttp[6 * i + 4] != 0;
        tt[i].abbr = ttp[6 * i + 5] <= charcnt ? chars + ttp[6 * i + 5] : "";
    }
    gl_tzzone *z = gl_vm_alloc(vm, sizeof *z);
    z->name = gl_arena_strndup(&vm->arena, name, strlen(name));
    uint8_t *idx = gl_vm_alloc(vm, timecnt + 1);
    z->trans = gl_vm_alloc(vm, (timecnt + 1) * sizeof *z->trans);
    for (uint32_t i = 0; i < timecnt; i++) {
        idx[i] = ip[i] < typecnt ? ip[i] : 0;
        z->trans[i] = (int32_t)s_be32(tp + 4 * i);
    }
    z->n = timecnt;
    if (typecnt == 1 || timecnt == 0) {
        z->n = 1;
        z->info = gl_vm_alloc(vm, sizeof *z->info);
        z->info[0] = (gl_tz){ GL_TZ_STATIC, tt[0].off, 0, tt[0].abbr, z };
        return z;
    }
    uint32_t first = 0;
    while (first < typecnt - 1 && tt[first].isdst) first++;
    if (!s_tt_same(&tt[first], &tt[idx[0]])) {       /* early dates: the first standard time */
        memmove(z->trans + 1, z->trans, timecnt * sizeof *z->trans);
        memmove(idx + 1, idx, timecnt);
        idx[0] = (uint8_t)first;
        z->n++;
    }
    z->trans[0] = INT64_MIN;
    z->info = gl_vm_alloc(vm, z->n * sizeof *z->info);
    for (uint32_t i = 0; i < z->n; i++) {
        const s_ttinfo *inf = &tt[idx[i]];
        z->info[i] = (gl_tz){ GL_TZ_DST, s_round_min(inf->off), s_round_min(s_dst_amount(tt, idx, z->n, i)), inf->abbr, z };
    }
    return z;
}

static bool s_zone_name_ok(const char *s, size_t n)
{
    if (n == 0 || n > 200 || s[0] == '/') return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || strchr("_+-/", c);
        if (!ok || (c == '/' && (i + 1 == n || s[i + 1] == '/'))) return false;
    }
    return true;
}

static const gl_tz *s_zone_load(gl_vm *vm, const char *name)
{
    char path[300];
    snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", name);
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    unsigned char *data = NULL;
    size_t len = 0;
    if (fseek(f, 0, SEEK_END) == 0) {
        long sz = ftell(f);
        if (sz > 0 && sz < (1 << 22) && fseek(f, 0, SEEK_SET) == 0) {
            data = gl_vm_alloc(vm, (size_t)sz);
            len = fread(data, 1, (size_t)sz, f);
        }
    }
    fclose(f);
    const gl_tzzone *z = data ? s_zone_parse(vm, name, data, len) : NULL;
    return z ? &z->info[0] : NULL;
}

/* ---------------------------------------------------------------- localize */

static bool s_naive_dt(gl_value v) { return gl_is_a(v, &gl_datetime_class) && !gl_dt_of(v)->tz; }

/* The tzinfo of zone tz under which wall time w (microseconds, naive) reads back as w. */
static const gl_tz *s_normalized(const gl_tz *inf, int64_t w, int64_t *wall_back)
{
    int64_t utc = w - inf->offset * GL_US_PER_SEC;
    const gl_tz *got = &inf->zone->info[s_bisect(inf->zone, gl_floordiv(utc, GL_US_PER_SEC))];
    *wall_back = utc + got->offset * GL_US_PER_SEC;
    return got;
}

_Noreturn static void s_pytz_error(gl_vm *vm, gl_span span, const char *cls, int64_t w)
{
    int64_t days = gl_floordiv(w, GL_US_PER_DAY), y;
    int m, d;
    gl_civil_from_days(days, &y, &m, &d);
    int64_t s = (w - days * GL_US_PER_DAY) / GL_US_PER_SEC;
    gl_vm_error(vm, GL_ERR_VALUE, span, "%s: %04lld-%02d-%02d %02d:%02d:%02d", cls, (long long)y, m, d,
                (int)(s / 3600), (int)(s / 60 % 60), (int)(s % 60));
}

/* pytz's localize for a DST zone; is_dst: 0, 1, or -1 (None). Returns the tzinfo. */
static const gl_tz *s_localize(gl_vm *vm, const gl_tz *zone, int64_t w, int is_dst, gl_span span)
{
    const gl_tz *cand[2];
    int n = 0;
    for (int k = -1; k <= 1; k += 2) {
        int64_t probe = gl_floordiv(w + k * GL_US_PER_DAY, GL_US_PER_SEC), back;
        const gl_tz *inf = &zone->zone->info[s_bisect(zone->zone, probe)];
        const gl_tz *got = s_normalized(inf, w, &back);
        if (back == w && !(n == 1 && cand[0]->offset == got->offset)) cand[n++] = got;
    }
    if (n == 1) return cand[0];
    if (n == 0) {
        if (is_dst < 0) s_pytz_error(vm, span, "NonExistentTimeError", w);
        int64_t shift = 6 * 3600 * GL_US_PER_SEC * (is_dst ? 1 : -1);
        return s_localize(vm, zone, w + shift, is_dst, span);
    }
    if (is_dst < 0) s_pytz_error(vm, span, "AmbiguousTimeError", w);
    bool m0 = (cand[0]->dst != 0) == is_dst, m1 = (cand[1]->dst != 0) == is_dst;
    if (m0 != m1) return m0 ? cand[0] : cand[1];
    /* both or neither match: earliest UTC for is_dst, latest otherwise */
    bool first_earlier = cand[0]->offset > cand[1]->offset;
    return (first_earlier == (is_dst != 0)) ? cand[0] : cand[1];
}

static gl_value s_m_localize(gl_vm *vm, gl_func *f, const gl_args *a)
{
    static const char *const names[] = { "dt", "is_dst", NULL };
    gl_value v[2];
    gl_args_bind(vm, a, "localize", names, 1, v);
    const gl_tz *tz = f->self.u.obj->data;
    if (!gl_is_a(v[0], &gl_datetime_class)) gl_vm_error(vm, GL_ERR_TYPE, a->span, "localize() needs a datetime");
    if (!s_naive_dt(v[0])) gl_vm_error(vm, GL_ERR_VALUE, a->span, "Not naive datetime (tzinfo is already set)");
    const gl_dt *d = gl_dt_of(v[0]);
    if (tz->kind == GL_TZ_DST) {
        int is_dst = v[1].kind == GL_MISSING ? 0 : v[1].kind == GL_NONE ? -1 : gl_truthy(v[1]);
        int64_t w = d->days * GL_US_PER_DAY + d->us;
        tz = s_localize(vm, tz, w, is_dst, a->span);   /* a skipped time keeps its wall clock */
    }
    return gl_datetime_value(vm, d->days, d->us, tz, a->span);
}

static gl_value s_m_normalize(gl_vm *vm, gl_func *f, const gl_args *a)
{
    static const char *const names[] = { "dt", NULL };
    gl_value v[1];
    gl_args_bind(vm, a, "normalize", names, 1, v);
    if (!gl_is_a(v[0], &gl_datetime_class)) gl_vm_error(vm, GL_ERR_TYPE, a->span, "normalize() needs a datetime");
    if (s_naive_dt(v[0])) gl_vm_error(vm, GL_ERR_VALUE, a->span, "Naive time - no tzinfo set");
    int64_t t = gl_dt_instant(gl_dt_of(v[0]));
    const gl_tz *tz = gl_tz_at_utc(vm, f->self.u.obj->data, gl_floordiv(t, GL_US_PER_SEC));
    t += tz->offset * GL_US_PER_SEC;
    int64_t days = gl_floordiv(t, GL_US_PER_DAY);
    return gl_datetime_value(vm, days, t - days * GL_US_PER_DAY, tz, a->span);
}

/* utcoffset(dt) (data 0), dst(dt) (1), tzname(dt) (2): a naive dt is localized first */
static gl_value s_m_query(gl_vm *vm, gl_func *f, const gl_args *a)
{
    static const char *const names[] = { "dt", NULL };
    static const char *const fnames[] = { "utcoffset", "dst", "tzname" };
    int which = (int)(intptr_t)f->data;
    gl_value v[1];
    gl_args_bind(vm, a, fnames[which], names, 1, v);
    const gl_tz *tz = f->self.u.obj->data;
    if (tz->kind == GL_TZ_DST && v[0].kind == GL_NONE) return gl_none();
    if (tz->kind == GL_TZ_DST && s_naive_dt(v[0])) {
        const gl_dt *d = gl_dt_of(v[0]);
        tz = s_localize(vm, tz, d->days * GL_US_PER_DAY + d->us, 0, a->span);
    }
    if (which == 0) return gl_timedelta_value(vm, (gl_i128)tz->offset * GL_US_PER_SEC, a->span);
    if (which == 1) return tz->kind == GL_TZ_FIXED ? gl_none() : gl_timedelta_value(vm, (gl_i128)tz->dst * GL_US_PER_SEC, a->span);
    if (tz->name) return gl_cstr(tz->name);
    if (tz->kind == GL_TZ_PYTZ_FIXED) return gl_none();
    gl_buf *b = gl_vm_buf_get(vm);
    gl_tz_print(tz, false, b);
    return gl_vm_buf_str(vm, b);
}

gl_value gl_tz_getattr(gl_vm *vm, gl_object *o, const char *name, size_t len)
{
    const gl_tz *tz = o->data;
    if (s_is(name, len, "zone")) {
        if (tz->zone) return gl_cstr(tz->zone->name);
        return tz->kind == GL_TZ_PYTZ_UTC ? gl_cstr("UTC") : gl_missing();
    }
    struct { const char *name; gl_native_fn fn; intptr_t data; bool pytz; } m[] = {
        { "localize", s_m_localize, 0, true }, { "normalize", s_m_normalize, 0, true },
        { "utcoffset", s_m_query, 0, false }, { "dst", s_m_query, 1, false }, { "tzname", s_m_query, 2, false },
    };
    for (size_t i = 0; i < sizeof m / sizeof *m; i++)
        if (s_is(name, len, m[i].name) && (!m[i].pytz || tz->kind != GL_TZ_FIXED)) {
            gl_value self = gl_tz_value(vm, tz);
            return gl_func_new(vm, m[i].name, m[i].fn, self, (void *)m[i].data);
        }
    return gl_missing();
}

/* ---------------------------------------------------------------- the module */

static gl_value s_timezone(gl_vm *vm, gl_func *f, const gl_args *a)
{
    static const char *const names[] = { "zone", NULL };
    gl_value v[1];
    (void)f;
    gl_args_bind(vm, a, "timezone", names, 1, v);
    if (v[0].kind != GL_STR) gl_vm_error(vm, GL_ERR_KEY, a->span, "UnknownTimeZoneError: %s", gl_type_name(v[0]));
    if (v[0].len == 3 && !strncasecmp(v[0].u.s, "UTC", 3)) return gl_tz_value(vm, &gl_tz_pytz_utc);
    char name[256];
    const gl_tz *tz = NULL;
    if (s_zone_name_ok(v[0].u.s, v[0].len)) {
        snprintf(name, sizeof name, "%.*s", (int)v[0].len, v[0].u.s);
        tz = s_zone_load(vm, name);
    }
    if (!tz) gl_vm_error(vm, GL_ERR_KEY, a->span, "UnknownTimeZoneError: '%.*s'", (int)v[0].len, v[0].u.s);
    return gl_tz_value(vm, tz);
}

static gl_value s_fixed_offset(gl_vm *vm, gl_func *f, const gl_args *a)
{
    static const char *const names[] = { "offset", NULL };
    gl_value v[1];
    (void)f;
    gl_args_bind(vm, a, "FixedOffset", names, 1, v);
    int64_t minutes = gl_arg_int(vm, a, v[0], "FixedOffset", 0);
    if (minutes == 0) return gl_tz_value(vm, &gl_tz_pytz_utc);
    if (minutes <= -1440 || minutes >= 1440)
        gl_vm_error(vm, GL_ERR_VALUE, a->span, "absolute offset is too large");
    gl_tz *tz = gl_vm_alloc(vm, sizeof *tz);
    *tz = (gl_tz){ GL_TZ_PYTZ_FIXED, (int32_t)minutes * 60, 0, NULL, NULL };
    return gl_tz_value(vm, tz);
}

/* pytz's exception classes and BaseTzInfo: names only (raised errors carry the name). */
static void s_class_print(gl_vm *vm, gl_object *o, gl_buf *out)
{
    (void)vm;
    gl_buf_printf(out, "<class '%s'>", (const char *)o->data);
}

static const gl_class s_class_class = { "type", NULL, NULL, s_class_print };

gl_value gl_pytz_module(gl_vm *vm)
{
    gl_value m = gl_dict_new(vm);
    gl_dict *d = m.u.dict;
    gl_dict_set_cstr(vm, d, "timezone", gl_func_new(vm, "timezone", s_timezone, gl_missing(), NULL));
    gl_dict_set_cstr(vm, d, "utc", gl_tz_value(vm, &gl_tz_pytz_utc));
    static const char *const classes[][2] = {
        { "AmbiguousTimeError", "pytz.exceptions.AmbiguousTimeError" },
        { "InvalidTimeError", "pytz.exceptions.InvalidTimeError" },
        { "NonExistentTimeError", "pytz.exceptions.NonExistentTimeError" },
        { "UnknownTimeZoneError", "pytz.exceptions.UnknownTimeZoneError" },
        { "BaseTzInfo", "pytz.tzinfo.BaseTzInfo" },
    };
    for (size_t i = 0; i < sizeof classes / sizeof *classes; i++)
        gl_dict_set_cstr(vm, d, classes[i][0], gl_object_new(vm, &s_class_class, (void *)classes[i][1]));
    gl_dict_set_cstr(vm, d, "FixedOffset", gl_func_new(vm, "FixedOffset", s_fixed_offset, gl_missing(), NULL));
    return m;
}
