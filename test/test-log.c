/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the journal gets (generator/log.c, generator/report.c): the fields of each entry, the
 * order of a definition's messages, the line that says it was skipped, the messages kept when the
 * journal does not run, and their replay by --report. The journal is a function of the test's in
 * libsystemd's place: it records each entry, or refuses it as a journald that is not running yet. */
#include <fcntl.h>
#include <ftw.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "testutil.h"

#include "config.h"
#include "generator.h"
#include "log.h"

/* The entries the journal took, each a NULL-terminated list of "FIELD=value". */
static char **entries[64];
static size_t n_entries;
static bool journal_down;

static int fake_journal(const struct iovec *iov, int n) {
        if (journal_down)
                return -ECONNREFUSED;
        ck_assert_uint_lt(n_entries, ELEMENTSOF(entries));
        char **e = NULL;
        for (int i = 0; i < n; i++)
                ck_assert_int_eq(strv_push(&e, strndup(iov[i].iov_base, iov[i].iov_len)), 0);
        entries[n_entries++] = e;
        return 0;
}

static void entries_clear(void) {
        for (size_t i = 0; i < n_entries; i++)
                strv_free(entries[i]);
        n_entries = 0;
}

/* The value of FIELD in entry e, or NULL. */
static const char *field(char **e, const char *name) {
        size_t n = strlen(name);
        for (char **f = e; f && *f; f++)
                if (strncmp(*f, name, n) == 0 && (*f)[n] == '=')
                        return *f + n + 1;
        return NULL;
}

static void assert_field(char **e, const char *name, const char *value) {
        const char *v = field(e, name);
        if (!value)
                ck_assert_msg(!v, "%s=%s is set (%s)", name, v, field(e, "MESSAGE"));
        else
                ck_assert_msg(v && streq(v, value), "%s is %s, expected %s (%s)", name, v ? v : "unset", value, field(e, "MESSAGE"));
}

static char *tmp_dir;

static void setup(void) {
        setenv("SYSTEMD_LOG_TARGET", "journal", 1);
        setenv("SYSTEMD_LOG_LEVEL", "info", 1);
        log_setup("test-log", true);
        log_set_journal_send(fake_journal);
        journal_down = false;
        const char *tmp = getenv("TMPDIR");
        tmp_dir = xasprintf("%s/test-log-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        ck_assert_ptr_nonnull(tmp_dir);
        ck_assert_ptr_nonnull(mkdtemp(tmp_dir));
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
        return remove(path);
}

static void teardown(void) {
        entries_clear();
        log_lost_done();
        log_set_journal_send(NULL);
        nftw(tmp_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
        free(tmp_dir);
}

static char *tmp_path(const char *name) {
        char *p = path_join(tmp_dir, name);
        ck_assert_ptr_nonnull(p);
        return p;
}

static void write_file(const char *path, const char *text) {
        FILE *f = fopen(path, "we");
        ck_assert_ptr_nonnull(f);
        fputs(text, f);
        ck_assert_int_eq(fclose(f), 0);
}

/* The fields of an entry: PRIORITY= is the level, and the place as far as it is known. */
START_TEST(test_fields) {
        LogFields f;
        ck_assert_int_eq(log_journal_fields(&f, LOG_ERR, "/d/web.container", 6, 8, "/d/web.container:6: bad"), 0);
        char **e = NULL;
        for (size_t i = 0; i < f.n; i++)
                ck_assert_int_eq(strv_extend(&e, f.field[i]), 0);
        ck_assert_uint_eq(f.n, 6);
        assert_field(e, "MESSAGE", "/d/web.container:6: bad");
        assert_field(e, "PRIORITY", "3");
        assert_field(e, "SYSLOG_IDENTIFIER", "test-log");
        assert_field(e, "CONFIG_FILE", "/d/web.container");
        assert_field(e, "CONFIG_LINE", "6");
        assert_field(e, "CONFIG_COLUMN", "8");
        strv_free(e);
        log_fields_done(&f);

        /* about a whole file: no line, no column */
        ck_assert_int_eq(log_journal_fields(&f, LOG_WARNING, "/d/web.container", 0, 0, "m"), 0);
        ck_assert_uint_eq(f.n, 4);
        ck_assert_str_eq(f.field[1], "PRIORITY=4");
        ck_assert_str_eq(f.field[3], "CONFIG_FILE=/d/web.container");
        log_fields_done(&f);
        /* about no file */
        ck_assert_int_eq(log_journal_fields(&f, LOG_INFO, NULL, 3, 4, "m"), 0);
        ck_assert_uint_eq(f.n, 3);
        ck_assert_str_eq(f.field[1], "PRIORITY=6");
        log_fields_done(&f);
}
END_TEST

/* A Generator set up as main() sets it up, with the search path tmp_dir/defs. */
static void generator_start(Generator *g, const char *defs, const char *out) {
        setenv("OCI_CONTAINERS_UNIT_DIRS", defs, 1);
        setenv("OCI_CONTAINERS_CONF", "", 1);
        *g = (Generator) { .output = out, .dry_run = !out };
        g->sink = (OciDiagSink) { .fn = report_diag, .userdata = g };
        ck_assert_int_eq(load_defaults(g), 0);
        ck_assert_int_eq(scan_search_path(g), 0);
        prepare_processing(g);
}

static void generator_run(Generator *g) {
        for (size_t i = 0; i < g->n_nodes; i++)
                if (g->nodes[i]->state == NODE_NEW && !g->nodes[i]->masked && g->nodes[i]->wanted)
                        ck_assert_int_eq(process(g, g->nodes[i]), 0);
}

static const char broken[] = "[Container]\n"
                             "Image=localhost/img\n"
                             "PublishPort = 99999:80\n"
                             "Bogus=1\n"
                             "Privileged=  maybe\n";

/* A definition's messages reach the journal in line order, each with its priority, file, line and
 * column (the column --check prints), then the line that says it was skipped, with its file. */
START_TEST(test_definition_entries) {
        _cleanup_free_ char *defs = tmp_path("defs"), *path = tmp_path("defs/web.container");
        ck_assert_int_eq(mkdir(defs, 0755), 0);
        write_file(path, broken);
        Generator g;
        generator_start(&g, defs, NULL);
        generator_run(&g);
        ck_assert_uint_eq(n_entries, 4);
        assert_field(entries[0], "CONFIG_LINE", "3");
        assert_field(entries[0], "CONFIG_COLUMN", "15");
        assert_field(entries[0], "PRIORITY", "3");
        assert_field(entries[0], "CONFIG_FILE", path);
        assert_field(entries[1], "CONFIG_LINE", "4");
        assert_field(entries[1], "CONFIG_COLUMN", "7");
        assert_field(entries[2], "CONFIG_LINE", "5");
        assert_field(entries[2], "CONFIG_COLUMN", "14");
        for (size_t i = 0; i < 3; i++) {
                assert_field(entries[i], "PRIORITY", "3");
                assert_field(entries[i], "SYSLOG_IDENTIFIER", "test-log");
        }
        _cleanup_free_ char *skipped = xasprintf("%s: skipped because of the errors above; no unit was generated for it", path);
        assert_field(entries[3], "MESSAGE", skipped);
        assert_field(entries[3], "PRIORITY", "4");
        assert_field(entries[3], "CONFIG_FILE", path);
        assert_field(entries[3], "CONFIG_LINE", NULL);
        /* the journal took them all: nothing to tell it again */
        size_t n, dropped;
        log_lost(&n, &dropped);
        ck_assert_uint_eq(n + dropped, 0);
        ck_assert_int_eq(g.n_failures, 1);
        ck_assert_str_eq(g.failures[0].unit, "web.service");
        generator_done(&g);
}
END_TEST

/* The journal does not run (early at boot): the messages are kept, written to the output
 * directory with the link that starts the report at boot, and --report tells the journal them
 * with the same fields. */
START_TEST(test_lost_and_replayed) {
        _cleanup_free_ char *defs = tmp_path("defs"), *out = tmp_path("out"), *path = tmp_path("defs/web.container");
        ck_assert_int_eq(mkdir(defs, 0755), 0);
        ck_assert_int_eq(mkdir(out, 0755), 0);
        write_file(path, broken);
        journal_down = true;
        Generator g;
        generator_start(&g, defs, out);
        generator_run(&g);
        ck_assert_int_eq(write_stand_ins(&g), 0);
        ck_assert_int_eq(write_lost_messages(&g), 0);
        generator_done(&g);
        size_t n, dropped;
        log_lost(&n, &dropped);
        ck_assert_uint_eq(n, 4);
        ck_assert_uint_eq(dropped, 0);

        _cleanup_free_ char *file = path_join(out, LOST_MESSAGES_FILE);
        struct stat st;
        ck_assert_int_eq(stat(file, &st), 0);
        ck_assert_uint_eq(st.st_mode & 0777, 0600);
        _cleanup_free_ char *link = path_join(out, "multi-user.target.wants/" REPORT_UNIT);
        char target[4096];
        ssize_t k = readlink(link, target, sizeof(target) - 1);
        ck_assert_int_gt(k, 0);
        target[k] = 0;
        ck_assert_str_eq(target, SYSTEM_UNIT_DIR "/" REPORT_UNIT);
        /* the stand-in is there, and linked for boot */
        _cleanup_free_ char *stand_in = path_join(out, "multi-user.target.wants/web.service");
        ck_assert_int_eq(lstat(stand_in, &st), 0);

        journal_down = false;
        log_lost_done();
        ck_assert_int_eq(report_replay(file), 0);
        ck_assert_uint_eq(n_entries, 4);
        assert_field(entries[0], "CONFIG_FILE", path);
        assert_field(entries[0], "CONFIG_LINE", "3");
        assert_field(entries[0], "CONFIG_COLUMN", "15");
        assert_field(entries[0], "PRIORITY", "3");
        assert_field(entries[1], "CONFIG_LINE", "4");
        assert_field(entries[2], "CONFIG_LINE", "5");
        assert_field(entries[3], "PRIORITY", "4");
        assert_field(entries[3], "CONFIG_FILE", path);
        assert_field(entries[3], "CONFIG_LINE", NULL);
        _cleanup_free_ char *msg = xasprintf("%s:4: unknown key 'Bogus' in [Container]; see oci-containers.container(5) for the keys of [Container]", path);
        assert_field(entries[1], "MESSAGE", msg);
}
END_TEST

/* --report reads only what it wrote: a line that is not PRIORITY TAB LINE TAB COLUMN TAB FILE TAB
 * MESSAGE is left out (and counted), control characters come out as \xNN. */
START_TEST(test_replay_refuses) {
        _cleanup_free_ char *file = tmp_path("messages");
        write_file(file, "# a comment\n"
                         "3\t2\t5\t/d/a.container\t/d/a.container:2: bad\n"
                         "9\t2\t5\t/d/a.container\tpriority out of range\n"
                         "3\t-1\t5\t/d/a.container\tnegative line\n"
                         "3\t2\t5\tno message field\n"
                         "4\t0\t0\t\tno file: \rcarriage return\n");
        ck_assert_int_eq(report_replay(file), 0);
        ck_assert_uint_eq(n_entries, 3);
        assert_field(entries[0], "MESSAGE", "/d/a.container:2: bad");
        assert_field(entries[0], "CONFIG_COLUMN", "5");
        assert_field(entries[1], "MESSAGE", "no file: \\x0dcarriage return");
        assert_field(entries[1], "CONFIG_FILE", NULL);
        assert_field(entries[1], "PRIORITY", "4");
        ck_assert_ptr_nonnull(strstr(field(entries[2], "MESSAGE"), "3 lines are not messages"));
        _cleanup_free_ char *missing = tmp_path("missing");
        ck_assert_int_lt(report_replay(missing), 0);
}
END_TEST

static Suite *log_suite(void) {
        Suite *s = suite_create("log");
        TCase *tc = tcase_create("core");
        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_fields);
        tcase_add_test(tc, test_definition_entries);
        tcase_add_test(tc, test_lost_and_replayed);
        tcase_add_test(tc, test_replay_refuses);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(log_suite)
