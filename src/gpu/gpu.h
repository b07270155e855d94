/* gpu.h -- the GPU model (docs/gpu.md): GPUs on hosts shared among VMs by
 * hard partitions (MIG-style), time-sliced vGPUs or passthrough, running
 * the scenario's GPU jobs (scenario/gpu_config.h). Each GPU's schedule is
 * exact (gpu_sched.h); at flow granularity it runs live (gpu_live.h: its
 * copies are engine flows over the host's IOMMU and the GPU's PCIe link),
 * otherwise at collect. At time 0 it logs each instance (gpu_attach, with
 * whether the VM can live-migrate); at collect it writes /gpus,
 * /gpu_instances and /gpu_jobs (docs/results.md).
 * Ownership: its state (sim_model_state) is the list of VM pauses live
 * migrations report (gpu_vm_pause/resume) and the live schedules, freed
 * by its fini; the tables belong to the run_results.
 * Units: seconds, bytes, bytes per second, FLOP per second.
 */
#ifndef SRIOV_GPU_H
#define SRIOV_GPU_H

#include "scenario/config.h"
#include "sim/models.h"

extern const sim_model_ops gpu_sim_model;

/* The payload rate of host-to-device copies over g's PCIe link, bytes/s:
 * the device's DMA reads of host memory (src/pcie, pcie-bench model). */
double gpu_link_Bps(const gpu_config *g);

/* A live migration stopped VM vm at t (stop-and-copy) / resumed it on
 * host to_host at t: its vGPUs' jobs make no progress in between
 * (gpu_sched.h, gpu_pause); at the resume each of its vGPUs leaves its GPU
 * for a vGPU GPU of the destination (scenario/gpu_place.h) with its job
 * in hand and its queue (gpu_run_move). 0, or -1 when out of memory. */
int gpu_vm_pause(sim_ctx *c, int vm, double t);
int gpu_vm_resume(sim_ctx *c, int vm, int to_host, double t);

#endif
