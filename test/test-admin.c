/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What oci-containers asks of the generator's code, without a bus: the template and drop-ins that
 * status shows for a definition (admin/generate.c), and what install copies (admin/refs.c), from
 * definitions this test writes. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

#include "admin.h"
#include "log.h"

static char *tmp_dir(void) {
        const char *t = getenv("TMPDIR");
        char *p = xasprintf("%s/test-admin-XXXXXX", t && *t ? t : P_tmpdir);
        ck_assert_ptr_nonnull(p);
        ck_assert_ptr_nonnull(mkdtemp(p));
        return p;
}

/* dir/name with text, the directories on the way made */
static void put(const char *dir, const char *name, const char *text) {
        _cleanup_free_ char *p = path_join(dir, name);
        for (char *s = strchr(p + strlen(dir) + 1, '/'); s; s = strchr(s + 1, '/')) {
                *s = 0;
                mkdir(p, 0755);
                *s = '/';
        }
        FILE *f = fopen(p, "we");
        ck_assert_ptr_nonnull(f);
        fputs(text, f);
        ck_assert_int_eq(fclose(f), 0);
}

static void rm_rf(const char *dir) {
        _cleanup_free_ char *cmd = xasprintf("rm -rf -- '%s'", dir);
        ck_assert_int_eq(system(cmd), 0);
}

static const DefInfo *find_def(const Listing *l, const char *path) {
        for (size_t i = 0; i < l->n; i++)
                if (streq(l->defs[i].path, path))
                        return &l->defs[i];
        ck_abort_msg("%s not listed", path);
        return NULL;
}

/* the i-th drop-in is dir/name */
static void assert_dropin(const DefInfo *d, size_t i, const char *dir, const char *name) {
        _cleanup_free_ char *want = path_join(dir, name);
        ck_assert_uint_gt(strv_length(d->dropins), i);
        ck_assert_str_eq(d->dropins[i], want);
}

START_TEST(test_status_lists_every_dropin_read) {
        char *base = tmp_dir();
        _cleanup_free_ char *upper = path_join(base, "upper"), *lower = path_join(base, "lower"), *out = path_join(base, "out");
        _cleanup_free_ char *dirs = xasprintf("%s:%s", upper, lower);
        ck_assert_int_eq(mkdir(upper, 0755), 0);
        ck_assert_int_eq(mkdir(lower, 0755), 0);
        ck_assert_int_eq(mkdir(out, 0755), 0);
        put(upper, "a-b@.container", "[Container]\nImage=docker.io/library/busybox\n");
        put(upper, "a-b@x.container", "[Container]\nEnvironment=X=1\n");
        put(upper, "other.container", "[Container]\nImage=docker.io/library/busybox\n");
        /* for every container, the upper one winning over the lower of the same name */
        put(upper, "container.d/10-all.conf", "[Container]\nLabel=a=1\n");
        put(lower, "container.d/10-all.conf", "[Container]\nLabel=a=2\n");
        put(lower, "container.d/15-low.conf", "[Container]\nLabel=b=1\n");
        /* for a-*, for the template's instances, for the instance alone */
        put(upper, "a-.container.d/20-prefix.conf", "[Container]\nLabel=c=1\n");
        put(upper, "a-b@.container.d/30-template.conf", "[Container]\nLabel=d=1\n");
        put(upper, "a-b@x.container.d/05-own.conf", "[Container]\nLabel=e=1\n");
        setenv("OCI_CONTAINERS_UNIT_DIRS", dirs, 1);
        setenv("OCI_CONTAINERS_CONF", "", 1);
        Listing l;
        ck_assert_int_eq(generate_into(false, out, &l), 0);
        _cleanup_free_ char *inst = path_join(upper, "a-b@x.container"), *tpl = path_join(upper, "a-b@.container");
        _cleanup_free_ char *other = path_join(upper, "other.container");
        const DefInfo *d = find_def(&l, inst);
        ck_assert_ptr_nonnull(d->template);
        ck_assert_str_eq(d->template, tpl);
        ck_assert_uint_eq(strv_length(d->dropins), 5);
        assert_dropin(d, 0, upper, "a-b@x.container.d/05-own.conf");
        assert_dropin(d, 1, upper, "container.d/10-all.conf");
        assert_dropin(d, 2, lower, "container.d/15-low.conf");
        assert_dropin(d, 3, upper, "a-.container.d/20-prefix.conf");
        assert_dropin(d, 4, upper, "a-b@.container.d/30-template.conf");
        /* another definition: the type's drop-ins only, and no template */
        d = find_def(&l, other);
        ck_assert_ptr_null(d->template);
        ck_assert_uint_eq(strv_length(d->dropins), 2);
        assert_dropin(d, 0, upper, "container.d/10-all.conf");
        assert_dropin(d, 1, lower, "container.d/15-low.conf");
        listing_done(&l);
        rm_rf(base);
        free(base);
}
END_TEST

static void put_mode(const char *dir, const char *name, const char *text, mode_t mode) {
        put(dir, name, text);
        _cleanup_free_ char *p = path_join(dir, name);
        ck_assert_int_eq(chmod(p, mode), 0);
}

/* the item installed as `to` under the admin directory: from dir/from, with that mode */
static void assert_item(const Items *it, const char *to, const char *dir, const char *from, mode_t mode) {
        _cleanup_free_ char *want = path_join(dir, from);
        for (size_t i = 0; i < it->n; i++)
                if (streq(it->v[i].to, to)) {
                        ck_assert_str_eq(it->v[i].from, want);
                        ck_assert_uint_eq(it->v[i].mode, mode);
                        return;
                }
        ck_abort_msg("%s is not installed", to);
}

/* install_collect() of dir/name into admin: its return value, what it copies in *it */
static int collect_one(const char *dir, const char *name, const char *admin, Items *it) {
        _cleanup_free_ char *arg = name ? path_join(dir, name) : strdup(dir);
        *it = (Items) {};
        /* its messages are the user's; here only what it decides counts */
        int saved = dup(STDERR_FILENO);
        ck_assert_ptr_nonnull(freopen("/dev/null", "w", stderr));
        int r = install_collect(it, arg, admin);
        fflush(stderr);
        ck_assert_int_ge(dup2(saved, STDERR_FILENO), 0);
        close(saved);
        return r;
}

START_TEST(test_install_brings_relative_files) {
        char *base = tmp_dir();
        _cleanup_free_ char *src = path_join(base, "src"), *admin = path_join(base, "admin");
        ck_assert_int_eq(mkdir(src, 0755), 0);
        ck_assert_int_eq(mkdir(admin, 0755), 0);
        /* relative names, one in a subdirectory and one set by a drop-in; an absolute one stays */
        put(src, "web.container",
            "[Container]\nImage=docker.io/library/busybox\nEnvironmentFile=web.env\nEnvironmentFile=./conf/more.env\n"
            "EnvironmentFile=/etc/absolute.env\n");
        put(src, "web.container.d/10-extra.conf", "[Container]\nEnvironmentFile=extra.env\n");
        put_mode(src, "web.env", "SECRET=1\n", 0600);
        put_mode(src, "conf/more.env", "A=1\n", 0640);
        put_mode(src, "extra.env", "B=1\n", 0755);
        Items it;
        ck_assert_int_eq(collect_one(src, "web.container", admin, &it), 0);
        ck_assert_uint_eq(it.n, 5);
        assert_item(&it, "web.container", src, "web.container", 0644);
        assert_item(&it, "web.container.d/10-extra.conf", src, "web.container.d/10-extra.conf", 0644);
        assert_item(&it, "web.env", src, "web.env", 0600);
        assert_item(&it, "conf/more.env", src, "conf/more.env", 0640);
        assert_item(&it, "extra.env", src, "extra.env", 0644);
        items_done(&it);
        /* the directory: its env file named by the definition once, not twice */
        ck_assert_int_eq(collect_one(src, NULL, admin, &it), 0);
        ck_assert_uint_eq(it.n, 5);
        assert_item(&it, "web.env", src, "web.env", 0600);
        items_done(&it);
        rm_rf(base);
        free(base);
}
END_TEST

START_TEST(test_install_refuses_what_it_cannot_bring) {
        char *base = tmp_dir();
        /* the admin directory not beside the source: "../" names different files from each */
        _cleanup_free_ char *src = path_join(base, "src"), *etc = path_join(base, "etc"), *admin = path_join(etc, "admin");
        ck_assert_int_eq(mkdir(src, 0755), 0);
        ck_assert_int_eq(mkdir(etc, 0755), 0);
        ck_assert_int_eq(mkdir(admin, 0755), 0);
        Items it;
        /* a file that is nowhere */
        put(src, "missing.container", "[Container]\nImage=docker.io/library/busybox\nEnvironmentFile=missing.env\n");
        ck_assert_int_eq(collect_one(src, "missing.container", admin, &it), -EINVAL);
        items_done(&it);
        /* ... unless it is installed already, where the definition will look */
        put(admin, "missing.env", "A=1\n");
        ck_assert_int_eq(collect_one(src, "missing.container", admin, &it), 0);
        ck_assert_uint_eq(it.n, 1);
        items_done(&it);
        /* a file outside the definition's directory: installed, "../" names another one */
        put(base, "outside.env", "A=1\n");
        put(src, "up.container", "[Container]\nImage=docker.io/library/busybox\nEnvironmentFile=../outside.env\n");
        ck_assert_int_eq(collect_one(src, "up.container", admin, &it), -EINVAL);
        items_done(&it);
        /* a directory is not copied */
        _cleanup_free_ char *rootfs = path_join(src, "rootfs");
        ck_assert_int_eq(mkdir(rootfs, 0755), 0);
        put(src, "fs.container", "[Container]\nRootfs=rootfs\n");
        ck_assert_int_eq(collect_one(src, "fs.container", admin, &it), -EINVAL);
        items_done(&it);
        /* a specifier: systemd's to resolve */
        put(src, "tpl@.container", "[Container]\nImage=docker.io/library/busybox\nEnvironmentFile=env/%i.env\n");
        ck_assert_int_eq(collect_one(src, "tpl@.container", admin, &it), -EINVAL);
        items_done(&it);
        rm_rf(base);
        free(base);
}
END_TEST

static Suite *admin_suite(void) {
        Suite *s = suite_create("admin");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_status_lists_every_dropin_read);
        tcase_add_test(tc, test_install_brings_relative_files);
        tcase_add_test(tc, test_install_refuses_what_it_cannot_bring);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(admin_suite)
