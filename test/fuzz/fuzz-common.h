/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the fuzz targets share: a sink that swallows messages, and the checks every generated
 * unit must pass whatever the input was. A failed check calls abort(), which libFuzzer reports
 * as a crash with the input that caused it. */
#pragma once

#include <stdint.h>
#include <stdio.h>

#include "checks.h"
#include "escape.h"
#include "model.h"
#include "render.h"

static inline void fuzz_diag(void *userdata, const OciDiag *d) {
        /* every message has a text; reading it all makes ASan check the string */
        if (!d->message || strlen(d->message) == (size_t) -1)
                abort();
        /* and shows control characters as \xNN: no message makes a second log line */
        for (const unsigned char *c = (const unsigned char *) d->message; *c; c++)
                if (*c < 0x20 || *c == 0x7f)
                        abort();
        for (const unsigned char *c = (const unsigned char *) (d->file ? d->file : ""); *c; c++)
                if (*c < 0x20 || *c == 0x7f)
                        abort();
}

/* The machine's facts, but the podman version, which is the input's choice: no input runs a
 * program (PodmanPath= may name any), and both forms of a network's or volume's unit are reached. */
static unsigned fuzz_podman_version_value;
static inline unsigned fuzz_podman_version(const char *path) {
        (void) path;
        return fuzz_podman_version_value;
}
static inline const OciHost *fuzz_host(unsigned version) {
        static OciHost h;
        h = oci_host_system;
        h.podman_version = fuzz_podman_version;
        fuzz_podman_version_value = version;
        return &h;
}

#define FUZZ_CHECK(cond)                                                                  \
        do {                                                                              \
                if (!(cond)) {                                                            \
                        fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
                        abort();                                                          \
                }                                                                         \
        } while (0)

static const char *const fuzz_section_names[_OCI_UNIT_SECTION_MAX] = { "Unit", "Service", "Install" };

/* Does the line p[0..n) hold exactly the string s? */
static inline bool fuzz_line_is(const char *p, size_t n, const char *s) {
        return s && strlen(s) == n && memcmp(p, s, n) == 0;
}

/* Is the text p[0..n) line i of v, its length as kept the same as its text's? */
static inline bool fuzz_line_at(const char *p, size_t n, const OciUnitLines *v, size_t i) {
        return v && i < v->n && v->items[i].len == strlen(v->items[i].text) &&
               fuzz_line_is(p, n, v->items[i].text);
}

/* Does v hold a line that is exactly s? */
static inline bool fuzz_lines_contain(const OciUnitLines *v, const char *s) {
        for (size_t i = 0; i < v->n; i++)
                if (streq(v->items[i].text, s))
                        return true;
        return false;
}

/* A unit file is lines, and systemd must read back exactly the lines the generator meant: read as
 * systemd's parser of unit files reads (leading blanks skipped, '#' and ';' start a comment, a
 * line ending in an unescaped backslash, an odd number of them, is joined to the next one, a line
 * of more than OCI_UNIT_LINE_MAX bytes makes the unit fail to load), the text is the header's
 * comments, then each section that has lines, its header and its lines in order, and nothing
 * else: no value ended a line early, continued it into the next, or made it too long. */
static inline void fuzz_check_unit(const OciUnitFile *u) {
        char *text = oci_unit_to_string(u);
        FUZZ_CHECK(text);
        /* the sections in the order they are written: [Unit], those systemd ignores, [Service], [Install] */
        size_t n_sections = _OCI_UNIT_SECTION_MAX + u->n_extra;
        const char **names = calloc(n_sections, sizeof(char *));
        const OciUnitLines **lines = calloc(n_sections, sizeof(OciUnitLines *));
        FUZZ_CHECK(names && lines);
        for (size_t k = 0; k < n_sections; k++) {
                size_t s = k == 0 ? OCI_UNIT_SECTION_UNIT : k <= u->n_extra ? _OCI_UNIT_SECTION_MAX : k - u->n_extra;
                names[k] = s < _OCI_UNIT_SECTION_MAX ? fuzz_section_names[s] : u->extra[k - 1].name;
                lines[k] = s < _OCI_UNIT_SECTION_MAX ? &u->lines[s] : &u->extra[k - 1].lines;
                if (!lines[k]->items) /* a section without a vector has no header */
                        lines[k] = NULL;
        }
        size_t comment = 0, line = 0;
        ssize_t section = -1;
        for (const char *p = text; *p;) {
                size_t n = strcspn(p, "\n");
                FUZZ_CHECK(p[n] == '\n'); /* the text ends with a newline */
                FUZZ_CHECK(n <= OCI_UNIT_LINE_MAX);
                FUZZ_CHECK(!memchr(p, '\r', n));
                size_t bs = 0;
                while (bs < n && p[n - 1 - bs] == '\\')
                        bs++;
                size_t lead = strspn(p, " \t");
                if (lead == n)
                        ;
                else if (p[lead] == '#' || p[lead] == ';') {
                        /* a comment is the header's next one, before any section */
                        FUZZ_CHECK(section < 0 && lead == 0 && n >= 2 && memcmp(p, "# ", 2) == 0);
                        FUZZ_CHECK(fuzz_line_at(p + 2, n - 2, &u->comments, comment));
                        comment++;
                } else {
                        /* not joined to the next line */
                        FUZZ_CHECK(bs % 2 == 0);
                        FUZZ_CHECK(lead == 0);
                        if (p[0] == '[') {
                                /* the next section with lines, once the last one's were all read */
                                FUZZ_CHECK(section < 0 || line == lines[section]->n);
                                do
                                        section++;
                                while ((size_t) section < n_sections && !lines[section]);
                                FUZZ_CHECK((size_t) section < n_sections);
                                FUZZ_CHECK(n == strlen(names[section]) + 2 && p[n - 1] == ']' &&
                                           memcmp(p + 1, names[section], n - 2) == 0);
                                line = 0;
                        } else {
                                const char *eq = memchr(p, '=', n);
                                FUZZ_CHECK(eq && eq > p);
                                FUZZ_CHECK(section >= 0 && fuzz_line_at(p, n, lines[section], line));
                                line++;
                        }
                }
                p += n + 1;
        }
        /* and all of them were read */
        FUZZ_CHECK(comment == u->comments.n);
        FUZZ_CHECK(section < 0 || line == lines[section]->n);
        for (size_t s = (size_t) (section + 1); s < n_sections; s++)
                FUZZ_CHECK(!lines[s]);
        free(names);
        free(lines);
        free(text);
}

/* Render a validated definition and check every unit that comes out. */
static inline void fuzz_render_and_check(const OciDefinition *d, const OciRenderContext *rc) {
        OciUnitFile **units = NULL;
        if (oci_render(d, rc, &units) < 0)
                return;
        FUZZ_CHECK(units && units[0]);
        for (size_t i = 0; units[i]; i++) {
                if (units[i]->secret) {
                        /* a service's environment file (HostEnvironment=): UNIT.env, not a unit */
                        const char *e = endswith(units[i]->name, ".env");
                        FUZZ_CHECK(e && oci_unit_file_mode(units[i]) == 0600);
                        char *unit = strndup(units[i]->name, (size_t) (e - units[i]->name));
                        FUZZ_CHECK(unit && oci_unit_name_valid(unit));
                        free(unit);
                        continue;
                }
                FUZZ_CHECK(oci_unit_name_valid(units[i]->name));
                fuzz_check_unit(units[i]);
                if (!streq(units[i]->name, d->unit_name))
                        continue;
                /* the definition's own [Unit] and [Service] lines are in its unit as written, but for
                 * the words of a [Unit] line that name definitions (their units in their place), and
                 * one of a single-valued [Service] key that a later one of the file replaces */
                for (size_t k = 0; k < d->n_pass; k++) {
                        const OciPassLine *l = &d->pass[k];
                        OciUnitSection s = l->section == OCI_SECTION_UNIT ? OCI_UNIT_SECTION_UNIT : OCI_UNIT_SECTION_SERVICE;
                        if (s == OCI_UNIT_SECTION_SERVICE && oci_definition_pass_line(d, OCI_SECTION_SERVICE, l->key) != l)
                                continue;
                        StrBuf want = {};
                        size_t at = 0;
                        FUZZ_CHECK(strbuf_printf(&want, "%s=", l->key) >= 0);
                        for (size_t w = 0; w < l->n_deps; w++) {
                                FUZZ_CHECK(l->deps[w].resolved);
                                FUZZ_CHECK(strbuf_putn(&want, l->value + at, l->deps[w].start - at) >= 0 &&
                                           strbuf_puts(&want, l->deps[w].resolved) >= 0);
                                at = l->deps[w].start + l->deps[w].len;
                        }
                        FUZZ_CHECK(strbuf_puts(&want, l->value + at) >= 0);
                        FUZZ_CHECK(fuzz_lines_contain(&units[i]->lines[s], want.s));
                        strbuf_done(&want);
                }
        }
        oci_unit_list_free(units);
}
