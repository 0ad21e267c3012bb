/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Every assignment of a definition parsed into its row's typed items, by the row's type. */
#include <assert.h>

#include "check-internal.h"

/* NAME.EXT, or with PREFIX also NAME.EXT:OPTIONS: the name, or NULL when the text names none. */
static char *reference_in(const char *text, OciRefPart part, OciUnitType type) {
        const char *ext = oci_unit_type_extension(type);
        size_t n = part == OCI_REF_PREFIX ? strcspn(text, ":") : strlen(text);
        size_t el = strlen(ext);
        if (n <= el || strncmp(text + n - el, ext, el) != 0)
                return NULL;
        return strndup(text, n - el);
}

/* The keys whose type knows nothing of definitions (a name): which part names one is the row's
 * reference column; the other types' parsers set it themselves. */
static int set_references(OciValue *v, const OciOption *o) {
        if (o->ref.part != OCI_REF_WHOLE && o->ref.part != OCI_REF_PREFIX)
                return 0;
        for (size_t i = 0; i < v->items.n; i++) {
                OciItem *it = &v->items.items[i];
                const char *ext = oci_unit_type_extension(o->ref.type);
                if (it->ref || !strstr(it->text, ext))
                        continue;
                it->ref = reference_in(it->text, o->ref.part, o->ref.type);
                if (!it->ref && errno == ENOMEM)
                        return -ENOMEM;
        }
        return 0;
}

int oci_check_values(OciDefinition *d, const OciCheckContext *ctx) {
        assert(d && ctx);
        int ret = 0;
        /* a row of another kind of file neither has assignments here nor applies its default */
        unsigned sections = d->type >= 0 ? oci_unit_type_sections(d->type) : OCI_DEFAULTS_SECTIONS;
        for (size_t i = 0; i < _OCI_OPT_MAX; i++) {
                OciValue *v = &d->values[i];
                const OciOption *o = &oci_options[i];
                if (!(o->sections & sections))
                        continue;
                oci_items_clear(&v->items, o->type);
                v->boolean = v->choice = -1;
                OciParse p = { .sink = ctx->sink, .d = d, .defaults = ctx->defaults, .host = check_host(ctx),
                               .id = (OciOptionId) i, .out = &v->items };
                for (size_t k = 0; k < v->n_entries; k++) {
                        const OciEntry *e = &v->entries[k];
                        p.loc = (OciLoc) { .file = oci_entry_file(d, e), .line = e->line, .column = e->column };
                        p.value = e->value;
                        GATHER_OR_RETURN(ret, oci_value_parse(&p, e->value));
                }
                if (v->n_entries == 0 && o->default_value) {
                        p.loc = (OciLoc) { .file = d->path };
                        p.value = o->default_value;
                        int r = oci_value_parse(&p, o->default_value);
                        if (r < 0)
                                return r; /* a default that does not pass its own check is a bug */
                }
                const OciValueType *t = oci_value_types[o->type];
                if (t->finish)
                        GATHER_OR_RETURN(ret, t->finish(&v->items));
                if (v->items.n && (o->type == OCI_TYPE_BOOL || o->type == OCI_TYPE_CHOICE)) {
                        int last = v->items.items[v->items.n - 1].number;
                        if (o->type == OCI_TYPE_BOOL)
                                v->boolean = last;
                        else
                                v->choice = last;
                }
                GATHER_OR_RETURN(ret, set_references(v, o));
        }
        return ret;
}

int oci_check_defaults(OciDefaults *d, OciDiagSink *sink) {
        assert(d && sink);
        OciCheckContext ctx = { .sink = sink };
        return oci_check_values(d, &ctx);
}

int oci_key_diag(OciDiagSink *sink, int level, const OciDefinition *d, OciOptionId id, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        _cleanup_free_ char *rest = xvasprintf(fmt, ap);
        va_end(ap);
        return oci_diag(sink, level, OCI_AT(d, &d->values[id]), oci_options[id].key, "%s=%s", oci_options[id].key,
                        rest ? rest : "");
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
