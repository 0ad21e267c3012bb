/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading definition files. inih splits "Key=Value" and tracks sections; a reader of our own
 * feeds it logical lines, so that we get systemd's syntax: backslash continuation (comment lines
 * inside a continuation are dropped), no inline comments, lines of any length, exact line numbers,
 * and a clear message for lines inih would only count. */
#include <fcntl.h>
#include <ini.h>
#include <sys/stat.h>
#include <unistd.h>

#include "escape.h"
#include "model.h"

/* A file larger than this is refused rather than read: nobody writes a definition this big, and
 * the memory a hostile one could take stays bounded. */
#define OCI_FILE_MAX (1u * 1024u * 1024u)
/* Likewise the assignments of one definition, drop-ins included. */
#define OCI_ASSIGNMENTS_MAX 10000u
/* And its drop-ins: each costs a file read even when empty, for every definition it applies to. */
#define OCI_DROPINS_MAX 1000u

static void value_clear_entries(OciValue *v) {
        for (size_t i = 0; i < v->n_entries; i++)
                free(v->entries[i].value);
        free(v->entries);
        v->entries = NULL;
        v->n_entries = 0;
}

/* Free what d holds, leaving the block. */
static void definition_clear(OciDefinition *d) {
        for (size_t i = 0; i < _OCI_OPT_MAX; i++) {
                value_clear_entries(&d->values[i]);
                oci_items_clear(&d->values[i].items, oci_options[i].type);
        }
        for (size_t i = 0; i < d->n_pass; i++) {
                free(d->pass[i].key);
                free(d->pass[i].value);
        }
        free(d->pass);
        free(d->path);
        strv_free(d->sources);
        free(d->dir);
        free(d->name);
        free(d->instance);
        free(d->resource);
        free(d->pod_unit);
        free(d->unit_name);
        strv_free(d->after);
        strv_free(d->create_dirs);
        free(d->run_as.user);
        free(d->run_as.group);
        free(d->run_as.home);
}

/* Fill a zeroed block. */
static int definition_init(OciDefinition *d, const char *path, OciUnitType type) {
        d->type = type;
        d->backend = _OCI_BACKEND_INVALID;
        for (size_t i = 0; i < _OCI_OPT_MAX; i++)
                d->values[i].boolean = d->values[i].choice = -1;
        d->path = strdup(path);
        d->dir = path_dirname(path);
        if (strv_extend(&d->sources, path) < 0)
                return -ENOMEM;
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        const char *ext = oci_unit_type_extension(type);
        const char *e = ext ? endswith(base, ext) : NULL;
        d->name = e ? strndup(base, (size_t) (e - base)) : strdup(base);
        if (!d->path || !d->dir || !d->name)
                return -ENOMEM;
        const char *at = strchr(d->name, '@');
        if (at && !(d->instance = strdup(at + 1)))
                return -ENOMEM;
        return 0;
}

OciDefinition *oci_definition_new(const char *path, OciUnitType type) {
        OciDefinition *d = calloc(1, sizeof(*d));
        if (!d)
                return NULL;
        if (definition_init(d, path, type) < 0)
                return oci_definition_free(d);
        return d;
}

OciDefinition *oci_definition_reuse(OciDefinition *d, const char *path, OciUnitType type) {
        if (!d)
                return oci_definition_new(path, type);
        definition_clear(d);
        memset(d, 0, sizeof(*d));
        if (definition_init(d, path, type) < 0)
                return oci_definition_free(d);
        return d;
}

OciDefinition *oci_definition_free(OciDefinition *d) {
        if (!d)
                return NULL;
        definition_clear(d);
        free(d);
        return NULL;
}

typedef struct Parser {
        OciDefinition *d;
        const char *file;   /* the file being read, for messages */
        OciDiagSink *sink;
        unsigned sections;

        const char *data;
        size_t size, pos;   /* the input, and the start of the next physical line */
        unsigned next_line; /* number of the next physical line */

        StrBuf logical;     /* the logical line being handed to inih */
        size_t handed;      /* how much of it inih has had */
        unsigned line;      /* first physical line of the logical line */
        bool skip;          /* the current line was reported already; ignore what inih makes of it */

        OciSection section;
        unsigned section_reported; /* line of an unknown section already warned about */
        bool ignore_section;       /* X- or unknown section */
        int failed;
} Parser;

static int parse_error(Parser *p, unsigned line, const char *key, const char *fmt, ...) _printf_(4, 5);
static int parse_error(Parser *p, unsigned line, const char *key, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        _cleanup_free_ char *msg = xvasprintf(fmt, ap);
        va_end(ap);
        p->failed = -EINVAL;
        return oci_diag(p->sink, LOG_ERR, p->file, line, key, "%s", msg ? msg : "parse error");
}

static void enter_section(Parser *p, const char *name) {
        p->ignore_section = false;
        OciSection s = oci_section_from_string(name);
        if (s >= 0 && (p->sections & (1u << s))) {
                p->section = s;
                if (!p->d->section_line[s])
                        p->d->section_line[s] = p->line;
                return;
        }
        p->ignore_section = true;
        p->section = _OCI_SECTION_INVALID;
        if (startswith(name, "X-") || p->section_reported == p->line)
                return;
        p->section_reported = p->line;
        oci_diag(p->sink, LOG_WARNING, p->file, p->line, NULL, "unknown section [%s], ignoring its keys", name);
}

/* Check a finished logical line for what inih would reject without telling us which line. */
static void check_logical(Parser *p) {
        const char *s = p->logical.s;
        s += strspn(s, " \t\n");
        if (!*s || *s == '#' || *s == ';')
                return;
        if (*s == '[') {
                const char *end = strchr(s, ']');
                if (!end) {
                        _cleanup_free_ char *shown = strndup(s, strcspn(s, "\n"));
                        parse_error(p, p->line, NULL, "section header '%s' has no closing ']'", shown ? shown : s);
                        p->skip = true;
                        p->ignore_section = true;
                        return;
                }
                _cleanup_free_ char *name = strndup(s + 1, (size_t) (end - s - 1));
                if (name)
                        enter_section(p, name);
                return;
        }
        size_t eq = strcspn(s, "=");
        size_t colon = strcspn(s, ":");
        if (!s[eq] || colon < eq) {
                _cleanup_free_ char *shown = strndup(s, 80);
                if (shown)
                        shown[strcspn(shown, "\n")] = 0;
                parse_error(p, p->line, NULL, "expected 'Key=Value', got '%s'", shown ? shown : s);
                p->skip = true;
        }
}

/* Assemble the next logical line from the physical ones. Returns false at the end of input. */
static bool next_logical(Parser *p) {
        p->logical.len = 0;
        strbuf_putn(&p->logical, "", 0);
        p->handed = 0;
        p->skip = false;
        bool continuing = false;

        while (p->pos < p->size) {
                const char *start = p->data + p->pos;
                const char *nl = memchr(start, '\n', p->size - p->pos);
                size_t len = nl ? (size_t) (nl - start) : p->size - p->pos;
                p->pos += len + (nl ? 1 : 0);
                unsigned lineno = p->next_line++;
                if (len > 0 && start[len - 1] == '\r')
                        len--;

                /* systemd ends a line at a lone carriage return too: one inside a value would
                 * split it in the generated unit */
                if (memchr(start, '\r', len)) {
                        parse_error(p, lineno, NULL, "%s", "carriage return inside a line; save the file with Unix or DOS line endings only");
                        p->skip = true;
                }
                if (!utf8_is_valid_n(start, len)) {
                        parse_error(p, lineno, NULL, "%s", "line is not valid UTF-8; definitions must be UTF-8 text");
                        p->skip = true;
                }

                if (!continuing)
                        p->line = lineno;
                else {
                        size_t ws = 0;
                        while (ws < len && (start[ws] == ' ' || start[ws] == '\t'))
                                ws++;
                        if (ws < len && (start[ws] == '#' || start[ws] == ';'))
                                continue; /* a comment inside a continued line is dropped */
                }

                /* a line ending in an unescaped backslash continues on the next one */
                bool escaped = false;
                for (size_t i = 0; i < len; i++)
                        escaped = escaped ? false : start[i] == '\\';
                if (escaped) {
                        strbuf_putn(&p->logical, start, len - 1);
                        strbuf_putc(&p->logical, ' ');
                        continuing = true;
                        continue;
                }
                strbuf_putn(&p->logical, start, len);
                strbuf_putc(&p->logical, '\n');
                check_logical(p);
                return true;
        }
        if (continuing) {
                /* the file ended inside a continuation: what we have is the last line */
                strbuf_putc(&p->logical, '\n');
                check_logical(p);
                return true;
        }
        return false;
}

static char *reader(char *str, int num, void *stream) {
        Parser *p = stream;
        if (num < 2)
                return NULL;
        if (p->handed >= p->logical.len && !next_logical(p))
                return NULL;
        size_t n = p->logical.len - p->handed;
        if (n > (size_t) num - 1)
                n = (size_t) num - 1;
        memcpy(str, p->logical.s + p->handed, n);
        str[n] = 0;
        p->handed += n;
        return str;
}

static int add_pass_line(Parser *p, OciSection section, const char *key, const char *value) {
        OciDefinition *d = p->d;
        OciPassLine *n = realloc(d->pass, (d->n_pass + 1) * sizeof(*n));
        if (!n)
                return -ENOMEM;
        d->pass = n;
        OciPassLine *l = &d->pass[d->n_pass];
        *l = (OciPassLine) { .section = section, .line = p->line, .source = p->d->cur_source, .key = strdup(key), .value = strdup(value) };
        d->n_pass++;
        if (!l->key || !l->value)
                return -ENOMEM;
        return 0;
}

static int add_entry(Parser *p, OciOptionId id, const char *value) {
        OciValue *v = &p->d->values[id];
        const OciOption *o = &oci_options[id];

        /* "Key=" resets; a single-valued key keeps only its last assignment */
        if (!*value || !(o->flags & OCI_OPT_LIST))
                value_clear_entries(v);
        if (!*value)
                return 0;
        OciEntry *n = realloc(v->entries, (v->n_entries + 1) * sizeof(*n));
        if (!n)
                return -ENOMEM;
        v->entries = n;
        /* the value's column: after the first '=' of the line and the blanks that follow it */
        const char *eq = strchr(p->logical.s, '=');
        unsigned column = eq ? (unsigned) (eq - p->logical.s) + 2 + (unsigned) strspn(eq + 1, " \t") : 1;
        v->entries[v->n_entries] = (OciEntry) { .value = strdup(value), .line = p->line, .column = column, .source = p->d->cur_source };
        if (!v->entries[v->n_entries].value)
                return -ENOMEM;
        v->n_entries++;
        return 0;
}

static int handler(void *user, const char *section, const char *key, const char *value) {
        Parser *p = user;
        if (p->skip)
                return 1;
        if (++p->d->n_assignments > OCI_ASSIGNMENTS_MAX) {
                if (p->d->n_assignments == OCI_ASSIGNMENTS_MAX + 1)
                        parse_error(p, p->line, key, "more than %u assignments in one definition; refusing the rest",
                                    OCI_ASSIGNMENTS_MAX);
                p->failed = -EINVAL;
                return 1;
        }
        if (p->section == _OCI_SECTION_INVALID && !p->ignore_section) {
                parse_error(p, p->line, key, "'%s=' stands before any [Section] header", key);
                return 1;
        }
        if (p->ignore_section || startswith(key, "X-"))
                return 1;
        if (!*key) {
                /* "=VALUE": copied into [Unit] or [Service], systemd would ignore the line */
                parse_error(p, p->line, NULL, "%s", "expected 'Key=Value', the key is missing before '='");
                return 1;
        }

        int r;
        if (p->section == OCI_SECTION_UNIT || p->section == OCI_SECTION_SERVICE)
                r = add_pass_line(p, p->section, key, value);
        else {
                OciOptionId id = oci_option_lookup(p->section, key);
                if (id < 0) {
                        const char *s = oci_option_suggest(p->section, key);
                        StrBuf b = {};
                        strbuf_printf(&b, "unknown key '%s' in [%s]", key, section);
                        if (s)
                                strbuf_printf(&b, "; did you mean '%s='?", s);
                        else
                                strbuf_printf(&b, "; see oci-containers.container(5) for the keys of [%s]", section);
                        parse_error(p, p->line, key, "%s", b.s ? b.s : "unknown key");
                        strbuf_done(&b);
                        return 1;
                }
                r = add_entry(p, id, value);
        }
        if (r < 0)
                p->failed = r;
        return 1;
}

int oci_parse_buffer(OciDefinition *d, const char *data, size_t size, unsigned sections, OciDiagSink *sink) {
        const char *file = d->sources ? d->sources[d->cur_source] : d->path;
        const char *nul = memchr(data, 0, size);
        if (nul) {
                unsigned line = 1;
                for (const char *c = data; c < nul; c++)
                        line += *c == '\n';
                return oci_diag(sink, LOG_ERR, file, line, NULL,
                                "file contains a NUL byte; definitions must be UTF-8 text");
        }

        /* a UTF-8 byte order mark is allowed at the start, as systemd allows it */
        if (size >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
                data += 3;
                size -= 3;
        }
        Parser p = {
                .d = d,
                .file = file,
                .sink = sink,
                .sections = sections,
                .data = data,
                .size = size,
                .next_line = 1,
                .section = _OCI_SECTION_INVALID,
        };
        /* Debian's libinih takes its settings at run time; these give systemd's syntax. */
        ini_allow_multiline = false;
        ini_allow_inline_comments = false;
        ini_allow_bom = false; /* handled above */
        ini_allow_no_value = false;
        ini_stop_on_first_error = false;
        ini_use_stack = false;
        ini_allow_realloc = true;
        ini_max_line = 1 << 30;

        int r = ini_parse_stream(reader, &p, handler, &p);
        strbuf_done(&p.logical);
        if (r == -2)
                return -ENOMEM;
        if (p.failed == -ENOMEM)
                return -ENOMEM;
        if (r > 0 && p.failed == 0)
                /* inih saw something wrong that our reader did not: say so rather than guess */
                p.failed = parse_error(&p, p.line, NULL, "%s", "line could not be parsed");
        return p.failed;
}

static int parse_path(OciDefinition *d, const char *path, unsigned sections, OciDiagSink *sink) {
        /* O_NONBLOCK: a FIFO named like a definition must not stop the boot; it is refused below */
        int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return oci_diag(sink, LOG_ERR, path, 0, NULL, "cannot open: %s", strerror(errno));
        struct stat st;
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
                close(fd);
                return oci_diag(sink, LOG_ERR, path, 0, NULL, "%s", "not a regular file");
        }
        if ((unsigned long long) st.st_size > OCI_FILE_MAX) {
                close(fd);
                return oci_diag(sink, LOG_ERR, path, 0, NULL, "file is larger than %u MiB; refusing to read it",
                                OCI_FILE_MAX >> 20);
        }
        size_t cap = (size_t) st.st_size + 1, len = 0;
        _cleanup_free_ char *buf = malloc(cap);
        if (!buf) {
                close(fd);
                return -ENOMEM;
        }
        for (;;) {
                if (len == cap) {
                        if (cap > OCI_FILE_MAX) {
                                close(fd);
                                return oci_diag(sink, LOG_ERR, path, 0, NULL, "%s", "file grew while being read");
                        }
                        char *n = realloc(buf, cap * 2);
                        if (!n) {
                                close(fd);
                                return -ENOMEM;
                        }
                        buf = n;
                        cap *= 2;
                }
                ssize_t k = read(fd, buf + len, cap - len);
                if (k < 0 && errno == EINTR)
                        continue;
                if (k < 0) {
                        int e = errno;
                        close(fd);
                        return oci_diag(sink, LOG_ERR, path, 0, NULL, "read error: %s", strerror(e));
                }
                if (k == 0)
                        break;
                len += (size_t) k;
        }
        close(fd);
        return oci_parse_buffer(d, buf, len, sections, sink);
}

int oci_parse_file(OciDefinition *d, unsigned sections, OciDiagSink *sink) {
        d->cur_source = 0;
        return parse_path(d, d->path, sections, sink);
}

int oci_parse_dropin(OciDefinition *d, const char *path, unsigned sections, OciDiagSink *sink) {
        size_t n = strv_length(d->sources); /* the file itself, then the drop-ins read so far */
        if (n > OCI_DROPINS_MAX) {
                if (n == OCI_DROPINS_MAX + 1 && strv_extend(&d->sources, path) < 0)
                        return -ENOMEM; /* counted once, so that this is said once */
                return n == OCI_DROPINS_MAX + 1
                               ? oci_diag(sink, LOG_ERR, path, 0, NULL,
                                          "more than %u drop-ins for %s; refusing this one and the rest: merge them into fewer files",
                                          OCI_DROPINS_MAX, d->path)
                               : -EINVAL;
        }
        if (strv_extend(&d->sources, path) < 0)
                return -ENOMEM;
        d->cur_source = (unsigned) strv_length(d->sources) - 1;
        int r = parse_path(d, path, sections, sink);
        d->cur_source = 0;
        return r;
}
