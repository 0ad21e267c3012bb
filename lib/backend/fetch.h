/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What the services of .image, .build, .kube and .artifact definitions share, whatever the engine:
 * the [Service] lines Quadlet gives them unless the definition's own [Service] sets the key, the
 * service's working directory, and where a build takes its context from. */

#include "render.h"

/* A oneshot: SyslogIdentifier=%N, Type=oneshot and, with remain, RemainAfterExit=yes (a [Service]
 * line of the definition replaces each, as every single-valued key: render.c). */
int oci_render_oneshot(const OciDefinition *d, OciUnitFile *u, bool remain);

/* Quadlet's test of a build context or Containerfile that the engine fetches itself. */
bool oci_build_is_url(const char *s);

/* Where a .build takes its context from (SetWorkingDirectory=, File=, [Service] WorkingDirectory=),
 * the words in specifier form. */
typedef struct OciBuildContext {
        char *workdir;       /* the WorkingDirectory= the service gets; NULL: none of ours */
        const char *own;     /* [Service]'s own WorkingDirectory=, if it sets one */
        char *context;       /* the build's last argument: a directory or URL; NULL: none */
        /* what is missing, for the check: no context at all, or a relative File= without one */
        enum { OCI_BUILD_OK, OCI_BUILD_NO_CONTEXT, OCI_BUILD_RELATIVE_FILE, OCI_BUILD_FILE_NEEDED } problem;
} OciBuildContext;
/* Fill c for a build definition (checked values). Returns 0 or -ENOMEM. */
int oci_build_context(const OciDefinition *d, OciBuildContext *c);
void oci_build_context_done(OciBuildContext *c);

/* The directory [Kube] SetWorkingDirectory= gives the service, in specifier form, in *ret; NULL when
 * none (not set, or [Service] sets its own). Returns 0 or -ENOMEM. */
int oci_kube_workdir(const OciDefinition *d, char **ret);

/* The render functions of the engines, for their tables. */
int oci_podman_render_image(const OciDefinition *d, const OciRenderContext *ctx, OciRenderOut *rows, OciUnitFile *u);
int oci_podman_render_artifact(const OciDefinition *d, const OciRenderContext *ctx, OciRenderOut *rows, OciUnitFile *u);
int oci_podman_render_build(const OciDefinition *d, const OciRenderContext *ctx, OciRenderOut *rows, OciUnitFile *u);
int oci_podman_render_kube(const OciDefinition *d, const OciRenderContext *ctx, OciRenderOut *rows, OciUnitFile *u);
int oci_docker_render_image(const OciDefinition *d, const OciRenderContext *ctx, OciRenderOut *rows, OciUnitFile *u);
int oci_docker_render_build(const OciDefinition *d, const OciRenderContext *ctx, OciRenderOut *rows, OciUnitFile *u);
/* docker's own rules for .image and .build definitions. */
int oci_docker_validate_image(const OciDefinition *d, OciDiagSink *sink);
