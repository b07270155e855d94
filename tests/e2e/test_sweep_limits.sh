#!/usr/bin/env bash
# Sweep limits and process hygiene (security issue, items 10, 16, 18):
#  - a point count whose product wraps size_t is refused, not run as 0 points;
#  - a second sweep into a directory in use is refused (flock), exit 2;
#  - a kill -9 of the sweep takes its running points with it.
source "$(dirname "$0")/lib.sh"
cp "$SCN/one_flow.yaml" "$WORK/base.yaml"

# 16. 65536 x 65536 grid x 65536 zip x 65536 samples = 2^64 wrapped to 0.
python3 - "$WORK/big.yaml" <<'PY'
import sys
v = ','.join(['1'] * 65536)
open(sys.argv[1], 'w').write(
    'base: base.yaml\ngrid:\n  traffic[0].rate: [%s]\n  simulation.seed: [%s]\n'
    'zip:\n  hosts[0].name: [%s]\nrandom:\n  samples: 65536\n  seed: 1\n  params:\n'
    '    simulation.duration: { uniform: [1s, 2s] }\n' % (v, v, v))
PY
set +e
"$SRIOV_SIM" sweep "$WORK/big.yaml" -o "$WORK/big" --dry-run > "$WORK/out.txt" 2> "$WORK/err.txt"
rc=$?
set -e
check_eq "2^64 points: exit 2" "$rc" 2
CHECKS=$((CHECKS + 1))
if grep -q 'more than 100000 points' "$WORK/err.txt"; then pass "2^64 points: the limit names itself"
else fail "2^64 points: $(head -c 300 "$WORK/err.txt")"; fi

# A sweep whose points take a while: 20 simulated seconds sampled every
# 100 us (200,000 samples, about 2 s of wall time each).
cat > "$WORK/slow.yaml" <<'YAML'
base: base.yaml
grid:
  simulation.seed: [1, 2]
YAML
sed -i 's/^simulation:.*/simulation: { duration: 20s, seed: 3 }/; s/^output:.*/output: { sample_interval: 100us }/' \
    "$WORK/base.yaml"

# 10. A second sweep into the same directory while the first runs.
"$SRIOV_SIM" sweep "$WORK/slow.yaml" -o "$WORK/sw" -j 1 > /dev/null 2>&1 &
first=$!
for _ in $(seq 100); do [ -e "$WORK/sw/.sweep.lock" ] && break; sleep 0.1; done
sleep 0.5
set +e
"$SRIOV_SIM" sweep "$WORK/slow.yaml" -o "$WORK/sw" -j 1 > /dev/null 2> "$WORK/err2.txt"
rc=$?
set -e
check_eq "second sweep into a busy directory: exit 2" "$rc" 2
CHECKS=$((CHECKS + 1))
if grep -q 'another sweep is running' "$WORK/err2.txt"; then pass "the refusal says why"
else fail "refusal: $(cat "$WORK/err2.txt")"; fi

# 18. kill -9 of the sweep: its running point dies with it.
worker=""
for _ in $(seq 100); do
    worker=$(pgrep -P "$first" -f 'sriov-sim run' || true)
    [ -n "$worker" ] && break
    sleep 0.1
done
kill -9 "$first" 2> /dev/null || true
wait "$first" 2> /dev/null || true
CHECKS=$((CHECKS + 1))
if [ -z "$worker" ]; then
    fail "no point process seen under the sweep"
else
    for _ in $(seq 50); do kill -0 "$worker" 2> /dev/null || break; sleep 0.1; done
    if kill -0 "$worker" 2> /dev/null; then
        fail "point process $worker outlived the killed sweep"; kill -9 "$worker"
    else pass "point process died with the sweep"; fi
fi
# And the lock went with the killed sweep: a new one runs.
"$SRIOV_SIM" sweep "$WORK/slow.yaml" -o "$WORK/sw" -j 2 --dry-run > /dev/null
pass "the directory is free again after the kill"
finish
