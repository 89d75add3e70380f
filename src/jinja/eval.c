/* src/jinja/eval.c - the tree-walking evaluator (jinja layer): statements, expressions,
 * frames and scoping, macros and caller, for loops and the loop object.
 * Errors longjmp through gl_vm_error; break/continue travel as a flag. */
#include "jinja/eval.h"
#include "jinja/sb.h"
#include "util/suggest.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- frames */

typedef struct gl_frame gl_frame;
struct gl_frame {
    gl_frame *parent;          /* enclosing scope; NULL for the template's root */
    const gl_name **keys;
    gl_value *vals;
    uint32_t n, cap;
};

typedef enum { GL_CTL_NONE, GL_CTL_BREAK, GL_CTL_CONTINUE } gl_ctl;

typedef struct gl_eval {
    gl_vm *vm;
    const gl_template *tpl;
    gl_frame *root;
    gl_value ctx;              /* GL_DICT of the render's variables, or GL_NONE */
    gl_buf *out;               /* where output goes now */
    gl_ctl ctl;                /* pending break/continue */
    uint32_t edepth;           /* expression nesting, capped */
    const gl_name *n_loop, *n_varargs, *n_kwargs, *n_caller;
} gl_eval;

struct gl_macro {
    const gl_node *node;       /* MACRO or CALL_BLOCK */
    gl_frame *closure;         /* the frame it was defined in (NULL: none, dbt's macros) */
    const gl_name *name;       /* "caller" for call blocks */
    const gl_source *src;      /* the file it was written in, for diagnostics */
};

enum { GL_MAX_EDEPTH = 600, GL_MAX_CALL_DEPTH = 400 };

static gl_frame *s_frame_new(gl_eval *E, gl_frame *parent)
{
    gl_frame *f = gl_arena_zalloc(&E->vm->arena, sizeof *f);
    f->parent = parent;
    return f;
}

static void s_frame_set(gl_eval *E, gl_frame *f, const gl_name *k, gl_value v)
{
    for (uint32_t i = 0; i < f->n; i++)
        if (f->keys[i] == k) { f->vals[i] = v; return; }
    if (f->n == f->cap) {
        uint32_t cap = f->cap ? f->cap * 2 : 4;
        f->keys = gl_arena_grow(&E->vm->arena, f->keys, f->n * sizeof *f->keys, cap * sizeof *f->keys);
        f->vals = gl_arena_grow(&E->vm->arena, f->vals, f->n * sizeof *f->vals, cap * sizeof *f->vals);
        f->cap = cap;
    }
    f->keys[f->n] = k;
    f->vals[f->n++] = v;
}

static bool s_frame_get(const gl_frame *f, const gl_name *k, gl_value *out)
{
    for (; f; f = f->parent)
        for (uint32_t i = f->n; i-- > 0;)
            if (f->keys[i] == k) { *out = f->vals[i]; return true; }
    return false;
}

static gl_value s_lookup(gl_eval *E, gl_frame *f, const gl_name *name, gl_span span)
{
    gl_value v;
    if (s_frame_get(f, name, &v)) return v;
    gl_value key = gl_str(name->str, name->len);
    if (E->ctx.kind == GL_DICT && gl_dict_get(E->ctx.u.dict, key, &v)) {
        if (gl_is_lazy(v)) {   /* computed on first read, then kept */
            v = gl_lazy_force(E->vm, v, span);
            gl_dict_set(E->vm, E->ctx.u.dict, key, v);
        }
        return v;
    }
    if (gl_dict_get(E->vm->globals, key, &v)) return v;
    return gl_undefined(E->vm, name->str, name->len);
}

/* ---------------------------------------------------------------- helpers */

static gl_value s_eval(gl_eval *E, gl_frame *f, const gl_node *n);
static void s_exec(gl_eval *E, gl_frame *f, const gl_node *body);

_Noreturn static void s_undef_fail(gl_eval *E, gl_value u, gl_span span)
{
    gl_vm_undefined_error(E->vm, u, span);
}

static gl_value s_defined(gl_eval *E, gl_value v, gl_span span)
{
    if (v.kind == GL_UNDEFINED) s_undef_fail(E, v, span);
    return v;
}

/* Evaluates call arguments (positional, name=value, *list, **dict) into a gl_args. */
static gl_args s_args(gl_eval *E, gl_frame *f, gl_node *const *items, uint32_t n, gl_span span)
{
    gl_vm *vm = E->vm;
    gl_list *pos = gl_list_new(vm, n).u.list;
    gl_list *kwv = gl_list_new(vm, 0).u.list;
    const gl_name **kwn = NULL;
    uint32_t nkw = 0, capkw = 0;
    for (uint32_t i = 0; i < n; i++) {
        const gl_node *a = items[i];
        if (a->kind == GL_N_KWARG || a->kind == GL_N_DSTARARG) {
            gl_value v = s_eval(E, f, a->a);
            const gl_dict *d = NULL;
            if (a->kind == GL_N_DSTARARG) {
                if (v.kind != GL_DICT) gl_vm_error(vm, GL_ERR_TYPE, a->span, "argument after ** must be a mapping, not %s", gl_type_name(v));
                d = v.u.dict;
            }
            uint32_t cnt = d ? d->count : 1;
            if (nkw + cnt > capkw) {
                uint32_t cap = (nkw + cnt) * 2;
                kwn = gl_arena_grow(&vm->arena, kwn, nkw * sizeof *kwn, cap * sizeof *kwn);
                capkw = cap;
            }
            if (!d) {
                kwn[nkw++] = a->name;
                gl_list_push(vm, kwv, v);
                continue;
            }
            for (uint32_t k = 0; k < d->nentries; k++) {
                if (!d->entries[k].live) continue;
                gl_value key = d->entries[k].key;
                if (key.kind != GL_STR) gl_vm_error(vm, GL_ERR_TYPE, a->span, "keywords must be strings");
                kwn[nkw++] = gl_intern(vm->names, key.u.s, key.len);
                gl_list_push(vm, kwv, d->entries[k].value);
            }
        } else if (a->kind == GL_N_STARARG) {
            gl_list *l = gl_iterate(vm, s_eval(E, f, a->a), a->span);
            for (uint32_t k = 0; k < l->len; k++) gl_list_push(vm, pos, l->items[k]);
        } else {
            gl_list_push(vm, pos, s_eval(E, f, a));
        }
    }
    gl_args args = { pos->items, pos->len, nkw, kwn, kwv->items, span };
    return args;
}

static bool s_int_of(gl_value v, int64_t *out)
{
    if (v.kind == GL_INT) { *out = v.u.i; return true; }
    if (v.kind == GL_BOOL) { *out = v.u.b; return true; }
    return false;
}

/* ---------------------------------------------------------------- arithmetic */

_Noreturn static void s_unsupported(gl_eval *E, const char *op, gl_value a, gl_value b, gl_span span)
{
    gl_vm_error(E->vm, GL_ERR_TYPE, span, "unsupported operand type(s) for %s: '%s' and '%s'",
                op, gl_type_name(a), gl_type_name(b));
}

_Noreturn static void s_overflow(gl_eval *E, gl_span span)
{
    gl_vm_hint(E->vm, "gluec computes with 64-bit integers; use a float for larger values");
    gl_vm_error(E->vm, GL_ERR_OVERFLOW, span, "integer overflow");
}

static gl_value s_concat_seq(gl_eval *E, gl_value a, gl_value b)
{
    gl_value r = gl_list_new(E->vm, a.u.list->len + b.u.list->len);
    if (a.u.list->len) memcpy(r.u.list->items, a.u.list->items, a.u.list->len * sizeof(gl_value));
    if (b.u.list->len) memcpy(r.u.list->items + a.u.list->len, b.u.list->items, b.u.list->len * sizeof(gl_value));
    r.u.list->len = a.u.list->len + b.u.list->len;
    r.kind = a.kind;
    return r;
}

static gl_value s_repeat(gl_eval *E, gl_value seq, int64_t times, gl_span span)
{
    gl_vm *vm = E->vm;
    if (times < 0) times = 0;
    if (seq.kind == GL_STR) {
        if (times && seq.len && (uint64_t)times > (1u << 30) / seq.len)
            gl_vm_error(vm, GL_ERR_OVERFLOW, span, "repeated string is too large");
        size_t n = seq.len * (size_t)times;
        char *p = gl_arena_alloc(&vm->arena, n ? n : 1);
        for (int64_t i = 0; i < times; i++) memcpy(p + i * seq.len, seq.u.s, seq.len);
        return gl_str(p, n);
    }
    uint32_t len = seq.u.list->len;
    if (len == 0 || times == 0) {   /* nothing to copy (and no items pointer to offset) */
        gl_value r = gl_list_new(vm, 0);
        r.kind = seq.kind;
        return r;
    }
    if ((uint64_t)times > (1u << 26) / len)
        gl_vm_error(vm, GL_ERR_OVERFLOW, span, "repeated list is too large");
    gl_value r = gl_list_new(vm, (uint32_t)(len * times));
    for (int64_t i = 0; i < times; i++)
        memcpy(r.u.list->items + i * len, seq.u.list->items, len * sizeof(gl_value));
    r.u.list->len = (uint32_t)(len * times);
    r.kind = seq.kind;
    return r;
}

static double s_fmod_py(double x, double y)
{
    double m = fmod(x, y);
    if (m != 0.0 && ((y < 0) != (m < 0))) m += y;
    else if (m == 0.0) m = copysign(0.0, y);
    return m;
}

static gl_value s_int_pow(gl_eval *E, int64_t base, int64_t exp, gl_span span)
{
    if (exp < 0) {
        if (base == 0) gl_vm_error(E->vm, GL_ERR_ZERO_DIVISION, span, "0.0 cannot be raised to a negative power");
        return gl_float(pow((double)base, (double)exp));
    }
    int64_t r = 1;
    while (exp > 0) {
        if ((exp & 1) && __builtin_mul_overflow(r, base, &r)) s_overflow(E, span);
        exp >>= 1;
        if (exp && __builtin_mul_overflow(base, base, &base)) s_overflow(E, span);
    }
    return gl_int(r);
}

static const char *const s_op_text[] = { "+", "-", "*", "/", "//", "%", "**" };  /* ORDER: gl_binop */

static gl_value s_binop(gl_eval *E, int op, gl_value a, gl_value b, gl_span span)
{
    gl_vm *vm = E->vm;
    if (op == GL_OP_MOD && a.kind == GL_STR) return gl_format_percent(vm, a, b, span);
    s_defined(E, a, span);
    s_defined(E, b, span);
    int64_t x, y, r;
    if (s_int_of(a, &x) && s_int_of(b, &y)) {
        switch (op) {
        case GL_OP_ADD: if (__builtin_add_overflow(x, y, &r)) s_overflow(E, span); return gl_int(r);
        case GL_OP_SUB: if (__builtin_sub_overflow(x, y, &r)) s_overflow(E, span); return gl_int(r);
        case GL_OP_MUL: if (__builtin_mul_overflow(x, y, &r)) s_overflow(E, span); return gl_int(r);
        case GL_OP_DIV:
            if (y == 0) gl_vm_error(vm, GL_ERR_ZERO_DIVISION, span, "division by zero");
            return gl_float((double)x / (double)y);
        case GL_OP_FLOORDIV: case GL_OP_MOD:
            if (y == 0) gl_vm_error(vm, GL_ERR_ZERO_DIVISION, span,
                                    op == GL_OP_MOD ? "integer modulo by zero" : "integer division or modulo by zero");
            if (x == INT64_MIN && y == -1) {
                if (op == GL_OP_MOD) return gl_int(0);
                s_overflow(E, span);
            }
            {
                int64_t q = x / y, m = x % y;
                if (m != 0 && ((m < 0) != (y < 0))) { q--; m += y; }
                return gl_int(op == GL_OP_MOD ? m : q);
            }
        case GL_OP_POW: return s_int_pow(E, x, y, span);
        }
    }
    if (gl_is_number(a) && gl_is_number(b)) {
        double p = gl_as_double(a), q = gl_as_double(b);
        switch (op) {
        case GL_OP_ADD: return gl_float(p + q);
        case GL_OP_SUB: return gl_float(p - q);
        case GL_OP_MUL: return gl_float(p * q);
        case GL_OP_DIV:
            if (q == 0) gl_vm_error(vm, GL_ERR_ZERO_DIVISION, span, "float division by zero");
            return gl_float(p / q);
        case GL_OP_FLOORDIV:
            if (q == 0) gl_vm_error(vm, GL_ERR_ZERO_DIVISION, span, "float floor division by zero");
            return gl_float(floor(p / q) == p / q ? p / q : floor((p - s_fmod_py(p, q)) / q + 0.5));
        case GL_OP_MOD:
            if (q == 0) gl_vm_error(vm, GL_ERR_ZERO_DIVISION, span, "float modulo");
            return gl_float(s_fmod_py(p, q));
        case GL_OP_POW:
            if (p == 0 && q < 0) gl_vm_error(vm, GL_ERR_ZERO_DIVISION, span, "0.0 cannot be raised to a negative power");
            if (p < 0 && q != floor(q)) gl_vm_error(vm, GL_ERR_VALUE, span, "complex results are not supported");
            return gl_float(pow(p, q));
        }
    }
    if (op == GL_OP_ADD && a.kind == GL_STR && b.kind == GL_STR && ((a.flags ^ b.flags) & GL_F_SAFE)) {
        gl_sb m;                           /* Markup + str escapes the plain side */
        gl_sb_init(&m, vm, span);
        if (a.flags & GL_F_SAFE) gl_sb_addv(&m, a); else gl_sb_add_html(&m, a.u.s, a.len);
        if (b.flags & GL_F_SAFE) gl_sb_addv(&m, b); else gl_sb_add_html(&m, b.u.s, b.len);
        return gl_sb_value(&m, GL_F_SAFE);
    }
    if (op == GL_OP_ADD && a.kind == b.kind && (a.kind == GL_STR)) {
        size_t n = (size_t)a.len + b.len;
        char *s = gl_arena_alloc(&vm->arena, n ? n : 1);
        memcpy(s, a.u.s, a.len);
        memcpy(s + a.len, b.u.s, b.len);
        gl_value r = gl_str(s, n);
        r.flags = a.flags & b.flags & GL_F_SAFE;
        return r;
    }
    if (op == GL_OP_ADD && a.kind == b.kind && gl_is_seq(a)) return s_concat_seq(E, a, b);
    if (op == GL_OP_ADD && (a.kind == GL_STR || gl_is_seq(a)))
        gl_vm_error(vm, GL_ERR_TYPE, span, "can only concatenate %s (not \"%s\") to %s",
                    gl_type_name(a), gl_type_name(b), gl_type_name(a));
    if (op == GL_OP_MUL && (a.kind == GL_STR || gl_is_seq(a)) && s_int_of(b, &y)) return s_repeat(E, a, y, span);
    if (op == GL_OP_MUL && (b.kind == GL_STR || gl_is_seq(b)) && s_int_of(a, &x)) return s_repeat(E, b, x, span);
    const gl_ops *ops = gl_ops_of(a, b);
    if (ops && ops->binop) {
        gl_value r = ops->binop(vm, op, a, b, span);
        if (r.kind != GL_MISSING) return r;
    }
    if (op == GL_OP_POW) s_unsupported(E, "** or pow()", a, b, span);
    s_unsupported(E, s_op_text[op], a, b, span);
}

gl_value gl_eval_binop(gl_vm *vm, int op, gl_value a, gl_value b, gl_span span)
{
    return s_binop(vm->eval, op, a, b, span);
}

/* ---------------------------------------------------------------- comparisons */

static bool s_contains(gl_eval *E, gl_value item, gl_value seq, gl_span span)
{
    gl_vm *vm = E->vm;
    switch (seq.kind) {
    case GL_STR:
        if (item.kind != GL_STR)
            gl_vm_error(vm, GL_ERR_TYPE, span, "'in <string>' requires string as left operand, not %s", gl_type_name(item));
        if (item.len == 0) return true;
        for (size_t i = 0; i + item.len <= seq.len; i++)
            if (memcmp(seq.u.s + i, item.u.s, item.len) == 0) return true;
        return false;
    case GL_DICT: case GL_NAMESPACE: {
        if (!gl_hashable(item)) gl_vm_error(vm, GL_ERR_TYPE, span, "unhashable type: '%s'", gl_type_name(item));
        gl_value dummy;
        return gl_dict_get(seq.u.dict, item, &dummy);
    }
    case GL_UNDEFINED:
        return false;
    default: {
        gl_list *l = gl_iterate(vm, seq, span);
        for (uint32_t i = 0; i < l->len; i++)
            if (gl_equal(l->items[i], item)) return true;
        return false;
    }
    }
}

static bool s_compare_op(gl_eval *E, int op, gl_value a, gl_value b, gl_span span)
{
    static const char *const text[] = { "==", "!=", "<", "<=", ">", ">=" };
    switch (op) {
    case GL_CMP_EQ: return gl_equal(a, b);
    case GL_CMP_NE: return !gl_equal(a, b);
    case GL_CMP_IN: return s_contains(E, a, b, span);
    case GL_CMP_NOTIN: return !s_contains(E, a, b, span);
    default: break;
    }
    s_defined(E, a, span);
    s_defined(E, b, span);
    int c = gl_compare(E->vm, a, b, text[op], span);
    if (c == 2) return false;   /* NaN */
    switch (op) {
    case GL_CMP_LT: return c < 0;
    case GL_CMP_LE: return c <= 0;
    case GL_CMP_GT: return c > 0;
    default: return c >= 0;
    }
}

/* ---------------------------------------------------------------- slicing */

static void s_slice_bounds(int64_t len, gl_value vs, gl_value ve, int64_t step, int64_t *start, int64_t *stop)
{
    int64_t lo = step < 0 ? -1 : 0, hi = step < 0 ? len - 1 : len;
    int64_t s = 0, e = 0;
    if (vs.kind == GL_NONE) s = step < 0 ? hi : lo;
    else {
        s_int_of(vs, &s);
        if (s < 0) { s += len; if (s < lo) s = lo; }
        else if (s > hi) s = hi;
    }
    if (ve.kind == GL_NONE) e = step < 0 ? lo : hi;
    else {
        s_int_of(ve, &e);
        if (e < 0) { e += len; if (e < lo) e = lo; }
        else if (e > hi) e = hi;
    }
    *start = s;
    *stop = e;
}

static gl_value s_slice_part(gl_eval *E, gl_frame *f, const gl_node *n)
{
    if (!n) return gl_none();
    gl_value v = s_eval(E, f, n);
    int64_t dummy;
    if (v.kind != GL_NONE && !s_int_of(v, &dummy))
        gl_vm_error(E->vm, GL_ERR_TYPE, n->span, "slice indices must be integers or None or have an __index__ method");
    return v;
}

static gl_value s_slice(gl_eval *E, gl_frame *f, gl_value obj, const gl_node *sl)
{
    gl_vm *vm = E->vm;
    gl_value vs = s_slice_part(E, f, sl->a), ve = s_slice_part(E, f, sl->b), vstep = s_slice_part(E, f, sl->c);
    int64_t step = 1;
    if (vstep.kind != GL_NONE) s_int_of(vstep, &step);
    if (step == 0) gl_vm_error(vm, GL_ERR_VALUE, sl->span, "slice step cannot be zero");
    s_defined(E, obj, sl->span);
    if (obj.kind != GL_STR && !gl_is_seq(obj))
        gl_vm_error(vm, GL_ERR_TYPE, sl->span, "'%s' object is not subscriptable", gl_type_name(obj));
    gl_list *items = gl_iterate(vm, obj, sl->span);
    int64_t start, stop;
    s_slice_bounds(items->len, vs, ve, step, &start, &stop);
    gl_value r = gl_list_new(vm, 0);
    for (int64_t i = start; step > 0 ? i < stop : i > stop; i += step) gl_list_push(vm, r.u.list, items->items[i]);
    if (obj.kind == GL_TUPLE) r.kind = GL_TUPLE;
    if (obj.kind != GL_STR) return r;
    gl_buf *b = gl_vm_buf_get(vm);
    for (uint32_t i = 0; i < r.u.list->len; i++) gl_buf_add(b, r.u.list->items[i].u.s, r.u.list->items[i].len);
    return gl_vm_buf_str(vm, b);
}

/* ---------------------------------------------------------------- filters, tests */

static gl_value s_filter(gl_eval *E, gl_frame *f, const gl_node *n, gl_value v)
{
    gl_args a = s_args(E, f, n->items, n->nitems, n->span);
    return gl_vm_filter(E->vm, n->name->str, v, &a);
}

static gl_value s_eval_test(gl_eval *E, gl_frame *f, const gl_node *n)
{
    gl_value v = s_eval(E, f, n->a);
    gl_args a = s_args(E, f, n->items, n->nitems, n->span);
    bool r = gl_vm_test(E->vm, n->name->str, v, &a);
    return gl_bool((n->flags & GL_NF_NEGATED) ? !r : r);
}

/* ---------------------------------------------------------------- expressions */

static gl_value s_eval_seq(gl_eval *E, gl_frame *f, const gl_node *n, gl_kind kind)
{
    gl_value r = gl_list_new(E->vm, n->nitems);
    for (uint32_t i = 0; i < n->nitems; i++) r.u.list->items[i] = s_eval(E, f, n->items[i]);
    r.u.list->len = n->nitems;
    r.kind = (uint8_t)kind;
    return r;
}

static gl_value s_eval_dict(gl_eval *E, gl_frame *f, const gl_node *n)
{
    gl_value d = gl_dict_new(E->vm);
    for (uint32_t i = 0; i < n->nitems; i++) {
        gl_value k = s_eval(E, f, n->items[i]->a);
        if (!gl_hashable(k)) gl_vm_error(E->vm, GL_ERR_TYPE, n->items[i]->span, "unhashable type: '%s'", gl_type_name(k));
        gl_dict_set(E->vm, d.u.dict, k, s_eval(E, f, n->items[i]->b));
    }
    return d;
}

static gl_value s_eval_compare(gl_eval *E, gl_frame *f, const gl_node *n)
{
    gl_value left = s_eval(E, f, n->a);
    for (uint32_t i = 0; i < n->nitems; i++) {
        const gl_node *o = n->items[i];
        gl_value right = s_eval(E, f, o->a);
        if (!s_compare_op(E, o->op, left, right, o->span)) return gl_bool(false);
        left = right;
    }
    return gl_bool(true);
}

static gl_value s_eval_concat(gl_eval *E, gl_frame *f, const gl_node *n)
{
    gl_value *parts = gl_arena_alloc(&E->vm->arena, n->nitems * sizeof *parts);
    for (uint32_t i = 0; i < n->nitems; i++) parts[i] = s_eval(E, f, n->items[i]);
    gl_buf *b = gl_vm_buf_get(E->vm);
    for (uint32_t i = 0; i < n->nitems; i++) gl_str_of(E->vm, parts[i], b);
    return gl_vm_buf_str(E->vm, b);
}

static gl_value s_eval_unary(gl_eval *E, gl_frame *f, const gl_node *n)
{
    gl_value v = s_defined(E, s_eval(E, f, n->a), n->span);
    if (v.kind == GL_INT || v.kind == GL_BOOL) {
        int64_t i = v.kind == GL_BOOL ? v.u.b : v.u.i;
        if (n->kind == GL_N_POS) return gl_int(i);
        if (i == INT64_MIN) s_overflow(E, n->span);
        return gl_int(-i);
    }
    if (v.kind == GL_FLOAT) return gl_float(n->kind == GL_N_NEG ? -v.u.f : v.u.f);
    if (v.kind == GL_OBJECT && v.u.obj->ops && v.u.obj->ops->unary) {
        gl_value r = v.u.obj->ops->unary(E->vm, n->kind == GL_N_NEG ? '-' : '+', v, n->span);
        if (r.kind != GL_MISSING) return r;
    }
    gl_vm_error(E->vm, GL_ERR_TYPE, n->span, "bad operand type for unary %s: '%s'",
                n->kind == GL_N_NEG ? "-" : "+", gl_type_name(v));
}

static void s_offer_dict(gl_suggest *sg, const gl_dict *d)
{
    for (uint32_t i = 0; d && i < d->nentries; i++)
        if (d->entries[i].live && d->entries[i].key.kind == GL_STR)
            gl_suggest_offer(sg, d->entries[i].key.u.s, d->entries[i].key.len);
}

/* "did you mean" over every name visible here: frames, the context, the globals. */
static void s_hint_name(gl_eval *E, gl_frame *f, const gl_name *name)
{
    gl_suggest sg;
    gl_suggest_init(&sg, name->str, name->len);
    for (; f; f = f->parent)
        for (uint32_t i = 0; i < f->n; i++) gl_suggest_offer(&sg, f->keys[i]->str, f->keys[i]->len);
    if (E->ctx.kind == GL_DICT) s_offer_dict(&sg, E->ctx.u.dict);
    s_offer_dict(&sg, E->vm->globals);
    if (sg.best) gl_vm_hint(E->vm, "did you mean '%.*s'?", (int)sg.best_len, sg.best);
}

static gl_value s_eval_call(gl_eval *E, gl_frame *f, const gl_node *n)
{
    gl_value callee = s_eval(E, f, n->a);
    if (callee.kind == GL_UNDEFINED) {
        if (n->a->kind == GL_N_NAME) s_hint_name(E, f, n->a->name);
        s_undef_fail(E, callee, n->span);
    }
    gl_args a = s_args(E, f, n->items, n->nitems, n->span);
    return gl_vm_call(E->vm, callee, &a);
}

static gl_value s_eval_inner(gl_eval *E, gl_frame *f, const gl_node *n)
{
    gl_vm *vm = E->vm;
    switch ((gl_node_kind)n->kind) {
    case GL_N_CONST: return n->value;
    case GL_N_NAME: return s_lookup(E, f, n->name, n->span);
    case GL_N_LIST: return s_eval_seq(E, f, n, GL_LIST);
    case GL_N_TUPLE: return s_eval_seq(E, f, n, GL_TUPLE);
    case GL_N_DICT: return s_eval_dict(E, f, n);
    case GL_N_GETATTR: return gl_getattr(vm, s_eval(E, f, n->a), n->name->str, n->name->len, n->span);
    case GL_N_GETITEM: {
        gl_value obj = s_eval(E, f, n->a);
        if (n->b->kind == GL_N_SLICE) return s_slice(E, f, obj, n->b);
        return gl_getitem(vm, obj, s_eval(E, f, n->b), n->span);
    }
    case GL_N_CALL: return s_eval_call(E, f, n);
    case GL_N_FILTER: return s_filter(E, f, n, s_eval(E, f, n->a));
    case GL_N_TEST: return s_eval_test(E, f, n);
    case GL_N_NOT: return gl_bool(!gl_truthy(s_eval(E, f, n->a)));
    case GL_N_NEG: case GL_N_POS: return s_eval_unary(E, f, n);
    case GL_N_BINOP: {
        gl_value a = s_eval(E, f, n->a);
        return s_binop(E, n->op, a, s_eval(E, f, n->b), n->span);
    }
    case GL_N_AND: {
        gl_value a = s_eval(E, f, n->a);
        return gl_truthy(a) ? s_eval(E, f, n->b) : a;
    }
    case GL_N_OR: {
        gl_value a = s_eval(E, f, n->a);
        return gl_truthy(a) ? a : s_eval(E, f, n->b);
    }
    case GL_N_COMPARE: return s_eval_compare(E, f, n);
    case GL_N_CONDEXPR:
        if (gl_truthy(s_eval(E, f, n->a))) return s_eval(E, f, n->b);
        if (n->c) return s_eval(E, f, n->c);
        return gl_undefined_hint(vm, "the inline if-expression evaluated to false and no else section was defined.");
    case GL_N_CONCAT: return s_eval_concat(E, f, n);
    default:
        gl_vm_error(vm, GL_ERR_RUNTIME, n->span, "cannot evaluate %s here", gl_node_name((gl_node_kind)n->kind));
    }
}

static gl_value s_eval(gl_eval *E, gl_frame *f, const gl_node *n)
{
    if (++E->edepth > GL_MAX_EDEPTH) {
        gl_vm_hint(E->vm, "simplify the expression");
        gl_vm_error(E->vm, GL_ERR_LIMIT, n->span, "expression nested too deeply");
    }
    gl_value v = s_eval_inner(E, f, n);
    E->edepth--;
    return v;
}

/* ---------------------------------------------------------------- assignment */

static void s_assign(gl_eval *E, gl_frame *f, const gl_node *target, gl_value v)
{
    gl_vm *vm = E->vm;
    if (target->kind == GL_N_NAME) {
        s_frame_set(E, f, target->name, v);
        return;
    }
    if (target->kind == GL_N_NSREF) {
        gl_value ns = s_lookup(E, f, target->a->name, target->a->span);
        if (ns.kind != GL_NAMESPACE)
            gl_vm_error(vm, GL_ERR_RUNTIME, target->span, "cannot assign attribute on non-namespace object");
        gl_dict_set(vm, ns.u.dict, gl_str(target->name->str, target->name->len), v);
        return;
    }
    gl_list *items = gl_iterate(vm, v, target->span);
    if (items->len < target->nitems)
        gl_vm_error(vm, GL_ERR_VALUE, target->span, "not enough values to unpack (expected %u, got %u)",
                    target->nitems, items->len);
    if (items->len > target->nitems)
        gl_vm_error(vm, GL_ERR_VALUE, target->span, "too many values to unpack (expected %u)", target->nitems);
    for (uint32_t i = 0; i < target->nitems; i++) s_assign(E, f, target->items[i], items->items[i]);
}

/* ---------------------------------------------------------------- macros */

static gl_value s_macro_new(gl_eval *E, gl_frame *f, const gl_node *node, const gl_name *name)
{
    gl_macro *m = gl_arena_alloc(&E->vm->arena, sizeof *m);
    m->node = node;
    m->closure = f;
    m->name = name;
    m->src = E->vm->src;
    gl_value v = {0};
    v.kind = GL_MACRO;
    v.u.macro = m;
    return v;
}

void gl_macro_print(gl_vm *vm, const gl_macro *m, gl_buf *out)
{
    (void)vm;
    gl_buf_printf(out, "<Macro '%s'>", m->name->str);
}

gl_value gl_macro_getattr(gl_vm *vm, const gl_macro *m, const char *name, size_t len)
{
    const gl_node *node = m->node;
    if (len == 4 && !memcmp(name, "name", 4)) return gl_str(m->name->str, m->name->len);
    if (len == 9 && !memcmp(name, "arguments", 9)) {
        gl_value t = gl_tuple_new(vm, node->nitems);
        for (uint32_t i = 0; i < node->nitems; i++)
            t.u.list->items[i] = gl_str(node->items[i]->name->str, node->items[i]->name->len);
        return t;
    }
    if (len == 12 && !memcmp(name, "catch_kwargs", 12)) return gl_bool(node->flags & GL_NF_USES_KWARGS);
    if (len == 13 && !memcmp(name, "catch_varargs", 13)) return gl_bool(node->flags & GL_NF_USES_VARARGS);
    if (len == 6 && !memcmp(name, "caller", 6)) return gl_bool(node->flags & GL_NF_USES_CALLER);
    return gl_missing();
}

/* "m(a, b=2) is defined at file:line", for argument errors. */
static void s_hint_signature(gl_vm *vm, const gl_macro *m)
{
    gl_buf *b = gl_vm_buf_get(vm);
    gl_buf_printf(b, "%s(", m->name->str);
    for (uint32_t i = 0; i < m->node->nitems; i++) {
        const gl_node *prm = m->node->items[i];
        gl_buf_printf(b, "%s%s", i ? ", " : "", prm->name->str);
        if (prm->a) {
            gl_buf_addc(b, '=');
            gl_buf_add(b, m->src->text + prm->a->span.start, prm->a->span.end - prm->a->span.start);
        }
    }
    uint32_t line = 0, col = 0;
    gl_source_position((gl_source *)m->src, m->node->span.start, &line, &col);
    gl_vm_hint(vm, "%s) is defined at %s:%u", b->data, m->src->path, line);
    gl_vm_buf_put(vm, b);
}

/* Binds a call's arguments to the macro's parameters in its new frame. */
static void s_bind_macro(gl_eval *E, const gl_macro *m, gl_frame *f, const gl_args *a)
{
    gl_vm *vm = E->vm;
    const gl_node *node = m->node;
    uint32_t nparams = node->nitems;
    bool catch_var = node->flags & GL_NF_USES_VARARGS, catch_kw = node->flags & GL_NF_USES_KWARGS;
    bool want_caller = node->flags & GL_NF_USES_CALLER;
    if (a->npos > nparams && !catch_var) {
        s_hint_signature(vm, m);
        gl_vm_error(vm, GL_ERR_TYPE, a->span, "macro '%s' takes not more than %u argument(s)", m->name->str, nparams);
    }
    gl_value *vals = gl_arena_alloc(&vm->arena, (nparams + 1) * sizeof *vals);
    for (uint32_t i = 0; i < nparams; i++) vals[i] = i < a->npos ? a->pos[i] : gl_missing();
    gl_value kwargs = gl_dict_new(vm), caller = gl_missing();
    for (uint32_t k = 0; k < a->nkw; k++) {
        uint32_t i = 0;
        while (i < nparams && node->items[i]->name != a->kw_names[k]) i++;
        if (i < nparams) {
            if (vals[i].kind != GL_MISSING)
                gl_vm_error(vm, GL_ERR_TYPE, a->span, "macro '%s' got multiple values for argument '%s'",
                            m->name->str, a->kw_names[k]->str);
            vals[i] = a->kw[k];
        } else if (a->kw_names[k] == E->n_caller && want_caller) {
            caller = a->kw[k];
        } else if (catch_kw) {
            gl_dict_set(vm, kwargs.u.dict, gl_str(a->kw_names[k]->str, a->kw_names[k]->len), a->kw[k]);
        } else {
            gl_vm_error(vm, GL_ERR_TYPE, a->span, "macro '%s' takes no keyword argument '%s'",
                        m->name->str, a->kw_names[k]->str);
        }
    }
    for (uint32_t i = 0; i < nparams; i++) {
        const gl_node *prm = node->items[i];
        gl_value v = vals[i];
        if (v.kind == GL_MISSING) {
            if (prm->a) {
                const gl_source *caller_src = vm->src;
                vm->src = m->src;
                v = s_eval(E, f, prm->a);
                vm->src = caller_src;
            }
            else {
                gl_value h = gl_vm_strf(vm, "parameter '%s' was not provided", prm->name->str);
                v = gl_undefined_hint(vm, gl_arena_strndup(&vm->arena, h.u.s, h.len));
                v.u.undef->name = gl_str(prm->name->str, prm->name->len);
            }
        }
        s_frame_set(E, f, prm->name, v);
    }
    if (catch_var) {
        uint32_t extra = a->npos > nparams ? a->npos - nparams : 0;
        s_frame_set(E, f, E->n_varargs, gl_list_from(vm, a->pos + nparams, extra, GL_TUPLE));
    }
    if (catch_kw) s_frame_set(E, f, E->n_kwargs, kwargs);
    if (want_caller) {
        if (caller.kind == GL_MISSING) caller = gl_undefined_hint(vm, "No caller defined");
        s_frame_set(E, f, E->n_caller, caller);
    }
}

/* Runs a macro body in its own frame. return() (dbt) longjmps here with code 2 and a
 * value; errors (code 1) pass on to the next handler, leaving vm->src at the macro's
 * file so the diagnostic points into it, except for an error inside gluec's library
 * called from user code: that one points at the call. */
static gl_value s_call_macro(gl_eval *E, const gl_macro *m, const gl_args *a)
{
    gl_vm *vm = E->vm;
    if (++vm->depth > vm->depth_limit) {
        gl_vm_hint(vm, "a macro that calls itself needs a condition that stops the recursion");
        gl_vm_error(vm, GL_ERR_LIMIT, a->span, "maximum macro call depth (%u) exceeded", vm->depth_limit);
    }
    const gl_source *saved_src = vm->src;
    gl_frame *f = s_frame_new(E, m->closure);
    s_bind_macro(E, m, f, a);
    vm->src = m->src;
    gl_buf *out = gl_vm_buf_get(vm), *saved_out = E->out;
    gl_ctl ctl = E->ctl;
    uint32_t edepth = E->edepth;
    gl_catch c;
    c.prev = vm->catch_top;
    vm->catch_top = &c;
    gl_value r;
    int code = setjmp(c.jb);
    if (code == 0) {
        E->out = out;
        E->ctl = GL_CTL_NONE;
        s_exec(E, f, m->node->b);
        r = gl_vm_buf_str(vm, out);
    } else if (code == GL_JUMP_RETURN) {
        r = vm->returned;
        gl_vm_buf_put(vm, out);
    } else {
        vm->catch_top = c.prev;
        if (m->src && m->src->library && saved_src && !saved_src->library && vm->error.src == m->src) {
            vm->error.src = saved_src;   /* the user's call, not gluec's macro, is what to fix */
            vm->error.span = a->span;
        }
        longjmp(c.prev->jb, code);
    }
    vm->catch_top = c.prev;
    E->out = saved_out;
    E->ctl = ctl;
    E->edepth = edepth;
    vm->src = saved_src;
    vm->depth--;
    return r;
}

gl_value gl_macro_make(gl_vm *vm, const gl_template *t, const gl_node *node)
{
    gl_macro *m = gl_arena_alloc(&vm->arena, sizeof *m);
    m->node = node;
    m->closure = NULL;
    m->name = node->name;
    m->src = t->src;
    gl_value v = {0};
    v.kind = GL_MACRO;
    v.u.macro = m;
    return v;
}

const gl_node *gl_macro_node(const gl_macro *m) { return m->node; }

/* ---------------------------------------------------------------- loops */

typedef struct gl_loop {
    gl_eval *E;
    const gl_node *node;       /* the FOR node */
    gl_frame *frame;           /* the frame the loop runs in */
    gl_list *items;
    uint32_t index0;
    uint32_t depth0;
    bool has_changed;
    gl_value last_changed;
} gl_loop;

static void s_run_loop(gl_eval *E, gl_frame *f, const gl_node *n, gl_value iterable, uint32_t depth0);

static gl_value s_loop_cycle(gl_vm *vm, gl_func *fn, const gl_args *a)
{
    gl_loop *lp = fn->data;
    if (a->npos == 0) gl_vm_error(vm, GL_ERR_TYPE, a->span, "no items for cycling given");
    return a->pos[lp->index0 % a->npos];
}

static gl_value s_loop_changed(gl_vm *vm, gl_func *fn, const gl_args *a)
{
    gl_loop *lp = fn->data;
    gl_value now = gl_list_from(vm, a->pos, a->npos, GL_TUPLE);
    if (lp->has_changed && gl_equal(now, lp->last_changed)) return gl_bool(false);
    lp->has_changed = true;
    lp->last_changed = now;
    return gl_bool(true);
}

static gl_value s_loop_getattr(gl_vm *vm, gl_object *o, const char *name, size_t len)
{
    gl_loop *lp = o->data;
    int64_t n = lp->items->len, i = lp->index0;
#define IS(s) (len == sizeof(s) - 1 && memcmp(name, s, len) == 0)
    if (IS("index")) return gl_int(i + 1);
    if (IS("index0")) return gl_int(i);
    if (IS("revindex")) return gl_int(n - i);
    if (IS("revindex0")) return gl_int(n - i - 1);
    if (IS("first")) return gl_bool(i == 0);
    if (IS("last")) return gl_bool(i == n - 1);
    if (IS("length")) return gl_int(n);
    if (IS("depth")) return gl_int(lp->depth0 + 1);
    if (IS("depth0")) return gl_int(lp->depth0);
    if (IS("previtem"))
        return i > 0 ? lp->items->items[i - 1] : gl_undefined_hint(vm, "there is no previous item");
    if (IS("nextitem"))
        return i + 1 < n ? lp->items->items[i + 1] : gl_undefined_hint(vm, "there is no next item");
    if (IS("cycle")) return gl_func_new(vm, "cycle", s_loop_cycle, gl_missing(), lp);
    if (IS("changed")) return gl_func_new(vm, "changed", s_loop_changed, gl_missing(), lp);
#undef IS
    return gl_missing();
}

static gl_value s_loop_call(gl_vm *vm, gl_object *o, const gl_args *a)
{
    gl_loop *lp = o->data;
    if (!(lp->node->flags & GL_NF_RECURSIVE))
        gl_vm_error(vm, GL_ERR_TYPE, a->span, "The loop must have the 'recursive' marker to be called recursively.");
    if (a->npos != 1 || a->nkw)
        gl_vm_error(vm, GL_ERR_TYPE, a->span, "loop() takes exactly one argument");
    gl_eval *E = lp->E;
    if (++vm->depth > vm->depth_limit)
        gl_vm_error(vm, GL_ERR_LIMIT, a->span, "maximum recursion depth (%u) exceeded", vm->depth_limit);
    gl_buf *out = gl_vm_buf_get(vm), *saved = E->out;
    E->out = out;
    s_run_loop(E, lp->frame, lp->node, a->pos[0], lp->depth0 + 1);
    E->out = saved;
    gl_value r = gl_vm_buf_str(vm, out);
    vm->depth--;
    return r;
}

static void s_loop_print(gl_vm *vm, gl_object *o, gl_buf *out)
{
    gl_loop *lp = o->data;
    (void)vm;
    gl_buf_printf(out, "<LoopContext %u/%u>", lp->index0 + 1, lp->items->len);
}

static const gl_class s_loop_class = { "LoopContext", s_loop_getattr, s_loop_call, s_loop_print };

/* Items that pass the loop's `if` filter, each tested with the target bound. */
static gl_list *s_loop_filter(gl_eval *E, gl_frame *f, const gl_node *n, gl_list *items)
{
    gl_list *kept = gl_list_new(E->vm, items->len).u.list;
    for (uint32_t i = 0; i < items->len; i++) {
        gl_frame *tf = s_frame_new(E, f);
        s_assign(E, tf, n->a, items->items[i]);
        if (gl_truthy(s_eval(E, tf, n->e))) kept->items[kept->len++] = items->items[i];
    }
    return kept;
}

static void s_run_loop(gl_eval *E, gl_frame *f, const gl_node *n, gl_value iterable, uint32_t depth0)
{
    gl_vm *vm = E->vm;
    gl_list *items = gl_iterate(vm, iterable, n->b->span);
    if (n->e) items = s_loop_filter(E, f, n, items);
    if (items->len == 0) {
        if (n->d) s_exec(E, s_frame_new(E, f), n->d);
        return;
    }
    gl_loop *lp = gl_arena_zalloc(&vm->arena, sizeof *lp);
    lp->E = E;
    lp->node = n;
    lp->frame = f;
    lp->items = items;
    lp->depth0 = depth0;
    gl_value loop = gl_object_new(vm, &s_loop_class, lp);
    bool completed = false;    /* Jinja runs else unless some iteration ran to its end */
    for (uint32_t i = 0; i < items->len; i++) {
        lp->index0 = i;
        gl_frame *it = s_frame_new(E, f);
        s_frame_set(E, it, E->n_loop, loop);
        s_assign(E, it, n->a, items->items[i]);
        s_exec(E, it, n->c);
        if (E->ctl == GL_CTL_NONE) completed = true;
        if (E->ctl == GL_CTL_BREAK) { E->ctl = GL_CTL_NONE; break; }
        E->ctl = GL_CTL_NONE;
    }
    if (!completed && n->d) s_exec(E, s_frame_new(E, f), n->d);
}

/* ---------------------------------------------------------------- statements */

static gl_value s_capture(gl_eval *E, gl_frame *f, const gl_node *body)
{
    gl_buf *out = gl_vm_buf_get(E->vm), *saved = E->out;
    E->out = out;
    s_exec(E, f, body);
    E->out = saved;
    return gl_vm_buf_str(E->vm, out);
}

static gl_value s_apply_filters(gl_eval *E, gl_frame *f, gl_node *const *filters, uint32_t n, gl_value v)
{
    for (uint32_t i = 0; i < n; i++) v = s_filter(E, f, filters[i], v);
    return v;
}

static void s_exec_call_block(gl_eval *E, gl_frame *f, const gl_node *n)
{
    const gl_node *call = n->a;
    gl_value callee = s_eval(E, f, call->a);
    if (callee.kind == GL_UNDEFINED) s_undef_fail(E, callee, call->span);
    gl_args a = s_args(E, f, call->items, call->nitems, call->span);
    const gl_name **kwn = gl_arena_alloc(&E->vm->arena, (a.nkw + 1) * sizeof *kwn);
    gl_value *kwv = gl_arena_alloc(&E->vm->arena, (a.nkw + 1) * sizeof *kwv);
    if (a.nkw) {
        memcpy(kwn, a.kw_names, a.nkw * sizeof *kwn);
        memcpy(kwv, a.kw, a.nkw * sizeof *kwv);
    }
    kwn[a.nkw] = E->n_caller;
    kwv[a.nkw] = s_macro_new(E, f, n, E->n_caller);
    a.kw_names = kwn;
    a.kw = kwv;
    a.nkw++;
    gl_value r = gl_vm_call(E->vm, callee, &a);
    gl_str_of(E->vm, r, E->out);
}

static void s_exec_stmt(gl_eval *E, gl_frame *f, const gl_node *n)
{
    gl_vm *vm = E->vm;
    if (++vm->steps > vm->step_limit)
        gl_vm_error(vm, GL_ERR_LIMIT, n->span, "template exceeded its work limit (%llu steps)",
                    (unsigned long long)vm->step_limit);
    switch ((gl_node_kind)n->kind) {
    case GL_N_DATA: gl_buf_add(E->out, n->value.u.s, n->value.len); break;
    case GL_N_OUTPUT: gl_str_of(vm, s_eval(E, f, n->a), E->out); break;
    case GL_N_IF:
        for (; n && n->kind == GL_N_IF; n = n->c) {
            if (gl_truthy(s_eval(E, f, n->a))) { s_exec(E, f, n->b); return; }
        }
        if (n) s_exec(E, f, n);
        break;
    case GL_N_FOR: s_run_loop(E, f, n, s_eval(E, f, n->b), 0); break;
    case GL_N_BREAK: E->ctl = GL_CTL_BREAK; break;
    case GL_N_CONTINUE: E->ctl = GL_CTL_CONTINUE; break;
    case GL_N_SET: s_assign(E, f, n->a, s_eval(E, f, n->b)); break;
    case GL_N_SET_BLOCK: {
        gl_value v = s_capture(E, s_frame_new(E, f), n->b);
        s_assign(E, f, n->a, s_apply_filters(E, f, n->items, n->nitems, v));
        break;
    }
    case GL_N_DO: s_eval(E, f, n->a); break;
    case GL_N_MACRO: s_frame_set(E, f, n->name, s_macro_new(E, f, n, n->name)); break;
    case GL_N_CALL_BLOCK: s_exec_call_block(E, f, n); break;
    case GL_N_FILTER_BLOCK: {
        gl_value v = s_capture(E, s_frame_new(E, f), n->b);
        gl_str_of(vm, s_apply_filters(E, f, n->items, n->nitems, v), E->out);
        break;
    }
    case GL_N_WITH: {
        gl_frame *wf = s_frame_new(E, f);
        for (uint32_t i = 0; i < n->nitems; i++) s_assign(E, wf, n->items[i]->a, s_eval(E, f, n->items[i]->b));
        s_exec(E, wf, n->b);
        break;
    }
    case GL_N_BLOCK: s_exec(E, s_frame_new(E, (n->flags & GL_NF_SCOPED) ? f : E->root), n->b); break;
    case GL_N_DOCS: break;
    case GL_N_SNAPSHOT: s_exec(E, f, n->b); break;
    case GL_N_BODY: s_exec(E, f, n); break;
    default:
        gl_vm_error(vm, GL_ERR_RUNTIME, n->span, "cannot execute %s", gl_node_name((gl_node_kind)n->kind));
    }
}

static void s_exec(gl_eval *E, gl_frame *f, const gl_node *body)
{
    for (uint32_t i = 0; i < body->nitems && E->ctl == GL_CTL_NONE; i++) s_exec_stmt(E, f, body->items[i]);
}

/* ---------------------------------------------------------------- checks, entry */

static gl_value s_call_object(gl_vm *vm, gl_value callee, const gl_args *a);

/* "did you mean" over the keys of a registry */
static void s_hint_closest(gl_vm *vm, const gl_dict *names, const gl_name *name)
{
    gl_suggest sg;
    gl_suggest_init(&sg, name->str, name->len);
    for (uint32_t i = 0; i < names->nentries; i++)
        if (names->entries[i].live) gl_suggest_offer(&sg, names->entries[i].key.u.s, names->entries[i].key.len);
    if (sg.best) gl_vm_hint(vm, "did you mean '%.*s'?", (int)sg.best_len, sg.best);
}

bool gl_eval_check(gl_vm *vm, const gl_template *t)
{
    gl_catch c;
    c.prev = vm->catch_top;
    vm->catch_top = &c;
    vm->src = t->src;
    if (setjmp(c.jb)) {
        vm->catch_top = c.prev;
        return false;
    }
    const gl_node *bad = NULL;      /* the unknown filter or test that comes first */
    size_t cap = 64, top = 0;
    const gl_node **st = gl_arena_alloc(&vm->arena, cap * sizeof *st);
    st[top++] = t->root;
    while (top) {
        const gl_node *n = st[--top];
        bool unknown = (n->kind == GL_N_FILTER && !gl_vm_has_filter(vm, n->name->str)) ||
                       (n->kind == GL_N_TEST && !gl_vm_has_test(vm, n->name->str));
        if (unknown && (!bad || n->span.start < bad->span.start)) bad = n;
        const gl_node *kids[5] = { n->a, n->b, n->c, n->d, n->e };
        if (top + 5 + n->nitems > cap) {
            size_t ncap = (top + 5 + n->nitems) * 2;
            st = gl_arena_grow(&vm->arena, st, top * sizeof *st, ncap * sizeof *st);
            cap = ncap;
        }
        for (int i = 0; i < 5; i++) if (kids[i]) st[top++] = kids[i];
        for (uint32_t i = 0; i < n->nitems; i++) st[top++] = n->items[i];
    }
    if (bad) {
        bool filter = bad->kind == GL_N_FILTER;
        s_hint_closest(vm, filter ? vm->filters : vm->tests, bad->name);
        gl_vm_error(vm, GL_ERR_SYNTAX, bad->span, "no %s named '%s'", filter ? "filter" : "test", bad->name->str);
    }
    vm->catch_top = c.prev;
    return true;
}

static gl_value s_call_object(gl_vm *vm, gl_value callee, const gl_args *a)
{
    gl_eval *E = vm->eval;
    switch (callee.kind) {
    case GL_MACRO: return s_call_macro(E, callee.u.macro, a);
    case GL_FUNC: return callee.u.func->fn(vm, callee.u.func, a);
    case GL_OBJECT:
        if (callee.u.obj->cls->call) return callee.u.obj->cls->call(vm, callee.u.obj, a);
        break;
    case GL_UNDEFINED: gl_vm_undefined_error(vm, callee, a->span);
    default: break;
    }
    gl_vm_error(vm, GL_ERR_TYPE, a->span, "'%s' object is not callable", gl_type_name(callee));
}

gl_value gl_vm_call(gl_vm *vm, gl_value callee, const gl_args *a)
{
    if (!vm->eval) gl_vm_error(vm, GL_ERR_RUNTIME, a->span, "no render in progress");
    return s_call_object(vm, callee, a);
}

/* The evaluator's state for one render (or one call from C) writing into out. */
static gl_eval *s_eval_new(gl_vm *vm, const gl_template *t, gl_value ctx, gl_buf *out)
{
    if (!vm->eval) gl_diag_clear(&vm->error);   /* a new render starts with no stale hint */
    gl_eval *E = gl_arena_zalloc(&vm->arena, sizeof *E);
    E->vm = vm;
    E->tpl = t;
    E->ctx = ctx;
    E->out = out;
    E->root = s_frame_new(E, NULL);
    E->n_loop = gl_intern_cstr(vm->names, "loop");
    E->n_varargs = gl_intern_cstr(vm->names, "varargs");
    E->n_kwargs = gl_intern_cstr(vm->names, "kwargs");
    E->n_caller = gl_intern_cstr(vm->names, "caller");
    return E;
}

bool gl_render_native(gl_vm *vm, const gl_template *t, gl_value ctx, gl_value *out)
{
    const gl_node *root = t->root;
    if (root->nitems != 1 || root->items[0]->kind != GL_N_OUTPUT) {
        gl_buf *b = gl_vm_buf_get(vm);
        if (!gl_render(vm, t, ctx, b)) return false;
        *out = gl_vm_buf_str(vm, b);
        return true;
    }
    gl_buf *sink = gl_vm_buf_get(vm);
    gl_eval *E = s_eval_new(vm, t, ctx, sink);
    void *saved_eval = vm->eval;
    const gl_source *saved_src = vm->src;
    vm->eval = E;
    vm->src = t->src;
    gl_catch c;
    c.prev = vm->catch_top;
    vm->catch_top = &c;
    bool ok = true;
    int code = setjmp(c.jb);
    if (code == 0) *out = s_eval(E, E->root, root->items[0]->a);
    else if (code == GL_JUMP_RETURN) *out = vm->returned;
    else ok = false;
    vm->catch_top = c.prev;
    vm->eval = saved_eval;
    if (ok) vm->src = saved_src;
    gl_vm_buf_put(vm, sink);
    return ok;
}

bool gl_render_call(gl_vm *vm, gl_value callee, const gl_args *args, gl_value ctx, gl_value *out)
{
    gl_buf *sink = gl_vm_buf_get(vm);
    gl_eval *E = s_eval_new(vm, NULL, ctx, sink);
    void *saved_eval = vm->eval;
    const gl_source *saved_src = vm->src;
    vm->eval = E;
    gl_catch c;
    c.prev = vm->catch_top;
    vm->catch_top = &c;
    bool ok = true;
    int code = setjmp(c.jb);
    if (code == 0) *out = s_call_object(vm, callee, args);
    else if (code == GL_JUMP_RETURN) *out = vm->returned;
    else ok = false;
    vm->catch_top = c.prev;
    vm->eval = saved_eval;
    if (ok) vm->src = saved_src;
    gl_vm_buf_put(vm, sink);
    return ok;
}

bool gl_render(gl_vm *vm, const gl_template *t, gl_value ctx, gl_buf *out)
{
    gl_eval *E = s_eval_new(vm, t, ctx, out);
    void *saved_eval = vm->eval;
    const gl_source *saved_src = vm->src;
    vm->eval = E;
    vm->src = t->src;
    gl_catch c;
    c.prev = vm->catch_top;
    vm->catch_top = &c;
    bool ok = true;
    int code = setjmp(c.jb);
    if (code == 0) {
        s_exec(E, E->root, t->root);
    } else if (code == GL_JUMP_RETURN) {   /* return() outside any macro: dbt ends the render */
        vm->catch_top = c.prev;
        vm->eval = saved_eval;
        vm->src = saved_src;
        return true;
    } else {
        ok = false;
    }
    vm->catch_top = c.prev;
    vm->eval = saved_eval;
    if (ok) vm->src = saved_src;
    return ok;
}
