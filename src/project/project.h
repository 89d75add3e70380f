/* src/project/project.h - a loaded dbt project (project layer): its packages, the nodes
 * discovered in their files (models, seeds, snapshots, tests, analyses, sources), the
 * macros of every package, the profile's target, vars, and the diagnostics found.
 * Data flow: files -> gl_project_load (this header) -> codegen renders nodes.
 * Ownership: the project owns everything: its vm arena (values), each template and
 * YAML document (with their sources), and the node and package records. */
#ifndef GL_PROJECT_H
#define GL_PROJECT_H
#include <stdbool.h>
#include <stdint.h>
#include "jinja/vm.h"
#include "parser/parse.h"
#include "project/yaml.h"

typedef enum gl_rtype {     /* ORDER: gl_rtype_names in load.c */
    GL_RT_MODEL, GL_RT_SEED, GL_RT_SNAPSHOT, GL_RT_TEST, GL_RT_ANALYSIS, GL_RT_SOURCE,
    GL_RT_EXPOSURE, GL_RT_OPERATION, GL_RT_COUNT
} gl_rtype;

const char *gl_rtype_name(gl_rtype t);
int gl_version_cmp(const char *a, const char *b);   /* model versions as dbt orders them (props.c) */   /* "model", "seed", ... */

typedef struct gl_pkg {
    const char *name;           /* the project name in its dbt_project.yml */
    char *dir;                  /* its root directory */
    bool is_root;
    gl_ydoc *yml;               /* dbt_project.yml; NULL for gluec's internal package */
    const gl_ynode *cfg[GL_RT_COUNT]; /* the models:/seeds:/snapshots:/data_tests:/analyses:/
                                   sources: trees of dbt_project.yml (root's apply to all) */
    const char **paths[GL_RT_COUNT]; /* model-paths, seed-paths, snapshot-paths, test-paths,
                                   analysis-paths (sources live under model-paths) */
    uint32_t npaths[GL_RT_COUNT];
    const char **macro_paths;
    uint32_t nmacro_paths;
    const char **docs_paths;    /* docs-paths, default every resource and macro path */
    uint32_t ndocs_paths;
    gl_dict *doc_blocks;        /* {% docs name %} blocks: name -> rendered text (GL_STR) */
    gl_dict *doc_files;         /* name -> the file that defines it (GL_STR), for messages */
    gl_value vars;              /* GL_DICT: this package's vars: block */
    gl_dict *macros;            /* name -> GL_MACRO, this package's macros */
} gl_pkg;

/* A ref() or source() call seen while parsing a node. */
typedef struct gl_dep {
    const char *package;        /* ref('pkg', 'name'): pkg; else NULL */
    const char *name;           /* model name, or the source name for source() */
    const char *table;          /* source(): the table; NULL for ref */
    gl_value version;           /* ref(..., version=): GL_MISSING when not given */
    uint32_t target;            /* resolved node index */
    gl_span span;               /* the call, in src */
    const gl_source *src;
} gl_dep;

typedef struct gl_dnode gl_dnode;
struct gl_dnode {
    gl_rtype type;
    const char *unique_id;
    const char *name;
    const char *path;           /* original_file_path, relative to the package dir */
    const char *compiled_path;  /* where compiled/<package>/ puts it (NULL: path) */
    gl_pkg *pkg;
    gl_template *tpl;           /* SQL nodes; NULL for seeds and sources */
    const gl_ynode *props;      /* its entry in a properties file, or NULL */
    const gl_ynode *version_props; /* versioned models: the entry of this version */
    const char *version;        /* versioned models: the version as written ("2"), else NULL */
    const gl_ydoc *props_doc;   /* the document props lives in */
    const char **fqn;
    uint32_t nfqn;
    gl_value config;            /* GL_DICT: the resolved config */
    gl_value file_config;       /* GL_DICT: what config() in the file set (parse phase) */
    gl_dep *deps;               /* ref/source calls in order (parse phase) */
    uint32_t ndeps, capdeps;
    uint32_t *parents;          /* depends_on.nodes (indices), sorted, unique */
    uint32_t nparents;
    const char *database, *schema, *alias;   /* the relation */
    const char *relation;       /* as rendered: "schema.alias" or "__dbt__cte__alias" */
    char checksum[65];          /* sha256 hex of the file */
    /* sources */
    const gl_ynode *source_props;   /* the source's entry (the table's is props) */
    const char *source_name;
    const char *identifier;
    /* generic tests */
    const char *test_macro;     /* "test_not_null" etc. */
    gl_value test_kwargs;       /* GL_DICT */
    const gl_dnode *test_owner; /* the node the test is attached to */
    const gl_ynode *test_entry; /* where the properties file declares it (diagnostics) */
    /* on-run-start / on-run-end hooks (operations) */
    const gl_ynode *hook_value; /* the hook's string in dbt_project.yml */
    bool hook_end;              /* on-run-end (else on-run-start) */
    uint32_t hook_index;        /* its position in the package's list */
    /* compile results */
    char *compiled;             /* malloc'd, owned: the SQL with ephemeral CTEs injected */
    size_t compiled_len;
    char *pre_injected;         /* malloc'd, owned: the rendering before injection */
    size_t pre_injected_len;
    uint32_t *ctes;             /* malloc'd: ephemeral nodes injected, flattened, in order */
    uint32_t nctes;
    bool ephemeral;
    bool enabled;               /* config.enabled, kept by gl_config_resolve: read it with
                                   gl_node_enabled, never set it by hand */
    bool rendered;              /* compile results are set */
    bool failed;                /* an error was reported for this node */
};

typedef struct gl_diags {
    gl_diag *items;
    uint32_t n, cap;
    uint32_t errors;
} gl_diags;

/* A generic test as a properties file declares it, for the test builder. */
typedef struct gl_testspec {
    gl_pkg *pkg;
    const gl_ydoc *doc;
    const char *file;           /* the properties file, relative to the package */
    const char *dirs;           /* its folders under the resource path */
    const gl_ynode *test;       /* the entry: "not_null" or {accepted_values: {...}} */
    const gl_ynode *column;     /* the column entry it sits under, or NULL */
    gl_dnode *target;           /* the model/seed/snapshot/source node tested */
} gl_testspec;

struct gl_propfile;

typedef struct gl_project_opts {
    const char *project_dir;    /* default "." */
    const char *profiles_dir;   /* NULL: $DBT_PROFILES_DIR, the project dir, ~/.dbt */
    const char *profile;        /* --profile */
    const char *target;         /* --target */
    const char *vars;           /* --vars YAML/JSON text */
    const char *state;          /* --state FILE: relations that already exist */
    bool full_refresh;
} gl_project_opts;

typedef struct gl_project {
    gl_interner names;
    gl_vm vm;                   /* values of the whole compile live in vm.arena */
    gl_project_opts opts;
    gl_pkg **pkgs;              /* [0] is the root project; then installed packages
                                   sorted by name; last gluec's internal package */
    uint32_t npkgs;
    gl_dnode **nodes;           /* sorted by unique_id once loaded */
    uint32_t nnodes, capnodes;
    gl_dict *by_uid;            /* unique_id -> node index (GL_INT) */
    gl_value target;            /* GL_DICT: the `target` Jinja object's fields */
    gl_value session;           /* GL_DICT: the profile's Glue session settings */
    gl_value cli_vars;          /* GL_DICT from --vars */
    gl_dict *existing;          /* --state: "schema.identifier" -> type ("table", "view") */
    gl_source **sources;        /* every file read that no template/document owns */
    uint32_t nsources;
    gl_template **templates;    /* macro files and node templates, owned */
    uint32_t ntemplates, captemplates;
    gl_ydoc **docs;             /* YAML documents, owned */
    uint32_t ndocs, capdocs;
    struct gl_propfile *propfiles; /* properties files found, attached after discovery */
    uint32_t npropfiles, cappropfiles;
    gl_dict *yaml_values;       /* YAML node -> its value, converted once */
    gl_dict *latest;            /* "<package>.<model>" -> latest version of a versioned model */
    bool renamed;               /* versions changed unique ids: the index needs rebuilding */
    gl_dnode **hooks;           /* on-run-start/on-run-end of every package, in load order;
                                   not in nodes: never selected, listed or linked */
    uint32_t nhooks, caphooks;
    const gl_ydoc *selectors_doc; /* selectors.yml, when the project has one */
    const gl_ynode *selectors;  /* its `selectors:` list */
    const gl_ynode *default_selector; /* the name of the one marked default: true */
    gl_dict *test_templates;    /* "<file>\n<call>" -> the shared template of generic tests */
    gl_testspec *tests;         /* generic tests declared in properties files */
    uint32_t ntests, captests;
    gl_diags diags;
} gl_project;

/* The latest version of <pkg>.<name> when it is a versioned model, else NULL (props.c). */
const char *gl_project_latest_version(const gl_project *p, const char *pkg, const char *name);

/* Loads and validates: returns the project even on errors (diags says what is wrong),
 * NULL only when the project dir has no dbt_project.yml (reported in diags of *out_diags). */
gl_project *gl_project_load(const gl_project_opts *opts);
void gl_project_free(gl_project *p);

/* Diagnostics: errors keep their position and are printed in the order found. */
void gl_diags_add(gl_diags *d, gl_severity sev, const gl_source *src, gl_span span,
                  const char *hint, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void gl_diags_take(gl_diags *d, gl_diag *diag);   /* moves a filled gl_diag in */
void gl_diags_print(const gl_diags *d, FILE *out);
void gl_diags_free(gl_diags *d);

static inline bool gl_node_enabled(const gl_dnode *n) { return n->enabled; }

/* The index of a node by unique id, or -1. */
long gl_project_find(const gl_project *p, const char *unique_id);
gl_pkg *gl_project_pkg(const gl_project *p, const char *name);
#endif
