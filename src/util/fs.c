/* src/util/fs.c - sorted directory walks, paths, atomic directory replacement (util). */
#define _GNU_SOURCE 1   /* renameat2 */
#include "util/fs.h"
#include "util/arena.h"
#include <dirent.h>
#include <fcntl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int s_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void s_push(gl_pathlist *l, const char *p)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->paths = gl_xrealloc(l->paths, l->cap * sizeof *l->paths);
    }
    size_t n = strlen(p);
    l->paths[l->n] = gl_xmalloc(n + 1);
    memcpy(l->paths[l->n++], p, n + 1);
}

void gl_path_join(gl_buf *out, const char *a, const char *b)
{
    gl_buf_truncate(out, 0);
    if (a && *a && strcmp(a, ".") != 0) {
        gl_buf_adds(out, a);
        if (out->data[out->len - 1] != '/') gl_buf_addc(out, '/');
    }
    if (b && *b) gl_buf_adds(out, b);
    if (!out->data) gl_buf_add(out, "", 0);
}

bool gl_str_ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

bool gl_fs_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool gl_fs_is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Iterative walk: a work list of relative directories; each directory's entries sorted. */
void gl_fs_walk(const char *root, const char *dir, gl_pathlist *out)
{
    gl_pathlist todo = {0}, files = {0};
    gl_buf full, rel;
    gl_buf_init(&full);
    gl_buf_init(&rel);
    s_push(&todo, dir);
    while (todo.n) {
        char *d = todo.paths[--todo.n];
        gl_path_join(&full, root, d);
        DIR *h = opendir(full.data);
        if (h) {
            gl_pathlist subdirs = {0};
            struct dirent *e;
            while ((e = readdir(h))) {
                if (e->d_name[0] == '.') continue;
                gl_path_join(&rel, d, e->d_name);
                bool dir = e->d_type == DT_DIR, file = e->d_type == DT_REG;
                if (e->d_type == DT_UNKNOWN || e->d_type == DT_LNK) {   /* ask the file system */
                    gl_path_join(&full, root, rel.data);
                    dir = gl_fs_is_dir(full.data);
                    file = !dir && gl_fs_is_file(full.data);
                }
                if (dir) s_push(&subdirs, rel.data);
                else if (file) s_push(&files, rel.data);
            }
            closedir(h);
            if (subdirs.n > 1) qsort(subdirs.paths, subdirs.n, sizeof *subdirs.paths, s_cmp);
            for (size_t i = subdirs.n; i-- > 0;) s_push(&todo, subdirs.paths[i]);
            gl_pathlist_free(&subdirs);
        }
        free(d);
    }
    if (files.n > 1) qsort(files.paths, files.n, sizeof *files.paths, s_cmp);
    for (size_t i = 0; i < files.n; i++) s_push(out, files.paths[i]);
    gl_pathlist_free(&files);
    gl_pathlist_free(&todo);
    gl_buf_free(&full);
    gl_buf_free(&rel);
}

void gl_pathlist_free(gl_pathlist *l)
{
    for (size_t i = 0; i < l->n; i++) free(l->paths[i]);
    free(l->paths);
    l->paths = NULL;
    l->n = l->cap = 0;
}

static char *s_dup(const char *s)
{
    size_t n = strlen(s);
    char *p = gl_xmalloc(n + 1);
    memcpy(p, s, n + 1);
    return p;
}

void gl_fs_rmtree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0) return;
    if (S_ISDIR(st.st_mode)) {
        DIR *h = opendir(path);
        if (h) {
            struct dirent *e;
            gl_buf child;
            gl_buf_init(&child);
            while ((e = readdir(h))) {
                if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
                gl_path_join(&child, path, e->d_name);
                gl_fs_rmtree(child.data);
            }
            gl_buf_free(&child);
            closedir(h);
        }
        rmdir(path);
    } else {
        unlink(path);
    }
}

static bool s_mkdirs(const char *path, gl_buf *err)
{
    char *p = s_dup(path);
    for (char *q = p + 1; *q; q++) {
        if (*q != '/') continue;
        *q = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            gl_buf_printf(err, "cannot create %s: %s", p, strerror(errno));
            free(p);
            return false;
        }
        *q = '/';
    }
    bool ok = mkdir(p, 0777) == 0 || errno == EEXIST;
    if (!ok) gl_buf_printf(err, "cannot create %s: %s", p, strerror(errno));
    free(p);
    return ok;
}

bool gl_fs_tx_begin(gl_fs_tx *tx, const char *dir, gl_buf *err)
{
    gl_buf b;
    gl_buf_init(&b);
    tx->final = s_dup(dir);
    tx->cleanup = NULL;
    size_t n = strlen(tx->final);
    while (n > 1 && tx->final[n - 1] == '/') tx->final[--n] = '\0';
    gl_buf_printf(&b, "%s.tmp-%ld", tx->final, (long)getpid());
    tx->tmp = b.data;
    gl_buf_init(&tx->made);
    gl_fs_rmtree(tx->tmp);
    const char *slash = strrchr(tx->final, '/');
    if (slash && slash != tx->final) {
        char *parent = s_dup(tx->final);
        parent[slash - tx->final] = '\0';
        bool ok = s_mkdirs(parent, err);
        free(parent);
        if (!ok) return false;
    }
    if (mkdir(tx->tmp, 0777) != 0) {
        gl_buf_printf(err, "cannot create %s: %s", tx->tmp, strerror(errno));
        return false;
    }
    return true;
}

/* Makes the directories of rel under tmp that the previous write did not make: with
 * paths in sorted order, a directory's files are contiguous, so only the components
 * past the common prefix with the last directory are new. */
static bool s_make_parent(const char *root, gl_buf *made, const char *rel, gl_buf *err)
{
    const char *slash = strrchr(rel, '/');
    size_t dl = slash ? (size_t)(slash - rel) : 0, common = 0;
    const char *last = made->data ? made->data : "";
    while (common < dl && common < made->len && rel[common] == last[common]) common++;
    if (common == dl && made->len == dl) return true;
    if (!(common == made->len && rel[common] == '/'))
        while (common > 0 && rel[common] != '/') common--;   /* back to a component boundary */
    gl_buf path;
    gl_buf_init(&path);
    bool ok = true;
    for (size_t i = common + 1; ok && i <= dl; i++) {
        if (i < dl && rel[i] != '/') continue;
        gl_buf_truncate(&path, 0);
        gl_buf_printf(&path, "%s/%.*s", root, (int)i, rel);
        if (mkdir(path.data, 0777) != 0 && errno != EEXIST) {
            gl_buf_printf(err, "cannot create %s: %s", path.data, strerror(errno));
            ok = false;
        }
    }
    gl_buf_free(&path);
    gl_buf_truncate(made, 0);
    if (ok) gl_buf_add(made, rel, dl);
    return ok;
}

/* Does the regular file at path hold exactly data? */
static bool s_same_bytes(const char *path, const char *data, size_t len)
{
    struct stat st;
    if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size != len) return false;
    int fd = open(path, O_RDONLY);
    if (fd < 0) return false;
    char buf[16384];
    size_t at = 0;
    bool same = true;
    while (same && at < len) {
        ssize_t n = read(fd, buf, sizeof buf < len - at ? sizeof buf : len - at);
        same = n > 0 && memcmp(buf, data + at, (size_t)n) == 0;
        if (n > 0) at += (size_t)n;
    }
    close(fd);
    return same;
}

bool gl_fs_write_under(const char *root, gl_buf *made, const char *rel, const char *data, size_t len,
                       const char *reuse, gl_buf *err)
{
    gl_buf path;
    gl_buf_init(&path);
    gl_path_join(&path, root, rel);
    bool ok = s_make_parent(root, made, rel, err);
    if (ok && reuse) {
        gl_buf old;
        gl_buf_init(&old);
        gl_path_join(&old, reuse, rel);
        bool linked = s_same_bytes(old.data, data, len) && link(old.data, path.data) == 0;
        gl_buf_free(&old);
        if (linked) {
            gl_buf_free(&path);
            return true;
        }
    }
    FILE *f = ok ? fopen(path.data, "wb") : NULL;
    if (ok && !f) {
        gl_buf_printf(err, "cannot write %s: %s", path.data, strerror(errno));
        ok = false;
    }
    if (f) {
        bool wrote = !len || fwrite(data, 1, len, f) == len;
        bool closed = fclose(f) == 0;
        if (!wrote || !closed) {
            gl_buf_printf(err, "cannot write %s: %s", path.data, strerror(errno));
            ok = false;
        }
    }
    gl_buf_free(&path);
    return ok;
}

bool gl_fs_tx_write(gl_fs_tx *tx, const char *rel, const char *data, size_t len, gl_buf *err)
{
    return gl_fs_write_under(tx->tmp, &tx->made, rel, data, len, tx->final, err);
}

static void *s_cleanup_run(void *arg)
{
    gl_fs_rmtree(arg);
    return NULL;
}

/* The replaced tree at path goes: now, or on the tx's cleanup thread. */
static void s_remove_old(gl_fs_tx *tx, const char *path)
{
    gl_fs_cleanup *c = tx->cleanup;
    if (c && !c->path) {
        size_t n = strlen(path);
        c->path = gl_xmalloc(n + 1);
        memcpy(c->path, path, n + 1);
        if (pthread_create(&c->tid, NULL, s_cleanup_run, c->path) == 0) return;
        free(c->path);
        c->path = NULL;
    }
    gl_fs_rmtree(path);
}

void gl_fs_cleanup_wait(gl_fs_cleanup *c)
{
    if (!c->path) return;
    pthread_join(c->tid, NULL);
    free(c->path);
    c->path = NULL;
}

bool gl_fs_tx_commit(gl_fs_tx *tx, gl_buf *err)
{
#ifdef RENAME_EXCHANGE
    if (gl_fs_is_dir(tx->final) && renameat2(AT_FDCWD, tx->tmp, AT_FDCWD, tx->final, RENAME_EXCHANGE) == 0) {
        s_remove_old(tx, tx->tmp);   /* the old tree, swapped out in one step */
        gl_buf_free(&tx->made);
        free(tx->tmp);
        free(tx->final);
        tx->tmp = tx->final = NULL;
        return true;
    }
#endif
    gl_buf old;
    gl_buf_init(&old);
    gl_buf_printf(&old, "%s.old-%ld", tx->final, (long)getpid());
    gl_fs_rmtree(old.data);
    bool had = gl_fs_is_dir(tx->final);
    bool ok = true;
    if (had && rename(tx->final, old.data) != 0) {
        gl_buf_printf(err, "cannot move %s aside: %s", tx->final, strerror(errno));
        ok = false;
    }
    if (ok && rename(tx->tmp, tx->final) != 0) {
        gl_buf_printf(err, "cannot move %s into place: %s", tx->tmp, strerror(errno));
        if (had) rename(old.data, tx->final);
        ok = false;
    }
    if (ok && had) s_remove_old(tx, old.data);
    gl_buf_free(&old);
    if (!ok) gl_fs_tx_abort(tx);
    else {
        gl_buf_free(&tx->made);
        free(tx->tmp);
        free(tx->final);
        tx->tmp = tx->final = NULL;
    }
    return ok;
}

void gl_fs_tx_abort(gl_fs_tx *tx)
{
    gl_buf_free(&tx->made);
    if (tx->tmp) gl_fs_rmtree(tx->tmp);
    free(tx->tmp);
    free(tx->final);
    tx->tmp = tx->final = NULL;
}
