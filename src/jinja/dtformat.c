/* src/jinja/dtformat.c - text forms of datetime objects: strftime (glibc's directives
 * and flags, names in English, no locale or time zone read), strptime (Python's
 * _strptime matching rules: alternatives tried in order with backtracking, case
 * insensitive) and fromisoformat (Python 3.11's ISO 8601 subset). */
#include "jinja/dt.h"
#include <ctype.h>
#include <string.h>

static const char *const s_days[] = { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                      "Saturday", "Sunday" };
static const char *const s_months[] = { "January", "February", "March", "April", "May", "June", "July",
                                        "August", "September", "October", "November", "December" };

/* The broken-down fields strftime reads. */
typedef struct s_tm {
    int64_t year, days, iso_year;
    int month, day, hour, minute, second, micro, weekday, yday, iso_week;
    const gl_tz *tz;
    bool has_time_tz;       /* datetime/time: %z/%Z come from tz (empty when naive) */
} s_tm;

static void s_tm_of(gl_value obj, s_tm *t)
{
    const gl_dt *d = obj.u.obj->data;
    bool is_time = obj.u.obj->cls == &gl_time_class;
    memset(t, 0, sizeof *t);
    t->days = is_time ? gl_days_from_civil(1900, 1, 1) : d->days;
    gl_civil_from_days(t->days, &t->year, &t->month, &t->day);
    t->weekday = (int)((t->days % 7 + 7 + 3) % 7);
    t->yday = (int)(t->days - gl_days_from_civil(t->year, 1, 1)) + 1;
    int64_t thursday = t->days + 3 - t->weekday, y;
    int m, dd;
    gl_civil_from_days(thursday, &y, &m, &dd);
    t->iso_year = y;
    t->iso_week = (int)((thursday - gl_days_from_civil(y, 1, 1)) / 7 + 1);
    if (obj.u.obj->cls != &gl_date_class) {
        int64_t s = d->us / GL_US_PER_SEC;
        t->hour = (int)(s / 3600);
        t->minute = (int)(s / 60 % 60);
        t->second = (int)(s % 60);
        t->micro = (int)(d->us % GL_US_PER_SEC);
        t->tz = d->tz;
    }
}

typedef struct s_spec {
    char flag;              /* 0, '-', '_', '0', '^', '#' */
    int width;              /* 0: default */
} s_spec;

static void s_num(gl_buf *b, const s_spec *sp, int64_t v, int digits, char pad)
{
    if (sp->flag == '-') { gl_buf_printf(b, "%lld", (long long)v); return; }
    if (sp->flag == '_') pad = ' ';
    else if (sp->flag == '0') pad = '0';
    int w = sp->width ? sp->width : digits;
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "%lld", (long long)(v < 0 ? -v : v)) + (v < 0);
    if (v < 0 && pad == '0') gl_buf_addc(b, '-');
    for (int i = n; i < w; i++) gl_buf_addc(b, pad);
    if (v < 0 && pad != '0') gl_buf_addc(b, '-');
    gl_buf_adds(b, tmp);
}

static void s_text(gl_buf *b, const s_spec *sp, const char *s, size_t n)
{
    for (int i = (int)n; i < sp->width; i++) gl_buf_addc(b, sp->flag == '0' ? '0' : ' ');
    for (size_t i = 0; i < n; i++)
        gl_buf_addc(b, sp->flag == '^' || sp->flag == '#' ? (char)toupper((unsigned char)s[i]) : s[i]);
}

static void s_strftime(const s_tm *t, const char *f, size_t n, gl_buf *b);

static void s_tz_name(const s_tm *t, gl_buf *b)
{
    if (!t->tz) return;
    if (t->tz->name) gl_buf_adds(b, t->tz->name);
    else if (t->tz->kind != GL_TZ_PYTZ_FIXED) gl_tz_print(t->tz, false, b);
}

/* One conversion c; false if glibc does not know it. */
static bool s_directive(const s_tm *t, char c, const s_spec *sp, gl_buf *b)
{
    int h12 = t->hour % 12 ? t->hour % 12 : 12, sun = (t->weekday + 1) % 7;
    switch (c) {
    case 'Y': s_num(b, sp, t->year, 1, '0'); break;
    case 'G': s_num(b, sp, t->iso_year, 1, '0'); break;
    case 'C': s_num(b, sp, t->year / 100, 1, '0'); break;
    case 'y': s_num(b, sp, t->year % 100, 2, '0'); break;
    case 'g': s_num(b, sp, t->iso_year % 100, 2, '0'); break;
    case 'm': s_num(b, sp, t->month, 2, '0'); break;
    case 'd': s_num(b, sp, t->day, 2, '0'); break;
    case 'e': s_num(b, sp, t->day, 2, ' '); break;
    case 'H': s_num(b, sp, t->hour, 2, '0'); break;
    case 'k': s_num(b, sp, t->hour, 2, ' '); break;
    case 'I': s_num(b, sp, h12, 2, '0'); break;
    case 'l': s_num(b, sp, h12, 2, ' '); break;
    case 'M': s_num(b, sp, t->minute, 2, '0'); break;
    case 'S': s_num(b, sp, t->second, 2, '0'); break;
    case 'j': s_num(b, sp, t->yday, 3, '0'); break;
    case 'u': s_num(b, sp, t->weekday + 1, 1, '0'); break;
    case 'w': s_num(b, sp, sun, 1, '0'); break;
    case 'U': s_num(b, sp, (t->yday - 1 + 7 - sun) / 7, 2, '0'); break;
    case 'W': s_num(b, sp, (t->yday - 1 + 7 - t->weekday) / 7, 2, '0'); break;
    case 'V': s_num(b, sp, t->iso_week, 2, '0'); break;
    case 's': s_num(b, sp, t->days * 86400 + t->hour * 3600 + t->minute * 60 + t->second, 1, '0'); break;
    case 'f': gl_buf_printf(b, "%06d", t->micro); break;
    case 'p': s_text(b, sp, t->hour < 12 ? "AM" : "PM", 2); break;
    case 'P': s_text(b, sp, t->hour < 12 ? "am" : "pm", 2); break;
    case 'a': s_text(b, sp, s_days[t->weekday], 3); break;
    case 'A': s_text(b, sp, s_days[t->weekday], strlen(s_days[t->weekday])); break;
    case 'b': case 'h': s_text(b, sp, s_months[t->month - 1], 3); break;
    case 'B': s_text(b, sp, s_months[t->month - 1], strlen(s_months[t->month - 1])); break;
    case 'z': if (t->tz) gl_offset_print(t->tz->offset, "", b); break;
    case 'Z': s_tz_name(t, b); break;
    case 'n': gl_buf_addc(b, '\n'); break;
    case 't': gl_buf_addc(b, '\t'); break;
    case '%': gl_buf_addc(b, '%'); break;
    case 'c': s_strftime(t, "%a %b %e %H:%M:%S %Y", 20, b); break;
    case 'x': case 'D': s_strftime(t, "%m/%d/%y", 8, b); break;
    case 'X': case 'T': s_strftime(t, "%H:%M:%S", 8, b); break;
    case 'F': s_strftime(t, "%Y-%m-%d", 8, b); break;
    case 'R': s_strftime(t, "%H:%M", 5, b); break;
    case 'r': s_strftime(t, "%I:%M:%S %p", 11, b); break;
    default: return false;
    }
    return true;
}

static void s_strftime(const s_tm *t, const char *f, size_t n, gl_buf *b)
{
    for (size_t i = 0; i < n; i++) {
        if (f[i] != '%' || i + 1 == n) { gl_buf_addc(b, f[i]); continue; }
        size_t start = i++;
        s_spec sp = { 0, 0 };
        if (i < n && strchr("-_0^#", f[i])) sp.flag = f[i++];
        while (i < n && f[i] >= '0' && f[i] <= '9' && sp.width < 1000) sp.width = sp.width * 10 + (f[i++] - '0');
        if (i < n && (f[i] == 'E' || f[i] == 'O')) i++;
        if (i == n || !s_directive(t, f[i], &sp, b)) {   /* glibc copies what it does not know */
            if (i == n) i--;
            gl_buf_add(b, f + start, i + 1 - start);
        }
    }
}

void gl_dt_strftime(gl_value obj, const char *f, size_t n, gl_buf *out)
{
    s_tm t;
    s_tm_of(obj, &t);
    s_strftime(&t, f, n, out);
}

const gl_tz *gl_tz_fixed(gl_vm *vm, int32_t offset)
{
    if (offset == 0) return &gl_tz_utc;
    gl_tz *tz = gl_vm_alloc(vm, sizeof *tz);
    memset(tz, 0, sizeof *tz);
    tz->kind = GL_TZ_FIXED;
    tz->offset = offset;
    return tz;
}

/* ---------------------------------------------------------------- strptime */

typedef struct s_parsed {
    int64_t year, month, day, hour, minute, second, micro, julian;
    int ampm;               /* 0 none, 1 am, 2 pm */
    bool has_i, has_tz;
    int32_t offset;
} s_parsed;

typedef struct s_scan {
    const char *s, *f;
    size_t ns, nf;
    s_parsed p;
} s_scan;

static bool s_match(s_scan *sc, size_t fi, size_t si, size_t *end);

static bool s_digits(const char *s, size_t n, size_t at, size_t k, int64_t *v)
{
    if (at + k > n) return false;
    *v = 0;
    for (size_t i = 0; i < k; i++) {
        if (s[at + i] < '0' || s[at + i] > '9') return false;
        *v = *v * 10 + (s[at + i] - '0');
    }
    return true;
}

static int64_t *s_slot(s_parsed *p, char c)
{
    switch (c) {
    case 'd': return &p->day;
    case 'm': return &p->month;
    case 'H': case 'I': return &p->hour;
    case 'M': return &p->minute;
    case 'S': return &p->second;
    case 'j': return &p->julian;
    default: return &p->year;
    }
}

/* A number of 2 digits then 1 (3, 2, 1 for %j) within [lo, hi]; each candidate is
 * tried with the rest of the format, as the regex alternatives would be. */
static bool s_try_number(s_scan *sc, char c, size_t fi, size_t si, size_t *end)
{
    int64_t lo = c == 'd' || c == 'm' || c == 'I' || c == 'j' ? 1 : 0;
    int64_t hi = c == 'd' ? 31 : c == 'm' ? 12 : c == 'H' ? 23 : c == 'I' ? 12 : c == 'j' ? 366 : c == 'S' ? 61 : 59;
    int maxd = c == 'j' ? 3 : 2;
    for (int k = maxd; k >= 1; k--) {
        int64_t v;
        if (!s_digits(sc->s, sc->ns, si, (size_t)k, &v) || v < lo || v > hi) continue;
        s_parsed saved = sc->p;
        *s_slot(&sc->p, c) = v;
        if (c == 'I') sc->p.has_i = true;
        if (s_match(sc, fi, si + (size_t)k, end)) return true;
        sc->p = saved;
    }
    if (c == 'd' && si + 1 < sc->ns && sc->s[si] == ' ' && sc->s[si + 1] >= '1' && sc->s[si + 1] <= '9') {
        s_parsed saved = sc->p;
        sc->p.day = sc->s[si + 1] - '0';
        if (s_match(sc, fi, si + 2, end)) return true;
        sc->p = saved;
    }
    return false;
}

static bool s_prefix_ci(const char *s, size_t n, size_t at, const char *w, size_t k)
{
    if (at + k > n) return false;
    for (size_t i = 0; i < k; i++)
        if (tolower((unsigned char)s[at + i]) != tolower((unsigned char)w[i])) return false;
    return true;
}

/* Names: full names first, then abbreviations (the regex lists longer ones first). */
static bool s_try_name(s_scan *sc, const char *const *names, int count, bool full, int64_t *slot,
                       int base, size_t fi, size_t si, size_t *end)
{
    for (int i = 0; i < count; i++) {
        size_t k = full ? strlen(names[i]) : 3;
        if (!s_prefix_ci(sc->s, sc->ns, si, names[i], k)) continue;
        s_parsed saved = sc->p;
        if (slot) *slot = i + base;
        if (s_match(sc, fi, si + k, end)) return true;
        sc->p = saved;
    }
    return false;
}

static bool s_try_fraction(s_scan *sc, size_t fi, size_t si, size_t *end)
{
    for (int k = 6; k >= 1; k--) {
        int64_t v;
        if (!s_digits(sc->s, sc->ns, si, (size_t)k, &v)) continue;
        s_parsed saved = sc->p;
        for (int i = k; i < 6; i++) v *= 10;
        sc->p.micro = v;
        if (s_match(sc, fi, si + (size_t)k, end)) return true;
        sc->p = saved;
    }
    return false;
}

/* %z: Z, or [+-]HH[:]MM[[:]SS[.ffffff]] */
static bool s_try_offset(s_scan *sc, size_t fi, size_t si, size_t *end)
{
    const char *s = sc->s;
    size_t n = sc->ns, i = si;
    s_parsed saved = sc->p;
    if (i < n && s[i] == 'Z') {
        sc->p.has_tz = true;
        sc->p.offset = 0;
        if (s_match(sc, fi, i + 1, end)) return true;
        sc->p = saved;
        return false;
    }
    int64_t hh, mm, ss = 0;
    if (i >= n || (s[i] != '+' && s[i] != '-') || !s_digits(s, n, i + 1, 2, &hh)) return false;
    int sign = s[i] == '-' ? -1 : 1;
    i += 3;
    bool colon = i < n && s[i] == ':';
    if (colon) i++;
    if (!s_digits(s, n, i, 2, &mm) || mm > 59) return false;
    i += 2;
    size_t j = i + (colon && i < n && s[i] == ':');
    if ((!colon || j > i) && s_digits(s, n, j, 2, &ss) && ss <= 59) i = j + 2;
    else ss = 0;
    sc->p.has_tz = true;
    sc->p.offset = (int32_t)(sign * (hh * 3600 + mm * 60 + ss));
    if (s_match(sc, fi, i, end)) return true;
    sc->p = saved;
    return false;
}

static bool s_try_directive(s_scan *sc, char c, size_t fi, size_t si, size_t *end)
{
    int64_t v;
    s_parsed saved = sc->p;
    static const char *const ampm[] = { "am", "pm" };
    switch (c) {
    case 'd': case 'm': case 'H': case 'I': case 'M': case 'S': case 'j':
        return s_try_number(sc, c, fi, si, end);
    case 'Y': case 'y':
        if (!s_digits(sc->s, sc->ns, si, c == 'Y' ? 4 : 2, &v)) return false;
        sc->p.year = c == 'Y' ? v : v + (v < 69 ? 2000 : 1900);
        if (s_match(sc, fi, si + (c == 'Y' ? 4 : 2), end)) return true;
        sc->p = saved;
        return false;
    case 'f': return s_try_fraction(sc, fi, si, end);
    case 'z': return s_try_offset(sc, fi, si, end);
    case 'b': case 'B':
        return s_try_name(sc, s_months, 12, c == 'B', &sc->p.month, 1, fi, si, end);
    case 'a': case 'A':
        return s_try_name(sc, s_days, 7, c == 'A', NULL, 0, fi, si, end);
    case 'p': {
        int64_t ap = 0;
        for (int i = 0; i < 2; i++)
            if (s_prefix_ci(sc->s, sc->ns, si, ampm[i], 2)) {
                ap = i + 1;
                sc->p.ampm = (int)ap;
                if (s_match(sc, fi, si + 2, end)) return true;
                sc->p = saved;
            }
        return false;
    }
    case 'Z': {
        static const char *const zones[] = { "UTC", "GMT" };
        return s_try_name(sc, zones, 2, false, NULL, 0, fi, si, end);
    }
    case '%':
        return si < sc->ns && sc->s[si] == '%' && s_match(sc, fi, si + 1, end);
    default:
        return false;
    }
}

/* Match format from fi against the string from si; *end is where the match stopped. */
static bool s_match(s_scan *sc, size_t fi, size_t si, size_t *end)
{
    const char *f = sc->f, *s = sc->s;
    if (fi == sc->nf) { *end = si; return true; }
    if (f[fi] == '%') return s_try_directive(sc, f[fi + 1], fi + 2, si, end);
    if (isspace((unsigned char)f[fi])) {          /* whitespace: one or more (\s+) */
        size_t k = fi;
        while (k < sc->nf && isspace((unsigned char)f[k])) k++;
        size_t j = si;
        while (j < sc->ns && isspace((unsigned char)s[j])) j++;
        for (; j > si; j--)
            if (s_match(sc, k, j, end)) return true;
        return false;
    }
    if (si < sc->ns && tolower((unsigned char)f[fi]) == tolower((unsigned char)s[si])) return s_match(sc, fi + 1, si + 1, end);
    return false;
}

static void s_check_format(gl_vm *vm, gl_value f, gl_span span)
{
    for (size_t i = 0; i < f.len; i++) {
        if (f.u.s[i] != '%') continue;
        if (i + 1 == f.len) gl_vm_error(vm, GL_ERR_VALUE, span, "stray %% in format '%.*s'", (int)f.len, f.u.s);
        char c = f.u.s[++i];
        if (!strchr("dmHIMSjYyfzbBaApZ%", c))
            gl_vm_error(vm, GL_ERR_VALUE, span, "'%c' is a bad directive in format '%.*s'", c, (int)f.len, f.u.s);
    }
}

static gl_value s_build(gl_vm *vm, const s_parsed *p, gl_span span)
{
    int64_t hour = p->hour;
    if (p->has_i) {
        if (p->ampm == 2) hour = hour == 12 ? 12 : hour + 12;
        else if (hour == 12) hour = 0;
    }
    int64_t days;
    if (p->julian) days = gl_days_from_civil(p->year, 1, 1) + p->julian - 1;
    else days = gl_check_date(vm, span, p->year, p->month, p->day);
    if (p->second > 59) gl_vm_error(vm, GL_ERR_VALUE, span, "second must be in 0..59");
    const gl_tz *tz = p->has_tz ? gl_tz_fixed(vm, p->offset) : NULL;
    int64_t us = ((hour * 60 + p->minute) * 60 + p->second) * GL_US_PER_SEC + p->micro;
    return gl_datetime_value(vm, days, us, tz, span);
}

gl_value gl_dt_strptime(gl_vm *vm, gl_value s, gl_value f, gl_span span)
{
    if (s.kind != GL_STR || f.kind != GL_STR)
        gl_vm_error(vm, GL_ERR_TYPE, span, "strptime() argument %d must be str, not %s", s.kind != GL_STR ? 1 : 2,
                    gl_type_name(s.kind != GL_STR ? s : f));
    s_check_format(vm, f, span);
    s_scan sc = { s.u.s, f.u.s, s.len, f.len, { 1900, 1, 1, 0, 0, 0, 0, 0, 0, false, false, 0 } };
    size_t end = 0;
    if (!s_match(&sc, 0, 0, &end))
        gl_vm_error(vm, GL_ERR_VALUE, span, "time data '%.*s' does not match format '%.*s'", (int)s.len, s.u.s,
                    (int)f.len, f.u.s);
    if (end != s.len)
        gl_vm_error(vm, GL_ERR_VALUE, span, "unconverted data remains: %.*s", (int)(s.len - end), s.u.s + end);
    return s_build(vm, &sc.p, span);
}

/* ---------------------------------------------------------------- fromisoformat */

typedef struct s_iso {
    const char *s;
    size_t n, i;
} s_iso;

static bool s_iso_num(s_iso *p, size_t k, int64_t *v)
{
    if (!s_digits(p->s, p->n, p->i, k, v)) return false;
    p->i += k;
    return true;
}

static bool s_iso_char(s_iso *p, char c)
{
    if (p->i < p->n && p->s[p->i] == c) { p->i++; return true; }
    return false;
}

/* YYYY-MM-DD, YYYYMMDD, YYYY-Www[-D], YYYYWww[D]; the days, or false. */
static bool s_iso_date(gl_vm *vm, s_iso *p, int64_t *days, gl_span span)
{
    int64_t y, m, d, w, wd = 1;
    if (!s_iso_num(p, 4, &y)) return false;
    bool ext = s_iso_char(p, '-');
    if (s_iso_char(p, 'W')) {
        if (!s_iso_num(p, 2, &w)) return false;
        size_t at = p->i;
        if (!(ext ? s_iso_char(p, '-') && s_iso_num(p, 1, &wd) : s_iso_num(p, 1, &wd))) { p->i = at; wd = 1; }
        if (y < 1 || w < 1 || w > 53 || wd < 1 || wd > 7) return false;
        int64_t jan4 = gl_days_from_civil(y, 1, 4), monday = jan4 - (jan4 % 7 + 7 + 3) % 7;
        *days = monday + (w - 1) * 7 + wd - 1;
        return true;
    }
    if (!s_iso_num(p, 2, &m) || (ext && !s_iso_char(p, '-')) || !s_iso_num(p, 2, &d)) return false;
    *days = gl_check_date(vm, span, y, m, d);
    return true;
}

/* ±HH[:MM[:SS[.ffffff]]] or ±HHMM[SS], or Z; the offset in seconds. */
static bool s_iso_offset(s_iso *p, int32_t *offset)
{
    if (s_iso_char(p, 'Z')) { *offset = 0; return p->i == p->n; }
    int sign = p->s[p->i++] == '-' ? -1 : 1;
    int64_t hh, mm = 0, ss = 0, f;
    if (!s_iso_num(p, 2, &hh)) return false;
    bool ext = s_iso_char(p, ':');
    if (p->i < p->n && !s_iso_num(p, 2, &mm)) return false;
    if (p->i < p->n && (ext ? !s_iso_char(p, ':') : false)) return false;
    if (p->i < p->n && !s_iso_num(p, 2, &ss)) return false;
    if (s_iso_char(p, '.')) {
        size_t k = 0;
        while (p->i < p->n && s_iso_num(p, 1, &f)) k++;
        if (k == 0) return false;
    }
    if (p->i != p->n || hh > 23 || mm > 59 || ss > 59) return false;
    *offset = (int32_t)(sign * (hh * 3600 + mm * 60 + ss));
    return true;
}

/* HH[:MM[:SS[.f+]]] or HH[MM[SS[.f+]]], then an optional offset. */
static bool s_iso_time(gl_vm *vm, s_iso *p, int64_t *us, const gl_tz **tz)
{
    int64_t h, m = 0, s = 0, frac = 0, f;
    if (!s_iso_num(p, 2, &h)) return false;
    bool more = p->i < p->n && !strchr("+-Z", p->s[p->i]);
    bool ext = more && s_iso_char(p, ':');
    if (more && !s_iso_num(p, 2, &m)) return false;
    more = more && p->i < p->n && !strchr("+-Z", p->s[p->i]);
    if (more && ((ext && !s_iso_char(p, ':')) || !s_iso_num(p, 2, &s))) return false;
    if (more && (s_iso_char(p, '.') || s_iso_char(p, ','))) {
        int k = 0;
        while (p->i < p->n && s_iso_num(p, 1, &f))
            if (k++ < 6) frac = frac * 10 + f;
        if (k == 0) return false;
        for (; k < 6; k++) frac *= 10;
    }
    *tz = NULL;
    if (p->i < p->n) {
        int32_t off;
        if (!strchr("+-Z", p->s[p->i]) || !s_iso_offset(p, &off)) return false;
        *tz = gl_tz_fixed(vm, off);
    }
    if (h > 23 || m > 59 || s > 59) return false;
    *us = ((h * 60 + m) * 60 + s) * GL_US_PER_SEC + frac;
    return true;
}

gl_value gl_dt_fromiso(gl_vm *vm, gl_value s, const gl_class *cls, gl_span span)
{
    if (s.kind != GL_STR)
        gl_vm_error(vm, GL_ERR_TYPE, span, "fromisoformat: argument must be str");
    s_iso p = { s.u.s, s.len, 0 };
    int64_t days = 0, us = 0;
    const gl_tz *tz = NULL;
    bool ok;
    if (cls == &gl_time_class) {
        s_iso_char(&p, 'T');
        ok = s_iso_time(vm, &p, &us, &tz);
    } else {
        ok = s_iso_date(vm, &p, &days, span);
        if (ok && cls == &gl_datetime_class && p.i < p.n) {
            int32_t cp;
            p.i += (size_t)gl_utf8_decode(p.s + p.i, p.n - p.i, &cp);
            ok = s_iso_time(vm, &p, &us, &tz);
        }
        ok = ok && p.i == p.n;
    }
    if (!ok) gl_vm_error(vm, GL_ERR_VALUE, span, "Invalid isoformat string: '%.*s'", (int)s.len, s.u.s);
    if (cls == &gl_date_class) return gl_date_value(vm, days, span);
    if (cls == &gl_time_class) return gl_time_value(vm, us, tz);
    return gl_datetime_value(vm, days, us, tz, span);
}
