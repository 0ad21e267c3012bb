/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Arbitrary bytes as one definition: parse, name, check and render, as the generator does.
 *
 *   byte 0, bits 0-1: the type (.container, .network, .volume, .pod); a .container whose text
 *                     starts with [Image], [Build], [Kube] or [Artifact] is of that kind instead
 *           bits 2-3: [Defaults] Backend= (none, podman, docker, nspawn)
 *           bit  4:   user mode
 *           bits 5-6: the file name (NAME, NAME@ template, NAME@INSTANCE, A-B-C)
 *           bit  7:   the file is the defaults file instead, used (when valid) for the
 *                     definition "[Container]\nImage=x\n" with the drop-in on top
 *   the rest: the file, up to the first NUL byte; whatever follows it is a drop-in on top, up to a
 *   second NUL byte, after which is the drop-in's file name (default "10-dropin.conf"; any bytes but
 *   '/': the path is written into the unit).
 *
 * References to other definitions (Network=, Volume=, Pod=, DependsOn=) find a valid definition
 * of the type asked for, so that rendering with them is reached too: the definition is checked in
 * the generator's two passes, and between them each reference it declares is handed a summary of
 * the definition of its type made once, under the name it asks for. With Backend=docker, Pod= finds
 * a docker pod, whose ports the member publishes. A pod's own summary, with the ports it hands on,
 * is filled too.
 */
#include "fuzz-common.h"

static const char *const defaults_text[] = {
        NULL,
        "[Defaults]\nBackend=podman\n",
        "[Defaults]\nBackend=docker\nVolumeBaseDir=/srv/volumes\n",
        "[Defaults]\nBackend=nspawn\nPublishAddress=127.0.0.1\n",
};

static const char *const file_names[] = { "fuzz", "fuzz@", "fuzz@one", "fuzz-a-b" };

/* What references find: one valid definition of every type, made once, and a docker pod. */
static const char *const other_text[_OCI_UNIT_TYPE_MAX] = {
        [OCI_UNIT_CONTAINER] = "[Container]\nImage=docker.io/library/busybox\n",
        [OCI_UNIT_NETWORK] = "[Network]\nSubnet=10.89.0.0/24\n",
        [OCI_UNIT_VOLUME] = "[Volume]\n",
        [OCI_UNIT_POD] = "[Pod]\nPublishPort=8080:80\n",
        [OCI_UNIT_IMAGE] = "[Image]\nImage=docker.io/library/busybox\n",
        [OCI_UNIT_BUILD] = "[Build]\nImageTag=localhost/fuzz:1\nSetWorkingDirectory=unit\n",
        [OCI_UNIT_KUBE] = "[Kube]\nYaml=/defs/fuzz.yaml\n",
        [OCI_UNIT_ARTIFACT] = "[Artifact]\nArtifact=quay.io/example/fuzz:1\n",
};
static const char docker_pod_text[] = "[Pod]\nBackend=docker\nPublishPort=8081:81\nPublishPort=127.0.0.1:53:53/udp\n";

static OciDefaults *defaults[ELEMENTSOF(defaults_text)];
static OciDefinition *others[_OCI_UNIT_TYPE_MAX], *docker_pod;
/* their summaries, as the generator keeps them once they are done */
static OciSummary other_summaries[_OCI_UNIT_TYPE_MAX], docker_pod_summary;

static OciDefinition *make_other(const char *path, OciUnitType type, const char *text, OciSummary *s) {
        OciDiagSink sink = { .fn = fuzz_diag };
        OciDefinition *d = oci_definition_new(path, type);
        FUZZ_CHECK(d);
        FUZZ_CHECK(oci_parse_buffer(d, text, strlen(text), oci_unit_type_sections(type), &sink) == 0);
        FUZZ_CHECK(oci_definition_resolve_unit_name(d, &sink) == 0);
        OciCheckContext ctx = { .sink = &sink };
        FUZZ_CHECK(oci_check(d, &ctx) == 0);
        *s = (OciSummary) { .name = d->name, .path = d->path, .unit_name = d->unit_name, .resource = d->resource };
        FUZZ_CHECK(oci_summary_fill(s, d) == 0);
        FUZZ_CHECK(!s->failed && s->type == type);
        return d;
}

static void setup(void) {
        OciDiagSink sink = { .fn = fuzz_diag };
        for (size_t i = 0; i < ELEMENTSOF(defaults_text); i++) {
                if (!defaults_text[i])
                        continue;
                defaults[i] = oci_definition_new("/etc/oci-containers.conf", _OCI_UNIT_TYPE_INVALID);
                FUZZ_CHECK(defaults[i]);
                FUZZ_CHECK(oci_parse_buffer(defaults[i], defaults_text[i], strlen(defaults_text[i]), OCI_DEFAULTS_SECTIONS, &sink) == 0);
                FUZZ_CHECK(oci_check_defaults(defaults[i], &sink) == 0);
        }
        for (int t = 0; t < _OCI_UNIT_TYPE_MAX; t++) {
                char path[64];
                snprintf(path, sizeof(path), "/defs/other%s", oci_unit_type_extension((OciUnitType) t));
                others[t] = make_other(path, (OciUnitType) t, other_text[t], &other_summaries[t]);
        }
        docker_pod = make_other("/defs/dpod.pod", OCI_UNIT_POD, docker_pod_text, &docker_pod_summary);
        FUZZ_CHECK(docker_pod_summary.handoff && docker_pod_summary.handoff->items.n == 2);
}

/* The summaries d's references are checked against: for each one, the definition of its type made
 * once, under the name the reference asks for. *ret_known points into *ret_store. */
static void known_for(const OciDefinition *d, const OciReference *refs, size_t n, OciSummary **ret_store, OciSummary ***ret_known) {
        OciSummary *store = n ? calloc(n, sizeof(*store)) : NULL;
        OciSummary **known = n ? calloc(n, sizeof(*known)) : NULL;
        FUZZ_CHECK(!n || (store && known));
        for (size_t i = 0; i < n; i++) {
                FUZZ_CHECK(refs[i].type >= 0 && refs[i].type < _OCI_UNIT_TYPE_MAX);
                /* a key's item, or a word of a [Unit] line */
                FUZZ_CHECK(refs[i].name);
                FUZZ_CHECK(refs[i].dep == OCI_DEP_NAME ? refs[i].line && !refs[i].item && refs[i].word < refs[i].line->n_deps
                                                       : refs[i].item && refs[i].key >= 0 && refs[i].key < _OCI_OPT_MAX);
                const OciSummary *from = refs[i].type == OCI_UNIT_POD && d->backend == OCI_BACKEND_DOCKER ? &docker_pod_summary
                                                                                                           : &other_summaries[refs[i].type];
                store[i] = *from; /* the ports it hands on stay the original's: they are only read */
                store[i].name = refs[i].name;
                known[i] = &store[i];
        }
        *ret_store = store;
        *ret_known = known;
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
        for (int t = OCI_UNIT_IMAGE; type == OCI_UNIT_CONTAINER && t < _OCI_UNIT_TYPE_MAX; t++) {
                char header[32];
                int n = snprintf(header, sizeof(header), "[%s]", oci_section_to_string(oci_unit_type_section((OciUnitType) t)));
                if (n > 0 && (size_t) n <= len && memcmp(text, header, (size_t) n) == 0)
                        type = (OciUnitType) t;
        }
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
                        r = oci_check_defaults(own_defaults, &sink);
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
                const char *dropin = nul + 1;
                size_t dropin_len = len - main_len - 1;
                const char *name_at = memchr(dropin, 0, dropin_len);
                char *name = name_at ? strndup(name_at + 1, dropin_len - (size_t) (name_at - dropin) - 1) : strdup("10-dropin.conf");
                FUZZ_CHECK(name);
                for (char *c = name; *c; c++)
                        if (*c == '/')
                                *c = '_';
                if (name_at)
                        dropin_len = (size_t) (name_at - dropin);
                FUZZ_CHECK(strv_extendf(&d->sources, "/defs/fuzz.container.d/%s", name) == 0);
                free(name);
                d->cur_source = (unsigned) strv_length(d->sources) - 1;
                int k = oci_parse_buffer(d, dropin, dropin_len, sections, &sink);
                d->cur_source = 0;
                r = k < 0 ? k : r;
        }
        if (r == 0)
                r = oci_definition_resolve_unit_name(d, &sink);
        /* the generator's two passes, with what the references name in between */
        OciCheckContext ctx = { .sink = &sink, .defaults = def };
        OciReference *refs = NULL;
        size_t n_refs = 0;
        OciSummary *store = NULL, **known = NULL;
        if (r == 0)
                r = oci_check_local(d, &ctx);
        if (r == 0)
                r = oci_definition_references(d, &refs, &n_refs);
        if (r == 0) {
                known_for(d, refs, n_refs, &store, &known);
                ctx.known = known;
                ctx.n_known = n_refs;
                r = oci_check_references(d, &ctx);
        }
        if (r == 0) {
                FUZZ_CHECK(!d->failed);
                FUZZ_CHECK(d->unit_name && oci_unit_name_valid(d->unit_name));
                /* the naming rules: no "..", none of the package's own units */
                FUZZ_CHECK(!strstr(d->unit_name, "..") && !oci_unit_name_is_ours(d->unit_name));
                FUZZ_CHECK(d->backend >= 0 && d->backend < _OCI_BACKEND_MAX);
                /* user mode with podman 5.8, the system's with 4.3: both forms of an object's unit */
                OciRenderContext rc = { .sink = &sink, .defaults = def, .user = user,
                                        .host = fuzz_host(user ? OCI_PODMAN_VERSION(5, 8) : OCI_PODMAN_VERSION(4, 3)) };
                fuzz_render_and_check(d, &rc);
                /* what the generator claims for it: the host ports, its own and those handed to it */
                const OciItem **ports = NULL;
                size_t n_ports = 0;
                FUZZ_CHECK(oci_definition_host_ports(d, &ports, &n_ports) == 0);
                for (size_t i = 0; i < n_ports; i++)
                        FUZZ_CHECK(ports[i]->text && ports[i]->port.host_lo <= ports[i]->port.host_hi && ports[i]->port.host_hi <= 65535);
                free(ports);
                OciSummary *from = oci_definition_handoff(d);
                /* ports are handed on only by the docker pod, to a docker member */
                FUZZ_CHECK(!from || (from >= store && from < store + n_refs && from->handoff == docker_pod_summary.handoff &&
                                     d->backend == OCI_BACKEND_DOCKER));
        }
        if (r == 0 || r == -EINVAL) {
                /* what others would be told of it, done or failed */
                OciSummary s = { .name = d->name, .path = d->path, .unit_name = d->unit_name, .resource = d->resource };
                d->failed = d->failed || r < 0;
                FUZZ_CHECK(oci_summary_fill(&s, d) == 0);
                FUZZ_CHECK(s.failed == d->failed && s.type == type);
                for (size_t i = 0; s.handoff && i < s.handoff->items.n; i++)
                        FUZZ_CHECK(s.handoff->items.items[i].loc.file == s.path);
                oci_summary_report_handoff(&s, &sink);
                oci_summary_done(&s);
        }
        free(known);
        free(store);
        free(refs);
        /* errors are counted: a failure with no error message would leave the user guessing */
        if (r == -EINVAL)
                FUZZ_CHECK(sink.n_errors > 0);
        oci_definition_free(d);
        oci_definition_free(own_defaults);
        return 0;
}
