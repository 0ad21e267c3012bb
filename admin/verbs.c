/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* install, rm, apply: what changes the definitions or the running services. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "admin.h"
#include "generator.h"

/* mkdir -p, each directory made 0755 */
static int mkdir_parents(const char *path) {
        _cleanup_free_ char *p = strdup(path);
        if (!p)
                return -ENOMEM;
        for (char *s = p + 1;; s++) {
                if (*s != '/' && *s)
                        continue;
                char c = *s;
                *s = 0;
                if (mkdir(p, 0755) < 0 && errno != EEXIST)
                        return -errno;
                if (!c)
                        return 0;
                *s = c;
        }
}

static int copy_file(const char *from, const char *to, mode_t mode) {
        _cleanup_free_ char *tmp = xasprintf("%s.oci-containers-new", to);
        if (!tmp)
                return -ENOMEM;
        int in = open(from, O_RDONLY | O_CLOEXEC);
        if (in < 0)
                return -errno;
        int out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
        if (out < 0) {
                int e = errno;
                close(in);
                return -e;
        }
        char buf[65536];
        ssize_t k;
        int r = 0;
        while (r == 0 && (k = read(in, buf, sizeof(buf))) != 0) {
                if (k < 0 || write(out, buf, (size_t) k) != k)
                        r = -errno ? -errno : -EIO;
        }
        /* the mode asked for, whatever the umask */
        if (r == 0 && fchmod(out, mode) < 0)
                r = -errno;
        close(in);
        if (close(out) < 0 && r == 0)
                r = -errno;
        if (r == 0 && rename(tmp, to) < 0)
                r = -errno;
        if (r < 0)
                unlink(tmp);
        return r;
}

/* the main unit of each definition at paths[]: its unit, not its NAME-pull.service */
static int start_units_of(Context *c, char **paths) {
        _cleanup_free_ char *gdir = generator_dir(c);
        Snapshot s = {};
        int r = gdir ? snapshot_read(gdir, &s) : -ENOMEM;
        int ret = 0;
        for (char **p = paths; r >= 0 && *p; p++) {
                _cleanup_free_ const char **units = snapshot_units_of(&s, *p);
                if (!units) {
                        r = -ENOMEM;
                        break;
                }
                if (!units[0]) {
                        log_error("Failed to start the unit of %s: the generator made none (see \"oci-containers%s status %s\").", *p,
                                  c->user ? " --user" : "", strrchr(*p, '/') + 1);
                        ret = 1;
                }
                for (const char **u = units; *u; u++) {
                        const SnapUnit *su = snapshot_find(&s, *u);
                        if (endswith(*u, "-pull.service") && units[1])
                                continue;
                        if (su->stand_in) {
                                log_error("Failed to start %s: its definition has errors.", *u);
                                ret = 1;
                        } else if (strstr(*u, "@.")) {
                                /* a template starts nothing itself: what it starts at boot does */
                                for (char **l = s.linked; l && *l; l++)
                                        if (unit_is_instance_of(*l, *u) && bus_unit_job(c, "start", *l) < 0)
                                                ret = 1;
                        } else if (bus_unit_job(c, "start", *u) < 0)
                                ret = 1;
                }
        }
        snapshot_done(&s);
        if (r < 0) {
                log_error("Failed to read the generated units: %s", strerror(-r));
                return 1;
        }
        return ret;
}

int verb_install(Context *c, char **args) {
        Items it = {};
        _cleanup_free_ char *dir = admin_dir(c);
        _cleanup_strv_free_ char **defs = NULL;
        int r = dir ? 0 : -ENOMEM;
        for (char **a = args; r >= 0 && *a; a++)
                r = install_collect(&it, *a, dir);
        if (r < 0) {
                items_done(&it);
                return 1;
        }
        /* every file is checked before one is copied; nothing is installed if one fails */
        Generator g = { .user = c->user, .check = true, .check_args = args, .check_search_path = true };
        g.sink = (OciDiagSink) { .fn = report_diag, .userdata = &g };
        if (generator_check(&g, "oci-containers") != 0) {
                log_error("Failed to install: the definitions have errors; nothing was installed.");
                items_done(&it);
                return 1;
        }
        for (size_t i = 0; i < it.n; i++) {
                _cleanup_free_ char *to = path_join(dir, it.v[i].to);
                if (to && access(to, F_OK) == 0 && !c->replace) {
                        log_error("Failed to install %s: %s exists (--replace overwrites it); nothing was installed.", it.v[i].from, to);
                        r = -EEXIST;
                }
        }
        for (size_t i = 0; r >= 0 && i < it.n; i++) {
                _cleanup_free_ char *to = path_join(dir, it.v[i].to);
                _cleanup_free_ char *parent = to ? path_dirname(to) : NULL;
                if (!parent) {
                        r = -ENOMEM;
                        break;
                }
                /* the directory (and ~/.config), a drop-in directory in it */
                r = mkdir_parents(parent);
                if (r >= 0)
                        r = copy_file(it.v[i].from, to, it.v[i].mode);
                if (r < 0)
                        log_error("Failed to install %s as %s: %s", it.v[i].from, to, strerror(-r));
                else if (oci_unit_type_from_filename(it.v[i].to) >= 0 && !strchr(it.v[i].to, '/'))
                        r = strv_extend(&defs, to);
        }
        items_done(&it);
        if (r < 0)
                return 1;
        if (bus_reload(c) < 0)
                return 1;
        return c->now ? start_units_of(c, defs) : 0;
}

static bool in_dir(const char *path, const char *dir) {
        const char *rest = startswith(path, dir);
        return rest && *rest == '/' && !strchr(rest + 1, '/');
}

int find_definition(const Context *c, const Snapshot *s, const char *name, char **ret) {
        _cleanup_free_ char *dir = admin_dir(c);
        if (!dir)
                return -ENOMEM;
        if (strchr(name, '/') || !*name)
                return -EINVAL;
        if (oci_unit_type_from_filename(name) >= 0) {
                _cleanup_free_ char *p = path_join(dir, name);
                if (p && access(p, F_OK) == 0) {
                        *ret = TAKE_PTR(p);
                        return 0;
                }
                return p ? -ENOENT : -ENOMEM;
        }
        /* a unit's name, or a name without the ".service" */
        _cleanup_free_ char *unit = strchr(name, '.') ? strdup(name) : xasprintf("%s.service", name);
        const SnapUnit *u = unit ? snapshot_find(s, unit) : NULL;
        if (u && u->source && in_dir(u->source, dir))
                return (*ret = strdup(u->source)) ? 0 : -ENOMEM;
        for (int t = 0; t < _OCI_UNIT_TYPE_MAX; t++) {
                _cleanup_free_ char *p = xasprintf("%s/%s%s", dir, name, oci_unit_type_extension((OciUnitType) t));
                if (p && access(p, F_OK) == 0) {
                        *ret = TAKE_PTR(p);
                        return 0;
                }
        }
        return -ENOENT;
}

int verb_rm(Context *c, char **names) {
        _cleanup_free_ char *gdir = generator_dir(c), *dir = admin_dir(c);
        Snapshot s = {};
        int r = gdir && dir ? snapshot_read(gdir, &s) : -ENOMEM;
        _cleanup_strv_free_ char **paths = NULL;
        for (char **n = names; r >= 0 && *n; n++) {
                char *p = NULL;
                int k = find_definition(c, &s, *n, &p);
                if (k == -ENOMEM)
                        r = k;
                else if (k < 0) {
                        log_error("Failed to remove %s: no such definition in %s; nothing was removed.", *n, dir);
                        r = -ENOENT;
                } else
                        r = strv_push(&paths, p);
        }
        int ret = r < 0 ? 1 : 0;
        /* a template does not run itself: its instances that run are stopped */
        _cleanup_strv_free_ char **running = NULL;
        if (c->now && r >= 0 && bus_running_units(c, &running) < 0)
                ret = 1;
        for (char **p = paths; c->now && r >= 0 && *p; p++) {
                _cleanup_free_ const char **units = snapshot_units_of(&s, *p);
                for (const char **u = units; u && *u; u++)
                        if (!strstr(*u, "@.")) {
                                if (bus_unit_job(c, "stop", *u) < 0)
                                        ret = 1;
                        } else
                                for (char **i = running; i && *i; i++)
                                        if (unit_is_instance_of(*i, *u) && bus_unit_job(c, "stop", *i) < 0)
                                                ret = 1;
        }
        for (char **p = paths; r >= 0 && *p; p++) {
                _cleanup_free_ char *d = xasprintf("%s.d", *p);
                if (unlink(*p) < 0) {
                        log_error("Failed to remove %s: %s", *p, strerror(errno));
                        ret = 1;
                }
                if (d)
                        remove_tree(d);
        }
        snapshot_done(&s);
        if (r >= 0 && bus_reload(c) < 0)
                ret = 1;
        return ret;
}

int verb_apply(Context *c) {
        _cleanup_free_ char *gdir = generator_dir(c);
        if (!gdir)
                return 1;
        Snapshot before = {}, after = {};
        /* the bus's failures are said where they happen; the others here */
        bool said = false;
        int r = snapshot_read(gdir, &before);
        if (r >= 0 && (r = bus_get(c)) < 0)
                said = true;
        else if (r >= 0 && c->dry_run) {
                /* what a reload would make, made in a directory of our own */
                _cleanup_free_ char *tmp = make_temp_dir();
                r = tmp ? generate_into(c->user, tmp, NULL) : -errno;
                if (r >= 0)
                        r = snapshot_read(tmp, &after);
                remove_tree(tmp);
        } else if (r >= 0) {
                if ((r = bus_reload(c)) < 0)
                        said = true;
                else
                        r = snapshot_read(gdir, &after);
        }
        Plan p = {};
        /* after the reload: a unit whose file is gone stays loaded while it runs */
        _cleanup_strv_free_ char **running = NULL;
        if (r >= 0 && (r = bus_running_units(c, &running)) < 0)
                said = true;
        if (r >= 0)
                r = plan_make(&before, &after, running, &p);
        int ret = r < 0 ? 1 : 0;
        if (r < 0 && !said)
                log_error("Failed to plan: %s", strerror(-r));
        if (r >= 0 && p.n == 0)
                printf("Nothing to do: no running service's generated files changed, none is new or gone.\n");
        for (size_t i = 0; i < p.n; i++) {
                const PlanStep *s = &p.steps[i];
                printf("%s %s: %s\n", plan_kind_to_string(s->kind), s->unit, s->reason);
                fflush(stdout);
                if (c->dry_run || s->kind == PLAN_KEEP)
                        continue;
                if (bus_unit_job(c, plan_kind_to_string(s->kind), s->unit) < 0)
                        ret = 1;
        }
        plan_done(&p);
        snapshot_done(&before);
        snapshot_done(&after);
        return ret;
}
