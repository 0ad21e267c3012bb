/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Where the generator's messages go. Run by systemd, its stderr is /dev/null: messages go to the
 * journal (with CONFIG_FILE= and CONFIG_LINE= so that 'journalctl CONFIG_FILE=...' finds them), or
 * to the kernel log early at boot, before journald listens. Run by hand, they go to stderr. */
#define SD_JOURNAL_SUPPRESS_LOCATION 1

#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <strings.h>
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
typedef __typeof__(sd_journal_send) JournalSendFn;

static JournalSendFn *journal_send(void) {
        static JournalSendFn *fn;
        static bool tried;
        if (!tried) {
                tried = true;
                void *h = dlopen("libsystemd.so.0", RTLD_NOW | RTLD_LOCAL);
                if (h)
                        fn = (JournalSendFn *) dlsym(h, "sd_journal_send");
        }
        return fn;
}

static void emit(int level, const char *file, unsigned line, const char *text) {
        if (level > max_level)
                return;
        _cleanup_free_ char *full = NULL;
        if (file)
                full = line ? xasprintf("%s:%u: %s", file, line, text) : xasprintf("%s: %s", file, text);
        const char *msg = full ? full : text;

        if (target == LOG_TARGET_JOURNAL || target == LOG_TARGET_JOURNAL_OR_KMSG) {
                int r = -ENOSYS;
                JournalSendFn *sd_journal_send = journal_send();
                if (!sd_journal_send)
                        ;
                else if (file && line)
                        r = sd_journal_send("MESSAGE=%s", msg, "PRIORITY=%i", level, "SYSLOG_IDENTIFIER=%s", identifier,
                                            "CONFIG_FILE=%s", file, "CONFIG_LINE=%u", line, NULL);
                else if (file)
                        r = sd_journal_send("MESSAGE=%s", msg, "PRIORITY=%i", level, "SYSLOG_IDENTIFIER=%s", identifier,
                                            "CONFIG_FILE=%s", file, NULL);
                else
                        r = sd_journal_send("MESSAGE=%s", msg, "PRIORITY=%i", level, "SYSLOG_IDENTIFIER=%s", identifier,
                                            NULL);
                if (r >= 0)
                        return;
                if (target == LOG_TARGET_JOURNAL)
                        goto console;
        }
        if (target == LOG_TARGET_KMSG || target == LOG_TARGET_JOURNAL_OR_KMSG) {
                if (write_kmsg(level, msg) >= 0)
                        return;
        }
console:
        fprintf(stderr, "%s\n", msg);
}

void log_diag(void *userdata, const OciDiag *d) {
        emit(d->level, d->file, d->line, d->message);
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
                emit(level, NULL, 0, q.s);
        strbuf_done(&q);
}

/* The column of KEY's value on line LINE of FILE ("Key = value": where "value" begins), or 1 when
 * the line is not an assignment of KEY (or cannot be read). Only --check asks, once a message. */
static unsigned value_column(const char *file, unsigned line, const char *key) {
        if (!key)
                return 1;
        FILE *f = fopen(file, "re");
        if (!f)
                return 1;
        char buf[4096];
        unsigned col = 1;
        for (unsigned n = 1; fgets(buf, sizeof(buf), f); ) {
                size_t len = strlen(buf);
                bool whole = len > 0 && buf[len - 1] == '\n';
                if (n == line) {
                        size_t i = n == 1 && strncmp(buf, "\xef\xbb\xbf", 3) == 0 ? 3 : 0, k = strlen(key);
                        i += strspn(buf + i, " \t");
                        if (strncmp(buf + i, key, k) == 0) {
                                i += k;
                                i += strspn(buf + i, " \t");
                                if (buf[i] == '=') {
                                        i++;
                                        col = (unsigned) (i + strspn(buf + i, " \t")) + 1;
                                }
                        }
                        break;
                }
                if (whole)
                        n++;
        }
        fclose(f);
        return col;
}

void log_diag_check(void *userdata, const OciDiag *d) {
        if (d->level > LOG_WARNING && d->level > max_level)
                return;
        const char *kind = d->level <= LOG_ERR ? "error" : d->level == LOG_WARNING ? "warning" : "note";
        if (d->file && d->line)
                printf("%s:%u:%u: %s: %s\n", d->file, d->line, value_column(d->file, d->line, d->key), kind, d->message);
        else if (d->file)
                printf("%s: %s: %s\n", d->file, kind, d->message);
        else
                printf("%s: %s\n", kind, d->message);
}
