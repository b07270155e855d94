/* ynode.c -- see ynode.h. */
#include "scenario/ynode.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

/* ---- allocation ---------------------------------------------------------- */

static void out_of_memory(void)
{
    fputs("sriov-sim: out of memory\n", stderr);
    abort();
}

void *sc_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *sc_xrealloc(void *p, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        out_of_memory();
    size_t bytes = n * size;
    void *q = realloc(p, bytes ? bytes : 1);
    if (!q)
        out_of_memory();
    return q;
}

char *sc_xstrdup(const char *s)
{
    size_t len = strlen(s) + 1;
    char *copy = sc_xcalloc(len, 1);
    memcpy(copy, s, len);
    return copy;
}

/* ---- reading a file -------------------------------------------------------- */

int ynode_read_file(const char *path, char **text, size_t *len, diag *d)
{
    *text = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_error(d, path, 0, 0, NULL, "cannot open: %s", strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        diag_error(d, path, 0, 0, "give the path of a .yaml file",
                   "is a directory, not a scenario file");
        fclose(f);
        return -1;
    }
    size_t cap = 4096, used = 0;
    char *buf = sc_xcalloc(cap, 1);
    for (;;) {
        if (used + 1 >= cap) {
            if (cap > (size_t)YNODE_MAX_BYTES)
                break;
            cap *= 2;
            buf = sc_xrealloc(buf, cap, 1);
        }
        size_t got = fread(buf + used, 1, cap - used - 1, f);
        used += got;
        if (got == 0)
            break;
    }
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        diag_error(d, path, 0, 0, NULL, "cannot read: %s", strerror(errno));
        free(buf);
        return -1;
    }
    if (used > (size_t)YNODE_MAX_BYTES) {
        diag_error(d, path, 0, 0, "split the scenario or generate less of it",
                   "file is larger than the %d MiB limit",
                   YNODE_MAX_BYTES / (1024 * 1024));
        free(buf);
        return -1;
    }
    buf[used] = '\0';
    *text = buf;
    *len = used;
    return 0;
}

/* ---- building the tree ----------------------------------------------------- */

typedef struct builder {
    diag *d;
    const char *file;
    ynode *root;
    ynode *stack[YNODE_MAX_DEPTH];      /* open sequences and mappings */
    ynode *pending_key[YNODE_MAX_DEPTH];/* a map's key awaiting its value */
    int depth;
    int documents;
} builder;

static void node_free(ynode *n)
{
    if (!n)
        return;
    size_t count = n->kind == YNODE_MAP ? 2 * n->n : n->n;
    for (size_t i = 0; i < count; i++)
        node_free(n->items[i]);
    free(n->items);
    free(n->text);
    free(n);
}

void ynode_doc_free(ynode_doc *doc)
{
    node_free(doc->root);
    free(doc->file);
    doc->root = NULL;
    doc->file = NULL;
}

static ynode *node_new(const char *file, ynode_kind kind, yaml_mark_t mark)
{
    ynode *n = sc_xcalloc(1, sizeof *n);
    n->kind = kind;
    n->line = (int)mark.line + 1;
    n->col = (int)mark.column + 1;
    n->file = file;
    return n;
}

/* Appends to items[], growing it at powers of two. */
static void push_item(ynode *parent, size_t count, ynode *child)
{
    if ((count & (count - 1)) == 0)
        parent->items = sc_xrealloc(parent->items, count ? 2 * count : 2,
                                    sizeof *parent->items);
    parent->items[count] = child;
}

/* Hangs n under the innermost open container, or makes it the root. On
 * error n is freed. */
static int attach(builder *b, ynode *n)
{
    if (b->depth == 0) {
        b->root = n;
        return 0;
    }
    int level = b->depth - 1;
    ynode *top = b->stack[level];
    if (top->kind == YNODE_SEQ) {
        push_item(top, top->n++, n);
        return 0;
    }
    if (!b->pending_key[level]) {
        if (n->kind != YNODE_SCALAR) {
            ynode_error(b->d, n, "write keys as plain words",
                        "mapping keys must be scalars, not %s",
                        ynode_kind_name(n->kind));
            node_free(n);
            return -1;
        }
        b->pending_key[level] = n;
        return 0;
    }
    push_item(top, 2 * top->n, b->pending_key[level]);
    push_item(top, 2 * top->n + 1, n);
    top->n++;
    b->pending_key[level] = NULL;
    return 0;
}

static int cmp_key_ptr(const void *a, const void *b)
{
    const ynode *x = *(const ynode *const *)a, *y = *(const ynode *const *)b;
    int c = strcmp(x->text, y->text);
    if (c)
        return c;
    return x->line != y->line ? (x->line > y->line) - (x->line < y->line)
                              : (x->col > y->col) - (x->col < y->col);
}

/* Sorting makes this O(n log n): a generated file may hold huge maps. */
static int check_duplicate_keys(builder *b, const ynode *map)
{
    if (map->n < 2)
        return 0;
    const ynode **keys = sc_xcalloc(map->n, sizeof *keys);
    for (size_t i = 0; i < map->n; i++)
        keys[i] = map->items[2 * i];
    qsort(keys, map->n, sizeof *keys, cmp_key_ptr);
    const ynode *dup = NULL, *first = NULL;
    for (size_t i = 1; i < map->n; i++) {
        if (strcmp(keys[i - 1]->text, keys[i]->text) != 0)
            continue;
        if (!dup || keys[i]->line < dup->line ||
            (keys[i]->line == dup->line && keys[i]->col < dup->col)) {
            dup = keys[i];
            first = keys[i - 1];
        }
    }
    if (dup)
        ynode_error(b->d, dup, "remove one of them",
                    "duplicate key '%s' (first at line %d, column %d)",
                    dup->text, first->line, first->col);
    free(keys);
    return dup ? -1 : 0;
}

static int reject_anchor(builder *b, const yaml_char_t *anchor, yaml_mark_t mark)
{
    if (!anchor)
        return 0;
    diag_error(b->d, b->file, (int)mark.line + 1, (int)mark.column + 1,
               "write the values out in full",
               "anchors and aliases (&%s, *%s) are not supported",
               (const char *)anchor, (const char *)anchor);
    return -1;
}

static int on_scalar(builder *b, const yaml_event_t *ev)
{
    if (reject_anchor(b, ev->data.scalar.anchor, ev->start_mark))
        return -1;
    if (strlen((const char *)ev->data.scalar.value) != ev->data.scalar.length) {
        diag_error(b->d, b->file, (int)ev->start_mark.line + 1,
                   (int)ev->start_mark.column + 1, NULL,
                   "a scalar may not contain a NUL character");
        return -1;
    }
    ynode *n = node_new(b->file, YNODE_SCALAR, ev->start_mark);
    n->text = sc_xstrdup((const char *)ev->data.scalar.value);
    n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    return attach(b, n);
}

static int on_open(builder *b, const yaml_event_t *ev, ynode_kind kind)
{
    const yaml_char_t *anchor = kind == YNODE_MAP
        ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor;
    if (reject_anchor(b, anchor, ev->start_mark))
        return -1;
    if (b->depth >= YNODE_MAX_DEPTH) {
        diag_error(b->d, b->file, (int)ev->start_mark.line + 1,
                   (int)ev->start_mark.column + 1, NULL,
                   "nesting deeper than %d levels", YNODE_MAX_DEPTH);
        return -1;
    }
    ynode *n = node_new(b->file, kind, ev->start_mark);
    if (attach(b, n))
        return -1;
    b->pending_key[b->depth] = NULL;
    b->stack[b->depth++] = n;
    return 0;
}

static int on_close(builder *b)
{
    ynode *n = b->stack[--b->depth];
    if (n->kind == YNODE_MAP)
        return check_duplicate_keys(b, n);
    return 0;
}

static int on_document_start(builder *b, const yaml_event_t *ev)
{
    if (b->documents++ == 0)
        return 0;
    diag_error(b->d, b->file, (int)ev->start_mark.line + 1,
               (int)ev->start_mark.column + 1,
               "keep one scenario per file (remove the '---' separator)",
               "a scenario file holds exactly one YAML document");
    return -1;
}

/* Returns 1 at the end of the stream, 0 to go on, -1 on error. */
static int on_event(builder *b, const yaml_event_t *ev)
{
    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT: return on_document_start(b, ev);
    case YAML_SCALAR_EVENT: return on_scalar(b, ev);
    case YAML_SEQUENCE_START_EVENT: return on_open(b, ev, YNODE_SEQ);
    case YAML_MAPPING_START_EVENT: return on_open(b, ev, YNODE_MAP);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT: return on_close(b);
    case YAML_ALIAS_EVENT:
        return reject_anchor(b, ev->data.alias.anchor, ev->start_mark);
    case YAML_STREAM_END_EVENT: return 1;
    default: return 0;
    }
}

static void report_parser_error(builder *b, const yaml_parser_t *p,
                                const char *text, size_t len)
{
    yaml_mark_t mark = p->problem_mark;
    if (p->error == YAML_READER_ERROR) {
        /* reader errors carry a byte offset, not a line; locate it */
        int line = 1, col = 1;
        for (size_t i = 0; i < p->problem_offset && i < len; i++) {
            if (text[i] == '\n') {
                line++;
                col = 1;
            } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
                col++;
            }
        }
        diag_error(b->d, b->file, line, col, "save the file as UTF-8",
                   "%s at byte %zu", p->problem ? p->problem : "invalid input",
                   p->problem_offset);
        return;
    }
    if (p->context)
        diag_error(b->d, b->file, (int)mark.line + 1, (int)mark.column + 1,
                   NULL, "%s %s", p->problem ? p->problem : "syntax error",
                   p->context);
    else
        diag_error(b->d, b->file, (int)mark.line + 1, (int)mark.column + 1,
                   NULL, "%s", p->problem ? p->problem : "syntax error");
}

static void builder_cleanup(builder *b)
{
    for (int i = 0; i < YNODE_MAX_DEPTH; i++)
        node_free(b->pending_key[i]);
    node_free(b->root);
    b->root = NULL;
}

int ynode_parse(const char *text, size_t len, const char *file,
                ynode_doc *doc, diag *d)
{
    doc->file = sc_xstrdup(file ? file : "<input>");
    doc->root = NULL;
    builder b = {.d = d, .file = doc->file};
    if (len > (size_t)YNODE_MAX_BYTES) {
        diag_error(d, b.file, 0, 0, NULL, "input is larger than the %d MiB limit",
                   YNODE_MAX_BYTES / (1024 * 1024));
        ynode_doc_free(doc);
        return -1;
    }
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    int status = 0;
    while (status == 0) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            report_parser_error(&b, &parser, text, len);
            status = -1;
            break;
        }
        status = on_event(&b, &ev);
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    if (status >= 0 && !b.root) {
        diag_error(d, b.file, 1, 1, "start from docs/scenario.md's example",
                   "the scenario is empty");
        status = -1;
    }
    if (status < 0) {
        builder_cleanup(&b);
        ynode_doc_free(doc);
        return -1;
    }
    doc->root = b.root;
    return 0;
}

/* ---- access ---------------------------------------------------------------- */

const ynode *ynode_key(const ynode *map, size_t i) { return map->items[2 * i]; }
const ynode *ynode_value(const ynode *map, size_t i) { return map->items[2 * i + 1]; }

const ynode *ynode_get(const ynode *map, const char *key)
{
    if (!map || map->kind != YNODE_MAP)
        return NULL;
    for (size_t i = 0; i < map->n; i++)
        if (strcmp(ynode_key(map, i)->text, key) == 0)
            return ynode_value(map, i);
    return NULL;
}

bool ynode_is_null(const ynode *n)
{
    return n->kind == YNODE_SCALAR && n->plain &&
           (n->text[0] == '\0' || strcmp(n->text, "~") == 0 ||
            strcmp(n->text, "null") == 0);
}

const char *ynode_kind_name(ynode_kind kind)
{
    switch (kind) {
    case YNODE_SCALAR: return "a scalar";
    case YNODE_SEQ: return "a list";
    case YNODE_MAP: return "a mapping";
    }
    return "a node";
}

void ynode_error(diag *d, const ynode *n, const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_verror(d, n->file, n->line, n->col, hint, fmt, ap);
    va_end(ap);
}

void ynode_warning(diag *d, const ynode *n, const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vwarning(d, n->file, n->line, n->col, hint, fmt, ap);
    va_end(ap);
}

int ynode_expect(diag *d, const ynode *n, ynode_kind kind, const char *what)
{
    if (n->kind == kind)
        return 0;
    if (ynode_is_null(n))
        ynode_error(d, n, NULL, "%s has no value; expected %s", what,
                    ynode_kind_name(kind));
    else
        ynode_error(d, n, NULL, "expected %s for %s, got %s",
                    ynode_kind_name(kind), what, ynode_kind_name(n->kind));
    return -1;
}

/* ---- key checking ------------------------------------------------------------ */

/* Levenshtein distance. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)     /* keys are short; spare the quadratic cost */
        return la > lb ? la : lb;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t above = row[j];
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = diagonal + cost;
            if (above + 1 < best) best = above + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diagonal = above;
        }
    }
    return row[lb];
}

const char *ynode_nearest(const char *word, const char *const *candidates)
{
    const char *best = NULL;
    size_t best_distance = SIZE_MAX;
    for (size_t i = 0; candidates[i]; i++) {
        size_t dist = edit_distance(word, candidates[i]);
        if (dist < best_distance) {
            best_distance = dist;
            best = candidates[i];
        }
    }
    /* a suggestion further than this is noise, not a typo */
    size_t len = strlen(word);
    size_t limit = len <= 3 ? 1 : len <= 6 ? 2 : 3;
    return best_distance <= limit ? best : NULL;
}

int ynode_check_keys(diag *d, const ynode *map, const char *const *known,
                     const char *where)
{
    int unknown = 0;
    for (size_t i = 0; i < map->n; i++) {
        const ynode *key = ynode_key(map, i);
        bool found = false;
        for (size_t k = 0; known[k] && !found; k++)
            found = strcmp(key->text, known[k]) == 0;
        if (found)
            continue;
        unknown++;
        const char *near = ynode_nearest(key->text, known);
        if (near)
            ynode_error(d, key, NULL, "unknown key '%s' in %s; did you mean '%s'?",
                        key->text, where, near);
        else
            ynode_error(d, key, NULL, "unknown key '%s' in %s", key->text, where);
    }
    return unknown;
}
