/* src/jinja/globals.c - the global functions every Jinja2 template sees (jinja layer,
 * installed into vm->globals before a render): range (with the sandbox's size limit),
 * dict, namespace, cycler, joiner and lipsum, with Jinja2 3.1's behaviour and messages.
 *
 * range() returns a native object that iterates and prints as Python's range does.
 * lipsum() draws its words from a fixed-seed generator, so it is deterministic (Jinja2's
 * is random); its shape (paragraphs, commas, full stops, <p> markup) is Jinja2's.
 *
 * Memory: objects and their state live in the vm arena. */
#include "jinja/value.h"
#include "jinja/vm.h"
#include <inttypes.h>
#include <stdint.h>
#include <string.h>

enum { S_MAX_RANGE = 100000 };      /* jinja2.sandbox.MAX_RANGE */

static int64_t s_as_index(gl_vm *vm, gl_value v, gl_span span)
{
    if (v.kind == GL_INT) return v.u.i;
    if (v.kind == GL_BOOL) return v.u.b;
    gl_vm_error(vm, GL_ERR_TYPE, span, "'%s' object cannot be interpreted as an integer", gl_type_name(v));
}

/* ---------------------------------------------------------------- range */

static bool s_is(const char *name, size_t len, const char *want)
{
    return strlen(want) == len && memcmp(name, want, len) == 0;
}


/* Number of items of range(start, stop, step), step != 0. */
static uint64_t s_range_len(int64_t start, int64_t stop, int64_t step)
{
    if (step > 0 && start < stop) return ((uint64_t)stop - (uint64_t)start - 1) / (uint64_t)step + 1;
    if (step < 0 && start > stop)
        return ((uint64_t)start - (uint64_t)stop - 1) / ((uint64_t)0 - (uint64_t)step) + 1;
    return 0;
}

/* range objects: iterate (gl_iterate asks for "__iter__") and print as range(0, 3). */
typedef struct s_range_state {
    int64_t start, stop, step;
    uint32_t len;
} s_range_state;

static gl_value s_range_getattr(gl_vm *vm, gl_object *o, const char *name, size_t len)
{
    const s_range_state *r = o->data;
    if (s_is(name, len, "__iter__")) {
        gl_value out = gl_list_new(vm, r->len);
        for (uint32_t i = 0; i < r->len; i++) out.u.list->items[i] = gl_int(r->start + (int64_t)i * r->step);
        out.u.list->len = r->len;
        return out;
    }
    if (s_is(name, len, "__len__")) return gl_int(r->len);
    if (s_is(name, len, "__sequence__")) return gl_bool(true);
    if (s_is(name, len, "start")) return gl_int(r->start);
    if (s_is(name, len, "stop")) return gl_int(r->stop);
    if (s_is(name, len, "step")) return gl_int(r->step);
    return gl_missing();
}

static void s_range_print(gl_vm *vm, gl_object *o, gl_buf *out)
{
    const s_range_state *r = o->data;
    (void)vm;
    gl_buf_printf(out, "range(%" PRId64 ", %" PRId64, r->start, r->stop);
    if (r->step != 1) gl_buf_printf(out, ", %" PRId64, r->step);
    gl_buf_addc(out, ')');
}

static const gl_class s_range_class = {"range", s_range_getattr, NULL, s_range_print};

static gl_value s_range(gl_vm *vm, gl_func *self, const gl_args *a)
{
    (void)self;
    if (a->nkw)
        gl_vm_error(vm, GL_ERR_TYPE, a->span, "safe_range() got an unexpected keyword argument '%s'",
                    a->kw_names[0]->str);
    if (a->npos == 0) gl_vm_error(vm, GL_ERR_TYPE, a->span, "range expected at least 1 argument, got 0");
    if (a->npos > 3) gl_vm_error(vm, GL_ERR_TYPE, a->span, "range expected at most 3 arguments, got %u", a->npos);
    s_range_state *r = gl_vm_alloc(vm, sizeof *r);
    r->start = 0;
    r->step = 1;
    if (a->npos == 1) {
        r->stop = s_as_index(vm, a->pos[0], a->span);
    } else {
        r->start = s_as_index(vm, a->pos[0], a->span);
        r->stop = s_as_index(vm, a->pos[1], a->span);
        if (a->npos == 3) r->step = s_as_index(vm, a->pos[2], a->span);
    }
    if (r->step == 0) gl_vm_error(vm, GL_ERR_VALUE, a->span, "range() arg 3 must not be zero");
    uint64_t n = s_range_len(r->start, r->stop, r->step);
    if (n > S_MAX_RANGE)
        gl_vm_error(vm, GL_ERR_OVERFLOW, a->span,
                    "Range too big. The sandbox blocks ranges larger than MAX_RANGE (%d).", S_MAX_RANGE);
    r->len = (uint32_t)n;
    return gl_object_new(vm, &s_range_class, r);
}

/* ---------------------------------------------------------------- dict, namespace */

/* dict(*args, **kwargs): a new dict updated as dict.update does (methods.c). */
static gl_value s_new_dict(gl_vm *vm, const gl_args *a)
{
    if (a->npos > 1) gl_vm_error(vm, GL_ERR_TYPE, a->span, "dict expected at most 1 argument, got %u", a->npos);
    gl_value d = gl_dict_new(vm);
    gl_value update = gl_method(vm, d, "update", 6);
    update.u.func->fn(vm, update.u.func, a);
    return d;
}

static gl_value s_dict(gl_vm *vm, gl_func *self, const gl_args *a)
{
    (void)self;
    return s_new_dict(vm, a);
}

static gl_value s_namespace(gl_vm *vm, gl_func *self, const gl_args *a)
{
    (void)self;
    gl_value ns = s_new_dict(vm, a);
    ns.kind = GL_NAMESPACE;
    return ns;
}

/* ---------------------------------------------------------------- cycler */

typedef struct s_cycler_state {
    gl_value items;             /* tuple, at least one item */
    int64_t pos;
} s_cycler_state;

static void s_no_args(gl_vm *vm, const gl_args *a, const char *fname)
{
    if (a->nkw)
        gl_vm_error(vm, GL_ERR_TYPE, a->span, "%s() got an unexpected keyword argument '%s'", fname,
                    a->kw_names[0]->str);
    if (a->npos)
        gl_vm_error(vm, GL_ERR_TYPE, a->span, "%s() takes 1 positional argument but %u were given", fname,
                    a->npos + 1);
}

static gl_value s_cycler_next(gl_vm *vm, gl_func *self, const gl_args *a)
{
    s_cycler_state *c = self->data;
    s_no_args(vm, a, "Cycler.next");
    gl_value rv = c->items.u.list->items[c->pos];
    c->pos = (c->pos + 1) % c->items.u.list->len;
    return rv;
}

static gl_value s_cycler_reset(gl_vm *vm, gl_func *self, const gl_args *a)
{
    s_cycler_state *c = self->data;
    s_no_args(vm, a, "Cycler.reset");
    c->pos = 0;
    return gl_none();
}

static gl_value s_cycler_getattr(gl_vm *vm, gl_object *o, const char *name, size_t len)
{
    s_cycler_state *c = o->data;
    if (s_is(name, len, "next")) return gl_func_new(vm, "next", s_cycler_next, gl_missing(), c);
    if (s_is(name, len, "reset")) return gl_func_new(vm, "reset", s_cycler_reset, gl_missing(), c);
    if (s_is(name, len, "current")) return c->items.u.list->items[c->pos];
    if (s_is(name, len, "items")) return c->items;
    if (s_is(name, len, "pos")) return gl_int(c->pos);
    return gl_missing();
}

static void s_cycler_print(gl_vm *vm, gl_object *o, gl_buf *out)
{
    (void)vm, (void)o;
    gl_buf_adds(out, "<jinja2.utils.Cycler object>");
}

static const gl_class s_cycler_class = {"Cycler", s_cycler_getattr, NULL, s_cycler_print};

static gl_value s_cycler(gl_vm *vm, gl_func *self, const gl_args *a)
{
    (void)self;
    if (a->nkw)
        gl_vm_error(vm, GL_ERR_TYPE, a->span, "Cycler.__init__() got an unexpected keyword argument '%s'",
                    a->kw_names[0]->str);
    if (a->npos == 0) gl_vm_error(vm, GL_ERR_RUNTIME, a->span, "at least one item has to be provided");
    s_cycler_state *c = gl_vm_alloc(vm, sizeof *c);
    c->items = gl_list_from(vm, a->pos, a->npos, GL_TUPLE);
    c->pos = 0;
    return gl_object_new(vm, &s_cycler_class, c);
}

/* ---------------------------------------------------------------- joiner */

typedef struct s_joiner_state {
    gl_value sep;
    bool used;
} s_joiner_state;

static gl_value s_joiner_call(gl_vm *vm, gl_object *o, const gl_args *a)
{
    s_joiner_state *j = o->data;
    s_no_args(vm, a, "Joiner.__call__");
    if (!j->used) {
        j->used = true;
        return gl_str("", 0);
    }
    return j->sep;
}

static gl_value s_joiner_getattr(gl_vm *vm, gl_object *o, const char *name, size_t len)
{
    (void)vm;
    s_joiner_state *j = o->data;
    if (s_is(name, len, "sep")) return j->sep;
    if (s_is(name, len, "used")) return gl_bool(j->used);
    return gl_missing();
}

static void s_joiner_print(gl_vm *vm, gl_object *o, gl_buf *out)
{
    (void)vm, (void)o;
    gl_buf_adds(out, "<jinja2.utils.Joiner object>");
}

static const gl_class s_joiner_class = {"Joiner", s_joiner_getattr, s_joiner_call, s_joiner_print};

static gl_value s_joiner(gl_vm *vm, gl_func *self, const gl_args *a)
{
    static const char *const names[] = {"sep", NULL};
    gl_value argv[1];
    (void)self;
    gl_args_bind(vm, a, "Joiner.__init__", names, 0, argv);
    s_joiner_state *j = gl_vm_alloc(vm, sizeof *j);
    j->sep = argv[0].kind == GL_MISSING ? gl_str(", ", 2) : argv[0];
    j->used = false;
    return gl_object_new(vm, &s_joiner_class, j);
}

/* ---------------------------------------------------------------- lipsum */

static const char s_lorem[] =   /* jinja2.constants.LOREM_IPSUM_WORDS */
    "a ac accumsan ad adipiscing aenean aliquam aliquet amet ante aptent arcu at "
    "auctor augue bibendum blandit class commodo condimentum congue consectetuer "
    "consequat conubia convallis cras cubilia cum curabitur curae cursus dapibus "
    "diam dictum dictumst dignissim dis dolor donec dui duis egestas eget eleifend "
    "elementum elit enim erat eros est et etiam eu euismod facilisi facilisis fames "
    "faucibus felis fermentum feugiat fringilla fusce gravida habitant habitasse hac "
    "hendrerit hymenaeos iaculis id imperdiet in inceptos integer interdum ipsum "
    "justo lacinia lacus laoreet lectus leo libero ligula litora lobortis lorem "
    "luctus maecenas magna magnis malesuada massa mattis mauris metus mi molestie "
    "mollis montes morbi mus nam nascetur natoque nec neque netus nibh nisi nisl non "
    "nonummy nostra nulla nullam nunc odio orci ornare parturient pede pellentesque "
    "penatibus per pharetra phasellus placerat platea porta porttitor posuere "
    "potenti praesent pretium primis proin pulvinar purus quam quis quisque rhoncus "
    "ridiculus risus rutrum sagittis sapien scelerisque sed sem semper senectus sit "
    "sociis sociosqu sodales sollicitudin suscipit suspendisse taciti tellus tempor "
    "tempus tincidunt torquent tortor tristique turpis ullamcorper ultrices "
    "ultricies urna ut varius vehicula vel velit venenatis vestibulum vitae vivamus "
    "viverra volutpat vulputate";

enum { S_MAX_WORDS = 256 };

typedef struct s_words {
    const char *w[S_MAX_WORDS];
    size_t len[S_MAX_WORDS];
    size_t n;
} s_words;

static void s_words_init(s_words *ws)
{
    ws->n = 0;
    for (const char *p = s_lorem; *p && ws->n < S_MAX_WORDS;) {
        const char *sp = strchr(p, ' ');
        size_t len = sp ? (size_t)(sp - p) : strlen(p);
        ws->w[ws->n] = p;
        ws->len[ws->n++] = len;
        p += len + (sp != NULL);
    }
}

/* xorshift64*: a fixed-seed generator, so lipsum() is deterministic. */
static uint64_t s_rand(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545F4914F6CDD1DULL;
}

/* random.randrange(lo, hi): lo when the range is empty is not Python's (it raises). */
static int64_t s_randrange(uint64_t *state, int64_t lo, int64_t hi)
{
    if (hi <= lo) return lo;
    return lo + (int64_t)(s_rand(state) % (uint64_t)(hi - lo));
}

/* One paragraph of generate_lorem_ipsum. */
static void s_lipsum_paragraph(s_words *ws, uint64_t *state, int64_t min, int64_t max, gl_buf *out)
{
    size_t start = out->len, last = SIZE_MAX;
    int64_t last_comma = 0, last_fullstop = 0, count = s_randrange(state, min, max);
    bool capital = true;
    for (int64_t idx = 0; idx < count; idx++) {
        size_t w;
        do w = (size_t)s_randrange(state, 0, (int64_t)ws->n); while (w == last);
        last = w;
        if (idx) gl_buf_addc(out, ' ');
        gl_buf_add(out, ws->w[w], ws->len[w]);
        if (capital) out->data[out->len - ws->len[w]] -= 'a' - 'A';
        capital = false;
        if (idx - s_randrange(state, 3, 8) > last_comma) {
            last_comma = idx;
            last_fullstop += 2;
            gl_buf_addc(out, ',');
        }
        if (idx - s_randrange(state, 10, 20) > last_fullstop) {
            last_comma = last_fullstop = idx;
            gl_buf_addc(out, '.');
            capital = true;
        }
    }
    if (out->len > start && out->data[out->len - 1] == ',') out->data[out->len - 1] = '.';
    else if (out->len == start || out->data[out->len - 1] != '.') gl_buf_addc(out, '.');
}

static gl_value s_lipsum(gl_vm *vm, gl_func *self, const gl_args *a)
{
    static const char *const names[] = {"n", "html", "min", "max", NULL};
    gl_value argv[4];
    (void)self;
    gl_args_bind(vm, a, "generate_lorem_ipsum", names, 0, argv);
    int64_t n = argv[0].kind == GL_MISSING ? 5 : s_as_index(vm, argv[0], a->span);
    bool html = gl_arg_bool(argv[1], true);
    int64_t min = argv[2].kind == GL_MISSING ? 20 : s_as_index(vm, argv[2], a->span);
    int64_t max = argv[3].kind == GL_MISSING ? 100 : s_as_index(vm, argv[3], a->span);
    s_words ws;
    s_words_init(&ws);
    uint64_t state = 0x9E3779B97F4A7C15ULL;
    gl_buf b;
    gl_buf_init(&b);
    for (int64_t i = 0; i < n; i++) {
        if (i) gl_buf_adds(&b, html ? "\n" : "\n\n");
        if (html) gl_buf_adds(&b, "<p>");
        s_lipsum_paragraph(&ws, &state, min, max, &b);
        if (html) gl_buf_adds(&b, "</p>");
    }
    gl_value r = gl_str_copy(vm, b.data ? b.data : "", b.len);
    gl_buf_free(&b);
    if (html) r.flags |= GL_F_SAFE;
    return r;
}

/* ---------------------------------------------------------------- install */

void gl_globals_install(gl_vm *vm)
{
    static const struct { const char *name; gl_native_fn fn; } fns[] = {
        {"range", s_range}, {"dict", s_dict}, {"namespace", s_namespace},
        {"cycler", s_cycler}, {"joiner", s_joiner}, {"lipsum", s_lipsum},
    };
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++)
        gl_dict_set_cstr(vm, vm->globals, fns[i].name, gl_func_new(vm, fns[i].name, fns[i].fn, gl_missing(), NULL));
}
