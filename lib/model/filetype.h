/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The kinds of definition file, declared once: a row of oci_file_types[] is all a new one needs
 * besides its keys' rows, its engines' render functions and its check function (lib/check/types.c:
 * the check layer is above this one, so the row cannot name it). */

#include "options.h"

typedef struct OciFileType {
        const char *extension; /* ".container" */
        OciSection section;    /* the section that makes it what it is: [Container] */
        unsigned sections;     /* every section such a file may have (OCI_IN() mask) */
        const char *suffix;    /* what its unit's name adds to the file's: "", "-network" */
        unsigned order;        /* of two files with the same name, the lower is processed first */
        const char *man;       /* its manual page, for Documentation= */
        const char *needs;     /* what its main section must hold, for the message when it is missing;
                                * NULL: it may be missing, as Quadlet makes the unit with the defaults */
        OciOptionId name_key;  /* the key that names the engine's object (NetworkName=); _OCI_OPT_INVALID if none */
        bool autostart;        /* a workload: started at boot unless AutoStart= or [Install] says otherwise */
        bool fetches;          /* its service fetches from the network (an image pull): it waits for the network */
        bool oneshot;          /* its service is Type=oneshot unless [Service] Type= says otherwise */
        /* a reference NAME.EXT:OPTIONS to it is refused: what it makes is joined as it is (another
         * container's network namespace, Network=NAME.container), as with Quadlet */
        bool joined_whole;
        /* what refers to it gets the engine's name of what it makes (its image's name) as written,
         * in specifier form; else that name is literal (NetworkName=) */
        bool resource_as_written;
        /* --export=kube reads it: every key of its sections has a kube column (lib/export) */
        bool exported;
} OciFileType;

extern const OciFileType oci_file_types[_OCI_UNIT_TYPE_MAX];

/* The row of t; t must be valid. */
const OciFileType *oci_file_type(OciUnitType t);
const char *oci_unit_type_extension(OciUnitType t); /* ".container"; NULL for an invalid type */
OciSection oci_unit_type_section(OciUnitType t);
unsigned oci_unit_type_sections(OciUnitType t);
const char *oci_unit_type_suffix(OciUnitType t);
/* Every extension, ".container, .network ... and .artifact" (last_sep between the last two). */
int oci_unit_type_list(StrBuf *out, const char *last_sep);
/* The type a file name's extension says, or _OCI_UNIT_TYPE_INVALID (also for a bare ".container"). */
OciUnitType oci_unit_type_from_filename(const char *filename);
