/* emit.h -- a ynode tree back to YAML text (libyaml's emitter).
 *
 * Used to write each sweep point's scenario file, so the point can be run
 * alone with `sriov-sim run`. Mappings and lists are written in block
 * style; scalars that were quoted stay quoted (the loader treats a quoted
 * "null" differently from a plain one), plain ones are written plain when
 * YAML allows it. Comments of the original are not kept.
 */
#ifndef SRIOV_SWEEP_EMIT_H
#define SRIOV_SWEEP_EMIT_H

#include "scenario/ynode.h"

/* The document as YAML text, preceded by header (comment lines, each
 * starting with '#' and ending with '\n'; may be NULL). Returns an owned
 * NUL-terminated string, or NULL if libyaml refuses the tree. */
char *sweep_emit_yaml(const ynode *root, const char *header);

#endif
