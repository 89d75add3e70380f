/* tests/unit/test_lexer.c - the template scanner: token kinds and the exact source
 * slices they cover, whitespace control, raw blocks, newline handling, errors. */
#include "lexer/lexer.h"
#include "tap.h"
#include "util/buf.h"
#include <stdlib.h>

/* Renders the token stream as "KIND:slice KIND:slice ...". */
static char *s_tokens(const char *text)
{
    size_t len = strlen(text);
    char *src = malloc(len + 1);
    memcpy(src, text, len + 1);
    len = gl_lexer_prepare(src, len);
    gl_lexer lx;
    gl_lexer_init(&lx, src, len);
    gl_buf out;
    gl_buf_init(&out);
    for (int guard = 0; guard < 1000; guard++) {
        gl_token t = gl_lex(&lx);
        if (out.len) gl_buf_addc(&out, ' ');
        gl_buf_printf(&out, "%s:%.*s", gl_tok_name(t.kind), (int)(t.end - t.start), src + t.start);
        if (t.kind == GL_TOK_EOF || t.kind == GL_TOK_ERROR) break;
    }
    free(src);
    return out.data;
}

static void s_check(const char *text, const char *want, const char *name)
{
    char *got = s_tokens(text);
    tap_is(got, want, name);
    free(got);
}

int main(void)
{
    s_check("hello", "template data:hello end of template:", "plain data");
    s_check("a{{ x }}b", "template data:a '{{':{{ name:x '}}':}} template data:b end of template:", "variable tag");
    s_check("a  {{- x -}}  b", "template data:a '{{':{{- name:x '}}':-}} template data:b end of template:",
            "whitespace control strips both sides");
    s_check("{% if x %}y{% endif %}", "'{% if':{% if name:x '%}':%} template data:y '{% endif':{% endif '%}':%} end of template:",
            "statement keywords are one token with their opener");
    s_check("x {# c #} y", "template data:x  template data: y end of template:", "comments vanish");
    s_check("x\n{#- c -#}\ny", "template data:x template data:y end of template:", "comment whitespace control");
    s_check("{% raw %}{{ x }}{% endraw %}", "template data:{{ x }} end of template:", "raw block is data");
    s_check("{{ 1_000 0x1F 1.5e3 'a\\'b' }}", "'{{':{{ integer:1_000 integer:0x1F float:1.5e3 string:'a\\'b' '}}':}} end of template:",
            "numbers and strings");
    s_check("{{ a // b ** c != d }}", "'{{':{{ name:a '//':// name:b '**':** name:c '!=':!= name:d '}}':}} end of template:",
            "two-character operators");
    s_check("{{ {'a': {'b': 1}} }}", "'{{':{{ '{':{ string:'a' ':':: '{':{ string:'b' ':':: integer:1 '}':} '}':} '}}':}} end of template:",
            "'}}' inside braces does not close the tag");
    s_check("{{ x.0.1 }}", "'{{':{{ name:x '.':. integer:0 '.':. integer:1 '}}':}} end of template:",
            "no float right after a dot");
    s_check("{{ a and not b or c in d is e if f else g }}",
            "'{{':{{ name:a 'and':and 'not':not name:b 'or':or name:c 'in':in name:d 'is':is name:e 'if':if name:f 'else':else name:g '}}':}} end of template:",
            "expression keywords");
    s_check("a\r\nb\r\n", "template data:a\nb end of template:", "CRLF normalized, one trailing newline dropped");
    s_check("{% call(x) m() %}", "'{% call(':{% call( name:x ')':) name:m '(':( ')':) '%}':%} end of template:",
            "call with a signature");
    s_check("{{ 'abc", "'{{':{{ invalid token:'", "unterminated string is an error");
    s_check("{# open", "invalid token:{", "unterminated comment is an error");
    s_check("{{ x ! }}", "'{{':{{ name:x invalid token:!", "unexpected character is an error");
    s_check("{% foo %}", "unknown tag:{% foo '%}':%} end of template:", "unknown statement");
    return tap_done();
}
