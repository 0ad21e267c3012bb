/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Builds a man page from its template: every line "@KEYS Section@" becomes the documentation of
 * that section's keys, straight from the option table, so the page cannot drift from the code;
 * "@KUBE Section@" what --export=kube makes of each of its keys (the kube column);
 * "@VERSION@" becomes VERSION, and an empty date in the .TH line the date of $SOURCE_DATE_EPOCH
 * (set by package builds, for the same page from the same source), else of the template.
 *
 *   oci-containers-mkman TEMPLATE OUTPUT VERSION */
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>

#include "options.h"

/* roff text: backslashes and dashes escaped, no control character at the start of a line */
static void roff(FILE *f, const char *s) {
        if (*s == '.' || *s == '\'')
                fputs("\\&", f);
        for (; *s; s++)
                switch (*s) {
                case '\\': fputs("\\e", f); break;
                case '-': fputs("\\-", f); break;
                default: fputc(*s, f);
                }
}

/* What the key becomes on the engine's command line, when that is one flag a reader can look up in
 * the engine's own manual; "" when the description says it all (the unit itself, or the row's
 * function); NULL when the engine does not take the key. */
/* A network's and a volume's options are two words each, as Quadlet writes them. */
static bool flag_words(OciSection section) {
        return section == OCI_SECTION_NETWORK || section == OCI_SECTION_VOLUME;
}

static const char *backend_effect(const OciOption *o, OciSection section, OciBackendId b, char *buf, size_t n) {
        const OciRender *r = oci_option_render((OciOptionId) (o - oci_options), b);
        switch (r->kind) {
        case OCI_RENDER_UNSUPPORTED: return NULL;
        case OCI_RENDER_FLAG_VALUE: snprintf(buf, n, flag_words(section) ? "%s VALUE" : "%s=VALUE", oci_str(r->flag)); return buf;
        case OCI_RENDER_FLAG_PREFIX: snprintf(buf, n, "%sVALUE", oci_str(r->flag)); return buf;
        case OCI_RENDER_FLAG_IF_TRUE: snprintf(buf, n, "%s when yes", oci_str(r->flag)); return buf;
        case OCI_RENDER_FLAG_BOOL: snprintf(buf, n, "%s, or %s=false", oci_str(r->flag), oci_str(r->flag)); return buf;
        case OCI_RENDER_FN:
                if (oci_str(r->flag)) {
                        snprintf(buf, n, "%s, as described", oci_str(r->flag));
                        return buf;
                }
                return "";
        case OCI_RENDER_ARGS:
        case OCI_RENDER_GENERIC: return "";
        case OCI_RENDER_AS_PODMAN: /* resolved by oci_option_render() */
        case _OCI_RENDER_MAX:
        default: return NULL;
        }
}

/* One line for the engines: "Engines: podman (--pull=VALUE), docker (--pull, as described); not
 * nspawn (an error)." A key every engine takes the same way is "Engines: podman, docker, nspawn." */
static void engines(FILE *f, const OciOption *o, OciSection section) {
        char buf[_OCI_BACKEND_MAX][256];
        const char *effect[_OCI_BACKEND_MAX];
        size_t n_supported = 0;
        for (size_t b = 0; b < _OCI_BACKEND_MAX; b++) {
                effect[b] = backend_effect(o, section, (OciBackendId) b, buf[b], sizeof(buf[b]));
                n_supported += effect[b] != NULL;
        }
        fputs(".br\nEngines: ", f);
        if (n_supported == 0)
                fputs("none", f);
        bool first = true;
        for (size_t b = 0; b < _OCI_BACKEND_MAX; b++) {
                if (!effect[b])
                        continue;
                fprintf(f, "%s%s", first ? "" : ", ", oci_backend_to_string((OciBackendId) b));
                if (*effect[b]) {
                        fputs(" (", f);
                        roff(f, effect[b]);
                        fputc(')', f);
                }
                first = false;
        }
        first = true;
        for (size_t b = 0; b < _OCI_BACKEND_MAX && n_supported > 0; b++)
                if (!effect[b]) {
                        fprintf(f, "%s%s", first ? "; not " : " or ", oci_backend_to_string((OciBackendId) b));
                        first = false;
                }
        fputs(first ? ".\n" : " (an error).\n", f);
}

static void keys(FILE *f, OciSection section) {
        for (size_t i = 0; i < _OCI_OPT_MAX; i++) {
                const OciOption *o = &oci_options[i];
                if (!(o->sections & (1u << section)))
                        continue;
                fprintf(f, ".TP\n\\fB%s=\\fR\n", oci_str(o->key));
                StrBuf doc = {};
                if (oci_option_doc((OciOptionId) i, &doc) < 0)
                        exit(EXIT_FAILURE);
                roff(f, doc.s);
                strbuf_done(&doc);
                fputc('\n', f);
                fprintf(f, ".RS\n.PP\nType: %s", oci_type_to_string(o->type));
                if (o->choices) {
                        /* a choice's words, or those a duration takes besides a time */
                        fputs(o->type == OCI_TYPE_CHOICE ? " (" : " (or ", f);
                        const OciStr *c = oci_option_choices(o);
                        for (size_t k = 0; c[k]; k++)
                                fprintf(f, "%s\\fB%s\\fR", k == 0 ? "" : ", ", oci_str(c[k]));
                        fputs(")", f);
                }
                if (o->flags & OCI_OPT_LIST)
                        fputs("; repeatable, an empty assignment clears the list", f);
                if (oci_str(o->default_value)) {
                        fputs("; default: ", f);
                        roff(f, oci_str(o->default_value));
                }
                if (o->flags & OCI_OPT_REQUIRED)
                        fputs("; required", f);
                fputs("; read as Quadlet reads it: ", f);
                roff(f, oci_read_to_string(oci_option_read((OciOptionId) i)));
                fputs(".\n", f);
                if (section == OCI_SECTION_CONTAINER || section == OCI_SECTION_IMAGE || section == OCI_SECTION_BUILD || flag_words(section))
                        engines(f, o, section);
                /* the podman each option of a network or volume needs, said of every one (the
                 * documentation says it of those that need a newer one) */
                OciRenderKind podman = oci_option_render((OciOptionId) i, OCI_BACKEND_PODMAN)->kind;
                if (flag_words(section) && !o->podman && podman != OCI_RENDER_UNSUPPORTED && podman != OCI_RENDER_GENERIC)
                        fputs(".br\nWorks with podman 4.3 (Debian 12's) and newer.\n", f);
                fputs(".RE\n", f);
        }
}

static void page_date(FILE *in, char *buf, size_t n) {
        const char *epoch = getenv("SOURCE_DATE_EPOCH");
        struct stat st;
        time_t t = epoch && *epoch ? (time_t) strtoll(epoch, NULL, 10) : fstat(fileno(in), &st) == 0 ? st.st_mtime : 0;
        struct tm tm;
        if (!gmtime_r(&t, &tm) || strftime(buf, n, "%Y-%m-%d", &tm) == 0)
                snprintf(buf, n, "1970-01-01");
}

/* Each key of the section, and what --export=kube makes of it: the field, or why nothing. */
static void kube_keys(FILE *f, OciSection s) {
        for (size_t i = 0; i < _OCI_OPT_MAX; i++) {
                const OciOption *o = &oci_options[i];
                if (!(o->sections & (1u << s)) || o->kube.kind == OCI_KUBE_UNSET)
                        continue;
                fputs(".TP\n.B ", f);
                roff(f, oci_str(o->key));
                fputs("=\n", f);
                if (o->kube.kind == OCI_KUBE_NONE)
                        fputs("none (a warning): ", f);
                roff(f, oci_str(o->kube.text));
                fputc('\n', f);
        }
}

int main(int argc, char *argv[]) {
        if (argc != 4) {
                fprintf(stderr, "usage: %s TEMPLATE OUTPUT VERSION\n", argv[0]);
                return 2;
        }
        FILE *in = fopen(argv[1], "re"), *out = fopen(argv[2], "we");
        if (!in || !out) {
                perror("open");
                return 1;
        }
        char line[4096], date[16];
        page_date(in, date, sizeof(date));
        while (fgets(line, sizeof(line), in)) {
                char name[64];
                if (sscanf(line, "@KUBE %63[A-Za-z]@", name) == 1) {
                        OciSection s = oci_section_from_string(name);
                        if (s < 0) {
                                fprintf(stderr, "%s: unknown section '%s'\n", argv[1], name);
                                return 1;
                        }
                        kube_keys(out, s);
                        continue;
                }
                if (sscanf(line, "@KEYS %63[A-Za-z]@", name) == 1) {
                        OciSection s = oci_section_from_string(name);
                        if (s < 0) {
                                fprintf(stderr, "%s: unknown section '%s'\n", argv[1], name);
                                return 1;
                        }
                        keys(out, s);
                        continue;
                }
                char *empty = strncmp(line, ".TH ", 4) == 0 ? strstr(line, " \"\" ") : NULL;
                if (empty) {
                        fprintf(out, "%.*s \"%s\" ", (int) (empty - line), line, date);
                        memmove(line, empty + 4, strlen(empty + 4) + 1);
                }
                char *v = strstr(line, "@VERSION@");
                if (v) {
                        fprintf(out, "%.*s%s%s", (int) (v - line), line, argv[3], v + strlen("@VERSION@"));
                        continue;
                }
                fputs(line, out);
        }
        if (ferror(in) || fclose(out) != 0) {
                perror("write");
                return 1;
        }
        fclose(in);
        return 0;
}
