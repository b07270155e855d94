/* esw_load.c -- see esw_load.h.
 *
 *   {at: 2s, set_vf: {nic: vm1.eth0, vlan: 200, mac: 02:00:00:00:00:09,
 *                     spoofchk: off, trust: on}}
 */
#include "eswitch/esw_load.h"

#include <stdbool.h>
#include <stdint.h>

#include "eswitch/rules.h"

static int read_flag(loader *L, const ynode *m, const char *key, int *out)
{
    bool b;
    int rc = yget_bool(L->d, m, key, &b);
    if (rc > 0)
        *out = b ? 1 : 0;
    return rc < 0 ? -1 : 0;
}

int esw_event_set_vf(loader *L, event_config *ev, const ynode *m)
{
    static const char *const keys[] = {"nic", "mac", "vlan", "trust", "spoofchk", NULL};
    if (ynode_check_keys(L->d, m, keys, "set_vf") || ld_require(L, m, "nic", "set_vf") ||
        ld_resolve_endpoint(L, ynode_get(m, "nic"), false, &ev->nic))
        return -1;
    const nic_config *n = &L->cfg->vms[ev->nic.vm_idx].nics[ev->nic.nic_idx];
    if (n->attach != ATTACH_VF) {
        ynode_error(L->d, ynode_get(m, "nic"), "name a NIC with attach: vf",
                    "set_vf sets a VF's rules; NIC '%s' is not a VF", ynode_get(m, "nic")->text);
        return -1;
    }
    ev->vf_rules = (vf_rule_change){-1, -1, -1};
    int errors = yget_int(L->d, m, "vlan", 0, 4094, &ev->vf_rules.vlan) < 0;
    errors += read_flag(L, m, "trust", &ev->vf_rules.trust) < 0;
    errors += read_flag(L, m, "spoofchk", &ev->vf_rules.spoofchk) < 0;
    const ynode *mac = ynode_get(m, "mac");
    if (mac) {
        uint64_t v;
        if (yget_string(L->d, m, "mac", &ev->detail) < 0) {
            errors++;
        } else if (esw_parse_mac(ev->detail, &v) != 0) {
            ynode_error(L->d, mac, "write six hex bytes, e.g. 02:00:00:00:00:01",
                        "invalid MAC address '%s'", ev->detail);
            errors++;
        }
    }
    if (errors)
        return -1;
    if (m->n == 1) {
        ynode_error(L->d, m, "give mac, vlan, trust or spoofchk", "set_vf changes nothing");
        return -1;
    }
    return 0;
}
