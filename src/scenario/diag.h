/* diag.h -- diagnostics in the compiler format editors understand.
 *
 *   FILE:LINE:COL: error: MESSAGE
 *     fix: HINT                      (only when a hint is given)
 *
 * LINE and COL are 1-based. An error with no position (line 0: the file
 * cannot be read at all) prints "FILE: error: MESSAGE".
 * FILE, MESSAGE and HINT are printed escaped (util/textesc.h): a name or
 * value they echo cannot put a control character on the terminal.
 * A diag is caller-owned state, no globals: it holds the stream to print to
 * (stderr by default; tests point it at a tmpfile) and counts errors. After
 * max_errors errors further ones are counted but not printed, so a broken
 * file cannot flood the terminal.
 */
#ifndef SRIOV_DIAG_H
#define SRIOV_DIAG_H

#include <stdarg.h>
#include <stdio.h>

typedef struct diag {
    FILE *stream;       /* not owned; NULL means stderr */
    int n_errors;       /* errors reported so far, printed or not */
    int max_errors;     /* print at most this many; <= 0 means 20 */
    /* When set, called for each message printed, and its text printed
     * before it: the generated item being read ("h17 (host group
     * 'compute', index 17)"). A function, so that reading 640,000 items
     * formats nothing until one of them is wrong. */
    const char *(*context)(const void *arg, char *buf, size_t cap);
    const void *context_arg;
} diag;

/* Zeroes the counters and sets the stream (NULL = stderr). */
void diag_init(diag *d, FILE *stream);

#if defined(__GNUC__)
#define DIAG_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define DIAG_PRINTF(fmt, args)
#endif

/* Reports one error. file may be NULL ("<input>"); hint may be NULL. */
void diag_error(diag *d, const char *file, int line, int col,
                const char *hint, const char *fmt, ...) DIAG_PRINTF(6, 7);
void diag_verror(diag *d, const char *file, int line, int col,
                 const char *hint, const char *fmt, va_list ap);
/* "FILE:LINE:COL: warning: MESSAGE" (and "  note: HINT"): legal input that
 * probably does not mean what it says. Not counted as an error. */
void diag_vwarning(diag *d, const char *file, int line, int col,
                   const char *hint, const char *fmt, va_list ap);

#endif
