#!/usr/bin/env bash
# Scalable IOV: ADIs are bounded by queues (total_queues / queues_per_vf),
# not TotalVFs: 300 ADIs fit on an E810 (TotalVFs 256), 513 do not (512).
. "$(dirname "$0")/lib.sh"

expect_rc() { # NAME RC SCENARIO [GREP]
    CHECKS=$((CHECKS + 1))
    set +e
    msg=$("$SRIOV_SIM" validate "$SCN/$3" 2>&1); rc=$?
    set -e
    if [ "$rc" -eq "$2" ] && { [ -z "${4:-}" ] || grep -q "$4" <<<"$msg"; }; then pass "$1"
    else fail "$1: rc $rc: $msg"; fi
}
expect_rc "300 ADIs on a 256-VF adapter in siov mode" 0 virt_siov.yaml
expect_rc "300 VFs on the same adapter in sriov mode" 2 virt_sriov_over.yaml "exceeds total_vfs 256"
expect_rc "513 ADIs exceed 2048 queues / 4" 2 virt_siov_over.yaml \
    "virt_siov_over.yaml:7:82: error: num_vfs 513 ADIs exceed the 512"
# And it runs: 300 PF rows, one assigned (validate alone missed a crash
# when the PF model sized its VF table by TotalVFs).
run_sim "$SCN/virt_siov.yaml" "$WORK/siov.h5"
check_eq "siov run: one /pf_vfs row per ADI" "$("$H5READ" "$WORK/siov.h5" pf_vfs state | wc -l)" 300
check_eq "siov run: the plugged ADI is assigned" \
    "$("$H5READ" "$WORK/siov.h5" pf_vfs state | grep -c '^assigned$')" 1
finish
