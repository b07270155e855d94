/* results.c -- releasing a run_results (see results.h for ownership). */
#include "metrics/results.h"

#include <stdlib.h>
#include <string.h>

static void meta_free(run_meta *m)
{
    free(m->tool_version);
    free(m->simgrid_version);
    free(m->scenario_name);
    free(m->scenario_text);
    free(m->resolved_text);
    free(m->granularity);
}

static void flows_free(flow_result *flows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(flows[i].name);
        free(flows[i].kind);
        free(flows[i].from);
        free(flows[i].to);
    }
    free(flows);
}

static void vfs_free(vf_result *vfs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(vfs[i].host);
        free(vfs[i].adapter);
        free(vfs[i].bdf);
        free(vfs[i].vm);
        free(vfs[i].nic);
    }
    free(vfs);
}

static void links_free(link_result *links, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(links[i].name);
        free(links[i].kind);
    }
    free(links);
}

static void events_free(event_record *events, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(events[i].host);
        free(events[i].adapter);
        free(events[i].type);
        free(events[i].detail);
    }
    free(events);
}

/* Safe on a zeroed struct and on NULL; leaves *r zeroed so a second call
 * is harmless too. Arrays are freed only up to their counts, so a producer
 * that fails half-way must keep the counts in step with what it filled
 * (calloc'd arrays with NULL strings are fine: free(NULL) is a no-op). */
static void migrations_free(migration_result *m, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(m[i].vm);
        free(m[i].from);
        free(m[i].to);
    }
    free(m);
}

static void pf_free(run_results *r)
{
    for (size_t i = 0; i < r->n_pf_vfs; i++) {
        free(r->pf_vfs[i].host);
        free(r->pf_vfs[i].adapter);
        free(r->pf_vfs[i].state);
        free(r->pf_vfs[i].tenants);
    }
    free(r->pf_vfs);
    for (size_t i = 0; i < r->n_guest_view; i++) {
        free(r->guest_view[i].name);
        free(r->guest_view[i].bdf);
    }
    free(r->guest_view);
}

static void ports_free(port_result *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(p[i].name);
        free(p[i].host);
        free(p[i].adapter);
    }
    free(p);
}

void results_free(run_results *r)
{
    if (r == NULL)
        return;
    ports_free(r->ports, r->n_ports);
    pf_free(r);
    migrations_free(r->migrations, r->n_migrations);
    for (size_t i = 0; i < r->n_host_names; i++)
        free(r->host_names[i]);
    free(r->host_names);
    free(r->host_cpu_utilisation.values);
    meta_free(&r->meta);
    flows_free(r->flows, r->n_flows);
    vfs_free(r->vfs, r->n_vfs);
    links_free(r->links, r->n_links);
    events_free(r->events, r->n_events);
    free(r->time_s);
    free(r->flow_throughput_bps.values);
    free(r->vf_throughput_bps.values);
    free(r->link_utilisation.values);
    memset(r, 0, sizeof(*r));
}

char *results_strdup(const char *s)
{
    return strdup(s ? s : "");
}
