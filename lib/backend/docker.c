/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The docker backend: "docker run" in the foreground as the service's main process. docker has no
 * readiness protocol of its own, so the service is Type=simple (active once docker run started;
 * with Notify=healthy once the health check passes); a container left by a crash is removed before
 * a start and after a stop. */
#include "escape.h"
#include "fetch.h"
#include "render.h"

static const OciBackendId B = OCI_BACKEND_DOCKER;

static const char *flag(OciOptionId id) {
        return oci_str(oci_option_render(id, B)->flag);
}

/* The file's name, as NixOS and Guix name their containers; a template's instances need their own. */
static char *container_name(const OciDefinition *d) {
        const char *name = oci_value_str(d, OCI_OPT_CONTAINER_NAME);
        if (name)
                return strdup(name);
        if (d->instance)
                return strdup("%p_%i");
        return oci_specifier_escape(d->name);
}

static bool docker_may_pull(const OciDefinition *d) {
        if (d->type != OCI_UNIT_CONTAINER)
                return false;
        const char *pull = oci_value_str(d, OCI_OPT_PULL);
        return (!pull || !streq(pull, "never")) && !oci_value_str(d, OCI_OPT_IMAGE_FILE) &&
               !oci_value_str(d, OCI_OPT_IMAGE_STREAM);
}

/* docker has no pods: a network stands in (seed 001), and only what it can carry fits */
static int docker_validate_pod(const OciDefinition *d, OciDiagSink *sink) {
        /* MemberAliases= too: every member has its alias here, so a pod's file works with both */
        static const OciOptionId fits[] = { OCI_OPT_BACKEND,      OCI_OPT_SERVICE_NAME,      OCI_OPT_POD_NAME,
                                            OCI_OPT_PUBLISH_PORT, OCI_OPT_OBJECT_LABEL,      OCI_OPT_POD_MEMBER_ALIASES };
        int ret = 0;
        for (size_t i = 0; i < _OCI_OPT_MAX; i++) {
                bool ok = false;
                for (size_t k = 0; k < ELEMENTSOF(fits); k++)
                        ok = ok || fits[k] == (OciOptionId) i;
                if (!ok && d->values[i].n_entries && (oci_options[i].sections & OCI_IN(POD)))
                        RET_GATHER(ret, oci_diag(sink, LOG_ERR, OCI_AT(d, &d->values[i]), oci_option_key(i),
                                                 "%s= is not supported in a .pod with Backend=docker: the pod is a network there",
                                                 oci_option_key(i)));
        }
        return ret;
}

static int docker_validate(const OciDefinition *d, OciDiagSink *sink) {
        if (d->type == OCI_UNIT_POD)
                return docker_validate_pod(d, sink);
        if (d->type == OCI_UNIT_IMAGE || d->type == OCI_UNIT_BUILD)
                return oci_docker_validate_image(d, sink);
        if (d->type != OCI_UNIT_CONTAINER)
                return 0;
        int ret = 0;
        /* a value its own check refused has no item: nothing more to say about it */
        if (streq_ptr(oci_value_str(d, OCI_OPT_PULL), "newer"))
                ret = oci_key_diag(sink, LOG_ERR, d, OCI_OPT_PULL, "newer is not supported with Backend=docker; Pull=always checks the registry on every start");
        const char *n = oci_value_str(d, OCI_OPT_NOTIFY);
        if (n && !streq(n, "conmon") && !streq(n, "no") && !streq(n, "healthy"))
                ret = oci_key_diag(sink, LOG_ERR, d, OCI_OPT_NOTIFY, "%s is not supported with Backend=docker: docker has no readiness notification; "
                               "the service is ready when the container starts, or with Notify=healthy when its health check first passes", n);
        return ret;
}

/* /bin/sh -c SCRIPT docker NAME [GlobalArgs]: the script runs "$0" "$@" as docker and names the
 * container "$n" */
static int shell_argv(OciRenderOut *rows, const char *docker, const char *name, const char *script, OciArgv *argv) {
        if (oci_argv_add(argv, "/bin/sh") < 0 || oci_argv_add(argv, "-c") < 0 || oci_argv_addf(argv, "n=$1; shift; %s", script) < 0 ||
            oci_argv_add(argv, docker) < 0 || oci_argv_add(argv, name) < 0 || oci_render_extend(argv, rows, OCI_ARGV_GLOBAL) < 0)
                return -ENOMEM;
        return 0;
}

/* docker [GlobalArgs] VERB */
static int base_argv(OciRenderOut *rows, const char *docker, const char *verb, OciArgv *argv) {
        if (oci_render_prefix(rows, docker, argv) < 0)
                return -ENOMEM;
        return oci_argv_add(argv, verb);
}

/* ContainerName=, or docker's name of the container */
int oci_docker_key_name(const OciDefinition *d, OciOptionId id, const OciItems *items, OciBackendId b, OciRenderOut *out) {
        _cleanup_free_ char *name = container_name(d);
        return name ? oci_argv_addf(&out->argv[OCI_ARGV_HEAD], "--name=%s", name) : -ENOMEM;
}

/* Pull=: docker run's own --pull (the check refused newer) */
int oci_docker_key_pull(const OciDefinition *d, OciOptionId id, const OciItems *items, OciBackendId b, OciRenderOut *out) {
        const char *pull = oci_value_str(d, id);
        return pull ? oci_argv_addf(&out->argv[OCI_ARGV_POST_EXTRA], "%s=%s", flag(id), pull) : 0;
}

/* Notify=healthy: the service is active once the health check first passes (docker has no
 * notification of its own: started, the container is polled), and fails when it is unhealthy */
int oci_docker_key_notify(const OciDefinition *d, OciOptionId id, const OciItems *items, OciBackendId b, OciRenderOut *out) {
        if (!streq_ptr(oci_value_str(d, id), "healthy"))
                return 0;
        return oci_argv_add(&out->argv[OCI_ARGV_READY],
                           "while :; do s=$(\"$0\" \"$@\" container inspect --format \"{{.State.Health.Status}}\" \"$n\") || exit; "
                           "case $s in healthy) exit 0;; unhealthy) echo \"$n: the health check failed\" >&2; exit 1;; esac; sleep 1; done");
}

/* Pod=: docker has no pods, so a network stands in (seed 001): the member joins it, known to the
 * others as POD-CONTAINER, as seed 001 names them, and the first member written publishes the
 * pod's ports as its own (docker_join_pod()) */
int oci_docker_key_pod(const OciDefinition *d, OciOptionId id, const OciItems *items, OciBackendId b, OciRenderOut *out) {
        OciArgv *late = &out->argv[OCI_ARGV_POST_EXTRA];
        for (size_t i = 0; i < items->n; i++) {
                const OciItem *pod = &items->items[i];
                if (oci_argv_addf(late, "%s=%s", flag(OCI_OPT_NETWORK), pod->resolved ? pod->resolved : pod->text) < 0 ||
                    oci_argv_addf(late, "%s=%s-%s", flag(OCI_OPT_NETWORK_ALIAS), pod->ref ? pod->ref : pod->text, d->name) < 0)
                        return -ENOMEM;
        }
        for (size_t i = 0; d->handoff && i < d->handoff->n; i++) {
                StrBuf s = {};
                int r = strbuf_printf(&s, "%s=", flag(OCI_OPT_PUBLISH_PORT));
                if (r >= 0)
                        r = oci_render_item(d, OCI_OPT_PUBLISH_PORT, &d->handoff->items[i], b, &s);
                if (r >= 0)
                        r = oci_argv_addn(late, s.s, s.len);
                strbuf_done(&s);
                if (r < 0)
                        return -ENOMEM;
        }
        return 0;
}

/* A container that joins a pod takes the pod's ports unless it does not start with the pod */
static bool docker_join_pod(const OciDefinition *d) {
        return oci_value_bool(d, OCI_OPT_START_WITH_POD) != 0;
}

static int docker_render(const OciDefinition *d, const OciRenderContext *ctx, OciRenderOut *rows, OciUnitFile *u) {
        const char *docker = oci_render_binary(rows, OCI_OPT_DOCKER_PATH);
        _cleanup_free_ char *name = container_name(d);
        OciArgv run = oci_argv_new(rows), rm = oci_argv_new(rows), stop = oci_argv_new(rows), reload = oci_argv_new(rows),
                ready = oci_argv_new(rows);
        static const char *const run_verb[] = { "run" };
        /* "docker rm -f" of no container says "Error: No such container" (docker 20.10): asked only
         * when there is one, so the journal has no error at every start and stop */
        if (!docker || !name || oci_render_command(rows, docker, run_verb, ELEMENTSOF(run_verb), &run) < 0 ||
            shell_argv(rows, docker, name, "if \"$0\" \"$@\" container inspect \"$n\" >/dev/null 2>&1; then exec \"$0\" \"$@\" rm -f \"$n\"; fi",
                       &rm) < 0 ||
            base_argv(rows, docker, "stop", &stop) < 0)
                return -ENOMEM;
        const OciArgv *script = &rows->argv[OCI_ARGV_READY];
        if (script->n && shell_argv(rows, docker, name, script->words[0], &ready) < 0)
                return -ENOMEM;
        const char *timeout = oci_value_str(d, OCI_OPT_STOP_TIMEOUT);
        if ((timeout && oci_argv_addf(&stop, "--time=%s", timeout) < 0) || oci_argv_add(&stop, name) < 0)
                return -ENOMEM;
        if (rows->argv[OCI_ARGV_RELOAD].n && (oci_render_prefix(rows, docker, &reload) < 0 || oci_render_extend(&reload, rows, OCI_ARGV_RELOAD) < 0))
                return -ENOMEM;

        /* the engine must run, and its socket be there, before and while the container does */
        int r = oci_unit_add_literal(u, OCI_UNIT_SECTION_UNIT, "Requires=docker.service");
        if (r >= 0)
                r = oci_unit_add_literal(u, OCI_UNIT_SECTION_UNIT, "After=docker.service docker.socket");
        static const char *const fixed[] = {
                "Type=simple",
                "SyslogIdentifier=%N",
        };
        if (r >= 0)
                r = oci_unit_add_service_lines(u, fixed, ELEMENTSOF(fixed));
        /* a container left by a crash would make the name taken: removed before and after */
        const OciCommands c = { .clean = rm.words, .load = rows->argv[OCI_ARGV_LOAD].words, .run = run.words, .reload = reload.words,
                                .stop = stop.words, .post = { rm.words } };
        if (r >= 0)
                r = oci_render_commands(d, docker, &c, u);
        return r < 0 || !ready.n ? r : oci_unit_add_exec(u, "ExecStartPost", "", ready.words);
}

/* A pod is a bridge network its members join. */
static int docker_render_pod(const OciDefinition *d, const OciRenderContext *ctx, OciRenderOut *rows, OciUnitFile *u) {
        OciArgv args = oci_argv_new(rows);
        /* the labels only: the pod's ports are its first member's (docker_join_pod()) */
        if (oci_render_flag_items(d, OCI_OPT_OBJECT_LABEL, B, &args) < 0)
                return -ENOMEM;
        return oci_render_object(d, ctx, rows, "network", &args, u);
}

const OciBackend oci_backend_docker = {
        .id = OCI_BACKEND_DOCKER,
        .oci = true,
        .binds_address = true,
        .binary = OCI_OPT_DOCKER_PATH,
        .join_pod = docker_join_pod,
        .pod_object = "network",
        .render = {
                [OCI_UNIT_CONTAINER] = docker_render,
                [OCI_UNIT_NETWORK] = oci_render_network,
                [OCI_UNIT_VOLUME] = oci_render_volume,
                [OCI_UNIT_POD] = docker_render_pod,
                [OCI_UNIT_IMAGE] = oci_docker_render_image,
                [OCI_UNIT_BUILD] = oci_docker_render_build,
        },
        .may_pull = docker_may_pull,
        .container_name = container_name,
        .validate = docker_validate,
};
