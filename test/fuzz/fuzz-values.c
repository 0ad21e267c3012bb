/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The parsers of single values (ports, volumes, devices, names, references) through a tiny
 * definition, since they are not public:
 *
 *   byte 0, bit 7 clear: the key, from the table below; the rest of the input up to a line break
 *                        is its value in "[Container]\nImage=x\n[SECTION]\nKEY=VALUE\n" (a
 *                        key of [Unit] or [Service] is copied into the unit as it is)
 *           bit 7 set:   the rest is a file name: "/defs/NAME.container" with '/' made '_'
 *   byte 1, bits 0-1:    Backend= (none, podman, docker, nspawn)
 *           bit 2:       user mode
 *           bit 3:       [Defaults] with PublishAddress= and VolumeBaseDir=
 *
 * An accepted value is normalised; for the keys marked below, normalising what came out gives
 * it back unchanged (a second pass changes nothing), and the definition renders into valid
 * units whose command lines split. */
#include "fuzz-common.h"

typedef struct Key {
        const char *section;
        const char *key;
        OciOptionId id;
        bool fixed_point; /* the normalised item, written again, is accepted and comes back the same */
} Key;

static const Key keys[] = {
        { "Container", "PublishPort", OCI_OPT_PUBLISH_PORT, true },
        { "Container", "Volume", OCI_OPT_VOLUME, true },
        { "Container", "ExposeHostPort", OCI_OPT_EXPOSE_HOST_PORT, true },
        { "Container", "Tmpfs", OCI_OPT_TMPFS, true },
        { "Container", "AddDevice", OCI_OPT_ADD_DEVICE, true },
        { "Container", "ContainerName", OCI_OPT_CONTAINER_NAME, true },
        { "Container", "ServiceName", OCI_OPT_SERVICE_NAME, true },
        { "Container", "HostName", OCI_OPT_HOST_NAME, true },
        { "Container", "IP", OCI_OPT_IP, true },
        { "Container", "Memory", OCI_OPT_MEMORY, false },
        { "Container", "Image", OCI_OPT_IMAGE, true },
        { "Container", "Network", OCI_OPT_NETWORK, false },
        { "Container", "Mount", OCI_OPT_MOUNT, false },
        { "Container", "Pod", OCI_OPT_POD, false },
        { "Container", "DependsOn", OCI_OPT_DEPENDS_ON, false },
        { "Container", "AddCapability", OCI_OPT_ADD_CAPABILITY, false },
        { "Container", "Environment", OCI_OPT_ENVIRONMENT, false },
        { "Container", "Exec", OCI_OPT_EXEC, false },
        { "Container", "User", OCI_OPT_USER, false },
        { "Container", "WorkingDir", OCI_OPT_WORKING_DIR, true },
        { "Container", "EnvironmentFile", OCI_OPT_ENVIRONMENT_FILE, true },
        { "Install", "Alias", OCI_OPT_ALIAS, false },
        { "Install", "WantedBy", OCI_OPT_WANTED_BY, false },
        { "Install", "DefaultInstance", OCI_OPT_DEFAULT_INSTANCE, false },
        /* written into the unit as they are: StandardOutput=append:, TimeoutStartSec= (nspawn), User= */
        { "Container", "LogFile", OCI_OPT_LOG_FILE, true },
        /* not a fixed point: unset, it holds its default, which only nspawn takes */
        { "Container", "StartTimeout", OCI_OPT_START_TIMEOUT, false },
        { "Container", "RunAs", OCI_OPT_RUN_AS, false },
        { "Container", "HostEnvironment", OCI_OPT_HOST_ENVIRONMENT, false },
        /* copied into the unit as written */
        { "Service", "Environment", _OCI_OPT_INVALID, false },
        { "Unit", "Description", _OCI_OPT_INVALID, false },
};

static const char *const backends[] = { NULL, "podman", "docker", "nspawn" };

static OciDefaults *defaults;

/* Parse, name and check text as the file path; the definition, whatever the outcome. */
static OciDefinition *load(const char *path, const char *text, bool user, const OciDefaults *def, int *ret) {
        OciDefinition *d = oci_definition_new(path, OCI_UNIT_CONTAINER);
        FUZZ_CHECK(d);
        d->user = user;
        OciDiagSink sink = { .fn = fuzz_diag };
        int r = oci_parse_buffer(d, text, strlen(text), oci_unit_type_sections(OCI_UNIT_CONTAINER), &sink);
        if (r == 0)
                r = oci_definition_resolve_unit_name(d, &sink);
        if (r == 0) {
                /* no definition is known: every reference names none, and the value's own checks
                 * run before that */
                OciCheckContext ctx = { .sink = &sink, .defaults = def };
                r = oci_check(d, &ctx);
        }
        if (r == -EINVAL)
                FUZZ_CHECK(sink.n_errors > 0);
        *ret = r;
        return d;
}

static void render(const OciDefinition *d, bool user, const OciDefaults *def) {
        OciDiagSink sink = { .fn = fuzz_diag };
        OciRenderContext rc = { .sink = &sink, .defaults = def, .user = user,
                                .host = fuzz_host(user ? OCI_PODMAN_VERSION(5, 8) : OCI_PODMAN_VERSION(4, 3)) };
        OciUnitFile **units = NULL;
        if (oci_render(d, &rc, &units) < 0)
                return;
        for (size_t i = 0; units[i]; i++) {
                if (units[i]->secret)
                        continue;
                FUZZ_CHECK(oci_unit_name_valid(units[i]->name));
                fuzz_check_unit(units[i]);
                /* the generated command lines split by systemd's rules (the definition's own
                 * [Service] lines here are no commands) */
                const OciUnitLines *service = &units[i]->lines[OCI_UNIT_SECTION_SERVICE];
                for (size_t n = 0; n < service->n; n++) {
                        const char *l = service->items[n].text;
                        if (!startswith(l, "Exec"))
                                continue;
                        const char *v = strchr(l, '=');
                        FUZZ_CHECK(v);
                        v++;
                        v += strspn(v, "-@:+!");
                        char **words = NULL;
                        const char *err = NULL;
                        if (oci_split_words(v, &words, &err) != 0) {
                                fprintf(stderr, "%s: does not split: %s\n", l, err ? err : "?");
                                abort();
                        }
                        FUZZ_CHECK(words[0] && path_is_absolute(words[0]));
                        strv_free(words);
                }
        }
        oci_unit_list_free(units);
}

static char *definition_text(const Key *k, const char *backend, const char *value) {
        StrBuf b = {};
        FUZZ_CHECK(strbuf_puts(&b, "[Container]\n") == 0);
        if (k->id != OCI_OPT_IMAGE)
                FUZZ_CHECK(strbuf_puts(&b, "Image=docker.io/library/busybox\n") == 0);
        if (backend)
                FUZZ_CHECK(strbuf_printf(&b, "Backend=%s\n", backend) == 0);
        if (k->id == OCI_OPT_GROUP)
                FUZZ_CHECK(strbuf_puts(&b, "User=1000\n") == 0);
        FUZZ_CHECK(strbuf_printf(&b, "[%s]\n%s=%s\n", k->section, k->key, value) == 0);
        return strbuf_steal(&b);
}

/* An item written back as a value its row reads as that item (the row's read column), or NULL when
 * no such text exists (a word holding both kinds of quote for LookupAllStrv). */
static char *rewritten(OciOptionId id, const char *item) {
        size_t n = strlen(item);
        switch (oci_option_read(id)) {
        case OCI_READ_LAST:
                /* Lookup takes one pair of quotes off */
                return n >= 2 && item[0] == '"' && item[n - 1] == '"' ? xasprintf("\"%s\"", item) : strdup(item);
        case OCI_READ_WORDS:
                if (!strpbrk(item, " \t\n\r\"'"))
                        return strdup(item);
                if (!strchr(item, '\''))
                        return xasprintf("'%s'", item);
                return strchr(item, '"') ? NULL : xasprintf("\"%s\"", item);
        case OCI_READ_ARGS:
        case OCI_READ_LAST_ARGS:
        case OCI_READ_KEYVAL:
                return oci_quote_words((char *[]) { (char *) item, NULL });
        case OCI_READ_DEFAULT:
        case OCI_READ_LAST_RAW:
        case OCI_READ_ALL:
        case _OCI_READ_MAX:
        default:
                return strdup(item);
        }
}

static void fuzz_key(const Key *k, const char *backend, bool user, const char *value) {
        char *text = definition_text(k, backend, value);
        int r;
        OciDefinition *d = load("/defs/fuzz.container", text, user, defaults, &r);
        free(text);
        if (r == 0 && k->id < 0)
                render(d, user, defaults);
        else if (r == 0) {
                const OciItems *items = &d->values[k->id].items;
                FUZZ_CHECK(items->n == 0 || items->items);
                for (size_t i = 0; i < items->n; i++)
                        FUZZ_CHECK(items->items[i].text);
                const char *item = items->n == 1 ? items->items[0].text : NULL;
                /* none ends in an unescaped backslash, which would continue the line */
                /* a value with a variable of the service's environment is passed as written, for
                 * the engine to judge once systemd has expanded it: it has no normal form */
                char *back = k->fixed_point && item && !oci_has_variable(item) ? rewritten(k->id, item) : NULL;
                if (back) {
                        char *again = definition_text(k, backend, back);
                        free(back);
                        int r2;
                        OciDefinition *d2 = load("/defs/fuzz.container", again, user, defaults, &r2);
                        if (r2 != 0 || !streq_ptr(oci_value_str(d2, k->id), item)) {
                                fprintf(stderr, "%s=%s normalised to '%s', which %s\n", k->key, value, item,
                                        r2 != 0 ? "is refused" : "normalises differently");
                                abort();
                        }
                        oci_definition_free(d2);
                        free(again);
                }
                render(d, user, defaults);
        }
        oci_definition_free(d);
}

static void fuzz_name(const char *name, bool user) {
        /* the name checks agree with each other */
        if (!strchr(name, '@')) {
                char *unit = xasprintf("%s.service", name);
                FUZZ_CHECK(unit);
                FUZZ_CHECK(oci_unit_prefix_valid(name) == oci_unit_name_valid(unit));
                free(unit);
        }
        (void) oci_unit_name_valid(name);

        char *path = xasprintf("/defs/%s.container", name);
        FUZZ_CHECK(path);
        int r;
        OciDefinition *d = load(path, "[Container]\nImage=docker.io/library/busybox\n", user, NULL, &r);
        if (r == 0) {
                FUZZ_CHECK(oci_unit_name_valid(d->unit_name));
                render(d, user, NULL);
        }
        oci_definition_free(d);
        free(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        if (!defaults) {
                static const char text[] = "[Defaults]\nPublishAddress=127.0.0.1\nVolumeBaseDir=/srv/volumes\n";
                OciDiagSink sink = { .fn = fuzz_diag };
                defaults = oci_definition_new("/etc/oci-containers.conf", _OCI_UNIT_TYPE_INVALID);
                FUZZ_CHECK(defaults);
                FUZZ_CHECK(oci_parse_buffer(defaults, text, strlen(text), OCI_DEFAULTS_SECTIONS, &sink) == 0);
                FUZZ_CHECK(oci_check_defaults(defaults, &sink) == 0);
        }
        if (size < 2)
                return 0;
        uint8_t sel = data[0], opts = data[1];
        const char *backend = backends[opts & 3];
        bool user = opts & 4;
        OciDefaults *saved = defaults;
        if (!(opts & 8))
                defaults = NULL;

        /* the value: one line, up to the first NUL (strndup stops there) */
        char *value = strndup((const char *) data + 2, size - 2);
        FUZZ_CHECK(value);
        value[strcspn(value, "\n")] = 0;

        if (sel & 0x80) {
                for (char *c = value; *c; c++)
                        if (*c == '/')
                                *c = '_';
                fuzz_name(value, user);
        } else
                fuzz_key(&keys[sel % ELEMENTSOF(keys)], backend, user, value);
        free(value);
        defaults = saved;
        return 0;
}
