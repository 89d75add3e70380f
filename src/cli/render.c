/* src/cli/render.c - `gluec render [--context FILE.json] [TEMPLATE|-]` (cli layer):
 * renders one plain Jinja template with a JSON context, printing exactly the result.
 * On any error: a positioned diagnostic on stderr, nothing on stdout, exit 1. */
#include "cli/cli.h"
#include "jinja/eval.h"
#include "jinja/json.h"
#include "parser/parse.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

static int s_usage(const char *msg)
{
    fprintf(stderr, "gluec render: %s\nusage: gluec render [--context FILE.json] [TEMPLATE|-]\n", msg);
    return 2;
}

static void s_report(gl_source *src, uint32_t at, const char *msg, const char *hint)
{
    gl_diag d = { GL_SEV_ERROR, src, { at, at + 1 }, (char *)msg, (char *)hint };
    gl_diag_print(stderr, &d);
}

/* Offset of the first invalid UTF-8 byte, or -1. */
static long s_invalid_utf8(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        utf8proc_int32_t c;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &c);
        if (n <= 0) return (long)i;
        i += (size_t)n;
    }
    return -1;
}

static gl_source *s_read(const char *path)
{
    gl_source *src = gl_source_read(path);
    if (!src) {
        fprintf(stderr, "gluec: error: cannot read %s: %s\n", path, strerror(errno));
        return NULL;
    }
    long bad = s_invalid_utf8(src->text, src->len);
    if (bad >= 0) {
        s_report(src, (uint32_t)bad, "the file is not valid UTF-8", "save it as UTF-8");
        gl_source_free(src);
        return NULL;
    }
    return src;
}

static bool s_load_context(gl_vm *vm, const char *path, gl_value *ctx)
{
    *ctx = gl_none();
    if (!path) return true;
    gl_source *src = s_read(path);
    if (!src) return false;
    size_t off = 0;
    const char *msg = NULL;
    gl_value v = gl_json_to_value(vm, src->text, src->len, &off, &msg);
    bool ok = true;
    if (v.kind == GL_MISSING) {
        s_report(src, (uint32_t)off, msg, NULL);
        ok = false;
    } else if (v.kind != GL_DICT) {
        s_report(src, 0, "the context must be a JSON object", "write the variables as {\"name\": value, ...}");
        ok = false;
    }
    gl_source_free(src);
    *ctx = v;
    return ok;
}

static int s_render(const char *tpl_path, const char *ctx_path)
{
    gl_interner names;
    gl_intern_init(&names);
    gl_vm vm;
    gl_vm_init(&vm, &names);
    gl_value ctx;
    int rc = 1;
    gl_source *src = NULL, *err_src = NULL;
    gl_template *t = NULL;
    gl_buf out;
    gl_buf_init(&out);
    gl_diag err = {0};
    if (!s_load_context(&vm, ctx_path, &ctx)) goto done;
    if (!(src = s_read(tpl_path))) goto done;
    t = gl_parse_template(src, &names, &err, &err_src);
    if (!t) {
        gl_diag_print(stderr, &err);
        goto done;
    }
    if (!gl_eval_check(&vm, t) || !gl_render(&vm, t, ctx, &out)) {
        gl_diag_print(stderr, &vm.error);
        goto done;
    }
    if (out.len && fwrite(out.data, 1, out.len, stdout) != out.len) {
        fprintf(stderr, "gluec: error: cannot write the output: %s\n", strerror(errno));
        goto done;
    }
    rc = fflush(stdout) == 0 ? 0 : 1;
done:
    gl_diag_clear(&err);
    gl_source_free(err_src);
    gl_template_free(t);
    gl_buf_free(&out);
    gl_vm_free(&vm);
    gl_intern_free(&names);
    return rc;
}

int gl_cmd_render(int argc, char **argv)
{
    const char *ctx = NULL, *tpl = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--context") == 0) {
            if (++i >= argc) return s_usage("--context needs a file");
            ctx = argv[i];
        } else if (strncmp(argv[i], "--context=", 10) == 0) {
            ctx = argv[i] + 10;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return s_usage("unknown option");
        } else if (tpl) {
            return s_usage("only one template can be rendered");
        } else {
            tpl = argv[i];
        }
    }
    return s_render(tpl ? tpl : "-", ctx);
}
