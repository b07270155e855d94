/* errbuf.h -- a caller-owned message buffer passed down instead of
 * (err, errlen) pairs, so a deep failure can say what went wrong. Used by
 * the HDF5 writer (src/output) and the report (src/report).
 * Ownership: the caller owns msg (len bytes); errbuf_set never allocates.
 */
#ifndef SRIOV_UTIL_ERRBUF_H
#define SRIOV_UTIL_ERRBUF_H

#include <stddef.h>

typedef struct errbuf {
    char *msg;
    size_t len;
} errbuf;

/* Formats into e->msg (truncated to e->len); nothing when e has no buffer. */
void errbuf_set(errbuf *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
