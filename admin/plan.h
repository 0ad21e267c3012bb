/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What "oci-containers apply" does, decided without a bus: the generated units before a reload and
 * after it (snapshots of a generator's output directory), and which of them run, make the plan.
 *
 *   snapshot.c  reads an output directory: the units the generator wrote, each with its files
 *   plan.c      the plan: which services to stop, restart and start, and why */

#include <stdbool.h>
#include <stddef.h>

/* One unit the generator wrote, with what belongs to it. */
typedef struct SnapUnit {
        char *name;     /* "web.service" */
        char *source;   /* the definition it came from (SourcePath=), or NULL */
        char *text;     /* the unit file's */
        char *env;      /* its environment file's (UNIT.env), or NULL */
        char *dropins;  /* its drop-ins' (the .conf files of UNIT.d, by name), or NULL */
        bool boot;      /* started at boot: a link in a .wants/ or .requires/ directory of a unit
                         * other than oci-containers.target */
        bool stand_in;  /* stands in for a definition with errors: it starts nothing */
} SnapUnit;

typedef struct Snapshot {
        SnapUnit *units; /* sorted by name */
        size_t n;
        /* the instances started at boot that have no unit file of their own: links to a template's
         * ("multi-user.target.wants/web@x.service -> ../web@.service", from DefaultInstance=),
         * sorted, NULL-terminated; NULL when there are none */
        char **linked;
} Snapshot;

/* Reads the units of oci-containers-generator in dir (other generators' files are left out): 0, or
 * a negative errno. A directory that does not exist is an empty snapshot. */
int snapshot_read(const char *dir, Snapshot *ret);
void snapshot_done(Snapshot *s);
const SnapUnit *snapshot_find(const Snapshot *s, const char *name);
/* The units made from the definition at path, sorted by name (NULL-terminated, the strings s's). */
const char **snapshot_units_of(const Snapshot *s, const char *path);

/* Whether unit is an instance, NAME@INSTANCE.service, of template, NAME@.service. */
bool unit_is_instance_of(const char *unit, const char *template);

typedef enum PlanKind {
        PLAN_STOP,    /* its definition is gone, and it runs */
        PLAN_RESTART, /* it runs, and what was generated for it changed */
        PLAN_START,   /* new, and starts at boot */
        PLAN_KEEP,    /* changed, but left as it is (the reason says why) */
        _PLAN_KIND_MAX,
} PlanKind;

typedef struct PlanStep {
        PlanKind kind;
        const char *unit;   /* the snapshot's, or for an instance of a template running's */
        const char *reason; /* static text */
} PlanStep;

typedef struct Plan {
        PlanStep *steps; /* the stops first, then the restarts, the starts, what is kept; by name */
        size_t n;
} Plan;

/* The plan from before to after, given the units that run (active, activating, reloading,
 * deactivating...: not inactive or failed), in any order. A template (NAME@.service) does not run
 * itself: what is planned for it is planned for each of its instances that runs from it (one with
 * a unit of its own, from NAME@INSTANCE.container, is planned by that unit); an instance its
 * template starts at boot (Snapshot.linked) is planned as a unit of its own would be. A unit has
 * one step at most. The steps' unit names are the snapshots' or running's strings. 0, or -ENOMEM. */
int plan_make(const Snapshot *before, const Snapshot *after, char *const *running, Plan *ret);
void plan_done(Plan *p);
const char *plan_kind_to_string(PlanKind k);
