/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Values of several words, one item each: argv words, KEY=VALUE words, unit names and names of
 * other definitions. Every word is checked before the first item is added, so that an assignment
 * with an error adds nothing. */
#include <ctype.h>

#include "escape.h"
#include "internal.h"

/* An error of word 'index' (from 1) of a secret row, of which 'word' is what was decoded: named by
 * its variable, the part before '=', and without its value; a word with no variable yet is named
 * by its number, as all of it may be the secret. */
static int secret_error(OciParse *p, const char *word, size_t index, const char *what) {
        size_t k = word ? strcspn(word, "=") : 0;
        if (k > 0 && word[k] == '=')
                return oci_parse_error_bare(p, ": %.*s (its value not shown): %s", (int) k, word, what);
        return oci_parse_error_bare(p, ": word %zu (not shown: all of it may be a secret): %s", index, what);
}

/* A secret's value goes to a file systemd reads as it is, where nothing resolves a specifier. */
static bool secret_percent_valid(const char *word) {
        for (const char *c = strchr(word, '%'); c; c = strchr(c + 2, '%'))
                if (c[1] != '%')
                        return false;
        return true;
}

/* The words of text by systemd's quoting rules, each valid UTF-8 and with known specifiers only
 * (a secret's: with no specifier but "%%"). */
static int split_checked(OciParse *p, const char *text, char ***ret) {
        bool secret = value_option(p)->flags & OCI_OPT_CONFIDENTIAL;
        _cleanup_strv_free_ char **words = NULL;
        _cleanup_free_ char *partial = NULL;
        const char *err = NULL;
        size_t bad = 0;
        int r = oci_split_words_at(text, &words, &err, &bad, &partial);
        if (r == -ENOMEM)
                return r;
        if (r < 0 && secret)
                return secret_error(p, partial, bad, err);
        if (r < 0)
                return oci_parse_error(p, ": %s", err);
        for (size_t i = 0; words[i]; i++) {
                if (!utf8_is_valid_n(words[i], strlen(words[i])))
                        return secret ? secret_error(p, words[i], i + 1, "an escape sequence makes the value invalid UTF-8")
                                      : oci_parse_error(p, "%s", ": an escape sequence makes the value invalid UTF-8");
                if (secret && !secret_percent_valid(words[i]))
                        return secret_error(p, words[i], i + 1,
                                            "a '%' that is not \"%%\": specifiers are not resolved in a secret value (it is kept "
                                            "out of the unit); write the value itself, or %% for a '%'");
                /* an escape such as \x25 can make a '%' the raw text did not show */
                r = secret ? 0 : value_check_specifiers(p, words[i]);
                if (r < 0)
                        return r;
        }
        *ret = TAKE_PTR(words);
        return 0;
}

/* One argv word, as the row's reading split it (oci_value_parse()). */
static int parse_words(OciParse *p, const char *word) {
        if (!value_utf8_valid(p, word))
                return oci_parse_error(p, "%s", ": an escape sequence makes the value invalid UTF-8");
        return value_push(p, value_keep(p, word)) ? 0 : -ENOMEM;
}

/* KEY=VALUE, or a KEY alone where the row is read as Quadlet reads Environment= (the engine takes
 * the value from its own environment, or makes it empty), but never for a secret. */
static int check_keyvalue(OciParse *p, const char *word, size_t index, size_t *ret_key_len) {
        bool secret = value_option(p)->flags & OCI_OPT_CONFIDENTIAL;
        bool bare = !secret && (oci_option_read(p->id) == OCI_READ_KEYVAL || (value_option(p)->flags & OCI_OPT_BARE_KEYS));
        const char *eq = strchr(word, '=');
        if (eq == word || (!eq && (!bare || !*word)))
                return secret ? secret_error(p, NULL, index, "not VARIABLE=VALUE (quote a value with spaces: \"KEY=a b\")")
                              : oci_parse_error_bare(p, ": '%s' is not KEY=VALUE (quote a value with spaces: \"KEY=a b\")", word);
        if (!eq)
                eq = word + value_len(p, word);
        for (const char *k = word; k < eq; k++)
                if (*k == ' ' || (unsigned char) *k < 0x20) /* the C locale's other spaces are below 0x20 */
                        return secret ? secret_error(p, word, index, "the variable's name may not hold spaces or control characters")
                                      : oci_parse_error_bare(p, ": the key of '%s' may not hold spaces or control characters", word);
        *ret_key_len = (size_t) (eq - word);
        return 0;
}

/* qsort(), but an insertion sort for the few elements most values have, which costs less than
 * qsort()'s merge; cmp must tell every two elements apart, so that both give the one order there is. */
static void sort_few(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *)) {
        char tmp[sizeof(OciItem)];
        if (n > 16 || size > sizeof(tmp)) {
                qsort(base, n, size, cmp);
                return;
        }
        char *b = base;
        for (size_t i = 1; i < n; i++) {
                size_t j = i;
                while (j > 0 && cmp(b + (j - 1) * size, b + i * size) > 0)
                        j--;
                if (j == i)
                        continue;
                memcpy(tmp, b + i * size, size);
                memmove(b + (j + 1) * size, b + j * size, (i - j) * size);
                memcpy(b + j * size, tmp, size);
        }
}

/* Of each run of items that 'same' says are the same, keeps the first written (keep_first) or the
 * last, and drops the others; the items left close up in their order. A few items are each
 * compared with those after them; more are found in runs, cmp ordering the items' addresses so
 * that the runs are next to each other, in the order written: n log n. */
static int drop_repeats(OciItems *items, int (*cmp)(const void *, const void *), bool (*same)(const OciItem *, const OciItem *),
                        bool keep_first) {
        size_t n = items->n;
        if (n < 2)
                return 0;
        OciItem *it = items->items;
        if (n <= 16) {
                for (size_t i = 0; i < n; i++)
                        for (size_t j = i + 1; it[i].text && j < n; j++)
                                if (it[j].text && same(&it[i], &it[j]))
                                        it[keep_first ? j : i].text = NULL;
        } else {
                OciItem **ptrs = malloc(n * sizeof(*ptrs));
                if (!ptrs)
                        return -ENOMEM;
                for (size_t i = 0; i < n; i++)
                        ptrs[i] = &it[i];
                qsort(ptrs, n, sizeof(*ptrs), cmp);
                size_t keep = 0; /* the one of the current run that stays so far */
                for (size_t i = 1; i < n; i++) {
                        if (!same(ptrs[keep], ptrs[i]))
                                keep = i;
                        else if (keep_first)
                                ptrs[i]->text = NULL;
                        else {
                                ptrs[keep]->text = NULL;
                                keep = i;
                        }
                }
                free(ptrs);
        }
        /* a dropped item has no text */
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
                if (it[i].text) {
                        if (k != i)
                                it[k] = it[i];
                        k++;
                }
        items->n = k;
        return 0;
}

/* Repeats are dropped once, by finish(); but also whenever the count reaches a power of two from
 * 1,024 on, so that a value that repeats one word a million times holds a few items, not a million,
 * and each word still costs n log n in all. */
static bool time_to_compact(const OciItems *items) {
        size_t n = items->n;
        return n >= 1024 && (n & (n - 1)) == 0;
}

/* The items in the order of (key, position): of each key, the last one written comes last. */
static int compare_key_then_position(const void *a, const void *b) {
        const OciItem *x = *(const OciItem *const *) a, *y = *(const OciItem *const *) b;
        int c = memcmp(x->text, y->text, x->key_len < y->key_len ? x->key_len : y->key_len);
        if (c == 0 && x->key_len != y->key_len)
                c = x->key_len < y->key_len ? -1 : 1;
        return c != 0 ? c : x < y ? -1 : x > y;
}

static bool same_key(const OciItem *a, const OciItem *b) {
        return a->key_len == b->key_len && memcmp(a->text, b->text, a->key_len) == 0;
}

static int drop_replaced_keys(OciItems *items) {
        return drop_repeats(items, compare_key_then_position, same_key, false);
}

/* An item of KEY=VALUE (item memory), whose key is key_len bytes. */
static int push_keyvalue(OciParse *p, char *word, size_t key_len) {
        OciItem *it = value_push(p, word);
        if (!it)
                return -ENOMEM;
        it->key_len = key_len;
        /* a later assignment of a key replaces the earlier one: the last of each key is kept when
         * repeats are dropped, so that a word costs no search over the items before it */
        if (time_to_compact(p->out) && drop_replaced_keys(p->out) < 0)
                return -ENOMEM;
        return 0;
}

/* KEY=VALUE words: one, as the row's reading split it, or a secret's whole assignment, split here
 * by systemd's rules so that every word is checked (and named by its variable) before the first
 * item is added. */
static int parse_keyvalue(OciParse *p, const char *text) {
        size_t key_len;
        int r;
        if (!(value_option(p)->flags & OCI_OPT_CONFIDENTIAL)) {
                /* one word already */
                if (!value_utf8_valid(p, text))
                        return oci_parse_error(p, "%s", ": an escape sequence makes the value invalid UTF-8");
                r = check_keyvalue(p, text, 1, &key_len);
                return r < 0 ? r : push_keyvalue(p, value_keep(p, text), key_len);
        }
        /* a secret's value is split here, strictly */
        _cleanup_strv_free_ char **words = NULL;
        r = split_checked(p, text, &words);
        if (r < 0)
                return r;
        for (size_t i = 0; words[i]; i++) {
                r = check_keyvalue(p, words[i], i + 1, &key_len);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; words[i]; i++)
                if ((r = push_keyvalue(p, value_strdup(p, words[i]), strcspn(words[i], "="))) < 0)
                        return r;
        return 0;
}

static int compare_text(const void *a, const void *b) {
        return strcmp(((const OciItem *) a)->text, ((const OciItem *) b)->text);
}

/* Of each key the last assignment, in the order of their text, so that the unit does not depend on
 * the order written. */
static int finish_keyvalue(OciItems *items) {
        int r = drop_replaced_keys(items);
        if (r < 0)
                return r;
        if (items->n > 1)
                sort_few(items->items, items->n, sizeof(OciItem), compare_text);
        return 0;
}

static int compare_text_then_position(const void *a, const void *b) {
        const OciItem *x = *(const OciItem *const *) a, *y = *(const OciItem *const *) b;
        int c = strcmp(x->text, y->text);
        return c != 0 ? c : x < y ? -1 : x > y;
}

static bool same_text(const OciItem *a, const OciItem *b) {
        return streq(a->text, b->text);
}

/* Each name once, where it was first given. */
static int finish_names(OciItems *items) {
        return drop_repeats(items, compare_text_then_position, same_text, true);
}

/* A unit name, or with subdirs DIR/.../NAME: each directory one of a unit's name characters,
 * never "." or "..". */
static bool unit_path_valid(const char *s, bool subdirs) {
        const char *slash = subdirs ? strrchr(s, '/') : NULL;
        if (!slash)
                return oci_unit_name_valid(s);
        if (strlen(s) > 1024 || !oci_unit_name_valid(slash + 1))
                return false;
        for (const char *c = s; c < slash;) {
                size_t n = strcspn(c, "/");
                _cleanup_free_ char *dir = strndup(c, n);
                if (!dir || !oci_unit_prefix_valid(dir))
                        return false;
                c += n + 1;
        }
        return true;
}

/* Space-separated names, each kept once; refs: DependsOn=NAME or NAME.container, the name kept in
 * ref. */
static int parse_names(OciParse *p, const char *text, bool refs) {
        char *words = value_words(p, text);
        if (!words)
                return -ENOMEM;
        bool subdirs = value_option(p)->flags & OCI_OPT_SUBDIRS;
        VALUE_FOREACH_WORD(w, words)
                if (refs ? !oci_unit_prefix_valid(w) : !unit_path_valid(w, subdirs))
                        return oci_parse_error_bare(p, refs ? ": '%s' is not the name of a definition (NAME or NAME.container)"
                                                            : ": '%s' is not a unit name (for example multi-user.target)",
                                                    w);
        const OciDefinition *d = value_definition(p);
        const char *ext = d ? oci_unit_type_extension(d->type) : NULL;
        if (!ext)
                ext = oci_unit_type_extension(OCI_UNIT_CONTAINER);
        VALUE_FOREACH_WORD(w, words) {
                /* the word is item memory already: the item's text, and a ref without extension */
                const char *e = refs ? endswith(w, ext) : NULL;
                OciItem *it = value_push(p, w);
                if (!it || (refs && !(it->ref = e ? value_strndup(p, w, (size_t) (e - w)) : w)))
                        return -ENOMEM;
                if (time_to_compact(p->out) && finish_names(p->out) < 0)
                        return -ENOMEM;
        }
        return 0;
}

static int parse_units(OciParse *p, const char *text) {
        return parse_names(p, text, false);
}

static int parse_refs(OciParse *p, const char *text) {
        return parse_names(p, text, true);
}

const OciValueType value_type_words = { .name = "words", .parse = parse_words };
const OciValueType value_type_keyvalue = { .name = "key=value words", .parse = parse_keyvalue, .finish = finish_keyvalue };
const OciValueType value_type_units = { .name = "unit names", .parse = parse_units, .finish = finish_names };
const OciValueType value_type_refs = { .name = "definition names", .parse = parse_refs, .finish = finish_names };
