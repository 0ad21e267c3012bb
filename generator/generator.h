/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What the files of the generator share: the generator's state, the node of each definition file
 * found, and the functions one file offers the others.
 *
 *   main.c         the command line, and run(): the steps in order
 *   generator.c    the state of a run, freed
 *   search-path.c  the search path, the nodes of the files in it, masks
 *   dropins.c      a definition's template and drop-ins, the defaults file and its drop-ins
 *   graph.c        processing a node: what it refers to first, cycles, failures passed on
 *   claims.c       what a written definition takes for itself: unit names, aliases, host ports
 *   output.c       rendering and writing units, or printing them (--dry-run)
 *   arena.c        memory that lives until the end */

#include <dirent.h>

#include "arena.h"
#include "checks.h"
#include "hashmap.h"
#include "render.h"

/* Every definition file found, by its file name. A node is small: what other definitions need to
 * refer to it. Its parsed definition lives only while it is processed, so memory grows with the
 * number of files, not with what they hold. */
typedef enum NodeState {
        NODE_NEW,  /* not processed yet */
        NODE_BUSY, /* being processed: it is on the stack, waiting for what it refers to */
        NODE_DONE,
} NodeState;

typedef struct Node {
        OciUnitType type;
        NodeState state;
        bool masked;
        bool wanted;         /* processed in its turn; else only when another refers to it */
        bool failed;
        /* what the definitions that refer to it are told: its name and path from the start, its
         * unit name once known, the rest once it is done; the strings live in buf or the arena */
        OciSummary summary;
        char *file;          /* the file name, the map's key */
        char buf[];          /* path, then name */
} Node;

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
} Frame;

/* The host ports taken by the definitions written so far (claims.c). */
typedef struct PortMap PortMap;

typedef struct Generator {
        bool user;
        bool dry_run;
        bool check;         /* --check: report, write nothing */
        char **check_args;  /* --check FILE|DIR...: what to check instead of the search path */
        const char *output; /* the normal output directory */
        char **dirs;        /* the search path, absolute */
        OciDiagSink sink;
        OciDefaults *defaults;
        OciRenderContext rctx;
        Node **nodes;       /* by name, then type */
        size_t n_nodes;
        HashMap files;      /* file name -> Node */
        HashMap dropin_dirs;/* "NAME.EXT.d" found in some directory of the search path -> malloc()ed DropinDir */
        HashMap units;      /* unit name -> Node that makes it */
        HashMap aliases;    /* Alias= -> Node */
        PortMap *ports;     /* malloc()ed; NULL until a definition publishes a port */
        ArenaBlock *arena;  /* nodes, unit names, resources, ports */
        bool output_open;   /* output_fd is the output directory, opened at the first write (output.c) */
        int output_fd;
        HashMap made_dirs;  /* subdirectories of the output made already -> malloc()ed LinkDir (output.c) */
        Frame *stack;       /* nodes being processed, outermost first: the work stack */
        size_t depth, stack_cap;
        OciDefinition *spare; /* the block of the last definition done, for the next one */
        OciParseCache dropin_cache; /* the drop-ins that apply to more than one definition, read */
        HashMap dropin_listings;    /* a directory of such drop-ins -> what it holds (dropins.c) */
        unsigned n_failed;
} Generator;

/* ---- generator.c ---- */

/* Frees all that g holds, also after a run stopped by an error. */
void generator_done(Generator *g);

/* ---- search-path.c ---- */

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
/* Parses d: its template's text (for an instance), its own text, then its drop-ins. */
int load_definition(Generator *g, OciDefinition *d);
/* Frees the drop-ins and listings kept for the definitions after the one that read them. */
void dropins_done(Generator *g);

/* ---- graph.c ---- */

/* Sets up what processing needs: the context of rendering. */
void prepare_processing(Generator *g);
/* Processes n: what it refers to first, then n itself, generated or reported and skipped. */
int process(Generator *g, Node *n);

/* ---- claims.c ---- */

/* Takes d's unit name for n, unless another definition makes or aliases a unit of that name. */
int claim_unit_name(Generator *g, Node *n, OciDefinition *d);
/* The definition whose unit, by its file name, would be 'unit', if it is not processed yet: an
 * alias of that name waits for it, so that its own name stays its own. */
Node *default_owner(Generator *g, const char *unit);
/* Before d is written: refuses what another definition has taken already (its unit name as an
 * alias, an alias, a host port). */
int check_claims(Generator *g, Node *n, const OciDefinition *d);
/* Once d is written: its aliases and host ports are n's, and ports handed to it are taken. */
int take_claims(Generator *g, Node *n, const OciDefinition *d);
/* Warns of every definition whose ports to hand on nobody took. */
void report_unclaimed_pod_ports(Generator *g);

/* ---- output.c ---- */

/* Renders d and writes its units (or prints them): all of them, or none. */
int render_and_write(Generator *g, OciDefinition *d);
/* Closes the output directory and frees what writing kept. */
void output_done(Generator *g);
