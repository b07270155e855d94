/* rtopo.h -- internal to src/report: the platform picture of
 * `sriov-sim report --topology` (report_topology.c reads and draws,
 * rtopo_dot.c writes the Graphviz DOT text).
 *
 * Source, all from the results file: the platform is /meta/resolved (the
 * scenario with every default filled in) loaded again by the scenario
 * loader, so racks, hosts, adapters, VFs and VMs are exactly what the run
 * simulated, groups included; utilisation is /links (mean_utilisation and
 * peak_utilisation per link direction, fractions 0..1; bytes). Link names
 * are those of src/platform/topo.c: R.upS (ToR R to spine S), H.A.pN
 * (port N of adapter A on host H, to its ToR), H.A.pcie, H.A.total,
 * H.A.esw, H.A.vfN.shaper, H.nic (a host without adapters), H.iommu,
 * H.vhost, external.link; split-duplex ones with _UP and _DOWN.
 * VMs are drawn where the scenario places them at the start of the run.
 *
 * What is drawn (docs/reports.md, "Topology"): with at most
 * TOPO_DETAIL_MAX_HOSTS hosts, every host in its rack with its adapters,
 * ports, VFs and VMs; an adapter with more than TOPO_DETAIL_MAX_VFS VFs has
 * them as one group node, a host with more than TOPO_DETAIL_MAX_VMS VMs has
 * them as one node listing the first names. With more hosts, up to
 * TOPO_HOST_NODES_MAX_HOSTS, each host is one node (its counts, its first
 * VMs, its IOMMU walker) under its ToR, one edge per port. Above that,
 * each rack is one node with its counts and the utilisation of its host
 * ports, so that 10,000 hosts stay a picture of a few hundred nodes;
 * above TOPO_RACK_ROW racks they stand in rows of TOPO_RACK_ROW and each
 * has one uplink edge, its busiest (the one with the highest peak).
 * Colours: the peak utilisation of the link (both directions: the higher),
 * in TOPO_N_BINS bins of a legend; grey when it carried no byte, dashed
 * when the file has no row for it.
 */
#ifndef SRIOV_REPORT_RTOPO_H
#define SRIOV_REPORT_RTOPO_H

#include <hdf5.h>
#include <stdbool.h>
#include <stdio.h>

#include "scenario/config.h"
#include "util/strmap.h"

#define TOPO_DETAIL_MAX_HOSTS 8
#define TOPO_HOST_NODES_MAX_HOSTS 64
#define TOPO_RACK_ROW 16
#define TOPO_DETAIL_MAX_VFS 8
#define TOPO_DETAIL_MAX_VMS 8

/* What the picture reads from the results file. */
typedef struct topo_in {
    char *scenario_name;    /* /meta@scenario_name, or NULL */
    char *resolved;         /* /meta/resolved, or NULL */
    size_t n_links;
    char **link_name;       /* /links name, kind, mean/peak_utilisation, bytes */
    double *mean_util, *peak_util, *bytes;
    strmap by_name;         /* link name -> row */
} topo_in;

/* Reads /meta@scenario_name, /meta/resolved and /links (missing /links:
 * n_links 0, every link undrawn-dashed). 0, or -1 when the file is
 * damaged (rp_damage()) or has no /meta/resolved. */
int rp_topo_read(hid_t file, topo_in *in);
void rp_topo_in_free(topo_in *in);

/* Utilisation of one link (both directions when split-duplex). */
typedef struct link_use {
    bool found;             /* the file has a row (or two) for it */
    bool split;             /* _UP and _DOWN rows */
    double mean[2], peak[2];/* [0] up or the only row, [1] down */
    double bytes;           /* over both directions */
} link_use;

link_use rp_topo_link(const topo_in *in, const char *name);

/* Counts of what was drawn, for topology.md and the tests. */
typedef struct topo_counts {
    size_t nodes, edges;
    bool compact;           /* hosts drawn as nodes */
    bool aggregated;        /* racks drawn as nodes */
    size_t vf_groups, vm_groups;
} topo_counts;

/* The DOT text of cfg coloured from in, into f. */
void rp_topo_write_dot(FILE *f, const scenario_config *cfg, const topo_in *in,
                       topo_counts *counts);

#endif
