/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Mount=type=TYPE,source=...,destination=...[,OPTION...]: the engine's --mount, a line of CSV as
 * podman (and Quadlet) read it, kept field by field. The source of a mount that has one is
 * resolved as Quadlet resolves it: a relative path against the definition's directory, a
 * NAME.volume, NAME.image or NAME.artifact by the engine's name for what that definition makes. */
#include <assert.h>

#include "escape.h"
#include "internal.h"

/* The mount types whose source Quadlet resolves (and requires): the others pass as written. */
static const char *const source_types[] = { "volume", "bind", "glob", "image", "artifact" };

/* Split a line of CSV as Go's encoding/csv reads one (podman's reader): fields between ',', a
 * field that starts with '"' quoted up to a '"' followed by ',' or the end, "" inside it a '"'.
 * *ret_raw gets each field as written, *ret_values its content, both NULL-terminated, in item
 * memory. -EINVAL: a '"' inside an unquoted field, a quoted field not closed, or closed before
 * other text. */
static int csv_split(OciParse *p, const char *s, char ***ret_raw, char ***ret_values) {
        /* no more fields than a ',' starts, and no field longer than the line */
        size_t max = 1, len = strlen(s);
        for (const char *c = strchr(s, ','); c; c = strchr(c + 1, ','))
                max++;
        char **raw = arena_alloc(p->arena, (max + 1) * sizeof(char *));
        char **values = arena_alloc(p->arena, (max + 1) * sizeof(char *));
        char *buf = arena_alloc_uninit(p->arena, len + 1);
        if (!raw || !values || !buf)
                return -ENOMEM;
        for (size_t n = 0;; n++) {
                const char *start = s;
                char *v = buf;
                if (*s == '"') {
                        for (s++;; s++) {
                                if (!*s)
                                        return -EINVAL;
                                if (*s == '"' && s[1] != '"')
                                        break;
                                if (*s == '"')
                                        s++;
                                *v++ = *s;
                        }
                        if (*++s && *s != ',')
                                return -EINVAL;
                } else {
                        size_t k = strcspn(s, ",");
                        if (memchr(s, '"', k))
                                return -EINVAL;
                        memcpy(v, s, k);
                        v += k;
                        s += k;
                }
                *v = 0;
                values[n] = buf;
                buf = v + 1;
                if (!(raw[n] = value_strndup(p, start, (size_t) (s - start))))
                        return -ENOMEM;
                if (!*s)
                        break;
                s++;
        }
        *ret_raw = raw;
        *ret_values = values;
        return 0;
}

/* The value of a field "source=VALUE" or "src=VALUE": the length of its key and '=', or 0 when it
 * is not a source field; -1 for the key alone, without '='. */
static ssize_t source_key(const char *field) {
        if (streq(field, "source") || streq(field, "src"))
                return -1;
        return startswith(field, "source=") ? (ssize_t) strlen("source=") : startswith(field, "src=") ? (ssize_t) strlen("src=") : 0;
}

/* The mount's type, as podman finds it: the first field that is exactly type=WORD; volume when
 * there is none. *ret_given says whether there was one. */
static const char *mount_type(char *const *values, bool *ret_given) {
        for (size_t i = 0; values[i]; i++) {
                const char *t = startswith(values[i], "type=");
                if (t && !strchr(t, '=')) {
                        *ret_given = true;
                        return t;
                }
        }
        *ret_given = false;
        return "volume";
}

/* The source of a mount whose source is resolved: for a bind or glob mount, a path made absolute
 * (a host path, which the unit waits for); a definition's name (into *ret_ref); else as written.
 * (Quadlet takes a path for the source of every such type, which podman then refuses as the
 * name of a volume, an image or an artifact: here such a name keeps the name rules.) */
static int resolve_source(OciParse *p, OciMount *m, const char *type, char *src, char **ret_ref, OciUnitType *ret_type) {
        if ((streq(type, "bind") || streq(type, "glob")) && (src[0] == '.' || src[0] == '/')) {
                m->host_path = true;
                if (!streq(src, "."))
                        return value_normalise_path(p, src, &m->value);
                const OciDefinition *d = value_definition(p);
                assert(d && d->dir);
                _cleanup_free_ char *dir = oci_exec_escape(d->dir);
                m->value = dir ? value_strdup(p, dir) : NULL;
                return m->value ? 0 : -ENOMEM;
        }
        size_t n = strlen(src);
        OciUnitType named = oci_option_ref_type(p->id, src, n);
        if (named >= 0 && !(*ret_ref = value_strndup(p, src, n - strlen(oci_unit_type_extension(named)))))
                return -ENOMEM;
        *ret_type = named;
        m->value = src;
        return 0;
}

/* Check one Mount= assignment into one item. A source that names a
 * definition (the row's reference column says which types) is kept in ref, resolved with the
 * other references once every definition is known. */
int oci_mount_parse(OciParse *p, const char *text) {
        assert(p);
        assert(p->out);
        assert(text);
        /* a space is part of a field (a path may hold one, as Quadlet takes it); a control
         * character never reaches here */
        if (!*text || text[0] == '-')
                return oci_parse_error(p, "%s", " must be type=TYPE,source=...,destination=..., not empty nor starting with '-'");
        char **fields = NULL, **values = NULL;
        int r = csv_split(p, text, &fields, &values);
        if (r == -EINVAL)
                return oci_parse_error(p, "%s", " is read as podman reads it, fields separated by ',' (CSV), and a '\"' may only "
                                                "enclose a whole field, as in \"dst=/a,b\"; a '\"' inside a field is written \"\"");
        if (r < 0)
                return r;

        bool type_given;
        const char *type = mount_type(values, &type_given);
        OciMount m = { .source = -1, .add_type = !type_given };
        bool resolves = false;
        for (size_t i = 0; i < ELEMENTSOF(source_types); i++)
                resolves = resolves || streq(type, source_types[i]);
        /* as Quadlet: the last source field is the one it resolves */
        for (size_t i = 0; resolves && values[i]; i++) {
                ssize_t key = source_key(values[i]);
                if (key < 0)
                        return oci_parse_error(p, ": '%s' has no value; write %s=PATH or %s=NAME", values[i], values[i], values[i]);
                if (key > 0)
                        m.source = (int) i;
        }
        if (resolves && (m.source < 0 || !values[m.source][source_key(values[m.source])]))
                return oci_parse_error(p, ": a mount of type=%s needs a source: add source=PATH or source=NAME%s", type,
                                       streq(type, "volume") ? " (for an anonymous volume, write Volume=DESTINATION instead)" : "");

        char *ref = NULL;
        OciUnitType ref_type = _OCI_UNIT_TYPE_INVALID;
        if (m.source >= 0) {
                r = resolve_source(p, &m, type, values[m.source] + source_key(values[m.source]), &ref, &ref_type);
                if (r < 0)
                        return r;
        }
        OciItem *it = value_push(p, value_keep(p, text));
        if (!it)
                return -ENOMEM;
        m.fields = fields;
        it->mount = m;
        it->ref = ref;
        if (it->ref)
                oci_item_set_ref_type(p->id, it, ref_type);
        return 0;
}

/* Append s as one field of CSV: in quotes, with each '"' doubled, when it holds ',' or '"' or
 * starts with a blank, as Go's encoding/csv writes it. */
static int put_csv_field(StrBuf *out, const char *s) {
        if (!s[strcspn(s, ",\"")] && s[0] != ' ' && s[0] != '\t')
                return strbuf_puts(out, s);
        int r = strbuf_putc(out, '"');
        for (; r >= 0 && *s; s++)
                r = *s == '"' ? strbuf_puts(out, "\"\"") : strbuf_putc(out, *s);
        return r < 0 ? r : strbuf_putc(out, '"');
}

/* Append the fields joined by ',', as Quadlet writes them: type= first when the user left it to
 * podman's default, the source as source=, resolved. */
int oci_mount_format(const OciItem *it, OciBackendId b, StrBuf *out) {
        assert(it);
        assert(out);
        const OciMount *m = &it->mount;
        if (!m->fields)
                return strbuf_puts(out, it->text);
        int r = m->add_type ? strbuf_puts(out, "type=volume,") : 0;
        for (size_t i = 0; r >= 0 && m->fields[i]; i++) {
                r = i > 0 ? strbuf_putc(out, ',') : 0;
                if (r >= 0 && (int) i == m->source) {
                        r = strbuf_puts(out, "source=");
                        if (r >= 0)
                                r = put_csv_field(out, it->ref && it->resolved ? it->resolved : m->value);
                } else if (r >= 0)
                        r = strbuf_puts(out, m->fields[i]);
        }
        return r < 0 ? r : 0;
}

/* The host path a mount's source is, which the unit waits for (RequiresMountsFor=). */
static const char *mount_host_path(const OciItem *it) {
        return it->mount.host_path ? it->mount.value : NULL;
}

const OciValueType oci_value_mount = {
        .name = "mount",
        .parse = oci_mount_parse,
        .format = oci_mount_format,
        .host_path = mount_host_path,
};
