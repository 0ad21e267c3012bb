/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The option table: the rows of option-list.h as data, with their strings. Compiled into mktables
 * alone, which writes from it, at build time, the table the library has (without pointers) and its
 * indexes and subsets. */
#include "config.h"
#include "option-decl.h"

#define CHOICES(...) ((const char *const[]) { __VA_ARGS__, NULL })
#define R(kind, flag) { OCI_RENDER_##kind, flag, OCI_FN_NONE }
/* code renders it: the function, and the flag it writes where one says it for the man page */
#define RF(fn, flag) { OCI_RENDER_FN, flag, OCI_FN_##fn }
#define NO { OCI_RENDER_UNSUPPORTED, NULL, OCI_FN_NONE }
#define BOTH { OCI_RENDER_AS_PODMAN, NULL, OCI_FN_NONE }
/* the optional columns */
#define K(id) (OCI_OPT_##id + 1)
#define REF(part_, type_, dep_) { .part = OCI_REF_##part_, .type = OCI_UNIT_##type_, .dep = OCI_DEP_##dep_ }
/* the same, for a value that may name a definition of other types too (by their extensions) */
#define REF_ANY(part_, type_, dep_, others_) { .part = OCI_REF_##part_, .type = OCI_UNIT_##type_, .dep = OCI_DEP_##dep_, .others = (others_) }
#define READ(r) OCI_READ_##r
#define PODMAN_AFTER(major, minor) ((major) * 100 + (minor))
#define WHEN(id, value_) { .key = K(id), .value = (value_) }
#define KUBE(path) { OCI_KUBE_FIELD, (path) }
#define KUBE_NONE(why) { OCI_KUBE_NONE, (why) }

const OciOptionDecl oci_option_decls[_OCI_OPT_MAX] = {
#define OCI_OPTION(id, key_, sections_, type_, flags_, default_, choices_, podman_, docker_, nspawn_, doc_, ...) \
        [OCI_OPT_##id] = {                                                                          \
                .key = key_,                                                                        \
                .sections = sections_,                                                              \
                .type = type_,                                                                      \
                .flags = flags_,                                                                    \
                .default_value = default_,                                                          \
                .choices = choices_,                                                                \
                .render = { [OCI_BACKEND_PODMAN] = podman_,                                         \
                            [OCI_BACKEND_DOCKER] = docker_,                                         \
                            [OCI_BACKEND_NSPAWN] = nspawn_ },                                       \
                .doc = doc_,                                                                        \
                __VA_ARGS__                                                                         \
        },
#include "option-list.h"
#undef OCI_OPTION
};
