/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The INI reader alone: what it reports of a text, through its callbacks, written down as lines
 * ("LINE [NAME]", "LINE:COLUMN SECTION|KEY=VALUE", "LINE error: MESSAGE") and compared whole. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ini-reader.h"
#include "testutil.h"

typedef struct Seen {
        StrBuf log;
        int stop_at_key; /* the assignment callback stops the reading at KEY "stop" with this */
} Seen;

static int seen_section(void *userdata, const char *name, unsigned line) {
        Seen *s = userdata;
        strbuf_printf(&s->log, "%u [%s]\n", line, name);
        return 0;
}

static int seen_assignment(void *userdata, const char *section, const char *key, const char *value, unsigned line,
                           unsigned column) {
        Seen *s = userdata;
        size_t n = strlen(value);
        if (n > 64)
                /* a long value by its length and ends, not whole */
                strbuf_printf(&s->log, "%u:%u %s|%s=<%zu bytes %c..%c>\n", line, column, section ? section : "(none)", key, n,
                              value[0], value[n - 1]);
        else
                strbuf_printf(&s->log, "%u:%u %s|%s=%s\n", line, column, section ? section : "(none)", key, value);
        if (s->stop_at_key && streq(key, "stop"))
                return s->stop_at_key;
        return 0;
}

static int seen_error(void *userdata, unsigned line, const char *message) {
        Seen *s = userdata;
        strbuf_printf(&s->log, "%u error: %s\n", line, message);
        return 0;
}

static const OciIniHandler handler = {
        .section = seen_section,
        .assignment = seen_assignment,
        .error = seen_error,
};

/* Read size bytes of text; *ret is the log (to free), the return what oci_ini_parse() returned. */
static int read_n(const char *text, size_t size, char **ret) {
        Seen s = {};
        int r = oci_ini_parse(text, size, &handler, &s);
        *ret = strbuf_steal(&s.log);
        ck_assert_ptr_nonnull(*ret);
        return r;
}

#define ck_read(text, expect_r, expect_log)                                 \
        do {                                                                \
                _cleanup_free_ char *log_ = NULL;                           \
                ck_assert_int_eq(read_n(text, strlen(text), &log_), expect_r); \
                ck_assert_str_eq(log_, expect_log);                         \
        } while (0)

START_TEST(test_plain) {
        ck_read("", 0, "");
        ck_read("# comment\n"
                "; another\n"
                "[Container]\n"
                "  Image = docker.io/x  \n"
                "Exec=sh -c \"a ; b # c\"\n"
                "   # indented comment\n"
                "\n"
                "[X-Mine]\n"
                "Label=a=1\n"
                "Empty=\n",
                0,
                "3 [Container]\n"
                "4:11 Container|Image=docker.io/x\n"
                "5:6 Container|Exec=sh -c \"a ; b # c\"\n"
                "8 [X-Mine]\n"
                "9:7 X-Mine|Label=a=1\n"
                "10:7 X-Mine|Empty=\n");
        /* the last line needs no newline; the name of a section is what stands between the brackets */
        ck_read("[ Spaced ] trailing\nA=1", 0, "1 [ Spaced ]\n2:3  Spaced |A=1\n");
}
END_TEST

START_TEST(test_continuation) {
        /* as Quadlet reads it: the backslash is dropped, the next line joined without its
         * leading blanks, nothing put between them */
        ck_read("[S]\n"
                "A=one \\\n"
                "  two \\\n"
                "three\\\n"
                "four\n"
                "B=x\n",
                0,
                "1 [S]\n"
                "2:3 S|A=one two threefour\n"
                "6:3 S|B=x\n");
        /* blanks after the backslash are dropped first: the line still continues */
        ck_read("[S]\nA=a \\ \t \n  b\nB=1\n", 0, "1 [S]\n2:3 S|A=a b\n4:3 S|B=1\n");
        /* the text ends inside a continuation: what was read is the last line */
        ck_read("[S]\nA=1\\", 0, "1 [S]\n2:3 S|A=1\n");
        /* a header may be continued too */
        ck_read("[S\\\n]\nA=1\n", 0, "1 [S]\n3:3 S|A=1\n");
}
END_TEST

START_TEST(test_comment_in_continuation) {
        ck_read("[S]\n"
                "A=a \\\n"
                "# dropped\n"
                "   ; dropped too\n"
                "\n"
                "b\n"
                "B=2\n",
                0,
                "1 [S]\n"
                "2:3 S|A=a b\n"
                "7:3 S|B=2\n");
        /* outside a continuation a comment stays a comment, even one ending in a backslash: it
         * is skipped whole, and the next line is a line of its own */
        ck_read("[S]\n# c \\\nA=1\nB=2\n", 0, "1 [S]\n3:3 S|A=1\n4:3 S|B=2\n");
}
END_TEST

START_TEST(test_escaped_backslash) {
        /* "\\" at the end is an escaped backslash: the line does not continue */
        ck_read("[S]\nA=x\\\\\nB=1\n", 0, "1 [S]\n2:3 S|A=x\\\\\n3:3 S|B=1\n");
        /* and "\\\" is one escaped and one that continues */
        ck_read("[S]\nA=x\\\\\\\nB=1\n", 0, "1 [S]\n2:3 S|A=x\\\\B=1\n");
        /* only the backslashes at the end count: here four, none left over */
        ck_read("[S]\nA=a\\b\\\\\\\\\nB=1\n", 0, "1 [S]\n2:3 S|A=a\\b\\\\\\\\\n3:3 S|B=1\n");
}
END_TEST

START_TEST(test_bom) {
        /* the byte order mark is not part of the first line: neither of its text nor its columns */
        ck_read("\xef\xbb\xbf[S]\nA=1\n", 0, "1 [S]\n2:3 S|A=1\n");
        ck_read("\xef\xbb\xbf" "A=1\n[S]\n", 0, "1:3 (none)|A=1\n2 [S]\n");
        /* only at the very start */
        ck_read("[S]\n\xef\xbb\xbf" "A=1\n", 0, "1 [S]\n2:6 S|\xef\xbb\xbf" "A=1\n");
}
END_TEST

START_TEST(test_crlf) {
        ck_read("[S]\r\nA=1\r\nB = 2 \r\n\r\nC=3 \\\r\nfour\r\n", 0,
                "1 [S]\n2:3 S|A=1\n3:5 S|B=2\n5:3 S|C=3 four\n");
}
END_TEST

START_TEST(test_lone_cr) {
        ck_read("[S]\nA=1\rB=2\nC=3\n", -EINVAL,
                "1 [S]\n"
                "2 error: carriage return inside a line; save the file with Unix or DOS line endings only\n"
                "3:3 S|C=3\n");
        /* inside a continued line: the error names the physical line, the whole logical one is dropped */
        ck_read("[S]\nA=1 \\\n2\r3\nC=3\n", -EINVAL,
                "1 [S]\n"
                "3 error: carriage return inside a line; save the file with Unix or DOS line endings only\n"
                "4:3 S|C=3\n");
}
END_TEST

START_TEST(test_nul) {
        static const char text[] = "[S]\nA=1\nB=\0\nC=3\n";
        _cleanup_free_ char *log = NULL;
        /* nothing else is read: the NUL is reported on its line and that is all */
        ck_assert_int_eq(read_n(text, sizeof(text) - 1, &log), -EINVAL);
        ck_assert_str_eq(log, "3 error: file contains a NUL byte; definitions must be UTF-8 text\n");
}
END_TEST

START_TEST(test_invalid_utf8) {
        ck_read("[S]\nA=\xff\nB=caf\xc3\xa9\nC=\xc3\n", -EINVAL,
                "1 [S]\n"
                "2 error: line is not valid UTF-8; definitions must be UTF-8 text\n"
                "3:3 S|B=caf\xc3\xa9\n"
                "4 error: line is not valid UTF-8; definitions must be UTF-8 text\n");
        /* a line with both: each is said */
        ck_read("[S]\nA=\xff\r1\n", -EINVAL,
                "1 [S]\n"
                "2 error: carriage return inside a line; save the file with Unix or DOS line endings only\n"
                "2 error: line is not valid UTF-8; definitions must be UTF-8 text\n");
}
END_TEST

START_TEST(test_missing_bracket) {
        /* the keys under the broken header belong to no section that can be named: not reported */
        ck_read("[S]\nA=1\n[T\nB=2\n[U]\nC=3\n", -EINVAL,
                "1 [S]\n"
                "2:3 S|A=1\n"
                "3 error: section header '[T' has no closing ']'\n"
                "5 [U]\n"
                "6:3 U|C=3\n");
}
END_TEST

START_TEST(test_no_equals) {
        ck_read("[S]\nJust words\nA:1\nB=2:3\n=4\n", -EINVAL,
                "1 [S]\n"
                "2 error: expected 'Key=Value', got 'Just words'\n"
                "3 error: expected 'Key=Value', got 'A:1'\n"
                "4:3 S|B=2:3\n"
                "5:2 S|=4\n");
        /* what is quoted of a long line is its first 80 bytes */
        char line[200];
        memset(line, 'w', 150);
        strcpy(line + 150, "\n");
        _cleanup_free_ char *log = NULL;
        ck_assert_int_eq(read_n(line, strlen(line), &log), -EINVAL);
        ck_assert_str_eq(log, "1 error: expected 'Key=Value', got "
                              "'wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww'\n");
}
END_TEST

START_TEST(test_key_before_section) {
        /* reported with no section: whether that is allowed is for the caller to say */
        ck_read("A=1\n[S]\nB=2\n", 0, "1:3 (none)|A=1\n2 [S]\n3:3 S|B=2\n");
}
END_TEST

START_TEST(test_long_line) {
        size_t n = 1u << 20;
        StrBuf b = {};
        ck_assert_int_eq(strbuf_puts(&b, "[S]\nA=x"), 0);
        for (size_t i = 0; i < n - 2; i++)
                ck_assert_int_eq(strbuf_putc(&b, 'a'), 0);
        ck_assert_int_eq(strbuf_puts(&b, "z\nB=1\n"), 0);
        _cleanup_free_ char *log = NULL;
        ck_assert_int_eq(read_n(b.s, b.len, &log), 0);
        ck_assert_str_eq(log, "1 [S]\n2:3 S|A=<1048576 bytes x..z>\n3:3 S|B=1\n");
        strbuf_done(&b);
}
END_TEST

START_TEST(test_column) {
        ck_read("[S]\n"
                "Key = value\n"
                "  K2\t=\t v\n"
                "K3=\n"
                "K4= \\\n"
                "  continued\n"
                "K5=a=b\n",
                0,
                "1 [S]\n"
                "2:7 S|Key=value\n"
                "3:9 S|K2=v\n"
                "4:4 S|K3=\n"
                /* a value that starts on a continuation line: the count goes on through the
                 * break, which is nothing, and the next line's blanks, which are dropped */
                "5:5 S|K4=continued\n"
                "7:4 S|K5=a=b\n");
}
END_TEST

START_TEST(test_unparsed) {
        /* inih skips a form feed where we do not: it takes "[T=x" for a header without ']'; the
         * line is named, counted in physical lines past the continuation */
        ck_read("[S]\nA=1 \\\n2\n\f[T=x\nB=1\n", -EINVAL,
                "1 [S]\n"
                "2:3 S|A=1 2\n"
                "5:3 S|B=1\n"
                "4 error: line could not be parsed\n");
}
END_TEST

START_TEST(test_stop) {
        Seen s = { .stop_at_key = -ECANCELED };
        static const char text[] = "[S]\nA=1\nstop=2\n\xff\n[T]\nB=3\n";
        ck_assert_int_eq(oci_ini_parse(text, strlen(text), &handler, &s), -ECANCELED);
        ck_assert_str_eq(s.log.s, "1 [S]\n2:3 S|A=1\n3:6 S|stop=2\n");
        strbuf_done(&s.log);

        /* no callbacks at all: only the result */
        static const OciIniHandler none = {};
        ck_assert_int_eq(oci_ini_parse(text, strlen(text), &none, NULL), -EINVAL);
        ck_assert_int_eq(oci_ini_parse("[S]\nA=1\n", 8, &none, NULL), 0);
}
END_TEST

START_TEST(test_read_file) {
        char dir[] = "/tmp/test-ini-XXXXXX";
        ck_assert_ptr_nonnull(mkdtemp(dir));
        _cleanup_free_ char *file = path_join(dir, "a.ini"), *fifo = path_join(dir, "fifo"), *none = path_join(dir, "none");
        Collected c = {};
        OciDiagSink sink = { .fn = collect_diag, .userdata = &c };
        char *data;
        size_t size;

        FILE *f = fopen(file, "w");
        ck_assert_ptr_nonnull(f);
        fputs("[S]\nA=1\n", f);
        fclose(f);
        ck_assert_int_eq(oci_ini_read_file(file, 100, &sink, &data, &size), 0);
        ck_assert_uint_eq(size, 8);
        ck_assert_str_eq(data, "[S]\nA=1\n");
        free(data);

        /* larger than allowed: refused before reading */
        ck_assert_int_eq(oci_ini_read_file(file, 7, &sink, &data, &size), -EINVAL);
        /* a FIFO without a writer would block an open() without O_NONBLOCK */
        ck_assert_int_eq(mkfifo(fifo, 0600), 0);
        ck_assert_int_eq(oci_ini_read_file(fifo, 100, &sink, &data, &size), -EINVAL);
        ck_assert_int_eq(oci_ini_read_file(dir, 100, &sink, &data, &size), -EINVAL);
        ck_assert_int_eq(oci_ini_read_file(none, 100, &sink, &data, &size), -EINVAL);
        char expect[2048];
        snprintf(expect, sizeof(expect),
                 "%s:0: file is larger than 0 MiB; refusing to read it\n"
                 "%s:0: not a regular file\n"
                 "%s:0: not a regular file\n"
                 "%s:0: cannot open: No such file or directory\n",
                 file, fifo, dir, none);
        ck_assert_str_eq(c.text, expect);
        ck_assert_uint_eq(c.n_err, 4);

        unlink(file);
        unlink(fifo);
        rmdir(dir);
}
END_TEST

/* Writes n bytes of a pattern to name in dir_fd: lines of "K=VVV...\n", cut at n. */
static void write_pattern(int dir_fd, const char *name, size_t n) {
        int fd = openat(dir_fd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        ck_assert_int_ge(fd, 0);
        for (size_t i = 0; i < n; i++) {
                char ch = i % 64 == 63 ? '\n' : i % 64 == 1 ? '=' : (char) ('a' + i % 26);
                ck_assert_int_eq(write(fd, &ch, 1), 1);
        }
        close(fd);
}

/* The text read matches the pattern of n bytes, NUL-terminated. */
static void ck_pattern(const char *data, size_t size, size_t n) {
        ck_assert_uint_eq(size, n);
        for (size_t i = 0; i < n; i++)
                ck_assert_int_eq(data[i], i % 64 == 63 ? '\n' : i % 64 == 1 ? '=' : (char) ('a' + i % 26));
        ck_assert_int_eq(data[n], 0);
}

/* A file named in its directory, taken for regular without fstat(): its size is only known once it
 * is read, so the limit is met while reading, in steps of a growing buffer. */
START_TEST(test_read_file_at) {
        char dir[] = "/tmp/test-ini-XXXXXX";
        ck_assert_ptr_nonnull(mkdtemp(dir));
        int dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
        ck_assert_int_ge(dfd, 0);
        Collected c = {};
        OciDiagSink sink = { .fn = collect_diag, .userdata = &c };
        char *data;
        size_t size;

        /* sizes around the first buffer, each step of its growth and the limit itself */
        static const size_t sizes[] = { 0, 1, 1023, 1024, 1025, 8191, 8192, 8193, 19999, 20000 };
        for (size_t i = 0; i < ELEMENTSOF(sizes); i++) {
                write_pattern(dfd, "a.container", sizes[i]);
                for (int regular = 0; regular <= 1; regular++) {
                        ck_assert_int_eq(oci_ini_read_file_at(dfd, "a.container", regular, "/shown/a.container", 20000, &sink, &data,
                                                              &size), 0);
                        ck_pattern(data, size, sizes[i]);
                        free(data);
                }
        }
        ck_assert_uint_eq(c.n_err, 0);

        /* one byte past the limit: refused, with the path given for messages, when the size is
         * asked first and when the reading finds it */
        write_pattern(dfd, "a.container", 20001);
        ck_assert_int_eq(oci_ini_read_file_at(dfd, "a.container", false, "/shown/a.container", 20000, &sink, &data, &size), -EINVAL);
        ck_assert_int_eq(oci_ini_read_file_at(dfd, "a.container", true, "/shown/a.container", 20000, &sink, &data, &size), -EINVAL);
        /* a limit below the first buffer */
        write_pattern(dfd, "a.container", 8);
        ck_assert_int_eq(oci_ini_read_file_at(dfd, "a.container", true, "/shown/a.container", 7, &sink, &data, &size), -EINVAL);
        write_pattern(dfd, "a.container", 7);
        ck_assert_int_eq(oci_ini_read_file_at(dfd, "a.container", true, "/shown/a.container", 7, &sink, &data, &size), 0);
        ck_pattern(data, size, 7);
        free(data);
        /* a name missing from the directory, though a file of that name is in the working directory */
        ck_assert_int_eq(oci_ini_read_file_at(dfd, "none", true, "/shown/none", 100, &sink, &data, &size), -EINVAL);
        ck_assert_str_eq(c.text, "/shown/a.container:0: file is larger than 0 MiB; refusing to read it\n"
                                 "/shown/a.container:0: file is larger than 0 MiB; refusing to read it\n"
                                 "/shown/a.container:0: file is larger than 0 MiB; refusing to read it\n"
                                 "/shown/none:0: cannot open: No such file or directory\n");
        ck_assert_uint_eq(c.n_err, 4);

        /* a FIFO where readdir() saw a regular file (replaced since): it does not block, and reads
         * as empty */
        ck_assert_int_eq(unlinkat(dfd, "a.container", 0), 0);
        ck_assert_int_eq(mkfifoat(dfd, "a.container", 0600), 0);
        ck_assert_int_eq(oci_ini_read_file_at(dfd, "a.container", true, "/shown/a.container", 100, &sink, &data, &size), 0);
        ck_assert_uint_eq(size, 0);
        free(data);

        ck_assert_int_eq(unlinkat(dfd, "a.container", 0), 0);
        close(dfd);
        ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

static Suite *make(void) {
        Suite *s = suite_create("ini");
        TCase *tc = tcase_create("core");
        tcase_set_timeout(tc, 60);
        tcase_add_test(tc, test_plain);
        tcase_add_test(tc, test_continuation);
        tcase_add_test(tc, test_comment_in_continuation);
        tcase_add_test(tc, test_escaped_backslash);
        tcase_add_test(tc, test_bom);
        tcase_add_test(tc, test_crlf);
        tcase_add_test(tc, test_lone_cr);
        tcase_add_test(tc, test_nul);
        tcase_add_test(tc, test_invalid_utf8);
        tcase_add_test(tc, test_missing_bracket);
        tcase_add_test(tc, test_no_equals);
        tcase_add_test(tc, test_key_before_section);
        tcase_add_test(tc, test_long_line);
        tcase_add_test(tc, test_column);
        tcase_add_test(tc, test_unparsed);
        tcase_add_test(tc, test_stop);
        tcase_add_test(tc, test_read_file);
        tcase_add_test(tc, test_read_file_at);
        suite_add_tcase(s, tc);
        return s;
}
RUN_SUITE(make)
