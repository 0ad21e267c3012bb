#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The README's definitions are valid: every block introduced by a line that is only a path and a
colon ("/etc/oci-containers.d/web.container:", then an empty line, then the file indented by four
spaces) is written to that path under a temporary directory and checked with --check, which must
print nothing (no error, no warning). Definitions under ~/.config are checked with --user; the
defaults file /etc/oci-containers.conf is the defaults file of both checks.

check-readme.py GENERATOR README"""
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checklib import check, check_summary, finish, wrapped  # noqa: E402

HEADER = re.compile(r"^(\S+\.(?:container|network|volume|pod|conf)):$")


def blocks(text):
    """(path, content) of every marked block, in order."""
    lines = text.split("\n")
    out = []
    for i, line in enumerate(lines):
        m = HEADER.match(line)
        if not m or i + 2 >= len(lines) or lines[i + 1] != "" or not lines[i + 2].startswith("    "):
            continue
        body = []
        for b in lines[i + 2:]:
            if b and not b.startswith("    "):
                break
            body.append(b[4:])
        while body and not body[-1]:
            body.pop()
        out.append((m.group(1), "\n".join(body) + "\n"))
    return out


def where(tmp, path):
    """The file's place in the temporary tree, and whether it is a user's definition."""
    if path == "/etc/oci-containers.conf":
        return os.path.join(tmp, "oci-containers.conf"), None
    for prefix, user in (("/etc/oci-containers.d/", False), ("~/.config/oci-containers.d/", True)):
        if path.startswith(prefix):
            return os.path.join(tmp, "user" if user else "system", path[len(prefix):]), user
    raise ValueError(f"{path}: not a path the test knows where to put")


def main():
    gen, readme = os.path.abspath(sys.argv[1]), sys.argv[2]
    found = blocks(open(readme, encoding="utf-8").read())
    kinds = {os.path.splitext(p)[1] for p, _ in found}
    check("the README has a marked example of each kind of file",
          {".container", ".network", ".volume", ".pod", ".conf"} <= kinds, sorted(kinds))
    paths = [p for p, _ in found]
    check("each marked path is given once", len(paths) == len(set(paths)), paths)
    with tempfile.TemporaryDirectory() as tmp:
        conf = ""
        for path, content in found:
            dest, user = where(tmp, path)
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            with open(dest, "w", encoding="utf-8") as f:
                f.write(content)
            if user is None:
                conf = dest
        env = dict(os.environ, OCI_CONTAINERS_CONF=conf, OCI_CONTAINERS_UNIT_DIRS="/nonexistent")
        for user in (False, True):
            d = os.path.join(tmp, "user" if user else "system")
            if not os.path.isdir(d):
                continue
            r = subprocess.run([*wrapped(gen), *(["--user"] if user else []), "--check", d], capture_output=True, text=True, env=env)
            n = sum(1 for p, _ in found if where(tmp, p)[1] is user)
            check(f"--check{' --user' if user else ''}: the README's {n} files are valid, without a warning",
                  r.returncode == 0 and not r.stdout and not check_summary(r.stderr), (r.stdout + r.stderr).replace(tmp, "TMP"))
        # and the check does see them: a broken copy of the first definition is reported
        first = next(p for p, _ in found if p.endswith(".container"))
        dest, user = where(tmp, first)
        with open(dest, "a", encoding="utf-8") as f:
            f.write("\n[Container]\nPrivileged=maybe\n")
        r = subprocess.run([*wrapped(gen), "--check", os.path.dirname(dest)], capture_output=True, text=True, env=env)
        check("the check reads the extracted files (a broken one fails)", r.returncode == 1 and dest in r.stdout, r.stdout)
    print(f"checked: {', '.join(paths)}")
    return finish()


if __name__ == "__main__":
    sys.exit(main())
