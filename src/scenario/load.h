/* load.h -- scenario YAML -> validated scenario_config (config.h).
 *
 * The loader checks everything a planner can get wrong (unknown keys, wrong
 * types, missing fields, impossible values, dangling references), applies
 * every default and resolves every reference into an index, so that nothing
 * downstream validates again. See docs/scenario.md for the format.
 *
 * Errors go to d as "FILE:LINE:COL: error: MESSAGE" (plus "  fix: HINT").
 * On failure the loader returns non-zero after reporting at least the first
 * error, and *out is zeroed (nothing to free). On success *out owns all its
 * memory: release it with config_free().
 *
 * models_dir holds every model file the scenario names or needs:
 * adapters/<model>.yaml, os/<os>.yaml, virtio/{backends,migration}.yaml.
 * All of them are read here, at load time; nothing reads a model file
 * later. NULL means the default (scenario_models_dir).
 */
#ifndef SRIOV_LOAD_H
#define SRIOV_LOAD_H

#include <stddef.h>

#include "scenario/config.h"
#include "scenario/diag.h"

/* The models directory, decided in this one place: flag_value (--models
 * DIR) when given, else $SRIOV_MODELS_DIR when set and not empty, else the
 * installed catalogue next to the binary (P/share/sriov-sim/models for
 * P/bin/sriov-sim, util/datadir.h), else the source tree's models/. The
 * result lives until exit (nothing to free). */
const char *scenario_models_dir(const char *flag_value);

int scenario_load(const char *path, const char *models_dir,
                  scenario_config *out, diag *d);

/* The same on text[0..len) (need not be NUL-terminated); path names it in
 * diagnostics and becomes out->path. For tests and fuzzing. */
int scenario_load_text(const char *text, size_t len, const char *path,
                       const char *models_dir, scenario_config *out, diag *d);

#endif
