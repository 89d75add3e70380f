/* src/jinja/datetime.h - a Python datetime.datetime (UTC-aware) as templates see it:
 * the attributes year..microsecond, strftime, isoformat, timestamp, and str().
 * dbt's run_started_at is one. Formatting never depends on the locale or the clock. */
#ifndef GL_DATETIME_H
#define GL_DATETIME_H
#include <stdint.h>
#include "jinja/value.h"

/* A timezone-aware (UTC) datetime at epoch seconds + microseconds. */
gl_value gl_datetime_new(gl_vm *vm, int64_t epoch_seconds, int32_t microsecond);
#endif
