/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* list and status: what is defined, what the generator makes of it, and in what state it is. The
 * definitions are generated anew into a directory of our own, so that what is shown is what the
 * files say now, also before a reload; the state is the service manager's. */
#include <stdio.h>
#include <stdlib.h>
#include <systemd/sd-journal.h>
#include <time.h>
#include <unistd.h>

#include "admin.h"
#include "generator.h"

#define JOURNAL_LINES 10

typedef struct Shown {
        Listing listing;
        Snapshot units; /* what the generator made of them */
} Shown;

static int shown_load(Context *c, Shown *ret) {
        *ret = (Shown) {};
        _cleanup_free_ char *tmp = make_temp_dir();
        if (!tmp) {
                log_error("Failed to make a temporary directory: %s", strerror(errno));
                return -errno;
        }
        int r = generate_into(c->user, tmp, &ret->listing);
        if (r >= 0)
                r = snapshot_read(tmp, &ret->units);
        remove_tree(tmp);
        if (r < 0)
                log_error("Failed to read the definitions: %s", strerror(-r));
        return r;
}

static void shown_done(Shown *s) {
        listing_done(&s->listing);
        snapshot_done(&s->units);
}

/* The value of the first KEY= line of the unit's own sections ([X-Container]...), or NULL. */
static char *x_value(const SnapUnit *u, const char *key) {
        const char *x = u ? strstr(u->text, "\n[X-") : NULL;
        _cleanup_free_ char *k = xasprintf("\n%s=", key);
        const char *p = x && k ? strstr(x, k) : NULL;
        if (!p)
                return NULL;
        p += strlen(k);
        return strndup(p, strcspn(p, "\n"));
}

static void json_string(const char *s) {
        if (!s) {
                fputs("null", stdout);
                return;
        }
        putchar('"');
        for (const unsigned char *p = (const unsigned char *) s; *p; p++)
                if (*p == '"' || *p == '\\')
                        printf("\\%c", *p);
                else if (*p < 0x20)
                        printf("\\u%04x", *p);
                else
                        putchar(*p);
        putchar('"');
}

static const char *type_name(OciUnitType t) {
        return oci_unit_type_extension(t) + 1;
}

int verb_list(Context *c) {
        Shown s;
        if (shown_load(c, &s) < 0)
                return 1;
        bool bus = bus_get(c) >= 0;
        if (!c->json)
                printf("%-28s %-10s %-8s %-10s %-12s %-4s %s\n", "UNIT", "TYPE", "ENGINE", "ACTIVE", "SUB", "BOOT", "FILE");
        else
                putchar('[');
        for (size_t i = 0; i < s.listing.n; i++) {
                const DefInfo *d = &s.listing.defs[i];
                const SnapUnit *u = d->unit ? snapshot_find(&s.units, d->unit) : NULL;
                UnitState st = {};
                /* a template has no state of its own: its instances have */
                if (bus && d->unit && !strstr(d->unit, "@."))
                        (void) bus_unit_state(c, d->unit, &st);
                _cleanup_free_ char *image = x_value(u, "Image");
                _cleanup_free_ const char **units = snapshot_units_of(&s.units, d->path);
                bool boot = u && u->boot && !d->failed;
                const char *engine = oci_backend_to_string(d->backend);
                if (c->json) {
                        printf("%s\n{\"file\":", i ? "," : "");
                        json_string(d->path);
                        printf(",\"type\":\"%s\",\"unit\":", type_name(d->type));
                        json_string(d->unit);
                        fputs(",\"units\":[", stdout);
                        for (const char **n = units; n && *n; n++) {
                                fputs(n == units ? "" : ",", stdout);
                                json_string(*n);
                        }
                        fputs("],\"engine\":", stdout);
                        json_string(engine);
                        fputs(",\"image\":", stdout);
                        json_string(image);
                        fputs(",\"active_state\":", stdout);
                        json_string(st.active_state);
                        fputs(",\"sub_state\":", stdout);
                        json_string(st.sub_state);
                        printf(",\"boot\":%s,\"failed\":%s,\"error\":", boot ? "true" : "false", d->failed ? "true" : "false");
                        json_string(d->first_error);
                        putchar('}');
                } else {
                        printf("%-28s %-10s %-8s %-10s %-12s %-4s %s%s%s\n", d->unit ? d->unit : "-", type_name(d->type), engine,
                               st.active_state ? st.active_state : "-", st.sub_state ? st.sub_state : "-", boot ? "yes" : "no", d->path,
                               image ? " " : "", image ? image : "");
                        if (d->failed)
                                printf("    error: %s\n", d->first_error ? d->first_error : "it has errors (oci-containers check says them)");
                }
                unit_state_done(&st);
        }
        if (c->json)
                fputs(s.listing.n ? "\n]\n" : "]\n", stdout);
        else
                printf("\n%zu definition%s listed.\n", s.listing.n, s.listing.n == 1 ? "" : "s");
        shown_done(&s);
        return 0;
}

/* the last lines of the journal that match field=value */
static void journal_tail(bool user, const char *title, const char *field, const char *value) {
        sd_journal *j = NULL;
        if (sd_journal_open(&j, SD_JOURNAL_LOCAL_ONLY | (user ? SD_JOURNAL_CURRENT_USER : 0)) < 0)
                return;
        _cleanup_free_ char *m = xasprintf("%s=%s", field, value);
        printf("\n%s:\n", title);
        int n = 0;
        if (m && sd_journal_add_match(j, m, 0) >= 0 && sd_journal_seek_tail(j) >= 0) {
                while (n < JOURNAL_LINES && sd_journal_previous(j) > 0)
                        n++;
                for (int k = 0; k < n && sd_journal_next(j) > 0; k++) {
                        const void *data;
                        size_t len;
                        uint64_t t = 0;
                        sd_journal_get_realtime_usec(j, &t);
                        time_t sec = (time_t) (t / 1000000);
                        char when[32] = "";
                        strftime(when, sizeof(when), "%b %d %H:%M:%S", localtime(&sec));
                        if (sd_journal_get_data(j, "MESSAGE", &data, &len) >= 0)
                                printf("%s %.*s\n", when, (int) (len - 8), (const char *) data + 8);
                }
        }
        if (n == 0)
                printf("-- No entries --\n");
        sd_journal_close(j);
}

static const DefInfo *find_shown(const Shown *s, const char *name) {
        _cleanup_free_ char *unit = strchr(name, '.') ? strdup(name) : xasprintf("%s.service", name);
        for (int pass = 0; pass < 2; pass++)
                for (size_t i = 0; i < s->listing.n; i++) {
                        const DefInfo *d = &s->listing.defs[i];
                        const char *file = strrchr(d->path, '/') + 1;
                        if (pass == 0 ? streq(file, name) || streq_ptr(d->unit, unit) : strncmp(file, name, strlen(name)) == 0 && file[strlen(name)] == '.')
                                return d;
                }
        return NULL;
}

int verb_status(Context *c, const char *name) {
        Shown s;
        if (shown_load(c, &s) < 0)
                return 1;
        const DefInfo *d = find_shown(&s, name);
        if (!d) {
                log_error("Definition %s not found.", name);
                shown_done(&s);
                return 4;
        }
        const SnapUnit *u = d->unit ? snapshot_find(&s.units, d->unit) : NULL;
        UnitState st = {};
        if (d->unit && !strstr(d->unit, "@.") && bus_get(c) >= 0)
                (void) bus_unit_state(c, d->unit, &st);
        printf("%s - %s\n", d->unit ? d->unit : "(no unit)", d->path);
        if (d->template)
                printf("   Template: %s\n", d->template);
        /* every drop-in the generator reads for it, in the order it reads them */
        for (char **p = d->dropins; p && *p; p++)
                printf("%s %s\n", p == d->dropins ? "   Drop-ins:" : "            ", *p);
        printf("     Engine: %s\n", oci_backend_to_string(d->backend));
        if (st.fragment_path && *st.fragment_path)
                printf("       Unit: %s\n", st.fragment_path);
        printf("     Active: %s (%s)\n", st.active_state ? st.active_state : "unknown", st.sub_state ? st.sub_state : "unknown");
        if (st.main_pid)
                printf("   Main PID: %u\n", st.main_pid);
        printf("    At boot: %s\n", u && u->boot && !d->failed ? "yes" : "no");
        if (d->failed)
                printf("     Errors: %s\n", d->first_error ? d->first_error : "yes (oci-containers check says them)");
        /* the engine's command line, as the generated unit has it */
        for (const char *p = u ? strstr(u->text, "\nExecStart=") : NULL; p; p = strstr(p + 1, "\nExecStart="))
                printf("    Command: %.*s\n", (int) strcspn(p + 11, "\n"), p + 11);
        if (d->unit)
                journal_tail(c->user, "Journal of the unit", c->user ? "_SYSTEMD_USER_UNIT" : "_SYSTEMD_UNIT", d->unit);
        journal_tail(c->user, "Journal of the generator about the file", "CONFIG_FILE", d->path);
        int ret = unit_state_running(&st) ? 0 : 3;
        unit_state_done(&st);
        shown_done(&s);
        return ret;
}
