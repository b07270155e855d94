/* gpattern.c -- see gpattern.h. */
#include "scenario/gpattern.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- arena --------------------------------------------------------------------- */

struct arena_chunk {
    arena_chunk *next;
    size_t size;
    _Alignas(16) unsigned char data[];
};

enum { ARENA_CHUNK = 1 << 20 };

void *arena_alloc(arena *a, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    if (!a->head || a->used + size > a->cap) {
        size_t cap = size > ARENA_CHUNK ? size : ARENA_CHUNK;
        arena_chunk *c = sc_xcalloc(1, sizeof *c + cap);
        c->next = a->head;
        c->size = cap;
        a->head = c;
        a->used = 0;
        a->cap = cap;
    }
    void *p = a->head->data + a->used;
    a->used += size;
    return p;   /* chunks come zeroed from calloc and are never reused */
}

char *arena_strdup(arena *a, const char *s)
{
    size_t len = strlen(s) + 1;
    char *p = arena_alloc(a, len);
    memcpy(p, s, len);
    return p;
}

void arena_free(arena *a)
{
    while (a->head) {
        arena_chunk *next = a->head->next;
        free(a->head);
        a->head = next;
    }
    a->used = a->cap = 0;
}

/* ---- expressions ------------------------------------------------------------------ */

typedef struct eparser {
    const char *p, *end;
    const gvars *v;
    char *err;
    size_t errcap;
    int failed;
} eparser;

static void skip_blanks(eparser *e)
{
    while (e->p < e->end && *e->p == ' ')
        e->p++;
}

static long long efail(eparser *e, const char *msg)
{
    if (!e->failed)
        snprintf(e->err, e->errcap, "%s", msg);
    e->failed = 1;
    return 0;
}

static long long evar(eparser *e, const char *name, size_t len)
{
    static const struct { const char *name; unsigned bit; } vars[] = {
        {"i", GV_I}, {"n", GV_N}, {"h", GV_H}, {"j", GV_J}, {"v", GV_V}};
    const long long *vals[] = {&e->v->i, &e->v->n, &e->v->h, &e->v->j, &e->v->v};
    for (size_t k = 0; k < sizeof vars / sizeof vars[0]; k++)
        if (strlen(vars[k].name) == len && memcmp(vars[k].name, name, len) == 0) {
            if (e->v->have & vars[k].bit)
                return *vals[k];
            break;
        }
    char msg[128];
    snprintf(msg, sizeof msg, "unknown variable '%.*s' here (defined: %s%s%s%s%s)",
             (int)(len > 32 ? 32 : len), name, e->v->have & GV_I ? "i " : "",
             e->v->have & GV_N ? "n " : "", e->v->have & GV_H ? "h " : "",
             e->v->have & GV_J ? "j " : "", e->v->have & GV_V ? "v" : "");
    return efail(e, msg);
}

static long long eexpr(eparser *e);

static long long efactor(eparser *e)
{
    skip_blanks(e);
    if (e->p >= e->end)
        return efail(e, "expression ends early");
    if (*e->p == '(') {
        e->p++;
        long long x = eexpr(e);
        skip_blanks(e);
        if (e->p >= e->end || *e->p != ')')
            return efail(e, "missing ')'");
        e->p++;
        return x;
    }
    if (*e->p >= '0' && *e->p <= '9') {
        long long x = 0;
        while (e->p < e->end && *e->p >= '0' && *e->p <= '9') {
            if (__builtin_mul_overflow(x, 10, &x) || __builtin_add_overflow(x, *e->p - '0', &x))
                return efail(e, "number too large");
            e->p++;
        }
        return x;
    }
    const char *s = e->p;
    while (e->p < e->end && ((*e->p >= 'a' && *e->p <= 'z') || *e->p == '_'))
        e->p++;
    if (e->p == s)
        return efail(e, "expected a number, a variable or '('");
    return evar(e, s, (size_t)(e->p - s));
}

static long long eapply(eparser *e, char op, long long a, long long b)
{
    long long r = 0;
    switch (op) {
    case '+': if (__builtin_add_overflow(a, b, &r)) return efail(e, "overflow"); return r;
    case '-': if (__builtin_sub_overflow(a, b, &r)) return efail(e, "overflow"); return r;
    case '*': if (__builtin_mul_overflow(a, b, &r)) return efail(e, "overflow"); return r;
    default: break;
    }
    if (b == 0)
        return efail(e, "division by zero");
    if (b == -1)    /* LLONG_MIN / -1 overflows; x % -1 is 0 */
        return op == '/' ? eapply(e, '-', 0, a) : 0;
    if (op == '/')
        return a / b;
    r = a % b;
    return r < 0 ? r + (b < 0 ? -b : b) : r;
}

static long long eterm(eparser *e)
{
    long long x = efactor(e);
    for (;;) {
        skip_blanks(e);
        if (e->failed || e->p >= e->end || !strchr("*/%", *e->p))
            return x;
        char op = *e->p++;
        x = eapply(e, op, x, efactor(e));
    }
}

static long long eexpr(eparser *e)
{
    long long x = eterm(e);
    for (;;) {
        skip_blanks(e);
        if (e->failed || e->p >= e->end || (*e->p != '+' && *e->p != '-'))
            return x;
        char op = *e->p++;
        x = eapply(e, op, x, eterm(e));
    }
}

/* One {...} body (without braces) appended to out at *len. */
static int expand_one(const char *body, size_t blen, const gvars *v, char *out, size_t cap,
                      size_t *len, char *err, size_t errcap)
{
    const char *str = NULL;
    if (blen == 4 && memcmp(body, "host", 4) == 0)
        str = v->host ? v->host : "";
    else if (blen == 2 && memcmp(body, "vm", 2) == 0)
        str = v->vm ? v->vm : "";
    if (str && !*str) {
        snprintf(err, errcap, "variable '%.*s' is not defined here", (int)blen, body);
        return -1;
    }
    char num[48];
    if (!str) {
        const char *colon = memchr(body, ':', blen);
        size_t elen = colon ? (size_t)(colon - body) : blen;
        int width = 0;
        if (colon) {
            const char *w = colon + 1;
            size_t wlen = blen - elen - 1;
            for (size_t k = 0; k < wlen && width <= 20; k++)
                width = w[k] >= '0' && w[k] <= '9' ? width * 10 + (w[k] - '0') : 99;
            if (wlen == 0 || width < 1 || width > 20) {
                snprintf(err, errcap, "the width after ':' must be a number from 1 to 20");
                return -1;
            }
        }
        eparser e = {.p = body, .end = body + elen, .v = v, .err = err, .errcap = errcap};
        long long x = eexpr(&e);
        skip_blanks(&e);
        if (!e.failed && e.p < e.end)
            efail(&e, "unexpected character in the expression");
        if (e.failed)
            return -1;
        /* by hand: snprintf with '*' took a tenth of loading pod-1k */
        unsigned long long u = x < 0 ? (unsigned long long)-(x + 1) + 1 : (unsigned long long)x;
        char digits[24];
        int nd = 0;
        do {
            digits[nd++] = (char)('0' + u % 10);
            u /= 10;
        } while (u);
        size_t at = 0;
        if (x < 0)
            num[at++] = '-';
        for (int pad = width - nd - (x < 0); pad > 0; pad--)
            num[at++] = '0';
        while (nd)
            num[at++] = digits[--nd];
        num[at] = '\0';
        str = num;
    }
    size_t slen = strlen(str);
    if (*len + slen >= cap) {
        snprintf(err, errcap, "expands to more than %zu characters", cap - 1);
        return -1;
    }
    memcpy(out + *len, str, slen);
    *len += slen;
    return 0;
}

int gpat_expand(const char *pattern, const gvars *v, char *out, size_t cap, char *err,
                size_t errcap)
{
    size_t len = 0;
    for (const char *p = pattern; *p;) {
        if (*p == '}') {
            snprintf(err, errcap, "'}' without '{'");
            return -1;
        }
        if (*p != '{') {
            if (len + 1 >= cap) {
                snprintf(err, errcap, "expands to more than %zu characters", cap - 1);
                return -1;
            }
            out[len++] = *p++;
            continue;
        }
        const char *close = strchr(p + 1, '}');
        const char *open = strchr(p + 1, '{');
        if (!close || (open && open < close)) {
            snprintf(err, errcap, "'{' without its '}'");
            return -1;
        }
        if (expand_one(p + 1, (size_t)(close - p - 1), v, out, cap, &len, err, errcap))
            return -1;
        p = close + 1;
    }
    out[len] = '\0';
    return 0;
}

/* ---- substitution ---------------------------------------------------------------- */

ynode *gpat_scalar(arena *ar, const ynode *at, const char *text)
{
    ynode *n = arena_alloc(ar, sizeof *n);
    n->kind = YNODE_SCALAR;
    n->line = at->line;
    n->col = at->col;
    n->file = at->file;
    n->plain = true;
    n->text = arena_strdup(ar, text);
    return n;
}

/* {each: [...], by: VAR}: the item the instance picks. */
static bool is_each(const ynode *n)
{
    return n->kind == YNODE_MAP && ynode_get(n, "each") &&
           (n->n == 1 || (n->n == 2 && ynode_get(n, "by")));
}

static const ynode *pick_each(arena *ar, diag *d, const ynode *n, const gvars *v)
{
    const ynode *list = ynode_get(n, "each"), *by = ynode_get(n, "by");
    if (list->kind != YNODE_SEQ || list->n == 0) {
        ynode_error(d, list, "write each: [A, B, ...]", "'each' needs a non-empty list");
        return NULL;
    }
    char expr[64], out[48], err[160];
    snprintf(expr, sizeof expr, "{%s}", by ? by->text : "i");
    if (by && (by->kind != YNODE_SCALAR || strchr(by->text, '{') || strlen(by->text) > 40)) {
        ynode_error(d, by, "name a variable: i, h, j, v", "'by' must name a variable");
        return NULL;
    }
    if (gpat_expand(expr, v, out, sizeof out, err, sizeof err)) {
        ynode_error(d, by ? by : n, NULL, "in 'by': %s", err);
        return NULL;
    }
    long long k = strtoll(out, NULL, 10) % (long long)list->n;
    return gpat_subst(ar, d, list->items[k < 0 ? k + (long long)list->n : k], v);
}

static const ynode *subst_scalar(arena *ar, diag *d, const ynode *n, const gvars *v)
{
    if (!strchr(n->text, '{') && !strchr(n->text, '}'))
        return n;
    char out[256], err[160];
    if (gpat_expand(n->text, v, out, sizeof out, err, sizeof err)) {
        ynode_error(d, n, "see docs/scenario.md, \"Groups\": {i}, {i:4}, {(i + 1) % n}, {host}",
                    "pattern '%s': %s", n->text, err);
        return NULL;
    }
    ynode *s = gpat_scalar(ar, n, out);
    return s;
}

const ynode *gpat_subst(arena *ar, diag *d, const ynode *n, const gvars *v)
{
    if (n->kind == YNODE_SCALAR)
        return subst_scalar(ar, d, n, v);
    if (is_each(n))
        return pick_each(ar, d, n, v);
    size_t count = n->kind == YNODE_MAP ? 2 * n->n : n->n;
    ynode *copy = NULL;
    for (size_t k = 0; k < count; k++) {
        /* keys are plain names: only values can vary */
        const ynode *c = n->kind == YNODE_MAP && k % 2 == 0 ? n->items[k]
                                                            : gpat_subst(ar, d, n->items[k], v);
        if (!c)
            return NULL;
        if (c != n->items[k] && !copy) {
            copy = arena_alloc(ar, sizeof *copy);
            *copy = *n;
            copy->items = arena_alloc(ar, (count ? count : 1) * sizeof *copy->items);
            memcpy(copy->items, n->items, count * sizeof *copy->items);
        }
        if (copy)
            copy->items[k] = (ynode *)c;
    }
    return copy ? copy : n;
}
