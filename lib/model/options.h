/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdint.h>

#include "util.h"

/* The sections a definition file (or the defaults file) may have. */
typedef enum OciSection {
        OCI_SECTION_CONTAINER,
        OCI_SECTION_QUADLET,
        OCI_SECTION_INSTALL,
        OCI_SECTION_DEFAULTS,
        OCI_SECTION_LOGIN,
        OCI_SECTION_NETWORK,
        OCI_SECTION_VOLUME,
        OCI_SECTION_POD,
        OCI_SECTION_IMAGE,
        OCI_SECTION_BUILD,
        OCI_SECTION_KUBE,
        OCI_SECTION_ARTIFACT,
        OCI_SECTION_UNIT,    /* copied into the unit as written */
        OCI_SECTION_SERVICE, /* copied into the unit as written */
        _OCI_SECTION_MAX,
        _OCI_SECTION_INVALID = -EINVAL,
} OciSection;

#define OCI_IN(s) (1u << OCI_SECTION_##s)

typedef enum OciBackendId {
        OCI_BACKEND_PODMAN,
        OCI_BACKEND_DOCKER,
        OCI_BACKEND_NSPAWN,
        _OCI_BACKEND_MAX,
        _OCI_BACKEND_INVALID = -EINVAL,
} OciBackendId;

/* How a value is checked and normalised. */
typedef enum OciType {
        OCI_TYPE_STRING,    /* free text, one line */
        OCI_TYPE_BOOL,      /* yes/no/true/false/on/off/1/0 */
        OCI_TYPE_CHOICE,    /* one word of the row's choice list */
        OCI_TYPE_WORDS,     /* split with systemd's quoting rules into argv words */
        OCI_TYPE_KEYVALUE,  /* split like WORDS, every word K=V; a later K wins; sorted by K */
        OCI_TYPE_PATH,      /* an absolute path (or relative to the definition, where the row says) */
        OCI_TYPE_PORT,      /* [IP:][HOST:]CTR[/PROTO], ranges allowed, IPv6 in brackets */
        OCI_TYPE_PORT_RANGE,/* PORT[-PORT][/PROTO] */
        OCI_TYPE_VOLUME,    /* [SRC:]DST[:OPTIONS] */
        OCI_TYPE_MOUNTPOINT,/* DST[:OPTIONS], DST absolute (tmpfs) */
        OCI_TYPE_CAPS,      /* capability names, space-separated, CAP_ optional */
        OCI_TYPE_DEVICE,    /* [-]HOST[:CTR][:PERMS] */
        OCI_TYPE_NAME,      /* a container, image or host name: no spaces, no slashes at the start */
        OCI_TYPE_UNITS,     /* unit names, space-separated */
        OCI_TYPE_REFS,      /* names of other definitions (NAME or NAME.EXT), space-separated */
        OCI_TYPE_ADDRESS,   /* an IPv4 or IPv6 address */
        OCI_TYPE_ADDRESS_PREFIX, /* an IPv4 or IPv6 address, /PREFIX optional */
        OCI_TYPE_INT,       /* a decimal integer, -1 allowed where the row's default or doc says */
        OCI_TYPE_SIZE,      /* a byte count with an optional b, k, m or g suffix */
        OCI_TYPE_MOUNT,     /* podman's --mount: type=TYPE,source=...,destination=... */
        OCI_TYPE_UID,       /* a user of the host, a name or a UID: the item is the UID */
        OCI_TYPE_GID,       /* a group of the host, a name or a GID: the item is the GID */
        OCI_TYPE_DURATION,  /* a Go duration, as podman and docker take one: 30s, 1m30s; or a word of the row's choices */
        OCI_TYPE_TIMESPAN,  /* a systemd time span: 90, 1min 30s, infinity */
        OCI_TYPE_NETWORK,   /* MODE[:OPTIONS], a network mode or a network, as NAME takes it */
        OCI_TYPE_OWNER,     /* USER[:GROUP] */
        OCI_TYPE_IMAGE,     /* an image's name, [TRANSPORT:][REGISTRY/]PATH[:TAG][@DIGEST], as NAME takes it */
        OCI_TYPE_DIR_NAME,  /* one directory name: no '/', not . or .. */
        OCI_TYPE_AUTO_UPDATE, /* [CONTAINER/]registry or [CONTAINER/]local, as NAME takes it */
        OCI_TYPE_VETH,      /* HOST[:MACHINE][,OPTION=VALUE...]: an extra veth pair and its addresses */
        _OCI_TYPE_MAX,
} OciType;

enum {
        OCI_OPT_LIST = 1 << 0,      /* repeatable: assignments append, "Key=" empties the list */
        OCI_OPT_REQUIRED = 1 << 1,  /* a definition without it is an error */
        OCI_OPT_RELATIVE = 1 << 2,  /* relative paths are taken from the definition's directory */
        OCI_OPT_NO_SPECIFIERS = 1 << 3, /* used by the generator itself, so no unit specifiers */
        OCI_OPT_ENGINE_NAME = 1 << 4,   /* names a container, pod, network or volume: oci_engine_name_valid() */
        OCI_OPT_CONFIDENTIAL = 1 << 5,  /* KEY=VALUE words of secrets: a message names the KEY, never shows a
                                         * value; a '%' must be "%%", as nothing resolves specifiers there */
        OCI_OPT_BARE_KEYS = 1 << 6,     /* KEYVALUE: a word without '=' is a key without a value, which the
                                         * engine takes as such (Quadlet's LookupAllKeyVal) */
        OCI_OPT_SUBDIRS = 1 << 7,       /* UNITS: a name may stand under directories, DIR/NAME.service, as
                                         * Quadlet links Alias= (never '..', never out of the output) */
};

/* Option identifiers, one per row of option-list.h. */
typedef enum OciOptionId {
#define OCI_OPTION(id, ...) OCI_OPT_##id,
#include "option-list.h"
#undef OCI_OPTION
        _OCI_OPT_MAX,
        _OCI_OPT_INVALID = -EINVAL,
} OciOptionId;

struct OciDefinition;
struct OciItems;
struct OciRenderOut;

/* The functions that render a key, by name (option-fns.h): the table holds these identifiers, the
 * backend layer the functions (oci_render_fns[], lib/backend/render.h). */
typedef enum OciRenderFnId {
        OCI_FN_NONE,
#define OCI_RENDER_FN(fn) OCI_FN_##fn,
#include "option-fns.h"
#undef OCI_RENDER_FN
        _OCI_FN_MAX,
} OciRenderFnId;

/* What a key turns into for one backend. */
typedef enum OciRenderKind {
        OCI_RENDER_UNSUPPORTED, /* the backend cannot honour it: using it is an error */
        OCI_RENDER_FLAG_VALUE,  /* "FLAG=ITEM" for every item */
        OCI_RENDER_FLAG_IF_TRUE,/* "FLAG" when the boolean is true */
        OCI_RENDER_FLAG_BOOL,   /* "FLAG" when true, "FLAG=false" when false, nothing when unset */
        OCI_RENDER_FLAG_PREFIX, /* "FLAGITEM" for every item: the flag carries its own '=' or ':' */
        OCI_RENDER_ARGS,        /* the items as argv words, where the backend puts extra arguments */
        OCI_RENDER_FN,          /* the row's function renders it (RF(fn, "flag"): the flag, if one, for the man page) */
        OCI_RENDER_GENERIC,     /* the backend-independent code renders it (dependencies, install) */
        OCI_RENDER_AS_PODMAN,   /* in the docker column: docker takes the same flag ("both" in FEATURES) */
        _OCI_RENDER_MAX,
} OciRenderKind;

/* A string of the option table: where it starts in oci_option_strings[], 0 for none. The table is
 * written at build time (mktables.c) with these in place of pointers: it holds none, so the loader
 * relocates nothing in it and its pages are the file's, shared, not copied into each run. */
typedef uint32_t OciStr;
extern const char oci_option_strings[];
static inline const char *oci_str(OciStr s) {
        return s ? oci_option_strings + s : NULL;
}

typedef struct OciRender {
        OciRenderKind kind;
        OciStr flag;
        OciRenderFnId fn; /* OCI_RENDER_FN only */
} OciRender;

/* How Quadlet reads a key's assignments (podman's pkg/systemd/parser), which this key follows. */
typedef enum OciRead {
        OCI_READ_DEFAULT, /* LAST for a single-valued key, ALL for a repeatable one */
        OCI_READ_LAST,    /* Lookup: the last assignment, one pair of surrounding double quotes and
                           * trailing blanks removed ("" alone: as if unset) */
        OCI_READ_LAST_RAW, /* LookupLast: the last assignment, as written */
        OCI_READ_ALL,     /* LookupAll: every assignment, as written */
        OCI_READ_WORDS,   /* LookupAllStrv: every assignment split into words */
        OCI_READ_ARGS,    /* LookupAllArgs: every assignment split with systemd's quoting rules */
        OCI_READ_LAST_ARGS, /* LookupLastArgs: the last assignment, split so */
        OCI_READ_KEYVAL,  /* LookupAllKeyVal: KEY=VALUE words of every assignment */
        _OCI_READ_MAX,
} OciRead;

/* The kinds of definition file; their table is in filetype.h. */
typedef enum OciUnitType {
        OCI_UNIT_CONTAINER,
        OCI_UNIT_NETWORK,
        OCI_UNIT_VOLUME,
        OCI_UNIT_POD,
        OCI_UNIT_IMAGE,
        OCI_UNIT_BUILD,
        OCI_UNIT_KUBE,
        OCI_UNIT_ARTIFACT,
        _OCI_UNIT_TYPE_MAX,
        _OCI_UNIT_TYPE_INVALID = -EINVAL,
} OciUnitType;

/* How a reference to another definition ties the units together. */
typedef enum OciDepKind {
        OCI_DEP_REQUIRES, /* Requires= and After= */
        OCI_DEP_BINDS,    /* BindsTo= and After=: a pod's member lives and dies with the pod */
        OCI_DEP_NAME,     /* only its unit's name, for a [Unit] line that names it */
        _OCI_DEP_MAX,
} OciDepKind;

/* Which part of a value names another definition. */
typedef enum OciRefPart {
        OCI_REF_NONE,
        OCI_REF_WORD,   /* each word is NAME or NAME.EXT (DependsOn=) */
        OCI_REF_WHOLE,  /* the value is NAME.EXT (Pod=) */
        OCI_REF_PREFIX, /* NAME.EXT, or NAME.EXT:OPTIONS (Network=, a NETWORK row: its parser finds it) */
        OCI_REF_SOURCE, /* the source of a mount, NAME.EXT:... or source=NAME.EXT (Volume=, Mount=) */
        OCI_REF_SUFFIX, /* the value is NAME.EXT, else it names no definition (Image=: an image's name) */
} OciRefPart;

/* A set of types of definition, for a reference that may name any of them. */
#define OCI_UNIT_BIT(t) (1u << OCI_UNIT_##t)

typedef struct OciRefColumn {
        OciRefPart part;   /* OCI_REF_NONE: the key names no definition */
        OciUnitType type;  /* what it names */
        OciDepKind dep;
        unsigned others;   /* other types it may name instead, told by the extension (OCI_UNIT_BIT()) */
} OciRefColumn;

/* A key and one of its values, for a rule that holds when the key has that value. */
typedef struct OciWhen {
        unsigned short key; /* a row id plus one, 0 for none (oci_option_rule()) */
        OciStr value;
} OciWhen;

/* What a key becomes in Kubernetes YAML (--export=kube, lib/export): a field, which the export code
 * writes, or nothing, which is a warning naming the key when a definition sets it. */
typedef enum OciKubeKind {
        OCI_KUBE_UNSET, /* no column: test-options fails for a row of a type the export covers */
        OCI_KUBE_FIELD, /* text: the field it becomes, for the man page */
        OCI_KUBE_NONE,  /* text: why it has no Kubernetes meaning, for the warning */
        _OCI_KUBE_MAX,
} OciKubeKind;

typedef struct OciKubeColumn {
        OciKubeKind kind;
        OciStr text;
} OciKubeColumn;

/* A row of the option table as the library has it: the row of option-list.h (its columns are
 * described there and in option-decl.h), with an OciStr for each string. */
typedef struct OciOption {
        OciStr key;
        unsigned sections;   /* OCI_IN(...) mask */
        OciType type;
        unsigned flags;      /* OCI_OPT_* */
        OciStr default_value;
        unsigned short choices; /* OCI_TYPE_CHOICE: its words; OCI_TYPE_DURATION: the words it takes
                                 * besides a time; 0 for none (oci_option_choices()) */
        OciRender render[_OCI_BACKEND_MAX];
        OciStr doc;
        /* the optional columns (designated initializers at the end of a row) */
        OciRead read;
        OciRefColumn ref;
        /* cross-key rules; each holds a row id plus one, 0 for none (use oci_option_rule()) */
        unsigned short conflicts;     /* both may not be set: "A= and B= exclude each other" */
        unsigned short needs;         /* set only with that one set too */
        unsigned short deprecated_by; /* a warning that names the key to use instead */
        unsigned char together;       /* a group: the keys with the same number are set all or none */
        signed char apart;            /* two sides of a group: no key of side N goes with one of side -N */
        unsigned short podman;        /* the newest podman that lacks it, as 100 * major + minor; 0: none */
        /* value- and count-dependent rules, declared the same way */
        unsigned char one_of;         /* a group: a file whose main section has these keys sets one of them */
        OciStr example;               /* a one_of key's value in the message when none is set */
        unsigned short belongs_to;    /* not set beside ID, which names a definition that sets it for this one */
        unsigned short count_le;      /* no more items than ID has: each goes with the one of ID in its place */
        OciWhen goes_with;            /* set exactly when ID has that value: "Image= and Driver=image go together" */
        OciKubeColumn kube;           /* what --export=kube makes of it */
} OciOption;

/* 64-bit words of a bit per row */
#define OCI_OPT_WORDS ((_OCI_OPT_MAX + 63) / 64)

extern const OciOption oci_options[_OCI_OPT_MAX];

/* The row's key ("Image"). */
static inline const char *oci_option_key(OciOptionId id) {
        return oci_option_strings + oci_options[id].key;
}
/* The row's choice words, each an OciStr, the list ended by 0; NULL when it has none. */
extern const OciStr oci_option_choice_words[];
static inline const OciStr *oci_option_choices(const OciOption *o) {
        return o->choices ? oci_option_choice_words + o->choices - 1 : NULL;
}

const char *oci_section_to_string(OciSection s);
/* "X-Container" for [Container]: the section of a unit that keeps what the definition said. */
const char *oci_section_extra_name(OciSection s);
OciSection oci_section_from_string(const char *s);
const char *oci_backend_to_string(OciBackendId b);
OciBackendId oci_backend_from_string(const char *s);
const char *oci_type_to_string(OciType t);

/* The row for Key= in that section, or _OCI_OPT_INVALID. */
OciOptionId oci_option_lookup(OciSection section, const char *key);
/* The closest key of that section, for "did you mean"; NULL when nothing is close. */
const char *oci_option_suggest(OciSection section, const char *key);
/* How the key renders for that backend, with AS_PODMAN resolved. Use this, not render[] directly.
 * Inline: the renderer asks it of every row of a section, for every definition. */
static inline const OciRender *oci_option_render(OciOptionId id, OciBackendId b) {
        const OciRender *r = &oci_options[id].render[b];
        return r->kind == OCI_RENDER_AS_PODMAN ? &oci_options[id].render[OCI_BACKEND_PODMAN] : r;
}
/* A rule column's key (conflicts, needs, deprecated_by, belongs_to, count_le, goes_with.key), or
 * _OCI_OPT_INVALID when the row has none. */
static inline OciOptionId oci_option_rule(unsigned short column) {
        return column ? (OciOptionId) (column - 1) : _OCI_OPT_INVALID;
}
/* Subsets of the table, in table order, made at build time (mktables.c): the rows that name other
 * definitions, the rows with a cross-key rule, and per section and engine the rows the engine
 * renders (from the table alone, FLAG_* and ARGS, or with the row's function, FN). Loops over
 * every definition go over these, not over every row. */
typedef enum OciRowSet {
        OCI_ROWS_REFERENCES,
        OCI_ROWS_RULES,
        OCI_ROWS_RENDER,
        _OCI_ROWS_MAX,
} OciRowSet;
/* The rows of the set in *ret (section and engine matter for RENDER only), *ret_n their number.
 * Returns 0 (the sets are made at build time: nothing is allocated). */
int oci_option_rows(OciRowSet set, OciSection section, OciBackendId b, const OciOptionId **ret, size_t *ret_n);

/* The columns that put rows in numbered groups, made at build time too: together, one_of, and
 * the two sides of apart (the rows with N, and those with -N). */
typedef enum OciGroupColumn {
        OCI_GROUP_TOGETHER,
        OCI_GROUP_ONE_OF,
        OCI_GROUP_APART,       /* apart = N */
        OCI_GROUP_APART_OTHER, /* apart = -N */
        _OCI_GROUP_MAX,
} OciGroupColumn;
/* Every group number is below this (a check keeps a bit per group in a 64-bit word). */
#define OCI_GROUPS_MAX 64
/* The rows of group g of the column, in table order; *ret_n their number (0 when it has none). */
const OciOptionId *oci_option_group(OciGroupColumn col, unsigned g, size_t *ret_n);
/* The rows with a default value, a bit per row. */
extern const uint64_t oci_option_default_rows[OCI_OPT_WORDS];
/* Per section and engine, a bit per row: the rows of OCI_ROWS_RENDER, and of them those the engine
 * renders with the row's function (called whatever the definition holds; the others render only
 * what a definition put in their row). */
extern const uint64_t oci_render_row_bits[_OCI_SECTION_MAX][_OCI_BACKEND_MAX][OCI_OPT_WORDS];
extern const uint64_t oci_render_fn_bits[_OCI_SECTION_MAX][_OCI_BACKEND_MAX][OCI_OPT_WORDS];

/* The key's documentation: its doc column and what the other columns say (the podman it needs). */
int oci_option_doc(OciOptionId id, StrBuf *out);
/* How Quadlet reads the key (OCI_READ_DEFAULT resolved). */
OciRead oci_option_read(OciOptionId id);
const char *oci_read_to_string(OciRead r);

/* Which of the types of definition the row's values may name the first len bytes of text name
 * (NAME.EXT, by the extension), or _OCI_UNIT_TYPE_INVALID. */
OciUnitType oci_option_ref_type(OciOptionId id, const char *text, size_t len);

/* Index of word in the row's choice list, or -EINVAL. */
int oci_option_choice(OciOptionId id, const char *word);
/* The row's choice words joined with sep, newly allocated; NULL when it has none or on ENOMEM. */
char *oci_option_choices_join(OciOptionId id, const char *sep);
