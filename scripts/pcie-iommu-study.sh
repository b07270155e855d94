#!/usr/bin/env bash
# pcie-iommu-study.sh -- runs scenarios/pcie-iommu-study.yaml and plots packet
# rate vs packet size for IOMMU off / 4 KiB / 2 MiB pages
# (docs/pcie-iommu.md). Output: results/pcie-iommu-study.{h5,dat,png}.
# Usage: scripts/pcie-iommu-study.sh [BUILD_DIR]   (default build)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build}
SIM=$BUILD/sriov-sim
H5READ=$BUILD/tests/h5read
[ -x "$SIM" ] && [ -x "$H5READ" ] || { echo "build first: cmake -S . -B build && cmake --build build" >&2; exit 1; }
export SRIOV_MODELS_DIR=${SRIOV_MODELS_DIR:-$ROOT/models}
mkdir -p "$ROOT/results"
H5=$ROOT/results/pcie-iommu-study.h5
DAT=$ROOT/results/pcie-iommu-study.dat
"$SIM" run "$ROOT/scenarios/pcie-iommu-study.yaml" -o "$H5" --quiet 2>/dev/null
WINDOW_S=0.2    # each packet size's window in the scenario
{
    echo "# size_B off_Mpps 4k_Mpps 2m_Mpps"
    for s in 64 128 256 512 1024 1500; do
        row="$s"
        for m in off 4k 2m; do
            p=$("$H5READ" "$H5" flows delivered_packets "${m}_$s")
            row="$row $(awk -v p="$p" -v w="$WINDOW_S" 'BEGIN { printf "%.4f", p / w / 1e6 }')"
        done
        echo "$row"
    done
} > "$DAT"
gnuplot -e "dat='$DAT'; out='$ROOT/results/pcie-iommu-study.png'" "$ROOT/scripts/pcie-iommu-study.gp"
echo "wrote $DAT and results/pcie-iommu-study.png"
