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

#ifdef __cplusplus
}
#endif

#endif
