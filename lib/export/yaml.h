/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* A small tree of YAML nodes, written in block style with every string double-quoted (JSON's
 * escapes, which YAML reads the same): nothing a user wrote can end a scalar, start a line or be
 * read as a number, a boolean or null. Maps keep the order their keys were put in, so the output is
 * what the code that builds it says, in that order.
 *
 * Building never fails on the spot: an allocation that fails marks the tree (YTree.oom) and the
 * calls on what it would have returned do nothing, so a builder checks once, at the end. */

#include <stdbool.h>

#include "util.h"

typedef enum YKind {
        Y_MAP,
        Y_LIST,
        Y_STR,
        Y_INT,
        Y_BOOL,
} YKind;

typedef struct YNode YNode;
struct YNode {
        YKind kind;
        char *key;       /* in a map: the key; else NULL */
        char *str;       /* Y_STR */
        long long num;   /* Y_INT, Y_BOOL */
        YNode **kids;    /* Y_MAP, Y_LIST */
        size_t n, cap;
};

typedef struct YTree {
        bool oom;
} YTree;

YNode *y_new_map(YTree *t);
YNode *y_free(YNode *n);
/* A deep copy, or NULL (t->oom set). */
YNode *y_copy(YTree *t, const YNode *n);

/* In a map: the value of key, or NULL. */
YNode *y_get(const YNode *map, const char *key);
/* In a map: the map or list under key, made when missing. */
YNode *y_map(YTree *t, YNode *map, const char *key);
YNode *y_list(YTree *t, YNode *map, const char *key);
/* In a map: key set to a scalar (a key put twice keeps its place and takes the new value). */
void y_str(YTree *t, YNode *map, const char *key, const char *value);
void y_int(YTree *t, YNode *map, const char *key, long long value);
void y_bool(YTree *t, YNode *map, const char *key, bool value);
/* In a map: node (taken) under key, replacing what was there. */
void y_put(YTree *t, YNode *map, const char *key, YNode *node);
/* In a list: a new map at its end; a string at its end. */
YNode *y_push_map(YTree *t, YNode *list);
void y_push_str(YTree *t, YNode *list, const char *value);
void y_push_int(YTree *t, YNode *list, long long value);
/* In a list: node (taken) at its end. */
void y_push(YTree *t, YNode *list, YNode *node);

/* Appends the document (a map) to out, in block style, one "key: value" a line. Returns 0 or
 * -ENOMEM. */
int y_write(const YNode *doc, StrBuf *out);
/* A string as YAML's double-quoted scalar (JSON's escapes). */
int y_quote(const char *s, StrBuf *out);
