/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What the files of oci-containers share (plan.h has the planning, which needs no bus).
 *
 *   main.c      the command line, and the verbs
 *   verbs.c     install, rm, apply
 *   show.c      list, status
 *   generate.c  the generator run in this process into a directory, and what it made of each
 *               file; the command's error messages
 *   refs.c      the files a definition names by a relative path, which install copies with it
 *   bus.c       the service manager over D-Bus: reload, start, stop, restart, a unit's state */

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "filetype.h"
#include "options.h"
#include "plan.h"

/* ---- main.c ---- */

typedef struct Context {
        bool user;       /* the user's service manager, the user's directories */
        bool now;        /* install --now, rm --now */
        bool replace;    /* install --replace */
        bool dry_run;    /* apply --dry-run */
        bool json;       /* list --json */
        struct sd_bus *bus; /* opened at first use (bus_get()) */
        bool subscribed;    /* to the manager's signals: once a connection, or it says so */
} Context;

/* The directory definitions are installed in: /etc/oci-containers.d, ~/.config/oci-containers.d. */
char *admin_dir(const Context *c);
/* Where the service manager's generators write: /run/systemd/generator, or
 * $XDG_RUNTIME_DIR/systemd/generator; $OCI_CONTAINERS_GENERATOR_DIR replaces it. */
char *generator_dir(const Context *c);

/* ---- generate.c ---- */

/* Messages as systemd's tools word them: "Failed to VERB: reason" on standard error. */
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

typedef struct DefInfo {
        char *path;
        OciUnitType type;
        char *unit;        /* NULL when it failed before it had one */
        OciBackendId backend;
        bool failed;
        char *first_error; /* "FILE:LINE: text" of its first error, when it failed */
        char *template;    /* the template the generator reads first, for an instance; or NULL */
        char **dropins;    /* the drop-ins it reads after the file, in their order; or NULL */
} DefInfo;

typedef struct Listing {
        DefInfo *defs;     /* in the generator's order: by name */
        size_t n;
} Listing;

/* Runs the generator of the system's or the user's manager into dir (which exists and is empty),
 * silently; what it made of each definition in *ret (may be NULL). 0, or a negative errno. */
int generate_into(bool user, const char *dir, Listing *ret);
void listing_done(Listing *l);
/* A new empty directory for generate_into() (malloc()ed), removed with its files by remove_tree(). */
char *make_temp_dir(void);
void remove_tree(const char *dir);

/* ---- refs.c ---- */

/* One file to copy: from, and its name under the admin directory ("web.container",
 * "web.container.d/10-x.conf"). */
typedef struct Item {
        char *from, *to;
        mode_t mode;
} Item;

typedef struct Items {
        Item *v;
        size_t n, cap;
} Items;

/* Adds what installing arg (a definition, or a directory of them) into the directory admin copies.
 * A file a definition names by a relative path comes with it when it is a file in the definition's
 * directory or below, keeping its permission bits (at most 0644); else it must be where the
 * installed definition will look for it. 0; or -EINVAL, every problem said ("FILE:LINE: ..."), or
 * another negative errno. */
int install_collect(Items *it, const char *arg, const char *admin);
void items_done(Items *it);

/* ---- bus.c ---- */

int bus_get(Context *c);
void bus_close(Context *c);
/* Reload (daemon-reload), waiting for it. */
int bus_reload(Context *c);
/* StartUnit, StopUnit, RestartUnit ("replace"), waiting for the job: 0, or a negative errno and
 * the message said. verb is "start", "stop" or "restart". */
int bus_unit_job(Context *c, const char *verb, const char *unit);
typedef struct UnitState {
        char *load_state, *active_state, *sub_state;
        char *fragment_path;
        unsigned main_pid;
        bool wanted;       /* some unit wants or requires it: it starts at boot */
} UnitState;
/* The names of the units that run (unit_state_running()), as ListUnits has them: 0, or a negative
 * errno and the message said. */
int bus_running_units(Context *c, char ***ret);
/* The state of a unit (loaded for it if it is not): 0, or a negative errno. */
int bus_unit_state(Context *c, const char *unit, UnitState *ret);
void unit_state_done(UnitState *s);
bool unit_state_running(const UnitState *s);

/* ---- show.c ---- */

int verb_list(Context *c);
int verb_status(Context *c, const char *name);

/* ---- verbs.c ---- */

int verb_install(Context *c, char **args);
int verb_rm(Context *c, char **names);
int verb_apply(Context *c);
/* The definition file that NAME names in the admin directory ("web", "web.container",
 * "web.service"), its path in *ret; -ENOENT if none. */
int find_definition(const Context *c, const Snapshot *s, const char *name, char **ret);
