/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading INI text as Quadlet reads its files (systemd's syntax, with Quadlet's continuation lines).
 * inih splits "Key=Value" and tracks sections; the reader here feeds it logical lines, so that we
 * get that syntax: backslash continuation (see next_logical()), no inline comments, lines of any
 * length, exact line numbers, and a clear message for lines inih would only count. */
#include <assert.h>
#include <fcntl.h>
#include <ini.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ini-reader.h"

typedef struct Reader {
        const OciIniHandler *h;
        void *userdata;
        int stop; /* the negative errno a callback or an allocation ended the reading with */

        const char *data;
        size_t size, pos;   /* the input, and the start of the next physical line */
        unsigned next_line; /* number of the next physical line */
        bool check_cr;      /* the input has a carriage return: look for one in each line */
        bool check_utf8;    /* the input is not valid UTF-8 as a whole: find the lines that are not */

        /* The logical line being handed to inih, without the '\n' inih is given after it: a line
         * of one physical line where it stands in data, a continued one put together in joined. */
        const char *text;
        size_t len;
        size_t left;        /* how much of it and its '\n' inih has not had */
        StrBuf joined;
        unsigned line;      /* first physical line of the logical line */
        unsigned column;    /* where its value starts, if it is an assignment */
        unsigned n_logical; /* logical lines so far: inih counts these, not physical ones */
        bool skip;          /* the current line was reported already; ignore what inih makes of it */
        bool quiet;         /* only counting lines again: check nothing, report nothing */
        bool reported;      /* an error was reported */
        unsigned first_reported; /* the logical line of the first one */

        StrBuf section;     /* the name of the current section */
        bool in_section;    /* a header was read, so section holds a name */
        bool lost_section;  /* the last header had no ']': its keys cannot be placed */
} Reader;

static void report(Reader *r, unsigned line, const char *message) {
        r->skip = true;
        if (!r->reported)
                r->first_reported = r->n_logical;
        r->reported = true;
        if (r->stop == 0 && r->h->error) {
                int k = r->h->error(r->userdata, line, message);
                if (k < 0)
                        r->stop = k;
        }
}

/* The same with a message just formatted, which it frees. */
static void report_formatted(Reader *r, unsigned line, char *message) {
        if (message)
                report(r, line, message);
        else {
                r->skip = true;
                r->stop = -ENOMEM;
        }
        free(message);
}

static void enter_section(Reader *r, const char *name, size_t n) {
        r->section.len = 0;
        if (strbuf_putn(&r->section, name, n) < 0) {
                r->stop = -ENOMEM;
                return;
        }
        r->in_section = true;
        r->lost_section = false;
        if (r->h->section) {
                int k = r->h->section(r->userdata, r->section.s, r->line);
                if (k < 0)
                        r->stop = k;
        }
}

static bool is_blank(char c) {
        return c == ' ' || c == '\t';
}

/* Check a finished logical line for what inih would reject without telling us which line, and
 * take note of a section header or where the value of an assignment starts. */
static void check_logical(Reader *r) {
        const char *s = r->text, *end = r->text + r->len;
        while (s < end && is_blank(*s))
                s++;
        r->column = 1;
        if (s == end)
                return; /* a continued line that met the end of the input with nothing on it */
        int n = (int) (end - s);
        if (*s == '[') {
                const char *close = memchr(s, ']', (size_t) n);
                if (!close) {
                        report_formatted(r, r->line, xasprintf("section header '%.*s' has no closing ']'", n, s));
                        r->lost_section = true;
                        return;
                }
                enter_section(r, s + 1, (size_t) (close - s - 1));
                return;
        }
        /* inih splits at the first '=' or ':'; systemd knows only '=' */
        const char *eq = memchr(s, '=', (size_t) n);
        if (!eq || memchr(s, ':', (size_t) (eq - s))) {
                /* the start of it: enough to find the line, not a whole screen of it */
                report_formatted(r, r->line, xasprintf("expected 'Key=Value', got '%.*s'", n < 80 ? n : 80, s));
                return;
        }
        /* after the '=' and the blanks that follow it, counted from 1 */
        const char *v = eq + 1;
        while (v < end && is_blank(*v))
                v++;
        r->column = (unsigned) (v - r->text) + 1;
}

/* Assemble the next logical line from the physical ones, as Quadlet's reader does: each physical
 * line loses its blanks at both ends; one that then ends in an unescaped backslash continues on
 * the next, the backslash dropped and nothing put in its place; comment lines and empty lines are
 * skipped, inside a continuation too (inih would skip them: it is not given them, and does not
 * count them); a comment line is never continued, whatever it ends in. Returns false at the end
 * of input. */
static bool next_logical(Reader *r) {
        r->joined.len = 0;
        r->skip = false;
        r->n_logical++;
        bool continuing = false, found = false;

        while (r->pos < r->size) {
                const char *start = r->data + r->pos;
                const char *nl = memchr(start, '\n', r->size - r->pos);
                size_t len = nl ? (size_t) (nl - start) : r->size - r->pos;
                r->pos += len + (nl ? 1 : 0);
                unsigned lineno = r->next_line++;
                if (len > 0 && start[len - 1] == '\r')
                        len--;

                /* systemd ends a line at a lone carriage return too: one inside a value would
                 * split it in the generated unit */
                if (!r->quiet && r->check_cr && memchr(start, '\r', len))
                        report(r, lineno, "carriage return inside a line; save the file with Unix or DOS line endings only");
                if (!r->quiet && r->check_utf8 && !utf8_is_valid_n(start, len))
                        report(r, lineno, "line is not valid UTF-8; definitions must be UTF-8 text");

                size_t lead = 0;
                while (lead < len && is_blank(start[lead]))
                        lead++;
                if (lead == len || start[lead] == '#' || start[lead] == ';') {
                        /* what was said of it does not stop the line after it, unless this one
                         * stands inside that line */
                        if (!continuing)
                                r->skip = false;
                        continue;
                }
                while (len > lead && is_blank(start[len - 1]))
                        len--;
                if (!continuing)
                        r->line = lineno;
                else
                        start += lead, len -= lead; /* the first line keeps its blanks, for the column */

                /* as each backslash escapes the next character, only the run of them at the end
                 * decides, and an odd one leaves the last unescaped */
                size_t run = 0;
                while (run < len && start[len - 1 - run] == '\\')
                        run++;
                if (run % 2) {
                        if (strbuf_putn(&r->joined, start, len - 1) < 0) {
                                r->stop = -ENOMEM;
                                return false;
                        }
                        continuing = true;
                        continue;
                }
                if (!continuing) {
                        /* the usual line, of one physical line: read where it is */
                        r->text = start;
                        r->len = len;
                } else if (strbuf_putn(&r->joined, start, len) < 0) {
                        r->stop = -ENOMEM;
                        return false;
                }
                found = true;
                break;
        }
        if (continuing)
                /* a continued line, which may have met the end of the input: what it has is the
                 * last line */
                r->text = r->joined.s ? r->joined.s : "", r->len = r->joined.len;
        else if (!found)
                return false;
        r->left = r->len + 1;
        if (!r->quiet)
                check_logical(r);
        return r->stop == 0;
}

static char *reader(char *str, int num, void *stream) {
        Reader *r = stream;
        if (num < 2 || r->stop)
                return NULL;
        if (r->left == 0 && !next_logical(r))
                return NULL;
        /* the next n bytes of the line and its '\n', as many as fit */
        size_t n = r->left < (size_t) num - 1 ? r->left : (size_t) num - 1;
        const char *from = r->text + (r->len + 1 - r->left);
        if (n == r->left) {
                memcpy(str, from, n - 1);
                str[n - 1] = '\n';
        } else
                memcpy(str, from, n);
        str[n] = 0;
        r->left -= n;
        return str;
}

static int on_pair(void *user, const char *section, const char *key, const char *value) {
        Reader *r = user;
        (void) section; /* inih's copy is cut to a fixed size; ours is whole */
        if (r->skip || r->stop || r->lost_section || !r->h->assignment)
                return 1;
        int k = r->h->assignment(r->userdata, r->in_section ? r->section.s : NULL, key, value, r->line, r->column);
        if (k < 0)
                r->stop = k;
        return 1;
}

/* The physical line where logical line n starts. */
static unsigned physical_line(Reader *r, unsigned n) {
        r->quiet = true;
        r->pos = 0;
        r->next_line = 1;
        r->n_logical = 0;
        while (r->n_logical < n && next_logical(r))
                ;
        return r->line;
}

int oci_ini_parse(const char *data, size_t size, const OciIniHandler *handler, void *userdata) {
        assert(data);
        assert(handler);

        Reader r = {
                .h = handler,
                .userdata = userdata,
                .data = data,
                .size = size,
                .next_line = 1,
        };
        const char *nul = memchr(data, 0, size);
        if (nul) {
                /* the C strings inih hands out would end there; nothing after it could be read */
                unsigned line = 1;
                for (const char *c = data; c < nul; c++)
                        line += *c == '\n';
                report(&r, line, "file contains a NUL byte; definitions must be UTF-8 text");
                return r.stop ? r.stop : -EINVAL;
        }

        /* a UTF-8 byte order mark is allowed at the start, as systemd allows it */
        if (size >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
                r.data += 3;
                r.size -= 3;
        }
        /* each line is looked at for these only if the input as a whole has them */
        r.check_cr = memchr(r.data, '\r', r.size) != NULL;
        r.check_utf8 = !utf8_is_valid_n(r.data, r.size);
        /* Debian's libinih takes its settings at run time; these give systemd's syntax. */
        ini_allow_multiline = false;
        ini_allow_inline_comments = false;
        ini_allow_bom = false; /* handled above */
        ini_allow_no_value = false;
        ini_stop_on_first_error = false;
        ini_use_stack = false;
        ini_allow_realloc = true;
        ini_max_line = 1 << 30;

        int k = ini_parse_stream(reader, &r, on_pair, &r);
        if (k == -2)
                r.stop = -ENOMEM;
        if (k > 0 && r.stop == 0 && (!r.reported || (unsigned) k < r.first_reported))
                /* inih refused a line that our checks let through: say so rather than guess why */
                report(&r, physical_line(&r, (unsigned) k), "line could not be parsed");
        strbuf_done(&r.joined);
        strbuf_done(&r.section);
        if (r.stop)
                return r.stop;
        return r.reported ? -EINVAL : 0;
}

/* What a file whose size is not asked is read into first: more than most definitions, and a size
 * malloc() keeps at hand (a page would cost it a search of its larger chunks for each file) */
#define READ_FIRST 1024u

int oci_ini_read_file_at(int dir_fd, const char *name, bool regular, const char *path, size_t max, OciDiagSink *sink,
                         char **ret, size_t *ret_size) {
        assert(name);
        assert(path);
        assert(sink);
        assert(ret);
        assert(ret_size);

        /* O_NONBLOCK: a FIFO named like a definition must not stop the boot; it is refused below
         * (or, when readdir() said "regular file" and it was replaced since, it reads as empty) */
        int fd = openat(dir_fd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return oci_diag(sink, LOG_ERR, path, 0, NULL, "cannot open: %s", strerror(errno));
        /* the size, when the type must be asked anyway; else a first guess that most definitions
         * fit in, grown as needed */
        size_t cap = max < READ_FIRST ? max + 1 : READ_FIRST, len = 0;
        if (!regular) {
                struct stat st;
                if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
                        close(fd);
                        return oci_diag(sink, LOG_ERR, path, 0, NULL, "%s", "not a regular file");
                }
                if ((unsigned long long) st.st_size > max) {
                        close(fd);
                        return oci_diag(sink, LOG_ERR, path, 0, NULL, "file is larger than %zu MiB; refusing to read it",
                                        max >> 20);
                }
                cap = (size_t) st.st_size + 1;
        }
        _cleanup_free_ char *buf = malloc(cap);
        if (!buf) {
                close(fd);
                return -ENOMEM;
        }
        /* until the end of the file, not st_size: the file may have changed since fstat(). A read of
         * a regular file that gives less than asked for has met its end, so a file that did not
         * grow (or fits the first guess) costs one read. */
        for (;;) {
                if (len == cap) {
                        if (cap > max) {
                                close(fd);
                                return regular ? oci_diag(sink, LOG_ERR, path, 0, NULL,
                                                          "file is larger than %zu MiB; refusing to read it", max >> 20)
                                               : oci_diag(sink, LOG_ERR, path, 0, NULL, "%s", "file grew while being read");
                        }
                        /* eight times as large (a few reads for the largest file), but not past
                         * the first byte too many */
                        size_t grown = cap > max / 8 ? max + 1 : cap * 8;
                        char *n = realloc(buf, grown);
                        if (!n) {
                                close(fd);
                                return -ENOMEM;
                        }
                        buf = n;
                        cap = grown;
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
                bool short_read = (size_t) k < cap - len;
                len += (size_t) k;
                if (short_read)
                        break;
        }
        close(fd);
        buf[len] = 0; /* len < cap: the loop grows the buffer before reading into a full one */
        *ret = TAKE_PTR(buf);
        *ret_size = len;
        return 0;
}

int oci_ini_read_file(const char *path, size_t max, OciDiagSink *sink, char **ret, size_t *ret_size) {
        return oci_ini_read_file_at(AT_FDCWD, path, false, path, max, sink, ret, ret_size);
}
