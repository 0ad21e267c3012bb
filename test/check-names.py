#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Names and claims, through every mode of the program: a name a definition writes is claimed the
same way by --check, --dry-run and a real run, so the three say the same thing; --dry-run prints
no two units of one name; the installed units a generated one would replace are looked for where
systemd reads them, for the system and for a user's manager.

check-names.py GENERATOR"""
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checklib import check, finish, generated, wrapped  # noqa: E402

GEN = None
IMAGE = "[Container]\nImage=localhost/img\n"


def write(d, name, text):
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "w") as f:
        f.write(text)


def env_for(defs, installed=""):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OCI_CONTAINERS_", "SYSTEMD_"))}
    env.update(OCI_CONTAINERS_UNIT_DIRS=defs, OCI_CONTAINERS_CONF="", OCI_CONTAINERS_SYSTEMD_UNIT_DIRS=installed,
               SYSTEMD_LOG_TARGET="console")
    return env


def run(defs, *args, env=None):
    return subprocess.run([*wrapped(GEN), *args], capture_output=True, text=True, env=env or env_for(defs))


def dry_run_units(stdout):
    """The unit names --dry-run printed, in order (link lines left out)."""
    return [m.group(1) for m in re.finditer(r"^---([^-\n][^\n]*?)---$", stdout, re.M) if ": link " not in m.group(1)]


def modes(tmp, name, files):
    """--check, --dry-run and a real run of the definitions files (name -> text)."""
    defs = os.path.join(tmp, name)
    for f, text in files.items():
        write(defs, f, text)
    out = os.path.join(tmp, name + "-out")
    os.mkdir(out)
    return defs, run(defs, "--check"), run(defs, "--dry-run"), run(defs, out), out


def check_companions(tmp):
    """Every way another definition can take NAME-pull.service's name: the companion yields, in
    every mode, with one warning naming both files; the rest is written whole."""
    scenarios = {
        "file": {"web.container": IMAGE, "web-pull.container": IMAGE},
        "service-name-later": {"web.container": IMAGE, "zz.container": IMAGE + "ServiceName=web-pull\n"},
        "service-name-first": {"web.container": IMAGE, "aa.container": IMAGE + "ServiceName=web-pull\n"},
        "alias-later": {"web.container": IMAGE, "zz.container": IMAGE + "[Install]\nAlias=web-pull.service\n"},
        "alias-first": {"web.container": IMAGE, "aa.container": IMAGE + "[Install]\nAlias=web-pull.service\n"},
    }
    for name, files in scenarios.items():
        defs, chk, dry, real, out = modes(tmp, "companion-" + name, files)
        other = next(f for f in files if f != "web.container")
        warning = (f"{defs}/web.container: web-pull.service, the NAME-pull.service of this definition, is left out: "
                   f"{defs}/{other} ")
        check(f"companion, {name}: --check warns, naming both files, and exits 0",
              chk.returncode == 0 and f"{defs}/web.container: warning: web-pull.service, the NAME-pull.service" in chk.stdout
              and f"left out: {defs}/{other} " in chk.stdout, f"exit {chk.returncode}: {chk.stdout!r}")
        units = dry_run_units(dry.stdout)
        check(f"companion, {name}: --dry-run prints each unit once, without web's companion",
              dry.returncode == 0 and len(units) == len(set(units)) and "web.service" in units and
              (("web-pull.service" in units) == name.startswith(("file", "service-name"))), f"{units} {dry.stderr!r}")
        check(f"companion, {name}: --dry-run says so as --check does", warning in dry.stderr, repr(dry.stderr))
        made = sorted(generated(out))
        check(f"companion, {name}: generated, both definitions, with the same warning",
              real.returncode == 0 and warning in real.stderr and "web.service" in made and "File exists" not in real.stderr,
              f"exit {real.returncode}, {made}: {real.stderr!r}")
        path = os.path.join(out, "web-pull.service")
        if name.startswith("alias"):
            ok = os.path.islink(path) and os.readlink(path) == other.replace(".container", ".service")
        else:
            ok = os.path.isfile(path) and not os.path.islink(path) and f"SourcePath={defs}/{other}\n" in open(path).read()
        check(f"companion, {name}: web-pull.service is the other definition's", ok, f"{made}")

    # the same clash between two companions cannot happen: their services' names differ. An alias
    # that takes a definition's own unit is an error, and --check exits 1 for it as generation does
    defs, chk, dry, real, out = modes(tmp, "alias-of-unit", {"web.container": IMAGE, "zz.container": IMAGE + "[Install]\nAlias=web.service\n"})
    check("an alias of another's unit: an error in --check and in generation alike",
          chk.returncode == 1 and real.returncode == 1 and f"{defs}/zz.container:4:7: error: Alias=web.service is taken" in chk.stdout
          and f"{defs}/zz.container:4: Alias=web.service is taken" in real.stderr, f"{chk.stdout!r} {real.stderr!r}")


def check_engine_names(tmp):
    defs, chk, dry, real, out = modes(tmp, "engine", {"a.container": IMAGE + "ContainerName=db\n", "b.container": IMAGE + "ContainerName=db\n"})
    expect = f"the container's name, db, is that of the container of {defs}/a.container too"
    check("two ContainerName=db: --check says so of the later one and exits 1",
          chk.returncode == 1 and f"{defs}/b.container:3:15: error: {expect}" in chk.stdout, repr(chk.stdout))
    check("two ContainerName=db: the later one is not generated", real.returncode == 1 and
          sorted(f for f in generated(out) if f.endswith(".service")) == ["a-pull.service", "a.service"],
          f"{os.listdir(out)} {real.stderr!r}")

    # the engines' own names, derived from a unit's or a file's name, against each other and
    # against ContainerName=, in either order
    docker, nspawn = "Backend=docker\n", "[Container]\nBackend=nspawn\nImage=/srv/machines/m\n"
    for name, files, later, first, shown in [
        ("podman's systemd-%p_%i and systemd-%N", {"web@a.container": IMAGE, "web_a.container": IMAGE},
         "web_a.container", "web@a.container", "systemd-web_a"),
        ("docker's file name, then ContainerName=", {"db.container": IMAGE + docker, "zz.container": IMAGE + docker + "ContainerName=db\n"},
         "zz.container", "db.container", "db"),
        ("docker's ContainerName=, then a file name", {"aa.container": IMAGE + docker + "ContainerName=db\n", "db.container": IMAGE + docker},
         "db.container", "aa.container", "db"),
        ("docker's %p_%i and a file name", {"a@b.container": IMAGE + docker, "a_b.container": IMAGE + docker},
         "a_b.container", "a@b.container", "a_b"),
        ("nspawn's file name, then ContainerName=", {"m1.container": nspawn, "zz.container": nspawn + "ContainerName=m1\n"},
         "zz.container", "m1.container", "m1"),
    ]:
        defs, chk, dry, real, out = modes(tmp, "engine-" + re.sub(r"\W+", "-", name), files)
        expect = f"{defs}/{later}: error: the " if "ContainerName=" not in files[later] else f"{defs}/{later}:"
        check(f"engine names, {name}: the later one is an error naming both",
              chk.returncode == 1 and f"name, {shown}, is that of the " in chk.stdout and f"of {defs}/{first} too" in chk.stdout
              and chk.stdout.startswith(expect) and chk.stdout.count("error:") == 1, repr(chk.stdout))

    defs, chk, dry, real, out = modes(tmp, "engine-per-engine", {
        "a.container": IMAGE + "ContainerName=db\n",
        "b.container": IMAGE + "ContainerName=db\nBackend=docker\n",
    })
    check("podman's db and docker's db are two containers", chk.returncode == 0 and real.returncode == 0, chk.stdout + real.stderr)


def check_installed(tmp):
    """Where the installed units are looked for: systemd's directories after the generator's output,
    for the mode; $OCI_CONTAINERS_SYSTEMD_UNIT_DIRS instead, empty for none."""
    defs = os.path.join(tmp, "inst-defs")
    write(defs, "systemd-journald.container", IMAGE)
    env = env_for(defs)
    del env["OCI_CONTAINERS_SYSTEMD_UNIT_DIRS"]
    found = [p for p in ("/usr/local/lib/systemd/system/systemd-journald.service", "/usr/lib/systemd/system/systemd-journald.service",
                         "/lib/systemd/system/systemd-journald.service") if os.path.exists(p)]
    r = run(defs, "--check", env=env)
    if found:
        check("system: the system's own unit directories are looked in",
              f"warning: systemd-journald.service replaces the installed unit {found[0]}," in r.stdout, repr(r.stdout))
    else:
        print("# skip: no systemd-journald.service installed")
    r = run(defs, "--check", env=env_for(defs, ""))
    check("an empty $OCI_CONTAINERS_SYSTEMD_UNIT_DIRS: nothing is looked up", r.returncode == 0 and r.stdout == "", repr(r.stdout))

    # the first names are looked up one by one, the rest in the directories read once: the same
    # answers either way, the first directory of the list winning
    many, first, second = os.path.join(tmp, "many"), os.path.join(tmp, "inst1"), os.path.join(tmp, "inst2")
    for i in range(60):
        write(many, f"c{i:02d}.container", IMAGE)
    for d, names in ((first, ("c00.service", "c59.service")), (second, ("c00.service", "c01-pull.service", "c59.service", "c58-pull.service"))):
        for u in names:
            write(d, u, "[Service]\nExecStart=/bin/true\n")
    r = run(many, "--check", env=env_for(many, f"{first}:{second}"))
    want = [f"{many}/c00.container: warning: c00.service replaces the installed unit {first}/c00.service,",
            f"{many}/c01.container: warning: c01-pull.service, the NAME-pull.service of this definition, is left out: it would "
            f"replace the installed unit {second}/c01-pull.service;",
            f"{many}/c58.container: warning: c58-pull.service, the NAME-pull.service of this definition, is left out: it would "
            f"replace the installed unit {second}/c58-pull.service;",
            f"{many}/c59.container: warning: c59.service replaces the installed unit {first}/c59.service,"]
    got = r.stdout.splitlines()
    check("installed units: the same answer for the first definitions and the last",
          len(got) == 4 and all(g.startswith(w) for g, w in zip(got, want)), repr(r.stdout))

    # a user's: $XDG_DATA_HOME/systemd/user, then $XDG_DATA_DIRS, then /usr/lib/systemd/user
    data = os.path.join(tmp, "data")
    write(os.path.join(data, "systemd", "user"), "mine.service", "[Service]\nExecStart=/bin/true\n")
    write(os.path.join(tmp, "share", "systemd", "user"), "shared.service", "[Service]\nExecStart=/bin/true\n")
    write(defs, "mine.container", IMAGE)
    write(defs, "shared.container", IMAGE)
    env = env_for(defs)
    del env["OCI_CONTAINERS_SYSTEMD_UNIT_DIRS"]
    env.update(XDG_DATA_HOME=data, XDG_DATA_DIRS=os.path.join(tmp, "share"))
    r = run(defs, "--user", "--check", env=env)
    check("user: $XDG_DATA_HOME/systemd/user is looked in",
          f"warning: mine.service replaces the installed unit {data}/systemd/user/mine.service," in r.stdout, repr(r.stdout))
    check("user: $XDG_DATA_DIRS/systemd/user is looked in",
          f"warning: shared.service replaces the installed unit {tmp}/share/systemd/user/shared.service," in r.stdout, repr(r.stdout))
    check("user: the system's units are not a user's", "systemd-journald.service replaces" not in r.stdout, repr(r.stdout))
    r = run(defs, "--check", env=env)
    check("system: a user's directories are not looked in", "mine.service replaces" not in r.stdout, repr(r.stdout))


def main():
    global GEN
    GEN = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        check_companions(tmp)
        check_engine_names(tmp)
        check_installed(tmp)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
