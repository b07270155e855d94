/* migration.h -- the live-migration orchestrator (event migrate).
 *
 * Follows the pre-copy model of SimGrid's live-migration plugin (Hirofuchi
 * et al., CloudCom 2013; docs/references.md): round 1 sends all RAM but its
 * zero pages (vm_config.zero_page_fraction, as QEMU skips them), each later
 * round sends what the VM dirtied during the previous one (dirty rate x
 * round time, capped by the working set), until the rest fits in
 * max_downtime at the bandwidth the last round measured -- or, the stop
 * rule the plugin lacks, max_rounds is reached; then stop-and-copy: the
 * VM's flows pause, the rest is sent without the `bandwidth` cap (QEMU's
 * ram_save_complete ignores its rate limit; the plugin keeps it), and after
 * min_downtime the VM resumes on the destination. A VM with a VF NIC first hot-unplugs it (net_failover
 * moves its flows to the standby virtio NIC on the host's software
 * endpoint) and after resuming hot-plugs a free VF on the destination, if
 * any (else it stays on virtio). vDPA NICs take a free destination VF at
 * resume (else vhost-net, logged).
 *
 * Every round is a real SimGrid transfer between the two hosts' CPU hosts,
 * so migration traffic shares the ports and fabric with tenant flows. The
 * orchestrator runs from the controller's timers, and the controller waits
 * on each round's transfer with the flows' (sim_wait_xfer), so a round
 * ends at its exact time.
 *
 * Ownership: the model's own state (sim_model_state), allocated by its
 * init, freed by its fini. It sits above the virtio model (its parameters,
 * virt_loaded_params; where a VM runs, virt_set_vm_host); virtio does not
 * include it.
 */
#ifndef SRIOV_MIGRATION_H
#define SRIOV_MIGRATION_H

#include "platform/platform.h"
#include "sim/models.h"

extern const sim_model_ops migration_model_ops;

/* The model's add_pairs hook (pairs_mig.c): adds the same-host endpoint
 * pairs that migrations may create (a flow whose ends land on one host) to
 * *pairs (growing it; *cap its capacity). Returns 0 or -1 (out of memory). */
int mig_add_pairs(const scenario_config *cfg, const topo *t, ep_pair **pairs, size_t *n,
                  size_t *cap);

#endif
