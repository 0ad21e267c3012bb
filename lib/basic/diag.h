/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <syslog.h>

#include "util.h"

/* The library never prints. Every problem it finds goes to a sink that the program installs. */
typedef struct OciDiag {
        int level;            /* LOG_ERR, LOG_WARNING, LOG_NOTICE, LOG_INFO, LOG_DEBUG */
        const char *file;     /* may be NULL */
        unsigned line;        /* 0 when not tied to a line */
        unsigned column;      /* where on the line, 1-based; 0 when the reporter does not know it */
        const char *key;      /* may be NULL */
        const char *message;
} OciDiag;

typedef void (*OciDiagFn)(void *userdata, const OciDiag *d);

typedef struct OciDiagSink {
        OciDiagFn fn;
        void *userdata;
        unsigned n_errors, n_warnings;
} OciDiagSink;

/* Reports and returns -EINVAL for LOG_ERR (so "return oci_diag(...)" reads naturally), 0 otherwise. */
int oci_diag(OciDiagSink *sink, int level, const char *file, unsigned line, const char *key, const char *fmt, ...)
        _printf_(6, 7);

/* The same, at a column of the line: where the value of an assignment starts. */
int oci_diag_at(OciDiagSink *sink, int level, const char *file, unsigned line, unsigned column, const char *key, const char *fmt, ...)
        _printf_(7, 8);

/* Appends 'text' to b, with control characters shown as \xNN: messages quote what the user wrote. */
int oci_diag_quote(StrBuf *b, const char *text, size_t max);
