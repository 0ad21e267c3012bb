/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mktables OUTPUT.c: writes the option table the library has, its strings in one array (options.h:
 * OciOption, OciStr), and the table's key index, subsets and groups (option-tables.h says what each
 * array is) as C source, made from the table at build time. It runs on the build machine (meson's
 * native: true), linked with the table as declared (option-decl.h) and hash_string() alone. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "option-decl.h"
#include "option-tables.h"

/* each row's identifier, as the source names it */
static const char *const row_names[_OCI_OPT_MAX] = {
#define OCI_OPTION(id, ...) [OCI_OPT_##id] = "OCI_OPT_" #id,
#include "option-list.h"
#undef OCI_OPTION
};

static FILE *out;
static size_t n_rows; /* rows written to oci_table_rows[] so far */

/* Which rows a subset or a group has: a, b are its section and engine, or its group number. */
typedef bool RowTest(const OciOptionDecl *o, OciOptionId id, int a, int b);

static bool is_reference(const OciOptionDecl *o, OciOptionId id, int a, int b) {
        return o->ref.part != OCI_REF_NONE;
}

static bool has_rule(const OciOptionDecl *o, OciOptionId id, int a, int b) {
        return o->conflicts || o->needs || o->deprecated_by || o->together || o->apart || o->one_of || o->belongs_to ||
               o->count_le || o->goes_with.key;
}

/* in section a, and engine b renders it itself: from the table, or with the row's function */
static bool is_rendered(const OciOptionDecl *o, OciOptionId id, int a, int b) {
        OciRenderKind k = oci_option_decl_render(id, (OciBackendId) b)->kind;
        return (o->sections & (1u << a)) && k != OCI_RENDER_UNSUPPORTED && k != OCI_RENDER_GENERIC;
}

static bool has_default(const OciOptionDecl *o, OciOptionId id, int a, int b) {
        return o->default_value;
}

static bool in_together(const OciOptionDecl *o, OciOptionId id, int a, int b) {
        return o->together == a;
}

static bool in_one_of(const OciOptionDecl *o, OciOptionId id, int a, int b) {
        return o->one_of == a;
}

static bool in_apart(const OciOptionDecl *o, OciOptionId id, int a, int b) {
        return o->apart == a;
}

static bool in_apart_other(const OciOptionDecl *o, OciOptionId id, int a, int b) {
        return o->apart == -a;
}

/* The spans made so far, each with where it goes in its array ("[2][0][1]"). */
static struct {
        char at[32];
        OciRowSpan span;
} spans[_OCI_ROWS_MAX * _OCI_SECTION_MAX * _OCI_BACKEND_MAX + _OCI_GROUP_MAX * OCI_GROUPS_MAX];
static size_t n_spans;

/* Appends the rows that pass the test to oci_table_rows[], under a comment saying where their span
 * goes; a span is kept only where it has rows (the others stay { 0, 0 }). */
static void add_rows(const char *array, const char *at, RowTest *test, int a, int b) {
        OciRowSpan span = { .start = (unsigned short) n_rows };
        for (size_t i = 0; i < _OCI_OPT_MAX; i++) {
                if (!test(&oci_option_decls[i], (OciOptionId) i, a, b))
                        continue;
                if (span.n == 0)
                        fprintf(out, "        /* %s%s */", array, at);
                fprintf(out, "%s %s,", span.n % 4 == 0 ? "\n       " : "", row_names[i]);
                span.n++;
        }
        if (!span.n)
                return;
        fputs("\n", out);
        n_rows += span.n;
        snprintf(spans[n_spans].at, sizeof(spans[n_spans].at), "%s", at);
        spans[n_spans++].span = span;
}

/* A bit per row as a C initialiser, the rows that pass the test. */
static void write_bits(RowTest *test, int a, int b) {
        uint64_t bits[OCI_OPT_WORDS] = { 0 };
        for (size_t i = 0; i < _OCI_OPT_MAX; i++)
                if (test(&oci_option_decls[i], (OciOptionId) i, a, b))
                        bits[i / 64] |= UINT64_C(1) << (i % 64);
        fputs("{", out);
        for (size_t w = 0; w < OCI_OPT_WORDS; w++)
                fprintf(out, "%s UINT64_C(0x%016llx),", w % 4 == 0 ? "\n       " : "", (unsigned long long) bits[w]);
        fputs("\n}", out);
}

static bool is_rendered_fn(const OciOptionDecl *o, OciOptionId id, int a, int b) {
        return is_rendered(o, id, a, b) && oci_option_decl_render(id, (OciBackendId) b)->kind == OCI_RENDER_FN;
}

/* An array [_OCI_SECTION_MAX][_OCI_BACKEND_MAX][OCI_OPT_WORDS] of the rows that pass the test. */
static void write_render_bits(const char *name, RowTest *test) {
        fprintf(out, "\nconst uint64_t %s[_OCI_SECTION_MAX][_OCI_BACKEND_MAX][OCI_OPT_WORDS] = {\n", name);
        for (int s = 0; s < _OCI_SECTION_MAX; s++)
                for (int b = 0; b < _OCI_BACKEND_MAX; b++) {
                        fprintf(out, "        [%d][%d] = ", s, b);
                        write_bits(test, s, b);
                        fputs(",\n", out);
                }
        fputs("};\n", out);
}

/* The spans from the first'th on, as designated initialisers. */
static void write_spans(size_t first, size_t end) {
        for (size_t i = first; i < end; i++)
                fprintf(out, "        %s = { %u, %u },\n", spans[i].at, spans[i].span.start, spans[i].span.n);
}

static void write_numbers(const unsigned short *v, size_t n) {
        for (size_t i = 0; i < n; i++)
                fprintf(out, "%s%u,", i % 16 == 0 ? "\n        " : " ", v[i]);
        fputs("\n};\n", out);
}

/* The strings of the table, each once, one after the other with their NULs; offset 0 is the empty
 * string before the first, which no string is given: an OciStr of 0 is "none". */
static char *pool;
static size_t pool_len = 1, pool_cap;
/* set when the strings or the choice words do not fit: main() removes what it wrote */
static bool too_big;

static OciStr intern(const char *s) {
        if (!s)
                return 0;
        size_t n = strlen(s);
        for (size_t at = 1; at + n < pool_len; at += strlen(pool + at) + 1)
                if (streq(pool + at, s))
                        return (OciStr) at;
        if (pool_len + n + 1 > pool_cap) {
                pool_cap = (pool_len + n + 1) * 2;
                char *grown = realloc(pool, pool_cap);
                if (!grown) {
                        perror("mktables");
                        too_big = true;
                        return 0;
                }
                pool = grown;
                if (pool_len == 1)
                        pool[0] = 0;
        }
        if (pool_len + n + 1 > UINT32_MAX) {
                fprintf(stderr, "mktables: the table's strings are more than an OciStr counts\n");
                too_big = true;
                return 0;
        }
        memcpy(pool + pool_len, s, n + 1);
        pool_len += n + 1;
        return (OciStr) (pool_len - n - 1);
}

/* The pool as a C string literal, a line a string; every byte that is not printable ASCII, and the
 * quote, the backslash and '?' (no trigraph), as an escape. */
static void write_pool(void) {
        fputs("\nconst char oci_option_strings[] =\n        \"\\000\"", out);
        for (size_t at = 1; at < pool_len; at += strlen(pool + at) + 1) {
                fputs("\n        \"", out);
                for (const unsigned char *c = (const unsigned char *) pool + at; *c; c++)
                        if (*c == '"' || *c == '\\' || *c == '?')
                                fprintf(out, "\\%c", *c);
                        else if (*c < 0x20 || *c >= 0x7f)
                                fprintf(out, "\\%03o", *c);
                        else
                                fputc(*c, out);
                fputs("\\000\"", out);
        }
        fputs(";\n", out);
}

/* The choice lists, one after the other, each ended by 0; a row's choices is where its list starts
 * plus one. */
static OciStr choice_words[_OCI_OPT_MAX * 8];
static size_t n_choice_words;

static unsigned short add_choices(const char *const *w) {
        if (!w)
                return 0;
        size_t start = n_choice_words;
        for (; *w; w++) {
                if (n_choice_words + 2 > ELEMENTSOF(choice_words) || n_choice_words + 1 > USHRT_MAX) {
                        fprintf(stderr, "mktables: more choice words than the table has room for\n");
                        too_big = true;
                        return 0;
                }
                choice_words[n_choice_words++] = intern(*w);
        }
        choice_words[n_choice_words++] = 0;
        return (unsigned short) (start + 1);
}

static void write_render(const OciRenderDecl *r) {
        fprintf(out, " { %d, %u, %d },", (int) r->kind, intern(r->flag), (int) r->fn);
}

/* A row of the library's table: every column of option-decl.h, each string interned. */
static void write_row(size_t i) {
        const OciOptionDecl *o = &oci_option_decls[i];
        fprintf(out, "        [%s] = { .key = %u, .sections = 0x%xu, .type = %d, .flags = 0x%xu, .default_value = %u, ",
                row_names[i], intern(o->key), o->sections, (int) o->type, o->flags, intern(o->default_value));
        fprintf(out, ".choices = %u,\n                .render = {", add_choices(o->choices));
        for (size_t b = 0; b < _OCI_BACKEND_MAX; b++)
                write_render(&o->render[b]);
        fprintf(out, " }, .doc = %u, .read = %d,\n", intern(o->doc), (int) o->read);
        fprintf(out, "                .ref = { %d, %d, %d, 0x%xu }, .conflicts = %u, .needs = %u, .deprecated_by = %u, "
                     ".together = %u, .apart = %d, .podman = %u,\n",
                (int) o->ref.part, (int) o->ref.type, (int) o->ref.dep, o->ref.others, o->conflicts, o->needs,
                o->deprecated_by, o->together, o->apart, o->podman);
        fprintf(out, "                .one_of = %u, .example = %u, .belongs_to = %u, .count_le = %u, .goes_with = { %u, %u }, "
                     ".kube = { %d, %u } },\n",
                o->one_of, intern(o->example), o->belongs_to, o->count_le, o->goes_with.key, intern(o->goes_with.value),
                (int) o->kube.kind, intern(o->kube.text));
}

static void write_table(void) {
        fputs("\nconst OciOption oci_options[_OCI_OPT_MAX] = {\n", out);
        for (size_t i = 0; i < _OCI_OPT_MAX; i++)
                write_row(i);
        fputs("};\n\nconst OciStr oci_option_choice_words[] = {", out);
        for (size_t i = 0; i < n_choice_words; i++)
                fprintf(out, "%s%u,", i % 16 == 0 ? "\n        " : " ", choice_words[i]);
        fputs(n_choice_words ? "\n};\n" : " 0 };\n", out);
        write_pool();
}

int main(int argc, char *argv[]) {
        if (argc != 2) {
                fprintf(stderr, "usage: %s OUTPUT.c\n", argv[0]);
                return 2;
        }
        out = fopen(argv[1], "w");
        if (!out) {
                perror(argv[1]);
                return 1;
        }
        fputs("/* Made by mktables (lib/model/mktables.c) from the option table: not to be edited. */\n"
              "#include \"option-tables.h\"\n\n", out);

        /* the key index, built from the last row to the first, so that each bucket lists its rows
         * in table order */
        unsigned short bucket[OCI_KEY_BUCKETS] = { 0 }, next[_OCI_OPT_MAX];
        for (size_t i = _OCI_OPT_MAX; i > 0; i--) {
                unsigned h = oci_key_bucket_of(oci_option_decls[i - 1].key);
                next[i - 1] = bucket[h];
                bucket[h] = (unsigned short) i;
        }
        fputs("const unsigned short oci_key_bucket[OCI_KEY_BUCKETS] = {", out);
        write_numbers(bucket, OCI_KEY_BUCKETS);
        fputs("\nconst unsigned short oci_key_next[_OCI_OPT_MAX] = {", out);
        write_numbers(next, _OCI_OPT_MAX);

        /* the subsets, then the groups, and where each one's rows are */
        char at[32];
        fputs("\nconst OciOptionId oci_table_rows[] = {\n", out);
        snprintf(at, sizeof(at), "[%d][0][0]", OCI_ROWS_REFERENCES);
        add_rows("oci_row_sets", at, is_reference, 0, 0);
        snprintf(at, sizeof(at), "[%d][0][0]", OCI_ROWS_RULES);
        add_rows("oci_row_sets", at, has_rule, 0, 0);
        for (int s = 0; s < _OCI_SECTION_MAX; s++)
                for (int b = 0; b < _OCI_BACKEND_MAX; b++) {
                        snprintf(at, sizeof(at), "[%d][%d][%d]", OCI_ROWS_RENDER, s, b);
                        add_rows("oci_row_sets", at, is_rendered, s, b);
                }
        size_t n_sets = n_spans;
        static RowTest *const group_tests[_OCI_GROUP_MAX] = {
                [OCI_GROUP_TOGETHER] = in_together,
                [OCI_GROUP_ONE_OF] = in_one_of,
                [OCI_GROUP_APART] = in_apart,
                [OCI_GROUP_APART_OTHER] = in_apart_other,
        };
        for (int col = 0; col < _OCI_GROUP_MAX; col++)
                for (int g = 1; g < OCI_GROUPS_MAX; g++) {
                        snprintf(at, sizeof(at), "[%d][%d]", col, g);
                        add_rows("oci_row_groups", at, group_tests[col], g, 0);
                }
        fputs("};\n", out);

        /* what the spans cannot say: a group number past the last, more rows than they count */
        for (size_t i = 0; i < _OCI_OPT_MAX; i++) {
                const OciOptionDecl *o = &oci_option_decls[i];
                if (o->together >= OCI_GROUPS_MAX || o->one_of >= OCI_GROUPS_MAX || o->apart <= -OCI_GROUPS_MAX ||
                    o->apart >= OCI_GROUPS_MAX) {
                        fprintf(stderr, "%s: %s=: a group number is %d or more\n", argv[0], o->key, OCI_GROUPS_MAX);
                        goto fail;
                }
        }
        if (n_rows > 0xffff) {
                fprintf(stderr, "%s: the subsets have more rows than an unsigned short counts\n", argv[0]);
                goto fail;
        }
        fputs("\nconst OciRowSpan oci_row_sets[_OCI_ROWS_MAX][_OCI_SECTION_MAX][_OCI_BACKEND_MAX] = {\n", out);
        write_spans(0, n_sets);
        fputs("};\n\nconst OciRowSpan oci_row_groups[_OCI_GROUP_MAX][OCI_GROUPS_MAX] = {\n", out);
        write_spans(n_sets, n_spans);
        fputs("};\n", out);

        /* the rows with a default value */
        fputs("\nconst uint64_t oci_option_default_rows[OCI_OPT_WORDS] = ", out);
        write_bits(has_default, 0, 0);
        fputs(";\n", out);
        /* the rows the renderer visits */
        write_render_bits("oci_render_row_bits", is_rendered);
        write_render_bits("oci_render_fn_bits", is_rendered_fn);
        /* the table itself, and its strings */
        write_table();
        if (too_big)
                goto fail;

        if (fclose(out) != 0) {
                out = NULL;
                perror(argv[1]);
                goto fail;
        }
        return 0;
fail:
        if (out)
                fclose(out);
        remove(argv[1]);
        return 1;
}
