/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The option table's value- and count-dependent rule columns (one_of, belongs_to, count_le,
 * goes_with): what the generic check of the table says for them, where, and what the key's
 * documentation says of them. */
#include "testutil.h"

#include "check-internal.h"

/* The table's rules alone, on text read as a file of that type, after its values are checked.
 * Returns what oci_check_table_rules() returned; c holds the messages of both steps. */
static int rules_of(OciUnitType type, const char *text, Collected *c) {
        OciDefinition *d;
        ck_assert_int_eq(parse_text_as(type, "t", text, &d, c), 0);
        OciDiagSink sink = { .fn = collect_diag, .userdata = c };
        OciCheckContext ctx = { .sink = &sink, .host = test_host() };
        ck_assert_msg(oci_check_values(d, &ctx) == 0, "values of '%s' rejected: %s", text, c->text);
        int r = oci_check_table_rules(d, &sink);
        oci_definition_free(d);
        return r;
}

static void expect_rule(OciUnitType type, const char *text, unsigned line, const char *msg) {
        Collected c = {};
        ck_assert_msg(rules_of(type, text, &c) == -EINVAL, "'%s' accepted", text);
        ck_assert_msg(c.n_err == 1, "'%s': %u errors, expected 1: %s", text, c.n_err, c.text);
        ck_assert_msg(c.first_err_line == line, "'%s': error on line %u, expected %u: %s", text, c.first_err_line, line, c.text);
        ck_assert_msg(strstr(c.text, msg), "'%s': message lacks '%s': %s", text, msg, c.text);
}

static void expect_no_rule(OciUnitType type, const char *text) {
        Collected c = {};
        ck_assert_msg(rules_of(type, text, &c) == 0 && c.n_err == 0, "'%s' refused: %s", text, c.text);
}

START_TEST(test_one_of) {
        expect_rule(OCI_UNIT_CONTAINER, "\n[Container]\nExec=x\n", 2,
                    "/defs/t.container:2: [Container] has no Image=, which is required (for example "
                    "Image=docker.io/library/nginx:latest), or Rootfs= instead\n");
        expect_no_rule(OCI_UNIT_CONTAINER, "[Container]\nRootfs=/srv/root\n");
        expect_no_rule(OCI_UNIT_CONTAINER, "[Container]\nImage=localhost/x\n");
        /* a group of one key: that key is required, without an "or" */
        expect_rule(OCI_UNIT_KUBE, "[Kube]\nNetwork=host\n", 1, "[Kube] has no Yaml=, which is required (for example Yaml=app.yaml)\n");
        expect_rule(OCI_UNIT_BUILD, "[Build]\nFile=/srv/Containerfile\n", 1,
                    "[Build] has no ImageTag=, which is required (for example ImageTag=localhost/app)\n");
        /* a file whose main section has none of the group's keys is not asked for them */
        expect_no_rule(OCI_UNIT_NETWORK, "[Network]\nSubnet=10.0.0.0/24\n");
        expect_no_rule(OCI_UNIT_POD, "[Pod]\n");
}
END_TEST

START_TEST(test_belongs_to) {
        expect_rule(OCI_UNIT_CONTAINER, "[Container]\nImage=localhost/x\nPod=p.pod\nNetwork=n.network\n", 4,
                    "/defs/t.container:4: Network= of a container in a pod belongs in the .pod: the pod sets it for every member\n");
        expect_rule(OCI_UNIT_CONTAINER, "[Container]\nPublishPort=80\nImage=localhost/x\nPod=p.pod\n", 2,
                    "PublishPort= of a container in a pod belongs in the .pod");
        expect_no_rule(OCI_UNIT_CONTAINER, "[Container]\nImage=localhost/x\nPublishPort=80\nNetwork=n.network\n");
        /* the pod itself has them */
        expect_no_rule(OCI_UNIT_POD, "[Pod]\nPublishPort=80\nNetwork=n.network\n");
}
END_TEST

START_TEST(test_count_le) {
        expect_rule(OCI_UNIT_NETWORK, "[Network]\nSubnet=10.0.0.0/24\nGateway=10.0.0.1\nGateway=10.0.0.2\n", 4,
                    "/defs/t.network:4: more Gateway= than Subnet= lines: each belongs to the Subnet= in its place\n");
        expect_rule(OCI_UNIT_NETWORK, "[Network]\nIPRange=10.0.0.0/28\n", 2, "more IPRange= than Subnet= lines");
        expect_no_rule(OCI_UNIT_NETWORK, "[Network]\nSubnet=10.0.0.0/24\nSubnet=10.1.0.0/24\nGateway=10.0.0.1\nIPRange=10.0.0.0/28\n"
                                         "IPRange=10.1.0.0/28\n");
}
END_TEST

START_TEST(test_goes_with) {
        /* said where the half that is there was written */
        expect_rule(OCI_UNIT_VOLUME, "[Volume]\nLabel=a=b\nDriver=image\n", 3,
                    "/defs/t.volume:3: Image= and Driver=image go together in a .volume\n");
        expect_rule(OCI_UNIT_VOLUME, "[Volume]\nImage=localhost/x\n", 2, "Image= and Driver=image go together in a .volume");
        expect_rule(OCI_UNIT_VOLUME, "[Volume]\nDriver=local\nImage=localhost/x\n", 3, "Image= and Driver=image go together");
        expect_no_rule(OCI_UNIT_VOLUME, "[Volume]\nDriver=image\nImage=localhost/x\n");
        expect_no_rule(OCI_UNIT_VOLUME, "[Volume]\nDriver=local\n");
        /* Driver= of a .network has no Image= to go with */
        expect_no_rule(OCI_UNIT_NETWORK, "[Network]\nDriver=image\n");
}
END_TEST

/* A group's rule is said when any of its keys is set, the first of the group in the table or not
 * (the check looks at the rows a definition set, and at a group's first row when one of its rows
 * is set), and an "apart" rule only when both sides are. */
START_TEST(test_groups) {
        /* Username= is not the first key of its group */
        expect_rule(OCI_UNIT_CONTAINER, "[Container]\nImage=localhost/x\n\n[Login]\nUsername=u\n", 4,
                    "/defs/t.container:4: [Login] needs Registry=, Username= and PasswordFile= together\n");
        expect_rule(OCI_UNIT_CONTAINER, "[Container]\nImage=localhost/x\n[Login]\nPasswordFile=/etc/pw\nRegistry=r.example\n", 3,
                    "[Login] needs Registry=, Username= and PasswordFile= together");
        expect_no_rule(OCI_UNIT_CONTAINER,
                       "[Container]\nImage=localhost/x\n[Login]\nRegistry=r.example\nUsername=u\nPasswordFile=/etc/pw\n");
        expect_rule(OCI_UNIT_CONTAINER, "[Container]\nImage=localhost/x\nUserNS=auto\nRemapUsers=auto\n", 4,
                    "/defs/t.container:4: RemapUsers= and UserNS= exclude each other; keep one\n");
        /* one side only */
        expect_no_rule(OCI_UNIT_CONTAINER, "[Container]\nImage=localhost/x\nUIDMap=0:1:1\nUserNS=auto\n");
}
END_TEST

static void expect_doc(OciOptionId id, const char *text) {
        StrBuf b = {};
        ck_assert_int_eq(oci_option_doc(id, &b), 0);
        ck_assert_msg(b.s && strstr(b.s, text), "%s=: documentation lacks '%s': %s", oci_option_key(id), text, b.s);
        strbuf_done(&b);
}

START_TEST(test_docs) {
        expect_doc(OCI_OPT_IMAGE, " One of Image= or Rootfs= is required.");
        expect_doc(OCI_OPT_ROOTFS, " One of Image= or Rootfs= is required.");
        expect_doc(OCI_OPT_YAML, " Required.");
        expect_doc(OCI_OPT_PULL_IMAGE, " Required.");
        expect_doc(OCI_OPT_NETWORK, " Not with Pod=: the .pod sets it for its members.");
        expect_doc(OCI_OPT_PUBLISH_PORT, " Not with Pod=: the .pod sets it for its members.");
        expect_doc(OCI_OPT_GATEWAY, " No more of them than of Subnet=.");
        expect_doc(OCI_OPT_IP_RANGE, " No more of them than of Subnet=.");
        expect_doc(OCI_OPT_VOLUME_IMAGE, " Set with Driver=image, and only then.");
}
END_TEST

static Suite *make(void) {
        Suite *s = suite_create("rules");
        TCase *tc = tcase_create("core");
        tcase_add_test(tc, test_one_of);
        tcase_add_test(tc, test_belongs_to);
        tcase_add_test(tc, test_count_le);
        tcase_add_test(tc, test_goes_with);
        tcase_add_test(tc, test_groups);
        tcase_add_test(tc, test_docs);
        suite_add_tcase(s, tc);
        return s;
}

RUN_SUITE(make)
