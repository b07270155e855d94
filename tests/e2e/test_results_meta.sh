#!/usr/bin/env bash
# How a results file says how it was made (issue #16): /meta carries the
# schema version and the provenance (creation time, host, command line,
# source revision), which the dataset digest leaves out; the report refuses
# a schema it does not know; /meta/resolved writes out the migration
# defaults and the ToR latency.
source "$(dirname "$0")/lib.sh"

attr() { "$H5READ" "$1" --attr /meta "$2"; }

scn="$SRCDIR/scenarios/migration-failover.yaml"
run_sim "$scn" "$WORK/a.h5"
run_sim "$scn" "$WORK/other-name.h5"
f="$WORK/a.h5"
check_eq "schema_version" "$(attr "$f" schema_version)" 3
check_eq "created_utc is ISO 8601 UTC" \
    "$(attr "$f" created_utc | grep -cE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$')" 1
check_eq "host" "$(attr "$f" host)" "$(hostname)"
check_eq "command_line" "$(attr "$f" command_line)" \
    "sriov-sim 'run' '$scn' '-o' '$WORK/a.h5' '--quiet'"
check_eq "source_revision is set" "$(attr "$f" source_revision | grep -c .)" 1
# Two runs written to different paths: their command lines differ, their
# digests do not.
check_eq "provenance left out of the digest" "$("$H5READ" "$f" --digest)" \
    "$("$H5READ" "$WORK/other-name.h5" --digest)"

# /meta/resolved: every migration setting, the model's defaults filled in,
# and the ToR latency.
resolved=$("$H5READ" "$f" --text meta/resolved)
for key in unplug_time plug_time min_downtime max_downtime bandwidth max_rounds; do
    check_eq "resolved migrate has $key" "$(grep -c "^      $key: " <<< "$resolved")" 1
done
check_eq "resolved max_rounds is the model's" "$(grep -o 'max_rounds: .*' <<< "$resolved")" \
    "max_rounds: 30"
check_eq "resolved tor_latency" "$(grep -o 'tor_latency: .*' <<< "$resolved")" \
    "tor_latency: 5e-07s"
# ... and loads again as is, to the same numbers.
printf '%s\n' "$resolved" > "$WORK/resolved.yaml"
run_sim "$WORK/resolved.yaml" "$WORK/resolved.h5"
check_eq "resolved runs to the same flows" "$(field "$WORK/resolved.h5" flows delivered_bytes)" \
    "$(field "$f" flows delivered_bytes)"

# The report reads its own schema and refuses one it does not know.
CHECKS=$((CHECKS + 1))
if "$SRIOV_SIM" report "$f" -o "$WORK/rep" > /dev/null 2> "$WORK/err"; then
    pass "report reads schema 3"
else fail "report refused its own file: $(cat "$WORK/err")"; fi
cp "$f" "$WORK/future.h5"
"$H5FORGE" "$WORK/future.h5" --u64 /meta schema_version 4
CHECKS=$((CHECKS + 1))
if "$SRIOV_SIM" report "$WORK/future.h5" -o "$WORK/rep3" > /dev/null 2> "$WORK/err3"; then
    fail "report read an unknown schema"
elif grep -q "results schema version 4, which this sriov-sim" "$WORK/err3" &&
     grep -q "fix: " "$WORK/err3"; then
    pass "report refuses schema 4: $(head -c 160 "$WORK/err3")"
else fail "report's refusal unclear: $(cat "$WORK/err3")"; fi
check_eq "nothing written for a refused file" "$(ls "$WORK/rep3" 2>/dev/null | wc -l)" 0

# The ToR latency is a scenario key: a longer one shows in the latency.
{ cat "$SRCDIR/scenarios/quickstart.yaml"; echo "fabric: { tor_latency: 100us }"; } \
    > "$WORK/slow-tor.yaml"
run_sim "$SRCDIR/scenarios/quickstart.yaml" "$WORK/q.h5"
run_sim "$WORK/slow-tor.yaml" "$WORK/q-slow.h5"
p50=$(field "$WORK/q.h5" flows latency_p50_s | sed -n 1p)
p50s=$(field "$WORK/q-slow.h5" flows latency_p50_s | sed -n 1p)
check_near "tor_latency 100us adds 99.5us to a path through one ToR" \
    "$(awk -v a="$p50s" -v b="$p50" 'BEGIN { printf "%.9g", a - b }')" 99.5e-6 0.01

finish
