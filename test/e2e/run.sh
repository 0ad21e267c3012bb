#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The end-to-end suite: generated units under a real, booted systemd running real podman.
#
#   test/e2e/run.sh BUILD_DIR
#   test/e2e/run.sh --generator PATH/TO/oci-containers-generator
#
# OCI_E2E_COMMAND names the oci-containers command to copy in (default: the build directory's).
# With OCI_E2E_DEB=PATH/TO/oci-containers_*.deb the guest installs that package instead, and the
# checks run the generator it installed (the argument is then only checked to exist).
# Needs root. See README for the host packages, the cache and the environment variables.
# Prints one line per check and, last, "N passed, M failed[, K skipped]". Exit status: 0 when every
# check passed, 1 when one failed or the suite could not run, 77 (skip) when the host lacks what
# the suite needs (unless OCI_E2E_REQUIRE=1, then 1).
set -u -o pipefail
export LC_ALL=C.UTF-8

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$E2E_DIR/lib.sh"
. "$E2E_DIR/scenarios.sh"
. "$E2E_DIR/scenario-podman5.sh"
. "$E2E_DIR/scenario-nspawn-net.sh"
. "$E2E_DIR/scenario-oracle.sh"
. "$E2E_DIR/scenario-package.sh"
. "$E2E_DIR/scenario-command.sh"
. "$E2E_DIR/scenario-kube.sh"

usage() {
        echo "usage: $0 BUILD_DIR | --generator PATH" >&2
        exit 2
}

GENERATOR=
case "${1:-}" in
--generator) [ $# = 2 ] || usage; GENERATOR=$2 ;;
-h | --help | "") usage ;;
*) [ $# = 1 ] || usage; GENERATOR=$1/generator/oci-containers-generator ;;
esac
[ -x "$GENERATOR" ] || die "no generator at $GENERATOR (build it first: ninja -C BUILD_DIR)"
GENERATOR=$(realpath "$GENERATOR")
# the administrator's command, beside the generator in a build directory unless named
COMMAND=${OCI_E2E_COMMAND:-$(dirname "$GENERATOR")/../admin/oci-containers}
E2E_DEB=${OCI_E2E_DEB:-}
if [ -n "$E2E_DEB" ]; then
        [ -f "$E2E_DEB" ] || die "OCI_E2E_DEB names no file: $E2E_DEB"
        E2E_DEB=$(realpath "$E2E_DEB")
fi

host_check
rc=$?
if [ "$rc" != 0 ]; then
        [ "${OCI_E2E_REQUIRE:-0}" = 1 ] && exit 1
        echo "0 passed, 0 failed, 1 skipped"
        exit "$rc"
fi

T_START=$(now)
mkdir -p "$E2E_CACHE" || die "cannot create $E2E_CACHE"
# one run at a time: the guest's name, cgroups and the working copy are shared
exec 9>"$E2E_CACHE/lock"
if ! flock -n 9; then
        log "another e2e run holds $E2E_CACHE/lock; waiting"
        flock -w 900 9 || die "timed out waiting for $E2E_CACHE/lock"
fi
guest_reap_stale
E2E_WORKDIR=$E2E_CACHE/run
E2E_LOGS=$E2E_WORKDIR/logs
E2E_ROOT=$E2E_WORKDIR/root
rm -rf "$E2E_WORKDIR"
mkdir -p "$E2E_LOGS"
CONSOLE=$E2E_LOGS/console.log

cleanup() {
        local rc=$?
        trap - EXIT INT TERM HUP
        if [ -n "$E2E_NSPAWN_PID" ]; then
                if [ "$E2E_FAIL" -gt 0 ] && [ -n "$E2E_LEADER" ]; then
                        g journalctl -b --no-pager -o short-monotonic >"$E2E_LOGS/journal.txt" 2>&1
                fi
                guest_stop
        fi
        cgroup_cleanup
        if [ "$E2E_FAIL" -gt 0 ] || [ "${OCI_E2E_KEEP:-0}" = 1 ]; then
                log "logs and the guest's root are kept in $E2E_WORKDIR"
        else
                rm -rf "$E2E_WORKDIR"
        fi
        exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

if [ -n "$E2E_DEB" ]; then
        deb_unpack "$E2E_DEB" "$E2E_WORKDIR/deb" || exit 1
        log "package: $E2E_DEB (the guest installs it; host-side checks read its generator, $GENERATOR)"
else
        log "generator: $GENERATOR"
fi
t0=$(now)
PRISTINE=$(rootfs_get) || exit 1
log "root file system: $PRISTINE ($(elapsed "$t0") s)"
t0=$(now)
guest_prepare "$PRISTINE" "$E2E_ROOT"
log "guest prepared in $E2E_ROOT ($(elapsed "$t0") s)"

if ! guest_boot "$E2E_ROOT" "$CONSOLE"; then
        fail "guest boots to running" "the guest did not come up; console: $CONSOLE"
        summary
        exit 1
fi
t0=$(now)
if ! g podman import --quiet --change 'CMD ["/bin/sh"]' --change 'ENV PATH=/bin' \
        /root/e2e-busybox.tar "$E2E_IMAGE" >"$E2E_LOGS/import.log" 2>&1; then
        fail "test image imported into podman" "$(tail -n 5 "$E2E_LOGS/import.log")"
        summary
        exit 1
fi
log "image $E2E_IMAGE imported ($(elapsed "$t0") s)"
E2E_PODMAN_VERSION=$(g podman version --format '{{.Client.Version}}' 2>/dev/null)
log "guest: Debian $E2E_SUITE, $(g systemctl --version | head -n 1), podman $E2E_PODMAN_VERSION, docker $(g dpkg-query -W -f '${Version}' docker.io 2>/dev/null)"

for s in $E2E_SCENARIOS; do
        # OCI_E2E_ONLY="a b": only those scenarios (install, which the others need, and uninstall,
        # which checks that removing takes the generator away, always run)
        if [ -n "${OCI_E2E_ONLY:-}" ] && [ "$s" != install ] && [ "$s" != uninstall ] &&
                ! [[ " $OCI_E2E_ONLY " == *" $s "* ]]; then
                continue
        fi
        t0=$(now)
        log "---- $s"
        "scenario_$s"
        log "---- $s: $(elapsed "$t0") s"
done

log "total $(elapsed "$T_START") s"
summary
[ "$E2E_FAIL" = 0 ]
