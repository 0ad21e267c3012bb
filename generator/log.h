/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "diag.h"

typedef enum LogTarget {
        LOG_TARGET_CONSOLE,
        LOG_TARGET_KMSG,
        LOG_TARGET_JOURNAL,
        LOG_TARGET_JOURNAL_OR_KMSG,
        LOG_TARGET_AUTO,
        _LOG_TARGET_MAX,
} LogTarget;

/* Reads SYSTEMD_LOG_LEVEL and SYSTEMD_LOG_TARGET; 'by_systemd' picks journal-or-kmsg for auto. */
void log_setup(const char *ident, bool by_systemd);
int log_get_level(void);
/* The most verbose level told (LOG_ERR - 1: none), for a caller that reports itself. */
void log_set_level(int level);
const char *log_identifier(void);

/* A message to where messages go. file (may be NULL), line and column (0: none) are the place it
 * is about: "FILE:LINE: text" in the text, and in the journal's fields. */
void log_emit(int level, const char *file, unsigned line, unsigned column, const char *text);
/* The same with the message text made already (as it was logged before): --report. */
void log_emit_formatted(int level, const char *file, unsigned line, unsigned column, const char *message);
/* For --check: "FILE:LINE:COLUMN: error|warning|note: text" on standard output. */
void log_print_check(int level, const char *file, unsigned line, unsigned column, const char *text);
/* Where log_print_check() writes: stdout by default; --export=kube, whose stdout is YAML, stderr. */
void log_set_check_stream(FILE *f);
void log_msg(int level, const char *fmt, ...) _printf_(2, 3);

/* The fields of a journal entry: MESSAGE=, PRIORITY= (the level), SYSLOG_IDENTIFIER=, and for a
 * message about a file CONFIG_FILE=, with a line CONFIG_LINE=, with a column CONFIG_COLUMN=. */
#define LOG_FIELDS_MAX 6
typedef struct LogFields {
        char *field[LOG_FIELDS_MAX];
        size_t n;
} LogFields;
int log_journal_fields(LogFields *f, int level, const char *file, unsigned line, unsigned column, const char *message);
void log_fields_done(LogFields *f);
/* What sends an entry to the journal: sd_journal_sendv(), from libsystemd; the unit tests put
 * their own in its place (NULL: libsystemd's again). */
struct iovec;
typedef int LogJournalSendFn(const struct iovec *iov, int n);
void log_set_journal_send(LogJournalSendFn *fn);

/* A message that did not reach the journal although systemd ran the generator (journald was not
 * running yet, early at boot): kept, so that it can be told again once it runs (report.c). */
typedef struct LogRecord {
        int level;
        unsigned line, column;
        char *file;    /* NULL: none */
        char *message; /* as logged: "FILE:LINE: text" */
} LogRecord;
/* At most this many are kept; the rest are counted. */
#define LOG_RECORDS_MAX 10000u
const LogRecord *log_lost(size_t *ret_n, size_t *ret_dropped);
void log_lost_done(void);
