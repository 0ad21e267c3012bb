/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tmpfs=PATH[:OPTIONS]: a tmpfs at an absolute path of the container. */
#include "internal.h"

static int parse_mountpoint(OciParse *p, const char *text) {
        size_t n = strcspn(text, ":");
        OciTmpfs t = { .dest = value_strndup(p, text, n) };
        if (!t.dest)
                return -ENOMEM;
        if (!value_is_path(t.dest) || (t.dest[0] == '/' && !path_is_normalized_absolute_dir(t.dest)) || (text[n] && !text[n + 1]))
                return oci_parse_error(p, "%s", " is not an absolute PATH[:OPTIONS]");
        if (text[n] && !(t.options = value_strdup(p, text + n + 1)))
                return -ENOMEM;
        OciItem *it = value_push(p, value_keep(p, text));
        if (!it)
                return -ENOMEM;
        it->tmpfs = t;
        return 0;
}

const OciValueType value_type_mountpoint = { .name = "mount point", .parse = parse_mountpoint };
