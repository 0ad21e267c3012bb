/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* --export=kube: Kubernetes YAML made from checked definitions, without running anything. The
 * generator hands over each definition that passed its checks (and had its references resolved)
 * as it is processed; what the YAML needs of it is kept, the definition let go of, and once every
 * definition is done the objects are written: the PersistentVolumeClaims, then by name each Pod
 * (or Deployment) and the Service of its published ports. What each key becomes is the kube column
 * of its row in the option table; a key the user set that has no Kubernetes meaning is a warning
 * naming it. */

#include "model.h"

typedef enum OciKubeWorkload {
        OCI_KUBE_POD,
        OCI_KUBE_DEPLOYMENT,
        _OCI_KUBE_WORKLOAD_MAX,
        _OCI_KUBE_WORKLOAD_INVALID = -EINVAL,
} OciKubeWorkload;

const char *oci_kube_workload_to_string(OciKubeWorkload w);
OciKubeWorkload oci_kube_workload_from_string(const char *s);

typedef struct OciKubeExport OciKubeExport;

OciKubeExport *oci_kube_new(OciKubeWorkload workload);
OciKubeExport *oci_kube_free(OciKubeExport *e);

/* Keeps what the YAML needs of d (a checked definition, its references resolved). Problems go to
 * sink with d's file and line. Returns 0 (warnings maybe), -EINVAL when d cannot be exported (an
 * error reported; nothing of d is kept) or -ENOMEM. */
int oci_kube_add(OciKubeExport *e, const OciDefinition *d, OciDiagSink *sink);

/* The documents, "---" before each, appended to out; *ret_n their number. Returns 0 or -ENOMEM. */
int oci_kube_write(OciKubeExport *e, OciDiagSink *sink, StrBuf *out, unsigned *ret_n);
