# SPDX-License-Identifier: LGPL-2.1-or-later
"""The little the check-*.py scripts share: one line a check, the closing count, and the
command the generator runs under (OCI_TEST_WRAPPER, set by meson test --setup valgrind)."""
import os
import shlex
import sys

passed = failed = 0


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print(f"ok {name}")
    else:
        failed += 1
        print(f"FAIL {name}: {detail}")


def wrapped(gen):
    """The start of a command line that runs the generator, under OCI_TEST_WRAPPER if set."""
    return shlex.split(os.environ.get("OCI_TEST_WRAPPER", "")) + [gen]


# The second line of a unit that stands in for a skipped definition (generator/report.c)
STAND_IN_MARK = "# Stands in for "


def is_stand_in(path):
    """A unit the generator wrote in place of a definition it skipped: it starts nothing and fails,
    saying why, when started. It is not a unit made from the definition."""
    if os.path.islink(path) or not os.path.isfile(path):
        return False
    with open(path, "rb") as f:
        head = f.read(4096).decode("utf-8", "replace").split("\n")
    return len(head) > 1 and head[1].startswith(STAND_IN_MARK)


def generated(out):
    """The names in the output directory out, without the stand-ins of skipped definitions."""
    return [n for n in os.listdir(out) if not is_stand_in(os.path.join(out, n))]


def generated_tree(out):
    """Every path under out (files, directories, links), relative, without the stand-ins and the
    links to them."""
    found = set()
    for d, dirs, files in os.walk(out):
        for n in dirs + files:
            p = os.path.join(d, n)
            target = os.path.join(d, os.readlink(p)) if os.path.islink(p) else p
            if not is_stand_in(target):
                found.add(os.path.relpath(p, out))
    return found


def check_summary(stderr):
    """--check's standard error less its closing summary (generator/main.c check_summary()): what
    else it said, which a clean check leaves empty."""
    lines = stderr.splitlines(keepends=True)
    if len(lines) >= 2 and lines[-2].startswith("Searched ") and lines[-1].startswith("Checked "):
        lines = lines[:-2]
    return "".join(lines)


def finish():
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit("a module for test/check-*.py")
