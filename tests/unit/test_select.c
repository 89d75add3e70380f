/* tests/unit/test_select.c - dbt node selection over a small synthetic project graph:
 * methods and wildcards, path and file guessing, graph operators, unions, intersections,
 * exclusion, resource types, indirect test selection modes, disabled nodes, malformed
 * specs and their diagnostics, and a 10,000-node graph selected in milliseconds.
 * Expected sets were worked out from dbt-core 1.10's selector code (see select.c). */
#include "project/select.h"
#include "jinja/vm.h"
#include "tap.h"
#include <stdlib.h>
#include <time.h>

static gl_vm vm;

/* ---- the graph: shop (root) and audit (a package) ------------------------------------- */

typedef struct t_node {
    const char *uid, *type, *name, *pkg, *path, *fqn;  /* fqn dotted */
    const char *tags;                                   /* space-separated */
    const char *parents;                                /* display names, space-separated */
    const char *test_name;
    bool enabled;
} t_node;

/* sorted by unique_id, as the resolver sorts them */
static const t_node t_nodes[] = {
    { "analysis.shop.revenue", "analysis", "revenue", "shop", "analyses/revenue.sql",
      "shop.analysis.revenue", "", "orders", NULL, true },
    { "exposure.shop.weekly", "exposure", "weekly", "shop", "models/marts/_exposures.yml",
      "shop.marts.weekly", "", "customers orders", NULL, true },
    { "model.audit.audit_log", "model", "audit_log", "audit", "models/audit_log.sql",
      "audit.audit_log", "", "", NULL, true },
    { "model.audit.audit_summary", "model", "audit_summary", "audit", "models/staging/audit_summary.sql",
      "audit.staging.audit_summary", "", "audit_log", NULL, true },
    { "model.shop.customers", "model", "customers", "shop", "models/marts/customers.sql",
      "shop.marts.customers", "daily", "stg_customers orders", NULL, true },
    { "model.shop.old_orders", "model", "old_orders", "shop", "models/marts/old_orders.sql",
      "shop.marts.old_orders", "nightly", "stg_orders", NULL, false },
    { "model.shop.orders", "model", "orders", "shop", "models/marts/orders.sql",
      "shop.marts.orders", "daily", "stg_orders stg_payments", NULL, true },
    { "model.shop.stg_customers", "model", "stg_customers", "shop", "models/staging/stg_customers.sql",
      "shop.staging.stg_customers", "nightly pii", "raw.customers", NULL, true },
    { "model.shop.stg_orders", "model", "stg_orders", "shop", "models/staging/stg_orders.sql",
      "shop.staging.stg_orders", "nightly", "raw.orders", NULL, true },
    { "model.shop.stg_payments", "model", "stg_payments", "shop", "models/staging/stg_payments.sql",
      "shop.staging.stg_payments", "", "raw_payments", NULL, true },
    { "seed.shop.country_codes", "seed", "country_codes", "shop", "seeds/country_codes.csv",
      "shop.country_codes", "", "", NULL, true },
    { "seed.shop.raw_payments", "seed", "raw_payments", "shop", "seeds/raw_payments.csv",
      "shop.raw_payments", "", "", NULL, true },
    { "snapshot.shop.orders_snapshot", "snapshot", "orders_snapshot", "shop", "snapshots/orders_snapshot.sql",
      "shop.orders_snapshot.orders_snapshot", "", "orders", NULL, true },
    { "source.shop.raw.customers", "source", "customers", "shop", "models/staging/_sources.yml",
      "shop.staging.raw.customers", "", "", NULL, true },
    { "source.shop.raw.orders", "source", "orders", "shop", "models/staging/_sources.yml",
      "shop.staging.raw.orders", "nightly", "", NULL, true },
    { "test.shop.assert_positive_total", "test", "assert_positive_total", "shop",
      "tests/assert_positive_total.sql", "shop.assert_positive_total", "", "orders", NULL, true },
    { "test.shop.not_null_stg_orders_id.1a2b3c4d5e", "test", "not_null_stg_orders_id", "shop",
      "models/staging/_models.yml", "shop.staging.not_null_stg_orders_id", "", "stg_orders", "not_null", true },
    { "test.shop.relationships_orders_customers.5e6f7a8b9c", "test", "relationships_orders_customers",
      "shop", "models/marts/_models.yml", "shop.marts.relationships_orders_customers", "",
      "orders customers", "relationships", true },
    { "test.shop.unique_raw_orders_id.0f1e2d3c4b", "test", "unique_raw_orders_id", "shop",
      "models/staging/_sources.yml", "shop.staging.unique_raw_orders_id", "", "raw.orders",
      "dbt_utils.unique", true },
};
#define T_N (sizeof t_nodes / sizeof *t_nodes)

static gl_graph g;

static const char *t_display(uint32_t i)
{
    static char buf[T_N][64];
    if (strcmp(t_nodes[i].type, "source")) return t_nodes[i].name;
    snprintf(buf[i], sizeof buf[i], "raw.%s", t_nodes[i].name);
    return buf[i];
}

static uint32_t t_index(const char *display, size_t len)
{
    for (uint32_t i = 0; i < T_N; i++)
        if (strlen(t_display(i)) == len && !memcmp(t_display(i), display, len)) return i;
    fprintf(stderr, "no node %.*s\n", (int)len, display);
    abort();
}

/* "a b c" into an arena array of strings */
static const char **t_words(const char *s, char sep, uint32_t *n)
{
    uint32_t cap = 1;
    for (const char *p = s; *p; p++) cap += *p == sep;
    const char **v = gl_arena_alloc(&g.arena, cap * sizeof *v);
    *n = 0;
    while (*s) {
        const char *e = strchr(s, sep);
        size_t len = e ? (size_t)(e - s) : strlen(s);
        v[(*n)++] = gl_arena_strndup(&g.arena, s, len);
        s += len + (e ? 1 : 0);
    }
    return v;
}

static void t_edges(void)
{
    for (uint32_t i = 0; i < T_N; i++) {
        gl_gnode *nd = &g.nodes[i];
        uint32_t n;
        const char **names = t_words(t_nodes[i].parents, ' ', &n);
        nd->parents = gl_arena_alloc(&g.arena, (n + 1) * sizeof *nd->parents);
        for (uint32_t k = 0; k < n; k++) {
            uint32_t p = t_index(names[k], strlen(names[k]));
            nd->parents[nd->nparents++] = p;
            g.nodes[p].nchildren++;
        }
    }
    for (uint32_t i = 0; i < T_N; i++) {
        g.nodes[i].children = gl_arena_alloc(&g.arena, (g.nodes[i].nchildren + 1) * sizeof(uint32_t));
        g.nodes[i].nchildren = 0;
    }
    for (uint32_t i = 0; i < T_N; i++)
        for (uint32_t k = 0; k < g.nodes[i].nparents; k++) {
            gl_gnode *p = &g.nodes[g.nodes[i].parents[k]];
            p->children[p->nchildren++] = i;
        }
}

static void t_set(uint32_t i, const char *key, gl_value v)
{
    if (g.nodes[i].config.kind != GL_DICT) g.nodes[i].config = gl_dict_new(&vm);
    gl_dict_set_cstr(&vm, g.nodes[i].config.u.dict, key, v);
}

static gl_value t_list(const char *words)
{
    uint32_t n;
    const char **w = t_words(words, ' ', &n);
    gl_value l = gl_list_new(&vm, n);
    for (uint32_t k = 0; k < n; k++) gl_list_push(&vm, l.u.list, gl_cstr(w[k]));
    return l;
}

static void t_configs(void)
{
    for (uint32_t i = 0; i < T_N; i++) {
        const char *type = t_nodes[i].type;
        if (!strcmp(type, "exposure")) continue;     /* exposures have no selectable config */
        t_set(i, "enabled", gl_bool(t_nodes[i].enabled));
        t_set(i, "tags", t_list(t_nodes[i].tags));
        if (!strcmp(type, "model")) t_set(i, "materialized", gl_cstr(strstr(t_nodes[i].path, "staging") ? "view" : "table"));
        if (!strcmp(type, "seed") || !strcmp(type, "snapshot") || !strcmp(type, "test"))
            t_set(i, "materialized", gl_cstr(type));
        if (!strcmp(type, "test"))
            t_set(i, "severity", gl_cstr(strstr(t_nodes[i].name, "not_null") ? "warn" : "ERROR"));
    }
    uint32_t orders = t_index("orders", 6), customers = t_index("customers", 9);
    t_set(orders, "labels", t_list("finance pii"));
    gl_value meta = gl_dict_new(&vm);
    gl_dict_set_cstr(&vm, meta.u.dict, "owner", gl_cstr("ana"));
    t_set(orders, "meta", meta);
    t_set(customers, "labels", t_list("marketing"));
    t_set(customers, "contract_enforced", gl_bool(true));
    t_set(orders, "retries", gl_int(1));
}

static void t_build(void)
{
    memset(&g, 0, sizeof g);
    gl_arena_init(&g.arena);
    g.n = T_N;
    g.root_package = "shop";
    g.nodes = gl_arena_zalloc(&g.arena, T_N * sizeof *g.nodes);
    for (uint32_t i = 0; i < T_N; i++) {
        const t_node *t = &t_nodes[i];
        gl_gnode *nd = &g.nodes[i];
        nd->unique_id = t->uid;
        nd->resource_type = t->type;
        nd->name = t->name;
        nd->package = t->pkg;
        nd->path = t->path;
        nd->fqn = t_words(t->fqn, '.', &nd->nfqn);
        nd->tags = t_words(t->tags, ' ', &nd->ntags);
        nd->source_name = strcmp(t->type, "source") ? NULL : "raw";
        nd->test_name = t->test_name;
        nd->enabled = t->enabled;
        nd->config = gl_missing();
    }
    t_edges();
    t_configs();
}

/* ---- running selections ------------------------------------------------------------------ */

static char t_warned[512];

static void t_on_unmatched(void *ctx, const char *spec)
{
    (void)ctx;
    size_t len = strlen(t_warned);
    snprintf(t_warned + len, sizeof t_warned - len, "%s[%s]", len ? " " : "", spec);
}

static char t_out[2048];
static gl_diag t_err;

/* runs a selection; the result is the selected display names in node order, or
 * "error: <message>" (the hint stays in t_err) */
static const char *t_run(const gl_select_opts *o0)
{
    gl_select_opts o = *o0;
    o.unmatched = t_on_unmatched;
    t_warned[0] = '\0';
    gl_diag_clear(&t_err);
    bool sel[T_N];
    t_out[0] = '\0';
    if (!gl_select(&g, &o, sel, &t_err)) {
        snprintf(t_out, sizeof t_out, "error: %s", t_err.message);
        return t_out;
    }
    for (uint32_t i = 0; i < T_N; i++) {
        if (!sel[i]) continue;
        size_t len = strlen(t_out);
        snprintf(t_out + len, sizeof t_out - len, "%s%s", len ? " " : "", t_display(i));
    }
    return t_out;
}

static const char *t_sel_mode(const char *spec, gl_indirect mode)
{
    const char *args[1] = { spec };
    gl_select_opts o = { .select = args, .nselect = 1, .indirect = mode };
    return t_run(&o);
}

static const char *t_sel(const char *spec) { return t_sel_mode(spec, GL_INDIRECT_EAGER); }

static void t_is(const char *spec, const char *want)
{
    tap_is(t_sel(spec), want, spec);
}

#define ALL_ENABLED "revenue weekly audit_log audit_summary customers orders stg_customers stg_orders " \
    "stg_payments country_codes raw_payments orders_snapshot raw.customers raw.orders " \
    "assert_positive_total not_null_stg_orders_id relationships_orders_customers unique_raw_orders_id"

static void t_methods(void)
{
    t_is("stg_orders", "stg_orders not_null_stg_orders_id");
    t_is("stg_*", "");
    tap_is(t_warned, "[stg_*]", "stg_* does not match models in folders (dbt 1.x), and warns");
    t_is("staging.stg_*", "stg_customers stg_orders stg_payments not_null_stg_orders_id");
    t_is("fqn:shop.staging.*", "stg_customers stg_orders stg_payments not_null_stg_orders_id unique_raw_orders_id");
    t_is("staging", "audit_summary stg_customers stg_orders stg_payments not_null_stg_orders_id unique_raw_orders_id");
    t_is("shop.marts", "weekly customers orders assert_positive_total relationships_orders_customers");
    t_is("path:models/staging", "audit_summary stg_customers stg_orders stg_payments raw.customers raw.orders "
         "not_null_stg_orders_id unique_raw_orders_id");
    t_is("models/staging/stg_orders.sql", "stg_orders not_null_stg_orders_id");
    t_is("stg_orders.sql", "stg_orders not_null_stg_orders_id");
    t_is("file:country_codes", "country_codes");
    t_is("path:models/audit_log.sql", "");
    t_is("path:models/*/_sources.yml", "raw.customers raw.orders unique_raw_orders_id");
    t_is("path:seeds/*.csv", "country_codes raw_payments");
    t_is("path:**/orders*.sql", "orders orders_snapshot assert_positive_total relationships_orders_customers");
    t_is("tag:nightly", "stg_customers stg_orders raw.orders not_null_stg_orders_id unique_raw_orders_id");
    t_is("tag:dai*", "customers orders assert_positive_total relationships_orders_customers");
    t_is("config.materialized:view", "audit_summary stg_customers stg_orders stg_payments not_null_stg_orders_id");
    t_is("config.labels:pii", "orders assert_positive_total relationships_orders_customers");
    t_is("config.severity:WARN", "not_null_stg_orders_id");
    t_is("config.meta.owner:ana", "orders assert_positive_total relationships_orders_customers");
    t_is("config.contract_enforced:True", "customers relationships_orders_customers");
    t_is("config.retries:1", "");
    t_is("config.enabled:true", "revenue audit_log audit_summary customers orders stg_customers stg_orders "
         "stg_payments country_codes raw_payments orders_snapshot raw.customers raw.orders "
         "assert_positive_total not_null_stg_orders_id relationships_orders_customers unique_raw_orders_id");
    t_is("source:raw.orders", "raw.orders unique_raw_orders_id");
    t_is("source:raw.*", "raw.customers raw.orders unique_raw_orders_id");
    t_is("source:shop.raw.cust*", "raw.customers");
    t_is("package:audit", "audit_log audit_summary");
    t_is("package:this,resource_type:seed", "country_codes raw_payments");
    t_is("resource_type:test", "assert_positive_total not_null_stg_orders_id relationships_orders_customers "
         "unique_raw_orders_id");
    t_is("test_name:not_null", "not_null_stg_orders_id");
    t_is("test_name:unique", "unique_raw_orders_id");
    t_is("test_type:singular", "assert_positive_total");
    t_is("test_type:generic", "not_null_stg_orders_id relationships_orders_customers unique_raw_orders_id");
    t_is("test_type:a", "assert_positive_total not_null_stg_orders_id relationships_orders_customers "
         "unique_raw_orders_id");
    t_is("exposure:weekly", "weekly");
    t_is("version:none", "audit_log audit_summary customers orders stg_customers stg_orders stg_payments "
         "assert_positive_total not_null_stg_orders_id relationships_orders_customers");
}

static void t_operators(void)
{
    t_is("+orders", "orders stg_orders stg_payments raw_payments raw.orders assert_positive_total "
         "not_null_stg_orders_id relationships_orders_customers unique_raw_orders_id");
    t_is("orders+", "revenue weekly customers orders orders_snapshot assert_positive_total "
         "relationships_orders_customers");
    t_is("1+customers", "customers orders stg_customers assert_positive_total relationships_orders_customers");
    t_is("stg_orders+1", "orders stg_orders assert_positive_total not_null_stg_orders_id "
         "relationships_orders_customers");
    t_is("0+orders", "orders assert_positive_total relationships_orders_customers");
    t_is("@stg_payments", "revenue weekly customers orders stg_customers stg_orders stg_payments raw_payments "
         "orders_snapshot raw.customers raw.orders assert_positive_total not_null_stg_orders_id "
         "relationships_orders_customers unique_raw_orders_id");
    t_is("stg_orders country_codes", "stg_orders country_codes not_null_stg_orders_id");
    t_is("tag:nightly,config.materialized:view", "stg_customers stg_orders not_null_stg_orders_id");
    t_is("staging,tag:pii", "stg_customers");
    t_is("old_orders", "");
    t_is("stg_orders+", "revenue weekly customers orders stg_orders orders_snapshot assert_positive_total "
         "not_null_stg_orders_id relationships_orders_customers");

    const char *two[2] = { "stg_orders", "country_codes" };
    gl_select_opts o = { .select = two, .nselect = 2 };
    tap_is(t_run(&o), "stg_orders country_codes not_null_stg_orders_id", "two --select arguments are a union");

    const char *sel[1] = { "+orders" }, *exc[1] = { "stg_orders" };
    gl_select_opts x = { .select = sel, .nselect = 1, .exclude = exc, .nexclude = 1 };
    tap_is(t_run(&x), "orders stg_payments raw_payments raw.orders assert_positive_total "
           "relationships_orders_customers unique_raw_orders_id", "--exclude removes the node and its tests");

    gl_select_opts d = { 0 };
    tap_is(t_run(&d), ALL_ENABLED, "no --select: every enabled node");
    tap_is(t_warned, "", "the default selector never warns");

    const char *mix[1] = { "stg_* orders" };
    gl_select_opts m = { .select = mix, .nselect = 1 };
    tap_is(t_run(&m), "orders assert_positive_total relationships_orders_customers", "union with an empty part");
    tap_is(t_warned, "[stg_*]", "only the spec that matched nothing warns");
}

static void t_types(void)
{
    const char *sel[1] = { "+customers" }, *models[1] = { "model" };
    gl_select_opts o = { .select = sel, .nselect = 1, .resource_types = models, .ntypes = 1 };
    tap_is(t_run(&o), "customers orders stg_customers stg_orders stg_payments", "--resource-type model");

    const char *def[1] = { "default" };
    gl_select_opts d = { .resource_types = def, .ntypes = 1 };
    tap_is(t_run(&d), ALL_ENABLED + strlen("revenue "), "--resource-type default leaves out analyses");

    const char *tests[1] = { "test" };
    gl_select_opts e = { .select = sel, .nselect = 1, .exclude_types = tests, .nexclude_types = 1 };
    tap_is(t_run(&e), "customers orders stg_customers stg_orders stg_payments raw_payments "
           "raw.customers raw.orders", "--exclude-resource-type test");

    const char *bad[1] = { "modle" };
    gl_select_opts b = { .resource_types = bad, .ntypes = 1 };
    tap_is(t_run(&b), "error: Invalid value for '--resource-types' / '--resource-type': 'modle' is not one of "
           "'metric', 'semantic_model', 'saved_query', 'source', 'analysis', 'model', 'test', 'unit_test', "
           "'exposure', 'snapshot', 'seed', 'default', 'all'.", "unknown resource type");
    tap_ok(t_err.hint && !strncmp(t_err.hint, "did you mean 'model'?", 21), "... with a did-you-mean hint");
}

static void t_indirect(void)
{
    tap_is(t_sel_mode("orders", GL_INDIRECT_EAGER), "orders assert_positive_total relationships_orders_customers",
           "eager: a test with any selected parent");
    tap_is(t_sel_mode("orders", GL_INDIRECT_CAUTIOUS), "orders assert_positive_total",
           "cautious: only tests whose parents are all selected");
    tap_is(t_sel_mode("orders customers", GL_INDIRECT_CAUTIOUS),
           "customers orders assert_positive_total relationships_orders_customers",
           "cautious: parents gathered across a union");
    tap_is(t_sel_mode("customers", GL_INDIRECT_BUILDABLE), "customers relationships_orders_customers",
           "buildable: parents may be ancestors of the selection");
    tap_is(t_sel_mode("customers", GL_INDIRECT_CAUTIOUS), "customers", "cautious: not so");
    tap_is(t_sel_mode("orders", GL_INDIRECT_EMPTY), "orders", "empty: no tests");
    tap_is(t_sel_mode("resource_type:test", GL_INDIRECT_EMPTY), "assert_positive_total not_null_stg_orders_id "
           "relationships_orders_customers unique_raw_orders_id", "empty: tests selected directly stay");
}

static void t_errors(void)
{
    t_is("+", "");
    tap_is(t_warned, "[+]", "'+' is a valid spec with an empty value: it warns");
    t_is("orders++", "");
    t_is("@orders+", "error: Invalid node spec @orders+ - \"@\" prefix and \"+\" suffix are incompatible");
    tap_is(t_sel("a\nb"), "error: Invalid selector spec \"a\nb\"", "a newline: the only spec dbt's pattern rejects");
    t_is("tga:nightly", "error: 'tga' is not a valid method name");
    tap_ok(t_err.hint && strstr(t_err.hint, "did you mean 'tag'?") &&
           strstr(t_err.hint, "fqn, tag, group, access, source, path, file, package, config"),
           "unknown method: hint names the closest and lists the methods");
    t_is("foo:bar", "error: 'foo' is not a valid method name");
    tap_ok(t_err.hint && strstr(t_err.hint, "valid methods: fqn,") && !strstr(t_err.hint, "did you mean"),
           "no close method: the hint lists them all");
    t_is("source:a.b.c.d", "error: Invalid source selector value \"a.b.c.d\". Sources must be of the form "
         "`${source_name}`, `${source_name}.${target_name}`, or `${package_name}.${source_name}.${target_name}");
    t_is("resource_type:modle", "error: Invalid resource_type selector \"modle\"");
    tap_ok(t_err.hint && !strncmp(t_err.hint, "did you mean 'model'?", 21), "resource_type: did-you-mean");
    t_is("test_type:x", "error: Invalid test type selector x: expected \"generic\", \"singular\", \"unit\", or \"data\"");
    t_is("state:modified", "error: state: selector needs --state manifest");
    tap_ok(t_err.hint != NULL, "state: comes with a hint");
    t_is("path:/etc", "error: Non-relative patterns are unsupported");
    t_is("path:", "error: Unacceptable pattern: ''");
    t_is("path:models/a**", "error: Invalid pattern: '**' can only be an entire path component");

    const char *sel[1] = { "tga:x" }, *exc[1] = { "source:a.b.c.d" };
    gl_select_opts o = { .select = sel, .nselect = 1, .exclude = exc, .nexclude = 1 };
    tap_is(t_run(&o), "error: 'tga' is not a valid method name", "syntax errors come before search errors");

    gl_diag w;
    gl_select_unmatched("stg_*", &w);
    tap_ok(w.severity == GL_SEV_WARNING, "unmatched: a warning");
    tap_is(w.message, "The selection criterion 'stg_*' does not match any enabled nodes", "unmatched: dbt's text");
    gl_diag_clear(&w);
}

/* 10,000 nodes: a layered DAG of models, each with a test, in 20 folders */
static void t_scale(void)
{
    enum { N = 10000 };
    gl_graph big;
    memset(&big, 0, sizeof big);
    gl_arena_init(&big.arena);
    big.n = N;
    big.root_package = "shop";
    big.nodes = gl_arena_zalloc(&big.arena, N * sizeof *big.nodes);
    static const char *tags[1] = { "nightly" };
    for (uint32_t i = 0; i < N; i++) {
        gl_gnode *nd = &big.nodes[i];
        bool test = i % 2;
        char name[32], path[64];
        snprintf(name, sizeof name, "%s_%u", test ? "t" : "m", i);
        snprintf(path, sizeof path, "models/f%u/%s.%s", i % 20, name, test ? "yml" : "sql");
        nd->name = gl_arena_strndup(&big.arena, name, strlen(name));
        nd->unique_id = nd->name;
        nd->resource_type = test ? "test" : "model";
        nd->test_name = test ? "not_null" : NULL;
        nd->package = "shop";
        nd->path = gl_arena_strndup(&big.arena, path, strlen(path));
        nd->fqn = gl_arena_alloc(&big.arena, 3 * sizeof *nd->fqn);
        nd->fqn[0] = "shop";
        nd->fqn[1] = "f";
        nd->fqn[2] = nd->name;
        nd->nfqn = 3;
        nd->tags = tags;
        nd->ntags = i % 3 == 0;
        nd->config = gl_missing();
        nd->enabled = true;
        nd->parents = gl_arena_alloc(&big.arena, 2 * sizeof *nd->parents);
        nd->children = gl_arena_alloc(&big.arena, 8 * sizeof *nd->children);
    }
    for (uint32_t i = 2; i < N; i += 2) {       /* models: two parents among earlier models */
        uint32_t ps[2] = { (i / 2 - 1) & ~1u, (i - 2) };
        for (int k = 0; k < 2; k++) {
            gl_gnode *p = &big.nodes[ps[k]];
            if (p->nchildren == 8 || (k == 1 && ps[1] == ps[0])) continue;
            big.nodes[i].parents[big.nodes[i].nparents++] = ps[k];
            p->children[p->nchildren++] = i;
        }
    }
    for (uint32_t i = 1; i < N; i += 2) {       /* tests: on the model before */
        gl_gnode *p = &big.nodes[i - 1];
        big.nodes[i].parents[big.nodes[i].nparents++] = i - 1;
        if (p->nchildren < 8) p->children[p->nchildren++] = i;
    }
    const char *specs[1] = { "@m_5000 +m_9998 tag:nightly,path:models/f3 *.m_1* fqn:shop.f.m_4* path:**/*.yml" };
    gl_select_opts o = { .select = specs, .nselect = 1, .indirect = GL_INDIRECT_CAUTIOUS };
    bool *sel = calloc(N, 1);
    gl_diag err = { 0 };
    clock_t t0 = clock();
    bool ok = gl_select(&big, &o, sel, &err);
    double ms = (double)(clock() - t0) * 1000.0 / CLOCKS_PER_SEC;
    size_t count = 0;
    for (uint32_t i = 0; i < N; i++) count += sel[i];
    tap_ok(ok && count > 1000 && sel[5000] && sel[5001], "10,000 nodes: a big selection");
    printf("# 10,000 nodes: %zu selected in %.1f ms\n", count, ms);
    tap_ok(ms < 500.0, "10,000 nodes: well under a second even under sanitizers");
    const char *one[1] = { "m_9998+" };
    gl_select_opts p = { .select = one, .nselect = 1 };
    ok = gl_select(&big, &p, sel, &err);
    count = 0;
    for (uint32_t i = 0; i < N; i++) count += sel[i];
    tap_ok(ok && count == 2 && sel[9998] && sel[9999], "10,000 nodes: a leaf and its test");
    free(sel);
    gl_arena_free(&big.arena);
}

int main(void)
{
    gl_interner names;
    gl_intern_init(&names);
    gl_vm_init(&vm, &names);
    t_build();
    memset(&t_err, 0, sizeof t_err);

    t_methods();
    t_operators();
    t_types();
    t_indirect();
    t_errors();
    t_scale();

    gl_diag_clear(&t_err);
    gl_arena_free(&g.arena);
    gl_vm_free(&vm);
    gl_intern_free(&names);
    return tap_done();
}
