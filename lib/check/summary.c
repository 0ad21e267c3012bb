/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What stays of a definition once it is done: what others need to refer to it. */
#include <assert.h>

#include "check-internal.h"
#include "render.h"

/* The pod's ports, copied into one block of the summary's own, the handoff, the array then the
 * texts: the definition's items live in its arena, which goes with it. */
static int copy_handoff(OciSummary *s, const OciDefinition *d) {
        const OciValue *v = &d->values[OCI_OPT_PUBLISH_PORT];
        size_t n = v->items.n;
        if (!n)
                return 0;
        size_t size = sizeof(OciHandoff) + n * sizeof(OciItem);
        for (size_t i = 0; i < n; i++)
                size += strlen(v->items.items[i].text) + 1;
        OciHandoff *h = malloc(size);
        if (!h)
                return -ENOMEM;
        OciItem *items = (OciItem *) (h + 1);
        char *text = (char *) (items + n);
        for (size_t i = 0; i < n; i++) {
                const OciItem *from = &v->items.items[i];
                size_t len = strlen(from->text) + 1;
                items[i] = (OciItem) { .loc = { .file = s->path, .line = from->loc.line, .column = from->loc.column },
                                       .text = memcpy(text, from->text, len), .port = from->port };
                text += len;
        }
        *h = (OciHandoff) { .items = { .items = items, .n = n, .cap = n }, .line = oci_value_line(v) };
        s->handoff = h;
        return 0;
}

static void handoff_done(OciSummary *s) {
        free(s->handoff);
        s->handoff = NULL;
}

int oci_summary_fill(OciSummary *s, const OciDefinition *d) {
        assert(s && d);
        handoff_done(s);
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
        handoff_done(s);
}

void oci_summary_report_handoff(const OciSummary *s, OciDiagSink *sink) {
        assert(s && sink);
        if (s->handoff && !s->failed && !s->handoff->taken)
                oci_diag(sink, LOG_WARNING, s->path, s->handoff->line, oci_option_key(OCI_OPT_PUBLISH_PORT),
                         "no member starts with this pod, so with docker its ports are published by none");
}
