/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <limits.h>
#include <stdint.h>

#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"
#include "arena.h"
#include "hashmap.h"
#include "host.h"
#include "util.h"

START_TEST(test_strbuf) {
        StrBuf b = {};
        ck_assert_int_eq(strbuf_puts(&b, "ab"), 0);
        ck_assert_int_eq(strbuf_printf(&b, "%d-%s", 42, "x"), 0);
        for (int i = 0; i < 1000; i++)
                ck_assert_int_eq(strbuf_putc(&b, 'z'), 0);
        char *s = strbuf_steal(&b);
        ck_assert_uint_eq(strlen(s), 2 + 4 + 1000);
        ck_assert(strncmp(s, "ab42-xzz", 8) == 0);
        free(s);
        StrBuf e = {};
        s = strbuf_steal(&e);
        ck_assert_str_eq(s, "");
        free(s);
}
END_TEST

/* A buffer of the caller's (oci_split_quadlet_to() writes the words into item memory so) is never
 * grown: what does not fit fails, and the buffer and what it holds stay as they were. */
START_TEST(test_strbuf_fixed) {
        char buf[8];
        StrBuf b = { .s = buf, .cap = sizeof(buf), .fixed = true };
        ck_assert_int_eq(strbuf_puts(&b, "abc"), 0);
        ck_assert_int_eq(strbuf_putc(&b, 'd'), 0);
        ck_assert_int_eq(strbuf_printf(&b, "%d", 12), 0);
        ck_assert_str_eq(buf, "abcd12");
        ck_assert_int_eq(strbuf_puts(&b, "xyz"), -ENOBUFS);
        ck_assert_int_eq(strbuf_printf(&b, "%s", "xyz"), -ENOBUFS);
        ck_assert_int_eq(strbuf_putc(&b, 'e'), 0);
        ck_assert_int_eq(strbuf_putc(&b, 'f'), -ENOBUFS);
        ck_assert_ptr_eq(b.s, buf);
        ck_assert_uint_eq(b.len, 7);
        ck_assert_str_eq(buf, "abcd12e");
        strbuf_done(&b); /* not freed: the buffer is the caller's */
        ck_assert_ptr_null(b.s);
}
END_TEST

START_TEST(test_strv) {
        char **l = NULL;
        ck_assert_int_eq(strv_extend(&l, "b"), 0);
        ck_assert_int_eq(strv_extendf(&l, "%s", "a"), 0);
        ck_assert_int_eq(strv_extend(&l, "c"), 0);
        ck_assert_uint_eq(strv_length(l), 3);
        ck_assert(strv_contains(l, "a"));
        ck_assert(!strv_contains(l, "d"));
        strv_sort(l);
        char *j = strv_join(l, ",");
        ck_assert_str_eq(j, "a,b,c");
        free(j);
        strv_free(l);
        ck_assert_uint_eq(strv_length(NULL), 0);
}
END_TEST

/* The formatter's own conversions must print what snprintf() prints, and the others go to it. */
static void check_format(const char *expected, char *got) {
        ck_assert_ptr_nonnull(got);
        ck_assert_str_eq(got, expected);
        free(got);
}

START_TEST(test_format) {
        char want[256];
        snprintf(want, sizeof(want), "%d|%i|%u|%zu|%c|%%|%s|%.*s|%.*s", INT_MIN, -7, UINT_MAX, (size_t) SIZE_MAX, 'q',
                 "word", 3, "abcdef", -1, "all");
        check_format(want, xasprintf("%d|%i|%u|%zu|%c|%%|%s|%.*s|%.*s", INT_MIN, -7, UINT_MAX, (size_t) SIZE_MAX, 'q', "word",
                                     3, "abcdef", -1, "all"));
        snprintf(want, sizeof(want), "%.*s|", 10, "ab");
        check_format(want, xasprintf("%.*s|", 10, "ab")); /* a precision longer than the string */
        /* conversions it does not do itself: stdio's answer */
        snprintf(want, sizeof(want), "\\x%02x %5d %-3s| %lu %x", 7, 42, "a", 123456789UL, 255u);
        check_format(want, xasprintf("\\x%02x %5d %-3s| %lu %x", 7, 42, "a", 123456789UL, 255u));
        check_format("", xasprintf("%s", ""));
        check_format("no conversion", xasprintf("no conversion"));
        StrBuf b = {};
        ck_assert_int_eq(strbuf_printf(&b, "%s=%s", "Key", "Value"), 0);
        ck_assert_int_eq(strbuf_printf(&b, "/%u", 65535u), 0);
        check_format("Key=Value/65535", strbuf_steal(&b));
}
END_TEST

/* A vector grows as it is pushed to, across every size its capacity rule changes at, and strings
 * moved from one vector to another stay whole. */
START_TEST(test_strv_growth) {
        char **l = NULL;
        for (unsigned i = 0; i < 300; i++) {
                ck_assert_int_eq(strv_extendf(&l, "%u", i), 0);
                ck_assert_uint_eq(strv_length(l), i + 1);
                ck_assert_ptr_null(l[i + 1]);
        }
        for (unsigned i = 0; i < 300; i++) {
                char n[16];
                snprintf(n, sizeof(n), "%u", i);
                ck_assert_str_eq(l[i], n);
        }
        char **m = NULL;
        ck_assert_int_eq(strv_extend(&m, "first"), 0);
        ck_assert_int_eq(strv_move(&m, &l), 0);
        ck_assert_ptr_null(l);
        ck_assert_uint_eq(strv_length(m), 301);
        ck_assert_str_eq(m[0], "first");
        ck_assert_str_eq(m[300], "299");
        char **empty = NULL, **into = NULL;
        ck_assert_int_eq(strv_move(&into, &m), 0); /* into an empty vector: the same vector */
        ck_assert_ptr_null(m);
        ck_assert_uint_eq(strv_length(into), 301);
        ck_assert_int_eq(strv_move(&into, &empty), 0);
        ck_assert_uint_eq(strv_length(into), 301);
        strv_free(into);
}
END_TEST

/* The map finds every key after it has grown many times, tells keys that share a prefix apart,
 * replaces a value set twice, and answers NULL for what it does not hold. */
START_TEST(test_hashmap) {
        HashMap m = {};
        char keys[2000][16];
        ck_assert_ptr_null(hashmap_get(&m, "anything"));
        for (int i = 0; i < 2000; i++) {
                snprintf(keys[i], sizeof(keys[i]), "k%d", i);
                ck_assert_int_eq(hashmap_put(&m, keys[i], &keys[i]), 0);
        }
        ck_assert_uint_eq(m.n, 2000);
        ck_assert_uint_ge(m.cap * 3, m.n * 4); /* at most 3/4 full */
        for (int i = 0; i < 2000; i++)
                ck_assert_ptr_eq(hashmap_get(&m, keys[i]), &keys[i]);
        ck_assert_ptr_null(hashmap_get(&m, "k2000"));
        ck_assert_ptr_null(hashmap_get(&m, "k"));
        ck_assert_ptr_eq(hashmap_getn(&m, "k12345", 3), &keys[12]); /* "k12" */
        static char other[] = "k7";
        ck_assert_int_eq(hashmap_put(&m, other, other), 0);
        ck_assert_uint_eq(m.n, 2000);
        ck_assert_ptr_eq(hashmap_get(&m, "k7"), other);
        hashmap_done(&m);
        ck_assert_ptr_null(hashmap_get(&m, "k7"));
}
END_TEST

/* The hash reads a key's n bytes and no more, each of them counts wherever it stands (it reads
 * words, and the last word of a key may overlap the one before), and the keys a generator sees
 * (NAME-NUMBER.service) spread over the map's slots. */
START_TEST(test_hash_string) {
        for (size_t n = 0; n <= 40; n++) {
                /* exactly n bytes of their own: AddressSanitizer catches a read past them */
                char *key = malloc(n ? n : 1);
                ck_assert_ptr_nonnull(key);
                memset(key, 'a', n);
                size_t h = hash_string(key, n);
                for (size_t i = 0; i < n; i++) {
                        key[i] = 'b';
                        ck_assert_msg(hash_string(key, n) != h, "byte %zu of %zu changes nothing", i, n);
                        key[i] = 'a';
                }
                ck_assert_uint_eq(hash_string(key, n), h);
                /* the bytes past n are not read */
                char longer[48];
                memset(longer, 'a', sizeof(longer));
                memcpy(longer, key, n);
                longer[n] = 'z';
                ck_assert_uint_eq(hash_string(longer, n), h);
                free(key);
        }
        /* 3,000 unit names in 4,096 slots: no slot takes more than a handful */
        unsigned slots[4096] = {};
        unsigned most = 0;
        for (int i = 0; i < 3000; i++) {
                char name[32];
                int len = snprintf(name, sizeof(name), "app-%d.service", i);
                unsigned *s = &slots[hash_string(name, (size_t) len) & 4095];
                if (++*s > most)
                        most = *s;
        }
        ck_assert_uint_le(most, 8);
}
END_TEST

/* A join: the room first, then every part in order, however many (more than the lengths it keeps
 * aside), its length the room's and the parts'; none at all is the room and a NUL. */
START_TEST(test_arena_join) {
        ArenaBlock *arena = NULL;
        const char *const parts[] = { "a", "", "bc", "d", "ef", "g", "h", "i", "jk", "l", "mno" };
        size_t len = 0;
        char *s = arena_join(&arena, 3, parts, ELEMENTSOF(parts), &len);
        ck_assert_ptr_nonnull(s);
        ck_assert_uint_eq(len, 3 + strlen("abcdefghijklmno"));
        ck_assert_str_eq(s + 3, "abcdefghijklmno");
        char *t = arena_join(&arena, 0, parts + 2, 2, NULL);
        ck_assert_str_eq(t, "bcd");
        char *e = arena_join(&arena, 2, NULL, 0, &len);
        ck_assert_uint_eq(len, 2);
        ck_assert_int_eq(e[2], 0);
        arena_free(arena);
}
END_TEST

/* How many of the n bytes at p are c. */
static size_t count_bytes(const unsigned char *p, size_t n, unsigned char c) {
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
                k += p[i] == c;
        return k;
}

/* An arena's first block is small when no block is spare: what fits in it lies right after what
 * came before, and what does not comes from a block of the usual size. */
START_TEST(test_arena_first_block) {
        /* the blocks that arenas freed before hold at most a few spares: taken by these */
        ArenaBlock *spares[8] = { NULL };
        for (size_t i = 0; i < ELEMENTSOF(spares); i++)
                ck_assert_ptr_nonnull(arena_alloc_uninit(&spares[i], 8));
        ArenaBlock *a = NULL;
        char *x = arena_alloc_uninit(&a, 8), *y = arena_alloc_uninit(&a, 8);
        ck_assert_ptr_eq(y, x + 8);
        ck_assert_uint_lt(a->size, 1024);
        char *big = arena_alloc_uninit(&a, 4000);
        ck_assert_ptr_nonnull(big);
        ck_assert_uint_eq(a->size, 32768);
        ck_assert_ptr_eq(a->next->data, (void *) x); /* the small block kept, behind the new one */
        arena_free(a);
        for (size_t i = 0; i < ELEMENTSOF(spares); i++)
                arena_free(spares[i]);
}
END_TEST

/* Allocations of every size an arena meets: a few bytes (its first, small block), more than that
 * block holds, more than a usual block (one of its own), in several arenas made and freed in turn
 * (which take the blocks the others let go of). Each is aligned, zeroed or copied as asked, and
 * none overlaps another: each is filled with a byte of its own, and all are intact at the end. */
START_TEST(test_arena_sizes) {
        static const size_t sizes[] = { 1, 7, 8, 24, 300, 1000, 5000, 40000, 3, 70000, 16, 900, 33000, 2 };
        for (int round = 0; round < 3; round++) {
                ArenaBlock *a = NULL, *b = NULL;
                unsigned char *p[2 * ELEMENTSOF(sizes)];
                for (size_t i = 0; i < ELEMENTSOF(sizes); i++) {
                        p[2 * i] = arena_alloc(&a, sizes[i]);
                        ck_assert_ptr_nonnull(p[2 * i]);
                        ck_assert_uint_eq((uintptr_t) p[2 * i] % 8, 0);
                        ck_assert_uint_eq(count_bytes(p[2 * i], sizes[i], 0), sizes[i]);
                        p[2 * i + 1] = arena_alloc_uninit(&b, sizes[i]);
                        ck_assert_ptr_nonnull(p[2 * i + 1]);
                        ck_assert_uint_eq((uintptr_t) p[2 * i + 1] % 8, 0);
                        memset(p[2 * i], (int) (2 * i + 1), sizes[i]);
                        memset(p[2 * i + 1], (int) (2 * i + 2), sizes[i]);
                }
                for (size_t i = 0; i < 2 * ELEMENTSOF(sizes); i++)
                        ck_assert_uint_eq(count_bytes(p[i], sizes[i / 2], (unsigned char) (i + 1)), sizes[i / 2]);
                /* emptied, it serves again from the start */
                arena_reset(&a);
                char *s = arena_strndup(&a, "abc", 3), *t = arena_strdup(&a, "defgh");
                ck_assert_str_eq(s, "abc");
                ck_assert_str_eq(t, "defgh");
                char *e = arena_strndup(&b, NULL, 0); /* nothing at all: an empty string */
                ck_assert_ptr_nonnull(e);
                ck_assert_str_eq(e, "");
                arena_free(a);
                arena_free(b);
        }
}
END_TEST

/* The slashes between the two parts: one, whatever each brings; the root and an empty first part
 * stay absolute. strjoin(): the parts in order, none at all an empty string. */
START_TEST(test_path_join) {
        static const char *const cases[][3] = {
                { "/etc", "a.container", "/etc/a.container" }, { "/etc/", "a", "/etc/a" },   { "/etc//", "//a", "/etc/a" },
                { "/", "a", "/a" },                           { "", "a", "/a" },            { "rel", "b/c", "rel/b/c" },
                { "/x", "", "/x/" },
        };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_free_ char *p = path_join(cases[i][0], cases[i][1]);
                ck_assert_str_eq(p, cases[i][2]);
        }
        _cleanup_free_ char *j = strjoin("web", "", "@", "a", ".service"), *e = strjoin("");
        ck_assert_str_eq(j, "web@a.service");
        ck_assert_str_eq(e, "");
}
END_TEST

START_TEST(test_utf8) {
        ck_assert(utf8_is_valid_n("grüße €", strlen("grüße €")));
        ck_assert(utf8_is_valid_n("\xf0\x9f\x98\x80", 4));
        ck_assert(!utf8_is_valid_n("\xff", 1));
        ck_assert(!utf8_is_valid_n("\xc3", 1));         /* truncated */
        ck_assert(!utf8_is_valid_n("\xc0\xaf", 2));     /* overlong */
        ck_assert(!utf8_is_valid_n("\xed\xa0\x80", 3)); /* surrogate */
        ck_assert(!utf8_is_valid_n("\xf4\x90\x80\x80", 4)); /* past U+10FFFF */
}
END_TEST

START_TEST(test_levenshtein) {
        ck_assert_uint_eq(levenshtein("Image", "Image"), 0);
        ck_assert_uint_eq(levenshtein("Imag", "Image"), 1);
        ck_assert_uint_eq(levenshtein("image", "Image"), 0); /* a case slip costs nothing */
        ck_assert_uint_eq(levenshtein("Exce", "Exec"), 2);
        ck_assert_uint_eq(levenshtein("", "abc"), 3);
}
END_TEST

START_TEST(test_paths) {
        char *p = path_join("/a/", "/b");
        ck_assert_str_eq(p, "/a/b");
        free(p);
        p = path_join("/", "up");
        ck_assert_str_eq(p, "/up");
        free(p);
        p = path_dirname("/x/y/z.container");
        ck_assert_str_eq(p, "/x/y");
        free(p);
        p = path_dirname("/z");
        ck_assert_str_eq(p, "/");
        free(p);
        ck_assert(path_is_normalized_absolute("/srv/www"));
        ck_assert(path_is_normalized_absolute("/"));
        ck_assert(!path_is_normalized_absolute("srv"));
        ck_assert(!path_is_normalized_absolute("/a/../b"));
        ck_assert(!path_is_normalized_absolute("/a//b"));
        ck_assert(!path_is_normalized_absolute("/a/./b"));
        ck_assert(!path_is_normalized_absolute("/a/"));
        /* a directory may end in slashes */
        ck_assert(path_is_normalized_absolute_dir("/var/log/"));
        ck_assert(path_is_normalized_absolute_dir("/var/log//"));
        ck_assert(path_is_normalized_absolute_dir("//"));
        ck_assert(!path_is_normalized_absolute_dir("var/log/"));
        ck_assert(!path_is_normalized_absolute_dir("/var/../log/"));
        ck_assert(!path_is_normalized_absolute_dir("/var//log"));
        ck_assert(!path_is_normalized_absolute_dir(""));
}
END_TEST

START_TEST(test_split) {
        char **l = NULL;
        ck_assert_int_eq(strv_split("  a b\t c  ", " \t", false, &l), 0);
        char *j = strv_join(l, "|");
        ck_assert_str_eq(j, "a|b|c");
        free(j);
        strv_free(l);
        ck_assert_int_eq(strv_split("/dev/a::rw", ":", true, &l), 0);
        j = strv_join(l, "|");
        ck_assert_str_eq(j, "/dev/a||rw");
        free(j);
        strv_free(l);
        ck_assert_int_eq(strv_split("", ":", false, &l), 0);
        ck_assert_uint_eq(strv_length(l), 0);
        strv_free(l);
}
END_TEST

START_TEST(test_podman_version_parse) {
        ck_assert_uint_eq(oci_podman_version_parse("4.3.1"), 403);
        ck_assert_uint_eq(oci_podman_version_parse("5.8"), 508);
        ck_assert_uint_eq(oci_podman_version_parse("4.10.0-dev"), 410);
        ck_assert_uint_eq(oci_podman_version_parse("12.0\n"), 1200);
        ck_assert_uint_eq(oci_podman_version_parse(""), 0);
        ck_assert_uint_eq(oci_podman_version_parse("4"), 0);
        ck_assert_uint_eq(oci_podman_version_parse("4."), 0);
        ck_assert_uint_eq(oci_podman_version_parse("v4.3"), 0);
        ck_assert_uint_eq(oci_podman_version_parse("4.100"), 0);
        ck_assert_uint_eq(oci_podman_version_parse("99999.1"), 0);
}
END_TEST

/* An executable script at TMPDIR/NAME; returns its path (static buffer). */
static const char *script(const char *name, const char *body) {
        static char path[PATH_MAX];
        const char *tmp = getenv("TMPDIR");
        snprintf(path, sizeof(path), "%s/oci-test-%d-%s", tmp ? tmp : "/tmp", (int) getpid(), name);
        FILE *f = fopen(path, "we");
        ck_assert_ptr_nonnull(f);
        fprintf(f, "#!/bin/sh\n%s\n", body);
        ck_assert_int_eq(fclose(f), 0);
        ck_assert_int_eq(chmod(path, 0755), 0);
        return path;
}

/* What the machine's podman says, asked without a shell: a program that answers otherwise, fails,
 * is not there or does not answer in time tells nothing (0), and the generator writes the units
 * that every podman takes. */
START_TEST(test_podman_version_asked) {
        const char *p = script("podman58", "[ \"$1\" = --version ] && echo 'podman version 5.8.2'");
        ck_assert_uint_eq(oci_host_system.podman_version(p), 508);
        ck_assert_uint_eq(oci_host_system.podman_version(p), 508); /* asked once */
        unlink(p);
        p = script("podman-fails", "echo 'podman version 5.8.2'; exit 1");
        ck_assert_uint_eq(oci_host_system.podman_version(p), 0);
        unlink(p);
        p = script("podman-other", "echo 'something else 4.4'");
        ck_assert_uint_eq(oci_host_system.podman_version(p), 0);
        unlink(p);
        ck_assert_uint_eq(oci_host_system.podman_version("/nonexistent/podman"), 0);
        p = script("podman-hangs", "exec sleep 60");
        time_t start = time(NULL);
        ck_assert_uint_eq(oci_host_system.podman_version(p), 0);
        ck_assert_int_le(time(NULL) - start, 10);
        unlink(p);
}
END_TEST

static Suite *make(void) {
        Suite *s = suite_create("util");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_strbuf);
        tcase_add_test(tc, test_strbuf_fixed);
        tcase_add_test(tc, test_strv);
        tcase_add_test(tc, test_format);
        tcase_add_test(tc, test_strv_growth);
        tcase_add_test(tc, test_hashmap);
        tcase_add_test(tc, test_hash_string);
        tcase_add_test(tc, test_arena_join);
        tcase_add_test(tc, test_arena_sizes);
        tcase_add_test(tc, test_arena_first_block);
        tcase_add_test(tc, test_path_join);
        tcase_add_test(tc, test_utf8);
        tcase_add_test(tc, test_levenshtein);
        tcase_add_test(tc, test_paths);
        tcase_add_test(tc, test_split);
        suite_add_tcase(s, tc);
        TCase *host = tcase_create("host");
        tcase_set_timeout(host, 60);
        tcase_add_test(host, test_podman_version_parse);
        tcase_add_test(host, test_podman_version_asked);
        suite_add_tcase(s, host);
        return s;
}
RUN_SUITE(make)
