/* src/lexer/lexer.h - the template scanner (lexer stage): splits Jinja template text
 * into data, tags and expression tokens, applying whitespace control (`-`) and raw
 * blocks. Tokens are byte spans into the source; nothing is copied.
 * The source must be NUL-terminated (the NUL is the scanner's sentinel) and already
 * newline-normalized by gl_lexer_prepare. */
#ifndef GL_LEXER_H
#define GL_LEXER_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "util/buf.h"

/* X-macro: token kind, printable name used in diagnostics. ORDER: grouping below. */
#define GL_TOKENS(X) \
    X(EOF, "end of template") \
    X(ERROR, "invalid token") \
    X(DATA, "template data") \
    X(VAR_BEGIN, "'{{'") X(VAR_END, "'}}'") X(BLOCK_END, "'%}'") \
    X(NAME, "name") X(INT, "integer") X(FLOAT, "float") X(STRING, "string") \
    X(ADD, "'+'") X(SUB, "'-'") X(MUL, "'*'") X(DIV, "'/'") X(FLOORDIV, "'//'") \
    X(MOD, "'%'") X(POW, "'**'") X(TILDE, "'~'") X(LBRACKET, "'['") X(RBRACKET, "']'") \
    X(LPAREN, "'('") X(RPAREN, "')'") X(LBRACE, "'{'") X(RBRACE, "'}'") \
    X(EQ, "'=='") X(NE, "'!='") X(GT, "'>'") X(GE, "'>='") X(LT, "'<'") X(LE, "'<='") \
    X(ASSIGN, "'='") X(DOT, "'.'") X(COLON, "':'") X(PIPE, "'|'") X(COMMA, "','") \
    X(SEMICOLON, "';'") \
    X(AND, "'and'") X(OR, "'or'") X(NOT, "'not'") X(IN, "'in'") X(IS, "'is'") \
    X(IF, "'if'") X(ELSE, "'else'") \
    X(S_IF, "'{% if'") X(S_ELIF, "'{% elif'") X(S_ELSE, "'{% else'") X(S_ENDIF, "'{% endif'") \
    X(S_FOR, "'{% for'") X(S_ENDFOR, "'{% endfor'") X(S_BREAK, "'{% break'") \
    X(S_CONTINUE, "'{% continue'") X(S_SET, "'{% set'") X(S_ENDSET, "'{% endset'") \
    X(S_DO, "'{% do'") X(S_MACRO, "'{% macro'") X(S_ENDMACRO, "'{% endmacro'") \
    X(S_CALL, "'{% call'") X(S_CALL_SIG, "'{% call('") X(S_ENDCALL, "'{% endcall'") \
    X(S_FILTER, "'{% filter'") X(S_ENDFILTER, "'{% endfilter'") \
    X(S_WITH, "'{% with'") X(S_ENDWITH, "'{% endwith'") \
    X(S_BLOCK, "'{% block'") X(S_ENDBLOCK, "'{% endblock'") \
    X(S_TEST, "'{% test'") X(S_ENDTEST, "'{% endtest'") \
    X(S_DOCS, "'{% docs'") X(S_ENDDOCS, "'{% enddocs'") \
    X(S_SNAPSHOT, "'{% snapshot'") X(S_ENDSNAPSHOT, "'{% endsnapshot'") \
    X(S_MATERIALIZATION, "'{% materialization'") X(S_ENDMATERIALIZATION, "'{% endmaterialization'") \
    X(S_UNKNOWN, "unknown tag")

typedef enum gl_tok {
#define GL_TOK_ENUM(name, text) GL_TOK_##name,
    GL_TOKENS(GL_TOK_ENUM)
#undef GL_TOK_ENUM
    GL_TOK_COUNT
} gl_tok;

typedef struct gl_token {
    gl_tok kind;
    uint32_t start, end;        /* span in the source (DATA: after whitespace control) */
} gl_token;

typedef enum { GL_LEX_DATA, GL_LEX_EXPR, GL_LEX_BLOCK } gl_lex_mode;

typedef struct gl_lexer {
    const char *src;            /* NUL-terminated source */
    size_t len;
    const char *cur;            /* scan position */
    gl_lex_mode mode;
    int depth;                  /* open brackets inside a tag: '}}' only closes at 0 */
    bool strip_data;            /* the previous tag ended with '-': lstrip the next data */
    bool stmt_start;            /* right after '{%': the next name is the statement */
    bool dbt;                   /* dbt's tags: test, docs, snapshot, materialization */
    const char *error;          /* message of the last GL_TOK_ERROR (static) */
    uint32_t error_at;
} gl_lexer;

/* Jinja2's newline handling: '\r\n' and '\r' become '\n' and one trailing newline is
 * dropped (keep_trailing_newline is off). Rewrites text in place; returns the new length. */
size_t gl_lexer_prepare(char *text, size_t len);
void gl_lexer_init(gl_lexer *lx, const char *src, size_t len);
/* Next token. Data tokens may be empty after stripping; they are still returned. */
gl_token gl_lex(gl_lexer *lx);
const char *gl_tok_name(gl_tok kind);
#endif
