/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* [Unit] lines that order or tie the unit to others may name definitions, NAME.container,
 * NAME.pod...: the unit names their units instead (ServiceName= honoured), as Quadlet 5 translates
 * them, where systemd would ignore a name it does not know. A word that names no definition is an
 * error, as with Quadlet 5.5 and later. */
#include <assert.h>

#include "check-internal.h"
#include "escape.h"

/* Quadlet's list: every [Unit] key whose value is a list of units. */
static const char *const dependency_keys[] = {
        "After", "Before", "BindsTo", "Conflicts", "OnFailure", "OnSuccess", "PartOf", "PropagatesReloadTo",
        "PropagatesStopTo", "ReloadPropagatedFrom", "Requires", "Requisite", "StopPropagatedFrom", "Upholds", "Wants",
};

static bool is_dependency_key(const char *key) {
        for (size_t i = 0; i < ELEMENTSOF(dependency_keys); i++)
                if (streq(key, dependency_keys[i]))
                        return true;
        return false;
}

static int add_dep(OciPassLine *l, size_t start, size_t len, OciUnitType type, char *name) {
        if (!name)
                return -ENOMEM;
        if (l->n_deps % 4 == 0) {
                OciUnitDep *m = realloc(l->deps, (l->n_deps + 4) * sizeof(*m));
                if (!m) {
                        free(name);
                        return -ENOMEM;
                }
                l->deps = m;
        }
        l->deps[l->n_deps++] = (OciUnitDep) { .start = start, .len = len, .type = type, .name = name };
        return 0;
}

int oci_check_unit_dependencies(OciDefinition *d, const OciCheckContext *ctx) {
        assert(d && ctx);
        int ret = 0;
        for (size_t i = 0; i < d->n_pass; i++) {
                OciPassLine *l = &d->pass[i];
                if (l->section != OCI_SECTION_UNIT || l->n_deps || !is_dependency_key(l->key))
                        continue;
                /* the words of a unit list, as systemd splits it */
                for (size_t p = strspn(l->value, " \t"), n; l->value[p]; p += n + strspn(l->value + p + n, " \t")) {
                        n = strcspn(l->value + p, " \t");
                        _cleanup_free_ char *word = strndup(l->value + p, n);
                        if (!word)
                                return -ENOMEM;
                        OciUnitType t = oci_unit_type_from_filename(word);
                        if (t < 0)
                                continue;
                        size_t nl = n - strlen(oci_unit_type_extension(t));
                        word[nl] = 0;
                        if (!oci_unit_prefix_valid(word)) {
                                RET_GATHER(ret, oci_diag(ctx->sink, LOG_ERR, d->sources ? d->sources[l->source] : d->path, l->line,
                                                         l->key, "%s=%.*s: a definition is named by its file name, NAME%s, with "
                                                         "letters, digits and \":-_.\\\" only (no '/', no '..')", l->key, (int) n,
                                                         l->value + p, oci_unit_type_extension(t)));
                                continue;
                        }
                        if (add_dep(l, p, n, t, strdup(word)) < 0)
                                return -ENOMEM;
                }
        }
        return ret;
}

int oci_unit_dependency_references(const OciDefinition *d, OciReference **refs, size_t *n) {
        for (size_t i = 0; i < d->n_pass; i++)
                for (size_t k = 0; k < d->pass[i].n_deps; k++) {
                        if (*n % 8 == 0) {
                                OciReference *m = realloc(*refs, (*n + 8) * sizeof(**refs));
                                if (!m)
                                        return -ENOMEM;
                                *refs = m;
                        }
                        const OciUnitDep *dep = &d->pass[i].deps[k];
                        (*refs)[(*n)++] = (OciReference) { .type = dep->type, .name = dep->name, .key = _OCI_OPT_INVALID,
                                                           .dep = OCI_DEP_NAME, .line = &d->pass[i], .word = k };
                }
        return 0;
}
