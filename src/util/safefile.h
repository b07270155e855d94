/* safefile.h -- writing files without following planted symlinks and
 * without replacing what the user did not name (docs/guarantees.md,
 * "Writing files").
 *
 * Every file sriov-sim writes goes through one of two ways:
 *   - replace: the complete file is written to a new temporary file next
 *     to the target (mkstemp: O_CREAT|O_EXCL, so never an existing file or
 *     a symlink planted at a predictable name), then renamed over the
 *     target. rename() replaces a symlink at the target itself, never the
 *     file it points to. A target that exists and is not a regular file or
 *     a symlink (a directory, device, FIFO, socket) is refused before
 *     anything is written: `-o /dev/null` must not replace /dev/null.
 *   - own name: a file sriov-sim names itself in a directory the user
 *     chose (a report's files, logs) is opened with O_NOFOLLOW after any
 *     symlink at that name is removed, and must be a regular file before
 *     it is truncated.
 *
 * Errors: -1 / NULL with errno set and a message in err (errlen bytes)
 * naming the path and the fix. Paths are NUL-terminated; tmp buffers hold
 * at least strlen(path) + 16 bytes.
 */
#ifndef SRIOV_UTIL_SAFEFILE_H
#define SRIOV_UTIL_SAFEFILE_H

#include <stddef.h>
#include <stdio.h>

/* 0 when path may be replaced: nothing is there (or it cannot be looked
 * at: the writer then reports why it cannot create it), or a regular file
 * or a symlink (replaced itself, not followed). -1 otherwise. */
int sf_check_replaceable(const char *path, char *err, size_t errlen);

/* A new temporary file "<path>.tmp.XXXXXX" in path's directory, its name
 * in tmp; mode 0644 less the umask. The file descriptor, or -1. */
int sf_create_temp(const char *path, char *tmp, size_t tmpsize, char *err, size_t errlen);

/* sf_check_replaceable + sf_create_temp as a stdio stream; NULL on error. */
FILE *sf_open_replace(const char *path, char *tmp, size_t tmpsize, char *err, size_t errlen);

/* Closes f, then renames tmp over path; on any write error tmp is
 * removed and path is left as it was. 0 or -1. */
int sf_close_replace(FILE *f, const char *tmp, const char *path, char *err, size_t errlen);

/* Renames a finished temporary file over path (after fsync by the
 * caller when durability matters); removes tmp on failure. 0 or -1. */
int sf_commit(const char *tmp, const char *path, char *err, size_t errlen);

/* Opens a file sriov-sim names itself inside a directory the user chose
 * (a report's .dat and index.md, gnuplot.log, a sweep point's stderr.txt),
 * for writing from the start: a symlink at that name is replaced by a new
 * file, never written through; a directory, device, FIFO or socket is
 * refused; a regular file is truncated. Created with mode 0644 less the
 * umask. The file descriptor (O_CLOEXEC), or -1. With errlen 0 nothing is
 * formatted (safe between fork and exec). */
int sf_open_trunc(const char *path, char *err, size_t errlen);
/* The same as a stdio stream; NULL on error. */
FILE *sf_fopen_trunc(const char *path, char *err, size_t errlen);

#endif
