/* src/codegen/api.c - dbt's `api` object (see api.h). Relations made here render like
 * every other relation (schema.identifier; Spark has no database level); columns are
 * the dicts adapter.get_columns_in_relation returns. SparkColumn translates no type
 * names, writes numeric as decimal, and keeps dbt's base string_type. */
#include "codegen/api.h"
#include "codegen/relation.h"
#include "jinja/vm.h"
#include <string.h>

gl_value gl_column_value(gl_vm *vm, const char *name, size_t name_len, const char *type, size_t type_len)
{
    gl_value col = gl_dict_new(vm);
    gl_value n = gl_str_copy(vm, name, name_len);
    gl_dict_set_cstr(vm, col.u.dict, "name", n);
    gl_dict_set_cstr(vm, col.u.dict, "column", n);
    gl_dict_set_cstr(vm, col.u.dict, "quoted", gl_vm_strf(vm, "`%.*s`", (int)name_len, name));
    gl_value t = type ? gl_str_copy(vm, type, type_len) : gl_none();
    gl_dict_set_cstr(vm, col.u.dict, "data_type", t);
    gl_dict_set_cstr(vm, col.u.dict, "dtype", t);
    return col;
}

static const char *s_opt(gl_vm *vm, gl_value v)
{
    return v.kind == GL_STR ? gl_arena_strndup(&vm->arena, v.u.s, v.len) : NULL;
}

/* api.Relation.create(database=, schema=, identifier=, type=): database is kept for
 * .database but never rendered, as on every Glue relation. */
static gl_value s_relation_create(gl_vm *vm, gl_func *f, const gl_args *a)
{
    (void)f;
    static const char *const names[] = { "database", "schema", "identifier", "type", NULL };
    gl_value v[4];
    gl_args_bind(vm, a, "create", names, 0, v);
    gl_relation *r = gl_vm_alloc(vm, sizeof *r);
    memset(r, 0, sizeof *r);
    r->database = s_opt(vm, v[0]);
    r->schema = s_opt(vm, v[1]);
    r->identifier = s_opt(vm, v[2]);
    r->type = s_opt(vm, v[3]);
    return gl_relation_value(vm, r);
}

static gl_value s_column_create(gl_vm *vm, gl_func *f, const gl_args *a)
{
    (void)f;
    static const char *const names[] = { "name", "label_or_dtype", NULL };
    gl_value v[2];
    gl_args_bind(vm, a, "create", names, 2, v);
    gl_buf *n = gl_vm_buf_get(vm), *t = gl_vm_buf_get(vm);
    gl_str_of(vm, v[0], n);
    gl_str_of(vm, v[1], t);
    gl_value col = gl_column_value(vm, n->data ? n->data : "", n->len, t->data ? t->data : "", t->len);
    gl_vm_buf_put(vm, n);
    gl_vm_buf_put(vm, t);
    return col;
}

static gl_value s_translate_type(gl_vm *vm, gl_func *f, const gl_args *a)
{
    (void)f;
    static const char *const names[] = { "dtype", NULL };
    gl_value v[1];
    gl_args_bind(vm, a, "translate_type", names, 1, v);
    return v[0];   /* SparkColumn.translate_type is the identity */
}

static gl_value s_numeric_type(gl_vm *vm, gl_func *f, const gl_args *a)
{
    (void)f;
    static const char *const names[] = { "dtype", "precision", "scale", NULL };
    gl_value v[3];
    gl_args_bind(vm, a, "numeric_type", names, 3, v);
    if (v[1].kind == GL_NONE || v[2].kind == GL_NONE) return gl_cstr("decimal");
    gl_buf *b = gl_vm_buf_get(vm);
    gl_buf_adds(b, "decimal(");
    gl_str_of(vm, v[1], b);
    gl_buf_addc(b, ',');
    gl_str_of(vm, v[2], b);
    gl_buf_addc(b, ')');
    return gl_vm_buf_str(vm, b);
}

static gl_value s_string_type(gl_vm *vm, gl_func *f, const gl_args *a)
{
    (void)f;
    static const char *const names[] = { "size", NULL };
    gl_value v[1];
    gl_args_bind(vm, a, "string_type", names, 1, v);
    gl_buf *b = gl_vm_buf_get(vm);
    gl_buf_adds(b, "character varying(");   /* dbt's base Column.string_type: Spark keeps it */
    gl_str_of(vm, v[0], b);
    gl_buf_addc(b, ')');
    return gl_vm_buf_str(vm, b);
}

#define IS(s) (len == sizeof(s) - 1 && memcmp(name, s, len) == 0)

static gl_value s_relation_class_getattr(gl_vm *vm, gl_object *o, const char *name, size_t len)
{
    (void)o;
    if (vm && IS("create")) return gl_func_new(vm, "create", s_relation_create, gl_missing(), NULL);
    return gl_missing();
}

static gl_value s_column_class_getattr(gl_vm *vm, gl_object *o, const char *name, size_t len)
{
    (void)o;
    if (!vm) return gl_missing();
    if (IS("create")) return gl_func_new(vm, "create", s_column_create, gl_missing(), NULL);
    if (IS("translate_type")) return gl_func_new(vm, "translate_type", s_translate_type, gl_missing(), NULL);
    if (IS("numeric_type")) return gl_func_new(vm, "numeric_type", s_numeric_type, gl_missing(), NULL);
    if (IS("string_type")) return gl_func_new(vm, "string_type", s_string_type, gl_missing(), NULL);
    return gl_missing();
}

static const gl_class s_relation_type = { "GlueRelation class", s_relation_class_getattr, NULL, NULL };
static const gl_class s_column_type = { "GlueColumn class", s_column_class_getattr, NULL, NULL };

static gl_value s_api_getattr(gl_vm *vm, gl_object *o, const char *name, size_t len)
{
    (void)o;
    if (!vm) return gl_missing();
    if (IS("Relation")) return gl_object_new(vm, &s_relation_type, NULL);
    if (IS("Column")) return gl_object_new(vm, &s_column_type, NULL);
    return gl_missing();
}
#undef IS

static const gl_class s_api_class = { "api", s_api_getattr, NULL, NULL };

gl_value gl_api_object(gl_vm *vm)
{
    return gl_object_new(vm, &s_api_class, NULL);
}
