/* gpattern.h -- the pieces groups.c builds generated items from: a bump
 * arena for the generated YAML nodes, the name patterns ("h{i}",
 * "vm{(v + 1280) % n}", "r{i:3}") and the substitution of a group's
 * template for one instance.
 *
 * Patterns (docs/scenario.md, "Groups"): every `{...}` in a scalar of a
 * group's template is replaced per instance. Inside the braces: a string
 * variable alone (`{host}`, `{vm}`), or an integer expression over the
 * integer variables (i, n, h, j, v), decimal constants, + - * / % and
 * parentheses, with the usual precedence; `/` truncates, `%` is the
 * non-negative remainder (so `{(i - 1) % n}` wraps). `{EXPR:W}` pads the
 * value with zeros to W digits (1..20). A mapping `{each: [A, B, ...]}`
 * (optionally `by: VAR`, default i) stands for item VAR mod its length.
 *
 * Ownership: an arena owns every node and string allocated from it; the
 * nodes a substitution returns may also point at the template's nodes
 * (shared, never copied when nothing in them changes: 320,000 VMs from one
 * template cost one map and a few scalars each). arena_free releases the
 * arena only, never a template node.
 */
#ifndef SRIOV_GPATTERN_H
#define SRIOV_GPATTERN_H

#include <stdbool.h>
#include <stddef.h>

#include "scenario/diag.h"
#include "scenario/ynode.h"

typedef struct arena_chunk arena_chunk;
typedef struct arena {
    arena_chunk *head;
    size_t used, cap;           /* in the head chunk */
} arena;

void *arena_alloc(arena *a, size_t size);   /* zeroed, 16-byte aligned; aborts on OOM */
char *arena_strdup(arena *a, const char *s);
void arena_free(arena *a);

/* The variables of one instance. An integer variable is defined when its
 * bit is set in have (GV_I ...); a string variable when non-NULL. */
enum { GV_I = 1, GV_N = 2, GV_H = 4, GV_J = 8, GV_V = 16 };
typedef struct gvars {
    unsigned have;
    long long i, n, h, j, v;
    const char *host, *vm;
} gvars;

/* Expands pattern into out[cap]; 0, or -1 with a message in err[errcap]
 * (unknown variable, syntax, division by zero, overflow, too long). */
int gpat_expand(const char *pattern, const gvars *v, char *out, size_t cap, char *err,
                size_t errcap);

/* The template node n for one instance: n itself when nothing under it
 * depends on the instance, else a copy (from ar) with patterns expanded
 * and {each: ...} resolved. NULL after reporting an error at the node. */
const ynode *gpat_subst(arena *ar, diag *d, const ynode *n, const gvars *v);

/* A new scalar node at the position of at, holding text (copied). */
ynode *gpat_scalar(arena *ar, const ynode *at, const char *text);

#endif
