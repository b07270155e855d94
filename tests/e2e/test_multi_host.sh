#!/usr/bin/env bash
# Multi-host adapters (issue 22, docs/multi-host.md): four hosts on one
# mlx-connectx6dx-mh (one 100GbE port, PCIe Gen4 x4 per host), against
# closed forms.
source "$(dirname "$0")/lib.sh"

# share A B C D: runs mh_share.yaml with those offered rates; prints the
# four flows' delivered bytes over its 1 s, one line.
share() {
    sed -E "s/rate: [0-9]+Gbps \}  # A/rate: $1 }/;s/rate: [0-9]+Gbps \}  # B/rate: $2 }/;s/rate: [0-9]+Gbps \}  # C/rate: $3 }/;s/rate: [0-9]+Gbps \}  # D/rate: $4 }/" "$SCN/mh_share.yaml" > "$WORK/s.yaml"
    run_sim "$WORK/s.yaml" "$WORK/s.h5"
    field "$WORK/s.h5" flows delivered_bytes | tr '\n' ' '
}
# The shared port carries 100 Gb/s of wire, of which 1500/1520 are frame
# bytes (preamble, SFD and inter-frame gap take 20 B a frame): 12.336 GB/s.
port=$(awk 'BEGIN { printf "%.17g", 100e9 / 8 * 1500 / 1520 }')
quarter=$(awk -v p="$port" 'BEGIN { printf "%.17g", p / 4 }')

# 4 x 25 Gb/s offered: 100 Gb/s of frames do not fit the port's 98.7 Gb/s
# of frame bytes, so max-min gives each host a quarter of it.
read -r a b c d <<< "$(share 25Gbps 25Gbps 25Gbps 25Gbps)"
for x in "$a" "$b" "$c" "$d"; do check_near "4 x 25 on 100: a quarter each" "$x" "$quarter" 1e-9; done
check_near "4 x 25: the shared port full" "$(field "$WORK/s.h5" links bytes h1.ocp.p0_UP)" "$port" 1e-9
# Oversubscribed, 4 x 40: still a quarter each, not 40.
read -r a b c d <<< "$(share 40Gbps 40Gbps 40Gbps 40Gbps)"
for x in "$a" "$b" "$c" "$d"; do check_near "4 x 40 on 100: a quarter each" "$x" "$quarter" 1e-9; done
# Unequal demands, max-min across the hosts: 10 and 20 fit, the two 40s
# split the rest.
read -r a b c d <<< "$(share 10Gbps 20Gbps 40Gbps 40Gbps)"
rest=$(awk -v p="$port" 'BEGIN { printf "%.17g", (p - 30e9 / 8) / 2 }')
check_near "max-min: 10 Gb/s host served" "$a" 1.25e9 1e-9
check_near "max-min: 20 Gb/s host served" "$b" 2.5e9 1e-9
check_near "max-min: 40 Gb/s hosts split the rest" "$c" "$rest" 1e-9
check_near "max-min: 40 Gb/s hosts split the rest (2)" "$d" "$rest" 1e-9

# One host's PCIe x4 limits that host alone: h1 offers 80 Gb/s, the
# others 5. Closed form of the PCIe model (pcie.h): Gen4 x4 raw
# 16 GT/s x 128/130 x 4 / 8 B/s, less DLLPs (8 B per Ack and per FC update
# every 214 B at MPS 256, x4) and SKIPs (4 B per 1538 B); a 1500 B frame
# (1496 B DMA) sent by the kernel driver puts 1685.5 B on the link's
# host-to-device side: tail write 28, descriptor fetch 700/40 = 17.5, data
# completions 6 x 20 + 1496 = 1616, head read 24.
read -r a b c d <<< "$(share 80Gbps 5Gbps 5Gbps 5Gbps)"
x4=$(awk 'BEGIN { t = 16e9 * 128 / 130 * 4 / 8 * (1 - 16 / 214 - 4 / 1538);
                  printf "%.17g", t / 1685.5 * 1500 }')
check_near "PCIe x4 caps h1 at 51.7 Gb/s" "$a" "$x4" 1e-6
for x in "$b" "$c" "$d"; do check_near "PCIe x4 of h1: the other hosts get their 5 Gb/s" "$x" 6.25e8 1e-9; done
CHECKS=$((CHECKS + 1))
if awk -v a="$a" -v p="$port" 'BEGIN { exit !(a + 3 * 6.25e8 < p * 0.99) }'; then
    pass "the port has room left: PCIe, not the port, limits h1"
else fail "port full: the PCIe test does not test PCIe"; fi

# Per-VF QoS across hosts (mh_qos.yaml): the guarantee on h1's VF holds
# against VFs of other hosts on the shared port (they get shapers too), the
# cap on h3's holds, the rest is max-min: f1 40 + its last 10, f3 10 (plus
# its 64 KiB bucket), f2 and f4 split what is left of the port.
run_sim "$SCN/mh_qos.yaml" "$WORK/q.h5"
check_near "QoS: h1's guaranteed VF gets its 50" "$(field "$WORK/q.h5" flows delivered_bytes f1)" 6.25e9 1e-6
check_near "QoS: h3's capped VF 10 Gb/s" "$(field "$WORK/q.h5" flows delivered_bytes f3)" 1.25e9 1e-4
f3=$(field "$WORK/q.h5" flows delivered_bytes f3)
left=$(awk -v p="$port" -v f3="$f3" 'BEGIN { printf "%.17g", (p - 6.25e9 - f3) / 2 }')
check_near "QoS: h2 and h4 split the rest" "$(field "$WORK/q.h5" flows delivered_bytes f2)" "$left" 1e-6
check_near "QoS: h2 and h4 split the rest (2)" "$(field "$WORK/q.h5" flows delivered_bytes f4)" "$left" 1e-6

# Per-host QoS (mh_hostcap.yaml): host_max_rate 50Gbps on h1 (4 VFs x 25
# Gb/s offered) against h2 (1 VF, 25): h1 gets exactly 50 Gb/s over its
# four flows (12.5 each), h2 its 25 (75 fit the port's 98.7); a VF-to-VF flow
# from h1 to h2 through the shared eSwitch is not under h1's cap.
run_sim "$SCN/mh_hostcap.yaml" "$WORK/hc.h5"
hA=0
for f in fa1 fa2 fa3 fa4; do
    x=$(field "$WORK/hc.h5" flows delivered_bytes $f)
    check_near "host cap: $f gets a quarter of h1's 50 Gb/s" "$x" 1.5625e9 1e-9
    hA=$(awk -v a="$hA" -v x="$x" 'BEGIN { printf "%.17g", a + x }')
done
check_near "host cap: h1 gets exactly its 50 Gb/s" "$hA" 6.25e9 1e-9
check_near "host cap: h2 gets its 25 Gb/s" "$(field "$WORK/hc.h5" flows delivered_bytes fb1)" 3.125e9 1e-9
check_near "host cap: the eSwitch flow h1 -> h2 is not capped" "$(field "$WORK/hc.h5" flows delivered_bytes x12)" 1.25e9 1e-9
check_near "host cap: /links h1.ocp.host_share_UP carries h1's port bytes" \
    "$(field "$WORK/hc.h5" links bytes h1.ocp.host_share_UP)" 6.25e9 1e-9
check_near "host cap: /links capacity 50 Gb/s" \
    "$(field "$WORK/hc.h5" links capacity_bps h1.ocp.host_share_UP)" 50e9 1e-12
"$H5READ" "$WORK/hc.h5" --text /meta/resolved > "$WORK/hc_resolved.yaml"
check_eq "resolved: host_max_rate on h1 only" "$(grep -c 'host_max_rate: 50000000000bps' "$WORK/hc_resolved.yaml")" 1
# Control: the same scenario without the cap shares the port per flow
# (5 flows on 98.7 Gb/s of frame bytes), so h1 takes 4/5 of it.
grep -v 'host_max_rate' "$SCN/mh_hostcap.yaml" > "$WORK/hc0.yaml"
run_sim "$WORK/hc0.yaml" "$WORK/hc0.h5"
check_near "no host cap: fa1 gets a fifth of the port" "$(field "$WORK/hc0.h5" flows delivered_bytes fa1)" \
    "$(awk -v p="$port" 'BEGIN { printf "%.17g", p / 5 }')" 1e-9

# VF to VF across hosts of one adapter: its eSwitch, never its port or the
# ToR; the control pair h5 -> h6 (adapters of their own) is all the ToR
# carries.
run_sim "$SCN/mh_cross.yaml" "$WORK/c.h5"
check_near "cross-host a12 delivered" "$(field "$WORK/c.h5" flows delivered_bytes a12)" 1.25e9 1e-9
check_near "cross-host a34 delivered" "$(field "$WORK/c.h5" flows delivered_bytes a34)" 2.5e9 1e-9
check_near "cross-host a41 delivered" "$(field "$WORK/c.h5" flows delivered_bytes a41)" 3.75e9 1e-9
# ... and the migration's memory (VM mover, h3 -> h4), PF to PF.
mig=$(field "$WORK/c.h5" migrations bytes)   # one migration, one row
CHECKS=$((CHECKS + 1))
if awk -v m="$mig" 'BEGIN { exit !(m > 1e8) }'; then pass "migration moved $mig B"; else fail "migration moved $mig B"; fi
check_near "the shared eSwitch carries them all" "$(field "$WORK/c.h5" links bytes h1.ocp.esw)" \
    "$(awk -v m="$mig" 'BEGIN { printf "%.17g", 7.5e9 + m }')" 1e-9
check_near "the migration leaves by h3's own PCIe" "$(field "$WORK/c.h5" links bytes h3.ocp.pcie_UP)" \
    "$(awk -v m="$mig" 'BEGIN { printf "%.17g", 2.5e9 + m }')" 1e-9
check_eq "shared port up untouched" "$(field "$WORK/c.h5" links bytes h1.ocp.p0_UP)" 0
check_eq "shared port down untouched" "$(field "$WORK/c.h5" links bytes h1.ocp.p0_DOWN)" 0
check_near "the ToR carries only the control pair" "$(field "$WORK/c.h5" links bytes r0.tor)" 6.25e8 1e-9
check_near "each host's own PCIe: h4 sends a41" "$(field "$WORK/c.h5" links bytes h4.ocp.pcie_UP)" 3.75e9 1e-9
check_near "each host's own PCIe: h1 receives a41" "$(field "$WORK/c.h5" links bytes h1.ocp.pcie_DOWN)" 3.75e9 1e-9
check_near "eSwitch counter on h1's port row" "$(field "$WORK/c.h5" ports switched_bytes h1.ocp.p0)" 1.25e9 1e-9

# FLR on h1 (100 ms, linux-kvm) at 0.5 s, 4 x 20 Gb/s: h1 loses 100 ms,
# the other hosts' flows never dip (1 ms samples); each host's PF log.
run_sim "$SCN/mh_flr.yaml" "$WORK/f.h5"
check_near "h1's flow paused for its FLR" "$(field "$WORK/f.h5" flows delivered_bytes f1)" 2.25e9 1e-6
"$H5READ" "$WORK/f.h5" --series /timeseries/flow_throughput_bps > "$WORK/f.tp"
for col in 2 3 4; do
    check_near "host h$col's flow delivered in full" \
        "$(field "$WORK/f.h5" flows delivered_bytes f$col)" 2.5e9 1e-9
    check_near "host h$col's flow never dips" \
        "$(awk -v c=$col 'NR > 1 { if (m == "" || $c < m) m = $c } END { print m }' "$WORK/f.tp")" 2e10 1e-6
done
check_eq "h1's PF counts the FLR" "$(field "$WORK/f.h5" pf_vfs flr_count h1.ocp.vf0)" 1
for h in h2 h3 h4; do
    check_eq "$h's PF saw none" "$(field "$WORK/f.h5" pf_vfs flr_count $h.ocp.vf0)" 0
done
hosts=$(paste -d' ' <(field "$WORK/f.h5" events type) <(field "$WORK/f.h5" events host) |
        awk '$1 ~ /^flr_/ { print $2 }' | sort -u | tr '\n' ' ')
check_eq "FLR logged on h1's PF only" "$hosts" "h1 "

# The capacity study (scenarios/multi-host-study.yaml), its header's
# closed forms for the second second (all four backups at once), read from
# the 10 ms series: the shared card gives each backup a quarter of what the
# port's frames leave after the four 8 Gb/s streams; a 100G NIC each the
# full 40; a 25G NIC each what its port leaves after 8 + 4 Gb/s.
run_sim "$SRCDIR/scenarios/multi-host-study.yaml" "$WORK/st.h5"
"$H5READ" "$WORK/st.h5" --series /timeseries/flow_throughput_bps > "$WORK/st.tp"
names=$(field "$WORK/st.h5" flows name | tr '\n' ' ')
col() { awk -v n="$1" '{ for (i = 1; i <= NF; i++) if ($i == n) print i }' <<< "$names"; }
at150() { awk -v c="$(col "$1")" 'NR == 150 { printf "%.17g", $c }' "$WORK/st.tp"; }
check_near "study: 4 backups on the shared card" "$(at150 m2-backup)" \
    "$(awk 'BEGIN { printf "%.17g", (100e9 * 1500 / 1520 - 32e9) / 4 }')" 1e-6
check_near "study: a 100G NIC each" "$(at150 a2-backup)" 4e10 1e-6
check_near "study: a 25G NIC each" "$(at150 s2-backup)" \
    "$(awk 'BEGIN { printf "%.17g", 25e9 * 1500 / 1520 - 12e9 }')" 1e-6
ext=$(paste -d' ' <(field "$WORK/st.h5" flows name) <(field "$WORK/st.h5" flows delivered_bytes) |
      awk '$1 ~ /^m.-(steady|backup)$/ { s += $2 } END { printf "%.17g", s }')
check_near "study: the multi-host chassis' ToR carries no east-west bytes" \
    "$(field "$WORK/st.h5" links bytes r-mh.tor)" "$ext" 1e-9

# The resolved scenario names the shared adapter.
"$H5READ" "$WORK/f.h5" --text /meta/resolved > "$WORK/resolved.yaml"
check_eq "resolved: multi_host on every member" "$(grep -c 'multi_host: "card0"' "$WORK/resolved.yaml")" 4
finish
