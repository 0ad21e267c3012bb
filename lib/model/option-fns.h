/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The functions the option table names where code renders a key (RF(fn, "flag") in option-list.h).
 * No include guard: an X-macro list. The table holds only their identifiers (OCI_FN_fn, options.h),
 * so that lib/model needs nothing of lib/backend; each is defined in lib/backend, in the file its
 * name says, of the one prototype OciRenderFn, and called by the renderer there
 * (oci_render_rows(), through oci_render_fns[]), never looked up by a key elsewhere. */

/* keys.c: the container keys podman and docker render alike */
OCI_RENDER_FN(oci_key_global_args)
OCI_RENDER_FN(oci_key_module)
OCI_RENDER_FN(oci_key_image)
OCI_RENDER_FN(oci_key_exec)
OCI_RENDER_FN(oci_key_log)
OCI_RENDER_FN(oci_key_user)
OCI_RENDER_FN(oci_key_host_environment)
OCI_RENDER_FN(oci_key_network)
OCI_RENDER_FN(oci_key_volatile_tmp)
OCI_RENDER_FN(oci_key_reload)
OCI_RENDER_FN(oci_key_image_load)
OCI_RENDER_FN(oci_key_run_as)
/* resources.c: networks and volumes */
OCI_RENDER_FN(oci_key_subnet)
OCI_RENDER_FN(oci_key_network_delete)
OCI_RENDER_FN(oci_key_volume_options)
/* fetch.c: pulls and builds */
OCI_RENDER_FN(oci_key_pull_image)
OCI_RENDER_FN(oci_key_build_context)
/* podman.c, podman-kube.c */
OCI_RENDER_FN(oci_podman_key_run_options)
OCI_RENDER_FN(oci_podman_key_run_as)
OCI_RENDER_FN(oci_podman_key_remap)
OCI_RENDER_FN(oci_podman_key_pod)
OCI_RENDER_FN(oci_podman_key_exit_policy)
OCI_RENDER_FN(oci_podman_key_pod_stop)
OCI_RENDER_FN(oci_podman_key_yaml)
OCI_RENDER_FN(oci_podman_key_kube_auto_update)
OCI_RENDER_FN(oci_podman_key_kube_down)
OCI_RENDER_FN(oci_podman_key_kube_workdir)
/* docker.c, docker-image.c */
OCI_RENDER_FN(oci_docker_key_name)
OCI_RENDER_FN(oci_docker_key_notify)
OCI_RENDER_FN(oci_docker_key_pull)
OCI_RENDER_FN(oci_docker_key_pod)
OCI_RENDER_FN(oci_docker_key_platform)
OCI_RENDER_FN(oci_docker_key_build_pull)
/* nspawn.c */
OCI_RENDER_FN(oci_nspawn_key_machine)
OCI_RENDER_FN(oci_nspawn_key_boot)
OCI_RENDER_FN(oci_nspawn_key_exec)
OCI_RENDER_FN(oci_nspawn_key_network)
OCI_RENDER_FN(oci_nspawn_key_port)
OCI_RENDER_FN(oci_nspawn_key_volume)
OCI_RENDER_FN(oci_nspawn_key_device)
OCI_RENDER_FN(oci_nspawn_key_caps)
OCI_RENDER_FN(oci_nspawn_key_addresses)
OCI_RENDER_FN(oci_nspawn_key_veth_extra)
OCI_RENDER_FN(oci_nspawn_key_start_timeout)
