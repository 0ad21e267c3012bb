/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The generator's state: what it holds until the end of a run. */
#include <assert.h>
#include <unistd.h>

#include "generator.h"

void generator_done(Generator *g) {
        assert(g);
        for (size_t i = 0; i < g->n_nodes; i++) {
                Node *n = g->nodes[i];
                oci_summary_done(&n->summary);
                if (n->pod) {
                        strv_free(n->pod->units);
                        strv_free(n->pod->aliases);
                        free(n->pod);
                }
        }
        /* a run stopped by an error leaves frames */
        for (size_t i = 0; i < g->depth; i++) {
                oci_definition_free(g->stack[i].def);
                free(g->stack[i].refs);
                free(g->stack[i].known);
                messages_done(&g->stack[i].messages);
        }
        failures_done(g);
        free(g->nodes);
        free(g->ports);
        for (size_t i = 0; i < g->dropin_dirs.cap; i++)
                if (g->dropin_dirs.slots[i].key)
                        free(g->dropin_dirs.slots[i].value);
        hashmap_done(&g->files);
        hashmap_done(&g->dropin_dirs);
        hashmap_done(&g->units);
        hashmap_done(&g->aliases);
        hashmap_done(&g->engine_names);
        hashmap_done(&g->installed);
        strv_free(g->installed_dirs);
        for (size_t i = 0; i < g->n_deferred; i++) {
                free(g->deferred[i].name);
                free(g->deferred[i].text);
                free(g->deferred[i].links);
        }
        free(g->deferred);
        strbuf_done(&g->target_wants);
        output_done(g);
        free(g->stack);
        oci_definition_free(g->spare);
        dropins_done(g);
        arena_free(g->arena);
        for (size_t i = 0; g->dir_fds && i < g->n_dir_fds; i++)
                if (g->dir_fds[i] > 0)
                        close(g->dir_fds[i] - 1);
        free(g->dir_fds);
        strv_free(g->dirs);
        oci_definition_free(g->defaults);
}
