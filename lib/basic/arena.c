/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

/* Most allocations are a few dozen bytes: a block holds hundreds of them. An arena that finds no
 * spare block starts with a small one, a size malloc() keeps at hand, and goes on with blocks of
 * the usual size: a run with one definition has a dozen arenas of a few hundred bytes each, and
 * each page a block is the first to write is a page fault (a microsecond or more), which small
 * blocks mostly share. */
#define ARENA_BLOCK_SIZE 32768
#define ARENA_FIRST_SIZE (1024 - sizeof(ArenaBlock))

/* Blocks of the usual size that arena_free() let go of, for the next arenas that need one: a
 * program that makes and frees arenas for the units it writes (a few at a time) asks malloc() for
 * none (a request this large has malloc() sort its lists of freed chunks first: about 1,500
 * instructions each time in the generator). Not thread-safe; nothing here runs threads. */
#define SPARES_MAX 4
static ArenaBlock *spares;
static unsigned n_spares;

/* A block after next of at least size bytes, its size set: a spare for any request up to the usual
 * size, else a new one. */
static ArenaBlock *block_new(size_t size, ArenaBlock *next) {
        ArenaBlock *b;
        if (size <= ARENA_BLOCK_SIZE && spares) {
                b = spares;
                spares = b->next;
                n_spares--;
                size = ARENA_BLOCK_SIZE;
        } else if (!(b = malloc(sizeof(ArenaBlock) + size)))
                return NULL;
        *b = (ArenaBlock) { .next = next, .size = size };
        return b;
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
                /* the first block small, unless a spare is there; a larger request, a block of its own */
                size_t bs = !b && !spares ? ARENA_FIRST_SIZE : ARENA_BLOCK_SIZE;
                ArenaBlock *n = block_new(size > bs ? size : bs, b);
                if (!n)
                        return NULL;
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
