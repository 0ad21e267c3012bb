#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Limits and determinism: many definitions, long values and shared drop-ins cost time in proportion
to their size; too many drop-ins or assignments are a clear error, in bounded time and memory; the
same inputs give the same bytes whatever order the directory lists them in, and whatever file
system holds them.

Times are bounded against a baseline measured in the same run (1,000 small definitions), by a
factor generous enough for a busy machine: what the bounds catch is work that grows with the square
of the input, which is a hundred times off at these sizes.

Under OCI_TEST_WRAPPER (meson test --setup valgrind) the runs that check behaviour go through the
wrapper, smaller where the full size would take minutes; the runs that are timed do not, as a
wrapped program's time says nothing.

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

from checklib import check, finish, generated, wrapped  # noqa: E402

MEMORY_LIMIT = 512 << 20  # address space for the runs that read hostile amounts of input
SANITIZED = False          # AddressSanitizer reserves terabytes of address space: no limit then
WRAPPED = bool(os.environ.get("OCI_TEST_WRAPPER"))
FACTOR = 8                 # a bound is this many times what the baseline says the run should take


def run(gen, defs, out, limit_memory=False, timed=False, dry_run=False):
    """Run the generator on defs into out; a timed run is never wrapped (see above)."""
    env = dict(os.environ, OCI_CONTAINERS_CONF="", OCI_CONTAINERS_UNIT_DIRS=defs)

    def limit():
        # valgrind, like AddressSanitizer, needs more address space than the program it runs
        if limit_memory and not SANITIZED and not (WRAPPED and not timed):
            resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    cmd = [gen] if timed else wrapped(gen)
    cmd += ["--dry-run", out] if dry_run else [out]
    start = time.monotonic()
    r = subprocess.run(cmd, capture_output=not dry_run, stdout=subprocess.DEVNULL if dry_run else None, text=True, env=env,
                       preexec_fn=limit, timeout=None if WRAPPED and not timed else 300)
    return r, time.monotonic() - start


def best_of(gen, defs, out, runs, **kw):
    """The fastest of a few timed runs (a busy machine only ever makes one slower), and its result."""
    best = None
    for _ in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)
        r, secs = run(gen, defs, out, timed=True, **kw)
        if best is None or secs < best[1]:
            best = (r, secs)
    return best


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def make_definitions(defs, n):
    for i in range(n):
        # one in a hundred publishes a port (each is compared with every other published port)
        port = f"PublishPort=127.0.0.1:{10000 + i // 100}:80\n" if i % 100 == 0 else ""
        write(os.path.join(defs, f"c{i:06d}.container"),
              f"[Container]\nImage=docker.io/library/nginx:{i % 7}\n{port}Environment=INDEX={i}\nLabel=app=c{i}\n")


def baseline(gen, tmp, dry_run=False):
    """Seconds for 1,000 small definitions: the median of three runs."""
    defs, out = os.path.join(tmp, "base"), os.path.join(tmp, "base-out")
    if not os.path.isdir(defs):
        make_definitions(defs, 1000)
    times = []
    for _ in range(3):
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)
        r, secs = run(gen, defs, out, timed=True, dry_run=dry_run)
        check(f"baseline: 1000 definitions generated ({secs:.3f} s)", r.returncode == 0, f"exit {r.returncode}")
        times.append(secs)
    shutil.rmtree(out)
    return sorted(times)[1]


def free_space(path):
    """Bytes and inodes free (inodes: None where the file system does not count them, as btrfs)."""
    st = os.statvfs(path)
    return st.f_bavail * st.f_frsize, st.f_favail if st.f_files else None


def many_definitions(gen, tmp, base, n=100000):
    """n definitions, each file a few lines: all generated, in time proportional to n."""
    defs, out = os.path.join(tmp, "many"), os.path.join(tmp, "many-out")
    # a definition is a file in and two files and two links out: about 12 KiB with a block each
    # (1.2 GB for 100,000); twice that must be free
    space, inodes = free_space(tmp)
    dry_run = space < n * (24 << 10) or (inodes is not None and inodes < n * 10)
    if dry_run:
        print(f"# {n} definitions with --dry-run: {space >> 20} MiB free in {tmp} is too little to write them")
        base = baseline(gen, tmp, dry_run=True)
    make_definitions(defs, n)
    os.makedirs(out)
    r, secs = run(gen, defs, out, timed=True, dry_run=dry_run)
    bound = FACTOR * base * n / 1000
    if dry_run:
        check(f"{n} definitions (--dry-run): all generated", r.returncode == 0, f"exit {r.returncode}")
    else:
        units = set(os.listdir(out))
        missing = [i for i in range(n) if f"c{i:06d}.service" not in units]
        check(f"{n} definitions: all generated", r.returncode == 0 and not missing,
              f"exit {r.returncode}, {len(missing)} missing, stderr {r.stderr[:300]!r}")
        wants = os.listdir(os.path.join(out, "multi-user.target.wants"))
        check(f"{n} definitions: every one linked for boot", len(wants) == n, repr(len(wants)))
        # the target's drop-in, far longer than the buffer it is written through: its header
        # once, then a whole Wants= line for each unit and nothing else
        with open(os.path.join(out, "oci-containers.target.d", "oci-containers-generator.conf")) as f:
            lines = f.read().split("\n")
        body = [line for line in lines if line and not line.startswith("#")]
        wanted = sorted(line[len("Wants="):] for line in body[1:] if line.startswith("Wants="))
        check(f"{n} definitions: oci-containers.target wants each once",
              body[:1] == ["[Unit]"] and len(body) == n + 1 and lines[-1] == "" and
              wanted == [f"c{i:06d}.service" for i in range(n)], f"{len(body)} lines, {body[:3]!r}")
    check(f"{n} definitions in {secs:.2f} s: within {FACTOR} times {n // 1000} times the baseline ({bound:.2f} s)",
          secs < bound, f"{secs:.2f} s")
    print(f"# {n} definitions in {secs:.2f} s ({secs / n * 1e6:.0f} us each; baseline {base * 1e3:.0f} us each)")
    shutil.rmtree(out)
    shutil.rmtree(defs)


def one_line(key, word, limit=(1 << 20) - 100):
    """KEY=WORD(0) WORD(1) ... as long as it stays under limit bytes."""
    words, size, i = [], len(key) + 2, 0
    while True:
        w = word(i)
        if size + len(w) + 1 > limit:
            return f"{key}={' '.join(words)}\n", len(words)
        words.append(w)
        size += len(w) + 1
        i += 1


def long_values(gen, tmp, base):
    """A definition of 1 MiB of words: every word costs about the same, whatever came before it."""
    head = "[Container]\nImage=docker.io/library/nginx\n"
    # one line of distinct KEY=VALUE words, each of which replaces an earlier one of its key; half a
    # MiB, as each word becomes "--env=WORD" on a command line that must stay under systemd's 1 MiB
    env, n_env = one_line("Environment", lambda i: f"K{i}=v", (1 << 19) - 100)
    # a file of several: distinct keys, argv words, names of units and definitions that repeat
    # (each kept once)
    quarter = (1 << 18) - 100
    labels, _ = one_line("Label", lambda i: f"k{i}=v", quarter)
    args, _ = one_line("PodmanArgs", lambda i: f"--w{i}", quarter)
    deps, _ = one_line("DependsOn", lambda i: "other", quarter)
    wanted, _ = one_line("WantedBy", lambda i: f"t{i % 20}.target", quarter)
    files = {"env": head + env, "mixed": head + labels + args + deps + "[Install]\n" + wanted}
    for name, text in files.items():
        defs, out = os.path.join(tmp, f"words-{name}"), os.path.join(tmp, f"words-{name}-out")
        write(os.path.join(defs, "big.container"), text)
        write(os.path.join(defs, "other.container"), "[Container]\nImage=docker.io/library/nginx\n")
        r, secs = best_of(gen, defs, out, 2)
        bound = 25 * base
        ok = r.returncode == 0 and os.path.exists(os.path.join(out, "big.service"))
        check(f"1 MiB of words ({name}): generated", ok, f"exit {r.returncode}, {r.stderr[:300]!r}")
        check(f"1 MiB of words ({name}) in {secs:.2f} s: within 25 times the baseline ({bound:.2f} s)", secs < bound,
              f"{secs:.2f} s")
        if name == "env":
            unit = open(os.path.join(out, "big.service")).read()
            check(f"1 MiB of words: all {n_env} variables passed on", unit.count(" --env=K") == n_env, repr(unit.count(" --env=K")))
        shutil.rmtree(out)
    if WRAPPED:
        # the same paths under the wrapper, once
        defs, out = os.path.join(tmp, "words-mixed"), os.path.join(tmp, "words-wrapped-out")
        os.makedirs(out)
        r, _ = run(gen, defs, out)
        check("1 MiB of words under the wrapper", r.returncode == 0, f"exit {r.returncode}, {r.stderr[-300:]!r}")


def shared_dropins(gen, tmp, n=1000):
    """n definitions with n drop-ins in container.d/: each drop-in is read once, not once a
    definition, so that this costs about what the same lines in one shared drop-in cost."""
    shared, merged = os.path.join(tmp, "shared-each"), os.path.join(tmp, "shared-merged")
    for defs in (shared, merged):
        for i in range(n):
            write(os.path.join(defs, f"c{i:04d}.container"), "[Container]\nImage=docker.io/library/nginx\n")
    # what drop-ins look like: more comment than assignment
    head = "".join(f"# line {k} of what this drop-in is for, as administrators write it\n" for k in range(20))
    for i in range(n):
        write(os.path.join(shared, "container.d", f"{i:04d}.conf"), f"{head}[Container]\nAddCapability=NET_ADMIN\n")
    write(os.path.join(merged, "container.d", "all.conf"), f"{head}[Container]\n" + "AddCapability=NET_ADMIN\n" * n)
    out = os.path.join(tmp, "shared-out")
    rm, base = best_of(gen, merged, out, 2)
    r, secs = best_of(gen, shared, out, 2)
    unit = open(os.path.join(out, "c0999.service")).read() if r.returncode == 0 else ""
    check(f"{n} definitions with {n} shared drop-ins: all generated, each drop-in read", r.returncode == 0 and
          rm.returncode == 0 and len(os.listdir(out)) > 2 * n and unit.count("# Also read: ") == n, f"exit {r.returncode}")
    # each unit names all n drop-ins it read, so the output alone is about 3 times the merged one's;
    # reading each drop-in once a definition would be n times the files, far beyond the bound
    check(f"{n} definitions with {n} shared drop-ins in {secs:.2f} s: within 8 times the same lines in one drop-in "
          f"({base:.2f} s)", secs < 8 * base, f"{secs:.2f} s")
    shutil.rmtree(out)
    if WRAPPED:
        # what the cache keeps, told again, under the wrapper: fewer, with a mistake and a mask
        defs, out = os.path.join(tmp, "shared-wrapped"), os.path.join(tmp, "shared-wrapped-out")
        for i in range(5):
            write(os.path.join(defs, f"w-{i}.container"), "[Container]\nImage=docker.io/library/nginx\n")
        for i in range(20):
            write(os.path.join(defs, "container.d", f"{i:02d}.conf"), f"[Container]\nLabel=k{i}=v\n")
        write(os.path.join(defs, "w-.container.d", "bad.conf"), "[Container]\nBogus=1\n")
        os.makedirs(out)
        r, _ = run(gen, defs, out)
        check("shared drop-ins under the wrapper: the mistake said for each definition it applies to",
              r.returncode == 1 and r.stderr.count("unknown key 'Bogus'") == 5, repr(r.stderr[-300:]))


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
    check(f"{n} drop-ins: bounded time ({secs:.2f} s) within {MEMORY_LIMIT >> 20} MiB of address space",
          WRAPPED or secs < 10, f"{secs:.1f} s")

    # a shared drop-in directory applies to every definition: the limit bounds that too
    defs2, out2 = os.path.join(tmp, "shared"), os.path.join(tmp, "shared-out")
    os.makedirs(out2)
    for i in range(10):
        write(os.path.join(defs2, f"c{i}.container"), "[Container]\nImage=docker.io/library/nginx\n")
    for i in range(n):
        write(os.path.join(defs2, "container.d", f"{i:05d}.conf"), "# empty\n")
    r, secs = run(gen, defs2, out2, limit_memory=True)
    check(f"{n} shared drop-ins, 10 definitions: each refused, bounded time ({secs:.2f} s)",
          r.returncode == 1 and r.stderr.count("more than 1000 drop-ins") == 10 and (WRAPPED or secs < 20),
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
        base = baseline(gen, tmp)
        print(f"# baseline: 1000 definitions in {base:.3f} s")
        long_values(gen, tmp, base)
        shared_dropins(gen, tmp)
        many_dropins(gen, tmp)
    # the largest where there is room for it, against a baseline on the same file system
    with tempfile.TemporaryDirectory(dir=fast if fast and free_space(fast)[0] > 3 << 30 else None) as tmp:
        many_definitions(gen, tmp, baseline(gen, tmp))
    with tempfile.TemporaryDirectory() as tmp:
        many_assignments(gen, tmp)
        determinism(gen, tmp)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
