/* doc_cache.h -- model files (adapter catalogue entries, OS profiles) read
 * and parsed once per scenario load, however many hosts and adapters name
 * them.
 *
 * Why: each host re-read and re-parsed its OS profile and each adapter its
 * catalogue file: 30,000 hosts took ~10 s under ASan, most of it there, and
 * a broken model file printed its errors once per host. Now a file is
 * parsed the first time it is asked for; a file that failed reports its
 * errors that once and is a silent failure afterwards (the load fails
 * anyway).
 *
 * Ownership: the cache owns every document and path; doc_cache_free
 * releases them. Not thread-safe (one loader, one thread).
 */
#ifndef SRIOV_SCENARIO_DOC_CACHE_H
#define SRIOV_SCENARIO_DOC_CACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "scenario/ynode.h"

typedef struct doc_cache {
    struct doc_cache_entry *e;
    size_t n, cap;
} doc_cache;

/* The parsed document of path, or NULL when it cannot be read or parsed
 * (reported through d the first time only) or was found wrong. *first is
 * set when this call parsed it: the caller then checks its content once
 * and, when that reported errors, clears **verdict so that later calls
 * return NULL without repeating them. */
const ynode_doc *doc_cache_get(doc_cache *c, const char *path, diag *d, bool *first,
                               bool **verdict);

void doc_cache_free(doc_cache *c);

#endif
