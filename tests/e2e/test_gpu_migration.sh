#!/usr/bin/env bash
# vGPU live migration (docs/gpu.md, "vGPU live migration"): the vGPU's state
# (framebuffer = device memory / max_vgpus, plus its context) rides in the
# stop-and-copy stream at the port rate and the driver's save/restore adds
# a fixed cost, so with no dirtying the downtime = min_downtime + that
# state / port rate + save_restore. The MIG and passthrough refusals are
# adversarial inputs (tests/adversarial/gpu_migrate_*.yaml).
. "$(dirname "$0")/lib.sh"

G="$WORK/gpu_migrate.h5"
run_sim "$SCN/gpu_migrate.yaml" "$G"
# A100 40GB: 40e9 B / 10 vGPUs + 49.5 MB context; 100 ms save + restore
# (models/gpus/nvidia-a100-40gb.yaml); 25 Gb/s ports; 20 ms min_downtime.
read -r want_bytes want_gpu_s want_down < <(awk 'BEGIN { S = 40e9 / 10 + 49.5e6
    g = S * 8 / 25e9 + 0.100; printf "%.17g %.17g %.17g\n", S, g, g + 0.020 }')
check_near "vGPU state = framebuffer + context" "$(mig "$G" gpu_state_bytes)" "$want_bytes" 1e-9
check_near "GPU part of the downtime = state / port rate + save/restore" \
    "$(mig "$G" gpu_state_s)" "$want_gpu_s" 1e-4
check_near "downtime = min_downtime + the GPU part (no RAM left: no dirtying)" \
    "$(mig "$G" downtime_s)" "$want_down" 1e-4
check_near "pre-copy still sends the RAM alone at 10 Gb/s" \
    "$(awk -v a="$(mig "$G" precopy_end_s)" -v b="$(mig "$G" precopy_start_s)" 'BEGIN { print a - b }')" \
    "$(awk 'BEGIN { print 2^30 * 8 / 10e9 }')" 1e-3
check_near "bytes = RAM (the GPU state is its own column)" "$(mig "$G" bytes)" \
    "$(awk 'BEGIN { print 2^30 }')" 1e-9
# the 3 s job on vm1's vGPU (alone on g1: no switches) pauses for the downtime
check_near "vGPU job end = work + downtime" "$(field "$G" gpu_jobs end_s | sed -n 1p)" \
    "$(awk -v d="$want_down" 'BEGIN { printf "%.17g", 3 + d }')" 1e-6
check_near "the destination GPU's own job is untouched" "$(field "$G" gpu_jobs end_s | sed -n 2p)" 0.1 1e-9
EV=$("$H5READ" "$G" events type)
CHECKS=$((CHECKS + 1))
case "$EV" in *mig_gpu_state_save*) pass "state save logged" ;; *) fail "no mig_gpu_state_save event" ;; esac

finish
