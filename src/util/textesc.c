/* textesc.c -- see textesc.h. */
#include "util/textesc.h"

#include <string.h>

/* Length of the valid UTF-8 sequence at s (2..4), or 0 when s[0] does not
 * start one (a stray continuation byte, an overlong or truncated form). */
static size_t utf8_len(const unsigned char *s)
{
    size_t n = s[0] >= 0xC2 && s[0] <= 0xDF ? 2
             : s[0] >= 0xE0 && s[0] <= 0xEF ? 3
             : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return n;
}

/* C1 controls (some terminals obey them), the line and paragraph
 * separators (line breaks to some renderers) and the bidirectional
 * overrides and isolates (text that displays in another order). */
static int invisible(unsigned cp)
{
    return (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* The text for the character at s into out (NUL-terminated, at most 8
 * bytes plus NUL); returns the bytes of s consumed. */
static size_t escape_one(const unsigned char *s, char out[16])
{
    static const char hex[] = "0123456789abcdef";
    if (s[0] >= 0x20 && s[0] < 0x7f) {
        out[0] = (char)s[0];
        out[1] = '\0';
        return 1;
    }
    size_t n = s[0] >= 0x80 ? utf8_len(s) : 0;
    if (n == 2 || n == 3) {
        unsigned cp = n == 2 ? (s[0] & 0x1Fu) << 6 | (s[1] & 0x3Fu)
                             : (s[0] & 0x0Fu) << 12 | (s[1] & 0x3Fu) << 6 | (s[2] & 0x3Fu);
        if (invisible(cp)) {
            out[0] = '\\';
            out[1] = 'u';
            for (int i = 0; i < 4; i++)
                out[2 + i] = hex[cp >> (12 - 4 * i) & 0xf];
            out[6] = '\0';
            return n;
        }
    }
    if (n > 0) {
        memcpy(out, s, n);
        out[n] = '\0';
        return n;
    }
    out[0] = '\\';
    out[1] = 'x';
    out[2] = hex[s[0] >> 4];
    out[3] = hex[s[0] & 0xf];
    out[4] = '\0';
    return 1;
}

/* Each character's escaped form (escape_one), with a backslash before
 * every byte of it in `quote` (NULL: none), collected into blocks: stderr
 * is unbuffered, and a character per write made echoing a 10 MB name take
 * a minute. */
static void put_escaped_quoting(FILE *out, const char *s, const char *quote)
{
    const unsigned char *p = (const unsigned char *)s;
    char block[4096];
    size_t used = 0;
    while (*p) {
        if (used > sizeof block - 40) {
            fwrite(block, 1, used, out);
            used = 0;
        }
        char one[16];
        p += escape_one(p, one);
        for (const char *c = one; *c; c++) {
            if (quote && strchr(quote, *c))
                block[used++] = '\\';
            block[used++] = *c;
        }
    }
    fwrite(block, 1, used, out);
}

void text_put_escaped(FILE *out, const char *s)
{
    put_escaped_quoting(out, s, NULL);
}

int text_has_control(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return 1;
    return 0;
}

void text_put_shell_word(FILE *out, const char *s)
{
    fputc('\'', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '\'')
            fputs("'\\''", out);
        else
            fputc(*p < 0x20 || *p == 0x7f ? '_' : *p, out);
    }
    fputc('\'', out);
}

/* The escaped form made safe inside a DOT quoted string: see textesc.h. */
void text_put_dot_text(FILE *out, const char *s)
{
    put_escaped_quoting(out, s, "\\\"<>{}|");
}

void text_put_dot_string(FILE *out, const char *s)
{
    fputc('"', out);
    text_put_dot_text(out, s);
    fputc('"', out);
}
