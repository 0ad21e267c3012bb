/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* docker's .image and .build services: "docker pull" and "docker build" as oneshots, after the
 * docker daemon, with the keys docker has flags for. */
#include <assert.h>

#include "fetch.h"

static const OciBackendId B = OCI_BACKEND_DOCKER;

static const char *flag(OciOptionId id) {
        return oci_str(oci_option_render(id, B)->flag);
}

int oci_docker_validate_image(const OciDefinition *d, OciDiagSink *sink) {
        assert(d && sink);
        int ret = 0;
        /* podman's transports other than a registry's: docker pulls from registries only */
        OCI_FOREACH_ITEM(it, d, OCI_OPT_PULL_IMAGE)
                if (it->image.transport > OCI_TRANSPORT_DOCKER)
                        RET_GATHER(ret, oci_key_diag(sink, LOG_ERR, d, OCI_OPT_PULL_IMAGE, "%s: docker pulls from registries only, not "
                                                     "from %s; load an archive with ImageFile= in a .container instead", it->text,
                                                     oci_image_transport_to_string(it->image.transport)));
        /* --platform=OS/ARCH[/VARIANT] needs the architecture */
        static const OciOptionId needs_arch[] = { OCI_OPT_OS, OCI_OPT_VARIANT };
        for (size_t i = 0; i < ELEMENTSOF(needs_arch); i++)
                if (d->values[needs_arch[i]].n_entries && !d->values[OCI_OPT_ARCH].n_entries)
                        RET_GATHER(ret, oci_key_diag(sink, LOG_ERR, d, needs_arch[i], " with Backend=docker needs Arch= too: docker takes "
                                                     "them together as --platform=OS/ARCH[/VARIANT]"));
        if (d->type != OCI_UNIT_BUILD)
                return ret;
        if (streq_ptr(oci_value_str(d, OCI_OPT_BUILD_PULL), "never") || streq_ptr(oci_value_str(d, OCI_OPT_BUILD_PULL), "newer"))
                RET_GATHER(ret, oci_key_diag(sink, LOG_ERR, d, OCI_OPT_BUILD_PULL, "%s is not supported with Backend=docker: docker "
                                             "builds with always (--pull) or missing", oci_value_str(d, OCI_OPT_BUILD_PULL)));
        if (d->values[OCI_OPT_VOLUME].n_entries)
                RET_GATHER(ret, oci_key_diag(sink, LOG_ERR, d, OCI_OPT_VOLUME, " in a .build is not supported with Backend=docker: "
                                             "docker build mounts no volumes"));
        _cleanup_(oci_build_context_done) OciBuildContext c = {};
        if (oci_build_context(d, &c) < 0)
                return -ENOMEM;
        /* "podman build --file /abs/Containerfile" builds in its working directory; docker needs
         * a context, and the service's working directory is "/" unless something sets it */
        if (!c.problem && !c.context && !c.workdir && !c.own)
                RET_GATHER(ret, oci_key_diag(sink, LOG_ERR, d, OCI_OPT_FILE, "%s: with Backend=docker the build needs a context "
                                             "directory too: set SetWorkingDirectory= (file: the Containerfile's directory)",
                                             oci_value_str(d, OCI_OPT_FILE)));
        return ret;
}

/* Arch=, OS= and Variant=: one --platform=OS/ARCH[/VARIANT], for the pull or the build */
int oci_docker_key_platform(const OciDefinition *d, OciOptionId id, const OciItems *items, OciBackendId b, OciRenderOut *out) {
        const char *arch = oci_value_str(d, OCI_OPT_ARCH), *os = oci_value_str(d, OCI_OPT_OS),
                   *variant = oci_value_str(d, OCI_OPT_VARIANT);
        if (!arch)
                return 0;
        return oci_argv_addf(&out->argv[OCI_ARGV_LATE_3], "%s=%s/%s%s%s", flag(OCI_OPT_ARCH), os ? os : "linux", arch, variant ? "/" : "",
                            variant ? variant : "");
}

/* [Build] Pull=: docker builds with always (--pull) or missing, its default */
int oci_docker_key_build_pull(const OciDefinition *d, OciOptionId id, const OciItems *items, OciBackendId b, OciRenderOut *out) {
        return streq_ptr(oci_value_str(d, id), "always") ? oci_argv_add(&out->argv[OCI_ARGV_LATE_3], flag(id)) : 0;
}

/* the daemon runs before, and while, the command does */
static int docker_unit(const OciDefinition *d, OciUnitFile *u, char *const *argv, bool remain) {
        int r = oci_unit_add_literal(u, OCI_UNIT_SECTION_UNIT, "Requires=docker.service");
        if (r >= 0)
                r = oci_unit_add_literal(u, OCI_UNIT_SECTION_UNIT, "After=docker.service docker.socket");
        if (r >= 0)
                r = oci_unit_add_exec(u, "ExecStart", "", argv);
        if (r >= 0)
                r = oci_render_oneshot(d, u, remain);
        return r;
}

/* docker [GlobalArgs] VERB [the section's flags] [--platform, --pull] NAME or CONTEXT */
static int render_verb(const OciRenderContext *ctx, OciRenderOut *rows, const char *verb, OciArgv *argv) {
        const char *docker = oci_render_binary(rows, OCI_OPT_DOCKER_PATH);
        return docker ? oci_render_command(rows, docker, &verb, 1, argv) : -ENOMEM;
}

int oci_docker_render_image(const OciDefinition *d, const OciRenderContext *ctx, OciRenderOut *rows, OciUnitFile *u) {
        assert(d && ctx && rows && u);
        OciArgv argv = oci_argv_new(rows);
        if (render_verb(ctx, rows, "pull", &argv) < 0)
                return -ENOMEM;
        return docker_unit(d, u, argv.words, true);
}

int oci_docker_render_build(const OciDefinition *d, const OciRenderContext *ctx, OciRenderOut *rows, OciUnitFile *u) {
        assert(d && ctx && rows && u);
        OciArgv argv = oci_argv_new(rows);
        if (render_verb(ctx, rows, "build", &argv) < 0)
                return -ENOMEM;
        return docker_unit(d, u, argv.words, false);
}
