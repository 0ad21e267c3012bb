/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The generator's walk over definitions (generator/graph.c), driven the way generator/main.c's
 * run() drives it, without running the program: the definitions are written into a temporary
 * directory that is the whole search path (OCI_CONTAINERS_UNIT_DIRS, no defaults file), the
 * Generator is set up as run() sets it up, in --dry-run mode, and process() is called on one node
 * at a time, so that what each call did can be seen: which nodes are done, their summaries, the
 * messages (a sink that keeps them all), and the order the units were written in.
 *
 * The order of writing is what --dry-run prints: render_and_write() prints each unit as
 * "---NAME---" and its text at the moment its definition is written, after its references were
 * resolved. Standard output goes to a file while process() runs; the headers, read back in order,
 * are the order of writing. */
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

#include "generator.h"
#include "log.h"

typedef struct Run {
        char *base;    /* the temporary directory */
        char *dir;     /* base/defs: the search path */
        char *out;     /* base/dry-run: what --dry-run printed */
        Generator g;
        Collected c;   /* counts, and the first messages */
        StrBuf log;    /* every message, "FILE:LINE: text\n", however many there are */
        char **strings; /* those S() made, freed with the run */
} Run;

/* A formatted string that lives as long as the run. */
static char *S(Run *r, const char *fmt, ...) _printf_(2, 3);
static char *S(Run *r, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        char *s = xvasprintf(fmt, ap);
        va_end(ap);
        ck_assert_ptr_nonnull(s);
        ck_assert_int_eq(strv_push(&r->strings, s), 0);
        return s;
}

/* The file's path in the search path, as messages name it. */
static const char *P(Run *r, const char *file) {
        return S(r, "%s/%s", r->dir, file);
}

static void run_diag(void *userdata, const OciDiag *d) {
        Run *r = userdata;
        collect_diag(&r->c, d);
        ck_assert_int_eq(strbuf_printf(&r->log, "%s:%u: %s\n", d->file ? d->file : "-", d->line, d->message), 0);
}

static Run *run_new(void) {
        /* the generator's own warnings ("skipped because of the errors above") go to stderr: only
         * errors, or the chain tests print thousands of lines */
        setenv("SYSTEMD_LOG_LEVEL", "err", 1);
        log_setup("test-graph", false);
        Run *r = calloc(1, sizeof(Run));
        ck_assert_ptr_nonnull(r);
        const char *tmp = getenv("TMPDIR");
        r->base = S(r, "%s/test-graph-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        ck_assert_ptr_nonnull(mkdtemp(r->base));
        r->dir = S(r, "%s/defs", r->base);
        r->out = S(r, "%s/dry-run", r->base);
        ck_assert_int_eq(mkdir(r->dir, 0755), 0);
        return r;
}

static void write_def(Run *r, const char *file, const char *fmt, ...) _printf_(3, 4);
static void write_def(Run *r, const char *file, const char *fmt, ...) {
        const char *path = P(r, file);
        FILE *f = fopen(path, "we");
        ck_assert_msg(f, "cannot create %s", path);
        va_list ap;
        va_start(ap, fmt);
        vfprintf(f, fmt, ap);
        va_end(ap);
        ck_assert_int_eq(fclose(f), 0);
}

/* As run() does before it processes anything. */
static void run_start(Run *r) {
        setenv("OCI_CONTAINERS_UNIT_DIRS", r->dir, 1);
        setenv("OCI_CONTAINERS_CONF", "", 1);
        r->g = (Generator) { .sink = { .fn = run_diag, .userdata = r }, .user = false, .dry_run = true };
        ck_assert_int_eq(load_defaults(&r->g), 0);
        ck_assert_int_eq(scan_search_path(&r->g), 0);
        prepare_processing(&r->g);
}

static Node *node_of(Run *r, const char *file) {
        Node *n = NULL;
        for (size_t i = 0; !n && i < r->g.n_nodes; i++)
                if (streq(r->g.nodes[i]->file, file))
                        n = r->g.nodes[i];
        ck_assert_msg(n, "no node for %s", file);
        return n;
}

/* Standard output appended to r->out until stdout_restore(). */
static int stdout_to_run(Run *r) {
        fflush(stdout);
        int saved = dup(STDOUT_FILENO);
        ck_assert_int_ge(saved, 0);
        int fd = open(r->out, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_ge(dup2(fd, STDOUT_FILENO), 0);
        close(fd);
        return saved;
}

static void stdout_restore(int saved) {
        fflush(stdout);
        ck_assert_int_ge(dup2(saved, STDOUT_FILENO), 0);
        close(saved);
}

/* process(), with what --dry-run prints appended to r->out. */
static void run_process_node(Run *r, Node *n) {
        int saved = stdout_to_run(r);
        int k = process(&r->g, n);
        stdout_restore(saved);
        ck_assert_msg(k == 0, "process(%s): %s", n->file, strerror(-k));
        ck_assert_int_eq(r->g.depth, 0); /* the stack is empty again */
}

/* What run() prints last: the companions that kept their names. */
static void run_print_deferred(Run *r) {
        int saved = stdout_to_run(r);
        print_deferred(&r->g);
        stdout_restore(saved);
}

static void run_process(Run *r, const char *file) {
        Node *n = node_of(r, file);
        ck_assert_int_eq(n->state, NODE_NEW);
        run_process_node(r, n);
}

/* The rest of run(): every node not done yet, by name, then the pods' ports. */
static void run_rest(Run *r) {
        for (size_t i = 0; i < r->g.n_nodes; i++) {
                Node *n = r->g.nodes[i];
                if (n->state != NODE_NEW || n->masked || !n->wanted)
                        continue;
                run_process_node(r, n);
        }
        report_unclaimed_pod_ports(&r->g);
        ck_assert_int_eq(write_pod_members(&r->g), 0);
        run_print_deferred(r);
}

/* The services written so far, in the order they were written (links and the services that pull
 * images left out: one service per definition). */
static char **written(Run *r) {
        char **units = NULL;
        FILE *f = fopen(r->out, "re");
        if (!f)
                return NULL; /* nothing was printed yet */
        char line[4096];
        while (fgets(line, sizeof(line), f)) {
                size_t n = strlen(line);
                if (n < 7 || !startswith(line, "---") || strcmp(line + n - 4, "---\n") != 0 || strstr(line, ": link "))
                        continue;
                line[n - 4] = 0;
                if (endswith(line, "-pull.service"))
                        continue; /* the companion each image gets, printed after the service */
                ck_assert_int_eq(strv_push(&units, strdup(line + 3)), 0);
        }
        fclose(f);
        return units;
}

static ssize_t position(char *const *units, const char *unit) {
        for (size_t i = 0; units && units[i]; i++)
                if (streq(units[i], unit))
                        return (ssize_t) i;
        return -1;
}

static void assert_written_before(char *const *units, const char *first, const char *then) {
        ssize_t a = position(units, first), b = position(units, then);
        ck_assert_msg(a >= 0, "%s was not written", first);
        ck_assert_msg(b >= 0, "%s was not written", then);
        ck_assert_msg(a < b, "%s was written after %s", first, then);
}

static unsigned count(const char *hay, const char *needle) {
        unsigned n = 0;
        for (const char *p = hay ? strstr(hay, needle) : NULL; p; p = strstr(p + 1, needle))
                n++;
        return n;
}

static const char *messages(const Run *r) {
        return r->log.s ? r->log.s : "";
}

static void assert_message(const Run *r, const char *expected) {
        ck_assert_msg(strstr(messages(r), expected), "no message '%s' among:\n%s", expected, messages(r));
}

static void assert_state(Run *r, const char *file, NodeState state, bool failed) {
        const Node *n = node_of(r, file);
        ck_assert_msg(n->state == state, "%s: state %d, expected %d", file, (int) n->state, (int) state);
        if (state == NODE_DONE) {
                ck_assert_msg(n->failed == failed, "%s: %s", file, failed ? "not failed" : "failed");
                ck_assert_msg(n->summary.failed == failed, "%s: its summary says %sfailed", file, failed ? "not " : "");
        }
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
        return remove(path);
}

/* What the generator holds, and the temporary directory. */
static void run_free(Run *r) {
        generator_done(&r->g);
        strbuf_done(&r->log);
        int k = nftw(r->base, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
        ck_assert_msg(k == 0, "cannot remove %s", r->base);
        strv_free(r->strings);
        free(r);
}

/* What a definition names is done before it is written, whatever the file names say: DependsOn=,
 * NAME.network, NAME.volume:/x, NAME.pod, and what those name in turn. */
START_TEST(test_order) {
        Run *r = run_new();
        write_def(r, "a.container", "[Container]\nImage=localhost/img\nDependsOn=z\nNetwork=zn.network\nVolume=zv.volume:/x\n");
        write_def(r, "b.container", "[Container]\nImage=localhost/img\nPod=zp.pod\n");
        write_def(r, "z.container", "[Container]\nImage=localhost/img\nDependsOn=zz\n");
        write_def(r, "zz.container", "[Container]\nImage=localhost/img\n");
        write_def(r, "zn.network", "[Network]\n");
        write_def(r, "zv.volume", "[Volume]\n");
        write_def(r, "zp.pod", "[Pod]\n");
        run_start(r);

        /* a is first by name: it and everything it names, directly or not, are done by its turn;
         * b and its pod wait for theirs */
        run_process(r, "a.container");
        static const char *const with_a[] = { "a.container", "z.container", "zz.container", "zn.network", "zv.volume" };
        for (size_t i = 0; i < ELEMENTSOF(with_a); i++)
                assert_state(r, with_a[i], NODE_DONE, false);
        assert_state(r, "b.container", NODE_NEW, false);
        assert_state(r, "zp.pod", NODE_NEW, false);
        char **units = written(r);
        ck_assert_int_eq(strv_length(units), 5);
        assert_written_before(units, "zz.service", "z.service");
        assert_written_before(units, "z.service", "a.service");
        assert_written_before(units, "zn-network.service", "a.service");
        assert_written_before(units, "zv-volume.service", "a.service");
        ck_assert_str_eq(units[4], "a.service"); /* the last of its turn */
        strv_free(units);

        /* the summaries others are told */
        const OciSummary *s = &node_of(r, "a.container")->summary;
        ck_assert_int_eq(s->type, OCI_UNIT_CONTAINER);
        ck_assert_str_eq(s->name, "a");
        ck_assert_str_eq(s->unit_name, "a.service");
        s = &node_of(r, "zn.network")->summary;
        ck_assert_int_eq(s->type, OCI_UNIT_NETWORK);
        ck_assert_str_eq(s->unit_name, "zn-network.service");
        ck_assert_str_eq(s->resource, "systemd-zn");
        s = &node_of(r, "zv.volume")->summary;
        ck_assert_str_eq(s->unit_name, "zv-volume.service");
        ck_assert_str_eq(s->resource, "systemd-zv");

        /* b's pod is done on its account, before it; --dry-run prints the pod's unit last, once it
         * knows its members */
        run_process(r, "b.container");
        assert_state(r, "zp.pod", NODE_DONE, false);
        run_rest(r);
        units = written(r);
        ck_assert_int_eq(strv_length(units), 7); /* each once */
        ck_assert_str_eq(units[5], "b.service");
        ck_assert_str_eq(units[6], "zp-pod.service");
        strv_free(units);
        ck_assert_str_eq(node_of(r, "zp.pod")->summary.resource, "systemd-zp");
        ck_assert_msg(r->c.n_err == 0, "%s", messages(r));
        ck_assert_int_eq(r->g.n_failed, 0);
        run_free(r);
}
END_TEST

/* a -> b -> a: both are errors, each said once with the circle, and nothing else is lost. */
START_TEST(test_cycle) {
        Run *r = run_new();
        write_def(r, "a.container", "[Container]\nImage=localhost/img\nDependsOn=b\n");
        write_def(r, "b.container", "[Container]\nImage=localhost/img\nDependsOn=a\n");
        write_def(r, "c.container", "[Container]\nImage=localhost/img\n");
        run_start(r);
        run_rest(r);
        assert_state(r, "a.container", NODE_DONE, true);
        assert_state(r, "b.container", NODE_DONE, true);
        assert_state(r, "c.container", NODE_DONE, false);
        ck_assert_msg(count(messages(r), "dependency cycle:") == 2, "%s", messages(r));
        static const char *const in_cycle[] = { "a.container", "b.container" };
        for (size_t i = 0; i < ELEMENTSOF(in_cycle); i++) {
                const char *line = S(r, "%s:0: dependency cycle: a.service -> b.service -> a.service\n", P(r, in_cycle[i]));
                ck_assert_msg(count(messages(r), line) == 1, "%s: not once '%s' among:\n%s", in_cycle[i], line, messages(r));
        }
        ck_assert_int_eq(r->c.n_err, 2); /* nothing more: "has errors" is not said on top */
        char **units = written(r);
        ck_assert_int_eq(strv_length(units), 1);
        ck_assert_str_eq(units[0], "c.service");
        strv_free(units);
        ck_assert_int_eq(r->g.n_failed, 2);
        run_free(r);
}
END_TEST

/* b has an error: a, which depends on it, is an error at its DependsOn= line. */
START_TEST(test_failure_propagates) {
        Run *r = run_new();
        write_def(r, "a.container", "[Container]\nImage=localhost/img\nDependsOn=b\n");
        write_def(r, "b.container", "[Container]\nImage=localhost/img\nNoSuchKey=1\n");
        run_start(r);
        run_process(r, "a.container");
        assert_state(r, "b.container", NODE_DONE, true); /* on a's account */
        assert_state(r, "a.container", NODE_DONE, true);
        const char *expected = S(r, "%s:3: DependsOn=b: %s has errors and is not generated, so neither is this one\n",
                 P(r, "a.container"), P(r, "b.container"));
        assert_message(r, expected);
        assert_message(r, "unknown key 'NoSuchKey'");
        ck_assert_int_eq(r->c.n_err, 2);
        run_rest(r);
        char **units = written(r);
        ck_assert_int_eq(strv_length(units), 0);
        strv_free(units);
        ck_assert_int_eq(r->g.n_failed, 2);
        run_free(r);
}
END_TEST

/* a fails on its own (error_line is its third line) and names c; b and c publish the same host
 * port. Nothing a names is processed on its account: b, first by name, comes first and c is warned
 * of the clash, both written. (Processing c early, for a, had b warned, which did nothing wrong.) */
static void failed_definition_follows_nothing(const char *error_line, bool says_missing) {
        Run *r = run_new();
        write_def(r, "a.container", "[Container]\nImage=localhost/img\n%s\nDependsOn=c\nDependsOn=nothere\n", error_line);
        write_def(r, "b.container", "[Container]\nImage=localhost/img\nPublishPort=8080:80\n");
        write_def(r, "c.container", "[Container]\nImage=localhost/img\nPublishPort=8080:80\n");
        run_start(r);
        run_process(r, "a.container");
        assert_state(r, "a.container", NODE_DONE, true);
        assert_state(r, "b.container", NODE_NEW, false);
        assert_state(r, "c.container", NODE_NEW, false);
        char **units = written(r);
        ck_assert_int_eq(strv_length(units), 0);
        strv_free(units);
        /* what it names that does not exist is still said, when its references were read */
        const char *expected = S(r, "%s:5: DependsOn=nothere: there is no definition nothere.container in the search path\n",
                 P(r, "a.container"));
        if (says_missing)
                assert_message(r, expected);
        ck_assert_msg(r->c.n_err == (says_missing ? 2 : 1), "%s", messages(r));

        run_rest(r);
        assert_state(r, "b.container", NODE_DONE, false);
        assert_state(r, "c.container", NODE_DONE, false);
        expected = S(r, "%s:3: PublishPort=8080:80: the host port is published by %s too (PublishPort=8080:80); both units are "
                     "generated, and the one that starts second cannot bind it\n", P(r, "c.container"), P(r, "b.container"));
        assert_message(r, expected);
        ck_assert_msg(count(messages(r), "the host port is published by") == 1, "%s", messages(r));
        units = written(r);
        ck_assert_int_eq(strv_length(units), 2);
        ck_assert_str_eq(units[0], "b.service");
        ck_assert_str_eq(units[1], "c.service");
        strv_free(units);
        ck_assert_int_eq(r->g.n_failed, 1);
        run_free(r);
}

/* an error of the parser: the check goes on (every error of the file is said), its references
 * are read, and followed by none */
START_TEST(test_failed_parse_follows_nothing) {
        failed_definition_follows_nothing("NoSuchKey=1", true);
}
END_TEST

/* an error of the check (a value): its references are read, and followed by none */
START_TEST(test_failed_check_follows_nothing) {
        failed_definition_follows_nothing("Privileged=maybe", true);
}
END_TEST

/* A range of host ports and the single ports inside it clash, in both orders; the same port of
 * another protocol, and a port next to a range, do not. */
START_TEST(test_port_ranges_clash) {
        Run *r = run_new();
        write_def(r, "a.container", "[Container]\nImage=localhost/img\nPublishPort=8000-8010:8000-8010\n");
        write_def(r, "b.container", "[Container]\nImage=localhost/img\nPublishPort=8005:80\nPublishPort=8011:80\n");
        write_def(r, "c.container", "[Container]\nImage=localhost/img\nPublishPort=9000:80/udp\n");
        write_def(r, "d.container", "[Container]\nImage=localhost/img\nPublishPort=9000:80\nPublishPort=7990-7999:1-10\n");
        write_def(r, "e.container", "[Container]\nImage=localhost/img\nPublishPort=8999-9001:1-3/udp\n");
        run_start(r);
        run_rest(r);
        const char *expected = S(r, "%s:3: PublishPort=8005:80: the host port is published by %s too (PublishPort=8000-8010:8000-8010); "
                                 "both units are generated, and the one that starts second cannot bind it\n",
                                 P(r, "b.container"), P(r, "a.container"));
        assert_message(r, expected);
        expected = S(r, "%s:3: PublishPort=8999-9001:1-3/udp: the host port is published by %s too (PublishPort=9000:80/udp); "
                     "both units are generated, and the one that starts second cannot bind it\n",
                     P(r, "e.container"), P(r, "c.container"));
        assert_message(r, expected);
        ck_assert_msg(count(messages(r), "the host port is published by") == 2, "%s", messages(r));
        char **units = written(r);
        ck_assert_int_eq(strv_length(units), 5);
        strv_free(units);
        run_free(r);
}
END_TEST

/* c00000 -> c00001 -> ... -> c(n-1), and zz-alone.container on its own. */
static Run *chain(unsigned n) {
        Run *r = run_new();
        for (unsigned i = 0; i < n; i++) {
                char file[32], dep[32] = "";
                snprintf(file, sizeof(file), "c%05u.container", i);
                if (i + 1 < n)
                        snprintf(dep, sizeof(dep), "DependsOn=c%05u\n", i + 1);
                write_def(r, file, "[Container]\nImage=localhost/img\n%s", dep);
        }
        write_def(r, "zz-alone.container", "[Container]\nImage=localhost/img\n");
        run_start(r);
        return r;
}

/* 4096 definitions in a chain are followed from its first: all written, the last one first. */
START_TEST(test_depth_4096) {
        Run *r = chain(4096);
        run_process(r, "c00000.container");
        for (unsigned i = 0; i < 4096; i++) {
                char file[32];
                snprintf(file, sizeof(file), "c%05u.container", i);
                assert_state(r, file, NODE_DONE, false);
        }
        assert_state(r, "zz-alone.container", NODE_NEW, false);
        ck_assert_msg(r->c.n_err == 0, "%s", r->c.text);
        char **units = written(r);
        ck_assert_int_eq(strv_length(units), 4096);
        for (unsigned i = 0; i < 4096; i++) {
                char unit[32];
                snprintf(unit, sizeof(unit), "c%05u.service", 4095 - i);
                ck_assert_str_eq(units[i], unit);
        }
        strv_free(units);
        run_rest(r);
        units = written(r);
        ck_assert_int_eq(strv_length(units), 4097);
        ck_assert_str_eq(units[4096], "zz-alone.service");
        strv_free(units);
        ck_assert_int_eq(r->g.n_failed, 0);
        run_free(r);
}
END_TEST

/* 4097: the 4096th cannot push the last one; it and all that depend on it are errors, and the
 * last one is generated in its own turn, as is the rest. */
START_TEST(test_depth_4097) {
        Run *r = chain(4097);
        run_process(r, "c00000.container");
        for (unsigned i = 0; i < 4096; i++) {
                char file[32];
                snprintf(file, sizeof(file), "c%05u.container", i);
                assert_state(r, file, NODE_DONE, true);
        }
        assert_state(r, "c04096.container", NODE_NEW, false);
        const char *expected = S(r, "%s:0: c04096.container is at the end of a chain of more than 4096 definitions that depend on each other; "
                 "make the chain shorter\n", P(r, "c04095.container"));
        assert_message(r, expected);
        ck_assert_int_eq(count(messages(r), "chain of more than 4096"), 1);
        ck_assert_int_eq(count(messages(r), "has errors and is not generated, so neither is this one"), 4095);
        ck_assert_int_eq(r->c.n_err, 4096);
        char **units = written(r);
        ck_assert_int_eq(strv_length(units), 0);
        strv_free(units);
        run_rest(r);
        assert_state(r, "c04096.container", NODE_DONE, false);
        units = written(r);
        ck_assert_int_eq(strv_length(units), 2);
        ck_assert_str_eq(units[0], "c04096.service");
        ck_assert_str_eq(units[1], "zz-alone.service");
        strv_free(units);
        ck_assert_int_eq(r->g.n_failed, 4096);
        run_free(r);
}
END_TEST

/* An Alias= that is another file's unit name by default: that file is processed first and keeps
 * its name; the alias is the error, at its line. For a service of another type too. */
START_TEST(test_alias_waits_for_default_owner) {
        Run *r = run_new();
        write_def(r, "a.container", "[Container]\nImage=localhost/img\n[Install]\nAlias=b.service n-network.service\n");
        write_def(r, "b.container", "[Container]\nImage=localhost/img\n");
        write_def(r, "n.network", "[Network]\n");
        run_start(r);
        run_process(r, "a.container");
        assert_state(r, "b.container", NODE_DONE, false);
        assert_state(r, "n.network", NODE_DONE, false);
        assert_state(r, "a.container", NODE_DONE, true);
        ck_assert_str_eq(node_of(r, "b.container")->summary.unit_name, "b.service");
        ck_assert_str_eq(node_of(r, "n.network")->summary.unit_name, "n-network.service");
        const char *expected = S(r, "%s:4: Alias=b.service is taken: %s names its unit so; choose another alias\n",
                 P(r, "a.container"), P(r, "b.container"));
        assert_message(r, expected);
        expected = S(r, "%s:4: Alias=n-network.service is taken: %s names its unit so; choose another alias\n",
                 P(r, "a.container"), P(r, "n.network"));
        assert_message(r, expected);
        ck_assert_int_eq(r->c.n_err, 2);
        char **units = written(r);
        ck_assert_int_eq(strv_length(units), 2);
        ck_assert_int_ge(position(units, "b.service"), 0);
        ck_assert_int_ge(position(units, "n-network.service"), 0);
        strv_free(units);
        run_rest(r);
        units = written(r);
        ck_assert_int_eq(strv_length(units), 2); /* nothing was left for later */
        strv_free(units);
        ck_assert_int_eq(r->g.n_failed, 1);
        run_free(r);
}
END_TEST

/* Every line --dry-run printed so far. */
static char *printed(Run *r) {
        FILE *f = fopen(r->out, "re");
        if (!f)
                return S(r, "%s", "");
        StrBuf b = {};
        char line[4096];
        while (fgets(line, sizeof(line), f))
                ck_assert_int_eq(strbuf_puts(&b, line), 0);
        fclose(f);
        char *s = S(r, "%s", b.s ? b.s : "");
        strbuf_done(&b);
        return s;
}

/* A NAME-pull.service yields its name to a definition's own unit, also to one processed after its
 * owner was written: --dry-run holds the companions back until every name is settled, so that it
 * never prints two units of one name; the owner is told, naming the other file. */
START_TEST(test_companion_yields_later) {
        Run *r = run_new();
        write_def(r, "web.container", "[Container]\nImage=localhost/img\n");
        write_def(r, "zz.container", "[Container]\nImage=localhost/img\nServiceName=web-pull\n");
        run_start(r);
        run_process(r, "web.container");
        ck_assert_ptr_null(strstr(printed(r), "---web-pull.service---"));
        ck_assert_int_eq(r->g.n_deferred, 1);
        ck_assert_str_eq(r->g.deferred[0].name, "web-pull.service");
        ck_assert_ptr_nonnull(r->g.deferred[0].text);
        run_process(r, "zz.container");
        ck_assert_ptr_null(r->g.deferred[0].text);
        assert_message(r, S(r, "%s:0: web-pull.service, the NAME-pull.service of this definition, is left out: %s makes a unit of "
                           "that name", P(r, "web.container"), P(r, "zz.container")));
        run_rest(r);
        const char *out = printed(r);
        ck_assert_uint_eq(count(out, "---web-pull.service---"), 1);
        ck_assert_ptr_nonnull(strstr(out, "---web-pull.service---\n# Automatically generated by oci-containers-generator\n"
                                          "# Source: "));
        ck_assert_ptr_nonnull(strstr(out, S(r, "SourcePath=%s\n", P(r, "zz.container"))));
        /* zz's own companion, held back and printed at the end */
        ck_assert_uint_eq(count(out, "---web-pull-pull.service---"), 1);
        ck_assert_int_eq(r->c.n_err, 0);
        ck_assert_int_eq(r->g.n_failed, 0);
        run_free(r);
}
END_TEST

static Suite *graph_suite(void) {
        Suite *s = suite_create("graph");
        TCase *tc = tcase_create("core");
        tcase_set_timeout(tc, 60);
        tcase_add_test(tc, test_order);
        tcase_add_test(tc, test_cycle);
        tcase_add_test(tc, test_failure_propagates);
        tcase_add_test(tc, test_failed_parse_follows_nothing);
        tcase_add_test(tc, test_failed_check_follows_nothing);
        tcase_add_test(tc, test_port_ranges_clash);
        tcase_add_test(tc, test_depth_4096);
        tcase_add_test(tc, test_depth_4097);
        tcase_add_test(tc, test_alias_waits_for_default_owner);
        tcase_add_test(tc, test_companion_yields_later);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(graph_suite)
