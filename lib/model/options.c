/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <assert.h>

#include "config.h"
#include "filetype.h"
#include "option-tables.h"

/* Each as "X-NAME": the unit keeps a definition's own sections under that name (render.c); the
 * section itself is the name after the "X-". */
static const char *const section_names[_OCI_SECTION_MAX] = {
        [OCI_SECTION_CONTAINER] = "X-Container",
        [OCI_SECTION_QUADLET] = "X-Quadlet",
        [OCI_SECTION_INSTALL] = "X-Install",
        [OCI_SECTION_DEFAULTS] = "X-Defaults",
        [OCI_SECTION_LOGIN] = "X-Login",
        [OCI_SECTION_NETWORK] = "X-Network",
        [OCI_SECTION_VOLUME] = "X-Volume",
        [OCI_SECTION_POD] = "X-Pod",
        [OCI_SECTION_IMAGE] = "X-Image",
        [OCI_SECTION_BUILD] = "X-Build",
        [OCI_SECTION_KUBE] = "X-Kube",
        [OCI_SECTION_ARTIFACT] = "X-Artifact",
        [OCI_SECTION_UNIT] = "X-Unit",
        [OCI_SECTION_SERVICE] = "X-Service",
};

static const char *const backend_names[_OCI_BACKEND_MAX] = {
        [OCI_BACKEND_PODMAN] = "podman",
        [OCI_BACKEND_DOCKER] = "docker",
        [OCI_BACKEND_NSPAWN] = "nspawn",
};

static const char *const type_names[_OCI_TYPE_MAX] = {
        [OCI_TYPE_STRING] = "string",
        [OCI_TYPE_BOOL] = "boolean",
        [OCI_TYPE_CHOICE] = "choice",
        [OCI_TYPE_WORDS] = "words",
        [OCI_TYPE_KEYVALUE] = "key=value words",
        [OCI_TYPE_PATH] = "path",
        [OCI_TYPE_PORT] = "port mapping",
        [OCI_TYPE_PORT_RANGE] = "port range",
        [OCI_TYPE_VOLUME] = "volume",
        [OCI_TYPE_MOUNTPOINT] = "mount point",
        [OCI_TYPE_CAPS] = "capabilities",
        [OCI_TYPE_DEVICE] = "device",
        [OCI_TYPE_NAME] = "name",
        [OCI_TYPE_UNITS] = "unit names",
        [OCI_TYPE_REFS] = "definition names",
        [OCI_TYPE_ADDRESS] = "address",
        [OCI_TYPE_ADDRESS_PREFIX] = "address[/prefix]",
        [OCI_TYPE_INT] = "integer",
        [OCI_TYPE_SIZE] = "size",
        [OCI_TYPE_MOUNT] = "mount",
        [OCI_TYPE_UID] = "user name or UID",
        [OCI_TYPE_GID] = "group name or GID",
        [OCI_TYPE_DURATION] = "duration",
        [OCI_TYPE_TIMESPAN] = "time span",
        [OCI_TYPE_NETWORK] = "network",
        [OCI_TYPE_OWNER] = "user[:group]",
        [OCI_TYPE_IMAGE] = "image name",
        [OCI_TYPE_DIR_NAME] = "directory name",
        [OCI_TYPE_AUTO_UPDATE] = "[container/]policy",
        [OCI_TYPE_VETH] = "host[:machine][,option=value...]",
};

static int lookup(const char *const *table, size_t n, const char *s) {
        for (size_t i = 0; s && i < n; i++)
                if (table[i] && streq(table[i], s))
                        return (int) i;
        return -EINVAL;
}

const char *oci_section_to_string(OciSection s) {
        return s >= 0 && s < _OCI_SECTION_MAX ? section_names[s] + 2 : NULL;
}

const char *oci_section_extra_name(OciSection s) {
        return s >= 0 && s < _OCI_SECTION_MAX ? section_names[s] : NULL;
}

OciSection oci_section_from_string(const char *s) {
        /* the first letter tells most of them apart, without a call */
        for (size_t i = 0; s && i < _OCI_SECTION_MAX; i++)
                if (section_names[i][2] == s[0] && streq(section_names[i] + 2, s))
                        return (OciSection) i;
        return _OCI_SECTION_INVALID;
}

const char *oci_backend_to_string(OciBackendId b) {
        return b >= 0 && b < _OCI_BACKEND_MAX ? backend_names[b] : NULL;
}

OciBackendId oci_backend_from_string(const char *s) {
        return (OciBackendId) lookup(backend_names, _OCI_BACKEND_MAX, s);
}

const char *oci_type_to_string(OciType t) {
        return t < _OCI_TYPE_MAX ? type_names[t] : NULL;
}

/* A lookup hashes the key and compares it with the one or two rows of its bucket (the index is
 * made at build time, option-tables.h), not with every row for every line read. */
OciOptionId oci_option_lookup(OciSection section, const char *key) {
        for (unsigned i = oci_key_bucket[oci_key_bucket_of(key)]; i; i = oci_key_next[i - 1])
                if ((oci_options[i - 1].sections & (1u << section)) && streq(oci_option_key(i - 1), key))
                        return (OciOptionId) (i - 1);
        return _OCI_OPT_INVALID;
}

const char *oci_option_suggest(OciSection section, const char *key) {
        const char *best = NULL;
        unsigned best_d = (unsigned) -1;
        for (size_t i = 0; i < _OCI_OPT_MAX; i++) {
                if (!(oci_options[i].sections & (1u << section)))
                        continue;
                unsigned d = levenshtein(key, oci_option_key(i));
                if (d < best_d) {
                        best_d = d;
                        best = oci_option_key(i);
                }
        }
        /* close enough to be a typo: one edit in a short name, else a third of it (at least 2) */
        size_t len = strlen(key);
        unsigned limit = len <= 4 ? 1 : len / 3 > 2 ? (unsigned) (len / 3) : 2;
        return best_d <= limit ? best : NULL;
}

OciUnitType oci_option_ref_type(OciOptionId id, const char *text, size_t len) {
        assert(id >= 0 && id < _OCI_OPT_MAX && text);
        const OciRefColumn *ref = &oci_options[id].ref;
        if (ref->part == OCI_REF_NONE)
                return _OCI_UNIT_TYPE_INVALID;
        unsigned types = ref->others | (1u << ref->type);
        for (int t = 0; t < _OCI_UNIT_TYPE_MAX; t++) {
                if (!(types & (1u << t)))
                        continue;
                const char *ext = oci_unit_type_extension((OciUnitType) t);
                size_t el = strlen(ext);
                if (len > el && memcmp(text + len - el, ext, el) == 0)
                        return (OciUnitType) t;
        }
        return _OCI_UNIT_TYPE_INVALID;
}

int oci_option_choice(OciOptionId id, const char *word) {
        const OciStr *c = oci_option_choices(&oci_options[id]);
        for (size_t i = 0; c && c[i]; i++)
                if (streq(oci_str(c[i]), word))
                        return (int) i;
        return -EINVAL;
}

char *oci_option_choices_join(OciOptionId id, const char *sep) {
        const OciStr *c = oci_option_choices(&oci_options[id]);
        StrBuf b = {};
        for (size_t i = 0; c && c[i]; i++)
                if (strbuf_printf(&b, "%s%s", i ? sep : "", oci_str(c[i])) < 0) {
                        strbuf_done(&b);
                        return NULL;
                }
        return b.s;
}

OciRead oci_option_read(OciOptionId id) {
        const OciOption *o = &oci_options[id];
        if (o->read != OCI_READ_DEFAULT)
                return o->read;
        return (o->flags & OCI_OPT_LIST) ? OCI_READ_ALL : OCI_READ_LAST;
}

static const char *const read_names[_OCI_READ_MAX] = {
        [OCI_READ_LAST] = "the last line, one pair of double quotes around it removed",
        [OCI_READ_LAST_RAW] = "the last line, as written",
        [OCI_READ_ALL] = "every line, as written",
        [OCI_READ_WORDS] = "the words of every line, quotes removed, backslashes kept",
        [OCI_READ_ARGS] = "the words of every line, quotes removed, C escapes decoded",
        [OCI_READ_LAST_ARGS] = "the words of the last line, quotes removed, C escapes decoded",
        [OCI_READ_KEYVAL] = "the KEY=VALUE (or KEY) words of every line, quotes removed, C escapes decoded",
};

const char *oci_read_to_string(OciRead r) {
        return r > OCI_READ_DEFAULT && r < _OCI_READ_MAX ? read_names[r] : NULL;
}

int oci_option_doc(OciOptionId id, StrBuf *out) {
        assert(id >= 0 && id < _OCI_OPT_MAX);
        assert(out);
        const OciOption *o = &oci_options[id];
        int r = strbuf_puts(out, oci_str(o->doc));
        OciOptionId instead = oci_option_rule(o->deprecated_by);
        if (r >= 0 && instead >= 0 && !strstr(oci_str(o->doc), "eprecated"))
                r = strbuf_printf(out, " Deprecated: use %s= instead.", oci_option_key(instead));
        /* the other side of its group, in table order */
        size_t n = 0;
        const OciOptionId *rows = NULL;
        if (o->apart)
                rows = oci_option_group(o->apart > 0 ? OCI_GROUP_APART_OTHER : OCI_GROUP_APART, (unsigned) abs(o->apart), &n);
        for (size_t i = 0; r >= 0 && i < n; i++)
                r = strbuf_printf(out, "%s%s=", i == 0 ? " Not with " : ", ", oci_option_key(rows[i]));
        if (r >= 0 && o->apart)
                r = strbuf_puts(out, ".");
        /* the rest of its one_of group, in table order */
        n = 0;
        if (o->one_of)
                rows = oci_option_group(OCI_GROUP_ONE_OF, o->one_of, &n);
        if (r >= 0 && n == 1)
                r = strbuf_puts(out, " Required.");
        for (size_t i = 0; r >= 0 && n > 1 && i < n; i++)
                r = strbuf_printf(out, "%s%s=", i == 0 ? " One of " : i + 1 == n ? " or " : ", ", oci_option_key(rows[i]));
        if (r >= 0 && n > 1)
                r = strbuf_puts(out, " is required.");
        OciOptionId other = oci_option_rule(o->belongs_to);
        if (r >= 0 && other >= 0)
                r = strbuf_printf(out, " Not with %s=: the %s sets it for its members.", oci_option_key(other),
                                  oci_unit_type_extension(oci_options[other].ref.type));
        other = oci_option_rule(o->count_le);
        if (r >= 0 && other >= 0)
                r = strbuf_printf(out, " No more of them than of %s=.", oci_option_key(other));
        other = oci_option_rule(o->goes_with.key);
        if (r >= 0 && other >= 0)
                r = strbuf_printf(out, " Set with %s=%s, and only then.", oci_option_key(other), oci_str(o->goes_with.value));
        if (r >= 0 && o->podman)
                r = strbuf_printf(out, " Needs podman %u.%u or newer (Debian 12 has 4.3).", o->podman / 100u, o->podman % 100u + 1);
        return r;
}

int oci_option_rows(OciRowSet set, OciSection section, OciBackendId b, const OciOptionId **ret, size_t *ret_n) {
        assert(set >= 0 && set < _OCI_ROWS_MAX && ret && ret_n);
        assert(section >= 0 && section < _OCI_SECTION_MAX && b >= 0 && b < _OCI_BACKEND_MAX);
        const OciRowSpan *span = set == OCI_ROWS_RENDER ? &oci_row_sets[set][section][b] : &oci_row_sets[set][0][0];
        *ret = oci_table_rows + span->start;
        *ret_n = span->n;
        return 0;
}

const OciOptionId *oci_option_group(OciGroupColumn col, unsigned g, size_t *ret_n) {
        assert(col >= 0 && col < _OCI_GROUP_MAX && g < OCI_GROUPS_MAX && ret_n);
        const OciRowSpan *span = &oci_row_groups[col][g];
        *ret_n = span->n;
        return oci_table_rows + span->start;
}
