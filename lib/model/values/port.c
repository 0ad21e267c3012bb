/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* PublishPort=[IP:][HOSTPORT:]CONTAINERPORT[/PROTOCOL], and the pieces of it other types share. */
#include <assert.h>
#include <stdio.h>

#include "escape.h"
#include "internal.h"

static const char *const proto_names[_OCI_PROTO_MAX] = {
        [OCI_PROTO_TCP] = "tcp",
        [OCI_PROTO_UDP] = "udp",
        [OCI_PROTO_SCTP] = "sctp",
};

/* The protocol's name as the engines write it: "tcp", "udp" or "sctp". */
const char *oci_proto_to_string(OciProto p) {
        return p >= 0 && p < _OCI_PROTO_MAX ? proto_names[p] : NULL;
}

int value_proto_from_string(const char *s) {
        for (size_t i = 0; i < _OCI_PROTO_MAX; i++)
                if (streq(s, proto_names[i]))
                        return (int) i;
        return -EINVAL;
}

/* A port of the n bytes at s: at most 5 digits, 1 to 65535. */
static int port_number(const char *s, size_t n, unsigned *ret) {
        if (n == 0 || n > 5)
                return -EINVAL;
        unsigned x = 0;
        for (size_t i = 0; i < n; i++) {
                if (s[i] < '0' || s[i] > '9')
                        return -EINVAL;
                x = x * 10 + (unsigned) (s[i] - '0');
        }
        if (x < 1 || x > 65535)
                return -EINVAL;
        *ret = x;
        return 0;
}

int value_parse_port_range(const char *s, size_t n, unsigned *lo, unsigned *hi) {
        if (n == 0 || n >= 16)
                return -EINVAL;
        const char *dash = memchr(s, '-', n);
        size_t first = dash ? (size_t) (dash - s) : n;
        unsigned a, b;
        if (port_number(s, first, &a) < 0)
                return -EINVAL;
        b = a;
        if (dash && (port_number(dash + 1, n - first - 1, &b) < 0 || a >= b))
                return -EINVAL; /* a range ends above its start */
        *lo = a;
        *hi = b;
        return 0;
}

bool value_valid_address(const char *s, size_t n, bool *ret_v6) {
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

/* The most a mapping's text takes with its NUL: "[ADDRESS]:LO-HI:LO-HI/sctp", a port of any
 * unsigned value (10 digits). */
#define PORT_TEXT_MAX (INET6_ADDRSTRLEN + 4 * 10 + 16)

static char *put_number(char *at, unsigned v) {
        char digits[10];
        size_t k = 0;
        do
                digits[k++] = (char) ('0' + v % 10);
        while (v /= 10);
        while (k > 0)
                *at++ = digits[--k];
        return at;
}

static char *put_range(char *at, unsigned lo, unsigned hi) {
        at = put_number(at, lo);
        if (lo != hi) {
                *at++ = '-';
                at = put_number(at, hi);
        }
        return at;
}

/* HOST:CTR, or CTR when the engine picks the host port; an address, when there is one, before it;
 * the protocol after it when it was written: into buf, NUL-terminated. Returns the length. Written
 * here rather than printed: every port is, when it is parsed and when it is rendered. */
static size_t port_text(const OciPort *p, bool with_address, bool with_proto, char buf[static PORT_TEXT_MAX]) {
        char *at = buf;
        bool address = with_address && p->address[0];
        if (address) {
                size_t n = strnlen(p->address, sizeof(p->address) - 1);
                if (p->v6)
                        *at++ = '[';
                memcpy(at, p->address, n);
                at += n;
                if (p->v6)
                        *at++ = ']';
                *at++ = ':';
        }
        if (p->host_lo > 0)
                at = put_range(at, p->host_lo, p->host_hi);
        if (p->host_lo > 0 || address)
                *at++ = ':';
        at = put_range(at, p->ctr_lo, p->ctr_hi);
        const char *proto = with_proto && p->proto_given ? oci_proto_to_string(p->proto) : NULL;
        if (proto) {
                *at++ = '/';
                memcpy(at, proto, strlen(proto));
                at += strlen(proto);
        }
        *at = 0;
        return (size_t) (at - buf);
}

/* Append the mapping as podman and docker read it, the protocol only when it was written. */
int oci_port_format(const OciPort *p, StrBuf *out) {
        assert(p);
        assert(out);
        char buf[PORT_TEXT_MAX];
        size_t n = port_text(p, true, true, buf);
        return strbuf_putn(out, buf, n);
}

/* systemd-nspawn's --port=PROTO:HOST:CTR; it takes no address (its backend refuses one). A
 * mapping with variables is written as it is, with the protocol that was given. */
static int format_port(const OciItem *it, OciBackendId b, StrBuf *out) {
        if (it->port.variable) {
                int r = strbuf_puts(out, it->text);
                if (r >= 0 && it->port.proto_given)
                        r = strbuf_printf(out, "/%s", oci_proto_to_string(it->port.proto));
                return r;
        }
        if (b != OCI_BACKEND_NSPAWN)
                return strbuf_puts(out, it->text); /* oci_port_format()'s, made by parse_port() */
        char buf[PORT_TEXT_MAX];
        size_t n = port_text(&it->port, false, false, buf);
        int r = strbuf_printf(out, "%s:", oci_proto_to_string(it->port.proto));
        return r < 0 ? r : strbuf_putn(out, buf, n);
}

static void set_address(OciPort *port, const char *s, size_t n, bool v6) {
        assert(n < sizeof(port->address));
        memcpy(port->address, s, n);
        port->address[n] = 0;
        port->v6 = v6;
}

/* The next ':' of s before end that is not inside a variable ("${A:-80}"), or NULL. */
static const char *next_colon(const char *s, const char *end) {
        for (const char *c = s; c < end; c++) {
                size_t var = oci_variable_at(c);
                if (var) {
                        c += var - 1;
                        continue;
                }
                if (*c == ':')
                        return c;
        }
        return NULL;
}

/* The item of a port with variables: its text as b holds it (r < 0: b could not be made), and the
 * typed port. */
static int push_variable_port(OciParse *p, StrBuf *b, int r, const OciPort *port) {
        OciItem *it = r < 0 ? NULL : value_push(p, value_strndup(p, b->s ? b->s : "", b->len));
        strbuf_done(b);
        if (!it)
                return -ENOMEM;
        it->port = *port;
        return 0;
}

/* A mapping that refers to variables of the service's environment (PublishPort=${PORT}:80): only
 * systemd knows its ports, at start. It is passed as written, as Quadlet passes it, with the
 * [Defaults] address in front where it names none; it claims no host port. */
static int parse_port_variable(OciParse *p, const char *text, OciProto proto, bool proto_given) {
        size_t fields = 1;
        const char *end = text + strlen(text);
        for (const char *c = next_colon(text, end); c && fields < 4; c = next_colon(c + 1, end))
                fields++;
        bool bracketed = text[0] == '[';
        if (fields > 3 || (bracketed && !strchr(text, ']')) || strpbrk(text, " \t/"))
                return oci_parse_error(p, "%s", " is not [IP:][HOSTPORT:]CONTAINERPORT[/tcp|udp|sctp]; for example "
                                       "${PORT}:80 or 127.0.0.1:${PORT}:80");
        /* an address is the first of three fields, or in brackets; an empty one takes the default */
        bool has_address = bracketed || fields == 3;
        bool empty_address = fields == 3 && text[0] == ':';
        const char *def = value_default(p, OCI_OPT_PUBLISH_ADDRESS);
        const OciDoubt *doubt = oci_defaults_key_doubt(p->defaults, OCI_OPT_PUBLISH_ADDRESS);
        if ((!has_address || empty_address) && doubt)
                return oci_parse_error(p, " takes its address from [Defaults] PublishAddress=, which the error at %s:%u leaves "
                                          "in doubt; fix that line, or write the address here (ADDRESS:HOSTPORT:CONTAINERPORT)",
                                       doubt->file, doubt->line);
        OciPort port = { .proto = proto, .proto_given = proto_given, .variable = true };
        StrBuf b = {};
        int r = 0;
        if ((!has_address || empty_address) && def) {
                bool v6 = strchr(def, ':') != NULL;
                if (strlen(def) >= sizeof(port.address))
                        return oci_parse_error(p, "%s", " takes an address from [Defaults] PublishAddress= that is too long");
                memcpy(port.address, def, strlen(def) + 1);
                port.v6 = v6;
                port.address_default = true;
                r = strbuf_printf(&b, v6 ? "[%s]:%s" : "%s:%s", def, fields == 1 ? ":" : "");
                if (r >= 0)
                        r = strbuf_puts(&b, empty_address ? text + 1 : text);
        } else if (empty_address)
                /* every address, as without it (podman refuses an empty one); "::" is no host port */
                r = strbuf_puts(&b, text + (text[1] == ':' ? 2 : 1));
        else
                r = strbuf_puts(&b, text);
        return push_variable_port(p, &b, r, &port);
}

static int parse_port(OciParse *p, const char *text) {
        static const char hint[] = " is not [IP:][HOSTPORT:]CONTAINERPORT[/tcp|udp|sctp]; "
                                   "for example 8080:80, 127.0.0.1:8080:80 or [::1]:8080:80/udp";
        OciPort port = {};
        const char *slash = strrchr(text, '/');
        size_t main_len = slash ? (size_t) (slash - text) : value_len(p, text);
        int proto = slash ? value_proto_from_string(slash + 1) : OCI_PROTO_TCP;
        if (proto < 0)
                return oci_parse_error(p, "%s", hint);
        port.proto = (OciProto) proto;
        port.proto_given = slash != NULL;
        if (oci_has_variable(text) && !(value_option(p)->sections & OCI_IN(DEFAULTS))) {
                _cleanup_free_ char *mapping = strndup(text, main_len);
                if (!mapping)
                        return -ENOMEM;
                return parse_port_variable(p, mapping, port.proto, port.proto_given);
        }

        const char *ip = NULL, *c = text;
        size_t ip_len = 0;
        bool v6 = false;
        if (*c == '[') {
                const char *close = memchr(c, ']', main_len);
                if (!close || close[1] != ':')
                        return oci_parse_error(p, "%s", hint);
                ip = c + 1;
                ip_len = (size_t) (close - ip);
                if (!value_valid_address(ip, ip_len, &v6) || !v6)
                        return oci_parse_error(p, "%s", hint);
                c = close + 2;
        }
        /* the rest, split on ':' into at most three fields */
        const char *f[3], *end = text + main_len;
        size_t fl[3], nf = 0;
        for (const char *q = c; nf < 3;) {
                const char *colon = memchr(q, ':', (size_t) (end - q));
                f[nf] = q;
                fl[nf] = colon ? (size_t) (colon - q) : (size_t) (end - q);
                nf++;
                if (!colon)
                        break;
                q = colon + 1;
                if (nf == 3)
                        return oci_parse_error(p, "%s", hint);
        }
        if (!ip && nf == 3) {
                ip = f[0];
                ip_len = fl[0];
                if (ip_len > 0 && (!value_valid_address(ip, ip_len, &v6) || v6))
                        return oci_parse_error(p, "%s", hint);
                f[0] = f[1], fl[0] = fl[1];
                f[1] = f[2], fl[1] = fl[2];
                nf = 2;
        } else if (ip && nf > 2)
                return oci_parse_error(p, "%s", hint);
        else if (ip && nf == 1) {
                /* "[::1]:80" is an address and a container port; the engine picks the host port */
                f[1] = f[0], fl[1] = fl[0];
                f[0] = "", fl[0] = 0;
                nf = 2;
        }

        if (value_parse_port_range(f[nf - 1], fl[nf - 1], &port.ctr_lo, &port.ctr_hi) < 0)
                return oci_parse_error(p, "%s", hint);
        bool host_given = nf == 2 && fl[0] > 0;
        if (host_given && value_parse_port_range(f[0], fl[0], &port.host_lo, &port.host_hi) < 0)
                return oci_parse_error(p, "%s", hint);
        /* a range onto a range of the same length; or a range of host ports for one container
         * port, of which docker takes a free one (podman's backend refuses it) */
        if (host_given && port.host_hi - port.host_lo != port.ctr_hi - port.ctr_lo && port.ctr_lo != port.ctr_hi)
                return oci_parse_error(p, "%s", ": the host and container port ranges must be of the same length, or a range of "
                                                "host ports for one container port (8080-8090:80, with Backend=docker)");

        /* an address field that is empty, or none at all: [Defaults] PublishAddress=; one an error
         * leaves in doubt is no address at all, which would publish on every address */
        const char *def = value_default(p, OCI_OPT_PUBLISH_ADDRESS);
        const OciDoubt *doubt = oci_defaults_key_doubt(p->defaults, OCI_OPT_PUBLISH_ADDRESS);
        if (ip_len == 0 && doubt)
                return oci_parse_error(p, " takes its address from [Defaults] PublishAddress=, which the error at %s:%u leaves "
                                          "in doubt; fix that line, or write the address here (ADDRESS:HOSTPORT:CONTAINERPORT)",
                                       doubt->file, doubt->line);
        if (ip_len > 0) {
                /* inet_pton() takes no text longer than the field holds; this guards the copy */
                if (ip_len >= sizeof(port.address))
                        return oci_parse_error(p, "%s", hint);
                set_address(&port, ip, ip_len, v6);
        } else if (def) {
                /* an address, as the defaults' own check made sure: IPv6 has a ':' */
                if (strlen(def) >= sizeof(port.address))
                        return oci_parse_error(p, "%s", hint);
                set_address(&port, def, strlen(def), strchr(def, ':') != NULL);
                port.address_default = true;
        }
        /* else ":80:92", "::95", an empty address: every address, which Quadlet passes as written;
         * podman (4.3 and 5) refuses an empty address, and takes "80:92" and "95" for it */

        char buf[PORT_TEXT_MAX];
        size_t n = port_text(&port, true, true, buf);
        OciItem *it = value_push(p, value_strndup(p, buf, n));
        if (!it)
                return -ENOMEM;
        it->port = port;
        return 0;
}

const OciValueType value_type_port = { .name = "port mapping", .parse = parse_port, .format = format_port };
