/* SPDX-License-Identifier: LGPL-2.1-or-later */
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
        for (size_t i = 0; i < _OCI_UNIT_SECTION_MAX; i++)
                strv_free(u->lines[i]);
        for (size_t i = 0; i < u->n_links; i++) {
                free(u->links[i].path);
                free(u->links[i].target);
        }
        free(u->links);
        hashmap_done(&u->link_paths);
        free(u);
        return NULL;
}

int oci_unit_add(OciUnitFile *u, OciUnitSection s, const char *key, const char *value) {
        /* the last line of defence: nothing may add a line to the unit */
        if (!oci_unit_value_is_safe(key) || !oci_unit_value_is_safe(value))
                return -EINVAL;
        size_t kl = strlen(key), vl = strlen(value);
        char *line = malloc(kl + 1 + vl + 1);
        if (!line)
                return -ENOMEM;
        memcpy(line, key, kl);
        line[kl] = '=';
        memcpy(line + kl + 1, value, vl + 1);
        return strv_push(&u->lines[s], line);
}

int oci_unit_add_line(OciUnitFile *u, OciUnitSection s, char *line) {
        return strv_push(&u->lines[s], line);
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
        for (size_t s = 0; r >= 0 && s < _OCI_UNIT_SECTION_MAX; s++) {
                if (!u->lines[s])
                        continue;
                r = strbuf_putn(&b, "\n[", 2);
                if (r >= 0)
                        r = strbuf_puts(&b, section_names[s]);
                if (r >= 0)
                        r = strbuf_putn(&b, "]\n", 2);
                for (char **l = u->lines[s]; r >= 0 && *l; l++) {
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
