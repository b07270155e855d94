#!/usr/bin/env bash
# noisy-neighbour.sh -- runs scenarios/noisy-neighbour{-unshaped,}.yaml and
# draws results/noisy-neighbour.png: per-VF throughput over time without and
# with QoS. Usage: bash scripts/noisy-neighbour.sh [BUILD_DIR] (default build).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
sim=$build/sriov-sim
h5read=$build/tests/h5read
[ -x "$sim" ] && [ -x "$h5read" ] || { echo "build first: cmake --build $build" >&2; exit 1; }
export SRIOV_MODELS_DIR=${SRIOV_MODELS_DIR:-$here/models}
mkdir -p "$here/results"

# time_s, then the VFs of h1 that have a VM, in Gb/s.
to_table() {
    local h5=$1 out=$2
    local cols
    cols=$(paste <("$h5read" "$h5" vfs host) <("$h5read" "$h5" vfs vm) |
           awk '$1 == "h1" && NF == 2 { printf "%s%d", sep, NR; sep = "," }')
    paste -d' ' <("$h5read" "$h5" --series /timeseries/time_s) \
                <("$h5read" "$h5" --series /timeseries/vf_throughput_bps) |
        awk -v cols="$cols" '{ n = split(cols, c, ","); printf "%s", $1;
                               for (i = 1; i <= n; i++) printf " %.6g", $(c[i] + 1) / 1e9;
                               print "" }' > "$out"
}

for s in noisy-neighbour-unshaped noisy-neighbour; do
    "$sim" run "$here/scenarios/$s.yaml" -o "$here/results/$s.h5" --quiet
    to_table "$here/results/$s.h5" "$here/results/$s.dat"
done
titles=$(paste <("$h5read" "$here/results/noisy-neighbour.h5" vfs host) \
               <("$h5read" "$here/results/noisy-neighbour.h5" vfs vm) |
         awk '$1 == "h1" && NF == 2 { printf "%s%s", sep, $2; sep = " " }')
gnuplot -e "out='$here/results/noisy-neighbour.png'" \
        -e "unshaped='$here/results/noisy-neighbour-unshaped.dat'" \
        -e "shaped='$here/results/noisy-neighbour.dat'" -e "titles='$titles'" \
        "$here/scripts/noisy-neighbour.gp"
echo "results/noisy-neighbour.png"
