/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "host.h"
#include "model.h"
#include "unit.h"

/* The function that renders a key for an engine, named by the key's row: the definition, the row,
 * the key's typed items (d->values[id].items), the engine, and what is being built (the command's
 * parts and the unit, lib/backend/render.h). One function may render several rows (User= and
 * Group=): the renderer calls it once. Returns 0 or -ENOMEM. The functions the table names are
 * listed in option-fns.h, declared here and defined in lib/backend. */
typedef int (*OciRenderFn)(const struct OciDefinition *d, OciOptionId id, const struct OciItems *items, OciBackendId b,
                           struct OciRenderOut *out);

#define OCI_RENDER_FN(fn) int fn(const struct OciDefinition *d, OciOptionId id, const struct OciItems *items, OciBackendId b, \
                                 struct OciRenderOut *out);
#include "option-fns.h"
#undef OCI_RENDER_FN

/* The function of each identifier the option table names (OCI_FN_NONE: none). */
extern const OciRenderFn oci_render_fns[_OCI_FN_MAX];

/* Shipped as a user unit: waits until the system's network-online.target is reached. */
#define OCI_USER_NETWORK_WAIT_UNIT "oci-containers-wait-network-online.service"
/* podman's own (5.0 and later install it), which Quadlet's user units wait for: used where it is. */
#define PODMAN_USER_NETWORK_WAIT_UNIT "podman-user-wait-network-online.service"
/* Every generated service is part of it; "systemctl stop" on it stops them all, "start" starts
 * the ones that start at boot (the generator's drop-in of it wants them: OciUnitFile.target_wants).
 * Shipped in units/. */
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

/* The parts of an engine's command line, in the order of "ENGINE MODULE GLOBAL VERB HEAD FLAGS LATE_1
 * LATE_2 LATE_3 EXTRA POST_EXTRA TAIL", and the other commands the keys give words to.
 * oci_render_rows() fills them from the option table: a one-flag row into FLAGS, an ARGS row into
 * EXTRA, a row's function where its words belong; the engine's render function puts them together
 * (oci_render_command(), or in an order of its own). Within a part, words come in table order: the
 * three LATE parts let code keep the order the engines' command lines have always had. */
typedef enum OciArgvPart {
        OCI_ARGV_MODULE, /* after the engine's binary, in every command of the unit: podman's --module= */
        OCI_ARGV_GLOBAL, /* GlobalArgs=: after MODULE in every command */
        OCI_ARGV_HEAD,   /* right after the verb (run, pod create), before the table's flags */
        OCI_ARGV_FLAGS,  /* the table's one-flag rows, in table order */
        OCI_ARGV_LATE_1, /* after the flags, what code renders into options: --user; nspawn's network */
        OCI_ARGV_LATE_2, /* then: HostEnvironment=, --network, a network's subnets, a volume's options */
        OCI_ARGV_LATE_3, /* then: podman's Remap*= and --pod, docker's --platform */
        OCI_ARGV_EXTRA,  /* the ARGS rows: RunArgs=, PodmanArgs= */
        OCI_ARGV_POST_EXTRA, /* after them: docker's --pull and its pods' network */
        OCI_ARGV_TAIL,   /* the command's last words: the image and its command, the YAML, the name pulled */
        OCI_ARGV_STOP,   /* the options of the stop command (pod stop, kube down) */
        OCI_ARGV_RELOAD, /* ExecReload='s words after MODULE and GLOBAL; empty: no ExecReload= */
        OCI_ARGV_LOAD,   /* a whole command that loads the image before the start (ExecStartPre=) */
        OCI_ARGV_READY,  /* docker: the shell script that waits for readiness after the start */
        OCI_ARGV_PULL,   /* what NAME-pull.service pulls: the words after "pull" (Image='s function) */
        _OCI_ARGV_MAX,
} OciArgvPart;

/* Where a render's command words live: every word and every vector of them in arena, let go of
 * at once when the render is done, so that nothing is freed word by word. */
typedef struct OciWordStore {
        ArenaBlock *arena;
} OciWordStore;
/* Where a word is formatted before it is copied into a store, emptied: one buffer for every
 * render, which keeps its room from one word and one render to the next. */
StrBuf *oci_argv_scratch(void);

/* The words of a command, or of a part of one: words[n] is NULL (words is NULL while n is 0). A
 * word is in store, a string literal, or one of the definition's texts: each outlives the render.
 * Nothing to free: store has it all. */
typedef struct OciArgv {
        char **words;
        size_t n, cap;
        OciWordStore *store;
} OciArgv;

/* What the keys' renderings build: the parts of the commands, the lines a key adds to the
 * unit: into later, which oci_render() puts after the engine's own lines, or (RunAs=, which the
 * user's Environment= must come after) into unit at once, and the companion files a key makes. */
typedef struct OciRenderOut {
        const OciRenderContext *ctx;
        OciUnitFile *unit;
        OciUnitFile *later;
        OciArgv argv[_OCI_ARGV_MAX];
        OciUnitFile *secret; /* NAME.service.env (HostEnvironment='s function), or NULL */
        OciWordStore store;  /* where the words of argv and of the commands made from them are */
} OciRenderOut;

/* An empty vector of words in out's store. */
static inline OciArgv oci_argv_new(OciRenderOut *out) {
        return (OciArgv) { .store = &out->store };
}
/* word itself appended to a: it must outlive the render (see OciArgv). Returns 0 or -ENOMEM. */
int oci_argv_push(OciArgv *a, char *word);
/* A copy of word appended to a. */
int oci_argv_add(OciArgv *a, const char *word);
/* The n bytes at s, as a word. */
int oci_argv_addn(OciArgv *a, const char *s, size_t n);
int oci_argv_addf(OciArgv *a, const char *fmt, ...) _printf_(2, 3);
/* The n strings of parts one after another, as one word. */
int oci_argv_add_join(OciArgv *a, const char *const *parts, size_t n);
/* Copies of the n words. */
int oci_argv_add_all(OciArgv *a, const char *const *words, size_t n);
/* The n words themselves, not copied: each must outlive the render (a string literal). */
int oci_argv_push_all(OciArgv *a, const char *const *words, size_t n);
/* The words of other (of the same store), not copied. */
int oci_argv_append(OciArgv *a, const OciArgv *other);
/* The texts of row id's items, not copied: the definition outlives its render. */
int oci_argv_add_items(OciArgv *a, const OciDefinition *d, OciOptionId id);

/* The renderer: every row of d's section that d's engine renders, in table order, into out; a
 * function named by several rows is called once, at the first. Returns 0 or a negative errno (a
 * line the unit refused: see oci_unit_add()). */
int oci_render_rows(const OciDefinition *d, OciRenderOut *out);
void oci_render_out_done(OciRenderOut *out);
/* Append part of out to *argv. */
int oci_render_extend(OciArgv *argv, const OciRenderOut *out, OciArgvPart part);
/* "BINARY MODULE GLOBAL" into *argv: the start of every command; binary is oci_render_binary()'s,
 * not copied. */
int oci_render_prefix(const OciRenderOut *out, const char *binary, OciArgv *argv);
/* "BINARY MODULE GLOBAL VERB... HEAD FLAGS LATE_1 LATE_2 LATE_3 EXTRA POST_EXTRA TAIL" into *argv;
 * the verb's words are string literals, not copied. */
int oci_render_command(OciRenderOut *out, const char *binary, const char *const *verb, size_t n_verb, OciArgv *argv);

/* What is truly different between engines. Everything that maps one key to one flag is data in
 * the option table; a backend adds the rest. */
typedef struct OciBackend {
        OciBackendId id;
        OciOptionId binary; /* the [Defaults] row of its binary */
        bool oci;           /* runs OCI images: image pulls, NAME-pull.service, NixOS's service defaults */
        const char *autostart_target; /* what AutoStart= links into; NULL: multi-user.target */
        /* An engine without pods of its own (docker) stands in for them: NULL where the engine has
         * pods. Called when container d names a pod that has ports nobody published yet: whether d
         * takes them, to publish as its own (the pod's stand-in has no ports of its own). */
        bool (*join_pod)(const OciDefinition *d);
        /* What a .pod definition makes for this engine, for the names it takes: NULL: a pod. */
        const char *pod_object;
        /* A port can be published on one host address; without, every port is forwarded on every
         * address and [Defaults] PublishAddress= does not apply (systemd-nspawn). */
        bool binds_address;
        /* Fill [Service] (and engine-specific [Unit] lines) for a checked definition of each type,
         * from what oci_render_rows() made of its keys (rows); NULL: the engine does not take this
         * type ("NAME.EXT definitions are for ..."). */
        int (*render[_OCI_UNIT_TYPE_MAX])(const OciDefinition *d, const OciRenderContext *ctx, OciRenderOut *rows, OciUnitFile *u);
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
int oci_render_network(const OciDefinition *d, const OciRenderContext *ctx, OciRenderOut *rows, OciUnitFile *u);
int oci_render_volume(const OciDefinition *d, const OciRenderContext *ctx, OciRenderOut *rows, OciUnitFile *u);
/* A oneshot service that makes the engine's OBJECT ("network", "volume") named d->resource with
 * these arguments before the start, and keeps it. */
int oci_render_object(const OciDefinition *d, const OciRenderContext *ctx, OciRenderOut *rows, const char *object,
                      const OciArgv *args, OciUnitFile *u);

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
int oci_render_flag_items(const OciDefinition *d, OciOptionId id, OciBackendId b, OciArgv *argv);
/* The same as the two words "FLAG" "ITEM", as Quadlet writes the options of a network or volume. */
int oci_render_flag_words(const OciDefinition *d, OciOptionId id, OciBackendId b, OciArgv *argv);
/* HostEnvironment='s items: NAME.service.env with their values into out->secret, and into
 * out->later the EnvironmentFile= line that names it; nothing for no items. */
int oci_render_host_environment(const OciDefinition *d, const OciItems *items, OciRenderOut *out);
/* ExecStartPre= lines both engines share: directories to make, the registry login, then load (a
 * command that loads the image, OCI_ARGV_LOAD) unless NULL or empty. 'engine' is the binary in
 * specifier form. */
int oci_render_prestart(const OciDefinition *d, const char *engine, char *const *load, OciUnitFile *u);
/* The commands of an OCI container's service, written in the order both engines need. */
typedef struct OciCommands {
        char *const *clean;   /* ExecStartPre=-: what a crash may have left, or NULL */
        char *const *load;    /* ExecStartPre=: the image loaded, or NULL */
        char *const *run;     /* ExecStart= */
        char *const *reload;  /* ExecReload=, or NULL */
        char *const *stop;    /* ExecStop= */
        char *const *post[2]; /* ExecStopPost=- lines, NULL when fewer */
} OciCommands;
int oci_render_commands(const OciDefinition *d, const char *engine, const OciCommands *c, OciUnitFile *u);
/* Fixed "Key=Value" lines of [Service], string literals (see oci_unit_add_static()). */
int oci_unit_add_service_lines(OciUnitFile *u, const char *const *lines, size_t n);

/* For a template whose container is named after the instance: a check, before the start, that the
 * instance makes a valid container name, with a message that says so when it does not. */
int oci_render_instance_name_check(const OciDefinition *d, OciUnitFile *u);
/* s in specifier form (see oci_specifier_escape()): s itself when it holds no '%' (it must then
 * outlive the render), else a copy in out's store. NULL when memory runs out. */
const char *oci_render_specifier_form(OciRenderOut *out, const char *s);
/* The [Defaults] value of a binary path, in specifier form; it outlives the render (in out's store
 * when it had to be escaped). */
const char *oci_render_binary(OciRenderOut *out, OciOptionId id);
