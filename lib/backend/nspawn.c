/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The systemd-nspawn backend: a whole machine, as systemd's own systemd-nspawn@.service runs one
 * and as NixOS's container@.service does, from the same definition format. */
#include <ctype.h>

#include "config.h"
#include "escape.h"
#include "render.h"

static const OciBackendId B = OCI_BACKEND_NSPAWN;

/* The host side of the machine's veth is "ve-" + the machine name when that fits in the kernel's
 * 15 characters. A longer one systemd-nspawn shortens with a hash of its own (naming scheme v245
 * and later), and gives the interface the whole "ve-" + name as an alternative name (systemd 252
 * does; up to 127 characters), which ip takes wherever it takes an interface's name. So the
 * generator always writes the whole name: it never cuts one, and so never cuts a specifier in
 * half, whose value is only known at start. */
#define IFNAMSIZ_MAX 15

static const char *flag(OciOptionId id) {
        return oci_option_render(id, B)->flag;
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

static bool private_network(const OciDefinition *d) {
        return network_mode(d, NULL) != NET_HOST;
}

static bool booting(const OciDefinition *d) {
        int boot = oci_value_bool(d, OCI_OPT_BOOT);
        return boot >= 0 ? boot > 0 : !oci_value_count(d, OCI_OPT_EXEC);
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
                        ret = oci_diag(sink, LOG_ERR, it->loc.file, it->loc.line, oci_options[OCI_OPT_PUBLISH_PORT].key,
                                       "%s= with Backend=nspawn needs a private network (Network=veth, bridge:, zone: or private)",
                                       oci_options[OCI_OPT_PUBLISH_PORT].key);
                else if (address || !p->host_lo || p->host_lo != p->host_hi || p->ctr_lo != p->ctr_hi)
                        ret = oci_diag(sink, LOG_ERR, it->loc.file, it->loc.line, oci_options[OCI_OPT_PUBLISH_PORT].key,
                                       "%s=%s: systemd-nspawn forwards single ports as HOSTPORT:MACHINEPORT[/PROTOCOL], without an address or ranges",
                                       oci_options[OCI_OPT_PUBLISH_PORT].key, oci_item_written(d, OCI_OPT_PUBLISH_PORT, it));
                else if (*p->address)
                        /* [Defaults] PublishAddress= is for the engines that can bind one address */
                        oci_diag(sink, LOG_WARNING, it->loc.file, it->loc.line, oci_options[OCI_OPT_PUBLISH_PORT].key,
                                 "%s= with Backend=nspawn forwards the port on every host address: [Defaults] PublishAddress=%s does not apply",
                                 oci_options[OCI_OPT_PUBLISH_PORT].key, p->address);
        }
        OCI_FOREACH_ITEM(it, d, OCI_OPT_VOLUME)
                if (it->volume.kind != OCI_VOLUME_BIND)
                        ret = oci_diag(sink, LOG_ERR, it->loc.file, it->loc.line, oci_options[OCI_OPT_VOLUME].key,
                                       "%s=%s: systemd-nspawn binds host paths, SOURCE:DESTINATION[:ro]; named volumes are for OCI engines",
                                       oci_options[OCI_OPT_VOLUME].key, oci_item_written(d, OCI_OPT_VOLUME, it));

        static const OciOptionId host_side[] = { OCI_OPT_HOST_ADDRESS, OCI_OPT_HOST_ADDRESS6 };
        static const OciOptionId local_side[] = { OCI_OPT_LOCAL_ADDRESS, OCI_OPT_LOCAL_ADDRESS6 };
        for (size_t i = 0; i < 2; i++) {
                const OciValue *h = &d->values[host_side[i]], *l = &d->values[local_side[i]];
                if (h->n_entries && mode != NET_VETH)
                        ret = oci_diag(sink, LOG_ERR, OCI_AT(d, h), oci_options[host_side[i]].key,
                                       "%s= is the host's end of the machine's veth: it needs Network=veth", oci_options[host_side[i]].key);
                if (l->n_entries && mode != NET_VETH && mode != NET_BRIDGE && mode != NET_ZONE)
                        ret = oci_diag(sink, LOG_ERR, OCI_AT(d, l), oci_options[local_side[i]].key,
                                       "%s= needs a network of the machine's own: Network=veth, bridge:BRIDGE or zone:ZONE",
                                       oci_options[local_side[i]].key);
        }

        OCI_FOREACH_ITEM(it, d, OCI_OPT_ADD_DEVICE)
                if (it->device.cdi)
                        ret = oci_diag(sink, LOG_ERR, it->loc.file, it->loc.line, oci_options[OCI_OPT_ADD_DEVICE].key,
                                       "%s=%s: a CDI device is for podman and docker; systemd-nspawn binds device nodes, /dev/...",
                                       oci_options[OCI_OPT_ADD_DEVICE].key, it->text);

        /* systemd-nspawn accepts a machine name that is a valid host name */
        _cleanup_free_ char *name = machine_name(d);
        const OciValue *cn = &d->values[OCI_OPT_CONTAINER_NAME];
        bool bad = !name || !*name || strlen(name) > 64 || !(isalnum((unsigned char) *name) || *name == '%');
        for (const char *c = name; !bad && *c; c++)
                bad = !(isalnum((unsigned char) *c) || *c == '-' || *c == '.' || *c == '_' || *c == '%');
        if (bad)
                ret = oci_diag(sink, LOG_ERR, OCI_AT(d, cn), oci_options[OCI_OPT_CONTAINER_NAME].key,
                               "'%s' cannot name a machine: letters, digits, '-', '.' and '_', at most 64, starting with a "
                               "letter or digit; set ContainerName=", name ? name : "");
        else if (mode == NET_VETH && strlen("ve-") + strlen(name) > IFNAMSIZ_MAX && !strchr(name, '%'))
                oci_diag(sink, LOG_WARNING, OCI_AT(d, nv), oci_options[OCI_OPT_NETWORK].key,
                         "the host end of the veth, ve-%s, is longer than the kernel's %d characters: systemd-nspawn "
                         "names it with a hash and keeps ve-%s as its alternative name, which ip takes but "
                         "/sys/class/net and scripts that expect the name do not", name, IFNAMSIZ_MAX, name);
        return ret;
}

/* Image=: a directory or raw image by absolute path, an OCI bundle (a directory with config.json),
 * or the name of a machine image in /var/lib/machines. */
static int image_args(const OciDefinition *d, const OciRenderContext *ctx, char ***argv, char **ret_path) {
        const char *image = oci_value_str(d, OCI_OPT_IMAGE);
        _cleanup_free_ char *path = image[0] == '/' || image[0] == '%' ? strdup(image) : xasprintf("/var/lib/machines/%s", image);
        if (!path)
                return -ENOMEM;
        _cleanup_free_ char *config = xasprintf("%s/config.json", path);
        if (!config)
                return -ENOMEM;
        const OciHost *host = ctx->host ? ctx->host : &oci_host_system;
        unsigned mode;
        int r;
        if (endswith(path, ".raw"))
                r = strv_extendf(argv, "--image=%s", path);
        else if (host->stat(config, &mode) == 0)
                r = strv_extendf(argv, "--oci-bundle=%s", path);
        else
                r = strv_extendf(argv, "--directory=%s", path);
        if (r < 0)
                return r;
        *ret_path = TAKE_PTR(path);
        return 0;
}

static int network_args(const OciDefinition *d, char ***argv) {
        const char *name;
        switch (network_mode(d, &name)) {
        case NET_PRIVATE:
                return strv_extend(argv, "--private-network");
        case NET_VETH:
                return strv_extend(argv, "--network-veth");
        case NET_BRIDGE:
                return strv_extendf(argv, "--network-bridge=%s", name);
        case NET_ZONE:
                return strv_extendf(argv, "--network-zone=%s", name);
        case NET_HOST:
        case NET_INVALID:
        default:
                return 0;
        }
}


/* Volume=SRC:DST[:OPTIONS]: --bind-ro= for "ro", --bind= otherwise, the other options kept. */
static int bind_args(const OciDefinition *d, char ***argv) {
        OCI_FOREACH_ITEM(it, d, OCI_OPT_VOLUME) {
                const OciVolume *v = &it->volume;
                /* ro and rw are told by the flag; nspawn's own options (idmap, norbind...) follow */
                StrBuf opts = {};
                int r = 0;
                for (char **o = v->option_list; o && *o && r >= 0; o++)
                        if (!streq(*o, "ro") && !streq(*o, "rw"))
                                r = strbuf_printf(&opts, "%s%s", opts.s ? "," : ":", *o);
                if (r >= 0)
                        r = strv_extendf(argv, "%s=%s:%s%s", v->ro ? "--bind-ro" : "--bind", v->source, v->dest, opts.s ? opts.s : "");
                strbuf_done(&opts);
                if (r < 0)
                        return -ENOMEM;
        }
        return 0;
}

/* AddDevice=HOST[:MACHINE][:PERMS]: bound into the machine, and allowed by the device policy. */
static int device_args(const OciDefinition *d, char ***argv, OciUnitFile *u) {
        OCI_FOREACH_ITEM(it, d, OCI_OPT_ADD_DEVICE) {
                const OciDevice *dev = &it->device;
                const char *perms = dev->permissions ? dev->permissions : "rwm";
                const char *inside = dev->container ? dev->container : dev->host;
                if (oci_unit_addf(u, OCI_UNIT_SECTION_SERVICE, "DeviceAllow", "%s %s", dev->host, perms) < 0 ||
                    strv_extendf(argv, "%s=%s:%s", flag(OCI_OPT_ADD_DEVICE), dev->host, inside) < 0)
                        return -ENOMEM;
        }
        return 0;
}

static int caps_args(const OciDefinition *d, OciOptionId id, char ***argv) {
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
        return joined ? strv_extendf(argv, "%s=%s", flag(id), strcmp(joined, "ALL") == 0 ? "all" : joined) : -ENOMEM;
}

/* The host's end of the veth gets its address and the route to the machine after the start, and
 * the machine is told both in its environment, as NixOS's containers do. */
static int address_lines(const OciDefinition *d, const char *name, char ***argv, OciUnitFile *u) {
        static const OciOptionId ids[] = { OCI_OPT_HOST_ADDRESS, OCI_OPT_HOST_ADDRESS6, OCI_OPT_LOCAL_ADDRESS, OCI_OPT_LOCAL_ADDRESS6 };
        bool any = false;
        for (size_t i = 0; i < ELEMENTSOF(ids); i++) {
                const char *a = oci_value_str(d, ids[i]);
                if (a && strv_extendf(argv, "--setenv=%s=%s", flag(ids[i]), a) < 0)
                        return -ENOMEM;
                any = any || a;
        }
        if (!any || network_mode(d, NULL) != NET_VETH)
                return 0;
        _cleanup_free_ char *ip = oci_specifier_escape(IP_PATH);
        _cleanup_free_ char *veth = xasprintf("ve-%s", name);
        if (!ip || !veth)
                return -ENOMEM;
        char *up[] = { ip, (char *) "link", (char *) "set", (char *) "dev", veth, (char *) "up", NULL };
        int r = oci_unit_add_exec(u, "ExecStartPost", "", up);
        static const struct {
                OciOptionId id;
                const char *family, *what;
        } steps[] = {
                { OCI_OPT_HOST_ADDRESS, "-4", "addr" },
                { OCI_OPT_HOST_ADDRESS6, "-6", "addr" },
                { OCI_OPT_LOCAL_ADDRESS, "-4", "route" },
                { OCI_OPT_LOCAL_ADDRESS6, "-6", "route" },
        };
        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(steps); i++) {
                const char *a = oci_value_str(d, steps[i].id);
                if (!a)
                        continue;
                char *cmd[] = { ip, (char *) steps[i].family, (char *) steps[i].what, (char *) "add", (char *) a, (char *) "dev", veth, NULL };
                r = oci_unit_add_exec(u, "ExecStartPost", "", cmd);
        }
        return r;
}

static int nspawn_render(const OciDefinition *d, const OciRenderContext *ctx, OciUnitFile *u) {
        _cleanup_free_ char *nspawn = oci_render_binary(ctx, OCI_OPT_NSPAWN_PATH);
        _cleanup_free_ char *name = machine_name(d), *image_path = NULL;
        _cleanup_strv_free_ char **argv = NULL;
        if (!nspawn || !name || strv_extend(&argv, nspawn) < 0 || strv_extend(&argv, "--quiet") < 0 ||
            strv_extend(&argv, "--keep-unit") < 0 || strv_extendf(&argv, "%s=%s", flag(OCI_OPT_CONTAINER_NAME), name) < 0 ||
            image_args(d, ctx, &argv, &image_path) < 0)
                return -ENOMEM;
        if (booting(d) && (strv_extend(&argv, flag(OCI_OPT_BOOT)) < 0 || strv_extend(&argv, "--notify-ready=yes") < 0))
                return -ENOMEM;
        /* without --boot, nspawn stops its payload with SIGKILL and the unit ends failed: a command
         * gets the SIGTERM any service gets (a booted init gets SIGRTMIN+3, nspawn's own choice) */
        if (!booting(d) && strv_extend(&argv, "--kill-signal=SIGTERM") < 0)
                return -ENOMEM;
        if (oci_render_table_flags(d, B, &argv) < 0 || network_args(d, &argv) < 0 || oci_render_flag_items(d, OCI_OPT_PUBLISH_PORT, B, &argv) < 0 ||
            bind_args(d, &argv) < 0 || caps_args(d, OCI_OPT_ADD_CAPABILITY, &argv) < 0 ||
            caps_args(d, OCI_OPT_DROP_CAPABILITY, &argv) < 0)
                return -ENOMEM;
        size_t n = strv_length(argv);
        OCI_FOREACH_ITEM(kv, d, OCI_OPT_HOST_ENVIRONMENT)
                if (strv_push_at(&argv, n++, xasprintf("%s=%.*s", flag(OCI_OPT_HOST_ENVIRONMENT), (int) kv->key_len, kv->text)) < 0)
                        return -ENOMEM;

        static const char *const unit_lines[][2] = {
                { "Wants", "modprobe@tun.service modprobe@loop.service modprobe@dm_mod.service" },
                { "PartOf", "machines.target" },
                { "Before", "machines.target" },
                { "After", "modprobe@tun.service modprobe@loop.service modprobe@dm_mod.service" },
        };
        static const char *const service_lines[][2] = {
                { "Type", "notify" },
                { "KillMode", "mixed" },
                { "Delegate", "yes" },
                { "Slice", "machine.slice" },
                { "RestartForceExitStatus", "133" },
                { "SuccessExitStatus", "133" },
                { "Restart", "on-failure" },
                { "TasksMax", "16384" },
                { "DevicePolicy", "closed" },
                { "DeviceAllow", "/dev/net/tun rwm" },
                { "DeviceAllow", "char-pts rw" },
                { "DeviceAllow", "/dev/loop-control rw" },
                { "DeviceAllow", "block-loop rw" },
                { "DeviceAllow", "block-blkext rw" },
                { "DeviceAllow", "/dev/mapper/control rw" },
                { "DeviceAllow", "block-device-mapper rw" },
        };
        int r = 0;
        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(unit_lines); i++)
                r = oci_unit_add(u, OCI_UNIT_SECTION_UNIT, unit_lines[i][0], unit_lines[i][1]);
        /* as systemd-nspawn@.service, unless told to do without */
        if (r >= 0 && oci_value_bool(d, OCI_OPT_DEFAULT_DEPENDENCIES) != 0)
                r = oci_unit_add(u, OCI_UNIT_SECTION_UNIT, "After", "network.target");
        if (r >= 0) {
                _cleanup_free_ char *q = oci_quote_words((char *[]) { image_path, NULL });
                r = q ? oci_unit_add(u, OCI_UNIT_SECTION_UNIT, "RequiresMountsFor", q) : -ENOMEM;
        }
        if (r >= 0)
                r = oci_unit_add_service_lines(u, service_lines, ELEMENTSOF(service_lines));
        if (r >= 0)
                r = oci_unit_add(u, OCI_UNIT_SECTION_SERVICE, "TimeoutStartSec", oci_value_str(d, OCI_OPT_START_TIMEOUT));
        if (r >= 0)
                r = oci_render_service_environment(d, ctx, u);
        if (r >= 0)
                r = device_args(d, &argv, u);
        if (r >= 0)
                r = address_lines(d, name, &argv, u);
        if (r < 0)
                return r;

        if (oci_render_table_args(d, B, &argv) < 0)
                return -ENOMEM;
        if (oci_value_count(d, OCI_OPT_EXEC) && (strv_extend(&argv, "--") < 0 || oci_value_extend_words(d, OCI_OPT_EXEC, &argv) < 0))
                return -ENOMEM;
        return oci_unit_add_exec(u, "ExecStart", "", argv);
}

const OciBackend oci_backend_nspawn = {
        .id = OCI_BACKEND_NSPAWN,
        .binary = OCI_OPT_NSPAWN_PATH,
        .autostart_target = "machines.target",
        .render = { [OCI_UNIT_CONTAINER] = nspawn_render },
        .container_name = machine_name,
        .validate = nspawn_validate,
};
