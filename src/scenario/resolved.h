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

/* Returns a NUL-terminated string the caller frees. Never NULL. */
char *config_to_yaml(const scenario_config *cfg);

#endif
