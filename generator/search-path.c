/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The search path and what it holds: a node for every definition file (the first of each name
 * wins, a link to /dev/null masks it), and which directories hold which drop-in directories. Only
 * file names are read here; the files are read when they are processed. */
#include <assert.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "config.h"
#include "generator.h"
#include "escape.h"
#include "log.h"

/* A subdirectory "NAME.EXT.d" of some directories of the search path: drop-ins for definitions. */
typedef struct DropinDir {
        unsigned mask; /* bit i: directory i of the search path has it (the last bit: any later one) */
        char name[];
} DropinDir;

static unsigned dir_bit(size_t index) {
        return 1u << (index < sizeof(unsigned) * 8 - 1 ? index : sizeof(unsigned) * 8 - 1);
}

char **search_path(bool user) {
        char **dirs = NULL;
        const char *env = getenv("OCI_CONTAINERS_UNIT_DIRS");
        if (env)
                return strv_split(env, ":", false, &dirs) < 0 ? NULL : dirs;
        int r = 0;
        if (!user) {
                r = strv_extend(&dirs, SYSCONF_DIR "/oci-containers.d");
                if (r >= 0)
                        r = strv_extend(&dirs, "/run/oci-containers.d");
                if (r >= 0)
                        r = strv_extend(&dirs, VENDOR_DIR "/oci-containers.d");
        } else {
                const char *config = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
                const char *runtime = getenv("XDG_RUNTIME_DIR");
                if (config && *config)
                        r = strv_extendf(&dirs, "%s/oci-containers.d", config);
                else if (home && *home)
                        r = strv_extendf(&dirs, "%s/.config/oci-containers.d", home);
                if (r >= 0 && runtime && *runtime)
                        r = strv_extendf(&dirs, "%s/oci-containers.d", runtime);
                if (r >= 0)
                        r = strv_extendf(&dirs, SYSCONF_DIR "/oci-containers.d/users/%u", (unsigned) getuid());
                if (r >= 0)
                        r = strv_extend(&dirs, SYSCONF_DIR "/oci-containers.d/users");
        }
        return r < 0 ? strv_free(dirs) : dirs;
}

bool is_masked(const char *path) {
        assert(path);
        struct stat st;
        if (stat(path, &st) < 0)
                return false;
        return S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3); /* /dev/null */
}

/* readdir() says what an entry is on most file systems; only a link, a device or "unknown" can be
 * a mask, so only those cost a stat(). */
bool entry_is_masked(const struct dirent *de, const char *path) {
        assert(de);
        assert(path);
        if (de->d_type != DT_LNK && de->d_type != DT_CHR && de->d_type != DT_UNKNOWN)
                return false;
        return is_masked(path);
}

bool search_path_has_dir(const Generator *g, const char *name) {
        assert(g);
        assert(name);
        return hashmap_get(&g->dropin_dirs, name) != NULL;
}

bool search_dir_has(const Generator *g, size_t i, const char *name) {
        assert(g);
        assert(name);
        const DropinDir *dd = hashmap_get(&g->dropin_dirs, name);
        return dd && (dd->mask & dir_bit(i));
}

static int cmp_name_type(const char *name, OciUnitType type, const Node *y) {
        int c = strcmp(name, y->summary.name);
        return c ? c : (int) oci_file_type(type)->order - (int) oci_file_type(y->summary.type)->order;
}

static int cmp_node(const void *a, const void *b) {
        const Node *x = *(const Node *const *) a;
        return cmp_name_type(x->summary.name, x->summary.type, *(const Node *const *) b);
}

Node *find_node(Generator *g, OciUnitType type, const char *name) {
        assert(g);
        assert(name);
        /* g->nodes is sorted by then: no map of the file names is kept for this */
        size_t lo = 0, hi = g->n_nodes;
        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                Node *n = g->nodes[mid];
                int c = cmp_name_type(name, type, n);
                if (c == 0)
                        return n->masked ? NULL : n;
                if (c < 0)
                        hi = mid;
                else
                        lo = mid + 1;
        }
        return NULL;
}

/* One allocation from the arena: the node, then "DIR/FILE", then the name. */
static int add_node(Generator *g, size_t index, const char *dir, const char *file, OciUnitType type, bool masked, bool wanted,
                    bool regular) {
        if (g->n_nodes % 256 == 0) {
                Node **nodes = realloc(g->nodes, (g->n_nodes + 256) * sizeof(Node *));
                if (!nodes)
                        return -ENOMEM;
                g->nodes = nodes;
        }
        size_t dl = dir ? strlen(dir) : 0, fl = strlen(file);
        const char *ext = oci_unit_type_extension(type);
        size_t nl = fl - strlen(ext);
        Node *n = arena_alloc(&g->arena, sizeof(Node) + dl + 1 + fl + 1 + nl + 1);
        if (!n)
                return -ENOMEM;
        char *p = n->buf;
        if (dir) {
                memcpy(p, dir, dl);
                p[dl] = '/';
                p += dl + 1;
        }
        memcpy(p, file, fl + 1);
        n->file = p;
        n->summary.path = n->buf;
        char *name = p + fl + 1;
        memcpy(name, file, nl);
        name[nl] = 0;
        n->summary.name = name;
        n->summary.type = type;
        n->masked = masked;
        n->wanted = wanted;
        n->regular = regular;
        n->dir = index < UINT_MAX ? (unsigned) index : UINT_MAX;
        g->nodes[g->n_nodes++] = n;
        return hashmap_put(&g->files, n->file, n);
}

static int add_dropin_dir(Generator *g, size_t index, const char *name) {
        DropinDir *dd = hashmap_get(&g->dropin_dirs, name);
        if (!dd) {
                size_t len = strlen(name);
                dd = calloc(1, sizeof(DropinDir) + len + 1);
                if (!dd || hashmap_put(&g->dropin_dirs, memcpy(dd->name, name, len + 1), dd) < 0) {
                        free(dd);
                        return -ENOMEM;
                }
        }
        dd->mask |= dir_bit(index);
        return 0;
}

/* What files beside definitions are, that are not definitions of another kind: the YAML a .kube
 * plays and its config maps, a build's files, backups, notes. */
static bool extension_is_data(const char *ext) {
        static const char *const data[] = {
                "bak", "cert", "cfg", "conf", "crt", "env", "gz", "ini", "json", "key", "lock", "log", "md", "old", "orig", "pem",
                "rpmnew", "rpmsave", "save", "sh", "swp", "tar", "tgz", "tmp", "toml", "txt", "xz", "yaml", "yml", "zip", "zst",
        };
        for (size_t i = 0; i < ELEMENTSOF(data); i++)
                if (streq(ext, data[i]))
                        return true;
        return false;
}

/* A file NAME.EXT that could be a definition of a kind this version does not know (a newer
 * Quadlet's, a misspelt extension): its name is a unit's, and EXT a word of lower-case letters that
 * names no kind of data. Said, so that it is not ignored without a word. */
static void warn_unknown_kind(Generator *g, const char *path, const char *file) {
        const char *dot = strrchr(file, '.');
        if (!dot || dot == file || !oci_unit_prefix_valid(file))
                return;
        const char *ext = dot + 1;
        size_t n = strlen(ext);
        if (n < 2 || n > 16 || strspn(ext, "abcdefghijklmnopqrstuvwxyz") != n || extension_is_data(ext))
                return;
        StrBuf known = {};
        oci_unit_type_list(&known, " and ");
        oci_diag(&g->sink, LOG_WARNING, path, 0, NULL, "a .%s file is not a definition this version knows (%s); ignoring it", ext,
                 known.s ? known.s : "");
        strbuf_done(&known);
}

/* An entry of directory 'index' of the search path, of that type of definition (or none) and a
 * drop-in directory's name or not: a node for a definition whose name no earlier directory had, or
 * a drop-in directory. */
static int take_entry(Generator *g, size_t index, const char *dir, const struct dirent *de, OciUnitType type, bool dotd,
                      bool wanted) {
        if (de->d_type != DT_REG && dotd)
                return add_dropin_dir(g, index, de->d_name);
        if (type < 0 && de->d_type != DT_DIR) {
                _cleanup_free_ char *path = path_join(dir, de->d_name);
                if (!path)
                        return -ENOMEM;
                warn_unknown_kind(g, path, de->d_name);
        }
        if (type < 0 || hashmap_get(&g->files, de->d_name))
                return 0;
        _cleanup_free_ char *path = path_join(dir, de->d_name);
        if (!path)
                return -ENOMEM;
        bool masked = entry_is_masked(de, path);
        if (masked)
                log_msg(LOG_DEBUG, "%s is masked", path);
        return add_node(g, index, dir, de->d_name, type, masked, wanted, de->d_type == DT_REG);
}

/* A template masked in a directory masks its instances in the later ones, as it hides the template
 * they are made from there: an instance file in the same directory as the mask, or an earlier one,
 * is the administrator's own and stays. */
static void mask_instances(Generator *g) {
        for (size_t i = 0; i < g->n_nodes; i++) {
                Node *n = g->nodes[i];
                const char *at = strchr(n->summary.name, '@');
                if (n->masked || !at || !at[1])
                        continue;
                char tmpl[NAME_MAX + 1];
                int k = snprintf(tmpl, sizeof(tmpl), "%.*s%s", (int) (at - n->summary.name + 1), n->summary.name,
                                 oci_unit_type_extension(n->summary.type));
                const Node *t = k > 0 && (size_t) k < sizeof(tmpl) ? hashmap_get(&g->files, tmpl) : NULL;
                if (t && t->masked && t->dir < n->dir) {
                        n->masked = true;
                        log_msg(LOG_DEBUG, "%s is masked: its template %s is", n->summary.path, t->summary.path);
                }
        }
}

/* --check with arguments: directories are the search path, files are taken as they are; the
 * directories of those files come last in the search path, so that what a file refers to, its
 * template and its drop-ins are found, but only what was named is checked in its turn. Returns the
 * search path in *ret and how many of its directories were named in *ret_n_wanted. */
static int check_arguments(Generator *g, char ***ret, size_t *ret_n_wanted) {
        _cleanup_strv_free_ char **dirs = NULL, **siblings = NULL;
        for (char **a = g->check_args; *a; a++) {
                struct stat st;
                if (stat(*a, &st) < 0) {
                        oci_diag(&g->sink, LOG_ERR, *a, 0, NULL, "cannot read: %s", strerror(errno));
                        continue;
                }
                if (S_ISDIR(st.st_mode)) {
                        if (strv_extend(&dirs, *a) < 0)
                                return -ENOMEM;
                        continue;
                }
                OciUnitType type = oci_unit_type_from_filename(*a);
                if (type < 0) {
                        StrBuf known = {};
                        oci_unit_type_list(&known, " or ");
                        oci_diag(&g->sink, LOG_ERR, *a, 0, NULL, "not a definition: the name must end in %s", known.s ? known.s : "");
                        strbuf_done(&known);
                        continue;
                }
                _cleanup_free_ char *cwd = getcwd(NULL, 0);
                _cleanup_free_ char *abs = **a == '/' || !cwd ? strdup(*a) : path_join(cwd, *a);
                if (!abs)
                        return -ENOMEM;
                char *slash = strrchr(abs, '/');
                if (hashmap_get(&g->files, slash + 1))
                        continue; /* the same name twice: the first one given */
                *slash = 0;
                /* named on the command line: before every directory, so no mask hides it */
                int r = add_node(g, 0, abs, slash + 1, type, false, true, false);
                if (r >= 0 && !strv_contains(siblings, abs))
                        r = strv_extend(&siblings, abs);
                if (r < 0)
                        return r;
        }
        *ret_n_wanted = strv_length(dirs);
        if (strv_move(&dirs, &siblings) < 0)
                return -ENOMEM;
        /* oci-containers install: what the files refer to may be installed already; those
         * directories come last, and what is in them is not checked in its turn */
        if (g->check_search_path) {
                _cleanup_strv_free_ char **sp = search_path(g->user);
                if (!sp)
                        return -ENOMEM;
                for (char **d = sp; *d; d++)
                        if (!strv_contains(dirs, *d) && strv_extend(&dirs, *d) < 0)
                                return -ENOMEM;
        }
        if (!dirs && !(dirs = calloc(1, sizeof(char *))))
                return -ENOMEM;
        *ret = TAKE_PTR(dirs);
        return 0;
}

/* The search path with the subdirectories of each directory after it, depth first in name order,
 * as Quadlet 5 reads them: not the drop-in directories (NAME.d), hidden ones or those named like a
 * definition (which are reported as such); each directory once, however links lead to it. Of the
 * administrator's directory, the system's generator leaves out users/ (the users' own), and a
 * user's leaves out the users/UID/ of the others. */
typedef struct Expansion {
        Generator *g;
        char **dirs;
        size_t n;
        HashMap seen; /* "DEV:INO" of the directories taken */
        const char *users; /* users/, or NULL when the search path came from the environment */
        bool user;
} Expansion;

#define SEARCH_DIRS_MAX 4096u

static int cmp_str(const void *a, const void *b) {
        return strcmp(*(const char *const *) a, *(const char *const *) b);
}

static bool all_digits(const char *s) {
        return *s && strspn(s, "0123456789") == strlen(s);
}

/* The entry's path in *ret when it is a subdirectory to read in its turn, else NULL (the entry is not
 * a drop-in directory nor named like a definition: the caller has told those apart). */
static int subdir_of(const Expansion *e, const char *dir, const struct dirent *de, char **ret) {
        const char *name = de->d_name;
        *ret = NULL;
        if (de->d_type != DT_DIR && de->d_type != DT_LNK && de->d_type != DT_UNKNOWN)
                return 0;
        char *path = path_join(dir, name);
        if (!path)
                return -ENOMEM;
        struct stat sub;
        bool take = stat(path, &sub) == 0 && S_ISDIR(sub.st_mode);
        /* the system's generator leaves users/ to the users; a user leaves the others' */
        if (take && e->users && (streq(path, e->users) ? !e->user : (e->user && streq(dir, e->users) && all_digits(name))))
                take = false;
        if (take)
                *ret = path;
        else
                free(path);
        return 0;
}

/* Directory DIR, as the next of the search path: its definitions and drop-in directories are taken
 * (one reading of it), then its subdirectories, each in its turn. */
static int expand_dir(Expansion *e, const char *dir, bool wanted) {
        struct stat st = {}; /* a directory that is not there has no identity: the key is not used */
        bool is_dir = stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
        char key[64];
        snprintf(key, sizeof(key), "%llu:%llu", (unsigned long long) st.st_dev, (unsigned long long) st.st_ino);
        if (is_dir && hashmap_get(&e->seen, key))
                return 0;
        if (e->n >= SEARCH_DIRS_MAX) {
                log_msg(LOG_WARNING, "More than %u directories in the search path; not reading %s", SEARCH_DIRS_MAX, dir);
                return 0;
        }
        char *copy = strdup(dir);
        if (strv_push_at(&e->dirs, e->n, copy) < 0)
                return -ENOMEM;
        size_t index = e->n++;
        if (is_dir) {
                char *k = strdup(key);
                if (!k || hashmap_put(&e->seen, k, k) < 0) {
                        free(k);
                        return -ENOMEM;
                }
        }
        DIR *dp = opendir(dir);
        if (!dp) {
                if (errno != ENOENT)
                        log_msg(LOG_WARNING, "Cannot read %s: %s", dir, strerror(errno));
                return 0;
        }
        _cleanup_strv_free_ char **subs = NULL;
        size_t n = 0;
        struct dirent *de;
        int r = 0;
        while (r >= 0 && (de = readdir(dp))) {
                if (de->d_name[0] == '.')
                        continue;
                OciUnitType type = oci_unit_type_from_filename(de->d_name);
                bool dotd = endswith(de->d_name, ".d");
                r = take_entry(e->g, index, copy, de, type, dotd, wanted);
                char *sub = NULL;
                if (r >= 0 && is_dir && type < 0 && !dotd)
                        r = subdir_of(e, dir, de, &sub);
                if (r >= 0 && sub)
                        r = strv_push_at(&subs, n++, sub);
        }
        closedir(dp);
        if (r < 0)
                return r;
        if (n > 1)
                qsort(subs, n, sizeof(char *), cmp_str);
        for (size_t i = 0; r >= 0 && i < n; i++)
                r = expand_dir(e, subs[i], wanted);
        return r;
}

static int expand_search_path(Generator *g, size_t n_wanted, bool from_env) {
        Expansion e = { .g = g, .users = from_env || g->check_args ? NULL : SYSCONF_DIR "/oci-containers.d/users", .user = g->user };
        int r = 0;
        for (size_t i = 0; r >= 0 && g->dirs[i]; i++)
                r = expand_dir(&e, g->dirs[i], i < n_wanted);
        for (size_t i = 0; i < e.seen.cap; i++)
                free(e.seen.slots[i].value);
        hashmap_done(&e.seen);
        if (r >= 0 && !e.dirs && !(e.dirs = calloc(1, sizeof(char *))))
                r = -ENOMEM;
        if (r < 0) {
                strv_free(e.dirs);
                return r;
        }
        strv_free(g->dirs);
        g->dirs = e.dirs;
        return 0;
}

int scan_search_path(Generator *g) {
        assert(g);
        size_t n_wanted_dirs = SIZE_MAX;
        if (g->check_args) {
                int r = check_arguments(g, &g->dirs, &n_wanted_dirs);
                if (r < 0)
                        return r;
        } else if (!(g->dirs = search_path(g->user)))
                return -ENOMEM;
        bool from_env = !g->check_args && getenv("OCI_CONTAINERS_UNIT_DIRS");
        /* SourcePath= and messages name files absolutely, whatever the search path said */
        for (char **dir = g->dirs; *dir; dir++)
                if (!path_is_absolute(*dir)) {
                        _cleanup_free_ char *cwd = getcwd(NULL, 0);
                        char *abs = cwd ? path_join(cwd, *dir) : NULL;
                        if (!abs)
                                return -ENOMEM;
                        free(*dir);
                        *dir = abs;
                }
        int k = expand_search_path(g, n_wanted_dirs, from_env);
        if (k < 0)
                return k;
        mask_instances(g);
        if (g->n_nodes > 1)
                qsort(g->nodes, g->n_nodes, sizeof(*g->nodes), cmp_node);
        /* from here on find_node() searches the sorted nodes: the map's memory serves the rest */
        hashmap_done(&g->files);
        return 0;
}

int node_dir_fd(Generator *g, const Node *n, const char **ret_name) {
        assert(g && n && ret_name);
        *ret_name = n->summary.path;
        if (!g->dirs)
                return AT_FDCWD;
        if (!g->dir_fds) {
                while (g->dirs[g->n_dir_fds])
                        g->n_dir_fds++;
                if (!(g->dir_fds = calloc(g->n_dir_fds + 1, sizeof(int))))
                        return AT_FDCWD;
        }
        /* a node of --check's arguments has its own directory, maybe not that of its index */
        size_t dl = (size_t) (n->file - n->buf);
        const char *dir = n->dir < g->n_dir_fds ? g->dirs[n->dir] : NULL;
        if (!dir || dl == 0 || strlen(dir) != dl - 1 || memcmp(dir, n->buf, dl - 1) != 0)
                return AT_FDCWD;
        int *slot = &g->dir_fds[n->dir];
        if (*slot == 0) {
                int fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
                *slot = fd < 0 ? -1 : fd + 1;
        }
        if (*slot < 0)
                return AT_FDCWD;
        *ret_name = n->file;
        return *slot - 1;
}
