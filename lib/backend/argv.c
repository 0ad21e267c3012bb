/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The words of the commands a render builds, in the render's arena: a definition's commands cost
 * a few bumps of a pointer, not an allocation and a free for each word. */
#include <assert.h>
#include <stdarg.h>

#include "render.h"

/* Not thread-safe; nothing here runs threads. */
static StrBuf scratch;

StrBuf *oci_argv_scratch(void) {
        scratch.len = 0;
        return &scratch;
}

/* Room for extra more words (and the NULL after them) in a. */
static int reserve(OciArgv *a, size_t extra) {
        if (a->n + extra < a->cap)
                return 0;
        /* a larger vector in the arena: the old one stays there unused, which at most doubles
         * what the vectors take */
        size_t cap = a->cap ? 2 * a->cap : 16;
        while (cap <= a->n + extra)
                cap *= 2;
        char **w = arena_alloc_uninit(&a->store->arena, cap * sizeof(char *));
        if (!w)
                return -ENOMEM;
        if (a->n)
                memcpy(w, a->words, a->n * sizeof(char *));
        a->words = w;
        a->cap = cap;
        return 0;
}

int oci_argv_push(OciArgv *a, char *word) {
        assert(a && a->store);
        if (!word || reserve(a, 1) < 0)
                return -ENOMEM;
        a->words[a->n++] = word;
        a->words[a->n] = NULL;
        return 0;
}

int oci_argv_addn(OciArgv *a, const char *s, size_t n) {
        assert(a && a->store);
        return oci_argv_push(a, arena_strndup(&a->store->arena, s, n));
}

int oci_argv_add(OciArgv *a, const char *word) {
        assert(word);
        return oci_argv_addn(a, word, strlen(word));
}

int oci_argv_addf(OciArgv *a, const char *fmt, ...) {
        assert(a && a->store && fmt);
        StrBuf *b = oci_argv_scratch();
        va_list ap;
        va_start(ap, fmt);
        int r = strbuf_vprintf(b, fmt, ap);
        va_end(ap);
        return r < 0 ? r : oci_argv_addn(a, b->s, b->len);
}

int oci_argv_add_join(OciArgv *a, const char *const *parts, size_t n) {
        assert(a && a->store && (parts || n == 0));
        /* put together in the store at once */
        char *w = arena_join(&a->store->arena, 0, parts, n, NULL);
        return w ? oci_argv_push(a, w) : -ENOMEM;
}

int oci_argv_add_all(OciArgv *a, const char *const *words, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (oci_argv_add(a, words[i]) < 0)
                        return -ENOMEM;
        return 0;
}

int oci_argv_push_all(OciArgv *a, const char *const *words, size_t n) {
        assert(a && a->store && (words || n == 0));
        if (reserve(a, n) < 0)
                return -ENOMEM;
        memcpy(a->words + a->n, words, n * sizeof(char *));
        a->n += n;
        a->words[a->n] = NULL;
        return 0;
}

int oci_argv_append(OciArgv *a, const OciArgv *other) {
        assert(a && a->store && other);
        if (!other->n)
                return 0;
        if (reserve(a, other->n) < 0)
                return -ENOMEM;
        memcpy(a->words + a->n, other->words, other->n * sizeof(char *));
        a->n += other->n;
        a->words[a->n] = NULL;
        return 0;
}

int oci_argv_add_items(OciArgv *a, const OciDefinition *d, OciOptionId id) {
        assert(a && d);
        OCI_FOREACH_ITEM(it, d, id)
                if (oci_argv_push(a, it->text) < 0)
                        return -ENOMEM;
        return 0;
}
