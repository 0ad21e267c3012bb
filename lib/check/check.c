/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The two passes of checking a definition: what it says on its own, then what it says of the
 * definitions it names. */
#include <assert.h>
#include <ctype.h>

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
                        /* another container's network namespace is joined as it is, as with Quadlet */
                        if (ref->part == OCI_REF_PREFIX && t == OCI_UNIT_CONTAINER && it->text[strcspn(it->text, ":")])
                                RET_GATHER(ret, oci_diag(ctx->sink, LOG_ERR, it->loc.file, it->loc.line, oci_options[i].key,
                                                         "%s=%s: a container that joins another's network namespace takes no options; "
                                                         "write %s=%s.container", oci_options[i].key, oci_item_written(d, i, it),
                                                         oci_options[i].key, it->ref));
                        if (!oci_unit_prefix_valid(it->ref) || strchr(it->ref, '@'))
                                RET_GATHER(ret, oci_diag(ctx->sink, LOG_ERR, it->loc.file, it->loc.line, oci_options[i].key,
                                                         "%s=%s%s: a definition is named by its file name, NAME%s, with letters, digits and "
                                                         "\":-_.\\\" only (no '/', no '..', at most %zu)",
                                                         oci_options[i].key, it->ref, ext, ext, OCI_UNIT_NAME_MAX - strlen(".service")));
                }
        }
        return ret;
}

/* The container's name as another definition's Network=NAME.container names it, literal: the
 * engine's name with %N resolved, as Quadlet resolves it; NULL when more is known only at start (a
 * template's instance, another specifier). Returns 0 or -ENOMEM. */
static int container_resource(OciDefinition *d) {
        const OciBackend *be = oci_backend_get(d->backend);
        free(d->resource);
        d->resource = NULL;
        _cleanup_free_ char *name = be && be->container_name ? be->container_name(d) : NULL;
        if (!name)
                return be && be->container_name ? -ENOMEM : 0;
        StrBuf b = {};
        int r = 0;
        for (const char *c = name; r >= 0 && *c; c++)
                if (c[0] == '%' && c[1] == 'N') {
                        r = strbuf_putn(&b, d->unit_name, strlen(d->unit_name) - strlen(".service"));
                        c++;
                } else
                        r = strbuf_putc(&b, *c);
        if (r < 0) {
                strbuf_done(&b);
                return -ENOMEM;
        }
        if (b.s && !strchr(b.s, '%'))
                d->resource = strbuf_steal(&b);
        strbuf_done(&b);
        return 0;
}

/* A container's own rules, beyond the table's. */
static int check_container(OciDefinition *d, const OciCheckContext *ctx) {
        int ret = 0;
        const char *ours = d->unit_name ? strrchr(d->unit_name, '.') : ".service";
        bool tmpl = d->instance && !*d->instance;
        OCI_FOREACH_ITEM(a, d, OCI_OPT_ALIAS)
                if (!endswith(a->text, ours ? ours : ".service") || tmpl != (strstr(a->text, "@.") != NULL))
                        RET_GATHER(ret, oci_key_diag(ctx->sink, LOG_ERR, d, OCI_OPT_ALIAS, "%s must be a %s name ending in %s, as the unit it names",
                                                     a->text, tmpl ? "template" : "unit", ours ? ours : ".service"));
                else if (oci_unit_name_is_ours(a->text))
                        RET_GATHER(ret, oci_diag(ctx->sink, LOG_ERR, a->loc.file, a->loc.line, oci_options[OCI_OPT_ALIAS].key,
                                                 "%s=%s is a unit of oci-containers itself, which the alias would replace; choose another alias",
                                                 oci_options[OCI_OPT_ALIAS].key, a->text));

        const char *definst = oci_value_str(d, OCI_OPT_DEFAULT_INSTANCE);
        /* a trailing backslash would join the next line of the unit to DefaultInstance= */
        if (definst && (!oci_unit_prefix_valid(definst) || endswith(definst, "\\")))
                RET_GATHER(ret, oci_key_diag(ctx->sink, LOG_ERR, d, OCI_OPT_DEFAULT_INSTANCE,
                                             "%s is not a valid instance name (letters, digits and \":-_.\\\", not starting or ending "
                                             "with '.', without '..', not ending in '\\')", definst));
        else if (definst && !d->instance) /* an instance inherits its template's: nothing to say */
                oci_key_diag(ctx->sink, LOG_WARNING, d, OCI_OPT_DEFAULT_INSTANCE, " only means something in a template (NAME@.container), ignoring");

        /* an instance file names its container after its instance: the engines' rules apply */
        const OciBackend *be = oci_backend_get(d->backend);
        if (be && be->oci && d->instance && *d->instance && !oci_value_str(d, OCI_OPT_CONTAINER_NAME) &&
            (!isalnum((unsigned char) d->instance[0]) ||
             strspn(d->instance, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") != strlen(d->instance)))
                RET_GATHER(ret, oci_diag(ctx->sink, LOG_ERR, d->path, 0, NULL,
                                         "the instance name '%s' cannot name a container: use letters, digits, '_', '.' and '-', "
                                         "or set ContainerName=", d->instance));
        GATHER_OR_RETURN(ret, oci_check_run_as(d, ctx));
        for (size_t i = 0; i < d->n_pass; i++)
                if (d->pass[i].section == OCI_SECTION_SERVICE && streq(d->pass[i].key, "ExecStart"))
                        /* an empty one is not ignored: it resets the list, the generated command with it */
                        RET_GATHER(ret, oci_diag(ctx->sink, LOG_ERR, d->sources ? d->sources[d->pass[i].source] : d->path, d->pass[i].line,
                                                 d->pass[i].key,
                                                 *d->pass[i].value ? "ExecStart= in [Service] would be a second command beside the generated one, "
                                                                     "which systemd refuses; put the container's command in Exec= instead"
                                                                   : "ExecStart= with no value in [Service] empties the list of commands, the "
                                                                     "generated one with it, and systemd refuses a service without one; remove "
                                                                     "the line (the container's command goes in Exec=)"));

        int r = oci_definition_resolve_unit_name(d, ctx->sink);
        GATHER_OR_RETURN(ret, r);
        if (r >= 0 && container_resource(d) < 0)
                return -ENOMEM;
        if (r >= 0 && be && be->oci && !d->instance && !oci_value_str(d, OCI_OPT_CONTAINER_NAME)) {
                /* podman: systemd-%N, the unit's name; docker: the file's name */
                _cleanup_free_ char *name = d->backend == OCI_BACKEND_PODMAN
                                                    ? xasprintf("systemd-%.*s", (int) (strlen(d->unit_name) - strlen(".service")), d->unit_name)
                                                    : strdup(d->name);
                if (!name)
                        return -ENOMEM;
                RET_GATHER(ret, oci_check_derived_name(d, ctx->sink, name, OCI_OPT_CONTAINER_NAME));
        } else if (r >= 0 && be && be->oci && d->instance && !oci_value_str(d, OCI_OPT_CONTAINER_NAME)) {
                /* podman: systemd-%p_%i; docker: %p_%i. The instance is checked above, or chosen at
                 * start for a template: what the file's name gives is checked with a stand-in for it. */
                int pl = (int) strcspn(d->unit_name, "@");
                const char *pre = d->backend == OCI_BACKEND_PODMAN ? "systemd-" : "";
                _cleanup_free_ char *test = xasprintf("%s%.*s_x", pre, pl, d->unit_name);
                _cleanup_free_ char *shown = xasprintf("%s%.*s_%s", pre, pl, d->unit_name, *d->instance ? d->instance : "%i");
                if (!test || !shown)
                        return -ENOMEM;
                if (!oci_engine_name_valid(test, false))
                        RET_GATHER(ret, oci_check_derived_name(d, ctx->sink, shown, OCI_OPT_CONTAINER_NAME));
        }
        return ret;
}

/* A .volume's mount: the keys podman's image driver has no use for (it refuses every option but
 * the image), and those that only mean something with Device=, as Quadlet has them. */
static int check_volume_device(const OciDefinition *d, const OciCheckContext *ctx, bool image_driver) {
        static const OciOptionId mount_keys[] = { OCI_OPT_COPY, OCI_OPT_DEVICE, OCI_OPT_TYPE, OCI_OPT_VOLUME_OPTIONS,
                                                  OCI_OPT_VOLUME_USER, OCI_OPT_VOLUME_GROUP };
        int ret = 0;
        for (size_t i = 0; image_driver && i < ELEMENTSOF(mount_keys); i++)
                if (d->values[mount_keys[i]].n_entries)
                        oci_key_diag(ctx->sink, LOG_WARNING, d, mount_keys[i], " does nothing with Driver=image, which takes no option "
                                     "but the image: it is left out of the command");
        static const OciOptionId need_device[] = { OCI_OPT_TYPE, OCI_OPT_VOLUME_OPTIONS };
        for (size_t i = 0; !image_driver && !oci_value_str(d, OCI_OPT_DEVICE) && i < ELEMENTSOF(need_device); i++)
                if (oci_value_count(d, need_device[i]))
                        RET_GATHER(ret, oci_key_diag(ctx->sink, LOG_ERR, d, need_device[i], " is about the mount of Device=, which is "
                                                     "not set; set Device= too, or remove this line"));
        return ret;
}

/* A .network, .volume or .pod definition's own rules. */
static int check_object(OciDefinition *d, const OciCheckContext *ctx) {
        int ret = 0;
        if (d->type == OCI_UNIT_VOLUME) {
                const char *driver = oci_value_str(d, OCI_OPT_DRIVER);
                RET_GATHER(ret, check_volume_device(d, ctx, driver && streq(driver, "image")));
        }
        free(d->resource);
        d->resource = oci_definition_resource_name(d);
        if (!d->resource)
                return -ENOMEM;
        OciOptionId name_key = oci_file_type(d->type)->name_key;
        if (!d->values[name_key].n_entries)
                RET_GATHER(ret, oci_check_derived_name(d, ctx->sink, d->resource, name_key));
        return ret;
}

/* systemd refuses to load a oneshot service that would always be started again: a unit that says
 * Type=oneshot (or a .network's or .volume's, which is one) gets no Restart=always from the
 * generator, and may not ask for it. */
static int check_oneshot_restart(const OciDefinition *d, const OciCheckContext *ctx) {
        const OciPassLine *type = oci_definition_pass_line(d, OCI_SECTION_SERVICE, "Type");
        const OciPassLine *restart = oci_definition_pass_line(d, OCI_SECTION_SERVICE, "Restart");
        bool oneshot = type ? streq(type->value, "oneshot") : d->type == OCI_UNIT_NETWORK || d->type == OCI_UNIT_VOLUME;
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
        GATHER_OR_RETURN(ret, d->type == OCI_UNIT_CONTAINER                 ? check_container(d, ctx)
                              : oci_file_type(d->type)->name_key >= 0 ? check_object(d, ctx)
                                                                      : oci_check_fetched(d, ctx));
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
