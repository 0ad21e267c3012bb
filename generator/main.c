/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* oci-containers-generator: turns container definitions into systemd services.
 *
 *   oci-containers-generator [--user] NORMAL_DIR [EARLY_DIR LATE_DIR]
 *   oci-containers-generator [--user] --dry-run
 *
 * The file names of the search path are read first (a small node each). Then the definitions are
 * processed one at a time, by name: parse, validate, render, write, free. When validation meets a
 * reference to another definition (DependsOn=, NAME.network, NAME.volume, NAME.pod), that one is
 * processed first, so its unit name and its failure are known; a reference back to a definition
 * still being processed is a dependency cycle. A pod's members link themselves into its .wants/,
 * so a pod is written like any other definition, before its members. Memory grows with the number of files, not with what they hold. A definition that fails
 * is reported and skipped; the others are still generated. */
#include <dirent.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "hashmap.h"
#include "render.h"

/* Every definition file found, by its file name. A node is small: what other definitions need to
 * refer to it. Its parsed definition lives only while it is processed, so memory grows with the
 * number of files, not with what they hold. */
typedef enum NodeState {
        NODE_NEW,  /* not processed yet */
        NODE_BUSY, /* being processed: it is on the stack, waiting for what it refers to */
        NODE_DONE,
} NodeState;

typedef struct Node {
        OciUnitType type;
        NodeState state;
        bool masked;
        bool wanted;         /* processed in its turn; else only when another refers to it */
        bool failed;
        bool ports_given;    /* a docker pod: its ports went to a member */
        OciBackendId backend;
        OciRef ref;          /* name, path, unit_name, resource: what lookups answer */
        OciDefinition *def;  /* while it is processed */
        char **pod_ports;    /* a docker pod: PublishPort=, for its first member */
        const char *pod_ports_file;
        unsigned pod_ports_line;
        struct Node **deps;  /* the nodes its validation looked up */
        size_t n_deps;
        char *file;          /* the file name, the map's key */
        char buf[];          /* path, then name */
} Node;

/* What lives until the end (nodes, unit names, ports) comes from blocks of its own, apart from the
 * definitions that come and go: no malloc() header per string, and no holes between them. */
typedef struct ArenaBlock {
        struct ArenaBlock *next;
        size_t used, size;
        max_align_t data[];
} ArenaBlock;

static void *arena_alloc(ArenaBlock **arena, size_t size) {
        size = (size + 7) & ~(size_t) 7;
        ArenaBlock *b = *arena;
        if (!b || b->size - b->used < size) {
                size_t bs = size > 32768 ? size : 32768;
                ArenaBlock *n = malloc(sizeof(ArenaBlock) + bs);
                if (!n)
                        return NULL;
                *n = (ArenaBlock) { .next = b, .size = bs };
                *arena = b = n;
        }
        void *p = (char *) b->data + b->used;
        b->used += size;
        return memset(p, 0, size);
}

static char *arena_strdup(ArenaBlock **arena, const char *s) {
        size_t n = strlen(s) + 1;
        char *p = arena_alloc(arena, n);
        return p ? memcpy(p, s, n) : NULL;
}

static void arena_free(ArenaBlock *b) {
        while (b) {
                ArenaBlock *next = b->next;
                free(b);
                b = next;
        }
}

/* A PublishPort= of a definition generated already. The bit maps say which ports of the common
 * protocols are taken at all, so the list is only searched when a port may be in use. */
typedef struct PortUse {
        struct PortUse *next;
        const Node *owner;
        unsigned lo, hi;
        char *addr;  /* into item's copy: "" for every address */
        char proto[8];
        char item[]; /* the PublishPort= value, for the message; then the address */
} PortUse;

typedef struct PortMap {
        PortUse *head, **tail; /* in the order they were taken */
        unsigned char taken[65536 / 8]; /* port numbers in use, whatever the protocol */
} PortMap;

typedef struct Generator {
        bool user;
        bool dry_run;
        bool check;         /* --check: report, write nothing */
        char **check_args;  /* --check FILE|DIR...: what to check instead of the search path */
        const char *output; /* the normal output directory */
        size_t output_len;
        char **dirs;        /* the search path, absolute */
        OciDiagSink sink;
        OciDefaults *defaults;
        OciValidateContext vctx;
        OciRenderContext rctx;
        Node **nodes;       /* by name, then type */
        size_t n_nodes;
        HashMap files;      /* file name -> Node */
        HashMap dropin_dirs;/* "NAME.EXT.d" found in some directory of the search path -> DropinDir */
        HashMap units;      /* unit name -> Node that makes it */
        HashMap aliases;    /* Alias= -> Node */
        PortMap *ports;
        ArenaBlock *arena;  /* nodes, unit names, resources, ports */
        HashMap made_dirs;  /* subdirectories of the output made already */
        char **made_dir_names;
        OciDefinition **spare; /* definitions done with, for the next ones to reuse */
        size_t n_spare;
        Node **stack;       /* nodes being processed, outermost first */
        size_t depth, depth_max;
        int error;          /* -ENOMEM met inside a lookup */
        unsigned n_failed;
} Generator;

/* Following a reference nests one more definition on the stack (about 3 KiB of it each; this
 * allows five times that). The stack limit is raised where the hard limit allows, so chains of
 * thousands work; past what the stack can hold, a chain is refused, not followed into a crash. */
#define DEPTH_STACK_PER_LEVEL (16u << 10)
#define DEPTH_HARD_MAX 4096u
#define DEPTH_STACK_WANTED ((rlim_t) DEPTH_HARD_MAX * DEPTH_STACK_PER_LEVEL)

static unsigned dependency_depth_max(void) {
        struct rlimit rl;
        if (getrlimit(RLIMIT_STACK, &rl) < 0)
                return 64;
        if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < DEPTH_STACK_WANTED &&
            (rl.rlim_max == RLIM_INFINITY || rl.rlim_max > rl.rlim_cur)) {
                struct rlimit want = rl;
                want.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > DEPTH_STACK_WANTED ? DEPTH_STACK_WANTED : rl.rlim_max;
                if (setrlimit(RLIMIT_STACK, &want) == 0)
                        rl = want;
        }
        if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= DEPTH_STACK_WANTED)
                return DEPTH_HARD_MAX;
        /* what is not ours: the frames below generate() and the libraries' own */
        rlim_t usable = rl.rlim_cur > (256u << 10) ? rl.rlim_cur - (256u << 10) : 0;
        unsigned n = (unsigned) (usable / DEPTH_STACK_PER_LEVEL);
        return n < 16 ? 16 : n;
}

static void generator_done(Generator *g) {
        for (size_t i = 0; i < g->n_nodes; i++) {
                Node *n = g->nodes[i];
                oci_definition_free(n->def);
                strv_free(n->pod_ports);
                free(n->deps);

        }
        free(g->nodes);
        free(g->ports);
        for (size_t i = 0; i < g->dropin_dirs.cap; i++)
                if (g->dropin_dirs.slots[i].key)
                        free(g->dropin_dirs.slots[i].value);
        hashmap_done(&g->files);
        hashmap_done(&g->dropin_dirs);
        hashmap_done(&g->units);
        hashmap_done(&g->aliases);
        hashmap_done(&g->made_dirs);
        strv_free(g->made_dir_names);
        free(g->stack);
        for (size_t i = 0; i < g->n_spare; i++)
                oci_definition_free(g->spare[i]);
        free(g->spare);
        arena_free(g->arena);
        strv_free(g->dirs);
        oci_definition_free(g->defaults);
}

/* ---- the search path ---- */

static char **search_path(bool user) {
        char **dirs = NULL;
        const char *env = getenv("OCI_CONTAINERS_UNIT_DIRS");
        if (env) {
                const char *p = env;
                while (*p) {
                        size_t n = strcspn(p, ":");
                        if (n > 0 && strv_push(&dirs, strndup(p, n)) < 0)
                                return strv_free(dirs);
                        p += n + (p[n] == ':');
                }
                return dirs ? dirs : calloc(1, sizeof(char *));
        }
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

static bool is_masked(const char *path) {
        struct stat st;
        if (stat(path, &st) < 0)
                return false;
        return S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3); /* /dev/null */
}

/* readdir() says what an entry is on most file systems; only a link, a device or "unknown" can be
 * a mask, so only those cost a stat(). */
static bool entry_is_masked(const struct dirent *de, const char *path) {
        if (de->d_type != DT_LNK && de->d_type != DT_CHR && de->d_type != DT_UNKNOWN)
                return false;
        return is_masked(path);
}

static int cmp_node(const void *a, const void *b) {
        const Node *x = *(const Node *const *) a, *y = *(const Node *const *) b;
        int c = strcmp(x->ref.name, y->ref.name);
        return c ? c : (int) x->type - (int) y->type;
}

static Node *find_node(Generator *g, OciUnitType type, const char *name) {
        const char *ext = oci_unit_type_extension(type);
        char key[NAME_MAX + 1];
        size_t nl = strlen(name), el = strlen(ext);
        if (nl + el >= sizeof(key))
                return NULL;
        memcpy(key, name, nl);
        memcpy(key + nl, ext, el + 1);
        Node *n = hashmap_get(&g->files, key);
        return n && !n->masked ? n : NULL;
}

static int add_node(Generator *g, const char *dir, const char *file, OciUnitType type, bool masked, bool wanted) {
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
        n->ref.path = n->buf;
        char *name = p + fl + 1;
        memcpy(name, file, nl);
        name[nl] = 0;
        n->ref.name = name;
        n->type = type;
        n->masked = masked;
        n->wanted = wanted;
        g->nodes[g->n_nodes++] = n;
        return hashmap_put(&g->files, n->file, n);
}

/* A directory of the search path: its definitions, and which drop-in directories it holds. A name
 * found in an earlier directory hides the same name in later ones, and a link to /dev/null masks it. */
typedef struct DropinDir {
        unsigned mask; /* bit i: directory i of the search path has it (the last bit: any later one) */
        char name[];
} DropinDir;

static int read_dir(Generator *g, size_t index, const char *dir, bool wanted) {
        DIR *dp = opendir(dir);
        if (!dp) {
                if (errno != ENOENT)
                        log_msg(LOG_WARNING, "Cannot read %s: %s", dir, strerror(errno));
                return 0;
        }
        unsigned bit = 1u << (index < sizeof(unsigned) * 8 - 1 ? index : sizeof(unsigned) * 8 - 1);
        int r = 0;
        struct dirent *de;
        while (r >= 0 && (de = readdir(dp))) {
                if (de->d_name[0] == '.')
                        continue;
                if (de->d_type != DT_REG && endswith(de->d_name, ".d")) {
                        DropinDir *dd = hashmap_get(&g->dropin_dirs, de->d_name);
                        if (!dd) {
                                size_t len = strlen(de->d_name);
                                dd = calloc(1, sizeof(DropinDir) + len + 1);
                                if (!dd || hashmap_put(&g->dropin_dirs, memcpy(dd->name, de->d_name, len + 1), dd) < 0) {
                                        free(dd);
                                        r = -ENOMEM;
                                        break;
                                }
                        }
                        dd->mask |= bit;
                        continue;
                }
                OciUnitType type = oci_unit_type_from_filename(de->d_name);
                if (type < 0 || hashmap_get(&g->files, de->d_name))
                        continue;
                _cleanup_free_ char *path = path_join(dir, de->d_name);
                if (!path) {
                        r = -ENOMEM;
                        break;
                }
                bool masked = entry_is_masked(de, path);
                if (masked)
                        log_msg(LOG_DEBUG, "%s is masked", path);
                r = add_node(g, dir, de->d_name, type, masked, wanted);
        }
        closedir(dp);
        return r;
}

static int collect(Generator *g) {
        char **dirs = NULL, **siblings = NULL;
        size_t n_wanted_dirs = SIZE_MAX;
        int r;
        if (g->check_args) {
                /* --check with arguments: directories are the search path, files are taken as they are;
                 * the directories of those files come last in the search path, so that what a file
                 * refers to, its template and its drop-ins are found, but only what was named is
                 * checked in its turn */
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
                                oci_diag(&g->sink, LOG_ERR, *a, 0, NULL, "not a definition: the name must end in %s",
                                         oci_unit_type_extension(OCI_UNIT_CONTAINER));
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
                        r = add_node(g, abs, slash + 1, type, false, true);
                        if (r >= 0 && !strv_contains(siblings, abs))
                                r = strv_extend(&siblings, abs);
                        if (r < 0) {
                                strv_free(siblings);
                                return r;
                        }
                }
                n_wanted_dirs = strv_length(dirs);
                r = strv_move(&dirs, &siblings);
                if (r < 0)
                        return r;
                if (!dirs && !(dirs = calloc(1, sizeof(char *))))
                        return -ENOMEM;
        } else
                dirs = search_path(g->user);
        g->dirs = dirs;
        if (!dirs)
                return -ENOMEM;
        /* SourcePath= and messages name files absolutely, whatever the search path said */
        for (char **dir = dirs; *dir; dir++)
                if (!path_is_absolute(*dir)) {
                        _cleanup_free_ char *cwd = getcwd(NULL, 0);
                        char *abs = cwd ? path_join(cwd, *dir) : NULL;
                        if (!abs)
                                return -ENOMEM;
                        free(*dir);
                        *dir = abs;
                }
        for (size_t i = 0; dirs[i]; i++) {
                r = read_dir(g, i, dirs[i], i < n_wanted_dirs);
                if (r < 0)
                        return r;
        }
        if (g->n_nodes > 1)
                qsort(g->nodes, g->n_nodes, sizeof(*g->nodes), cmp_node);
        return 0;
}

/* ---- drop-ins and templates ---- */

static bool same_file(const char *a, const char *b) {
        struct stat sa, sb;
        return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
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
                if (n < 0 || (size_t) n >= sizeof(buf) || !hashmap_get(&g->dropin_dirs, buf))
                        continue;
                r = strv_extend(&names, buf);
        }
        if (r < 0)
                return strv_free(names), r;
        *ret = names;
        return 0;
}

static int cmp_basename(const void *a, const void *b) {
        const char *x = strrchr(*(char *const *) a, '/'), *y = strrchr(*(char *const *) b, '/');
        return strcmp(x ? x + 1 : *(char *const *) a, y ? y + 1 : *(char *const *) b);
}

/* Every drop-in of d, in the order they apply: by file name; of two with the same name, the one
 * in the earlier directory of the search path (then the more specific directory name) wins, and a
 * link to /dev/null masks the name. */
static int find_dropins(Generator *g, const OciDefinition *d, char ***ret) {
        _cleanup_strv_free_ char **names = NULL;
        HashMap taken = {};
        char **paths = NULL;
        int r = dropin_dir_names(g, d, &names);
        if (r < 0)
                return r;
        for (size_t i = 0; r >= 0 && names && g->dirs[i]; i++)
                for (char **n = names; r >= 0 && *n; n++) {
                        const DropinDir *dd = hashmap_get(&g->dropin_dirs, *n);
                        unsigned bit = 1u << (i < sizeof(unsigned) * 8 - 1 ? i : sizeof(unsigned) * 8 - 1);
                        if (!dd || !(dd->mask & bit))
                                continue;
                        _cleanup_free_ char *dpath = path_join(g->dirs[i], *n);
                        DIR *dp = dpath ? opendir(dpath) : NULL;
                        struct dirent *de;
                        while (dp && r >= 0 && (de = readdir(dp))) {
                                if (de->d_name[0] == '.' || !endswith(de->d_name, ".conf"))
                                        continue;
                                char *p = path_join(dpath, de->d_name);
                                if (!p) {
                                        r = -ENOMEM;
                                        break;
                                }
                                const char *base = strrchr(p, '/') + 1;
                                if (hashmap_get(&taken, base)) {
                                        free(p);
                                        continue;
                                }
                                bool masked = entry_is_masked(de, p);
                                r = strv_push(&paths, p);
                                /* the map's key lives in paths; a masked name is taken, then dropped below */
                                if (r >= 0)
                                        r = hashmap_put(&taken, base, masked ? (void *) 2 : (void *) 1);
                        }
                        if (dp)
                                closedir(dp);
                }
        if (r >= 0 && paths) {
                /* drop the masked ones, once no key of the map points into them any more */
                size_t n = strv_length(paths), k = 0;
                bool *masked = calloc(n, sizeof(bool));
                if (!masked)
                        r = -ENOMEM;
                for (size_t i = 0; masked && i < n; i++)
                        masked[i] = hashmap_get(&taken, strrchr(paths[i], '/') + 1) == (void *) 2;
                hashmap_done(&taken);
                for (size_t i = 0; masked && i < n; i++)
                        if (masked[i])
                                free(paths[i]);
                        else
                                paths[k++] = paths[i];
                if (masked) {
                        paths[k] = NULL;
                        qsort(paths, k, sizeof(char *), cmp_basename);
                }
                free(masked);
        }
        hashmap_done(&taken);
        if (r < 0)
                return strv_free(paths), r;
        *ret = paths;
        return 0;
}

/* A definition is its template's text (for an instance), its own text, then its drop-ins. */
static int load_definition(Generator *g, OciDefinition *d) {
        int r = 0, k;
        const Node *t = NULL;
        if (d->instance && *d->instance) {
                char tname[NAME_MAX + 1];
                size_t plen = strcspn(d->name, "@") + 1;
                if (plen < sizeof(tname)) {
                        memcpy(tname, d->name, plen);
                        tname[plen] = 0;
                        t = find_node(g, d->type, tname);
                }
        }
        if (t) {
                k = oci_parse_dropin(d, t->ref.path, oci_unit_type_sections(d->type), &g->sink);
                if (k == -ENOMEM)
                        return k;
                r = k < 0 ? k : r;
        }
        if (!t || !same_file(t->ref.path, d->path)) {
                k = oci_parse_file(d, oci_unit_type_sections(d->type), &g->sink);
                if (k == -ENOMEM)
                        return k;
                r = k < 0 ? k : r;
        }
        _cleanup_strv_free_ char **dropins = NULL;
        k = find_dropins(g, d, &dropins);
        if (k < 0)
                return k;
        for (char **p = dropins; p && *p; p++) {
                log_msg(LOG_DEBUG, "%s: drop-in %s", d->path, *p);
                k = oci_parse_dropin(d, *p, oci_unit_type_sections(d->type), &g->sink);
                if (k == -ENOMEM)
                        return k;
                r = k < 0 ? k : r;
        }
        return r;
}

/* ---- between definitions ---- */

/* Does 'value' name 'dep' as a whole word: "db", "db.container", "net.network:opts",
 * "source=vol.volume,..." but not "mydb"? */
static bool names(const char *value, const char *dep) {
        size_t n = strlen(dep);
        for (const char *p = strstr(value, dep); p; p = strstr(p + 1, dep))
                if ((p == value || strchr(" =,\"'", p[-1])) && (!p[n] || strchr(" .:,\"'", p[n])))
                        return true;
        return false;
}

/* The assignment of d that names dep (DependsOn=, Network=, Volume=, Mount=), for messages. */
static OciOptionId where_named(const OciDefinition *d, const char *dep, const OciEntry **ret) {
        static const OciOptionId keys[] = { OCI_OPT_DEPENDS_ON, OCI_OPT_NETWORK, OCI_OPT_VOLUME, OCI_OPT_MOUNT, OCI_OPT_POD };
        for (size_t i = 0; i < ELEMENTSOF(keys); i++) {
                const OciValue *v = &d->values[keys[i]];
                for (size_t k = v->n_entries; k > 0; k--)
                        if (names(v->entries[k - 1].value, dep)) {
                                *ret = &v->entries[k - 1];
                                return keys[i];
                        }
        }
        *ret = NULL;
        return _OCI_OPT_INVALID;
}

/* Requires=/BindsTo= in a circle cannot start: say which units make it, and generate none of
 * them. 'n' is on the stack: the circle is the stack from n up. */
static void report_cycle(Generator *g, Node *n) {
        size_t k = g->depth;
        while (k > 0 && g->stack[k - 1] != n)
                k--;
        if (k == 0)
                return;
        StrBuf b = {};
        for (size_t m = k - 1; m < g->depth; m++)
                strbuf_printf(&b, "%s -> ", g->stack[m]->ref.unit_name ? g->stack[m]->ref.unit_name : g->stack[m]->file);
        strbuf_puts(&b, n->ref.unit_name ? n->ref.unit_name : n->file);
        for (size_t m = k - 1; m < g->depth; m++) {
                Node *c = g->stack[m];
                if (!c->failed)
                        oci_diag(&g->sink, LOG_ERR, c->ref.path, 0, NULL, "dependency cycle: %s", b.s ? b.s : "?");
                c->failed = true;
        }
        strbuf_done(&b);
}

static int process(Generator *g, Node *n);

/* Make sure n is processed (or on the stack) before going on: what a definition refers to comes
 * first. Returns 0, or -ENOMEM. */
static int visit(Generator *g, Node *n) {
        if (n->state == NODE_BUSY) {
                report_cycle(g, n);
                return 0;
        }
        if (n->state == NODE_DONE)
                return 0;
        Node *self = g->stack[g->depth - 1];
        if (g->depth >= g->depth_max) {
                /* deeper would risk the stack: refused, whatever the chain is made of */
                if (!self->failed)
                        oci_diag(&g->sink, LOG_ERR, self->ref.path, 0, NULL,
                                 "%s is at the end of a chain of more than %zu definitions that depend on each other; "
                                 "make the chain shorter", n->file, g->depth_max);
                self->failed = true;
                return 0;
        }
        return process(g, n);
}

/* What oci_validate() asks of another definition: that one is processed first (so its failure, if
 * any, is known), unless it is on the stack already, which is a circle. */
static const OciRef *lookup(void *userdata, OciUnitType type, const char *name) {
        Generator *g = userdata;
        Node *n = find_node(g, type, name);
        if (!n)
                return NULL;
        Node *self = g->stack[g->depth - 1];
        int r = visit(g, n);
        if (r < 0) {
                g->error = r;
                return NULL;
        }
        if (self->n_deps % 8 == 0) {
                Node **deps = realloc(self->deps, (self->n_deps + 8) * sizeof(Node *));
                if (!deps) {
                        g->error = -ENOMEM;
                        return NULL;
                }
                self->deps = deps;
        }
        self->deps[self->n_deps++] = n;
        return &n->ref;
}

/* A unit name belongs to one definition: the first one processed that has no error. An alias is
 * taken once its definition is written. */
static int claim_unit_name(Generator *g, Node *n, OciDefinition *d) {
        const Node *owner = hashmap_get(&g->units, d->unit_name);
        if (owner) {
                oci_diag(&g->sink, LOG_ERR, d->path, 0, NULL, "%s is made by %s already; set a different %s=",
                         d->unit_name, owner->ref.path, oci_options[OCI_OPT_SERVICE_NAME].key);
                return -EINVAL;
        }
        owner = hashmap_get(&g->aliases, d->unit_name);
        if (owner) {
                oci_diag(&g->sink, LOG_ERR, d->path, 0, NULL, "%s is an %s= of %s already; set a different %s=", d->unit_name,
                         oci_options[OCI_OPT_ALIAS].key, owner->ref.path, oci_options[OCI_OPT_SERVICE_NAME].key);
                return -EINVAL;
        }
        return hashmap_put(&g->units, n->ref.unit_name, n);
}

/* The definition whose unit, by its file name, would be 'unit', if it is not processed yet. */
static Node *default_owner(Generator *g, const char *unit) {
        const char *e = endswith(unit, ".service");
        if (!e)
                return NULL;
        for (OciUnitType t = 0; t < _OCI_UNIT_TYPE_MAX; t++) {
                const char *suffix = oci_unit_type_suffix(t);
                size_t sl = strlen(suffix), len = (size_t) (e - unit);
                char name[NAME_MAX + 1];
                if (len < sl || len - sl >= sizeof(name) || strncmp(unit + len - sl, suffix, sl) != 0)
                        continue;
                memcpy(name, unit, len - sl);
                name[len - sl] = 0;
                Node *n = find_node(g, t, name);
                if (n && n->state == NODE_NEW)
                        return n;
        }
        return NULL;
}

/* An Alias= may not take the name of another definition's unit, nor another definition's alias.
 * A definition whose file name gives its unit that name is processed first, so that its own name
 * stays its own whatever the file names; otherwise the first one processed keeps the name. */
static int check_aliases(Generator *g, Node *n, OciDefinition *d) {
        const OciValue *v = &d->values[OCI_OPT_ALIAS];
        int ret = 0;
        for (char *const *a = v->items; a && *a; a++) {
                Node *maybe = default_owner(g, *a);
                if (maybe) {
                        int r = visit(g, maybe);
                        if (r < 0)
                                return r;
                }
                const Node *owner = hashmap_get(&g->units, *a);
                if (owner && owner != n) {
                        oci_key_diag(&g->sink, LOG_ERR, d, OCI_OPT_ALIAS, "%s is taken: %s names its unit so; choose another alias", *a,
                                     owner->ref.path);
                        ret = -EINVAL;
                        continue;
                }
                owner = hashmap_get(&g->aliases, *a);
                if (owner && owner != n) {
                        oci_key_diag(&g->sink, LOG_ERR, d, OCI_OPT_ALIAS, "%s is taken: %s has the same alias; choose another one", *a,
                                     owner->ref.path);
                        ret = -EINVAL;
                }
        }
        return ret;
}

static int take_aliases(Generator *g, Node *n, OciDefinition *d) {
        for (char *const *a = d->values[OCI_OPT_ALIAS].items; a && *a; a++) {
                char *key = arena_strdup(&g->arena, *a);
                if (!key || hashmap_put(&g->aliases, key, n) < 0)
                        return -ENOMEM;
        }
        return 0;
}

/* A host port is one per protocol and address: two definitions publishing the same one would
 * fight over it at start. Both files are named; the later one is not generated. */
typedef struct Published {
        char proto[8];
        char addr[128]; /* "" for every address */
        unsigned lo, hi;
} Published;

static bool parse_published(const char *item, Published *ret) {
        /* the validated forms: [ADDR:][HOST:]CTR[/PROTO], ADDR maybe in brackets */
        *ret = (Published) { .proto = "tcp" };
        const char *slash = strrchr(item, '/');
        if (slash) {
                size_t pl = strlen(slash + 1);
                if (pl >= sizeof(ret->proto))
                        return false;
                memcpy(ret->proto, slash + 1, pl + 1);
        }
        size_t len = slash ? (size_t) (slash - item) : strlen(item);
        char buf[128];
        if (len >= sizeof(buf))
                return false;
        memcpy(buf, item, len);
        buf[len] = 0;
        char *last = strrchr(buf, ':');
        if (!last)
                return false; /* container port only: the engine picks a host port */
        *last = 0;
        char *host = strrchr(buf, ':');
        if (host) {
                *host++ = 0;
                if (!streq(buf, "0.0.0.0") && !streq(buf, "[::]"))
                        memcpy(ret->addr, buf, (size_t) (host - buf));
        } else
                host = buf;
        if (!*host)
                return false;
        char *end;
        ret->lo = (unsigned) strtoul(host, &end, 10);
        ret->hi = *end == '-' ? (unsigned) strtoul(end + 1, NULL, 10) : ret->lo;
        return ret->lo <= ret->hi && ret->hi <= 65535;
}

static bool port_maybe_taken(const PortMap *m, const Published *p) {
        for (unsigned port = p->lo; port <= p->hi; port++)
                if (m->taken[port / 8] & (1u << (port % 8)))
                        return true;
        return false;
}

/* The ports this definition publishes on the host itself: none for a template (its instances
 * do), none for a docker pod (its first member does). */
static char *const *host_ports(const OciDefinition *d) {
        if ((d->instance && !*d->instance) || (d->type == OCI_UNIT_POD && d->backend == OCI_BACKEND_DOCKER))
                return NULL;
        return d->values[OCI_OPT_PUBLISH_PORT].items;
}

static int check_ports(Generator *g, Node *n, OciDefinition *d) {
        char *const *items = host_ports(d);
        if (!items || !*items || !g->ports)
                return 0;
        const PortMap *m = g->ports;
        for (char *const *a = items; *a; a++) {
                Published p;
                if (!parse_published(*a, &p) || !port_maybe_taken(m, &p))
                        continue;
                for (const PortUse *u = m->head; u; u = u->next) {
                        if (u->owner == n || !streq(u->proto, p.proto) || p.hi < u->lo || u->hi < p.lo ||
                            (*p.addr && *u->addr && !streq(p.addr, u->addr)))
                                continue;
                        const OciValue *v = &d->values[OCI_OPT_PUBLISH_PORT];
                        const OciEntry *e = v->n_entries ? &v->entries[v->n_entries - 1] : NULL;
                        for (size_t k = 0; k < v->n_entries; k++)
                                if (streq(v->entries[k].value, *a))
                                        e = &v->entries[k];
                        const char *key = oci_options[OCI_OPT_PUBLISH_PORT].key;
                        oci_diag(&g->sink, LOG_ERR, e && d->sources ? d->sources[e->source] : d->path, e ? e->line : 0, key,
                                 "%s=%s: the host port is published by %s too (%s=%s)", key, *a, u->owner->ref.path, key, u->item);
                        return -EINVAL;
                }
        }
        return 0;
}

/* Once written, its ports are its own. */
static int take_ports(Generator *g, Node *n, OciDefinition *d) {
        char *const *items = host_ports(d);
        if (!items || !*items)
                return 0;
        if (!g->ports) {
                if (!(g->ports = calloc(1, sizeof(PortMap))))
                        return -ENOMEM;
                g->ports->tail = &g->ports->head;
        }
        PortMap *m = g->ports;
        for (char *const *a = items; *a; a++) {
                Published p;
                if (!parse_published(*a, &p))
                        continue;
                size_t il = strlen(*a), al = strlen(p.addr);
                PortUse *u = arena_alloc(&g->arena, sizeof(PortUse) + il + 1 + al + 1);
                if (!u)
                        return -ENOMEM;
                u->owner = n;
                u->lo = p.lo;
                u->hi = p.hi;
                memcpy(u->proto, p.proto, sizeof(u->proto));
                memcpy(u->item, *a, il + 1);
                u->addr = memcpy(u->item + il + 1, p.addr, al + 1);
                *m->tail = u;
                m->tail = &u->next;
                for (unsigned port = p.lo; port <= p.hi; port++)
                        m->taken[port / 8] |= (unsigned char) (1u << (port % 8));
        }
        return 0;
}

/* docker has no pods: the first member that starts with a pod (and is written) publishes the
 * pod's ports. Returns the pod if d took them. */
static Node *join_pod(Generator *g, OciDefinition *d) {
        if (!d->pod_unit || oci_value_bool(d, OCI_OPT_START_WITH_POD) == 0)
                return NULL;
        Node *pod = hashmap_get(&g->units, d->pod_unit);
        if (!pod || pod->failed || pod->type != OCI_UNIT_POD || !pod->pod_ports || pod->ports_given)
                return NULL;
        if (strv_extend_strv(&d->values[OCI_OPT_PUBLISH_PORT].items, pod->pod_ports) < 0) {
                g->error = -ENOMEM;
                return NULL;
        }
        return pod;
}

static int write_unit(Generator *g, const OciDefinition *d, const OciUnitFile *u);
static int unwrite_unit(Generator *g, const OciUnitFile *u, int r);

static int render_and_write(Generator *g, OciDefinition *d) {
        OciUnitFile **units = NULL;
        int r = oci_render(d, &g->rctx, &units);
        size_t k = 0;
        for (; r >= 0 && units[k]; k++)
                r = write_unit(g, d, units[k]);
        for (size_t j = 0; r < 0 && !g->dry_run && !g->check && j + 1 < k; j++)
                unwrite_unit(g, units[j], 0); /* those written before the one that failed */
        oci_unit_list_free(units);
        return r;
}

static void skipped(Generator *g, const Node *n) {
        g->n_failed++;
        if (!g->check)
                log_msg(LOG_WARNING, "%s: skipped because of the errors above; no unit was generated for it", n->ref.path);
}

/* A docker pod keeps its ports for the member that will publish them. */
static int keep_pod_ports(Generator *g, Node *n, const OciDefinition *d) {
        const OciValue *v = &d->values[OCI_OPT_PUBLISH_PORT];
        if (d->type != OCI_UNIT_POD || d->backend != OCI_BACKEND_DOCKER || !v->items || !*v->items)
                return 0;
        n->pod_ports = strv_copy(v->items);
        n->pod_ports_file = arena_strdup(&g->arena, oci_value_file(d, v));
        n->pod_ports_line = oci_value_line(v);
        return n->pod_ports && n->pod_ports_file ? 0 : -ENOMEM;
}

/* Parse, validate (which processes what the definition refers to first), check against the
 * definitions written before it, render and write; then let go of it. */
static int process(Generator *g, Node *n) {
        int r;
        if (g->depth % 64 == 0) {
                Node **stack = realloc(g->stack, (g->depth + 64) * sizeof(Node *));
                if (!stack)
                        return -ENOMEM;
                g->stack = stack;
        }
        n->state = NODE_BUSY;
        g->stack[g->depth++] = n;
        OciDefinition *d = oci_definition_reuse(g->n_spare > 0 ? g->spare[--g->n_spare] : NULL, n->ref.path, n->type);
        if (!d)
                return -ENOMEM;
        d->user = g->user;
        n->def = d;
        r = load_definition(g, d);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                n->failed = true;
        r = oci_definition_resolve_unit_name(d, &g->sink);
        if (r == -ENOMEM)
                return r;
        if (r >= 0 && !(n->ref.unit_name = arena_strdup(&g->arena, d->unit_name)))
                return -ENOMEM;
        if (r >= 0 && !n->failed)
                r = claim_unit_name(g, n, d);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                n->failed = true;
        if (!n->failed) {
                r = oci_validate(d, &g->vctx);
                if (g->error < 0)
                        return g->error;
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        n->failed = true;
        }
        n->backend = d->backend;
        if (d->resource && !(n->ref.resource = arena_strdup(&g->arena, d->resource)))
                return -ENOMEM;
        /* what it depends on failed: so does it */
        for (size_t i = 0; !n->failed && i < n->n_deps; i++) {
                const Node *dep = n->deps[i];
                if (!dep->failed || dep->state != NODE_DONE)
                        continue;
                const OciEntry *e;
                OciOptionId key = where_named(d, dep->ref.name, &e);
                oci_diag(&g->sink, LOG_ERR, e && d->sources ? d->sources[e->source] : d->path, e ? e->line : 0,
                         key >= 0 ? oci_options[key].key : NULL, "%s=%s: %s has errors and is not generated, so neither is this one",
                         oci_options[key >= 0 ? key : OCI_OPT_DEPENDS_ON].key, e ? e->value : dep->ref.name, dep->ref.path);
                n->failed = true;
        }
        free(n->deps);
        n->deps = NULL;
        n->n_deps = 0;
        Node *pod = NULL;
        if (!n->failed) {
                r = check_aliases(g, n, d);
                if (r == -ENOMEM || g->error < 0)
                        return r == -ENOMEM ? r : g->error;
                if (r >= 0) {
                        pod = join_pod(g, d);
                        if (g->error < 0)
                                return g->error;
                        r = check_ports(g, n, d);
                }
                if (r < 0)
                        n->failed = true;
        }
        if (!n->failed) {
                r = render_and_write(g, d);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        n->failed = true;
        }
        if (!n->failed) {
                /* written: its aliases and ports are taken, a docker pod's ports are published */
                r = take_aliases(g, n, d);
                if (r >= 0)
                        r = take_ports(g, n, d);
                if (r >= 0)
                        r = keep_pod_ports(g, n, d);
                if (r < 0)
                        return r;
                if (pod)
                        pod->ports_given = true;
        }
        if (n->failed)
                skipped(g, n);
        /* its block serves the next definition; one per level of the stack at most */
        n->def = NULL;
        if (g->n_spare % 8 == 0) {
                OciDefinition **spare = realloc(g->spare, (g->n_spare + 8) * sizeof(*spare));
                if (!spare) {
                        oci_definition_free(d);
                        return -ENOMEM;
                }
                g->spare = spare;
        }
        g->spare[g->n_spare++] = d;
        g->depth--;
        n->state = NODE_DONE;
        return 0;
}

/* A docker pod whose ports no member took: say so. */
static void check_pod_ports(Generator *g) {
        for (size_t i = 0; i < g->n_nodes; i++) {
                const Node *n = g->nodes[i];
                if (n->pod_ports && !n->failed && !n->ports_given)
                        oci_diag(&g->sink, LOG_WARNING, n->pod_ports_file, n->pod_ports_line, oci_options[OCI_OPT_PUBLISH_PORT].key,
                                 "no member starts with this pod, so with docker its ports are published by none");
        }
}

/* ---- the defaults file ---- */

static int load_defaults(Generator *g) {
        _cleanup_strv_free_ char **files = NULL;
        const char *env = getenv("OCI_CONTAINERS_CONF");
        int r = 0;
        if (env) {
                if (*env && access(env, F_OK) == 0)
                        r = strv_extend(&files, env);
        } else {
                static const char *const mains[] = { SYSCONF_DIR "/oci-containers.conf", VENDOR_DIR "/oci-containers.conf" };
                for (size_t i = 0; i < ELEMENTSOF(mains); i++)
                        if (access(mains[i], F_OK) == 0 && !is_masked(mains[i])) {
                                r = strv_extend(&files, mains[i]);
                                break;
                        }
                /* drop-ins: by file name across the directories, the earlier directory winning */
                static const char *const dropin_dirs[] = { SYSCONF_DIR "/oci-containers.conf.d", "/run/oci-containers.conf.d",
                                                           VENDOR_DIR "/oci-containers.conf.d" };
                _cleanup_strv_free_ char **names = NULL, **paths = NULL;
                for (size_t i = 0; r >= 0 && i < ELEMENTSOF(dropin_dirs); i++) {
                        DIR *dp = opendir(dropin_dirs[i]);
                        struct dirent *de;
                        while (dp && r >= 0 && (de = readdir(dp)))
                                if (endswith(de->d_name, ".conf") && de->d_name[0] != '.' && !strv_contains(names, de->d_name)) {
                                        r = strv_extend(&names, de->d_name);
                                        if (r >= 0)
                                                r = strv_push(&paths, path_join(dropin_dirs[i], de->d_name));
                                }
                        if (dp)
                                closedir(dp);
                }
                /* order by file name, whatever the directory */
                for (size_t i = 0; r >= 0 && names && names[i]; i++)
                        for (size_t j = i + 1; names[j]; j++)
                                if (strcmp(names[j], names[i]) < 0) {
                                        char *t = names[i];
                                        names[i] = names[j];
                                        names[j] = t;
                                        t = paths[i];
                                        paths[i] = paths[j];
                                        paths[j] = t;
                                }
                for (size_t i = 0; r >= 0 && paths && paths[i]; i++)
                        if (!is_masked(paths[i]))
                                r = strv_extend(&files, paths[i]);
        }
        if (r < 0)
                return r;
        /* the main file, then its drop-ins on top, each reported under its own path */
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
        r = oci_validate_defaults(g->defaults, &g->sink);
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

/* ---- writing ---- */

static int write_all(int fd, const char *s, size_t n) {
        while (n > 0) {
                ssize_t k = write(fd, s, n);
                if (k < 0 && errno == EINTR)
                        continue;
                if (k < 0)
                        return -errno;
                s += k;
                n -= (size_t) k;
        }
        return 0;
}

/* Remove u and its links, once written: a definition is generated whole or not at all. Returns r. */
static int unwrite_unit(Generator *g, const OciUnitFile *u, int r) {
        for (size_t i = 0; i < u->n_links; i++) {
                _cleanup_free_ char *link = path_join(g->output, u->links[i].path);
                char old[PATH_MAX];
                ssize_t n = link ? readlink(link, old, sizeof(old) - 1) : -1;
                if (n >= 0 && (size_t) n == strlen(u->links[i].target) && memcmp(old, u->links[i].target, (size_t) n) == 0)
                        unlink(link);
        }
        _cleanup_free_ char *path = path_join(g->output, u->name);
        if (path)
                unlink(path);
        return r;
}

static int write_unit(Generator *g, const OciDefinition *d, const OciUnitFile *u) {
        _cleanup_free_ char *text = g->dry_run ? oci_unit_to_display(u) : oci_unit_to_string(u);
        if (!text)
                return -ENOMEM;
        if (g->check)
                return 0;
        if (g->dry_run) {
                printf("---%s---\n%s", u->name, text);
                for (size_t i = 0; i < u->n_links; i++)
                        printf("---%s: link %s -> %s---\n", u->name, u->links[i].path, u->links[i].target);
                printf("\n");
                return 0;
        }

        _cleanup_free_ char *path = path_join(g->output, u->name);
        if (!path)
                return -ENOMEM;
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, oci_unit_file_mode(u));
        if (fd < 0)
                return oci_diag(&g->sink, LOG_ERR, d->path, 0, NULL, "cannot create %s: %s%s", path, strerror(errno),
                                errno == EEXIST ? " (another definition or generator made a unit of that name)" : "");
        int r = write_all(fd, text, strlen(text));
        if (close(fd) < 0 && r >= 0)
                r = -errno;
        if (r < 0) {
                unlink(path);
                return oci_diag(&g->sink, LOG_ERR, d->path, 0, NULL, "cannot write %s: %s", path, strerror(-r));
        }

        for (size_t i = 0; i < u->n_links; i++) {
                _cleanup_free_ char *link = path_join(g->output, u->links[i].path);
                if (!link)
                        return -ENOMEM;
                char *slash = strrchr(link, '/');
                if (slash > link + g->output_len) {
                        *slash = 0;
                        if (!hashmap_get(&g->made_dirs, link)) {
                                if (mkdir(link, 0755) < 0 && errno != EEXIST)
                                        return unwrite_unit(g, u, oci_diag(&g->sink, LOG_ERR, d->path, 0, NULL, "cannot create %s: %s", link, strerror(errno)));
                                if (strv_extend(&g->made_dir_names, link) < 0 ||
                                    hashmap_put(&g->made_dirs, g->made_dir_names[strv_length(g->made_dir_names) - 1], g) < 0)
                                        return -ENOMEM;
                        }
                        *slash = '/';
                }
                if (symlink(u->links[i].target, link) < 0) {
                        if (errno != EEXIST)
                                return unwrite_unit(g, u, oci_diag(&g->sink, LOG_ERR, d->path, 0, NULL, "cannot link %s: %s", link, strerror(errno)));
                        char old[PATH_MAX];
                        ssize_t n = readlink(link, old, sizeof(old) - 1);
                        if (n < 0 || (size_t) n != strlen(u->links[i].target) || memcmp(old, u->links[i].target, (size_t) n) != 0)
                                oci_diag(&g->sink, LOG_WARNING, d->path, 0, NULL, "%s exists already and points elsewhere, leaving it", link);
                }
        }
        return 0;
}

static int generate(Generator *g) {
        int r = load_defaults(g);
        if (r < 0)
                return r;
        r = collect(g);
        if (r < 0)
                return r;
        g->depth_max = dependency_depth_max();
        g->vctx = (OciValidateContext) { .sink = &g->sink, .defaults = g->defaults, .lookup = lookup, .lookup_userdata = g };
        g->rctx = (OciRenderContext) { .sink = &g->sink, .defaults = g->defaults, .user = g->user, .output = g->output };
        /* by name; what a definition refers to is processed when it asks for it */
        for (size_t i = 0; i < g->n_nodes; i++)
                if (g->nodes[i]->state == NODE_NEW && !g->nodes[i]->masked && g->nodes[i]->wanted) {
                        r = process(g, g->nodes[i]);
                        if (r < 0)
                                return r;
                }
        check_pod_ports(g);
        return 0;
}

/* ---- the command line ---- */

static void list_keys(void) {
        for (size_t i = 0; i < _OCI_OPT_MAX; i++) {
                const OciOption *o = &oci_options[i];
                StrBuf b = {};
                for (size_t s = 0; s < _OCI_SECTION_MAX; s++)
                        if (o->sections & (1u << s))
                                strbuf_printf(&b, "%s[%s]", b.len ? "," : "", oci_section_to_string((OciSection) s));
                strbuf_puts(&b, "\t");
                for (size_t be = 0; be < _OCI_BACKEND_MAX; be++)
                        if (oci_option_render((OciOptionId) i, (OciBackendId) be)->kind != OCI_RENDER_UNSUPPORTED)
                                strbuf_printf(&b, "%s%s", b.s[b.len - 1] == '\t' ? "" : ",", oci_backend_to_string((OciBackendId) be));
                printf("%s=\t%s\t%s%s\t%s\t%s\n", o->key, b.s ? b.s : "", oci_type_to_string(o->type),
                       (o->flags & OCI_OPT_LIST) ? ", repeatable" : "", o->default_value ? o->default_value : "-", o->doc);
                strbuf_done(&b);
        }
}

static void help(const char *prog) {
        printf("%s [OPTIONS] NORMAL_DIR [EARLY_DIR LATE_DIR]\n"
               "%s [OPTIONS] --dry-run\n\n"
               "Generate systemd services from container definitions (*.container).\n\n"
               "  -h --help       Show this help\n"
               "     --version    Show the version\n"
               "     --dry-run    Print the units instead of writing them\n"
               "     --user       Generate for a user's service manager (rootless)\n"
               "     --list-keys  List every key of the option table\n"
               "     --check [FILE|DIR...]\n"
               "                  Check definitions (default: the search path), write nothing;\n"
               "                  report as FILE:LINE:COLUMN: error|warning: message\n\n"
               "Environment: OCI_CONTAINERS_UNIT_DIRS replaces the search path (colon-separated),\n"
               "OCI_CONTAINERS_CONF the defaults file, SYSTEMD_LOG_LEVEL/SYSTEMD_LOG_TARGET the logging.\n"
               "See oci-containers-generator(8) and oci-containers.container(5).\n",
               prog, prog);
}

int main(int argc, char *argv[]) {
        enum { ARG_VERSION = 0x100, ARG_DRY_RUN, ARG_USER, ARG_LIST_KEYS, ARG_CHECK };
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, ARG_VERSION },
                { "dry-run", no_argument, NULL, ARG_DRY_RUN },
                { "user", no_argument, NULL, ARG_USER },
                { "list-keys", no_argument, NULL, ARG_LIST_KEYS },
                { "check", no_argument, NULL, ARG_CHECK },
                {},
        };
        Generator g = { .sink = { .fn = log_diag } };
        const char *prog = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
        const char *scope = getenv("SYSTEMD_SCOPE");
        g.user = strstr(prog, "user") != NULL || streq_ptr(scope, "user");

        int c;
        while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        help(prog);
                        return 0;
                case ARG_VERSION:
                        printf("oci-containers %s\n", PACKAGE_VERSION);
                        return 0;
                case ARG_DRY_RUN:
                        g.dry_run = true;
                        break;
                case ARG_USER:
                        g.user = true;
                        break;
                case ARG_LIST_KEYS:
                        list_keys();
                        return 0;
                case ARG_CHECK:
                        g.check = true;
                        break;
                case '?':
                        return 2;
                default:
                        return 2;
                }

        int npos = argc - optind;
        if (g.check) {
                /* editors and CI parsers read FILE:LINE:COLUMN: error: message on standard output */
                g.sink.fn = log_diag_check;
                log_setup(prog, false);
                if (npos > 0)
                        g.check_args = argv + optind;
                int r = generate(&g);
                unsigned errors = g.sink.n_errors;
                g.check_args = NULL;
                generator_done(&g);
                if (r < 0) {
                        fprintf(stderr, "%s: %s\n", prog, strerror(-r));
                        return 1;
                }
                return errors > 0 ? 1 : 0;
        }
        if (!g.dry_run && npos != 1 && npos != 3) {
                fprintf(stderr, "%s: expected one or three output directories, or --dry-run (see --help)\n", prog);
                return 2;
        }
        if (g.dry_run && npos != 0 && npos != 1 && npos != 3) {
                fprintf(stderr, "%s: --dry-run takes no directory, or the same one or three as without it\n", prog);
                return 2;
        }
        g.output = npos > 0 ? argv[optind] : NULL;
        g.output_len = g.output ? strlen(g.output) : 0;
        /* systemd 251 and later say so in $SYSTEMD_SCOPE; older ones are PID 1 and give us no terminal */
        bool by_systemd = scope != NULL || (getppid() == 1 && !isatty(STDERR_FILENO));
        log_setup(prog, by_systemd && !g.dry_run);

        /* a missing or read-only output directory is one message, not one per definition */
        if (g.output && !g.dry_run) {
                struct stat st;
                errno = 0;
                if (stat(g.output, &st) < 0 || !S_ISDIR(st.st_mode) || access(g.output, W_OK) < 0) {
                        int e = errno ? errno : ENOTDIR;
                        log_msg(LOG_ERR, "Cannot write units to %s: %s", g.output, strerror(e));
                        return 1;
                }
        }
        int r = generate(&g);
        generator_done(&g);
        if (r < 0) {
                log_msg(LOG_ERR, "Failed: %s", strerror(-r));
                return 1;
        }
        return g.n_failed > 0 ? 1 : 0;
}
