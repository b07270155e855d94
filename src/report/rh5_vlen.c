/* rh5_vlen.c -- variable-length strings read in a child process (rh5.h).
 *
 * Why: libhdf5 1.10 follows the global-heap references of variable-length
 * data without checking them. Of 500 single-byte mutants of a results
 * file, 16 crashed the report with SIGSEGV, 1 with glibc's
 * `free(): invalid pointer` and 1 hung, all in H5HG_read under
 * H5T__conv_vlen (issue 20 item 11). The heap is libhdf5's own format and
 * checking every reference ourselves would re-implement it; a child
 * process that does the conversion and sends the strings back through a
 * pipe turns any crash or hang there into "the file is damaged", whatever
 * the bug is. Cost: one fork per string attribute or field, ~1 ms each,
 * about a dozen per report (tests/fuzz/README.md has the measurement).
 *
 * Wire format, child to parent: per string, its length as a uint64_t in
 * host order, then its bytes (no NUL). A NULL string is sent as "".
 */
#include "report/rh5.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "report/rplot.h"

/* The child's budget: a legitimate read of the largest table the report
 * accepts (rp_dataset_elements) converts a few million strings a second;
 * the hanging mutant never ends. RP_VLEN_BASE_S plus 1 s per
 * RP_VLEN_PER_S strings, and at most RP_VLEN_MAX_BYTES bytes of strings
 * (docs/guarantees.md, "Results files the report reads"). */
#define RP_VLEN_BASE_S 10.0
#define RP_VLEN_PER_S 100000.0
#define RP_VLEN_MAX_BYTES (256ull << 20)

/* The child may grow its data by this much: the hanging mutant is one
 * memcpy of a damaged length that had reached 850 MB after 5 s. Not under
 * AddressSanitizer, whose allocator reserves terabytes up front. */
#define RP_VLEN_MAX_GROWTH (1ull << 30)
#if defined(__SANITIZE_ADDRESS__)
#define RP_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RP_UNDER_ASAN 1
#endif
#endif
#ifdef RP_UNDER_ASAN
#include <sanitizer/common_interface_defs.h>
#endif

static char damage[400];     /* fits the longest note_damage() message */

const char *rp_damage(void)
{
    return damage;
}

void rp_damage_clear(void)
{
    damage[0] = '\0';
}

void rp_set_damage(const char *what)
{
    if (!damage[0])
        snprintf(damage, sizeof(damage), "%s", what);
}

static double vlen_budget_s = -1;

void rp_set_vlen_budget(double seconds)
{
    vlen_budget_s = seconds;
}

static int write_all(int fd, const void *p, size_t len)
{
    const char *c = p;
    while (len > 0) {
        ssize_t w = write(fd, c, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        c += w;
        len -= (size_t)w;
    }
    return 0;
}

/* In the child: read, send, and leave without exit handlers (libhdf5's
 * would close the parent's file state, and LSan would count the
 * never-reclaimed strings). Exit 1: libhdf5 refused the read cleanly. */
static void limit_growth(void)
{
#ifndef RP_UNDER_ASAN
    unsigned long size, resident, shared, text, lib, data;
    FILE *f = fopen("/proc/self/statm", "r");
    bool got = f && fscanf(f, "%lu %lu %lu %lu %lu %lu", &size, &resident, &shared,
                           &text, &lib, &data) == 6;
    if (f)
        fclose(f);
    if (got) {
        rlim_t cap = (rlim_t)data * (rlim_t)sysconf(_SC_PAGESIZE) + RP_VLEN_MAX_GROWTH;
        struct rlimit rl = {cap, cap};
        setrlimit(RLIMIT_DATA, &rl);
    }
#endif
}

#ifdef RP_UNDER_ASAN
/* A sanitizer's report in the child (an overlapping memcpy in H5HG_read)
 * is the file's damage like a signal, not a finding of the fuzzer, whose
 * own death callback this replaces. */
static void child_died(void)
{
    _exit(3);
}
#endif

/* The child's diagnostics (glibc's "free(): invalid pointer", a
 * sanitizer's report) would interleave with ours: the parent says what
 * happened. Crashes are the child's own, not the fuzzer's (default
 * signal dispositions). */
static void child_setup(void)
{
    int null = open("/dev/null", O_WRONLY);
    if (null >= 0) {
        dup2(null, STDERR_FILENO);
        close(null);
    }
    static const int sigs[] = {SIGSEGV, SIGBUS, SIGABRT, SIGILL, SIGFPE};
    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
        signal(sigs[i], SIG_DFL);
#ifdef RP_UNDER_ASAN
    __sanitizer_set_death_callback(child_died);
#endif
    limit_growth();
}

static void child(int fd, hid_t obj, bool is_attr, hid_t mt, size_t n)
{
    child_setup();
    char **raw = rp_alloc_array(n, sizeof(char *));
    herr_t rc = -1;
    if (raw)
        rc = is_attr ? H5Aread(obj, mt, raw)
                     : H5Dread(obj, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw);
    if (rc < 0)
        _exit(1);
    for (size_t i = 0; i < n; i++) {
        const char *s = raw[i] ? raw[i] : "";
        uint64_t len = strlen(s);
        if (write_all(fd, &len, sizeof(len)) != 0 || write_all(fd, s, len) != 0)
            _exit(1);
    }
    _exit(0);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Everything the child sends, within the budget and the size bound.
 * Returns 0 at end of stream, -1 on timeout, -2 when too large. */
static int drain(int fd, double seconds, char **buf, size_t *len)
{
    size_t cap = 0;
    double deadline = now_s() + seconds;
    for (;;) {
        double left = deadline - now_s();
        if (left <= 0)
            return -1;
        struct pollfd p = {fd, POLLIN, 0};
        int r = poll(&p, 1, (int)(left * 1000) + 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return r == 0 ? -1 : -2;
        if (*len == cap) {
            if (cap >= RP_VLEN_MAX_BYTES)
                return -2;
            cap = cap ? cap * 2 : 1 << 16;
            char *grown = realloc(*buf, cap);
            if (grown == NULL)
                return -2;
            *buf = grown;
        }
        ssize_t got = read(fd, *buf + *len, cap - *len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return got == 0 ? 0 : -2;
        *len += (size_t)got;
    }
}

/* n strings from the stream, or NULL when it is short or long. */
static char **parse(const char *buf, size_t len, size_t n)
{
    char **out = rp_alloc_array(n, sizeof(char *));
    size_t at = 0;
    for (size_t i = 0; out && i < n; i++) {
        uint64_t sl;
        if (len - at < sizeof(sl)) {
            rp_free_strings(out, n);
            return NULL;
        }
        memcpy(&sl, buf + at, sizeof(sl));
        at += sizeof(sl);
        if (sl > len - at || (out[i] = strndup(buf + at, (size_t)sl)) == NULL) {
            rp_free_strings(out, n);
            return NULL;
        }
        at += (size_t)sl;
    }
    if (out && at != len) {
        rp_free_strings(out, n);
        out = NULL;
    }
    return out;
}

static int wait_for(pid_t pid)
{
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return status;
}

static void note_damage(int drained, int status, double seconds)
{
    if (drained == -1)
        snprintf(damage, sizeof(damage), "reading its variable-length strings took "
                 "over %.0f s (a damaged global heap)", seconds);
    else if (drained == -2)
        snprintf(damage, sizeof(damage), "its variable-length strings are over %llu "
                 "bytes", (unsigned long long)RP_VLEN_MAX_BYTES);
    else if (WIFSIGNALED(status))
        snprintf(damage, sizeof(damage), "reading its variable-length strings crashed "
                 "libhdf5 (signal %d: a damaged global heap)", WTERMSIG(status));
    else if (WIFEXITED(status) && WEXITSTATUS(status) > 1)
        snprintf(damage, sizeof(damage), "reading its variable-length strings failed in "
                 "libhdf5 (a memory error: a damaged global heap)");
}

char **rp_read_vlen_strings(hid_t obj, bool is_attr, hid_t mt, size_t n)
{
    if (n == 0)
        return rp_alloc_array(1, sizeof(char *));
    if (damage[0])
        return NULL;    /* one budget per file, not one per string field */
    int fds[2];
    if (pipe(fds) != 0)
        return NULL;
    fflush(NULL);   /* nothing buffered twice */
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        child(fds[1], obj, is_attr, mt, n);
    }
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        return NULL;
    }
    double seconds = vlen_budget_s > 0 ? vlen_budget_s
                                       : RP_VLEN_BASE_S + (double)n / RP_VLEN_PER_S;
    char *buf = NULL;
    size_t len = 0;
    int drained = drain(fds[0], seconds, &buf, &len);
    if (drained != 0)
        kill(pid, SIGKILL);
    close(fds[0]);
    int status = wait_for(pid);
    char **out = NULL;
    if (drained == 0 && status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
        out = parse(buf, len, n);
    else
        note_damage(drained, status, seconds);
    free(buf);
    return out;
}
