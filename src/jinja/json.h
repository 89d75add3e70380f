/* src/jinja/json.h - JSON text to Jinja values (jinja layer), through json-c: objects
 * become insertion-ordered dicts, integers 64-bit ints, reals floats, as Python's
 * json.loads would give them. */
#ifndef GL_JINJA_JSON_H
#define GL_JINJA_JSON_H
#include "jinja/vm.h"

/* Parses text; on failure returns GL_MISSING and sets *err_offset and *err_msg
 * (a static string). */
gl_value gl_json_to_value(gl_vm *vm, const char *text, size_t len, size_t *err_offset, const char **err_msg);
/* JSON text of v: dict keys sorted (byte order = code point order), indent spaces per
 * level (0: one line), UTF-8 kept as is, floats as Python repr. Undefined and other
 * non-JSON values are written as null. */
void gl_json_dump(gl_vm *vm, gl_value v, int indent, gl_buf *out);
#endif
