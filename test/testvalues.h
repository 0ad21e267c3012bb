/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What the tests of typed values share: a definition /defs/web.container, optional defaults and
 * host, and assertions on one assignment's items or its one message. Each test file has its own
 * copy of the state, set up by its own fixture. */

#include "testutil.h"
#include "host.h"
#include "values.h"

#define FILE_ "/defs/web.container"
#define LINE 7

static Collected col;
static OciDiagSink sink;
static OciDefinition *def;
static OciDefaults *dflt;
static const OciHost *host_facts;

static inline void setup(void) {
        col = (Collected) {};
        sink = (OciDiagSink) { .fn = collect_diag, .userdata = &col };
        def = oci_definition_new(FILE_, OCI_UNIT_CONTAINER);
        ck_assert_ptr_nonnull(def);
        dflt = NULL;
        host_facts = NULL;
}

static inline void teardown(void) {
        def = oci_definition_free(def);
        dflt = oci_definition_free(dflt);
}

/* One assignment of row id at FILE_:LINE into *out. */
static inline int parse(OciOptionId id, const char *text, OciItems *out) {
        OciParse p = { .sink = &sink, .d = def, .defaults = dflt, .host = host_facts, .id = id,
                       .loc = { .file = FILE_, .line = LINE, .column = 3 }, .out = out, .arena = &def->text };
        return oci_value_parse(&p, text);
}

/* Parse text alone; it must pass without a message and give n items. */
static inline OciItems ok(OciOptionId id, const char *text, size_t n) {
        OciItems items = {};
        int r = parse(id, text, &items);
        ck_assert_msg(r == 0 && col.n_err == 0, "%s=%s rejected: %s", oci_option_key(id), text, col.text);
        ck_assert_msg(items.n == n, "%s=%s: %zu items, expected %zu", oci_option_key(id), text, items.n, n);
        for (size_t i = 0; i < n; i++) {
                ck_assert_str_eq(items.items[i].loc.file, FILE_);
                ck_assert_uint_eq(items.items[i].loc.line, LINE);
        }
        return items;
}

/* The one item's text must be want. */
static inline void ok1(OciOptionId id, const char *text, const char *want) {
        OciItems items = ok(id, text, 1);
        ck_assert_str_eq(items.items[0].text, want);
        oci_items_clear(&items);
}

/* Parse text alone: it must fail with exactly this one message, at LINE, and add nothing. */
static inline void err(OciOptionId id, const char *text, const char *msg) {
        OciItems items = {};
        col = (Collected) {};
        ck_assert_int_eq(parse(id, text, &items), -EINVAL);
        char want[4096];
        snprintf(want, sizeof(want), "%s:%d: %s\n", FILE_, LINE, msg);
        ck_assert_str_eq(col.text, want);
        ck_assert_uint_eq(col.n_err, 1);
        ck_assert_uint_eq(items.n, 0);
        oci_items_clear(&items);
        col = (Collected) {};
}

/* Parse text alone: it must pass with exactly this one warning, at LINE, and give n items. */
static inline OciItems warned(OciOptionId id, const char *text, const char *msg, size_t n) {
        OciItems items = {};
        col = (Collected) {};
        ck_assert_int_eq(parse(id, text, &items), 0);
        char want[4096];
        snprintf(want, sizeof(want), "%s:%d: %s\n", FILE_, LINE, msg);
        ck_assert_str_eq(col.text, want);
        ck_assert_uint_eq(col.n_err, 0);
        ck_assert_uint_eq(col.n_warn, 1);
        ck_assert_uint_eq(items.n, n);
        col = (Collected) {};
        return items;
}

/* The engine's form of the item. */
static inline void fmt(OciType type, const OciItem *it, OciBackendId b, const char *want) {
        StrBuf out = {};
        ck_assert_int_eq(oci_item_format(type, it, b, &out), 0);
        ck_assert_str_eq(out.s, want);
        strbuf_done(&out);
}

/* The tests of ports, volumes, devices and mounts (test-values-compound.c). */
TCase *values_compound_tcase(void);
/* The tests of times, numbers and names with parts (test-values-parts.c). */
TCase *values_parts_tcase(void);
