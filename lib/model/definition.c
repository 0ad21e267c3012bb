/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A definition's lifecycle: made for a file, emptied, and made again in the same block. */
#include <assert.h>
#include <stddef.h>

#include "model.h"

/* Free what d holds, leaving the block. */
static void definition_clear(OciDefinition *d) {
        for (size_t i = 0; i < d->n_pass; i++) {
                for (size_t k = 0; k < d->pass[i].n_deps; k++) {
                        free(d->pass[i].deps[k].name);
                        free(d->pass[i].deps[k].resolved);
                }
                free(d->pass[i].deps);
        }
        free(d->path);
        strv_free(d->sources);
        free(d->dir);
        free(d->name);
        free(d->instance);
        free(d->resource);
        free(d->pod_unit);
        free(d->unit_name);
        strv_free(d->after);
        free(d->run_as.user);
        free(d->run_as.group);
        free(d->run_as.home);
        for (size_t i = 0; d->doubts && i <= _OCI_OPT_MAX; i++)
                free(d->doubts[i].file);
        free(d->doubts);
}

/* Fill a block whose values[] are unset and the rest zeroed. */
static int definition_init(OciDefinition *d, const char *path, OciUnitType type) {
        d->type = type;
        d->backend = _OCI_BACKEND_INVALID;
        d->path = strdup(path);
        d->dir = path_dirname(path);
        if (strv_extend(&d->sources, path) < 0)
                return -ENOMEM;
        d->n_sources = 1;
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        const char *ext = oci_unit_type_extension(type);
        const char *e = ext ? endswith(base, ext) : NULL;
        d->name = e ? strndup(base, (size_t) (e - base)) : strdup(base);
        if (!d->path || !d->dir || !d->name)
                return -ENOMEM;
        const char *at = strchr(d->name, '@');
        if (at && !(d->instance = strdup(at + 1)))
                return -ENOMEM;
        return 0;
}

OciDefinition *oci_definition_new(const char *path, OciUnitType type) {
        assert(path);
        OciDefinition *d = calloc(1, sizeof(*d));
        if (!d)
                return NULL;
        for (size_t i = 0; i < _OCI_OPT_MAX; i++)
                d->values[i].boolean = -1;
        if (definition_init(d, path, type) < 0)
                return oci_definition_free(d);
        return d;
}

OciDefinition *oci_definition_reuse(OciDefinition *d, const char *path, OciUnitType type) {
        if (!d)
                return oci_definition_new(path, type);
        definition_clear(d);
        ArenaBlock *text = d->text;
        arena_reset(&text);
        /* only the rows it used are reset: the block is large, and most rows were never touched */
        OCI_FOREACH_BIT(i, d->touched)
                d->values[i] = (OciValue) { .boolean = -1 };
        size_t start = offsetof(OciDefinition, values), end = start + sizeof(d->values);
        memset(d, 0, start);
        memset((char *) d + end, 0, sizeof(*d) - end);
        d->text = text;
        if (definition_init(d, path, type) < 0)
                return oci_definition_free(d);
        return d;
}

OciDefinition *oci_definition_free(OciDefinition *d) {
        if (!d)
                return NULL;
        definition_clear(d);
        arena_free(d->text);
        free(d);
        return NULL;
}

/* ---- reading a definition's values ---- */

int oci_key_diag(OciDiagSink *sink, int level, const OciDefinition *d, OciOptionId id, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        _cleanup_free_ char *rest = xvasprintf(fmt, ap);
        va_end(ap);
        const OciValue *v = &d->values[id];
        return oci_diag_at(sink, level, OCI_AT(d, v), v->n_entries ? v->entries[v->n_entries - 1].column : 0, oci_option_key(id),
                           "%s=%s", oci_option_key(id), rest ? rest : "");
}

unsigned oci_definition_column(const OciDefinition *d, unsigned source, unsigned line, const char *key) {
        assert(d && key);
        for (size_t i = 0; i < d->n_pass; i++)
                if (d->pass[i].source == source && d->pass[i].line == line && streq(d->pass[i].key, key))
                        return d->pass[i].column;
        for (size_t i = 0; i < _OCI_OPT_MAX; i++) {
                const OciValue *v = &d->values[i];
                if (!v->n_entries || !streq(oci_option_key(i), key))
                        continue;
                for (size_t k = 0; k < v->n_entries; k++)
                        if (v->entries[k].source == source && v->entries[k].line == line)
                                return v->entries[k].column;
        }
        return 0;
}

unsigned oci_value_line(const OciValue *v) {
        return v->n_entries ? v->entries[v->n_entries - 1].line : 0;
}

const char *oci_entry_file(const OciDefinition *d, const OciEntry *e) {
        return d->sources ? d->sources[e->source] : d->path;
}

const char *oci_value_file(const OciDefinition *d, const OciValue *v) {
        if (!v->n_entries)
                return d->path;
        return oci_entry_file(d, &v->entries[v->n_entries - 1]);
}

const char *oci_value_str(const OciDefinition *d, OciOptionId id) {
        const OciItems *items = &d->values[id].items;
        return items->n ? items->items[0].text : NULL;
}

const char *oci_value_engine_str(const OciDefinition *d, OciOptionId id) {
        const OciItems *items = &d->values[id].items;
        return !items->n ? NULL : items->items[0].resolved ? items->items[0].resolved : items->items[0].text;
}

int oci_value_bool(const OciDefinition *d, OciOptionId id) {
        return d->values[id].boolean;
}

int oci_value_extend_words(const OciDefinition *d, OciOptionId id, char ***words) {
        size_t n = strv_length(*words);
        OCI_FOREACH_ITEM(it, d, id)
                if (strv_push_at(words, n++, strdup(it->text)) < 0)
                        return -ENOMEM;
        return 0;
}

const char *oci_item_written(const OciDefinition *d, OciOptionId id, const OciItem *it) {
        assert(d && it);
        const OciValue *v = &d->values[id];
        for (size_t k = v->n_entries; k > 0; k--) {
                const OciEntry *e = &v->entries[k - 1];
                if (e->line == it->loc.line && it->loc.file && streq(oci_entry_file(d, e), it->loc.file))
                        return e->value;
        }
        return it->text;
}

int oci_defaults_doubt(OciDefaults *d, const char *key, const char *file, unsigned line) {
        assert(d);
        if (!d->doubts && !(d->doubts = calloc(_OCI_OPT_MAX + 1, sizeof(OciDoubt))))
                return -ENOMEM;
        OciOptionId id = key ? oci_option_lookup(OCI_SECTION_DEFAULTS, key) : _OCI_OPT_INVALID;
        OciDoubt *slot = &d->doubts[id >= 0 ? (size_t) id : _OCI_OPT_MAX];
        if (slot->file)
                return 0;
        slot->file = strdup(file ? file : d->path);
        slot->line = line;
        return slot->file ? 0 : -ENOMEM;
}

const OciDoubt *oci_defaults_key_doubt(const OciDefaults *defaults, OciOptionId id) {
        assert(id >= 0 && id < _OCI_OPT_MAX);
        return defaults && defaults->doubts && defaults->doubts[id].file ? &defaults->doubts[id] : NULL;
}

const OciDoubt *oci_defaults_all_doubt(const OciDefaults *defaults) {
        return defaults && defaults->doubts && defaults->doubts[_OCI_OPT_MAX].file ? &defaults->doubts[_OCI_OPT_MAX] : NULL;
}

const OciPassLine *oci_definition_pass_line(const OciDefinition *d, OciSection section, const char *key) {
        assert(d && key);
        for (size_t i = d->n_pass; i > 0; i--)
                if (d->pass[i - 1].section == section && streq(d->pass[i - 1].key, key))
                        return &d->pass[i - 1];
        return NULL;
}
