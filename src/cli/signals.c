/* signals.c -- see signals.h. */
#include "cli/signals.h"

#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

/* The handler's whole world. volatile: written by the run, read by the
 * handler, which may interrupt any instruction. A double store is not
 * guaranteed atomic in C, but on every target we build for (x86-64,
 * aarch64) an aligned 8-byte store is, and a torn value would only garble
 * a progress number in a message. */
static struct {
    volatile double now_s;
    volatile double duration_s;
    volatile sig_atomic_t reinstalled;  /* signals_note_progress did it */
    volatile sig_atomic_t done;         /* results complete: name them */
    char done_path[1024];               /* a copy: the caller's may be freed */
} sig_state;

/* ---- formatting without stdio (async-signal-safe) ------------------------- */

typedef struct sbuf {
    char text[512];
    size_t len;
} sbuf;

static void sb_str(sbuf *b, const char *s)
{
    size_t n = strlen(s);   /* strlen is async-signal-safe (POSIX.1-2016) */
    if (n > sizeof b->text - b->len)
        n = sizeof b->text - b->len;
    memcpy(b->text + b->len, s, n);
    b->len += n;
}

/* A non-negative number with three decimals ("12.345"); enough to say
 * where a run stopped. Huge or odd values are clamped, not formatted. */
static void sb_time(sbuf *b, double v)
{
    if (!(v >= 0))
        v = 0;
    if (v > 1e15)
        v = 1e15;
    unsigned long long milli = (unsigned long long)(v * 1000.0 + 0.5);
    char digits[32];
    int n = 0;
    do {
        digits[n++] = (char)('0' + milli % 10);
        milli /= 10;
    } while (milli > 0 || n < 4);
    char out[40];
    size_t k = 0;
    while (n > 0) {
        if (n == 3)
            out[k++] = '.';
        out[k++] = digits[--n];
    }
    out[k] = '\0';
    sb_str(b, out);
}

/* ---- the handler ------------------------------------------------------------ */

static void on_signal(int sig)
{
    sbuf b = {.len = 0};
    if (sig_state.done) {
        sb_str(&b, "sriov-sim: interrupted after the results were written to ");
        sb_str(&b, sig_state.done_path);
    } else {
        sb_str(&b, "sriov-sim: interrupted at simulated time ");
        sb_time(&b, sig_state.now_s);
        sb_str(&b, " s of ");
        sb_time(&b, sig_state.duration_s);
        sb_str(&b, " s; no results written");
    }
    sb_str(&b, "\n");
    ssize_t w = write(STDERR_FILENO, b.text, b.len);
    (void)w;
    _exit(128 + sig);
}

static void set_handlers(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGINT);     /* one message, even if both arrive */
    sigaddset(&sa.sa_mask, SIGTERM);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

void signals_install(double duration_s)
{
    sig_state.now_s = 0;
    sig_state.duration_s = duration_s;
    sig_state.reinstalled = 0;
    sig_state.done = 0;
    set_handlers();
}

void signals_note_progress(double t_s)
{
    sig_state.now_s = t_s;
    if (!sig_state.reinstalled) {
        sig_state.reinstalled = 1;
        set_handlers();
    }
}

static void mask_signals(int how)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigprocmask(how, &set, NULL);
}

void signals_hold(void)
{
    /* SimGrid's handler may still be the installed one if the sampler
     * never ran; ours must handle whatever is held back. */
    set_handlers();
    mask_signals(SIG_BLOCK);
}

void signals_release(const char *out_path)
{
    if (out_path) {
        /* Signals are still held, so the handler cannot see a half copy. */
        size_t n = strlen(out_path);
        if (n >= sizeof sig_state.done_path)
            n = sizeof sig_state.done_path - 1;
        memcpy(sig_state.done_path, out_path, n);
        sig_state.done_path[n] = '\0';
        sig_state.done = 1;
    }
    mask_signals(SIG_UNBLOCK);
}
