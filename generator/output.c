/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Writing a definition's units into the output directory, with their links; or printing them
 * (--dry-run), or nothing at all (--check). A definition is written whole or not at all. */
#include <assert.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "generator.h"

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

static bool link_points_to(const char *link, const char *target) {
        char old[PATH_MAX];
        ssize_t n = readlink(link, old, sizeof(old) - 1);
        return n >= 0 && (size_t) n == strlen(target) && memcmp(old, target, (size_t) n) == 0;
}

/* Remove u and its links, once written. Returns r. */
static int unwrite_unit(Generator *g, const OciUnitFile *u, int r) {
        for (size_t i = 0; i < u->n_links; i++) {
                _cleanup_free_ char *link = path_join(g->output, u->links[i].path);
                if (link && link_points_to(link, u->links[i].target))
                        unlink(link);
        }
        _cleanup_free_ char *path = path_join(g->output, u->name);
        if (path)
                unlink(path);
        return r;
}

static void print_unit(const OciUnitFile *u, const char *text) {
        printf("---%s---\n%s", u->name, text);
        for (size_t i = 0; i < u->n_links; i++)
                printf("---%s: link %s -> %s---\n", u->name, u->links[i].path, u->links[i].target);
        printf("\n");
}

/* The directory of a link (a .wants/ or .requires/ of the output), once per run. */
static int make_link_dir(Generator *g, const char *source, char *dir) {
        if (hashmap_get(&g->made_dirs, dir))
                return 0;
        if (mkdir(dir, 0755) < 0 && errno != EEXIST)
                return oci_diag(&g->sink, LOG_ERR, source, 0, NULL, "cannot create %s: %s", dir, strerror(errno));
        if (strv_extend(&g->made_dir_names, dir) < 0 ||
            hashmap_put(&g->made_dirs, g->made_dir_names[strv_length(g->made_dir_names) - 1], g) < 0)
                return -ENOMEM;
        return 0;
}

static int write_links(Generator *g, const char *source, const OciUnitFile *u) {
        for (size_t i = 0; i < u->n_links; i++) {
                _cleanup_free_ char *link = path_join(g->output, u->links[i].path);
                if (!link)
                        return -ENOMEM;
                char *slash = strrchr(link, '/');
                if (slash > link + g->output_len) {
                        *slash = 0;
                        int r = make_link_dir(g, source, link);
                        if (r == -ENOMEM)
                                return r;
                        if (r < 0)
                                return unwrite_unit(g, u, r);
                        *slash = '/';
                }
                if (symlink(u->links[i].target, link) < 0) {
                        if (errno != EEXIST)
                                return unwrite_unit(g, u, oci_diag(&g->sink, LOG_ERR, source, 0, NULL, "cannot link %s: %s", link, strerror(errno)));
                        if (!link_points_to(link, u->links[i].target))
                                oci_diag(&g->sink, LOG_WARNING, source, 0, NULL, "%s exists already and points elsewhere, leaving it", link);
                }
        }
        return 0;
}

/* --dry-run: a companion may yet yield its name to a definition processed later, so it is printed
 * at the end, when every name is settled, and no name is printed twice. */
static int defer_unit(Generator *g, const OciUnitFile *u, const char *text) {
        assert(u->n_links == 0);
        Deferred *l = realloc(g->deferred, (g->n_deferred + 1) * sizeof(Deferred));
        if (!l)
                return -ENOMEM;
        g->deferred = l;
        char *name = strdup(u->name), *copy = strdup(text);
        if (!name || !copy) {
                free(name);
                free(copy);
                return -ENOMEM;
        }
        g->deferred[g->n_deferred++] = (Deferred) { .name = name, .text = copy };
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
                        printf("---%s---\n%s\n", g->deferred[i].name, g->deferred[i].text);
}

static int write_unit(Generator *g, const char *source, const OciUnitFile *u, bool deferred) {
        assert(g && source && u);
        _cleanup_free_ char *text = g->dry_run ? oci_unit_to_display(u) : oci_unit_to_string(u);
        if (!text)
                return -ENOMEM;
        if (g->check)
                return 0;
        if (g->dry_run && deferred)
                return defer_unit(g, u, text);
        if (g->dry_run) {
                print_unit(u, text);
                return 0;
        }

        _cleanup_free_ char *path = path_join(g->output, u->name);
        if (!path)
                return -ENOMEM;
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, oci_unit_file_mode(u));
        if (fd < 0)
                return oci_diag(&g->sink, LOG_ERR, source, 0, NULL, "cannot create %s: %s%s", path, strerror(errno),
                                errno == EEXIST ? " (another definition or generator made a unit of that name)" : "");
        int r = write_all(fd, text, strlen(text));
        if (close(fd) < 0 && r >= 0)
                r = -errno;
        if (r < 0) {
                unlink(path);
                return oci_diag(&g->sink, LOG_ERR, source, 0, NULL, "cannot write %s: %s", path, strerror(-r));
        }
        return write_links(g, source, u);
}

int write_unit_file(Generator *g, const char *source, const OciUnitFile *u) {
        return write_unit(g, source, u, false);
}

int render_and_write(Generator *g, OciDefinition *d, const char *companion, bool keep_companion) {
        assert(g);
        assert(d);
        OciUnitFile **units = NULL;
        int r = oci_render(d, &g->rctx, &units);
        size_t k = 0;
        for (; r >= 0 && units[k]; k++) {
                bool is_companion = companion && streq(units[k]->name, companion);
                if (!is_companion || keep_companion)
                        r = write_unit(g, d->path, units[k], is_companion);
        }
        for (size_t j = 0; r < 0 && !g->dry_run && !g->check && j + 1 < k; j++)
                if (!companion || !streq(units[j]->name, companion) || keep_companion)
                        unwrite_unit(g, units[j], 0); /* those written before the one that failed */
        oci_unit_list_free(units);
        return r;
}
