/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>

/* What lives until the end (nodes, unit names, ports) comes from blocks of its own, apart from the
 * definitions that come and go: no malloc() header per string, and no holes between them. Nothing
 * is freed alone; arena_free() lets go of every block at once. */
typedef struct ArenaBlock {
        struct ArenaBlock *next;
        size_t used, size;
        max_align_t data[];
} ArenaBlock;

/* Returns size zeroed bytes, aligned to 8, from *arena (NULL: an empty arena), or NULL. */
void *arena_alloc(ArenaBlock **arena, size_t size);
/* Returns a copy of s in *arena, or NULL. */
char *arena_strdup(ArenaBlock **arena, const char *s);
/* Frees every block of the arena. */
void arena_free(ArenaBlock *arena);
