/* diag.c -- see diag.h. */
#include "scenario/diag.h"

#include <stdlib.h>

#include "util/textesc.h"

enum { DIAG_DEFAULT_MAX = 20 };

void diag_init(diag *d, FILE *stream)
{
    d->stream = stream;
    d->n_errors = 0;
    d->max_errors = DIAG_DEFAULT_MAX;
    d->context = NULL;
}

/* fmt's expansion, escaped (textesc.h): names and values in it come from
 * the scenario, which may hold ESC or newlines. Formatted first, then
 * escaped as a whole; a long one (a 10 MB name) is allocated, and cut to
 * 511 bytes if that fails. */
static void put_message(FILE *out, const char *fmt, va_list ap)
{
    char small[512];
    va_list copy;
    va_copy(copy, ap);
    int len = vsnprintf(small, sizeof small, fmt, copy);
    va_end(copy);
    char *big = len >= 0 && (size_t)len >= sizeof small ? malloc((size_t)len + 1) : NULL;
    if (big)
        vsnprintf(big, (size_t)len + 1, fmt, ap);
    text_put_escaped(out, big ? big : small);
    free(big);
}

/* "FILE:LINE:COL: KIND: MESSAGE" and "  LABEL: HINT", all escaped: the
 * file name comes from the command line, the message and hint echo names
 * and values from the scenario. */
static void put_diag(FILE *out, const char *file, int line, int col, const char *kind,
                     const char *label, const char *context, const char *hint,
                     const char *fmt, va_list ap)
{
    text_put_escaped(out, file ? file : "<input>");
    if (line > 0)
        fprintf(out, ":%d:%d", line, col);
    fprintf(out, ": %s: ", kind);
    if (context) {
        text_put_escaped(out, context);
        fputs(": ", out);
    }
    put_message(out, fmt, ap);
    fputc('\n', out);
    if (hint) {
        fprintf(out, "  %s: ", label);
        text_put_escaped(out, hint);
        fputc('\n', out);
    }
    fflush(out);
}

void diag_verror(diag *d, const char *file, int line, int col,
                 const char *hint, const char *fmt, va_list ap)
{
    int limit = d->max_errors > 0 ? d->max_errors : DIAG_DEFAULT_MAX;
    FILE *out = d->stream ? d->stream : stderr;
    d->n_errors++;
    if (d->n_errors > limit + 1)
        return;
    if (d->n_errors == limit + 1) {
        /* the file name comes from the command line: escaped too */
        text_put_escaped(out, file ? file : "<input>");
        fputs(": note: too many errors, not printing more\n", out);
        return;
    }
    char ctx[256];
    put_diag(out, file, line, col, "error", "fix",
             d->context ? d->context(d->context_arg, ctx, sizeof ctx) : NULL, hint, fmt, ap);
}

void diag_vwarning(diag *d, const char *file, int line, int col,
                   const char *hint, const char *fmt, va_list ap)
{
    char ctx[256];
    put_diag(d->stream ? d->stream : stderr, file, line, col, "warning", "note",
             d->context ? d->context(d->context_arg, ctx, sizeof ctx) : NULL, hint, fmt, ap);
}

void diag_error(diag *d, const char *file, int line, int col,
                const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_verror(d, file, line, col, hint, fmt, ap);
    va_end(ap);
}
