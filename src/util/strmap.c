/* strmap.c -- see strmap.h. Load factor kept at or below 1/2. */
#include "util/strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
    return h;
}

static size_t slot_of(const strmap *m, const char *key)
{
    size_t mask = m->cap - 1, i = (size_t)fnv1a(key) & mask;
    while (m->keys[i] && strcmp(m->keys[i], key) != 0)
        i = (i + 1) & mask;
    return i;
}

static int grow(strmap *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 64;
    strmap n = {calloc(ncap, sizeof(char *)), calloc(ncap, sizeof(int)), ncap, 0};
    if (!n.keys || !n.values) {
        free(n.keys);
        free(n.values);
        return -1;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        size_t s = slot_of(&n, m->keys[i]);
        n.keys[s] = m->keys[i];
        n.values[s] = m->values[i];
        n.n++;
    }
    strmap_free(m);
    *m = n;
    return 0;
}

int strmap_put(strmap *m, const char *key, int value)
{
    if ((m->n + 1) * 2 > m->cap && grow(m) != 0)
        return -1;
    size_t s = slot_of(m, key);
    if (!m->keys[s]) {
        m->keys[s] = key;
        m->n++;
    }
    m->values[s] = value;
    return 0;
}

int strmap_get(const strmap *m, const char *key)
{
    if (m->cap == 0)
        return -1;
    size_t s = slot_of(m, key);
    return m->keys[s] ? m->values[s] : -1;
}

void strmap_free(strmap *m)
{
    free(m->keys);
    free(m->values);
    memset(m, 0, sizeof *m);
}
