/* rules.c -- see rules.h. */
#include "eswitch/rules.h"

#include <stdio.h>
#include <string.h>

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int esw_parse_mac(const char *s, uint64_t *mac)
{
    if (!s || strlen(s) != 17)
        return -1;
    uint64_t v = 0;
    for (int i = 0; i < 17; i++) {
        if (i % 3 == 2) {
            if (s[i] != ':')
                return -1;
            continue;
        }
        int d = hex_digit(s[i]);
        if (d < 0)
            return -1;
        v = (v << 4) | (uint64_t)d;
    }
    *mac = v;
    return 0;
}

void esw_format_mac(uint64_t mac, char out[18])
{
    snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", (unsigned)(mac >> 40) & 0xffu,
             (unsigned)(mac >> 32) & 0xffu, (unsigned)(mac >> 24) & 0xffu,
             (unsigned)(mac >> 16) & 0xffu, (unsigned)(mac >> 8) & 0xffu, (unsigned)mac & 0xffu);
}

uint64_t esw_assigned_mac(int vm_idx, int nic_idx)
{
    return (0x025300ULL << 24) | ((uint64_t)(vm_idx & 0xffff) << 8) | (uint64_t)(nic_idx & 0xff);
}

esw_verdict esw_check(const vf_rules *src, bool src_is_vf, const vf_rules *dst,
                      bool has_src_mac, uint64_t src_mac)
{
    if (src && src_is_vf && has_src_mac && src->spoofchk && !src->trust && src_mac != src->mac)
        return ESW_DROP_SPOOF;
    if (src && dst && src->vlan != dst->vlan)
        return ESW_DROP_VLAN;
    return ESW_PASS;
}
