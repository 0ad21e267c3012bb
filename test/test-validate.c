/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "testutil.h"

/* Validate "[Container]\nImage=x\n" + extra; returns 0/-EINVAL, items of id in *ret (joined by '|'). */
static int check(const char *extra, OciOptionId id, char **ret, Collected *c, const OciDefaults *defaults) {
        char text[4096];
        snprintf(text, sizeof(text), "[Container]\nImage=x\n%s\n", extra);
        OciDefinition *d;
        int r = parse_text("t", text, &d, c);
        if (r == 0) {
                OciDiagSink sink = { .fn = collect_diag, .userdata = c };
                OciCheckContext v = { .sink = &sink, .defaults = defaults };
                r = oci_check(d, &v);
        }
        if (ret) {
                char **texts = NULL;
                ck_assert_int_eq(oci_value_extend_words(d, id, &texts), 0);
                *ret = texts ? strv_join(texts, "|") : strdup("");
                strv_free(texts);
        }
        oci_definition_free(d);
        return r;
}

static void expect_ok(const char *extra, OciOptionId id, const char *expected) {
        Collected c = {};
        char *got = NULL;
        int r = check(extra, id, &got, &c, NULL);
        ck_assert_msg(r == 0, "'%s' rejected: %s", extra, c.text);
        ck_assert_msg(streq(got, expected), "'%s' gave '%s', expected '%s'", extra, got, expected);
        free(got);
}

static void expect_error(const char *extra, unsigned line, const char *msg) {
        Collected c = {};
        int r = check(extra, OCI_OPT_IMAGE, NULL, &c, NULL);
        ck_assert_msg(r == -EINVAL, "'%s' accepted", extra);
        ck_assert_msg(c.first_err_line == line, "'%s': error on line %u, expected %u: %s", extra, c.first_err_line, line, c.text);
        ck_assert_msg(strstr(c.text, msg), "'%s': message lacks '%s': %s", extra, msg, c.text);
}

START_TEST(test_ports) {
        expect_ok("PublishPort=80", OCI_OPT_PUBLISH_PORT, "80");
        expect_ok("PublishPort=8080:80", OCI_OPT_PUBLISH_PORT, "8080:80");
        expect_ok("PublishPort=127.0.0.1:8080:80/udp", OCI_OPT_PUBLISH_PORT, "127.0.0.1:8080:80/udp");
        expect_ok("PublishPort=127.0.0.1::80", OCI_OPT_PUBLISH_PORT, "127.0.0.1::80");
        expect_ok("PublishPort=[::1]:8080:80", OCI_OPT_PUBLISH_PORT, "[::1]:8080:80");
        expect_ok("PublishPort=8000-8010:9000-9010/sctp", OCI_OPT_PUBLISH_PORT, "8000-8010:9000-9010/sctp");
        expect_ok("PublishPort=[::1]:80", OCI_OPT_PUBLISH_PORT, "[::1]::80"); /* podman needs the empty host port */
        expect_ok("PublishPort=9000-9010", OCI_OPT_PUBLISH_PORT, "9000-9010");
        /* an empty address is every address, as without one (podman refuses it written empty) */
        expect_ok("PublishPort=::80", OCI_OPT_PUBLISH_PORT, "80");
        expect_ok("PublishPort=:8080:80", OCI_OPT_PUBLISH_PORT, "8080:80");
        /* variables of the service's environment are passed as written, the default address before them */
        expect_ok("PublishPort=${PORT}:80/udp", OCI_OPT_PUBLISH_PORT, "${PORT}:80");
        static const char *const bad[] = { "PublishPort=0", "PublishPort=65536", "PublishPort=80/icmp", "PublishPort=a:80",
                                           "PublishPort=1.2.3:80:80", "PublishPort=[::1:80", "PublishPort=1:2:3:4",
                                           "PublishPort=90-80", "PublishPort=8000-8002:9000-9010", "PublishPort=::1:80:80",
                                           "PublishPort=[127.0.0.1]:80:80", "PublishPort=8080:9000-9010",
                                           "PublishPort=8080-8080:80-80", "PublishPort=9000-9010:80" };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                expect_error(bad[i], 3, "PublishPort=");
}
END_TEST

START_TEST(test_publish_address_default) {
        OciDefaults *def = defaults_from("[Defaults]\nPublishAddress=127.0.0.1\n");
        Collected c = {};
        char *got = NULL;
        ck_assert_int_eq(check("PublishPort=8080:80\nPublishPort=53/udp\nPublishPort=10.0.0.1:1:2", OCI_OPT_PUBLISH_PORT, &got, &c, def), 0);
        ck_assert_str_eq(got, "127.0.0.1:8080:80|127.0.0.1::53/udp|10.0.0.1:1:2");
        free(got);
        ck_assert_int_eq(check("PublishPort=::80", OCI_OPT_PUBLISH_PORT, &got, &c, def), 0);
        ck_assert_str_eq(got, "127.0.0.1::80");
        free(got);
        oci_definition_free(def);
        def = defaults_from("[Defaults]\nPublishAddress=::1\n");
        ck_assert_int_eq(check("PublishPort=8080:80", OCI_OPT_PUBLISH_PORT, &got, &c, def), 0);
        ck_assert_str_eq(got, "[::1]:8080:80");
        free(got);
        oci_definition_free(def);
}
END_TEST

START_TEST(test_volumes) {
        expect_ok("Volume=/srv/www:/www:ro", OCI_OPT_VOLUME, "/srv/www:/www:ro");
        expect_ok("Volume=data:/data", OCI_OPT_VOLUME, "data:/data");
        expect_ok("Volume=/anon", OCI_OPT_VOLUME, "/anon");
        expect_ok("Volume=./site:/www", OCI_OPT_VOLUME, "/defs/site:/www");
        expect_ok("Volume=../up:/www", OCI_OPT_VOLUME, "/up:/www");
        expect_ok("Volume=%h/data:/data:Z", OCI_OPT_VOLUME, "%h/data:/data:Z");
        expect_error("Volume=relative/x:/data", 3, "Volume=");
        expect_error("Volume=/a:rel", 3, "Volume=");
        expect_error("Volume=/a:/b:ro:x", 3, "Volume=");
        expect_error("Volume=/a:/b:", 3, "Volume=");
        expect_error("Volume=x.volume:/b", 3, ".volume");
}
END_TEST

START_TEST(test_caps_devices) {
        expect_ok("AddCapability=NET_ADMIN cap_sys_time CAP_Chown", OCI_OPT_ADD_CAPABILITY, "cap_net_admin|cap_sys_time|cap_chown");
        expect_ok("DropCapability=all", OCI_OPT_DROP_CAPABILITY, "all");
        expect_error("\nAddCapability=NET_ADMIN FLY", 4, "'fly' is not a capability");
        expect_ok("AddDevice=/dev/null:/dev/xnull:rw", OCI_OPT_ADD_DEVICE, "/dev/null:/dev/xnull:rw");
        expect_ok("AddDevice=/dev/null:rwm", OCI_OPT_ADD_DEVICE, "/dev/null:rwm");
        expect_ok("AddDevice=-/dev/null", OCI_OPT_ADD_DEVICE, "/dev/null");
        expect_ok("AddDevice=-/dev/does-not-exist-here", OCI_OPT_ADD_DEVICE, "");
        expect_error("AddDevice=dev/null", 3, "AddDevice=");
        expect_error("AddDevice=/dev/null:rwx", 3, "AddDevice=");
}
END_TEST

START_TEST(test_words_and_env) {
        expect_ok("Exec=a b\nExec=sh -c \"x ; y\"", OCI_OPT_EXEC, "sh|-c|x ; y");
        expect_ok("Exec=find . -exec rm {} \\; ;", OCI_OPT_EXEC, "find|.|-exec|rm|{}|;|;");
        expect_ok("RunArgs=--a\nRunArgs=--b 'c d'", OCI_OPT_RUN_ARGS, "--a|--b|c d");
        expect_ok("Environment=B=2 \"A=two words\"\nEnvironment=B=3", OCI_OPT_ENVIRONMENT, "A=two words|B=3");
        expect_ok("Environment=E=$HOME P=100%%", OCI_OPT_ENVIRONMENT, "E=$HOME|P=100%%");
        expect_ok("Environment=FROM_HOST A=1", OCI_OPT_ENVIRONMENT, "A=1|FROM_HOST");
        expect_error("Environment==v", 3, "is not KEY=VALUE");
        /* as Quadlet reads Exec=: an unterminated quote runs to the end, an unknown escape drops it */
        expect_ok("Exec=sh -c \"unterminated", OCI_OPT_EXEC, "sh|-c|unterminated");
        expect_ok("Exec=a\\q", OCI_OPT_EXEC, "");
}
END_TEST

START_TEST(test_scalars) {
        expect_ok("Privileged=YES", OCI_OPT_IMAGE, "x");
        expect_error("Privileged=maybe", 3, "takes a boolean");
        expect_error("Pull=sometimes", 3, "takes one of: always, missing, never, newer");
        expect_error("WorkingDir=relative", 3, "must be an absolute path");
        expect_error("WorkingDir=/a/../b", 3, "normalised");
        expect_ok("EnvironmentFile=env\nEnvironmentFile=/etc/x.env", OCI_OPT_ENVIRONMENT_FILE, "/defs/env|/etc/x.env");
        /* a relative path is normalised like an absolute one (found by fuzzing: "a/" came out as "/defs/a/") */
        expect_ok("EnvironmentFile=../etc/x.env", OCI_OPT_ENVIRONMENT_FILE, "/etc/x.env");
        expect_ok("EnvironmentFile=a/", OCI_OPT_ENVIRONMENT_FILE, "/defs/a");
        expect_error("EnvironmentFile=a/../../etc/shadow", 3, "must be a normalised path");
        expect_error("EnvironmentFile=./a//b", 3, "must be a normalised path");
        expect_error("EnvironmentFile=./", 3, "must be a normalised path");
        expect_error("Volume=./data/.:/data", 3, "must be a normalised path");
        expect_error("HostName=two words", 3, "one word");
        expect_error("ContainerName=-flag", 3, "not starting with '-'");
        expect_error("Image=a%kb", 3, "'%k', which is not a systemd specifier");
        expect_error("Exec=echo \\x25k", 3, "'%k', which is not a systemd specifier");
        expect_error("Image=100%", 3, "lone '%'");
        expect_error("Group=g", 3, "needs User=");
        expect_error("Network=net.network", 3, "there is no definition net.network in the search path");
        expect_error("Backend=nspawn\nPull=always", 4, "Pull= is not supported with Backend=nspawn");
        expect_error("Backend=docker\nPodmanArgs=x", 4, "PodmanArgs= is not supported with Backend=docker");
}
END_TEST

START_TEST(test_missing_image_and_section) {
        Collected c = {};
        OciDefinition *d;
        ck_assert_int_eq(parse_text("t", "\n[Container]\nExec=x\n", &d, &c), 0);
        OciDiagSink sink = { .fn = collect_diag, .userdata = &c };
        OciCheckContext v = { .sink = &sink };
        ck_assert_int_eq(oci_check(d, &v), -EINVAL);
        ck_assert_uint_eq(c.first_err_line, 2);
        ck_assert(strstr(c.text, "no Image="));
        oci_definition_free(d);
        memset(&c, 0, sizeof(c));
        ck_assert_int_eq(parse_text("t", "[Unit]\nDescription=x\n", &d, &c), 0);
        ck_assert_int_eq(oci_check(d, &v), -EINVAL);
        ck_assert(strstr(c.text, "no [Container] section"));
        oci_definition_free(d);
}
END_TEST

static OciSummary peer = { .type = OCI_UNIT_CONTAINER, .name = "db", .path = "/defs/db.container",
                           .unit_name = "database.service" };
static OciSummary *const known_peer[] = { &peer };

START_TEST(test_depends_on) {
        Collected c = {};
        OciDefinition *d;
        ck_assert_int_eq(parse_text("t", "[Container]\nImage=x\nDependsOn=db db.container\n", &d, &c), 0);
        OciDiagSink sink = { .fn = collect_diag, .userdata = &c };
        OciCheckContext v = { .sink = &sink, .known = known_peer, .n_known = 1 };
        ck_assert_int_eq(oci_check(d, &v), 0);
        ck_assert_uint_eq(strv_length(d->after), 1);
        ck_assert_str_eq(d->after[0], "database.service");
        oci_definition_free(d);
        ck_assert_int_eq(parse_text("t", "[Container]\nImage=x\n\nDependsOn=web\n", &d, &c), 0);
        ck_assert_int_eq(oci_check(d, &v), -EINVAL);
        ck_assert_uint_eq(c.first_err_line, 4);
        ck_assert(strstr(c.text, "no definition web.container"));
        oci_definition_free(d);
}
END_TEST

START_TEST(test_unit_names) {
        Collected c = {};
        OciDefinition *d;
        OciDiagSink sink = { .fn = collect_diag, .userdata = &c };
        ck_assert_int_eq(parse_text("t", "[Container]\nImage=x\nServiceName=my-web\n", &d, &c), 0);
        ck_assert_int_eq(oci_definition_resolve_unit_name(d, &sink), 0);
        ck_assert_str_eq(d->unit_name, "my-web.service");
        oci_definition_free(d);
        ck_assert_int_eq(parse_text("t", "[Container]\nImage=x\nServiceName=a/b\n", &d, &c), 0);
        ck_assert_int_eq(oci_definition_resolve_unit_name(d, &sink), -EINVAL);
        ck_assert_uint_eq(c.first_err_line, 3);
        oci_definition_free(d);
        ck_assert_int_eq(parse_text("a b", "[Container]\nImage=x\n", &d, &c), 0);
        ck_assert_int_eq(oci_definition_resolve_unit_name(d, &sink), -EINVAL);
        ck_assert(strstr(c.text, "cannot be a unit name"));
        oci_definition_free(d);
}
END_TEST

static Suite *make(void) {
        Suite *s = suite_create("validate");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_ports);
        tcase_add_test(tc, test_publish_address_default);
        tcase_add_test(tc, test_volumes);
        tcase_add_test(tc, test_caps_devices);
        tcase_add_test(tc, test_words_and_env);
        tcase_add_test(tc, test_scalars);
        tcase_add_test(tc, test_missing_image_and_section);
        tcase_add_test(tc, test_depends_on);
        tcase_add_test(tc, test_unit_names);
        suite_add_tcase(s, tc);
        return s;
}
RUN_SUITE(make)
