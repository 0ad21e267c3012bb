# SPDX-License-Identifier: LGPL-2.1-or-later
# Helpers of the end-to-end suite, sourced by run.sh: the cached Debian root file system, a guest
# booted from a copy of it with systemd-nspawn, commands run inside that guest, and the checks.
#
# The host does not need systemd as PID 1. The guest is driven through nsenter into its PID 1,
# because without a system bus on the host `systemctl -M` and machinectl do not work.

# ---- settings (see README) ----
E2E_SUITE=${OCI_E2E_SUITE:-bookworm}
# Each release has its own cache directory (with its own lock) and machine name, so that guests of
# two releases can run at once; bookworm's are those it always had.
E2E_CACHE=${OCI_E2E_CACHE:-/var/tmp/oci-containers-e2e}
E2E_MACHINE=${OCI_E2E_MACHINE:-oci-e2e}
if [ "$E2E_SUITE" != bookworm ]; then
        E2E_CACHE=$E2E_CACHE-$E2E_SUITE
        E2E_MACHINE=$E2E_MACHINE-$E2E_SUITE
fi
E2E_BOOT_TIMEOUT=${OCI_E2E_BOOT_TIMEOUT:-60}
# What the guest needs: systemd, podman with runc (crun cannot set up its device filter without
# CAP_SYS_RESOURCE, which some CI machines lack), netavark and iptables for published ports,
# docker.io for the docker backend, libinih1 for the generator, busybox-static for the test image;
# systemd-container for Backend=nspawn, libpam-systemd for user@.service (the user generator), and
# uidmap, dbus-user-session and slirp4netns for rootless podman (podman's recommends).
E2E_PACKAGES="systemd systemd-sysv dbus podman runc conmon netavark aardvark-dns iptables
golang-github-containers-common docker.io libinih1 busybox-static systemd-container libpam-systemd
uidmap dbus-user-session slirp4netns catatonit"
# Debian 13 split the docker client into docker-cli, and its netavark runs nft. Debian 12's guest
# also has what the README's set-up installs (scenario "readme"), since it has no network to
# fetch them from; apt-get installs Recommends, debootstrap does not: libc6-dev is gcc-12's.
# debootstrap does not resolve a virtual package either: python3-kubernetes's python3-cryptography
# needs python3-cffi-backend-api-min, which python3-cffi-backend provides.
case $E2E_SUITE in
trixie) E2E_PACKAGES="$E2E_PACKAGES docker-cli nftables" ;;
bookworm) E2E_PACKAGES="$E2E_PACKAGES $("$(dirname "${BASH_SOURCE[0]}")/../readme-setup.sh" --packages | tr '\n' ' ') libc6-dev python3-cffi-backend" ;;
esac
# Bump when the way the root file system is made changes, so that old caches are not used.
E2E_ROOTFS_VERSION=1
E2E_IMAGE=localhost/e2e-busybox:latest

E2E_PASS=0
E2E_FAIL=0
E2E_SKIP=0
E2E_NSPAWN_PID=
E2E_LEADER=
E2E_CGROUPS=()

log() { printf '# %s\n' "$*"; }
die() { printf 'e2e: error: %s\n' "$*" >&2; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# ---- checks: one line each, and the totals at the end ----

# Known differences: "CHECK-GLOB|why" entries, each naming checks that fail today because of
# generator work in flight that will change what they see (the scenarios add their lists). Such a
# failure still prints, as "known" with what was seen, and is not counted as failed; a pass says
# that its entry can go.
E2E_KNOWN=()
E2E_KNOWN_SEEN=0

# known_why NAME: the reason of the first entry whose glob matches NAME
known_why() {
        local e
        for e in "${E2E_KNOWN[@]}"; do
                # the entry's part before '|' is a glob: unquoted on purpose
                if [[ $1 == ${e%%|*} ]]; then
                        printf '%s\n' "${e#*|}"
                        return 0
                fi
        done
        return 1
}

pass() {
        E2E_PASS=$((E2E_PASS + 1))
        local why
        if [ ${#E2E_KNOWN[@]} -gt 0 ] && why=$(known_why "$1"); then
                printf 'ok   %s (listed as known, "%s": the entry can go)\n' "$1" "$why"
                return
        fi
        printf 'ok   %s\n' "$1"
}

# fail NAME [DETAIL...]: every DETAIL is printed on a line of its own below
fail() {
        local why
        if [ ${#E2E_KNOWN[@]} -gt 0 ] && why=$(known_why "$1"); then
                E2E_KNOWN_SEEN=$((E2E_KNOWN_SEEN + 1))
                printf 'known %s (%s)\n' "$1" "$why"
        else
                E2E_FAIL=$((E2E_FAIL + 1))
                printf 'FAIL %s\n' "$1"
        fi
        shift
        local l
        for l in "$@"; do
                printf '       %s\n' "$l"
        done
}

skip() {
        E2E_SKIP=$((E2E_SKIP + 1))
        printf 'skip %s\n' "$1"
}

# expect_eq NAME EXPECTED SEEN
expect_eq() {
        if [ "$2" = "$3" ]; then
                pass "$1"
        else
                fail "$1" "expected: $(printf '%q' "$2")" "seen:     $(printf '%q' "$3")"
        fi
}

# expect_ne NAME UNWANTED SEEN
expect_ne() {
        if [ "$2" != "$3" ]; then
                pass "$1"
        else
                fail "$1" "expected anything but: $(printf '%q' "$2")" "seen:     $(printf '%q' "$3")"
        fi
}

# expect_match NAME EXTENDED-REGEX SEEN
expect_match() {
        if [[ $3 =~ $2 ]]; then
                pass "$1"
        else
                fail "$1" "expected to match: $2" "seen: $(printf '%q' "$3" | head -c 2000)"
        fi
}

# expect_ok NAME COMMAND...: the command succeeds; its output is shown when it does not
expect_ok() {
        local name=$1 out rc
        shift
        out=$("$@" 2>&1)
        rc=$?
        if [ "$rc" = 0 ]; then
                pass "$name"
                return 0
        fi
        fail "$name" "expected: exit status 0 of: $*" "seen:     exit status $rc" \
                "$(printf '%s' "$out" | tail -n 15)"
        return 1
}

# expect_json NAME EXPECTED-JSON SEEN-JSON: equal as JSON values (python3 shows the difference)
expect_json() {
        local diff
        if diff=$(python3 "$E2E_DIR/jsontool.py" compare "$2" "$3" 2>&1); then
                pass "$1"
        else
                local lines=()
                mapfile -t lines <<<"$diff"
                fail "$1" "${lines[@]}"
        fi
}

summary() {
        [ "$E2E_KNOWN_SEEN" -gt 0 ] && log "$E2E_KNOWN_SEEN known differences, not counted as failed (the scenarios' lists of known ones)"
        local s="$E2E_PASS passed, $E2E_FAIL failed"
        [ "$E2E_SKIP" -gt 0 ] && s="$s, $E2E_SKIP skipped"
        printf '%s\n' "$s"
}

# ---- the host ----

host_mirror() {
        if [ -n "${OCI_E2E_MIRROR:-}" ]; then
                printf '%s\n' "$OCI_E2E_MIRROR"
                return
        fi
        # the first Debian archive apt uses (not the security archive)
        local f
        for f in /etc/apt/sources.list.d/*.sources; do
                [ -f "$f" ] || continue
                awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }' "$f"
        done | head -n 1 | grep . && return
        for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
                [ -f "$f" ] || continue
                awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { if ($i !~ /security/) print $i; break } }' "$f"
        done | head -n 1
}

host_check() {
        local missing=() t
        [ "$(id -u)" = 0 ] || { echo "e2e: needs root (debootstrap, systemd-nspawn, nsenter)"; return 77; }
        for t in debootstrap systemd-nspawn nsenter python3 flock tar; do
                command -v "$t" >/dev/null || missing+=("$t")
        done
        if [ ${#missing[@]} -gt 0 ]; then
                echo "e2e: missing host tools: ${missing[*]} (apt-get install debootstrap systemd-container util-linux python3)"
                return 77
        fi
        return 0
}

# ---- the cached root file system ----

rootfs_key() {
        printf '%s\n' "$E2E_ROOTFS_VERSION" "$E2E_SUITE" "$(dpkg --print-architecture 2>/dev/null || uname -m)" \
                $E2E_PACKAGES | sha256sum | cut -c1-16
}

# Prints the path of a complete root file system, making it first if needed.
rootfs_get() {
        local key dir mirror t0
        key=$(rootfs_key)
        dir=$E2E_CACHE/rootfs-$key
        if [ -f "$dir/.e2e-complete" ] && [ -z "${OCI_E2E_REFRESH:-}" ]; then
                printf '%s\n' "$dir"
                return 0
        fi
        mirror=$(host_mirror)
        [ -n "$mirror" ] || die "no Debian mirror found in apt's sources; set OCI_E2E_MIRROR"
        rm -rf "$dir" "$dir.new"
        # older caches made for another package list are of no further use
        find "$E2E_CACHE" -mindepth 1 -maxdepth 1 -type d -name 'rootfs-*' -exec rm -rf {} + 2>/dev/null
        log "debootstrap $E2E_SUITE ($(echo $E2E_PACKAGES | tr ' ' ',')) into $dir (log: $E2E_LOGS/debootstrap.log)" >&2
        t0=$(now)
        if ! debootstrap --variant=minbase --include="$(echo $E2E_PACKAGES | tr ' ' ',')" \
                "$E2E_SUITE" "$dir.new" "$mirror" >"$E2E_LOGS/debootstrap.log" 2>&1; then
                tail -n 30 "$E2E_LOGS/debootstrap.log" >&2
                rm -rf "$dir.new"
                die "debootstrap failed"
        fi
        rm -rf "$dir.new"/var/cache/apt/archives/*.deb "$dir.new"/var/lib/apt/lists/*_Packages
        touch "$dir.new/.e2e-complete"
        mv "$dir.new" "$dir"
        log "root file system made in $(elapsed "$t0") s" >&2
        printf '%s\n' "$dir"
}

# ---- the Debian package (OCI_E2E_DEB) ----

# Paths of the generator in the guest; scenario_install copies the binary to GEN_BIN and puts a
# wrapper at SYS_GEN, and links USER_GEN to GEN_BIN. deb_unpack changes them to where the package
# puts them.
GEN_BIN=/usr/local/libexec/oci-containers/oci-containers-generator
SYS_GEN=/etc/systemd/system-generators/oci-containers-generator
USER_GEN=/etc/systemd/user-generators/oci-containers-user-generator

# deb_unpack DEB DIR: the package's files unpacked into DIR on the host; GENERATOR (host-side
# checks: --list-keys, its compiled-in paths) becomes its generator, and the guest's paths are the
# package's
deb_unpack() {
        local deb=$1 dir=$2 rel
        rm -rf "$dir"
        dpkg-deb -x "$deb" "$dir" || { fail "the package unpacks (dpkg-deb -x $deb)"; return 1; }
        rel=$(cd "$dir" && find . -path '*/systemd/system-generators/oci-containers-generator' | head -n 1)
        [ -n "$rel" ] || { fail "the package has systemd/system-generators/oci-containers-generator" "$(dpkg-deb -c "$deb" | head -n 40)"; return 1; }
        rel=${rel#.}
        GENERATOR=$dir$rel
        GEN_BIN=$rel
        SYS_GEN=$rel
        rel=$(cd "$dir" && find . -path '*/systemd/user-generators/oci-containers-user-generator' | head -n 1)
        USER_GEN=${rel#.}
}

# ---- the guest ----

# guest_prepare PRISTINE WORK: a fresh copy with the settings podman needs here
guest_prepare() {
        local pristine=$1 root=$2
        rm -rf "$root"
        cp -a --reflink=auto "$pristine" "$root" || die "cannot copy the root file system to $root"
        rm -f "$root/.e2e-complete"

        # Podman's defaults give a container nofile and nproc limits of 1048576. Raising a limit
        # above the hard one needs CAP_SYS_RESOURCE, which CI machines may not grant; podman
        # itself lowers nproc to 32768. The guest's cgroup2 may have no controllers, so there is
        # no pids.max to write. crun needs MEMLOCK for its device filter; runc does not.
        local nofile
        nofile=$(ulimit -Hn)
        if [ "$nofile" = unlimited ] || [ "$nofile" -gt 1048576 ]; then
                nofile=1048576
        fi
        install -d "$root/etc/containers"
        cat >"$root/etc/containers/containers.conf" <<EOF
# written by the oci-containers e2e suite
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=32768:32768"]
pids_limit = 0

[engine]
runtime = "runc"
EOF
        # Podman 5 (Debian 13):
        # - netavark writes its rules into a table of its own (nftables), where dockerd's FORWARD
        #   policy of drop, which bridged packets meet with br_netfilter loaded, still drops what goes
        #   from one podman container to another; in iptables' tables (Debian 12's way) netavark
        #   accepts them before docker's policy.
        # - rootless containers get pasta's network, which copies the host's routes and fails in a
        #   guest of --private-network, which has none ("Couldn't set IPv4 route(s) in guest");
        #   slirp4netns, podman 4's default, needs none.
        if [ "$E2E_SUITE" != bookworm ]; then
                printf '\n[network]\nfirewall_driver = "iptables"\ndefault_rootless_network_cmd = "slirp4netns"\n' \
                        >>"$root/etc/containers/containers.conf"
        fi

        # systemd 257 tries to load kernel modules in a container too, and fails: nothing here
        # needs one, and a failed unit would make the boot "degraded" before any check
        ln -sfn /dev/null "$root/etc/systemd/system/systemd-modules-load.service"

        # The test image: the guest's static busybox with its applets, imported by podman later.
        local img=$E2E_WORKDIR/image
        rm -rf "$img"
        install -d "$img/bin" "$img/etc" "$img/tmp" "$img/root" "$img/www" "$img/data"
        cp "$root/bin/busybox" "$img/bin/busybox" || die "no /bin/busybox in the guest"
        local a
        for a in $("$img/bin/busybox" --list); do
                [ "$a" = busybox ] || ln -s busybox "$img/bin/$a"
        done
        printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' >"$img/etc/passwd"
        printf 'root:x:0:\nnogroup:x:65534:\n' >"$img/etc/group"
        chmod 1777 "$img/tmp"
        tar -C "$img" -cf "$root/root/e2e-busybox.tar" . || die "cannot make the image tarball"
}

# the nspawn process's own cgroup, on hosts whose PID 1 is not systemd (otherwise systemd has
# given us one already); without it the guest would live in the root cgroup
cgroup_enter() {
        local name=$1 h
        E2E_CGROUPS=()
        [ -d /run/systemd/system ] && return 0
        if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
                E2E_CGROUPS=("/sys/fs/cgroup/$name")
        else
                for h in unified systemd; do
                        [ -d "/sys/fs/cgroup/$h" ] && E2E_CGROUPS+=("/sys/fs/cgroup/$h/$name")
                done
        fi
        for h in "${E2E_CGROUPS[@]}"; do
                mkdir -p "$h" || die "cannot create cgroup $h"
        done
}

cgroup_cleanup() {
        local d
        for d in "${E2E_CGROUPS[@]}"; do
                [ -d "$d" ] || continue
                # whatever is left in our cgroup is ours: kill it, then remove the directories
                [ -f "$d/cgroup.kill" ] && [ -n "$(cat "$d/cgroup.procs" 2>/dev/null)" ] && echo 1 >"$d/cgroup.kill"
                find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
                [ -d "$d" ] && { sleep 0.5; find "$d" -depth -type d -exec rmdir {} + 2>/dev/null; }
        done
        return 0
}

guest_leader() {
        [ -n "$E2E_NSPAWN_PID" ] || return 1
        local p
        p=$(pgrep -P "$E2E_NSPAWN_PID" | head -n 1)
        [ -n "$p" ] && printf '%s\n' "$p"
}

# g CMD...: run a command inside the booted guest, with a clean environment
g() {
        nsenter -t "$E2E_LEADER" -a env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
                LANG=C.UTF-8 SYSTEMD_PAGER= SYSTEMD_COLORS=0 "$@"
}

# gsvc CMD...: a command run as a transient service of the guest's manager. logind 257 answers a
# caller entered from outside (as g's are, in none of the guest's cgroups) with "Protocol driver not
# attached"; it answers one its own manager started.
gsvc() {
        g systemd-run --wait --pipe --quiet --collect "$@"
}

guest_boot() {
        local root=$1 console=$2 t0 i st
        t0=$(now)
        cgroup_enter "$E2E_MACHINE-$$"
        rm -rf "/run/systemd/nspawn/propagate/$E2E_MACHINE"
        # SYSTEMD_NSPAWN_UNIFIED_HIERARCHY: a pure cgroup2 guest; on a hybrid host the guest's v1
        #   controllers would be read-only and podman cannot make container cgroups there.
        # SYSTEMD_SECCOMP=0: podman's runtime needs keyctl. --capability=all: CAP_NET_ADMIN for
        #   netavark. --private-network keeps the guest's bridge and firewall off the host.
        # --register=no --keep-unit: no machined and no system bus needed on the host.
        # Where PID 1 is systemd, a scope of our own with delegation (systemd-run --scope execs the
        # command, so the PID stays nspawn's). Not tried here: the tested hosts do not run systemd.
        local wrap=()
        [ -d /run/systemd/system ] &&
                wrap=(systemd-run --scope --quiet --collect -p Delegate=yes --unit="$E2E_MACHINE-$$-$RANDOM")
        setsid env SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1 SYSTEMD_SECCOMP=0 E2E_CG="${E2E_CGROUPS[*]}" \
                bash -c 'for c in $E2E_CG; do echo $$ >"$c/cgroup.procs" || exit 1; done
                         exec "${@:2}" systemd-nspawn --boot --directory="$0" --machine="$1" --register=no --keep-unit \
                                 --console=pipe --capability=all --private-network --quiet' \
                "$root" "$E2E_MACHINE" "${wrap[@]}" </dev/null >>"$console" 2>&1 9>&- &
        E2E_NSPAWN_PID=$!
        printf '%s %s\n' "$E2E_NSPAWN_PID" "${E2E_CGROUPS[*]}" >"$E2E_CACHE/guest.pid"
        E2E_LEADER=
        for ((i = 0; i < E2E_BOOT_TIMEOUT * 10; i++)); do
                if ! kill -0 "$E2E_NSPAWN_PID" 2>/dev/null; then
                        tail -n 30 "$console" >&2
                        E2E_NSPAWN_PID=
                        return 1
                fi
                if [ -z "$E2E_LEADER" ]; then
                        E2E_LEADER=$(guest_leader) || E2E_LEADER=
                fi
                if [ -n "$E2E_LEADER" ]; then
                        st=$(g systemctl is-system-running 2>/dev/null)
                        case "$st" in
                        running | degraded)
                                log "guest booted ($st) in $(elapsed "$t0") s"
                                [ "$st" = degraded ] && g systemctl --failed --no-legend | sed 's/^/#   failed: /'
                                return 0
                                ;;
                        esac
                fi
                sleep 0.1
        done
        tail -n 30 "$console" >&2
        return 1
}

# Power the guest off and wait for nspawn to end; kill it if it does not.
guest_stop() {
        [ -n "$E2E_NSPAWN_PID" ] || return 0
        local i t0
        t0=$(now)
        if kill -0 "$E2E_NSPAWN_PID" 2>/dev/null; then
                if [ -n "$E2E_LEADER" ]; then
                        g systemctl poweroff --no-block >/dev/null 2>&1 || kill -TERM "$E2E_NSPAWN_PID"
                else
                        kill -TERM "$E2E_NSPAWN_PID"
                fi
                for ((i = 0; i < 300; i++)); do
                        kill -0 "$E2E_NSPAWN_PID" 2>/dev/null || break
                        sleep 0.1
                done
                if kill -0 "$E2E_NSPAWN_PID" 2>/dev/null; then
                        log "guest did not power off in 30 s; killing it"
                        # the guest's PID 1 takes its whole PID namespace with it
                        [ -n "$E2E_LEADER" ] && kill -KILL "$E2E_LEADER" 2>/dev/null
                        sleep 1
                        kill -KILL "$E2E_NSPAWN_PID" 2>/dev/null
                fi
        fi
        wait "$E2E_NSPAWN_PID" 2>/dev/null
        log "guest stopped in $(elapsed "$t0") s"
        rm -f "$E2E_CACHE/guest.pid"
        E2E_NSPAWN_PID=
        E2E_LEADER=
        cgroup_cleanup
        rm -rf "/run/systemd/nspawn/propagate/$E2E_MACHINE"
}

# A guest an earlier run left behind (that run was killed before it could clean up): stop it, by
# the PID that run recorded, if that PID is still a systemd-nspawn of ours. (The guest does not
# hold run.sh's lock: it is started without that descriptor.)
guest_reap_stale() {
        local f=$E2E_CACHE/guest.pid pid cgs
        [ -f "$f" ] || return 0
        read -r pid cgs <"$f"
        if [ -n "$pid" ] && [ "$(cat /proc/"$pid"/comm 2>/dev/null)" = systemd-nspawn ] &&
                tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "--machine=$E2E_MACHINE "; then
                log "stopping the guest an earlier run left (pid $pid)"
                E2E_NSPAWN_PID=$pid
                E2E_LEADER=$(guest_leader) || E2E_LEADER=
                read -r -a E2E_CGROUPS <<<"$cgs"
                guest_stop
        else
                read -r -a E2E_CGROUPS <<<"$cgs"
                cgroup_cleanup
        fi
        E2E_CGROUPS=()
        rm -f "$f"
}

# ---- systemd in the guest ----

# prop UNIT PROPERTY: one property's value
prop() {
        g systemctl show -p "$2" --value "$1"
}

# unit_path UNIT: the D-Bus object of a unit (loading it if needed)
unit_path() {
        g busctl --json=short call org.freedesktop.systemd1 /org/freedesktop/systemd1 \
                org.freedesktop.systemd1.Manager LoadUnit s "$1" | python3 "$E2E_DIR/jsontool.py" first
}

# busprop UNIT INTERFACE PROPERTY: a property as JSON, exactly as PID 1 holds it
busprop() {
        local path
        path=$(unit_path "$1") || return 1
        g busctl --json=short get-property org.freedesktop.systemd1 "$path" "org.freedesktop.systemd1.$2" "$3"
}

# wait_for SECONDS COMMAND...: until the command succeeds
wait_for() {
        local limit=$1 i
        shift
        for ((i = 0; i < limit * 10; i++)); do
                "$@" >/dev/null 2>&1 && return 0
                sleep 0.1
        done
        return 1
}

is_state() { [ "$(prop "$1" ActiveState)" = "$2" ]; }

# podman_newer_than MAJOR MINOR: the guest's podman is newer than MAJOR.MINOR
podman_newer_than() {
        local v=${E2E_PODMAN_VERSION:-0.0}
        local major=${v%%.*} rest=${v#*.}
        local minor=${rest%%.*}
        [ "$major" -gt "$1" ] || { [ "$major" = "$1" ] && [ "$minor" -gt "$2" ]; }
}

# generator_has_backend NAME: the generator under test can render Image= for that backend
generator_has_backend() {
        "$GENERATOR" --list-keys 2>/dev/null |
                awk -F'\t' -v b="$1" '$1 == "Image=" && ("," $3 ",") ~ ("," b ",") { found = 1 } END { exit !found }'
}
