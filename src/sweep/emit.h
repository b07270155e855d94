/* emit.h -- a sweep point's scenario back to YAML text: the scenario
 * module's emitter (scenario/yemit.h), which resolved.c shares. */
#ifndef SRIOV_SWEEP_EMIT_H
#define SRIOV_SWEEP_EMIT_H

#include "scenario/yemit.h"

static inline char *sweep_emit_yaml(const ynode *root, const char *header)
{
    return ynode_emit_yaml(root, header);
}

#endif
