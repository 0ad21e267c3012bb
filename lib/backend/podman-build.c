/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* podman's .build service: a oneshot "podman build" that tags the image, run again at each start
 * (its layer cache makes a build of what did not change quick). */
#include <assert.h>

#include "fetch.h"

static const OciBackendId B = OCI_BACKEND_PODMAN;

int oci_podman_render_build(const OciDefinition *d, const OciRenderContext *ctx, OciUnitFile *u) {
        assert(d && ctx && u);
        _cleanup_(oci_build_context_done) OciBuildContext c = {};
        _cleanup_strv_free_ char **argv = NULL;
        if (oci_build_context(d, &c) < 0 || oci_render_engine_argv(d, ctx, &argv) < 0 || strv_extend(&argv, "build") < 0 ||
            oci_render_table_flags(d, B, &argv) < 0 || oci_render_flag_items(d, OCI_OPT_NETWORK, B, &argv) < 0 ||
            oci_render_table_args(d, B, &argv) < 0 || (c.context && strv_extend(&argv, c.context) < 0))
                return -ENOMEM;
        int r = oci_unit_add(u, OCI_UNIT_SECTION_UNIT, "RequiresMountsFor", "%t/containers");
        if (r >= 0 && c.workdir)
                r = oci_unit_add(u, OCI_UNIT_SECTION_SERVICE, "WorkingDirectory", c.workdir);
        if (r >= 0)
                r = oci_render_prestart(d, argv[0], u);
        if (r >= 0)
                r = oci_unit_add_exec(u, "ExecStart", "", argv);
        /* not RemainAfterExit=: each start builds again */
        if (r >= 0)
                r = oci_render_oneshot(d, u, false);
        return r;
}
