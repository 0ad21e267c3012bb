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

/* The *.conf entries of one directory, by name. One that applies to many definitions (container.d/)
 * is listed once a run and kept, with what reading it said. */
typedef struct Entry {
        char *name;
        bool masked; /* a link to /dev/null */
} Entry;

typedef struct Listing {
        char *dir;
        Entry *entries; /* sorted by name */
        size_t n;
        int error;      /* the errno of reading it; a directory that does not exist has no entries */
} Listing;

static int cmp_entry(const void *a, const void *b) {
        return strcmp(((const Entry *) a)->name, ((const Entry *) b)->name);
}

static Listing *listing_free(Listing *l) {
        for (size_t i = 0; l && i < l->n; i++)
                free(l->entries[i].name);
        if (l) {
                free(l->dir);
                free(l->entries);
        }
        free(l);
        return NULL;
}

static int add_entry(Listing *l, const struct dirent *de) {
        if (l->n % 64 == 0) {
                Entry *m = realloc(l->entries, (l->n + 64) * sizeof(Entry));
                if (!m)
                        return -ENOMEM;
                l->entries = m;
        }
        _cleanup_free_ char *p = path_join(l->dir, de->d_name);
        Entry e = { .name = strdup(de->d_name), .masked = p && entry_is_masked(de, p) };
        if (!p || !e.name)
                return free(e.name), -ENOMEM;
        l->entries[l->n++] = e;
        return 0;
}

static int list_dir(const char *dir, Listing **ret) {
        Listing *l = calloc(1, sizeof(*l));
        if (!l || !(l->dir = strdup(dir)))
                return listing_free(l), -ENOMEM;
        DIR *dp = opendir(dir);
        if (!dp) {
                l->error = errno == ENOENT ? 0 : errno;
                *ret = l;
                return 0;
        }
        struct dirent *de;
        int r = 0;
        while (r >= 0 && (errno = 0, de = readdir(dp)))
                if (de->d_name[0] != '.' && endswith(de->d_name, ".conf"))
                        r = add_entry(l, de);
        if (r >= 0 && errno != 0)
                l->error = errno;
        closedir(dp);
        if (r < 0)
                return listing_free(l), r;
        if (l->n > 1)
                qsort(l->entries, l->n, sizeof(Entry), cmp_entry);
        *ret = l;
        return 0;
}

/* The listing of dir: kept in g when g is given (a directory of drop-ins for many definitions);
 * else *ret_own is set, and the caller frees it. */
static int get_listing(Generator *g, const char *dir, Listing **ret, Listing **ret_own) {
        *ret_own = NULL;
        Listing *l = g ? hashmap_get(&g->dropin_listings, dir) : NULL;
        if (l) {
                *ret = l;
                return 0;
        }
        int r = list_dir(dir, &l);
        if (r < 0)
                return r;
        if (!g)
                *ret_own = l;
        else if (hashmap_put(&g->dropin_listings, l->dir, l) < 0)
                return listing_free(l), -ENOMEM;
        *ret = l;
        return 0;
}

void dropins_done(Generator *g) {
        assert(g);
        for (size_t i = 0; i < g->dropin_listings.cap; i++)
                if (g->dropin_listings.slots[i].key)
                        listing_free(g->dropin_listings.slots[i].value);
        hashmap_done(&g->dropin_listings);
        oci_parse_cache_done(&g->dropin_cache);
}

/* The *.conf files in dirs[0..n) (the one that wins first), in the order they apply: by file name;
 * of two with the same name, the one in the earlier directory wins, and a link to /dev/null masks
 * the name. A directory that does not exist has none; one that cannot be read is an error, said
 * with its path: what its drop-ins narrow must not be lost without a word. Returns -EINVAL once
 * that is said, with the drop-ins of the other directories in *ret all the same. The listings of
 * the directories marked in 'shared' are kept in g (g may be NULL if none is). */
static int find_dropins(Generator *g, OciDiagSink *sink, const char *const *dirs, const bool *shared, size_t n, char ***ret) {
        assert(n > 0);
        _cleanup_free_ Listing **ls = calloc(n, sizeof(Listing *)), **own = calloc(n, sizeof(Listing *));
        _cleanup_free_ size_t *pos = calloc(n, sizeof(size_t));
        char **paths = NULL;
        size_t np = 0;
        int r = ls && own && pos ? 0 : -ENOMEM, bad = 0;
        for (size_t i = 0; r >= 0 && i < n; i++) {
                r = get_listing(shared && shared[i] ? g : NULL, dirs[i], &ls[i], &own[i]);
                if (r >= 0 && ls[i]->error)
                        bad = oci_diag(sink, LOG_ERR, dirs[i], 0, NULL, "cannot read this drop-in directory: %s; make it readable (or remove it)",
                                       strerror(ls[i]->error));
        }
        /* each listing is sorted: take the least name of their heads, from the first that has it */
        while (r >= 0) {
                size_t best = n;
                for (size_t i = 0; i < n; i++)
                        if (pos[i] < ls[i]->n && (best == n || strcmp(ls[i]->entries[pos[i]].name, ls[best]->entries[pos[best]].name) < 0))
                                best = i;
                if (best == n)
                        break;
                const Entry *e = &ls[best]->entries[pos[best]];
                if (!e->masked)
                        r = strv_push_at(&paths, np++, path_join(ls[best]->dir, e->name));
                for (size_t i = 0; i < n; i++)
                        if (i != best && pos[i] < ls[i]->n && streq(ls[i]->entries[pos[i]].name, e->name))
                                pos[i]++;
                pos[best]++;
        }
        for (size_t i = 0; own && i < n; i++)
                listing_free(own[i]);
        if (r < 0)
                return strv_free(paths), r;
        *ret = paths;
        return bad;
}

/* buf = the first alen bytes of a, then mid, ext and ".d"; the length, or -1 when it does not fit.
 * Not snprintf(): this runs several times for every definition, and a copy costs a tenth. */
static int dir_name(char *buf, size_t size, const char *a, size_t alen, const char *mid, const char *ext) {
        size_t ml = strlen(mid), el = strlen(ext);
        if (alen + ml + el + 2 >= size)
                return -1;
        memcpy(buf, a, alen);
        memcpy(buf + alen, mid, ml);
        memcpy(buf + alen + ml, ext, el);
        memcpy(buf + alen + ml + el, ".d", 3);
        return (int) (alen + ml + el + 2);
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
                        n = dir_name(buf, sizeof(buf), d->name, strlen(d->name), "", ext);
                else if (step == 1) {
                        if (!d->instance || !*d->instance)
                                continue;
                        n = dir_name(buf, sizeof(buf), d->name, plen, "@", ext);
                } else if (step - 2 < plen) {
                        size_t i = plen - (step - 2);
                        if (d->name[i - 1] != '-' || i >= plen)
                                continue;
                        n = dir_name(buf, sizeof(buf), d->name, i, "", ext);
                } else if (step - 2 == plen)
                        n = dir_name(buf, sizeof(buf), ext + 1, strlen(ext + 1), "", "");
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

/* Whether the directory dir[0..len) is d's own NAME.EXT.d, which no other definition reads. */
static bool in_own_dir(const OciDefinition *d, const char *dir, size_t len) {
        const char *base = dir + len;
        while (base > dir && base[-1] != '/')
                base--;
        const char *ext = oci_unit_type_extension(d->type);
        size_t nl = strlen(d->name), el = strlen(ext);
        return (size_t) (dir + len - base) == nl + el + 2 && memcmp(base, d->name, nl) == 0 && memcmp(base + nl, ext, el) == 0 &&
               memcmp(base + nl + el, ".d", 2) == 0;
}

int definition_dropins(Generator *g, const OciDefinition *d, char ***ret) {
        if (g->dropin_dirs.n == 0) {
                /* the search path has no directory of drop-ins at all: no name to look for */
                *ret = NULL;
                return 0;
        }
        _cleanup_strv_free_ char **names = NULL, **dirs = NULL;
        int r = dropin_dir_names(g, d, &names);
        if (r < 0)
                return r;
        if (!names) {
                *ret = NULL;
                return 0;
        }
        size_t n = 0;
        for (size_t i = 0; g->dirs[i]; i++)
                for (char **name = names; *name; name++)
                        if (search_dir_has(g, i, *name) && strv_push_at(&dirs, n++, path_join(g->dirs[i], *name)) < 0)
                                return -ENOMEM;
        if (n == 0) {
                *ret = NULL;
                return 0;
        }
        /* d's own NAME.EXT.d is listed for d alone; the others are kept for the definitions after it */
        _cleanup_free_ bool *shared = malloc(n * sizeof(bool));
        if (!shared)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++)
                shared[i] = !in_own_dir(d, dirs[i], strlen(dirs[i]));
        return find_dropins(g, &g->sink, (const char *const *) dirs, shared, n, ret);
}

static bool same_file(const char *a, const char *b) {
        struct stat sa, sb;
        return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

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

const char *definition_template(Generator *g, const OciDefinition *d) {
        assert(g);
        assert(d);
        const Node *t = find_template(g, d);
        return t ? t->summary.path : NULL;
}

int load_definition(Generator *g, const Node *n, OciDefinition *d) {
        assert(g);
        assert(n);
        assert(d);
        unsigned sections = oci_unit_type_sections(d->type);
        int r = 0;
        const Node *t = find_template(g, d);
        if (t)
                GATHER_OR_RETURN(r, oci_parse_dropin(d, t->summary.path, sections, &g->sink));
        /* an instance that is a link to its template: the text once */
        if (!t || !same_file(t->summary.path, d->path)) {
                /* opened in its directory, as readdir() found it */
                const char *name;
                int dir_fd = node_dir_fd(g, n, &name);
                GATHER_OR_RETURN(r, oci_parse_file_at(d, dir_fd, name, n->regular, sections, &g->sink));
        }
        _cleanup_strv_free_ char **dropins = NULL;
        GATHER_OR_RETURN(r, definition_dropins(g, d, &dropins));
        for (char **p = dropins; p && *p; p++) {
                log_msg(LOG_DEBUG, "%s: drop-in %s", d->path, *p);
                /* one in a directory of its own is read once anyway; the others may apply to every
                 * definition, and are read once for all of them */
                GATHER_OR_RETURN(r, in_own_dir(d, *p, (size_t) (strrchr(*p, '/') - *p))
                                            ? oci_parse_dropin(d, *p, sections, &g->sink)
                                            : oci_parse_dropin_cached(d, *p, sections, &g->sink, &g->dropin_cache));
        }
        return r;
}

/* The defaults file: $OCI_CONTAINERS_CONF ("" for none), else the first unmasked one of SYSCONF_DIR
 * and VENDOR_DIR; NULL when there is none. */
const char *defaults_file(void) {
        const char *env = getenv("OCI_CONTAINERS_CONF");
        if (env)
                return *env && access(env, F_OK) == 0 ? env : NULL;
        static const char *const mains[] = { SYSCONF_DIR "/oci-containers.conf", VENDOR_DIR "/oci-containers.conf" };
        for (size_t i = 0; i < ELEMENTSOF(mains); i++)
                if (access(mains[i], F_OK) == 0 && !is_masked(mains[i]))
                        return mains[i];
        return NULL;
}

/* What reading the defaults file says goes on to the generator's sink, and each error leaves in
 * doubt what it might have been meant to set: while the files are read, anything (a misspelt key
 * could be any key); once their values are checked, the key whose value it is. */
typedef struct DefaultsReader {
        Generator *g;
        bool checking_values;
        int r; /* -ENOMEM once noting a doubt ran out of memory */
} DefaultsReader;

static void defaults_diag(void *userdata, const OciDiag *diag) {
        DefaultsReader *rd = userdata;
        OciDiagSink *next = &rd->g->sink;
        if (next->fn)
                next->fn(next->userdata, diag);
        if (diag->level <= LOG_ERR &&
            oci_defaults_doubt(rd->g->defaults, rd->checking_values ? diag->key : NULL, diag->file, diag->line) < 0)
                rd->r = -ENOMEM;
}

/* The defaults file, then the drop-ins of SYSCONF_DIR, /run and VENDOR_DIR (the earlier directory
 * winning; none with $OCI_CONTAINERS_CONF), each reported under its own path. A mistake in them
 * must not widen what a definition does (a misspelt PublishAddress= would publish on every
 * address): every line read without error applies, and a key that an error might have been meant
 * to set is in doubt, which the definitions that take it are refused for (oci_defaults_doubt()). */
int load_defaults(Generator *g) {
        assert(g);
        static const char *const dropin_dirs[] = { SYSCONF_DIR "/oci-containers.conf.d", "/run/oci-containers.conf.d",
                                                   VENDOR_DIR "/oci-containers.conf.d" };
        bool with_dropins = !getenv("OCI_CONTAINERS_CONF");
        const char *main_file = defaults_file();
        DefaultsReader rd = { .g = g };
        OciDiagSink sink = { .fn = defaults_diag, .userdata = &rd };
        /* with no main file, the drop-ins apply to nothing but the built-in defaults, and what is
         * said of the file as a whole names the one that would be read */
        g->defaults = oci_definition_new(main_file ? main_file : SYSCONF_DIR "/oci-containers.conf", _OCI_UNIT_TYPE_INVALID);
        if (!g->defaults)
                return -ENOMEM;
        _cleanup_strv_free_ char **dropins = NULL;
        int r = with_dropins ? find_dropins(NULL, &sink, dropin_dirs, NULL, ELEMENTSOF(dropin_dirs), &dropins) : 0;
        if (r != -ENOMEM && main_file)
                r = oci_parse_file(g->defaults, OCI_DEFAULTS_SECTIONS, &sink);
        for (char **f = dropins; f && *f && r != -ENOMEM; f++)
                r = oci_parse_dropin(g->defaults, *f, OCI_DEFAULTS_SECTIONS, &sink);
        if (r != -ENOMEM && rd.r >= 0) {
                rd.checking_values = true;
                r = oci_check_defaults(g->defaults, &sink);
        }
        g->sink.n_errors += sink.n_errors;
        g->sink.n_warnings += sink.n_warnings;
        if (r == -ENOMEM || rd.r < 0)
                return -ENOMEM;
        if (sink.n_errors > 0) {
                log_msg(LOG_ERR, "The defaults file has the errors above: what they might have been meant to set is in doubt, "
                                 "and a definition that takes it is not generated");
                g->n_failed++;
        }
        return 0;
}
