/* src/project/testname.h - names of generic data tests as dbt forms them (project
 * layer): the keyword arguments split out of a test's YAML entry; the synthesized test
 * name from the test, the tested model/source and the arguments; the short hashed file
 * name when the full name is too long; and the hash suffix of the unique id. Golden
 * files line up with dbt's only if these are exact.
 *
 * dbt-core 1.10 sources followed: core/dbt/parser/generic_test_builders.py
 * (TestBuilder.extract_test_args, __init__, _process_legacy_args,
 * get_synthetic_test_names, build_model_str; synthesize_generic_test_names) and
 * core/dbt/parser/schema_generic_tests.py (create_test_node: the unique id hash).
 *
 * Ownership: values made here live in the vm's arena; buffers are the caller's
 * (appended to, never reset). Nothing raises: errors come back as messages. */
#ifndef GL_TESTNAME_H
#define GL_TESTNAME_H
#include <stdbool.h>
#include <stddef.h>
#include "jinja/vm.h"
#include "util/buf.h"

/* ---- splitting a test's YAML entry ------------------------------------------------ */

typedef struct gl_test_args {
    gl_value kwargs;        /* GL_DICT: the test macro's keyword arguments (column_name
                               included when the test is under a column; no "model") */
    gl_value name;          /* `name:` (a custom test name), or GL_MISSING */
    gl_value description;   /* `description:`, or GL_MISSING */
} gl_test_args;

/* dbt's TestBuilder argument handling, from args (the value under the test's name:
 * `- accepted_values: {values: [...], config: {...}}`, GL_NONE for `- unique:` with
 * nothing after, an empty dict for a bare `- unique`): copies it, sets column_name
 * (already quoted by the caller when the column is quoted), merges a dict under
 * `arguments:` over the top level when arguments_property is set (the
 * require_generic_test_arguments_property flag, on by default in 1.10; when off,
 * `arguments` stays an ordinary argument), then drops the config keys (severity, tags,
 * enabled, where, limit, warn_if, error_if, fail_calc, store_failures,
 * store_failures_as, meta, database, schema, alias), `config`, `description` and
 * `name`. False with dbt's message appended to err when args is not a dict or an
 * argument is called "model". Configs themselves are not handled here. */
bool gl_test_args_split(gl_vm *vm, gl_value args, const char *column_name,
                        bool arguments_property, gl_test_args *out, gl_buf *err);

/* A test name as written ("dbt_utils.expression_is_true") split as dbt's
 * TEST_NAME_PATTERN matches it: re.match, so only a prefix counts ("a.b.c" is namespace
 * "a", name "b"; "not-null" is "not"). *ns is NULL when there is no namespace. False
 * when nothing matches (dbt: "Test name string did not match expected pattern: ..."). */
bool gl_test_split_name(const char *written, const char **ns, size_t *ns_len,
                        const char **name, size_t *name_len);

/* ---- names -------------------------------------------------------------------------- */

typedef struct gl_test_naming {
    const char *test_name;      /* the generic test as written: "not_null", "accepted_values",
                                   "dbt_utils.unique_combination_of_columns" */
    const char *package;        /* the namespace when test_name carries none, else NULL
                                   (a namespace in test_name wins) */
    const char *target_name;    /* what it tests: the model, seed or snapshot name; for
                                   sources NULL means "<source_name>_<table_name>", the
                                   name dbt gives the unpatched source */
    bool on_source;             /* the target is a source table: the test name becomes
                                   "source_<test>" and the model argument source(...) */
    const char *source_name;    /* sources: the source and table names, for the model */
    const char *table_name;     /*   argument source('<source_name>', '<table_name>') */
    const char *version;        /* versioned models: Python str() of the version ("2"),
                                   else NULL; the target becomes "<model>_v<version>" */
    const char *custom_name;    /* the YAML `name:` as text (str() of it), else NULL */
    gl_value kwargs;            /* GL_DICT from gl_test_args_split; a "model" key in it is
                                   ignored (names) or replaced (unique id) */
} gl_test_naming;

/* The node name ("accepted_values_orders_status__placed__shipped") into name, and the
 * file name without ".sql" into file: the same name, or when it has 64 or more
 * characters the first 30 characters of "<test>_<target>", "_" and the md5 of the full
 * name (dbt uses that short name as the alias too, unless the test sets one). A custom
 * name is both, as given. The test name must pass gl_test_split_name; otherwise it is
 * taken whole. */
void gl_test_names(gl_vm *vm, const gl_test_naming *t, gl_buf *name, gl_buf *file);
/* The model argument dbt adds to the kwargs: "{{ get_where_subquery(ref('orders')) }}",
 * ref('m', version='2') for versioned models, source('s', 't') for sources. */
void gl_test_model_arg(const gl_test_naming *t, gl_buf *out);
/* The unique id's hash suffix dbt appends ("test.<pkg>.<name>.<suffix>"): the LAST 10
 * hex characters of the md5 of name (the node name, custom or synthesized) followed by
 * the repr() of {'kwargs': ..., 'name': ..., 'namespace': ...} where every dict is
 * key-sorted, lists stay lists and every other value becomes its str() (None too). */
void gl_test_unique_suffix(gl_vm *vm, const gl_test_naming *t, const char *name, gl_buf *out);
/* md5 of bytes as 32 lowercase hex characters (NUL-terminated into hex[33]). */
void gl_md5_hex(const void *data, size_t len, char hex[33]);
#endif
