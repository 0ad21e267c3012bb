#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The man pages document every key of the option table, hold no stray control byte, and render
without warnings (groff -ww for two devices, mandoc -Tlint where it is installed).

check-man.py GENERATOR [--command COMMAND] PAGE...   (the key list comes from GENERATOR --list-keys;
oci-containers(1) documents every command and option of COMMAND --help)
"""
import os
import re
import shlex
import shutil
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
    command = None
    if pages[:1] == ["--command"]:
        command, pages = pages[1], pages[2:]
    text = {os.path.basename(p): open(p, encoding="utf-8").read() for p in pages}
    failed = passed = 0
    if command:
        help_text = subprocess.run([*shlex.split(os.environ.get("OCI_TEST_WRAPPER", "")), command, "--help"], check=True,
                                   capture_output=True, text=True).stdout
        page = text.get("oci-containers.1", "")
        verbs = re.findall(r"^  ([a-z]+) ", help_text.split("Commands:\n", 1)[1].split("\n\n")[0], re.M)
        opts = set(re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", help_text.split("Options:\n", 1)[1]))
        for word in verbs + sorted(opts):
            # as roff has it, a dash is \-: a command or option in bold, "-o" with its "json"
            roff = word.replace("-", "\\-")
            if not re.search(r"^\.B[RI]?\s(.*\s)?" + re.escape(roff) + r"(\s|$)", page, re.M) and roff + " json" not in page:
                print(f"FAIL oci-containers.1 does not document {word} of --help")
                failed += 1
            else:
                passed += 1
    keys = subprocess.run([*shlex.split(os.environ.get("OCI_TEST_WRAPPER", "")), gen, "--list-keys"], check=True, capture_output=True, text=True).stdout
    for line in keys.splitlines()[1:]:  # after the header
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
        with open(p, "rb") as f:
            raw = f.read()
        bad = sorted({f"0x{b:02x}" for b in raw if b < 0x20 and b not in (0x09, 0x0a)})
        if bad:
            print(f"FAIL {p}: control bytes {', '.join(bad)} (a form feed is what \\f becomes in a string that is not raw)")
            failed += 1
        else:
            passed += 1
        # each device once: -Tutf8 takes a stray control byte silently, -Tascii warns of it
        for dev in ("utf8", "ascii"):
            r = subprocess.run(["groff", "-ww", "-z", "-man", f"-T{dev}", p], capture_output=True, text=True, env=env)
            if r.returncode or r.stderr.strip():
                print(f"FAIL {p}: groff -T{dev} warns:\n{r.stderr}")
                failed += 1
            else:
                passed += 1
        # mandoc's lint, where it is installed (CI installs it): warnings and errors, not style
        if shutil.which("mandoc"):
            r = subprocess.run(["mandoc", "-Tlint", "-W", "warning", p], capture_output=True, text=True, env=env)
            if r.returncode or r.stdout.strip() or r.stderr.strip():
                print(f"FAIL {p}: mandoc -Tlint:\n{r.stdout}{r.stderr}")
                failed += 1
            else:
                passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
