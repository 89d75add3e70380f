/* src/lexer/lexer.re - the template scanner (lexer stage), compiled by re2c.
 * Data mode finds the next '{{', '{%' or '{#' and applies whitespace control; tag mode
 * yields expression tokens until the matching '}}' or '%}' (brackets balanced).
 * The NUL terminator of the source is the sentinel: re2c runs with yyfill off. */
#include "lexer/lexer.h"
#include <string.h>
#include <utf8proc.h>

/*!re2c
    re2c:define:YYCTYPE = "unsigned char";
    re2c:yyfill:enable = 0;
    re2c:flags:tags = 0;

    ws     = [ \t\n\r\f\v];
    digits = [0-9]+ ("_" [0-9]+)*;
    name   = [a-zA-Z_][a-zA-Z0-9_]*;
*/

static const char *const s_tok_names[] = {   /* ORDER: GL_TOKENS */
#define GL_TOK_TEXT(name, text) text,
    GL_TOKENS(GL_TOK_TEXT)
#undef GL_TOK_TEXT
};

const char *gl_tok_name(gl_tok kind)
{
    return kind < GL_TOK_COUNT ? s_tok_names[kind] : "token";
}

size_t gl_lexer_prepare(char *text, size_t len)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\r') {
            text[o++] = '\n';
            if (i + 1 < len && text[i + 1] == '\n') i++;
        } else {
            text[o++] = text[i];
        }
    }
    if (o > 0 && text[o - 1] == '\n') o--;
    text[o] = '\0';
    return o;
}

void gl_lexer_init(gl_lexer *lx, const char *src, size_t len)
{
    memset(lx, 0, sizeof *lx);
    lx->src = src;
    lx->len = len;
    lx->cur = src;
    lx->mode = GL_LEX_DATA;
}

/* Python's str.isspace(), which Jinja's \s and str.strip() follow. */
static bool s_space_cp(int32_t c)
{
    if (c < 0x80) return c == ' ' || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
    if (c == 0x85) return true;
    utf8proc_category_t cat = utf8proc_category(c);
    return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP;
}

/* Length of the whitespace at p (up to end). */
static size_t s_lspace(const char *p, const char *end)
{
    const char *q = p;
    while (q < end) {
        utf8proc_int32_t c;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)q, end - q, &c);
        if (n <= 0 || !s_space_cp(c)) break;
        q += n;
    }
    return (size_t)(q - p);
}

/* New end after removing trailing whitespace from [p, end). */
static const char *s_rstrip(const char *p, const char *end)
{
    while (end > p) {
        const char *q = end - 1;
        while (q > p && ((unsigned char)*q & 0xC0) == 0x80) q--;
        utf8proc_int32_t c;
        if (utf8proc_iterate((const utf8proc_uint8_t *)q, end - q, &c) <= 0 || !s_space_cp(c)) break;
        end = q;
    }
    return end;
}

static gl_token s_tok(gl_lexer *lx, gl_tok kind, const char *start, const char *end)
{
    (void)lx;
    gl_token t = { kind, (uint32_t)(start - lx->src), (uint32_t)(end - lx->src) };
    return t;
}

static gl_token s_error(gl_lexer *lx, const char *at, const char *msg)
{
    lx->error = msg;
    lx->error_at = (uint32_t)(at - lx->src);
    lx->cur = lx->src + lx->len;   /* stop scanning */
    lx->mode = GL_LEX_DATA;
    return s_tok(lx, GL_TOK_ERROR, at, at + 1);
}

/* The next tag opener at or after p: its position, or the end of the source. */
static const char *s_find_tag(const char *p, const char *end)
{
    const unsigned char *YYCURSOR = (const unsigned char *)p, *YYMARKER;
    for (;;) {
        const unsigned char *tok = YYCURSOR;
    /*!re2c
        "{{" | "{%" | "{#"  { return (const char *)tok; }
        [\x00]              { if ((const char *)tok >= end) return end; continue; }
        [^{\x00]+ | "{"     { continue; }
    */
    }
    (void)YYMARKER;
}

/* dbt's extension tags, known only in dbt mode. */
static gl_tok s_dbt_statement(const char *s, size_t n)
{
    static const struct { const char *name; gl_tok kind; } table[] = {
        {"test", GL_TOK_S_TEST}, {"endtest", GL_TOK_S_ENDTEST}, {"docs", GL_TOK_S_DOCS},
        {"enddocs", GL_TOK_S_ENDDOCS}, {"snapshot", GL_TOK_S_SNAPSHOT},
        {"endsnapshot", GL_TOK_S_ENDSNAPSHOT}, {"materialization", GL_TOK_S_MATERIALIZATION},
        {"endmaterialization", GL_TOK_S_ENDMATERIALIZATION},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strlen(table[i].name) == n && memcmp(table[i].name, s, n) == 0) return table[i].kind;
    return GL_TOK_S_UNKNOWN;
}

/* The statement keyword after '{%': kind for a known name, S_UNKNOWN otherwise. */
static gl_tok s_statement(const char *s, size_t n)
{
    static const struct { const char *name; gl_tok kind; } table[] = {
        {"if", GL_TOK_S_IF}, {"elif", GL_TOK_S_ELIF}, {"else", GL_TOK_S_ELSE},
        {"endif", GL_TOK_S_ENDIF}, {"for", GL_TOK_S_FOR}, {"endfor", GL_TOK_S_ENDFOR},
        {"break", GL_TOK_S_BREAK}, {"continue", GL_TOK_S_CONTINUE}, {"set", GL_TOK_S_SET},
        {"endset", GL_TOK_S_ENDSET}, {"do", GL_TOK_S_DO}, {"macro", GL_TOK_S_MACRO},
        {"endmacro", GL_TOK_S_ENDMACRO}, {"call", GL_TOK_S_CALL}, {"endcall", GL_TOK_S_ENDCALL},
        {"filter", GL_TOK_S_FILTER}, {"endfilter", GL_TOK_S_ENDFILTER}, {"with", GL_TOK_S_WITH},
        {"endwith", GL_TOK_S_ENDWITH}, {"block", GL_TOK_S_BLOCK}, {"endblock", GL_TOK_S_ENDBLOCK},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strlen(table[i].name) == n && memcmp(table[i].name, s, n) == 0) return table[i].kind;
    return GL_TOK_S_UNKNOWN;
}

static size_t s_name_len(const char *p)
{
    size_t n = 0;
    if (!((p[0] >= 'a' && p[0] <= 'z') || (p[0] >= 'A' && p[0] <= 'Z') || p[0] == '_')) return 0;
    while ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z') || p[n] == '_' ||
           (p[n] >= '0' && p[n] <= '9'))
        n++;
    return n;
}

/* '%}', '-%}' (with the whitespace after it) or '+%}' at p: its length, else 0. */
static size_t s_block_end(gl_lexer *lx, const char *p, bool *strip)
{
    *strip = false;
    if (p[0] == '%' && p[1] == '}') return 2;
    if ((p[0] == '-' || p[0] == '+') && p[1] == '%' && p[2] == '}') {
        *strip = p[0] == '-';
        return 3;
    }
    (void)lx;
    return 0;
}

/* {% raw %}...{% endraw %}: returns the raw text as one DATA token. */
static gl_token s_raw(gl_lexer *lx, const char *open, const char *body)
{
    const char *end = lx->src + lx->len;
    for (const char *p = body; (p = s_find_tag(p, end)) < end; p += 2) {
        if (p[1] != '%') continue;
        const char *q = p + 2;
        bool strip_before = *q == '-';
        if (*q == '-' || *q == '+') q++;
        q += s_lspace(q, end);
        if (s_name_len(q) != 6 || memcmp(q, "endraw", 6) != 0) continue;
        q += 6;
        q += s_lspace(q, end);
        bool strip_after;
        size_t n = s_block_end(lx, q, &strip_after);
        if (!n) continue;
        lx->cur = q + n;
        lx->strip_data = strip_after;
        const char *stop = strip_before ? s_rstrip(body, p) : p;
        return s_tok(lx, GL_TOK_DATA, body, stop);
    }
    return s_error(lx, open, "missing end of raw directive");
}

/* At '{%': a raw block, or the statement keyword token. */
static gl_token s_block_open(gl_lexer *lx, const char *open)
{
    const char *end = lx->src + lx->len;
    const char *p = open + 2;
    if (*p == '-' || *p == '+') p++;
    p += s_lspace(p, end);
    size_t n = s_name_len(p);
    if (n == 3 && memcmp(p, "raw", 3) == 0) {
        const char *q = p + 3 + s_lspace(p + 3, end);
        bool strip;
        size_t m = s_block_end(lx, q, &strip);
        if (m && *q != '+') {
            const char *body = q + m;
            if (strip) body += s_lspace(body, end);
            return s_raw(lx, open, body);
        }
    }
    if (n == 0) return s_error(lx, p, "tag name expected");
    gl_tok kind = s_statement(p, n);
    if (kind == GL_TOK_S_UNKNOWN && lx->dbt) kind = s_dbt_statement(p, n);
    lx->cur = p + n;
    lx->mode = GL_LEX_BLOCK;
    lx->depth = 0;
    if (kind == GL_TOK_S_CALL) {
        const char *q = lx->cur + s_lspace(lx->cur, end);
        if (*q == '(') {
            lx->cur = q + 1;
            lx->depth = 1;
            return s_tok(lx, GL_TOK_S_CALL_SIG, open, q + 1);
        }
    }
    return s_tok(lx, kind, open, p + n);
}

/* Skips a comment starting at open; returns false when it is not closed. */
static bool s_comment(gl_lexer *lx, const char *open)
{
    const char *end = lx->src + lx->len;
    for (const char *p = open + 2; p + 1 < end; p++) {
        if (p[0] != '#' || p[1] != '}') continue;
        lx->strip_data = p[-1] == '-' && p - 1 >= open + 2;
        lx->cur = p + 2;
        return true;
    }
    return false;
}

static gl_token s_lex_data(gl_lexer *lx)
{
    const char *end = lx->src + lx->len;
    for (;;) {
        const char *p = lx->cur;
        if (p >= end) return s_tok(lx, GL_TOK_EOF, end, end);
        if (p[0] == '{' && p[1] == '{') {
            lx->cur = p + 2 + (p[2] == '-' || p[2] == '+');
            lx->mode = GL_LEX_EXPR;
            lx->depth = 0;
            lx->strip_data = false;
            return s_tok(lx, GL_TOK_VAR_BEGIN, p, lx->cur);
        }
        if (p[0] == '{' && p[1] == '%') {
            lx->strip_data = false;
            return s_block_open(lx, p);
        }
        if (p[0] == '{' && p[1] == '#') {
            if (!s_comment(lx, p)) return s_error(lx, p, "missing end of comment tag");
            continue;
        }
        const char *start = p;
        if (lx->strip_data) start += s_lspace(start, end);
        lx->strip_data = false;
        const char *tag = s_find_tag(p, end);
        const char *stop = tag;
        if (tag < end && tag[2] == '-') stop = s_rstrip(start, tag);
        lx->cur = tag;
        if (stop > start) return s_tok(lx, GL_TOK_DATA, start, stop);
    }
}

static gl_tok s_keyword(const char *s, size_t n)
{
    switch (n) {
    case 2:
        if (!memcmp(s, "or", 2)) return GL_TOK_OR;
        if (!memcmp(s, "in", 2)) return GL_TOK_IN;
        if (!memcmp(s, "is", 2)) return GL_TOK_IS;
        if (!memcmp(s, "if", 2)) return GL_TOK_IF;
        break;
    case 3:
        if (!memcmp(s, "and", 3)) return GL_TOK_AND;
        if (!memcmp(s, "not", 3)) return GL_TOK_NOT;
        break;
    case 4:
        if (!memcmp(s, "else", 4)) return GL_TOK_ELSE;
        break;
    }
    return GL_TOK_NAME;
}

/* Closing '}}' / '%}' at depth 0, else an operator token. */
static gl_token s_close(gl_lexer *lx, const char *tok, const char *after, bool strip, gl_tok kind)
{
    const char *end = lx->src + lx->len;
    lx->cur = after;
    lx->mode = GL_LEX_DATA;
    lx->strip_data = strip;
    (void)end;
    return s_tok(lx, kind, tok, after);
}

static gl_token s_lex_tag(gl_lexer *lx)
{
    const char *end = lx->src + lx->len;
    const unsigned char *YYCURSOR = (const unsigned char *)lx->cur, *YYMARKER = YYCURSOR;
    bool top = lx->depth == 0, expr = lx->mode == GL_LEX_EXPR;
    for (;;) {
        const unsigned char *tok = YYCURSOR;
        const char *t = (const char *)tok;
#define TOK(kind) do { lx->cur = (const char *)YYCURSOR; return s_tok(lx, GL_TOK_##kind, t, lx->cur); } while (0)
    /*!re2c
        ws+          { continue; }
        [\x00]       { if (t >= end) { lx->cur = t; return s_tok(lx, GL_TOK_EOF, t, t); }
                       return s_error(lx, t, "unexpected NUL byte"); }
        "-}}"        { if (top && expr) return s_close(lx, t, (const char *)YYCURSOR, true, GL_TOK_VAR_END);
                       YYCURSOR = tok + 1; TOK(SUB); }
        "}}"         { if (top && expr) return s_close(lx, t, (const char *)YYCURSOR, false, GL_TOK_VAR_END);
                       YYCURSOR = tok + 1; lx->depth--; TOK(RBRACE); }
        "-%}"        { if (top && !expr) return s_close(lx, t, (const char *)YYCURSOR, true, GL_TOK_BLOCK_END);
                       YYCURSOR = tok + 1; TOK(SUB); }
        "+%}"        { if (top && !expr) return s_close(lx, t, (const char *)YYCURSOR, false, GL_TOK_BLOCK_END);
                       YYCURSOR = tok + 1; TOK(ADD); }
        "%}"         { if (top && !expr) return s_close(lx, t, (const char *)YYCURSOR, false, GL_TOK_BLOCK_END);
                       YYCURSOR = tok + 1; TOK(MOD); }
        (digits "." digits ([eE] [+-]? digits)?) | (digits [eE] [+-]? digits)
                     { if (t > lx->src && t[-1] == '.') {   /* no float right after '.' */
                           YYCURSOR = tok;
                           while (*YYCURSOR >= '0' && *YYCURSOR <= '9') YYCURSOR++;
                           TOK(INT);
                       }
                       TOK(FLOAT); }
        "0" [bB] ("_"? [01])+ | "0" [oO] ("_"? [0-7])+ | "0" [xX] ("_"? [0-9a-fA-F])+
        | [1-9] ("_"? [0-9])* | "0" ("_"? "0")*
                     { TOK(INT); }
        name         { lx->cur = (const char *)YYCURSOR;
                       return s_tok(lx, s_keyword(t, lx->cur - t), t, lx->cur); }
        ['] ([^'\\\x00] | [\\] [^\x00])* [']  { TOK(STRING); }
        ["] ([^"\\\x00] | [\\] [^\x00])* ["]  { TOK(STRING); }
        ['"]         { return s_error(lx, t, "unterminated string"); }
        "//"         { TOK(FLOORDIV); }
        "**"         { TOK(POW); }
        "=="         { TOK(EQ); }
        "!="         { TOK(NE); }
        ">="         { TOK(GE); }
        "<="         { TOK(LE); }
        "+"          { TOK(ADD); }
        "-"          { TOK(SUB); }
        "*"          { TOK(MUL); }
        "/"          { TOK(DIV); }
        "%"          { TOK(MOD); }
        "~"          { TOK(TILDE); }
        "["          { lx->depth++; TOK(LBRACKET); }
        "]"          { lx->depth--; TOK(RBRACKET); }
        "("          { lx->depth++; TOK(LPAREN); }
        ")"          { lx->depth--; TOK(RPAREN); }
        "{"          { lx->depth++; TOK(LBRACE); }
        "}"          { lx->depth--; TOK(RBRACE); }
        ">"          { TOK(GT); }
        "<"          { TOK(LT); }
        "="          { TOK(ASSIGN); }
        "."          { TOK(DOT); }
        ":"          { TOK(COLON); }
        "|"          { TOK(PIPE); }
        ","          { TOK(COMMA); }
        ";"          { TOK(SEMICOLON); }
        *            { return s_error(lx, t, "unexpected character"); }
    */
#undef TOK
    }
}

gl_token gl_lex(gl_lexer *lx)
{
    if (lx->mode == GL_LEX_DATA) return s_lex_data(lx);
    return s_lex_tag(lx);
}
