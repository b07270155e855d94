/* report.c -- results file -> plain-text data -> gnuplot figures + index.md
 * (file list and template contract: see report.h).
 *
 * Three stages, each a section below: read what the figures need from the
 * HDF5 file (tolerating missing pieces), export it as gnuplot-friendly
 * text, then run one gnuplot process per figure and format. The data stays
 * in the file's units (bit/s, fractions, bytes); the templates convert to
 * Gbit/s, % and GB, so users editing a template see the raw data.
 */
#include "report/report.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <hdf5.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#if H5_VERSION_GE(1, 12, 0)
#define reclaim_vlen(type, space, buf) H5Treclaim(type, space, H5P_DEFAULT, buf)
#else
#define reclaim_vlen(type, space, buf) H5Dvlen_reclaim(type, space, H5P_DEFAULT, buf)
#endif

/* Above this many flows the legend would hide the plot: the template
 * drops it and the index says so. */
#define MAX_LEGEND_ENTRIES 24

typedef struct errbuf {
    char *msg;
    size_t len;
} errbuf;

static void set_err(errbuf *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void set_err(errbuf *e, const char *fmt, ...)
{
    if (e->msg == NULL || e->len == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, e->len, fmt, ap);
    va_end(ap);
}

static void *alloc_array(size_t n, size_t size)
{
    return calloc(n ? n : 1, size);
}

static void free_strings(char **s, size_t n)
{
    for (size_t i = 0; s && i < n; i++)
        free(s[i]);
    free(s);
}

/* ---- reading the results file --------------------------------------- */

/* Columns of a 2-D series (or one table's columns), owned. */
typedef struct matrix {
    size_t rows, cols;
    double *v;          /* [rows * cols], row-major */
    char **names;       /* [cols] */
} matrix;

static void matrix_free(matrix *m)
{
    free(m->v);
    free_strings(m->names, m->cols);
    memset(m, 0, sizeof(*m));
}

/* Memory string type in the file's character set (HDF5 does not convert
 * between ASCII and UTF-8), variable-length or of `size` bytes. */
static hid_t string_type_like(hid_t ftype, size_t size)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t >= 0 && (H5Tset_size(t, size) < 0 ||
                   H5Tset_cset(t, H5Tget_cset(ftype)) < 0)) {
        H5Tclose(t);
        t = -1;
    }
    return t;
}

/* Memory type: the string type itself, or for a table a one-member
 * compound selecting `field` (HDF5 matches members by name). */
static hid_t wrap_field(hid_t st, const char *field, size_t size)
{
    if (field == NULL)
        return H5Tcopy(st);
    hid_t ct = H5Tcreate(H5T_COMPOUND, size);
    if (ct >= 0 && H5Tinsert(ct, field, 0, st) < 0) {
        H5Tclose(ct);
        ct = -1;
    }
    return ct;
}

static herr_t read_obj(hid_t obj, bool is_attr, hid_t mtype, void *buf)
{
    return is_attr ? H5Aread(obj, mtype, buf)
                   : H5Dread(obj, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
}

static char **copy_vlen(hid_t obj, bool is_attr, hid_t mt, size_t n)
{
    char **raw = alloc_array(n, sizeof(char *));
    char **out = alloc_array(n, sizeof(char *));
    bool ok = raw && out && (n == 0 || read_obj(obj, is_attr, mt, raw) >= 0);
    for (size_t i = 0; ok && i < n; i++)
        ok = (out[i] = strdup(raw[i] ? raw[i] : "")) != NULL;
    if (raw && n > 0) {
        hsize_t dims[1] = {n};
        hid_t space = H5Screate_simple(1, dims, NULL);
        reclaim_vlen(mt, space, raw);
        H5Sclose(space);
    }
    free(raw);
    if (!ok) {
        free_strings(out, n);
        out = NULL;
    }
    return out;
}

static char **copy_fixed(hid_t obj, bool is_attr, hid_t mt, size_t width,
                         size_t n)
{
    char *raw = alloc_array(n, width);
    char **out = alloc_array(n, sizeof(char *));
    bool ok = raw && out && (n == 0 || read_obj(obj, is_attr, mt, raw) >= 0);
    for (size_t i = 0; ok && i < n; i++)
        ok = (out[i] = strndup(raw + i * width, width)) != NULL;
    free(raw);
    if (!ok) {
        free_strings(out, n);
        out = NULL;
    }
    return out;
}

/* n strings from an attribute (field NULL) or a table field, whose file
 * string type is ftype. Returns an owned array or NULL. */
static char **read_strings(hid_t obj, bool is_attr, const char *field,
                           hid_t ftype, size_t n)
{
    bool vlen = H5Tis_variable_str(ftype) > 0;
    size_t width = vlen ? sizeof(char *) : H5Tget_size(ftype) + 1;
    hid_t st = string_type_like(ftype, vlen ? H5T_VARIABLE : width);
    hid_t mt = st < 0 ? -1 : wrap_field(st, field, width);
    char **out = NULL;
    if (mt >= 0)
        out = vlen ? copy_vlen(obj, is_attr, mt, n)
                   : copy_fixed(obj, is_attr, mt, width, n);
    if (mt >= 0)
        H5Tclose(mt);
    if (st >= 0)
        H5Tclose(st);
    return out;
}

/* The 1-D string attribute `name` of obj if it has exactly n entries. */
static char **read_string_attr(hid_t obj, const char *name, size_t n)
{
    if (H5Aexists(obj, name) <= 0)
        return NULL;
    char **out = NULL;
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    hid_t ft = a < 0 ? -1 : H5Aget_type(a);
    hid_t sp = a < 0 ? -1 : H5Aget_space(a);
    if (ft >= 0 && sp >= 0 && H5Tget_class(ft) == H5T_STRING &&
        (size_t)H5Sget_simple_extent_npoints(sp) == n)
        out = read_strings(a, true, NULL, ft, n);
    if (sp >= 0)
        H5Sclose(sp);
    if (ft >= 0)
        H5Tclose(ft);
    if (a >= 0)
        H5Aclose(a);
    return out;
}

/* "col1".."colN" for series without a usable columns attribute. */
static char **default_names(size_t n)
{
    char **out = alloc_array(n, sizeof(char *));
    for (size_t i = 0; out && i < n; i++) {
        char buf[32];
        snprintf(buf, sizeof(buf), "col%zu", i + 1);
        if ((out[i] = strdup(buf)) == NULL) {
            free_strings(out, n);
            return NULL;
        }
    }
    return out;
}

/* A 1-D or 2-D numeric dataset as doubles. Returns 0, or -1 if missing
 * or unreadable (not an error for the report: the figure is skipped). */
static int read_numeric(hid_t file, const char *path, int want_rank,
                        matrix *m)
{
    memset(m, 0, sizeof(*m));
    hid_t d = H5Dopen2(file, path, H5P_DEFAULT);
    if (d < 0)
        return -1;
    hid_t sp = H5Dget_space(d);
    hsize_t dims[2] = {0, 1};
    int rc = -1;
    if (sp >= 0 && H5Sget_simple_extent_ndims(sp) == want_rank &&
        H5Sget_simple_extent_dims(sp, dims, NULL) >= 0) {
        m->rows = (size_t)dims[0];
        m->cols = (size_t)dims[1];
        m->v = alloc_array(m->rows * m->cols, sizeof(double));
        if (m->v != NULL &&
            (m->rows * m->cols == 0 ||
             H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                     m->v) >= 0))
            rc = 0;
    }
    if (rc == 0) {
        m->names = read_string_attr(d, "columns", m->cols);
        if (m->names == NULL)
            m->names = default_names(m->cols);
        rc = m->names ? 0 : -1;
    }
    if (sp >= 0)
        H5Sclose(sp);
    H5Dclose(d);
    if (rc != 0)
        matrix_free(m);
    return rc;
}

static double *read_number_field(hid_t d, const char *field, size_t n)
{
    double *v = alloc_array(n, sizeof(double));
    hid_t mt = H5Tcreate(H5T_COMPOUND, sizeof(double));
    bool ok = v && mt >= 0 && H5Tinsert(mt, field, 0, H5T_NATIVE_DOUBLE) >= 0 &&
              (n == 0 || H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0);
    if (mt >= 0)
        H5Tclose(mt);
    if (!ok) {
        free(v);
        v = NULL;
    }
    return v;
}

static char **read_string_field(hid_t d, const char *field, size_t n)
{
    hid_t ft = H5Dget_type(d);
    int idx = ft < 0 ? -1 : H5Tget_member_index(ft, field);
    hid_t mt = idx < 0 ? -1 : H5Tget_member_type(ft, (unsigned)idx);
    char **out = NULL;
    if (mt >= 0 && H5Tget_class(mt) == H5T_STRING)
        out = read_strings(d, false, field, mt, n);
    if (mt >= 0)
        H5Tclose(mt);
    if (ft >= 0)
        H5Tclose(ft);
    return out;
}

/* Per flow: what was offered and what arrived, from /flows. */
typedef struct delivery {
    size_t n;
    char **names;
    double *offered_bytes;
    double *delivered_bytes;
} delivery;

static void delivery_free(delivery *dv)
{
    free_strings(dv->names, dv->n);
    free(dv->offered_bytes);
    free(dv->delivered_bytes);
    memset(dv, 0, sizeof(*dv));
}

static int read_delivery(hid_t file, delivery *dv)
{
    memset(dv, 0, sizeof(*dv));
    hid_t d = H5Dopen2(file, "/flows", H5P_DEFAULT);
    if (d < 0)
        return -1;
    hid_t sp = H5Dget_space(d);
    dv->n = sp < 0 ? 0 : (size_t)H5Sget_simple_extent_npoints(sp);
    dv->names = read_string_field(d, "name", dv->n);
    dv->offered_bytes = read_number_field(d, "offered_bytes", dv->n);
    dv->delivered_bytes = read_number_field(d, "delivered_bytes", dv->n);
    if (sp >= 0)
        H5Sclose(sp);
    H5Dclose(d);
    if (!dv->names || !dv->offered_bytes || !dv->delivered_bytes) {
        delivery_free(dv);
        return -1;
    }
    return 0;
}

/* A scalar string attribute, or NULL. */
static char *read_scalar_string_attr(hid_t file, const char *obj,
                                     const char *name)
{
    if (H5Aexists_by_name(file, obj, name, H5P_DEFAULT) <= 0)
        return NULL;
    hid_t o = H5Oopen(file, obj, H5P_DEFAULT);
    char **s = o < 0 ? NULL : read_string_attr(o, name, 1);
    if (o >= 0)
        H5Oclose(o);
    char *out = s ? s[0] : NULL;
    free(s);
    return out;
}

/* ---- what the figures need ---------------------------------------------- */

typedef struct report_data {
    char *scenario_name;    /* may be NULL */
    matrix time;            /* [n_samples x 1] */
    matrix flows;           /* flow_throughput_bps */
    matrix links;           /* link_utilisation */
    delivery delivery;
    bool have_time, have_flows, have_links, have_delivery;
} report_data;

static void report_data_free(report_data *rd)
{
    free(rd->scenario_name);
    matrix_free(&rd->time);
    matrix_free(&rd->flows);
    delivery_free(&rd->delivery);
    matrix_free(&rd->links);
}

/* A series is plottable when it has columns and one row per time sample. */
static bool plottable(const report_data *rd, const matrix *m)
{
    return rd->have_time && m->cols > 0 && m->rows > 0 &&
           m->rows == rd->time.rows;
}

static int load_report_data(const char *h5_path, report_data *rd, errbuf *e)
{
    memset(rd, 0, sizeof(*rd));
    hid_t file = H5Fopen(h5_path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (file < 0) {
        set_err(e, "cannot open %s as an HDF5 results file", h5_path);
        return -1;
    }
    rd->scenario_name = read_scalar_string_attr(file, "/meta", "scenario_name");
    rd->have_time = read_numeric(file, "/timeseries/time_s", 1, &rd->time) == 0;
    rd->have_flows = read_numeric(file, "/timeseries/flow_throughput_bps", 2,
                                  &rd->flows) == 0 &&
                     plottable(rd, &rd->flows);
    rd->have_links = read_numeric(file, "/timeseries/link_utilisation", 2,
                                  &rd->links) == 0 &&
                     plottable(rd, &rd->links);
    rd->have_delivery = read_delivery(file, &rd->delivery) == 0 &&
                        rd->delivery.n > 0;
    if (H5Fclose(file) < 0) {
        set_err(e, "cannot close %s", h5_path);
        return -1;
    }
    return 0;
}

/* ---- text export ---------------------------------------------------------- */

static char *path_join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p != NULL)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* One whitespace-free token for gnuplot: names become column headers and
 * tic labels; '#' would start a comment. */
static void put_token(FILE *f, const char *name)
{
    if (name[0] == '\0')
        fputc('_', f);
    for (const char *p = name; *p; p++)
        fputc(isspace((unsigned char)*p) || *p == '"' || *p == '#' ? '_' : *p,
              f);
}

static FILE *open_out(const char *dir, const char *name, errbuf *e)
{
    char *path = path_join(dir, name);
    FILE *f = path ? fopen(path, "w") : NULL;
    if (f == NULL)
        set_err(e, "cannot write %s/%s: %s", dir, name, strerror(errno));
    free(path);
    return f;
}

static int close_out(FILE *f, const char *name, errbuf *e)
{
    bool bad = ferror(f) != 0;
    if (fclose(f) != 0 || bad) {
        set_err(e, "cannot write %s: %s", name, strerror(errno));
        return -1;
    }
    return 0;
}

/* time_s then the chosen columns of m, one line per sample. */
static int export_series(const char *dir, const char *name, const char *what,
                         const matrix *time, const matrix *m,
                         const size_t *cols, size_t n_cols, errbuf *e)
{
    FILE *f = open_out(dir, name, e);
    if (f == NULL)
        return -1;
    fprintf(f, "# %s; column 1 in s\ntime_s", what);
    for (size_t c = 0; c < n_cols; c++) {
        fputc(' ', f);
        put_token(f, m->names[cols[c]]);
    }
    fputc('\n', f);
    for (size_t t = 0; t < m->rows; t++) {
        fprintf(f, "%.12g", time->v[t]);
        for (size_t c = 0; c < n_cols; c++)
            fprintf(f, " %.12g", m->v[t * m->cols + cols[c]]);
        fputc('\n', f);
    }
    return close_out(f, name, e);
}

static int export_delivery(const char *dir, const delivery *dv, errbuf *e)
{
    FILE *f = open_out(dir, "flow_delivery.dat", e);
    if (f == NULL)
        return -1;
    fputs("# flow offered_bytes delivered_bytes (bytes)\n", f);
    for (size_t i = 0; i < dv->n; i++) {
        put_token(f, dv->names[i]);
        fprintf(f, " %.12g %.12g\n", dv->offered_bytes[i],
                dv->delivered_bytes[i]);
    }
    return close_out(f, "flow_delivery.dat", e);
}

static double column_peak(const matrix *m, size_t c)
{
    double peak = 0;
    for (size_t t = 0; t < m->rows; t++)
        if (m->v[t * m->cols + c] > peak)
            peak = m->v[t * m->cols + c];
    return peak;
}

/* Indices of the (at most) k columns with the highest peak, highest first;
 * ties keep file order so the choice is deterministic. Selection sort: k
 * and the link count are small. Returns how many were chosen. */
static size_t top_columns_by_peak(const matrix *m, size_t *out, size_t k)
{
    double *peak = alloc_array(m->cols, sizeof(double));
    bool *taken = alloc_array(m->cols, sizeof(bool));
    size_t n = 0;
    for (size_t c = 0; peak && taken && c < m->cols; c++)
        peak[c] = column_peak(m, c);
    while (peak && taken && n < k && n < m->cols) {
        size_t best = m->cols;
        for (size_t c = 0; c < m->cols; c++)
            if (!taken[c] && (best == m->cols || peak[c] > peak[best]))
                best = c;
        taken[best] = true;
        out[n++] = best;
    }
    free(peak);
    free(taken);
    return n;
}

static int export_flows(const char *dir, const report_data *rd, errbuf *e)
{
    size_t *cols = alloc_array(rd->flows.cols, sizeof(size_t));
    if (cols == NULL) {
        set_err(e, "out of memory");
        return -1;
    }
    for (size_t c = 0; c < rd->flows.cols; c++)
        cols[c] = c;
    int rc = export_series(dir, "flow_throughput.dat",
                           "throughput per flow in bit/s", &rd->time,
                           &rd->flows, cols, rd->flows.cols, e);
    free(cols);
    return rc;
}

static int export_links(const char *dir, const report_data *rd,
                        size_t *n_shown, errbuf *e)
{
    size_t top[REPORT_TOP_LINKS];
    *n_shown = top_columns_by_peak(&rd->links, top, REPORT_TOP_LINKS);
    return export_series(dir, "link_utilisation.dat",
                         "utilisation (fraction 0..1) of the links with the "
                         "highest peak, highest first",
                         &rd->time, &rd->links, top, *n_shown, e);
}

/* ---- running gnuplot ------------------------------------------------------ */

/* The first executable `name` on $PATH, owned, or NULL. */
static char *find_on_path(const char *name)
{
    const char *path = getenv("PATH");
    if (path == NULL || path[0] == '\0')
        return NULL;
    while (true) {
        const char *end = strchr(path, ':');
        size_t len = end ? (size_t)(end - path) : strlen(path);
        char *dir = len ? strndup(path, len) : strdup(".");
        char *cand = dir ? path_join(dir, name) : NULL;
        free(dir);
        if (cand != NULL && access(cand, X_OK) == 0)
            return cand;
        free(cand);
        if (end == NULL)
            return NULL;
        path = end + 1;
    }
}

/* dir made absolute against the current directory (gnuplot runs in
 * out_dir, so relative paths would point elsewhere). Owned or NULL. */
static char *absolute(const char *dir)
{
    if (dir[0] == '/')
        return strdup(dir);
    char cwd[PATH_MAX];
    return getcwd(cwd, sizeof(cwd)) ? path_join(cwd, dir) : NULL;
}

/* The template directory, absolute, checked to exist. Owned or NULL. */
static char *templates_dir(errbuf *e)
{
    const char *env = getenv("SRIOV_SCRIPTS_DIR");
    const char *dir = env && env[0] ? env : SRIOV_SOURCE_DIR "/scripts/report";
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        set_err(e, "report templates directory %s not found (set SRIOV_SCRIPTS_DIR)",
                dir);
        return NULL;
    }
    char *abs = absolute(dir);
    if (abs == NULL)
        set_err(e, "cannot resolve %s: %s", dir, strerror(errno));
    return abs;
}

/* What one gnuplot run draws. */
typedef struct plot_job {
    const char *figure;     /* template and output basename */
    const char *title;
    const char *fmt;        /* "png" | "svg" */
    size_t n_series;        /* lines in the plot, for the legend decision */
} plot_job;

/* Append s to buf as a gnuplot single-quoted string ('' escapes '). */
static void put_quoted(char *buf, size_t size, const char *s)
{
    size_t n = strlen(buf);
    if (n + 1 < size)
        buf[n++] = '\'';
    for (; *s && n + 3 < size; s++) {
        if (*s == '\'')
            buf[n++] = '\'';
        buf[n++] = *s;
    }
    if (n + 1 < size)
        buf[n++] = '\'';
    buf[n] = '\0';
}

/* The -e argument: datafile='..'; outfile='..'; fmt='..'; title='..';
 * nseries=N. Names only, relative to out_dir. */
static void job_assignments(const plot_job *j, char *buf, size_t size)
{
    char name[128];
    buf[0] = '\0';
    snprintf(name, sizeof(name), "%s.dat", j->figure);
    strncat(buf, "datafile=", size - strlen(buf) - 1);
    put_quoted(buf, size, name);
    snprintf(name, sizeof(name), "%s.%s", j->figure, j->fmt);
    strncat(buf, "; outfile=", size - strlen(buf) - 1);
    put_quoted(buf, size, name);
    strncat(buf, "; fmt=", size - strlen(buf) - 1);
    put_quoted(buf, size, j->fmt);
    strncat(buf, "; title=", size - strlen(buf) - 1);
    put_quoted(buf, size, j->title);
    snprintf(name, sizeof(name), "; nseries=%zu", j->n_series);
    strncat(buf, name, size - strlen(buf) - 1);
}

/* Child side: never returns. Only async-signal-safe calls before exec. */
static void exec_gnuplot(const char *gnuplot, const char *out_dir,
                         const char *assign, const char *template, int logfd)
{
    int devnull = open("/dev/null", O_RDONLY);
    if (chdir(out_dir) != 0 || devnull < 0 || dup2(devnull, 0) < 0 ||
        dup2(logfd, 1) < 0 || dup2(logfd, 2) < 0)
        _exit(126);
    char *const argv[] = {(char *)"gnuplot", (char *)"-e", (char *)assign,
                          (char *)template, NULL};
    execv(gnuplot, argv);
    _exit(127);
}

static int wait_child(pid_t pid)
{
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

typedef struct plot_env {
    const char *gnuplot;    /* absolute path */
    const char *templates;  /* absolute dir */
    const char *out_dir;
    int logfd;
} plot_env;

static int output_nonempty(const char *dir, const plot_job *j)
{
    char name[128];
    snprintf(name, sizeof(name), "%s.%s", j->figure, j->fmt);
    char *path = path_join(dir, name);
    struct stat st;
    int ok = path && stat(path, &st) == 0 && st.st_size > 0;
    free(path);
    return ok;
}

static int run_plot(const plot_env *env, const plot_job *j, errbuf *e)
{
    char assign[1024], tname[128];
    job_assignments(j, assign, sizeof(assign));
    snprintf(tname, sizeof(tname), "%s.gp", j->figure);
    char *template = path_join(env->templates, tname);
    if (template == NULL) {
        set_err(e, "out of memory");
        return -1;
    }
    pid_t pid = fork();
    if (pid == 0)
        exec_gnuplot(env->gnuplot, env->out_dir, assign, template, env->logfd);
    int status = pid < 0 ? -1 : wait_child(pid);
    free(template);
    if (pid < 0) {
        set_err(e, "cannot start gnuplot: %s", strerror(errno));
        return -1;
    }
    if (status != 0 || !output_nonempty(env->out_dir, j)) {
        set_err(e, "gnuplot failed drawing %s.%s (exit status %d); see %s/gnuplot.log",
                j->figure, j->fmt, status, env->out_dir);
        return -1;
    }
    return 0;
}

/* Both formats of one figure. */
static int draw(const plot_env *env, const char *figure, const char *title,
                size_t n_series, errbuf *e)
{
    plot_job png = {figure, title, "png", n_series};
    plot_job svg = {figure, title, "svg", n_series};
    return run_plot(env, &png, e) || run_plot(env, &svg, e) ? -1 : 0;
}

/* ---- index.md ---------------------------------------------------------------- */

typedef struct figure_entry {
    const char *figure;
    const char *heading;
    bool drawn;
    const char *note;       /* why skipped, or a remark; may be NULL */
} figure_entry;

static void index_figure(FILE *f, const figure_entry *fe, const char *templates)
{
    fprintf(f, "## %s\n\n", fe->heading);
    if (!fe->drawn) {
        fprintf(f, "Not drawn: %s.\n\n", fe->note);
        return;
    }
    fprintf(f, "![%s](%s.png)\n\n[SVG](%s.svg) · data: `%s.dat`\n\n",
            fe->heading, fe->figure, fe->figure, fe->figure);
    if (fe->note != NULL)
        fprintf(f, "%s\n\n", fe->note);
    fprintf(f, "Redraw (in this directory, after editing the template):\n\n"
               "    gnuplot -e \"datafile='%s.dat'; outfile='%s.png'; fmt='png'\" "
               "%s/%s.gp\n\n",
            fe->figure, fe->figure, templates, fe->figure);
}

static int write_index(const char *out_dir, const char *h5_path,
                       const report_data *rd, const figure_entry *figs,
                       size_t n, const char *templates, errbuf *e)
{
    FILE *f = open_out(out_dir, "index.md", e);
    if (f == NULL)
        return -1;
    fprintf(f, "# sriov-sim report: %s\n\nResults file: `%s`\n\n",
            rd->scenario_name ? rd->scenario_name : "(unnamed)", h5_path);
    for (size_t i = 0; i < n; i++)
        index_figure(f, &figs[i], templates);
    fputs("gnuplot's messages are in `gnuplot.log`.\n", f);
    return close_out(f, "index.md", e);
}

/* ---- the report ------------------------------------------------------------------ */

static int make_dir(const char *dir, errbuf *e)
{
    struct stat st;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        set_err(e, "cannot create %s: %s", dir, strerror(errno));
        return -1;
    }
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        set_err(e, "%s is not a directory", dir);
        return -1;
    }
    return 0;
}

/* Export and draw every figure whose data is there; fill figs[3]. */
static int draw_all(const plot_env *env, const report_data *rd,
                    figure_entry figs[3], errbuf *e)
{
    static const char *no_series = "the file has no samples or no columns";
    size_t n_links = 0;
    figs[0] = (figure_entry){"flow_throughput", "Throughput per flow",
                             rd->have_flows, rd->have_flows ? NULL : no_series};
    figs[1] = (figure_entry){"link_utilisation", "Link utilisation",
                             rd->have_links, rd->have_links ? NULL : no_series};
    figs[2] = (figure_entry){"flow_delivery", "Offered vs delivered per flow",
                             rd->have_delivery,
                             rd->have_delivery ? NULL : "the file has no flows"};
    if (rd->have_flows && rd->flows.cols > MAX_LEGEND_ENTRIES)
        figs[0].note = "Legend omitted: too many flows to label.";
    if (rd->have_links)
        figs[1].note = "Only the links with the highest peak utilisation "
                       "are drawn (see link_utilisation.dat).";
    if ((rd->have_flows &&
         (export_flows(env->out_dir, rd, e) ||
          draw(env, "flow_throughput", "Throughput per flow", rd->flows.cols, e))) ||
        (rd->have_links &&
         (export_links(env->out_dir, rd, &n_links, e) ||
          draw(env, "link_utilisation", "Link utilisation (top links by peak)",
               n_links, e))) ||
        (rd->have_delivery &&
         (export_delivery(env->out_dir, &rd->delivery, e) ||
          draw(env, "flow_delivery", "Offered vs delivered per flow",
               rd->delivery.n, e))))
        return -1;
    return 0;
}

/* Everything that needs cleaning up, in one place. */
typedef struct report_run {
    report_data data;
    char *gnuplot;
    char *templates;
    char *log_path;
    int logfd;
} report_run;

static int prepare(report_run *rr, const char *h5_path, const char *out_dir,
                   errbuf *e)
{
    if (load_report_data(h5_path, &rr->data, e) != 0)
        return -1;
    rr->gnuplot = find_on_path("gnuplot");
    if (rr->gnuplot == NULL) {
        set_err(e, "gnuplot not found on PATH (install gnuplot-nox)");
        return -1;
    }
    if ((rr->templates = templates_dir(e)) == NULL || make_dir(out_dir, e) != 0)
        return -1;
    rr->log_path = path_join(out_dir, "gnuplot.log");
    rr->logfd = rr->log_path ? open(rr->log_path,
                                    O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666)
                             : -1;
    if (rr->logfd < 0) {
        set_err(e, "cannot write %s/gnuplot.log", out_dir);
        return -1;
    }
    return 0;
}

int report_write(const char *h5_path, const char *out_dir, char *err,
                 size_t errlen)
{
    errbuf e = {err, errlen};
    set_err(&e, "%s", "");
    if (h5_path == NULL || out_dir == NULL || out_dir[0] == '\0') {
        set_err(&e, "report_write: no results file or no output directory");
        return -1;
    }
    /* Missing pieces are expected; report our own messages instead of
     * HDF5's stack dumps, and restore the caller's handler after. */
    H5E_auto2_t old_fn;
    void *old_data;
    H5Eget_auto2(H5E_DEFAULT, &old_fn, &old_data);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);

    report_run rr;
    memset(&rr, 0, sizeof(rr));
    rr.logfd = -1;
    figure_entry figs[3];
    int rc = prepare(&rr, h5_path, out_dir, &e);
    if (rc == 0) {
        plot_env env = {rr.gnuplot, rr.templates, out_dir, rr.logfd};
        rc = draw_all(&env, &rr.data, figs, &e);
    }
    if (rc == 0)
        rc = write_index(out_dir, h5_path, &rr.data, figs, 3, rr.templates, &e);

    if (rr.logfd >= 0)
        close(rr.logfd);
    free(rr.log_path);
    free(rr.templates);
    free(rr.gnuplot);
    report_data_free(&rr.data);
    H5Eset_auto2(H5E_DEFAULT, old_fn, old_data);
    return rc;
}
