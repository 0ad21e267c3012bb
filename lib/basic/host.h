/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What checking a definition may ask of the machine, behind one small interface: the library
 * reads no file of the host itself, so that unit tests can give it the facts they need. */

#include "util.h"

typedef struct OciHost {
        /* The account NAME: 0 with *ret_uid and *ret_home (malloc'd, may be NULL), -ENOENT when there
         * is none, -ENOMEM. */
        int (*user)(const char *name, unsigned *ret_uid, char **ret_home);
        bool (*group_exists)(const char *name);
        /* Does /etc/subuid give USER (or its UID) a range? */
        bool (*has_subuid)(const char *user, unsigned uid);
        /* Is lingering on for USER (its service manager runs without a session)? */
        bool (*lingers)(const char *user);
        /* stat(): 0 with *ret_mode (st_mode), or -errno. */
        int (*stat)(const char *path, unsigned *ret_mode);
} OciHost;

/* The machine the program runs on. */
extern const OciHost oci_host_system;
