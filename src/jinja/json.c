/* src/jinja/json.c - JSON text to Jinja values through json-c (jinja layer). */
#include "jinja/json.h"
#include <json-c/json.h>
#include <errno.h>
#include <string.h>

static gl_value s_convert(gl_vm *vm, struct json_object *o, int depth, const char **err)
{
    if (depth > 500) { *err = "JSON nested too deeply"; return gl_none(); }
    switch (json_object_get_type(o)) {
    case json_type_null: return gl_none();
    case json_type_boolean: return gl_bool(json_object_get_boolean(o));
    case json_type_int: {
        const char *txt = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
        if (txt[0] != '-' && json_object_get_uint64(o) > (uint64_t)INT64_MAX) {
            *err = "integer too large for gluec's 64-bit integers";
            return gl_none();
        }
        errno = 0;
        int64_t v = json_object_get_int64(o);
        if (errno == EINVAL) { *err = "integer too large for gluec's 64-bit integers"; return gl_none(); }
        return gl_int(v);
    }
    case json_type_double: return gl_float(json_object_get_double(o));
    case json_type_string:
        return gl_str_copy(vm, json_object_get_string(o), (size_t)json_object_get_string_len(o));
    case json_type_array: {
        size_t n = json_object_array_length(o);
        gl_value l = gl_list_new(vm, (uint32_t)n);
        for (size_t i = 0; i < n; i++)
            gl_list_push(vm, l.u.list, s_convert(vm, json_object_array_get_idx(o, i), depth + 1, err));
        return l;
    }
    case json_type_object: {
        gl_value d = gl_dict_new(vm);
        json_object_object_foreach(o, key, val) {
            gl_dict_set(vm, d.u.dict, gl_str_copy(vm, key, strlen(key)), s_convert(vm, val, depth + 1, err));
        }
        return d;
    }
    }
    return gl_none();
}

gl_value gl_json_to_value(gl_vm *vm, const char *text, size_t len, size_t *err_offset, const char **err_msg)
{
    struct json_tokener *tok = json_tokener_new_ex(JSON_TOKENER_DEFAULT_DEPTH);
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
    struct json_object *o = json_tokener_parse_ex(tok, text, (int)len);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    size_t off = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    if (jerr != json_tokener_success || (!o && len == 0)) {
        *err_offset = off;
        *err_msg = jerr == json_tokener_continue ? "unexpected end of JSON" : json_tokener_error_desc(jerr);
        json_object_put(o);
        return gl_missing();
    }
    while (off < len && (text[off] == ' ' || text[off] == '\n' || text[off] == '\t' || text[off] == '\r')) off++;
    if (off < len) {
        *err_offset = off;
        *err_msg = "extra data after the JSON value";
        json_object_put(o);
        return gl_missing();
    }
    const char *err = NULL;
    gl_value v = s_convert(vm, o, 0, &err);
    json_object_put(o);
    if (err) {
        *err_offset = 0;
        *err_msg = err;
        return gl_missing();
    }
    return v;
}
