#!/usr/bin/env bash
# Issue 7: the PF control plane (lifecycle, FLR, faults, mailbox, exhaustion,
# refusals) and broken OS profiles.
source "$(dirname "$0")/lib.sh"

# event TYPE FILE: the times of the events of that type, one per line.
event_times() {
    paste -d' ' <(field "$2" events type "") <(field "$2" events time_s "") 2>/dev/null |
        awk -v t="$1" '$1 == t { print $2 }'
}

# sriov_numvfs at run time: -ERANGE above TotalVFs, -EBUSY without going through 0.
run_sim "$SCN/pf_numvfs.yaml" "$WORK/n.h5"
check_eq "ERANGE at 0.1 s, EBUSY at 0.2 s and 0.4 s" \
    "$(event_times numvfs_refused "$WORK/n.h5" | tr '\n' ' ')" "0.10000000000000001 0.20000000000000001 0.40000000000000002 "
check_eq "ERANGE detail" "$(field "$WORK/n.h5" events detail "" | grep -c 'sriov_numvfs=300: -ERANGE')" 1
check_eq "EBUSY detail" "$(field "$WORK/n.h5" events detail "" | grep -c 'Disable before enabling 8 VFs')" 1
check_eq "same value no-op" "$(event_times numvfs_noop "$WORK/n.h5")" 0.29999999999999999
# disable 2 VFs at 0.5 s (2 x 2 ms), enable 2 at 0.6 s (2 x 5 ms): linux-kvm profile
check_near "disable done" "$(event_times vf_disable "$WORK/n.h5")" 0.504 1e-9
check_near "enable done" "$(event_times vf_enable "$WORK/n.h5" | tail -1)" 0.610 1e-9

# FLR of one of four busy VFs: zero for 100 ms (+-1 ms at 1 ms samples), others +-1 %.
run_sim "$SCN/pf_flr.yaml" "$WORK/f.h5"
zero=$("$H5READ" "$WORK/f.h5" --series /timeseries/flow_throughput_bps | awk '$1 < 1 { z++ } END { print z + 0 }')
check_near "FLR'd VF silent for 100 ms (1 ms samples)" "$zero" 100 0.01
for f in fb fc fd; do
    check_near "other VF $f unchanged" "$(field "$WORK/f.h5" flows delivered_bytes $f)" 1.25e9 0.01
    mn=$("$H5READ" "$WORK/f.h5" --series /timeseries/flow_throughput_bps |
         awk -v c=$(( $(printf 'fa\nfb\nfc\nfd\n' | grep -n "^$f$" | cut -d: -f1) )) \
         'NR > 1 { if (m == "" || $c < m) m = $c } END { print m }')
    check_near "other VF $f never dips" "$mn" 5e9 0.01
done
check_near "FLR'd VF delivered 1.9 s worth" "$(field "$WORK/f.h5" flows delivered_bytes fa)" 1.1875e9 0.01
check_near "flr_end 100 ms after flr_start" "$(event_times flr_end "$WORK/f.h5")" 1.1 1e-9
check_eq "PF counts the FLR" "$(field "$WORK/f.h5" pf_vfs flr_count h1.nic0.vf0)" 1
# in flight: 5 Gb/s x 50 us / 1500 B = 20.8 packets -> 20
check_eq "in-flight packets lost" "$(field "$WORK/f.h5" pf_vfs flr_lost_packets h1.nic0.vf0)" 20

# Faults: blocked, counted, logged; the victim receives nothing.
run_sim "$SCN/pf_fault.yaml" "$WORK/x.h5"
check_near "IOMMU fault logged at 0.2 s" "$(event_times iommu_fault "$WORK/x.h5")" 0.2 1e-9
check_near "ACS block logged at 0.3 s" "$(event_times acs_block "$WORK/x.h5")" 0.3 1e-9
check_eq "victim received nothing (guest view)" "$(field "$WORK/x.h5" guest_view rx_bytes victim.eth0)" 0
check_eq "victim received nothing (PF view)" "$(field "$WORK/x.h5" pf_vfs rx_bytes h1.nic0.vf1)" 0
check_eq "faults counted by the PF" "$(field "$WORK/x.h5" pf_vfs faults_blocked h1.nic0.vf0)" 4
check_near "driver error -> FLR recovery" "$(event_times flr_end "$WORK/x.h5")" 0.6 1e-9

# Mailbox: untrusted VF with a host-set MAC is denied; trusted one allowed;
# PF unresponsive -> timeout after the configured 50 ms.
run_sim "$SCN/pf_mailbox.yaml" "$WORK/m.h5"
check_eq "untrusted set_mac denied" "$(field "$WORK/m.h5" guest_view mbx_denied u.eth0)" 2
check_eq "trusted requests approved" "$(field "$WORK/m.h5" guest_view mbx_denied t.eth0)" 0
check_near "timeout after 50 ms" "$(event_times mbx_timeout "$WORK/m.h5")" 1.15 1e-9
check_eq "guest sees its timeout" "$(field "$WORK/m.h5" guest_view mbx_timeouts t.eth0)" 1

# Exhaustion: the (TotalVFs+1)-th VM falls back to virtio, or the load fails.
run_sim "$SCN/pf_exhaust.yaml" "$WORK/e.h5"
check_eq "fallback logged at t=0" "$(event_times vf_fallback "$WORK/e.h5")" 0
check_near "fallen-back VM still sends" "$(field "$WORK/e.h5" flows delivered_bytes f3)" 1.25e8 0.01
sed 's/vf_exhausted: virtio/vf_exhausted: fail/' "$SCN/pf_exhaust.yaml" > "$WORK/fail.yaml"
CHECKS=$((CHECKS + 1))
if "$SRIOV_SIM" run "$WORK/fail.yaml" -o "$WORK/fail.h5" --quiet 2> "$WORK/fail.err"; then
    fail "exhaustion with policy fail should not run"
elif [ $? -eq 2 ] && grep -q "fail.yaml:10:.*no VF left for NIC 'v3.eth0'" "$WORK/fail.err"; then
    pass "policy fail: load error at the third VM's NIC"
else
    fail "policy fail: unexpected: $(cat "$WORK/fail.err")"
fi

# Host prerequisites: a host without kernel IOMMU cannot give VFs.
sed 's/- { name: h1, adapters/- { name: h1, sriov_support: { kernel_iommu: false }, adapters/; s/vf_exhausted: virtio/vf_exhausted: fail/' \
    "$SCN/pf_exhaust.yaml" > "$WORK/noiommu.yaml"
CHECKS=$((CHECKS + 1))
if "$SRIOV_SIM" run "$WORK/noiommu.yaml" -o "$WORK/ni.h5" --quiet 2> "$WORK/ni.err"; then
    fail "a host without IOMMU gave VFs"
elif grep -q "noiommu.yaml:9:.*cannot have a VF: host 'h1' cannot give VFs: the kernel IOMMU is off" "$WORK/ni.err"; then
    pass "no IOMMU: error names why, at the NIC"
else
    fail "no IOMMU: unexpected: $(cat "$WORK/ni.err")"
fi
# Hyper-V: a guest without a VF driver keeps the synthetic adapter.
sed 's/- { name: h1, adapters/- { name: h1, os: hyperv, adapters/; s/name: v3, host: h1, nics: \[{ name: eth0, attach: vf, adapter: nic0/&, guest_vf_driver: false/' \
    "$SCN/pf_exhaust.yaml" > "$WORK/hv.yaml"
run_sim "$WORK/hv.yaml" "$WORK/hv.h5"
check_eq "Hyper-V synthetic fallback logged" \
    "$(field "$WORK/hv.h5" events detail "" | grep -c 'hyperv keeps the synthetic adapter')" 1

# Tenant change: a loses VF 0 at 1 s; b has it 112 ms after asking at 1.5 s.
run_sim "$SCN/pf_churn.yaml" "$WORK/c.h5"
check_near "old tenant stops at release" "$(field "$WORK/c.h5" flows delivered_bytes fa)" 1.25e8 0.01
check_near "new tenant starts after hot-plug" "$(field "$WORK/c.h5" flows delivered_bytes fb)" \
    "$(awk 'BEGIN { print 1e9 / 8 * (2 - 1.612) }')" 0.01
check_eq "PF view: both tenants" "$(field "$WORK/c.h5" pf_vfs tenants h1.nic0.vf0)" "a.eth0 b.eth0"
check_near "guest view: b sees only its own bytes" "$(field "$WORK/c.h5" guest_view tx_bytes b.eth0)" \
    "$(field "$WORK/c.h5" flows delivered_bytes fb)" 1e-9
check_near "PF view: the VF carried both" "$(field "$WORK/c.h5" pf_vfs tx_bytes h1.nic0.vf0)" \
    "$(awk 'BEGIN { print 1e9 / 8 * (1 + 2 - 1.612) }')" 0.01

# --log prints the PF log like dmesg.
"$SRIOV_SIM" run "$SCN/pf_flr.yaml" -o "$WORK/l.h5" --quiet --log > "$WORK/log.txt"
check_eq "dmesg line" "$(grep -c '^\[    1.000000\] h1 kernel: ice 0000:18:00.0: VF 0: FLR start' "$WORK/log.txt")" 1

# Requests the PF refuses or drops (pf_refused.yaml): each logged with why.
run_sim "$SCN/pf_refused.yaml" "$WORK/r.h5"
paste -d' ' <(field "$WORK/r.h5" events type) <(field "$WORK/r.h5" events detail) > "$WORK/r.ev"
has_event() { # NAME LINE: LINE ("type detail") logged exactly once
    check_eq "$1" "$(grep -cxF -- "$2" "$WORK/r.ev")" 1
}
has_event "assign of a held VF refused" \
    "vf_assign_refused assign to b.eth0: VF is held by another tenant (assigned, a.eth0)"
has_event "release by a non-owner refused" \
    "vf_release_refused release from b.eth0: the VF is not assigned to it (assigned)"
has_event "request from a NIC without a VF not sent" \
    "mbx_dropped promisc from b.eth0: the NIC has no working VF (assigned): not sent"
has_event "9th VLAN of an untrusted VF denied" \
    "mbx_denied add_vlan 9 denied: untrusted VF at its VLAN filter limit (8)"
check_eq "8 VLANs approved" "$(grep -c '^mbx_ok add_vlan' "$WORK/r.ev")" 8
check_eq "guest view counts the denial" "$(field "$WORK/r.h5" guest_view mbx_denied c.eth0)" 1
has_event "true is on" "mbx_request promisc on from a.eth0"
has_event "answer to a released VF dropped" \
    "mbx_dropped promisc from a VF no longer owned by its sender: dropped"
has_event "FLR of a releasing VF refused" \
    "flr_refused FLR (driver error recovery) ignored: VF is releasing"
check_eq "the release's own FLR only" "$(field "$WORK/r.h5" pf_vfs flr_count h1.nic0.vf0)" 1

# A broken OS profile in the --models catalogue: the load names what is wrong.
# bad_os NAME EDIT TEXT...: linux-kvm.yaml edited by the sed script EDIT (or
# removed when EDIT is "rm") refuses pf_flr.yaml: exit 2, an error line
# containing every TEXT.
bad_os() {
    rm -rf "$WORK/models"; cp -r "$SRIOV_MODELS_DIR" "$WORK/models"
    local prof=$WORK/models/os/linux-kvm.yaml rc=0
    if [ "$2" = rm ]; then rm "$prof"; else sed -i "$2" "$prof"; fi
    "$SRIOV_SIM" run "$SCN/pf_flr.yaml" -o "$WORK/b.h5" --quiet --models "$WORK/models" \
        2> "$WORK/b.err" || rc=$?
    local name=$1 line; shift 2
    line=$(grep -m1 'error: ' "$WORK/b.err" || true)
    for t in "$@"; do grep -qF -- "$t" <<< "$line" || rc="$rc, no '$t'"; done
    CHECKS=$((CHECKS + 1))
    if [ "$rc" = 2 ]; then pass "$name: $line"
    else fail "$name: exit $rc: $(head -c 300 "$WORK/b.err")"; fi
}
bad_os "OS profile without a cost" '/^flr:/d' "os/linux-kvm.yaml:" "OS profile lacks 'flr'"
bad_os "OS profile without passthrough" '/^passthrough:/d' "error: OS profile lacks 'passthrough'"
bad_os "OS profile missing" rm "error: no OS profile 'linux-kvm'"
bad_os "OS profile not YAML" '1i [' "os/linux-kvm.yaml:" "error: did not find expected"
finish
