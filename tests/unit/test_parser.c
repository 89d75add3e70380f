/* tests/unit/test_parser.c - the template grammar: AST shapes for precedence and
 * statements (as a dump of node kinds), and syntax errors with their positions. */
#include "parser/parse.h"
#include "tap.h"
#include <stdlib.h>

/* Node kinds of the tree in pre-order, one word each, spans and labels dropped. */
static char *s_shape(const char *text, char **error)
{
    gl_interner names;
    gl_intern_init(&names);
    size_t len = strlen(text);
    char *copy = malloc(len + 1);
    memcpy(copy, text, len + 1);
    gl_source *src = gl_source_new("t.j2", copy, len);
    gl_diag err = {0};
    gl_source *err_src = NULL;
    gl_template *t = gl_parse_template(src, &names, &err, &err_src);
    gl_buf out;
    gl_buf_init(&out);
    *error = NULL;
    if (t) {
        gl_buf dump;
        gl_buf_init(&dump);
        gl_ast_dump(t->root, &dump);
        for (char *line = strtok(dump.data, "\n"); line; line = strtok(NULL, "\n")) {
            while (*line == ' ') line++;
            if (line[0] && line[1] == ':' && line[2] == ' ') line += 3;
            if (line[0] == '-' && line[1] == ' ') line += 2;
            char *at = strstr(line, " @");
            if (at) *at = '\0';
            if (out.len) gl_buf_addc(&out, '|');
            gl_buf_adds(&out, line);
        }
        gl_buf_free(&dump);
    } else {
        uint32_t l, c;
        gl_source_position(err_src, err.span.start, &l, &c);
        gl_buf e;
        gl_buf_init(&e);
        gl_buf_printf(&e, "%u:%u: %s", l, c, err.message);
        *error = e.data;
    }
    gl_diag_clear(&err);
    gl_source_free(err_src);
    gl_template_free(t);
    gl_intern_free(&names);
    return out.data;
}

static void s_shape_is(const char *text, const char *want, const char *name)
{
    char *err;
    char *got = s_shape(text, &err);
    tap_is(got ? got : err, want, name);
    free(got);
    free(err);
}

static void s_error_is(const char *text, const char *want, const char *name)
{
    char *err;
    char *got = s_shape(text, &err);
    tap_is(err, want, name);
    free(got);
    free(err);
}

int main(void)
{
    s_shape_is("{{ 1 + 2 * 3 }}", "BODY|OUTPUT|BINOP op=0|CONST 1|BINOP op=2|CONST 2|CONST 3", "* binds tighter than +");
    s_shape_is("{{ 2 ** 3 ** 2 }}", "BODY|OUTPUT|BINOP op=6|BINOP op=6|CONST 2|CONST 3|CONST 2", "** is left-associative in Jinja");
    s_shape_is("{{ -x ** 2 }}", "BODY|OUTPUT|BINOP op=6|NEG|NAME x|CONST 2", "unary minus binds tighter than **");
    s_shape_is("{{ a + b ~ c }}", "BODY|OUTPUT|BINOP op=0|NAME a|CONCAT|NAME b|NAME c", "~ binds tighter than +");
    s_shape_is("{{ -x|abs }}", "BODY|OUTPUT|FILTER abs|NEG|NAME x", "filters apply to the negated value");
    s_shape_is("{{ not a is defined }}", "BODY|OUTPUT|NOT|TEST defined|NAME a", "not applies to the test");
    s_shape_is("{{ 1 < x < 3 }}", "BODY|OUTPUT|COMPARE|CONST 1|OPERAND op=2|NAME x|OPERAND op=2|CONST 3", "chained comparison");
    s_shape_is("{{ a if b else c }}", "BODY|OUTPUT|CONDEXPR|NAME b|NAME a|NAME c", "conditional expression");
    s_shape_is("{{ x is divisibleby 3 }}", "BODY|OUTPUT|TEST divisibleby|NAME x|CONST 3", "test with a bare argument");
    s_shape_is("{{ a, b }}", "BODY|OUTPUT|TUPLE|NAME a|NAME b", "bare tuple");
    s_shape_is("{{ x[1:] }}", "BODY|OUTPUT|GETITEM|NAME x|SLICE|CONST 1", "slice");
    s_shape_is("{{ f(1, k=2, *a, **b) }}", "BODY|OUTPUT|CALL|NAME f|CONST 1|KWARG k|CONST 2|STARARG|NAME a|DSTARARG|NAME b",
               "call arguments");
    s_shape_is("{{ 'a' 'b' }}", "BODY|OUTPUT|CONST 'ab'", "adjacent strings concatenate");
    s_shape_is("{% for k, v in d|dictsort if v recursive %}{% endfor %}",
               "BODY|FOR flags=1|TUPLE|NAME k|NAME v|FILTER dictsort|NAME d|BODY|NAME v", "for with unpacking, filter, recursive");
    s_shape_is("{% macro m(a, b=1) %}{{ varargs }}{% endmacro %}",
               "BODY|MACRO m flags=4|BODY|OUTPUT|NAME varargs|PARAM a|PARAM b|CONST 1", "macro records that it reads varargs");
    s_shape_is("{% set ns.x = 1 %}", "BODY|SET|NSREF x|NAME ns|CONST 1", "namespace attribute target");
    s_error_is("{{ x + }}", "1:8: unexpected '}}'", "missing operand");
    s_error_is("{% if x %}\nabc", "1:1: unexpected end of template: this block is never closed", "unclosed if points at the tag");
    s_error_is("{% endfor %}", "1:1: unexpected '{% endfor'", "stray end tag");
    s_error_is("{% break %}", "1:1: 'break' outside loop", "break outside a loop");
    s_error_is("{% for x in y %}{% macro m() %}{% break %}{% endmacro %}{% endfor %}", "1:32: 'break' outside loop",
               "break does not cross a macro");
    s_error_is("{% macro m(a=1, b) %}{% endmacro %}", "1:17: non-default argument follows default argument", "parameter order");
    s_error_is("{{ 99999999999999999999 }}", "1:4: integer literal is too large", "64-bit integer literals");
    s_error_is("{% for x in y z %}{% endfor %}", "1:15: unexpected name 'z' in for tag", "junk after for");
    return tap_done();
}
