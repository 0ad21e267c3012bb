/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What the files of oci_render() share. */

#include "render.h"

/* [Install] lines and links of a checked definition. */
int oci_render_install(const OciDefinition *d, const OciRenderContext *ctx, const OciBackend *be, OciUnitFile *u);
/* Who runs the engine (RunAs=): the service's User=, Group= and HOME, from d->run_as. */
int oci_render_run_as(const OciDefinition *d, OciUnitFile *u);
