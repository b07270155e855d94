#!/usr/bin/env bash
# Writing a file never follows a planted symlink and never replaces a
# device or FIFO (security issue, items 3 and 4; util/safefile.h). Each
# check plants the trap first and then looks at the victim.
source "$(dirname "$0")/lib.sh"

victim() { echo "precious $1" > "$WORK/victim.$1"; ln -s "$WORK/victim.$1" "$2"; }
intact() { # NAME VICTIM LINKPATH: the victim unchanged, the link replaced by a file
    check_eq "$1: victim unchanged" "$(cat "$WORK/victim.$2")" "precious $2"
    check_eq "$1: now a regular file" "$([ -f "$3" ] && [ ! -L "$3" ] && echo file || echo other)" file
}

# -o naming a FIFO or a device: exit 2 before any work, both stay. The
# device is a null device of our own (as root; the real /dev/null was
# replaced by the old code), never /dev/null itself.
mkfifo "$WORK/fifo"
targets=("$WORK/fifo")
if mknod -m 666 "$WORK/null" c 1 3 2> /dev/null; then targets+=("$WORK/null"); fi
for target in "${targets[@]}"; do
    set +e
    "$SRIOV_SIM" run "$SCN/one_flow.yaml" -o "$target" --quiet 2> "$WORK/err.txt"
    rc=$?
    set -e
    check_eq "-o $(basename "$target"): exit 2" "$rc" 2
    CHECKS=$((CHECKS + 1))
    if grep -q 'not a file sriov-sim may replace' "$WORK/err.txt"; then pass "-o $target: says why"
    else fail "-o $target: $(cat "$WORK/err.txt")"; fi
done
check_eq "the FIFO is still a FIFO" "$([ -p "$WORK/fifo" ] && echo fifo || echo other)" fifo
if [ -e "$WORK/null" ]; then
    check_eq "the device is still a device" "$([ -c "$WORK/null" ] && echo dev || echo other)" dev
fi

# The results file's temporary name: before, the probe and the results
# were opened as "OUT.h5.tmp.<pid>" with O_TRUNC, through a symlink planted
# there (its target was truncated; OUT.h5 could become the symlink). The
# run gets pid 1 in a pid namespace of its own, so the old name is known.
if unshare --pid --fork sh -c 'exit 0' 2> /dev/null; then
    echo "precious tmp" > "$WORK/victim.tmp"
    mkdir "$WORK/out"
    ln -s "$WORK/victim.tmp" "$WORK/out/r.h5.tmp.1"
    unshare --pid --fork sh -c 'exec "$@"' _ "$SRIOV_SIM" run "$SCN/one_flow.yaml" \
        -o "$WORK/out/r.h5" --quiet
    check_eq "results tmp: victim unchanged" "$(cat "$WORK/victim.tmp")" "precious tmp"
    check_eq "results file is a regular file" \
        "$([ -f "$WORK/out/r.h5" ] && [ ! -L "$WORK/out/r.h5" ] && echo file || echo other)" file
else
    echo "SKIP: results tmp check (unshare --pid not permitted here)"
fi

# report: planted symlinks at index.md, a .dat, a figure and gnuplot.log.
run_sim "$SCN/one_flow.yaml" "$WORK/r.h5"
mkdir "$WORK/rep"
victim idx "$WORK/rep/index.md"
victim dat "$WORK/rep/flow_throughput.dat"
victim png "$WORK/rep/flow_throughput.png"
victim log "$WORK/rep/gnuplot.log"
"$SRIOV_SIM" report "$WORK/r.h5" -o "$WORK/rep" > /dev/null
intact "report index.md" idx "$WORK/rep/index.md"
intact "report .dat" dat "$WORK/rep/flow_throughput.dat"
intact "report figure" png "$WORK/rep/flow_throughput.png"
intact "report gnuplot.log" log "$WORK/rep/gnuplot.log"
# A FIFO at a figure's name is refused, not written into (no hang).
rm -f "$WORK/rep/flow_throughput.svg"; mkfifo "$WORK/rep/flow_throughput.svg"
set +e
timeout 60 "$SRIOV_SIM" report "$WORK/r.h5" -o "$WORK/rep" > /dev/null 2> "$WORK/err.txt"
rc=$?
set -e
check_eq "report with a FIFO at a figure's name: exit 1" "$rc" 1

# sweep: planted symlinks at jobs.txt, sweep.slurm, summary.h5 and a
# point's stderr.txt.
mkdir -p "$WORK/sw"
victim jobs "$WORK/sw/jobs.txt"
victim slurm "$WORK/sw/sweep.slurm"
"$SRIOV_SIM" sweep "$SCN/sweep_grid.yaml" -o "$WORK/sw" --emit jobs > /dev/null
"$SRIOV_SIM" sweep "$SCN/sweep_grid.yaml" -o "$WORK/sw" --emit slurm > /dev/null
intact "sweep jobs.txt" jobs "$WORK/sw/jobs.txt"
intact "sweep sweep.slurm" slurm "$WORK/sw/sweep.slurm"
victim summary "$WORK/sw/summary.h5"
victim stderr "$WORK/sw/points/0000/stderr.txt"
"$SRIOV_SIM" sweep "$SCN/sweep_grid.yaml" -o "$WORK/sw" -j 2 > /dev/null
intact "sweep summary.h5" summary "$WORK/sw/summary.h5"
intact "sweep point stderr.txt" stderr "$WORK/sw/points/0000/stderr.txt"
finish
