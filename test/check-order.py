#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""How the generator walks definitions that refer to each other: what a definition refers to is
processed first, whatever the file names say; a chain of references deeper than the stack can
follow is refused with a message, not a crash, and nothing else is lost. And a FIFO among the definitions does not stop the walk.

    test/check-order.py PATH/TO/oci-containers-generator
"""
import os
import re
import resource
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checklib import check, finish, generated, wrapped  # noqa: E402

GEN = os.path.abspath(sys.argv[1])


def run(defs, *args):
    env = dict(os.environ, OCI_CONTAINERS_UNIT_DIRS=defs, OCI_CONTAINERS_CONF="", SYSTEMD_LOG_TARGET="console")
    out = tempfile.mkdtemp(dir=os.path.dirname(defs))
    p = subprocess.run([*wrapped(GEN), *args, out], env=env, capture_output=True, text=True)
    return p, out


def write(d, name, text):
    with open(os.path.join(d, name), "w") as f:
        f.write(text)


with tempfile.TemporaryDirectory() as tmp:
    # a.container names z.container, which has an error: a learns it although z comes later by name
    defs = os.path.join(tmp, "late")
    os.mkdir(defs)
    write(defs, "a.container", "[Container]\nImage=busybox\nDependsOn=z\n")
    write(defs, "z.container", "[Container]\nImage=busybox\nNoSuchKey=1\n")
    write(defs, "m.container", "[Container]\nImage=busybox\nDependsOn=n\n")
    write(defs, "n.container", "[Container]\nImage=busybox\nServiceName=renamed\n")
    p, out = run(defs)
    units = sorted(generated(out))
    check("a failure later by name reaches what depends on it", "a.service" not in units and "z.service" not in units,
          f"units: {units}")
    check("...and says why", f"{defs}/a.container:3:" in p.stderr and "z.container has errors" in p.stderr, p.stderr)
    check("a unit name set later by name is known to what refers to it",
          "renamed.service" in units and "m.service" in units, f"units: {units}")
    with open(os.path.join(out, "m.service")) as f:
        text = f.read()
    check("...in its Requires= and After=", "Requires=renamed.service" in text and "After=renamed.service" in text, text)

    # a chain of definitions that name each other is followed with a work stack of its own, not
    # the C stack: a small stack limit does not shorten it, and past 4,096 levels it is refused
    depth = 4096

    def chain(name, n, extra=None):
        d = os.path.join(tmp, name)
        os.mkdir(d)
        for i in range(n):
            dep = f"DependsOn=c{i + 1:05d}\n" if i + 1 < n else ""
            write(d, f"c{i:05d}.container", f"[Container]\nImage=docker.io/library/busybox\n{dep}")
        if extra:
            write(d, "zz-alone.container", "[Container]\nImage=docker.io/library/busybox\n")
        return d

    def run_limited(defs, stack):
        env = dict(os.environ, OCI_CONTAINERS_UNIT_DIRS=defs, OCI_CONTAINERS_CONF="", SYSTEMD_LOG_TARGET="console")
        out = tempfile.mkdtemp(dir=os.path.dirname(defs))
        limit = (lambda: resource.setrlimit(resource.RLIMIT_STACK, (stack, stack))) if stack else None
        p = subprocess.run([GEN, out], env=env, capture_output=True, text=True, preexec_fn=limit)
        return p, set(generated(out))

    p, units = run_limited(chain("deep", depth + 10, extra=True), 8 * 1024 * 1024)
    check("a chain deeper than 4,096 exits 1 (not a crash)", p.returncode == 1, f"exit {p.returncode}")
    check("...says so", f"chain of more than {depth} definitions" in p.stderr and "make the chain shorter" in p.stderr,
          p.stderr[-2000:])
    check("...and the rest is generated", "zz-alone.service" in units, f"{len(units)} units")
    p, units = run_limited(chain("within", depth), 1024 * 1024)
    n = len([u for u in units if u.endswith(".service") and not u.endswith("-pull.service")])
    check(f"a chain of {depth} definitions is generated whole on a 1 MiB stack", p.returncode == 0 and n == depth,
          f"exit {p.returncode}, {n} units: {p.stderr[-1000:]}")

    # the message points at the line that names the failed definition, not one that merely contains
    # its name
    defs = os.path.join(tmp, "named")
    os.mkdir(defs)
    write(defs, "a.container", "[Container]\nImage=busybox\nDependsOn=db\nDependsOn=mydb\n")
    write(defs, "mydb.container", "[Container]\nImage=busybox\n")
    write(defs, "db.container", "[Container]\nBogus=1\n")
    p, out = run(defs)
    check("a failed dependency is reported at the line that names it",
          f"{defs}/a.container:3: DependsOn=db: {defs}/db.container has errors" in p.stderr, p.stderr)

    # aliases: a definition whose file name gives a unit the alias names keeps its name, whatever
    # the file names; an alias of a unit named otherwise (ServiceName=) is free; of two equal aliases
    # the first processed keeps it
    defs = os.path.join(tmp, "alias")
    os.mkdir(defs)
    write(defs, "a.container", "[Container]\nImage=busybox\n[Install]\nAlias=foo.service\n")
    write(defs, "foo.container", "[Container]\nImage=busybox\nServiceName=bar\n")
    write(defs, "b.container", "[Container]\nImage=busybox\n[Install]\nAlias=zed.service\n")
    write(defs, "zed.container", "[Container]\nImage=busybox\n")
    write(defs, "c.container", "[Container]\nImage=busybox\n[Install]\nAlias=same.service\n")
    write(defs, "d.container", "[Container]\nImage=busybox\n[Install]\nAlias=same.service\n")
    p, out = run(defs)
    units = set(generated(out))
    check("an alias of a name another definition renamed away is free", "a.service" in units and "foo.service" in units,
          f"{sorted(units)} {p.stderr}")
    check("an alias of a later file's unit fails, not that unit",
          "zed.service" in units and "b.service" not in units and
          f"{defs}/b.container:4: Alias=zed.service is taken: {defs}/zed.container names its unit so" in p.stderr,
          f"{sorted(units)} {p.stderr}")
    check("of two equal aliases the first keeps it, and the second is told why",
          "c.service" in units and "d.service" not in units and
          f"{defs}/d.container:4: Alias=same.service is taken: {defs}/c.container has the same alias" in p.stderr,
          f"{sorted(units)} {p.stderr}")

    # a pod that cannot be written takes its members with it; a docker member that cannot be
    # written leaves the pod's ports to the next one
    defs = os.path.join(tmp, "podfail")
    os.mkdir(defs)
    write(defs, "a.container", "[Container]\nImage=docker.io/library/busybox\nBackend=docker\nPod=z.pod\n")
    write(defs, "b.container", "[Container]\nImage=docker.io/library/busybox\nBackend=docker\nPod=z.pod\n")
    write(defs, "z.pod", "[Pod]\nBackend=docker\nPublishPort=8080:80\n")
    env = dict(os.environ, OCI_CONTAINERS_UNIT_DIRS=defs, OCI_CONTAINERS_CONF="", SYSTEMD_LOG_TARGET="console")
    out = tempfile.mkdtemp(dir=tmp)
    open(os.path.join(out, "z-pod.service"), "w").close()
    p = subprocess.run([*wrapped(GEN), out], env=env, capture_output=True, text=True)
    units = set(generated(out)) - {"z-pod.service"}
    check("a pod that cannot be written: its members are not generated either",
          "a.service" not in units and "b.service" not in units and "z.pod has errors" in p.stderr, f"{sorted(units)} {p.stderr}")
    out = tempfile.mkdtemp(dir=tmp)
    open(os.path.join(out, "a.service"), "w").close()
    p = subprocess.run([*wrapped(GEN), out], env=env, capture_output=True, text=True)
    with open(os.path.join(out, "b.service")) as f:
        text = f.read()
    check("the first member cannot be written: the next one publishes the pod's ports",
          "--publish=8080:80" in text and "published by none" not in p.stderr, p.stderr)

    # a definition with an error does not take its unit name from a good one
    defs = os.path.join(tmp, "claim")
    os.mkdir(defs)
    write(defs, "a.container", "[Container]\nImage=busybox\nServiceName=web\nBogus=1\n")
    write(defs, "web.container", "[Container]\nImage=busybox\n")
    p, out = run(defs)
    check("a definition with an error claims no unit name", "web.service" in os.listdir(out) and
          "made by" not in p.stderr, p.stderr)

    # host ports: the same number over another protocol is no clash; a template's port is its
    # instances', so an instance does not clash with its template
    defs = os.path.join(tmp, "ports")
    os.mkdir(defs)
    write(defs, "a.container", "[Container]\nImage=busybox\nPublishPort=8080:80\n")
    write(defs, "b.container", "[Container]\nImage=busybox\nPublishPort=8080:80/udp\n")
    write(defs, "c.container", "[Container]\nImage=busybox\nPublishPort=8080:80/tcp\n")
    write(defs, "web@.container", "[Container]\nImage=busybox\nPublishPort=9090:80\n")
    os.symlink("web@.container", os.path.join(defs, "web@one.container"))
    p, out = run(defs)
    units = set(generated(out))
    check("tcp and udp on one port number are both generated", {"a.service", "b.service"} <= units, f"{sorted(units)} {p.stderr}")
    check("...and a second tcp one is too, with a warning naming both", "c.service" in units and
          f"{defs}/c.container:3: PublishPort=8080:80/tcp: the host port is published by {defs}/a.container too" in p.stderr,
          p.stderr)
    check("a template instance does not clash with its template's port", "web@one.service" in units and
          "web@.service" in units, f"{sorted(units)} {p.stderr}")

    # many drop-ins in two directories, some masked in the first: the masked ones are not read,
    # the rest are, in name order (and nothing reads freed memory: ASan and valgrind runs)
    upper, lower = os.path.join(tmp, "upper"), os.path.join(tmp, "lower")
    os.makedirs(os.path.join(upper, "x.container.d"))
    os.makedirs(os.path.join(lower, "x.container.d"))
    write(upper, "x.container", "[Container]\nImage=busybox\n")
    for i in range(1, 41):
        write(os.path.join(lower, "x.container.d"), f"{i:02d}.conf", f"[Container]\nLabel=n{i:02d}=1\n")
    for i in range(3, 41, 3):
        os.symlink("/dev/null", os.path.join(upper, "x.container.d", f"{i:02d}.conf"))
    env = dict(os.environ, OCI_CONTAINERS_UNIT_DIRS=f"{upper}:{lower}", OCI_CONTAINERS_CONF="", SYSTEMD_LOG_TARGET="console")
    p = subprocess.run([*wrapped(GEN), "--dry-run"], env=env, capture_output=True, text=True)
    labels = re.findall(r"--label=n(\d\d)=1", p.stdout)
    want = [f"{i:02d}" for i in range(1, 41) if i % 3]
    check("masked drop-ins are left out, the others read", p.returncode == 0 and labels == want,
          f"exit {p.returncode}, {labels}, {p.stderr[-500:]}")

    # a FIFO named like a definition: refused at once (opening it must not wait for a writer)
    defs = os.path.join(tmp, "fifo")
    os.mkdir(defs)
    os.mkfifo(os.path.join(defs, "pipe.container"))
    write(defs, "ok.container", "[Container]\nImage=busybox\n")
    env = dict(os.environ, OCI_CONTAINERS_UNIT_DIRS=defs, OCI_CONTAINERS_CONF="", SYSTEMD_LOG_TARGET="console")
    out = tempfile.mkdtemp(dir=tmp)
    try:
        p = subprocess.run([GEN, out], env=env, capture_output=True, text=True, timeout=20)
        check("a FIFO named like a definition is skipped with a message", p.returncode == 1 and
              f"{defs}/pipe.container: not a regular file" in p.stderr and "ok.service" in os.listdir(out),
              p.stderr)
    except subprocess.TimeoutExpired:
        check("a FIFO named like a definition is skipped with a message", False, "the generator waited on the FIFO")

sys.exit(finish())
