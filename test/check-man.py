#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The man pages document every key of the option table, and render without warnings.

check-man.py GENERATOR PAGE...   (the key list comes from GENERATOR --list-keys)
"""
import os
import re
import shlex
import subprocess
import sys

SECTION_PAGE = {"Container": "oci-containers.container.5", "Quadlet": "oci-containers.container.5",
                "Install": "oci-containers.container.5", "Login": "oci-containers.container.5",
                "Network": "oci-containers.network.5", "Volume": "oci-containers.volume.5",
                "Pod": "oci-containers.pod.5", "Image": "oci-containers.image.5", "Build": "oci-containers.build.5",
                "Kube": "oci-containers.kube.5", "Artifact": "oci-containers.artifact.5",
                "Defaults": "oci-containers.conf.5"}


def main():
    gen, pages = sys.argv[1], sys.argv[2:]
    text = {os.path.basename(p): open(p, encoding="utf-8").read() for p in pages}
    failed = passed = 0
    keys = subprocess.run([*shlex.split(os.environ.get("OCI_TEST_WRAPPER", "")), gen, "--list-keys"], check=True, capture_output=True, text=True).stdout
    for line in keys.splitlines():
        fields = line.split("\t")
        key, sections, doc = fields[0], fields[1], fields[-1]
        if not doc.strip():
            print(f"FAIL {key} has no documentation in the option table")
            failed += 1
        for section in re.findall(r"\[(\w+)\]", sections):
            page = SECTION_PAGE[section]
            # the entry as mkman writes it: the key in bold, then its one-line doc
            if f".TP\n\\fB{key}\\fR\n" not in text.get(page, ""):
                print(f"FAIL {page} does not document {key} of [{section}]")
                failed += 1
            else:
                passed += 1
    env = dict(os.environ, LC_ALL="C.UTF-8")
    for p in pages:
        r = subprocess.run(["groff", "-ww", "-z", "-man", "-Tutf8", p], capture_output=True, text=True, env=env)
        if r.returncode or r.stderr.strip():
            print(f"FAIL {p}: groff warns:\n{r.stderr}")
            failed += 1
        else:
            passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
