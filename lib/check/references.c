/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The definitions a definition names, found by the option table's reference column, and what
 * naming them means once they are known: the unit requires (or binds to) theirs, and the value
 * uses the engine's name for them. */
#include <assert.h>

#include "check-internal.h"
#include "escape.h"
#include "render.h"

int oci_definition_references(const OciDefinition *d, OciReference **ret, size_t *ret_n) {
        assert(d && ret && ret_n);
        OciReference *refs = NULL;
        size_t n = 0;
        unsigned sections = oci_unit_type_sections(d->type);
        size_t nrows;
        const OciOptionId *rows;
        if (oci_option_rows(OCI_ROWS_REFERENCES, 0, 0, &rows, &nrows) < 0)
                return -ENOMEM;
        for (size_t k = 0; k < nrows; k++) {
                OciOptionId i = rows[k];
                const OciOption *o = &oci_options[i];
                if (!(o->sections & sections))
                        continue;
                OCI_FOREACH_ITEM(it, d, (OciOptionId) i) {
                        if (!it->ref)
                                continue;
                        if (n % 8 == 0) {
                                OciReference *m = realloc(refs, (n + 8) * sizeof(*refs));
                                if (!m) {
                                        free(refs);
                                        return -ENOMEM;
                                }
                                refs = m;
                        }
                        refs[n++] = (OciReference) { .type = oci_item_ref_type(i, it), .name = it->ref, .key = (OciOptionId) i, .item = it,
                                                     .dep = o->ref.dep };
                }
        }
        if (oci_unit_dependency_references(d, &refs, &n) < 0) {
                free(refs);
                return -ENOMEM;
        }
        *ret = refs;
        *ret_n = n;
        return 0;
}

static OciSummary *find_known(const OciCheckContext *ctx, OciUnitType type, const char *name) {
        for (size_t i = 0; i < ctx->n_known; i++)
                if (ctx->known[i]->type == type && streq(ctx->known[i]->name, name))
                        return ctx->known[i];
        return NULL;
}

static int add_unit(char ***l, const char *unit) {
        return strv_contains(*l, unit) ? 0 : strv_extend(l, unit);
}

/* Network=NAME.container: the other container's network namespace, by its container's name, with
 * the same engine (no options: the first pass said so). */
static int resolve_container_network(OciDefinition *d, const OciReference *ref, const OciSummary *s, const OciCheckContext *ctx) {
        OciItem *it = (OciItem *) ref->item;
        const char *key = oci_option_key(ref->key);
        if (s->backend != d->backend)
                return oci_diag_at(ctx->sink, LOG_ERR, it->loc.file, it->loc.line, it->loc.column, key,
                                "%s=%s.container: that container runs with Backend=%s, this one with %s; only a container of the same "
                                "engine can share its network namespace", key, ref->name, oci_backend_to_string(s->backend),
                                oci_backend_to_string(d->backend));
        if (!s->resource)
                return oci_diag_at(ctx->sink, LOG_ERR, it->loc.file, it->loc.line, it->loc.column, key,
                                "%s=%s.container: that container's name is chosen at its start (a template's, or specifiers other "
                                "than %%N in its ContainerName=), so this one cannot name it; set a fixed ContainerName= there",
                                key, ref->name);
        _cleanup_free_ char *name = oci_specifier_escape(s->resource);
        _cleanup_free_ char *resolved = name ? xasprintf("container:%s", name) : NULL;
        /* the item's memory is its definition's (values.h) */
        it->resolved = resolved ? arena_strdup(&d->text, resolved) : NULL;
        return it->resolved ? 0 : -ENOMEM;
}

static int resolve(OciDefinition *d, const OciReference *ref, OciSummary *s, const OciCheckContext *ctx) {
        OciItem *it = (OciItem *) ref->item; /* d's own item: resolving it is this pass's job */
        _cleanup_free_ char *fallback = s->unit_name ? NULL : xasprintf("%s%s.service", s->name, oci_unit_type_suffix(s->type));
        const char *unit = s->unit_name ? s->unit_name : fallback;
        if (!unit)
                return -ENOMEM;
        if (ref->dep == OCI_DEP_NAME) {
                OciUnitDep *dep = &((OciPassLine *) ref->line)->deps[ref->word];
                free(dep->resolved);
                dep->resolved = strdup(unit);
                return dep->resolved ? 0 : -ENOMEM;
        }
        if (ref->type == OCI_UNIT_CONTAINER && oci_options[ref->key].ref.part == OCI_REF_PREFIX) {
                int r = resolve_container_network(d, ref, s, ctx);
                if (r < 0)
                        return r;
        } else if (ref->type != OCI_UNIT_CONTAINER) {
                _cleanup_free_ char *made = s->resource ? NULL : xasprintf("systemd-%s", s->name);
                const char *resource = s->resource ? s->resource : made;
                /* an image's name is as its definition wrote it; a network's is literal */
                bool as_written = oci_file_type(ref->type)->resource_as_written;
                _cleanup_free_ char *escaped = resource && !as_written ? oci_specifier_escape(resource) : NULL;
                const char *name = as_written ? resource : escaped;
                it->resolved = name ? arena_strdup(&d->text, name) : NULL; /* the definition's memory, as the item's */
                if (!it->resolved)
                        return -ENOMEM;
        }
        if (ref->dep == OCI_DEP_BINDS) {
                free(d->pod_unit);
                d->pod_unit = strdup(unit);
                if (!d->pod_unit)
                        return -ENOMEM;
                /* an engine that stands in for pods says whether d publishes the pod's ports */
                const OciBackend *be = oci_backend_get(d->backend);
                if (be && be->join_pod && s->handoff && !s->handoff->taken && be->join_pod(d)) {
                        d->handoff = &s->handoff->items;
                        d->handoff_from = s;
                }
                return 0;
        }
        return add_unit(&d->after, unit);
}

int oci_reference_report_missing(const OciDefinition *d, const OciReference *ref, OciDiagSink *sink) {
        assert(d && ref && sink);
        if (ref->dep == OCI_DEP_NAME) {
                const OciPassLine *l = ref->line;
                const OciUnitDep *w = &l->deps[ref->word];
                return oci_diag(sink, LOG_ERR, d->sources ? d->sources[l->source] : d->path, l->line, l->key,
                                "%s=%.*s: there is no definition %.*s in the search path, so its unit is not known", l->key,
                                (int) w->len, l->value + w->start, (int) w->len, l->value + w->start);
        }
        if (!oci_unit_prefix_valid(ref->name) || (oci_options[ref->key].ref.part != OCI_REF_WORD && strchr(ref->name, '@')))
                return -EINVAL; /* not a definition's name at all: the first pass said so */
        const char *key = oci_option_key(ref->key), *ext = oci_unit_type_extension(ref->type);
        if (ref->key == OCI_OPT_DEPENDS_ON)
                return oci_key_diag(sink, LOG_ERR, d, ref->key, "%s: there is no definition %s%s in the search path", ref->item->text,
                                    ref->name, ext);
        return oci_diag_at(sink, LOG_ERR, ref->item->loc.file, ref->item->loc.line, ref->item->loc.column, key, "%s=%s%s: there is no definition %s%s in the search path",
                        key, ref->name, ext, ref->name, ext);
}

int oci_check_references(OciDefinition *d, const OciCheckContext *ctx) {
        assert(d && ctx && ctx->sink);
        _cleanup_free_ OciReference *refs = NULL;
        size_t n;
        int r = oci_definition_references(d, &refs, &n);
        if (r < 0)
                return r;
        int ret = 0;
        for (size_t i = 0; i < n; i++) {
                if (!find_known(ctx, refs[i].type, refs[i].name))
                        RET_GATHER(ret, oci_reference_report_missing(d, &refs[i], ctx->sink));
        }
        /* an image is pulled or built into one engine's store: a container of another engine would
         * not find it there. A [Unit] line only orders or ties the units (and the summary of what it
         * names may hold no more than its unit's name yet). */
        for (size_t i = 0; i < n; i++) {
                const OciReference *ref = &refs[i];
                if (ref->dep == OCI_DEP_NAME)
                        continue;
                const OciSummary *s = find_known(ctx, ref->type, ref->name);
                if (s && !s->failed && oci_file_type(ref->type)->resource_as_written && s->backend != d->backend) {
                        const char *key = oci_option_key(ref->key);
                        RET_GATHER(ret, oci_diag_at(ctx->sink, LOG_ERR, ref->item->loc.file, ref->item->loc.line, ref->item->loc.column, key,
                                                 "%s=%s: %s makes it with %s, and this one runs with %s, which would not find it; "
                                                 "give both the same Backend=", key, oci_item_written(d, ref->key, ref->item), s->path,
                                                 oci_backend_to_string(s->backend), oci_backend_to_string(d->backend)));
                }
        }
        /* what it names failed: so does it (said once, for the first) */
        for (size_t i = 0; ret >= 0 && i < n; i++) {
                const OciReference *ref = &refs[i];
                const OciSummary *s = find_known(ctx, ref->type, ref->name);
                /* a [Unit] line needs only its unit's name, which a skipped one's stand-in keeps */
                if (s && s->failed && ref->dep != OCI_DEP_NAME) {
                        const char *key = oci_option_key(ref->key);
                        RET_GATHER(ret, oci_diag_at(ctx->sink, LOG_ERR, ref->item->loc.file, ref->item->loc.line, ref->item->loc.column, key,
                                                 "%s=%s: %s has errors and is not generated, so neither is this one", key,
                                                 oci_item_written(d, ref->key, ref->item), s->path));
                }
        }
        for (size_t i = 0; ret >= 0 && i < n; i++)
                GATHER_OR_RETURN(ret, resolve(d, &refs[i], find_known(ctx, refs[i].type, refs[i].name), ctx));
        if (ret < 0)
                d->failed = true;
        return ret;
}

int oci_definition_host_ports(const OciDefinition *d, const OciItem ***ret, size_t *ret_n) {
        assert(d && ret && ret_n);
        *ret = NULL;
        *ret_n = 0;
        const OciBackend *be = oci_backend_get(d->backend);
        /* a template's instances publish them, chosen at start, but for the one DefaultInstance=
         * enables, which is known now (the caller knows whether an instance file of that name makes
         * that unit instead) */
        bool template = d->instance && !*d->instance && !oci_value_str(d, OCI_OPT_DEFAULT_INSTANCE);
        bool hands_on = d->type == OCI_UNIT_POD && be && be->join_pod; /* its first member does */
        size_t own = template || hands_on ? 0 : oci_value_count(d, OCI_OPT_PUBLISH_PORT);
        size_t handed = d->handoff ? d->handoff->n : 0;
        if (own + handed == 0)
                return 0;
        const OciItem **l = calloc(own + handed, sizeof(*l));
        if (!l)
                return -ENOMEM;
        size_t k = 0;
        for (size_t i = 0; i < own; i++)
                l[k++] = &d->values[OCI_OPT_PUBLISH_PORT].items.items[i];
        for (size_t i = 0; i < handed; i++)
                l[k++] = &d->handoff->items[i];
        *ret = l;
        *ret_n = k;
        return 0;
}

const char *oci_definition_port_address(const OciDefinition *d, const OciPort *p) {
        assert(d && p);
        const OciBackend *be = oci_backend_get(d->backend);
        if (p->address_default && be && !be->binds_address)
                return "";
        return streq(p->address, "0.0.0.0") || streq(p->address, "::") ? "" : p->address;
}

OciSummary *oci_definition_handoff(const OciDefinition *d) {
        assert(d);
        return d->handoff_from;
}
