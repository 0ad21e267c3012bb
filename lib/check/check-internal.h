/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What the files of lib/check share. */

#include "checks.h"

static inline const OciHost *check_host(const OciCheckContext *ctx) {
        return ctx->host ? ctx->host : &oci_host_system;
}

/* values.c: every assignment of d parsed into its row's items (the row's default when unset). */
int oci_check_values(OciDefinition *d, const OciCheckContext *ctx);

/* rules.c: the option table's cross-key rules (conflicts, needs, deprecated_by, together, apart,
 * one_of, belongs_to, count_le, goes_with). */
int oci_check_table_rules(const OciDefinition *d, OciDiagSink *sink);
/* rules.c: every key set is one the engine honours, and the engine takes this kind of file. */
int oci_check_engine(OciDefinition *d, const OciCheckContext *ctx);
/* rules.c: legal, but almost certainly not what was meant: warnings only. */
void oci_check_lint(const OciDefinition *d, const OciCheckContext *ctx);

/* run-as.c: RunAs= names an account of this machine; fills d->run_as. */
int oci_check_run_as(OciDefinition *d, const OciCheckContext *ctx);

/* naming.c: the engine would refuse the name derived from the file name. */
int oci_check_derived_name(const OciDefinition *d, OciDiagSink *sink, const char *name, OciOptionId key);

/* types.c: per file type, its rules beyond the table's; each sets d->resource, the name what
 * refers to the definition gets (the container's, the network's, the image's), NULL for none.
 * A new file type is a function here and a row of the file-type table; check.c stays as it is. */
typedef int (*OciTypeCheck)(OciDefinition *d, const OciCheckContext *ctx);
extern const OciTypeCheck oci_type_checks[_OCI_UNIT_TYPE_MAX];
/* container.c: a .container's rules beyond the table's; resolves its unit's name. */
int oci_check_container(OciDefinition *d, const OciCheckContext *ctx);
/* unit-deps.c: the words of d's [Unit] dependency lines (After=, Requires=...) that name a
 * definition, NAME.EXT, found (line->deps); one that cannot be a definition's name is an error. */
int oci_check_unit_dependencies(OciDefinition *d, const OciCheckContext *ctx);
/* unit-deps.c: those words as references, appended to *refs (n of them, growing by 8). */
int oci_unit_dependency_references(const OciDefinition *d, OciReference **refs, size_t *n);
