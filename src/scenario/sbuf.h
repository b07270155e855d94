/* sbuf.h -- a growing text buffer written printf-style, for the YAML the
 * loader writes back (/meta/resolved: resolved.c, wl_resolved.c).
 * Ownership: data is malloc'ed, the caller frees it (NULL while empty).
 * Allocation aborts on failure (sc_xrealloc: inputs are bounded). */
#ifndef SRIOV_SBUF_H
#define SRIOV_SBUF_H

#include <stddef.h>

#include "scenario/diag.h"

typedef struct sbuf {
    char *data;
    size_t len, cap;
} sbuf;

/* Appends the formatted text. */
void sbuf_put(sbuf *b, const char *fmt, ...) DIAG_PRINTF(2, 3);
/* "INDENTkey: VALUEunit\n", the value in the loader's shortest exact form
 * (units_format_double), e.g. "    start: 1.5s". */
void sbuf_put_quantity(sbuf *b, const char *indent, const char *key, double v,
                       const char *unit);

#endif
