/* doc_cache.c -- see doc_cache.h. */
#include "scenario/doc_cache.h"

#include <stdlib.h>
#include <string.h>

struct doc_cache_entry {
    char *path;
    ynode_doc doc;
    bool ok;
};

const ynode_doc *doc_cache_get(doc_cache *c, const char *path, diag *d, bool *first,
                               bool **verdict)
{
    *first = false;
    /* A scenario names a handful of model files: a linear search is enough. */
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->e[i].path, path) == 0) {
            *verdict = &c->e[i].ok;
            return c->e[i].ok ? &c->e[i].doc : NULL;
        }
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 8;
        c->e = sc_xrealloc(c->e, c->cap, sizeof *c->e);
    }
    struct doc_cache_entry *en = &c->e[c->n++];
    memset(en, 0, sizeof *en);
    en->path = sc_xstrdup(path);
    char *text = NULL;
    size_t len = 0;
    en->ok = ynode_read_file(path, &text, &len, d) == 0 &&
             ynode_parse(text, len, path, &en->doc, d) == 0;
    free(text);
    *first = true;
    *verdict = &en->ok;
    return en->ok ? &en->doc : NULL;
}

void doc_cache_free(doc_cache *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->e[i].path);
        ynode_doc_free(&c->e[i].doc);   /* NULLs after a failed parse: safe */
    }
    free(c->e);
    memset(c, 0, sizeof *c);
}
