/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <stdint.h>

#include "escape.h"
#include "testutil.h"

/* ---- an independent model of how systemd reads an ExecStart= line ----
 * Word splitting as extract_first_word(EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE), a lone unquoted ';'
 * as a command separator and "\;" as a literal ';', then per word: specifiers ("%%" is the only
 * one a literal can hold), then at exec time "$$" -> "$". Returns 0, or -1 with a reason. */

static const char *oracle_err;

static int oracle_escape(const char **pp, char *out, size_t *o) {
        const char *p = *pp;
        static const char from[] = "abfnrtv\\\"'s";
        static const char to[] = "\a\b\f\n\r\t\v\\\"' ";
        const char *hit = *p ? strchr(from, *p) : NULL;
        if (hit) {
                out[(*o)++] = to[hit - from];
                *pp = p + 1;
                return 0;
        }
        unsigned long v;
        char digits[9] = { 0 };
        if (*p == 'x') {
                memcpy(digits, p + 1, 2);
                char *end;
                v = strtoul(digits, &end, 16);
                if (strlen(digits) != 2 || *end || v == 0 || !isxdigit((unsigned char) digits[0]))
                        return oracle_err = "bad \\x", -1;
                out[(*o)++] = (char) v;
                *pp = p + 3;
                return 0;
        }
        if (*p >= '0' && *p <= '7') {
                memcpy(digits, p, 3);
                char *end;
                v = strtoul(digits, &end, 8);
                if (strlen(digits) != 3 || *end || v == 0 || v > 255)
                        return oracle_err = "bad octal", -1;
                out[(*o)++] = (char) v;
                *pp = p + 3;
                return 0;
        }
        if (*p == 'u' || *p == 'U') {
                size_t n = *p == 'u' ? 4 : 8;
                memcpy(digits, p + 1, n);
                char *end;
                v = strtoul(digits, &end, 16);
                if (strlen(digits) != n || *end || v == 0 || v > 0x10ffff)
                        return oracle_err = "bad \\u", -1;
                /* encode as UTF-8 the long way round */
                unsigned char buf[4];
                int len = v < 0x80 ? 1 : v < 0x800 ? 2 : v < 0x10000 ? 3 : 4;
                for (int i = len - 1; i > 0; i--) {
                        buf[i] = (unsigned char) (0x80 | (v & 0x3f));
                        v >>= 6;
                }
                static const unsigned char lead[] = { 0, 0, 0xc0, 0xe0, 0xf0 };
                buf[0] = (unsigned char) (lead[len] | v);
                memcpy(out + *o, buf, (size_t) len);
                *o += (size_t) len;
                *pp = p + 1 + n;
                return 0;
        }
        return oracle_err = "unknown escape", -1;
}

/* split; a word that is just "\;" is a literal ';' (systemd looks at the raw text there, before
 * unquoting); with 'exec', a lone unquoted ';' is a command separator */
static int oracle_split_full(const char *line, bool exec, char ***ret) {
        char **words = calloc(1, sizeof(char *));
        size_t nw = 0;
        const char *p = line;
        char *buf = malloc(strlen(line) * 4 + 8);
        for (;;) {
                while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
                        p++;
                if (!*p)
                        break;
                bool ends = !p[1] || strchr(" \t\n\r", p[1]);
                if (exec && p[0] == ';' && ends) {
                        oracle_err = "command separator";
                        goto fail;
                }
                size_t o = 0;
                int q = 0;
                if (p[0] == '\\' && p[1] == ';' && (!p[2] || strchr(" \t\n\r", p[2]))) {
                        p += 2;
                        buf[o++] = ';';
                        goto word_done;
                }
                for (;;) {
                        char c = *p;
                        if (!c)
                                break;
                        if (!q && (c == ' ' || c == '\t' || c == '\n' || c == '\r'))
                                break;
                        p++;
                        if (c == '\\') {
                                if (!*p || oracle_escape(&p, buf, &o) < 0) {
                                        if (!*p)
                                                oracle_err = "trailing backslash";
                                        goto fail;
                                }
                        } else if (q == c)
                                q = 0;
                        else if (!q && (c == '"' || c == '\''))
                                q = c;
                        else
                                buf[o++] = c;
                }
                if (q) {
                        oracle_err = "unbalanced quotes";
                        goto fail;
                }
        word_done:
                words = realloc(words, (nw + 2) * sizeof(char *));
                words[nw++] = strndup(buf, o);
                words[nw] = NULL;
        }
        free(buf);
        *ret = words;
        return 0;
fail:
        free(buf);
        strv_free(words);
        return -1;
}

static int oracle_split(const char *line, char ***ret) {
        return oracle_split_full(line, false, ret);
}

static int oracle_exec(const char *line, char ***ret) {
        char **w;
        if (oracle_split_full(line, true, &w) < 0)
                return -1;
        for (size_t i = 0; w[i]; i++) {
                char *s = w[i], *d = w[i];
                while (*s) {
                        if (*s == '%') {
                                if (s[1] != '%') {
                                        strv_free(w);
                                        return oracle_err = "specifier", -1;
                                }
                                *d++ = '%';
                                s += 2;
                        } else if (*s == '$') {
                                if (s[1] != '$') {
                                        strv_free(w);
                                        return oracle_err = "variable expansion", -1;
                                }
                                *d++ = '$';
                                s += 2;
                        } else
                                *d++ = *s++;
                }
                *d = 0;
        }
        *ret = w;
        return 0;
}

/* ---- random words ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(void) {
        rng_state ^= rng_state << 13;
        rng_state ^= rng_state >> 7;
        rng_state ^= rng_state << 17;
        return (uint32_t) (rng_state >> 11);
}

static char *random_word(void) {
        static const char *const pool[] = { " ", "\"", "'", "\\", "%", "$", ";", "a", "Z", "0", "\t", "\n", "\r",
                                            "\x01", "\x1f", "\x7f", "ü", "€", "😀", "#", "=", "-", "%%", "$$",
                                            "\\\\", "%n", "${X}", "$X", "\\;", "\\x41", "{", "}" };
        char buf[256] = { 0 };
        size_t n = rnd() % 12;
        if (rnd() % 40 == 0)
                return strdup(";");
        for (size_t i = 0; i < n; i++)
                strcat(buf, pool[rnd() % ELEMENTSOF(pool)]);
        return strdup(buf);
}

START_TEST(test_exec_roundtrip_random) {
        for (int iter = 0; iter < 12000; iter++) {
                char **argv = NULL;
                char **spec = NULL;
                strv_extend(&argv, "/usr/bin/podman");
                strv_extend(&spec, "/usr/bin/podman");
                size_t n = 1 + rnd() % 6;
                for (size_t i = 0; i < n; i++) {
                        char *w = random_word();
                        strv_push(&spec, oci_exec_escape(w));
                        strv_push(&argv, w);
                }
                char *line = oci_quote_exec(spec);
                ck_assert_ptr_nonnull(line);
                ck_assert_msg(!strchr(line, '\n'), "line break in '%s'", line);
                char **back = NULL;
                int r = oracle_exec(line, &back);
                ck_assert_msg(r == 0, "systemd would not parse '%s': %s", line, oracle_err);
                ck_assert_uint_eq(strv_length(back), strv_length(argv));
                for (size_t i = 0; argv[i]; i++)
                        ck_assert_msg(streq(back[i], argv[i]), "word %zu: '%s' came back as '%s' (line '%s')", i, argv[i],
                                      back[i], line);
                strv_free(back);
                free(line);
                strv_free(argv);
                strv_free(spec);
        }
}
END_TEST

/* the library's splitter (for Exec=, Environment=...) agrees with the model on any input */
START_TEST(test_split_matches_model) {
        static const char *const pool[] = { " ", "\"", "'", "\\", "\\n", "\\t", "\\x41", "\\x00", "\\xZZ", "\\101", "\\;", " \\; ",
                                            "\\u00fc", "\\U0001F600", "\\s", "\\q", "a", "b c", "ü", "%h", "$", ";",
                                            "\\\\", "\\\"", "\\'", "\t" };
        for (int iter = 0; iter < 12000; iter++) {
                char buf[512] = { 0 };
                size_t n = rnd() % 10;
                for (size_t i = 0; i < n; i++)
                        strcat(buf, pool[rnd() % ELEMENTSOF(pool)]);
                char **mine = NULL, **model = NULL;
                const char *err = NULL;
                int a = oci_split_words(buf, &mine, &err);
                int b = oracle_split(buf, &model);
                ck_assert_msg((a == 0) == (b == 0), "'%s': library %s, model %s", buf, a == 0 ? "accepts" : err,
                              b == 0 ? "accepts" : oracle_err);
                if (a == 0) {
                        ck_assert_uint_eq(strv_length(mine), strv_length(model));
                        for (size_t i = 0; mine[i]; i++)
                                ck_assert_msg(streq(mine[i], model[i]), "'%s' word %zu", buf, i);
                } else
                        ck_assert_ptr_nonnull(err);
                strv_free(mine);
                strv_free(model);
        }
}
END_TEST

/* words kept in specifier form go through Environment=-style quoting unchanged */
START_TEST(test_words_roundtrip) {
        for (int iter = 0; iter < 5000; iter++) {
                char **words = NULL;
                size_t n = rnd() % 5;
                for (size_t i = 0; i < n; i++)
                        strv_push(&words, random_word());
                char *line = oci_quote_words(words);
                char **back = NULL;
                const char *err = NULL;
                ck_assert_int_eq(oci_split_words(line, &back, &err), 0);
                ck_assert_uint_eq(strv_length(back), strv_length(words));
                for (size_t i = 0; words && words[i]; i++)
                        ck_assert_str_eq(back[i], words[i]);
                strv_free(back);
                strv_free(words);
                free(line);
        }
}
END_TEST

static char *quote1(const char *w, unsigned flags) {
        StrBuf b = {};
        ck_assert_int_eq(oci_quote_word(&b, w, flags), 0);
        return strbuf_steal(&b);
}

START_TEST(test_quote_table) {
        static const struct {
                const char *in;
                unsigned flags;
                const char *out;
        } t[] = {
                { "plain", OCI_QUOTE_DOLLAR, "plain" },
                { "", OCI_QUOTE_DOLLAR, "\"\"" },
                { "two words", OCI_QUOTE_DOLLAR, "\"two words\"" },
                { "it's", OCI_QUOTE_DOLLAR, "\"it's\"" },
                { "say \"hi\"", OCI_QUOTE_DOLLAR, "\"say \\\"hi\\\"\"" },
                { "back\\slash", OCI_QUOTE_DOLLAR, "\"back\\\\slash\"" },
                /* variables stay for systemd to expand, "$$" is a '$'; a '$' that is neither is doubled */
                { "$HOME", OCI_QUOTE_DOLLAR, "$HOME" },
                { "${HOME}/x", OCI_QUOTE_DOLLAR, "${HOME}/x" },
                { "$$HOME", OCI_QUOTE_DOLLAR, "$$HOME" },
                { "5$ $1 ${open", OCI_QUOTE_DOLLAR, "\"5$$ $$1 $${open\"" },
                { "$HOME", 0, "$HOME" },
                { "100%", OCI_QUOTE_PERCENT, "100%%" },
                { "%h/x", 0, "%h/x" },
                { ";", OCI_QUOTE_DOLLAR, "\";\"" },
                { "a;b", OCI_QUOTE_DOLLAR, "a;b" },
                { "tab\there", 0, "\"tab\\there\"" },
                { "line\nbreak", 0, "\"line\\nbreak\"" },
                { "bell\x07", 0, "\"bell\\x07\"" },
                { "grüße", 0, "grüße" },
        };
        for (size_t i = 0; i < ELEMENTSOF(t); i++) {
                char *q = quote1(t[i].in, t[i].flags);
                ck_assert_msg(streq(q, t[i].out), "quote('%s') = '%s', expected '%s'", t[i].in, q, t[i].out);
                free(q);
        }
}
END_TEST

START_TEST(test_split_errors) {
        static const char *const bad[] = { "\"open", "'open", "end\\", "\\x00", "\\q", "\\u0000", "\\xZ1" };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                char **w = NULL;
                const char *err = NULL;
                ck_assert_msg(oci_split_words(bad[i], &w, &err) == -EINVAL, "'%s' accepted", bad[i]);
                ck_assert_ptr_nonnull(err);
        }
        char **w = NULL;
        const char *err = NULL;
        ck_assert_int_eq(oci_split_words("sh -c \"a ; b\" 'x y' z\\sw", &w, &err), 0);
        ck_assert_uint_eq(strv_length(w), 5);
        ck_assert_str_eq(w[2], "a ; b");
        ck_assert_str_eq(w[3], "x y");
        ck_assert_str_eq(w[4], "z w");
        strv_free(w);
        ck_assert_int_eq(oci_split_words("   ", &w, &err), 0);
        ck_assert_uint_eq(strv_length(w), 0);
        strv_free(w);
}
END_TEST

START_TEST(test_split_error_word) {
        /* which word failed, and what of it came before the error: a message can name its
         * variable without showing the value */
        static const struct {
                const char *in;
                size_t word;
                const char *partial;
        } t[] = {
                { "A=1 \"TOKEN=se cret", 2, "TOKEN=se cret" },
                { "TOKEN=sec\\qret", 1, "TOKEN=sec" },
                { "A=1 B=2 T\\x4bN=x\\x00y", 3, "TKN=x" },
                { "x \\; y\\", 3, "y" },
        };
        for (size_t i = 0; i < ELEMENTSOF(t); i++) {
                char **w = NULL, *partial = NULL;
                const char *err = NULL;
                size_t word = 0;
                ck_assert_int_eq(oci_split_words_at(t[i].in, &w, &err, &word, &partial), -EINVAL);
                ck_assert_ptr_null(w);
                ck_assert_ptr_nonnull(err);
                ck_assert_uint_eq(word, t[i].word);
                ck_assert_str_eq(partial, t[i].partial);
                free(partial);
        }
}
END_TEST

/* Quadlet's two ways of splitting a value, with their words joined by '|'. */
static void quadlet_split(const char *in, OciSplitMode mode, const char *want, const char *want_note) {
        char **w = NULL;
        const char *err = NULL, *note = NULL;
        ck_assert_msg(oci_split_quadlet(in, mode, &w, &err, &note) == 0, "'%s' refused: %s", in, err);
        _cleanup_free_ char *got = strv_join(w, "|");
        ck_assert_msg(streq(got, want), "'%s' split as '%s', expected '%s'", in, got, want);
        ck_assert_msg(streq_ptr(note, want_note), "'%s': note '%s', expected '%s'", in, note, want_note);
        free(w); /* one allocation */
}

START_TEST(test_split_quadlet) {
        /* LookupAllStrv: quotes group anywhere and are removed, a backslash is a character */
        quadlet_split("a \"b c\" tag=\"{{.N}}\" d'e f'g", OCI_SPLIT_WORDS, "a|b c|tag={{.N}}|de fg", NULL);
        quadlet_split("x\\ty \\n \"q\\\"", OCI_SPLIT_WORDS, "x\\ty|\\n|q\\", NULL);
        quadlet_split("  ", OCI_SPLIT_WORDS, "", NULL);
        /* LookupAllArgs: C escapes, \xNN and \NNN as the code point U+00NN, lenient at the end */
        quadlet_split("echo \"a b\" \\x41\\101\\u00e9 \\s", OCI_SPLIT_ARGS, "echo|a b|AA\xc3\xa9| ", NULL);
        quadlet_split("\\xff", OCI_SPLIT_ARGS, "\xc3\xbf", NULL);
        quadlet_split("sh -c \"echo hi", OCI_SPLIT_ARGS, "sh|-c|echo hi",
                      "an unterminated double quote (\") runs to the end of the value");
        quadlet_split("a b\\", OCI_SPLIT_ARGS, "a|b", "a backslash at the very end escapes nothing and is dropped");
        /* an empty word stays a word; "\;" alone is ';', as in systemd's command lines */
        quadlet_split("a \"\" b \\;", OCI_SPLIT_ARGS, "a||b|;", NULL);
        static const struct {
                const char *in;
                OciSplitMode mode;
        } bad[] = {
                { "\"open", OCI_SPLIT_WORDS }, { "'open", OCI_SPLIT_WORDS }, { "\\q", OCI_SPLIT_ARGS },
                { "a\\.b", OCI_SPLIT_ARGS },   { "\\x00", OCI_SPLIT_ARGS },  { "\\000", OCI_SPLIT_ARGS },
                { "\\u0000", OCI_SPLIT_ARGS }, { "\\ud800", OCI_SPLIT_ARGS }, { "\\U00110000", OCI_SPLIT_ARGS },
                { "\\xZ1", OCI_SPLIT_ARGS },   { "\\400", OCI_SPLIT_ARGS },  { "a\\;", OCI_SPLIT_ARGS },
        };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                char **w = NULL;
                const char *err = NULL;
                ck_assert_msg(oci_split_quadlet(bad[i].in, bad[i].mode, &w, &err, NULL) == -EINVAL, "'%s' accepted", bad[i].in);
                ck_assert_ptr_null(w);
                ck_assert_ptr_nonnull(err);
        }
}
END_TEST

/* The words go into the caller's buffer of len + 2 bytes, which is never grown: words that would
 * not fit (here a text longer than the len it is said to have) are refused, the buffer's end left
 * as it was, whichever construct overflows it. */
START_TEST(test_split_quadlet_room) {
        static const struct {
                const char *in;
                OciSplitMode mode;
        } over[] = {
                { "abcdef ghijkl", OCI_SPLIT_WORDS }, { "abcdef ghijkl", OCI_SPLIT_ARGS },
                { "a \\; b c d e", OCI_SPLIT_ARGS }, { "a\u00e9\u00e9\u00e9\u00e9", OCI_SPLIT_ARGS },
        };
        for (size_t i = 0; i < ELEMENTSOF(over); i++) {
                char buf[16];
                memset(buf, 'X', sizeof(buf));
                size_t n = 0;
                const char *err = NULL;
                /* room for 4 bytes: len 2 */
                int r = oci_split_quadlet_to(over[i].in, 2, over[i].mode, buf, &n, &err, NULL);
                ck_assert_msg(r == -ENOBUFS, "'%s': %d, expected -ENOBUFS", over[i].in, r);
                for (size_t k = 4; k < sizeof(buf); k++)
                        ck_assert_msg(buf[k] == 'X', "'%s': byte %zu past the room written", over[i].in, k);
        }
}
END_TEST

START_TEST(test_ends_in_backslash) {
        ck_assert(!oci_ends_in_backslash(""));
        ck_assert(!oci_ends_in_backslash("a"));
        ck_assert(oci_ends_in_backslash("\\"));
        ck_assert(oci_ends_in_backslash("a\\"));
        ck_assert(!oci_ends_in_backslash("a\\\\"));
        ck_assert(oci_ends_in_backslash("a\\\\\\"));
        ck_assert(!oci_ends_in_backslash("a\\b"));
        /* the end of a line of a unit: a value ending so would continue it */
        ck_assert(!oci_unit_value_is_safe("/var/log/web.log\\"));
        ck_assert(oci_unit_value_is_safe("C:\\\\"));
}
END_TEST

START_TEST(test_specifiers) {
        char bad = 'x';
        ck_assert(oci_specifiers_valid("plain", &bad));
        ck_assert(oci_specifiers_valid("%h/%N and 100%%", &bad));
        ck_assert(oci_specifiers_valid("%l %q %y %Y", &bad)); /* systemd 252 knows these */
        ck_assert(!oci_specifiers_valid("50%k", &bad));
        ck_assert_int_eq(bad, 'k');
        ck_assert(!oci_specifiers_valid("trailing %", &bad));
        ck_assert_int_eq(bad, 0);
        ck_assert(!oci_specifiers_valid("%%%", &bad));
        char *e = oci_specifier_escape("a%b%%");
        ck_assert_str_eq(e, "a%%b%%%%");
        free(e);
}
END_TEST

START_TEST(test_unit_names) {
        ck_assert(oci_unit_prefix_valid("web"));
        ck_assert(oci_unit_prefix_valid("a-b_c.d:e\\x20"));
        ck_assert(!oci_unit_prefix_valid(""));
        ck_assert(!oci_unit_prefix_valid("a b"));
        ck_assert(!oci_unit_prefix_valid("a/b"));
        ck_assert(!oci_unit_prefix_valid("a@b"));
        /* "a." would make a..service, "a..b" holds ".." itself */
        ck_assert(!oci_unit_prefix_valid("a."));
        ck_assert(!oci_unit_prefix_valid("a..b"));
        ck_assert(!oci_unit_prefix_valid(".a"));
        ck_assert(oci_unit_prefix_valid("a.b"));
        ck_assert(!oci_unit_name_valid("a..service"));
        ck_assert(!oci_unit_name_valid("web@b..service"));
        ck_assert(oci_unit_name_valid("multi-user.target"));
        ck_assert(oci_unit_name_valid("getty@tty1.service"));
        ck_assert(oci_unit_name_valid("getty@.service"));
        ck_assert(!oci_unit_name_valid("web"));
        ck_assert(!oci_unit_name_valid("web.container"));
        ck_assert(!oci_unit_name_valid("../x.service"));
        char longname[300];
        memset(longname, 'a', 260);
        strcpy(longname + 260, ".service");
        ck_assert(!oci_unit_name_valid(longname));
        ck_assert(!oci_unit_value_is_safe("a\nb"));
        ck_assert(oci_unit_value_is_safe("a\tb"));
}
END_TEST

static Suite *make(void) {
        Suite *s = suite_create("escape");
        TCase *tc = tcase_create("core");
        tcase_set_timeout(tc, 60);
        tcase_add_test(tc, test_exec_roundtrip_random);
        tcase_add_test(tc, test_split_matches_model);
        tcase_add_test(tc, test_words_roundtrip);
        tcase_add_test(tc, test_quote_table);
        tcase_add_test(tc, test_split_errors);
        tcase_add_test(tc, test_split_error_word);
        tcase_add_test(tc, test_split_quadlet);
        tcase_add_test(tc, test_split_quadlet_room);
        tcase_add_test(tc, test_ends_in_backslash);
        tcase_add_test(tc, test_specifiers);
        tcase_add_test(tc, test_unit_names);
        suite_add_tcase(s, tc);
        return s;
}
RUN_SUITE(make)
