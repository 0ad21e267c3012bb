/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What a .container becomes: one container of a Pod, and the Pod's fields it sets. */
#include <assert.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "kube-internal.h"

/* The item's literal text; a warning at the item when only systemd could resolve some of it.
 * NULL on -ENOMEM. */
static char *literal(const OciDefinition *d, OciDiagSink *sink, OciOptionId id, const OciItem *it) {
        bool unresolved = false;
        char *s = kube_literal(d, it->text, &unresolved);
        if (s && unresolved)
                oci_diag_at(sink, LOG_WARNING, it->loc.file, it->loc.line, it->loc.column, oci_option_key(id),
                            "%s=%s refers to specifiers or variables that only systemd resolves: exported as written",
                            oci_option_key(id), it->text);
        return s;
}

static int put_literal(OciKubeExport *e, const OciDefinition *d, OciDiagSink *sink, OciOptionId id, YNode *map, const char *key) {
        if (!oci_value_count(d, id))
                return 0;
        _cleanup_free_ char *s = literal(d, sink, id, &d->values[id].items.items[0]);
        if (!s)
                return -ENOMEM;
        y_str(&e->t, map, key, s);
        return 0;
}

static bool all_digits(const char *s, size_t n) {
        if (n == 0)
                return false;
        for (size_t i = 0; i < n; i++)
                if (!isdigit((unsigned char) s[i]))
                        return false;
        return true;
}

/* whole seconds, rounded up, at least min */
static long long seconds(uint64_t usec, long long min) {
        long long s = (long long) ((usec + 999999) / 1000000);
        return s < min ? min : s;
}

static void put_seconds(OciKubeExport *e, const OciDefinition *d, OciOptionId id, YNode *probe, const char *key, long long dflt, long long min) {
        const OciItem *it = oci_value_count(d, id) ? &d->values[id].items.items[0] : NULL;
        long long v = it && !it->duration.variable ? seconds(it->duration.usec, min) : dflt;
        if (v >= 0)
                y_int(&e->t, probe, key, v);
}

static void put_count(OciKubeExport *e, const OciDefinition *d, OciOptionId id, YNode *probe, const char *key, long long dflt) {
        const OciItem *it = oci_value_count(d, id) ? &d->values[id].items.items[0] : NULL;
        long long v = it && !it->integer.variable ? it->integer.value : dflt;
        if (v >= 1)
                y_int(&e->t, probe, key, v);
}

/* HealthCmd= as podman runs it: CMD-SHELL and a plain command through /bin/sh -c, NONE none */
static int probe_exec(OciKubeExport *e, const OciDefinition *d, OciDiagSink *sink, OciOptionId id, YNode *probe) {
        _cleanup_free_ char *cmd = literal(d, sink, id, &d->values[id].items.items[0]);
        if (!cmd)
                return -ENOMEM;
        const char *sh = startswith(cmd, "CMD-SHELL ") ? cmd + strlen("CMD-SHELL ") : cmd;
        if (sh[0] == '[')
                oci_key_diag(sink, LOG_WARNING, d, id, " in the JSON form is exported as a shell command, /bin/sh -c '%s'", sh);
        YNode *argv = y_list(&e->t, y_map(&e->t, probe, "exec"), "command");
        y_push_str(&e->t, argv, "/bin/sh");
        y_push_str(&e->t, argv, "-c");
        y_push_str(&e->t, argv, sh);
        return 0;
}

/* podman's defaults (interval 30s, timeout 30s, 3 retries) written out: the probe runs as the
 * health check did, not with Kubernetes' defaults (10s, 1s, 3) */
static int probes(OciKubeExport *e, const OciDefinition *d, OciDiagSink *sink, YNode *ctr) {
        const char *cmd = oci_value_str(d, OCI_OPT_HEALTH_CMD);
        const OciItem *iv = oci_value_count(d, OCI_OPT_HEALTH_INTERVAL) ? &d->values[OCI_OPT_HEALTH_INTERVAL].items.items[0] : NULL;
        if (cmd && !streq(cmd, "NONE") && !(iv && iv->duration.word)) {
                const char *on_failure = oci_value_str(d, OCI_OPT_HEALTH_ON_FAILURE);
                bool live = on_failure && !streq(on_failure, "none");
                YNode *probe = y_map(&e->t, ctr, live ? "livenessProbe" : "readinessProbe");
                int r = probe_exec(e, d, sink, OCI_OPT_HEALTH_CMD, probe);
                if (r < 0)
                        return r;
                put_seconds(e, d, OCI_OPT_HEALTH_START_PERIOD, probe, "initialDelaySeconds", -1, 0);
                put_seconds(e, d, OCI_OPT_HEALTH_INTERVAL, probe, "periodSeconds", 30, 1);
                put_seconds(e, d, OCI_OPT_HEALTH_TIMEOUT, probe, "timeoutSeconds", 30, 1);
                put_count(e, d, OCI_OPT_HEALTH_RETRIES, probe, "failureThreshold", 3);
        } else if (iv && iv->duration.word && cmd)
                oci_key_diag(sink, LOG_WARNING, d, OCI_OPT_HEALTH_CMD, " is not run (HealthInterval=disable): no probe exported");
        const char *startup = oci_value_str(d, OCI_OPT_HEALTH_STARTUP_CMD);
        if (startup && !streq(startup, "NONE")) {
                YNode *probe = y_map(&e->t, ctr, "startupProbe");
                int r = probe_exec(e, d, sink, OCI_OPT_HEALTH_STARTUP_CMD, probe);
                if (r < 0)
                        return r;
                put_seconds(e, d, OCI_OPT_HEALTH_STARTUP_INTERVAL, probe, "periodSeconds", 30, 1);
                put_seconds(e, d, OCI_OPT_HEALTH_STARTUP_TIMEOUT, probe, "timeoutSeconds", 30, 1);
                put_count(e, d, OCI_OPT_HEALTH_STARTUP_RETRIES, probe, "failureThreshold", -1);
        }
        return 0;
}

static int environment(OciKubeExport *e, const OciDefinition *d, OciDiagSink *sink, YNode *ctr) {
        YTree *t = &e->t;
        size_t n_secret = oci_value_count(d, OCI_OPT_HOST_ENVIRONMENT);
        OCI_FOREACH_ITEM(it, d, OCI_OPT_ENVIRONMENT) {
                if (it->text[it->key_len] != '=') {
                        oci_diag_at(sink, LOG_WARNING, it->loc.file, it->loc.line, it->loc.column, "Environment",
                                    "Environment=%s passes the engine's own value, which a Pod has not: not exported", it->text);
                        continue;
                }
                bool secret = false;
                OCI_FOREACH_ITEM(s, d, OCI_OPT_HOST_ENVIRONMENT)
                        secret = secret || (s->key_len == it->key_len && memcmp(s->text, it->text, it->key_len) == 0);
                if (secret)
                        continue; /* HostEnvironment= wins, as it comes later on the engine's command line */
                _cleanup_free_ char *kv = literal(d, sink, OCI_OPT_ENVIRONMENT, it);
                if (!kv)
                        return -ENOMEM;
                char *eq = strchr(kv, '=');
                assert(eq);
                *eq = '\0';
                YNode *v = y_push_map(t, y_list(t, ctr, "env"));
                y_str(t, v, "name", kv);
                y_str(t, v, "value", eq + 1);
        }
        OCI_FOREACH_ITEM(it, d, OCI_OPT_ENVIRONMENT_FILE) {
                _cleanup_free_ char *path = literal(d, sink, OCI_OPT_ENVIRONMENT_FILE, it);
                if (!path)
                        return -ENOMEM;
                const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
                _cleanup_free_ char *raw = xasprintf("%s-%s", d->name, base);
                bool oom = false;
                _cleanup_free_ char *cm = raw ? kube_name(raw, &oom) : NULL;
                if (!cm)
                        return -ENOMEM;
                y_str(t, y_map(t, y_push_map(t, y_list(t, ctr, "envFrom")), "configMapRef"), "name", cm);
                /* its values stay on this machine, as they may be secrets */
                oci_diag_at(sink, LOG_WARNING, it->loc.file, it->loc.line, it->loc.column, "EnvironmentFile",
                            "EnvironmentFile=%s is exported as a reference to the ConfigMap %s, not its contents: create it first "
                            "(kubectl create configmap %s --from-env-file=%s)", it->text, cm, cm, path);
        }
        if (!n_secret)
                return 0;
        bool oom = false;
        _cleanup_free_ char *base = kube_name(d->name, &oom);
        _cleanup_free_ char *secret = base ? xasprintf("%s-env", base) : NULL;
        if (!secret)
                return -ENOMEM;
        StrBuf keys = {};
        OCI_FOREACH_ITEM(it, d, OCI_OPT_HOST_ENVIRONMENT) {
                _cleanup_free_ char *name = strndup(it->text, it->key_len);
                if (!name) {
                        strbuf_done(&keys);
                        return -ENOMEM;
                }
                YNode *v = y_push_map(t, y_list(t, ctr, "env"));
                y_str(t, v, "name", name);
                YNode *ref = y_map(t, y_map(t, v, "valueFrom"), "secretKeyRef");
                y_str(t, ref, "name", secret);
                y_str(t, ref, "key", name);
                strbuf_printf(&keys, " --from-literal=%s=...", name);
        }
        /* the values stay on this machine: only the names are in the YAML and the message */
        oci_key_diag(sink, LOG_WARNING, d, OCI_OPT_HOST_ENVIRONMENT,
                     " is exported as references to the Secret %s, never its values: create it first "
                     "(kubectl create secret generic %s%s)", secret, secret, keys.s ? keys.s : "");
        strbuf_done(&keys);
        return 0;
}

static void capabilities(OciKubeExport *e, const OciDefinition *d, OciOptionId id, YNode *sc, const char *key) {
        YNode *list = NULL;
        OCI_FOREACH_ITEM(it, d, id) {
                if (!list)
                        list = y_list(&e->t, y_map(&e->t, sc, "capabilities"), key);
                char buf[64];
                const char *name = it->cap < 0 ? "all" : oci_capability_names[it->cap];
                size_t i = 0;
                for (; name[i] && i + 1 < sizeof buf; i++)
                        buf[i] = (char) toupper((unsigned char) name[i]);
                buf[i] = '\0';
                y_push_str(&e->t, list, buf);
        }
}

/* User=UID[:GID] and Group=GID: a Pod takes numbers only */
static void identity(OciKubeExport *e, const OciDefinition *d, OciDiagSink *sink, YNode *sc) {
        const char *user = oci_value_str(d, OCI_OPT_USER), *group = oci_value_str(d, OCI_OPT_GROUP);
        if (user) {
                size_t n = strcspn(user, ":");
                if (all_digits(user, n) && (!user[n] || all_digits(user + n + 1, strlen(user + n + 1)))) {
                        y_int(&e->t, sc, "runAsUser", strtoll(user, NULL, 10));
                        if (user[n] && !group)
                                y_int(&e->t, sc, "runAsGroup", strtoll(user + n + 1, NULL, 10));
                } else
                        oci_key_diag(sink, LOG_WARNING, d, OCI_OPT_USER, "%s is a name; a Pod takes a UID only "
                                     "(runAsUser): not exported, write the number", user);
        }
        if (group) {
                if (all_digits(group, strlen(group)))
                        y_int(&e->t, sc, "runAsGroup", strtoll(group, NULL, 10));
                else
                        oci_key_diag(sink, LOG_WARNING, d, OCI_OPT_GROUP, "%s is a name; a Pod takes a GID only "
                                     "(runAsGroup): not exported, write the number", group);
        }
}

static int security(OciKubeExport *e, const OciDefinition *d, OciDiagSink *sink, YNode *ctr) {
        YNode *sc = y_new_map(&e->t);
        if (!sc)
                return -ENOMEM;
        identity(e, d, sink, sc);
        capabilities(e, d, OCI_OPT_ADD_CAPABILITY, sc, "add");
        capabilities(e, d, OCI_OPT_DROP_CAPABILITY, sc, "drop");
        if (oci_value_bool(d, OCI_OPT_PRIVILEGED) > 0)
                y_bool(&e->t, sc, "privileged", true);
        if (oci_value_bool(d, OCI_OPT_READ_ONLY) >= 0)
                y_bool(&e->t, sc, "readOnlyRootFilesystem", oci_value_bool(d, OCI_OPT_READ_ONLY) > 0);
        if (oci_value_bool(d, OCI_OPT_NO_NEW_PRIVILEGES) > 0)
                y_bool(&e->t, sc, "allowPrivilegeEscalation", false);
        if (sc->n == 0) {
                y_free(sc);
                return 0;
        }
        y_put(&e->t, ctr, "securityContext", sc);
        return 0;
}

/* The Pod-wide fields a container sets: its spec's securityContext, host name, grace period. */
static int pod_fields(OciKubeExport *e, const OciDefinition *d, OciDiagSink *sink, KubeWorkload *w) {
        YTree *t = &e->t;
        OCI_FOREACH_ITEM(it, d, OCI_OPT_SYSCTL) {
                _cleanup_free_ char *kv = literal(d, sink, OCI_OPT_SYSCTL, it);
                if (!kv)
                        return -ENOMEM;
                char *eq = strchr(kv, '=');
                if (eq)
                        *eq = '\0';
                YNode *s = y_push_map(t, y_list(t, y_map(t, w->spec, "securityContext"), "sysctls"));
                y_str(t, s, "name", kv);
                y_str(t, s, "value", eq ? eq + 1 : "");
        }
        OCI_FOREACH_ITEM(it, d, OCI_OPT_GROUP_ADD) {
                if (!all_digits(it->text, strlen(it->text))) {
                        oci_diag_at(sink, LOG_WARNING, it->loc.file, it->loc.line, it->loc.column, "GroupAdd",
                                    "GroupAdd=%s is not a GID; a Pod takes numbers only: not exported", it->text);
                        continue;
                }
                y_push_int(t, y_list(t, y_map(t, w->spec, "securityContext"), "supplementalGroups"), strtoll(it->text, NULL, 10));
        }
        const OciItem *stop = oci_value_count(d, OCI_OPT_STOP_TIMEOUT) ? &d->values[OCI_OPT_STOP_TIMEOUT].items.items[0] : NULL;
        if (stop && !stop->integer.variable)
                y_int(t, w->spec, "terminationGracePeriodSeconds", stop->integer.value);
        return 0;
}

int kube_container(OciKubeExport *e, const OciDefinition *d, OciDiagSink *sink, KubeWorkload *w) {
        assert(e && d && sink && w);
        YTree *t = &e->t;
        const char *image = oci_value_engine_str(d, OCI_OPT_IMAGE);
        if (!image)
                return oci_diag(sink, LOG_ERR, d->path, 0, NULL, "has no Image=: a Pod runs images only (Rootfs= has no "
                                "Kubernetes meaning); not exported, write Image=");
        YNode *ctr = y_push_map(t, y_list(t, w->spec, "containers"));
        y_str(t, ctr, "name", w->name);
        const OciItem *img = &d->values[OCI_OPT_IMAGE].items.items[0];
        const char *ref = startswith(image, "docker://") ? image + strlen("docker://") : image;
        if (!img->ref && img->image.transport != OCI_TRANSPORT_NONE && img->image.transport != OCI_TRANSPORT_DOCKER)
                oci_key_diag(sink, LOG_WARNING, d, OCI_OPT_IMAGE, "%s is not a registry's image; a cluster pulls from registries: "
                             "push it to one and write its name", image);
        bool unresolved = false;
        _cleanup_free_ char *image_lit = kube_literal(d, ref, &unresolved);
        if (!image_lit)
                return -ENOMEM;
        y_str(t, ctr, "image", image_lit);
        const char *pull = oci_value_str(d, OCI_OPT_PULL);
        if (pull)
                y_str(t, ctr, "imagePullPolicy", streq(pull, "missing") ? "IfNotPresent" : streq(pull, "never") ? "Never" : "Always");
        if (oci_value_count(d, OCI_OPT_ENTRYPOINT)) {
                _cleanup_free_ char *ep = literal(d, sink, OCI_OPT_ENTRYPOINT, &d->values[OCI_OPT_ENTRYPOINT].items.items[0]);
                if (!ep)
                        return -ENOMEM;
                y_push_str(t, y_list(t, ctr, "command"), ep);
        }
        OCI_FOREACH_ITEM(it, d, OCI_OPT_EXEC) {
                _cleanup_free_ char *word = literal(d, sink, OCI_OPT_EXEC, it);
                if (!word)
                        return -ENOMEM;
                y_push_str(t, y_list(t, ctr, "args"), word);
        }
        int r = put_literal(e, d, sink, OCI_OPT_WORKING_DIR, ctr, "workingDir");
        if (r >= 0)
                r = environment(e, d, sink, ctr);
        if (r >= 0)
                r = kube_ports(e, d, sink, y_list(t, ctr, "ports"), w);
        if (r >= 0)
                r = kube_volumes(e, d, sink, y_list(t, ctr, "volumeMounts"), w);
        if (r < 0)
                return r;
        /* the lists made empty above are left out */
        static const char *const lists[] = { "ports", "volumeMounts" };
        for (size_t i = 0; i < ELEMENTSOF(lists); i++) {
                YNode *l = y_get(ctr, lists[i]);
                if (l && l->n == 0)
                        for (size_t k = 0; k < ctr->n; k++)
                                if (ctr->kids[k] == l) {
                                        y_free(l);
                                        memmove(ctr->kids + k, ctr->kids + k + 1, (ctr->n - k - 1) * sizeof(YNode *));
                                        ctr->n--;
                                        break;
                                }
        }
        const OciItem *mem = oci_value_count(d, OCI_OPT_MEMORY) ? &d->values[OCI_OPT_MEMORY].items.items[0] : NULL;
        if (mem && !mem->size.variable) {
                char buf[32];
                snprintf(buf, sizeof buf, "%llu", (unsigned long long) mem->size.bytes);
                y_str(t, y_map(t, y_map(t, ctr, "resources"), "limits"), "memory", buf);
        }
        r = probes(e, d, sink, ctr);
        if (r >= 0)
                r = security(e, d, sink, ctr);
        if (r >= 0)
                r = pod_fields(e, d, sink, w);
        if (r >= 0)
                r = kube_labels(e, d, sink, OCI_OPT_LABEL, w->meta);
        if (r >= 0)
                r = kube_annotations(e, d, sink, w->meta);
        if (r >= 0)
                r = kube_network(e, d, sink, w);
        if (r >= 0)
                r = kube_dns_hosts(e, d, sink, w);
        if (r >= 0 && oci_value_count(d, OCI_OPT_HOST_NAME)) {
                bool oom = false;
                _cleanup_free_ char *h = kube_name(oci_value_str(d, OCI_OPT_HOST_NAME), &oom);
                if (oom)
                        return -ENOMEM;
                if (!h || !streq(h, oci_value_str(d, OCI_OPT_HOST_NAME)))
                        oci_key_diag(sink, LOG_WARNING, d, OCI_OPT_HOST_NAME, "%s is not a Kubernetes host name (lower-case letters, "
                                     "digits and '-'): %s%s%s", oci_value_str(d, OCI_OPT_HOST_NAME), h ? "exported as '" : "not exported",
                                     h ? h : "", h ? "'" : "");
                if (h)
                        y_str(t, w->spec, "hostname", h);
        }
        return r;
}
