/* src/codegen/api.h - dbt's `api` context member (codegen layer): api.Relation.create
 * and api.Column (create, translate_type, numeric_type, string_type) with the
 * behavior of dbt-glue's relation and column classes, plus the column value that
 * adapter.get_columns_in_relation also returns. */
#ifndef GL_API_H
#define GL_API_H
#include "jinja/value.h"

/* The `api` object. */
gl_value gl_api_object(gl_vm *vm);
/* A column as templates see it: dbt-glue's GlueColumn (name, column, quoted
 * (`name`), data_type and dtype, is_string() and the other type tests, literal(),
 * can_expand_to()...); type may be NULL: None. */
gl_value gl_column_value(gl_vm *vm, const char *name, size_t name_len, const char *type, size_t type_len);
#endif
