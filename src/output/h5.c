/* h5.c -- run_results to an HDF5 file, built in memory and published
 * atomically (layout and type choices: see h5.h). What goes into the file
 * is written by h5_tables.c (/meta and the tables, from their schemas) and
 * h5_series.c (/timeseries); this file owns the file itself.
 */
#include "output/h5.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output/h5_write.h"
#include "util/safefile.h"

/* The in-memory file grows by this much at a time. */
#define IMAGE_INCREMENT (1024 * 1024)

/* A whole HDF5 file as bytes. */
typedef struct image {
    unsigned char *bytes;
    size_t size;    /* bytes in use (the driver's buffer: its size) */
} image;

/* ---- filesystem ------------------------------------------------------ */

/* mkdir -p of everything before the last '/' in path. */
static int make_parent_dirs(const char *path, errbuf *e)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL || slash == path)
        return 0;
    size_t n = (size_t)(slash - path);
    char *dir = malloc(n + 1);
    if (dir == NULL) {
        errbuf_set(e, "out of memory");
        return -1;
    }
    memcpy(dir, path, n);
    dir[n] = '\0';
    int rc = 0;
    for (size_t i = 1; i <= n && rc == 0; i++) {
        if (dir[i] != '/' && dir[i] != '\0')
            continue;
        char saved = dir[i];
        dir[i] = '\0';
        struct stat st;
        if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
            errbuf_set(e, "cannot create directory %s: %s", dir, strerror(errno));
            rc = -1;
        } else if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
            errbuf_set(e, "cannot create directory %s: not a directory", dir);
            rc = -1;
        }
        dir[i] = saved;
    }
    free(dir);
    return rc;
}

/* Room for "<path>.tmp.XXXXXX" (util/safefile.h): a new name in the same
 * directory, so rename() is atomic, made with O_EXCL so that no file or
 * symlink planted there is written through (a predictable
 * "<path>.tmp.<pid>" was: it truncated the symlink's target, and out.h5
 * became the symlink). Caller frees. */
static char *temp_buffer_for(const char *path, size_t *size)
{
    *size = strlen(path) + 32;
    return malloc(*size);
}

/* Make the rename itself durable. Best effort: by now the file is complete
 * and in place, so a failure here is not worth failing the run for. */
static void fsync_parent_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path))
                      : strdup(".");
    if (dir == NULL)
        return;
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(dir);
}

static int refuse_directory(const char *path, errbuf *e)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        errbuf_set(e, "cannot write results to %s: it is a directory", path);
        return -1;
    }
    return 0;
}

/* ---- the file, built in memory ------------------------------------------- */

/* The file is built by HDF5's core driver (in memory, no backing store)
 * and written out by write_image. Taking the bytes is the delicate part:
 * H5Fget_file_image in HDF5 1.10 clears the superblock's write-access flag
 * in its copy without updating the superblock checksum, so that copy does
 * not open. Instead the driver's own buffer is taken over when the file is
 * closed (file image callbacks): by then it holds exactly the bytes
 * H5Fclose would have written to disk. */

static void *img_malloc(size_t size, H5FD_file_image_op_t op, void *udata)
{
    (void)op, (void)udata;
    return malloc(size);
}

static void *img_memcpy(void *dst, const void *src, size_t size,
                        H5FD_file_image_op_t op, void *udata)
{
    (void)op, (void)udata;
    return memcpy(dst, src, size);
}

static void *img_realloc(void *ptr, size_t size, H5FD_file_image_op_t op,
                         void *udata)
{
    (void)op;
    void *p = realloc(ptr, size);
    if (p != NULL)
        ((image *)udata)->size = size;
    return p;
}

static herr_t img_free(void *ptr, H5FD_file_image_op_t op, void *udata)
{
    image *img = udata;
    if (op == H5FD_FILE_IMAGE_OP_FILE_CLOSE && img->bytes == NULL)
        img->bytes = ptr;       /* the finished file: keep it */
    else
        free(ptr);
    return 0;
}

/* The image is ours, not the property list's: copies share it. */
static void *img_udata_copy(void *udata) { return udata; }
static herr_t img_udata_free(void *udata) { (void)udata; return 0; }

/* fcpl: no timestamps on the root group either (the file creation list
 * inherits the object creation properties). fapl: 1.8 format, see h5.h;
 * strong close degree so H5Fclose fails loudly if we leaked a handle
 * rather than leaving the file open behind our back; the core driver with
 * the callbacks above, which fill img. */
static int make_file_plists(hid_t *fcpl, hid_t *fapl, image *img)
{
    H5FD_file_image_callbacks_t cb = {img_malloc, img_memcpy, img_realloc,
                                      img_free, img_udata_copy,
                                      img_udata_free, img};
    *fcpl = h5_untimed_plist(H5P_FILE_CREATE);
    *fapl = H5Pcreate(H5P_FILE_ACCESS);
    if (*fcpl < 0 || *fapl < 0 ||
        H5Pset_libver_bounds(*fapl, H5F_LIBVER_V18, H5F_LIBVER_V18) < 0 ||
        H5Pset_fclose_degree(*fapl, H5F_CLOSE_STRONG) < 0 ||
        H5Pset_fapl_core(*fapl, IMAGE_INCREMENT, 0) < 0 ||
        H5Pset_file_image_callbacks(*fapl, &cb) < 0)
        return -1;
    return 0;
}

static int write_contents(hid_t f, const run_results *r, errbuf *e)
{
    int rc = h5_write_meta(f, &r->meta, e);
    if (rc == 0)
        rc = h5_write_tables(f, r, e);
    if (rc == 0)
        rc = h5_write_timeseries(f, r, e);
    return rc;
}

/* The driver's buffer is rounded up to IMAGE_INCREMENT (zero-filled); the
 * file proper ends at the superblock's end-of-file address. With the 1.8
 * format bounds the superblock is version 2: 8-byte signature, version,
 * size of offsets, size of lengths, flags, then base, extension and
 * end-of-file addresses (HDF5 file format specification, II.A). */
static int trim_image(image *img, const char *name, errbuf *e)
{
    static const unsigned char sig[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    const unsigned char *b = img->bytes;
    if (img->size < 48 || memcmp(b, sig, 8) != 0 || b[8] != 2 || b[9] != 8) {
        errbuf_set(e, "%s: unexpected HDF5 superblock in the built file", name);
        return -1;
    }
    uint64_t eof = 0;
    for (int i = 7; i >= 0; i--)
        eof = eof << 8 | b[28 + i];
    if (eof < 48 || eof > img->size) {
        errbuf_set(e, "%s: built file ends at %llu, beyond its %zu bytes", name,
                (unsigned long long)eof, img->size);
        return -1;
    }
    img->size = (size_t)eof;
    return 0;
}

/* Builds the whole file in memory. name only identifies it to HDF5. */
static int build_image(const run_results *r, const char *name, image *img,
                       errbuf *e)
{
    hid_t fcpl = -1, fapl = -1;
    if (make_file_plists(&fcpl, &fapl, img) != 0) {
        h5_set_h5_err(e, "file property lists");
        if (fcpl >= 0)
            H5Pclose(fcpl);
        if (fapl >= 0)
            H5Pclose(fapl);
        return -1;
    }
    hid_t f = H5Fcreate(name, H5F_ACC_TRUNC, fcpl, fapl);
    H5Pclose(fcpl);
    H5Pclose(fapl);
    if (f < 0) {
        h5_set_h5_err(e, name);
        return -1;
    }
    int rc = write_contents(f, r, e);
    if (H5Fclose(f) < 0 && rc == 0) {
        h5_set_h5_err(e, name);
        rc = -1;
    }
    if (rc == 0 && img->bytes == NULL) {
        errbuf_set(e, "%s: HDF5 returned no file image", name);
        rc = -1;
    }
    return rc == 0 ? trim_image(img, name, e) : -1;
}

/* Writes the image to tmp with plain write(2) and syncs it. Doing the I/O
 * ourselves rather than through HDF5's file driver matters on a full disk:
 * HDF5 1.10 cannot recover from a failed write (H5Fclose fails, and the
 * library then crashes at exit), while here ENOSPC or EFBIG is an
 * ordinary error with its errno. */
static int write_image(const char *path, char *tmp, size_t tmpsize, const image *img,
                       errbuf *e)
{
    char msg[512];
    int fd = sf_create_temp(path, tmp, tmpsize, msg, sizeof msg);
    if (fd < 0) {
        errbuf_set(e, "%s", msg);
        return -1;
    }
    size_t done = 0;
    while (done < img->size) {
        ssize_t n = write(fd, img->bytes + done, img->size - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            errbuf_set(e, "cannot write %s: %s", tmp,
                    n < 0 ? strerror(errno) : "no progress");
            close(fd);
            return -1;
        }
        done += (size_t)n;
    }
    /* A full disk may only show at fsync or close (NFS, delayed
     * allocation): both count. */
    int rc = fsync(fd);
    int err = errno;
    if (close(fd) != 0 && rc == 0) {
        rc = -1;
        err = errno;
    }
    if (rc != 0)
        errbuf_set(e, "cannot write %s: %s", tmp, strerror(err));
    return rc == 0 ? 0 : -1;
}

/* Build in memory, write to a new temporary file (its name in tmp, or ""
 * when none was made), sync, rename over path. */
static int write_and_publish(const run_results *r, const char *path,
                             char *tmp, size_t tmpsize, errbuf *e)
{
    image img = {NULL, 0};
    /* The core driver reads an existing file of the name it is given
     * (measured: an old text file at OUT.h5 came back as a bad superblock),
     * so the in-memory file is named where no file can be: procfs refuses
     * to create one, and without /proc the name simply does not exist. */
    int rc = build_image(r, "/proc/self/sriov-sim-results-image.h5", &img, e);
    if (rc == 0)
        rc = write_image(path, tmp, tmpsize, &img, e);
    free(img.bytes);
    if (rc != 0)
        return -1;
    if (rename(tmp, path) != 0) {
        errbuf_set(e, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
        return -1;
    }
    fsync_parent_dir(path);
    return 0;
}

int h5_write_results(const run_results *r, const char *path, char *err,
                     size_t errlen)
{
    errbuf e = {err, errlen};
    errbuf_set(&e, "%s", "");
    if (r == NULL || path == NULL || path[0] == '\0') {
        errbuf_set(&e, "h5_write_results: no results or no path");
        return -1;
    }
    if (make_parent_dirs(path, &e) != 0 || refuse_directory(path, &e) != 0)
        return -1;
    if (sf_check_replaceable(path, err, errlen) != 0)
        return -1;
    size_t tmpsize;
    char *tmp = temp_buffer_for(path, &tmpsize);
    if (tmp == NULL) {
        errbuf_set(&e, "out of memory");
        return -1;
    }
    tmp[0] = '\0';
    /* We report errors ourselves; silence HDF5's stack dump to stderr for
     * the duration and restore whatever the caller had. */
    H5E_auto2_t old_fn;
    void *old_data;
    H5Eget_auto2(H5E_DEFAULT, &old_fn, &old_data);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    int rc = write_and_publish(r, path, tmp, tmpsize, &e);
    if (rc != 0 && tmp[0] != '\0')
        unlink(tmp);
    H5Eset_auto2(H5E_DEFAULT, old_fn, old_data);
    free(tmp);
    return rc;
}

int h5_check_writable(const char *path, char *err, size_t errlen)
{
    errbuf e = {err, errlen};
    errbuf_set(&e, "%s", "");
    if (path == NULL || path[0] == '\0') {
        errbuf_set(&e, "no results path");
        return -1;
    }
    /* A device, FIFO or socket is refused here, before any work: as root
     * `-o /dev/null` replaced the device with the results (safefile.h). */
    if (sf_check_replaceable(path, err, errlen) != 0)
        return -1;
    if (make_parent_dirs(path, &e) != 0 || refuse_directory(path, &e) != 0)
        return -1;
    size_t probesize;
    char *probe = temp_buffer_for(path, &probesize), msg[512];
    if (probe == NULL) {
        errbuf_set(&e, "out of memory");
        return -1;
    }
    int rc = 0;
    int fd = sf_create_temp(path, probe, probesize, msg, sizeof msg);
    if (fd < 0) {
        errbuf_set(&e, "cannot write next to %s: %s", path, strerror(errno));
        rc = -1;
    } else {
        close(fd);
        unlink(probe);
    }
    free(probe);
    return rc;
}

