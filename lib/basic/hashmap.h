/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "util.h"

/* A map from strings to pointers, open addressing with linear probing. The map does not own its
 * keys: a key must live as long as its entry (usually it is a field of the value). Lookups and
 * insertions cost one hash of the key and, on average, about one comparison, so what reads every
 * definition does not turn into a scan over every other definition. */
typedef struct HashMap {
        struct HashMapSlot {
                const char *key;
                void *value;
        } *slots;
        size_t n, cap; /* cap is 0 or a power of two */
} HashMap;

size_t hash_string(const char *s, size_t n);
/* The value for key, or NULL. */
void *hashmap_get(const HashMap *m, const char *key);
void *hashmap_getn(const HashMap *m, const char *key, size_t n);
/* Set key to value, replacing an entry with the same key. Returns 0 or -ENOMEM. */
int hashmap_put(HashMap *m, const char *key, void *value);
void hashmap_done(HashMap *m);
