#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Builds the Debian package from this source tree, as a distribution would (dpkg-buildpackage
# -us -uc -b, which runs the quick test suites in dh_auto_test), then checks it with lintian.
#
#   test/build-deb.sh [OUTDIR]     (default: build-deb in the source tree)
#
# The tree is copied (without build directories and .git) to OUTDIR/src, since dpkg-buildpackage
# writes its results into the parent of the source directory. On success the last line of standard
# output is the path of the .deb; the exit status is 1 if the build fails or lintian reports an
# error. Needs the Build-Depends of debian/control (dpkg-checkbuilddeps says which are missing),
# and lintian. DEB_BUILD_OPTIONS=nocheck builds without the tests.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$src/build-deb}
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -rf "$out/src"
rm -f "$out"/oci-containers_* "$out"/oci-containers-dbgsym_*
mkdir "$out/src"
(cd "$src" && tar -c --exclude=./.git --exclude='./build*' --exclude=./test/e2e/cache \
        --exclude='__pycache__' --exclude="./${out#"$src"/}" .) | tar -x -C "$out/src"

start=$(date +%s)
(cd "$out/src" && dpkg-buildpackage -us -uc -b) >"$out/build.log" 2>&1 || {
        tail -n 80 "$out/build.log"
        echo "deb: FAILED, dpkg-buildpackage (the whole log: $out/build.log)"
        exit 1
}
deb=$(ls "$out"/oci-containers_*.deb)
tests=$(sed -n 's/^Ok: *\([0-9]*\).*/\1/p' "$out/build.log" | tail -n 1)
echo "deb: built $(basename "$deb") in $(( $(date +%s) - start )) s (dh_auto_test: ${tests:-no} tests passed)"

if command -v lintian >/dev/null; then
        # errors fail; warnings are printed, and each one left is explained in debian/ or the README
        lintian --fail-on error --display-info "$out"/oci-containers_*.changes | tee "$out/lintian.log" || {
                echo "deb: FAILED, lintian reports errors"
                exit 1
        }
        echo "lintian: $(grep -c '^E:' "$out/lintian.log" || true) errors, $(grep -c '^W:' "$out/lintian.log" || true) warnings"
else
        echo "lintian: SKIPPED, lintian is not installed"
fi
echo "$deb"
