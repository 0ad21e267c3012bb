/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <assert.h>

#include "config.h"
#include "filetype.h"
#include "hashmap.h"
#include "options.h"

#define CHOICES(...) ((const char *const[]) { __VA_ARGS__, NULL })
#define R(kind, flag) { OCI_RENDER_##kind, flag, OCI_FN_NONE }
/* code renders it: the function, and the flag it writes where one says it for the man page */
#define RF(fn, flag) { OCI_RENDER_FN, flag, OCI_FN_##fn }
#define NO { OCI_RENDER_UNSUPPORTED, NULL, OCI_FN_NONE }
#define BOTH { OCI_RENDER_AS_PODMAN, NULL, OCI_FN_NONE }
/* the optional columns */
#define K(id) (OCI_OPT_##id + 1)
#define REF(part_, type_, dep_) { .part = OCI_REF_##part_, .type = OCI_UNIT_##type_, .dep = OCI_DEP_##dep_ }
/* the same, for a value that may name a definition of other types too (by their extensions) */
#define REF_ANY(part_, type_, dep_, others_) { .part = OCI_REF_##part_, .type = OCI_UNIT_##type_, .dep = OCI_DEP_##dep_, .others = (others_) }
#define READ(r) OCI_READ_##r
#define PODMAN_AFTER(major, minor) ((major) * 100 + (minor))
#define WHEN(id, value_) { .key = K(id), .value = (value_) }
#define KUBE(path) { OCI_KUBE_FIELD, (path) }
#define KUBE_NONE(why) { OCI_KUBE_NONE, (why) }

const OciOption oci_options[_OCI_OPT_MAX] = {
#define OCI_OPTION(id, key_, sections_, type_, flags_, default_, choices_, podman_, docker_, nspawn_, doc_, ...) \
        [OCI_OPT_##id] = {                                                                          \
                .key = key_,                                                                        \
                .sections = sections_,                                                              \
                .type = type_,                                                                      \
                .flags = flags_,                                                                    \
                .default_value = default_,                                                          \
                .choices = choices_,                                                                \
                .render = { [OCI_BACKEND_PODMAN] = podman_,                                         \
                            [OCI_BACKEND_DOCKER] = docker_,                                         \
                            [OCI_BACKEND_NSPAWN] = nspawn_ },                                       \
                .doc = doc_,                                                                        \
                __VA_ARGS__                                                                         \
        },
#include "option-list.h"
#undef OCI_OPTION
};

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
        for (size_t i = 0; s && i < _OCI_SECTION_MAX; i++)
                if (streq(section_names[i] + 2, s))
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

/* A hash index of the rows by key, made on first use (a pass over the table): a lookup hashes the
 * key and compares it with the one or two rows in its bucket, not with every row for every line
 * read. Rows with the same key (one per section) share a bucket. */
#define KEY_BUCKETS 512u
static unsigned short bucket_head[KEY_BUCKETS], row_next[_OCI_OPT_MAX]; /* row + 1; 0 ends a chain */

static unsigned key_hash(const char *key) {
        return (unsigned) (hash_string(key, strlen(key)) % KEY_BUCKETS);
}

OciOptionId oci_option_lookup(OciSection section, const char *key) {
        static bool indexed;
        if (!indexed) {
                for (size_t i = _OCI_OPT_MAX; i > 0; i--) {
                        unsigned h = key_hash(oci_options[i - 1].key);
                        row_next[i - 1] = bucket_head[h];
                        bucket_head[h] = (unsigned short) i;
                }
                indexed = true;
        }
        for (unsigned i = bucket_head[key_hash(key)]; i; i = row_next[i - 1])
                if ((oci_options[i - 1].sections & (1u << section)) && streq(oci_options[i - 1].key, key))
                        return (OciOptionId) (i - 1);
        return _OCI_OPT_INVALID;
}

const char *oci_option_suggest(OciSection section, const char *key) {
        const char *best = NULL;
        unsigned best_d = (unsigned) -1;
        for (size_t i = 0; i < _OCI_OPT_MAX; i++) {
                if (!(oci_options[i].sections & (1u << section)))
                        continue;
                unsigned d = levenshtein(key, oci_options[i].key);
                if (d < best_d) {
                        best_d = d;
                        best = oci_options[i].key;
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
                const char *ext = oci_unit_type_extension((OciUnitType) t);
                size_t el = strlen(ext);
                if ((types & (1u << t)) && len > el && memcmp(text + len - el, ext, el) == 0)
                        return (OciUnitType) t;
        }
        return _OCI_UNIT_TYPE_INVALID;
}

int oci_option_choice(OciOptionId id, const char *word) {
        const char *const *c = oci_options[id].choices;
        for (size_t i = 0; c && c[i]; i++)
                if (streq(c[i], word))
                        return (int) i;
        return -EINVAL;
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
        int r = strbuf_puts(out, o->doc);
        OciOptionId instead = oci_option_rule(o->deprecated_by);
        if (r >= 0 && instead >= 0 && !strstr(o->doc, "eprecated"))
                r = strbuf_printf(out, " Deprecated: use %s= instead.", oci_options[instead].key);
        /* the other side of its group, in table order */
        for (size_t i = 0, n = 0; r >= 0 && o->apart && i < _OCI_OPT_MAX; i++)
                if (oci_options[i].apart == -o->apart)
                        r = strbuf_printf(out, "%s%s=", n++ == 0 ? " Not with " : ", ", oci_options[i].key);
        if (r >= 0 && o->apart)
                r = strbuf_puts(out, ".");
        /* the rest of its one_of group, in table order */
        size_t others = 0;
        for (size_t i = 0; o->one_of && i < _OCI_OPT_MAX; i++)
                others += i != (size_t) id && oci_options[i].one_of == o->one_of;
        if (r >= 0 && o->one_of && !others)
                r = strbuf_puts(out, " Required.");
        for (size_t i = 0, n = 0; r >= 0 && others && i < _OCI_OPT_MAX; i++)
                if (oci_options[i].one_of == o->one_of) {
                        r = strbuf_printf(out, "%s%s=", n == 0 ? " One of " : n == others ? " or " : ", ", oci_options[i].key);
                        n++;
                }
        if (r >= 0 && others)
                r = strbuf_puts(out, " is required.");
        OciOptionId other = oci_option_rule(o->belongs_to);
        if (r >= 0 && other >= 0)
                r = strbuf_printf(out, " Not with %s=: the %s sets it for its members.", oci_options[other].key,
                                  oci_unit_type_extension(oci_options[other].ref.type));
        other = oci_option_rule(o->count_le);
        if (r >= 0 && other >= 0)
                r = strbuf_printf(out, " No more of them than of %s=.", oci_options[other].key);
        other = oci_option_rule(o->goes_with.key);
        if (r >= 0 && other >= 0)
                r = strbuf_printf(out, " Set with %s=%s, and only then.", oci_options[other].key, o->goes_with.value);
        if (r >= 0 && o->podman)
                r = strbuf_printf(out, " Needs podman %u.%u or newer (Debian 12 has 4.3).", o->podman / 100u, o->podman % 100u + 1);
        return r;
}

static bool in_set(OciRowSet set, size_t i, OciSection section, OciBackendId b) {
        const OciOption *o = &oci_options[i];
        switch (set) {
        case OCI_ROWS_REFERENCES:
                return o->ref.part != OCI_REF_NONE;
        case OCI_ROWS_RULES:
                return o->conflicts || o->needs || o->deprecated_by || o->together || o->apart || o->one_of || o->belongs_to ||
                       o->count_le || o->goes_with.key;
        case OCI_ROWS_RENDER: {
                OciRenderKind k = oci_option_render((OciOptionId) i, b)->kind;
                return (o->sections & (1u << section)) && k != OCI_RENDER_UNSUPPORTED && k != OCI_RENDER_GENERIC;
        }
        case _OCI_ROWS_MAX:
        default:
                return false;
        }
}

int oci_option_rows(OciRowSet set, OciSection section, OciBackendId b, const OciOptionId **ret, size_t *ret_n) {
        assert(set >= 0 && set < _OCI_ROWS_MAX && ret && ret_n);
        assert(section >= 0 && section < _OCI_SECTION_MAX && b >= 0 && b < _OCI_BACKEND_MAX);
        if (set != OCI_ROWS_RENDER)
                section = 0, b = 0;
        /* each subset is made once, as large as it is: most are a handful of rows */
        static OciOptionId *rows[_OCI_ROWS_MAX][_OCI_SECTION_MAX][_OCI_BACKEND_MAX];
        static unsigned short count[_OCI_ROWS_MAX][_OCI_SECTION_MAX][_OCI_BACKEND_MAX];
        static OciOptionId none[1];
        OciOptionId **l = &rows[set][section][b];
        if (!*l) {
                size_t n = 0;
                for (size_t i = 0; i < _OCI_OPT_MAX; i++)
                        n += in_set(set, i, section, b);
                OciOptionId *m = n ? malloc(n * sizeof(OciOptionId)) : none;
                if (!m)
                        return -ENOMEM;
                n = 0;
                for (size_t i = 0; m != none && i < _OCI_OPT_MAX; i++)
                        if (in_set(set, i, section, b))
                                m[n++] = (OciOptionId) i;
                *l = m;
                count[set][section][b] = (unsigned short) n;
        }
        *ret = *l;
        *ret_n = count[set][section][b];
        return 0;
}
