/* textesc.h -- printing untrusted text to a terminal or a markdown file.
 *
 * A scenario's names and values, a results file's strings and a path on
 * the command line may hold ESC and other control characters (a raw
 * "\033]..." rewrites the terminal's title or worse) or newlines (which
 * inject headings into a report's index.md). Printed through this, every
 * C0 control character, DEL and byte that is not part of valid UTF-8
 * becomes \xNN, and a UTF-8 C1 control character (U+0080..U+009F, which
 * some terminals obey), line or paragraph separator (U+2028, U+2029) or
 * bidirectional override (U+202A..U+202E, U+2066..U+2069) becomes \uNNNN;
 * the rest, including other non-ASCII UTF-8, is written unchanged.
 * Stateless; borrows its arguments.
 */
#ifndef SRIOV_TEXTESC_H
#define SRIOV_TEXTESC_H

#include <stdio.h>

/* Writes s to out, escaped as above. */
void text_put_escaped(FILE *out, const char *s);

/* 1 when s holds a C0 control character or DEL: a path that cannot go
 * into a line-oriented file (a job list, a comment line) as it is. */
int text_has_control(const char *s);

/* Writes s to out as one POSIX shell word in single quotes ('\'' for a
 * quote), so nothing in it ($(...), backquotes, ;) runs when the line is
 * executed; a control character becomes '_' (a newline would start a
 * command of its own). */
void text_put_shell_word(FILE *out, const char *s);

#endif
