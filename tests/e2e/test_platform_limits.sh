#!/usr/bin/env bash
# Security #20 item 6: a platform that cannot fit the memory given is
# refused with exit 2 and a file:line:col error before any work, instead
# of std::bad_alloc inside SimGrid (exit 134) or an OOM kill; and one host
# with thousands of VFs runs in memory linear in its VFs.
source "$(dirname "$0")/lib.sh"

# vfs_scenario HOSTS VFS: HOSTS hosts of VFS VFs each, one flow.
vfs_scenario() {
    echo "name: vfs"
    echo "simulation: { duration: 1s }"
    echo "hosts:"
    for i in $(seq 1 "$1"); do
        echo "  - { name: h$i, adapters: [{ name: nic0, model: intel-e810, num_vfs: $2, total_vfs: $2 }] }"
    done
    cat <<'Y'
vms:
  - { name: a, host: h1, nics: [{ name: eth0, attach: vf, adapter: nic0 }, { name: eth1, attach: vf, adapter: nic0 }] }
  - { name: b, host: h2, nics: [{ name: eth0, attach: vf, adapter: nic0 }] }
traffic:
  - { name: f, from: a.eth0, to: b.eth0, kind: inelastic, rate: 10Gbps, packet_size: 1500B }
  - { name: g, from: a.eth0, to: a.eth1, kind: elastic, size: 1GB, packet_size: 1500B }
output: {}
Y
}

# 8 x 65,535 VFs (allowed per adapter) with 2 GiB given: about 2.6 GiB
# estimated, refused. The old code wrote the XML and died in SimGrid's
# N x N route table. An AddressSanitizer build cannot run under ulimit -v
# (its shadow memory needs the address space): SRIOV_MEMORY_LIMIT gives
# the 2 GiB there, ulimit -v in a plain build.
# (ldd's whole output first: with pipefail, `ldd | grep -q` fails at random
# when grep exits before ldd has written everything.)
asan=0
case "$(ldd "$SRIOV_SIM" 2> /dev/null)" in *libasan*) asan=1 ;; esac
vfs_scenario 8 65535 > "$WORK/huge.yaml"
set +e
if [ "$asan" -eq 1 ]; then
    SRIOV_MEMORY_LIMIT=2GiB timeout 60 "$SRIOV_SIM" run "$WORK/huge.yaml" -o "$WORK/huge.h5" \
        --quiet > /dev/null 2> "$WORK/err.txt"
else
    (ulimit -v 2097152; timeout 60 "$SRIOV_SIM" run "$WORK/huge.yaml" -o "$WORK/huge.h5" --quiet) \
        > /dev/null 2> "$WORK/err.txt"
fi
rc=$?
set -e
check_eq "8 x 65535 VFs with 2 GiB given: exit" "$rc" 2
CHECKS=$((CHECKS + 1))
if grep -q "huge.yaml:[0-9]*:[0-9]*: error: this platform needs about" "$WORK/err.txt" &&
    grep -q "fix: " "$WORK/err.txt"; then
    pass "refusal names the file, the memory and a fix"
else
    fail "refusal message: $(head -c 300 "$WORK/err.txt")"
fi
[ ! -e "$WORK/huge.h5" ] || fail "a results file was written"

# validate runs the same estimate (a sweep or batch job learns it without
# starting SimGrid): the same refusal, exit 2; without a limit it is valid.
set +e
SRIOV_MEMORY_LIMIT=2GiB "$SRIOV_SIM" validate "$WORK/huge.yaml" > "$WORK/val.out" 2> "$WORK/val.err"
rc=$?
set -e
check_eq "validate 8 x 65535 VFs with 2 GiB given: exit" "$rc" 2
CHECKS=$((CHECKS + 1))
if grep -q "huge.yaml:[0-9]*:[0-9]*: error: this platform needs about" "$WORK/val.err"; then
    pass "validate names the file and the memory"
else
    fail "validate message: $(head -c 300 "$WORK/val.err")"
fi
set +e
SRIOV_MEMORY_LIMIT=16GiB "$SRIOV_SIM" validate "$WORK/huge.yaml" > /dev/null 2> "$WORK/val.err"
rc=$?
set -e
check_eq "validate 8 x 65535 VFs with 16 GiB given: exit" "$rc" 0

# 16,384 VFs on one host: a Dijkstra rack, peak RSS linear in VFs (Full's
# table alone was 2.1 GB; now about 110 MB plain, 630 MB under ASan, whose
# shadow and quarantine grow every allocation). Bound: 400 MB plain,
# 1.5 GB under ASan; the old code needs over 2.1 GB either way.
vfs_scenario 2 16384 > "$WORK/many.yaml"
/usr/bin/time -f '%M' -o "$WORK/rss.txt" "$SRIOV_SIM" run "$WORK/many.yaml" -o "$WORK/many.h5" --quiet
rss_kib=$(tail -1 "$WORK/rss.txt")
bound=$([ "$asan" -eq 1 ] && echo 1572864 || echo 409600)
CHECKS=$((CHECKS + 1))
if [ "$rss_kib" -lt "$bound" ]; then pass "16384 VFs: peak RSS $rss_kib KiB (< $bound)"
else fail "16384 VFs: peak RSS $rss_kib KiB >= $bound KiB"; fi

echo "$CHECKS checks, $FAILS failures"
[ "$FAILS" -eq 0 ]
