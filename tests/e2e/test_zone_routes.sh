#!/usr/bin/env bash
# A large generated platform (2,000 hosts in 50 racks of 40, 4 spines, two
# VFs a host: 8,001 SimGrid hosts in the flow-level zone, sim/zone.h) builds
# and runs, and every flow's route (/link_flows rows, in route order) is
# the closed form of docs/architecture.md for 202 flows: VEB inside one
# adapter, rack-local through the ToR, rack to rack through the uplink to
# spine (i + j) mod 4, and to / from external through the rack's uplink to
# spine i mod 4. The routes are computed on demand (platform/routes.c); this
# checks them where no XML is written any more.
source "$(dirname "$0")/lib.sh"
cat > "$WORK/zone.yaml" <<'YAML'
name: zone-2000
simulation: { duration: 0.05s, seed: 1 }
fabric:
  spines: 4
  tor_uplink: { rate: 400Gbps, latency: 1us }
  racks:
    - { group: pod, name: "r{i}", host_group: compute, hosts_per_rack: 40 }
hosts:
  - group: compute
    count: 2000
    name: "h{i}"
    adapters: [{ name: nic0, model: mlx-connectx6dx, num_vfs: 2 }]
vms:
  - group: tenants
    name: "vm{i}"
    host_group: compute
    per_host: 2
    nics:
      - { name: eth0, attach: vf, adapter: nic0 }
traffic:
  - group: veb
    name: "veb{i}"
    count: 50
    from: "vm{i * 37 % 2000 * 2}.eth0"
    to: "vm{i * 37 % 2000 * 2 + 1}.eth0"
    rate: 1Mbps
  - group: intra
    name: "intra{i}"
    count: 50
    from: "vm{i * 41 % 2000 * 2}.eth0"
    to: "vm{(i * 41 % 2000 / 40 * 40 + (i * 41 % 2000 % 40 + 1 + i % 39) % 40) * 2 + 1}.eth0"
    rate: 1Mbps
  - group: inter
    name: "inter{i}"
    count: 100
    from: "vm{i * 53 % 2000 * 2 + 1}.eth0"
    to: "vm{((i * 53 % 2000 / 40 + 1 + i % 49) % 50 * 40 + i * 7 % 40) * 2}.eth0"
    rate: 1Mbps
  - { name: out0, from: vm1234.eth0, to: external, rate: 1Mbps }
  - { name: in0, from: external, to: vm3999.eth0, rate: 1Mbps }
YAML
run_sim "$WORK/zone.yaml" "$WORK/z.h5"
check_eq "202 flows" "$(field "$WORK/z.h5" flows name | wc -l)" 202

# Closed form: VM k is on host k / 2, rack k / 80 (VF k % 2, port 0).
field "$WORK/z.h5" flows from > "$WORK/from"
field "$WORK/z.h5" flows to > "$WORK/to"
paste -d' ' "$WORK/from" "$WORK/to" | awk '
function host(v) { sub(/^vm/, "", v); sub(/\.eth0$/, "", v); return int(v / 2) }
function up(h)   { return "h" h ".iommu h" h ".nic0.pcie_UP h" h ".nic0.p0_UP" }
function down(h) { return "h" h ".nic0.p0_DOWN h" h ".nic0.pcie_DOWN h" h ".iommu" }
{
    if ($1 == "external") {
        b = host($2); rb = int(b / 40)
        r = "external.link_DOWN r" rb ".up" rb % 4 "_DOWN r" rb ".tor " down(b)
    } else if ($2 == "external") {
        a = host($1); ra = int(a / 40)
        r = up(a) " r" ra ".tor r" ra ".up" ra % 4 "_UP external.link_UP"
    } else {
        a = host($1); b = host($2); ra = int(a / 40); rb = int(b / 40)
        if (a == b)
            r = "h" a ".iommu h" a ".nic0.pcie_UP h" a ".nic0.esw h" a ".nic0.pcie_DOWN h" a ".iommu"
        else if (ra == rb)
            r = up(a) " r" ra ".tor " down(b)
        else {
            s = (ra + rb) % 4
            r = up(a) " r" ra ".tor r" ra ".up" s "_UP r" rb ".up" s "_DOWN r" rb ".tor " down(b)
        }
    }
    print NR - 1, r
}' > "$WORK/expected"

field "$WORK/z.h5" links name > "$WORK/links"
paste -d' ' <(field "$WORK/z.h5" link_flows flow) <(field "$WORK/z.h5" link_flows link) \
    <(field "$WORK/z.h5" link_flows segment) > "$WORK/rows"
awk 'NR == FNR { name[NR - 1] = $1; next }
     $3 == 0 { r[$1] = r[$1] (r[$1] == "" ? "" : " ") name[$2]; if ($1 > n) n = $1 }
     END { for (f = 0; f <= n; f++) print f, r[f] }' "$WORK/links" "$WORK/rows" > "$WORK/actual"

kinds=$(awk '{ print ($0 ~ /esw/) ? "veb" : ($0 ~ /external/) ? "ext" : ($0 ~ /up[0-3]_/) ? "inter" : "intra" }' \
    "$WORK/expected" | sort | uniq -c | awk '{ printf "%s%s=%s", (NR > 1 ? " " : ""), $2, $1 }')
check_eq "the sample covers every kind of route" "$kinds" "ext=2 inter=100 intra=50 veb=50"
diffs=$(diff "$WORK/expected" "$WORK/actual" || true)
check_eq "every route equals the closed form" "$(printf '%s' "$diffs" | grep -c '^>' || true)" 0
[ -z "$diffs" ] || echo "$diffs" | head -6 >&2
finish
