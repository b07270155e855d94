/* report_topology.c -- `sriov-sim report --topology`: the platform of a
 * results file as a Graphviz picture coloured by link utilisation (what is
 * drawn: rtopo.h; the DOT text: rtopo_dot.c).
 *
 * Reads /meta/resolved and /links with the report's tolerant readers
 * (rh5.h), loads the resolved scenario with the scenario loader (so that
 * groups expand exactly as in the run), writes topology.dot, then runs dot
 * (Graphviz) without a shell: fork/execv with an argv array, its output
 * (PNG, SVG) on a file descriptor we opened ourselves through safefile.h,
 * so dot never opens an output path (no symlink to follow), its stderr in
 * dot.log. Without dot on PATH the .dot file is still written and the
 * call fails with a message saying how to install or render it.
 */
#include "report/report.h"
#include "report/rcheck.h"
#include "report/rh5.h"
#include "report/rplot.h"
#include "report/rtopo.h"
#include "scenario/load.h"
#include "util/safefile.h"
#include "util/textesc.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- reading ---------------------------------------------------------------------- */

void rp_topo_in_free(topo_in *in)
{
    free(in->scenario_name);
    free(in->resolved);
    rp_free_strings(in->link_name, in->n_links);
    free(in->mean_util);
    free(in->peak_util);
    free(in->bytes);
    strmap_free(&in->by_name);
    memset(in, 0, sizeof(*in));
}

/* /links: every column the picture needs, or none (n_links 0). */
static void read_links(hid_t file, topo_in *in)
{
    hid_t d = H5Lexists(file, "/links", H5P_DEFAULT) > 0 ? H5Dopen2(file, "/links", H5P_DEFAULT)
                                                         : -1;
    if (d < 0)
        return;
    hssize_t rows = rp_dataset_elements(d);
    size_t n = rows < 0 ? 0 : (size_t)rows;
    char **names = rp_read_string_field(d, "name", n);
    double *mean = rp_read_number_field(d, "mean_utilisation", n);
    double *peak = rp_read_number_field(d, "peak_utilisation", n);
    double *bytes = rp_read_number_field(d, "bytes", n);
    H5Dclose(d);
    if (!names || !mean || !peak || !bytes) {
        rp_free_strings(names, names ? n : 0);
        free(mean);
        free(peak);
        free(bytes);
        return;
    }
    in->n_links = n;
    in->link_name = names;
    in->mean_util = mean;
    in->peak_util = peak;
    in->bytes = bytes;
    /* the first row of a name wins: a damaged file may repeat one */
    for (size_t i = n; i-- > 0;)
        if (strmap_put(&in->by_name, names[i], (int)i) != 0)
            break;
}

int rp_topo_read(hid_t file, topo_in *in)
{
    memset(in, 0, sizeof(*in));
    rp_damage_clear();
    in->scenario_name = rp_read_scalar_string_attr(file, "/meta", "scenario_name");
    if (H5Lexists(file, "/meta", H5P_DEFAULT) > 0)
        in->resolved = rp_read_scalar_string_dataset(file, "/meta/resolved");
    read_links(file, in);
    return rp_damage()[0] || in->resolved == NULL ? -1 : 0;
}

int rp_check_topology(hid_t file)
{
    topo_in in;
    int rc = rp_topo_read(file, &in);
    /* the lookups the picture makes, on whatever names the file holds */
    for (size_t i = 0; i < in.n_links; i++)
        (void)rp_topo_link(&in, in.link_name[i]);
    rp_topo_in_free(&in);
    return rc;
}

static void use_row(const topo_in *in, int row, link_use *u, int d)
{
    u->found = true;
    u->mean[d] = in->mean_util[row];
    u->peak[d] = in->peak_util[row];
    if (isfinite(in->bytes[row]) && in->bytes[row] > 0)
        u->bytes += in->bytes[row];
}

link_use rp_topo_link(const topo_in *in, const char *name)
{
    link_use u = {false, false, {NAN, NAN}, {NAN, NAN}, 0};
    if (in->n_links == 0)
        return u;
    int row = strmap_get(&in->by_name, name);
    if (row >= 0) {
        use_row(in, row, &u, 0);
        return u;
    }
    char buf[512];
    snprintf(buf, sizeof buf, "%s_UP", name);
    int up = strmap_get(&in->by_name, buf);
    snprintf(buf, sizeof buf, "%s_DOWN", name);
    int down = strmap_get(&in->by_name, buf);
    if (up >= 0)
        use_row(in, up, &u, 0);
    if (down >= 0)
        use_row(in, down, &u, 1);
    u.split = up >= 0 && down >= 0;
    if (up < 0 && down >= 0) {
        u.mean[0] = u.mean[1];
        u.peak[0] = u.peak[1];
    }
    return u;
}

/* The platform from /meta/resolved, loaded as the run loaded it. The
 * loader's messages go to a buffer; the first line becomes the error. */
static int load_platform(const char *h5_path, const topo_in *in, const char *models_dir,
                         scenario_config *cfg, errbuf *e)
{
    char *msgs = NULL;
    size_t len = 0;
    FILE *mf = open_memstream(&msgs, &len);
    if (mf == NULL) {
        errbuf_set(e, "out of memory");
        return -1;
    }
    diag d;
    diag_init(&d, mf);
    d.max_errors = 1;
    char where[600];
    snprintf(where, sizeof where, "%s:/meta/resolved", h5_path);
    int rc = scenario_load_text(in->resolved, strlen(in->resolved), where,
                                scenario_models_dir(models_dir), cfg, &d);
    fclose(mf);
    if (rc != 0) {
        char *nl = msgs ? strchr(msgs, '\n') : NULL;
        if (nl)
            *nl = '\0';
        errbuf_set(e, "cannot load the platform of %s from its /meta/resolved: %s (fix: if the "
                   "run used --models DIR, give the same --models DIR)",
                   h5_path, msgs && msgs[0] ? msgs : "the scenario loader refused it");
    }
    free(msgs);
    return rc != 0 ? -1 : 0;
}

static int open_results(const char *h5_path, topo_in *in, errbuf *e)
{
    hid_t file = H5Fopen(h5_path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (file < 0) {
        errbuf_set(e, "cannot open %s as an HDF5 results file", h5_path);
        return -1;
    }
    int rc = rp_topo_read(file, in);
    H5Fclose(file);
    if (rc != 0 && rp_damage()[0])
        errbuf_set(e, "%s is damaged: %s", h5_path, rp_damage());
    else if (rc != 0)
        errbuf_set(e, "%s has no readable /meta/resolved (the scenario as run), so its platform "
                   "is unknown; fix: re-run the scenario with this sriov-sim", h5_path);
    return rc;
}

/* ---- running dot ------------------------------------------------------------------- */

/* Child side: never returns. Only async-signal-safe calls before exec. */
static void exec_dot(const char *dot, const char *dir, const char *fmt_arg, int outfd,
                     int logfd)
{
    int devnull = open("/dev/null", O_RDONLY);
    if (chdir(dir) != 0 || devnull < 0 || dup2(devnull, 0) < 0 || dup2(outfd, 1) < 0 ||
        dup2(logfd, 2) < 0)
        _exit(126);
    char *const argv[] = {(char *)"dot", (char *)fmt_arg, (char *)"topology.dot", NULL};
    execv(dot, argv);
    _exit(127);
}

static int draw_format(const char *dot, const char *dir, const char *fmt, int logfd, errbuf *e)
{
    char name[32], fmt_arg[32], msg[600] = "out of memory";
    snprintf(name, sizeof name, "topology.%s", fmt);
    snprintf(fmt_arg, sizeof fmt_arg, "-T%s", fmt);
    char *path = rp_path_join(dir, name);
    int outfd = path ? sf_open_trunc(path, msg, sizeof msg) : -1;
    if (outfd < 0) {
        errbuf_set(e, "%s", msg);
        free(path);
        return -1;
    }
    pid_t pid = fork();
    if (pid == 0)
        exec_dot(dot, dir, fmt_arg, outfd, logfd);
    int status = -1;
    while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    struct stat st;
    bool ok = pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
              fstat(outfd, &st) == 0 && st.st_size > 0;
    close(outfd);
    free(path);
    if (!ok)
        errbuf_set(e, "dot failed drawing %s (%s); see %s/dot.log", name,
                   pid < 0 ? strerror(errno) : "exit status not 0, or no output", dir);
    return ok ? 0 : -1;
}

/* ---- the files ---------------------------------------------------------------------- */

static int write_dot(const char *dir, const scenario_config *cfg, const topo_in *in,
                     topo_counts *counts, errbuf *e)
{
    FILE *f = rp_open_out(dir, "topology.dot", e);
    if (f == NULL)
        return -1;
    rp_topo_write_dot(f, cfg, in, counts);
    return rp_close_out(f, "topology.dot", e);
}

static int write_md(const char *dir, const char *h5_path, const scenario_config *cfg,
                    const topo_counts *c, bool drawn, errbuf *e)
{
    FILE *f = rp_open_out(dir, "topology.md", e);
    if (f == NULL)
        return -1;
    fputs("# sriov-sim topology: ", f);
    text_put_escaped(f, cfg->name ? cfg->name : "(unnamed)");
    fputs("\n\nResults file: `", f);
    text_put_escaped(f, h5_path);
    fputs("`\n\n", f);
    if (drawn)
        fputs("![platform](topology.png)\n\n[SVG](topology.svg) (link names in tooltips) · "
              "Graphviz source: `topology.dot`\n\n", f);
    else
        fputs("Not drawn: dot (Graphviz) was not found on PATH; `topology.dot` is "
              "written.\n\n", f);
    fprintf(f, "%zu racks, %zu hosts, %zu VMs; %zu nodes and %zu edges drawn",
            cfg->fabric.n_racks, cfg->n_hosts, cfg->n_vms, c->nodes, c->edges);
    if (c->aggregated)
        fprintf(f, " (more than %d hosts: each rack is one node)", TOPO_HOST_NODES_MAX_HOSTS);
    else if (c->compact)
        fprintf(f, " (more than %d hosts: each host is one node, one edge per port)",
                TOPO_DETAIL_MAX_HOSTS);
    fputs(".\n\n", f);
    fprintf(f, "Colour: peak utilisation of each link over the run (of its two directions the "
            "higher), from /links; edge labels give mean and peak per direction. VFs are one "
            "node per adapter above %d VFs (%zu such adapters), VMs one node per host above "
            "%d VMs (%zu such hosts); VMs are where the scenario places them at the start.\n\n",
            TOPO_DETAIL_MAX_VFS, c->vf_groups, TOPO_DETAIL_MAX_VMS, c->vm_groups);
    fputs("Redraw (in this directory, after editing topology.dot):\n\n"
          "    dot -Tpng topology.dot > topology.png\n\n"
          "dot's messages are in `dot.log`.\n", f);
    return rp_close_out(f, "topology.md", e);
}

typedef struct topo_run {
    topo_in in;
    scenario_config cfg;
    bool have_cfg;
    char *dot, *log_path;
    int logfd;
} topo_run;

static int draw(topo_run *tr, const char *h5_path, const char *out_dir, const char *models_dir,
                errbuf *e)
{
    topo_counts counts;
    if (open_results(h5_path, &tr->in, e) != 0 ||
        load_platform(h5_path, &tr->in, models_dir, &tr->cfg, e) != 0)
        return -1;
    tr->have_cfg = true;
    if (rp_make_dir(out_dir, e) != 0 || write_dot(out_dir, &tr->cfg, &tr->in, &counts, e) != 0)
        return -1;
    tr->dot = rp_find_on_path("dot");
    if (tr->dot == NULL) {
        if (write_md(out_dir, h5_path, &tr->cfg, &counts, false, e) != 0)
            return -1;
        errbuf_set(e, "dot (Graphviz) not found on PATH: %s/topology.dot is written but not "
                   "drawn; fix: install graphviz (apt-get install graphviz, or run "
                   "scripts/setup.sh), or draw it elsewhere: dot -Tpng topology.dot > "
                   "topology.png", out_dir);
        return -2;
    }
    char msg[600] = "out of memory";
    tr->log_path = rp_path_join(out_dir, "dot.log");
    tr->logfd = tr->log_path ? sf_open_trunc(tr->log_path, msg, sizeof msg) : -1;
    if (tr->logfd < 0) {
        errbuf_set(e, "%s", msg);
        return -1;
    }
    if (draw_format(tr->dot, out_dir, "png", tr->logfd, e) != 0 ||
        draw_format(tr->dot, out_dir, "svg", tr->logfd, e) != 0)
        return -1;
    return write_md(out_dir, h5_path, &tr->cfg, &counts, true, e);
}

int report_topology(const char *h5_path, const char *out_dir, const char *models_dir, char *err,
                    size_t errlen)
{
    errbuf e = {err, errlen};
    errbuf_set(&e, "%s", "");
    if (h5_path == NULL || out_dir == NULL || out_dir[0] == '\0') {
        errbuf_set(&e, "report_topology: no results file or no output directory");
        return -1;
    }
    H5E_auto2_t old_fn;
    void *old_data;
    H5Eget_auto2(H5E_DEFAULT, &old_fn, &old_data);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    topo_run tr;
    memset(&tr, 0, sizeof(tr));
    tr.logfd = -1;
    int rc = draw(&tr, h5_path, out_dir, models_dir, &e);
    if (tr.logfd >= 0)
        close(tr.logfd);
    free(tr.log_path);
    free(tr.dot);
    if (tr.have_cfg)
        config_free(&tr.cfg);
    rp_topo_in_free(&tr.in);
    H5Eset_auto2(H5E_DEFAULT, old_fn, old_data);
    return rc;
}
