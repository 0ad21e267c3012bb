/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Processing the nodes. A definition is processed in steps (load, unit name, validate, failures of
 * what it refers to, claims, render and write, finish); when validation meets a reference to
 * another definition (DependsOn=, NAME.network, NAME.volume, NAME.pod), that one is processed
 * first, so that its unit name and its failure are known. A reference back to a definition still
 * being processed is a dependency cycle. */
#include <assert.h>
#include <sys/resource.h>

#include "generator.h"
#include "log.h"

/* Following a reference nests one more definition on the stack (about 3 KiB of it each; this
 * allows five times that). The stack limit is raised where the hard limit allows, so chains of
 * thousands work; past what the stack can hold, a chain is refused, not followed into a crash. */
#define DEPTH_STACK_PER_LEVEL (16u << 10)
#define DEPTH_HARD_MAX 4096u
#define DEPTH_STACK_WANTED ((rlim_t) DEPTH_HARD_MAX * DEPTH_STACK_PER_LEVEL)

static unsigned dependency_depth_max(void) {
        struct rlimit rl;
        if (getrlimit(RLIMIT_STACK, &rl) < 0)
                return 64;
        if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < DEPTH_STACK_WANTED &&
            (rl.rlim_max == RLIM_INFINITY || rl.rlim_max > rl.rlim_cur)) {
                struct rlimit want = rl;
                want.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > DEPTH_STACK_WANTED ? DEPTH_STACK_WANTED : rl.rlim_max;
                if (setrlimit(RLIMIT_STACK, &want) == 0)
                        rl = want;
        }
        if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= DEPTH_STACK_WANTED)
                return DEPTH_HARD_MAX;
        /* what is not ours: the frames below run() and the libraries' own */
        rlim_t usable = rl.rlim_cur > (256u << 10) ? rl.rlim_cur - (256u << 10) : 0;
        unsigned n = (unsigned) (usable / DEPTH_STACK_PER_LEVEL);
        return n < 16 ? 16 : n;
}

/* Requires=/BindsTo= in a circle cannot start: say which units make it, and generate none of
 * them. 'n' is on the stack: the circle is the stack from n up. */
static void report_cycle(Generator *g, Node *n) {
        size_t k = g->depth;
        while (k > 0 && g->stack[k - 1] != n)
                k--;
        if (k == 0)
                return;
        StrBuf b = {};
        for (size_t m = k - 1; m < g->depth; m++)
                strbuf_printf(&b, "%s -> ", g->stack[m]->ref.unit_name ? g->stack[m]->ref.unit_name : g->stack[m]->file);
        strbuf_puts(&b, n->ref.unit_name ? n->ref.unit_name : n->file);
        for (size_t m = k - 1; m < g->depth; m++) {
                Node *c = g->stack[m];
                if (!c->failed)
                        oci_diag(&g->sink, LOG_ERR, c->ref.path, 0, NULL, "dependency cycle: %s", b.s ? b.s : "?");
                c->failed = true;
        }
        strbuf_done(&b);
}

int visit(Generator *g, Node *n) {
        assert(g);
        assert(n);
        if (n->state == NODE_BUSY) {
                report_cycle(g, n);
                return 0;
        }
        if (n->state == NODE_DONE)
                return 0;
        Node *self = g->stack[g->depth - 1];
        if (g->depth >= g->depth_max) {
                /* deeper would risk the stack: refused, whatever the chain is made of */
                if (!self->failed)
                        oci_diag(&g->sink, LOG_ERR, self->ref.path, 0, NULL,
                                 "%s is at the end of a chain of more than %zu definitions that depend on each other; "
                                 "make the chain shorter", n->file, g->depth_max);
                self->failed = true;
                return 0;
        }
        return process(g, n);
}

/* What oci_validate() asks of another definition: that one is processed first (so its failure, if
 * any, is known), unless it is on the stack already, which is a circle. An error cannot be
 * returned through the library: it waits in g->error. */
static const OciRef *lookup(void *userdata, OciUnitType type, const char *name) {
        Generator *g = userdata;
        Node *n = find_node(g, type, name);
        if (!n)
                return NULL;
        Node *self = g->stack[g->depth - 1];
        int r = visit(g, n);
        if (r < 0) {
                g->error = r;
                return NULL;
        }
        if (self->n_deps % 8 == 0) {
                Node **deps = realloc(self->deps, (self->n_deps + 8) * sizeof(Node *));
                if (!deps) {
                        g->error = -ENOMEM;
                        return NULL;
                }
                self->deps = deps;
        }
        self->deps[self->n_deps++] = n;
        return &n->ref;
}

void prepare_processing(Generator *g) {
        assert(g);
        g->depth_max = dependency_depth_max();
        g->vctx = (OciValidateContext) { .sink = &g->sink, .defaults = g->defaults, .lookup = lookup, .lookup_userdata = g };
        g->rctx = (OciRenderContext) { .sink = &g->sink, .defaults = g->defaults, .user = g->user, .output = g->output };
}

/* Does 'value' name 'dep' as a whole word: "db", "db.container", "net.network:opts",
 * "source=vol.volume,..." but not "mydb"? */
static bool names(const char *value, const char *dep) {
        size_t n = strlen(dep);
        for (const char *p = strstr(value, dep); p; p = strstr(p + 1, dep))
                if ((p == value || strchr(" =,\"'", p[-1])) && (!p[n] || strchr(" .:,\"'", p[n])))
                        return true;
        return false;
}

/* The assignment of d that names dep (DependsOn=, Network=, Volume=, Mount=), for messages. */
static OciOptionId where_named(const OciDefinition *d, const char *dep, const OciEntry **ret) {
        static const OciOptionId keys[] = { OCI_OPT_DEPENDS_ON, OCI_OPT_NETWORK, OCI_OPT_VOLUME, OCI_OPT_MOUNT, OCI_OPT_POD };
        for (size_t i = 0; i < ELEMENTSOF(keys); i++) {
                const OciValue *v = &d->values[keys[i]];
                for (size_t k = v->n_entries; k > 0; k--)
                        if (names(v->entries[k - 1].value, dep)) {
                                *ret = &v->entries[k - 1];
                                return keys[i];
                        }
        }
        *ret = NULL;
        return _OCI_OPT_INVALID;
}

/* ---- the steps of process() ---- */

/* Each step returns -ENOMEM (the run stops), or 0 with n->failed set if the definition has errors.
 * A step that makes no sense for a failed definition is left out by process(). */

static int push(Generator *g, Node *n) {
        if (g->depth % 64 == 0) {
                Node **stack = realloc(g->stack, (g->depth + 64) * sizeof(Node *));
                if (!stack)
                        return -ENOMEM;
                g->stack = stack;
        }
        n->state = NODE_BUSY;
        g->stack[g->depth++] = n;
        return 0;
}

/* A definition of its own for each node; it lives until the node is done. */
static int step_load(Generator *g, Node *n) {
        OciDefinition *d = oci_definition_new(n->ref.path, n->type);
        if (!d)
                return -ENOMEM;
        d->user = g->user;
        n->def = d;
        int r = load_definition(g, d);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                n->failed = true;
        return 0;
}

/* The unit name is known even for a failed definition, for the messages of those that refer to
 * it; it is claimed only by one without errors. */
static int step_name(Generator *g, Node *n) {
        OciDefinition *d = n->def;
        int r = oci_definition_resolve_unit_name(d, &g->sink);
        if (r == -ENOMEM)
                return r;
        if (r >= 0 && !(n->ref.unit_name = arena_strdup(&g->arena, d->unit_name)))
                return -ENOMEM;
        if (r >= 0 && !n->failed)
                r = claim_unit_name(g, n, d);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                n->failed = true;
        return 0;
}

/* Validation looks up what the definition refers to, which processes that first (lookup()). */
static int step_validate(Generator *g, Node *n) {
        OciDefinition *d = n->def;
        if (!n->failed) {
                int r = oci_validate(d, &g->vctx);
                if (g->error < 0)
                        return g->error;
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        n->failed = true;
        }
        n->backend = d->backend;
        if (d->resource && !(n->ref.resource = arena_strdup(&g->arena, d->resource)))
                return -ENOMEM;
        return 0;
}

/* What it depends on failed: so does it. The nodes it looked up are not needed after this. */
static void step_propagate_failures(Generator *g, Node *n) {
        const OciDefinition *d = n->def;
        for (size_t i = 0; !n->failed && i < n->n_deps; i++) {
                const Node *dep = n->deps[i];
                if (!dep->failed || dep->state != NODE_DONE)
                        continue;
                const OciEntry *e;
                OciOptionId key = where_named(d, dep->ref.name, &e);
                oci_diag(&g->sink, LOG_ERR, e && d->sources ? d->sources[e->source] : d->path, e ? e->line : 0,
                         key >= 0 ? oci_options[key].key : NULL, "%s=%s: %s has errors and is not generated, so neither is this one",
                         oci_options[key >= 0 ? key : OCI_OPT_DEPENDS_ON].key, e ? e->value : dep->ref.name, dep->ref.path);
                n->failed = true;
        }
        free(n->deps);
        n->deps = NULL;
        n->n_deps = 0;
}

static int step_check_claims(Generator *g, Node *n, Node **ret_pod) {
        int r = check_claims(g, n, n->def, ret_pod);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                n->failed = true;
        return 0;
}

/* Written: what it claimed is its own. */
static int step_write(Generator *g, Node *n, Node *pod) {
        int r = render_and_write(g, n->def);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                n->failed = true;
                return 0;
        }
        return take_claims(g, n, n->def, pod);
}

/* Off the stack, and its definition let go of. */
static void step_finish(Generator *g, Node *n) {
        if (n->failed) {
                g->n_failed++;
                if (!g->check)
                        log_msg(LOG_WARNING, "%s: skipped because of the errors above; no unit was generated for it", n->ref.path);
        }
        n->def = oci_definition_free(n->def);
        g->depth--;
        n->state = NODE_DONE;
}

int process(Generator *g, Node *n) {
        assert(g);
        assert(n);
        Node *pod = NULL;
        int r = push(g, n);
        if (r >= 0)
                r = step_load(g, n);
        if (r >= 0)
                r = step_name(g, n);
        if (r >= 0)
                r = step_validate(g, n);
        if (r < 0)
                return r;
        step_propagate_failures(g, n);
        if (!n->failed)
                r = step_check_claims(g, n, &pod);
        if (r >= 0 && !n->failed)
                r = step_write(g, n, pod);
        if (r < 0)
                return r;
        step_finish(g, n);
        return 0;
}
