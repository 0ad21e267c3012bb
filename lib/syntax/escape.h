/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "util.h"

/* Split a value into words with the rules systemd applies to ExecStart= and Environment=:
 * whitespace separates words; single and double quotes group (anywhere in a word); C escapes
 * (\n \t \\ \" \' \s \xNN \NNN \uNNNN \UNNNNNNNN ...) are decoded inside and outside quotes.
 * A word that is just "\;" is a literal ';', as in ExecStart=; a lone ';' is an ordinary word.
 * Specifiers ("%h", "%%") are left alone: they stay in the words for systemd to resolve.
 * Returns 0, -EINVAL with *ret_error set to a static explanation, or -ENOMEM. */
int oci_split_words(const char *s, char ***ret, const char **ret_error);
/* The same; on -EINVAL also the number of the word in error (from 1) in *ret_word and what of it
 * was decoded before the error in *ret_partial (malloc()ed; NULL when memory ran out), so that a
 * message can name a word without showing the value. Either may be NULL. */
int oci_split_words_at(const char *s, char ***ret, const char **ret_error, size_t *ret_word, char **ret_partial);

/* Split a value into words as Quadlet's reader does (podman's pkg/systemd/parser):
 *   OCI_SPLIT_WORDS  LookupAllStrv: whitespace separates words, single and double quotes group
 *                    and are removed, a backslash is an ordinary character;
 *   OCI_SPLIT_ARGS   LookupAllArgs and LookupAllKeyVal: the same, and C escapes are decoded
 *                    (\a \b \f \n \r \t \v \\ \" \' \s \xNN \NNN \uNNNN \UNNNNNNNN, where \xNN and \NNN
 *                    stand for the code point U+00NN, as Quadlet writes them); an unterminated
 *                    quote ends with the value, a backslash at the very end is dropped. A word that
 *                    is just "\;" is a literal ';', as in systemd's command lines.
 * An empty word ("") is kept. Returns 0, with *ret_note set to a static remark about what was
 * taken leniently (or NULL); -EINVAL with *ret_error set to a static explanation (an escape
 * Quadlet does not know or one for a NUL byte; with OCI_SPLIT_WORDS an unterminated quote), for
 * which Quadlet ignores the whole assignment; or -ENOMEM. ret_note may be NULL. The words are one
 * allocation, the vector with their text after it: free() frees them (not strv_free()). */
typedef enum OciSplitMode {
        OCI_SPLIT_WORDS,
        OCI_SPLIT_ARGS,
} OciSplitMode;
int oci_split_quadlet(const char *s, OciSplitMode mode, char ***ret, const char **ret_error, const char **ret_note);
/* The same, the words written into buf, which the caller gives room for len + 2 bytes (len is
 * strlen(s)): each NUL-terminated, one after the other, *ret_n of them. */
int oci_split_quadlet_to(const char *s, size_t len, OciSplitMode mode, char *buf, size_t *ret_n, const char **ret_error,
                         const char **ret_note);

enum {
        OCI_QUOTE_PERCENT = 1 << 0, /* the word is literal: '%' becomes "%%" */
        OCI_QUOTE_DOLLAR = 1 << 1,  /* the word goes into a command line: "$$", "${...}" and "$NAME"
                                     * stay (a literal '$', variables), any other '$' becomes "$$" */
};

/* Append one word in unit-file syntax so that systemd's splitting gives it back unchanged. */
int oci_quote_word(StrBuf *b, const char *word, unsigned flags);

/* An ExecStart=-style command line. argv[0] must be an absolute path. Every word is in unit form
 * already: specifiers as systemd resolves them (see oci_specifier_escape()), "$$" for a literal '$'
 * and "${NAME}" or "$NAME" for a variable (see oci_exec_escape()); a lone '$' is doubled. */
char *oci_quote_exec(char *const *argv);

/* Words for Environment= and similar: quoted, specifiers kept, '$' left alone. */
char *oci_quote_words(char *const *words);

/* The length of the variable reference systemd would expand at s, a '$': "${...}" to its '}', or
 * "$NAME"; 0 when s is not one ("$$", a lone '$'). */
size_t oci_variable_at(const char *s);
/* Does s refer to a variable of the service's environment, which systemd expands at start? */
bool oci_has_variable(const char *s);

/* A literal string in specifier form: every '%' doubled. */
char *oci_specifier_escape(const char *s);
/* A literal string for a word of a command line: every '%' and every '$' doubled, so that systemd
 * resolves no specifier and expands no variable in it. */
char *oci_exec_escape(const char *s);

/* Does every '%' in s start a specifier systemd 252 and later know? On failure *ret_bad is the
 * offending character ('\0' for a '%' at the very end). */
bool oci_specifiers_valid(const char *s, char *ret_bad);

/* The systemd version that first resolves specifier "%c", for the ones later than 252 that the
 * generator passes through (%D: 254); 0 for any other character. */
unsigned oci_specifier_since(char c);

/* Does s end in an unescaped backslash (an odd number of them)? At the end of a line of a unit,
 * systemd would join the next line to it. */
bool oci_ends_in_backslash(const char *s);

/* A value may go verbatim after "Key=" in a unit file only without line breaks or NULs, and not
 * ending in an unescaped backslash. */
bool oci_unit_value_is_safe(const char *s);
/* The same for the n bytes at s. */
bool oci_unit_text_is_safe(const char *s, size_t n);

/* A name that may stand before ".service" (and similar) in a unit name: systemd's characters and
 * length, neither a leading nor a trailing '.', and no "..". */
bool oci_unit_prefix_valid(const char *s);
bool oci_unit_name_valid(const char *s);

/* systemd's longest unit name, "NAME.service" included. */
#define OCI_UNIT_NAME_MAX 255
/* The longest name the generator gives an engine for a container, pod, network or volume. */
#define OCI_ENGINE_NAME_MAX 253
/* Such a name: a letter or digit, then letters, digits, '_', '.' and '-' (podman's and docker's
 * rule), no "..", at most OCI_ENGINE_NAME_MAX bytes; with 'specifiers', "%X" and a variable
 * ("${NAME}", "$NAME") count as one character of the name. */
bool oci_engine_name_valid(const char *s, bool specifiers);
