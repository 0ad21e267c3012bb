/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The container keys that podman and docker render alike (a docker column BOTH names podman's
 * function), each called by oci_render_rows() with the engine it renders for. */
#include <assert.h>

#include "escape.h"
#include "render-internal.h"

#define SHELL "/bin/sh"

static const char *flag_of(OciOptionId id, OciBackendId b) {
        return oci_str(oci_option_render(id, b)->flag);
}

/* GlobalArgs=: the engine's own arguments, in every command of the unit */
int oci_key_global_args(const OciDefinition *d, OciOptionId id, const OciItems *items, OciBackendId b, OciRenderOut *out) {
        return oci_argv_add_items(&out->argv[OCI_ARGV_GLOBAL], d, id);
}

/* ContainersConfModule=: podman's --module=, before GlobalArgs= */
int oci_key_module(const OciDefinition *d, OciOptionId id, const OciItems *items, OciBackendId b, OciRenderOut *out) {
        return oci_render_flag_items(d, id, b, &out->argv[OCI_ARGV_MODULE]);
}

/* Image= (or podman's Rootfs=, a boolean flag whose path takes the image's place), and what
 * NAME-pull.service pulls: the image, when it is no definition's (whose own service pulls it) */
int oci_key_image(const OciDefinition *d, OciOptionId id, const OciItems *items, OciBackendId b, OciRenderOut *out) {
        OciArgv *tail = &out->argv[OCI_ARGV_TAIL];
        /* the definition's texts, which outlive the render */
        char *image = (char *) oci_value_engine_str(d, OCI_OPT_IMAGE), *rootfs = (char *) oci_value_str(d, OCI_OPT_ROOTFS);
        if (image && !d->values[OCI_OPT_IMAGE].items.items[0].ref && oci_argv_push(&out->argv[OCI_ARGV_PULL], image) < 0)
                return -ENOMEM;
        if (image)
                return oci_argv_push(tail, image);
        if (!rootfs)
                return 0; /* the check refuses a container with neither */
        return oci_argv_push(tail, (char *) flag_of(OCI_OPT_ROOTFS, b)) < 0 ? -ENOMEM : oci_argv_push(tail, rootfs);
}

/* Exec=: the words after the image */
int oci_key_exec(const OciDefinition *d, OciOptionId id, const OciItems *items, OciBackendId b, OciRenderOut *out) {
        return oci_argv_add_items(&out->argv[OCI_ARGV_TAIL], d, id);
}

/* LogDriver= and LogFile=. podman hands the output straight to the service for LogFile=; docker's
 * client does anyway. Else podman keeps its own default, as Quadlet leaves it (containers.conf:
 * journald on Debian), and docker logs to the journal, as NixOS's module has it. */
int oci_key_log(const OciDefinition *d, OciOptionId id, const OciItems *items, OciBackendId b, OciRenderOut *out) {
        const char *log_file = oci_value_str(d, OCI_OPT_LOG_FILE);
        const char *driver = b == OCI_BACKEND_PODMAN && log_file        ? "passthrough"
                             : oci_value_str(d, OCI_OPT_LOG_DRIVER)     ? oci_value_str(d, OCI_OPT_LOG_DRIVER)
                             : b == OCI_BACKEND_DOCKER                   ? "journald"
                                                                         : NULL;
        if (driver && oci_argv_addf(&out->argv[OCI_ARGV_HEAD], "%s=%s", flag_of(OCI_OPT_LOG_DRIVER, b), driver) < 0)
                return -ENOMEM;
        /* the file gets the engine's own lines around starts and stops too, as Guix's log-file */
        if (!log_file)
                return 0;
        int r = oci_unit_addf(out->later, OCI_UNIT_SECTION_SERVICE, "StandardOutput", "append:%s", log_file);
        return r < 0 ? r : oci_unit_add_literal(out->later, OCI_UNIT_SECTION_SERVICE, "StandardError=inherit");
}

/* User= and Group=: one --user=USER[:GROUP] */
int oci_key_user(const OciDefinition *d, OciOptionId id, const OciItems *items, OciBackendId b, OciRenderOut *out) {
        const char *user = oci_value_str(d, OCI_OPT_USER), *group = oci_value_str(d, OCI_OPT_GROUP);
        if (!user)
                return 0; /* Group= needs User= */
        return oci_argv_addf(&out->argv[OCI_ARGV_LATE_1], "%s=%s%s%s", flag_of(OCI_OPT_USER, b), user, group ? ":" : "",
                            group ? group : "");
}

/* HostEnvironment=: by name only, the value is in the service's environment (the private file the
 * unit's EnvironmentFile= names, made here too), never on a command line */
int oci_key_host_environment(const OciDefinition *d, OciOptionId id, const OciItems *items, OciBackendId b, OciRenderOut *out) {
        OciArgv *late = &out->argv[OCI_ARGV_LATE_2];
        for (size_t i = 0; i < items->n; i++) {
                const OciItem *kv = &items->items[i];
                if (oci_argv_addf(late, "%s=%.*s", flag_of(id, b), (int) kv->key_len, kv->text) < 0)
                        return -ENOMEM;
        }
        return oci_render_host_environment(d, items, out);
}

/* Network=, with the engine's names of the definitions it names */
int oci_key_network(const OciDefinition *d, OciOptionId id, const OciItems *items, OciBackendId b, OciRenderOut *out) {
        return oci_render_flag_items(d, id, b, &out->argv[OCI_ARGV_LATE_2]);
}

/* VolatileTmp=: ReadOnly=yes brings its own tmpfs on /tmp */
int oci_key_volatile_tmp(const OciDefinition *d, OciOptionId id, const OciItems *items, OciBackendId b, OciRenderOut *out) {
        if (oci_value_bool(d, id) <= 0 || oci_value_bool(d, OCI_OPT_READ_ONLY) > 0)
                return 0;
        return oci_argv_addf(&out->argv[OCI_ARGV_LATE_2], "%s=/tmp:rw,size=512M,mode=1777", flag_of(id, b));
}

/* ReloadCmd= and ReloadSignal=: ExecReload= runs a command in the container, or sends it a signal */
int oci_key_reload(const OciDefinition *d, OciOptionId id, const OciItems *items, OciBackendId b, OciRenderOut *out) {
        bool cmd = oci_value_count(d, OCI_OPT_RELOAD_CMD) > 0;
        const char *sig = oci_value_str(d, OCI_OPT_RELOAD_SIGNAL);
        if (!cmd && !sig)
                return 0;
        _cleanup_free_ char *name = oci_backend_get(b)->container_name(d);
        OciArgv *reload = &out->argv[OCI_ARGV_RELOAD];
        if (!name)
                return -ENOMEM;
        if (cmd)
                return oci_argv_add(reload, "exec") < 0 || oci_argv_add(reload, name) < 0 ||
                                       oci_argv_add_items(reload, d, OCI_OPT_RELOAD_CMD) < 0
                               ? -ENOMEM
                               : 0;
        return oci_argv_add(reload, "kill") < 0 || oci_argv_addf(reload, "%s=%s", flag_of(OCI_OPT_RELOAD_SIGNAL, b), sig) < 0 ||
                               oci_argv_add(reload, name) < 0
                       ? -ENOMEM
                       : 0;
}

/* docker load, then docker tag of what it loaded (the last "Loaded image: REF" or "Loaded image ID:
 * ID" line it printed, which it still prints for the journal) as Image=, as Guix does: docker keeps
 * the archive's own name, and "docker run IMAGE" would pull what the archive was to replace. "$$" is
 * a '$' for the shell, not a variable for systemd. */
#define DOCKER_LOAD_TAG \
        "o=$$(\"$$0\" load --input \"$$1\") || exit; printf '%%s\\n' \"$$o\"; r=$$(printf '%%s\\n' \"$$o\" | sed -n 's/^Loaded image[^:]*: //p' | tail -n 1); " \
        "[ -n \"$$r\" ] || { echo 'docker load named no image' >&2; exit 1; }; exec \"$$0\" tag \"$$r\" \"$$2\""

static int docker_load_tag(const OciDefinition *d, const char *engine, const char *file, OciArgv *argv) {
        const char *words[] = { SHELL, "-c", DOCKER_LOAD_TAG, engine, file, oci_value_engine_str(d, OCI_OPT_IMAGE) };
        return oci_argv_add_all(argv, words, ELEMENTSOF(words));
}

/* ImageFile= and ImageStream=: the image loaded before every start, so that nothing is pulled */
int oci_key_image_load(const OciDefinition *d, OciOptionId id, const OciItems *items, OciBackendId b, OciRenderOut *out) {
        const char *file = oci_value_str(d, OCI_OPT_IMAGE_FILE), *stream = oci_value_str(d, OCI_OPT_IMAGE_STREAM);
        if (!file && !stream)
                return 0;
        const char *engine = oci_render_binary(out, oci_backend_get(b)->binary);
        if (!engine)
                return -ENOMEM;
        if (b == OCI_BACKEND_DOCKER && file && oci_value_engine_str(d, OCI_OPT_IMAGE))
                return docker_load_tag(d, engine, file, &out->argv[OCI_ARGV_LOAD]);
        const char *load_file[] = { engine, "load", flag_of(OCI_OPT_IMAGE_FILE, b), file };
        const char *load_stream[] = { SHELL, "-c", "\"$1\" | \"$0\" load", engine, stream };
        const char *const *argv = file ? load_file : load_stream;
        return oci_argv_add_all(&out->argv[OCI_ARGV_LOAD], argv, file ? ELEMENTSOF(load_file) : ELEMENTSOF(load_stream));
}

/* RunAs= for docker: the service's User=, Group= and HOME (podman's adds its runtime directory) */
int oci_key_run_as(const OciDefinition *d, OciOptionId id, const OciItems *items, OciBackendId b, OciRenderOut *out) {
        return oci_render_run_as(d, out->unit);
}
