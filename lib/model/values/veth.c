/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A machine's addresses: ADDRESS[/PREFIX] (LocalAddress=), and an extra veth pair with what its two
 * ends get, HOST[:MACHINE][,OPTION=VALUE...] (VirtualEthernetExtra=, NixOS's extraVeths). Each is
 * split here once; which network mode they go with is the nspawn backend's rule. */
#include <assert.h>
#include <ctype.h>

#include "escape.h"
#include "internal.h"

/* ADDRESS[/PREFIX] of the n bytes at s: *ret_prefix is -1 without a prefix, else 0 to 32 (IPv4) or
 * 128 (IPv6), written without a leading 0. */
static bool split_address(const char *s, size_t n, bool *ret_v6, int *ret_prefix) {
        const char *slash = memchr(s, '/', n);
        size_t alen = slash ? (size_t) (slash - s) : n;
        if (!value_valid_address(s, alen, ret_v6))
                return false;
        *ret_prefix = -1;
        if (!slash)
                return true;
        const char *d = slash + 1;
        size_t dlen = n - alen - 1;
        if (dlen == 0 || dlen > 3 || strspn(d, "0123456789") < dlen || (d[0] == '0' && dlen > 1))
                return false;
        int prefix = 0;
        for (size_t i = 0; i < dlen; i++)
                prefix = prefix * 10 + (d[i] - '0');
        if (prefix > (*ret_v6 ? 128 : 32))
                return false;
        *ret_prefix = prefix;
        return true;
}

static int parse_address_prefix(OciParse *p, const char *text) {
        if (oci_has_variable(text)) {
                /* the engine's side judges it at start, as an address with a variable is */
                OciItem *it = value_push(p, value_keep(p, text));
                if (!it)
                        return -ENOMEM;
                it->address = (OciAddress) { .prefix = -1, .variable = true };
                return 0;
        }
        bool v6;
        int prefix;
        if (!split_address(text, value_len(p, text), &v6, &prefix))
                return oci_parse_error(p, "%s", " must be an IPv4 or IPv6 address with an optional prefix length, for "
                                       "example 10.0.0.5 or 10.0.0.5/24 (IPv4: /0 to /32; IPv6: /0 to /128)");
        OciItem *it = value_push(p, value_keep(p, text));
        if (!it)
                return -ENOMEM;
        it->address = (OciAddress) { .v6 = v6, .prefix = prefix };
        return 0;
}

/* A name the kernel takes for an interface, and that stays one word everywhere it is written: no
 * '/', ':', ',' or '=', no specifier or variable (which could make it longer), not . or .. */
static bool ifname_valid(const char *s, size_t n) {
        if (n == 0 || n > OCI_IFNAME_MAX || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
                return false;
        for (size_t i = 0; i < n; i++)
                if (isspace((unsigned char) s[i]) || strchr("/:,=%$\\\"'", s[i]) || (unsigned char) s[i] < 0x20 ||
                    (i == 0 && s[0] == '-'))
                        return false;
        return true;
}

#define VETH_SYNTAX "HOST[:MACHINE][,bridge=BRIDGE][,host-address=A][,host-address6=A][,local-address=A[/PREFIX]][,local-address6=A[/PREFIX]]"

static int veth_option(OciParse *p, OciVeth *v, const char *opt, size_t n) {
        static const char *const keys[] = { "bridge", "host-address", "host-address6", "local-address", "local-address6" };
        const char *eq = memchr(opt, '=', n);
        size_t klen = eq ? (size_t) (eq - opt) : n;
        size_t k = 0;
        while (k < ELEMENTSOF(keys) && !(strlen(keys[k]) == klen && strncmp(keys[k], opt, klen) == 0))
                k++;
        if (k == ELEMENTSOF(keys) || !eq)
                return oci_parse_error(p, " is " VETH_SYNTAX ": '%.*s' is not one of bridge=, host-address=, host-address6=, "
                                       "local-address= or local-address6=", (int) n, opt);
        const char *val = eq + 1;
        size_t vlen = n - klen - 1;
        char **slot = k == 0 ? &v->bridge : k <= 2 ? &v->host_address[k - 1] : &v->local_address[k - 3];
        if (*slot)
                return oci_parse_error(p, " gives %s= twice; an end has one address of each family", keys[k]);
        if (k == 0) {
                if (!ifname_valid(val, vlen))
                        return oci_parse_error(p, " names the bridge '%.*s': an interface name is 1 to %d characters, without "
                                               "spaces, '/', ':', ',', '=', '%%' or '$'", (int) vlen, val, OCI_IFNAME_MAX);
        } else {
                bool v6;
                int prefix;
                bool want6 = k == 2 || k == 4;
                if (!split_address(val, vlen, &v6, &prefix) || v6 != want6 || (k <= 2 && prefix >= 0))
                        return oci_parse_error(p, " has %s=%.*s: it takes an %s address%s, for example %s", keys[k], (int) vlen, val,
                                               want6 ? "IPv6" : "IPv4", k <= 2 ? "" : " with an optional /PREFIX",
                                               want6 ? "fc00::2" : "10.231.137.2");
        }
        *slot = value_strndup(p, val, vlen);
        return *slot ? 0 : -ENOMEM;
}

static int parse_veth(OciParse *p, const char *text) {
        int r = value_check_name(p, text);
        if (r < 0)
                return r;
        OciVeth v = {};
        size_t first = strcspn(text, ",");
        size_t colon = strcspn(text, ":");
        size_t hlen = colon < first ? colon : first;
        if (!ifname_valid(text, hlen) || (colon < first && !ifname_valid(text + colon + 1, first - colon - 1)))
                return oci_parse_error(p, " is " VETH_SYNTAX ": HOST and MACHINE are interface names, 1 to %d characters, "
                                       "without spaces, '/', ':', ',', '=', '%%' or '$'", OCI_IFNAME_MAX);
        v.host = value_strndup(p, text, hlen);
        v.machine = colon < first ? value_strndup(p, text + colon + 1, first - colon - 1) : NULL;
        r = !v.host || (colon < first && !v.machine) ? -ENOMEM : 0;
        for (const char *o = text + first; r >= 0 && *o;) {
                o++; /* the ',' */
                size_t n = strcspn(o, ",");
                r = veth_option(p, &v, o, n);
                o += n;
        }
        /* as NixOS has it: an end on a bridge takes the bridge's addresses, and a prefix of the
         * machine's address says which network the bridge is; without a bridge the host routes the
         * machine's single address to its end */
        if (r >= 0 && v.bridge && (v.host_address[0] || v.host_address[1]))
                r = oci_parse_error(p, "%s", " gives bridge= and host-address=: the host's end is in the bridge, and the bridge "
                                    "has the host's address; leave out one of them");
        for (size_t f = 0; r >= 0 && f < 2; f++)
                if (!v.bridge && v.local_address[f] && strchr(v.local_address[f], '/'))
                        r = oci_parse_error(p, " has local-address%s=%s: a /PREFIX is for an end on a bridge=; without one "
                                            "the host routes the single address to its end", f ? "6" : "", v.local_address[f]);
        OciItem *it = r >= 0 ? value_push(p, value_keep(p, text)) : NULL;
        if (!it)
                return r < 0 ? r : -ENOMEM;
        it->veth = v;
        return 0;
}

const OciValueType value_type_address_prefix = { .name = "address[/prefix]", .parse = parse_address_prefix };
const OciValueType value_type_veth = { .name = "host[:machine][,option=value...]", .parse = parse_veth };
