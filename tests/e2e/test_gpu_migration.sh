#!/usr/bin/env bash
# vGPU live migration (docs/gpu.md, "vGPU live migration"): after the RAM
# left, the vGPU's framebuffer in use is copied device -> host over the
# GPU's PCIe link, its state (framebuffer in use + context) is sent at
# migration_stream_fraction of the route's rate, the framebuffer is copied
# host -> device on the destination, and the driver's fixed cost follows;
# none of them overlap (VMware moves the state while the VM is stunned). So
# with no dirtying the downtime = min_downtime + 2 x used / link + state /
# (fraction x port rate) + save_restore. The MIG and passthrough refusals
# are adversarial inputs (tests/adversarial/gpu_migrate_*.yaml).
. "$(dirname "$0")/lib.sh"

G="$WORK/gpu_migrate.h5"
run_sim "$SCN/gpu_migrate.yaml" "$G"
# A100 40GB (models/gpus/nvidia-a100-40gb.yaml): framebuffer 40e9 B / 10
# vGPUs, all in use by default, + 49.5 MB context; PCIe Gen4 x16 (the
# payload rate, /gpus link_Bps, 26.37 GB/s by the PCIe model: docs/gpu.md);
# stream fraction 0.564, fixed 536 ms; 25 Gb/s ports; 20 ms min_downtime.
LINK=$(field "$G" gpus link_Bps | sed -n 1p)
check_near "the A100's PCIe Gen4 x16 payload rate" "$LINK" 26.37e9 1e-3
closed() { awk -v U="$1" -v P="$LINK" 'BEGIN { S = U + 49.5e6
    g = 2 * U / P + S * 8 / (0.564 * 25e9) + 0.536; printf "%.17g %.17g %.17g\n", S, g, g + 0.020 }'; }
read -r want_bytes want_gpu_s want_down < <(closed 4e9)
check_near "vGPU state = framebuffer in use (default: all) + context" \
    "$(mig "$G" gpu_state_bytes)" "$want_bytes" 1e-9
check_near "GPU part of the downtime = PCIe save + stream at the fraction + PCIe restore + fixed" \
    "$(mig "$G" gpu_state_s)" "$want_gpu_s" 1e-6
check_near "downtime = min_downtime + the GPU part (no RAM left: no dirtying)" \
    "$(mig "$G" downtime_s)" "$want_down" 1e-6
check_near "pre-copy still sends the RAM alone at 10 Gb/s" \
    "$(awk -v a="$(mig "$G" precopy_end_s)" -v b="$(mig "$G" precopy_start_s)" 'BEGIN { print a - b }')" \
    "$(awk 'BEGIN { print 2^30 * 8 / 10e9 }')" 1e-3
check_near "bytes = RAM (the GPU state is its own column)" "$(mig "$G" bytes)" \
    "$(awk 'BEGIN { print 2^30 }')" 1e-9
# the 3 s job on vm1's vGPU (alone on g1: no switches) pauses for the
# downtime, then ends on g2 (test_gpu_move.sh), alone there too once v2's
# 100 ms job is done, after one context switch from v2's (64 us)
check_near "vGPU job end = work + downtime + one switch on the destination" \
    "$(field "$G" gpu_jobs end_s | sed -n 1p)" \
    "$(awk -v d="$want_down" 'BEGIN { printf "%.17g", 3 + d + 64e-6 }')" 1e-6
check_near "the destination GPU's own job is untouched" "$(field "$G" gpu_jobs end_s | sed -n 2p)" 0.1 1e-9
# framebuffer_used: only the part in use moves (VMware's table is by used
# framebuffer); the same closed form with 1 GB
G1="$WORK/gpu_migrate_1g.h5"
sed 's/{ name: v1, vm: vm1,/{ name: v1, vm: vm1, framebuffer_used: 1GB,/' "$SCN/gpu_migrate.yaml" \
    > "$WORK/gpu_migrate_1g.yaml"
run_sim "$WORK/gpu_migrate_1g.yaml" "$G1"
read -r want_bytes want_gpu_s want_down < <(closed 1e9)
check_near "framebuffer_used 1GB: state = 1 GB + context" "$(mig "$G1" gpu_state_bytes)" \
    "$want_bytes" 1e-9
check_near "framebuffer_used 1GB: downtime by the closed form" "$(mig "$G1" downtime_s)" \
    "$want_down" 1e-6
EV=$("$H5READ" "$G" events type)
CHECKS=$((CHECKS + 1))
case "$EV" in *mig_gpu_state_save*) pass "state save logged" ;; *) fail "no mig_gpu_state_save event" ;; esac

finish
