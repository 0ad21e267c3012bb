/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "testutil.h"

static const OciValue *val(OciDefinition *d, OciOptionId id) {
        return &d->values[id];
}

START_TEST(test_basic_and_comments) {
        Collected c = {};
        OciDefinition *d;
        ck_assert_int_eq(parse_text("t",
                                    "# comment\n"
                                    "; another\n"
                                    "[Container]\n"
                                    "  Image = docker.io/x  \n"
                                    "Exec=sh -c \"a ; b # c\"\n"
                                    "   # indented comment\n",
                                    &d, &c),
                         0);
        ck_assert_str_eq(val(d, OCI_OPT_IMAGE)->entries[0].value, "docker.io/x");
        ck_assert_uint_eq(val(d, OCI_OPT_IMAGE)->entries[0].line, 4);
        ck_assert_str_eq(val(d, OCI_OPT_EXEC)->entries[0].value, "sh -c \"a ; b # c\"");
        ck_assert_uint_eq(d->section_line[OCI_SECTION_CONTAINER], 3);
        ck_assert_uint_eq(c.n_err + c.n_warn, 0);
        oci_definition_free(d);
}
END_TEST

START_TEST(test_continuation) {
        Collected c = {};
        OciDefinition *d;
        ck_assert_int_eq(parse_text("t",
                                    "[Container]\n"
                                    "Exec=one \\\n"
                                    "# dropped comment\n"
                                    "  two \\\n"
                                    "three\n"
                                    "Image=x\\\\\n"
                                    "Label=a=1\n",
                                    &d, &c),
                         0);
        ck_assert_str_eq(val(d, OCI_OPT_EXEC)->entries[0].value, "one two three");
        ck_assert_uint_eq(val(d, OCI_OPT_EXEC)->entries[0].line, 2);
        /* an escaped backslash at the end does not continue */
        ck_assert_str_eq(val(d, OCI_OPT_IMAGE)->entries[0].value, "x\\\\");
        ck_assert_uint_eq(val(d, OCI_OPT_IMAGE)->entries[0].line, 6);
        ck_assert_uint_eq(val(d, OCI_OPT_LABEL)->entries[0].line, 7);
        oci_definition_free(d);
}
END_TEST

START_TEST(test_lists_and_reset) {
        Collected c = {};
        OciDefinition *d;
        ck_assert_int_eq(parse_text("t",
                                    "[Container]\n"
                                    "Image=a\n"
                                    "Image=b\n"
                                    "Environment=A=1\n"
                                    "Environment=B=2\n"
                                    "Environment=\n"
                                    "Environment=C=3\n"
                                    "Environment=D=4\n"
                                    "WorkingDir=/x\n"
                                    "WorkingDir=\n",
                                    &d, &c),
                         0);
        ck_assert_uint_eq(val(d, OCI_OPT_IMAGE)->n_entries, 1);
        ck_assert_str_eq(val(d, OCI_OPT_IMAGE)->entries[0].value, "b");
        ck_assert_uint_eq(val(d, OCI_OPT_ENVIRONMENT)->n_entries, 2);
        ck_assert_str_eq(val(d, OCI_OPT_ENVIRONMENT)->entries[0].value, "C=3");
        ck_assert_uint_eq(val(d, OCI_OPT_WORKING_DIR)->n_entries, 0);
        oci_definition_free(d);
}
END_TEST

START_TEST(test_long_line) {
        size_t n = 10000;
        char *text = malloc(n + 64);
        strcpy(text, "[Container]\nImage=");
        size_t off = strlen(text);
        for (size_t i = 0; i < n; i++)
                text[off + i] = (char) ('a' + i % 26);
        strcpy(text + off + n, "\nExec=x\n");
        Collected c = {};
        OciDefinition *d;
        ck_assert_int_eq(parse_text("t", text, &d, &c), 0);
        ck_assert_uint_eq(strlen(val(d, OCI_OPT_IMAGE)->entries[0].value), n);
        ck_assert(memcmp(val(d, OCI_OPT_IMAGE)->entries[0].value, text + off, n) == 0);
        ck_assert_uint_eq(val(d, OCI_OPT_EXEC)->entries[0].line, 3);
        oci_definition_free(d);
        free(text);
}
END_TEST

START_TEST(test_passthrough_and_x_keys) {
        Collected c = {};
        OciDefinition *d;
        ck_assert_int_eq(parse_text("t",
                                    "[Unit]\nDescription=A web server ; really\n"
                                    "[Service]\nRestart=always\n"
                                    "[Container]\nImage=x\nX-Mine=ignored\n"
                                    "[X-Extra]\nAnything=goes\n",
                                    &d, &c),
                         0);
        ck_assert_uint_eq(d->n_pass, 2);
        ck_assert_int_eq(d->pass[0].section, OCI_SECTION_UNIT);
        ck_assert_str_eq(d->pass[0].key, "Description");
        ck_assert_str_eq(d->pass[0].value, "A web server ; really");
        ck_assert_uint_eq(d->pass[1].line, 4);
        ck_assert_uint_eq(c.n_err + c.n_warn, 0);
        oci_definition_free(d);
}
END_TEST

START_TEST(test_unknown_key_suggests) {
        Collected c = {};
        OciDefinition *d;
        ck_assert_int_eq(parse_text("t", "[Container]\nImage=x\n\nImag=y\n", &d, &c), -EINVAL);
        ck_assert_uint_eq(c.first_err_line, 4);
        ck_assert_msg(strstr(c.text, "/defs/t.container:4: unknown key 'Imag' in [Container]; did you mean 'Image='?"), "%s", c.text);
        oci_definition_free(d);
        memset(&c, 0, sizeof(c));
        ck_assert_int_eq(parse_text("t", "[Container]\nZzzzzzzz=y\n", &d, &c), -EINVAL);
        ck_assert_msg(!strstr(c.text, "did you mean"), "%s", c.text);
        oci_definition_free(d);
}
END_TEST

START_TEST(test_malformed_lines) {
        static const struct {
                const char *text;
                unsigned line;
                const char *msg;
        } t[] = {
                { "Image=x\n", 1, "before any [Section]" },
                { "[Container]\nImage=x\njust words\n", 3, "expected 'Key=Value'" },
                { "[Container]\nImage:x\n", 2, "expected 'Key=Value'" },
                { "[Container\nImage=x\n", 1, "no closing ']'" },
                { "[Container]\nImage=x\nExec=\xff\xfe\n", 3, "not valid UTF-8" },
                { "[Container]\nImage=x\n\nExec=a\xc3\n", 4, "not valid UTF-8" },
                { "[Container]\nImage=x\n[Service]\nEnvironment=A=1\rExecStart=/bin/evil\n", 4, "carriage return" },
        };
        for (size_t i = 0; i < ELEMENTSOF(t); i++) {
                Collected c = {};
                OciDefinition *d;
                ck_assert_int_eq(parse_text("t", t[i].text, &d, &c), -EINVAL);
                ck_assert_msg(c.first_err_line == t[i].line, "case %zu: line %u, expected %u: %s", i, c.first_err_line, t[i].line, c.text);
                ck_assert_msg(strstr(c.text, t[i].msg), "case %zu: %s", i, c.text);
                oci_definition_free(d);
        }
}
END_TEST

START_TEST(test_nul_byte) {
        static const char text[] = "[Container]\nImage=x\nExec=a\0b\n";
        OciDefinition *d = oci_definition_new("/defs/t.container", OCI_UNIT_CONTAINER);
        Collected c = {};
        OciDiagSink sink = { .fn = collect_diag, .userdata = &c };
        ck_assert_int_eq(oci_parse_buffer(d, text, sizeof(text) - 1, oci_unit_type_sections(OCI_UNIT_CONTAINER), &sink), -EINVAL);
        ck_assert_uint_eq(c.first_err_line, 3);
        ck_assert(strstr(c.text, "NUL"));
        oci_definition_free(d);
}
END_TEST

START_TEST(test_unknown_section_warns) {
        Collected c = {};
        OciDefinition *d;
        ck_assert_int_eq(parse_text("t", "[Container]\nImage=x\n[Bogus]\nA=b\nC=d\n", &d, &c), 0);
        ck_assert_uint_eq(c.n_warn, 1);
        ck_assert(strstr(c.text, ":3: unknown section [Bogus]"));
        oci_definition_free(d);
        /* [Defaults] belongs to the defaults file, not a definition */
        memset(&c, 0, sizeof(c));
        ck_assert_int_eq(parse_text("t", "[Defaults]\nBackend=podman\n", &d, &c), 0);
        ck_assert_uint_eq(c.n_warn, 1);
        oci_definition_free(d);
}
END_TEST

START_TEST(test_defaults_unknown_section) {
        /* the defaults file has one section: a misspelt header is an error, an X- one is not */
        Collected c = {};
        OciDiagSink sink = { .fn = collect_diag, .userdata = &c };
        OciDefaults *d = oci_definition_new("/etc/oci-containers.conf", _OCI_UNIT_TYPE_INVALID);
        static const char text[] = "[Default]\nPublishAddress=127.0.0.1\n[X-Mine]\nA=b\n";
        ck_assert_int_eq(oci_parse_buffer(d, text, sizeof(text) - 1, OCI_DEFAULTS_SECTIONS, &sink), -EINVAL);
        ck_assert_uint_eq(c.n_err, 1);
        ck_assert_uint_eq(c.n_warn, 0);
        ck_assert_str_eq(c.text, "/etc/oci-containers.conf:1: unknown section [Default]; the defaults file has [Defaults] only\n");
        ck_assert_uint_eq(d->values[OCI_OPT_PUBLISH_ADDRESS].n_entries, 0);
        oci_definition_free(d);
}
END_TEST

START_TEST(test_defaults_doubt) {
        OciDefaults *d = oci_definition_new("/etc/oci-containers.conf", _OCI_UNIT_TYPE_INVALID);
        ck_assert_ptr_null(oci_defaults_key_doubt(d, OCI_OPT_PUBLISH_ADDRESS));
        ck_assert_ptr_null(oci_defaults_all_doubt(d));
        ck_assert_ptr_null(oci_defaults_key_doubt(NULL, OCI_OPT_BACKEND));
        /* a [Defaults] key: that key; the first error of each is kept */
        ck_assert_int_eq(oci_defaults_doubt(d, "PublishAddress", "/etc/a.conf", 4), 0);
        ck_assert_int_eq(oci_defaults_doubt(d, "PublishAddress", "/etc/b.conf", 9), 0);
        const OciDoubt *w = oci_defaults_key_doubt(d, OCI_OPT_PUBLISH_ADDRESS);
        ck_assert_ptr_nonnull(w);
        ck_assert_str_eq(w->file, "/etc/a.conf");
        ck_assert_uint_eq(w->line, 4);
        ck_assert_ptr_null(oci_defaults_key_doubt(d, OCI_OPT_BACKEND));
        ck_assert_ptr_null(oci_defaults_all_doubt(d));
        /* no key, or one [Defaults] does not have: every key; a NULL file is the defaults file */
        ck_assert_int_eq(oci_defaults_doubt(d, "Image", NULL, 2), 0);
        w = oci_defaults_all_doubt(d);
        ck_assert_ptr_nonnull(w);
        ck_assert_str_eq(w->file, "/etc/oci-containers.conf");
        ck_assert_uint_eq(w->line, 2);
        ck_assert_ptr_null(oci_defaults_key_doubt(d, OCI_OPT_BACKEND));
        /* a definition reused in the block forgets them */
        d = oci_definition_reuse(d, "/etc/oci-containers.conf", _OCI_UNIT_TYPE_INVALID);
        ck_assert_ptr_null(oci_defaults_all_doubt(d));
        oci_definition_free(d);
}
END_TEST

/* Everything a definition holds after reading its files, and what was said: for comparing. */
static void describe(const OciDefinition *d, const Collected *c, StrBuf *b) {
        strbuf_printf(b, "said:\n%s", c->text);
        for (size_t i = 0; i < _OCI_OPT_MAX; i++)
                for (size_t k = 0; k < d->values[i].n_entries; k++) {
                        const OciEntry *e = &d->values[i].entries[k];
                        strbuf_printf(b, "%s=%s @%u:%u in %s\n", oci_option_key(i), e->value, e->line, e->column, d->sources[e->source]);
                }
        for (size_t i = 0; i < d->n_pass; i++)
                strbuf_printf(b, "[%d] %s=%s @%u in %u\n", (int) d->pass[i].section, d->pass[i].key, d->pass[i].value, d->pass[i].line,
                              d->pass[i].source);
        for (size_t s = 0; s < _OCI_SECTION_MAX; s++)
                strbuf_printf(b, "section %zu at %u\n", s, d->section_line[s]);
        strbuf_printf(b, "%u assignments, %u sources\n", d->n_assignments, d->n_sources);
}

START_TEST(test_dropin_cached) {
        /* a drop-in told again from the cache is the same drop-in: entries, lines, columns, pass
         * lines, sections and messages, for every definition it is told to */
        char dir[] = "/tmp/test-parse-XXXXXX";
        ck_assert_ptr_nonnull(mkdtemp(dir));
        char path[sizeof(dir) + 16];
        snprintf(path, sizeof(path), "%s/10-all.conf", dir);
        FILE *f = fopen(path, "w");
        ck_assert_ptr_nonnull(f);
        fputs("Stray=before any section\n"
              "[Container]\n"
              "Label=a=1 \\\n  b=2\n"
              "Environment=X=1\n"
              "Bogus=1\n"
              "not an assignment\n"
              "[Unit]\n"
              "Description=shared\n"
              "[Nope]\n"
              "Ignored=yes\n"
              "[X-Mine]\n"
              "Also=ignored\n"
              "[Container]\n"
              "Environment=\n"
              "Environment=Y=2\n",
              f);
        ck_assert_int_eq(fclose(f), 0);
        unsigned sections = oci_unit_type_sections(OCI_UNIT_CONTAINER);
        OciParseCache cache = {};
        StrBuf want = {};
        for (int round = 0; round < 3; round++) {
                Collected c = {};
                OciDiagSink sink = { .fn = collect_diag, .userdata = &c };
                OciDefinition *d = oci_definition_new("/defs/web.container", OCI_UNIT_CONTAINER);
                ck_assert_ptr_nonnull(d);
                static const char main_text[] = "[Container]\nImage=x\n";
                ck_assert_int_eq(oci_parse_buffer(d, main_text, sizeof(main_text) - 1, sections, &sink), 0);
                int r = round == 0 ? oci_parse_dropin(d, path, sections, &sink) : oci_parse_dropin_cached(d, path, sections, &sink, &cache);
                ck_assert_int_eq(r, -EINVAL);
                StrBuf got = {};
                describe(d, &c, &got);
                if (round == 0)
                        want = got;
                else {
                        ck_assert_str_eq(got.s, want.s);
                        strbuf_done(&got);
                }
                oci_definition_free(d);
                if (round == 1)
                        ck_assert_int_eq(unlink(path), 0); /* read once: the third round needs no file */
        }
        ck_assert(strstr(want.s, "unknown key 'Bogus'"));
        ck_assert(strstr(want.s, "Label=a=1 b=2 @3:7"));
        ck_assert_uint_eq(cache.files.n, 1);
        ck_assert_uint_gt(cache.size, 0);
        strbuf_done(&want);
        oci_parse_cache_done(&cache);
        ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

START_TEST(test_crlf_and_bom) {
        Collected c = {};
        OciDefinition *d;
        ck_assert_int_eq(parse_text("t", "\xef\xbb\xbf[Container]\r\nImage=x\r\nExec=a \\\r\nb\r\n", &d, &c), 0);
        ck_assert_str_eq(val(d, OCI_OPT_IMAGE)->entries[0].value, "x");
        ck_assert_str_eq(val(d, OCI_OPT_EXEC)->entries[0].value, "a b");
        oci_definition_free(d);
}
END_TEST

START_TEST(test_empty) {
        Collected c = {};
        OciDefinition *d;
        ck_assert_int_eq(parse_text("t", "", &d, &c), 0);
        ck_assert_uint_eq(d->section_line[OCI_SECTION_CONTAINER], 0);
        oci_definition_free(d);
}
END_TEST

/* Where each assignment's value starts, as messages point at it: from the parsed definition,
 * the value's own column (after blanks, and after a quote the reader removes). */
START_TEST(test_definition_column) {
        Collected c = {};
        OciDefinition *d;
        ck_assert_int_eq(parse_text("t", "[Container]\nImage=x\n  Privileged =  maybe\nContainerName = \"web\"\n[Service]\nRestart= always\n",
                                    &d, &c), 0);
        ck_assert_uint_eq(oci_definition_column(d, 0, 2, "Image"), 7);
        ck_assert_uint_eq(oci_definition_column(d, 0, 3, "Privileged"), 17);
        ck_assert_uint_eq(oci_definition_column(d, 0, 4, "ContainerName"), 18);
        ck_assert_uint_eq(oci_definition_column(d, 0, 6, "Restart"), 10);
        /* no such assignment: on another line, of another key, in another file */
        ck_assert_uint_eq(oci_definition_column(d, 0, 3, "Image"), 0);
        ck_assert_uint_eq(oci_definition_column(d, 0, 2, "Bogus"), 0);
        ck_assert_uint_eq(oci_definition_column(d, 1, 2, "Image"), 0);
        oci_definition_free(d);
}
END_TEST

static Suite *make(void) {
        Suite *s = suite_create("parse");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_basic_and_comments);
        tcase_add_test(tc, test_continuation);
        tcase_add_test(tc, test_lists_and_reset);
        tcase_add_test(tc, test_long_line);
        tcase_add_test(tc, test_passthrough_and_x_keys);
        tcase_add_test(tc, test_unknown_key_suggests);
        tcase_add_test(tc, test_malformed_lines);
        tcase_add_test(tc, test_nul_byte);
        tcase_add_test(tc, test_unknown_section_warns);
        tcase_add_test(tc, test_defaults_unknown_section);
        tcase_add_test(tc, test_defaults_doubt);
        tcase_add_test(tc, test_dropin_cached);
        tcase_add_test(tc, test_crlf_and_bom);
        tcase_add_test(tc, test_empty);
        tcase_add_test(tc, test_definition_column);
        suite_add_tcase(s, tc);
        return s;
}
RUN_SUITE(make)
