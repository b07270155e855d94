#!/usr/bin/env bash
# A migrated vGPU's jobs continue on the destination GPU (docs/gpu.md,
# "vGPU live migration", issue 22): at the resume vm1's vGPU leaves g1 and
# joins g2's round robin with its job in hand. Scenario gpu_move.yaml:
# vm1's 3 s job runs alone on g1 until the pause at precopy_end (P), so
# rem = 3 - P is left; on g2 vm2's 20 s job holds the device in 2 ms
# slices from 0 (no switch: alone), so its turn at the resume R ends at
# T0 = 2 ms x ceil(R / 2 ms); then the two alternate, each turn a 64 us
# switch then a 2 ms slice. vm1's job ends after n = ceil(rem / 2 ms)
# turns: T0 + (n - 1) x 2 x (64 us + 2 ms) + 64 us + (rem - (n - 1) x 2 ms)
# (about R + 2 x rem + the switches). vm3's 5 s job on g1 arrives at 2 s,
# in vm1's downtime, and once vm1 has left it runs alone.
. "$(dirname "$0")/lib.sh"

G="$WORK/gpu_move.h5"
run_sim "$SCN/gpu_move.yaml" "$G"
P=$(mig "$G" precopy_end_s)
R=$(mig "$G" end_s)
want_v1=$(awk -v P="$P" -v R="$R" 'BEGIN { ts = 0.002; cs = 64e-6; rem = 3 - P
    t0 = ts * int(R / ts + 1); n = int(rem / ts); if (n * ts < rem) n++
    printf "%.17g", t0 + (n - 1) * 2 * (cs + ts) + cs + (rem - (n - 1) * ts) }')
check_near "vm1's job ends on g2 sharing its slices with vm2 (closed form)" \
    "$(field "$G" gpu_jobs end_s | sed -n 1p)" "$want_v1" 1e-9
KG=$(field "$G" gpu_jobs kernel_gpu | tr '\n' ' ')
check_eq "kernel_gpu: vm1's job ended on g2 (1), vm3's on g1 (0), vm2's unfinished (-1)" \
    "$KG" "1 0 -1 "
check_near "vm3's job on g1 alone after vm1 left: arrival + one switch + work" \
    "$(field "$G" gpu_jobs end_s | sed -n 2p)" 7.000064 1e-12
check_near "g1's device busy: vm1's part before the pause + vm3's 5 s" \
    "$(field "$G" gpus busy_s | sed -n 1p)" "$(awk -v P="$P" 'BEGIN { printf "%.17g", P + 5 }')" 1e-9
check_eq "g1: one switch (vm1 -> vm3)" "$(field "$G" gpus switches | sed -n 1p)" 1
n_sw=$(awk -v P="$P" 'BEGIN { rem = 3 - P; n = int(rem / 0.002); if (n * 0.002 < rem) n++; print 2 * n }')
check_eq "g2: a switch into and out of each of vm1's turns" \
    "$(field "$G" gpus switches | sed -n 2p)" "$n_sw"
check_near "g2's device busy: the run less its switches" "$(field "$G" gpus busy_s | sed -n 2p)" \
    "$(awk -v n="$n_sw" 'BEGIN { printf "%.17g", 12 - n * 64e-6 }')" 1e-9
# /gpu_instances stays per configured instance: v1's row counts its kernel
# time on both GPUs
check_near "v1's busy time (its row, both GPUs) = its 3 s of work" \
    "$(field "$G" gpu_instances busy_s | sed -n 1p)" 3 1e-9
EV=$("$H5READ" "$G" events type)
CHECKS=$((CHECKS + 1))
case "$EV" in *gpu_vgpu_moved*) pass "the move is logged" ;; *) fail "no gpu_vgpu_moved event" ;; esac

# the pure schedule (burst granularity: computed at collect, moves
# replayed) gives the same end
S="$WORK/gpu_move_burst.yaml"
sed 's/seed: 1 }/seed: 1, granularity: burst }/' "$SCN/gpu_move.yaml" > "$S"
GB="$WORK/gpu_move_burst.h5"
run_sim "$S" "$GB"
want_b=$(awk -v P="$(mig "$GB" precopy_end_s)" -v R="$(mig "$GB" end_s)" 'BEGIN { ts = 0.002
    cs = 64e-6; rem = 3 - P; t0 = ts * int(R / ts + 1); n = int(rem / ts); if (n * ts < rem) n++
    printf "%.17g", t0 + (n - 1) * 2 * (cs + ts) + cs + (rem - (n - 1) * ts) }')
check_near "burst (pure run): vm1's job end by the same closed form" \
    "$(field "$GB" gpu_jobs end_s | sed -n 1p)" "$want_b" 1e-9
check_eq "burst: kernel_gpu" "$(field "$GB" gpu_jobs kernel_gpu | tr '\n' ' ')" "1 0 -1 "

# equal share: both busy on g2, the turns alternate as above; on g1 vm3's
# job now arrives at 5 s, after vm1 left (R < 5 s): the rotation skips
# vm1's absent slot (keeping its turn, idle, would halve vm3's rate), so
# vm3 runs alone: 5 s + one switch (vm1's context was resident) + 5 s
SE="$WORK/gpu_move_eq.yaml"
sed -e 's/sharing: vgpu/sharing: vgpu\n    policy: equal_share/' -e 's/start: 2s/start: 5s/' \
    "$SCN/gpu_move.yaml" > "$SE"
GE="$WORK/gpu_move_eq.h5"
run_sim "$SE" "$GE"
check_near "equal share: vm1 left before vm3's arrival" "$(mig "$GE" end_s)" 4.516 1e-3
check_near "equal share: vm3 alone on g1 after vm1 left (absent slot skipped)" \
    "$(field "$GE" gpu_jobs end_s | sed -n 2p)" 10.000064 1e-12
check_eq "equal share: kernel_gpu" "$(field "$GE" gpu_jobs kernel_gpu | tr '\n' ' ')" "1 0 -1 "

# Away and back with a copy in flight (gpu_move_back.yaml): vm1's 400 GB
# copy starts at 0 on g1, is redone on g2 after the first move, and again
# on g1 after the second; the first copy still runs on g1's link then and
# must not complete the new one when it ends. g1's link carries both
# copies back to back at its rate L, so the new copy ends at 800 GB / L
# (the old copy's end, the wrong answer, is R2 + 2 (400 GB - L R2) / L).
GB="$WORK/gpu_move_back.h5"
run_sim "$SCN/gpu_move_back.yaml" "$GB"
L=$(field "$GB" gpus link_Bps | sed -n 1p)
check_eq "back home: two migrations" "$(field "$GB" migrations end_s | wc -l)" 2
check_near "back home: the new copy ends after both copies' bytes, not at the old one's end" \
    "$(field "$GB" gpu_jobs h2d_end_s | sed -n 1p)" "$(awk -v l="$L" 'BEGIN { printf "%.17g", 800e9 / l }')" 1e-9
check_eq "back home: the job's kernel ran on g1" "$(field "$GB" gpu_jobs kernel_gpu | sed -n 1p)" 0

finish
