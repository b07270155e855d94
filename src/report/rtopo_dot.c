/* rtopo_dot.c -- the platform as Graphviz DOT (see rtopo.h for what is
 * drawn). Every node ID is generated here (sp0, tor3, h12, a12_0, ...);
 * every name from the results file reaches the text only through
 * text_put_dot_text/text_put_dot_string (util/textesc.h), inside a quoted
 * label or tooltip, never as an ID or an HTML-like label. */
#include "report/rtopo.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/textesc.h"

/* Peak utilisation bins of the legend: colour when peak >= lo. Red-yellow-
 * green (ColorBrewer RdYlGn, its pale middle left out so that a thin edge
 * stays visible on white). */
static const struct bin {
    double lo;
    const char *colour, *label;
} bins[] = {
    {0.0, "#1a9641", "peak < 25 %"},
    {0.25, "#a6d96a", "25 - 50 %"},
    {0.50, "#fdae61", "50 - 75 %"},
    {0.75, "#f46d43", "75 - 90 %"},
    {0.90, "#d7191c", "90 % and above"},
};
#define N_BINS (sizeof bins / sizeof *bins)
static const char idle_colour[] = "#bdbdbd";
static const char none_colour[] = "#636363";

typedef struct dot_ctx {
    FILE *f;
    const scenario_config *cfg;
    const topo_in *in;
    topo_counts *n;
} dot_ctx;

static double peak_of(const link_use *u)
{
    return u->split ? fmax(u->peak[0], u->peak[1]) : u->peak[0];
}

static const char *colour_of(const link_use *u)
{
    if (!u->found)
        return none_colour;
    double p = peak_of(u);
    if (!(u->bytes > 0) || !isfinite(p))
        return idle_colour;
    const char *c = bins[0].colour;
    for (size_t b = 0; b < N_BINS; b++)
        if (p >= bins[b].lo)
            c = bins[b].colour;
    return c;
}

/* "12 %", "<1 %" (busy but below half a percent), "-" (not a number). */
static void put_pct(FILE *f, double v)
{
    if (!isfinite(v))
        fputs("-", f);
    else if (v > 0 && v < 0.005)
        fputs("<1 %", f);
    else
        fprintf(f, "%.0f %%", v * 100);
}

/* The mean/peak lines of a link, inside a label (DOT \n line breaks). */
static void put_use(FILE *f, const link_use *u)
{
    if (!u->found) {
        fputs("no data", f);
        return;
    }
    if (!(u->bytes > 0)) {
        fputs("idle", f);
        return;
    }
    for (int d = 0; d < (u->split ? 2 : 1); d++) {
        if (d)
            fputs("\\n", f);
        if (u->split)
            fputs(d ? "down " : "up ", f);
        fputs("mean ", f);
        put_pct(f, u->mean[d]);
        fputs(" peak ", f);
        put_pct(f, u->peak[d]);
    }
}

/* An edge a -> b for link `name` (NULL: a plain structural edge). */
static void put_link_edge(dot_ctx *x, const char *a, const char *b, const char *name,
                          const char *extra)
{
    x->n->edges++;
    fprintf(x->f, "  %s -> %s [", a, b);
    if (name != NULL) {
        link_use u = rp_topo_link(x->in, name);
        fprintf(x->f, "color=\"%s\", penwidth=%.2f, label=\"", colour_of(&u),
                u.found && u.bytes > 0 ? 1.0 + 3.0 * fmin(peak_of(&u), 1.0) : 1.0);
        put_use(x->f, &u);
        fputs("\", tooltip=", x->f);
        text_put_dot_string(x->f, name);
        if (!u.found)
            fputs(", style=dashed", x->f);
    } else {
        fputs("color=\"#777777\", arrowhead=none", x->f);
    }
    if (extra)
        fprintf(x->f, ", %s", extra);
    fputs("];\n", x->f);
}

/* Node `id` with a label made of a user name and our own text. */
static void node_open(dot_ctx *x, const char *id, const char *name)
{
    x->n->nodes++;
    fprintf(x->f, "  %s [label=\"", id);
    text_put_dot_text(x->f, name);
}

static void node_close(dot_ctx *x, const char *attrs)
{
    fprintf(x->f, "\"%s%s];\n", attrs ? ", " : "", attrs ? attrs : "");
}

/* name joined from parts (each borrowed) into buf: a link or tooltip name. */
static const char *link_name(char *buf, size_t size, const char *a, const char *b,
                             const char *c)
{
    snprintf(buf, size, "%s%s%s%s%s", a, b ? "." : "", b ? b : "", c ? "." : "", c ? c : "");
    return buf;
}

/* ---- fabric ------------------------------------------------------------------ */

static void put_spines(dot_ctx *x)
{
    int S = x->cfg->fabric.spines > 0 ? x->cfg->fabric.spines : 1;
    fputs("  { rank=min;\n", x->f);
    for (int s = 0; s < S; s++) {
        char id[32], name[32];
        snprintf(id, sizeof id, "sp%d", s);
        snprintf(name, sizeof name, "spine%d", s);
        node_open(x, id, name);
        node_close(x, "shape=box3d, fillcolor=\"#e0e0e0\"");
    }
    node_open(x, "ext", "external");
    node_close(x, "shape=cds, fillcolor=\"#e0e0e0\"");
    fputs("  }\n", x->f);
    /* the external link leaves through spine r % S for rack r (platform.c) */
    size_t used = x->cfg->fabric.n_racks < (size_t)S ? x->cfg->fabric.n_racks : (size_t)S;
    for (size_t s = 0; s < used; s++) {
        char id[32];
        snprintf(id, sizeof id, "sp%zu", s);
        put_link_edge(x, "ext", id, "external.link", NULL);
    }
}

/* ToR r to every spine. */
static void put_uplinks(dot_ctx *x, size_t r, const char *from)
{
    int S = x->cfg->fabric.spines > 0 ? x->cfg->fabric.spines : 1;
    for (int s = 0; s < S; s++) {
        char sp[32], up[32], name[200];
        snprintf(sp, sizeof sp, "sp%d", s);
        snprintf(up, sizeof up, "up%d", s);
        put_link_edge(x, sp, from, link_name(name, sizeof name, x->cfg->fabric.racks[r].name,
                                             up, NULL), NULL);
    }
}

/* Above TOPO_RACK_ROW racks: the busiest of rack r's uplinks only, from
 * its spine (1,000 edges of 250 racks x 4 spines would hide the racks). */
static void put_busiest_uplink(dot_ctx *x, size_t r, const char *from)
{
    int S = x->cfg->fabric.spines > 0 ? x->cfg->fabric.spines : 1, best = 0;
    double best_peak = -1;
    char up[32], name[200];
    for (int s = 0; s < S; s++) {
        snprintf(up, sizeof up, "up%d", s);
        link_use u = rp_topo_link(x->in, link_name(name, sizeof name,
                                                   x->cfg->fabric.racks[r].name, up, NULL));
        double p = u.found && u.bytes > 0 ? peak_of(&u) : -1;
        if (p > best_peak) {
            best_peak = p;
            best = s;
        }
    }
    char sp[32];
    snprintf(sp, sizeof sp, "sp%d", best);
    snprintf(up, sizeof up, "up%d", best);
    put_link_edge(x, sp, from, link_name(name, sizeof name, x->cfg->fabric.racks[r].name, up,
                                         NULL), NULL);
}

/* ---- one host in detail -------------------------------------------------------- */

/* The VM NICs bound to VF v of adapter a on host h (at the start). */
static void put_vf_nodes(dot_ctx *x, size_t h, size_t a)
{
    const host_config *hc = &x->cfg->hosts[h];
    const adapter_config *ac = &hc->adapters[a];
    char aid[48], id[64], name[200];
    snprintf(aid, sizeof aid, "a%zu_%zu", h, a);
    if (ac->num_vfs > TOPO_DETAIL_MAX_VFS) {
        /* one node; its colour: the busiest VF shaper */
        link_use worst = {0};
        for (int v = 0; v < ac->num_vfs; v++) {
            char vf[32];
            snprintf(vf, sizeof vf, "vf%d.shaper", v);
            link_use u = rp_topo_link(x->in, link_name(name, sizeof name, hc->name, ac->name, vf));
            if (u.found && (!worst.found || peak_of(&u) > peak_of(&worst)))
                worst = u;
        }
        snprintf(id, sizeof id, "vfg%zu_%zu", h, a);
        x->n->vf_groups++;
        x->n->nodes++;
        fprintf(x->f, "  %s [label=\"vf0 .. vf%d\\n(%d VFs)\", shape=box, style=\"filled,rounded\", "
                "fillcolor=\"%s\"];\n", id, ac->num_vfs - 1, ac->num_vfs,
                worst.found ? colour_of(&worst) : "#ffffff");
        put_link_edge(x, aid, id, NULL, NULL);
        return;
    }
    for (int v = 0; v < ac->num_vfs; v++) {
        char vf[32];
        snprintf(id, sizeof id, "vf%zu_%zu_%d", h, a, v);
        snprintf(vf, sizeof vf, "vf%d.shaper", v);
        link_use u = rp_topo_link(x->in, link_name(name, sizeof name, hc->name, ac->name, vf));
        x->n->nodes++;
        fprintf(x->f, "  %s [label=\"vf%d\", shape=box, fontsize=8, fillcolor=\"%s\"];\n", id,
                v, u.found ? colour_of(&u) : "#ffffff");
        put_link_edge(x, aid, id, NULL, NULL);
    }
}

static void put_adapter(dot_ctx *x, size_t h, size_t a)
{
    const host_config *hc = &x->cfg->hosts[h];
    const adapter_config *ac = &hc->adapters[a];
    char id[48], hid[32], name[200], tor[32];
    snprintf(id, sizeof id, "a%zu_%zu", h, a);
    snprintf(hid, sizeof hid, "h%zu", h);
    snprintf(tor, sizeof tor, "tor%d", hc->rack_idx);
    link_use total = rp_topo_link(x->in, link_name(name, sizeof name, hc->name, ac->name, "total"));
    node_open(x, id, ac->name);
    fputs("\\n", x->f);
    text_put_dot_text(x->f, ac->model ? ac->model : "");
    fprintf(x->f, "\\n%d VFs", ac->num_vfs);
    if (total.found) {
        fputs("\\nadapter total: ", x->f);
        put_use(x->f, &total);
    }
    fprintf(x->f, "\", shape=component, fillcolor=\"%s\"];\n",
            total.found ? colour_of(&total) : "#ffffff");
    /* adapter -> host over PCIe */
    put_link_edge(x, id, hid, link_name(name, sizeof name, hc->name, ac->name, "pcie"),
                  "fontcolor=\"#555555\"");
    for (int p = 0; p < ac->ports; p++) {
        char pid[64], pn[32];
        snprintf(pid, sizeof pid, "p%zu_%zu_%d", h, a, p);
        snprintf(pn, sizeof pn, "p%d", p);
        x->n->nodes++;
        fprintf(x->f, "  %s [label=\"%s\\n%.0f Gb/s\", shape=circle, fontsize=8, width=0.4, "
                "fixedsize=false];\n", pid, pn, ac->port_rate_bps / 1e9);
        put_link_edge(x, pid, id, NULL, NULL);
        put_link_edge(x, tor, pid, link_name(name, sizeof name, hc->name, ac->name, pn), NULL);
    }
    put_vf_nodes(x, h, a);
}

/* The node a NIC of a VM attaches to: a VF, its group, or the host (virtio). */
static void nic_target(const dot_ctx *x, size_t h, const nic_config *nc, char *buf,
                       size_t size)
{
    const host_config *hc = &x->cfg->hosts[h];
    if (nc->attach == ATTACH_VIRTIO || nc->adapter_idx < 0 ||
        (size_t)nc->adapter_idx >= hc->n_adapters) {
        snprintf(buf, size, "h%zu", h);
        return;
    }
    const adapter_config *ac = &hc->adapters[nc->adapter_idx];
    if (ac->num_vfs > TOPO_DETAIL_MAX_VFS || nc->vf_idx < 0 || nc->vf_idx >= ac->num_vfs)
        snprintf(buf, size, "vfg%zu_%d", h, nc->adapter_idx);
    else
        snprintf(buf, size, "vf%zu_%d_%d", h, nc->adapter_idx, nc->vf_idx);
    if (ac->num_vfs <= TOPO_DETAIL_MAX_VFS && (nc->vf_idx < 0 || nc->vf_idx >= ac->num_vfs))
        snprintf(buf, size, "a%zu_%d", h, nc->adapter_idx);     /* no VF at the start */
}

static void put_vm_edges(dot_ctx *x, const char *vm_id, size_t h, const vm_config *vm)
{
    for (size_t k = 0; k < vm->n_nics; k++) {
        const nic_config *nc = &vm->nics[k];
        char to[64];
        nic_target(x, h, nc, to, sizeof to);
        bool virt = to[0] == 'h';
        x->n->edges++;
        fprintf(x->f, "  %s -> %s [label=", to, vm_id);
        text_put_dot_string(x->f, nc->name);
        fprintf(x->f, ", fontsize=7, color=\"#555555\", arrowhead=none%s];\n",
                virt ? ", style=dashed" : "");
    }
}

static void put_vm_label_tags(FILE *f, const vm_config *vm)
{
    for (size_t t = 0; t < vm->n_tags; t++) {
        fputs(t ? ", " : "\\n[", f);
        text_put_dot_text(f, vm->tags[t]);
    }
    if (vm->n_tags)
        fputs("]", f);
}

/* The VMs on host h: one node each, or one node for all of them. */
static void put_vms(dot_ctx *x, size_t h, const size_t *vms, size_t n)
{
    char id[48];
    if (n > TOPO_DETAIL_MAX_VMS) {
        snprintf(id, sizeof id, "vmg%zu", h);
        x->n->vm_groups++;
        x->n->nodes++;
        fprintf(x->f, "  %s [label=\"%zu VMs\\n", id, n);
        for (size_t i = 0; i < 4 && i < n; i++) {
            fputs(i ? ", " : "", x->f);
            text_put_dot_text(x->f, x->cfg->vms[vms[i]].name);
        }
        fputs(n > 4 ? ", ...\", shape=folder, fillcolor=\"#deebf7\"];\n"
                    : "\", shape=folder, fillcolor=\"#deebf7\"];\n", x->f);
        /* one edge per distinct target */
        char seen[8][64];
        size_t n_seen = 0;
        for (size_t i = 0; i < n; i++) {
            const vm_config *vm = &x->cfg->vms[vms[i]];
            for (size_t k = 0; k < vm->n_nics; k++) {
                char to[64];
                nic_target(x, h, &vm->nics[k], to, sizeof to);
                bool dup = false;
                for (size_t s = 0; s < n_seen && !dup; s++)
                    dup = strcmp(seen[s], to) == 0;
                if (dup || n_seen == 8)
                    continue;
                snprintf(seen[n_seen++], sizeof seen[0], "%s", to);
                x->n->edges++;
                fprintf(x->f, "  %s -> %s [color=\"#555555\", arrowhead=none%s];\n", to, id,
                        to[0] == 'h' ? ", style=dashed" : "");
            }
        }
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const vm_config *vm = &x->cfg->vms[vms[i]];
        snprintf(id, sizeof id, "vm%zu", vms[i]);
        node_open(x, id, vm->name);
        put_vm_label_tags(x->f, vm);
        node_close(x, "shape=ellipse, fillcolor=\"#deebf7\"");
        put_vm_edges(x, id, h, vm);
    }
}

static void put_host(dot_ctx *x, size_t h, const size_t *vms, size_t n_vms)
{
    const host_config *hc = &x->cfg->hosts[h];
    char id[32], name[200];
    snprintf(id, sizeof id, "h%zu", h);
    fprintf(x->f, " subgraph cluster_h%zu {\n  label=", h);
    text_put_dot_string(x->f, hc->name);
    fputs("; style=\"rounded\"; color=\"#9e9e9e\";\n", x->f);
    /* the host itself: its IOMMU page walker and vhost threads, when busy */
    link_use iommu = rp_topo_link(x->in, link_name(name, sizeof name, hc->name, "iommu", NULL));
    link_use vhost = rp_topo_link(x->in, link_name(name, sizeof name, hc->name, "vhost", NULL));
    node_open(x, id, hc->name);
    fprintf(x->f, "\\n%d cores", hc->cores);
    if (iommu.found && iommu.bytes > 0) {
        fputs("\\nIOMMU walker: ", x->f);
        put_use(x->f, &iommu);
    }
    if (vhost.found && vhost.bytes > 0) {
        fputs("\\nvhost: ", x->f);
        put_use(x->f, &vhost);
    }
    link_use *busy = iommu.found && (!vhost.found || peak_of(&iommu) >= peak_of(&vhost))
                         ? &iommu : &vhost;
    fprintf(x->f, "\", shape=box3d, fillcolor=\"%s\"];\n",
            busy->found && busy->bytes > 0 ? colour_of(busy) : "#ffffff");
    for (size_t a = 0; a < hc->n_adapters; a++)
        put_adapter(x, h, a);
    put_vms(x, h, vms, n_vms);
    fputs(" }\n", x->f);
    if (hc->n_adapters == 0) {
        char tor[32];
        snprintf(tor, sizeof tor, "tor%d", hc->rack_idx);
        put_link_edge(x, tor, id, link_name(name, sizeof name, hc->name, "nic", NULL), NULL);
    }
}

/* A host as one node (more than TOPO_DETAIL_MAX_HOSTS hosts): its counts,
 * the first VM names, and one coloured edge from the ToR per port. */
static void put_host_compact(dot_ctx *x, size_t h, const size_t *vms, size_t n_vms)
{
    const host_config *hc = &x->cfg->hosts[h];
    char id[32], tor[32], name[200];
    snprintf(id, sizeof id, "h%zu", h);
    snprintf(tor, sizeof tor, "tor%d", hc->rack_idx);
    int vfs = 0;
    for (size_t a = 0; a < hc->n_adapters; a++)
        vfs += hc->adapters[a].num_vfs;
    link_use iommu = rp_topo_link(x->in, link_name(name, sizeof name, hc->name, "iommu", NULL));
    node_open(x, id, hc->name);
    fprintf(x->f, "\\n%zu adapters, %d VFs\\n%zu VMs", hc->n_adapters, vfs, n_vms);
    for (size_t i = 0; vms && i < 3 && i < n_vms; i++) {
        fputs(i ? ", " : ": ", x->f);
        text_put_dot_text(x->f, x->cfg->vms[vms[i]].name);
    }
    fputs(n_vms > 3 ? ", ..." : "", x->f);
    if (iommu.found && iommu.bytes > 0) {
        fputs("\\nIOMMU walker: ", x->f);
        put_use(x->f, &iommu);
    }
    fprintf(x->f, "\", shape=box3d, fillcolor=\"%s\"];\n",
            iommu.found && iommu.bytes > 0 ? colour_of(&iommu) : "#ffffff");
    for (size_t a = 0; a < hc->n_adapters; a++)
        for (int p = 0; p < hc->adapters[a].ports; p++) {
            char pn[32], tip[260];
            snprintf(pn, sizeof pn, "p%d", p);
            link_name(tip, sizeof tip, hc->name, hc->adapters[a].name, pn);
            put_link_edge(x, tor, id, tip, NULL);
        }
    if (hc->n_adapters == 0)
        put_link_edge(x, tor, id, link_name(name, sizeof name, hc->name, "nic", NULL), NULL);
}

/* VMs by host, in scenario order: vm_of[first[h] .. first[h+1]). */
typedef struct vm_index {
    size_t *first, *vm_of;
} vm_index;

static int index_vms(const scenario_config *cfg, vm_index *ix)
{
    ix->first = calloc(cfg->n_hosts + 2, sizeof(size_t));
    ix->vm_of = calloc(cfg->n_vms + 1, sizeof(size_t));
    if (!ix->first || !ix->vm_of)
        return -1;
    for (size_t v = 0; v < cfg->n_vms; v++)
        if (cfg->vms[v].host_idx >= 0 && (size_t)cfg->vms[v].host_idx < cfg->n_hosts)
            ix->first[cfg->vms[v].host_idx + 2]++;
    for (size_t h = 0; h < cfg->n_hosts; h++)
        ix->first[h + 2] += ix->first[h + 1];
    for (size_t v = 0; v < cfg->n_vms; v++)
        if (cfg->vms[v].host_idx >= 0 && (size_t)cfg->vms[v].host_idx < cfg->n_hosts)
            ix->vm_of[ix->first[cfg->vms[v].host_idx + 1]++] = v;
    return 0;
}

static void put_racks_detailed(dot_ctx *x)
{
    vm_index ix = {0};
    bool ok = index_vms(x->cfg, &ix) == 0;
    for (size_t r = 0; r < x->cfg->fabric.n_racks; r++) {
        const rack_config *rk = &x->cfg->fabric.racks[r];
        char tor[32];
        snprintf(tor, sizeof tor, "tor%zu", r);
        fprintf(x->f, " subgraph cluster_r%zu {\n  label=", r);
        fputs("\"rack ", x->f);
        text_put_dot_text(x->f, rk->name);
        fputs("\"; style=\"dashed\"; color=\"#616161\";\n", x->f);
        node_open(x, tor, rk->name);
        node_close(x, "shape=box, fillcolor=\"#e0e0e0\", xlabel=\"ToR\"");
        for (size_t i = 0; i < rk->n_hosts; i++) {
            size_t h = (size_t)rk->host_idx[i];
            const size_t *vms = ok ? ix.vm_of + ix.first[h] : NULL;
            size_t n_vms = ok ? ix.first[h + 1] - ix.first[h] : 0;
            if (x->n->compact)
                put_host_compact(x, h, vms, n_vms);
            else
                put_host(x, h, vms, n_vms);
        }
        fputs(" }\n", x->f);
        put_uplinks(x, r, tor);
    }
    free(ix.first);
    free(ix.vm_of);
}

/* ---- racks as nodes ------------------------------------------------------------ */

static void put_rack_aggregate(dot_ctx *x, size_t r, const vm_index *ix)
{
    const rack_config *rk = &x->cfg->fabric.racks[r];
    size_t adapters = 0, vfs = 0, vms = 0, ports = 0, busy_ports = 0;
    double mean_sum = 0, peak_max = 0;
    link_use worst = {0};
    char name[200];
    for (size_t i = 0; i < rk->n_hosts; i++) {
        const host_config *hc = &x->cfg->hosts[rk->host_idx[i]];
        adapters += hc->n_adapters;
        for (size_t a = 0; a < hc->n_adapters; a++) {
            vfs += (size_t)hc->adapters[a].num_vfs;
            for (int p = 0; p < hc->adapters[a].ports; p++) {
                char pn[32];
                snprintf(pn, sizeof pn, "p%d", p);
                link_use u = rp_topo_link(x->in, link_name(name, sizeof name, hc->name,
                                                           hc->adapters[a].name, pn));
                ports++;
                if (!u.found)
                    continue;
                busy_ports += u.bytes > 0;
                mean_sum += u.split ? fmax(u.mean[0], u.mean[1]) : u.mean[0];
                if (!worst.found || peak_of(&u) > peak_max) {
                    worst = u;
                    peak_max = peak_of(&u);
                }
            }
        }
    }
    for (size_t i = 0; ix->first && i < rk->n_hosts; i++)
        vms += ix->first[rk->host_idx[i] + 1] - ix->first[rk->host_idx[i]];
    char id[32];
    snprintf(id, sizeof id, "rk%zu", r);
    node_open(x, id, rk->name);
    fprintf(x->f, "\\n%zu hosts, %zu adapters\\n%zu VFs, %zu VMs\\n%zu of %zu host ports busy",
            rk->n_hosts, adapters, vfs, vms, busy_ports, ports);
    if (worst.found && ports) {
        fputs("\\nports: mean ", x->f);
        put_pct(x->f, mean_sum / (double)ports);
        fputs(", busiest peak ", x->f);
        put_pct(x->f, peak_max);
    }
    fprintf(x->f, "\", shape=box3d, fillcolor=\"%s\"];\n",
            worst.found ? colour_of(&worst) : "#ffffff");
    if (x->cfg->fabric.n_racks > TOPO_RACK_ROW)
        put_busiest_uplink(x, r, id);
    else
        put_uplinks(x, r, id);
    /* rows of TOPO_RACK_ROW racks: an invisible edge to the rack below */
    if (r >= TOPO_RACK_ROW)
        fprintf(x->f, "  rk%zu -> %s [style=invis];\n", r - TOPO_RACK_ROW, id);
}

static void put_racks_aggregated(dot_ctx *x)
{
    vm_index ix = {0};
    if (index_vms(x->cfg, &ix) != 0) {
        free(ix.first);
        free(ix.vm_of);
        ix.first = ix.vm_of = NULL;
    }
    for (size_t r = 0; r < x->cfg->fabric.n_racks; r++)
        put_rack_aggregate(x, r, &ix);
    free(ix.first);
    free(ix.vm_of);
}

/* ---- legend and the graph -------------------------------------------------------- */

static void put_legend(dot_ctx *x)
{
    fputs(" subgraph cluster_legend {\n  label=\"link colour: peak utilisation over the "
          "run (the busier direction)\"; fontsize=10; style=\"rounded\"; "
          "color=\"#9e9e9e\";\n", x->f);
    for (size_t b = 0; b < N_BINS; b++) {
        x->n->nodes++;
        fprintf(x->f, "  lg%zu [label=\"%s\", shape=box, fontsize=9, fillcolor=\"%s\"];\n", b,
                bins[b].label, bins[b].colour);
    }
    x->n->nodes += 2;
    fprintf(x->f, "  lg%zu [label=\"idle (no byte)\", shape=box, fontsize=9, "
            "fillcolor=\"%s\"];\n", N_BINS, idle_colour);
    fprintf(x->f, "  lg%zu [label=\"no row in /links\", shape=box, fontsize=9, style=\"dashed\", "
            "fillcolor=\"#ffffff\", color=\"%s\"];\n", N_BINS + 1, none_colour);
    /* left to right in this order: invisible edges, not counted as drawn */
    fputs("  { rank=same; edge [style=invis];", x->f);
    for (size_t b = 0; b + 1 < N_BINS + 2; b++)
        fprintf(x->f, " lg%zu -> lg%zu;", b, b + 1);
    fputs(" }\n", x->f);
    fputs(" }\n", x->f);
}

static size_t hosts_in_racks(const scenario_config *cfg)
{
    size_t n = 0;
    for (size_t r = 0; r < cfg->fabric.n_racks; r++)
        n += cfg->fabric.racks[r].n_hosts;
    return n;
}

void rp_topo_write_dot(FILE *f, const scenario_config *cfg, const topo_in *in,
                       topo_counts *counts)
{
    memset(counts, 0, sizeof(*counts));
    dot_ctx x = {f, cfg, in, counts};
    fputs("digraph topology {\n graph [rankdir=TB, newrank=true, fontname=\"sans\", "
          "labelloc=t, fontsize=14, label=\"", f);
    /* the file's own name of the run (escaped: any string), else the scenario's */
    text_put_dot_text(f, in->scenario_name ? in->scenario_name
                         : cfg->name && cfg->name[0] ? cfg->name : "(unnamed)");
    fputs(": platform and link utilisation\"];\n node [fontname=\"sans\", fontsize=10, "
          "style=\"filled\", fillcolor=\"#ffffff\"];\n edge [fontname=\"sans\", fontsize=7, "
          "dir=none];\n", f);
    put_spines(&x);
    size_t hosts = hosts_in_racks(cfg);
    counts->aggregated = hosts > TOPO_HOST_NODES_MAX_HOSTS;
    counts->compact = !counts->aggregated && hosts > TOPO_DETAIL_MAX_HOSTS;
    if (counts->aggregated)
        put_racks_aggregated(&x);
    else
        put_racks_detailed(&x);
    put_legend(&x);
    fputs("}\n", f);
}
