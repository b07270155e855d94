/* path.c -- sweep paths: parsing, reading and editing ynode trees. */
#include "sweep/path.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (err == NULL || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* ---- parsing ------------------------------------------------------------- */

static void push_seg(sweep_path *p, sweep_seg seg)
{
    p->segs = sc_xrealloc(p->segs, p->n + 1, sizeof(sweep_seg));
    p->segs[p->n++] = seg;
}

/* "[N]" or "[*]" at s; returns the length consumed, or 0 if malformed. */
static size_t parse_bracket(const char *s, sweep_seg *seg)
{
    if (s[1] == '*' && s[2] == ']') {
        *seg = (sweep_seg){SEG_ALL, NULL, 0};
        return 3;
    }
    size_t i = 1, v = 0;
    while (isdigit((unsigned char)s[i]) && i < 10)
        v = v * 10 + (size_t)(s[i++] - '0');
    if (i == 1 || s[i] != ']')
        return 0;
    *seg = (sweep_seg){SEG_INDEX, NULL, v};
    return i + 1;
}

static size_t key_length(const char *s)
{
    size_t n = 0;
    while (s[n] && s[n] != '.' && s[n] != '[' && s[n] != ']')
        n++;
    return n;
}

int sweep_path_parse(const char *text, sweep_path *out, char *err,
                     size_t errlen)
{
    memset(out, 0, sizeof(*out));
    const char *s = text;
    bool need_key = false;  /* after '.', a key must follow */
    while (*s) {
        sweep_seg seg;
        size_t len;
        if (*s == '[' && !need_key) {
            if ((len = parse_bracket(s, &seg)) == 0)
                goto bad;
        } else {
            if ((len = key_length(s)) == 0)
                goto bad;
            seg = (sweep_seg){SEG_KEY, strndup(s, len), 0};
        }
        push_seg(out, seg);
        s += len;
        need_key = *s == '.';
        if (need_key && *++s == '\0')
            goto bad;
        if (*s && *s != '[' && !need_key)
            goto bad;
    }
    if (out->n == 0)
        goto bad;
    out->text = sc_xstrdup(text);
    return 0;
bad:
    set_err(err, errlen,
            "bad parameter path '%s' at column %zu (expected keys joined by '.' "
            "and list indices like [0] or [*], e.g. hosts[0].adapters[0].num_vfs)",
            text, (size_t)(s - text) + 1);
    sweep_path_free(out);
    return -1;
}

void sweep_path_free(sweep_path *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->segs[i].key);
    free(p->segs);
    free(p->text);
    memset(p, 0, sizeof(*p));
}

/* ---- nodes ------------------------------------------------------------------ */

void sweep_node_free(ynode *n)
{
    if (n == NULL)
        return;
    size_t count = n->kind == YNODE_MAP ? 2 * n->n : n->n;
    for (size_t i = 0; i < count; i++)
        sweep_node_free(n->items[i]);
    free(n->items);
    free(n->text);
    free(n);
}

ynode *sweep_node_scalar(const char *text, bool plain, const char *file)
{
    ynode *n = sc_xcalloc(1, sizeof(ynode));
    n->kind = YNODE_SCALAR;
    n->text = sc_xstrdup(text);
    n->plain = plain;
    n->file = file;
    return n;
}

ynode *sweep_node_clone(const ynode *n, const char *file)
{
    ynode *c = sc_xcalloc(1, sizeof(ynode));
    *c = *n;
    c->file = file;
    c->text = n->text ? sc_xstrdup(n->text) : NULL;
    size_t count = n->kind == YNODE_MAP ? 2 * n->n : n->n;
    c->items = count ? sc_xcalloc(count, sizeof(ynode *)) : NULL;
    for (size_t i = 0; i < count; i++)
        c->items[i] = sweep_node_clone(n->items[i], file);
    return c;
}

static void label_append(char **buf, size_t *len, const char *s)
{
    size_t add = strlen(s);
    *buf = sc_xrealloc(*buf, *len + add + 1, 1);
    for (size_t i = 0; i < add; i++)
        (*buf)[*len + i] = (s[i] == '\t' || s[i] == '\n' || s[i] == '\r') ? ' ' : s[i];
    *len += add;
    (*buf)[*len] = '\0';
}

static void label_node(const ynode *n, char **buf, size_t *len)
{
    if (n->kind == YNODE_SCALAR) {
        label_append(buf, len, n->text);
        return;
    }
    bool map = n->kind == YNODE_MAP;
    label_append(buf, len, map ? "{" : "[");
    for (size_t i = 0; i < n->n; i++) {
        if (i)
            label_append(buf, len, ", ");
        if (map) {
            label_node(n->items[2 * i], buf, len);
            label_append(buf, len, ": ");
            label_node(n->items[2 * i + 1], buf, len);
        } else {
            label_node(n->items[i], buf, len);
        }
    }
    label_append(buf, len, map ? "}" : "]");
}

char *sweep_node_label(const ynode *n)
{
    char *buf = sc_xstrdup("");
    size_t len = 0;
    label_node(n, &buf, &len);
    return buf;
}

/* ---- editing ------------------------------------------------------------- */

typedef struct edit {
    const sweep_path *path;
    const ynode *value;
    const char *file;
    char *err;
    size_t errlen;
    int n_set;
} edit;

/* The path up to and including segment i, for messages. */
static void prefix_text(const sweep_path *p, size_t upto, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i <= upto && i < p->n && n + 1 < size; i++) {
        const sweep_seg *s = &p->segs[i];
        if (s->kind == SEG_KEY)
            n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? "." : "", s->key);
        else if (s->kind == SEG_INDEX)
            n += (size_t)snprintf(buf + n, size - n, "[%zu]", s->index);
        else
            n += (size_t)snprintf(buf + n, size - n, "[*]");
    }
}

static int edit_fail(edit *ed, size_t i, const char *why, const ynode *at)
{
    char prefix[512];
    prefix_text(ed->path, i, prefix, sizeof(prefix));
    if (at != NULL && at->line > 0)
        set_err(ed->err, ed->errlen, "%s: %s (base scenario line %d)", prefix, why,
                at->line);
    else
        set_err(ed->err, ed->errlen, "%s: %s", prefix, why);
    return -1;
}

static int edit_at(edit *ed, ynode **slot, size_t i);

/* The value slot for key in map, created when missing. */
static ynode **map_slot(edit *ed, ynode *map, const char *key, size_t i)
{
    for (size_t k = 0; k < map->n; k++)
        if (map->items[2 * k]->kind == YNODE_SCALAR &&
            strcmp(map->items[2 * k]->text, key) == 0)
            return &map->items[2 * k + 1];
    bool last = i + 1 == ed->path->n;
    if (!last && ed->path->segs[i + 1].kind != SEG_KEY)
        return NULL;    /* cannot invent a list element */
    map->items = sc_xrealloc(map->items, 2 * (map->n + 1), sizeof(ynode *));
    map->items[2 * map->n] = sweep_node_scalar(key, true, ed->file);
    ynode *v = sc_xcalloc(1, sizeof(ynode));
    v->kind = last ? YNODE_SCALAR : YNODE_MAP;
    v->text = last ? sc_xstrdup("") : NULL;
    v->plain = true;
    v->file = ed->file;
    map->items[2 * map->n + 1] = v;
    map->n++;
    return &map->items[2 * (map->n - 1) + 1];
}

static int edit_key(edit *ed, ynode **slot, size_t i)
{
    const char *key = ed->path->segs[i].key;
    ynode *n = *slot;
    if (n->kind == YNODE_SCALAR && ynode_is_null(n)) {
        /* "qos:" with nothing after it: becomes the mapping we need. */
        free(n->text);
        n->text = NULL;
        n->kind = YNODE_MAP;
    }
    if (n->kind != YNODE_MAP) {
        char why[128];
        snprintf(why, sizeof(why), "expected a mapping with key '%s', found %s", key,
                 ynode_kind_name(n->kind));
        return edit_fail(ed, i, why, n);
    }
    ynode **child = map_slot(ed, n, key, i);
    if (child == NULL)
        return edit_fail(ed, i, "no such key, and a list element cannot be created", n);
    return edit_at(ed, child, i + 1);
}

static int edit_list(edit *ed, ynode **slot, size_t i)
{
    const sweep_seg *s = &ed->path->segs[i];
    ynode *n = *slot;
    if (n->kind != YNODE_SEQ)
        return edit_fail(ed, i, "expected a list here", n);
    if (s->kind == SEG_INDEX) {
        if (s->index >= n->n) {
            char why[96];
            snprintf(why, sizeof(why), "index out of range, the list has %zu item%s",
                     n->n, n->n == 1 ? "" : "s");
            return edit_fail(ed, i, why, n);
        }
        return edit_at(ed, &n->items[s->index], i + 1);
    }
    if (n->n == 0)
        return edit_fail(ed, i, "the list is empty", n);
    for (size_t k = 0; k < n->n; k++)
        if (edit_at(ed, &n->items[k], i + 1) != 0)
            return -1;
    return 0;
}

static int edit_at(edit *ed, ynode **slot, size_t i)
{
    if (i == ed->path->n) {
        ynode *fresh = sweep_node_clone(ed->value, ed->file);
        fresh->line = (*slot)->line;
        fresh->col = (*slot)->col;
        sweep_node_free(*slot);
        *slot = fresh;
        ed->n_set++;
        return 0;
    }
    return ed->path->segs[i].kind == SEG_KEY ? edit_key(ed, slot, i)
                                             : edit_list(ed, slot, i);
}

int sweep_path_set(ynode **root, const sweep_path *p, const ynode *value,
                   char *err, size_t errlen)
{
    edit ed = {p, value, (*root)->file, err, errlen, 0};
    return edit_at(&ed, root, 0) == 0 ? ed.n_set : -1;
}

const ynode *sweep_path_get(const ynode *root, const sweep_path *p)
{
    const ynode *n = root;
    for (size_t i = 0; n != NULL && i < p->n; i++) {
        const sweep_seg *s = &p->segs[i];
        if (s->kind == SEG_KEY)
            n = n->kind == YNODE_MAP ? ynode_get(n, s->key) : NULL;
        else if (s->kind == SEG_INDEX)
            n = n->kind == YNODE_SEQ && s->index < n->n ? n->items[s->index] : NULL;
        else
            n = NULL;
    }
    return n;
}
