/* units.h -- quantities with units, as written in scenarios, into doubles.
 *
 * Every parser takes the whole scalar text (no surrounding blanks) and writes
 * the value in base units: bytes, bits per second, seconds, hertz. A bare
 * number, an unknown suffix, NaN, infinity, a negative value or a value that
 * overflows a double are errors: the parser returns -1 and writes a message
 * fit for a diagnostic ("expected a rate such as 25Gbps, got '25'") into
 * err[0..errlen). On success it returns 0 and leaves err untouched.
 *
 * Grammar: NUMBER PREFIX? UNIT, no blank in between.
 *   NUMBER  decimal digits with an optional fraction and exponent (1.5e3);
 *           no sign, no hex, no "inf"/"nan".
 *   PREFIX  SI  k K M G T (1e3, 1e6, 1e9, 1e12)
 *           IEC Ki Mi Gi Ti (2^10 .. 2^40)
 *   sizes:  B (bytes), b (bits: 8b = 1B)           1500B 4KiB 16GiB 1GB
 *   rates:  bps (bit/s), Bps (byte/s = 8 bit/s)   25Gbps 3.125GBps
 *   times:  ns us ms s min h                       100ms 10s
 *   freqs:  Hz with an SI prefix                   2.5GHz
 */
#ifndef SRIOV_UNITS_H
#define SRIOV_UNITS_H

#include <stddef.h>

typedef enum { UNIT_SIZE = 0, UNIT_RATE, UNIT_TIME, UNIT_FREQ } unit_kind;

/* The values a scenario key of a kind accepts, in base units, with the
 * texts messages and docs/scenario.md ("Ranges") show. Generous bounds of
 * what is physically sensible: inside them every model computes in range
 * (no overflow to infinity, no denormal rates), outside them a run failed
 * late or computed nonsense. Keys that may be 0 (off, unlimited, at once)
 * accept 0 besides [lo, hi]; the caller says which. */
typedef struct unit_range {
    double lo, hi;
    const char *lo_text, *hi_text;
} unit_range;

/* The default range of a kind: sizes 1B..1024TiB (1 PiB), rates
 * 1bps..1.6Tbps, times 1ns..1e9s (the simulated clock; see load.c),
 * frequencies 1MHz..1000GHz. */
/* The fix line for a value of kind that did not parse: the units it takes. */
const char *units_hint(unit_kind kind);
unit_range units_range(unit_kind kind);
/* Per-operation delays (latencies, costs, plug times, downtimes): 1ns..100s. */
unit_range units_delay_range(void);
/* Port buffers (adapters[].port_buffer, fabric.tor_port_buffer): 1KiB..1GiB. */
unit_range scn_port_buffer_range(void);

/* Generic entry point; the two helpers below call it. */
int units_parse(const char *text, unit_kind kind, double *out,
                char *err, size_t errlen);

int units_parse_rate(const char *text, double *bps, char *err, size_t errlen);
int units_parse_time(const char *text, double *seconds, char *err, size_t errlen);

/* Writes v in the shortest decimal form that reads back as exactly v
 * ("25000000000", "0.1"), for emitting values that must round-trip. */
void units_format_double(double v, char *buf, size_t buflen);

#endif
