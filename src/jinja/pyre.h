/* src/jinja/pyre.h - Python's `re` module as dbt exposes it to templates (modules.re),
 * matched by PCRE2 (jinja layer). See pyre.c for what differs from Python. */
#ifndef GL_PYRE_H
#define GL_PYRE_H
#include "jinja/value.h"

/* The dict of the names in Python's re.__all__: functions, flags, Pattern, Match...
 * Compiled patterns are cached per module (per call of this function) and live in
 * vm->arena, like everything PCRE2 allocates for them. */
gl_value gl_re_module(gl_vm *vm);
#endif
