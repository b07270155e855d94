/* gpu_sched.h -- how one GPU runs its instances' jobs (docs/gpu.md, "Model"):
 * an exact event-driven schedule, pure (no SimGrid), so tests can hold it
 * against closed forms.
 *
 *  - a job is a host-to-device copy (h2d bytes over the GPU's PCIe link)
 *    then a kernel; an instance runs its jobs one after another (FIFO by
 *    arrival);
 *  - the kernel's time on a share of the device is the roofline
 *    max(flop / share's FLOP/s, memory bytes / share's bytes/s);
 *  - mig: an instance's share is its profile's compute and memory slices;
 *    it runs whenever it has work, whatever its neighbours do;
 *  - passthrough: one instance, the whole device;
 *  - vgpu: round robin over the vGPUs in their order; a turn is at most one
 *    time slice of the whole device, and loading another vGPU's context
 *    than the one resident costs context_switch first. best_effort: turns go
 *    to vGPUs with a kernel ready only, a turn ends early when its vGPU
 *    runs out of work; equal_share: every vGPU's turn is kept a full slice,
 *    idle or not, while any vGPU has work;
 *  - copies of different instances share the link equally (max-min of
 *    transfers limited by the link alone) and run beside the kernels (the
 *    copy engines are not time-sliced in this model).
 *
 * Ownership: gpu_sched_run fills a gpu_sched it allocates; the caller frees
 * it with gpu_sched_free.
 * Units: seconds, bytes, bytes per second.
 */
#ifndef SRIOV_GPU_SCHED_H
#define SRIOV_GPU_SCHED_H

#include <stddef.h>
#include <stdint.h>

#include "scenario/config.h"

typedef struct gpu_job_out {
    int32_t instance, entry;    /* indices in gpu_config.instances[], its jobs[] */
    uint32_t k;                 /* the entry's job number, from 0 */
    double arrive_s;
    double start_s;             /* its copy began (the instance was free); NaN: never */
    double h2d_end_s;           /* NaN when not reached */
    double end_s;               /* the kernel finished; NaN when the run ended first */
    double alone_s;             /* closed form alone on its share: copy at full link + kernel */
    int32_t end_gpu;            /* the GPU (gpu_run_set_gpu) its kernel ended on; -1: none */
} gpu_job_out;

typedef struct gpu_inst_out {
    double busy_s;              /* its kernels running (on its share, or holding the device) */
    double h2d_s;               /* its copies in flight */
    double share_flops, share_Bps; /* what its kernels run at */
    uint32_t done, unfinished;
} gpu_inst_out;

typedef struct gpu_sched {
    gpu_job_out *jobs;          /* by arrival, stable in (instance, entry, k) order */
    size_t n_jobs;
    gpu_inst_out *inst;         /* [gpu_config.n_instances] */
    double switch_s;            /* vgpu: time spent switching contexts */
    uint64_t switches;
    double device_busy_s;       /* some kernel running (vgpu, passthrough), or the
                                   slice-weighted sum (mig: sum of busy x compute share) */
} gpu_sched;

/* The share of the device an instance's kernels run at (FLOP/s, bytes/s). */
void gpu_share(const gpu_config *g, size_t inst, double *flops, double *Bps);
/* The kernel time of job j at that share, seconds: the roofline at the
 * share, each rate lowered to the job's cap (gpu_job.cap_flops, cap_Bps). */
double gpu_kernel_s(const gpu_job *j, double flops, double Bps);

/* A VM stopped by a live migration's downtime, [from_s, to_s): its vGPU's
 * copies and kernels make no progress, it takes no turn and admits no job. */
typedef struct gpu_pause {
    int vm;
    double from_s, to_s;        /* to_s INFINITY: not resumed by the run's end */
} gpu_pause;

/* Runs g's jobs from time 0 until until_s with the PCIe link carrying
 * link_Bps of copy payload. 0, or -1 when out of memory. */
int gpu_sched_run(const gpu_config *g, double link_Bps, double until_s, gpu_sched *out);
/* The same with the VMs' pauses (in time order per VM). */
int gpu_sched_run_paused(const gpu_config *g, double link_Bps, double until_s,
                         const gpu_pause *pauses, size_t n_pauses, gpu_sched *out);
void gpu_sched_free(gpu_sched *s);

/* ---- the same schedule, steppable (the live run, docs/gpu.md) ----------
 * gpu_run_start expands g's jobs into out and admits those due at 0. With
 * copy_start set the copies are the caller's: copy_start(arg, instance,
 * bytes, t) says a copy begins at t, and the caller reports its end with
 * gpu_run_copy_done (copies have no time of their own then; link_Bps only
 * sets alone_s); without it copies share link_Bps equally (pure). Each
 * call below runs the schedule to t and returns its next own event
 * (arrival, kernel end, turn end, switch end, pause edge), INFINITY when
 * none: the caller wakes it then with gpu_run_until. Times never go back.
 * gpu_run_end sets the unfinished counts (of out's configured instances:
 * final once every run holding one of them has run to its end) and frees
 * the run, not out.
 * pauses are borrowed until the next gpu_run_set_pauses. */
typedef struct gpu_run gpu_run;
typedef void (*gpu_copy_fn)(void *arg, size_t inst, double bytes, double t);

gpu_run *gpu_run_start(const gpu_config *g, double link_Bps, const gpu_pause *pauses,
                       size_t n_pauses, gpu_copy_fn copy_start, void *arg, gpu_sched *out);
double gpu_run_until(gpu_run *R, double t);
double gpu_run_copy_done(gpu_run *R, size_t inst, double t);
/* The VMs' pauses changed (a pause began or ended at t). */
double gpu_run_set_pauses(gpu_run *R, const gpu_pause *pauses, size_t n_pauses, double t);
/* Runs R to t (events at t included) without looking past it. */
void gpu_run_to(gpu_run *R, double t);
/* R is GPU gpu of the scenario (default 0): stamps gpu_job_out.end_gpu
 * and names its instances' slots for gpu_run_move. */
void gpu_run_set_gpu(gpu_run *R, int gpu);
/* A live migration resumed the VM of instance inst of GPU home on dst's
 * host at t (docs/gpu.md, "vGPU live migration"): runs src and dst to t,
 * then the instance leaves src (its turns go to the others; an equal-share
 * rotation skips it) and joins dst's round robin at the end (or in the
 * slot it had there), with its job in hand (copy or kernel left: same
 * model) and its queue; its rows stay home's (src's or a third run's
 * tables, which must outlive both). Live, a copy in flight at t is done
 * again on dst. 0, or -1 when out of memory or inst is not on src. Call
 * it before the VM's pause ends at t. */
int gpu_run_move(gpu_run *src, gpu_run *dst, int home, size_t inst, double t);
void gpu_run_end(gpu_run *R);

#endif
