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
                strv_free(u->lines[i]);
        for (size_t i = 0; i < u->n_extra; i++) {
                free(u->extra[i].name);
                strv_free(u->extra[i].lines);
        }
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
 * make a line systemd cannot read. line is a whole line, its key the first klen bytes. */
static int check_line(OciUnitFile *u, const char *line, size_t klen) {
        size_t len = strlen(line);
        if (len > OCI_UNIT_LINE_MAX)
                return refuse(u, line, klen, len, -E2BIG);
        if (!oci_unit_value_is_safe(line))
                return refuse(u, line, klen, 0, -EINVAL);
        return 0;
}

/* "KEY=VALUE" in *ret, checked. */
static int make_line(OciUnitFile *u, const char *key, const char *value, char **ret) {
        size_t kl = strlen(key), vl = strlen(value);
        /* a key is never at the end of a line: only a line break in it matters */
        if (strpbrk(key, "\n\r"))
                return refuse(u, key, kl, 0, -EINVAL);
        char *line = malloc(kl + 1 + vl + 1);
        if (!line)
                return -ENOMEM;
        memcpy(line, key, kl);
        line[kl] = '=';
        memcpy(line + kl + 1, value, vl + 1);
        int r = check_line(u, line, kl);
        if (r < 0) {
                free(line);
                return r;
        }
        *ret = line;
        return 0;
}

int oci_unit_add(OciUnitFile *u, OciUnitSection s, const char *key, const char *value) {
        assert(u && key && value);
        char *line;
        int r = make_line(u, key, value, &line);
        return r < 0 ? r : strv_push(&u->lines[s], line);
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
        char *line;
        int r = make_line(u, key, value, &line);
        return r < 0 ? r : strv_push(&u->extra[i].lines, line);
}

int oci_unit_add_line(OciUnitFile *u, OciUnitSection s, char *line) {
        assert(u && line);
        int r = check_line(u, line, strcspn(line, "="));
        if (r < 0) {
                free(line);
                return r;
        }
        return strv_push(&u->lines[s], line);
}

void oci_unit_remove(OciUnitFile *u, OciUnitSection s, const char *key) {
        assert(u && key);
        size_t kl = strlen(key), k = 0;
        for (size_t i = 0; u->lines[s] && u->lines[s][i]; i++) {
                char *l = u->lines[s][i];
                if (strncmp(l, key, kl) == 0 && l[kl] == '=')
                        free(l);
                else
                        u->lines[s][k++] = l;
        }
        if (u->lines[s])
                u->lines[s][k] = NULL;
}

int oci_unit_move_lines(OciUnitFile *u, OciUnitFile *from) {
        assert(u && from);
        for (size_t s = 0; s < _OCI_UNIT_SECTION_MAX; s++)
                if (strv_move(&u->lines[s], &from->lines[s]) < 0)
                        return -ENOMEM;
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
        return strv_push(&u->comments, c);
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

char *oci_unit_to_string(const OciUnitFile *u) {
        if (u->secret)
                return strdup(u->secret);
        StrBuf b = {};
        int r = 0;
        for (char **c = u->comments; r >= 0 && c && *c; c++) {
                r = strbuf_putn(&b, "# ", 2);
                if (r >= 0)
                        r = strbuf_puts(&b, *c);
                if (r >= 0)
                        r = strbuf_putc(&b, '\n');
        }
        /* [Unit], the sections systemd ignores, [Service], [Install] */
        for (size_t k = 0; r >= 0 && k < _OCI_UNIT_SECTION_MAX + u->n_extra; k++) {
                size_t s = k == 0 ? OCI_UNIT_SECTION_UNIT : k <= u->n_extra ? _OCI_UNIT_SECTION_MAX : k - u->n_extra;
                const char *name = s < _OCI_UNIT_SECTION_MAX ? section_names[s] : u->extra[k - 1].name;
                char **lines = s < _OCI_UNIT_SECTION_MAX ? u->lines[s] : u->extra[k - 1].lines;
                if (!lines)
                        continue;
                r = strbuf_putn(&b, "\n[", 2);
                if (r >= 0)
                        r = strbuf_puts(&b, name);
                if (r >= 0)
                        r = strbuf_putn(&b, "]\n", 2);
                for (char **l = lines; r >= 0 && *l; l++) {
                        r = strbuf_puts(&b, *l);
                        if (r >= 0)
                                r = strbuf_putc(&b, '\n');
                }
        }
        if (r < 0) {
                strbuf_done(&b);
                return NULL;
        }
        return strbuf_steal(&b);
}
