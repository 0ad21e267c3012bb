/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdio.h>

#include "arena.h"
#include "diag.h"
#include "filetype.h"
#include "hashmap.h"
#include "options.h"
#include "values.h"

struct OciSummary;

/* An assignment as read. */
typedef struct OciEntry {
        char *value;
        unsigned line;
        unsigned column; /* where the value starts on its line, 1-based */
        unsigned source; /* index into the definition's sources: the file it came from */
} OciEntry;

typedef struct OciValue {
        /* read: the assignments in effect (after the last "Key=" reset), in the definition's text */
        OciEntry *entries;
        size_t n_entries;
        /* checked: the typed items; boolean is -1 when unset */
        OciItems items;
        int boolean;
} OciValue;

/* Where an error of the defaults file is that leaves a [Defaults] key in doubt: it might have been
 * meant to set the key, so no value is taken for it, neither an earlier one nor the built-in one. */
typedef struct OciDoubt {
        char *file; /* NULL: not in doubt */
        unsigned line;
} OciDoubt;

/* A word of a [Unit] dependency line (After=, Requires=...) that names a definition, NAME.EXT:
 * the unit names that definition's unit instead, as Quadlet translates it. */
typedef struct OciUnitDep {
        size_t start, len;  /* the word in the line's value */
        OciUnitType type;
        char *name;         /* NAME */
        char *resolved;     /* its unit, once known */
} OciUnitDep;

/* A line of [Unit] or [Service], copied into the unit as written. */
typedef struct OciPassLine {
        OciSection section;
        char *key;
        char *value;
        unsigned line;
        unsigned column; /* where the value starts */
        unsigned source;
        OciUnitDep *deps;   /* set by the check of a dependency line; NULL when no word names a definition */
        size_t n_deps;
} OciPassLine;

/* An assignment of a section the generator reads itself (the file type's, [Quadlet], [Login]), as
 * written: the unit keeps these in [X-SECTION], as Quadlet does, to show what it was made from. */
typedef struct OciSourceLine {
        OciOptionId id;
        OciSection section;
        char *value;
} OciSourceLine;

typedef struct OciDefinition {
        char *path;  /* the file */
        char **sources; /* the file, then its drop-ins in the order they were read */
        unsigned n_sources;
        unsigned cur_source;
        unsigned n_assignments; /* every Key= read, for the limit */
        char *dir;   /* its directory, for relative paths */
        char *name;  /* the file name without extension */
        char *instance; /* NAME@INSTANCE: the instance ("" for a template NAME@); NULL otherwise */
        OciUnitType type;
        bool user;   /* user mode (rootless, the user's service manager) */

        OciValue values[_OCI_OPT_MAX];
        /* the rows with anything in values[]: an assignment read, or a default applied. The loops
         * over a definition's keys walk these bits, so a row nobody uses costs nothing. */
        uint64_t touched[OCI_OPT_WORDS];
        /* the entries, source_lines and pass and their text, and the items of values[] with all
         * they hold (values.h): freed with the definition, not one by one */
        ArenaBlock *text;
        OciPassLine *pass;
        size_t n_pass;
        OciSourceLine *source_lines; /* in the order read, "Key=" resets included */
        size_t n_source_lines;
        unsigned section_line[_OCI_SECTION_MAX]; /* where each section first starts, 0 if absent */
        /* a file of it was not read whole (unreadable, a NUL byte, past a limit): what it lacks may
         * be in the part not read, so it is not checked for what it lacks */
        bool incomplete;

        /* set by validation */
        OciBackendId backend;
        char *unit_name; /* "web.service" */
        char **after;    /* units this one is ordered after and requires (DependsOn=) */
        char *resource;     /* .network/.volume/.pod: the engine's name for it */
        char *pod_unit;     /* a container in a pod: the pod's service (BindsTo=, After=) */
        /* ports another definition hands this one to publish as its own (a docker pod's, to its
         * first member), and the summary they belong to; NULL if none */
        const OciItems *handoff;
        struct OciSummary *handoff_from;
        struct {
                char *user, *group, *home; /* RunAs=: who runs the engine */
                unsigned uid;
        } run_as;
        bool failed;
        /* The defaults only: per row, where an error leaves it in doubt, then one slot for an error
         * that could have been meant to set any of them; NULL while nothing is in doubt. */
        OciDoubt *doubts;
} OciDefinition;

OciDefinition *oci_definition_new(const char *path, OciUnitType type);
/* Mark row id as holding something (see touched). */
static inline void oci_definition_touch(OciDefinition *d, OciOptionId id) {
        d->touched[id / 64] |= UINT64_C(1) << (id % 64);
}
/* The first row from `from` on whose bit is set in bits, or _OCI_OPT_MAX. */
static inline size_t oci_bits_next(const uint64_t *bits, size_t from) {
        while (from < _OCI_OPT_MAX) {
                uint64_t w = bits[from / 64] >> (from % 64);
                if (w)
                        return from + (size_t) __builtin_ctzll(w);
                from = (from / 64 + 1) * 64;
        }
        return _OCI_OPT_MAX;
}
/* for each row id (a size_t) whose bit is set in bits, in table order */
#define OCI_FOREACH_BIT(id, bits) for (size_t id = oci_bits_next((bits), 0); id < _OCI_OPT_MAX; id = oci_bits_next((bits), id + 1))
OciDefinition *oci_definition_free(OciDefinition *d);
/* A fresh definition in the block of a used one (freeing what that one held), so that a program
 * reading one definition after another does not ask malloc() for a block this size each time.
 * d may be NULL; on failure d is freed and NULL returned. */
OciDefinition *oci_definition_reuse(OciDefinition *d, const char *path, OciUnitType type);
static inline void oci_definition_freep(OciDefinition **d) {
        oci_definition_free(*d);
}

/* The defaults file has the same shape: a definition with only a [Defaults] section. */
typedef OciDefinition OciDefaults;

/* Note an error of the defaults file at file:line: one of a [Defaults] key's value leaves that key
 * in doubt; one that names no [Defaults] key (key NULL, or not one of them: a misspelt key, a line
 * that is not KEY=VALUE, a file that cannot be read) leaves every key in doubt. The first error of
 * each is kept. Returns 0 or -ENOMEM. */
int oci_defaults_doubt(OciDefaults *d, const char *key, const char *file, unsigned line);
/* The error that leaves row id in doubt by itself, or NULL (defaults may be NULL). */
const OciDoubt *oci_defaults_key_doubt(const OciDefaults *defaults, OciOptionId id);
/* The error that leaves every key in doubt, or NULL (defaults may be NULL). */
const OciDoubt *oci_defaults_all_doubt(const OciDefaults *defaults);

/* Parse INI text into d's raw entries. 'sections' masks which sections are allowed here.
 * Every problem goes to the sink with its line; returns 0, or -EINVAL if any error was reported. */
int oci_parse_buffer(OciDefinition *d, const char *data, size_t size, unsigned sections, OciDiagSink *sink);
int oci_parse_file(OciDefinition *d, unsigned sections, OciDiagSink *sink);
/* The same, with the file opened as name in the directory dir_fd (AT_FDCWD: name is a path), and
 * taken for a regular file without asking when regular (readdir() said so). */
int oci_parse_file_at(OciDefinition *d, int dir_fd, const char *name, bool regular, unsigned sections, OciDiagSink *sink);

/* Sections the defaults file may hold. */
#define OCI_DEFAULTS_SECTIONS (OCI_IN(DEFAULTS))

/* Read a drop-in into d, on top of what d has already: its lines are reported with its own path. */
int oci_parse_dropin(OciDefinition *d, const char *path, unsigned sections, OciDiagSink *sink);

/* Drop-ins that apply to many definitions (container.d/, NAME-.container.d/, a template's), read
 * once each: what the reader found in the file is kept and told each definition again, with the
 * same messages. The text kept is bounded; a file that could not be read is not kept. */
typedef struct OciParseCache {
        HashMap files; /* path -> what was read */
        size_t size;   /* bytes kept, about */
} OciParseCache;

/* oci_parse_dropin(), the file read through cache. */
int oci_parse_dropin_cached(OciDefinition *d, const char *path, unsigned sections, OciDiagSink *sink, OciParseCache *cache);
void oci_parse_cache_done(OciParseCache *cache);

/* Where the value was set, for messages: the last assignment's line (0 if none) and file. */
unsigned oci_value_line(const OciValue *v);
const char *oci_value_file(const OciDefinition *d, const OciValue *v);
/* The file an assignment was read from. */
const char *oci_entry_file(const OciDefinition *d, const OciEntry *e);
#define OCI_AT(d, v) oci_value_file((d), (v)), oci_value_line(v)
/* Where on its line the assignment of key (as written, "Privileged") at that line of d's file
 * sources[source] has its value, 1-based; 0 when d has no such assignment. For messages, which
 * name the key and line only. */
unsigned oci_definition_column(const OciDefinition *d, unsigned source, unsigned line, const char *key);
/* A message about a key, where it was set: "KEY=" (from the table) and the formatted rest. */
int oci_key_diag(OciDiagSink *sink, int level, const OciDefinition *d, OciOptionId id, const char *fmt, ...) _printf_(5, 6);
/* The last line KEY= of [Unit] or [Service] that d copies into its unit (systemd takes the last of
 * a single-valued key), or NULL. */
const OciPassLine *oci_definition_pass_line(const OciDefinition *d, OciSection section, const char *key);
/* Accessors for checked values. */
const char *oci_value_str(const OciDefinition *d, OciOptionId id); /* the first item's text, or NULL */
/* The first item as the engine takes it: the engine's name of the definition it names once that is
 * resolved (Image=NAME.image), else its text; NULL when unset. */
const char *oci_value_engine_str(const OciDefinition *d, OciOptionId id);
int oci_value_bool(const OciDefinition *d, OciOptionId id);          /* -1 unset */
static inline size_t oci_value_count(const OciDefinition *d, OciOptionId id) {
        return d->values[id].items.n;
}
/* Every item of the value, in order. */
#define OCI_FOREACH_ITEM(it, d, id)                                                                  \
        for (const OciItem *it = (d)->values[id].items.items;                                        \
             it && it < (d)->values[id].items.items + (d)->values[id].items.n; it++)
/* What the user wrote for the assignment an item came from (its text is normalised), for messages. */
const char *oci_item_written(const OciDefinition *d, OciOptionId id, const OciItem *it);
/* The item texts appended to a vector of words (argv). Returns 0 or -ENOMEM. */
int oci_value_extend_words(const OciDefinition *d, OciOptionId id, char ***words);
