/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What checking a definition may ask of the machine, behind one small interface: the library
 * reads no file of the host itself, so that unit tests can give it the facts they need. */

#include "util.h"

typedef struct OciHost {
        /* The account NAME: 0 with *ret_uid and *ret_home (malloc'd, may be NULL), -ENOENT when there
         * is none, -ENOMEM. */
        int (*user)(const char *name, unsigned *ret_uid, char **ret_home);
        /* The group NAME: 0 with *ret_gid, -ENOENT when there is none. */
        int (*group)(const char *name, unsigned *ret_gid);
        /* Does /etc/subuid give USER (or its UID) a range? */
        bool (*has_subuid)(const char *user, unsigned uid);
        /* Is lingering on for USER (its service manager runs without a session)? */
        bool (*lingers)(const char *user);
        /* stat(): 0 with *ret_mode (st_mode), or -errno. */
        int (*stat)(const char *path, unsigned *ret_mode);
        /* The version of the podman binary at PATH (absolute), as OCI_PODMAN_VERSION(major, minor);
         * 0 when it cannot be told (no such program, no answer in time, an answer not understood). */
        unsigned (*podman_version)(const char *path);
} OciHost;

#define OCI_PODMAN_VERSION(major, minor) ((major) * 100u + (minor))

/* "MAJOR.MINOR[...]" at the start of s (what follows the minor is not looked at) as
 * OCI_PODMAN_VERSION(); 0 when s does not start so. */
unsigned oci_podman_version_parse(const char *s);

/* The machine the program runs on. */
extern const OciHost oci_host_system;
