/* rplot.c -- plumbing shared by the report figures: error buffer, text
 * output, running gnuplot on a template, index entries (see rplot.h). */
#include "report/rplot.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/datadir.h"
#include "util/safefile.h"
#include "util/textesc.h"


void *rp_alloc_array(size_t n, size_t size)
{
    return calloc(n ? n : 1, size);
}

void rp_free_strings(char **s, size_t n)
{
    for (size_t i = 0; s && i < n; i++)
        free(s[i]);
    free(s);
}

/* ---- text export ---------------------------------------------------------- */

char *rp_path_join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p != NULL)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* One whitespace-free token for gnuplot: names become column headers and
 * tic labels; '#' would start a comment. */
void rp_put_token(FILE *f, const char *name)
{
    if (name[0] == '\0')
        fputc('_', f);
    for (const char *p = name; *p; p++)
        fputc(isspace((unsigned char)*p) || *p == '"' || *p == '#' ? '_' : *p,
              f);
}

FILE *rp_open_out(const char *dir, const char *name, errbuf *e)
{
    char *path = rp_path_join(dir, name), msg[600] = "out of memory";
    FILE *f = path ? sf_fopen_trunc(path, msg, sizeof(msg)) : NULL;
    if (f == NULL)
        errbuf_set(e, "%s", msg);
    free(path);
    return f;
}

int rp_open_log(const char *dir, char **path, errbuf *e)
{
    char msg[600] = "out of memory";
    *path = rp_path_join(dir, "gnuplot.log");
    int fd = *path ? sf_open_trunc(*path, msg, sizeof(msg)) : -1;
    if (fd < 0)
        errbuf_set(e, "%s", msg);
    return fd;
}

int rp_close_out(FILE *f, const char *name, errbuf *e)
{
    bool bad = ferror(f) != 0;
    if (fclose(f) != 0 || bad) {
        errbuf_set(e, "cannot write %s: %s", name, strerror(errno));
        return -1;
    }
    return 0;
}

/* ---- running gnuplot ------------------------------------------------------ */

/* The first executable `name` on $PATH, owned, or NULL. */
char *rp_find_on_path(const char *name)
{
    const char *path = getenv("PATH");
    if (path == NULL || path[0] == '\0')
        return NULL;
    while (true) {
        const char *end = strchr(path, ':');
        size_t len = end ? (size_t)(end - path) : strlen(path);
        char *dir = len ? strndup(path, len) : strdup(".");
        char *cand = dir ? rp_path_join(dir, name) : NULL;
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
    return getcwd(cwd, sizeof(cwd)) ? rp_path_join(cwd, dir) : NULL;
}

/* The template directory, absolute, checked to exist. Owned or NULL. */
char *rp_templates_dir(errbuf *e)
{
    const char *env = getenv("SRIOV_SCRIPTS_DIR");
    const char *dir = env && env[0] ? env : datadir_find("report", SRIOV_SOURCE_DIR "/scripts/report");
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        errbuf_set(e, "report templates directory %s not found (set SRIOV_SCRIPTS_DIR)",
                dir);
        return NULL;
    }
    char *abs = absolute(dir);
    if (abs == NULL)
        errbuf_set(e, "cannot resolve %s: %s", dir, strerror(errno));
    return abs;
}


/* Append s to buf as a gnuplot single-quoted string: '' escapes ', and
 * nothing else is special inside one, so no name, label or unit from a
 * results or summary file can end the string and become gnuplot code
 * (gnuplot's system() runs shell commands). Control characters become
 * '_': a newline would end the -e command line. */
void rp_put_quoted(char *buf, size_t size, const char *s)
{
    size_t n = strlen(buf);
    if (n + 1 < size)
        buf[n++] = '\'';
    for (; *s && n + 3 < size; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '\'')
            buf[n++] = '\'';
        buf[n++] = ch < 0x20 || ch == 0x7f ? '_' : (char)ch;
    }
    if (n + 1 < size)
        buf[n++] = '\'';
    buf[n] = '\0';
}

/* The -e argument: datafile='..'; outfile='..'; fmt='..'; title='..';
 * nseries=N; then the job's extra assignments. Names only, relative
 * to out_dir. */
static void job_assignments(const plot_job *j, char *buf, size_t size)
{
    char name[128];
    buf[0] = '\0';
    snprintf(name, sizeof(name), "%s.dat", j->figure);
    strncat(buf, "datafile=", size - strlen(buf) - 1);
    rp_put_quoted(buf, size, name);
    snprintf(name, sizeof(name), "%s.%s", j->figure, j->fmt);
    strncat(buf, "; outfile=", size - strlen(buf) - 1);
    rp_put_quoted(buf, size, name);
    strncat(buf, "; fmt=", size - strlen(buf) - 1);
    rp_put_quoted(buf, size, j->fmt);
    strncat(buf, "; title=", size - strlen(buf) - 1);
    rp_put_quoted(buf, size, j->title);
    snprintf(name, sizeof(name), "; nseries=%zu", j->n_series);
    strncat(buf, name, size - strlen(buf) - 1);
    if (j->extra != NULL && j->extra[0] != '\0') {
        strncat(buf, "; ", size - strlen(buf) - 1);
        strncat(buf, j->extra, size - strlen(buf) - 1);
    }
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


static int output_nonempty(const char *dir, const plot_job *j)
{
    char name[128];
    snprintf(name, sizeof(name), "%s.%s", j->figure, j->fmt);
    char *path = rp_path_join(dir, name);
    struct stat st;
    int ok = path && stat(path, &st) == 0 && st.st_size > 0;
    free(path);
    return ok;
}

/* gnuplot opens its output with fopen("w"), which would follow a symlink
 * planted at the figure's name or write into a FIFO: the name is made a
 * fresh regular file first (safefile.h). 0 or -1. */
static int prepare_output(const char *dir, const plot_job *j, errbuf *e)
{
    char name[128], msg[600] = "out of memory";
    snprintf(name, sizeof(name), "%s.%s", j->figure, j->fmt);
    char *path = rp_path_join(dir, name);
    int fd = path ? sf_open_trunc(path, msg, sizeof(msg)) : -1;
    free(path);
    if (fd < 0) {
        errbuf_set(e, "%s", msg);
        return -1;
    }
    close(fd);
    return 0;
}

static int rp_run_plot(const plot_env *env, const plot_job *j, errbuf *e)
{
    char assign[2048], tname[128];
    if (prepare_output(env->out_dir, j, e) != 0)
        return -1;
    job_assignments(j, assign, sizeof(assign));
    snprintf(tname, sizeof(tname), "%s.gp", j->template ? j->template : j->figure);
    char *template = rp_path_join(env->templates, tname);
    if (template == NULL) {
        errbuf_set(e, "out of memory");
        return -1;
    }
    pid_t pid = fork();
    if (pid == 0)
        exec_gnuplot(env->gnuplot, env->out_dir, assign, template, env->logfd);
    int status = pid < 0 ? -1 : wait_child(pid);
    free(template);
    if (pid < 0) {
        errbuf_set(e, "cannot start gnuplot: %s", strerror(errno));
        return -1;
    }
    if (status != 0 || !output_nonempty(env->out_dir, j)) {
        errbuf_set(e, "gnuplot failed drawing %s.%s (exit status %d); see %s/gnuplot.log",
                j->figure, j->fmt, status, env->out_dir);
        return -1;
    }
    return 0;
}

/* Both formats of one figure. */
int rp_draw(const plot_env *env, const char *template, const char *figure,
            const char *title, size_t n_series, const char *extra, errbuf *e)
{
    plot_job png = {figure, title, "png", n_series, template, extra};
    plot_job svg = {figure, title, "svg", n_series, template, extra};
    return rp_run_plot(env, &png, e) || rp_run_plot(env, &svg, e) ? -1 : 0;
}

/* ---- index.md ---------------------------------------------------------------- */


/* s as one POSIX shell word in double quotes, with \ $ ` " escaped, so
 * the gnuplot assignments of the redraw line stay readable ('...' inside
 * '...' would not). '!' (history expansion in an interactive bash) and
 * control characters (a newline would end the markdown code line) become
 * '_'. The redraw line is meant to be pasted into a shell, where an
 * unescaped "$(...)" from a label would run. */
static void put_shell_dq(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch < 0x20 || ch == 0x7f || ch == '!')
            fputc('_', f);
        else {
            if (strchr("\\$`\"", ch))
                fputc('\\', f);
            fputc(ch, f);
        }
    }
    fputc('"', f);
}

void rp_index_figure(FILE *f, const figure_entry *fe, const char *templates)
{
    /* a sweep's headings hold parameter names from summary.h5: escaped,
     * so that no newline in one starts a heading of its own */
    fputs("## ", f);
    text_put_escaped(f, fe->heading);
    fputs("\n\n", f);
    if (!fe->drawn) {
        fputs("Not drawn: ", f);
        text_put_escaped(f, fe->note);
        fputs(".\n\n", f);
        return;
    }
    fputs("![", f);
    text_put_escaped(f, fe->heading);
    fprintf(f, "](%s.png)\n\n[SVG](%s.svg) · data: `%s.dat`\n\n", fe->figure, fe->figure,
            fe->figure);
    if (fe->note != NULL) {
        text_put_escaped(f, fe->note);
        fputs("\n\n", f);
    }
    char assign[2048], tname[160];
    plot_job j = {fe->figure, fe->heading, "png", 0, fe->template, fe->extra};
    job_assignments(&j, assign, sizeof(assign));
    snprintf(tname, sizeof(tname), "%s/%s.gp", templates, fe->template ? fe->template : fe->figure);
    fprintf(f, "Redraw (in this directory, after editing the template):\n\n    gnuplot -e ");
    put_shell_dq(f, assign);
    fputc(' ', f);
    text_put_shell_word(f, tname);
    fputs("\n\n", f);
}

int rp_make_dir(const char *dir, errbuf *e)
{
    struct stat st;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        errbuf_set(e, "cannot create %s: %s", dir, strerror(errno));
        return -1;
    }
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        errbuf_set(e, "%s is not a directory", dir);
        return -1;
    }
    return 0;
}
