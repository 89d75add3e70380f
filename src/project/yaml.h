/* src/project/yaml.h - YAML documents with positions (project layer), loaded with
 * libyaml. A document owns an arena with every node; scalars keep their text, style and
 * byte span so later stages can report `file:line:col` for any key or value.
 * Values are resolved as dbt's loader resolves them (PyYAML SafeLoader, YAML 1.1:
 * yes/no/on/off booleans, ~ and empty as null, 0x/0b/leading-0 octal ints, .inf/.nan
 * floats). dbt parses with PyYAML's CSafeLoader, i.e. libyaml too, so syntax errors are
 * libyaml's own messages.
 *
 * Ownership: a gl_ydoc owns its source and every node (one arena); nodes and their
 * texts live until gl_ydoc_free. Nodes may be shared (aliases, merge keys): the tree is
 * a DAG without cycles, never modify it. */
#ifndef GL_YAML_H
#define GL_YAML_H
#include <stdbool.h>
#include <stdint.h>
#include "jinja/vm.h"
#include "util/arena.h"
#include "util/diag.h"

typedef enum gl_ykind { GL_Y_SCALAR, GL_Y_SEQ, GL_Y_MAP } gl_ykind;

typedef struct gl_ynode gl_ynode;
struct gl_ynode {
    gl_ykind kind;
    gl_span span;             /* byte offsets into the document's source; it starts at the
                                 node's anchor or tag when it has one. An aliased node keeps
                                 the span of its anchored definition */
    const char *text;         /* scalar: the value, NUL-terminated (len bytes; may hold
                                 NULs written as "\0") */
    uint32_t len;
    bool plain;               /* scalar written without quotes or block style (so it resolves
                                 to null/bool/int/float when it looks like one; as in PyYAML,
                                 the non-specific tag "!" resolves any style the same way) */
    bool shared;              /* reached through an alias or a merge key as well: it has
                                 several parents (gl_yaml_to_value converts it once) */
    const char *tag;          /* explicit tag, else NULL; the standard ones are shortened
                                 ("!!str" for tag:yaml.org,2002:str), others as resolved
                                 by libyaml ("!custom", "tag:example.com,2024:x") */
    uint32_t n;               /* seq: items; map: pairs */
    gl_ynode **items;         /* seq items */
    gl_ynode **keys, **vals;  /* map pairs in document order (after << merges; a repeated
                                 key keeps its first position and its last value, as
                                 PyYAML's dict does; keys compare as Python values, so
                                 1, 1.0 and true are one key). Keys are scalars */
};

typedef struct gl_ydoc {
    gl_arena arena;           /* owns the nodes */
    gl_source *src;           /* owned */
    gl_ynode *root;           /* NULL for an empty stream (no document, or comments only) */
} gl_ydoc;

/* Loads the document of src (taking ownership of src). As PyYAML's safe_load, a stream
 * with a second document is an error ("expected a single document in the stream").
 * On a YAML error returns NULL and fills err, which must be empty (err->src = the
 * source, kept alive in *err_src, which the caller frees after printing err; with a
 * NULL err_src the source is freed and err has no position).
 * Anchors and aliases are resolved (an alias shares the anchored node); merge keys
 * (`<<: *a`, `<<: [*a, *b]`) are applied as PyYAML does. Errors besides libyaml's
 * syntax errors: a second document, undefined or repeated anchors, an alias inside its
 * own anchored node (PyYAML would build a recursive structure), collection keys
 * ("found unhashable key"), bad merge values, nesting deeper than GL_YAML_MAX_DEPTH. */
enum { GL_YAML_MAX_DEPTH = 1000 };
gl_ydoc *gl_yaml_load(gl_source *src, gl_diag *err, gl_source **err_src);
void gl_ydoc_free(gl_ydoc *doc);

/* Map lookup by key text (scalar keys only, the first whose text matches); NULL when
 * absent or map is NULL or not a map. */
const gl_ynode *gl_ymap_get(const gl_ynode *map, const char *key);
/* What a scalar resolves to, as PyYAML would. Timestamps (2024-01-01) are GL_YS_STR:
 * gluec keeps their text. Collections answer GL_YS_STR, a NULL node GL_YS_NULL. A
 * scalar whose explicit tag gluec does not support answers GL_YS_STR (and
 * gl_yaml_to_value raises). */
typedef enum gl_yscalar { GL_YS_NULL, GL_YS_BOOL, GL_YS_INT, GL_YS_FLOAT, GL_YS_STR } gl_yscalar;
gl_yscalar gl_yscalar_kind(const gl_ynode *n);
bool gl_yscalar_bool(const gl_ynode *n);     /* valid when kind is GL_YS_BOOL */
/* The node as a Jinja value (dicts keep document order; a NULL node is None). Shared
 * nodes become one shared list or dict, as PyYAML builds one object per node.
 * Integers beyond 64 bits (GL_ERR_OVERFLOW), unsupported tags, values the tag's
 * constructor rejects (`!!int "1.5"`) and a plain `<<` or `=` used as a value
 * (GL_ERR_VALUE) raise through gl_vm_error with the node's span, so call it inside a
 * render or a gl_catch; vm->src must be the document's source for the span. */
gl_value gl_yaml_to_value(gl_vm *vm, const gl_ynode *n);
#endif
