/* test_textesc.c -- the DOT escaper of util/textesc.h: no name read from a
 * results file can end a DOT string, start an escString escape, split a
 * record label or become an HTML-like label. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/textesc.h"

/* What text_put_dot_string writes for s (owned). */
static char *dot(const char *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    text_put_dot_string(f, s);
    fclose(f);
    return buf;
}

static void expect(const char *in, const char *want)
{
    char *got = dot(in);
    if (strcmp(got, want) != 0)
        fail_msg("dot(%s) = %s, want %s", in, got, want);
    free(got);
}

/* The string as DOT's lexer reads it: starts and ends with an unescaped
 * quote and has no other (each quote inside is preceded by an odd run of
 * backslashes), no raw newline, no unescaped < > { } |. */
static void assert_one_string(const char *out)
{
    size_t n = strlen(out);
    assert_true(n >= 2 && out[0] == '"' && out[n - 1] == '"');
    for (size_t i = 1; i + 1 < n; i++) {
        if (out[i] == '\\') {
            assert_true(i + 2 < n);     /* never escapes the closing quote */
            i++;
            continue;
        }
        assert_true(out[i] != '"' && out[i] != '\n' && out[i] != '\r');
        assert_null(strchr("<>{}|", out[i]));
    }
}

static void test_plain(void **state)
{
    (void)state;
    expect("h1.nic0.vf7", "\"h1.nic0.vf7\"");
    expect("", "\"\"");
    expect("caf\xc3\xa9", "\"caf\xc3\xa9\"");   /* valid UTF-8 stays */
}

static void test_quotes_backslashes(void **state)
{
    (void)state;
    expect("a\"b", "\"a\\\"b\"");
    expect("a\\b", "\"a\\\\b\"");
    expect("end\\", "\"end\\\\\"");     /* cannot escape the closing quote */
    expect("\\N\\G\\l", "\"\\\\N\\\\G\\\\l\"");
    expect("x\"; system(\"touch /tmp/p\"); \"",
           "\"x\\\"; system(\\\"touch /tmp/p\\\"); \\\"\"");
}

static void test_newlines_controls(void **state)
{
    (void)state;
    expect("a\nb", "\"a\\\\x0ab\"");
    expect("a\r\tb\x1b[2J", "\"a\\\\x0d\\\\x09b\\\\x1b[2J\"");
    expect("bad\xff", "\"bad\\\\xff\"");            /* not UTF-8 */
    expect("rtl\xe2\x80\xae", "\"rtl\\\\u202e\"");   /* bidi override */
}

static void test_record_and_html(void **state)
{
    (void)state;
    expect("{a|b}", "\"\\{a\\|b\\}\"");
    expect("<port>", "\"\\<port\\>\"");
    /* an HTML-like label is only <...> outside quotes: the string stays
     * quoted and its angle brackets escaped, so dot reads plain text */
    expect("<b>x</b>", "\"\\<b\\>x\\</b\\>\"");
    const char *hostile[] = {"\"]; n [label=<<b>x</b>>]; \"", "a\\", "\\\"", "<<x>>",
                             "}\n{", "\"\n\"; system('id')"};
    for (size_t i = 0; i < sizeof hostile / sizeof *hostile; i++) {
        char *out = dot(hostile[i]);
        assert_one_string(out);
        free(out);
    }
}

/* Long input crosses the 4 KiB block the escaper writes in. */
static void test_long(void **state)
{
    (void)state;
    size_t n = 10000;
    char *in = malloc(n + 1);
    assert_non_null(in);
    for (size_t i = 0; i < n; i++)
        in[i] = "a\"\\|\n"[i % 5];
    in[n] = '\0';
    char *out = dot(in);
    assert_one_string(out);
    /* per 5 input bytes: a \" \\ \| \\x0a */
    assert_int_equal(strlen(out), 2 + n / 5 * (1 + 2 + 2 + 2 + 5));
    free(out);
    free(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain),
        cmocka_unit_test(test_quotes_backslashes),
        cmocka_unit_test(test_newlines_controls),
        cmocka_unit_test(test_record_and_html),
        cmocka_unit_test(test_long),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
