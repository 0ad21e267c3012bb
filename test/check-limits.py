#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Limits and determinism: many definitions are all generated, in bounded time; too many drop-ins
or assignments are a clear error, in bounded time and memory; the same inputs give the same bytes
whatever order the directory lists them in, and whatever file system holds them.

check-limits.py GENERATOR"""
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checklib import check, finish, generated  # noqa: E402

MEMORY_LIMIT = 512 << 20  # address space for the runs that read hostile amounts of input
SANITIZED = False          # AddressSanitizer reserves terabytes of address space: no limit then


def run(gen, defs, out, limit_memory=False):
    env = dict(os.environ, OCI_CONTAINERS_CONF="", OCI_CONTAINERS_UNIT_DIRS=defs)

    def limit():
        if limit_memory and not SANITIZED:
            resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    start = time.monotonic()
    r = subprocess.run([gen, out], capture_output=True, text=True, env=env, preexec_fn=limit, timeout=120)
    return r, time.monotonic() - start


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def many_definitions(gen, tmp, n=10000):
    defs, out = os.path.join(tmp, "many"), os.path.join(tmp, "many-out")
    os.makedirs(out)
    for i in range(n):
        # one in a hundred publishes a port (each is compared with every other published port)
        port = f"PublishPort=127.0.0.1:{10000 + i}:80\n" if i % 100 == 0 else ""
        write(os.path.join(defs, f"c{i:05d}.container"),
              f"[Container]\nImage=docker.io/library/nginx:{i % 7}\n{port}Environment=INDEX={i}\nLabel=app=c{i}\n")
    r, secs = run(gen, defs, out)
    units = set(os.listdir(out))
    missing = [i for i in range(n) if f"c{i:05d}.service" not in units]
    check(f"{n} definitions: all generated ({secs:.2f} s)", r.returncode == 0 and not missing,
          f"exit {r.returncode}, {len(missing)} missing, stderr {r.stderr[:300]!r}")
    check(f"{n} definitions: under 20 s", secs < 20, f"{secs:.1f} s")
    wants = os.listdir(os.path.join(out, "multi-user.target.wants"))
    check(f"{n} definitions: every one linked for boot", len(wants) == n, repr(len(wants)))
    print(f"# {n} definitions in {secs:.2f} s ({secs / n * 1e6:.0f} us each)")


def many_dropins(gen, tmp, n=5000):
    defs, out = os.path.join(tmp, "dropins"), os.path.join(tmp, "dropins-out")
    os.makedirs(out)
    write(os.path.join(defs, "web.container"), "[Container]\nImage=docker.io/library/nginx\n")
    write(os.path.join(defs, "other.container"), "[Container]\nImage=docker.io/library/nginx\n")
    for i in range(n):
        write(os.path.join(defs, "web.container.d", f"{i:05d}.conf"), f"[Container]\nLabel=n{i}=v\n")
    r, secs = run(gen, defs, out, limit_memory=True)
    first = os.path.join(defs, "web.container.d", "01000.conf")
    check(f"{n} drop-ins: the 1001st is refused, with its path", r.returncode == 1 and
          f"{first}: more than 1000 drop-ins for {defs}/web.container" in r.stderr, repr(r.stderr[:400]))
    check(f"{n} drop-ins: said once", r.stderr.count("more than 1000 drop-ins") == 1, repr(r.stderr.count("drop-ins")))
    check(f"{n} drop-ins: that definition is not generated, the other is",
          "web.service" not in generated(out) and os.path.exists(os.path.join(out, "other.service")),
          repr(sorted(os.listdir(out))))
    check(f"{n} drop-ins: bounded time ({secs:.2f} s) within {MEMORY_LIMIT >> 20} MiB of address space", secs < 10, f"{secs:.1f} s")

    # a shared drop-in directory applies to every definition: the limit bounds that too
    defs2, out2 = os.path.join(tmp, "shared"), os.path.join(tmp, "shared-out")
    os.makedirs(out2)
    for i in range(10):
        write(os.path.join(defs2, f"c{i}.container"), "[Container]\nImage=docker.io/library/nginx\n")
    for i in range(n):
        write(os.path.join(defs2, "container.d", f"{i:05d}.conf"), "# empty\n")
    r, secs = run(gen, defs2, out2, limit_memory=True)
    check(f"{n} shared drop-ins, 10 definitions: each refused, bounded time ({secs:.2f} s)",
          r.returncode == 1 and r.stderr.count("more than 1000 drop-ins") == 10 and secs < 20,
          f"{secs:.1f} s, {r.stderr.count('more than 1000 drop-ins')} messages")


def many_assignments(gen, tmp):
    """The assignment limit counts drop-ins too; and a file over 1 MiB is not read at all."""
    defs, out = os.path.join(tmp, "assign"), os.path.join(tmp, "assign-out")
    os.makedirs(out)
    write(os.path.join(defs, "web.container"), "[Container]\nImage=docker.io/library/nginx\n")
    for k in range(5):
        write(os.path.join(defs, "web.container.d", f"{k}.conf"),
              "[Container]\n" + "".join(f"Label=k{k}x{i}=v\n" for i in range(2100)))
    write(os.path.join(defs, "huge.container"), "[Container]\nImage=x\n" + "Label=" + "v" * (8 << 20) + "\n")
    write(os.path.join(defs, "good.container"), "[Container]\nImage=docker.io/library/nginx\n")
    r, secs = run(gen, defs, out, limit_memory=True)
    # 1 in web.container, then 2,100 a drop-in: the 10,001st is line 1,601 of the fifth (4.conf)
    where = os.path.join(defs, "web.container.d", "4.conf") + ":1601:"
    check("assignments over 10,000 across drop-ins: refused where the limit is crossed",
          f"{where} more than 10000 assignments" in r.stderr, repr(r.stderr[:400]))
    check("an 8 MiB definition is refused without reading it",
          f"{defs}/huge.container: file is larger than 1 MiB" in r.stderr, repr(r.stderr[:400]))
    check(f"both within {MEMORY_LIMIT >> 20} MiB of address space, the good one generated ({secs:.2f} s)",
          r.returncode == 1 and sorted(n for n in generated(out) if n.endswith(".service")) == ["good-pull.service", "good.service"],
          repr((r.returncode, sorted(os.listdir(out)))))


def make_inputs(defs, order_seed):
    """The same definitions and drop-ins, created in an order that depends on the seed."""
    files = {}
    for i in range(60):
        files[f"d{i:02d}.container"] = (f"[Container]\nImage=docker.io/library/nginx\nDependsOn=d{(i + 1) % 60:02d}.container\n"
                                        if i % 10 == 0 and i < 50 else f"[Container]\nImage=docker.io/library/nginx\nLabel=i={i}\n")
        for k in range(4):
            files[f"d{i:02d}.container.d/{k}-{i % 3}.conf"] = f"[Container]\nLabel=order={k}\nEnvironment=K=v{k}\n"
    files["d00.container"] += "HostEnvironment=S=secret\n"
    files["net.network"] = "[Network]\nSubnet=10.89.0.0/24\n"
    files["vol.volume"] = "[Volume]\n"
    files["p.pod"] = "[Pod]\nPublishPort=127.0.0.1:9999:80\n"
    files["member.container"] = "[Container]\nImage=docker.io/library/nginx\nPod=p.pod\nVolume=vol.volume:/d\n"
    files["container.d/50-all.conf"] = "[Container]\nLabel=all=1\n"
    names = sorted(files)
    random.Random(order_seed).shuffle(names)
    for n in names:
        write(os.path.join(defs, n), files[n])


def snapshot(out):
    snap = {}
    for d, dirs, fs in os.walk(out):
        for n in dirs + fs:
            p = os.path.join(d, n)
            rel = os.path.relpath(p, out)
            if os.path.islink(p):
                snap[rel] = ("link", os.readlink(p))
            elif os.path.isfile(p):
                snap[rel] = ("file", oct(os.stat(p).st_mode & 0o777), open(p, "rb").read())
            else:
                snap[rel] = ("dir",)
    return snap


def determinism(gen, tmp):
    defs, out = os.path.join(tmp, "det"), os.path.join(tmp, "det-out")
    results = []
    for seed in (1, 2):
        shutil.rmtree(defs, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)
        make_inputs(defs, seed)
        r, _ = run(gen, defs, out)
        check(f"determinism: order {seed} generates", r.returncode == 0, repr(r.stderr[:300]))
        results.append(snapshot(out))
    listing = [sorted(os.listdir(defs))]
    check("determinism: the same bytes, modes and links whatever the creation order",
          results[0] == results[1] and len(results[0]) > 100,
          repr(sorted(k for k in set(results[0]) | set(results[1]) if results[0].get(k) != results[1].get(k))[:5]))
    del listing

    # another file system under the same paths: a tmpfs lists its entries in another order
    if os.geteuid() != 0:
        print("# skip: another file system needs root (mount -t tmpfs)")
        return
    shutil.rmtree(defs)
    shutil.rmtree(out)
    os.makedirs(defs)
    os.makedirs(out)
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", defs]).returncode != 0:
        print("# skip: cannot mount a tmpfs here")
        return
    try:
        make_inputs(defs, 3)
        r, _ = run(gen, defs, out)
        other = snapshot(out)
        check("determinism: the same bytes from a tmpfs as from the disk", r.returncode == 0 and other == results[0],
              repr(sorted(k for k in set(other) | set(results[0]) if other.get(k) != results[0].get(k))[:5]))
    finally:
        subprocess.run(["umount", defs])


def main():
    global SANITIZED
    gen = os.path.abspath(sys.argv[1])
    with open(gen, "rb") as f:
        SANITIZED = b"__asan_init" in f.read()
    if SANITIZED:
        print("# an AddressSanitizer build: runs without the address-space limit")
    # thousands of files are made faster in memory, where there is a tmpfs for it
    fast = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    with tempfile.TemporaryDirectory(dir=fast) as tmp:
        many_definitions(gen, tmp)
        many_dropins(gen, tmp)
    with tempfile.TemporaryDirectory() as tmp:
        many_assignments(gen, tmp)
        determinism(gen, tmp)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
