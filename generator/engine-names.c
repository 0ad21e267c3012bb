/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The names of the objects a definition makes in its engine. Two containers of one name replace
 * each other at every start (podman run --replace, docker rm -f before docker run): whichever
 * started last runs, and the other's service fails or restarts it away, for ever. Two networks,
 * volumes or pods of one name are one object, made by whichever starts first, with its settings.
 * So a later definition that makes a container of a name taken, or an object of a name taken with
 * other settings, is an error; one with the same settings shares the object, as it would by hand.
 *
 * Names are per engine (podman's and docker's do not meet; with docker a pod is a network), and
 * for podman per user that runs it (RunAs= uses that user's store); a run of the generator is for
 * one service manager, so the system's and a user's never meet either. */
#include <assert.h>
#include <ctype.h>
#include <stdlib.h>

#include "generator.h"

typedef struct EngineClaim {
        const Node *owner;
        size_t settings; /* a hash of an object's settings; 0 for a container */
        char key[];      /* engine, kind, user, name, separated by '/' (which no name holds) */
} EngineClaim;

/* systemd's unescaping of a unit name's part, for %P, %I and %J: "-" is "/", "\xNN" a byte. */
static int put_unescaped(StrBuf *b, const char *s, size_t n) {
        int r = 0;
        for (size_t i = 0; r >= 0 && i < n; i++) {
                if (s[i] == '-')
                        r = strbuf_putc(b, '/');
                else if (s[i] == '\\' && i + 3 < n && s[i + 1] == 'x' && isxdigit((unsigned char) s[i + 2]) &&
                         isxdigit((unsigned char) s[i + 3])) {
                        char hex[3] = { s[i + 2], s[i + 3], 0 };
                        r = strbuf_putc(b, (char) strtoul(hex, NULL, 16));
                        i += 3;
                } else
                        r = strbuf_putc(b, s[i]);
        }
        return r;
}

/* The name as it will be at start, appended to b: the specifiers of the unit's own name resolved
 * (%n %N %p %P %i %I %j %J, "%%"); the others (%H, %u, ...) are the same for every unit of the
 * manager and stay as written. Returns 0 when the name depends on an instance chosen at start (a
 * template's %i), else 1, or -ENOMEM. */
static int resolve(const OciDefinition *d, const char *name, StrBuf *b) {
        const char *unit = d->unit_name;
        size_t nl = strlen(unit) - strlen(".service");
        size_t pl = strcspn(unit, "@") < nl ? strcspn(unit, "@") : nl;
        const char *inst = pl < nl ? unit + pl + 1 : unit + nl;
        size_t il = (size_t) (unit + nl - inst);
        const char *dash = NULL;
        for (const char *c = unit; c < unit + pl; c++)
                if (*c == '-')
                        dash = c;
        const char *j = dash ? dash + 1 : unit;
        size_t jl = (size_t) (unit + pl - j);
        bool tmpl = d->instance && !*d->instance;

        int r = 0;
        for (const char *c = name; r >= 0 && *c; c++) {
                if (*c != '%' || !c[1]) {
                        /* a run of bytes that stand for themselves, in one copy */
                        size_t run = strcspn(c + 1, "%") + 1;
                        r = strbuf_putn(b, c, run);
                        c += run - 1;
                        continue;
                }
                c++;
                if (tmpl && (*c == 'i' || *c == 'I'))
                        return 0;
                switch (*c) {
                case '%': r = strbuf_putc(b, '%'); break;
                case 'n': r = strbuf_puts(b, unit); break;
                case 'N': r = strbuf_putn(b, unit, nl); break;
                case 'p': r = strbuf_putn(b, unit, pl); break;
                case 'P': r = put_unescaped(b, unit, pl); break;
                case 'i': r = strbuf_putn(b, inst, il); break;
                case 'I': r = put_unescaped(b, inst, il); break;
                case 'j': r = strbuf_putn(b, j, jl); break;
                case 'J': r = put_unescaped(b, j, jl); break;
                default: r = strbuf_printf(b, "%%%c", *c);
                }
        }
        return r < 0 ? -ENOMEM : 1;
}

/* The settings an object is made with: every key of its main section, as checked, in the option
 * table's order, but its name and what names the unit or the engine. Two files that give a key's
 * values in another order differ: a false alarm at worst, never a silent share. */
static int settings_of(const OciDefinition *d, size_t *ret) {
        const OciFileType *ft = oci_file_type(d->type);
        StrBuf b = {};
        int r = 0;
        for (size_t i = 0; r >= 0 && i < _OCI_OPT_MAX; i++) {
                if (!(oci_options[i].sections & (1u << ft->section)) || i == (size_t) ft->name_key || i == OCI_OPT_SERVICE_NAME ||
                    i == OCI_OPT_BACKEND)
                        continue;
                OCI_FOREACH_ITEM(it, d, (OciOptionId) i)
                        if (r >= 0)
                                r = strbuf_printf(&b, "%s=%s\n", oci_option_key(i), it->text);
        }
        if (r < 0) {
                strbuf_done(&b);
                return -ENOMEM;
        }
        *ret = b.s ? hash_string(b.s, b.len) | 1 : 1;
        strbuf_done(&b);
        return 0;
}

/* The user whose store holds a container: RunAs='s with podman, else none (""). */
static const char *container_user(const OciDefinition *d) {
        return d->backend == OCI_BACKEND_PODMAN && d->run_as.user ? d->run_as.user : "";
}

/* A container (not a template) that its engine names after its unit's or file's name. */
static bool container_name_derived(const OciDefinition *d) {
        return !oci_value_str(d, OCI_OPT_CONTAINER_NAME) && !*container_user(d) && !(d->backend == OCI_BACKEND_NSPAWN && d->instance);
}

/* "ENGINE/KIND/USER/" onto b: the start of a key. */
static int key_start(StrBuf *b, OciBackendId backend, const char *kind, const char *user) {
        const char *const parts[] = { oci_backend_to_string(backend), "/", kind, "/", user, "/" };
        int r = 0;
        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(parts); i++)
                r = strbuf_puts(b, parts[i]);
        return r;
}

/* The key d's object is claimed under, appended to b: "ENGINE/KIND/USER/NAME", its name resolved
 * last, at *ret_name_at; and what the messages call the object. Returns 0 when the name is chosen
 * at start (nothing to claim), else 1, or -ENOMEM. *ret_settings is 0 for a container.
 * *ret_derived says that the name is the engine's default for the unit's or the file's name,
 * which find_derived() finds without a copy of it: podman's systemd-%N or systemd-%p_%i without
 * RunAs=, docker's file name or %p_%i, nspawn's file name. */
static int engine_key(const OciDefinition *d, StrBuf *b, size_t *ret_name_at, const char **ret_kind, const char **ret_user,
                      size_t *ret_settings, bool *ret_derived) {
        const OciBackend *be = oci_backend_get(d->backend);
        assert(be);
        *ret_user = "";
        *ret_settings = 0;
        *ret_derived = false;
        if (d->type != OCI_UNIT_CONTAINER && oci_file_type(d->type)->name_key < 0)
                return 0; /* its objects are not its own: two definitions may pull the same image */
        if (d->type != OCI_UNIT_CONTAINER) {
                assert(d->resource);
                *ret_kind = d->type == OCI_UNIT_POD ? (be->pod_object ? be->pod_object : "pod") : d->type == OCI_UNIT_VOLUME ? "volume" : "network";
                if (settings_of(d, ret_settings) < 0 || key_start(b, d->backend, *ret_kind, "") < 0)
                        return -ENOMEM;
                *ret_name_at = b->len;
                return strbuf_puts(b, d->resource) < 0 ? -ENOMEM : 1;
        }
        /* a template's containers are its instances', each named at its start: what a fixed name
         * costs them is theirs (only one runs at a time) */
        if (d->instance && !*d->instance)
                return 0;
        *ret_kind = be->oci ? "container" : "machine";
        *ret_user = container_user(d);
        *ret_derived = container_name_derived(d);
        _cleanup_free_ char *written = be->container_name(d);
        if (!written || key_start(b, d->backend, *ret_kind, *ret_user) < 0)
                return -ENOMEM;
        *ret_name_at = b->len;
        return resolve(d, written, b);
}

static bool derived_from(const Node *o, const Node *n, OciBackendId backend, bool instance) {
        return o && o != n && o->state == NODE_DONE && !o->failed && o->default_name && o->summary.type == OCI_UNIT_CONTAINER &&
               o->summary.backend == backend && (strchr(o->summary.unit_name, '@') != NULL) == instance;
}

/* "PREFIX.service", or "PREFIX@INSTANCE.service" (instance not NULL), into unit: prefix is pl bytes
 * long. false when the name would be longer than NAME_MAX. */
static bool service_name(char *unit, const char *prefix, size_t pl, const char *instance) {
        size_t il = instance ? strlen(instance) + 1 : 0;
        if (pl + il + strlen(".service") > NAME_MAX)
                return false;
        memcpy(unit, prefix, pl);
        if (instance) {
                unit[pl] = '@';
                memcpy(unit + pl + 1, instance, il - 1);
        }
        memcpy(unit + pl + il, ".service", sizeof(".service"));
        return true;
}

/* A container written already whose engine derived its name from its unit's or file's name, and
 * that name is 'name': podman's systemd-NAME (NAME.service) or systemd-PREFIX_INSTANCE
 * (PREFIX@INSTANCE.service), docker's NAME (NAME.container) or PREFIX_INSTANCE, nspawn's NAME. */
static const Node *derived_owner(Generator *g, const Node *n, OciBackendId backend, const char *name) {
        char unit[NAME_MAX + 1];
        const Node *o;
        if (backend == OCI_BACKEND_PODMAN) {
                if (!(name = startswith(name, "systemd-")))
                        return NULL;
                o = service_name(unit, name, strlen(name), NULL) ? hashmap_get(&g->units, unit) : NULL;
        } else
                o = find_node(g, OCI_UNIT_CONTAINER, name);
        if (derived_from(o, n, backend, false))
                return o;
        if (backend == OCI_BACKEND_NSPAWN)
                return NULL; /* a machine of an instance is named by its instance alone: not derived */
        for (const char *u = strchr(name, '_'); u; u = strchr(u + 1, '_')) {
                if (!service_name(unit, name, (size_t) (u - name), u + 1))
                        continue;
                o = hashmap_get(&g->units, unit);
                if (derived_from(o, n, backend, true))
                        return o;
        }
        return NULL;
}

/* What both passes know of d's object: its name, the messages' word for it, the user whose store
 * holds it, its settings, whether the name is derived, and the key of g->engine_names it is
 * claimed under (which ends in the name). */
typedef struct EngineObject {
        const char *name, *key;
        const char *kind, *user;
        size_t settings;
        bool derived;
} EngineObject;

/* Where engine_object() puts the key, for one object at a time: one buffer that keeps its room from
 * one definition to the next (never freed: it lives as long as the program). */
static StrBuf key_buffer;

/* Returns 1 with *e filled (its name and key in key_buffer, until the next call), 0 when the name
 * is chosen at start (nothing to claim), or -ENOMEM. */
static int engine_object(const OciDefinition *d, EngineObject *e) {
        *e = (EngineObject) {};
        key_buffer.len = 0;
        size_t at = 0;
        int r = engine_key(d, &key_buffer, &at, &e->kind, &e->user, &e->settings, &e->derived);
        if (r <= 0)
                return r;
        e->key = key_buffer.s;
        e->name = key_buffer.s + at;
        return 1;
}

int check_engine_names(Generator *g, Node *n, const OciDefinition *d) {
        assert(g && n && d);
        EngineObject e;
        int r = engine_object(d, &e);
        if (r <= 0)
                return r;
        const char *name = e.name, *kind = e.kind;
        size_t settings = e.settings;
        const EngineClaim *c = hashmap_get(&g->engine_names, e.key);
        const Node *o = c ? c->owner : NULL;
        if (c && (c->owner == n || (settings && c->settings == settings)))
                return 0;
        if (!o && !settings && !*e.user)
                o = derived_owner(g, n, d->backend, name);
        if (!o)
                return 0;
        const char *engine = oci_backend_to_string(d->backend);
        OciOptionId id = d->type == OCI_UNIT_CONTAINER ? OCI_OPT_CONTAINER_NAME : oci_file_type(d->type)->name_key;
        const OciValue *v = &d->values[id];
        const char *where = v->n_entries ? oci_value_file(d, v) : d->path;
        const char *keyname = v->n_entries ? oci_option_key(id) : NULL;
        if (!settings)
                return oci_diag(&g->sink, LOG_ERR, where, oci_value_line(v), keyname,
                                "the %s's name, %s, is that of the %s of %s too: with %s, the two would replace each other "
                                "at every start; set a different %s=", kind, name, kind, o->summary.path, engine,
                                oci_option_key(id));
        return oci_diag(&g->sink, LOG_ERR, where, oci_value_line(v), keyname,
                        "the %s's name, %s, is that of the %s of %s too, made with other settings: with %s it is one %s, "
                        "made by whichever starts first; give both the same settings, or set a different %s=",
                        kind, name, kind, o->summary.path, engine, kind, oci_option_key(id));
}

int take_engine_names(Generator *g, Node *n, const OciDefinition *d) {
        assert(g && n && d);
        /* the common case costs no claim, nor its key: found from the unit's name when needed */
        if (d->type == OCI_UNIT_CONTAINER && !(d->instance && !*d->instance) && container_name_derived(d)) {
                n->default_name = true;
                return 0;
        }
        EngineObject e;
        int r = engine_object(d, &e);
        if (r <= 0)
                return r;
        n->default_name = e.derived;
        if (e.derived)
                return 0;
        if (hashmap_get(&g->engine_names, e.key))
                return 0; /* the first one's, which it shares */
        size_t len = key_buffer.len;
        EngineClaim *c = arena_alloc(&g->arena, sizeof(EngineClaim) + len + 1);
        if (!c)
                return -ENOMEM;
        *c = (EngineClaim) { .owner = n, .settings = e.settings };
        memcpy(c->key, e.key, len + 1);
        return hashmap_put(&g->engine_names, c->key, c);
}
