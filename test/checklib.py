# SPDX-License-Identifier: LGPL-2.1-or-later
"""The little the check-*.py scripts share: one line a check, and the closing count."""
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


def finish():
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit("a module for test/check-*.py")
