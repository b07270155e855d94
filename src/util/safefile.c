/* safefile.c -- see safefile.h. */
#include "util/safefile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *kind_of(mode_t m)
{
    if (S_ISDIR(m))
        return "a directory";
    if (S_ISCHR(m))
        return "a character device";
    if (S_ISBLK(m))
        return "a block device";
    if (S_ISFIFO(m))
        return "a FIFO";
    if (S_ISSOCK(m))
        return "a socket";
    return "not a regular file";
}

int sf_check_replaceable(const char *path, char *err, size_t errlen)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return 0;   /* nothing there to replace; the writer says why it cannot create it */
    if (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode))
        return 0;
    snprintf(err, errlen, "%s is %s, not a file sriov-sim may replace; name a regular file",
             path, kind_of(st.st_mode));
    errno = EEXIST;
    return -1;
}

int sf_create_temp(const char *path, char *tmp, size_t tmpsize, char *err, size_t errlen)
{
    if ((size_t)snprintf(tmp, tmpsize, "%s.tmp.XXXXXX", path) >= tmpsize) {
        snprintf(err, errlen, "cannot write %s: path too long", path);
        errno = ENAMETOOLONG;
        return -1;
    }
    /* mkstemp opens with O_CREAT|O_EXCL and mode 0600; results are shared
     * files, so widen to what the umask allows, as fopen would. */
    int fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    mode_t um = umask(0);
    umask(um);
    if (fchmod(fd, 0644 & ~um) != 0) {
        int e = errno;
        close(fd);
        unlink(tmp);
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(e));
        errno = e;
        return -1;
    }
    return fd;
}

FILE *sf_open_replace(const char *path, char *tmp, size_t tmpsize, char *err, size_t errlen)
{
    if (sf_check_replaceable(path, err, errlen) != 0)
        return NULL;
    int fd = sf_create_temp(path, tmp, tmpsize, err, errlen);
    if (fd < 0)
        return NULL;
    FILE *f = fdopen(fd, "w");
    if (f == NULL) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        close(fd);
        unlink(tmp);
    }
    return f;
}

int sf_commit(const char *tmp, const char *path, char *err, size_t errlen)
{
    if (rename(tmp, path) != 0) {
        snprintf(err, errlen, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

int sf_close_replace(FILE *f, const char *tmp, const char *path, char *err, size_t errlen)
{
    int bad = ferror(f) != 0;
    int e = errno;
    if (fclose(f) != 0 || bad) {
        if (!bad)
            e = errno;
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(e ? e : EIO));
        unlink(tmp);
        return -1;
    }
    return sf_commit(tmp, path, err, errlen);
}

/* snprintf only with a buffer: the sweep's child calls sf_open_trunc
 * between fork and exec, where only async-signal-safe calls belong. */
#define SF_ERR(...) ((void)(errlen ? snprintf(err, errlen, __VA_ARGS__) : 0))

int sf_open_trunc(const char *path, char *err, size_t errlen)
{
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) && unlink(path) != 0) {
        int e = errno;
        SF_ERR("cannot replace the symlink %s: %s", path, strerror(e));
        errno = e;
        return -1;
    }
    /* O_NOFOLLOW: a symlink planted again since is refused (ELOOP), not
     * followed; O_NONBLOCK: opening a FIFO must not hang before it is
     * refused below. */
    int fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644);
    if (fd < 0) {
        int e = errno;
        SF_ERR("cannot write %s: %s", path, strerror(e));
        errno = e;
        return -1;
    }
    int flags = fcntl(fd, F_GETFL);
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || flags < 0 || ftruncate(fd, 0) != 0 ||
        fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
        int e = errno;
        if (!S_ISREG(st.st_mode)) {
            SF_ERR("%s is %s, not a file sriov-sim may replace; name a regular file", path,
                   kind_of(st.st_mode));
            e = EEXIST;
        } else {
            SF_ERR("cannot write %s: %s", path, strerror(e));
        }
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

FILE *sf_fopen_trunc(const char *path, char *err, size_t errlen)
{
    int fd = sf_open_trunc(path, err, errlen);
    FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
    if (fd >= 0 && f == NULL) {
        SF_ERR("cannot write %s: %s", path, strerror(errno));
        close(fd);
    }
    return f;
}
