#!/usr/bin/env bash
# GPU sharing (docs/gpu.md), read back from the HDF5: a MIG partition's job
# time is its slice's roofline (plus its copy at the link rate) and does
# not change when its neighbours go; four equal-share vGPUs finish at
# work x sharers + switches; passthrough is the copy plus the work at full
# device; utilisation is busy time over the run; the event log says which
# VMs cannot live-migrate.
source "$(dirname "$0")/lib.sh"
MIX="$SCN/gpu_mix.yaml"
run_sim "$MIX" "$WORK/mix.h5"
F="$WORK/mix.h5"
# check_near passes a NaN (awk compares it true): refuse it first.
near() {
    case "$2" in
        *nan*|"") fail "$1: got '$2', expected $3"; return ;;
    esac
    check_near "$@"
}
# ends FILE GPU INSTANCE: end_s of that instance's jobs, in order
ends() {
    paste <(field "$1" gpu_jobs gpu) <(field "$1" gpu_jobs instance) <(field "$1" gpu_jobs end_s) |
        awk -v g="$2" -v i="$3" '$1 == g && $2 == i { print $3 }'
}

link=$(field "$F" gpus link_Bps gmig)
# PCIe Gen4 x16 copies: 26.4 GB/s payload (pcie-bench model, docs/gpu.md)
near "H2D link payload rate" "$link" 26.365e9 0.001

i0=$(awk -v l="$link" 'BEGIN { printf "%.15g", 512e6 / l + 1e12 / (19.5e12 * 3 / 7) }')
near "MIG 3g.20gb job 1 = copy + compute roofline" "$(ends "$F" 0 0 | sed -n 1p)" "$i0" 1e-12
near "MIG 3g.20gb job 2 (FIFO)" "$(ends "$F" 0 0 | sed -n 2p)" \
    "$(awk -v a="$i0" 'BEGIN { printf "%.15g", 2 * a }')" 1e-12
# 2g.10gb: memory-bound, 100 GB at 2/8 of 1555 GB/s, three in a row
near "MIG 2g.10gb memory-bound" "$(ends "$F" 0 1 | sed -n 3p)" \
    "$(awk 'BEGIN { printf "%.15g", 3 * 100e9 / (1555e9 * 2 / 8) }')" 1e-12

# Alone: drop i1 and i2 (their instance lines), same i0 times to the bit.
grep -v 'name: i1\|name: i2' "$MIX" > "$WORK/alone.yaml"
run_sim "$WORK/alone.yaml" "$WORK/alone.h5"
check_eq "MIG job time independent of neighbours" \
    "$(ends "$WORK/alone.h5" 0 0 | tr '\n' ' ')" "$(ends "$F" 0 0 | tr '\n' ' ')"

# equal share: 4 vGPUs x 10 ms = 5 turns each of 2 ms, 19 switches of 64 us
last=$(for i in 0 1 2 3; do ends "$F" 1 $i; done | sort -g | tail -1)
near "vGPU last job = work x sharers + switches" "$last" \
    "$(awk 'BEGIN { printf "%.15g", 0.010 * 4 + 19 * 64e-6 }')" 1e-12
check_eq "vGPU switches" "$(field "$F" gpus switches gvgpu)" 19
near "vGPU instance utilisation = 10 ms / 1 s" "$(field "$F" gpu_instances utilisation t2)" 0.01 1e-9

# passthrough: starts at 0.5 s, copies 2 GB at the link, 100 ms at full device
near "passthrough = copy + work" "$(ends "$F" 2 0)" \
    "$(awk -v l="$link" 'BEGIN { printf "%.15g", 0.5 + 2e9 / l + 0.1 }')" 1e-12
near "passthrough device utilisation" "$(field "$F" gpus utilisation gpass)" 0.1 1e-9

ev=$(field "$F" events detail)
check_eq "MIG VM cannot move (event log)" \
    "$(grep -c 'vm m0: mig 3g.20gb; cannot live-migrate (MIG partition)' <<< "$ev")" 1
check_eq "passthrough VM cannot move (event log)" \
    "$(grep -c 'vm p0: passthrough; cannot live-migrate (passthrough)' <<< "$ev")" 1
check_eq "migration column" "$(field "$F" gpu_instances migration whole)" \
    "cannot live-migrate (passthrough)"

# a job cut by the end of the run: NaN end, counted unfinished
sed 's/start: 0.5s/start: 0.95s/' "$MIX" > "$WORK/cut.yaml"
run_sim "$WORK/cut.yaml" "$WORK/cut.h5"
check_eq "unfinished job" "$(field "$WORK/cut.h5" gpus jobs_unfinished gpass)" 1
check_eq "unfinished end is NaN" "$(ends "$WORK/cut.h5" 2 0)" nan

# /meta/resolved loads again to the same GPUs and jobs (same data digest)
"$H5READ" "$F" --text /meta/resolved > "$WORK/resolved.yaml"
run_sim "$WORK/resolved.yaml" "$WORK/resolved.h5"
check_eq "resolved scenario reproduces the run" "$("$H5READ" "$WORK/resolved.h5" --digest-data)" \
    "$("$H5READ" "$F" --digest-data)"

# usable_fraction: the passthrough job (100 ms at full device) can keep only
# a quarter of the device busy: its kernel takes 400 ms after the copy.
sed 's/work: 100ms, h2d: 2GB/work: 100ms, usable_fraction: 0.25, h2d: 2GB/' "$MIX" > "$WORK/usable.yaml"
run_sim "$WORK/usable.yaml" "$WORK/usable.h5"
near "usable_fraction 0.25: kernel at a quarter of the device" "$(ends "$WORK/usable.h5" 2 0)" \
    "$(awk -v l="$link" 'BEGIN { printf "%.15g", 0.5 + 2e9 / l + 0.4 }')" 1e-9
check_eq "usable_fraction leaves the MIG jobs alone" "$(ends "$WORK/usable.h5" 0 0)" "$(ends "$F" 0 0)"
"$H5READ" "$WORK/usable.h5" --text /meta/resolved > "$WORK/usable-resolved.yaml"
run_sim "$WORK/usable-resolved.yaml" "$WORK/usable-resolved.h5"
check_eq "resolved scenario keeps usable_fraction" \
    "$("$H5READ" "$WORK/usable-resolved.h5" --digest-data)" "$("$H5READ" "$WORK/usable.h5" --digest-data)"

echo "$CHECKS checks, $FAILS failures"
[ "$FAILS" -eq 0 ]
