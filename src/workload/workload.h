/* workload.h -- the workload generator: flows made during the run from the
 * scenario's `workloads:` section (scenario/workload_config.h), their
 * completion times and slowdowns (wl_fct.h), and the results tables
 * /workloads, /workload_fct and /workload_flows (docs/results.md).
 *
 * It is a model behind the engine's registry (sim/models.h): add_pairs
 * gives the platform the same-rack routes its flows may take; init draws
 * the first arrival of each workload and schedules it as an engine timer;
 * each arrival starts its flows (sim/spawn.h) and schedules the next, so
 * only the next arrival and the flows alive exist at any time. Every draw
 * comes from one xorshift64* stream per workload seeded from
 * simulation.seed and the workload's position: the same scenario and seed
 * give the same flows.
 * Units: bytes, bits per second in the scenario, bytes per second in the
 * engine, seconds.
 */
#ifndef SRIOV_WORKLOAD_H
#define SRIOV_WORKLOAD_H

#include "sim/models.h"

extern const sim_model_ops workload_model;

#endif
