/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Rules between keys, declared in the option table's columns, and the engine's own. */
#include <assert.h>
#include <sys/stat.h>

#include "config.h"
#include "escape.h"
#include "check-internal.h"
#include "render.h"

static bool is_set(const OciDefinition *d, OciOptionId id) {
        return d->values[id].n_entries > 0;
}

/* "A=, B= and C=", from the rows of one group, in table order. */
static int list_keys(StrBuf *b, const OciOptionId *ids, size_t n) {
        int r = 0;
        for (size_t i = 0; r >= 0 && i < n; i++)
                r = strbuf_printf(b, "%s%s=", i == 0 ? "" : i + 1 == n ? " and " : ", ", oci_option_key(ids[i]));
        return r;
}

static int check_together(const OciDefinition *d, OciDiagSink *sink, unsigned group) {
        size_t n, given = 0;
        const OciOptionId *ids = oci_option_group(OCI_GROUP_TOGETHER, group, &n);
        for (size_t i = 0; i < n; i++)
                given += is_set(d, ids[i]);
        if (given == 0 || given == n)
                return 0;
        /* the group's section: the lowest one its first row is in */
        OciSection s = (OciSection) __builtin_ctz(oci_options[ids[0]].sections);
        StrBuf b = {};
        if (list_keys(&b, ids, n) < 0)
                return -ENOMEM;
        int r = oci_diag(sink, LOG_ERR, d->path, d->section_line[s], NULL, "[%s] needs %s together", oci_section_to_string(s), b.s);
        strbuf_done(&b);
        return r;
}

/* The first key of the side that is set, in table order; _OCI_OPT_INVALID if none. */
static OciOptionId first_set(const OciDefinition *d, int side) {
        size_t n;
        const OciOptionId *ids = oci_option_group(side > 0 ? OCI_GROUP_APART : OCI_GROUP_APART_OTHER, (unsigned) (side > 0 ? side : -side), &n);
        for (size_t i = 0; i < n; i++)
                if (is_set(d, ids[i]))
                        return ids[i];
        return _OCI_OPT_INVALID;
}

/* Both sides of an "apart" group: said once, at the first key of the positive side. */
static int check_apart(const OciDefinition *d, OciDiagSink *sink, int group) {
        OciOptionId a = first_set(d, group), b = first_set(d, -group);
        if (a < 0 || b < 0)
                return 0;
        return oci_diag(sink, LOG_ERR, OCI_AT(d, &d->values[a]), oci_option_key(a), "%s= and %s= exclude each other; keep one",
                        oci_option_key(a), oci_option_key(b));
}

/* A one_of group of the file's main section without any of its keys: said once, at the section. */
static int check_one_of(const OciDefinition *d, OciDiagSink *sink, unsigned group) {
        size_t n;
        const OciOptionId *ids = oci_option_group(OCI_GROUP_ONE_OF, group, &n);
        assert(n > 0);
        for (size_t i = 0; i < n; i++)
                if (is_set(d, ids[i]))
                        return 0;
        OciSection s = oci_unit_type_section(d->type);
        if (!(oci_options[ids[0]].sections & (1u << s)))
                return 0;
        const OciOption *o = &oci_options[ids[0]];
        StrBuf b = {};
        int r = strbuf_printf(&b, "[%s] has no %s=, which is required", oci_section_to_string(s), oci_str(o->key));
        if (r >= 0 && oci_str(o->example))
                r = strbuf_printf(&b, " (for example %s=%s)", oci_str(o->key), oci_str(o->example));
        for (size_t i = 1; r >= 0 && i < n; i++)
                r = strbuf_printf(&b, "%s%s=", i == 1 ? ", or " : i + 1 == n ? " or " : ", ", oci_option_key(ids[i]));
        if (r >= 0 && n > 1)
                r = strbuf_puts(&b, " instead");
        if (r < 0) {
                strbuf_done(&b);
                return -ENOMEM;
        }
        r = oci_diag(sink, LOG_ERR, d->path, d->section_line[s], oci_str(o->key), "%s", b.s);
        strbuf_done(&b);
        return r;
}

/* The row's value- and count-dependent rules (belongs_to, count_le, goes_with). */
static int check_row_values(const OciDefinition *d, OciDiagSink *sink, OciOptionId id) {
        const OciOption *o = &oci_options[id];
        int ret = 0;
        OciOptionId other = oci_option_rule(o->belongs_to);
        if (other >= 0 && is_set(d, id) && oci_value_count(d, other)) {
                const char *owner = oci_unit_type_extension(oci_options[other].ref.type);
                assert(oci_options[other].ref.part != OCI_REF_NONE);
                RET_GATHER(ret, oci_diag(sink, LOG_ERR, OCI_AT(d, &d->values[id]), oci_str(o->key),
                                         "%s= of a %s in a %s belongs in the %s: the %s sets it for every member", oci_str(o->key),
                                         oci_unit_type_extension(d->type) + 1, owner + 1, owner, owner + 1));
        }
        other = oci_option_rule(o->count_le);
        if (other >= 0 && oci_value_count(d, id) > oci_value_count(d, other))
                RET_GATHER(ret, oci_diag(sink, LOG_ERR, OCI_AT(d, &d->values[id]), oci_str(o->key),
                                         "more %s= than %s= lines: each belongs to the %s= in its place", oci_str(o->key),
                                         oci_option_key(other), oci_option_key(other)));
        other = oci_option_rule(o->goes_with.key);
        if (other >= 0 && (o->sections & oci_unit_type_sections(d->type))) {
                const char *v = oci_value_str(d, other);
                bool when = v && streq(v, oci_str(o->goes_with.value));
                if (when != (oci_value_str(d, id) != NULL))
                        RET_GATHER(ret, oci_diag(sink, LOG_ERR, OCI_AT(d, &d->values[when ? other : id]),
                                                 when ? oci_option_key(other) : oci_str(o->key),
                                                 "%s= and %s=%s go together in a %s", oci_str(o->key), oci_option_key(other),
                                                 oci_str(o->goes_with.value), oci_unit_type_extension(d->type)));
        }
        return ret;
}

/* Which rows oci_check_table_rules() looks at for a definition: of the rows with a rule, those
 * that can say anything for it. A row nothing is assigned to (no bit in touched) says nothing of
 * its own; what it says as one of a group is said at the group's first row (a rule that needs
 * some of the group set: that row looked at when any of them is), or at the first row of a
 * one_of group (said when none is set: always looked at); a goes_with row is looked at when the
 * key it goes with is set. The rows of the table that are looked at are thus few, and in the same
 * order with the same messages as a walk of every rule row. Made once, from the table. */
typedef struct RuleRows {
        uint64_t rules[OCI_OPT_WORDS];  /* every row with a rule */
        uint64_t always[OCI_OPT_WORDS]; /* the first row of each one_of group */
        struct {
                uint64_t members[OCI_OPT_WORDS];
                OciOptionId first;
        } groups[2 * OCI_GROUPS_MAX]; /* together groups, then apart ones */
        size_t n_groups;
        struct {
                OciOptionId row, with;
        } goes_with[8];
        size_t n_goes_with;
} RuleRows;

static void set_bit(uint64_t *bits, size_t id) {
        bits[id / 64] |= UINT64_C(1) << (id % 64);
}

static bool any_bit(const uint64_t *a, const uint64_t *b) {
        uint64_t w = 0;
        for (size_t i = 0; i < OCI_OPT_WORDS; i++)
                w |= a[i] & b[i];
        return w != 0;
}

/* A group whose first row in the walk is first: its rows (of col, and of other unless that is
 * _OCI_GROUP_MAX) into t. */
static void add_group(RuleRows *t, OciOptionId first, OciGroupColumn col, OciGroupColumn other, unsigned g) {
        assert(t->n_groups < ELEMENTSOF(t->groups));
        t->groups[t->n_groups].first = first;
        for (OciGroupColumn c = col; c < _OCI_GROUP_MAX; c = c == col ? other : _OCI_GROUP_MAX) {
                size_t n;
                const OciOptionId *ids = oci_option_group(c, g, &n);
                for (size_t i = 0; i < n; i++)
                        set_bit(t->groups[t->n_groups].members, (size_t) ids[i]);
        }
        t->n_groups++;
}

static const RuleRows *rule_rows(void) {
        static RuleRows t;
        static bool made;
        if (made)
                return &t;
        size_t nrows;
        const OciOptionId *rows;
        (void) oci_option_rows(OCI_ROWS_RULES, 0, 0, &rows, &nrows);
        unsigned long long together = 0, one_of = 0, apart = 0; /* bit g: group g seen */
        for (size_t k = 0; k < nrows; k++) {
                OciOptionId id = rows[k];
                const OciOption *o = &oci_options[id];
                set_bit(t.rules, (size_t) id);
                if (o->one_of && !(one_of & (1ull << o->one_of))) {
                        one_of |= 1ull << o->one_of;
                        set_bit(t.always, (size_t) id);
                }
                if (o->together && !(together & (1ull << o->together))) {
                        together |= 1ull << o->together;
                        add_group(&t, id, OCI_GROUP_TOGETHER, _OCI_GROUP_MAX, o->together);
                }
                if (o->apart > 0 && !(apart & (1ull << o->apart))) {
                        apart |= 1ull << o->apart;
                        add_group(&t, id, OCI_GROUP_APART, OCI_GROUP_APART_OTHER, (unsigned) o->apart);
                }
                OciOptionId with = oci_option_rule(o->goes_with.key);
                if (with >= 0 && t.n_goes_with == ELEMENTSOF(t.goes_with))
                        set_bit(t.always, (size_t) id); /* more than there is room for: looked at always */
                else if (with >= 0) {
                        t.goes_with[t.n_goes_with].row = id;
                        t.goes_with[t.n_goes_with].with = with;
                        t.n_goes_with++;
                }
        }
        made = true;
        return &t;
}

int oci_check_table_rules(const OciDefinition *d, OciDiagSink *sink) {
        assert(d && sink);
        int ret = 0;
        unsigned long long groups_done = 0, one_of_done = 0; /* bit g: group g checked */
        unsigned apart_done = 0;
        const RuleRows *t = rule_rows();
        uint64_t visit[OCI_OPT_WORDS];
        for (size_t w = 0; w < OCI_OPT_WORDS; w++)
                visit[w] = (d->touched[w] & t->rules[w]) | t->always[w];
        for (size_t g = 0; g < t->n_groups; g++)
                if (any_bit(d->touched, t->groups[g].members))
                        set_bit(visit, (size_t) t->groups[g].first);
        for (size_t k = 0; k < t->n_goes_with; k++) {
                size_t with = (size_t) t->goes_with[k].with;
                if (d->touched[with / 64] & (UINT64_C(1) << (with % 64)))
                        set_bit(visit, (size_t) t->goes_with[k].row);
        }
        OCI_FOREACH_BIT(i, visit) {
                OciOptionId id = (OciOptionId) i;
                const OciOption *o = &oci_options[id];
                assert(o->together < 64 && o->one_of < 64);
                if (o->together && !(groups_done & (1ull << o->together))) {
                        groups_done |= 1ull << o->together;
                        GATHER_OR_RETURN(ret, check_together(d, sink, o->together));
                }
                if (o->one_of && !(one_of_done & (1ull << o->one_of))) {
                        one_of_done |= 1ull << o->one_of;
                        GATHER_OR_RETURN(ret, check_one_of(d, sink, o->one_of));
                }
                GATHER_OR_RETURN(ret, check_row_values(d, sink, id));
                assert(o->apart > -32 && o->apart < 32);
                if (o->apart > 0 && !(apart_done & (1u << o->apart))) {
                        apart_done |= 1u << o->apart;
                        GATHER_OR_RETURN(ret, check_apart(d, sink, o->apart));
                }
                if (!is_set(d, id))
                        continue;
                OciOptionId other = oci_option_rule(o->conflicts);
                if (other >= 0 && is_set(d, other))
                        RET_GATHER(ret, oci_diag(sink, LOG_ERR, OCI_AT(d, &d->values[id]), oci_str(o->key),
                                                 "%s= and %s= exclude each other; keep one", oci_str(o->key), oci_option_key(other)));
                other = oci_option_rule(o->needs);
                if (other >= 0 && !is_set(d, other))
                        RET_GATHER(ret, oci_diag(sink, LOG_ERR, OCI_AT(d, &d->values[id]), oci_str(o->key), "%s= needs %s= as well", oci_str(o->key),
                                                 oci_option_key(other)));
                other = oci_option_rule(o->deprecated_by);
                /* the key to use instead, where this kind of file has it */
                if (other >= 0 && (oci_options[other].sections & oci_unit_type_sections(d->type)))
                        oci_diag(sink, LOG_WARNING, OCI_AT(d, &d->values[id]), oci_str(o->key), "%s= is deprecated; use %s= instead", oci_str(o->key),
                                 oci_option_key(other));
                else if (other >= 0)
                        oci_diag(sink, LOG_WARNING, OCI_AT(d, &d->values[id]), oci_str(o->key), "%s= is deprecated", oci_str(o->key));
        }
        return ret;
}

/* The engine: the definition's, else [Defaults], else the build's. */
static const char *select_backend(OciDefinition *d, const OciCheckContext *ctx) {
        const char *backend = oci_value_str(d, OCI_OPT_BACKEND);
        if (!backend && ctx->defaults)
                backend = oci_value_str(ctx->defaults, OCI_OPT_BACKEND);
        if (!backend)
                backend = DEFAULT_BACKEND;
        d->backend = oci_backend_from_string(backend);
        return backend;
}

/* "podman and docker": the engines that render this kind of file. */
static int engines_for(OciUnitType t, StrBuf *b) {
        const char *names[_OCI_BACKEND_MAX];
        size_t n = 0;
        for (size_t i = 0; i < _OCI_BACKEND_MAX; i++) {
                const OciBackend *be = oci_backend_get((OciBackendId) i);
                if (be && be->render[t])
                        names[n++] = oci_backend_to_string((OciBackendId) i);
        }
        int r = 0;
        for (size_t i = 0; r >= 0 && i < n; i++)
                r = strbuf_printf(b, "%s%s", i == 0 ? "" : i + 1 == n ? " and " : ", ", names[i]);
        return r;
}

int oci_check_engine(OciDefinition *d, const OciCheckContext *ctx) {
        assert(d && ctx);
        const char *backend = select_backend(d, ctx);
        const OciBackend *be = oci_backend_get(d->backend);
        /* an engine, or its binary, that an error of the defaults file might have been meant to
         * set is not guessed */
        const OciDoubt *doubt = oci_defaults_key_doubt(ctx->defaults, OCI_OPT_BACKEND);
        if (doubt && !d->values[OCI_OPT_BACKEND].n_entries)
                return oci_diag(ctx->sink, LOG_ERR, d->path, 0, oci_option_key(OCI_OPT_BACKEND),
                                "takes its engine from [Defaults] Backend=, which the error at %s:%u leaves in doubt; "
                                "fix that line, or set Backend= here", doubt->file, doubt->line);
        doubt = be ? oci_defaults_key_doubt(ctx->defaults, be->binary) : NULL;
        if (doubt)
                return oci_diag(ctx->sink, LOG_ERR, d->path, 0, oci_option_key(be->binary),
                                "runs %s from [Defaults] %s=, which the error at %s:%u leaves in doubt; fix that line", backend,
                                oci_option_key(be->binary), doubt->file, doubt->line);
        if (!be)
                return oci_key_diag(ctx->sink, LOG_ERR, d, OCI_OPT_BACKEND,
                                    "%s is not available in this version of oci-containers (available: podman, docker, nspawn)", backend);
        if (!be->render[d->type]) {
                StrBuf b = {};
                if (engines_for(d->type, &b) < 0)
                        return -ENOMEM;
                int r = oci_diag(ctx->sink, LOG_ERR, OCI_AT(d, &d->values[OCI_OPT_BACKEND]), oci_option_key(OCI_OPT_BACKEND),
                                 "%s definitions are for %s, not Backend=%s", oci_unit_type_extension(d->type), b.s ? b.s : "none",
                                 backend);
                strbuf_done(&b);
                return r;
        }
        int ret = 0;
        if (be->validate)
                GATHER_OR_RETURN(ret, be->validate(d, ctx->sink));
        OCI_FOREACH_BIT(i, d->touched)
                if (d->values[i].n_entries && !(oci_options[i].sections & OCI_IN(INSTALL)) &&
                    oci_option_render((OciOptionId) i, d->backend)->kind == OCI_RENDER_UNSUPPORTED)
                        RET_GATHER(ret, oci_diag(ctx->sink, LOG_ERR, OCI_AT(d, &d->values[i]), oci_option_key(i),
                                                 "%s= is not supported with Backend=%s", oci_option_key(i), backend));
        return ret;
}

/* A short name is resolved through registries.conf: it may ask, or find another image. One made by
 * specifiers or variables, or a definition's, is not judged (its value type leaves it opaque); one
 * after docker:// is Docker Hub's, as the transport reads it. */
static const OciImageRef *short_name(const OciDefinition *d) {
        const OciItems *items = &d->values[OCI_OPT_IMAGE].items;
        const OciImageRef *ref = items->n ? &items->items[items->n - 1].image : NULL;
        return ref && !ref->opaque && !ref->registry && !ref->transport ? ref : NULL;
}

void oci_check_lint(const OciDefinition *d, const OciCheckContext *ctx) {
        assert(d && ctx);
        const char *image = oci_value_str(d, OCI_OPT_IMAGE);
        const OciBackend *be = oci_backend_get(d->backend);
        /* the name Docker Hub gives it: its official images are under library/, the others under
         * their account's name */
        const OciImageRef *shortname = be && be->oci ? short_name(d) : NULL;
        if (shortname)
                oci_key_diag(ctx->sink, LOG_WARNING, d, OCI_OPT_IMAGE, "%s is a short name: the engine picks the registry (and may ask); "
                             "write the full name, for example docker.io/%s%s", image, strchr(shortname->path, '/') ? "" : "library/", image);
        for (size_t i = 0; i < d->n_pass; i++) {
                const OciPassLine *l = &d->pass[i];
                if (l->section == OCI_SECTION_SERVICE && streq(l->key, "User") && !d->user)
                        oci_diag(ctx->sink, LOG_WARNING, d->sources ? d->sources[l->source] : d->path, l->line, l->key,
                                 "User= in [Service] runs the engine itself as that user, which needs a rootless "
                                 "set-up; User= in [Container] sets the user inside the container");
        }
        const char *pwfile = oci_value_str(d, OCI_OPT_LOGIN_PASSWORD_FILE);
        unsigned mode;
        if (pwfile && pwfile[0] == '/' && check_host(ctx)->stat(pwfile, &mode) == 0 && (mode & S_IROTH))
                oci_key_diag(ctx->sink, LOG_WARNING, d, OCI_OPT_LOGIN_PASSWORD_FILE, "%s can be read by every user; chmod o-r it", pwfile);
}
