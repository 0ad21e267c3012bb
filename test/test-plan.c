/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The plan of "oci-containers apply" (admin/plan.c) from two snapshots and which units run, and
 * the snapshot of an output directory (admin/snapshot.c): read from files this test writes, and
 * from what the real generator writes before and after a definition is edited. No bus. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

#include "generator.h"
#include "log.h"
#include "plan.h"

/* ---- the plan, from snapshots made here ---- */

/* a snapshot's units are sorted by name (snapshot_read() sorts them) */
#define U(n, t, ...) ((SnapUnit) { .name = (char *) (n), .text = (char *) (t), __VA_ARGS__ })

static Plan make(SnapUnit *b, size_t nb, SnapUnit *a, size_t na, const char **running) {
        Snapshot before = { .units = b, .n = nb }, after = { .units = a, .n = na };
        Plan p;
        ck_assert_int_eq(plan_make(&before, &after, (char *const *) running, &p), 0);
        return p;
}

static void assert_step(const Plan *p, size_t i, PlanKind kind, const char *unit, const char *reason_part) {
        ck_assert_uint_gt(p->n, i);
        ck_assert_str_eq(plan_kind_to_string(p->steps[i].kind), plan_kind_to_string(kind));
        ck_assert_str_eq(p->steps[i].unit, unit);
        ck_assert_msg(strstr(p->steps[i].reason, reason_part), "reason '%s' lacks '%s'", p->steps[i].reason, reason_part);
}

START_TEST(test_restart_only_changed_running) {
        /* a and b run; a's unit changed, b's did not; c changed but is stopped */
        SnapUnit b[] = { U("a.service", "A1"), U("b.service", "B"), U("c.service", "C1") };
        SnapUnit a[] = { U("a.service", "A2"), U("b.service", "B"), U("c.service", "C2") };
        const char *running[] = { "a.service", "b.service", NULL };
        Plan p = make(b, 3, a, 3, running);
        ck_assert_uint_eq(p.n, 1);
        assert_step(&p, 0, PLAN_RESTART, "a.service", "generated unit changed");
        plan_done(&p);
}
END_TEST

START_TEST(test_env_and_dropins_count) {
        SnapUnit b[] = { U("a.service", "A", .env = (char *) "X=1\n"), U("b.service", "B", .dropins = (char *) "10.conf\n[Service]\n") };
        SnapUnit a[] = { U("a.service", "A", .env = (char *) "X=2\n"), U("b.service", "B") };
        const char *running[] = { "a.service", "b.service", NULL };
        Plan p = make(b, 2, a, 2, running);
        ck_assert_uint_eq(p.n, 2);
        assert_step(&p, 0, PLAN_RESTART, "a.service", "environment file changed");
        assert_step(&p, 1, PLAN_RESTART, "b.service", "drop-ins changed");
        plan_done(&p);
}
END_TEST

START_TEST(test_gone_stopped_if_running) {
        SnapUnit b[] = { U("gone.service", "G"), U("idle.service", "I"), U("kept.service", "K") };
        SnapUnit a[] = { U("kept.service", "K") };
        const char *running[] = { "gone.service", "kept.service", NULL };
        Plan p = make(b, 3, a, 1, running);
        ck_assert_uint_eq(p.n, 1);
        assert_step(&p, 0, PLAN_STOP, "gone.service", "definition is gone");
        plan_done(&p);
}
END_TEST

START_TEST(test_new_started_if_boot) {
        SnapUnit a[] = { U("boot.service", "B", .boot = true), U("lazy.service", "L"), U("bad.service", "S", .boot = true, .stand_in = true),
                         U("up.service", "U", .boot = true) };
        const char *running[] = { "up.service", NULL };
        Plan p = make(NULL, 0, a, 4, running);
        ck_assert_uint_eq(p.n, 1);
        assert_step(&p, 0, PLAN_START, "boot.service", "new");
        plan_done(&p);
}
END_TEST

START_TEST(test_broken_definition_keeps_running) {
        SnapUnit b[] = { U("web.service", "W") };
        SnapUnit a[] = { U("web.service", "STAND-IN", .stand_in = true, .boot = true) };
        const char *running[] = { "web.service", NULL };
        Plan p = make(b, 1, a, 1, running);
        ck_assert_uint_eq(p.n, 1);
        assert_step(&p, 0, PLAN_KEEP, "web.service", "has errors");
        plan_done(&p);
}
END_TEST

START_TEST(test_fixed_definition_started) {
        SnapUnit b[] = { U("lazy.service", "STAND-IN", .stand_in = true), U("web.service", "STAND-IN", .stand_in = true, .boot = true) };
        SnapUnit a[] = { U("lazy.service", "L"), U("web.service", "W", .boot = true) };
        const char *running[] = { NULL };
        Plan p = make(b, 2, a, 2, running);
        ck_assert_uint_eq(p.n, 1);
        assert_step(&p, 0, PLAN_START, "web.service", "no longer has errors");
        plan_done(&p);
}
END_TEST

START_TEST(test_order_stop_restart_start) {
        SnapUnit b[] = { U("m.service", "M1"), U("z-old.service", "Z") };
        SnapUnit a[] = { U("a-new.service", "N", .boot = true), U("m.service", "M2") };
        const char *running[] = { "m.service", "z-old.service", NULL };
        Plan p = make(b, 2, a, 2, running);
        ck_assert_uint_eq(p.n, 3);
        assert_step(&p, 0, PLAN_STOP, "z-old.service", "gone");
        assert_step(&p, 1, PLAN_RESTART, "m.service", "changed");
        assert_step(&p, 2, PLAN_START, "a-new.service", "new");
        plan_done(&p);
}
END_TEST

START_TEST(test_template_plans_its_instances) {
        /* a template does not run: its running instances restart when it changed, stop when it is
         * gone; a unit that only looks like an instance of it does not */
        SnapUnit b[] = { U("gone@.service", "G"), U("tpl@.service", "T1") };
        SnapUnit a[] = { U("tpl@.service", "T2") };
        const char *running[] = { "tpl@a.service", "other.service", "tpl@b.service", "tpl@.service", "tplx@c.service",
                                  "tpl@c.socket", "gone@x.service", NULL };
        Plan p = make(b, 2, a, 1, running);
        ck_assert_uint_eq(p.n, 3);
        assert_step(&p, 0, PLAN_STOP, "gone@x.service", "gone");
        assert_step(&p, 1, PLAN_RESTART, "tpl@a.service", "changed");
        assert_step(&p, 2, PLAN_RESTART, "tpl@b.service", "changed");
        plan_done(&p);
}
END_TEST

/* ---- snapshots of directories ---- */

static char *tmp_dir(void) {
        const char *t = getenv("TMPDIR");
        char *p = xasprintf("%s/test-plan-XXXXXX", t && *t ? t : P_tmpdir);
        ck_assert_ptr_nonnull(p);
        ck_assert_ptr_nonnull(mkdtemp(p));
        return p;
}

static void put(const char *dir, const char *name, const char *text) {
        _cleanup_free_ char *p = path_join(dir, name);
        FILE *f = fopen(p, "we");
        ck_assert_ptr_nonnull(f);
        fputs(text, f);
        ck_assert_int_eq(fclose(f), 0);
}

static void link_in(const char *dir, const char *sub, const char *unit) {
        _cleanup_free_ char *d = path_join(dir, sub), *l = xasprintf("%s/%s/%s", dir, sub, unit), *t = xasprintf("../%s", unit);
        mkdir(d, 0755);
        ck_assert_int_eq(symlink(t, l), 0);
}

static void rm_rf(const char *dir) {
        _cleanup_free_ char *cmd = xasprintf("rm -rf -- '%s'", dir);
        ck_assert_int_eq(system(cmd), 0);
}

START_TEST(test_snapshot_reads_ours_only) {
        char *dir = tmp_dir();
        put(dir, "web.service", "# Automatically generated by oci-containers-generator\n# Source: /d/w%.container\n\n[Unit]\nSourcePath=/d/w%%.container\n");
        put(dir, "web.service.env", "A=\"1\"\n");
        put(dir, "lazy.service", "# Automatically generated by oci-containers-generator\n[Unit]\n");
        put(dir, "bad.service", "# Automatically generated by oci-containers-generator\n# Stands in for /d/bad.container, which has errors\n");
        put(dir, "other.service", "# Automatically generated by systemd-fstab-generator\n");
        link_in(dir, "multi-user.target.wants", "web.service");
        link_in(dir, "oci-containers.target.wants", "lazy.service");
        link_in(dir, "oci-containers.target.wants", "web.service");
        Snapshot s;
        ck_assert_int_eq(snapshot_read(dir, &s), 0);
        ck_assert_uint_eq(s.n, 3);
        ck_assert_str_eq(s.units[0].name, "bad.service");
        ck_assert(s.units[0].stand_in);
        const SnapUnit *w = snapshot_find(&s, "web.service"), *l = snapshot_find(&s, "lazy.service");
        ck_assert_ptr_nonnull(w);
        ck_assert_ptr_nonnull(l);
        ck_assert_ptr_null(snapshot_find(&s, "other.service"));
        ck_assert(w->boot && !w->stand_in);
        ck_assert(!l->boot);
        ck_assert_str_eq(w->source, "/d/w%.container");
        ck_assert_str_eq(w->env, "A=\"1\"\n");
        ck_assert_ptr_null(l->env);
        const char **units = snapshot_units_of(&s, "/d/w%.container");
        ck_assert_ptr_nonnull(units);
        ck_assert_str_eq(units[0], "web.service");
        ck_assert_ptr_null(units[1]);
        free(units);
        snapshot_done(&s);
        rm_rf(dir);
        free(dir);
        /* a generator directory that is not there: nothing generated yet */
        ck_assert_int_eq(snapshot_read("/nonexistent/oci-containers-test", &s), 0);
        ck_assert_uint_eq(s.n, 0);
}
END_TEST

/* The real generator into a directory, from the definitions in defs. */
static void generate_to(const char *defs, const char *out) {
        setenv("OCI_CONTAINERS_UNIT_DIRS", defs, 1);
        setenv("OCI_CONTAINERS_CONF", "", 1);
        setenv("SYSTEMD_LOG_LEVEL", "crit", 1);
        log_setup("test-plan", false);
        ck_assert_int_eq(mkdir(out, 0755), 0);
        Generator g = { .output = out };
        g.sink = (OciDiagSink) { .fn = report_diag, .userdata = &g };
        ck_assert_int_eq(generate(&g), 0);
        generator_done(&g);
}

START_TEST(test_edit_restarts_that_one) {
        char *base = tmp_dir();
        _cleanup_free_ char *defs = path_join(base, "defs"), *o1 = path_join(base, "o1"), *o2 = path_join(base, "o2");
        ck_assert_int_eq(mkdir(defs, 0755), 0);
        put(defs, "web.container", "[Container]\nImage=docker.io/library/busybox\nEnvironment=A=1\n");
        put(defs, "db.container", "[Container]\nImage=docker.io/library/postgres\n");
        put(defs, "old.container", "[Container]\nImage=docker.io/library/busybox\n");
        generate_to(defs, o1);
        /* web is edited, old removed, new added (starts at boot), lazy added (does not) */
        put(defs, "web.container", "[Container]\nImage=docker.io/library/busybox\nEnvironment=A=2\n");
        _cleanup_free_ char *old = path_join(defs, "old.container");
        ck_assert_int_eq(unlink(old), 0);
        put(defs, "new.container", "[Container]\nImage=docker.io/library/busybox\n");
        put(defs, "lazy.container", "[Container]\nImage=docker.io/library/busybox\nAutoStart=no\n");
        generate_to(defs, o2);
        Snapshot before, after;
        ck_assert_int_eq(snapshot_read(o1, &before), 0);
        ck_assert_int_eq(snapshot_read(o2, &after), 0);
        ck_assert_ptr_nonnull(snapshot_find(&before, "web-pull.service"));
        const char *running[] = { "web.service", "db.service", "old.service", NULL };
        Plan p;
        ck_assert_int_eq(plan_make(&before, &after, (char *const *) running, &p), 0);
        ck_assert_uint_eq(p.n, 3);
        assert_step(&p, 0, PLAN_STOP, "old.service", "gone");
        assert_step(&p, 1, PLAN_RESTART, "web.service", "changed");
        assert_step(&p, 2, PLAN_START, "new.service", "new");
        plan_done(&p);
        snapshot_done(&before);
        snapshot_done(&after);
        rm_rf(base);
        free(base);
}
END_TEST

/* an instance file as a symlink to its template, as Quadlet's instances usually are */
static void instance_link(const char *defs, const char *name, const char *template) {
        _cleanup_free_ char *l = path_join(defs, name);
        ck_assert_int_eq(symlink(template, l), 0);
}

START_TEST(test_new_instances_of_a_template) {
        char *base = tmp_dir();
        _cleanup_free_ char *defs = path_join(base, "defs"), *o1 = path_join(base, "o1"), *o2 = path_join(base, "o2");
        _cleanup_free_ char *dropins = path_join(defs, "tpl@a.container.d");
        ck_assert_int_eq(mkdir(defs, 0755), 0);
        put(defs, "tpl@.container", "[Container]\nImage=docker.io/library/busybox\nExec=sleep %i\n");
        instance_link(defs, "tpl@a.container", "tpl@.container");
        put(defs, "web@.container", "[Container]\nImage=docker.io/library/busybox\n[Install]\nWantedBy=multi-user.target\n");
        generate_to(defs, o1);
        /* a new instance file (b); a file for an instance that ran from the template (c); a drop-in
         * for an instance that has a file (a); a template that now starts an instance at boot (x) */
        instance_link(defs, "tpl@b.container", "tpl@.container");
        put(defs, "tpl@c.container", "[Container]\nEnvironment=C=1\n");
        ck_assert_int_eq(mkdir(dropins, 0755), 0);
        put(dropins, "10-env.conf", "[Container]\nEnvironment=A=1\n");
        put(defs, "web@.container", "[Container]\nImage=docker.io/library/busybox\n[Install]\nWantedBy=multi-user.target\nDefaultInstance=x\n");
        generate_to(defs, o2);
        Snapshot before, after;
        ck_assert_int_eq(snapshot_read(o1, &before), 0);
        ck_assert_int_eq(snapshot_read(o2, &after), 0);
        ck_assert_ptr_null(before.linked);
        ck_assert_ptr_nonnull(after.linked);
        ck_assert_str_eq(after.linked[0], "web@x.service");
        ck_assert_ptr_null(after.linked[1]);
        /* d runs from the template, which did not change: nothing for it */
        const char *running[] = { "tpl@a.service", "tpl@c.service", "tpl@d.service", NULL };
        Plan p;
        ck_assert_int_eq(plan_make(&before, &after, (char *const *) running, &p), 0);
        ck_assert_uint_eq(p.n, 4);
        assert_step(&p, 0, PLAN_RESTART, "tpl@a.service", "changed");
        assert_step(&p, 1, PLAN_RESTART, "tpl@c.service", "definition of its own");
        assert_step(&p, 2, PLAN_START, "tpl@b.service", "new and starts at boot");
        assert_step(&p, 3, PLAN_START, "web@x.service", "DefaultInstance=");
        plan_done(&p);
        /* x started by hand and stopped again: the next plan leaves it stopped */
        const char *none[] = { NULL };
        ck_assert_int_eq(plan_make(&after, &after, (char *const *) none, &p), 0);
        ck_assert_uint_eq(p.n, 0);
        plan_done(&p);
        snapshot_done(&before);
        snapshot_done(&after);
        rm_rf(base);
        free(base);
}
END_TEST

START_TEST(test_template_edit_restarts_each_instance_once) {
        char *base = tmp_dir();
        _cleanup_free_ char *defs = path_join(base, "defs"), *o1 = path_join(base, "o1"), *o2 = path_join(base, "o2");
        ck_assert_int_eq(mkdir(defs, 0755), 0);
        put(defs, "tpl@.container", "[Container]\nImage=docker.io/library/busybox\nEnvironment=V=1\n");
        instance_link(defs, "tpl@a.container", "tpl@.container");
        generate_to(defs, o1);
        put(defs, "tpl@.container", "[Container]\nImage=docker.io/library/busybox\nEnvironment=V=2\n");
        generate_to(defs, o2);
        Snapshot before, after;
        ck_assert_int_eq(snapshot_read(o1, &before), 0);
        ck_assert_int_eq(snapshot_read(o2, &after), 0);
        /* a has a unit of its own, which changed with its template; z runs from the template */
        const char *running[] = { "tpl@a.service", "tpl@z.service", NULL };
        Plan p;
        ck_assert_int_eq(plan_make(&before, &after, (char *const *) running, &p), 0);
        ck_assert_uint_eq(p.n, 2);
        assert_step(&p, 0, PLAN_RESTART, "tpl@a.service", "changed");
        assert_step(&p, 1, PLAN_RESTART, "tpl@z.service", "changed");
        plan_done(&p);
        snapshot_done(&before);
        snapshot_done(&after);
        rm_rf(base);
        free(base);
}
END_TEST

START_TEST(test_linked_instance_of_fixed_template) {
        /* the stand-in of a template links nothing; once fixed, its DefaultInstance= starts */
        SnapUnit b[] = { U("t@.service", "STAND-IN", .stand_in = true) };
        SnapUnit a[] = { U("t@.service", "T") };
        char *linked[] = { (char *) "t@x.service", NULL };
        Snapshot before = { .units = b, .n = 1 }, after = { .units = a, .n = 1, .linked = linked };
        const char *running[] = { NULL };
        Plan p;
        ck_assert_int_eq(plan_make(&before, &after, (char *const *) running, &p), 0);
        ck_assert_uint_eq(p.n, 1);
        assert_step(&p, 0, PLAN_START, "t@x.service", "no longer has errors");
        plan_done(&p);
}
END_TEST

/* install's check: a new file refers to a definition installed already (the search path), found;
 * plain --check of the file alone does not look there */
static unsigned check_errors(const char *file, bool search_path) {
        char *args[] = { (char *) file, NULL };
        Generator g = { .check = true, .check_args = args, .check_search_path = search_path };
        g.sink = (OciDiagSink) { .fn = report_diag, .userdata = &g };
        int saved = dup(STDOUT_FILENO);
        ck_assert_int_ge(saved, 0);
        ck_assert_ptr_nonnull(freopen("/dev/null", "w", stdout));
        ck_assert_int_eq(generate(&g), 0);
        fflush(stdout);
        ck_assert_int_ge(dup2(saved, STDOUT_FILENO), 0);
        close(saved);
        unsigned n = g.sink.n_errors;
        generator_done(&g);
        return n;
}

START_TEST(test_install_check_finds_installed) {
        char *base = tmp_dir();
        _cleanup_free_ char *installed = path_join(base, "installed"), *fresh = path_join(base, "new");
        _cleanup_free_ char *file = path_join(fresh, "app.container");
        ck_assert_int_eq(mkdir(installed, 0755), 0);
        ck_assert_int_eq(mkdir(fresh, 0755), 0);
        put(installed, "backend.network", "[Network]\n");
        put(fresh, "app.container", "[Container]\nImage=docker.io/library/busybox\nNetwork=backend.network\n");
        setenv("OCI_CONTAINERS_UNIT_DIRS", installed, 1);
        setenv("OCI_CONTAINERS_CONF", "", 1);
        setenv("SYSTEMD_LOG_LEVEL", "crit", 1);
        log_setup("test-plan", false);
        ck_assert_uint_eq(check_errors(file, true), 0);
        ck_assert_uint_eq(check_errors(file, false), 1);
        rm_rf(base);
        free(base);
}
END_TEST

static Suite *plan_suite(void) {
        Suite *s = suite_create("plan");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_restart_only_changed_running);
        tcase_add_test(tc, test_env_and_dropins_count);
        tcase_add_test(tc, test_gone_stopped_if_running);
        tcase_add_test(tc, test_new_started_if_boot);
        tcase_add_test(tc, test_broken_definition_keeps_running);
        tcase_add_test(tc, test_fixed_definition_started);
        tcase_add_test(tc, test_order_stop_restart_start);
        tcase_add_test(tc, test_template_plans_its_instances);
        tcase_add_test(tc, test_snapshot_reads_ours_only);
        tcase_add_test(tc, test_edit_restarts_that_one);
        tcase_add_test(tc, test_new_instances_of_a_template);
        tcase_add_test(tc, test_template_edit_restarts_each_instance_once);
        tcase_add_test(tc, test_linked_instance_of_fixed_template);
        tcase_add_test(tc, test_install_check_finds_installed);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(plan_suite)
