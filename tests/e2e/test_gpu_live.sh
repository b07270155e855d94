#!/usr/bin/env bash
# The GPU schedule runs live (docs/gpu.md, "Live run"): each host-to-device
# copy is an engine flow over the GPU's PCIe link. Read back from the HDF5:
# three equal 1 GB copies at time 0 share the link equally (each ends at
# 3 GB / link, the closed form of docs/gpu.md); with nothing else on the
# host every job's start, copy end and end equal the pure schedule's (run
# at burst granularity, where the schedule is computed at collect); the
# link is in /links with the copies' bytes and the read / write payload
# rates of the PCIe model.
source "$(dirname "$0")/lib.sh"
S="$SCN/gpu_live.yaml"
run_sim "$S" "$WORK/live.h5"
F="$WORK/live.h5"
near() {
    case "$2" in
        *nan*|"") fail "$1: got '$2', expected $3"; return ;;
    esac
    check_near "$@"
}

link=$(field "$F" gpus link_Bps gmig)
near "H2D payload rate (PCIe Gen4 x16 DMA reads)" "$link" 26.365e9 0.001
cf=$(awk -v l="$link" 'BEGIN { printf "%.15g", 3e9 / l }')
h2d=$(field "$F" gpu_jobs h2d_end_s)
for r in 1 2 3; do
    near "equal copies share the link: copy $r ends at 3 GB / link" \
        "$(sed -n "${r}p" <<< "$h2d")" "$cf" 1e-9
done

# live against pure, job by job (both list jobs by arrival)
sed 's/seed: 1 }/seed: 1, granularity: burst }/' "$S" > "$WORK/pure.yaml"
run_sim "$WORK/pure.yaml" "$WORK/pure.h5"
for col in start_s h2d_end_s end_s; do
    worst=$(paste <(field "$F" gpu_jobs "$col") <(field "$WORK/pure.h5" gpu_jobs "$col") |
        awk '{ if ($1 != $2) { d = $1 - $2; d = d < 0 ? -d : d; r = d / ($2 > 0 ? $2 : 1) }
               else r = 0; if (r > m) m = r; n++ }
             END { printf "%d %.3g", n, m + 0 }')
    check_eq "live and pure schedules list the same jobs ($col)" "${worst% *}" 203
    check_eq "live $col = pure $col (max relative difference below 1e-12)" \
        "$(awk -v w="${worst#* }" 'BEGIN { print (w < 1e-12) ? "yes" : w }')" yes
done
check_eq "jobs done" "$(field "$F" gpus jobs_done gmig)" 73

# /links: the GPU's link, its kind, rates and the copies' bytes
check_eq "GPU link kind" "$(field "$F" links kind h1.gmig.pcie_UP)" gpu_pcie_up
near "GPU link UP capacity = DMA read payload rate" \
    "$(field "$F" links capacity_bps h1.gmig.pcie_UP)" \
    "$(awk -v l="$link" 'BEGIN { printf "%.15g", l * 8 }')" 1e-12
# the DOWN direction is sized at init (mean capacity; capacity_bps is the
# topology's): src/pcie's posted writes at MPS 256, 25.99 GB/s at Gen4 x16
near "GPU link DOWN capacity = posted-write payload rate" \
    "$(field "$F" links mean_capacity_bps h1.gmig.pcie_DOWN)" 207.9087e9 1e-5
near "GPU link bytes = the copies' bytes" "$(field "$F" links bytes h1.gmig.pcie_UP)" \
    "$(awk 'BEGIN { printf "%.15g", 3e9 + 40 * 64e6 + 30 * 96e6 }')" 1e-9

# One host's IOMMU (gpu_iommu.yaml): a streaming copy costs one walk per
# 4 KiB page (datapath.c add_stream_iommu), so alone it runs at
# walkers x 4096 / walk = 4096 B / 400 ns = 10.24 GB/s; the VF's flow alone
# runs at x_n (its own walks, read from a run without the copy). On one
# walker demands of equal weight get equal rates x with x/x_n + x/x_g = 1:
# x = 1 / (1/x_n + 1/x_g) each while the copy runs (the copy slows the
# NIC and the NIC slows the copy).
IO="$SCN/gpu_iommu.yaml"
run_sim "$IO" "$WORK/io.h5"
grep -v '^  - { name: nic, from' "$IO" | sed 's/^traffic:$/traffic: []/' > "$WORK/io_gpu.yaml"
run_sim "$WORK/io_gpu.yaml" "$WORK/io_gpu.h5"
sed 's/h2d: 1GB, start: 0.1s/h2d: 1GB, start: 5s/' "$IO" > "$WORK/io_nic.yaml"
run_sim "$WORK/io_nic.yaml" "$WORK/io_nic.h5"
near "copy alone: IOMMU-bound at one walk per page" "$(field "$WORK/io_gpu.h5" gpu_jobs h2d_end_s)" \
    "$(awk 'BEGIN { printf "%.15g", 0.1 + 1e9 * 400e-9 / 4096 }')" 1e-12
xn=$(field "$WORK/io_nic.h5" flows delivered_bytes nic) # over 1 s
tc=$(awk -v n="$xn" 'BEGIN { printf "%.15g", 1e9 * (1 / n + 400e-9 / 4096) }')
near "copy beside the NIC's DMA: 1 GB x (1/x_n + 1/x_g)" \
    "$(field "$WORK/io.h5" gpu_jobs h2d_end_s)" "$(awk -v t="$tc" 'BEGIN { printf "%.15g", 0.1 + t }')" 1e-9
near "NIC beside the copy: x_n (1 s - t_copy) + 1 GB" "$(field "$WORK/io.h5" flows delivered_bytes nic)" \
    "$(awk -v n="$xn" -v t="$tc" 'BEGIN { printf "%.15g", n * (1 - t) + 1e9 }')" 1e-9
finish
