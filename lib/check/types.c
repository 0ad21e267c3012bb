/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The rules of each file type beyond the table's (a .container's in container.c), as podman's
 * Quadlet has them, and the name of what each one makes: oci_type_checks[] has a function for
 * every row of the file-type table. */
#include <assert.h>
#include <strings.h>

#include "check-internal.h"
#include "fetch.h"

/* A line of [Service] whose value must be one of those given, for the service to work. */
static int service_value_in(const OciDefinition *d, const OciCheckContext *ctx, const char *key, const char *const *allowed, size_t n,
                            const char *why) {
        for (size_t i = d->n_pass; i > 0; i--) {
                const OciPassLine *l = &d->pass[i - 1];
                if (l->section != OCI_SECTION_SERVICE || !streq(l->key, key))
                        continue;
                for (size_t k = 0; k < n; k++)
                        if (streq(l->value, allowed[k]))
                                return 0;
                return oci_diag(ctx->sink, LOG_ERR, d->sources ? d->sources[l->source] : d->path, l->line, l->key,
                                "%s=%s in [Service] %s", key, l->value, why);
        }
        return 0;
}

static int check_build(const OciDefinition *d, const OciCheckContext *ctx) {
        int ret = 0;
        const char *swd = oci_value_str(d, OCI_OPT_SET_WORKING_DIRECTORY);
        if (swd && strcasecmp(swd, "yaml") == 0)
                return oci_key_diag(ctx->sink, LOG_ERR, d, OCI_OPT_SET_WORKING_DIRECTORY,
                                    "%s is for .kube files; a .build takes unit, file, a directory or a URL", swd);
        _cleanup_(oci_build_context_done) OciBuildContext c = {};
        if (oci_build_context(d, &c) < 0)
                return -ENOMEM;
        switch (c.problem) {
        case OCI_BUILD_OK:
                break;
        case OCI_BUILD_FILE_NEEDED:
                RET_GATHER(ret, oci_key_diag(ctx->sink, LOG_ERR, d, OCI_OPT_SET_WORKING_DIRECTORY,
                                             "file takes the directory of File=, which is not set"));
                break;
        case OCI_BUILD_NO_CONTEXT:
                RET_GATHER(ret, oci_diag(ctx->sink, LOG_ERR, d->path, d->section_line[OCI_SECTION_BUILD], NULL,
                                         "[Build] has neither SetWorkingDirectory= nor File=: a build needs a Containerfile and its "
                                         "context, for example SetWorkingDirectory=unit with a Containerfile beside the definition"));
                break;
        case OCI_BUILD_RELATIVE_FILE:
                RET_GATHER(ret, oci_key_diag(ctx->sink, LOG_ERR, d, OCI_OPT_FILE,
                                             "%s is a relative path, taken from the build's context: set SetWorkingDirectory= "
                                             "(unit, file or a directory), or give an absolute path", oci_value_str(d, OCI_OPT_FILE)));
                break;
        default:
                assert(false);
        }
        return ret;
}

/* The deprecated Remap*= keys, as kube play can take them. */
static int check_kube_remap(const OciDefinition *d, const OciCheckContext *ctx) {
        const char *remap = oci_value_str(d, OCI_OPT_REMAP_USERS);
        static const OciOptionId maps[] = { OCI_OPT_REMAP_UID, OCI_OPT_REMAP_GID, OCI_OPT_REMAP_UID_SIZE };
        int ret = 0;
        if (remap && streq(remap, "manual"))
                return oci_key_diag(ctx->sink, LOG_ERR, d, OCI_OPT_REMAP_USERS,
                                    "manual is not supported in a .kube: podman kube play takes no UID maps; use UserNS=auto or keep-id");
        if (remap && d->values[OCI_OPT_USER_NS].n_entries)
                return oci_key_diag(ctx->sink, LOG_ERR, d, OCI_OPT_REMAP_USERS, "%s and UserNS= exclude each other; keep UserNS=", remap);
        for (size_t i = 0; i < ELEMENTSOF(maps); i++)
                if (!remap && d->values[maps[i]].n_entries)
                        RET_GATHER(ret, oci_key_diag(ctx->sink, LOG_ERR, d, maps[i], " needs RemapUsers= (auto or keep-id)"));
        if (remap && streq(remap, "keep-id"))
                for (size_t i = 0; i < 2; i++)
                        if (oci_value_count(d, maps[i]) > 1)
                                RET_GATHER(ret, oci_key_diag(ctx->sink, LOG_ERR, d, maps[i], " is given more than once: keep-id maps "
                                                             "one ID"));
        return ret;
}

static int check_kube(const OciDefinition *d, const OciCheckContext *ctx) {
        int ret = 0;
        const char *swd = oci_value_str(d, OCI_OPT_KUBE_SET_WORKING_DIRECTORY);
        if (swd && streq(swd, "yaml") && oci_value_count(d, OCI_OPT_YAML) > 1)
                RET_GATHER(ret, oci_key_diag(ctx->sink, LOG_ERR, d, OCI_OPT_KUBE_SET_WORKING_DIRECTORY,
                                             "yaml takes the directory of the Yaml= file, and there are %zu; use unit",
                                             oci_value_count(d, OCI_OPT_YAML)));
        static const char *const kill_modes[] = { "mixed", "control-group" }, *const types[] = { "notify", "oneshot" };
        RET_GATHER(ret, service_value_in(d, ctx, "KillMode", kill_modes, ELEMENTSOF(kill_modes),
                                         "would stop conmon before the containers it watches: use mixed or control-group"));
        RET_GATHER(ret, service_value_in(d, ctx, "Type", types, ELEMENTSOF(types),
                                         "cannot run a kube: notify (the default) waits for its pods, oneshot is for a YAML of "
                                         "resources only"));
        RET_GATHER(ret, check_kube_remap(d, ctx));
        return ret;
}

/* A .volume's mount: the keys podman's image driver has no use for (it refuses every option but
 * the image), and those that only mean something with Device=, as Quadlet has them. */
static int check_volume_device(const OciDefinition *d, const OciCheckContext *ctx) {
        const char *driver = oci_value_str(d, OCI_OPT_DRIVER);
        bool image_driver = driver && streq(driver, "image");
        static const OciOptionId mount_keys[] = { OCI_OPT_COPY, OCI_OPT_DEVICE, OCI_OPT_TYPE, OCI_OPT_VOLUME_OPTIONS,
                                                  OCI_OPT_VOLUME_USER, OCI_OPT_VOLUME_GROUP };
        int ret = 0;
        for (size_t i = 0; image_driver && i < ELEMENTSOF(mount_keys); i++)
                if (d->values[mount_keys[i]].n_entries)
                        oci_key_diag(ctx->sink, LOG_WARNING, d, mount_keys[i], " does nothing with Driver=image, which takes no option "
                                     "but the image: it is left out of the command");
        static const OciOptionId need_device[] = { OCI_OPT_TYPE, OCI_OPT_VOLUME_OPTIONS };
        for (size_t i = 0; !image_driver && !oci_value_str(d, OCI_OPT_DEVICE) && i < ELEMENTSOF(need_device); i++)
                if (oci_value_count(d, need_device[i]))
                        RET_GATHER(ret, oci_key_diag(ctx->sink, LOG_ERR, d, need_device[i], " is about the mount of Device=, which is "
                                                     "not set; set Device= too, or remove this line"));
        return ret;
}

/* A definition of an object the engine names after its name key (NetworkName=), the file's name
 * by default: that name is d->resource, and the engine must take the default. */
static int check_object(OciDefinition *d, const OciCheckContext *ctx) {
        int ret = 0;
        free(d->resource);
        d->resource = oci_definition_resource_name(d);
        if (!d->resource)
                return -ENOMEM;
        OciOptionId name_key = oci_file_type(d->type)->name_key;
        if (!d->values[name_key].n_entries)
                RET_GATHER(ret, oci_check_derived_name(d, ctx->sink, d->resource, name_key));
        return ret;
}

static int check_volume(OciDefinition *d, const OciCheckContext *ctx) {
        int ret = check_volume_device(d, ctx);
        GATHER_OR_RETURN(ret, check_object(d, ctx));
        return ret;
}

/* d->resource: the first item of key, what refers to the definition gets (its image's name);
 * none when the key is not set. */
static int set_resource(OciDefinition *d, OciOptionId key) {
        free(d->resource);
        d->resource = NULL;
        const char *name = key >= 0 ? oci_value_str(d, key) : NULL;
        return name && !(d->resource = strdup(name)) ? -ENOMEM : 0;
}

static int check_image(OciDefinition *d, const OciCheckContext *ctx) {
        (void) ctx;
        return set_resource(d, oci_value_str(d, OCI_OPT_IMAGE_TAG) ? OCI_OPT_IMAGE_TAG : OCI_OPT_PULL_IMAGE);
}

static int check_build_definition(OciDefinition *d, const OciCheckContext *ctx) {
        int ret = check_build(d, ctx);
        GATHER_OR_RETURN(ret, set_resource(d, OCI_OPT_BUILD_IMAGE_TAG));
        return ret;
}

static int check_artifact(OciDefinition *d, const OciCheckContext *ctx) {
        (void) ctx;
        return set_resource(d, OCI_OPT_ARTIFACT);
}

static int check_kube_definition(OciDefinition *d, const OciCheckContext *ctx) {
        int ret = check_kube(d, ctx);
        GATHER_OR_RETURN(ret, set_resource(d, _OCI_OPT_INVALID));
        return ret;
}

const OciTypeCheck oci_type_checks[_OCI_UNIT_TYPE_MAX] = {
        [OCI_UNIT_CONTAINER] = oci_check_container,
        [OCI_UNIT_NETWORK] = check_object,
        [OCI_UNIT_VOLUME] = check_volume,
        [OCI_UNIT_POD] = check_object,
        [OCI_UNIT_IMAGE] = check_image,
        [OCI_UNIT_BUILD] = check_build_definition,
        [OCI_UNIT_KUBE] = check_kube_definition,
        [OCI_UNIT_ARTIFACT] = check_artifact,
};
