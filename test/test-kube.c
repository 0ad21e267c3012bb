/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The pieces of --export=kube that need no definition: YAML quoting and layout, Kubernetes names
 * and labels, the literal form of a value in unit form; and that the case files of
 * test/cases-kube set every key that becomes a field. */
#include <dirent.h>
#include <stdio.h>

#include "kube-internal.h"
#include "testutil.h"

/* (input, YAML double-quoted scalar): the escapes are JSON's, which YAML reads the same */
START_TEST(test_quote_table) {
        static const struct {
                const char *in, *out;
        } t[] = {
                { "", "\"\"" },
                { "plain", "\"plain\"" },
                { "a: b", "\"a: b\"" },
                { "say \"hi\"", "\"say \\\"hi\\\"\"" },
                { "back\\slash", "\"back\\\\slash\"" },
                { "two\nlines", "\"two\\nlines\"" },
                { "tab\there", "\"tab\\there\"" },
                { "cr\r", "\"cr\\r\"" },
                { "bell\a", "\"bell\\u0007\"" },
                { "del\x7f", "\"del\\u007f\"" },
                { "Gr\xc3\xbc\xc3\x9f" "e", "\"Gr\xc3\xbc\xc3\x9f" "e\"" },
        };
        for (size_t i = 0; i < ELEMENTSOF(t); i++) {
                StrBuf b = {};
                ck_assert_int_ge(y_quote(t[i].in, &b), 0);
                ck_assert_str_eq(b.s, t[i].out);
                strbuf_done(&b);
        }
}
END_TEST

/* block style, keys plain where nothing could misread them, lists under a key at its level */
START_TEST(test_write_layout) {
        YTree t = {};
        YNode *doc = y_new_map(&t);
        y_str(&t, doc, "apiVersion", "v1");
        YNode *spec = y_map(&t, doc, "spec");
        YNode *c = y_push_map(&t, y_list(&t, spec, "containers"));
        y_str(&t, c, "name", "web");
        y_push_str(&t, y_list(&t, c, "args"), "-c");
        y_int(&t, c, "n", 42); /* "n" is a boolean word of YAML 1.1: quoted */
        y_bool(&t, c, "on", true);
        y_map(&t, c, "emptyDir");
        y_str(&t, y_map(&t, spec, "labels"), "app.kubernetes.io/name", "web");
        y_str(&t, y_map(&t, spec, "labels"), "yes", "1");
        y_str(&t, y_map(&t, spec, "labels"), "9lives", "x");
        /* a key put again keeps its place */
        y_str(&t, doc, "apiVersion", "v2");
        ck_assert(!t.oom);
        StrBuf b = {};
        ck_assert_int_ge(y_write(doc, &b), 0);
        ck_assert_str_eq(b.s, "apiVersion: \"v2\"\n"
                              "spec:\n"
                              "  containers:\n"
                              "  - name: \"web\"\n"
                              "    args:\n"
                              "    - \"-c\"\n"
                              "    \"n\": 42\n"
                              "    \"on\": true\n"
                              "    emptyDir: {}\n"
                              "  labels:\n"
                              "    app.kubernetes.io/name: \"web\"\n"
                              "    \"yes\": \"1\"\n"
                              "    \"9lives\": \"x\"\n");
        strbuf_done(&b);
        y_free(doc);
}
END_TEST

START_TEST(test_names) {
        static const struct {
                const char *in, *out;
        } t[] = {
                { "web", "web" },
                { "systemd-web", "systemd-web" },
                { "My_Web.1", "my-web-1" },
                { "a__b", "a-b" },
                { "-x-", "x" },
                { "1web", "n-1web" },
                { "web@2", "web-2" },
                { "___", NULL },
                { "", NULL },
        };
        for (size_t i = 0; i < ELEMENTSOF(t); i++) {
                bool oom = true;
                char *s = kube_name(t[i].in, &oom);
                ck_assert(!oom);
                if (t[i].out)
                        ck_assert_str_eq(s, t[i].out);
                else
                        ck_assert_ptr_null(s);
                free(s);
        }
        /* at most 63, no '-' at the end of the cut */
        char long_name[100];
        memset(long_name, 'a', sizeof long_name - 1);
        long_name[sizeof long_name - 1] = '\0';
        long_name[62] = '_';
        bool oom = false;
        char *s = kube_name(long_name, &oom);
        ck_assert_uint_eq(strlen(s), 62);
        free(s);
}
END_TEST

START_TEST(test_labels) {
        ck_assert(kube_label_key_valid("app"));
        ck_assert(kube_label_key_valid("app.kubernetes.io/name"));
        ck_assert(kube_label_key_valid("example.org/Tier_1"));
        ck_assert(!kube_label_key_valid("Example.org/tier"));
        ck_assert(!kube_label_key_valid("a/b/c"));
        ck_assert(!kube_label_key_valid("-app"));
        ck_assert(!kube_label_key_valid(""));
        ck_assert(kube_label_value_valid(""));
        ck_assert(kube_label_value_valid("v1.2_x-y"));
        ck_assert(!kube_label_value_valid("two words"));
        ck_assert(!kube_label_value_valid("ends-"));
        char big[70];
        memset(big, 'a', 64);
        big[64] = '\0';
        ck_assert(!kube_label_value_valid(big));
}
END_TEST

START_TEST(test_literal) {
        OciDefinition *d = oci_definition_new("/etc/oci-containers.d/web@blue.container", OCI_UNIT_CONTAINER);
        ck_assert_ptr_nonnull(d);
        free(d->name);
        d->name = strdup("web@blue");
        d->unit_name = strdup("web@blue.service");
        bool unresolved = false;
        char *s = kube_literal(d, "100%% of %N, %p and %i in %n, $$HOME", &unresolved);
        ck_assert_str_eq(s, "100% of web@blue, web and blue in web@blue.service, $HOME");
        ck_assert(!unresolved);
        free(s);
        s = kube_literal(d, "%h/${X}", &unresolved);
        ck_assert_str_eq(s, "%h/${X}");
        ck_assert(unresolved);
        free(s);
        oci_definition_free(d);
}
END_TEST

/* Whether a file of dir (or of dir/extra) with the extension ext has a line "KEY=" in [section]. */
static bool cases_set(const char *dir, const char *ext, const char *section, const char *key) {
        static const char *const subdirs[] = { "", "/extra" };
        for (size_t s = 0; s < ELEMENTSOF(subdirs); s++) {
                char path[4096];
                snprintf(path, sizeof path, "%s%s", dir, subdirs[s]);
                DIR *dp = opendir(path);
                ck_assert_msg(dp, "cannot read %s", path);
                struct dirent *de;
                bool found = false;
                while (!found && (de = readdir(dp))) {
                        if (!endswith(de->d_name, ext))
                                continue;
                        char file[4096 + 256];
                        snprintf(file, sizeof file, "%s/%s", path, de->d_name);
                        FILE *f = fopen(file, "re");
                        if (!f)
                                continue;
                        char line[4096];
                        bool in = false;
                        while (!found && fgets(line, sizeof line, f)) {
                                if (line[0] == '[')
                                        in = strncmp(line + 1, section, strlen(section)) == 0 && line[1 + strlen(section)] == ']';
                                else if (in && startswith(line, key) && line[strlen(key)] == '=')
                                        found = true;
                        }
                        fclose(f);
                }
                closedir(dp);
                if (found)
                        return true;
        }
        return false;
}

/* Every key that becomes a Kubernetes field is set by some case of test/cases-kube, in a file of
 * a type whose main section takes it: the case files cover each family of keys. */
START_TEST(test_cases_cover_fields) {
        const char *dir = TEST_SRCDIR "/cases-kube";
        for (OciUnitType t = 0; t < _OCI_UNIT_TYPE_MAX; t++) {
                const OciFileType *ft = oci_file_type(t);
                /* a .network has no object: every key of it is a warning (network-member) */
                if (!ft->exported || t == OCI_UNIT_NETWORK)
                        continue;
                for (size_t i = 0; i < _OCI_OPT_MAX; i++) {
                        const OciOption *o = &oci_options[i];
                        if (o->kube.kind != OCI_KUBE_FIELD || !(o->sections & (1u << ft->section)))
                                continue;
                        ck_assert_msg(cases_set(dir, ft->extension, oci_section_to_string(ft->section), oci_str(o->key)),
                                      "no case of cases-kube sets [%s] %s= in a %s file", oci_section_to_string(ft->section), oci_str(o->key),
                                      ft->extension);
                }
        }
}
END_TEST

static Suite *make(void) {
        Suite *s = suite_create("kube");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_quote_table);
        tcase_add_test(tc, test_write_layout);
        tcase_add_test(tc, test_names);
        tcase_add_test(tc, test_labels);
        tcase_add_test(tc, test_literal);
        tcase_add_test(tc, test_cases_cover_fields);
        suite_add_tcase(s, tc);
        return s;
}
RUN_SUITE(make)
