/* src/parser/parser.y - the Jinja template grammar (parser stage), compiled by Bison.
 * Statements and expressions with Jinja2's precedence: or < and < not < comparisons
 * < + - < ~ < * / // % < ** (left-assoc) < unary - + < filters/tests < postfix.
 * Pure parser, byte-span locations, %expect 0; actions build the AST in the
 * template's arena. */
%code requires {
#include "lexer/lexer.h"
#include "parser/ast.h"
typedef struct gl_parser gl_parser;
}

%code provides {
struct gl_parser {
    gl_lexer lx;
    gl_arena *arena;          /* the template's arena */
    gl_interner *names;
    gl_source *src;
    gl_node *root;
    gl_diag *err;             /* first error */
    bool failed;
    uint16_t uses[64];        /* GL_NF_USES_* of the macro/call bodies being parsed */
    int udepth;
    gl_span open[256];        /* open block tags, for "not closed" messages */
    gl_tok open_kind[256];
    int nopen;
    char scopes[256];         /* L loop body, E loop else, I if, M macro/call: for break */
    int nscopes;
    const gl_name *blocks[64];  /* block names seen, for duplicates */
    int nblocks;
};
int gl_tpl_parse(gl_parser *p);
}

%define api.prefix {gl_tpl_}
%define api.token.prefix {TK_}
%define api.pure full
%define api.header.include {"parser/parser.h"}
%define api.location.type {gl_span}
%define parse.error custom
%locations
%param {gl_parser *p}
%expect 0

%code {
#include <errno.h>
#include <stdarg.h>
#include "parser/parse.h"
#include <stdlib.h>
#include <string.h>
#define YYLLOC_DEFAULT(Cur, Rhs, N) do {                                  \
        if (N) { (Cur).start = YYRHSLOC(Rhs, 1).start; (Cur).end = YYRHSLOC(Rhs, N).end; } \
        else { (Cur).start = (Cur).end = YYRHSLOC(Rhs, 0).end; }          \
    } while (0)
static int gl_tpl_lex(GL_TPL_STYPE *lval, gl_span *lloc, gl_parser *p);
static void gl_tpl_error(gl_span *loc, gl_parser *p, const char *msg);
static void s_fail(gl_parser *p, gl_span at, const char *hint, const char *fmt, ...);
static gl_node *N(gl_parser *p, gl_node_kind k, gl_span s) { return gl_node_new(p->arena, k, s); }
static gl_node *N1(gl_parser *p, gl_node_kind k, gl_span s, gl_node *a)
{ gl_node *n = N(p, k, s); n->a = a; return n; }
static gl_node *N2(gl_parser *p, gl_node_kind k, gl_span s, gl_node *a, gl_node *b)
{ gl_node *n = N1(p, k, s, a); n->b = b; return n; }
static void push(gl_parser *p, gl_node *list, gl_node *item) { gl_node_push(p->arena, list, item); }
static const gl_name *s_name(gl_parser *p, gl_span s)
{ return gl_intern(p->names, p->src->text + s.start, s.end - s.start); }
static gl_node *s_name_node(gl_parser *p, gl_span s);
static gl_node *s_int(gl_parser *p, gl_span s);
static gl_node *s_float(gl_parser *p, gl_span s);
static gl_node *s_string(gl_parser *p, gl_span s);
static gl_node *s_seq(gl_parser *p, gl_node *list, bool trailing, gl_node_kind kind);
static gl_node *s_binop(gl_parser *p, gl_span s, int op, gl_node *a, gl_node *b);
static gl_node *s_cmp(gl_parser *p, gl_span s, gl_node *left, int op, gl_node *right);
static gl_node *s_macro(gl_parser *p, gl_node *n, gl_node *params);
static void s_check_params(gl_parser *p, gl_node *params);
static void s_close(gl_parser *p);
static void s_block(gl_parser *p, gl_node *n, gl_span end_name);
static const gl_name *s_prefixed(gl_parser *p, const char *prefix, gl_span s);
static const gl_name *s_materialization(gl_parser *p, gl_span name, gl_node *args);
}

%union {
    gl_node *node;
    int op;
}

%token EOF 0 "end of template"
%token ERROR DATA VAR_BEGIN VAR_END BLOCK_END NAME INT FLOAT STRING
%token ADD SUB MUL DIV FLOORDIV MOD POW TILDE LBRACKET RBRACKET LPAREN RPAREN LBRACE RBRACE
%token EQ NE GT GE LT LE ASSIGN DOT COLON PIPE COMMA SEMICOLON
%token AND OR NOT IN IS IF ELSE
%token S_IF S_ELIF S_ELSE S_ENDIF S_FOR S_ENDFOR S_BREAK S_CONTINUE S_SET S_ENDSET S_DO
%token S_MACRO S_ENDMACRO S_CALL S_CALL_SIG S_ENDCALL S_FILTER S_ENDFILTER S_WITH S_ENDWITH
%token S_BLOCK S_ENDBLOCK S_TEST S_ENDTEST S_DOCS S_ENDDOCS S_SNAPSHOT S_ENDSNAPSHOT
%token S_MATERIALIZATION S_ENDMATERIALIZATION S_UNKNOWN

%type <node> body item if_tail for_else expr or_expr and_expr not_expr compare math1 concat
%type <node> math2 pow unary unary_nf postfix primary atom strings exprs ors tuple_expr tuple_or
%type <node> args arglist arg subscripts subscript opt_expr fname filter_call filter_chain
%type <node> opt_filters tname test_body test_arg target target_seq target_atom set_target
%type <node> params param list_items dict_items dict_item with_assigns for_filter
%type <op> cmp_op opt_recursive block_mods

%precedence LOWEST
%precedence NAME
%precedence IF
%precedence LPAREN

%%

template: body                          { p->root = $1; }
        ;

body: %empty                            { $$ = N(p, GL_N_BODY, @$); }
    | body item                         { $$ = $1; push(p, $$, $2); $$->span.end = @2.end; }
    ;

item: DATA                              { $$ = N(p, GL_N_DATA, @1);
                                          $$->value = gl_str(p->src->text + @1.start, @1.end - @1.start); }
    | VAR_BEGIN tuple_expr VAR_END      { $$ = N1(p, GL_N_OUTPUT, @$, $2); }
    | S_IF tuple_or BLOCK_END body if_tail
                                        { $$ = N2(p, GL_N_IF, @1, $2, $4); $$->c = $5; }
    | S_FOR target IN tuple_or for_filter opt_recursive BLOCK_END body for_else
                                        { $$ = N2(p, GL_N_FOR, @1, $2, $4); $$->e = $5;
                                          $$->flags = (uint16_t)$6; $$->c = $8; $$->d = $9; s_close(p); }
    | S_BREAK BLOCK_END                 { $$ = N(p, GL_N_BREAK, @1); }
    | S_CONTINUE BLOCK_END              { $$ = N(p, GL_N_CONTINUE, @1); }
    | S_SET set_target ASSIGN tuple_expr BLOCK_END
                                        { $$ = N2(p, GL_N_SET, @1, $2, $4); s_close(p); }
    | S_SET set_target opt_filters BLOCK_END body S_ENDSET BLOCK_END
                                        { $$ = N2(p, GL_N_SET_BLOCK, @1, $2, $5);
                                          if ($3) { $$->items = $3->items; $$->nitems = $3->nitems; }
                                          s_close(p); }
    | S_DO tuple_expr BLOCK_END         { $$ = N1(p, GL_N_DO, @1, $2); }
    | S_MACRO NAME LPAREN params RPAREN BLOCK_END body S_ENDMACRO BLOCK_END
                                        { $$ = N(p, GL_N_MACRO, @1); $$->name = s_name(p, @2);
                                          $$->b = $7; s_macro(p, $$, $4); }
    | S_CALL expr BLOCK_END body S_ENDCALL BLOCK_END
                                        { $$ = N1(p, GL_N_CALL_BLOCK, @1, $2); $$->b = $4;
                                          s_macro(p, $$, NULL);
                                          if ($2->kind != GL_N_CALL) s_fail(p, @2, NULL, "expected a call after 'call'"); }
    | S_CALL_SIG params RPAREN expr BLOCK_END body S_ENDCALL BLOCK_END
                                        { $$ = N1(p, GL_N_CALL_BLOCK, @1, $4); $$->b = $6;
                                          s_macro(p, $$, $2);
                                          if ($4->kind != GL_N_CALL) s_fail(p, @4, NULL, "expected a call after 'call(...)'"); }
    | S_FILTER filter_chain BLOCK_END body S_ENDFILTER BLOCK_END
                                        { $$ = N(p, GL_N_FILTER_BLOCK, @1); $$->b = $4;
                                          $$->items = $2->items; $$->nitems = $2->nitems; s_close(p); }
    | S_BLOCK NAME block_mods BLOCK_END body S_ENDBLOCK opt_block_name BLOCK_END
                                        { $$ = N(p, GL_N_BLOCK, @1); $$->name = s_name(p, @2); $$->b = $5;
                                          $$->flags = (uint16_t)$3; s_block(p, $$, @7); }
    | S_TEST NAME LPAREN params RPAREN BLOCK_END body S_ENDTEST BLOCK_END
                                        { $$ = N(p, GL_N_MACRO, @1); $$->name = s_prefixed(p, "test_", @2);
                                          $$->b = $7; $$->flags |= GL_NF_DBT_TEST; s_macro(p, $$, $4); }
    | S_MATERIALIZATION NAME COMMA arglist BLOCK_END body S_ENDMATERIALIZATION BLOCK_END
                                        { $$ = N(p, GL_N_MACRO, @1); $$->name = s_materialization(p, @2, $4);
                                          $$->c = $4; $$->b = $6; $$->flags |= GL_NF_DBT_MATERIALIZATION;
                                          s_macro(p, $$, NULL); }
    | S_DOCS NAME BLOCK_END body S_ENDDOCS BLOCK_END
                                        { $$ = N(p, GL_N_DOCS, @1); $$->name = s_name(p, @2); $$->b = $4; s_close(p); }
    | S_SNAPSHOT NAME BLOCK_END body S_ENDSNAPSHOT BLOCK_END
                                        { $$ = N(p, GL_N_SNAPSHOT, @1); $$->name = s_name(p, @2); $$->b = $4; s_close(p); }
    | S_WITH with_assigns BLOCK_END body S_ENDWITH BLOCK_END
                                        { $$ = $2; $$->span = @1; $$->b = $4; s_close(p); }
    ;

block_mods: %empty                      { $$ = 0; }
          | block_mods NAME             { const gl_name *m = s_name(p, @2);
                                          if (m == gl_intern_cstr(p->names, "scoped")) $$ = $1 | GL_NF_SCOPED;
                                          else if (m == gl_intern_cstr(p->names, "required")) $$ = $1;
                                          else { $$ = $1; s_fail(p, @2, "a block takes 'scoped' and 'required' only",
                                                                 "unexpected name '%s' in block tag", m->str); } }
          ;
opt_block_name: %empty | NAME ;

if_tail: S_ENDIF BLOCK_END              { $$ = NULL; s_close(p); }
       | S_ELSE BLOCK_END body S_ENDIF BLOCK_END
                                        { $$ = $3; s_close(p); }
       | S_ELIF tuple_or BLOCK_END body if_tail
                                        { $$ = N2(p, GL_N_IF, @1, $2, $4); $$->c = $5; }
       ;

for_filter: %empty                      { $$ = NULL; }
          | IF expr                     { $$ = $2; }
          ;

opt_recursive: %empty                   { $$ = 0; }
             | NAME                     { $$ = GL_NF_RECURSIVE;
                                          if (s_name(p, @1) != gl_intern_cstr(p->names, "recursive"))
                                              s_fail(p, @1, "a for tag ends with an optional 'if' filter and 'recursive'",
                                                     "unexpected name '%s' in for tag", s_name(p, @1)->str); }
             ;

for_else: S_ENDFOR BLOCK_END            { $$ = NULL; }
        | S_ELSE BLOCK_END body S_ENDFOR BLOCK_END
                                        { $$ = $3; }
        ;

target: target_seq                      { $$ = s_seq(p, $1, false, GL_N_TUPLE); }
      | target_seq COMMA                { $$ = s_seq(p, $1, true, GL_N_TUPLE); }
      ;
target_seq: target_atom                 { $$ = N(p, GL_N_TUPLE, @1); push(p, $$, $1); }
          | target_seq COMMA target_atom { $$ = $1; push(p, $$, $3); $$->span.end = @3.end; }
          ;
target_atom: NAME                       { $$ = N(p, GL_N_NAME, @1); $$->name = s_name(p, @1); }
           | LPAREN target RPAREN       { $$ = $2; }
           ;
set_target: target                      { $$ = $1; }
          | NAME DOT NAME               { $$ = N(p, GL_N_NSREF, @$); $$->a = s_name_node(p, @1);
                                          $$->name = s_name(p, @3); }
          ;

with_assigns: %empty                    { $$ = N(p, GL_N_WITH, @$); }
            | with_assigns COMMA target ASSIGN expr
                                        { $$ = $1; push(p, $$, N2(p, GL_N_PAIR, @3, $3, $5)); }
            | target ASSIGN expr        { $$ = N(p, GL_N_WITH, @$); push(p, $$, N2(p, GL_N_PAIR, @1, $1, $3)); }
            ;

params: %empty                          { $$ = N(p, GL_N_LIST, @$); }
      | param                           { $$ = N(p, GL_N_LIST, @1); push(p, $$, $1); }
      | params COMMA param              { $$ = $1; push(p, $$, $3); }
      | params COMMA                    { $$ = $1; }
      ;
param: NAME                             { $$ = N(p, GL_N_PARAM, @1); $$->name = s_name(p, @1); }
     | NAME ASSIGN expr                 { $$ = N(p, GL_N_PARAM, @1); $$->name = s_name(p, @1); $$->a = $3; }
     ;

opt_filters: %empty                     { $$ = NULL; }
           | opt_filters PIPE filter_call
                                        { $$ = $1 ? $1 : N(p, GL_N_LIST, @3); push(p, $$, $3); }
           ;

filter_chain: filter_call               { $$ = N(p, GL_N_LIST, @1); push(p, $$, $1); }
            | filter_chain PIPE filter_call { $$ = $1; push(p, $$, $3); }
            ;

tuple_expr: exprs                       { $$ = s_seq(p, $1, false, GL_N_TUPLE); }
          | exprs COMMA                 { $$ = s_seq(p, $1, true, GL_N_TUPLE); }
          ;
exprs: expr                             { $$ = N(p, GL_N_TUPLE, @1); push(p, $$, $1); }
     | exprs COMMA expr                 { $$ = $1; push(p, $$, $3); $$->span.end = @3.end; }
     ;
tuple_or: ors                           { $$ = s_seq(p, $1, false, GL_N_TUPLE); }
        | ors COMMA %prec LOWEST        { $$ = s_seq(p, $1, true, GL_N_TUPLE); }
        ;
ors: or_expr                            { $$ = N(p, GL_N_TUPLE, @1); push(p, $$, $1); }
   | ors COMMA or_expr                  { $$ = $1; push(p, $$, $3); $$->span.end = @3.end; }
   ;

expr: or_expr                           { $$ = $1; }
    | expr IF or_expr %prec LOWEST      { $$ = N2(p, GL_N_CONDEXPR, @$, $3, $1); }
    | expr IF or_expr ELSE expr %prec LOWEST
                                        { $$ = N2(p, GL_N_CONDEXPR, @$, $3, $1); $$->c = $5; }
    ;
or_expr: and_expr                       { $$ = $1; }
       | or_expr OR and_expr            { $$ = N2(p, GL_N_OR, @$, $1, $3); }
       ;
and_expr: not_expr                      { $$ = $1; }
        | and_expr AND not_expr         { $$ = N2(p, GL_N_AND, @$, $1, $3); }
        ;
not_expr: compare                       { $$ = $1; }
        | NOT not_expr                  { $$ = N1(p, GL_N_NOT, @$, $2); }
        ;
compare: math1                          { $$ = $1; }
       | compare cmp_op math1           { $$ = s_cmp(p, @$, $1, $2, $3); }
       ;
cmp_op: EQ { $$ = GL_CMP_EQ; } | NE { $$ = GL_CMP_NE; } | LT { $$ = GL_CMP_LT; }
      | LE { $$ = GL_CMP_LE; } | GT { $$ = GL_CMP_GT; } | GE { $$ = GL_CMP_GE; }
      | IN { $$ = GL_CMP_IN; } | NOT IN { $$ = GL_CMP_NOTIN; }
      ;
math1: concat                           { $$ = $1; }
     | math1 ADD concat                 { $$ = s_binop(p, @2, GL_OP_ADD, $1, $3); }
     | math1 SUB concat                 { $$ = s_binop(p, @2, GL_OP_SUB, $1, $3); }
     ;
concat: math2                           { $$ = $1; }
      | concat TILDE math2              { if ($1->kind == GL_N_CONCAT && !($1->flags & GL_NF_PAREN)) $$ = $1;
                                          else { $$ = N(p, GL_N_CONCAT, @$); push(p, $$, $1); }
                                          push(p, $$, $3); $$->span.end = @3.end; }
      ;
math2: pow                              { $$ = $1; }
     | math2 MUL pow                    { $$ = s_binop(p, @2, GL_OP_MUL, $1, $3); }
     | math2 DIV pow                    { $$ = s_binop(p, @2, GL_OP_DIV, $1, $3); }
     | math2 FLOORDIV pow               { $$ = s_binop(p, @2, GL_OP_FLOORDIV, $1, $3); }
     | math2 MOD pow                    { $$ = s_binop(p, @2, GL_OP_MOD, $1, $3); }
     ;
pow: unary                              { $$ = $1; }
   | pow POW unary                      { $$ = s_binop(p, @2, GL_OP_POW, $1, $3); }
   ;
unary: unary_nf                         { $$ = $1; }
     | unary PIPE filter_call           { $$ = $3; $$->a = $1; }
     | unary LPAREN args RPAREN         { $$ = N1(p, GL_N_CALL, @$, $1);   /* x|attr('f')() */
                                          $$->items = $3->items; $$->nitems = $3->nitems; }
     | unary IS test_body               { $$ = $3; $$->a = $1; }
     | unary IS NOT test_body           { $$ = $4; $$->a = $1; $$->flags |= GL_NF_NEGATED; }
     ;
unary_nf: postfix %prec LOWEST          { $$ = $1; }
        | SUB unary_nf                  { $$ = N1(p, GL_N_NEG, @$, $2); }
        | ADD unary_nf                  { $$ = N1(p, GL_N_POS, @$, $2); }
        ;
fname: NAME                             { $$ = N(p, GL_N_FILTER, @1); $$->name = s_name(p, @1); }
     | fname DOT NAME                   { $$ = $1; $$->span.end = @3.end;
                                          $$->name = gl_intern(p->names, p->src->text + $1->span.start,
                                                               @3.end - $1->span.start); }
     ;
filter_call: fname %prec LOWEST         { $$ = $1; }
           | fname LPAREN args RPAREN   { $$ = $1; $$->items = $3->items; $$->nitems = $3->nitems;
                                          $$->span.end = @4.end; }
           ;
tname: NAME                             { $$ = N(p, GL_N_TEST, @1); $$->name = s_name(p, @1); }
     | IN                               { $$ = N(p, GL_N_TEST, @1); $$->name = s_name(p, @1); }
     | tname DOT NAME                   { $$ = $1; $$->span.end = @3.end;
                                          $$->name = gl_intern(p->names, p->src->text + $1->span.start,
                                                               @3.end - $1->span.start); }
     ;
test_body: tname %prec LOWEST           { $$ = $1; }
         | tname LPAREN args RPAREN     { $$ = $1; $$->items = $3->items; $$->nitems = $3->nitems; }
         | tname test_arg %prec LOWEST  { $$ = $1; push(p, $$, $2); }
         ;
test_arg: atom                          { $$ = $1; }
        | test_arg DOT NAME             { $$ = N1(p, GL_N_GETATTR, @$, $1); $$->name = s_name(p, @3); }
        | test_arg DOT INT              { $$ = N2(p, GL_N_GETITEM, @$, $1, s_int(p, @3)); }
        | test_arg LBRACKET subscripts RBRACKET
                                        { $$ = N2(p, GL_N_GETITEM, @$, $1, $3); }
        | test_arg LPAREN args RPAREN   { $$ = N1(p, GL_N_CALL, @$, $1);
                                          $$->items = $3->items; $$->nitems = $3->nitems; }
        ;
postfix: primary                        { $$ = $1; }
       | postfix DOT NAME               { $$ = N1(p, GL_N_GETATTR, @$, $1); $$->name = s_name(p, @3); }
       | postfix DOT INT                { $$ = N2(p, GL_N_GETITEM, @$, $1, s_int(p, @3)); }
       | postfix LBRACKET subscripts RBRACKET
                                        { $$ = N2(p, GL_N_GETITEM, @$, $1, $3); }
       | postfix LPAREN args RPAREN     { $$ = N1(p, GL_N_CALL, @$, $1);
                                          $$->items = $3->items; $$->nitems = $3->nitems; }
       ;
subscripts: subscript                   { $$ = $1; }
          | subscripts COMMA subscript  { if ($1->kind == GL_N_TUPLE && ($1->flags & GL_NF_TRAILING)) $$ = $1;
                                          else { $$ = N(p, GL_N_TUPLE, @$); $$->flags = GL_NF_TRAILING; push(p, $$, $1); }
                                          push(p, $$, $3); }
          ;
subscript: expr                         { $$ = $1; }
         | opt_expr COLON opt_expr      { $$ = N2(p, GL_N_SLICE, @$, $1, $3); }
         | opt_expr COLON opt_expr COLON opt_expr
                                        { $$ = N2(p, GL_N_SLICE, @$, $1, $3); $$->c = $5; }
         ;
opt_expr: %empty                        { $$ = NULL; }
        | expr                          { $$ = $1; }
        ;
args: %empty                            { $$ = N(p, GL_N_LIST, @$); }
    | arglist                           { $$ = $1; }
    | arglist COMMA                     { $$ = $1; }
    ;
arglist: arg                            { $$ = N(p, GL_N_LIST, @1); push(p, $$, $1); }
       | arglist COMMA arg              { $$ = $1; push(p, $$, $3); }
       ;
arg: expr                               { $$ = $1; }
   | NAME ASSIGN expr                   { $$ = N1(p, GL_N_KWARG, @$, $3); $$->name = s_name(p, @1); }
   | MUL expr                           { $$ = N1(p, GL_N_STARARG, @$, $2); }
   | POW expr                           { $$ = N1(p, GL_N_DSTARARG, @$, $2); }
   ;
primary: atom                           { $$ = $1; }
       | LPAREN RPAREN                  { $$ = N(p, GL_N_TUPLE, @$); }
       | LPAREN tuple_expr RPAREN       { $$ = $2; $$->flags |= GL_NF_PAREN; }
       ;
atom: NAME                              { $$ = s_name_node(p, @1); }
    | strings                           { $$ = $1; }
    | INT                               { $$ = s_int(p, @1); }
    | FLOAT                             { $$ = s_float(p, @1); }
    | LBRACKET RBRACKET                 { $$ = N(p, GL_N_LIST, @$); }
    | LBRACKET list_items RBRACKET      { $$ = $2; $$->span = @$; }
    | LBRACKET list_items COMMA RBRACKET { $$ = $2; $$->span = @$; }
    | LBRACE RBRACE                     { $$ = N(p, GL_N_DICT, @$); }
    | LBRACE dict_items RBRACE          { $$ = $2; $$->span = @$; }
    | LBRACE dict_items COMMA RBRACE    { $$ = $2; $$->span = @$; }
    ;
strings: STRING                         { $$ = s_string(p, @1); }
       | strings STRING                 { gl_node *s = s_string(p, @2);
                                          size_t n = $1->value.len + s->value.len;
                                          char *buf = gl_arena_alloc(p->arena, n + 1);
                                          memcpy(buf, $1->value.u.s, $1->value.len);
                                          memcpy(buf + $1->value.len, s->value.u.s, s->value.len);
                                          $$ = $1; $$->value = gl_str(buf, n); $$->span.end = @2.end; }
       ;
list_items: expr                        { $$ = N(p, GL_N_LIST, @1); push(p, $$, $1); }
          | list_items COMMA expr       { $$ = $1; push(p, $$, $3); }
          ;
dict_items: dict_item                   { $$ = N(p, GL_N_DICT, @1); push(p, $$, $1); }
          | dict_items COMMA dict_item  { $$ = $1; push(p, $$, $3); }
          ;
dict_item: expr COLON expr              { $$ = N2(p, GL_N_PAIR, @$, $1, $3); }
         ;

%%

/* Bison token for a scanner token: the %token list above follows GL_TOKENS. */
static int s_bison_token(gl_tok t)
{
    switch (t) {
#define GL_TOK_MAP(name, text) case GL_TOK_##name: return TK_##name;
    GL_TOKENS(GL_TOK_MAP)
#undef GL_TOK_MAP
    default: return TK_ERROR;
    }
}

static void s_fail(gl_parser *p, gl_span at, const char *hint, const char *fmt, ...)
{
    if (p->failed) return;
    p->failed = true;
    gl_buf b;
    gl_buf_init(&b);
    va_list ap;
    va_start(ap, fmt);
    gl_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    p->err->severity = GL_SEV_ERROR;
    p->err->src = p->src;
    p->err->span = at;
    p->err->message = b.data;
    if (hint) {
        size_t n = strlen(hint);
        p->err->hint = gl_xmalloc(n + 1);
        memcpy(p->err->hint, hint, n + 1);
    }
}

static void s_open(gl_parser *p, gl_tok kind, gl_span at)
{
    if (p->nopen < (int)(sizeof p->open / sizeof p->open[0])) {
        p->open[p->nopen] = at;
        p->open_kind[p->nopen] = kind;
    }
    p->nopen++;
}

static void s_close(gl_parser *p)
{
    if (p->nopen > 0) p->nopen--;
}

static void s_scope(gl_parser *p, char kind)
{
    if (p->nscopes < (int)sizeof p->scopes) p->scopes[p->nscopes] = kind;
    p->nscopes++;
}

/* Is a break/continue here inside a for body (not across a macro boundary)? */
static bool s_in_loop(const gl_parser *p)
{
    for (int i = (p->nscopes < (int)sizeof p->scopes ? p->nscopes : (int)sizeof p->scopes) - 1; i >= 0; i--) {
        if (p->scopes[i] == 'L') return true;
        if (p->scopes[i] == 'M') return false;
    }
    return false;
}

static int gl_tpl_lex(GL_TPL_STYPE *lval, gl_span *lloc, gl_parser *p)
{
    (void)lval;
    gl_token t = gl_lex(&p->lx);
    lloc->start = t.start;
    lloc->end = t.end;
    switch (t.kind) {
    case GL_TOK_ERROR: {
        gl_span at = { p->lx.error_at, p->lx.error_at + 1 };
        s_fail(p, at, NULL, "%s", p->lx.error);
        return TK_GL_TPL_error;
    }
    case GL_TOK_S_UNKNOWN: {
        gl_span at = { t.start, t.end };
        const char *s = p->src->text + t.start + 2;
        while (*s == '-' || *s == '+' || *s == ' ' || *s == '\t' || *s == '\n') s++;
        int n = (int)(p->src->text + t.end - s);
        bool loader = (n == 7 && !memcmp(s, "include", 7)) || (n == 7 && !memcmp(s, "extends", 7)) ||
                      (n == 6 && !memcmp(s, "import", 6)) || (n == 4 && !memcmp(s, "from", 4));
        s_fail(p, at, loader ? "gluec renders one template at a time and has no template loader; use macros instead"
                             : "gluec supports if, for, set, macro, call, filter, with, block, do, break, continue and raw",
               "%s tag '%.*s'", loader ? "unsupported" : "unknown", n, s);
        return TK_GL_TPL_error;
    }
    case GL_TOK_S_BREAK: case GL_TOK_S_CONTINUE:
        if (!s_in_loop(p)) {
            s_fail(p, *lloc, "break and continue can only be used inside a for loop",
                   "'%s' outside loop", t.kind == GL_TOK_S_BREAK ? "break" : "continue");
            return TK_GL_TPL_error;
        }
        break;
    case GL_TOK_S_ENDIF: case GL_TOK_S_ENDFOR: case GL_TOK_S_ENDMACRO: case GL_TOK_S_ENDCALL:
        if (p->nscopes > 0) p->nscopes--;
        break;
    case GL_TOK_S_ELSE:
        if (p->nscopes > 0 && p->nscopes <= 256 && p->scopes[p->nscopes - 1] == 'L') p->scopes[p->nscopes - 1] = 'E';
        break;
    case GL_TOK_S_ENDTEST: case GL_TOK_S_ENDMATERIALIZATION:
        if (p->nscopes > 0) p->nscopes--;
        break;
    case GL_TOK_S_DOCS: case GL_TOK_S_SNAPSHOT:
        s_open(p, t.kind, *lloc);
        break;
    case GL_TOK_S_MACRO: case GL_TOK_S_CALL: case GL_TOK_S_CALL_SIG: case GL_TOK_S_TEST:
    case GL_TOK_S_MATERIALIZATION:
        s_scope(p, 'M');
        if (p->udepth + 1 >= (int)(sizeof p->uses / sizeof p->uses[0])) {
            s_fail(p, *lloc, NULL, "macros and call blocks are nested too deeply");
            return TK_GL_TPL_error;
        }
        p->uses[++p->udepth] = 0;
        s_open(p, t.kind, *lloc);
        break;
    case GL_TOK_S_IF: case GL_TOK_S_FOR: case GL_TOK_S_SET: case GL_TOK_S_FILTER: case GL_TOK_S_WITH:
    case GL_TOK_S_BLOCK:
        if (t.kind == GL_TOK_S_IF) s_scope(p, 'I');
        if (t.kind == GL_TOK_S_FOR) s_scope(p, 'L');
        s_open(p, t.kind, *lloc);
        break;
    default:
        break;
    }
    return s_bison_token(t.kind);
}

static void gl_tpl_error(gl_span *loc, gl_parser *p, const char *msg)
{
    s_fail(p, *loc, NULL, "%s", msg);
}

static const char *s_end_tag(gl_tok kind)
{
    switch (kind) {
    case GL_TOK_S_IF: return "{% endif %}";
    case GL_TOK_S_FOR: return "{% endfor %}";
    case GL_TOK_S_SET: return "{% endset %}";
    case GL_TOK_S_MACRO: return "{% endmacro %}";
    case GL_TOK_S_CALL: case GL_TOK_S_CALL_SIG: return "{% endcall %}";
    case GL_TOK_S_FILTER: return "{% endfilter %}";
    case GL_TOK_S_WITH: return "{% endwith %}";
    case GL_TOK_S_BLOCK: return "{% endblock %}";
    case GL_TOK_S_TEST: return "{% endtest %}";
    case GL_TOK_S_DOCS: return "{% enddocs %}";
    case GL_TOK_S_SNAPSHOT: return "{% endsnapshot %}";
    case GL_TOK_S_MATERIALIZATION: return "{% endmaterialization %}";
    default: return "the end tag";
    }
}

static int yyreport_syntax_error(const yypcontext_t *ctx, gl_parser *p)
{
    yysymbol_kind_t got = yypcontext_token(ctx);
    gl_span at = *yypcontext_location(ctx);
    if (got == YYSYMBOL_YYEOF && p->nopen > 0 && p->nopen <= (int)(sizeof p->open / sizeof p->open[0])) {
        int i = p->nopen - 1;
        gl_buf h;
        gl_buf_init(&h);
        gl_buf_printf(&h, "close it with %s", s_end_tag(p->open_kind[i]));
        s_fail(p, p->open[i], h.data, "unexpected end of template: this block is never closed");
        gl_buf_free(&h);
        return 0;
    }
    yysymbol_kind_t expected[8];
    int n = yypcontext_expected_tokens(ctx, expected, 8);
    gl_buf h;
    gl_buf_init(&h);
    for (int i = 0; i < n && n <= 6; i++) {
        for (int t = 0; t < GL_TOK_COUNT; t++) {
            if (YYTRANSLATE(s_bison_token((gl_tok)t)) != expected[i]) continue;
            gl_buf_printf(&h, "%s%s", i == 0 ? "expected " : i == n - 1 ? " or " : ", ", gl_tok_name((gl_tok)t));
            break;
        }
    }
    const char *what = "token";
    for (int t = 0; t < GL_TOK_COUNT; t++)
        if (YYTRANSLATE(s_bison_token((gl_tok)t)) == got) what = gl_tok_name((gl_tok)t);
    if (got == YYSYMBOL_NAME || got == YYSYMBOL_INT || got == YYSYMBOL_FLOAT || got == YYSYMBOL_STRING)
        s_fail(p, at, h.data, "unexpected %s '%.*s'", what, (int)(at.end - at.start), p->src->text + at.start);
    else
        s_fail(p, at, h.data, "unexpected %s", what);
    gl_buf_free(&h);
    return 0;
}

static gl_node *s_name_node(gl_parser *p, gl_span s)
{
    const char *t = p->src->text + s.start;
    size_t n = s.end - s.start;
    gl_node *c = NULL;
    if ((n == 4 && (!memcmp(t, "true", 4) || !memcmp(t, "True", 4)))) { c = N(p, GL_N_CONST, s); c->value = gl_bool(true); }
    else if (n == 5 && (!memcmp(t, "false", 5) || !memcmp(t, "False", 5))) { c = N(p, GL_N_CONST, s); c->value = gl_bool(false); }
    else if (n == 4 && (!memcmp(t, "none", 4) || !memcmp(t, "None", 4))) { c = N(p, GL_N_CONST, s); c->value = gl_none(); }
    if (c) return c;
    gl_node *node = N(p, GL_N_NAME, s);
    node->name = s_name(p, s);
    if (n == 7 && !memcmp(t, "varargs", 7)) p->uses[p->udepth] |= GL_NF_USES_VARARGS;
    else if (n == 6 && !memcmp(t, "kwargs", 6)) p->uses[p->udepth] |= GL_NF_USES_KWARGS;
    else if (n == 6 && !memcmp(t, "caller", 6)) p->uses[p->udepth] |= GL_NF_USES_CALLER;
    return node;
}

static gl_node *s_int(gl_parser *p, gl_span s)
{
    const char *t = p->src->text + s.start, *e = p->src->text + s.end;
    int base = 10;
    if (e - t > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) { base = 16; t += 2; }
    else if (e - t > 2 && t[0] == '0' && (t[1] == 'o' || t[1] == 'O')) { base = 8; t += 2; }
    else if (e - t > 2 && t[0] == '0' && (t[1] == 'b' || t[1] == 'B')) { base = 2; t += 2; }
    uint64_t v = 0;
    bool overflow = false;
    for (; t < e; t++) {
        if (*t == '_') continue;
        int d = *t <= '9' ? *t - '0' : (*t | 0x20) - 'a' + 10;
        if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base) overflow = true;
        v = v * (uint64_t)base + (uint64_t)d;
    }
    if (overflow || v > (uint64_t)INT64_MAX)
        s_fail(p, s, "gluec's integers are 64-bit; write the number as a float or a string",
               "integer literal is too large");
    gl_node *n = N(p, GL_N_CONST, s);
    n->value = gl_int((int64_t)v);
    return n;
}

static gl_node *s_float(gl_parser *p, gl_span s)
{
    size_t n = s.end - s.start;
    char *tmp = gl_arena_alloc(p->arena, n + 1), *o = tmp;
    for (const char *t = p->src->text + s.start; t < p->src->text + s.end; t++)
        if (*t != '_') *o++ = *t;
    *o = '\0';
    gl_node *node = N(p, GL_N_CONST, s);
    node->value = gl_float(strtod(tmp, NULL));
    return node;
}

static int s_hex(const char *t, int n, int32_t *out)
{
    uint32_t v = 0;   /* 8 hex digits fill 32 bits: unsigned, range-checked by the caller */
    for (int i = 0; i < n; i++) {
        char c = t[i];
        int d = c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : -1;
        if (d < 0) return 0;
        v = v * 16 + (uint32_t)d;
    }
    if (v > 0x10FFFF) return 0;
    *out = (int32_t)v;
    return 1;
}

/* Python's unicode-escape decoding of a string literal's body. */
static gl_node *s_string(gl_parser *p, gl_span s)
{
    const char *t = p->src->text + s.start + 1, *e = p->src->text + s.end - 1;
    gl_buf b;
    gl_buf_init(&b);
    while (t < e) {
        if (*t != '\\' || t + 1 >= e) { gl_buf_addc(&b, *t++); continue; }
        char c = t[1];
        int32_t cp;
        t += 2;
        switch (c) {
        case '\n': break;
        case '\\': gl_buf_addc(&b, '\\'); break;
        case '\'': gl_buf_addc(&b, '\''); break;
        case '"': gl_buf_addc(&b, '"'); break;
        case 'a': gl_buf_addc(&b, '\a'); break;
        case 'b': gl_buf_addc(&b, '\b'); break;
        case 'f': gl_buf_addc(&b, '\f'); break;
        case 'n': gl_buf_addc(&b, '\n'); break;
        case 'r': gl_buf_addc(&b, '\r'); break;
        case 't': gl_buf_addc(&b, '\t'); break;
        case 'v': gl_buf_addc(&b, '\v'); break;
        case 'x': case 'u': case 'U': {
            int n = c == 'x' ? 2 : c == 'u' ? 4 : 8;
            if (e - t < n || !s_hex(t, n, &cp) || cp > 0x10FFFF) {
                gl_span at = { (uint32_t)(t - 2 - p->src->text), (uint32_t)(t - p->src->text) };
                s_fail(p, at, NULL, "invalid \\%c escape in string literal", c);
                break;
            }
            gl_utf8_encode(cp, &b);
            t += n;
            break;
        }
        default:
            if (c >= '0' && c <= '7') {
                cp = c - '0';
                for (int i = 0; i < 2 && t < e && *t >= '0' && *t <= '7'; i++) cp = cp * 8 + (*t++ - '0');
                gl_utf8_encode(cp, &b);
            } else {
                gl_buf_addc(&b, '\\');
                gl_buf_addc(&b, c);
            }
        }
    }
    gl_node *node = N(p, GL_N_CONST, s);
    char *copy = gl_arena_strndup(p->arena, b.data ? b.data : "", b.len);
    node->value = gl_str(copy, b.len);
    gl_buf_free(&b);
    return node;
}

static gl_node *s_seq(gl_parser *p, gl_node *list, bool trailing, gl_node_kind kind)
{
    (void)p;
    if (list->nitems == 1 && !trailing) return list->items[0];
    list->kind = (uint8_t)kind;
    if (trailing) list->flags |= GL_NF_TRAILING;
    return list;
}

static gl_node *s_binop(gl_parser *p, gl_span s, int op, gl_node *a, gl_node *b)
{
    gl_node *n = N2(p, GL_N_BINOP, s, a, b);
    n->op = (uint8_t)op;
    return n;
}

static gl_node *s_cmp(gl_parser *p, gl_span s, gl_node *left, int op, gl_node *right)
{
    gl_node *cmp = left;
    if (left->kind != GL_N_COMPARE || (left->flags & GL_NF_PAREN)) {
        cmp = N1(p, GL_N_COMPARE, s, left);
    }
    gl_node *o = N1(p, GL_N_OPERAND, s, right);
    o->op = (uint8_t)op;
    push(p, cmp, o);
    cmp->span.end = s.end;
    return cmp;
}

static void s_block(gl_parser *p, gl_node *n, gl_span end_name)
{
    s_close(p);
    if (end_name.end > end_name.start && s_name(p, end_name) != n->name)
        s_fail(p, end_name, NULL, "mismatching name for block '%s': '%.*s'", n->name->str,
               (int)(end_name.end - end_name.start), p->src->text + end_name.start);
    for (int i = 0; i < p->nblocks; i++)
        if (p->blocks[i] == n->name) s_fail(p, n->span, NULL, "block '%s' defined twice", n->name->str);
    if (p->nblocks < (int)(sizeof p->blocks / sizeof p->blocks[0])) p->blocks[p->nblocks++] = n->name;
}

static const gl_name *s_prefixed(gl_parser *p, const char *prefix, gl_span s)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_buf_printf(&b, "%s%.*s", prefix, (int)(s.end - s.start), p->src->text + s.start);
    const gl_name *n = gl_intern(p->names, b.data, b.len);
    gl_buf_free(&b);
    return n;
}

/* dbt names {% materialization table, adapter='glue' %} materialization_table_glue,
 * and {% materialization table, default %} materialization_table_default. */
static const gl_name *s_materialization(gl_parser *p, gl_span name, gl_node *args)
{
    const char *adapter = NULL;
    size_t alen = 0;
    for (uint32_t i = 0; i < args->nitems; i++) {
        gl_node *a = args->items[i];
        if (a->kind == GL_N_NAME && strcmp(a->name->str, "default") == 0) { adapter = "default"; alen = 7; }
        else if (a->kind == GL_N_KWARG && strcmp(a->name->str, "adapter") == 0 && a->a->kind == GL_N_CONST &&
                 a->a->value.kind == GL_STR) { adapter = a->a->value.u.s; alen = a->a->value.len; }
    }
    if (!adapter) {
        s_fail(p, name, "write {% materialization name, default %} or {% materialization name, adapter='glue' %}",
               "materialization '%.*s' names no adapter", (int)(name.end - name.start), p->src->text + name.start);
        adapter = "default";
        alen = 7;
    }
    gl_buf b;
    gl_buf_init(&b);
    gl_buf_printf(&b, "materialization_%.*s_%.*s", (int)(name.end - name.start), p->src->text + name.start,
                  (int)alen, adapter);
    const gl_name *n = gl_intern(p->names, b.data, b.len);
    gl_buf_free(&b);
    return n;
}

static void s_check_params(gl_parser *p, gl_node *params)
{
    bool seen_default = false;
    for (uint32_t i = 0; params && i < params->nitems; i++) {
        gl_node *prm = params->items[i];
        if (prm->a) seen_default = true;
        else if (seen_default)
            s_fail(p, prm->span, "give it a default value or move it before the parameters that have one",
                   "non-default argument follows default argument");
    }
}

static gl_node *s_macro(gl_parser *p, gl_node *n, gl_node *params)
{
    if (params) {
        n->items = params->items;
        n->nitems = params->nitems;
        s_check_params(p, params);
    }
    n->flags |= p->uses[p->udepth];
    if (p->udepth > 0) p->udepth--;
    s_close(p);
    return n;
}

static gl_template *s_parse(gl_source *src, gl_interner *names, bool dbt, gl_diag *err, gl_source **err_src);

gl_template *gl_parse_template(gl_source *src, gl_interner *names, gl_diag *err, gl_source **err_src)
{
    return s_parse(src, names, false, err, err_src);
}

gl_template *gl_parse_dbt_template(gl_source *src, gl_interner *names, gl_diag *err, gl_source **err_src)
{
    return s_parse(src, names, true, err, err_src);
}

static gl_template *s_parse(gl_source *src, gl_interner *names, bool dbt, gl_diag *err, gl_source **err_src)
{
    gl_template *t = gl_xcalloc(1, sizeof *t);
    gl_arena_init(&t->arena);
    t->src = src;
    src->len = gl_lexer_prepare(src->text, src->len);
    gl_parser *p = gl_xcalloc(1, sizeof *p);
    gl_lexer_init(&p->lx, src->text, src->len);
    p->lx.dbt = dbt;
    if (dbt) {   /* dbt strips a file's raw code; skip, not remove, to keep positions */
        const char *end = src->text + src->len;
        while (p->lx.cur < end && (*p->lx.cur == ' ' || *p->lx.cur == '\t' || *p->lx.cur == '\n')) p->lx.cur++;
        while (p->lx.len > (size_t)(p->lx.cur - src->text) &&
               (src->text[p->lx.len - 1] == ' ' || src->text[p->lx.len - 1] == '\t' || src->text[p->lx.len - 1] == '\n'))
            p->lx.len--;
    }
    p->arena = &t->arena;
    p->names = names;
    p->src = src;
    p->err = err;
    int rc = gl_tpl_parse(p);
    if (rc != 0 && !p->failed) s_fail(p, (gl_span){ 0, 0 }, NULL, "template too complex to parse");
    bool failed = p->failed;
    t->root = p->root;
    free(p);
    if (failed) {
        *err_src = src;
        t->src = NULL;
        gl_template_free(t);
        return NULL;
    }
    return t;
}

void gl_template_free(gl_template *t)
{
    if (!t) return;
    gl_arena_free(&t->arena);
    gl_source_free(t->src);
    free(t);
}
