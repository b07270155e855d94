/* diag.c -- see diag.h. */
#include "scenario/diag.h"

enum { DIAG_DEFAULT_MAX = 20 };

void diag_init(diag *d, FILE *stream)
{
    d->stream = stream;
    d->n_errors = 0;
    d->max_errors = DIAG_DEFAULT_MAX;
}

void diag_verror(diag *d, const char *file, int line, int col,
                 const char *hint, const char *fmt, va_list ap)
{
    int limit = d->max_errors > 0 ? d->max_errors : DIAG_DEFAULT_MAX;
    FILE *out = d->stream ? d->stream : stderr;
    d->n_errors++;
    if (d->n_errors > limit) {
        if (d->n_errors == limit + 1)
            fprintf(out, "%s: note: too many errors, not printing more\n",
                    file ? file : "<input>");
        return;
    }
    if (line > 0)
        fprintf(out, "%s:%d:%d: error: ", file ? file : "<input>", line, col);
    else
        fprintf(out, "%s: error: ", file ? file : "<input>");
    vfprintf(out, fmt, ap);
    fputc('\n', out);
    if (hint)
        fprintf(out, "  fix: %s\n", hint);
    fflush(out);
}

void diag_error(diag *d, const char *file, int line, int col,
                const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_verror(d, file, line, col, hint, fmt, ap);
    va_end(ap);
}
