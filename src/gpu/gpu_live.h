/* gpu_live.h -- the GPU schedules run live, inside the simulation
 * (docs/gpu.md, "Live run"): at flow granularity each GPU's schedule
 * (gpu_sched.h gpu_run) is stepped by engine timers at its own events
 * (arrivals, kernel ends, turn and switch ends, pause edges), and each
 * host-to-device copy is a spawned engine flow from the host's memory
 * endpoint to the GPU's endpoint over the GPU's PCIe link (topo.h
 * LK_GPU_PCIE), whose end tells the schedule the copy is done. So copies
 * share that link with whatever else crosses it, and appear in /links and
 * /link_transfers.
 * Ownership: gpu_live_start allocates one gpu_live_set, gpu_live_free
 * frees it (and the schedules' tables). Units: seconds, bytes, bytes/s.
 */
#ifndef SRIOV_GPU_LIVE_H
#define SRIOV_GPU_LIVE_H

#include "gpu/gpu_sched.h"
#include "sim/models.h"

typedef struct gpu_live_set gpu_live_set;

/* Whether c's GPUs run live: flow granularity, the topology holds them. */
int gpu_live_enabled(const sim_ctx *c);
/* Sets the GPUs' PCIe _DOWN capacity and schedules the start at time 0.
 * NULL when out of memory. pauses: the model's list (borrowed). */
gpu_live_set *gpu_live_start(sim_ctx *c, const gpu_pause *pauses, size_t n_pauses);
/* The VMs' pause list changed at t (a live migration paused or resumed
 * one). */
void gpu_live_pauses(sim_ctx *c, gpu_live_set *L, const gpu_pause *pauses, size_t n_pauses,
                     double t);
/* Instance inst of GPU home, now on GPU from, moves to GPU to at t
 * (gpu_run_move); call it before the VM's pause ends. 0, or -1 when out of
 * memory. */
int gpu_live_move(gpu_live_set *L, size_t from, size_t to, int home, size_t inst, double t);
/* GPU g's schedule run to the end of the run; NULL when it never began. */
const gpu_sched *gpu_live_finish(gpu_live_set *L, size_t g, double end_s);
void gpu_live_free(gpu_live_set *L);

#endif
