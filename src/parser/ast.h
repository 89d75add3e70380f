/* src/parser/ast.h - the template AST (parser stage). One arena per parsed template
 * owns every node, list and constant; the AST is immutable once parsed and lives as
 * long as the template. Every node carries its byte span for diagnostics. */
#ifndef GL_AST_H
#define GL_AST_H
#include <stdbool.h>
#include <stdint.h>
#include "jinja/value.h"
#include "util/arena.h"
#include "util/diag.h"
#include "util/intern.h"

/* X-macro of node kinds. ORDER: s_node_names in ast.c. Children use a..e and items:
 *   statements                                 expressions                          */
#define GL_NODES(X) \
    X(BODY)       /* items: statements */ \
    X(DATA)       /* value: the text */ \
    X(OUTPUT)     /* a: expression to print */ \
    X(IF)         /* a: test, b: body, c: else (BODY or IF for elif) or NULL */ \
    X(FOR)        /* a: target, b: iterable, c: body, d: else body, e: filter; flags RECURSIVE */ \
    X(BREAK) X(CONTINUE) \
    X(SET)        /* a: target, b: value */ \
    X(SET_BLOCK)  /* a: target, b: body, items: FILTER nodes (a = NULL) applied in order */ \
    X(DO)         /* a: expression */ \
    X(MACRO)      /* name, items: PARAM, b: body; flags USES_* */ \
    X(CALL_BLOCK) /* a: CALL expression, items: PARAM of caller, b: body; flags USES_* */ \
    X(FILTER_BLOCK) /* items: FILTER nodes (a = NULL), b: body */ \
    X(WITH)       /* items: PAIR (target, value), b: body */ \
    X(BLOCK)      /* name, b: body; flags SCOPED (rendered in place: no inheritance) */ \
    X(DOCS)       /* dbt {% docs name %}: name, b: body (renders nothing) */ \
    X(SNAPSHOT)   /* dbt {% snapshot name %}: name, b: body (renders the body) */ \
    X(PARAM)      /* name, a: default or NULL */ \
    X(CONST)      /* value */ \
    X(NAME)       /* name */ \
    X(NSREF)      /* a: NAME of the namespace, name: attribute (set target) */ \
    X(LIST) X(TUPLE) /* items */ \
    X(DICT)       /* items: PAIR */ \
    X(PAIR)       /* a: key, b: value */ \
    X(GETATTR)    /* a: object, name */ \
    X(GETITEM)    /* a: object, b: key (SLICE for slices) */ \
    X(SLICE)      /* a: start, b: stop, c: step; any may be NULL */ \
    X(CALL)       /* a: callee, items: arguments (KWARG, STARARG, DSTARARG or plain) */ \
    X(KWARG)      /* name, a: value */ \
    X(STARARG) X(DSTARARG) /* a: value */ \
    X(FILTER)     /* a: operand (NULL in filter blocks), name, items: arguments */ \
    X(TEST)       /* a: operand, name, items: arguments; flags NEGATED */ \
    X(NOT) X(NEG) X(POS) /* a */ \
    X(BINOP)      /* op: gl_binop, a, b */ \
    X(AND) X(OR)  /* a, b */ \
    X(COMPARE)    /* a: first operand, items: OPERAND */ \
    X(OPERAND)    /* op: gl_cmpop, a: right-hand expression */ \
    X(CONDEXPR)   /* a: test, b: then, c: else or NULL */ \
    X(CONCAT)     /* items */

typedef enum gl_node_kind {
#define GL_NODE_ENUM(name) GL_N_##name,
    GL_NODES(GL_NODE_ENUM)
#undef GL_NODE_ENUM
    GL_N_COUNT
} gl_node_kind;

typedef enum gl_binop { GL_OP_ADD, GL_OP_SUB, GL_OP_MUL, GL_OP_DIV, GL_OP_FLOORDIV,
                        GL_OP_MOD, GL_OP_POW } gl_binop;
typedef enum gl_cmpop { GL_CMP_EQ, GL_CMP_NE, GL_CMP_LT, GL_CMP_LE, GL_CMP_GT, GL_CMP_GE,
                        GL_CMP_IN, GL_CMP_NOTIN } gl_cmpop;

enum {
    GL_NF_RECURSIVE = 1,      /* FOR: recursive loop */
    GL_NF_NEGATED = 2,        /* TEST: is not */
    GL_NF_USES_VARARGS = 4,   /* MACRO/CALL_BLOCK bodies that read varargs, */
    GL_NF_USES_KWARGS = 8,    /* kwargs, */
    GL_NF_USES_CALLER = 16,   /* caller */
    GL_NF_TRAILING = 32,      /* TUPLE written with a trailing comma */
    GL_NF_PAREN = 64,         /* expression written in parentheses */
    GL_NF_SCOPED = 128,       /* BLOCK: sees the enclosing frame's variables */
    GL_NF_DBT_TEST = 256,     /* MACRO from dbt's {% test %}: named test_<name> */
    GL_NF_DBT_MATERIALIZATION = 512 /* MACRO from {% materialization %}: items of the
                                   tag in c (LIST of the arguments after the name) */
};

typedef struct gl_node gl_node;
struct gl_node {
    uint8_t kind;             /* gl_node_kind */
    uint8_t op;               /* gl_binop / gl_cmpop */
    uint16_t flags;           /* GL_NF_* */
    uint32_t nitems, capitems;
    gl_span span;
    const gl_name *name;
    gl_node *a, *b, *c, *d, *e;
    gl_node **items;
    gl_value value;           /* CONST, DATA */
};

typedef struct gl_template {
    gl_arena arena;           /* owns the nodes */
    gl_source *src;           /* owned */
    gl_node *root;            /* BODY */
} gl_template;

gl_node *gl_node_new(gl_arena *a, gl_node_kind kind, gl_span span);
void gl_node_push(gl_arena *a, gl_node *list, gl_node *item);
const char *gl_node_name(gl_node_kind kind);
/* Prints the tree in a stable, indented form (tests and --debug). */
void gl_ast_dump(const gl_node *n, gl_buf *out);
#endif
