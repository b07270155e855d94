/* strmap.h -- string -> int index, open addressing with FNV-1a hashing.
 * Used where a scenario names thousands of things (hosts, VMs, flows) and
 * linear lookups would make loading quadratic.
 * Ownership: keys are borrowed (the caller keeps them alive while the map
 * is used); the map owns only its tables. */
#ifndef SRIOV_STRMAP_H
#define SRIOV_STRMAP_H

#include <stddef.h>

typedef struct strmap {
    const char **keys;
    int *values;
    size_t cap;         /* power of two, or 0 */
    size_t n;
} strmap;

/* Adds or replaces key. Returns 0, or -1 when out of memory. */
int strmap_put(strmap *m, const char *key, int value);
/* The value for key, or -1 when absent. */
int strmap_get(const strmap *m, const char *key);
void strmap_free(strmap *m);

#endif
