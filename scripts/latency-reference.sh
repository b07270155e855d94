#!/usr/bin/env bash
# latency-reference.sh -- the flow model's latency against the per-packet
# FIFO reference (burst granularity, burst_packets: 1, port_queues: fifo)
# on issue 17's cases (scripts/latency-cases.sh); prints the table of
# docs/latency-model.md: flow / reference and the relative error of the
# mean, p50 and p99 of flow f, in us.
#   bash scripts/latency-reference.sh [BUILD_DIR] [CASE...]   (default build, all)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$here/build}" && pwd)
shift || true
SIM=$build/sriov-sim H5=$build/tests/h5read
[ -x "$SIM" ] && [ -x "$H5" ] || { echo "build first: cmake --build $build" >&2; exit 2; }
export SRIOV_MODELS_DIR=${SRIOV_MODELS_DIR:-$here/models}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
source "$here/scripts/latency-cases.sh"
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=(poisson-0.3 poisson-0.5 poisson-0.8 imix-0.3 imix-0.5 imix-0.8
    tandem-equal tandem-10g noisy-40pct incast-8 cbr-alone onoff-self onoff-victim mix-64-1500)
echo "| case | mean (us) | p50 (us) | p99 (us) |"
echo "|---|---|---|---|"
for c in "${cases[@]}"; do lc_row "$(lc_run "$c")"; done
