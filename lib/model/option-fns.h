/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The functions the option table names where code renders a key (RF(fn, "flag") in option-list.h),
 * all of the one prototype OciRenderFn. The table only names them: each is defined in lib/backend,
 * in the file its name says, and is called by the renderer there (oci_render_rows()), never looked
 * up by a key elsewhere. */

#include "options.h"

#define OCI_RENDER_FN_DECLARE(fn)                                                                             \
        int fn(const struct OciDefinition *d, OciOptionId id, const struct OciItems *items, OciBackendId b, \
               struct OciRenderOut *out)

/* keys.c: the container keys podman and docker render alike */
OCI_RENDER_FN_DECLARE(oci_key_global_args);
OCI_RENDER_FN_DECLARE(oci_key_module);
OCI_RENDER_FN_DECLARE(oci_key_image);
OCI_RENDER_FN_DECLARE(oci_key_exec);
OCI_RENDER_FN_DECLARE(oci_key_log);
OCI_RENDER_FN_DECLARE(oci_key_user);
OCI_RENDER_FN_DECLARE(oci_key_host_environment);
OCI_RENDER_FN_DECLARE(oci_key_network);
OCI_RENDER_FN_DECLARE(oci_key_volatile_tmp);
OCI_RENDER_FN_DECLARE(oci_key_reload);
OCI_RENDER_FN_DECLARE(oci_key_image_load);
OCI_RENDER_FN_DECLARE(oci_key_run_as);
/* resources.c: networks and volumes */
OCI_RENDER_FN_DECLARE(oci_key_subnet);
OCI_RENDER_FN_DECLARE(oci_key_network_delete);
OCI_RENDER_FN_DECLARE(oci_key_volume_options);
/* fetch.c: pulls and builds */
OCI_RENDER_FN_DECLARE(oci_key_pull_image);
OCI_RENDER_FN_DECLARE(oci_key_build_context);
/* podman.c, podman-kube.c */
OCI_RENDER_FN_DECLARE(oci_podman_key_run_options);
OCI_RENDER_FN_DECLARE(oci_podman_key_run_as);
OCI_RENDER_FN_DECLARE(oci_podman_key_remap);
OCI_RENDER_FN_DECLARE(oci_podman_key_pod);
OCI_RENDER_FN_DECLARE(oci_podman_key_exit_policy);
OCI_RENDER_FN_DECLARE(oci_podman_key_pod_stop);
OCI_RENDER_FN_DECLARE(oci_podman_key_yaml);
OCI_RENDER_FN_DECLARE(oci_podman_key_kube_auto_update);
OCI_RENDER_FN_DECLARE(oci_podman_key_kube_down);
OCI_RENDER_FN_DECLARE(oci_podman_key_kube_workdir);
/* docker.c, docker-image.c */
OCI_RENDER_FN_DECLARE(oci_docker_key_name);
OCI_RENDER_FN_DECLARE(oci_docker_key_notify);
OCI_RENDER_FN_DECLARE(oci_docker_key_pull);
OCI_RENDER_FN_DECLARE(oci_docker_key_pod);
OCI_RENDER_FN_DECLARE(oci_docker_key_platform);
OCI_RENDER_FN_DECLARE(oci_docker_key_build_pull);
/* nspawn.c */
OCI_RENDER_FN_DECLARE(oci_nspawn_key_machine);
OCI_RENDER_FN_DECLARE(oci_nspawn_key_boot);
OCI_RENDER_FN_DECLARE(oci_nspawn_key_exec);
OCI_RENDER_FN_DECLARE(oci_nspawn_key_network);
OCI_RENDER_FN_DECLARE(oci_nspawn_key_port);
OCI_RENDER_FN_DECLARE(oci_nspawn_key_volume);
OCI_RENDER_FN_DECLARE(oci_nspawn_key_device);
OCI_RENDER_FN_DECLARE(oci_nspawn_key_caps);
OCI_RENDER_FN_DECLARE(oci_nspawn_key_addresses);
OCI_RENDER_FN_DECLARE(oci_nspawn_key_start_timeout);
