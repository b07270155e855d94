/* shaper.c -- see shaper.h. */
#include <simgrid/engine.h>
#include <stdio.h>

#include "qos/shaper.h"
#include "sim/simctx.h"

/* A shaper with no cap, as in topo.c: far above any link. */
#define SHAPER_UNCAPPED_Bps 1e15

static int shaper_supports(event_type_t type)
{
    return type == EV_SET_QOS;
}

static int shaper_handle(sim_ctx *c, const event_config *ev)
{
    int ep = topo_flow_endpoint(c->topo, ev->nic);
    const topo_endpoint *e = &c->topo->endpoints[ep];
    char detail[128];
    if (e->shaper_link >= 0 && ev->qos.max_rate_bps >= 0)
        sim_set_link_Bps(c, e->shaper_link,
                         ev->qos.max_rate_bps > 0 ? ev->qos.max_rate_bps / 8.0
                                                  : SHAPER_UNCAPPED_Bps);
    snprintf(detail, sizeof detail, "max_tx_rate=%.0f bps", ev->qos.max_rate_bps);
    return eventlog_add(c, simgrid_get_clock(), e->host_idx, e->adapter_idx, e->vf, "qos_set", detail);
}

const sim_model_ops qos_shaper_model = {
    .name = "qos-shaper",
    .supports_event = shaper_supports,
    .handle_event = shaper_handle,
};
