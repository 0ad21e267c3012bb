/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The generator, run in this process as the service manager would run it, into a directory of our
 * own: what list shows for each definition, and what apply --dry-run compares with what the
 * manager has now. The messages are kept, not printed: "oci-containers check" prints them. */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "admin.h"
#include "generator.h"
#include "log.h"

void log_error(const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
}

typedef struct Capture {
        Generator *g;
        char **errors; /* "FILE:LINE: text", in the order they came */
        size_t n;
} Capture;

static void capture_diag(void *userdata, const OciDiag *d) {
        Capture *c = userdata;
        if (d->level <= LOG_ERR && d->file) {
                char *s = d->line ? xasprintf("%s:%u: %s", d->file, d->line, d->message) : xasprintf("%s: %s", d->file, d->message);
                if (s && strv_push_at(&c->errors, c->n, s) >= 0)
                        c->n++;
        }
        report_diag(c->g, d);
}

/* the first error about the file at path or one of its drop-ins */
static char *first_error(const Capture *c, const char *path) {
        size_t k = strlen(path);
        for (int exact = 1; exact >= 0; exact--)
                for (size_t i = 0; i < c->n; i++) {
                        const char *e = c->errors[i];
                        if (strncmp(e, path, k) == 0 && (exact ? e[k] == ':' : e[k] == '.' || e[k] == '/'))
                                return strdup(e);
                }
        return NULL;
}

/* What the generator reads for the node besides its file, asked of the code that reads it (its
 * messages were said when it did) */
static int files_read(Generator *g, const Node *n, DefInfo *info) {
        _cleanup_(oci_definition_freep) OciDefinition *d = oci_definition_new(n->summary.path, n->summary.type);
        if (!d)
                return -ENOMEM;
        OciDiagSink said = g->sink;
        g->sink = (OciDiagSink) {};
        const char *t = definition_template(g, d);
        int r = definition_dropins(g, d, &info->dropins);
        g->sink = said;
        if (r == -ENOMEM || (t && !(info->template = strdup(t))))
                return -ENOMEM;
        return 0;
}

int generate_into(bool user, const char *dir, Listing *ret) {
        Generator g = { .user = user, .output = dir };
        Capture cap = { .g = &g };
        g.sink = (OciDiagSink) { .fn = capture_diag, .userdata = &cap };
        log_setup("oci-containers", false);
        log_set_level(LOG_ERR - 1);
        int r = generate(&g);
        Listing l = {};
        if (r >= 0 && ret) {
                l.defs = calloc(g.n_nodes + 1, sizeof(DefInfo));
                if (!l.defs)
                        r = -ENOMEM;
        }
        for (size_t i = 0; r >= 0 && ret && i < g.n_nodes; i++) {
                const Node *n = g.nodes[i];
                if (n->masked || !n->wanted)
                        continue;
                DefInfo *d = &l.defs[l.n++];
                *d = (DefInfo) {
                        .path = strdup(n->summary.path),
                        .type = n->summary.type,
                        .unit = n->summary.unit_name ? strdup(n->summary.unit_name) : NULL,
                        .backend = n->summary.backend,
                        .failed = n->failed,
                        .first_error = n->failed ? first_error(&cap, n->summary.path) : NULL,
                };
                if (!d->path)
                        r = -ENOMEM;
                if (r >= 0)
                        r = files_read(&g, n, d);
        }
        generator_done(&g);
        strv_free(cap.errors);
        if (r < 0) {
                listing_done(&l);
                return r;
        }
        if (ret)
                *ret = l;
        return 0;
}

void listing_done(Listing *l) {
        for (size_t i = 0; i < l->n; i++) {
                free(l->defs[i].path);
                free(l->defs[i].unit);
                free(l->defs[i].first_error);
                free(l->defs[i].template);
                strv_free(l->defs[i].dropins);
        }
        free(l->defs);
        *l = (Listing) {};
}

char *make_temp_dir(void) {
        const char *t = getenv("TMPDIR");
        char *p = xasprintf("%s/oci-containers-XXXXXX", t && *t ? t : P_tmpdir);
        if (p && !mkdtemp(p)) {
                free(p);
                return NULL;
        }
        return p;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
        (void) st;
        (void) flag;
        (void) ftw;
        remove(path);
        return 0;
}

void remove_tree(const char *dir) {
        if (dir)
                nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}
