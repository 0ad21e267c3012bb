/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Mount=type=TYPE,source=...,destination=...[,OPTION...]: the engine's --mount, kept field by
 * field so that a source=NAME.volume can be given the engine's name for that volume. */
#include <assert.h>

#include "internal.h"

/* Free the fields of a Mount= item. */
void oci_mount_done(OciItem *it) {
        assert(it);
        it->mount.fields = strv_free(it->mount.fields);
        it->mount.source = -1;
}

/* The length of "source=" or "src=" at the start of a field, else 0. */
static size_t source_key(const char *field) {
        return startswith(field, "source=") ? strlen("source=") : startswith(field, "src=") ? strlen("src=") : 0;
}

/* Check one Mount= assignment (the Mount= row's name rule) into one item: a source that names a
 * definition (NAME.volume, NAME.image, NAME.artifact, as the row's reference column says) is kept
 * in ref, resolved with the other references once every definition is known. */
int oci_mount_parse(OciParse *p, const char *text) {
        assert(p);
        assert(p->out);
        assert(text);
        int r = value_check_name(p, text);
        if (r < 0)
                return r;
        _cleanup_strv_free_ char **fields = NULL;
        if (strv_split(text, ",", true, &fields) < 0)
                return -ENOMEM;

        int source = -1;
        for (size_t i = 0; fields[i]; i++) {
                size_t key = source_key(fields[i]);
                if (key == 0)
                        continue;
                if (source < 0)
                        source = (int) i;
        }
        _cleanup_free_ char *ref = NULL;
        OciUnitType type = _OCI_UNIT_TYPE_INVALID;
        if (source >= 0) {
                const char *f = fields[source];
                size_t key = source_key(f), n = strlen(f);
                type = oci_option_ref_type(p->id, f + key, n - key);
                if (type >= 0 && !(ref = strndup(f + key, n - key - strlen(oci_unit_type_extension(type)))))
                        return -ENOMEM;
        }
        OciItem *it = oci_items_push(p->out, &p->loc, strdup(text));
        if (!it)
                return -ENOMEM;
        it->mount.fields = TAKE_PTR(fields);
        it->mount.source = source;
        it->ref = TAKE_PTR(ref);
        if (it->ref)
                oci_item_set_ref_type(p->id, it, type);
        return 0;
}

/* Append the fields joined by ',', a .volume source by the engine's name once that is known. */
int oci_mount_format(const OciItem *it, OciBackendId b, StrBuf *out) {
        assert(it);
        assert(out);
        const OciMount *m = &it->mount;
        if (!m->fields)
                return strbuf_puts(out, it->text);
        for (size_t i = 0; m->fields[i]; i++) {
                const char *f = m->fields[i];
                int r = i > 0 ? strbuf_putc(out, ',') : 0;
                if (r == 0 && (int) i == m->source && it->ref && it->resolved)
                        r = strbuf_printf(out, "%.*s%s", (int) source_key(f), f, it->resolved);
                else if (r == 0)
                        r = strbuf_puts(out, f);
                if (r < 0)
                        return r;
        }
        return 0;
}

const OciValueType oci_value_mount = {
        .name = "mount",
        .parse = oci_mount_parse,
        .format = oci_mount_format,
        .done = oci_mount_done,
};
