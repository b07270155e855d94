/* jobs.c -- jobs.txt (GNU parallel) and sweep.slurm (job array) writers. */
#include "sweep/jobs.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "sweep/layout.h"
#include "util/safefile.h"
#include "util/textesc.h"

/* Job files are line-oriented (jobs.txt: one command per line; the Slurm
 * script's comments and #SBATCH lines): a newline in any path they carry
 * would start a command of its own, so such paths are refused. 0 or -1. */
static int check_paths(const jobs_ctx *c, char *err, size_t errlen)
{
    const char *what[] = {"the sweep file", "the sriov-sim executable", "the models directory",
                          "the sweep directory"};
    const char *v[] = {c->sweep_file, c->exe, c->models, c->dir};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        if (v[i] && text_has_control(v[i])) {
            snprintf(err, errlen, "the path of %s contains a control character; job "
                     "files cannot carry it safely: rename it", what[i]);
            return -1;
        }
    return 0;
}

/* dir/name through a new temporary file renamed over it (safefile.h): a
 * symlink planted at jobs.txt or sweep.slurm is replaced, not followed. */
static FILE *open_in_dir(const char *dir, const char *name, char *path, size_t size,
                         char *tmp, size_t tmpsize, char *err, size_t errlen)
{
    snprintf(path, size, "%s/%s", dir, name);
    return sf_open_replace(path, tmp, tmpsize, err, errlen);
}

static void put_point_command(FILE *f, const jobs_ctx *c, size_t id)
{
    char path[4096];
    text_put_shell_word(f, c->exe);
    fputs(" run ", f);
    sweep_point_path(c->dir, id, SWEEP_POINT_SCENARIO, path, sizeof(path));
    text_put_shell_word(f, path);
    fputs(" -o ", f);
    sweep_point_path(c->dir, id, SWEEP_POINT_RESULTS, path, sizeof(path));
    text_put_shell_word(f, path);
    fputs(" --quiet --models ", f);
    text_put_shell_word(f, c->models);
    fputs(" 2> ", f);
    sweep_point_path(c->dir, id, SWEEP_POINT_STDERR, path, sizeof(path));
    text_put_shell_word(f, path);
}

int sweep_write_joblist(const jobs_ctx *c, const sweep_plan *p,
                        const point_state *st, size_t *n_jobs, char *err,
                        size_t errlen)
{
    char path[4096], tmp[4200];
    if (check_paths(c, err, errlen) != 0)
        return -1;
    FILE *f = open_in_dir(c->dir, "jobs.txt", path, sizeof(path), tmp, sizeof(tmp), err, errlen);
    if (f == NULL)
        return -1;
    *n_jobs = 0;
    for (size_t i = 0; i < p->n_points; i++) {
        if (st[i].status == POINT_OK)
            continue;
        put_point_command(f, c, p->points[i].id);
        fputc('\n', f);
        (*n_jobs)++;
    }
    return sf_close_replace(f, tmp, path, err, errlen);
}

static void slurm_header(FILE *f, const jobs_ctx *c, size_t n)
{
    fputs("#!/bin/bash\n", f);
    fprintf(f, "# Slurm job array for the sweep %s: one task per point not yet done.\n"
               "# Submit:   sbatch %s/sweep.slurm\n"
               "# Then:     sriov-sim sweep %s --collect\n",
            c->sweep_file, c->dir, c->sweep_file);
    fputs("#SBATCH --job-name=sriov-sweep\n#SBATCH --ntasks=1\n#SBATCH --cpus-per-task=1\n", f);
    if (n > 0)
        fprintf(f, "#SBATCH --array=0-%zu\n", n - 1);
    fprintf(f, "#SBATCH --output=%s/points/slurm-%%A_%%a.out\n", c->dir);
    fputs("set -euo pipefail\n", f);
}

int sweep_write_slurm(const jobs_ctx *c, const sweep_plan *p,
                      const point_state *st, size_t *n_jobs, char *err,
                      size_t errlen)
{
    char path[4096], tmp[4200];
    size_t n = 0;
    if (check_paths(c, err, errlen) != 0)
        return -1;
    for (size_t i = 0; i < p->n_points; i++)
        n += st[i].status != POINT_OK;
    FILE *f = open_in_dir(c->dir, "sweep.slurm", path, sizeof(path), tmp, sizeof(tmp), err,
                          errlen);
    if (f == NULL)
        return -1;
    slurm_header(f, c, n);
    fputs("points=(", f);
    const char *sep = "";
    for (size_t i = 0; i < p->n_points; i++)
        if (st[i].status != POINT_OK) {
            fprintf(f, "%s%04zu", sep, p->points[i].id);
            sep = " ";
        }
    fputs(")\n", f);
    if (n == 0)
        fputs("echo 'every point is done'; exit 0\n", f);
    fputs("id=${points[${SLURM_ARRAY_TASK_ID:?run with sbatch}]}\n", f);
    fputs("dir=", f);
    text_put_shell_word(f, c->dir);
    fputs("/points/$id\nexec ", f);
    text_put_shell_word(f, c->exe);
    fputs(" run \"$dir/scenario.yaml\" -o \"$dir/results.h5\" --quiet --models ", f);
    text_put_shell_word(f, c->models);
    fputs(" 2> \"$dir/stderr.txt\"\n", f);
    *n_jobs = n;
    int rc = sf_close_replace(f, tmp, path, err, errlen);
    if (rc == 0)
        chmod(path, 0755);
    return rc;
}
