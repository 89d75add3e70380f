/* tests/unit/test_testname.c - generic data test names checked against dbt-core's own
 * Python (project layer): the kwargs split out of a YAML test entry, node names, hashed
 * file names, the model argument and unique ids.
 *
 * The expectations in s_cases were produced by running dbt-core 1.10.latest (commit
 * c23db31c0d, 1.10.23) itself, outside this repository: TestBuilder from
 * core/dbt/parser/generic_test_builders.py and SchemaGenericTestParser.create_test_node
 * from core/dbt/parser/schema_generic_tests.py, with their imports stubbed, on the same
 * YAML arguments (given here as JSON), project "jaffle_shop". Three ids are also in
 * dbt's published jaffle_shop manifest (cf6c17daed, c6ec7f58f2, be6b5b5ec3). */
#include "project/testname.h"
#include "jinja/json.h"
#include "tap.h"
#include <stdio.h>
#include <string.h>

static gl_vm vm;

typedef enum s_kind { S_MODEL, S_SEED, S_SOURCE } s_kind;

typedef struct s_case {
    const char *id;             /* what the case pins */
    const char *test;           /* the test as written */
    s_kind kind;
    const char *name;           /* model or seed */
    const char *source, *table; /* sources */
    const char *version;        /* versioned model, str(v) */
    const char *column;         /* the column the test is under, or NULL */
    const char *args;           /* JSON of the YAML under the test's name */
    int arguments_property;     /* require_generic_test_arguments_property */
    const char *name_want, *file_want, *uid_want, *model_want;
    const char *err_want;       /* dbt's message when the entry is refused */
} s_case;

static const s_case s_cases[] = {
    { "not_null under a column",
      "not_null", S_MODEL, "orders", NULL, NULL, NULL, "order_id",
      "{}", 1,
      "not_null_orders_order_id",
      "not_null_orders_order_id",
      "test.jaffle_shop.not_null_orders_order_id.cf6c17daed",
      "{{ get_where_subquery(ref('orders')) }}", NULL },
    { "unique under a column",
      "unique", S_MODEL, "customers", NULL, NULL, NULL, "customer_id",
      "{}", 1,
      "unique_customers_customer_id",
      "unique_customers_customer_id",
      "test.jaffle_shop.unique_customers_customer_id.c5af1ff4b1",
      "{{ get_where_subquery(ref('customers')) }}", NULL },
    { "accepted_values, long: hashed file name",
      "accepted_values", S_MODEL, "orders", NULL, NULL, NULL, "status",
      "{\"values\": [\"placed\", \"shipped\", \"completed\", \"return_pending\", \"returned\"]}", 1,
      "accepted_values_orders_status__placed__shipped__completed__return_pending__returned",
      "accepted_values_orders_1ce6ab157c285f7cd2ac656013faf758",
      "test.jaffle_shop.accepted_values_orders_status__placed__shipped__completed__return_pending__returned.be6b5b5ec3",
      "{{ get_where_subquery(ref('orders')) }}", NULL },
    { "accepted_values, two values",
      "accepted_values", S_MODEL, "orders", NULL, NULL, NULL, "status",
      "{\"values\": [\"placed\", \"shipped\"]}", 1,
      "accepted_values_orders_status__placed__shipped",
      "accepted_values_orders_status__placed__shipped",
      "test.jaffle_shop.accepted_values_orders_status__placed__shipped.7de09bf3cd",
      "{{ get_where_subquery(ref('orders')) }}", NULL },
    { "accepted_values with quote: false and ints",
      "accepted_values", S_MODEL, "orders", NULL, NULL, NULL, "status_code",
      "{\"values\": [1, 2, 3], \"quote\": false}", 1,
      "accepted_values_orders_status_code__False__1__2__3",
      "accepted_values_orders_status_code__False__1__2__3",
      "test.jaffle_shop.accepted_values_orders_status_code__False__1__2__3.f3aa528dea",
      "{{ get_where_subquery(ref('orders')) }}", NULL },
    { "relationships to ref()",
      "relationships", S_MODEL, "orders", NULL, NULL, NULL, "customer_id",
      "{\"to\": \"ref('customers')\", \"field\": \"customer_id\"}", 1,
      "relationships_orders_customer_id__customer_id__ref_customers_",
      "relationships_orders_customer_id__customer_id__ref_customers_",
      "test.jaffle_shop.relationships_orders_customer_id__customer_id__ref_customers_.c6ec7f58f2",
      "{{ get_where_subquery(ref('orders')) }}", NULL },
    { "relationships to ref(), field id",
      "relationships", S_MODEL, "orders", NULL, NULL, NULL, "customer_id",
      "{\"to\": \"ref('customers')\", \"field\": \"id\"}", 1,
      "relationships_orders_customer_id__id__ref_customers_",
      "relationships_orders_customer_id__id__ref_customers_",
      "test.jaffle_shop.relationships_orders_customer_id__id__ref_customers_.4282b0c525",
      "{{ get_where_subquery(ref('orders')) }}", NULL },
    { "namespaced model-level expression_is_true",
      "dbt_utils.expression_is_true", S_MODEL, "orders", NULL, NULL, NULL, NULL,
      "{\"expression\": \"col_a + col_b = total\"}", 1,
      "dbt_utils_expression_is_true_orders_col_a_col_b_total",
      "dbt_utils_expression_is_true_orders_col_a_col_b_total",
      "test.jaffle_shop.dbt_utils_expression_is_true_orders_col_a_col_b_total.91d0c4eccf",
      "{{ get_where_subquery(ref('orders')) }}", NULL },
    { "namespaced test under a column, with where config",
      "dbt_utils.expression_is_true", S_MODEL, "orders", NULL, NULL, NULL, "amount",
      "{\"expression\": \">= 0\", \"config\": {\"where\": \"status = 'shipped'\"}}", 1,
      "dbt_utils_expression_is_true_orders_amount___0",
      "dbt_utils_expression_is_true_orders_amount___0",
      "test.jaffle_shop.dbt_utils_expression_is_true_orders_amount___0.7027754fac",
      "{{ get_where_subquery(ref('orders')) }}", NULL },
    { "source not_null",
      "not_null", S_SOURCE, NULL, "raw", "orders", NULL, "id",
      "{}", 1,
      "source_not_null_raw_orders_id",
      "source_not_null_raw_orders_id",
      "test.jaffle_shop.source_not_null_raw_orders_id.f232a64478",
      "{{ get_where_subquery(source('raw', 'orders')) }}", NULL },
    { "source unique",
      "unique", S_SOURCE, NULL, "jaffle_raw", "customers", NULL, "id",
      "{}", 1,
      "source_unique_jaffle_raw_customers_id",
      "source_unique_jaffle_raw_customers_id",
      "test.jaffle_shop.source_unique_jaffle_raw_customers_id.3a5984d11c",
      "{{ get_where_subquery(source('jaffle_raw', 'customers')) }}", NULL },
    { "source accepted_values, hashed",
      "accepted_values", S_SOURCE, NULL, "raw_shop", "orders", NULL, "status",
      "{\"values\": [\"placed\", \"shipped\", \"completed\", \"returned\"]}", 1,
      "source_accepted_values_raw_shop_orders_status__placed__shipped__completed__returned",
      "source_accepted_values_raw_sho_c0e00b30089be93f8ba008867049e1ad",
      "test.jaffle_shop.source_accepted_values_raw_shop_orders_status__placed__shipped__completed__returned.1269af3962",
      "{{ get_where_subquery(source('raw_shop', 'orders')) }}", NULL },
    { "namespaced source test",
      "dbt_utils.at_least_one", S_SOURCE, NULL, "raw", "payments", NULL, "amount",
      "{}", 1,
      "dbt_utils_source_at_least_one_raw_payments_amount",
      "dbt_utils_source_at_least_one_raw_payments_amount",
      "test.jaffle_shop.dbt_utils_source_at_least_one_raw_payments_amount.d8145a910e",
      "{{ get_where_subquery(source('raw', 'payments')) }}", NULL },
    { "custom name",
      "not_null", S_MODEL, "orders", NULL, NULL, NULL, "order_id",
      "{\"name\": \"orders_id_present\"}", 1,
      "orders_id_present",
      "orders_id_present",
      "test.jaffle_shop.orders_id_present.03b06cce06",
      "{{ get_where_subquery(ref('orders')) }}", NULL },
    { "custom name with config and description",
      "accepted_values", S_MODEL, "orders", NULL, NULL, NULL, "status",
      "{\"name\": \"status_ok\", \"description\": \"x\", \"values\": [\"a\"], \"config\": {\"severity\": \"warn\"}}", 1,
      "status_ok",
      "status_ok",
      "test.jaffle_shop.status_ok.c158254bc5",
      "{{ get_where_subquery(ref('orders')) }}", NULL },
    { "top-level config keys are not arguments",
      "unique", S_MODEL, "orders", NULL, NULL, NULL, "order_id",
      "{\"severity\": \"warn\", \"tags\": [\"t\"], \"enabled\": true, \"where\": \"x > 1\", \"limit\": 10, \"warn_if\": \">0\", \"error_if\": \">10\", \"fail_calc\": \"count(*)\", \"store_failures\": true, \"store_failures_as\": \"table\", \"meta\": {\"owner\": \"me\"}, \"database\": \"db\", \"schema\": \"audit\", \"alias\": \"u\"}", 1,
      "unique_orders_order_id",
      "unique_orders_order_id",
      "test.jaffle_shop.unique_orders_order_id.fed79b3a6e",
      "{{ get_where_subquery(ref('orders')) }}", NULL },
    { "config block and description are not arguments",
      "not_null", S_MODEL, "orders", NULL, NULL, NULL, "order_id",
      "{\"config\": {\"severity\": \"warn\", \"where\": \"1=1\"}, \"description\": \"must be set\"}", 1,
      "not_null_orders_order_id",
      "not_null_orders_order_id",
      "test.jaffle_shop.not_null_orders_order_id.cf6c17daed",
      "{{ get_where_subquery(ref('orders')) }}", NULL },
    { "numeric arguments",
      "dbt_utils.accepted_range", S_MODEL, "payments", NULL, NULL, NULL, "amount",
      "{\"min_value\": 0, \"max_value\": 100.5, \"inclusive\": true}", 1,
      "dbt_utils_accepted_range_payments_amount__True__100_5__0",
      "dbt_utils_accepted_range_payments_amount__True__100_5__0",
      "test.jaffle_shop.dbt_utils_accepted_range_payments_amount__True__100_5__0.dc350397fa",
      "{{ get_where_subquery(ref('payments')) }}", NULL },
    { "float formatting 1e-05 and 1.0",
      "dbt_utils.accepted_range", S_MODEL, "p", NULL, NULL, NULL, "a",
      "{\"min_value\": 1e-05, \"max_value\": 1.0}", 1,
      "dbt_utils_accepted_range_p_a__1_0__1e_05",
      "dbt_utils_accepted_range_p_a__1_0__1e_05",
      "test.jaffle_shop.dbt_utils_accepted_range_p_a__1_0__1e_05.77420c5753",
      "{{ get_where_subquery(ref('p')) }}", NULL },
    { "None and boolean arguments",
      "my_between", S_MODEL, "m", NULL, NULL, NULL, "c",
      "{\"low\": null, \"high\": false, \"strict\": true}", 1,
      "my_between_m_c__False__None__True",
      "my_between_m_c__False__None__True",
      "test.jaffle_shop.my_between_m_c__False__None__True.8ecdff2d44",
      "{{ get_where_subquery(ref('m')) }}", NULL },
    { "list of columns, model level",
      "dbt_utils.unique_combination_of_columns", S_MODEL, "orders", NULL, NULL, NULL, NULL,
      "{\"combination_of_columns\": [\"customer_id\", \"order_date\"]}", 1,
      "dbt_utils_unique_combination_of_columns_orders_customer_id__order_date",
      "dbt_utils_unique_combination_o_ed271d2cb03cd5fee0474ae51e7aa0d4",
      "test.jaffle_shop.dbt_utils_unique_combination_of_columns_orders_customer_id__order_date.ed881f1e9a",
      "{{ get_where_subquery(ref('orders')) }}", NULL },
    { "nested lists",
      "accepted_values", S_MODEL, "m", NULL, NULL, NULL, "c",
      "{\"values\": [[1, 2], [\"a b\"], []]}", 1,
      "accepted_values_m_c___1_2____a_b____",
      "accepted_values_m_c___1_2____a_b____",
      "test.jaffle_shop.accepted_values_m_c___1_2____a_b____.43253525a8",
      "{{ get_where_subquery(ref('m')) }}", NULL },
    { "dict argument: values in insertion order",
      "my_mapping", S_MODEL, "m", NULL, NULL, NULL, "c",
      "{\"mapping\": {\"b\": 1, \"a\": \"x y\", \"c\": [1, 2]}}", 1,
      "my_mapping_m_c__1__x_y___1_2_",
      "my_mapping_m_c__1__x_y___1_2_",
      "test.jaffle_shop.my_mapping_m_c__1__x_y___1_2_.5d03c6f972",
      "{{ get_where_subquery(ref('m')) }}", NULL },
    { "arguments: property merged (flag on)",
      "accepted_values", S_MODEL, "orders", NULL, NULL, NULL, "status",
      "{\"arguments\": {\"values\": [\"a\", \"b\"], \"quote\": false}, \"config\": {\"severity\": \"warn\"}}", 1,
      "accepted_values_orders_status__False__a__b",
      "accepted_values_orders_status__False__a__b",
      "test.jaffle_shop.accepted_values_orders_status__False__a__b.99a3abb16d",
      "{{ get_where_subquery(ref('orders')) }}", NULL },
    { "arguments: overrides a top-level key",
      "accepted_values", S_MODEL, "orders", NULL, NULL, NULL, "status",
      "{\"values\": [\"top\"], \"arguments\": {\"values\": [\"nested\"]}}", 1,
      "accepted_values_orders_status__nested",
      "accepted_values_orders_status__nested",
      "test.jaffle_shop.accepted_values_orders_status__nested.d9f7ed0156",
      "{{ get_where_subquery(ref('orders')) }}", NULL },
    { "arguments: kept as an argument (flag off)",
      "accepted_values", S_MODEL, "orders", NULL, NULL, NULL, "status",
      "{\"arguments\": {\"values\": [\"a\", \"b\"]}}", 0,
      "accepted_values_orders__a_b___status",
      "accepted_values_orders__a_b___status",
      "test.jaffle_shop.accepted_values_orders__a_b___status.aa1ea0d2e7",
      "{{ get_where_subquery(ref('orders')) }}", NULL },
    { "versioned model",
      "not_null", S_MODEL, "dim_customers", NULL, NULL, "2", "customer_id",
      "{}", 1,
      "not_null_dim_customers_v2_customer_id",
      "not_null_dim_customers_v2_customer_id",
      "test.jaffle_shop.not_null_dim_customers_v2_customer_id.7df2e38f8c",
      "{{ get_where_subquery(ref('dim_customers', version='2')) }}", NULL },
    { "versioned model, string version",
      "unique", S_MODEL, "dim_customers", NULL, NULL, "beta", "id",
      "{}", 1,
      "unique_dim_customers_vbeta_id",
      "unique_dim_customers_vbeta_id",
      "test.jaffle_shop.unique_dim_customers_vbeta_id.6c57c7ac1c",
      "{{ get_where_subquery(ref('dim_customers', version='beta')) }}", NULL },
    { "seed target",
      "unique", S_SEED, "raw_customers", NULL, NULL, NULL, "id",
      "{}", 1,
      "unique_raw_customers_id",
      "unique_raw_customers_id",
      "test.jaffle_shop.unique_raw_customers_id.3d7786e4b7",
      "{{ get_where_subquery(ref('raw_customers')) }}", NULL },
    { "model test with no arguments",
      "my_test", S_MODEL, "orders", NULL, NULL, NULL, NULL,
      "{}", 1,
      "my_test_orders_",
      "my_test_orders_",
      "test.jaffle_shop.my_test_orders_.3308895328",
      "{{ get_where_subquery(ref('orders')) }}", NULL },
    { "quotes, backslash and newline in a string",
      "dbt_utils.expression_is_true", S_MODEL, "orders", NULL, NULL, NULL, NULL,
      "{\"expression\": \"a = 'x' and b = \\\"y\\\" \\\\\\n or c\"}", 1,
      "dbt_utils_expression_is_true_orders_a_x_and_b_y_or_c",
      "dbt_utils_expression_is_true_orders_a_x_and_b_y_or_c",
      "test.jaffle_shop.dbt_utils_expression_is_true_orders_a_x_and_b_y_or_c.6d66000677",
      "{{ get_where_subquery(ref('orders')) }}", NULL },
    { "single quotes only: repr uses double quotes",
      "dbt_utils.expression_is_true", S_MODEL, "o", NULL, NULL, NULL, NULL,
      "{\"expression\": \"status in ('a', 'b')\"}", 1,
      "dbt_utils_expression_is_true_o_status_in_a_b_",
      "dbt_utils_expression_is_true_o_status_in_a_b_",
      "test.jaffle_shop.dbt_utils_expression_is_true_o_status_in_a_b_.54f5095ec6",
      "{{ get_where_subquery(ref('o')) }}", NULL },
    { "quoted column name",
      "not_null", S_MODEL, "orders", NULL, NULL, NULL, "\"Order Id\"",
      "{}", 1,
      "not_null_orders__Order_Id_",
      "not_null_orders__Order_Id_",
      "test.jaffle_shop.not_null_orders__Order_Id_.3670507492",
      "{{ get_where_subquery(ref('orders')) }}", NULL },
    { "non-ASCII characters collapse to one _",
      "accepted_values", S_MODEL, "m", NULL, NULL, NULL, "c",
      "{\"values\": [\"caf\303\251\", \"na\303\257ve r\303\251sum\303\251\"]}", 1,
      "accepted_values_m_c__caf___na_ve_r_sum_",
      "accepted_values_m_c__caf___na_ve_r_sum_",
      "test.jaffle_shop.accepted_values_m_c__caf___na_ve_r_sum_.b8414c0f1f",
      "{{ get_where_subquery(ref('m')) }}", NULL },
    { "non-ASCII target counts code points: 63 chars, not hashed",
      "not_null", S_MODEL, "\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251___", NULL, NULL, NULL, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
      "{}", 1,
      "not_null_\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251____xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
      "not_null_\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251____xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
      "test.jaffle_shop.not_null_\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251____xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.568f78146b",
      "{{ get_where_subquery(ref('\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251___')) }}", NULL },
    { "64 characters exactly: hashed",
      "not_null", S_MODEL, "mmmmmmmmmmmmmmmmmmmmmmmm", NULL, NULL, NULL, "cccccccccccccccccccccccccccccc",
      "{}", 1,
      "not_null_mmmmmmmmmmmmmmmmmmmmmmmm_cccccccccccccccccccccccccccccc",
      "not_null_mmmmmmmmmmmmmmmmmmmmm_68a776965220fdf468c2edcb66544221",
      "test.jaffle_shop.not_null_mmmmmmmmmmmmmmmmmmmmmmmm_cccccccccccccccccccccccccccccc.54a1af3c30",
      "{{ get_where_subquery(ref('mmmmmmmmmmmmmmmmmmmmmmmm')) }}", NULL },
    { "63 characters exactly: kept",
      "not_null", S_MODEL, "mmmmmmmmmmmmmmmmmmmmmmm", NULL, NULL, NULL, "cccccccccccccccccccccccccccccc",
      "{}", 1,
      "not_null_mmmmmmmmmmmmmmmmmmmmmmm_cccccccccccccccccccccccccccccc",
      "not_null_mmmmmmmmmmmmmmmmmmmmmmm_cccccccccccccccccccccccccccccc",
      "test.jaffle_shop.not_null_mmmmmmmmmmmmmmmmmmmmmmm_cccccccccccccccccccccccccccccc.d864b943d8",
      "{{ get_where_subquery(ref('mmmmmmmmmmmmmmmmmmmmmmm')) }}", NULL },
    { "long namespaced identifier cut at 30",
      "dbt_expectations.expect_column_values_to_be_between", S_MODEL, "customers", NULL, NULL, NULL, "lifetime_value",
      "{\"min_value\": 0, \"max_value\": 10}", 1,
      "dbt_expectations_expect_column_values_to_be_between_customers_lifetime_value__10__0",
      "dbt_expectations_expect_column_195e2b4c213c520ec38c306648999955",
      "test.jaffle_shop.dbt_expectations_expect_column_values_to_be_between_customers_lifetime_value__10__0.4d799e21e4",
      "{{ get_where_subquery(ref('customers')) }}", NULL },
    { "long source test identifier cut at 30",
      "dbt_utils.not_null_proportion", S_SOURCE, NULL, "stripe_raw", "payment_events", NULL, "id",
      "{\"at_least\": 0.95}", 1,
      "dbt_utils_source_not_null_proportion_stripe_raw_payment_events_0_95__id",
      "dbt_utils_source_not_null_prop_8a032ccd9c944e4485f35fd66c1805c9",
      "test.jaffle_shop.dbt_utils_source_not_null_proportion_stripe_raw_payment_events_0_95__id.bfb1f8af35",
      "{{ get_where_subquery(source('stripe_raw', 'payment_events')) }}", NULL },
    { "nested dict inside a list sorted in the hash",
      "my_rules", S_MODEL, "m", NULL, NULL, NULL, "c",
      "{\"rules\": [{\"z\": 1, \"a\": [true, null]}]}", 1,
      "my_rules_m_c___z_1_a_True_None_",
      "my_rules_m_c___z_1_a_True_None_",
      "test.jaffle_shop.my_rules_m_c___z_1_a_True_None_.7d49dd2776",
      "{{ get_where_subquery(ref('m')) }}", NULL },
    { "error: arguments not a dict",
      "not_null", S_MODEL, "orders", NULL, NULL, NULL, "id",
      "null", 1,
      NULL,
      NULL,
      NULL,
      NULL, "test arguments must be a dict, got <class 'NoneType'> (value None)" },
    { "error: arguments a list",
      "unique", S_MODEL, "orders", NULL, NULL, NULL, "id",
      "[\"a\", 1]", 1,
      NULL,
      NULL,
      NULL,
      NULL, "test arguments must be a dict, got <class 'list'> (value ['a', 1])" },
    { "error: model argument",
      "not_null", S_MODEL, "orders", NULL, NULL, NULL, "id",
      "{\"model\": \"x\"}", 1,
      NULL,
      NULL,
      NULL,
      NULL, "Test arguments include \"model\", which is a reserved argument" },
    { "error: model under arguments",
      "not_null", S_MODEL, "orders", NULL, NULL, NULL, "id",
      "{\"arguments\": {\"model\": \"x\"}}", 1,
      NULL,
      NULL,
      NULL,
      NULL, "Test arguments include \"model\", which is a reserved argument" },
    { "custom name under arguments",
      "unique", S_MODEL, "orders", NULL, NULL, NULL, "id",
      "{\"arguments\": {\"name\": \"uniq\"}}", 1,
      "uniq",
      "uniq",
      "test.jaffle_shop.uniq.df3664ec7c",
      "{{ get_where_subquery(ref('orders')) }}", NULL },
    { "column_name given in YAML is replaced",
      "unique", S_MODEL, "orders", NULL, NULL, NULL, "id",
      "{\"column_name\": \"other\"}", 1,
      "unique_orders_id",
      "unique_orders_id",
      "test.jaffle_shop.unique_orders_id.1360ecc70e",
      "{{ get_where_subquery(ref('orders')) }}", NULL },
    { "model-level column_name expression",
      "unique", S_MODEL, "orders", NULL, NULL, NULL, NULL,
      "{\"column_name\": \"a || '-' || b\"}", 1,
      "unique_orders_a_b",
      "unique_orders_a_b",
      "test.jaffle_shop.unique_orders_a_b.ea39b03770",
      "{{ get_where_subquery(ref('orders')) }}", NULL },
};

static gl_value s_json(const char *text)
{
    size_t off;
    const char *msg;
    if (strcmp(text, "null") == 0) return gl_none();   /* json-c's null is a NULL object */
    gl_value v = gl_json_to_value(&vm, text, strlen(text), &off, &msg);
    if (v.kind == GL_MISSING) printf("# bad JSON in a case: %s at %zu\n", msg, off);
    return v;
}

static void s_is(const char *got, const char *want, const char *id, const char *what)
{
    char label[256];
    snprintf(label, sizeof label, "%s: %s", id, what);
    tap_is(got, want, label);
}

static gl_test_naming s_naming(const s_case *c, const gl_test_args *ta, gl_buf *custom)
{
    gl_test_naming t = { 0 };
    t.test_name = c->test;
    t.on_source = c->kind == S_SOURCE;
    t.target_name = t.on_source ? NULL : c->name;
    t.source_name = c->source;
    t.table_name = c->table;
    t.version = c->version;
    if (ta->name.kind != GL_MISSING) {
        gl_str_of(&vm, ta->name, custom);
        t.custom_name = custom->data;
    }
    t.kwargs = ta->kwargs;
    return t;
}

/* name, file, "test.jaffle_shop.<name>.<suffix>" and the model argument of t */
static void s_check_naming(const gl_test_naming *t, const s_case *c, const char *id)
{
    gl_buf name, file, uid, model;
    gl_buf_init(&name);
    gl_buf_init(&file);
    gl_buf_init(&uid);
    gl_buf_init(&model);
    gl_test_names(&vm, t, &name, &file);
    gl_buf_printf(&uid, "test.jaffle_shop.%s.", name.data);
    gl_test_unique_suffix(&vm, t, name.data, &uid);
    gl_test_model_arg(t, &model);
    s_is(name.data, c->name_want, id, "name");
    s_is(file.data, c->file_want, id, "file name");
    s_is(uid.data, c->uid_want, id, "unique id");
    s_is(model.data, c->model_want, id, "model argument");
    gl_buf_free(&name);
    gl_buf_free(&file);
    gl_buf_free(&uid);
    gl_buf_free(&model);
}

static void s_run(const s_case *c)
{
    gl_test_args ta;
    gl_buf err, custom;
    gl_buf_init(&err);
    gl_buf_init(&custom);
    bool ok = gl_test_args_split(&vm, s_json(c->args), c->column, c->arguments_property, &ta, &err);
    if (c->err_want) {
        tap_ok(!ok, c->id);
        s_is(err.data, c->err_want, c->id, "dbt's message");
    } else if (!ok) {
        s_is(err.data, "(accepted)", c->id, "accepted");
    } else {
        gl_test_naming t = s_naming(c, &ta, &custom);
        s_check_naming(&t, c, c->id);
    }
    gl_buf_free(&err);
    gl_buf_free(&custom);
}

static const s_case *s_find(const char *id)
{
    for (size_t i = 0; i < sizeof s_cases / sizeof s_cases[0]; i++)
        if (strcmp(s_cases[i].id, id) == 0) return &s_cases[i];
    return NULL;
}

/* The same test named through the package field gets dbt's namespaced names; a
 * namespace in the written name wins over package. */
static void s_package_field(void)
{
    const s_case *c = s_find("namespaced model-level expression_is_true");
    gl_test_args ta;
    gl_buf err;
    gl_buf_init(&err);
    gl_test_args_split(&vm, s_json(c->args), NULL, true, &ta, &err);
    gl_test_naming t = { .test_name = "expression_is_true", .package = "dbt_utils",
                         .target_name = "orders", .kwargs = ta.kwargs };
    s_check_naming(&t, c, "package field");
    t.test_name = "dbt_utils.expression_is_true";
    t.package = "other";
    s_check_naming(&t, c, "namespace in the name wins");
    gl_buf_free(&err);
}

/* A "model" key in kwargs is skipped in the name and replaced in the hash. */
static void s_model_key_ignored(void)
{
    const s_case *c = s_find("not_null under a column");
    gl_value kw = gl_dict_new(&vm);
    gl_dict_set_cstr(&vm, kw.u.dict, "model", gl_cstr("{{ ref('x') }}"));
    gl_dict_set_cstr(&vm, kw.u.dict, "column_name", gl_cstr("order_id"));
    gl_test_naming t = { .test_name = "not_null", .target_name = "orders", .kwargs = kw };
    s_check_naming(&t, c, "model key in kwargs");
    gl_value left;
    tap_ok(gl_dict_get_cstr(kw.u.dict, "model", &left) && left.len == 14, "kwargs are not modified");
}

static void s_description(void)
{
    gl_test_args ta;
    gl_buf err;
    gl_buf_init(&err);
    bool ok = gl_test_args_split(&vm, s_json("{\"description\": \"d\", \"name\": 3, \"values\": []}"), "c",
                                 true, &ta, &err);
    tap_ok(ok && ta.description.kind == GL_STR && ta.description.len == 1, "description is split out");
    tap_ok(ta.name.kind == GL_INT && ta.name.u.i == 3, "name is split out as given");
    tap_ok(ta.kwargs.u.dict->count == 2, "kwargs keep values and column_name only");
    gl_buf_free(&err);
}

static void s_split_is(const char *written, const char *want)
{
    const char *ns, *name;
    size_t nl, l;
    char got[128] = "(no match)";
    if (gl_test_split_name(written, &ns, &nl, &name, &l))
        snprintf(got, sizeof got, "%.*s|%.*s", (int)nl, ns ? ns : "", (int)l, name);
    char label[128];
    snprintf(label, sizeof label, "TEST_NAME_PATTERN on '%s'", written);
    tap_is(got, want, label);
}

static void s_md5_is(const char *data, const char *want)
{
    char hex[33];
    gl_md5_hex(data, strlen(data), hex);
    tap_is(hex, want, "md5 (RFC 1321 test suite)");
}

int main(void)
{
    gl_interner names;
    gl_intern_init(&names);
    gl_vm_init(&vm, &names);

    s_md5_is("", "d41d8cd98f00b204e9800998ecf8427e");
    s_md5_is("abc", "900150983cd24fb0d6963f7d28e17f72");
    s_md5_is("12345678901234567890123456789012345678901234567890123456789012345678901234567890",
             "57edf4a22be3c955ac49da2e2107b67a");

    s_split_is("not_null", "|not_null");
    s_split_is("dbt_utils.expression_is_true", "dbt_utils|expression_is_true");
    s_split_is("a.b.c", "a|b");
    s_split_is("not-null", "|not");
    s_split_is("a.1", "|a");
    s_split_is("_x9._y", "_x9|_y");
    s_split_is("1abc", "(no match)");
    s_split_is(".x", "(no match)");
    s_split_is("", "(no match)");

    for (size_t i = 0; i < sizeof s_cases / sizeof s_cases[0]; i++) s_run(&s_cases[i]);
    s_package_field();
    s_model_key_ignored();
    s_description();

    gl_vm_free(&vm);
    gl_intern_free(&names);
    return tap_done();
}
