/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "yaml.h"

static YNode *node_new(YTree *t, YKind kind, const char *key) {
        assert(t);
        YNode *n = calloc(1, sizeof(YNode));
        if (!n || (key && !(n->key = strdup(key)))) {
                free(n);
                t->oom = true;
                return NULL;
        }
        n->kind = kind;
        return n;
}

YNode *y_new_map(YTree *t) {
        return node_new(t, Y_MAP, NULL);
}

YNode *y_free(YNode *n) {
        if (!n)
                return NULL;
        for (size_t i = 0; i < n->n; i++)
                y_free(n->kids[i]);
        free(n->kids);
        free(n->key);
        free(n->str);
        free(n);
        return NULL;
}

static void add_kid(YTree *t, YNode *parent, YNode *kid) {
        if (!kid)
                return;
        if (parent->n == parent->cap) {
                size_t cap = parent->cap ? parent->cap * 2 : 4;
                YNode **k = reallocarray(parent->kids, cap, sizeof(YNode *));
                if (!k) {
                        y_free(kid);
                        t->oom = true;
                        return;
                }
                parent->kids = k;
                parent->cap = cap;
        }
        parent->kids[parent->n++] = kid;
}

YNode *y_copy(YTree *t, const YNode *n) {
        if (!n)
                return NULL;
        YNode *c = node_new(t, n->kind, n->key);
        if (!c)
                return NULL;
        c->num = n->num;
        if (n->str && !(c->str = strdup(n->str)))
                t->oom = true;
        for (size_t i = 0; i < n->n; i++)
                add_kid(t, c, y_copy(t, n->kids[i]));
        return c;
}

YNode *y_get(const YNode *map, const char *key) {
        assert(key);
        if (!map || map->kind != Y_MAP)
                return NULL;
        for (size_t i = 0; i < map->n; i++)
                if (streq(map->kids[i]->key, key))
                        return map->kids[i];
        return NULL;
}

/* key's slot in map, emptied for a new value (its place kept), or a new slot at the end */
static YNode *slot(YTree *t, YNode *map, const char *key, YKind kind) {
        if (!map)
                return NULL;
        assert(map->kind == Y_MAP);
        YNode *old = y_get(map, key);
        if (old) {
                for (size_t i = 0; i < old->n; i++)
                        y_free(old->kids[i]);
                old->n = 0;
                free(old->str);
                old->str = NULL;
                old->kind = kind;
                return old;
        }
        YNode *n = node_new(t, kind, key);
        add_kid(t, map, n);
        return t->oom ? NULL : n;
}

static YNode *container(YTree *t, YNode *map, const char *key, YKind kind) {
        YNode *old = y_get(map, key);
        if (old && old->kind == kind)
                return old;
        return slot(t, map, key, kind);
}

YNode *y_map(YTree *t, YNode *map, const char *key) {
        return container(t, map, key, Y_MAP);
}

YNode *y_list(YTree *t, YNode *map, const char *key) {
        return container(t, map, key, Y_LIST);
}

void y_str(YTree *t, YNode *map, const char *key, const char *value) {
        assert(value);
        YNode *n = slot(t, map, key, Y_STR);
        if (n && !(n->str = strdup(value)))
                t->oom = true;
}

void y_int(YTree *t, YNode *map, const char *key, long long value) {
        YNode *n = slot(t, map, key, Y_INT);
        if (n)
                n->num = value;
}

void y_bool(YTree *t, YNode *map, const char *key, bool value) {
        YNode *n = slot(t, map, key, Y_BOOL);
        if (n)
                n->num = value;
}

void y_put(YTree *t, YNode *map, const char *key, YNode *node) {
        if (!node)
                return;
        if (!map) {
                y_free(node);
                return;
        }
        for (size_t i = 0; i < map->n; i++)
                if (streq(map->kids[i]->key, key)) {
                        free(node->key);
                        node->key = map->kids[i]->key;
                        map->kids[i]->key = NULL;
                        y_free(map->kids[i]);
                        map->kids[i] = node;
                        return;
                }
        free(node->key);
        if (!(node->key = strdup(key))) {
                y_free(node);
                t->oom = true;
                return;
        }
        add_kid(t, map, node);
}

YNode *y_push_map(YTree *t, YNode *list) {
        if (!list)
                return NULL;
        assert(list->kind == Y_LIST);
        YNode *n = node_new(t, Y_MAP, NULL);
        add_kid(t, list, n);
        return t->oom ? NULL : n;
}

void y_push_str(YTree *t, YNode *list, const char *value) {
        assert(value);
        if (!list)
                return;
        YNode *n = node_new(t, Y_STR, NULL);
        if (n && !(n->str = strdup(value))) {
                t->oom = true;
                y_free(n);
                return;
        }
        add_kid(t, list, n);
}

void y_push_int(YTree *t, YNode *list, long long value) {
        if (!list)
                return;
        YNode *n = node_new(t, Y_INT, NULL);
        if (n)
                n->num = value;
        add_kid(t, list, n);
}

void y_push(YTree *t, YNode *list, YNode *node) {
        if (!list) {
                y_free(node);
                return;
        }
        free(node ? node->key : NULL);
        if (node)
                node->key = NULL;
        add_kid(t, list, node);
}

int y_quote(const char *s, StrBuf *out) {
        assert(s && out);
        int r = strbuf_putc(out, '"');
        for (const unsigned char *p = (const unsigned char *) s; r >= 0 && *p; p++)
                switch (*p) {
                case '"': r = strbuf_puts(out, "\\\""); break;
                case '\\': r = strbuf_puts(out, "\\\\"); break;
                case '\n': r = strbuf_puts(out, "\\n"); break;
                case '\t': r = strbuf_puts(out, "\\t"); break;
                case '\r': r = strbuf_puts(out, "\\r"); break;
                default:
                        /* control characters escaped; DEL too, which YAML does not print */
                        r = *p < 0x20 || *p == 0x7f ? strbuf_printf(out, "\\u%04x", *p) : strbuf_putc(out, (char) *p);
                }
        return r < 0 ? r : strbuf_putc(out, '"');
}

/* A key needs no quotes when it is letters, digits and -_./ and starts with a letter: no YAML
 * indicator, no number, no boolean word other than these (true, no...) which start with letters
 * too, so any key that is a word YAML 1.1 reads as a boolean is quoted as well. */
static bool plain_key(const char *k) {
        static const char *const words[] = { "y", "n", "yes", "no", "on", "off", "true", "false", "null" };
        if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z')))
                return false;
        for (const char *p = k; *p; p++)
                if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./", *p))
                        return false;
        for (size_t i = 0; i < ELEMENTSOF(words); i++)
                if (strcasecmp(k, words[i]) == 0)
                        return false;
        return true;
}

static int write_key(const char *k, StrBuf *out) {
        int r = plain_key(k) ? strbuf_puts(out, k) : y_quote(k, out);
        return r < 0 ? r : strbuf_putc(out, ':');
}

static int write_scalar(const YNode *n, StrBuf *out) {
        switch (n->kind) {
        case Y_STR: return y_quote(n->str, out);
        case Y_INT: return strbuf_printf(out, "%lld", n->num);
        case Y_BOOL: return strbuf_puts(out, n->num ? "true" : "false");
        case Y_MAP: return strbuf_puts(out, "{}");
        case Y_LIST: return strbuf_puts(out, "[]");
        default: return -EINVAL;
        }
}

static bool is_block(const YNode *n) {
        return (n->kind == Y_MAP || n->kind == Y_LIST) && n->n > 0;
}

static int indent(StrBuf *out, unsigned level) {
        int r = 0;
        for (unsigned i = 0; r >= 0 && i < level; i++)
                r = strbuf_puts(out, "  ");
        return r;
}

static int write_node(const YNode *n, unsigned level, bool first_inline, StrBuf *out);

/* the entries of a map, the first one on the current line when first_inline (after "- ") */
static int write_map(const YNode *n, unsigned level, bool first_inline, StrBuf *out) {
        int r = 0;
        for (size_t i = 0; r >= 0 && i < n->n; i++) {
                const YNode *k = n->kids[i];
                if (!(i == 0 && first_inline))
                        r = indent(out, level);
                if (r >= 0)
                        r = write_key(k->key, out);
                if (r < 0)
                        break;
                if (is_block(k)) {
                        r = strbuf_putc(out, '\n');
                        /* a list under a key is written at the key's level, as kubectl writes it */
                        if (r >= 0)
                                r = write_node(k, k->kind == Y_LIST ? level : level + 1, false, out);
                } else {
                        r = strbuf_putc(out, ' ');
                        if (r >= 0)
                                r = write_scalar(k, out);
                        if (r >= 0)
                                r = strbuf_putc(out, '\n');
                }
        }
        return r;
}

static int write_list(const YNode *n, unsigned level, StrBuf *out) {
        int r = 0;
        for (size_t i = 0; r >= 0 && i < n->n; i++) {
                const YNode *k = n->kids[i];
                r = indent(out, level);
                if (r >= 0)
                        r = strbuf_puts(out, "- ");
                if (r < 0)
                        break;
                if (k->kind == Y_MAP && k->n > 0)
                        r = write_map(k, level + 1, true, out);
                else if (k->kind == Y_LIST && k->n > 0) {
                        r = strbuf_putc(out, '\n');
                        if (r >= 0)
                                r = write_list(k, level + 1, out);
                } else {
                        r = write_scalar(k, out);
                        if (r >= 0)
                                r = strbuf_putc(out, '\n');
                }
        }
        return r;
}

static int write_node(const YNode *n, unsigned level, bool first_inline, StrBuf *out) {
        if (n->kind == Y_MAP)
                return write_map(n, level, first_inline, out);
        if (n->kind == Y_LIST)
                return write_list(n, level, out);
        return write_scalar(n, out);
}

int y_write(const YNode *doc, StrBuf *out) {
        assert(doc && doc->kind == Y_MAP && out);
        return write_map(doc, 0, false, out);
}
