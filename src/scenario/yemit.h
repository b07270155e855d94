/* yemit.h -- a ynode tree back to YAML text (libyaml's emitter).
 *
 * Writes each sweep point's scenario file (sweep/emit.h), so the point can
 * be run alone with `sriov-sim run`, and the groups of a resolved scenario
 * (resolved.c). Mappings and lists are written in block style; scalars
 * that were quoted stay quoted (the loader treats a quoted "null"
 * differently from a plain one), plain ones are written plain when YAML
 * allows it. Comments of the original are not kept.
 */
#ifndef SRIOV_YEMIT_H
#define SRIOV_YEMIT_H

#include "scenario/ynode.h"

/* The document as YAML text, preceded by header (comment lines, each
 * starting with '#' and ending with '\n'; may be NULL). Returns an owned
 * NUL-terminated string, or NULL if libyaml refuses the tree. */
char *ynode_emit_yaml(const ynode *root, const char *header);

#endif
