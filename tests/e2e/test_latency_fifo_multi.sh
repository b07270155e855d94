#!/usr/bin/env bash
# test_latency_fifo_multi.sh -- flow mode against the per-packet FIFO run
# where queues form or not: two tandem ports of equal and unequal (25G
# then 10G) capacity, an incast of 8 senders on one receiver port, a
# constant-rate flow alone (zero wait), the noisy neighbour on 40 % of the
# run, an on/off source whose on periods overflow the port, a 64 B flow
# sharing the receiver port with a 1500 B flow (its wait is the port's
# size mix, sim/hop_mix.h: with its own 64 B sizes it was -15/-17/-24 %):
# within 10 %.
# A Poisson victim beside an on/off neighbour whose on periods do not
# overflow (onoff-victim; the modulated queue, metrics/mmpp.h): within
# 10 % (the quasi-static Poisson law it replaced: mean +11 %, p99 +75 %).
source "$(dirname "$0")/lib_latency_fifo.sh"
for c in tandem-equal tandem-10g incast-8 cbr-alone noisy-40pct onoff-self mix-64-1500; do
    fifo_case $c 0.10 0.10 0.10
done
fifo_case onoff-victim 0.10 0.10 0.10
echo "$CHECKS checks, $FAILS failed"
[ "$FAILS" -eq 0 ]
