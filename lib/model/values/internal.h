/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What the parsers of lib/model/values/ share and nothing else sees. */

#include "model.h"
#include "values.h"

extern const OciValueType value_type_string, value_type_bool, value_type_choice, value_type_words,
        value_type_keyvalue, value_type_path, value_type_port, value_type_port_range, value_type_volume,
        value_type_mountpoint, value_type_caps, value_type_device, value_type_name, value_type_units,
        value_type_refs, value_type_address, value_type_int, value_type_size, value_type_uid, value_type_gid,
        value_type_duration, value_type_timespan, value_type_network, value_type_owner, value_type_image, value_type_dir_name,
        value_type_auto_update, value_type_address_prefix, value_type_veth;

/* The row of the assignment being parsed. */
static inline const OciOption *value_option(const OciParse *p) {
        return &oci_options[p->id];
}

/* The definition the assignment belongs to. */
static inline const OciDefinition *value_definition(const OciParse *p) {
        return (const OciDefinition *) p->d;
}

/* A NAME row's rule, one word without spaces or control characters, not starting with '-'.
 * Returns 0 or -EINVAL (reported). */
int value_check_name(OciParse *p, const char *text);

/* Absolute, or starting with a specifier that systemd resolves to an absolute path. */
bool value_is_path(const char *s);

/* The row's specifier rule applied to s (a value, or one word of it). Returns 0 or -EINVAL (reported). */
int value_check_specifiers(OciParse *p, const char *s);

/* s as an absolute path in specifier form (item memory): checked as normalised, or resolved against
 * the definition's directory when the row has OCI_OPT_RELATIVE. Returns 0, -EINVAL (reported),
 * -ENOMEM. */
int value_normalise_path(OciParse *p, const char *s, char **ret);

/* PORT[-PORT] of the n bytes at s, 1 to 65535, a range ascending. */
int value_parse_port_range(const char *s, size_t n, unsigned *lo, unsigned *hi);

/* Is the n bytes at s an IPv4 or IPv6 address? *ret_v6 says which. */
bool value_valid_address(const char *s, size_t n, bool *ret_v6);

/* Which of "tcp", "udp", "sctp" s is, or -EINVAL. */
int value_proto_from_string(const char *s);

/* The text of a [Defaults] key, or NULL when there are no defaults or it is not set. */
const char *value_default(const OciParse *p, OciOptionId id);

/* Item memory (values.h, OciItems): every string an item holds is allocated by these, in
 * p->arena, and never freed alone. Each returns NULL when memory runs out. */
/* A copy of the n bytes at s, NUL-terminated. */
char *value_strndup(OciParse *p, const char *s, size_t n);
static inline char *value_strdup(OciParse *p, const char *s) {
        return value_strndup(p, s, strlen(s));
}
/* The length of text, a piece the type's parser was given or another string. */
static inline size_t value_len(const OciParse *p, const char *text) {
        return text == p->piece ? p->piece_len : strlen(text);
}
/* text as item memory: the piece itself when it is item memory of its own, else a copy. */
static inline char *value_keep(OciParse *p, const char *text) {
        if (text == p->piece && p->piece_owned)
                return (char *) text;
        return value_strndup(p, text, value_len(p, text));
}
/* Is text valid UTF-8? Known without a look for a piece of ASCII. */
static inline bool value_utf8_valid(const OciParse *p, const char *text) {
        return (text == p->piece && p->piece_ascii) || utf8_is_valid_n(text, value_len(p, text));
}
/* The strings given, up to a NULL, one after the other. */
char *value_concat(OciParse *p, const char *s, ...) __attribute__((sentinel));
/* The words of text between blanks (spaces and tabs; none is empty), each NUL-terminated, one
 * after the other, then an empty one: walked with VALUE_FOREACH_WORD(). */
char *value_words(OciParse *p, const char *text);
#define VALUE_FOREACH_WORD(w, words) for (char *w = (words); *w; w += strlen(w) + 1)
/* A new zeroed item at the end of p->out, at p->loc, holding text (item memory; NULL: NULL). */
static inline OciItem *value_push(OciParse *p, char *text) {
        return oci_items_push(p->arena, p->out, &p->loc, text);
}
