/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"
#include "options.h"

#define CHOICES(...) ((const char *const[]) { __VA_ARGS__, NULL })
#define R(kind, flag) { OCI_RENDER_##kind, flag }
#define NO { OCI_RENDER_UNSUPPORTED, NULL }
#define BOTH { OCI_RENDER_AS_PODMAN, NULL }

const OciOption oci_options[_OCI_OPT_MAX] = {
#define OCI_OPTION(id, key_, sections_, type_, flags_, default_, choices_, podman_, docker_, nspawn_, doc_) \
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
        },
#include "option-list.h"
#undef OCI_OPTION
};

static const char *const section_names[_OCI_SECTION_MAX] = {
        [OCI_SECTION_CONTAINER] = "Container",
        [OCI_SECTION_QUADLET] = "Quadlet",
        [OCI_SECTION_INSTALL] = "Install",
        [OCI_SECTION_DEFAULTS] = "Defaults",
        [OCI_SECTION_LOGIN] = "Login",
        [OCI_SECTION_NETWORK] = "Network",
        [OCI_SECTION_VOLUME] = "Volume",
        [OCI_SECTION_POD] = "Pod",
        [OCI_SECTION_UNIT] = "Unit",
        [OCI_SECTION_SERVICE] = "Service",
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
        [OCI_TYPE_INT] = "integer",
        [OCI_TYPE_SIZE] = "size",
};

static int lookup(const char *const *table, size_t n, const char *s) {
        for (size_t i = 0; s && i < n; i++)
                if (table[i] && streq(table[i], s))
                        return (int) i;
        return -EINVAL;
}

const char *oci_section_to_string(OciSection s) {
        return s >= 0 && s < _OCI_SECTION_MAX ? section_names[s] : NULL;
}

OciSection oci_section_from_string(const char *s) {
        return (OciSection) lookup(section_names, _OCI_SECTION_MAX, s);
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

/* The rows sorted by key, made on first use: a lookup is a binary search, not a walk over every
 * row for every line read. Rows with the same key (one per section) sit together. */
static unsigned short by_key[_OCI_OPT_MAX];

static int cmp_row(const void *a, const void *b) {
        unsigned short x = *(const unsigned short *) a, y = *(const unsigned short *) b;
        int c = strcmp(oci_options[x].key, oci_options[y].key);
        return c ? c : (int) x - (int) y;
}

OciOptionId oci_option_lookup(OciSection section, const char *key) {
        static bool sorted;
        if (!sorted) {
                for (size_t i = 0; i < _OCI_OPT_MAX; i++)
                        by_key[i] = (unsigned short) i;
                qsort(by_key, _OCI_OPT_MAX, sizeof(by_key[0]), cmp_row);
                sorted = true;
        }
        size_t lo = 0, hi = _OCI_OPT_MAX;
        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (strcmp(oci_options[by_key[mid]].key, key) < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        for (size_t i = lo; i < _OCI_OPT_MAX && streq(oci_options[by_key[i]].key, key); i++)
                if (oci_options[by_key[i]].sections & (1u << section))
                        return (OciOptionId) by_key[i];
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

const OciRender *oci_option_render(OciOptionId id, OciBackendId b) {
        const OciRender *r = &oci_options[id].render[b];
        return r->kind == OCI_RENDER_AS_PODMAN ? &oci_options[id].render[OCI_BACKEND_PODMAN] : r;
}

int oci_option_choice(OciOptionId id, const char *word) {
        const char *const *c = oci_options[id].choices;
        for (size_t i = 0; c && c[i]; i++)
                if (streq(c[i], word))
                        return (int) i;
        return -EINVAL;
}
