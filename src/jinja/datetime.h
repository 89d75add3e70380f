/* src/jinja/datetime.h - dbt's `modules.datetime`, `modules.pytz` and
 * `modules.itertools` as templates see them: Python's date, datetime, time, timedelta
 * and tzinfo objects (str()/repr(), strftime, strptime, arithmetic, comparisons),
 * pytz's zones from /usr/share/zoneinfo, and itertools as lists (generators) or lazy
 * objects for the infinite ones. dbt's run_started_at is a datetime. Nothing here reads
 * the clock or the locale: "now" is an instant the caller fixes. */
#ifndef GL_DATETIME_H
#define GL_DATETIME_H
#include <stdint.h>
#include "jinja/value.h"

/* A timezone-aware (pytz.utc) datetime at epoch seconds + microseconds. */
gl_value gl_datetime_new(gl_vm *vm, int64_t epoch_seconds, int32_t microsecond);

/* The dict dbt exposes as modules.datetime (date, datetime, time, timedelta, tzinfo);
 * now(), utcnow(), today() and date.today() answer now_epoch_seconds (UTC). */
gl_value gl_datetime_module(gl_vm *vm, int64_t now_epoch_seconds);
/* modules.pytz: timezone, utc, FixedOffset and the exception class names. */
gl_value gl_pytz_module(gl_vm *vm);
/* modules.itertools: count ... combinations_with_replacement. */
gl_value gl_itertools_module(gl_vm *vm);
#endif
