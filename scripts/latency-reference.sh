#!/usr/bin/env bash
# latency-reference.sh -- the flow model's latency against the per-packet
# run (burst granularity, burst_packets: 1) on issue 17's cases; prints
# one line per case: flow / reference and the relative error of the mean,
# p50 and p99 (docs/latency-model.md, "Against the per-packet run").
# The reference lacks the per-packet fixed costs and the per-hop
# serialisation the flow model adds; both are constants, measured as the
# difference of the two modes' mean at 1 Mb/s and added to it ("shift").
#   bash scripts/latency-reference.sh [BUILD_DIR]   (default build)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$here/build}" && pwd)
SIM=$build/sriov-sim H5=$build/tests/h5read
[ -x "$SIM" ] && [ -x "$H5" ] || { echo "build first: cmake --build $build" >&2; exit 2; }
export SRIOV_MODELS_DIR=${SRIOV_MODELS_DIR:-$here/models}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

gen() { # NAME GRAN RATE ARRIVALS SIZES DURATION [EXTRA_FLOW_LINE]
    cat > "$1.$2.yaml" <<YAML
name: ref
simulation: { granularity: $2, burst_packets: 1, duration: $6, seed: 7 }
hosts:
  - { name: h1, adapters: [{ name: nic0, model: intel-e810, num_vfs: 2, port_rate: 25Gbps }] }
  - { name: h2, adapters: [{ name: nic0, model: intel-e810, num_vfs: 2, port_rate: 25Gbps }] }
vms:
  - { name: a, host: h1, nics: [{ name: eth0, attach: vf, adapter: nic0 }] }
  - { name: n, host: h1, nics: [{ name: eth0, attach: vf, adapter: nic0 }] }
  - { name: b, host: h2, nics: [{ name: eth0, attach: vf, adapter: nic0 }] }
traffic:
  - { name: f, from: a.eth0, to: b.eth0, kind: inelastic, rate: $3, arrivals: $4, $5 }
${7:-}
output: { sample_interval: 10ms }
YAML
    "$SIM" run "$1.$2.yaml" -o "$1.$2.h5" --quiet
}

row() { # NAME RATE ARRIVALS SIZES DURATION [EXTRA_FLOW_LINE]
    for g in flow burst; do
        gen "$1" $g "$2" "$3" "$4" "$5" "${6:-}"
        gen "$1-idle" $g 1Mbps constant "$4" 20ms
    done
    v() { "$H5" "$1" flows "$2" f; }
    awk -v n="$1" -v fm="$(v "$1.flow.h5" latency_mean_s)" -v f5="$(v "$1.flow.h5" latency_p50_s)" \
        -v f9="$(v "$1.flow.h5" latency_p99_s)" -v bm="$(v "$1.burst.h5" latency_mean_s)" \
        -v b5="$(v "$1.burst.h5" latency_p50_s)" -v b9="$(v "$1.burst.h5" latency_p99_s)" \
        -v fi="$(v "$1-idle.flow.h5" latency_mean_s)" -v bi="$(v "$1-idle.burst.h5" latency_mean_s)" 'BEGIN {
        d = fi - bi
        printf "%-14s mean %.3f/%.3f (%+.1f%%)  p50 %.3f/%.3f (%+.1f%%)  p99 %.3f/%.3f (%+.1f%%)  shift %.3f us\n", n,
            fm * 1e6, (bm + d) * 1e6, 100 * (fm - bm - d) / (bm + d),
            f5 * 1e6, (b5 + d) * 1e6, 100 * (f5 - b5 - d) / (b5 + d),
            f9 * 1e6, (b9 + d) * 1e6, 100 * (f9 - b9 - d) / (b9 + d), d * 1e6 }'
}

row poisson-0.3 7.5Gbps poisson "packet_size: 1500B" 50ms
row poisson-0.5 12.5Gbps poisson "packet_size: 1500B" 50ms
row poisson-0.8 20Gbps poisson "packet_size: 1500B" 50ms
row cbr-alone 20Gbps constant "packet_size: 1500B" 20ms
row noisy-40pct 5Gbps poisson "packet_size: 1500B" 50ms \
    "  - { name: x, from: n.eth0, to: b.eth0, kind: inelastic, rate: 18Gbps, arrivals: poisson, packet_size: 1500B, start: 10ms, duration: 20ms }"
