/* src/codegen/api.c - dbt's `api` object (see api.h). Relations made here render like
 * every other relation (schema.identifier; Spark has no database level); columns are
 * dbt-glue's GlueColumn objects (dbt-spark's SparkColumn over dbt's base Column), the
 * ones adapter.get_columns_in_relation returns: SparkColumn translates no type names,
 * writes numeric as decimal, quotes with backticks, keeps dtype as the data type and
 * dbt's base string_type and is_* type tests. */
#include "codegen/api.h"
#include "codegen/relation.h"
#include "jinja/vm.h"
#include <ctype.h>
#include <string.h>

typedef struct s_column {
    gl_value column;            /* GL_STR */
    gl_value dtype;             /* GL_STR, or None when the project declares no type */
} s_column;

static const gl_class s_column_class;

static bool s_dtype_in(const s_column *c, const char *const *names)
{
    if (c->dtype.kind != GL_STR) return false;
    for (; *names; names++) {
        size_t n = strlen(*names);
        if (n != c->dtype.len) continue;
        size_t i = 0;
        while (i < n && tolower((unsigned char)c->dtype.u.s[i]) == (*names)[i]) i++;
        if (i == n) return true;
    }
    return false;
}

/* dbt's base Column type tests (SparkColumn keeps them). */
static const char *const s_string_types[] = { "text", "character varying", "character", "varchar", NULL };
static const char *const s_float_types[] = { "real", "float4", "float", "double precision", "float8", "double", NULL };
static const char *const s_integer_types[] = { "smallint", "integer", "bigint", "smallserial", "serial", "bigserial",
                                               "int2", "int4", "int8", "serial2", "serial4", "serial8", NULL };
static const char *const s_numeric_types[] = { "numeric", "decimal", NULL };

static const s_column *s_col(gl_func *f) { return f->data; }

static gl_value s_col_is_string(gl_vm *vm, gl_func *f, const gl_args *a)
{
    gl_args_bind(vm, a, "is_string", (const char *const[]){ NULL }, 0, NULL);
    return gl_bool(s_dtype_in(s_col(f), s_string_types));
}

static gl_value s_col_is_float(gl_vm *vm, gl_func *f, const gl_args *a)
{
    gl_args_bind(vm, a, "is_float", (const char *const[]){ NULL }, 0, NULL);
    return gl_bool(s_dtype_in(s_col(f), s_float_types));
}

static gl_value s_col_is_integer(gl_vm *vm, gl_func *f, const gl_args *a)
{
    gl_args_bind(vm, a, "is_integer", (const char *const[]){ NULL }, 0, NULL);
    return gl_bool(s_dtype_in(s_col(f), s_integer_types));
}

static gl_value s_col_is_numeric(gl_vm *vm, gl_func *f, const gl_args *a)
{
    gl_args_bind(vm, a, "is_numeric", (const char *const[]){ NULL }, 0, NULL);
    return gl_bool(s_dtype_in(s_col(f), s_numeric_types));
}

static gl_value s_col_is_number(gl_vm *vm, gl_func *f, const gl_args *a)
{
    gl_args_bind(vm, a, "is_number", (const char *const[]){ NULL }, 0, NULL);
    const s_column *c = s_col(f);
    return gl_bool(s_dtype_in(c, s_integer_types) || s_dtype_in(c, s_numeric_types) || s_dtype_in(c, s_float_types));
}

/* string_size(): 256 for text or an unknown size (columns declared in YAML have no
 * char_size), an error on a non-string column, as dbt's base Column. */
static gl_value s_col_string_size(gl_vm *vm, gl_func *f, const gl_args *a)
{
    gl_args_bind(vm, a, "string_size", (const char *const[]){ NULL }, 0, NULL);
    if (!s_dtype_in(s_col(f), s_string_types))
        gl_vm_error(vm, GL_ERR_RUNTIME, a->span, "Called string_size() on non-string field!");
    return gl_int(256);
}

/* SparkColumn.can_expand_to: both are strings. */
static gl_value s_col_can_expand_to(gl_vm *vm, gl_func *f, const gl_args *a)
{
    static const char *const names[] = { "other_column", NULL };
    gl_value v[1];
    gl_args_bind(vm, a, "can_expand_to", names, 1, v);
    if (v[0].kind != GL_OBJECT || v[0].u.obj->cls != &s_column_class)
        gl_vm_error(vm, GL_ERR_TYPE, a->span, "can_expand_to() takes a column, not %s", gl_type_name(v[0]));
    return gl_bool(s_dtype_in(s_col(f), s_string_types) && s_dtype_in(v[0].u.obj->data, s_string_types));
}

/* SparkColumn.literal(value): cast(value as dtype). */
static gl_value s_col_literal(gl_vm *vm, gl_func *f, const gl_args *a)
{
    static const char *const names[] = { "value", NULL };
    gl_value v[1];
    gl_args_bind(vm, a, "literal", names, 1, v);
    gl_buf *b = gl_vm_buf_get(vm);
    gl_buf_adds(b, "cast(");
    gl_str_of(vm, v[0], b);
    gl_buf_adds(b, " as ");
    gl_str_of(vm, s_col(f)->dtype, b);
    gl_buf_addc(b, ')');
    return gl_vm_buf_str(vm, b);
}

static gl_value s_translate_type(gl_vm *vm, gl_func *f, const gl_args *a);
static gl_value s_numeric_type(gl_vm *vm, gl_func *f, const gl_args *a);
static gl_value s_string_type(gl_vm *vm, gl_func *f, const gl_args *a);

#define IS(s) (len == sizeof(s) - 1 && memcmp(name, s, len) == 0)

static gl_value s_column_getattr(gl_vm *vm, gl_object *o, const char *name, size_t len)
{
    const s_column *c = o->data;
    if (IS("column") || IS("name")) return c->column;
    if (IS("dtype") || IS("data_type") || IS("expanded_data_type")) return c->dtype;
    if (IS("char_size") || IS("numeric_precision") || IS("numeric_scale") || IS("table_database") ||
        IS("table_schema") || IS("table_name") || IS("table_type") || IS("table_owner") || IS("table_stats") ||
        IS("column_index"))
        return gl_none();
    if (!vm) return gl_missing();
    if (IS("quoted")) return gl_vm_strf(vm, "`%.*s`", (int)c->column.len, c->column.u.s);
    static const struct { const char *name; gl_native_fn fn; } methods[] = {
        { "is_string", s_col_is_string }, { "is_number", s_col_is_number }, { "is_float", s_col_is_float },
        { "is_integer", s_col_is_integer }, { "is_numeric", s_col_is_numeric },
        { "string_size", s_col_string_size }, { "can_expand_to", s_col_can_expand_to },
        { "literal", s_col_literal }, { "translate_type", s_translate_type },
        { "numeric_type", s_numeric_type }, { "string_type", s_string_type },
    };
    for (size_t i = 0; i < sizeof methods / sizeof *methods; i++)
        if (strlen(methods[i].name) == len && !memcmp(methods[i].name, name, len))
            return gl_func_new(vm, methods[i].name, methods[i].fn, gl_missing(), o->data);
    return gl_missing();
}
#undef IS

/* str() and repr() are SparkColumn's __repr__: <SparkColumn name (type)>. */
static void s_column_print(gl_vm *vm, gl_object *o, gl_buf *out)
{
    const s_column *c = o->data;
    gl_buf_adds(out, "<SparkColumn ");
    gl_buf_add(out, c->column.u.s, c->column.len);
    gl_buf_adds(out, " (");
    gl_str_of(vm, c->dtype, out);
    gl_buf_adds(out, ")>");
}

static const gl_class s_column_class = { "GlueColumn", s_column_getattr, NULL, s_column_print };

gl_value gl_column_value(gl_vm *vm, const char *name, size_t name_len, const char *type, size_t type_len)
{
    s_column *c = gl_arena_alloc(&vm->arena, sizeof *c);
    c->column = gl_str_copy(vm, name, name_len);
    c->dtype = type ? gl_str_copy(vm, type, type_len) : gl_none();
    return gl_object_new(vm, &s_column_class, c);
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
