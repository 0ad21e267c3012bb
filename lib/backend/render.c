/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <assert.h>
#include <unistd.h>

#include "config.h"
#include "escape.h"
#include "render.h"

/* POSIX says where the shell is; the scripts below get every user value as an argument, never
 * in their text. */
#define SHELL "/bin/sh"

static const OciBackend *const backends[_OCI_BACKEND_MAX] = {
        [OCI_BACKEND_PODMAN] = &oci_backend_podman,
        [OCI_BACKEND_DOCKER] = &oci_backend_docker,
        [OCI_BACKEND_NSPAWN] = &oci_backend_nspawn,
};

const OciBackend *oci_backend_get(OciBackendId id) {
        return id >= 0 && id < _OCI_BACKEND_MAX ? backends[id] : NULL;
}

int oci_render_item(const OciDefinition *d, OciOptionId id, const OciItem *it, OciBackendId b, StrBuf *out) {
        assert(d && it && out);
        const OciRefColumn *ref = &oci_options[id].ref;
        if (it->resolved && ref->part == OCI_REF_WHOLE)
                return strbuf_puts(out, it->resolved);
        if (it->resolved && ref->part == OCI_REF_PREFIX) {
                /* the engine's name in place of NAME.EXT; the options after it stay */
                int r = strbuf_puts(out, it->resolved);
                return r < 0 ? r : strbuf_puts(out, it->text + strcspn(it->text, ":"));
        }
        return oci_item_format(oci_options[id].type, it, b, out);
}

/* "PREFIX" followed by the item as the engine takes it. */
static int extend_item(char ***argv, const char *prefix, const char *sep, const OciDefinition *d, OciOptionId id,
                       const OciItem *it, OciBackendId b) {
        size_t pl = strlen(prefix), sl = strlen(sep);
        if (!it->resolved && !oci_value_types[oci_options[id].type]->format) {
                /* the item's text as it is: one allocation */
                size_t tl = strlen(it->text);
                char *w = malloc(pl + sl + tl + 1);
                if (!w)
                        return -ENOMEM;
                memcpy(w, prefix, pl);
                memcpy(w + pl, sep, sl);
                memcpy(w + pl + sl, it->text, tl + 1);
                return strv_push(argv, w);
        }
        StrBuf s = {};
        int r = strbuf_putn(&s, prefix, pl);
        if (r >= 0)
                r = strbuf_putn(&s, sep, sl);
        if (r >= 0)
                r = oci_render_item(d, id, it, b, &s);
        if (r < 0) {
                strbuf_done(&s);
                return r;
        }
        return strv_push(argv, strbuf_steal(&s));
}

int oci_render_flag_items(const OciDefinition *d, OciOptionId id, OciBackendId b, char ***argv) {
        const char *flag = oci_option_render(id, b)->flag;
        OCI_FOREACH_ITEM(it, d, id)
                if (extend_item(argv, flag, "=", d, id, it, b) < 0)
                        return -ENOMEM;
        return 0;
}

int oci_render_table_flags(const OciDefinition *d, OciBackendId b, char ***argv) {
        size_t n;
        const OciOptionId *rows = oci_option_rows(OCI_ROWS_FLAGS, oci_unit_type_section(d->type), b, &n);
        for (size_t k = 0; k < n; k++) {
                OciOptionId i = rows[k];
                if (!d->values[i].items.n && d->values[i].boolean < 0 && !(i == OCI_OPT_PUBLISH_PORT && d->handoff))
                        continue;
                const OciRender *r = oci_option_render(i, b);
                const OciValue *v = &d->values[i];
                switch (r->kind) {
                case OCI_RENDER_FLAG_VALUE:
                        if (oci_render_flag_items(d, i, b, argv) < 0)
                                return -ENOMEM;
                        /* ports handed over by what this one joins are published as its own */
                        for (size_t h = 0; i == OCI_OPT_PUBLISH_PORT && d->handoff && h < d->handoff->n; h++)
                                if (extend_item(argv, r->flag, "=", d, i, &d->handoff->items[h], b) < 0)
                                        return -ENOMEM;
                        break;
                case OCI_RENDER_FLAG_IF_TRUE:
                        if (v->boolean > 0 && strv_extend(argv, r->flag) < 0)
                                return -ENOMEM;
                        break;
                case OCI_RENDER_FLAG_BOOL:
                        if (v->boolean > 0 && strv_extend(argv, r->flag) < 0)
                                return -ENOMEM;
                        if (v->boolean == 0 && strv_extendf(argv, "%s=false", r->flag) < 0)
                                return -ENOMEM;
                        break;
                case OCI_RENDER_FLAG_PREFIX:
                        OCI_FOREACH_ITEM(it, d, i)
                                if (extend_item(argv, r->flag, "", d, i, it, b) < 0)
                                        return -ENOMEM;
                        break;
                case OCI_RENDER_UNSUPPORTED:
                case OCI_RENDER_ARGS:
                case OCI_RENDER_BACKEND:
                case OCI_RENDER_GENERIC:
                case OCI_RENDER_AS_PODMAN: /* resolved by oci_option_render() */
                case _OCI_RENDER_MAX:
                default:
                        break;
                }
        }
        return 0;
}

int oci_render_table_args(const OciDefinition *d, OciBackendId b, char ***argv) {
        size_t n;
        const OciOptionId *rows = oci_option_rows(OCI_ROWS_ARGS, oci_unit_type_section(d->type), b, &n);
        for (size_t k = 0; k < n; k++)
                if (oci_value_extend_words(d, rows[k], argv) < 0)
                        return -ENOMEM;
        return 0;
}

static const char *flag_of(OciOptionId id, OciBackendId b) {
        return oci_option_render(id, b)->flag;
}

int oci_render_container_args(const OciDefinition *d, OciBackendId b, char ***argv) {
        /* podman hands the output straight to the service for LogFile=; docker's client does anyway */
        bool passthrough = b == OCI_BACKEND_PODMAN && oci_value_str(d, OCI_OPT_LOG_FILE);
        if (strv_extendf(argv, "%s=%s", flag_of(OCI_OPT_LOG_DRIVER, b),
                         passthrough ? "passthrough" : oci_value_str(d, OCI_OPT_LOG_DRIVER)) < 0)
                return -ENOMEM;
        if (oci_render_table_flags(d, b, argv) < 0)
                return -ENOMEM;
        const char *user = oci_value_str(d, OCI_OPT_USER), *group = oci_value_str(d, OCI_OPT_GROUP);
        if (user && strv_extendf(argv, "%s=%s%s%s", flag_of(OCI_OPT_USER, b), user, group ? ":" : "", group ? group : "") < 0)
                return -ENOMEM;
        /* by name only: the value is in the service's environment, never on a command line */
        OCI_FOREACH_ITEM(kv, d, OCI_OPT_HOST_ENVIRONMENT)
                if (strv_extendf(argv, "%s=%.*s", flag_of(OCI_OPT_HOST_ENVIRONMENT, b), (int) kv->key_len, kv->text) < 0)
                        return -ENOMEM;
        if (oci_render_flag_items(d, OCI_OPT_NETWORK, b, argv) < 0)
                return -ENOMEM;
        /* ReadOnly=yes brings its own tmpfs on /tmp */
        if (oci_value_bool(d, OCI_OPT_VOLATILE_TMP) > 0 && oci_value_bool(d, OCI_OPT_READ_ONLY) <= 0 &&
            strv_extendf(argv, "%s=/tmp:rw,size=512M,mode=1777", flag_of(OCI_OPT_VOLATILE_TMP, b)) < 0)
                return -ENOMEM;
        return 0;
}

/* Where NAME.service.env is, in specifier form. */
static char *env_file_path(const OciDefinition *d, const OciRenderContext *ctx) {
        if (!ctx->output)
                return xasprintf("%%t/systemd/generator/%s.env", d->unit_name);
        _cleanup_free_ char *cwd = path_is_absolute(ctx->output) ? NULL : getcwd(NULL, 0);
        if (!path_is_absolute(ctx->output) && !cwd)
                return NULL;
        _cleanup_free_ char *dir = cwd ? path_join(cwd, ctx->output) : strdup(ctx->output);
        _cleanup_free_ char *esc = dir ? oci_specifier_escape(dir) : NULL;
        return esc ? xasprintf("%s/%s.env", esc, d->unit_name) : NULL;
}

int oci_render_service_environment(const OciDefinition *d, const OciRenderContext *ctx, OciUnitFile *u) {
        /* the values go to a file only root (or the user) reads: a unit is world-readable, and so
         * is its Environment= through "systemctl show" */
        if (!oci_value_count(d, OCI_OPT_HOST_ENVIRONMENT))
                return 0;
        _cleanup_free_ char *path = env_file_path(d, ctx);
        return path ? oci_unit_add(u, OCI_UNIT_SECTION_SERVICE, "EnvironmentFile", path) : -ENOMEM;
}

/* NAME.service.env: KEY="VALUE" lines as systemd reads EnvironmentFile= (in double quotes a
 * backslash escapes '"', '\\', '`' and '$'; nothing else is special, a line break included). The
 * items are in specifier form, and validation allowed no specifier but "%%". */
static int render_secret_env(const OciDefinition *d, OciUnitFile **ret) {
        _cleanup_free_ char *name = xasprintf("%s.env", d->unit_name);
        _cleanup_(oci_unit_freep) OciUnitFile *f = name ? oci_unit_new(name) : NULL;
        if (!f)
                return -ENOMEM;
        StrBuf b = {};
        int r = 0;
        OCI_FOREACH_ITEM(kv, d, OCI_OPT_HOST_ENVIRONMENT) {
                size_t klen = kv->key_len;
                if (r >= 0)
                        r = strv_push(&f->secret_names, strndup(kv->text, klen));
                if (r >= 0)
                        r = strbuf_printf(&b, "%.*s=\"", (int) klen, kv->text);
                for (const char *c = kv->text + klen + (kv->text[klen] == '='); r >= 0 && *c; c++) {
                        if (*c == '%' && c[1] == '%')
                                c++;
                        if (strchr("\"\\`$", *c))
                                r = strbuf_putc(&b, '\\');
                        if (r >= 0)
                                r = strbuf_putc(&b, *c);
                }
                if (r >= 0)
                        r = strbuf_puts(&b, "\"\n");
        }
        if (r < 0) {
                if (b.s)
                        explicit_bzero(b.s, b.cap);
                strbuf_done(&b);
                return -ENOMEM;
        }
        f->secret = b.s ? strbuf_steal(&b) : strdup("");
        if (!f->secret)
                return -ENOMEM;
        *ret = TAKE_PTR(f);
        return 0;
}

static int add_exec_words(OciUnitFile *u, const char *key, const char *prefix, const char *const *words, size_t n,
                          char *const *more) {
        _cleanup_strv_free_ char **argv = NULL;
        for (size_t i = 0; i < n; i++)
                if (strv_extend(&argv, words[i]) < 0)
                        return -ENOMEM;
        if (strv_extend_strv(&argv, more) < 0)
                return -ENOMEM;
        return oci_unit_add_exec(u, key, prefix, argv);
}

int oci_render_instance_name_check(const OciDefinition *d, OciUnitFile *u) {
        if (!d->instance || oci_value_str(d, OCI_OPT_CONTAINER_NAME))
                return 0;
        /* %i is the escaped instance: "x y" is x\x20y, and ':' stays; engines take neither */
        const char *argv[] = {
                SHELL, "-c",
                ("case \"$1\" in ''|[!a-zA-Z0-9]*|*[!a-zA-Z0-9_.-]*) echo \"the instance name '$1' cannot name a "
                 "container: use letters, digits, '_', '.' and '-', or set ContainerName=\" >&2; exit 1;; esac"),
                "sh", "%i",
        };
        return add_exec_words(u, "ExecStartPre", "", argv, ELEMENTSOF(argv), NULL);
}

int oci_unit_add_service_lines(OciUnitFile *u, const char *const (*lines)[2], size_t n) {
        int r = 0;
        for (size_t i = 0; r >= 0 && i < n; i++)
                r = oci_unit_add(u, OCI_UNIT_SECTION_SERVICE, lines[i][0], lines[i][1]);
        return r;
}

int oci_render_commands(const OciDefinition *d, const char *engine, const OciCommands *c, OciUnitFile *u) {
        int r = oci_render_instance_name_check(d, u);
        if (r >= 0)
                r = oci_unit_add_exec(u, "ExecStartPre", "-", c->clean);
        if (r >= 0)
                r = oci_render_prestart(d, engine, u);
        if (r >= 0)
                r = oci_unit_add_exec(u, "ExecStart", "", c->run);
        if (r >= 0 && c->reload)
                r = oci_unit_add_exec(u, "ExecReload", "", c->reload);
        if (r >= 0)
                r = oci_unit_add_exec(u, "ExecStop", "", c->stop);
        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(c->post) && c->post[i]; i++)
                r = oci_unit_add_exec(u, "ExecStopPost", "-", c->post[i]);
        return r;
}

int oci_render_prestart(const OciDefinition *d, const char *engine, OciUnitFile *u) {
        int r = 0;
        /* [Defaults] VolumeBaseDir= turned named volumes into directories of the host, made on start */
        _cleanup_strv_free_ char **create = NULL;
        OCI_FOREACH_ITEM(v, d, OCI_OPT_VOLUME)
                if (v->volume.create && strv_extend(&create, v->volume.source) < 0)
                        return -ENOMEM;
        if (create) {
                _cleanup_free_ char *mkdir = oci_specifier_escape(MKDIR_PATH);
                const char *head[] = { mkdir, "-p", "--" };
                r = mkdir ? add_exec_words(u, "ExecStartPre", "", head, ELEMENTSOF(head), create) : -ENOMEM;
        }
        /* the password reaches the login on standard input; if the login fails, a local copy of
         * the image will do, else the start fails and says why */
        const char *registry = oci_value_str(d, OCI_OPT_LOGIN_REGISTRY);
        const char *image = oci_value_str(d, OCI_OPT_IMAGE);
        if (r >= 0 && registry && image) {
                const char *argv[] = {
                        SHELL, "-c",
                        "\"$0\" login --username=\"$1\" --password-stdin \"$2\" < \"$3\" || "
                        "\"$0\" image inspect \"$4\" >/dev/null 2>&1 || "
                        "{ echo \"login to $2 failed, and $4 is not here to start without it\" >&2; exit 1; }",
                        engine, oci_value_str(d, OCI_OPT_LOGIN_USERNAME), registry,
                        oci_value_str(d, OCI_OPT_LOGIN_PASSWORD_FILE), image,
                };
                r = add_exec_words(u, "ExecStartPre", "", argv, ELEMENTSOF(argv), NULL);
        }
        const char *file = oci_value_str(d, OCI_OPT_IMAGE_FILE), *stream = oci_value_str(d, OCI_OPT_IMAGE_STREAM);
        if (r >= 0 && file) {
                const char *argv[] = { engine, "load", "--input", file };
                r = add_exec_words(u, "ExecStartPre", "", argv, ELEMENTSOF(argv), NULL);
        }
        if (r >= 0 && stream) {
                const char *argv[] = { SHELL, "-c", "\"$1\" | \"$0\" load", engine, stream };
                r = add_exec_words(u, "ExecStartPre", "", argv, ELEMENTSOF(argv), NULL);
        }
        return r;
}

char *oci_render_binary(const OciRenderContext *ctx, OciOptionId id) {
        const char *p = ctx->defaults ? oci_value_str(ctx->defaults, id) : NULL;
        return oci_specifier_escape(p ? p : oci_options[id].default_value);
}

int oci_unit_add_exec(OciUnitFile *u, const char *key, const char *prefix, char *const *argv) {
        if (!argv || !path_is_absolute(argv[0]))
                return -EINVAL;
        /* "Key=PREFIXWORD WORD...", quoted straight into the line the unit keeps */
        StrBuf b = {};
        int r = strbuf_puts(&b, key);
        if (r >= 0)
                r = strbuf_putc(&b, '=');
        if (r >= 0)
                r = strbuf_puts(&b, prefix);
        for (size_t i = 0; r >= 0 && argv[i]; i++) {
                if (i > 0)
                        r = strbuf_putc(&b, ' ');
                if (r >= 0)
                        r = oci_quote_word(&b, argv[i], OCI_QUOTE_DOLLAR);
        }
        if (r < 0 || !oci_unit_value_is_safe(b.s)) {
                strbuf_done(&b);
                return r < 0 ? r : -EINVAL;
        }
        return oci_unit_add_line(u, OCI_UNIT_SECTION_SERVICE, strbuf_steal(&b));
}

static int add_unit_list(OciUnitFile *u, const char *key, char *const *units) {
        if (!units || !*units)
                return 0;
        _cleanup_free_ char *joined = strv_join(units, " ");
        if (!joined)
                return -ENOMEM;
        return oci_unit_add(u, OCI_UNIT_SECTION_UNIT, key, joined);
}

/* Bind-mount sources that are host paths: the unit must wait for their file systems. */
static int add_mounts_for(const OciDefinition *d, OciUnitFile *u) {
        _cleanup_strv_free_ char **paths = NULL;
        OCI_FOREACH_ITEM(v, d, OCI_OPT_VOLUME)
                if (v->volume.kind == OCI_VOLUME_BIND && strv_extend(&paths, v->volume.source) < 0)
                        return -ENOMEM;
        if (!paths)
                return 0;
        _cleanup_free_ char *q = oci_quote_words(paths);
        if (!q)
                return -ENOMEM;
        return oci_unit_add(u, OCI_UNIT_SECTION_UNIT, "RequiresMountsFor", q);
}

static const char *const install_dirs[][2] = {
        { "WantedBy", ".wants" },
        { "RequiredBy", ".requires" },
        { "UpheldBy", ".upholds" },
};

/* The unit that [Install] links enable: the unit itself, or for a template its default instance.
 * NULL when there is nothing to enable (a template without DefaultInstance=). */
static char *enabled_name(const OciDefinition *d) {
        if (!d->instance || *d->instance)
                return strdup(d->unit_name);
        const char *def = oci_value_str(d, OCI_OPT_DEFAULT_INSTANCE);
        if (!def)
                return NULL;
        size_t n = strlen(d->unit_name) - strlen("@.service");
        return xasprintf("%.*s@%s.service", (int) n, d->unit_name, def);
}

static int add_pod_link(const OciDefinition *d, OciUnitFile *u) {
        _cleanup_free_ char *enabled = enabled_name(d);
        if (!enabled)
                return 0; /* a template without DefaultInstance=: its instances link themselves */
        _cleanup_free_ char *link = xasprintf("%s.wants/%s", d->pod_unit, enabled);
        _cleanup_free_ char *self = xasprintf("../%s", d->unit_name);
        return link && self ? oci_unit_add_link(u, link, self) : -ENOMEM;
}

static int render_install(const OciDefinition *d, const OciRenderContext *ctx, const OciBackend *be, OciUnitFile *u) {
        static const OciOptionId ids[] = { OCI_OPT_WANTED_BY, OCI_OPT_REQUIRED_BY, OCI_OPT_UPHELD_BY };
        _cleanup_free_ char *self = xasprintf("../%s", d->unit_name);
        _cleanup_free_ char *enabled = enabled_name(d);
        if (!self)
                return -ENOMEM;
        for (size_t k = 0; k < ELEMENTSOF(ids); k++) {
                _cleanup_strv_free_ char **targets = NULL;
                int r = oci_value_extend_words(d, ids[k], &targets);
                /* systemd 252 does not know UpheldBy= in [Install]: the link is all it gets */
                if (r >= 0 && targets && ids[k] != OCI_OPT_UPHELD_BY) {
                        _cleanup_free_ char *j = strv_join(targets, " ");
                        r = j ? oci_unit_add(u, OCI_UNIT_SECTION_INSTALL, oci_options[ids[k]].key, j) : -ENOMEM;
                }
                for (char **t = targets; r >= 0 && enabled && t && *t; t++) {
                        _cleanup_free_ char *link = xasprintf("%s%s/%s", *t, install_dirs[k][1], enabled);
                        r = link ? oci_unit_add_link(u, link, self) : -ENOMEM;
                }
                if (r < 0)
                        return r;
        }
        const char *def = oci_value_str(d, OCI_OPT_DEFAULT_INSTANCE);
        if (def && oci_unit_addf(u, OCI_UNIT_SECTION_INSTALL, oci_options[OCI_OPT_DEFAULT_INSTANCE].key, "%s", def) < 0)
                return -ENOMEM;
        _cleanup_strv_free_ char **aliases = NULL;
        if (oci_value_extend_words(d, OCI_OPT_ALIAS, &aliases) < 0)
                return -ENOMEM;
        if (aliases) {
                _cleanup_free_ char *j = strv_join(aliases, " ");
                if (!j || oci_unit_add(u, OCI_UNIT_SECTION_INSTALL, oci_options[OCI_OPT_ALIAS].key, j) < 0)
                        return -ENOMEM;
        }
        for (char **a = aliases; a && *a; a++)
                if (oci_unit_add_link(u, *a, d->unit_name) < 0)
                        return -ENOMEM;
        bool installed = false;
        for (size_t k = 0; k < ELEMENTSOF(ids); k++)
                installed = installed || oci_value_count(d, ids[k]);

        /* AutoStart= defaults to yes unless the file says how to install itself; a template has
         * nothing to start but its default instance */
        int autostart = oci_value_bool(d, OCI_OPT_AUTO_START);
        if (autostart < 0) /* networks and volumes start when a container needs them */
                autostart = d->type == OCI_UNIT_CONTAINER && d->section_line[OCI_SECTION_INSTALL] == 0 && enabled &&
                            (!d->instance || *d->instance);
        if (autostart && !enabled)
                oci_key_diag(ctx->sink, LOG_WARNING, d, OCI_OPT_AUTO_START, "yes on a template starts nothing without DefaultInstance= in [Install]");
        if (autostart && enabled) {
                const char *target = ctx->user                ? "default.target"
                                     : be->autostart_target ? be->autostart_target
                                                            : "multi-user.target";
                _cleanup_free_ char *link = xasprintf("%s.wants/%s", target, enabled);
                if (!link || oci_unit_add_link(u, link, self) < 0)
                        return -ENOMEM;
        }
        /* what starts at boot also starts with "systemctl start oci-containers.target" */
        if ((autostart || installed) && enabled) {
                _cleanup_free_ char *link = xasprintf(OCI_TARGET ".wants/%s", enabled);
                if (!link || oci_unit_add_link(u, link, self) < 0)
                        return -ENOMEM;
        }
        return 0;
}

OciUnitFile **oci_unit_list_free(OciUnitFile **l) {
        for (size_t i = 0; l && l[i]; i++)
                oci_unit_free(l[i]);
        free(l);
        return NULL;
}

static int add_header(const OciDefinition *d, OciUnitFile *u, const char *source) {
        int r = strv_extend(&u->comments, "Automatically generated by oci-containers-generator");
        if (r >= 0)
                r = strv_extendf(&u->comments, "Source: %s", d->path);
        for (size_t i = 1; r >= 0 && d->sources && d->sources[i]; i++)
                r = strv_extendf(&u->comments, "Also read: %s", d->sources[i]);
        if (r >= 0)
                r = oci_unit_addf(u, OCI_UNIT_SECTION_UNIT, "Documentation", "man:%s",
                                  oci_file_type(d->type)->man);
        if (r >= 0)
                r = oci_unit_add(u, OCI_UNIT_SECTION_UNIT, "SourcePath", source);
        return r;
}

static int add_network_wait(const OciRenderContext *ctx, OciUnitFile *u) {
        /* a user's manager has no network-online.target: a companion unit of ours waits for the system's */
        const char *online = ctx->user ? OCI_USER_NETWORK_WAIT_UNIT : "network-online.target";
        int r = oci_unit_add(u, OCI_UNIT_SECTION_UNIT, "Wants", online);
        return r < 0 ? r : oci_unit_add(u, OCI_UNIT_SECTION_UNIT, "After", online);
}

/* Who runs the engine (RunAs=): the service's User=, Group= and HOME. */
static int add_run_as(const OciDefinition *d, OciUnitFile *u) {
        if (!d->run_as.user)
                return 0;
        _cleanup_free_ char *user = oci_specifier_escape(d->run_as.user);
        _cleanup_free_ char *home = d->run_as.home ? oci_specifier_escape(d->run_as.home) : NULL;
        int r = user ? oci_unit_add(u, OCI_UNIT_SECTION_SERVICE, "User", user) : -ENOMEM;
        if (r >= 0 && d->run_as.group) {
                _cleanup_free_ char *group = oci_specifier_escape(d->run_as.group);
                r = group ? oci_unit_add(u, OCI_UNIT_SECTION_SERVICE, "Group", group) : -ENOMEM;
        }
        if (r >= 0 && home) {
                char *words[] = { NULL, NULL };
                _cleanup_free_ char *kv = xasprintf("HOME=%s", home);
                words[0] = kv;
                _cleanup_free_ char *q = kv ? oci_quote_words(words) : NULL;
                r = q ? oci_unit_add(u, OCI_UNIT_SECTION_SERVICE, "Environment", q) : -ENOMEM;
        }
        return r;
}

/* NAME-pull.service: inert until started; "systemctl start web-pull" fetches the image anew. */
static int render_pull(const OciDefinition *d, const OciRenderContext *ctx, const OciBackend *be, const char *source,
                       OciUnitFile **ret) {
        const char *image = oci_value_str(d, OCI_OPT_IMAGE);
        *ret = NULL;
        if (!image || d->instance || oci_value_str(d, OCI_OPT_IMAGE_FILE) || oci_value_str(d, OCI_OPT_IMAGE_STREAM))
                return 0;
        size_t n = strlen(d->unit_name) - strlen(".service");
        _cleanup_free_ char *name = xasprintf("%.*s-pull.service", (int) n, d->unit_name);
        _cleanup_free_ char *engine = oci_render_binary(ctx, be->binary);
        _cleanup_(oci_unit_freep) OciUnitFile *u = name ? oci_unit_new(name) : NULL;
        _cleanup_strv_free_ char **argv = NULL;
        if (!u || !engine || strv_extend(&argv, engine) < 0 || oci_value_extend_words(d, OCI_OPT_GLOBAL_ARGS, &argv) < 0 ||
            strv_extend(&argv, "pull") < 0 || strv_extend(&argv, image) < 0)
                return -ENOMEM;
        int r = add_header(d, u, source);
        if (r >= 0)
                r = oci_unit_addf(u, OCI_UNIT_SECTION_UNIT, "Description", "Pull the image of %s", d->unit_name);
        if (r >= 0 && oci_value_bool(d, OCI_OPT_DEFAULT_DEPENDENCIES) != 0)
                r = add_network_wait(ctx, u);
        if (r >= 0 && be->id == OCI_BACKEND_DOCKER)
                r = oci_unit_add(u, OCI_UNIT_SECTION_UNIT, "After", "docker.service docker.socket");
        if (r >= 0)
                r = oci_unit_add(u, OCI_UNIT_SECTION_SERVICE, "Type", "oneshot");
        if (r >= 0)
                r = add_run_as(d, u);
        if (r >= 0)
                r = oci_render_prestart(d, engine, u);
        if (r >= 0)
                r = oci_unit_add_exec(u, "ExecStart", "", argv);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(u);
        return 0;
}

int oci_render(const OciDefinition *d, const OciRenderContext *ctx, OciUnitFile ***ret) {
        const OciBackend *be = oci_backend_get(d->backend);
        if (!be || !be->render[d->type])
                return -EINVAL; /* checking refuses an engine this build does not have, or a type it does not take */

        _cleanup_(oci_unit_freep) OciUnitFile *u = oci_unit_new(d->unit_name);
        if (!u)
                return -ENOMEM;
        _cleanup_free_ char *source = oci_specifier_escape(d->path);
        if (!source || !oci_unit_value_is_safe(source))
                return oci_diag(ctx->sink, LOG_ERR, d->path, 0, NULL, "%s", "the file's path cannot be written into a unit");

        int r = add_header(d, u, source);
        bool container = d->type == OCI_UNIT_CONTAINER;
        bool may_pull = be->may_pull && be->may_pull(d);
        if (r >= 0 && oci_value_bool(d, OCI_OPT_DEFAULT_DEPENDENCIES) != 0 && may_pull)
                r = add_network_wait(ctx, u);
        if (r >= 0)
                r = add_unit_list(u, "Requires", d->after);
        if (r >= 0)
                r = add_unit_list(u, "After", d->after);
        /* a container in a pod lives and dies with the pod's service; the pod starts the members
         * that start with it through a link in its .wants/, made by each member, so the pod's own
         * unit does not depend on which members there are */
        if (r >= 0 && d->pod_unit)
                r = oci_unit_add(u, OCI_UNIT_SECTION_UNIT, "BindsTo", d->pod_unit);
        if (r >= 0 && d->pod_unit)
                r = oci_unit_add(u, OCI_UNIT_SECTION_UNIT, "After", d->pod_unit);
        if (r >= 0 && d->pod_unit && oci_value_bool(d, OCI_OPT_START_WITH_POD) != 0)
                r = add_pod_link(d, u);
        if (r >= 0)
                r = add_mounts_for(d, u);
        /* "systemctl stop oci-containers.target" stops every service made from a definition */
        if (r >= 0)
                r = oci_unit_add(u, OCI_UNIT_SECTION_UNIT, "PartOf", OCI_TARGET);
        if (r >= 0)
                r = add_run_as(d, u);
        if (r >= 0)
                r = be->render[d->type](d, ctx, u);

        /* what NixOS's module sets for OCI containers, as defaults that [Service] can override: a
         * pull may take long, a stop may too, and a container that ends is started again */
        if (r >= 0 && be->oci && container)
                r = oci_unit_add(u, OCI_UNIT_SECTION_SERVICE, "Restart", "always");
        if (r >= 0 && be->oci && container)
                r = oci_unit_add(u, OCI_UNIT_SECTION_SERVICE, "TimeoutStopSec", "120");
        if (r >= 0 && may_pull)
                r = oci_unit_add(u, OCI_UNIT_SECTION_SERVICE, "TimeoutStartSec", "0");
        const char *log_file = oci_value_str(d, OCI_OPT_LOG_FILE);
        if (r >= 0 && log_file)
                r = oci_unit_addf(u, OCI_UNIT_SECTION_SERVICE, "StandardOutput", "append:%s", log_file);
        if (r >= 0 && log_file)
                r = oci_unit_add(u, OCI_UNIT_SECTION_SERVICE, "StandardError", "inherit");

        /* the user's own [Unit] and [Service] lines come last, so that they win */
        for (size_t i = 0; r >= 0 && i < d->n_pass; i++)
                r = oci_unit_add(u, d->pass[i].section == OCI_SECTION_UNIT ? OCI_UNIT_SECTION_UNIT : OCI_UNIT_SECTION_SERVICE,
                                 d->pass[i].key, d->pass[i].value);
        if (r >= 0)
                r = render_install(d, ctx, be, u);

        _cleanup_(oci_unit_freep) OciUnitFile *pull = NULL;
        if (r >= 0 && be->oci && container)
                r = render_pull(d, ctx, be, source, &pull);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return oci_diag(ctx->sink, LOG_ERR, d->path, 0, NULL, "%s", "a value cannot be written into a unit safely");

        _cleanup_(oci_unit_freep) OciUnitFile *env = NULL;
        if (container && oci_value_count(d, OCI_OPT_HOST_ENVIRONMENT) && render_secret_env(d, &env) < 0)
                return -ENOMEM;
        OciUnitFile **list = calloc(4, sizeof(*list));
        if (!list)
                return -ENOMEM;
        size_t n = 0;
        if (env)
                list[n++] = TAKE_PTR(env);
        list[n++] = TAKE_PTR(u);
        list[n] = TAKE_PTR(pull);
        *ret = list;
        return 0;
}
