/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "hashmap.h"

/* FNV-1a: short keys (file and unit names), no adversary worth a keyed hash: a file's name is
 * chosen by whoever may write the directory, who can change the units directly anyway. */
size_t hash_string(const char *s, size_t n) {
        size_t h = (size_t) 14695981039346656037ULL;
        for (size_t i = 0; i < n; i++) {
                h ^= (unsigned char) s[i];
                h *= (size_t) 1099511628211ULL;
        }
        return h;
}

static struct HashMapSlot *find(const HashMap *m, const char *key, size_t n, size_t h) {
        if (m->cap == 0)
                return NULL;
        for (size_t i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
                struct HashMapSlot *s = &m->slots[i];
                if (!s->key || (strncmp(s->key, key, n) == 0 && s->key[n] == 0))
                        return s;
        }
}

void *hashmap_getn(const HashMap *m, const char *key, size_t n) {
        if (m->n == 0)
                return NULL; /* nothing to hash the key for */
        struct HashMapSlot *s = find(m, key, n, hash_string(key, n));
        return s && s->key ? s->value : NULL;
}

void *hashmap_get(const HashMap *m, const char *key) {
        return m->n == 0 ? NULL : hashmap_getn(m, key, strlen(key));
}

static int grow(HashMap *m) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        struct HashMapSlot *slots = calloc(cap, sizeof(*slots));
        if (!slots)
                return -ENOMEM;
        for (size_t i = 0; i < m->cap; i++) {
                struct HashMapSlot *o = &m->slots[i];
                if (!o->key)
                        continue;
                size_t j = hash_string(o->key, strlen(o->key)) & (cap - 1);
                while (slots[j].key)
                        j = (j + 1) & (cap - 1);
                slots[j] = *o;
        }
        free(m->slots);
        m->slots = slots;
        m->cap = cap;
        return 0;
}

int hashmap_put(HashMap *m, const char *key, void *value) {
        /* at most 3/4 full, so probes stay short and an empty slot always ends a search */
        if ((m->n + 1) * 4 > m->cap * 3 && grow(m) < 0)
                return -ENOMEM;
        size_t n = strlen(key), h = hash_string(key, n);
        struct HashMapSlot *s = find(m, key, n, h);
        if (!s->key)
                m->n++;
        *s = (struct HashMapSlot) { .key = key, .value = value };
        return 0;
}

void hashmap_done(HashMap *m) {
        free(m->slots);
        *m = (HashMap) {};
}
