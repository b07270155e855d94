#!/usr/bin/env bash
# report --topology (issue 19 item 12): the platform of a results file as a
# Graphviz picture coloured by link utilisation. The quickstart's DOT file
# has exactly the nodes and edges of its platform, dot draws it without a
# warning; names that look like DOT or shell code stay text; a platform
# above the detail limits is drawn with hosts, then racks, as nodes; without
# dot on PATH the DOT file is written and the exit status is 1; bad
# arguments exit 2.
source "$(dirname "$0")/lib.sh"
: "${H5FORGE:?run through ctest}"
command -v dot > /dev/null || { echo "dot (graphviz) not installed: run scripts/setup.sh" >&2; exit 1; }
run_sim "$SRCDIR/scenarios/quickstart.yaml" "$WORK/qs.h5"
out=$("$SRIOV_SIM" report --topology "$WORK/qs.h5" -o "$WORK/t")
check_eq "prints the figure" "$out" "topology: $WORK/t/topology.png"
D=$WORK/t/topology.dot
CHECKS=$((CHECKS + 1))
if is_png "$WORK/t/topology.png" && is_svg "$WORK/t/topology.svg"; then pass "PNG and SVG";
else fail "figure files"; fi
check_eq "dot said nothing" "$(wc -c < "$WORK/t/dot.log")" 0
# The quickstart: 1 rack (its ToR), 1 spine, the external endpoint, 2 hosts
# with one E810 each (2 ports, 8 VFs), 4 VMs, and 7 legend entries.
count() { grep -cE "^  $1 \[" "$D" || true; }
check_eq "spines" "$(count 'sp[0-9]+')" 1
check_eq "ToRs" "$(count 'tor[0-9]+')" 1
check_eq "hosts" "$(count 'h[0-9]+')" 2
check_eq "adapters" "$(count 'a[0-9]+_[0-9]+')" 2
check_eq "ports" "$(count 'p[0-9]+_[0-9]+_[0-9]+')" 4
check_eq "VFs" "$(count 'vf[0-9]+_[0-9]+_[0-9]+')" 16
check_eq "VMs" "$(count 'vm[0-9]+')" 4
check_eq "legend" "$(count 'lg[0-9]+')" 7
# Edges: external-spine, spine-ToR, 4 ToR-port, 4 port-adapter, 2 PCIe,
# 16 adapter-VF, 6 VF-VM NICs = 34; dot's own count (gc) agrees, plus the
# 6 invisible edges that keep the 7 legend entries in order.
check_eq "edges" "$(grep -cE '^  [a-z0-9_]+ -> [a-z0-9_]+ \[' "$D")" 34
check_eq "dot counts" "$(gc -n -e "$D" | awk '{print $1, $2}')" "38 40"
# Colour from /links: h1's port 0 carries 30 + 10..40 + 50 Gbit/s and peaks
# at 100 %: red, with its mean and peak; port 1 is idle: grey.
CHECKS=$((CHECKS + 1))
line=$(grep -F 'tooltip="h1.nic0.p0"' "$D")
if [[ $line == *'color="#d7191c"'* && $line == *'peak 100 %'* ]]; then pass "busy port red";
else fail "h1.nic0.p0 edge: $line"; fi
CHECKS=$((CHECKS + 1))
line=$(grep -F 'tooltip="h1.nic0.p1"' "$D")
if [[ $line == *'color="#bdbdbd"'* && $line == *'label="idle"'* ]]; then pass "idle port grey";
else fail "h1.nic0.p1 edge: $line"; fi
# The mean and peak in the label are /links' (up direction of h1.nic0.p0).
mean=$(field "$WORK/qs.h5" links mean_utilisation h1.nic0.p0_UP)
want=$(awk -v m="$mean" 'BEGIN { printf "up mean %.0f %%", m * 100 }')
CHECKS=$((CHECKS + 1))
if [[ $(grep -F 'tooltip="h1.nic0.p0"' "$D") == *"$want"* ]]; then pass "label: $want";
else fail "label lacks '$want'"; fi
# VMs by name, on the VF the scenario gave them.
check_eq "backup1 on h1 vf1" "$(grep -c '^  vf0_0_1 -> vm1 \[label="eth0"' "$D")" 1
grep -q 'label="backup1"' "$D" || fail "VM label"

# Hostile names in the results file: the run's name (the title) and link
# names rewritten to DOT/shell code. They stay text: one DOT string each,
# dot parses the file without a warning, nothing runs.
cp "$WORK/qs.h5" "$WORK/evil.h5"
evil="x\"]; n [label=<<b>y</b>>]; system(\"touch $WORK/pwned\") \\N {a|b}
second line"
"$H5FORGE" "$WORK/evil.h5" /meta scenario_name "$evil"
"$H5FORGE" "$WORK/evil.h5" --field /links name 0 "$evil"
"$SRIOV_SIM" report --topology "$WORK/evil.h5" -o "$WORK/e" > /dev/null
check_eq "hostile: dot said nothing" "$(wc -c < "$WORK/e/dot.log")" 0
check_eq "hostile: nothing ran" "$(ls "$WORK"/pwned* 2> /dev/null | wc -l)" 0
check_eq "hostile: same nodes and edges" "$(gc -n -e "$WORK/e/topology.dot" | awk '{print $1, $2}')" "38 40"
CHECKS=$((CHECKS + 1))
if grep -qF 'label="x\"]; n [label=\<\<b\>y\</b\>\>]; system(\"touch' "$WORK/e/topology.dot" &&
   grep -qF '\\N \{a\|b\}\\x0asecond line: platform' "$WORK/e/topology.dot"; then
    pass "hostile title escaped"; else fail "title: $(grep -m1 'label=' "$WORK/e/topology.dot")"; fi
# The title as drawn: the text itself, quotes and all.
CHECKS=$((CHECKS + 1))
if grep -qF 'x&quot;]; n [label=&lt;&lt;b&gt;y&lt;/b&gt;&gt;]; system' "$WORK/e/topology.svg"; then
    pass "hostile title drawn as text"; else fail "SVG title"; fi
# A scenario that is itself hostile (a VM name with a quote) is refused by
# the loader with a clear message, exit 1, nothing drawn.
cp "$WORK/qs.h5" "$WORK/evil2.h5"
"$H5FORGE" "$WORK/evil2.h5" --string /meta/resolved 'name: "q"
simulation: { duration: 1s }
hosts: [{ name: "h\"1" }]
'
set +e; "$SRIOV_SIM" report --topology "$WORK/evil2.h5" -o "$WORK/e2" > /dev/null 2> "$WORK/err2.txt"; rc=$?; set -e
check_eq "hostile scenario refused" "$rc" 1
CHECKS=$((CHECKS + 1))
if grep -q "cannot load the platform of .*invalid host name" "$WORK/err2.txt"; then pass "message";
else fail "message: $(cat "$WORK/err2.txt")"; fi
check_eq "nothing drawn" "$([ -e "$WORK/e2/topology.dot" ] && echo yes || echo no)" no

# Detail limits (rtopo.h): groups-pod's 16 hosts are one node each (one edge
# per port from the ToR); 96 hosts are 4 rack nodes.
run_sim "$SRCDIR/scenarios/groups-pod.yaml" "$WORK/pod.h5"
"$SRIOV_SIM" report --topology "$WORK/pod.h5" -o "$WORK/p" > /dev/null
check_eq "16 hosts as nodes" "$(grep -cE '^  h[0-9]+ \[' "$WORK/p/topology.dot")" 16
check_eq "no VF nodes" "$(grep -cE '^  vf' "$WORK/p/topology.dot" || true)" 0
check_eq "pod: dot said nothing" "$(wc -c < "$WORK/p/dot.log")" 0
sed -e 's/count: 16/count: 96/' -e 's/hosts_per_rack: 4/hosts_per_rack: 24/' \
    "$SRCDIR/scenarios/groups-pod.yaml" > "$WORK/pod96.yaml"
run_sim "$WORK/pod96.yaml" "$WORK/pod96.h5"
"$SRIOV_SIM" report --topology "$WORK/pod96.h5" -o "$WORK/p96" > /dev/null
check_eq "96 hosts: rack nodes" "$(grep -cE '^  rk[0-9]+ \[' "$WORK/p96/topology.dot")" 4
check_eq "96 hosts: no host nodes" "$(grep -cE '^  h[0-9]+ \[' "$WORK/p96/topology.dot" || true)" 0
grep -q '24 hosts, 24 adapters' "$WORK/p96/topology.dot" || fail "rack counts"

# Without dot: the DOT file, a message saying how to get dot, exit 1.
mkdir -p "$WORK/bin"
ln -s "$SRIOV_SIM" "$WORK/bin/sriov-sim"
set +e
PATH="$WORK/bin" "$WORK/bin/sriov-sim" report --topology "$WORK/qs.h5" -o "$WORK/nodot" > /dev/null 2> "$WORK/err.txt"
rc=$?
set -e
check_eq "no dot: exit 1" "$rc" 1
CHECKS=$((CHECKS + 1))
if grep -q "dot (Graphviz) not found on PATH.*install graphviz" "$WORK/err.txt"; then pass "no dot: message";
else fail "no dot: $(cat "$WORK/err.txt")"; fi
check_eq "no dot: DOT written" "$([ -s "$WORK/nodot/topology.dot" ] && echo yes)" yes

# Bad arguments: exit 2.
expect_exit() { # NAME CODE ARGS...
    local name=$1 code=$2 rc; shift 2
    set +e; "$SRIOV_SIM" report "$@" > /dev/null 2> "$WORK/err.txt"; rc=$?; set -e
    check_eq "$name" "$rc" "$code"
}
expect_exit "two files" 2 --topology "$WORK/qs.h5" "$WORK/qs.h5"
expect_exit "a directory" 2 --topology "$WORK"
expect_exit "--models without --topology" 2 --models "$SRCDIR/models" "$WORK/qs.h5"
: > "$WORK/empty.h5"
expect_exit "not HDF5" 1 --topology "$WORK/empty.h5" -o "$WORK/x"
finish
