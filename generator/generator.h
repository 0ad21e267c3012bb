/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What the files of the generator share: the generator's state, the node of each definition file
 * found, and the functions one file offers the others.
 *
 *   main.c         the command line
 *   cli.c          a run: the steps in order; --check, for both programs that offer it
 *   generator.c    the state of a run, freed
 *   search-path.c  the search path, the nodes of the files in it, masks
 *   dropins.c      a definition's template and drop-ins, the defaults file and its drop-ins
 *   graph.c        processing a node: what it refers to first, cycles, failures passed on
 *   claims.c       what a written definition takes for itself: the names of the files it writes,
 *                  host ports
 *   engine-names.c the names of the engine's objects it makes: containers, networks, volumes, pods
 *   installed.c    the units installed on the system that a generated one would replace
 *   output.c       rendering and writing units, or printing them (--dry-run)
 *   report.c       a definition's messages in line order, stand-ins of skipped definitions, and
 *                  the messages that missed the journal, told again once it runs
 *   arena.c        memory that lives until the end */

#include <dirent.h>
#include <stdio.h>

#include "arena.h"
#include "checks.h"
#include "hashmap.h"
#include "kube.h"
#include "render.h"

/* Every definition file found, by its file name. A node is small: what other definitions need to
 * refer to it. Its parsed definition lives only while it is processed, so memory grows with the
 * number of files, not with what they hold. */
typedef enum NodeState {
        NODE_NEW,  /* not processed yet */
        NODE_BUSY, /* being processed: it is on the stack, waiting for what it refers to */
        NODE_DONE,
} NodeState;

/* A pod's members, once it has one: the units of the members written that start with it, and
 * with MemberAliases= their network aliases, POD-MEMBER (malloc()ed; most nodes are no pods). */
typedef struct PodMembers {
        char **units;
        size_t n_units;
        bool aliased;        /* a podman pod with MemberAliases=yes: aliases filled */
        char **aliases;
        size_t n_aliases;
} PodMembers;

typedef struct Node {
        /* what the definitions that refer to it are told: its type, name and path from the start,
         * its unit name once known, the rest once it is done; the strings live in buf or the arena */
        OciSummary summary;
        char *file;          /* the file name, the map's key */
        PodMembers *pod;     /* NULL until a member is written or its aliases are asked for */
        unsigned dir;        /* the index of its directory in the search path */
        unsigned char state; /* a NodeState */
        bool masked : 1;
        bool wanted : 1;     /* processed in its turn; else only when another refers to it */
        bool failed : 1;
        bool companion : 1;  /* its NAME-pull.service is written, and its name its own */
        bool default_name : 1; /* a container written under a name its engine derives from its
                                * unit's or file's (engine-names.c) */
        bool service_named : 1; /* its unit name is its ServiceName=, not its file's (once known) */
        bool shadowed : 1;   /* not generated: a definition of the same name and an earlier type
                              * makes its unit (claims.c) */
        bool target_wanted : 1; /* written, and oci-containers.target wants its unit */
        bool regular : 1;    /* readdir() said its file is a regular file: read without asking again */
        char buf[];          /* path, then name */
} Node;

/* A message about a definition being processed, kept until it is done (report.c). */
typedef struct Message {
        int level;
        unsigned line, column;
        unsigned rank;    /* which of its files: the place in d->sources; past them for another */
        size_t seq;       /* arrival, to keep the order of two about the same line */
        char *file;       /* quoted as the sink had it; NULL: none */
        char *text;
} Message;

typedef struct Messages {
        Message *items;
        size_t n, cap;
        size_t dropped;   /* past MESSAGES_MAX */
} Messages;

/* A node being processed: its definition, and how far it got with what it refers to. */
typedef struct Frame {
        Node *node;
        OciDefinition *def;
        OciReference *refs;  /* what it names (oci_definition_references()) */
        size_t n_refs;
        size_t next;         /* the next reference, then alias, to see to */
        size_t waiting_alias; /* 1 + the alias whose name's owner by file name is being processed; 0 if none */
        OciSummary **known;  /* the summaries of the definitions it names that exist */
        size_t n_known;
        Messages messages;   /* what was said about it, told once it is done */
        bool unwritable;     /* it passed its checks, and writing it failed */
        bool prechecked;     /* precheck_claims() passed, when g->claims_changes was claims_seen */
        size_t claims_seen;
} Frame;

/* A definition that was skipped, for the unit that stands in for it (report.c). */
typedef struct Failure {
        const Node *node;
        const char *unit;    /* the unit name it would have made (the node's) */
        char **lines;        /* its messages, "<PRIORITY>FILE:LINE: text" */
} Failure;

/* --dry-run: a companion's text, printed once every name is settled, and a pod's, once its members
 * are known (print_deferred()); text NULL once a companion yielded its name. */
typedef struct Deferred {
        char *name;
        char *text;
        char *links; /* the lines that show its links, or NULL */
} Deferred;

/* The host ports taken by the definitions written so far (claims.c). */
typedef struct PortMap PortMap;

typedef struct Generator {
        bool user;
        bool dry_run;
        bool check;         /* --check: report, write nothing */
        OciKubeExport *kube; /* --export=kube (with check set): the definitions' YAML, written at the end */
        char **check_args;  /* --check FILE|DIR...: what to check instead of the search path */
        bool check_search_path; /* with check_args: the search path after them, to find what they
                                 * refer to (not checked itself) */
        const char *output; /* the normal output directory */
        char **dirs;        /* the search path, absolute */
        int *dir_fds;       /* for each of dirs, 0, or 1 + an O_PATH descriptor of it once a
                             * definition of it was read, or -1 when it could not be opened */
        size_t n_dir_fds;
        OciDiagSink sink;
        OciDefaults *defaults;
        OciHost host;       /* the machine's facts, the podman version as graph.c tells it */
        OciRenderContext rctx;
        Node **nodes;       /* by name, then type */
        size_t n_nodes;
        HashMap files;      /* file name -> Node, while the search path is read (find_node() searches nodes) */
        HashMap dropin_dirs;/* "NAME.EXT.d" found in some directory of the search path -> malloc()ed DropinDir */
        /* The names of the files definitions write into the output directory: their units, their
         * aliases; a companion is found by its unit (Node.companion), the environment file is
         * named after the unit. */
        HashMap units;      /* unit name -> Node that makes it */
        HashMap aliases;    /* Alias= -> Node */
        HashMap engine_names; /* engine, kind of object, user, name -> EngineClaim, for the names
                               * that cannot be found from a unit's or file's name (engine-names.c) */
        size_t claims_changes; /* counts every change of what the claims read (the maps above, a
                                * companion, a node done): a check passed when it had the same
                                * count passes again */
        char **installed_dirs; /* where installed units are looked for, once known (installed.c) */
        unsigned installed_lookups;
        HashMap installed;  /* installed unit file name -> its path, once the directories are read */
        Deferred *deferred; /* --dry-run: the companions, in the order they were written */
        size_t n_deferred;
        PortMap *ports;     /* malloc()ed; NULL until a definition publishes a port */
        ArenaBlock *arena;  /* nodes, unit names, resources, ports */
        bool output_open;   /* output_fd is the output directory, opened at the first write (output.c) */
        int output_fd;
        HashMap made_dirs;  /* subdirectories of the output made already -> malloc()ed LinkDir (output.c) */
        /* what oci-containers.target wants: the units of the nodes marked target_wanted, and these
         * "Wants=UNIT\n" lines of a unit of another name (a template's default instance) */
        size_t n_target_wanted;
        StrBuf target_wants;
        Frame *stack;       /* nodes being processed, outermost first: the work stack */
        size_t depth, stack_cap;
        OciDefinition *spare; /* the block of the last definition done, for the next one */
        OciParseCache dropin_cache; /* the drop-ins that apply to more than one definition, read */
        HashMap dropin_listings;    /* a directory of such drop-ins -> what it holds (dropins.c) */
        unsigned n_failed;
        Failure *failures;  /* the definitions skipped, in the order they were done */
        size_t n_failures;
} Generator;

/* ---- generator.c ---- */

/* Frees all that g holds, also after a run stopped by an error. */
void generator_done(Generator *g);

/* ---- cli.c ---- */

/* A run: the defaults, the search path, every definition processed, the stand-ins. Returns 0 or a
 * negative errno (out of memory, the output not writable); a skipped definition is not one. */
int generate(Generator *g);
/* --check of g->check_args (NULL: the search path): the messages on standard output, the summary on
 * standard error; frees g. Returns the exit status: 0, or 1 on an error. */
int generator_check(Generator *g, const char *prog);
/* --export=kube [FILE|DIR...] (g->check_args): what --check does, the messages on standard error,
 * and the definitions without an error as Kubernetes YAML on standard output; frees g. Returns the
 * exit status: 0, or 1 on an error (the others are still exported). */
int generator_export(Generator *g, const char *prog, OciKubeWorkload workload);
/* A name as messages show it; the directories of a search path, "(missing)" after one that is not. */
void print_name(FILE *f, const char *name);
void print_dirs(FILE *f, char **dirs);

/* ---- search-path.c ---- */

/* The search path of the system's or a user's generator, first directory first (malloc()ed); NULL
 * when out of memory. */
char **search_path(bool user);
/* The directory n was found in, for openat(): an O_PATH descriptor opened at the first file read
 * from it, and in *ret_name n's file name; else AT_FDCWD and n's path. */
int node_dir_fd(Generator *g, const Node *n, const char **ret_name);
/* Fills g->dirs and g->nodes: the files of the search path (or of --check's arguments), by name. */
int scan_search_path(Generator *g);
/* The unmasked node of the file NAME plus the type's extension, or NULL. */
Node *find_node(Generator *g, OciUnitType type, const char *name);
/* Whether some directory of the search path holds a subdirectory called 'name'. */
bool search_path_has_dir(const Generator *g, const char *name);
/* Whether directory i of the search path holds a subdirectory called 'name' (past the 31st
 * directory: whether that one or any later one does). */
bool search_dir_has(const Generator *g, size_t i, const char *name);
/* Whether path is /dev/null or a link to it: a mask. */
bool is_masked(const char *path);
/* is_masked() for a directory entry, without a stat() where readdir() tells it cannot be one. */
bool entry_is_masked(const struct dirent *de, const char *path);

/* ---- dropins.c ---- */

/* Reads the defaults file and its drop-ins into g->defaults; an error is reported, and leaves in
 * doubt what it might have been meant to set. */
int load_defaults(Generator *g);
/* The defaults file that is read (without its drop-ins), or NULL when there is none. */
const char *defaults_file(void);
/* Parses d: its template's text (for an instance), its own text, then its drop-ins. */
int load_definition(Generator *g, const Node *n, OciDefinition *d);
/* What load_definition() reads, for those who show it (oci-containers status): the path of d's
 * template, NULL if it is no instance or the search path has none; every drop-in of d, in the
 * order they apply (of two with the same name, the one in the earlier directory of the search path
 * wins, then the one in the more specific directory name), NULL if none; an unreadable directory
 * is reported to g->sink, and -EINVAL returned with the others in *ret. */
const char *definition_template(Generator *g, const OciDefinition *d);
int definition_dropins(Generator *g, const OciDefinition *d, char ***ret);
/* Frees the drop-ins and listings kept for the definitions after the one that read them. */
void dropins_done(Generator *g);

/* ---- graph.c ---- */

/* Sets up what processing needs: the context of rendering. */
void prepare_processing(Generator *g);
/* Processes n: what it refers to first, then n itself, generated or reported and skipped. */
int process(Generator *g, Node *n);
/* The unit name of a definition not processed yet (and whether ServiceName= gives it), into its
 * node: its files read quietly (what they say is told when it is processed in its turn). */
int peek_unit_name(Generator *g, Node *n);

/* ---- claims.c ---- */

/* Takes d's unit name for n, unless another definition makes or aliases a unit of that name; a
 * companion of that name yields it (its owner is told, and the companion removed). */
int claim_unit_name(Generator *g, Node *n, OciDefinition *d);
/* Once every definition is done: a companion that has the unit name of a skipped definition
 * yields it to that definition's stand-in (its owner is told, and the companion removed), so that
 * a definition named X-pull.container beside X.container keeps its unit, even a stand-in. */
void yield_companions_to_stand_ins(Generator *g);
/* Of two definitions of one name whose types make one unit name by default (web.container and
 * web.kube both make web.service), neither with ServiceName=, the one whose type comes first in
 * the file-type table keeps it, as systemd keeps the first of a unit name found twice. Called once
 * n's unit name is known: if another definition shadows n, n->shadowed is set and a warning names
 * both files. */
int check_shadowed(Generator *g, Node *n);
/* The definition whose unit, by its file name, would be 'unit', if it is not processed yet: an
 * alias of that name waits for it, so that its own name stays its own. */
Node *default_owner(Generator *g, const char *unit);
/* Before d is written: refuses what another definition has taken already (its unit name as an
 * alias, an alias, an engine's name), and warns of a host port another publishes and of an
 * installed unit it would replace. *ret_companion is the name of its NAME-pull.service (NULL: none), *ret_keep whether
 * that name is its to write: a companion yields to every other claim and to an installed unit.
 * Once all is checked, a companion of another definition that an alias of d takes is removed.
 * prechecked: precheck_claims() passed for d with nothing changed since, and is not run again. */
int check_claims(Generator *g, Node *n, const OciDefinition *d, bool prechecked, char **ret_companion, bool *ret_keep);
/* The part of check_claims() that says only no (aliases and engine names taken), for a
 * definition whose references are not processed yet. */
int precheck_claims(Generator *g, Node *n, const OciDefinition *d);
/* Once d is written: its aliases, companion (NULL: none written), environment file, host ports and
 * engine names are n's, and ports handed to it are taken. */
int take_claims(Generator *g, Node *n, const OciDefinition *d, const char *companion);
/* Warns of every definition whose ports to hand on nobody took. */
void report_unclaimed_pod_ports(Generator *g);

/* ---- engine-names.c ---- */

/* Before d is written: an error when another definition makes an object of the engine (a container,
 * or a network, volume or pod with other settings) of the same name. */
int check_engine_names(Generator *g, Node *n, const OciDefinition *d);
/* Once d is written: its objects' names are n's. */
int take_engine_names(Generator *g, Node *n, const OciDefinition *d);

/* ---- installed.c ---- */

/* The directories of the service manager's unit search path (systemd 252's lookup_paths_init()):
 * those that come after the generator's output, and with before_output those that come before it
 * too; $OCI_CONTAINERS_SYSTEMD_UNIT_DIRS (colon-separated) replaces the list. NULL on -ENOMEM. */
char **systemd_unit_dirs(bool user, bool before_output);

/* Whether the service manager has a unit file of this name (or, for an instance, of its template)
 * in a directory of its search path, before the generator's output or after it; true when it
 * cannot tell, out of memory. */
bool unit_file_exists(const Generator *g, const char *unit);

/* The path of the installed unit file that a generated unit called 'unit' would take the place of
 * (in the directories that come after the generator's output in the unit search path of its mode,
 * or those of $OCI_CONTAINERS_SYSTEMD_UNIT_DIRS), in *ret; NULL if there is none. Returns 0 or
 * -ENOMEM. */
int find_installed(Generator *g, const char *unit, const char **ret);

/* ---- output.c ---- */

/* Writes u and its links (or prints them); messages name 'source'. */
int write_unit_file(Generator *g, const char *source, const OciUnitFile *u);

/* ---- report.c ---- */

/* Shipped in units/: tells the journal the messages in LOST_MESSAGES_FILE of the output directory. */
#define REPORT_UNIT "oci-containers-report.service"
#define LOST_MESSAGES_FILE "oci-containers.messages"
#define LOST_MESSAGES_HEADER "messages of oci-containers-generator that missed the journal; " REPORT_UNIT " tells it them"

/* The sink of the library's messages: one about a definition being processed is kept with it,
 * any other is told at once. userdata is the Generator. */
void report_diag(void *userdata, const OciDiag *d);
/* f is done: its messages are told, by file (in the order they were read) and line, then for a
 * skipped one the line that says so; a skipped one is kept for its stand-in. */
int report_definition_done(Generator *g, Frame *f);
void messages_done(Messages *m);
/* Once every definition is done: a unit in place of each skipped one, whose name nobody took,
 * that fails with its messages when started and is started at boot. */
int write_stand_ins(Generator *g);
/* Run by systemd, the messages that missed the journal go to a file in the output directory,
 * which oci-containers-report.service (made wanted at boot) tells the journal. */
int write_lost_messages(Generator *g);
void failures_done(Generator *g);
/* --report FILE: tells the journal the messages of that file. */
int report_replay(const char *path);

/* Renders d and writes its units (or prints them): all of them, or none. The unit called
 * 'companion' is left out unless keep_companion; --dry-run prints it at the end. */
int render_and_write(Generator *g, Node *n, OciDefinition *d, const char *companion, bool keep_companion);
/* A companion written already yields its name: removed, or not printed. */
void remove_companion(Generator *g, const char *name);
/* --dry-run: the companions that kept their names, and the pods. */
void print_deferred(Generator *g);
/* Once every definition is done: each pod's unit wants the members that start with it and is
 * ordered before them (Wants=, Before= in its [Unit]), as Quadlet writes it; a member is written
 * after its pod, so the lines are added to the pod's unit then. */
int write_pod_members(Generator *g);
/* Once every definition is done: the drop-in of oci-containers.target (TARGET_WANTS_DROPIN) that
 * wants every unit written that starts at boot or is installed, one Wants= each; or printed
 * (--dry-run). None when there is no such unit. */
#define TARGET_WANTS_DIR "oci-containers.target.d"
#define TARGET_WANTS_NAME "oci-containers-generator.conf"
#define TARGET_WANTS_DROPIN TARGET_WANTS_DIR "/" TARGET_WANTS_NAME
int write_target_wants(Generator *g);
/* Closes the output directory and frees what writing kept. */
void output_done(Generator *g);
