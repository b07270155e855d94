#!/usr/bin/env bash
# Core issue: the fluid flow model against closed forms.
source "$(dirname "$0")/lib.sh"

# One flow at 10 Gb/s for 2 s below a 25 Gb/s path: delivers 2.5 GB (+-1 %).
run_sim "$SCN/one_flow.yaml" "$WORK/one.h5"
check_near "one flow delivered" "$(field "$WORK/one.h5" flows delivered_bytes f)" 2.5e9 0.01
check_near "one flow no drop" "$(field "$WORK/one.h5" flows dropped_bytes f)" 0 0
mid=$("$H5READ" "$WORK/one.h5" --series /timeseries/flow_throughput_bps | sed -n 10p)
check_near "one flow throughput sample" "$mid" 1e10 0.01

# Two flows offering 20 Gb/s each through one 25 Gb/s port: 12.5 Gb/s each (+-2 %).
run_sim "$SCN/shared_port.yaml" "$WORK/shared.h5"
for f in fa fb; do
    check_near "shared port $f" "$(field "$WORK/shared.h5" flows delivered_bytes $f)" \
        "$(awk 'BEGIN { print 12.5e9 / 8 * 2 }')" 0.02
done
check_near "port peak utilisation" \
    "$(field "$WORK/shared.h5" links peak_utilisation h1.nic0.p0_UP)" 1.0 0.01

# Inelastic flow offering 2x a 10 Gb/s path: delivers capacity, the rest is dropped.
run_sim "$SCN/overload.yaml" "$WORK/over.h5"
check_near "overload delivered" "$(field "$WORK/over.h5" flows delivered_bytes f)" 1.25e9 0.01
check_near "overload dropped" "$(field "$WORK/over.h5" flows dropped_bytes f)" 1.25e9 0.01
check_near "overload offered" "$(field "$WORK/over.h5" flows offered_bytes f)" 2.5e9 0.001

# Elastic 1 GB alone on 10 Gb/s: completes in 0.8 s (+-1 %).
run_sim "$SCN/elastic.yaml" "$WORK/el.h5"
check_near "elastic completion" "$(field "$WORK/el.h5" flows completion_time_s bulk)" 0.8 0.01
check_near "elastic delivered" "$(field "$WORK/el.h5" flows delivered_bytes bulk)" 1e9 0.001
finish
