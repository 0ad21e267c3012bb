/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* podman's .kube service: "podman kube play" of the YAML files with a service container, whose
 * conmon tells systemd the pods are up (Type=notify), and "podman kube down" after the stop. */
#include <assert.h>

#include "fetch.h"

static const OciBackendId B = OCI_BACKEND_PODMAN;

static const char *flag(OciOptionId id) {
        return oci_option_render(id, B)->flag;
}

/* The deprecated RemapUsers=, RemapUid=, RemapGid= and RemapUidSize= as --userns, where UserNS=
 * does not say it (the check refuses both, and manual, which kube play cannot take). */
static int remap_argv(const OciDefinition *d, char ***argv) {
        const char *remap = oci_value_str(d, OCI_OPT_REMAP_USERS);
        if (!remap || oci_value_str(d, OCI_OPT_USER_NS))
                return 0;
        const char *userns = flag(OCI_OPT_USER_NS);
        StrBuf b = {};
        int r = strbuf_printf(&b, "%s=%s", userns, remap);
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
        if (r < 0) {
                strbuf_done(&b);
                return -ENOMEM;
        }
        return strv_push(argv, strbuf_steal(&b));
}

/* AutoUpdate=registry, or CONTAINER/local for one container: podman auto-update's annotation */
static int auto_update_argv(const OciDefinition *d, char ***argv) {
        static const char label[] = "io.containers.autoupdate";
        OCI_FOREACH_ITEM(it, d, OCI_OPT_KUBE_AUTO_UPDATE) {
                const char *slash = strrchr(it->text, '/');
                int r = slash ? strv_extendf(argv, "%s=%s/%.*s=%s", flag(OCI_OPT_KUBE_AUTO_UPDATE), label, (int) (slash - it->text),
                                             it->text, slash + 1)
                              : strv_extendf(argv, "%s=%s=%s", flag(OCI_OPT_KUBE_AUTO_UPDATE), label, it->text);
                if (r < 0)
                        return -ENOMEM;
        }
        return 0;
}

int oci_podman_render_kube(const OciDefinition *d, const OciRenderContext *ctx, OciUnitFile *u) {
        assert(d && ctx && u);
        _cleanup_strv_free_ char **play = NULL, **down = NULL;
        _cleanup_free_ char *workdir = NULL;
        if (oci_render_engine_argv(d, ctx, &play) < 0 || strv_extend_strv(&down, play) < 0 || oci_kube_workdir(d, &workdir) < 0)
                return -ENOMEM;
        /* --replace: a pod left by a crash is made again; the service container's conmon is what
         * tells systemd that the pods run (podman 4.3 has the flag, hidden) */
        static const char *const head[] = { "kube", "play", "--replace", "--service-container=true" };
        for (size_t i = 0; i < ELEMENTSOF(head); i++)
                if (strv_extend(&play, head[i]) < 0)
                        return -ENOMEM;
        if (oci_render_table_flags(d, B, &play) < 0 || remap_argv(d, &play) < 0 ||
            oci_render_flag_items(d, OCI_OPT_NETWORK, B, &play) < 0 || auto_update_argv(d, &play) < 0 ||
            oci_render_table_args(d, B, &play) < 0 || oci_value_extend_words(d, OCI_OPT_YAML, &play) < 0)
                return -ENOMEM;
        if (strv_extend(&down, "kube") < 0 || strv_extend(&down, "down") < 0)
                return -ENOMEM;
        int force = oci_value_bool(d, OCI_OPT_KUBE_DOWN_FORCE);
        if ((force > 0 && strv_extend(&down, flag(OCI_OPT_KUBE_DOWN_FORCE)) < 0) ||
            (force == 0 && strv_extendf(&down, "%s=false", flag(OCI_OPT_KUBE_DOWN_FORCE)) < 0) ||
            oci_value_extend_words(d, OCI_OPT_YAML, &down) < 0)
                return -ENOMEM;

        int r = oci_unit_add(u, OCI_UNIT_SECTION_UNIT, "RequiresMountsFor", "%t/containers");
        /* conmon must outlive podman's own process: the check allows only mixed or control-group */
        if (r >= 0)
                r = oci_unit_add(u, OCI_UNIT_SECTION_SERVICE, "KillMode", "mixed");
        if (r >= 0)
                r = oci_unit_add(u, OCI_UNIT_SECTION_SERVICE, "Environment", "PODMAN_SYSTEMD_UNIT=%n");
        /* Type=oneshot in [Service] is for a YAML of resources only, which nothing runs; the check
         * allows no other */
        const OciPassLine *type = oci_definition_pass_line(d, OCI_SECTION_SERVICE, "Type");
        bool oneshot = type && streq(type->value, "oneshot");
        if (r >= 0 && !oneshot)
                r = oci_unit_add(u, OCI_UNIT_SECTION_SERVICE, "Type", "notify");
        if (r >= 0 && !oneshot)
                r = oci_unit_add(u, OCI_UNIT_SECTION_SERVICE, "NotifyAccess", "all");
        if (r >= 0)
                r = oci_unit_add(u, OCI_UNIT_SECTION_SERVICE, "SyslogIdentifier", "%N");
        if (r >= 0 && workdir)
                r = oci_unit_add(u, OCI_UNIT_SECTION_SERVICE, "WorkingDirectory", workdir);
        if (r >= 0)
                r = oci_unit_add_exec(u, "ExecStart", "", play);
        /* after the stop, and after a failed start too: nothing of the pods is left behind */
        if (r >= 0)
                r = oci_unit_add_exec(u, "ExecStopPost", "", down);
        return r;
}
