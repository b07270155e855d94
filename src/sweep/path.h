/* path.h -- addressing and editing a value inside a scenario's YAML tree.
 *
 * A path names nodes from the document root, as written in sweep files:
 *   hosts[0].adapters[0].num_vfs     mapping keys joined by '.', list
 *                                    indices in brackets (0-based)
 *   traffic[*].rate                  [*] means every element of a list
 * Keys are any run of characters other than '.', '[' and ']'.
 *
 * Editing works on the ynode tree of scenario/ynode.h, so a sweep changes
 * the scenario text and the loader validates the result exactly as it
 * validates a hand-written file ("scenario -> typed config" stays one-way).
 *
 * Ownership: a sweep_path owns its segments and text; sweep_path_free().
 * Nodes made here are allocated like the parser's (sc_xcalloc), so a doc
 * edited with sweep_path_set() is still released by ynode_doc_free().
 */
#ifndef SRIOV_SWEEP_PATH_H
#define SRIOV_SWEEP_PATH_H

#include <stdbool.h>
#include <stddef.h>

#include "scenario/ynode.h"

typedef enum { SEG_KEY = 0, SEG_INDEX, SEG_ALL } sweep_seg_kind;

typedef struct sweep_seg {
    sweep_seg_kind kind;
    char *key;              /* SEG_KEY: owned; else NULL */
    size_t index;           /* SEG_INDEX */
} sweep_seg;

typedef struct sweep_path {
    char *text;             /* as written, owned */
    sweep_seg *segs;
    size_t n;               /* >= 1 after a successful parse */
} sweep_path;

/* Parses text. Returns 0, or -1 with a message in err (out zeroed). */
int sweep_path_parse(const char *text, sweep_path *out, char *err,
                     size_t errlen);
void sweep_path_free(sweep_path *p);

/* Replaces every node p addresses under *root with a deep copy of value.
 * A missing key in a mapping is created (as a mapping when more segments
 * follow); a missing list element or a type mismatch is an error.
 * Returns how many nodes were set (>= 1), or -1 with a message in err
 * that names the failing prefix of the path. */
int sweep_path_set(ynode **root, const sweep_path *p, const ynode *value,
                   char *err, size_t errlen);

/* The node p addresses when it has no [*] and exists, else NULL. */
const ynode *sweep_path_get(const ynode *root, const sweep_path *p);

/* Deep copy (positions kept; file pointers set to file). */
ynode *sweep_node_clone(const ynode *n, const char *file);
/* A new scalar holding a copy of text. */
ynode *sweep_node_scalar(const char *text, bool plain, const char *file);
void sweep_node_free(ynode *n);

/* A one-line rendering of a node for labels and index columns: scalars as
 * their text, collections in YAML flow style ("{max_rate: 10Gbps}").
 * Tabs and newlines become blanks. Owned by the caller. */
char *sweep_node_label(const ynode *n);

#endif
