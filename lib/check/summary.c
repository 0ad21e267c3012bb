/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What stays of a definition once it is done: what others need to refer to it. */
#include <assert.h>

#include "check-internal.h"
#include "render.h"

static int copy_handoff(OciSummary *s, const OciDefinition *d) {
        const OciValue *v = &d->values[OCI_OPT_PUBLISH_PORT];
        if (!v->items.n)
                return 0;
        for (size_t i = 0; i < v->items.n; i++) {
                const OciItem *from = &v->items.items[i];
                OciLoc loc = { .file = s->path, .line = from->loc.line, .column = from->loc.column };
                OciItem *to = oci_items_push(&s->handoff, &loc, strdup(from->text));
                if (!to)
                        return -ENOMEM;
                to->port = from->port;
        }
        s->handoff_line = oci_value_line(v);
        return 0;
}

int oci_summary_fill(OciSummary *s, const OciDefinition *d) {
        assert(s && d);
        oci_items_clear(&s->handoff, OCI_TYPE_PORT);
        s->type = d->type;
        s->backend = d->backend;
        s->failed = d->failed;
        const OciBackend *be = oci_backend_get(d->backend);
        /* an engine that stands in for pods hands their ports to a member (OciBackend.join_pod) */
        if (!d->failed && d->type == OCI_UNIT_POD && be && be->join_pod)
                return copy_handoff(s, d);
        return 0;
}

void oci_summary_done(OciSummary *s) {
        if (!s)
                return;
        oci_items_clear(&s->handoff, OCI_TYPE_PORT);
        s->handoff_taken = false;
}

void oci_summary_report_handoff(const OciSummary *s, OciDiagSink *sink) {
        assert(s && sink);
        if (s->handoff.n && !s->failed && !s->handoff_taken)
                oci_diag(sink, LOG_WARNING, s->path, s->handoff_line, oci_options[OCI_OPT_PUBLISH_PORT].key,
                         "no member starts with this pod, so with docker its ports are published by none");
}
