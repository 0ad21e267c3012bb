/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The documents of an export, once every definition is kept: the claims, then by name each Pod
 * (a .pod's with its members' containers) or Deployment, and the Service of its ports. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "kube-internal.h"

static int cmp_workload_name(const void *a, const void *b) {
        const KubeWorkload *x = *(const KubeWorkload *const *) a, *y = *(const KubeWorkload *const *) b;
        int c = strcmp(x->name, y->name);
        return c ? c : strcmp(x->def_name, y->def_name);
}

static int cmp_member(const void *a, const void *b) {
        const KubeWorkload *x = *(const KubeWorkload *const *) a, *y = *(const KubeWorkload *const *) b;
        return strcmp(x->def_name, y->def_name);
}

static const char *claim_name(const YNode *doc) {
        return y_get(y_get(doc, "metadata"), "name")->str;
}

static int cmp_claim(const void *a, const void *b) {
        return strcmp(claim_name(*(const YNode *const *) a), claim_name(*(const YNode *const *) b));
}

static int emit(const YNode *doc, StrBuf *out, unsigned *n) {
        int r = strbuf_puts(out, "---\n");
        if (r >= 0)
                r = y_write(doc, out);
        if (r >= 0)
                (*n)++;
        return r;
}

/* Every entry of from's map that to lacks, copied (the first one that sets a key keeps it). */
static void merge_absent(YTree *t, YNode *to, const YNode *from, const char *const *skip) {
        for (size_t i = 0; from && i < from->n; i++) {
                const YNode *k = from->kids[i];
                bool skipped = false;
                for (const char *const *s = skip; s && *s; s++)
                        skipped = skipped || streq(*s, k->key);
                if (skipped)
                        continue;
                YNode *have = y_get(to, k->key);
                if (!have)
                        y_put(t, to, k->key, y_copy(t, k));
                else if (have->kind == Y_MAP && k->kind == Y_MAP)
                        merge_absent(t, have, k, NULL);
        }
}

/* The items of list 'key' of from appended to that of to; with unique, those whose name is there
 * already left out. */
static void append_list(YTree *t, YNode *to, const char *key, const YNode *from, bool unique) {
        const YNode *src = y_get(from, key);
        if (!src || src->kind != Y_LIST || src->n == 0)
                return;
        YNode *dst = y_list(t, to, key);
        for (size_t i = 0; dst && i < src->n; i++) {
                const YNode *name = unique ? y_get(src->kids[i], "name") : NULL;
                bool have = false;
                for (size_t k = 0; name && k < dst->n; k++) {
                        const YNode *other = y_get(dst->kids[k], "name");
                        have = have || (other && streq(other->str, name->str));
                }
                if (!have)
                        y_push(t, dst, y_copy(t, src->kids[i]));
        }
}

static const char *restart_policy(OciKubeExport *e, OciDiagSink *sink, KubeWorkload *w, KubeWorkload **members, size_t n) {
        KubeWorkload *from = w;
        for (size_t i = 0; from->restart == KUBE_RESTART_UNSET && i < n; i++)
                if (members[i]->restart != KUBE_RESTART_UNSET)
                        from = members[i];
        if (e->workload == OCI_KUBE_DEPLOYMENT) {
                if (from->restart != KUBE_RESTART_UNSET && from->restart != KUBE_RESTART_ALWAYS)
                        oci_diag(sink, LOG_WARNING, from->file, 0, NULL, "[Service] Restart=%s: the Pods of a Deployment always "
                                 "restart: exported as Always", from->restart_text);
                return "Always";
        }
        /* a unit without Restart= is not started again: nor is its Pod */
        return from->restart == KUBE_RESTART_ALWAYS ? "Always" : from->restart == KUBE_RESTART_ON_FAILURE ? "OnFailure" : "Never";
}

static int workload_docs(OciKubeExport *e, OciDiagSink *sink, KubeWorkload *w, KubeWorkload **members, size_t n, StrBuf *out,
                         unsigned *count) {
        YTree *t = &e->t;
        if (w->type == OCI_UNIT_POD && n == 0) {
                oci_diag(sink, LOG_WARNING, w->file, 0, NULL, "has no member (Pod=%s.pod in a .container): a Pod has at least "
                         "one container; not exported", w->def_name);
                return 0;
        }
        YNode *meta = y_copy(t, w->meta), *spec = y_new_map(t);
        YNode *ctrs = y_list(t, spec, "containers");
        if (w->type == OCI_UNIT_CONTAINER)
                append_list(t, spec, "containers", w->spec, false);
        for (size_t i = 0; i < n; i++) {
                size_t first = ctrs ? ctrs->n : 0;
                append_list(t, spec, "containers", members[i]->spec, false);
                /* what the pod publishes and mounts is its members': the ports on the first one,
                 * the mounts on every one */
                for (size_t c = first; ctrs && c < ctrs->n; c++) {
                        if (i == 0 && c == first)
                                append_list(t, ctrs->kids[c], "ports", w->pod_ports, false);
                        append_list(t, ctrs->kids[c], "volumeMounts", w->pod_mounts, false);
                }
                merge_absent(t, meta, members[i]->meta, NULL);
        }
        static const char *const skip[] = { "containers", "volumes", NULL };
        merge_absent(t, spec, w->spec, skip);
        for (size_t i = 0; i < n; i++)
                merge_absent(t, spec, members[i]->spec, skip);
        append_list(t, spec, "volumes", w->spec, true);
        for (size_t i = 0; i < n; i++)
                append_list(t, spec, "volumes", members[i]->spec, true);
        y_str(t, spec, "restartPolicy", restart_policy(e, sink, w, members, n));
        YNode *labels = y_map(t, meta, "labels");
        if (!y_get(labels, KUBE_NAME_LABEL))
                y_str(t, labels, KUBE_NAME_LABEL, w->name);
        const YNode *selector = y_get(labels, KUBE_NAME_LABEL);
        _cleanup_free_ char *sel = selector && selector->kind == Y_STR ? strdup(selector->str) : NULL;

        YNode *doc = y_new_map(t);
        if (e->workload == OCI_KUBE_DEPLOYMENT) {
                y_str(t, doc, "apiVersion", "apps/v1");
                y_str(t, doc, "kind", "Deployment");
                YNode *dmeta = y_map(t, doc, "metadata");
                y_str(t, dmeta, "name", w->name);
                y_put(t, dmeta, "labels", y_copy(t, labels));
                YNode *dspec = y_map(t, doc, "spec");
                y_int(t, dspec, "replicas", 1);
                if (sel)
                        y_str(t, y_map(t, y_map(t, dspec, "selector"), "matchLabels"), KUBE_NAME_LABEL, sel);
                YNode *tmpl = y_map(t, dspec, "template");
                y_put(t, tmpl, "metadata", meta);
                y_put(t, tmpl, "spec", spec);
        } else {
                y_str(t, doc, "apiVersion", "v1");
                y_str(t, doc, "kind", "Pod");
                YNode *m = y_map(t, doc, "metadata");
                y_str(t, m, "name", w->name);
                merge_absent(t, m, meta, NULL);
                y_free(meta);
                y_put(t, doc, "spec", spec);
        }
        int r = t->oom || !sel ? -ENOMEM : emit(doc, out, count);
        y_free(doc);
        if (r < 0 || !w->ports || w->ports->n == 0)
                return r;

        YNode *svc = y_new_map(t);
        y_str(t, svc, "apiVersion", "v1");
        y_str(t, svc, "kind", "Service");
        YNode *m = y_map(t, svc, "metadata");
        y_str(t, m, "name", w->name);
        y_str(t, y_map(t, m, "labels"), KUBE_NAME_LABEL, sel);
        YNode *sspec = y_map(t, svc, "spec");
        y_str(t, y_map(t, sspec, "selector"), KUBE_NAME_LABEL, sel);
        YNode *ports = y_list(t, sspec, "ports");
        for (size_t i = 0; i < w->ports->n; i++)
                y_push(t, ports, y_copy(t, w->ports->kids[i]));
        r = t->oom ? -ENOMEM : emit(svc, out, count);
        y_free(svc);
        return r;
}

static int default_claims(OciKubeExport *e) {
        YTree *t = &e->t;
        for (char **c = e->named_claims; c && *c; c++) {
                bool have = false;
                for (size_t i = 0; !have && i < e->n_claims; i++)
                        have = streq(claim_name(e->claims[i]), *c);
                if (have)
                        continue;
                YNode *doc = y_new_map(t);
                y_str(t, doc, "apiVersion", "v1");
                y_str(t, doc, "kind", "PersistentVolumeClaim");
                y_str(t, y_map(t, doc, "metadata"), "name", *c);
                YNode *spec = y_map(t, doc, "spec");
                y_push_str(t, y_list(t, spec, "accessModes"), "ReadWriteOnce");
                y_str(t, y_map(t, y_map(t, spec, "resources"), "requests"), "storage", "1Gi");
                YNode **a = t->oom ? NULL : reallocarray(e->claims, e->n_claims + 1, sizeof(YNode *));
                if (!a) {
                        y_free(doc);
                        return -ENOMEM;
                }
                e->claims = a;
                e->claims[e->n_claims++] = doc;
        }
        return 0;
}

static KubeWorkload *pod_of(OciKubeExport *e, const KubeWorkload *member) {
        for (size_t i = 0; member->pod_ref && i < e->n_w; i++)
                if (e->w[i].type == OCI_UNIT_POD && streq(e->w[i].def_name, member->pod_ref))
                        return &e->w[i];
        return NULL;
}

int oci_kube_write(OciKubeExport *e, OciDiagSink *sink, StrBuf *out, unsigned *ret_n) {
        assert(e && sink && out && ret_n);
        *ret_n = 0;
        int r = default_claims(e);
        if (r < 0)
                return r;
        if (e->n_claims > 1) /* qsort() takes no NULL, which claims is while there are none */
                qsort(e->claims, e->n_claims, sizeof(YNode *), cmp_claim);
        for (size_t i = 0; r >= 0 && i < e->n_claims; i++)
                r = emit(e->claims[i], out, ret_n);
        _cleanup_free_ KubeWorkload **tops = calloc(e->n_w + 1, sizeof(KubeWorkload *));
        _cleanup_free_ KubeWorkload **members = calloc(e->n_w + 1, sizeof(KubeWorkload *));
        if (!tops || !members)
                return -ENOMEM;
        size_t n_tops = 0;
        for (size_t i = 0; i < e->n_w; i++)
                if (!pod_of(e, &e->w[i]))
                        tops[n_tops++] = &e->w[i];
        qsort(tops, n_tops, sizeof(KubeWorkload *), cmp_workload_name);
        for (size_t i = 0; r >= 0 && i < n_tops; i++) {
                size_t n = 0;
                for (size_t k = 0; tops[i]->type == OCI_UNIT_POD && k < e->n_w; k++)
                        if (pod_of(e, &e->w[k]) == tops[i])
                                members[n++] = &e->w[k];
                qsort(members, n, sizeof(KubeWorkload *), cmp_member);
                r = workload_docs(e, sink, tops[i], members, n, out, ret_n);
        }
        return r;
}
