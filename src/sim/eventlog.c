/* eventlog.c -- the PF log and scenario events, as rows of /events. */
#include <stdlib.h>
#include <string.h>

#include "sim/simctx.h"

int eventlog_add(sim_ctx *c, double time_s, int host_idx, int adapter_idx, int vf,
                 const char *type, const char *detail)
{
    run_results *r = c->res;
    if (r->n_events == c->events_cap) {
        size_t ncap = c->events_cap ? c->events_cap * 2 : 64;
        event_record *n = realloc(r->events, ncap * sizeof *n);
        if (!n)
            return -1;
        r->events = n;
        c->events_cap = ncap;
    }
    const host_config *h = host_idx >= 0 ? &c->cfg->hosts[host_idx] : NULL;
    const adapter_config *a = (h && adapter_idx >= 0) ? &h->adapters[adapter_idx] : NULL;
    event_record *ev = &r->events[r->n_events];
    ev->time_s = time_s;
    ev->host = results_strdup(h ? h->name : NULL);
    ev->adapter = results_strdup(a ? a->name : NULL);
    ev->vf = vf;
    ev->type = results_strdup(type);
    ev->detail = results_strdup(detail);
    if (!ev->host || !ev->adapter || !ev->type || !ev->detail) {
        free(ev->host);
        free(ev->adapter);
        free(ev->type);
        free(ev->detail);
        return -1;
    }
    r->n_events++;
    return 0;
}
