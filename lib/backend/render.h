/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "host.h"
#include "model.h"
#include "unit.h"

/* Shipped as a user unit: waits until the system's network-online.target is reached. */
#define OCI_USER_NETWORK_WAIT_UNIT "oci-containers-wait-network-online.service"
/* podman's own (5.0 and later install it), which Quadlet's user units wait for: used where it is. */
#define PODMAN_USER_NETWORK_WAIT_UNIT "podman-user-wait-network-online.service"
/* Every generated service is part of it; "systemctl stop" on it stops them all, "start" starts
 * the ones that start at boot (they are in its .wants/ too). Shipped in units/. */
#define OCI_TARGET "oci-containers.target"
/* Shipped too: what oci-containers-prune.timer starts. */
#define OCI_PRUNE_UNIT "oci-containers-prune.service"

/* One of the package's own units (units/): a definition that made a unit or an alias of that name
 * would replace it, as generated units come before installed ones. */
bool oci_unit_name_is_ours(const char *unit);

typedef struct OciRenderContext {
        OciDiagSink *sink;
        const OciDefaults *defaults; /* may be NULL */
        bool user;                   /* units for a user's service manager */
        const char *output;          /* the directory the units go to (for EnvironmentFile=); NULL: the
                                      * generator's usual one, %t/systemd/generator */
        const OciHost *host;         /* NULL: the machine's (an OCI bundle is told by its config.json) */
        /* With user: the unit that waits for the system's network, as a user's manager has no
         * network-online.target; NULL: ours, OCI_USER_NETWORK_WAIT_UNIT */
        const char *user_network_wait;
} OciRenderContext;

/* What is truly different between engines. Everything that maps one key to one flag is data in
 * the option table; a backend adds the rest. */
typedef struct OciBackend {
        OciBackendId id;
        OciOptionId binary; /* the [Defaults] row of its binary */
        bool oci;           /* runs OCI images: image pulls, NAME-pull.service, NixOS's service defaults */
        const char *autostart_target; /* what AutoStart= links into; NULL: multi-user.target */
        /* Pods are networks: a pod's first member that is written publishes the pod's ports, and
         * the members find each other as POD-CONTAINER (docker has no pods). */
        bool pod_is_network;
        /* A port can be published on one host address; without, every port is forwarded on every
         * address and [Defaults] PublishAddress= does not apply (systemd-nspawn). */
        bool binds_address;
        /* Fill [Service] (and engine-specific [Unit] lines) for a checked definition of each type;
         * NULL: the engine does not take this type ("NAME.EXT definitions are for ..."). */
        int (*render[_OCI_UNIT_TYPE_MAX])(const OciDefinition *d, const OciRenderContext *ctx, OciUnitFile *u);
        /* Does starting the unit possibly need the network (an image pull)? May be NULL: never. */
        bool (*may_pull)(const OciDefinition *d);
        /* The name the engine knows a container definition's container (or machine) by, as the unit
         * writes it: in specifier form, resolved by systemd at start. NULL on allocation failure. */
        char *(*container_name)(const OciDefinition *d);
        /* Rules of this engine beyond the table's columns; may be NULL. Returns 0 or -EINVAL. */
        int (*validate)(const OciDefinition *d, OciDiagSink *sink);
} OciBackend;

extern const OciBackend oci_backend_podman;
extern const OciBackend oci_backend_docker;
extern const OciBackend oci_backend_nspawn;

/* NULL when this build has no such backend yet. */
const OciBackend *oci_backend_get(OciBackendId id);

/* The oneshot service of a .network or .volume definition, podman's and docker's alike. */
int oci_render_network(const OciDefinition *d, const OciRenderContext *ctx, OciUnitFile *u);
int oci_render_volume(const OciDefinition *d, const OciRenderContext *ctx, OciUnitFile *u);
/* A oneshot service that makes the engine's OBJECT ("network", "volume") named d->resource with
 * these arguments before the start, and keeps it. */
int oci_render_object(const OciDefinition *d, const OciRenderContext *ctx, const char *object, char *const *args, OciUnitFile *u);

/* Render a validated definition into its files, NULL-terminated: NAME.service.env first when
 * HostEnvironment= is set (a secret file, see OciUnitFile: written before the service, so that no
 * service is left without it), then the service, then a NAME-pull.service companion for an image
 * that can be pulled. */
int oci_render(const OciDefinition *d, const OciRenderContext *ctx, OciUnitFile ***ret);
/* A member of a pod that starts with it (StartWithPod=): the unit the pod's unit wants and is
 * ordered before, as Quadlet writes it (the member, or a template's default instance), in *ret;
 * NULL when there is none. Returns 0 or -ENOMEM. */
int oci_render_pod_member(const OciDefinition *d, char **ret);
/* The name of the NAME-pull.service oci_render() makes beside d's service, in *ret; NULL when it
 * makes none. Returns 0 or -ENOMEM. */
int oci_render_pull_name(const OciDefinition *d, char **ret);
OciUnitFile **oci_unit_list_free(OciUnitFile **l);

/* Helpers for backends. */
/* An item as engine b takes it: its type's form, with the engine's name in place of a NAME.EXT
 * it refers to. */
int oci_render_item(const OciDefinition *d, OciOptionId id, const OciItem *it, OciBackendId b, StrBuf *out);
/* "FLAG=ITEM" for every item of the row, with the row's flag for b. */
int oci_render_flag_items(const OciDefinition *d, OciOptionId id, OciBackendId b, char ***argv);
/* The same as the two words "FLAG" "ITEM", as Quadlet writes the options of a network or volume. */
int oci_render_flag_words(const OciDefinition *d, OciOptionId id, OciBackendId b, char ***argv);
/* The option table's one-flag rows for this backend, in table order: "FLAG=ITEM", "FLAG". */
int oci_render_table_flags(const OciDefinition *d, OciBackendId b, char ***argv);
/* The same with "FLAG" "ITEM" as two words. */
int oci_render_table_flag_words(const OciDefinition *d, OciBackendId b, char ***argv);
/* Everything between "run ..." and the extra arguments that podman and docker share: the table's
 * flags, --user, HostEnvironment= names, --network, VolatileTmp=. */
int oci_render_container_args(const OciDefinition *d, OciBackendId b, char ***argv);
/* HostEnvironment=: EnvironmentFile= naming the private file oci_render() writes beside the unit. */
int oci_render_service_environment(const OciDefinition *d, const OciRenderContext *ctx, OciUnitFile *u);
/* ExecStartPre= lines both engines share: directories to make, the registry login, an image to
 * load. 'engine' is the binary in specifier form. */
int oci_render_prestart(const OciDefinition *d, const char *engine, OciUnitFile *u);
/* The commands of an OCI container's service, written in the order both engines need. */
typedef struct OciCommands {
        char *const *clean;   /* ExecStartPre=-: what a crash may have left, or NULL */
        char *const *run;     /* ExecStart= */
        char *const *reload;  /* ExecReload=, or NULL */
        char *const *stop;    /* ExecStop= */
        char *const *post[2]; /* ExecStopPost=- lines, NULL when fewer */
} OciCommands;
int oci_render_commands(const OciDefinition *d, const char *engine, const OciCommands *c, OciUnitFile *u);
/* Fixed "Key=Value" lines of [Service]. */
int oci_unit_add_service_lines(OciUnitFile *u, const char *const (*lines)[2], size_t n);

/* For a template whose container is named after the instance: a check, before the start, that the
 * instance makes a valid container name, with a message that says so when it does not. */
int oci_render_instance_name_check(const OciDefinition *d, OciUnitFile *u);
/* The rows whose items are extra argv words (RunArgs=, PodmanArgs=...). */
int oci_render_table_args(const OciDefinition *d, OciBackendId b, char ***argv);
/* The [Defaults] value of a binary path, in specifier form. */
char *oci_render_binary(const OciRenderContext *ctx, OciOptionId id);
/* Add "Key=" with an ExecStart-style command line. */
int oci_unit_add_exec(OciUnitFile *u, const char *key, const char *prefix, char *const *argv);
