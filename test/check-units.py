#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The units shipped in units/: systemd-analyze verify says nothing about them (system and user
sets), the target is installed where each manager looks, the prune service prunes with each
installed engine and skips a missing one, and the report service reads the file the generator
writes its lost messages to, and tells them.

check-units.py SRC_UNITS_DIR BUILD_UNITS_DIR GENERATOR"""
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


def unit_set(files, gen, tmp):
    """The units copied into the directory tmp, the report service's ExecStart= running the built
    generator: systemd-analyze verify checks that the program exists, and it is not installed yet
    (and verify finds units by name in the directories of the files it is given: one of them)."""
    os.makedirs(tmp)
    copies = []
    for path in files:
        text = open(path, encoding="utf-8").read()
        if os.path.basename(path) == "oci-containers-report.service":
            program = keys(path, "Service", "ExecStart")[0].split(" ")[0]
            text = text.replace("ExecStart=" + program + " ", "ExecStart=" + gen + " ")
        copies.append(os.path.join(tmp, os.path.basename(path)))
        with open(copies[-1], "w", encoding="utf-8") as f:
            f.write(text)
    return copies


def check_report(system_unit, user_unit, gen, tmp):
    """The report services run their generator on the file it writes, and that tells the journal
    (here stderr: --report falls back to it) what the generator could not."""
    for name, unit, prog in (("system", system_unit, "oci-containers-generator"),
                             ("user", user_unit, "oci-containers-user-generator")):
        exec_start = keys(unit, "Service", "ExecStart")
        cond = keys(unit, "Unit", "ConditionPathExists")
        check(f"the {name} report service runs {prog} --report on the file the condition names",
              len(exec_start) == 1 and exec_start[0].split(" ")[0].endswith("/" + prog) and
              exec_start[0].split(" ")[1:] == ["--report", cond[0] if cond else None], (exec_start, cond))
        check(f"the {name} report service is not enabled (the generator links it when needed)",
              not keys(unit, "Install", "WantedBy"), keys(unit, "Install", "WantedBy"))
    if os.path.exists("/run/systemd/journal/socket"):
        print("# skip: a journald runs here, so the generator loses no message")
        return
    defs, out = os.path.join(tmp, "defs"), os.path.join(tmp, "out")
    os.makedirs(defs)
    os.makedirs(out)
    with open(os.path.join(defs, "web.container"), "w") as f:
        f.write("[Container]\nImage=localhost/img\nBogus=1\n")
    env = dict(os.environ, OCI_CONTAINERS_UNIT_DIRS=defs, OCI_CONTAINERS_CONF="", SYSTEMD_LOG_TARGET="journal")
    r = subprocess.run([gen, out], env=env, capture_output=True, text=True)
    messages = os.path.basename(keys(system_unit, "Unit", "ConditionPathExists")[0])
    path = os.path.join(out, messages)
    link = os.path.join(out, "multi-user.target.wants", os.path.basename(system_unit))
    check("without a journal, the generator keeps its messages where the report service reads them",
          r.returncode == 1 and os.path.isfile(path) and os.readlink(link).endswith("/" + os.path.basename(system_unit)),
          f"{r.returncode} {sorted(os.listdir(out))} {r.stderr}")
    if os.path.isfile(path):
        r2 = subprocess.run([gen, "--report", path], env=env, capture_output=True, text=True)
        check("--report tells them again", r2.returncode == 0 and r2.stderr == r.stderr, f"{r2.stderr!r} != {r.stderr!r}")


def main():
    src, build, gen = sys.argv[1], sys.argv[2], sys.argv[3]
    if not shutil.which("systemd-analyze"):
        print("no systemd-analyze: skipped")
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        system = [f"{src}/oci-containers.target", f"{src}/oci-containers-prune.timer", f"{build}/oci-containers-prune.service",
                  f"{build}/oci-containers-report.service"]
        user = [f"{src}/user/oci-containers.target", f"{src}/user/oci-containers-prune.timer",
                f"{build}/user/oci-containers-prune.service", f"{src}/oci-containers-wait-network-online.service",
                f"{build}/user/oci-containers-report.service"]
        verify("system units", unit_set(system, gen, os.path.join(tmp, "system")), False, tmp)
        verify("user units", unit_set(user, gen, os.path.join(tmp, "user")), True, tmp)
        check_report(system[3], user[4], gen, tmp)

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
