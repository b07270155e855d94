#!/usr/bin/env bash
# Groups (docs/scenario.md, "Groups"): the resolved scenario of a run with
# groups is compact and loads again to the same results (run, extract
# /meta/resolved, run it, same dataset digest); a group above its count
# limit is refused at load time with exit 2 at its file:line:col and no
# results file; an error in a generated item names the instance.
source "$(dirname "$0")/lib.sh"
SCN_G="$SRCDIR/scenarios/groups-pod.yaml"

run_sim "$SCN_G" "$WORK/a.h5"
"$H5READ" "$WORK/a.h5" --text /meta/resolved > "$WORK/resolved.yaml"
run_sim "$WORK/resolved.yaml" "$WORK/b.h5"
check_eq "round trip: same datasets" "$("$H5READ" "$WORK/b.h5" --digest-data)" \
    "$("$H5READ" "$WORK/a.h5" --digest-data)"
"$H5READ" "$WORK/b.h5" --text /meta/resolved > "$WORK/resolved2.yaml"
CHECKS=$((CHECKS + 1))
if cmp -s "$WORK/resolved.yaml" "$WORK/resolved2.yaml"; then pass "resolved is a fixed point"
else fail "resolved changes when reloaded: $(diff "$WORK/resolved.yaml" "$WORK/resolved2.yaml" | head -5)"; fi
# compact: the groups, not 16 hosts, 128 VMs and 128 flows
lines=$(wc -l < "$WORK/resolved.yaml")
CHECKS=$((CHECKS + 1))
if [ "$lines" -lt 250 ]; then pass "resolved has $lines lines"; else fail "resolved has $lines lines"; fi
check_eq "no expanded VM in resolved" "$(grep -c 'h05-t3' "$WORK/resolved.yaml" || true)" 0
check_eq "128 flows" "$(field "$WORK/a.h5" flows name | wc -l)" 128
# ew17 is VM 17 (h02-t1) sending to the same slot four hosts on, from 0.35 s
check_eq "generated flow: its peer" "$(field "$WORK/a.h5" flows to ew17)" "h06-t1.eth0"
check_near "generated flow: its start" "$(field "$WORK/a.h5" flows start_s ew17)" 0.35 1e-9

# a sweep changes a group's key and one instance through its override
cat > "$WORK/sweep.yaml" <<YAML
base: $SCN_G
output: $WORK/sweep
grid:
  vms[0].per_host: [4]
  hosts[0].overrides[0].cores: [16]
YAML
"$SRIOV_SIM" sweep "$WORK/sweep.yaml" -j 1 > /dev/null
check_eq "sweep: 4 VMs a host, so 64 flows" "$(field "$WORK/sweep/points/0000/results.h5" flows name | wc -l)" 64

# expect_refused NAME FILE PATTERN: exit 2, PATTERN (an extended regex) on stderr, no results
expect_refused() {
    local rc=0
    "$SRIOV_SIM" run "$2" -o "$WORK/bad.h5" --quiet > /dev/null 2> "$WORK/err.txt" || rc=$?
    check_eq "$1: exit status" "$rc" 2
    CHECKS=$((CHECKS + 1))
    if grep -qE -- "$3" "$WORK/err.txt"; then pass "$1: $(head -1 "$WORK/err.txt")"
    else fail "$1: '$3' not in: $(head -c 400 "$WORK/err.txt")"; fi
    check_eq "$1: no results file" "$(ls "$WORK"/bad.h5* 2> /dev/null | wc -l)" 0
}

sed 's/count: 16$/count: 100001/' "$SCN_G" > "$WORK/limit.yaml"
expect_refused "host count above the limit" "$WORK/limit.yaml" \
    "limit.yaml:[0-9]+:12: error: 'count' 100001 is above the limit of 100000"
sed 's/per_host: 8$/per_host: 65535/; s/count: 16$/count: 40/' "$SCN_G" > "$WORK/vms.yaml"
expect_refused "VMs above the limit" "$WORK/vms.yaml" \
    "vms.yaml:[0-9]+:[0-9]+: error: group 'tenants' brings vms to 2621400 items, above the limit"
sed 's/index: 13, cores: 64/index: 13, cores: 0/' "$SCN_G" > "$WORK/inst.yaml"
expect_refused "an instance named" "$WORK/inst.yaml" \
    "inst.yaml:[0-9]+:[0-9]+: error: h13 \(host group 'compute', index 13\): 'cores' must be"
sed 's/t{j}.eth0"/t{j + 1}.eth0"/' "$SCN_G" > "$WORK/peer.yaml"
expect_refused "a generated peer that does not exist" "$WORK/peer.yaml" \
    "error: ew7 \(traffic group 'east-west', index 7\): unknown VM 'h04-t8'"
finish
