#!/usr/bin/env bash
# Core issue: the fluid flow model against closed forms.
source "$(dirname "$0")/lib.sh"

# One flow at 10 Gb/s for 2 s below a 25 Gb/s path: delivers 2.5 GB (+-1 %).
run_sim "$SCN/one_flow.yaml" "$WORK/one.h5"
check_near "one flow delivered" "$(field "$WORK/one.h5" flows delivered_bytes f)" 2.5e9 0.01
check_near "one flow no drop" "$(field "$WORK/one.h5" flows dropped_bytes f)" 0 0
mid=$("$H5READ" "$WORK/one.h5" --series /timeseries/flow_throughput_bps | sed -n 10p)
check_near "one flow throughput sample" "$mid" 1e10 0.01

# Two flows offering 20 Gb/s each through one 25 Gb/s port: half of its
# frame capacity each, 12.5 Gb/s x 1500/1520 (+-1 %).
run_sim "$SCN/shared_port.yaml" "$WORK/shared.h5"
for f in fa fb; do
    check_near "shared port $f" "$(field "$WORK/shared.h5" flows delivered_bytes $f)" \
        "$(awk 'BEGIN { print 12.5e9 / 8 * 2 * 1500 / 1520 }')" 0.01
done

# Ethernet framing (IEEE 802.3: 8 B preamble + SFD, 12 B gap per frame):
# 64 B frames at 10GbE line rate are 14.88 Mpps, at 40GbE 59.52 Mpps
# (nothing else limits; packet counts are whole numbers, issue 16, so within
# one packet: 1e-7). The port's utilisation counts the overhead.
run_sim "$SCN/eth_line.yaml" "$WORK/eth.h5"
check_near "10GbE 64 B: 14.88 Mpps" "$(field "$WORK/eth.h5" flows delivered_packets f10)" \
    "$(awk 'BEGIN { printf "%.17g", 10e9 / ((64 + 20) * 8) }')" 1e-7
check_near "40GbE 64 B: 59.52 Mpps" "$(field "$WORK/eth.h5" flows delivered_packets f40)" \
    "$(awk 'BEGIN { printf "%.17g", 40e9 / ((64 + 20) * 8) }')" 1e-7
check_near "10GbE 64 B: port full" "$(field "$WORK/eth.h5" links peak_utilisation h10.nic0.p0_UP)" 1.0 1e-9
check_near "10GbE 64 B: port bytes are frame bytes" "$(field "$WORK/eth.h5" links bytes h10.nic0.p0_UP)" \
    "$(awk 'BEGIN { printf "%.17g", 10e9 / ((64 + 20) * 8) * 64 }')" 1e-9
check_near "10 + 40 GbE of 64 B at 400GbE: utilisation with the overhead" \
    "$(field "$WORK/eth.h5" links peak_utilisation sink.nic0.p0_DOWN)" \
    "$(awk 'BEGIN { print 50e9 / 400e9 }')" 1e-9
check_near "port peak utilisation" \
    "$(field "$WORK/shared.h5" links peak_utilisation h1.nic0.p0_UP)" 1.0 0.01

# Inelastic flow offering 2x a 10 Gb/s path: delivers capacity, the rest is
# dropped. Each 1500 B frame also takes 20 B of preamble and gap on the
# wire, so the port carries 10 Gb/s x 1500/1520 of frames.
run_sim "$SCN/overload.yaml" "$WORK/over.h5"
frames=$(awk 'BEGIN { print 1.25e9 * 1500 / 1520 }')
check_near "overload delivered" "$(field "$WORK/over.h5" flows delivered_bytes f)" "$frames" 0.01
check_near "overload dropped" "$(field "$WORK/over.h5" flows dropped_bytes f)" \
    "$(awk -v d="$frames" 'BEGIN { print 2.5e9 - d }')" 0.01
check_near "overload offered" "$(field "$WORK/over.h5" flows offered_bytes f)" 2.5e9 0.001

# Elastic 1 GB of 1500 B frames alone on 10 Gb/s: 0.8 s x 1520/1500 (+-1 %).
run_sim "$SCN/elastic.yaml" "$WORK/el.h5"
check_near "elastic completion" "$(field "$WORK/el.h5" flows completion_time_s bulk)" \
    "$(awk 'BEGIN { print 0.8 * 1520 / 1500 }')" 0.01
check_near "elastic delivered" "$(field "$WORK/el.h5" flows delivered_bytes bulk)" 1e9 0.001
finish
