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
        if (d->file)
                (void) strlen(d->file);
}

#define FUZZ_CHECK(cond)                                                                  \
        do {                                                                              \
                if (!(cond)) {                                                            \
                        fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
                        abort();                                                          \
                }                                                                         \
        } while (0)

/* A unit file is lines; no value may end one early or continue it: every line is empty, a
 * comment, a section header or Key=Value, and none ends in a backslash that continues it: an
 * odd number of them (two are an escaped backslash, as systemd reads the line). */
static inline void fuzz_check_unit_text(const char *text) {
        FUZZ_CHECK(text);
        for (const char *p = text; *p;) {
                size_t n = strcspn(p, "\n");
                FUZZ_CHECK(p[n] == '\n'); /* the text ends with a newline */
                if (n > 0 && p[0] != '#') {
                        if (p[0] == '[')
                                FUZZ_CHECK(p[n - 1] == ']');
                        else {
                                const char *eq = memchr(p, '=', n);
                                FUZZ_CHECK(eq && eq > p);
                        }
                        size_t bs = 0;
                        while (bs < n && p[n - 1 - bs] == '\\')
                                bs++;
                        FUZZ_CHECK(bs % 2 == 0);
                        FUZZ_CHECK(!memchr(p, '\r', n));
                }
                p += n + 1;
        }
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
                char *text = oci_unit_to_string(units[i]);
                fuzz_check_unit_text(text);
                free(text);
        }
        oci_unit_list_free(units);
}
