#!/usr/bin/env bash
# test_latency_fifo_multi.sh -- flow mode against the per-packet FIFO run
# where queues form or not: two tandem ports of equal and unequal (25G
# then 10G) capacity, an incast of 8 senders on one receiver port, a
# constant-rate flow alone (zero wait): within 10 %. Known gaps, measured
# (docs/latency-model.md), checked at their measured error so that a
# change shows: the noisy neighbour on 40 % of the run (p99 +26 %), the
# on/off source (its own packets +11/+8/+20 %) and a victim beside an
# on/off neighbour (mean +11 %, p99 +76 %).
source "$(dirname "$0")/lib_latency_fifo.sh"
for c in tandem-equal tandem-10g incast-8 cbr-alone; do fifo_case $c 0.10 0.10 0.10; done
fifo_case noisy-40pct 0.10 0.10 0.30
fifo_case onoff-self 0.13 0.10 0.23
fifo_case onoff-victim 0.13 0.10 0.80
echo "$CHECKS checks, $FAILS failed"
[ "$FAILS" -eq 0 ]
