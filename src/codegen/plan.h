/* src/codegen/plan.h - the plan directory (codegen layer), contract version 1 of
 * design.md section 4: plan.json (keys sorted, two-space indent, no timestamps) and
 * compiled/<package>/<path>.sql, built in memory then written atomically. */
#ifndef GL_PLAN_H
#define GL_PLAN_H
#include "codegen/compile.h"
#include "util/fs.h"

typedef struct gl_plan_file {
    char *path;                 /* relative to the plan directory */
    char *data;
    size_t len;
} gl_plan_file;

typedef struct gl_plan {
    gl_plan_file *files;        /* sorted by path */
    uint32_t n, cap;
} gl_plan;

/* selected: a flag per node (NULL: every node) for compile --select. */
void gl_plan_build(gl_compile *c, const bool *selected, gl_plan *plan);
/* Writes the whole plan into dir through a temporary sibling; false with err set. */
bool gl_plan_write(const gl_plan *plan, const char *dir, int threads, gl_fs_cleanup *cleanup, gl_buf *err);
/* Compares with what dir holds; describes each difference into report. */
bool gl_plan_check(const gl_plan *plan, const char *dir, gl_buf *report);
void gl_plan_free(gl_plan *plan);
#endif
