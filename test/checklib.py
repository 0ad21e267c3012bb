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


def finish():
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit("a module for test/check-*.py")
