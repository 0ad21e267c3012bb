/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Memory of one lifetime from blocks of its own: what lives until the end of a run (nodes, unit
 * names, ports), a definition's text until the definition is done, a unit's lines until it is
 * written. No malloc() header per string, and no holes between them. Nothing is freed alone;
 * arena_free() lets go of every block at once (keeping a few for the next arenas), arena_reset()
 * keeps one for the next use. */
typedef struct ArenaBlock {
        struct ArenaBlock *next;
        size_t used, size;
        max_align_t data[];
} ArenaBlock;

/* Returns size zeroed bytes, aligned to 8, from *arena (NULL: an empty arena), or NULL. */
void *arena_alloc(ArenaBlock **arena, size_t size);
/* The same, not zeroed: for text about to be written over. Inline, as arena_strndup() and
 * arena_join() are: a definition makes a hundred or more of these, each a few instructions when
 * the block has room. */
static inline void *arena_alloc_uninit(ArenaBlock **arena, size_t size) {
        assert(arena);
        ArenaBlock *b = *arena;
        size_t rounded = (size + 7) & ~(size_t) 7;
        if (size >= SIZE_MAX - 8 || !b || b->size - b->used < rounded)
                return arena_alloc(arena, size); /* a block of its own, or a new one */
        void *p = (char *) b->data + b->used;
        b->used += rounded;
        return p;
}
/* Returns a copy of s in *arena, or NULL. */
char *arena_strdup(ArenaBlock **arena, const char *s);
/* Returns a copy of the n bytes at s, NUL-terminated, in *arena, or NULL. */
static inline char *arena_strndup(ArenaBlock **arena, const char *s, size_t n) {
        assert(arena);
        assert(s || n == 0);
        char *p = arena_alloc_uninit(arena, n + 1);
        if (!p)
                return NULL;
        if (n > 0)
                memcpy(p, s, n);
        p[n] = 0;
        return p;
}
/* The n strings of parts one after another, NUL-terminated, after room bytes that the caller
 * fills; the length of it all (room included) in *ret_len unless that is NULL. NULL when memory
 * runs out. Inline: it is on the path of nearly every line of a unit. */
static inline char *arena_join(ArenaBlock **arena, size_t room, const char *const *parts, size_t n, size_t *ret_len) {
        assert(arena && (parts || n == 0));
        /* measured once: the lengths of the first few kept for the copy */
        size_t len[8], total = room;
        for (size_t i = 0; i < n; i++) {
                size_t l = strlen(parts[i]);
                if (i < sizeof(len) / sizeof(len[0]))
                        len[i] = l;
                total += l;
        }
        char *s = arena_alloc_uninit(arena, total + 1);
        if (!s)
                return NULL;
        char *p = s + room;
        for (size_t i = 0; i < n; i++) {
                size_t l = i < sizeof(len) / sizeof(len[0]) ? len[i] : strlen(parts[i]);
                memcpy(p, parts[i], l);
                p += l;
        }
        *p = 0;
        if (ret_len)
                *ret_len = total;
        return s;
}
/* Frees every block of the arena. */
void arena_free(ArenaBlock *arena);
/* Forgets what the arena holds, keeping one block of the usual size to serve again. */
void arena_reset(ArenaBlock **arena);
