#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The units shipped in units/: systemd-analyze verify says nothing about them (system and user
sets), the target is installed where each manager looks, and the prune service prunes with each
installed engine and skips a missing one.

check-units.py SRC_UNITS_DIR BUILD_UNITS_DIR"""
import os
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checklib import check, finish  # noqa: E402


def keys(path, section, key):
    values, cur = [], None
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if line.startswith("["):
            cur = line[1:-1]
        elif cur == section and line.startswith(key + "="):
            values.append(line[len(key) + 1:])
    return values


def verify(name, files, user, runtime):
    args = ["systemd-analyze", "verify", "--man=no"] + (["--user"] if user else []) + files
    r = subprocess.run(args, capture_output=True, text=True, env=dict(os.environ, XDG_RUNTIME_DIR=runtime))
    out = (r.stdout + r.stderr).strip()
    check(f"systemd-analyze verify: {name}", r.returncode == 0 and not out, f"exit {r.returncode}: {out}")


def run_exec(line, engine):
    """Run an ExecStart= line of the prune service as systemd would ("$$" is "$"), with ENGINE
    as the engine's path; the engine's arguments are recorded in a file beside it."""
    argv = shlex.split(line.replace("$$", "$"))
    argv[-1] = engine
    return subprocess.run(argv, capture_output=True, text=True)


def main():
    src, build = sys.argv[1], sys.argv[2]
    if not shutil.which("systemd-analyze"):
        print("no systemd-analyze: skipped")
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        system = [f"{src}/oci-containers.target", f"{src}/oci-containers-prune.timer", f"{build}/oci-containers-prune.service"]
        user = [f"{src}/user/oci-containers.target", f"{src}/user/oci-containers-prune.timer",
                f"{build}/user/oci-containers-prune.service", f"{src}/oci-containers-wait-network-online.service"]
        verify("system units", system, False, tmp)
        verify("user units", user, True, tmp)

        check("the system target starts with multi-user.target",
              keys(system[0], "Install", "WantedBy") == ["multi-user.target"], keys(system[0], "Install", "WantedBy"))
        check("the user target starts with default.target",
              keys(user[0], "Install", "WantedBy") == ["default.target"], keys(user[0], "Install", "WantedBy"))
        for name, timer in (("system", system[1]), ("user", user[1])):
            check(f"the {name} prune timer is enabled into timers.target (when enabled)",
                  keys(timer, "Install", "WantedBy") == ["timers.target"])

        sys_exec = keys(system[2], "Service", "ExecStart")
        user_exec = keys(user[2], "Service", "ExecStart")
        check("the system prune service runs podman, then docker", len(sys_exec) == 2 and
              sys_exec[0].endswith("/podman") and sys_exec[1].endswith("/docker"), sys_exec)
        check("the user prune service runs podman only", len(user_exec) == 1 and user_exec[0].endswith("/podman"), user_exec)

        fake = os.path.join(tmp, "engine")
        record = fake + ".args"
        with open(fake, "w") as f:
            f.write(f"#!/bin/sh\necho \"$@\" >> {shlex.quote(record)}\n")
        os.chmod(fake, stat.S_IRWXU)
        r = run_exec(sys_exec[0], fake)
        got = open(record).read() if os.path.exists(record) else ""
        check("an installed podman prunes dangling images", r.returncode == 0 and got == "image prune -f\n",
              f"exit {r.returncode}, args {got!r}, {r.stderr}")
        r = run_exec(sys_exec[0], os.path.join(tmp, "missing"))
        check("a podman that is not installed is skipped, successfully", r.returncode == 0 and not r.stderr, f"{r.returncode} {r.stderr}")
        r = run_exec(sys_exec[1], os.path.join(tmp, "missing"))
        check("a docker that is not installed is skipped, successfully", r.returncode == 0 and not r.stderr, f"{r.returncode} {r.stderr}")
    return finish()


if __name__ == "__main__":
    sys.exit(main())
