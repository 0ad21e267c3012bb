/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Typed values. Each grammar of the option table (a port mapping, a volume, a device...) has one
 * parser that turns an assignment's text into items, each a struct that remembers where it was
 * written, and one formatter per engine. Nothing after the parser splits a value's text again:
 * checks, rendering and the generator's claims read the struct. */

#include <arpa/inet.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"
#include "options.h"

struct OciDefinition;
struct OciHost;

/* Where an item was written: the file (one of the definition's sources), its line, and the column
 * its value starts at (1-based; 0 when not known, as for a row's default). */
typedef struct OciLoc {
        const char *file;
        unsigned line;
        unsigned column;
} OciLoc;

typedef enum OciProto {
        OCI_PROTO_TCP,
        OCI_PROTO_UDP,
        OCI_PROTO_SCTP,
        _OCI_PROTO_MAX,
} OciProto;

/* PublishPort=[IP:][HOSTPORT:]CONTAINERPORT[/PROTOCOL]; also ExposeHostPort=PORT[-PORT][/PROTOCOL]
 * (OCI_TYPE_PORT_RANGE), whose ports are host_lo and host_hi. */
typedef struct OciPort {
        char address[INET6_ADDRSTRLEN]; /* the host address, without brackets; "" when none */
        bool v6;                        /* the address is IPv6 (written in brackets) */
        bool address_default;           /* the address is [Defaults] PublishAddress=, not the user's */
        unsigned host_lo, host_hi;      /* the host ports; 0 when the engine picks one */
        unsigned ctr_lo, ctr_hi;        /* the container ports; lo == hi for a single port */
        OciProto proto;
        bool proto_given;               /* "/tcp" was written */
        bool variable;                  /* it refers to variables of the service's environment: the
                                         * item's text is the mapping, without its protocol, and
                                         * the ports are not known (0) */
} OciPort;

typedef enum OciVolumeKind {
        OCI_VOLUME_ANONYMOUS,  /* DEST only: the engine makes a volume */
        OCI_VOLUME_BIND,       /* a host path */
        OCI_VOLUME_NAMED,      /* a volume of the engine, by name */
        OCI_VOLUME_DEFINITION, /* NAME.volume: a .volume definition */
} OciVolumeKind;

/* Volume=[SOURCE:]DEST[:OPTIONS] */
typedef struct OciVolume {
        OciVolumeKind kind;
        char *source;  /* BIND: absolute, in specifier form; NAMED: the name; DEFINITION: NAME.volume; NULL if ANONYMOUS */
        bool create;   /* BIND made from a named volume by [Defaults] VolumeBaseDir=: made on start */
        char *dest;    /* specifier form */
        char *options; /* NULL when none */
        char **option_list; /* options split at ',', in order, without empty ones; NULL when none */
        bool ro, rw;   /* "ro" or "rw" is one of them */
} OciVolume;

/* AddDevice=[-]HOST[:CONTAINER][:PERMISSIONS] */
typedef struct OciDevice {
        char *host;
        char *container;   /* NULL: the same path as on the host */
        char *permissions; /* NULL: the engine's default (rwm) */
        bool cdi;          /* a CDI device, VENDOR/CLASS=NAME, in host: the engine resolves it */
} OciDevice;

/* Tmpfs=PATH[:OPTIONS] */
typedef struct OciTmpfs {
        char *dest;
        char *options; /* NULL when none */
} OciTmpfs;

/* Network=MODE[:OPTIONS]: a mode (host, none, private, bridge, veth, container, ...), a network's
 * name, or NAME.network / NAME.container, and what follows its first ':' */
typedef struct OciNetwork {
        char *mode;    /* before the first ':' */
        char *options; /* after it ("" for a ':' at the end); NULL without a ':' */
} OciNetwork;

/* RunAs=USER[:GROUP] */
typedef struct OciOwner {
        char *user;
        char *group; /* after the first ':' ("" for a ':' at the end); NULL without a ':' */
} OciOwner;

/* Where an image comes from: a registry, or another of the transports of podman's image library,
 * written TRANSPORT:WHERE (docker://NAME is a registry's, said so). docker takes registries only. */
typedef enum OciImageTransport {
        OCI_TRANSPORT_NONE, /* a registry's, without a transport */
        OCI_TRANSPORT_DOCKER,
        OCI_TRANSPORT_CONTAINERS_STORAGE,
        OCI_TRANSPORT_DIR,
        OCI_TRANSPORT_DOCKER_ARCHIVE,
        OCI_TRANSPORT_DOCKER_DAEMON,
        OCI_TRANSPORT_OCI,
        OCI_TRANSPORT_OCI_ARCHIVE,
        OCI_TRANSPORT_OSTREE,
        OCI_TRANSPORT_SIF,
        OCI_TRANSPORT_TARBALL,
        _OCI_TRANSPORT_MAX,
} OciImageTransport;

/* Image=[TRANSPORT:][REGISTRY/]PATH[:TAG][@DIGEST], as podman and docker split an image's name */
typedef struct OciImageRef {
        OciImageTransport transport;
        unsigned char name_at; /* where in the item's text what follows the transport starts
                                * (after "docker://", "oci-archive:"); 0 without one */
        bool opaque;    /* made by specifiers or variables (known at start only), a path, a
                         * definition (NAME.image, NAME.build), or not a registry's (a transport but
                         * docker://): the parts below are NULL */
        char *registry; /* the first component when it has a '.' or ':' or is localhost; NULL: a
                         * short name, which the engine resolves through its registries */
        char *path;     /* the repository, without registry, tag or digest */
        char *tag;      /* NULL when none */
        char *digest;   /* ALGORITHM:HEX, NULL when none */
} OciImageRef;

/* [Kube] AutoUpdate=[CONTAINER/]POLICY: how podman auto-update replaces the image of one container
 * of the YAML, or of all */
typedef enum OciAutoUpdatePolicy {
        OCI_AUTO_UPDATE_REGISTRY,
        OCI_AUTO_UPDATE_LOCAL,
        _OCI_AUTO_UPDATE_MAX,
} OciAutoUpdatePolicy;

typedef struct OciAutoUpdate {
        char *container; /* before the last '/'; NULL: every container */
        OciAutoUpdatePolicy policy;
} OciAutoUpdate;

/* A time: DURATION is a Go duration as podman and docker read one (1m30s, 500ms), TIMESPAN a
 * systemd time span (90, 1min 30s, infinity). */
typedef struct OciDuration {
        uint64_t usec;  /* UINT64_MAX: infinity */
        bool variable;  /* refers to variables of the service's environment: usec not known (0) */
        int word;       /* 1 + the index of the row's word (HealthInterval=disable) it is; 0 for a time */
} OciDuration;

/* INT */
typedef struct OciInteger {
        long long value;
        bool variable; /* refers to variables: value not known (0) */
} OciInteger;

/* SIZE: bytes as podman and docker count them (k = 1024) */
typedef struct OciSize {
        uint64_t bytes;
        bool variable; /* refers to variables: bytes not known (0) */
} OciSize;

/* Mount=type=TYPE,source=...,destination=...: the fields in order */
typedef struct OciMount {
        char **fields;      /* each field as written (a quoted one with its quotes), in order */
        int source;         /* index of the source field Quadlet resolves (the last source= or src=
                             * of a volume, bind, glob, image or artifact mount); -1 when none */
        char *value;        /* that source: a path made absolute (specifier form), else as written */
        bool host_path;     /* the source is a path of the host */
        bool add_type;      /* no type= field: podman's default, type=volume, is written first */
} OciMount;

/* LocalAddress=ADDRESS[/PREFIX]: an address of the machine's, with the prefix length of its network
 * where one was written */
typedef struct OciAddress {
        bool v6;
        int prefix;    /* -1: none written */
        bool variable; /* refers to variables of the service's environment: v6 and prefix not known */
} OciAddress;

/* The kernel's limit on an interface name, without its NUL (IFNAMSIZ - 1) */
#define OCI_IFNAME_MAX 15

/* VirtualEthernetExtra=HOST[:MACHINE][,bridge=BRIDGE][,host-address=A][,host-address6=A]
 * [,local-address=A[/PREFIX]][,local-address6=A[/PREFIX]]: an extra veth pair, and what its ends get
 * (NixOS's extraVeths) */
typedef struct OciVeth {
        char *host;             /* the host's end */
        char *machine;          /* the machine's end; NULL: named as the host's */
        char *bridge;           /* the host's bridge the host's end joins; NULL: none */
        char *host_address[2];  /* [0] IPv4, [1] IPv6, of the host's end; NULL when not given */
        char *local_address[2]; /* of the machine's end, with its /PREFIX if one was written */
} OciVeth;

/* One item of a value. 'text' is always set: the normalised value in unit form, as a word of a
 * command line takes it: specifiers ("%h", "%%") and variables ("${NAME}", "$NAME"; "$$" for a '$')
 * as the user wrote them for systemd to resolve, what the generator adds escaped (a path made
 * absolute, a capability lower-cased with its cap_ prefix, a KEY=VALUE word); it is what a
 * FLAG=ITEM rendering writes for a type without a formatter of its own. */
typedef struct OciItem {
        OciLoc loc;
        char *text;
        /* a reference to another definition (NAME.network, NAME.volume, NAME.pod, DependsOn=NAME):
         * the name without extension, set by the parser; the engine's name for it (specifier form),
         * set when references are checked */
        char *ref;
        char *resolved;
        /* for a row that may name definitions of several types: 1 + the type ref names, when it is
         * not the row's first (set with ref); 0 for that one (oci_item_ref_type()) */
        unsigned char ref_other;
        union {
                OciPort port;
                OciVolume volume;
                OciDevice device;
                OciTmpfs tmpfs;
                OciMount mount;
                OciNetwork network;
                OciOwner owner;
                OciImageRef image;
                OciAutoUpdate auto_update;
                OciDuration duration;
                OciInteger integer;
                OciSize size;
                OciAddress address; /* ADDRESS_PREFIX */
                OciVeth veth;
                int cap;        /* CAPS: index in oci_capability_names[], or -1 for "all" */
                size_t key_len; /* KEYVALUE: the length of KEY in "KEY=VALUE" */
                int number;     /* BOOL: 0 or 1; CHOICE: the index in the row's choices */
        };
} OciItem;

/* The type of definition an item's ref names. */
static inline OciUnitType oci_item_ref_type(OciOptionId id, const OciItem *it) {
        return it->ref_other ? (OciUnitType) (it->ref_other - 1) : oci_options[id].ref.type;
}
/* Sets what an item's ref names. */
static inline void oci_item_set_ref_type(OciOptionId id, OciItem *it, OciUnitType t) {
        it->ref_other = t == oci_options[id].ref.type ? 0 : (unsigned char) (t + 1);
}

/* The items of a value, in order.
 *
 * Where item memory lives: the array and every string an item holds (its text, ref and resolved,
 * the strings of its union: a volume's source, an image's parts, a mount's fields...) are
 * allocated in one arena, OciParse.arena; a definition's items in the definition's own (its
 * text), so that they live until the definition is freed or reused, and none is freed alone. What
 * replaces an item's string later (a reference resolved) is allocated there too. Clearing items,
 * or dropping some (a repeat, a non-list row's earlier assignment), leaves their memory to the
 * arena. Items that must outlive their definition (a summary's handoff) are copied out. */
typedef struct OciItems {
        OciItem *items;
        size_t n;
        size_t cap; /* the room the array has, in items */
} OciItems;

/* What parsing an assignment has at hand. The parser reports errors through oci_parse_error(). */
typedef struct OciParse {
        OciDiagSink *sink;
        const struct OciDefinition *d;        /* the definition: its directory and name */
        const struct OciDefinition *defaults; /* [Defaults], may be NULL */
        const struct OciHost *host;           /* facts about the machine */
        OciOptionId id;                       /* the row */
        OciLoc loc;                           /* where the assignment is */
        const char *value;                    /* its text, for messages */
        OciItems *out;                        /* where the items go */
        ArenaBlock **arena;                   /* where their memory comes from (see OciItems) */
        /* the piece the type's parser is given (oci_value_parse()): its text, its length,
         * whether it is item memory of its own (a word split out of the assignment), which an
         * item may keep as its text, and whether it is ASCII; read through value_len(),
         * value_keep() and value_utf8_valid() */
        const char *piece;
        size_t piece_len;
        bool piece_owned;
        bool piece_ascii;
} OciParse;

/* How one type of value is read and written. */
typedef struct OciValueType {
        const char *name; /* for --list-keys and the man pages: "port mapping" */
        /* Add the items of one assignment's text to p->out. Returns 0, -EINVAL (reported), -ENOMEM. */
        int (*parse)(OciParse *p, const char *text);
        /* The engine's form of an item for a FLAG=ITEM rendering; NULL: the item's text. */
        int (*format)(const OciItem *it, OciBackendId b, StrBuf *out);
        /* After the last assignment: put the items in their final form (KEYVALUE keeps the last of
         * each key and sorts, UNITS and REFS keep the first of each name); may be NULL. */
        int (*finish)(OciItems *items);
        /* The path of the host an item mounts, whose file system the unit waits for
         * (RequiresMountsFor=); NULL for none. The hook itself may be NULL: no item mounts one. */
        const char *(*host_path)(const OciItem *it);
} OciValueType;

/* What each type's parser adds for one assignment:
 *   STRING, NAME, ADDRESS             one item, the text as written
 *   INT, SIZE                         one item, the text as written, with integer, size
 *   DURATION, TIMESPAN                one item, the text as written, with duration
 *   DIR_NAME                          one item, a single directory name
 *   NETWORK, OWNER, IMAGE             one item, the text as written, with network, owner, image
 *   AUTO_UPDATE                       an item per word, the text as written, with auto_update
 *   UID, GID                          one item, the number: a name is looked up on the host
 *   BOOL, CHOICE                      one item with number, replacing an earlier assignment's
 *   PATH                              one item, the path made absolute
 *   PORT, PORT_RANGE                  one item with port
 *   VOLUME, MOUNTPOINT                one item with volume, tmpfs
 *   DEVICE                            one item with device; none for a '-' device the host lacks
 *   WORDS                             an item per word; a row without OCI_OPT_LIST keeps only the
 *                                     last assignment's
 *   KEYVALUE                          an item per word with key_len; finish() keeps the last of
 *                                     each KEY and sorts them
 *   CAPS                              an item per name with cap
 *   UNITS, REFS                       an item per name, REFS with ref; finish() keeps the first of
 *                                     each name
 * An assignment with an error adds nothing. finish() runs once, after the last assignment, so that
 * one that replaces or repeats costs no search over those before it. */

extern const OciValueType *const oci_value_types[_OCI_TYPE_MAX];

/* Report "KEY=<formatted> (value '...')" at p->loc, as every value error reads. Returns -EINVAL. */
int oci_parse_error(OciParse *p, const char *fmt, ...) _printf_(2, 3);
/* The same as a warning; returns 0. */
int oci_parse_warning(OciParse *p, const char *fmt, ...) _printf_(2, 3);
/* The same without quoting the value (for a message that names the word at fault itself). */
int oci_parse_error_bare(OciParse *p, const char *fmt, ...) _printf_(2, 3);

/* Parse one assignment of row p->id: read as Quadlet reads that key (the row's read column: a
 * splitting one gives words, each parsed on its own; an assignment Quadlet would ignore for its
 * escapes or quotes is a warning and adds nothing), then for each piece the checks every value gets
 * (no line break, no control characters, only known specifiers unless the row says
 * OCI_OPT_NO_SPECIFIERS) and its type's parser. Items are appended to p->out; p->value is set to
 * text. Returns 0, -EINVAL (reported) or -ENOMEM. */
int oci_value_parse(OciParse *p, const char *text);
/* A new zeroed item at the end of items, the array grown in *arena, its loc set and its text text,
 * which must live as long as the arena's memory (NULL text: -ENOMEM, NULL). */
OciItem *oci_items_push(ArenaBlock **arena, OciItems *items, const OciLoc *loc, char *text);
/* Empty the list: its items and their array are forgotten (their memory is the arena's). */
void oci_items_clear(OciItems *items);

/* The engine's form of an item (FLAG=ITEM): its type's formatter, else its text. */
int oci_item_format(OciType type, const OciItem *it, OciBackendId b, StrBuf *out);

/* Ports */
const char *oci_proto_to_string(OciProto p);
/* "ADDRESS:HOST:CONTAINER[/PROTO]" as every podman and docker version reads it. */
int oci_port_format(const OciPort *p, StrBuf *out);

/* Images: a transport's name as podman writes it before its ':' ("oci-archive", "docker"). */
const char *oci_image_transport_to_string(OciImageTransport t);
/* The policy's word, "registry" or "local". */
const char *oci_auto_update_policy_to_string(OciAutoUpdatePolicy p);

/* Times: "1h2m3.5s" as Go writes a duration (podman's, docker's), "1h 2min 3s 500ms" as systemd
 * writes a time span ("infinity" for UINT64_MAX). */
int oci_duration_format_go(uint64_t usec, StrBuf *out);
int oci_duration_format_systemd(uint64_t usec, StrBuf *out);

/* Capabilities, lower-case, without "cap_". */
extern const char *const oci_capability_names[];
extern const size_t oci_capability_count;

/* Mount= (OCI_TYPE_MOUNT): oci_mount_parse() is the type's parser, run by oci_value_parse() after
 * the checks every value gets: the NAME rule, then the fields; item->ref is NAME for a
 * source=NAME.volume (or src=), NAME.image or NAME.artifact. */
extern const OciValueType oci_value_mount;
int oci_mount_parse(OciParse *p, const char *text);
/* The fields joined by ',', the source by item->resolved once that is set. */
int oci_mount_format(const OciItem *it, OciBackendId b, StrBuf *out);
