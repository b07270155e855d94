/* migration.c -- see migration.h. */
#include "migration/migration.h"
#include "migration/mig_gpu.h"
#include "migration/mig_results.h"

#include <math.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpu/gpu.h"
#include "sim/fluid.h"
#include "virtio/virt.h"

/* Stream bytes per byte of a zero page: QEMU's 8 B page header + 1 fill
 * byte per 4096 B page (migration/ram.c save_zero_page / save_page_header). */
#define MIG_ZERO_PAGE_COST (9.0 / 4096.0)

typedef enum { MIG_UNPLUG = 0, MIG_PRECOPY, MIG_STOPCOPY, MIG_PLUG, MIG_DONE } mig_phase;

typedef struct mig_run {
    struct mig_model *owner;
    int vm, from, to;
    migrate_params p;           /* resolved: no -1 left */
    double working_set_bytes;
    mig_phase phase;
    shim_xfer *xfer;
    double xfer_bytes;
    double xfer_cap_Bps;        /* the running transfer's cap (<= 0: none) */
    double round_start_s;
    double round_Bps;           /* bandwidth the last round measured */
    double lost_pps;            /* packets/s the paused flows offer */
    mig_gpu_plan gpu;           /* the vGPU state's phases in the downtime */
    double gpu_phase_start_s;   /* the save began (after the RAM left was sent) */
    bool gpu_sending;           /* the running transfer is the vGPU state */
    migration_result res;       /* strings filled at collect */
} mig_run;

struct mig_model {
    sim_ctx *c;
    int **cur_ep;               /* [vm][nic] endpoint the NIC uses now */
    bool *ep_taken;             /* [endpoint] a VM NIC holds this VF */
    bool *migrating;            /* [vm] */
    mig_run **runs;
    size_t n_runs;
};

static struct mig_model *mig_of(const sim_ctx *c)
{
    return sim_model_state(c, &migration_model_ops);
}

static int mig_fail(sim_ctx *c, const char *msg, const mig_run *r)
{
    snprintf(c->error, sizeof c->error, "migration of VM '%s': %s", c->cfg->vms[r->vm].name, msg);
    sim_fail(c);
    return -1;
}

static int log_phase(sim_ctx *c, const mig_run *r, int host, const char *type, const char *fmt,
                     double value)
{
    char detail[200];
    char text[120];
    snprintf(text, sizeof text, fmt, value);
    snprintf(detail, sizeof detail, "%s: %s", c->cfg->vms[r->vm].name, text);
    return eventlog_add(c, simgrid_get_clock(), host, -1, -1, type, detail);
}

/* ---- endpoints ------------------------------------------------------- */

static int ref_endpoint(const struct mig_model *m, endpoint_ref ref)
{
    return ref.vm_idx < 0 ? m->c->topo->external_endpoint : m->cur_ep[ref.vm_idx][ref.nic_idx];
}

/* Re-reads the route of every flow of the VM from its NICs' endpoints. */
static int rebind_vm_flows(sim_ctx *c, const mig_run *r)
{
    struct mig_model *m = mig_of(c);
    for (size_t f = 0; f < sim_n_flows(c); f++) {
        const flow_config *fc = sim_flow_cfg(c, f);
        if (fc->src.vm_idx != r->vm && fc->dst.vm_idx != r->vm)
            continue;
        int s = ref_endpoint(m, fc->src), d = ref_endpoint(m, fc->dst);
        if ((s != sim_flow_src_ep(c, f) || d != sim_flow_dst_ep(c, f)) &&
            flow_rebind(c, f, s, d) != 0)
            return mig_fail(c, "no route for a moved flow (platform pairs missing)", r);
    }
    return 0;
}

static void set_vm_flows_paused(sim_ctx *c, const mig_run *r, bool pause)
{
    for (size_t f = 0; f < sim_n_flows(c); f++) {
        const flow_config *fc = sim_flow_cfg(c, f);
        if (fc->src.vm_idx != r->vm && fc->dst.vm_idx != r->vm)
            continue;
        if (pause)
            flow_pause(c, f);
        else
            flow_resume(c, f);
    }
}

/* A VF (or ADI) endpoint on host h not held by any VM NIC and free in
 * every model's view (the PF's: enabled, not assigned, not in FLR); the
 * NIC's own adapter first. -1 when none. */
static int free_vf_endpoint(const sim_ctx *c, int h, int adapter)
{
    const struct mig_model *m = mig_of(c);
    int any = -1;
    for (size_t v = 0; v < c->topo->n_vfs; v++) {
        const topo_vf *vf = &c->topo->vfs[v];
        if (vf->host_idx != h || m->ep_taken[vf->endpoint] ||
            sim_endpoint_taken(c, vf->endpoint))
            continue;
        if (vf->adapter_idx == adapter)
            return vf->endpoint;
        if (any < 0)
            any = vf->endpoint;
    }
    return any;
}

/* ---- rounds ---------------------------------------------------------- */

static void start_stopcopy(sim_ctx *c, mig_run *r, double bytes);
static void resume_on_destination(sim_ctx *c, void *arg);
static void round_finished(sim_ctx *c, void *arg);

/* The round's transfer shares links with the flows: while it runs, the
 * fast path leaves the flows on its route to SimGrid (fluid.h). */
static void unpin_round(sim_ctx *c, mig_run *r)
{
    fluid_pin_route(c, sg_host_by_name(c->cfg->hosts[r->from].name),
                    sg_host_by_name(c->cfg->hosts[r->to].name), r->xfer_cap_Bps, -1);
}

/* `bandwidth` caps the pre-copy rounds only: QEMU's stop-and-copy sends
 * the rest "regardless of rate limiting" (migration/ram.c,
 * ram_save_complete, from QEMU 1.x to today), so it runs at what the
 * network gives; a cap there overstated the downtime by link rate /
 * bandwidth (validation/05-live-migration). */
static void send_round(sim_ctx *c, mig_run *r, double bytes)
{
    sg_host_t src = sg_host_by_name(c->cfg->hosts[r->from].name);
    sg_host_t dst = sg_host_by_name(c->cfg->hosts[r->to].name);
    r->xfer_cap_Bps = r->phase != MIG_STOPCOPY ? r->p.bandwidth_Bps
                      : r->gpu_sending ? r->gpu.stream_fraction * sg_host_get_route_bandwidth(src, dst)
                                       : 0;
    r->xfer = shim_xfer_start(src, dst, bytes, r->xfer_cap_Bps);
    fluid_pin_route(c, src, dst, r->xfer_cap_Bps, +1);
    r->xfer_bytes = bytes;
    r->round_start_s = simgrid_get_clock();
    /* Each round on the links it crosses (/link_transfers, the VM's
     * migration stream in /timeseries/transfer_throughput_bps). */
    char round[32] = "stop-and-copy";
    if (r->gpu_sending)
        snprintf(round, sizeof round, "vGPU state");
    else if (r->phase != MIG_STOPCOPY)
        snprintf(round, sizeof round, "round %d", (int)r->res.rounds + 1);
    carried_label label = {"migration", c->cfg->vms[r->vm].name, round};
    if (sim_wait_carried_xfer(c, r->xfer, src, dst, bytes, label, round_finished, r) != 0)
        mig_fail(c, "out of memory", r);
}

/* A pre-copy round ended: decide on another round or stop-and-copy. */
static void precopy_round_done(sim_ctx *c, mig_run *r, double elapsed_s)
{
    const vm_config *vm = &c->cfg->vms[r->vm];
    r->res.rounds++;
    /* Re-estimated after every round, as SimGrid's plugin does
     * (VmLiveMigration.cpp): a competing flow that starts mid-migration
     * lowers the threshold, so stop-and-copy still fits max_downtime. */
    r->round_Bps = elapsed_s > 0 ? r->xfer_bytes / elapsed_s : INFINITY;
    double dirty = fmin(vm->dirty_rate_Bps * elapsed_s, r->working_set_bytes);
    double threshold = r->round_Bps * r->p.max_downtime_s;
    if (dirty <= threshold) {
        start_stopcopy(c, r, dirty);
    } else if (r->res.rounds >= r->p.max_rounds) {
        log_phase(c, r, r->from, "mig_stop_rule", "max_rounds %.0f reached", r->p.max_rounds);
        start_stopcopy(c, r, dirty);
    } else {
        send_round(c, r, dirty);
    }
}

/* The VM resumes on the destination after min_downtime and, with a vGPU,
 * the framebuffers' restore over the destination GPU's PCIe link and the
 * driver's fixed cost (gpu_state_s then holds the whole GPU part). */
static void schedule_resume(sim_ctx *c, mig_run *r)
{
    double gpu = r->gpu.has_vgpu ? r->gpu.restore_s + r->gpu.fixed_s : 0;
    r->res.gpu_state_s = r->gpu.has_vgpu ? simgrid_get_clock() - r->gpu_phase_start_s + gpu : 0;
    if (sim_schedule(c, simgrid_get_clock() + r->p.min_downtime_s + gpu, resume_on_destination, r))
        mig_fail(c, "out of memory", r);
}

/* The saved vGPU state goes out in its own stream, after the RAM left,
 * at the share of the route's rate the device-state stream achieves. */
static void send_gpu_state(sim_ctx *c, void *arg)
{
    mig_run *r = arg;
    r->gpu_sending = true;
    if (r->res.gpu_state_bytes >= 1.0)
        send_round(c, r, r->res.gpu_state_bytes);
    else
        schedule_resume(c, r);
}

/* The RAM left was sent: the vendor driver copies the framebuffers in use
 * from the device to host memory (PCIe, not overlapped with the network:
 * VMware moves the vGPU state as the stunned VM's checkpoint; docs/gpu.md),
 * then the state is sent. */
static void start_gpu_state(sim_ctx *c, mig_run *r)
{
    r->gpu_phase_start_s = simgrid_get_clock();
    log_phase(c, r, r->from, "mig_gpu_state_save", "%.0f bytes of vGPU state",
              r->res.gpu_state_bytes);
    if (sim_schedule(c, r->gpu_phase_start_s + r->gpu.save_s, send_gpu_state, r))
        mig_fail(c, "out of memory", r);
}

static void round_done(sim_ctx *c, mig_run *r)
{
    double elapsed = simgrid_get_clock() - r->round_start_s;
    unpin_round(c, r);
    shim_xfer_free(r->xfer);
    r->xfer = NULL;
    if (r->phase == MIG_STOPCOPY) {
        if (r->gpu_sending) {
            schedule_resume(c, r);
            return;
        }
        r->res.bytes += r->xfer_bytes;
        if (r->gpu.has_vgpu)
            start_gpu_state(c, r);
        else
            schedule_resume(c, r);
        return;
    }
    r->res.bytes += r->xfer_bytes;
    precopy_round_done(c, r, elapsed);
}

/* The round's transfer finished (the controller waits on it with the
 * flows', so this runs at its exact end). */
static void round_finished(sim_ctx *c, void *arg)
{
    mig_run *r = arg;
    if (r->xfer && !sim_failed(c))
        round_done(c, r);
}

static void start_precopy(sim_ctx *c, void *arg)
{
    mig_run *r = arg;
    r->phase = MIG_PRECOPY;
    r->res.precopy_start_s = simgrid_get_clock();
    const vm_config *vm = &c->cfg->vms[r->vm];
    log_phase(c, r, r->from, "mig_precopy_start", "%.0f bytes of RAM", vm->memory_bytes);
    /* Round 1 sends a zero page as its 8 B page header and 1 fill byte
     * instead of 4 KiB (QEMU migration/ram.c, save_zero_page: 9 of 4096
     * bytes; an idle 8 GiB guest's 1.98 M zero pages are 17.8 MB, 3.6 % of
     * its stream, validation/05); dirtied pages are written, so later
     * rounds send them in full. The 8 B header of a full page (0.2 %) is
     * not counted. */
    double zero = vm->zero_page_fraction;
    send_round(c, r, vm->memory_bytes * ((1.0 - zero) + zero * MIG_ZERO_PAGE_COST));
}

static void start_stopcopy(sim_ctx *c, mig_run *r, double bytes)
{
    r->phase = MIG_STOPCOPY;
    r->res.precopy_end_s = simgrid_get_clock();
    r->lost_pps = 0;
    for (size_t f = 0; f < sim_n_flows(c); f++) {
        const flow_config *fc = sim_flow_cfg(c, f);
        bool mine = fc->src.vm_idx == r->vm || fc->dst.vm_idx == r->vm;
        if (mine && sim_flow_phase(c, f) == FLOW_ACTIVE && fc->kind == FLOW_INELASTIC)
            r->lost_pps += sim_flow_offered_Bps(c, f) / sim_flow_mean_pkt_bytes(c, f);
    }
    set_vm_flows_paused(c, r, true);
    if (gpu_vm_pause(c, r->vm, r->res.precopy_end_s) != 0)
        mig_fail(c, "out of memory", r);
    log_phase(c, r, r->from, "mig_stopcopy_start", "%.0f bytes left", bytes);
    if (bytes >= 1.0)
        send_round(c, r, bytes);
    else if (r->gpu.has_vgpu)
        start_gpu_state(c, r);
    else
        schedule_resume(c, r);
}

/* ---- failover -------------------------------------------------------- */

static bool nic_is_vf(const nic_config *nic)
{
    return nic->attach == ATTACH_VF;
}

static void plug_vf(sim_ctx *c, void *arg)
{
    mig_run *r = arg;
    struct mig_model *m = mig_of(c);
    const vm_config *vm = &c->cfg->vms[r->vm];
    int plugged = 0, missing = 0;
    for (size_t n = 0; n < vm->n_nics; n++) {
        if (!nic_is_vf(&vm->nics[n]))
            continue;
        int ep = free_vf_endpoint(c, r->to, vm->nics[n].adapter_idx);
        if (ep < 0) {
            missing++;
            continue;
        }
        m->ep_taken[ep] = true;
        sim_nic_moved(c, (endpoint_ref){r->vm, (int)n}, m->cur_ep[r->vm][n], ep);
        m->cur_ep[r->vm][n] = ep;
        const topo_endpoint *e = &c->topo->endpoints[ep];
        char detail[160];
        snprintf(detail, sizeof detail, "%s.%s: VF hot-plugged, traffic back on the VF", vm->name,
                 vm->nics[n].name);
        eventlog_add(c, simgrid_get_clock(), e->host_idx, e->adapter_idx, e->vf, "mig_vf_plug", detail);
        plugged++;
    }
    if (missing)
        log_phase(c, r, r->to, "mig_vf_unavailable", "%.0f VF NIC(s) stay on virtio: no free VF",
                  missing);
    r->res.vf_replugged = plugged > 0 && missing == 0;
    r->res.replug_end_s = plugged ? simgrid_get_clock() : NAN;
    r->phase = MIG_DONE;
    m->migrating[r->vm] = false;
    rebind_vm_flows(c, r);
}

static void resume_on_destination(sim_ctx *c, void *arg)
{
    mig_run *r = arg;
    struct mig_model *m = mig_of(c);
    const vm_config *vm = &c->cfg->vms[r->vm];
    double now = simgrid_get_clock();
    r->res.downtime_s = now - r->res.precopy_end_s;
    r->res.lost_packets += r->lost_pps * r->res.downtime_s;
    r->res.end_s = now;
    bool has_vf = false;
    for (size_t n = 0; n < vm->n_nics; n++) {
        const nic_config *nic = &vm->nics[n];
        int sw = c->topo->host_sw_endpoint[r->to];
        int ep = sw;
        if (nic->attach == ATTACH_VDPA) {
            int vf = free_vf_endpoint(c, r->to, nic->adapter_idx);
            ep = vf >= 0 ? vf : sw;
            if (vf >= 0)
                m->ep_taken[vf] = true;
            else
                log_phase(c, r, r->to, "mig_vdpa_fallback", "no free VF for vDPA: vhost-net", 0);
            /* its QoS follows it (qos/shaper.c); the PF ignores vDPA NICs */
            sim_nic_moved(c, (endpoint_ref){r->vm, (int)n}, m->cur_ep[r->vm][n], ep);
        }
        has_vf |= nic_is_vf(nic);
        m->cur_ep[r->vm][n] = ep;
    }
    virt_set_vm_host(c, r->vm, r->to);
    if (rebind_vm_flows(c, r) != 0)
        return;
    set_vm_flows_paused(c, r, false);
    if (gpu_vm_resume(c, r->vm, r->to, now) != 0) {
        mig_fail(c, "out of memory", r);
        return;
    }
    log_phase(c, r, r->to, "mig_resume", "downtime %.6f s", r->res.downtime_s);
    if (!has_vf) {
        r->res.replug_end_s = NAN;
        r->phase = MIG_DONE;
        m->migrating[r->vm] = false;
        return;
    }
    r->phase = MIG_PLUG;
    if (sim_schedule(c, now + r->p.plug_s, plug_vf, r) != 0)
        mig_fail(c, "out of memory", r);
}

static void unplug_done(sim_ctx *c, void *arg)
{
    mig_run *r = arg;
    struct mig_model *m = mig_of(c);
    const vm_config *vm = &c->cfg->vms[r->vm];
    for (size_t n = 0; n < vm->n_nics; n++) {
        if (!nic_is_vf(&vm->nics[n]))
            continue;
        int sw = c->topo->host_sw_endpoint[r->from];
        m->ep_taken[m->cur_ep[r->vm][n]] = false;
        sim_nic_moved(c, (endpoint_ref){r->vm, (int)n}, m->cur_ep[r->vm][n], sw);
        m->cur_ep[r->vm][n] = sw;
    }
    if (rebind_vm_flows(c, r) != 0)
        return;
    log_phase(c, r, r->from, "mig_vf_unplugged", "traffic on the standby virtio NIC", 0);
    start_precopy(c, r);
}

/* ---- the model ------------------------------------------------------- */

static double pick(double given, double dflt)
{
    return given >= 0 ? given : dflt;
}

static mig_run *new_run(sim_ctx *c, const event_config *ev)
{
    struct mig_model *m = mig_of(c);
    const mig_defaults *d = &virt_loaded_params(c)->mig;
    mig_run **grown = realloc(m->runs, (m->n_runs + 1) * sizeof *grown);
    mig_run *r = calloc(1, sizeof *r);
    if (!grown || !r) {
        free(r);
        if (grown)
            m->runs = grown;
        return NULL;
    }
    m->runs = grown;
    m->runs[m->n_runs++] = r;
    r->owner = m;
    r->vm = ev->vm_idx;
    r->to = ev->to_host_idx;
    r->from = virt_vm_host(c, r->vm);
    r->p = (migrate_params){pick(ev->mig.unplug_s, d->unplug_s), pick(ev->mig.plug_s, d->plug_s),
                            pick(ev->mig.min_downtime_s, d->min_downtime_s),
                            pick(ev->mig.max_downtime_s, d->max_downtime_s),
                            pick(ev->mig.bandwidth_Bps, d->bandwidth_Bps),
                            ev->mig.max_rounds > 0 ? ev->mig.max_rounds : d->max_rounds};
    r->working_set_bytes = d->working_set * c->cfg->vms[r->vm].memory_bytes;
    r->res.start_s = simgrid_get_clock();
    r->res.replug_end_s = NAN;
    r->res.gpu_state_s = NAN;
    r->gpu = mig_gpu_plan_of(c->cfg, r->vm);
    r->res.gpu_state_bytes = r->gpu.state_bytes;
    return r;
}

static int mig_handle(sim_ctx *c, const event_config *ev)
{
    struct mig_model *m = mig_of(c);
    if (!m) {
        snprintf(c->error, sizeof c->error, "migration model not initialised");
        return -1;
    }
    if (m->migrating[ev->vm_idx]) {
        char detail[120];
        snprintf(detail, sizeof detail, "%s is already migrating: event ignored",
                 c->cfg->vms[ev->vm_idx].name);
        return eventlog_add(c, simgrid_get_clock(), -1, -1, -1, "mig_refused", detail);
    }
    const vm_config *vm = &c->cfg->vms[ev->vm_idx];
    if (vm->n_nics == 0) {
        snprintf(c->error, sizeof c->error, "VM '%s' has no NIC to migrate", vm->name);
        return -1;
    }
    mig_run *r = new_run(c, ev);
    if (!r) {
        snprintf(c->error, sizeof c->error, "out of memory");
        return -1;
    }
    m->migrating[r->vm] = true;
    bool on_vf = false;
    for (size_t n = 0; n < vm->n_nics; n++)
        on_vf |= nic_is_vf(&vm->nics[n]) &&
                 c->topo->endpoints[m->cur_ep[r->vm][n]].kind == EP_VF;
    if (!on_vf) {
        start_precopy(c, r);
        return sim_failed(c) ? -1 : 0;
    }
    r->phase = MIG_UNPLUG;
    log_phase(c, r, r->from, "mig_vf_unplug_start", "hot-unplug of the VF (%.3f s)", r->p.unplug_s);
    return sim_schedule(c, r->res.start_s + r->p.unplug_s, unplug_done, r);
}

static int mig_supports(event_type_t type)
{
    return type == EV_MIGRATE;
}

static int mig_init(sim_ctx *c)
{
    if (!virt_loaded_params(c))
        return 0;
    struct mig_model *m = calloc(1, sizeof *m);
    if (!m)
        return -1;
    sim_set_model_state(c, &migration_model_ops, m);
    m->c = c;
    size_t nv = c->cfg->n_vms;
    m->cur_ep = calloc(nv ? nv : 1, sizeof *m->cur_ep);
    m->migrating = calloc(nv ? nv : 1, sizeof *m->migrating);
    m->ep_taken = calloc(c->topo->n_endpoints ? c->topo->n_endpoints : 1, sizeof *m->ep_taken);
    if (!m->cur_ep || !m->migrating || !m->ep_taken) {
        snprintf(c->error, sizeof c->error, "out of memory");
        return -1;
    }
    for (size_t v = 0; v < nv; v++) {
        size_t nn = c->cfg->vms[v].n_nics;
        m->cur_ep[v] = calloc(nn ? nn : 1, sizeof(int));
        if (!m->cur_ep[v]) {
            snprintf(c->error, sizeof c->error, "out of memory");
            return -1;
        }
        for (size_t n = 0; n < nn; n++)
            m->cur_ep[v][n] = c->topo->nic_endpoint[v][n];
    }
    for (size_t v = 0; v < c->topo->n_vfs; v++)
        m->ep_taken[c->topo->vfs[v].endpoint] = c->topo->vfs[v].vm_idx >= 0;
    return 0;
}

static const results_column migration_cols[] = {
    RESULTS_STR(migration_result, vm),
    RESULTS_STR(migration_result, from),
    RESULTS_STR(migration_result, to),
    RESULTS_F64(migration_result, start_s, "s"),
    RESULTS_F64(migration_result, precopy_start_s, "s"),
    RESULTS_F64(migration_result, precopy_end_s, "s"),
    RESULTS_F64(migration_result, downtime_s, "s"),
    RESULTS_F64(migration_result, end_s, "s"),
    RESULTS_F64(migration_result, replug_end_s, "s"),
    RESULTS_F64(migration_result, bytes, "bytes"),
    RESULTS_I32(migration_result, rounds, "count"),
    RESULTS_I32(migration_result, vf_replugged, "1"),
    RESULTS_F64(migration_result, lost_packets, "packets"),
    RESULTS_F64(migration_result, gpu_state_bytes, "bytes"),
    RESULTS_F64(migration_result, gpu_state_s, "s"),
};
const results_schema migration_results_schema =
    RESULTS_SCHEMA("migrations", migration_result, migration_cols);

static int mig_collect(const sim_ctx *c, run_results *res)
{
    const struct mig_model *m = mig_of(c);
    if (!m || m->n_runs == 0)
        return 0;
    migration_result *rows = results_table_add(&res->reg, &migration_results_schema, m->n_runs);
    if (!rows)
        return -1;
    for (size_t i = 0; i < m->n_runs; i++) {
        const mig_run *r = m->runs[i];
        migration_result *out = &rows[i];
        *out = r->res;
        out->vm = strdup(c->cfg->vms[r->vm].name);
        out->from = strdup(c->cfg->hosts[r->from].name);
        out->to = strdup(c->cfg->hosts[r->to].name);
        if (!out->vm || !out->from || !out->to)
            return -1;
        if (r->phase < MIG_PLUG) { /* the run ended first */
            out->end_s = out->downtime_s = NAN;
            if (r->phase < MIG_STOPCOPY)
                out->precopy_end_s = NAN;
        }
    }
    return 0;
}

static void mig_fini(sim_ctx *c)
{
    struct mig_model *m = mig_of(c);
    if (!m)
        return;
    for (size_t i = 0; i < m->n_runs; i++) {
        shim_xfer_free(m->runs[i]->xfer);
        free(m->runs[i]);
    }
    free(m->runs);
    for (size_t v = 0; m->cur_ep && v < c->cfg->n_vms; v++)
        free(m->cur_ep[v]);
    free(m->cur_ep);
    free(m->migrating);
    free(m->ep_taken);
    free(m);
    sim_set_model_state(c, &migration_model_ops, NULL);
}

const sim_model_ops migration_model_ops = {
    .name = "migration",
    .needs_live_capacities = true,
    .add_pairs = mig_add_pairs,
    .init = mig_init,
    .supports_event = mig_supports,
    .handle_event = mig_handle,
    .collect = mig_collect,
    .fini = mig_fini,
};
