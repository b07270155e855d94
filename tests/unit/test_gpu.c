/* test_gpu.c -- one GPU's schedule (gpu/gpu_sched.h) against closed forms:
 * a MIG partition's job time is its slice's roofline whatever its
 * neighbours do; a time-sliced job's time is its work x sharers + the
 * context switches; passthrough is the copy at full link + the work at
 * full device; copies in flight together share the link. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gpu/gpu_sched.h"

#define REL 1e-12

static void near(double got, double want, const char *what)
{
    if (!(fabs(got - want) <= REL * fmax(1e-9, fabs(want))))
        fail_msg("%s: got %.15g, want %.15g", what, got, want);
}

/* An A100-40GB-like device, figures as in models/gpus/nvidia-a100-40gb.yaml. */
static gpu_model a100(void)
{
    gpu_model m = {.flops = 19.5e12, .memory_Bps = 1555e9, .memory_bytes = 40e9,
                   .pcie_gen = 4, .pcie_lanes = 16, .compute_slices = 7, .memory_slices = 8,
                   .time_slice_s = 2e-3, .context_switch_s = 64e-6, .max_vgpus = 10};
    const gpu_profile p[] = {{"1g.5gb", 1, 1, 7}, {"2g.10gb", 2, 2, 3}, {"3g.20gb", 3, 4, 2},
                             {"4g.20gb", 4, 4, 1}, {"7g.40gb", 7, 8, 1}};
    memcpy(m.profiles, p, sizeof p);
    m.n_profiles = 5;
    snprintf(m.name, sizeof m.name, "a100");
    return m;
}

enum { MAXI = 8 };
typedef struct fixture {
    gpu_config g;
    gpu_instance in[MAXI];
    gpu_job jobs[MAXI];
} fixture;

static void setup_gpu(fixture *f, gpu_sharing_t sh, size_t n)
{
    memset(f, 0, sizeof *f);
    f->g.model = a100();
    f->g.sharing = sh;
    f->g.time_slice_s = 2e-3;
    f->g.context_switch_s = 64e-6;
    f->g.instances = f->in;
    f->g.n_instances = n;
    for (size_t i = 0; i < n; i++) {
        f->in[i].profile = -1;
        f->in[i].jobs = &f->jobs[i];
        f->in[i].n_jobs = 1;
        f->jobs[i].count = 1;
    }
}

static const double LINK = 25e9;

/* The end of instance i's job k in a finished schedule. */
static double end_of(const gpu_sched *s, int inst, uint32_t k)
{
    for (size_t j = 0; j < s->n_jobs; j++)
        if (s->jobs[j].instance == inst && s->jobs[j].k == k)
            return s->jobs[j].end_s;
    fail_msg("no job %d/%u", inst, k);
    return NAN;
}

/* A 3g.20gb instance's compute-bound and memory-bound jobs take their
 * slice's roofline time, the same alone and beside six busy neighbours. */
static void test_mig_isolated(void **st)
{
    (void)st;
    fixture f;
    setup_gpu(&f, GPU_MIG, 3);
    f.in[0].profile = 2;                        /* 3g.20gb: 3/7 compute, 4/8 memory */
    f.in[1].profile = 1;                        /* 2g.10gb */
    f.in[2].profile = 1;
    f.jobs[0] = (gpu_job){.count = 2, .interval_s = 0, .flop = 1e12, .memory_bytes = 1e9};
    double want1 = 1e12 / (19.5e12 * 3 / 7);    /* compute-bound: 0.1795 s */
    gpu_sched alone;
    f.g.n_instances = 1;
    assert_int_equal(gpu_sched_run(&f.g, LINK, 10, &alone), 0);
    near(end_of(&alone, 0, 0), want1, "alone, job 0");
    near(end_of(&alone, 0, 1), 2 * want1, "alone, job 1 (FIFO)");
    f.g.n_instances = 3;
    f.jobs[1] = (gpu_job){.count = 50, .flop = 5e12, .memory_bytes = 4e11, .h2d_bytes = 1e9};
    f.jobs[2] = f.jobs[1];
    gpu_sched busy;
    assert_int_equal(gpu_sched_run(&f.g, LINK, 10, &busy), 0);
    assert_true(end_of(&alone, 0, 0) == end_of(&busy, 0, 0));
    assert_true(end_of(&alone, 0, 1) == end_of(&busy, 0, 1));
    /* memory-bound: 800 GB at half of 1555 GB/s */
    f.jobs[0] = (gpu_job){.count = 1, .flop = 1e9, .memory_bytes = 800e9};
    gpu_sched mem;
    assert_int_equal(gpu_sched_run(&f.g, LINK, 10, &mem), 0);
    near(end_of(&mem, 0, 0), 800e9 / (1555e9 * 4 / 8), "memory-bound on 4/8 memory slices");
    gpu_sched_free(&alone);
    gpu_sched_free(&busy);
    gpu_sched_free(&mem);
}

/* usable_fraction X (gpu_job.cap_flops/cap_Bps = X x the device's): a job
 * runs at min(share, X) of the device, so a slice at or above X gives the
 * whole-device time, a smaller one share / X of its throughput; a vGPU
 * turn holds the device but works at X (time sliced: no overlap). */
static void test_usable_fraction(void **st)
{
    (void)st;
    const double X = 0.44, F = 19.5e12, W = 1.0;
    fixture f;
    setup_gpu(&f, GPU_MIG, 2);
    f.in[0].profile = 0;                        /* 1g.5gb: 1/7 < X */
    f.in[1].profile = 2;                        /* 3g.20gb: 3/7 < X, 4/8 memory > X */
    for (int i = 0; i < 2; i++)
        f.jobs[i] = (gpu_job){.count = 1, .flop = W * F, .memory_bytes = 100e9,
                              .cap_flops = X * F, .cap_Bps = X * 1555e9};
    gpu_sched m;
    assert_int_equal(gpu_sched_run(&f.g, LINK, 100, &m), 0);
    near(end_of(&m, 0, 0), W * 7, "1g slice below the cap: its own share");
    near(end_of(&m, 1, 0), W * 7 / 3, "3g slice below the cap on compute");
    /* Whole device (passthrough): the cap binds, W / X. */
    setup_gpu(&f, GPU_PASSTHROUGH, 1);
    f.jobs[0] = (gpu_job){.count = 1, .flop = W * F, .cap_flops = X * F, .cap_Bps = X * 1555e9};
    gpu_sched p;
    assert_int_equal(gpu_sched_run(&f.g, LINK, 100, &p), 0);
    near(end_of(&p, 0, 0), W / X, "whole device: the job's cap binds");
    near(p.jobs[0].alone_s, W / X, "alone_s at the capped rate");
    /* Memory-bound at the cap: 100 GB at X x 1555 GB/s. */
    f.jobs[0] = (gpu_job){.count = 1, .flop = 1, .memory_bytes = 100e9, .cap_Bps = X * 1555e9};
    gpu_sched q;
    assert_int_equal(gpu_sched_run(&f.g, LINK, 100, &q), 0);
    near(end_of(&q, 0, 0), 100e9 / (X * 1555e9), "memory traffic at the cap");
    /* Two best-effort vGPUs, one capped: each turn is the whole device
     * for the slice, the capped one progressing at X: it needs W / X of
     * turns, the other W; both share the time. */
    setup_gpu(&f, GPU_VGPU, 2);
    f.g.context_switch_s = 0;
    f.jobs[0] = (gpu_job){.count = 1, .flop = 0.1 * F, .cap_flops = 0.5 * F};
    f.jobs[1] = (gpu_job){.count = 1, .flop = 0.1 * F};
    gpu_sched v;
    assert_int_equal(gpu_sched_run(&f.g, LINK, 100, &v), 0);
    near(end_of(&v, 1, 0), 0.2, "uncapped vGPU: its 0.1 s beside 0.1 s of the other's turns");
    near(end_of(&v, 0, 0), 0.3, "capped vGPU: 0.2 s of turns, the last 0.1 s alone");
    gpu_sched_free(&m);
    gpu_sched_free(&p);
    gpu_sched_free(&q);
    gpu_sched_free(&v);
}

/* Equal share, N vGPUs each with W = k slices, all at 0: job i ends at the
 * end of turn (k-1)N + i, every turn but the first after a switch; the
 * last one at W x N + (kN - 1) switches. */
static void test_vgpu_equal_share(void **st)
{
    (void)st;
    const size_t N = 4;
    const int K = 5;
    const double S = 2e-3, C = 64e-6, W = K * S;
    fixture f;
    setup_gpu(&f, GPU_VGPU, N);
    f.g.policy = GPU_EQUAL_SHARE;
    for (size_t i = 0; i < N; i++)
        f.jobs[i] = (gpu_job){.count = 1, .flop = W * 19.5e12};
    gpu_sched s;
    assert_int_equal(gpu_sched_run(&f.g, LINK, 10, &s), 0);
    for (size_t i = 0; i < N; i++) {
        double turn = (double)((K - 1) * (int)N + (int)i);
        near(end_of(&s, (int)i, 0), turn * (S + C) + S, "equal share, job end");
    }
    near(end_of(&s, (int)N - 1, 0), W * N + (K * (double)N - 1) * C, "work x sharers + switches");
    assert_int_equal(s.switches, K * N - 1);
    near(s.switch_s, (K * (double)N - 1) * C, "switch time");
    gpu_sched_free(&s);
}

/* One busy vGPU among four: best effort gives it the whole device (W, no
 * switch); equal share keeps the three idle turns (W x 4 less the idle
 * turns after its last slice). */
static void test_vgpu_policies_idle(void **st)
{
    (void)st;
    const double S = 2e-3, W = 3 * S + 0.5e-3;  /* 3.25 slices */
    fixture f;
    setup_gpu(&f, GPU_VGPU, 4);
    f.jobs[0] = (gpu_job){.count = 1, .flop = W * 19.5e12};
    for (size_t i = 1; i < 4; i++)
        f.in[i].n_jobs = 0;
    gpu_sched be, eq;
    f.g.policy = GPU_BEST_EFFORT;
    assert_int_equal(gpu_sched_run(&f.g, LINK, 10, &be), 0);
    near(end_of(&be, 0, 0), W, "best effort alone");
    assert_int_equal(be.switches, 0);
    f.g.policy = GPU_EQUAL_SHARE;
    assert_int_equal(gpu_sched_run(&f.g, LINK, 10, &eq), 0);
    near(end_of(&eq, 0, 0), 3 * 4 * S + 0.5e-3, "equal share keeps idle turns");
    assert_int_equal(eq.switches, 0);
    near(eq.device_busy_s, W, "device busy");
    gpu_sched_free(&be);
    gpu_sched_free(&eq);
}

/* Best effort with two busy vGPUs whose work is not a whole number of
 * slices: a turn ends when its vGPU runs out, the other takes the rest. */
static void test_vgpu_best_effort_two(void **st)
{
    (void)st;
    const double S = 2e-3, C = 64e-6;
    fixture f;
    setup_gpu(&f, GPU_VGPU, 2);
    f.g.policy = GPU_BEST_EFFORT;
    f.jobs[0] = (gpu_job){.count = 1, .flop = 1e-3 * 19.5e12};  /* half a slice */
    f.jobs[1] = (gpu_job){.count = 1, .flop = 5e-3 * 19.5e12};  /* 2.5 slices */
    gpu_sched s;
    assert_int_equal(gpu_sched_run(&f.g, LINK, 10, &s), 0);
    near(end_of(&s, 0, 0), 1e-3, "short job ends in its first turn");
    /* then vGPU 1 alone: one switch, and no more (nobody else to switch to) */
    near(end_of(&s, 1, 0), 1e-3 + C + 5e-3, "the other takes the device");
    assert_int_equal(s.switches, 1);
    (void)S;
    gpu_sched_free(&s);
}

/* Passthrough: copy at the full link, then the kernel at the full device;
 * two MIG instances copying at once share the link. */
static void test_passthrough_and_copies(void **st)
{
    (void)st;
    fixture f;
    setup_gpu(&f, GPU_PASSTHROUGH, 1);
    f.jobs[0] = (gpu_job){.count = 3, .interval_s = 0, .flop = 2e12, .memory_bytes = 1e9,
                          .h2d_bytes = 5e9};
    gpu_sched s;
    assert_int_equal(gpu_sched_run(&f.g, LINK, 10, &s), 0);
    double one = 5e9 / LINK + 2e12 / 19.5e12;
    for (uint32_t k = 0; k < 3; k++)
        near(end_of(&s, 0, k), (k + 1) * one, "passthrough, FIFO");
    near(s.jobs[0].alone_s, one, "alone_s");
    gpu_sched_free(&s);

    setup_gpu(&f, GPU_MIG, 2);
    f.in[0].profile = f.in[1].profile = 0;
    f.jobs[0] = (gpu_job){.count = 1, .flop = 1e9, .h2d_bytes = 1e9};
    f.jobs[1] = (gpu_job){.count = 1, .flop = 1e9, .h2d_bytes = 3e9};
    assert_int_equal(gpu_sched_run(&f.g, LINK, 10, &s), 0);
    /* both at LINK/2 until the first has 1 GB: 2 GB / LINK; then the second alone */
    near(s.jobs[0].h2d_end_s, 2e9 / LINK, "shared copy");
    near(s.jobs[1].h2d_end_s, 2e9 / LINK + 2e9 / LINK, "then alone");
    gpu_sched_free(&s);
}

/* Jobs still running at the end of the run are unfinished (NaN end). */
static void test_unfinished(void **st)
{
    (void)st;
    fixture f;
    setup_gpu(&f, GPU_PASSTHROUGH, 1);
    f.jobs[0] = (gpu_job){.count = 3, .interval_s = 0.55, .start_s = 0.1, .flop = 0.4 * 19.5e12};
    gpu_sched s;
    assert_int_equal(gpu_sched_run(&f.g, LINK, 1.0, &s), 0);
    near(end_of(&s, 0, 0), 0.5, "first");
    assert_true(isnan(end_of(&s, 0, 1)));
    assert_int_equal(s.inst[0].done, 1);
    assert_int_equal(s.inst[0].unfinished, 2);
    near(s.inst[0].busy_s, 0.4 + 0.35, "busy until the end");
    gpu_sched_free(&s);
}

/* ---- the steppable run (gpu_run_*): what the live model does ---------- */

/* The test plays the engine: copies in flight share LINK equally. */
typedef struct copies {
    double left[MAXI];
    int on[MAXI];
} copies;

static void on_copy(void *arg, size_t inst, double bytes, double t)
{
    (void)t;
    copies *c = arg;
    c->left[inst] = bytes;
    c->on[inst] = 1;
}

/* Runs f's schedule stepped: to each of its own events and each copy end,
 * plus an extra wake every `poke` seconds (timers that find nothing due). */
static void run_stepped(const gpu_config *g, double until, double poke, gpu_sched *out)
{
    copies c = {0};
    gpu_run *R = gpu_run_start(g, LINK, NULL, 0, on_copy, &c, out);
    assert_non_null(R);
    double t = 0, next = gpu_run_until(R, 0), next_poke = poke;
    while (t < until) {
        int n = 0;
        for (size_t i = 0; i < g->n_instances; i++)
            n += c.on[i];
        double rate = n ? LINK / n : 0, tc = INFINITY;
        size_t who = 0;
        for (size_t i = 0; i < g->n_instances; i++)
            if (c.on[i] && t + c.left[i] / rate < tc) {
                tc = t + c.left[i] / rate;
                who = i;
            }
        double tn = fmin(fmin(next, tc), fmin(next_poke, until));
        for (size_t i = 0; i < g->n_instances; i++)
            if (c.on[i])
                c.left[i] -= rate * (tn - t);
        t = tn;
        if (t == next_poke)
            next_poke += poke;
        if (t == tc) {
            c.on[who] = 0;
            next = gpu_run_copy_done(R, who, t);
        } else {
            next = gpu_run_until(R, t);
        }
    }
    gpu_run_until(R, until);
    gpu_run_end(R);
}

/* Stepped from outside (copies by the caller, extra wakes or none), a
 * schedule gives the pure one's times: vgpu best effort, copies of two
 * instances overlapping each other and the other's turns; MIG. */
static void test_stepped_equals_pure(void **st)
{
    (void)st;
    fixture f;
    for (int mode = 0; mode < 2; mode++) {
        setup_gpu(&f, mode ? GPU_MIG : GPU_VGPU, 2);
        if (mode)
            f.in[0].profile = f.in[1].profile = 1;
        f.g.policy = GPU_BEST_EFFORT;
        f.jobs[0] = (gpu_job){.count = 20, .interval_s = 9e-3, .flop = 5e-3 * 19.5e12,
                              .h2d_bytes = 128e6};
        f.jobs[1] = (gpu_job){.count = 30, .interval_s = 5e-3, .start_s = 1e-3,
                              .flop = 3e-3 * 19.5e12, .h2d_bytes = 32e6};
        gpu_sched pure, a, b;
        assert_int_equal(gpu_sched_run(&f.g, LINK, 0.5, &pure), 0);
        run_stepped(&f.g, 0.5, INFINITY, &a);
        run_stepped(&f.g, 0.5, 0.7e-3, &b);
        assert_int_equal(a.n_jobs, pure.n_jobs);
        for (size_t j = 0; j < pure.n_jobs; j++) {
            near(a.jobs[j].h2d_end_s, pure.jobs[j].h2d_end_s, "stepped copy end");
            near(a.jobs[j].end_s, pure.jobs[j].end_s, "stepped end");
            near(b.jobs[j].end_s, pure.jobs[j].end_s, "stepped with extra wakes");
        }
        assert_int_equal(a.switches, pure.switches);
        near(a.device_busy_s, pure.device_busy_s, "device busy");
        assert_int_equal(a.inst[1].done, pure.inst[1].done);
        assert_int_equal(b.inst[1].unfinished, pure.inst[1].unfinished);
        gpu_sched_free(&pure);
        gpu_sched_free(&a);
        gpu_sched_free(&b);
    }
}

/* A vGPU moved to another GPU (gpu_run_move, a live migration's resume)
 * keeps its job in hand there, and the equal-share rotation it left skips
 * its absent slot: with two busy vGPUs A and B in 2 ms slices (no switch
 * cost), B leaves at 20 ms with 10 ms done; A then runs alone (keeping
 * B's turn, idle, would double A's time). On the destination B joins
 * after D, which has no work: equal share keeps D's idle turns, so B runs
 * every other slice. */
static void test_move_absent_skipped(void **st)
{
    (void)st;
    const double S = 2e-3, W = 0.1, T = 10 * S;
    fixture f, d;
    setup_gpu(&f, GPU_VGPU, 2);
    setup_gpu(&d, GPU_VGPU, 1);
    f.g.policy = d.g.policy = GPU_EQUAL_SHARE;
    f.g.context_switch_s = d.g.context_switch_s = 0;
    f.jobs[0] = f.jobs[1] = (gpu_job){.count = 1, .flop = W * 19.5e12};
    d.in[0].n_jobs = 0;
    gpu_sched a, b;
    gpu_run *ra = gpu_run_start(&f.g, LINK, NULL, 0, NULL, NULL, &a);
    gpu_run *rb = gpu_run_start(&d.g, LINK, NULL, 0, NULL, NULL, &b);
    assert_non_null(ra);
    assert_non_null(rb);
    gpu_run_set_gpu(ra, 0);
    gpu_run_set_gpu(rb, 1);
    assert_int_equal(gpu_run_move(ra, rb, 0, 1, T), 0);
    assert_int_equal(gpu_run_move(ra, rb, 0, 1, T), -1); /* not on ra any more */
    gpu_run_to(ra, 1);
    gpu_run_to(rb, 1);
    near(end_of(&a, 0, 0), T + (W - T / 2), "A alone once B left");
    near(end_of(&a, 1, 0), T + (W - T / 2) / S * 2 * S - S, "B every other slice on the destination");
    assert_int_equal(a.jobs[0].end_gpu + a.jobs[1].end_gpu, 1);
    near(a.inst[1].busy_s, W, "B's row counts its busy time on both GPUs");
    near(b.device_busy_s, W - T / 2, "the destination's device ran B's rest");
    gpu_run_end(ra);
    gpu_run_end(rb);
    assert_int_equal(a.inst[1].unfinished, 0);
    gpu_sched_free(&a);
    gpu_sched_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mig_isolated),
        cmocka_unit_test(test_usable_fraction),
        cmocka_unit_test(test_vgpu_equal_share),
        cmocka_unit_test(test_vgpu_policies_idle),
        cmocka_unit_test(test_vgpu_best_effort_two),
        cmocka_unit_test(test_passthrough_and_copies),
        cmocka_unit_test(test_unfinished),
        cmocka_unit_test(test_stepped_equals_pure),
        cmocka_unit_test(test_move_absent_skipped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
