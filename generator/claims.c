/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What a definition takes for itself, so that no two definitions fight over it: the name of every
 * file it writes into the output directory (its unit, its aliases, its NAME-pull.service, its
 * environment file), the host ports it publishes, the names of the engine's objects it makes
 * (engine-names.c). A unit name is claimed once the definition passed its own check (others refer
 * to it); the rest is checked before anything of it is written and taken once it is. A companion
 * is the one name nobody asked for: it yields to every other, also when it came first (it is then
 * removed, or for --dry-run not printed), and to the stand-in of a definition that was skipped. The ports are the library's typed items: the address,
 * the range and the protocol as parsed. */
#include <assert.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "generator.h"

/* A PublishPort= of a definition generated already, kept until the end, so it is small. */
typedef struct PortUse {
        struct PortUse *next; /* the next of its chain (see PortMap) */
        const Node *owner;
        uint32_t seq;         /* the order it was taken in */
        uint16_t lo, hi;
        uint16_t addr_len;    /* the address's (0: every address) */
        uint8_t proto : 7;    /* an OciProto */
        bool addr_apart : 1;  /* the address follows the value; else the value starts with it */
        char item[]; /* the PublishPort= value, for the message; then the address unless it starts it */
} PortUse;

/* The host ports taken, found by protocol and port number, so that a check looks at the uses of
 * its own ports only, whatever the number of definitions: a use of one port is in the chain of its
 * protocol and port, one use for each address (a later use of the same address conflicts with the
 * first, which is the one a message names); a range is in a list of its own, as ranges are few.
 * The chains' heads are in pages of 256 ports, made when a port of theirs is first taken, so that
 * the memory follows the ports in use. */
#define PORT_PAGE 256u
struct PortMap {
        PortUse **pages[_OCI_PROTO_MAX][65536 / PORT_PAGE];
        PortUse *ranges; /* newest first */
        uint32_t n;
};

/* Who writes the file 'name' into the output directory, and as what. */
typedef enum ClaimKind {
        CLAIM_NONE,
        CLAIM_UNIT,      /* its own service (from its file name or ServiceName=) */
        CLAIM_ALIAS,     /* a link of Alias= */
        CLAIM_COMPANION, /* its NAME-pull.service, which yields to every other claim */
} ClaimKind;

static Node *owner_of(Generator *g, const char *name, ClaimKind *ret_kind) {
        Node *o = hashmap_get(&g->units, name);
        *ret_kind = CLAIM_UNIT;
        if (o)
                return o;
        o = hashmap_get(&g->aliases, name);
        *ret_kind = CLAIM_ALIAS;
        if (o)
                return o;
        /* NAME-pull.service is NAME.service's: found by it, so that it costs no memory of its own */
        const char *e = endswith(name, "-pull.service");
        char unit[NAME_MAX + 1];
        *ret_kind = CLAIM_NONE;
        size_t prefix = e ? (size_t) (e - name) : 0;
        if (!e || prefix + strlen(".service") >= sizeof(unit))
                return NULL;
        memcpy(unit, name, prefix);
        memcpy(unit + prefix, ".service", sizeof(".service"));
        o = hashmap_get(&g->units, unit);
        if (!o || !o->companion)
                return NULL;
        *ret_kind = CLAIM_COMPANION;
        return o;
}

/* A companion written already yields its name to 'taker', which claims it as its own unit or as
 * an alias: its owner is told, and it is removed. */
static void evict_companion(Generator *g, Node *owner, const char *name, const Node *taker, ClaimKind how) {
        assert(owner->companion && owner != taker);
        oci_diag(&g->sink, LOG_WARNING, owner->summary.path, 0, NULL,
                 "%s, the NAME-pull.service of this definition, is left out: %s %s; rename one of them, or set "
                 "ServiceName= or choose another alias, to keep both", name, taker->summary.path,
                 how == CLAIM_UNIT    ? "makes a unit of that name"
                 : how == CLAIM_ALIAS ? "has an alias of that name"
                                      : "was skipped, and its stand-in has that name");
        remove_companion(g, name);
        owner->companion = false;
        g->claims_changes++;
}

/* A unit name belongs to one definition: the first one processed that has no error, whatever
 * companion had it. An alias is taken once its definition is written. */
int claim_unit_name(Generator *g, Node *n, OciDefinition *d) {
        assert(g);
        assert(n);
        assert(d);
        ClaimKind kind;
        Node *o = owner_of(g, d->unit_name, &kind);
        if (o && kind == CLAIM_COMPANION)
                evict_companion(g, o, d->unit_name, n, CLAIM_UNIT);
        else if (o && kind == CLAIM_ALIAS) {
                oci_diag(&g->sink, LOG_ERR, d->path, 0, NULL, "%s is an %s= of %s already; set a different %s=", d->unit_name,
                         oci_option_key(OCI_OPT_ALIAS), o->summary.path, oci_option_key(OCI_OPT_SERVICE_NAME));
                return -EINVAL;
        } else if (o) {
                oci_diag(&g->sink, LOG_ERR, d->path, 0, NULL, "%s is made by %s already; set a different %s=",
                         d->unit_name, o->summary.path, oci_option_key(OCI_OPT_SERVICE_NAME));
                return -EINVAL;
        }
        g->claims_changes++;
        return hashmap_put(&g->units, n->summary.unit_name, n);
}

void yield_companions_to_stand_ins(Generator *g) {
        assert(g);
        for (size_t i = 0; i < g->n_failures; i++) {
                const Failure *x = &g->failures[i];
                ClaimKind kind;
                Node *o = owner_of(g, x->unit, &kind);
                if (o && kind == CLAIM_COMPANION && o != x->node)
                        evict_companion(g, o, x->unit, x->node, CLAIM_NONE);
        }
}

int check_shadowed(Generator *g, Node *n) {
        assert(g && n && n->summary.unit_name);
        if (n->service_named)
                return 0;
        const OciFileType *own = oci_file_type(n->summary.type);
        for (OciUnitType t = 0; t < _OCI_UNIT_TYPE_MAX; t++) {
                const OciFileType *ft = oci_file_type(t);
                if (ft->order >= own->order || !streq(ft->suffix, own->suffix))
                        continue;
                /* nodes are processed by name, then in the table's order, and nothing names one of
                 * a later type so as to have it processed first: the other is done or on its way,
                 * but a look costs little, and keeps this true whatever the order */
                Node *m = find_node(g, t, n->summary.name);
                if (m && !m->summary.unit_name && m->state == NODE_NEW) {
                        int r = peek_unit_name(g, m);
                        if (r < 0)
                                return r;
                }
                if (!m || m->service_named || !streq_ptr(m->summary.unit_name, n->summary.unit_name))
                        continue;
                n->shadowed = true;
                return oci_diag(&g->sink, LOG_WARNING, n->summary.path, 0, NULL,
                                "%s is the unit of %s too, whose file type comes first: this definition is not generated (systemd "
                                "would take one unit of a name found twice); set %s= in one of them to have both",
                                n->summary.unit_name, m->summary.path, oci_option_key(OCI_OPT_SERVICE_NAME));
        }
        return 0;
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

/* Generated units come before the installed ones: a name of an installed unit is taken over, which
 * may be meant (a container in place of a distribution's service), so it is a warning. An instance
 * takes the place of the installed template's instance too. */
static int warn_installed(Generator *g, const char *unit, const char *file, unsigned line, const char *key, const char *what,
                          const char *fix) {
        const char *path;
        int r = find_installed(g, unit, &path);
        if (r < 0 || path) {
                if (r >= 0)
                        oci_diag(&g->sink, LOG_WARNING, file, line, key, "%s replaces the installed unit %s, as generated units come "
                                 "first: %s, unless replacing it is meant", what, path, fix);
                return r;
        }
        const char *at = strchr(unit, '@'), *dot = strrchr(unit, '.');
        if (!at || at + 1 == dot)
                return 0;
        char tmpl[NAME_MAX + 1];
        if ((size_t) (at - unit) + 1 + strlen(dot) >= sizeof(tmpl))
                return 0;
        snprintf(tmpl, sizeof(tmpl), "%.*s%s", (int) (at - unit + 1), unit, dot);
        r = find_installed(g, tmpl, &path);
        if (r >= 0 && path)
                oci_diag(&g->sink, LOG_WARNING, file, line, key, "%s replaces instance %.*s of the installed template %s, as "
                         "generated units come first: %s, unless replacing it is meant", what, (int) (dot - at - 1), at + 1, path, fix);
        return r;
}

/* The unit, the companion and the aliases of d: those that replace an installed unit, said; a
 * companion, which no one asked for by name, yields to one instead. */
static int check_installed(Generator *g, const OciDefinition *d, const char *companion, bool *keep) {
        const OciValue *sn = &d->values[OCI_OPT_SERVICE_NAME];
        const char *key = oci_option_key(OCI_OPT_SERVICE_NAME);
        _cleanup_free_ char *what = sn->n_entries ? xasprintf("%s=%s makes %s, which", key, sn->entries[sn->n_entries - 1].value, d->unit_name)
                                                  : strdup(d->unit_name);
        if (!what)
                return -ENOMEM;
        int r = warn_installed(g, d->unit_name, sn->n_entries ? oci_value_file(d, sn) : d->path, oci_value_line(sn),
                               sn->n_entries ? key : NULL, what, sn->n_entries ? "choose another name" : "rename the file or set ServiceName=");
        OCI_FOREACH_ITEM(a, d, OCI_OPT_ALIAS) {
                _cleanup_free_ char *alias = r >= 0 ? xasprintf("%s=%s", oci_option_key(OCI_OPT_ALIAS), a->text) : NULL;
                if (r >= 0)
                        r = alias ? warn_installed(g, a->text, a->loc.file, a->loc.line, oci_option_key(OCI_OPT_ALIAS), alias,
                                                   "choose another alias") : -ENOMEM;
        }
        const char *path = NULL;
        if (r >= 0 && companion && *keep)
                r = find_installed(g, companion, &path);
        if (r >= 0 && path) {
                oci_diag(&g->sink, LOG_WARNING, d->path, 0, NULL, "%s, the NAME-pull.service of this definition, is left out: it "
                         "would replace the installed unit %s; rename the file or set ServiceName= to have it", companion, path);
                *keep = false;
        }
        return r;
}

/* An Alias= may not take the name of another definition's unit, nor another definition's alias;
 * it takes a companion's. The definition whose file name gives its unit that name was processed
 * first (graph.c), so that its own name stays its own whatever the file names; otherwise the first
 * one processed keeps it. */
static int check_aliases(Generator *g, Node *n, const OciDefinition *d) {
        int ret = 0;
        OCI_FOREACH_ITEM(a, d, OCI_OPT_ALIAS) {
                ClaimKind kind;
                const Node *o = owner_of(g, a->text, &kind);
                const char *key = oci_option_key(OCI_OPT_ALIAS);
                if (!o || o == n || kind == CLAIM_COMPANION)
                        continue;
                if (kind == CLAIM_ALIAS)
                        RET_GATHER(ret, oci_diag_at(&g->sink, LOG_ERR, a->loc.file, a->loc.line, a->loc.column, key,
                                                 "%s=%s is taken: %s has the same alias; choose another one", key, a->text,
                                                 o->summary.path));
                else
                        RET_GATHER(ret, oci_diag_at(&g->sink, LOG_ERR, a->loc.file, a->loc.line, a->loc.column, key,
                                                 "%s=%s is taken: %s names its unit so; choose another alias", key, a->text,
                                                 o->summary.path));
        }
        return ret;
}

/* A companion takes what no other definition claims, nor an alias of its own. */
static bool companion_free(Generator *g, Node *n, const OciDefinition *d, const char *companion) {
        OCI_FOREACH_ITEM(a, d, OCI_OPT_ALIAS)
                if (streq(a->text, companion)) {
                        oci_diag_at(&g->sink, LOG_WARNING, a->loc.file, a->loc.line, a->loc.column, oci_option_key(OCI_OPT_ALIAS),
                                 "%s=%s is the name of this definition's NAME-pull.service, which is left out for it; "
                                 "choose another alias to keep both", oci_option_key(OCI_OPT_ALIAS), a->text);
                        return false;
                }
        ClaimKind kind;
        const Node *o = owner_of(g, companion, &kind);
        if (!o || o == n)
                return true;
        oci_diag(&g->sink, LOG_WARNING, d->path, 0, NULL, "%s, the NAME-pull.service of this definition, is left out: %s %s; "
                 "rename one of them, or set ServiceName= or choose another alias, to keep both", companion,
                 o->summary.path, kind == CLAIM_ALIAS ? "has an alias of that name" : "makes a unit of that name");
        return false;
}

static int take_aliases(Generator *g, Node *n, const OciDefinition *d) {
        OCI_FOREACH_ITEM(a, d, OCI_OPT_ALIAS) {
                if (hashmap_get(&g->aliases, a->text))
                        continue; /* the same alias twice */
                char *key = arena_strdup(&g->arena, a->text);
                if (!key || hashmap_put(&g->aliases, key, n) < 0)
                        return -ENOMEM;
        }
        return 0;
}

/* A host port is one per protocol and address: two definitions publishing the same one would
 * fight over it at start. Quadlet generates both, and so does this, with a warning that names both
 * files (the one that starts second fails to). A port without a host port is the engine's to pick;
 * one named by a variable is known at start only. */
static bool publishes(const OciPort *p) {
        return p->host_lo > 0;
}

/* The chain of single-port uses of port on proto; NULL when none. */
static PortUse *chain_of(const PortMap *m, unsigned proto, unsigned port) {
        PortUse **page = m->pages[proto][port / PORT_PAGE];
        return page ? page[port % PORT_PAGE] : NULL;
}

static bool port_maybe_taken(const PortMap *m, const OciPort *p) {
        if (m->ranges)
                return true;
        for (unsigned port = p->host_lo; port <= p->host_hi; port++)
                if (chain_of(m, p->proto, port))
                        return true;
        return false;
}

static const char *use_address(const PortUse *u) {
        return u->addr_apart ? u->item + strlen(u->item) + 1 : u->item;
}

/* Whether use u conflicts with port p at address addr ("": every address) of another definition. */
static bool conflicts(const PortUse *u, const Node *n, const OciPort *p, const char *addr, size_t al) {
        return u->owner != n && u->proto == p->proto && p->host_lo <= u->hi && u->lo <= p->host_hi &&
               (!al || !u->addr_len || (al == u->addr_len && memcmp(addr, use_address(u), al) == 0));
}

/* The first use taken that conflicts with p at addr; NULL when none. */
static const PortUse *first_conflict(const PortMap *m, const Node *n, const OciPort *p, const char *addr) {
        const PortUse *best = NULL;
        size_t al = strlen(addr);
        for (unsigned port = p->host_lo; port <= p->host_hi; port++)
                for (const PortUse *u = chain_of(m, p->proto, port); u; u = u->next)
                        if ((!best || u->seq < best->seq) && conflicts(u, n, p, addr, al))
                                best = u;
        for (const PortUse *u = m->ranges; u; u = u->next)
                if ((!best || u->seq < best->seq) && conflicts(u, n, p, addr, al))
                        best = u;
        return best;
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
                const PortUse *u = first_conflict(m, n, p, oci_definition_port_address(d, p));
                if (!u)
                        continue;
                const char *key = oci_option_key(OCI_OPT_PUBLISH_PORT);
                oci_diag_at(&g->sink, LOG_WARNING, ports[i]->loc.file, ports[i]->loc.line, ports[i]->loc.column, key,
                         "%s=%s: the host port is published by %s too (%s=%s); both units are generated, and the "
                         "one that starts second cannot bind it", key, oci_item_written(d, OCI_OPT_PUBLISH_PORT, ports[i]),
                         u->owner->summary.path, key, u->item);
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
        }
        PortMap *m = g->ports;
        for (size_t i = 0; i < np; i++) {
                const OciPort *p = &ports[i]->port;
                if (!publishes(p))
                        continue;
                const char *addr = oci_definition_port_address(d, p);
                size_t al = strlen(addr);
                PortUse **at = &m->ranges;
                if (p->host_lo == p->host_hi) {
                        PortUse ***page = &m->pages[p->proto][p->host_lo / PORT_PAGE];
                        if (!*page && !(*page = arena_alloc(&g->arena, PORT_PAGE * sizeof(PortUse *))))
                                return -ENOMEM;
                        at = &(*page)[p->host_lo % PORT_PAGE];
                        /* the first use of this address is the one a conflict names */
                        bool again = false;
                        for (const PortUse *u = *at; u && !again; u = u->next)
                                again = al == u->addr_len && memcmp(addr, use_address(u), al) == 0;
                        if (again)
                                continue;
                }
                const char *written = oci_item_written(d, OCI_OPT_PUBLISH_PORT, ports[i]);
                size_t il = strlen(written);
                /* as written, the address starts the value; a default address does not */
                bool in_item = strncmp(written, addr, al) == 0 && written[al] == ':';
                if (il + 1 + al > UINT16_MAX)
                        return -ENOMEM; /* a line of the unit is shorter than that */
                PortUse *u = arena_alloc(&g->arena, offsetof(PortUse, item) + il + 1 + (in_item ? 0 : al));
                if (!u)
                        return -ENOMEM;
                *u = (PortUse) { .next = *at, .owner = n, .seq = m->n++, .lo = (uint16_t) p->host_lo, .hi = (uint16_t) p->host_hi,
                                 .proto = (uint8_t) p->proto, .addr_apart = !in_item, .addr_len = (uint16_t) al };
                memcpy(u->item, written, il + 1);
                if (!in_item)
                        memcpy(u->item + il + 1, addr, al);
                *at = u;
        }
        return 0;
}

int precheck_claims(Generator *g, Node *n, const OciDefinition *d) {
        assert(g && n && d);
        int ret = check_aliases(g, n, d);
        GATHER_OR_RETURN(ret, check_engine_names(g, n, d));
        return ret;
}

int check_claims(Generator *g, Node *n, const OciDefinition *d, bool prechecked, char **ret_companion, bool *ret_keep) {
        assert(g && n && d && ret_companion && ret_keep);
        int ret = prechecked ? 0 : precheck_claims(g, n, d);
        if (ret < 0)
                return ret;
        /* a port taken already is a warning, said once, when the definition is to be written */
        ret = check_ports(g, n, d);
        if (ret < 0)
                return ret;
        /* it will be written: what it replaces, and whether its companion is its own */
        _cleanup_free_ char *companion = NULL;
        int r = oci_render_pull_name(d, &companion);
        if (r < 0)
                return r;
        bool keep = companion && companion_free(g, n, d, companion);
        r = check_installed(g, d, companion, &keep);
        if (r < 0)
                return r;
        /* the companions its aliases take go before its links are made */
        OCI_FOREACH_ITEM(a, d, OCI_OPT_ALIAS) {
                ClaimKind kind;
                Node *o = owner_of(g, a->text, &kind);
                if (o && kind == CLAIM_COMPANION && o != n)
                        evict_companion(g, o, a->text, n, CLAIM_ALIAS);
        }
        *ret_companion = TAKE_PTR(companion);
        *ret_keep = keep;
        return 0;
}

int take_claims(Generator *g, Node *n, const OciDefinition *d, const char *companion) {
        assert(g && n && d);
        g->claims_changes++;
        int r = take_aliases(g, n, d);
        /* the companion's name, and the environment file's, are the unit's with another ending:
         * no unit or alias ends in ".env", and owner_of() finds the companion by its unit */
        n->companion = companion != NULL;
        if (r >= 0)
                r = take_ports(g, n, d);
        if (r >= 0)
                r = take_engine_names(g, n, d);
        if (r < 0)
                return r;
        OciSummary *from = oci_definition_handoff(d);
        if (from)
                from->handoff->taken = true;
        return 0;
}

void report_unclaimed_pod_ports(Generator *g) {
        assert(g);
        for (size_t i = 0; i < g->n_nodes; i++)
                oci_summary_report_handoff(&g->nodes[i]->summary, &g->sink);
}
