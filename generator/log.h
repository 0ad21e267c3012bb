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
/* The diagnostic sink of the library: "FILE:LINE: message". */
void log_diag(void *userdata, const OciDiag *d);
/* For --check: "FILE:LINE:COLUMN: error|warning: message" on standard output. */
void log_diag_check(void *userdata, const OciDiag *d);
void log_msg(int level, const char *fmt, ...) _printf_(2, 3);
