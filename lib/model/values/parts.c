/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Names with parts: a network mode with its options, USER[:GROUP], an image's name with its
 * transport, [Kube] AutoUpdate='s [CONTAINER/]POLICY, and a single directory name. Each is one
 * word as a NAME is, its text kept as written, and split here once. */
#include <assert.h>

#include "escape.h"
#include "internal.h"

/* The n bytes at s (item memory), or NULL for n == (size_t) -1; *ok false when memory ran out. */
static char *part(OciParse *p, const char *s, size_t n, bool *ok) {
        if (n == (size_t) -1)
                return NULL;
        char *c = value_strndup(p, s, n);
        if (!c)
                *ok = false;
        return c;
}

/* MODE[:OPTIONS]; which modes an engine takes is its own rule (the backends' validate()) */
static int parse_network(OciParse *p, const char *text) {
        int r = value_check_name(p, text);
        if (r < 0)
                return r;
        size_t n = strcspn(text, ":");
        bool ok = true;
        OciNetwork net = { .mode = part(p, text, n, &ok),
                           .options = text[n] ? part(p, text + n + 1, strlen(text + n + 1), &ok) : NULL };
        OciItem *it = ok ? value_push(p, value_keep(p, text)) : NULL;
        if (!it)
                return -ENOMEM;
        it->network = net;
        /* NAME.network or NAME.container before the options names a definition, resolved with the
         * other references once every definition is known */
        OciUnitType t = strchr(net.mode, '.') ? oci_option_ref_type(p->id, net.mode, n) : _OCI_UNIT_TYPE_INVALID;
        if (t >= 0) {
                it->ref = value_strndup(p, net.mode, n - strlen(oci_unit_type_extension(t)));
                if (!it->ref)
                        return -ENOMEM;
                oci_item_set_ref_type(p->id, it, t);
        }
        return 0;
}

/* USER[:GROUP]; that they exist is checked against the host later (lib/check/run-as.c) */
static int parse_owner(OciParse *p, const char *text) {
        int r = value_check_name(p, text);
        if (r < 0)
                return r;
        size_t n = strcspn(text, ":");
        if (n == 0)
                return oci_parse_error(p, "%s", " is USER[:GROUP]: the user is missing");
        bool ok = true;
        OciOwner o = { .user = part(p, text, n, &ok), .group = text[n] ? part(p, text + n + 1, strlen(text + n + 1), &ok) : NULL };
        OciItem *it = ok ? value_push(p, value_keep(p, text)) : NULL;
        if (!it)
                return -ENOMEM;
        it->owner = o;
        return 0;
}

/* Split as the engines split a name: the first component is a registry when there is another and
 * it has a '.' or a ':' or is "localhost"; "@" starts the digest; a ':' in the last component
 * starts the tag. The parts are strings in one copy of text, the bytes between them made NULs. */
static int split_image(OciParse *p, const char *text, OciImageRef *ret_ref) {
        OciImageRef i = {};
        size_t len = value_len(p, text);
        const char *at = memchr(text, '@', len);
        size_t end = at ? (size_t) (at - text) : len;
        size_t first = strcspn(text, "/");
        size_t start = 0;
        char *copy = value_strndup(p, text, len);
        if (!copy)
                return -ENOMEM;
        if (first < end && (memchr(text, '.', first) || memchr(text, ':', first) ||
                            (first == strlen("localhost") && strncmp(text, "localhost", first) == 0))) {
                i.registry = copy;
                copy[first] = 0;
                start = first + 1;
        }
        const char *last = text + start;
        for (const char *c = last; c < text + end; c++)
                if (*c == '/')
                        last = c + 1;
        const char *colon = memchr(last, ':', (size_t) (text + end - last));
        size_t path_end = colon ? (size_t) (colon - text) : end;
        i.path = copy + start;
        copy[path_end] = 0;
        if (colon) {
                i.tag = copy + path_end + 1;
                copy[end] = 0;
        }
        if (at)
                i.digest = copy + end + 1;
        *ret_ref = i;
        return 0;
}

/* What podman writes before each transport's location; docker's is "docker://". */
static const char *const transports[_OCI_TRANSPORT_MAX] = {
        [OCI_TRANSPORT_DOCKER] = "docker",
        [OCI_TRANSPORT_CONTAINERS_STORAGE] = "containers-storage",
        [OCI_TRANSPORT_DIR] = "dir",
        [OCI_TRANSPORT_DOCKER_ARCHIVE] = "docker-archive",
        [OCI_TRANSPORT_DOCKER_DAEMON] = "docker-daemon",
        [OCI_TRANSPORT_OCI] = "oci",
        [OCI_TRANSPORT_OCI_ARCHIVE] = "oci-archive",
        [OCI_TRANSPORT_OSTREE] = "ostree",
        [OCI_TRANSPORT_SIF] = "sif",
        [OCI_TRANSPORT_TARBALL] = "tarball",
};

const char *oci_image_transport_to_string(OciImageTransport t) {
        return t > OCI_TRANSPORT_NONE && t < _OCI_TRANSPORT_MAX ? transports[t] : NULL;
}

/* The transport text starts with, and how many bytes it takes (0 for none). */
static OciImageTransport transport_of(const char *text, size_t *ret_len) {
        /* no transport's name has a '.' or '/', and a registry's (the usual first part) has one */
        size_t n = strcspn(text, ":./");
        *ret_len = 0;
        if (text[n] != ':')
                return OCI_TRANSPORT_NONE;
        for (size_t t = OCI_TRANSPORT_NONE + 1; t < _OCI_TRANSPORT_MAX; t++) {
                if (strlen(transports[t]) != n || strncmp(text, transports[t], n) != 0)
                        continue;
                if (t == OCI_TRANSPORT_DOCKER && !startswith(text + n, "://"))
                        return OCI_TRANSPORT_NONE; /* "docker:TAG", an image named docker */
                *ret_len = n + (t == OCI_TRANSPORT_DOCKER ? strlen("://") : 1);
                return (OciImageTransport) t;
        }
        return OCI_TRANSPORT_NONE;
}

static int parse_image(OciParse *p, const char *text) {
        int r = value_check_name(p, text);
        if (r < 0)
                return r;
        size_t at;
        OciImageTransport transport = transport_of(text, &at);
        const char *name = text + at;
        OciImageRef i = { .opaque = true };
        /* a name made by specifiers or variables is known at start only; a path is nspawn's; a
         * definition's name is resolved with the other references; an archive or a directory is
         * no name */
        bool opaque = transport > OCI_TRANSPORT_DOCKER || strchr(name, '%') || oci_has_variable(name) || name[0] == '/' ||
                      endswith(name, ".image") || endswith(name, ".build");
        if (!opaque && (r = split_image(p, name, &i)) < 0)
                return r;
        i.transport = transport;
        i.name_at = (unsigned char) at;
        OciItem *it = value_push(p, value_keep(p, text));
        if (!it)
                return -ENOMEM;
        it->image = i;
        return 0;
}

static const char *const policies[_OCI_AUTO_UPDATE_MAX] = {
        [OCI_AUTO_UPDATE_REGISTRY] = "registry",
        [OCI_AUTO_UPDATE_LOCAL] = "local",
};

const char *oci_auto_update_policy_to_string(OciAutoUpdatePolicy policy) {
        return (unsigned) policy < _OCI_AUTO_UPDATE_MAX ? policies[policy] : NULL;
}

/* [CONTAINER/]POLICY: the container's name is the YAML's, which may hold a '/' itself */
static int parse_auto_update(OciParse *p, const char *text) {
        int r = value_check_name(p, text);
        if (r < 0)
                return r;
        const char *slash = strrchr(text, '/');
        const char *word = slash ? slash + 1 : text;
        int policy = -1;
        for (size_t k = 0; k < _OCI_AUTO_UPDATE_MAX; k++)
                if (streq(word, policies[k]))
                        policy = (int) k;
        if (policy < 0 || slash == text)
                return oci_parse_error_bare(p, "%s: write registry or local, or CONTAINER/registry or CONTAINER/local for one "
                                            "container", text);
        bool ok = true;
        OciAutoUpdate a = { .container = part(p, text, slash ? (size_t) (slash - text) : (size_t) -1, &ok),
                            .policy = (OciAutoUpdatePolicy) policy };
        OciItem *it = ok ? value_push(p, value_keep(p, text)) : NULL;
        if (!it)
                return -ENOMEM;
        it->auto_update = a;
        return 0;
}

/* One directory name, which the generator joins to a path itself (VolumeSubDir=) */
static int parse_dir_name(OciParse *p, const char *text) {
        int r = value_check_name(p, text);
        if (r < 0)
                return r;
        if (strchr(text, '/') || streq(text, ".") || streq(text, ".."))
                return oci_parse_error(p, "%s", " must be a single directory name: no '/', not '.' or '..'");
        return value_push(p, value_keep(p, text)) ? 0 : -ENOMEM;
}

const OciValueType value_type_network = { .name = "network", .parse = parse_network };
const OciValueType value_type_owner = { .name = "user[:group]", .parse = parse_owner };
const OciValueType value_type_image = { .name = "image name", .parse = parse_image };
const OciValueType value_type_dir_name = { .name = "directory name", .parse = parse_dir_name };
const OciValueType value_type_auto_update = { .name = "[container/]policy", .parse = parse_auto_update };
