/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Values parsed into parts once: times, numbers, network modes, USER[:GROUP], image names with
 * their transports, [Kube] AutoUpdate=, addresses with a prefix, extra veths. */
#include "testvalues.h"

#define SEC 1000000ULL

/* The one item of text for row id; it must be a time of usec (the caller frees it). */
static OciItems time_ok(OciOptionId id, const char *text, uint64_t usec) {
        OciItems items = ok(id, text, 1);
        ck_assert_str_eq(items.items[0].text, text);
        ck_assert_uint_eq(items.items[0].loc.column, 3);
        ck_assert_msg(items.items[0].duration.usec == usec, "%s=%s: %llu usec, expected %llu", oci_option_key(id), text,
                      (unsigned long long) items.items[0].duration.usec, (unsigned long long) usec);
        ck_assert(!items.items[0].duration.variable && !items.items[0].duration.word);
        return items;
}

static void time1(OciOptionId id, const char *text, uint64_t usec) {
        OciItems items = time_ok(id, text, usec);
        oci_items_clear(&items);
}

static const char go_hint[] = " must be a duration as podman and docker take one: numbers with units (ns, us, ms, s, m, h), "
                              "for example 30s or 1m30s";

START_TEST(test_duration) {
        time1(OCI_OPT_HEALTH_TIMEOUT, "30s", 30 * SEC);
        time1(OCI_OPT_HEALTH_TIMEOUT, "1m30s", 90 * SEC);
        time1(OCI_OPT_HEALTH_TIMEOUT, "1.5h", 5400 * SEC);
        time1(OCI_OPT_HEALTH_TIMEOUT, "2h45m", 9900 * SEC);
        time1(OCI_OPT_HEALTH_TIMEOUT, "500ms", 500000);
        time1(OCI_OPT_HEALTH_TIMEOUT, ".5s", 500000);
        time1(OCI_OPT_HEALTH_TIMEOUT, "1500ns", 2); /* to the nearest microsecond */
        time1(OCI_OPT_HEALTH_TIMEOUT, "3us", 3);
        time1(OCI_OPT_HEALTH_TIMEOUT, "3\xc2\xb5s", 3);
        time1(OCI_OPT_HEALTH_TIMEOUT, "0", 0);
        time1(OCI_OPT_RETRY_DELAY, "+10s", 10 * SEC);
        time1(OCI_OPT_BUILD_RETRY_DELAY, "5s", 5 * SEC);
        /* what Go's time.ParseDuration refuses: no unit, systemd's units, a sign podman refuses */
        static const char *const bad[] = { "30", "1min", "5 s", "s", "1h30", "-5s", "1.5.5s", "1sec", "infinity" };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                char want[512];
                snprintf(want, sizeof(want), "HealthTimeout=%s (value '%s')", go_hint, bad[i]);
                err(OCI_OPT_HEALTH_TIMEOUT, bad[i], want);
        }
        /* HealthInterval= takes its row's word too, and says so */
        err(OCI_OPT_HEALTH_INTERVAL, "never", "HealthInterval= must be a duration as podman and docker take one: numbers with "
                                              "units (ns, us, ms, s, m, h), for example 30s or 1m30s; or disable (value 'never')");
        {
                char want[512];
                snprintf(want, sizeof(want), "HealthTimeout=%s (value 'disable')", go_hint);
                err(OCI_OPT_HEALTH_TIMEOUT, "disable", want);
        }
        OciItems items = ok(OCI_OPT_HEALTH_INTERVAL, "disable", 1);
        ck_assert_int_eq(items.items[0].duration.word, 1);
        fmt(OCI_TYPE_DURATION, &items.items[0], OCI_BACKEND_PODMAN, "disable");
        oci_items_clear(&items);
        /* a variable of the service's environment is the engine's to judge */
        items = ok(OCI_OPT_HEALTH_INTERVAL, "${EVERY}", 1);
        ck_assert(items.items[0].duration.variable);
        fmt(OCI_TYPE_DURATION, &items.items[0], OCI_BACKEND_DOCKER, "${EVERY}");
        oci_items_clear(&items);
        /* a single value: the last assignment's */
        items = time_ok(OCI_OPT_HEALTH_TIMEOUT, "1s", SEC);
        ck_assert_int_eq(parse(OCI_OPT_HEALTH_TIMEOUT, "2s", &items), 0);
        ck_assert_uint_eq(items.n, 1);
        ck_assert(items.items[0].duration.usec == 2 * SEC);
        oci_items_clear(&items);

        /* the engines that read Go's form get it as written; systemd's form is made from the time */
        items = time_ok(OCI_OPT_HEALTH_TIMEOUT, "90s", 90 * SEC);
        fmt(OCI_TYPE_DURATION, &items.items[0], OCI_BACKEND_PODMAN, "90s");
        fmt(OCI_TYPE_DURATION, &items.items[0], OCI_BACKEND_DOCKER, "90s");
        fmt(OCI_TYPE_DURATION, &items.items[0], OCI_BACKEND_NSPAWN, "1min 30s");
        oci_items_clear(&items);
}
END_TEST

static const char systemd_hint[] = "StartTimeout= must be a systemd time span: seconds, or numbers with units (ms, s, min, h, "
                                   "d...), for example 90 or 1min 30s, or infinity";

START_TEST(test_timespan) {
        time1(OCI_OPT_START_TIMEOUT, "90", 90 * SEC);
        time1(OCI_OPT_START_TIMEOUT, "1min 30s", 90 * SEC);
        time1(OCI_OPT_START_TIMEOUT, "1min30s", 90 * SEC);
        time1(OCI_OPT_START_TIMEOUT, "5min", 300 * SEC);
        time1(OCI_OPT_START_TIMEOUT, "2h", 7200 * SEC);
        time1(OCI_OPT_START_TIMEOUT, "1.5s", 1500000);
        time1(OCI_OPT_START_TIMEOUT, "500ms", 500000);
        time1(OCI_OPT_START_TIMEOUT, "1 d", 86400 * SEC);
        time1(OCI_OPT_START_TIMEOUT, "2 minutes", 120 * SEC);
        time1(OCI_OPT_START_TIMEOUT, "1m", 60 * SEC);
        time1(OCI_OPT_START_TIMEOUT, "1M", 2629800 * SEC);
        time1(OCI_OPT_START_TIMEOUT, "infinity", UINT64_MAX);
        static const char *const bad[] = { "abc", "5 apples", "-1", "1mins", "", "1x", "infinity s" };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                char want[512];
                snprintf(want, sizeof(want), "%s (value '%s')", systemd_hint, bad[i]);
                if (!*bad[i])
                        snprintf(want, sizeof(want), "%s", systemd_hint);
                err(OCI_OPT_START_TIMEOUT, bad[i], want);
        }
        /* the unit's own form for nspawn, as written; Go's from the time for the others */
        OciItems items = time_ok(OCI_OPT_START_TIMEOUT, "1min 30s", 90 * SEC);
        fmt(OCI_TYPE_TIMESPAN, &items.items[0], OCI_BACKEND_NSPAWN, "1min 30s");
        fmt(OCI_TYPE_TIMESPAN, &items.items[0], OCI_BACKEND_PODMAN, "1m30s");
        oci_items_clear(&items);
        items = time_ok(OCI_OPT_START_TIMEOUT, "infinity", UINT64_MAX);
        fmt(OCI_TYPE_TIMESPAN, &items.items[0], OCI_BACKEND_DOCKER, "2562047h");
        oci_items_clear(&items);
}
END_TEST

/* Each form written from microseconds. */
static void go_form(uint64_t usec, const char *want) {
        StrBuf b = {};
        ck_assert_int_eq(oci_duration_format_go(usec, &b), 0);
        ck_assert_str_eq(b.s, want);
        strbuf_done(&b);
}

static void systemd_form(uint64_t usec, const char *want) {
        StrBuf b = {};
        ck_assert_int_eq(oci_duration_format_systemd(usec, &b), 0);
        ck_assert_str_eq(b.s, want);
        strbuf_done(&b);
}

START_TEST(test_time_forms) {
        go_form(0, "0s");
        go_form(3723 * SEC + 500000, "1h2m3s500ms");
        go_form(90 * SEC, "1m30s");
        go_form(7, "7us");
        go_form(86400 * SEC, "24h");
        systemd_form(0, "0");
        systemd_form(3723 * SEC + 500000, "1h 2min 3s 500ms");
        systemd_form(90061 * SEC, "1d 1h 1min 1s");
        systemd_form(UINT64_MAX, "infinity");
}
END_TEST

START_TEST(test_integer_size) {
        OciItems items = ok(OCI_OPT_STOP_TIMEOUT, "-1", 1);
        ck_assert_int_eq(items.items[0].integer.value, -1);
        ck_assert_int_eq(parse(OCI_OPT_STOP_TIMEOUT, "4294967295", &items), 0);
        ck_assert_int_eq(items.items[0].integer.value, 4294967295LL);
        ck_assert_str_eq(items.items[0].text, "4294967295");
        ck_assert_int_eq(parse(OCI_OPT_STOP_TIMEOUT, "$STOP", &items), 0);
        ck_assert(items.items[0].integer.variable && items.items[0].integer.value == 0);
        oci_items_clear(&items);

        static const struct {
                const char *text;
                uint64_t bytes;
        } sizes[] = {
                { "100", 100 },
                { "7b", 7 },
                { "512m", 512ULL << 20 },
                { "128mb", 128ULL << 20 },
                { "1.5GiB", 3ULL << 29 },
                { "64 MB", 64ULL << 20 },
                { "2t", 2ULL << 40 },
                { "1k", 1024 },
                { "1P", 1ULL << 50 },
        };
        for (size_t i = 0; i < ELEMENTSOF(sizes); i++) {
                items = ok(OCI_OPT_SHM_SIZE, sizes[i].text, 1);
                ck_assert_str_eq(items.items[0].text, sizes[i].text);
                ck_assert_msg(items.items[0].size.bytes == sizes[i].bytes, "%s: %llu bytes", sizes[i].text,
                              (unsigned long long) items.items[0].size.bytes);
                ck_assert(!items.items[0].size.variable);
                oci_items_clear(&items);
        }
        items = ok(OCI_OPT_MEMORY, "${MEM}", 1);
        ck_assert(items.items[0].size.variable);
        oci_items_clear(&items);
}
END_TEST

static void network(const char *text, const char *mode, const char *options) {
        OciItems items = ok(OCI_OPT_NETWORK, text, 1);
        const OciNetwork *n = &items.items[0].network;
        ck_assert_str_eq(items.items[0].text, text);
        ck_assert_str_eq(n->mode, mode);
        if (options)
                ck_assert_str_eq(n->options, options);
        else
                ck_assert_ptr_null(n->options);
        oci_items_clear(&items);
}

START_TEST(test_network) {
        network("host", "host", NULL);
        network("bridge:br0", "bridge", "br0");
        network("zone:lab", "zone", "lab");
        network("bridge:", "bridge", "");
        network("web.network:ip=10.0.0.2,mac=aa:bb", "web.network", "ip=10.0.0.2,mac=aa:bb");
        network("container:other", "container", "other");
        /* a definition before the options is the item's reference, set by the parser */
        OciItems refs = ok(OCI_OPT_NETWORK, "backend.network:ip=10.0.0.2", 1);
        ck_assert_str_eq(refs.items[0].ref, "backend");
        ck_assert_int_eq(oci_item_ref_type(OCI_OPT_NETWORK, &refs.items[0]), OCI_UNIT_NETWORK);
        ck_assert_int_eq(parse(OCI_OPT_NETWORK, "db.container", &refs), 0);
        ck_assert_str_eq(refs.items[1].ref, "db");
        ck_assert_int_eq(oci_item_ref_type(OCI_OPT_NETWORK, &refs.items[1]), OCI_UNIT_CONTAINER);
        ck_assert_int_eq(parse(OCI_OPT_NETWORK, "my.net:x", &refs), 0);
        ck_assert_ptr_null(refs.items[2].ref);
        oci_items_clear(&refs);
        err(OCI_OPT_NETWORK, "-x", "Network= must be one word without spaces or control characters, not starting with '-' "
                                   "(value '-x')");
        /* a list: every assignment's item, each with its parts */
        OciItems items = ok(OCI_OPT_NETWORK, "a.network", 1);
        ck_assert_int_eq(parse(OCI_OPT_NETWORK, "slirp4netns:port_handler=slirp4netns", &items), 0);
        ck_assert_uint_eq(items.n, 2);
        ck_assert_str_eq(items.items[1].network.mode, "slirp4netns");
        ck_assert_str_eq(items.items[1].network.options, "port_handler=slirp4netns");
        oci_items_clear(&items);
}
END_TEST

START_TEST(test_owner) {
        OciItems items = ok(OCI_OPT_RUN_AS, "app:staff", 1);
        ck_assert_str_eq(items.items[0].owner.user, "app");
        ck_assert_str_eq(items.items[0].owner.group, "staff");
        ck_assert_str_eq(items.items[0].text, "app:staff");
        ck_assert_int_eq(parse(OCI_OPT_RUN_AS, "app", &items), 0);
        ck_assert_uint_eq(items.n, 1);
        ck_assert_str_eq(items.items[0].owner.user, "app");
        ck_assert_ptr_null(items.items[0].owner.group);
        oci_items_clear(&items);
        err(OCI_OPT_RUN_AS, ":staff", "RunAs= is USER[:GROUP]: the user is missing (value ':staff')");
        err(OCI_OPT_RUN_AS, "a b", "RunAs= must be one word without spaces or control characters, not starting with '-' "
                                   "(value 'a b')");
}
END_TEST

/* Image=text must split into these parts (NULL: none). */
static void image(const char *text, const char *registry, const char *path, const char *tag, const char *digest) {
        OciItems items = ok(OCI_OPT_IMAGE, text, 1);
        const OciImageRef *i = &items.items[0].image;
        ck_assert_str_eq(items.items[0].text, text);
        ck_assert(!i->opaque);
        const char *got[] = { i->registry, i->path, i->tag, i->digest }, *want[] = { registry, path, tag, digest };
        for (size_t k = 0; k < ELEMENTSOF(got); k++)
                ck_assert_msg(want[k] ? got[k] && streq(got[k], want[k]) : !got[k], "%s: part %zu is '%s', expected '%s'", text, k,
                              got[k] ? got[k] : "(none)", want[k] ? want[k] : "(none)");
        oci_items_clear(&items);
}

static void opaque_image(const char *text) {
        OciItems items = ok(OCI_OPT_IMAGE, text, 1);
        const OciImageRef *i = &items.items[0].image;
        ck_assert(i->opaque && !i->registry && !i->path && !i->tag && !i->digest);
        oci_items_clear(&items);
}

START_TEST(test_image) {
        image("docker.io/library/busybox:latest", "docker.io", "library/busybox", "latest", NULL);
        image("busybox", NULL, "busybox", NULL, NULL);
        image("busybox:1.36", NULL, "busybox", "1.36", NULL);
        image("team/app", NULL, "team/app", NULL, NULL);
        image("local/app", NULL, "local/app", NULL, NULL); /* not "localhost" */
        image("localhost/img", "localhost", "img", NULL, NULL);
        image("registry:5000/a/b:2", "registry:5000", "a/b", "2", NULL);
        image("quay.io/a/b@sha256:0123abcd", "quay.io", "a/b", NULL, "sha256:0123abcd");
        image("quay.io/a/b:1.0@sha256:0123abcd", "quay.io", "a/b", "1.0", "sha256:0123abcd");
        /* known at start only, nspawn's paths, and definitions: no parts */
        opaque_image("%i/app");
        opaque_image("registry.example/${APP}");
        opaque_image("/var/lib/machines/app.raw");
        opaque_image("app.image");
        opaque_image("app.build");
        err(OCI_OPT_IMAGE, "-x", "Image= must be one word without spaces or control characters, not starting with '-' "
                                 "(value '-x')");
}
END_TEST

/* Row id's text must have this transport, after which its name or location starts at byte at. */
static OciItems transport(OciOptionId id, const char *text, OciImageTransport t, unsigned at) {
        OciItems items = ok(id, text, 1);
        const OciImageRef *i = &items.items[0].image;
        ck_assert_str_eq(items.items[0].text, text);
        ck_assert_msg(i->transport == t, "%s: transport %d, expected %d", text, (int) i->transport, (int) t);
        ck_assert_uint_eq(i->name_at, at);
        return items;
}

START_TEST(test_image_transport) {
        /* docker:// is a registry's image, split as one without it */
        OciItems items = transport(OCI_OPT_IMAGE, "docker://quay.io/a/b:1.0", OCI_TRANSPORT_DOCKER, 9);
        const OciImageRef *i = &items.items[0].image;
        ck_assert(!i->opaque && streq(i->registry, "quay.io") && streq(i->path, "a/b") && streq(i->tag, "1.0") && !i->digest);
        oci_items_clear(&items);
        items = transport(OCI_OPT_IMAGE, "docker://nginx", OCI_TRANSPORT_DOCKER, 9);
        i = &items.items[0].image;
        ck_assert(!i->opaque && !i->registry && streq(i->path, "nginx") && !i->tag);
        oci_items_clear(&items);
        /* the others are locations, no names */
        static const struct {
                const char *text;
                OciImageTransport t;
                const char *name;
        } others[] = {
                { "docker-archive:/srv/app.tar", OCI_TRANSPORT_DOCKER_ARCHIVE, "docker-archive" },
                { "oci-archive:/srv/app.tar:app:1", OCI_TRANSPORT_OCI_ARCHIVE, "oci-archive" },
                { "oci:/srv/layout", OCI_TRANSPORT_OCI, "oci" },
                { "containers-storage:localhost/app", OCI_TRANSPORT_CONTAINERS_STORAGE, "containers-storage" },
                { "dir:%h/image", OCI_TRANSPORT_DIR, "dir" },
                { "docker-daemon:app:1", OCI_TRANSPORT_DOCKER_DAEMON, "docker-daemon" },
                { "ostree:app@/ostree/repo", OCI_TRANSPORT_OSTREE, "ostree" },
                { "sif:/srv/app.sif", OCI_TRANSPORT_SIF, "sif" },
                { "tarball:/srv/rootfs.tar", OCI_TRANSPORT_TARBALL, "tarball" },
        };
        for (size_t k = 0; k < ELEMENTSOF(others); k++) {
                items = transport(OCI_OPT_PULL_IMAGE, others[k].text, others[k].t, (unsigned) strlen(others[k].name) + 1);
                i = &items.items[0].image;
                ck_assert(i->opaque && !i->registry && !i->path && !i->tag && !i->digest);
                ck_assert_str_eq(oci_image_transport_to_string(i->transport), others[k].name);
                oci_items_clear(&items);
        }
        /* no transport: "docker:" without "//" is an image named docker, a registry's port is no
         * transport, nor is a name that only starts as one */
        items = transport(OCI_OPT_PULL_IMAGE, "docker:24.0", OCI_TRANSPORT_NONE, 0);
        i = &items.items[0].image;
        ck_assert(!i->opaque && streq(i->path, "docker") && streq(i->tag, "24.0"));
        oci_items_clear(&items);
        items = transport(OCI_OPT_VOLUME_IMAGE, "registry:5000/dir:2", OCI_TRANSPORT_NONE, 0);
        ck_assert_str_eq(items.items[0].image.registry, "registry:5000");
        oci_items_clear(&items);
        items = transport(OCI_OPT_VOLUME_IMAGE, "oci-tools:1", OCI_TRANSPORT_NONE, 0);
        ck_assert_str_eq(items.items[0].image.path, "oci-tools");
        oci_items_clear(&items);
        ck_assert_ptr_null(oci_image_transport_to_string(OCI_TRANSPORT_NONE));
        err(OCI_OPT_PULL_IMAGE, "oci-archive:/srv/a b.tar", "Image= must be one word without spaces or control characters, not "
                                                          "starting with '-' (value 'oci-archive:/srv/a b.tar')");
}
END_TEST

/* AutoUpdate=text must be policy for container (NULL: every container). */
static void auto_update(const char *text, const char *container, OciAutoUpdatePolicy policy) {
        OciItems items = ok(OCI_OPT_KUBE_AUTO_UPDATE, text, 1);
        const OciAutoUpdate *a = &items.items[0].auto_update;
        ck_assert_str_eq(items.items[0].text, text);
        ck_assert_msg(container ? a->container && streq(a->container, container) : !a->container, "%s: container '%s'", text,
                      a->container ? a->container : "(none)");
        ck_assert_int_eq(a->policy, policy);
        oci_items_clear(&items);
}

START_TEST(test_auto_update) {
        auto_update("registry", NULL, OCI_AUTO_UPDATE_REGISTRY);
        auto_update("local", NULL, OCI_AUTO_UPDATE_LOCAL);
        auto_update("db/local", "db", OCI_AUTO_UPDATE_LOCAL);
        auto_update("web/registry", "web", OCI_AUTO_UPDATE_REGISTRY);
        auto_update("ns/db/local", "ns/db", OCI_AUTO_UPDATE_LOCAL); /* the policy is after the last '/' */
        ck_assert_str_eq(oci_auto_update_policy_to_string(OCI_AUTO_UPDATE_REGISTRY), "registry");
        ck_assert_str_eq(oci_auto_update_policy_to_string(OCI_AUTO_UPDATE_LOCAL), "local");
        ck_assert_ptr_null(oci_auto_update_policy_to_string(_OCI_AUTO_UPDATE_MAX));
        static const char *const bad[] = { "web/sometimes", "Registry", "/local", "web/", "db/local/" };
        for (size_t k = 0; k < ELEMENTSOF(bad); k++) {
                char want[512];
                snprintf(want, sizeof(want), "AutoUpdate=%s: write registry or local, or CONTAINER/registry or CONTAINER/local for "
                                             "one container", bad[k]);
                err(OCI_OPT_KUBE_AUTO_UPDATE, bad[k], want);
        }
        err(OCI_OPT_KUBE_AUTO_UPDATE, "-local", "AutoUpdate= must be one word without spaces or control characters, not starting "
                                                "with '-' (value '-local')");
        /* read as words: an item for each */
        OciItems items = ok(OCI_OPT_KUBE_AUTO_UPDATE, "registry db/local", 2);
        ck_assert_ptr_null(items.items[0].auto_update.container);
        ck_assert_str_eq(items.items[1].auto_update.container, "db");
        ck_assert_int_eq(items.items[1].auto_update.policy, OCI_AUTO_UPDATE_LOCAL);
        oci_items_clear(&items);
}
END_TEST

/* LocalAddress=text: its family and prefix (-1: none) */
static void address_prefix(OciOptionId id, const char *text, bool v6, int prefix) {
        OciItems items = ok(id, text, 1);
        ck_assert_str_eq(items.items[0].text, text);
        ck_assert_msg(items.items[0].address.v6 == v6 && items.items[0].address.prefix == prefix, "%s: v6 %d prefix %d", text,
                      items.items[0].address.v6, items.items[0].address.prefix);
        ck_assert(!items.items[0].address.variable);
        oci_items_clear(&items);
}

START_TEST(test_address_prefix) {
        address_prefix(OCI_OPT_LOCAL_ADDRESS, "10.0.0.5", false, -1);
        address_prefix(OCI_OPT_LOCAL_ADDRESS, "10.0.0.5/24", false, 24);
        address_prefix(OCI_OPT_LOCAL_ADDRESS, "10.0.0.5/0", false, 0);
        address_prefix(OCI_OPT_LOCAL_ADDRESS, "10.0.0.5/32", false, 32);
        address_prefix(OCI_OPT_LOCAL_ADDRESS6, "fd00::5/64", true, 64);
        address_prefix(OCI_OPT_LOCAL_ADDRESS6, "fd00::5/128", true, 128);
        /* the family is the backend's rule (the key says which), not the value's */
        address_prefix(OCI_OPT_LOCAL_ADDRESS, "fd00::5", true, -1);
        static const char *const bad[] = { "10.0.0.5/", "10.0.0.5/33", "10.0.0.5/024", "10.0.0.5/2x", "fd00::5/129",
                                           "10.0.0/24", "/24", "10.0.0.5/24/8", "10.0.0.5/1000" };
        for (size_t k = 0; k < ELEMENTSOF(bad); k++) {
                char want[512];
                snprintf(want, sizeof(want), "LocalAddress= must be an IPv4 or IPv6 address with an optional prefix length, "
                                             "for example 10.0.0.5 or 10.0.0.5/24 (IPv4: /0 to /32; IPv6: /0 to /128) (value '%s')",
                         bad[k]);
                err(OCI_OPT_LOCAL_ADDRESS, bad[k], want);
        }
        OciItems items = ok(OCI_OPT_LOCAL_ADDRESS, "${ADDR}", 1);
        ck_assert(items.items[0].address.variable);
        oci_items_clear(&items);
}
END_TEST

START_TEST(test_veth) {
        OciItems items = ok(OCI_OPT_VIRTUAL_ETHERNET_EXTRA, "vx-a", 1);
        const OciVeth *v = &items.items[0].veth;
        ck_assert_str_eq(v->host, "vx-a");
        ck_assert(!v->machine && !v->bridge && !v->host_address[0] && !v->host_address[1] && !v->local_address[0] &&
                  !v->local_address[1]);
        oci_items_clear(&items);

        items = ok(OCI_OPT_VIRTUAL_ETHERNET_EXTRA, "vx-b:eth1,local-address6=fd00::2,host-address6=fd00::1,host-address=10.1.0.1,"
                                                   "local-address=10.1.0.2", 1);
        v = &items.items[0].veth;
        ck_assert_str_eq(v->host, "vx-b");
        ck_assert_str_eq(v->machine, "eth1");
        ck_assert_str_eq(v->host_address[0], "10.1.0.1");
        ck_assert_str_eq(v->host_address[1], "fd00::1");
        ck_assert_str_eq(v->local_address[0], "10.1.0.2");
        ck_assert_str_eq(v->local_address[1], "fd00::2");
        ck_assert_ptr_null(v->bridge);
        oci_items_clear(&items);

        items = ok(OCI_OPT_VIRTUAL_ETHERNET_EXTRA, "vx-fifteen-char:eth1,bridge=br0,local-address=10.1.0.2/24", 1);
        v = &items.items[0].veth;
        ck_assert_str_eq(v->bridge, "br0");
        ck_assert_str_eq(v->local_address[0], "10.1.0.2/24");
        oci_items_clear(&items);

        static const char names[] = "VirtualEthernetExtra= is HOST[:MACHINE][,bridge=BRIDGE][,host-address=A][,host-address6=A]"
                                    "[,local-address=A[/PREFIX]][,local-address6=A[/PREFIX]]: HOST and MACHINE are interface names, "
                                    "1 to 15 characters, without spaces, '/', ':', ',', '=', '%%' or '$' (value '%s')";
        static const char *const bad_names[] = { ":eth1", "vx-a:", "vx/a", "vx-a:eth1:eth2", ",bridge=br0", "..", "vx-sixteen-chars", "${X}" };
        for (size_t k = 0; k < ELEMENTSOF(bad_names); k++) {
                char want[1024];
                snprintf(want, sizeof(want), names, bad_names[k]);
                err(OCI_OPT_VIRTUAL_ETHERNET_EXTRA, bad_names[k], want);
        }
        err(OCI_OPT_VIRTUAL_ETHERNET_EXTRA, "vx-a,host-address=10.1.0.1/24",
            "VirtualEthernetExtra= has host-address=10.1.0.1/24: it takes an IPv4 address, for example 10.231.137.2 "
            "(value 'vx-a,host-address=10.1.0.1/24')");
        err(OCI_OPT_VIRTUAL_ETHERNET_EXTRA, "vx-a,bridge=",
            "VirtualEthernetExtra= names the bridge '': an interface name is 1 to 15 characters, without spaces, '/', ':', ',', '=', "
            "'%' or '$' (value 'vx-a,bridge=')");
        err(OCI_OPT_VIRTUAL_ETHERNET_EXTRA, "vx-a,",
            "VirtualEthernetExtra= is HOST[:MACHINE][,bridge=BRIDGE][,host-address=A][,host-address6=A][,local-address=A[/PREFIX]]"
            "[,local-address6=A[/PREFIX]]: '' is not one of bridge=, host-address=, host-address6=, local-address= or "
            "local-address6= (value 'vx-a,')");
        err(OCI_OPT_VIRTUAL_ETHERNET_EXTRA, "vx-a,bridge",
            "VirtualEthernetExtra= is HOST[:MACHINE][,bridge=BRIDGE][,host-address=A][,host-address6=A][,local-address=A[/PREFIX]]"
            "[,local-address6=A[/PREFIX]]: 'bridge' is not one of bridge=, host-address=, host-address6=, local-address= or "
            "local-address6= (value 'vx-a,bridge')");
}
END_TEST

START_TEST(test_volume_options) {
        OciItems items = ok(OCI_OPT_VOLUME, "/srv:/data:ro,,idmap,z", 1);
        const OciVolume *v = &items.items[0].volume;
        ck_assert(v->ro && !v->rw);
        ck_assert_str_eq(v->options, "ro,,idmap,z");
        ck_assert(v->option_list && streq(v->option_list[0], "ro") && streq(v->option_list[1], "idmap") &&
                  streq(v->option_list[2], "z") && !v->option_list[3]);
        ck_assert_int_eq(parse(OCI_OPT_VOLUME, "/srv:/logs:rw", &items), 0);
        v = &items.items[1].volume;
        ck_assert(!v->ro && v->rw);
        ck_assert_int_eq(parse(OCI_OPT_VOLUME, "/srv:/cache", &items), 0);
        v = &items.items[2].volume;
        ck_assert(!v->ro && !v->rw && !v->option_list && !v->options);
        oci_items_clear(&items);
}
END_TEST

TCase *values_parts_tcase(void) {
        TCase *tc = tcase_create("parts");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_duration);
        tcase_add_test(tc, test_timespan);
        tcase_add_test(tc, test_time_forms);
        tcase_add_test(tc, test_integer_size);
        tcase_add_test(tc, test_network);
        tcase_add_test(tc, test_owner);
        tcase_add_test(tc, test_image);
        tcase_add_test(tc, test_image_transport);
        tcase_add_test(tc, test_auto_update);
        tcase_add_test(tc, test_volume_options);
        tcase_add_test(tc, test_address_prefix);
        tcase_add_test(tc, test_veth);
        return tc;
}
