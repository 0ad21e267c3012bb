/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading a definition whole: its template (for an instance), its own file, then its drop-ins; and
 * the defaults file with its drop-ins. Drop-ins are found the same way for both (see
 * find_dropins()); only the directories they are looked for in differ. */
#include <assert.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "generator.h"
#include "log.h"

static int cmp_basename(const void *a, const void *b) {
        const char *x = strrchr(*(char *const *) a, '/'), *y = strrchr(*(char *const *) b, '/');
        return strcmp(x ? x + 1 : *(char *const *) a, y ? y + 1 : *(char *const *) b);
}

/* The *.conf files in 'dirs' (NULL-terminated, the one that wins first), in the order they apply:
 * by file name; of two with the same name, the one in the earlier directory wins, and a link to
 * /dev/null masks the name. A directory that cannot be read has none. */
static int find_dropins(const char *const *dirs, char ***ret) {
        _cleanup_strv_free_ char **paths = NULL, **masks = NULL;
        HashMap taken = {}; /* file name -> its path; the keys live in paths and masks */
        int r = 0;
        for (const char *const *dir = dirs; r >= 0 && *dir; dir++) {
                DIR *dp = opendir(*dir);
                struct dirent *de;
                while (dp && r >= 0 && (de = readdir(dp))) {
                        if (de->d_name[0] == '.' || !endswith(de->d_name, ".conf") || hashmap_get(&taken, de->d_name))
                                continue;
                        char *p = path_join(*dir, de->d_name);
                        if (!p) {
                                r = -ENOMEM;
                                break;
                        }
                        const char *base = strrchr(p, '/') + 1;
                        r = strv_push(entry_is_masked(de, p) ? &masks : &paths, p);
                        if (r >= 0)
                                r = hashmap_put(&taken, base, p);
                }
                if (dp)
                        closedir(dp);
        }
        hashmap_done(&taken);
        if (r < 0)
                return r;
        size_t n = strv_length(paths);
        if (n > 1)
                qsort(paths, n, sizeof(char *), cmp_basename);
        *ret = TAKE_PTR(paths);
        return 0;
}

/* The directories whose *.conf files are drop-ins of d, most specific first, as systemd does for
 * units: NAME.EXT.d, for an instance its template's NAME@.EXT.d, then the name cut after each '-'
 * ("a-b-.EXT.d", "a-.EXT.d"), then "EXT.d" for every definition of the type. Only those the
 * search path holds: most definitions have none, and then this costs no system call. */
static int dropin_dir_names(Generator *g, const OciDefinition *d, char ***ret) {
        const char *ext = oci_unit_type_extension(d->type);
        char **names = NULL;
        char buf[NAME_MAX + 1];
        size_t plen = d->instance ? strcspn(d->name, "@") : strlen(d->name);
        int r = 0;
        for (size_t step = 0; r >= 0; step++) {
                int n;
                if (step == 0)
                        n = snprintf(buf, sizeof(buf), "%s%s.d", d->name, ext);
                else if (step == 1) {
                        if (!d->instance || !*d->instance)
                                continue;
                        n = snprintf(buf, sizeof(buf), "%.*s@%s.d", (int) plen, d->name, ext);
                } else if (step - 2 < plen) {
                        size_t i = plen - (step - 2);
                        if (d->name[i - 1] != '-' || i >= plen)
                                continue;
                        n = snprintf(buf, sizeof(buf), "%.*s%s.d", (int) i, d->name, ext);
                } else if (step - 2 == plen)
                        n = snprintf(buf, sizeof(buf), "%s.d", ext + 1);
                else
                        break;
                if (n < 0 || (size_t) n >= sizeof(buf) || !search_path_has_dir(g, buf))
                        continue;
                r = strv_extend(&names, buf);
        }
        if (r < 0)
                return strv_free(names), r;
        *ret = names;
        return 0;
}

/* Every drop-in of d, in the order they apply. Of two with the same name, the one in the earlier
 * directory of the search path wins, then the one in the more specific directory name. */
static int definition_dropins(Generator *g, const OciDefinition *d, char ***ret) {
        _cleanup_strv_free_ char **names = NULL, **dirs = NULL;
        int r = dropin_dir_names(g, d, &names);
        if (r < 0)
                return r;
        if (!names) {
                *ret = NULL;
                return 0;
        }
        for (size_t i = 0; g->dirs[i]; i++)
                for (char **n = names; *n; n++)
                        if (search_dir_has(g, i, *n) && strv_push(&dirs, path_join(g->dirs[i], *n)) < 0)
                                return -ENOMEM;
        if (!dirs) {
                *ret = NULL;
                return 0;
        }
        return find_dropins((const char *const *) dirs, ret);
}

static bool same_file(const char *a, const char *b) {
        struct stat sa, sb;
        return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* The template of an instance, NAME@.EXT, if the search path has it. */
static const Node *find_template(Generator *g, const OciDefinition *d) {
        if (!d->instance || !*d->instance)
                return NULL;
        char tname[NAME_MAX + 1];
        size_t plen = strcspn(d->name, "@") + 1;
        if (plen >= sizeof(tname))
                return NULL;
        memcpy(tname, d->name, plen);
        tname[plen] = 0;
        return find_node(g, d->type, tname);
}

int load_definition(Generator *g, OciDefinition *d) {
        assert(g);
        assert(d);
        unsigned sections = oci_unit_type_sections(d->type);
        int r = 0;
        const Node *t = find_template(g, d);
        if (t)
                GATHER_OR_RETURN(r, oci_parse_dropin(d, t->summary.path, sections, &g->sink));
        /* an instance that is a link to its template: the text once */
        if (!t || !same_file(t->summary.path, d->path))
                GATHER_OR_RETURN(r, oci_parse_file(d, sections, &g->sink));
        _cleanup_strv_free_ char **dropins = NULL;
        int k = definition_dropins(g, d, &dropins);
        if (k < 0)
                return k;
        for (char **p = dropins; p && *p; p++) {
                log_msg(LOG_DEBUG, "%s: drop-in %s", d->path, *p);
                GATHER_OR_RETURN(r, oci_parse_dropin(d, *p, sections, &g->sink));
        }
        return r;
}

/* The defaults file, then its drop-ins. $OCI_CONTAINERS_CONF names the file and leaves out the
 * drop-ins ("" for none at all); otherwise the first unmasked one of SYSCONF_DIR and VENDOR_DIR,
 * and the drop-ins of SYSCONF_DIR, /run and VENDOR_DIR, the earlier directory winning. */
static int defaults_files(char ***ret) {
        _cleanup_strv_free_ char **files = NULL;
        const char *env = getenv("OCI_CONTAINERS_CONF");
        if (env) {
                if (*env && access(env, F_OK) == 0 && strv_extend(&files, env) < 0)
                        return -ENOMEM;
                *ret = TAKE_PTR(files);
                return 0;
        }
        static const char *const mains[] = { SYSCONF_DIR "/oci-containers.conf", VENDOR_DIR "/oci-containers.conf" };
        for (size_t i = 0; i < ELEMENTSOF(mains); i++)
                if (access(mains[i], F_OK) == 0 && !is_masked(mains[i])) {
                        if (strv_extend(&files, mains[i]) < 0)
                                return -ENOMEM;
                        break;
                }
        static const char *const dropin_dirs[] = { SYSCONF_DIR "/oci-containers.conf.d", "/run/oci-containers.conf.d",
                                                   VENDOR_DIR "/oci-containers.conf.d", NULL };
        _cleanup_strv_free_ char **dropins = NULL;
        int r = find_dropins(dropin_dirs, &dropins);
        if (r < 0)
                return r;
        if (strv_move(&files, &dropins) < 0)
                return -ENOMEM;
        *ret = TAKE_PTR(files);
        return 0;
}

int load_defaults(Generator *g) {
        assert(g);
        _cleanup_strv_free_ char **files = NULL;
        int r = defaults_files(&files);
        if (r < 0)
                return r;
        /* the main file, then its drop-ins on top, each reported under its own path; with no main
         * file, the first drop-in takes its place */
        g->defaults = oci_definition_new(files ? files[0] : "oci-containers.conf", _OCI_UNIT_TYPE_INVALID);
        if (!g->defaults)
                return -ENOMEM;
        bool bad = false;
        for (char **f = files; f && *f; f++) {
                r = f == files ? oci_parse_file(g->defaults, OCI_DEFAULTS_SECTIONS, &g->sink)
                               : oci_parse_dropin(g->defaults, *f, OCI_DEFAULTS_SECTIONS, &g->sink);
                if (r == -ENOMEM)
                        return r;
                bad = bad || r < 0;
        }
        r = oci_check_defaults(g->defaults, &g->sink);
        if (r == -ENOMEM)
                return r;
        if (r < 0 || bad) {
                /* wrong defaults would change every unit in ways nobody asked for: use none */
                log_msg(LOG_ERR, "Ignoring the defaults file because of the errors above; using built-in defaults");
                oci_definition_free(g->defaults);
                g->defaults = NULL;
                g->n_failed++;
        }
        return 0;
}
