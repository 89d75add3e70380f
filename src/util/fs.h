/* src/util/fs.h - the file system seam (util layer): sorted directory walks, path
 * joining, and atomic replacement of a whole directory tree. Listing order never
 * depends on the file system: entries are sorted by byte value. */
#ifndef GL_FS_H
#define GL_FS_H
#include <stdbool.h>
#include <stddef.h>
#include <pthread.h>
#include "util/buf.h"

typedef struct gl_pathlist {
    char **paths;       /* owned; relative to the walk's root, '/'-separated */
    size_t n, cap;
} gl_pathlist;

/* Every regular file under root/dir (recursively), as "dir/sub/file.ext", sorted.
 * A missing directory gives an empty list. Hidden entries (".x") are skipped. */
void gl_fs_walk(const char *root, const char *dir, gl_pathlist *out);
void gl_pathlist_free(gl_pathlist *l);
bool gl_fs_is_dir(const char *path);
bool gl_fs_is_file(const char *path);
/* a + "/" + b, without a doubled slash; "." and "" as a are dropped. */
void gl_path_join(gl_buf *out, const char *a, const char *b);
bool gl_str_ends_with(const char *s, const char *suffix);

/* Removing the tree a commit replaced, on a thread of its own, while the caller goes
 * on (freeing its memory); gl_fs_cleanup_wait joins it. */
typedef struct gl_fs_cleanup {
    pthread_t tid;
    char *path;         /* the old tree, owned; NULL when nothing runs */
} gl_fs_cleanup;
void gl_fs_cleanup_wait(gl_fs_cleanup *c);

/* Writes files into a fresh temporary sibling of dir, then swaps it into place: either
 * the whole new tree is there or the old one is untouched. */
typedef struct gl_fs_tx {
    char *final;        /* the directory being replaced */
    char *tmp;          /* where the new tree is written */
    gl_buf made;        /* the last directory made under tmp (writes come in path order) */
    gl_fs_cleanup *cleanup; /* set: the commit removes the old tree there, in the background */
} gl_fs_tx;
bool gl_fs_tx_begin(gl_fs_tx *tx, const char *dir, gl_buf *err);
/* Writes rel (a '/'-separated path) under the new tree, making directories. Paths
 * written in sorted order make each directory once. */
bool gl_fs_tx_write(gl_fs_tx *tx, const char *rel, const char *data, size_t len, gl_buf *err);
/* The same for one writer of several working in parallel under root (each with its
 * own `made` buffer and its own sorted run of paths). With reuse (the tree being
 * replaced, or NULL), a file that stands there with the same bytes is hard-linked
 * instead of written: a compile that changes little creates few inodes, and removing
 * the old tree frees few (on ext4 both dominate a large plan). */
bool gl_fs_write_under(const char *root, gl_buf *made, const char *rel, const char *data, size_t len,
                       const char *reuse, gl_buf *err);
bool gl_fs_tx_commit(gl_fs_tx *tx, gl_buf *err);
void gl_fs_tx_abort(gl_fs_tx *tx);   /* removes the temporary tree */
/* Removes a directory tree (no symlinks followed). */
void gl_fs_rmtree(const char *path);
#endif
