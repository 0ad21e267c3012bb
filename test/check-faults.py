#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Broken surroundings: a clear message and a non-zero exit, the other definitions still generated,
and nothing half-written.

check-faults.py GENERATOR"""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checklib import check, finish, generated, wrapped  # noqa: E402


def run(gen, defs, out):
    env = dict(os.environ, OCI_CONTAINERS_CONF="", OCI_CONTAINERS_UNIT_DIRS=defs)
    return subprocess.run([*wrapped(gen), out], capture_output=True, text=True, env=env)


def main():
    gen = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        defs = os.path.join(tmp, "defs")
        os.mkdir(defs)
        with open(os.path.join(defs, "good.container"), "w") as f:
            f.write("[Container]\nImage=docker.io/library/nginx\n")

        r = run(gen, defs, os.path.join(tmp, "missing"))
        check("a missing output directory is one clear message", r.returncode == 1 and
              r.stderr.count("Cannot write units to") == 1, repr(r.stderr))
        notdir = os.path.join(tmp, "file")
        open(notdir, "w").close()
        r = run(gen, defs, notdir)
        check("an output path that is a file is refused", r.returncode == 1 and "Not a directory" in r.stderr, repr(r.stderr))

        # a file over the size limit, a directory and a dangling link named like definitions,
        # an unreadable one: each is skipped with a message, the good one still generated
        with open(os.path.join(defs, "big.container"), "w") as f:
            f.write("[Container]\nImage=x\n" + "# padding\n" * 120000)
        os.mkdir(os.path.join(defs, "dir.container"))
        os.symlink("/nonexistent/target", os.path.join(defs, "dangling.container"))
        with open(os.path.join(defs, "many.container"), "w") as f:
            f.write("[Container]\nImage=docker.io/library/nginx\n" + "".join(f"Label=k{i}=v\n" for i in range(10001)))
        out = os.path.join(tmp, "out")
        os.mkdir(out)
        r = run(gen, defs, out)
        check("the run reports failure", r.returncode == 1, f"exit {r.returncode}")
        check("the good definition is generated", os.path.exists(os.path.join(out, "good.service")), repr(os.listdir(out)))
        check("a file over 1 MiB is refused", "big.container: file is larger than 1 MiB" in r.stderr, repr(r.stderr))
        check("a directory named like a definition is skipped", "dir.container: not a regular file" in r.stderr, repr(r.stderr))
        check("a dangling link is skipped", "dangling.container: cannot open" in r.stderr, repr(r.stderr))
        check("more than 10,000 assignments are refused", "many.container:10002: more than 10000 assignments" in r.stderr,
              repr(r.stderr[-300:]))
        units = sorted(n for n in generated(out) if n.endswith(".service"))
        check("only the good definition's units are written", units == ["good-pull.service", "good.service"], repr(units))
        modes = {n: oct(os.stat(os.path.join(out, n)).st_mode & 0o777) for n in units}
        check("units are 0644", set(modes.values()) == {"0o644"}, repr(modes))

        # the same inputs give the same bytes, whatever order the directory lists them in
        out2 = os.path.join(tmp, "out2")
        os.mkdir(out2)
        run(gen, defs, out2)
        same = all(open(os.path.join(out, n), "rb").read() == open(os.path.join(out2, n), "rb").read() for n in units)
        check("a second run writes the same bytes", same)
        check_read_only(gen, tmp, defs)
        check_full(gen, tmp)
        check_unreadable(gen, tmp)
        check_planted_links(gen, tmp)
        check_umask(gen, tmp)
    return finish()


def as_root():
    return os.geteuid() == 0


def mount_tmpfs(path, opts):
    return subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", path], capture_output=True).returncode == 0


def check_read_only(gen, tmp, defs):
    ro = os.path.join(tmp, "ro")
    os.mkdir(ro)
    if as_root():
        # root writes through modes: only a read-only mount stops it
        if not mount_tmpfs(ro, "ro,size=64k"):
            print("# skip: a read-only output directory (cannot mount a tmpfs)")
            return
        expect = "Read-only file system"
    else:
        os.chmod(ro, 0o555)
        expect = "Permission denied"
    try:
        r = run(gen, defs, ro)
        check("a read-only output directory is one clear message", r.returncode == 1 and
              r.stderr.count(f"Cannot write units to {ro}: {expect}") == 1 and r.stderr.count("\n") == 1, repr(r.stderr))
        check("a read-only output directory stays empty", os.listdir(ro) == [], repr(os.listdir(ro)))
    finally:
        if as_root():
            subprocess.run(["umount", ro])


def dry_run_texts(gen, defs, out):
    """NAME -> the text --dry-run shows for it (the exact bytes a unit file gets)."""
    env = dict(os.environ, OCI_CONTAINERS_CONF="", OCI_CONTAINERS_UNIT_DIRS=defs)
    text = subprocess.run([*wrapped(gen), "--dry-run", out], capture_output=True, text=True, env=env).stdout
    units = {}
    for block in text.split("\n---")[0:]:
        block = block[3:] if block.startswith("---") else block
        head, _, body = block.partition("---\n")
        if head and ": link " not in head:
            units[head] = body
    # each block ends with its link lines and an empty line, which are not in the file
    for name, body in units.items():
        units[name] = body.split("\n---" + name + ": link ")[0].rstrip("\n") + "\n"
    return units


def check_full(gen, tmp):
    """A full file system: the definitions that fit are generated whole, the others not at all."""
    if not as_root():
        print("# skip: a full output directory needs root (mount -t tmpfs -o size=64k)")
        return
    defs, out = os.path.join(tmp, "full-defs"), os.path.join(tmp, "full")
    os.mkdir(defs)
    os.mkdir(out)
    for i in range(40):
        with open(os.path.join(defs, f"c{i:02d}.container"), "w") as f:
            f.write("[Container]\nImage=docker.io/library/nginx\nLabel=pad=" + "x" * 1500 + "\n" +
                    (f"HostEnvironment=SECRET=value{i}\n" if i % 3 == 0 else ""))
    if not mount_tmpfs(out, "size=64k"):
        print("# skip: cannot mount a tmpfs")
        return
    try:
        r = run(gen, defs, out)
        files = {}
        for d, dirs, names in os.walk(out):
            for n in names:
                p = os.path.join(d, n)
                files[os.path.relpath(p, out)] = os.readlink(p) if os.path.islink(p) else open(p).read()
        check("a full output directory: a clear message and a non-zero exit", r.returncode == 1 and
              "No space left on device" in r.stderr, repr(r.stderr[:300]))
        want = dry_run_texts(gen, defs, out)
        made = sorted({n.split("-pull.service")[0].split(".service")[0] for n in files if "/" not in n})
        check("a full output directory: some definitions fit", len(made) > 0 and len(made) < 40, repr(len(made)))
        partial = [n for n, t in files.items() if "/" not in n and not n.endswith(".env") and want.get(n) != t]
        check("a full output directory: every unit written is whole (as --dry-run shows it)", not partial, repr(partial[:3]))
        incomplete = []
        for c in made:
            i = int(c[1:])
            need = {f"{c}.service", f"{c}-pull.service", f"multi-user.target.wants/{c}.service"}
            if i % 3 == 0:
                need.add(f"{c}.service.env")
            if not need <= set(files):
                incomplete.append((c, sorted(need - set(files))))
        check("a full output directory: a definition is all there or not at all", not incomplete, repr(incomplete[:3]))
        envs = {n: t for n, t in files.items() if n.endswith(".env")}
        check("a full output directory: each environment file is whole",
              all(t == f'SECRET="value{int(n[1:3])}"\n' for n, t in envs.items()), repr(envs))
        failed = [ln for ln in r.stderr.splitlines() if ln.endswith("no unit was generated for it")]
        check("a full output directory: each definition left out is named", len(failed) == 40 - len(made),
              f"{len(failed)} named, {40 - len(made)} left out")
    finally:
        subprocess.run(["umount", out])


def check_unreadable(gen, tmp):
    """A definition (or drop-in) the generator may not read is skipped with a message."""
    defs, out = os.path.join(tmp, "perm-defs"), os.path.join(tmp, "perm-out")
    os.makedirs(os.path.join(defs, "dropin.container.d"))
    os.mkdir(out)
    os.makedirs(os.path.join(defs, "dropdir.container.d"))
    for n in ("good", "secret", "dropin", "dropdir"):
        with open(os.path.join(defs, f"{n}.container"), "w") as f:
            f.write("[Container]\nImage=docker.io/library/nginx\n" + ("PublishPort=8080:80\n" if n == "dropdir" else ""))
    with open(os.path.join(defs, "dropin.container.d", "10-x.conf"), "w") as f:
        f.write("[Container]\nLabel=a=b\n")
    # the drop-in that narrows the port to the loopback address is in a directory nobody may list
    with open(os.path.join(defs, "dropdir.container.d", "10-local.conf"), "w") as f:
        f.write("[Container]\nPublishPort=\nPublishPort=127.0.0.1:8080:80\n")
    os.chmod(os.path.join(defs, "secret.container"), 0)
    os.chmod(os.path.join(defs, "dropin.container.d", "10-x.conf"), 0)
    os.chmod(os.path.join(defs, "dropdir.container.d"), 0)
    os.mkfifo(os.path.join(defs, "fifo.container"))
    prefix = []
    if as_root():
        # root reads through modes: run as nobody, as a user generator would meet such a file
        if not shutil.which("setpriv"):
            print("# skip: unreadable definitions need setpriv when run as root")
            return
        prefix = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
        os.chmod(tmp, 0o755)
        shutil.chown(out, "nobody")
    env = dict(os.environ, OCI_CONTAINERS_CONF="", OCI_CONTAINERS_UNIT_DIRS=defs)
    r = subprocess.run(prefix + [*wrapped(gen), out], capture_output=True, text=True, env=env,
                       timeout=None if os.environ.get("OCI_TEST_WRAPPER") else 30)
    check("an unreadable definition is skipped with its reason",
          f"{defs}/secret.container: cannot open: Permission denied" in r.stderr, repr(r.stderr))
    check("an unreadable drop-in is an error of its definition",
          f"{defs}/dropin.container.d/10-x.conf: cannot open: Permission denied" in r.stderr and
          f"{defs}/dropin.container: skipped" in r.stderr, repr(r.stderr))
    check("an unreadable drop-in directory is an error of its definition, with its reason",
          f"{defs}/dropdir.container.d: cannot read this drop-in directory: Permission denied" in r.stderr and
          f"{defs}/dropdir.container: skipped" in r.stderr, repr(r.stderr))
    check("a FIFO named like a definition is skipped, without waiting for a writer",
          f"{defs}/fifo.container: not a regular file" in r.stderr, repr(r.stderr))
    units = sorted(n for n in generated(out) if n.endswith(".service"))
    check("the readable definition is still generated", r.returncode == 1 and units == ["good-pull.service", "good.service"],
          repr((r.returncode, units)))


def check_planted_links(gen, tmp):
    """A link planted in the output directory where a directory of links belongs is not followed."""
    defs, out, elsewhere = (os.path.join(tmp, n) for n in ("plant-defs", "plant-out", "elsewhere"))
    for d in (defs, out, elsewhere):
        os.mkdir(d)
    with open(os.path.join(defs, "web.container"), "w") as f:
        f.write("[Container]\nImage=docker.io/library/nginx\n")
    with open(os.path.join(defs, "lone.container"), "w") as f:
        f.write("[Container]\nImage=docker.io/library/nginx\n[Install]\nWantedBy=\n")
    os.symlink(elsewhere, os.path.join(out, "multi-user.target.wants"))
    r = run(gen, defs, out)
    check("a planted link to a directory elsewhere is not followed", os.listdir(elsewhere) == [], repr(os.listdir(elsewhere)))
    check("a planted link where a directory belongs is an error naming it",
          r.returncode == 1 and f"{defs}/web.container: cannot create {out}/multi-user.target.wants: it exists and is not a "
          "directory" in r.stderr and f"{defs}/web.container: skipped" in r.stderr, repr(r.stderr))
    units = sorted(n for n in os.listdir(out) if n.endswith(".service"))
    check("the definition that needs no link there is still generated, the other not at all",
          units == ["lone-pull.service", "lone.service"], repr(units))

    # deeper: a link as the parent of a directory the generator makes
    out2 = os.path.join(tmp, "plant-out2")
    os.mkdir(out2)
    os.symlink("/nonexistent", os.path.join(out2, "oci-containers.target.d"))
    r = run(gen, defs, out2)
    check("a dangling planted link is an error too, and stays as it is",
          r.returncode == 1 and f"cannot create {out2}/oci-containers.target.d: it exists and is not a directory" in r.stderr and
          os.readlink(os.path.join(out2, "oci-containers.target.d")) == "/nonexistent", repr(r.stderr))


def check_umask(gen, tmp):
    """The modes of what is written do not depend on the umask the generator is started with."""
    defs, out = os.path.join(tmp, "umask-defs"), os.path.join(tmp, "umask-out")
    os.mkdir(defs)
    os.mkdir(out)
    with open(os.path.join(defs, "web.container"), "w") as f:
        f.write("[Container]\nImage=docker.io/library/nginx\nHostEnvironment=SECRET=x\n[Install]\nWantedBy=default.target\n")
    env = dict(os.environ, OCI_CONTAINERS_CONF="", OCI_CONTAINERS_UNIT_DIRS=defs)
    r = subprocess.run([*wrapped(gen), out], capture_output=True, text=True, env=env, preexec_fn=lambda: os.umask(0o077))
    modes = {}
    for d, dirs, names in os.walk(out):
        for n in dirs + names:
            p = os.path.join(d, n)
            if not os.path.islink(p):
                modes[os.path.relpath(p, out)] = oct(os.stat(p).st_mode & 0o777)
    want = {"web.service": "0o644", "web-pull.service": "0o644", "web.service.env": "0o600",
            "default.target.wants": "0o755", "oci-containers.target.d": "0o755",
            "oci-containers.target.d/oci-containers-generator.conf": "0o644"}
    check("under umask 077: units 0644, directories 0755, the environment file 0600",
          r.returncode == 0 and modes == want, repr((r.returncode, modes, r.stderr)))


if __name__ == "__main__":
    sys.exit(main())
