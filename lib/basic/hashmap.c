/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <endian.h>
#include <stdint.h>
#include <string.h>

#include "hashmap.h"

/* Eight bytes at a time, read as little-endian whatever the machine, each word folded in with a
 * multiply and a shift: short keys (file and unit names) in a few steps. The same on every machine
 * (the option table's key index is made with it at build time, see option-tables.h). No adversary
 * worth a keyed hash: a file's name is chosen by whoever may write the directory, who can change
 * the units directly anyway. */
static inline uint64_t mix(uint64_t h, uint64_t w) {
        h = (h ^ w) * UINT64_C(0x9e3779b97f4a7c15);
        return h ^ (h >> 32);
}

static inline uint64_t load64(const char *s) {
        uint64_t w;
        memcpy(&w, s, sizeof(w));
        return le64toh(w);
}

static inline uint64_t load32(const char *s) {
        uint32_t w;
        memcpy(&w, s, sizeof(w));
        return le32toh(w);
}

size_t hash_string(const char *s, size_t n) {
        uint64_t h = UINT64_C(0xcbf29ce484222325) ^ n;
        size_t left = n;
        for (; left > 8; s += 8, left -= 8)
                h = mix(h, load64(s));
        /* the last 1 to 8 bytes in one word: the last eight of a longer key (some read twice),
         * two loads of four that may overlap, or the first, middle and last byte */
        uint64_t w = n >= 8     ? load64(s + left - 8)
                     : left >= 4 ? load32(s) | load32(s + left - 4) << 32
                     : left      ? (uint64_t) (unsigned char) s[0] | (uint64_t) (unsigned char) s[left / 2] << 8 |
                                      (uint64_t) (unsigned char) s[left - 1] << 16
                                 : 0;
        h = mix(h, w);
        /* the map takes the low bits: the high ones folded into them */
        return (size_t) (h ^ (h >> 29));
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
