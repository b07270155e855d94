#!/usr/bin/env bash
# quickstart.sh -- set up, build, run the quickstart scenario and draw its
# report: results/quickstart.h5 and results/quickstart-report/*.png, with
# the platform picture (topology.png, Graphviz).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build build -j "$(nproc)" > /dev/null
./build/sriov-sim run scenarios/quickstart.yaml -o results/quickstart.h5
./build/sriov-sim report results/quickstart.h5 -o results/quickstart-report
./build/sriov-sim report --topology results/quickstart.h5 -o results/quickstart-report
