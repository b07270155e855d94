/* wl_cdf_file.c -- reads a flow-size CDF file (models/workloads/NAME.cdf or a
 * scenario's own) into a wl_cdf, reporting FILE:LINE:COL errors.
 *
 * Format: one point per line, "SIZE_BYTES PROBABILITY" (plain decimal
 * numbers, blanks between), '#' starts a comment, blank lines are
 * skipped. Sizes strictly increase (the first may be 0 only with
 * probability 0), probabilities do not decrease, lie in [0, 1] and the last
 * is 1. At least 2 and at most WL_MAX_CDF_POINTS points; the file at most
 * WL_MAX_CDF_FILE_BYTES.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/load_internal.h"
#include "scenario/wl_load.h"

typedef struct cdf_reader {
    diag *d;
    const char *path;
    wl_cdf *out;
    size_t cap;
    int errors;
} cdf_reader;

static void cdf_err(cdf_reader *r, int line, int col, const char *hint, const char *msg)
{
    diag_error(r->d, r->path, line, col, hint, "%s", msg);
    r->errors++;
}

/* A plain decimal number at *p (no unit, no sign, finite); advances *p. */
static int read_number(const char **p, double *v)
{
    const char *s = *p;
    if (!((*s >= '0' && *s <= '9') || *s == '.'))
        return -1;
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    if (end == s || errno != 0 || !isfinite(*v))
        return -1;
    *p = end;
    return 0;
}

static void add_point(cdf_reader *r, int line, int col, double x, double p)
{
    wl_cdf *c = r->out;
    if (c->n == WL_MAX_CDF_POINTS) {
        if (c->n == WL_MAX_CDF_POINTS && r->errors == 0)
            cdf_err(r, line, col, "merge points: at most 100000 are read",
                    "too many points in the CDF");
        return;
    }
    if (p < 0 || p > 1) {
        cdf_err(r, line, col, "write the cumulative probability as a fraction 0..1",
                "probability outside [0, 1]");
        return;
    }
    if (c->n > 0 && !(x > c->size_bytes[c->n - 1])) {
        cdf_err(r, line, col, "sort the points by size, each size once",
                "sizes must strictly increase");
        return;
    }
    if (c->n > 0 && p < c->p[c->n - 1]) {
        cdf_err(r, line, col, "a CDF never decreases", "probability decreases");
        return;
    }
    if (x < 1 && p > 0) {
        cdf_err(r, line, col, "flows have at least 1 byte",
                "a size below 1 byte with a probability above 0");
        return;
    }
    if (c->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 64;
        c->size_bytes = sc_xrealloc(c->size_bytes, r->cap, sizeof *c->size_bytes);
        c->p = sc_xrealloc(c->p, r->cap, sizeof *c->p);
    }
    c->size_bytes[c->n] = x;
    c->p[c->n++] = p;
}

static void read_line(cdf_reader *r, const char *s, int line)
{
    const char *p = s;
    while (*p == ' ' || *p == '\t' || *p == '\r')
        p++;
    if (*p == '\0' || *p == '#')
        return;
    double x, prob;
    int col = (int)(p - s) + 1;
    if (read_number(&p, &x) != 0 || !(*p == ' ' || *p == '\t')) {
        cdf_err(r, line, col, "write SIZE_BYTES PROBABILITY, e.g. 10000 0.15",
                "expected a size in bytes (a plain number)");
        return;
    }
    while (*p == ' ' || *p == '\t')
        p++;
    int pcol = (int)(p - s) + 1;
    if (read_number(&p, &prob) != 0) {
        cdf_err(r, line, pcol, "write SIZE_BYTES PROBABILITY, e.g. 10000 0.15",
                "expected a cumulative probability (a plain number 0..1)");
        return;
    }
    while (*p == ' ' || *p == '\t' || *p == '\r')
        p++;
    if (*p != '\0' && *p != '#') {
        cdf_err(r, line, (int)(p - s) + 1, "one point per line", "unexpected text after the point");
        return;
    }
    add_point(r, line, col, x, prob);
}

static double cdf_mean(const wl_cdf *c)
{
    double m = c->p[0] * c->size_bytes[0];
    for (size_t i = 1; i < c->n; i++)
        m += (c->p[i] - c->p[i - 1]) * 0.5 * (c->size_bytes[i] + c->size_bytes[i - 1]);
    return m;
}

int wl_cdf_read(const char *path, wl_cdf *out, diag *d)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_error(d, path, 0, 0, NULL, "cannot open: %s", strerror(errno));
        return -1;
    }
    cdf_reader r = {.d = d, .path = path, .out = out};
    char buf[512];
    int line = 0;
    size_t total = 0;
    while (fgets(buf, sizeof buf, f)) {
        size_t len = strlen(buf);
        total += len;
        line++;
        if (total > WL_MAX_CDF_FILE_BYTES) {
            cdf_err(&r, line, 1, "keep a CDF file under 4 MiB", "the CDF file is too large");
            break;
        }
        if (len == sizeof buf - 1 && buf[len - 1] != '\n') {
            cdf_err(&r, line, 1, "keep lines under 510 characters", "line too long");
            break;
        }
        if (memchr(buf, '\0', len) != NULL || strlen(buf) != len)
            break;
        buf[strcspn(buf, "\n")] = '\0';
        read_line(&r, buf, line);
        if (r.errors >= 20)
            break;
    }
    fclose(f);
    if (!r.errors && out->n < 2)
        cdf_err(&r, line ? line : 1, 1, "give at least 2 points", "a CDF needs at least 2 points");
    if (!r.errors && fabs(out->p[out->n - 1] - 1) > 1e-9)
        cdf_err(&r, line, 1, "end the CDF at probability 1", "the last probability is not 1");
    if (r.errors) {
        free(out->size_bytes);
        free(out->p);
        memset(out, 0, sizeof *out);
        return -1;
    }
    out->p[out->n - 1] = 1;
    out->mean_bytes = cdf_mean(out);
    return 0;
}
