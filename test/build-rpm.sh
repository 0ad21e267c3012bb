#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Builds the RPM of oci-containers.spec on this host, offline, to check the spec: it parses, the
# build and %check pass, and %files names exactly what meson install puts.
#
#   test/build-rpm.sh [OUTDIR] [RPMBUILD-OPTIONS...]   (default OUTDIR: build-rpm in the source tree)
#
# On Debian, rpm has no database of the installed packages (so --nodeps: the BuildRequires are
# Fedora's names) and lacks the macros of Fedora's meson and systemd-rpm-macros packages: where
# rpm does not define %meson, test/rpm-macros stands in for them. The source tarball is made from
# the tree as it is (without build directories and .git). The last line of standard output is the
# path of the binary RPM; OUTDIR/files.txt lists what it holds.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$src/build-rpm}
[ $# -gt 0 ] && shift
mkdir -p "$out"
out=$(cd "$out" && pwd)
version=$(sed -n 's/^Version: *//p' "$src/oci-containers.spec")
meson_version=$(sed -n "s/^ *version *: *'\([^']*\)'.*/\1/p" "$src/meson.build" | head -n 1)
if [ "$version" != "$meson_version" ]; then
        echo "rpm: FAILED, oci-containers.spec has Version: $version, meson.build $meson_version"
        exit 1
fi
rm -rf "$out/rpmbuild"
mkdir -p "$out/rpmbuild/SOURCES" "$out/rpmbuild/stage/oci-containers-$version"
(cd "$src" && tar -c --exclude=./.git --exclude='./build*' --exclude=./test/e2e/cache \
        --exclude='__pycache__' --exclude="./${out#"$src"/}" .) | tar -x -C "$out/rpmbuild/stage/oci-containers-$version"
tar -C "$out/rpmbuild/stage" -cJf "$out/rpmbuild/SOURCES/oci-containers-$version.tar.xz" "oci-containers-$version"
rm -rf "$out/rpmbuild/stage"

set -- --define "_topdir $out/rpmbuild" --nodeps "$@"
if [ -z "$(rpm --eval '%{?meson}')" ]; then
        set -- --load "$src/test/rpm-macros" "$@"
fi
# no debuginfo package: that needs Fedora's find-debuginfo
set -- --define "debug_package %{nil}" "$@"

start=$(date +%s)
rpmbuild -bb "$@" "$src/oci-containers.spec" >"$out/build.log" 2>&1 || {
        tail -n 80 "$out/build.log"
        echo "rpm: FAILED, rpmbuild (the whole log: $out/build.log)"
        exit 1
}
rpm_file=$(ls "$out"/rpmbuild/RPMS/*/oci-containers-"$version"-*.rpm)
rpm -qlp "$rpm_file" >"$out/files.txt" 2>/dev/null
tests=$(sed -n 's/^Ok: *\([0-9]*\).*/\1/p' "$out/build.log" | tail -n 1)
echo "rpm: built $(basename "$rpm_file") in $(( $(date +%s) - start )) s (%check: ${tests:-no} tests passed;" \
        "$(wc -l <"$out/files.txt") paths, listed in $out/files.txt)"
echo "$rpm_file"
