/* src/jinja/itertools.c - dbt's modules.itertools. Finite results are lists flagged
 * GL_F_GENERATOR (how this engine stands in for Python iterators); count(), cycle()
 * and repeat() without times are infinite, so they are lazy objects that islice() and
 * compress() can draw from; anything that would need all of their items fails with an
 * error naming the call instead of looping forever. */
#include "jinja/datetime.h"
#include "jinja/eval.h"
#include "jinja/vm.h"
#include <string.h>

enum { GL_IT_MAX_ITEMS = 1000000 };     /* a bound on any one result */

typedef enum s_fn_id {
    IT_COUNT, IT_CYCLE, IT_REPEAT, IT_ACCUMULATE, IT_CHAIN, IT_COMPRESS, IT_ISLICE, IT_STARMAP,
    IT_TEE, IT_ZIP_LONGEST, IT_PRODUCT, IT_PERMUTATIONS, IT_COMBINATIONS, IT_COMBINATIONS_WR,
    IT_FROM_ITERABLE
} s_fn_id;

static const char *const s_names[] = {   /* ORDER: s_fn_id */
    "count", "cycle", "repeat", "accumulate", "chain", "compress", "islice", "starmap", "tee",
    "zip_longest", "product", "permutations", "combinations", "combinations_with_replacement",
    "chain.from_iterable"
};

/* ---------------------------------------------------------------- infinite iterators */

typedef struct s_lazy {
    s_fn_id kind;           /* IT_COUNT, IT_CYCLE, IT_REPEAT */
    gl_value start, step;   /* count; repeat: start is the object */
    gl_list *items;         /* cycle */
} s_lazy;

static const gl_class s_lazy_classes[3];

static bool s_is_lazy(gl_value v)
{
    return v.kind == GL_OBJECT && v.u.obj->cls >= s_lazy_classes && v.u.obj->cls < s_lazy_classes + 3;
}

static gl_value s_lazy_getattr(gl_vm *vm, gl_object *o, const char *name, size_t len)
{
    if (vm && len == 8 && !memcmp(name, "__iter__", 8))
        gl_vm_hint(vm, "itertools.%s() never ends: gluec has no lazy iteration; take a bounded part with "
                   "itertools.islice(...)", s_names[((const s_lazy *)o->data)->kind]);
    return gl_missing();
}

static void s_lazy_print(gl_vm *vm, gl_object *o, gl_buf *out)
{
    const s_lazy *z = o->data;
    if (z->kind == IT_COUNT) {
        gl_buf_adds(out, "count(");
        gl_repr(vm, z->start, out);
        if (!(z->step.kind == GL_INT && z->step.u.i == 1)) { gl_buf_adds(out, ", "); gl_repr(vm, z->step, out); }
        gl_buf_addc(out, ')');
    } else if (z->kind == IT_REPEAT) {
        gl_buf_adds(out, "repeat(");
        gl_repr(vm, z->start, out);
        gl_buf_addc(out, ')');
    } else
        gl_buf_adds(out, "<itertools.cycle object>");
}

static const gl_class s_lazy_classes[3] = {
    { "itertools.count", s_lazy_getattr, NULL, s_lazy_print },
    { "itertools.cycle", s_lazy_getattr, NULL, s_lazy_print },
    { "itertools.repeat", s_lazy_getattr, NULL, s_lazy_print },
};

static gl_value s_lazy_new(gl_vm *vm, s_fn_id kind, gl_value start, gl_value step, gl_list *items)
{
    s_lazy *z = gl_vm_alloc(vm, sizeof *z);
    z->kind = kind;
    z->start = start;
    z->step = step;
    z->items = items;
    return gl_object_new(vm, &s_lazy_classes[kind], z);
}

_Noreturn static void s_infinite(gl_vm *vm, const char *fname, gl_value v, gl_span span)
{
    gl_vm_hint(vm, "gluec has no lazy iteration; bound it first with itertools.islice(...)");
    gl_vm_error(vm, GL_ERR_VALUE, span, "itertools.%s(): its argument %s never ends", fname, gl_type_name(v));
}

/* The first n items of a lazy iterator. */
static gl_list *s_lazy_take(gl_vm *vm, const s_lazy *z, int64_t n, gl_span span)
{
    gl_list *l = gl_list_new(vm, 0).u.list;
    gl_value cur = z->start;
    for (int64_t i = 0; i < n; i++) {
        if (z->kind == IT_COUNT) {
            gl_list_push(vm, l, cur);
            if (i + 1 < n) cur = gl_eval_binop(vm, GL_OP_ADD, cur, z->step, span);
        } else
            gl_list_push(vm, l, z->kind == IT_REPEAT ? z->start : z->items->items[i % z->items->len]);
    }
    return l;
}

/* All items of a finite iterable; a lazy one raises, naming fname. */
static gl_list *s_items(gl_vm *vm, const char *fname, gl_value v, gl_span span)
{
    if (s_is_lazy(v)) s_infinite(vm, fname, v, span);
    return gl_iterate(vm, v, span);
}

/* ---------------------------------------------------------------- results */

static gl_value s_gen(gl_vm *vm, gl_list *l)
{
    gl_value v = {0};
    v.kind = GL_LIST;
    v.flags = GL_F_GENERATOR;
    v.u.list = l;
    (void)vm;
    return v;
}

static void s_push(gl_vm *vm, gl_list *l, gl_value v, gl_span span)
{
    if (l->len >= GL_IT_MAX_ITEMS)
        gl_vm_error(vm, GL_ERR_LIMIT, span, "itertools result longer than %d items", GL_IT_MAX_ITEMS);
    gl_list_push(vm, l, v);
}

static gl_value s_tuple_of(gl_vm *vm, gl_list *src, const uint32_t *idx, uint32_t r)
{
    gl_value t = gl_tuple_new(vm, r);
    for (uint32_t i = 0; i < r; i++) t.u.list->items[i] = src->items[idx[i]];
    return t;
}

/* ---------------------------------------------------------------- the functions */

static gl_value s_count(gl_vm *vm, const gl_args *a)
{
    static const char *const names[] = { "start", "step", NULL };
    gl_value v[2];
    gl_args_bind(vm, a, "count", names, 0, v);
    gl_value start = v[0].kind == GL_MISSING ? gl_int(0) : v[0], step = v[1].kind == GL_MISSING ? gl_int(1) : v[1];
    if (!gl_is_number(start) || !gl_is_number(step)) gl_vm_error(vm, GL_ERR_TYPE, a->span, "a number is required");
    return s_lazy_new(vm, IT_COUNT, start, step, NULL);
}

static gl_value s_cycle(gl_vm *vm, const gl_args *a)
{
    static const char *const names[] = { "iterable", NULL };
    gl_value v[1];
    gl_args_bind(vm, a, "cycle", names, 1, v);
    gl_list *items = s_items(vm, "cycle", v[0], a->span);
    if (items->len == 0) return s_gen(vm, gl_list_new(vm, 0).u.list);
    return s_lazy_new(vm, IT_CYCLE, gl_none(), gl_none(), items);
}

static gl_value s_repeat(gl_vm *vm, const gl_args *a)
{
    static const char *const names[] = { "object", "times", NULL };
    gl_value v[2];
    gl_args_bind(vm, a, "repeat", names, 1, v);
    if (v[1].kind == GL_MISSING) return s_lazy_new(vm, IT_REPEAT, v[0], gl_none(), NULL);
    int64_t n = gl_arg_int(vm, a, v[1], "repeat", 0);
    gl_list *l = gl_list_new(vm, 0).u.list;
    for (int64_t i = 0; i < n; i++) s_push(vm, l, v[0], a->span);
    return s_gen(vm, l);
}

static gl_value s_accumulate(gl_vm *vm, const gl_args *a)
{
    static const char *const names[] = { "iterable", "func", "initial", NULL };
    gl_value v[3];
    gl_args_bind(vm, a, "accumulate", names, 1, v);
    gl_list *items = s_items(vm, "accumulate", v[0], a->span), *out = gl_list_new(vm, 0).u.list;
    bool have = v[2].kind != GL_MISSING && v[2].kind != GL_NONE;
    gl_value acc = v[2];
    if (have) s_push(vm, out, acc, a->span);
    for (uint32_t i = 0; i < items->len; i++) {
        if (!have) acc = items->items[i];
        else if (v[1].kind == GL_MISSING || v[1].kind == GL_NONE) acc = gl_eval_binop(vm, GL_OP_ADD, acc, items->items[i], a->span);
        else {
            gl_value pair[2] = { acc, items->items[i] };
            gl_args ca = gl_args_make(pair, 2, a->span);
            acc = gl_vm_call(vm, v[1], &ca);
        }
        have = true;
        s_push(vm, out, acc, a->span);
    }
    return s_gen(vm, out);
}

static gl_value s_chain_of(gl_vm *vm, const char *fname, const gl_value *its, uint32_t n, gl_span span)
{
    gl_list *out = gl_list_new(vm, 0).u.list;
    for (uint32_t i = 0; i < n; i++) {
        gl_list *l = s_items(vm, fname, its[i], span);
        for (uint32_t k = 0; k < l->len; k++) s_push(vm, out, l->items[k], span);
    }
    return s_gen(vm, out);
}

static void s_no_kwargs(gl_vm *vm, const gl_args *a, const char *fname)
{
    if (a->nkw) gl_vm_error(vm, GL_ERR_TYPE, a->span, "%s() takes no keyword arguments", fname);
}

static gl_value s_chain(gl_vm *vm, const gl_args *a)
{
    s_no_kwargs(vm, a, "chain");
    return s_chain_of(vm, "chain", a->pos, a->npos, a->span);
}

static gl_value s_from_iterable(gl_vm *vm, const gl_args *a)
{
    static const char *const names[] = { "iterable", NULL };
    gl_value v[1];
    gl_args_bind(vm, a, "from_iterable", names, 1, v);
    gl_list *its = s_items(vm, "chain.from_iterable", v[0], a->span);
    return s_chain_of(vm, "chain.from_iterable", its->items, its->len, a->span);
}

/* Up to n items of any iterable (lazy ones included); n < 0: all (finite only). */
static gl_list *s_take(gl_vm *vm, const char *fname, gl_value v, int64_t n, gl_span span)
{
    if (s_is_lazy(v)) {
        if (n < 0) s_infinite(vm, fname, v, span);
        return s_lazy_take(vm, v.u.obj->data, n, span);
    }
    return gl_iterate(vm, v, span);
}

static gl_value s_compress(gl_vm *vm, const gl_args *a)
{
    static const char *const names[] = { "data", "selectors", NULL };
    gl_value v[2];
    gl_args_bind(vm, a, "compress", names, 2, v);
    if (s_is_lazy(v[0]) && s_is_lazy(v[1])) s_infinite(vm, "compress", v[0], a->span);
    gl_list *d = s_is_lazy(v[0]) ? NULL : gl_iterate(vm, v[0], a->span);
    gl_list *s = s_is_lazy(v[1]) ? NULL : gl_iterate(vm, v[1], a->span);
    int64_t n = d && s ? (d->len < s->len ? d->len : s->len) : d ? d->len : s->len;
    if (!d) d = s_take(vm, "compress", v[0], n, a->span);
    if (!s) s = s_take(vm, "compress", v[1], n, a->span);
    gl_list *out = gl_list_new(vm, 0).u.list;
    for (int64_t i = 0; i < n; i++)
        if (gl_truthy(s->items[i])) s_push(vm, out, d->items[i], a->span);
    return s_gen(vm, out);
}

static int64_t s_slice_arg(gl_vm *vm, gl_value v, int64_t dflt, gl_span span)
{
    if (v.kind == GL_MISSING || v.kind == GL_NONE) return dflt;
    if ((v.kind == GL_INT || v.kind == GL_BOOL) && (v.kind == GL_BOOL ? v.u.b : v.u.i) >= 0)
        return v.kind == GL_BOOL ? v.u.b : v.u.i;
    gl_vm_error(vm, GL_ERR_VALUE, span, "Indices for islice() must be None or an integer: 0 <= x <= sys.maxsize.");
}

static gl_value s_islice(gl_vm *vm, const gl_args *a)
{
    s_no_kwargs(vm, a, "islice");
    if (a->npos < 2 || a->npos > 4)
        gl_vm_error(vm, GL_ERR_TYPE, a->span, "islice expected %s arguments, got %u", a->npos < 2 ? "at least 2" : "at most 4", a->npos);
    gl_value it = a->pos[0];
    int64_t start = 0, stop, step = 1;
    if (a->npos == 2) stop = s_slice_arg(vm, a->pos[1], -1, a->span);
    else {
        start = s_slice_arg(vm, a->pos[1], 0, a->span);
        stop = s_slice_arg(vm, a->pos[2], -1, a->span);
    }
    if (a->npos == 4) {
        gl_value sv = a->pos[3];
        step = sv.kind == GL_NONE ? 1 : sv.kind == GL_INT ? sv.u.i : 0;
        if (step < 1) gl_vm_error(vm, GL_ERR_VALUE, a->span, "Step for islice() must be a positive integer or None.");
    }
    gl_list *src = s_take(vm, "islice", it, stop, a->span), *out = gl_list_new(vm, 0).u.list;
    for (int64_t i = start; i < (int64_t)src->len && (stop < 0 || i < stop); i += step) s_push(vm, out, src->items[i], a->span);
    return s_gen(vm, out);
}

static gl_value s_starmap(gl_vm *vm, const gl_args *a)
{
    static const char *const names[] = { "function", "iterable", NULL };
    gl_value v[2];
    gl_args_bind(vm, a, "starmap", names, 2, v);
    gl_list *items = s_items(vm, "starmap", v[1], a->span), *out = gl_list_new(vm, 0).u.list;
    for (uint32_t i = 0; i < items->len; i++) {
        gl_list *args = gl_iterate(vm, items->items[i], a->span);
        gl_args ca = gl_args_make(args->items, args->len, a->span);
        s_push(vm, out, gl_vm_call(vm, v[0], &ca), a->span);
    }
    return s_gen(vm, out);
}

static gl_value s_tee(gl_vm *vm, const gl_args *a)
{
    static const char *const names[] = { "iterable", "n", NULL };
    gl_value v[2];
    gl_args_bind(vm, a, "tee", names, 1, v);
    int64_t n = gl_arg_int(vm, a, v[1], "tee", 2);
    if (n < 0) gl_vm_error(vm, GL_ERR_VALUE, a->span, "n must be >= 0");
    if (n > 1000) gl_vm_error(vm, GL_ERR_LIMIT, a->span, "tee(): n too large");
    gl_list *items = s_items(vm, "tee", v[0], a->span);
    gl_value t = gl_tuple_new(vm, (uint32_t)n);
    for (int64_t i = 0; i < n; i++)
        t.u.list->items[i] = s_gen(vm, gl_list_from(vm, items->items, items->len, GL_LIST).u.list);
    return t;
}

static gl_value s_zip_longest(gl_vm *vm, const gl_args *a)
{
    gl_value fill = gl_none();
    for (uint32_t k = 0; k < a->nkw; k++) {
        if (strcmp(a->kw_names[k]->str, "fillvalue"))
            gl_vm_error(vm, GL_ERR_TYPE, a->span, "zip_longest() got an unexpected keyword argument '%s'", a->kw_names[k]->str);
        fill = a->kw[k];
    }
    gl_list **its = gl_vm_alloc(vm, (a->npos + 1) * sizeof *its);
    uint32_t longest = 0;
    for (uint32_t i = 0; i < a->npos; i++) {
        its[i] = s_items(vm, "zip_longest", a->pos[i], a->span);
        if (its[i]->len > longest) longest = its[i]->len;
    }
    gl_list *out = gl_list_new(vm, 0).u.list;
    for (uint32_t k = 0; k < longest; k++) {
        gl_value t = gl_tuple_new(vm, a->npos);
        for (uint32_t i = 0; i < a->npos; i++) t.u.list->items[i] = k < its[i]->len ? its[i]->items[k] : fill;
        s_push(vm, out, t, a->span);
    }
    return s_gen(vm, out);
}

static gl_value s_product(gl_vm *vm, const gl_args *a)
{
    int64_t rep = 1;
    for (uint32_t k = 0; k < a->nkw; k++) {
        if (strcmp(a->kw_names[k]->str, "repeat"))
            gl_vm_error(vm, GL_ERR_TYPE, a->span, "product() got an unexpected keyword argument '%s'", a->kw_names[k]->str);
        rep = gl_arg_int(vm, a, a->kw[k], "product", 1);
    }
    if (rep < 0) gl_vm_error(vm, GL_ERR_VALUE, a->span, "repeat argument cannot be negative");
    if (rep > 64) gl_vm_error(vm, GL_ERR_LIMIT, a->span, "product(): repeat too large");
    uint32_t r = a->npos * (uint32_t)rep;
    gl_list **pools = gl_vm_alloc(vm, (r + 1) * sizeof *pools);
    for (uint32_t i = 0; i < a->npos; i++) pools[i] = s_items(vm, "product", a->pos[i], a->span);
    for (uint32_t i = a->npos; i < r; i++) pools[i] = pools[i % a->npos];
    gl_list *out = gl_list_new(vm, 0).u.list;
    uint32_t *idx = gl_vm_alloc(vm, (r + 1) * sizeof *idx);
    for (uint32_t i = 0; i < r; i++) {
        if (pools[i]->len == 0) return s_gen(vm, out);
        idx[i] = 0;
    }
    for (;;) {
        gl_value t = gl_tuple_new(vm, r);
        for (uint32_t i = 0; i < r; i++) t.u.list->items[i] = pools[i]->items[idx[i]];
        s_push(vm, out, t, a->span);
        uint32_t i = r;                 /* odometer: the rightmost wheel turns fastest */
        while (i > 0 && ++idx[i - 1] == pools[i - 1]->len) idx[--i] = 0;
        if (i == 0) return s_gen(vm, out);
    }
}

/* permutations, combinations and combinations with replacement: index tuples in
 * lexicographic order, built depth first. */
typedef struct s_picker {
    gl_vm *vm;
    gl_list *pool, *out;
    uint32_t *idx, r;
    bool *used;
    s_fn_id kind;
    gl_span span;
} s_picker;

static void s_pick_rec(s_picker *p, uint32_t depth)
{
    if (depth == p->r) { s_push(p->vm, p->out, s_tuple_of(p->vm, p->pool, p->idx, p->r), p->span); return; }
    uint32_t from = 0;
    if (depth && p->kind == IT_COMBINATIONS) from = p->idx[depth - 1] + 1;
    if (depth && p->kind == IT_COMBINATIONS_WR) from = p->idx[depth - 1];
    for (uint32_t i = from; i < p->pool->len; i++) {
        if (p->kind == IT_PERMUTATIONS && p->used[i]) continue;
        p->idx[depth] = i;
        if (p->used) p->used[i] = true;
        s_pick_rec(p, depth + 1);
        if (p->used) p->used[i] = false;
    }
}

static gl_value s_pick(gl_vm *vm, const gl_args *a, s_fn_id kind)
{
    static const char *const names[] = { "iterable", "r", NULL };
    const char *fname = s_names[kind];
    gl_value v[2];
    gl_args_bind(vm, a, fname, names, kind == IT_PERMUTATIONS ? 1 : 2, v);
    gl_list *pool = s_items(vm, fname, v[0], a->span);
    int64_t r = v[1].kind == GL_MISSING || (kind == IT_PERMUTATIONS && v[1].kind == GL_NONE)
                    ? pool->len : gl_arg_int(vm, a, v[1], fname, 0);
    if (r < 0) gl_vm_error(vm, GL_ERR_VALUE, a->span, "r must be non-negative");
    gl_list *out = gl_list_new(vm, 0).u.list;
    if ((kind != IT_COMBINATIONS_WR && r > pool->len) || (kind == IT_COMBINATIONS_WR && r > 0 && pool->len == 0))
        return s_gen(vm, out);
    if (r > 64) gl_vm_error(vm, GL_ERR_LIMIT, a->span, "%s(): r too large", fname);
    s_picker p = { vm, pool, out, gl_vm_alloc(vm, ((size_t)r + 1) * sizeof(uint32_t)), (uint32_t)r, NULL, kind, a->span };
    if (kind == IT_PERMUTATIONS) {
        p.used = gl_vm_alloc(vm, pool->len + 1);
        memset(p.used, 0, pool->len + 1);
    }
    s_pick_rec(&p, 0);
    return s_gen(vm, out);
}

/* ---------------------------------------------------------------- the module */

static gl_value s_call(gl_vm *vm, gl_object *o, const gl_args *a)
{
    s_fn_id id = (s_fn_id)(intptr_t)o->data;
    switch (id) {
    case IT_COUNT: return s_count(vm, a);
    case IT_CYCLE: return s_cycle(vm, a);
    case IT_REPEAT: return s_repeat(vm, a);
    case IT_ACCUMULATE: return s_accumulate(vm, a);
    case IT_CHAIN: return s_chain(vm, a);
    case IT_COMPRESS: return s_compress(vm, a);
    case IT_ISLICE: return s_islice(vm, a);
    case IT_STARMAP: return s_starmap(vm, a);
    case IT_TEE: return s_tee(vm, a);
    case IT_ZIP_LONGEST: return s_zip_longest(vm, a);
    case IT_PRODUCT: return s_product(vm, a);
    case IT_FROM_ITERABLE: return s_from_iterable(vm, a);
    default: return s_pick(vm, a, id);
    }
}

static const gl_class s_type_class;

static gl_value s_getattr(gl_vm *vm, gl_object *o, const char *name, size_t len)
{
    if (vm && (s_fn_id)(intptr_t)o->data == IT_CHAIN && len == 13 && !memcmp(name, "from_iterable", 13))
        return gl_object_new(vm, &s_type_class, (void *)(intptr_t)IT_FROM_ITERABLE);
    return gl_missing();
}

static void s_print(gl_vm *vm, gl_object *o, gl_buf *out)
{
    (void)vm;
    s_fn_id id = (s_fn_id)(intptr_t)o->data;
    if (id == IT_FROM_ITERABLE) gl_buf_adds(out, "<built-in method from_iterable of type object>");
    else gl_buf_printf(out, "<class 'itertools.%s'>", s_names[id]);
}

static const gl_class s_type_class = { "type", s_getattr, s_call, s_print };

gl_value gl_itertools_module(gl_vm *vm)
{
    gl_value m = gl_dict_new(vm);
    for (int i = IT_COUNT; i <= IT_COMBINATIONS_WR; i++)
        gl_dict_set_cstr(vm, m.u.dict, s_names[i], gl_object_new(vm, &s_type_class, (void *)(intptr_t)i));
    return m;
}
