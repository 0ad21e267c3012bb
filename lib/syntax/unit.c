/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <assert.h>
#include <stdio.h>

#include "escape.h"
#include "unit.h"

static const char *const section_names[_OCI_UNIT_SECTION_MAX] = {
        [OCI_UNIT_SECTION_UNIT] = "Unit",
        [OCI_UNIT_SECTION_SERVICE] = "Service",
        [OCI_UNIT_SECTION_INSTALL] = "Install",
};

/* Where oci_unit_addf(), oci_unit_add_comment(), oci_unit_add_linkf() and oci_unit_add_exec() put a
 * line together before it is copied into the unit's arena (the _join() forms put theirs together
 * there at once): one buffer for every unit, which keeps
 * its room from one line to the next (no allocation for a line). Not thread-safe; nothing here runs threads. */
static StrBuf scratch;

static StrBuf *scratch_get(void) {
        scratch.len = 0;
        return &scratch;
}

OciUnitFile *oci_unit_new(const char *name) {
        /* the unit in its own arena, with its name */
        ArenaBlock *text = NULL;
        OciUnitFile *u = arena_alloc(&text, sizeof(*u));
        if (!u) {
                arena_free(text);
                return NULL;
        }
        u->text = text;
        u->name = arena_strdup(&u->text, name);
        if (!u->name)
                return oci_unit_free(u);
        return u;
}

OciUnitFile *oci_unit_free(OciUnitFile *u) {
        if (!u)
                return NULL;
        if (u->secret)
                explicit_bzero(u->secret, strlen(u->secret));
        free(u->secret);
        strv_free(u->secret_names);
        free(u->refused_key);
        hashmap_done(&u->link_paths);
        arena_free(u->text); /* u too */
        return NULL;
}

/* Room for one more item in a vector of *n items of size bytes in u's arena, *cap of them
 * allocated: a full vector is copied into one twice as large (first items at first), the old one
 * left in the arena unused. Returns the vector, or NULL. */
static void *grow(OciUnitFile *u, void *v, size_t n, size_t *cap, size_t size, size_t first) {
        if (v && n < *cap)
                return v;
        size_t c = *cap ? 2 * *cap : first;
        void *m = arena_alloc_uninit(&u->text, c * size);
        if (!m)
                return NULL;
        if (n)
                memcpy(m, v, n * size);
        *cap = c;
        return m;
}

/* Append the line at text (in u's arena), len bytes long, to l. A section has a dozen lines or so:
 * 16 slots first. */
static int push_line(OciUnitFile *u, OciUnitLines *l, const char *text, size_t len) {
        if (!text)
                return -ENOMEM;
        OciUnitLine *m = grow(u, l->items, l->n, &l->cap, sizeof(OciUnitLine), 16);
        if (!m)
                return -ENOMEM;
        l->items = m;
        m[l->n++] = (OciUnitLine) { .text = text, .len = len };
        return 0;
}

/* Note why the line of key (its first klen bytes) was refused; returns r. */
static int refuse(OciUnitFile *u, const char *key, size_t klen, size_t len, int r) {
        free(u->refused_key);
        u->refused_key = strndup(key, klen);
        u->refused_len = len;
        return u->refused_key ? r : -ENOMEM;
}

/* The last line of defence: nothing may add a line to the unit, continue one into the next, or
 * make a line systemd cannot read. line is a whole line of len bytes, its key the first klen. */
static int check_line(OciUnitFile *u, const char *line, size_t len, size_t klen) {
        if (len > OCI_UNIT_LINE_MAX)
                return refuse(u, line, klen, len, -E2BIG);
        if (!oci_unit_text_is_safe(line, len))
                return refuse(u, line, klen, 0, -EINVAL);
        return 0;
}

/* Copy the len bytes at line, checked, into u's text and onto l. */
static int add_text(OciUnitFile *u, OciUnitLines *l, const char *line, size_t len, size_t klen) {
        int r = check_line(u, line, len, klen);
        return r < 0 ? r : push_line(u, l, arena_strndup(&u->text, line, len), len);
}

static bool has_line_break(const char *s, size_t n) {
        return memchr(s, '\n', n) || memchr(s, '\r', n);
}

/* The line of len bytes at line, in u's arena, its key the first kl, checked, onto l. */
static int push_checked(OciUnitFile *u, OciUnitLines *l, const char *line, size_t len, size_t kl) {
        if (len > OCI_UNIT_LINE_MAX)
                return has_line_break(line, kl) ? refuse(u, line, kl, 0, -EINVAL) : refuse(u, line, kl, len, -E2BIG);
        /* checked whole: no line break in key or value, and no backslash at the end of the value */
        if (!oci_unit_text_is_safe(line, len))
                return refuse(u, line, kl, 0, -EINVAL);
        return push_line(u, l, line, len);
}

/* "KEY=VALUE" onto l, checked; the key is kl bytes long, the value vl. */
static int add_key_value(OciUnitFile *u, OciUnitLines *l, const char *key, size_t kl, const char *value, size_t vl) {
        size_t len = kl + 1 + vl;
        char *line = arena_alloc_uninit(&u->text, len + 1);
        if (!line)
                return -ENOMEM;
        memcpy(line, key, kl);
        line[kl] = '=';
        memcpy(line + kl + 1, value, vl);
        line[len] = 0;
        return push_checked(u, l, line, len, kl);
}

int oci_unit_addn(OciUnitFile *u, OciUnitSection s, const char *key, size_t kl, const char *value, size_t vl) {
        assert(u && key && value);
        return add_key_value(u, &u->lines[s], key, kl, value, vl);
}

int oci_unit_add_static(OciUnitFile *u, OciUnitSection s, const char *line, size_t len) {
        assert(u && line);
        return push_line(u, &u->lines[s], line, len);
}

int oci_unit_add_extra(OciUnitFile *u, const char *name, const char *key, const char *value) {
        assert(u && name && startswith(name, "X-") && key && value);
        /* the lines of a section come one after another: the last section first */
        size_t i = u->n_extra;
        if (i > 0 && (u->extra[i - 1].name == name || streq(u->extra[i - 1].name, name)))
                i--;
        else {
                i = 0;
                while (i < u->n_extra && !streq(u->extra[i].name, name))
                        i++;
        }
        if (i == u->n_extra) {
                OciUnitExtra *m = grow(u, u->extra, u->n_extra, &u->cap_extra, sizeof(*m), 2);
                if (!m)
                        return -ENOMEM;
                u->extra = m;
                m[i] = (OciUnitExtra) { .name = name };
                u->n_extra++;
        }
        return add_key_value(u, &u->extra[i].lines, key, strlen(key), value, strlen(value));
}

int oci_unit_add_text(OciUnitFile *u, OciUnitSection s, const char *line, size_t len) {
        assert(u && line);
        const char *eq = memchr(line, '=', len);
        return add_text(u, &u->lines[s], line, len, eq ? (size_t) (eq - line) : len);
}

void oci_unit_remove(OciUnitFile *u, OciUnitSection s, const char *key) {
        assert(u && key);
        OciUnitLines *l = &u->lines[s];
        size_t kl = strlen(key), k = 0;
        for (size_t i = 0; i < l->n; i++) {
                const OciUnitLine *x = &l->items[i];
                if (x->len <= kl || memcmp(x->text, key, kl) != 0 || x->text[kl] != '=')
                        l->items[k++] = *x;
        }
        l->n = k;
}

const char *oci_unit_last_line(const OciUnitFile *u, OciUnitSection s) {
        assert(u);
        const OciUnitLines *l = &u->lines[s];
        return l->n ? l->items[l->n - 1].text : NULL;
}

int oci_unit_move_lines(OciUnitFile *u, OciUnitFile *from) {
        assert(u && from);
        /* their text copied into u's, which lives as long as u */
        for (size_t s = 0; s < _OCI_UNIT_SECTION_MAX; s++) {
                OciUnitLines *f = &from->lines[s], *l = &u->lines[s];
                if (!f->items)
                        continue;
                /* an empty vector still gives the section its header */
                if (!l->items && !(l->items = grow(u, NULL, 0, &l->cap, sizeof(OciUnitLine), 16)))
                        return -ENOMEM;
                for (size_t i = 0; i < f->n; i++)
                        if (push_line(u, l, arena_strndup(&u->text, f->items[i].text, f->items[i].len), f->items[i].len) < 0)
                                return -ENOMEM;
                *f = (OciUnitLines) {};
        }
        return 0;
}

int oci_unit_copy_head(OciUnitFile *u, const OciUnitFile *from, size_t n) {
        assert(u && from && n <= from->lines[OCI_UNIT_SECTION_UNIT].n);
        /* their text copied into u's, which lives as long as u */
        for (size_t i = 0; i < from->comments.n; i++) {
                const OciUnitLine *c = &from->comments.items[i];
                if (push_line(u, &u->comments, arena_strndup(&u->text, c->text, c->len), c->len) < 0)
                        return -ENOMEM;
        }
        for (size_t i = 0; i < n; i++) {
                const OciUnitLine *l = &from->lines[OCI_UNIT_SECTION_UNIT].items[i];
                if (push_line(u, &u->lines[OCI_UNIT_SECTION_UNIT], arena_strndup(&u->text, l->text, l->len), l->len) < 0)
                        return -ENOMEM;
        }
        return 0;
}

/* The comment of len bytes at text (written after "# "), in u's arena, checked, onto the unit's
 * comments. */
static int push_comment(OciUnitFile *u, const char *text, size_t len) {
        if (!text)
                return -ENOMEM;
        int r = len + 2 > OCI_UNIT_LINE_MAX ? -E2BIG : oci_unit_text_is_safe(text, len) ? 0 : -EINVAL;
        if (r < 0)
                return refuse(u, "#", 1, r == -E2BIG ? len + 2 : 0, r);
        return push_line(u, &u->comments, text, len);
}

int oci_unit_add_comment(OciUnitFile *u, const char *fmt, ...) {
        StrBuf *b = scratch_get();
        va_list ap;
        va_start(ap, fmt);
        int r = strbuf_vprintf(b, fmt, ap);
        va_end(ap);
        return r < 0 ? r : push_comment(u, arena_strndup(&u->text, b->s, b->len), b->len);
}

int oci_unit_add_comment_static(OciUnitFile *u, const char *text, size_t len) {
        assert(u && text);
        return push_line(u, &u->comments, text, len);
}

int oci_unit_add_comment_join(OciUnitFile *u, const char *const *parts, size_t n) {
        assert(u && (parts || n == 0));
        size_t len = 0;
        char *text = arena_join(&u->text, 0, parts, n, &len);
        return push_comment(u, text, len);
}

int oci_unit_addf(OciUnitFile *u, OciUnitSection s, const char *key, const char *fmt, ...) {
        assert(u && key);
        StrBuf *b = scratch_get();
        va_list ap;
        va_start(ap, fmt);
        int r = strbuf_vprintf(b, fmt, ap);
        va_end(ap);
        return r < 0 ? r : add_key_value(u, &u->lines[s], key, strlen(key), b->s, b->len);
}

int oci_unit_add_join(OciUnitFile *u, OciUnitSection s, const char *key, const char *const *parts, size_t n) {
        assert(u && key && (parts || n == 0));
        /* "KEY=" in the room before the parts */
        size_t kl = strlen(key), len;
        char *line = arena_join(&u->text, kl + 1, parts, n, &len);
        if (!line)
                return -ENOMEM;
        memcpy(line, key, kl);
        line[kl] = '=';
        return push_checked(u, &u->lines[s], line, len, kl);
}

/* "KEY=PREFIXWORD WORD..." onto l, each of the n words quoted as it goes (see oci_quote_word()). */
static int add_words(OciUnitFile *u, OciUnitLines *l, const char *key, const char *prefix, char *const *words, size_t n,
                     unsigned flags) {
        StrBuf *b = scratch_get();
        size_t kl = strlen(key);
        int r = strbuf_putn(b, key, kl);
        if (r >= 0)
                r = strbuf_putc(b, '=');
        if (r >= 0)
                r = strbuf_puts(b, prefix);
        for (size_t i = 0; r >= 0 && i < n; i++) {
                if (i > 0)
                        r = strbuf_putc(b, ' ');
                if (r >= 0)
                        r = oci_quote_word(b, words[i], flags);
        }
        /* which refuses a line that would not be one, or is too long */
        return r < 0 ? r : add_text(u, l, b->s, b->len, kl);
}

int oci_unit_add_exec(OciUnitFile *u, const char *key, const char *prefix, char *const *argv) {
        assert(u && key && prefix);
        if (!argv || !path_is_absolute(argv[0]))
                return -EINVAL;
        size_t n = 0;
        while (argv[n])
                n++;
        return add_words(u, &u->lines[OCI_UNIT_SECTION_SERVICE], key, prefix, argv, n, OCI_QUOTE_DOLLAR);
}

int oci_unit_add_words(OciUnitFile *u, OciUnitSection s, const char *key, char *const *words, size_t n) {
        assert(u && key && (words || n == 0));
        return add_words(u, &u->lines[s], key, "", words, n, 0);
}

/* A unit has a link or two, found by a look at each; past this many, through a map, so that a
 * WantedBy= of thousands of units costs no scan for each. */
#define LINKS_SCANNED 16u

bool oci_unit_has_link(const OciUnitFile *u, const char *path) {
        if (u->n_links > LINKS_SCANNED)
                return hashmap_get(&u->link_paths, path) != NULL;
        for (size_t i = 0; i < u->n_links; i++)
                if (streq(u->links[i].path, path))
                        return true;
        return false;
}

/* The link from path, in u's arena, to target. */
static int add_link(OciUnitFile *u, char *path, const char *target) {
        if (!path)
                return -ENOMEM;
        /* WantedBy= and AutoStart= may ask for the same link: it is made once */
        if (oci_unit_has_link(u, path))
                return 0;
        /* the capacity: 2, 4, 8... */
        OciLink *m = grow(u, u->links, u->n_links, &u->cap_links, sizeof(*m), 2);
        if (!m)
                return -ENOMEM;
        u->links = m;
        OciLink *l = &u->links[u->n_links];
        /* a unit's links mostly point to the same target: one copy of it for them */
        char *last = u->n_links ? u->links[u->n_links - 1].target : NULL;
        *l = (OciLink) { .path = path, .target = last && streq(last, target) ? last : arena_strdup(&u->text, target) };
        if (!l->target)
                return -ENOMEM;
        u->n_links++;
        if (u->n_links == LINKS_SCANNED + 1) {
                for (size_t i = 0; i < u->n_links; i++)
                        if (hashmap_put(&u->link_paths, u->links[i].path, &u->links[i]) < 0)
                                return -ENOMEM;
        } else if (u->n_links > LINKS_SCANNED + 1 && hashmap_put(&u->link_paths, l->path, l) < 0)
                return -ENOMEM;
        return 0;
}

int oci_unit_add_link(OciUnitFile *u, const char *path, const char *target) {
        assert(u && path && target);
        return add_link(u, arena_strdup(&u->text, path), target);
}

int oci_unit_add_link_join(OciUnitFile *u, const char *target, const char *const *parts, size_t n) {
        assert(u && target && (parts || n == 0));
        size_t len;
        return add_link(u, arena_join(&u->text, 0, parts, n, &len), target);
}

int oci_unit_add_linkf(OciUnitFile *u, const char *target, const char *fmt, ...) {
        assert(u && target);
        StrBuf *b = scratch_get();
        va_list ap;
        va_start(ap, fmt);
        int r = strbuf_vprintf(b, fmt, ap);
        va_end(ap);
        return r < 0 ? r : add_link(u, arena_strndup(&u->text, b->s, b->len), target);
}

int oci_unit_set_target_wants(OciUnitFile *u, const char *unit) {
        assert(u && unit);
        u->target_wants = arena_strdup(&u->text, unit);
        return u->target_wants ? 0 : -ENOMEM;
}

unsigned oci_unit_file_mode(const OciUnitFile *u) {
        return u->secret ? 0600 : 0644;
}

char *oci_unit_to_display(const OciUnitFile *u) {
        if (!u->secret)
                return oci_unit_to_string(u);
        StrBuf b = {};
        int r = strbuf_puts(&b, "# mode 0600, read by systemd for EnvironmentFile=; the values are not shown\n");
        for (char **n = u->secret_names; r >= 0 && n && *n; n++)
                r = strbuf_printf(&b, "%s=...\n", *n);
        if (r < 0) {
                strbuf_done(&b);
                return NULL;
        }
        return strbuf_steal(&b);
}

/* Section k of the text, [Unit], the sections systemd ignores, [Service], [Install]: its lines
 * and its name. */
static const OciUnitLines *section_at(const OciUnitFile *u, size_t k, const char **ret_name) {
        size_t s = k == 0 ? OCI_UNIT_SECTION_UNIT : k <= u->n_extra ? _OCI_UNIT_SECTION_MAX : k - u->n_extra;
        *ret_name = s < _OCI_UNIT_SECTION_MAX ? section_names[s] : u->extra[k - 1].name;
        return s < _OCI_UNIT_SECTION_MAX ? &u->lines[s] : &u->extra[k - 1].lines;
}

/* Append the n bytes at s at *p, and move *p past them. */
static void put(char **p, const char *s, size_t n) {
        memcpy(*p, s, n);
        *p += n;
}

int oci_unit_put_text(const OciUnitFile *u, StrBuf *b) {
        assert(u && b);
        if (u->secret)
                return strbuf_puts(b, u->secret);
        const char *name;
        /* measured first, then copied into room of that size */
        size_t size = 0;
        for (size_t i = 0; i < u->comments.n; i++)
                size += 2 + u->comments.items[i].len + 1;
        for (size_t k = 0; k < _OCI_UNIT_SECTION_MAX + u->n_extra; k++) {
                const OciUnitLines *l = section_at(u, k, &name);
                if (!l->items)
                        continue;
                size += 2 + strlen(name) + 2;
                for (size_t i = 0; i < l->n; i++)
                        size += l->items[i].len + 1;
        }
        if (strbuf_reserve(b, size) < 0)
                return -ENOMEM;
        char *p = b->s + b->len;
        for (size_t i = 0; i < u->comments.n; i++) {
                put(&p, "# ", 2);
                put(&p, u->comments.items[i].text, u->comments.items[i].len);
                put(&p, "\n", 1);
        }
        for (size_t k = 0; k < _OCI_UNIT_SECTION_MAX + u->n_extra; k++) {
                const OciUnitLines *l = section_at(u, k, &name);
                if (!l->items)
                        continue;
                put(&p, "\n[", 2);
                put(&p, name, strlen(name));
                put(&p, "]\n", 2);
                for (size_t i = 0; i < l->n; i++) {
                        put(&p, l->items[i].text, l->items[i].len);
                        put(&p, "\n", 1);
                }
        }
        *p = 0;
        b->len += size;
        return 0;
}

char *oci_unit_to_string(const OciUnitFile *u) {
        StrBuf b = {};
        if (oci_unit_put_text(u, &b) < 0) {
                strbuf_done(&b);
                return NULL;
        }
        return strbuf_steal(&b);
}
