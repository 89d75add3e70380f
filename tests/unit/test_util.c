/* tests/unit/test_util.c - the util layer: did-you-mean suggestions, sorted directory
 * walks, and the atomic plan directory transaction (a commit replaces the whole tree,
 * an abort leaves the old one). */
#include "tap.h"
#include "util/fs.h"
#include "util/suggest.h"
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static const char *s_best(const char *word, const char *const *cands)
{
    static char out[64];
    gl_suggest sg;
    gl_suggest_init(&sg, word, strlen(word));
    for (; *cands; cands++) gl_suggest_offer(&sg, *cands, strlen(*cands));
    snprintf(out, sizeof out, "%.*s", sg.best ? (int)sg.best_len : 0, sg.best ? sg.best : "");
    return out;
}

static char *s_read(const char *path)
{
    FILE *f = fopen(path, "rb");
    static char buf[256];
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f) fclose(f);
    buf[n] = '\0';
    return f ? buf : NULL;
}

int main(void)
{
    static const char *const filters[] = { "join", "length", "lower", "list", "last", NULL };
    tap_is(s_best("jion", filters), "join", "a swap of neighbours is one edit");
    tap_is(s_best("lenght", filters), "length", "lenght -> length");
    tap_is(s_best("lst", filters), "last", "ties go to the shorter, then the smaller name");
    tap_is(s_best("tojson", filters), "", "nothing close: no suggestion");

    char root[] = "/tmp/gluec-test-util-XXXXXX";
    tap_ok(mkdtemp(root) != NULL, "a scratch directory");
    gl_buf plan, err;
    gl_buf_init(&plan);
    gl_buf_init(&err);
    gl_buf_printf(&plan, "%s/target/plan", root);
    gl_fs_tx tx;
    static const char *const files[] = { "a/b-c/x.sql", "a/b.sql", "a/b/y.sql", "a/b/z/w.sql", "plan.json" };
    bool ok = gl_fs_tx_begin(&tx, plan.data, &err);
    for (size_t i = 0; ok && i < sizeof files / sizeof *files; i++) ok = gl_fs_tx_write(&tx, files[i], files[i], strlen(files[i]), &err);
    tap_ok(ok && gl_fs_tx_commit(&tx, &err), "a plan written in sorted order, directories made as needed");
    gl_pathlist got = {0};
    gl_fs_walk(plan.data, ".", &got);
    gl_buf listing;
    gl_buf_init(&listing);
    for (size_t i = 0; i < got.n; i++) gl_buf_printf(&listing, "%s%s", i ? " " : "", got.paths[i]);
    tap_is(listing.data, "a/b-c/x.sql a/b.sql a/b/y.sql a/b/z/w.sql plan.json", "the walk lists every file, sorted");
    gl_pathlist_free(&got);

    ok = gl_fs_tx_begin(&tx, plan.data, &err) && gl_fs_tx_write(&tx, "plan.json", "new", 3, &err);
    gl_fs_tx_abort(&tx);
    gl_buf path;
    gl_buf_init(&path);
    gl_path_join(&path, plan.data, "plan.json");
    tap_is(s_read(path.data), "plan.json", "an aborted write leaves the old plan");
    ok = gl_fs_tx_begin(&tx, plan.data, &err) && gl_fs_tx_write(&tx, "plan.json", "new", 3, &err) &&
         gl_fs_tx_commit(&tx, &err);
    tap_is(ok ? s_read(path.data) : NULL, "new", "a commit replaces the plan");
    gl_path_join(&path, plan.data, "a/b.sql");
    tap_ok(s_read(path.data) == NULL, "files of the old plan do not survive a commit");

    gl_fs_rmtree(root);
    tap_ok(!gl_fs_is_dir(root), "rmtree removes the tree");
    gl_buf_free(&plan);
    gl_buf_free(&err);
    gl_buf_free(&listing);
    gl_buf_free(&path);
    return tap_done();
}
