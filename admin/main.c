/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* oci-containers: the administrator's command, on the generator's library.
 *
 *   oci-containers [--user] list [--json|-o json]
 *   oci-containers [--user] status NAME
 *   oci-containers [--user] check [FILE|DIR...]
 *   oci-containers [--user] install FILE|DIR... [--replace] [--now]
 *   oci-containers [--user] rm NAME... [--now]
 *   oci-containers [--user] apply [--dry-run]
 *
 * It talks to the service manager over D-Bus (bus.c), never through systemctl; the definitions are
 * read, checked and named by the generator's own code, run in this process (generate.c). */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <systemd/sd-bus.h>

#include "admin.h"
#include "config.h"
#include "generator.h"

char *admin_dir(const Context *c) {
        if (!c->user)
                return strdup(SYSCONF_DIR "/oci-containers.d");
        const char *x = getenv("XDG_CONFIG_HOME"), *h = getenv("HOME");
        if (x && path_is_absolute(x))
                return xasprintf("%s/oci-containers.d", x);
        if (h && path_is_absolute(h))
                return xasprintf("%s/.config/oci-containers.d", h);
        log_error("Failed to find the user's definitions: $HOME is not set.");
        return NULL;
}

char *generator_dir(const Context *c) {
        const char *e = getenv("OCI_CONTAINERS_GENERATOR_DIR");
        if (e && *e)
                return strdup(e);
        if (!c->user)
                return strdup("/run/systemd/generator");
        const char *r = getenv("XDG_RUNTIME_DIR");
        if (r && path_is_absolute(r))
                return xasprintf("%s/systemd/generator", r);
        log_error("Failed to find the user manager's generated units: $XDG_RUNTIME_DIR is not set.");
        return NULL;
}

static void help(void) {
        printf("oci-containers [OPTIONS] COMMAND ...\n\n"
               "Install, list and apply container definitions for systemd.\n\n"
               "Commands:\n"
               "  list                    List every definition, its unit and the unit's state\n"
               "  status NAME             Show a definition, its unit, its command and its journal\n"
               "  check [FILE|DIR...]     Check definitions (default: the search path)\n"
               "  install FILE|DIR...     Check, copy into the definitions' directory, reload\n"
               "  rm NAME...              Remove definitions and their drop-ins, reload\n"
               "  apply                   Reload; restart what changed, start what is new, stop\n"
               "                          what is gone\n\n"
               "Options:\n"
               "  -h --help               Show this help\n"
               "     --version            Show the version\n"
               "     --user               The user's service manager and definitions\n"
               "     --system             The system's (the default)\n"
               "     --json, -o json      list: print JSON\n"
               "     --now                install: start what was installed; rm: stop it first\n"
               "     --replace            install: overwrite definitions that exist\n"
               "     --dry-run            apply: print the plan, change nothing\n\n"
               "See oci-containers(1).\n");
}

static int verb_check(Context *c, char **args) {
        Generator g = { .user = c->user, .check = true };
        g.sink = (OciDiagSink) { .fn = report_diag, .userdata = &g };
        g.check_args = args && *args ? args : NULL;
        return generator_check(&g, "oci-containers");
}

int main(int argc, char *argv[]) {
        enum { ARG_VERSION = 0x100, ARG_USER, ARG_JSON, ARG_NOW, ARG_REPLACE, ARG_DRY_RUN, ARG_SYSTEM };
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, ARG_VERSION },
                { "user", no_argument, NULL, ARG_USER },
                { "system", no_argument, NULL, ARG_SYSTEM },
                { "json", no_argument, NULL, ARG_JSON },
                { "output", required_argument, NULL, 'o' },
                { "now", no_argument, NULL, ARG_NOW },
                { "replace", no_argument, NULL, ARG_REPLACE },
                { "dry-run", no_argument, NULL, ARG_DRY_RUN },
                {},
        };
        Context c = {};
        int o;
        while ((o = getopt_long(argc, argv, "ho:", options, NULL)) >= 0)
                switch (o) {
                case 'h':
                        help();
                        return 0;
                case ARG_VERSION:
                        printf("oci-containers %s\n", PACKAGE_VERSION);
                        return 0;
                case ARG_USER:
                        c.user = true;
                        break;
                case ARG_SYSTEM:
                        c.user = false;
                        break;
                case ARG_JSON:
                        c.json = true;
                        break;
                case 'o':
                        if (!streq(optarg, "json") && !streq(optarg, "table")) {
                                log_error("Unknown output '%s': json or table.", optarg);
                                return 1;
                        }
                        c.json = streq(optarg, "json");
                        break;
                case ARG_NOW:
                        c.now = true;
                        break;
                case ARG_REPLACE:
                        c.replace = true;
                        break;
                case ARG_DRY_RUN:
                        c.dry_run = true;
                        break;
                case '?':
                        return 1;
                default:
                        return 1;
                }
        if (optind >= argc) {
                log_error("Too few arguments: a command is needed (list, status, check, install, rm, apply; see --help).");
                return 1;
        }
        const char *verb = argv[optind];
        char **args = argv + optind + 1;
        size_t n = (size_t) (argc - optind - 1);
        /* an option that the verb does not take is an error, not ignored */
        bool bad = (c.json && !streq(verb, "list")) || (c.now && !streq(verb, "install") && !streq(verb, "rm")) ||
                   (c.replace && !streq(verb, "install")) || (c.dry_run && !streq(verb, "apply"));
        if (bad) {
                log_error("An option given is not one of '%s' (see --help).", verb);
                return 1;
        }
        int r;
        if (streq(verb, "list") && n == 0)
                r = verb_list(&c);
        else if (streq(verb, "status") && n == 1)
                r = verb_status(&c, args[0]);
        else if (streq(verb, "check"))
                r = verb_check(&c, args);
        else if (streq(verb, "install") && n > 0)
                r = verb_install(&c, args);
        else if (streq(verb, "rm") && n > 0)
                r = verb_rm(&c, args);
        else if (streq(verb, "apply") && n == 0)
                r = verb_apply(&c);
        else if ((streq(verb, "list") || streq(verb, "status") || streq(verb, "install") || streq(verb, "rm") || streq(verb, "apply"))) {
                log_error("Wrong number of arguments for '%s' (see --help).", verb);
                r = 1;
        } else {
                log_error("Unknown command verb '%s'.", verb);
                r = 1;
        }
        bus_close(&c);
        return r;
}
