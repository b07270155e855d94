/* rvf.c -- see rvf.h. */
#include "report/rvf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/rplot.h"

typedef struct vf_rows {
    size_t n;
    char **host, **adapter, **vm, **nic;
    double *vf;
} vf_rows;

static void vf_rows_free(vf_rows *v)
{
    rp_free_strings(v->host, v->n);
    rp_free_strings(v->adapter, v->n);
    rp_free_strings(v->vm, v->n);
    rp_free_strings(v->nic, v->n);
    free(v->vf);
}

static int read_vf_rows(hid_t file, vf_rows *v)
{
    memset(v, 0, sizeof *v);
    hid_t d = H5Dopen2(file, "/vfs", H5P_DEFAULT);
    if (d < 0)
        return -1;
    hssize_t n = rp_dataset_elements(d);
    if (n > 0) {
        v->n = (size_t)n;
        v->host = rp_read_string_field(d, "host", v->n);
        v->adapter = rp_read_string_field(d, "adapter", v->n);
        v->vm = rp_read_string_field(d, "vm", v->n);
        v->nic = rp_read_string_field(d, "nic", v->n);
        v->vf = rp_read_number_field(d, "vf", v->n);
    }
    H5Dclose(d);
    return v->host && v->adapter && v->vm && v->nic && v->vf ? 0 : -1;
}

void rp_label_vfs(hid_t file, matrix *m)
{
    vf_rows v;
    if (read_vf_rows(file, &v) != 0) {
        vf_rows_free(&v);
        return;
    }
    char name[512];
    for (size_t r = 0; r < v.n; r++) {
        if (v.vm[r][0] == '\0' || !isfinite(v.vf[r]))
            continue;
        snprintf(name, sizeof name, "%s.%s.vf%.0f", v.host[r], v.adapter[r], v.vf[r]);
        for (size_t c = 0; c < m->cols; c++) {
            if (strcmp(m->names[c], name) != 0)
                continue;
            size_t len = strlen(v.vm[r]) + strlen(v.nic[r]) + strlen(name) + 3;
            char *label = rp_alloc_array(len, 1);
            snprintf(label, len, "%s.%s/%s", v.vm[r], v.nic[r], name);
            free(m->names[c]);
            m->names[c] = label;
            break;
        }
    }
    vf_rows_free(&v);
}

char **rp_vf_labels(hid_t file, size_t *n)
{
    vf_rows v;
    *n = 0;
    if (read_vf_rows(file, &v) != 0 || v.n == 0) {
        vf_rows_free(&v);
        return NULL;
    }
    char **out = rp_alloc_array(v.n, sizeof *out);
    char name[512];
    for (size_t r = 0; out && r < v.n; r++) {
        int len = v.vm[r][0] ? snprintf(name, sizeof name, "%s.%s/%s.%s.vf%.0f", v.vm[r], v.nic[r],
                                        v.host[r], v.adapter[r], v.vf[r])
                             : snprintf(name, sizeof name, "%s.%s.vf%.0f", v.host[r],
                                        v.adapter[r], v.vf[r]);
        out[r] = len >= 0 ? strdup(name) : NULL;
        if (!out[r]) {
            rp_free_strings(out, r);
            out = NULL;
        }
    }
    if (out)
        *n = v.n;
    vf_rows_free(&v);
    return out;
}
