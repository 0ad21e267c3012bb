/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Processing the nodes, with an explicit work stack. A definition goes through these steps:
 *
 *   load        its template, its file, its drop-ins
 *   name        its unit name; a definition another of the same name shadows (claims.c) stops
 *               here, not generated; else the name is claimed
 *   check       what it says on its own (oci_check_local()); a definition with errors stops here,
 *               and nothing it names is processed on its account
 *   references  each definition it names (oci_definition_references()) that is not done is pushed
 *               and processed first; one still on the stack closes a dependency cycle. So is the
 *               definition whose file name would give the unit name one of its aliases takes.
 *   resolve     its references against the summaries of what it names (oci_check_references())
 *   write       claims checked (the names of the files it writes, host ports, engine names),
 *               units rendered and written, claims taken
 *   finish      its messages told in line order (report.c), its summary kept for those that
 *               name it later, its definition freed
 *
 * Only this file walks from one definition to another: the library is told what it needs. */
#include <assert.h>
#include <stdlib.h>

#include "generator.h"
#include "log.h"

/* A chain of definitions that name each other holds one parsed definition per level while it is
 * followed: a longer chain is refused, so that what a hostile search path costs stays bounded. */
#define DEPTH_MAX 4096u

/* The podman the units are written for: $OCI_CONTAINERS_PODMAN_VERSION (MAJOR.MINOR) when set, so
 * that tests, and units made for another machine, do not depend on the podman installed here;
 * else what the binary says, asked when a unit first needs it. */
static unsigned podman_version(const char *path) {
        static bool told;
        const char *env = getenv("OCI_CONTAINERS_PODMAN_VERSION");
        unsigned v = env ? oci_podman_version_parse(env) : 0;
        if (env && v)
                return v;
        v = oci_host_system.podman_version(path);
        if (!told) {
                if (env)
                        log_msg(LOG_WARNING, "OCI_CONTAINERS_PODMAN_VERSION=%s is not MAJOR.MINOR; asking %s instead", env, path);
                if (v)
                        log_msg(LOG_DEBUG, "%s --version: %u.%u", path, v / 100, v % 100);
                else
                        log_msg(LOG_DEBUG, "%s --version told nothing: units are written for podman 4.3", path);
        }
        told = true;
        return v;
}

void prepare_processing(Generator *g) {
        assert(g);
        g->host = oci_host_system;
        g->host.podman_version = podman_version;
        g->rctx = (OciRenderContext) { .sink = &g->sink, .defaults = g->defaults, .user = g->user, .output = g->output,
                                       .host = &g->host };
        /* podman 5 installs the unit Quadlet's user units wait for the network with: where it is,
         * the same one, else the one this package ships */
        if (g->user && unit_file_exists(g, PODMAN_USER_NETWORK_WAIT_UNIT))
                g->rctx.user_network_wait = PODMAN_USER_NETWORK_WAIT_UNIT;
}

static OciCheckContext check_context(Generator *g, const Frame *f) {
        return (OciCheckContext) { .sink = &g->sink, .defaults = g->defaults, .host = &g->host, .known = f->known, .n_known = f->n_known };
}

/* Requires=/BindsTo= in a circle cannot start: say which units make it, and generate none of
 * them. 'n' is on the stack: the circle is the stack from n up. */
static void report_cycle(Generator *g, const Node *n) {
        size_t k = g->depth;
        while (k > 0 && g->stack[k - 1].node != n)
                k--;
        assert(k > 0);
        StrBuf b = {};
        for (size_t m = k - 1; m < g->depth; m++) {
                const Node *c = g->stack[m].node;
                strbuf_printf(&b, "%s -> ", c->summary.unit_name ? c->summary.unit_name : c->file);
        }
        strbuf_puts(&b, n->summary.unit_name ? n->summary.unit_name : n->file);
        for (size_t m = k - 1; m < g->depth; m++) {
                Node *c = g->stack[m].node;
                if (!c->failed)
                        oci_diag(&g->sink, LOG_ERR, c->summary.path, 0, NULL, "dependency cycle: %s", b.s ? b.s : "?");
                c->failed = true;
        }
        strbuf_done(&b);
}

static int push(Generator *g, Node *n) {
        if (g->depth == g->stack_cap) {
                size_t cap = g->stack_cap ? g->stack_cap * 2 : 16;
                Frame *s = realloc(g->stack, cap * sizeof(Frame));
                if (!s)
                        return -ENOMEM;
                g->stack = s;
                g->stack_cap = cap;
        }
        n->state = NODE_BUSY;
        g->stack[g->depth++] = (Frame) { .node = n };
        return 0;
}

/* Load, name and check the definition on its own. Returns -ENOMEM, or 0 with n->failed set when
 * it has errors. A definition whose files had errors is still checked, so that one pass reports
 * every error of a file; it stays skipped. Not when a file was not read whole (what it lacks may
 * be in the part not read) or the unit name is wrong (the check would say so again). */
static int step_load(Generator *g, Frame *f) {
        Node *n = f->node;
        /* A definition is a block of several KiB: glibc serves a request that size by first merging
         * its small free chunks, and then hands out a new block to zero. Taking the last one's block
         * instead saves about 28,000 instructions a definition (12%, test/bench/bench.py --callgrind). */
        OciDefinition *d = oci_definition_reuse(TAKE_PTR(g->spare), n->summary.path, n->summary.type);
        if (!d)
                return -ENOMEM;
        d->user = g->user;
        f->def = d;
        int r = load_definition(g, n, d);
        if (r == -ENOMEM)
                return r;
        n->failed = n->failed || r < 0;

        /* the unit name is known even for a failed definition, for the messages of those that
         * name it; it is claimed only by one without errors */
        r = oci_definition_resolve_unit_name(d, &g->sink);
        if (r == -ENOMEM)
                return r;
        if (r >= 0 && !(n->summary.unit_name = arena_strdup(&g->arena, d->unit_name)))
                return -ENOMEM;
        n->failed = n->failed || r < 0;
        if (r < 0 || d->incomplete)
                return 0;
        n->service_named = d->values[OCI_OPT_SERVICE_NAME].n_entries > 0;
        r = check_shadowed(g, n);
        if (r < 0 || n->shadowed)
                return r;

        OciCheckContext ctx = check_context(g, f);
        r = oci_check_local(d, &ctx);
        if (r >= 0 && !n->failed)
                r = claim_unit_name(g, n, d);
        if (r == -ENOMEM)
                return r;
        n->failed = n->failed || r < 0;
        r = oci_definition_references(d, &f->refs, &f->n_refs);
        if (r < 0)
                return r;
        /* Whatever can be told before what it names is processed is told now: a definition that
         * fails anyway must not have those processed on its account, which would hand them names
         * and ports in its place. What names nothing is said in any case. */
        for (size_t i = 0; i < f->n_refs; i++)
                if (!find_node(g, f->refs[i].type, f->refs[i].name) && oci_reference_report_missing(d, &f->refs[i], &g->sink) < 0)
                        n->failed = true;
        if (n->failed)
                return 0;
        r = precheck_claims(g, n, d);
        if (r == -ENOMEM)
                return r;
        n->failed = r < 0;
        f->prechecked = r >= 0;
        f->claims_seen = g->claims_changes;
        return 0;
}

/* For a [Unit] line of another definition that names it, or for check_shadowed(). */
int peek_unit_name(Generator *g, Node *n) {
        _cleanup_(oci_definition_freep) OciDefinition *d = oci_definition_new(n->summary.path, n->summary.type);
        if (!d)
                return -ENOMEM;
        d->user = g->user;
        OciDiagSink told = g->sink, quiet = {};
        g->sink = quiet;
        int r = load_definition(g, n, d);
        OciDiagSink none = {};
        if (r != -ENOMEM && !d->incomplete)
                r = oci_definition_resolve_unit_name(d, &none);
        g->sink = told;
        if (r == -ENOMEM)
                return r;
        if (r >= 0 && d->unit_name && !(n->summary.unit_name = arena_strdup(&g->arena, d->unit_name)))
                return -ENOMEM;
        n->service_named = d->values[OCI_OPT_SERVICE_NAME].n_entries > 0;
        return 0;
}

static int add_known(Frame *f, Node *n) {
        for (size_t i = 0; i < f->n_known; i++)
                if (f->known[i] == &n->summary)
                        return 0;
        OciSummary **k = realloc(f->known, (f->n_known + 1) * sizeof(*k));
        if (!k)
                return -ENOMEM;
        f->known = k;
        f->known[f->n_known++] = &n->summary;
        return 0;
}

/* The next node that must be done before f's: a definition it names, or the owner by file name
 * of a unit name it takes as an alias. NULL when there is none left. */
static Frame *frame_of(Generator *g, const Node *n) {
        for (size_t k = g->depth; k > 0; k--)
                if (g->stack[k - 1].node == n)
                        return &g->stack[k - 1];
        return NULL;
}

/* f names dep, which is on the stack. If dep only waits for the owner of a unit name it takes as an
 * alias, the alias loses (that name is its owner's) and dep fails, which f then says; otherwise the
 * references go round in a circle. */
static void busy_reference(Generator *g, Frame *f, Node *dep) {
        Frame *w = frame_of(g, dep);
        assert(w && w < f);
        if (!w->waiting_alias) {
                report_cycle(g, dep);
                return;
        }
        const OciItem *a = &w->def->values[OCI_OPT_ALIAS].items.items[w->waiting_alias - 1];
        const char *key = oci_option_key(OCI_OPT_ALIAS);
        oci_diag_at(&g->sink, LOG_ERR, a->loc.file, a->loc.line, a->loc.column, key, "%s=%s is taken: %s names its unit so; choose another alias", key,
                 a->text, w[1].node->summary.path);
        dep->failed = dep->summary.failed = true;
}

static int next_dependency(Generator *g, Frame *f, Node **ret) {
        *ret = NULL;
        f->waiting_alias = 0;
        size_t n_aliases = oci_value_count(f->def, OCI_OPT_ALIAS);
        while (!f->node->failed && !f->node->shadowed && f->next < f->n_refs + n_aliases) {
                size_t i = f->next++;
                Node *dep;
                if (i < f->n_refs) {
                        dep = find_node(g, f->refs[i].type, f->refs[i].name);
                        if (!dep)
                                continue; /* the check says it names nothing */
                        if (add_known(f, dep) < 0)
                                return -ENOMEM;
                        /* a [Unit] line needs its name only: nothing waits, and no circle closes */
                        if (f->refs[i].dep == OCI_DEP_NAME) {
                                if (!dep->summary.unit_name && dep->state == NODE_NEW && peek_unit_name(g, dep) < 0)
                                        return -ENOMEM;
                                continue;
                        }
                } else
                        dep = default_owner(g, f->def->values[OCI_OPT_ALIAS].items.items[i - f->n_refs].text);
                if (!dep || dep->state == NODE_DONE)
                        continue;
                if (dep->state == NODE_BUSY) {
                        /* the owner of a name it takes as an alias waits for it: that name is taken,
                         * which the claims say */
                        if (i < f->n_refs)
                                busy_reference(g, f, dep);
                        continue;
                }
                if (i >= f->n_refs)
                        f->waiting_alias = i - f->n_refs + 1;
                *ret = dep;
                return 0;
        }
        return 0;
}

static PodMembers *pod_members(Node *pod) {
        if (!pod->pod)
                pod->pod = calloc(1, sizeof(PodMembers));
        return pod->pod;
}

/* A member written that starts with its pod: the pod's unit will want it. */
static int add_pod_member(Generator *g, const Frame *f) {
        _cleanup_free_ char *member = NULL;
        if (oci_render_pod_member(f->def, &member) < 0)
                return -ENOMEM;
        for (size_t i = 0; i < f->n_refs; i++) {
                Node *pod = f->refs[i].dep == OCI_DEP_BINDS ? find_node(g, f->refs[i].type, f->refs[i].name) : NULL;
                if (!pod || (!member && !(pod->pod && pod->pod->aliased)))
                        continue;
                PodMembers *m = pod_members(pod);
                if (!m)
                        return -ENOMEM;
                /* each member once: a node is written once */
                if (member && strv_push_at(&m->units, m->n_units++, strdup(member)) < 0)
                        return -ENOMEM;
                if (m->aliased && strv_push_at(&m->aliases, m->n_aliases++, xasprintf("%s-%s", f->refs[i].name, f->def->name)) < 0)
                        return -ENOMEM;
        }
        return 0;
}

/* Resolve, check the claims, write. Returns -ENOMEM, or 0 with n->failed set on errors. */
static int step_write(Generator *g, Frame *f) {
        Node *n = f->node;
        OciCheckContext ctx = check_context(g, f);
        int r = oci_check_references(f->def, &ctx);
        if (r == -ENOMEM)
                return r;
        _cleanup_free_ char *companion = NULL;
        bool keep = false;
        if (r >= 0)
                r = check_claims(g, n, f->def, f->prechecked && f->claims_seen == g->claims_changes, &companion, &keep);
        if (r >= 0) {
                r = render_and_write(g, n, f->def, companion, keep);
                f->unwritable = r < 0;
        }
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                n->failed = true;
                return 0;
        }
        r = take_claims(g, n, f->def, keep ? companion : NULL);
        if (r >= 0 && g->kube) {
                /* checked and resolved as for a unit: what the YAML needs of it is kept */
                r = oci_kube_add(g->kube, f->def, &g->sink);
                if (r == -EINVAL) {
                        n->failed = true;
                        return 0;
                }
        }
        if (r >= 0 && f->def->type == OCI_UNIT_POD && f->def->backend == OCI_BACKEND_PODMAN &&
            oci_value_bool(f->def, OCI_OPT_POD_MEMBER_ALIASES) > 0) {
                PodMembers *m = pod_members(n);
                if (!m)
                        return -ENOMEM;
                m->aliased = true;
        }
        return r < 0 ? r : add_pod_member(g, f);
}

/* Off the stack: its summary kept, its definition let go of. */
static int step_finish(Generator *g) {
        Frame *f = &g->stack[g->depth - 1];
        Node *n = f->node;
        if (n->failed)
                g->n_failed++;
        int r = report_definition_done(g, f);
        if (r < 0)
                return r;
        f->def->failed = n->failed;
        r = oci_summary_fill(&n->summary, f->def);
        if (r >= 0 && f->def->resource && !(n->summary.resource = arena_strdup(&g->arena, f->def->resource)))
                r = -ENOMEM;
        oci_definition_free(g->spare);
        g->spare = f->def;
        free(f->refs);
        free(f->known);
        g->depth--;
        n->state = NODE_DONE;
        g->claims_changes++;
        return r;
}

int process(Generator *g, Node *root) {
        assert(g && root && root->state == NODE_NEW);
        int r = push(g, root);
        size_t base = g->depth - 1;
        while (r >= 0 && g->depth > base) {
                Frame *f = &g->stack[g->depth - 1];
                if (!f->def) {
                        r = step_load(g, f);
                        continue;
                }
                Node *dep;
                r = next_dependency(g, f, &dep);
                if (r < 0)
                        break;
                if (dep && g->depth >= DEPTH_MAX) {
                        /* refused, whatever the chain is made of */
                        oci_diag(&g->sink, LOG_ERR, f->node->summary.path, 0, NULL,
                                 "%s is at the end of a chain of more than %u definitions that depend on each other; "
                                 "make the chain shorter", dep->file, DEPTH_MAX);
                        f->node->failed = true;
                        continue;
                }
                if (dep) {
                        r = push(g, dep);
                        continue;
                }
                if (!f->node->failed && !f->node->shadowed)
                        r = step_write(g, f);
                if (r >= 0)
                        r = step_finish(g);
        }
        return r;
}
