/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* AddCapability=, DropCapability=: capability names, space-separated, in any case, CAP_ optional. */
#include <ctype.h>

#include "internal.h"

const char *const oci_capability_names[] = {
        "chown", "dac_override", "dac_read_search", "fowner", "fsetid", "kill", "setgid", "setuid", "setpcap",
        "linux_immutable", "net_bind_service", "net_broadcast", "net_admin", "net_raw", "ipc_lock", "ipc_owner",
        "sys_module", "sys_rawio", "sys_chroot", "sys_ptrace", "sys_pacct", "sys_admin", "sys_boot", "sys_nice",
        "sys_resource", "sys_time", "sys_tty_config", "mknod", "lease", "audit_write", "audit_control", "setfcap",
        "mac_override", "mac_admin", "syslog", "wake_alarm", "block_suspend", "audit_read", "perfmon", "bpf",
        "checkpoint_restore",
};

const size_t oci_capability_count = ELEMENTSOF(oci_capability_names);

/* The index of a lower-case name without "cap_", -1 for "all", or -EINVAL. */
static int capability_lookup(const char *bare) {
        if (streq(bare, "all"))
                return -1;
        for (size_t i = 0; i < ELEMENTSOF(oci_capability_names); i++)
                if (streq(bare, oci_capability_names[i]))
                        return (int) i;
        return -EINVAL;
}

static const char *bare_name(const char *lower) {
        return startswith(lower, "cap_") ? lower + 4 : lower;
}

static int parse_caps(OciParse *p, const char *text) {
        char *words = value_words(p, text);
        if (!words)
                return -ENOMEM;
        /* every word is known before the first item is added */
        VALUE_FOREACH_WORD(w, words) {
                for (char *c = w; *c; c++)
                        *c = (char) tolower((unsigned char) *c);
                if (capability_lookup(bare_name(w)) == -EINVAL)
                        return oci_parse_error_bare(p, ": '%s' is not a capability (for example NET_ADMIN, CAP_SYS_TIME or all)", w);
        }
        VALUE_FOREACH_WORD(w, words) {
                int cap = capability_lookup(bare_name(w));
                OciItem *it = value_push(p, cap < 0 ? value_strdup(p, "all") : value_concat(p, "cap_", bare_name(w), NULL));
                if (!it)
                        return -ENOMEM;
                it->cap = cap;
        }
        return 0;
}

/* systemd-nspawn writes capabilities in upper case, "all" as it is; the engines take the text. */
static int format_caps(const OciItem *it, OciBackendId b, StrBuf *out) {
        if (b != OCI_BACKEND_NSPAWN || it->cap < 0)
                return strbuf_puts(out, it->text);
        for (const char *c = it->text; *c; c++)
                if (strbuf_putc(out, (char) toupper((unsigned char) *c)) < 0)
                        return -ENOMEM;
        return 0;
}

const OciValueType value_type_caps = { .name = "capabilities", .parse = parse_caps, .format = format_caps };
