/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Checking a definition: pure functions of the definition, the defaults, the host's facts and the
 * summaries of the definitions it refers to. The library never looks another definition up: the
 * caller reads the references a definition declares, deals with those first, and hands their
 * summaries in. */

#include "host.h"
#include "model.h"

/* The ports a pod hands on, in one block of their own with their texts (not the definition's
 * arena): their loc.file is the summary's path. */
typedef struct OciHandoff {
        OciItems items;
        unsigned line; /* the last PublishPort= of the pod, for the warning when nobody took them */
        bool taken;    /* set by the caller once a definition that took them is written */
} OciHandoff;

/* What is known of a definition once it is done: enough for another one to refer to it. The
 * strings are the caller's, who keeps them as long as the summary; the ports it hands on are the
 * summary's own (oci_summary_done()). */
typedef struct OciSummary {
        OciUnitType type;
        OciBackendId backend;
        const char *name;      /* the file name without extension */
        const char *path;      /* the file, for messages */
        const char *unit_name; /* its service; NULL when it failed before it had one */
        const char *resource;  /* .network, .volume, .pod: the engine's name for it (literal); else NULL */
        /* Ports a definition hands to the first one that joins it and is written (a pod with
         * Backend=docker is a network: one member publishes the pod's ports); NULL for any other */
        struct OciHandoff *handoff;
        bool failed;
} OciSummary;

typedef struct OciCheckContext {
        OciDiagSink *sink;
        const OciDefaults *defaults; /* may be NULL */
        const OciHost *host;         /* NULL: the machine's (oci_host_system) */
        /* The definitions this one refers to that exist, each done already. A reference that is not
         * among them names no definition. */
        OciSummary *const *known;
        size_t n_known;
} OciCheckContext;

/* A definition that d names, by the option table's reference column, or in a [Unit] dependency
 * line (dep OCI_DEP_NAME: key is _OCI_OPT_INVALID, item NULL, line and word say where). */
typedef struct OciReference {
        OciUnitType type;
        const char *name;    /* the file name without extension; points into d */
        OciOptionId key;     /* the key whose value names it */
        const OciItem *item; /* the item that does, for messages */
        OciDepKind dep;
        const OciPassLine *line;
        size_t word;         /* index in line->deps */
} OciReference;

/* The first pass: every value parsed into its items and every rule that needs no other definition
 * (the table's cross-key rules, the engine's, the host's). Returns 0, -EINVAL when it reported an
 * error (d->failed is then set), or -ENOMEM. */
int oci_check_local(OciDefinition *d, const OciCheckContext *ctx);

/* The definitions d names, in the order its keys name them; a name may come twice. Only after
 * oci_check_local() passed. *ret is malloc'd (NULL when there is none). */
int oci_definition_references(const OciDefinition *d, OciReference **ret, size_t *ret_n);

/* The second pass: each reference resolved against ctx->known. One that names no definition, or
 * one that failed, is an error of d. Fills the units d requires or binds to. */
int oci_check_references(OciDefinition *d, const OciCheckContext *ctx);

/* Say that ref names no definition (an error of d). For a caller that knows so without the second
 * pass: a definition that failed the first is not checked further, but what it names that does not
 * exist is still worth saying. */
int oci_reference_report_missing(const OciDefinition *d, const OciReference *ref, OciDiagSink *sink);

/* The whole check, both passes, for callers that have every summary at hand (tests, fuzzing). */
int oci_check(OciDefinition *d, const OciCheckContext *ctx);

/* The [Defaults] file: its values parsed. */
int oci_check_defaults(OciDefaults *d, OciDiagSink *sink);

/* The ports d publishes on the host itself once written: its own (for a template, those of the
 * instance DefaultInstance= enables, else none; none for a pod that hands them on) and those handed
 * to it. *ret is malloc'd (the items stay d's and its summaries'). */
int oci_definition_host_ports(const OciDefinition *d, const OciItem ***ret, size_t *ret_n);

/* The host address a port of d takes: "" for every address (none written, 0.0.0.0 or ::, or a
 * [Defaults] address that d's engine does not bind). */
const char *oci_definition_port_address(const OciDefinition *d, const OciPort *p);

/* The summary of which d hands ports to, when d takes them (the caller sets handoff->taken on it once
 * d is written); else NULL. */
OciSummary *oci_definition_handoff(const OciDefinition *d);

/* Fill what s takes from d (done or failed) besides its strings: its type, engine, failure and the
 * ports it hands on (copied: d may go). Returns 0 or -ENOMEM. */
int oci_summary_fill(OciSummary *s, const OciDefinition *d);
void oci_summary_done(OciSummary *s);
/* At the end: a summary whose ports nobody took is reported (a warning). */
void oci_summary_report_handoff(const OciSummary *s, OciDiagSink *sink);

/* The engine's name of a network or volume definition: NetworkName=/VolumeName=, else systemd-NAME.
 * Literal (not in specifier form). NULL on allocation failure. */
char *oci_definition_resource_name(const OciDefinition *d);

/* Work out d->unit_name from ServiceName= or the file name: the first thing known of a definition,
 * before it is checked, so that messages about it can name its unit. */
int oci_definition_resolve_unit_name(OciDefinition *d, OciDiagSink *sink);
