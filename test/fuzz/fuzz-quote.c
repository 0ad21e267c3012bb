/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The quoting round trip. The input, split at NUL bytes, is an argv (a C string cannot hold a
 * NUL, so every other byte may appear in a word):
 *
 *   - oci_quote_words() then oci_split_words() gives the words back;
 *   - oci_quote_word() with OCI_QUOTE_PERCENT gives a value whose specifiers are all valid, and
 *     splitting it and undoing "%%" gives the words back;
 *   - oci_quote_exec(), which refuses an argv[0] that is not absolute, takes words in unit form:
 *     with every '$' written "$$" (a literal one), splitting and undoing "$$" gives the words
 *     back;
 *   - none of these values holds a line break.
 *
 * Then the input up to its first NUL is taken as a value a user wrote: when oci_split_words()
 * accepts it, quoting the words and splitting again gives the same words. */
#include "fuzz-common.h"

/* s with every doubled c made single; NULL if a c stands alone (the quoting never writes that) */
static char *undouble(const char *s, char c) {
        char *out = malloc(strlen(s) + 1), *o = out;
        FUZZ_CHECK(out);
        for (; *s; s++) {
                if (*s == c) {
                        if (s[1] != c) {
                                free(out);
                                return NULL;
                        }
                        s++;
                }
                *o++ = *s;
        }
        *o = 0;
        return out;
}

static void check_round_trip(char *const *words, const char *quoted, char undo) {
        FUZZ_CHECK(quoted);
        FUZZ_CHECK(oci_unit_value_is_safe(quoted));
        char **back = NULL;
        const char *err = NULL;
        int r = oci_split_words(quoted, &back, &err);
        if (r != 0) {
                fprintf(stderr, "cannot split what was quoted: %s\n", err ? err : "?");
                abort();
        }
        size_t n = strv_length(words);
        FUZZ_CHECK(strv_length(back) == n);
        for (size_t i = 0; i < n; i++) {
                char *w = undo ? undouble(back[i], undo) : strdup(back[i]);
                FUZZ_CHECK(w);
                if (!streq(w, words[i])) {
                        fprintf(stderr, "word %zu changed in the round trip (quoted: %s)\n", i, quoted);
                        abort();
                }
                free(w);
        }
        strv_free(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        /* the argv: every NUL ends a word; the bytes after the last NUL are the last word */
        char **words = NULL;
        const char *p = (const char *) data, *end = p + size;
        for (;;) {
                const char *nul = memchr(p, 0, (size_t) (end - p));
                size_t n = nul ? (size_t) (nul - p) : (size_t) (end - p);
                FUZZ_CHECK(strv_push(&words, strndup(p, n)) == 0);
                if (!nul)
                        break;
                p = nul + 1;
        }

        char *q = oci_quote_words(words);
        check_round_trip(words, q, 0);
        free(q);

        StrBuf b = {};
        for (size_t i = 0; words[i]; i++) {
                if (i > 0)
                        FUZZ_CHECK(strbuf_putc(&b, ' ') == 0);
                FUZZ_CHECK(oci_quote_word(&b, words[i], OCI_QUOTE_PERCENT) == 0);
        }
        q = strbuf_steal(&b);
        FUZZ_CHECK(oci_specifiers_valid(q, NULL));
        check_round_trip(words, q, '%');
        free(q);

        char **literal = NULL;
        for (size_t i = 0; words[i]; i++) {
                StrBuf w = {};
                for (const char *c = words[i]; *c; c++)
                        FUZZ_CHECK(strbuf_puts(&w, *c == '$' ? "$$" : (char[]) { *c, 0 }) == 0);
                FUZZ_CHECK(strv_push(&literal, strbuf_steal(&w)) == 0);
        }
        q = oci_quote_exec(literal);
        strv_free(literal);
        if (path_is_absolute(words[0]))
                check_round_trip(words, q, '$');
        else
                FUZZ_CHECK(!q);
        free(q);
        strv_free(words);

        /* a value as written: split, quote, split again */
        char *value = strndup((const char *) data, size);
        FUZZ_CHECK(value);
        char **split = NULL;
        const char *err = NULL;
        if (oci_split_words(value, &split, &err) == 0) {
                q = oci_quote_words(split);
                check_round_trip(split, q, 0);
                free(q);
                strv_free(split);
        } else
                FUZZ_CHECK(err);
        free(value);
        return 0;
}
