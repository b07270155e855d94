#!/usr/bin/env bash
# Results that add up (issue #16), on every scenario of scenarios/:
#  - each link's bytes in /links equal the sum over the flow route segments
#    (/link_flows) and model transfers (/link_transfers) that crossed it,
#    within 1e-9 relative;
#  - each flow segment put the same bytes on every link of its route, and a
#    flow's segments add up to its delivered_bytes in /flows;
#  - /vfs, /pf_vfs and /guest_view agree (bytes and packets), and the VF
#    time series integrates to the /vfs bytes;
#  - no link reports a placeholder capacity;
#  - the migration scenario's source port carries every pre-copy byte; the
#    VEPA hairpin crosses the ToR.
source "$(dirname "$0")/lib.sh"

TOL=1e-9

# col FILE TABLE FIELD: the column, or nothing when the table is absent.
col() { "$H5READ" "$1" "$2" "$3" 2>/dev/null || true; }

# links_add_up FILE: every /links row against its flows and transfers.
links_add_up() {
    local f=$1 bad
    paste <(col "$f" links bytes) > "$WORK/links"
    paste <(col "$f" link_flows link) <(col "$f" link_flows bytes) > "$WORK/lf"
    paste <(col "$f" link_transfers link) <(col "$f" link_transfers bytes) > "$WORK/lt"
    bad=$(awk -v tol="$TOL" '
        FILENAME == ARGV[1] { bytes[FNR - 1] = $1; n = FNR; next }
        NF == 2 { sum[$1] += $2 }
        END { for (i = 0; i < n; i++) { d = bytes[i] - sum[i]; if (d < 0) d = -d
                  if (d > tol * bytes[i] + 1e-6) { print "link " i ": " bytes[i] " vs " sum[i]; bad++ } }
              if (!bad) print "ok" }' "$WORK/links" "$WORK/lf" "$WORK/lt")
    check_eq "$2: /links bytes = flows + transfers on each of $(wc -l < "$WORK/links") links" "$bad" ok
}

# segments_add_up FILE: a segment moves the same bytes over each of its
# links; a flow's segments add up to what it delivered.
segments_add_up() {
    local f=$1 bad
    col "$f" flows delivered_bytes > "$WORK/deliv"
    paste <(col "$f" link_flows flow) <(col "$f" link_flows segment) \
        <(col "$f" link_flows bytes) > "$WORK/seg"
    bad=$(awk -v tol="$TOL" '
        FILENAME == ARGV[1] { deliv[FNR - 1] = $1; n = FNR; next }
        { k = $1 " " $2
          if (k in seg) { if (seg[k] != $3) { print "flow " $1 " segment " $2 " uneven"; bad++ } }
          else { seg[k] = $3; tot[$1] += $3 } }
        END { for (i = 0; i < n; i++) { d = deliv[i] - tot[i]; if (d < 0) d = -d
                  if (d > tol * deliv[i] + 1e-6) { print "flow " i ": " deliv[i] " vs " tot[i]; bad++ } }
              if (!bad) print "ok" }' "$WORK/deliv" "$WORK/seg")
    check_eq "$2: each flow's route segments add up to its delivered bytes" "$bad" ok
}

# sum FILE TABLE FIELD
sum() { col "$1" "$2" "$3" | awk '{ s += $1 } END { printf "%.17g\n", s + 0 }'; }

# views_agree FILE: /vfs, /pf_vfs, /guest_view and the VF series.
views_agree() {
    local f=$1 name=$2 vf_tx vf_rx ts
    vf_tx=$(sum "$f" vfs tx_bytes)
    vf_rx=$(sum "$f" vfs rx_bytes)
    if "$H5READ" "$f" pf_vfs tx_bytes > /dev/null 2>&1; then
        # Row by row: the PF's view of VF host.adapter.vfN is /vfs's.
        local bad
        bad=$(awk 'FILENAME == ARGV[1] { v[$1] = $2 " " $3 " " $4 " " $5; next }
                   ($1 in v) && v[$1] != $2 " " $3 " " $4 " " $5 { print $1; b++ }
                   END { if (!b) print "ok" }' \
            <(paste <(paste -d. <(col "$f" vfs host) <(col "$f" vfs adapter) \
                                <(col "$f" vfs vf | sed 's/^/vf/')) \
                    <(col "$f" vfs tx_bytes) <(col "$f" vfs rx_bytes) \
                    <(col "$f" vfs tx_packets) <(col "$f" vfs rx_packets)) \
            <(paste <(paste -d. <(col "$f" pf_vfs host) <(col "$f" pf_vfs adapter) \
                                <(col "$f" pf_vfs vf | sed 's/^/vf/')) \
                    <(col "$f" pf_vfs tx_bytes) <(col "$f" pf_vfs rx_bytes) \
                    <(col "$f" pf_vfs tx_packets) <(col "$f" pf_vfs rx_packets)))
        check_eq "$name: /pf_vfs = /vfs, VF by VF" "$bad" ok
        # A guest sees its VF NICs (not a vDPA NIC's VF): the VFs held by
        # the VM NICs /guest_view lists, source and destination of a
        # migration alike.
        local gv
        gv=$(awk 'FILENAME == ARGV[1] { g[$1] = 1; next }
                  ($1 in g) { tx += $2; rx += $3; tp += $4 }
                  END { printf "%.17g %.17g %d\n", tx, rx, tp }' \
            <(col "$f" guest_view name) \
            <(paste <(paste -d. <(col "$f" vfs vm) <(col "$f" vfs nic)) <(col "$f" vfs tx_bytes) \
                    <(col "$f" vfs rx_bytes) <(col "$f" vfs tx_packets)))
        check_near "$name: guest views' tx = their VFs' tx" "$(sum "$f" guest_view tx_bytes)" \
            "${gv%% *}" "$TOL"
        gv=${gv#* }
        check_near "$name: guest views' rx = their VFs' rx" "$(sum "$f" guest_view rx_bytes)" \
            "${gv%% *}" "$TOL"
        check_eq "$name: guest views' tx packets = their VFs'" "$(sum "$f" guest_view tx_packets)" \
            "${gv#* }"
    fi
    # The VF series counts a VF-to-VF flow at both ends, like tx + rx.
    ts=$(paste <("$H5READ" "$f" --series timeseries/time_s) \
               <("$H5READ" "$f" --series timeseries/vf_throughput_bps) |
         awk '{ dt = $1 - t; t = $1; for (i = 2; i <= NF; i++) s += $i * dt / 8 }
              END { printf "%.17g\n", s + 0 }')
    if [ "$(awk -v a="$vf_tx" -v b="$vf_rx" 'BEGIN { print (a + b > 0) }')" = 1 ]; then
        check_near "$name: VF series integrates to /vfs tx + rx" "$ts" \
            "$(awk -v a="$vf_tx" -v b="$vf_rx" 'BEGIN { printf "%.17g", a + b }')" 1e-6
    fi
    # Integer packet counts.
    check_eq "$name: packet counts are whole" \
        "$(col "$f" flows delivered_packets | grep -c '[.e]' || true)" 0
}

# no_placeholders FILE: every link's capacity is a real one.
no_placeholders() {
    local bad
    bad=$(paste <(col "$1" links name) <(col "$1" links capacity_bps) |
          awk '$2 != "nan" && $2 + 0 >= 1e15 { print $1; b++ } END { if (!b) print "ok" }')
    check_eq "$2: no placeholder capacity in /links" "$bad" ok
}

for scn in "$SRCDIR"/scenarios/*.yaml; do
    name=$(basename "$scn" .yaml)
    grep -q '^hosts:' "$scn" || continue   # a sweep spec, not a scenario
    out="$WORK/$name.h5"
    run_sim "$scn" "$out"
    links_add_up "$out" "$name"
    segments_add_up "$out" "$name"
    views_agree "$out" "$name"
    no_placeholders "$out" "$name"
done

# The migration stream is on the source host's port, every byte of it.
out="$WORK/migration-failover.h5"
mig_bytes=$(sum "$out" migrations bytes)
on_port=$(paste <(col "$out" link_transfers link) <(col "$out" link_transfers bytes) |
          awk -v l="$(col "$out" links name | grep -nx 'h1.nic0.p0_UP' | cut -d: -f1)" \
              '$1 == l - 1 { s += $2 } END { printf "%.17g\n", s + 0 }')
check_near "migration: h1 port carries the pre-copy bytes" "$on_port" "$mig_bytes" "$TOL"
stream=$(paste <("$H5READ" "$out" --series timeseries/time_s) \
                <("$H5READ" "$out" --series timeseries/transfer_throughput_bps) |
         awk '{ dt = $1 - t; t = $1; s += $2 * dt / 8 } END { printf "%.17g\n", s + 0 }')
check_near "migration: its stream series integrates to its bytes" "$stream" "$mig_bytes" 1e-9
check_eq "migration: its stream is named" \
    "$("$H5READ" "$out" --attr /timeseries/transfer_throughput_bps columns)" "migration nfv"
check_eq "migration: it moved something" "$(awk -v b="$mig_bytes" 'BEGIN { print (b > 1e9) }')" 1

# VEPA: VF to VF on one port goes out on the wire and the ToR reflects it
# (reflective relay): the ToR carries every hairpinned byte. The IOMMU
# translates both ends' DMAs, in VEPA and VEB alike: twice the bytes moved.
link_bytes() { field "$1" links bytes "$2"; }
run_sim "$SCN/eswitch_vepa.yaml" "$WORK/vepa.h5"
run_sim "$SCN/eswitch_veb.yaml" "$WORK/veb.h5"
vepa_wire=$(link_bytes "$WORK/vepa.h5" h1.nic0.p0_UP)
check_eq "VEPA: the hairpin moved bytes" "$(awk -v b="$vepa_wire" 'BEGIN { print (b > 1e9) }')" 1
check_near "VEPA: the ToR carries the hairpin" "$(link_bytes "$WORK/vepa.h5" r0.tor)" "$vepa_wire" "$TOL"
check_near "VEPA: IOMMU translates both ends" "$(link_bytes "$WORK/vepa.h5" h1.iommu)" \
    "$(awk -v b="$vepa_wire" 'BEGIN { printf "%.17g", 2 * b }')" "$TOL"
veb_esw=$(link_bytes "$WORK/veb.h5" h1.nic0.esw)
check_eq "VEB: the ToR carries nothing" "$(link_bytes "$WORK/veb.h5" r0.tor)" 0
check_near "VEB: IOMMU translates both ends" "$(link_bytes "$WORK/veb.h5" h1.iommu)" \
    "$(awk -v b="$veb_esw" 'BEGIN { printf "%.17g", 2 * b }')" "$TOL"
for f in vepa veb; do
    links_add_up "$WORK/$f.h5" "$f"
done

finish
