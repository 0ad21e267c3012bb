/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The engine's command lines: items as each engine takes them, the renderer of the table's rows,
 * the parts of a command put together, the words of a command line quoted into the unit. */
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
                assert(oci_options[id].type == OCI_TYPE_NETWORK);
                int r = strbuf_puts(out, it->resolved);
                if (r >= 0 && it->network.options)
                        r = strbuf_putc(out, ':');
                return r < 0 || !it->network.options ? r : strbuf_puts(out, it->network.options);
        }
        return oci_item_format(oci_options[id].type, it, b, out);
}

/* "PREFIX" followed by the item as the engine takes it, as a word of argv */
static int extend_item(OciArgv *argv, const char *prefix, const char *sep, const OciDefinition *d, OciOptionId id,
                       const OciItem *it, OciBackendId b) {
        bool as_is = !it->resolved && !oci_value_types[oci_options[id].type]->format;
        if (as_is && !*prefix && !*sep)
                return oci_argv_push(argv, it->text); /* the item's text as it is, which outlives the render */
        StrBuf *s = oci_argv_scratch();
        int r = strbuf_puts(s, prefix);
        if (r >= 0)
                r = strbuf_puts(s, sep);
        if (r >= 0)
                r = as_is ? strbuf_puts(s, it->text) : oci_render_item(d, id, it, b, s);
        return r < 0 ? r : oci_argv_addn(argv, s->s, s->len);
}

/* sep NULL: the flag and the item as two words */
static int flag_items(const OciDefinition *d, OciOptionId id, const char *flag, const char *sep, OciBackendId b, OciArgv *argv) {
        OCI_FOREACH_ITEM(it, d, id)
                if ((!sep && oci_argv_push(argv, (char *) flag) < 0) || extend_item(argv, sep ? flag : "", sep ? sep : "", d, id, it, b) < 0)
                        return -ENOMEM;
        return 0;
}

int oci_render_flag_items(const OciDefinition *d, OciOptionId id, OciBackendId b, OciArgv *argv) {
        assert(d && argv);
        return flag_items(d, id, oci_str(oci_option_render(id, b)->flag), "=", b, argv);
}

int oci_render_flag_words(const OciDefinition *d, OciOptionId id, OciBackendId b, OciArgv *argv) {
        assert(d && argv);
        return flag_items(d, id, oci_str(oci_option_render(id, b)->flag), NULL, b, argv);
}

/* A one-flag row, as the table says: into FLAGS; split: "FLAG" "ITEM" as two words */
static int table_flag(const OciDefinition *d, OciOptionId i, const OciRender *r, OciBackendId b, bool split, OciArgv *argv) {
        const OciValue *v = &d->values[i];
        switch (r->kind) {
        case OCI_RENDER_FLAG_VALUE:
                return split ? oci_render_flag_words(d, i, b, argv) : oci_render_flag_items(d, i, b, argv);
        case OCI_RENDER_FLAG_IF_TRUE:
                return v->boolean > 0 ? oci_argv_push(argv, (char *) oci_str(r->flag)) : 0;
        case OCI_RENDER_FLAG_BOOL:
                if (v->boolean > 0)
                        return oci_argv_push(argv, (char *) oci_str(r->flag));
                return v->boolean == 0 ? oci_argv_addf(argv, "%s=false", oci_str(r->flag)) : 0;
        case OCI_RENDER_FLAG_PREFIX:
                return flag_items(d, i, oci_str(r->flag), "", b, argv);
        case OCI_RENDER_UNSUPPORTED:
        case OCI_RENDER_ARGS:
        case OCI_RENDER_FN:
        case OCI_RENDER_GENERIC:
        case OCI_RENDER_AS_PODMAN: /* resolved by oci_option_render() */
        case _OCI_RENDER_MAX:
        default:
                return 0;
        }
}

const OciRenderFn oci_render_fns[_OCI_FN_MAX] = {
#define OCI_RENDER_FN(fn) [OCI_FN_##fn] = fn,
#include "option-fns.h"
#undef OCI_RENDER_FN
};

int oci_render_rows(const OciDefinition *d, OciRenderOut *out) {
        assert(d && out && out->ctx && out->unit && out->later);
        OciBackendId b = d->backend;
        OciSection section = oci_unit_type_section(d->type);
        /* the engine's rows with a function, and those of its other rows that hold something: a
         * row nobody set renders nothing from the table */
        const uint64_t *rendered = oci_render_row_bits[section][b], *fns = oci_render_fn_bits[section][b];
        uint64_t rows[OCI_OPT_WORDS];
        for (size_t w = 0; w < OCI_OPT_WORDS; w++)
                rows[w] = (d->touched[w] & rendered[w]) | fns[w];
        /* a network's and a volume's options are two words each, as Quadlet writes them */
        bool split = d->type == OCI_UNIT_NETWORK || d->type == OCI_UNIT_VOLUME;
        /* a function renders every row of its own: called once, at its first row */
        bool called[_OCI_FN_MAX] = {};
        OCI_FOREACH_BIT(i, rows) {
                const OciRender *r = oci_option_render((OciOptionId) i, b);
                const OciValue *v = &d->values[i];
                int ret = 0;
                if (r->kind == OCI_RENDER_FN) {
                        if (called[r->fn])
                                continue;
                        called[r->fn] = true;
                        ret = oci_render_fns[r->fn](d, (OciOptionId) i, &v->items, b, out);
                } else if (r->kind == OCI_RENDER_ARGS)
                        ret = oci_argv_add_items(&out->argv[OCI_ARGV_EXTRA], d, (OciOptionId) i);
                else if (v->items.n || v->boolean >= 0)
                        ret = table_flag(d, (OciOptionId) i, r, b, split, &out->argv[OCI_ARGV_FLAGS]);
                if (ret < 0)
                        return ret;
        }
        return 0;
}

void oci_render_out_done(OciRenderOut *out) {
        if (!out)
                return;
        arena_free(out->store.arena);
        out->store = (OciWordStore) {};
        out->secret = oci_unit_free(out->secret);
}

int oci_render_extend(OciArgv *argv, const OciRenderOut *out, OciArgvPart part) {
        assert(argv && out && part >= 0 && part < _OCI_ARGV_MAX);
        return oci_argv_append(argv, &out->argv[part]);
}

int oci_render_prefix(const OciRenderOut *out, const char *binary, OciArgv *argv) {
        assert(out && binary && argv);
        if (oci_argv_push(argv, (char *) binary) < 0 || oci_render_extend(argv, out, OCI_ARGV_MODULE) < 0)
                return -ENOMEM;
        return oci_render_extend(argv, out, OCI_ARGV_GLOBAL);
}

int oci_render_command(OciRenderOut *out, const char *binary, const char *const *verb, size_t n_verb, OciArgv *argv) {
        assert(out && binary && argv);
        if (oci_render_prefix(out, binary, argv) < 0 || oci_argv_push_all(argv, verb, n_verb) < 0)
                return -ENOMEM;
        static const OciArgvPart parts[] = { OCI_ARGV_HEAD,  OCI_ARGV_FLAGS, OCI_ARGV_LATE_1,     OCI_ARGV_LATE_2,
                                             OCI_ARGV_LATE_3, OCI_ARGV_EXTRA, OCI_ARGV_POST_EXTRA, OCI_ARGV_TAIL };
        for (size_t i = 0; i < ELEMENTSOF(parts); i++)
                if (oci_render_extend(argv, out, parts[i]) < 0)
                        return -ENOMEM;
        return 0;
}

const char *oci_render_specifier_form(OciRenderOut *out, const char *s) {
        assert(out && s);
        /* without a '%', s is in specifier form as it is */
        if (!strchr(s, '%'))
                return s;
        _cleanup_free_ char *esc = oci_specifier_escape(s);
        return esc ? arena_strdup(&out->store.arena, esc) : NULL;
}

const char *oci_render_binary(OciRenderOut *out, OciOptionId id) {
        assert(out && out->ctx);
        const char *p = out->ctx->defaults ? oci_value_str(out->ctx->defaults, id) : NULL;
        /* the defaults live as long as the render */
        return oci_render_specifier_form(out, p ? p : oci_str(oci_options[id].default_value));
}
