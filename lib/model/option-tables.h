/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The option table's key index, subsets and groups, made at build time by mktables.c from the
 * table itself (option-tables.c in the build directory), so that a run finds a key or a subset
 * without a pass over every row. options.c reads them; nothing else needs to. The arrays hold
 * numbers, no pointers: the loader has nothing to relocate in them. */
#pragma once

#include "hashmap.h"
#include "options.h"

/* The key index: a key's bucket is the low bits of its hash_string() (OCI_KEY_BUCKETS is a power
 * of two, so the build machine's tool and the host's library agree whatever the width of size_t).
 * oci_key_bucket[h] is the first row of bucket h plus one (0: none), oci_key_next[row] the next
 * row of the row's bucket plus one; rows with one key (one per section) share a bucket. */
#define OCI_KEY_BUCKETS 512u
static inline unsigned oci_key_bucket_of(const char *key) {
        return (unsigned) (hash_string(key, strlen(key)) % OCI_KEY_BUCKETS);
}
extern const unsigned short oci_key_bucket[OCI_KEY_BUCKETS];
extern const unsigned short oci_key_next[_OCI_OPT_MAX];

/* The rows of every subset and group, one after the other, each in table order; a span says
 * where one starts in oci_table_rows[] and how many rows it has. */
typedef struct OciRowSpan {
        unsigned short start, n;
} OciRowSpan;
extern const OciOptionId oci_table_rows[];
/* oci_option_rows(): a set's rows; OCI_ROWS_RENDER's per section and engine, the others' at
 * [set][0][0] */
extern const OciRowSpan oci_row_sets[_OCI_ROWS_MAX][_OCI_SECTION_MAX][_OCI_BACKEND_MAX];
/* oci_option_group(): the rows of group g of a column at [column][g] ([column][0]: none) */
extern const OciRowSpan oci_row_groups[_OCI_GROUP_MAX][OCI_GROUPS_MAX];
