/* ynode.h -- a YAML document as a small owned tree, with positions, and
 * typed reads from it that report errors at the right line:column.
 *
 * Built with libyaml's event parser, not its document loader, so that we
 * decide the limits: anchors and aliases are rejected (no billion laughs),
 * nesting is bounded (YNODE_MAX_DEPTH), input is bounded (YNODE_MAX_BYTES),
 * the input must be UTF-8, hold exactly one document, and no mapping may
 * repeat a key. Tags are ignored; every scalar is kept as text.
 *
 * Ownership: a ynode_doc owns its file name and every node; ynode_doc_free()
 * releases them. Nodes' file pointers point at doc->file.
 */
#ifndef SRIOV_YNODE_H
#define SRIOV_YNODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scenario/diag.h"
#include "scenario/units.h"

enum {
    YNODE_MAX_DEPTH = 64,
    YNODE_MAX_BYTES = 16 * 1024 * 1024,
};

typedef enum { YNODE_SCALAR = 0, YNODE_SEQ, YNODE_MAP } ynode_kind;

typedef struct ynode ynode;
struct ynode {
    ynode_kind kind;
    int line, col;          /* 1-based start of the node */
    const char *file;       /* the document's file name (not owned) */
    char *text;             /* scalar: its value, NUL-terminated; else NULL */
    bool plain;             /* scalar written without quotes */
    ynode **items;          /* seq: n items; map: 2n nodes, key then value */
    size_t n;               /* seq: items; map: pairs */
    int group;              /* an item a group generated (groups.h): 1 + its group */
    long long index;        /* and the instance's index i; else both 0 */
};

typedef struct ynode_doc {
    char *file;             /* owned copy of the name used in diagnostics */
    ynode *root;            /* never NULL after a successful parse */
} ynode_doc;

/* Allocation that aborts on failure: inputs are bounded, so running out of
 * memory here means the machine is in trouble, not the scenario. */
void *sc_xcalloc(size_t n, size_t size);
void *sc_xrealloc(void *p, size_t n, size_t size);
char *sc_xstrdup(const char *s);

/* Reads a whole file into a NUL-terminated buffer (*text, caller frees).
 * Rejects directories, unreadable files, and files over YNODE_MAX_BYTES. */
int ynode_read_file(const char *path, char **text, size_t *len, diag *d);

/* Parses text[0..len) (file names it in diagnostics). Returns 0 and fills
 * doc, or -1 after reporting the error; doc is then zeroed. */
int ynode_parse(const char *text, size_t len, const char *file,
                ynode_doc *doc, diag *d);
void ynode_doc_free(ynode_doc *doc);

/* Tree access. Map accessors return NULL when absent. */
const ynode *ynode_key(const ynode *map, size_t i);
const ynode *ynode_value(const ynode *map, size_t i);
const ynode *ynode_get(const ynode *map, const char *key);
bool ynode_is_null(const ynode *n);     /* plain "", "~", "null" */
const char *ynode_kind_name(ynode_kind kind);   /* "a mapping" ... */

/* Reports an error at n's position. */
void ynode_error(diag *d, const ynode *n, const char *hint,
                 const char *fmt, ...) DIAG_PRINTF(4, 5);
/* A warning at n (diag_vwarning): legal but probably not meant. */
void ynode_warning(diag *d, const ynode *n, const char *hint, const char *fmt, ...)
    DIAG_PRINTF(4, 5);

/* Reports unless n is of the wanted kind; what names it ("'hosts'").
 * Returns 0 when it is. */
int ynode_expect(diag *d, const ynode *n, ynode_kind kind, const char *what);

/* Checks every key of map is in known (NULL-terminated); reports each
 * unknown one with the nearest known key. where names the map in messages
 * ("simulation"). Returns the number of unknown keys. */
int ynode_check_keys(diag *d, const ynode *map, const char *const *known,
                     const char *where);

/* The nearest of candidates (NULL if none is close enough to be a
 * plausible typo). */
const char *ynode_nearest(const char *word, const char *const *candidates);

/* Typed reads of map[key]. Each returns 1 when the key is present and its
 * value was stored, 0 when the key is absent (out untouched, so set the
 * default first), -1 after reporting an error (out untouched). */
int yget_string(diag *d, const ynode *map, const char *key, char **out);
int yget_int(diag *d, const ynode *map, const char *key,
             long long lo, long long hi, int *out);
int yget_u64(diag *d, const ynode *map, const char *key, uint64_t *out);
int yget_bool(diag *d, const ynode *map, const char *key, bool *out);
/* A plain number in [lo, hi]. */
int yget_number(diag *d, const ynode *map, const char *key, double lo, double hi,
                double *out);
/* A quantity with units in units_range(kind); positive: 0 is refused,
 * otherwise 0 is accepted too (it means off / unlimited / at once). Values
 * outside the range are refused at their line:column with the range in the
 * fix line: no scenario carries 1e305bps or a denormal rate into a model. */
int yget_quantity(diag *d, const ynode *map, const char *key, unit_kind kind,
                  bool positive, double *out);
/* The same with a key's own range (units_delay_range() for latencies). */
int yget_quantity_in(diag *d, const ynode *map, const char *key, unit_kind kind,
                     bool positive, unit_range r, double *out);
/* names is NULL-terminated; *out receives the index of the match. */
int yget_enum(diag *d, const ynode *map, const char *key,
              const char *const *names, int *out);

/* The same reads on a node already in hand (what names it in messages). */
int ynode_as_int(diag *d, const ynode *n, const char *what,
                 long long lo, long long hi, long long *out);
int ynode_as_scalar(diag *d, const ynode *n, const char *what);

#endif
