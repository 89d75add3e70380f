/* src/parser/parse.h - template parsing entry point (parser stage): source text ->
 * tokens (src/lexer) -> AST (Bison grammar parser.y). The template owns its source
 * and an arena with every node; gl_template_free releases both. */
#ifndef GL_PARSE_H
#define GL_PARSE_H
#include "parser/ast.h"
#include "util/diag.h"
#include "util/intern.h"

/* Parses src (taking ownership). On a syntax error returns NULL and fills err
 * (its src points at the source, which is then kept alive inside err_src). */
gl_template *gl_parse_template(gl_source *src, gl_interner *names, gl_diag *err,
                               gl_source **err_src);
/* The same with dbt's extension tags (test, docs, snapshot, materialization). */
gl_template *gl_parse_dbt_template(gl_source *src, gl_interner *names, gl_diag *err,
                                   gl_source **err_src);
void gl_template_free(gl_template *t);
#endif
