#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The bash completion: valid bash, registered for the generator, offering exactly the options of
--help, and files and directories after --check.

check-completion.py GENERATOR COMPLETION_FILE"""
import os
import re
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


def complete(path, *words, cwd=None):
    r = subprocess.run(["bash", "-c", DRIVER, "bash", "oci-containers-generator", *words], capture_output=True,
                       text=True, env=dict(os.environ, COMPLETION=path), cwd=cwd)
    return r.returncode, sorted(w for w in r.stdout.split("\n") if w), r.stderr


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
    return finish()


if __name__ == "__main__":
    sys.exit(main())
