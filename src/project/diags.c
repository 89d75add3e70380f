/* src/project/diags.c - the list of diagnostics a project load or compile collects
 * (project layer): kept in the order found, printed together at the end. */
#include "project/project.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void gl_diags_take(gl_diags *d, gl_diag *diag)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 16;
        d->items = gl_xrealloc(d->items, d->cap * sizeof *d->items);
    }
    d->items[d->n++] = *diag;
    if (diag->severity == GL_SEV_ERROR) d->errors++;
    memset(diag, 0, sizeof *diag);
}

void gl_diags_add(gl_diags *d, gl_severity sev, const gl_source *src, gl_span span,
                  const char *hint, const char *fmt, ...)
{
    gl_diag diag = { sev, src, span, NULL, NULL };
    va_list ap;
    va_start(ap, fmt);
    diag.message = gl_vstrf(fmt, ap);
    va_end(ap);
    if (hint) {
        size_t n = strlen(hint);
        diag.hint = gl_xmalloc(n + 1);
        memcpy(diag.hint, hint, n + 1);
    }
    gl_diags_take(d, &diag);
}

void gl_diags_print(const gl_diags *d, FILE *out)
{
    for (uint32_t i = 0; i < d->n; i++) gl_diag_print(out, &d->items[i]);
}

void gl_diags_free(gl_diags *d)
{
    for (uint32_t i = 0; i < d->n; i++) gl_diag_clear(&d->items[i]);
    free(d->items);
    memset(d, 0, sizeof *d);
}
