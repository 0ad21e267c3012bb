/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <assert.h>

#include "filetype.h"

/* [Quadlet], [Install], [Unit] and [Service] are in every kind of file. */
#define COMMON (OCI_IN(QUADLET) | OCI_IN(INSTALL) | OCI_IN(UNIT) | OCI_IN(SERVICE))

const OciFileType oci_file_types[_OCI_UNIT_TYPE_MAX] = {
        [OCI_UNIT_CONTAINER] = {
                .extension = ".container",
                .section = OCI_SECTION_CONTAINER,
                .sections = COMMON | OCI_IN(CONTAINER) | OCI_IN(LOGIN),
                .suffix = "",
                .order = 0,
                .man = "oci-containers.container(5)",
                .needs = ", with at least Image=",
                .name_key = OCI_OPT_CONTAINER_NAME,
                .autostart = true,
                .joined_whole = true,
                .exported = true,
        },
        [OCI_UNIT_NETWORK] = {
                .extension = ".network",
                .section = OCI_SECTION_NETWORK,
                .sections = COMMON | OCI_IN(NETWORK),
                .suffix = "-network",
                .order = 1,
                .man = "oci-containers.network(5)",
                .needs = NULL,
                .name_key = OCI_OPT_NETWORK_NAME,
                .oneshot = true,
                .exported = true,
        },
        [OCI_UNIT_VOLUME] = {
                .extension = ".volume",
                .section = OCI_SECTION_VOLUME,
                .sections = COMMON | OCI_IN(VOLUME),
                .suffix = "-volume",
                .order = 2,
                .man = "oci-containers.volume(5)",
                .needs = NULL,
                .name_key = OCI_OPT_VOLUME_NAME,
                .oneshot = true,
                .exported = true,
        },
        [OCI_UNIT_POD] = {
                .extension = ".pod",
                .section = OCI_SECTION_POD,
                .sections = COMMON | OCI_IN(POD),
                .suffix = "-pod",
                .order = 3,
                .man = "oci-containers.pod(5)",
                .needs = NULL,
                .name_key = OCI_OPT_POD_NAME,
                .exported = true,
        },
        [OCI_UNIT_IMAGE] = {
                .extension = ".image",
                .section = OCI_SECTION_IMAGE,
                .sections = COMMON | OCI_IN(IMAGE),
                .suffix = "-image",
                .order = 4,
                .man = "oci-containers.image(5)",
                .needs = ", with at least Image=",
                .name_key = _OCI_OPT_INVALID,
                .fetches = true,
                .resource_as_written = true,
                .oneshot = true,
        },
        [OCI_UNIT_BUILD] = {
                .extension = ".build",
                .section = OCI_SECTION_BUILD,
                .sections = COMMON | OCI_IN(BUILD),
                .suffix = "-build",
                .order = 5,
                .man = "oci-containers.build(5)",
                .needs = ", with at least ImageTag= and SetWorkingDirectory= or File=",
                .name_key = _OCI_OPT_INVALID,
                .fetches = true,
                .resource_as_written = true,
                .oneshot = true,
        },
        [OCI_UNIT_KUBE] = {
                .extension = ".kube",
                .section = OCI_SECTION_KUBE,
                .sections = COMMON | OCI_IN(KUBE),
                .suffix = "",
                .order = 6,
                .man = "oci-containers.kube(5)",
                .needs = ", with at least Yaml=",
                .name_key = _OCI_OPT_INVALID,
                .autostart = true,
                .fetches = true,
        },
        [OCI_UNIT_ARTIFACT] = {
                .extension = ".artifact",
                .section = OCI_SECTION_ARTIFACT,
                .sections = COMMON | OCI_IN(ARTIFACT),
                .suffix = "-artifact",
                .order = 7,
                .man = "oci-containers.artifact(5)",
                .needs = ", with at least Artifact=",
                .name_key = _OCI_OPT_INVALID,
                .fetches = true,
                .resource_as_written = true,
                .oneshot = true,
        },
};

const OciFileType *oci_file_type(OciUnitType t) {
        assert(t >= 0 && t < _OCI_UNIT_TYPE_MAX);
        return &oci_file_types[t];
}

const char *oci_unit_type_extension(OciUnitType t) {
        return t >= 0 && t < _OCI_UNIT_TYPE_MAX ? oci_file_types[t].extension : NULL;
}

OciSection oci_unit_type_section(OciUnitType t) {
        return t >= 0 && t < _OCI_UNIT_TYPE_MAX ? oci_file_types[t].section : _OCI_SECTION_INVALID;
}

unsigned oci_unit_type_sections(OciUnitType t) {
        return t >= 0 && t < _OCI_UNIT_TYPE_MAX ? oci_file_types[t].sections : 0;
}

const char *oci_unit_type_suffix(OciUnitType t) {
        return t >= 0 && t < _OCI_UNIT_TYPE_MAX ? oci_file_types[t].suffix : "";
}

OciUnitType oci_unit_type_from_filename(const char *filename) {
        assert(filename);
        for (size_t i = 0; i < _OCI_UNIT_TYPE_MAX; i++) {
                const char *e = endswith(filename, oci_file_types[i].extension);
                if (e && e != filename)
                        return (OciUnitType) i;
        }
        return _OCI_UNIT_TYPE_INVALID;
}

int oci_unit_type_list(StrBuf *out, const char *last_sep) {
        assert(out && last_sep);
        int r = 0;
        for (size_t t = 0; r >= 0 && t < _OCI_UNIT_TYPE_MAX; t++)
                r = strbuf_printf(out, "%s%s", t == 0 ? "" : t + 1 == _OCI_UNIT_TYPE_MAX ? last_sep : ", ", oci_file_types[t].extension);
        return r;
}
