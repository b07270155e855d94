/* errbuf.c -- see errbuf.h. */
#include "util/errbuf.h"

#include <stdarg.h>
#include <stdio.h>

void errbuf_set(errbuf *e, const char *fmt, ...)
{
    if (e->msg == NULL || e->len == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, e->len, fmt, ap);
    va_end(ap);
}
