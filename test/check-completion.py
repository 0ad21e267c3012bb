#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The bash completion: valid bash, registered for the generator, offering exactly the options of
--help, files and directories after --check, and after --list-keys the file types, then the keys
of the type named (as the program lists them, for every type).

check-completion.py GENERATOR COMPLETION_FILE"""
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checklib import check, finish, wrapped  # noqa: E402

# completes the command line given as arguments (the last one the word being completed)
DRIVER = r'''
source "$COMPLETION" || exit 3
complete -p oci-containers-generator >/dev/null || exit 4
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
_oci_containers_generator
printf '%s\n' "${COMPREPLY[@]}"
'''


def complete(path, *words, cwd=None, bindir=None):
    env = dict(os.environ, COMPLETION=path)
    if bindir:
        env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    r = subprocess.run(["bash", "-c", DRIVER, "bash", "oci-containers-generator", *words], capture_output=True,
                       text=True, env=env, cwd=cwd)
    return r.returncode, sorted(w for w in r.stdout.split("\n") if w), r.stderr


# The file types, and keys that only some take: what completing after --list-keys TYPE must offer
# (or not), written here from the manual pages, not read from the program.
TYPES = ["artifact", "build", "container", "image", "kube", "network", "pod", "volume"]
ONLY = {
    "container": (["Image", "Exec", "PublishPort", "Mount"], ["Yaml", "ImageTag", "Artifact", "Subnet"]),
    "image": (["Image", "ImageTag", "AllTags", "Policy", "Creds"], ["Exec", "Yaml", "File", "Artifact"]),
    "build": (["ImageTag", "File", "SetWorkingDirectory", "BuildArg", "Target"], ["Exec", "Yaml", "AllTags", "Artifact"]),
    "kube": (["Yaml", "ConfigMap", "KubeDownForce", "PublishPort"], ["Exec", "Image", "ImageTag", "Artifact"]),
    "artifact": (["Artifact", "Quiet", "Creds", "TLSVerify"], ["Exec", "Image", "Yaml", "ImageTag"]),
}


def keys_in_sections(gen, section):
    """The keys --list-keys (all of them) says a [section] takes, without '='."""
    out = subprocess.run([*wrapped(gen), "--list-keys"], capture_output=True, text=True, check=True).stdout
    keys = set()
    for line in out.splitlines()[1:]:
        f = line.split("\t")
        if section in re.findall(r"\[(\w+)\]", f[1]):
            keys.add(f[0].rstrip("="))
    return keys


def check_list_keys(gen, path, tmp):
    # the completion runs the program by the name it completes for: here, one on a PATH of our own
    bindir = os.path.join(tmp, "bin")
    os.mkdir(bindir)
    prog = os.path.join(bindir, "oci-containers-generator")
    with open(prog, "w") as f:
        f.write("#!/bin/sh\nexec %s \"$@\"\n" % " ".join(shlex.quote(w) for w in wrapped(gen)))
    os.chmod(prog, 0o755)

    rc, got, err = complete(path, "--list-keys", "", bindir=bindir)
    check("after --list-keys: the file types", got == TYPES, f"{got} {err}")
    rc, got, err = complete(path, "--list-keys", "ku", bindir=bindir)
    check("after --list-keys: a type by its beginning", got == ["kube"], f"{got} {err}")
    for t in TYPES:
        rc, got, err = complete(path, "--list-keys", t, "", bindir=bindir)
        # the keys of the type's own section and of the sections every file has (a .container's
        # [Login] too)
        want = set()
        for section in (t.capitalize(), "Install", "Quadlet") + (("Login",) if t == "container" else ()):
            want |= keys_in_sections(gen, section)
        check(f"after --list-keys {t}: exactly the keys of a .{t} file", rc == 0 and got == sorted(want),
              f"{sorted(set(got) ^ want)} {err}")
        has, lacks = ONLY.get(t, ([], []))
        check(f"after --list-keys {t}: its own keys, not another type's", set(has) <= set(got) and not set(lacks) & set(got),
              f"{got}")
        rc, got, err = complete(path, "--list-keys", t, "Ba", bindir=bindir)
        check(f"after --list-keys {t}: a key by its beginning", got == ["Backend"], f"{got} {err}")
    # a later key word still completes keys of the type named first
    rc, got, err = complete(path, "--list-keys", "kube", "Yaml", "Conf", bindir=bindir)
    check("after --list-keys kube KEY: another key", got == ["ConfigMap"], f"{got} {err}")
    # and what is offered is what the program takes
    r = subprocess.run([*wrapped(gen), "--list-keys", "kube", "Yaml", "ConfigMap="], capture_output=True, text=True)
    check("--list-keys kube Yaml ConfigMap= lists those two", r.returncode == 0 and
          [l.split("\t")[0] for l in r.stdout.splitlines()[1:]] == ["Yaml=", "ConfigMap="], r.stdout + r.stderr)
    r = subprocess.run([*wrapped(gen), "--list-keys", "web.image", "Yaml"], capture_output=True, text=True)
    check("--list-keys web.image Yaml: an error, .image files have no Yaml=", r.returncode == 2 and "no key Yaml" in r.stderr,
          r.stdout + r.stderr)


def main():
    gen, path = sys.argv[1], os.path.abspath(sys.argv[2])
    if not shutil.which("bash"):
        print("no bash: skipped")
        return 77
    r = subprocess.run(["bash", "-n", path], capture_output=True, text=True)
    check("bash -n: the file parses", r.returncode == 0 and not r.stderr, r.stderr)

    r = subprocess.run(["bash", "-c", 'source "$0" && complete -p oci-containers-generator oci-containers-user-generator', path],
                       capture_output=True, text=True)
    check("sourced, it registers a completion for both generator names",
          r.returncode == 0 and r.stdout.count("-F _oci_containers_generator") == 2, r.stdout + r.stderr)

    help_text = subprocess.run([*wrapped(gen), "--help"], capture_output=True, text=True, check=True).stdout
    want = sorted(set(re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", help_text.split("\n\n", 2)[2].split("\n\n")[0])))
    rc, got, err = complete(path, "-")
    check("'-' completes to exactly the options of --help", rc == 0 and got == want, f"{got} != {want} {err}")
    rc, got, err = complete(path, "--dr")
    check("'--dr' completes to --dry-run", got == ["--dry-run"], f"{got} {err}")

    with tempfile.TemporaryDirectory() as tmp:
        os.mkdir(os.path.join(tmp, "defs"))
        open(os.path.join(tmp, "web.container"), "w").close()
        rc, got, err = complete(path, "--check", "", cwd=tmp)
        check("after --check: files and directories", got == ["defs", "web.container"], f"{got} {err}")
        rc, got, err = complete(path, "--check", "we", cwd=tmp)
        check("after --check: a file by its beginning", got == ["web.container"], f"{got} {err}")
        rc, got, err = complete(path, "", cwd=tmp)
        check("without --check: output directories only", got == ["defs"], f"{got} {err}")
        rc, got, err = complete(path, "--export", "=", "", cwd=tmp)
        check("after --export=: the format kube", got == ["kube"], f"{got} {err}")
        rc, got, err = complete(path, "--export", "=", "kube", "", cwd=tmp)
        check("after --export=kube: files and directories", got == ["defs", "web.container"], f"{got} {err}")
        rc, got, err = complete(path, "--export", "=", "kube", "--kube-kind", "=", "", cwd=tmp)
        check("after --kube-kind=: pod and deployment", got == ["deployment", "pod"], f"{got} {err}")
        check_list_keys(gen, path, tmp)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
