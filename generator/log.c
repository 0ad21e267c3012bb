/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Where the generator's messages go. Run by systemd, its stderr is /dev/null: messages go to the
 * journal (with PRIORITY=, CONFIG_FILE=, CONFIG_LINE= and CONFIG_COLUMN=, so that 'journalctl
 * CONFIG_FILE=...' finds them), or to the kernel log early at boot, before journald listens; those
 * are kept too, for oci-containers-report.service to tell the journal once it runs (report.c).
 * Run by hand, they go to stderr. */
#define SD_JOURNAL_SUPPRESS_LOCATION 1

#include <assert.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <systemd/sd-journal.h>
#include <unistd.h>

#include "log.h"

static int max_level = LOG_INFO;
static LogTarget target = LOG_TARGET_CONSOLE;
static const char *identifier = "oci-containers-generator";
static int kmsg_fd = -1;

static const char *const level_names[] = { "emerg", "alert", "crit", "err", "warning", "notice", "info", "debug" };
static const char *const target_names[_LOG_TARGET_MAX] = {
        [LOG_TARGET_CONSOLE] = "console",
        [LOG_TARGET_KMSG] = "kmsg",
        [LOG_TARGET_JOURNAL] = "journal",
        [LOG_TARGET_JOURNAL_OR_KMSG] = "journal-or-kmsg",
        [LOG_TARGET_AUTO] = "auto",
};

static int parse_level(const char *s) {
        if (!s)
                return -1;
        for (int i = 0; i < (int) ELEMENTSOF(level_names); i++)
                if (strcasecmp(s, level_names[i]) == 0)
                        return i;
        if (s[0] >= '0' && s[0] <= '7' && !s[1])
                return s[0] - '0';
        return -1;
}

void log_setup(const char *ident, bool by_systemd) {
        if (ident)
                identifier = ident;
        int l = parse_level(getenv("SYSTEMD_LOG_LEVEL"));
        if (l >= 0)
                max_level = l;
        LogTarget t = LOG_TARGET_AUTO;
        const char *e = getenv("SYSTEMD_LOG_TARGET");
        for (int i = 0; e && i < _LOG_TARGET_MAX; i++)
                if (streq(e, target_names[i]))
                        t = (LogTarget) i;
        if (t == LOG_TARGET_AUTO)
                t = by_systemd ? LOG_TARGET_JOURNAL_OR_KMSG : LOG_TARGET_CONSOLE;
        target = t;
}

int log_get_level(void) {
        return max_level;
}

void log_set_level(int level) {
        max_level = level;
}

const char *log_identifier(void) {
        return identifier;
}

static int write_kmsg(int level, const char *text) {
        if (kmsg_fd < 0)
                kmsg_fd = open("/dev/kmsg", O_WRONLY | O_NOCTTY | O_CLOEXEC);
        if (kmsg_fd < 0)
                return -errno;
        char buf[1024];
        int n = snprintf(buf, sizeof(buf), "<%d>%s[%d]: %s\n", level, identifier, (int) getpid(), text);
        if (n < 0)
                return -EINVAL;
        if ((size_t) n >= sizeof(buf))
                n = sizeof(buf) - 1;
        return write(kmsg_fd, buf, (size_t) n) < 0 ? -errno : 0;
}

/* libsystemd is loaded when there is something to tell the journal, not at every start: it and
 * what it links (compression, crypto) cost more to map and relocate than a run that has nothing
 * to say takes in all. */
typedef __typeof__(sd_journal_sendv) JournalSendFn;

static JournalSendFn *journal_fn;

void log_set_journal_send(LogJournalSendFn *fn) {
        journal_fn = fn;
}

/* Whether journald listens. sd_journal_sendv() says nothing when its socket is not there, and
 * early at boot it is not: the message would be lost without a word. */
static bool journal_listens(void) {
        int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return false;
        struct sockaddr_un sa = { .sun_family = AF_UNIX, .sun_path = "/run/systemd/journal/socket" };
        bool ok = connect(fd, (const struct sockaddr *) &sa, sizeof(sa)) == 0;
        close(fd);
        return ok;
}

static JournalSendFn *journal_send(void) {
        static JournalSendFn *fn;
        static bool tried;
        if (journal_fn)
                return journal_fn;
        if (!tried) {
                tried = true;
                if (!journal_listens())
                        return NULL;
                void *h = dlopen("libsystemd.so.0", RTLD_NOW | RTLD_LOCAL);
                if (h)
                        fn = (JournalSendFn *) dlsym(h, "sd_journal_sendv");
        }
        return fn;
}

void log_fields_done(LogFields *f) {
        for (size_t i = 0; i < f->n; i++)
                free(f->field[i]);
        f->n = 0;
}

int log_journal_fields(LogFields *f, int level, const char *file, unsigned line, unsigned column, const char *message) {
        assert(f && message);
        *f = (LogFields) {};
        f->field[f->n++] = xasprintf("MESSAGE=%s", message);
        f->field[f->n++] = xasprintf("PRIORITY=%i", level);
        f->field[f->n++] = xasprintf("SYSLOG_IDENTIFIER=%s", identifier);
        if (file)
                f->field[f->n++] = xasprintf("CONFIG_FILE=%s", file);
        if (file && line)
                f->field[f->n++] = xasprintf("CONFIG_LINE=%u", line);
        if (file && line && column)
                f->field[f->n++] = xasprintf("CONFIG_COLUMN=%u", column);
        for (size_t i = 0; i < f->n; i++)
                if (!f->field[i]) {
                        log_fields_done(f);
                        return -ENOMEM;
                }
        return 0;
}

static int send_journal(int level, const char *file, unsigned line, unsigned column, const char *message) {
        JournalSendFn *sd_journal_sendv = journal_send();
        if (!sd_journal_sendv)
                return -ENOSYS;
        LogFields f;
        int r = log_journal_fields(&f, level, file, line, column, message);
        if (r < 0)
                return r;
        struct iovec iov[LOG_FIELDS_MAX];
        for (size_t i = 0; i < f.n; i++)
                iov[i] = (struct iovec) { .iov_base = f.field[i], .iov_len = strlen(f.field[i]) };
        r = sd_journal_sendv(iov, (int) f.n);
        log_fields_done(&f);
        return r;
}

static LogRecord *lost;
static size_t n_lost, n_dropped;

/* Keeps a message that did not reach the journal. */
static void keep_lost(int level, const char *file, unsigned line, unsigned column, const char *message) {
        if (n_lost >= LOG_RECORDS_MAX) {
                n_dropped++;
                return;
        }
        if (n_lost % 64 == 0) {
                LogRecord *n = realloc(lost, (n_lost + 64) * sizeof(*n));
                if (!n) {
                        n_dropped++;
                        return;
                }
                lost = n;
        }
        LogRecord *rec = &lost[n_lost];
        *rec = (LogRecord) { .level = level, .line = line, .column = column, .file = file ? strdup(file) : NULL,
                             .message = strdup(message) };
        if (!rec->message || (file && !rec->file)) {
                free(rec->file);
                free(rec->message);
                n_dropped++;
                return;
        }
        n_lost++;
}

const LogRecord *log_lost(size_t *ret_n, size_t *ret_dropped) {
        *ret_n = n_lost;
        *ret_dropped = n_dropped;
        return lost;
}

void log_lost_done(void) {
        for (size_t i = 0; i < n_lost; i++) {
                free(lost[i].file);
                free(lost[i].message);
        }
        free(lost);
        lost = NULL;
        n_lost = n_dropped = 0;
}

void log_emit_formatted(int level, const char *file, unsigned line, unsigned column, const char *message) {
        if (level > max_level)
                return;
        if (target == LOG_TARGET_JOURNAL || target == LOG_TARGET_JOURNAL_OR_KMSG) {
                if (send_journal(level, file, line, column, message) >= 0)
                        return;
        }
        /* run by systemd (or told so), a message that missed the journal is told again later */
        if (target != LOG_TARGET_CONSOLE)
                keep_lost(level, file, line, column, message);
        if (target == LOG_TARGET_KMSG || target == LOG_TARGET_JOURNAL_OR_KMSG) {
                if (write_kmsg(level, message) >= 0)
                        return;
        }
        fprintf(stderr, "%s\n", message);
}

void log_emit(int level, const char *file, unsigned line, unsigned column, const char *text) {
        assert(text);
        if (level > max_level)
                return;
        _cleanup_free_ char *full = NULL;
        if (file)
                full = line ? xasprintf("%s:%u: %s", file, line, text) : xasprintf("%s: %s", file, text);
        log_emit_formatted(level, file, line, column, full ? full : text);
}

void log_msg(int level, const char *fmt, ...) {
        if (level > max_level)
                return;
        va_list ap;
        va_start(ap, fmt);
        _cleanup_free_ char *s = xvasprintf(fmt, ap);
        va_end(ap);
        if (!s)
                return;
        /* as the library's messages: a file name with a line break or an escape sequence must not
         * make a second log line or drive a terminal */
        StrBuf q = {};
        if (oci_diag_quote(&q, s, (size_t) -1) >= 0 && q.s)
                log_emit(level, NULL, 0, 0, q.s);
        strbuf_done(&q);
}

static FILE *check_stream;

void log_set_check_stream(FILE *f) {
        check_stream = f;
}

void log_print_check(int level, const char *file, unsigned line, unsigned column, const char *text) {
        if (level > LOG_WARNING && level > max_level)
                return;
        FILE *f = check_stream ? check_stream : stdout;
        const char *kind = level <= LOG_ERR ? "error" : level == LOG_WARNING ? "warning" : "note";
        if (file && line)
                fprintf(f, "%s:%u:%u: %s: %s\n", file, line, column ? column : 1, kind, text);
        else if (file)
                fprintf(f, "%s: %s: %s\n", file, kind, text);
        else
                fprintf(f, "%s: %s\n", kind, text);
}
