/* tests/fuzz/fuzz_render.c - libFuzzer target: scanner + parser + render of arbitrary
 * bytes with a small fixed context. Work is capped by the vm's step and depth limits;
 * every allocation is released, so LeakSanitizer stays quiet. */
#include "jinja/eval.h"
#include "jinja/json.h"
#include "parser/parse.h"
#include <stdlib.h>
#include <string.h>

static const char s_context[] =
    "{\"name\": \"w\\u00f6rld\", \"n\": 3, \"f\": 1.5, \"items\": [1, \"a\", null, true],"
    " \"d\": {\"a\": 1, \"b\": [2, 3]}, \"rows\": [{\"k\": \"x\", \"v\": 1}, {\"k\": \"y\", \"v\": 2}]}";

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    if (size > 1 << 16) return 0;
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    gl_interner names;
    gl_intern_init(&names);
    gl_vm vm;
    gl_vm_init(&vm, &names);
    vm.step_limit = 200000;
    vm.depth_limit = 64;
    size_t off;
    const char *msg;
    gl_value ctx = gl_json_to_value(&vm, s_context, sizeof s_context - 1, &off, &msg);
    gl_source *src = gl_source_new("fuzz.j2", text, size);
    gl_diag err = {0};
    gl_source *err_src = NULL;
    gl_template *t = gl_parse_template(src, &names, &err, &err_src);
    gl_buf out;
    gl_buf_init(&out);
    if (t && gl_eval_check(&vm, t)) gl_render(&vm, t, ctx, &out);
    gl_buf_free(&out);
    gl_diag_clear(&err);
    gl_source_free(err_src);
    gl_template_free(t);
    gl_vm_free(&vm);
    gl_intern_free(&names);
    return 0;
}
