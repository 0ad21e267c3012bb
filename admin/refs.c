/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What install copies: the definitions, their own drop-ins, a directory's environment files, and
 * the files a definition names by a path relative to its directory (EnvironmentFile=web.env,
 * Yaml=, ImageFile=...: the path rows of the option table that take one), which would name other
 * files once it is installed elsewhere. Those are found by reading the definition with the
 * library's own parser twice, as from its directory and as from the one it is installed in: a
 * value whose path differs between the two was relative. */
#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "admin.h"
#include "model.h"

/* A file a definition names by a path relative to its directory. */
typedef struct RelRef {
        const char *file;  /* where it is named: the definition, or one of its drop-ins */
        unsigned line;
        const char *key;   /* the key, from the option table */
        char *value;       /* the assignment's value, as written */
        char *from, *to;   /* the path it names now, and once installed; NULL when unresolved */
        bool unresolved;   /* it holds a specifier or variable: systemd's to resolve, not ours */
} RelRef;

typedef struct RelRefs {
        RelRef *v;
        size_t n;
} RelRefs;

static OciDefinition *read_definition(const char *path, OciUnitType type, char *const *dropins) {
        OciDefinition *d = oci_definition_new(path, type);
        OciDiagSink quiet = {};
        unsigned sections = oci_unit_type_sections(type);
        int r = d ? oci_parse_file(d, sections, &quiet) : -ENOMEM;
        for (char *const *p = dropins; r != -ENOMEM && p && *p; p++)
                r = oci_parse_dropin(d, *p, sections, &quiet);
        if (r == -ENOMEM)
                return oci_definition_free(d);
        return d;
}

/* A path in the form a unit takes it (oci_exec_escape(): "%%", "$$") as the file system has it;
 * NULL if it holds a specifier or a variable, which only systemd resolves. */
static char *unescape(const char *s, bool *ret_unresolved) {
        StrBuf b = {};
        *ret_unresolved = false;
        for (; *s; s++) {
                if ((*s == '%' || *s == '$') && s[1] != *s) {
                        *ret_unresolved = true;
                        strbuf_done(&b);
                        return NULL;
                }
                if ((*s == '%' || *s == '$'))
                        s++;
                if (strbuf_putc(&b, *s) < 0) {
                        strbuf_done(&b);
                        return NULL;
                }
        }
        return strbuf_steal(&b);
}

static int push(RelRefs *refs, const RelRef *ref) {
        if (refs->n % 8 == 0) {
                RelRef *v = realloc(refs->v, (refs->n + 8) * sizeof(*v));
                if (!v)
                        return -ENOMEM;
                refs->v = v;
        }
        refs->v[refs->n++] = *ref;
        return 0;
}

/* the items of one assignment of row id, parsed as if d held it, in its memory */
static int parse_as(OciDefinition *d, OciOptionId id, const OciEntry *e, OciItems *out) {
        OciDiagSink quiet = {};
        OciParse p = {
                .sink = &quiet,
                .d = d,
                .id = id,
                .loc = { .file = oci_entry_file(d, e), .line = e->line, .column = e->column },
                .out = out,
                .arena = &d->text,
        };
        int r = oci_value_parse(&p, e->value);
        return r == -ENOMEM ? r : 0;
}

static void relative_refs_done(RelRefs *refs);

/* The files the definition at path (of that type, with those of its drop-ins that go with it) names
 * by a relative path, once it is installed as dest: 0, or -ENOMEM. What cannot be read is left
 * out: the check says it. */
static int relative_refs(const char *path, OciUnitType type, char *const *dropins, const char *dest, RelRefs *ret) {
        assert(path && dest && ret);
        *ret = (RelRefs) {};
        _cleanup_(oci_definition_freep) OciDefinition *d = read_definition(path, type, dropins);
        _cleanup_(oci_definition_freep) OciDefinition *t = oci_definition_new(dest, type);
        if (!d || !t)
                return -ENOMEM;
        RelRefs refs = {};
        int r = 0;
        OCI_FOREACH_BIT(id, d->touched) {
                const OciOption *o = &oci_options[id];
                if (o->type != OCI_TYPE_PATH || !(o->flags & OCI_OPT_RELATIVE))
                        continue;
                const OciValue *v = &d->values[id];
                for (size_t k = 0; r >= 0 && k < v->n_entries; k++) {
                        OciItems here = {}, there = {};
                        r = parse_as(d, (OciOptionId) id, &v->entries[k], &here);
                        if (r >= 0)
                                r = parse_as(t, (OciOptionId) id, &v->entries[k], &there);
                        for (size_t i = 0; r >= 0 && i < here.n && i < there.n; i++) {
                                if (streq(here.items[i].text, there.items[i].text))
                                        continue; /* absolute: the same wherever the definition is */
                                RelRef ref = {
                                        .file = oci_entry_file(d, &v->entries[k]),
                                        .line = v->entries[k].line,
                                        .key = oci_str(o->key),
                                };
                                bool u1, u2;
                                ref.from = unescape(here.items[i].text, &u1);
                                ref.to = unescape(there.items[i].text, &u2);
                                ref.value = strdup(v->entries[k].value);
                                ref.file = ref.file ? strdup(ref.file) : NULL;
                                ref.unresolved = u1 || u2;
                                if (!ref.value || !ref.file || (!ref.unresolved && (!ref.from || !ref.to)) || push(&refs, &ref) < 0) {
                                        free(ref.from);
                                        free(ref.to);
                                        free(ref.value);
                                        free((char *) ref.file);
                                        r = -ENOMEM;
                                }
                        }
                }
        }
        if (r < 0) {
                relative_refs_done(&refs);
                return r;
        }
        *ret = refs;
        return 0;
}

static void relative_refs_done(RelRefs *refs) {
        for (size_t i = 0; i < refs->n; i++) {
                free(refs->v[i].from);
                free(refs->v[i].to);
                free(refs->v[i].value);
                free((char *) refs->v[i].file);
        }
        free(refs->v);
        *refs = (RelRefs) {};
}

static int items_add(Items *it, const char *from, const char *to, mode_t mode) {
        /* the same file twice (a directory's env file a definition names too) is one; two files
         * under one name would leave the one copied last */
        for (size_t i = 0; i < it->n; i++)
                if (streq(it->v[i].to, to)) {
                        if (streq(it->v[i].from, from))
                                return 0;
                        log_error("Failed to install: %s and %s would both be installed as %s; nothing was installed.", it->v[i].from, from, to);
                        return -EINVAL;
                }
        if (it->n == it->cap) {
                size_t c = it->cap ? 2 * it->cap : 8;
                Item *v = realloc(it->v, c * sizeof(*v));
                if (!v)
                        return -ENOMEM;
                it->v = v;
                it->cap = c;
        }
        Item *i = &it->v[it->n];
        i->from = strdup(from);
        i->to = strdup(to);
        i->mode = mode;
        if (!i->from || !i->to) {
                free(i->from);
                free(i->to);
                return -ENOMEM;
        }
        it->n++;
        return 0;
}

void items_done(Items *it) {
        for (size_t i = 0; i < it->n; i++) {
                free(it->v[i].from);
                free(it->v[i].to);
        }
        free(it->v);
}

/* a definition's own drop-ins beside it: the .conf files of NAME.EXT.d, their paths added to *paths */
static int add_dropins(Items *it, const char *path, const char *name, char ***paths) {
        _cleanup_free_ char *dir = xasprintf("%s.d", path);
        DIR *d = dir ? opendir(dir) : NULL;
        if (!d)
                return dir ? 0 : -ENOMEM;
        struct dirent *de;
        int r = 0;
        while (r >= 0 && (de = readdir(d)))
                if (endswith(de->d_name, ".conf") && de->d_name[0] != '.') {
                        _cleanup_free_ char *f = path_join(dir, de->d_name);
                        _cleanup_free_ char *t = xasprintf("%s.d/%s", name, de->d_name);
                        r = f && t ? items_add(it, f, t, 0644) : -ENOMEM;
                        if (r >= 0)
                                r = strv_extend(paths, f);
                }
        closedir(d);
        strv_sort(*paths);
        return r;
}

/* One file a definition names by a relative path: copied with it when it is a file in the
 * definition's directory (or below), keeping its permission bits (at most 0644); else it must be
 * where the installed definition will look for it, or nothing is installed. */
static int add_ref(Items *it, const RelRef *ref, const char *admin) {
        const char *rel = startswith(ref->to ? ref->to : "", admin);
        rel = rel && *rel == '/' ? rel + 1 : NULL;
        struct stat st;
        if (ref->unresolved) {
                log_error("%s:%u: %s=%s names a file by a relative path with a specifier or variable, which only systemd "
                          "resolves; copy the file into %s yourself and write an absolute path; nothing was installed.",
                          ref->file, ref->line, ref->key, ref->value, admin);
                return -EINVAL;
        }
        if (stat(ref->from, &st) == 0 && S_ISREG(st.st_mode) && rel)
                return items_add(it, ref->from, rel, st.st_mode & 0644);
        /* it is there already: installed before, or by hand */
        if (access(ref->to, F_OK) == 0)
                return 0;
        if (stat(ref->from, &st) < 0)
                log_error("%s:%u: %s=%s names %s, which does not exist, and installed the definition would look for %s, "
                          "which does not either; create it, or write an absolute path; nothing was installed.",
                          ref->file, ref->line, ref->key, ref->value, ref->from, ref->to);
        else if (!S_ISREG(st.st_mode))
                log_error("%s:%u: %s=%s names %s, which is not a file: install copies files only; copy it to %s yourself, "
                          "or write an absolute path; nothing was installed.",
                          ref->file, ref->line, ref->key, ref->value, ref->from, ref->to);
        else
                log_error("%s:%u: %s=%s names %s, outside the definition's directory: installed, the definition would look "
                          "for %s; write an absolute path, or put the file beside the definition; nothing was installed.",
                          ref->file, ref->line, ref->key, ref->value, ref->from, ref->to);
        return -EINVAL;
}

/* A definition, its drop-ins, and the files it names by a relative path. */
static int add_definition(Items *it, const char *path, const char *name, const char *admin) {
        _cleanup_strv_free_ char **dropins = NULL;
        int r = items_add(it, path, name, 0644);
        if (r >= 0)
                r = add_dropins(it, path, name, &dropins);
        _cleanup_free_ char *dest = r >= 0 ? path_join(admin, name) : NULL;
        if (r < 0 || !dest)
                return r < 0 ? r : -ENOMEM;
        RelRefs refs;
        r = relative_refs(path, oci_unit_type_from_filename(name), dropins, dest, &refs);
        int bad = 0;
        for (size_t i = 0; r >= 0 && i < refs.n; i++) {
                int k = add_ref(it, &refs.v[i], admin);
                if (k == -ENOMEM)
                        r = k;
                else if (k < 0)
                        bad = k;
        }
        relative_refs_done(&refs);
        return r < 0 ? r : bad;
}

/* What an argument brings: a definition with its drop-ins and the files it names by a relative
 * path; a directory's definitions with theirs, and its environment files (NAME.env, which keep
 * their own permission bits: a secret stays unreadable to others). */
int install_collect(Items *it, const char *arg, const char *admin) {
        struct stat st;
        if (stat(arg, &st) < 0) {
                log_error("Failed to read %s: %s", arg, strerror(errno));
                return -errno;
        }
        if (!S_ISDIR(st.st_mode)) {
                const char *name = strrchr(arg, '/') ? strrchr(arg, '/') + 1 : arg;
                if (oci_unit_type_from_filename(name) < 0) {
                        log_error("Failed to install %s: not a definition (.container, .pod, .network, ...).", arg);
                        return -EINVAL;
                }
                return add_definition(it, arg, name, admin);
        }
        DIR *d = opendir(arg);
        if (!d) {
                log_error("Failed to read %s: %s", arg, strerror(errno));
                return -errno;
        }
        struct dirent *de;
        int r = 0, bad = 0;
        while (r >= 0 && (de = readdir(d))) {
                _cleanup_free_ char *p = path_join(arg, de->d_name);
                if (!p || de->d_name[0] == '.' || stat(p, &st) < 0 || !S_ISREG(st.st_mode))
                        continue;
                int k = 0;
                if (oci_unit_type_from_filename(de->d_name) >= 0)
                        k = add_definition(it, p, de->d_name, admin);
                else if (endswith(de->d_name, ".env"))
                        k = items_add(it, p, de->d_name, st.st_mode & 0644);
                /* every file's problems said, not only the first's */
                if (k == -ENOMEM)
                        r = k;
                else if (k < 0)
                        bad = k;
        }
        closedir(d);
        return r < 0 ? r : bad;
}
