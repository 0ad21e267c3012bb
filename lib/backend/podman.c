/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The podman backend: the unit Quadlet 5 writes for the same file, in a form podman 4.3 (Debian 12)
 * accepts. Every command names the container (or pod) by its name, as Quadlet 5 does: no cid or
 * pod id file, which podman 4.3 refuses to write over after a crash. */
#include "escape.h"
#include "fetch.h"
#include "render-internal.h"

static const OciBackendId B = OCI_BACKEND_PODMAN;

static const char *flag(OciOptionId id) {
        return oci_str(oci_option_render(id, B)->flag);
}

static bool podman_may_pull(const OciDefinition *d) {
        if (d->type == OCI_UNIT_POD)
                return true; /* its infra container comes from an image podman may pull */
        if (d->type == OCI_UNIT_VOLUME)
                return oci_value_str(d, OCI_OPT_VOLUME_IMAGE); /* the image driver pulls what it lacks */
        if (d->type != OCI_UNIT_CONTAINER)
                return false;
        const char *pull = oci_value_str(d, OCI_OPT_PULL);
        return oci_value_str(d, OCI_OPT_IMAGE) && (!pull || !streq(pull, "never")) &&
               !oci_value_str(d, OCI_OPT_IMAGE_FILE) && !oci_value_str(d, OCI_OPT_IMAGE_STREAM);
}

/* words that are string literals */
static int extend(OciArgv *argv, const char *const *words, size_t n) {
        return oci_argv_push_all(argv, words, n);
}

static const char *container_name(const OciDefinition *d) {
        const char *name = oci_value_str(d, OCI_OPT_CONTAINER_NAME);
        return name ? name : d->instance ? "systemd-%p_%i" : "systemd-%N";
}

/* podman rm -v -f -i NAME: removes the container whatever state it is in, and is content when
 * there is none (podman 4.3 takes each of these flags) */
static int rm_argv(const OciDefinition *d, OciRenderOut *rows, const char *podman, OciArgv *argv) {
        static const char *const tail[] = { "rm", "-v", "-f", "-i" };
        if (oci_render_prefix(rows, podman, argv) < 0 || extend(argv, tail, ELEMENTSOF(tail)) < 0)
                return -ENOMEM;
        return oci_argv_push(argv, (char *) container_name(d)); /* the definition's text, or a literal */
}

static char *container_name_dup(const OciDefinition *d) {
        return strdup(container_name(d));
}

/* The deprecated Remap*= keys, as Quadlet translates them (the check refuses them beside UserNS=
 * and the maps): manual is the maps themselves, auto and keep-id are --userns with options. */
static int remap_argv(const OciDefinition *d, OciArgv *argv) {
        const char *remap = oci_value_str(d, OCI_OPT_REMAP_USERS);
        if (!remap)
                return 0;
        const OciItems *uids = &d->values[OCI_OPT_REMAP_UID].items, *gids = &d->values[OCI_OPT_REMAP_GID].items;
        if (streq(remap, "manual")) {
                for (size_t i = 0; i < uids->n; i++)
                        if (oci_argv_addf(argv, "%s=%s", flag(OCI_OPT_REMAP_UID), uids->items[i].text) < 0)
                                return -ENOMEM;
                for (size_t i = 0; i < gids->n; i++)
                        if (oci_argv_addf(argv, "%s=%s", flag(OCI_OPT_REMAP_GID), gids->items[i].text) < 0)
                                return -ENOMEM;
                return 0;
        }
        bool automatic = streq(remap, "auto");
        StrBuf b = {};
        int r = strbuf_printf(&b, "%s=%s", flag(OCI_OPT_USER_NS), remap);
        char sep = ':';
        for (size_t i = 0; r >= 0 && i < uids->n; i++, sep = ',')
                r = strbuf_printf(&b, "%c%s%s", sep, automatic ? "uidmapping=" : "uid=", uids->items[i].text);
        for (size_t i = 0; r >= 0 && i < gids->n; i++, sep = ',')
                r = strbuf_printf(&b, "%c%s%s", sep, automatic ? "gidmapping=" : "gid=", gids->items[i].text);
        const char *size = oci_value_str(d, OCI_OPT_REMAP_UID_SIZE);
        if (r >= 0 && automatic && size && strtol(size, NULL, 10) > 0)
                r = strbuf_printf(&b, "%c%s%s", sep, flag(OCI_OPT_REMAP_UID_SIZE), size);
        r = r < 0 ? r : oci_argv_addn(argv, b.s, b.len);
        strbuf_done(&b);
        return r;
}

/* The same for podman kube play, as --userns where UserNS= does not say it (the check refuses
 * both, and manual, which kube play cannot take). */
static int kube_remap_argv(const OciDefinition *d, OciArgv *argv) {
        const char *remap = oci_value_str(d, OCI_OPT_REMAP_USERS);
        if (!remap || oci_value_str(d, OCI_OPT_USER_NS))
                return 0;
        StrBuf b = {};
        int r = strbuf_printf(&b, "%s=%s", flag(OCI_OPT_USER_NS), remap);
        char sep = ':';
        bool keep_id = streq(remap, "keep-id");
        OCI_FOREACH_ITEM(it, d, OCI_OPT_REMAP_UID) {
                if (r >= 0)
                        r = strbuf_printf(&b, "%c%s=%s", sep, keep_id ? "uid" : "uidmapping", it->text);
                sep = ',';
        }
        OCI_FOREACH_ITEM(it, d, OCI_OPT_REMAP_GID) {
                if (r >= 0)
                        r = strbuf_printf(&b, "%c%s=%s", sep, keep_id ? "gid" : "gidmapping", it->text);
                sep = ',';
        }
        const char *size = oci_value_str(d, OCI_OPT_REMAP_UID_SIZE);
        if (r >= 0 && size && !keep_id && strtol(size, NULL, 10) > 0)
                r = strbuf_printf(&b, "%csize=%s", sep, size);
        r = r < 0 ? r : oci_argv_addn(argv, b.s, b.len);
        strbuf_done(&b);
        return r;
}

/* RemapUsers=, RemapUid=, RemapGid= and RemapUidSize= */
int oci_podman_key_remap(const OciDefinition *d, OciOptionId id, const OciItems *items, OciBackendId b, OciRenderOut *out) {
        OciArgv *late = &out->argv[OCI_ARGV_LATE_3];
        return d->type == OCI_UNIT_KUBE ? kube_remap_argv(d, late) : remap_argv(d, late);
}

/* A [Service] line whose value the unit cannot work with, at its line. */
static int service_line_diag(OciDiagSink *sink, const OciDefinition *d, const OciPassLine *l, const char *what) {
        return oci_diag(sink, LOG_ERR, d->sources ? d->sources[l->source] : d->path, l->line, l->key, "[Service] %s=%s: %s", l->key,
                        l->value, what);
}

/* MemberAliases=yes: podman pod create takes --network-alias only for a bridge network, a named one
 * or rootful podman's default; a rootless pod's default network (slirp4netns on podman 4.3, pasta
 * on 5) refuses them, so it must name one. */
static int member_aliases_validate(const OciDefinition *d, OciDiagSink *sink) {
        static const char *const no_alias[] = { "host", "none", "container", "ns", "slirp4netns", "pasta", "private" };
        OCI_FOREACH_ITEM(it, d, OCI_OPT_NETWORK)
                for (size_t i = 0; i < ELEMENTSOF(no_alias); i++)
                        if (streq(it->network.mode, no_alias[i]))
                                return oci_key_diag(sink, LOG_ERR, d, OCI_OPT_POD_MEMBER_ALIASES,
                                                    "yes: podman gives a pod's members network aliases only on a bridge network, not "
                                                    "with Network=%s; remove one of them", it->text);
        if (!oci_value_count(d, OCI_OPT_NETWORK) && d->user)
                return oci_key_diag(sink, LOG_ERR, d, OCI_OPT_POD_MEMBER_ALIASES,
                                    "yes: a rootless pod's default network takes no network aliases; give it Network=NAME.network");
        return 0;
}

/* What Quadlet refuses of [Service]: a container's service is Type=notify or oneshot, and is killed
 * with KillMode=mixed or control-group; a pod's is the infra conmon's, Type=forking. RemapUsers=keep-id
 * takes one UID and one GID. */
static int podman_validate(const OciDefinition *d, OciDiagSink *sink) {
        int ret = 0;
        const OciPassLine *type = oci_definition_pass_line(d, OCI_SECTION_SERVICE, "Type");
        const OciPassLine *kill = oci_definition_pass_line(d, OCI_SECTION_SERVICE, "KillMode");
        if (d->type == OCI_UNIT_CONTAINER && type && !streq(type->value, "notify") && !streq(type->value, "oneshot"))
                RET_GATHER(ret, service_line_diag(sink, d, type, "a podman container's service is Type=notify (the default) or oneshot (podman "
                                                                 "runs until the container exits)"));
        if (d->type == OCI_UNIT_CONTAINER && kill && !streq(kill->value, "mixed") && !streq(kill->value, "control-group"))
                RET_GATHER(ret, service_line_diag(sink, d, kill, "podman and conmon stop a container with KillMode=mixed (the default) "
                                                                 "or control-group, not this"));
        if (d->type == OCI_UNIT_POD && type && !streq(type->value, "forking"))
                RET_GATHER(ret, service_line_diag(sink, d, type, "a pod's service is Type=forking, its main process the infra container's "
                                                                 "conmon; remove the line"));
        OCI_FOREACH_ITEM(it, d, OCI_OPT_PUBLISH_PORT)
                if (it->port.host_lo && it->port.host_hi - it->port.host_lo != it->port.ctr_hi - it->port.ctr_lo)
                        RET_GATHER(ret, oci_diag(sink, LOG_ERR, it->loc.file, it->loc.line, oci_option_key(OCI_OPT_PUBLISH_PORT),
                                                 "%s=%s: podman maps a range of host ports only onto a range of container ports of the "
                                                 "same length; give one host port, or use Backend=docker, which takes a free one of the range",
                                                 oci_option_key(OCI_OPT_PUBLISH_PORT), oci_item_written(d, OCI_OPT_PUBLISH_PORT, it)));
        if (d->type == OCI_UNIT_POD && oci_value_bool(d, OCI_OPT_POD_MEMBER_ALIASES) > 0)
                RET_GATHER(ret, member_aliases_validate(d, sink));
        if (!streq_ptr(oci_value_str(d, OCI_OPT_REMAP_USERS), "keep-id"))
                return ret;
        static const OciOptionId one[] = { OCI_OPT_REMAP_UID, OCI_OPT_REMAP_GID };
        for (size_t i = 0; i < ELEMENTSOF(one); i++)
                if (oci_value_count(d, one[i]) > 1)
                        RET_GATHER(ret, oci_key_diag(sink, LOG_ERR, d, one[i], " is given %zu times, but RemapUsers=keep-id takes one %s",
                                                     oci_value_count(d, one[i]), one[i] == OCI_OPT_REMAP_UID ? "UID" : "GID"));
        return ret;
}

static const char *notify_mode(const OciDefinition *d) {
        const char *n = oci_value_str(d, OCI_OPT_NOTIFY);
        if (!n || streq(n, "no"))
                return "conmon";
        if (streq(n, "yes"))
                return "container";
        return n;
}

/* [Service] Type=oneshot: podman runs in the foreground until the container exits, as Quadlet has
 * it; else Type=notify, the readiness told through conmon (or the container) and podman detached. */
static bool oneshot(const OciDefinition *d) {
        const OciPassLine *type = oci_definition_pass_line(d, OCI_SECTION_SERVICE, "Type");
        return type && streq(type->value, "oneshot");
}

/* ContainerName=, AutoRemove=, CgroupsMode= and Notify=: the options Quadlet starts podman run
 * with, in its order */
int oci_podman_key_run_options(const OciDefinition *d, OciOptionId id, const OciItems *items, OciBackendId b, OciRenderOut *out) {
        OciArgv *head = &out->argv[OCI_ARGV_HEAD];
        /* the flags are string literals, the table's or these: words as they are */
        const char *const name[] = { "--name=", container_name(d) };
        const char *const cgroups[] = { flag(OCI_OPT_CGROUPS_MODE), "=", oci_value_str(d, OCI_OPT_CGROUPS_MODE) };
        if (oci_argv_add_join(head, name, ELEMENTSOF(name)) < 0 || oci_argv_push(head, (char *) "--replace") < 0 ||
            (oci_value_bool(d, OCI_OPT_AUTO_REMOVE) > 0 && oci_argv_push(head, (char *) flag(OCI_OPT_AUTO_REMOVE)) < 0) ||
            oci_argv_add_join(head, cgroups, ELEMENTSOF(cgroups)) < 0)
                return -ENOMEM;
        const char *const notify[] = { flag(OCI_OPT_NOTIFY), "=", notify_mode(d) };
        if (!oneshot(d) && (oci_argv_add_join(head, notify, ELEMENTSOF(notify)) < 0 || oci_argv_push(head, (char *) "-d") < 0))
                return -ENOMEM;
        return 0;
}

/* RunAs=: the service's user, whose podman keeps its runtime directory under /run/user/UID (without
 * it, the service manager's: %t) */
int oci_podman_key_run_as(const OciDefinition *d, OciOptionId id, const OciItems *items, OciBackendId b, OciRenderOut *out) {
        int r = oci_render_run_as(d, out->unit);
        OciUnitFile *u = out->unit;
        if (r >= 0)
                r = d->run_as.user ? oci_unit_addf(u, OCI_UNIT_SECTION_UNIT, "RequiresMountsFor", "/run/user/%u/containers", d->run_as.uid)
                                   : oci_unit_add_literal(u, OCI_UNIT_SECTION_UNIT, "RequiresMountsFor=%t/containers");
        /* a rootless health check runs as a timer of the user's own service manager */
        if (r >= 0 && d->run_as.user && streq(notify_mode(d), "healthy")) {
                r = oci_unit_addf(u, OCI_UNIT_SECTION_UNIT, "Requires", "user@%u.service", d->run_as.uid);
                if (r >= 0)
                        r = oci_unit_addf(u, OCI_UNIT_SECTION_UNIT, "After", "user@%u.service", d->run_as.uid);
        }
        return r;
}

/* Pod=: the pod's name */
int oci_podman_key_pod(const OciDefinition *d, OciOptionId id, const OciItems *items, OciBackendId b, OciRenderOut *out) {
        return oci_render_flag_items(d, id, b, &out->argv[OCI_ARGV_LATE_3]);
}

/* ExitPolicy= of a pod, as Quadlet spells it: two words */
int oci_podman_key_exit_policy(const OciDefinition *d, OciOptionId id, const OciItems *items, OciBackendId b, OciRenderOut *out) {
        OciArgv *head = &out->argv[OCI_ARGV_HEAD];
        return oci_argv_add(head, flag(id)) < 0 ? -ENOMEM : oci_argv_add(head, oci_value_str(d, id));
}

/* [Pod] StopTimeout=: podman pod stop --time= */
int oci_podman_key_pod_stop(const OciDefinition *d, OciOptionId id, const OciItems *items, OciBackendId b, OciRenderOut *out) {
        return oci_argv_addf(&out->argv[OCI_ARGV_STOP], "%s=%s", flag(id), oci_value_str(d, id));
}

static int podman_render(const OciDefinition *d, const OciRenderContext *ctx, OciRenderOut *rows, OciUnitFile *u) {
        const char *podman = oci_render_binary(rows, OCI_OPT_PODMAN_PATH);
        OciArgv run = oci_argv_new(rows), stop = oci_argv_new(rows), reload = oci_argv_new(rows);
        static const char *const verb[] = { "run" };
        if (!podman || oci_render_command(rows, podman, verb, ELEMENTSOF(verb), &run) < 0 || rm_argv(d, rows, podman, &stop) < 0 ||
            (rows->argv[OCI_ARGV_RELOAD].n &&
             (oci_render_prefix(rows, podman, &reload) < 0 || oci_render_extend(&reload, rows, OCI_ARGV_RELOAD) < 0)))
                return -ENOMEM;

        int r = oci_unit_add_literal(u, OCI_UNIT_SECTION_SERVICE, "Environment=PODMAN_SYSTEMD_UNIT=%n");

        static const char *const fixed[] = {
                "KillMode=mixed",
                "Delegate=yes",
                "SyslogIdentifier=%N",
                "Type=notify",
                "NotifyAccess=all",
        };
        if (r >= 0)
                r = oci_unit_add_service_lines(u, fixed, ELEMENTSOF(fixed) - (oneshot(d) ? 2 : 0));
        /* when conmon dies, ExecStop= is skipped and only ExecStopPost= runs: both remove it */
        const OciCommands c = { .load = rows->argv[OCI_ARGV_LOAD].words, .run = run.words, .reload = reload.words, .stop = stop.words,
                                .post = { stop.words } };
        return r < 0 ? r : oci_render_commands(d, podman, &c, u);
}

/* The pod: made before its start with an infra container, whose conmon is the service's main
 * process (Type=forking with its pid file), as Quadlet does; removed after the stop. Every command
 * names the pod. */
static int podman_render_pod(const OciDefinition *d, const OciRenderContext *ctx, OciRenderOut *rows, OciUnitFile *u) {
        const char *podman = oci_render_binary(rows, OCI_OPT_PODMAN_PATH);
        _cleanup_free_ char *name = oci_specifier_escape(d->resource);
        OciArgv create = oci_argv_new(rows), start = oci_argv_new(rows), stop = oci_argv_new(rows), remove = oci_argv_new(rows);
        if (!podman || !name || oci_render_prefix(rows, podman, &create) < 0 || oci_argv_append(&start, &create) < 0 ||
            oci_argv_append(&stop, &create) < 0 || oci_argv_append(&remove, &create) < 0)
                return -ENOMEM;
        /* spelt as Quadlet spells them */
        static const char *const create_head[] = { "pod", "create", "--infra-conmon-pidfile=%t/%N.pid", "--replace" };
        if (extend(&create, create_head, ELEMENTSOF(create_head)) < 0 || oci_render_extend(&create, rows, OCI_ARGV_HEAD) < 0 ||
            oci_render_extend(&create, rows, OCI_ARGV_LATE_3) < 0 || oci_render_extend(&create, rows, OCI_ARGV_FLAGS) < 0 ||
            oci_render_extend(&create, rows, OCI_ARGV_LATE_2) < 0 ||
            oci_argv_add(&create, "--infra-name") < 0 || oci_argv_addf(&create, "%s-infra", name) < 0 ||
            oci_argv_add(&create, "--name") < 0 || oci_argv_add(&create, name) < 0 || oci_render_extend(&create, rows, OCI_ARGV_EXTRA) < 0)
                return -ENOMEM;
        static const char *const start_tail[] = { "pod", "start" }, *const stop_tail[] = { "pod", "stop", "--ignore" },
                                 *const rm_tail[] = { "pod", "rm", "--ignore", "--force" };
        if (extend(&start, start_tail, ELEMENTSOF(start_tail)) < 0 || oci_argv_add(&start, name) < 0 ||
            extend(&stop, stop_tail, ELEMENTSOF(stop_tail)) < 0 || oci_render_extend(&stop, rows, OCI_ARGV_STOP) < 0 ||
            oci_argv_add(&stop, name) < 0 || extend(&remove, rm_tail, ELEMENTSOF(rm_tail)) < 0 || oci_argv_add(&remove, name) < 0)
                return -ENOMEM;

        static const char *const fixed[] = {
                "Environment=PODMAN_SYSTEMD_UNIT=%n",
                "Type=forking",
                "PIDFile=%t/%N.pid",
                "Restart=on-failure",
                "SyslogIdentifier=%N",
        };
        /* podman's runtime directory must be there, as for a container */
        int r = oci_unit_add_literal(u, OCI_UNIT_SECTION_UNIT, "RequiresMountsFor=%t/containers");
        if (r >= 0)
                r = oci_unit_add_service_lines(u, fixed, ELEMENTSOF(fixed));
        if (r >= 0)
                r = oci_unit_add_exec(u, "ExecStartPre", "", create.words);
        if (r >= 0)
                r = oci_unit_add_exec(u, "ExecStart", "", start.words);
        if (r >= 0)
                r = oci_unit_add_exec(u, "ExecStop", "", stop.words);
        if (r >= 0)
                r = oci_unit_add_exec(u, "ExecStopPost", "-", remove.words);
        return r;
}

const OciBackend oci_backend_podman = {
        .id = OCI_BACKEND_PODMAN,
        .oci = true,
        .binds_address = true,
        .binary = OCI_OPT_PODMAN_PATH,
        .render = {
                [OCI_UNIT_CONTAINER] = podman_render,
                [OCI_UNIT_NETWORK] = oci_render_network,
                [OCI_UNIT_VOLUME] = oci_render_volume,
                [OCI_UNIT_POD] = podman_render_pod,
                [OCI_UNIT_IMAGE] = oci_podman_render_image,
                [OCI_UNIT_BUILD] = oci_podman_render_build,
                [OCI_UNIT_KUBE] = oci_podman_render_kube,
                [OCI_UNIT_ARTIFACT] = oci_podman_render_artifact,
        },
        .may_pull = podman_may_pull,
        .container_name = container_name_dup,
        .validate = podman_validate,
};
