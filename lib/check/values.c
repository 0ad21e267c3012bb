/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Every assignment of a definition parsed into its row's typed items, by the row's type. */
#include <assert.h>

#include "check-internal.h"

/* The keys whose value is a reference as a whole (NAME.EXT; a name or an image's name otherwise):
 * which type the extension names. A reference in a part of a value (a network's mode, a volume's
 * source) is the part's type's parser's to find, which splits the value: nothing is split here. */
static int set_references(OciDefinition *d, OciValue *v, OciOptionId id) {
        const OciOption *o = &oci_options[id];
        if (o->ref.part != OCI_REF_WHOLE && o->ref.part != OCI_REF_SUFFIX)
                return 0;
        for (size_t i = 0; i < v->items.n; i++) {
                OciItem *it = &v->items.items[i];
                if (it->ref || !strchr(it->text, '.'))
                        continue;
                size_t n = strlen(it->text);
                OciUnitType t = oci_option_ref_type(id, it->text, n);
                if (t < 0)
                        continue;
                it->ref = arena_strndup(&d->text, it->text, n - strlen(oci_unit_type_extension(t)));
                if (!it->ref)
                        return -ENOMEM;
                oci_item_set_ref_type(id, it, t);
        }
        return 0;
}

/* A row's default from the table, parsed once a run: its items, whose strings live in
 * default_arena, for as long as the program (read-only once made). Only the types whose items
 * depend on the text alone are kept so; another's default is parsed for each definition. */
static ArenaBlock *default_arena;
static OciItems default_items[_OCI_OPT_MAX];
static bool default_parsed[_OCI_OPT_MAX];

static bool default_kept(OciType type) {
        return type == OCI_TYPE_BOOL || type == OCI_TYPE_CHOICE || type == OCI_TYPE_TIMESPAN || type == OCI_TYPE_DURATION ||
               type == OCI_TYPE_INT;
}

/* The items of row p->id's default into p->out, each a copy of the run's at d->path. */
static int parse_default(OciParse *p, const OciDefinition *d) {
        const char *text = oci_str(oci_options[p->id].default_value);
        p->loc = (OciLoc) { .file = d->path };
        p->value = text;
        if (!default_kept(oci_options[p->id].type))
                return oci_value_parse(p, text);
        OciItems *kept = &default_items[p->id];
        if (!default_parsed[p->id]) {
                OciParse once = *p;
                once.out = kept;
                once.arena = &default_arena;
                int r = oci_value_parse(&once, text);
                if (r < 0)
                        return r;
                default_parsed[p->id] = true;
        }
        for (size_t k = 0; k < kept->n; k++) {
                OciItem *it = oci_items_push(p->arena, p->out, &p->loc, kept->items[k].text);
                if (!it)
                        return -ENOMEM;
                *it = kept->items[k];
                it->loc = p->loc;
        }
        return 0;
}

int oci_check_values(OciDefinition *d, const OciCheckContext *ctx) {
        assert(d && ctx);
        int ret = 0;
        /* a row of another kind of file neither has assignments here nor applies its default */
        unsigned sections = d->type >= 0 ? oci_unit_type_sections(d->type) : OCI_DEFAULTS_SECTIONS;
        /* the rows assigned, and those with a default: no other row can get an item here */
        uint64_t rows[OCI_OPT_WORDS];
        const uint64_t *defaults = oci_option_default_rows;
        for (size_t w = 0; w < OCI_OPT_WORDS; w++)
                rows[w] = d->touched[w] | defaults[w];
        OCI_FOREACH_BIT(i, rows) {
                OciValue *v = &d->values[i];
                const OciOption *o = &oci_options[i];
                if (!(o->sections & sections))
                        continue;
                oci_items_clear(&v->items);
                v->boolean = -1;
                OciParse p = { .sink = ctx->sink, .d = d, .defaults = ctx->defaults, .host = check_host(ctx),
                               .id = (OciOptionId) i, .out = &v->items, .arena = &d->text };
                for (size_t k = 0; k < v->n_entries; k++) {
                        const OciEntry *e = &v->entries[k];
                        p.loc = (OciLoc) { .file = oci_entry_file(d, e), .line = e->line, .column = e->column };
                        p.value = e->value;
                        GATHER_OR_RETURN(ret, oci_value_parse(&p, e->value));
                }
                if (v->n_entries == 0 && o->default_value) {
                        oci_definition_touch(d, (OciOptionId) i);
                        int r = parse_default(&p, d);
                        if (r < 0)
                                return r; /* a default that does not pass its own check is a bug */
                }
                const OciValueType *t = oci_value_types[o->type];
                if (t->finish)
                        GATHER_OR_RETURN(ret, t->finish(&v->items));
                if (v->items.n && o->type == OCI_TYPE_BOOL)
                        v->boolean = v->items.items[v->items.n - 1].number;
                GATHER_OR_RETURN(ret, set_references(d, v, (OciOptionId) i));
        }
        return ret;
}

int oci_check_defaults(OciDefaults *d, OciDiagSink *sink) {
        assert(d && sink);
        OciCheckContext ctx = { .sink = sink };
        return oci_check_values(d, &ctx);
}

