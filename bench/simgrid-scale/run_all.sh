#!/usr/bin/env bash
# run_all.sh [OUT_DIR] -- re-runs the SimGrid 3.32 scale measurements that
# docs/simgrid-notes.md reports (Debian 12 libsimgrid-dev 3.32). Not part of
# the build or of ctest: a record of how the figures that chose the engine's
# SimGrid settings were measured. Needs gcc, python3 and /usr/bin/time.
# Builds bench.c and generates the platforms in OUT_DIR (default
# $TMPDIR/simgrid-scale); one log per case in OUT_DIR/logs, one summary line
# per case on stdout. Each run is wrapped in `timeout 300`; -b is an
# in-program wall budget (bench stops at the next power-of-two completion
# count after it and prints BUDGET_EXCEEDED and its peak RSS).
# Takes about 15 minutes on 2 cores; noise is about +-20 %.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:-${TMPDIR:-/tmp}/simgrid-scale}
mkdir -p "$OUT/logs" && cd "$OUT" || exit 2
gcc -O2 -Wall -Wno-unused-parameter -Wno-unused-variable -Wno-format-truncation -o bench "$HERE/bench.c" -lsimgrid || exit 2
python3 "$HERE/gen_platform.py" 25 40 1 dc_1000_s1.xml
python3 "$HERE/gen_platform.py" 25 40 4 dc_1000_s4.xml
python3 "$HERE/ns3_full16.py"   # writes ns3_full16.xml (shared links) and ns3_full16_duplex.xml (split-duplex)
run() { tag=$1; shift; /usr/bin/time -v timeout 300 ./bench "$@" > logs/$tag.log 2>&1
        echo "$tag: $(grep -E 'RESULT|BUDGET' logs/$tag.log | tail -1) | $(grep 'Maximum resident' logs/$tag.log | awk '{printf "%.0f MiB", $6/1024}')"; }
CM="--cfg=network/model:CM02"; FULL="--cfg=network/optim:Full"; NOX="--cfg=network/crosstraffic:0"
# A: long-lived fluid flows
for n in 1000 8000 32000; do
  run A_CM02_s1_n${n}_Lazy dc_1000_s1.xml flows -n $n -b 150 $CM
  run A_CM02_s1_n${n}_Full dc_1000_s1.xml flows -n $n -b 150 $CM $FULL
done
run A_CM02_s1_n8000_Full_nocross  dc_1000_s1.xml flows -n 8000 -b 60 $CM $FULL $NOX
run A_CM02_s1_n32000_Full_nocross dc_1000_s1.xml flows -n 32000 -b 20 $CM $FULL $NOX
run A_LV08_s1_n1000  dc_1000_s1.xml flows -n 1000 -b 15
run A_LV08_s1_n8000_Full dc_1000_s1.xml flows -n 8000 -b 60 $FULL
run A_CM02_s4_n8000  dc_1000_s4.xml flows -n 8000 -b 15 $CM
# B: chunked flows (chunk = 1 ms at the mean fair NIC share), 1 simulated second
run B_CM02_s1_n1000_Full dc_1000_s1.xml chunks -n 1000 -T 1.0 -b 60 $CM $FULL
run B_CM02_s1_n1000_Full_nocross dc_1000_s1.xml chunks -n 1000 -T 1.0 -b 30 $CM $FULL $NOX
run B_CM02_s1_n1000_Lazy dc_1000_s1.xml chunks -n 1000 -T 1.0 -b 30 $CM
run B_CM02_s1_n8000_Full dc_1000_s1.xml chunks -n 8000 -T 1.0 -b 40 $CM $FULL
# C: 1M back-to-back 1500 B comms, one host pair (h0 -> h1, same rack)
run C_CM02_1M dc_1000_s1.xml pkt -m 1000000 $CM
run C_LV08_1M dc_1000_s1.xml pkt -m 1000000
# D: ns-3 vs CM02 vs LV08, 16 hosts star (split-duplex 10 Gb/s links, 10us), 16 flows x 10 MB
for m in ns-3 CM02 LV08; do run Ddup_$m ns3_full16_duplex.xml flows -n 16 -s 1e7 -f -v --cfg=network/model:$m; done
# E: ns-3 on a <cluster> without a backbone (bb_bw): 2 racks x 4 hosts, 4 flows.
# Expected: the run dies of SIGFPE (exit status 136) inside ns-3's CsmaNetDevice.
python3 "$HERE/gen_platform.py" 2 4 1 small_cluster.xml
timeout 60 ./bench small_cluster.xml flows -n 4 -s 1e6 --cfg=network/model:ns-3 > logs/E_ns3_cluster.log 2>&1
echo "E_ns3_cluster: exit status $? (136 = SIGFPE)"
