/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hashmap.h"
#include "util.h"

typedef enum OciUnitSection {
        OCI_UNIT_SECTION_UNIT,
        OCI_UNIT_SECTION_SERVICE,
        OCI_UNIT_SECTION_INSTALL,
        _OCI_UNIT_SECTION_MAX,
} OciUnitSection;

typedef struct OciLink {
        char *path;   /* relative to the output directory: "multi-user.target.wants/web.service" */
        char *target; /* what the link points to: "../web.service" */
} OciLink;

/* A unit file being built: lines are "Key=Value", already in unit-file syntax. */
typedef struct OciUnitFile {
        char *name;
        char **comments; /* header lines, without the leading "# " */
        char **lines[_OCI_UNIT_SECTION_MAX];
        OciLink *links;
        size_t n_links;
        HashMap link_paths; /* path -> its link, once there are many */
        /* Not a unit but a private file beside it (HostEnvironment='s values): its whole text,
         * written with mode 0600 and never shown; secret_names says what it holds, for --dry-run. */
        char *secret;
        char **secret_names;
} OciUnitFile;

OciUnitFile *oci_unit_new(const char *name);
OciUnitFile *oci_unit_free(OciUnitFile *u);
static inline void oci_unit_freep(OciUnitFile **u) {
        oci_unit_free(*u);
}

/* value must already be in unit-file syntax (quoted/escaped as the key needs). */
int oci_unit_add(OciUnitFile *u, OciUnitSection s, const char *key, const char *value);
int oci_unit_addf(OciUnitFile *u, OciUnitSection s, const char *key, const char *fmt, ...) _printf_(4, 5);
/* Add a whole "Key=Value" line, taking it; the caller has checked that it is one line. */
int oci_unit_add_line(OciUnitFile *u, OciUnitSection s, char *line);
int oci_unit_add_link(OciUnitFile *u, const char *path, const char *target);
/* The text of the file. */
char *oci_unit_to_string(const OciUnitFile *u);
/* The text to show a person (--dry-run): a secret file's names, without its values. */
char *oci_unit_to_display(const OciUnitFile *u);
/* The file's mode: 0600 for a secret file, else 0644. */
unsigned oci_unit_file_mode(const OciUnitFile *u);
