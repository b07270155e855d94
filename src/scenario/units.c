/* units.c -- see units.h. Hand-rolled number scanning rather than bare
 * strtod(): strtod also accepts "inf", "nan", hex floats and leading blanks,
 * none of which a scenario should contain. */
#include "scenario/units.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct suffix {
    const char *text;
    double factor;          /* multiply the number by this to get base units */
} suffix;

/* "a size such as 4KiB" etc.: used in messages. */
static const char *units_example(unit_kind kind)
{
    switch (kind) {
    case UNIT_SIZE: return "a size such as 4KiB";
    case UNIT_RATE: return "a rate such as 25Gbps";
    case UNIT_TIME: return "a time such as 10ms";
    case UNIT_FREQ: return "a frequency such as 2.5GHz";
    }
    return "a quantity";
}

/* Length of the leading decimal number in s, 0 if there is none. */
static size_t scan_number(const char *s)
{
    size_t i = 0, digits = 0;
    while (s[i] >= '0' && s[i] <= '9') { i++; digits++; }
    if (s[i] == '.') {
        i++;
        while (s[i] >= '0' && s[i] <= '9') { i++; digits++; }
    }
    if (digits == 0)
        return 0;
    if (s[i] == 'e' || s[i] == 'E') {
        size_t j = i + 1;
        if (s[j] == '+' || s[j] == '-')
            j++;
        if (s[j] >= '0' && s[j] <= '9') {
            while (s[j] >= '0' && s[j] <= '9')
                j++;
            i = j;
        }
    }
    return i;
}

/* Splits a unit like "KiB" into a prefix factor and the base unit. */
static const char *strip_prefix(const char *u, double *factor)
{
    static const suffix iec[] = {
        {"Ki", 1024.0}, {"Mi", 1048576.0}, {"Gi", 1073741824.0},
        {"Ti", 1099511627776.0},
    };
    static const suffix si[] = {
        {"k", 1e3}, {"K", 1e3}, {"M", 1e6}, {"G", 1e9}, {"T", 1e12},
    };
    for (size_t i = 0; i < sizeof iec / sizeof iec[0]; i++)
        if (strncmp(u, iec[i].text, 2) == 0) {
            *factor = iec[i].factor;
            return u + 2;
        }
    for (size_t i = 0; i < sizeof si / sizeof si[0]; i++)
        if (u[0] == si[i].text[0] && u[1] != '\0') {
            *factor = si[i].factor;
            return u + 1;
        }
    *factor = 1.0;
    return u;
}

/* Factor from the unit text to base units (value = number * factor /
 * *divisor), or 0 when the unit is not one of this kind's. Dividing by an
 * exact divisor rounds once, where multiplying by an inexact 1e-6 would
 * round twice (10us would be 9.999999999999999e-06). */
static double unit_factor(const char *u, unit_kind kind, double *divisor)
{
    *divisor = 1.0;
    /* factors below 1 are stored as their inverse, a divisor */
    static const suffix times[] = {
        {"ns", 1e9}, {"us", 1e6}, {"ms", 1e3}, {"s", 1.0},
        {"min", 60.0}, {"h", 3600.0},
    };
    if (kind == UNIT_TIME) {
        for (size_t i = 0; i < sizeof times / sizeof times[0]; i++)
            if (strcmp(u, times[i].text) == 0) {
                if (i < 3) {
                    *divisor = times[i].factor;
                    return 1.0;
                }
                return times[i].factor;
            }
        return 0;
    }
    double prefix;
    const char *base = strip_prefix(u, &prefix);
    switch (kind) {
    case UNIT_SIZE:
        if (strcmp(base, "B") == 0) return prefix;
        if (strcmp(base, "b") == 0) { *divisor = 8.0; return prefix; }
        return 0;
    case UNIT_RATE:
        if (strcmp(base, "bps") == 0) return prefix;
        if (strcmp(base, "Bps") == 0) return prefix * 8.0;
        return 0;
    case UNIT_FREQ:
        /* Binary prefixes make no sense for a frequency. */
        if (strcmp(base, "Hz") == 0 && base - u <= 1) return prefix;
        return 0;
    case UNIT_TIME:
        break;
    }
    return 0;
}

int units_parse(const char *text, unit_kind kind, double *out,
                char *err, size_t errlen)
{
    if (text[0] == '-') {
        snprintf(err, errlen, "expected %s, got '%s' (must not be negative)",
                 units_example(kind), text);
        return -1;
    }
    size_t n = scan_number(text);
    if (n == 0) {
        snprintf(err, errlen, "expected %s, got '%s'", units_example(kind), text);
        return -1;
    }
    const char *unit = text + n;
    if (*unit == '\0') {
        snprintf(err, errlen, "expected %s, got '%s' (a bare number has no unit)",
                 units_example(kind), text);
        return -1;
    }
    double divisor;
    double factor = unit_factor(unit, kind, &divisor);
    if (factor == 0) {
        snprintf(err, errlen, "expected %s, got '%s' (unknown unit '%s')",
                 units_example(kind), text, unit);
        return -1;
    }
    char number[64];
    if (n >= sizeof number) {
        snprintf(err, errlen, "expected %s, got '%s' (number too long)",
                 units_example(kind), text);
        return -1;
    }
    memcpy(number, text, n);
    number[n] = '\0';
    double v = strtod(number, NULL) * factor / divisor;
    if (!isfinite(v)) {
        snprintf(err, errlen, "%s is too large", text);
        return -1;
    }
    *out = v;
    return 0;
}

const char *units_hint(unit_kind kind)
{
    switch (kind) {
    case UNIT_SIZE: return "a number and a unit, no space: B KB MB GB TB or KiB MiB GiB TiB (b for bits), e.g. 1500B, 8MiB";
    case UNIT_RATE: return "a number and a unit, no space: bps Kbps Mbps Gbps Tbps (bits/s) or Bps KBps MBps GBps (bytes/s), e.g. 25Gbps";
    case UNIT_TIME: return "a number and a unit, no space: ns us ms s min h, e.g. 2us, 100ms";
    case UNIT_FREQ: return "a number and a unit, no space: Hz kHz MHz GHz, e.g. 2.5GHz";
    }
    return NULL;
}

unit_range units_range(unit_kind kind)
{
    switch (kind) {
    case UNIT_SIZE: return (unit_range){1.0, 1125899906842624.0, "1B", "1024TiB"};
    case UNIT_RATE: return (unit_range){1.0, 1.6e12, "1bps", "1.6Tbps"};
    /* Past about 1e9 s the simulated clock (a double, in seconds) no
     * longer resolves SimGrid's 1 ns accuracy and the engine can stall on
     * steps that round to nothing; nobody simulates decades of a data
     * centre. Below 1 ns is below SimGrid's accuracy. */
    case UNIT_TIME: return (unit_range){1e-9, 1e9, "1ns", "1e9s"};
    case UNIT_FREQ: return (unit_range){1e6, 1e12, "1MHz", "1000GHz"};
    }
    return (unit_range){0, 0, "0", "0"};
}

unit_range units_delay_range(void)
{
    return (unit_range){1e-9, 100.0, "1ns", "100s"};
}

unit_range scn_port_buffer_range(void)
{
    return (unit_range){1024.0, 1073741824.0, "1KiB", "1GiB"};
}

int units_parse_rate(const char *text, double *bps, char *err, size_t errlen)
{
    return units_parse(text, UNIT_RATE, bps, err, errlen);
}

int units_parse_time(const char *text, double *seconds, char *err, size_t errlen)
{
    return units_parse(text, UNIT_TIME, seconds, err, errlen);
}

void units_format_double(double v, char *buf, size_t buflen)
{
    for (int precision = 15; precision <= 17; precision++) {
        snprintf(buf, buflen, "%.*g", precision, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}
