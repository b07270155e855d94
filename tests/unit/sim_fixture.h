/* sim_fixture.h -- a small SimGrid platform and a hand-built sim_ctx for
 * the engine's unit tests (test_sim_fluid.c, test_sim_flows.c): the flow
 * driver, the ledger and the capacity module run on real SimGrid
 * transfers, without a scenario file, the topology builder or the models.
 *
 * Platform (Full routing, no latency, crosstraffic off as sriov-sim sets):
 *   a --pa--+                     endpoints 0..4 = hosts a, b, c, d, e
 *           +--s-- c              links (dlinks) 0 s, 1 pa, 2 pb, 3 pd
 *   b --pb--+
 *   d --pd-- e
 * SimGrid runs one process-wide engine, so main() starts an actor that runs
 * the cmocka group (assertions longjmp within that actor's own stack), and
 * each test builds its ctx afresh and resets the link capacities.
 * Header-only (static functions): each test file is its own executable.
 * Units: bytes, bytes per second, seconds.
 */
#ifndef SRIOV_TEST_SIM_FIXTURE_H
#define SRIOV_TEST_SIM_FIXTURE_H

#include <math.h>
#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/link.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/capacity.h"
#include "sim/driver.h"
#include "sim/flows.h"
#include "sim/ledger.h"
#include "sim/simctx.h"
#include "sim/timers.h"

enum { FX_S = 0, FX_PA, FX_PB, FX_PD, FX_LINKS };
enum { FX_A = 0, FX_B, FX_C, FX_D, FX_E, FX_HOSTS };
#define FX_FLOWS 4
#define FX_PKT_BYTES 100.0

static const char *const fx_link_names[FX_LINKS] = {"s", "pa", "pb", "pd"};
static const double fx_link_Bps[FX_LINKS] = {1000, 1e6, 1e6, 300};
static const char *const fx_host_names[FX_HOSTS] = {"a", "b", "c", "d", "e"};

static const char fx_platform[] =
    "<?xml version='1.0'?>\n"
    "<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
    "<platform version=\"4.1\"><zone id=\"z\" routing=\"Full\">\n"
    " <host id=\"a\" speed=\"1Gf\"/><host id=\"b\" speed=\"1Gf\"/>\n"
    " <host id=\"c\" speed=\"1Gf\"/><host id=\"d\" speed=\"1Gf\"/>\n"
    " <host id=\"e\" speed=\"1Gf\"/>\n"
    " <link id=\"s\" bandwidth=\"1000Bps\" latency=\"0\"/>\n"
    " <link id=\"pa\" bandwidth=\"1000000Bps\" latency=\"0\"/>\n"
    " <link id=\"pb\" bandwidth=\"1000000Bps\" latency=\"0\"/>\n"
    " <link id=\"pd\" bandwidth=\"300Bps\" latency=\"0\"/>\n"
    " <route src=\"a\" dst=\"c\"><link_ctn id=\"pa\"/><link_ctn id=\"s\"/></route>\n"
    " <route src=\"b\" dst=\"c\"><link_ctn id=\"pb\"/><link_ctn id=\"s\"/></route>\n"
    " <route src=\"d\" dst=\"e\"><link_ctn id=\"pd\"/></route>\n"
    "</zone></platform>\n";

typedef struct simfx {
    scenario_config cfg;
    topo t;
    topo_link links[FX_LINKS];
    flow_config fcfg[FX_FLOWS];
    pkt_size pkt;
    sim_ctx c;
    dlink dl[FX_LINKS];
    dlink_load ld[FX_LINKS];
    int dlink_of_topo[FX_LINKS];
    flow_rt flows[FX_FLOWS];
    size_t active[FX_FLOWS], wait_flows[FX_FLOWS];
    size_t pend[FX_FLOWS];
    unsigned char listing[FX_FLOWS];
    shim_xfer *wait_xfers[FX_FLOWS];
    sg_host_t hosts[FX_HOSTS];
    int replans;                /* hooks.replan calls */
    int started[FX_FLOWS];      /* hooks.flow_started calls per flow */
} simfx;

static simfx *fx_current;

static void fx_replan(sim_ctx *c)
{
    (void)c;
    fx_current->replans++;
}

static void fx_started(sim_ctx *c, size_t f)
{
    (void)c;
    fx_current->started[f]++;
}

/* The context without flows: links at their platform capacities. */
static void fx_init(simfx *x, granularity_t gran, int fast_path)
{
    memset(x, 0, sizeof *x);
    fx_current = x;
    x->cfg.path = "unit";
    x->cfg.sim.duration_s = 1e4;
    x->cfg.sim.seed = 1;
    x->cfg.sim.granularity = gran;
    x->cfg.sim.burst_packets = 4;
    x->cfg.sim.network_model = "CM02";
    x->cfg.sim.fast_path = fast_path;
    x->cfg.flows = x->fcfg;
    x->pkt = (pkt_size){FX_PKT_BYTES, 1.0};
    for (int l = 0; l < FX_LINKS; l++) {
        x->links[l] = (topo_link){.name = (char *)fx_link_names[l], .kind = LK_PORT,
                                  .bandwidth_Bps = fx_link_Bps[l], .host_idx = -1};
        sg_link_t sg = sg_link_by_name(fx_link_names[l]);
        sg_link_set_bandwidth(sg, fx_link_Bps[l]);
        sg_link_set_data(sg, (void *)(uintptr_t)(l + 1));
        x->dl[l] = (dlink){.sg = sg, .name = (char *)fx_link_names[l], .topo_link = l, .up = -1};
        x->ld[l].capacity_Bps = fx_link_Bps[l];
        x->ld[l].cap_since_s = simgrid_get_clock();
        x->dlink_of_topo[l] = l;
    }
    x->t.links = x->links;
    x->t.n_links = FX_LINKS;
    for (int h = 0; h < FX_HOSTS; h++)
        x->hosts[h] = sg_host_by_name(fx_host_names[h]);
    sim_ctx *c = &x->c;
    c->cfg = &x->cfg;
    c->topo = &x->t;
    c->ep_hosts = x->hosts;
    c->dlinks = x->dl;
    c->load = x->ld;
    c->n_dlinks = FX_LINKS;
    c->dlink_of_topo = x->dlink_of_topo;
    c->flows = x->flows;
    c->active = x->active;
    c->listing = x->listing;
    c->pend = x->pend;
    c->check_incremental = 1;
    c->wait_flows = x->wait_flows;
    c->wait_xfers = x->wait_xfers;
    c->hooks.replan = fx_replan;
    c->hooks.flow_started = fx_started;
}

/* Flow f from endpoint src to dst. Inelastic: offers rate_Bps until the
 * run's end; elastic: moves size_bytes, capped at rate_Bps (0 = none). */
static void fx_flow(simfx *x, size_t f, flow_kind_t kind, int src, int dst, double rate_Bps,
                    double size_bytes)
{
    x->fcfg[f] = (flow_config){.name = "flow", .kind = kind, .rate_bps = rate_Bps * 8,
                               .size_bytes = size_bytes, .pkt_sizes = &x->pkt,
                               .n_pkt_sizes = 1};
    flow_rt *fl = &x->flows[f];
    fl->cfg = &x->fcfg[f];
    fl->src_ep = src;
    fl->dst_ep = dst;
    fl->src = x->hosts[src];
    fl->dst = x->hosts[dst];
    fl->offered_Bps = rate_Bps;
    fl->rate_cap_Bps = rate_Bps;
    fl->inelastic = kind == FLOW_INELASTIC;
    fl->mean_pkt_bytes = FX_PKT_BYTES;
    fl->end_s = NAN;
    fl->completion_s = NAN;
    fl->stop_s = x->cfg.sim.duration_s;
    if (x->c.n_flows <= f)
        x->c.n_flows = x->c.n_cfg_flows = x->cfg.n_flows = f + 1;
    if (flow_resolve_route(&x->c, fl) != 0)
        fail_msg("no route for flow %zu", f);
}

/* After the flows: the capacity marks and the driver. */
static void fx_start(simfx *x)
{
    if (capacity_init(&x->c) != 0 || flows_init(&x->c, 0) != 0)
        fail_msg("out of memory");
}

static void fx_fini(simfx *x)
{
    for (size_t f = 0; f < x->c.n_flows; f++) {
        shim_xfer_free(x->flows[f].xfer);
        x->flows[f].xfer = NULL;
        free(x->flows[f].hops);
    }
    flows_fini(&x->c);
    capacity_free(&x->c);
    ledger_free(&x->c);
    timers_free(&x->c);
    fx_current = NULL;
}

/* Lets simulated time pass (the test actor sleeps). */
static void fx_sleep(double s)
{
    sg_actor_sleep_for(s);
}

static int fx_rc = 1;
static int (*fx_run_group)(void);

static void fx_actor(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fx_rc = fx_run_group();
}

/* Loads the platform and runs the group inside an actor. */
static int fx_main(const char *argv0, int (*run_group)(void))
{
    char *argv[] = {(char *)argv0, "--cfg=network/model:CM02", "--cfg=network/optim:Full",
                    "--cfg=network/crosstraffic:0", "--log=root.thres:critical", NULL};
    int argc = 5;
    simgrid_init(&argc, argv);
    char path[] = "/tmp/sriov-test-platform-XXXXXX.xml";
    int fd = mkstemps(path, 4);
    FILE *out = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!out || fputs(fx_platform, out) < 0 || fclose(out) != 0)
        return 1;
    simgrid_load_platform(path);
    unlink(path);
    fx_run_group = run_group;
    sg_actor_t a = sg_actor_init("tests", sg_host_by_name("a"));
    sg_actor_start(a, fx_actor, 0, NULL);
    simgrid_run();
    return fx_rc;
}

#endif
