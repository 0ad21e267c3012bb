/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What a definition takes for itself, so that no two definitions fight over it: its unit name, its
 * aliases, the host ports it publishes. A unit name is claimed before the definition is checked
 * (others refer to it); aliases and ports are checked before it is written and taken once it is.
 * The ports are the library's typed items: the address, the range and the protocol as parsed. */
#include <assert.h>
#include <limits.h>

#include "generator.h"

/* A PublishPort= of a definition generated already. */
typedef struct PortUse {
        struct PortUse *next;
        const Node *owner;
        unsigned lo, hi;
        OciProto proto;
        char *addr;  /* "" for every address; points into item */
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
                         d->unit_name, owner->summary.path, oci_options[OCI_OPT_SERVICE_NAME].key);
                return -EINVAL;
        }
        owner = hashmap_get(&g->aliases, d->unit_name);
        if (owner) {
                oci_diag(&g->sink, LOG_ERR, d->path, 0, NULL, "%s is an %s= of %s already; set a different %s=", d->unit_name,
                         oci_options[OCI_OPT_ALIAS].key, owner->summary.path, oci_options[OCI_OPT_SERVICE_NAME].key);
                return -EINVAL;
        }
        return hashmap_put(&g->units, n->summary.unit_name, n);
}

Node *default_owner(Generator *g, const char *unit) {
        assert(g && unit);
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
 * The definition whose file name gives its unit that name was processed first (graph.c), so that
 * its own name stays its own whatever the file names; otherwise the first one processed keeps it. */
static int check_aliases(Generator *g, Node *n, const OciDefinition *d) {
        int ret = 0;
        OCI_FOREACH_ITEM(a, d, OCI_OPT_ALIAS) {
                const Node *owner = hashmap_get(&g->units, a->text);
                const char *key = oci_options[OCI_OPT_ALIAS].key;
                if (owner && owner != n) {
                        RET_GATHER(ret, oci_diag(&g->sink, LOG_ERR, a->loc.file, a->loc.line, key,
                                                 "%s=%s is taken: %s names its unit so; choose another alias", key, a->text,
                                                 owner->summary.path));
                        continue;
                }
                owner = hashmap_get(&g->aliases, a->text);
                if (owner && owner != n)
                        RET_GATHER(ret, oci_diag(&g->sink, LOG_ERR, a->loc.file, a->loc.line, key,
                                                 "%s=%s is taken: %s has the same alias; choose another one", key, a->text,
                                                 owner->summary.path));
        }
        return ret;
}

static int take_aliases(Generator *g, Node *n, const OciDefinition *d) {
        OCI_FOREACH_ITEM(a, d, OCI_OPT_ALIAS) {
                char *key = arena_strdup(&g->arena, a->text);
                if (!key || hashmap_put(&g->aliases, key, n) < 0)
                        return -ENOMEM;
        }
        return 0;
}

/* A host port is one per protocol and address: two definitions publishing the same one would
 * fight over it at start. Both files are named; the later one is not generated. A port without a
 * host port is the engine's to pick. */
static bool publishes(const OciPort *p) {
        return p->host_lo > 0;
}

/* "" for an address that means every address of the host. */
static const char *port_address(const OciPort *p) {
        return streq(p->address, "0.0.0.0") || streq(p->address, "::") ? "" : p->address;
}

static bool port_maybe_taken(const PortMap *m, const OciPort *p) {
        for (unsigned port = p->host_lo; port <= p->host_hi; port++)
                if (m->taken[port / 8] & (1u << (port % 8)))
                        return true;
        return false;
}

/* A template publishes the ports of the instance DefaultInstance= enables; when an instance file
 * makes that unit instead, it counts its own. */
static bool ports_are_elsewhere(Generator *g, const OciDefinition *d) {
        const char *def = oci_value_str(d, OCI_OPT_DEFAULT_INSTANCE);
        char name[NAME_MAX + 1];
        if (!d->instance || *d->instance || !def)
                return false;
        int k = snprintf(name, sizeof(name), "%s%s", d->name, def);
        return k > 0 && (size_t) k < sizeof(name) && find_node(g, d->type, name);
}

static int check_ports(Generator *g, Node *n, const OciDefinition *d) {
        _cleanup_free_ const OciItem **ports = NULL;
        size_t np;
        int r = oci_definition_host_ports(d, &ports, &np);
        if (r < 0 || !g->ports || ports_are_elsewhere(g, d))
                return r;
        const PortMap *m = g->ports;
        for (size_t i = 0; i < np; i++) {
                const OciPort *p = &ports[i]->port;
                if (!publishes(p) || !port_maybe_taken(m, p))
                        continue;
                const char *addr = port_address(p);
                for (const PortUse *u = m->head; u; u = u->next) {
                        if (u->owner == n || u->proto != p->proto || p->host_hi < u->lo || u->hi < p->host_lo ||
                            (*addr && *u->addr && !streq(addr, u->addr)))
                                continue;
                        const char *key = oci_options[OCI_OPT_PUBLISH_PORT].key;
                        return oci_diag(&g->sink, LOG_ERR, ports[i]->loc.file, ports[i]->loc.line, key,
                                        "%s=%s: the host port is published by %s too (%s=%s)", key, ports[i]->text, u->owner->summary.path,
                                        key, u->item);
                }
        }
        return 0;
}

/* Once written, its ports are its own. */
static int take_ports(Generator *g, Node *n, const OciDefinition *d) {
        _cleanup_free_ const OciItem **ports = NULL;
        size_t np;
        int r = oci_definition_host_ports(d, &ports, &np);
        if (r < 0 || np == 0 || ports_are_elsewhere(g, d))
                return r;
        if (!g->ports) {
                if (!(g->ports = calloc(1, sizeof(PortMap))))
                        return -ENOMEM;
                g->ports->tail = &g->ports->head;
        }
        PortMap *m = g->ports;
        for (size_t i = 0; i < np; i++) {
                const OciPort *p = &ports[i]->port;
                if (!publishes(p))
                        continue;
                const char *addr = port_address(p);
                size_t il = strlen(ports[i]->text), al = strlen(addr);
                PortUse *u = arena_alloc(&g->arena, sizeof(PortUse) + il + 1 + al + 1);
                if (!u)
                        return -ENOMEM;
                *u = (PortUse) { .owner = n, .lo = p->host_lo, .hi = p->host_hi, .proto = p->proto };
                memcpy(u->item, ports[i]->text, il + 1);
                u->addr = memcpy(u->item + il + 1, addr, al + 1);
                *m->tail = u;
                m->tail = &u->next;
                for (unsigned port = p->host_lo; port <= p->host_hi; port++)
                        m->taken[port / 8] |= (unsigned char) (1u << (port % 8));
        }
        return 0;
}

int check_claims(Generator *g, Node *n, const OciDefinition *d) {
        assert(g && n && d);
        int r = check_aliases(g, n, d);
        return r < 0 ? r : check_ports(g, n, d);
}

int take_claims(Generator *g, Node *n, const OciDefinition *d) {
        assert(g && n && d);
        int r = take_aliases(g, n, d);
        if (r >= 0)
                r = take_ports(g, n, d);
        if (r < 0)
                return r;
        OciSummary *from = oci_definition_handoff(d);
        if (from)
                from->handoff_taken = true;
        return 0;
}

void report_unclaimed_pod_ports(Generator *g) {
        assert(g);
        for (size_t i = 0; i < g->n_nodes; i++)
                oci_summary_report_handoff(&g->nodes[i]->summary, &g->sink);
}
