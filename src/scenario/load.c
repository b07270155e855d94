/* load.c -- see load.h. The top level: the scenario name, the simulation,
 * policy and output sections, and the order of all sections (the others
 * are read in load_hosts.c, load_vms.c, load_traffic.c and load_events.c;
 * load_internal.h lists them).
 *
 * Sections are read in dependency order (simulation and policy, hosts,
 * fabric, vms, traffic, events, output), each resolving its references
 * against the ones before it, so every error is reported at the node that
 * caused it. Within a section every item is checked, so one run shows all
 * of that section's mistakes; a section with errors stops the load, since
 * later sections would only report their consequences.
 */
#include "scenario/load.h"
#include "util/datadir.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/load_internal.h"

/* ---- simulation, policy ---------------------------------------------------------- */

static int load_simulation(loader *L, const ynode *root)
{
    static const char *const keys[] = {"duration", "seed", "granularity", "burst_packets",
                                       "rate_epoch", "network_model", "fast_path", "port_queues",
                                       NULL};
    static const char *const grans[] = {"flow", "burst", "packet", NULL};
    /* SimGrid 3.32 network/model values built into the Debian package */
    static const char *const models[] = {"LV08", "CM02", "SMPI", "IB", "Constant", NULL};
    sim_config *sim = &L->cfg->sim;
    sim->seed = 1;
    sim->granularity = GRAN_FLOW;
    sim->burst_packets = 64;
    sim->rate_epoch_s = 0;
    sim->fast_path = true;
    sim->network_model = sc_xstrdup("CM02");
    const ynode *s = ynode_get(root, "simulation");
    if (!s) {
        ynode_error(L->d, root, "add 'simulation: { duration: 10s }'",
                    "missing required key 'simulation'");
        return -1;
    }
    if (ynode_expect(L->d, s, YNODE_MAP, "'simulation'"))
        return -1;
    int errors = ynode_check_keys(L->d, s, keys, "simulation");
    errors += ld_require(L, s, "duration", "simulation") < 0;
    errors += yget_quantity(L->d, s, "duration", UNIT_TIME, true, &sim->duration_s) < 0;
    /* at most 1e9s, the range of every time (units_range) */
    errors += yget_u64(L->d, s, "seed", &sim->seed) < 0;
    int gran = 0;
    if (yget_enum(L->d, s, "granularity", grans, &gran) < 0)
        errors++;
    sim->granularity = (granularity_t)gran;
    errors += yget_int(L->d, s, "burst_packets", 1, 1000000, &sim->burst_packets) < 0;
    static const char *const queues[] = {"shared", "fifo", NULL};
    int pq = 0;
    if (yget_enum(L->d, s, "port_queues", queues, &pq) < 0)
        errors++;
    sim->port_fifo = pq == 1;
    if (sim->port_fifo && sim->granularity != GRAN_BURST) {
        ynode_error(L->d, ynode_get(s, "port_queues"), "set granularity: burst, or remove it",
                    "port_queues: fifo is the per-packet reference of burst granularity");
        errors++;
    }
    errors += yget_quantity(L->d, s, "rate_epoch", UNIT_TIME, false, &sim->rate_epoch_s) < 0;
    errors += yget_bool(L->d, s, "fast_path", &sim->fast_path) < 0;
    int model = 1;
    if (yget_enum(L->d, s, "network_model", models, &model) < 0)
        errors++;
    free(sim->network_model);
    sim->network_model = sc_xstrdup(models[model]);
    return errors ? -1 : 0;
}

static int load_policy(loader *L, const ynode *root)
{
    static const char *const keys[] = {"vf_exhausted", NULL};
    static const char *const choices[] = {"fail", "virtio", NULL};
    L->cfg->vf_exhausted = VF_EXHAUSTED_FAIL;
    const ynode *p = ynode_get(root, "policy");
    if (!p)
        return 0;
    if (ynode_expect(L->d, p, YNODE_MAP, "'policy'") ||
        ynode_check_keys(L->d, p, keys, "policy"))
        return -1;
    int choice = 0;
    if (yget_enum(L->d, p, "vf_exhausted", choices, &choice) < 0)
        return -1;
    L->cfg->vf_exhausted = (vf_exhausted_t)choice;
    return 0;
}

/* ---- output, top level ------------------------------------------------------------------ */

/* The results hold one row per sample, allocated before the run starts:
 * bound them here, where the error can point at the scenario, instead of
 * failing to allocate (or filling the disk) later. */
#define MAX_SAMPLES 1e7

static int check_sample_count(loader *L, const ynode *root, const output_config *out)
{
    double samples = L->cfg->sim.duration_s / out->sample_interval_s;
    if (samples <= MAX_SAMPLES)
        return 0;
    const ynode *where = ynode_get(ynode_get(root, "output"), "sample_interval");
    if (!where)
        where = ynode_get(ynode_get(root, "simulation"), "duration");
    ynode_error(L->d, where, "use a longer output.sample_interval or a shorter duration",
                "%.3g samples (duration / sample_interval) exceed the limit of %.0g",
                samples, MAX_SAMPLES);
    return 1;
}

/* A scenario is shared, run by someone else in their directory: the file it
 * names must stay under that directory (relative, no '..' component), or
 * "file: ../important.conf" overwrites whatever the runner can write. The
 * runner's own -o is not checked here: they named it. */
static int check_output_file(loader *L, const ynode *n)
{
    const char *p = n->text;
    const char *why = NULL;
    if (p[0] == '\0')
        why = "is empty";
    else if (p[0] == '/')
        why = "is an absolute path";
    for (const char *c = p; *c && !why; c = *c ? c + 1 : c) {
        size_t len = strcspn(c, "/");
        if (len == 2 && c[0] == '.' && c[1] == '.')
            why = "leaves the current directory ('..')";
        c += len;
    }
    if (!why)
        return 0;
    ynode_error(L->d, n, "write elsewhere with -o PATH on the command line",
                "output.file '%s' %s: a scenario may only name a relative path without '..'",
                p, why);
    return 1;
}

static int load_output(loader *L, const ynode *root)
{
    static const char *const keys[] = {"file", "sample_interval", NULL};
    output_config *out = &L->cfg->output;
    /* 100 ms, or the whole run when it is shorter: a default never makes a
     * valid scenario invalid (and the resolved scenario reloads). */
    out->sample_interval_s = fmin(0.1, L->cfg->sim.duration_s);
    const ynode *o = ynode_get(root, "output");
    int errors = 0;
    if (o && !ynode_is_null(o)) {
        if (ynode_expect(L->d, o, YNODE_MAP, "'output'") || ynode_check_keys(L->d, o, keys, "output"))
            return -1;
        int got = yget_string(L->d, o, "file", &out->file);
        errors += got < 0;
        if (got > 0)
            errors += check_output_file(L, ynode_get(o, "file"));
        errors += yget_quantity(L->d, o, "sample_interval", UNIT_TIME, true,
                                &out->sample_interval_s) < 0;
        if (!errors && out->sample_interval_s > L->cfg->sim.duration_s) {
            ynode_error(L->d, ynode_get(o, "sample_interval"),
                        "use an interval no longer than simulation.duration",
                        "sample_interval %gs is longer than the simulation (%gs)",
                        out->sample_interval_s, L->cfg->sim.duration_s);
            errors++;
        }
    }
    if (!errors)
        errors += check_sample_count(L, root, out);
    if (!out->file) {
        size_t len = strlen(L->cfg->name) + sizeof "results/.h5";
        out->file = sc_xcalloc(len, 1);
        snprintf(out->file, len, "results/%s.h5", L->cfg->name);
    }
    return errors ? -1 : 0;
}

static int load_name(loader *L, const ynode *root)
{
    const ynode *n = ynode_get(root, "name");
    if (!n) {
        ynode_error(L->d, root, "add 'name: my-scenario' (it names the results file)",
                    "missing required key 'name'");
        return -1;
    }
    if (yget_string(L->d, root, "name", &L->cfg->name) < 0 || ld_check_name(L, n, "scenario"))
        return -1;
    return 0;
}

/* Does the scenario have anything the virtio model (or migration) plays? */
static bool needs_virtio(const scenario_config *cfg)
{
    for (size_t v = 0; v < cfg->n_vms; v++) {
        if (cfg->vms[v].cpu_load > 0)
            return true;
        for (size_t n = 0; n < cfg->vms[v].n_nics; n++) {
            const nic_config *nic = &cfg->vms[v].nics[n];
            if (nic->attach != ATTACH_VF || nic->standby || nic->guest_written)
                return true;
        }
    }
    for (size_t e = 0; e < cfg->n_events; e++)
        if (cfg->events[e].type == EV_MIGRATE)
            return true;
    return false;
}

/* The model files a loaded scenario needs beyond the catalogue and OS
 * profiles (read with their hosts): models/virtio/, after every section,
 * since a NIC may have fallen back to virtio. Read here, before any work,
 * so a broken file is a load error at its own file:line:col. */
static int load_model_params(loader *L)
{
    scenario_config *cfg = L->cfg;
    if (!needs_virtio(cfg))
        return 0;
    if (virt_params_load(L->models_dir, &cfg->virtio, L->d) != 0)
        return -1;
    cfg->virtio_loaded = true;
    return 0;
}

static int load_root(loader *L, const ynode *root)
{
    static const char *const keys[] = {"name", "simulation", "fabric", "hosts", "vms",
                                       "traffic", "events", "policy", "output", "workloads", "gpus",
                                       NULL};
    if (ynode_expect(L->d, root, YNODE_MAP, "the scenario"))
        return -1;
    int errors = ynode_check_keys(L->d, root, keys, "the scenario");
    errors += load_name(L, root) < 0;
    errors += load_simulation(L, root) < 0;
    errors += load_policy(L, root) < 0;
    errors += load_hosts(L, root) < 0;
    /* everything below resolves names against what is above */
    if (errors || load_fabric(L, root) || load_multi_host(L) || load_vms(L, root) ||
        load_traffic(L, root) || load_workloads(L, root) || load_events(L, root) ||
        load_host_cap_check(L) ||
        load_gpus(L, root) || load_output(L, root) || load_model_params(L))
        return -1;
    return 0;
}

const char *scenario_models_dir(const char *flag_value)
{
    if (flag_value)
        return flag_value;
    const char *env = getenv("SRIOV_MODELS_DIR");
    if (env && *env)
        return env;
    return datadir_find("models", SRIOV_SOURCE_DIR "/models");
}

int scenario_load_text(const char *text, size_t len, const char *path,
                       const char *models_dir, scenario_config *out, diag *d)
{
    memset(out, 0, sizeof *out);
    out->path = sc_xstrdup(path ? path : "<input>");
    out->text = sc_xcalloc(len + 1, 1);
    memcpy(out->text, text, len);
    int errors_before = d->n_errors;
    ynode_doc doc;
    if (ynode_parse(out->text, len, out->path, &doc, d)) {
        config_free(out);
        return -1;
    }
    loader L = {.d = d, .models_dir = scenario_models_dir(models_dir), .cfg = out};
    const ynode *root = doc.root;
    int rc = groups_expand(&L.gx, d, doc.root, out, &root);
    if (rc == 0) {
        L.group_failed = sc_xcalloc(out->n_groups, 1);
        rc = load_root(&L, root);
    }
    if (rc == 0 && d->n_errors == errors_before)
        groups_fill_defaults(&L.gx, out);
    d->context = NULL;
    free(L.group_failed);
    groups_free(&L.gx);
    doc_cache_free(&L.models);
    strmap_free(&L.host_index);
    strmap_free(&L.vm_index);
    strmap_free(&L.flow_index);
    ynode_doc_free(&doc);
    if (rc || d->n_errors > errors_before) {
        config_free(out);
        return -1;
    }
    return 0;
}

int scenario_load(const char *path, const char *models_dir, scenario_config *out, diag *d)
{
    memset(out, 0, sizeof *out);
    char *text;
    size_t len;
    if (ynode_read_file(path, &text, &len, d))
        return -1;
    int rc = scenario_load_text(text, len, path, models_dir, out, d);
    free(text);
    return rc;
}
