/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Typed values with a struct of their own: ports, volumes, devices, mounts. */
#include "testvalues.h"

static const char port_hint[] = " is not [IP:][HOSTPORT:]CONTAINERPORT[/tcp|udp|sctp]; "
                                "for example 8080:80, 127.0.0.1:8080:80 or [::1]:8080:80/udp";

/* The one item of PublishPort=text, its text and its fields; freed by the caller. */
static OciItems port(const char *text, const char *want, const char *address, unsigned host_lo, unsigned host_hi,
                     unsigned ctr_lo, unsigned ctr_hi) {
        OciItems items = ok(OCI_OPT_PUBLISH_PORT, text, 1);
        const OciItem *it = &items.items[0];
        const OciPort *p = &it->port;
        ck_assert_str_eq(it->text, want);
        ck_assert_str_eq(p->address, address);
        ck_assert_msg(p->host_lo == host_lo && p->host_hi == host_hi && p->ctr_lo == ctr_lo && p->ctr_hi == ctr_hi,
                      "%s: host %u-%u container %u-%u", text, p->host_lo, p->host_hi, p->ctr_lo, p->ctr_hi);
        /* podman and docker take the text; it is what oci_port_format() makes */
        fmt(OCI_TYPE_PORT, it, OCI_BACKEND_PODMAN, want);
        fmt(OCI_TYPE_PORT, it, OCI_BACKEND_DOCKER, want);
        return items;
}

static void port1(const char *text, const char *want, const char *address, unsigned host, unsigned ctr) {
        OciItems items = port(text, want, address, host, host, ctr, ctr);
        oci_items_clear(&items);
}

START_TEST(test_port) {
        OciItems items = port("127.0.0.1:8080:80/udp", "127.0.0.1:8080:80/udp", "127.0.0.1", 8080, 8080, 80, 80);
        const OciPort *p = &items.items[0].port;
        ck_assert(!p->v6 && !p->address_default && p->proto == OCI_PROTO_UDP && p->proto_given);
        fmt(OCI_TYPE_PORT, &items.items[0], OCI_BACKEND_NSPAWN, "udp:8080:80");
        oci_items_clear(&items);

        items = port("8000-8010:9000-9010/sctp", "8000-8010:9000-9010/sctp", "", 8000, 8010, 9000, 9010);
        ck_assert_int_eq(items.items[0].port.proto, OCI_PROTO_SCTP);
        oci_items_clear(&items);

        items = port("[::1]:8080:80", "[::1]:8080:80", "::1", 8080, 8080, 80, 80);
        ck_assert(items.items[0].port.v6 && !items.items[0].port.proto_given);
        oci_items_clear(&items);

        items = port("80", "80", "", 0, 0, 80, 80);
        ck_assert_int_eq(items.items[0].port.proto, OCI_PROTO_TCP);
        fmt(OCI_TYPE_PORT, &items.items[0], OCI_BACKEND_NSPAWN, "tcp:80");
        oci_items_clear(&items);

        port1("8080:80", "8080:80", "", 8080, 80);
        port1("127.0.0.1::80", "127.0.0.1::80", "127.0.0.1", 0, 80);
        port1("[::1]:80", "[::1]::80", "::1", 0, 80); /* podman needs the empty host port */
        port1("[fd00::1]::80/tcp", "[fd00::1]::80/tcp", "fd00::1", 0, 80);
        port1(":80", "80", "", 0, 80);
        items = port("9000-9010", "9000-9010", "", 0, 0, 9000, 9010);
        oci_items_clear(&items);

        static const char *const bad[] = { "0", "65536", "80/icmp", "a:80", "1.2.3:80:80", "[::1:80", "1:2:3:4", "90-80",
                                           "::1:80:80", "[127.0.0.1]:80:80", "8080-8080:80-80", "[]:80", "80/" };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                char want[512];
                snprintf(want, sizeof(want), "PublishPort=%s (value '%s')", port_hint, bad[i]);
                err(OCI_OPT_PUBLISH_PORT, bad[i], want);
        }
        static const char *const lengths[] = { "8000-8002:9000-9010", "8080:9000-9010" };
        for (size_t i = 0; i < ELEMENTSOF(lengths); i++) {
                char want[512];
                snprintf(want, sizeof(want), "PublishPort=: the host and container port ranges must be of the same length, or a "
                         "range of host ports for one container port (8080-8090:80, with Backend=docker) (value '%s')", lengths[i]);
                err(OCI_OPT_PUBLISH_PORT, lengths[i], want);
        }
        /* a range of host ports for one container port: docker takes a free one (podman's check refuses it) */
        OciItems range = port("127.0.0.1:1234-1236:1234/tcp", "127.0.0.1:1234-1236:1234/tcp", "127.0.0.1", 1234, 1236, 1234, 1234);
        fmt(OCI_TYPE_PORT, &range.items[0], OCI_BACKEND_DOCKER, "127.0.0.1:1234-1236:1234/tcp");
        oci_items_clear(&range);
        /* an empty address is every address, written without it: podman refuses it empty */
        port1("::80", "80", "", 0, 80);
        port1(":8080:80", "8080:80", "", 8080, 80);
        /* a mapping with variables is passed as written; its ports are not known here */
        OciItems var = ok(OCI_OPT_PUBLISH_PORT, "${PORT}:${PORT}/udp", 1);
        ck_assert_str_eq(var.items[0].text, "${PORT}:${PORT}");
        ck_assert(var.items[0].port.variable && var.items[0].port.host_lo == 0 && var.items[0].port.proto == OCI_PROTO_UDP);
        fmt(OCI_TYPE_PORT, &var.items[0], OCI_BACKEND_PODMAN, "${PORT}:${PORT}/udp");
        oci_items_clear(&var);
        ok1(OCI_OPT_PUBLISH_PORT, "127.0.0.1:${A:-80}:80", "127.0.0.1:${A:-80}:80");
        ok1(OCI_OPT_PUBLISH_PORT, ":$PORT:80", "$PORT:80");

        OciPort any = { .address = "fd00::1", .v6 = true, .host_lo = 1, .host_hi = 2, .ctr_lo = 3, .ctr_hi = 4,
                        .proto = OCI_PROTO_UDP, .proto_given = true };
        StrBuf b = {};
        ck_assert_int_eq(oci_port_format(&any, &b), 0);
        ck_assert_str_eq(b.s, "[fd00::1]:1-2:3-4/udp");
        strbuf_done(&b);
}
END_TEST

START_TEST(test_port_default_address) {
        dflt = defaults_from("[Defaults]\nPublishAddress=127.0.0.1\n");
        OciItems items = port("8080:80", "127.0.0.1:8080:80", "127.0.0.1", 8080, 8080, 80, 80);
        ck_assert(items.items[0].port.address_default);
        oci_items_clear(&items);
        items = port("10.0.0.1:1:2", "10.0.0.1:1:2", "10.0.0.1", 1, 1, 2, 2);
        ck_assert(!items.items[0].port.address_default);
        oci_items_clear(&items);
        /* an empty address field is the default's */
        port1("::80", "127.0.0.1::80", "127.0.0.1", 0, 80);
        port1(":8080:80", "127.0.0.1:8080:80", "127.0.0.1", 8080, 80);
        /* with variables too */
        ok1(OCI_OPT_PUBLISH_PORT, "${PORT}:80", "127.0.0.1:${PORT}:80");
        ok1(OCI_OPT_PUBLISH_PORT, "${PORT}", "127.0.0.1::${PORT}");
        ok1(OCI_OPT_PUBLISH_PORT, ":${PORT}:80", "127.0.0.1:${PORT}:80");
        port1("53/udp", "127.0.0.1::53/udp", "127.0.0.1", 0, 53);

        dflt = oci_definition_free(dflt);
        dflt = defaults_from("[Defaults]\nPublishAddress=::1\n");
        items = port("8080:80", "[::1]:8080:80", "::1", 8080, 8080, 80, 80);
        ck_assert(items.items[0].port.v6 && items.items[0].port.address_default);
        oci_items_clear(&items);
}
END_TEST

/* The one item of Volume=text: its text, kind, source, dest and options; freed by the caller. */
static OciItems volume(const char *text, const char *want, OciVolumeKind kind, const char *source, const char *dest,
                       const char *options) {
        OciItems items = ok(OCI_OPT_VOLUME, text, 1);
        const OciItem *it = &items.items[0];
        ck_assert_str_eq(it->text, want);
        ck_assert_int_eq(it->volume.kind, kind);
        ck_assert_pstr_eq(it->volume.source, source);
        ck_assert_str_eq(it->volume.dest, dest);
        ck_assert_pstr_eq(it->volume.options, options);
        fmt(OCI_TYPE_VOLUME, it, OCI_BACKEND_PODMAN, want);
        return items;
}

static void volume1(const char *text, const char *want, OciVolumeKind kind, const char *source, const char *dest,
                    const char *options) {
        OciItems items = volume(text, want, kind, source, dest, options);
        ck_assert(!items.items[0].volume.create);
        ck_assert_ptr_null(items.items[0].ref);
        oci_items_clear(&items);
}

START_TEST(test_volume) {
        volume1("/anon", "/anon", OCI_VOLUME_ANONYMOUS, NULL, "/anon", NULL);
        volume1("/srv/www:/www:ro", "/srv/www:/www:ro", OCI_VOLUME_BIND, "/srv/www", "/www", "ro");
        volume1("%h/www:%h/x", "%h/www:%h/x", OCI_VOLUME_BIND, "%h/www", "%h/x", NULL);
        volume1("./site:/www", "/defs/site:/www", OCI_VOLUME_BIND, "/defs/site", "/www", NULL);
        volume1("../x:/y:z,ro", "/x:/y:z,ro", OCI_VOLUME_BIND, "/x", "/y", "z,ro");
        volume1(".:/www", "/defs:/www", OCI_VOLUME_BIND, "/defs", "/www", NULL);
        volume1("data:/data", "data:/data", OCI_VOLUME_NAMED, "data", "/data", NULL);
        volume1("a.b-c_d:/data:U", "a.b-c_d:/data:U", OCI_VOLUME_NAMED, "a.b-c_d", "/data", "U");

        OciItems items = volume("db.volume:/var/lib/db:Z", "db.volume:/var/lib/db:Z", OCI_VOLUME_DEFINITION, "db.volume",
                                "/var/lib/db", "Z");
        ck_assert_str_eq(items.items[0].ref, "db");
        items.items[0].resolved = arena_strdup(&def->text, "systemd-%%db");
        fmt(OCI_TYPE_VOLUME, &items.items[0], OCI_BACKEND_DOCKER, "systemd-%%db:/var/lib/db:Z");
        oci_items_clear(&items);

        static const char hint[] = "Volume= is not [SOURCE:]DESTINATION[:OPTIONS] with an absolute DESTINATION";
        static const char *const bad[] = { "a:/b:c:d", "rel", "data:rel", ":/x", "/x:/a/../b" };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                char want[512];
                snprintf(want, sizeof(want), "%s (value '%s')", hint, bad[i]);
                err(OCI_OPT_VOLUME, bad[i], want);
        }
        err(OCI_OPT_VOLUME, "data:/x:", "Volume=: empty OPTIONS after the last ':' (value 'data:/x:')");
        err(OCI_OPT_VOLUME, "base.image:/x",
            "Volume=: 'base.image' names an .image definition, which a volume cannot be; mount its image with "
            "Mount=type=image,source=base.image,destination=PATH (value 'base.image:/x')");
        static const char named[] = "Volume=: a named volume's name is letters, digits, '_', '.' and '-'; a path must be "
                                    "absolute or start with ./";
        static const char *const bad_names[] = { "-data:/x", ".volume:/x", "a b:/x" };
        for (size_t i = 0; i < ELEMENTSOF(bad_names); i++) {
                char want[512];
                snprintf(want, sizeof(want), "%s (value '%s')", named, bad_names[i]);
                err(OCI_OPT_VOLUME, bad_names[i], want);
        }
        err(OCI_OPT_VOLUME, "./a/../b:/x",
            "Volume= must be a normalised path (no '.', '..' or '//' after a leading ./ or ../) (value './a/../b:/x')");
        /* a destination or source directory may end in '/', as Quadlet passes it */
        volume1("data:/config/", "data:/config/", OCI_VOLUME_NAMED, "data", "/config/", NULL);
        volume1("/var/log/:/var/log/:ro", "/var/log/:/var/log/:ro", OCI_VOLUME_BIND, "/var/log/", "/var/log/", "ro");
        err(OCI_OPT_VOLUME, "/a//b:/x", "Volume= must be a normalised absolute path (no '.', '..' or '//') (value '/a//b:/x')");
}
END_TEST

START_TEST(test_volume_base_dir) {
        dflt = defaults_from("[Defaults]\nVolumeBaseDir=/srv/v%d\n");
        OciItems items = volume("data:/data:Z", "/srv/v%%d/web/data:/data:Z", OCI_VOLUME_BIND, "/srv/v%%d/web/data", "/data", "Z");
        ck_assert(items.items[0].volume.create);
        oci_items_clear(&items);
        /* a host path, a definition and an anonymous volume stay what they are */
        volume1("/srv:/x", "/srv:/x", OCI_VOLUME_BIND, "/srv", "/x", NULL);
        volume1("/anon", "/anon", OCI_VOLUME_ANONYMOUS, NULL, "/anon", NULL);
        items = volume("db.volume:/x", "db.volume:/x", OCI_VOLUME_DEFINITION, "db.volume", "/x", NULL);
        oci_items_clear(&items);
        /* the definition's last VolumeSubDir= names the directory, from the item its own row's type
         * gave (parsed before Volume=); the creation is left to the caller */
        OciItems *sub = &def->values[OCI_OPT_VOLUME_SUB_DIR].items;
        ck_assert_int_eq(parse(OCI_OPT_VOLUME_SUB_DIR, "one", sub), 0);
        ck_assert_int_eq(parse(OCI_OPT_VOLUME_SUB_DIR, "app", sub), 0);
        ck_assert_uint_eq(sub->n, 1);
        items = volume("data:/data", "/srv/v%%d/app/data:/data", OCI_VOLUME_BIND, "/srv/v%%d/app/data", "/data", NULL);
        oci_items_clear(&items);
        /* put there by hand, not by an assignment the definition frees with its rows */
        oci_items_clear(sub);
        /* what is not one directory name is VolumeSubDir='s error, at its own line, and gives no item */
        err(OCI_OPT_VOLUME_SUB_DIR, "a/b", "VolumeSubDir= must be a single directory name: no '/', not '.' or '..' (value 'a/b')");
        err(OCI_OPT_VOLUME_SUB_DIR, "..", "VolumeSubDir= must be a single directory name: no '/', not '.' or '..' (value '..')");
        err(OCI_OPT_VOLUME_SUB_DIR, ".", "VolumeSubDir= must be a single directory name: no '/', not '.' or '..' (value '.')");
}
END_TEST

static int fake_stat(const char *path, unsigned *ret_mode) {
        if (!streq(path, "/dev/present"))
                return -ENOENT;
        *ret_mode = 0020000;
        return 0;
}

START_TEST(test_device) {
        OciItems items = ok(OCI_OPT_ADD_DEVICE, "/dev/sdc:/dev/xvdc:rwm", 1);
        const OciDevice *d = &items.items[0].device;
        ck_assert(streq(d->host, "/dev/sdc") && streq(d->container, "/dev/xvdc") && streq(d->permissions, "rwm"));
        fmt(OCI_TYPE_DEVICE, &items.items[0], OCI_BACKEND_PODMAN, "/dev/sdc:/dev/xvdc:rwm");
        fmt(OCI_TYPE_DEVICE, &items.items[0], OCI_BACKEND_NSPAWN, "/dev/sdc:/dev/xvdc");
        ck_assert_int_eq(parse(OCI_OPT_ADD_DEVICE, "/dev/fuse", &items), 0);
        d = &items.items[1].device;
        ck_assert(streq(d->host, "/dev/fuse") && !d->container && !d->permissions);
        fmt(OCI_TYPE_DEVICE, &items.items[1], OCI_BACKEND_NSPAWN, "/dev/fuse:/dev/fuse");
        ck_assert_int_eq(parse(OCI_OPT_ADD_DEVICE, "/dev/sdd:r", &items), 0);
        d = &items.items[2].device;
        ck_assert(!d->container && streq(d->permissions, "r"));
        oci_items_clear(&items);

        /* a CDI device is the engine's to find; nspawn refuses it (nspawn.c) */
        items = ok(OCI_OPT_ADD_DEVICE, "nvidia.com/gpu=all", 1);
        ck_assert(items.items[0].device.cdi && streq(items.items[0].device.host, "nvidia.com/gpu=all"));
        fmt(OCI_TYPE_DEVICE, &items.items[0], OCI_BACKEND_PODMAN, "nvidia.com/gpu=all");
        oci_items_clear(&items);
        ok(OCI_OPT_ADD_DEVICE, "-vendor.example/dev=0", 0);

        static const char *const bad[] = { "dev/x", "/dev/a:/dev/b:/dev/c", "/dev/a:rwx", "/dev/a:rw:/dev/b", "/dev/a:",
                                           "/dev/../a", "-", "-dev/x", "/dev/a:/dev/b/../c" };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                char want[512];
                snprintf(want, sizeof(want), "AddDevice= is not [-]HOSTDEVICE[:CONTAINERDEVICE][:PERMISSIONS], for example "
                         "/dev/fuse or /dev/sdc:/dev/xvdc:rwm, or a CDI device, VENDOR/CLASS=NAME (value '%s')", bad[i]);
                err(OCI_OPT_ADD_DEVICE, bad[i], want);
        }

        /* '-': only when the host has it, asked through the host's stat() */
        static const OciHost fake = { .stat = fake_stat };
        host_facts = &fake;
        ok(OCI_OPT_ADD_DEVICE, "-/dev/nope:/dev/x", 0);
        ck_assert_str_eq(col.text, FILE_ ":7: optional device /dev/nope does not exist, leaving it out\n");
        ok1(OCI_OPT_ADD_DEVICE, "-/dev/present:rw", "/dev/present:rw");
        /* without a host, the machine's */
        host_facts = NULL;
        ok1(OCI_OPT_ADD_DEVICE, "-/dev/null", "/dev/null");
        ok(OCI_OPT_ADD_DEVICE, "-/dev/oci-values-test-none", 0);
}
END_TEST

/* Mount= as its row parses it: the checks every value gets, then the mount parser. */
static int mount_parse(const char *text, OciItems *out) {
        OciParse p = { .sink = &sink, .d = def, .id = OCI_OPT_MOUNT, .loc = { .file = FILE_, .line = LINE },
                       .out = out, .arena = &def->text };
        return oci_value_parse(&p, text);
}

START_TEST(test_mount) {
        OciItems items = {};
        ck_assert_int_eq(mount_parse("type=volume,source=data.volume,destination=/data,,ro", &items), 0);
        const OciItem *it = &items.items[0];
        ck_assert_str_eq(it->text, "type=volume,source=data.volume,destination=/data,,ro");
        ck_assert_uint_eq(strv_length(it->mount.fields), 5);
        ck_assert_str_eq(it->mount.fields[2], "destination=/data");
        ck_assert_str_eq(it->mount.fields[3], "");
        ck_assert_int_eq(it->mount.source, 1);
        ck_assert_str_eq(it->ref, "data");
        ck_assert_uint_eq(it->loc.line, LINE);
        StrBuf b = {};
        ck_assert_int_eq(oci_mount_format(it, OCI_BACKEND_PODMAN, &b), 0);
        ck_assert_str_eq(b.s, "type=volume,source=data.volume,destination=/data,,ro");
        strbuf_done(&b);
        items.items[0].resolved = arena_strdup(&def->text, "systemd-data");
        ck_assert_int_eq(oci_mount_format(it, OCI_BACKEND_DOCKER, &b), 0);
        ck_assert_str_eq(b.s, "type=volume,source=systemd-data,destination=/data,,ro");
        strbuf_done(&b);

        ck_assert_int_eq(mount_parse("type=bind,src=/srv,dst=/srv", &items), 0);
        ck_assert_int_eq(items.items[1].mount.source, 1);
        ck_assert_ptr_null(items.items[1].ref);
        ck_assert_int_eq(mount_parse("type=volume,src=x.volume,dst=/x", &items), 0);
        ck_assert_str_eq(items.items[2].ref, "x");
        /* a tmpfs has no source to resolve, whatever it says */
        ck_assert_int_eq(mount_parse("type=tmpfs,destination=/t,source=x.volume", &items), 0);
        ck_assert_int_eq(items.items[3].mount.source, -1);
        ck_assert_ptr_null(items.items[3].ref);
        ck_assert_int_eq(mount_parse("type=tmpfs,destination=/t", &items), 0);
        ck_assert_int_eq(items.items[4].mount.source, -1);
        /* the last source field is the source, as Quadlet takes it */
        ck_assert_int_eq(mount_parse("type=volume,source=a.volume,src=b.volume", &items), 0);
        ck_assert_int_eq(items.items[5].mount.source, 2);
        ck_assert_str_eq(items.items[5].ref, "b");
        oci_items_clear(&items);

        /* an image or an artifact definition as the source: ref and the type it names */
        ck_assert_int_eq(mount_parse("type=image,source=base.image,destination=/x", &items), 0);
        ck_assert_str_eq(items.items[0].ref, "base");
        ck_assert_int_eq(oci_item_ref_type(OCI_OPT_MOUNT, &items.items[0]), OCI_UNIT_IMAGE);
        ck_assert_int_eq(mount_parse("type=artifact,src=model.artifact,destination=/m", &items), 0);
        ck_assert_str_eq(items.items[1].ref, "model");
        ck_assert_int_eq(oci_item_ref_type(OCI_OPT_MOUNT, &items.items[1]), OCI_UNIT_ARTIFACT);
        ck_assert_int_eq(mount_parse("type=image,source=x.build,destination=/x", &items), 0);
        ck_assert_ptr_null(items.items[2].ref); /* a built image is not mounted by its definition's name */
        ck_assert_int_eq(mount_parse("type=volume,source=v.volume,destination=/v", &items), 0);
        ck_assert_int_eq(oci_item_ref_type(OCI_OPT_MOUNT, &items.items[3]), OCI_UNIT_VOLUME);
        oci_items_clear(&items);
        col = (Collected) {};
        ck_assert_int_eq(mount_parse("type=bind,src=/a \\x01", &items), -EINVAL);
        ck_assert_str_eq(col.text, FILE_ ":7: Mount= holds control characters (value 'type=bind,src=/a \\x01')\n");
        /* the type's parser alone refuses what could be taken for an option */
        col = (Collected) {};
        OciParse p = { .sink = &sink, .id = OCI_OPT_MOUNT, .loc = { .file = FILE_, .line = 2 }, .value = "-x",
                       .out = &items, .arena = &def->text };
        ck_assert_int_eq(oci_mount_parse(&p, "-x"), -EINVAL);
        ck_assert_str_eq(col.text, FILE_ ":2: Mount= must be type=TYPE,source=...,destination=..., not empty nor starting "
                                   "with '-' (value '-x')\n");
        ck_assert_uint_eq(items.n, 0);
        oci_items_clear(&items);
}
END_TEST

/* Mount=text as the type's parser takes it, after the reading every value gets (which, for Mount=,
 * decodes quotes and escapes as Quadlet's LookupAllArgs does: what reaches the parser is the
 * line of CSV podman gets). */
static OciItems mount_ok(const char *text, const char *want) {
        OciItems items = {};
        col = (Collected) {};
        OciParse p = { .sink = &sink, .d = def, .id = OCI_OPT_MOUNT, .loc = { .file = FILE_, .line = LINE }, .value = text,
                       .out = &items, .arena = &def->text };
        ck_assert_msg(oci_mount_parse(&p, text) == 0 && col.n_err == 0, "Mount=%s rejected: %s", text, col.text);
        ck_assert_uint_eq(items.n, 1);
        fmt(OCI_TYPE_MOUNT, &items.items[0], OCI_BACKEND_PODMAN, want);
        return items;
}

static void mount_err(const char *text, const char *msg) {
        OciItems items = {};
        col = (Collected) {};
        OciParse p = { .sink = &sink, .d = def, .id = OCI_OPT_MOUNT, .loc = { .file = FILE_, .line = LINE }, .value = text,
                       .out = &items, .arena = &def->text };
        ck_assert_int_eq(oci_mount_parse(&p, text), -EINVAL);
        char want[4096];
        snprintf(want, sizeof(want), "%s:%d: Mount=%s (value '%s')\n", FILE_, LINE, msg, text);
        ck_assert_str_eq(col.text, want);
        ck_assert_uint_eq(items.n, 0);
        oci_items_clear(&items);
        col = (Collected) {};
}

/* Mount='s source as Quadlet resolves it: written source=, a relative path of a bind or glob
 * mount taken from the definition's directory (/defs), a path the unit waits for. */
START_TEST(test_mount_source) {
        const OciValueType *t = oci_value_types[OCI_TYPE_MOUNT];
        OciItems items = mount_ok("type=bind,src=./conf/,dst=/etc/app,ro=true", "type=bind,source=/defs/conf,dst=/etc/app,ro=true");
        ck_assert_str_eq(t->host_path(&items.items[0]), "/defs/conf");
        oci_items_clear(&items);
        items = mount_ok("destination=/x,type=glob,source=../lib/*.so", "destination=/x,type=glob,source=/lib/*.so");
        oci_items_clear(&items);
        items = mount_ok("type=bind,source=.,destination=/d", "type=bind,source=/defs,destination=/d");
        fmt(OCI_TYPE_MOUNT, &items.items[0], OCI_BACKEND_DOCKER, "type=bind,source=/defs,destination=/d");
        oci_items_clear(&items);
        /* an absolute path stays, and is waited for */
        items = mount_ok("type=bind,src=/srv/a,dst=/a", "type=bind,source=/srv/a,dst=/a");
        ck_assert_str_eq(t->host_path(&items.items[0]), "/srv/a");
        oci_items_clear(&items);
        /* a volume's or an image's source is a name, not a path of the host */
        items = mount_ok("type=volume,src=vol1,dst=/a", "type=volume,source=vol1,dst=/a");
        ck_assert_ptr_null(t->host_path(&items.items[0]));
        oci_items_clear(&items);
        /* no type=: podman's volume, written out */
        items = mount_ok("src=vol1,dst=/a", "type=volume,source=vol1,dst=/a");
        oci_items_clear(&items);
        /* other types pass as written */
        items = mount_ok("type=tmpfs,src=x,destination=/t", "type=tmpfs,src=x,destination=/t");
        ck_assert_ptr_null(t->host_path(&items.items[0]));
        oci_items_clear(&items);

        /* CSV: a quoted field is one field, its quotes kept; a quoted source is found and rewritten */
        items = mount_ok("type=bind,src=/tmp,\"dst=/path,1\"", "type=bind,source=/tmp,\"dst=/path,1\"");
        ck_assert_uint_eq(strv_length(items.items[0].mount.fields), 3);
        oci_items_clear(&items);
        items = mount_ok("type=bind,\"src=./a,b\",dst=/x", "type=bind,source=\"/defs/a,b\",dst=/x");
        ck_assert_str_eq(t->host_path(&items.items[0]), "/defs/a,b");
        oci_items_clear(&items);
        items = mount_ok("type=bind,\"src=/a\"\"b\",dst=/x", "type=bind,source=\"/a\"\"b\",dst=/x");
        oci_items_clear(&items);
        /* a space is part of its field */
        items = mount_ok("type=bind,src=/srv/my files,dst=/x", "type=bind,source=/srv/my files,dst=/x");
        ck_assert_str_eq(t->host_path(&items.items[0]), "/srv/my files");
        oci_items_clear(&items);

        static const char csv[] = " is read as podman reads it, fields separated by ',' (CSV), and a '\"' may only enclose a "
                                  "whole field, as in \"dst=/a,b\"; a '\"' inside a field is written \"\"";
        mount_err("type=bind,src=/a\"b,dst=/x", csv);
        mount_err("type=bind,\"src=/a\"x,dst=/x", csv);
        mount_err("type=bind,\"src=/a", csv);
        /* a source is required, with a value */
        mount_err("type=bind,destination=/x", ": a mount of type=bind needs a source: add source=PATH or source=NAME");
        mount_err("/home:/home", ": a mount of type=volume needs a source: add source=PATH or source=NAME (for an anonymous "
                                 "volume, write Volume=DESTINATION instead)");
        mount_err("type=image,src=,destination=/x", ": a mount of type=image needs a source: add source=PATH or source=NAME");
        mount_err("type=bind,source,destination=/x", ": 'source' has no value; write source=PATH or source=NAME");
        /* a relative path keeps the rules of one */
        mount_err("type=bind,source=./a/../b,destination=/x", " must be a normalised path (no '.', '..' or '//' after a leading ./ or ../)");
}
END_TEST

TCase *values_compound_tcase(void) {
        TCase *tc = tcase_create("compound");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_port);
        tcase_add_test(tc, test_port_default_address);
        tcase_add_test(tc, test_volume);
        tcase_add_test(tc, test_volume_base_dir);
        tcase_add_test(tc, test_device);
        tcase_add_test(tc, test_mount);
        tcase_add_test(tc, test_mount_source);
        return tc;
}
