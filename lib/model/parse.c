/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Filling a definition from its files: ini.c reads the syntax, this decides what the sections and
 * keys mean here, which ones are allowed, and keeps every assignment with where it was made. */
#include <assert.h>
#include <fcntl.h>

#include "escape.h"
#include "ini-reader.h"
#include "model.h"

/* A file larger than this is refused rather than read: nobody writes a definition this big, and
 * the memory a hostile one could take stays bounded. */
#define OCI_FILE_MAX (1u * 1024u * 1024u)
/* Likewise the assignments of one definition, drop-ins included. */
#define OCI_ASSIGNMENTS_MAX 10000u
/* And its drop-ins: each costs a file read even when empty, for every definition it applies to. */
#define OCI_DROPINS_MAX 1000u
/* What a cache of drop-ins keeps at most (their text and what it is made of); the drop-ins past
 * it are read for each definition, as the others would be without a cache. */
#define OCI_PARSE_CACHE_MAX (32u * 1024u * 1024u)

typedef struct Parser {
        OciDefinition *d;
        const char *file;   /* the file being read, for messages */
        OciDiagSink *sink;
        unsigned sections;  /* the sections allowed in it */
        OciSection section; /* the current one; invalid in an ignored section */
        bool ignore_section; /* X- or unknown section */
        int failed;
} Parser;

/* column: where the assignment's value starts, 0 for a line that is none */
static int parse_error(Parser *p, unsigned line, unsigned column, const char *key, const char *fmt, ...) _printf_(5, 6);
static int parse_error(Parser *p, unsigned line, unsigned column, const char *key, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        _cleanup_free_ char *msg = xvasprintf(fmt, ap);
        va_end(ap);
        p->failed = -EINVAL;
        return oci_diag_at(p->sink, LOG_ERR, p->file, line, column, key, "%s", msg ? msg : "parse error");
}

static int on_error(void *userdata, unsigned line, const char *message) {
        parse_error(userdata, line, 0, NULL, "%s", message);
        return 0;
}

static int on_section(void *userdata, const char *name, unsigned line) {
        Parser *p = userdata;
        p->ignore_section = false;
        OciSection s = oci_section_from_string(name);
        if (s >= 0 && (p->sections & (1u << s))) {
                p->section = s;
                if (!p->d->section_line[s])
                        p->d->section_line[s] = line;
                return 0;
        }
        p->ignore_section = true;
        p->section = _OCI_SECTION_INVALID;
        if (startswith(name, "X-"))
                return 0;
        /* the defaults file has one section: a misspelt one would lose every default under it */
        if (p->sections == OCI_DEFAULTS_SECTIONS)
                parse_error(p, line, 0, NULL, "unknown section [%s]; the defaults file has [%s] only", name,
                            oci_section_to_string(OCI_SECTION_DEFAULTS));
        else
                oci_diag(p->sink, LOG_WARNING, p->file, line, NULL, "unknown section [%s], ignoring its keys", name);
        return 0;
}

/* An array of the definition's (n elements of size bytes each) with room for one more: in its
 * arena, like their text, the capacity following from the count, 4, 8, 16... A grown array leaves
 * the old one in the arena. Returns NULL when memory ran out. */
static void *arena_grow(OciDefinition *d, void *array, size_t n, size_t size) {
        if (n != 0 && (n < 4 || (n & (n - 1)) != 0))
                return array;
        void *m = arena_alloc_uninit(&d->text, (n == 0 ? 4 : 2 * n) * size);
        if (m && n > 0)
                memcpy(m, array, n * size);
        return m;
}

static int add_pass_line(Parser *p, const char *key, const char *value, unsigned line, unsigned column) {
        OciDefinition *d = p->d;
        OciPassLine *n = arena_grow(d, d->pass, d->n_pass, sizeof(*n));
        if (!n)
                return -ENOMEM;
        d->pass = n;
        OciPassLine *l = &d->pass[d->n_pass];
        *l = (OciPassLine) { .section = p->section, .line = line, .column = column, .source = d->cur_source, .key = arena_strndup(&d->text, key, strlen(key)),
                              .value = arena_strndup(&d->text, value, strlen(value)) };
        d->n_pass++;
        if (!l->key || !l->value)
                return -ENOMEM;
        return 0;
}

/* The line as read, kept for the unit: its value copied into the definition's text, and the copy
 * returned for the entry to use too (NULL when memory ran out). */
static char *add_source_line(Parser *p, OciOptionId id, const char *value, size_t len) {
        OciDefinition *d = p->d;
        OciSourceLine *m = arena_grow(d, d->source_lines, d->n_source_lines, sizeof(*m));
        if (!m)
                return NULL;
        d->source_lines = m;
        char *v = arena_strndup(&d->text, value, len);
        if (!v)
                return NULL;
        d->source_lines[d->n_source_lines++] = (OciSourceLine) { .id = id, .section = p->section, .value = v };
        return v;
}

/* Quadlet's Lookup: one pair of double quotes around the whole value is not part of it. */
static const char *unquote_last(const char *value, size_t *len, unsigned *column) {
        size_t n = *len;
        while (n > 0 && (value[n - 1] == ' ' || value[n - 1] == '\t'))
                n--;
        if (n >= 2 && value[0] == '"' && value[n - 1] == '"') {
                (*column)++;
                *len = n - 2;
                return value + 1;
        }
        *len = n;
        return value;
}

/* The assignment of value (len bytes) to id; copy, if not NULL, holds the same bytes in the
 * definition's text already, and serves the entry if it keeps them all. */
static int add_entry(Parser *p, OciOptionId id, const char *value, size_t len, char *copy, unsigned line, unsigned column) {
        OciValue *v = &p->d->values[id];
        const char *text = value;
        size_t n_text = len;
        if (oci_option_read(id) == OCI_READ_LAST)
                text = unquote_last(value, &n_text, &column);

        /* "Key=" resets (and so does Key="" of a key Quadlet reads with Lookup, which takes it for
         * unset); a single-valued key keeps only its last assignment. The array stays for the
         * assignments that follow. */
        if (n_text == 0 || !(oci_options[id].flags & OCI_OPT_LIST)) {
                v->n_entries = 0; /* their text stays in the definition's arena until it is done */
        }
        if (n_text == 0)
                return 0;
        oci_definition_touch(p->d, id);
        size_t n = v->n_entries;
        OciEntry *m = arena_grow(p->d, v->entries, n, sizeof(OciEntry));
        if (!m)
                return -ENOMEM;
        v->entries = m;
        char *e = copy && n_text == len ? copy : arena_strndup(&p->d->text, text, n_text);
        if (!e)
                return -ENOMEM;
        v->entries[n] = (OciEntry) { .value = e, .line = line, .column = column, .source = p->d->cur_source };
        v->n_entries++;
        return 0;
}

static int on_assignment(void *userdata, const char *section, const char *key, const char *value, unsigned line,
                         unsigned column) {
        Parser *p = userdata;
        if (++p->d->n_assignments > OCI_ASSIGNMENTS_MAX) {
                if (p->d->n_assignments == OCI_ASSIGNMENTS_MAX + 1)
                        parse_error(p, line, column, key, "more than %u assignments in one definition; refusing the rest",
                                    OCI_ASSIGNMENTS_MAX);
                p->failed = -EINVAL;
                p->d->incomplete = true;
                return 0;
        }
        if (!section) {
                parse_error(p, line, column, key, "'%s=' stands before any [Section] header", key);
                return 0;
        }
        if (p->ignore_section || startswith(key, "X-"))
                return 0;
        if (!*key) {
                /* "=VALUE": copied into [Unit] or [Service], systemd would ignore the line */
                parse_error(p, line, 0, NULL, "%s", "expected 'Key=Value', the key is missing before '='");
                return 0;
        }

        if (p->section == OCI_SECTION_UNIT || p->section == OCI_SECTION_SERVICE) {
                /* copied into the unit as written, where a last unescaped backslash would join the
                 * next line to this one; its value came from "\" and blanks, which the reader drops,
                 * and no escape would say "a backslash" to every key systemd has */
                if (oci_ends_in_backslash(value)) {
                        parse_error(p, line, column, key, "%s= in [%s] ends in a backslash, which would join the next line of the "
                                    "generated unit to this one; remove it", key, section);
                        return 0;
                }
                return add_pass_line(p, key, value, line, column);
        }
        OciOptionId id = oci_option_lookup(p->section, key);
        if (id < 0) {
                const char *s = oci_option_suggest(p->section, key);
                StrBuf b = {};
                strbuf_printf(&b, "unknown key '%s' in [%s]", key, section);
                if (s)
                        strbuf_printf(&b, "; did you mean '%s='?", s);
                else
                        strbuf_printf(&b, "; see oci-containers.container(5) for the keys of [%s]", section);
                /* systemd warns of an unknown [Install] key and goes on; the generator's own
                 * sections are its to know */
                if (p->section == OCI_SECTION_INSTALL)
                        oci_diag_at(p->sink, LOG_WARNING, p->file, line, column, key, "%s; ignoring it, as systemd does",
                                 b.s ? b.s : "unknown key");
                else
                        parse_error(p, line, column, key, "%s", b.s ? b.s : "unknown key");
                strbuf_done(&b);
                return 0;
        }
        size_t len = strlen(value);
        char *copy = NULL;
        /* the defaults file makes no unit; a secret goes in no unit */
        if (p->sections != OCI_DEFAULTS_SECTIONS && !(oci_options[id].flags & OCI_OPT_CONFIDENTIAL) &&
            !(copy = add_source_line(p, id, value, len)))
                return -ENOMEM;
        return add_entry(p, id, value, len, copy, line, column);
}

int oci_parse_buffer(OciDefinition *d, const char *data, size_t size, unsigned sections, OciDiagSink *sink) {
        static const OciIniHandler handler = {
                .section = on_section,
                .assignment = on_assignment,
                .error = on_error,
        };
        Parser p = {
                .d = d,
                .file = d->sources ? d->sources[d->cur_source] : d->path,
                .sink = sink,
                .sections = sections,
                .section = _OCI_SECTION_INVALID,
        };
        /* nothing after a NUL byte is read */
        if (memchr(data, 0, size))
                d->incomplete = true;
        /* the reader stops only when memory ran out (the callbacks above return nothing else);
         * every other problem is in p.failed already */
        int r = oci_ini_parse(data, size, &handler, &p);
        return r == -ENOMEM ? r : p.failed;
}

static int parse_at(OciDefinition *d, int dir_fd, const char *name, bool regular, const char *path, unsigned sections,
                    OciDiagSink *sink) {
        _cleanup_free_ char *buf = NULL;
        size_t len;
        int r = oci_ini_read_file_at(dir_fd, name, regular, path, OCI_FILE_MAX, sink, &buf, &len);
        if (r < 0) {
                d->incomplete = true;
                return r;
        }
        return oci_parse_buffer(d, buf, len, sections, sink);
}

static int parse_path(OciDefinition *d, const char *path, unsigned sections, OciDiagSink *sink) {
        return parse_at(d, AT_FDCWD, path, false, path, sections, sink);
}

int oci_parse_file(OciDefinition *d, unsigned sections, OciDiagSink *sink) {
        return oci_parse_file_at(d, AT_FDCWD, d->path, false, sections, sink);
}

int oci_parse_file_at(OciDefinition *d, int dir_fd, const char *name, bool regular, unsigned sections, OciDiagSink *sink) {
        assert(d && name && sink);
        d->cur_source = 0;
        return parse_at(d, dir_fd, name, regular, d->path, sections, sink);
}

/* Takes path as d's next source, unless d has all the drop-ins it may have: returns 1 to read it,
 * else -EINVAL (said once) or -ENOMEM. */
static int begin_dropin(OciDefinition *d, const char *path, OciDiagSink *sink) {
        size_t n = d->n_sources; /* the file itself, then the drop-ins read so far */
        if (n > OCI_DROPINS_MAX) {
                d->incomplete = true;
                if (n == OCI_DROPINS_MAX + 1 && strv_push_at(&d->sources, d->n_sources++, strdup(path)) < 0)
                        return -ENOMEM; /* counted once, so that this is said once */
                return n == OCI_DROPINS_MAX + 1
                               ? oci_diag(sink, LOG_ERR, path, 0, NULL,
                                          "more than %u drop-ins for %s; refusing this one and the rest: merge them into fewer files",
                                          OCI_DROPINS_MAX, d->path)
                               : -EINVAL;
        }
        if (strv_push_at(&d->sources, d->n_sources++, strdup(path)) < 0)
                return -ENOMEM;
        d->cur_source = d->n_sources - 1;
        return 1;
}

int oci_parse_dropin(OciDefinition *d, const char *path, unsigned sections, OciDiagSink *sink) {
        int r = begin_dropin(d, path, sink);
        if (r <= 0)
                return r;
        r = parse_path(d, path, sections, sink);
        d->cur_source = 0;
        return r;
}

/* ---- drop-ins read once for many definitions ---- */

/* What the reader found in a file, in order: enough to tell another definition the same. */
typedef struct Event {
        enum { EVENT_SECTION, EVENT_ASSIGNMENT, EVENT_ERROR } kind;
        unsigned line, column;
        const char *section; /* ASSIGNMENT: its section's name (a SECTION's text), or NULL */
        char *text;          /* SECTION: the name; ASSIGNMENT: the key; ERROR: the message */
        char *value;
} Event;

typedef struct Recorded {
        char *path; /* the map's key */
        Event *events;
        size_t n;
} Recorded;

/* Every event costs about this much besides its strings: the array, malloc's headers. */
#define EVENT_COST (sizeof(Event) + 3 * 16)

static int record(Recorded *f, OciParseCache *c, Event e) {
        if (e.text && (e.kind != EVENT_ASSIGNMENT || e.value) && f->n % 16 == 0) {
                Event *m = realloc(f->events, (f->n + 16) * sizeof(Event));
                if (m)
                        f->events = m;
                else {
                        free(e.value);
                        free(e.text);
                        e.value = e.text = NULL;
                }
        }
        if (!e.text || (e.kind == EVENT_ASSIGNMENT && !e.value)) {
                free(e.text);
                free(e.value);
                return -ENOMEM;
        }
        c->size += EVENT_COST + strlen(e.text) + (e.value ? strlen(e.value) : 0);
        f->events[f->n++] = e;
        return 0;
}

typedef struct Recorder {
        Recorded *f;
        OciParseCache *c;
        const char *section; /* the last section's name, owned by its event */
} Recorder;

static int record_section(void *userdata, const char *name, unsigned line) {
        Recorder *r = userdata;
        int k = record(r->f, r->c, (Event) { .kind = EVENT_SECTION, .line = line, .text = strdup(name) });
        if (k >= 0)
                r->section = r->f->events[r->f->n - 1].text;
        return k;
}

static int record_assignment(void *userdata, const char *section, const char *key, const char *value, unsigned line,
                             unsigned column) {
        Recorder *r = userdata;
        /* the reader names the section of the last header it reported */
        assert(!section == !r->section);
        return record(r->f, r->c, (Event) { .kind = EVENT_ASSIGNMENT, .line = line, .column = column, .section = r->section,
                                            .text = strdup(key), .value = strdup(value) });
}

static int record_error(void *userdata, unsigned line, const char *message) {
        Recorder *r = userdata;
        return record(r->f, r->c, (Event) { .kind = EVENT_ERROR, .line = line, .text = strdup(message) });
}

static void recorded_free(Recorded *f) {
        for (size_t i = 0; f && i < f->n; i++) {
                free(f->events[i].text);
                free(f->events[i].value);
        }
        if (f) {
                free(f->events);
                free(f->path);
        }
        free(f);
}

/* What the reader finds in the text, kept in c under path. Returns NULL when memory ran out. */
static Recorded *record_text(OciParseCache *c, const char *path, const char *text, size_t len) {
        static const OciIniHandler handler = {
                .section = record_section,
                .assignment = record_assignment,
                .error = record_error,
        };
        size_t before = c->size;
        Recorded *f = calloc(1, sizeof(*f));
        Recorder rec = { .f = f, .c = c };
        /* a mistake in the text is one more event: only memory stops the recording */
        if (!f || !(f->path = strdup(path)) || oci_ini_parse(text, len, &handler, &rec) == -ENOMEM ||
            hashmap_put(&c->files, f->path, f) < 0) {
                c->size = before;
                recorded_free(f);
                return NULL;
        }
        c->size += sizeof(*f) + strlen(path);
        return f;
}

/* Tell d what f holds, as oci_parse_buffer() would have told it reading the text. */
static int replay(OciDefinition *d, const Recorded *f, unsigned sections, OciDiagSink *sink) {
        Parser p = {
                .d = d,
                .file = d->sources[d->cur_source],
                .sink = sink,
                .sections = sections,
                .section = _OCI_SECTION_INVALID,
        };
        for (size_t i = 0; i < f->n; i++) {
                const Event *e = &f->events[i];
                int r = e->kind == EVENT_SECTION      ? on_section(&p, e->text, e->line)
                        : e->kind == EVENT_ASSIGNMENT ? on_assignment(&p, e->section, e->text, e->value, e->line, e->column)
                                                      : on_error(&p, e->line, e->text);
                if (r < 0)
                        return r;
        }
        return p.failed;
}

int oci_parse_dropin_cached(OciDefinition *d, const char *path, unsigned sections, OciDiagSink *sink, OciParseCache *cache) {
        assert(d && path && sink && cache);
        int r = begin_dropin(d, path, sink);
        if (r <= 0)
                return r;
        Recorded *f = hashmap_get(&cache->files, path);
        if (!f && cache->size >= OCI_PARSE_CACHE_MAX)
                r = parse_path(d, path, sections, sink);
        else if (!f) {
                _cleanup_free_ char *buf = NULL;
                size_t len;
                /* a file that cannot be read is said each time, as without the cache */
                r = oci_ini_read_file(path, OCI_FILE_MAX, sink, &buf, &len);
                if (r >= 0 && cache->size + len <= OCI_PARSE_CACHE_MAX && !(f = record_text(cache, path, buf, len)))
                        r = -ENOMEM;
                if (r >= 0 && !f) /* more than the cache keeps */
                        r = oci_parse_buffer(d, buf, len, sections, sink);
        }
        if (f)
                r = replay(d, f, sections, sink);
        d->cur_source = 0;
        return r;
}

void oci_parse_cache_done(OciParseCache *cache) {
        assert(cache);
        for (size_t i = 0; i < cache->files.cap; i++)
                if (cache->files.slots[i].key)
                        recorded_free(cache->files.slots[i].value);
        hashmap_done(&cache->files);
        *cache = (OciParseCache) {};
}
