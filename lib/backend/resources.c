/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* .network and .volume definitions: a oneshot service that makes the object before the containers
 * that name it start, and keeps it (RemainAfterExit=yes) while they run. */
#include "escape.h"
#include "render.h"

#define SHELL "/bin/sh"

static const char *flag(OciOptionId id, OciBackendId b) {
        return oci_option_render(id, b)->flag;
}

static int add_flag_items(const OciDefinition *d, OciBackendId b, OciOptionId id, char ***argv) {
        for (char *const *it = oci_value_items(d, id); *it; it++)
                if (strv_extendf(argv, "%s=%s", flag(id, b), *it) < 0)
                        return -ENOMEM;
        return 0;
}

/* The options of "network create", podman's and docker's alike where they share them. */
static int network_args(const OciDefinition *d, OciBackendId b, char ***argv) {
        if (oci_render_table_flags(d, b, argv) < 0)
                return -ENOMEM;
        /* each gateway and range belongs to the subnet in its place */
        char *const *subnets = oci_value_items(d, OCI_OPT_SUBNET), *const *gateways = oci_value_items(d, OCI_OPT_GATEWAY),
                    *const *ranges = oci_value_items(d, OCI_OPT_IP_RANGE);
        size_t ng = strv_length(gateways), nr = strv_length(ranges);
        for (size_t i = 0; subnets[i]; i++)
                if (strv_extendf(argv, "%s=%s", flag(OCI_OPT_SUBNET, b), subnets[i]) < 0 ||
                    (i < ng && strv_extendf(argv, "%s=%s", flag(OCI_OPT_GATEWAY, b), gateways[i]) < 0) ||
                    (i < nr && strv_extendf(argv, "%s=%s", flag(OCI_OPT_IP_RANGE, b), ranges[i]) < 0))
                        return -ENOMEM;
        if (add_flag_items(d, b, OCI_OPT_OPTIONS, argv) < 0 || oci_render_table_args(d, b, argv) < 0)
                return -ENOMEM;
        return 0;
}

static int volume_args(const OciDefinition *d, OciBackendId b, char ***argv) {
        if (oci_render_table_flags(d, b, argv) < 0)
                return -ENOMEM;
        const char *type = oci_value_str(d, OCI_OPT_TYPE), *device = oci_value_str(d, OCI_OPT_DEVICE);
        if ((type && strv_extendf(argv, "%s%s", flag(OCI_OPT_TYPE, b), type) < 0) ||
            (device && strv_extendf(argv, "%s%s", flag(OCI_OPT_DEVICE, b), device) < 0))
                return -ENOMEM;
        /* o=: the mount options, and the owner of the volume's root */
        _cleanup_strv_free_ char **o = NULL;
        if (strv_extend_strv(&o, d->values[OCI_OPT_OPTIONS].items) < 0)
                return -ENOMEM;
        const char *user = oci_value_str(d, OCI_OPT_VOLUME_USER), *group = oci_value_str(d, OCI_OPT_VOLUME_GROUP);
        if ((user && strv_extendf(&o, "%s%s", flag(OCI_OPT_VOLUME_USER, b), user) < 0) ||
            (group && strv_extendf(&o, "%s%s", flag(OCI_OPT_VOLUME_GROUP, b), group) < 0))
                return -ENOMEM;
        if (o) {
                _cleanup_free_ char *joined = strv_join(o, ",");
                if (!joined || strv_extendf(argv, "%s=o=%s", flag(OCI_OPT_OPTIONS, b), joined) < 0)
                        return -ENOMEM;
        }
        const char *image = oci_value_str(d, OCI_OPT_VOLUME_IMAGE);
        if (image && strv_extendf(argv, "%s=%s%s", flag(OCI_OPT_OPTIONS, b), flag(OCI_OPT_VOLUME_IMAGE, b), image) < 0)
                return -ENOMEM;
        int copy = oci_value_bool(d, OCI_OPT_COPY);
        if (copy >= 0 && strv_extendf(argv, "%s=%s", flag(OCI_OPT_COPY, b), copy ? "copy" : "nocopy") < 0)
                return -ENOMEM;
        return oci_render_table_args(d, b, argv);
}

int oci_render_resource(const OciDefinition *d, const OciRenderContext *ctx, const OciBackend *be, OciUnitFile *u) {
        /* a docker pod is a bridge network its members join */
        bool network = d->type == OCI_UNIT_NETWORK || d->type == OCI_UNIT_POD;
        const char *object = network ? "network" : "volume";
        _cleanup_free_ char *engine = oci_render_binary(ctx, be->binary);
        _cleanup_free_ char *name = oci_specifier_escape(d->resource);
        _cleanup_strv_free_ char **args = NULL, **create = NULL, **remove = NULL;
        if (!engine || !name)
                return -ENOMEM;
        if (d->type == OCI_UNIT_POD) {
                if (add_flag_items(d, be->id, OCI_OPT_LABEL, &args) < 0)
                        return -ENOMEM;
        } else if ((network ? network_args(d, be->id, &args) : volume_args(d, be->id, &args)) < 0)
                return -ENOMEM;

        if (be->id == OCI_BACKEND_DOCKER && !network) {
                /* docker's "volume create" is idempotent */
                if (strv_extend(&create, engine) < 0 || strv_extend(&create, object) < 0 || strv_extend(&create, "create") < 0 ||
                    strv_extend_strv(&create, args) < 0 || strv_extend(&create, name) < 0)
                        return -ENOMEM;
        } else {
                /* made only if the engine does not have it: docker's network create fails on an
                 * existing one, and podman 4.3 has no --ignore. The name and every option reach the
                 * script as arguments, never in its text. */
                if (strv_extend(&create, SHELL) < 0 || strv_extend(&create, "-c") < 0 ||
                    strv_extendf(&create, "\"$0\" %s inspect \"$1\" >/dev/null 2>&1 && exit 0; "
                                          "e=\"$0\" n=\"$1\"; shift; exec \"$e\" %s create \"$@\" \"$n\"", object, object) < 0 ||
                    strv_extend(&create, engine) < 0 || strv_extend(&create, name) < 0 || strv_extend_strv(&create, args) < 0)
                        return -ENOMEM;
        }
        if (strv_extend(&remove, engine) < 0)
                return -ENOMEM;
        int r = oci_unit_add(u, OCI_UNIT_SECTION_SERVICE, "Type", "oneshot");
        if (r >= 0)
                r = oci_unit_add(u, OCI_UNIT_SECTION_SERVICE, "RemainAfterExit", "yes");
        if (r >= 0)
                r = oci_unit_add(u, OCI_UNIT_SECTION_SERVICE, "SyslogIdentifier", "%N");
        if (r >= 0 && be->id == OCI_BACKEND_DOCKER)
                r = oci_unit_add(u, OCI_UNIT_SECTION_UNIT, "Requires", "docker.service");
        if (r >= 0 && be->id == OCI_BACKEND_DOCKER)
                r = oci_unit_add(u, OCI_UNIT_SECTION_UNIT, "After", "docker.service docker.socket");
        if (r >= 0)
                r = oci_unit_add_exec(u, "ExecStart", "", create);
        if (r >= 0 && network && oci_value_bool(d, OCI_OPT_NETWORK_DELETE_ON_STOP) > 0) {
                if (strv_extend(&remove, "network") < 0 || strv_extend(&remove, "rm") < 0 || strv_extend(&remove, name) < 0)
                        return -ENOMEM;
                r = oci_unit_add_exec(u, "ExecStopPost", "-", remove);
        }
        return r;
}
