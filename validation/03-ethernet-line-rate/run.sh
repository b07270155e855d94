#!/usr/bin/env bash
# Ethernet line rate: frames/s at 64, 128, 512, 1518 B on 10/25/40/100GbE,
# simulated (flow granularity, line-rate.yaml) against the IEEE 802.3 closed
# form in line-rate.csv; 0.5 % tolerance. Env: SRIOV_SIM, H5READ,
# VALIDATION_OUT (validation/README.md).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${VALIDATION_OUT:?}
"$SRIOV_SIM" run "$here/line-rate.yaml" -o "$out/line-rate.h5" --quiet > /dev/null
duration=1   # simulation.duration of line-rate.yaml, s
: > "$out/line-rate.dat"
grep -v '^#' "$here/line-rate.csv" | tail -n +2 | while IFS=, read -r rate size pub; do
    pkts=$("$H5READ" "$out/line-rate.h5" flows delivered_packets "f${rate}g${size}")
    sim=$(awk -v p="$pkts" -v d="$duration" 'BEGIN { printf "%.6f", p / d }')
    printf 'ROW\t%sGbE %sB\tframes/s\t%s\t%s\t0.5\n' "$rate" "$size" "$pub" "$sim"
    echo "$rate $size $pub $sim" >> "$out/line-rate.dat"
done
if command -v gnuplot > /dev/null; then
    gnuplot <<GP
set terminal pngcairo size 900,600
set output '$out/line-rate.png'
set title 'Ethernet frame rate: IEEE 802.3 closed form (lines) vs sriov-sim (points)'
set xlabel 'frame size, bytes (with FCS)'; set ylabel 'Mframes/s'
set logscale xy; set key top right
plot for [r in "10 25 40 100"] '$out/line-rate.dat' using (\$1 == r ? \$2 : 1/0):(\$3 / 1e6) with lines title r.'GbE 802.3', \
     for [r in "10 25 40 100"] '$out/line-rate.dat' using (\$1 == r ? \$2 : 1/0):(\$4 / 1e6) with points pt 7 title r.'GbE simulated'
GP
fi
printf 'NOTE\tflow granularity; frames counted at the sender, 1 s at twice line rate; port the only limit\n'
