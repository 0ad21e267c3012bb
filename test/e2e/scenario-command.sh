# SPDX-License-Identifier: LGPL-2.1-or-later
# A scenario of the end-to-end suite (sourced by run.sh, see scenarios.sh): oci-containers, the
# administrator's command, against the guest's booted systemd over D-Bus: install --now (with an env
# file named by a relative path), an edit and apply (only the edited service restarts), status with
# a shared drop-in, rm --now, list --json against systemctl, apply with a template's instances, and
# --user with root's user manager.

# where the command is in the guest: the package's, or the suite's copy of the built one
CMD_BIN=/usr/local/bin/oci-containers

# oc ARG...: the command for the system's manager. The suite's copy is told the search path the
# wrapper of the generator gives it (its compiled-in one follows the build's prefix).
oc() {
        if [ -n "$E2E_DEB" ]; then
                g oci-containers "$@"
        else
                g env OCI_CONTAINERS_UNIT_DIRS=$DEFS OCI_CONTAINERS_CONF=/etc/oci-containers.conf $CMD_BIN "$@"
        fi
}

# ocu ARG...: the command with --user, as root for root's user manager
ocu() {
        local bin=$CMD_BIN
        [ -n "$E2E_DEB" ] && bin=oci-containers
        as_user 0 "$bin" --user "$@"
}

# list_field JSON FILE KEY: KEY of the object of list --json whose file is FILE
list_field() {
        python3 -c '
import json, sys
for d in json.loads(sys.argv[1]):
    if d["file"] == sys.argv[2]:
        v = d[sys.argv[3]]
        print(v if isinstance(v, str) else json.dumps(v))' "$@" 2>&1
}

# exists PATH: "yes" or "no", in the guest
exists() {
        g sh -c 'test -e "$0" && echo yes || echo no' "$1"
}

scenario_command() {
        local t="command:" src=/root/command-src out rc pid1 pid2 json u
        if [ -z "$E2E_DEB" ]; then
                if [ ! -x "$COMMAND" ]; then
                        fail "$t the built oci-containers found" "expected: $COMMAND"
                        return
                fi
                install -D -m 0755 "$COMMAND" "$E2E_ROOT$CMD_BIN"
        fi
        install -d "$E2E_ROOT$src" "$E2E_ROOT/srv/www-c1"
        echo "command-c1-$$" >"$E2E_ROOT/srv/www-c1/index.html"
        printf '%s\n' "[Container]" "Image=$E2E_IMAGE" "Pull=never" \
                "Exec=sh -c \"trap 'exit 0' TERM; httpd -f -p 8080 -h /www & wait\"" \
                "PublishPort=127.0.0.1:18091:8080" "Volume=/srv/www-c1:/www:ro" "Environment=VERSION=1" \
                >"$E2E_ROOT$src/c1.container"
        # c2 names its env file by a relative path: install brings it along, its mode kept
        printf '%s\n' "[Container]" "Image=$E2E_IMAGE" "Pull=never" "EnvironmentFile=c2.env" \
                "Exec=sh -c \"trap 'exit 0' TERM; sleep 1000 & wait\"" >"$E2E_ROOT$src/c2.container"
        echo "FROMFILE=c2-$$" >"$E2E_ROOT$src/c2.env"
        chmod 0600 "$E2E_ROOT$src/c2.env"
        # no Image=: an error
        printf '%s\n' "[Container]" "Exec=true" >"$E2E_ROOT$src/bad.container"

        # a definition with an error: nothing is installed, not even the good one given with it
        out=$(oc install $src/c2.container $src/bad.container 2>&1)
        rc=$?
        expect_eq "$t install of a file with an error fails (exit status 1)" 1 "$rc"
        expect_match "$t ... saying the error as --check does" 'bad\.container:[0-9]+:.*error' "$out"
        expect_eq "$t ... and installs nothing" "no no" "$(exists $DEFS/c2.container) $(exists $DEFS/c2.env)"

        if ! expect_ok "$t install --now c1 c2" oc install --now $src/c1.container $src/c2.container; then
                g journalctl -q --no-pager -u c1.service -o cat | tail -n 15 >&2
                return
        fi
        expect_eq "$t the definitions are in $DEFS, mode 0644" "644 644" \
                "$(g stat -c %a $DEFS/c1.container $DEFS/c2.container | tr '\n' ' ' | sed 's/ $//')"
        expect_eq "$t c1.service and c2.service active (started by --now)" active/active \
                "$(prop c1.service ActiveState)/$(prop c2.service ActiveState)"
        expect_eq "$t c1 answers on its port" "command-c1-$$" "$(http_get 18091 /index.html)"
        expect_eq "$t c2.env, named by c2 as a relative path, installed beside it, mode 0600" 600 \
                "$(g stat -c %a $DEFS/c2.env 2>&1)"
        expect_eq "$t ... and its variable in c2's container" "c2-$$" \
                "$(g podman exec systemd-c2 sh -c 'printf %s "$FROMFILE"' 2>&1)"
        out=$(oc install $src/c1.container 2>&1)
        rc=$?
        expect_eq "$t install over an installed definition without --replace fails" 1 "$rc"
        expect_match "$t ... naming --replace" 'exists.*--replace' "$out"

        # list --json: it parses, and agrees with systemctl
        json=$(oc list --json 2>/dev/null)
        expect_eq "$t list --json parses" ok "$(python3 -c 'import json, sys; json.loads(sys.argv[1]); print("ok")' "$json" 2>&1)"
        for u in c1 c2; do
                expect_eq "$t list --json: $u's unit, active state and sub-state agree with systemctl" \
                        "$u.service $(prop $u.service ActiveState) $(prop $u.service SubState)" \
                        "$(list_field "$json" $DEFS/$u.container unit) $(list_field "$json" $DEFS/$u.container active_state) $(list_field "$json" $DEFS/$u.container sub_state)"
        done
        expect_eq "$t list --json: c1 starts at boot, its image" "true $E2E_IMAGE" \
                "$(list_field "$json" $DEFS/c1.container boot) $(list_field "$json" $DEFS/c1.container image)"
        out=$(oc status c1 2>&1)
        rc=$?
        expect_eq "$t status c1: exit status 0 (it runs)" 0 "$rc"
        expect_match "$t status c1 shows the engine's command line" 'Command: .*podman run' "$out"
        # a drop-in for every container (only read here, removed before the next reload)
        install -D -m 0644 /dev/null "$E2E_ROOT$DEFS/container.d/50-command-e2e.conf"
        out=$(oc status c1 2>&1)
        rm -rf "$E2E_ROOT$DEFS/container.d"
        expect_match "$t status c1 lists the drop-in of every container" "Drop-ins: $DEFS/container\.d/50-command-e2e\.conf" "$out"

        # an edit of c1, then apply: c1 restarts, c2 keeps its main process
        pid1=$(prop c1.service MainPID)
        pid2=$(prop c2.service MainPID)
        sed -i 's/^Environment=VERSION=1$/Environment=VERSION=2/' "$E2E_ROOT$DEFS/c1.container"
        out=$(oc apply --dry-run 2>&1)
        expect_eq "$t apply --dry-run plans exactly the restart of c1" "restart c1.service: its generated unit changed" "$out"
        expect_eq "$t apply --dry-run touches nothing (c1's MainPID kept)" "$pid1" "$(prop c1.service MainPID)"
        out=$(oc apply 2>&1)
        rc=$?
        expect_eq "$t apply: exit status 0" 0 "$rc"
        expect_eq "$t apply restarts exactly c1" "restart c1.service: its generated unit changed" "$out"
        expect_ne "$t c1.service has a new MainPID" "$pid1" "$(prop c1.service MainPID)"
        expect_eq "$t c1.service active again" active "$(prop c1.service ActiveState)"
        expect_eq "$t c2.service keeps its MainPID" "$pid2" "$(prop c2.service MainPID)"
        expect_eq "$t c1's container has the new environment" 2 \
                "$(g podman exec systemd-c1 sh -c 'printf %s "$VERSION"' 2>&1)"
        expect_eq "$t apply again: nothing to do" "Nothing to do" "$(oc apply 2>&1 | cut -d: -f1)"

        # rm --now: stopped and removed
        expect_ok "$t rm --now c1" oc rm --now c1
        expect_eq "$t c1.service gone (inactive, not-found) and its file too" "inactive not-found no" \
                "$(prop c1.service ActiveState) $(prop c1.service LoadState) $(exists $DEFS/c1.container)"
        out=$(oc rm nosuch 2>&1)
        rc=$?
        expect_eq "$t rm of no definition fails" 1 "$rc"

        # a definition removed by hand: apply stops its service
        rm -f "$E2E_ROOT$DEFS/c2.container"
        out=$(oc apply 2>&1)
        expect_eq "$t apply stops c2, whose definition is gone" "stop c2.service: its definition is gone" "$out"
        expect_eq "$t c2.service inactive" inactive "$(prop c2.service ActiveState)"
        rm -f "$E2E_ROOT$DEFS/c2.env"
        g systemctl daemon-reload

        command_templates
        command_user
}

# apply and a template's instances: a new instance file, an instance that ran from its template
# getting a file of its own, an edit of the template (each instance restarted once)
command_templates() {
        local t="command: templates:" out pida pidb
        printf '%s\n' "[Container]" "Image=$E2E_IMAGE" "Pull=never" \
                "Exec=sh -c \"trap 'exit 0' TERM; sleep 1000 & wait\"" "Environment=V=1" >"$E2E_ROOT$DEFS/ct@.container"
        g systemctl daemon-reload
        ln -s ct@.container "$E2E_ROOT$DEFS/ct@a.container"
        out=$(oc apply 2>&1)
        expect_eq "$t a new instance file: apply starts it" "start ct@a.service: it is new and starts at boot" "$out"
        expect_eq "$t ct@a.service active" active "$(prop ct@a.service ActiveState)"
        expect_ok "$t ct@b.service started from the template" g systemctl start ct@b.service
        printf '%s\n' "[Container]" "Environment=B=1" >"$E2E_ROOT$DEFS/ct@b.container"
        pida=$(prop ct@a.service MainPID)
        pidb=$(prop ct@b.service MainPID)
        out=$(oc apply 2>&1)
        expect_eq "$t a file for a running instance: apply restarts that one" \
                "restart ct@b.service: it ran from its template, and has a definition of its own now" "$out"
        expect_eq "$t ... ct@a.service keeps its MainPID" "$pida" "$(prop ct@a.service MainPID)"
        expect_ne "$t ... ct@b.service has a new one" "$pidb" "$(prop ct@b.service MainPID)"
        expect_eq "$t ... with its file's environment" 1 "$(g podman exec systemd-ct_b sh -c 'printf %s "$B"' 2>&1)"
        sed -i 's/^Environment=V=1$/Environment=V=2/' "$E2E_ROOT$DEFS/ct@.container"
        out=$(oc apply 2>&1)
        expect_eq "$t an edit of the template: apply restarts each instance once" \
                "restart ct@a.service: its generated unit changed
restart ct@b.service: its generated unit changed" "$out"
        expect_eq "$t ... both with the new environment" 2/2 \
                "$(g podman exec systemd-ct_a sh -c 'printf %s "$V"' 2>&1)/$(g podman exec systemd-ct_b sh -c 'printf %s "$V"' 2>&1)"
        g systemctl stop ct@a.service ct@b.service
        rm -f "$E2E_ROOT$DEFS/ct@.container" "$E2E_ROOT$DEFS/ct@a.container" "$E2E_ROOT$DEFS/ct@b.container"
        g systemctl daemon-reload

        # install --now of a template starts the instance it starts at boot; rm --now stops it
        printf '%s\n' "[Container]" "Image=$E2E_IMAGE" "Pull=never" \
                "Exec=sh -c \"trap 'exit 0' TERM; sleep 1000 & wait\"" "[Install]" "WantedBy=multi-user.target" \
                "DefaultInstance=x" >"$E2E_ROOT/root/command-src/cd@.container"
        expect_ok "$t install --now of a template" oc install --now /root/command-src/cd@.container
        expect_eq "$t ... starts its DefaultInstance=" active "$(prop cd@x.service ActiveState)"
        expect_ok "$t rm --now of the template" oc rm --now cd@.container
        expect_eq "$t ... stops its instance, and removes the file" "inactive no" \
                "$(prop cd@x.service ActiveState) $(exists $DEFS/cd@.container)"
}

# --user: root's user manager, its user bus, ~/.config/oci-containers.d
command_user() {
        local t="command: --user:" src=/root/command-src json cfg=/root/.config/oci-containers.d
        printf '%s\n' "[Container]" "Image=$E2E_IMAGE" "Pull=never" \
                "Exec=sh -c \"trap 'exit 0' TERM; sleep 1000 & wait\"" >"$E2E_ROOT$src/cu.container"
        # the user generator, as scenario "user" links it (the package installs it)
        if [ -z "$E2E_DEB" ] && [ ! -L "$E2E_ROOT$USER_GEN" ]; then
                install -d "$E2E_ROOT${USER_GEN%/*}"
                ln -sfn "$GEN_BIN" "$E2E_ROOT$USER_GEN"
        fi
        expect_ok "$t start user@0.service" g systemctl start user@0.service || return
        if expect_ok "$t install --now cu" ocu install --now $src/cu.container; then
                expect_eq "$t cu.container in $cfg" yes "$(exists $cfg/cu.container)"
                expect_eq "$t cu.service active in root's user manager" active "$(uprop 0 cu.service ActiveState)"
                json=$(ocu list --json 2>/dev/null)
                expect_eq "$t list --json agrees with systemctl --user" "cu.service $(uprop 0 cu.service ActiveState)" \
                        "$(list_field "$json" $cfg/cu.container unit) $(list_field "$json" $cfg/cu.container active_state)"
                expect_eq "$t the system's manager has no cu.service" not-found "$(prop cu.service LoadState)"
                expect_ok "$t rm --now cu" ocu rm --now cu
                expect_eq "$t cu.service inactive, its file gone" "inactive no" \
                        "$(uprop 0 cu.service ActiveState) $(exists $cfg/cu.container)"
        fi
        g systemctl stop user@0.service

        # and a user that is not root, with rootless podman (the set-up of scenario "user")
        user_rootless command_rootless
}

command_rootless() {
        local uid=$RL_UID t="command: --user (rootless $RL_USER):" home=/home/$RL_USER json bin=$CMD_BIN
        local cfg=$home/.config/oci-containers.d
        [ -n "$E2E_DEB" ] && bin=oci-containers
        expect_ok "$t loginctl enable-linger $RL_USER" gsvc loginctl enable-linger $RL_USER || return
        wait_for 20 is_state user@$uid.service active
        install -o $uid -g $uid -m 0644 "$E2E_ROOT/root/e2e-busybox.tar" "$E2E_ROOT$home/e2e-busybox.tar"
        expect_ok "$t test image imported into $RL_USER's storage" as_user $uid podman import --quiet \
                --change 'CMD ["/bin/sh"]' --change 'ENV PATH=/bin' $home/e2e-busybox.tar "$E2E_IMAGE" || return
        install -d -o $uid -g $uid "$E2E_ROOT$home/src"
        printf '%s\n' "[Container]" "Image=$E2E_IMAGE" "Pull=never" \
                "Exec=sh -c \"trap 'exit 0' TERM; sleep 1000 & wait\"" >"$E2E_ROOT$home/src/crl.container"
        chown $uid:$uid "$E2E_ROOT$home/src/crl.container"
        expect_ok "$t install --now crl" as_user $uid $bin --user install --now $home/src/crl.container || return
        expect_eq "$t crl.container in $cfg, owned by $RL_USER" "$uid 644" "$(g stat -c '%u %a' $cfg/crl.container 2>&1)"
        expect_eq "$t crl.service active in $RL_USER's manager" active "$(uprop $uid crl.service ActiveState)"
        expect_eq "$t its container runs in $RL_USER's podman" running \
                "$(as_user $uid podman inspect --format '{{.State.Status}}' systemd-crl 2>&1)"
        json=$(as_user $uid $bin --user list --json 2>/dev/null)
        expect_eq "$t list --json agrees with systemctl --user" "crl.service $(uprop $uid crl.service ActiveState)" \
                "$(list_field "$json" $cfg/crl.container unit) $(list_field "$json" $cfg/crl.container active_state)"
        expect_ok "$t rm --now crl" as_user $uid $bin --user rm --now crl
        expect_eq "$t crl.service inactive, its file gone" "inactive no" \
                "$(uprop $uid crl.service ActiveState) $(exists $cfg/crl.container)"
}
