/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Volume=[SOURCE:]DEST[:OPTIONS]: an anonymous volume, a host path, a named volume of the engine,
 * or a .volume definition. */
#include <assert.h>
#include <ctype.h>

#include "escape.h"
#include "internal.h"

/* OPTIONS into v->option_list, v->ro and v->rw: the engines' options are words between commas.
 * opts is a copy of them in item memory, whose commas become NULs. */
static int split_options(OciParse *p, OciVolume *v, char *opts) {
        size_t n_words = 0; /* the starts of words */
        for (const char *o = opts; *o; o++)
                n_words += *o != ',' && (o == opts || o[-1] == ',');
        if (n_words == 0)
                return 0;
        v->option_list = arena_alloc(p->arena, (n_words + 1) * sizeof(char *));
        if (!v->option_list)
                return -ENOMEM;
        size_t k = 0;
        for (char *o = opts; *o;) {
                char *w = o;
                while (*o && *o != ',')
                        o++;
                if (*o)
                        *o++ = 0;
                if (*w) {
                        v->option_list[k++] = w;
                        v->ro = v->ro || streq(w, "ro");
                        v->rw = v->rw || streq(w, "rw");
                }
        }
        return 0;
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
        _cleanup_free_ char *escaped = literal ? oci_exec_escape(literal) : NULL;
        *ret = escaped ? value_strdup(p, escaped) : NULL;
        return *ret ? 0 : -ENOMEM;
}

/* A named volume's name: letters, digits, '_', '.' and '-', starting with a letter or digit. */
static bool volume_name_valid(const char *s) {
        if (!isalnum((unsigned char) s[0]))
                return false;
        for (const char *c = s; *c; c++)
                if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_' || *c == '.' ||
                      *c == '-'))
                        return false;
        return true;
}

/* What SOURCE is, into v->kind, v->source, v->create and *ret_ref; src is item memory, which a
 * name keeps as its source. */
static int parse_source(OciParse *p, char *src, OciVolume *v, char **ret_ref) {
        const OciDefinition *d = value_definition(p);
        if (value_is_path(src) || startswith(src, "./") || startswith(src, "../") || streq(src, ".")) {
                v->kind = OCI_VOLUME_BIND;
                if (!streq(src, "."))
                        return value_normalise_path(p, src, &v->source);
                assert(d && d->dir);
                _cleanup_free_ char *dir = oci_exec_escape(d->dir);
                v->source = dir ? value_strdup(p, dir) : NULL;
                return v->source ? 0 : -ENOMEM;
        }
        if (endswith(src, ".image") && src[0] != '.')
                return oci_parse_error(p, ": '%s' names an .image definition, which a volume cannot be; mount its image with "
                                          "Mount=type=image,source=%s,destination=PATH", src, src);
        if (endswith(src, ".volume") && src[0] != '.') {
                /* resolved with the other references, once every definition is known */
                v->kind = OCI_VOLUME_DEFINITION;
                v->source = src;
                *ret_ref = value_strndup(p, src, strlen(src) - strlen(".volume"));
                return *ret_ref ? 0 : -ENOMEM;
        }
        if (!volume_name_valid(src))
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
        v->source = src;
        return 0;
}

static int parse_volume(OciParse *p, const char *text) {
        static const char hint[] = " is not [SOURCE:]DESTINATION[:OPTIONS] with an absolute DESTINATION";
        const char *c1 = strchr(text, ':');
        const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (c2 && strchr(c2 + 1, ':'))
                return oci_parse_error(p, "%s", hint);

        OciVolume v = { .kind = OCI_VOLUME_ANONYMOUS };
        char *ref = NULL, *normalised;
        if (!c1) {
                if (!value_is_path(text))
                        return oci_parse_error(p, "%s", hint);
                v.dest = normalised = value_keep(p, text);
                if (!v.dest)
                        return -ENOMEM;
        } else {
                /* one copy of the text, its ':' made NULs: the source, the destination and the
                 * options are strings in it */
                char *src = value_strndup(p, text, value_len(p, text));
                if (!src)
                        return -ENOMEM;
                src[c1 - text] = 0;
                v.dest = src + (c1 - text) + 1;
                if (c2)
                        src[c2 - text] = 0;
                if (!value_is_path(v.dest) || (v.dest[0] == '/' && !path_is_normalized_absolute_dir(v.dest)))
                        return oci_parse_error(p, "%s", hint);
                if (c2 && !c2[1])
                        return oci_parse_error(p, "%s", ": empty OPTIONS after the last ':'");
                if (!*src)
                        return oci_parse_error(p, "%s", hint);
                int r = parse_source(p, src, &v, &ref);
                if (r < 0)
                        return r;
                /* SOURCE:DEST[:OPTIONS], which is the text itself when the source is as written */
                size_t n_src = (size_t) (c1 - text);
                normalised = strlen(v.source) == n_src && memcmp(v.source, text, n_src) == 0
                                     ? value_keep(p, text)
                                     : value_concat(p, v.source, ":", v.dest, c2 ? c2 : "", NULL);
                if (!normalised)
                        return -ENOMEM;
                /* OPTIONS, which hold no ':', end it */
                if (c2) {
                        v.options = strrchr(normalised, ':') + 1;
                        if (split_options(p, &v, src + (c2 - text) + 1) < 0)
                                return -ENOMEM;
                }
        }
        OciItem *it = value_push(p, normalised);
        if (!it)
                return -ENOMEM;
        it->volume = v;
        it->ref = ref;
        return 0;
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
        .host_path = volume_host_path,
};
