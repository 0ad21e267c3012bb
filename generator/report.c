/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the administrator is told, and where.
 *
 * A definition's messages are kept while it is processed and told once it is done, by file (in
 * the order they were read) and line: a file's errors read in the order of its lines whichever
 * check found them, and the line that says it was skipped comes last.
 *
 * A skipped definition leaves a unit of its name behind, a stand-in: it starts nothing, fails with
 * the definition's messages when started, and is started at boot, so that "systemctl status NAME",
 * "systemctl start NAME" and "systemctl --failed" say what is wrong. It is written after every
 * definition, and only under a name nobody has: not one a definition, an alias or a companion
 * took, nor one of an installed unit (a stand-in would hide it).
 *
 * Early at boot journald does not run yet, and a container has no kernel log: the messages that
 * missed the journal are written to a file in the output directory, and
 * oci-containers-report.service, which the generator then makes wanted at boot, tells the journal
 * them with their fields (oci-containers-generator --report FILE). */
#include <assert.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "escape.h"
#include "generator.h"
#include "log.h"

/* More messages than this about one definition come from a file that is not one: the rest are
 * counted, so that memory stays bounded. */
#define MESSAGES_MAX 10000u
/* What a stand-in says when started: enough to see what is wrong; --check says all of it. */
#define STAND_IN_LINES_MAX 20u
#define STAND_IN_LINE_MAX 2000u
/* A stand-in's exit status: EX_CONFIG, which systemd shows as "status=78/CONFIG". */
#define STAND_IN_STATUS "78"

static const char skipped_text[] = "skipped because of the errors above; no unit was generated for it";

/* Where a message is told: the terminal for --check, else where messages go. */
static void tell(const Generator *g, int level, const char *file, unsigned line, unsigned column, const char *text) {
        if (g->check)
                log_print_check(level, file, line, column, text);
        else
                log_emit(level, file, line, column, text);
}

/* Where a message points on its line: the column its reporter gave, else, for one naming a key,
 * where that key's value starts in the definition's file source (as it was parsed; the file is not
 * read again), else 1 for a message about a line and 0 for one about a whole file. */
static unsigned message_column(const OciDiag *d, const OciDefinition *def, unsigned source) {
        if (!d->line)
                return 0;
        if (d->column)
                return d->column;
        unsigned c = def && d->key && source < def->n_sources ? oci_definition_column(def, source, d->line, d->key) : 0;
        return c ? c : 1;
}

/* Whether the sink's file name (quoted: see oci_diag()) is that of path. */
static bool names_path(const char *quoted, const char *path) {
        if (streq(quoted, path))
                return true;
        bool plain = true;
        for (const unsigned char *c = (const unsigned char *) path; plain && *c; c++)
                plain = *c >= 0x20 && *c < 0x7f;
        if (plain)
                return false;
        StrBuf b = {};
        bool same = oci_diag_quote(&b, path, (size_t) -1) >= 0 && streq_ptr(b.s, quoted);
        strbuf_done(&b);
        return same;
}

/* The frame of the definition that read 'file', innermost first, and the file's place among the
 * files it read; else the innermost frame, and a place past them. */
static Frame *frame_for(Generator *g, const char *file, unsigned *ret_rank) {
        for (size_t k = g->depth; file && k > 0; k--) {
                Frame *f = &g->stack[k - 1];
                char **s = f->def ? f->def->sources : NULL;
                for (size_t i = 0; s && s[i]; i++)
                        if (names_path(file, s[i])) {
                                *ret_rank = (unsigned) i;
                                return f;
                        }
        }
        *ret_rank = UINT_MAX;
        return &g->stack[g->depth - 1];
}

static void message_done(Message *m) {
        free(m->file);
        free(m->text);
}

void messages_done(Messages *m) {
        for (size_t i = 0; i < m->n; i++)
                message_done(&m->items[i]);
        free(m->items);
        *m = (Messages) {};
}

void report_diag(void *userdata, const OciDiag *d) {
        Generator *g = userdata;
        assert(g && d);
        if (g->depth == 0) {
                tell(g, d->level, d->file, d->line, message_column(d, NULL, 0), d->message);
                return;
        }
        unsigned rank;
        Frame *f = frame_for(g, d->file, &rank);
        Messages *m = &f->messages;
        if (m->n >= MESSAGES_MAX) {
                m->dropped++;
                return;
        }
        if (m->n == m->cap) {
                size_t cap = m->cap ? m->cap * 2 : 8;
                Message *n = realloc(m->items, cap * sizeof(*n));
                if (!n) {
                        m->dropped++;
                        return;
                }
                m->items = n;
                m->cap = cap;
        }
        Message *x = &m->items[m->n];
        *x = (Message) {
                .level = d->level,
                .line = d->line,
                .column = message_column(d, f->def, rank),
                .rank = rank,
                .seq = m->n + m->dropped,
                .file = d->file ? strdup(d->file) : NULL,
                .text = strdup(d->message),
        };
        if (!x->text || (d->file && !x->file)) {
                message_done(x);
                m->dropped++;
                return;
        }
        m->n++;
}

static int cmp_file(const Message *a, const Message *b) {
        if (a->rank != b->rank)
                return a->rank < b->rank ? -1 : 1;
        if (a->rank != UINT_MAX || streq_ptr(a->file, b->file))
                return 0;
        /* files the definition did not read, by name; none last */
        return !a->file ? 1 : !b->file ? -1 : strcmp(a->file, b->file);
}

static int cmp_message(const void *x, const void *y) {
        const Message *a = x, *b = y;
        int c = cmp_file(a, b);
        if (c != 0)
                return c;
        if (a->line != b->line)
                return a->line < b->line ? -1 : 1;
        return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* "<PRIORITY>FILE:LINE: text", as the journal reads a line of a service's output. */
static char *stand_in_line(int level, const char *file, unsigned line, const char *text) {
        _cleanup_free_ char *full = !file ? strdup(text)
                                    : line ? xasprintf("%s:%u: %s", file, line, text)
                                           : xasprintf("%s: %s", file, text);
        StrBuf b = {};
        if (!full || strbuf_printf(&b, "<%d>", level) < 0 || oci_diag_quote(&b, full, STAND_IN_LINE_MAX) < 0) {
                strbuf_done(&b);
                return NULL;
        }
        return strbuf_steal(&b);
}

static int keep_failure(Generator *g, const Frame *f, const char *path) {
        const Messages *m = &f->messages;
        Failure *n = realloc(g->failures, (g->n_failures + 1) * sizeof(*n));
        if (!n)
                return -ENOMEM;
        g->failures = n;
        Failure *x = &g->failures[g->n_failures++];
        *x = (Failure) { .node = f->node, .unit = f->node->summary.unit_name };
        for (size_t i = 0; i < m->n && i < STAND_IN_LINES_MAX; i++) {
                const Message *msg = &m->items[i];
                if (strv_push(&x->lines, stand_in_line(msg->level, msg->file, msg->line, msg->text)) < 0)
                        return -ENOMEM;
        }
        if (m->n + m->dropped > STAND_IN_LINES_MAX &&
            strv_extendf(&x->lines, "<%d>%s: %zu more messages; oci-containers-generator --check %s shows them all", LOG_WARNING, path,
                         m->n + m->dropped - STAND_IN_LINES_MAX, path) < 0)
                return -ENOMEM;
        return strv_push(&x->lines, stand_in_line(LOG_WARNING, path, 0, skipped_text));
}

int report_definition_done(Generator *g, Frame *f) {
        assert(g && f && f->def);
        Node *n = f->node;
        Messages *m = &f->messages;
        if (m->n > 1)
                qsort(m->items, m->n, sizeof(Message), cmp_message);
        for (size_t i = 0; i < m->n; i++)
                tell(g, m->items[i].level, m->items[i].file, m->items[i].line, m->items[i].column, m->items[i].text);

        bool skipped = n->failed && !g->check;
        if (!skipped && !m->dropped) {
                messages_done(m);
                return 0;
        }
        /* the path as messages show it: a file name cannot forge a line */
        StrBuf q = {};
        int r = oci_diag_quote(&q, n->summary.path, (size_t) -1);
        const char *path = q.s ? q.s : "";
        if (r >= 0 && m->dropped) {
                _cleanup_free_ char *t = xasprintf("%zu more messages about it were left out", m->dropped);
                if (t)
                        tell(g, LOG_WARNING, path, 0, 0, t);
        }
        if (r >= 0 && skipped) {
                tell(g, LOG_WARNING, path, 0, 0, skipped_text);
                /* a definition that passed its checks but could not be written has nothing to
                 * fix in its files: the output directory failed, and a stand-in would fail there too */
                if (!f->unwritable && n->summary.unit_name)
                        r = keep_failure(g, f, path);
        }
        strbuf_done(&q);
        messages_done(m);
        return r;
}

void failures_done(Generator *g) {
        for (size_t i = 0; i < g->n_failures; i++)
                strv_free(g->failures[i].lines);
        free(g->failures);
        g->failures = NULL;
        g->n_failures = 0;
}

/* ---- stand-ins ---- */


/* Whether nobody else has this name: a definition written under it or as an alias, a companion of
 * one (NAME-pull.service of NAME.service), a stand-in written already, a unit of this package or
 * of the system, a file in the output directory. */
static bool name_is_free(const Generator *g, const Failure *x, const HashMap *written) {
        const Node *owner = hashmap_get(&g->units, x->unit);
        if ((owner && owner != x->node) || hashmap_get(&g->aliases, x->unit) || hashmap_get(written, x->unit))
                return false;
        const char *pull = endswith(x->unit, "-pull.service");
        if (pull) {
                char main[NAME_MAX + 1];
                int k = snprintf(main, sizeof(main), "%.*s.service", (int) (pull - x->unit), x->unit);
                const Node *n = k > 0 && (size_t) k < sizeof(main) ? hashmap_get(&g->units, main) : NULL;
                if (n && n->companion)
                        return false;
        }
        static const char *const own[] = { REPORT_UNIT, "oci-containers-prune.service", OCI_USER_NETWORK_WAIT_UNIT };
        for (size_t i = 0; i < ELEMENTSOF(own); i++)
                if (streq(x->unit, own[i]))
                        return false;
        if (unit_file_exists(g, x->unit))
                return false;
        if (g->output && !g->dry_run) {
                _cleanup_free_ char *p = path_join(g->output, x->unit);
                struct stat st;
                if (!p || lstat(p, &st) == 0)
                        return false;
        }
        return true;
}

static int make_stand_in(const Generator *g, const Failure *x, OciUnitFile **ret) {
        const char *path = x->node->summary.path;
        _cleanup_(oci_unit_freep) OciUnitFile *u = oci_unit_new(x->unit);
        StrBuf q = {};
        int r = u ? oci_diag_quote(&q, path, (size_t) -1) : -ENOMEM;
        _cleanup_free_ char *shown = r >= 0 && q.s ? oci_specifier_escape(q.s) : NULL;
        _cleanup_free_ char *source = oci_specifier_escape(path);
        strbuf_done(&q);
        if (!shown || !source)
                return -ENOMEM;
        r = oci_unit_add_comment(u, "Automatically generated by oci-containers-generator");
        if (r >= 0)
                r = oci_unit_add_comment(u, "Stands in for %s, which has errors: it fails with them when started", shown);
        if (r >= 0)
                r = oci_unit_addf(u, OCI_UNIT_SECTION_UNIT, "Description", "Not generated: %s has errors", shown);
        if (r >= 0)
                r = oci_unit_add(u, OCI_UNIT_SECTION_UNIT, "Documentation", "man:oci-containers-generator(8)");
        if (r >= 0 && oci_unit_value_is_safe(source))
                r = oci_unit_add(u, OCI_UNIT_SECTION_UNIT, "SourcePath", source);
        if (r >= 0)
                r = oci_unit_add(u, OCI_UNIT_SECTION_SERVICE, "Type", "oneshot");
        /* the messages are arguments, never part of the script: printf prints them as they are */
        _cleanup_strv_free_ char **argv = NULL;
        if (r >= 0)
                r = strv_extend(&argv, "/bin/sh");
        if (r >= 0)
                r = strv_extend(&argv, "-c");
        if (r >= 0)
                r = strv_extend(&argv, "printf '%%s\\n' \"$@\"; exit " STAND_IN_STATUS);
        if (r >= 0)
                r = strv_push(&argv, oci_exec_escape(x->unit));
        for (char **l = x->lines; r >= 0 && l && *l; l++)
                r = strv_push(&argv, oci_exec_escape(*l));
        if (r >= 0)
                r = oci_unit_add_exec(u, "ExecStart", "", argv);
        if (r >= 0)
                r = oci_unit_add(u, OCI_UNIT_SECTION_SERVICE, "SyslogIdentifier", log_identifier());
        /* started at boot, it fails there: the system is "degraded", and "systemctl --failed"
         * names it; a template has nothing to start */
        if (r >= 0 && !strstr(x->unit, "@.")) {
                _cleanup_free_ char *link = xasprintf("%s.wants/%s", g->user ? "default.target" : "multi-user.target", x->unit);
                _cleanup_free_ char *self = xasprintf("../%s", x->unit);
                r = link && self ? oci_unit_add_link(u, link, self) : -ENOMEM;
        }
        if (r < 0)
                return r;
        *ret = TAKE_PTR(u);
        return 0;
}

int write_stand_ins(Generator *g) {
        assert(g);
        /* a value in doubt keeps the stand-ins: they only ever say more */
        if (g->check || oci_value_bool(g->defaults, OCI_OPT_STAND_IN_UNITS) == 0)
                return 0;
        HashMap written = {};
        int r = 0;
        for (size_t i = 0; r >= 0 && i < g->n_failures; i++) {
                const Failure *x = &g->failures[i];
                if (!name_is_free(g, x, &written)) {
                        log_msg(LOG_DEBUG, "%s: no unit stands in for it: the name %s is another's", x->node->summary.path, x->unit);
                        continue;
                }
                _cleanup_(oci_unit_freep) OciUnitFile *u = NULL;
                r = make_stand_in(g, x, &u);
                if (r == -ENOMEM)
                        break;
                if (r >= 0)
                        r = write_unit_file(g, x->node->summary.path, u);
                if (r >= 0)
                        r = hashmap_put(&written, x->unit, (void *) x);
                if (r != -ENOMEM)
                        r = 0;
        }
        hashmap_done(&written);
        return r;
}

/* ---- the messages that missed the journal ---- */

int write_lost_messages(Generator *g) {
        assert(g);
        size_t n, dropped;
        const LogRecord *rec = log_lost(&n, &dropped);
        if (g->check || g->dry_run || !g->output || (n == 0 && dropped == 0))
                return 0;
        StrBuf b = {};
        int r = strbuf_puts(&b, "# " LOST_MESSAGES_HEADER "\n");
        for (size_t i = 0; r >= 0 && i < n; i++) {
                r = strbuf_printf(&b, "%d\t%u\t%u\t", rec[i].level, rec[i].line, rec[i].column);
                if (r >= 0 && rec[i].file)
                        r = oci_diag_quote(&b, rec[i].file, (size_t) -1);
                if (r >= 0)
                        r = strbuf_putc(&b, '\t');
                if (r >= 0)
                        r = oci_diag_quote(&b, rec[i].message, (size_t) -1);
                if (r >= 0)
                        r = strbuf_putc(&b, '\n');
        }
        if (r >= 0 && dropped)
                r = strbuf_printf(&b, "%d\t0\t0\t\t%zu more messages were not kept; oci-containers-generator --check shows them all\n",
                                  LOG_WARNING, dropped);
        _cleanup_(oci_unit_freep) OciUnitFile *u = r >= 0 ? oci_unit_new(LOST_MESSAGES_FILE) : NULL;
        if (!u) {
                strbuf_done(&b);
                return -ENOMEM;
        }
        /* a file of mode 0600, as the private environment files are: only the report reads it */
        u->secret = strbuf_steal(&b);
        const char *link = g->user ? "default.target.wants/" REPORT_UNIT : "multi-user.target.wants/" REPORT_UNIT;
        r = u->secret ? oci_unit_add_link(u, link, g->user ? USER_UNIT_DIR "/" REPORT_UNIT : SYSTEM_UNIT_DIR "/" REPORT_UNIT) : -ENOMEM;
        if (r >= 0)
                r = write_unit_file(g, g->output, u);
        return r == -ENOMEM ? r : 0;
}

/* Parses "N" (at most max) into *ret. */
static bool parse_unsigned(const char *s, unsigned long max, unsigned *ret) {
        char *end;
        errno = 0;
        unsigned long v = strtoul(s, &end, 10);
        if (errno || end == s || *end || *s == '-' || *s == '+' || v > max)
                return false;
        *ret = (unsigned) v;
        return true;
}

int report_replay(const char *path) {
        assert(path);
        FILE *f = fopen(path, "re");
        if (!f) {
                int e = errno;
                log_msg(LOG_ERR, "Cannot read %s: %s", path, strerror(e));
                return -e;
        }
        char *buf = NULL;
        size_t cap = 0;
        ssize_t len;
        unsigned bad = 0;
        int r = 0;
        while (r >= 0 && (len = getline(&buf, &cap, f)) >= 0) {
                if (len > 0 && buf[len - 1] == '\n')
                        buf[--len] = 0;
                if (!*buf || *buf == '#')
                        continue;
                /* PRIORITY TAB LINE TAB COLUMN TAB FILE TAB MESSAGE; write_lost_messages() quoted
                 * the last two, so that no field holds a tab or a line break */
                char *field[5] = { buf };
                size_t k = 1;
                for (char *c = buf; k < ELEMENTSOF(field) && (c = strchr(c, '\t')); k++) {
                        *c++ = 0;
                        field[k] = c;
                }
                unsigned level, line, column;
                if (k < ELEMENTSOF(field) || !parse_unsigned(field[0], LOG_DEBUG, &level) || !parse_unsigned(field[1], UINT_MAX, &line) ||
                    !parse_unsigned(field[2], UINT_MAX, &column)) {
                        bad++;
                        continue;
                }
                StrBuf file = {}, msg = {};
                r = oci_diag_quote(&file, field[3], (size_t) -1);
                if (r >= 0)
                        r = oci_diag_quote(&msg, field[4], (size_t) -1);
                if (r >= 0)
                        log_emit_formatted((int) level, file.s, line, column, msg.s ? msg.s : "");
                strbuf_done(&file);
                strbuf_done(&msg);
        }
        free(buf);
        fclose(f);
        if (bad)
                log_msg(LOG_WARNING, "%s: %u lines are not messages of oci-containers-generator; ignoring them", path, bad);
        return r;
}
