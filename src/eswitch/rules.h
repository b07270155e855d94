/* rules.h -- the PF's forwarding rules for one VM NIC, as `ip link set DEV
 * vf N mac M vlan V spoofchk on|off trust on|off` sets them, and the
 * verdict they give a flow.
 *
 *   - VLAN isolation: a VF with a port VLAN has its frames tagged on
 *     egress and only receives its own VLAN (0 = untagged). A flow between
 *     two VM NICs on different VLANs is dropped. Flows to or from the
 *     external world are not checked (the ToR trunks every VLAN).
 *   - Spoof check: a VF sending with a source MAC other than its own is
 *     dropped, when spoofchk is on.
 *   - Trust: a trusted VF may change its own MAC (the PF accepts the
 *     request), so a different source MAC is taken as the VF's new MAC and
 *     not dropped, even with spoofchk on.
 * Pure functions, no state.
 */
#ifndef SRIOV_ESWITCH_RULES_H
#define SRIOV_ESWITCH_RULES_H

#include <stdbool.h>
#include <stdint.h>

typedef struct vf_rules {
    uint64_t mac;               /* 48-bit MAC */
    int vlan;                   /* 0 = untagged */
    bool trust;
    bool spoofchk;
} vf_rules;

typedef enum { ESW_PASS = 0, ESW_DROP_VLAN, ESW_DROP_SPOOF } esw_verdict;

/* "aa:bb:cc:dd:ee:ff" -> 48-bit value; 0, or -1 when malformed. */
int esw_parse_mac(const char *s, uint64_t *mac);
/* Writes "aa:bb:cc:dd:ee:ff" into out[18]. */
void esw_format_mac(uint64_t mac, char out[18]);
/* The MAC the PF assigns a NIC written without one: locally administered
 * 02:53:00:VV:VV:NN from the VM and NIC index, unique in a scenario. */
uint64_t esw_assigned_mac(int vm_idx, int nic_idx);

/* The verdict for a flow from src (NULL: the external world) to dst (NULL:
 * external). src_is_vf: the sender is a VF (the spoof check is the VF's);
 * has_src_mac: the flow names a source MAC (otherwise it uses its own). */
esw_verdict esw_check(const vf_rules *src, bool src_is_vf, const vf_rules *dst,
                      bool has_src_mac, uint64_t src_mac);

#endif
