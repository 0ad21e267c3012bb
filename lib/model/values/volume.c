/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Volume=[SOURCE:]DEST[:OPTIONS]: an anonymous volume, a host path, a named volume of the engine,
 * or a .volume definition. */
#include <assert.h>
#include <ctype.h>

#include "escape.h"
#include "internal.h"

static void volume_clear(OciVolume *v) {
        free(v->source);
        free(v->dest);
        free(v->options);
        strv_free(v->option_list);
        *v = (OciVolume) {};
}

/* OPTIONS into v->option_list, v->ro and v->rw: the engines' options are words between commas. */
static int split_options(OciVolume *v) {
        size_t k = 0;
        for (const char *o = v->options; o && *o;) {
                size_t n = strcspn(o, ",");
                if (n > 0) {
                        char *w = strndup(o, n);
                        if (!w || strv_push_at(&v->option_list, k++, w) < 0)
                                return -ENOMEM;
                        v->ro = v->ro || streq(w, "ro");
                        v->rw = v->rw || streq(w, "rw");
                }
                o += n + (o[n] == ',');
        }
        return 0;
}

static void done_volume(OciItem *it) {
        volume_clear(&it->volume);
}

/* [Defaults] VolumeBaseDir=: a named volume is the directory BASE/SUBDIR/NAME of the host, made on
 * start, where SUBDIR is the definition's VolumeSubDir= or else its file name. */
static int base_dir_source(OciParse *p, const char *base, const char *name, char **ret) {
        const OciDefinition *d = value_definition(p);
        assert(d);
        /* parsed before this row by its own type, which refused what is not one directory name */
        _Static_assert(OCI_OPT_VOLUME_SUB_DIR < OCI_OPT_VOLUME, "VolumeSubDir= is parsed before Volume=");
        const char *sub = oci_value_str(d, OCI_OPT_VOLUME_SUB_DIR);
        _cleanup_free_ char *literal = xasprintf("%s/%s/%s", base, sub ? sub : d->name, name);
        if (!literal)
                return -ENOMEM;
        *ret = oci_exec_escape(literal);
        return *ret ? 0 : -ENOMEM;
}

/* What SOURCE is, into v->kind, v->source, v->create and *ret_ref. */
static int parse_source(OciParse *p, const char *src, OciVolume *v, char **ret_ref) {
        const OciDefinition *d = value_definition(p);
        if (value_is_path(src) || startswith(src, "./") || startswith(src, "../") || streq(src, ".")) {
                v->kind = OCI_VOLUME_BIND;
                if (!streq(src, "."))
                        return value_normalise_path(p, src, &v->source);
                assert(d && d->dir);
                v->source = oci_exec_escape(d->dir);
                return v->source ? 0 : -ENOMEM;
        }
        if (endswith(src, ".image") && src[0] != '.')
                return oci_parse_error(p, ": '%s' names an .image definition, which a volume cannot be; mount its image with "
                                          "Mount=type=image,source=%s,destination=PATH", src, src);
        if (endswith(src, ".volume") && src[0] != '.') {
                /* resolved with the other references, once every definition is known */
                v->kind = OCI_VOLUME_DEFINITION;
                v->source = strdup(src);
                *ret_ref = strndup(src, strlen(src) - strlen(".volume"));
                return v->source && *ret_ref ? 0 : -ENOMEM;
        }
        if (!isalnum((unsigned char) src[0]) ||
            strspn(src, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") != strlen(src))
                return oci_parse_error(p, "%s", ": a named volume's name is letters, digits, '_', '.' and '-'; a path must be absolute or start with ./");
        const OciDoubt *doubt = oci_defaults_key_doubt(p->defaults, OCI_OPT_VOLUME_BASE_DIR);
        if (doubt)
                return oci_parse_error(p, ": a named volume takes [Defaults] VolumeBaseDir=, which the error at %s:%u leaves in doubt; "
                                          "fix that line", doubt->file, doubt->line);
        const char *base = value_default(p, OCI_OPT_VOLUME_BASE_DIR);
        if (base) {
                v->kind = OCI_VOLUME_BIND;
                v->create = true;
                return base_dir_source(p, base, src, &v->source);
        }
        v->kind = OCI_VOLUME_NAMED;
        v->source = strdup(src);
        return v->source ? 0 : -ENOMEM;
}

static int parse_volume(OciParse *p, const char *text) {
        static const char hint[] = " is not [SOURCE:]DESTINATION[:OPTIONS] with an absolute DESTINATION";
        const char *c1 = strchr(text, ':');
        const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (c2 && strchr(c2 + 1, ':'))
                return oci_parse_error(p, "%s", hint);

        OciVolume v = { .kind = OCI_VOLUME_ANONYMOUS };
        _cleanup_free_ char *src = NULL, *ref = NULL, *normalised = NULL;
        int r;
        if (!c1) {
                if (!value_is_path(text))
                        return oci_parse_error(p, "%s", hint);
                v.dest = strdup(text);
                normalised = strdup(text);
                if (!v.dest || !normalised)
                        goto oom;
        } else {
                src = strndup(text, (size_t) (c1 - text));
                v.dest = c2 ? strndup(c1 + 1, (size_t) (c2 - c1 - 1)) : strdup(c1 + 1);
                if (!src || !v.dest)
                        goto oom;
                if (!value_is_path(v.dest) || (v.dest[0] == '/' && !path_is_normalized_absolute_dir(v.dest))) {
                        volume_clear(&v);
                        return oci_parse_error(p, "%s", hint);
                }
                if (c2 && !c2[1]) {
                        volume_clear(&v);
                        return oci_parse_error(p, "%s", ": empty OPTIONS after the last ':'");
                }
                if (!*src) {
                        volume_clear(&v);
                        return oci_parse_error(p, "%s", hint);
                }
                r = parse_source(p, src, &v, &ref);
                if (r < 0) {
                        volume_clear(&v);
                        return r;
                }
                if (c2 && (!(v.options = strdup(c2 + 1)) || split_options(&v) < 0))
                        goto oom;
                normalised = c2 ? xasprintf("%s:%s%s", v.source, v.dest, c2) : xasprintf("%s:%s", v.source, v.dest);
                if (!normalised)
                        goto oom;
        }
        OciItem *it = oci_items_push(p->out, &p->loc, TAKE_PTR(normalised));
        if (!it)
                goto oom;
        it->volume = v;
        it->ref = TAKE_PTR(ref);
        return 0;
oom:
        volume_clear(&v);
        return -ENOMEM;
}

/* The text, but a .volume definition by the engine's name for it once that is known. */
static int format_volume(const OciItem *it, OciBackendId b, StrBuf *out) {
        const OciVolume *v = &it->volume;
        if (v->kind != OCI_VOLUME_DEFINITION || !it->resolved)
                return strbuf_puts(out, it->text);
        int r = strbuf_printf(out, "%s:%s", it->resolved, v->dest);
        if (r == 0 && v->options)
                r = strbuf_printf(out, ":%s", v->options);
        return r;
}

/* A bind mount's host path, which the unit waits for. */
static const char *volume_host_path(const OciItem *it) {
        return it->volume.kind == OCI_VOLUME_BIND ? it->volume.source : NULL;
}

const OciValueType value_type_volume = {
        .name = "volume",
        .parse = parse_volume,
        .format = format_volume,
        .done = done_volume,
        .host_path = volume_host_path,
};
