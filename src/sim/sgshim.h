/* sgshim.h -- the few SimGrid 3.32 features the C API lacks, behind a C
 * interface. Everything else in sriov-sim uses SimGrid's C API directly.
 *
 * A shim_xfer is one host-to-host transfer (s4u::Comm::sendto) whose rate can
 * be capped, whose remaining bytes can be read and which can be cancelled:
 * the three things a fluid flow needs and the 3.32 C API cannot do.
 *
 * Ownership: shim_xfer_start returns a transfer the caller owns and must
 * release with shim_xfer_free (which cancels it if still running). Must be
 * called from inside a SimGrid actor.
 */
#ifndef SRIOV_SGSHIM_H
#define SRIOV_SGSHIM_H

#include <simgrid/forward.h>
#include <stddef.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct shim_xfer shim_xfer;

/* simgrid_init(argc, argv) with the exceptions SimGrid throws on a bad
 * --cfg key or value (std::out_of_range "Bad config key", ...) turned into
 * -1 and their message in err: uncaught, they aborted the run with a
 * 120-line backtrace (exit 134). 0 on success. */
int shim_init(int *argc, char **argv, char *err, size_t errlen);
/* Prints every SimGrid setting with its description and current value
 * (simgrid::config::help) on stdout; SimGrid must be initialised. */
void shim_print_cfg_help(void);

/* Starts moving size_bytes from src to dst. rate_Bps > 0 caps the transfer's
 * rate (bytes per second) in the max-min solver; <= 0 leaves it uncapped. */
shim_xfer *shim_xfer_start(sg_host_t src, sg_host_t dst, double size_bytes, double rate_Bps);

/* 1 when the transfer follows later link capacity raises (the shim could
 * lift SimGrid's start-time route bound); 0 when the caller must restart
 * it after raising a link on its route. */
int shim_xfer_bound_follows_links(const shim_xfer *x);

/* Bytes not yet delivered; 0 once finished. Read it before cancelling. */
double shim_xfer_remaining(const shim_xfer *x);

/* 1 when the transfer has delivered all its bytes. */
int shim_xfer_finished(const shim_xfer *x);

/* Stops the transfer if it still runs (it moves no more bytes) and frees
 * our handle. NULL is a no-op. */
void shim_xfer_free(shim_xfer *x);

/* Releases our handle without stopping the transfer: only once the engine
 * has stopped (nothing will advance it again). NULL is a no-op. */
void shim_xfer_drop(shim_xfer *x);

/* Blocks the calling actor until one of xs finishes or timeout_s passes.
 * Returns the index of a finished transfer, or -1 on timeout. xs must hold
 * only running transfers. */
ssize_t shim_xfer_wait_any_for(shim_xfer *const *xs, size_t n, double timeout_s);

/* Seals the loaded platform now rather than when the run starts: a
 * Dijkstra zone numbers its graph only when sealed, and the engine asks
 * for routes before the run (platform/platform.c says why Dijkstra). */
void shim_seal_platform(void);

/* The flow-level platform built in memory rather than parsed from XML:
 * one zone ("dc") holding every host CPU, endpoint and link, whose routes
 * come from route_fn (platform/routes.h) when SimGrid asks for one.
 *
 * Why: SimGrid 3.32 costs O(hosts x zones) to set up a zone tree (each
 * new host is looked up by name in every zone first, HostImpl's
 * constructor; each zone's seal walks every host of the platform,
 * NetZoneImpl::seal -> get_all_hosts), and a Full zone stores an N x N
 * table: pod-10k (340,000 hosts, 251 zones) never left set-up. One zone
 * with routes computed on demand is linear in hosts and links and keeps no
 * table. Items are created in the order given (the XML platform's order:
 * SimGrid's solver sees its constraints in creation order).
 *
 * An item is a host (speed in flop/s, cores; id = its node number) or a
 * link (bandwidth in bytes/s, latency in s, split duplex or shared; id =
 * its topo index). route_fn(ctx, src, dst, links, ups, max) writes a
 * route's link ids and directions (1: the _UP half) and returns their
 * count. On success fills node_hosts[n_nodes] (the SimGrid host of each
 * node, NULL for a node given no item) and links_out[2 * n_links] (DOWN or
 * the shared link at 2l, UP at 2l + 1) and returns 0; -1 with a message
 * in err. Call once, after shim_init, instead of simgrid_load_platform. */
typedef struct shim_plat_item {
    const char *name;
    int is_host;
    double value;       /* host: flop/s; link: bytes/s */
    double latency_s;   /* link */
    int cores;          /* host */
    int split_duplex;   /* link */
    int id;             /* host: node number; link: topo index */
} shim_plat_item;

typedef int (*shim_route_fn)(void *ctx, int src_node, int dst_node, int *links, int *ups,
                             int max);

int shim_build_platform(const shim_plat_item *items, size_t n_items, size_t n_nodes,
                        size_t n_links, shim_route_fn route_fn, void *ctx,
                        sg_host_t *node_hosts, sg_link_t *links_out, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
