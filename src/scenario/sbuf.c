/* sbuf.c -- see sbuf.h. */
#include "scenario/sbuf.h"

#include <stdarg.h>
#include <stdio.h>

#include "scenario/units.h"
#include "scenario/ynode.h"

void sbuf_put(sbuf *b, const char *fmt, ...)
{
    /* Formatted straight into the free space, again only when it did not
     * fit: measuring first formatted every line twice (vsnprintf was 9 % of
     * a pod-250 run's instructions, most of it writing /meta/resolved). */
    va_list ap;
    va_start(ap, fmt);
    int need = vsnprintf(b->cap > b->len ? b->data + b->len : NULL,
                         b->cap > b->len ? b->cap - b->len : 0, fmt, ap);
    va_end(ap);
    if (need < 0)
        return;
    if (b->len + (size_t)need + 1 <= b->cap) {
        b->len += (size_t)need;
        return;
    }
    while (b->len + (size_t)need + 1 > b->cap)
        b->cap = b->cap ? 2 * b->cap : 4096;
    b->data = sc_xrealloc(b->data, b->cap, 1);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    b->len += (size_t)need;
}

void sbuf_put_quantity(sbuf *b, const char *indent, const char *key, double v,
                       const char *unit)
{
    char num[64];
    units_format_double(v, num, sizeof num);
    sbuf_put(b, "%s%s: %s%s\n", indent, key, num, unit);
}
