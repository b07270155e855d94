#!/usr/bin/env bash
# fidelity.sh SCENARIO [SIM] -- runs SCENARIO at flow and at packet (ns-3)
# granularity and prints one line:
#   flow_s packet_s speed_ratio max_rel_error ns3_segments
# wall seconds of each run, packet_s / flow_s, the largest relative
# difference of a flow's long-run throughput (delivered bytes over its
# active time: completion time for elastic flows, start..end otherwise)
# between the two, and the TCP segments ns-3 carried (delivered bytes /
# 1000, SimGrid's segment size: src/sim/packet.h). SIM defaults to build/sriov-sim; H5READ (default
# build/tests/h5read) reads the results. Keep SCENARIO small: ns-3 moves
# every packet (docs/granularity.md).
set -euo pipefail
scn=${1:?usage: fidelity.sh SCENARIO [SIM]}
sim=${2:-build/sriov-sim}
h5read=${H5READ:-$(dirname "$sim")/tests/h5read}
work=$(mktemp -d "${TMPDIR:-/tmp}/fidelity.XXXXXX")
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }

run_at() { # GRANULARITY -> wall seconds on stdout
    if grep -q '^simulation:' "$scn"; then
        if grep -q 'granularity:' "$scn"; then
            sed -E "s/granularity: *[a-z]+/granularity: $1/" "$scn" > "$work/$1.yaml"
        else
            sed -E "s/^simulation: *\{ */simulation: { granularity: $1, /" "$scn" > "$work/$1.yaml"
        fi
    else
        { cat "$scn"; printf 'simulation: { granularity: %s }\n' "$1"; } > "$work/$1.yaml"
    fi
    local t0 t1
    t0=$(now)
    "$sim" run "$work/$1.yaml" -o "$work/$1.h5" --quiet
    t1=$(now)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}

# One line per flow: name throughput_Bps.
rates() {
    paste <("$h5read" "$1" flows name) <("$h5read" "$1" flows delivered_bytes) \
          <("$h5read" "$1" flows completion_time_s) <("$h5read" "$1" flows start_s) \
          <("$h5read" "$1" flows end_s) |
        awk '{ t = ($3 == "nan") ? $5 - $4 : $3; print $1, (t > 0 ? $2 / t : 0) }'
}

flow_s=$(run_at flow)
packet_s=$(run_at packet)
err=$(join <(rates "$work/flow.h5" | sort) <(rates "$work/packet.h5" | sort) |
    awk '{ d = $3 - $2; if (d < 0) d = -d; e = $2 > 0 ? d / $2 : 0; if (e > m) m = e }
         END { printf "%.4f", m }')
ratio=$(awk -v f="$flow_s" -v p="$packet_s" 'BEGIN { printf "%.1f", (f > 0 ? p / f : 0) }')
segs=$("$h5read" "$work/packet.h5" flows delivered_bytes | awk '{ s += $1 } END { printf "%.0f", s / 1000 }')
echo "flow_s packet_s speed_ratio max_rel_error ns3_segments"
echo "$flow_s $packet_s $ratio $err $segs"
