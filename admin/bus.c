/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The service manager over D-Bus (sd-bus): the system's, or with --user the user's, as systemctl
 * talks to them. A job is waited for as systemctl waits: JobRemoved names its result. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>

#include "admin.h"
#include "util.h"

#define DEST "org.freedesktop.systemd1"
#define PATH "/org/freedesktop/systemd1"
#define MANAGER "org.freedesktop.systemd1.Manager"
/* as long as systemctl gives a reload or a job: images are pulled at start */
#define RELOAD_TIMEOUT_USEC (360ull * 1000000ull)

int bus_get(Context *c) {
        if (c->bus)
                return 0;
        int r = c->user ? sd_bus_open_user(&c->bus) : sd_bus_open_system(&c->bus);
        if (r < 0) {
                log_error("Failed to connect to %s bus: %s", c->user ? "user" : "system", strerror(-r));
                c->bus = NULL;
        }
        return r;
}

void bus_close(Context *c) {
        c->bus = sd_bus_flush_close_unref(c->bus);
}

int bus_reload(Context *c) {
        int r = bus_get(c);
        if (r < 0)
                return r;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        sd_bus_message *m = NULL, *reply = NULL;
        r = sd_bus_message_new_method_call(c->bus, &m, DEST, PATH, MANAGER, "Reload");
        if (r >= 0)
                r = sd_bus_call(c->bus, m, RELOAD_TIMEOUT_USEC, &error, &reply);
        if (r < 0)
                log_error("Failed to reload daemon: %s", error.message ? error.message : strerror(-r));
        sd_bus_error_free(&error);
        sd_bus_message_unref(m);
        sd_bus_message_unref(reply);
        return r;
}

typedef struct JobWait {
        const char *path;
        char *result;
} JobWait;

static int on_job_removed(sd_bus_message *m, void *userdata, sd_bus_error *error) {
        JobWait *w = userdata;
        uint32_t id;
        const char *path, *unit, *result;
        (void) error;
        if (sd_bus_message_read(m, "uoss", &id, &path, &unit, &result) < 0)
                return 0;
        if (w->path && streq(path, w->path) && !w->result)
                w->result = strdup(result);
        return 0;
}

int bus_unit_job(Context *c, const char *verb, const char *unit) {
        int r = bus_get(c);
        if (r < 0)
                return r;
        const char *method = streq(verb, "start") ? "StartUnit" : streq(verb, "stop") ? "StopUnit" : "RestartUnit";
        sd_bus_error error = SD_BUS_ERROR_NULL;
        sd_bus_message *reply = NULL;
        sd_bus_slot *slot = NULL;
        JobWait w = {};
        _cleanup_free_ char *job = NULL;
        /* the signal is matched before the job exists: a quick job ends before the reply is read */
        r = sd_bus_match_signal(c->bus, &slot, DEST, PATH, MANAGER, "JobRemoved", on_job_removed, &w);
        if (r >= 0 && !c->subscribed) {
                r = sd_bus_call_method(c->bus, DEST, PATH, MANAGER, "Subscribe", &error, NULL, NULL);
                c->subscribed = r >= 0;
        }
        if (r >= 0)
                r = sd_bus_call_method(c->bus, DEST, PATH, MANAGER, method, &error, &reply, "ss", unit, "replace");
        const char *p = NULL;
        if (r >= 0)
                r = sd_bus_message_read(reply, "o", &p);
        if (r >= 0 && !(job = strdup(p)))
                r = -ENOMEM;
        w.path = job;
        while (r >= 0 && !w.result) {
                r = sd_bus_process(c->bus, NULL);
                if (r == 0)
                        r = sd_bus_wait(c->bus, RELOAD_TIMEOUT_USEC);
        }
        if (r < 0)
                log_error("Failed to %s %s: %s", verb, unit, error.message ? error.message : strerror(-r));
        else if (!streq(w.result, "done")) {
                const char *u = c->user ? " --user" : "";
                log_error("Job for %s failed (result: %s).\nSee \"systemctl%s status %s\" and \"journalctl%s -xeu %s\" for details.",
                          unit, w.result, u, unit, u, unit);
                r = -EIO;
        }
        free(w.result);
        sd_bus_slot_unref(slot);
        sd_bus_message_unref(reply);
        sd_bus_error_free(&error);
        return r < 0 ? r : 0;
}

int bus_running_units(Context *c, char ***ret) {
        *ret = NULL;
        int r = bus_get(c);
        if (r < 0)
                return r;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        sd_bus_message *reply = NULL;
        char **l = NULL;
        size_t n = 0;
        r = sd_bus_call_method(c->bus, DEST, PATH, MANAGER, "ListUnits", &error, &reply, NULL);
        if (r >= 0)
                r = sd_bus_message_enter_container(reply, 'a', "(ssssssouso)");
        while (r >= 0) {
                const char *name, *active;
                r = sd_bus_message_read(reply, "(ssssssouso)", &name, NULL, NULL, &active, NULL, NULL, NULL, NULL, NULL, NULL);
                if (r <= 0)
                        break;
                UnitState st = { .active_state = (char *) active };
                if (unit_state_running(&st)) {
                        char *s = strdup(name);
                        r = s ? strv_push_at(&l, n++, s) : -ENOMEM;
                }
        }
        if (r < 0) {
                log_error("Failed to list units: %s", error.message ? error.message : strerror(-r));
                l = strv_free(l);
        } else if (!l && !(l = calloc(1, sizeof(char *))))
                r = -ENOMEM;
        sd_bus_message_unref(reply);
        sd_bus_error_free(&error);
        *ret = l;
        return r < 0 ? r : 0;
}

static bool wanted_by_other(char **l) {
        for (char **s = l; s && *s; s++)
                if (!streq(*s, "oci-containers.target"))
                        return true;
        return false;
}

int bus_unit_state(Context *c, const char *unit, UnitState *ret) {
        *ret = (UnitState) {};
        int r = bus_get(c);
        if (r < 0)
                return r;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        sd_bus_message *reply = NULL;
        _cleanup_free_ char *path = NULL;
        const char *p;
        r = sd_bus_call_method(c->bus, DEST, PATH, MANAGER, "LoadUnit", &error, &reply, "s", unit);
        if (r >= 0)
                r = sd_bus_message_read(reply, "o", &p);
        if (r >= 0 && !(path = strdup(p)))
                r = -ENOMEM;
        sd_bus_message_unref(reply);
        const char *iface = "org.freedesktop.systemd1.Unit";
        if (r >= 0)
                r = sd_bus_get_property_string(c->bus, DEST, path, iface, "LoadState", &error, &ret->load_state);
        if (r >= 0)
                r = sd_bus_get_property_string(c->bus, DEST, path, iface, "ActiveState", &error, &ret->active_state);
        if (r >= 0)
                r = sd_bus_get_property_string(c->bus, DEST, path, iface, "SubState", &error, &ret->sub_state);
        if (r >= 0)
                r = sd_bus_get_property_string(c->bus, DEST, path, iface, "FragmentPath", &error, &ret->fragment_path);
        char **wanted = NULL, **required = NULL;
        if (r >= 0)
                r = sd_bus_get_property_strv(c->bus, DEST, path, iface, "WantedBy", &error, &wanted);
        if (r >= 0)
                r = sd_bus_get_property_strv(c->bus, DEST, path, iface, "RequiredBy", &error, &required);
        ret->wanted = wanted_by_other(wanted) || wanted_by_other(required);
        strv_free(wanted);
        strv_free(required);
        if (r >= 0 && endswith(unit, ".service")) {
                uint32_t pid = 0;
                sd_bus_error e2 = SD_BUS_ERROR_NULL;
                if (sd_bus_get_property_trivial(c->bus, DEST, path, "org.freedesktop.systemd1.Service", "MainPID", &e2, 'u', &pid) >= 0)
                        ret->main_pid = pid;
                sd_bus_error_free(&e2);
        }
        if (r < 0) {
                log_error("Failed to get properties of %s: %s", unit, error.message ? error.message : strerror(-r));
                unit_state_done(ret);
        }
        sd_bus_error_free(&error);
        return r;
}

void unit_state_done(UnitState *s) {
        free(s->load_state);
        free(s->active_state);
        free(s->sub_state);
        free(s->fragment_path);
        *s = (UnitState) {};
}

bool unit_state_running(const UnitState *s) {
        return s->active_state && !streq(s->active_state, "inactive") && !streq(s->active_state, "failed");
}
