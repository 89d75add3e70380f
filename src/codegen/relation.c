/* src/codegen/relation.c - Relation objects in templates (codegen layer): attribute
 * access (schema, identifier, name, table, type, is_table, is_view, database), render(),
 * include(), incorporate(), quote(), without_identifier(), and printing as Spark SQL names. */
#include "codegen/relation.h"
#include <string.h>

static const gl_class s_relation_class;

static void s_part(gl_buf *out, const char *s, bool quote)
{
    if (quote) gl_buf_addc(out, '`');
    gl_buf_adds(out, s);
    if (quote) gl_buf_addc(out, '`');
}

void gl_relation_render(const gl_relation *r, gl_buf *out)
{
    if (r->ephemeral) {
        gl_buf_printf(out, "__dbt__cte__%s", r->identifier);
        return;
    }
    bool dot = false;
    if (r->schema && *r->schema) {
        s_part(out, r->schema, r->quote_schema);
        dot = true;
    }
    if (r->identifier && *r->identifier) {
        if (dot) gl_buf_addc(out, '.');
        s_part(out, r->identifier, r->quote_identifier);
    }
}

const gl_relation *gl_relation_of(gl_value v)
{
    return v.kind == GL_OBJECT && v.u.obj->cls == &s_relation_class ? v.u.obj->data : NULL;
}

static gl_value s_opt_str(const char *s) { return s ? gl_cstr(s) : gl_none(); }

static gl_value s_render(gl_vm *vm, gl_func *self, const gl_args *a)
{
    (void)a;
    gl_buf *b = gl_vm_buf_get(vm);
    gl_relation_render(self->data, b);
    return gl_vm_buf_str(vm, b);
}

/* The relation a method was called on, copied for the changed relation it returns. */
static gl_relation *s_copy(gl_vm *vm, const gl_func *self)
{
    gl_relation *r = gl_vm_alloc(vm, sizeof *r);
    *r = *(const gl_relation *)self->data;
    return r;
}

/* include(database=, schema=, identifier=): a copy with parts switched on or off. */
static gl_value s_include(gl_vm *vm, gl_func *self, const gl_args *a)
{
    static const char *const names[] = { "database", "schema", "identifier", NULL };
    gl_value v[3];
    gl_args_bind(vm, a, "include", names, 0, v);
    gl_relation *r = s_copy(vm, self);
    if (v[1].kind != GL_MISSING && !gl_truthy(v[1])) r->schema = NULL;
    if (v[2].kind != GL_MISSING && !gl_truthy(v[2])) r->identifier = NULL;
    return gl_relation_value(vm, r);
}

/* quote(database=, schema=, identifier=): a copy whose quote policy is changed for the
 * parts given (None leaves a part as it was); Spark quotes with backticks. */
static gl_value s_quote(gl_vm *vm, gl_func *self, const gl_args *a)
{
    static const char *const names[] = { "database", "schema", "identifier", NULL };
    gl_value v[3];
    gl_args_bind(vm, a, "quote", names, 0, v);
    gl_relation *r = s_copy(vm, self);
    if (v[1].kind != GL_MISSING && v[1].kind != GL_NONE) r->quote_schema = gl_truthy(v[1]);
    if (v[2].kind != GL_MISSING && v[2].kind != GL_NONE) r->quote_identifier = gl_truthy(v[2]);
    return gl_relation_value(vm, r);
}

/* without_identifier(): the schema alone, as include(identifier=False). */
static gl_value s_without_identifier(gl_vm *vm, gl_func *self, const gl_args *a)
{
    gl_args_bind(vm, a, "without_identifier", (const char *const[]){ NULL }, 0, NULL);
    gl_relation *r = s_copy(vm, self);
    r->identifier = NULL;
    return gl_relation_value(vm, r);
}

/* incorporate(type=...) / incorporate(path={...}): a copy with those fields replaced. */
static gl_value s_incorporate(gl_vm *vm, gl_func *self, const gl_args *a)
{
    static const char *const names[] = { "path", "type", NULL };
    gl_value v[2];
    gl_args_bind(vm, a, "incorporate", names, 0, v);
    gl_relation *r = s_copy(vm, self);
    if (v[1].kind == GL_STR) r->type = gl_arena_strndup(&vm->arena, v[1].u.s, v[1].len);
    if (v[0].kind == GL_DICT) {
        gl_value x;
        if (gl_dict_get_cstr(v[0].u.dict, "schema", &x) && x.kind == GL_STR)
            r->schema = gl_arena_strndup(&vm->arena, x.u.s, x.len);
        if (gl_dict_get_cstr(v[0].u.dict, "identifier", &x) && x.kind == GL_STR)
            r->identifier = gl_arena_strndup(&vm->arena, x.u.s, x.len);
    }
    return gl_relation_value(vm, r);
}

static gl_value s_getattr(gl_vm *vm, gl_object *o, const char *name, size_t len);

/* Relations are Mappings in dbt (FakeAPIObject); get('metadata') answers the class
 * name, which dbt_utils' _is_relation checks: dbt-glue's relation class is SparkRelation. */
static gl_value s_get(gl_vm *vm, gl_func *f, const gl_args *a)
{
    static const char *const names[] = { "key", "default", NULL };
    gl_value v[2];
    gl_args_bind(vm, a, "get", names, 1, v);
    gl_value dflt = v[1].kind == GL_MISSING ? gl_none() : v[1];
    if (v[0].kind != GL_STR) return dflt;
    if (v[0].len == 8 && !memcmp(v[0].u.s, "metadata", 8)) {
        gl_value m = gl_dict_new(vm);
        gl_dict_set_cstr(vm, m.u.dict, "type", gl_cstr("SparkRelation"));
        return m;
    }
    gl_value r = s_getattr(NULL, f->self.u.obj, v[0].u.s, v[0].len);
    return r.kind == GL_MISSING ? dflt : r;
}

static gl_value s_getattr(gl_vm *vm, gl_object *o, const char *name, size_t len)
{
    const gl_relation *r = o->data;
#define IS(s) (len == sizeof(s) - 1 && memcmp(name, s, len) == 0)
    if (IS("__mapping__")) return gl_bool(true);
    if (IS("schema")) return s_opt_str(r->schema);
    if (IS("identifier") || IS("name") || IS("table")) return s_opt_str(r->identifier);
    if (IS("database")) return s_opt_str(r->database);
    if (IS("type")) return s_opt_str(r->type);
    if (IS("is_table")) return gl_bool(r->type && !strcmp(r->type, "table"));
    if (IS("is_view")) return gl_bool(r->type && !strcmp(r->type, "view"));
    if (IS("is_cte")) return gl_bool(r->ephemeral);
    if (IS("is_delta") || IS("is_hudi") || IS("is_iceberg")) return gl_bool(false);
    if (!vm) return gl_missing();
    if (IS("render")) return gl_func_new(vm, "render", s_render, gl_missing(), o->data);
    if (IS("get")) {
        gl_value self = {0};
        self.kind = GL_OBJECT;
        self.u.obj = o;
        return gl_func_new(vm, "get", s_get, self, o->data);
    }
    if (IS("include")) return gl_func_new(vm, "include", s_include, gl_missing(), o->data);
    if (IS("incorporate")) return gl_func_new(vm, "incorporate", s_incorporate, gl_missing(), o->data);
    if (IS("quote")) return gl_func_new(vm, "quote", s_quote, gl_missing(), o->data);
    if (IS("without_identifier"))
        return gl_func_new(vm, "without_identifier", s_without_identifier, gl_missing(), o->data);
#undef IS
    return gl_missing();
}

static void s_print(gl_vm *vm, gl_object *o, gl_buf *out)
{
    (void)vm;
    gl_relation_render(o->data, out);
}

static const gl_class s_relation_class = { "GlueRelation", s_getattr, NULL, s_print };

gl_value gl_relation_value(gl_vm *vm, const gl_relation *r)
{
    return gl_object_new(vm, &s_relation_class, (void *)r);
}
