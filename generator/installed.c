/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The units installed on the system that a generated unit would take the place of. systemd reads
 * a generator's output (the normal directory) after /etc/systemd/system and /run/systemd/system
 * but before the units that packages install, so a definition named like one of those replaces
 * it: dbus.container would be dbus.service. The directories that come after the output are looked
 * in; those that come before it win over a generated unit, which is the administrator's choice,
 * and are not. */
#include <assert.h>
#include <sys/stat.h>
#include <unistd.h>

#include "generator.h"
#include "log.h"

char **systemd_unit_dirs(bool user, bool before_output) {
        const char *env = getenv("OCI_CONTAINERS_SYSTEMD_UNIT_DIRS");
        char **dirs = NULL;
        if (env)
                return strv_split(env, ":", false, &dirs) < 0 ? NULL : dirs;
        int r = 0;
        const char *home = getenv("HOME");
        if (!user) {
                static const char *const before[] = { "/etc/systemd/system", "/run/systemd/system" };
                static const char *const after[] = { "/usr/local/lib/systemd/system", "/usr/lib/systemd/system", "/lib/systemd/system" };
                for (size_t i = 0; before_output && r >= 0 && i < ELEMENTSOF(before); i++)
                        r = strv_extend(&dirs, before[i]);
                for (size_t i = 0; r >= 0 && i < ELEMENTSOF(after); i++)
                        r = strv_extend(&dirs, after[i]);
                return r < 0 ? strv_free(dirs) : dirs;
        }
        if (before_output) {
                const char *config = getenv("XDG_CONFIG_HOME"), *runtime = getenv("XDG_RUNTIME_DIR");
                if (config && *config)
                        r = strv_extendf(&dirs, "%s/systemd/user", config);
                else if (home && *home)
                        r = strv_extendf(&dirs, "%s/.config/systemd/user", home);
                if (r >= 0)
                        r = strv_extend(&dirs, "/etc/systemd/user");
                if (r >= 0 && runtime && *runtime)
                        r = strv_extendf(&dirs, "%s/systemd/user", runtime);
                if (r >= 0)
                        r = strv_extend(&dirs, "/run/systemd/user");
        }
        const char *data_home = getenv("XDG_DATA_HOME"), *data_dirs = getenv("XDG_DATA_DIRS");
        if (r >= 0 && data_home && *data_home)
                r = strv_extendf(&dirs, "%s/systemd/user", data_home);
        else if (r >= 0 && home && *home)
                r = strv_extendf(&dirs, "%s/.local/share/systemd/user", home);
        _cleanup_strv_free_ char **data = NULL;
        if (r >= 0)
                r = strv_split(data_dirs && *data_dirs ? data_dirs : "/usr/local/share:/usr/share", ":", false, &data);
        for (char **d = data; r >= 0 && *d; d++)
                r = strv_extendf(&dirs, "%s/systemd/user", *d);
        static const char *const rest[] = { "/usr/local/lib/systemd/user", "/usr/lib/systemd/user", "/lib/systemd/user" };
        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(rest); i++)
                r = strv_extend(&dirs, rest[i]);
        return r < 0 ? strv_free(dirs) : dirs;
}

/* Every NAME.service of dir that no earlier directory had, with its path. */
static int read_unit_dir(Generator *g, const char *dir) {
        DIR *dp = opendir(dir);
        if (!dp) {
                if (errno != ENOENT)
                        log_msg(LOG_DEBUG, "Cannot read %s to look for installed units: %s", dir, strerror(errno));
                return 0;
        }
        int r = 0;
        struct dirent *de;
        while (r >= 0 && (de = readdir(dp))) {
                /* a generated unit is always a service: nothing else can be replaced */
                if (de->d_name[0] == '.' || de->d_type == DT_DIR || !endswith(de->d_name, ".service") ||
                    hashmap_get(&g->installed, de->d_name))
                        continue;
                _cleanup_free_ char *p = path_join(dir, de->d_name);
                char *path = p ? arena_strdup(&g->arena, p) : NULL;
                if (!path) {
                        r = -ENOMEM;
                        break;
                }
                r = hashmap_put(&g->installed, strrchr(path, '/') + 1, path);
        }
        closedir(dp);
        return r;
}

/* The directories, each once: /lib is often /usr/lib. */
static int installed_dirs(Generator *g) {
        _cleanup_strv_free_ char **dirs = systemd_unit_dirs(g->user, false);
        if (!dirs)
                return -ENOMEM;
        struct DirId {
                dev_t dev;
                ino_t ino;
        } seen[16];
        size_t n_seen = 0;
        char **kept = calloc(1, sizeof(char *));
        if (!kept)
                return -ENOMEM;
        for (char **d = dirs; *d; d++) {
                struct stat st;
                if (stat(*d, &st) < 0 || !S_ISDIR(st.st_mode))
                        continue;
                bool again = false;
                for (size_t i = 0; i < n_seen; i++)
                        again = again || (seen[i].dev == st.st_dev && seen[i].ino == st.st_ino);
                if (again)
                        continue;
                if (n_seen < ELEMENTSOF(seen))
                        seen[n_seen++] = (struct DirId) { st.st_dev, st.st_ino };
                if (strv_extend(&kept, *d) < 0) {
                        strv_free(kept);
                        return -ENOMEM;
                }
        }
        g->installed_dirs = kept;
        return 0;
}

/* A few names are looked up one by one (a run with one definition reads no directory); past
 * that, each directory is read once into a map. */
#define LOOKUPS_ONE_BY_ONE 32u

int find_installed(Generator *g, const char *unit, const char **ret) {
        assert(g && unit && ret);
        *ret = NULL;
        if (!g->installed_dirs) {
                int r = installed_dirs(g);
                if (r < 0)
                        return r;
        }
        if (g->installed_lookups < LOOKUPS_ONE_BY_ONE) {
                g->installed_lookups++;
                for (char **d = g->installed_dirs; *d; d++) {
                        _cleanup_free_ char *p = path_join(*d, unit);
                        struct stat st;
                        if (!p)
                                return -ENOMEM;
                        if (lstat(p, &st) < 0 || S_ISDIR(st.st_mode))
                                continue;
                        if (!(*ret = arena_strdup(&g->arena, p)))
                                return -ENOMEM;
                        return 0;
                }
                return 0;
        }
        if (g->installed_lookups == LOOKUPS_ONE_BY_ONE) {
                for (char **d = g->installed_dirs; *d; d++) {
                        int r = read_unit_dir(g, *d);
                        if (r < 0)
                                return r;
                }
                g->installed_lookups++;
        }
        *ret = hashmap_get(&g->installed, unit);
        return 0;
}

/* Whether the service manager has a unit file of this name (or, for an instance, of its
 * template) in a directory of its search path: the generator's output would hide one in
 * /usr/lib, and is hidden by one in /etc. */
bool unit_file_exists(const Generator *g, const char *unit) {
        _cleanup_strv_free_ char **dirs = systemd_unit_dirs(g->user, true);
        if (!dirs)
                return true; /* cannot tell: keep out of the way */
        const char *at = strchr(unit, '@');
        _cleanup_free_ char *tmpl = at && at[1] != '.' ? xasprintf("%.*s@.service", (int) (at - unit), unit) : NULL;
        struct stat st;
        for (char **d = dirs; *d; d++) {
                _cleanup_free_ char *p = path_join(*d, unit), *t = tmpl ? path_join(*d, tmpl) : NULL;
                if (!p || lstat(p, &st) == 0 || (t && lstat(t, &st) == 0))
                        return true;
        }
        return false;
}
