/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The facts of the machine the generator runs on: accounts, subordinate IDs, lingering, files. */
#include <assert.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host.h"

static int system_user(const char *name, unsigned *ret_uid, char **ret_home) {
        assert(name && ret_uid && ret_home);
        struct passwd *pw = getpwnam(name);
        if (!pw)
                return -ENOENT;
        *ret_uid = (unsigned) pw->pw_uid;
        *ret_home = NULL;
        if (pw->pw_dir && !(*ret_home = strdup(pw->pw_dir)))
                return -ENOMEM;
        return 0;
}

static bool system_group_exists(const char *name) {
        return getgrnam(name) != NULL;
}

static bool system_has_subuid(const char *user, unsigned uid) {
        FILE *f = fopen("/etc/subuid", "re");
        if (!f)
                return false;
        char line[512], uidstr[16];
        snprintf(uidstr, sizeof(uidstr), "%u", uid);
        bool found = false;
        while (!found && fgets(line, sizeof(line), f)) {
                size_t n = strcspn(line, ":");
                found = (n == strlen(user) && strncmp(line, user, n) == 0) || (n == strlen(uidstr) && strncmp(line, uidstr, n) == 0);
        }
        fclose(f);
        return found;
}

static bool system_lingers(const char *user) {
        char path[512];
        snprintf(path, sizeof(path), "/var/lib/systemd/linger/%s", user);
        return access(path, F_OK) == 0;
}

static int system_stat(const char *path, unsigned *ret_mode) {
        struct stat st;
        if (stat(path, &st) < 0)
                return -errno;
        *ret_mode = (unsigned) st.st_mode;
        return 0;
}

const OciHost oci_host_system = {
        .user = system_user,
        .group_exists = system_group_exists,
        .has_subuid = system_has_subuid,
        .lingers = system_lingers,
        .stat = system_stat,
};
