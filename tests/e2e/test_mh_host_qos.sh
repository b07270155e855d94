#!/usr/bin/env bash
# Per-host caps (host_max_rate) beside per-VF guarantees (min_rate) on a
# multi-host adapter (issue 22, docs/multi-host.md): the QoS planner shares
# the port under each host's cap as well as the port. Closed forms on
# mh_hostcap_min.yaml (see its header) and variants made here; 1 s runs,
# delivered bytes = Gb/s x 1e9 / 8.
source "$(dirname "$0")/lib.sh"
B="$SCN/mh_hostcap_min.yaml"
GB=125000000   # bytes in 1 s at 1 Gb/s

# bytes EXPR: the bytes of EXPR Gb/s in 1 s (EXPR: arithmetic on constants).
bytes() { awk "BEGIN { printf \"%.17g\", ($1) * $GB }"; }
flow() { field "$1" flows delivered_bytes "$2"; }

# 1. A guaranteed VF on the uncapped host: b1 gets its whole 25 (the port
#    has room), h1's four flows 12.5 each, the eSwitch flow its 10.
run_sim "$B" "$WORK/a.h5"
for f in fa1 fa2 fa3 fa4; do
    check_near "guarantee on h2: $f 12.5 Gb/s (h1's cap / 4)" "$(flow "$WORK/a.h5" $f)" "$(bytes 12.5)" 1e-9
done
check_near "guarantee on h2: fb1 25 Gb/s (was 21.7 planned without the cap)" \
    "$(flow "$WORK/a.h5" fb1)" "$(bytes 25)" 1e-9
check_near "guarantee on h2: x12 10 Gb/s through the eSwitch" "$(flow "$WORK/a.h5" x12)" "$(bytes 10)" 1e-9
check_near "guarantee on h2: h1's cap link carries exactly 50 Gb/s" \
    "$(field "$WORK/a.h5" links bytes h1.ocp.host_share_UP)" "$(bytes 50)" 1e-9

# 2. A guaranteed VF on the capped host: a1 min 20 Gb/s. Floors a1 20, b1 5;
#    equal steps: a1 reaches its 25 at +5, then h1's cap fills: a2..a4 get
#    (50 - 25) / 3 each; b1 its 25. Without the planner's cap the solver
#    would give a1 only 12.5 (the cap link shares h1 per flow).
sed 's/{ name: a1, host: h1, nics: \[ { name: n, adapter: ocp } \] }/{ name: a1, host: h1, nics: [ { name: n, adapter: ocp, qos: { min_rate: 20Gbps } } ] }/' \
    "$B" > "$WORK/g.yaml"
check_eq "variant 2 has a1's guarantee" "$(grep -c 'min_rate: 20Gbps' "$WORK/g.yaml")" 1
run_sim "$WORK/g.yaml" "$WORK/g.h5"
check_near "guarantee on h1: fa1 25 Gb/s" "$(flow "$WORK/g.h5" fa1)" "$(bytes 25)" 1e-9
for f in fa2 fa3 fa4; do
    check_near "guarantee on h1: $f (50 - 25) / 3 Gb/s" "$(flow "$WORK/g.h5" $f)" "$(bytes "25 / 3")" 1e-9
done
check_near "guarantee on h1: fb1 25 Gb/s" "$(flow "$WORK/g.h5" fb1)" "$(bytes 25)" 1e-9
check_near "guarantee on h1: x12 10 Gb/s" "$(flow "$WORK/g.h5" x12)" "$(bytes 10)" 1e-9

# 3. The same guarantee given by set_qos at 0.5 s: 12.5 Gb/s for a1 before,
#    25 after; a2..a4 12.5 then 25/3. The event is in the event log.
{ cat "$B"; printf 'events:\n  - { at: 0.5s, set_qos: { nic: a1.n, min_rate: 20Gbps } }\n'; } > "$WORK/e.yaml"
run_sim "$WORK/e.yaml" "$WORK/e.h5"
check_near "set_qos on h1: fa1 half at 12.5, half at 25" "$(flow "$WORK/e.h5" fa1)" \
    "$(bytes "(12.5 + 25) / 2")" 1e-6
check_near "set_qos on h1: fa2 half at 12.5, half at 25/3" "$(flow "$WORK/e.h5" fa2)" \
    "$(bytes "(12.5 + 25 / 3) / 2")" 1e-6
check_near "set_qos on h1: fb1 25 Gb/s throughout" "$(flow "$WORK/e.h5" fb1)" "$(bytes 25)" 1e-6
types=$(field "$WORK/e.h5" events type)
check_eq "set_qos on h1: one qos_set row" "$(grep -c '^qos_set$' <<< "$types")" 1

# 4. Two hosts with different caps: h2 capped at 20 Gb/s and its second VF
#    b2 sending 25 Gb/s to the external endpoint too. h2: floor b1 5, then
#    b1 and b2 step equally to the cap: b1 12.5, b2 7.5; h1 as in 1.
sed -e 's/{ name: h2, adapters: \[ { name: ocp, model: mlx-connectx6dx-mh, multi_host: card0, num_vfs: 2 } \] }/{ name: h2, adapters: [ { name: ocp, model: mlx-connectx6dx-mh, multi_host: card0, num_vfs: 2, host_max_rate: 20Gbps } ] }/' \
    "$B" > "$WORK/t.yaml"
printf '  - { name: fb2, from: b2.n, to: external, rate: 25Gbps }\n' >> "$WORK/t.yaml"
check_eq "variant 4 caps h2" "$(grep -c 'host_max_rate: 20Gbps' "$WORK/t.yaml")" 1
run_sim "$WORK/t.yaml" "$WORK/t.h5"
check_near "two caps: fb1 5 + (20 - 5) / 2 Gb/s" "$(flow "$WORK/t.h5" fb1)" "$(bytes 12.5)" 1e-9
check_near "two caps: fb2 (20 - 5) / 2 Gb/s" "$(flow "$WORK/t.h5" fb2)" "$(bytes 7.5)" 1e-9
check_near "two caps: fa1 12.5 Gb/s" "$(flow "$WORK/t.h5" fa1)" "$(bytes 12.5)" 1e-9
check_near "two caps: x12 10 Gb/s (into b2, through the eSwitch)" "$(flow "$WORK/t.h5" x12)" "$(bytes 10)" 1e-9

# 5. A live migration brings a NIC guaranteed 60 Gb/s onto h1 (cap 50):
#    legal at load (the VM starts on h2), over-committed once its VF is
#    plugged on h1: the planner scales h1's minimums to its cap and the
#    event log says so, on h1's row, when the VF is plugged (and again when
#    the flows stop at the end of the run: the minimums fit).
grep -v '^#' "$B" | sed -e 's/num_vfs: 5/num_vfs: 6/' -e 's/duration: 1s/duration: 2s/' \
    -e 's/multi_host: card0, num_vfs: 2 }/multi_host: card0, num_vfs: 3 }/' \
    -e 's/^traffic:/  - { name: mover, host: h2, memory: 64MiB, nics: [ { name: n, adapter: ocp, standby: virtio, qos: { min_rate: 60Gbps } } ] }\ntraffic:/' \
    > "$WORK/m.yaml"
printf '  - { name: fm, from: mover.n, to: external, rate: 70Gbps }\nevents:\n  - { at: 0.3s, migrate: { vm: mover, to: h1 } }\n' >> "$WORK/m.yaml"
run_sim "$WORK/m.yaml" "$WORK/m.h5"
types=$(field "$WORK/m.h5" events type)
times=$(field "$WORK/m.h5" events time_s)
plug=$(paste <(printf '%s\n' "$times") <(printf '%s\n' "$types") | awk '$2 == "mig_vf_plug" { print $1 }')
over=$(paste <(printf '%s\n' "$times") <(printf '%s\n' "$types") | awk '$2 == "qos_host_overcommit" { print $1; exit }')
check_eq "migration onto h1: over-commitment logged" "$(grep -c '^qos_host_overcommit$' <<< "$types" || true)" 2
check_near "migration onto h1: logged when the VF is plugged" "$over" "$plug" 1e-12
hosts=$(paste <(printf '%s\n' "$types") <(field "$WORK/m.h5" events host) | awk '$1 == "qos_host_overcommit" { print $2 }' | sort -u)
check_eq "migration onto h1: on h1's row" "$hosts" h1
details=$(field "$WORK/m.h5" events detail)
check_eq "migration onto h1: the row names the cap" \
    "$(grep -c '^VF min_tx_rate sum exceeds host_max_rate 50000000000 bps' <<< "$details" || true)" 1

echo "$CHECKS checks, $FAILS failed"
[ "$FAILS" -eq 0 ]
