#!/usr/bin/env bash
# The models directory comes from one place (scenario_models_dir: --models
# DIR, else $SRIOV_MODELS_DIR, else the source tree's) and every model file
# is read at load time through it: a copied models directory with a dearer
# vhost-net changes the vhost-net rate, and a broken virtio file there is a
# load error at its file:line:col (exit 2) before any work.
. "$(dirname "$0")/lib.sh"

SCENARIO="$SCN/virt_compare64.yaml"
gbps() { awk -v b="$(field "$1" flows delivered_bytes "$2")" 'BEGIN { print b * 8 / 2 / 1e9 }'; }

# a copy of the models with vhost-net at twice its cycles per packet
DEAR="$WORK/models-dear"
cp -r "$SRCDIR/models" "$DEAR"
sed -i '/^  vhost-net:/,/^  [a-z]/ s/^\(    cycles_per_packet:\) 2000 /\1 4000 /' "$DEAR/virtio/backends.yaml"
CHECKS=$((CHECKS + 1))
if grep -q '^    cycles_per_packet: 4000 ' "$DEAR/virtio/backends.yaml"; then pass "copy edited"
else fail "could not edit vhost-net's cycles_per_packet in the copy"; fi

run_sim "$SCENARIO" "$WORK/base.h5"
run_sim "$SCENARIO" "$WORK/dear.h5" --models "$DEAR"
base=$(gbps "$WORK/base.h5" f_vnet); dear=$(gbps "$WORK/dear.h5" f_vnet)
# 64 B packets, cycles_per_byte 0.5: the rate goes as 1 / (cpp / 64 + 0.5)
check_near "--models DIR reaches the vhost-net cost" \
    "$(awk -v a="$dear" -v b="$base" 'BEGIN { print a / b }')" \
    "$(awk 'BEGIN { print (2000 / 64 + 0.5) / (4000 / 64 + 0.5) }')" 0.01
check_eq "the VF flow does not care" "$(gbps "$WORK/dear.h5" f_vf)" "$(gbps "$WORK/base.h5" f_vf)"

# --models wins over the environment; the environment over the default
SRIOV_MODELS_DIR="$DEAR" run_sim "$SCENARIO" "$WORK/env.h5"
check_eq "\$SRIOV_MODELS_DIR reaches the vhost-net cost" "$(gbps "$WORK/env.h5" f_vnet)" "$dear"
SRIOV_MODELS_DIR="$DEAR" run_sim "$SCENARIO" "$WORK/flag.h5" --models "$SRCDIR/models"
check_eq "--models wins over \$SRIOV_MODELS_DIR" "$(gbps "$WORK/flag.h5" f_vnet)" "$base"

# a broken virtio file: a load error at its position, nothing run or written
BROKEN="$WORK/models-broken"
cp -r "$SRCDIR/models" "$BROKEN"
sed -i 's/^\(    cycles_per_packet:\) 350 /\1 lots /' "$BROKEN/virtio/backends.yaml"
line=$(grep -n '^    cycles_per_packet: lots ' "$BROKEN/virtio/backends.yaml" | cut -d: -f1)
for cmd in run validate; do
    rc=0
    if [ "$cmd" = run ]; then
        "$SRIOV_SIM" run "$SCENARIO" -o "$WORK/broken.h5" --models "$BROKEN" 2>"$WORK/err" >/dev/null || rc=$?
    else
        "$SRIOV_SIM" validate "$SCENARIO" --models "$BROKEN" 2>"$WORK/err" >/dev/null || rc=$?
    fi
    check_eq "$cmd: a broken virtio model is bad input" "$rc" 2
    CHECKS=$((CHECKS + 1))
    if grep -q "^$BROKEN/virtio/backends.yaml:$line:[0-9]*: error: " "$WORK/err"; then
        pass "$cmd: error at backends.yaml:$line"
    else fail "$cmd: no file:line:col error for backends.yaml:$line: $(cat "$WORK/err")"; fi
done
CHECKS=$((CHECKS + 1))
if [ ! -e "$WORK/broken.h5" ]; then pass "no results file"; else fail "a results file was written"; fi
# A model file is parsed once per load: a broken OS profile named by three
# hosts reports its error once (it was once per host), and exit 2.
BROKEN="$WORK/models-broken-os"
cp -r "$SRCDIR/models" "$BROKEN"
echo "passthrough: [oops" >> "$BROKEN/os/linux-kvm.yaml"
cat > "$WORK/three.yaml" <<'YAML'
name: three
simulation: { duration: 1s }
hosts:
  - { name: a, os: linux-kvm, adapters: [{ name: nic0, model: intel-e810, num_vfs: 1 }] }
  - { name: b, os: linux-kvm, adapters: [{ name: nic0, model: intel-e810, num_vfs: 1 }] }
  - { name: c, os: linux-kvm, adapters: [{ name: nic0, model: intel-e810, num_vfs: 1 }] }
YAML
set +e
"$SRIOV_SIM" validate "$WORK/three.yaml" --models "$BROKEN" > /dev/null 2> "$WORK/err3.txt"
rc=$?
set -e
check_eq "broken OS profile: exit 2" "$rc" 2
check_eq "broken OS profile: reported once for three hosts" \
    "$(grep -c 'linux-kvm.yaml:[0-9]*:[0-9]*: error' "$WORK/err3.txt")" 1
finish
