/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Arbitrary bytes as one definition: parse, name, validate and render, as the generator does.
 *
 *   byte 0, bits 0-1: the type (.container, .network, .volume, .pod)
 *           bits 2-3: [Defaults] Backend= (none, podman, docker, nspawn)
 *           bit  4:   user mode
 *           bits 5-6: the file name (NAME, NAME@ template, NAME@INSTANCE, A-B-C)
 *           bit  7:   the file is the defaults file instead, used (when valid) for the
 *                     definition "[Container]\nImage=x\n" with the drop-in on top
 *   the rest: the file, up to the first NUL byte; whatever follows it is a drop-in on top.
 *
 * References to other definitions (Network=, Volume=, Pod=, DependsOn=) find a valid definition
 * of the type asked for, so that rendering with them is reached too. */
#include "fuzz-common.h"

static const char *const defaults_text[] = {
        NULL,
        "[Defaults]\nBackend=podman\n",
        "[Defaults]\nBackend=docker\nVolumeBaseDir=/srv/volumes\n",
        "[Defaults]\nBackend=nspawn\nPublishAddress=127.0.0.1\n",
};

static const char *const file_names[] = { "fuzz", "fuzz@", "fuzz@one", "fuzz-a-b" };

/* For lookups: one valid definition of every type, made once. */
static const char *const other_text[_OCI_UNIT_TYPE_MAX] = {
        [OCI_UNIT_CONTAINER] = "[Container]\nImage=docker.io/library/busybox\n",
        [OCI_UNIT_NETWORK] = "[Network]\nSubnet=10.89.0.0/24\n",
        [OCI_UNIT_VOLUME] = "[Volume]\n",
        [OCI_UNIT_POD] = "[Pod]\nPublishPort=8080:80\n",
};

static OciDefaults *defaults[ELEMENTSOF(defaults_text)];
static OciDefinition *others[_OCI_UNIT_TYPE_MAX];
static OciRef other_refs[_OCI_UNIT_TYPE_MAX]; /* what a lookup answers: the generator's view of them */

static const OciRef *lookup(void *userdata, OciUnitType type, const char *name) {
        return type >= 0 && type < _OCI_UNIT_TYPE_MAX ? &other_refs[type] : NULL;
}

static void setup(void) {
        OciDiagSink sink = { .fn = fuzz_diag };
        for (size_t i = 0; i < ELEMENTSOF(defaults_text); i++) {
                if (!defaults_text[i])
                        continue;
                defaults[i] = oci_definition_new("/etc/oci-containers.conf", _OCI_UNIT_TYPE_INVALID);
                FUZZ_CHECK(defaults[i]);
                FUZZ_CHECK(oci_parse_buffer(defaults[i], defaults_text[i], strlen(defaults_text[i]), OCI_DEFAULTS_SECTIONS, &sink) == 0);
                FUZZ_CHECK(oci_validate_defaults(defaults[i], &sink) == 0);
        }
        for (int t = 0; t < _OCI_UNIT_TYPE_MAX; t++) {
                char path[64];
                snprintf(path, sizeof(path), "/defs/other%s", oci_unit_type_extension((OciUnitType) t));
                OciDefinition *d = oci_definition_new(path, (OciUnitType) t);
                FUZZ_CHECK(d);
                FUZZ_CHECK(oci_parse_buffer(d, other_text[t], strlen(other_text[t]), oci_unit_type_sections((OciUnitType) t), &sink) == 0);
                FUZZ_CHECK(oci_definition_resolve_unit_name(d, &sink) == 0);
                OciValidateContext v = { .sink = &sink };
                FUZZ_CHECK(oci_validate(d, &v) == 0);
                others[t] = d;
                other_refs[t] = (OciRef) { .name = d->name, .path = d->path, .unit_name = d->unit_name, .resource = d->resource };
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        static bool initialised;
        if (!initialised) {
                setup();
                initialised = true;
        }
        if (size < 1)
                return 0;
        uint8_t sel = data[0];
        const char *text = (const char *) data + 1;
        size_t len = size - 1;
        OciUnitType type = (OciUnitType) (sel & 3);
        const OciDefaults *def = defaults[(sel >> 2) & 3];
        bool user = sel & 0x10;

        char path[64];
        snprintf(path, sizeof(path), "/defs/%s%s", file_names[(sel >> 5) & 3], oci_unit_type_extension(type));
        OciDefinition *d = oci_definition_new(path, type);
        FUZZ_CHECK(d);
        d->user = user;

        OciDiagSink sink = { .fn = fuzz_diag };
        unsigned sections = oci_unit_type_sections(type);
        const char *nul = memchr(text, 0, len);
        size_t main_len = nul ? (size_t) (nul - text) : len;
        OciDefaults *own_defaults = NULL;
        int r;
        if (sel & 0x80) {
                own_defaults = oci_definition_new("/etc/oci-containers.conf", _OCI_UNIT_TYPE_INVALID);
                FUZZ_CHECK(own_defaults);
                r = oci_parse_buffer(own_defaults, text, main_len, OCI_DEFAULTS_SECTIONS, &sink);
                if (r == 0)
                        r = oci_validate_defaults(own_defaults, &sink);
                if (r == -EINVAL)
                        FUZZ_CHECK(sink.n_errors > 0);
                if (r < 0)
                        own_defaults = oci_definition_free(own_defaults);
                def = own_defaults;
                static const char minimal[] = "[Container]\nImage=x\n";
                r = type == OCI_UNIT_CONTAINER ? oci_parse_buffer(d, minimal, strlen(minimal), sections, &sink) : 0;
        } else
                r = oci_parse_buffer(d, text, main_len, sections, &sink);
        if (r != -ENOMEM && nul) {
                /* the drop-in, reported under its own name, as oci_parse_dropin() does for a file */
                FUZZ_CHECK(strv_extend(&d->sources, "/defs/fuzz.container.d/10-dropin.conf") == 0);
                d->cur_source = (unsigned) strv_length(d->sources) - 1;
                int k = oci_parse_buffer(d, nul + 1, len - main_len - 1, sections, &sink);
                d->cur_source = 0;
                r = k < 0 ? k : r;
        }
        if (r == 0)
                r = oci_definition_resolve_unit_name(d, &sink);
        if (r == 0) {
                OciValidateContext v = { .sink = &sink, .defaults = def, .lookup = lookup };
                r = oci_validate(d, &v);
        }
        if (r == 0) {
                FUZZ_CHECK(d->unit_name && oci_unit_name_valid(d->unit_name));
                FUZZ_CHECK(d->backend >= 0 && d->backend < _OCI_BACKEND_MAX);
                OciRenderContext rc = { .sink = &sink, .defaults = def, .user = user };
                fuzz_render_and_check(d, &rc);
        }
        /* errors are counted: a failure with no error message would leave the user guessing */
        if (r == -EINVAL)
                FUZZ_CHECK(sink.n_errors > 0);
        oci_definition_free(d);
        oci_definition_free(own_defaults);
        return 0;
}
