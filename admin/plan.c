/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The plan of "oci-containers apply": from the generated units before a reload and after it, and
 * which of them run, what to stop, restart and start. As nixos-rebuild switch does for a system's
 * units: a running service whose files changed is restarted, a new one that starts at boot is
 * started, a running one whose definition is gone is stopped; nothing else is touched. */
#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "util.h"

static const char *const kind_names[_PLAN_KIND_MAX] = {
        [PLAN_STOP] = "stop",
        [PLAN_RESTART] = "restart",
        [PLAN_START] = "start",
        [PLAN_KEEP] = "keep",
};

const char *plan_kind_to_string(PlanKind k) {
        assert(k >= 0 && k < _PLAN_KIND_MAX);
        return kind_names[k];
}

/* what changed between two snapshots of a unit, NULL if nothing did */
static const char *changed(const SnapUnit *a, const SnapUnit *b) {
        if (!streq(a->text, b->text))
                return "its generated unit changed";
        if (!streq_ptr(a->env, b->env))
                return "its environment file changed";
        if (!streq_ptr(a->dropins, b->dropins))
                return "its drop-ins changed";
        return NULL;
}

static int add(Plan *p, size_t *cap, PlanKind kind, const char *unit, const char *reason) {
        /* the first step decided for a unit is its step: its own unit's before its template's */
        for (size_t i = 0; i < p->n; i++)
                if (streq(p->steps[i].unit, unit))
                        return 0;
        if (p->n == *cap) {
                size_t c = *cap ? 2 * *cap : 8;
                PlanStep *s = realloc(p->steps, c * sizeof(*s));
                if (!s)
                        return -ENOMEM;
                p->steps = s;
                *cap = c;
        }
        p->steps[p->n++] = (PlanStep) { kind, unit, reason };
        return 0;
}

static int cmp_step(const void *x, const void *y) {
        const PlanStep *a = x, *b = y;
        if (a->kind != b->kind)
                return a->kind < b->kind ? -1 : 1;
        return strcmp(a->unit, b->unit);
}

bool unit_is_instance_of(const char *unit, const char *template) {
        const char *at = strchr(template, '@');
        if (!at || at[1] != '.')
                return false;
        size_t k = (size_t) (at - template) + 1;
        const char *suffix = at + 1, *rest = strncmp(unit, template, k) == 0 ? unit + k : NULL;
        const char *end = rest ? endswith(rest, suffix) : NULL;
        return end && end > rest && !memchr(rest, '/', (size_t) (end - rest));
}

/* "NAME@.service" of an instance "NAME@INSTANCE.service" (malloc()ed), or NULL for another name */
static char *template_of(const char *unit) {
        const char *at = strchr(unit, '@'), *dot = at ? strrchr(at, '.') : NULL;
        return dot && dot > at + 1 ? xasprintf("%.*s%s", (int) (at - unit + 1), unit, dot) : NULL;
}

static bool is_template(const char *unit) {
        return strstr(unit, "@.") != NULL;
}

/* Adds the step for the unit, or for a template one for each instance that runs from it: not one
 * with a unit file of its own, before or after, which systemd runs instead of the template. */
static int add_running(Plan *p, size_t *cap, PlanKind kind, const char *unit, char *const *running, const Snapshot *before,
                       const Snapshot *after, const char *reason) {
        int r = 0;
        if (is_template(unit)) {
                for (char *const *u = running; r >= 0 && u && *u; u++)
                        if (unit_is_instance_of(*u, unit) && !snapshot_find(before, *u) && !snapshot_find(after, *u))
                                r = add(p, cap, kind, *u, reason);
                return r;
        }
        return strv_contains(running, unit) ? add(p, cap, kind, unit, reason) : 0;
}

/* A unit new in after: started if it starts at boot; an instance that ran from its template and has
 * a unit of its own now, restarted. */
static int plan_new(Plan *p, size_t *cap, const SnapUnit *u, const Snapshot *before, char *const *running) {
        if (!strv_contains(running, u->name))
                return u->boot && !u->stand_in ? add(p, cap, PLAN_START, u->name, "it is new and starts at boot") : 0;
        _cleanup_free_ char *tpl = template_of(u->name);
        if (!tpl || !snapshot_find(before, tpl))
                return 0;
        return u->stand_in ? add(p, cap, PLAN_KEEP, u->name, "its definition has errors; it keeps running from its template")
                           : add(p, cap, PLAN_RESTART, u->name, "it ran from its template, and has a definition of its own now");
}

/* An instance its template starts at boot, with no unit of its own (after->linked): started when
 * it did not start at boot before, as a new unit would be. */
static int plan_linked(Plan *p, size_t *cap, const char *name, const Snapshot *before, const Snapshot *after, char *const *running) {
        _cleanup_free_ char *tpl = template_of(name);
        const SnapUnit *t = tpl ? snapshot_find(after, tpl) : NULL, *old = tpl ? snapshot_find(before, tpl) : NULL;
        if (!t || t->stand_in || strv_contains(running, name) || strv_contains(before->linked, name))
                return 0;
        if (old && old->stand_in)
                return add(p, cap, PLAN_START, name, "its template no longer has errors, and starts it at boot");
        return add(p, cap, PLAN_START, name, "it is new and starts at boot (its template's DefaultInstance=)");
}

int plan_make(const Snapshot *before, const Snapshot *after, char *const *running, Plan *ret) {
        assert(before && after && ret);
        Plan p = {};
        size_t cap = 0;
        int r = 0;
        /* the units of their own first: an instance's step is its unit's, not its template's */
        for (int templates = 0; templates <= 1; templates++) {
                for (size_t i = 0; r >= 0 && i < before->n; i++) {
                        const SnapUnit *u = &before->units[i];
                        if (is_template(u->name) == templates && !snapshot_find(after, u->name))
                                r = add_running(&p, &cap, PLAN_STOP, u->name, running, before, after, "its definition is gone");
                }
                for (size_t i = 0; r >= 0 && i < after->n; i++) {
                        const SnapUnit *u = &after->units[i];
                        if (is_template(u->name) != templates)
                                continue;
                        const SnapUnit *old = snapshot_find(before, u->name);
                        bool running_now = strv_contains(running, u->name);
                        if (!old) {
                                r = plan_new(&p, &cap, u, before, running);
                                continue;
                        }
                        const char *why = changed(old, u);
                        if (!why)
                                continue;
                        if (u->stand_in)
                                /* a stand-in starts nothing: the container keeps its old configuration
                                 * until the definition is fixed */
                                r = add_running(&p, &cap, PLAN_KEEP, u->name, running, before, after,
                                                "its definition has errors now; it keeps running as it was");
                        else if (!running_now && old->stand_in && u->boot)
                                /* what failed at boot in its stand-in's place runs once fixed */
                                r = add(&p, &cap, PLAN_START, u->name, "its definition no longer has errors, and it starts at boot");
                        else
                                r = add_running(&p, &cap, PLAN_RESTART, u->name, running, before, after, why);
                }
        }
        for (char **l = after->linked; r >= 0 && l && *l; l++)
                r = plan_linked(&p, &cap, *l, before, after, running);
        if (r < 0) {
                plan_done(&p);
                return r;
        }
        if (p.n)
                qsort(p.steps, p.n, sizeof(*p.steps), cmp_step);
        *ret = p;
        return 0;
}

void plan_done(Plan *p) {
        free(p->steps);
        *p = (Plan) {};
}
