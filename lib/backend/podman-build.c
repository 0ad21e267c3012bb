/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* podman's .build service: a oneshot "podman build" that tags the image, run again at each start
 * (its layer cache makes a build of what did not change quick). */
#include <assert.h>

#include "fetch.h"

int oci_podman_render_build(const OciDefinition *d, const OciRenderContext *ctx, OciRenderOut *rows, OciUnitFile *u) {
        assert(d && ctx && rows && u);
        const char *podman = oci_render_binary(rows, OCI_OPT_PODMAN_PATH);
        OciArgv argv = oci_argv_new(rows);
        static const char *const verb[] = { "build" };
        if (!podman || oci_render_command(rows, podman, verb, ELEMENTSOF(verb), &argv) < 0)
                return -ENOMEM;
        int r = oci_unit_add_literal(u, OCI_UNIT_SECTION_UNIT, "RequiresMountsFor=%t/containers");
        if (r >= 0)
                r = oci_render_prestart(d, argv.words[0], NULL, u);
        if (r >= 0)
                r = oci_unit_add_exec(u, "ExecStart", "", argv.words);
        /* not RemainAfterExit=: each start builds again */
        if (r >= 0)
                r = oci_render_oneshot(d, u, false);
        return r;
}
