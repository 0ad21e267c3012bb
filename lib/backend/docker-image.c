/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* docker's .image and .build services: "docker pull" and "docker build" as oneshots, after the
 * docker daemon, with the keys docker has flags for. */
#include <assert.h>

#include "fetch.h"

static const OciBackendId B = OCI_BACKEND_DOCKER;

static const char *flag(OciOptionId id) {
        return oci_option_render(id, B)->flag;
}

/* podman's transports other than a registry's: docker pulls from registries only. */
static const char *transport_of(const char *image) {
        static const char *const transports[] = { "containers-storage:", "dir:", "docker-archive:", "docker-daemon:", "oci:",
                                                  "oci-archive:", "ostree:", "sif:", "tarball:" };
        for (size_t i = 0; i < ELEMENTSOF(transports); i++)
                if (startswith(image, transports[i]))
                        return transports[i];
        return NULL;
}

int oci_docker_validate_image(const OciDefinition *d, OciDiagSink *sink) {
        assert(d && sink);
        int ret = 0;
        const char *image = oci_value_str(d, OCI_OPT_PULL_IMAGE);
        const char *transport = image ? transport_of(image) : NULL;
        if (transport)
                RET_GATHER(ret, oci_key_diag(sink, LOG_ERR, d, OCI_OPT_PULL_IMAGE, "%s: docker pulls from registries only, not from "
                                             "%.*s; load an archive with ImageFile= in a .container instead", image,
                                             (int) strlen(transport) - 1, transport));
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

/* --platform=OS/ARCH[/VARIANT], for the pull or the build */
static int platform_argv(const OciDefinition *d, char ***argv) {
        const char *arch = oci_value_str(d, OCI_OPT_ARCH), *os = oci_value_str(d, OCI_OPT_OS),
                   *variant = oci_value_str(d, OCI_OPT_VARIANT);
        if (!arch)
                return 0;
        return strv_extendf(argv, "%s=%s/%s%s%s", flag(OCI_OPT_ARCH), os ? os : "linux", arch, variant ? "/" : "",
                            variant ? variant : "");
}

/* the daemon runs before, and while, the command does */
static int docker_unit(const OciDefinition *d, OciUnitFile *u, char *const *argv, bool remain) {
        int r = oci_unit_add(u, OCI_UNIT_SECTION_UNIT, "Requires", "docker.service");
        if (r >= 0)
                r = oci_unit_add(u, OCI_UNIT_SECTION_UNIT, "After", "docker.service docker.socket");
        if (r >= 0)
                r = oci_unit_add_exec(u, "ExecStart", "", argv);
        if (r >= 0)
                r = oci_render_oneshot(d, u, remain);
        return r;
}

int oci_docker_render_image(const OciDefinition *d, const OciRenderContext *ctx, OciUnitFile *u) {
        assert(d && ctx && u);
        _cleanup_strv_free_ char **argv = NULL;
        const char *image = oci_value_str(d, OCI_OPT_PULL_IMAGE);
        const char *plain = startswith(image, "docker://");
        if (oci_render_engine_argv(d, ctx, &argv) < 0 || strv_extend(&argv, "pull") < 0 || oci_render_table_flags(d, B, &argv) < 0 ||
            platform_argv(d, &argv) < 0 || strv_extend(&argv, plain ? plain : image) < 0)
                return -ENOMEM;
        return docker_unit(d, u, argv, true);
}

int oci_docker_render_build(const OciDefinition *d, const OciRenderContext *ctx, OciUnitFile *u) {
        assert(d && ctx && u);
        _cleanup_(oci_build_context_done) OciBuildContext c = {};
        _cleanup_strv_free_ char **argv = NULL;
        const char *pull = oci_value_str(d, OCI_OPT_BUILD_PULL);
        if (oci_build_context(d, &c) < 0 || oci_render_engine_argv(d, ctx, &argv) < 0 || strv_extend(&argv, "build") < 0 ||
            oci_render_table_flags(d, B, &argv) < 0 || oci_render_flag_items(d, OCI_OPT_NETWORK, B, &argv) < 0 ||
            platform_argv(d, &argv) < 0 || (streq_ptr(pull, "always") && strv_extend(&argv, flag(OCI_OPT_BUILD_PULL)) < 0))
                return -ENOMEM;
        /* the validation made sure there is a context, or a working directory to be it */
        const char *context = c.context ? c.context : c.own ? c.own : c.workdir;
        if (strv_extend(&argv, context ? context : ".") < 0)
                return -ENOMEM;
        int r = c.workdir ? oci_unit_add(u, OCI_UNIT_SECTION_SERVICE, "WorkingDirectory", c.workdir) : 0;
        return r < 0 ? r : docker_unit(d, u, argv, false);
}
