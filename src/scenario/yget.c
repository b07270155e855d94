/* yget.c -- the typed reads of ynode.h (yget_*, ynode_as_*): a scalar
 * into an integer, a bool, a number or a quantity with units, each checked
 * against the key's range and reported at the scalar's line:column. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/ynode.h"

/* ---- typed reads --------------------------------------------------------------- */

int ynode_as_scalar(diag *d, const ynode *n, const char *what)
{
    if (n->kind != YNODE_SCALAR) {
        ynode_error(d, n, NULL, "expected a scalar for %s, got %s", what,
                    ynode_kind_name(n->kind));
        return -1;
    }
    if (ynode_is_null(n)) {
        ynode_error(d, n, NULL, "%s has no value", what);
        return -1;
    }
    return 0;
}

/* s is one or more decimal digits and nothing else: what strtoll and
 * strtoull accept without a sign, spaces or a suffix. */
static bool all_digits(const char *s)
{
    if (*s == '\0')
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

int ynode_as_int(diag *d, const ynode *n, const char *what,
                 long long lo, long long hi, long long *out)
{
    if (ynode_as_scalar(d, n, what))
        return -1;
    const char *s = n->text;
    if (!all_digits(s[0] == '-' ? s + 1 : s)) {
        ynode_error(d, n, NULL, "expected an integer for %s, got '%s'", what, s);
        return -1;
    }
    errno = 0;
    long long v = strtoll(s, NULL, 10);
    if (errno == ERANGE || v < lo || v > hi) {
        ynode_error(d, n, NULL, "%s must be between %lld and %lld, got %s",
                    what, lo, hi, s);
        return -1;
    }
    *out = v;
    return 0;
}

/* Reports unless v is in r (or is 0 and zero_ok). The message says which
 * side it fell off; the fix names the whole range. */
static int check_range(diag *d, const ynode *n, const char *what, unit_kind kind,
                       unit_range r, bool zero_ok, double v)
{
    if ((v >= r.lo && v <= r.hi) || (zero_ok && v == 0))
        return 0;
    static const char *const nouns[] = {"a size", "a rate", "a time", "a frequency"};
    char hint[160];
    snprintf(hint, sizeof hint, "use %s from %s to %s%s (docs/scenario.md, Ranges)",
             nouns[kind], r.lo_text, r.hi_text, zero_ok ? ", or 0" : "");
    if (v > r.hi)
        ynode_error(d, n, hint, "%s '%s' is too large (at most %s)", what, n->text, r.hi_text);
    else
        ynode_error(d, n, hint, "%s '%s' is too small (at least %s)", what, n->text,
                    r.lo_text);
    return -1;
}

/* A network rate in bytes per second (a capital B: 10GBps is 80 Gb/s) is
 * legal, but far more often a typo for bits: say both readings. Memory
 * rates (a migration's dirty_rate and bandwidth) are naturally in bytes. */
static void warn_byte_rate(diag *d, const ynode *n, const char *what, unit_kind kind, double bps)
{
    const char *u = n->text + strspn(n->text, "0123456789.eE+-");
    if (kind != UNIT_RATE || strstr(u, "Bps") == NULL || strstr(what, "dirty_rate") ||
        strstr(what, "bandwidth"))
        return;
    ynode_warning(d, n, "write bps for bits per second (network rates are usually bits)",
                  "%s '%s' is in bytes per second: %.6g Gb/s, not %.6g Gb/s", what, n->text,
                  bps / 1e9, bps / 8e9);
}

/* yget_quantity on a node already in hand. */
static int as_quantity(diag *d, const ynode *n, const char *what,
                       unit_kind kind, bool positive, unit_range r, double *out)
{
    if (ynode_as_scalar(d, n, what))
        return -1;
    char err[256];
    double v;
    if (units_parse(n->text, kind, &v, err, sizeof err)) {
        ynode_error(d, n, units_hint(kind), "%s: %s", what, err);
        return -1;
    }
    warn_byte_rate(d, n, what, kind, v);
    if (positive && !(v > 0)) {
        ynode_error(d, n, NULL, "%s must be greater than zero, got '%s'",
                    what, n->text);
        return -1;
    }
    if (check_range(d, n, what, kind, r, !positive, v))
        return -1;
    *out = v;
    return 0;
}

/* "'key'" for messages. */
static const char *quoted(const char *key, char *buf, size_t len)
{
    snprintf(buf, len, "'%s'", key);
    return buf;
}

int yget_string(diag *d, const ynode *map, const char *key, char **out)
{
    const ynode *n = ynode_get(map, key);
    char what[96];
    if (!n)
        return 0;
    if (ynode_as_scalar(d, n, quoted(key, what, sizeof what)))
        return -1;
    free(*out);
    *out = sc_xstrdup(n->text);
    return 1;
}

int yget_int(diag *d, const ynode *map, const char *key,
             long long lo, long long hi, int *out)
{
    const ynode *n = ynode_get(map, key);
    char what[96];
    long long v;
    if (!n)
        return 0;
    if (ynode_as_int(d, n, quoted(key, what, sizeof what), lo, hi, &v))
        return -1;
    *out = (int)v;
    return 1;
}

int yget_u64(diag *d, const ynode *map, const char *key, uint64_t *out)
{
    const ynode *n = ynode_get(map, key);
    char what[96];
    if (!n)
        return 0;
    if (ynode_as_scalar(d, n, quoted(key, what, sizeof what)))
        return -1;
    bool digits = all_digits(n->text);
    errno = 0;
    unsigned long long v = digits ? strtoull(n->text, NULL, 10) : 0;
    if (!digits || errno == ERANGE) {
        ynode_error(d, n, NULL, "expected an integer from 0 to %llu for %s, got '%s'",
                    (unsigned long long)UINT64_MAX, what, n->text);
        return -1;
    }
    *out = v;
    return 1;
}

int yget_bool(diag *d, const ynode *map, const char *key, bool *out)
{
    const ynode *n = ynode_get(map, key);
    char what[96];
    if (!n)
        return 0;
    if (ynode_as_scalar(d, n, quoted(key, what, sizeof what)))
        return -1;
    if (strcmp(n->text, "true") == 0 || strcmp(n->text, "false") == 0) {
        *out = n->text[0] == 't';
        return 1;
    }
    ynode_error(d, n, NULL, "expected true or false for %s, got '%s'", what, n->text);
    return -1;
}

int yget_number(diag *d, const ynode *map, const char *key, double lo, double hi,
                double *out)
{
    const ynode *n = ynode_get(map, key);
    char what[96];
    if (!n)
        return 0;
    if (ynode_as_scalar(d, n, quoted(key, what, sizeof what)))
        return -1;
    char *end;
    double v = strtod(n->text, &end);
    bool ok = (n->text[0] >= '0' && n->text[0] <= '9') || n->text[0] == '.';
    if (!ok || *end != '\0' || !isfinite(v)) {
        ynode_error(d, n, NULL, "expected a non-negative number for %s, got '%s'",
                    what, n->text);
        return -1;
    }
    if (v < lo || v > hi) {
        char hint[96];
        snprintf(hint, sizeof hint, "use a number from %g to %g (docs/scenario.md, Ranges)",
                 lo, hi);
        ynode_error(d, n, hint, "%s must be between %g and %g, got %s", what, lo, hi, n->text);
        return -1;
    }
    *out = v;
    return 1;
}

int yget_quantity_in(diag *d, const ynode *map, const char *key, unit_kind kind,
                     bool positive, unit_range r, double *out)
{
    const ynode *n = ynode_get(map, key);
    char what[96];
    if (!n)
        return 0;
    if (as_quantity(d, n, quoted(key, what, sizeof what), kind, positive, r, out))
        return -1;
    return 1;
}

int yget_quantity(diag *d, const ynode *map, const char *key, unit_kind kind,
                  bool positive, double *out)
{
    return yget_quantity_in(d, map, key, kind, positive, units_range(kind), out);
}

int yget_enum(diag *d, const ynode *map, const char *key,
              const char *const *names, int *out)
{
    const ynode *n = ynode_get(map, key);
    char what[96];
    if (!n)
        return 0;
    if (ynode_as_scalar(d, n, quoted(key, what, sizeof what)))
        return -1;
    for (int i = 0; names[i]; i++)
        if (strcmp(n->text, names[i]) == 0) {
            *out = i;
            return 1;
        }
    char choices[256] = "";
    for (int i = 0; names[i]; i++) {
        if (i)
            strncat(choices, " | ", sizeof choices - strlen(choices) - 1);
        strncat(choices, names[i], sizeof choices - strlen(choices) - 1);
    }
    const char *near = ynode_nearest(n->text, names);
    char hint[320];
    if (near)
        snprintf(hint, sizeof hint, "did you mean '%s'? (one of %s)", near, choices);
    else
        snprintf(hint, sizeof hint, "use one of %s", choices);
    ynode_error(d, n, hint, "invalid value '%s' for %s", n->text, what);
    return -1;
}
