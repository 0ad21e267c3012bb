/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What a .container and a .pod have alike: labels, published ports, volumes, the network; and the
 * .pod itself. */
#include <assert.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "kube-internal.h"

/* "KEY=TEXT " and the rest, a warning at the item */
_printf_(4, 5) static void item_warning(OciDiagSink *sink, OciOptionId id, const OciItem *it, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        _cleanup_free_ char *rest = xvasprintf(fmt, ap);
        va_end(ap);
        oci_diag_at(sink, LOG_WARNING, it->loc.file, it->loc.line, it->loc.column, oci_option_key(id), "%s=%s %s",
                    oci_option_key(id), it->text, rest ? rest : "");
}

int kube_labels(OciKubeExport *e, const OciDefinition *d, OciDiagSink *sink, OciOptionId id, YNode *meta) {
        assert(e && d && meta);
        YTree *t = &e->t;
        OCI_FOREACH_ITEM(it, d, id) {
                bool unresolved = false;
                _cleanup_free_ char *kv = kube_literal(d, it->text, &unresolved);
                if (!kv)
                        return -ENOMEM;
                char *eq = strchr(kv, '=');
                if (eq)
                        *eq = '\0';
                const char *value = eq ? eq + 1 : "";
                if (!kube_label_key_valid(kv)) {
                        item_warning(sink, id, it, "%s", "is not a Kubernetes label (its key: [PREFIX/]NAME, NAME at most 63 "
                                     "letters, digits, '-', '_' or '.'): not exported");
                        continue;
                }
                if (!kube_label_value_valid(value)) {
                        /* what a label cannot hold, an annotation can */
                        item_warning(sink, id, it, "%s", "has a value a Kubernetes label cannot have (at most 63 letters, digits, "
                                     "'-', '_' or '.'): exported as an annotation");
                        y_str(t, y_map(t, meta, "annotations"), kv, value);
                        continue;
                }
                y_str(t, y_map(t, meta, "labels"), kv, value);
        }
        return 0;
}

int kube_annotations(OciKubeExport *e, const OciDefinition *d, OciDiagSink *sink, YNode *meta) {
        assert(e && d && meta);
        OCI_FOREACH_ITEM(it, d, OCI_OPT_ANNOTATION) {
                bool unresolved = false;
                _cleanup_free_ char *kv = kube_literal(d, it->text, &unresolved);
                if (!kv)
                        return -ENOMEM;
                char *eq = strchr(kv, '=');
                if (eq)
                        *eq = '\0';
                if (!kube_label_key_valid(kv)) {
                        item_warning(sink, OCI_OPT_ANNOTATION, it, "%s", "is not a Kubernetes annotation (its key: [PREFIX/]NAME, "
                                     "NAME at most 63 letters, digits, '-', '_' or '.'): not exported");
                        continue;
                }
                y_str(&e->t, y_map(&e->t, meta, "annotations"), kv, eq ? eq + 1 : "");
        }
        return e->t.oom ? -ENOMEM : 0;
}

static const char *proto_name(OciProto p) {
        return p == OCI_PROTO_UDP ? "UDP" : p == OCI_PROTO_SCTP ? "SCTP" : "TCP";
}

int kube_ports(OciKubeExport *e, const OciDefinition *d, OciDiagSink *sink, YNode *ctr_ports, KubeWorkload *w) {
        assert(e && d && w);
        YTree *t = &e->t;
        OCI_FOREACH_ITEM(it, d, OCI_OPT_PUBLISH_PORT) {
                const OciPort *p = &it->port;
                if (p->variable) {
                        item_warning(sink, OCI_OPT_PUBLISH_PORT, it, "%s", "refers to variables that only systemd resolves: not exported");
                        continue;
                }
                for (unsigned i = 0; i <= p->ctr_hi - p->ctr_lo; i++) {
                        unsigned ctr = p->ctr_lo + i, host = p->host_lo ? p->host_lo + i : 0;
                        YNode *c = y_push_map(t, ctr_ports);
                        y_int(t, c, "containerPort", ctr);
                        if (host)
                                y_int(t, c, "hostPort", host);
                        /* the address the unit binds, also [Defaults] PublishAddress=: the same
                         * listener as the unit's */
                        if (host && p->address[0] && !streq(p->address, "0.0.0.0") && !streq(p->address, "::"))
                                y_str(t, c, "hostIP", p->address);
                        y_str(t, c, "protocol", proto_name(p->proto));
                        if (!w->ports && !(w->ports = y_new_map(t)))
                                return -ENOMEM;
                        /* the Service's ports, by name: one per port and protocol */
                        char name[32];
                        snprintf(name, sizeof name, "%s-%u", p->proto == OCI_PROTO_UDP ? "udp" : p->proto == OCI_PROTO_SCTP ? "sctp" : "tcp",
                                 host ? host : ctr);
                        if (y_get(w->ports, name)) {
                                item_warning(sink, OCI_OPT_PUBLISH_PORT, it, "%s", "repeats a port of the Service: exported once");
                                continue;
                        }
                        YNode *s = y_map(t, w->ports, name);
                        y_str(t, s, "name", name);
                        y_int(t, s, "port", host ? host : ctr);
                        y_int(t, s, "targetPort", ctr);
                        y_str(t, s, "protocol", proto_name(p->proto));
                }
        }
        return t->oom ? -ENOMEM : 0;
}

/* The Pod's volume called name, with source (a map: persistentVolumeClaim, hostPath...) made by
 * the caller; the same name twice is one volume when its source is the same. */
static int add_volume(OciKubeExport *e, OciDiagSink *sink, OciOptionId id, const OciItem *it, KubeWorkload *w, const char *name,
                      const char *kind, YNode *source) {
        YTree *t = &e->t;
        YNode *vols = y_list(t, w->spec, "volumes");
        if (!vols) {
                y_free(source);
                return -ENOMEM;
        }
        for (size_t i = 0; i < vols->n; i++) {
                if (!streq(y_get(vols->kids[i], "name")->str, name))
                        continue;
                StrBuf a = {}, b = {};
                YNode *old = y_get(vols->kids[i], kind);
                int r = old && old->kind == Y_MAP && source->kind == Y_MAP ? 0 : -EINVAL;
                if (r >= 0 && old->n)
                        r = y_write(old, &a);
                if (r >= 0 && source->n)
                        r = y_write(source, &b);
                bool same = r >= 0 && streq(a.s ? a.s : "", b.s ? b.s : "");
                strbuf_done(&a);
                strbuf_done(&b);
                y_free(source);
                if (r == -ENOMEM)
                        return r;
                if (!same)
                        return oci_diag_at(sink, LOG_ERR, it->loc.file, it->loc.line, it->loc.column, oci_option_key(id),
                                           "%s=%s makes the volume '%s', which another mount of the Pod names with another "
                                           "source; change one of the paths", oci_option_key(id), it->text, name);
                return 0;
        }
        YNode *v = y_push_map(t, vols);
        y_str(t, v, "name", name);
        y_put(t, v, kind, source);
        return t->oom ? -ENOMEM : 0;
}

static char *prefixed_name(const char *prefix, const char *path) {
        _cleanup_free_ char *s = xasprintf("%s-%s", prefix, path);
        bool oom = false;
        return s ? kube_name(s, &oom) : NULL;
}

static int mount(OciKubeExport *e, const OciDefinition *d, OciDiagSink *sink, OciOptionId id, const OciItem *it, YNode *mounts,
                 const char *name, const char *dest, bool ro) {
        YTree *t = &e->t;
        bool unresolved = false;
        _cleanup_free_ char *path = kube_literal(d, dest, &unresolved);
        if (!path)
                return -ENOMEM;
        if (unresolved)
                item_warning(sink, id, it, "%s", "refers to specifiers or variables that only systemd resolves: exported as written");
        YNode *m = y_push_map(t, mounts);
        y_str(t, m, "name", name);
        y_str(t, m, "mountPath", path);
        if (ro)
                y_bool(t, m, "readOnly", true);
        return t->oom ? -ENOMEM : 0;
}

static int claim_source(OciKubeExport *e, const char *claim, YNode **ret) {
        YNode *s = y_new_map(&e->t);
        y_str(&e->t, s, "claimName", claim);
        if (e->t.oom) {
                y_free(s);
                return -ENOMEM;
        }
        *ret = s;
        return 0;
}

static int one_volume(OciKubeExport *e, const OciDefinition *d, OciDiagSink *sink, const OciItem *it, YNode *mounts, KubeWorkload *w) {
        YTree *t = &e->t;
        const OciVolume *v = &it->volume;
        for (char **o = v->option_list; o && *o; o++)
                if (!streq(*o, "ro") && !streq(*o, "rw"))
                        item_warning(sink, OCI_OPT_VOLUME, it, "has the option '%s', which has no Kubernetes meaning: not exported", *o);
        _cleanup_free_ char *name = NULL;
        YNode *source = NULL;
        const char *kind;
        bool unresolved = false;
        int r = 0;
        switch (v->kind) {
        case OCI_VOLUME_DEFINITION:
        case OCI_VOLUME_NAMED: {
                _cleanup_free_ char *engine = v->kind == OCI_VOLUME_DEFINITION
                                                      ? (it->resolved ? strdup(it->resolved) : xasprintf("systemd-%s", it->ref))
                                                      : kube_literal(d, v->source, &unresolved);
                bool oom = false;
                name = engine ? kube_name(engine, &oom) : NULL;
                if (!name && (oom || !engine))
                        return -ENOMEM;
                if (!name)
                        return oci_diag_at(sink, LOG_ERR, it->loc.file, it->loc.line, it->loc.column, "Volume",
                                           "Volume=%s names a volume no Kubernetes name can be made of; name it with letters and digits",
                                           it->text);
                kind = "persistentVolumeClaim";
                r = claim_source(e, name, &source);
                if (r >= 0 && !strv_contains(e->named_claims, name))
                        r = strv_extend(&e->named_claims, name);
                break;
        }
        case OCI_VOLUME_BIND: {
                _cleanup_free_ char *path = kube_literal(d, v->source, &unresolved);
                if (!path || !(name = prefixed_name("host", path)))
                        return -ENOMEM;
                kind = "hostPath";
                item_warning(sink, OCI_OPT_VOLUME, it, "mounts '%s' of the host: exported as a hostPath, which ties the Pod to "
                             "a node that has it; a PersistentVolumeClaim is the cluster's way", path);
                source = y_new_map(t);
                y_str(t, source, "path", path);
                if (v->create)
                        y_str(t, source, "type", "DirectoryOrCreate");
                break;
        }
        case OCI_VOLUME_ANONYMOUS:
        default:
                if (!(name = prefixed_name("anon", v->dest)))
                        return -ENOMEM;
                kind = "emptyDir";
                source = y_new_map(t);
                break;
        }
        if (r < 0 || t->oom) {
                y_free(source);
                return -ENOMEM;
        }
        if (unresolved)
                item_warning(sink, OCI_OPT_VOLUME, it, "%s", "refers to specifiers or variables that only systemd resolves: exported as written");
        r = add_volume(e, sink, OCI_OPT_VOLUME, it, w, name, kind, source);
        if (r < 0)
                return r;
        return mount(e, d, sink, OCI_OPT_VOLUME, it, mounts, name, v->dest, v->ro);
}

int kube_volumes(OciKubeExport *e, const OciDefinition *d, OciDiagSink *sink, YNode *mounts, KubeWorkload *w) {
        assert(e && d && w);
        int ret = 0;
        OCI_FOREACH_ITEM(it, d, OCI_OPT_VOLUME) {
                int r = one_volume(e, d, sink, it, mounts, w);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        ret = r;
        }
        OCI_FOREACH_ITEM(it, d, OCI_OPT_TMPFS) {
                if (it->tmpfs.options)
                        item_warning(sink, OCI_OPT_TMPFS, it, "has options (%s) that have no Kubernetes meaning: not exported",
                                     it->tmpfs.options);
                _cleanup_free_ char *name = prefixed_name("tmpfs", it->tmpfs.dest);
                YNode *source = y_new_map(&e->t);
                y_str(&e->t, source, "medium", "Memory");
                if (!name || e->t.oom) {
                        y_free(source);
                        return -ENOMEM;
                }
                int r = add_volume(e, sink, OCI_OPT_TMPFS, it, w, name, "emptyDir", source);
                if (r >= 0)
                        r = mount(e, d, sink, OCI_OPT_TMPFS, it, mounts, name, it->tmpfs.dest, false);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        ret = r;
        }
        return ret;
}

int kube_network(OciKubeExport *e, const OciDefinition *d, OciDiagSink *sink, KubeWorkload *w) {
        assert(e && d && w);
        bool joined = false;
        OCI_FOREACH_ITEM(it, d, OCI_OPT_NETWORK) {
                if (it->ref && oci_item_ref_type(OCI_OPT_NETWORK, it) == OCI_UNIT_NETWORK) {
                        joined = true;
                        continue;
                }
                if (it->ref) {
                        item_warning(sink, OCI_OPT_NETWORK, it, "%s", "shares another container's network, as the containers of one "
                                     "Pod do: not exported, put both in one .pod (Pod=)");
                        continue;
                }
                if (streq(it->network.mode, "host")) {
                        y_bool(&e->t, w->spec, "hostNetwork", true);
                        continue;
                }
                item_warning(sink, OCI_OPT_NETWORK, it, "%s", "has no Kubernetes meaning (the cluster's network joins every Pod): "
                             "not exported");
        }
        /* the other members of the network reach it by its name, which is its Service's: a Service
         * needs ports, which only PublishPort= says */
        if (joined && !w->ports && d->type == OCI_UNIT_CONTAINER && !oci_value_count(d, OCI_OPT_POD))
                oci_key_diag(sink, LOG_WARNING, d, OCI_OPT_NETWORK, " joins a network whose members reach each other by name; in "
                             "Kubernetes that name is a Service's, which needs the ports: PublishPort=PORT says one (without a "
                             "host port it publishes nothing on the host)");
        return e->t.oom ? -ENOMEM : 0;
}

/* AddHost=NAME:IP, the Pod's hostAliases (one per address, its names in order); DNS=, DNSSearch=,
 * DNSOption= its dnsConfig: servers of its own replace the cluster's (dnsPolicy None), as
 * podman's replace the host's. */
int kube_dns_hosts(OciKubeExport *e, const OciDefinition *d, OciDiagSink *sink, KubeWorkload *w) {
        assert(e && d && w);
        YTree *t = &e->t;
        OCI_FOREACH_ITEM(it, d, OCI_OPT_ADD_HOST) {
                const char *colon = strchr(it->text, ':');
                if (!colon || colon == it->text || !colon[1]) {
                        item_warning(sink, OCI_OPT_ADD_HOST, it, "%s", "is not NAME:ADDRESS: not exported");
                        continue;
                }
                _cleanup_free_ char *name = strndup(it->text, (size_t) (colon - it->text));
                if (!name)
                        return -ENOMEM;
                YNode *list = y_list(t, w->spec, "hostAliases"), *entry = NULL;
                for (size_t i = 0; list && i < list->n; i++)
                        if (streq(y_get(list->kids[i], "ip")->str, colon + 1))
                                entry = list->kids[i];
                if (!entry) {
                        entry = y_push_map(t, list);
                        y_str(t, entry, "ip", colon + 1);
                }
                y_push_str(t, y_list(t, entry, "hostnames"), name);
        }
        YNode *dns = NULL;
        OCI_FOREACH_ITEM(it, d, OCI_OPT_DNS) {
                if (streq(it->text, "none")) {
                        item_warning(sink, OCI_OPT_DNS, it, "%s", "has no Kubernetes meaning (a Pod's resolver always has a "
                                     "server): not exported");
                        continue;
                }
                if (!dns)
                        dns = y_map(t, w->spec, "dnsConfig");
                y_push_str(t, y_list(t, dns, "nameservers"), it->text);
                y_str(t, w->spec, "dnsPolicy", "None");
        }
        OCI_FOREACH_ITEM(it, d, OCI_OPT_DNS_SEARCH) {
                if (!dns)
                        dns = y_map(t, w->spec, "dnsConfig");
                y_push_str(t, y_list(t, dns, "searches"), it->text);
        }
        OCI_FOREACH_ITEM(it, d, OCI_OPT_DNS_OPTION) {
                if (!dns)
                        dns = y_map(t, w->spec, "dnsConfig");
                const char *colon = strchr(it->text, ':');
                _cleanup_free_ char *name = strndup(it->text, colon ? (size_t) (colon - it->text) : strlen(it->text));
                if (!name)
                        return -ENOMEM;
                YNode *o = y_push_map(t, y_list(t, dns, "options"));
                y_str(t, o, "name", name);
                if (colon)
                        y_str(t, o, "value", colon + 1);
        }
        return t->oom ? -ENOMEM : 0;
}

int kube_pod(OciKubeExport *e, const OciDefinition *d, OciDiagSink *sink, KubeWorkload *w) {
        assert(e && d && w);
        YTree *t = &e->t;
        if (!(w->pod_ports = y_new_map(t)) || !(w->pod_mounts = y_new_map(t)))
                return -ENOMEM;
        YNode *ports = y_list(t, w->pod_ports, "ports"), *mounts = y_list(t, w->pod_mounts, "volumeMounts");
        int r = kube_ports(e, d, sink, ports, w);
        if (r >= 0)
                r = kube_volumes(e, d, sink, mounts, w);
        if (r >= 0)
                r = kube_labels(e, d, sink, OCI_OPT_OBJECT_LABEL, w->meta);
        if (r >= 0)
                r = kube_network(e, d, sink, w);
        if (r >= 0)
                r = kube_dns_hosts(e, d, sink, w);
        const OciItem *stop = oci_value_count(d, OCI_OPT_POD_STOP_TIMEOUT) ? &d->values[OCI_OPT_POD_STOP_TIMEOUT].items.items[0] : NULL;
        if (r >= 0 && stop && d->values[OCI_OPT_POD_STOP_TIMEOUT].n_entries && !stop->integer.variable)
                y_int(t, w->spec, "terminationGracePeriodSeconds", stop->integer.value);
        if (r >= 0 && oci_value_count(d, OCI_OPT_HOST_NAME)) {
                bool oom = false;
                _cleanup_free_ char *h = kube_name(oci_value_str(d, OCI_OPT_HOST_NAME), &oom);
                if (oom)
                        return -ENOMEM;
                if (h)
                        y_str(t, w->spec, "hostname", h);
        }
        return r < 0 ? r : t->oom ? -ENOMEM : 0;
}
