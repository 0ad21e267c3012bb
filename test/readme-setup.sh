#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Follows the README's "Set-up on a fresh Debian 12" word by word, as a new user would: runs its
# commands as root in the source tree, writes the quick start's /etc/oci-containers.d/web.container
# as the README gives it, and runs the README's check. For a throwaway system (a fresh root, the
# end-to-end suite's guest): it installs packages and the program, and replaces web.container.
#
#   test/readme-setup.sh [--package] [--print | --packages]
#
#   (default)   from source: every command block of the section but the package's
#   --package   with the Debian package: every block but the one with "meson install"
#   --print     print the steps, run nothing
#   --packages  print the packages the apt-get lines install, one a line (to make a root that
#               has them, for a guest without a network)
#
# Each command line runs with sh -e in the source tree and is shown first ("+ LINE"); the first
# that fails stops the run (exit 1). Last, systemd must have web.service from the generator:
# SourcePath=/etc/oci-containers.d/web.container, FragmentPath under /run/systemd/generator.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
readme=$src/README
mode=source
action=run
for a in "$@"; do
        case $a in
        --package) mode=package ;;
        --print) action=print ;;
        --packages) action=packages ;;
        *) echo "usage: $0 [--package] [--print | --packages]" >&2; exit 2 ;;
        esac
done

# The command blocks of the section (lines indented by four spaces, up to the "Tests"
# subsection), one block a paragraph, "@@" between blocks.
blocks() {
        awk '
                /^Set-up on a fresh Debian 12$/ { on = 1; next }
                on && /^Tests$/ { exit }
                on && /^[^ ]/ && inblock { print "@@"; inblock = 0 }
                on && /^    / { print substr($0, 5); inblock = 1 }
        ' "$readme"
}

# The steps of the chosen path: "run LINE" or "write" (the quick start's file, before the check)
steps() {
        blocks | awk -v mode="$mode" '
                function flush() {
                        if (n == 0) return
                        skip = (mode == "source" && block ~ /build-deb/) || (mode == "package" && block ~ /meson install/)
                        if (!skip) {
                                if (block ~ /--check/) print "write"
                                for (i = 1; i <= n; i++) print "run " line[i]
                        }
                        n = 0; block = ""
                }
                $0 == "@@" { flush(); next }
                { line[++n] = $0; block = block "\n" $0 }
                END { flush() }
        '
}

# The quick start's definition, as the README gives it after its path and a colon
quick_start() {
        awk '
                $0 == "/etc/oci-containers.d/web.container:" { on = 1; getline; next }
                on && /^    / { print substr($0, 5); next }
                on && /^$/ { blank++; next }
                on { exit }
        ' "$readme"
}

if [ -z "$(steps | grep '^run ')" ] || [ -z "$(quick_start)" ]; then
        echo "readme-setup: the README has no set-up commands or no quick start web.container" >&2
        exit 1
fi

case $action in
packages)
        steps | sed -n 's/^run apt-get install -y //p' | sed 's/ *&&.*//' | tr ' ' '\n' | grep -v '^\./' | grep . | sort -u
        exit 0
        ;;
print)
        steps | sed 's|^write$|write /etc/oci-containers.d/web.container (the quick start)|; s/^run //'
        exit 0
        ;;
esac

[ "$(id -u)" = 0 ] || { echo "readme-setup: the README's set-up runs as root" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive
cd "$src"
steps | while IFS= read -r step; do
        case $step in
        write)
                echo "+ (write /etc/oci-containers.d/web.container, the quick start's)"
                [ -d /etc/oci-containers.d ] || { echo "readme-setup: FAILED, /etc/oci-containers.d does not exist after the install" >&2; exit 1; }
                quick_start >/etc/oci-containers.d/web.container
                ;;
        run\ *)
                echo "+ ${step#run }"
                sh -ec "${step#run }" </dev/null || { echo "readme-setup: FAILED at: ${step#run }" >&2; exit 1; }
                ;;
        esac
done

source_path=$(systemctl show -P SourcePath web.service)
fragment=$(systemctl show -P FragmentPath web.service)
case $fragment in
/run/systemd/generator/web.service) ;;
*) echo "readme-setup: FAILED, web.service comes from '$fragment', not the generator" >&2; exit 1 ;;
esac
[ "$source_path" = /etc/oci-containers.d/web.container ] ||
        { echo "readme-setup: FAILED, web.service's SourcePath= is '$source_path'" >&2; exit 1; }
echo "readme-setup: ok, web.service generated from $source_path ($mode)"
