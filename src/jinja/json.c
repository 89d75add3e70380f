/* src/jinja/json.c - JSON text to Jinja values through json-c (jinja layer). */
#include "jinja/json.h"
#include <json-c/json.h>
#include <errno.h>
#include <stdlib.h>
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
    if (jerr == json_tokener_continue) {   /* a bare literal at the end: feed the end */
        o = json_tokener_parse_ex(tok, "", 1);
        jerr = json_tokener_get_error(tok);
        off = len;
    }
    json_tokener_free(tok);
    if (off > len) off = len;
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

static void s_dump_str(const char *s, size_t n, gl_buf *out)
{
    gl_buf_addc(out, '"');
    size_t run = 0;   /* start of the pending run of bytes that need no escape */
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch >= 0x20 && ch != '"' && ch != '\\') continue;
        gl_buf_add(out, s + run, i - run);
        run = i + 1;
        switch (ch) {
        case '"': gl_buf_adds(out, "\\\""); break;
        case '\\': gl_buf_adds(out, "\\\\"); break;
        case '\n': gl_buf_adds(out, "\\n"); break;
        case '\r': gl_buf_adds(out, "\\r"); break;
        case '\t': gl_buf_adds(out, "\\t"); break;
        default: gl_buf_printf(out, "\\u%04x", ch);
        }
    }
    gl_buf_add(out, s + run, n - run);
    gl_buf_addc(out, '"');
}

static int s_cmp_entries(const void *a, const void *b)
{
    const gl_dict_entry *x = *(gl_dict_entry *const *)a, *y = *(gl_dict_entry *const *)b;
    size_t n = x->key.len < y->key.len ? x->key.len : y->key.len;
    int c = memcmp(x->key.u.s, y->key.u.s, n);
    return c ? c : (x->key.len > y->key.len) - (x->key.len < y->key.len);
}

static void s_newline(int indent, int level, gl_buf *out)
{
    if (!indent) return;
    gl_buf_addc(out, '\n');
    for (int i = 0; i < indent * level; i++) gl_buf_addc(out, ' ');
}

static void s_dump(gl_vm *vm, gl_value v, int indent, int level, gl_buf *out)
{
    switch (v.kind) {
    case GL_BOOL: gl_buf_adds(out, v.u.b ? "true" : "false"); return;
    case GL_INT: case GL_FLOAT: gl_str_of(vm, v, out); return;
    case GL_STR: s_dump_str(v.u.s, v.len, out); return;
    case GL_LIST: case GL_TUPLE: {
        const gl_list *l = v.u.list;
        if (!l->len) { gl_buf_adds(out, "[]"); return; }
        gl_buf_addc(out, '[');
        for (uint32_t i = 0; i < l->len; i++) {
            if (i) gl_buf_addc(out, ',');
            if (i && !indent) gl_buf_addc(out, ' ');
            s_newline(indent, level + 1, out);
            s_dump(vm, l->items[i], indent, level + 1, out);
        }
        s_newline(indent, level, out);
        gl_buf_addc(out, ']');
        return;
    }
    case GL_DICT: case GL_NAMESPACE: {
        const gl_dict *d = v.u.dict;
        if (!d->count) { gl_buf_adds(out, "{}"); return; }
        const gl_dict_entry **e = malloc(d->count * sizeof *e);
        uint32_t n = 0;
        for (uint32_t i = 0; i < d->nentries; i++)
            if (d->entries[i].live && d->entries[i].key.kind == GL_STR) e[n++] = &d->entries[i];
        qsort(e, n, sizeof *e, s_cmp_entries);
        gl_buf_addc(out, '{');
        for (uint32_t i = 0; i < n; i++) {
            if (i) gl_buf_addc(out, ',');
            if (i && !indent) gl_buf_addc(out, ' ');
            s_newline(indent, level + 1, out);
            s_dump_str(e[i]->key.u.s, e[i]->key.len, out);
            gl_buf_adds(out, ": ");
            s_dump(vm, e[i]->value, indent, level + 1, out);
        }
        free(e);
        s_newline(indent, level, out);
        gl_buf_addc(out, '}');
        return;
    }
    default:
        gl_buf_adds(out, "null");
    }
}

void gl_json_dump(gl_vm *vm, gl_value v, int indent, gl_buf *out)
{
    s_dump(vm, v, indent, 0, out);
}
