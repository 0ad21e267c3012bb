/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* podman's .image and .artifact services: a oneshot that pulls, and stays active so that what
 * requires it starts after the pull. */
#include <assert.h>

#include "fetch.h"

/* podman [--module] [GlobalArgs] OBJECT pull [the section's flags] [PodmanArgs] NAME */
static int render_pull(const OciDefinition *d, const OciRenderContext *ctx, OciRenderOut *rows, OciUnitFile *u, const char *object) {
        const char *podman = oci_render_binary(rows, OCI_OPT_PODMAN_PATH);
        OciArgv argv = oci_argv_new(rows);
        const char *verb[] = { object, "pull" };
        if (!podman || oci_render_command(rows, podman, verb, ELEMENTSOF(verb), &argv) < 0)
                return -ENOMEM;
        /* podman keeps its storage's locks there */
        int r = oci_unit_add_literal(u, OCI_UNIT_SECTION_UNIT, "RequiresMountsFor=%t/containers");
        if (r >= 0)
                r = oci_unit_add_exec(u, "ExecStart", "", argv.words);
        if (r >= 0)
                r = oci_render_oneshot(d, u, true);
        return r;
}

int oci_podman_render_image(const OciDefinition *d, const OciRenderContext *ctx, OciRenderOut *rows, OciUnitFile *u) {
        assert(d && ctx && rows && u);
        return render_pull(d, ctx, rows, u, "image");
}

int oci_podman_render_artifact(const OciDefinition *d, const OciRenderContext *ctx, OciRenderOut *rows, OciUnitFile *u) {
        assert(d && ctx && rows && u);
        return render_pull(d, ctx, rows, u, "artifact");
}
