#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""What a person sees first, before anything works: --help names the directories the generator
reads (the administrator's /etc/oci-containers.d whatever the prefix it was built with), --check
ends with what it searched and what it found, also when there was nothing to check, and
--list-keys has a header.

check-setup.py GENERATOR SYSCONFDIR   (SYSCONFDIR: meson's sysconfdir option, as given)"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checklib import check, finish, wrapped  # noqa: E402

SUMMARY_LINES = 2


def run(gen, *args, env):
    return subprocess.run([*wrapped(gen), *args], capture_output=True, text=True, env=env)


def base_env(home):
    env = {k: v for k, v in os.environ.items()
           if k not in ("OCI_CONTAINERS_UNIT_DIRS", "OCI_CONTAINERS_CONF", "XDG_CONFIG_HOME", "XDG_RUNTIME_DIR")}
    env["HOME"] = home
    return env


def help_dirs(text, label):
    """The directories of the --help line that starts with label, without their "(missing)"."""
    for line in text.splitlines():
        if line.startswith(f"  {label}: "):
            return [d.removesuffix(" (missing)") for d in line[len(label) + 4:].split(", ")]
    return None


def main():
    gen, sysconfdir = os.path.abspath(sys.argv[1]), sys.argv[2]
    # the rule of meson.build, written again: a relative sysconfdir (meson's default "etc" under
    # any prefix but /usr) means /etc, as systemd reads /etc whatever prefix a generator has
    etc = sysconfdir if sysconfdir.startswith("/") else "/etc"
    with tempfile.TemporaryDirectory() as tmp:
        env = base_env(tmp)
        r = run(gen, "--help", env=env)
        system, user = help_dirs(r.stdout, "system"), help_dirs(r.stdout, "with --user")
        check("--help names the system's search path, the administrator's directory first",
              r.returncode == 0 and system is not None and system[0] == f"{etc}/oci-containers.d"
              and "/run/oci-containers.d" in system and len(system) == 3, repr(r.stdout[-600:]))
        check("--help names the user's search path, ~/.config first",
              user is not None and user[0] == f"{tmp}/.config/oci-containers.d"
              and f"{etc}/oci-containers.d/users" in user, repr(user))
        check("--help says which defaults file is read",
              f"Defaults file: " in r.stdout and f"{etc}/oci-containers.conf" in r.stdout, repr(r.stdout[-300:]))
        check("--help marks a directory that does not exist",
              f"{tmp}/.config/oci-containers.d (missing)" in r.stdout, repr(r.stdout[-600:]))

        empty = os.path.join(tmp, "empty")
        os.mkdir(empty)
        missing = os.path.join(tmp, "missing")
        env_defs = dict(env, OCI_CONTAINERS_UNIT_DIRS=f"{empty}:{missing}", OCI_CONTAINERS_CONF="")
        r = run(gen, "--help", env=env_defs)
        check("--help shows OCI_CONTAINERS_UNIT_DIRS when it replaces the search path",
              help_dirs(r.stdout, "system") == [empty, missing], repr(r.stdout[-400:]))

        r = run(gen, "--check", env=env_defs)
        lines = r.stderr.splitlines()
        check("--check with nothing to check passes and prints no FILE:LINE line",
              r.returncode == 0 and r.stdout == "", repr((r.returncode, r.stdout)))
        check("--check with nothing to check says where it looked, and that it found nothing",
              lines == [f"Searched {empty}, {missing} (missing); defaults file: none",
                        "Checked 0 definitions: 0 skipped, 0 errors, 0 warnings"], repr(r.stderr))

        defs = os.path.join(tmp, "defs")
        os.mkdir(defs)
        for name, text in (("good.container", "[Container]\nImage=docker.io/library/nginx\n"),
                           ("short.container", "[Container]\nImage=nginx\n"),
                           ("bad.container", "[Container]\nImage=docker.io/library/nginx\nPrivileged=maybe\n"),
                           ("masked.container", None)):
            path = os.path.join(defs, name)
            if text is None:
                os.symlink("/dev/null", path)
            else:
                with open(path, "w") as f:
                    f.write(text)
        conf = os.path.join(tmp, "oci-containers.conf")
        with open(conf, "w") as f:
            f.write("[Defaults]\nBackend=podman\n")
        r = run(gen, "--check", env=dict(env, OCI_CONTAINERS_UNIT_DIRS=defs, OCI_CONTAINERS_CONF=conf))
        lines = r.stderr.splitlines()
        check("--check counts the definitions (not the masked one), those skipped, errors and warnings",
              r.returncode == 1 and lines[-SUMMARY_LINES:] == [
                  f"Searched {defs}; defaults file: {conf}",
                  "Checked 3 definitions: 1 skipped, 1 error, 1 warning"], repr(r.stderr))
        check("the summary is on standard error: standard output has only FILE:LINE:COLUMN: lines",
              all(ln.startswith(defs + "/") for ln in r.stdout.splitlines()) and len(r.stdout.splitlines()) == 2,
              repr(r.stdout))

        r = run(gen, "--check", os.path.join(defs, "good.container"), env=env_defs)
        check("--check FILE: one definition, searched beside it",
              r.returncode == 0 and r.stderr.splitlines() == [
                  f"Searched {defs}; defaults file: none", "Checked 1 definition: 0 skipped, 0 errors, 0 warnings"],
              repr(r.stderr))

        odd = os.path.join(tmp, "odd\ndir")
        os.mkdir(odd)
        r = run(gen, "--check", env=dict(env, OCI_CONTAINERS_UNIT_DIRS=odd, OCI_CONTAINERS_CONF=""))
        check("the summary shows a control character in a name as \\xNN, as messages do",
              r.stderr.splitlines()[:1] == [f"Searched {tmp}/odd\\x0adir; defaults file: none"], repr(r.stderr))

        r = run(gen, "--list-keys", env=env)
        rows = r.stdout.splitlines()
        check("--list-keys starts with a header naming its columns",
              rows and rows[0].split("\t") == ["KEY", "SECTIONS", "ENGINES", "TYPE", "DEFAULT", "DESCRIPTION"], repr(rows[:1]))
        check("--list-keys: every row has the header's six columns, a key first",
              len(rows) > 100 and all(len(x.split("\t")) == 6 and x.split("\t")[0].endswith("=") for x in rows[1:]),
              repr([x for x in rows[1:] if len(x.split("\t")) != 6][:3]))
    return finish()


if __name__ == "__main__":
    sys.exit(main())
