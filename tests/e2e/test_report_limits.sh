#!/usr/bin/env bash
# report believes a declared size only up to what the file stores (security
# issue, item 12): a 46 KB results file declaring 2e7 samples made the
# report allocate hundreds of MB and write an 80 MB .dat. The series is
# skipped instead, quickly, and the other figures are still drawn.
source "$(dirname "$0")/lib.sh"
: "${H5FORGE:?run through ctest}"
run_sim "$SCN/one_flow.yaml" "$WORK/r.h5"
"$H5FORGE" "$WORK/r.h5" --declare /timeseries/flow_throughput_bps 20000000 1
"$H5FORGE" "$WORK/r.h5" --declare /timeseries/time_s 20000000 0
set +e
timeout 60 "$SRIOV_SIM" report "$WORK/r.h5" -o "$WORK/rep" > /dev/null 2> "$WORK/err.txt"
rc=$?
set -e
check_eq "report of a file declaring 2e7 samples: exit 0 within 60 s" "$rc" 0
big=$(find "$WORK/rep" -type f -size +1M | wc -l)
check_eq "no output file over 1 MB" "$big" 0
CHECKS=$((CHECKS + 1))
if [ -s "$WORK/rep/flow_delivery.png" ]; then pass "the tables' figures are still drawn"
else fail "flow_delivery.png missing: $(cat "$WORK/err.txt")"; fi
finish
