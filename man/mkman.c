/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Builds a man page from its template: every line "@KEYS Section@" becomes the documentation of
 * that section's keys, straight from the option table, so the page cannot drift from the code.
 *
 *   oci-containers-mkman TEMPLATE OUTPUT VERSION */
#include <stdio.h>

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

static const char *backend_effect(const OciOption *o, OciBackendId b, char *buf, size_t n) {
        const OciRender *r = oci_option_render((OciOptionId) (o - oci_options), b);
        switch (r->kind) {
        case OCI_RENDER_UNSUPPORTED: return NULL;
        case OCI_RENDER_FLAG_VALUE: snprintf(buf, n, "%s=VALUE", r->flag); return buf;
        case OCI_RENDER_FLAG_PREFIX: snprintf(buf, n, "%sVALUE", r->flag); return buf;
        case OCI_RENDER_FLAG_IF_TRUE: snprintf(buf, n, "%s (when yes)", r->flag); return buf;
        case OCI_RENDER_FLAG_BOOL: snprintf(buf, n, "%s, or %s=false", r->flag, r->flag); return buf;
        case OCI_RENDER_ARGS: return "its words, as arguments before the image";
        case OCI_RENDER_BACKEND:
                if (r->flag) {
                        snprintf(buf, n, "%s (see above)", r->flag);
                        return buf;
                }
                return "see the description";
        case OCI_RENDER_GENERIC: return "the unit itself (the same for every engine)";
        case OCI_RENDER_AS_PODMAN: /* resolved by oci_option_render() */
        case _OCI_RENDER_MAX:
        default: return NULL;
        }
}

static void keys(FILE *f, OciSection section) {
        for (size_t i = 0; i < _OCI_OPT_MAX; i++) {
                const OciOption *o = &oci_options[i];
                if (!(o->sections & (1u << section)))
                        continue;
                fprintf(f, ".TP\n\\fB%s=\\fR\n", o->key);
                StrBuf doc = {};
                if (oci_option_doc((OciOptionId) i, &doc) < 0)
                        exit(EXIT_FAILURE);
                roff(f, doc.s);
                strbuf_done(&doc);
                fputc('\n', f);
                fprintf(f, ".RS\n.PP\nType: %s", oci_type_to_string(o->type));
                if (o->type == OCI_TYPE_CHOICE) {
                        fputs(" (", f);
                        for (const char *const *c = o->choices; *c; c++)
                                fprintf(f, "%s\\fB%s\\fR", c == o->choices ? "" : ", ", *c);
                        fputs(")", f);
                }
                if (o->flags & OCI_OPT_LIST)
                        fputs("; repeatable, an empty assignment clears the list", f);
                if (o->default_value) {
                        fputs("; default: ", f);
                        roff(f, o->default_value);
                }
                if (o->flags & OCI_OPT_REQUIRED)
                        fputs("; required", f);
                fputs("; read as Quadlet reads it: ", f);
                roff(f, oci_read_to_string(oci_option_read((OciOptionId) i)));
                fputs(".\n", f);
                if (section == OCI_SECTION_CONTAINER) {
                        for (size_t b = 0; b < _OCI_BACKEND_MAX; b++) {
                                char buf[256];
                                const char *e = backend_effect(o, (OciBackendId) b, buf, sizeof(buf));
                                fprintf(f, ".br\n%s: ", oci_backend_to_string((OciBackendId) b));
                                if (e) {
                                        roff(f, e);
                                        fputc('\n', f);
                                } else
                                        fputs("not supported (an error)\n", f);
                        }
                }
                fputs(".RE\n", f);
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
        char line[4096];
        while (fgets(line, sizeof(line), in)) {
                char name[64];
                if (sscanf(line, "@KEYS %63[A-Za-z]@", name) == 1) {
                        OciSection s = oci_section_from_string(name);
                        if (s < 0) {
                                fprintf(stderr, "%s: unknown section '%s'\n", argv[1], name);
                                return 1;
                        }
                        keys(out, s);
                        continue;
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
