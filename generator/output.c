/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Writing a definition's units into the output directory, with their links; or printing them
 * (--dry-run), or nothing at all (--check). A definition is written whole or not at all.
 *
 * Everything is made relative to the output directory, opened once, and every directory below it
 * is opened with O_NOFOLLOW: a link planted where a directory belongs (multi-user.target.wants ->
 * /etc/systemd/system) is an error, never a way out. The modes are the files' own whatever the
 * umask the generator was started with: 0644 for units, 0600 for an environment file, 0755 for
 * the directories of links. */
#include <assert.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "generator.h"

/* A subdirectory of the output made (or found) already. The first few stay open: links go to a
 * handful of them (multi-user.target.wants, oci-containers.target.d), and a value with
 * thousands (WantedBy=) must not run out of descriptors. */
typedef struct LinkDir {
        int fd; /* -1: not kept open */
        char name[];
} LinkDir;

#define LINK_DIRS_KEPT_OPEN 16u

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

/* OUTPUT/REL, the first n bytes of rel, as messages name it (the caller frees it; NULL: rel). */
static char *shown(const Generator *g, const char *rel, size_t n) {
        _cleanup_free_ char *r = strndup(rel, n);
        return r ? path_join(g->output, r) : NULL;
}

/* The output directory, opened at the first write. */
static int output_dir(Generator *g) {
        if (g->output_open)
                return g->output_fd;
        int fd = open(g->output, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        /* the modes asked for below are the ones the files get */
        umask(0);
        g->output_fd = fd;
        g->output_open = true;
        return fd;
}

void output_done(Generator *g) {
        assert(g);
        for (size_t i = 0; i < g->made_dirs.cap; i++) {
                LinkDir *l = g->made_dirs.slots[i].key ? g->made_dirs.slots[i].value : NULL;
                if (l && l->fd >= 0)
                        close(l->fd);
                free(l);
        }
        hashmap_done(&g->made_dirs);
        if (g->output_open)
                close(g->output_fd);
        g->output_open = false;
}

/* dir, a path below the output directory, opened one component after the other with O_NOFOLLOW,
 * each made first (mode 0755) if create. Returns the descriptor, or -errno with the component
 * that failed in *ret_bad (the length of dir up to its end). */
static int open_below(int top, const char *dir, bool create, size_t *ret_bad) {
        int fd = top;
        for (const char *c = dir; *c;) {
                size_t n = strcspn(c, "/");
                char part[NAME_MAX + 1];
                int r = 0;
                if (n == 0 || n >= sizeof(part) || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
                        r = -EINVAL; /* the links' paths are the library's: a bug if so */
                else {
                        memcpy(part, c, n);
                        part[n] = 0;
                        if (create && mkdirat(fd, part, 0755) < 0 && errno != EEXIST)
                                r = -errno;
                }
                int next = r < 0 ? r : openat(fd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (next < 0 && r >= 0)
                        r = -errno;
                if (fd != top)
                        close(fd);
                if (r < 0) {
                        *ret_bad = (size_t) (c - dir) + n;
                        return r;
                }
                fd = next;
                c += n + (c[n] == '/');
        }
        return fd == top ? fcntl(top, F_DUPFD_CLOEXEC, 3) : fd;
}

/* The directory of a link, a subdirectory of the output: made once a run, kept open if it is one of
 * the first. Returns a descriptor the caller closes when *ret_close. */
static int link_dir(Generator *g, const char *source, const char *dir, bool *ret_close) {
        LinkDir *l = hashmap_get(&g->made_dirs, dir);
        if (l && l->fd >= 0) {
                *ret_close = false;
                return l->fd;
        }
        size_t bad = strlen(dir);
        int fd = open_below(g->output_fd, dir, true, &bad);
        if (fd < 0) {
                int e = -fd;
                _cleanup_free_ char *p = shown(g, dir, bad);
                return oci_diag(&g->sink, LOG_ERR, source, 0, NULL, "cannot create %s: %s", p ? p : dir,
                                e == ELOOP || e == ENOTDIR ? "it exists and is not a directory (a symbolic link is not followed here); remove it"
                                                           : strerror(e));
        }
        *ret_close = true;
        if (l)
                return fd;
        size_t len = strlen(dir);
        l = malloc(sizeof(LinkDir) + len + 1);
        if (!l || hashmap_put(&g->made_dirs, memcpy(l->name, dir, len + 1), l) < 0) {
                free(l);
                close(fd);
                return -ENOMEM;
        }
        l->fd = -1;
        if (g->made_dirs.n <= LINK_DIRS_KEPT_OPEN) {
                l->fd = fd;
                *ret_close = false;
        }
        return fd;
}

static bool link_points_to(int dirfd, const char *name, const char *target) {
        char old[PATH_MAX];
        ssize_t n = readlinkat(dirfd, name, old, sizeof(old) - 1);
        return n >= 0 && (size_t) n == strlen(target) && memcmp(old, target, (size_t) n) == 0;
}

/* The directory part of a link's path in buf (NULL for a link beside the units), its name in
 * *ret_name. The paths are the library's, a directory and a unit name: they fit. */
static const char *split_link(const char *path, char buf[static PATH_MAX], const char **ret_name) {
        const char *slash = strrchr(path, '/');
        *ret_name = slash ? slash + 1 : path;
        if (!slash)
                return NULL;
        assert(slash - path < PATH_MAX);
        memcpy(buf, path, (size_t) (slash - path));
        buf[slash - path] = 0;
        return buf;
}

/* Remove u and its links, once written. Returns r. */
static int unwrite_unit(Generator *g, const OciUnitFile *u, int r) {
        for (size_t i = 0; i < u->n_links; i++) {
                char buf[PATH_MAX];
                const char *name, *dir = split_link(u->links[i].path, buf, &name);
                size_t bad;
                int fd = dir ? open_below(g->output_fd, dir, false, &bad) : g->output_fd;
                if (fd < 0)
                        continue;
                if (link_points_to(fd, name, u->links[i].target))
                        unlinkat(fd, name, 0);
                if (dir)
                        close(fd);
        }
        unlinkat(g->output_fd, u->name, 0);
        return r;
}

static void print_unit(const OciUnitFile *u, const char *text) {
        printf("---%s---\n%s", u->name, text);
        for (size_t i = 0; i < u->n_links; i++)
                printf("---%s: link %s -> %s---\n", u->name, u->links[i].path, u->links[i].target);
        printf("\n");
}

static int write_links(Generator *g, const char *source, const OciUnitFile *u) {
        for (size_t i = 0; i < u->n_links; i++) {
                char buf[PATH_MAX];
                const char *name, *dir = split_link(u->links[i].path, buf, &name);
                bool close_it = false;
                int fd = dir ? link_dir(g, source, dir, &close_it) : g->output_fd;
                if (fd == -ENOMEM)
                        return fd;
                if (fd < 0)
                        return unwrite_unit(g, u, fd);
                int r = 0;
                if (symlinkat(u->links[i].target, fd, name) < 0) {
                        int e = errno;
                        _cleanup_free_ char *p = shown(g, u->links[i].path, strlen(u->links[i].path));
                        if (e != EEXIST)
                                r = oci_diag(&g->sink, LOG_ERR, source, 0, NULL, "cannot link %s: %s", p ? p : name, strerror(e));
                        else if (!link_points_to(fd, name, u->links[i].target))
                                oci_diag(&g->sink, LOG_WARNING, source, 0, NULL, "%s exists already and points elsewhere, leaving it",
                                         p ? p : name);
                }
                if (close_it)
                        close(fd);
                if (r < 0)
                        return unwrite_unit(g, u, r);
        }
        return 0;
}

/* --dry-run: a companion may yet yield its name to a definition processed later, so it is printed
 * at the end, when every name is settled, and no name is printed twice; a pod's unit is told its
 * members at the end. */
static int defer_unit(Generator *g, const OciUnitFile *u, const char *text) {
        Deferred *l = realloc(g->deferred, (g->n_deferred + 1) * sizeof(Deferred));
        if (!l)
                return -ENOMEM;
        g->deferred = l;
        StrBuf links = {};
        int r = 0;
        for (size_t i = 0; r >= 0 && i < u->n_links; i++)
                r = strbuf_printf(&links, "---%s: link %s -> %s---\n", u->name, u->links[i].path, u->links[i].target);
        char *name = strdup(u->name), *copy = strdup(text);
        if (!name || !copy || r < 0) {
                free(name);
                free(copy);
                strbuf_done(&links);
                return -ENOMEM;
        }
        g->deferred[g->n_deferred++] = (Deferred) { .name = name, .text = copy, .links = links.s };
        return 0;
}

void remove_companion(Generator *g, const char *name) {
        assert(g && name);
        if (g->check)
                return;
        if (g->dry_run) {
                for (size_t i = 0; i < g->n_deferred; i++)
                        if (streq(g->deferred[i].name, name)) {
                                free(g->deferred[i].text);
                                g->deferred[i].text = NULL;
                        }
                return;
        }
        /* made by this run with O_EXCL, and nothing links to it */
        _cleanup_free_ char *path = path_join(g->output, name);
        if (path)
                unlink(path);
}

void print_deferred(Generator *g) {
        assert(g);
        for (size_t i = 0; i < g->n_deferred; i++)
                if (g->deferred[i].text)
                        printf("---%s---\n%s%s\n", g->deferred[i].name, g->deferred[i].text,
                               g->deferred[i].links ? g->deferred[i].links : "");
}

/* The text with --network-alias=ALIAS for each alias after the "--replace" of its podman pod create
 * line (ExecStartPre=), where podman takes a pod's aliases. An alias is made of unit names, whose
 * only character a unit line must escape is '\\'. */
static char *with_aliases(const char *text, char *const *aliases, size_t n) {
        const char *create = strstr(text, "\nExecStartPre=");
        const char *eol = create ? strchr(create + 1, '\n') : NULL;
        const char *at = create ? strstr(create, " pod create ") : NULL;
        at = at && eol && at < eol ? strstr(at, " --replace") : NULL;
        if (!at || at > eol)
                return strdup(text);
        at += strlen(" --replace");
        StrBuf b = {};
        int r = strbuf_putn(&b, text, (size_t) (at - text));
        for (size_t i = 0; r >= 0 && i < n; i++) {
                r = strbuf_puts(&b, " --network-alias=");
                for (const char *c = aliases[i]; r >= 0 && *c; c++)
                        r = *c == '\\' ? strbuf_puts(&b, "\\\\") : strbuf_putc(&b, *c);
        }
        if (r >= 0)
                r = strbuf_puts(&b, at);
        if (r < 0) {
                strbuf_done(&b);
                return NULL;
        }
        return strbuf_steal(&b);
}

/* The unit's text with Wants= and Before= of each member at the end of its [Unit] section (the
 * first one, always there: the generator's own lines start it), and its members' aliases. */
static char *with_members(const char *source, const Node *pod) {
        const PodMembers *m = pod->pod;
        assert(m);
        _cleanup_free_ char *aliased = m->n_aliases ? with_aliases(source, m->aliases, m->n_aliases) : strdup(source);
        if (!aliased)
                return NULL;
        const char *text = aliased;
        char *const *members = m->units;
        size_t n = m->n_units;
        const char *unit = strstr(text, "\n[Unit]\n");
        const char *end = unit ? strstr(unit + 1, "\n[") : NULL;
        size_t at = unit && end ? (size_t) (end - text) : strlen(text);
        StrBuf b = {};
        int r = strbuf_putn(&b, text, at);
        for (size_t i = 0; r >= 0 && i < n; i++)
                r = strbuf_printf(&b, "Wants=%s\nBefore=%s\n", members[i], members[i]);
        if (r >= 0)
                r = strbuf_puts(&b, text + at);
        if (r < 0) {
                strbuf_done(&b);
                return NULL;
        }
        return strbuf_steal(&b);
}

/* The written unit of a pod, told its members: read back, and replaced whole (a file of its own
 * first, renamed over it), so that it is never half written. */
static int rewrite_pod(Generator *g, const Node *n) {
        const char *unit = n->summary.unit_name;
        _cleanup_free_ char *tmp = xasprintf(".%s.members", unit);
        _cleanup_free_ char *shown_path = shown(g, unit, strlen(unit));
        if (!tmp || !shown_path)
                return -ENOMEM;
        int top = output_dir(g);
        if (top < 0)
                return oci_diag(&g->sink, LOG_ERR, n->summary.path, 0, NULL, "cannot open %s: %s", g->output, strerror(-top));
        int fd = openat(top, unit, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
        struct stat st;
        if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
                int e = fd < 0 ? errno : EINVAL;
                if (fd >= 0)
                        close(fd);
                return oci_diag(&g->sink, LOG_ERR, n->summary.path, 0, NULL, "cannot read %s back to add its members: %s",
                                shown_path, strerror(e));
        }
        _cleanup_free_ char *text = malloc((size_t) st.st_size + 1);
        ssize_t k = text ? read(fd, text, (size_t) st.st_size) : -1;
        close(fd);
        if (!text)
                return -ENOMEM;
        if (k != st.st_size)
                return oci_diag(&g->sink, LOG_ERR, n->summary.path, 0, NULL, "cannot read %s back to add its members", shown_path);
        text[k] = 0;
        _cleanup_free_ char *full = with_members(text, n);
        if (!full)
                return -ENOMEM;
        fd = openat(top, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0644);
        int r = fd < 0 ? -errno : write_all(fd, full, strlen(full));
        if (fd >= 0 && close(fd) < 0 && r >= 0)
                r = -errno;
        if (r >= 0 && renameat(top, tmp, top, unit) < 0)
                r = -errno;
        if (r < 0) {
                if (fd >= 0)
                        unlinkat(top, tmp, 0);
                return oci_diag(&g->sink, LOG_ERR, n->summary.path, 0, NULL, "cannot write %s with its members: %s", shown_path,
                                strerror(-r));
        }
        return 0;
}

int write_pod_members(Generator *g) {
        assert(g);
        for (size_t i = 0; i < g->n_nodes; i++) {
                Node *n = g->nodes[i];
                if (!n->pod || (!n->pod->n_units && !n->pod->n_aliases) || n->failed || n->state != NODE_DONE || !n->summary.unit_name || g->check)
                        continue;
                if (g->dry_run) {
                        for (size_t k = 0; k < g->n_deferred; k++)
                                if (g->deferred[k].text && streq(g->deferred[k].name, n->summary.unit_name)) {
                                        char *full = with_members(g->deferred[k].text, n);
                                        if (!full)
                                                return -ENOMEM;
                                        free(g->deferred[k].text);
                                        g->deferred[k].text = full;
                                }
                        continue;
                }
                int r = rewrite_pod(g, n);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        g->n_failed++;
        }
        return 0;
}

static int show_unit(Generator *g, const OciUnitFile *u, bool deferred) {
        _cleanup_free_ char *text = oci_unit_to_display(u);
        if (!text)
                return -ENOMEM;
        if (g->check)
                return 0;
        if (deferred)
                return defer_unit(g, u, text);
        print_unit(u, text);
        return 0;
}

static int write_unit(Generator *g, const char *source, const OciUnitFile *u, bool deferred) {
        assert(g && source && u);
        if (g->dry_run)
                return show_unit(g, u, deferred);
        /* the text of each unit in turn, in one buffer that keeps its room from one to the next
         * (never freed: it lives as long as the program) */
        static StrBuf text;
        text.len = 0;
        if (oci_unit_put_text(u, &text) < 0)
                return -ENOMEM;
        if (g->check)
                return 0;

        /* a unit's name is one file name: it never has a '/' */
        assert(!strchr(u->name, '/'));
        int top = output_dir(g);
        if (top < 0)
                return oci_diag(&g->sink, LOG_ERR, source, 0, NULL, "cannot open %s: %s", g->output, strerror(-top));
        int fd = openat(top, u->name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, oci_unit_file_mode(u));
        if (fd < 0) {
                int e = errno;
                _cleanup_free_ char *p = shown(g, u->name, strlen(u->name));
                return oci_diag(&g->sink, LOG_ERR, source, 0, NULL, "cannot create %s: %s%s", p ? p : u->name, strerror(e),
                                e == EEXIST ? " (another definition or generator made a unit of that name)" : "");
        }
        int r = write_all(fd, text.s, text.len);
        if (close(fd) < 0 && r >= 0)
                r = -errno;
        if (r < 0) {
                unlinkat(top, u->name, 0);
                _cleanup_free_ char *p = shown(g, u->name, strlen(u->name));
                return oci_diag(&g->sink, LOG_ERR, source, 0, NULL, "cannot write %s: %s", p ? p : u->name, strerror(-r));
        }
        return write_links(g, source, u);
}

#define TARGET_WANTS_HEADER                                                                          \
        "# Automatically generated by oci-containers-generator\n"                                      \
        "# \"systemctl start oci-containers.target\" starts these: the units made from definitions\n" \
        "# that start at boot or have an [Install] section\n\n[Unit]\n"

/* The drop-in's text on its way out: in pieces of a buffer's size, to standard output with
 * --dry-run. Its lines are made at the end, from the nodes, not kept as they come. */
typedef struct DropinOut {
        int fd; /* -1: standard output */
        int r;  /* the first error */
        size_t len;
        char buf[16384];
} DropinOut;

static void dropin_flush(DropinOut *o) {
        if (o->r >= 0 && o->len)
                o->r = write_all(o->fd, o->buf, o->len);
        o->len = 0;
}

static void dropin_put(DropinOut *o, const char *s) {
        size_t n = strlen(s);
        if (o->fd < 0)
                fputs(s, stdout);
        else if (n > sizeof(o->buf) - o->len) {
                dropin_flush(o);
                if (n > sizeof(o->buf)) {
                        if (o->r >= 0)
                                o->r = write_all(o->fd, s, n);
                } else
                        o->len = (size_t) (stpcpy(o->buf, s) - o->buf);
        } else
                o->len = (size_t) (stpcpy(o->buf + o->len, s) - o->buf);
}

/* The header, a Wants= line for each unit of a node marked, then those of other names. */
static int put_target_wants(Generator *g, DropinOut *o) {
        dropin_put(o, TARGET_WANTS_HEADER);
        for (size_t i = 0; i < g->n_nodes; i++)
                if (g->nodes[i]->target_wanted) {
                        dropin_put(o, "Wants=");
                        dropin_put(o, g->nodes[i]->summary.unit_name);
                        dropin_put(o, "\n");
                }
        if (g->target_wants.len)
                dropin_put(o, g->target_wants.s);
        if (o->fd >= 0)
                dropin_flush(o);
        return o->r;
}

int write_target_wants(Generator *g) {
        assert(g);
        if (g->check || (!g->n_target_wanted && !g->target_wants.len))
                return 0;
        /* its buffer left as it is: zeroing 16 KiB costs more than the lines of a few units; static,
         * as this runs once a run: of a buffer on the stack, the pages below it that the calls
         * from here write are page faults, a microsecond or more each */
        static DropinOut o;
        o.fd = -1;
        o.r = 0;
        o.len = 0;
        if (g->dry_run) {
                printf("---%s---\n", TARGET_WANTS_DROPIN);
                put_target_wants(g, &o);
                putchar('\n');
                return 0;
        }
        const char *name = TARGET_WANTS_NAME, *dir = TARGET_WANTS_DIR;
        bool close_it = false;
        int top = output_dir(g);
        int fd = top < 0 ? top : link_dir(g, g->output, dir, &close_it);
        if (top < 0)
                oci_diag(&g->sink, LOG_ERR, g->output, 0, NULL, "cannot open %s: %s", g->output, strerror(-top));
        int f = fd < 0 ? -1 : openat(fd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0644);
        o.fd = f;
        int r = fd < 0 ? fd : f < 0 ? -errno : put_target_wants(g, &o);
        if (f >= 0 && close(f) < 0 && r >= 0)
                r = -errno;
        if (r < 0 && f >= 0)
                unlinkat(fd, name, 0);
        if (close_it)
                close(fd);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                g->n_failed++; /* as a pod's unit that cannot be told its members */
                if (fd >= 0) { /* else output_dir() or link_dir() failed, and it was said why */
                        _cleanup_free_ char *p = path_join(g->output, TARGET_WANTS_DROPIN);
                        oci_diag(&g->sink, LOG_ERR, g->output, 0, NULL, "cannot write %s: %s; \"systemctl start "
                                 "oci-containers.target\" starts none of the containers", p ? p : TARGET_WANTS_DROPIN, strerror(-r));
                }
        }
        return 0;
}

int write_unit_file(Generator *g, const char *source, const OciUnitFile *u) {
        return write_unit(g, source, u, false);
}

int render_and_write(Generator *g, Node *n, OciDefinition *d, const char *companion, bool keep_companion) {
        assert(g && n);
        assert(d);
        OciUnitFile **units = NULL;
        int r = oci_render(d, &g->rctx, &units);
        size_t k = 0;
        for (; r >= 0 && units[k]; k++) {
                bool is_companion = companion && streq(units[k]->name, companion);
                /* a pod's unit is printed once its members are known */
                bool pod = d->type == OCI_UNIT_POD && streq(units[k]->name, d->unit_name);
                if (!is_companion || keep_companion)
                        r = write_unit(g, d->path, units[k], is_companion || pod);
        }
        for (size_t j = 0; r < 0 && !g->dry_run && !g->check && j + 1 < k; j++)
                if (!companion || !streq(units[j]->name, companion) || keep_companion)
                        unwrite_unit(g, units[j], 0); /* those written before the one that failed */
        /* the target wants what was written, once all of it was: the node's unit is marked (its
         * name is the node's), another name kept as its line */
        for (size_t j = 0; r >= 0 && !g->check && j < k; j++) {
                const char *w = units[j]->target_wants;
                if (!w)
                        continue;
                if (!n->target_wanted && n->summary.unit_name && streq(w, n->summary.unit_name)) {
                        n->target_wanted = true;
                        g->n_target_wanted++;
                        continue;
                }
                const char *const line[] = { "Wants=", w, "\n" };
                for (size_t i = 0; r >= 0 && i < ELEMENTSOF(line); i++)
                        r = strbuf_puts(&g->target_wants, line[i]);
        }
        oci_unit_list_free(units);
        return r;
}
