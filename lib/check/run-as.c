/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* RunAs=USER[:GROUP]: the account must exist now; rootless podman also wants subordinate IDs. */
#include <assert.h>

#include "check-internal.h"
#include "escape.h"

int oci_check_run_as(OciDefinition *d, const OciCheckContext *ctx) {
        assert(d && ctx);
        const OciItems *items = &d->values[OCI_OPT_RUN_AS].items;
        if (!items->n)
                return 0;
        const char *spec = items->items[items->n - 1].text;
        const OciOwner *owner = &items->items[items->n - 1].owner;
        const char *user = owner->user, *group = owner->group;
        if (d->user)
                return oci_key_diag(ctx->sink, LOG_ERR, d, OCI_OPT_RUN_AS, " is for system units; a user's units already run as that user");
        const OciHost *host = check_host(ctx);
        unsigned uid;
        _cleanup_free_ char *home = NULL;
        int r = host->user(user, &uid, &home);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return oci_key_diag(ctx->sink, LOG_ERR, d, OCI_OPT_RUN_AS, "%s: there is no user '%s' on this system", spec, user);
        unsigned gid;
        if (group && host->group(group, &gid) < 0)
                return oci_key_diag(ctx->sink, LOG_ERR, d, OCI_OPT_RUN_AS, "%s: there is no group '%s' on this system", spec, group);
        if (uid == 0 && !group)
                return 0; /* root: the engine runs as it always does */
        d->run_as.uid = uid;
        if (!(d->run_as.user = strdup(user)) || (group && !(d->run_as.group = strdup(group))))
                return -ENOMEM;
        d->run_as.home = TAKE_PTR(home);
        if (d->backend != OCI_BACKEND_PODMAN)
                return 0;

        /* rootless podman maps the container's users to the account's subordinate range */
        if (!host->has_subuid(user, uid))
                oci_key_diag(ctx->sink, LOG_WARNING, d, OCI_OPT_RUN_AS, "%s: the user has no range in /etc/subuid, which rootless podman needs "
                             "(usermod --add-subuids and --add-subgids)", spec);
        bool lingers = host->lingers(user);
        const char *notify = oci_value_str(d, OCI_OPT_NOTIFY);
        /* an invalid Notify= was reported already and has no item */
        if (streq_ptr(notify, "healthy") && !lingers)
                oci_key_diag(ctx->sink, LOG_WARNING, d, OCI_OPT_RUN_AS, "%s with Notify=healthy needs the user's service manager: turn lingering on "
                             "(loginctl enable-linger %s)", spec, user);
        else if (streq_ptr(notify, "conmon") && lingers)
                oci_key_diag(ctx->sink, LOG_WARNING, d, OCI_OPT_RUN_AS, "%s: lingering is on for the user, so its own service manager may take over the "
                             "container's cgroup; Notify=conmon is known to misbehave then", spec);
        return 0;
}
