#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Hostile values: no key's value adds a line, a section or a directive to a unit, or a file or
link outside the output directory; names that would make a bad unit or engine name are errors of
their file (FILE:LINE), and the other files are still generated.

check-hostile.py GENERATOR

Every key of the option table (--list-keys) gets each payload below, once for each engine that
takes it; every unit generated is then read line by line."""
import importlib.util
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from checklib import check, finish, generated, generated_tree, wrapped  # noqa: E402

# systemd's reading of EnvironmentFile=, as the case runner implements it
_spec = importlib.util.spec_from_file_location("run_cases", os.path.join(os.path.dirname(os.path.abspath(__file__)), "run-cases.py"))
run_cases = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(run_cases)

MARK = "INJECTED"
# Payloads that try to break out of the value. Each is written after "Key=" in the file.
PAYLOADS = {
    "continuation": "v \\\n[X-Injected]\\\n" + MARK + "=1",
    "continuation-comment": "v \\\n# comment\\\n[Service]\\\n" + MARK + "=1",
    "escape-n": "v\\n[X-Injected]\\n" + MARK + "=1",
    "quoted-escape": '"v\\n[X-Injected]\\n' + MARK + '=1"',
    "keyvalue-escape": 'K="v\\n[X-Injected]\\n' + MARK + '=1"',
    "hex-escape": "K=v\\x0a" + MARK + "=1 w\\012" + MARK + "=2 u\\u000a" + MARK + "=3",
    "section-inline": "v [Service] " + MARK + "=1",
    "path-up": "../../../x-" + MARK,
    "path-slash": "a/../../x-" + MARK + ".target",
}
# Payloads every key must refuse the same way: the file is an error at that line, no unit made.
REFUSED = {
    "nul": (b"v\x00w", "file contains a NUL byte"),
    "invalid-utf8": (b"v\xff\xfe", "line is not valid UTF-8"),
    "overlong-utf8": (b"v\xc0\x8a" + MARK.encode() + b"=1", "line is not valid UTF-8"),
    "carriage-return": (b"v\r" + MARK.encode() + b"=1", "carriage return inside a line"),
}
UNIT_LINE = re.compile(r"^[A-Za-z][A-Za-z0-9]*=")
# and the definition's own sections, which the unit keeps for systemd to ignore, as Quadlet does
SECTIONS = {"[Unit]", "[Service]", "[Install]", "[X-Container]", "[X-Network]", "[X-Volume]", "[X-Pod]", "[X-Image]", "[X-Build]", "[X-Kube]", "[X-Artifact]", "[X-Quadlet]",
            "[X-Login]"}


def list_keys(gen):
    out = subprocess.run([*wrapped(gen), "--list-keys"], capture_output=True, text=True, check=True).stdout
    keys = []
    for line in out.splitlines():
        f = line.split("\t")
        sections = re.findall(r"\[(\w+)\]", f[1])
        backends = [b for b in f[2].split(",") if b]
        keys.append((f[0].rstrip("="), sections, backends))
    return keys


def container_base(backend):
    image = "/srv/machines/debian" if backend == "nspawn" else "docker.io/library/nginx"
    return f"[Container]\nBackend={backend}\nImage={image}\n"


# the sections of the kinds of file besides .container, each the main section of its own
OBJECT_SECTIONS = ("Network", "Volume", "Pod", "Image", "Build", "Kube", "Artifact")


def definition(key, section, backend, value):
    """(extension, bytes before the value, line number of the value) for KEY=VALUE in SECTION."""
    if section == "Container":
        pre = container_base(backend)
        return ".container", pre, pre.count("\n") + 1
    if section in OBJECT_SECTIONS:
        pre = f"[{section}]\nBackend={backend}\n"
        return "." + section.lower(), pre, 3
    if section == "Login":
        pre = container_base(backend) + "[Login]\nRegistry=registry.example.org\nUsername=u\nPasswordFile=/etc/hostname\n"
        return ".container", pre, pre.count("\n") + 1
    # [Install], [Quadlet], and the sections copied into the unit ([Unit], [Service])
    pre = container_base(backend) + f"[{section}]\n"
    return ".container", pre, pre.count("\n") + 1


def jobs(keys):
    """Every (key, section, backend) to try; [Unit] and [Service] keys are copied as written."""
    out = []
    for key, sections, backends in keys:
        for s in sections:
            if s == "Defaults":
                continue
            for b in backends or ["podman"]:
                if b == "nspawn" and s in OBJECT_SECTIONS:
                    continue
                out.append((key, s, b))
    for key in ("Description", "Documentation", "After"):
        out.append((key, "Unit", "podman"))
    for key in ("Environment", "ExecStartPre", "X-Anything"):
        out.append((key, "Service", "podman"))
    return out


def run(gen, defs, out, conf=""):
    env = dict(os.environ, OCI_CONTAINERS_CONF=conf, OCI_CONTAINERS_UNIT_DIRS=defs)
    return subprocess.run([*wrapped(gen), out], capture_output=True, env=env)


def tree(root):
    """Every path under root (files, directories, links), relative."""
    found = set()
    for d, dirs, files in os.walk(root):
        for n in dirs + files:
            found.add(os.path.relpath(os.path.join(d, n), root))
    return found


def unit_problems(path):
    """What in a generated file is not one of our lines."""
    text = open(path, "rb").read().decode("utf-8")
    seen = set()
    bad = []
    for ln in text.split("\n"):
        if ln == "" or ln.startswith("#"):
            continue
        if ln.startswith("["):
            if ln not in SECTIONS or ln in seen:
                bad.append(ln)
            seen.add(ln)
        elif not UNIT_LINE.match(ln) or ln.startswith(MARK) or ln.startswith("-" + MARK):
            bad.append(ln)
    if "\r" in text or "\x00" in text:
        bad.append("CR or NUL")
    return bad


def links_escape(out):
    real = os.path.realpath(out)
    bad = []
    for d, dirs, files in os.walk(out):
        for n in dirs + files:
            p = os.path.join(d, n)
            if os.path.islink(p):
                t = os.path.realpath(p)
                if not (t == real or t.startswith(real + os.sep)) and t != "/dev/null":
                    bad.append(f"{os.path.relpath(p, out)} -> {os.readlink(p)}")
    return bad


def check_injection(gen, tmp, keys):
    todo = jobs(keys)
    names = {}
    for i, (key, s, b) in enumerate(todo):
        names[i] = f"k{i}"
    results = {}
    for pname, payload in list(PAYLOADS.items()) + [("benign", None), ("benign-kv", None)]:
        base = os.path.join(tmp, "inj-" + pname)
        defs, out = os.path.join(base, "defs"), os.path.join(base, "out")
        os.makedirs(defs)
        os.makedirs(out)
        value = {"benign": "v", "benign-kv": "K=v"}.get(pname, payload)
        for i, (key, s, b) in enumerate(todo):
            ext, pre, _ = definition(key, s, b, value)
            with open(os.path.join(defs, names[i] + ext), "w") as f:
                f.write(pre + f"{key}={value}\n")
        before = tree(base)
        r = run(gen, defs, out)
        problems = {}
        for n in sorted(os.listdir(out)):
            p = os.path.join(out, n)
            if n.endswith(".service.env"):
                # HostEnvironment='s file: the variables the value named, and only those
                env = run_cases.parse_env_file(open(p, encoding="utf-8").read())
                if os.stat(p).st_mode & 0o777 != 0o600 or any(k.startswith(MARK) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", k)
                                                               for k in env):
                    problems[n] = [oct(os.stat(p).st_mode), sorted(env)]
            elif os.path.isfile(p) and not os.path.islink(p):
                bad = unit_problems(p)
                if bad:
                    problems[n] = bad
        outside = sorted(p for p in tree(base) - before if not p.startswith("out"))
        units = {n: open(os.path.join(out, n), "rb").read().count(b"\n")
                 for n in generated(out) if n.endswith(".service")}
        results[pname] = units
        if pname.startswith("benign"):
            continue
        check(f"{pname}: no generated unit has a line the generator did not mean ({len(todo)} keys and engines)",
              not problems, repr(dict(list(problems.items())[:5])))
        check(f"{pname}: nothing is written outside the output directory", not outside, repr(outside[:5]))
        check(f"{pname}: every link stays inside the output directory", not links_escape(out), repr(links_escape(out)[:5]))
        check(f"{pname}: the generator ran to the end", r.returncode in (0, 1) and b"Failed:" not in r.stderr,
              repr(r.stderr[-300:]))
    # a value that is taken does not change how many lines its unit has: only the value differs
    for pname in ("escape-n", "quoted-escape"):
        diff = {n: (c, results["benign"][n]) for n, c in results[pname].items()
                if n in results["benign"] and c != results["benign"][n]}
        check(f"{pname}: each unit has as many lines as with a plain value", not diff, repr(diff))
    for pname in ("keyvalue-escape", "hex-escape"):
        diff = {n: (c, results["benign-kv"][n]) for n, c in results[pname].items()
                if n in results["benign-kv"] and c != results["benign-kv"][n]}
        check(f"{pname}: each unit has as many lines as with a plain K=V value", not diff, repr(diff))


def check_refused(gen, tmp, keys):
    """NUL, invalid UTF-8 and CR are refused for every key alike, at the key's line."""
    todo = jobs(keys)
    for pname, (payload, message) in REFUSED.items():
        base = os.path.join(tmp, "ref-" + pname)
        defs, out = os.path.join(base, "defs"), os.path.join(base, "out")
        os.makedirs(defs)
        os.makedirs(out)
        expect = {}
        for i, (key, s, b) in enumerate(todo):
            ext, pre, line = definition(key, s, b, "")
            path = os.path.join(defs, f"k{i}{ext}")
            with open(path, "wb") as f:
                f.write(pre.encode() + key.encode() + b"=" + payload + b"\n")
            expect[path] = (line, key, s)
        with open(os.path.join(defs, "good.container"), "w") as f:
            f.write(container_base("podman"))
        r = run(gen, defs, out)
        err = r.stderr.decode("utf-8", "replace")
        missing = [f"{os.path.basename(p)} {k} in [{s}]" for p, (line, k, s) in expect.items()
                   if f"{p}:{line}: {message}" not in err]
        check(f"{pname}: refused at its line for every key ({len(todo)} keys and engines)", not missing,
              repr(missing[:5]))
        units = sorted(n for n in generated(out) if n.endswith(".service"))
        check(f"{pname}: only the good definition is generated", units == ["good-pull.service", "good.service"], repr(units[:5]))
        check(f"{pname}: the exit status says so", r.returncode == 1, f"exit {r.returncode}")

    # the defaults file: the same rules
    for pname, (payload, message) in REFUSED.items():
        base = os.path.join(tmp, "conf-" + pname)
        defs, out = os.path.join(base, "defs"), os.path.join(base, "out")
        os.makedirs(defs)
        os.makedirs(out)
        conf = os.path.join(base, "oci-containers.conf")
        with open(conf, "wb") as f:
            f.write(b"[Defaults]\nPublishAddress=" + payload + b"\n")
        with open(os.path.join(defs, "good.container"), "w") as f:
            f.write(container_base("podman"))
        r = run(gen, defs, out, conf)
        check(f"{pname}: refused in the defaults file too", f"{conf}:2: {message}" in r.stderr.decode("utf-8", "replace"),
              repr(r.stderr[-300:]))


def odd_backslash_lines(path):
    """The lines of a unit that end in an unescaped backslash, which systemd would join to the next."""
    text = open(path, "rb").read().decode("utf-8", "replace")
    return [ln for ln in text.split("\n") if (len(ln) - len(ln.rstrip("\\"))) % 2]


def check_backslash(gen, tmp, keys):
    """A line ending in an unescaped backslash and blanks continues onto the next one, as Quadlet
    reads it (the blanks are dropped first; at the end of the file the backslash is dropped too),
    so no value ends in one: for every key and every line copied into [Unit] or [Service], "v\\\"
    and a blank at the end of the file is read as "v\\" (an escaped backslash), nothing says a
    value read so ends in a backslash, and no line of any unit made ends in an unescaped one. The
    same in the defaults file."""
    todo = jobs(keys)
    base = os.path.join(tmp, "backslash")
    defs, out = os.path.join(base, "defs"), os.path.join(base, "out")
    os.makedirs(defs)
    os.makedirs(out)
    for i, (key, s, b) in enumerate(todo):
        ext, pre, line = definition(key, s, b, "")
        with open(os.path.join(defs, f"k{i}{ext}"), "w") as f:
            f.write(pre + f"{key}=v\\\\\\ \n")  # three backslashes and a blank, the last line
    r = run(gen, defs, out)
    err = r.stderr.decode("utf-8", "replace").splitlines()
    # a key read with C escapes decodes the "\\" left into one backslash, which is refused where it
    # is not an argv word: that is a decoded value, not one the reader left ending in a backslash
    said = [ln for ln in err if "ends in a backslash" in ln and not ln.endswith("(value 'v\\\\')")]
    check(f"odd backslash and a blank: a continued line, never a value ending in one ({len(todo)} keys and engines)", not said,
          repr(said[:5]))
    odd = [(n, ln) for n in generated(out) if os.path.isfile(os.path.join(out, n)) for ln in odd_backslash_lines(os.path.join(out, n))]
    check("odd backslash and a blank: no line of a unit made ends in an unescaped backslash", not odd, repr(odd[:5]))
    conf = os.path.join(base, "oci-containers.conf")
    with open(conf, "w") as f:
        f.write("[Defaults]\nPublishAddress=127.0.0.1\\ \n")
    os.makedirs(out + "-conf")
    r = run(gen, defs, out + "-conf", conf)
    check("odd backslash and a blank: in the defaults file too, the address is read without it",
          b"PublishAddress=" not in r.stderr, repr(r.stderr[-300:]))


def lines_forged(stderr, marker):
    """The lines of stderr that begin with what followed a line break in a file name, and the
    control characters other than the line breaks between messages."""
    text = stderr.decode("utf-8", "replace")
    return [ln for ln in text.splitlines() if ln.startswith(marker)] + [c for c in text if ord(c) < 0x20 and c != "\n"]


def check_dropin_names(gen, tmp):
    """A drop-in's file name is written into the unit's header ("# Also read: PATH"): one holding a
    line break cannot be, and is an error of that file, in generation and in --check; no message
    shows its line breaks or escape characters raw."""
    base = os.path.join(tmp, "dropin-name")
    defs, out = os.path.join(base, "defs"), os.path.join(base, "out")
    os.makedirs(os.path.join(defs, "web.container.d"))
    os.makedirs(out)
    with open(os.path.join(defs, "web.container"), "w") as f:
        f.write(container_base("podman"))
    with open(os.path.join(defs, "good.container"), "w") as f:
        f.write(container_base("podman"))
    name = "x\n[Service]\n" + MARK + "=1\nExecStartPre=-touch " + MARK + "\n#\x1b[31m.conf"
    with open(os.path.join(defs, "web.container.d", name), "w") as f:
        f.write("[Container]\nPublishPort=8080:80\n")
    shown = os.path.join(defs, "web.container.d", name).replace("\n", "\\x0a").replace("\x1b", "\\x1b")
    env = dict(os.environ, OCI_CONTAINERS_CONF="", OCI_CONTAINERS_UNIT_DIRS=defs, SYSTEMD_LOG_LEVEL="debug")
    r = subprocess.run([gen, out], capture_output=True, env=env)
    c = subprocess.run([gen, "--check"], capture_output=True, env=env)
    err = r.stderr.decode("utf-8", "replace")
    units = sorted(n for n in os.listdir(out) if n.endswith(".service"))
    check("drop-in name with a line break: the definition is refused, the others are generated",
          r.returncode == 1 and units == ["good-pull.service", "good.service"], repr((r.returncode, units)))
    check("drop-in name with a line break: an error of the drop-in, FILE: message",
          f"{shown}: this file's path holds a line break" in err, repr(err[-600:]))
    check("drop-in name with a line break: --check says so and exits 1",
          c.returncode == 1 and f"{shown}: error: this file's path holds a line break" in c.stdout.decode("utf-8", "replace"),
          repr((c.returncode, c.stdout[-400:])))
    check("drop-in name with a line break: no message line is forged, no escape character is shown raw",
          not lines_forged(r.stderr, "[Service]") + lines_forged(r.stderr, MARK) + lines_forged(c.stdout, MARK) and
          f"drop-in {shown}" in err, repr(err[-600:]))


def check_log_forging(gen, tmp):
    """Messages about files show control characters as \\xNN, whoever prints them: the file that is
    skipped, a masked one, a directory that cannot be read, an output directory that cannot be
    written."""
    base = os.path.join(tmp, "forge")
    defs, out = os.path.join(base, "defs"), os.path.join(base, "out")
    os.makedirs(defs)
    os.makedirs(out)
    forged = "\n" + MARK + " all is well\x1b[2J"  # no ':', which would split the search path
    with open(os.path.join(defs, f"bad{forged}.container"), "w") as f:
        f.write(container_base("podman"))
    os.symlink("/dev/null", os.path.join(defs, f"masked{forged}.container"))
    notdir = os.path.join(base, f"file{forged}")
    open(notdir, "w").close()
    env = dict(os.environ, OCI_CONTAINERS_CONF="", OCI_CONTAINERS_UNIT_DIRS=f"{defs}:{notdir}", SYSTEMD_LOG_LEVEL="debug")
    r = subprocess.run([gen, out], capture_output=True, env=env)
    w = subprocess.run([gen, os.path.join(base, f"missing{forged}")], capture_output=True, env=env)
    err = r.stderr.decode("utf-8", "replace") + w.stderr.decode("utf-8", "replace")
    shown = forged.replace("\n", "\\x0a").replace("\x1b", "\\x1b")
    for what, text in (("skipped", f"bad{shown}.container: skipped because of the errors above"),
                       ("masked", f"masked{shown}.container is masked"),
                       ("cannot read", f"Cannot read {notdir.replace(forged, shown)}"),
                       ("cannot write", f"Cannot write units to {os.path.join(base, 'missing' + shown)}")):
        check(f"log forging: the '{what}' message shows the name's control characters as \\xNN", text in err, repr(err[-800:]))
    check("log forging: no message line is forged, no control character is printed",
          not lines_forged(r.stderr + w.stderr, MARK), repr(lines_forged(r.stderr + w.stderr, MARK)[:5]))


# ---- names ----

LONG = "x" * 300
NAME_VALUES = {
    "dot-dot-slash": "../x",
    "slash": "a/b",
    "300-characters": LONG,
    "continued-newline": "a \\\nb",  # joined as Quadlet joins lines: "a b"
    "dot-dot": "..",
    "leading-dot": ".hidden",
    "control": "a\x01b",
}
NAME_KEYS = [
    # (extension, section, key, how the value is written)
    (".container", "Container", "ContainerName", "{}"),
    (".container", "Container", "ServiceName", "{}"),
    (".pod", "Pod", "PodName", "{}"),
    (".pod", "Pod", "ServiceName", "{}"),
    (".network", "Network", "NetworkName", "{}"),
    (".network", "Network", "ServiceName", "{}"),
    (".volume", "Volume", "VolumeName", "{}"),
    (".volume", "Volume", "ServiceName", "{}"),
    (".container", "Container", "Network", "{}.network"),
    (".container", "Container", "Pod", "{}.pod"),
    (".container", "Container", "DependsOn", "{}"),
    (".container", "Container", "Mount", "type=volume,source={}.volume,destination=/data"),
    (".image", "Image", "ServiceName", "{}"),
    (".build", "Build", "ServiceName", "{}"),
    (".kube", "Kube", "ServiceName", "{}"),
    (".artifact", "Artifact", "ServiceName", "{}"),
    (".container", "Container", "Image", "{}.image"),
    (".container", "Container", "Image", "{}.build"),
    (".container", "Container", "Mount", "type=image,source={}.image,destination=/data"),
]


def check_names(gen, tmp):
    good = container_base("podman")
    n = 0
    for ext, section, key, form in NAME_KEYS:
        for vname, v in NAME_VALUES.items():
            if key == "Mount" and vname == "continued-newline":
                continue  # a space in a Mount= list is a different error, of another key
            n += 1
            base = os.path.join(tmp, f"name{n}")
            defs, out = os.path.join(base, "defs"), os.path.join(base, "out")
            os.makedirs(defs)
            os.makedirs(out)
            pre = (container_base("podman") if section == "Container" else f"[{section}]\n")
            line = pre.count("\n") + 1
            path = os.path.join(defs, "bad" + ext)
            with open(path, "w") as f:
                f.write(pre + f"{key}={form.format(v)}\n")
            with open(os.path.join(defs, "good.container"), "w") as f:
                f.write(good)
            before = tree(base)
            r = run(gen, defs, out)
            err = r.stderr.decode("utf-8", "replace")
            what = f"{key}={form.format(v)!r} in {ext}"
            check(f"{what}: FILE:LINE: error naming the key", r.returncode == 1 and
                  re.search("^" + re.escape(f"{path}:{line}: {key}=") + ".*", err, re.M) is not None, repr(err[:400]))
            units = sorted(generated_tree(out))
            check(f"{what}: the other file is still generated, nothing of this one",
                  units == ["good-pull.service", "good.service", "multi-user.target.wants",
                            "multi-user.target.wants/good.service", "oci-containers.target.d",
                            "oci-containers.target.d/oci-containers-generator.conf"], repr(units))
            outside = sorted(p for p in tree(base) - before if not p.startswith("out"))
            check(f"{what}: nothing outside the output directory", not outside, repr(outside))

    # file names: the name is the unit's (and the engine's) name
    bad_files = {
        "a..b.container": "cannot be a unit name",
        "a\nb.container": "cannot be a unit name",
        "a:b.container": "the container would be named 'systemd-a:b'",
        "x" * 247 + ".network": "the unit name would be 263 characters long",
        "a\\x2db.volume": "the volume would be named 'systemd-a\\x2db'",
        "a\udcffb.container": "cannot be a unit name",  # the byte 0xff: not UTF-8
    }
    for fname, message in bad_files.items():
        n += 1
        base = os.path.join(tmp, f"file{n}")
        defs, out = os.path.join(base, "defs"), os.path.join(base, "out")
        os.makedirs(defs)
        os.makedirs(out)
        ext = fname[fname.rindex("."):]
        path = os.path.join(defs, fname)
        with open(path, "w") as f:
            f.write(container_base("podman") if ext == ".container" else f"[{ext[1:].capitalize()}]\n")
        with open(os.path.join(defs, "good.container"), "w") as f:
            f.write(good)
        r = run(gen, defs, out)
        err = r.stderr.decode("utf-8", "replace")
        shown = path.replace("\n", "\\x0a").replace("\udcff", "\\xff")
        check(f"file name {fname[:20]!r}... ({len(fname)}): FILE: error", r.returncode == 1 and
              f"{shown}: " in err and message in err and "\n" not in shown[len(defs):], repr(err[:400]))
        units = sorted(n for n in generated(out) if n.endswith(".service"))
        check(f"file name {fname[:20]!r}...: the other file is still generated", units == ["good-pull.service", "good.service"],
              repr(units))


def check_secrets(gen, tmp):
    """PasswordFile='s content and HostEnvironment='s values are in no unit, on no command line, and
    not in what --dry-run shows; the environment file is 0600, the units 0644; a PasswordFile= that
    every user may read is a warning."""
    defs, out = os.path.join(tmp, "secret-defs"), os.path.join(tmp, "secret-out")
    os.makedirs(defs)
    os.makedirs(out)
    pw = os.path.join(defs, "registry.pw")
    with open(pw, "w") as f:
        f.write("pw-Zq81x\n")
    os.chmod(pw, 0o644)
    for backend in ("podman", "docker", "nspawn"):
        login = "" if backend == "nspawn" else (
            "[Login]\nRegistry=registry.example.org\nUsername=robot\nPasswordFile=registry.pw\n")
        with open(os.path.join(defs, f"s-{backend}.container"), "w") as f:
            f.write(container_base(backend) + 'HostEnvironment=TOKEN=tok-Hv55q "PASS=two words-Kp3"\n' + login)
    env = dict(os.environ, OCI_CONTAINERS_CONF="", OCI_CONTAINERS_UNIT_DIRS=defs)
    r = subprocess.run([*wrapped(gen), out], capture_output=True, text=True, env=env)
    dry = subprocess.run([*wrapped(gen), "--dry-run", out], capture_output=True, text=True, env=env)
    secrets = ("pw-Zq81x", "tok-Hv55q", "two words-Kp3")
    check("secrets: the definitions are generated", r.returncode == 0 and dry.returncode == 0, repr(r.stderr + dry.stderr))
    check("secrets: a world-readable PasswordFile= is a warning",
          r.stderr.count(f"{defs}/s-podman.container:8: PasswordFile={pw} can be read by every user") == 1, repr(r.stderr))
    leaks, modes = [], {}
    for n in sorted(os.listdir(out)):
        p = os.path.join(out, n)
        if not os.path.isfile(p) or os.path.islink(p):
            continue
        modes[n] = os.stat(p).st_mode & 0o777
        text = open(p).read()
        leaks += [(n, v) for v in secrets if v in text and not n.endswith(".service.env")]
    check("secrets: no unit holds a password or a HostEnvironment= value", not leaks and len(modes) >= 6, repr((leaks, modes)))
    check("secrets: --dry-run shows neither", not [v for v in secrets if v in dry.stdout] and "TOKEN=..." in dry.stdout,
          repr(dry.stdout[:300]))
    envs = {n: m for n, m in modes.items() if n.endswith(".env")}
    check("secrets: an environment file for each engine, mode 0600; the units 0644",
          sorted(envs) == [f"s-{b}.service.env" for b in ("docker", "nspawn", "podman")] and set(envs.values()) == {0o600} and
          {m for n, m in modes.items() if n not in envs} == {0o644}, repr(modes))
    for b in ("docker", "nspawn", "podman"):
        got = run_cases.parse_env_file(open(os.path.join(out, f"s-{b}.service.env")).read())
        check(f"secrets: {b}: the file gives the values back as systemd reads it",
              got == {"TOKEN": "tok-Hv55q", "PASS": "two words-Kp3"}, repr(got))


# A mistaken HostEnvironment= word and what its message names instead of the value: its variable,
# or its number when it has none (all of it may be the secret). Each secret is "s3cr3t-" and a letter.
SECRET_MISTAKES = {
    "unknown specifier": ("TOKEN=s3cr3t-a%z", "TOKEN"),
    "known specifier": ("TOKEN=s3cr3t-b%h", "TOKEN"),
    "escaped percent": ("TOKEN=s3cr3t-c\\x25z", "TOKEN"),
    "lone percent": ("TOKEN=s3cr3t-d%", "TOKEN"),
    "unterminated quote": ('TOKEN="s3cr3t-e x', "TOKEN"),
    "bad escape": ("TOKEN=s3cr3t-f\\q", "TOKEN"),
    "NUL escape": ("TOKEN=s3cr3t-g\\x00", "TOKEN"),
    "not UTF-8": ("TOKEN=s3cr3t-h\\xff", "TOKEN"),
    "no =": ("s3cr3t-j", "word 1"),
    "no variable": ("=s3cr3t-k", "word 1"),
    "second word": ('A=1 "s3cr3t-l', "word 2"),
    "blank in the name": ('"MY TOKEN=s3cr3t-m"', "MY TOKEN"),
}


def check_secret_errors(gen, tmp):
    """A mistaken HostEnvironment= word is reported at its line, naming the key and the variable, and
    no message shows its value: not in --check, not in the log."""
    defs, out = os.path.join(tmp, "secret-errors-defs"), os.path.join(tmp, "secret-errors-out")
    os.makedirs(defs)
    os.makedirs(out)
    pre = container_base("podman")
    paths = {}
    for i, (what, (word, name)) in enumerate(SECRET_MISTAKES.items()):
        paths[what] = os.path.join(defs, f"s{i}.container")
        with open(paths[what], "w") as f:
            f.write(pre + f"HostEnvironment={word}\n")
    line = pre.count("\n") + 1
    env = dict(os.environ, OCI_CONTAINERS_CONF="", OCI_CONTAINERS_UNIT_DIRS=defs)
    r = subprocess.run([gen, out], capture_output=True, text=True, env=env)
    c = subprocess.run([gen, "--check"], capture_output=True, text=True, env=env)
    for what, (word, name) in SECRET_MISTAKES.items():
        p = paths[what]
        said = [ln for ln in r.stderr.splitlines() + c.stdout.splitlines() if ln.startswith(f"{p}:{line}:")]
        check(f"secrets: {what}: an error at its line in the log and in --check, naming the variable",
              len(said) == 2 and all(f"HostEnvironment=: {name} (" in ln for ln in said), repr(said))
    leaked = sorted({m for m in re.findall(r"s3cr3t-[a-z]", r.stderr + r.stdout + c.stdout + c.stderr)})
    check("secrets: no message shows a HostEnvironment= value", not leaked and r.returncode == 1 and c.returncode == 1,
          repr((leaked, r.returncode, c.returncode)))


def main():
    gen = os.path.abspath(sys.argv[1])
    keys = list_keys(gen)
    check("--list-keys lists the table", len(keys) > 100, repr(len(keys)))
    with tempfile.TemporaryDirectory() as tmp:
        check_injection(gen, tmp, keys)
        check_refused(gen, tmp, keys)
        check_names(gen, tmp)
        check_secrets(gen, tmp)
        check_secret_errors(gen, tmp)
        check_backslash(gen, tmp, keys)
        check_dropin_names(gen, tmp)
        check_log_forging(gen, tmp)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
