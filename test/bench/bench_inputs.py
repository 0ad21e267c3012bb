# SPDX-License-Identifier: LGPL-2.1-or-later
"""What the benchmark runs on: realistic definitions, a minimal one, and the inputs at the
generator's limits (README "Guarantees and limits": a file of at most 1 MiB, at most 10,000
assignments and 1,000 drop-ins a definition), each made at a size that can be doubled."""
import os

# what a definition looks like in use: a dozen keys, words with quotes and escapes, an [Install]
DEFINITION = """[Unit]
Description=Benchmark container {i}

[Container]
Image=registry.example.org/team/app-{i}:1.{i}
PublishPort={pub1}
PublishPort={pub2}
Volume=/srv/app-{i}/data:/data:rw
Volume=/srv/app-{i}/config:/etc/app:ro
Volume=cache-{i}:/cache
Environment=APP_ID={i} MODE=production
Environment="GREETING=hello world {i}" LANG=C.UTF-8 TZ=UTC
Label=org.example.app=app-{i}
Label=org.example.tier=backend
Network=host
Exec=/usr/bin/app --id {i} --message "it's a \\"test\\"" --flag

[Install]
WantedBy=multi-user.target
"""

# the least a container needs: what a definition costs whatever the option table holds
MINIMAL = "[Container]\nImage=docker.io/library/nginx\n"

FILE_LIMIT = 1 << 20
ASSIGNMENT_LIMIT = 10000
DROPIN_LIMIT = 1000


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def make_defs(d, start, stop, text=DEFINITION):
    """Definitions app-START.container to app-(STOP-1).container in d."""
    os.makedirs(d, exist_ok=True)
    for i in range(start, stop):
        write(os.path.join(d, f"app-{i}.container"), text.format(i=i, **ports(i)))


def ports(i):
    """Host ports of its own for each definition: the first 10,000 get 10000-19999 on 127.0.0.1
    (TCP) and 20000-29999 on all addresses (UDP); each next 10,000, as a host that runs out of ports
    adds addresses, the same TCP ports and 30000-39999 (UDP) on an address of their own,
    127.0.K.1. No two collide (a collision would be warned of); the conflict check then looks at
    the uses of the same port, one an address."""
    if i < 10000:
        return {"pub1": f"127.0.0.1:{10000 + i}:80", "pub2": f"{20000 + i}:443/udp"}
    k, j = divmod(i, 10000)
    return {"pub1": f"127.0.{k}.1:{10000 + j}:80", "pub2": f"127.0.{k}.1:{30000 + j}:443/udp"}


def remove_defs(d, start, stop):
    for i in range(start, stop):
        os.unlink(os.path.join(d, f"app-{i}.container"))


def words_line(key, word, size):
    """KEY=WORD(0) WORD(1) ... of at most size bytes; words of one length, so that the count is
    proportional to the size."""
    n = max(0, (size - len(key) - 2) // (len(word(0)) + 1))
    return f"{key}={' '.join(word(i) for i in range(n))}\n" if n else ""


def big_file(d, size):
    """A definition of about size bytes of words: argv words, labels, references that repeat and
    install targets, a quarter each (at 1 MiB the unit's command line stays under systemd's)."""
    q = size // 4
    write(os.path.join(d, "other.container"), MINIMAL)
    write(os.path.join(d, "big.container"), MINIMAL
          + words_line("Label", lambda i: f"k{i:06d}=v", q)
          + words_line("PodmanArgs", lambda i: f"--w{i:06d}", q)
          + words_line("DependsOn", lambda i: "other", q)
          + "[Install]\n" + words_line("WantedBy", lambda i: f"t{i % 20:02d}.target", q))


def many_assignments(d, n):
    """One definition of n assignments: Image= and n-1 labels."""
    write(os.path.join(d, "big.container"), MINIMAL + "".join(f"Label=k{i:05d}=v\n" for i in range(n - 1)))


def many_dropins(d, n):
    """One definition with n drop-ins of its own, a label each."""
    write(os.path.join(d, "big.container"), MINIMAL)
    os.makedirs(os.path.join(d, "big.container.d"), exist_ok=True)
    for i in range(n):
        write(os.path.join(d, "big.container.d", f"{i:04d}.conf"), f"[Container]\nLabel=n{i:04d}=v\n")


# name, how it is made, size S (2S is measured too), unit of the size; 2S is at the limit
LIMITS = [
    ("1 MiB file", big_file, FILE_LIMIT // 2 - 64, "bytes"),
    ("10,000 assignments in one file", many_assignments, ASSIGNMENT_LIMIT // 2, "assignments"),
    ("1,000 drop-ins for one definition", many_dropins, DROPIN_LIMIT // 2, "drop-ins"),
]
