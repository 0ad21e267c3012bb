#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The bash completion of oci-containers: valid bash, registered for the command, offering the verbs
first, then exactly the options of --help that the verb takes, and files after check and install.

check-completion-command.py COMMAND COMPLETION_FILE"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checklib import check, finish, wrapped  # noqa: E402

DRIVER = r'''
source "$COMPLETION" || exit 3
complete -p oci-containers >/dev/null || exit 4
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
_oci_containers
printf '%s\n' "${COMPREPLY[@]}"
'''


def complete(path, *words, cwd=None):
    r = subprocess.run(["bash", "-c", DRIVER, "bash", "oci-containers", *words], capture_output=True,
                       text=True, env=dict(os.environ, COMPLETION=path), cwd=cwd)
    return r.returncode, sorted(w for w in r.stdout.split("\n") if w), r.stderr


def main():
    cmd, path = sys.argv[1], os.path.abspath(sys.argv[2])
    if not shutil.which("bash"):
        print("no bash: skipped")
        return 77
    r = subprocess.run(["bash", "-n", path], capture_output=True, text=True)
    check("bash -n: the file parses", r.returncode == 0 and not r.stderr, r.stderr)

    help_text = subprocess.run([*wrapped(cmd), "--help"], capture_output=True, text=True, check=True).stdout
    verbs = sorted(re.findall(r"^  ([a-z]+) ", help_text.split("Commands:\n", 1)[1].split("\n\n")[0], re.M))
    options = sorted(set(re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", help_text.split("Options:\n", 1)[1].split("\n\n")[0])))
    rc, got, err = complete(path, "")
    check("first: exactly the commands of --help", rc == 0 and got == verbs, f"{got} != {verbs} {err}")
    # every option of --help is offered after some verb, and none that --help lacks
    offered = set()
    for verb in verbs:
        rc, got, err = complete(path, verb, "-")
        offered.update(got)
    check("the options offered are exactly those of --help", sorted(offered) == options, f"{sorted(offered)} != {options}")
    rc, got, err = complete(path, "apply", "--")
    check("apply offers --dry-run, not --now", "--dry-run" in got and "--now" not in got, f"{got} {err}")
    rc, got, err = complete(path, "install", "--")
    check("install offers --now and --replace", "--now" in got and "--replace" in got and "--json" not in got, f"{got} {err}")
    rc, got, err = complete(path, "--user", "li")
    check("a global option before the command: the command still completes", got == ["list"], f"{got} {err}")
    rc, got, err = complete(path, "list", "-o", "")
    check("-o: json or table", got == ["json", "table"], f"{got} {err}")
    with tempfile.TemporaryDirectory() as tmp:
        open(os.path.join(tmp, "web.container"), "w").close()
        rc, got, err = complete(path, "install", "we", cwd=tmp)
        check("install: files", got == ["web.container"], f"{got} {err}")
        rc, got, err = complete(path, "check", "", cwd=tmp)
        check("check: files", got == ["web.container"], f"{got} {err}")
    return finish()


if __name__ == "__main__":
    sys.exit(main())
