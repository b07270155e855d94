/* latency_feed.c -- the feeders of each link; see latency_feed.h. */
#include "metrics/latency_feed.h"

#include <math.h>
#include <stdlib.h>

/* Feeder ids: a link's index (>= 0), or -1 - flow for a flow's source. */
typedef struct feed_row {
    long id[LAT_FEED_MAX];
    double cap_Bps;          /* sum over the distinct feeders */
    unsigned n;              /* distinct feeders, LAT_FEED_MAX + 1 = many */
} feed_row;

struct lat_feed {
    size_t n_links;
    feed_row *row;
    double *out_Bps;         /* [link] what it can pass on, last pass */
    double *cap_Bps;         /* [link] its capacity, as declared */
};

lat_feed *lat_feed_new(size_t n_links) {
    lat_feed *f = calloc(1, sizeof *f);
    if (!f) return NULL;
    size_t n = n_links ? n_links : 1;
    f->row = calloc(n, sizeof *f->row);
    f->out_Bps = calloc(n, sizeof *f->out_Bps);
    f->cap_Bps = calloc(n, sizeof *f->cap_Bps);
    f->n_links = n_links;
    if (!f->row || !f->out_Bps || !f->cap_Bps) {
        lat_feed_free(f);
        return NULL;
    }
    lat_feed_reset(f);
    return f;
}

void lat_feed_free(lat_feed *f) {
    if (!f) return;
    free(f->row);
    free(f->out_Bps);
    free(f->cap_Bps);
    free(f);
}

void lat_feed_pass(lat_feed *f) {
    for (size_t l = 0; l < f->n_links; l++) {
        f->row[l].n = 0;
        f->row[l].cap_Bps = 0;
    }
}

void lat_feed_reset(lat_feed *f) {
    lat_feed_pass(f);
    for (size_t l = 0; l < f->n_links; l++) f->out_Bps[l] = INFINITY;
}

int lat_feed_settle(lat_feed *f) {
    int changed = 0;
    for (size_t l = 0; l < f->n_links; l++) {
        if (f->row[l].n == 0) continue;
        double out = fmin(f->cap_Bps[l], f->row[l].cap_Bps);
        if (out < f->out_Bps[l] * (1 - 1e-12)) changed = 1;
        f->out_Bps[l] = out;
    }
    return changed;
}

static void add_feeder(feed_row *r, long id, double cap_Bps) {
    if (r->n > LAT_FEED_MAX) return;
    for (unsigned i = 0; i < r->n; i++)
        if (r->id[i] == id) return;
    if (r->n == LAT_FEED_MAX) {
        r->n++;
        r->cap_Bps = INFINITY;
        return;
    }
    r->id[r->n++] = id;
    r->cap_Bps += cap_Bps;
}

void lat_feed_flow(lat_feed *f, const int *links, const unsigned char *transparent,
                   const double *cap_Bps, size_t n, double src_Bps, size_t flow) {
    long prev = -1 - (long)flow;
    double prev_cap = src_Bps;
    for (size_t i = 0; i < n; i++) {
        if (links[i] < 0 || (size_t)links[i] >= f->n_links) continue;
        add_feeder(&f->row[links[i]], prev, prev_cap);
        f->cap_Bps[links[i]] = cap_Bps[i];
        if (transparent && transparent[i]) continue;
        prev = links[i];
        prev_cap = fmin(cap_Bps[i], f->out_Bps[links[i]]);
    }
}

int lat_feed_can_queue(const lat_feed *f, int link, double cap_Bps) {
    if (link < 0 || (size_t)link >= f->n_links) return 1;
    const feed_row *r = &f->row[link];
    /* 1e-9 relative: two links built from the same rate are equal. */
    return r->n == 0 || r->cap_Bps > cap_Bps * (1 + 1e-9);
}

int lat_feed_sole_feeder(const lat_feed *f, int link) {
    if (link < 0 || (size_t)link >= f->n_links) return -1;
    const feed_row *r = &f->row[link];
    return r->n == 1 && r->id[0] >= 0 ? (int)r->id[0] : -1;
}
