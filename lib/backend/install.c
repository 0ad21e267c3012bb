/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* [Install]: its lines, and the links the generator makes for it (systemctl enable is not run on
 * generated units). */
#include <assert.h>
#include <limits.h>
#include <stdio.h>

#include "escape.h"
#include "render-internal.h"

static const char *const install_dirs[][2] = {
        { "WantedBy", ".wants" },
        { "RequiredBy", ".requires" },
        { "UpheldBy", ".upholds" },
};

/* The unit that [Install] links enable in *ret: the unit itself, or for a template its default
 * instance (malloc()ed, in *ret_buf too, which is else NULL); NULL when there is nothing to enable
 * (a template without DefaultInstance=). Returns 0 or -ENOMEM. */
static int enabled_name(const OciDefinition *d, const char **ret, char **ret_buf) {
        *ret = *ret_buf = NULL;
        const char *def = oci_value_str(d, OCI_OPT_DEFAULT_INSTANCE);
        if (d->instance && !*d->instance && !def)
                return 0;
        if (!d->instance || *d->instance) {
                *ret = d->unit_name;
                return 0;
        }
        *ret = *ret_buf = xasprintf("%.*s@%s.service", (int) (strlen(d->unit_name) - strlen("@.service")), d->unit_name, def);
        return *ret ? 0 : -ENOMEM;
}

int oci_render_pod_member(const OciDefinition *d, char **ret) {
        assert(d && ret);
        *ret = NULL;
        if (!d->pod_unit || oci_value_bool(d, OCI_OPT_START_WITH_POD) == 0)
                return 0;
        /* a template without DefaultInstance=: its instances are members by their own files */
        const char *name;
        char *buf;
        if (enabled_name(d, &name, &buf) < 0)
                return -ENOMEM;
        *ret = buf ? buf : name ? strdup(name) : NULL;
        return !name || *ret ? 0 : -ENOMEM;
}

int oci_render_install(const OciDefinition *d, const OciRenderContext *ctx, const OciBackend *be, OciUnitFile *u) {
        assert(d && ctx && be && u);
        static const OciOptionId ids[] = { OCI_OPT_WANTED_BY, OCI_OPT_REQUIRED_BY, OCI_OPT_UPHELD_BY };
        /* what the links point to: "../NAME.service" */
        size_t n = strlen(d->unit_name);
        const char *enabled;
        _cleanup_free_ char *self = malloc(3 + n + 1), *enabled_buf = NULL;
        if (!self || enabled_name(d, &enabled, &enabled_buf) < 0)
                return -ENOMEM;
        memcpy(self, "../", 3);
        memcpy(self + 3, d->unit_name, n + 1);
        for (size_t k = 0; k < ELEMENTSOF(ids); k++) {
                const OciItems *targets = &d->values[ids[k]].items;
                int r = 0;
                /* systemd 252 does not know UpheldBy= in [Install]: the link is all it gets; one
                 * target, the usual case, is its own value */
                if (targets->n == 1 && ids[k] != OCI_OPT_UPHELD_BY)
                        r = oci_unit_add(u, OCI_UNIT_SECTION_INSTALL, oci_option_key(ids[k]), targets->items[0].text);
                else if (targets->n && ids[k] != OCI_OPT_UPHELD_BY) {
                        StrBuf j = {};
                        for (size_t i = 0; r >= 0 && i < targets->n; i++) {
                                if (i > 0)
                                        r = strbuf_putc(&j, ' ');
                                if (r >= 0)
                                        r = strbuf_puts(&j, targets->items[i].text);
                        }
                        if (r >= 0)
                                r = oci_unit_add(u, OCI_UNIT_SECTION_INSTALL, oci_option_key(ids[k]), j.s);
                        strbuf_done(&j);
                }
                OCI_FOREACH_ITEM(t, d, ids[k]) {
                        if (r < 0 || !enabled)
                                break;
                        const char *const path[] = { t->text, install_dirs[k][1], "/", enabled };
                        r = oci_unit_add_link_join(u, self, path, ELEMENTSOF(path));
                }
                if (r < 0)
                        return r;
        }
        const char *def = oci_value_str(d, OCI_OPT_DEFAULT_INSTANCE);
        if (def && oci_unit_addf(u, OCI_UNIT_SECTION_INSTALL, oci_option_key(OCI_OPT_DEFAULT_INSTANCE), "%s", def) < 0)
                return -ENOMEM;
        _cleanup_strv_free_ char **aliases = NULL;
        if (oci_value_extend_words(d, OCI_OPT_ALIAS, &aliases) < 0)
                return -ENOMEM;
        if (aliases) {
                _cleanup_free_ char *j = strv_join(aliases, " ");
                if (!j || oci_unit_add(u, OCI_UNIT_SECTION_INSTALL, oci_option_key(OCI_OPT_ALIAS), j) < 0)
                        return -ENOMEM;
        }
        /* an alias in a subdirectory links back up to the unit */
        for (char **a = aliases; a && *a; a++) {
                StrBuf target = {};
                int r = 0;
                for (const char *c = strchr(*a, '/'); r >= 0 && c; c = strchr(c + 1, '/'))
                        r = strbuf_puts(&target, "../");
                if (r >= 0)
                        r = strbuf_puts(&target, d->unit_name);
                if (r >= 0)
                        r = oci_unit_add_link(u, *a, target.s);
                strbuf_done(&target);
                if (r < 0)
                        return -ENOMEM;
        }
        bool installed = false;
        for (size_t k = 0; k < ELEMENTSOF(ids); k++)
                installed = installed || oci_value_count(d, ids[k]);

        /* AutoStart= defaults to yes unless the file says how to install itself; a template has
         * nothing to start but its default instance */
        int autostart = oci_value_bool(d, OCI_OPT_AUTO_START);
        if (autostart < 0) /* networks, volumes and images start when a container needs them */
                autostart = oci_file_type(d->type)->autostart && d->section_line[OCI_SECTION_INSTALL] == 0 && enabled &&
                            (!d->instance || *d->instance);
        if (autostart && !enabled)
                oci_key_diag(ctx->sink, LOG_WARNING, d, OCI_OPT_AUTO_START, "yes on a template starts nothing without DefaultInstance= in [Install]");
        if (autostart && enabled) {
                const char *target = ctx->user                ? "default.target"
                                     : be->autostart_target ? be->autostart_target
                                                            : "multi-user.target";
                const char *const path[] = { target, ".wants/", enabled };
                if (oci_unit_add_link_join(u, self, path, ELEMENTSOF(path)) < 0)
                        return -ENOMEM;
        }
        /* what starts at boot also starts with "systemctl start oci-containers.target": the
         * target's drop-in wants it, unless WantedBy= linked it there already */
        if ((autostart || installed) && enabled) {
                /* OCI_TARGET.wants/UNIT, in a buffer a unit name fits in; a template's
                 * NAME@DEFAULTINSTANCE.service may be longer, and is put together in memory */
                static const char wants[] = OCI_TARGET ".wants/";
                char buf[sizeof(wants) + OCI_UNIT_NAME_MAX];
                size_t k = strlen(enabled);
                _cleanup_free_ char *longer = k > OCI_UNIT_NAME_MAX ? strjoin(wants, enabled) : NULL;
                if (k > OCI_UNIT_NAME_MAX && !longer)
                        return -ENOMEM;
                if (!longer) {
                        memcpy(buf, wants, sizeof(wants) - 1);
                        memcpy(buf + sizeof(wants) - 1, enabled, k + 1);
                }
                bool linked = oci_unit_has_link(u, longer ? longer : buf);
                if (!linked && oci_unit_set_target_wants(u, enabled) < 0)
                        return -ENOMEM;
        }
        return 0;
}

