/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* oci-containers-generator: turns container definitions into systemd services.
 *
 *   oci-containers-generator [--user] NORMAL_DIR [EARLY_DIR LATE_DIR]
 *   oci-containers-generator [--user] --dry-run
 *   oci-containers-generator --report FILE   (oci-containers-report.service)
 *
 * The file names of the search path are read first (a small node each). Then the definitions are
 * processed one at a time, by name: parse, validate, render, write, free. What a definition refers
 * to is processed first (graph.c). A pod is written before its members, and its unit is told the
 * members that start with it once every definition is done. Memory grows with the number of files,
 * not with what they hold. A definition that fails is reported and skipped; the others are still
 * generated. */
#include <getopt.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "generator.h"
#include "log.h"


/* ---- the command line ---- */

/* The file type a word names: its extension with or without the dot ("kube", ".kube"), or a
 * definition's file name ("web.kube"). */
static OciUnitType type_of_word(const char *word) {
        for (OciUnitType t = 0; t < _OCI_UNIT_TYPE_MAX; t++)
                if (streq(word, oci_unit_type_extension(t)) || streq(word, oci_unit_type_extension(t) + 1))
                        return t;
        return oci_unit_type_from_filename(word);
}

/* One file type a line, under a header: its name (what --list-keys takes), section, unit, manual. */
static void list_types(void) {
        printf("TYPE\tSECTION\tUNIT\tMANUAL\n");
        for (OciUnitType t = 0; t < _OCI_UNIT_TYPE_MAX; t++) {
                const OciFileType *ft = oci_file_type(t);
                printf("%s\t[%s]\tNAME%s.service\t%s\n", ft->extension + 1, oci_section_to_string(ft->section), ft->suffix, ft->man);
        }
}

static bool key_wanted(const char *key, char **keys, int n) {
        if (n == 0)
                return true;
        for (int i = 0; i < n; i++) {
                size_t l = strlen(keys[i]);
                if (l > 0 && keys[i][l - 1] == '=')
                        l--;
                if (strlen(key) == l && strncmp(key, keys[i], l) == 0)
                        return true;
        }
        return false;
}

/* One key a line, its columns separated by tabs (scripts split on them), under a header: every
 * key, or with args TYPE [KEY...] those a file of that type takes (of them, those named). Returns
 * the exit status. */
static int list_keys(const char *prog, char **args, int n) {
        unsigned sections = ~0u;
        if (n > 0) {
                OciUnitType type = type_of_word(args[0]);
                if (type < 0) {
                        StrBuf all = {};
                        oci_unit_type_list(&all, " or ");
                        fprintf(stderr, "%s: --list-keys: '%s' is not a file type: write one of %s (without the dot), or a "
                                "definition's file name\n", prog, args[0], all.s ? all.s : "the types of --list-types");
                        strbuf_done(&all);
                        return 2;
                }
                sections = oci_unit_type_sections(type);
                for (int k = 1; k < n; k++) {
                        bool found = false;
                        for (size_t i = 0; i < _OCI_OPT_MAX && !found; i++)
                                found = (oci_options[i].sections & sections) && key_wanted(oci_option_key(i), args + k, 1);
                        if (!found) {
                                fprintf(stderr, "%s: --list-keys: a %s file has no key %s (--list-keys %s lists its keys)\n", prog,
                                        oci_unit_type_extension(type), args[k], args[0]);
                                return 2;
                        }
                }
        }
        printf("KEY\tSECTIONS\tENGINES\tTYPE\tDEFAULT\tDESCRIPTION\n");
        for (size_t i = 0; i < _OCI_OPT_MAX; i++) {
                const OciOption *o = &oci_options[i];
                if (!(o->sections & sections) || !key_wanted(oci_str(o->key), n > 1 ? args + 1 : NULL, n > 1 ? n - 1 : 0))
                        continue;
                StrBuf b = {};
                for (size_t s = 0; s < _OCI_SECTION_MAX; s++)
                        if (o->sections & (1u << s))
                                strbuf_printf(&b, "%s[%s]", b.len ? "," : "", oci_section_to_string((OciSection) s));
                strbuf_puts(&b, "\t");
                for (size_t be = 0; be < _OCI_BACKEND_MAX; be++)
                        if (oci_option_render((OciOptionId) i, (OciBackendId) be)->kind != OCI_RENDER_UNSUPPORTED)
                                strbuf_printf(&b, "%s%s", b.s[b.len - 1] == '\t' ? "" : ",", oci_backend_to_string((OciBackendId) be));
                StrBuf doc = {};
                oci_option_doc((OciOptionId) i, &doc);
                printf("%s=\t%s\t%s%s\t%s\t%s\n", oci_str(o->key), b.s ? b.s : "", oci_type_to_string(o->type),
                       (o->flags & OCI_OPT_LIST) ? ", repeatable" : "", o->default_value ? oci_str(o->default_value) : "-",
                       doc.s ? doc.s : oci_str(o->doc));
                strbuf_done(&doc);
                strbuf_done(&b);
        }
        return 0;
}

static int print_search_path(FILE *f, bool user, const char *indent) {
        _cleanup_strv_free_ char **dirs = search_path(user);
        if (!dirs)
                return -ENOMEM;
        fputs(indent, f);
        print_dirs(f, dirs);
        fputc('\n', f);
        return 0;
}

static void help(const char *prog) {
        printf("%s [OPTIONS] NORMAL_DIR [EARLY_DIR LATE_DIR]\n"
               "%s [OPTIONS] --dry-run\n\n"
               "Generate systemd services from container definitions (*.container).\n\n"
               "  -h --help       Show this help\n"
               "     --version    Show the version\n"
               "     --dry-run    Print the units instead of writing them\n"
               "     --user       Generate for a user's service manager (rootless)\n"
               "     --list-keys [TYPE [KEY...]]\n"
               "                  List every key of the option table, or those of one file\n"
               "                  type (kube, or a file name: web.kube), or only the KEYs named\n"
               "     --list-types List the file types: extension, section, unit, manual\n"
               "     --check [FILE|DIR...]\n"
               "                  Check definitions (default: the search path), write nothing;\n"
               "                  report as FILE:LINE:COLUMN: error|warning: message\n"
               "     --export=kube [FILE|DIR...]\n"
               "                  Write the definitions (default: the search path) as\n"
               "                  Kubernetes YAML on standard output, the messages of\n"
               "                  --check on standard error\n"
               "     --kube-kind=pod|deployment\n"
               "                  With --export=kube: a .container or .pod becomes a Pod\n"
               "                  (the default) or a Deployment\n"
               "     --report FILE\n"
               "                  Tell the journal the messages the generator kept in FILE\n"
               "                  because the journal did not run yet\n\n"
               "Environment: OCI_CONTAINERS_UNIT_DIRS replaces the search path (colon-separated),\n"
               "OCI_CONTAINERS_CONF the defaults file, SYSTEMD_LOG_LEVEL/SYSTEMD_LOG_TARGET the logging.\n"
               "See oci-containers-generator(8) and oci-containers.container(5).\n\n"
               "Definitions are read from (a name in an earlier directory hides it in later ones):\n",
               prog, prog);
        const char *conf = defaults_file();
        if (print_search_path(stdout, false, "  system: ") < 0 || print_search_path(stdout, true, "  with --user: ") < 0)
                return;
        fputs("Defaults file: ", stdout);
        print_name(stdout, conf ? conf : "none (" SYSCONF_DIR "/oci-containers.conf is read when it exists)");
        fputc('\n', stdout);
}

int main(int argc, char *argv[]) {
        enum { ARG_VERSION = 0x100, ARG_DRY_RUN, ARG_USER, ARG_LIST_KEYS, ARG_LIST_TYPES, ARG_CHECK, ARG_REPORT, ARG_EXPORT, ARG_KUBE_KIND };
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, ARG_VERSION },
                { "dry-run", no_argument, NULL, ARG_DRY_RUN },
                { "user", no_argument, NULL, ARG_USER },
                { "list-keys", no_argument, NULL, ARG_LIST_KEYS },
                { "list-types", no_argument, NULL, ARG_LIST_TYPES },
                { "check", no_argument, NULL, ARG_CHECK },
                { "report", required_argument, NULL, ARG_REPORT },
                { "export", required_argument, NULL, ARG_EXPORT },
                { "kube-kind", required_argument, NULL, ARG_KUBE_KIND },
                {},
        };
        Generator g = {};
        g.sink = (OciDiagSink) { .fn = report_diag, .userdata = &g };
        const char *prog = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
        const char *scope = getenv("SYSTEMD_SCOPE");
        g.user = strstr(prog, "user") != NULL || streq_ptr(scope, "user");

        bool list = false, export = false;
        OciKubeWorkload workload = OCI_KUBE_POD;
        int c;
        while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        help(prog);
                        return 0;
                case ARG_VERSION:
                        printf("oci-containers %s\n", PACKAGE_VERSION);
                        return 0;
                case ARG_DRY_RUN:
                        g.dry_run = true;
                        break;
                case ARG_USER:
                        g.user = true;
                        break;
                case ARG_LIST_KEYS:
                        list = true;
                        break;
                case ARG_LIST_TYPES:
                        list_types();
                        return 0;
                case ARG_CHECK:
                        g.check = true;
                        break;
                case ARG_REPORT: {
                        /* run by its service: the journal runs, and stderr is its stream */
                        log_setup(prog, true);
                        int r = report_replay(optarg);
                        log_lost_done();
                        return r < 0 ? 1 : 0;
                }
                case ARG_EXPORT:
                        if (!streq(optarg, "kube")) {
                                fprintf(stderr, "%s: --export=%s: the format is kube (--export=kube)\n", prog, optarg);
                                return 2;
                        }
                        export = true;
                        break;
                case ARG_KUBE_KIND:
                        workload = oci_kube_workload_from_string(optarg);
                        if (workload < 0) {
                                fprintf(stderr, "%s: --kube-kind=%s: write pod or deployment\n", prog, optarg);
                                return 2;
                        }
                        break;
                case '?':
                        return 2;
                default:
                        return 2;
                }

        int npos = argc - optind;
        if (list)
                return list_keys(prog, argv + optind, npos);
        if (export) {
                g.check = true;
                g.check_args = npos > 0 ? argv + optind : NULL;
                return generator_export(&g, prog, workload);
        }
        if (g.check) {
                g.check_args = npos > 0 ? argv + optind : NULL;
                return generator_check(&g, prog);
        }
        if (!g.dry_run && npos != 1 && npos != 3) {
                fprintf(stderr, "%s: expected one or three output directories, or --dry-run (see --help)\n", prog);
                return 2;
        }
        if (g.dry_run && npos != 0 && npos != 1 && npos != 3) {
                fprintf(stderr, "%s: --dry-run takes no directory, or the same one or three as without it\n", prog);
                return 2;
        }
        g.output = npos > 0 ? argv[optind] : NULL;
        /* systemd 251 and later say so in $SYSTEMD_SCOPE; older ones are PID 1 and give us no terminal */
        bool by_systemd = scope != NULL || (getppid() == 1 && !isatty(STDERR_FILENO));
        log_setup(prog, by_systemd && !g.dry_run);

        /* a missing or read-only output directory is one message, not one per definition */
        if (g.output && !g.dry_run) {
                struct stat st;
                errno = 0;
                if (stat(g.output, &st) < 0 || !S_ISDIR(st.st_mode) || access(g.output, W_OK) < 0) {
                        int e = errno ? errno : ENOTDIR;
                        log_msg(LOG_ERR, "Cannot write units to %s: %s", g.output, strerror(e));
                        return 1;
                }
        }
        int r = generate(&g);
        generator_done(&g);
        if (r < 0)
                log_msg(LOG_ERR, "Failed: %s", strerror(-r));
        log_lost_done();
        return r < 0 || g.n_failed > 0 ? 1 : 0;
}
