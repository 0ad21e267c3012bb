/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* --export=kube: the definitions kept as the parts of their objects, then written as documents. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "kube-internal.h"

/* What a claim of no size asks for: a PersistentVolumeClaim must say one, a definition does not. */
#define KUBE_CLAIM_SIZE "1Gi"

static const char *const workload_names[_OCI_KUBE_WORKLOAD_MAX] = {
        [OCI_KUBE_POD] = "pod",
        [OCI_KUBE_DEPLOYMENT] = "deployment",
};

const char *oci_kube_workload_to_string(OciKubeWorkload w) {
        return w >= 0 && w < _OCI_KUBE_WORKLOAD_MAX ? workload_names[w] : NULL;
}

OciKubeWorkload oci_kube_workload_from_string(const char *s) {
        for (size_t i = 0; s && i < _OCI_KUBE_WORKLOAD_MAX; i++)
                if (streq(workload_names[i], s))
                        return (OciKubeWorkload) i;
        return _OCI_KUBE_WORKLOAD_INVALID;
}

OciKubeExport *oci_kube_new(OciKubeWorkload workload) {
        assert(workload >= 0 && workload < _OCI_KUBE_WORKLOAD_MAX);
        OciKubeExport *e = calloc(1, sizeof(OciKubeExport));
        if (e)
                e->workload = workload;
        return e;
}

static void workload_done(KubeWorkload *w) {
        free(w->def_name);
        free(w->pod_ref);
        free(w->name);
        free(w->file);
        free(w->restart_text);
        y_free(w->meta);
        y_free(w->spec);
        y_free(w->ports);
        y_free(w->pod_ports);
        y_free(w->pod_mounts);
}

OciKubeExport *oci_kube_free(OciKubeExport *e) {
        if (!e)
                return NULL;
        for (size_t i = 0; i < e->n_w; i++)
                workload_done(&e->w[i]);
        free(e->w);
        for (size_t i = 0; i < e->n_claims; i++)
                y_free(e->claims[i]);
        free(e->claims);
        strv_free(e->named_claims);
        free(e);
        return NULL;
}

/* The Kubernetes name of what d makes, from the engine's: a warning when it is not one itself. */
static int object_name(const OciDefinition *d, OciDiagSink *sink, const char *engine, OciOptionId key, char **ret) {
        bool oom = false;
        char *name = kube_name(engine, &oom);
        if (oom)
                return -ENOMEM;
        bool set = key >= 0 && d->values[key].n_entries;
        if (!name)
                return set ? oci_key_diag(sink, LOG_ERR, d, key, "%s has no letter or digit to make a Kubernetes name of; not exported", engine)
                           : oci_diag(sink, LOG_ERR, d->path, 0, NULL, "'%s' has no letter or digit to make a Kubernetes name of; not exported", engine);
        if (!streq(name, engine)) {
                static const char why[] = "is not a Kubernetes name (DNS-1123: lower-case letters, digits and '-', at most 63)";
                if (set)
                        oci_key_diag(sink, LOG_WARNING, d, key, "%s %s: exported as '%s'", engine, why, name);
                else
                        oci_diag(sink, LOG_WARNING, d->path, 0, NULL, "its name '%s' %s: exported as '%s'", engine, why, name);
        }
        *ret = name;
        return 0;
}

/* Every key the user set that has no Kubernetes meaning, by name; a .network has no object at all. */
static void keys_without_meaning(const OciDefinition *d, OciDiagSink *sink) {
        OCI_FOREACH_BIT(id, d->touched) {
                const OciOption *o = &oci_options[id];
                if (!d->values[id].n_entries)
                        continue; /* a default, not the user's */
                if (d->type == OCI_UNIT_NETWORK)
                        oci_key_diag(sink, LOG_WARNING, d, (OciOptionId) id, " has no Kubernetes meaning, not exported (a .network "
                                     "is no Kubernetes object; its members reach each other by their Services' names)");
                else if (o->kube.kind == OCI_KUBE_NONE)
                        oci_key_diag(sink, LOG_WARNING, d, (OciOptionId) id, " has no Kubernetes meaning, not exported (%s)", oci_str(o->kube.text));
        }
}

static KubeRestart restart_of(const char *v) {
        if (streq(v, "always"))
                return KUBE_RESTART_ALWAYS;
        if (streq(v, "on-failure") || streq(v, "on-abnormal") || streq(v, "on-abort") || streq(v, "on-watchdog"))
                return KUBE_RESTART_ON_FAILURE;
        if (streq(v, "no"))
                return KUBE_RESTART_NEVER;
        return KUBE_RESTART_UNSET;
}

/* [Unit] and [Service]: Restart= is the restartPolicy, Description= an annotation, the rest
 * systemd's only */
static int pass_lines(OciKubeExport *e, const OciDefinition *d, OciDiagSink *sink, KubeWorkload *w) {
        for (size_t i = 0; i < d->n_pass; i++) {
                const OciPassLine *p = &d->pass[i];
                const char *file = p->source < d->n_sources ? d->sources[p->source] : d->path;
                const char *section = oci_section_to_string(p->section);
                if (w && p->section == OCI_SECTION_SERVICE && streq(p->key, "Restart")) {
                        KubeRestart r = restart_of(p->value);
                        if (r == KUBE_RESTART_UNSET) {
                                oci_diag_at(sink, LOG_WARNING, file, p->line, p->column, p->key, "[Service] Restart=%s has no "
                                            "restartPolicy of its meaning (Always, OnFailure or Never): exported as Never", p->value);
                                r = KUBE_RESTART_NEVER;
                        }
                        w->restart = r;
                        free(w->restart_text);
                        if (!(w->restart_text = strdup(p->value)))
                                return -ENOMEM;
                } else if (w && p->section == OCI_SECTION_UNIT && streq(p->key, "Description"))
                        y_str(&e->t, y_map(&e->t, w->meta, "annotations"), "kubernetes.io/description", p->value);
                else
                        oci_diag_at(sink, LOG_WARNING, file, p->line, p->column, p->key, "[%s] %s= has no Kubernetes meaning, not "
                                    "exported (it is systemd's)", section, p->key);
        }
        return e->t.oom ? -ENOMEM : 0;
}

static int add_claim(OciKubeExport *e, const OciDefinition *d, OciDiagSink *sink) {
        YTree *t = &e->t;
        _cleanup_free_ char *name = NULL;
        int r = object_name(d, sink, d->resource ? d->resource : d->name, OCI_OPT_VOLUME_NAME, &name);
        if (r < 0)
                return r;
        YNode *doc = y_new_map(t);
        y_str(t, doc, "apiVersion", "v1");
        y_str(t, doc, "kind", "PersistentVolumeClaim");
        YNode *meta = y_map(t, doc, "metadata");
        y_str(t, meta, "name", name);
        if (doc && (r = kube_labels(e, d, sink, OCI_OPT_OBJECT_LABEL, meta)) < 0) {
                y_free(doc);
                return r;
        }
        YNode *spec = y_map(t, doc, "spec");
        y_push_str(t, y_list(t, spec, "accessModes"), "ReadWriteOnce");
        y_str(t, y_map(t, y_map(t, spec, "resources"), "requests"), "storage", KUBE_CLAIM_SIZE);
        YNode **c = t->oom ? NULL : reallocarray(e->claims, e->n_claims + 1, sizeof(YNode *));
        if (!c) {
                y_free(doc);
                return -ENOMEM;
        }
        e->claims = c;
        e->claims[e->n_claims++] = doc;
        return 0;
}

int oci_kube_add(OciKubeExport *e, const OciDefinition *d, OciDiagSink *sink) {
        assert(e && d && sink);
        if (d->type == OCI_UNIT_VOLUME || d->type == OCI_UNIT_NETWORK) {
                keys_without_meaning(d, sink);
                int r = pass_lines(e, d, sink, NULL);
                return r < 0 || d->type == OCI_UNIT_NETWORK ? r : add_claim(e, d, sink);
        }
        if (d->type != OCI_UNIT_CONTAINER && d->type != OCI_UNIT_POD) {
                oci_diag(sink, LOG_WARNING, d->path, 0, NULL, "a %s file has no Kubernetes object: not exported%s",
                         oci_unit_type_extension(d->type),
                         d->type == OCI_UNIT_KUBE ? " (its Yaml= is Kubernetes YAML already)" :
                         d->type == OCI_UNIT_IMAGE || d->type == OCI_UNIT_BUILD ? " (the containers that name it get its image's name)" : "");
                return 0;
        }
        if (d->instance && !d->instance[0]) {
                oci_diag(sink, LOG_WARNING, d->path, 0, NULL, "a template is exported through its instances (NAME@INSTANCE%s): "
                         "not exported itself", oci_unit_type_extension(d->type));
                return 0;
        }
        KubeWorkload w = { .type = d->type };
        bool unresolved = false;
        _cleanup_free_ char *engine = d->type == OCI_UNIT_POD ? strdup(d->resource ? d->resource : d->name)
                                      : kube_literal(d, oci_value_str(d, OCI_OPT_CONTAINER_NAME) ? oci_value_str(d, OCI_OPT_CONTAINER_NAME)
                                                        : d->instance ? "systemd-%p_%i" : "systemd-%N", &unresolved);
        int r = engine ? 0 : -ENOMEM;
        if (r >= 0)
                r = object_name(d, sink, engine, d->type == OCI_UNIT_POD ? OCI_OPT_POD_NAME : OCI_OPT_CONTAINER_NAME, &w.name);
        if (r >= 0 && (!(w.def_name = strdup(d->name)) || !(w.file = strdup(d->path)) || !(w.meta = y_new_map(&e->t)) ||
                       !(w.spec = y_new_map(&e->t))))
                r = -ENOMEM;
        if (r >= 0 && d->type == OCI_UNIT_CONTAINER && oci_value_count(d, OCI_OPT_POD)) {
                const OciItem *pod = &d->values[OCI_OPT_POD].items.items[0];
                if (!(w.pod_ref = strdup(pod->ref ? pod->ref : pod->text)))
                        r = -ENOMEM;
        }
        if (r >= 0) {
                keys_without_meaning(d, sink);
                r = pass_lines(e, d, sink, &w);
        }
        if (r >= 0)
                r = d->type == OCI_UNIT_POD ? kube_pod(e, d, sink, &w) : kube_container(e, d, sink, &w);
        if (r >= 0 && e->t.oom)
                r = -ENOMEM;
        KubeWorkload *a = r >= 0 ? reallocarray(e->w, e->n_w + 1, sizeof(KubeWorkload)) : NULL;
        if (!a) {
                workload_done(&w);
                return r < 0 ? r : -ENOMEM;
        }
        e->w = a;
        e->w[e->n_w++] = w;
        return 0;
}
