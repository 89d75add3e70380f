/* src/jinja/value.c - Jinja values with Python semantics (jinja layer): construction,
 * lists and insertion-ordered dicts, truth, equality, hashing, ordering, str()/repr(),
 * iteration, len(), attribute/item lookup, UTF-8 helpers and argument binding. */
#include "jinja/value.h"
#include "jinja/vm.h"
#include "jinja/eval.h"
#include "jinja/pystr.h"
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

static const char *const s_kind_names[] = {   /* ORDER: gl_kind */
    "missing", "Undefined", "NoneType", "bool", "int", "float", "str", "list", "tuple",
    "dict", "Namespace", "Macro", "builtin_function_or_method", "object"
};

/* ---------------------------------------------------------------- constructors */

gl_value gl_cstr(const char *s) { return gl_str(s, strlen(s)); }

gl_value gl_str_copy(gl_vm *vm, const char *s, size_t len)
{
    if (len == 0) return gl_str("", 0);
    char *p = gl_arena_alloc(&vm->arena, len);
    memcpy(p, s, len);
    return gl_str(p, len);
}

gl_value gl_str_from_buf(gl_vm *vm, const gl_buf *b) { return gl_str_copy(vm, b->data, b->len); }

static gl_value s_undef(gl_vm *vm, const char *hint, gl_value obj, gl_value name)
{
    gl_undef *u = gl_arena_alloc(&vm->arena, sizeof *u);
    u->hint = hint;
    u->obj = obj;
    u->name = name;
    gl_value v = {0};
    v.kind = GL_UNDEFINED;
    v.u.undef = u;
    return v;
}

gl_value gl_undefined(gl_vm *vm, const char *name, size_t len)
{
    return s_undef(vm, NULL, gl_missing(), gl_str(name, len));
}

gl_value gl_undefined_attr(gl_vm *vm, gl_value obj, gl_value name)
{
    return s_undef(vm, NULL, obj, name);
}

gl_value gl_undefined_hint(gl_vm *vm, const char *hint)
{
    size_t n = strlen(hint);
    return s_undef(vm, gl_arena_strndup(&vm->arena, hint, n), gl_missing(), gl_missing());
}

gl_value gl_list_new(gl_vm *vm, uint32_t cap)
{
    gl_list *l = gl_arena_alloc(&vm->arena, sizeof *l);
    l->len = 0;
    l->cap = cap;
    l->items = cap ? gl_arena_alloc(&vm->arena, cap * sizeof(gl_value)) : NULL;
    gl_value v = {0};
    v.kind = GL_LIST;
    v.u.list = l;
    return v;
}

gl_value gl_tuple_new(gl_vm *vm, uint32_t len)
{
    gl_value v = gl_list_new(vm, len);
    v.kind = GL_TUPLE;
    v.u.list->len = len;
    for (uint32_t i = 0; i < len; i++) v.u.list->items[i] = gl_none();
    return v;
}

gl_value gl_list_from(gl_vm *vm, const gl_value *items, uint32_t n, gl_kind kind)
{
    gl_value v = gl_list_new(vm, n);
    if (n) memcpy(v.u.list->items, items, n * sizeof *items);
    v.u.list->len = n;
    v.kind = (uint8_t)kind;
    return v;
}

gl_value gl_dict_new(gl_vm *vm)
{
    gl_dict *d = gl_arena_zalloc(&vm->arena, sizeof *d);
    gl_value v = {0};
    v.kind = GL_DICT;
    v.u.dict = d;
    return v;
}

gl_value gl_func_new(gl_vm *vm, const char *name, gl_native_fn fn, gl_value self, void *data)
{
    gl_func *f = gl_arena_alloc(&vm->arena, sizeof *f);
    f->name = name;
    f->fn = fn;
    f->self = self;
    f->data = data;
    gl_value v = {0};
    v.kind = GL_FUNC;
    v.u.func = f;
    return v;
}

typedef struct s_lazy { gl_lazy_fn fn; void *data; } s_lazy;
static const gl_class s_lazy_class = { "lazy", NULL, NULL, NULL };

gl_value gl_lazy_new(gl_vm *vm, gl_lazy_fn fn, void *data)
{
    s_lazy *l = gl_arena_alloc(&vm->arena, sizeof *l);
    l->fn = fn;
    l->data = data;
    return gl_object_new(vm, &s_lazy_class, l);
}

bool gl_is_lazy(gl_value v)
{
    return v.kind == GL_OBJECT && v.u.obj->cls == &s_lazy_class;
}

gl_value gl_lazy_force(gl_vm *vm, gl_value v, gl_span read_at)
{
    const s_lazy *l = v.u.obj->data;
    return l->fn(vm, l->data, read_at);
}

gl_value gl_object_new(gl_vm *vm, const gl_class *cls, void *data)
{
    gl_object *o = gl_arena_alloc(&vm->arena, sizeof *o);
    o->cls = cls;
    o->data = data;
    o->ops = NULL;
    gl_value v = {0};
    v.kind = GL_OBJECT;
    v.u.obj = o;
    return v;
}

const gl_ops *gl_ops_of(gl_value a, gl_value b)
{
    if (a.kind == GL_OBJECT && a.u.obj->ops) return a.u.obj->ops;
    if (b.kind == GL_OBJECT && b.u.obj->ops) return b.u.obj->ops;
    return NULL;
}

/* ---------------------------------------------------------------- lists */

void gl_list_push(gl_vm *vm, gl_list *l, gl_value v)
{
    if (l->len == l->cap) {
        uint32_t cap = l->cap ? l->cap * 2 : 8;
        l->items = gl_arena_grow(&vm->arena, l->items, l->len * sizeof(gl_value), cap * sizeof(gl_value));
        l->cap = cap;
    }
    l->items[l->len++] = v;
}

void gl_list_insert(gl_vm *vm, gl_list *l, int64_t at, gl_value v)
{
    if (at < 0) at += l->len;
    if (at < 0) at = 0;
    if (at > (int64_t)l->len) at = l->len;
    gl_list_push(vm, l, v);
    memmove(l->items + at + 1, l->items + at, (l->len - 1 - (size_t)at) * sizeof(gl_value));
    l->items[at] = v;
}

/* ---------------------------------------------------------------- dicts */

enum { GL_DICT_LINEAR = 8 };   /* up to this many entries, no index */

static bool s_dict_find(const gl_dict *d, gl_value key, uint32_t h, uint32_t *entry, uint32_t *slot)
{
    if (!d->index) {
        for (uint32_t i = 0; i < d->nentries; i++) {
            const gl_dict_entry *e = &d->entries[i];
            if (e->live && e->hash == h && gl_equal(e->key, key)) {
                *entry = i;
                return true;
            }
        }
        return false;
    }
    uint32_t mask = d->index_cap - 1, i = h & mask;
    for (;;) {
        uint32_t ix = d->index[i];
        if (ix == 0) {
            if (slot) *slot = i;
            return false;
        }
        const gl_dict_entry *e = &d->entries[ix - 1];
        if (e->live && e->hash == h && gl_equal(e->key, key)) {
            *entry = ix - 1;
            return true;
        }
        i = (i + 1) & mask;
    }
}

static void s_dict_reindex(gl_vm *vm, gl_dict *d, uint32_t cap)
{
    d->index = gl_arena_zalloc(&vm->arena, cap * sizeof *d->index);
    d->index_cap = cap;
    for (uint32_t k = 0; k < d->nentries; k++) {
        if (!d->entries[k].live) continue;
        uint32_t i = d->entries[k].hash & (cap - 1);
        while (d->index[i]) i = (i + 1) & (cap - 1);
        d->index[i] = k + 1;
    }
}

bool gl_dict_get(const gl_dict *d, gl_value key, gl_value *out)
{
    uint32_t e;
    if (!gl_hashable(key) || !s_dict_find(d, key, gl_hash(key), &e, NULL)) return false;
    *out = d->entries[e].value;
    return true;
}

bool gl_dict_get_cstr(const gl_dict *d, const char *key, gl_value *out)
{
    return gl_dict_get(d, gl_cstr(key), out);
}

void gl_dict_set(gl_vm *vm, gl_dict *d, gl_value key, gl_value value)
{
    uint32_t h = gl_hash(key), e;
    if (s_dict_find(d, key, h, &e, NULL)) {
        d->entries[e].value = value;
        return;
    }
    if (d->nentries == d->cap) {
        uint32_t cap = d->cap ? d->cap * 2 : 4;
        d->entries = gl_arena_grow(&vm->arena, d->entries, d->nentries * sizeof *d->entries,
                                   cap * sizeof *d->entries);
        d->cap = cap;
    }
    gl_dict_entry *ne = &d->entries[d->nentries++];
    ne->key = key;
    ne->value = value;
    ne->hash = h;
    ne->live = true;
    d->count++;
    if (d->nentries > GL_DICT_LINEAR && d->nentries * 2 > d->index_cap) {
        uint32_t cap = d->index_cap ? d->index_cap : 16;
        while (d->nentries * 2 > cap) cap *= 2;
        s_dict_reindex(vm, d, cap);
    } else if (d->index) {
        uint32_t i = h & (d->index_cap - 1);
        while (d->index[i]) i = (i + 1) & (d->index_cap - 1);
        d->index[i] = d->nentries;
    }
}

void gl_dict_set_cstr(gl_vm *vm, gl_dict *d, const char *key, gl_value value)
{
    gl_dict_set(vm, d, gl_cstr(key), value);
}

bool gl_dict_del(gl_dict *d, gl_value key, gl_value *out)
{
    uint32_t e;
    if (!gl_hashable(key) || !s_dict_find(d, key, gl_hash(key), &e, NULL)) return false;
    if (out) *out = d->entries[e].value;
    d->entries[e].live = false;   /* the index keeps pointing here; lookups skip it */
    d->count--;
    return true;
}

/* ---------------------------------------------------------------- Python semantics */

const char *gl_type_name(gl_value v)
{
    if (v.kind == GL_OBJECT) return v.u.obj->cls->name;
    if (v.kind == GL_LIST && (v.flags & GL_F_GENERATOR)) return "generator";
    return s_kind_names[v.kind];
}

double gl_as_double(gl_value v)
{
    switch (v.kind) {
    case GL_BOOL: return v.u.b;
    case GL_INT: return (double)v.u.i;
    case GL_FLOAT: return v.u.f;
    default: return 0.0;
    }
}

bool gl_truthy(gl_value v)
{
    switch (v.kind) {
    case GL_MISSING: case GL_UNDEFINED: case GL_NONE: return false;
    case GL_BOOL: return v.u.b;
    case GL_INT: return v.u.i != 0;
    case GL_FLOAT: return v.u.f != 0.0;
    case GL_STR: return v.len != 0;
    case GL_LIST: case GL_TUPLE: return (v.flags & GL_F_GENERATOR) || v.u.list->len != 0;
    case GL_DICT: return v.u.dict->count != 0;
    case GL_OBJECT:
        if (v.u.obj->cls->getattr) {
            gl_value n = v.u.obj->cls->getattr(NULL, v.u.obj, "__len__", 7);
            if (n.kind == GL_INT) return n.u.i != 0;
        }
        return true;
    default: return true;
    }
}

static bool s_num_equal(gl_value a, gl_value b)
{
    if (a.kind != GL_FLOAT && b.kind != GL_FLOAT)
        return (a.kind == GL_BOOL ? a.u.b : a.u.i) == (b.kind == GL_BOOL ? b.u.b : b.u.i);
    return gl_as_double(a) == gl_as_double(b);
}

static bool s_dict_equal(const gl_dict *a, const gl_dict *b)
{
    if (a->count != b->count) return false;
    for (uint32_t i = 0; i < a->nentries; i++) {
        const gl_dict_entry *e = &a->entries[i];
        gl_value other;
        if (!e->live) continue;
        if (!gl_dict_get(b, e->key, &other) || !gl_equal(e->value, other)) return false;
    }
    return true;
}

bool gl_equal(gl_value a, gl_value b)
{
    if (gl_is_number(a) && gl_is_number(b)) return s_num_equal(a, b);
    const gl_ops *ops = gl_ops_of(a, b);
    if (ops && ops->equal) return ops->equal(a, b);
    if (a.kind != b.kind) return false;
    switch (a.kind) {
    case GL_MISSING: case GL_UNDEFINED: case GL_NONE: return true;
    case GL_STR: return a.len == b.len && memcmp(a.u.s, b.u.s, a.len) == 0;
    case GL_LIST: case GL_TUPLE:
        if (a.u.list == b.u.list) return true;
        if (a.u.list->len != b.u.list->len) return false;
        for (uint32_t i = 0; i < a.u.list->len; i++)
            if (!gl_equal(a.u.list->items[i], b.u.list->items[i])) return false;
        return true;
    case GL_DICT: return a.u.dict == b.u.dict || s_dict_equal(a.u.dict, b.u.dict);
    case GL_FUNC:
        return a.u.func == b.u.func ||
               (a.u.func->fn == b.u.func->fn && a.u.func->data == b.u.func->data &&
                gl_equal(a.u.func->self, b.u.func->self));
    default: return a.u.obj == b.u.obj;
    }
}

bool gl_hashable(gl_value v)
{
    switch (v.kind) {
    case GL_LIST: case GL_DICT: case GL_NAMESPACE: return false;
    case GL_TUPLE:
        for (uint32_t i = 0; i < v.u.list->len; i++)
            if (!gl_hashable(v.u.list->items[i])) return false;
        return true;
    default: return true;
    }
}

static uint32_t s_hash_int(int64_t i)
{
    uint64_t x = (uint64_t)i;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return (uint32_t)x;
}

uint32_t gl_hash(gl_value v)
{
    switch (v.kind) {
    case GL_BOOL: return s_hash_int(v.u.b);
    case GL_INT: return s_hash_int(v.u.i);
    case GL_FLOAT:
        if (v.u.f == floor(v.u.f) && fabs(v.u.f) < 9.2e18) return s_hash_int((int64_t)v.u.f);
        {
            uint64_t bits;
            memcpy(&bits, &v.u.f, sizeof bits);
            return s_hash_int((int64_t)bits);
        }
    case GL_STR: return gl_hash_bytes(v.u.s, v.len);
    case GL_TUPLE: {
        uint32_t h = 0x345678;
        for (uint32_t i = 0; i < v.u.list->len; i++) h = (h * 1000003u) ^ gl_hash(v.u.list->items[i]);
        return h ^ v.u.list->len;
    }
    case GL_NONE: return 0x9e3779b9u;
    case GL_OBJECT:
        if (v.u.obj->ops && v.u.obj->ops->hash) return v.u.obj->ops->hash(v);
        return s_hash_int((int64_t)(uintptr_t)v.u.obj);
    default: return s_hash_int((int64_t)(uintptr_t)v.u.obj);
    }
}

static int s_sign_d(double a, double b) { return (a > b) - (a < b); }

_Noreturn static void s_unorderable(gl_vm *vm, gl_value a, gl_value b, const char *op, gl_span span)
{
    gl_vm_error(vm, GL_ERR_TYPE, span, "'%s' not supported between instances of '%s' and '%s'",
                op, gl_type_name(a), gl_type_name(b));
}

int gl_compare(gl_vm *vm, gl_value a, gl_value b, const char *op, gl_span span)
{
    if (gl_is_number(a) && gl_is_number(b)) {
        if (a.kind != GL_FLOAT && b.kind != GL_FLOAT) {
            int64_t x = a.kind == GL_BOOL ? a.u.b : a.u.i, y = b.kind == GL_BOOL ? b.u.b : b.u.i;
            return (x > y) - (x < y);
        }
        double x = gl_as_double(a), y = gl_as_double(b);
        if (isnan(x) || isnan(y)) return 2;  /* unordered: every comparison false but != */
        return s_sign_d(x, y);
    }
    const gl_ops *ops = gl_ops_of(a, b);
    if (ops && ops->compare) return ops->compare(vm, a, b, op, span);
    if (a.kind != b.kind) s_unorderable(vm, a, b, op, span);
    if (a.kind == GL_STR) {
        size_t n = a.len < b.len ? a.len : b.len;
        int c = memcmp(a.u.s, b.u.s, n);
        if (c) return c < 0 ? -1 : 1;
        return (a.len > b.len) - (a.len < b.len);
    }
    if (a.kind == GL_LIST || a.kind == GL_TUPLE) {
        const gl_list *x = a.u.list, *y = b.u.list;
        for (uint32_t i = 0; i < x->len && i < y->len; i++)
            if (!gl_equal(x->items[i], y->items[i])) return gl_compare(vm, x->items[i], y->items[i], op, span);
        return (x->len > y->len) - (x->len < y->len);
    }
    s_unorderable(vm, a, b, op, span);
}

/* ---------------------------------------------------------------- str() and repr() */

void gl_format_float(double f, gl_buf *out)
{
    if (isnan(f)) { gl_buf_adds(out, "nan"); return; }
    if (isinf(f)) { gl_buf_adds(out, f < 0 ? "-inf" : "inf"); return; }
    char tmp[40];
    int prec;
    for (prec = 0; prec < 17; prec++) {   /* shortest digits that read back exactly */
        snprintf(tmp, sizeof tmp, "%.*e", prec, f);
        if (strtod(tmp, NULL) == f) break;
    }
    /* tmp is [-]d[.ddd]e[+-]XX: split into digits and decimal exponent */
    char digits[24];
    int nd = 0, neg = tmp[0] == '-';
    const char *p = tmp + neg;
    for (; *p && *p != 'e'; p++)
        if (*p != '.') digits[nd++] = *p;
    while (nd > 1 && digits[nd - 1] == '0') nd--;
    int exp10 = atoi(p + 1);            /* value = d.ddd * 10^exp10 */
    int decpt = exp10 + 1;              /* digits before the point */
    if (neg) gl_buf_addc(out, '-');
    if (decpt > 16 || decpt < -3) {     /* Python's repr switches to exponent form */
        gl_buf_addc(out, digits[0]);
        if (nd > 1) {
            gl_buf_addc(out, '.');
            gl_buf_add(out, digits + 1, (size_t)nd - 1);
        }
        gl_buf_printf(out, "e%c%02d", exp10 < 0 ? '-' : '+', abs(exp10));
    } else if (decpt <= 0) {
        gl_buf_adds(out, "0.");
        for (int i = 0; i < -decpt; i++) gl_buf_addc(out, '0');
        gl_buf_add(out, digits, (size_t)nd);
    } else if (nd <= decpt) {
        gl_buf_add(out, digits, (size_t)nd);
        for (int i = nd; i < decpt; i++) gl_buf_addc(out, '0');
        gl_buf_adds(out, ".0");
    } else {
        gl_buf_add(out, digits, (size_t)decpt);
        gl_buf_addc(out, '.');
        gl_buf_add(out, digits + decpt, (size_t)(nd - decpt));
    }
}

void gl_repr_str(const char *s, size_t len, gl_buf *out)
{
    char quote = '\'';
    if (memchr(s, '\'', len) && !memchr(s, '"', len)) quote = '"';
    gl_buf_addc(out, quote);
    for (size_t i = 0; i < len;) {
        int32_t cp;
        int n = gl_utf8_decode(s + i, len - i, &cp);
        if (cp == quote || cp == '\\') { gl_buf_addc(out, '\\'); gl_buf_addc(out, (char)cp); }
        else if (cp == '\t') gl_buf_adds(out, "\\t");
        else if (cp == '\n') gl_buf_adds(out, "\\n");
        else if (cp == '\r') gl_buf_adds(out, "\\r");
        else if (gl_py_isprintable(cp)) gl_buf_add(out, s + i, (size_t)n);
        else if (cp <= 0xff) gl_buf_printf(out, "\\x%02x", (unsigned)cp);
        else if (cp <= 0xffff) gl_buf_printf(out, "\\u%04x", (unsigned)cp);
        else gl_buf_printf(out, "\\U%08x", (unsigned)cp);
        i += (size_t)n;
    }
    gl_buf_addc(out, quote);
}

static void s_repr_items(gl_vm *vm, const gl_list *l, gl_buf *out)
{
    for (uint32_t i = 0; i < l->len; i++) {
        if (i) gl_buf_adds(out, ", ");
        gl_repr(vm, l->items[i], out);
    }
}

static void s_repr_dict(gl_vm *vm, const gl_dict *d, gl_buf *out)
{
    gl_buf_addc(out, '{');
    bool first = true;
    for (uint32_t i = 0; i < d->nentries; i++) {
        if (!d->entries[i].live) continue;
        if (!first) gl_buf_adds(out, ", ");
        first = false;
        gl_repr(vm, d->entries[i].key, out);
        gl_buf_adds(out, ": ");
        gl_repr(vm, d->entries[i].value, out);
    }
    gl_buf_addc(out, '}');
}

static void s_print_common(gl_vm *vm, gl_value v, gl_buf *out)
{
    switch (v.kind) {
    case GL_NONE: gl_buf_adds(out, "None"); break;
    case GL_BOOL: gl_buf_adds(out, v.u.b ? "True" : "False"); break;
    case GL_INT: gl_buf_printf(out, "%" PRId64, v.u.i); break;
    case GL_FLOAT: gl_format_float(v.u.f, out); break;
    case GL_LIST: gl_buf_addc(out, '['); s_repr_items(vm, v.u.list, out); gl_buf_addc(out, ']'); break;
    case GL_TUPLE:
        gl_buf_addc(out, '(');
        s_repr_items(vm, v.u.list, out);
        if (v.u.list->len == 1) gl_buf_addc(out, ',');
        gl_buf_addc(out, ')');
        break;
    case GL_DICT: s_repr_dict(vm, v.u.dict, out); break;
    case GL_NAMESPACE:
        gl_buf_adds(out, "<Namespace ");
        s_repr_dict(vm, v.u.dict, out);
        gl_buf_addc(out, '>');
        break;
    case GL_MACRO: gl_macro_print(vm, v.u.macro, out); break;
    case GL_FUNC: gl_buf_printf(out, "<built-in method %s>", v.u.func->name); break;
    case GL_OBJECT:
        if (v.u.obj->cls->print) v.u.obj->cls->print(vm, v.u.obj, out);
        else gl_buf_printf(out, "<%s object>", v.u.obj->cls->name);
        break;
    default: break;
    }
}

void gl_str_of(gl_vm *vm, gl_value v, gl_buf *out)
{
    if (v.kind == GL_STR) gl_buf_add(out, v.u.s, v.len);
    else if (v.kind != GL_UNDEFINED && v.kind != GL_MISSING) s_print_common(vm, v, out);
}

void gl_repr(gl_vm *vm, gl_value v, gl_buf *out)
{
    if (v.kind == GL_STR) gl_repr_str(v.u.s, v.len, out);
    else if (v.kind == GL_UNDEFINED || v.kind == GL_MISSING) gl_buf_adds(out, "Undefined");
    else if (v.kind == GL_OBJECT && v.u.obj->ops && v.u.obj->ops->repr) v.u.obj->ops->repr(vm, v.u.obj, out);
    else s_print_common(vm, v, out);
}

gl_value gl_to_str(gl_vm *vm, gl_value v)
{
    if (v.kind == GL_STR) return v;
    if (v.kind == GL_UNDEFINED) return gl_str("", 0);
    gl_buf b;
    gl_buf_init(&b);
    gl_str_of(vm, v, &b);
    gl_value s = gl_str_copy(vm, b.data ? b.data : "", b.len);
    gl_buf_free(&b);
    return s;
}

/* ---------------------------------------------------------------- iteration, len */

gl_list *gl_iterate(gl_vm *vm, gl_value v, gl_span span)
{
    switch (v.kind) {
    case GL_LIST: case GL_TUPLE: return v.u.list;
    case GL_UNDEFINED: return gl_list_new(vm, 0).u.list;
    case GL_DICT: case GL_NAMESPACE: {
        gl_list *l = gl_list_new(vm, v.u.dict->count).u.list;
        for (uint32_t i = 0; i < v.u.dict->nentries; i++)
            if (v.u.dict->entries[i].live) l->items[l->len++] = v.u.dict->entries[i].key;
        return l;
    }
    case GL_STR: {
        gl_list *l = gl_list_new(vm, v.len).u.list;
        for (size_t i = 0; i < v.len;) {
            int32_t cp;
            int n = gl_utf8_decode(v.u.s + i, v.len - i, &cp);
            l->items[l->len++] = gl_str(v.u.s + i, (size_t)n);
            i += (size_t)n;
        }
        return l;
    }
    case GL_OBJECT: {
        gl_value items = v.u.obj->cls->getattr ? v.u.obj->cls->getattr(vm, v.u.obj, "__iter__", 8) : gl_missing();
        if (items.kind == GL_LIST || items.kind == GL_TUPLE) return items.u.list;
    } /* fallthrough */
    default:
        gl_vm_error(vm, GL_ERR_TYPE, span, "'%s' object is not iterable", gl_type_name(v));
    }
}

int64_t gl_length(gl_vm *vm, gl_value v, gl_span span)
{
    switch (v.kind) {
    case GL_STR: return (int64_t)gl_utf8_count(v.u.s, v.len);
    case GL_LIST: case GL_TUPLE:
        if (v.flags & GL_F_GENERATOR) break;
        return v.u.list->len;
    case GL_DICT: case GL_NAMESPACE: return v.u.dict->count;
    case GL_UNDEFINED: return 0;
    case GL_OBJECT: {
        gl_value items = v.u.obj->cls->getattr ? v.u.obj->cls->getattr(vm, v.u.obj, "__iter__", 8) : gl_missing();
        if (items.kind == GL_LIST || items.kind == GL_TUPLE) return items.u.list->len;
        break;
    }
    default:
        break;
    }
    gl_vm_error(vm, GL_ERR_TYPE, span, "object of type '%s' has no len()", gl_type_name(v));
}

/* ---------------------------------------------------------------- lookup */

gl_value gl_getattr(gl_vm *vm, gl_value obj, const char *name, size_t len, gl_span span)
{
    gl_value r;
    switch (obj.kind) {
    case GL_UNDEFINED:
        gl_vm_undefined_error(vm, obj, span);
    case GL_STR: case GL_LIST: case GL_TUPLE: case GL_DICT:
        if (obj.kind == GL_TUPLE && (obj.flags & GL_F_GROUPTUPLE) && obj.u.list->len == 2) {
            if (len == 7 && !memcmp(name, "grouper", 7)) return obj.u.list->items[0];
            if (len == 4 && !memcmp(name, "list", 4)) return obj.u.list->items[1];
        }
        r = gl_method(vm, obj, name, len);
        if (r.kind != GL_MISSING) return r;
        if (obj.kind == GL_DICT && gl_dict_get(obj.u.dict, gl_str(name, len), &r)) return r;
        break;
    case GL_NAMESPACE:
        if (gl_dict_get(obj.u.dict, gl_str(name, len), &r)) return r;
        break;
    case GL_MACRO:
        r = gl_macro_getattr(vm, obj.u.macro, name, len);
        if (r.kind != GL_MISSING) return r;
        break;
    case GL_OBJECT:
        if (obj.u.obj->cls->getattr && (len < 2 || name[0] != '_' || name[1] != '_')) {
            r = obj.u.obj->cls->getattr(vm, obj.u.obj, name, len);
            if (r.kind != GL_MISSING) return r;
        }
        break;
    default:
        break;
    }
    return gl_undefined_attr(vm, obj, gl_str_copy(vm, name, len));
}

static bool s_index(int64_t i, uint32_t len, uint32_t *out)
{
    if (i < 0) i += len;
    if (i < 0 || i >= (int64_t)len) return false;
    *out = (uint32_t)i;
    return true;
}

gl_value gl_getitem(gl_vm *vm, gl_value obj, gl_value key, gl_span span)
{
    gl_value r;
    uint32_t at;
    bool int_key = key.kind == GL_INT || key.kind == GL_BOOL;
    int64_t ki = key.kind == GL_BOOL ? key.u.b : key.u.i;
    switch (obj.kind) {
    case GL_UNDEFINED:
        gl_vm_undefined_error(vm, obj, span);
    case GL_LIST: case GL_TUPLE:
        if (obj.flags & GL_F_GENERATOR)
            gl_vm_error(vm, GL_ERR_TYPE, span, "'generator' object is not subscriptable");
        if (int_key && s_index(ki, obj.u.list->len, &at)) return obj.u.list->items[at];
        break;
    case GL_STR:
        if (int_key) {
            size_t n = gl_utf8_count(obj.u.s, obj.len);
            if (s_index(ki, (uint32_t)n, &at)) {
                size_t b = gl_utf8_offset(obj.u.s, obj.len, at);
                size_t e = gl_utf8_offset(obj.u.s, obj.len, at + 1);
                return gl_str(obj.u.s + b, e - b);
            }
        }
        break;
    case GL_DICT: case GL_NAMESPACE:
        if (gl_dict_get(obj.u.dict, key, &r)) return r;
        break;
    case GL_OBJECT:      /* sequence-like objects (range) index their items */
        if (int_key && obj.u.obj->cls->getattr &&
            obj.u.obj->cls->getattr(vm, obj.u.obj, "__sequence__", 12).kind != GL_MISSING) {
            r = obj.u.obj->cls->getattr(vm, obj.u.obj, "__iter__", 8);
            if ((r.kind == GL_LIST || r.kind == GL_TUPLE) && s_index(ki, r.u.list->len, &at)) return r.u.list->items[at];
        }
        break;
    default:
        break;
    }
    if (key.kind == GL_STR) return gl_getattr(vm, obj, key.u.s, key.len, span);
    return gl_undefined_attr(vm, obj, key);
}

/* ---------------------------------------------------------------- UTF-8 */

size_t gl_utf8_count(const char *s, size_t len)
{
    size_t c = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) c++;
    return c;
}

size_t gl_utf8_offset(const char *s, size_t len, size_t idx)
{
    size_t i = 0;
    for (size_t c = 0; i < len; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            if (c == idx) return i;
            c++;
        }
    }
    return len;
}

int gl_utf8_decode(const char *s, size_t len, int32_t *cp)
{
    utf8proc_int32_t c;
    utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &c);
    if (n <= 0) {
        *cp = (unsigned char)s[0];
        return 1;
    }
    *cp = c;
    return (int)n;
}

void gl_utf8_encode(int32_t cp, gl_buf *out)
{
    utf8proc_uint8_t tmp[4];
    utf8proc_ssize_t n = utf8proc_encode_char(cp, tmp);
    gl_buf_add(out, (const char *)tmp, (size_t)n);
}

/* ---------------------------------------------------------------- arguments */

void gl_args_bind(gl_vm *vm, const gl_args *a, const char *fname,
                  const char *const *names, int nreq, gl_value *out)
{
    int n = 0;
    while (names[n]) n++;
    for (int i = 0; i < n; i++) out[i] = gl_missing();
    if ((int)a->npos > n)
        gl_vm_error(vm, GL_ERR_TYPE, a->span, "%s() takes at most %d argument%s (%u given)",
                    fname, n, n == 1 ? "" : "s", a->npos);
    for (uint32_t i = 0; i < a->npos; i++) out[i] = a->pos[i];
    for (uint32_t k = 0; k < a->nkw; k++) {
        int i = 0;
        while (i < n && strcmp(names[i], a->kw_names[k]->str) != 0) i++;
        if (i == n)
            gl_vm_error(vm, GL_ERR_TYPE, a->span, "%s() got an unexpected keyword argument '%s'",
                        fname, a->kw_names[k]->str);
        if (out[i].kind != GL_MISSING)
            gl_vm_error(vm, GL_ERR_TYPE, a->span, "%s() got multiple values for argument '%s'",
                        fname, names[i]);
        out[i] = a->kw[k];
    }
    for (int i = 0; i < nreq; i++)
        if (out[i].kind == GL_MISSING)
            gl_vm_error(vm, GL_ERR_TYPE, a->span, "%s() missing required argument '%s' (pos %d)",
                        fname, names[i], i + 1);
}

int64_t gl_arg_int(gl_vm *vm, const gl_args *a, gl_value v, const char *fname, int64_t dflt)
{
    if (v.kind == GL_MISSING) return dflt;
    if (v.kind == GL_INT) return v.u.i;
    if (v.kind == GL_BOOL) return v.u.b;
    gl_vm_error(vm, GL_ERR_TYPE, a->span, "%s(): '%s' object cannot be interpreted as an integer",
                fname, gl_type_name(v));
}

bool gl_arg_bool(gl_value v, bool dflt) { return v.kind == GL_MISSING ? dflt : gl_truthy(v); }
