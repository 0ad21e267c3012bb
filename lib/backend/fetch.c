/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The parts of the services of .image, .build, .kube and .artifact definitions that do not depend
 * on the engine. */
#include <assert.h>
#include <strings.h>

#include "escape.h"
#include "fetch.h"

int oci_render_oneshot(const OciDefinition *d, OciUnitFile *u, bool remain) {
        int r = oci_unit_add_literal(u, OCI_UNIT_SECTION_SERVICE, "SyslogIdentifier=%N");
        if (r >= 0)
                r = oci_unit_add_literal(u, OCI_UNIT_SECTION_SERVICE, "Type=oneshot");
        /* a pulled image stays: what requires it sees the service active */
        if (r >= 0 && remain)
                r = oci_unit_add_literal(u, OCI_UNIT_SECTION_SERVICE, "RemainAfterExit=yes");
        return r;
}

bool oci_build_is_url(const char *s) {
        assert(s);
        return startswith(s, "http://") || startswith(s, "https://") || startswith(s, "git://") || strstr(s, "github.com/");
}

/* Whether a path is taken as it is: absolute, or starting with a specifier that makes it so. */
static bool path_is_own(const char *s) {
        return s[0] == '/' || (s[0] == '%' && s[1] && s[1] != '%');
}

/* The directory of path, a path in specifier form relative to the definition's directory unless
 * it is absolute or starts with a specifier. */
static char *directory_of(const OciDefinition *d, const char *path) {
        _cleanup_free_ char *full = NULL;
        if (path_is_own(path))
                full = strdup(path);
        else {
                while (startswith(path, "./"))
                        path += 2;
                _cleanup_free_ char *dir = oci_specifier_escape(d->dir);
                full = dir ? path_join(dir, path) : NULL;
        }
        return full ? path_dirname(full) : NULL;
}

static const char *set_working_directory(const OciDefinition *d, OciOptionId id) {
        const char *v = oci_value_str(d, id);
        return v && *v ? v : NULL;
}

int oci_build_context(const OciDefinition *d, OciBuildContext *c) {
        assert(d && c);
        *c = (OciBuildContext) {};
        const OciPassLine *own = oci_definition_pass_line(d, OCI_SECTION_SERVICE, "WorkingDirectory");
        c->own = own && *own->value ? own->value : NULL;
        const char *swd = set_working_directory(d, OCI_OPT_SET_WORKING_DIRECTORY);
        const char *file = oci_value_str(d, OCI_OPT_FILE);
        /* the file whose directory becomes the service's working directory */
        const char *relative_to = NULL;
        _cleanup_free_ char *unit_path = oci_specifier_escape(d->path);
        if (!unit_path)
                return -ENOMEM;
        if (swd && strcasecmp(swd, "file") == 0) {
                relative_to = file;
                if (!file)
                        c->problem = OCI_BUILD_FILE_NEEDED;
        } else if (swd && strcasecmp(swd, "unit") == 0)
                relative_to = unit_path;
        else if (swd) {
                if (!(c->context = strdup(swd)))
                        return -ENOMEM;
                if (!path_is_own(swd))
                        relative_to = unit_path;
        }
        if (relative_to && !(c->context && oci_build_is_url(c->context))) {
                if (c->own) {
                        /* Quadlet's rule: the service's own directory is the context then */
                        free(c->context);
                        c->context = NULL;
                }
                else if (!(c->workdir = directory_of(d, relative_to)))
                        return -ENOMEM;
        }
        const char *workdir = c->own ? c->own : c->workdir;
        if (c->problem)
                return 0;
        if (!workdir && !file && !c->context)
                c->problem = OCI_BUILD_NO_CONTEXT;
        else if (!c->context && (!file || (!path_is_own(file) && !oci_build_is_url(file)))) {
                /* the context is the working directory, where a relative File= is too */
                if (!workdir)
                        c->problem = OCI_BUILD_RELATIVE_FILE;
                else if (!(c->context = strdup(workdir)))
                        return -ENOMEM;
        }
        return 0;
}

void oci_build_context_done(OciBuildContext *c) {
        if (!c)
                return;
        free(c->workdir);
        free(c->context);
        *c = (OciBuildContext) {};
}

int oci_kube_workdir(const OciDefinition *d, char **ret) {
        assert(d && ret);
        *ret = NULL;
        const char *swd = set_working_directory(d, OCI_OPT_KUBE_SET_WORKING_DIRECTORY);
        const OciPassLine *own = oci_definition_pass_line(d, OCI_SECTION_SERVICE, "WorkingDirectory");
        if (!swd || (own && *own->value))
                return 0;
        if (strcasecmp(swd, "yaml") == 0) {
                /* the check allows it with one Yaml= only; its path is absolute already */
                const char *yaml = oci_value_str(d, OCI_OPT_YAML);
                if (!yaml)
                        return 0;
                *ret = path_dirname(yaml);
        } else
                *ret = oci_specifier_escape(d->dir);
        return *ret ? 0 : -ENOMEM;
}

/* Image= of an .image, Artifact= of an .artifact: the name pulled (docker takes a registry's
 * image without podman's docker:// transport) */
int oci_key_pull_image(const OciDefinition *d, OciOptionId id, const OciItems *items, OciBackendId b, OciRenderOut *out) {
        if (!items->n)
                return 0;
        const OciItem *it = &items->items[0];
        bool plain = b == OCI_BACKEND_DOCKER && oci_options[id].type == OCI_TYPE_IMAGE && it->image.transport == OCI_TRANSPORT_DOCKER;
        return oci_argv_push(&out->argv[OCI_ARGV_TAIL], it->text + (plain ? it->image.name_at : 0));
}

/* [Build] SetWorkingDirectory=: the build's context, its last word, and the service's working
 * directory. podman builds in its working directory without one; docker needs one, which the
 * validation made sure there is, or a working directory to be it. */
int oci_key_build_context(const OciDefinition *d, OciOptionId id, const OciItems *items, OciBackendId b, OciRenderOut *out) {
        _cleanup_(oci_build_context_done) OciBuildContext c = {};
        if (oci_build_context(d, &c) < 0)
                return -ENOMEM;
        const char *context = b != OCI_BACKEND_DOCKER ? c.context : c.context ? c.context : c.own ? c.own : c.workdir ? c.workdir : ".";
        if (context && oci_argv_add(&out->argv[OCI_ARGV_TAIL], context) < 0)
                return -ENOMEM;
        return c.workdir ? oci_unit_add(out->later, OCI_UNIT_SECTION_SERVICE, "WorkingDirectory", c.workdir) : 0;
}
