/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <assert.h>
#include <stdint.h>

#include "escape.h"

#define WHITESPACE " \t\n\r"
#define UNIT_NAME_MAX OCI_UNIT_NAME_MAX

static int hexval(char c) {
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

static int put_utf8(StrBuf *b, uint32_t cp) {
        char buf[4];
        size_t n;
        if (cp < 0x80) {
                buf[0] = (char) cp;
                n = 1;
        } else if (cp < 0x800) {
                buf[0] = (char) (0xc0 | (cp >> 6));
                buf[1] = (char) (0x80 | (cp & 0x3f));
                n = 2;
        } else if (cp < 0x10000) {
                buf[0] = (char) (0xe0 | (cp >> 12));
                buf[1] = (char) (0x80 | ((cp >> 6) & 0x3f));
                buf[2] = (char) (0x80 | (cp & 0x3f));
                n = 3;
        } else {
                buf[0] = (char) (0xf0 | (cp >> 18));
                buf[1] = (char) (0x80 | ((cp >> 12) & 0x3f));
                buf[2] = (char) (0x80 | ((cp >> 6) & 0x3f));
                buf[3] = (char) (0x80 | (cp & 0x3f));
                n = 4;
        }
        return strbuf_putn(b, buf, n);
}

/* Decode one escape; *p points just past the backslash. Returns 0 or -EINVAL. */
static int unescape_one(const char **p, StrBuf *b, const char **ret_error) {
        const char *s = *p;
        uint32_t cp = 0;
        size_t ndigits = 0;
        char c = *s;

        switch (c) {
        case 'a': c = '\a'; break;
        case 'b': c = '\b'; break;
        case 'f': c = '\f'; break;
        case 'n': c = '\n'; break;
        case 'r': c = '\r'; break;
        case 't': c = '\t'; break;
        case 'v': c = '\v'; break;
        case 's': c = ' '; break;
        case '\\': case '"': case '\'': break;
        case 'x':
                if (hexval(s[1]) < 0 || hexval(s[2]) < 0)
                        goto bad;
                cp = (uint32_t) (hexval(s[1]) << 4 | hexval(s[2]));
                if (cp == 0)
                        goto nul;
                *p = s + 3;
                return strbuf_putc(b, (char) cp);
        case 'u':
        case 'U':
                ndigits = c == 'u' ? 4 : 8;
                for (size_t i = 1; i <= ndigits; i++) {
                        if (hexval(s[i]) < 0)
                                goto bad;
                        cp = cp << 4 | (uint32_t) hexval(s[i]);
                }
                if (cp == 0)
                        goto nul;
                if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
                        goto bad;
                *p = s + 1 + ndigits;
                return put_utf8(b, cp);
        case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
                for (size_t i = 0; i < 3; i++) {
                        if (s[i] < '0' || s[i] > '7')
                                goto bad;
                        cp = cp << 3 | (uint32_t) (s[i] - '0');
                }
                if (cp == 0)
                        goto nul;
                if (cp > 0xff)
                        goto bad;
                *p = s + 3;
                return strbuf_putc(b, (char) cp);
        default:
                goto bad;
        }
        *p = s + 1;
        return strbuf_putc(b, c);
bad:
        *ret_error = "invalid escape sequence after a backslash (write '\\\\' for a literal backslash)";
        return -EINVAL;
nul:
        *ret_error = "an escape sequence for a NUL byte cannot be passed to a program";
        return -EINVAL;
}

int oci_split_words(const char *s, char ***ret, const char **ret_error) {
        return oci_split_words_at(s, ret, ret_error, NULL, NULL);
}

int oci_split_words_at(const char *s, char ***ret, const char **ret_error, size_t *ret_word, char **ret_partial) {
        char **words = NULL;
        size_t n = 0;
        StrBuf w = {};
        const char *err = NULL;
        size_t n_words = 0;
        int r = 0;

        const char *p = s;
        for (;;) {
                p += strspn(p, WHITESPACE);
                if (!*p)
                        break;
                char quote = 0;
                n_words++;
                w.len = 0;
                if (strbuf_putn(&w, "", 0) < 0)
                        goto oom;
                /* "\;" standing alone is a literal ';', as in systemd's command lines */
                if (p[0] == '\\' && p[1] == ';' && (!p[2] || strchr(WHITESPACE, p[2]))) {
                        p += 2;
                        if (strv_push_at(&words, n++, strdup(";")) < 0)
                                goto oom;
                        continue;
                }
                while (*p) {
                        char c = *p;
                        if (!quote && strchr(WHITESPACE, c))
                                break;
                        if (c == '\\') {
                                p++;
                                if (!*p) {
                                        err = "a backslash at the end of a value escapes nothing (write '\\\\')";
                                        r = -EINVAL;
                                        goto fail;
                                }
                                r = unescape_one(&p, &w, &err);
                                if (r < 0)
                                        goto fail;
                                continue;
                        }
                        if (quote && c == quote) {
                                quote = 0;
                                p++;
                                continue;
                        }
                        if (!quote && (c == '"' || c == '\'')) {
                                quote = c;
                                p++;
                                continue;
                        }
                        if (strbuf_putc(&w, c) < 0)
                                goto oom;
                        p++;
                }
                if (quote) {
                        err = quote == '"' ? "unterminated double quote (\")" : "unterminated single quote (')";
                        r = -EINVAL;
                        goto fail;
                }
                if (strv_push_at(&words, n++, strndup(w.s, w.len)) < 0)
                        goto oom;
        }
        strbuf_done(&w);
        if (!words) {
                words = calloc(1, sizeof(char *));
                if (!words)
                        return -ENOMEM;
        }
        *ret = words;
        return 0;
oom:
        r = -ENOMEM;
fail:
        if (r == -EINVAL && ret_word)
                *ret_word = n_words;
        if (r == -EINVAL && ret_partial)
                *ret_partial = strndup(w.s ? w.s : "", w.len);
        strbuf_done(&w);
        strv_free(words);
        if (ret_error)
                *ret_error = err;
        return r;
}

/* One escape as Quadlet's reader decodes it; *p points just past the backslash. Returns 0 or
 * -EINVAL. Unlike systemd, \xNN and \NNN are code points (U+00NN), written in UTF-8. */
static int unescape_quadlet(const char **p, StrBuf *b) {
        const char *s = *p;
        uint32_t cp = 0;
        size_t n = 0;
        switch (*s) {
        case 'x':
                n = 2;
                break;
        case 'u':
                n = 4;
                break;
        case 'U':
                n = 8;
                break;
        case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
                for (size_t i = 0; i < 3; i++) {
                        if (s[i] < '0' || s[i] > '7')
                                return -EINVAL;
                        cp = cp << 3 | (uint32_t) (s[i] - '0');
                }
                if (cp == 0 || cp > 0xff)
                        return -EINVAL;
                *p = s + 3;
                return put_utf8(b, cp);
        default: {
                const char *err = NULL;
                /* the one-letter escapes are systemd's and Quadlet's alike */
                return strchr("abfnrtv\\\"'s", *s) && *s ? unescape_one(p, b, &err) : -EINVAL;
        }
        }
        for (size_t i = 1; i <= n; i++) {
                if (hexval(s[i]) < 0)
                        return -EINVAL;
                cp = cp << 4 | (uint32_t) hexval(s[i]);
        }
        if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
                return -EINVAL;
        *p = s + 1 + n;
        return put_utf8(b, cp);
}

static bool is_whitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* What ends a run of plain bytes in a word: the end, a quote, a backslash of ARGS, and outside
 * quotes a blank. A table lookup per byte instead of a chain of tests. */
enum { SPLIT_END = 1, SPLIT_BLANK = 2, SPLIT_QUOTE = 4, SPLIT_BACKSLASH = 8 };
static const unsigned char split_class[256] = {
        [0] = SPLIT_END,
        [' '] = SPLIT_BLANK,
        ['\t'] = SPLIT_BLANK,
        ['\n'] = SPLIT_BLANK,
        ['\r'] = SPLIT_BLANK,
        ['"'] = SPLIT_QUOTE,
        ['\''] = SPLIT_QUOTE,
        ['\\'] = SPLIT_BACKSLASH,
};

int oci_split_quadlet_to(const char *s, size_t len, OciSplitMode mode, char *buf, size_t *ret_n, const char **ret_error,
                         const char **ret_note) {
        assert(s && buf && ret_n && ret_error);
        bool args = mode == OCI_SPLIT_ARGS;
        /* every word into buf, NUL after each: no construct decodes to more bytes than it takes
         * (a quote to none, an escape of 2 to 10 bytes to 1 to 4), and each word's NUL stands for
         * the blank after it, or for the end; the room for one more NUL is the buffer's own, which
         * is never grown */
        StrBuf w = { .s = buf, .cap = len + 2, .fixed = true };
        size_t n = 0;
        const char *note = NULL;
        int r = 0;

        for (const char *p = s;;) {
                while (is_whitespace(*p))
                        p++;
                if (!*p)
                        break;
                n++;
                if (args && p[0] == '\\' && p[1] == ';' && (!p[2] || is_whitespace(p[2]))) {
                        p += 2;
                        if ((r = strbuf_putn(&w, ";", 2)) < 0)
                                return r;
                        continue;
                }
                char quote = 0;
                while (*p && (quote || !is_whitespace(*p))) {
                        char c = *p;
                        if (quote && c == quote) {
                                quote = 0;
                                p++;
                        } else if (!quote && (c == '"' || c == '\'')) {
                                quote = c;
                                p++;
                        } else if (args && c == '\\') {
                                p++;
                                if (!*p) {
                                        note = "a backslash at the very end escapes nothing and is dropped";
                                        break;
                                }
                                r = unescape_quadlet(&p, &w);
                                if (r == -ENOMEM || r == -ENOBUFS)
                                        return r;
                                if (r < 0) {
                                        *ret_error = "has an escape that Quadlet does not know, or one for a NUL byte (after a "
                                                     "backslash: a b f n r t v \\\\ \" ' s, xNN, NNN, uNNNN, UNNNNNNNN; write "
                                                     "'\\\\' for a backslash)";
                                        return r;
                                }
                        } else {
                                /* a run of bytes that stand for themselves, in one copy (inside
                                 * quotes it stops at the other quote too, which starts the next) */
                                unsigned stop = SPLIT_END | SPLIT_QUOTE | (args ? SPLIT_BACKSLASH : 0) | (quote ? 0 : SPLIT_BLANK);
                                size_t run = 1;
                                while (!(split_class[(unsigned char) p[run]] & stop))
                                        run++;
                                if ((r = strbuf_putn(&w, p, run)) < 0)
                                        return r;
                                p += run;
                        }
                }
                if (quote && !args) {
                        *ret_error = quote == '"' ? "has an unterminated double quote (\")" : "has an unterminated single quote (')";
                        return -EINVAL;
                }
                if (quote)
                        note = quote == '"' ? "an unterminated double quote (\") runs to the end of the value"
                                            : "an unterminated single quote (') runs to the end of the value";
                if ((r = strbuf_putn(&w, "", 1)) < 0) /* the word's NUL */
                        return r;
        }
        assert(w.s == buf);
        *ret_n = n;
        if (ret_note)
                *ret_note = note;
        return 0;
}

int oci_split_quadlet(const char *s, OciSplitMode mode, char ***ret, const char **ret_error, const char **ret_note) {
        assert(s && ret && ret_error);
        size_t len = strlen(s), n;
        _cleanup_free_ char *text = malloc(len + 2);
        if (!text)
                return -ENOMEM;
        int r = oci_split_quadlet_to(s, len, mode, text, &n, ret_error, ret_note);
        if (r < 0)
                return r;
        /* one allocation: the pointers, then the text */
        size_t used = 0;
        for (size_t i = 0; i < n; i++)
                used += strlen(text + used) + 1;
        char **v = malloc((n + 1) * sizeof(char *) + used);
        if (!v)
                return -ENOMEM;
        char *t = (char *) (v + n + 1);
        if (used > 0)
                memcpy(t, text, used);
        for (size_t i = 0; i < n; i++) {
                v[i] = t;
                t += strlen(t) + 1;
        }
        v[n] = NULL;
        *ret = v;
        return 0;
}

/* Per byte: QUOTE_NEEDS, the word must be in double quotes (a blank, a control character, a quote,
 * a backslash); QUOTE_ESCAPE, the byte is written as an escape or doubled (a control character,
 * '"', '\\', '%', '$'). A table lookup per byte instead of a chain of tests. */
enum { QUOTE_NEEDS = 1, QUOTE_ESCAPE = 2 };
static const unsigned char quote_class[256] = {
        [0] = QUOTE_ESCAPE, /* ends a word: stops every scan below */
        [1 ... 0x1f] = QUOTE_NEEDS | QUOTE_ESCAPE,
        [' '] = QUOTE_NEEDS,
        ['"'] = QUOTE_NEEDS | QUOTE_ESCAPE,
        ['\''] = QUOTE_NEEDS,
        ['\\'] = QUOTE_NEEDS | QUOTE_ESCAPE,
        ['%'] = QUOTE_ESCAPE,
        ['$'] = QUOTE_ESCAPE,
        [0x7f] = QUOTE_NEEDS | QUOTE_ESCAPE,
};

static bool needs_quotes(const char *w) {
        if (!*w || streq(w, ";"))
                return true;
        for (const unsigned char *c = (const unsigned char *) w; *c; c++)
                if (quote_class[*c] & QUOTE_NEEDS)
                        return true;
        return false;
}

/* Is the '$' at c, in a word for a command line, one that stands as it is: the first of "$$" (a
 * literal '$'), or the start of "${...}" or "$NAME" (a variable systemd expands from the service's
 * environment, as Quadlet leaves them)? Any other '$' stands for itself and is written "$$": systemd
 * would drop a word "$" or "$1", and a lone one is clearer doubled. */
static bool dollar_kept(const unsigned char *c) {
        return c[1] == '$' || oci_variable_at((const char *) c) > 0;
}

int oci_quote_word(StrBuf *b, const char *word, unsigned flags) {
        /* most words hold nothing to escape: one look at each byte, one copy; the bytes looked at
         * four at a time, the classes of the four joined */
        const unsigned char *w = (const unsigned char *) word;
        size_t n = strlen(word), i = 0;
        unsigned char k = 0;
        for (; i + 4 <= n; i += 4)
                k |= quote_class[w[i]] | quote_class[w[i + 1]] | quote_class[w[i + 2]] | quote_class[w[i + 3]];
        for (; i < n; i++)
                k |= quote_class[w[i]];
        if (!(k & QUOTE_ESCAPE) && n > 0 && !(n == 1 && word[0] == ';')) {
                if (!(k & QUOTE_NEEDS))
                        return strbuf_putn(b, word, n);
                int r = strbuf_putc(b, '"');
                if (r >= 0)
                        r = strbuf_putn(b, word, n);
                return r < 0 ? r : strbuf_putc(b, '"');
        }
        bool q = needs_quotes(word);
        int r = q ? strbuf_putc(b, '"') : 0;
        for (const unsigned char *c = (const unsigned char *) word; r >= 0 && *c; c++) {
                /* a run of characters that stand for themselves in one copy */
                size_t plain = 0;
                while (!(quote_class[c[plain]] & QUOTE_ESCAPE))
                        plain++;
                if (plain > 0) {
                        r = strbuf_putn(b, (const char *) c, plain);
                        c += plain - 1;
                        continue;
                }
                switch (*c) {
                case '"': r = strbuf_puts(b, "\\\""); break;
                case '\\': r = strbuf_puts(b, "\\\\"); break;
                case '\n': r = strbuf_puts(b, "\\n"); break;
                case '\t': r = strbuf_puts(b, "\\t"); break;
                case '\r': r = strbuf_puts(b, "\\r"); break;
                case '%': r = strbuf_puts(b, (flags & OCI_QUOTE_PERCENT) ? "%%" : "%"); break;
                case '$':
                        if (!(flags & OCI_QUOTE_DOLLAR))
                                r = strbuf_putc(b, '$');
                        else if (!dollar_kept(c))
                                r = strbuf_puts(b, "$$");
                        else if (c[1] == '$') {
                                r = strbuf_puts(b, "$$");
                                c++;
                        } else
                                r = strbuf_putc(b, '$'); /* the rest of the variable is written as it is */
                        break;
                default:
                        r = strbuf_printf(b, "\\x%02x", *c);
                }
        }
        if (r >= 0 && q)
                r = strbuf_putc(b, '"');
        return r;
}

static char *quote_list(char *const *words, unsigned flags) {
        StrBuf b = {};
        for (size_t i = 0; words && words[i]; i++)
                if ((i > 0 && strbuf_putc(&b, ' ') < 0) || oci_quote_word(&b, words[i], flags) < 0) {
                        strbuf_done(&b);
                        return NULL;
                }
        return strbuf_steal(&b);
}

char *oci_quote_exec(char *const *argv) {
        if (!argv || !path_is_absolute(argv[0]))
                return NULL;
        return quote_list(argv, OCI_QUOTE_DOLLAR);
}

char *oci_quote_words(char *const *words) {
        return quote_list(words, 0);
}

char *oci_specifier_escape(const char *s) {
        /* measured first (most strings hold no '%'), then copied in one allocation */
        size_t n = strlen(s), extra = 0;
        for (const char *p = memchr(s, '%', n); p; p = memchr(p + 1, '%', n - (size_t) (p + 1 - s)))
                extra++;
        char *e = malloc(n + extra + 1);
        if (!e)
                return NULL;
        if (!extra) {
                memcpy(e, s, n + 1);
                return e;
        }
        char *o = e;
        for (; *s; s++) {
                if (*s == '%')
                        *o++ = '%';
                *o++ = *s;
        }
        *o = 0;
        return e;
}

static bool env_name_start(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

size_t oci_variable_at(const char *s) {
        if (s[0] != '$')
                return 0;
        if (s[1] == '{') {
                const char *close = strchr(s + 2, '}');
                return close ? (size_t) (close - s) + 1 : 0;
        }
        if (!env_name_start(s[1]))
                return 0;
        size_t n = 2;
        while (env_name_start(s[n]) || (s[n] >= '0' && s[n] <= '9'))
                n++;
        return n;
}

bool oci_has_variable(const char *s) {
        for (const char *c = strchr(s, '$'); c; c = strchr(c + 1, '$')) {
                if (c[1] == '$') {
                        c++; /* a literal '$' */
                        continue;
                }
                if (oci_variable_at(c))
                        return true;
        }
        return false;
}

char *oci_exec_escape(const char *s) {
        StrBuf b = {};
        for (; *s; s++)
                if ((*s == '%' || *s == '$' ? strbuf_putc(&b, *s) : 0) < 0 || strbuf_putc(&b, *s) < 0) {
                        strbuf_done(&b);
                        return NULL;
                }
        return strbuf_steal(&b);
}

/* The specifiers of systemd.unit(5) that systemd 252 resolves in every unit type. */
static const char known_specifiers[] = "aAbBCdEfgGhHiIjJlLmMnNopPqsStTuUvVwWyY%";

unsigned oci_specifier_since(char c) {
        return c == 'D' ? 254 : 0; /* the shared data directory, $XDG_DATA_HOME or /usr/share */
}

bool oci_specifiers_valid(const char *s, char *ret_bad) {
        for (const char *p = strchr(s, '%'); p; p = strchr(p + 2, '%')) {
                if (!p[1] || !strchr(known_specifiers, p[1])) {
                        if (ret_bad)
                                *ret_bad = p[1];
                        return false;
                }
        }
        return true;
}

static bool ends_in_backslash_n(const char *s, size_t n) {
        size_t run = 0;
        while (run < n && s[n - 1 - run] == '\\')
                run++;
        return run % 2;
}

bool oci_ends_in_backslash(const char *s) {
        return ends_in_backslash_n(s, strlen(s));
}

bool oci_unit_text_is_safe(const char *s, size_t n) {
        return !memchr(s, '\n', n) && !memchr(s, '\r', n) && !ends_in_backslash_n(s, n);
}

bool oci_unit_value_is_safe(const char *s) {
        return oci_unit_text_is_safe(s, strlen(s));
}

bool oci_unit_prefix_valid(const char *s) {
        if (isempty(s) || strlen(s) > UNIT_NAME_MAX - strlen(".service"))
                return false;
        /* systemd would take ".x" or "a..b", but a hidden unit file or a name of dots is never meant;
         * a trailing '.' makes the ".." in "NAME..service" (and in the file name, NAME..container) */
        if (s[0] == '.' || strstr(s, "..") || endswith(s, "."))
                return false;
        for (const char *c = s; *c; c++)
                if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
                      strchr(":-_.\\", *c)))
                        return false;
        return true;
}

bool oci_unit_name_valid(const char *s) {
        const char *dot = s ? strrchr(s, '.') : NULL;
        if (!dot || strlen(s) > UNIT_NAME_MAX || !dot[1])
                return false;
        static const char *const types[] = { ".service", ".socket", ".target", ".device", ".mount",
                                             ".automount", ".swap", ".timer", ".path", ".slice", ".scope" };
        bool known = false;
        for (size_t i = 0; i < ELEMENTSOF(types); i++)
                known = known || streq(dot, types[i]);
        if (!known)
                return false;
        char prefix[UNIT_NAME_MAX + 1]; /* s is no longer */
        memcpy(prefix, s, (size_t) (dot - s));
        prefix[dot - s] = 0;
        /* "name@instance": both halves valid, an empty instance is a template */
        char *at = strchr(prefix, '@');
        if (at) {
                *at = 0;
                return oci_unit_prefix_valid(prefix) && (!at[1] || oci_unit_prefix_valid(at + 1));
        }
        return oci_unit_prefix_valid(prefix);
}

bool oci_engine_name_valid(const char *s, bool specifiers) {
        if (isempty(s) || strlen(s) > OCI_ENGINE_NAME_MAX || strstr(s, ".."))
                return false;
        for (const char *c = s; *c; c++) {
                if (specifiers && *c == '%' && c[1] && c[1] != '%') {
                        c++; /* a specifier: systemd resolves it, the engine sees the result */
                        continue;
                }
                size_t var = specifiers ? oci_variable_at(c) : 0;
                if (var) {
                        c += var - 1; /* a variable of the service's environment: the same at start */
                        continue;
                }
                bool alnum = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9');
                if (!alnum && (c == s || !strchr("_.-", *c)))
                        return false;
        }
        return true;
}
