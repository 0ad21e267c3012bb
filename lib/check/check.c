/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The two passes of checking a definition: what it says on its own, then what it says of the
 * definitions it names. */
#include <assert.h>

#include "check-internal.h"
#include "escape.h"
#include "render.h"

/* The main section of the file's type is there, where the type needs it. */
static int check_main_section(OciDefinition *d, const OciCheckContext *ctx) {
        const OciFileType *ft = oci_file_type(d->type);
        if (d->section_line[ft->section] || !ft->needs)
                return 0;
        return oci_diag(ctx->sink, LOG_ERR, d->path, 0, NULL, "no [%s] section; a %s file needs one%s",
                        oci_section_to_string(ft->section), ft->extension, ft->needs);
}

/* What a reference's text must be, beyond its value's type: NAME.EXT with a valid NAME. */
static int check_reference_names(const OciDefinition *d, const OciCheckContext *ctx) {
        int ret = 0;
        size_t nrows;
        const OciOptionId *rows;
        if (oci_option_rows(OCI_ROWS_REFERENCES, 0, 0, &rows, &nrows) < 0)
                return -ENOMEM;
        for (size_t k = 0; k < nrows; k++) {
                OciOptionId i = rows[k];
                const OciRefColumn *ref = &oci_options[i].ref;
                OCI_FOREACH_ITEM(it, d, (OciOptionId) i) {
                        const char *ext = oci_unit_type_extension(oci_item_ref_type(i, it));
                        if (ref->part == OCI_REF_WHOLE && !it->ref)
                                RET_GATHER(ret, oci_key_diag(ctx->sink, LOG_ERR, d, (OciOptionId) i, "%s must name a %s definition, NAME%s",
                                                             it->text, oci_unit_type_extension(ref->type) + 1,
                                                             oci_unit_type_extension(ref->type)));
                        if (!it->ref)
                                continue;
                        if (ref->part == OCI_REF_WORD) {
                                if (streq(it->ref, d->name))
                                        RET_GATHER(ret, oci_key_diag(ctx->sink, LOG_ERR, d, (OciOptionId) i,
                                                                     "%s: a definition cannot depend on itself", it->text));
                                continue;
                        }
                        OciUnitType t = oci_item_ref_type(i, it);
                        if (ref->part == OCI_REF_PREFIX && t >= 0 && oci_file_type(t)->joined_whole && it->network.options)
                                RET_GATHER(ret, oci_diag_at(ctx->sink, LOG_ERR, it->loc.file, it->loc.line, it->loc.column, oci_option_key(i),
                                                         "%s=%s: a container that joins another's network namespace takes no options; "
                                                         "write %s=%s.container", oci_option_key(i), oci_item_written(d, i, it),
                                                         oci_option_key(i), it->ref));
                        if (!oci_unit_prefix_valid(it->ref) || strchr(it->ref, '@'))
                                RET_GATHER(ret, oci_diag_at(ctx->sink, LOG_ERR, it->loc.file, it->loc.line, it->loc.column, oci_option_key(i),
                                                         "%s=%s%s: a definition is named by its file name, NAME%s, with letters, digits and "
                                                         "\":-_.\\\" only (no '/', no '..', at most %zu)",
                                                         oci_option_key(i), it->ref, ext, ext, OCI_UNIT_NAME_MAX - strlen(".service")));
                }
        }
        return ret;
}

/* systemd refuses to load a oneshot service that would always be started again: a unit that says
 * Type=oneshot (or one of a file type whose service is one) gets no Restart=always from the
 * generator, and may not ask for it. */
static int check_oneshot_restart(const OciDefinition *d, const OciCheckContext *ctx) {
        const OciPassLine *type = oci_definition_pass_line(d, OCI_SECTION_SERVICE, "Type");
        const OciPassLine *restart = oci_definition_pass_line(d, OCI_SECTION_SERVICE, "Restart");
        bool oneshot = type ? streq(type->value, "oneshot") : oci_file_type(d->type)->oneshot;
        if (!oneshot || !restart || (!streq(restart->value, "always") && !streq(restart->value, "on-success")))
                return 0;
        return oci_diag(ctx->sink, LOG_ERR, d->sources ? d->sources[restart->source] : d->path, restart->line, restart->key,
                        "[Service] Restart=%s is refused by systemd for a Type=oneshot service; use on-failure, or no", restart->value);
}

int oci_check_local(OciDefinition *d, const OciCheckContext *ctx) {
        assert(d && ctx && ctx->sink);
        /* an error of the defaults file that names none of its keys might have been meant to set
         * any of them: every default this definition takes is in doubt */
        const OciDoubt *doubt = oci_defaults_all_doubt(ctx->defaults);
        int ret = check_main_section(d, ctx);
        if (doubt)
                RET_GATHER(ret, oci_diag(ctx->sink, LOG_ERR, d->path, 0, NULL,
                                         "takes its defaults from the defaults file, whose error at %s:%u might have been meant "
                                         "to set any of them; fix that line", doubt->file, doubt->line));
        if (ret < 0) {
                d->failed = true;
                return ret;
        }
        GATHER_OR_RETURN(ret, oci_check_values(d, ctx));
        GATHER_OR_RETURN(ret, oci_check_engine(d, ctx));
        GATHER_OR_RETURN(ret, oci_check_table_rules(d, ctx->sink));
        GATHER_OR_RETURN(ret, check_reference_names(d, ctx));
        GATHER_OR_RETURN(ret, check_oneshot_restart(d, ctx));
        GATHER_OR_RETURN(ret, oci_check_unit_dependencies(d, ctx));
        assert(oci_type_checks[d->type]); /* every row of the file-type table has one */
        GATHER_OR_RETURN(ret, oci_type_checks[d->type](d, ctx));
        oci_check_lint(d, ctx);
        if (ret < 0)
                d->failed = true;
        return ret;
}

int oci_check(OciDefinition *d, const OciCheckContext *ctx) {
        int r = oci_check_local(d, ctx);
        if (r < 0)
                return r;
        return oci_check_references(d, ctx);
}
