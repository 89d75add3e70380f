/* src/jinja/pystr.h - Python's str semantics over UTF-8 (jinja layer, render stage):
 * the character predicates and case mappings behind str.islower(), str.upper(),
 * str.title()..., matching CPython 3.11 / Unicode 14 to the code point. Used by the str
 * methods (methods.c), the filters (lower, upper, capitalize, title, wordcount...),
 * the tests (lower, upper) and repr() (value.c).
 *
 * Strings are (bytes, length) of UTF-8 read with gl_utf8_decode (an invalid byte is one
 * code point). The conversions append to a gl_sb, so what they write and the scratch
 * space they use live in the builder's vm arena; they allocate nothing else. */
#ifndef GL_PYSTR_H
#define GL_PYSTR_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "jinja/sb.h"

/* ---- one code point: str.isX() of a one-character string ---- */
bool gl_py_islower(int32_t cp);         /* Lowercase property */
bool gl_py_isupper(int32_t cp);         /* Uppercase property */
bool gl_py_istitle(int32_t cp);         /* category Lt (titlecase digraphs: Dž) */
bool gl_py_iscased(int32_t cp);         /* lower, upper or title */
bool gl_py_isspace(int32_t cp);         /* str.isspace, str.split() and re's \s */
bool gl_py_islinebreak(int32_t cp);     /* where str.splitlines() breaks */
bool gl_py_isalpha(int32_t cp);
bool gl_py_isdecimal(int32_t cp);       /* also re's \d */
bool gl_py_isdigit(int32_t cp);
bool gl_py_isnumeric(int32_t cp);
bool gl_py_isalnum(int32_t cp);         /* re's \w is this or '_' */
bool gl_py_isprintable(int32_t cp);     /* also what repr() leaves unescaped */
bool gl_py_isidstart(int32_t cp);       /* XID_Start or '_': str.isidentifier()'s first */
bool gl_py_isidcontinue(int32_t cp);    /* XID_Continue: the rest */

/* ---- whole strings: str.isascii() / islower() / isupper() / istitle() ---- */
bool gl_py_str_isascii(const char *s, size_t n);
bool gl_py_str_islower(const char *s, size_t n);
bool gl_py_str_isupper(const char *s, size_t n);
bool gl_py_str_istitle(const char *s, size_t n);

/* ---- case conversions of s[0, n), appended to out ---- */
/* Each is Python's str method of the same name: full case mappings (ß -> SS,
 * ﬁ -> Fi), final sigma for lower(), titlecase for the first letter of title() and
 * capitalize(). A final sigma is judged within s[0, n) only, as Python judges it
 * within the string it is given. */
void gl_py_upper(const char *s, size_t n, gl_sb *out);
void gl_py_lower(const char *s, size_t n, gl_sb *out);
void gl_py_title(const char *s, size_t n, gl_sb *out);
void gl_py_capitalize(const char *s, size_t n, gl_sb *out);
void gl_py_swapcase(const char *s, size_t n, gl_sb *out);
void gl_py_casefold(const char *s, size_t n, gl_sb *out);
/* Any of the six, for code that applies one chosen by its caller. */
typedef void (*gl_py_mapper)(const char *s, size_t n, gl_sb *out);
#endif
