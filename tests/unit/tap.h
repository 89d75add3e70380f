/* tests/unit/tap.h - a minimal TAP producer for the C unit tests: `ok N - name` lines
 * and a closing plan, read by automake's tap-driver and scripts/test.sh. */
#ifndef GL_TAP_H
#define GL_TAP_H
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

static inline void tap_ok(int cond, const char *name)
{
    tap_n++;
    if (!cond) tap_failed++;
    printf("%sok %d - %s\n", cond ? "" : "not ", tap_n, name);
}

static inline void tap_is(const char *got, const char *want, const char *name)
{
    int same = got && want && strcmp(got, want) == 0;
    tap_ok(same, name);
    if (!same) printf("#   got:  '%s'\n#   want: '%s'\n", got ? got : "(null)", want ? want : "(null)");
}

static inline int tap_done(void)
{
    printf("1..%d\n", tap_n);
    return tap_failed ? 1 : 0;
}
#endif
