/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* .network and .volume definitions: a oneshot service that makes the object before the containers
 * that name it start, and keeps it (RemainAfterExit=yes) while they run. podman and docker share
 * it; docker's pods, which are networks, too. */
#include <assert.h>

#include "escape.h"
#include "render.h"

#define SHELL "/bin/sh"

static const char *flag(OciOptionId id, OciBackendId b) {
        return oci_str(oci_option_render(id, b)->flag);
}

/* Subnet=, Gateway= and IPRange=: each gateway and range belongs to the subnet in its place, each
 * "--flag" "value" as Quadlet writes a network's options */
int oci_key_subnet(const OciDefinition *d, OciOptionId id, const OciItems *items, OciBackendId b, OciRenderOut *out) {
        OciArgv *argv = &out->argv[OCI_ARGV_LATE_2];
        const OciItems *subnets = &d->values[OCI_OPT_SUBNET].items, *gateways = &d->values[OCI_OPT_GATEWAY].items,
                       *ranges = &d->values[OCI_OPT_IP_RANGE].items;
        for (size_t i = 0; i < subnets->n; i++)
                if (oci_argv_add(argv, flag(OCI_OPT_SUBNET, b)) < 0 || oci_argv_add(argv, subnets->items[i].text) < 0 ||
                    (i < gateways->n && (oci_argv_add(argv, flag(OCI_OPT_GATEWAY, b)) < 0 || oci_argv_add(argv, gateways->items[i].text) < 0)) ||
                    (i < ranges->n && (oci_argv_add(argv, flag(OCI_OPT_IP_RANGE, b)) < 0 || oci_argv_add(argv, ranges->items[i].text) < 0)))
                        return -ENOMEM;
        return 0;
}

/* "--opt" and one driver option */
static int add_opt(OciArgv *argv, OciBackendId b, const char *what, const char *value) {
        if (oci_argv_add(argv, flag(OCI_OPT_VOLUME_OPTIONS, b)) < 0)
                return -ENOMEM;
        return oci_argv_addf(argv, "%s%s", what, value ? value : "");
}

/* A volume's driver options: Image=, or Copy=, Device=, Type= and o= of User=, Group= and Options=;
 * a bind mount of a host directory waits for its file system */
int oci_key_volume_options(const OciDefinition *d, OciOptionId id, const OciItems *items, OciBackendId b, OciRenderOut *out) {
        OciArgv *argv = &out->argv[OCI_ARGV_LATE_2];
        const char *image = oci_value_engine_str(d, OCI_OPT_VOLUME_IMAGE);
        if (image) /* podman's image driver takes no other option: checking warned of those set */
                return add_opt(argv, b, flag(OCI_OPT_VOLUME_IMAGE, b), image);
        int copy = oci_value_bool(d, OCI_OPT_COPY);
        if (copy >= 0 && add_opt(argv, b, copy ? "copy" : "nocopy", NULL) < 0)
                return -ENOMEM;
        const char *device = oci_value_str(d, OCI_OPT_DEVICE), *type = oci_value_str(d, OCI_OPT_TYPE);
        if ((device && add_opt(argv, b, flag(OCI_OPT_DEVICE, b), device) < 0) || (type && add_opt(argv, b, flag(OCI_OPT_TYPE, b), type) < 0))
                return -ENOMEM;
        /* o=: the owner of the volume's root, by number, then the mount options */
        _cleanup_strv_free_ char **o = NULL;
        const char *user = oci_value_str(d, OCI_OPT_VOLUME_USER), *group = oci_value_str(d, OCI_OPT_VOLUME_GROUP),
                   *options = oci_value_str(d, OCI_OPT_VOLUME_OPTIONS);
        if ((user && strv_extendf(&o, "%s%s", flag(OCI_OPT_VOLUME_USER, b), user) < 0) ||
            (group && strv_extendf(&o, "%s%s", flag(OCI_OPT_VOLUME_GROUP, b), group) < 0) || (options && strv_extend(&o, options) < 0))
                return -ENOMEM;
        if (o) {
                _cleanup_free_ char *joined = strv_join(o, ",");
                if (!joined || add_opt(argv, b, "o=", joined) < 0)
                        return -ENOMEM;
        }
        if (!device || !(device[0] == '/' || device[0] == '%') || !streq_ptr(type, "bind"))
                return 0;
        return oci_unit_add_words(out->later, OCI_UNIT_SECTION_UNIT, "RequiresMountsFor", (char *[]) { (char *) device }, 1);
}

/* NetworkDeleteOnStop=: the network removed after the stop (ContainersConfModule= and GlobalArgs=,
 * earlier rows, are in out already) */
int oci_key_network_delete(const OciDefinition *d, OciOptionId id, const OciItems *items, OciBackendId b, OciRenderOut *out) {
        if (oci_value_bool(d, id) <= 0)
                return 0;
        const char *engine = oci_render_binary(out, oci_backend_get(b)->binary);
        _cleanup_free_ char *name = oci_specifier_escape(d->resource);
        OciArgv remove = oci_argv_new(out);
        if (!engine || !name || oci_render_prefix(out, engine, &remove) < 0 || oci_argv_add(&remove, "network") < 0 ||
            oci_argv_add(&remove, "rm") < 0 || oci_argv_add(&remove, name) < 0)
                return -ENOMEM;
        return oci_unit_add_exec(out->later, "ExecStopPost", "-", remove.words);
}

/* The [Defaults] binary path as written (the unit gets it in specifier form). */
static const char *binary_path(const OciRenderContext *ctx, OciOptionId id) {
        const char *p = ctx->defaults ? oci_value_str(ctx->defaults, id) : NULL;
        return p ? p : oci_str(oci_options[id].default_value);
}

/* Made only if the engine does not have it, for an engine whose create fails on an existing one
 * (docker's network create; podman's before 4.4, which has no --ignore). The script is fixed
 * text: $0 is the number of words before OBJECT, the arguments are the create command as it
 * runs, its last word the name. It looks first with those words and "OBJECT inspect NAME". */
static int wrap_create(const char *object, size_t k, const OciArgv *create, OciArgv *w) {
        if (oci_argv_add(w, SHELL) < 0 || oci_argv_add(w, "-c") < 0 ||
            oci_argv_addf(w, "k=$0; for n do :; done; p() { for a do [ \"$k\" -gt 0 ] && set -- \"$@\" \"$a\"; k=$((k - 1)); shift; done; "
                             "\"$@\" %s inspect \"$n\"; }; p \"$@\" >/dev/null 2>&1 && exit 0; exec \"$@\"", object) < 0 ||
            oci_argv_addf(w, "%zu", k) < 0 || oci_argv_append(w, create) < 0)
                return -ENOMEM;
        return 0;
}

/* A line of the user's [Service] sets key: Quadlet's defaults of a oneshot yield to it. */
static bool service_sets(const OciDefinition *d, const char *key) {
        for (size_t i = 0; i < d->n_pass; i++)
                if (d->pass[i].section == OCI_SECTION_SERVICE && streq(d->pass[i].key, key))
                        return true;
        return false;
}

int oci_render_object(const OciDefinition *d, const OciRenderContext *ctx, OciRenderOut *rows, const char *object,
                      const OciArgv *args, OciUnitFile *u) {
        assert(d && ctx && rows && object && u);
        const OciBackend *be = oci_backend_get(d->backend);
        const OciHost *host = ctx->host ? ctx->host : &oci_host_system;
        bool network = streq(object, "network"), podman = be->id == OCI_BACKEND_PODMAN;
        const char *engine = oci_render_binary(rows, be->binary);
        _cleanup_free_ char *name = oci_specifier_escape(d->resource);
        OciArgv create = oci_argv_new(rows), wrapped = oci_argv_new(rows);
        if (!engine || !name || oci_render_prefix(rows, engine, &create) < 0)
                return -ENOMEM;
        /* docker's "volume create" is idempotent, podman's with --ignore (4.4 and later) */
        bool ignore = podman && host->podman_version(binary_path(ctx, be->binary)) >= OCI_PODMAN_VERSION(4, 4);
        size_t k = create.n;
        if (oci_argv_add(&create, object) < 0 || oci_argv_add(&create, "create") < 0 || (ignore && oci_argv_add(&create, "--ignore") < 0) ||
            oci_argv_append(&create, args) < 0 || oci_argv_add(&create, name) < 0)
                return -ENOMEM;
        if (!ignore && (podman || network) && wrap_create(object, k, &create, &wrapped) < 0)
                return -ENOMEM;

        int r = 0;
        static const char *const oneshot[][2] = {
                { "Type", "oneshot" },
                { "RemainAfterExit", "yes" },
                { "SyslogIdentifier", "%N" },
        };
        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(oneshot); i++)
                if (!service_sets(d, oneshot[i][0]))
                        r = oci_unit_add(u, OCI_UNIT_SECTION_SERVICE, oneshot[i][0], oneshot[i][1]);
        /* podman needs its runtime directory's file system, as for every unit Quadlet writes */
        if (r >= 0 && podman)
                r = oci_unit_add_literal(u, OCI_UNIT_SECTION_UNIT, "RequiresMountsFor=%t/containers");
        if (r >= 0 && be->id == OCI_BACKEND_DOCKER)
                r = oci_unit_add_literal(u, OCI_UNIT_SECTION_UNIT, "Requires=docker.service");
        if (r >= 0 && be->id == OCI_BACKEND_DOCKER)
                r = oci_unit_add_literal(u, OCI_UNIT_SECTION_UNIT, "After=docker.service docker.socket");
        if (r >= 0)
                r = oci_unit_add_exec(u, "ExecStart", "", wrapped.n ? wrapped.words : create.words);
        return r;
}

/* The options of "network create" and "volume create", podman's and docker's alike where they share
 * them: the table's, each "--flag" "value" as Quadlet writes them, then the keys' own. */
static int object_args(OciRenderOut *rows, OciArgv *argv) {
        if (oci_render_extend(argv, rows, OCI_ARGV_FLAGS) < 0 || oci_render_extend(argv, rows, OCI_ARGV_LATE_2) < 0)
                return -ENOMEM;
        return oci_render_extend(argv, rows, OCI_ARGV_EXTRA);
}

int oci_render_network(const OciDefinition *d, const OciRenderContext *ctx, OciRenderOut *rows, OciUnitFile *u) {
        assert(d && ctx && rows && u);
        OciArgv args = oci_argv_new(rows);
        if (object_args(rows, &args) < 0)
                return -ENOMEM;
        return oci_render_object(d, ctx, rows, "network", &args, u);
}

int oci_render_volume(const OciDefinition *d, const OciRenderContext *ctx, OciRenderOut *rows, OciUnitFile *u) {
        assert(d && ctx && rows && u);
        OciArgv args = oci_argv_new(rows);
        if (object_args(rows, &args) < 0)
                return -ENOMEM;
        return oci_render_object(d, ctx, rows, "volume", &args, u);
}
