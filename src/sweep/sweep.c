/* sweep.c -- the sweep command's steps (see sweep.h). */
#include "sweep/sweep.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sweep/emit.h"
#include "sweep/index.h"
#include "sweep/jobs.h"
#include "sweep/layout.h"
#include "sweep/plan.h"
#include "sweep/runner.h"
#include "sweep/spec.h"
#include "sweep/summary.h"
#include "scenario/load.h"
#include "util/safefile.h"
#include "util/textesc.h"

enum { EXIT_FINE = 0, EXIT_SOME_FAILED = 1, EXIT_BAD = 2 };

/* Everything one sweep holds; released by session_free(). */
typedef struct session {
    sweep_spec spec;
    ynode_doc base;
    sweep_plan plan;
    point_state *st;
    char *dir;                  /* absolute sweep directory */
    int lock_fd;                /* DIR/.sweep.lock, flock'ed; -1 none */
} session;

static void session_free(session *s)
{
    sweep_states_free(s->st, s->plan.n_points);
    sweep_plan_free(&s->plan);
    ynode_doc_free(&s->base);
    sweep_spec_free(&s->spec);
    free(s->dir);
    if (s->lock_fd >= 0)
        close(s->lock_fd);
}

static int mkdir_p(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof(buf), "%s", path);
    for (char *p = buf + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            if (mkdir(buf, 0777) != 0 && errno != EEXIST)
                return -1;
            *p = '/';
        }
    return mkdir(buf, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

/* path made absolute against the working directory: workers and
 * scheduler scripts must not depend on where they are started. */
static int absolute_path(const char *path, char *buf, size_t size)
{
    if (path[0] == '/') {
        snprintf(buf, size, "%s", path);
        return 0;
    }
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof(cwd)) == NULL)
        return -1;
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    /* Report truncation rather than hand workers a wrong path. */
    int len = snprintf(buf, size, "%s/%.*s", cwd, (int)n, path);
    return (len < 0 || (size_t)len >= size) ? -1 : 0;
}

static uint64_t base_seed(const session *s)
{
    if (s->spec.have_seed)
        return s->spec.seed;
    const ynode *sim = s->base.root->kind == YNODE_MAP ? ynode_get(s->base.root, "simulation") : NULL;
    const ynode *seed = sim && sim->kind == YNODE_MAP ? ynode_get(sim, "seed") : NULL;
    if (seed && seed->kind == YNODE_SCALAR) {
        char *end;
        unsigned long long v = strtoull(seed->text, &end, 10);
        if (!*end && seed->text[0])
            return v;
    }
    return 1;
}

/* One sweep per directory at a time: two sweeps writing index.tsv and
 * summary.h5 in one directory interleaved their rows. An exclusive flock
 * on DIR/.sweep.lock, held until the sweep ends (the kernel drops it when
 * the process dies, so a killed sweep leaves no stale lock). O_CLOEXEC:
 * the point processes do not hold it. 0, or -1 after reporting why. */
static int lock_dir(session *s, const char *file, diag *d)
{
    char path[PATH_MAX + 16];
    snprintf(path, sizeof(path), "%s/.sweep.lock", s->dir);
    s->lock_fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (s->lock_fd < 0) {
        diag_error(d, file, 0, 0, NULL, "cannot create %s: %s", path, strerror(errno));
        return -1;
    }
    if (flock(s->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        diag_error(d, file, 0, 0, "wait for it to finish, or give this sweep another "
                   "directory (-o DIR)", "another sweep is running in %s", s->dir);
        return -1;
    }
    return 0;
}

static int load_inputs(session *s, const char *file, const sweep_opts *o, diag *d)
{
    if (sweep_spec_load(file, &s->spec, d) != 0)
        return -1;
    char *text = NULL;
    size_t len = 0;
    int rc = ynode_read_file(s->spec.base, &text, &len, d);
    if (rc == 0)
        rc = ynode_parse(text, len, s->spec.base, &s->base, d);
    free(text);
    if (rc != 0)
        return -1;
    sweep_plan_build(&s->spec, base_seed(s), &s->plan);
    s->st = sweep_states_new(s->plan.n_points);
    const char *out = o->out_dir ? o->out_dir : s->spec.output;
    if (text_has_control(out)) {
        diag_error(d, file, 0, 0, "name the sweep directory without control characters",
                   "the sweep directory name contains a control character (a newline "
                   "would split jobs.txt and sweep.slurm into extra commands)");
        return -1;
    }
    char abs[PATH_MAX];
    if (mkdir_p(out) != 0 || absolute_path(out, abs, sizeof(abs)) != 0) {
        diag_error(d, file, 0, 0, NULL, "cannot create the sweep directory %s: %s", out,
                   strerror(errno));
        return -1;
    }
    s->dir = sc_xstrdup(abs);
    return lock_dir(s, file, d);
}

/* ---- point scenarios ------------------------------------------------------- */

/* Appends s to h as comment text: a C0 control, DEL, or one of the
 * Unicode line breaks libyaml honours (NEL U+0085, LS U+2028, PS U+2029)
 * would end the comment and turn the rest of a path or label into YAML
 * keys of the point's scenario; each becomes '?'. h has room (cap). */
static size_t put_comment_text(char *h, size_t len, size_t cap, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p && len + 1 < cap) {
        size_t skip = 0;
        if (*p < 0x20 || *p == 0x7f)
            skip = 1;
        else if (p[0] == 0xc2 && p[1] == 0x85)
            skip = 2;
        else if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9))
            skip = 3;
        if (skip) {
            h[len++] = '?';
            p += skip;
        } else {
            h[len++] = (char)*p++;
        }
    }
    h[len] = '\0';
    return len;
}

static char *point_header(const session *s, const sweep_point *pt)
{
    size_t cap = 256 + strlen(s->spec.file), len;
    for (size_t c = 0; c < s->plan.n_columns; c++)
        cap += strlen(s->plan.columns[c]->path.text) + strlen(pt->labels[c]) + 16;
    char *h = sc_xcalloc(cap, 1);
    len = put_comment_text(h, 0, cap, "# sweep ");
    len = put_comment_text(h, len, cap, s->spec.file);
    len += (size_t)snprintf(h + len, cap - len, ", point %04zu (rep %zu, seed %llu)\n",
                            pt->id, pt->rep, (unsigned long long)pt->seed);
    for (size_t c = 0; c < s->plan.n_columns; c++) {
        len = put_comment_text(h, len, cap, "#   ");
        len = put_comment_text(h, len, cap, s->plan.columns[c]->path.text);
        len = put_comment_text(h, len, cap, " = ");
        len = put_comment_text(h, len, cap, pt->labels[c]);
        h[len++] = '\n';
        h[len] = '\0';
    }
    return h;
}

/* The point's scenario text, or NULL after reporting why. */
static char *point_text(const session *s, const sweep_point *pt, diag *d)
{
    ynode *root = sweep_node_clone(s->base.root, s->base.file);
    char err[512], seed_text[32];
    sweep_path seed_path;
    sweep_path_parse("simulation.seed", &seed_path, err, sizeof(err));
    snprintf(seed_text, sizeof(seed_text), "%llu", (unsigned long long)pt->seed);
    ynode *seed = sweep_node_scalar(seed_text, true, NULL);
    int rc = sweep_path_set(&root, &seed_path, seed, err, sizeof(err));
    sweep_node_free(seed);
    sweep_path_free(&seed_path);
    for (size_t c = 0; rc >= 0 && c < s->plan.n_columns; c++) {
        if (sweep_param_is_label(s->plan.columns[c]))
            continue;
        rc = sweep_path_set(&root, &s->plan.columns[c]->path, pt->values[c], err, sizeof(err));
        if (rc < 0)
            ynode_error(d, s->plan.columns[c]->key, "check the path against the base scenario",
                        "cannot set %s in %s: %s", s->plan.columns[c]->path.text,
                        s->spec.base, err);
    }
    if (rc < 0 && d->n_errors == 0)
        diag_error(d, s->spec.base, 0, 0, NULL, "cannot set the seed: %s", err);
    char *header = rc < 0 ? NULL : point_header(s, pt);
    char *text = rc < 0 ? NULL : sweep_emit_yaml(root, header);
    if (rc >= 0 && text == NULL)
        diag_error(d, s->spec.base, 0, 0, NULL, "cannot write the YAML of point %zu", pt->id);
    free(header);
    sweep_node_free(root);
    return text;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    char chunk[4096];
    size_t n;
    while (mem && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        fwrite(chunk, 1, n, mem);
    if (mem)
        fclose(mem);
    fclose(f);
    return buf;
}

/* Writes the file when its text differs. Returns 1 written, 0 unchanged, -1 error. */
static int write_if_changed(const char *path, const char *text)
{
    char *old = slurp(path);
    bool same = old && strcmp(old, text) == 0;
    free(old);
    if (same)
        return 0;
    char tmp[4200], err[512];
    FILE *f = sf_open_replace(path, tmp, sizeof(tmp), err, sizeof(err));
    if (f == NULL)
        return -1;
    fputs(text, f);
    return sf_close_replace(f, tmp, path, err, sizeof(err)) == 0 ? 1 : -1;
}

/* Prints "  in sweep point NNNN (...): path=value, ..." under its errors. */
static void note_point(const session *s, const sweep_point *pt, FILE *to)
{
    fprintf(to, "  in sweep point %04zu (its scenario is not written):", pt->id);
    for (size_t c = 0; c < s->plan.n_columns; c++) {
        fputs(c ? ", " : " ", to);
        text_put_escaped(to, s->plan.columns[c]->path.text);
        fputc('=', to);
        text_put_escaped(to, pt->labels[c]);
    }
    fputc('\n', to);
}

enum { MAX_BAD_POINTS_SHOWN = 5 };

/* A report: flows / exclude_flows / vms pattern that matches nothing in the
 * scenario would silently make every metric NaN (or keep every flow): an
 * error at the pattern, checked on the first point's scenario. */
static int check_patterns(const session *s, const char *key, char *const *globs, size_t n,
                          const scenario_config *cfg, bool vms, diag *d)
{
    const ynode *rep = ynode_get(s->spec.doc.root, "report");
    const ynode *node = rep ? ynode_get(rep, key) : NULL;
    int bad = 0;
    for (size_t g = 0; g < n; g++) {
        bool hit = false;
        size_t count = vms ? cfg->n_vms : cfg->n_flows;
        for (size_t i = 0; i < count && !hit; i++)
            hit = fnmatch(globs[g], vms ? cfg->vms[i].name : cfg->flows[i].name, 0) == 0;
        if (hit)
            continue;
        const ynode *at = node && node->kind == YNODE_SEQ && g < node->n ? node->items[g] : node;
        ynode_error(d, at, vms ? "name a VM of the base scenario (shell pattern: *, ?, [..])"
                               : "name a flow of the base scenario (shell pattern: *, ?, [..])",
                    "report.%s: '%s' matches no %s of the scenario", key, globs[g],
                    vms ? "VM" : "flow");
        bad++;
    }
    return bad ? -1 : 0;
}

static int check_select(const session *s, const scenario_config *cfg, diag *d)
{
    const flow_select *sel = &s->spec.select;
    int a = check_patterns(s, "flows", sel->flows, sel->n_flows, cfg, false, d);
    int b = check_patterns(s, "exclude_flows", sel->exclude, sel->n_exclude, cfg, false, d);
    int c = check_patterns(s, "vms", sel->vms, sel->n_vms, cfg, true, d);
    return a || b || c ? -1 : 0;
}

/* Every point's scenario must load before any point runs or any file is
 * written: a misspelt parameter path (vms[7].nics[0].qos.max_rat) or a value
 * out of range otherwise launches every point and every one fails. Points
 * that differ only by repetition (the seed) are checked once. Diagnostics
 * name the file the point will have, so line:col match what is written. */
static int validate_points(session *s, const sweep_opts *o, diag *d)
{
    size_t bad = 0, checked = 0;
    FILE *to = d->stream ? d->stream : stderr;
    for (size_t i = 0; i < s->plan.n_points && bad < MAX_BAD_POINTS_SHOWN; i++) {
        const sweep_point *pt = &s->plan.points[i];
        if (pt->rep != 0)
            continue;
        char *text = point_text(s, pt, d);
        if (text == NULL)
            return -1;
        char path[4096];
        sweep_point_path(s->dir, pt->id, SWEEP_POINT_SCENARIO, path, sizeof(path));
        diag pd;
        diag_init(&pd, to);
        pd.max_errors = 3;
        scenario_config cfg;
        int rc = scenario_load_text(text, strlen(text), path, o->models, &cfg, &pd);
        free(text);
        checked++;
        if (rc == 0) {
            rc = checked == 1 ? check_select(s, &cfg, d) : 0;
            config_free(&cfg);
            if (rc != 0)
                return -1;
            continue;
        }
        note_point(s, pt, to);
        bad++;
    }
    if (bad == 0)
        return 0;
    const ynode *key = s->plan.n_columns ? s->plan.columns[0]->key : NULL;
    if (bad < MAX_BAD_POINTS_SHOWN)
        diag_error(d, s->spec.file, key ? key->line : 0, key ? key->col : 0,
                   "correct the parameter path or the values above, then run the sweep again",
                   "%zu of %zu point scenarios are not valid; no point was run", bad, checked);
    else
        diag_error(d, s->spec.file, key ? key->line : 0, key ? key->col : 0,
                   "correct the parameter path or the values above, then run the sweep again",
                   "the first %zu point scenarios checked include %zu that are not valid "
                   "(checking stopped there); no point was run", checked, bad);
    return -1;
}

static int write_points(session *s, diag *d)
{
    for (size_t i = 0; i < s->plan.n_points; i++) {
        const sweep_point *pt = &s->plan.points[i];
        char path[4096];
        sweep_point_path(s->dir, pt->id, NULL, path, sizeof(path));
        char *text = point_text(s, pt, d);
        if (text == NULL)
            return -1;
        int rc = mkdir_p(path);
        sweep_point_path(s->dir, pt->id, SWEEP_POINT_SCENARIO, path, sizeof(path));
        rc = rc == 0 ? write_if_changed(path, text) : -1;
        free(text);
        if (rc < 0) {
            diag_error(d, path, 0, 0, NULL, "cannot write: %s", strerror(errno));
            return -1;
        }
        if (rc == 1 && s->st[i].status == POINT_OK)
            s->st[i].status = POINT_PENDING;    /* its scenario changed */
    }
    return 0;
}

/* ---- state from earlier sessions --------------------------------------------- */

/* Ok points keep their state only while their results file is readable. */
static void check_done_points(session *s)
{
    for (size_t i = 0; i < s->plan.n_points; i++) {
        point_state *st = &s->st[i];
        if (st->status != POINT_OK)
            continue;
        char path[4096], err[256];
        sweep_point_path(s->dir, s->plan.points[i].id, SWEEP_POINT_RESULTS, path, sizeof(path));
        if (sweep_metrics_read(path, &s->spec.select, &st->m, err, sizeof(err)) != 0)
            st->status = POINT_PENDING;
    }
}

/* --collect: results produced by a scheduler become ok points. */
static void collect_results(session *s)
{
    for (size_t i = 0; i < s->plan.n_points; i++) {
        point_state *st = &s->st[i];
        size_t id = s->plan.points[i].id;
        char res[4096], errp[4096], err[256];
        sweep_point_path(s->dir, id, SWEEP_POINT_RESULTS, res, sizeof(res));
        sweep_point_path(s->dir, id, SWEEP_POINT_STDERR, errp, sizeof(errp));
        if (st->status == POINT_OK)
            continue;
        if (sweep_metrics_read(res, &s->spec.select, &st->m, err, sizeof(err)) == 0) {
            *st = (point_state){POINT_OK, 0, st->runs + 1, 0, NULL, st->m};
            continue;
        }
        char *line = sweep_error_line(errp);
        if (line != NULL) {
            free(st->error);
            st->error = line;
            st->status = POINT_FAILED;
        }
    }
}

/* ---- reporting --------------------------------------------------------------- */

static size_t count_status(const session *s, point_status want)
{
    size_t n = 0;
    for (size_t i = 0; i < s->plan.n_points; i++)
        n += s->st[i].status == want;
    return n;
}

static void print_dry_run(const session *s)
{
    printf("id\tstatus\trep\tseed");
    for (size_t c = 0; c < s->plan.n_columns; c++)
        printf("\t%s", s->plan.columns[c]->path.text);
    putchar('\n');
    for (size_t i = 0; i < s->plan.n_points; i++) {
        const sweep_point *pt = &s->plan.points[i];
        printf("%04zu\t%s\t%zu\t%llu", pt->id, sweep_status_name(s->st[i].status), pt->rep,
               (unsigned long long)pt->seed);
        for (size_t c = 0; c < s->plan.n_columns; c++)
            printf("\t%s", pt->labels[c]);
        putchar('\n');
    }
}

static void print_failures(const session *s)
{
    for (size_t i = 0; i < s->plan.n_points; i++)
        if (s->st[i].status == POINT_FAILED)
            fprintf(stderr, "sriov-sim sweep: point %04zu failed (exit %d): %s\n  see %s/points/%04zu/%s\n",
                    s->plan.points[i].id, s->st[i].exit_code,
                    s->st[i].error ? s->st[i].error : "(no message)", s->dir,
                    s->plan.points[i].id, SWEEP_POINT_STDERR);
}

static int finish(const session *s, const runner_outcome *ro)
{
    char err[512];
    if (sweep_summary_write(s->dir, s->spec.file, &s->plan, s->st, s->spec.p99_target_s, err,
                            sizeof(err)) != 0) {
        fprintf(stderr, "sriov-sim sweep: %s\n", err);
        return EXIT_SOME_FAILED;
    }
    size_t ok = count_status(s, POINT_OK), failed = count_status(s, POINT_FAILED);
    size_t pending = s->plan.n_points - ok - failed;
    print_failures(s);
    printf("sweep: %zu points: %zu ok, %zu failed, %zu pending (%zu run now)\n"
           "  index: %s/%s\n  summary: %s/%s\n",
           s->plan.n_points, ok, failed, pending, ro->ran, s->dir, SWEEP_INDEX, s->dir,
           SWEEP_SUMMARY);
    if (ro->interrupted)
        fprintf(stderr, "sriov-sim sweep: interrupted; run the same command again to resume\n");
    return failed || pending || ro->interrupted ? EXIT_SOME_FAILED : EXIT_FINE;
}

static int emit(const session *s, const sweep_opts *o)
{
    jobs_ctx c = {o->exe, o->models, s->dir, s->spec.file};
    char err[512];
    size_t n = 0;
    int rc = o->mode == SWEEP_EMIT_SLURM ? sweep_write_slurm(&c, &s->plan, s->st, &n, err, sizeof(err))
                                         : sweep_write_joblist(&c, &s->plan, s->st, &n, err, sizeof(err));
    if (rc == 0)
        rc = sweep_index_write(s->dir, &s->plan, s->st, err, sizeof(err));
    if (rc != 0) {
        fprintf(stderr, "sriov-sim sweep: %s\n", err);
        return EXIT_SOME_FAILED;
    }
    printf("%s/%s: %zu point%s to run\n", s->dir,
           o->mode == SWEEP_EMIT_SLURM ? "sweep.slurm" : "jobs.txt", n, n == 1 ? "" : "s");
    return EXIT_FINE;
}

static int dispatch(session *s, const sweep_opts *o)
{
    runner_outcome ro = {0, 0, 0, false};
    char err[512];
    switch (o->mode) {
    case SWEEP_DRY_RUN:
        print_dry_run(s);
        return sweep_index_write(s->dir, &s->plan, s->st, err, sizeof(err)) == 0 ? EXIT_FINE
                                                                                 : EXIT_SOME_FAILED;
    case SWEEP_EMIT_SLURM:
    case SWEEP_EMIT_JOBS:
        return emit(s, o);
    case SWEEP_COLLECT:
        collect_results(s);
        if (sweep_index_write(s->dir, &s->plan, s->st, err, sizeof(err)) != 0)
            break;
        return finish(s, &ro);
    case SWEEP_RUN: {
        runner_opts ropt = {o->exe, o->models, s->dir, o->jobs, o->progress, o->stop,
                          &s->spec.select};
        if (sweep_run_points(&ropt, &s->plan, s->st, &ro, err, sizeof(err)) != 0)
            break;
        return finish(s, &ro);
    }
    }
    fprintf(stderr, "sriov-sim sweep: %s\n", err);
    return EXIT_SOME_FAILED;
}

int sweep_execute(const char *sweep_file, const sweep_opts *o, diag *d)
{
    session s;
    memset(&s, 0, sizeof(s));
    s.lock_fd = -1;
    int rc = EXIT_BAD;
    if (load_inputs(&s, sweep_file, o, d) == 0) {
        sweep_index_load(s.dir, &s.plan, s.st);
        check_done_points(&s);
        if (validate_points(&s, o, d) == 0 && write_points(&s, d) == 0)
            rc = dispatch(&s, o);
    }
    session_free(&s);
    return rc;
}
