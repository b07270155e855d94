#!/usr/bin/env bash
# Issue 6, eSwitch: VEB vs VEPA forwarding, VLAN isolation, spoof check, counters,
# set_vf changing each rule in turn.
source "$(dirname "$0")/lib.sh"

# Two VFs on one port, 20 Gb/s each way for 1 s, eSwitch capacity 16 Gb/s.
run_sim "$SCN/eswitch_veb.yaml" "$WORK/veb.h5"
check_eq "VEB: wire up untouched" "$(field "$WORK/veb.h5" links bytes h1.nic0.p0_UP)" 0
check_eq "VEB: wire down untouched" "$(field "$WORK/veb.h5" links bytes h1.nic0.p0_DOWN)" 0
# Both directions share the eSwitch: 16 Gb/s x 1 s = 2 GB in all (+-1 %).
check_near "VEB: bounded by the eSwitch" "$(field "$WORK/veb.h5" links bytes h1.nic0.esw)" 2e9 0.01
check_near "VEB: ab half of it" "$(field "$WORK/veb.h5" flows delivered_bytes ab)" 1e9 0.01
check_near "VEB: port switched counter" "$(field "$WORK/veb.h5" ports switched_bytes h1.nic0.p0)" 2e9 0.01
check_eq "VEB: port forwarded counter" "$(field "$WORK/veb.h5" ports forwarded_bytes h1.nic0.p0)" 0

# VEPA: the same traffic hairpins through the wire (25 Gb/s each way per direction
# of the split-duplex port, shared by both flows' up and down legs: 12.5 Gb/s each),
# of which 1500/1520 are frame bytes (preamble, SFD and gap take the rest).
run_sim "$SCN/eswitch_vepa.yaml" "$WORK/vepa.h5"
wire=$(awk 'BEGIN { printf "%.17g", 3.125e9 * 1500 / 1520 }')
check_near "VEPA: on the wire" "$(field "$WORK/vepa.h5" links bytes h1.nic0.p0_UP)" "$wire" 0.01
check_eq "VEPA: eSwitch unused" "$(field "$WORK/vepa.h5" links bytes h1.nic0.esw)" 0
check_near "VEPA: port forwarded counter" "$(field "$WORK/vepa.h5" ports forwarded_bytes h1.nic0.p0)" "$wire" 0.01

# Cross-tenant (VLAN 100 -> 200) for 1 s, then the PF moves the sender to VLAN 200;
# a spoofed source MAC all along. 1 Gb/s of 1000 B packets; 2 Gb/s of 500 B.
run_sim "$SCN/eswitch_rules.yaml" "$WORK/r.h5"
"$H5READ" "$WORK/r.h5" --series /timeseries/flow_throughput_bps > "$WORK/r.tp"
check_eq "cross-tenant: nothing delivered in the first second" \
    "$(awk 'NR <= 10 { s += $1 } END { print s + 0 }' "$WORK/r.tp")" 0
check_near "cross-tenant: dropped 1 s x 1 Gb/s" "$(field "$WORK/r.h5" vfs drop_vlan_bytes h1.nic0.vf0)" 1.25e8 0.001
check_near "cross-tenant: dropped packets" "$(field "$WORK/r.h5" vfs drop_vlan_packets h1.nic0.vf0)" 1.25e5 0.001
check_near "cross-tenant: passes after set_vf" "$(field "$WORK/r.h5" flows delivered_bytes cross)" 1.25e8 0.001
check_eq "spoofed: nothing delivered" "$(field "$WORK/r.h5" flows delivered_bytes spoof)" 0
check_near "spoofed: dropped 2 s x 2 Gb/s" "$(field "$WORK/r.h5" vfs drop_spoof_bytes h1.nic0.vf2)" 5e8 0.001
check_near "spoofed: dropped packets" "$(field "$WORK/r.h5" vfs drop_spoof_packets h1.nic0.vf2)" 1e6 0.001
check_near "victim receives only the legitimate flow" "$(field "$WORK/r.h5" vfs rx_bytes h1.nic0.vf3)" 2.5e8 0.001
check_near "port counts the spoofed drops" "$(field "$WORK/r.h5" ports drop_spoof_packets h1.nic0.p0)" 1e6 0.001
check_eq "set_vf logged" "$("$H5READ" "$WORK/r.h5" events type | grep -c vf_set)" 1

# set_vf changing each rule in turn (eswitch_setvf.yaml): 2 Gb/s of 500 B
# packets dropped by the spoof check for 0.5 s, by VLAN isolation for 0.5 s,
# passing for 1.5 s (through spoofchk+trust, then the MAC it sends), dropped
# by VLAN isolation again for the last 0.5 s.
S="$WORK/setvf.h5"
run_sim "$SCN/eswitch_setvf.yaml" "$S"
check_near "set_vf: spoof drops until spoofchk false" "$(field "$S" vfs drop_spoof_bytes h1.nic0.vf0)" 1.25e8 1e-9
check_near "set_vf: spoof drop packets" "$(field "$S" vfs drop_spoof_packets h1.nic0.vf0)" 2.5e5 1e-9
check_near "set_vf: VLAN drops 0.5-1 s and 2.5-3 s" "$(field "$S" vfs drop_vlan_bytes h1.nic0.vf0)" 2.5e8 1e-9
check_near "set_vf: VLAN drop packets" "$(field "$S" vfs drop_vlan_packets h1.nic0.vf0)" 5e5 1e-9
check_near "set_vf: delivered 1-2.5 s" "$(field "$S" flows delivered_bytes sr)" 3.75e8 1e-9
check_eq "set_vf: rules as changed" "$(field "$S" events detail | grep '^mac=' | tr '\n' '|')" \
"mac=02:00:00:00:00:05 vlan=300 trust=off spoofchk=off|mac=02:00:00:00:00:05 vlan=100 trust=off spoofchk=off|\
mac=02:00:00:00:00:05 vlan=100 trust=on spoofchk=on|mac=02:00:00:00:00:99 vlan=100 trust=off spoofchk=on|\
mac=02:00:00:00:00:99 vlan=300 trust=off spoofchk=on|"
check_eq "set_vf: dropped twice, passed once" "$(field "$S" events type | grep '^esw_' | tr '\n' ' ')" \
    "esw_drop esw_pass esw_drop "
finish
