#!/usr/bin/env bash
# test_latency_fifo_onehop.sh -- flow-mode mean, p50, p99 within 10 % of
# the per-packet FIFO run on one queueing port at loads 0.3/0.5/0.8,
# Poisson 1500 B and IMIX (docs/latency-model.md, the table). IMIX 0.8
# needs the receiver port's size-mix wait (metrics/tandem.h): without it
# p50 is -11 %.
source "$(dirname "$0")/lib_latency_fifo.sh"
for c in poisson-0.3 poisson-0.5 poisson-0.8 imix-0.3 imix-0.5 imix-0.8; do fifo_case $c 0.10 0.10 0.10; done
echo "$CHECKS checks, $FAILS failed"
[ "$FAILS" -eq 0 ]
