/* catalogue.h -- adapter models: models/adapters/<model>.yaml.
 *
 * A catalogue file holds the hardware keys of an adapter entry:
 *   total_vfs, ports, port_rate, port_latency, queues_per_vf,
 *   pcie: { gen, lanes, mps, mrrs }, eswitch_capacity, keeps_crc,
 *   msix_per_vf, interrupt_moderation, interrupt_moderation_packets,
 *   multi_host_hosts (0 = single host; docs/multi-host.md)
 * A scenario adapter entry may override any of them; both go through
 * catalogue_read_hw(), so both are checked the same way, at their own
 * file:line:col. port_latency (1us), pcie.mps (256B), pcie.mrrs (512B)
 * keeps_crc (false) and the three interrupt keys (0: not limiting / none)
 * have defaults; the others are required in the catalogue file.
 */
#ifndef SRIOV_CATALOGUE_H
#define SRIOV_CATALOGUE_H

#include "scenario/config.h"
#include "scenario/diag.h"
#include "scenario/doc_cache.h"
#include "scenario/ynode.h"

/* Applies every hardware key present in map to a, checking each value's
 * range. Keys map holds that are not hardware keys are ignored (the caller
 * checks keys). Returns 0, or -1 after reporting errors. */
int catalogue_read_hw(diag *d, const ynode *map, adapter_config *a);

/* The range of an interrupt moderation interval (besides 0 = off). */
unit_range catalogue_irq_range(void);

/* Reads models_dir/adapters/<model>.yaml into a's hardware fields, parsed
 * once per load through cache. model_node is where the scenario named the
 * model: an unknown model is reported there, with the nearest known model
 * name. Returns 0 or -1. */
int catalogue_load(const char *models_dir, doc_cache *cache, const ynode *model_node,
                   adapter_config *a, diag *d);

#endif
