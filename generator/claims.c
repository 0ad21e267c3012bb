/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What a definition takes for itself, so that no two definitions fight over it: its unit name, its
 * aliases, the host ports it publishes. A unit name is claimed before validation (others refer to
 * it); aliases and ports are checked before the definition is written and taken once it is. docker
 * has no pods: a pod's ports go to its first member, and the pod keeps them until one takes them. */
#include <assert.h>
#include <limits.h>

#include "generator.h"

/* A PublishPort= of a definition generated already. */
typedef struct PortUse {
        struct PortUse *next;
        const Node *owner;
        unsigned lo, hi;
        char *addr;  /* into item's copy: "" for every address */
        char proto[8];
        char item[]; /* the PublishPort= value, for the message; then the address */
} PortUse;

/* The bit map says which ports of the common protocols are taken at all, so the list is only
 * searched when a port may be in use. */
struct PortMap {
        PortUse *head, **tail; /* in the order they were taken */
        unsigned char taken[65536 / 8]; /* port numbers in use, whatever the protocol */
};

/* A unit name belongs to one definition: the first one processed that has no error. An alias is
 * taken once its definition is written. */
int claim_unit_name(Generator *g, Node *n, OciDefinition *d) {
        assert(g);
        assert(n);
        assert(d);
        const Node *owner = hashmap_get(&g->units, d->unit_name);
        if (owner) {
                oci_diag(&g->sink, LOG_ERR, d->path, 0, NULL, "%s is made by %s already; set a different %s=",
                         d->unit_name, owner->ref.path, oci_options[OCI_OPT_SERVICE_NAME].key);
                return -EINVAL;
        }
        owner = hashmap_get(&g->aliases, d->unit_name);
        if (owner) {
                oci_diag(&g->sink, LOG_ERR, d->path, 0, NULL, "%s is an %s= of %s already; set a different %s=", d->unit_name,
                         oci_options[OCI_OPT_ALIAS].key, owner->ref.path, oci_options[OCI_OPT_SERVICE_NAME].key);
                return -EINVAL;
        }
        return hashmap_put(&g->units, n->ref.unit_name, n);
}

/* The definition whose unit, by its file name, would be 'unit', if it is not processed yet. */
static Node *default_owner(Generator *g, const char *unit) {
        const char *e = endswith(unit, ".service");
        if (!e)
                return NULL;
        for (OciUnitType t = 0; t < _OCI_UNIT_TYPE_MAX; t++) {
                const char *suffix = oci_unit_type_suffix(t);
                size_t sl = strlen(suffix), len = (size_t) (e - unit);
                char name[NAME_MAX + 1];
                if (len < sl || len - sl >= sizeof(name) || strncmp(unit + len - sl, suffix, sl) != 0)
                        continue;
                memcpy(name, unit, len - sl);
                name[len - sl] = 0;
                Node *n = find_node(g, t, name);
                if (n && n->state == NODE_NEW)
                        return n;
        }
        return NULL;
}

/* An Alias= may not take the name of another definition's unit, nor another definition's alias.
 * A definition whose file name gives its unit that name is processed first, so that its own name
 * stays its own whatever the file names; otherwise the first one processed keeps the name. */
static int check_aliases(Generator *g, Node *n, OciDefinition *d) {
        const OciValue *v = &d->values[OCI_OPT_ALIAS];
        int ret = 0;
        for (char *const *a = v->items; a && *a; a++) {
                Node *maybe = default_owner(g, *a);
                if (maybe) {
                        int r = visit(g, maybe);
                        if (r < 0)
                                return r;
                }
                const Node *owner = hashmap_get(&g->units, *a);
                if (owner && owner != n) {
                        oci_key_diag(&g->sink, LOG_ERR, d, OCI_OPT_ALIAS, "%s is taken: %s names its unit so; choose another alias", *a,
                                     owner->ref.path);
                        ret = -EINVAL;
                        continue;
                }
                owner = hashmap_get(&g->aliases, *a);
                if (owner && owner != n) {
                        oci_key_diag(&g->sink, LOG_ERR, d, OCI_OPT_ALIAS, "%s is taken: %s has the same alias; choose another one", *a,
                                     owner->ref.path);
                        ret = -EINVAL;
                }
        }
        return ret;
}

static int take_aliases(Generator *g, Node *n, const OciDefinition *d) {
        for (char *const *a = d->values[OCI_OPT_ALIAS].items; a && *a; a++) {
                char *key = arena_strdup(&g->arena, *a);
                if (!key || hashmap_put(&g->aliases, key, n) < 0)
                        return -ENOMEM;
        }
        return 0;
}

/* A host port is one per protocol and address: two definitions publishing the same one would
 * fight over it at start. Both files are named; the later one is not generated. */
typedef struct Published {
        char proto[8];
        char addr[128]; /* "" for every address */
        unsigned lo, hi;
} Published;

static bool parse_published(const char *item, Published *ret) {
        /* the validated forms: [ADDR:][HOST:]CTR[/PROTO], ADDR maybe in brackets */
        *ret = (Published) { .proto = "tcp" };
        const char *slash = strrchr(item, '/');
        if (slash) {
                size_t pl = strlen(slash + 1);
                if (pl >= sizeof(ret->proto))
                        return false;
                memcpy(ret->proto, slash + 1, pl + 1);
        }
        size_t len = slash ? (size_t) (slash - item) : strlen(item);
        char buf[128];
        if (len >= sizeof(buf))
                return false;
        memcpy(buf, item, len);
        buf[len] = 0;
        char *last = strrchr(buf, ':');
        if (!last)
                return false; /* container port only: the engine picks a host port */
        *last = 0;
        char *host = strrchr(buf, ':');
        if (host) {
                *host++ = 0;
                if (!streq(buf, "0.0.0.0") && !streq(buf, "[::]"))
                        memcpy(ret->addr, buf, (size_t) (host - buf));
        } else
                host = buf;
        if (!*host)
                return false;
        char *end;
        ret->lo = (unsigned) strtoul(host, &end, 10);
        ret->hi = *end == '-' ? (unsigned) strtoul(end + 1, NULL, 10) : ret->lo;
        return ret->lo <= ret->hi && ret->hi <= 65535;
}

static bool port_maybe_taken(const PortMap *m, const Published *p) {
        for (unsigned port = p->lo; port <= p->hi; port++)
                if (m->taken[port / 8] & (1u << (port % 8)))
                        return true;
        return false;
}

/* The ports this definition publishes on the host itself: none for a template (its instances
 * do), none for a docker pod (its first member does). */
static char *const *host_ports(const OciDefinition *d) {
        if ((d->instance && !*d->instance) || (d->type == OCI_UNIT_POD && d->backend == OCI_BACKEND_DOCKER))
                return NULL;
        return d->values[OCI_OPT_PUBLISH_PORT].items;
}

static int check_ports(Generator *g, Node *n, const OciDefinition *d) {
        char *const *items = host_ports(d);
        if (!items || !*items || !g->ports)
                return 0;
        const PortMap *m = g->ports;
        for (char *const *a = items; *a; a++) {
                Published p;
                if (!parse_published(*a, &p) || !port_maybe_taken(m, &p))
                        continue;
                for (const PortUse *u = m->head; u; u = u->next) {
                        if (u->owner == n || !streq(u->proto, p.proto) || p.hi < u->lo || u->hi < p.lo ||
                            (*p.addr && *u->addr && !streq(p.addr, u->addr)))
                                continue;
                        const OciValue *v = &d->values[OCI_OPT_PUBLISH_PORT];
                        const OciEntry *e = v->n_entries ? &v->entries[v->n_entries - 1] : NULL;
                        for (size_t k = 0; k < v->n_entries; k++)
                                if (streq(v->entries[k].value, *a))
                                        e = &v->entries[k];
                        const char *key = oci_options[OCI_OPT_PUBLISH_PORT].key;
                        oci_diag(&g->sink, LOG_ERR, e && d->sources ? d->sources[e->source] : d->path, e ? e->line : 0, key,
                                 "%s=%s: the host port is published by %s too (%s=%s)", key, *a, u->owner->ref.path, key, u->item);
                        return -EINVAL;
                }
        }
        return 0;
}

/* Once written, its ports are its own. */
static int take_ports(Generator *g, Node *n, const OciDefinition *d) {
        char *const *items = host_ports(d);
        if (!items || !*items)
                return 0;
        if (!g->ports) {
                if (!(g->ports = calloc(1, sizeof(PortMap))))
                        return -ENOMEM;
                g->ports->tail = &g->ports->head;
        }
        PortMap *m = g->ports;
        for (char *const *a = items; *a; a++) {
                Published p;
                if (!parse_published(*a, &p))
                        continue;
                size_t il = strlen(*a), al = strlen(p.addr);
                PortUse *u = arena_alloc(&g->arena, sizeof(PortUse) + il + 1 + al + 1);
                if (!u)
                        return -ENOMEM;
                u->owner = n;
                u->lo = p.lo;
                u->hi = p.hi;
                memcpy(u->proto, p.proto, sizeof(u->proto));
                memcpy(u->item, *a, il + 1);
                u->addr = memcpy(u->item + il + 1, p.addr, al + 1);
                *m->tail = u;
                m->tail = &u->next;
                for (unsigned port = p.lo; port <= p.hi; port++)
                        m->taken[port / 8] |= (unsigned char) (1u << (port % 8));
        }
        return 0;
}

/* docker has no pods: the first member that starts with a pod (and is written) publishes the
 * pod's ports. Returns the pod if d took them. */
static Node *join_pod(Generator *g, OciDefinition *d) {
        if (!d->pod_unit || oci_value_bool(d, OCI_OPT_START_WITH_POD) == 0)
                return NULL;
        Node *pod = hashmap_get(&g->units, d->pod_unit);
        if (!pod || pod->failed || pod->type != OCI_UNIT_POD || !pod->pod_ports || pod->ports_given)
                return NULL;
        if (strv_extend_strv(&d->values[OCI_OPT_PUBLISH_PORT].items, pod->pod_ports) < 0) {
                g->error = -ENOMEM;
                return NULL;
        }
        return pod;
}

/* A docker pod keeps its ports for the member that will publish them. */
static int keep_pod_ports(Generator *g, Node *n, const OciDefinition *d) {
        const OciValue *v = &d->values[OCI_OPT_PUBLISH_PORT];
        if (d->type != OCI_UNIT_POD || d->backend != OCI_BACKEND_DOCKER || !v->items || !*v->items)
                return 0;
        n->pod_ports = strv_copy(v->items);
        n->pod_ports_file = arena_strdup(&g->arena, oci_value_file(d, v));
        n->pod_ports_line = oci_value_line(v);
        return n->pod_ports && n->pod_ports_file ? 0 : -ENOMEM;
}

int check_claims(Generator *g, Node *n, OciDefinition *d, Node **ret_pod) {
        assert(g);
        assert(n);
        assert(d);
        assert(ret_pod);
        *ret_pod = NULL;
        int r = check_aliases(g, n, d);
        if (r == -ENOMEM || g->error < 0)
                return r == -ENOMEM ? r : g->error;
        if (r < 0)
                return r;
        /* the pod's ports are the member's before its ports are checked */
        Node *pod = join_pod(g, d);
        if (g->error < 0)
                return g->error;
        r = check_ports(g, n, d);
        if (r < 0)
                return r;
        *ret_pod = pod;
        return 0;
}

int take_claims(Generator *g, Node *n, const OciDefinition *d, Node *pod) {
        assert(g);
        assert(n);
        assert(d);
        int r = take_aliases(g, n, d);
        if (r >= 0)
                r = take_ports(g, n, d);
        if (r >= 0)
                r = keep_pod_ports(g, n, d);
        if (r < 0)
                return r;
        if (pod)
                pod->ports_given = true;
        return 0;
}

void report_unclaimed_pod_ports(Generator *g) {
        assert(g);
        for (size_t i = 0; i < g->n_nodes; i++) {
                const Node *n = g->nodes[i];
                if (n->pod_ports && !n->failed && !n->ports_given)
                        oci_diag(&g->sink, LOG_WARNING, n->pod_ports_file, n->pod_ports_line, oci_options[OCI_OPT_PUBLISH_PORT].key,
                                 "no member starts with this pod, so with docker its ports are published by none");
        }
}
