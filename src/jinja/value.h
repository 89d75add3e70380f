/* src/jinja/value.h - Jinja values (jinja layer): a 16-byte tagged union with Python
 * semantics for truth, equality, ordering, hashing, str() and repr().
 *
 * Ownership rule: values never own anything. Strings, lists, dicts and objects live in
 * the arena of the gl_vm that made them (or are static / point into source text that
 * outlives the render); nothing is freed singly and there are no reference counts.
 * Lists and dicts are mutable and shared by reference, as in Python. Data that must
 * outlive a render is copied out by its owner. */
#ifndef GL_VALUE_H
#define GL_VALUE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "util/buf.h"
#include "util/diag.h"
#include "util/intern.h"

typedef struct gl_vm gl_vm;

typedef enum gl_kind {      /* ORDER: s_kind_names in value.c */
    GL_MISSING,             /* internal: an argument that was not passed; never seen by templates */
    GL_UNDEFINED,           /* Jinja's Undefined; u.undef says what was looked up (may be NULL) */
    GL_NONE,
    GL_BOOL,                /* u.b */
    GL_INT,                 /* u.i: 64-bit; overflow is an error, never a wrap */
    GL_FLOAT,               /* u.f */
    GL_STR,                 /* u.s, len bytes of UTF-8; not NUL-terminated in general */
    GL_LIST,                /* u.list */
    GL_TUPLE,               /* u.list, never mutated after construction */
    GL_DICT,                /* u.dict, insertion ordered */
    GL_NAMESPACE,           /* u.dict: namespace(); attributes are its keys */
    GL_MACRO,               /* u.macro: a {% macro %} or caller; opaque outside eval */
    GL_FUNC,                /* u.func: a native callable (global, bound method) */
    GL_OBJECT               /* u.obj: native object with a class (loop, cycler, joiner...) */
} gl_kind;

enum {
    GL_F_SAFE = 1,          /* GL_STR: Markup (already escaped) */
    GL_F_GROUPTUPLE = 2,    /* GL_TUPLE from groupby: answers .grouper and .list */
    GL_F_GENERATOR = 4      /* GL_LIST standing for a Python generator (map, select...):
                             * always true, no len(), no indexing */
};

typedef struct gl_list gl_list;
typedef struct gl_dict gl_dict;
typedef struct gl_macro gl_macro;
typedef struct gl_func gl_func;
typedef struct gl_object gl_object;
typedef struct gl_undef gl_undef;

typedef struct gl_value {
    uint8_t kind;           /* gl_kind */
    uint8_t flags;          /* GL_F_* */
    uint16_t spare;
    uint32_t len;           /* GL_STR: byte length */
    union {
        bool b;
        int64_t i;
        double f;
        const char *s;
        gl_list *list;
        gl_dict *dict;
        gl_macro *macro;
        gl_func *func;
        gl_object *obj;
        gl_undef *undef;
    } u;
} gl_value;

_Static_assert(sizeof(gl_value) == 16, "gl_value must stay 16 bytes");

struct gl_list {
    gl_value *items;
    uint32_t len, cap;
};

typedef struct gl_dict_entry {
    gl_value key, value;
    uint32_t hash;
    bool live;              /* false once deleted (pop) */
} gl_dict_entry;

struct gl_dict {
    gl_dict_entry *entries; /* insertion order, with holes where deleted */
    uint32_t nentries, cap; /* used / allocated entries */
    uint32_t count;         /* live entries */
    uint32_t *index;        /* open addressing: entry index + 1, 0 = empty */
    uint32_t index_cap;     /* power of two, 0 while small (linear scan) */
};

/* Undefined keeps what was looked up, to explain itself in error messages. */
struct gl_undef {
    const char *hint;       /* full message when set (NULL otherwise) */
    gl_value obj;           /* the container looked into, GL_MISSING for a plain name */
    gl_value name;          /* the name (GL_STR) or key that was missing */
};

/* Native callables: globals (range, dict...), bound methods ('a'.upper), cyclers... */
typedef struct gl_args {
    const gl_value *pos;
    uint32_t npos;
    uint32_t nkw;
    const gl_name *const *kw_names;
    const gl_value *kw;
    gl_span span;           /* the call, for diagnostics */
} gl_args;

typedef gl_value (*gl_native_fn)(gl_vm *vm, gl_func *self, const gl_args *a);

struct gl_func {
    const char *name;       /* for messages and repr */
    gl_native_fn fn;
    gl_value self;          /* bound receiver (methods), else GL_MISSING */
    void *data;             /* extra state */
};

/* Native objects: a class gives attribute lookup, calling and printing. Protocol
 * names answered by getattr: "__iter__" (a list of the items: the object iterates),
 * "__len__" (an int; computed without the vm, which may be NULL: truth uses it),
 * "__sequence__" (true: integer subscripts index the items, as range does),
 * "__mapping__" (true: the object is a Mapping for the `mapping` test, as dbt's
 * relations are; computed without the vm, which is NULL then). */
typedef struct gl_class {
    const char *name;                                               /* type name */
    gl_value (*getattr)(gl_vm *vm, gl_object *o, const char *name, size_t len); /* GL_MISSING if none */
    gl_value (*call)(gl_vm *vm, gl_object *o, const gl_args *a);   /* NULL: not callable */
    void (*print)(gl_vm *vm, gl_object *o, gl_buf *out);            /* str() and repr() */
} gl_class;

/* Python operators of a native object (datetime, timedelta...): optional, per object
 * (gl_object.ops, NULL when the object has none). Each hook receives both operands as
 * they appear (the object is a or b) and answers for its own types only. */
typedef struct gl_ops {
    bool (*equal)(gl_value a, gl_value b);          /* ==, never an error */
    uint32_t (*hash)(gl_value v);                   /* consistent with equal */
    /* <0, 0, >0 like gl_compare; raises TypeError itself when Python would */
    int (*compare)(gl_vm *vm, gl_value a, gl_value b, const char *op, gl_span span);
    /* a OP b, op a gl_binop (+ - * / // % **); GL_MISSING: not supported (NotImplemented) */
    gl_value (*binop)(gl_vm *vm, int op, gl_value a, gl_value b, gl_span span);
    /* '-', '+' or 'a' (abs()) of v; GL_MISSING: not supported */
    gl_value (*unary)(gl_vm *vm, char op, gl_value v, gl_span span);
    /* repr() when it differs from str() (the class's print) */
    void (*repr)(gl_vm *vm, gl_object *o, gl_buf *out);
} gl_ops;

struct gl_object {
    const gl_class *cls;
    void *data;
    const gl_ops *ops;      /* NULL: identity equality, no operators */
};

/* ---- constructors (no allocation unless a vm is passed) ---- */
static inline gl_value gl_missing(void) { gl_value v = {0}; v.kind = GL_MISSING; return v; }
static inline gl_value gl_none(void) { gl_value v = {0}; v.kind = GL_NONE; return v; }
static inline gl_value gl_bool(bool b) { gl_value v = {0}; v.kind = GL_BOOL; v.u.b = b; return v; }
static inline gl_value gl_int(int64_t i) { gl_value v = {0}; v.kind = GL_INT; v.u.i = i; return v; }
static inline gl_value gl_float(double f) { gl_value v = {0}; v.kind = GL_FLOAT; v.u.f = f; return v; }
/* A string that points at bytes which outlive the render (arena, static or source). */
static inline gl_value gl_str(const char *s, size_t len)
{
    gl_value v = {0};
    v.kind = GL_STR;
    v.len = (uint32_t)len;
    v.u.s = s;
    return v;
}
gl_value gl_cstr(const char *s);                          /* static C string */
gl_value gl_str_copy(gl_vm *vm, const char *s, size_t len); /* copy into the vm arena */
gl_value gl_str_from_buf(gl_vm *vm, const gl_buf *b);    /* copy a buffer's bytes */
gl_value gl_undefined(gl_vm *vm, const char *name, size_t len);   /* 'name' is undefined */
gl_value gl_undefined_attr(gl_vm *vm, gl_value obj, gl_value name); /* obj has no attr */
gl_value gl_undefined_hint(gl_vm *vm, const char *hint);
gl_value gl_list_new(gl_vm *vm, uint32_t cap);
gl_value gl_tuple_new(gl_vm *vm, uint32_t len);           /* len items, set them directly */
gl_value gl_dict_new(gl_vm *vm);
gl_value gl_func_new(gl_vm *vm, const char *name, gl_native_fn fn, gl_value self, void *data);
gl_value gl_object_new(gl_vm *vm, const gl_class *cls, void *data);
/* The object's operators: v.u.obj->ops; this returns the hook of a or b, NULL if none. */
const gl_ops *gl_ops_of(gl_value a, gl_value b);

/* A context variable computed on first use (dbt's `model`): stored in a render's
 * context dict, it is replaced there by fn(vm, data) the first time a template reads
 * the name, so renders that never read it never build it. Only the evaluator's name
 * lookup forces it; it must not be put anywhere else. */
typedef gl_value (*gl_lazy_fn)(gl_vm *vm, void *data, gl_span read_at);   /* may raise */
gl_value gl_lazy_new(gl_vm *vm, gl_lazy_fn fn, void *data);
bool gl_is_lazy(gl_value v);
gl_value gl_lazy_force(gl_vm *vm, gl_value v, gl_span read_at);

static inline bool gl_is_str(gl_value v) { return v.kind == GL_STR; }
static inline bool gl_is_undefined(gl_value v) { return v.kind == GL_UNDEFINED; }
static inline bool gl_is_seq(gl_value v) { return v.kind == GL_LIST || v.kind == GL_TUPLE; }
/* bool, int and float are numbers, as in Python */
static inline bool gl_is_number(gl_value v) { return v.kind == GL_BOOL || v.kind == GL_INT || v.kind == GL_FLOAT; }
static inline bool gl_is_callable(gl_value v)
{
    return v.kind == GL_MACRO || v.kind == GL_FUNC || (v.kind == GL_OBJECT && v.u.obj->cls->call);
}

/* ---- lists and dicts ---- */
void gl_list_push(gl_vm *vm, gl_list *l, gl_value v);
void gl_list_insert(gl_vm *vm, gl_list *l, int64_t at, gl_value v);  /* Python insert */
gl_value gl_list_from(gl_vm *vm, const gl_value *items, uint32_t n, gl_kind kind);

bool gl_dict_get(const gl_dict *d, gl_value key, gl_value *out);
bool gl_dict_get_cstr(const gl_dict *d, const char *key, gl_value *out);
/* Keys must be hashable (checked by the caller with gl_hashable, or error). */
void gl_dict_set(gl_vm *vm, gl_dict *d, gl_value key, gl_value value);
void gl_dict_set_cstr(gl_vm *vm, gl_dict *d, const char *key, gl_value value);
bool gl_dict_del(gl_dict *d, gl_value key, gl_value *out);
/* Iterate: for (uint32_t i = 0; i < d->nentries; i++) if (d->entries[i].live) ... */

/* ---- Python semantics ---- */
bool gl_truthy(gl_value v);
bool gl_equal(gl_value a, gl_value b);                   /* ==, never an error */
bool gl_hashable(gl_value v);
uint32_t gl_hash(gl_value v);                            /* equal values hash equal */
/* <, <=... : returns <0, 0, >0; raises TypeError when Python would ("'<' not
 * supported between instances of 'int' and 'str'"); op names the operator. */
int gl_compare(gl_vm *vm, gl_value a, gl_value b, const char *op, gl_span span);
const char *gl_type_name(gl_value v);                    /* Python type name: int, str, NoneType... */
double gl_as_double(gl_value v);                         /* bool/int/float */

/* str() and repr() into a buffer, exactly as Python prints them. */
void gl_str_of(gl_vm *vm, gl_value v, gl_buf *out);
void gl_repr(gl_vm *vm, gl_value v, gl_buf *out);
void gl_repr_str(const char *s, size_t len, gl_buf *out);   /* Python repr of a str */
void gl_format_float(double f, gl_buf *out);                 /* Python repr of a float */
/* str(v) as a value (a GL_STR is returned as it is). */
gl_value gl_to_str(gl_vm *vm, gl_value v);

/* Iteration: the items of an iterable as a list snapshot (list/tuple: the same items;
 * dict/namespace: keys; str: one-code-point strings; undefined: empty). Other kinds
 * raise "'int' object is not iterable". */
gl_list *gl_iterate(gl_vm *vm, gl_value v, gl_span span);
/* len(): strings count code points; raises "object of type 'int' has no len()". */
int64_t gl_length(gl_vm *vm, gl_value v, gl_span span);

/* Attribute and item lookup with Jinja2's sandboxed rules: getattr prefers Python
 * attributes (methods of str/list/dict, object attributes) and falls back to items;
 * getitem prefers items and falls back to attributes. A miss is an Undefined that
 * remembers obj and name. Lookup on Undefined raises UndefinedError. */
gl_value gl_getattr(gl_vm *vm, gl_value obj, const char *name, size_t len, gl_span span);
gl_value gl_getitem(gl_vm *vm, gl_value obj, gl_value key, gl_span span);
/* Python methods of built-in types ('a,b'.split, l.append, d.items...): a bound
 * GL_FUNC, or GL_MISSING when the type has no such method (methods.c). */
gl_value gl_method(gl_vm *vm, gl_value self, const char *name, size_t len);

/* ---- UTF-8 ---- */
size_t gl_utf8_count(const char *s, size_t len);          /* code points */
/* Byte offset of code point index i (clamped to len). */
size_t gl_utf8_offset(const char *s, size_t len, size_t i);
/* Decode one code point at s (len > 0); returns bytes used (1 on invalid input). */
int gl_utf8_decode(const char *s, size_t len, int32_t *cp);
void gl_utf8_encode(int32_t cp, gl_buf *out);

/* ---- argument binding for native callables ---- */
/* Binds a call's arguments to parameters by position then keyword, like a Python
 * signature: names is a NULL-terminated list, the first nreq are required. Absent
 * optional parameters come back as GL_MISSING. Errors name fname like Python does
 * ("split() takes at most 2 arguments (3 given)", "unexpected keyword argument"). */
void gl_args_bind(gl_vm *vm, const gl_args *a, const char *fname,
                  const char *const *names, int nreq, gl_value *out);
/* Typed accessors for bound arguments, raising TypeError naming fname and param. */
int64_t gl_arg_int(gl_vm *vm, const gl_args *a, gl_value v, const char *fname, int64_t dflt);
bool gl_arg_bool(gl_value v, bool dflt);
#endif
