/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The rules of a .container beyond the table's, and the name of the container it makes. */
#include <assert.h>
#include <ctype.h>

#include "check-internal.h"
#include "escape.h"
#include "render.h"

/* The container's name as another definition's Network=NAME.container names it, literal: the
 * engine's name with %N resolved, as Quadlet resolves it; NULL when more is known only at start (a
 * template's instance, another specifier). Returns 0 or -ENOMEM. */
static int container_resource(OciDefinition *d) {
        const OciBackend *be = oci_backend_get(d->backend);
        free(d->resource);
        d->resource = NULL;
        _cleanup_free_ char *name = be && be->container_name ? be->container_name(d) : NULL;
        if (!name)
                return be && be->container_name ? -ENOMEM : 0;
        StrBuf b = {};
        int r = 0;
        for (const char *c = name; r >= 0 && *c; c++)
                if (c[0] == '%' && c[1] == 'N') {
                        r = strbuf_putn(&b, d->unit_name, strlen(d->unit_name) - strlen(".service"));
                        c++;
                } else
                        r = strbuf_putc(&b, *c);
        if (r < 0) {
                strbuf_done(&b);
                return -ENOMEM;
        }
        if (b.s && !strchr(b.s, '%'))
                d->resource = strbuf_steal(&b);
        strbuf_done(&b);
        return 0;
}

int oci_check_container(OciDefinition *d, const OciCheckContext *ctx) {
        assert(d && ctx);
        int ret = 0;
        const char *ours = d->unit_name ? strrchr(d->unit_name, '.') : ".service";
        bool tmpl = d->instance && !*d->instance;
        OCI_FOREACH_ITEM(a, d, OCI_OPT_ALIAS)
                if (!endswith(a->text, ours ? ours : ".service") || tmpl != (strstr(a->text, "@.") != NULL))
                        RET_GATHER(ret, oci_key_diag(ctx->sink, LOG_ERR, d, OCI_OPT_ALIAS, "%s must be a %s name ending in %s, as the unit it names",
                                                     a->text, tmpl ? "template" : "unit", ours ? ours : ".service"));
                else if (oci_unit_name_is_ours(a->text))
                        RET_GATHER(ret, oci_diag_at(ctx->sink, LOG_ERR, a->loc.file, a->loc.line, a->loc.column, oci_option_key(OCI_OPT_ALIAS),
                                                 "%s=%s is a unit of oci-containers itself, which the alias would replace; choose another alias",
                                                 oci_option_key(OCI_OPT_ALIAS), a->text));

        const char *definst = oci_value_str(d, OCI_OPT_DEFAULT_INSTANCE);
        /* a trailing backslash would join the next line of the unit to DefaultInstance= */
        if (definst && (!oci_unit_prefix_valid(definst) || endswith(definst, "\\")))
                RET_GATHER(ret, oci_key_diag(ctx->sink, LOG_ERR, d, OCI_OPT_DEFAULT_INSTANCE,
                                             "%s is not a valid instance name (letters, digits and \":-_.\\\", not starting or ending "
                                             "with '.', without '..', not ending in '\\')", definst));
        else if (definst && !d->instance) /* an instance inherits its template's: nothing to say */
                oci_key_diag(ctx->sink, LOG_WARNING, d, OCI_OPT_DEFAULT_INSTANCE, " only means something in a template (NAME@.container), ignoring");

        /* an instance file names its container after its instance: the engines' rules apply */
        const OciBackend *be = oci_backend_get(d->backend);
        if (be && be->oci && d->instance && *d->instance && !oci_value_str(d, OCI_OPT_CONTAINER_NAME) &&
            (!isalnum((unsigned char) d->instance[0]) ||
             strspn(d->instance, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") != strlen(d->instance)))
                RET_GATHER(ret, oci_diag(ctx->sink, LOG_ERR, d->path, 0, NULL,
                                         "the instance name '%s' cannot name a container: use letters, digits, '_', '.' and '-', "
                                         "or set ContainerName=", d->instance));
        GATHER_OR_RETURN(ret, oci_check_run_as(d, ctx));
        for (size_t i = 0; i < d->n_pass; i++)
                if (d->pass[i].section == OCI_SECTION_SERVICE && streq(d->pass[i].key, "ExecStart"))
                        /* an empty one is not ignored: it resets the list, the generated command with it */
                        RET_GATHER(ret, oci_diag(ctx->sink, LOG_ERR, d->sources ? d->sources[d->pass[i].source] : d->path, d->pass[i].line,
                                                 d->pass[i].key,
                                                 *d->pass[i].value ? "ExecStart= in [Service] would be a second command beside the generated one, "
                                                                     "which systemd refuses; put the container's command in Exec= instead"
                                                                   : "ExecStart= with no value in [Service] empties the list of commands, the "
                                                                     "generated one with it, and systemd refuses a service without one; remove "
                                                                     "the line (the container's command goes in Exec=)"));

        int r = oci_definition_resolve_unit_name(d, ctx->sink);
        GATHER_OR_RETURN(ret, r);
        if (r >= 0 && container_resource(d) < 0)
                return -ENOMEM;
        if (r >= 0 && be && be->oci && !d->instance && !oci_value_str(d, OCI_OPT_CONTAINER_NAME)) {
                /* podman: systemd-%N, the unit's name; docker: the file's name */
                _cleanup_free_ char *name = d->backend == OCI_BACKEND_PODMAN ? strjoin("systemd-", d->unit_name) : strdup(d->name);
                if (name && d->backend == OCI_BACKEND_PODMAN)
                        name[strlen(name) - strlen(".service")] = 0;
                if (!name)
                        return -ENOMEM;
                RET_GATHER(ret, oci_check_derived_name(d, ctx->sink, name, OCI_OPT_CONTAINER_NAME));
        } else if (r >= 0 && be && be->oci && d->instance && !oci_value_str(d, OCI_OPT_CONTAINER_NAME)) {
                /* podman: systemd-%p_%i; docker: %p_%i. The instance is checked above, or chosen at
                 * start for a template: what the file's name gives is checked with a stand-in for it. */
                int pl = (int) strcspn(d->unit_name, "@");
                const char *pre = d->backend == OCI_BACKEND_PODMAN ? "systemd-" : "";
                _cleanup_free_ char *test = xasprintf("%s%.*s_x", pre, pl, d->unit_name);
                _cleanup_free_ char *shown = xasprintf("%s%.*s_%s", pre, pl, d->unit_name, *d->instance ? d->instance : "%i");
                if (!test || !shown)
                        return -ENOMEM;
                if (!oci_engine_name_valid(test, false))
                        RET_GATHER(ret, oci_check_derived_name(d, ctx->sink, shown, OCI_OPT_CONTAINER_NAME));
        }
        return ret;
}
