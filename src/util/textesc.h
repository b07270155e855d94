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

/* Graphviz DOT. A name read from a results file becomes a DOT label only
 * through these, never as an identifier (node IDs are generated) and never
 * as an HTML-like label (<...> unquoted): the text is always inside a
 * double-quoted string. text_put_dot_text writes the inside of one:
 *   "  -> \"      a quote would end the string (and the rest be DOT code)
 *   \  -> \\      a backslash would start an escString escape (\N, \G,
 *                 \l: the node's name, the graph's, a line break) or
 *                 escape the closing quote
 *   < > { } |  -> \< ...   field separators and ports of record shapes
 *   control characters, DEL, bytes outside valid UTF-8, C1 controls,
 *   line/paragraph separators, bidi overrides -> the visible text \xNN or
 *   \uNNNN, its backslash doubled (a raw newline would break the line in
 *   the label; invalid UTF-8 makes dot warn and guess a charset).
 * text_put_dot_string writes the quotes around it too. */
void text_put_dot_text(FILE *out, const char *s);
void text_put_dot_string(FILE *out, const char *s);

#endif
