/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The option table as option-list.h declares it, with its strings: what option-table.c makes of
 * the list, for mktables alone. mktables writes from it the table the library has (OciOption,
 * options.h: the same columns, each string an offset into one array of them), so that the program
 * carries no pointer to relocate in its table. A column added here is written by mktables'
 * write_row() too. */
#pragma once

#include "options.h"

typedef struct OciRenderDecl {
        OciRenderKind kind;
        const char *flag;
        OciRenderFnId fn;
} OciRenderDecl;

typedef struct OciWhenDecl {
        unsigned short key;
        const char *value;
} OciWhenDecl;

typedef struct OciKubeDecl {
        OciKubeKind kind;
        const char *text;
} OciKubeDecl;

typedef struct OciOptionDecl {
        const char *key;
        unsigned sections;
        OciType type;
        unsigned flags;
        const char *default_value;
        const char *const *choices; /* NULL-terminated */
        OciRenderDecl render[_OCI_BACKEND_MAX];
        const char *doc;
        OciRead read;
        OciRefColumn ref;
        unsigned short conflicts;
        unsigned short needs;
        unsigned short deprecated_by;
        unsigned char together;
        signed char apart;
        unsigned short podman;
        unsigned char one_of;
        const char *example;
        unsigned short belongs_to;
        unsigned short count_le;
        OciWhenDecl goes_with;
        OciKubeDecl kube;
} OciOptionDecl;

extern const OciOptionDecl oci_option_decls[_OCI_OPT_MAX];

/* How the row renders for that engine, AS_PODMAN resolved (oci_option_render() of the library). */
static inline const OciRenderDecl *oci_option_decl_render(OciOptionId id, OciBackendId b) {
        const OciRenderDecl *r = &oci_option_decls[id].render[b];
        return r->kind == OCI_RENDER_AS_PODMAN ? &oci_option_decls[id].render[OCI_BACKEND_PODMAN] : r;
}
