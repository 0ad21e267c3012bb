/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The interface of ini.c. Not called ini.h: that is inih's header, and with lib/syntax on the
 * include path a file of ours by that name would hide it from every #include <ini.h>. */

#include <stdbool.h>

#include "diag.h"

/* What the reader finds, in the order of the text. Each callback returns 0 to go on, or a negative
 * errno to stop the reading, which oci_ini_parse() then returns; any of them may be NULL. */
typedef struct OciIniHandler {
        /* "[NAME]": the name as written between the brackets, and its line. */
        int (*section)(void *userdata, const char *name, unsigned line);
        /* "KEY=VALUE", both without the blanks around them. section is NULL before the first
         * header, key may be "" ("=VALUE"); line is the first physical line of a continued one,
         * column where the value starts on it, counted in bytes from 1. The keys under a header
         * without its ']' are not reported: nobody can say which section they belong to. */
        int (*assignment)(void *userdata, const char *section, const char *key, const char *value,
                          unsigned line, unsigned column);
        /* A line that breaks the syntax; nothing else is reported of that line. */
        int (*error)(void *userdata, unsigned line, const char *message);
} OciIniHandler;

/* Read INI text as Quadlet reads it (continuation lines, comment lines only, any line length, a
 * leading UTF-8 byte order mark) and tell handler what it holds, returning 0, -EINVAL if it reported
 * an error, -ENOMEM, or the errno a callback stopped with. */
int oci_ini_parse(const char *data, size_t size, const OciIniHandler *handler, void *userdata);

/* Read the regular file at path, of at most max bytes, into *ret (NUL-terminated, *ret_size bytes
 * before the NUL) without blocking on a FIFO or device, returning 0, -EINVAL once the problem has
 * gone to sink with the path, or -ENOMEM. */
int oci_ini_read_file(const char *path, size_t max, OciDiagSink *sink, char **ret, size_t *ret_size);
/* The same, of the file name in the directory dir_fd (AT_FDCWD: name is a path), path in the
 * messages. When regular, the caller knows it is a regular file (readdir() said so), and there is no
 * fstat(): a file past max bytes is refused once they are read. */
int oci_ini_read_file_at(int dir_fd, const char *name, bool regular, const char *path, size_t max, OciDiagSink *sink,
                         char **ret, size_t *ret_size);
