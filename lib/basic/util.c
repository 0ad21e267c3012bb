/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <assert.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>

#include "util.h"

int strbuf_reserve(StrBuf *b, size_t extra) {
        if (extra > SIZE_MAX - b->len - 1)
                return -ENOMEM;
        size_t need = b->len + extra + 1;
        if (need <= b->cap)
                return 0;
        if (b->fixed)
                return -ENOBUFS;
        size_t cap = b->cap ? b->cap : 128;
        while (cap < need)
                cap = cap > SIZE_MAX / 2 ? need : cap * 2;
        char *n = realloc(b->s, cap);
        if (!n)
                return -ENOMEM;
        b->s = n;
        b->cap = cap;
        return 0;
}

int strbuf_putn_slow(StrBuf *b, const char *s, size_t n) {
        int r = strbuf_reserve(b, n);
        if (r < 0)
                return r;
        memcpy(b->s + b->len, s, n);
        b->len += n;
        b->s[b->len] = 0;
        return 0;
}

int strbuf_putc_slow(StrBuf *b, char c) {
        return strbuf_putn(b, &c, 1);
}


/* Most strings this program formats are "%s=%s" and the like: a formatter for the plain
 * conversions (%s, %.*s, %c, %d, %i, %u, %zu, %%) that costs a copy, not a trip through stdio.
 * Anything else goes to vsnprintf(). With vsnprintf() for everything, a definition costs 10% more
 * instructions (218,900 against 198,300 at 1,000 definitions, test/bench/bench.py --callgrind).
 * Returns the length, or -1 when the format needs stdio. */
static int fast_format(char *out, size_t size, const char *fmt, va_list ap) {
        size_t n = 0;
/* a piece of one byte (a '=', a '/') stored, not copied by a call */
#define EMIT(src, len)                                                   \
        do {                                                             \
                size_t l_ = (len);                                       \
                if (out && n + l_ < size) {                              \
                        if (l_ == 1)                                     \
                                out[n] = *(src);                         \
                        else if (l_ > 1)                                 \
                                memcpy(out + n, (src), l_);              \
                }                                                        \
                n += l_;                                                 \
        } while (0)
        for (const char *p = fmt; *p;) {
                const char *pct = strchr(p, '%');
                if (!pct) {
                        EMIT(p, strlen(p));
                        break;
                }
                EMIT(p, (size_t) (pct - p));
                p = pct + 1;
                char num[24];
                if (*p == 's') {
                        const char *a = va_arg(ap, const char *);
                        if (!a)
                                a = "(null)"; /* as glibc prints it */
                        EMIT(a, strlen(a));
                } else if (p[0] == '.' && p[1] == '*' && p[2] == 's') {
                        int prec = va_arg(ap, int);
                        const char *a = va_arg(ap, const char *);
                        if (!a)
                                a = "(null)";
                        EMIT(a, prec < 0 ? strlen(a) : strnlen(a, (size_t) prec));
                        p += 2;
                } else if (*p == '%')
                        EMIT("%", 1);
                else if (*p == 'c') {
                        char c = (char) va_arg(ap, int);
                        EMIT(&c, 1);
                } else if (*p == 'd' || *p == 'i' || *p == 'u' || (p[0] == 'z' && p[1] == 'u')) {
                        unsigned long long v;
                        bool neg = false;
                        if (*p == 'z')
                                v = va_arg(ap, size_t), p++;
                        else if (*p == 'u')
                                v = va_arg(ap, unsigned);
                        else {
                                int x = va_arg(ap, int);
                                neg = x < 0;
                                v = neg ? (unsigned long long) -(long long) x : (unsigned long long) x;
                        }
                        size_t k = sizeof(num);
                        do
                                num[--k] = (char) ('0' + v % 10);
                        while (v /= 10);
                        if (neg)
                                num[--k] = '-';
                        EMIT(num + k, sizeof(num) - k);
                } else
                        return -1;
                p++;
        }
#undef EMIT
        if (out && size > 0)
                out[n < size ? n : size - 1] = 0;
        return n > INT_MAX ? -1 : (int) n;
}

_printf_(1, 0) static int format_length(const char *fmt, va_list ap) {
        va_list aq;
        va_copy(aq, ap);
        int n = fast_format(NULL, 0, fmt, aq);
        va_end(aq);
        if (n < 0) {
                va_copy(aq, ap);
                n = vsnprintf(NULL, 0, fmt, aq);
                va_end(aq);
        }
        return n;
}

_printf_(3, 0) static void format_into(char *out, size_t size, const char *fmt, va_list ap) {
        va_list aq;
        va_copy(aq, ap);
        int n = fast_format(out, size, fmt, aq);
        va_end(aq);
        if (n < 0)
                vsnprintf(out, size, fmt, ap);
}

/* Format into buf when it fits (the usual case: one pass); returns the length, or -1. */
_printf_(3, 0) static int format_try(char *buf, size_t size, const char *fmt, va_list ap) {
        va_list aq;
        va_copy(aq, ap);
        int n = fast_format(buf, size, fmt, aq);
        va_end(aq);
        if (n < 0) {
                va_copy(aq, ap);
                n = vsnprintf(buf, size, fmt, aq);
                va_end(aq);
        }
        return n;
}

char *xvasprintf(const char *fmt, va_list ap) {
        char buf[256];
        int n = format_try(buf, sizeof(buf), fmt, ap);
        if (n < 0)
                return NULL;
        char *s = malloc((size_t) n + 1);
        if (!s)
                return NULL;
        if ((size_t) n < sizeof(buf))
                memcpy(s, buf, (size_t) n + 1);
        else
                format_into(s, (size_t) n + 1, fmt, ap);
        return s;
}

int strbuf_vprintf(StrBuf *b, const char *fmt, va_list ap) {
        if (b->cap > b->len + 1) {
                /* into the room there is, in one pass, when it fits */
                int k = format_try(b->s + b->len, b->cap - b->len, fmt, ap);
                if (k >= 0 && (size_t) k < b->cap - b->len) {
                        b->len += (size_t) k;
                        return 0;
                }
                b->s[b->len] = 0;
        }
        int n = format_length(fmt, ap);
        if (n < 0)
                return -ENOMEM;
        int r = strbuf_reserve(b, (size_t) n);
        if (r < 0)
                return r;
        format_into(b->s + b->len, (size_t) n + 1, fmt, ap);
        b->len += (size_t) n;
        return 0;
}

int strbuf_printf(StrBuf *b, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        int r = strbuf_vprintf(b, fmt, ap);
        va_end(ap);
        return r;
}

char *strbuf_steal(StrBuf *b) {
        assert(!b->fixed); /* the buffer is the caller's: there is nothing to hand over */
        if (!b->s && strbuf_reserve(b, 0) < 0)
                return NULL;
        b->s[b->len] = 0;
        char *s = b->s;
        *b = (StrBuf) {};
        return s;
}

void strbuf_done(StrBuf *b) {
        if (!b->fixed)
                free(b->s);
        *b = (StrBuf) {};
}

size_t strv_length(char *const *l) {
        size_t n = 0;
        for (; l && l[n]; n++)
                ;
        return n;
}

char **strv_free(char **l) {
        for (size_t i = 0; l && l[i]; i++)
                free(l[i]);
        free(l);
        return NULL;
}

int strv_push(char ***l, char *s) {
        return strv_push_at(l, strv_length(*l), s);
}

int strv_push_at(char ***l, size_t n, char *s) {
        assert(n == 0 || *l);
        if (!s)
                return -ENOMEM;
        char **m = *l;
        /* the capacity follows from the length: 8, 16, 32... slots, so a push rarely moves the vector
         * (every vector starts empty, from a push or a one-slot calloc()) */
        if (n == 0 || (n >= 7 && ((n + 1) & n) == 0)) {
                m = realloc(*l, (n < 7 ? 8 : 2 * (n + 1)) * sizeof(char *));
                if (!m) {
                        free(s);
                        return -ENOMEM;
                }
        }
        m[n] = s;
        m[n + 1] = NULL;
        *l = m;
        return 0;
}

int strv_extend(char ***l, const char *s) {
        return strv_push(l, strdup(s));
}

int strv_extendf(char ***l, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        char *s = xvasprintf(fmt, ap);
        va_end(ap);
        return strv_push(l, s);
}

int strv_extend_strv(char ***l, char *const *other) {
        size_t n = strv_length(*l);
        for (size_t i = 0; other && other[i]; i++)
                if (strv_push_at(l, n++, strdup(other[i])) < 0)
                        return -ENOMEM;
        return 0;
}

int strv_move(char ***l, char ***other) {
        if (!*l) {
                *l = *other;
                *other = NULL;
                return 0;
        }
        size_t n = strv_length(*l), k = strv_length(*other);
        if (k > 0) {
                /* room for both, in the capacity strv_push_at() would have reached: pushes may follow */
                size_t cap = 8;
                while (cap < n + k + 1)
                        cap *= 2;
                char **m = realloc(*l, cap * sizeof(char *));
                if (!m) {
                        *other = strv_free(*other);
                        return -ENOMEM;
                }
                memcpy(m + n, *other, (k + 1) * sizeof(char *));
                *l = m;
        }
        free(*other);
        *other = NULL;
        return 0;
}

char **strv_copy(char *const *l) {
        char **c = NULL;
        if (l && strv_extend_strv(&c, l) < 0)
                return strv_free(c);
        return c;
}

bool strv_contains(char *const *l, const char *s) {
        for (size_t i = 0; l && l[i]; i++)
                if (streq(l[i], s))
                        return true;
        return false;
}

char *strv_join(char *const *l, const char *sep) {
        StrBuf b = {};
        for (size_t i = 0; l && l[i]; i++)
                if ((i > 0 && strbuf_puts(&b, sep) < 0) || strbuf_puts(&b, l[i]) < 0) {
                        strbuf_done(&b);
                        return NULL;
                }
        return strbuf_steal(&b);
}

int strv_split(const char *s, const char *separators, bool keep_empty, char ***ret) {
        char **l = calloc(1, sizeof(char *));
        size_t len = 0;
        if (!l)
                return -ENOMEM;
        for (const char *p = s;;) {
                if (!keep_empty)
                        p += strspn(p, separators);
                size_t n = strcspn(p, separators);
                if ((n > 0 || keep_empty) && (keep_empty || *p) && strv_push_at(&l, len++, strndup(p, n)) < 0) {
                        strv_free(l);
                        return -ENOMEM;
                }
                if (!p[n])
                        break;
                p += n + 1;
        }
        *ret = l;
        return 0;
}

static int cmp_str(const void *a, const void *b) {
        return strcmp(*(char *const *) a, *(char *const *) b);
}

void strv_sort(char **l) {
        size_t n = strv_length(l);
        if (n > 1)
                qsort(l, n, sizeof(char *), cmp_str);
}

char *xasprintf(const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        char *s = xvasprintf(fmt, ap);
        va_end(ap);
        return s;
}

bool utf8_is_valid_n(const char *str, size_t n) {
        const unsigned char *s = (const unsigned char *) str;
        size_t i = 0;
        while (i < n) {
                /* ASCII, the usual case, 32 bytes at a time (a whole file is checked at once), then
                 * eight */
                uint64_t w[4];
                if (n - i >= 32 && (memcpy(w, s + i, 32), ((w[0] | w[1] | w[2] | w[3]) & UINT64_C(0x8080808080808080)) == 0)) {
                        i += 32;
                        continue;
                }
                if (n - i >= 8 && (memcpy(w, s + i, 8), (w[0] & UINT64_C(0x8080808080808080)) == 0)) {
                        i += 8;
                        continue;
                }
                unsigned char c = s[i];
                size_t len;
                uint32_t cp;
                if (c < 0x80) {
                        i++;
                        continue;
                } else if ((c & 0xe0) == 0xc0) {
                        len = 2;
                        cp = c & 0x1f;
                } else if ((c & 0xf0) == 0xe0) {
                        len = 3;
                        cp = c & 0x0f;
                } else if ((c & 0xf8) == 0xf0) {
                        len = 4;
                        cp = c & 0x07;
                } else
                        return false;
                if (n - i < len)
                        return false;
                for (size_t k = 1; k < len; k++) {
                        if ((s[i + k] & 0xc0) != 0x80)
                                return false;
                        cp = (cp << 6) | (s[i + k] & 0x3f);
                }
                /* reject overlong forms, surrogates and values past U+10FFFF */
                if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
                    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
                        return false;
                i += len;
        }
        return true;
}

unsigned levenshtein(const char *a, const char *b) {
        size_t la = strlen(a), lb = strlen(b);
        if (la > 64 || lb > 64)
                return (unsigned) -1;
        unsigned row[65];
        for (size_t j = 0; j <= lb; j++)
                row[j] = (unsigned) j;
        for (size_t i = 1; i <= la; i++) {
                unsigned prev = row[0];
                row[0] = (unsigned) i;
                for (size_t j = 1; j <= lb; j++) {
                        unsigned cur = row[j];
                        /* keys are case-sensitive, but a case slip is the most likely typo */
                        char ca = a[i - 1], cb = b[j - 1];
                        unsigned cost = ca == cb ? 0 : ((ca ^ cb) == 0x20 ? 0 : 1);
                        unsigned best = prev + cost;
                        if (row[j] + 1 < best)
                                best = row[j] + 1;
                        if (row[j - 1] + 1 < best)
                                best = row[j - 1] + 1;
                        row[j] = best;
                        prev = cur;
                }
        }
        return row[lb];
}

size_t strjoin_length_v(const char *s, va_list ap) {
        size_t n = 0;
        for (const char *a = s; a; a = va_arg(ap, const char *))
                n += strlen(a);
        return n;
}

char *strjoin_copy_v(char *out, const char *s, va_list ap) {
        char *at = out;
        for (const char *a = s; a; a = va_arg(ap, const char *)) {
                size_t k = strlen(a);
                memcpy(at, a, k);
                at += k;
        }
        *at = 0;
        return out;
}

char *strjoin_real(const char *s, ...) {
        va_list ap;
        va_start(ap, s);
        size_t n = strjoin_length_v(s, ap);
        va_end(ap);
        char *out = malloc(n + 1);
        if (!out)
                return NULL;
        va_start(ap, s);
        strjoin_copy_v(out, s, ap);
        va_end(ap);
        return out;
}

char *path_join(const char *a, const char *b) {
        size_t la = strlen(a);
        while (la > 1 && a[la - 1] == '/')
                la--;
        while (*b == '/')
                b++;
        bool slash = !(la > 0 && a[la - 1] == '/');
        size_t lb = strlen(b);
        char *p = malloc(la + slash + lb + 1);
        if (!p)
                return NULL;
        memcpy(p, a, la);
        if (slash)
                p[la] = '/';
        memcpy(p + la + slash, b, lb + 1);
        return p;
}

char *path_dirname(const char *p) {
        const char *slash = strrchr(p, '/');
        if (!slash)
                return strdup(".");
        if (slash == p)
                return strdup("/");
        return strndup(p, (size_t) (slash - p));
}

bool path_is_absolute(const char *p) {
        return p && p[0] == '/';
}

/* The len bytes at p: absolute, no "." or ".." components, no "//", no trailing slash unless
 * they are "/". */
static bool normalized_absolute_n(const char *p, size_t len) {
        if (len == 0 || p[0] != '/')
                return false;
        if (len == 1)
                return true;
        for (size_t i = 0; i < len;) {
                size_t start = ++i, end = start; /* past the '/' */
                while (end < len && p[end] != '/')
                        end++;
                size_t n = end - start;
                if (n == 0 || (n == 1 && p[start] == '.') || (n == 2 && p[start] == '.' && p[start + 1] == '.'))
                        return false;
                i = end;
        }
        return true;
}

bool path_is_normalized_absolute_dir(const char *p) {
        size_t n = strlen(p);
        while (n > 1 && p[n - 1] == '/')
                n--;
        return normalized_absolute_n(p, n);
}

/* Absolute, no "." or ".." components, no "//". A trailing slash is allowed only for "/". */
bool path_is_normalized_absolute(const char *p) {
        return p && normalized_absolute_n(p, strlen(p));
}
