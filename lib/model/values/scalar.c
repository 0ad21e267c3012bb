/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Values of one item: free text, booleans, choices, names, paths, numbers, sizes, addresses and
 * port ranges. Each keeps the text as the user wrote it, save a path, which is made absolute. */
#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <strings.h>

#include "escape.h"
#include "host.h"
#include "internal.h"

/* One item holding a copy of text; returns it, or NULL when memory runs out. */
static OciItem *push_text(OciParse *p, const char *text) {
        return value_push(p, value_keep(p, text));
}

/* A single-valued row: the assignment replaces what an earlier one gave, in the same array. */
static void replace_earlier(OciParse *p) {
        p->out->n = 0;
}

static int parse_string(OciParse *p, const char *text) {
        return push_text(p, text) ? 0 : -ENOMEM;
}

/* The words Quadlet's LookupBoolean takes as true, and those it is meant to take as false (it takes
 * any other word as false too: here that is an error, and so are systemd's "y", "n", "t" and "f",
 * which Quadlet would read the other way for "y" and "t"). */
static int parse_boolean(const char *s) {
        static const char *const yes[] = { "1", "yes", "true", "on" };
        static const char *const no[] = { "0", "no", "false", "off" };
        for (size_t i = 0; i < ELEMENTSOF(yes); i++) {
                if (strcasecmp(s, yes[i]) == 0)
                        return 1;
                if (strcasecmp(s, no[i]) == 0)
                        return 0;
        }
        return -EINVAL;
}

static int parse_bool(OciParse *p, const char *text) {
        int b = parse_boolean(text);
        if (b < 0)
                return oci_parse_error(p, "%s", " takes a boolean: yes or no (also true/false, on/off, 1/0)");
        replace_earlier(p);
        OciItem *it = push_text(p, text);
        if (!it)
                return -ENOMEM;
        it->number = b;
        return 0;
}

static int parse_choice(OciParse *p, const char *text) {
        int r = oci_option_choice(p->id, text);
        /* a choice between yes, no and other words takes every boolean, as Quadlet's Notify= does */
        int b = r < 0 ? parse_boolean(text) : -1;
        if (b >= 0)
                r = oci_option_choice(p->id, b ? "yes" : "no");
        if (r < 0) {
                _cleanup_free_ char *list = oci_option_choices_join(p->id, ", ");
                return oci_parse_error(p, " takes one of: %s", list ? list : "?");
        }
        replace_earlier(p);
        OciItem *it = push_text(p, oci_str(oci_option_choices(value_option(p))[r]));
        if (!it)
                return -ENOMEM;
        it->number = r;
        return 0;
}

static bool valid_name(const char *s) {
        if (!*s || s[0] == '-')
                return false;
        /* the C locale's spaces but ' ' are control characters */
        for (const char *c = s; *c; c++)
                if (*c == ' ' || (unsigned char) *c < 0x20 || *c == 0x7f)
                        return false;
        return true;
}

int value_check_name(OciParse *p, const char *text) {
        /* the piece the parser was given holds no control character but a tab (parse_piece()) */
        size_t n = value_len(p, text);
        bool valid = text == p->piece ? n > 0 && text[0] != '-' && !memchr(text, ' ', n) && !memchr(text, '\t', n)
                                      : valid_name(text);
        if (!valid)
                return oci_parse_error(p, "%s", " must be one word without spaces or control characters, not starting with '-'");
        return 0;
}

static int parse_name(OciParse *p, const char *text) {
        const OciOption *o = value_option(p);
        int r = value_check_name(p, text);
        if (r < 0)
                return r;
        bool specifiers = !(o->flags & OCI_OPT_NO_SPECIFIERS);
        if ((o->flags & OCI_OPT_ENGINE_NAME) && !oci_engine_name_valid(text, specifiers)) {
                /* a name the generator does not use itself (it resolves at start) that starts as the
                 * engine's names do and cannot be taken for a path: Quadlet passes it, the engine
                 * refuses it at start */
                bool start = isalnum((unsigned char) text[0]) || (text[0] == '%' && text[1] && text[1] != '%') ||
                             oci_variable_at(text) > 0;
                if (!specifiers || !start || strchr(text, '/') || strstr(text, "..") || strlen(text) > OCI_ENGINE_NAME_MAX)
                        return oci_parse_error(p, " is not a name the engine takes: write 1 to %d letters, digits, '_', '.' and '-', "
                                               "starting with a letter or digit, without '/' or '..'", OCI_ENGINE_NAME_MAX);
                oci_parse_warning(p, " is not a name podman or docker takes (1 to %d letters, digits, '_', '.' and '-', starting "
                                  "with a letter or digit): the unit is written as Quadlet writes it, and the engine will refuse "
                                  "to start it", OCI_ENGINE_NAME_MAX);
        }
        return push_text(p, text) ? 0 : -ENOMEM;
}

bool value_is_path(const char *s) {
        return s[0] == '/' || (s[0] == '%' && s[1] && s[1] != '%');
}

int value_normalise_path(OciParse *p, const char *s, char **ret) {
        assert(s);
        assert(ret);
        if (value_is_path(s)) {
                if (s[0] == '/' && !path_is_normalized_absolute_dir(s))
                        return oci_parse_error(p, "%s", " must be a normalised absolute path (no '.', '..' or '//')");
                *ret = value_keep(p, s);
                return *ret ? 0 : -ENOMEM;
        }
        if (!(value_option(p)->flags & OCI_OPT_RELATIVE))
                return oci_parse_error(p, "%s", " must be an absolute path");

        const OciDefinition *d = value_definition(p);
        assert(d && d->dir);
        _cleanup_free_ char *dir = oci_exec_escape(d->dir);
        if (!dir)
                return -ENOMEM;
        /* leading ./ and ../ are taken against the definition's directory, never above "/" */
        const char *rest = s;
        for (;;) {
                const char *n;
                if ((n = startswith(rest, "./")))
                        rest = n;
                else if ((n = startswith(rest, "../"))) {
                        char *slash = strrchr(dir, '/');
                        if (slash && slash != dir)
                                *slash = 0;
                        else
                                strcpy(dir, "/");
                        rest = n;
                } else
                        break;
        }
        /* what is left is checked as an absolute path would be: "a/../b" is not normalised; a
         * trailing '/' is dropped, as Quadlet's filepath.Join() drops it */
        _cleanup_free_ char *tail = xasprintf("/%s", rest);
        if (!tail)
                return -ENOMEM;
        size_t tl = strlen(tail);
        while (tl > 1 && tail[tl - 1] == '/')
                tail[--tl] = 0;
        if (streq(tail, "/") || !path_is_normalized_absolute(tail))
                return oci_parse_error(p, "%s", " must be a normalised path (no '.', '..' or '//' after a leading ./ or ../)");
        /* with its trailing '/' gone, "a\/" would end in a backslash, which continues a unit's line */
        if (oci_ends_in_backslash(tail))
                return oci_parse_error(p, "%s", " would end in a backslash once its trailing '/' is dropped; remove the backslash");
        _cleanup_free_ char *joined = path_join(dir, tail + 1);
        *ret = joined ? value_strdup(p, joined) : NULL;
        return *ret ? 0 : -ENOMEM;
}

static int parse_path(OciParse *p, const char *text) {
        char *path = NULL;
        int r = value_normalise_path(p, text, &path);
        if (r < 0)
                return r;
        return value_push(p, path) ? 0 : -ENOMEM;
}

/* A value that refers to a variable of the service's environment is the engine's to judge, once
 * systemd has expanded it at start (Quadlet passes it as written); not one of the defaults file,
 * which the generator applies itself. */
static int push_variable(OciParse *p, const char *text, bool *ret_done) {
        *ret_done = !(value_option(p)->sections & OCI_IN(DEFAULTS)) && oci_has_variable(text);
        return *ret_done && !push_text(p, text) ? -ENOMEM : 0;
}

static int parse_int(OciParse *p, const char *text) {
        bool done;
        int r = push_variable(p, text, &done);
        if (r < 0 || done) {
                if (r >= 0)
                        p->out->items[p->out->n - 1].integer.variable = true;
                return r;
        }
        const char *digits = text[0] == '-' ? text + 1 : text;
        if (!*digits || strspn(digits, "0123456789") != strlen(digits) || strlen(digits) > 10)
                return oci_parse_error(p, "%s", " must be a whole number");
        OciItem *it = push_text(p, text);
        if (!it)
                return -ENOMEM;
        it->integer.value = strtoll(text, NULL, 10); /* at most 10 digits: no overflow */
        return 0;
}

/* A size as podman and docker read one (go-units' RAMInBytes): digits, with '.' and more digits,
 * then an optional blank, one of k, m, g, t, p (either case), an optional i, an optional b: 512m,
 * 128mb, 1.5GiB, 64 MB. Every unit is a power of 1024, as there. */
static bool size_parse(const char *s, uint64_t *ret) {
        const char *start = s;
        size_t n = strspn(s, "0123456789");
        if (n == 0 || n > 19)
                return false;
        s += n;
        while (s[0] == '.' && s[1] >= '0' && s[1] <= '9')
                s += 1 + strspn(s + 1, "0123456789");
        double number = strtod(start, NULL); /* the digits and the fraction just checked */
        if (*s == ' ')
                s++;
        static const char units[] = "kKmMgGtTpP";
        const char *unit = *s ? strchr(units, *s) : NULL;
        if (unit)
                s++;
        if (*s == 'i' || *s == 'I')
                s++;
        if (*s == 'b' || *s == 'B')
                s++;
        if (*s)
                return false;
        for (int shift = unit ? (int) ((unit - units) / 2) + 1 : 0; shift > 0; shift--)
                number *= 1024;
        /* go-units truncates a fraction of a byte; a size past 2^64 is the engine's to refuse */
        *ret = number < 1.8e19 ? (uint64_t) number : UINT64_MAX;
        return true;
}

static int parse_size(OciParse *p, const char *text) {
        bool done;
        int r = push_variable(p, text, &done);
        if (r < 0 || done) {
                if (r >= 0)
                        p->out->items[p->out->n - 1].size.variable = true;
                return r;
        }
        uint64_t bytes;
        if (!size_parse(text, &bytes))
                return oci_parse_error(p, "%s", " must be a size: a number with an optional unit (b, k, m, g, t or p; kb, "
                                       "mib...), for example 512m");
        OciItem *it = push_text(p, text);
        if (!it)
                return -ENOMEM;
        it->size.bytes = bytes;
        return 0;
}

static int parse_address(OciParse *p, const char *text) {
        bool done;
        int r = push_variable(p, text, &done);
        if (r < 0 || done)
                return r;
        bool v6;
        if (!value_valid_address(text, value_len(p, text), &v6))
                return oci_parse_error(p, "%s", " must be an IPv4 or IPv6 address, for example 127.0.0.1 or ::1");
        return push_text(p, text) ? 0 : -ENOMEM;
}

/* PORT[-PORT][/PROTO]: the ports go to port.host_lo and host_hi, as they are the host's. */
static int parse_port_range(OciParse *p, const char *text) {
        const char *slash = strchr(text, '/');
        size_t n = slash ? (size_t) (slash - text) : value_len(p, text);
        unsigned lo, hi;
        int proto = slash ? value_proto_from_string(slash + 1) : OCI_PROTO_TCP;
        if (value_parse_port_range(text, n, &lo, &hi) < 0 || proto < 0)
                return oci_parse_error(p, "%s", " is not PORT[-PORT][/tcp|udp|sctp], for example 8080 or 9000-9010/udp");
        OciItem *it = push_text(p, text);
        if (!it)
                return -ENOMEM;
        it->port.host_lo = lo;
        it->port.host_hi = hi;
        it->port.proto = (OciProto) proto;
        it->port.proto_given = slash != NULL;
        return 0;
}

/* A UID or GID: a decimal number as written, or a name the host's account database resolves now,
 * for an engine that takes numbers only. */
static int parse_id(OciParse *p, const char *text, bool group) {
        const char *what = group ? "group" : "user";
        size_t digits = strspn(text, "0123456789");
        if (digits && !text[digits]) {
                /* Quadlet would read a leading 0 as octal */
                if (text[0] == '0' && text[1])
                        return oci_parse_error(p, " is a %s ID with a leading 0; write it without (a decimal number)", what);
                if (digits > 10 || strtoull(text, NULL, 10) >= UINT32_MAX)
                        return oci_parse_error(p, " is not a %s ID: the largest is 4294967294", what);
                return push_text(p, text) ? 0 : -ENOMEM;
        }
        int r = value_check_name(p, text);
        if (r < 0)
                return r;
        const OciHost *host = p->host ? p->host : &oci_host_system;
        unsigned id;
        _cleanup_free_ char *home = NULL;
        r = group ? host->group(text, &id) : host->user(text, &id, &home);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return oci_parse_error(p, ": there is no %s '%s' on this system; write an existing %s's name, or a number",
                                       what, text, what);
        char number[16];
        snprintf(number, sizeof(number), "%u", id);
        return push_text(p, number) ? 0 : -ENOMEM;
}

static int parse_uid(OciParse *p, const char *text) {
        return parse_id(p, text, false);
}

static int parse_gid(OciParse *p, const char *text) {
        return parse_id(p, text, true);
}

const OciValueType value_type_string = { .name = "string", .parse = parse_string };
const OciValueType value_type_bool = { .name = "boolean", .parse = parse_bool };
const OciValueType value_type_choice = { .name = "choice", .parse = parse_choice };
const OciValueType value_type_name = { .name = "name", .parse = parse_name };
const OciValueType value_type_path = { .name = "path", .parse = parse_path };
const OciValueType value_type_int = { .name = "integer", .parse = parse_int };
const OciValueType value_type_size = { .name = "size", .parse = parse_size };
const OciValueType value_type_address = { .name = "address", .parse = parse_address };
const OciValueType value_type_port_range = { .name = "port range", .parse = parse_port_range };
const OciValueType value_type_uid = { .name = "user name or UID", .parse = parse_uid };
const OciValueType value_type_gid = { .name = "group name or GID", .parse = parse_gid };
