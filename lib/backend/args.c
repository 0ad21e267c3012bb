/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The engine's command lines: items as each engine takes them, the table's one-flag rows, the
 * words of a command line quoted into the unit. */
#include <assert.h>

#include "escape.h"
#include "render.h"

int oci_render_item(const OciDefinition *d, OciOptionId id, const OciItem *it, OciBackendId b, StrBuf *out) {
        assert(d && it && out);
        const OciRefColumn *ref = &oci_options[id].ref;
        if (it->resolved && ref->part == OCI_REF_WHOLE)
                return strbuf_puts(out, it->resolved);
        if (it->resolved && ref->part == OCI_REF_PREFIX) {
                /* the engine's name in place of NAME.EXT; the options after it stay */
                int r = strbuf_puts(out, it->resolved);
                return r < 0 ? r : strbuf_puts(out, it->text + strcspn(it->text, ":"));
        }
        return oci_item_format(oci_options[id].type, it, b, out);
}

/* "PREFIX" followed by the item as the engine takes it, pushed as word *n of argv (the caller keeps
 * the count: a value of many items costs no scan of argv for each). */
static int extend_item(char ***argv, size_t *n, const char *prefix, const char *sep, const OciDefinition *d, OciOptionId id,
                       const OciItem *it, OciBackendId b) {
        size_t pl = strlen(prefix), sl = strlen(sep);
        if (!it->resolved && !oci_value_types[oci_options[id].type]->format) {
                /* the item's text as it is: one allocation */
                size_t tl = strlen(it->text);
                char *w = malloc(pl + sl + tl + 1);
                if (!w)
                        return -ENOMEM;
                memcpy(w, prefix, pl);
                memcpy(w + pl, sep, sl);
                memcpy(w + pl + sl, it->text, tl + 1);
                return strv_push_at(argv, (*n)++, w);
        }
        StrBuf s = {};
        int r = strbuf_putn(&s, prefix, pl);
        if (r >= 0)
                r = strbuf_putn(&s, sep, sl);
        if (r >= 0)
                r = oci_render_item(d, id, it, b, &s);
        if (r < 0) {
                strbuf_done(&s);
                return r;
        }
        return strv_push_at(argv, (*n)++, strbuf_steal(&s));
}

/* sep NULL: the flag and the item as two words */
static int flag_items(const OciDefinition *d, OciOptionId id, const char *flag, const char *sep, OciBackendId b,
                      char ***argv) {
        size_t n = strv_length(*argv);
        OCI_FOREACH_ITEM(it, d, id)
                if ((!sep && strv_push_at(argv, n++, strdup(flag)) < 0) || extend_item(argv, &n, sep ? flag : "", sep ? sep : "", d, id, it, b) < 0)
                        return -ENOMEM;
        return 0;
}

int oci_render_flag_items(const OciDefinition *d, OciOptionId id, OciBackendId b, char ***argv) {
        assert(d && argv);
        return flag_items(d, id, oci_option_render(id, b)->flag, "=", b, argv);
}

int oci_render_flag_words(const OciDefinition *d, OciOptionId id, OciBackendId b, char ***argv) {
        assert(d && argv);
        return flag_items(d, id, oci_option_render(id, b)->flag, NULL, b, argv);
}

static int table_flags(const OciDefinition *d, OciBackendId b, bool split, char ***argv) {
        size_t n;
        const OciOptionId *rows;
        if (oci_option_rows(OCI_ROWS_FLAGS, oci_unit_type_section(d->type), b, &rows, &n) < 0)
                return -ENOMEM;
        for (size_t k = 0; k < n; k++) {
                OciOptionId i = rows[k];
                if (!d->values[i].items.n && d->values[i].boolean < 0 && !(i == OCI_OPT_PUBLISH_PORT && d->handoff))
                        continue;
                const OciRender *r = oci_option_render(i, b);
                const OciValue *v = &d->values[i];
                switch (r->kind) {
                case OCI_RENDER_FLAG_VALUE:
                        if ((split ? oci_render_flag_words(d, i, b, argv) : oci_render_flag_items(d, i, b, argv)) < 0)
                                return -ENOMEM;
                        /* ports handed over by what this one joins are published as its own */
                        for (size_t h = 0, an = strv_length(*argv); i == OCI_OPT_PUBLISH_PORT && d->handoff && h < d->handoff->n; h++)
                                if (extend_item(argv, &an, r->flag, "=", d, i, &d->handoff->items[h], b) < 0)
                                        return -ENOMEM;
                        break;
                case OCI_RENDER_FLAG_IF_TRUE:
                        if (v->boolean > 0 && strv_extend(argv, r->flag) < 0)
                                return -ENOMEM;
                        break;
                case OCI_RENDER_FLAG_BOOL:
                        if (v->boolean > 0 && strv_extend(argv, r->flag) < 0)
                                return -ENOMEM;
                        if (v->boolean == 0 && strv_extendf(argv, "%s=false", r->flag) < 0)
                                return -ENOMEM;
                        break;
                case OCI_RENDER_FLAG_PREFIX:
                        if (flag_items(d, i, r->flag, "", b, argv) < 0)
                                return -ENOMEM;
                        break;
                case OCI_RENDER_UNSUPPORTED:
                case OCI_RENDER_ARGS:
                case OCI_RENDER_BACKEND:
                case OCI_RENDER_GENERIC:
                case OCI_RENDER_AS_PODMAN: /* resolved by oci_option_render() */
                case _OCI_RENDER_MAX:
                default:
                        break;
                }
        }
        return 0;
}

int oci_render_table_flags(const OciDefinition *d, OciBackendId b, char ***argv) {
        assert(d && argv);
        return table_flags(d, b, false, argv);
}

int oci_render_table_flag_words(const OciDefinition *d, OciBackendId b, char ***argv) {
        assert(d && argv);
        return table_flags(d, b, true, argv);
}

int oci_render_table_args(const OciDefinition *d, OciBackendId b, char ***argv) {
        assert(d && argv);
        size_t n;
        const OciOptionId *rows;
        if (oci_option_rows(OCI_ROWS_ARGS, oci_unit_type_section(d->type), b, &rows, &n) < 0)
                return -ENOMEM;
        for (size_t k = 0; k < n; k++)
                if (oci_value_extend_words(d, rows[k], argv) < 0)
                        return -ENOMEM;
        return 0;
}

static const char *flag_of(OciOptionId id, OciBackendId b) {
        return oci_option_render(id, b)->flag;
}

int oci_render_container_args(const OciDefinition *d, OciBackendId b, char ***argv) {
        assert(d && argv);
        /* podman hands the output straight to the service for LogFile=; docker's client does anyway.
         * Else podman keeps its own default, as Quadlet leaves it (containers.conf: journald on
         * Debian), and docker logs to the journal, as NixOS's module has it. */
        const char *driver = b == OCI_BACKEND_PODMAN && oci_value_str(d, OCI_OPT_LOG_FILE) ? "passthrough"
                             : oci_value_str(d, OCI_OPT_LOG_DRIVER)                     ? oci_value_str(d, OCI_OPT_LOG_DRIVER)
                             : b == OCI_BACKEND_DOCKER                                   ? "journald"
                                                                                         : NULL;
        if (driver && strv_extendf(argv, "%s=%s", flag_of(OCI_OPT_LOG_DRIVER, b), driver) < 0)
                return -ENOMEM;
        if (oci_render_table_flags(d, b, argv) < 0)
                return -ENOMEM;
        const char *user = oci_value_str(d, OCI_OPT_USER), *group = oci_value_str(d, OCI_OPT_GROUP);
        if (user && strv_extendf(argv, "%s=%s%s%s", flag_of(OCI_OPT_USER, b), user, group ? ":" : "", group ? group : "") < 0)
                return -ENOMEM;
        /* by name only: the value is in the service's environment, never on a command line */
        size_t n = strv_length(*argv);
        OCI_FOREACH_ITEM(kv, d, OCI_OPT_HOST_ENVIRONMENT)
                if (strv_push_at(argv, n++, xasprintf("%s=%.*s", flag_of(OCI_OPT_HOST_ENVIRONMENT, b), (int) kv->key_len, kv->text)) < 0)
                        return -ENOMEM;
        if (oci_render_flag_items(d, OCI_OPT_NETWORK, b, argv) < 0)
                return -ENOMEM;
        /* ReadOnly=yes brings its own tmpfs on /tmp */
        if (oci_value_bool(d, OCI_OPT_VOLATILE_TMP) > 0 && oci_value_bool(d, OCI_OPT_READ_ONLY) <= 0 &&
            strv_extendf(argv, "%s=/tmp:rw,size=512M,mode=1777", flag_of(OCI_OPT_VOLATILE_TMP, b)) < 0)
                return -ENOMEM;
        return 0;
}

char *oci_render_binary(const OciRenderContext *ctx, OciOptionId id) {
        assert(ctx);
        const char *p = ctx->defaults ? oci_value_str(ctx->defaults, id) : NULL;
        return oci_specifier_escape(p ? p : oci_options[id].default_value);
}

int oci_unit_add_exec(OciUnitFile *u, const char *key, const char *prefix, char *const *argv) {
        assert(u && key && prefix);
        if (!argv || !path_is_absolute(argv[0]))
                return -EINVAL;
        /* "Key=PREFIXWORD WORD...", quoted straight into the line the unit keeps */
        StrBuf b = {};
        int r = strbuf_puts(&b, key);
        if (r >= 0)
                r = strbuf_putc(&b, '=');
        if (r >= 0)
                r = strbuf_puts(&b, prefix);
        for (size_t i = 0; r >= 0 && argv[i]; i++) {
                if (i > 0)
                        r = strbuf_putc(&b, ' ');
                if (r >= 0)
                        r = oci_quote_word(&b, argv[i], OCI_QUOTE_DOLLAR);
        }
        if (r < 0) {
                strbuf_done(&b);
                return r;
        }
        /* which refuses a line that would not be one, or is too long */
        return oci_unit_add_line(u, OCI_UNIT_SECTION_SERVICE, strbuf_steal(&b));
}

