/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "kube.h"
#include "yaml.h"

/* The label every object of a definition carries: the Service's and the Deployment's selector. */
#define KUBE_NAME_LABEL "app.kubernetes.io/name"

typedef enum KubeRestart {
        KUBE_RESTART_UNSET,
        KUBE_RESTART_ALWAYS,
        KUBE_RESTART_ON_FAILURE,
        KUBE_RESTART_NEVER,
} KubeRestart;

/* A .container or a .pod: what its Pod needs. A container in a pod (member) is one container of
 * its pod's Pod. */
typedef struct KubeWorkload {
        OciUnitType type;
        char *def_name;  /* the definition's name (NAME of NAME.pod) */
        char *pod_ref;   /* a member: its pod definition's name; else NULL */
        char *name;      /* the Kubernetes name: the Pod's, the Service's (a member's: its container's) */
        char *file;      /* for messages */
        YNode *meta;     /* metadata: labels, annotations */
        YNode *spec;     /* the Pod's spec: containers (none for a .pod), volumes, the pod-wide fields */
        YNode *ports;    /* the Service's ports (a list), or NULL */
        YNode *pod_ports; /* a .pod: the ports its first member's container gets (a list), or NULL */
        YNode *pod_mounts; /* a .pod: the volumeMounts every member gets (a list), or NULL */
        KubeRestart restart;
        char *restart_text; /* Restart= as written, for the warning of a Deployment */
} KubeWorkload;

struct OciKubeExport {
        OciKubeWorkload workload;
        YTree t;
        KubeWorkload *w;
        size_t n_w;
        YNode **claims;  /* the PersistentVolumeClaims of the .volume definitions */
        size_t n_claims;
        char **named_claims; /* the claims the Pods' volumes name (a claim of no .volume gets one too) */
};

/* A Kubernetes name (DNS-1123 label, which also a Service's must be) from name: lower case,
 * every run of other characters than letters and digits one '-', none at the ends, at most 63
 * characters; a name that starts with a digit gets "n-" before it, as a Service's must start with
 * a letter. NULL for a name with no letter or digit, or on -ENOMEM (*ret_oom). */
char *kube_name(const char *name, bool *ret_oom);

/* The literal text of an item in unit form: "%%" and "$$" undone, %n %N %p %i resolved for d;
 * *ret_unresolved set when other specifiers or variables are left as written (only systemd
 * resolves them). NULL on -ENOMEM. */
char *kube_literal(const OciDefinition *d, const char *text, bool *ret_unresolved);

/* Whether key is a Kubernetes label key or annotation key (an optional DNS-1123 subdomain prefix
 * and '/', then a name of at most 63 letters, digits, '-', '_', '.', alphanumeric at the ends),
 * and value a label's value (empty, or such a name). */
bool kube_label_key_valid(const char *key);
bool kube_label_value_valid(const char *value);

/* The workload of a .container (kube-container.c) and of a .pod: filled into w. Return 0,
 * -EINVAL (an error reported) or -ENOMEM. */
int kube_container(OciKubeExport *e, const OciDefinition *d, OciDiagSink *sink, KubeWorkload *w);
int kube_pod(OciKubeExport *e, const OciDefinition *d, OciDiagSink *sink, KubeWorkload *w);
/* The parts a .container and a .pod share: labels into w->meta, ports into the container's ports
 * (ctr) and w->ports, volumes into w->spec's volumes and mounts, the network into w->spec. */
int kube_labels(OciKubeExport *e, const OciDefinition *d, OciDiagSink *sink, OciOptionId id, YNode *meta);
int kube_annotations(OciKubeExport *e, const OciDefinition *d, OciDiagSink *sink, YNode *meta);
int kube_ports(OciKubeExport *e, const OciDefinition *d, OciDiagSink *sink, YNode *ctr_ports, KubeWorkload *w);
int kube_volumes(OciKubeExport *e, const OciDefinition *d, OciDiagSink *sink, YNode *mounts, KubeWorkload *w);
int kube_dns_hosts(OciKubeExport *e, const OciDefinition *d, OciDiagSink *sink, KubeWorkload *w);
int kube_network(OciKubeExport *e, const OciDefinition *d, OciDiagSink *sink, KubeWorkload *w);
