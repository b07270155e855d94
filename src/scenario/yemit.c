/* yemit.c -- see yemit.h: ynode tree -> YAML text through libyaml's event
 * emitter, which knows the quoting rules (a home-made printer would get
 * them wrong). */
#include "scenario/yemit.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef struct text_buf {
    char *s;
    size_t len;
} text_buf;

static void buf_append(text_buf *b, const char *s, size_t n)
{
    b->s = sc_xrealloc(b->s, b->len + n + 1, 1);
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static int write_handler(void *data, unsigned char *buffer, size_t size)
{
    buf_append(data, (const char *)buffer, size);
    return 1;
}

static int emit_event(yaml_emitter_t *em, yaml_event_t *ev, int ok)
{
    return ok && yaml_emitter_emit(em, ev);
}

static int emit_scalar(yaml_emitter_t *em, const ynode *n)
{
    yaml_event_t ev;
    /* A plain empty scalar means null; "~" says so unambiguously. */
    const char *text = n->plain && n->text[0] == '\0' ? "~" : n->text;
    yaml_scalar_style_t style = n->plain ? YAML_ANY_SCALAR_STYLE
                                         : YAML_DOUBLE_QUOTED_SCALAR_STYLE;
    int ok = yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)text,
                                          (int)strlen(text), 1, 1, style);
    return emit_event(em, &ev, ok);
}

static int emit_node(yaml_emitter_t *em, const ynode *n)
{
    if (n->kind == YNODE_SCALAR)
        return emit_scalar(em, n);
    yaml_event_t ev;
    bool map = n->kind == YNODE_MAP;
    int ok = map ? yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
                                                        YAML_BLOCK_MAPPING_STYLE)
                 : yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
                                                         YAML_BLOCK_SEQUENCE_STYLE);
    if (!emit_event(em, &ev, ok))
        return 0;
    size_t count = map ? 2 * n->n : n->n;
    for (size_t i = 0; i < count; i++)
        if (!emit_node(em, n->items[i]))
            return 0;
    ok = map ? yaml_mapping_end_event_initialize(&ev)
             : yaml_sequence_end_event_initialize(&ev);
    return emit_event(em, &ev, ok);
}

static int emit_document(yaml_emitter_t *em, const ynode *root)
{
    yaml_event_t ev;
    return emit_event(em, &ev, yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING)) &&
           emit_event(em, &ev, yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1)) &&
           emit_node(em, root) &&
           emit_event(em, &ev, yaml_document_end_event_initialize(&ev, 1)) &&
           emit_event(em, &ev, yaml_stream_end_event_initialize(&ev));
}

char *ynode_emit_yaml(const ynode *root, const char *header)
{
    text_buf b = {sc_xstrdup(""), 0};
    if (header != NULL)
        buf_append(&b, header, strlen(header));
    yaml_emitter_t em;
    if (!yaml_emitter_initialize(&em)) {
        free(b.s);
        return NULL;
    }
    yaml_emitter_set_output(&em, write_handler, &b);
    yaml_emitter_set_unicode(&em, 1);
    yaml_emitter_set_width(&em, -1);
    yaml_emitter_set_indent(&em, 2);
    int ok = emit_document(&em, root) && yaml_emitter_flush(&em);
    yaml_emitter_delete(&em);
    if (!ok) {
        free(b.s);
        return NULL;
    }
    return b.s;
}
