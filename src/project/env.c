/* src/project/env.c - dbt's env_var() (project layer): read by the loader to render
 * dbt_project.yml and profiles.yml, and by the codegen context. A variable that is
 * unset and has no default is an error naming it. */
#include "project/load.h"
#include <stdlib.h>
#include <string.h>

gl_value gl_native_env_var(gl_vm *vm, gl_func *self, const gl_args *a)
{
    (void)self;
    static const char *const names[] = { "var", "default", NULL };
    gl_value args[2];
    gl_args_bind(vm, a, "env_var", names, 1, args);
    if (args[0].kind != GL_STR)
        gl_vm_error(vm, GL_ERR_TYPE, a->span, "env_var() takes the variable's name as a string");
    char *name = gl_arena_strndup(&vm->arena, args[0].u.s, args[0].len);
    const char *v = getenv(name);
    if (v) return gl_str_copy(vm, v, strlen(v));
    if (args[1].kind != GL_MISSING) return gl_to_str(vm, args[1]);
    gl_vm_hint(vm, "export %s before running gluec, or give env_var() a default: env_var('%s', 'value')", name, name);
    gl_vm_error(vm, GL_ERR_RUNTIME, a->span, "Env var required but not provided: '%s'", name);
}
