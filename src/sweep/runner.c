/* runner.c -- fork/exec of sweep points with a bounded number of workers. */
#include "sweep/runner.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sweep/layout.h"
#include "util/safefile.h"

typedef struct slot {
    pid_t pid;                  /* 0 when free */
    size_t point;
    double started;
} slot;

typedef struct run_state {
    const runner_opts *o;
    const sweep_plan *p;
    point_state *st;
    slot *slots;
    size_t running, next, todo, done_before;
    double t0;
    runner_outcome *out;
} run_state;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

char *sweep_error_line(const char *stderr_path)
{
    FILE *f = fopen(stderr_path, "r");
    if (f == NULL)
        return NULL;
    char *line = NULL, *found = NULL, *last = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '\0')
            continue;
        if (strstr(line, "error") != NULL && found == NULL)
            found = strdup(line);
        free(last);
        last = strdup(line);
    }
    free(line);
    fclose(f);
    if (found != NULL) {
        free(last);
        return found;
    }
    return last;
}

/* ---- progress ------------------------------------------------------------ */

static void draw_progress(const run_state *rs)
{
    if (!rs->o->progress)
        return;
    size_t total = rs->p->n_points;
    size_t finished = rs->out->ok + rs->out->failed;
    size_t done = rs->done_before + finished;
    size_t failed = 0;
    for (size_t i = 0; i < total; i++)
        failed += rs->st[i].status == POINT_FAILED;
    char bar[31];
    size_t fill = total ? done * 30 / total : 30;
    for (size_t i = 0; i < 30; i++)
        bar[i] = i < fill ? '#' : '-';
    bar[30] = '\0';
    char eta[32] = "--:--";
    double elapsed = now_s() - rs->t0;
    if (finished > 0) {
        double left = elapsed / (double)finished * (double)(rs->todo - finished);
        snprintf(eta, sizeof(eta), "%d:%02d", (int)left / 60, (int)left % 60);
    }
    fprintf(stderr, "\r[%s] %zu/%zu done, %zu failed, %zu running, ETA %s  ", bar,
            done, total, failed, rs->running, eta);
    fflush(stderr);
}

/* ---- launching ------------------------------------------------------------- */

/* Child side: never returns. */
static void exec_point(const runner_opts *o, size_t id, pid_t parent)
{
    char scn[4096], res[4096], errp[4096];
    /* Die with the sweep: after a kill -9 of the sweep a point kept
     * running orphaned (harmless, resume reruns it, but it held a core).
     * The parent may already be gone by the time the signal is armed. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
        _exit(125);
    sweep_point_path(o->dir, id, SWEEP_POINT_SCENARIO, scn, sizeof(scn));
    sweep_point_path(o->dir, id, SWEEP_POINT_RESULTS, res, sizeof(res));
    sweep_point_path(o->dir, id, SWEEP_POINT_STDERR, errp, sizeof(errp));
    int efd = sf_open_trunc(errp, NULL, 0);    /* never through a planted symlink */
    int nul = open("/dev/null", O_RDWR);
    if (efd < 0 || nul < 0 || dup2(nul, 0) < 0 || dup2(nul, 1) < 0 || dup2(efd, 2) < 0)
        _exit(126);
    char *const argv[] = {(char *)"sriov-sim", (char *)"run", scn, (char *)"-o", res,
                          (char *)"--quiet", (char *)"--models", (char *)o->models,
                          NULL};
    execv(o->exe, argv);
    dprintf(2, "sriov-sim sweep: cannot run %s: %s\n", o->exe, strerror(errno));
    _exit(127);
}

static int launch(run_state *rs, size_t point, char *err, size_t errlen)
{
    char res[4096];
    size_t id = rs->p->points[point].id;
    sweep_point_path(rs->o->dir, id, SWEEP_POINT_RESULTS, res, sizeof(res));
    unlink(res);    /* a failed rerun must not leave an old file looking fresh */
    fflush(NULL);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "cannot start a worker: %s", strerror(errno));
        return -1;
    }
    if (pid == 0)
        exec_point(rs->o, id, parent);
    for (int i = 0; i < rs->o->jobs; i++)
        if (rs->slots[i].pid == 0) {
            rs->slots[i] = (slot){pid, point, now_s()};
            break;
        }
    rs->running++;
    return 0;
}

/* ---- finishing --------------------------------------------------------------- */

static int exit_code_of(int status)
{
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void record(run_state *rs, const slot *sl, int status)
{
    point_state *s = &rs->st[sl->point];
    size_t id = rs->p->points[sl->point].id;
    char res[4096], errp[4096], msg[256];
    sweep_point_path(rs->o->dir, id, SWEEP_POINT_RESULTS, res, sizeof(res));
    sweep_point_path(rs->o->dir, id, SWEEP_POINT_STDERR, errp, sizeof(errp));
    s->exit_code = exit_code_of(status);
    s->runs++;
    s->wall_s = now_s() - sl->started;
    free(s->error);
    s->error = NULL;
    sweep_metrics_clear(&s->m);
    if (s->exit_code == 0 && sweep_metrics_read(res, rs->o->select, &s->m, msg, sizeof(msg)) == 0) {
        s->status = POINT_OK;
        rs->out->ok++;
        return;
    }
    s->status = POINT_FAILED;
    rs->out->failed++;
    s->error = sweep_error_line(errp);
    if (s->error == NULL) {
        if (s->exit_code == 0)
            s->error = strdup(msg);
        else if (s->exit_code > 128)
            snprintf(msg, sizeof(msg), "killed by signal %d", s->exit_code - 128),
                s->error = strdup(msg);
        else
            snprintf(msg, sizeof(msg), "exit status %d", s->exit_code),
                s->error = strdup(msg);
    }
    if (rs->o->progress)
        fprintf(stderr, "\r\033[Kpoint %04zu failed: %s\n", id, s->error);
}

static slot *find_slot(run_state *rs, pid_t pid)
{
    for (int i = 0; i < rs->o->jobs; i++)
        if (rs->slots[i].pid == pid)
            return &rs->slots[i];
    return NULL;
}

/* Waits for one of our children. Returns 1 after recording it, 0 when
 * interrupted by a signal, -1 when there is none. */
static int reap_one(run_state *rs)
{
    int status;
    pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0)
        return errno == EINTR ? 0 : -1;
    slot *sl = find_slot(rs, pid);
    if (sl == NULL)
        return 1;   /* not a point (cannot happen: we start no other child) */
    rs->running--;
    if (!*rs->o->stop || exit_code_of(status) == 0)
        record(rs, sl, status);
    sl->pid = 0;
    return 1;
}

/* Stops the running points: they stay pending and rerun next time. */
static void terminate_all(run_state *rs)
{
    for (int i = 0; i < rs->o->jobs; i++)
        if (rs->slots[i].pid > 0)
            kill(rs->slots[i].pid, SIGTERM);
    while (rs->running > 0 && reap_one(rs) >= 0) {
    }
}

static size_t next_todo(const run_state *rs, size_t from)
{
    while (from < rs->p->n_points && rs->st[from].status == POINT_OK)
        from++;
    return from;
}

static int run_loop(run_state *rs, char *err, size_t errlen)
{
    rs->next = next_todo(rs, 0);
    while (!*rs->o->stop && (rs->running > 0 || rs->next < rs->p->n_points)) {
        while (!*rs->o->stop && rs->running < (size_t)rs->o->jobs &&
               rs->next < rs->p->n_points) {
            if (launch(rs, rs->next, err, errlen) != 0)
                return -1;
            rs->next = next_todo(rs, rs->next + 1);
        }
        draw_progress(rs);
        int r = reap_one(rs);
        if (r < 0)
            break;
        if (r > 0 && sweep_index_write(rs->o->dir, rs->p, rs->st, err, errlen) != 0)
            return -1;
    }
    return 0;
}

int sweep_run_points(const runner_opts *o, const sweep_plan *p, point_state *st,
                     runner_outcome *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof(*out));
    run_state rs = {o, p, st, calloc((size_t)o->jobs, sizeof(slot)), 0, 0, 0, 0, now_s(), out};
    for (size_t i = 0; i < p->n_points; i++) {
        rs.todo += st[i].status != POINT_OK;
        rs.done_before += st[i].status == POINT_OK;
    }
    int rc = run_loop(&rs, err, errlen);
    if (*o->stop || rc != 0) {
        out->interrupted = *o->stop != 0;
        terminate_all(&rs);
    }
    draw_progress(&rs);
    if (o->progress)
        fputc('\n', stderr);
    out->ran = out->ok + out->failed;
    free(rs.slots);
    if (rc == 0)
        rc = sweep_index_write(o->dir, p, st, err, errlen);
    return rc;
}
