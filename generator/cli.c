/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A run of the generator, and --check, for the programs that drive it: oci-containers-generator
 * (main.c) and the administrator's command oci-containers (admin/), which say the same. */
#include <stdio.h>
#include <sys/stat.h>

#include "generator.h"
#include "log.h"

int generate(Generator *g) {
        /* every definition is validated and rendered with the defaults */
        int r = load_defaults(g);
        if (r < 0)
                return r;
        r = scan_search_path(g);
        if (r < 0)
                return r;
        prepare_processing(g);
        /* by name; what a definition refers to is processed before it */
        for (size_t i = 0; i < g->n_nodes; i++) {
                Node *n = g->nodes[i];
                if (n->state != NODE_NEW || n->masked || !n->wanted)
                        continue;
                r = process(g, n);
                if (r < 0)
                        return r;
        }
        report_unclaimed_pod_ports(g);
        r = write_pod_members(g);
        if (r < 0)
                return r;
        if (!g->check && oci_value_bool(g->defaults, OCI_OPT_STAND_IN_UNITS) != 0)
                yield_companions_to_stand_ins(g);
        if (g->dry_run)
                print_deferred(g);
        r = write_target_wants(g);
        if (r < 0)
                return r;
        /* last, when every name that is taken is known */
        r = write_stand_ins(g);
        if (r < 0)
                return r;
        return write_lost_messages(g);
}

/* "DIR, DIR (missing), ...": what a person needs to see that the file they wrote is where the
 * generator looks; a name as messages show it, control characters as \xNN */
void print_name(FILE *f, const char *name) {
        StrBuf b = {};
        oci_diag_quote(&b, name, SIZE_MAX);
        fputs(b.s ? b.s : "", f);
        strbuf_done(&b);
}

void print_dirs(FILE *f, char **dirs) {
        for (char **d = dirs; d && *d; d++) {
                struct stat st;
                fputs(d == dirs ? "" : ", ", f);
                print_name(f, *d);
                fputs(stat(*d, &st) < 0 ? " (missing)" : "", f);
        }
}

/* The last word of --check, on standard error (standard output is for FILE:LINE:COLUMN: lines):
 * where it looked, and what it found, so that "nothing printed" is never all one sees. */
static void check_summary(const Generator *g) {
        unsigned n = 0, skipped = 0;
        for (size_t i = 0; i < g->n_nodes; i++)
                if (g->nodes[i]->wanted && !g->nodes[i]->masked) {
                        n++;
                        skipped += g->nodes[i]->failed;
                }
        const char *conf = defaults_file();
        fputs("Searched ", stderr);
        print_dirs(stderr, g->dirs);
        fputs("; defaults file: ", stderr);
        print_name(stderr, conf ? conf : "none");
        fputc('\n', stderr);
        fprintf(stderr, "Checked %u definition%s: %u skipped, %u error%s, %u warning%s\n", n, n == 1 ? "" : "s",
                skipped, g->sink.n_errors, g->sink.n_errors == 1 ? "" : "s", g->sink.n_warnings,
                g->sink.n_warnings == 1 ? "" : "s");
}

int generator_export(Generator *g, const char *prog, OciKubeWorkload workload) {
        log_setup(prog, false);
        log_set_check_stream(stderr);
        g->kube = oci_kube_new(workload);
        int r = g->kube ? generate(g) : -ENOMEM;
        StrBuf out = {};
        unsigned n = 0;
        if (r >= 0)
                r = oci_kube_write(g->kube, &g->sink, &out, &n);
        if (r >= 0) {
                fputs(out.s ? out.s : "", stdout);
                fflush(stdout);
                unsigned defs = 0, skipped = 0;
                for (size_t i = 0; i < g->n_nodes; i++)
                        if (g->nodes[i]->wanted && !g->nodes[i]->masked) {
                                defs++;
                                skipped += g->nodes[i]->failed;
                        }
                fprintf(stderr, "Exported %u object%s of %u definition%s: %u skipped, %u error%s, %u warning%s\n", n,
                        n == 1 ? "" : "s", defs, defs == 1 ? "" : "s", skipped, g->sink.n_errors, g->sink.n_errors == 1 ? "" : "s",
                        g->sink.n_warnings, g->sink.n_warnings == 1 ? "" : "s");
        }
        strbuf_done(&out);
        unsigned errors = g->sink.n_errors;
        g->kube = oci_kube_free(g->kube);
        g->check_args = NULL;
        generator_done(g);
        if (r < 0) {
                fprintf(stderr, "%s: %s\n", prog, strerror(-r));
                return 1;
        }
        return errors > 0 ? 1 : 0;
}

int generator_check(Generator *g, const char *prog) {
        /* editors and CI parsers read FILE:LINE:COLUMN: error: message on standard output */
        log_setup(prog, false);
        int r = generate(g);
        unsigned errors = g->sink.n_errors;
        if (r >= 0)
                check_summary(g);
        g->check_args = NULL;
        generator_done(g);
        if (r < 0) {
                fprintf(stderr, "%s: %s\n", prog, strerror(-r));
                return 1;
        }
        return errors > 0 ? 1 : 0;
}
