/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* podman's .kube service: "podman kube play" of the YAML files with a service container, whose
 * conmon tells systemd the pods are up (Type=notify), and "podman kube down" after the stop. */
#include <assert.h>

#include "fetch.h"

static const OciBackendId B = OCI_BACKEND_PODMAN;

static const char *flag(OciOptionId id) {
        return oci_str(oci_option_render(id, B)->flag);
}

/* AutoUpdate=registry, or CONTAINER/local for one container: podman auto-update's annotation */
int oci_podman_key_kube_auto_update(const OciDefinition *d, OciOptionId id, const OciItems *items, OciBackendId b, OciRenderOut *out) {
        static const char label[] = "io.containers.autoupdate";
        for (size_t i = 0; i < items->n; i++) {
                const OciAutoUpdate *a = &items->items[i].auto_update;
                const char *policy = oci_auto_update_policy_to_string(a->policy);
                int r = a->container ? oci_argv_addf(&out->argv[OCI_ARGV_LATE_1], "%s=%s/%s=%s", flag(id), label, a->container, policy)
                                     : oci_argv_addf(&out->argv[OCI_ARGV_LATE_1], "%s=%s=%s", flag(id), label, policy);
                if (r < 0)
                        return -ENOMEM;
        }
        return 0;
}

/* Yaml=: the last words of kube play and of kube down */
int oci_podman_key_yaml(const OciDefinition *d, OciOptionId id, const OciItems *items, OciBackendId b, OciRenderOut *out) {
        return oci_argv_add_items(&out->argv[OCI_ARGV_TAIL], d, id);
}

/* KubeDownForce=: kube down removes the volumes too, or says it does not */
int oci_podman_key_kube_down(const OciDefinition *d, OciOptionId id, const OciItems *items, OciBackendId b, OciRenderOut *out) {
        int force = oci_value_bool(d, id);
        if (force > 0)
                return oci_argv_add(&out->argv[OCI_ARGV_STOP], flag(id));
        return force == 0 ? oci_argv_addf(&out->argv[OCI_ARGV_STOP], "%s=false", flag(id)) : 0;
}

/* [Kube] SetWorkingDirectory=: the service's WorkingDirectory= */
int oci_podman_key_kube_workdir(const OciDefinition *d, OciOptionId id, const OciItems *items, OciBackendId b, OciRenderOut *out) {
        _cleanup_free_ char *workdir = NULL;
        if (oci_kube_workdir(d, &workdir) < 0)
                return -ENOMEM;
        return workdir ? oci_unit_add(out->later, OCI_UNIT_SECTION_SERVICE, "WorkingDirectory", workdir) : 0;
}

int oci_podman_render_kube(const OciDefinition *d, const OciRenderContext *ctx, OciRenderOut *rows, OciUnitFile *u) {
        assert(d && ctx && rows && u);
        const char *podman = oci_render_binary(rows, OCI_OPT_PODMAN_PATH);
        OciArgv play = oci_argv_new(rows), down = oci_argv_new(rows);
        /* --replace: a pod left by a crash is made again; the service container's conmon is what
         * tells systemd that the pods run (podman 4.3 has the flag, hidden) */
        static const char *const head[] = { "kube", "play", "--replace", "--service-container=true" };
        /* the options in the order kube play has always had them: Remap*=, --network, AutoUpdate= */
        static const OciArgvPart parts[] = { OCI_ARGV_FLAGS, OCI_ARGV_LATE_3, OCI_ARGV_LATE_2, OCI_ARGV_LATE_1, OCI_ARGV_EXTRA, OCI_ARGV_TAIL };
        if (!podman || oci_render_prefix(rows, podman, &play) < 0)
                return -ENOMEM;
        if (oci_argv_push_all(&play, head, ELEMENTSOF(head)) < 0)
                return -ENOMEM;
        for (size_t i = 0; i < ELEMENTSOF(parts); i++)
                if (oci_render_extend(&play, rows, parts[i]) < 0)
                        return -ENOMEM;
        if (oci_render_prefix(rows, podman, &down) < 0 ||
            oci_argv_add(&down, "kube") < 0 || oci_argv_add(&down, "down") < 0 || oci_render_extend(&down, rows, OCI_ARGV_STOP) < 0 ||
            oci_render_extend(&down, rows, OCI_ARGV_TAIL) < 0)
                return -ENOMEM;

        int r = oci_unit_add_literal(u, OCI_UNIT_SECTION_UNIT, "RequiresMountsFor=%t/containers");
        /* conmon must outlive podman's own process: the check allows only mixed or control-group */
        if (r >= 0)
                r = oci_unit_add_literal(u, OCI_UNIT_SECTION_SERVICE, "KillMode=mixed");
        if (r >= 0)
                r = oci_unit_add_literal(u, OCI_UNIT_SECTION_SERVICE, "Environment=PODMAN_SYSTEMD_UNIT=%n");
        /* Type=oneshot in [Service] is for a YAML of resources only, which nothing runs; the check
         * allows no other */
        const OciPassLine *type = oci_definition_pass_line(d, OCI_SECTION_SERVICE, "Type");
        bool oneshot = type && streq(type->value, "oneshot");
        if (r >= 0 && !oneshot)
                r = oci_unit_add_literal(u, OCI_UNIT_SECTION_SERVICE, "Type=notify");
        if (r >= 0 && !oneshot)
                r = oci_unit_add_literal(u, OCI_UNIT_SECTION_SERVICE, "NotifyAccess=all");
        if (r >= 0)
                r = oci_unit_add_literal(u, OCI_UNIT_SECTION_SERVICE, "SyslogIdentifier=%N");
        if (r >= 0)
                r = oci_unit_add_exec(u, "ExecStart", "", play.words);
        /* after the stop, and after a failed start too: nothing of the pods is left behind */
        if (r >= 0)
                r = oci_unit_add_exec(u, "ExecStopPost", "", down.words);
        return r;
}
