#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Run the case-file test suite against the real generator binary.

    test/run-cases.py [--no-verify] [-j N] [-v] GENERATOR CASES_DIR [CASE...]

Every CASES_DIR/*.container (or other definition: CASE_EXTENSIONS) is a definition with its
assertions in '##' comment lines; see
CASES_DIR/README for the format. Each case is generated into a fresh temporary directory (the
real write path, symlinks included), its assertions are checked, and every unit it produced is
given to 'systemd-analyze verify'. One line per case ('ok NAME' or 'FAIL NAME: why'), then
'N passed, M failed'; the exit status is 1 if any case failed.

OCI_TEST_WRAPPER, when set, is a command line (split as a shell would) that the generator runs
under, for example valgrind (meson test --setup valgrind sets it; see test/valgrind.sh).

Only the Python standard library is used.
"""

import argparse
import concurrent.futures
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

# ---------------------------------------------------------------------------------------------
# systemd's rules, as this runner understands them (written from systemd.syntax(7),
# systemd.unit(5) and systemd.service(5), for systemd 252).

WHITESPACE = " \t\n\r"

# Specifiers systemd 252 resolves in unit files (systemd.unit(5), "Specifiers"); c, r and R are
# deprecated and refused here, since the generator has no business writing them.
KNOWN_SPECIFIERS = set("aAbBCdEfgGhHiIjJlLmMnNopPqsStTuUvVwWyY")
# Specifiers of later versions, which the generator passes through with a warning: %D (254).
# A case using one says "## needs-systemd 254", and is not verified by an older systemd.
NEWER_SPECIFIERS = {"D": 254}

ENV_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class SyntaxProblem(Exception):
    pass


def _hexval(c):
    return int(c, 16) if c and c in "0123456789abcdefABCDEF" else None


def _unescape_one(s, i, out):
    """Decode the C escape whose letter is at s[i] into the bytearray out; return the new index."""
    c = s[i] if i < len(s) else ""
    simple = {"a": b"\a", "b": b"\b", "f": b"\f", "n": b"\n", "r": b"\r", "t": b"\t", "v": b"\v",
              "\\": b"\\", '"': b'"', "'": b"'", "s": b" "}
    if c in simple:
        out += simple[c]
        return i + 1
    if c == "x":
        digits = s[i + 1:i + 3]
        if len(digits) != 2 or any(_hexval(d) is None for d in digits):
            raise SyntaxProblem("bad \\x escape")
        v = int(digits, 16)
        if v == 0:
            raise SyntaxProblem("\\x00 escape")
        out.append(v)
        return i + 3
    if c in ("u", "U"):
        n = 4 if c == "u" else 8
        digits = s[i + 1:i + 1 + n]
        if len(digits) != n or any(_hexval(d) is None for d in digits):
            raise SyntaxProblem("bad \\%s escape" % c)
        v = int(digits, 16)
        if v == 0 or v > 0x10FFFF or 0xD800 <= v <= 0xDFFF:
            raise SyntaxProblem("invalid code point in \\%s escape" % c)
        out += chr(v).encode("utf-8")
        return i + 1 + n
    if c and c in "01234567":
        digits = s[i:i + 3]
        if len(digits) != 3 or any(d not in "01234567" for d in digits):
            raise SyntaxProblem("bad octal escape")
        v = int(digits, 8)
        if v == 0 or v > 255:
            raise SyntaxProblem("bad octal escape value")
        out.append(v)
        return i + 3
    raise SyntaxProblem("invalid escape '\\%s'" % c)


def extract_word(s, i):
    """systemd's extract_first_word(EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE) from s[i:], where s[i] is
    not whitespace. Quotes may open and close anywhere in a word; escapes are decoded inside and
    outside quotes. Returns (word, next index)."""
    out = bytearray()
    quote = None
    while i < len(s):
        c = s[i]
        if c == "\\":
            if i + 1 >= len(s):
                raise SyntaxProblem("backslash at the end of the value")
            i = _unescape_one(s, i + 1, out)
            continue
        if quote:
            if c == quote:
                quote = None
            else:
                out += c.encode("utf-8", "surrogateescape")
            i += 1
            continue
        if c in WHITESPACE:
            break
        if c in "\"'":
            quote = c
            i += 1
            continue
        out += c.encode("utf-8", "surrogateescape")
        i += 1
    if quote:
        raise SyntaxProblem("unbalanced quoting")
    return out.decode("utf-8", "surrogateescape"), i


def split_words(s):
    """Split a whole value into words (Environment=, RequiresMountsFor=, ...)."""
    words = []
    i = 0
    while True:
        while i < len(s) and s[i] in WHITESPACE:
            i += 1
        if i >= len(s):
            return words
        w, i = extract_word(s, i)
        words.append(w)


def resolve_specifiers(word):
    """'%%' becomes '%'; a known specifier stays as it is written ('%N'), since there is no unit
    context here; anything else is an error, as systemd would refuse it."""
    out = []
    i = 0
    while i < len(word):
        c = word[i]
        if c != "%":
            out.append(c)
            i += 1
            continue
        if i + 1 >= len(word):
            raise SyntaxProblem("lone '%%' at the end of %r" % word)
        n = word[i + 1]
        if n == "%":
            out.append("%")
        elif n in KNOWN_SPECIFIERS or n in NEWER_SPECIFIERS:
            out.append("%" + n)
        else:
            raise SyntaxProblem("unknown specifier '%%%s' in %r" % (n, word))
        i += 2
    return "".join(out)


def resolve_dollars(word):
    """What the process receives, as systemd 252 expands a word of a command line: '$$' is a
    literal '$'; a variable ("${NAME}", "${NAME:-x}", or a whole word "$NAME", which systemd splits)
    is left as written, as there is no environment to take it from; "$NAME" inside a word is
    literal. Any other '$' is an error here: the generator writes a '$' that stands for itself
    as '$$', since systemd would drop a word "$" or "$1"."""
    if word.startswith("$") and word[1:2] not in ("{", "$"):
        if not ENV_NAME_RE.fullmatch(word[1:]):
            raise SyntaxProblem("word %r would be dropped or replaced by systemd" % word)
        return word
    out = []
    i = 0
    while i < len(word):
        if word[i] == "$":
            nxt = word[i + 1:i + 2]
            if nxt == "$":
                out.append("$")
                i += 2
                continue
            if nxt == "{" and "}" in word[i + 2:]:
                end = word.index("}", i + 2)
                out.append(word[i:end + 1])
                i = end + 1
                continue
            if nxt and ENV_NAME_RE.match(nxt):
                out.append("$")
                i += 1
                continue
            raise SyntaxProblem("unescaped '$' in %r" % word)
        out.append(word[i])
        i += 1
    return "".join(out)


def parse_exec(value):
    """An Exec*= value: (prefix, argv) with argv as the process would receive it."""
    i = 0
    while i < len(value) and value[i] in "-@:+!":
        i += 1
    prefix = value[:i]
    raw = []
    while True:
        while i < len(value) and value[i] in WHITESPACE:
            i += 1
        if i >= len(value):
            break
        after = value[i + 1:i + 2]
        if raw and value[i] == ";" and (not after or after in WHITESPACE):
            raise SyntaxProblem("unquoted ';' separates commands")
        if raw and value[i:i + 2] == "\\;" and (i + 2 >= len(value) or value[i + 2] in WHITESPACE):
            raw.append(";")
            i += 2
            continue
        w, i = extract_word(value, i)
        raw.append(w)
    if not raw:
        raise SyntaxProblem("empty command line")
    argv = [resolve_dollars(resolve_specifiers(w)) for w in raw]
    if not argv[0].startswith("/"):
        raise SyntaxProblem("the command %r is not an absolute path" % argv[0])
    return prefix, argv


def parse_environment(value):
    """An Environment= value: [(NAME, VALUE)] with specifiers resolved as above."""
    pairs = []
    for w in split_words(value):
        w = resolve_specifiers(w)
        if "=" not in w or w.startswith("="):
            raise SyntaxProblem("%r is not NAME=VALUE" % w)
        name, val = w.split("=", 1)
        pairs.append((name, val))
    return pairs


def parse_env_file(text):
    """A file read as systemd reads EnvironmentFile=: {NAME: VALUE}. Whitespace before a name is
    skipped; '#' or ';' there starts a comment; an unquoted value loses its trailing whitespace and
    takes a backslash as "the next character is literal" (a line break: continued); '...' is
    literal; in "..." a backslash escapes only '"', '\\', '`', '$' and a line break."""
    env, key, val = {}, "", ""
    state, trail = "pre-key", 0
    for c in text + "\n":
        if state == "pre-key":
            if c in "#;":
                state = "comment"
            elif not c.isspace():
                state, key = "key", c
        elif state == "key":
            if c == "\n":
                state = "pre-key"
            elif c == "=":
                state, key, val = "pre-value", key.rstrip(), ""
            else:
                key += c
        elif state in ("pre-value", "value"):
            if c == "\n":
                env[key] = val[:len(val) - trail] if state == "value" else val
                state = "pre-key"
            elif c == "'":
                state = "single"
            elif c == '"':
                state = "double"
            elif c == "\\":
                state = "value-escape"
            elif state == "value" or not c.isspace():
                state = "value"
                val += c
                trail = trail + 1 if c.isspace() else 0
        elif state == "value-escape":
            state = "value"
            if c != "\n":
                val += c
            trail = 0
        elif state == "single":
            if c == "'":
                state, trail = "value", 0
            else:
                val += c
        elif state == "double":
            if c == '"':
                state, trail = "value", 0
            elif c == "\\":
                state = "double-escape"
            else:
                val += c
        elif state == "double-escape":
            state = "double"
            if c in '"\\`$':
                val += c
            elif c != "\n":
                val += "\\" + c
        elif state == "comment":
            if c == "\\":
                state = "comment-escape"
            elif c == "\n":
                state = "pre-key"
        elif state == "comment-escape":
            state = "comment"
    return env


def unescape_percent(s):
    return s.replace("%%", "%")


# ---------------------------------------------------------------------------------------------
# A generated unit file.

class Unit:
    def __init__(self, name, text):
        self.name = name
        self.text = text
        self.lines = []  # (section, key, value), in file order
        self.problems = []
        section = None
        for n, line in enumerate(text.split("\n"), 1):
            if not line.strip() or line.startswith("#") or line.startswith(";"):
                continue
            if line.startswith("["):
                if not line.endswith("]"):
                    self.problems.append("line %d: bad section header %r" % (n, line))
                section = line[1:-1]
                continue
            if "=" not in line:
                self.problems.append("line %d: not Key=Value: %r" % (n, line))
                continue
            # systemd continues a line that ends in an unescaped backslash: an odd number of them
            if (len(line) - len(line.rstrip("\\"))) % 2 == 1:
                self.problems.append("line %d: ends in a backslash (continues the line)" % n)
            if section is None:
                self.problems.append("line %d: before any section" % n)
            key, value = line.split("=", 1)
            self.lines.append((section, key, value))
        self.source = None
        for s, k, v in self.lines:
            if s == "Unit" and k == "SourcePath":
                self.source = unescape_percent(v)

    def values(self, section, key):
        return [v for s, k, v in self.lines if s == section and k == key]

    def has_section(self, section):
        return any(s == section for s, _, _ in self.lines)

    def section_lines(self, section):
        return ["%s=%s" % (k, v) for s, k, v in self.lines if s == section]


_SYSTEMD_VERSION = []


def installed_systemd():
    """The version of the systemd-analyze that verifies units (0 when it cannot say)."""
    if not _SYSTEMD_VERSION:
        try:
            out = subprocess.run(["systemd-analyze", "--version"], capture_output=True, text=True).stdout
            m = re.match(r"systemd (\d+)", out)
            _SYSTEMD_VERSION.append(int(m.group(1)) if m else 0)
        except OSError:
            _SYSTEMD_VERSION.append(0)
    return _SYSTEMD_VERSION[0]


# ---------------------------------------------------------------------------------------------
# The case file format.

SETUP = {
    # name: (min args, max args)
    "with-file": (1, 2),
    "with-lower-file": (1, 2),
    "mask": (1, 1),
    "symlink": (2, 2),
    "with-conf": (1, 1),
    "install-as": (1, 1),
    "user": (0, 0),
    "installed": (1, 1),
    "podman-version": (1, 1),
    "substitute": (2, None),
    "repeat": (3, 3),
    "unit": (1, 1),
    "needs-systemd": (1, 1),
}

# assertions whose last argument is the raw rest of the line (not split with shlex)
RAW_TAIL = {
    "assert-error": 1,
    "assert-warning": 1,
    "assert-stderr": 0,
    "assert-key": 2,
    "assert-key-last": 2,
    "assert-exec-raw": 0,
    "assert-exec-no-raw": 0,
}

ASSERTS = {
    "assert-exit": (1, 1),
    "assert-error": (2, 2),
    "assert-warning": (2, 2),
    "assert-stderr": (1, 1),
    "assert-skipped": (0, 1),
    "assert-unit-name": (1, 1),
    "assert-unit": (1, 1),
    "assert-no-unit": (1, 1),
    "assert-unit-count": (1, 1),
    "assert-exec-args": (1, None),
    "assert-exec-no-args": (1, None),
    "assert-exec-argv": (1, None),
    "assert-exec-argv-start": (1, None),
    "assert-exec-argv-end": (1, None),
    "assert-exec-order": (2, None),
    "assert-exec-raw": (1, 1),
    "assert-exec-no-raw": (1, 1),
    "assert-argv": (2, None),
    "assert-key": (3, 3),
    "assert-key-last": (3, 3),
    "assert-key-absent": (2, 2),
    "assert-key-count": (3, 3),
    "assert-order": (3, None),
    "assert-section-absent": (1, 1),
    "assert-env": (2, 2),
    "assert-env-absent": (1, 1),
    "assert-secret-env": (2, 2),
    "assert-link": (2, 2),
    "assert-no-link": (1, 1),
    "assert-link-count": (1, 1),
    "assert-target-wants": (1, 1),
    "assert-no-target-wants": (1, 1),
    "assert-stand-in": (1, 2),
    "assert-no-stand-in": (1, 1),
    "assert-in-order": (0, 0),
}

# The drop-in of oci-containers.target with a Wants= for each unit it starts (generator/output.c).
TARGET_WANTS_DROPIN = "oci-containers.target.d/oci-containers-generator.conf"

SKIPPED_SUFFIX = ": skipped because of the errors above; no unit was generated for it"

# A stand-in: the unit the generator writes in place of a skipped definition (generator/report.c).
STAND_IN_MARK = "# Stands in for "
STAND_IN_SCRIPT = "printf '%s\\n' \"$@\"; exit 78"
STAND_IN_KEYS = {("Unit", "Description"), ("Unit", "Documentation"), ("Unit", "SourcePath"),
                 ("Service", "Type"), ("Service", "ExecStart"), ("Service", "SyslogIdentifier")}
STAND_IN_MORE = re.compile(r"<4>.*: \d+ more messages; oci-containers-generator --check .* shows them all$")


class CaseError(Exception):
    pass


class Directive:
    def __init__(self, lineno, name, args):
        self.lineno = lineno
        self.name = name
        self.args = args


def parse_directives(path):
    """The '##' lines of a case file, checked for known names and argument counts."""
    with open(path, "rb") as f:
        data = f.read()
    text = data.decode("utf-8", "surrogateescape")
    out = []
    problems = []
    for n, line in enumerate(text.split("\n"), 1):
        if not line.startswith("##"):
            continue
        body = line[2:].strip()
        if not body:
            continue
        name, _, rest = body.partition(" ")
        rest = rest.strip()
        if name not in SETUP and name not in ASSERTS:
            problems.append("line %d: unknown directive '## %s'" % (n, name))
            continue
        lo, hi = SETUP.get(name) or ASSERTS[name]
        try:
            if name in RAW_TAIL:
                # the first k arguments are words, the last is the rest of the line as written
                k = RAW_TAIL[name]
                args = rest.split(None, k) if rest else []
            else:
                args = shlex.split(rest)
        except ValueError as e:
            problems.append("line %d: cannot split '## %s' arguments: %s" % (n, name, e))
            continue
        if len(args) < lo or (hi is not None and len(args) > hi):
            want = str(lo) if lo == hi else "%d to %s" % (lo, hi if hi is not None else "any")
            problems.append("line %d: '## %s' takes %s argument(s), got %d" % (n, name, want, len(args)))
            continue
        out.append(Directive(n, name, args))
    return data, out, problems


def apply_substitutions(data, subs):
    """Replace tokens in every line that is not a '##' line."""
    if not subs:
        return data
    lines = data.split(b"\n")
    for i, line in enumerate(lines):
        if line.startswith(b"##"):
            continue
        for token, repl in subs:
            line = line.replace(token, repl)
        lines[i] = line
    return b"\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Running one case.

class Context:
    def __init__(self, args):
        self.generator = os.path.abspath(args.generator)
        # a program the generator runs under (valgrind), which makes it slower
        self.wrapper = shlex.split(os.environ.get("OCI_TEST_WRAPPER", ""))
        self.timeout = 300 if self.wrapper else 30
        self.cases_dir = os.path.abspath(args.cases_dir)
        self.verify = not args.no_verify


def contains_run(haystack, needle):
    n = len(needle)
    return any(haystack[i:i + n] == needle for i in range(len(haystack) - n + 1))


def fmt_argv(argv):
    return " ".join(shlex.quote(a) for a in argv)


# the kinds of definition a case file may be, as the generator tells them by their extension
CASE_EXTENSIONS = (".container", ".network", ".volume", ".pod", ".image", ".build", ".kube", ".artifact")


def case_name(file_name):
    """The case's name: its file name without the extension; None for a file that is no case."""
    for ext in CASE_EXTENSIONS:
        if file_name.endswith(ext) and len(file_name) > len(ext):
            return file_name[:-len(ext)]
    return None


class Case:
    def __init__(self, ctx, path):
        self.ctx = ctx
        self.path = path
        self.name = case_name(os.path.basename(path))
        self.failures = []
        self.details = []

    def fail(self, msg):
        self.failures.append(msg)

    # -- setup ---------------------------------------------------------------------------------

    def source(self, rel):
        p = os.path.normpath(os.path.join(self.ctx.cases_dir, rel))
        if not p.startswith(self.ctx.cases_dir + os.sep) or not os.path.isfile(p):
            raise CaseError("companion file %r not found under %s" % (rel, self.ctx.cases_dir))
        return p

    def place(self, directory, name):
        """The path for NAME (which may hold subdirectories, as drop-ins do) under directory."""
        dest = os.path.normpath(os.path.join(directory, name))
        if not dest.startswith(directory + os.sep):
            raise CaseError("%r is outside the search directory" % name)
        if os.path.lexists(dest):
            raise CaseError("two files installed as %s" % dest)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        return dest

    def install(self, data, directory, name):
        dest = self.place(directory, name)
        with open(dest, "wb") as f:
            f.write(apply_substitutions(data, self.subs))
        return dest

    def run(self):
        self.tmp = self.upper = self.lower = None
        try:
            self._run()
        except CaseError as e:
            self.fail(str(e))
        except Exception as e:  # a bug in the runner must not look like a pass
            self.fail("runner error: %s: %s" % (type(e).__name__, e))
        # the temporary directory's name changes on every run: write it the way cases do
        if self.tmp:
            def hide(text):
                for path, token in ((self.upper, "@DIR@"), (self.lower, "@LOWER@"), (self.tmp, "@TMP@")):
                    if path:
                        text = text.replace(path, token)
                return text
            self.failures = [hide(f) for f in self.failures]
            self.details = [hide(d) for d in self.details]
        return self

    def _run(self):
        data, directives, problems = parse_directives(self.path)
        for p in problems:
            self.fail(p)
        if problems:
            return
        if not any(d.name in ASSERTS for d in directives):
            self.fail("the case has no assertions")
            return

        # substitutions first: they apply to every installed file and to assertion arguments
        self.subs = []
        self.text_subs = []
        for d in directives:
            if d.name == "substitute":
                try:
                    repl = bytes(int(h, 16) for h in d.args[1:])
                except ValueError:
                    raise CaseError("line %d: '## substitute' takes hex bytes" % d.lineno)
                self.subs.append((d.args[0].encode(), repl))
                self.text_subs.append((d.args[0], repl.decode("utf-8", "surrogateescape")))
            elif d.name == "repeat":
                try:
                    count = int(d.args[1])
                except ValueError:
                    raise CaseError("line %d: '## repeat' takes a count" % d.lineno)
                repl = d.args[2] * count
                self.subs.append((d.args[0].encode(), repl.encode()))
                self.text_subs.append((d.args[0], repl))

        with tempfile.TemporaryDirectory(prefix="oci-case-") as tmp:
            self.tmp = tmp
            upper = os.path.join(tmp, "upper")
            lower = os.path.join(tmp, "lower")
            out = os.path.join(tmp, "out")
            installed = os.path.join(tmp, "installed")
            for p in (upper, lower, out, installed):
                os.mkdir(p)
            self.upper, self.lower, self.out = upper, lower, out
            self.conf = None
            user = False
            podman_version = "4.3"
            case_name = os.path.basename(self.path)
            for d in directives:
                if d.name == "install-as":
                    case_name = d.args[0]
            self.case_file = self.install(data, upper, case_name)
            for d in directives:
                if d.name in ("with-file", "with-lower-file"):
                    src = self.source(d.args[0])
                    name = d.args[1] if len(d.args) > 1 else os.path.basename(src)
                    with open(src, "rb") as f:
                        self.install(f.read(), upper if d.name == "with-file" else lower, name)
                elif d.name == "mask":
                    os.symlink("/dev/null", self.place(upper, d.args[0]))
                elif d.name == "symlink":
                    os.symlink(d.args[1], self.place(upper, d.args[0]))
                elif d.name == "with-conf":
                    if self.conf:
                        raise CaseError("line %d: only one '## with-conf'" % d.lineno)
                    conf_dir = os.path.join(tmp, "conf")
                    os.mkdir(conf_dir)
                    with open(self.source(d.args[0]), "rb") as f:
                        self.conf = self.install(f.read(), conf_dir, "oci-containers.conf")
                elif d.name == "user":
                    user = True
                elif d.name == "podman-version":
                    podman_version = d.args[0]
                elif d.name == "installed":
                    with open(self.place(installed, d.args[0]), "w") as f:
                        f.write("[Unit]\nDescription=An installed unit\n[Service]\nExecStart=/bin/true\n")
            self.user = user

            env = {k: v for k, v in os.environ.items()
                   if not k.startswith(("OCI_CONTAINERS_", "SYSTEMD_", "XDG_"))}
            env.update({
                "OCI_CONTAINERS_UNIT_DIRS": "%s:%s" % (upper, lower),
                "OCI_CONTAINERS_CONF": self.conf or "",
                # the installed units a generated one would replace: only those the case installs
                "OCI_CONTAINERS_SYSTEMD_UNIT_DIRS": installed,
                # the podman the units are for: Debian 12's, whatever is installed here
                "OCI_CONTAINERS_PODMAN_VERSION": podman_version,
                "SYSTEMD_LOG_TARGET": "console",
                "LC_ALL": "C.UTF-8",
            })
            cmd = self.ctx.wrapper + [self.ctx.generator] + (["--user"] if user else []) + [out]
            try:
                p = subprocess.run(cmd, env=env, capture_output=True, timeout=self.ctx.timeout, cwd=tmp)
            except subprocess.TimeoutExpired:
                raise CaseError("the generator did not finish within %d s" % self.ctx.timeout)
            self.exit = p.returncode
            self.stdout = p.stdout.decode("utf-8", "surrogateescape")
            self.stderr = p.stderr.decode("utf-8", "surrogateescape")
            self.details.append("stderr:\n" + self.stderr if self.stderr else "stderr: (empty)")
            if self.stdout:
                self.fail("unexpected output on stdout: %r" % self.stdout[:200])

            self.collect_output()
            self.check(directives)
            needs = max([int(d.args[0]) for d in directives if d.name == "needs-systemd"] or [0])
            if self.ctx.verify and (self.all_units() or self.stand_ins) and needs <= installed_systemd():
                self.verify()

    @staticmethod
    def is_stand_in(text):
        lines = text.split("\n")
        return len(lines) > 1 and lines[1].startswith(STAND_IN_MARK)

    @staticmethod
    def is_pull_companion(name, text):
        """NAME-pull.service, made beside the service of every definition with a pullable image:
        kept apart so that "the unit of the case" stays the service itself."""
        return name.endswith("-pull.service") and "\nDescription=Pull the image of " in text

    def all_units(self):
        return {**self.units, **self.companions}

    def collect_output(self):
        self.units = {}
        self.companions = {}
        self.stand_ins = {}
        self.links = {}
        self.stand_in_links = {}
        self.secrets = {}  # NAME.service.env: (mode, text)
        self.target_wants = []  # the units the drop-in of oci-containers.target wants, in its order
        for root, dirs, files in os.walk(self.out):
            dirs.sort()
            for name in sorted(dirs + files):
                path = os.path.join(root, name)
                rel = os.path.relpath(path, self.out)
                if os.path.islink(path):
                    self.links[rel] = os.readlink(path)
                    if name in dirs:
                        dirs.remove(name)
                elif os.path.isdir(path):
                    continue
                elif rel == TARGET_WANTS_DROPIN:
                    with open(path, encoding="utf-8") as f:
                        self.read_target_wants(f.read())
                elif root == self.out and name.endswith(".service.env"):
                    with open(path, "rb") as f:
                        self.secrets[name] = (os.stat(path).st_mode & 0o7777, f.read().decode("utf-8", "surrogateescape"))
                    self.details.append("--- %s: mode %o, %d bytes ---" % (name, self.secrets[name][0], len(self.secrets[name][1])))
                elif root == self.out and name.endswith(".service"):
                    with open(path, "rb") as f:
                        raw = f.read()
                    try:
                        text = raw.decode("utf-8")
                    except UnicodeDecodeError:
                        self.fail("%s is not valid UTF-8" % rel)
                        text = raw.decode("utf-8", "surrogateescape")
                    u = Unit(name, text)
                    for prob in u.problems:
                        self.fail("%s: %s" % (name, prob))
                    if self.is_stand_in(text):
                        self.stand_ins[name] = u
                    else:
                        (self.companions if self.is_pull_companion(name, text) else self.units)[name] = u
                    self.details.append("--- %s ---\n%s" % (name, text))
                else:
                    self.fail("unexpected file in the output: %s" % rel)
        self.check_secrets()
        self.check_target_wants()
        for rel, target in sorted(self.links.items()):
            self.details.append("link %s -> %s" % (rel, target))
            resolved = os.path.normpath(os.path.join(self.out, os.path.dirname(rel), target))
            if not os.path.isfile(resolved):
                self.fail("dangling link %s -> %s" % (rel, target))
            elif os.path.dirname(resolved) == self.out and os.path.basename(resolved) in self.stand_ins:
                self.stand_in_links[rel] = self.links.pop(rel)

    def read_target_wants(self, text):
        """The generator's drop-in of oci-containers.target: comment lines, then [Unit] and one
        Wants= a line, each naming a unit of the output once."""
        self.details.append("--- %s ---\n%s" % (TARGET_WANTS_DROPIN, text))
        lines = [l for l in text.split("\n") if l and not l.startswith("#")]
        if not lines or lines[0] != "[Unit]":
            self.fail("%s does not start with [Unit]" % TARGET_WANTS_DROPIN)
            return
        for l in lines[1:]:
            if not l.startswith("Wants=") or not l[len("Wants="):] or " " in l:
                self.fail("%s: not one Wants=UNIT: %r" % (TARGET_WANTS_DROPIN, l))
            elif l[len("Wants="):] in self.target_wants:
                self.fail("%s: %s twice" % (TARGET_WANTS_DROPIN, l))
            else:
                self.target_wants.append(l[len("Wants="):])

    def check_target_wants(self):
        for unit in self.target_wants:
            # an instance's file is its template's
            at = unit.find("@")
            file = unit if at < 0 else unit[:at + 1] + unit[unit.rindex("."):]
            if not os.path.isfile(os.path.join(self.out, file)) and not os.path.isfile(os.path.join(self.out, unit)):
                self.fail("%s wants %s, which is not in the output" % (TARGET_WANTS_DROPIN, unit))

    def check_secrets(self):
        """A NAME.service.env is mode 0600, named by EnvironmentFile= of NAME.service and of no
        other unit, and no value of it appears in any unit's text."""
        for name, (mode, text) in sorted(self.secrets.items()):
            if mode != 0o600:
                self.fail("%s has mode %o, not 600" % (name, mode))
            path = os.path.join(self.out, name)
            users = sorted(u.name for u in self.all_units().values() if path in u.values("Service", "EnvironmentFile"))
            if users != [name[:-len(".env")]]:
                self.fail("%s is named by EnvironmentFile= of %s, expected %s only" % (name, users, name[:-len(".env")]))
            for val in parse_env_file(text).values():
                for u in self.all_units().values():
                    if len(val) >= 3 and val in u.text:
                        self.fail("the value %r of %s is in %s" % (val, name, u.name))

    # -- assertions ------------------------------------------------------------------------------

    def sub_text(self, s):
        for token, repl in self.text_subs:
            s = s.replace(token, repl)
        # where the case's files are: the temporary directories differ on every run
        for token, repl in (("@DIR@", self.upper), ("@LOWER@", self.lower), ("@TMP@", self.tmp)):
            s = s.replace(token, repl)
        return s

    def where_prefix(self, where):
        """'LINE', '-', 'FILE:LINE', 'FILE:-', 'lower/FILE:LINE', '@conf:LINE' -> (path, prefix)."""
        if ":" in where:
            f, line = where.rsplit(":", 1)
            if f == "@conf":
                if not self.conf:
                    raise CaseError("'@conf' used without '## with-conf'")
                path = self.conf
            elif f.startswith("lower/"):
                path = os.path.join(self.lower, f[len("lower/"):])
            else:
                path = os.path.join(self.upper, f)
        else:
            path, line = self.case_file, where
        if line == "-":
            return path, path + ": "
        if not line.isdigit():
            raise CaseError("bad location %r (LINE, -, FILE:LINE or FILE:-)" % where)
        return path, "%s:%s: " % (path, line)

    def unit_from(self, path):
        return [u for u in self.units.values() if u.source == path]

    def exec_start(self, unit):
        vals = unit.values("Service", "ExecStart")
        if len(vals) != 1:
            raise CaseError("%s has %d ExecStart= lines, expected 1" % (unit.name, len(vals)))
        try:
            return parse_exec(vals[0])[1]
        except SyntaxProblem as e:
            raise CaseError("%s: ExecStart= cannot be parsed: %s" % (unit.name, e))

    def check(self, directives):
        stderr_lines = [l for l in self.stderr.split("\n") if l]
        claimed = [False] * len(stderr_lines)

        order = []  # the stderr line each message assertion claimed, in the order of the directives

        def claim(pred):
            for i, l in enumerate(stderr_lines):
                if not claimed[i] and pred(l):
                    claimed[i] = True
                    order.append(i)
                    return True
            return False

        # every Exec*= and Environment= line of every unit must parse by systemd's rules
        for u in self.all_units().values():
            for s, k, v in u.lines:
                try:
                    if s == "Service" and k.startswith("Exec"):
                        parse_exec(v)
                    elif s == "Service" and k == "Environment":
                        parse_environment(v)
                except SyntaxProblem as e:
                    self.fail("%s: %s= cannot be read as systemd would: %s" % (u.name, k, e))

        self.check_stand_ins(stderr_lines)

        errors_for = set()
        expected_exit = None
        in_order = False
        current = None  # unit name chosen with '## unit'
        for d in directives:
            a = [self.sub_text(x) for x in d.args]
            n = d.name
            try:
                if n == "unit":
                    current = a[0]
                elif n in SETUP:
                    continue
                elif n == "assert-exit":
                    expected_exit = int(a[0])
                elif n in ("assert-error", "assert-warning"):
                    path, prefix = self.where_prefix(a[0])
                    if n == "assert-error":
                        errors_for.add(path)
                    if not claim(lambda l: l.startswith(prefix) and a[1] in l[len(prefix):]):
                        self.fail("%s: no message '%s...%s...'" % (n, prefix, a[1]))
                elif n == "assert-skipped":
                    # an error in a drop-in or template stops the definition that reads it
                    path = self.where_prefix((a[0] + ":-") if a else "-")[0]
                    errors_for.add(path)
                    if not claim(lambda l: l == path + SKIPPED_SUFFIX):
                        self.fail("assert-skipped: no message '%s%s'" % (path, SKIPPED_SUFFIX))
                elif n == "assert-stderr":
                    if not claim(lambda l: a[0] in l):
                        self.fail("assert-stderr: no message containing %r" % a[0])
                elif n == "assert-unit-name":
                    names = sorted(u.name for u in self.unit_from(self.case_file))
                    if names != [a[0]]:
                        self.fail("assert-unit-name: the case made %s, expected %s" % (names or "no unit", a[0]))
                elif n == "assert-unit":
                    if a[0] not in self.all_units():
                        self.fail("assert-unit: %s was not generated" % a[0])
                elif n == "assert-no-unit":
                    if a[0] in self.all_units():
                        self.fail("assert-no-unit: %s was generated" % a[0])
                elif n == "assert-unit-count":
                    if len(self.units) != int(a[0]):
                        self.fail("assert-unit-count: %d units, expected %s" % (len(self.units), a[0]))
                elif n == "assert-link":
                    got = self.links.get(a[0])
                    if got != a[1]:
                        self.fail("assert-link: %s -> %s, expected -> %s" % (a[0], got, a[1]))
                elif n == "assert-no-link":
                    if a[0] in self.links:
                        self.fail("assert-no-link: %s -> %s exists" % (a[0], self.links[a[0]]))
                elif n == "assert-target-wants":
                    if a[0] not in self.target_wants:
                        self.fail("assert-target-wants: %s does not want %s (it wants: %s)"
                                  % (TARGET_WANTS_DROPIN, a[0], ", ".join(self.target_wants) or "nothing"))
                elif n == "assert-no-target-wants":
                    if a[0] in self.target_wants:
                        self.fail("assert-no-target-wants: %s wants %s" % (TARGET_WANTS_DROPIN, a[0]))
                elif n == "assert-link-count":
                    if len(self.links) != int(a[0]):
                        self.fail("assert-link-count: %d links (%s), expected %s"
                                  % (len(self.links), ", ".join(sorted(self.links)), a[0]))
                elif n == "assert-stand-in":
                    path = self.where_prefix((a[1] + ":-") if len(a) > 1 else "-")[0]
                    u = self.stand_ins.get(a[0])
                    if not u:
                        self.fail("assert-stand-in: no stand-in %s (stand-ins: %s)" % (a[0], sorted(self.stand_ins) or "none"))
                    elif u.source != path:
                        self.fail("assert-stand-in: %s stands in for %s, not %s" % (a[0], u.source, path))
                elif n == "assert-no-stand-in":
                    if a[0] in self.stand_ins:
                        self.fail("assert-no-stand-in: %s stands in for %s" % (a[0], self.stand_ins[a[0]].source))
                elif n == "assert-in-order":
                    in_order = True
                else:
                    self.check_unit(n, a, self.pick_unit(current))
            except CaseError as e:
                self.fail("line %d: %s" % (d.lineno, e))
            except ValueError as e:
                self.fail("line %d: bad argument: %s" % (d.lineno, e))

        # a skipped definition says so; that line needs no assertion of its own
        for path in errors_for:
            claim(lambda l: l == path + SKIPPED_SUFFIX)
            made = self.unit_from(path)
            if made:
                self.fail("%s has an error, yet %s was generated"
                          % (os.path.basename(path), ", ".join(u.name for u in made)))
        if self.case_file not in errors_for:
            made = self.unit_from(self.case_file)
            if len(made) != 1:
                self.fail("the case file made %d units, expected 1 (or an assert-error)" % len(made))

        if in_order and order != sorted(order):
            self.fail("assert-in-order: the messages are in another order:\n    %s"
                      % "\n    ".join(stderr_lines[i] for i in sorted(order)))

        for i, l in enumerate(stderr_lines):
            if not claimed[i]:
                self.fail("unexpected message: %s" % l)

        if expected_exit is None:
            expected_exit = 1 if errors_for else 0
        if self.exit != expected_exit:
            self.fail("exit status %d, expected %d" % (self.exit, expected_exit))

    def check_stand_ins(self, stderr_lines):
        """A stand-in names a skipped definition, starts nothing but a shell that prints what the
        generator said of it (and fails), has no [Install], and is linked only for boot."""
        boot = "default.target.wants/" if self.user else "multi-user.target.wants/"
        for name, u in sorted(self.stand_ins.items()):
            if not u.source or u.source + SKIPPED_SUFFIX not in stderr_lines:
                self.fail("stand-in %s: its SourcePath=%s is no skipped definition" % (name, u.source))
            other = sorted({(s, k) for s, k, _ in u.lines} - STAND_IN_KEYS)
            if other:
                self.fail("stand-in %s: unexpected lines %s" % (name, other))
            if u.values("Service", "Type") != ["oneshot"]:
                self.fail("stand-in %s: Type=%s, expected oneshot" % (name, u.values("Service", "Type")))
            execs = u.values("Service", "ExecStart")
            try:
                prefix, argv = parse_exec(execs[0]) if len(execs) == 1 else (None, [])
            except SyntaxProblem as e:
                raise CaseError("stand-in %s: ExecStart= cannot be parsed: %s" % (name, e))
            if prefix != "" or argv[:4] != ["/bin/sh", "-c", STAND_IN_SCRIPT, name]:
                self.fail("stand-in %s: ExecStart= is not the script that prints its messages: %s" % (name, execs))
                continue
            said = argv[4:]
            for m in said:
                text = re.sub(r"^<[0-7]>", "", m)
                cut = text.endswith("...") and any(l.startswith(text[:-3]) for l in stderr_lines)
                if text == m or (text not in stderr_lines and not cut and not STAND_IN_MORE.match(m)):
                    self.fail("stand-in %s: says %r, which the generator did not" % (name, m))
            if not said or said[-1] != "<4>" + u.source + SKIPPED_SUFFIX:
                self.fail("stand-in %s: does not end with the line that says it was skipped" % name)
            links = sorted(rel for rel, t in self.stand_in_links.items() if t == "../" + name)
            want = [] if "@." in name else [boot + name]
            if links != want:
                self.fail("stand-in %s: links %s, expected %s" % (name, links, want))
        strays = sorted(rel for rel, t in self.stand_in_links.items() if not rel.startswith(boot))
        if strays:
            self.fail("links to stand-ins outside %s: %s" % (boot, strays))

    def pick_unit(self, current):
        if current:
            units = {**self.all_units(), **self.stand_ins}
            if current not in units:
                raise CaseError("unit %s was not generated" % current)
            return units[current]
        made = self.unit_from(self.case_file)
        if len(made) != 1:
            raise CaseError("the case file made %d units; nothing to check" % len(made))
        return made[0]

    def check_unit(self, n, a, u):
        if n in ("assert-exec-raw", "assert-exec-no-raw"):
            vals = u.values("Service", "ExecStart")
            if len(vals) != 1:
                raise CaseError("%s has %d ExecStart= lines, expected 1" % (u.name, len(vals)))
            if (a[0] in vals[0]) != (n == "assert-exec-raw"):
                self.fail("%s %r: ExecStart=%s" % (n, a[0], vals[0]))
        elif n.startswith("assert-exec-"):
            argv = self.exec_start(u)
            want = a
            ok = {
                "assert-exec-args": lambda: contains_run(argv, want),
                "assert-exec-no-args": lambda: not contains_run(argv, want),
                "assert-exec-argv": lambda: argv == want,
                "assert-exec-argv-start": lambda: argv[:len(want)] == want,
                "assert-exec-argv-end": lambda: len(argv) >= len(want) and argv[len(argv) - len(want):] == want,
                "assert-exec-order": lambda: self.in_order(argv, want),
            }[n]()
            if not ok:
                self.fail("%s %s: ExecStart argv is %s" % (n, fmt_argv(want), fmt_argv(argv)))
        elif n == "assert-argv":
            key, want = a[0], a[1:]
            found = []
            for v in u.values("Service", key):
                try:
                    prefix, argv = parse_exec(v)
                except SyntaxProblem as e:
                    raise CaseError("%s=%s: %s" % (key, v, e))
                found.append([prefix + argv[0]] + argv[1:])
            if want not in found:
                self.fail("assert-argv %s %s: the %s= lines are %s"
                          % (key, fmt_argv(want), key, "; ".join(fmt_argv(f) for f in found) or "absent"))
        elif n == "assert-key":
            if a[2] not in u.values(a[0], a[1]):
                self.fail("assert-key: no %s=%s in [%s] (has %s)" % (a[1], a[2], a[0], u.values(a[0], a[1])))
        elif n == "assert-key-last":
            vals = u.values(a[0], a[1])
            if not vals or vals[-1] != a[2]:
                self.fail("assert-key-last: the last %s= in [%s] is %r, expected %r"
                          % (a[1], a[0], vals[-1] if vals else None, a[2]))
        elif n == "assert-key-absent":
            if u.values(a[0], a[1]):
                self.fail("assert-key-absent: [%s] has %s=%s" % (a[0], a[1], u.values(a[0], a[1])))
        elif n == "assert-key-count":
            if len(u.values(a[0], a[1])) != int(a[2]):
                self.fail("assert-key-count: [%s] has %d %s= lines, expected %s"
                          % (a[0], len(u.values(a[0], a[1])), a[1], a[2]))
        elif n == "assert-order":
            lines = u.section_lines(a[0])
            pos = []
            for want in a[1:]:
                if want not in lines:
                    self.fail("assert-order: no line %r in [%s]" % (want, a[0]))
                    return
                pos.append(lines.index(want))
            if pos != sorted(pos) or len(set(pos)) != len(pos):
                self.fail("assert-order: [%s] lines %s are not in this order" % (a[0], a[1:]))
        elif n == "assert-section-absent":
            if u.has_section(a[0]):
                self.fail("assert-section-absent: [%s] is present" % a[0])
        elif n in ("assert-env", "assert-env-absent"):
            env = {}
            for v in u.values("Service", "Environment"):
                try:
                    for k, val in parse_environment(v):
                        env[k] = val
                except SyntaxProblem as e:
                    raise CaseError("Environment=%s: %s" % (v, e))
            if n == "assert-env" and env.get(a[0]) != a[1]:
                self.fail("assert-env: %s is %r, expected %r" % (a[0], env.get(a[0]), a[1]))
            if n == "assert-env-absent" and a[0] in env:
                self.fail("assert-env-absent: %s=%r is set" % (a[0], env[a[0]]))
        elif n == "assert-secret-env":
            env = {}
            for f in u.values("Service", "EnvironmentFile"):
                rel = os.path.relpath(f, self.out)
                if rel not in self.secrets:
                    self.fail("assert-secret-env: EnvironmentFile=%s is not a file the generator wrote" % f)
                    continue
                env.update(parse_env_file(self.secrets[rel][1]))
            if env.get(a[0]) != a[1]:
                self.fail("assert-secret-env: %s is %r, expected %r" % (a[0], env.get(a[0]), a[1]))
        else:
            raise CaseError("internal: unhandled directive %s" % n)

    @staticmethod
    def in_order(argv, want):
        i = 0
        for w in want:
            try:
                i = argv.index(w, i) + 1
            except ValueError:
                return False
        return True

    # -- systemd-analyze verify -----------------------------------------------------------------

    def verify(self):
        vdir = os.path.join(self.tmp, "verify")
        os.mkdir(vdir)
        # systemd-analyze verify cannot load a file whose name holds ':' ("Couldn't process
        # aliases"): such a unit is verified under its name with '-' for ':'
        checked = {name: name.replace(":", "-") for name in {**self.all_units(), **self.stand_ins}}
        for name, copy in checked.items():
            shutil.copyfile(os.path.join(self.out, name), os.path.join(vdir, copy))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SYSTEMD_", "XDG_"))}
        env["LC_ALL"] = "C.UTF-8"
        cmd = ["systemd-analyze", "verify", "--man=no"]
        if self.user:
            xdg = os.path.join(self.tmp, "xdg")
            os.mkdir(xdg, 0o700)
            env["XDG_RUNTIME_DIR"] = xdg
            cmd.append("--user")
        for _, name in sorted(checked.items()):
            unit_path = os.path.join(vdir, name)
            try:
                p = subprocess.run(cmd + [unit_path], env=env, capture_output=True, timeout=60, cwd=vdir)
            except subprocess.TimeoutExpired:
                self.fail("systemd-analyze verify %s did not finish" % name)
                continue
            text = (p.stdout + p.stderr).decode("utf-8", "replace")
            # systemd-analyze may talk about other units it loads (targets, their drop-ins); only
            # messages about the unit under test count, and a failing exit status
            mine = [l for l in text.split("\n")
                    if l and (unit_path in l or re.search(r"(^|[\s/'\"])%s\b" % re.escape(name), l))]
            if p.returncode != 0 or mine:
                self.fail("systemd-analyze verify %s (exit %d): %s"
                          % (name, p.returncode, " | ".join(mine or [l for l in text.split("\n") if l])))
            elif text.strip():
                self.details.append("systemd-analyze noise for %s:\n%s" % (name, text))


# ---------------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description="Run the oci-containers case-file tests.")
    ap.add_argument("generator", help="the oci-containers-generator binary")
    ap.add_argument("cases_dir", help="the directory of *.container (and other definition) cases")
    ap.add_argument("cases", nargs="*", help="run only these cases (names, without the extension)")
    ap.add_argument("--no-verify", action="store_true", help="do not run systemd-analyze verify")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, help="cases run at once")
    ap.add_argument("-v", "--verbose", action="store_true", help="show stderr and units of failed cases")
    args = ap.parse_args()

    ctx = Context(args)
    if not os.access(ctx.generator, os.X_OK):
        print("cannot run the generator %s" % ctx.generator, file=sys.stderr)
        return 2
    if ctx.verify and not shutil.which("systemd-analyze"):
        print("systemd-analyze is not installed: install systemd, or pass --no-verify to skip "
              "checking the generated units", file=sys.stderr)
        return 2
    paths = sorted(os.path.join(ctx.cases_dir, f) for f in os.listdir(ctx.cases_dir)
                   if case_name(f) and os.path.isfile(os.path.join(ctx.cases_dir, f)))
    if args.cases:
        wanted = {case_name(c) or c for c in args.cases}
        unknown = wanted - {case_name(os.path.basename(p)) for p in paths}
        if unknown:
            print("no such case: %s" % ", ".join(sorted(unknown)), file=sys.stderr)
            return 2
        paths = [p for p in paths if case_name(os.path.basename(p)) in wanted]
    if not paths:
        print("no cases in %s" % ctx.cases_dir, file=sys.stderr)
        return 2

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        results = list(pool.map(lambda p: Case(ctx, p).run(), paths))

    passed = failed = 0
    for c in results:
        if c.failures:
            failed += 1
            print("FAIL %s: %s" % (c.name, "; ".join(c.failures)))
            if args.verbose:
                for d in c.details:
                    print("    " + d.replace("\n", "\n    "))
        else:
            passed += 1
            print("ok %s" % c.name)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
