/* tests/fuzz/fuzz_yaml.c - libFuzzer target: the YAML loader (libyaml events to the
 * positioned tree, PyYAML scalar resolution, anchors and merges) and the conversion to
 * values, as every dbt_project.yml, profiles.yml and properties file goes through it. */
#include "jinja/vm.h"
#include "project/yaml.h"
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    if (size > 1 << 16) return 0;
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    gl_source *src = gl_source_new("fuzz.yml", text, size);
    gl_diag err = {0};
    gl_source *err_src = NULL;
    gl_ydoc *doc = gl_yaml_load(src, &err, &err_src);
    if (doc && doc->root) {
        gl_interner names;
        gl_intern_init(&names);
        gl_vm vm;
        gl_vm_init(&vm, &names);
        gl_catch c;
        c.prev = NULL;
        vm.catch_top = &c;
        vm.src = doc->src;
        if (setjmp(c.jb) == 0) gl_yaml_to_value(&vm, doc->root);
        vm.catch_top = NULL;
        gl_vm_free(&vm);
        gl_intern_free(&names);
    }
    gl_ydoc_free(doc);
    gl_diag_clear(&err);
    gl_source_free(err_src);
    return 0;
}
