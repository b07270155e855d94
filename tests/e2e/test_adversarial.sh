#!/usr/bin/env bash
# Bad input: every adversarial scenario gets a clear error and exit 2, never
# a crash (status >= 128), a hang (20 s bound) or a results file.
# Static cases live in tests/adversarial/*.yaml, each with a first line
# "# expect: TEXT" that the first error must contain; the large and binary
# cases are generated here.
source "$(dirname "$0")/lib.sh"
ADV="$SRCDIR/tests/adversarial"

# expect_bad NAME FILE TEXT: exit 2 within 20 s, an "error:" line naming the
# input and containing TEXT, and no results file.
expect_bad() {
    local name=$1 file=$2 text=$3 rc
    set +e
    timeout 20 "$SRIOV_SIM" run "$file" -o "$WORK/out.h5" --quiet > /dev/null 2> "$WORK/err.txt"
    rc=$?
    set -e
    CHECKS=$((CHECKS + 1))
    if [ "$rc" -eq 124 ]; then fail "$name: still running after 20 s"; return; fi
    if [ "$rc" -ge 128 ]; then fail "$name: killed by signal $((rc - 128))"; return; fi
    if [ "$rc" -ne 2 ]; then fail "$name: exit $rc, expected 2: $(head -c 300 "$WORK/err.txt")"; return; fi
    local first
    first=$(grep -m1 'error: ' "$WORK/err.txt" || true)
    if [ -z "$first" ]; then fail "$name: no error line: $(head -c 300 "$WORK/err.txt")"; return; fi
    if ! grep -qF -- "$text" <<< "$first"; then fail "$name: '$first' lacks '$text'"; return; fi
    if ls "$WORK"/out.h5* > /dev/null 2>&1; then fail "$name: a results file was written"; return; fi
    pass "$name: ${first:0:120}"
}

for f in "$ADV"/*.yaml; do
    expect_bad "$(basename "$f")" "$f" "$(sed -n '1s/^# expect: //p' "$f")"
done

# Files that cannot be written by hand, or are too big to keep.
: > "$WORK/empty.yaml"
expect_bad "empty file" "$WORK/empty.yaml" "empty"
expect_bad "/dev/null" /dev/null "empty"
expect_bad "a directory" "$ADV" "is a directory"
expect_bad "missing file" "$WORK/nope.yaml" "cannot open"
expect_bad "endless device" /dev/zero "larger than"
printf 'name: \xff\xfe\xfd\nsimulation: { duration: 1s }\n' > "$WORK/latin.yaml"
expect_bad "non-UTF-8 bytes" "$WORK/latin.yaml" "UTF-8"
printf '\xff\xfen\0a\0m\0e\0:\0 \0x\0\n\0' > "$WORK/utf16.yaml"
expect_bad "UTF-16 file" "$WORK/utf16.yaml" "UTF-8"
printf 'name: a\0b\n' > "$WORK/nul.yaml"
expect_bad "raw NUL byte" "$WORK/nul.yaml" "byte 7"
head -c 4096 /dev/urandom > "$WORK/random.yaml"
expect_bad "random bytes" "$WORK/random.yaml" "error"

# 20 MB: over the 16 MiB limit, refused before parsing.
awk 'BEGIN { print "name: big"; print "hosts:";
             for (i = 0; i < 625000; i++) printf "  - { name: h%07d }  # padding\n", i }' > "$WORK/huge.yaml"
check_eq "generated file is about 20 MB" "$(( $(stat -c %s "$WORK/huge.yaml") / 1000000 ))" 21
expect_bad "20 MB file" "$WORK/huge.yaml" "larger than the 16 MiB limit"

# Well under the limit: 2 MB of hosts, all parsed and checked, a duplicate
# at the end. Bounded time means no quadratic pass. (Each host and adapter
# still re-reads its OS profile and model file: ~0.2 ms each under ASan.)
awk 'BEGIN { print "name: big"; print "simulation: { duration: 1s }"; print "hosts:";
             for (i = 0; i < 30000; i++)
                 printf "  - { name: h%d, adapters: [{ name: nic0, model: intel-e810, num_vfs: 1 }] }\n", i;
             print "  - { name: h0, adapters: [] }" }' > "$WORK/many_hosts.yaml"
expect_bad "30k hosts, one duplicate" "$WORK/many_hosts.yaml" "h0"

# A mapping with 100k keys (unknown ones: the error flood is capped).
awk 'BEGIN { print "name: keys"; print "simulation:"; print "  duration: 1s";
             for (i = 0; i < 100000; i++) printf "  key%d: %d\n", i, i }' > "$WORK/keys.yaml"
expect_bad "100k keys" "$WORK/keys.yaml" "unknown key"
CHECKS=$((CHECKS + 1))
if [ "$(grep -c 'error: ' "$WORK/err.txt")" -le 21 ]; then pass "error flood capped"
else fail "$(grep -c 'error: ' "$WORK/err.txt") error lines printed"; fi

# 10 MB scalar.
awk 'BEGIN { printf "name: "; for (i = 0; i < 1000000; i++) printf "abcdefghij"; print "" }' > "$WORK/long.yaml"
expect_bad "10 MB name" "$WORK/long.yaml" "invalid scenario name"

# Nesting 10k deep, flow style and block style (2k: block indentation
# grows quadratically), and 10k open brackets that never close.
awk 'BEGIN { printf "name: deep\nx: "; for (i = 0; i < 10000; i++) printf "["; for (i = 0; i < 10000; i++) printf "]"; print "" }' \
    > "$WORK/deep_flow.yaml"
expect_bad "10k-deep flow nesting" "$WORK/deep_flow.yaml" "nesting deeper than"
awk 'BEGIN { print "name: deep"; for (i = 0; i < 2000; i++) { for (j = 0; j < i; j++) printf " "; print "k:" } }' \
    > "$WORK/deep_block.yaml"
expect_bad "2k-deep block nesting" "$WORK/deep_block.yaml" "nesting deeper than"
awk 'BEGIN { printf "x: "; for (i = 0; i < 10000; i++) printf "{a: "; print "" }' > "$WORK/open.yaml"
expect_bad "10k unclosed brackets" "$WORK/open.yaml" "error"

# A billion-laughs bomb with 10k aliases of one anchor.
awk 'BEGIN { print "a: &a [x, x, x, x, x, x, x, x, x, x]"; printf "b: ["; for (i = 0; i < 10000; i++) printf "*a, "; print "*a]" }' \
    > "$WORK/aliases.yaml"
expect_bad "10k aliases" "$WORK/aliases.yaml" "anchors and aliases"

# validate takes the same path and the same exit status.
set +e
timeout 20 "$SRIOV_SIM" validate "$ADV/nan_rate.yaml" > /dev/null 2>&1; rc=$?
set -e
check_eq "validate on bad input" "$rc" 2
finish
