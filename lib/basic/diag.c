/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>

#include "diag.h"

static int diag_va(OciDiagSink *sink, int level, const char *file, unsigned line, unsigned column, const char *key, const char *fmt,
                   va_list ap) _printf_(7, 0);
static int diag_va(OciDiagSink *sink, int level, const char *file, unsigned line, unsigned column, const char *key, const char *fmt,
                   va_list ap) {
        char *msg = xvasprintf(fmt, ap);

        if (level <= LOG_ERR)
                sink->n_errors++;
        else if (level == LOG_WARNING)
                sink->n_warnings++;

        if (sink->fn) {
                /* a file name or a quoted value with a line break must not make a second log line */
                StrBuf m = {}, f = {};
                if (msg)
                        oci_diag_quote(&m, msg, (size_t) -1);
                if (file)
                        oci_diag_quote(&f, file, (size_t) -1);
                OciDiag d = {
                        .level = level,
                        .file = file ? (f.s ? f.s : file) : NULL,
                        .line = line,
                        .column = line ? column : 0,
                        .key = key,
                        .message = m.s ? m.s : msg ? "" : "out of memory while formatting a message",
                };
                sink->fn(sink->userdata, &d);
                strbuf_done(&m);
                strbuf_done(&f);
        }
        free(msg);
        return level <= LOG_ERR ? -EINVAL : 0;
}

int oci_diag(OciDiagSink *sink, int level, const char *file, unsigned line, const char *key, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        int r = diag_va(sink, level, file, line, 0, key, fmt, ap);
        va_end(ap);
        return r;
}

int oci_diag_at(OciDiagSink *sink, int level, const char *file, unsigned line, unsigned column, const char *key, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        int r = diag_va(sink, level, file, line, column, key, fmt, ap);
        va_end(ap);
        return r;
}

int oci_diag_quote(StrBuf *b, const char *text, size_t max) {
        size_t n = strlen(text);
        bool cut = n > max;
        if (cut)
                n = max;
        for (size_t i = 0; i < n; i++) {
                unsigned char c = (unsigned char) text[i];
                /* a UTF-8 character is copied whole; a byte that starts none is shown as \xNN */
                size_t len = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
                int r;
                if (c < 0x20 || c == 0x7f || len == 0 || i + len > n || !utf8_is_valid_n(text + i, len))
                        r = strbuf_printf(b, "\\x%02x", c);
                else {
                        r = strbuf_putn(b, text + i, len);
                        i += len - 1;
                }
                if (r < 0)
                        return r;
        }
        return cut ? strbuf_puts(b, "...") : 0;
}
