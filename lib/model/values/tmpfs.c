/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tmpfs=PATH[:OPTIONS]: a tmpfs at an absolute path of the container. */
#include "internal.h"

static void done_tmpfs(OciItem *it) {
        free(it->tmpfs.dest);
        free(it->tmpfs.options);
        it->tmpfs = (OciTmpfs) {};
}

static int parse_mountpoint(OciParse *p, const char *text) {
        size_t n = strcspn(text, ":");
        OciTmpfs t = { .dest = strndup(text, n) };
        if (!t.dest)
                return -ENOMEM;
        if (!value_is_path(t.dest) || (t.dest[0] == '/' && !path_is_normalized_absolute_dir(t.dest)) || (text[n] && !text[n + 1])) {
                free(t.dest);
                return oci_parse_error(p, "%s", " is not an absolute PATH[:OPTIONS]");
        }
        OciItem *it = NULL;
        if (!text[n] || (t.options = strdup(text + n + 1)))
                it = oci_items_push(p->out, &p->loc, strdup(text));
        if (!it) {
                free(t.dest);
                free(t.options);
                return -ENOMEM;
        }
        it->tmpfs = t;
        return 0;
}

const OciValueType value_type_mountpoint = { .name = "mount point", .parse = parse_mountpoint, .done = done_tmpfs };
