# SPDX-License-Identifier: LGPL-2.1-or-later
# Scenarios of the end-to-end suite, sourced by run.sh: the Debian package installed and removed
# (OCI_E2E_DEB; without it the suite's copy of the binary is taken away the same way), and the
# README's set-up followed by a new user on what is then a guest without the program.

# deb_install: the package installed into the guest as an administrator would, with the checks of
# what the installation does and does not do (called by scenario_install)
deb_install() {
        local name=/root/${E2E_DEB##*/}
        cp "$E2E_DEB" "$E2E_ROOT$name" || { fail "install: the package copied into the guest"; return 1; }
        # the guest has no network: every dependency is in its package list already
        expect_ok "install: apt-get install -y $name" \
                g env DEBIAN_FRONTEND=noninteractive apt-get install -y "$name" || return 1
        expect_eq "install: the package is installed (dpkg's status)" "install ok installed" \
                "$(g dpkg-query -W -f '${Status}' oci-containers 2>&1)"
        expect_eq "install: the package's generator is where systemd runs it ($SYS_GEN)" yes \
                "$(g sh -c "test -x $SYS_GEN && echo yes || echo no")"
        expect_eq "install: the user generator links to it ($USER_GEN)" "$SYS_GEN" "$(g readlink "$USER_GEN")"
        # nothing is enabled on installation: pruning images is the administrator's choice
        expect_eq "install: oci-containers-prune.timer not enabled by the installation" disabled \
                "$(g systemctl is-enabled oci-containers-prune.timer 2>&1)"
        expect_eq "install: oci-containers-prune.timer not started by the installation" inactive \
                "$(g systemctl is-active oci-containers-prune.timer 2>&1)"
        expect_eq "install: the user's oci-containers-prune.timer not enabled by the installation" disabled \
                "$(g systemctl --global is-enabled oci-containers-prune.timer 2>&1)"
        # (it has no [Install] section, "static": the generator links it when it has messages to tell)
        expect_match "install: oci-containers-report.service not enabled by the installation" '^(disabled|static)$' \
                "$(g systemctl is-enabled oci-containers-report.service 2>&1)"
}

# ---- the program taken away: the package removed, or the suite's copy deleted ----
scenario_uninstall() {
        if [ -n "$E2E_DEB" ]; then
                expect_ok "uninstall: apt-get remove -y oci-containers" \
                        g env DEBIAN_FRONTEND=noninteractive apt-get remove -y oci-containers
                expect_ne "uninstall: the package is no longer installed (dpkg's status)" "install ok installed" \
                        "$(g dpkg-query -W -f '${Status}' oci-containers 2>&1)"
        else
                rm -f "$E2E_ROOT$SYS_GEN" "$E2E_ROOT$GEN_BIN" "$E2E_ROOT$USER_GEN"
        fi
        expect_eq "uninstall: no generator left ($SYS_GEN, $USER_GEN)" no/no \
                "$(g sh -c "test -e $SYS_GEN && echo yes || echo no")/$(g sh -c "test -L $USER_GEN && echo yes || echo no")"
        reload "uninstall: daemon-reload without the generator" || return
        expect_eq "uninstall: the generator's units are gone after the reload ($GEN_DIR/web.service)" no \
                "$(g sh -c "test -e $GEN_DIR/web.service && echo yes || echo no")"
}

# ---- the README's "Set-up on a fresh Debian 12", word by word (test/readme-setup.sh) ----
scenario_readme() {
        if [ "$E2E_SUITE" != bookworm ]; then
                skip "readme: the README's set-up is written for Debian 12 (the bookworm guest)"
                return
        fi
        # a new user's machine: none of the suite's definitions or settings (after "uninstall")
        g systemctl stop web.service >/dev/null 2>&1
        g sh -c 'rm -rf /etc/oci-containers.d /etc/oci-containers.conf /root/.config/oci-containers.d'
        # the source tree as a release has it: no .git, no build directory
        local src
        src=$(cd "$E2E_DIR/../.." && pwd)
        rm -rf "$E2E_ROOT/root/src"
        install -d "$E2E_ROOT/root/src"
        (cd "$src" && tar -c --exclude=./.git --exclude='./build*' --exclude='__pycache__' .) |
                tar -x -C "$E2E_ROOT/root/src"
        local log=$E2E_LOGS/readme-setup.log t0 out
        t0=$(now)
        g env HOME=/root sh -c 'cd /root/src && test/readme-setup.sh' >"$log" 2>&1
        out=$(tail -n 1 "$log")
        if [[ $out == "readme-setup: ok"* ]]; then
                pass "readme: test/readme-setup.sh in /root/src ends with \"readme-setup: ok\" ($(elapsed "$t0") s)"
        else
                fail "readme: test/readme-setup.sh in /root/src ends with \"readme-setup: ok\"" \
                        "seen (the whole log: $log):" "$(tail -n 15 "$log")"
                return
        fi
        local gen=/lib/systemd/system-generators/oci-containers-generator
        expect_eq "readme: meson install put the generator where systemd runs it ($gen)" yes \
                "$(g sh -c "test -x $gen && echo yes || echo no")"

        # the quick start, served: its image is the test image under the quick start's name (no
        # registry is reachable), its page in the directory it serves
        local image
        image=$(sed -n 's/^Image=//p' "$E2E_ROOT/etc/oci-containers.d/web.container")
        expect_ok "readme: the test image tagged as the quick start's $image" g podman tag "$E2E_IMAGE" "$image" || return
        install -d "$E2E_ROOT/srv/www"
        echo "readme-web-$$" >"$E2E_ROOT/srv/www/index.html"
        expect_ok "readme: systemctl start web" g timeout 90 systemctl start web || return
        expect_eq "readme: web.service active" active "$(prop web.service ActiveState)"
        local port
        port=$(sed -n 's/^PublishPort=127\.0\.0\.1:\([0-9]*\):.*/\1/p' "$E2E_ROOT/etc/oci-containers.d/web.container")
        expect_eq "readme: the quick start's web server answers on 127.0.0.1:$port" "readme-web-$$" \
                "$(http_get "$port" /index.html)"
        g systemctl stop web.service
}
