/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The names a definition gives its unit and the engine's objects. */
#include <assert.h>
#include <ctype.h>

#include "check-internal.h"
#include "escape.h"
#include "render.h"

int oci_definition_resolve_unit_name(OciDefinition *d, OciDiagSink *sink) {
        assert(d && sink);
        if (d->unit_name)
                return 0;
        const OciValue *v = &d->values[OCI_OPT_SERVICE_NAME];
        _cleanup_free_ char *prefix = d->instance ? strndup(d->name, strcspn(d->name, "@")) : strdup(d->name);
        if (!prefix)
                return -ENOMEM;
        const char *base = v->n_entries ? v->entries[v->n_entries - 1].value : prefix;
        _cleanup_free_ char *undotted = endswith(base, ".") ? strndup(base, strlen(base) - 1) : NULL;
        if (endswith(base, ".") && !undotted)
                return -ENOMEM;
        if (undotted && oci_unit_prefix_valid(undotted)) {
                /* the rest is fine: say what the dot does */
                if (v->n_entries)
                        return oci_key_diag(sink, LOG_ERR, d, OCI_OPT_SERVICE_NAME, "%s would make the unit name %s.service, with '..', "
                                            "which is refused: remove the trailing '.'", base, base);
                if (d->instance)
                        return oci_diag(sink, LOG_ERR, d->path, 0, NULL,
                                        "'%s' cannot be a unit name: the part before '@' ends in '.', which a name may not "
                                        "(as it may not hold '..'); rename the file, or set ServiceName=", d->name);
                return oci_diag(sink, LOG_ERR, d->path, 0, NULL,
                                "the file name %s%s has '..', which a definition's name may not have: rename the file, "
                                "or set ServiceName=", d->name, oci_unit_type_extension(d->type));
        }
        if (!oci_unit_prefix_valid(base)) {
                if (v->n_entries)
                        return oci_key_diag(sink, LOG_ERR, d, OCI_OPT_SERVICE_NAME, "%s is not a valid unit name: write 1 to %zu letters, "
                                            "digits and \":-_.\\\", not starting with '.', without '/' or '..'", base,
                                            OCI_UNIT_NAME_MAX - strlen(".service"));
                return oci_diag(sink, LOG_ERR, d->path, 0, NULL,
                                "'%s' cannot be a unit name: rename the file with letters, digits and \":-_.\\\" only "
                                "(and one '@' for a template; not starting with '.', without '..'), or set ServiceName=",
                                d->name);
        }
        if (d->instance && *d->instance && !oci_unit_prefix_valid(d->instance))
                return oci_diag(sink, LOG_ERR, d->path, 0, NULL,
                                "'%s' is not a valid instance name: letters, digits and \":-_.\\\" only, not ending in '.'",
                                d->instance);
        const char *suffix = v->n_entries ? "" : oci_unit_type_suffix(d->type); /* ServiceName= is the whole name */
        _cleanup_free_ char *unit = d->instance ? strjoin(base, suffix, "@", d->instance, ".service")
                                                : strjoin(base, suffix, ".service");
        if (!unit)
                return -ENOMEM;
        if (oci_unit_name_is_ours(unit)) {
                if (v->n_entries)
                        return oci_key_diag(sink, LOG_ERR, d, OCI_OPT_SERVICE_NAME, "%s makes %s, a unit of oci-containers itself, "
                                            "which the generated one would replace: choose another name", base, unit);
                return oci_diag(sink, LOG_ERR, d->path, 0, NULL, "%s is a unit of oci-containers itself, which the generated one "
                                "would replace: rename the file, or set ServiceName=", unit);
        }
        /* systemd's limit, for NAME-pull.service beside a container's service too */
        size_t max = OCI_UNIT_NAME_MAX - (d->type == OCI_UNIT_CONTAINER && !d->instance ? strlen("-pull") : 0);
        if (strlen(unit) > max) {
                if (v->n_entries)
                        return oci_key_diag(sink, LOG_ERR, d, OCI_OPT_SERVICE_NAME, "%s makes a unit name of %zu characters; "
                                            "at most %zu fit (systemd takes %d, and NAME-pull.service must fit too): "
                                            "choose a shorter name", base, strlen(unit), max, OCI_UNIT_NAME_MAX);
                return oci_diag(sink, LOG_ERR, d->path, 0, NULL, "the unit name would be %zu characters long; at most %zu fit "
                                "(systemd takes %d): rename the file, or set a shorter ServiceName=", strlen(unit), max,
                                OCI_UNIT_NAME_MAX);
        }
        d->unit_name = TAKE_PTR(unit);
        return 0;
}

/* Without ContainerName=, NetworkName=... the engine's name comes from the file name (or
 * ServiceName=); a name the unit-name rules allow may still be one the engine refuses. */
int oci_check_derived_name(const OciDefinition *d, OciDiagSink *sink, const char *name, OciOptionId key) {
        if (oci_engine_name_valid(name, true))
                return 0;
        /* a name the engine would read as an option ("-x") is the one to explain */
        bool lead = isalnum((unsigned char) name[0]);
        return oci_diag(sink, LOG_ERR, d->path, 0, NULL,
                        "the %s would be named '%s', which the engine refuses (letters, digits, '_', '.' and '-', at most %d); "
                        "set %s= or rename the file%s", oci_unit_type_extension(d->type) + 1, name, OCI_ENGINE_NAME_MAX,
                        oci_option_key(key), lead ? "" : ": a name starts with a letter or digit");
}

/* The engine's name of a network, volume or pod definition: NetworkName=... else systemd-NAME. */
char *oci_definition_resource_name(const OciDefinition *d) {
        assert(d->type != OCI_UNIT_CONTAINER);
        const OciValue *v = &d->values[oci_file_type(d->type)->name_key];
        if (v->n_entries)
                return strdup(v->entries[v->n_entries - 1].value);
        return xasprintf("systemd-%s", d->name);
}

