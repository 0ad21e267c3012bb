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

OciUnitFile *oci_unit_new(const char *name) {
        OciUnitFile *u = calloc(1, sizeof(*u));
        if (!u)
                return NULL;
        u->name = strdup(name);
        if (!u->name)
                return oci_unit_free(u);
        return u;
}

OciUnitFile *oci_unit_free(OciUnitFile *u) {
        if (!u)
                return NULL;
        free(u->name);
        strv_free(u->comments);
        if (u->secret)
                explicit_bzero(u->secret, strlen(u->secret));
        free(u->secret);
        strv_free(u->secret_names);
        free(u->refused_key);
        for (size_t i = 0; i < _OCI_UNIT_SECTION_MAX; i++)
                free(u->lines[i]);
        for (size_t i = 0; i < u->n_extra; i++) {
                free(u->extra[i].name);
                free(u->extra[i].lines);
        }
        arena_free(u->text);
        free(u->extra);
        for (size_t i = 0; i < u->n_links; i++) {
                free(u->links[i].path);
                free(u->links[i].target);
        }
        free(u->links);
        hashmap_done(&u->link_paths);
        free(u);
        return NULL;
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

/* Append line (in u->text) to a vector of n lines. The capacity follows from the length: 16,
 * 32, 64... slots, as a section has a dozen lines or so. */
static int push_line(char ***lines, size_t *n, char *line) {
        if (!line)
                return -ENOMEM;
        size_t k = *n;
        char **m = *lines;
        if (k == 0 || (k >= 15 && ((k + 1) & k) == 0)) {
                m = realloc(m, (k < 15 ? 16 : 2 * (k + 1)) * sizeof(char *));
                if (!m)
                        return -ENOMEM;
                *lines = m;
        }
        m[k] = line;
        m[k + 1] = NULL;
        *n = k + 1;
        return 0;
}

/* Copy the len bytes at line, checked, into u's text and onto the vector. */
static int add_text(OciUnitFile *u, char ***lines, size_t *n, const char *line, size_t len, size_t klen) {
        int r = check_line(u, line, len, klen);
        return r < 0 ? r : push_line(lines, n, arena_strndup(&u->text, line, len));
}

/* "KEY=VALUE" onto the vector, checked. */
static int add_key_value(OciUnitFile *u, char ***lines, size_t *n, const char *key, const char *value) {
        size_t kl = strlen(key), vl = strlen(value);
        /* a key is never at the end of a line: only a line break in it matters */
        if (memchr(key, '\n', kl) || memchr(key, '\r', kl))
                return refuse(u, key, kl, 0, -EINVAL);
        size_t len = kl + 1 + vl;
        if (len > OCI_UNIT_LINE_MAX)
                return refuse(u, key, kl, len, -E2BIG);
        /* the line is safe when its value is: a key ends in no backslash, it is followed by '=' */
        if (!oci_unit_text_is_safe(value, vl))
                return refuse(u, key, kl, 0, -EINVAL);
        char *line = arena_alloc_uninit(&u->text, len + 1);
        if (!line)
                return -ENOMEM;
        memcpy(line, key, kl);
        line[kl] = '=';
        memcpy(line + kl + 1, value, vl + 1);
        return push_line(lines, n, line);
}

int oci_unit_add(OciUnitFile *u, OciUnitSection s, const char *key, const char *value) {
        assert(u && key && value);
        return add_key_value(u, &u->lines[s], &u->n_lines[s], key, value);
}

int oci_unit_add_extra(OciUnitFile *u, const char *name, const char *key, const char *value) {
        assert(u && name && startswith(name, "X-") && key && value);
        size_t i = 0;
        while (i < u->n_extra && !streq(u->extra[i].name, name))
                i++;
        if (i == u->n_extra) {
                OciUnitExtra *m = realloc(u->extra, (u->n_extra + 1) * sizeof(*m));
                if (!m)
                        return -ENOMEM;
                u->extra = m;
                m[i] = (OciUnitExtra) { .name = strdup(name) };
                if (!m[i].name)
                        return -ENOMEM;
                u->n_extra++;
        }
        return add_key_value(u, &u->extra[i].lines, &u->extra[i].n_lines, key, value);
}

int oci_unit_add_text(OciUnitFile *u, OciUnitSection s, const char *line, size_t len) {
        assert(u && line);
        const char *eq = memchr(line, '=', len);
        return add_text(u, &u->lines[s], &u->n_lines[s], line, len, eq ? (size_t) (eq - line) : len);
}

void oci_unit_remove(OciUnitFile *u, OciUnitSection s, const char *key) {
        assert(u && key);
        size_t kl = strlen(key), k = 0;
        for (size_t i = 0; i < u->n_lines[s]; i++) {
                char *l = u->lines[s][i];
                if (strncmp(l, key, kl) != 0 || l[kl] != '=')
                        u->lines[s][k++] = l;
        }
        if (u->lines[s])
                u->lines[s][k] = NULL;
        u->n_lines[s] = k;
}

int oci_unit_move_lines(OciUnitFile *u, OciUnitFile *from) {
        assert(u && from);
        /* their text copied into u's, which lives as long as u */
        for (size_t s = 0; s < _OCI_UNIT_SECTION_MAX; s++) {
                if (!u->lines[s]) {
                        /* the vector too (an empty one still gives the section its header) */
                        u->lines[s] = from->lines[s];
                        u->n_lines[s] = from->n_lines[s];
                        from->lines[s] = NULL;
                        from->n_lines[s] = 0;
                        for (size_t i = 0; i < u->n_lines[s]; i++)
                                if (!(u->lines[s][i] = arena_strdup(&u->text, u->lines[s][i])))
                                        return -ENOMEM;
                        continue;
                }
                for (size_t i = 0; i < from->n_lines[s]; i++)
                        if (push_line(&u->lines[s], &u->n_lines[s], arena_strdup(&u->text, from->lines[s][i])) < 0)
                                return -ENOMEM;
                free(from->lines[s]);
                from->lines[s] = NULL;
                from->n_lines[s] = 0;
        }
        return 0;
}

int oci_unit_add_comment(OciUnitFile *u, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        char *c = xvasprintf(fmt, ap);
        va_end(ap);
        if (!c)
                return -ENOMEM;
        size_t len = strlen(c) + 2; /* written after "# " */
        int r = len > OCI_UNIT_LINE_MAX ? -E2BIG : oci_unit_value_is_safe(c) ? 0 : -EINVAL;
        if (r < 0) {
                free(c);
                return refuse(u, "#", 1, r == -E2BIG ? len : 0, r);
        }
        return strv_push_at(&u->comments, u->n_comments++, c);
}

int oci_unit_addf(OciUnitFile *u, OciUnitSection s, const char *key, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        char *v = xvasprintf(fmt, ap);
        va_end(ap);
        if (!v)
                return -ENOMEM;
        int r = oci_unit_add(u, s, key, v);
        free(v);
        return r;
}

/* A unit has a link or two, found by a look at each; past this many, through a map, so that a
 * WantedBy= of thousands of units costs no scan for each. */
#define LINKS_SCANNED 16u

static bool has_link(const OciUnitFile *u, const char *path) {
        if (u->n_links > LINKS_SCANNED)
                return hashmap_get(&u->link_paths, path) != NULL;
        for (size_t i = 0; i < u->n_links; i++)
                if (streq(u->links[i].path, path))
                        return true;
        return false;
}

int oci_unit_add_link(OciUnitFile *u, const char *path, const char *target) {
        /* WantedBy= and AutoStart= may ask for the same link: it is made once */
        if (has_link(u, path))
                return 0;
        size_t n = u->n_links;
        /* the capacity follows from the count: 2, 4, 8... */
        if (n == 0 || (n >= 2 && (n & (n - 1)) == 0)) {
                OciLink *m = realloc(u->links, (n == 0 ? 2 : 2 * n) * sizeof(*m));
                if (!m)
                        return -ENOMEM;
                u->links = m;
        }
        OciLink *l = &u->links[n];
        *l = (OciLink) { .path = strdup(path), .target = strdup(target) };
        if (!l->path || !l->target) {
                free(l->path);
                free(l->target);
                return -ENOMEM;
        }
        u->n_links++;
        if (u->n_links == LINKS_SCANNED + 1) {
                for (size_t i = 0; i < u->n_links; i++)
                        if (hashmap_put(&u->link_paths, u->links[i].path, &u->links[i]) < 0)
                                return -ENOMEM;
        } else if (u->n_links > LINKS_SCANNED + 1 && hashmap_put(&u->link_paths, l->path, l) < 0)
                return -ENOMEM;
        return 0;
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
 * (NULL when it has none) and its name. */
static char *const *section_at(const OciUnitFile *u, size_t k, const char **ret_name) {
        size_t s = k == 0 ? OCI_UNIT_SECTION_UNIT : k <= u->n_extra ? _OCI_UNIT_SECTION_MAX : k - u->n_extra;
        *ret_name = s < _OCI_UNIT_SECTION_MAX ? section_names[s] : u->extra[k - 1].name;
        return s < _OCI_UNIT_SECTION_MAX ? u->lines[s] : u->extra[k - 1].lines;
}

/* Append the n bytes at s at *p, and move *p past them. */
static void put(char **p, const char *s, size_t n) {
        memcpy(*p, s, n);
        *p += n;
}

char *oci_unit_to_string(const OciUnitFile *u) {
        if (u->secret)
                return strdup(u->secret);
        const char *name;
        /* measured first, then copied into a text of that size */
        size_t size = 1;
        for (char **c = u->comments; c && *c; c++)
                size += 2 + strlen(*c) + 1;
        for (size_t k = 0; k < _OCI_UNIT_SECTION_MAX + u->n_extra; k++) {
                char *const *lines = section_at(u, k, &name);
                if (!lines)
                        continue;
                size += 2 + strlen(name) + 2;
                for (size_t i = 0; lines[i]; i++)
                        size += strlen(lines[i]) + 1;
        }
        char *text = malloc(size), *p = text;
        if (!text)
                return NULL;
        for (char **c = u->comments; c && *c; c++) {
                put(&p, "# ", 2);
                put(&p, *c, strlen(*c));
                put(&p, "\n", 1);
        }
        for (size_t k = 0; k < _OCI_UNIT_SECTION_MAX + u->n_extra; k++) {
                char *const *lines = section_at(u, k, &name);
                if (!lines)
                        continue;
                put(&p, "\n[", 2);
                put(&p, name, strlen(name));
                put(&p, "]\n", 2);
                for (size_t i = 0; lines[i]; i++) {
                        put(&p, lines[i], strlen(lines[i]));
                        put(&p, "\n", 1);
                }
        }
        *p = 0;
        return text;
}
