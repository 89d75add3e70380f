/* tests/unit/test_fuzz_replay.c - replays the inputs the fuzzers once crashed on
 * (every file of tests/fuzz/regressions/<target>/) through the same entry point, without libFuzzer:
 * under the sanitizer build a regression fails loudly. Built twice, linked with
 * tests/fuzz/fuzz_render.c or tests/fuzz/fuzz_yaml.c; TARGET names the folder. */
#include "tap.h"
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static int s_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(void)
{
    const char *top = getenv("GLUEC_SRCDIR");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/tests/fuzz/regressions/%s", top ? top : ".", TARGET);
    DIR *h = opendir(dir);
    tap_ok(h != NULL, "the regressions folder exists");
    char *names[256];
    int n = 0;
    struct dirent *e;
    while (h && (e = readdir(h)) && n < 256)
        if (e->d_name[0] != '.') names[n++] = strdup(e->d_name);
    if (h) closedir(h);
    qsort(names, (size_t)n, sizeof *names, s_cmp);
    for (int i = 0; i < n; i++) {
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        FILE *f = fopen(path, "rb");
        unsigned char buf[65536];
        size_t len = f ? fread(buf, 1, sizeof buf, f) : 0;
        if (f) fclose(f);
        tap_ok(f != NULL && LLVMFuzzerTestOneInput(buf, len) == 0, names[i]);
        free(names[i]);
    }
    return tap_done();
}
