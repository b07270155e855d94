#!/usr/bin/env bash
# setup.sh -- installs every Debian 12 package sriov-sim needs to build, test
# and draw reports. Run as root on a fresh machine; does nothing when all are
# already present.
set -euo pipefail
PACKAGES=(
    build-essential cmake pkg-config      # toolchain
    libsimgrid-dev                        # simulation kernel (SimGrid 3.32)
    libyaml-dev                           # scenario parser
    libhdf5-dev hdf5-tools                # results files, h5dump
    gnuplot-nox                           # reports
    graphviz fonts-dejavu-core            # report --topology: dot, gc (tests), its "sans" font
    libcmocka-dev                         # unit tests
    clang libclang-rt-14-dev              # fuzzing (libFuzzer) and sanitizers
    valgrind                              # memory checks
    gcovr                                 # scripts/coverage.sh: line and branch coverage per module
    time bc                               # bench/run: peak RSS and arithmetic
    procps                                # tests: pgrep (signal tests)
    man-db                                # tests: the man page renders (test_install)
)
missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2> /dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
echo "setup: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
    echo "setup: run as root (or install the packages above yourself)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
