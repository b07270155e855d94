/* summary.c -- the table printed at the end of a run. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

#define SUMMARY_MAX_ROWS 20
/* A link at or above this peak utilisation counts as full (the fluid
 * solver's shares sum to the capacity up to rounding). */
#define SUMMARY_FULL_UTILISATION 0.999

static double active_seconds(const flow_result *f, double duration_s)
{
    double start = isnan(f->start_s) ? duration_s : f->start_s;
    double end = isnan(f->end_s) ? duration_s : f->end_s;
    return end > start ? end - start : 0.0;
}

/* An elastic flow offers no rate: it moves its size as fast as it can, so
 * its row shows no offer and no drop, and while unfinished what is left to
 * move (not a loss). */
static void print_flow(const flow_result *f, double duration_s)
{
    double secs = active_seconds(f, duration_s);
    double delivered = secs > 0 ? f->delivered_bytes * 8 / secs / 1e9 : 0;
    int elastic = f->kind[0] == 'e';
    printf("  %-16.16s %-9s", f->name, f->kind);
    if (elastic) {
        printf(" %10s %10.3f %8s", "-", delivered, "-");
    } else {
        double offered = secs > 0 ? f->offered_bytes * 8 / secs / 1e9 : 0;
        double drop = f->offered_bytes > 0 ? 100.0 * f->dropped_bytes / f->offered_bytes : 0;
        printf(" %10.3f %10.3f %7.2f%%", offered, delivered, drop);
    }
    printf(" %10.2f %10.2f", f->latency_p50_s * 1e6, f->latency_p99_s * 1e6);
    if (!isnan(f->completion_time_s))
        printf(" %12.6f\n", f->completion_time_s);
    else if (elastic && f->remaining_bytes > 0)
        printf("  %.4g GB left\n", f->remaining_bytes / 1e9);
    else
        printf(" %12s\n", "-");
}

void cli_print_fallbacks(FILE *f, const scenario_config *cfg)
{
    size_t n = 0;
    for (size_t v = 0; v < cfg->n_vms; v++)
        for (size_t i = 0; i < cfg->vms[v].n_nics; i++)
            n += cfg->vms[v].nics[i].fell_back_to_virtio;
    if (n == 0)
        return;
    fprintf(f, "  %zu VF NIC%s fell back to virtio (vhost-net on the host CPU):\n", n,
            n == 1 ? "" : "s");
    for (size_t v = 0; v < cfg->n_vms; v++)
        for (size_t i = 0; i < cfg->vms[v].n_nics; i++) {
            const nic_config *nc = &cfg->vms[v].nics[i];
            if (nc->fell_back_to_virtio)
                fprintf(f, "    %s.%s: %s\n", cfg->vms[v].name, nc->name,
                        nc->fallback_reason ? nc->fallback_reason
                                            : "no VF was left, policy.vf_exhausted is virtio");
        }
}

/* An adapter-wide limit (catalogue total_rate / total_packet_rate_pps) that
 * was full at some sample: named even when another link ties with it as the
 * busiest, since no port or PCIe figure explains the lost throughput. */
static void print_adapter_limits(const run_results *r)
{
    for (size_t l = 0; l < r->n_links; l++) {
        const link_result *k = &r->links[l];
        if (k->kind && strncmp(k->kind, "adapter_", 8) == 0 &&
            k->peak_utilisation >= SUMMARY_FULL_UTILISATION)
            printf("  adapter-wide limit reached: %s (%s), peak %.1f%%, mean %.1f%%\n", k->name,
                   k->kind, 100 * k->peak_utilisation, 100 * k->mean_utilisation);
    }
}

void cli_print_summary(const run_results *r)
{
    /* A blank line ends the progress line on a terminal; a file or pipe
     * has none, and its first line is the summary itself. */
    if (isatty(1) && isatty(2))
        putchar('\n');
    printf("%s: %.3f simulated s in %.2f wall s (SimGrid %s, %s granularity, seed %llu)\n",
           r->meta.scenario_name, r->meta.duration_s, r->meta.wall_time_s,
           r->meta.simgrid_version, r->meta.granularity, (unsigned long long)r->meta.seed);
    printf("  flows moving at once: at most %llu, of which at most %llu in SimGrid's solver "
           "(the rest on the fast path)\n", (unsigned long long)r->meta.peak_active_flows,
           (unsigned long long)r->meta.peak_solver_flows);
    printf("  %-16s %-9s %10s %10s %8s %10s %10s %12s\n", "flow", "kind", "offer Gb/s",
           "deliv Gb/s", "drop", "p50 us", "p99 us", "complete s");
    for (size_t i = 0; i < r->n_flows && i < SUMMARY_MAX_ROWS; i++)
        print_flow(&r->flows[i], r->meta.duration_s);
    if (r->n_flows > SUMMARY_MAX_ROWS)
        printf("  ... %zu more flows in the results file\n", r->n_flows - SUMMARY_MAX_ROWS);
    /* Byte links only: the page walker's and vhost threads' busy fractions
     * are not link loads (and had no capacity in effect to report). */
    size_t busiest = r->n_links;
    for (size_t l = 0; l < r->n_links; l++)
        if (!isnan(r->links[l].mean_capacity_bps) &&
            (busiest == r->n_links ||
             r->links[l].peak_utilisation > r->links[busiest].peak_utilisation))
            busiest = l;
    if (busiest < r->n_links)
        printf("  busiest link: %s (%s), peak %.1f%%, mean %.1f%%\n", r->links[busiest].name,
               r->links[busiest].kind, 100 * r->links[busiest].peak_utilisation,
               100 * r->links[busiest].mean_utilisation);
    print_adapter_limits(r);
}
