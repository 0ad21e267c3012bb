/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The second pass: every raw assignment is checked against its row's type and normalised into
 * items that rendering can use as they are. Items of rows without OCI_OPT_NO_SPECIFIERS are in
 * "specifier form" (a literal '%' is "%%"), ready for a unit file. */
#include <arpa/inet.h>
#include <ctype.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "escape.h"
#include "model.h"
#include "render.h"

typedef struct Check {
        const OciValidateContext *ctx;
        OciDefinition *d;
        OciOptionId id;
        const char *file;
        unsigned line;
        const char *value;
} Check;

static int check_error(Check *c, const char *fmt, ...) _printf_(2, 3);
static int check_derived_name(OciDefinition *d, const OciValidateContext *ctx, const char *name, OciOptionId key);
static int check_error(Check *c, const char *fmt, ...) {
        StrBuf b = {};
        va_list ap;
        va_start(ap, fmt);
        _cleanup_free_ char *msg = xvasprintf(fmt, ap);
        va_end(ap);
        strbuf_printf(&b, "%s=%s", oci_options[c->id].key, msg ? msg : " is invalid");
        if (!isempty(c->value)) {
                strbuf_puts(&b, " (value '");
                oci_diag_quote(&b, c->value, 200);
                strbuf_puts(&b, "')");
        }
        oci_diag(c->ctx->sink, LOG_ERR, c->file, c->line, oci_options[c->id].key, "%s", b.s ? b.s : "invalid value");
        strbuf_done(&b);
        return -EINVAL;
}

static bool has_control_chars(const char *s) {
        for (const unsigned char *c = (const unsigned char *) s; *c; c++)
                if (*c < 0x20 && *c != '\t')
                        return true;
        return *s && strchr(s, 0x7f);
}

static int check_specifiers(Check *c, const char *s) {
        if (oci_options[c->id].flags & OCI_OPT_NO_SPECIFIERS)
                return 0;
        char bad;
        if (oci_specifiers_valid(s, &bad)) {
                return 0;
        }
        if (!bad)
                return check_error(c, "%s", " ends in a lone '%'; write '%%' for a literal '%'");
        return check_error(c, " has '%%%c', which is not a systemd specifier; write '%%%%' for a literal '%%'", bad);
}

static int parse_boolean(const char *s) {
        static const char *const yes[] = { "1", "yes", "y", "true", "t", "on" };
        static const char *const no[] = { "0", "no", "n", "false", "f", "off" };
        for (size_t i = 0; i < ELEMENTSOF(yes); i++) {
                if (strcasecmp(s, yes[i]) == 0)
                        return 1;
                if (strcasecmp(s, no[i]) == 0)
                        return 0;
        }
        return -EINVAL;
}

static bool is_path(const char *s) {
        /* absolute, or starting with a specifier that systemd resolves to an absolute path */
        return s[0] == '/' || (s[0] == '%' && s[1] && s[1] != '%');
}

/* An absolute path: normalised, or relative to the definition's directory when the row allows. */
static int normalise_path(Check *c, const char *s, char **ret) {
        if (is_path(s)) {
                if (s[0] == '/' && !path_is_normalized_absolute(s))
                        return check_error(c, "%s", " must be a normalised absolute path (no '.', '..' or '//')");
                *ret = strdup(s);
                return *ret ? 0 : -ENOMEM;
        }
        if (!(oci_options[c->id].flags & OCI_OPT_RELATIVE))
                return check_error(c, "%s", " must be an absolute path");
        const char *rest = s;
        _cleanup_free_ char *dir = oci_specifier_escape(c->d->dir);
        if (!dir)
                return -ENOMEM;
        /* resolve leading ./ and ../ against the definition's directory */
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
        /* what is left is checked as an absolute path would be: "a/../b" or "a/" is not normalised */
        _cleanup_free_ char *tail = xasprintf("/%s", rest);
        if (!tail)
                return -ENOMEM;
        if (streq(tail, "/") || !path_is_normalized_absolute(tail))
                return check_error(c, "%s", " must be a normalised path (no '.', '..', '//' or trailing '/' after a leading ./ or ../)");
        *ret = path_join(dir, rest);
        return *ret ? 0 : -ENOMEM;
}

static bool valid_name(const char *s) {
        if (!*s || s[0] == '-')
                return false;
        for (const char *p = s; *p; p++)
                if (isspace((unsigned char) *p) || (unsigned char) *p < 0x20 || *p == 0x7f)
                        return false;
        return true;
}

static int parse_port_range(const char *s, size_t n, unsigned *lo, unsigned *hi) {
        char buf[16];
        if (n == 0 || n >= sizeof(buf))
                return -EINVAL;
        memcpy(buf, s, n);
        buf[n] = 0;
        char *dash = strchr(buf, '-');
        if (dash)
                *dash = 0;
        const char *parts[2] = { buf, dash ? dash + 1 : buf };
        unsigned v[2];
        for (int i = 0; i < 2; i++) {
                const char *p = parts[i];
                if (!*p || strlen(p) > 5)
                        return -EINVAL;
                unsigned x = 0;
                for (; *p; p++) {
                        if (*p < '0' || *p > '9')
                                return -EINVAL;
                        x = x * 10 + (unsigned) (*p - '0');
                }
                if (x < 1 || x > 65535)
                        return -EINVAL;
                v[i] = x;
        }
        if (dash && v[0] >= v[1])
                return -EINVAL; /* a range ends above its start */
        *lo = v[0];
        *hi = v[1];
        return 0;
}

static bool valid_address(const char *s, size_t n, bool *ret_v6) {
        char buf[INET6_ADDRSTRLEN + 1];
        unsigned char out[16];
        if (n == 0 || n >= sizeof(buf))
                return false;
        memcpy(buf, s, n);
        buf[n] = 0;
        if (inet_pton(AF_INET, buf, out) == 1) {
                *ret_v6 = false;
                return true;
        }
        if (inet_pton(AF_INET6, buf, out) == 1) {
                *ret_v6 = true;
                return true;
        }
        return false;
}

static int check_port(Check *c, char ***items) {
        static const char hint[] = " is not [IP:][HOSTPORT:]CONTAINERPORT[/tcp|udp|sctp]; "
                                   "for example 8080:80, 127.0.0.1:8080:80 or [::1]:8080:80/udp";
        const char *s = c->value;
        const char *slash = strrchr(s, '/');
        size_t main_len = slash ? (size_t) (slash - s) : strlen(s);
        if (slash && !streq(slash + 1, "tcp") && !streq(slash + 1, "udp") && !streq(slash + 1, "sctp"))
                return check_error(c, "%s", hint);

        const char *ip = NULL, *p = s;
        size_t ip_len = 0;
        bool v6 = false;
        if (*p == '[') {
                const char *close = memchr(p, ']', main_len);
                if (!close || close[1] != ':')
                        return check_error(c, "%s", hint);
                ip = p + 1;
                ip_len = (size_t) (close - ip);
                if (!valid_address(ip, ip_len, &v6) || !v6)
                        return check_error(c, "%s", hint);
                p = close + 2;
        }
        size_t rest = main_len - (size_t) (p - s);
        /* split the rest on ':' into at most three fields */
        const char *f[3];
        size_t fl[3], nf = 0;
        const char *q = p, *end = p + rest;
        while (nf < 3) {
                const char *colon = memchr(q, ':', (size_t) (end - q));
                f[nf] = q;
                fl[nf] = colon ? (size_t) (colon - q) : (size_t) (end - q);
                nf++;
                if (!colon)
                        break;
                q = colon + 1;
                if (nf == 3)
                        return check_error(c, "%s", hint);
        }
        if (!ip && nf == 3) {
                ip = f[0];
                ip_len = fl[0];
                if (ip_len > 0 && (!valid_address(ip, ip_len, &v6) || v6))
                        return check_error(c, "%s", hint);
                f[0] = f[1];
                fl[0] = fl[1];
                f[1] = f[2];
                fl[1] = fl[2];
                nf = 2;
        } else if (ip && nf > 2)
                return check_error(c, "%s", hint);
        else if (ip && nf == 1) {
                /* "[::1]:80" means host address and container port; host port chosen by the engine */
                f[1] = f[0];
                fl[1] = fl[0];
                f[0] = "";
                fl[0] = 0;
                nf = 2;
        }

        unsigned clo, chi, hlo = 0, hhi = 0;
        const char *ctr = f[nf - 1]; /* runs to the end of the value: the protocol comes along */
        if (parse_port_range(ctr, fl[nf - 1], &clo, &chi) < 0)
                return check_error(c, "%s", hint);
        bool host_given = nf == 2 && fl[0] > 0;
        if (host_given && parse_port_range(f[0], fl[0], &hlo, &hhi) < 0)
                return check_error(c, "%s", hint);
        if (host_given && (hhi - hlo != chi - clo))
                return check_error(c, "%s", ": the host and container port ranges must be of the same length");

        /* an address field that is empty, or none at all: [Defaults] PublishAddress= */
        const char *def = c->ctx->defaults ? oci_value_str(c->ctx->defaults, OCI_OPT_PUBLISH_ADDRESS) : NULL;
        _cleanup_free_ char *addr = NULL;
        if (ip_len > 0)
                addr = v6 ? xasprintf("[%.*s]", (int) ip_len, ip) : strndup(ip, ip_len);
        else if (def)
                addr = strchr(def, ':') ? xasprintf("[%s]", def) : strdup(def);
        else if (ip)
                return check_error(c, "%s", ": the address before the host port is empty; leave out the ':' or name an address");
        if ((ip_len > 0 || def) && !addr)
                return -ENOMEM;

        /* written out in full, "ADDRESS:HOSTPORT:CONTAINERPORT", as every podman version reads it */
        const char *host = host_given ? f[0] : "";
        size_t host_len = host_given ? fl[0] : 0;
        if (addr)
                return strv_push(items, xasprintf("%s:%.*s:%s", addr, (int) host_len, host, ctr));
        if (host_given)
                return strv_push(items, xasprintf("%.*s:%s", (int) host_len, host, ctr));
        return strv_extend(items, ctr);
}

static const char *const capability_names[] = {
        "chown", "dac_override", "dac_read_search", "fowner", "fsetid", "kill", "setgid", "setuid", "setpcap",
        "linux_immutable", "net_bind_service", "net_broadcast", "net_admin", "net_raw", "ipc_lock", "ipc_owner",
        "sys_module", "sys_rawio", "sys_chroot", "sys_ptrace", "sys_pacct", "sys_admin", "sys_boot", "sys_nice",
        "sys_resource", "sys_time", "sys_tty_config", "mknod", "lease", "audit_write", "audit_control", "setfcap",
        "mac_override", "mac_admin", "syslog", "wake_alarm", "block_suspend", "audit_read", "perfmon", "bpf",
        "checkpoint_restore",
};

static int check_caps(Check *c, char ***items) {
        _cleanup_strv_free_ char **words = NULL;
        if (strv_split(c->value, " \t", false, &words) < 0)
                return -ENOMEM;
        for (char **wp = words; *wp; wp++) {
                char *w = *wp;
                for (char *x = w; *x; x++)
                        *x = (char) tolower((unsigned char) *x);
                const char *bare = startswith(w, "cap_") ? w + 4 : w;
                if (streq(bare, "all")) {
                        if (strv_extend(items, "all") < 0)
                                return -ENOMEM;
                        continue;
                }
                bool known = false;
                for (size_t i = 0; i < ELEMENTSOF(capability_names); i++)
                        known = known || streq(bare, capability_names[i]);
                if (!known) {
                        Check sub = *c;
                        sub.value = NULL;
                        return check_error(&sub, ": '%s' is not a capability (for example NET_ADMIN, CAP_SYS_TIME or all)", w);
                }
                if (strv_extendf(items, "cap_%s", bare) < 0)
                        return -ENOMEM;
        }
        return 0;
}

static int check_device(Check *c, char ***items) {
        const char *s = c->value;
        bool optional = s[0] == '-';
        if (optional)
                s++;
        _cleanup_strv_free_ char **parts = NULL;
        if (strv_split(s, ":", true, &parts) < 0)
                return -ENOMEM;
        size_t np = strv_length(parts);
        static const char hint[] = " is not [-]HOSTDEVICE[:CONTAINERDEVICE][:PERMISSIONS], for example /dev/fuse or /dev/sdc:/dev/xvdc:rwm";
        if (np > 3 || !path_is_normalized_absolute(parts[0]))
                return check_error(c, "%s", hint);
        for (size_t i = 1; i < np; i++) {
                bool last = i == np - 1;
                if (parts[i][0] == '/') {
                        if (i != 1 || !path_is_normalized_absolute(parts[i]))
                                return check_error(c, "%s", hint);
                } else if (!last || !*parts[i] || strspn(parts[i], "rwm") != strlen(parts[i]))
                        return check_error(c, "%s", hint);
        }
        if (optional) {
                struct stat st;
                if (stat(parts[0], &st) < 0) {
                        oci_diag(c->ctx->sink, LOG_DEBUG, c->file, c->line, oci_options[c->id].key,
                                 "optional device %s does not exist, leaving it out", parts[0]);
                        return 0;
                }
        }
        return strv_extend(items, s);
}

static int check_volume(Check *c, char ***items) {
        const char *s = c->value;
        static const char hint[] = " is not [SOURCE:]DESTINATION[:OPTIONS] with an absolute DESTINATION";
        const char *c1 = strchr(s, ':');
        const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (c2 && strchr(c2 + 1, ':'))
                return check_error(c, "%s", hint);
        if (!c1) {
                if (!is_path(s))
                        return check_error(c, "%s", hint);
                return strv_extend(items, s);
        }
        _cleanup_free_ char *src = strndup(s, (size_t) (c1 - s));
        _cleanup_free_ char *dst = c2 ? strndup(c1 + 1, (size_t) (c2 - c1 - 1)) : strdup(c1 + 1);
        if (!src || !dst)
                return -ENOMEM;
        if (!is_path(dst) || (dst[0] == '/' && !path_is_normalized_absolute(dst)))
                return check_error(c, "%s", hint);
        if (c2 && !c2[1])
                return check_error(c, "%s", ": empty OPTIONS after the last ':'");

        _cleanup_free_ char *resolved = NULL;
        if (!*src)
                return check_error(c, "%s", hint);
        if (is_path(src) || startswith(src, "./") || startswith(src, "../") || streq(src, ".")) {
                if (streq(src, "."))
                        resolved = oci_specifier_escape(c->d->dir);
                else {
                        int r = normalise_path(c, src, &resolved);
                        if (r < 0)
                                return r;
                }
                if (!resolved)
                        return -ENOMEM;
        } else if (endswith(src, ".image")) {
                return check_error(c, ": '%s' refers to an .image definition, which this version does not support yet", src);
        } else if (endswith(src, ".volume") && src[0] != '.') {
                resolved = strdup(src); /* a definition: resolved with the others, in check_references() */
                if (!resolved)
                        return -ENOMEM;
        } else {
                if (!isalnum((unsigned char) src[0]) || strspn(src, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") != strlen(src))
                        return check_error(c, "%s", ": a named volume's name is letters, digits, '_', '.' and '-'; a path must be absolute or start with ./");
                /* [Defaults] VolumeBaseDir=: a named volume is a directory of the host, made on start */
                const char *base = c->ctx->defaults ? oci_value_str(c->ctx->defaults, OCI_OPT_VOLUME_BASE_DIR) : NULL;
                if (base) {
                        const OciValue *sv = &c->d->values[OCI_OPT_VOLUME_SUB_DIR];
                        const char *sub = sv->n_entries ? sv->entries[sv->n_entries - 1].value : NULL;
                        if (sub && (strchr(sub, '/') || streq(sub, "..") || streq(sub, ".")))
                                return check_error(c, "%s", ": VolumeSubDir= must be a single directory name");
                        _cleanup_free_ char *lit = xasprintf("%s/%s/%s", base, sub ? sub : c->d->name, src);
                        resolved = lit ? oci_specifier_escape(lit) : NULL;
                        if (!resolved || strv_extend(&c->d->create_dirs, resolved) < 0)
                                return -ENOMEM;
                } else
                        resolved = strdup(src);
                if (!resolved)
                        return -ENOMEM;
        }
        return strv_push(items, c2 ? xasprintf("%s:%s%s", resolved, dst, c2) : xasprintf("%s:%s", resolved, dst));
}

static int check_keyvalue(Check *c, const char *const *words, char ***items) {
        for (size_t i = 0; words[i]; i++) {
                const char *eq = strchr(words[i], '=');
                if (!eq || eq == words[i]) {
                        Check sub = *c;
                        sub.value = NULL;
                        return check_error(&sub, ": '%s' is not KEY=VALUE (quote a value with spaces: \"KEY=a b\")", words[i]);
                }
                for (const char *k = words[i]; k < eq; k++)
                        if (isspace((unsigned char) *k) || (unsigned char) *k < 0x20) {
                                Check sub = *c;
                                sub.value = NULL;
                                return check_error(&sub, ": the key of '%s' may not hold spaces or control characters", words[i]);
                        }
                /* a later assignment of the same key replaces the earlier one */
                size_t klen = (size_t) (eq - words[i]) + 1;
                for (size_t j = 0; items && (*items) && (*items)[j]; j++)
                        if (strncmp((*items)[j], words[i], klen) == 0) {
                                free((*items)[j]);
                                size_t n = strv_length(*items);
                                memmove(&(*items)[j], &(*items)[j + 1], (n - j) * sizeof(char *));
                                break;
                        }
                if (strv_extend(items, words[i]) < 0)
                        return -ENOMEM;
        }
        return 0;
}

static int check_entry(Check *c, OciValue *v) {
        const OciOption *o = &oci_options[c->id];
        const char *s = c->value;
        int r;

        if (!oci_unit_value_is_safe(s))
                return check_error(c, "%s", " holds a line break");
        if (o->type != OCI_TYPE_WORDS && o->type != OCI_TYPE_KEYVALUE && has_control_chars(s))
                return check_error(c, "%s", " holds control characters");
        r = check_specifiers(c, s);
        if (r < 0)
                return r;

        switch (o->type) {
        case OCI_TYPE_STRING:
                return strv_extend(&v->items, s);
        case OCI_TYPE_BOOL:
                r = parse_boolean(s);
                if (r < 0)
                        return check_error(c, "%s", " takes a boolean: yes or no (also true/false, on/off, 1/0)");
                v->boolean = r;
                return 0;
        case OCI_TYPE_CHOICE: {
                r = oci_option_choice(c->id, s);
                if (r < 0) {
                        _cleanup_free_ char *list = strv_join((char *const *) o->choices, ", ");
                        return check_error(c, " takes one of: %s", list ? list : "?");
                }
                v->choice = r;
                strv_free(v->items);
                v->items = NULL;
                return strv_extend(&v->items, s);
        }
        case OCI_TYPE_WORDS:
        case OCI_TYPE_KEYVALUE: {
                _cleanup_strv_free_ char **words = NULL;
                const char *err = NULL;
                r = oci_split_words(s, &words, &err);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        return check_error(c, ": %s", err);
                for (size_t i = 0; words[i]; i++) {
                        if (!utf8_is_valid_n(words[i], strlen(words[i])))
                                return check_error(c, "%s", ": an escape sequence makes the value invalid UTF-8");
                        /* an escape such as \x25 can make a '%' the raw text did not show */
                        r = check_specifiers(c, words[i]);
                        if (r < 0)
                                return r;
                }
                if (o->type == OCI_TYPE_KEYVALUE)
                        return check_keyvalue(c, (const char *const *) words, &v->items);
                if (!(o->flags & OCI_OPT_LIST)) {
                        strv_free(v->items);
                        v->items = NULL;
                }
                return strv_move(&v->items, &words);
        }
        case OCI_TYPE_PATH: {
                char *p = NULL;
                r = normalise_path(c, s, &p);
                if (r < 0)
                        return r;
                return strv_push(&v->items, p);
        }
        case OCI_TYPE_PORT:
                return check_port(c, &v->items);
        case OCI_TYPE_PORT_RANGE: {
                const char *slash = strchr(s, '/');
                size_t n = slash ? (size_t) (slash - s) : strlen(s);
                unsigned lo, hi;
                if (parse_port_range(s, n, &lo, &hi) < 0 ||
                    (slash && !streq(slash + 1, "tcp") && !streq(slash + 1, "udp") && !streq(slash + 1, "sctp")))
                        return check_error(c, "%s", " is not PORT[-PORT][/tcp|udp|sctp], for example 8080 or 9000-9010/udp");
                return strv_extend(&v->items, s);
        }
        case OCI_TYPE_VOLUME:
                return check_volume(c, &v->items);
        case OCI_TYPE_MOUNTPOINT: {
                size_t n = strcspn(s, ":");
                _cleanup_free_ char *dst = strndup(s, n);
                if (!dst)
                        return -ENOMEM;
                if (!is_path(dst) || (dst[0] == '/' && !path_is_normalized_absolute(dst)) || (s[n] && !s[n + 1]))
                        return check_error(c, "%s", " is not an absolute PATH[:OPTIONS]");
                return strv_extend(&v->items, s);
        }
        case OCI_TYPE_CAPS:
                return check_caps(c, &v->items);
        case OCI_TYPE_DEVICE:
                return check_device(c, &v->items);
        case OCI_TYPE_NAME:
                if (!valid_name(s))
                        return check_error(c, "%s", " must be one word without spaces or control characters, not starting with '-'");
                if ((o->flags & OCI_OPT_ENGINE_NAME) && !oci_engine_name_valid(s, !(o->flags & OCI_OPT_NO_SPECIFIERS)))
                        return check_error(c, " is not a name the engine takes: write 1 to %d letters, digits, '_', '.' and '-', "
                                           "starting with a letter or digit, without '/' or '..'", OCI_ENGINE_NAME_MAX);
                return strv_extend(&v->items, s);
        case OCI_TYPE_UNITS:
        case OCI_TYPE_REFS: {
                _cleanup_strv_free_ char **words = NULL;
                if (strv_split(s, " \t", false, &words) < 0)
                        return -ENOMEM;
                for (char **wp = words; *wp; wp++) {
                        char *w = *wp;
                        if (o->type == OCI_TYPE_UNITS ? !oci_unit_name_valid(w) : !oci_unit_prefix_valid(w)) {
                                Check sub = *c;
                                sub.value = NULL;
                                return check_error(&sub, o->type == OCI_TYPE_UNITS
                                                                 ? ": '%s' is not a unit name (for example multi-user.target)"
                                                                 : ": '%s' is not the name of a definition (NAME or NAME.container)",
                                                   w);
                        }
                        if (!strv_contains(v->items, w) && strv_extend(&v->items, w) < 0)
                                return -ENOMEM;
                }
                return 0;
        }
        case OCI_TYPE_INT: {
                const char *p = s[0] == '-' ? s + 1 : s;
                if (!*p || strspn(p, "0123456789") != strlen(p) || strlen(p) > 10)
                        return check_error(c, "%s", " must be a whole number");
                return strv_extend(&v->items, s);
        }
        case OCI_TYPE_SIZE: {
                size_t digits = strspn(s, "0123456789");
                if (digits == 0 || digits > 19 || (s[digits] && (s[digits + 1] || !strchr("bBkKmMgG", s[digits]))))
                        return check_error(c, "%s", " must be a size: a number with an optional b, k, m or g suffix, for example 512m");
                return strv_extend(&v->items, s);
        }
        case OCI_TYPE_ADDRESS: {
                bool v6;
                if (!valid_address(s, strlen(s), &v6))
                        return check_error(c, "%s", " must be an IPv4 or IPv6 address, for example 127.0.0.1 or ::1");
                return strv_extend(&v->items, s);
        }
        case _OCI_TYPE_MAX:
        default:
                return -EINVAL;
        }
}

static int validate_values(OciDefinition *d, const OciValidateContext *ctx) {
        int ret = 0;
        d->create_dirs = strv_free(d->create_dirs);
        for (size_t i = 0; i < _OCI_OPT_MAX; i++) {
                OciValue *v = &d->values[i];
                const OciOption *o = &oci_options[i];
                strv_free(v->items);
                v->items = NULL;
                v->boolean = v->choice = -1;
                Check c = { .ctx = ctx, .d = d, .id = (OciOptionId) i };
                for (size_t k = 0; k < v->n_entries; k++) {
                        c.file = d->sources ? d->sources[v->entries[k].source] : d->path;
                        c.line = v->entries[k].line;
                        c.value = v->entries[k].value;
                        int r = check_entry(&c, v);
                        if (r == -ENOMEM)
                                return r;
                        if (r < 0)
                                ret = r;
                }
                if (v->n_entries == 0 && o->default_value) {
                        c.file = d->path;
                        c.line = 0;
                        c.value = o->default_value;
                        int r = check_entry(&c, v);
                        if (r < 0)
                                return r; /* a default that does not pass its own check is a bug */
                }
                if (o->type == OCI_TYPE_KEYVALUE)
                        strv_sort(v->items);
        }
        return ret;
}

int oci_key_diag(OciDiagSink *sink, int level, const OciDefinition *d, OciOptionId id, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        _cleanup_free_ char *rest = xvasprintf(fmt, ap);
        va_end(ap);
        return oci_diag(sink, level, OCI_AT(d, &d->values[id]), oci_options[id].key, "%s=%s", oci_options[id].key,
                        rest ? rest : "");
}

unsigned oci_value_line(const OciValue *v) {
        return v->n_entries ? v->entries[v->n_entries - 1].line : 0;
}

const char *oci_value_file(const OciDefinition *d, const OciValue *v) {
        if (!v->n_entries || !d->sources)
                return d->path;
        return d->sources[v->entries[v->n_entries - 1].source];
}

const char *oci_value_str(const OciDefinition *d, OciOptionId id) {
        char **items = d->values[id].items;
        return items ? items[0] : NULL;
}

char *const *oci_value_items(const OciDefinition *d, OciOptionId id) {
        static char *const empty[] = { NULL };
        return d->values[id].items ? d->values[id].items : empty;
}

int oci_value_bool(const OciDefinition *d, OciOptionId id) {
        return d->values[id].boolean;
}

int oci_validate_defaults(OciDefaults *d, OciDiagSink *sink) {
        OciValidateContext ctx = { .sink = sink };
        return validate_values(d, &ctx);
}

/* A short name is resolved through registries.conf: it may ask, or find another image. */
static bool image_is_short_name(const char *image) {
        if (strchr(image, '%'))
                return false; /* made by specifiers: cannot judge */
        size_t first = strcspn(image, "/");
        if (!image[first])
                return true;
        return !memchr(image, '.', first) && !memchr(image, ':', first) && strncmp(image, "localhost", first) != 0;
}

/* Legal, but almost certainly not what was meant: say so. */
static void warn_probable_mistakes(const OciDefinition *d, const OciValidateContext *ctx) {
        const char *image = oci_value_str(d, OCI_OPT_IMAGE);
        const OciBackend *be = oci_backend_get(d->backend);
        if (image && be && be->oci && image_is_short_name(image) && !endswith(image, ".image") && !endswith(image, ".build"))
                oci_key_diag(ctx->sink, LOG_WARNING, d, OCI_OPT_IMAGE, "%s is a short name: the engine picks the registry (and may ask); "
                         "write the full name, for example docker.io/library/%s", image, image);
        for (size_t i = 0; i < d->n_pass; i++) {
                const OciPassLine *l = &d->pass[i];
                const char *file = d->sources ? d->sources[l->source] : d->path;
                if (l->section != OCI_SECTION_SERVICE)
                        continue;
                if (streq(l->key, "User") && !d->user)
                        oci_diag(ctx->sink, LOG_WARNING, file, l->line, l->key,
                                 "User= in [Service] runs the engine itself as that user, which needs a rootless "
                                 "set-up; User= in [Container] sets the user inside the container");
        }
}

static int exclusive(const OciValidateContext *ctx, const OciDefinition *d, OciOptionId a, OciOptionId b);

/* RunAs=USER[:GROUP]: the account must exist now; rootless podman also wants subordinate IDs. */
static int resolve_run_as(OciDefinition *d, const OciValidateContext *ctx) {
        const char *spec = oci_value_str(d, OCI_OPT_RUN_AS);
        if (!spec)
                return 0;
        if (d->user)
                return oci_key_diag(ctx->sink, LOG_ERR, d, OCI_OPT_RUN_AS, " is for system units; a user's units already run as that user");
        _cleanup_free_ char *user = strndup(spec, strcspn(spec, ":"));
        const char *group = strchr(spec, ':') ? strchr(spec, ':') + 1 : NULL;
        if (!user)
                return -ENOMEM;
        struct passwd *pw = getpwnam(user);
        if (!pw)
                return oci_key_diag(ctx->sink, LOG_ERR, d, OCI_OPT_RUN_AS, "%s: there is no user '%s' on this system", spec, user);
        if (group && !getgrnam(group))
                return oci_key_diag(ctx->sink, LOG_ERR, d, OCI_OPT_RUN_AS, "%s: there is no group '%s' on this system", spec, group);
        if (pw->pw_uid == 0 && !group)
                return 0; /* root: the engine runs as it always does */
        d->run_as.uid = (unsigned) pw->pw_uid;
        if (!(d->run_as.user = strdup(user)) || (group && !(d->run_as.group = strdup(group))) ||
            (pw->pw_dir && !(d->run_as.home = strdup(pw->pw_dir))))
                return -ENOMEM;
        if (d->backend != OCI_BACKEND_PODMAN)
                return 0;

        /* rootless podman maps the container's users to the account's subordinate range */
        bool found = false;
        FILE *f = fopen("/etc/subuid", "re");
        char line[512], uidstr[16];
        snprintf(uidstr, sizeof(uidstr), "%u", d->run_as.uid);
        while (f && !found && fgets(line, sizeof(line), f)) {
                size_t n = strcspn(line, ":");
                found = (n == strlen(user) && strncmp(line, user, n) == 0) || (n == strlen(uidstr) && strncmp(line, uidstr, n) == 0);
        }
        if (f)
                fclose(f);
        if (!found)
                oci_key_diag(ctx->sink, LOG_WARNING, d, OCI_OPT_RUN_AS, "%s: the user has no range in /etc/subuid, which rootless podman needs "
                         "(usermod --add-subuids and --add-subgids)", spec);
        char linger[512];
        snprintf(linger, sizeof(linger), "/var/lib/systemd/linger/%s", user);
        bool lingers = access(linger, F_OK) == 0;
        const char *notify = oci_value_str(d, OCI_OPT_NOTIFY);
        /* an invalid Notify= was reported already and has no item */
        if (streq_ptr(notify, "healthy") && !lingers)
                oci_key_diag(ctx->sink, LOG_WARNING, d, OCI_OPT_RUN_AS, "%s with Notify=healthy needs the user's service manager: turn lingering on "
                         "(loginctl enable-linger %s)", spec, user);
        else if (streq_ptr(notify, "conmon") && lingers)
                oci_key_diag(ctx->sink, LOG_WARNING, d, OCI_OPT_RUN_AS, "%s: lingering is on for the user, so its own service manager may take over the "
                         "container's cgroup; Notify=conmon is known to misbehave then", spec);
        return 0;
}

/* What the NixOS and Guix modules check, and the [Login] section. */
static int check_seed_rules(OciDefinition *d, const OciValidateContext *ctx) {
        int ret = 0;
        if (d->values[OCI_OPT_IMAGE_FILE].n_entries && d->values[OCI_OPT_IMAGE_STREAM].n_entries)
                ret = exclusive(ctx, d, OCI_OPT_IMAGE_STREAM, OCI_OPT_IMAGE_FILE);
        if (d->values[OCI_OPT_LOG_FILE].n_entries && d->values[OCI_OPT_LOG_DRIVER].n_entries)
                ret = exclusive(ctx, d, OCI_OPT_LOG_FILE, OCI_OPT_LOG_DRIVER);

        static const OciOptionId login[] = { OCI_OPT_LOGIN_REGISTRY, OCI_OPT_LOGIN_USERNAME, OCI_OPT_LOGIN_PASSWORD_FILE };
        size_t given = 0;
        for (size_t i = 0; i < ELEMENTSOF(login); i++)
                given += d->values[login[i]].n_entries > 0;
        if (given > 0 && given < ELEMENTSOF(login))
                ret = oci_diag(ctx->sink, LOG_ERR, d->path, d->section_line[OCI_SECTION_LOGIN], NULL,
                               "[Login] needs Registry=, Username= and PasswordFile= together");
        const char *pwfile = oci_value_str(d, OCI_OPT_LOGIN_PASSWORD_FILE);
        struct stat st;
        if (pwfile && pwfile[0] == '/' && stat(pwfile, &st) == 0 && (st.st_mode & S_IROTH))
                oci_key_diag(ctx->sink, LOG_WARNING, d, OCI_OPT_LOGIN_PASSWORD_FILE, "%s can be read by every user; chmod o-r it", pwfile);
        if (given == ELEMENTSOF(login) && !oci_value_str(d, OCI_OPT_IMAGE))
                ret = oci_diag(ctx->sink, LOG_ERR, d->path, d->section_line[OCI_SECTION_LOGIN], NULL,
                               "[Login] is for pulling Image=; this definition has none");
        int r = resolve_run_as(d, ctx);
        return r < 0 ? r : ret;
}

static int exclusive(const OciValidateContext *ctx, const OciDefinition *d, OciOptionId a, OciOptionId b) {
        return oci_diag(ctx->sink, LOG_ERR, OCI_AT(d, &d->values[a]), oci_options[a].key,
                        "%s= and %s= exclude each other; keep one", oci_options[a].key, oci_options[b].key);
}

static unsigned section_or_first_line(const OciDefinition *d, OciSection s) {
        return d->section_line[s];
}

static int resolve_dependencies(OciDefinition *d, const OciValidateContext *ctx) {
        int ret = 0;
        for (char *const *w = oci_value_items(d, OCI_OPT_DEPENDS_ON); *w; w++) {
                const char *ext = oci_unit_type_extension(d->type);
                const char *e = endswith(*w, ext);
                _cleanup_free_ char *name = e ? strndup(*w, (size_t) (e - *w)) : strdup(*w);
                if (!name)
                        return -ENOMEM;
                if (streq(name, d->name)) {
                        ret = oci_key_diag(ctx->sink, LOG_ERR, d, OCI_OPT_DEPENDS_ON, "%s: a definition cannot depend on itself", *w);
                        continue;
                }
                const OciRef *other = ctx->lookup ? ctx->lookup(ctx->lookup_userdata, d->type, name) : NULL;
                if (!other) {
                        ret = oci_key_diag(ctx->sink, LOG_ERR, d, OCI_OPT_DEPENDS_ON, "%s: there is no definition %s%s in the search path", *w, name, ext);
                        continue;
                }
                const char *unit = other->unit_name;
                _cleanup_free_ char *fallback = unit ? NULL : xasprintf("%s.service", other->name);
                if (!unit && !fallback)
                        return -ENOMEM;
                if (!strv_contains(d->after, unit ? unit : fallback) && strv_extend(&d->after, unit ? unit : fallback) < 0)
                        return -ENOMEM;
        }
        return ret;
}

/* References to other definitions by extension (NAME.network, NAME.image, ...) come with the
 * types that define them; until then such a value is an error rather than a silent name. */
char *oci_definition_resource_name(const OciDefinition *d) {
        OciOptionId id = d->type == OCI_UNIT_NETWORK ? OCI_OPT_NETWORK_NAME
                         : d->type == OCI_UNIT_POD   ? OCI_OPT_POD_NAME
                                                     : OCI_OPT_VOLUME_NAME;
        const OciValue *v = &d->values[id];
        if (v->n_entries)
                return strdup(v->entries[v->n_entries - 1].value);
        return xasprintf("systemd-%s", d->name);
}

/* REF is NAME.network or NAME.volume: that definition must exist; the unit requires and follows its
 * service, and *ret is the engine's name for it, in specifier form. */
static int resolve_ref(OciDefinition *d, const OciValidateContext *ctx, OciOptionId id, OciUnitType type, const char *ref,
                       size_t len, char **ret) {
        const char *ext = oci_unit_type_extension(type);
        _cleanup_free_ char *name = strndup(ref, len - strlen(ext));
        if (!name)
                return -ENOMEM;
        const OciRef *other = ctx->lookup ? ctx->lookup(ctx->lookup_userdata, type, name) : NULL;
        /* the assignment that holds the reference, for the message */
        const OciValue *v = &d->values[id];
        const OciEntry *e = v->n_entries ? &v->entries[v->n_entries - 1] : NULL;
        for (size_t k = v->n_entries; k > 0; k--)
                if (strstr(v->entries[k - 1].value, name)) {
                        e = &v->entries[k - 1];
                        break;
                }
        const char *file = e && d->sources ? d->sources[e->source] : d->path;
        if (!oci_unit_prefix_valid(name) || strchr(name, '@'))
                return oci_diag(ctx->sink, LOG_ERR, file, e ? e->line : 0, oci_options[id].key,
                                "%s=%.*s: a definition is named by its file name, NAME%s, with letters, digits and \":-_.\\\" "
                                "only (no '/', no '..', at most %zu)", oci_options[id].key, (int) len, ref, ext,
                                OCI_UNIT_NAME_MAX - strlen(".service"));
        if (!other)
                return oci_diag(ctx->sink, LOG_ERR, file, e ? e->line : 0, oci_options[id].key,
                                "%s=%.*s: there is no definition %s%s in the search path", oci_options[id].key, (int) len, ref,
                                name, ext);
        _cleanup_free_ char *unit = other->unit_name ? strdup(other->unit_name) : xasprintf("%s%s.service", name,
                                                                                              oci_unit_type_suffix(type));
        _cleanup_free_ char *resource = other->resource ? strdup(other->resource) : xasprintf("systemd-%s", name);
        if (!unit || !resource || (!strv_contains(d->after, unit) && strv_extend(&d->after, unit) < 0))
                return -ENOMEM;
        *ret = oci_specifier_escape(resource);
        return *ret ? 0 : -ENOMEM;
}

/* Replace the NAME.EXT at [start, start+len) of *item by the engine's name. */
static int replace_ref(OciDefinition *d, const OciValidateContext *ctx, OciOptionId id, OciUnitType type, char **item,
                       size_t start, size_t len) {
        _cleanup_free_ char *name = NULL;
        int r = resolve_ref(d, ctx, id, type, *item + start, len, &name);
        if (r < 0)
                return r;
        char *n = xasprintf("%.*s%s%s", (int) start, *item, name, *item + start + len);
        if (!n)
                return -ENOMEM;
        free(*item);
        *item = n;
        return 0;
}

static int check_references(OciDefinition *d, const OciValidateContext *ctx) {
        int ret = 0, r;
        char **pod = d->values[OCI_OPT_POD].items;
        if (pod && *pod) {
                /* Pod=NAME.pod: the container joins that pod and is bound to its service */
                if (!endswith(*pod, ".pod") || streq(*pod, ".pod"))
                        ret = oci_key_diag(ctx->sink, LOG_ERR, d, OCI_OPT_POD, "%s must name a .pod definition, NAME.pod", *pod);
                else {
                        _cleanup_strv_free_ char **before = strv_copy(d->after);
                        /* docker: known on the pod's network as POD-CONTAINER, as seed 001 names them */
                        free(d->pod_alias);
                        d->pod_alias = xasprintf("%.*s-%s", (int) (strlen(*pod) - strlen(".pod")), *pod, d->name);
                        if (!d->pod_alias)
                                return -ENOMEM;
                        r = replace_ref(d, ctx, OCI_OPT_POD, OCI_UNIT_POD, pod, 0, strlen(*pod));
                        if (r == -ENOMEM)
                                return r;
                        ret = r < 0 ? r : ret;
                        /* replace_ref() added the pod's service to Requires=; a pod binds instead */
                        for (char **u = d->after; r >= 0 && u && *u; u++)
                                if (!strv_contains(before, *u)) {
                                        free(d->pod_unit);
                                        d->pod_unit = *u;
                                        memmove(u, u + 1, (strv_length(u + 1) + 1) * sizeof(char *));
                                        break;
                                }
                }
                static const OciOptionId pod_level[] = { OCI_OPT_PUBLISH_PORT, OCI_OPT_NETWORK };
                for (size_t i = 0; i < ELEMENTSOF(pod_level); i++)
                        if (d->values[pod_level[i]].n_entries)
                                ret = oci_diag(ctx->sink, LOG_ERR, OCI_AT(d, &d->values[pod_level[i]]), oci_options[pod_level[i]].key,
                                               "%s= of a container in a pod belongs in the .pod: the pod owns the network",
                                               oci_options[pod_level[i]].key);
        }
        for (char **w = d->values[OCI_OPT_IMAGE].items; w && *w; w++)
                if (endswith(*w, ".image") || endswith(*w, ".build"))
                        ret = oci_key_diag(ctx->sink, LOG_ERR, d, OCI_OPT_IMAGE, "%s refers to a %s definition, which this version does not support yet", *w,
                                       strrchr(*w, '.'));
        for (char **w = d->values[OCI_OPT_NETWORK].items; w && *w; w++) {
                /* NAME.network, or NAME.network:OPTIONS as podman's --network takes them */
                const char *ext = strstr(*w, ".network");
                if (!ext || (ext[8] && ext[8] != ':'))
                        continue;
                r = replace_ref(d, ctx, OCI_OPT_NETWORK, OCI_UNIT_NETWORK, w, 0, (size_t) (ext - *w) + 8);
                if (r == -ENOMEM)
                        return r;
                ret = r < 0 ? r : ret;
        }
        for (char **w = d->values[OCI_OPT_VOLUME].items; w && *w; w++) {
                size_t n = strcspn(*w, ":");
                if ((*w)[n] != ':' || n < 8 || strncmp(*w + n - 7, ".volume", 7) != 0 || (*w)[0] == '/' || (*w)[0] == '%')
                        continue; /* not NAME.volume, but a host path that happens to end so */
                r = replace_ref(d, ctx, OCI_OPT_VOLUME, OCI_UNIT_VOLUME, w, 0, n);
                if (r == -ENOMEM)
                        return r;
                ret = r < 0 ? r : ret;
        }
        for (char **m = d->values[OCI_OPT_MOUNT].items; m && *m; m++) {
                /* type=volume,source=NAME.volume,... */
                for (size_t off = 0; (*m)[off];) {
                        size_t n = strcspn(*m + off, ",");
                        const char *f = *m + off;
                        size_t key = strncmp(f, "source=", 7) == 0 ? 7 : strncmp(f, "src=", 4) == 0 ? 4 : 0;
                        if (key && n > key + 7 && strncmp(f + n - 7, ".volume", 7) == 0) {
                                r = replace_ref(d, ctx, OCI_OPT_MOUNT, OCI_UNIT_VOLUME, m, off + key, n - key);
                                if (r == -ENOMEM)
                                        return r;
                                ret = r < 0 ? r : ret;
                                n = strcspn(*m + off, ",");
                        } else if (key && n > key + 6 && strncmp(f + n - 6, ".image", 6) == 0)
                                ret = oci_key_diag(ctx->sink, LOG_ERR, d, OCI_OPT_MOUNT, "%s refers to an .image definition, which this version does not support yet", *m);
                        off += n + ((*m)[off + n] == ',');
                }
        }
        return ret;
}

/* The engine: the definition's, else [Defaults], else the build's. */
static const char *select_backend(OciDefinition *d, const OciValidateContext *ctx) {
        const char *backend = oci_value_str(d, OCI_OPT_BACKEND);
        if (!backend && ctx->defaults)
                backend = oci_value_str(ctx->defaults, OCI_OPT_BACKEND);
        if (!backend)
                backend = DEFAULT_BACKEND;
        d->backend = oci_backend_from_string(backend);
        return backend;
}

/* Every key used must be one the engine honours. */
static int check_backend_keys(OciDefinition *d, const OciValidateContext *ctx, const char *backend) {
        int ret = 0;
        for (size_t i = 0; i < _OCI_OPT_MAX; i++)
                if (d->values[i].n_entries && !(oci_options[i].sections & OCI_IN(INSTALL)) &&
                    oci_option_render((OciOptionId) i, d->backend)->kind == OCI_RENDER_UNSUPPORTED)
                        ret = oci_diag(ctx->sink, LOG_ERR, OCI_AT(d, &d->values[i]), oci_options[i].key,
                                       "%s= is not supported with Backend=%s", oci_options[i].key, backend);
        return ret;
}

/* A .network or .volume definition. */
static int validate_resource(OciDefinition *d, const OciValidateContext *ctx) {
        OciSection main = oci_unit_type_section(d->type);
        if (!d->section_line[main]) {
                oci_diag(ctx->sink, LOG_ERR, d->path, 0, NULL, "no [%s] section; a %s file needs one (it may be empty)",
                         oci_section_to_string(main), oci_unit_type_extension(d->type));
                d->failed = true;
                return -EINVAL;
        }
        int r = validate_values(d, ctx), ret = 0;
        if (r == -ENOMEM)
                return r;
        ret = r;
        const char *backend = select_backend(d, ctx);
        const OciBackend *be = oci_backend_get(d->backend);
        if (!be || !be->oci)
                ret = oci_diag(ctx->sink, LOG_ERR, OCI_AT(d, &d->values[OCI_OPT_BACKEND]), oci_options[OCI_OPT_BACKEND].key,
                               "%s definitions are for podman and docker, not Backend=%s", oci_unit_type_extension(d->type), backend);
        else if (check_backend_keys(d, ctx, backend) < 0)
                ret = -EINVAL;
        if (d->type == OCI_UNIT_POD && d->backend == OCI_BACKEND_DOCKER) {
                /* docker has no pods: a network stands in (seed 001), and only what it can carry fits */
                static const OciOptionId fits[] = { OCI_OPT_BACKEND, OCI_OPT_SERVICE_NAME, OCI_OPT_POD_NAME,
                                                    OCI_OPT_PUBLISH_PORT, OCI_OPT_LABEL };
                for (size_t i = 0; i < _OCI_OPT_MAX; i++) {
                        bool ok = false;
                        for (size_t k = 0; k < ELEMENTSOF(fits); k++)
                                ok = ok || fits[k] == (OciOptionId) i;
                        if (!ok && d->values[i].n_entries && (oci_options[i].sections & OCI_IN(POD)))
                                ret = oci_diag(ctx->sink, LOG_ERR, OCI_AT(d, &d->values[i]), oci_options[i].key,
                                               "%s= is not supported in a .pod with Backend=docker: the pod is a network there",
                                               oci_options[i].key);
                }
        }
        /* the object is made by a script that looks first (podman 4.3 has no --ignore): it takes
         * no arguments for the engine itself yet */
        static const OciOptionId engine_args[] = { OCI_OPT_GLOBAL_ARGS, OCI_OPT_CONTAINERS_CONF_MODULE };
        for (size_t i = 0; d->type != OCI_UNIT_POD && i < ELEMENTSOF(engine_args); i++)
                if (d->values[engine_args[i]].n_entries)
                        ret = oci_diag(ctx->sink, LOG_ERR, OCI_AT(d, &d->values[engine_args[i]]), oci_options[engine_args[i]].key,
                                       "%s= in a %s is not supported yet", oci_options[engine_args[i]].key,
                                       oci_unit_type_extension(d->type));
        if (d->type == OCI_UNIT_NETWORK) {
                size_t subnets = strv_length(d->values[OCI_OPT_SUBNET].items);
                if (strv_length(d->values[OCI_OPT_GATEWAY].items) > subnets)
                        ret = oci_diag(ctx->sink, LOG_ERR, OCI_AT(d, &d->values[OCI_OPT_GATEWAY]), oci_options[OCI_OPT_GATEWAY].key,
                                       "more Gateway= than Subnet= lines: each gateway belongs to the subnet in its place");
                if (strv_length(d->values[OCI_OPT_IP_RANGE].items) > subnets)
                        ret = oci_diag(ctx->sink, LOG_ERR, OCI_AT(d, &d->values[OCI_OPT_IP_RANGE]), oci_options[OCI_OPT_IP_RANGE].key,
                                       "more IPRange= than Subnet= lines: each range belongs to the subnet in its place");
        } else {
                const char *driver = oci_value_str(d, OCI_OPT_DRIVER);
                bool image_driver = driver && streq(driver, "image");
                if (image_driver != (oci_value_str(d, OCI_OPT_VOLUME_IMAGE) != NULL))
                        ret = oci_diag(ctx->sink, LOG_ERR, OCI_AT(d, &d->values[image_driver ? OCI_OPT_DRIVER : OCI_OPT_VOLUME_IMAGE]),
                                       oci_options[OCI_OPT_VOLUME_IMAGE].key, "Image= and Driver=image go together in a .volume");
        }
        if (d->type == OCI_UNIT_POD) {
                r = check_references(d, ctx);
                if (r == -ENOMEM)
                        return r;
                ret = r < 0 ? r : ret;
        }
        free(d->resource);
        d->resource = oci_definition_resource_name(d);
        if (!d->resource)
                return -ENOMEM;
        OciOptionId name_key = d->type == OCI_UNIT_NETWORK ? OCI_OPT_NETWORK_NAME : d->type == OCI_UNIT_POD ? OCI_OPT_POD_NAME : OCI_OPT_VOLUME_NAME;
        if (!d->values[name_key].n_entries && check_derived_name(d, ctx, d->resource, name_key) < 0)
                ret = -EINVAL;
        if (ret < 0)
                d->failed = true;
        return ret;
}

int oci_validate(OciDefinition *d, const OciValidateContext *ctx) {
        if (d->type != OCI_UNIT_CONTAINER)
                return validate_resource(d, ctx);
        int r, ret = 0;

        if (!d->section_line[OCI_SECTION_CONTAINER]) {
                oci_diag(ctx->sink, LOG_ERR, d->path, 0, NULL,
                         "no [Container] section; a %s file needs one, with at least Image=", oci_unit_type_extension(d->type));
                d->failed = true;
                return -EINVAL;
        }

        r = validate_values(d, ctx);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                ret = r;

        /* required keys */
        for (size_t i = 0; i < _OCI_OPT_MAX; i++)
                if ((oci_options[i].flags & OCI_OPT_REQUIRED) && !d->values[i].n_entries &&
                    (oci_options[i].sections & OCI_IN(CONTAINER)))
                        ret = oci_diag(ctx->sink, LOG_ERR, d->path, section_or_first_line(d, OCI_SECTION_CONTAINER),
                                       oci_options[i].key, "[Container] has no %s=, which is required (for example %s=docker.io/library/nginx:latest)",
                                       oci_options[i].key, oci_options[i].key);

        const char *backend = select_backend(d, ctx);

        /* every key used must be one the engine honours */
        const OciBackend *be = oci_backend_get(d->backend);
        if (be && be->validate && be->validate(d, ctx->sink) < 0)
                ret = -EINVAL;
        if (!be)
                ret = oci_key_diag(ctx->sink, LOG_ERR, d, OCI_OPT_BACKEND, "%s is not available in this version of oci-containers (available: podman, docker, nspawn)", backend);
        else if (check_backend_keys(d, ctx, backend) < 0)
                ret = -EINVAL;

        const OciValue *image = &d->values[OCI_OPT_IMAGE], *rootfs = &d->values[OCI_OPT_ROOTFS];
        if (!image->n_entries && !rootfs->n_entries)
                ret = oci_diag(ctx->sink, LOG_ERR, d->path, section_or_first_line(d, OCI_SECTION_CONTAINER),
                               oci_options[OCI_OPT_IMAGE].key,
                               "[Container] has no Image=, which is required (for example Image=docker.io/library/nginx:latest), "
                               "or Rootfs= for a root file system on the host");
        if (image->n_entries && rootfs->n_entries)
                ret = exclusive(ctx, d, OCI_OPT_ROOTFS, OCI_OPT_IMAGE);
        if (d->values[OCI_OPT_RELOAD_CMD].n_entries && d->values[OCI_OPT_RELOAD_SIGNAL].n_entries)
                ret = exclusive(ctx, d, OCI_OPT_RELOAD_SIGNAL, OCI_OPT_RELOAD_CMD);
        static const OciOptionId deprecated[][2] = {
                { OCI_OPT_REMAP_USERS, OCI_OPT_USER_NS },   { OCI_OPT_REMAP_UID, OCI_OPT_UID_MAP },
                { OCI_OPT_REMAP_GID, OCI_OPT_GID_MAP },     { OCI_OPT_REMAP_UID_SIZE, OCI_OPT_USER_NS },
                { OCI_OPT_VOLATILE_TMP, OCI_OPT_TMPFS },
        };
        for (size_t i = 0; i < ELEMENTSOF(deprecated); i++)
                if (d->values[deprecated[i][0]].n_entries)
                        oci_diag(ctx->sink, LOG_WARNING, OCI_AT(d, &d->values[deprecated[i][0]]),
                                 oci_options[deprecated[i][0]].key, "%s= is deprecated; use %s= instead",
                                 oci_options[deprecated[i][0]].key, oci_options[deprecated[i][1]].key);

        for (char *const *a = oci_value_items(d, OCI_OPT_ALIAS); *a; a++) {
                const char *ours = d->unit_name ? strrchr(d->unit_name, '.') : ".service";
                bool tmpl = d->instance && !*d->instance;
                if (!endswith(*a, ours ? ours : ".service") || tmpl != (strstr(*a, "@.") != NULL))
                        ret = oci_key_diag(ctx->sink, LOG_ERR, d, OCI_OPT_ALIAS, "%s must be a %s name ending in %s, as the unit it names", *a,
                                       tmpl ? "template" : "unit", ours ? ours : ".service");
        }

        const char *definst = oci_value_str(d, OCI_OPT_DEFAULT_INSTANCE);
        /* a trailing backslash would join the next line of the unit to DefaultInstance= */
        if (definst && (!oci_unit_prefix_valid(definst) || endswith(definst, "\\")))
                ret = oci_key_diag(ctx->sink, LOG_ERR, d, OCI_OPT_DEFAULT_INSTANCE, "%s is not a valid instance name (letters, digits and \":-_.\\\", not ending in '\\')", definst);
        else if (definst && !d->instance) /* an instance inherits its template's: nothing to say */
                oci_key_diag(ctx->sink, LOG_WARNING, d, OCI_OPT_DEFAULT_INSTANCE, " only means something in a template (NAME@.container), ignoring");

        warn_probable_mistakes(d, ctx);
        /* an instance file names its container after its instance: the engines' rules apply */
        const OciBackend *engine = oci_backend_get(d->backend);
        if (engine && engine->oci && d->instance && *d->instance && !oci_value_str(d, OCI_OPT_CONTAINER_NAME) &&
            (!isalnum((unsigned char) d->instance[0]) ||
             strspn(d->instance, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") != strlen(d->instance)))
                ret = oci_diag(ctx->sink, LOG_ERR, d->path, 0, NULL,
                               "the instance name '%s' cannot name a container: use letters, digits, '_', '.' and '-', "
                               "or set ContainerName=", d->instance);
        r = check_seed_rules(d, ctx);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                ret = r;
        for (size_t i = 0; i < d->n_pass; i++)
                if (d->pass[i].section == OCI_SECTION_SERVICE && streq(d->pass[i].key, "ExecStart") && *d->pass[i].value)
                        ret = oci_diag(ctx->sink, LOG_ERR, d->sources ? d->sources[d->pass[i].source] : d->path, d->pass[i].line,
                                       d->pass[i].key,
                                       "ExecStart= in [Service] would be a second command beside the generated one, "
                                       "which systemd refuses; put the container's command in Exec= instead");

        /* HostEnvironment= values go to a private file that systemd reads as it is: no specifiers */
        for (char *const *kv = oci_value_items(d, OCI_OPT_HOST_ENVIRONMENT); *kv; kv++)
                for (const char *p = strchr(*kv, '%'); p; p = strchr(p + 2, '%'))
                        if (p[1] != '%') {
                                ret = oci_key_diag(ctx->sink, LOG_ERR, d, OCI_OPT_HOST_ENVIRONMENT,
                                                   ": '%.*s' has the specifier '%%%c', which is not resolved in a secret value "
                                                   "(it is kept out of the unit); write the value itself, or %%%% for a '%%'",
                                                   (int) strcspn(*kv, "="), *kv, p[1]);
                                break;
                        }

        if (d->values[OCI_OPT_GROUP].n_entries && !d->values[OCI_OPT_USER].n_entries)
                ret = oci_diag(ctx->sink, LOG_ERR, OCI_AT(d, &d->values[OCI_OPT_GROUP]), oci_options[OCI_OPT_GROUP].key,
                               "%s= needs %s= as well", oci_options[OCI_OPT_GROUP].key, oci_options[OCI_OPT_USER].key);

        r = oci_definition_resolve_unit_name(d, ctx->sink);
        if (r < 0)
                ret = r;
        if (r >= 0 && engine && engine->oci && !d->instance && !oci_value_str(d, OCI_OPT_CONTAINER_NAME)) {
                /* podman: systemd-%N, the unit's name; docker: the file's name */
                _cleanup_free_ char *name = d->backend == OCI_BACKEND_PODMAN
                                                    ? xasprintf("systemd-%.*s", (int) (strlen(d->unit_name) - strlen(".service")), d->unit_name)
                                                    : strdup(d->name);
                if (!name)
                        return -ENOMEM;
                if (check_derived_name(d, ctx, name, OCI_OPT_CONTAINER_NAME) < 0)
                        ret = -EINVAL;
        }
        r = check_references(d, ctx);
        if (r < 0)
                ret = r;
        r = resolve_dependencies(d, ctx);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                ret = r;

        if (ret < 0)
                d->failed = true;
        return ret;
}

int oci_definition_resolve_unit_name(OciDefinition *d, OciDiagSink *sink) {
        if (d->unit_name)
                return 0;
        const OciValue *v = &d->values[OCI_OPT_SERVICE_NAME];
        _cleanup_free_ char *prefix = d->instance ? strndup(d->name, strcspn(d->name, "@")) : strdup(d->name);
        if (!prefix)
                return -ENOMEM;
        const char *base = v->n_entries ? v->entries[v->n_entries - 1].value : prefix;
        if (!oci_unit_prefix_valid(base)) {
                if (v->n_entries)
                        return oci_key_diag(sink, LOG_ERR, d, OCI_OPT_SERVICE_NAME, "%s is not a valid unit name: write 1 to %zu letters, "
                                            "digits and \":-_.\\\", not starting with '.', without '/' or '..'", base,
                                            OCI_UNIT_NAME_MAX - strlen(".service"));
                return oci_diag(sink, LOG_ERR, d->path, 0, NULL,
                                "'%s' cannot be a unit name: rename the file with letters, digits and \":-_.\\\" only "
                                "(and one '@' for a template; not starting with '.', without '..'), or set ServiceName=",
                                d->name);
        }
        if (d->instance && *d->instance && !oci_unit_prefix_valid(d->instance))
                return oci_diag(sink, LOG_ERR, d->path, 0, NULL,
                                "'%s' is not a valid instance name: letters, digits and \":-_.\\\" only", d->instance);
        const char *suffix = v->n_entries ? "" : oci_unit_type_suffix(d->type); /* ServiceName= is the whole name */
        _cleanup_free_ char *unit = d->instance ? xasprintf("%s%s@%s.service", base, suffix, d->instance)
                                                : xasprintf("%s%s.service", base, suffix);
        if (!unit)
                return -ENOMEM;
        /* systemd's limit, for NAME-pull.service beside a container's service too */
        size_t max = OCI_UNIT_NAME_MAX - (d->type == OCI_UNIT_CONTAINER && !d->instance ? strlen("-pull") : 0);
        if (strlen(unit) > max) {
                if (v->n_entries)
                        return oci_key_diag(sink, LOG_ERR, d, OCI_OPT_SERVICE_NAME, "%s makes a unit name of %zu characters; "
                                            "at most %zu fit (systemd takes %d, and NAME-pull.service must fit too): "
                                            "choose a shorter name", base, strlen(unit), max, OCI_UNIT_NAME_MAX);
                return oci_diag(sink, LOG_ERR, d->path, 0, NULL, "the unit name would be %zu characters long; at most %zu fit "
                                "(systemd takes %d): rename the file, or set a shorter ServiceName=", strlen(unit), max,
                                OCI_UNIT_NAME_MAX);
        }
        d->unit_name = TAKE_PTR(unit);
        return 0;
}

/* Without ContainerName=, NetworkName=... the engine's name comes from the file name (or
 * ServiceName=); a name the unit-name rules allow may still be one the engine refuses. */
static int check_derived_name(OciDefinition *d, const OciValidateContext *ctx, const char *name, OciOptionId key) {
        if (oci_engine_name_valid(name, true))
                return 0;
        return oci_diag(ctx->sink, LOG_ERR, d->path, 0, NULL,
                        "the %s would be named '%s', which the engine refuses (letters, digits, '_', '.' and '-', at most %d); "
                        "set %s= or rename the file", oci_unit_type_extension(d->type) + 1, name, OCI_ENGINE_NAME_MAX,
                        oci_options[key].key);
}
