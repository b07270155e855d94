/* run.c -- one scenario, one SimGrid run. See run.h. */
#define _GNU_SOURCE /* mkstemps, O_TMPFILE */
#include "sim/run.h"

#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <stddef.h>
#include <simgrid/link.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xbt/dynar.h>

#include "platform/platform.h"
#include "platform/platform_star.h"
#include "sim/capacity.h"
#include "sim/carried.h"
#include "sim/hop_mix.h"
#include "sim/tandem_mix.h"
#include "sim/portfifo.h"
#include "sim/collect.h"
#include "sim/controller.h"
#include "sim/eventlog.h"
#include "sim/flows.h"
#include "sim/ledger.h"
#include "sim/models.h"
#include "sim/pairs.h"
#include "sim/sgshim.h"
#include "sim/spawn.h"
#include "sim/timeline.h"
#include "sim/zone.h"
#include "sim/timers.h"
#include "util/strmap.h"

/* Settings chosen on purpose (docs/architecture.md, docs/simgrid-notes.md):
 * CM02 is plain max-min sharing (LV08's TCP corrections do not fit PCIe or
 * line-rate Ethernet); optim:Full re-solves faster than Lazy when many
 * transfers share a connected platform; crosstraffic adds ACK load on the
 * reverse path, wrong for split-duplex links that already model both ways. */
static const char *const run_fixed_cfg[] = {
    "--cfg=network/optim:Full",
    "--cfg=network/crosstraffic:0",
    "--log=xbt_cfg.thres:warning",
    "--log=res_ns3.thres:error", /* packet mode: the star's 2-link routes are
                                  * for SimGrid's route queries, ns-3 skips them */
};

static int unsupported(const sim_request *req, char *err, size_t errlen)
{
    const scenario_config *cfg = req->cfg;
    for (size_t e = 0; e < cfg->n_events; e++) {
        const event_config *ev = &cfg->events[e];
        if (!models_supports_event(req->models, ev->type)) {
            snprintf(err, errlen, "%s:%d:%d: event '%s' is not modelled in this version; "
                     "remove it", cfg->path, ev->mark.line, ev->mark.col,
                     event_type_name(ev->type));
            return 1;
        }
    }
    return 0;
}

/* Packet granularity runs ns-3 on the star platform (platform_star.h),
 * which has real latencies; the others the zone platform, latencies 0. */
static int put_platform(FILE *out, const scenario_config *cfg, const topo *t,
                        const ep_pair *pairs, size_t n_pairs)
{
    if (cfg->sim.granularity == GRAN_PACKET)
        return platform_star_write_xml(out, cfg, t);
    return platform_write_xml(out, cfg, t, pairs, n_pairs, false);
}

/* The temporary platform has no name SimGrid or a signal could leave
 * behind: an O_TMPFILE (or, where the file system lacks it, a mkstemps
 * file unlinked at once with SIGINT/SIGTERM held) that SimGrid opens as
 * /proc/self/fd/N (it fopens the path once, surf_parse_open). A kill or a
 * SimGrid abort during load used to leave the file in $TMPDIR (665 MB for
 * 2,000 hosts). Returns the descriptor, or -1. */
static int anonymous_file(char *path, size_t pathlen)
{
    const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    int fd = open(dir, O_TMPFILE | O_RDWR, 0600);
    if (fd < 0) {
        sigset_t hold, old;
        sigemptyset(&hold);
        sigaddset(&hold, SIGINT);
        sigaddset(&hold, SIGTERM);
        sigprocmask(SIG_BLOCK, &hold, &old);
        snprintf(path, pathlen, "%s/sriov-sim-platform-XXXXXX.xml", dir);
        fd = mkstemps(path, 4);
        if (fd >= 0)
            unlink(path);
        sigprocmask(SIG_SETMASK, &old, NULL);
    }
    if (fd >= 0)
        snprintf(path, pathlen, "/proc/self/fd/%d", fd);
    else
        snprintf(path, pathlen, "%s", dir);
    return fd;
}

/* Writes the platform into an anonymous file; *fd stays open for SimGrid
 * to read through path, and the caller closes it. fd NULL: only the
 * --dump-platform copy (the flow-level platform is built in memory,
 * zone.h; its XML form has the same routes, platform/routes.h). */
static int write_platform(const sim_request *req, const topo *t, char *path, size_t pathlen,
                          int *fd, char *err, size_t errlen)
{
    const scenario_config *cfg = req->cfg;
    ep_pair *pairs;
    size_t n_pairs;
    if (sim_collect_pairs(req->models, cfg, t, &pairs, &n_pairs) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc = 0;
    if (fd) {
        *fd = anonymous_file(path, pathlen);
        int wfd = *fd >= 0 ? dup(*fd) : -1;
        FILE *out = wfd >= 0 ? fdopen(wfd, "w") : NULL;
        if (!out && wfd >= 0)
            close(wfd);
        rc = out ? put_platform(out, cfg, t, pairs, n_pairs) : -1;
        if (out && fclose(out) != 0)
            rc = -1;
    }
    if (rc == 0 && req->dump_platform) {
        FILE *dump = fopen(req->dump_platform, "w");
        rc = dump ? put_platform(dump, cfg, t, pairs, n_pairs) : -1;
        if (dump && fclose(dump) != 0)
            rc = -1;
        if (rc != 0)
            snprintf(err, errlen, "cannot write the platform to %s", req->dump_platform);
    } else if (rc != 0) {
        snprintf(err, errlen, "cannot write a temporary platform file in %s",
                 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    }
    free(pairs);
    return rc;
}

/* Settings whose value names a model: SimGrid 3.32 accepts any string at
 * init and aborts (xbt_die, exit 134) only when it builds the models, after
 * the platform is written. Their valid values, as SimGrid 3.32 lists them
 * in that abort message ("Valid models are: ..."), measured on Debian's
 * libsimgrid 3.32. */
static const struct {
    const char *key;
    const char *const values[8];
} model_keys[] = {
    {"network/model", {"LV08", "Constant", "SMPI", "IB", "CM02", "ns-3", NULL}},
    {"cpu/model", {"Cas01", NULL}},
    {"host/model", {"default", "compound", "ptask_L07", NULL}},
    {"network/optim", {"Lazy", "TI", "Full", NULL}},
    {"cpu/optim", {"Lazy", "TI", "Full", NULL}},
};

/* -1 with the valid values in err when kv ("key:value") names a model
 * SimGrid does not have; 0 otherwise (other keys are SimGrid's to check). */
static int check_model_value(const char *kv, char *err, size_t errlen)
{
    const char *colon = strchr(kv, ':');
    for (size_t i = 0; colon && i < sizeof model_keys / sizeof model_keys[0]; i++) {
        size_t klen = strlen(model_keys[i].key);
        if ((size_t)(colon - kv) != klen || strncmp(kv, model_keys[i].key, klen) != 0)
            continue;
        char list[160] = "";
        for (const char *const *v = model_keys[i].values; *v; v++) {
            if (strcmp(colon + 1, *v) == 0)
                return 0;
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
                     list[0] ? ", " : "", *v);
        }
        snprintf(err, errlen, "--cfg %s: '%s' is not a model SimGrid has; one of %s",
                 model_keys[i].key, colon + 1, list);
        return -1;
    }
    return 0;
}

void sim_help_cfg(void)
{
    char *argv[] = {"sriov-sim", NULL};
    int argc = 1;
    char err[256];
    printf("Settings sriov-sim sets itself (a --cfg of the same key overrides):\n");
    for (size_t i = 0; i < sizeof run_fixed_cfg / sizeof run_fixed_cfg[0]; i++)
        if (strncmp(run_fixed_cfg[i], "--cfg=", 6) == 0)
            printf("  %s\n", run_fixed_cfg[i] + 6);
    printf("  network/model:CM02 (simulation.network_model; ns-3 at packet granularity)\n"
           "Model settings and their values:\n");
    for (size_t i = 0; i < sizeof model_keys / sizeof model_keys[0]; i++) {
        printf("  %s:", model_keys[i].key);
        for (const char *const *v = model_keys[i].values; *v; v++)
            printf(" %s", *v);
        printf("\n");
    }
    printf("Every setting SimGrid accepts:\n");
    fflush(stdout);
    if (shim_init(&argc, argv, err, sizeof err) == 0)
        shim_print_cfg_help();
    fflush(stdout);
}

/* SimGrid with our fixed settings and the user's --cfg ones. 0, or -1 with
 * SimGrid's complaint about a --cfg setting in err. */
static int init_simgrid(const sim_request *req, char *err, size_t errlen)
{
    for (size_t i = 0; i < req->n_simgrid_cfg; i++)
        if (check_model_value(req->simgrid_cfg[i], err, errlen) != 0)
            return -1;
    size_t n_fixed = sizeof run_fixed_cfg / sizeof run_fixed_cfg[0];
    size_t n = 2 + n_fixed + req->n_simgrid_cfg;
    char **argv = calloc(n + 1, sizeof *argv);
    char model[128];
    snprintf(model, sizeof model, "--cfg=network/model:%s",
             req->cfg->sim.granularity == GRAN_PACKET ? "ns-3" : req->cfg->sim.network_model);
    int argc = 0;
    argv[argc++] = strdup("sriov-sim");
    argv[argc++] = strdup(model);
    for (size_t i = 0; i < n_fixed; i++)
        argv[argc++] = strdup(run_fixed_cfg[i]);
    for (size_t i = 0; i < req->n_simgrid_cfg; i++) {
        size_t len = strlen(req->simgrid_cfg[i]) + 7;
        argv[argc] = malloc(len);
        snprintf(argv[argc++], len, "--cfg=%s", req->simgrid_cfg[i]);
    }
    char **keep = calloc(n + 1, sizeof *keep);
    memcpy(keep, argv, n * sizeof *argv);
    char why[256] = "";
    int rc = shim_init(&argc, argv, why, sizeof why);
    for (size_t i = 0; i < n; i++)
        free(keep[i]);
    free(keep);
    free(argv);
    if (rc != 0)
        snprintf(err, errlen, "--cfg: %s; `sriov-sim run --help-cfg` lists the settings "
                 "SimGrid accepts", why);
    return rc;
}

/* SimGrid 3.32 finds a link or host by name by walking the zone tree, a
 * cost per lookup that grows with the platform; name maps built once from
 * the flat lists keep set-up linear at pod scale. */
typedef struct sg_names {
    sg_link_t *links;
    size_t n_links;
    sg_host_t *hosts;
    size_t n_hosts;
    strmap link_index;
    strmap host_index;
    sg_host_t *node_hosts;      /* zone platform: [node] (zone.h), else NULL */
    sg_link_t *dir_links;       /* zone platform: [2 link + up] */
} sg_names;

static int sg_names_build(sg_names *n)
{
    memset(n, 0, sizeof *n);
    n->n_links = sg_link_count();
    n->links = sg_link_list();
    n->n_hosts = sg_host_count();
    n->hosts = sg_host_list();
    for (size_t i = 0; i < n->n_links; i++)
        if (strmap_put(&n->link_index, sg_link_get_name(n->links[i]), (int)i) != 0)
            return -1;
    for (size_t i = 0; i < n->n_hosts; i++)
        if (strmap_put(&n->host_index, sg_host_get_name(n->hosts[i]), (int)i) != 0)
            return -1;
    return 0;
}

static void sg_names_free(sg_names *n)
{
    free(n->node_hosts);
    free(n->dir_links);
    strmap_free(&n->link_index);
    strmap_free(&n->host_index);
    free(n->links);
    free(n->hosts);
}

static sg_link_t link_named(const sg_names *n, const char *name)
{
    int i = strmap_get(&n->link_index, name);
    return i < 0 ? NULL : n->links[i];
}

static sg_host_t host_named(const sg_names *n, const char *name)
{
    int i = strmap_get(&n->host_index, name);
    return i < 0 ? NULL : n->hosts[i];
}

static int resolve_links(sim_ctx *c, const sg_names *names)
{
    const topo *t = c->topo;
    size_t n = 0;
    for (size_t l = 0; l < t->n_links; l++)
        n += t->links[l].split_duplex ? 2 : 1;
    c->dlinks = calloc(n ? n : 1, sizeof *c->dlinks);
    c->load = calloc(n ? n : 1, sizeof *c->load);
    c->dlink_of_topo = calloc(t->n_links ? t->n_links : 1, sizeof(int));
    if (!c->dlinks || !c->load || !c->dlink_of_topo)
        return -1;
    for (size_t l = 0; l < t->n_links; l++) {
        c->dlink_of_topo[l] = (int)c->n_dlinks;
        int dirs = t->links[l].split_duplex ? 2 : 1;
        for (int d = 0; d < dirs; d++) {
            dlink *dl = &c->dlinks[c->n_dlinks];
            size_t len = strlen(t->links[l].name) + 6;
            dl->name = malloc(len);
            if (!dl->name)
                return -1;
            snprintf(dl->name, len, "%s%s", t->links[l].name,
                     dirs == 1 ? "" : (d == 0 ? "_UP" : "_DOWN"));
            dl->sg = names->dir_links ? names->dir_links[2 * l + (dirs == 1 ? 0 : d == 0)]
                                      : link_named(names, dl->name);
            dl->topo_link = (int)l;
            dl->up = dirs == 1 ? -1 : (d == 0);
            if (!dl->sg)
                return -1;
            c->load[c->n_dlinks].capacity_Bps = sg_link_get_bandwidth(dl->sg);
            c->load[c->n_dlinks].latency_s = t->links[l].latency_s;
            sg_link_set_data(dl->sg, (void *)(uintptr_t)(c->n_dlinks + 1));
            c->n_dlinks++;
        }
    }
    return 0;
}

static double mean_packet_bytes(const flow_config *fc)
{
    double mean = 0;
    for (size_t i = 0; i < fc->n_pkt_sizes; i++)
        mean += fc->pkt_sizes[i].size_bytes * fc->pkt_sizes[i].weight;
    return mean > 0 ? mean : 1500.0;
}

/* Every VM NIC at its configured endpoint (c->nic_now, simctx.h). */
static int init_nic_now(sim_ctx *c)
{
    const scenario_config *cfg = c->cfg;
    size_t rows = 0;
    c->nic_first = malloc((cfg->n_vms ? cfg->n_vms : 1) * sizeof *c->nic_first);
    if (!c->nic_first)
        return -1;
    for (size_t v = 0; v < cfg->n_vms; v++) {
        c->nic_first[v] = rows;
        rows += cfg->vms[v].n_nics;
    }
    if (!(c->nic_now = malloc((rows ? rows : 1) * sizeof *c->nic_now)))
        return -1;
    for (size_t v = 0; v < cfg->n_vms; v++)
        for (size_t n = 0; n < cfg->vms[v].n_nics; n++)
            c->nic_now[c->nic_first[v] + n] = c->topo->nic_endpoint[v][n];
    return 0;
}

static int resolve_flows(sim_ctx *c, const sg_names *names)
{
    const scenario_config *cfg = c->cfg;
    c->n_flows = cfg->n_flows;
    c->n_cfg_flows = cfg->n_flows;
    c->flows = calloc(c->n_flows ? c->n_flows : 1, sizeof *c->flows);
    c->lat = calloc(c->n_flows ? c->n_flows : 1, sizeof *c->lat);
    c->lat_feed = lat_feed_new(c->n_dlinks);
    c->active = calloc(c->n_flows ? c->n_flows : 1, sizeof *c->active);
    c->listing = calloc(c->n_flows ? c->n_flows : 1, sizeof *c->listing);
    /* A debug switch, not a setting: results do not depend on it (the
     * e2e test test_incremental.sh runs the examples with it on). */
    const char *chk = getenv("SRIOV_CHECK_INCREMENTAL");
    c->check_incremental = chk && strcmp(chk, "1") == 0;
    c->pend = calloc(c->n_flows ? c->n_flows : 1, sizeof *c->pend);
    c->wait_flows = calloc(c->n_flows ? c->n_flows : 1, sizeof *c->wait_flows);
    c->wait_xfers = calloc(c->n_flows ? c->n_flows : 1, sizeof *c->wait_xfers);
    if (!c->flows || !c->lat || !c->lat_feed || !c->active || !c->listing || !c->pend || !c->wait_flows || !c->wait_xfers)
        return -1;
    c->ep_hosts = calloc(c->topo->n_endpoints ? c->topo->n_endpoints : 1, sizeof *c->ep_hosts);
    if (!c->ep_hosts)
        return -1;
    for (size_t e = 0; e < c->topo->n_endpoints; e++)
        if (!(c->ep_hosts[e] = names->node_hosts ? names->node_hosts[cfg->n_hosts + e]
                                                 : host_named(names, c->topo->endpoints[e].name)))
            return -1;
    if (init_nic_now(c) != 0)
        return -1;
    for (size_t f = 0; f < c->n_flows; f++) {
        flow_rt *fl = &c->flows[f];
        fl->cfg = &cfg->flows[f];
        fl->src_ep = topo_flow_endpoint(c->topo, fl->cfg->src);
        fl->dst_ep = topo_flow_endpoint(c->topo, fl->cfg->dst);
        fl->src = c->ep_hosts[fl->src_ep];
        fl->dst = c->ep_hosts[fl->dst_ep];
        fl->offered_Bps = fl->cfg->rate_bps / 8.0;
        fl->inelastic = fl->cfg->kind == FLOW_INELASTIC;
        fl->rate_cap_Bps = fl->offered_Bps;
        fl->mean_pkt_bytes = mean_packet_bytes(fl->cfg);
        if (lat_size_moments(fl->cfg->pkt_sizes, fl->cfg->n_pkt_sizes, &fl->size_m1,
                             &fl->size_m2) != 0)
            return -1;
        fl->end_s = NAN;
        fl->completion_s = NAN;
        fl->stop_s = cfg->sim.duration_s;
        lat_acc_init(&c->lat[f]);
        if (!fl->src || !fl->dst || flow_resolve_route(c, fl) != 0)
            return -1;
    }
    return 0;
}

static int alloc_series(series *s, size_t rows, size_t cols)
{
    s->n_cols = cols;
    size_t cells = rows * cols;
    s->values = calloc(cells ? cells : 1, sizeof(double));
    return s->values ? 0 : -1;
}

static int alloc_results(sim_ctx *c)
{
    run_results *r = c->res;
    r->time_s = calloc(c->max_samples ? c->max_samples : 1, sizeof(double));
    if (!r->time_s)
        return -1;
    if (alloc_series(&r->flow_throughput_bps, c->max_samples, c->n_flows) != 0 ||
        alloc_series(&r->vf_throughput_bps, c->max_samples, c->topo->n_vfs) != 0 ||
        alloc_series(&r->link_utilisation, c->max_samples, c->n_dlinks) != 0)
        return -1;
    return 0;
}

/* Every flow's last route segment into the per-link and per-VF counts. */
static int settle_all(sim_ctx *c)
{
    for (size_t f = 0; f < c->n_flows; f++)
        if (carried_settle_flow(c, f) != 0)
            return -1;
    if (portfifo_drain(c) != 0) {
        snprintf(c->error, sizeof c->error, "out of memory (port FIFO reference)");
        return -1;
    }
    return 0;
}

static void free_ctx(sim_ctx *c)
{
    carried_free(c);
    ledger_free(c);
    flows_fini(c);
    for (size_t f = 0; f < c->n_flows; f++) {
        shim_xfer_free(c->flows[f].xfer);
        free(c->flows[f].hops);
    }
    for (size_t l = 0; l < c->n_dlinks; l++)
        free(c->dlinks[l].name);
    free(c->flows);
    for (size_t f = 0; c->lat && f < c->n_cfg_flows; f++)  /* spawned flows have none */
        lat_acc_free(&c->lat[f]);
    free(c->lat);
    lat_feed_free(c->lat_feed);
    free(c->onoff_agg);
    tandem_mix_free(c->tandem_mix);
    hop_mix_free(c->hop_mix);
    free(c->active);
    free(c->listing);
    free(c->pend);
    free(c->wait_flows);
    free(c->wait_xfers);
    free(c->dlinks);
    free(c->load);
    free(c->dlink_of_topo);
    free(c->actions);
    free(c->ep_hosts);
    free(c->nic_first);
    free(c->nic_now);
    spawn_free(c);
    capacity_free(c);
    timers_free(c);
}

/* A network/ setting of the user's may leave plain max-min (crosstraffic
 * on, another solver), which the fast path relies on (fluid.h). */
static int user_sets_network(const sim_request *req)
{
    for (size_t i = 0; i < req->n_simgrid_cfg; i++)
        if (strncmp(req->simgrid_cfg[i], "network/", 8) == 0)
            return 1;
    return 0;
}

static int prepare(sim_ctx *c, const sim_request *req, char *err, size_t errlen)
{
    char platform[4096];
    /* SimGrid first: a bad --cfg is refused before any work. */
    if (init_simgrid(req, err, errlen) != 0)
        return SIM_BAD_INPUT;
    sg_names names;
    memset(&names, 0, sizeof names);
    int bad;
    if (req->cfg->sim.granularity == GRAN_PACKET) {
        int fd = -1;
        if (write_platform(req, c->topo, platform, sizeof platform, &fd, err, errlen) != 0) {
            if (fd >= 0)
                close(fd);
            return SIM_RUN_FAILED;
        }
        simgrid_load_platform(platform);
        close(fd);
        shim_seal_platform();
        bad = sg_names_build(&names) != 0;
    } else {
        if (req->dump_platform &&
            write_platform(req, c->topo, platform, sizeof platform, NULL, err, errlen) != 0)
            return SIM_RUN_FAILED;
        if (zone_build(c, &names.node_hosts, &names.dir_links, err, errlen) != 0) {
            sg_names_free(&names);
            return SIM_RUN_FAILED;
        }
        shim_seal_platform();
        bad = 0;
    }
    bad = bad || resolve_links(c, &names) != 0 || resolve_flows(c, &names) != 0;
    sg_names_free(&names);
    /* What the engine asks of the models, without calling up to them. */
    c->hooks.replan = models_replan;
    c->hooks.flow_started = models_flow_started;
    if (bad || capacity_init(c) != 0 || flows_init(c, user_sets_network(req)) != 0 ||
        timeline_build(c) != 0 || alloc_results(c) != 0 || carried_init(c) != 0) {
        snprintf(err, errlen, "cannot set up the simulation (out of memory or a platform "
                 "inconsistency)");
        return SIM_RUN_FAILED;
    }
    if (models_init(c) != 0) {
        snprintf(err, errlen, "%s", c->error);
        return SIM_RUN_FAILED;
    }
    if (models_log_initial(c) != 0) {
        snprintf(err, errlen, "out of memory");
        return SIM_RUN_FAILED;
    }
    return SIM_OK;
}

int sim_run(const sim_request *req, run_results *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (unsupported(req, err, errlen))
        return SIM_BAD_INPUT;
    topo t;
    if (topo_build(req->cfg, &t, err, errlen) != 0)
        return SIM_BAD_INPUT;
    sim_ctx c = {.cfg = req->cfg, .topo = &t, .opt = req->opt, .res = out,
                 .models = req->models};
    /* before prepare: models_fini reads it whatever prepare reached */
    c.model_state = calloc(req->models->n ? req->models->n : 1, sizeof *c.model_state);
    int rc = c.model_state ? prepare(&c, req, err, errlen) : SIM_RUN_FAILED;
    if (!c.model_state)
        snprintf(err, errlen, "out of memory");
    if (rc == SIM_OK) {
        sg_actor_t ctl = sg_actor_init("controller", sg_host_by_name("external"));
        sg_actor_set_data(ctl, &c);
        sg_actor_start(ctl, controller_main, 0, NULL);
        simgrid_run();
        if (c.opt.progress && c.wall_start_s > 0)
            fputc('\n', stderr);
        if (c.failed) {
            snprintf(err, errlen, "%s", c.error);
            rc = SIM_RUN_FAILED;
        } else if (settle_all(&c) != 0 || collect_results(&c, out) != 0 ||
                   models_collect(&c, out) != 0) {
            snprintf(err, errlen, "out of memory while collecting results");
            rc = SIM_RUN_FAILED;
        }
    }
    if (c.model_state)
        models_fini(&c);
    free(c.model_state);
    free_ctx(&c);
    topo_free(&t);
    if (rc != SIM_OK)
        results_free(out);
    return rc;
}
