/* src/codegen/relation.h - dbt's Relation for the Glue adapter (codegen layer):
 * schema + identifier, never the database, quoted with backticks only where the quoting
 * policy says so; ephemeral models render as their CTE name __dbt__cte__<alias>. */
#ifndef GL_RELATION_H
#define GL_RELATION_H
#include <stdbool.h>
#include "jinja/vm.h"

typedef struct gl_relation {
    const char *database;       /* kept for relation.database; never rendered */
    const char *schema;
    const char *identifier;
    const char *type;           /* "table", "view", "cte" or NULL */
    bool quote_schema, quote_identifier;
    bool ephemeral;             /* renders as __dbt__cte__<identifier> */
} gl_relation;

gl_value gl_relation_value(gl_vm *vm, const gl_relation *r);
/* What {{ relation }} prints. */
void gl_relation_render(const gl_relation *r, gl_buf *out);
/* The relation behind a value made by gl_relation_value, or NULL. */
const gl_relation *gl_relation_of(gl_value v);
#endif
