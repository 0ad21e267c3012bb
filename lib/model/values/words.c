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

/* Move the words into items, taking the vector. */
static int push_words(OciParse *p, char **words) {
        int r = 0;
        for (size_t i = 0; words[i]; i++)
                if (r == 0 && !oci_items_push(p->out, &p->loc, words[i]))
                        r = -ENOMEM; /* the push freed the word */
                else if (r < 0)
                        free(words[i]);
        free(words);
        return r;
}

static int parse_words(OciParse *p, const char *text) {
        _cleanup_strv_free_ char **words = NULL;
        int r = split_checked(p, text, &words);
        if (r < 0)
                return r;
        /* a row that is not a list takes the words of its last assignment */
        if (!(value_option(p)->flags & OCI_OPT_LIST))
                oci_items_clear(p->out, OCI_TYPE_WORDS);
        return push_words(p, TAKE_PTR(words));
}

static int check_keyvalue(OciParse *p, const char *word, size_t index) {
        bool secret = value_option(p)->flags & OCI_OPT_CONFIDENTIAL;
        const char *eq = strchr(word, '=');
        if (!eq || eq == word)
                return secret ? secret_error(p, NULL, index, "not VARIABLE=VALUE (quote a value with spaces: \"KEY=a b\")")
                              : oci_parse_error_bare(p, ": '%s' is not KEY=VALUE (quote a value with spaces: \"KEY=a b\")", word);
        for (const char *k = word; k < eq; k++)
                if (isspace((unsigned char) *k) || (unsigned char) *k < 0x20)
                        return secret ? secret_error(p, word, index, "the variable's name may not hold spaces or control characters")
                                      : oci_parse_error_bare(p, ": the key of '%s' may not hold spaces or control characters", word);
        return 0;
}

static int parse_keyvalue(OciParse *p, const char *text) {
        _cleanup_strv_free_ char **words = NULL;
        int r = split_checked(p, text, &words);
        if (r < 0)
                return r;
        for (size_t i = 0; words[i]; i++) {
                r = check_keyvalue(p, words[i], i + 1);
                if (r < 0)
                        return r;
        }
        /* the items take the words one by one: from here on the vector is freed by hand */
        char **l = TAKE_PTR(words);
        r = 0;
        for (size_t i = 0; l[i]; i++) {
                if (r < 0) {
                        free(l[i]);
                        continue;
                }
                size_t key_len = strcspn(l[i], "=");
                /* a later assignment of the same key replaces the earlier one */
                for (size_t j = 0; j < p->out->n; j++) {
                        const OciItem *e = &p->out->items[j];
                        if (e->key_len == key_len && strncmp(e->text, l[i], key_len + 1) == 0) {
                                value_items_remove(p->out, j, &value_type_keyvalue);
                                break;
                        }
                }
                OciItem *it = oci_items_push(p->out, &p->loc, l[i]);
                if (it)
                        it->key_len = key_len;
                else
                        r = -ENOMEM;
        }
        free(l);
        return r;
}

static int compare_text(const void *a, const void *b) {
        return strcmp(((const OciItem *) a)->text, ((const OciItem *) b)->text);
}

/* KEY=VALUE items in the order of their text, so that the unit does not depend on the order written. */
static int finish_keyvalue(OciItems *items) {
        if (items->n > 1)
                qsort(items->items, items->n, sizeof(OciItem), compare_text);
        return 0;
}

static bool have_text(const OciItems *items, const char *text) {
        for (size_t i = 0; i < items->n; i++)
                if (streq(items->items[i].text, text))
                        return true;
        return false;
}

/* Space-separated names, each once; refs: DependsOn=NAME or NAME.container, the name kept in ref. */
static int parse_names(OciParse *p, const char *text, bool refs) {
        _cleanup_strv_free_ char **words = NULL;
        if (strv_split(text, " \t", false, &words) < 0)
                return -ENOMEM;
        for (char **w = words; *w; w++)
                if (refs ? !oci_unit_prefix_valid(*w) : !oci_unit_name_valid(*w))
                        return oci_parse_error_bare(p, refs ? ": '%s' is not the name of a definition (NAME or NAME.container)"
                                                            : ": '%s' is not a unit name (for example multi-user.target)",
                                                    *w);
        const OciDefinition *d = value_definition(p);
        const char *ext = d ? oci_unit_type_extension(d->type) : NULL;
        if (!ext)
                ext = oci_unit_type_extension(OCI_UNIT_CONTAINER);
        for (char **w = words; *w; w++) {
                if (have_text(p->out, *w))
                        continue;
                const char *e = refs ? endswith(*w, ext) : NULL;
                char *ref = NULL;
                if (refs && !(ref = e ? strndup(*w, (size_t) (e - *w)) : strdup(*w)))
                        return -ENOMEM;
                OciItem *it = oci_items_push(p->out, &p->loc, strdup(*w));
                if (!it) {
                        free(ref);
                        return -ENOMEM;
                }
                it->ref = ref;
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
const OciValueType value_type_units = { .name = "unit names", .parse = parse_units };
const OciValueType value_type_refs = { .name = "definition names", .parse = parse_refs };
