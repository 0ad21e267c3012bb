/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* .network and .volume definitions: a oneshot service that makes the object before the containers
 * that name it start, and keeps it (RemainAfterExit=yes) while they run. podman and docker share
 * it; docker's pods, which are networks, too. */
#include <assert.h>

#include "escape.h"
#include "render.h"

#define SHELL "/bin/sh"

static const char *flag(OciOptionId id, OciBackendId b) {
        return oci_option_render(id, b)->flag;
}


/* The options of "network create", podman's and docker's alike where they share them. */
static int network_args(const OciDefinition *d, OciBackendId b, char ***argv) {
        if (oci_render_table_flags(d, b, argv) < 0)
                return -ENOMEM;
        /* each gateway and range belongs to the subnet in its place */
        const OciItems *subnets = &d->values[OCI_OPT_SUBNET].items, *gateways = &d->values[OCI_OPT_GATEWAY].items,
                       *ranges = &d->values[OCI_OPT_IP_RANGE].items;
        for (size_t i = 0; i < subnets->n; i++)
                if (strv_extendf(argv, "%s=%s", flag(OCI_OPT_SUBNET, b), subnets->items[i].text) < 0 ||
                    (i < gateways->n && strv_extendf(argv, "%s=%s", flag(OCI_OPT_GATEWAY, b), gateways->items[i].text) < 0) ||
                    (i < ranges->n && strv_extendf(argv, "%s=%s", flag(OCI_OPT_IP_RANGE, b), ranges->items[i].text) < 0))
                        return -ENOMEM;
        if (oci_render_flag_items(d, OCI_OPT_OPTIONS, b, argv) < 0 || oci_render_table_args(d, b, argv) < 0)
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
        if (oci_value_extend_words(d, OCI_OPT_OPTIONS, &o) < 0)
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

int oci_render_object(const OciDefinition *d, const OciRenderContext *ctx, const char *object, char *const *args, OciUnitFile *u) {
        assert(d && ctx && object && u);
        const OciBackend *be = oci_backend_get(d->backend);
        bool network = streq(object, "network");
        _cleanup_free_ char *engine = oci_render_binary(ctx, be->binary);
        _cleanup_free_ char *name = oci_specifier_escape(d->resource);
        _cleanup_strv_free_ char **create = NULL, **remove = NULL;
        if (!engine || !name)
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
                    /* in unit form: "$$e" is the script's $e, not a variable of the service */
                    strv_extendf(&create, "\"$0\" %s inspect \"$1\" >/dev/null 2>&1 && exit 0; "
                                          "e=\"$0\" n=\"$1\"; shift; exec \"$$e\" %s create \"$@\" \"$$n\"", object, object) < 0 ||
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

int oci_render_network(const OciDefinition *d, const OciRenderContext *ctx, OciUnitFile *u) {
        assert(d && ctx && u);
        _cleanup_strv_free_ char **args = NULL;
        if (network_args(d, d->backend, &args) < 0)
                return -ENOMEM;
        return oci_render_object(d, ctx, "network", args, u);
}

int oci_render_volume(const OciDefinition *d, const OciRenderContext *ctx, OciUnitFile *u) {
        assert(d && ctx && u);
        _cleanup_strv_free_ char **args = NULL;
        if (volume_args(d, d->backend, &args) < 0)
                return -ENOMEM;
        return oci_render_object(d, ctx, "volume", args, u);
}
