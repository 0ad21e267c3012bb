/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "testvalues.h"

START_TEST(test_confidential) {
        /* HostEnvironment= values are secrets: a message names the variable, or the word's number
         * when it has none, and shows nothing of what follows the '=' */
        static const struct {
                const char *text, *msg;
        } t[] = {
                { "TOKEN=pw%z", "TOKEN (its value not shown): a '%' that is not \"%%\": specifiers are not resolved in a secret "
                                "value (it is kept out of the unit); write the value itself, or %% for a '%'" },
                { "A=1 TOKEN=pw%h", "TOKEN (its value not shown): a '%' that is not \"%%\": specifiers are not resolved in a "
                                    "secret value (it is kept out of the unit); write the value itself, or %% for a '%'" },
                { "TOKEN=\"pw x", "TOKEN (its value not shown): unterminated double quote (\")" },
                { "TOKEN=pw\\q", "TOKEN (its value not shown): invalid escape sequence after a backslash (write '\\\\' for a "
                                   "literal backslash)" },
                { "TOKEN=pw\\", "TOKEN (its value not shown): a backslash at the end of a value escapes nothing (write '\\\\')" },
                { "TOKEN=pw\\xff", "TOKEN (its value not shown): an escape sequence makes the value invalid UTF-8" },
                { "A=1 pw", "word 2 (not shown: all of it may be a secret): not VARIABLE=VALUE (quote a value with spaces: "
                            "\"KEY=a b\")" },
                { "=pw", "word 1 (not shown: all of it may be a secret): not VARIABLE=VALUE (quote a value with spaces: "
                         "\"KEY=a b\")" },
                { "'pw x", "word 1 (not shown: all of it may be a secret): unterminated single quote (')" },
                { "'MY TOKEN=pw'", "MY TOKEN (its value not shown): the variable's name may not hold spaces or control characters" },
        };
        for (size_t i = 0; i < ELEMENTSOF(t); i++) {
                char want[1024];
                snprintf(want, sizeof(want), "HostEnvironment=: %s", t[i].msg);
                err(OCI_OPT_HOST_ENVIRONMENT, t[i].text, want);
        }
        OciItems items = ok(OCI_OPT_HOST_ENVIRONMENT, "TOKEN=100%%", 1);
        oci_items_clear(&items);
        /* the same words in Environment=, which is no secret, are read as Quadlet reads them (an
         * unterminated quote runs to the end, an unknown escape drops the line), and a message
         * shows the value */
        items = warned(OCI_OPT_ENVIRONMENT, "A=\"x", "Environment=: an unterminated double quote (\") runs to the end of the "
                       "value, as Quadlet reads it (value 'A=\"x')", 1);
        ck_assert_str_eq(items.items[0].text, "A=x");
        oci_items_clear(&items);
        items = warned(OCI_OPT_ENVIRONMENT, "A=1 B=pw\\q", "Environment= has an escape that Quadlet does not know, or one for a "
                       "NUL byte (after a backslash: a b f n r t v \\\\ \" ' s, xNN, NNN, uNNNN, UNNNNNNNN; write '\\\\' for a "
                       "backslash); the line is ignored, as Quadlet ignores it (value 'A=1 B=pw\\q')", 0);
}
END_TEST

START_TEST(test_common) {
        err(OCI_OPT_IMAGE, "a\nb", "Image= holds a line break (value 'a\\x0ab')");
        err(OCI_OPT_IMAGE, "a\x01" "b", "Image= holds control characters (value 'a\\x01b')");
        err(OCI_OPT_IMAGE, "a\x7f", "Image= holds control characters (value 'a\\x7f')");
        err(OCI_OPT_IMAGE, "x%Z", "Image= has '%Z', which is not a systemd specifier; write '%%' for a literal '%' (value 'x%Z')");
        err(OCI_OPT_IMAGE, "x%", "Image= ends in a lone '%'; write '%%' for a literal '%' (value 'x%')");
        ok1(OCI_OPT_IMAGE, "x%%y-%N", "x%%y-%N");
        ok1(OCI_OPT_SERVICE_NAME, "a%Z", "a%Z"); /* OCI_OPT_NO_SPECIFIERS */
        ok1(OCI_OPT_ENTRYPOINT, "a\tb", "a\tb");

        /* a last unescaped backslash would continue the line it is written into: every kind of
         * value but words, whose quoting refuses it, and escapes one exactly */
        err(OCI_OPT_LOG_FILE, "/var/log/web.log\\",
            "LogFile= ends in a backslash, which would join the next line of the generated unit to this one; remove it "
            "(value '/var/log/web.log\\')");
        err(OCI_OPT_START_TIMEOUT, "90\\\\\\",
            "StartTimeout= ends in a backslash, which would join the next line of the generated unit to this one; remove it "
            "(value '90\\\\\\')");
        ok1(OCI_OPT_HOST_NAME, "a\\\\", "a\\\\");
        OciItems dropped = warned(OCI_OPT_EXEC, "echo a\\", "Exec=: a backslash at the very end escapes nothing and is dropped, "
                                  "as Quadlet reads it (value 'echo a\\')", 2);
        ck_assert_str_eq(dropped.items[1].text, "a");
        oci_items_clear(&dropped);
        OciItems words = ok(OCI_OPT_EXEC, "echo a\\\\", 2);
        ck_assert_str_eq(words.items[1].text, "a\\");
        oci_items_clear(&words);

        /* the value is quoted up to 200 bytes */
        char big[301];
        memset(big, 'a', 300);
        big[300] = 0;
        char want[400];
        snprintf(want, sizeof(want), "Privileged= takes a boolean: yes or no (also true/false, on/off, 1/0) (value '%.200s...')", big);
        err(OCI_OPT_PRIVILEGED, big, want);

        /* the two shapes, used directly */
        sink.n_errors = 0;
        OciItems items = {};
        OciParse p = { .sink = &sink, .id = OCI_OPT_MEMORY, .loc = { .file = "/f", .line = 3 }, .value = "v'1", .out = &items };
        ck_assert_int_eq(oci_parse_error(&p, ": %s %d", "odd", 5), -EINVAL);
        ck_assert_int_eq(oci_parse_error_bare(&p, " is %s", "wrong"), -EINVAL);
        ck_assert_str_eq(col.text, "/f:3: Memory=: odd 5 (value 'v'1')\n/f:3: Memory= is wrong\n");
        ck_assert_uint_eq(sink.n_errors, 2);
}
END_TEST

START_TEST(test_bool_choice_string) {
        OciItems items = ok(OCI_OPT_PRIVILEGED, "Yes", 1);
        ck_assert_str_eq(items.items[0].text, "Yes");
        ck_assert_int_eq(items.items[0].number, 1);
        /* a single-valued row: the later assignment replaces the earlier */
        ck_assert_int_eq(parse(OCI_OPT_PRIVILEGED, "off", &items), 0);
        ck_assert_uint_eq(items.n, 1);
        ck_assert_str_eq(items.items[0].text, "off");
        ck_assert_int_eq(items.items[0].number, 0);
        oci_items_clear(&items);
        ck_assert_ptr_null(items.items);
        err(OCI_OPT_PRIVILEGED, "maybe", "Privileged= takes a boolean: yes or no (also true/false, on/off, 1/0) (value 'maybe')");

        items = ok(OCI_OPT_PULL, "newer", 1);
        ck_assert_int_eq(items.items[0].number, 3);
        ck_assert_int_eq(parse(OCI_OPT_PULL, "always", &items), 0);
        ck_assert_uint_eq(items.n, 1);
        ck_assert_int_eq(items.items[0].number, 0);
        oci_items_clear(&items);
        err(OCI_OPT_PULL, "Never", "Pull= takes one of: always, missing, never, newer (value 'Never')");

        ok1(OCI_OPT_ENTRYPOINT, "/bin/sh -c 'x y'", "/bin/sh -c 'x y'");
}
END_TEST

START_TEST(test_name) {
        ok1(OCI_OPT_HOST_NAME, "web.example", "web.example");
        static const char name_msg[] = " must be one word without spaces or control characters, not starting with '-'";
        char want[512];
        snprintf(want, sizeof(want), "HostName=%s (value '-x')", name_msg);
        err(OCI_OPT_HOST_NAME, "-x", want);
        snprintf(want, sizeof(want), "HostName=%s (value 'a b')", name_msg);
        err(OCI_OPT_HOST_NAME, "a b", want);
        ok1(OCI_OPT_CONTAINER_NAME, "%N-web", "%N-web");
        static const char engine[] = " is not a name the engine takes: write 1 to 253 letters, digits, '_', '.' and '-', "
                                     "starting with a letter or digit, without '/' or '..'";
        snprintf(want, sizeof(want), "ContainerName=%s (value 'a/b')", engine);
        err(OCI_OPT_CONTAINER_NAME, "a/b", want);
        /* a row the generator uses itself: no specifier counts as a character */
        snprintf(want, sizeof(want), "NetworkName=%s (value '%%N')", engine);
        err(OCI_OPT_NETWORK_NAME, "%N", want);
}
END_TEST

START_TEST(test_path) {
        ok1(OCI_OPT_WORKING_DIR, "/srv/app", "/srv/app");
        ok1(OCI_OPT_WORKING_DIR, "%h/app", "%h/app");
        err(OCI_OPT_WORKING_DIR, "/srv/../etc", "WorkingDir= must be a normalised absolute path (no '.', '..' or '//') (value '/srv/../etc')");
        err(OCI_OPT_WORKING_DIR, "srv", "WorkingDir= must be an absolute path (value 'srv')");
        /* OCI_OPT_RELATIVE: against the definition's directory, never above "/" */
        ok1(OCI_OPT_ENVIRONMENT_FILE, "env", "/defs/env");
        ok1(OCI_OPT_ENVIRONMENT_FILE, "./a/env", "/defs/a/env");
        ok1(OCI_OPT_ENVIRONMENT_FILE, "../x/env", "/x/env");
        ok1(OCI_OPT_ENVIRONMENT_FILE, "../../../env", "/env");
        /* a trailing '/' is dropped, as Quadlet's filepath.Join() drops it; an absolute path keeps it */
        ok1(OCI_OPT_ENVIRONMENT_FILE, "./conf/", "/defs/conf");
        ok1(OCI_OPT_WORKING_DIR, "/srv/app/", "/srv/app/");
        static const char rel[] = "EnvironmentFile= must be a normalised path (no '.', '..' or '//' after a leading ./ or ../)";
        char want[512];
        snprintf(want, sizeof(want), "%s (value './')", rel);
        err(OCI_OPT_ENVIRONMENT_FILE, "./", want);
        snprintf(want, sizeof(want), "%s (value 'a/../b')", rel);
        err(OCI_OPT_ENVIRONMENT_FILE, "a/../b", want);
        /* the directory goes into specifier form */
        oci_definition_free(def);
        def = oci_definition_new("/de%fs/web.container", OCI_UNIT_CONTAINER);
        ok1(OCI_OPT_ENVIRONMENT_FILE, "./env", "/de%%fs/env");
}
END_TEST

START_TEST(test_numbers) {
        ok1(OCI_OPT_STOP_TIMEOUT, "-1", "-1");
        ok1(OCI_OPT_STOP_TIMEOUT, "4294967295", "4294967295");
        err(OCI_OPT_STOP_TIMEOUT, "4x", "StopTimeout= must be a whole number (value '4x')");
        err(OCI_OPT_STOP_TIMEOUT, "12345678901", "StopTimeout= must be a whole number (value '12345678901')");
        err(OCI_OPT_STOP_TIMEOUT, "-", "StopTimeout= must be a whole number (value '-')");
        /* sizes as podman reads them */
        static const char *const sizes[] = { "512m", "1G", "128mb", "1.5GiB", "64 MB", "100", "2t", "7b" };
        for (size_t i = 0; i < ELEMENTSOF(sizes); i++)
                ok1(OCI_OPT_SHM_SIZE, sizes[i], sizes[i]);
        /* a variable of the service's environment is podman's to judge, at start */
        ok1(OCI_OPT_MEMORY, "${MEM}", "${MEM}");
        ok1(OCI_OPT_STOP_TIMEOUT, "$STOP_SECONDS", "$STOP_SECONDS");
        static const char *const bad_sizes[] = { "m", "1x", "1kk", "1.g", "12345678901234567890", "1  m", "$$5" };
        for (size_t i = 0; i < ELEMENTSOF(bad_sizes); i++) {
                char want[256];
                snprintf(want, sizeof(want), "Memory= must be a size: a number with an optional unit (b, k, m, g, t or p; "
                         "kb, mib...), for example 512m (value '%s')", bad_sizes[i]);
                err(OCI_OPT_MEMORY, bad_sizes[i], want);
        }
        ok1(OCI_OPT_IP, "10.0.0.2", "10.0.0.2");
        ok1(OCI_OPT_IP6, "fd00::10", "fd00::10");
        err(OCI_OPT_IP, "10.0.0", "IP= must be an IPv4 or IPv6 address, for example 127.0.0.1 or ::1 (value '10.0.0')");

        OciItems items = ok(OCI_OPT_EXPOSE_HOST_PORT, "9000-9010/udp", 1);
        const OciPort *pr = &items.items[0].port;
        ck_assert_str_eq(items.items[0].text, "9000-9010/udp");
        ck_assert(pr->host_lo == 9000 && pr->host_hi == 9010 && pr->proto == OCI_PROTO_UDP && pr->proto_given);
        ck_assert_int_eq(parse(OCI_OPT_EXPOSE_HOST_PORT, "8080", &items), 0);
        pr = &items.items[1].port;
        ck_assert(pr->host_lo == 8080 && pr->host_hi == 8080 && pr->proto == OCI_PROTO_TCP && !pr->proto_given);
        oci_items_clear(&items);
        static const char *const bad_ranges[] = { "80/icmp", "90-80", "0", "65536", "80-", "a" };
        for (size_t i = 0; i < ELEMENTSOF(bad_ranges); i++) {
                char want[256];
                snprintf(want, sizeof(want), "ExposeHostPort= is not PORT[-PORT][/tcp|udp|sctp], for example 8080 or "
                         "9000-9010/udp (value '%s')", bad_ranges[i]);
                err(OCI_OPT_EXPOSE_HOST_PORT, bad_ranges[i], want);
        }
}
END_TEST

START_TEST(test_words) {
        OciItems items = ok(OCI_OPT_EXEC, "/bin/echo \"a b\" 'c'\\x41 %h", 4);
        ck_assert_str_eq(items.items[1].text, "a b");
        ck_assert_str_eq(items.items[2].text, "cA");
        ck_assert_str_eq(items.items[3].text, "%h");
        /* Exec= is not a list: the last assignment's words */
        ck_assert_int_eq(parse(OCI_OPT_EXEC, "x", &items), 0);
        ck_assert_uint_eq(items.n, 1);
        oci_items_clear(&items);
        items = ok(OCI_OPT_RUN_ARGS, "--a --b", 2);
        ck_assert_int_eq(parse(OCI_OPT_RUN_ARGS, "--c", &items), 0);
        ck_assert_uint_eq(items.n, 3);
        ck_assert_str_eq(items.items[2].text, "--c");
        oci_items_clear(&items);
        ok(OCI_OPT_EXEC, "  ", 0);
        /* words are checked once decoded: a control character is no error of theirs */
        ok1(OCI_OPT_EXEC, "a\x01" "b", "a\x01" "b");
        ok1(OCI_OPT_ENVIRONMENT, "A=\x01", "A=\x01");
        /* as Quadlet decodes them: \xNN is the code point U+00NN, an unknown escape drops the line */
        ok1(OCI_OPT_EXEC, "\\xe9\\351\\u00e9", "\xc3\xa9\xc3\xa9\xc3\xa9");
        warned(OCI_OPT_EXEC, "a \\x00", "Exec= has an escape that Quadlet does not know, or one for a NUL byte (after a "
               "backslash: a b f n r t v \\\\ \" ' s, xNN, NNN, uNNNN, UNNNNNNNN; write '\\\\' for a backslash); the line is "
               "ignored, as Quadlet ignores it (value 'a \\x00')", 0);
        /* LookupAllStrv keeps backslashes and takes an unterminated quote for a mistake */
        ok1(OCI_OPT_LOG_OPT, "tag=\"{{.Name}}\"", "tag={{.Name}}");
        ok1(OCI_OPT_LOG_OPT, "a\\tb", "a\\tb");
        warned(OCI_OPT_LOG_OPT, "tag=\"x", "LogOpt= has an unterminated double quote (\"); the line is ignored, as Quadlet "
               "ignores it (value 'tag=\"x')", 0);
        err(OCI_OPT_EXEC, "a \\x25Z",
            "Exec= has '%Z', which is not a systemd specifier; write '%%' for a literal '%' (value 'a \\x25Z')");
}
END_TEST

START_TEST(test_keyvalue) {
        OciItems items = ok(OCI_OPT_ENVIRONMENT, "B=2 A=1 \"C=x y\"", 3);
        ck_assert_uint_eq(items.items[0].key_len, 1);
        ck_assert_int_eq(parse(OCI_OPT_ENVIRONMENT, "A=3 LONG= A=4 AB=5 A=6", &items), 0);
        /* every word is an item until finish(), which keeps the last of each key */
        ck_assert_uint_eq(items.n, 8);
        ck_assert_uint_eq(items.items[4].key_len, 4);
        ck_assert_uint_eq(items.items[6].key_len, 2);
        ck_assert_int_eq(oci_value_types[OCI_TYPE_KEYVALUE]->finish(&items), 0);
        static const char *const sorted[] = { "A=6", "AB=5", "B=2", "C=x y", "LONG=" };
        ck_assert_uint_eq(items.n, ELEMENTSOF(sorted));
        for (size_t i = 0; i < ELEMENTSOF(sorted); i++)
                ck_assert_str_eq(items.items[i].text, sorted[i]);
        ck_assert_uint_eq(items.items[0].key_len, 1);
        ck_assert_uint_eq(items.items[1].key_len, 2);
        /* an assignment with an error adds nothing, and keeps what was there */
        ck_assert_int_eq(parse(OCI_OPT_ENVIRONMENT, "A=9 =bad", &items), -EINVAL);
        ck_assert_uint_eq(items.n, 5);
        ck_assert_str_eq(items.items[0].text, "A=6");
        oci_items_clear(&items);

        /* a key given thousands of times holds few items on the way (repeats are dropped at each
         * power of two from 1,024 on), and the last of them at the end */
        StrBuf many = {};
        for (unsigned i = 0; i < 5000; i++)
                strbuf_printf(&many, "%sK%u=%u", i ? " " : "", i % 3, i);
        ck_assert_int_eq(parse(OCI_OPT_ENVIRONMENT, many.s, &items), 0);
        ck_assert_uint_lt(items.n, 1024);
        ck_assert_int_eq(oci_value_types[OCI_TYPE_KEYVALUE]->finish(&items), 0);
        static const char *const lasts[] = { "K0=4998", "K1=4999", "K2=4997" };
        ck_assert_uint_eq(items.n, ELEMENTSOF(lasts));
        for (size_t i = 0; i < ELEMENTSOF(lasts); i++)
                ck_assert_str_eq(items.items[i].text, lasts[i]);
        oci_items_clear(&items);
        strbuf_done(&many);
        /* a KEY alone: the engine takes its value from its own environment (Quadlet passes it so) */
        col = (Collected) {};
        OciItems bare = ok(OCI_OPT_ENVIRONMENT, "A=1 FROM_HOST", 2);
        ck_assert_uint_eq(bare.items[1].key_len, strlen("FROM_HOST"));
        oci_items_clear(&bare);
        err(OCI_OPT_SYSCTL, "net.ipv4.ip_forward", "Sysctl=: 'net.ipv4.ip_forward' is not KEY=VALUE (quote a value with spaces: "
            "\"KEY=a b\")");
        err(OCI_OPT_LABEL, "=x", "Label=: '=x' is not KEY=VALUE (quote a value with spaces: \"KEY=a b\")");
        err(OCI_OPT_LABEL, "\"a b=x\"", "Label=: the key of 'a b=x' may not hold spaces or control characters");
}
END_TEST

START_TEST(test_units_refs) {
        /* every name is an item until finish(), which keeps the first of each */
        OciItems items = ok(OCI_OPT_WANTED_BY, "multi-user.target\tdefault.target multi-user.target", 3);
        ck_assert_int_eq(parse(OCI_OPT_WANTED_BY, "default.target b.target", &items), 0);
        ck_assert_uint_eq(items.n, 5);
        ck_assert_int_eq(oci_value_types[OCI_TYPE_UNITS]->finish(&items), 0);
        static const char *const units[] = { "multi-user.target", "default.target", "b.target" };
        ck_assert_uint_eq(items.n, ELEMENTSOF(units));
        for (size_t i = 0; i < ELEMENTSOF(units); i++) {
                ck_assert_str_eq(items.items[i].text, units[i]);
                ck_assert_ptr_null(items.items[i].ref);
        }
        oci_items_clear(&items);
        err(OCI_OPT_WANTED_BY, "multi-user.target foo", "WantedBy=: 'foo' is not a unit name (for example multi-user.target)");

        items = ok(OCI_OPT_DEPENDS_ON, "db cache.container db", 3);
        ck_assert_int_eq(oci_value_types[OCI_TYPE_REFS]->finish(&items), 0);
        ck_assert_uint_eq(items.n, 2);
        ck_assert_str_eq(items.items[0].ref, "db");
        ck_assert_str_eq(items.items[1].text, "cache.container");
        ck_assert_str_eq(items.items[1].ref, "cache");
        oci_items_clear(&items);

        /* the same for names: the first of each, in the order first given */
        StrBuf many = {};
        for (unsigned i = 0; i < 3000; i++)
                strbuf_printf(&many, "%s%s", i ? " " : "", i % 2 ? "b" : "a.container");
        ck_assert_int_eq(parse(OCI_OPT_DEPENDS_ON, many.s, &items), 0);
        ck_assert_uint_lt(items.n, 1024);
        ck_assert_int_eq(oci_value_types[OCI_TYPE_REFS]->finish(&items), 0);
        ck_assert_uint_eq(items.n, 2);
        ck_assert_str_eq(items.items[0].text, "a.container");
        ck_assert_str_eq(items.items[0].ref, "a");
        ck_assert_str_eq(items.items[1].ref, "b");
        oci_items_clear(&items);
        strbuf_done(&many);
        err(OCI_OPT_DEPENDS_ON, "db ../x", "DependsOn=: '../x' is not the name of a definition (NAME or NAME.container)");
}
END_TEST

START_TEST(test_caps) {
        OciItems items = ok(OCI_OPT_ADD_CAPABILITY, "NET_ADMIN Cap_Sys_Time cap_all", 3);
        static const char *const texts[] = { "cap_net_admin", "cap_sys_time", "all" };
        for (size_t i = 0; i < 3; i++)
                ck_assert_str_eq(items.items[i].text, texts[i]);
        ck_assert_str_eq(oci_capability_names[items.items[0].cap], "net_admin");
        ck_assert_str_eq(oci_capability_names[items.items[1].cap], "sys_time");
        ck_assert_int_eq(items.items[2].cap, -1);
        fmt(OCI_TYPE_CAPS, &items.items[0], OCI_BACKEND_PODMAN, "cap_net_admin");
        fmt(OCI_TYPE_CAPS, &items.items[0], OCI_BACKEND_NSPAWN, "CAP_NET_ADMIN");
        fmt(OCI_TYPE_CAPS, &items.items[2], OCI_BACKEND_NSPAWN, "all");
        oci_items_clear(&items);
        ck_assert_uint_eq(oci_capability_count, 41);
        ck_assert_str_eq(oci_capability_names[oci_capability_count - 1], "checkpoint_restore");
        err(OCI_OPT_DROP_CAPABILITY, "chown Bogus",
            "DropCapability=: 'bogus' is not a capability (for example NET_ADMIN, CAP_SYS_TIME or all)");
}
END_TEST

START_TEST(test_tmpfs) {
        OciItems items = ok(OCI_OPT_TMPFS, "/run/app", 1);
        ck_assert_str_eq(items.items[0].tmpfs.dest, "/run/app");
        ck_assert_ptr_null(items.items[0].tmpfs.options);
        ck_assert_int_eq(parse(OCI_OPT_TMPFS, "%t/x:size=64m,mode=1777", &items), 0);
        ck_assert_str_eq(items.items[1].text, "%t/x:size=64m,mode=1777");
        ck_assert_str_eq(items.items[1].tmpfs.dest, "%t/x");
        ck_assert_str_eq(items.items[1].tmpfs.options, "size=64m,mode=1777");
        oci_items_clear(&items);
        static const char *const bad[] = { "run", "/run/../x", "/run:", ":size=1" };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                char want[256];
                snprintf(want, sizeof(want), "Tmpfs= is not an absolute PATH[:OPTIONS] (value '%s')", bad[i]);
                err(OCI_OPT_TMPFS, bad[i], want);
        }
}
END_TEST

START_TEST(test_items) {
        for (size_t t = 0; t < _OCI_TYPE_MAX; t++) {
                ck_assert_ptr_nonnull(oci_value_types[t]);
                ck_assert_ptr_nonnull(oci_value_types[t]->parse);
                ck_assert_str_eq(oci_value_types[t]->name, oci_type_to_string((OciType) t));
        }
        OciItems items = {};
        OciLoc loc = { .file = "/f", .line = 9, .column = 4 };
        for (unsigned i = 0; i < 300; i++) {
                char n[16];
                snprintf(n, sizeof(n), "%u", i);
                OciItem *it = oci_items_push(&def->text, &items, &loc, arena_strdup(&def->text, n));
                ck_assert_ptr_nonnull(it);
                ck_assert_ptr_eq(it, &items.items[i]);
                ck_assert_ptr_null(it->ref);
        }
        ck_assert_uint_eq(items.n, 300);
        for (unsigned i = 0; i < 300; i++) {
                char n[16];
                snprintf(n, sizeof(n), "%u", i);
                ck_assert_str_eq(items.items[i].text, n);
                ck_assert_uint_eq(items.items[i].loc.column, 4);
        }
        ck_assert_ptr_null(oci_items_push(&def->text, &items, &loc, NULL));
        ck_assert_uint_eq(items.n, 300);
        fmt(OCI_TYPE_STRING, &items.items[299], OCI_BACKEND_DOCKER, "299");
        items.items[0].ref = arena_strdup(&def->text, "r");
        items.items[0].resolved = arena_strdup(&def->text, "s");
        oci_items_clear(&items);
        ck_assert_uint_eq(items.n, 0);
        ck_assert_ptr_null(items.items);
        ck_assert_str_eq(oci_proto_to_string(OCI_PROTO_SCTP), "sctp");
}
END_TEST

static int fake_user(const char *name, unsigned *ret_uid, char **ret_home) {
        *ret_home = NULL;
        if (!streq(name, "alice"))
                return -ENOENT;
        *ret_uid = 1001;
        return 0;
}

static int fake_group(const char *name, unsigned *ret_gid) {
        if (!streq(name, "staff"))
                return -ENOENT;
        *ret_gid = 50;
        return 0;
}

/* A volume's User= and Group=: a number as written, a name the host's accounts resolve, as the
 * engine takes numbers only. */
START_TEST(test_owner) {
        static const OciHost fake = { .user = fake_user, .group = fake_group };
        host_facts = &fake;
        ok1(OCI_OPT_VOLUME_USER, "alice", "1001");
        ok1(OCI_OPT_VOLUME_GROUP, "staff", "50");
        ok1(OCI_OPT_VOLUME_USER, "0", "0");
        ok1(OCI_OPT_VOLUME_GROUP, "4294967294", "4294967294");
        err(OCI_OPT_VOLUME_USER, "bob", "User=: there is no user 'bob' on this system; write an existing user's name, or a number (value 'bob')");
        err(OCI_OPT_VOLUME_GROUP, "alice", "Group=: there is no group 'alice' on this system; write an existing group's name, or a number "
                                           "(value 'alice')");
        err(OCI_OPT_VOLUME_USER, "0100", "User= is a user ID with a leading 0; write it without (a decimal number) (value '0100')");
        err(OCI_OPT_VOLUME_GROUP, "4294967295", "Group= is not a group ID: the largest is 4294967294 (value '4294967295')");
        err(OCI_OPT_VOLUME_USER, "99999999999", "User= is not a user ID: the largest is 4294967294 (value '99999999999')");
        err(OCI_OPT_VOLUME_USER, "-1", "User= must be one word without spaces or control characters, not starting with '-' (value '-1')");
        /* a specifier would be resolved by systemd only after the lookup */
        err(OCI_OPT_VOLUME_USER, "%U", "User=: there is no user '%U' on this system; write an existing user's name, or a number (value '%U')");
        /* without a host, the machine's */
        host_facts = NULL;
        ok1(OCI_OPT_VOLUME_USER, "root", "0");
        ok1(OCI_OPT_VOLUME_GROUP, "root", "0");
}
END_TEST

/* A KEY alone where the row takes one (Label= of a network, volume or pod; Options= of a
 * network): a key without a value. */
START_TEST(test_bare_keys) {
        OciItems items = ok(OCI_OPT_OBJECT_LABEL, "podman tier=edge", 2);
        ck_assert_str_eq(items.items[0].text, "podman");
        ck_assert_uint_eq(items.items[0].key_len, 6);
        oci_items_clear(&items);
        ok1(OCI_OPT_NETWORK_OPTIONS, "isolate", "isolate");
        err(OCI_OPT_OBJECT_LABEL, "=x", "Label=: '=x' is not KEY=VALUE (quote a value with spaces: \"KEY=a b\")");
        ok1(OCI_OPT_LABEL, "podman", "podman"); /* as Quadlet reads [Container] Label= too */
}
END_TEST

static Suite *make(void) {
        Suite *s = suite_create("values");
        TCase *tc = tcase_create("values");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_common);
        tcase_add_test(tc, test_confidential);
        tcase_add_test(tc, test_bool_choice_string);
        tcase_add_test(tc, test_name);
        tcase_add_test(tc, test_path);
        tcase_add_test(tc, test_numbers);
        tcase_add_test(tc, test_words);
        tcase_add_test(tc, test_keyvalue);
        tcase_add_test(tc, test_owner);
        tcase_add_test(tc, test_bare_keys);
        tcase_add_test(tc, test_units_refs);
        tcase_add_test(tc, test_caps);
        tcase_add_test(tc, test_tmpfs);
        tcase_add_test(tc, test_items);
        suite_add_tcase(s, tc);
        suite_add_tcase(s, values_compound_tcase());
        suite_add_tcase(s, values_parts_tcase());
        return s;
}

RUN_SUITE(make)
