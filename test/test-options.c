/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Walks every row of the option table. */
#include <ctype.h>

#include "render.h"
#include "testutil.h"

START_TEST(test_rows_well_formed) {
        for (size_t i = 0; i < _OCI_OPT_MAX; i++) {
                const OciOption *o = &oci_options[i];
                ck_assert_msg(oci_str(o->key) && isupper((unsigned char) oci_str(o->key)[0]), "row %zu has no proper key", i);
                for (const char *c = oci_str(o->key); *c; c++)
                        ck_assert_msg(isalnum((unsigned char) *c), "%s: key is not alphanumeric", oci_str(o->key));
                ck_assert_msg(o->sections != 0, "%s: in no section", oci_str(o->key));
                ck_assert_msg(!(o->sections & (OCI_IN(UNIT) | OCI_IN(SERVICE))), "%s: [Unit]/[Service] are copied, not keys", oci_str(o->key));
                const char *doc = oci_str(o->doc);
                ck_assert_msg(doc && strlen(doc) > 10 && doc[strlen(doc) - 1] == '.', "%s: doc must be a sentence", oci_str(o->key));
                ck_assert_msg(o->type == OCI_TYPE_CHOICE ? o->choices != 0 : o->type == OCI_TYPE_DURATION || !o->choices,
                              "%s: choices go with the choice type (and a duration's words)", oci_str(o->key));
                for (size_t b = 0; b < _OCI_BACKEND_MAX; b++) {
                        const OciRender *r = oci_option_render((OciOptionId) i, (OciBackendId) b);
                        /* code renders a key only where its row names the function, which the
                         * renderer calls: no key is rendered by code the table does not point to */
                        ck_assert_msg(r->kind >= 0 && r->kind < _OCI_RENDER_MAX && r->kind != OCI_RENDER_AS_PODMAN,
                                      "%s: no rendering for %s", oci_str(o->key), oci_backend_to_string((OciBackendId) b));
                        ck_assert_msg((r->kind == OCI_RENDER_FN) == (r->fn != OCI_FN_NONE), "%s: %s", oci_str(o->key),
                                      r->fn != OCI_FN_NONE ? "a function only goes with RF()" : "RF() names no function");
                        ck_assert_msg(r->fn > OCI_FN_NONE ? r->fn < _OCI_FN_MAX && oci_render_fns[r->fn] != NULL : r->fn == OCI_FN_NONE,
                                      "%s: the function RF() names is not in oci_render_fns[]", oci_str(o->key));
                        if (r->kind == OCI_RENDER_FLAG_VALUE || r->kind == OCI_RENDER_FLAG_IF_TRUE ||
                            r->kind == OCI_RENDER_FLAG_BOOL || r->kind == OCI_RENDER_FLAG_PREFIX)
                                ck_assert_msg(r->flag && strncmp(oci_str(r->flag), "--", 2) == 0, "%s: needs a --flag", oci_str(o->key));
                        if (r->kind == OCI_RENDER_FLAG_IF_TRUE || r->kind == OCI_RENDER_FLAG_BOOL)
                                ck_assert_msg(o->type == OCI_TYPE_BOOL, "%s: a boolean flag needs a boolean", oci_str(o->key));
                        if (o->type == OCI_TYPE_BOOL && r->kind != OCI_RENDER_UNSUPPORTED)
                                ck_assert_msg(r->kind != OCI_RENDER_FLAG_VALUE && r->kind != OCI_RENDER_FLAG_PREFIX,
                                              "%s: a boolean has no items to render", oci_str(o->key));
                }
                /* argv and KEY=VALUE words come from a reading that splits them; one value is read
                 * from the last assignment */
                OciRead rd = oci_option_read((OciOptionId) i);
                bool splits = rd == OCI_READ_WORDS || rd == OCI_READ_ARGS || rd == OCI_READ_LAST_ARGS || rd == OCI_READ_KEYVAL;
                if (o->type == OCI_TYPE_WORDS || o->type == OCI_TYPE_KEYVALUE)
                        ck_assert_msg(splits, "%s: words need a read column that splits them", oci_str(o->key));
                ck_assert_msg(!(o->flags & OCI_OPT_LIST) == (rd == OCI_READ_LAST || rd == OCI_READ_LAST_RAW || rd == OCI_READ_LAST_ARGS),
                              "%s: a list is read from every assignment, one value from the last", oci_str(o->key));
                ck_assert_msg(oci_read_to_string(rd) != NULL, "%s: its reading has no name", oci_str(o->key));
                /* every section it is in finds it, and no other row has the same key there */
                for (size_t s = 0; s < _OCI_SECTION_MAX; s++) {
                        if (!(o->sections & (1u << s)))
                                continue;
                        ck_assert_int_eq(oci_option_lookup((OciSection) s, oci_str(o->key)), (int) i);
                        for (size_t j = i + 1; j < _OCI_OPT_MAX; j++)
                                ck_assert_msg(!((oci_options[j].sections & (1u << s)) && streq(oci_option_key(j), oci_str(o->key))),
                                              "%s: twice in one section", oci_str(o->key));
                }
                /* a typo of the key is suggested back */
                char typo[64];
                snprintf(typo, sizeof(typo), "%.*s", (int) strlen(oci_str(o->key)) - 1, oci_str(o->key));
                for (size_t s = 0; s < _OCI_SECTION_MAX; s++)
                        if ((o->sections & (1u << s)) && strlen(oci_str(o->key)) > 3) {
                                const char *sug = oci_option_suggest((OciSection) s, typo);
                                ck_assert_msg(sug != NULL, "no suggestion for '%s'", typo);
                        }
        }
}
END_TEST

/* A reference column that names several kinds of definition tells them by their extensions. */
START_TEST(test_reference_types) {
        for (size_t i = 0; i < _OCI_OPT_MAX; i++) {
                const OciRefColumn *ref = &oci_options[i].ref;
                unsigned types = ref->others | (1u << ref->type);
                ck_assert_msg(ref->part != OCI_REF_NONE || !ref->others, "%s: other types without a reference", oci_option_key(i));
                for (int t = 0; ref->part != OCI_REF_NONE && t < _OCI_UNIT_TYPE_MAX; t++) {
                        char text[64];
                        snprintf(text, sizeof(text), "name%s", oci_unit_type_extension((OciUnitType) t));
                        OciUnitType found = oci_option_ref_type((OciOptionId) i, text, strlen(text));
                        ck_assert_int_eq(found, (types & (1u << t)) ? t : _OCI_UNIT_TYPE_INVALID);
                        /* the extension alone names nothing */
                        const char *ext = oci_unit_type_extension((OciUnitType) t);
                        ck_assert_int_eq(oci_option_ref_type((OciOptionId) i, ext, strlen(ext)), _OCI_UNIT_TYPE_INVALID);
                }
        }
        ck_assert_int_eq(oci_option_ref_type(OCI_OPT_IMAGE, "app.build", 9), OCI_UNIT_BUILD);
        /* a reference in a part of a value is found by the parser of the type that splits it
         * (Network='s mode, a volume's or mount's source, a word); a whole value needs no split */
        for (size_t i = 0; i < _OCI_OPT_MAX; i++) {
                const OciOption *o = &oci_options[i];
                bool typed = (o->ref.part == OCI_REF_PREFIX && o->type == OCI_TYPE_NETWORK) ||
                             (o->ref.part == OCI_REF_SOURCE && (o->type == OCI_TYPE_VOLUME || o->type == OCI_TYPE_MOUNT)) ||
                             (o->ref.part == OCI_REF_WORD && o->type == OCI_TYPE_REFS);
                bool whole = (o->ref.part == OCI_REF_WHOLE || o->ref.part == OCI_REF_SUFFIX) &&
                             (o->type == OCI_TYPE_NAME || o->type == OCI_TYPE_IMAGE);
                ck_assert_msg(o->ref.part == OCI_REF_NONE || typed || whole, "%s: its reference is in a part of a value of type %s, "
                              "which does not split it", oci_str(o->key), oci_type_to_string(o->type));
        }
        ck_assert_int_eq(oci_option_ref_type(OCI_OPT_MOUNT, "model.artifact", 14), OCI_UNIT_ARTIFACT);
        ck_assert_int_eq(oci_option_ref_type(OCI_OPT_MOUNT, "app.build", 9), _OCI_UNIT_TYPE_INVALID);
}
END_TEST

/* Every key a file type that --export=kube reads may hold says what it becomes in Kubernetes, or
 * why nothing: a key is never left out in silence. */
START_TEST(test_kube_column) {
        for (OciUnitType t = 0; t < _OCI_UNIT_TYPE_MAX; t++) {
                if (!oci_file_type(t)->exported)
                        continue;
                for (size_t i = 0; i < _OCI_OPT_MAX; i++) {
                        const OciOption *o = &oci_options[i];
                        if (!(o->sections & oci_unit_type_sections(t)))
                                continue;
                        ck_assert_msg(o->kube.kind != OCI_KUBE_UNSET && oci_str(o->kube.text) && oci_str(o->kube.text)[0],
                                      "%s= of %s has no kube column", oci_str(o->key), oci_unit_type_extension(t));
                }
        }
}
END_TEST

/* Every row's default passes the row's own checks: validation of an empty definition applies
 * them all and would fail otherwise. */
START_TEST(test_defaults_valid) {
        Collected c = {};
        char *text = generate_text("[Container]\nImage=x\n", NULL, NULL, 0, &c, NULL);
        ck_assert_msg(text != NULL, "%s", c.text);
        free(text);
        OciDefaults *d = defaults_from("[Defaults]\n");
        for (size_t i = 0; i < _OCI_OPT_MAX; i++)
                if (oci_str(oci_options[i].default_value) && (oci_options[i].sections & OCI_IN(DEFAULTS)))
                        ck_assert_str_eq(oci_value_str(d, (OciOptionId) i), oci_str(oci_options[i].default_value));
        oci_definition_free(d);
}
END_TEST

/* A value of each type that differs from the row's default. */
static const char *sample(const OciOption *o) {
        switch (o->type) {
        case OCI_TYPE_STRING: return "sample-value";
        case OCI_TYPE_BOOL: return oci_str(o->default_value) && streq(oci_str(o->default_value), "yes") ? "no" : "yes";
        case OCI_TYPE_CHOICE:
                for (const OciStr *c = oci_option_choices(o); *c; c++)
                        if (!oci_str(o->default_value) || !streq(oci_str(*c), oci_str(o->default_value)))
                                return oci_str(*c);
                return NULL;
        case OCI_TYPE_WORDS: return "--sample 'two words'";
        case OCI_TYPE_KEYVALUE: return "SAMPLE=1";
        case OCI_TYPE_PATH: return "/sample/path";
        case OCI_TYPE_PORT: return "8080:80";
        case OCI_TYPE_PORT_RANGE: return "9000-9001/udp";
        case OCI_TYPE_VOLUME: return "/srv/sample:/data";
        case OCI_TYPE_MOUNTPOINT: return "/tmp/sample";
        case OCI_TYPE_CAPS: return "NET_ADMIN";
        case OCI_TYPE_DEVICE: return "/dev/null";
        case OCI_TYPE_NAME: return "sample";
        case OCI_TYPE_UNITS: return "sample.target";
        case OCI_TYPE_REFS: return "other";
        case OCI_TYPE_ADDRESS: return "127.0.0.1";
        case OCI_TYPE_ADDRESS_PREFIX: return "127.0.0.1";
        case OCI_TYPE_INT: return "7";
        case OCI_TYPE_SIZE: return "64m";
        case OCI_TYPE_MOUNT: return "type=tmpfs,destination=/sample";
        case OCI_TYPE_UID: return "1000";
        case OCI_TYPE_GID: return "1000";
        case OCI_TYPE_DURATION: return "42s";
        case OCI_TYPE_TIMESPAN: return "42s";
        case OCI_TYPE_NETWORK: return "sample";
        case OCI_TYPE_OWNER: return "nobody";
        case OCI_TYPE_IMAGE: return "sample";
        case OCI_TYPE_DIR_NAME: return "sample";
        case OCI_TYPE_AUTO_UPDATE: return "sample/local";
        case OCI_TYPE_VETH: return "vx-sample";
        case _OCI_TYPE_MAX:
        default: return NULL;
        }
}

/* DependsOn=other names this one */
static OciSummary other = { .type = OCI_UNIT_CONTAINER, .name = "other", .path = "/defs/other.container",
                            .unit_name = "other.service" };
static OciSummary *const known_other[] = { &other };

static OciUnitType render_type = OCI_UNIT_CONTAINER;

static char *render_all(const char *text, const OciDefaults *defaults, Collected *c) {
        OciUnitFile *u = NULL;
        char *s = generate_text_as(render_type, text, defaults, known_other, 1, c, &u);
        if (!s)
                return NULL;
        StrBuf b = {};
        strbuf_puts(&b, s);
        for (size_t i = 0; i < u->n_links; i++)
                strbuf_printf(&b, "link %s -> %s\n", u->links[i].path, u->links[i].target);
        free(s);
        oci_unit_free(u);
        return strbuf_steal(&b);
}

/* Every key the podman backend accepts changes the generated unit: no key is parsed and then
 * forgotten. The only exceptions are keys with no podman meaning, listed here with the reason. */
START_TEST(test_every_key_has_an_effect) {
        for (size_t b = 0; b < _OCI_BACKEND_MAX; b++)
        for (size_t i = 0; i < _OCI_OPT_MAX && oci_backend_get((OciBackendId) b); i++) {
                const OciOption *o = &oci_options[i];
                if (i == OCI_OPT_BACKEND)
                        continue; /* it picks the engine this loop goes through */
                if ((i == OCI_OPT_PODMAN_PATH || i == OCI_OPT_DOCKER_PATH || i == OCI_OPT_NSPAWN_PATH) &&
                    (OciOptionId) i != oci_backend_get((OciBackendId) b)->binary)
                        continue; /* another engine's binary */
                if (i == OCI_OPT_POD || i == OCI_OPT_START_WITH_POD)
                        continue; /* they need a .pod definition to refer to: cases cover them */
                if (i == OCI_OPT_VOLUME_IMAGE)
                        continue; /* only together with Driver=image, which needs it: cases cover it */
                if (i == OCI_OPT_STAND_IN_UNITS)
                        continue; /* it acts on skipped definitions, never on a unit: cases cover it */
                if (i == OCI_OPT_IMAGE_TAG)
                        continue; /* the name what refers to the .image gets: cases cover it */
                if (i == OCI_OPT_NOTIFY && b == OCI_BACKEND_DOCKER)
                        continue; /* docker accepts only the default, which changes nothing */
                if (oci_option_render((OciOptionId) i, (OciBackendId) b)->kind == OCI_RENDER_UNSUPPORTED)
                        continue;
                const char *v = sample(o);
                if (i == OCI_OPT_AUTO_START)
                        v = "no"; /* no default in the table: it depends on [Install], and is yes here */
                if (b == OCI_BACKEND_NSPAWN && i == OCI_OPT_PUBLISH_ADDRESS)
                        continue; /* nspawn forwards ports on every address: nothing to default */
                if (b == OCI_BACKEND_NSPAWN && i == OCI_OPT_VOLUME_BASE_DIR)
                        continue; /* a named volume, its baseline, is an error for nspawn without it */
                if (i == OCI_OPT_BOOT)
                        v = "no"; /* yes is what a definition without Exec= gets anyway */
                if (b == OCI_BACKEND_NSPAWN && i == OCI_OPT_NETWORK)
                        v = "private";
                if (b == OCI_BACKEND_NSPAWN && i == OCI_OPT_IMAGE)
                        v = "/srv/machines/sample";
                if (i == OCI_OPT_RUN_AS)
                        v = "nobody"; /* an account that exists everywhere */
                if (i == OCI_OPT_ALIAS)
                        v = "sample.service"; /* an alias has the unit's type */
                if (i == OCI_OPT_REMAP_USERS)
                        v = "auto"; /* manual does nothing without RemapUid=/RemapGid= */
                if (i == OCI_OPT_KUBE_AUTO_UPDATE)
                        v = "registry";
                if (i == OCI_OPT_HOST_ADDRESS6 || i == OCI_OPT_LOCAL_ADDRESS6)
                        v = "::1"; /* the IPv6 keys take IPv6 addresses only */
                ck_assert_msg(v, "%s: no sample value", oci_str(o->key));

                /* a key of another kind of definition only: try it in the first of those it is in,
                 * with what that kind needs */
                render_type = OCI_UNIT_CONTAINER;
                if (!(o->sections & (OCI_IN(CONTAINER) | OCI_IN(DEFAULTS) | OCI_IN(INSTALL) | OCI_IN(LOGIN) | OCI_IN(QUADLET)))) {
                        if (b == OCI_BACKEND_NSPAWN)
                                continue; /* networks, volumes, images... are for OCI engines */
                        static const struct {
                                OciUnitType type;
                                const char *needs;
                        } kinds[] = {
                                { OCI_UNIT_NETWORK, "" },
                                { OCI_UNIT_POD, "" },
                                { OCI_UNIT_VOLUME, "" },
                                { OCI_UNIT_IMAGE, "Image=docker.io/library/busybox\n" },
                                { OCI_UNIT_BUILD, "ImageTag=localhost/base\nSetWorkingDirectory=unit\n" },
                                { OCI_UNIT_KUBE, "Yaml=/srv/kube/base.yml\n" },
                                { OCI_UNIT_ARTIFACT, "Artifact=quay.io/example/base:1\n" },
                        };
                        size_t k = 0;
                        while (k + 1 < ELEMENTSOF(kinds) && !(o->sections & (1u << oci_unit_type_section(kinds[k].type))))
                                k++;
                        render_type = kinds[k].type;
                        const char *sect = oci_section_to_string(oci_unit_type_section(render_type));
                        const char *rctx = (i == OCI_OPT_GATEWAY || i == OCI_OPT_IP_RANGE)       ? "Subnet=10.0.0.0/24\n"
                                           : (i == OCI_OPT_TYPE || i == OCI_OPT_VOLUME_OPTIONS) ? "Device=/dev/sample\n"
                                           : (b == OCI_BACKEND_DOCKER && (i == OCI_OPT_OS || i == OCI_OPT_VARIANT))
                                                   ? "Arch=arm64\n" /* docker's --platform needs it */
                                                   : "";
                        if (i == OCI_OPT_GATEWAY)
                                v = "10.0.0.1";
                        char rbase[256], rtext[512];
                        snprintf(rbase, sizeof(rbase), "[%s]\nBackend=%s\n%s%s", sect, oci_backend_to_string((OciBackendId) b),
                                 kinds[k].needs, rctx);
                        snprintf(rtext, sizeof(rtext), "%s%s=%s\n", rbase, oci_str(o->key), v);
                        Collected rb = {}, ri = {};
                        char *rbaseline = render_all(rbase, NULL, &rb), *rout = render_all(rtext, NULL, &ri);
                        ck_assert_msg(rbaseline, "%s: the baseline does not generate: %s", oci_str(o->key), rb.text);
                        ck_assert_msg(rout, "%s=%s does not generate: %s", oci_str(o->key), v, ri.text);
                        ck_assert_msg(!streq(rout, rbaseline), "%s=%s has no effect on the %s %s unit", oci_str(o->key), v,
                                      oci_backend_to_string((OciBackendId) b), sect);
                        free(rbaseline);
                        free(rout);
                        render_type = OCI_UNIT_CONTAINER;
                        continue;
                }
                /* some keys only mean something beside another one: both texts get that one */
                const char *image = i == OCI_OPT_ROOTFS ? "Rootfs=/base" : "Image=base";
                const char *ctx = i == OCI_OPT_GROUP                                             ? "User=u\n"
                                  : (i == OCI_OPT_VOLUME_SUB_DIR || i == OCI_OPT_VOLUME_BASE_DIR) ? "Volume=data:/data\n"
                                  : (i == OCI_OPT_REMAP_UID || i == OCI_OPT_REMAP_GID)          ? "RemapUsers=manual\n"
                                  : i == OCI_OPT_REMAP_UID_SIZE                                 ? "RemapUsers=auto\n"
                                                                                                : "";
                char base[512], text[1024];
                /* nspawn forwards ports only from a private network */
                bool nspawn = b == OCI_BACKEND_NSPAWN;
                if (nspawn && (i == OCI_OPT_PUBLISH_PORT || i == OCI_OPT_HOST_ADDRESS || i == OCI_OPT_HOST_ADDRESS6 ||
                               i == OCI_OPT_LOCAL_ADDRESS || i == OCI_OPT_LOCAL_ADDRESS6))
                        ctx = "Network=veth\n";
                snprintf(base, sizeof(base), "[Container]\nBackend=%s\n%s\n%s%s", oci_backend_to_string((OciBackendId) b),
                         image, nspawn ? "" : "PublishPort=80\n", ctx);
                OciDefaults *defaults = NULL;
                if (o->sections & OCI_IN(DEFAULTS) && !(o->sections & OCI_IN(CONTAINER))) {
                        snprintf(text, sizeof(text), "[Defaults]\n%s=%s\n", oci_str(o->key), v);
                        defaults = defaults_from(text);
                        snprintf(text, sizeof(text), "%s", base);
                } else if (o->sections & OCI_IN(LOGIN)) {
                        /* the three keys go together: both texts have all, and differ in this one */
                        static const char login[] = "[Login]\nRegistry=registry.example.org\nUsername=u\nPasswordFile=/p\n";
                        snprintf(text, sizeof(text), "%s%s%s=%s\n", base, login, oci_str(o->key),
                                 o->type == OCI_TYPE_PATH ? "/sample/path" : "sample");
                        strncat(base, login, sizeof(base) - strlen(base) - 1);
                } else if (o->sections & OCI_IN(INSTALL))
                        snprintf(text, sizeof(text), "%s[Install]\n%s=%s\n", base, oci_str(o->key), v);
                else if (i == OCI_OPT_IMAGE || i == OCI_OPT_ROOTFS)
                        snprintf(text, sizeof(text), "[Container]\nBackend=%s\n%s=%s\n%s",
                                 oci_backend_to_string((OciBackendId) b), oci_str(o->key), v, nspawn ? "" : "PublishPort=80\n");
                else
                        snprintf(text, sizeof(text), "%s%s=%s\n", base, oci_str(o->key), v);
                /* VolumeSubDir= needs a VolumeBaseDir= to live under, in both texts */
                OciDefaults *base_defaults = i == OCI_OPT_VOLUME_SUB_DIR ? defaults_from("[Defaults]\nVolumeBaseDir=/srv/volumes\n") : NULL;
                if (base_defaults)
                        defaults = defaults_from("[Defaults]\nVolumeBaseDir=/srv/volumes\n");
                Collected cb = {}, ci = {};
                char *baseline = render_all(base, base_defaults, &cb);
                oci_definition_free(base_defaults);
                ck_assert_msg(baseline, "%s: the baseline does not generate: %s", oci_str(o->key), cb.text);
                char *out = render_all(text, defaults, &ci);
                ck_assert_msg(out, "%s=%s does not generate: %s", oci_str(o->key), v, ci.text);
                ck_assert_msg(!streq(out, baseline), "%s=%s has no effect on the %s unit", oci_str(o->key), v,
                              oci_backend_to_string((OciBackendId) b));
                free(out);
                free(baseline);
                oci_definition_free(defaults);
        }
}
END_TEST

static Suite *make(void) {
        Suite *s = suite_create("options");
        TCase *tc = tcase_create("table");
        tcase_add_test(tc, test_rows_well_formed);
        tcase_add_test(tc, test_reference_types);
        tcase_add_test(tc, test_defaults_valid);
        tcase_add_test(tc, test_kube_column);
        tcase_add_test(tc, test_every_key_has_an_effect);
        suite_add_tcase(s, tc);
        return s;
}
RUN_SUITE(make)
