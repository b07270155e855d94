/* resolved.h -- a loaded scenario back to YAML, every default filled in.
 *
 * The text is what /meta/resolved records: values in base units with unit
 * suffixes (rate: 25000000000bps, duration: 10s, memory: 274877906944B), in
 * the shortest decimal form that reads back exactly, so that loading it
 * again yields the same config (packet size weights, already normalised,
 * may differ in the last bit). Strings are double-quoted. A NIC that fell
 * back to virtio is written as it was asked for (attach: vf) with a comment,
 * so the fallback happens again on reload.
 */
#ifndef SRIOV_RESOLVED_H
#define SRIOV_RESOLVED_H

#include "scenario/config.h"

/* Returns a NUL-terminated string the caller frees. Never NULL.
 * A group (docs/scenario.md, "Groups") is written once, as its mapping
 * (cfg->groups[].yaml), where its first instance would be: the text grows
 * with the scenario as written, not with the items it generates. */
char *config_to_yaml(const scenario_config *cfg);

/* One item alone, as "hosts:\n  - name: ...\n" (its section's key and the
 * item as config_to_yaml writes it): groups fill their defaults from it. */
typedef enum { RES_HOSTS = 0, RES_VMS, RES_FLOWS, RES_EVENTS } resolved_section;
char *resolved_item_yaml(const scenario_config *cfg, resolved_section sec, size_t idx);

#endif
