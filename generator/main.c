/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* oci-containers-generator: turns container definitions into systemd services.
 *
 *   oci-containers-generator [--user] NORMAL_DIR [EARLY_DIR LATE_DIR]
 *   oci-containers-generator [--user] --dry-run
 *
 * Three passes over every definition, as in the library: parse, validate (with all definitions
 * known, so references resolve in any order), render and write. A definition that fails is
 * reported and skipped; the others are still generated. */
#include <dirent.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "render.h"

typedef struct Generator {
        bool user;
        bool dry_run;
        bool check;         /* --check: report, write nothing */
        char **check_args;  /* --check FILE|DIR...: what to check instead of the search path */
        const char *output; /* the normal output directory */
        char **dirs;        /* the search path, absolute */
        OciDiagSink sink;
        OciDefaults *defaults;
        OciDefinition **defs;
        size_t n_defs;
        unsigned n_failed;
} Generator;

static void generator_done(Generator *g) {
        for (size_t i = 0; i < g->n_defs; i++)
                oci_definition_free(g->defs[i]);
        free(g->defs);
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

static int cmp_name(const void *a, const void *b) {
        return strcmp((*(OciDefinition *const *) a)->name, (*(OciDefinition *const *) b)->name);
}

static const OciDefinition *find_definition(void *userdata, OciUnitType type, const char *name) {
        Generator *g = userdata;
        for (size_t i = 0; i < g->n_defs; i++)
                if (g->defs[i]->type == type && streq(g->defs[i]->name, name))
                        return g->defs[i];
        return NULL;
}

static int add_definition(Generator *g, OciDefinition *d) {
        OciDefinition **n = realloc(g->defs, (g->n_defs + 1) * sizeof(*n));
        if (!n) {
                oci_definition_free(d);
                return -ENOMEM;
        }
        g->defs = n;
        g->defs[g->n_defs++] = d;
        return 0;
}

/* Every definition file of the search path; a name found in an earlier directory hides the same
 * name in later ones, and a link to /dev/null masks it. */
static int collect(Generator *g, char **masked_out[]) {
        char **seen = NULL; /* file names taken, masked ones included */
        char **dirs = NULL;
        if (g->check_args) {
                /* --check with arguments: directories are the search path, files are taken as they are */
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
                        OciDefinition *d = abs ? oci_definition_new(abs, type) : NULL;
                        if (!d || add_definition(g, d) < 0)
                                return -ENOMEM;
                }
                if (!dirs && !(dirs = calloc(1, sizeof(char *))))
                        return -ENOMEM;
        } else
                dirs = search_path(g->user);
        g->dirs = dirs;
        if (!dirs)
                return -ENOMEM;
        int r = 0;
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
        for (char **dir = dirs; r >= 0 && *dir; dir++) {
                DIR *dp = opendir(*dir);
                if (!dp) {
                        if (errno != ENOENT)
                                log_msg(LOG_WARNING, "Cannot read %s: %s", *dir, strerror(errno));
                        continue;
                }
                struct dirent *de;
                while (r >= 0 && (de = readdir(dp))) {
                        if (de->d_name[0] == '.')
                                continue;
                        OciUnitType type = oci_unit_type_from_filename(de->d_name);
                        if (type < 0 || strv_contains(seen, de->d_name))
                                continue;
                        r = strv_extend(&seen, de->d_name);
                        if (r < 0)
                                break;
                        _cleanup_free_ char *path = path_join(*dir, de->d_name);
                        if (!path) {
                                r = -ENOMEM;
                                break;
                        }
                        if (is_masked(path)) {
                                log_msg(LOG_DEBUG, "%s is masked", path);
                                continue;
                        }
                        OciDefinition *d = oci_definition_new(path, type);
                        if (!d) {
                                r = -ENOMEM;
                                break;
                        }
                        d->user = g->user;
                        r = add_definition(g, d);
                }
                closedir(dp);
        }
        *masked_out = seen;
        if (g->n_defs > 1)
                qsort(g->defs, g->n_defs, sizeof(*g->defs), cmp_name);
        return r;
}

/* ---- drop-ins and templates ---- */

static bool same_file(const char *a, const char *b) {
        struct stat sa, sb;
        return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* The directories whose *.conf files are drop-ins of d, most specific first, as systemd does for
 * units: NAME.EXT.d, for an instance its template's NAME@.EXT.d, then the name cut after each '-'
 * ("a-b-.EXT.d", "a-.EXT.d"), then "EXT.d" for every definition of the type. */
static char **dropin_dir_names(const OciDefinition *d) {
        const char *ext = oci_unit_type_extension(d->type);
        char **names = NULL;
        if (strv_extendf(&names, "%s%s.d", d->name, ext) < 0)
                return NULL;
        size_t plen = d->instance ? strcspn(d->name, "@") : strlen(d->name);
        if (d->instance && *d->instance && strv_extendf(&names, "%.*s@%s.d", (int) plen, d->name, ext) < 0)
                return strv_free(names);
        for (size_t i = plen; i > 0; i--)
                if (d->name[i - 1] == '-' && i < plen &&
                    strv_extendf(&names, "%.*s%s.d", (int) i, d->name, ext) < 0)
                        return strv_free(names);
        if (strv_extendf(&names, "%s.d", ext + 1) < 0)
                return strv_free(names);
        return names;
}

static int cmp_basename(const void *a, const void *b) {
        const char *x = strrchr(*(char *const *) a, '/'), *y = strrchr(*(char *const *) b, '/');
        return strcmp(x ? x + 1 : *(char *const *) a, y ? y + 1 : *(char *const *) b);
}

/* Every drop-in of d, in the order they apply: by file name; of two with the same name, the one
 * in the earlier directory of the search path (then the more specific directory name) wins, and a
 * link to /dev/null masks the name. */
static char **find_dropins(Generator *g, const OciDefinition *d) {
        _cleanup_strv_free_ char **names = dropin_dir_names(d);
        _cleanup_strv_free_ char **taken = NULL;
        char **paths = NULL;
        if (!names)
                return NULL;
        for (char **dir = g->dirs; *dir; dir++)
                for (char **n = names; *n; n++) {
                        _cleanup_free_ char *dpath = path_join(*dir, *n);
                        DIR *dp = dpath ? opendir(dpath) : NULL;
                        struct dirent *de;
                        while (dp && (de = readdir(dp))) {
                                if (de->d_name[0] == '.' || !endswith(de->d_name, ".conf") || strv_contains(taken, de->d_name))
                                        continue;
                                char *p = path_join(dpath, de->d_name);
                                if (strv_extend(&taken, de->d_name) < 0 || !p) {
                                        free(p);
                                        closedir(dp);
                                        return strv_free(paths);
                                }
                                if (is_masked(p))
                                        free(p);
                                else if (strv_push(&paths, p) < 0) {
                                        closedir(dp);
                                        return NULL;
                                }
                        }
                        if (dp)
                                closedir(dp);
                }
        if (paths)
                qsort(paths, strv_length(paths), sizeof(char *), cmp_basename);
        return paths ? paths : calloc(1, sizeof(char *));
}

/* For NAME@INSTANCE, the definition of the template NAME@, if there is one. */
static const OciDefinition *find_template(Generator *g, const OciDefinition *d) {
        if (!d->instance || !*d->instance)
                return NULL;
        _cleanup_free_ char *tname = strndup(d->name, strcspn(d->name, "@") + 1);
        return tname ? find_definition(g, d->type, tname) : NULL;
}

/* A definition is its template's text (for an instance), its own text, then its drop-ins. */
static int load_definition(Generator *g, OciDefinition *d) {
        int r = 0, k;
        const OciDefinition *t = find_template(g, d);
        if (t) {
                k = oci_parse_dropin(d, t->path, oci_unit_type_sections(d->type), &g->sink);
                if (k == -ENOMEM)
                        return k;
                r = k < 0 ? k : r;
        }
        if (!t || !same_file(t->path, d->path)) {
                k = oci_parse_file(d, oci_unit_type_sections(d->type), &g->sink);
                if (k == -ENOMEM)
                        return k;
                r = k < 0 ? k : r;
        }
        _cleanup_strv_free_ char **dropins = find_dropins(g, d);
        if (!dropins)
                return -ENOMEM;
        for (char **p = dropins; *p; p++) {
                log_msg(LOG_DEBUG, "%s: drop-in %s", d->path, *p);
                k = oci_parse_dropin(d, *p, oci_unit_type_sections(d->type), &g->sink);
                if (k == -ENOMEM)
                        return k;
                r = k < 0 ? k : r;
        }
        return r;
}

/* ---- between definitions ---- */

static const OciDefinition *find_by_unit(Generator *g, const char *unit) {
        for (size_t i = 0; i < g->n_defs; i++)
                if (g->defs[i]->unit_name && streq(g->defs[i]->unit_name, unit))
                        return g->defs[i];
        return NULL;
}

/* An Alias= may not take the name of another definition's unit, nor another definition's alias:
 * whichever came first would win, depending on file names. Both sides are told. */
static void check_aliases(Generator *g) {
        for (size_t i = 0; i < g->n_defs; i++) {
                OciDefinition *d = g->defs[i];
                const OciValue *v = &d->values[OCI_OPT_ALIAS];
                for (char *const *a = d->values[OCI_OPT_ALIAS].items; !d->failed && a && *a; a++) {
                        const OciDefinition *owner = find_by_unit(g, *a);
                        for (size_t j = 0; !owner && j < g->n_defs; j++)
                                if (j != i && strv_contains(g->defs[j]->values[OCI_OPT_ALIAS].items, *a))
                                        owner = g->defs[j];
                        if (!owner || owner == d)
                                continue;
                        oci_diag(&g->sink, LOG_ERR, OCI_AT(d, v), oci_options[OCI_OPT_ALIAS].key,
                                 "Alias=%s is taken: %s names its unit so; choose another alias", *a, owner->path);
                        d->failed = true;
                }
        }
}

/* The assignment of d that names dep (DependsOn=, Network=, Volume=, Mount=), for messages. */
static OciOptionId where_named(const OciDefinition *d, const OciDefinition *dep, const OciEntry **ret) {
        static const OciOptionId keys[] = { OCI_OPT_DEPENDS_ON, OCI_OPT_NETWORK, OCI_OPT_VOLUME, OCI_OPT_MOUNT, OCI_OPT_POD };
        for (size_t i = 0; i < ELEMENTSOF(keys); i++) {
                const OciValue *v = &d->values[keys[i]];
                for (size_t k = v->n_entries; k > 0; k--)
                        if (strstr(v->entries[k - 1].value, dep->name)) {
                                *ret = &v->entries[k - 1];
                                return keys[i];
                        }
        }
        *ret = NULL;
        return _OCI_OPT_INVALID;
}

/* A host port is one per protocol and address: two definitions publishing the same one would
 * fight over it at start. Both files are named; the later one (by name) is not generated. */
typedef struct Published {
        char proto[8];
        char addr[128]; /* "" for every address */
        unsigned lo, hi;
} Published;

static bool parse_published(const char *item, Published *ret) {
        /* the validated forms: [ADDR:][HOST:]CTR[/PROTO], ADDR maybe in brackets */
        *ret = (Published) { .proto = "tcp" };
        const char *slash = strrchr(item, '/');
        if (slash)
                snprintf(ret->proto, sizeof(ret->proto), "%s", slash + 1);
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
                snprintf(ret->addr, sizeof(ret->addr), "%s", buf);
        } else
                host = buf;
        if (!*host)
                return false;
        char *dash = strchr(host, '-');
        ret->lo = (unsigned) strtoul(host, NULL, 10);
        ret->hi = dash ? (unsigned) strtoul(dash + 1, NULL, 10) : ret->lo;
        if (streq(ret->addr, "0.0.0.0") || streq(ret->addr, "[::]"))
                ret->addr[0] = 0;
        return true;
}

static void check_ports(Generator *g) {
        for (size_t i = 0; i < g->n_defs; i++)
                for (char **a = g->defs[i]->values[OCI_OPT_PUBLISH_PORT].items; !g->defs[i]->failed && a && *a; a++) {
                        Published pa, pb;
                        if (!parse_published(*a, &pa))
                                continue;
                        for (size_t j = 0; j < i && !g->defs[i]->failed; j++)
                                for (char **b = g->defs[j]->values[OCI_OPT_PUBLISH_PORT].items; !g->defs[j]->failed && b && *b; b++) {
                                        if (!parse_published(*b, &pb) || !streq(pa.proto, pb.proto) || pa.hi < pb.lo || pb.hi < pa.lo ||
                                            (*pa.addr && *pb.addr && !streq(pa.addr, pb.addr)))
                                                continue;
                                        OciDefinition *d = g->defs[i];
                                        const OciValue *v = &d->values[OCI_OPT_PUBLISH_PORT];
                                        const OciEntry *e = &v->entries[v->n_entries - 1];
                                        for (size_t k = 0; k < v->n_entries; k++)
                                                if (streq(v->entries[k].value, *a))
                                                        e = &v->entries[k];
                                        oci_diag(&g->sink, LOG_ERR, d->sources ? d->sources[e->source] : d->path, e->line,
                                                 oci_options[OCI_OPT_PUBLISH_PORT].key,
                                                 "PublishPort=%s: the host port is published by %s too (PublishPort=%s)", *a,
                                                 g->defs[j]->path, *b);
                                        d->failed = true;
                                        break;
                                }
                }
}

/* Requires=/BindsTo= in a circle cannot start: say which units make it, and generate none of them. */
static int visit(Generator *g, size_t i, unsigned char *state, size_t *stack, size_t depth) {
        OciDefinition *d = g->defs[i];
        state[i] = 1;
        stack[depth] = i;
        _cleanup_strv_free_ char **needs = strv_copy(d->after);
        if (d->pod_unit && strv_extend(&needs, d->pod_unit) < 0)
                return -ENOMEM;
        for (char **u = needs; u && *u; u++) {
                size_t j;
                for (j = 0; j < g->n_defs; j++)
                        if (g->defs[j]->unit_name && streq(g->defs[j]->unit_name, *u))
                                break;
                if (j == g->n_defs)
                        continue;
                if (state[j] == 1) {
                        StrBuf b = {};
                        size_t k = depth;
                        while (stack[k] != j)
                                k--;
                        for (size_t m = k; m <= depth; m++)
                                strbuf_printf(&b, "%s -> ", g->defs[stack[m]]->unit_name);
                        strbuf_puts(&b, g->defs[j]->unit_name);
                        for (size_t m = k; m <= depth; m++) {
                                OciDefinition *c = g->defs[stack[m]];
                                if (!c->failed)
                                        oci_diag(&g->sink, LOG_ERR, c->path, 0, NULL, "dependency cycle: %s", b.s ? b.s : "?");
                                c->failed = true;
                        }
                        strbuf_done(&b);
                } else if (state[j] == 0) {
                        int r = visit(g, j, state, stack, depth + 1);
                        if (r < 0)
                                return r;
                }
        }
        state[i] = 2;
        return 0;
}

static int check_cycles(Generator *g) {
        _cleanup_free_ unsigned char *state = calloc(g->n_defs + 1, 1);
        _cleanup_free_ size_t *stack = calloc(g->n_defs + 1, sizeof(size_t));
        if (!state || !stack)
                return -ENOMEM;
        for (size_t i = 0; i < g->n_defs; i++)
                if (state[i] == 0) {
                        int r = visit(g, i, state, stack, 0);
                        if (r < 0)
                                return r;
                }
        return 0;
}

static int collect_pod_members(Generator *g) {
        for (size_t i = 0; i < g->n_defs; i++) {
                OciDefinition *d = g->defs[i];
                if (d->failed || !d->pod_unit || oci_value_bool(d, OCI_OPT_START_WITH_POD) == 0)
                        continue;
                OciDefinition *pod = (OciDefinition *) find_by_unit(g, d->pod_unit);
                if (pod && strv_extend(&pod->members, d->unit_name) < 0)
                        return -ENOMEM;
        }
        /* docker has no pods: the pod's ports move to the first member that starts with it */
        for (size_t i = 0; i < g->n_defs; i++) {
                OciDefinition *pod = g->defs[i];
                char **ports = pod->values[OCI_OPT_PUBLISH_PORT].items;
                if (pod->type != OCI_UNIT_POD || pod->failed || pod->backend != OCI_BACKEND_DOCKER || !ports || !*ports)
                        continue;
                OciDefinition *first = pod->members ? (OciDefinition *) find_by_unit(g, pod->members[0]) : NULL;
                if (!first) {
                        oci_diag(&g->sink, LOG_WARNING, OCI_AT(pod, &pod->values[OCI_OPT_PUBLISH_PORT]),
                                 oci_options[OCI_OPT_PUBLISH_PORT].key,
                                 "no member starts with this pod, so with docker its ports are published by none");
                        continue;
                }
                if (strv_extend_strv(&first->values[OCI_OPT_PUBLISH_PORT].items, ports) < 0)
                        return -ENOMEM;
        }
        return 0;
}

static void propagate_failures(Generator *g) {
        bool changed = true;
        while (changed) {
                changed = false;
                for (size_t i = 0; i < g->n_defs; i++) {
                        OciDefinition *d = g->defs[i];
                        _cleanup_strv_free_ char **needs = strv_copy(d->after);
                        if (d->pod_unit && strv_extend(&needs, d->pod_unit) < 0)
                                continue;
                        for (char **u = needs; !d->failed && u && *u; u++) {
                                const OciDefinition *dep = find_by_unit(g, *u);
                                if (!dep || !dep->failed)
                                        continue;
                                const OciEntry *e;
                                OciOptionId key = where_named(d, dep, &e);
                                oci_diag(&g->sink, LOG_ERR, e && d->sources ? d->sources[e->source] : d->path, e ? e->line : 0,
                                         key >= 0 ? oci_options[key].key : NULL,
                                         "%s=%s: %s has errors and is not generated, so neither is this one",
                                         key >= 0 ? oci_options[key].key : "DependsOn", e ? e->value : dep->name, dep->path);
                                d->failed = changed = true;
                        }
                }
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
                if (slash > link + strlen(g->output)) {
                        *slash = 0;
                        if (mkdir(link, 0755) < 0 && errno != EEXIST)
                                return unwrite_unit(g, u, oci_diag(&g->sink, LOG_ERR, d->path, 0, NULL, "cannot create %s: %s", link, strerror(errno)));
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
        _cleanup_strv_free_ char **names = NULL;
        int r = load_defaults(g);
        if (r < 0)
                return r;
        r = collect(g, &names);
        if (r < 0)
                return r;

        /* pass 1: parse every file, and name its unit */
        for (size_t i = 0; i < g->n_defs; i++) {
                OciDefinition *d = g->defs[i];
                r = load_definition(g, d);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        d->failed = true;
                r = oci_definition_resolve_unit_name(d, &g->sink);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        d->failed = true;
                for (size_t j = 0; !d->failed && j < i; j++)
                        if (g->defs[j]->unit_name && streq(g->defs[j]->unit_name, d->unit_name)) {
                                oci_diag(&g->sink, LOG_ERR, d->path, 0, NULL, "%s is made by %s already; set a different ServiceName=",
                                         d->unit_name, g->defs[j]->path);
                                d->failed = true;
                        }
        }

        /* pass 2: validate, with every definition known */
        OciValidateContext vctx = { .sink = &g->sink, .defaults = g->defaults, .lookup = find_definition, .lookup_userdata = g };
        for (size_t i = 0; i < g->n_defs; i++) {
                OciDefinition *d = g->defs[i];
                if (d->failed)
                        continue;
                r = oci_validate(d, &vctx);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        d->failed = true;
        }

        /* pass 2b: what depends on a failed definition fails with it; names must not collide; a
         * pod learns its members */
        check_aliases(g);
        check_ports(g);
        r = check_cycles(g);
        if (r < 0)
                return r;
        propagate_failures(g);
        r = collect_pod_members(g);
        if (r < 0)
                return r;

        /* pass 3: render and write */
        OciRenderContext rctx = { .sink = &g->sink, .defaults = g->defaults, .user = g->user, .output = g->output };
        for (size_t i = 0; i < g->n_defs; i++) {
                OciDefinition *d = g->defs[i];
                if (!d->failed) {
                        OciUnitFile **units = NULL;
                        r = oci_render(d, &rctx, &units);
                        size_t k = 0;
                        for (; r >= 0 && units[k]; k++)
                                r = write_unit(g, d, units[k]);
                        for (size_t j = 0; r < 0 && !g->dry_run && !g->check && j + 1 < k; j++)
                                unwrite_unit(g, units[j], 0); /* those written before the one that failed */
                        oci_unit_list_free(units);
                        if (r == -ENOMEM)
                                return r;
                        if (r < 0)
                                d->failed = true;
                }
                if (d->failed) {
                        g->n_failed++;
                        if (!g->check)
                                log_msg(LOG_WARNING, "%s: skipped because of the errors above; no unit was generated for it", d->path);
                }
        }
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
