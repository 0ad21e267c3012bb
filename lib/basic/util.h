/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _printf_(a, b) __attribute__((format(printf, a, b)))
#define _sentinel_ __attribute__((sentinel))
#define _unused_ __attribute__((unused))
#define ELEMENTSOF(x) (sizeof(x) / sizeof((x)[0]))

/* "First error wins": gathers the result k of one step into r, which keeps its first error; the
 * steps go on, so that every problem of a definition is reported in one run. */
#define RET_GATHER(r, k)                               \
        ({                                             \
                int _k_ = (k);                         \
                if (_k_ < 0 && (r) >= 0)               \
                        (r) = _k_;                     \
                _k_;                                   \
        })
/* The same, except that running out of memory stops at once: nothing after it can be trusted. */
#define GATHER_OR_RETURN(r, k)                         \
        do {                                           \
                int _g_ = (k);                         \
                if (_g_ == -ENOMEM)                    \
                        return _g_;                    \
                RET_GATHER(r, _g_);                    \
        } while (0)

static inline void freep(void *p) {
        free(*(void **) p);
}
#define _cleanup_free_ _cleanup_(freep)

/* Hand ownership out of a _cleanup_ variable. */
#define TAKE_PTR(p)                          \
        ({                                   \
                __typeof__(p) _tp_ = (p);    \
                (p) = NULL;                  \
                _tp_;                        \
        })

static inline bool streq(const char *a, const char *b) {
        return strcmp(a, b) == 0;
}
static inline bool streq_ptr(const char *a, const char *b) {
        if (!a || !b)
                return a == b;
        return streq(a, b);
}
static inline bool isempty(const char *s) {
        return !s || !*s;
}

/* Inline: most callers pass a literal, whose length the compiler then knows. */
static inline const char *startswith(const char *s, const char *prefix) {
        size_t n = strlen(prefix);
        return strncmp(s, prefix, n) == 0 ? s + n : NULL;
}
static inline const char *endswith(const char *s, const char *suffix) {
        size_t a = strlen(s), b = strlen(suffix);
        if (b > a || memcmp(s + a - b, suffix, b) != 0)
                return NULL;
        return s + a - b;
}

/* A growable byte string. All functions return 0 or -ENOMEM (-ENOBUFS: a fixed one is full). */
typedef struct StrBuf {
        char *s;
        size_t len, cap;
        bool fixed; /* s is the caller's buffer of cap bytes, never grown: what does not fit is -ENOBUFS */
} StrBuf;

/* Room for extra more bytes (and the NUL), so that appending them moves nothing. */
int strbuf_reserve(StrBuf *b, size_t extra);
int strbuf_putn_slow(StrBuf *b, const char *s, size_t n);
/* Inline when the bytes fit in the room there is, the usual case. */
static inline int strbuf_putn(StrBuf *b, const char *s, size_t n) {
        if (n >= b->cap - b->len)
                return strbuf_putn_slow(b, s, n);
        memcpy(b->s + b->len, s, n);
        b->len += n;
        b->s[b->len] = 0;
        return 0;
}
/* Inline as well: a string literal's length costs nothing. */
static inline int strbuf_puts(StrBuf *b, const char *s) {
        return strbuf_putn(b, s, strlen(s));
}
int strbuf_putc_slow(StrBuf *b, char c);
static inline int strbuf_putc(StrBuf *b, char c) {
        if (b->len + 2 > b->cap)
                return strbuf_putc_slow(b, c);
        b->s[b->len++] = c;
        b->s[b->len] = 0;
        return 0;
}
int strbuf_printf(StrBuf *b, const char *fmt, ...) _printf_(2, 3);
int strbuf_vprintf(StrBuf *b, const char *fmt, va_list ap) _printf_(2, 0);
char *strbuf_steal(StrBuf *b); /* never NULL on success: returns "" for an empty buffer */
void strbuf_done(StrBuf *b);

/* NULL-terminated string vectors that own their strings. */
size_t strv_length(char *const *l);
char **strv_free(char **l);
static inline void strv_freep(char ***l) {
        strv_free(*l);
}
#define _cleanup_strv_free_ _cleanup_(strv_freep)
int strv_push(char ***l, char *s); /* takes s; on failure frees it */
/* strv_push() onto a vector whose length the caller keeps (n): a loop of pushes stays linear. */
int strv_push_at(char ***l, size_t n, char *s);
int strv_extend(char ***l, const char *s);
int strv_extendf(char ***l, const char *fmt, ...) _printf_(2, 3);
int strv_extend_strv(char ***l, char *const *other);
/* Append the strings of *other to *l, taking them; *other is freed and set to NULL. */
int strv_move(char ***l, char ***other);
char **strv_copy(char *const *l); /* NULL for NULL or on allocation failure */
bool strv_contains(char *const *l, const char *s);
char *strv_join(char *const *l, const char *sep);
/* Split at any of 'separators'; with 'keep_empty', "a::b" has an empty middle field, else runs of
 * separators are one and no field is empty. Returns 0 or -ENOMEM; *ret is never NULL on success. */
int strv_split(const char *s, const char *separators, bool keep_empty, char ***ret);
void strv_sort(char **l);

char *xasprintf(const char *fmt, ...) _printf_(1, 2);
char *xvasprintf(const char *fmt, va_list ap) _printf_(1, 0);
/* The strings one after another, malloc()ed; NULL when memory runs out. A format's worth of work
 * less than xasprintf("%s%s...") for names made for every definition. */
char *strjoin_real(const char *s, ...) _sentinel_;
#define strjoin(...) strjoin_real(__VA_ARGS__, NULL)
/* What strjoin() is made of, for a join into memory of another kind (an arena): the length of s
 * and the strings of ap after it, up to a NULL; and their copy into out, NUL-terminated. */
size_t strjoin_length_v(const char *s, va_list ap);
char *strjoin_copy_v(char *out, const char *s, va_list ap);

bool utf8_is_valid_n(const char *s, size_t n);
unsigned levenshtein(const char *a, const char *b);

char *path_join(const char *a, const char *b);
char *path_dirname(const char *p);
bool path_is_absolute(const char *p);
bool path_is_normalized_absolute(const char *p);
/* The same, with one or more '/' at the end allowed ("/var/log/"). */
bool path_is_normalized_absolute_dir(const char *p);
