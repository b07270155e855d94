#!/usr/bin/env bash
# Report issue: the PCIe, host CPU and live-migration figures. Each is
# written (valid PNG and SVG, data, listed in index.md) when the results
# file has its data, and listed as not drawn otherwise; the migration
# phases exported for shading match the /migrations table exactly.
source "$(dirname "$0")/lib.sh"

check_not_drawn() { # DIR FIGURE HEADING
    CHECKS=$((CHECKS + 1))
    if [ ! -e "$1/$2.png" ] && [ ! -e "$1/$2.svg" ] &&
       grep -A2 "^## $3\$" "$1/index.md" | grep -q '^Not drawn: '; then
        pass "$2 listed as not drawn"
    else fail "$2 should be absent and listed as not drawn in $1/index.md"; fi
}

# phase PHASES_FILE PHASE COLUMN: start (5) or end (6) of the first such phase
phase() { awk -v p="$2" -v c="$3" '!/^#/ && $4 == p { print $c; exit }' "$1"; }

# ---- a migration with a VF, a standby virtio NIC and a VF re-plug ----------
run_sim "$SRCDIR/scenarios/migration-failover.yaml" "$WORK/m.h5"
"$SRIOV_SIM" report "$WORK/m.h5" -o "$WORK/m" > /dev/null
check_figures "$WORK/m" migration_timeline pcie_utilisation host_cpu_utilisation
P="$WORK/m/migration_phases.dat"
check_eq "phases in order" "$(awk '!/^#/ { printf "%s ", $4 }' "$P")" \
    "vf_unplug precopy stopcopy virtio vf_replug "
check_eq "phase rows name the migration" "$(awk '!/^#/ { print $1, $2, $3 }' "$P" | sort -u)" "nfv h1 h2"
# Boundaries are the table's times, printed with 12 significant digits.
check_near "unplug starts at the migrate event" "$(phase "$P" vf_unplug 5)" "$(mig "$WORK/m.h5" start_s)" 1e-9
check_near "pre-copy starts after the unplug" "$(phase "$P" precopy 5)" "$(mig "$WORK/m.h5" precopy_start_s)" 1e-9
check_near "pre-copy ends at stop-and-copy" "$(phase "$P" precopy 6)" "$(mig "$WORK/m.h5" precopy_end_s)" 1e-9
check_near "stop-and-copy ends at resume" "$(phase "$P" stopcopy 6)" "$(mig "$WORK/m.h5" end_s)" 1e-9
check_near "stop-and-copy lasts the downtime" \
    "$(awk '!/^#/ && $4 == "stopcopy" { printf "%.12g", $6 - $5 }' "$P")" "$(mig "$WORK/m.h5" downtime_s)" 1e-6
check_near "virtio until the VF re-plug" "$(phase "$P" virtio 6)" "$(mig "$WORK/m.h5" replug_end_s)" 1e-9
check_eq "VF re-plug is an instant" "$(awk '!/^#/ && $4 == "vf_replug" { print ($5 == $6) }' "$P")" 1
# The flows' columns, then the migration stream's (issue #16: the report
# draws the migration stream).
nflows=$(grep -v '^#' "$WORK/m/flow_throughput.dat" | sed -n 1p | wc -w)
check_eq "timeline data = flow throughput, then the stream" \
    "$(grep -v '^#' "$WORK/m/migration_timeline.dat" | cut -d' ' -f1-"$nflows" |
       cmp -s - <(grep -v '^#' "$WORK/m/flow_throughput.dat") && echo same)" same
check_eq "timeline's last column is the migration stream" \
    "$(grep -v '^#' "$WORK/m/migration_timeline.dat" | sed -n 1p | awk '{ print $NF }')" migration_nfv
check_has "timeline legend: the migration stream" "$WORK/m/migration_timeline.svg" "migration_nfv"
check_has "timeline y axis in Gbit/s" "$WORK/m/migration_timeline.svg" "Throughput (Gbit/s)"
check_has "timeline x axis in s" "$WORK/m/migration_timeline.svg" "Time (s)"
for label in "VF hot-unplug" "pre-copy (VM running)" "stop-and-copy (downtime)" \
             "resumed on virtio (no VF)" "VF re-plugged" "nfv: h1 -"; do
    check_has "timeline legend/label: $label" "$WORK/m/migration_timeline.svg" "$label"
done
check_has "index: redraw command passes phasefile" "$WORK/m/index.md" "phasefile='migration_phases.dat'"
# The downtime zoomed under the timeline (issue 19 item 10): one panel, its
# window the stop-and-copy widened by max(2 x downtime, 0.25 s) each side.
zooms=$(sed -n "s/.*nzoom=1; zooms='\([^']*\)'.*/\1/p" "$WORK/m/index.md" | sed -n 1p)
dt=$(mig "$WORK/m.h5" downtime_s); t1=$(mig "$WORK/m.h5" end_s)
pad=$(awk -v d="$dt" 'BEGIN { printf "%.12g", (2 * d > 0.25 ? 2 * d : 0.25) }')
check_near "zoom window ends the pad after the resume" "$(echo "$zooms" | awk '{ print $2 }')" \
    "$(awk -v t="$t1" -v p="$pad" 'BEGIN { printf "%.12g", t + p }')" 1e-6
check_near "zoom marks the downtime" "$(echo "$zooms" | awk '{ printf "%.12g", $4 - $3 }')" "$dt" 1e-6
check_has "zoom panel titled with the downtime" "$WORK/m/migration_timeline.svg" \
    "$(awk -v d="$dt" 'BEGIN { printf "downtime 1: %.0f ms", d * 1000 }')"
# PCIe: only pcie_up/pcie_down links (2 hosts x 1 adapter x 2 directions),
# and of them only those not idle throughout (issue 19 item 10).
pcie_cols=$(grep -v '^#' "$WORK/m/pcie_utilisation.dat" | sed -n 1p | tr ' ' '\n' | grep -v '^time_s$' | sort | tr '\n' ' ')
active=$(for l in h1.nic0.pcie_DOWN h1.nic0.pcie_UP h2.nic0.pcie_DOWN h2.nic0.pcie_UP; do
    awk -v l="$l" 'BEGIN { found = 0 } $1 == l && $4 + 0 > 0 { found = 1 } END { if (found) print l }' \
        <(paste <("$H5READ" "$WORK/m.h5" links name) <("$H5READ" "$WORK/m.h5" links kind) \
                <("$H5READ" "$WORK/m.h5" links mean_utilisation) <("$H5READ" "$WORK/m.h5" links peak_utilisation))
done | sort | tr '\n' ' ')
check_eq "PCIe columns: the PCIe links not idle" "$pcie_cols" "$active"
check_has "PCIe title" "$WORK/m/pcie_utilisation.svg" "PCIe utilisation"
check_has "PCIe y axis in %" "$WORK/m/pcie_utilisation.svg" "Utilisation (% of capacity)"

# ---- a migration that finds no free VF on the destination -----------------
sed -e 's/^  - { name: h2, cores: 32, core_speed: 2.5GHz, adapters: \[{ name: nic0, model: intel-e810, num_vfs: 4,/  - { name: h2, cores: 32, core_speed: 2.5GHz, adapters: [{ name: nic0, model: intel-e810, num_vfs: 1,/' \
    -e 's/^  - { name: neighbour, host: h1, nics/  - { name: squatter, host: h2, nics: [{ name: eth0, attach: vf, adapter: nic0 }] }\n&/' \
    "$SRCDIR/scenarios/migration-failover.yaml" > "$WORK/novf.yaml"
run_sim "$WORK/novf.yaml" "$WORK/n.h5"
check_eq "no VF re-plugged (scenario as intended)" "$(mig "$WORK/n.h5" vf_replugged)" 0
"$SRIOV_SIM" report "$WORK/n.h5" -o "$WORK/n" > /dev/null
check_figures "$WORK/n" migration_timeline
P="$WORK/n/migration_phases.dat"
check_eq "phases without re-plug" "$(awk '!/^#/ { printf "%s ", $4 }' "$P")" \
    "vf_unplug precopy stopcopy virtio "
check_near "virtio until the end of the run" "$(phase "$P" virtio 6)" \
    "$("$H5READ" "$WORK/n.h5" --series /timeseries/time_s | tail -1)" 1e-9

# ---- host CPU: the datapath comparison (virtio back-ends on 4 hosts) -------
run_sim "$SRCDIR/scenarios/datapath-comparison.yaml" "$WORK/d.h5"
"$SRIOV_SIM" report "$WORK/d.h5" -o "$WORK/d" > /dev/null
check_figures "$WORK/d" host_cpu_utilisation pcie_utilisation
check_has "CPU y axis in %" "$WORK/d/host_cpu_utilisation.svg" "CPU utilisation (% of the host's cores)"
# Same values as the file: the peak over hosts and time.
peak_file=$("$H5READ" "$WORK/d.h5" --series /timeseries/host_cpu_utilisation |
    awk '{ for (i = 1; i <= NF; i++) if ($i > m) m = $i } END { print m + 0 }')
peak_dat=$(grep -v '^#' "$WORK/d/host_cpu_utilisation.dat" | tail -n +2 |
    awk '{ for (i = 2; i <= NF; i++) if ($i > m) m = $i } END { print m + 0 }')
check_near "CPU data peak = file peak" "$peak_dat" "$peak_file" 1e-9
check_eq "CPU columns = hosts" "$(grep -v '^#' "$WORK/d/host_cpu_utilisation.dat" | sed -n 1p | wc -w)" \
    "$(( $("$H5READ" "$WORK/d.h5" --attr /timeseries/host_cpu_utilisation columns | wc -l) + 1 ))"
check_not_drawn "$WORK/d" migration_timeline "Live-migration timeline"

# ---- no migration, no virtio: listed as not drawn, not a failure ------------
run_sim "$SRCDIR/scenarios/quickstart.yaml" "$WORK/q.h5"
check_eq "report without migration or CPU data exits 0" \
    "$("$SRIOV_SIM" report "$WORK/q.h5" -o "$WORK/q" > /dev/null; echo $?)" 0
check_not_drawn "$WORK/q" migration_timeline "Live-migration timeline"
check_not_drawn "$WORK/q" host_cpu_utilisation "Host CPU utilisation (software datapath)"
check_figures "$WORK/q" pcie_utilisation flow_throughput
# ---- issue 19 item 10: labels by VM, no idle series, distinct colours -------
# VF columns are named after their tenant (vm.nic/host.adapter.vfN).
# (no 'grep -q' at the end of a pipe: under pipefail its early exit can
# fail the writer with SIGPIPE)
vf_header=$(grep -v '^#' "$WORK/q/vf_throughput.dat" | sed -n 1p)
CHECKS=$((CHECKS + 1))
case " $vf_header " in
    *" nfv1.eth0/h1.nic0.vf0 "*) pass "VF labelled by its VM" ;;
    *) fail "VF header: $vf_header" ;;
esac
# No column of the top-N figures stays at 0 throughout (idle VFs of the 8
# per adapter, the unused second port, vhost with no virtio NIC).
for dat in vf_throughput link_utilisation pcie_utilisation; do
    idle=$(grep -v '^#' "$WORK/q/$dat.dat" | awk 'NR == 1 { n = NF; for (i = 2; i <= NF; i++) h[i] = $i; next }
        { for (i = 2; i <= n; i++) if ($i + 0 > 0) busy[i] = 1 }
        END { for (i = 2; i <= n; i++) if (!busy[i]) printf "%s ", h[i] }')
    check_eq "$dat: no idle series" "$idle" ""
done
# 12 flows: 12 different line colours in the SVG (gnuplot's default cycle has 8).
sed '/^traffic:/,$d' "$SCN/one_flow.yaml" > "$WORK/twelve.yaml"
{ echo "traffic:"
  for i in $(seq 12); do
      echo "  - { name: f$i, from: a.eth0, to: b.eth0, kind: inelastic, rate: ${i}00Mbps, packet_size: 1500B }"
  done
  echo "output: { sample_interval: 100ms }"; } >> "$WORK/twelve.yaml"
run_sim "$WORK/twelve.yaml" "$WORK/t.h5"
"$SRIOV_SIM" report "$WORK/t.h5" -o "$WORK/t" > /dev/null
check_eq "12 flows in the series" "$(grep -v '^#' "$WORK/t/flow_throughput.dat" | sed -n 1p | wc -w)" 13
check_eq "12 distinct line colours" \
    "$(grep -o "stroke='rgb([0-9, ]*)'" "$WORK/t/flow_throughput.svg" | sort -u | wc -l)" 12
finish
