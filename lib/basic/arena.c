/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

/* Most allocations are a few dozen bytes: a block holds hundreds of them. */
#define ARENA_BLOCK_SIZE 32768

/* Blocks of the usual size that arena_free() let go of, for the next arenas that need one: a
 * program that makes and frees arenas for the units it writes (a few at a time) asks malloc() for
 * none (a request this large has malloc() sort its lists of freed chunks first: about 1,500
 * instructions each time in the generator). Not thread-safe; nothing here runs threads. */
#define SPARES_MAX 4
static ArenaBlock *spares;
static unsigned n_spares;

static ArenaBlock *block_new(size_t size) {
        if (size == ARENA_BLOCK_SIZE && spares) {
                ArenaBlock *b = spares;
                spares = b->next;
                n_spares--;
                return b;
        }
        return malloc(sizeof(ArenaBlock) + size);
}

static void block_free(ArenaBlock *b) {
        if (b && b->size == ARENA_BLOCK_SIZE && n_spares < SPARES_MAX) {
                b->next = spares;
                spares = b;
                n_spares++;
        } else
                free(b);
}

void *arena_alloc(ArenaBlock **arena, size_t size) {
        assert(arena);
        size = (size + 7) & ~(size_t) 7;
        ArenaBlock *b = *arena;
        if (!b || b->size - b->used < size) {
                size_t bs = size > ARENA_BLOCK_SIZE ? size : ARENA_BLOCK_SIZE;
                ArenaBlock *n = block_new(bs);
                if (!n)
                        return NULL;
                *n = (ArenaBlock) { .next = b, .size = bs };
                *arena = b = n;
        }
        void *p = (char *) b->data + b->used;
        b->used += size;
        return memset(p, 0, size);
}

char *arena_strdup(ArenaBlock **arena, const char *s) {
        assert(arena);
        assert(s);
        size_t n = strlen(s) + 1;
        char *p = arena_alloc(arena, n);
        return p ? memcpy(p, s, n) : NULL;
}

void *arena_alloc_uninit(ArenaBlock **arena, size_t size) {
        assert(arena);
        ArenaBlock *b = *arena;
        size_t rounded = (size + 7) & ~(size_t) 7;
        if (size >= SIZE_MAX - 8 || !b || b->size - b->used < rounded)
                return arena_alloc(arena, size); /* a block of its own, or a new one */
        void *p = (char *) b->data + b->used;
        b->used += rounded;
        return p;
}

char *arena_strndup(ArenaBlock **arena, const char *s, size_t n) {
        assert(arena);
        assert(s || n == 0);
        char *p = arena_alloc_uninit(arena, n + 1);
        if (!p)
                return NULL;
        memcpy(p, s, n);
        p[n] = 0;
        return p;
}

void arena_reset(ArenaBlock **arena) {
        assert(arena);
        ArenaBlock *keep = NULL;
        for (ArenaBlock *b = *arena, *next; b; b = next) {
                next = b->next;
                if (!keep && b->size == ARENA_BLOCK_SIZE)
                        keep = b;
                else
                        block_free(b);
        }
        if (keep)
                *keep = (ArenaBlock) { .size = ARENA_BLOCK_SIZE };
        *arena = keep;
}

void arena_free(ArenaBlock *arena) {
        while (arena) {
                ArenaBlock *next = arena->next;
                block_free(arena);
                arena = next;
        }
}
