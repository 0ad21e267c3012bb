# SPDX-License-Identifier: LGPL-2.1-or-later
# Scenario of the end-to-end suite, sourced by run.sh: a booted Debian machine (Backend=nspawn)
# inside the booted guest, reaching the guest over its veth by the addresses the definition gives,
# and over an extra veth whose host end is in a bridge of the guest's. The machine is the suite's
# own root file system; nothing in it knows the addresses: the unit sets them from outside.

# mnet CMD...: a command in the machine, run with the machine's busybox (Debian's minimal system
# has no ip and no ping)
mnet() {
        local leader
        leader=$(g machinectl show deb -p Leader --value 2>/dev/null)
        [ -n "$leader" ] || { echo "no leader of machine deb"; return 1; }
        g nsenter -t "$leader" -a /bin/busybox "$@"
}

scenario_nspawnnet() {
        if ! generator_has_backend nspawn; then
                skip "nspawnnet: the generator under test has no nspawn backend"
                return
        fi
        local u=deb.service tree=/var/lib/machines/deb made_ip= t0
        t0=$(now)
        # The guest's package list has no iproute2 (its key would change for everyone): where it
        # has no /sbin/ip, busybox's ip stands in for the checks, and is removed after them.
        if [ ! -e "$E2E_ROOT/sbin/ip" ] && [ ! -L "$E2E_ROOT/sbin/ip" ]; then
                ln -s /bin/busybox "$E2E_ROOT/usr/sbin/ip" && made_ip=yes
        fi
        # The machine's tree: the suite's root file system linked file by file, not copied (a copy
        # and its removal take a minute on a busy machine). The machine runs with
        # --volatile=overlay, its changes in a tmpfs over the tree, so that no file shared with the
        # root file system is ever written; what is added here goes into new directory entries.
        rm -rf "${E2E_ROOT:?}$tree"
        if ! cp -al "$PRISTINE" "$E2E_ROOT$tree" 2>/dev/null &&
                ! { rm -rf "${E2E_ROOT:?}$tree" && cp -a --reflink=auto "$PRISTINE" "$E2E_ROOT$tree"; }; then
                fail "nspawnnet: the suite's root file system linked (or copied) into $tree"
                return
        fi
        rm -f "$E2E_ROOT$tree/.e2e-complete"
        log "nspawnnet: the machine's tree linked in $(elapsed "$t0") s"
        # a lighter boot: the engines are not this machine's business
        local m
        for m in docker.service docker.socket containerd.service podman.service podman.socket e2scrub_reap.service; do
                rm -f "$E2E_ROOT$tree/etc/systemd/system/$m"
                ln -s /dev/null "$E2E_ROOT$tree/etc/systemd/system/$m"
        done
        mkdir -p "$E2E_ROOT/srv/nspawnnet" "$E2E_ROOT$tree/srv/www"
        echo "from the guest" >"$E2E_ROOT/srv/nspawnnet/index.html"
        rm -f "$E2E_ROOT$tree/srv/www/index.html"
        echo "from the machine" >"$E2E_ROOT$tree/srv/www/index.html"

        # the guest's bridge, as an administrator would have made it (NixOS's hostBridge)
        g ip link add br-e2e type bridge && g ip -4 addr add 192.168.77.1/24 dev br-e2e && g ip link set dev br-e2e up ||
                fail "nspawnnet: bridge br-e2e made in the guest"
        put_def deb <<'EOF'
[Container]
Backend=nspawn
Image=deb
AutoStart=no
Network=veth
HostAddress=10.231.136.1
LocalAddress=10.231.136.2
VirtualEthernetExtra=vx-deb:eth1,bridge=br-e2e,local-address=192.168.77.5/24
RunArgs=--volatile=overlay
EOF
        reload "nspawnnet: daemon-reload" || return
        expect_eq "nspawnnet: systemd-analyze verify has no complaint about $u" "" \
                "$(g systemd-analyze verify --man=no $GEN_DIR/$u 2>&1)"
        t0=$(now)
        if expect_ok "nspawnnet: systemctl start $u (a booted Debian machine)" g timeout 90 systemctl start $u; then
                log "nspawnnet: the machine booted and addressed in $(elapsed "$t0") s"
                expect_eq "nspawnnet: $u active" active "$(prop $u ActiveState)"
                expect_match "nspawnnet: the machine's host0 has LocalAddress=" 'inet 10\.231\.136\.2/32 ' \
                        "$(mnet ip -4 addr show dev host0 2>&1)"
                expect_match "nspawnnet: the machine's default route is through HostAddress=" \
                        'default via 10\.231\.136\.1 dev host0' "$(mnet ip -4 route show 2>&1)"
                expect_ok "nspawnnet: the machine reaches the guest at HostAddress= (ping)" mnet ping -c 1 -W 5 10.231.136.1
                expect_ok "nspawnnet: the guest reaches the machine at LocalAddress= (ping)" g busybox ping -c 1 -W 5 10.231.136.2
                g systemd-run --quiet --unit=nspawnnet-httpd busybox httpd -f -p 10.231.136.1:8090 -h /srv/nspawnnet
                mnet httpd -p 10.231.136.2:8091 -h /srv/www
                # both servers answer once they listen (busybox's httpd is not a notify service); the
                # guest's busybox wget (1.35) crashes with -T, and prints its progress on stderr
                wait_for 10 mnet wget -O /dev/null http://10.231.136.1:8090/
                wait_for 10 g busybox wget -O /dev/null http://10.231.136.2:8091/
                expect_eq "nspawnnet: the machine fetches a page from the guest at HostAddress=" "from the guest" \
                        "$(mnet wget -O - http://10.231.136.1:8090/ 2>/dev/null)"
                expect_eq "nspawnnet: the guest fetches a page from the machine at LocalAddress=" "from the machine" \
                        "$(g busybox wget -O - http://10.231.136.2:8091/ 2>/dev/null)"
                # the extra veth: the host's end in the bridge, the machine's end eth1 in its network
                expect_eq "nspawnnet: the extra veth's host end vx-deb is in bridge br-e2e" br-e2e \
                        "$(g sh -c 'basename "$(readlink /sys/class/net/vx-deb/master)"' 2>&1)"
                expect_match "nspawnnet: the machine's eth1 has the extra veth's local-address=" 'inet 192\.168\.77\.5/24 ' \
                        "$(mnet ip -4 addr show dev eth1 2>&1)"
                expect_ok "nspawnnet: the machine reaches the bridge's address over the extra veth (ping)" \
                        mnet ping -c 1 -W 5 192.168.77.1
                expect_ok "nspawnnet: the guest reaches the machine over the bridge (ping)" g busybox ping -c 1 -W 5 192.168.77.5
                log "nspawnnet: checked in $(elapsed "$t0") s"
                g systemctl stop nspawnnet-httpd 2>/dev/null
                expect_ok "nspawnnet: systemctl stop $u" g systemctl stop $u
                expect_eq "nspawnnet: the machine is gone after stop" "" "$(g machinectl list --no-legend 2>&1 | grep -w deb)"
        else
                fail "nspawnnet: the machine runs" "journal: $(unit_error $u 'ip|nsenter|error|failed')"
        fi

        t0=$(now)
        g systemctl reset-failed $u nspawnnet-httpd 2>/dev/null
        g ip link delete dev br-e2e 2>/dev/null
        rm -f "$E2E_ROOT$DEFS/deb.container"
        g systemctl daemon-reload
        rm -rf "${E2E_ROOT:?}$tree" "$E2E_ROOT/srv/nspawnnet"
        [ -n "$made_ip" ] && rm -f "$E2E_ROOT/usr/sbin/ip"
        log "nspawnnet: cleaned up in $(elapsed "$t0") s"
        return 0
}
