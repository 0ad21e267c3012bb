/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <check.h>
#include <stdio.h>

#include "diag.h"

/* A sink that keeps every message, for assertions on file, line and text. */
typedef struct Collected {
        char text[8192];
        unsigned n_err, n_warn;
        unsigned first_err_line;
} Collected;

static inline void collect_diag(void *userdata, const OciDiag *d) {
        Collected *c = userdata;
        size_t used = strlen(c->text);
        snprintf(c->text + used, sizeof(c->text) - used, "%s:%u: %s\n", d->file ? d->file : "-", d->line, d->message);
        if (d->level <= LOG_ERR) {
                if (!c->n_err)
                        c->first_err_line = d->line;
                c->n_err++;
        } else if (d->level == LOG_WARNING)
                c->n_warn++;
}

#define RUN_SUITE(make)                                          \
        int main(void) {                                         \
                SRunner *sr = srunner_create(make());            \
                srunner_run_all(sr, CK_NORMAL);                  \
                int failed = srunner_ntests_failed(sr);          \
                srunner_free(sr);                                \
                return failed ? 1 : 0;                           \
        }

#include "checks.h"
#include "model.h"
#include "render.h"

/* The machine's facts, but the podman version: the one a test sets, 4.3 (Debian 12's) unless it
 * says otherwise, so that no test runs the podman installed here. */
static unsigned test_podman_version_value = OCI_PODMAN_VERSION(4, 3);
static inline unsigned test_podman_version(const char *path) {
        (void) path;
        return test_podman_version_value;
}
static inline const OciHost *test_host(void) {
        static OciHost h;
        h = oci_host_system;
        h.podman_version = test_podman_version;
        return &h;
}

/* Parse text as the file /defs/NAME.EXT (of the type) into *ret; messages go to c. */
static inline int parse_text_as(OciUnitType type, const char *name, const char *text, OciDefinition **ret, Collected *c) {
        char path[512];
        snprintf(path, sizeof(path), "/defs/%s%s", name, oci_unit_type_extension(type));
        OciDefinition *d = oci_definition_new(path, type);
        ck_assert_ptr_nonnull(d);
        OciDiagSink sink = { .fn = collect_diag, .userdata = c };
        int r = oci_parse_buffer(d, text, strlen(text), oci_unit_type_sections(type), &sink);
        *ret = d;
        return r;
}

static inline int parse_text(const char *name, const char *text, OciDefinition **ret, Collected *c) {
        return parse_text_as(OCI_UNIT_CONTAINER, name, text, ret, c);
}

/* Parse, name, check (with the summaries of what it may name) and render. Returns the unit text or NULL. */
static inline char *generate_text_as(OciUnitType type, const char *text, const OciDefaults *defaults, OciSummary *const *known,
                                     size_t n_known, Collected *c, OciUnitFile **ret_unit) {
        OciDefinition *d = NULL;
        OciDiagSink sink = { .fn = collect_diag, .userdata = c };
        char *out = NULL;
        if (parse_text_as(type, "test", text, &d, c) == 0 && oci_definition_resolve_unit_name(d, &sink) == 0) {
                OciCheckContext v = { .sink = &sink, .defaults = defaults, .known = known, .n_known = n_known };
                if (oci_check(d, &v) == 0) {
                        OciRenderContext rc = { .sink = &sink, .defaults = defaults, .host = test_host() };
                        OciUnitFile **units = NULL;
                        if (oci_render(d, &rc, &units) == 0) {
                                /* the service: after its secret environment file, if any */
                                size_t s = units[0]->secret ? 1 : 0;
                                out = oci_unit_to_string(units[s]);
                                if (ret_unit)
                                        *ret_unit = TAKE_PTR(units[s]);
                                size_t n = s + 1;
                                while (units[n])
                                        n++;
                                for (size_t k = 0; k < n; k++)
                                        oci_unit_free(units[k]);
                                free(units);
                        }
                }
        }
        oci_definition_free(d);
        return out;
}

static inline char *generate_text(const char *text, const OciDefaults *defaults, OciSummary *const *known, size_t n_known,
                                  Collected *c, OciUnitFile **ret_unit) {
        return generate_text_as(OCI_UNIT_CONTAINER, text, defaults, known, n_known, c, ret_unit);
}

static inline OciDefaults *defaults_from(const char *text) {
        OciDefaults *d = oci_definition_new("/etc/oci-containers.conf", _OCI_UNIT_TYPE_INVALID);
        Collected c = {};
        OciDiagSink sink = { .fn = collect_diag, .userdata = &c };
        ck_assert_int_eq(oci_parse_buffer(d, text, strlen(text), OCI_DEFAULTS_SECTIONS, &sink), 0);
        ck_assert_int_eq(oci_check_defaults(d, &sink), 0);
        return d;
}

/* The value of the first "Key=" line of the unit text, or NULL (static buffer). */
static inline const char *unit_get(const char *text, const char *key) {
        static char buf[65536];
        size_t kl = strlen(key);
        bool ignored = false; /* in a section systemd ignores, [X-Container]... */
        for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
                if (*p == '[')
                        ignored = strncmp(p, "[X-", 3) == 0;
                if (!ignored && strncmp(p, key, kl) == 0 && p[kl] == '=') {
                        size_t n = strcspn(p + kl + 1, "\n");
                        if (n >= sizeof(buf))
                                n = sizeof(buf) - 1;
                        memcpy(buf, p + kl + 1, n);
                        buf[n] = 0;
                        return buf;
                }
        }
        return NULL;
}
