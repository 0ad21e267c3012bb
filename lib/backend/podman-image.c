/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* podman's .image and .artifact services: a oneshot that pulls, and stays active so that what
 * requires it starts after the pull. */
#include <assert.h>

#include "fetch.h"

static const OciBackendId B = OCI_BACKEND_PODMAN;

/* podman [--module] [GlobalArgs] VERB... [the section's flags] [PodmanArgs] NAME */
static int render_pull(const OciDefinition *d, const OciRenderContext *ctx, OciUnitFile *u, const char *object, OciOptionId name) {
        _cleanup_strv_free_ char **argv = NULL;
        if (oci_render_engine_argv(d, ctx, &argv) < 0 || strv_extend(&argv, object) < 0 || strv_extend(&argv, "pull") < 0 ||
            oci_render_table_flags(d, B, &argv) < 0 || oci_render_table_args(d, B, &argv) < 0 ||
            strv_extend(&argv, oci_value_str(d, name)) < 0)
                return -ENOMEM;
        /* podman keeps its storage's locks there */
        int r = oci_unit_add(u, OCI_UNIT_SECTION_UNIT, "RequiresMountsFor", "%t/containers");
        if (r >= 0)
                r = oci_unit_add_exec(u, "ExecStart", "", argv);
        if (r >= 0)
                r = oci_render_oneshot(d, u, true);
        return r;
}

int oci_podman_render_image(const OciDefinition *d, const OciRenderContext *ctx, OciUnitFile *u) {
        assert(d && ctx && u);
        return render_pull(d, ctx, u, "image", OCI_OPT_PULL_IMAGE);
}

int oci_podman_render_artifact(const OciDefinition *d, const OciRenderContext *ctx, OciUnitFile *u) {
        assert(d && ctx && u);
        return render_pull(d, ctx, u, "artifact", OCI_OPT_ARTIFACT);
}
