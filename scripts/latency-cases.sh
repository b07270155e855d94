# latency-cases.sh -- issue 17's latency cases at flow granularity and in
# the per-packet FIFO reference (burst granularity, burst_packets: 1,
# port_queues: fifo: sim/portfifo.h). Sourced by scripts/latency-reference.sh
# (the table in docs/latency-model.md) and tests/e2e/test_latency_fifo_*.sh.
# Needs SIM (the binary), H5 (tests/h5read) and WORK (a scratch folder).
# Every case: seed 7, E810 adapters with 25 Gb/s ports, 1 MiB buffers; the
# measured flow is named f.

# lc_yaml CASE GRAN: the scenario of CASE at GRAN (flow | fifo) on stdout.
lc_yaml() {
    local c=$1 gran=flow q="" rx=25Gbps dur=50ms si=10ms
    [ "$2" = fifo ] && gran=burst q=", port_queues: fifo"
    local P="kind: inelastic, arrivals: poisson, packet_size: 1500B"
    local I="kind: inelastic, arrivals: poisson, packet_sizes: imix"
    local flows
    case $c in
    poisson-0.3) flows="{ name: f, from: s1.eth0, to: r.eth0, rate: 7.5Gbps, $P }" ;;
    poisson-0.5) flows="{ name: f, from: s1.eth0, to: r.eth0, rate: 12.5Gbps, $P }" ;;
    poisson-0.8) flows="{ name: f, from: s1.eth0, to: r.eth0, rate: 20Gbps, $P }" ;;
    # IMIX: 353.8 B mean frame, 373.8 B on the wire: rate = load x 25G x 353.8/373.8
    imix-0.3) flows="{ name: f, from: s1.eth0, to: r.eth0, rate: 7.1Gbps, $I }" ;;
    imix-0.5) flows="{ name: f, from: s1.eth0, to: r.eth0, rate: 11.83Gbps, $I }" ;;
    imix-0.8) flows="{ name: f, from: s1.eth0, to: r.eth0, rate: 18.93Gbps, $I }" ;;
    # the sender's 25G port then the receiver's port: equal, or 10G (queues there)
    tandem-equal) flows="{ name: f, from: s1.eth0, to: r.eth0, rate: 15Gbps, $P }" ;;
    tandem-10g) rx=10Gbps flows="{ name: f, from: s1.eth0, to: r.eth0, rate: 6Gbps, $P }" ;;
    # a neighbour on 40 % of the run on the victim's sender and receiver
    # ports. 500 ms: at load 0.93 the queue's correlation time (~0.4 ms)
    # makes a 50 ms run's p99 noisy (seeds 7, 8, 9: 13.5, 16.9, 18.7 us)
    noisy-40pct) dur=500ms si=100ms flows="{ name: f, from: s1.eth0, to: r.eth0, rate: 5Gbps, $P }
  - { name: x, from: n.eth0, to: r.eth0, rate: 18Gbps, $P, start: 100ms, duration: 200ms }" ;;
    incast-8) flows="{ name: f, from: s1.eth0, to: r.eth0, rate: 2.5Gbps, $P }"
        for i in 2 3 4 5 6 7 8; do flows="$flows
  - { name: i$i, from: s$i.eth0, to: r.eth0, rate: 2.5Gbps, $P }"; done ;;
    cbr-alone) flows="{ name: f, from: s1.eth0, to: r.eth0, rate: 20Gbps, kind: inelastic, arrivals: constant, packet_size: 1500B }" ;;
    # on/off: the source itself (peak 40G > port: its on periods overflow),
    # and a Poisson victim beside a 20G-peak on/off neighbour
    onoff-self) dur=500ms si=100ms flows="{ name: f, from: s1.eth0, to: r.eth0, rate: 10Gbps, kind: inelastic, arrivals: onoff, on_mean: 20us, peak_rate: 40Gbps, packet_size: 1500B }" ;;
    onoff-victim) dur=500ms si=100ms flows="{ name: f, from: s1.eth0, to: r.eth0, rate: 5Gbps, $P }
  - { name: x, from: n.eth0, to: r.eth0, rate: 8Gbps, kind: inelastic, arrivals: onoff, on_mean: 50us, peak_rate: 16Gbps, packet_size: 1500B }" ;;
    # a 64 B flow beside a 1500 B one on the same two ports: the receiver's
    # port queues the small packets behind the large (metrics/tandem.h)
    mix-64-1500) flows="{ name: f, from: s1.eth0, to: r.eth0, rate: 3Gbps, kind: inelastic, arrivals: poisson, packet_size: 64B }
  - { name: x, from: n.eth0, to: r.eth0, rate: 14Gbps, $P }" ;;
    *) echo "unknown case $c" >&2; return 2 ;;
    esac
    echo "name: lat_${c//./_}"
    echo "simulation: { granularity: $gran, burst_packets: 1, duration: $dur, seed: 7$q }"
    echo "hosts:"
    for i in 1 2 3 4 5 6 7 8; do
        echo "  - { name: h$i, adapters: [{ name: nic0, model: intel-e810, num_vfs: 2, port_rate: 25Gbps }] }"
    done
    echo "  - { name: h9, adapters: [{ name: nic0, model: intel-e810, num_vfs: 2, port_rate: $rx }] }"
    echo "vms:"
    for i in 1 2 3 4 5 6 7 8; do
        echo "  - { name: s$i, host: h$i, nics: [{ name: eth0, attach: vf, adapter: nic0 }] }"
    done
    echo "  - { name: n, host: h1, nics: [{ name: eth0, attach: vf, adapter: nic0 }] }"
    echo "  - { name: r, host: h9, nics: [{ name: eth0, attach: vf, adapter: nic0 }] }"
    echo "traffic:"
    echo "  - $flows"
    echo "output: { sample_interval: $si }"
}

# lc_run CASE: "CASE fmean fp50 fp99 rmean rp50 rp99" (seconds) for flow f.
lc_run() {
    local c=$1 g
    for g in flow fifo; do
        lc_yaml "$c" $g > "$WORK/$c.$g.yaml" || return 2
        "$SIM" run "$WORK/$c.$g.yaml" -o "$WORK/$c.$g.h5" --quiet || return 2
    done
    local out="$c" k
    for g in flow fifo; do
        for k in latency_mean_s latency_p50_s latency_p99_s; do
            out="$out $("$H5" "$WORK/$c.$g.h5" flows $k f)"
        done
    done
    echo "$out"
}

# lc_row LINE: the table row (us, errors of flow against the reference).
lc_row() {
    echo "$1" | awk '{ printf "| %s | %.3f / %.3f (%+.1f %%) | %.3f / %.3f (%+.1f %%) | %.3f / %.3f (%+.1f %%) |\n", $1,
        $2 * 1e6, $5 * 1e6, 100 * ($2 / $5 - 1), $3 * 1e6, $6 * 1e6, 100 * ($3 / $6 - 1),
        $4 * 1e6, $7 * 1e6, 100 * ($4 / $7 - 1) }'
}
