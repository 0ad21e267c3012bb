/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "arena.h"
#include "hashmap.h"
#include "util.h"

typedef enum OciUnitSection {
        OCI_UNIT_SECTION_UNIT,
        OCI_UNIT_SECTION_SERVICE,
        OCI_UNIT_SECTION_INSTALL,
        _OCI_UNIT_SECTION_MAX,
} OciUnitSection;

/* A line of a unit, its text in the unit's arena (or a string literal, see oci_unit_add_static()). */
typedef struct OciUnitLine {
        const char *text;
        size_t len;
} OciUnitLine;

/* The lines of a section, in the unit's arena; items is NULL until the section has a line (an
 * empty vector still gives the section its header). */
typedef struct OciUnitLines {
        OciUnitLine *items;
        size_t n, cap;
} OciUnitLines;

/* A section systemd ignores ([X-Container]...), written after [Unit]. */
typedef struct OciUnitExtra {
        const char *name; /* the caller's, which lives as long as the unit */
        OciUnitLines lines;
} OciUnitExtra;

typedef struct OciLink {
        char *path;   /* relative to the output directory: "multi-user.target.wants/web.service" */
        char *target; /* what the link points to: "../web.service" */
} OciLink;

/* The longest line systemd reads in a unit file: its LONG_LINE_MAX (1 MiB) less one, as its reader
 * gives up once that many bytes came without the line's end. A unit with a longer line does not
 * load at all. */
#define OCI_UNIT_LINE_MAX (1024u * 1024u - 1u)

/* A unit file being built: lines are "Key=Value", already in unit-file syntax. The unit itself,
 * its name, lines, sections and links live in its arena text: they go when it goes, not one by one. */
typedef struct OciUnitFile {
        char *name;
        OciUnitLines comments; /* header lines, without the leading "# " */
        OciUnitLines lines[_OCI_UNIT_SECTION_MAX];
        ArenaBlock *text;
        OciUnitExtra *extra; /* in the order first added to */
        size_t n_extra, cap_extra;
        OciLink *links;
        size_t n_links, cap_links;
        HashMap link_paths; /* path -> its link, once there are many */
        /* The unit that oci-containers.target wants on its account (it, or a template's default
         * instance), in the arena; NULL: none. The generator writes one drop-in of the target with
         * a Wants= for each, rather than a link each. */
        char *target_wants;
        /* Not a unit but a private file beside it (HostEnvironment='s values): its whole text,
         * written with mode 0600 and never shown; secret_names says what it holds, for --dry-run. */
        char *secret;
        char **secret_names;
        /* The line the last refusal was about (see oci_unit_add()), for its message: its key
         * ("#" for a comment), and its length when it was too long (else 0). */
        char *refused_key;
        size_t refused_len;
} OciUnitFile;

OciUnitFile *oci_unit_new(const char *name);
OciUnitFile *oci_unit_free(OciUnitFile *u);
static inline void oci_unit_freep(OciUnitFile **u) {
        oci_unit_free(*u);
}

/* value must already be in unit-file syntax (quoted/escaped as the key needs). Every line (and
 * comment) is refused unless systemd reads it back as this one line: -EINVAL for one with a line
 * break or ending in an unescaped backslash, -E2BIG for one longer than OCI_UNIT_LINE_MAX; the
 * unit's refused_key and refused_len then say which. The key is kl bytes long, the value vl. */
int oci_unit_addn(OciUnitFile *u, OciUnitSection s, const char *key, size_t kl, const char *value, size_t vl);
/* The same, the key and the value NUL-terminated (inline: a string literal's length costs nothing). */
static inline int oci_unit_add(OciUnitFile *u, OciUnitSection s, const char *key, const char *value) {
        return oci_unit_addn(u, s, key, strlen(key), value, strlen(value));
}
/* Add a whole "Key=Value" line of the program's own: the len bytes at line, which stay where they
 * are until u is freed (a string literal). Neither copied nor checked. */
int oci_unit_add_static(OciUnitFile *u, OciUnitSection s, const char *line, size_t len);
/* The same for a string literal, which only the compiler measures. */
#define oci_unit_add_literal(u, s, line) oci_unit_add_static((u), (s), "" line "", sizeof(line) - 1)
int oci_unit_addf(OciUnitFile *u, OciUnitSection s, const char *key, const char *fmt, ...) _printf_(4, 5);
/* The same, the value the n strings of parts one after another. */
int oci_unit_add_join(OciUnitFile *u, OciUnitSection s, const char *key, const char *const *parts, size_t n);
/* Add "Key=PREFIXWORD WORD..." to [Service], an ExecStart-style command line: argv's words quoted
 * (see oci_quote_word(), OCI_QUOTE_DOLLAR); -EINVAL unless argv[0] is an absolute path. */
int oci_unit_add_exec(OciUnitFile *u, const char *key, const char *prefix, char *const *argv);
/* Add "Key=WORD..." with the n words quoted as oci_quote_words() does. */
int oci_unit_add_words(OciUnitFile *u, OciUnitSection s, const char *key, char *const *words, size_t n);
/* Add a whole "Key=Value" line, the len bytes at line (copied). */
int oci_unit_add_text(OciUnitFile *u, OciUnitSection s, const char *line, size_t len);
/* The same into the section 'name' systemd ignores, which must start with "X-" and live as long
 * as u (a section's name from the option table). */
int oci_unit_add_extra(OciUnitFile *u, const char *name, const char *key, const char *value);
/* Remove every line KEY= of the section. */
void oci_unit_remove(OciUnitFile *u, OciUnitSection s, const char *key);
/* Move the lines of from after those of u, section by section (checked already, as from's own);
 * from keeps none. */
int oci_unit_move_lines(OciUnitFile *u, OciUnitFile *from);
/* Copy the header comments of from and the first n lines of its [Unit] after those of u (checked
 * already, as from's own). */
int oci_unit_copy_head(OciUnitFile *u, const OciUnitFile *from, size_t n);
/* Add a comment line of the header, without its leading "# ". */
int oci_unit_add_comment(OciUnitFile *u, const char *fmt, ...) _printf_(2, 3);
/* The same, the comment the n strings of parts one after another. */
int oci_unit_add_comment_join(OciUnitFile *u, const char *const *parts, size_t n);
/* The same, the comment the len bytes at text, which stay where they are until u is freed (a
 * string literal): neither copied nor checked. */
int oci_unit_add_comment_static(OciUnitFile *u, const char *text, size_t len);
#define oci_unit_add_comment_literal(u, text) oci_unit_add_comment_static((u), "" text "", sizeof(text) - 1)
int oci_unit_add_link(OciUnitFile *u, const char *path, const char *target);
/* The same, the link's path formatted. */
int oci_unit_add_linkf(OciUnitFile *u, const char *target, const char *fmt, ...) _printf_(3, 4);
/* The same, the link's path the n strings of parts one after another. */
int oci_unit_add_link_join(OciUnitFile *u, const char *target, const char *const *parts, size_t n);
/* The last line of section s (NULL when it has none), which stays where it is until u is freed. */
const char *oci_unit_last_line(const OciUnitFile *u, OciUnitSection s);
/* The text of the file. */
char *oci_unit_to_string(const OciUnitFile *u);
/* The same, appended to b (which may keep its room from one unit to the next). */
int oci_unit_put_text(const OciUnitFile *u, StrBuf *b);
/* The text to show a person (--dry-run): a secret file's names, without its values. */
char *oci_unit_to_display(const OciUnitFile *u);
/* Whether the unit has a link at path. */
bool oci_unit_has_link(const OciUnitFile *u, const char *path);
/* Has oci-containers.target want unit (see target_wants). Returns 0 or -ENOMEM. */
int oci_unit_set_target_wants(OciUnitFile *u, const char *unit);
/* The file's mode: 0600 for a secret file, else 0644. */
unsigned oci_unit_file_mode(const OciUnitFile *u);
