/* cpu.c -- see cpu.h. */
#include "virtio/cpu.h"

#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/exec.h>

double vthread_cycles(const vthread *t)
{
    return t->done + (t->exec ? t->size - sg_exec_get_remaining(t->exec) : 0);
}

void vthread_set(vthread *t, int host, sg_host_t sg, double bound_cps, double horizon_s)
{
    if (host == t->host && bound_cps == t->bound_cps)
        return;
    if (t->exec) {
        t->done = vthread_cycles(t);
        sg_exec_cancel(t->exec);
        t->exec = NULL;
    }
    t->host = host;
    t->bound_cps = bound_cps;
    t->changed_s = simgrid_get_clock();
    if (bound_cps <= 0 || !sg)
        return;
    /* twice what the cap allows over the whole run: it never completes */
    t->size = 2.0 * bound_cps * (horizon_s + 1.0);
    t->exec = sg_actor_exec_init(t->size);
    sg_exec_set_host(t->exec, sg);
    sg_exec_set_bound(t->exec, bound_cps);
    sg_exec_start(t->exec);
}
