#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The case files of --export=kube (test/cases-kube, see its README): each is exported with the
real generator, its YAML parsed, every object checked against the Kubernetes schema
(kube_schema.py) and the fields its "##" lines name compared by meaning.

run-kube-cases.py GENERATOR CASEDIR [NAME...]

Needs python3-yaml and python3-kubernetes. Without them the suite is skipped (exit 77), unless
OCI_KUBE_REQUIRE=1 (CI), when it fails."""
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

try:
    import yaml
    import kube_schema
except ImportError as e:
    # the interpreter meson found may be another than the system's, which has Debian's modules
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3") \
            and not os.environ.get("OCI_KUBE_REEXEC"):
        os.environ["OCI_KUBE_REEXEC"] = "1"
        os.execv("/usr/bin/python3", ["/usr/bin/python3", *sys.argv])
    if os.environ.get("OCI_KUBE_REQUIRE") == "1":
        print(f"run-kube-cases: {e}: install python3-yaml and python3-kubernetes", file=sys.stderr)
        sys.exit(1)
    print(f"run-kube-cases: skipped: {e} (python3-yaml and python3-kubernetes)")
    sys.exit(77)

REST_OF_LINE = {"assert-error", "assert-warning", "assert-stderr", "assert-field", "assert-stdout-absent"}
ARGC = {
    "with-file": (1, 2), "symlink": (2, 2), "kube-kind": (1, 1), "assert-object": (2, 2), "assert-no-object": (2, 2),
    "assert-objects": (1, 1), "assert-field": (4, 4), "assert-field-absent": (3, 3),
    "assert-stdout-absent": (1, 1), "assert-same-as-check": (0, 0), "assert-error": (2, 2), "assert-warning": (2, 2), "assert-stderr": (1, 1), "assert-exit": (1, 1),
}


def parse_directives(path):
    out = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            if not line.startswith("##") or not line[2:].strip():
                continue
            body = line[2:].strip()
            name = body.split(None, 1)[0]
            rest = body[len(name):].strip()
            if name not in ARGC:
                raise ValueError(f"line {n}: unknown directive {name}")
            lo, hi = ARGC[name]
            if name in REST_OF_LINE:
                parts = rest.split(None, hi - 1)
            else:
                parts = shlex.split(rest)
            if not lo <= len(parts) <= hi:
                raise ValueError(f"line {n}: {name} takes {lo}..{hi} arguments")
            out.append((n, name, parts))
    return out


def lookup(obj, path):
    """The value at a path like spec.containers[0].env[name=LANG].value; KeyError if none."""
    cur = obj
    for part in re.findall(r"[^.\[\]]+|\[[^\]]*\]", path):
        if part.startswith("["):
            sel = part[1:-1]
            if not isinstance(cur, list):
                raise KeyError(path)
            if "=" in sel:
                k, v = sel.split("=", 1)
                found = [x for x in cur if isinstance(x, dict) and str(x.get(k)) == v]
                if len(found) != 1:
                    raise KeyError(path)
                cur = found[0]
            else:
                i = int(sel)
                if i >= len(cur):
                    raise KeyError(path)
                cur = cur[i]
        else:
            if not isinstance(cur, dict) or part not in cur:
                raise KeyError(path)
            cur = cur[part]
    return cur


class Case:
    def __init__(self, gen, path):
        self.gen, self.path = gen, path
        self.name = os.path.basename(path)
        self.errors = []

    def fail(self, msg):
        self.errors.append(msg)

    def run(self):
        directives = parse_directives(self.path)
        tmp = tempfile.mkdtemp(prefix="kube-case-")
        try:
            upper = os.path.join(tmp, "upper")
            os.mkdir(upper)
            shutil.copy(self.path, os.path.join(upper, self.name))
            kind = None
            for _, name, args in directives:
                if name == "with-file":
                    dst = os.path.join(upper, args[1] if len(args) > 1 else os.path.basename(args[0]))
                    os.makedirs(os.path.dirname(dst), exist_ok=True)
                    shutil.copy(os.path.join(os.path.dirname(self.path), args[0]), dst)
                elif name == "symlink":
                    os.symlink(args[1], os.path.join(upper, args[0]))
                elif name == "kube-kind":
                    kind = args[0]
            # under valgrind with meson test --setup valgrind (test/valgrind.sh sets the wrapper)
            wrapper = shlex.split(os.environ.get("OCI_TEST_WRAPPER", ""))
            cmd = [*wrapper, self.gen, "--export=kube"] + ([f"--kube-kind={kind}"] if kind else []) + [upper]
            env = dict(os.environ, OCI_CONTAINERS_CONF="", OCI_CONTAINERS_UNIT_DIRS=upper)
            p = subprocess.run(cmd, capture_output=True, text=True, env=env)
            self.check(directives, p, upper)
            if any(name == "assert-same-as-check" for _, name, _ in directives):
                c = subprocess.run([*wrapper, self.gen, "--check", upper], capture_output=True, text=True, env=env)
                self.same_as_check(p, c)
        finally:
            shutil.rmtree(tmp)
        return not self.errors

    def same_as_check(self, p, c):
        """Every error and warning --check prints (on stdout) is on the export's stderr, the same."""
        msgs = lambda text: [ln for ln in text.splitlines() if re.search(r": (error|warning): ", ln)]
        want, got = msgs(c.stdout), msgs(p.stderr)
        if not any(": error: " in ln for ln in want):
            self.fail("assert-same-as-check: --check reports no error")
        for ln in want:
            if ln not in got:
                self.fail(f"assert-same-as-check: --check says {ln!r}, the export does not")
        if c.returncode != p.returncode:
            self.fail(f"assert-same-as-check: --check exits {c.returncode}, the export {p.returncode}")

    def check(self, directives, p, upper):
        try:
            docs = [d for d in yaml.safe_load_all(p.stdout) if d is not None]
        except yaml.YAMLError as e:
            self.fail(f"the output is not YAML: {e}")
            return
        for d in docs:
            for problem in kube_schema.check_object(d):
                self.fail(f"schema: {problem}")
        objects = {}
        for d in docs:
            key = (d.get("kind"), d.get("metadata", {}).get("name"))
            if key in objects:
                self.fail(f"two objects {key[0]} {key[1]}")
            objects[key] = d
        lines = [ln for ln in p.stderr.splitlines() if ln.strip()]
        summary = [ln for ln in lines if ln.startswith("Exported ")]
        if len(summary) != 1:
            self.fail("stderr has no summary line 'Exported N objects...'")
        unclaimed = [ln for ln in lines if not ln.startswith("Exported ")]
        has_error = False
        want_exit = None
        for n, name, args in directives:
            where = f"line {n}: {name}"
            args = [a.replace("@DIR@", upper) for a in args]
            if name == "assert-objects":
                if len(docs) != int(args[0]):
                    self.fail(f"{where}: {len(docs)} objects, not {args[0]}: {sorted(objects)}")
            elif name == "assert-object":
                if (args[0], args[1]) not in objects:
                    self.fail(f"{where}: no {args[0]} {args[1]} in {sorted(objects)}")
            elif name == "assert-no-object":
                if (args[0], args[1]) in objects:
                    self.fail(f"{where}: {args[0]} {args[1]} was exported")
            elif name in ("assert-field", "assert-field-absent"):
                obj = objects.get((args[0], args[1]))
                if obj is None:
                    self.fail(f"{where}: no {args[0]} {args[1]}")
                    continue
                try:
                    got = lookup(obj, args[2])
                    present = True
                except KeyError:
                    present = False
                if name == "assert-field-absent":
                    if present:
                        self.fail(f"{where}: {args[2]} is {got!r}")
                    continue
                try:
                    want = json.loads(args[3])
                except ValueError:
                    self.fail(f"{where}: the value {args[3]!r} is not JSON")
                    continue
                if not present:
                    self.fail(f"{where}: {args[2]} is missing")
                elif got != want or type(got) is not type(want):
                    self.fail(f"{where}: {args[2]} is {got!r}, not {want!r}")
            elif name in ("assert-error", "assert-warning", "assert-stderr"):
                if name == "assert-stderr":
                    pat = None
                    text = args[0]
                else:
                    has_error = has_error or name == "assert-error"
                    kind = "error" if name == "assert-error" else "warning"
                    f, _, line = args[0].rpartition(":") if ":" in args[0] else ("", "", args[0])
                    fname = os.path.join(upper, f or self.name)
                    text = args[1]
                    pat = f"{fname}:{line}:" if line != "-" else f"{fname}: "
                    pat = (pat, kind)
                match = [ln for ln in unclaimed if text in ln and
                         (pat is None or (ln.startswith(pat[0]) and f" {pat[1]}: " in ln))]
                if not match:
                    self.fail(f"{where}: no such line on stderr: {args}")
                else:
                    unclaimed.remove(match[0])
            elif name == "assert-stdout-absent":
                if args[0] in p.stdout:
                    self.fail(f"{where}: the YAML has {args[0]!r}")
            elif name == "assert-exit":
                want_exit = int(args[0])
        for ln in unclaimed:
            self.fail(f"stderr line not asserted: {ln}")
        if want_exit is None:
            want_exit = 1 if has_error else 0
        if p.returncode != want_exit:
            self.fail(f"exit status {p.returncode}, not {want_exit}")
        if not any(name.startswith("assert-") for _, name, _ in directives):
            self.fail("no assert-* directive")


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    gen, casedir, names = sys.argv[1], sys.argv[2], sys.argv[3:]
    files = sorted(f for f in os.listdir(casedir)
                   if os.path.isfile(os.path.join(casedir, f)) and not f.endswith(("README", ".md")))
    if names:
        files = [f for f in files if os.path.splitext(f)[0] in names or f in names]
    passed = failed = 0
    for f in files:
        c = Case(gen, os.path.join(casedir, f))
        try:
            ok = c.run()
        except ValueError as e:
            c.fail(str(e))
            ok = False
        if ok:
            passed += 1
            print(f"ok {f}")
        else:
            failed += 1
            print(f"FAIL {f}: " + "; ".join(c.errors))
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
