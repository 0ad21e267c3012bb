/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The [Service] lines every engine shares: the private environment file, the commands before
 * the start (directories, the registry login, the image loaded), the commands in order. */
#include <unistd.h>

#include <assert.h>

#include "config.h"
#include "escape.h"
#include "render-internal.h"

/* POSIX says where the shell is; the scripts below get every user value as an argument, never
 * in their text. */
#define SHELL "/bin/sh"

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

/* NAME.service.env: KEY="VALUE" lines as systemd reads EnvironmentFile= (in double quotes a
 * backslash escapes '"', '\\', '`' and '$'; nothing else is special, a line break included). The
 * items are in specifier form, and validation allowed no specifier but "%%". */
static int secret_env(const OciDefinition *d, const OciItems *items, OciUnitFile **ret) {
        _cleanup_free_ char *name = xasprintf("%s.env", d->unit_name);
        _cleanup_(oci_unit_freep) OciUnitFile *f = name ? oci_unit_new(name) : NULL;
        if (!f)
                return -ENOMEM;
        StrBuf b = {};
        int r = 0;
        size_t n = 0;
        for (size_t i = 0; i < items->n; i++) {
                const OciItem *kv = &items->items[i];
                size_t klen = kv->key_len;
                if (r >= 0)
                        r = strv_push_at(&f->secret_names, n++, strndup(kv->text, klen));
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

int oci_render_host_environment(const OciDefinition *d, const OciItems *items, OciRenderOut *out) {
        assert(d && items && out && !out->secret);
        /* the values go to a file only root (or the user) reads: a unit is world-readable, and so
         * is its Environment= through "systemctl show" */
        if (!items->n)
                return 0;
        _cleanup_free_ char *path = env_file_path(d, out->ctx);
        int r = path ? oci_unit_add(out->later, OCI_UNIT_SECTION_SERVICE, "EnvironmentFile", path) : -ENOMEM;
        return r < 0 ? r : secret_env(d, items, &out->secret);
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

int oci_unit_add_service_lines(OciUnitFile *u, const char *const *lines, size_t n) {
        int r = 0;
        for (size_t i = 0; r >= 0 && i < n; i++)
                r = oci_unit_add_static(u, OCI_UNIT_SECTION_SERVICE, lines[i], strlen(lines[i]));
        return r;
}

int oci_render_commands(const OciDefinition *d, const char *engine, const OciCommands *c, OciUnitFile *u) {
        assert(d && engine && c && u);
        int r = oci_render_instance_name_check(d, u);
        if (r >= 0 && c->clean)
                r = oci_unit_add_exec(u, "ExecStartPre", "-", c->clean);
        if (r >= 0)
                r = oci_render_prestart(d, engine, c->load, u);
        if (r >= 0)
                r = oci_unit_add_exec(u, "ExecStart", "", c->run);
        if (r >= 0 && c->reload)
                r = oci_unit_add_exec(u, "ExecReload", "", c->reload);
        if (r >= 0)
                r = oci_unit_add_exec(u, "ExecStop", "", c->stop);
        /* the words of ExecStop= as its line has them, quoted once for an ExecStopPost= of the same
         * command (the unit's lines stay where they are until it is freed) */
        const char *stop = r >= 0 ? oci_unit_last_line(u, OCI_UNIT_SECTION_SERVICE) : NULL;
        assert(!stop || startswith(stop, "ExecStop="));
        const char *const stop_post[] = { "-", stop ? stop + strlen("ExecStop=") : NULL };
        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(c->post) && c->post[i]; i++)
                r = c->post[i] != c->stop ? oci_unit_add_exec(u, "ExecStopPost", "-", c->post[i])
                                          : oci_unit_add_join(u, OCI_UNIT_SECTION_SERVICE, "ExecStopPost", stop_post,
                                                              ELEMENTSOF(stop_post));
        return r;
}

int oci_render_prestart(const OciDefinition *d, const char *engine, char *const *load, OciUnitFile *u) {
        assert(d && engine && u);
        int r = 0;
        /* [Defaults] VolumeBaseDir= turned named volumes into directories of the host, made on start */
        _cleanup_strv_free_ char **create = NULL;
        size_t n = 0;
        OCI_FOREACH_ITEM(v, d, OCI_OPT_VOLUME)
                if (v->volume.create && strv_push_at(&create, n++, strdup(v->volume.source)) < 0)
                        return -ENOMEM;
        if (create) {
                _cleanup_free_ char *mkdir = oci_specifier_escape(MKDIR_PATH);
                const char *head[] = { mkdir, "-p", "--" };
                r = mkdir ? add_exec_words(u, "ExecStartPre", "", head, ELEMENTSOF(head), create) : -ENOMEM;
        }
        /* the password reaches the login on standard input; if the login fails, a local copy of
         * the image will do, else the start fails and says why */
        const char *registry = oci_value_str(d, OCI_OPT_LOGIN_REGISTRY);
        const char *image = oci_value_engine_str(d, OCI_OPT_IMAGE);
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
        if (r >= 0 && load && *load)
                r = oci_unit_add_exec(u, "ExecStartPre", "", load);
        return r;
}

