/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The systemd-nspawn backend: a whole machine, as systemd's own systemd-nspawn@.service runs one
 * and as NixOS's container@.service does, from the same definition format. */
#include <ctype.h>

#include "config.h"
#include "escape.h"
#include "render.h"

#define SHELL "/bin/sh"

static const OciBackendId B = OCI_BACKEND_NSPAWN;

/* The host side of the machine's veth is "ve-" (or "vb-" on a bridge) + the machine name, which
 * must fit in the kernel's 15 characters of an interface name; the check refuses a longer name, as
 * NixOS does. One that holds a specifier is known only at start: systemd-nspawn then shortens it
 * with a hash and keeps the whole name as the interface's alternative name (systemd 252), which ip
 * takes wherever it takes an interface's name, so the generator always writes the whole name and
 * never cuts a specifier in half. */
/* NixOS's limit on a machine name with a private network: "ve-" or "vb-" and 11 characters, and so
 * one to spare */
#define MACHINE_NAME_VETH_MAX 11

static const char *flag(OciOptionId id) {
        return oci_str(oci_option_render(id, B)->flag);
}

static char *machine_name(const OciDefinition *d) {
        const char *name = oci_value_str(d, OCI_OPT_CONTAINER_NAME);
        if (name)
                return strdup(name);
        if (d->instance)
                return strdup("%i");
        return oci_specifier_escape(d->name);
}

/* The machine's network, Network=MODE[:NAME] as its value type split it: host when unset. */
typedef enum NetMode {
        NET_HOST,
        NET_PRIVATE,
        NET_VETH,
        NET_BRIDGE,
        NET_ZONE,
        NET_INVALID,
} NetMode;

static NetMode network_mode(const OciDefinition *d, const char **ret_name) {
        static const char *const modes[] = { [NET_HOST] = "host", [NET_PRIVATE] = "private", [NET_VETH] = "veth",
                                             [NET_BRIDGE] = "bridge", [NET_ZONE] = "zone" };
        const OciItems *n = &d->values[OCI_OPT_NETWORK].items;
        const OciNetwork *net = n->n ? &n->items[n->n - 1].network : NULL;
        if (ret_name)
                *ret_name = net ? net->options : NULL;
        if (!net)
                return NET_HOST;
        for (size_t m = 0; m < ELEMENTSOF(modes); m++)
                /* bridge and zone name theirs after the ':', the others have nothing after it */
                if (streq(net->mode, modes[m]) && ((m == NET_BRIDGE || m == NET_ZONE) == (net->options != NULL)))
                        return (NetMode) m;
        return NET_INVALID;
}

/* The name systemd-nspawn gives the host's end of the machine's veth, before the machine name */
static const char *host_link_prefix(NetMode mode) {
        return mode == NET_VETH ? "ve-" : mode == NET_BRIDGE ? "vb-" : NULL;
}

static bool private_network(const OciDefinition *d) {
        return network_mode(d, NULL) != NET_HOST;
}

static bool booting(const OciDefinition *d) {
        int boot = oci_value_bool(d, OCI_OPT_BOOT);
        return boot >= 0 ? boot > 0 : !oci_value_count(d, OCI_OPT_EXEC);
}

/* An address of the veth's: of its key's family, with a /PREFIX only where the machine's end is on a
 * bridge (the bridge's network); on a veth of its own each end is one address, routed by the other,
 * as NixOS has it. One with a variable is known at start only. */
static int check_address(const OciDefinition *d, OciOptionId id, bool v6, bool prefix_ok, OciDiagSink *sink, int ret) {
        const char *key = oci_option_key(id);
        OCI_FOREACH_ITEM(it, d, id) {
                const OciAddress *a = &it->address;
                if (a->variable)
                        continue;
                if (a->v6 != v6)
                        /* the other family's key is this one with or without its final 6 */
                        ret = oci_diag(sink, LOG_ERR, it->loc.file, it->loc.line, key, "%s=%s: an %s address is for %.*s%s=", key,
                                       it->text, a->v6 ? "IPv6" : "IPv4", (int) (strlen(key) - v6), key, v6 ? "" : "6");
                else if (a->prefix >= 0 && id != OCI_OPT_LOCAL_ADDRESS && id != OCI_OPT_LOCAL_ADDRESS6)
                        ret = oci_diag(sink, LOG_ERR, it->loc.file, it->loc.line, key,
                                       "%s=%s: the host's end has one address, without a /PREFIX: the host routes the machine's "
                                       "address to it", key, it->text);
                else if (a->prefix >= 0 && !prefix_ok)
                        ret = oci_diag(sink, LOG_ERR, it->loc.file, it->loc.line, key,
                                       "%s=%s: a /PREFIX is for a machine on a bridge (Network=bridge:BRIDGE or zone:ZONE); with "
                                       "Network=veth the machine has one address, which the host routes to ve-NAME: write it "
                                       "without the /PREFIX", key, it->text);
        }
        return ret;
}

static int nspawn_validate(const OciDefinition *d, OciDiagSink *sink) {
        int ret = 0;
        const OciValue *nv = &d->values[OCI_OPT_NETWORK];
        if (nv->items.n > 1)
                ret = oci_key_diag(sink, LOG_ERR, d, OCI_OPT_NETWORK, " is given more than once; a machine has one network mode");
        NetMode mode = network_mode(d, NULL);
        if (mode == NET_INVALID)
                ret = oci_key_diag(sink, LOG_ERR, d, OCI_OPT_NETWORK, "%s: with Backend=nspawn, one of host, private, veth, bridge:BRIDGE or zone:ZONE",
                                   nv->items.items[nv->items.n - 1].text);

        OCI_FOREACH_ITEM(it, d, OCI_OPT_PUBLISH_PORT) {
                /* nspawn forwards one port, [PROTOCOL:]HOST[:MACHINE], on every host address */
                const OciPort *p = &it->port;
                bool address = *p->address && !p->address_default;
                if (!private_network(d))
                        ret = oci_diag(sink, LOG_ERR, it->loc.file, it->loc.line, oci_option_key(OCI_OPT_PUBLISH_PORT),
                                       "%s= with Backend=nspawn needs a private network (Network=veth, bridge:, zone: or private)",
                                       oci_option_key(OCI_OPT_PUBLISH_PORT));
                else if (address || !p->host_lo || p->host_lo != p->host_hi || p->ctr_lo != p->ctr_hi)
                        ret = oci_diag(sink, LOG_ERR, it->loc.file, it->loc.line, oci_option_key(OCI_OPT_PUBLISH_PORT),
                                       "%s=%s: systemd-nspawn forwards single ports as HOSTPORT:MACHINEPORT[/PROTOCOL], without an address or ranges",
                                       oci_option_key(OCI_OPT_PUBLISH_PORT), oci_item_written(d, OCI_OPT_PUBLISH_PORT, it));
                else if (*p->address)
                        /* [Defaults] PublishAddress= is for the engines that can bind one address */
                        oci_diag(sink, LOG_WARNING, it->loc.file, it->loc.line, oci_option_key(OCI_OPT_PUBLISH_PORT),
                                 "%s= with Backend=nspawn forwards the port on every host address: [Defaults] PublishAddress=%s does not apply",
                                 oci_option_key(OCI_OPT_PUBLISH_PORT), p->address);
        }
        OCI_FOREACH_ITEM(it, d, OCI_OPT_VOLUME)
                if (it->volume.kind != OCI_VOLUME_BIND)
                        ret = oci_diag(sink, LOG_ERR, it->loc.file, it->loc.line, oci_option_key(OCI_OPT_VOLUME),
                                       "%s=%s: systemd-nspawn binds host paths, SOURCE:DESTINATION[:ro]; named volumes are for OCI engines",
                                       oci_option_key(OCI_OPT_VOLUME), oci_item_written(d, OCI_OPT_VOLUME, it));

        static const OciOptionId host_side[] = { OCI_OPT_HOST_ADDRESS, OCI_OPT_HOST_ADDRESS6 };
        static const OciOptionId local_side[] = { OCI_OPT_LOCAL_ADDRESS, OCI_OPT_LOCAL_ADDRESS6 };
        for (size_t i = 0; i < 2; i++) {
                const OciValue *h = &d->values[host_side[i]], *l = &d->values[local_side[i]];
                if (h->n_entries && mode != NET_VETH)
                        ret = oci_diag(sink, LOG_ERR, OCI_AT(d, h), oci_option_key(host_side[i]),
                                       "%s= is the host's end of the machine's veth: it needs Network=veth", oci_option_key(host_side[i]));
                if (l->n_entries && mode != NET_VETH && mode != NET_BRIDGE && mode != NET_ZONE)
                        ret = oci_diag(sink, LOG_ERR, OCI_AT(d, l), oci_option_key(local_side[i]),
                                       "%s= needs a network of the machine's own: Network=veth, bridge:BRIDGE or zone:ZONE",
                                       oci_option_key(local_side[i]));
                ret = check_address(d, host_side[i], i == 1, false, sink, ret);
                /* (without a network of its own, that is the error above) */
                ret = check_address(d, local_side[i], i == 1, mode != NET_VETH, sink, ret);
        }

        OCI_FOREACH_ITEM(it, d, OCI_OPT_ADD_DEVICE)
                if (it->device.cdi)
                        ret = oci_diag(sink, LOG_ERR, it->loc.file, it->loc.line, oci_option_key(OCI_OPT_ADD_DEVICE),
                                       "%s=%s: a CDI device is for podman and docker; systemd-nspawn binds device nodes, /dev/...",
                                       oci_option_key(OCI_OPT_ADD_DEVICE), it->text);

        /* systemd-nspawn accepts a machine name that is a valid host name */
        _cleanup_free_ char *name = machine_name(d);
        const OciValue *cn = &d->values[OCI_OPT_CONTAINER_NAME];
        bool bad = !name || !*name || strlen(name) > 64 || !(isalnum((unsigned char) *name) || *name == '%');
        for (const char *c = name; !bad && *c; c++)
                bad = !(isalnum((unsigned char) *c) || *c == '-' || *c == '.' || *c == '_' || *c == '%');
        if (bad)
                ret = oci_diag(sink, LOG_ERR, OCI_AT(d, cn), oci_option_key(OCI_OPT_CONTAINER_NAME),
                               "'%s' cannot name a machine: letters, digits, '-', '.' and '_', at most 64, starting with a "
                               "letter or digit; set ContainerName=", name ? name : "");
        else if (host_link_prefix(mode) && strlen(name) > MACHINE_NAME_VETH_MAX && !strchr(name, '%'))
                /* NixOS refuses these names: its users expect the refusal, and scripts and
                 * /sys/class/net know the interface only by a name that fits */
                ret = oci_diag(sink, LOG_ERR, OCI_AT(d, cn->n_entries ? cn : nv),
                               oci_option_key(cn->n_entries ? OCI_OPT_CONTAINER_NAME : OCI_OPT_NETWORK),
                               "the machine name '%s' has %zu characters; with Network=%s at most %d, as NixOS has it: the host's "
                               "end of its veth, %s%s, must fit the kernel's %d characters of an interface name; set a shorter "
                               "ContainerName=",
                               name, strlen(name), mode == NET_VETH ? "veth" : "bridge:", MACHINE_NAME_VETH_MAX, host_link_prefix(mode),
                               name, OCI_IFNAME_MAX);
        return ret;
}

/* Image=: a directory or raw image by absolute path, an OCI bundle (a directory with config.json),
 * or the name of a machine image in /var/lib/machines; the unit waits for its file system. */
static int image_args(const OciDefinition *d, OciRenderOut *out) {
        const char *image = oci_value_str(d, OCI_OPT_IMAGE);
        _cleanup_free_ char *path = image[0] == '/' || image[0] == '%' ? strdup(image) : xasprintf("/var/lib/machines/%s", image);
        if (!path)
                return -ENOMEM;
        _cleanup_free_ char *config = xasprintf("%s/config.json", path);
        if (!config)
                return -ENOMEM;
        const OciHost *host = out->ctx->host ? out->ctx->host : &oci_host_system;
        OciArgv *head = &out->argv[OCI_ARGV_HEAD];
        unsigned mode;
        int r;
        if (endswith(path, ".raw"))
                r = oci_argv_addf(head, "--image=%s", path);
        else if (host->stat(config, &mode) == 0)
                r = oci_argv_addf(head, "--oci-bundle=%s", path);
        else
                r = oci_argv_addf(head, "--directory=%s", path);
        if (r < 0)
                return r;
        return oci_unit_add_words(out->later, OCI_UNIT_SECTION_UNIT, "RequiresMountsFor", (char *[]) { path }, 1);
}

/* ContainerName= and Image=: the machine's name, then what it runs */
int oci_nspawn_key_machine(const OciDefinition *d, OciOptionId id, const OciItems *items, OciBackendId b, OciRenderOut *out) {
        _cleanup_free_ char *name = machine_name(d);
        if (!name || oci_argv_addf(&out->argv[OCI_ARGV_HEAD], "%s=%s", flag(OCI_OPT_CONTAINER_NAME), name) < 0)
                return -ENOMEM;
        return image_args(d, out);
}

/* Boot=: the image's init, ready when it says so. Without it, nspawn stops its payload with
 * SIGKILL and the unit ends failed: a command gets the SIGTERM any service gets (a booted init
 * gets SIGRTMIN+3, nspawn's own choice). */
int oci_nspawn_key_boot(const OciDefinition *d, OciOptionId id, const OciItems *items, OciBackendId b, OciRenderOut *out) {
        OciArgv *head = &out->argv[OCI_ARGV_HEAD];
        if (!booting(d))
                return oci_argv_add(head, "--kill-signal=SIGTERM");
        return oci_argv_add(head, flag(id)) < 0 ? -ENOMEM : oci_argv_add(head, "--notify-ready=yes");
}

/* Exec=: the command after "--" */
int oci_nspawn_key_exec(const OciDefinition *d, OciOptionId id, const OciItems *items, OciBackendId b, OciRenderOut *out) {
        if (!items->n)
                return 0;
        return oci_argv_add(&out->argv[OCI_ARGV_TAIL], "--") < 0 ? -ENOMEM : oci_argv_add_items(&out->argv[OCI_ARGV_TAIL], d, id);
}

/* Network=: the machine's network mode */
int oci_nspawn_key_network(const OciDefinition *d, OciOptionId id, const OciItems *items, OciBackendId b, OciRenderOut *out) {
        OciArgv *argv = &out->argv[OCI_ARGV_LATE_1];
        const char *name;
        switch (network_mode(d, &name)) {
        case NET_PRIVATE:
                return oci_argv_add(argv, "--private-network");
        case NET_VETH:
                return oci_argv_add(argv, "--network-veth");
        case NET_BRIDGE:
                return oci_argv_addf(argv, "--network-bridge=%s", name);
        case NET_ZONE:
                return oci_argv_addf(argv, "--network-zone=%s", name);
        case NET_HOST:
        case NET_INVALID:
        default:
                return 0;
        }
}

/* PublishPort=: --port=, in nspawn's form of the port */
int oci_nspawn_key_port(const OciDefinition *d, OciOptionId id, const OciItems *items, OciBackendId b, OciRenderOut *out) {
        return oci_render_flag_items(d, id, b, &out->argv[OCI_ARGV_LATE_1]);
}

/* Volume=SRC:DST[:OPTIONS]: --bind-ro= for "ro", --bind= otherwise, the other options kept. */
int oci_nspawn_key_volume(const OciDefinition *d, OciOptionId id, const OciItems *items, OciBackendId b, OciRenderOut *out) {
        for (size_t i = 0; i < items->n; i++) {
                const OciVolume *v = &items->items[i].volume;
                /* ro and rw are told by the flag; nspawn's own options (idmap, norbind...) follow */
                StrBuf opts = {};
                int r = 0;
                for (char **o = v->option_list; o && *o && r >= 0; o++)
                        if (!streq(*o, "ro") && !streq(*o, "rw"))
                                r = strbuf_printf(&opts, "%s%s", opts.s ? "," : ":", *o);
                if (r >= 0)
                        r = oci_argv_addf(&out->argv[OCI_ARGV_LATE_1], "%s=%s:%s%s", v->ro ? "--bind-ro" : "--bind", v->source, v->dest,
                                         opts.s ? opts.s : "");
                strbuf_done(&opts);
                if (r < 0)
                        return -ENOMEM;
        }
        return 0;
}

/* AddDevice=HOST[:MACHINE][:PERMS]: bound into the machine, and allowed by the device policy. */
int oci_nspawn_key_device(const OciDefinition *d, OciOptionId id, const OciItems *items, OciBackendId b, OciRenderOut *out) {
        for (size_t i = 0; i < items->n; i++) {
                const OciDevice *dev = &items->items[i].device;
                const char *perms = dev->permissions ? dev->permissions : "rwm";
                const char *inside = dev->container ? dev->container : dev->host;
                int r = oci_unit_addf(out->later, OCI_UNIT_SECTION_SERVICE, "DeviceAllow", "%s %s", dev->host, perms);
                if (r < 0)
                        return r;
                if (oci_argv_addf(&out->argv[OCI_ARGV_LATE_2], "%s=%s:%s", flag(id), dev->host, inside) < 0)
                        return -ENOMEM;
        }
        return 0;
}

static int caps_args(const OciDefinition *d, OciOptionId id, OciArgv *argv) {
        if (!oci_value_count(d, id))
                return 0;
        _cleanup_strv_free_ char **upper = NULL;
        size_t n = 0;
        OCI_FOREACH_ITEM(cap, d, id) {
                char *c = strdup(cap->text);
                if (!c)
                        return -ENOMEM;
                for (char *x = c; *x; x++)
                        *x = (char) toupper((unsigned char) *x);
                if (strv_push_at(&upper, n++, c) < 0)
                        return -ENOMEM;
        }
        _cleanup_free_ char *joined = strv_join(upper, ",");
        return joined ? oci_argv_addf(argv, "%s=%s", flag(id), strcmp(joined, "ALL") == 0 ? "all" : joined) : -ENOMEM;
}

/* AddCapability= and DropCapability=: one comma-separated list each, upper case */
int oci_nspawn_key_caps(const OciDefinition *d, OciOptionId id, const OciItems *items, OciBackendId b, OciRenderOut *out) {
        if (caps_args(d, OCI_OPT_ADD_CAPABILITY, &out->argv[OCI_ARGV_LATE_1]) < 0)
                return -ENOMEM;
        return caps_args(d, OCI_OPT_DROP_CAPABILITY, &out->argv[OCI_ARGV_LATE_1]);
}

/* One ip command on the machine's side of its veths, run in its network namespace once it runs.
 * ExecStartPost= has $MAINPID, systemd-nspawn, whose child (reaped by it, as a subreaper) is the
 * machine's leader, its init: the first child in another network namespace is the one. This needs
 * neither machined nor a bus, and no tool in the machine: ip is the host's. The script is fixed; the
 * addresses and names are its arguments, never part of it. */
static int add_in_machine(OciUnitFile *u, const char *nsenter, char *const *ip_args) {
        static const char script[] =
                "read -r c <\"/proc/$$MAINPID/task/$$MAINPID/children\"; "
                "for l in $$c; do [ \"/proc/$$l/ns/net\" -ef \"/proc/$$MAINPID/ns/net\" ] || "
                "exec \"$$0\" --net=\"/proc/$$l/ns/net\" -- \"$$@\"; done; "
                "echo \"systemd-nspawn ($$MAINPID) runs no machine to address\" >&2; exit 1";
        _cleanup_strv_free_ char **argv = NULL;
        char *head[] = { (char *) SHELL, (char *) "-c", (char *) script, (char *) nsenter, NULL };
        if (strv_extend_strv(&argv, head) < 0 || strv_extend_strv(&argv, (char **) ip_args) < 0)
                return -ENOMEM;
        return oci_unit_add_exec(u, "ExecStartPost", "", argv);
}

/* One ip command on the host's side */
static int add_on_host(OciUnitFile *u, char *const *ip_args) {
        return oci_unit_add_exec(u, "ExecStartPost", "", ip_args);
}

/* The host's end of a veth, after the start: in a bridge, or up with its addresses and the routes to
 * the machine's (NULL where not given; the machine's have no /PREFIX here). */
static int host_end(OciUnitFile *u, char *ip, char *link, const char *bridge, char *const host[2], char *const local[2]) {
        int r = bridge ? add_on_host(u, (char *[]) { ip, (char *) "link", (char *) "set", (char *) "dev", link, (char *) "master",
                                                     (char *) bridge, (char *) "up", NULL })
                       : add_on_host(u, (char *[]) { ip, (char *) "link", (char *) "set", (char *) "dev", link, (char *) "up", NULL });
        for (size_t f = 0; r >= 0 && f < 2; f++)
                if (host[f])
                        r = add_on_host(u, (char *[]) { ip, (char *) (f ? "-6" : "-4"), (char *) "addr", (char *) "add", host[f],
                                                        (char *) "dev", link, NULL });
        for (size_t f = 0; r >= 0 && f < 2; f++)
                if (local[f])
                        r = add_on_host(u, (char *[]) { ip, (char *) (f ? "-6" : "-4"), (char *) "route", (char *) "add", local[f],
                                                        (char *) "dev", link, NULL });
        return r;
}

/* The machine's end, as NixOS's container init sets it: up, its own addresses, a route to the
 * host's end, and on the main veth (host0) the default route through it. */
static int machine_end(OciUnitFile *u, char *nsenter, char *ip, char *link, char *const local[2], char *const host[2],
                       bool default_route) {
        int r = add_in_machine(u, nsenter, (char *[]) { ip, (char *) "link", (char *) "set", (char *) "dev", link, (char *) "up", NULL });
        for (size_t f = 0; r >= 0 && f < 2; f++)
                if (local[f])
                        r = add_in_machine(u, nsenter, (char *[]) { ip, (char *) (f ? "-6" : "-4"), (char *) "addr", (char *) "add",
                                                                    local[f], (char *) "dev", link, NULL });
        for (size_t f = 0; r >= 0 && f < 2; f++) {
                if (!host[f])
                        continue;
                r = add_in_machine(u, nsenter, (char *[]) { ip, (char *) (f ? "-6" : "-4"), (char *) "route", (char *) "add", host[f],
                                                            (char *) "dev", link, NULL });
                if (r >= 0 && default_route)
                        r = add_in_machine(u, nsenter, (char *[]) { ip, (char *) (f ? "-6" : "-4"), (char *) "route", (char *) "add",
                                                                    (char *) "default", (char *) "via", host[f], (char *) "dev", link,
                                                                    NULL });
        }
        return r;
}

/* HostAddress=, HostAddress6=, LocalAddress= and LocalAddress6=: with Network=veth the host's end
 * gets its address and the route to the machine after the start, and host0 in the machine its
 * address, the route back and the default route, as NixOS's containers have it; with bridge: or
 * zone: the machine's address with its prefix on host0. The machine is told them in its
 * environment too, as NixOS's are. */
int oci_nspawn_key_addresses(const OciDefinition *d, OciOptionId id, const OciItems *items, OciBackendId b, OciRenderOut *out) {
        static const OciOptionId ids[] = { OCI_OPT_HOST_ADDRESS, OCI_OPT_HOST_ADDRESS6, OCI_OPT_LOCAL_ADDRESS, OCI_OPT_LOCAL_ADDRESS6 };
        char *a[ELEMENTSOF(ids)];
        bool any = false;
        for (size_t i = 0; i < ELEMENTSOF(ids); i++) {
                a[i] = (char *) oci_value_str(d, ids[i]);
                if (a[i] && oci_argv_addf(&out->argv[OCI_ARGV_LATE_2], "--setenv=%s=%s", flag(ids[i]), a[i]) < 0)
                        return -ENOMEM;
                any = any || a[i];
        }
        NetMode mode = network_mode(d, NULL);
        if (!any || (mode != NET_VETH && mode != NET_BRIDGE && mode != NET_ZONE))
                return 0;
        _cleanup_free_ char *ip = oci_specifier_escape(IP_PATH), *nsenter = oci_specifier_escape(NSENTER_PATH);
        if (!ip || !nsenter)
                return -ENOMEM;
        int r = 0;
        if (mode == NET_VETH) {
                _cleanup_free_ char *name = machine_name(d);
                _cleanup_free_ char *veth = name ? xasprintf("ve-%s", name) : NULL;
                if (!veth)
                        return -ENOMEM;
                r = host_end(out->later, ip, veth, NULL, a, a + 2);
        }
        /* on a bridge the host's side is the bridge's, set up by the host */
        return r < 0 ? r : machine_end(out->later, nsenter, ip, (char *) "host0", a + 2, a, true);
}

/* VirtualEthernetExtra=: the pair, and after the start what its ends get (its value type has
 * checked that the options go together) */
int oci_nspawn_key_veth_extra(const OciDefinition *d, OciOptionId id, const OciItems *items, OciBackendId b, OciRenderOut *out) {
        _cleanup_free_ char *ip = oci_specifier_escape(IP_PATH), *nsenter = oci_specifier_escape(NSENTER_PATH);
        if (!ip || !nsenter)
                return -ENOMEM;
        for (size_t i = 0; i < items->n; i++) {
                const OciVeth *v = &items->items[i].veth;
                int r = v->machine ? oci_argv_addf(&out->argv[OCI_ARGV_FLAGS], "%s=%s:%s", flag(id), v->host, v->machine)
                                   : oci_argv_addf(&out->argv[OCI_ARGV_FLAGS], "%s=%s", flag(id), v->host);
                if (r < 0)
                        return -ENOMEM;
                bool addressed = v->bridge || v->host_address[0] || v->host_address[1] || v->local_address[0] || v->local_address[1];
                if (!addressed)
                        continue; /* both ends are left as systemd-nspawn makes them */
                /* the host routes the machine's single address; with a bridge it has none */
                r = host_end(out->later, ip, v->host, v->bridge, v->host_address, v->bridge ? (char *[]) { NULL, NULL } : v->local_address);
                if (r >= 0)
                        r = machine_end(out->later, nsenter, ip, v->machine ? v->machine : v->host, v->local_address, v->host_address,
                                        false);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* StartTimeout=: how long the machine may take to be ready */
int oci_nspawn_key_start_timeout(const OciDefinition *d, OciOptionId id, const OciItems *items, OciBackendId b, OciRenderOut *out) {
        return oci_unit_add(out->later, OCI_UNIT_SECTION_SERVICE, "TimeoutStartSec", oci_value_str(d, id));
}

/* Before the start, what a crashed machine may have left: its registration with systemd-machined
 * (which makes systemd-nspawn refuse the name) and the host's end of its veth, as NixOS's pre-start
 * does. Both may well be gone: the line cannot fail the start, and says nothing then. The names are
 * arguments, never part of the script. */
static int add_cleanup(const OciDefinition *d, const char *name, OciUnitFile *u) {
        const char *prefix = host_link_prefix(network_mode(d, NULL));
        _cleanup_free_ char *machinectl = oci_specifier_escape(MACHINECTL_PATH), *ip = oci_specifier_escape(IP_PATH);
        _cleanup_free_ char *link = prefix ? xasprintf("%s%s", prefix, name) : NULL;
        if (!machinectl || !ip || (prefix && !link))
                return -ENOMEM;
        char *terminate[] = { (char *) SHELL, (char *) "-c", (char *) "\"$$0\" terminate \"$$1\" 2>/dev/null; exit 0", machinectl, (char *) name, NULL };
        char *and_link[] = { (char *) SHELL, (char *) "-c",
                             (char *) "\"$$0\" terminate \"$$1\" 2>/dev/null; \"$$2\" link delete dev \"$$3\" 2>/dev/null; exit 0", machinectl,
                             (char *) name, ip, link, NULL };
        return oci_unit_add_exec(u, "ExecStartPre", "-", prefix ? and_link : terminate);
}

static int nspawn_render(const OciDefinition *d, const OciRenderContext *ctx, OciRenderOut *rows, OciUnitFile *u) {
        const char *nspawn = oci_render_binary(rows, OCI_OPT_NSPAWN_PATH);
        OciArgv argv = oci_argv_new(rows);
        static const char *const head[] = { "--quiet", "--keep-unit" };
        if (!nspawn || oci_render_command(rows, nspawn, head, ELEMENTSOF(head), &argv) < 0)
                return -ENOMEM;

        static const char *const unit_lines[][2] = {
                { "Wants", "modprobe@tun.service modprobe@loop.service modprobe@dm_mod.service" },
                { "PartOf", "machines.target" },
                { "Before", "machines.target" },
                { "After", "modprobe@tun.service modprobe@loop.service modprobe@dm_mod.service" },
        };
        static const char *const service_lines[] = {
                "Type=notify",
                "KillMode=mixed",
                "Delegate=yes",
                "Slice=machine.slice",
                "RestartForceExitStatus=133",
                "SuccessExitStatus=133",
                "Restart=on-failure",
                "TasksMax=16384",
                "DevicePolicy=closed",
                "DeviceAllow=/dev/net/tun rwm",
                "DeviceAllow=char-pts rw",
                "DeviceAllow=/dev/loop-control rw",
                "DeviceAllow=block-loop rw",
                "DeviceAllow=block-blkext rw",
                "DeviceAllow=/dev/mapper/control rw",
                "DeviceAllow=block-device-mapper rw",
        };
        int r = 0;
        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(unit_lines); i++)
                r = oci_unit_add(u, OCI_UNIT_SECTION_UNIT, unit_lines[i][0], unit_lines[i][1]);
        /* as systemd-nspawn@.service, unless told to do without */
        if (r >= 0 && oci_value_bool(d, OCI_OPT_DEFAULT_DEPENDENCIES) != 0)
                r = oci_unit_add_literal(u, OCI_UNIT_SECTION_UNIT, "After=network.target");
        if (r >= 0)
                r = oci_unit_add_service_lines(u, service_lines, ELEMENTSOF(service_lines));
        _cleanup_free_ char *name = machine_name(d);
        if (!name)
                return -ENOMEM;
        /* as NixOS's container@.service has it: journalctl -t "container NAME" */
        if (r >= 0)
                r = oci_unit_addf(u, OCI_UNIT_SECTION_SERVICE, "SyslogIdentifier", "container %s", name);
        if (r >= 0)
                r = add_cleanup(d, name, u);
        return r < 0 ? r : oci_unit_add_exec(u, "ExecStart", "", argv.words);
}

const OciBackend oci_backend_nspawn = {
        .id = OCI_BACKEND_NSPAWN,
        .binary = OCI_OPT_NSPAWN_PATH,
        .autostart_target = "machines.target",
        .render = { [OCI_UNIT_CONTAINER] = nspawn_render },
        .container_name = machine_name,
        .validate = nspawn_validate,
};
