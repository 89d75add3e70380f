/* src/project/selectors.h - dbt's named selectors from the root project's selectors.yml
 * (project layer): --selector NAME and the default selector (see selectors.c). */
#ifndef GL_SELECTORS_H
#define GL_SELECTORS_H
#include "project/project.h"
#include "project/select.h"

/* Reads selectors.yml when the project has one: p->selectors, p->default_selector;
 * malformed entries, duplicate names and two defaults are errors in p->diags. */
void gl_selectors_load(gl_project *p, const gl_pkg *root);
/* Fills selected[] from the selector called name (NULL: the default selector, which
 * must exist), each criterion selected with base's resource types and warnings.
 * Returns 0; 1 after adding an invalid definition's error to p->diags; 2 after adding
 * "no selector named" (a usage error: the name came from the command line). */
int gl_selectors_apply(gl_project *p, const gl_graph *g, const char *name, const gl_select_opts *base, bool *selected);
#endif
