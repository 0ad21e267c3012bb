/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* AddDevice=[-]HOST[:CONTAINER][:PERMISSIONS], or a CDI device; with the '-', a device the host lacks is
 * left out. */
#include <ctype.h>

#include "host.h"
#include "internal.h"

static bool host_has(const OciParse *p, const char *path) {
        const OciHost *host = p->host ? p->host : &oci_host_system;
        unsigned mode;
        return host->stat(path, &mode) >= 0;
}

/* A CDI device, VENDOR/CLASS=NAME (nvidia.com/gpu=all): the engine finds it in its CDI specs. */
static bool is_cdi_name(const char *s) {
        const char *slash = strchr(s, '/'), *eq = strchr(s, '=');
        if (s[0] == '/' || !slash || !eq || slash > eq || slash == s || eq == slash + 1 || !eq[1] || strchr(s, ':'))
                return false;
        for (const char *c = s; *c; c++)
                if (!isalnum((unsigned char) *c) && !strchr("._-/=", *c))
                        return false;
        return true;
}

static int parse_device(OciParse *p, const char *text) {
        static const char hint[] = " is not [-]HOSTDEVICE[:CONTAINERDEVICE][:PERMISSIONS], for example /dev/fuse or /dev/sdc:/dev/xvdc:rwm, "
                                   "or a CDI device, VENDOR/CLASS=NAME";
        bool optional = text[0] == '-';
        const char *s = optional ? text + 1 : text;
        if (is_cdi_name(s)) {
                /* Quadlet looks for a file of that name to leave an optional one out: there is none */
                if (optional)
                        return 0;
                OciItem *it = value_push(p, value_strdup(p, s));
                if (!it)
                        return -ENOMEM;
                it->device.host = it->text;
                it->device.cdi = true;
                return 0;
        }
        _cleanup_strv_free_ char **parts = NULL;
        if (strv_split(s, ":", true, &parts) < 0)
                return -ENOMEM;
        size_t np = strv_length(parts);
        if (np > 3 || !path_is_normalized_absolute(parts[0]))
                return oci_parse_error(p, "%s", hint);
        /* the container's path comes second; the permissions, if any, last */
        for (size_t i = 1; i < np; i++) {
                bool last = i == np - 1;
                if (parts[i][0] == '/') {
                        if (i != 1 || !path_is_normalized_absolute(parts[i]))
                                return oci_parse_error(p, "%s", hint);
                } else if (!last || !*parts[i] || strspn(parts[i], "rwm") != strlen(parts[i]))
                        return oci_parse_error(p, "%s", hint);
        }
        if (optional && !host_has(p, parts[0])) {
                oci_diag(p->sink, LOG_DEBUG, p->loc.file, p->loc.line, oci_str(value_option(p)->key),
                         "optional device %s does not exist, leaving it out", parts[0]);
                return 0;
        }

        const char *ctr = np > 1 && parts[1][0] == '/' ? parts[1] : NULL;
        const char *perms = np > 1 && parts[np - 1][0] != '/' ? parts[np - 1] : NULL;
        OciDevice dev = {
                .host = value_strdup(p, parts[0]),
                .container = ctr ? value_strdup(p, ctr) : NULL,
                .permissions = perms ? value_strdup(p, perms) : NULL,
        };
        OciItem *it = NULL;
        if (dev.host && (!ctr || dev.container) && (!perms || dev.permissions))
                it = value_push(p, value_strdup(p, s));
        if (!it)
                return -ENOMEM;
        it->device = dev;
        return 0;
}

/* systemd-nspawn binds the device, --bind=HOST:CONTAINER; the others take the text. */
static int format_device(const OciItem *it, OciBackendId b, StrBuf *out) {
        const OciDevice *d = &it->device;
        if (b != OCI_BACKEND_NSPAWN)
                return strbuf_puts(out, it->text);
        return strbuf_printf(out, "%s:%s", d->host, d->container ? d->container : d->host);
}

const OciValueType value_type_device = {
        .name = "device",
        .parse = parse_device,
        .format = format_device,
};
