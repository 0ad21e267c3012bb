# SPDX-License-Identifier: LGPL-2.1-or-later
# The scenarios of the end-to-end suite, sourced by run.sh. Each is a function scenario_NAME that
# runs against the booted guest (g, prop, ... from lib.sh) and reports its checks. They run in
# this order and build on each other: "install" puts the generator into the guest first.
E2E_SCENARIOS="install podman docker argv quadlet lifecycle deps resources pods types templates dropins nspawn nspawnnet seedkeys admin boot user examples
podman5 command oracle kube uninstall readme"


DEFS=/etc/oci-containers.d
GEN_DIR=/run/systemd/generator

# put_def NAME: the definition NAME.container from stdin, written into the guest
put_def() {
        install -d "$E2E_ROOT$DEFS"
        cat >"$E2E_ROOT$DEFS/$1.container"
}

# journal_since CURSOR [K=V|PRIORITY<=N]... FIELD...: matching guest journal entries as JSON
journal_since() {
        local cursor=$1
        shift
        g journalctl -q --no-pager --after-cursor="$cursor" -o json | python3 "$E2E_DIR/jsontool.py" journal "$@"
}

journal_cursor() {
        g journalctl -n 0 --show-cursor -q | sed -n 's/^-- cursor: //p'
}

# http_get PORT PATH: the body of http://127.0.0.1:PORT/PATH fetched inside the guest (bash's
# /dev/tcp: no HTTP client needed in the guest), or the whole response if it is not a 200
http_get() {
        g timeout 10 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0" || exit 1
                printf "GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n" "$1" >&3
                tr -d "\r" <&3' "$1" "$2" 2>&1 | awk 'NR == 1 && !/^HTTP\/1\.[01] 200 / { bad = 1 } bad { print; next }
                                                   body { print } /^$/ { body = 1 }'
}

# unit_error UNIT REGEX: the unit's first journal line matching REGEX, else its first error line
unit_error() {
        local text
        text=$(g journalctl -q --no-pager -u "$1" -o cat)
        grep -i -m 1 -E "$2" <<<"$text" || grep -i -m 1 error <<<"$text"
}

reload() {
        expect_ok "$1" g systemctl daemon-reload
}

# the container's environment, as a JSON object, from `podman exec NAME env`
container_env() {
        g podman exec "$1" env | python3 -c '
import json, sys
print(json.dumps(dict(l.split("=", 1) for l in sys.stdin.read().split("\n") if "=" in l), ensure_ascii=False))'
}

# only KEY... of a JSON object
json_pick() {
        python3 -c '
import json, sys
d = json.loads(sys.argv[1])
print(json.dumps({k: d[k] for k in sys.argv[2:] if k in d}, ensure_ascii=False, sort_keys=True))' "$@"
}

# execstart_parts UNIT [IMAGE]: the podman (or docker) run command line of a unit's ExecStart,
# split by jsontool.py podman-run
execstart_parts() {
        busprop "$1" Service ExecStart | python3 "$E2E_DIR/jsontool.py" execstart |
                python3 "$E2E_DIR/jsontool.py" get 0 | python3 "$E2E_DIR/jsontool.py" podman-run "${2:-$E2E_IMAGE}"
}

# run_opts UNIT FLAG [IMAGE]: the values of FLAG among the run options of the unit's ExecStart, as
# a sorted JSON list
run_opts() {
        execstart_parts "$1" "${3:-}" | python3 -c '
import json, sys
print(json.dumps(sorted(o[1] or "" for o in json.load(sys.stdin).get("options", []) if o[0] == sys.argv[1]), ensure_ascii=False))' "$2"
}

# exec_argvs UNIT PROPERTY: the argvs of ExecStart=, ExecStartPre=, ... as PID 1 holds them (D-Bus),
# a JSON list of lists
exec_argvs() {
        busprop "$1" Service "$2" | python3 "$E2E_DIR/jsontool.py" execstart
}

# the command lines of the guest's processes that contain TEXT, one per line
cmdlines_with() {
        g sh -c 'for f in /proc/[0-9]*/cmdline; do tr "\0" " " <"$f" 2>/dev/null && echo; done' | grep -F -- "$1"
}

# docker_ready: dockerd runs in the guest and has the test image (also when the docker scenario
# did not run, under OCI_E2E_ONLY)
docker_ready() {
        generator_has_backend docker || return 1
        g systemctl start docker.service >/dev/null 2>&1 || return 1
        g docker image inspect "$E2E_IMAGE" >/dev/null 2>&1 && return 0
        g docker import --change 'CMD ["/bin/sh"]' --change 'ENV PATH=/bin' /root/e2e-busybox.tar "$E2E_IMAGE" >/dev/null 2>&1
}

# engine_running ENGINE CONTAINER: the container runs (docker run in the foreground is "active"
# before its container is)
engine_running() {
        [ "$(g "$1" inspect --format '{{.State.Running}}' "$2" 2>/dev/null)" = true ]
}

# ---- 1. the generator installed into a running guest, units after daemon-reload ----
scenario_install() {
        if [ -n "$E2E_DEB" ]; then
                deb_install || return
        else
                install -D -m 0755 "$GENERATOR" "$E2E_ROOT$GEN_BIN"
                # systemd starts generators with an empty environment: the wrapper sets the search
                # path, because the built binary's compiled-in directories follow its build prefix
                install -d "$E2E_ROOT${SYS_GEN%/*}"
                cat >"$E2E_ROOT$SYS_GEN" <<EOF
#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# installed by the oci-containers e2e suite
OCI_CONTAINERS_UNIT_DIRS=$DEFS
OCI_CONTAINERS_CONF=/etc/oci-containers.conf
export OCI_CONTAINERS_UNIT_DIRS OCI_CONTAINERS_CONF
exec $GEN_BIN "\$@"
EOF
                chmod 0755 "$E2E_ROOT$SYS_GEN"
        fi

        install -d "$E2E_ROOT/srv/www"
        echo "e2e-web-$$" >"$E2E_ROOT/srv/www/index.html"
        put_def web <<'EOF'
# busybox httpd on 127.0.0.1:18080, serving /srv/www read-only
[Unit]
Description=oci-containers e2e web server

[Container]
Image=localhost/e2e-busybox:latest
Pull=never
Exec=sh -c "trap 'exit 0' TERM; httpd -f -p 8080 -h /www & wait"
PublishPort=127.0.0.1:18080:8080
Volume=/srv/www:/www:ro
Environment=GREETING="hello world"
EOF
        put_def quiet <<'EOF'
[Container]
Image=localhost/e2e-busybox:latest
Pull=never
AutoStart=no
Exec=sh -c "trap 'exit 0' TERM; sleep 1000 & wait"
EOF

        put_def aliased <<'EOF'
[Container]
Image=localhost/e2e-busybox:latest
Pull=never
Exec=sh -c "trap 'exit 0' TERM; sleep 1000 & wait"

[Install]
Alias=e2e-alias.service
EOF

        local cursor
        cursor=$(journal_cursor)
        reload "install: daemon-reload with the generator installed" || return
        local u
        for u in web quiet; do
                expect_eq "install: $u.service LoadState" loaded "$(prop $u.service LoadState)"
                expect_eq "install: $u.service FragmentPath" "$GEN_DIR/$u.service" "$(prop $u.service FragmentPath)"
                expect_eq "install: $u.service SourcePath" "$DEFS/$u.container" "$(prop $u.service SourcePath)"
                expect_eq "install: $u.service UnitFileState" generated "$(prop $u.service UnitFileState)"
        done
        expect_eq "install: web.service (AutoStart default) is wanted by multi-user.target" \
                "../web.service" "$(g readlink $GEN_DIR/multi-user.target.wants/web.service)"
        expect_match "install: multi-user.target wants web.service" '(^| )web\.service( |$)' \
                "$(prop multi-user.target Wants)"
        expect_eq "install: quiet.service (AutoStart=no) is wanted by nothing" "" "$(prop quiet.service WantedBy)"
        expect_match "install: Alias= gives aliased.service the name e2e-alias.service" '(^| )e2e-alias\.service( |$)' \
                "$(prop aliased.service Names)"
        expect_eq "install: e2e-alias.service is aliased.service" aliased.service "$(prop e2e-alias.service Id)"
        expect_eq "install: with an [Install] section AutoStart defaults to no" "" "$(prop aliased.service WantedBy)"
        expect_eq "install: systemd-analyze verify has no complaint about web.service" "" \
                "$(g systemd-analyze verify --man=no $GEN_DIR/web.service 2>&1)"
        # nothing logged at warning level or worse by the generator for good definitions
        expect_json "install: the generator logged no warning or error" "[]" \
                "$(journal_since "$cursor" SYSLOG_IDENTIFIER=oci-containers-generator 'PRIORITY<=4' MESSAGE)"
        expect_eq "install: no generator failed during the reload" "" \
                "$(g journalctl --after-cursor="$cursor" -q --no-pager -o cat | grep -i 'generator.*failed')"
}

# ---- 2. a podman container as a service ----
scenario_podman() {
        local u=web.service c=systemd-web
        expect_ok "podman: systemctl start $u" g systemctl start $u || return
        expect_eq "podman: $u active after start" active/running "$(prop $u ActiveState)/$(prop $u SubState)"
        local main conmon
        main=$(prop $u MainPID)
        conmon=$(g podman inspect --format '{{.State.ConmonPid}}' $c 2>&1)
        expect_eq "podman: MainPID is conmon's pid" "$conmon" "$main"
        expect_eq "podman: httpd answers on 127.0.0.1:18080" "e2e-web-$$" \
                "$(http_get 18080 /index.html)"
        expect_eq "podman: Environment= value inside the container" "hello world" \
                "$(g podman exec $c sh -c 'printf %s "$GREETING"' 2>&1)"
        expect_eq "podman: bind mount /srv/www visible at /www" "e2e-web-$$" \
                "$(g podman exec $c cat /www/index.html 2>&1)"
        expect_match "podman: bind mount is read-only" 'Read-only file system' \
                "$(g podman exec $c sh -c 'echo x >/www/written' 2>&1)"

        expect_ok "podman: systemctl stop $u" g systemctl stop $u
        expect_eq "podman: $u inactive after stop" inactive "$(prop $u ActiveState)"
        expect_eq "podman: $u stopped cleanly (Result)" success "$(prop $u Result)"
        expect_eq "podman: container gone after stop" "" \
                "$(g podman ps -a --filter name=^$c\$ --format '{{.Names}}' 2>&1)"

        expect_ok "podman: start again after stop" g systemctl start $u
        expect_eq "podman: $u active after the second start" active "$(prop $u ActiveState)"
        g systemctl stop $u
        # a container of its name left behind (for example by a crash of the whole machine) must not
        # block the start: the service names its container, and --replace takes its place
        g podman create --name $c "$E2E_IMAGE" true >/dev/null 2>&1
        expect_ok "podman: start with a stale container of its name in place" g systemctl start $u
        expect_eq "podman: $u active despite the stale container" active "$(prop $u ActiveState)"

        # the payload dies: systemd notices through conmon and restarts the service
        local pid id restarts
        restarts=$(prop $u NRestarts)
        id=$(g podman inspect --format '{{.Id}}' $c 2>&1)
        pid=$(g podman inspect --format '{{.State.Pid}}' $c 2>&1)
        if ! [[ $pid =~ ^[0-9]+$ ]] || [ "$pid" = 0 ]; then
                fail "podman: container pid known" "podman inspect .State.Pid gave: $pid"
                return
        fi
        g sh -c "kill -KILL $pid"
        if wait_for 30 sh -c "[ \"\$(nsenter -t $E2E_LEADER -a systemctl show -p NRestarts --value $u)\" -gt $restarts ]"; then
                pass "podman: systemd restarted $u after the container was killed (NRestarts $restarts -> $(prop $u NRestarts))"
        else
                fail "podman: systemd restarted $u after the container was killed" \
                        "expected: NRestarts > $restarts within 30 s" \
                        "seen:     NRestarts=$(prop $u NRestarts) ActiveState=$(prop $u ActiveState) Result=$(prop $u Result) ExecMainStatus=$(prop $u ExecMainStatus)"
                return
        fi
        wait_for 30 is_state $u active
        expect_eq "podman: $u active again after the restart" active "$(prop $u ActiveState)"
        local id2
        id2=$(g podman inspect --format '{{.Id}}' $c 2>&1)
        expect_ne "podman: a new container runs after the restart" "$id" "$id2"
        expect_eq "podman: MainPID is the new conmon's pid" \
                "$(g podman inspect --format '{{.State.ConmonPid}}' $c 2>&1)" "$(prop $u MainPID)"
        expect_eq "podman: httpd answers after the restart" "e2e-web-$$" \
                "$(http_get 18080 /index.html)"
        g systemctl stop $u
}

# ---- 3. a docker container as a service (docker run in the foreground, Type=simple) ----
E2E_DOCKER=no
scenario_docker() {
        if ! generator_has_backend docker; then
                skip "docker: the generator under test has no docker backend"
                return
        fi
        local u=dock.service c=dock
        expect_ok "docker: dockerd runs in the guest" g systemctl start docker.service || return
        expect_ok "docker: test image imported into docker" g docker import --change 'CMD ["/bin/sh"]' \
                --change 'ENV PATH=/bin' /root/e2e-busybox.tar "$E2E_IMAGE" || return
        put_def dock <<'EOF'
[Container]
Backend=docker
Image=localhost/e2e-busybox:latest
Pull=never
Exec=sh -c "trap 'exit 0' TERM; httpd -f -p 8080 -h /www & wait"
PublishPort=127.0.0.1:18081:8080
Volume=/srv/www:/www:ro
Environment="GREETING=hello world" 'QUOTE=it'"'"'s "q"' DOLLAR=$HOME PCT=100%% UNIT=%N
EOF
        reload "docker: daemon-reload" || return
        E2E_DOCKER=yes
        expect_eq "docker: $u LoadState" loaded "$(prop $u LoadState)"
        expect_eq "docker: $u FragmentPath" "$GEN_DIR/$u" "$(prop $u FragmentPath)"
        expect_match "docker: $u Requires=docker.service" '(^| )docker\.service( |$)' "$(prop $u Requires)"
        local want_env want_parts
        want_env='{"GREETING": "hello world", "QUOTE": "it'"'"'s \"q\"", "DOLLAR": "$HOME", "PCT": "100%", "UNIT": "dock"}'
        want_parts=$(python3 - "$want_env" "$E2E_IMAGE" <<'PY2'
import json, sys
env, image = json.loads(sys.argv[1]), sys.argv[2]
# "DOLLAR=$HOME": a "$NAME" inside a word, which systemd leaves as it is, written so
opts = [["--name", "dock"], ["--log-driver", "journald"], ["--pull", "never"], ["--rm", None],
        ["--publish", "127.0.0.1:18081:8080"], ["--volume", "/srv/www:/www:ro"]]
opts += [["--env", f"{k}={v}"] for k, v in env.items()]
print(json.dumps({"binary": "/usr/bin/docker", "global": [], "image": image,
                  "options": sorted(opts, key=lambda o: (o[0], o[1] or "")),
                  "command": ["sh", "-c", "trap 'exit 0' TERM; httpd -f -p 8080 -h /www & wait"]}, ensure_ascii=False))
PY2
)
        expect_json "docker: ExecStart argv as PID 1 parsed it (D-Bus)" "$want_parts" "$(execstart_parts $u)"

        expect_ok "docker: systemctl start $u" g systemctl start $u || return
        expect_eq "docker: $u active after start" active/running "$(prop $u ActiveState)/$(prop $u SubState)"
        wait_for 10 sh -c "[ \"\$(nsenter -t $E2E_LEADER -a docker inspect -f '{{.State.Running}}' $c)\" = true ]"
        expect_eq "docker: container running" true "$(g docker inspect -f '{{.State.Running}}' $c 2>&1)"
        expect_eq "docker: MainPID is the docker run client" docker "$(g cat /proc/"$(prop $u MainPID)"/comm 2>&1)"
        wait_for 10 sh -c "nsenter -t $E2E_LEADER -a timeout 2 bash -c 'exec 3<>/dev/tcp/127.0.0.1/18081'"
        expect_eq "docker: httpd answers on 127.0.0.1:18081" "e2e-web-$$" "$(http_get 18081 /index.html)"
        local env
        env=$(g docker exec $c env | python3 -c '
import json, sys
print(json.dumps(dict(l.split("=", 1) for l in sys.stdin.read().split("\n") if "=" in l), ensure_ascii=False))')
        expect_json "docker: environment inside the container (docker exec env)" "$want_env" \
                "$(json_pick "$env" GREETING QUOTE DOLLAR PCT UNIT)"
        expect_eq "docker: bind mount /srv/www visible at /www" "e2e-web-$$" "$(g docker exec $c cat /www/index.html 2>&1)"
        expect_match "docker: bind mount is read-only" 'Read-only file system' \
                "$(g docker exec $c sh -c 'echo x >/www/written' 2>&1)"

        expect_ok "docker: systemctl stop $u" g systemctl stop $u
        expect_eq "docker: $u inactive after stop" inactive "$(prop $u ActiveState)"
        expect_eq "docker: $u stopped cleanly (Result)" success "$(prop $u Result)"
        expect_eq "docker: container gone after stop" "" "$(g docker ps -a --filter name=^$c\$ --format '{{.Names}}' 2>&1)"
        # a container of the same name left behind (a crash) must not block the start
        g docker create --name $c "$E2E_IMAGE" true >/dev/null 2>&1
        expect_ok "docker: start with a leftover container of the same name" g systemctl start $u
        wait_for 10 sh -c "[ \"\$(nsenter -t $E2E_LEADER -a docker inspect -f '{{.State.Running}}' $c)\" = true ]"
        expect_eq "docker: $u active despite the leftover container" active "$(prop $u ActiveState)"

        local pid id id2 restarts
        restarts=$(prop $u NRestarts)
        id=$(g docker inspect -f '{{.Id}}' $c 2>&1)
        pid=$(g docker inspect -f '{{.State.Pid}}' $c 2>&1)
        if ! [[ $pid =~ ^[0-9]+$ ]] || [ "$pid" = 0 ]; then
                fail "docker: container pid known" "docker inspect .State.Pid gave: $pid"
                return
        fi
        g sh -c "kill -KILL $pid"
        if wait_for 30 sh -c "[ \"\$(nsenter -t $E2E_LEADER -a systemctl show -p NRestarts --value $u)\" -gt $restarts ]"; then
                pass "docker: systemd restarted $u after the container was killed (NRestarts $restarts -> $(prop $u NRestarts))"
        else
                fail "docker: systemd restarted $u after the container was killed" \
                        "expected: NRestarts > $restarts within 30 s" \
                        "seen:     NRestarts=$(prop $u NRestarts) ActiveState=$(prop $u ActiveState) Result=$(prop $u Result) ExecMainStatus=$(prop $u ExecMainStatus)"
                return
        fi
        wait_for 30 sh -c "[ \"\$(nsenter -t $E2E_LEADER -a docker inspect -f '{{.State.Running}}' $c)\" = true ]"
        expect_eq "docker: $u active again after the restart" active "$(prop $u ActiveState)"
        id2=$(g docker inspect -f '{{.Id}}' $c 2>&1)
        expect_ne "docker: a new container runs after the restart" "$id" "$id2"
        g systemctl stop $u
}

# ---- 4. values with spaces, quotes, backslashes, %, $, ; and UTF-8, from the file to the payload ----
scenario_argv() {
        local vol="/srv/e2e arg/it's \"q\" b\\s \$x;y%grüße"
        install -d "$E2E_ROOT$vol"
        echo "marker-$$" >"$E2E_ROOT$vol/marker"
        put_def argv <<'EOF'
[Container]
Image=localhost/e2e-busybox:latest
Pull=never
ContainerName=e2e-argv
AutoStart=no
Exec=sh -c "trap 'exit 0' TERM; sleep 1000 & wait" e2e-argv ";" "two  words" 'it'"'"'s' back\\slash 100%% %N $$HOME a;b grüße "tab\there"
Environment="A=two words" 'B=it'"'"'s' C=back\\slash D=100%% E=$HOME F=a;b G=grüße
Environment=H="x \"dq\" y" I=%N J=$$ "T=tab\there"
Label="e2e.spaces=two words" e2e.pct=100%% e2e.dollar=$HOME e2e.semi=a;b e2e.utf8=grüße
Label=e2e.bs=back\\slash 'e2e.quotes=it'"'"'s "q"' e2e.unit=%N
Volume=/srv/e2e arg/it's "q" b\s $x;y%%grüße:/data:ro
HostEnvironment="SECRET=top secret $x 100%%"
EOF
        reload "argv: daemon-reload" || return
        expect_eq "argv: argv.service LoadState" loaded "$(prop argv.service LoadState)"

        # What the definition means, written out by hand. Quotes group and are removed, C escapes
        # are decoded, %% is a percent and %N the service's name; '$' means what it means to
        # Quadlet and systemd: "$$" is a '$', "$NAME" inside a word is literal, and "$$HOME" keeps
        # the word from being the variable HOME. In the argv PID 1 holds, '$' is as the unit
        # writes it (systemd expands variables and "$$" only at exec time).
        local want_env want_labels want_cmd
        want_env='{"A": "two words", "B": "it'"'"'s", "C": "back\\slash", "D": "100%", "E": "$HOME",
                   "F": "a;b", "G": "grüße", "H": "x \"dq\" y", "I": "argv", "J": "$", "T": "tab\there",
                   "SECRET": "top secret $x 100%"}'
        want_labels='{"e2e.spaces": "two words", "e2e.pct": "100%", "e2e.dollar": "$HOME", "e2e.semi": "a;b",
                      "e2e.utf8": "grüße", "e2e.bs": "back\\slash", "e2e.quotes": "it'"'"'s \"q\"", "e2e.unit": "argv"}'
        want_cmd='["sh", "-c", "trap '"'"'exit 0'"'"' TERM; sleep 1000 & wait", "e2e-argv", ";", "two  words",
                   "it'"'"'s", "back\\slash", "100%", "argv", "$HOME", "a;b", "grüße", "tab\there"]'

        # the unit as PID 1 parsed it
        local want_parts
        want_parts=$(python3 - "$want_env" "$want_labels" "$want_cmd" "$vol" "$E2E_IMAGE" <<'PY'
import json, sys
env, labels, cmd = (json.loads(a) for a in sys.argv[1:4])
vol, image = sys.argv[4], sys.argv[5]
# the words whose '$' the unit writes "$$": the literal '$' of J=$$, and the "$$HOME" of Exec=
env = {**env, "J": "$$"}
cmd = [("$$HOME" if a == "$HOME" else a) for a in cmd]
opts = [["--name", "e2e-argv"], ["--replace", None],
        ["--cgroups", "split"], ["--sdnotify", "conmon"], ["-d", None], ["--pull", "never"],
        ["--rm", None],
        ["--volume", vol + ":/data:ro"]]
opts += [["--env", f"{k}={v}"] for k, v in env.items() if k != "SECRET"]
opts += [["--env", "SECRET"]]  # HostEnvironment=: by name only, the value is in the service's private file
opts += [["--label", f"{k}={v}"] for k, v in labels.items()]
print(json.dumps({"binary": "/usr/bin/podman", "global": [], "image": image,
                  "options": sorted(opts, key=lambda o: (o[0], o[1] or "")),
                  "command": cmd}, ensure_ascii=False))
PY
)
        expect_json "argv: ExecStart argv as PID 1 parsed it (D-Bus)" "$want_parts" "$(execstart_parts argv.service)"
        expect_json "argv: HostEnvironment= value not in the service's Environment= (D-Bus)" \
                '["PODMAN_SYSTEMD_UNIT=argv.service"]' \
                "$(busprop argv.service Service Environment | python3 "$E2E_DIR/jsontool.py" strings)"
        secret_file_checks "argv:" argv.service "top secret"
        local mounts
        mounts=$(busprop argv.service Unit RequiresMountsFor | python3 "$E2E_DIR/jsontool.py" strings |
                python3 -c 'import json,sys; print(json.dumps(sorted(json.load(sys.stdin)), ensure_ascii=False))')
        expect_json "argv: RequiresMountsFor= holds the volume's source" \
                "$(python3 -c 'import json,sys; print(json.dumps(sorted(sys.argv[1:]), ensure_ascii=False))' "$vol" /run/containers)" \
                "$mounts"

        expect_ok "argv: systemctl start argv.service" g systemctl start argv.service || return
        expect_eq "argv: argv.service active" active "$(prop argv.service ActiveState)"
        local env
        env=$(container_env e2e-argv)
        expect_json "argv: environment inside the container (podman exec env)" "$want_env" \
                "$(json_pick "$env" A B C D E F G H I J T SECRET)"
        expect_json "argv: the payload's command line (/proc/1/cmdline)" "$want_cmd" \
                "$(g podman exec e2e-argv cat /proc/1/cmdline | python3 "$E2E_DIR/jsontool.py" nul-list)"
        local labels
        labels=$(g podman inspect --format '{{json .Config.Labels}}' e2e-argv)
        expect_json "argv: container labels (podman inspect)" "$want_labels" \
                "$(json_pick "$labels" e2e.spaces e2e.pct e2e.dollar e2e.semi e2e.utf8 e2e.bs e2e.quotes e2e.unit)"
        expect_eq "argv: the volume with an awkward source path is mounted" "marker-$$" \
                "$(g podman exec e2e-argv cat /data/marker 2>&1)"
        expect_ok "argv: systemctl stop argv.service" g systemctl stop argv.service
        expect_eq "argv: argv.service inactive after stop" inactive "$(prop argv.service ActiveState)"
}

# ---- 4b. a Quadlet-style file: variables from [Service] Environment=, quoted values ----
scenario_quadlet() {
        put_def qvars <<'EOF'
[Unit]
Description=A Quadlet file as Quadlet reads it

[Container]
# the tag, the container's name and a variable of the container come from the service's
# environment, expanded by systemd at start; the quotes of a single value are not part of it
Image=localhost/e2e-busybox:${E2E_TAG}
Pull=never
ContainerName=e2e-${E2E_NAME}
HostName="qvars-host"
Environment=GREETING=${GREETING} PRICE=5$$
Exec=sh -c "trap 'exit 0' TERM; sleep 1000 & wait"
AutoStart=no

[Service]
Environment=E2E_TAG=latest E2E_NAME=qvars "GREETING=hello from systemd"
EOF
        reload "quadlet: daemon-reload" || return
        expect_eq "quadlet: qvars.service LoadState" loaded "$(prop qvars.service LoadState)"
        if ! expect_ok "quadlet: systemctl start qvars.service" g systemctl start qvars.service; then
                g journalctl -q --no-pager -u qvars.service -o cat | tail -n 10 >&2
                return
        fi
        wait_for 15 engine_running podman e2e-qvars
        expect_eq 'quadlet: the container is named from ${E2E_NAME}' true \
                "$(g podman inspect --format '{{.State.Running}}' e2e-qvars 2>&1)"
        expect_eq 'quadlet: the image tag came from ${E2E_TAG}' "$E2E_IMAGE" \
                "$(g podman inspect --format '{{.ImageName}}' e2e-qvars 2>&1)"
        expect_eq 'quadlet: HostName="qvars-host" is the host name, without its quotes' qvars-host \
                "$(g podman exec e2e-qvars hostname 2>&1)"
        expect_json 'quadlet: ${GREETING} expanded and $$ a literal $ inside the container' \
                '{"GREETING": "hello from systemd", "PRICE": "5$"}' \
                "$(json_pick "$(container_env e2e-qvars)" GREETING PRICE)"
        expect_ok "quadlet: systemctl stop qvars.service" g systemctl stop qvars.service
        expect_eq "quadlet: the container is gone after stop" "" \
                "$(g podman ps -a --filter name=^e2e-qvars\$ --format '{{.Names}}' 2>&1)"
        rm -f "$E2E_ROOT$DEFS/qvars.container"
        g systemctl daemon-reload
}

# ---- 5. editing and removing definitions; a broken one beside good ones ----
scenario_lifecycle() {
        local u=life.service
        put_def life <<'EOF'
[Container]
Image=localhost/e2e-busybox:latest
Pull=never
ContainerName=e2e-life
Exec=sh -c "trap 'exit 0' TERM; sleep 1000 & wait"
Environment=STAGE=one
EOF
        reload "lifecycle: daemon-reload after adding life.container" || return
        expect_eq "lifecycle: life.service loaded" loaded "$(prop $u LoadState)"
        # newer generators also make life-pull.service; if so, it must go with the definition
        local pull_state
        pull_state=$(prop life-pull.service LoadState)
        expect_match "lifecycle: ExecStart has STAGE=one" '"--env", "STAGE=one"' "$(execstart_parts $u)"
        expect_ok "lifecycle: start life.service" g systemctl start $u
        expect_eq "lifecycle: STAGE inside the container" one "$(g podman exec e2e-life sh -c 'printf %s "$STAGE"' 2>&1)"

        sed -i 's/^Environment=STAGE=one$/Environment=STAGE=two/' "$E2E_ROOT$DEFS/life.container"
        reload "lifecycle: daemon-reload after editing life.container" || return
        local parts
        parts=$(execstart_parts $u)
        expect_match "lifecycle: ExecStart has STAGE=two after the edit" '"--env", "STAGE=two"' "$parts"
        expect_eq "lifecycle: ExecStart no longer has STAGE=one" "" "$(grep -o 'STAGE=one' <<<"$parts")"
        expect_eq "lifecycle: no daemon-reload pending" no "$(prop $u NeedDaemonReload)"
        expect_ok "lifecycle: restart life.service" g systemctl restart $u
        expect_eq "lifecycle: STAGE inside the restarted container" two "$(g podman exec e2e-life sh -c 'printf %s "$STAGE"' 2>&1)"

        g systemctl stop $u
        rm -f "$E2E_ROOT$DEFS/life.container"
        reload "lifecycle: daemon-reload after deleting life.container" || return
        expect_eq "lifecycle: life.service gone (LoadState)" not-found "$(prop $u LoadState)"
        expect_eq "lifecycle: no unit file left in $GEN_DIR" "" \
                "$(g sh -c "ls -d $GEN_DIR/life* $GEN_DIR/*/life* 2>/dev/null")"
        if [ "$pull_state" = loaded ]; then
                expect_eq "lifecycle: life-pull.service gone too" not-found "$(prop life-pull.service LoadState)"
        fi

        # a typo in one file (line 6) must not cost the others their units
        put_def bad <<'EOF'
[Unit]
Description=broken on purpose

[Container]
Image=localhost/e2e-busybox:latest
Imagee=localhost/e2e-busybox:latest
EOF
        put_def good <<'EOF'
[Container]
Image=localhost/e2e-busybox:latest
Pull=never
AutoStart=no
Exec=sh -c "trap 'exit 0' TERM; sleep 1000 & wait"
EOF
        local cursor
        cursor=$(journal_cursor)
        reload "lifecycle: daemon-reload with a broken definition present" || return
        # a unit stands in for it, which says what is wrong when started (see scenario_admin)
        expect_eq "lifecycle: bad.service is only the stand-in of the broken definition" \
                "loaded/Not generated: $DEFS/bad.container has errors" \
                "$(prop bad.service LoadState)/$(prop bad.service Description)"
        expect_eq "lifecycle: good.service beside it loaded" loaded "$(prop good.service LoadState)"
        expect_eq "lifecycle: web.service still loaded" loaded "$(prop web.service LoadState)"
        expect_ok "lifecycle: good.service starts" g systemctl start good.service
        expect_eq "lifecycle: good.service active" active "$(prop good.service ActiveState)"
        g systemctl stop good.service

        local f=$DEFS/bad.container msgs
        wait_for 5 sh -c "nsenter -t $E2E_LEADER -a journalctl -q --after-cursor='$cursor' -o cat | grep -qF '$f:'"
        msgs=$(g journalctl -q --no-pager --after-cursor="$cursor" -o cat)
        if grep -F "$f:6: " <<<"$msgs" | grep -q Imagee; then
                pass "lifecycle: the journal has '$f:6: ...Imagee...'"
        else
                fail "lifecycle: the journal has '$f:6: ...Imagee...'" "seen in the journal since the reload:" \
                        "$(grep -i -e oci-containers -e "$f" <<<"$msgs")"
        fi
        expect_json "lifecycle: journal fields CONFIG_FILE=$f CONFIG_LINE=6 set on the error" \
                '[{"CONFIG_LINE": "6", "PRIORITY": "3", "SYSLOG_IDENTIFIER": "oci-containers-generator"}]' \
                "$(journal_since "$cursor" CONFIG_FILE=$f CONFIG_LINE=6 CONFIG_LINE PRIORITY SYSLOG_IDENTIFIER)"
}

# ---- 6. DependsOn= ----
scenario_deps() {
        put_def dep-a <<'EOF'
[Container]
Image=localhost/e2e-busybox:latest
Pull=never
AutoStart=no
Exec=sh -c "trap 'exit 0' TERM; sleep 1000 & wait"
EOF
        put_def dep-b <<'EOF'
[Container]
Image=localhost/e2e-busybox:latest
Pull=never
AutoStart=no
DependsOn=dep-a
Exec=sh -c "trap 'exit 0' TERM; sleep 1000 & wait"
EOF
        reload "deps: daemon-reload" || return
        expect_match "deps: dep-b.service Requires=dep-a.service" '(^| )dep-a\.service( |$)' "$(prop dep-b.service Requires)"
        expect_match "deps: dep-b.service After=dep-a.service" '(^| )dep-a\.service( |$)' "$(prop dep-b.service After)"
        expect_ok "deps: start dep-b.service" g systemctl start dep-b.service || return
        expect_eq "deps: dep-a.service started with it" active "$(prop dep-a.service ActiveState)"
        expect_eq "deps: dep-b.service active" active "$(prop dep-b.service ActiveState)"
        local a_up b_begin b_up
        a_up=$(prop dep-a.service ActiveEnterTimestampMonotonic)
        b_begin=$(prop dep-b.service InactiveExitTimestampMonotonic)
        b_up=$(prop dep-b.service ActiveEnterTimestampMonotonic)
        if [ "$a_up" -gt 0 ] && [ "$a_up" -le "$b_begin" ] && [ "$b_begin" -le "$b_up" ]; then
                pass "deps: dep-a was active before dep-b began to start"
        else
                fail "deps: dep-a was active before dep-b began to start" \
                        "expected: 0 < dep-a ActiveEnter <= dep-b InactiveExit <= dep-b ActiveEnter" \
                        "seen:     dep-a ActiveEnter=$a_up, dep-b InactiveExit=$b_begin ActiveEnter=$b_up (monotonic us)"
        fi
        expect_ok "deps: stop dep-a.service" g systemctl stop dep-a.service
        expect_eq "deps: dep-b.service stopped with it" inactive "$(prop dep-b.service ActiveState)"
        expect_eq "deps: dep-a.service inactive" inactive "$(prop dep-a.service ActiveState)"
}

# ---- .network and .volume definitions: made before the containers that name them ----
# Two containers on a network of their own reach each other by name; a named volume keeps its
# content across a restart; stopping the network's service stops the containers that require it.
scenario_resources() {
        local e engines=podman
        [ "$E2E_DOCKER" = yes ] && engines="podman docker"
        for e in $engines; do
                local p=r${e:0:1} t="resources ($e):"
                install -d "$E2E_ROOT$DEFS"
                # global arguments go before "network" in the create command and the look
                # before it; a volume's owner by name becomes a number (podman's driver)
                cat >"$E2E_ROOT$DEFS/${p}net.network" <<EOF
[Network]
Backend=$e
Subnet=10.99.${#e}.0/24
GlobalArgs=--log-level=info
EOF
                local owner=
                [ $e = podman ] && owner="User=nobody
Group=root"
                cat >"$E2E_ROOT$DEFS/${p}vol.volume" <<EOF
[Volume]
Backend=$e
$owner
EOF
                put_def ${p}srv <<EOF
[Container]
Backend=$e
Image=$E2E_IMAGE
Pull=never
AutoStart=no
ContainerName=${p}srv
Network=${p}net.network
Volume=${p}vol.volume:/data
Exec=sh -c "echo start >> /data/starts; trap 'exit 0' TERM; sleep 1000 & wait"
EOF
                put_def ${p}cli <<EOF
[Container]
Backend=$e
Image=$E2E_IMAGE
Pull=never
AutoStart=no
ContainerName=${p}cli
Network=${p}net.network
DependsOn=${p}srv
# ping needs raw sockets, which podman no longer grants by default
AddCapability=NET_RAW
Exec=sh -c "trap 'exit 0' TERM; sleep 1000 & wait"
EOF
                reload "$t daemon-reload" || return
                local srv=${p}srv.service cli=${p}cli.service net=${p}net-network.service vol=${p}vol-volume.service
                expect_match "$t $srv requires $net" "(^| )$net( |\$)" "$(prop $srv Requires)"
                expect_match "$t $srv requires $vol" "(^| )$vol( |\$)" "$(prop $srv Requires)"
                expect_match "$t $srv is ordered after $net" "(^| )$net( |\$)" "$(prop $srv After)"
                expect_eq "$t $net is not started at boot on its own (wanted by nothing)" "" "$(prop $net WantedBy)"
                if [ $e = podman ]; then
                        # made only when missing: with create --ignore where podman has it (5.0 on),
                        # else by a script that looks first (podman 4.3 has no --ignore)
                        local o form unit
                        for o in network volume; do
                                unit=$net
                                [ $o = volume ] && unit=$vol
                                form="the inspect-then-create script (this podman has no create --ignore)"
                                g podman $o create --help 2>/dev/null | grep -q -- '--ignore' && form="podman $o create --ignore"
                                expect_eq "$t $unit makes the $o with $form" "$form" \
                                        "$(exec_argvs $unit ExecStart | python3 -c '
import json, sys
a, o = json.load(sys.stdin)[0], sys.argv[1]
if any(a[i:i + 3] == [o, "create", "--ignore"] for i in range(1, len(a))):  # after any GlobalArgs=
        print(f"podman {o} create --ignore")
elif a[1:2] == ["-c"] and f"{o} inspect" in a[2]:
        print("the inspect-then-create script (this podman has no create --ignore)")
else:
        print(json.dumps(a))' $o)"
                        done
                fi
                if ! expect_ok "$t start $cli (and with it $srv, $net, $vol)" g systemctl start $cli; then
                        g journalctl -q --no-pager -u $net -u $vol -u $srv -u $cli -o cat | tail -n 20 >&2
                        continue
                fi
                expect_eq "$t $net active, remaining after its command" active/yes \
                        "$(prop $net ActiveState)/$(prop $net RemainAfterExit)"
                expect_eq "$t $vol active" active "$(prop $vol ActiveState)"
                local n_up s_begin
                n_up=$(prop $net ActiveEnterTimestampMonotonic)
                s_begin=$(prop $srv InactiveExitTimestampMonotonic)
                if [ "$n_up" -gt 0 ] && [ "$n_up" -le "$s_begin" ]; then
                        pass "$t $net was up before $srv began to start"
                else
                        fail "$t $net was up before $srv began to start" "seen: $net ActiveEnter=$n_up, $srv InactiveExit=$s_begin"
                fi
                expect_ok "$t the engine has network systemd-${p}net" g $e network inspect systemd-${p}net
                expect_ok "$t the engine has volume systemd-${p}vol" g $e volume inspect systemd-${p}vol
                if [ $e = podman ]; then
                        expect_eq "$t the volume's root is owned by nobody:root, by number" "$(g id -u nobody):0" \
                                "$(g podman volume inspect --format '{{.UID}}:{{.GID}}' systemd-${p}vol 2>&1)"
                fi
                wait_for 10 engine_running $e ${p}cli
                wait_for 10 engine_running $e ${p}srv
                # by name, on the definition's network (the engine's DNS there)
                expect_ok "$t ${p}cli reaches ${p}srv by name on the network" \
                        g $e exec ${p}cli ping -c 1 -W 5 ${p}srv
                expect_match "$t ${p}srv has an address in the definition's subnet" "10\.99\.${#e}\." \
                        "$(g $e inspect --format '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}' ${p}srv 2>&1)"
                # the volume outlives the container: a restart finds the first start's line
                expect_ok "$t restart $srv" g systemctl restart $srv
                wait_for 10 engine_running $e ${p}srv
                # the restart restarts $cli too (Requires=): a stop that meets it still starting
                # kills its container before its shell has set its trap, and the unit fails
                wait_for 20 is_state $cli active
                expect_eq "$t the volume kept the first start's line (two starts recorded)" 2 \
                        "$(g $e exec ${p}srv sh -c 'grep -c start /data/starts' 2>&1)"
                # Requires=: stopping the network's service stops what needs it
                expect_ok "$t stop $net" g systemctl stop $net
                expect_eq "$t $srv stopped with $net" inactive "$(prop $srv ActiveState)"
                expect_eq "$t $cli stopped with $srv" inactive "$(prop $cli ActiveState)"
                # the network and the volume are still there: starting again makes nothing twice
                expect_ok "$t start $net and $vol again, with the network and volume there" g systemctl restart $net $vol
                expect_eq "$t $net and $vol active again" active/active "$(prop $net ActiveState)/$(prop $vol ActiveState)"
                g systemctl stop $cli $srv $net $vol 2>/dev/null
                g $e volume rm -f systemd-${p}vol >/dev/null 2>&1
                g $e network rm systemd-${p}net >/dev/null 2>&1
                rm -f "$E2E_ROOT$DEFS/${p}net.network" "$E2E_ROOT$DEFS/${p}vol.volume" \
                        "$E2E_ROOT$DEFS/${p}srv.container" "$E2E_ROOT$DEFS/${p}cli.container"
        done
        g systemctl daemon-reload
}

# ---- .pod definitions (podman): members bound to the pod's service, started with it ----
scenario_pods() {
        install -d "$E2E_ROOT$DEFS"
        cat >"$E2E_ROOT$DEFS/pw.pod" <<'EOF'
[Pod]
PublishPort=127.0.0.1:18090:8080
EOF
        put_def pw-web <<EOF
[Container]
Image=$E2E_IMAGE
Pull=never
AutoStart=no
Pod=pw.pod
Volume=/srv/www:/www:ro
Exec=sh -c "trap 'exit 0' TERM; httpd -f -p 8080 -h /www & wait"
EOF
        put_def pw-side <<EOF
[Container]
Image=$E2E_IMAGE
Pull=never
AutoStart=no
Pod=pw.pod
Exec=sh -c "trap 'exit 0' TERM; sleep 1000 & wait"
EOF
        install -d "$E2E_ROOT/srv/www"
        echo pod-page >"$E2E_ROOT/srv/www/pod.html"
        reload "pods: daemon-reload" || return
        local pod=pw-pod.service
        expect_match "pods: pw-web.service is bound to $pod" "(^| )$pod( |\$)" "$(prop pw-web.service BindsTo)"
        expect_match "pods: $pod wants its members" "pw-side\.service" "$(prop $pod Wants)"
        if ! expect_ok "pods: start $pod" g systemctl start $pod; then
                g journalctl -q --no-pager -u $pod -u pw-web.service -o cat | tail -n 15 >&2
                return
        fi
        wait_for 15 is_state pw-web.service active
        wait_for 15 is_state pw-side.service active
        expect_eq "pods: the pod started both members" active/active \
                "$(prop pw-web.service ActiveState)/$(prop pw-side.service ActiveState)"
        expect_eq "pods: podman's pod systemd-pw holds the infra container and both members" 3 \
                "$(g podman pod inspect systemd-pw --format '{{.NumContainers}}' 2>&1)"
        local i
        for i in 1 2 3 4 5 6 7 8 9 10; do [ "$(http_get 18090 /pod.html)" = pod-page ] && break; sleep 0.5; done
        expect_eq "pods: the pod's published port reaches a member" pod-page "$(http_get 18090 /pod.html)"
        expect_ok "pods: stop $pod" g systemctl stop $pod
        # a member bound to the pod may still be finishing its ExecStopPost= when the pod's stop returns
        for i in $(seq 30); do
                [ "$(prop pw-web.service ActiveState)/$(prop pw-side.service ActiveState)" = inactive/inactive ] && break
                sleep 0.5
        done
        expect_eq "pods: the members stopped with the pod" inactive/inactive \
                "$(prop pw-web.service ActiveState)/$(prop pw-side.service ActiveState)"
        expect_eq "pods: the pod is removed" "" "$(g podman pod ls -q --filter name=systemd-pw 2>/dev/null)"
        rm -f "$E2E_ROOT$DEFS/pw.pod" "$E2E_ROOT$DEFS/pw-web.container" "$E2E_ROOT$DEFS/pw-side.container"
        g systemctl daemon-reload

        # docker has no pods: a network named after the pod, members known there as POD-CONTAINER,
        # the pod's ports published by its first member
        [ "$E2E_DOCKER" = yes ] || return
        cat >"$E2E_ROOT$DEFS/dw.pod" <<'EOF'
[Pod]
Backend=docker
PublishPort=127.0.0.1:18091:8080
EOF
        put_def dw-a <<EOF
[Container]
Backend=docker
Image=$E2E_IMAGE
Pull=never
AutoStart=no
Pod=dw.pod
Volume=/srv/www:/www:ro
Exec=sh -c "trap 'exit 0' TERM; httpd -f -p 8080 -h /www & wait"
EOF
        put_def dw-b <<EOF
[Container]
Backend=docker
Image=$E2E_IMAGE
Pull=never
AutoStart=no
Pod=dw.pod
AddCapability=NET_RAW
Exec=sh -c "trap 'exit 0' TERM; sleep 1000 & wait"
EOF
        reload "pods (docker): daemon-reload" || return
        if ! expect_ok "pods (docker): start dw-pod.service" g systemctl start dw-pod.service; then
                g journalctl -q --no-pager -u dw-pod.service -u dw-a.service -o cat | tail -n 15 >&2
                return
        fi
        wait_for 15 engine_running docker dw-a
        wait_for 15 engine_running docker dw-b
        expect_ok "pods (docker): the pod's network systemd-dw exists" g docker network inspect systemd-dw
        expect_ok "pods (docker): dw-b reaches dw-a by its alias dw-dw-a" g docker exec dw-b ping -c 1 -W 5 dw-dw-a
        local i
        for i in 1 2 3 4 5 6 7 8 9 10; do [ "$(http_get 18091 /pod.html)" = pod-page ] && break; sleep 0.5; done
        expect_eq "pods (docker): the pod's port, published by its first member, reaches it" pod-page "$(http_get 18091 /pod.html)"
        expect_ok "pods (docker): stop dw-pod.service" g systemctl stop dw-pod.service
        # a member bound to the pod may still be finishing its ExecStopPost= when the pod's stop returns
        for i in $(seq 30); do
                [ "$(prop dw-a.service ActiveState)/$(prop dw-b.service ActiveState)" = inactive/inactive ] && break
                sleep 0.5
        done
        expect_eq "pods (docker): the members stopped with the pod" inactive/inactive \
                "$(prop dw-a.service ActiveState)/$(prop dw-b.service ActiveState)"
        g docker network rm systemd-dw >/dev/null 2>&1
        rm -f "$E2E_ROOT$DEFS/dw.pod" "$E2E_ROOT$DEFS/dw-a.container" "$E2E_ROOT$DEFS/dw-b.container"
        g systemctl daemon-reload
}

# ---- types: .image, .build and .kube definitions, and containers whose Image= names the first two ----
TYPES_DIR=/srv/e2e-types

# put_typed FILE: a definition of any kind (FILE with its extension) from stdin, into the guest
put_typed() {
        install -d "$E2E_ROOT$DEFS"
        cat >"$E2E_ROOT$DEFS/$1"
}

scenario_types() {
        install -d "$E2E_ROOT$TYPES_DIR/build" "$E2E_ROOT$TYPES_DIR/kube" "$E2E_ROOT/srv/www"
        # the test image saved under a name of its own, which is then removed: only the .image's
        # pull from the archive can bring that name back
        if ! expect_ok "types: the test image saved as localhost/e2e-archived:1 in a docker-archive" g sh -c \
                "podman tag $E2E_IMAGE localhost/e2e-archived:1 &&
                 podman save --format docker-archive -o $TYPES_DIR/archived.tar localhost/e2e-archived:1 &&
                 podman rmi localhost/e2e-archived:1"; then
                return
        fi
        put_typed archived.image <<EOF
[Image]
Image=docker-archive:$TYPES_DIR/archived.tar
ImageTag=localhost/e2e-archived:1
EOF
        put_def fromimage <<'EOF'
[Container]
Image=archived.image
Pull=never
AutoStart=no
Exec=sh -c "trap 'exit 0' TERM; sleep 1000 & wait"
EOF
        # a build FROM the test image: nothing is pulled
        cat >"$E2E_ROOT$TYPES_DIR/build/Containerfile" <<EOF
FROM $E2E_IMAGE
RUN echo built-by-e2e > /built.txt
EOF
        put_typed bb.build <<EOF
[Build]
ImageTag=localhost/e2e-built:1
File=$TYPES_DIR/build/Containerfile
SetWorkingDirectory=file
Pull=never
EOF
        put_def frombuild <<'EOF'
[Container]
Image=bb.build
Pull=never
AutoStart=no
Exec=sh -c "trap 'exit 0' TERM; sleep 1000 & wait"
EOF
        # a pod of the test image that answers on a port of the host (the YAML's hostPort: podman
        # 4.3's kube play has no --publish)
        echo kube-page >"$E2E_ROOT/srv/www/kube.html"
        cat >"$E2E_ROOT$TYPES_DIR/kube/web.yaml" <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: e2ekube
spec:
  containers:
  - name: web
    image: $E2E_IMAGE
    imagePullPolicy: Never
    command: ["httpd", "-f", "-p", "8080", "-h", "/www"]
    ports:
    - containerPort: 8080
      hostPort: 18095
      hostIP: 127.0.0.1
    volumeMounts:
    - name: www
      mountPath: /www
  volumes:
  - name: www
    hostPath:
      path: /srv/www
      type: Directory
EOF
        put_typed kweb.kube <<EOF
[Kube]
Yaml=$TYPES_DIR/kube/web.yaml
SetWorkingDirectory=yaml
AutoStart=no
EOF
        reload "types: daemon-reload" || return

        local img=archived-image.service
        expect_match "types: fromimage.service requires $img" "(^| )$img( |\$)" "$(prop fromimage.service Requires)"
        expect_eq "types: $img is not started at boot on its own (wanted by nothing)" "" "$(prop $img WantedBy)"
        expect_eq "types: no fromimage-pull.service (the .image pulls)" not-found "$(prop fromimage-pull.service LoadState)"
        if expect_ok "types: start fromimage.service (and with it $img)" g systemctl start fromimage.service; then
                expect_eq "types: $img active, remaining after its pull" active/yes \
                        "$(prop $img ActiveState)/$(prop $img RemainAfterExit)"
                expect_ok "types: the pull from the archive made localhost/e2e-archived:1" \
                        g podman image exists localhost/e2e-archived:1
                wait_for 10 engine_running podman systemd-fromimage
                expect_eq "types: the container runs the image's ImageTag=" localhost/e2e-archived:1 \
                        "$(g podman inspect --format '{{.ImageName}}' systemd-fromimage 2>&1)"
        else
                g journalctl -q --no-pager -u $img -u fromimage.service -o cat | tail -n 15 >&2
        fi

        local bld=bb-build.service
        expect_match "types: frombuild.service requires $bld" "(^| )$bld( |\$)" "$(prop frombuild.service Requires)"
        if expect_ok "types: start frombuild.service (and with it $bld)" g systemctl start frombuild.service; then
                expect_eq "types: $bld ran to its end (a oneshot, built again at each start)" inactive/success \
                        "$(prop $bld ActiveState)/$(prop $bld Result)"
                expect_eq "types: $bld ran in File='s directory" "$TYPES_DIR/build" "$(prop $bld WorkingDirectory)"
                wait_for 10 engine_running podman systemd-frombuild
                expect_eq "types: the container runs the built image" built-by-e2e \
                        "$(g podman exec systemd-frombuild cat /built.txt 2>&1)"
        else
                g journalctl -q --no-pager -u $bld -u frombuild.service -o cat | tail -n 15 >&2
        fi

        if expect_ok "types: start kweb.service (kube play, ready when its pod runs)" g systemctl start kweb.service; then
                expect_eq "types: kweb.service active, Type=notify" active/notify \
                        "$(prop kweb.service ActiveState)/$(prop kweb.service Type)"
                expect_eq "types: kweb.service runs in the YAML's directory" "$TYPES_DIR/kube" \
                        "$(prop kweb.service WorkingDirectory)"
                expect_ok "types: podman has the pod e2ekube" g podman pod exists e2ekube
                local i
                for i in 1 2 3 4 5 6 7 8 9 10; do [ "$(http_get 18095 /kube.html)" = kube-page ] && break; sleep 0.5; done
                expect_eq "types: the pod answers on the YAML's host port" kube-page "$(http_get 18095 /kube.html)"
                expect_ok "types: stop kweb.service" g systemctl stop kweb.service
                expect_eq "types: kweb.service stopped" inactive "$(prop kweb.service ActiveState)"
                expect_ne "types: kube down removed the pod" 0 "$(g podman pod exists e2ekube; echo $?)"
        else
                g journalctl -q --no-pager -u kweb.service -o cat | tail -n 15 >&2
        fi
        g systemctl stop fromimage.service frombuild.service kweb.service $img $bld 2>/dev/null
        rm -f "$E2E_ROOT$DEFS/archived.image" "$E2E_ROOT$DEFS/fromimage.container" "$E2E_ROOT$DEFS/bb.build" \
                "$E2E_ROOT$DEFS/frombuild.container" "$E2E_ROOT$DEFS/kweb.kube"
        g systemctl daemon-reload
        g podman rmi localhost/e2e-archived:1 localhost/e2e-built:1 >/dev/null 2>&1

        # docker builds offline too, FROM its copy of the test image
        if ! docker_ready; then
                skip "types (docker): a .build with Backend=docker (docker does not run in the guest)"
                return
        fi
        put_typed dbb.build <<EOF
[Build]
Backend=docker
ImageTag=localhost/e2e-dbuilt:1
File=$TYPES_DIR/build/Containerfile
SetWorkingDirectory=file
EOF
        put_def dfrombuild <<'EOF'
[Container]
Backend=docker
Image=dbb.build
Pull=never
AutoStart=no
Exec=sh -c "trap 'exit 0' TERM; sleep 1000 & wait"
EOF
        reload "types (docker): daemon-reload" || return
        if expect_ok "types (docker): start dfrombuild.service (and with it dbb-build.service)" \
                g systemctl start dfrombuild.service; then
                expect_eq "types (docker): dbb-build.service ran to its end" inactive/success \
                        "$(prop dbb-build.service ActiveState)/$(prop dbb-build.service Result)"
                wait_for 15 engine_running docker dfrombuild
                expect_eq "types (docker): the container runs the built image" built-by-e2e \
                        "$(g docker exec dfrombuild cat /built.txt 2>&1)"
        else
                g journalctl -q --no-pager -u dbb-build.service -u dfrombuild.service -o cat | tail -n 15 >&2
        fi
        g systemctl stop dfrombuild.service 2>/dev/null
        rm -f "$E2E_ROOT$DEFS/dbb.build" "$E2E_ROOT$DEFS/dfrombuild.container"
        g systemctl daemon-reload
        g docker rmi localhost/e2e-dbuilt:1 >/dev/null 2>&1
}

# ---- templates: NAME@.container, and NAME@INSTANCE.container adding to it ----
scenario_templates() {
        put_def tpl@ <<'EOF'
[Container]
Image=localhost/e2e-busybox:latest
Pull=never
Exec=sh -c "trap 'exit 0' TERM; sleep 1000 & wait"
Environment=WHO=%i
EOF
        put_def tpl@fixed <<'EOF'
[Container]
Environment=EXTRA=fixed
EOF
        reload "templates: daemon-reload" || return
        expect_eq "templates: tpl@one.service comes from the template" "$GEN_DIR/tpl@.service" "$(prop tpl@one.service FragmentPath)"
        expect_eq "templates: tpl@fixed.service has its own unit" "$GEN_DIR/tpl@fixed.service" "$(prop tpl@fixed.service FragmentPath)"
        expect_eq "templates: the instance file is wanted by multi-user.target (AutoStart default)" "../tpl@fixed.service" \
                "$(g readlink $GEN_DIR/multi-user.target.wants/tpl@fixed.service)"
        expect_ok "templates: start tpl@one.service and tpl@two.service" g systemctl start tpl@one.service tpl@two.service || return
        local i
        for i in one two; do
                expect_eq "templates: tpl@$i.service active" active "$(prop tpl@$i.service ActiveState)"
                expect_eq "templates: container systemd-tpl_$i has WHO=$i" "$i" \
                        "$(g podman exec systemd-tpl_$i sh -c 'printf %s "$WHO"' 2>&1)"
        done
        expect_ok "templates: start tpl@fixed.service" g systemctl start tpl@fixed.service
        expect_eq "templates: tpl@fixed has the template's and its own values" "fixed/fixed" \
                "$(g podman exec systemd-tpl_fixed sh -c 'printf %s/%s "$WHO" "$EXTRA"' 2>&1)"
        expect_ok "templates: stop the instances" g systemctl stop tpl@one.service tpl@two.service tpl@fixed.service

        # Instance names may hold any character systemd-escape produces: ':' as is, others as \xNN.
        # The engines accept only [a-zA-Z0-9][a-zA-Z0-9_.-]* as a container name, so such an instance
        # must fail before the engine runs, with a message that says why.
        if [ "$E2E_DOCKER" = yes ]; then
                put_def tpld@ <<'EOF'
[Container]
Backend=docker
Image=localhost/e2e-busybox:latest
Pull=never
Exec=sh -c "trap 'exit 0' TERM; sleep 1000 & wait"
EOF
                g systemctl daemon-reload
        fi
        local t u
        for t in tpl tpld; do
                [ $t = tpld ] && [ "$E2E_DOCKER" != yes ] && continue
                for i in 8080:80 "$(g systemd-escape 'x y')"; do
                        u="$t@$i.service"
                        if g systemctl start "$u" >/dev/null 2>&1; then
                                fail "templates: instance $u is refused before the engine runs" "expected: the start fails" \
                                        "seen:     $(prop "$u" ActiveState)"
                        elif unit_error "$u" 'cannot name a container' | grep -q 'cannot name a container'; then
                                pass "templates: instance $u is refused before the engine runs, with the reason in the journal"
                        else
                                fail "templates: instance $u is refused before the engine runs" \
                                        "expected: 'cannot name a container' in the journal" "seen: $(unit_error "$u" 'names must|invalid|instance')"
                        fi
                        g systemctl stop "$u" 2>/dev/null
                        g systemctl reset-failed "$u" 2>/dev/null
                done
        done
        rm -f "$E2E_ROOT$DEFS/tpld@.container"
        g systemctl daemon-reload
}

# ---- drop-ins: NAME.container.d/, the type-wide container.d/, one masked by a link to /dev/null ----
scenario_dropins() {
        dropins_checks
        # the type-wide drop-ins would reach every later definition (Label= is an error for nspawn)
        g systemctl stop dw.service 2>/dev/null
        rm -rf "$E2E_ROOT$DEFS/dw.container" "$E2E_ROOT$DEFS/dw2.container" "$E2E_ROOT$DEFS/dw.container.d" \
                "$E2E_ROOT$DEFS/container.d"
        g systemctl daemon-reload
}

dropins_checks() {
        local u=dw.service c=systemd-dw d=$E2E_ROOT$DEFS n
        for n in dw dw2; do
                put_def $n <<'EOF'
[Container]
Image=localhost/e2e-busybox:latest
Pull=never
AutoStart=no
Exec=sh -c "trap 'exit 0' TERM; sleep 1000 & wait"
EOF
        done
        install -d "$d/dw.container.d" "$d/container.d"
        printf '[Container]\nEnvironment=FROM_DROPIN=yes\n' >"$d/dw.container.d/10-env.conf"
        # container.d/ applies to every definition; dw masks one of its files by name, dw2 does not
        printf '[Container]\nLabel=e2e.dropin=type-wide\n' >"$d/container.d/00-label.conf"
        printf '[Container]\nEnvironment=MASKED=yes\n' >"$d/container.d/50-masked.conf"
        ln -sfn /dev/null "$d/dw.container.d/50-masked.conf"
        reload "dropins: daemon-reload with drop-ins in place" || return
        expect_eq "dropins: $u loaded" loaded "$(prop $u LoadState)"
        expect_eq "dropins: the unit's header lists the drop-ins read ('# Also read:'), not the masked one" \
                "$DEFS/container.d/00-label.conf"$'\n'"$DEFS/dw.container.d/10-env.conf" \
                "$(g sed -n 's/^# Also read: //p' $GEN_DIR/$u)"
        expect_json "dropins: --env of $u: FROM_DROPIN from dw.container.d/, not the masked MASKED" \
                '["FROM_DROPIN=yes"]' "$(run_opts $u --env)"
        expect_json "dropins: --label of $u from the type-wide container.d/" '["e2e.dropin=type-wide"]' "$(run_opts $u --label)"
        expect_json "dropins: dw2.service, which masks nothing, has the drop-in dw masks" '["MASKED=yes"]' \
                "$(run_opts dw2.service --env)"

        expect_ok "dropins: start $u" g systemctl start $u || return
        expect_json "dropins: the container sees FROM_DROPIN=yes and no MASKED" '{"FROM_DROPIN": "yes"}' \
                "$(json_pick "$(container_env $c)" FROM_DROPIN MASKED)"
        expect_eq "dropins: the container has the type-wide label (podman inspect)" type-wide \
                "$(g podman inspect --format '{{index .Config.Labels "e2e.dropin"}}' $c 2>&1)"

        rm -f "$d/dw.container.d/10-env.conf"
        reload "dropins: daemon-reload after removing dw.container.d/10-env.conf" || return
        expect_eq "dropins: the header no longer lists 10-env.conf" "$DEFS/container.d/00-label.conf" \
                "$(g sed -n 's/^# Also read: //p' $GEN_DIR/$u)"
        expect_ok "dropins: restart $u" g systemctl restart $u
        expect_json "dropins: FROM_DROPIN gone from the restarted container" '{}' \
                "$(json_pick "$(container_env $c)" FROM_DROPIN MASKED)"
        expect_eq "dropins: the type-wide label still there after the restart" type-wide \
                "$(g podman inspect --format '{{index .Config.Labels "e2e.dropin"}}' $c 2>&1)"
}

# ---- Backend=nspawn: a directory tree run by systemd-nspawn inside the guest ----
scenario_nspawn() {
        if ! generator_has_backend nspawn; then
                skip "nspawn: the generator under test has no nspawn backend"
                return
        fi
        local u=nsp.service tree=/var/lib/machines/bb out=/srv/nspawn-out
        # the test image's busybox tree; without a /usr nspawn refuses to run it
        rm -rf "$E2E_ROOT$tree" "$E2E_ROOT$out"
        install -d "$E2E_ROOT$tree/usr" "$E2E_ROOT$out"
        if ! tar -C "$E2E_ROOT$tree" -xf "$E2E_ROOT/root/e2e-busybox.tar"; then
                fail "nspawn: busybox tree unpacked into $tree"
                return
        fi
        put_def nsp <<'EOF'
[Container]
Backend=nspawn
Image=bb
AutoStart=no
Environment=GREETING="hello from nspawn"
Volume=/srv/nspawn-out:/out
Exec=/bin/sh -c "trap 'exit 0' TERM; echo \"$GREETING\" >/out/greeting; sleep 1000 & wait"
EOF
        reload "nspawn: daemon-reload" || return
        expect_eq "nspawn: $u loaded" loaded "$(prop $u LoadState)"
        expect_eq "nspawn: systemd-analyze verify has no complaint about $u" "" \
                "$(g systemd-analyze verify --man=no $GEN_DIR/$u 2>&1)"
        expect_eq "nspawn: $u is Type=notify" notify "$(prop $u Type)"
        # the parts of the argv that matter, as PID 1 parsed it: "$GREETING" inside a word is the
        # shell's, which systemd leaves as it is
        local want
        want=$(python3 -c 'import json, sys; print(json.dumps({"binary": "/usr/bin/systemd-nspawn", "boot": False,
                "directory": ["/var/lib/machines/bb"], "setenv": ["GREETING=hello from nspawn"], "bind": ["/srv/nspawn-out:/out"],
                "command": ["/bin/sh", "-c", sys.argv[1]]}, ensure_ascii=False))' \
                "trap 'exit 0' TERM; echo \"\$GREETING\" >/out/greeting; sleep 1000 & wait")
        expect_json "nspawn: ExecStart argv (D-Bus): directory, --setenv, --bind, no --boot, the command after --" "$want" \
                "$(exec_argvs $u ExecStart | python3 -c '
import json, sys
a = json.load(sys.stdin)[0]
opts = a[1:a.index("--")] if "--" in a else a[1:]
val = lambda f: [o[len(f) + 1:] for o in opts if o.startswith(f + "=")]
print(json.dumps({"binary": a[0], "boot": "--boot" in opts or "-b" in opts, "directory": val("--directory"),
                  "setenv": val("--setenv"), "bind": val("--bind"),
                  "command": a[a.index("--") + 1:] if "--" in a else None}, ensure_ascii=False))')"

        if ! expect_ok "nspawn: systemctl start $u" g timeout 90 systemctl start $u; then
                fail "nspawn: the machine runs" "journal: $(unit_error $u 'nspawn|error|failed')"
                return
        fi
        expect_eq "nspawn: $u active after start (READY=1 from nspawn)" active/running "$(prop $u ActiveState)/$(prop $u SubState)"
        expect_eq "nspawn: MainPID is systemd-nspawn" systemd-nspawn "$(g cat /proc/"$(prop $u MainPID)"/comm 2>&1)"
        expect_eq "nspawn: machined knows the machine, run by $u (machinectl)" "$u" \
                "$(g machinectl show nsp -p Unit --value 2>&1)"
        wait_for 10 test -s "$E2E_ROOT$out/greeting"
        expect_eq "nspawn: Environment= value written through the bind mount, read on the host side" \
                "hello from nspawn" "$(cat "$E2E_ROOT$out/greeting" 2>&1)"

        expect_ok "nspawn: systemctl stop $u" g systemctl stop $u
        local st
        st="$(prop $u ActiveState)/$(prop $u Result)"
        if [ "$st" = inactive/success ]; then
                pass "nspawn: $u inactive after stop (Result success)"
        else
                fail "nspawn: $u inactive after stop (Result success)" "expected: inactive/success" \
                        "seen:     $st, ExecMainStatus=$(prop $u ExecMainStatus)" \
                        "journal:  $(unit_error $u 'terminated by signal')"
        fi
        expect_eq "nspawn: the machine is gone after stop" "" "$(g machinectl list --no-legend 2>&1 | grep -w nsp)"

        g systemctl reset-failed $u 2>/dev/null
        rm -f "$E2E_ROOT$DEFS/nsp.container"
        g systemctl daemon-reload
}

# ---- ImageFile=, HostEnvironment=, LogFile= and the NAME-pull.service companion ----
scenario_seedkeys() {
        seed_engine podman
        if docker_ready; then
                seed_engine docker
        else
                skip "seedkeys: docker (no docker backend in the generator, or dockerd does not run in the guest)"
        fi
}

# secret_file_checks LABEL UNIT VALUE: HostEnvironment='s file is the unit's EnvironmentFile=, mode
# 0600, and VALUE is neither in the unit file nor in what "systemctl show" tells anyone
secret_file_checks() {
        local t=$1 u=$2 v=$3
        expect_eq "$t $u reads $GEN_DIR/$u.env (EnvironmentFiles)" "$GEN_DIR/$u.env (ignore_errors=no)" \
                "$(prop $u EnvironmentFiles)"
        expect_eq "$t $GEN_DIR/$u.env is mode 600, root's" "600 root" "$(g stat -c '%a %U' $GEN_DIR/$u.env 2>&1)"
        expect_eq "$t $GEN_DIR/$u is mode 644" 644 "$(g stat -c %a $GEN_DIR/$u 2>&1)"
        expect_eq "$t $GEN_DIR/$u does not hold the value" 0 "$(g grep -c "$v" $GEN_DIR/$u)"
        expect_eq "$t systemctl show $u does not hold the value" "" "$(g systemctl show $u | grep -o "$v")"
}

# seed_engine podman|docker: the four keys with one engine
seed_engine() {
        local e=$1 p=seed be= cn=systemd- tag=localhost/e2e-busybox-saved:latest pullable=docker.io/library/e2e-pullable:latest
        [ "$e" = docker ] && p=dseed be=Backend=docker cn=
        local tar=/root/saved-$e.tar log=/var/log/lf.log
        [ "$e" = docker ] && log=/var/log/lf-docker.log
        local t="seedkeys: $e:"

        # an image saved to an archive and removed; ENV E2E_SAVED tells it from the test image
        local out
        if ! out=$(g $e import --change 'CMD ["/bin/sh"]' --change 'ENV PATH=/bin' --change "ENV E2E_SAVED=$e" \
                /root/e2e-busybox.tar $tag 2>&1 && g $e save -o $tar $tag 2>&1 && g $e rmi $tag 2>&1); then
                fail "$t image saved to $tar and removed" "$out"
                return
        fi
        expect_ne "$t $tag is not in the engine before the start" 0 "$(g $e image inspect $tag >/dev/null 2>&1; echo $?)"
        g $e tag "$E2E_IMAGE" $pullable
        rm -f "$E2E_ROOT$log"

        put_def $p-img <<EOF
[Container]
$be
Image=$tag
ImageFile=$tar
AutoStart=no
Exec=sh -c "trap 'exit 0' TERM; sleep 1000 & wait"
EOF
        put_def $p-env <<EOF
[Container]
$be
Image=$E2E_IMAGE
Pull=never
AutoStart=no
HostEnvironment=SECRET="s3cret value"
Exec=sh -c "trap 'exit 0' TERM; sleep 1000 & wait"
EOF
        put_def $p-log <<EOF
[Container]
$be
Image=$E2E_IMAGE
Pull=never
AutoStart=no
LogFile=$log
Exec=sh -c "echo e2e-logfile-line; trap 'exit 0' TERM; sleep 1000 & wait"
EOF
        put_def $p-pullme <<EOF
[Container]
$be
Image=$pullable
AutoStart=no
Exec=sh -c "trap 'exit 0' TERM; sleep 1000 & wait"
EOF
        reload "$t daemon-reload" || return
        local bin=/usr/bin/$e

        # ImageFile=: loaded by ExecStartPre, nothing pulled, no network wait
        local u=$p-img.service
        if [ "$e" = docker ]; then
                # docker load keeps the name the archive carries: a script loads it, then tags what
                # it loaded as Image= (its words: the engine, the archive, the name)
                expect_json "$t $u loads $tar and tags it $tag before the start (ExecStartPre, D-Bus)" "[[\"$bin\", \"$tar\", \"$tag\"]]" \
                        "$(exec_argvs $u ExecStartPre | python3 -c 'import json, sys; print(json.dumps([a[3:] for a in json.load(sys.stdin) if a[:2] == ["/bin/sh", "-c"] and "load --input" in a[2] and " tag " in a[2]]))')"
        else
                expect_json "$t $u loads $tar before the start (ExecStartPre, D-Bus)" "[[\"$bin\", \"load\", \"--input\", \"$tar\"]]" \
                        "$(exec_argvs $u ExecStartPre | python3 -c 'import json, sys; print(json.dumps([a for a in json.load(sys.stdin) if "load" in a]))')"
        fi
        expect_eq "$t $u does not wait for network-online.target" "" \
                "$(grep -o 'network-online[^ ]*' <<<"$(prop $u Wants) $(prop $u After)")"
        expect_eq "$t no $p-img-pull.service for an ImageFile= definition" not-found "$(prop $p-img-pull.service LoadState)"
        if expect_ok "$t start $u" g systemctl start $u; then
                wait_for 10 engine_running $e $cn$p-img
                expect_eq "$t $u active" active "$(prop $u ActiveState)"
                expect_eq "$t $tag is in the engine after the start" 0 "$(g $e image inspect $tag >/dev/null 2>&1; echo $?)"
                expect_eq "$t the container runs the loaded image (E2E_SAVED)" "$e" \
                        "$(g $e exec $cn$p-img sh -c 'printf %s "$E2E_SAVED"' 2>&1)"
        fi

        # HostEnvironment=: the value is in a 0600 file the service reads, only the name is on a
        # command line, and neither the unit nor "systemctl show" holds it
        u=$p-env.service
        expect_json "$t --env of $u is the name only (D-Bus)" '["SECRET"]' "$(run_opts $u --env)"
        local p2
        for p2 in ExecStartPre ExecStart ExecStop ExecStopPost; do
                exec_argvs $u $p2
        done >"$E2E_LOGS/$p-env-argv.json"
        expect_eq "$t no command of $u holds the value (D-Bus)" "" "$(grep -o 's3cret[^\"]*' "$E2E_LOGS/$p-env-argv.json")"
        secret_file_checks "$t" $u s3cret
        if expect_ok "$t start $u" g systemctl start $u; then
                wait_for 10 engine_running $e $cn$p-env
                expect_eq "$t the container sees SECRET exactly" "s3cret value" \
                        "$(g $e exec $cn$p-env sh -c 'printf %s "$SECRET"' 2>&1)"
                expect_eq "$t no process command line in the guest holds the value (/proc/*/cmdline)" "" \
                        "$(cmdlines_with s3cret)"
        fi

        # LogFile=: the container's output is appended to the file
        u=$p-log.service
        if expect_ok "$t start $u" g systemctl start $u; then
                wait_for 10 grep -q e2e-logfile-line "$E2E_ROOT$log"
                expect_eq "$t the container's line is in $log" e2e-logfile-line \
                        "$(grep -x e2e-logfile-line "$E2E_ROOT$log" 2>&1)"
                # podman: --log-driver=passthrough; docker's client copies it, and its journald
                # driver keeps a copy under docker.service
                if [ $e = podman ]; then
                        expect_eq "$t the line is not in the journal of $u" "" \
                                "$(g journalctl -q --no-pager -u $u -o cat | grep e2e-logfile-line)"
                fi
                # after a start and a stop: the container's line once; the engine's own lines around
                # starts and stops may be there too (documented: the file is the service's output)
                g systemctl stop $u
                expect_eq "$t after a stop, $log holds the container's line once" 1 \
                        "$(grep -cx e2e-logfile-line "$E2E_ROOT$log" 2>&1)"
        fi

        # NAME-pull.service: made for a pullable image, started by nothing
        u=$p-pullme.service
        local pu=$p-pullme-pull.service
        expect_eq "$t $pu generated" "loaded $GEN_DIR/$pu" "$(prop $pu LoadState) $(prop $pu FragmentPath)"
        expect_json "$t $pu pulls the image (ExecStart, D-Bus)" "[[\"$bin\", \"pull\", \"$pullable\"]]" "$(exec_argvs $pu ExecStart)"
        expect_eq "$t $pu is wanted or required by nothing" "/" "$(prop $pu WantedBy)/$(prop $pu RequiredBy)"
        expect_match "$t $u (may pull) wants network-online.target" '(^| )network-online\.target( |$)' "$(prop $u Wants)"
        if expect_ok "$t start $u (the image is there: no pull)" g systemctl start $u; then
                expect_eq "$t $pu never started by the start of $u (state/InactiveExitTimestamp)" inactive/0 \
                        "$(prop $pu ActiveState)/$(prop $pu InactiveExitTimestampMonotonic)"
        fi

        g systemctl stop $p-img.service $p-env.service $p-log.service $p-pullme.service
        rm -f "$E2E_ROOT$DEFS/$p-img.container" "$E2E_ROOT$DEFS/$p-env.container" "$E2E_ROOT$DEFS/$p-log.container" \
                "$E2E_ROOT$DEFS/$p-pullme.container"
        g systemctl daemon-reload
}

# ---- a broken definition, as the administrator sees it (after the boot too: see "boot") ----
ADMIN_DEF=
REPORT=oci-containers-report.service

# admin_expected_journal: the generator's entries about adm.container, in line order, the line that
# says it was skipped last; the columns are those --check prints
admin_expected_journal() {
        printf '[%s, %s, %s, %s]' \
                '{"CONFIG_COLUMN": "9", "CONFIG_LINE": "5", "PRIORITY": "3", "SYSLOG_IDENTIFIER": "oci-containers-generator"}' \
                '{"CONFIG_COLUMN": "8", "CONFIG_LINE": "6", "PRIORITY": "3", "SYSLOG_IDENTIFIER": "oci-containers-generator"}' \
                '{"CONFIG_COLUMN": "14", "CONFIG_LINE": "9", "PRIORITY": "3", "SYSLOG_IDENTIFIER": "oci-containers-generator"}' \
                '{"CONFIG_COLUMN": null, "CONFIG_LINE": null, "PRIORITY": "4", "SYSLOG_IDENTIFIER": "oci-containers-generator"}'
}

scenario_admin() {
        local f=$DEFS/adm.container u=adm.service cursor out rc said gen
        # the shipped report service, running the generator as the suite installs it
        # (the package's own, when the package is installed)
        [ -n "$E2E_DEB" ] ||
                sed -e "s|@GENERATOR@|$SYS_GEN|" \
                        -e "s|@MESSAGES@|oci-containers.messages|" -e "s|@IDENTIFIER@|oci-containers-generator|" \
                        "$E2E_DIR/../../units/$REPORT.in" >"$E2E_ROOT/usr/lib/systemd/system/$REPORT"
        # errors the checks find in another order than the lines': a reference, an unknown key, a value
        put_def adm <<'EOF'
[Unit]
Description=broken on purpose, for the administrator

[Container]
Network=missing.network
Imagee=localhost/e2e-busybox:latest
Image=localhost/e2e-busybox:latest
Pull=never
Privileged = maybe
Exec=sh -c "trap 'exit 0' TERM; sleep 1000 & wait"
EOF
        ADMIN_DEF=$f
        cursor=$(journal_cursor)
        reload "admin: daemon-reload with a broken definition" || return
        wait_for 5 sh -c "nsenter -t $E2E_LEADER -a journalctl -q --after-cursor='$cursor' -o cat | grep -qF '$f: skipped'"
        expect_json "admin: the journal has every error of the file in line order, with PRIORITY= and CONFIG_COLUMN=, the skipped line last" \
                "$(admin_expected_journal)" \
                "$(journal_since "$cursor" CONFIG_FILE=$f CONFIG_COLUMN CONFIG_LINE PRIORITY SYSLOG_IDENTIFIER)"
        expect_json "admin: the skipped line has CONFIG_FILE=" \
                "[{\"MESSAGE\": \"$f: skipped because of the errors above; no unit was generated for it\"}]" \
                "$(journal_since "$cursor" CONFIG_FILE=$f PRIORITY=4 MESSAGE)"
        expect_eq "admin: nothing is kept for a report: the journal took every message" no/no \
                "$(g test -e $GEN_DIR/oci-containers.messages && echo yes || echo no)/$(g test -L $GEN_DIR/multi-user.target.wants/$REPORT && echo yes || echo no)"

        # the stand-in: "systemctl status" knows the unit, and says where it comes from
        expect_eq "admin: $u is loaded, generated, from the definition, not started" \
                "loaded/$GEN_DIR/$u/$f/inactive" \
                "$(prop $u LoadState)/$(prop $u FragmentPath)/$(prop $u SourcePath)/$(prop $u ActiveState)"
        expect_eq "admin: its description says that the definition has errors" "Not generated: $f has errors" "$(prop $u Description)"
        expect_eq "admin: it is wanted at boot (to fail there)" "../$u" "$(g readlink $GEN_DIR/multi-user.target.wants/$u)"
        out=$(g systemctl start $u 2>&1)
        rc=$?
        expect_eq "admin: systemctl start $u fails" 1 "$rc"
        expect_match "admin: ...and says where to look, not \"not found\"" "Job for $u failed.*systemctl status $u" "$out"
        expect_eq "admin: $u failed with status 78 (EX_CONFIG)" failed/exit-code/78 \
                "$(prop $u ActiveState)/$(prop $u Result)/$(prop $u ExecMainStatus)"
        expect_match "admin: systemctl --failed lists it" "(^| )$u " "$(g systemctl --failed --no-legend --plain)"
        expect_eq "admin: it started no container" "" "$(g podman ps -a --format '{{.Names}}' | grep -x systemd-adm)"
        # what it printed is what the generator said, line for line, with the same priorities
        said=$(g journalctl -q --no-pager --after-cursor="$cursor" -o json |
                python3 "$E2E_DIR/jsontool.py" journal _SYSTEMD_UNIT=$u SYSLOG_IDENTIFIER=oci-containers-generator PRIORITY MESSAGE)
        gen=$(journal_since "$cursor" CONFIG_FILE=$f PRIORITY MESSAGE)
        expect_json "admin: journalctl -u $u has the generator's messages, in order, with their priorities" "$gen" "$said"
        out=$(g systemctl status --no-pager --full -n 20 $u 2>&1)
        expect_match "admin: systemctl status $u shows the first error" "$f:5: Network=missing.network: there is no definition" "$out"
        expect_match "admin: ...and the exit status" "status=78/CONFIG" "$out"
        g systemctl reset-failed $u
        admin_running
}

# a running service whose definition breaks: the stand-in takes its name, the container keeps
# running, and once the definition is fixed the unit is its own again, still running
admin_running() {
        local u=admrun.service c=systemd-admrun main
        put_def admrun <<'EOF'
[Container]
Image=localhost/e2e-busybox:latest
Pull=never
AutoStart=no
Exec=sh -c "trap 'exit 0' TERM; sleep 1000 & wait"
EOF
        reload "admin: daemon-reload with admrun.container" || return
        expect_ok "admin: admrun.service starts" g systemctl start $u || return
        main=$(prop $u MainPID)
        echo "Bogus=1" >>"$E2E_ROOT$DEFS/admrun.container"
        reload "admin: daemon-reload with admrun.container broken while it runs" || return
        expect_eq "admin: the running service is now the stand-in, and still runs (same MainPID)" \
                "Not generated: $DEFS/admrun.container has errors/active/$main" \
                "$(prop $u Description)/$(prop $u ActiveState)/$(prop $u MainPID)"
        expect_eq "admin: ...and so does its container" running "$(g podman inspect --format '{{.State.Status}}' $c 2>&1)"
        sed -i '/^Bogus=1$/d' "$E2E_ROOT$DEFS/admrun.container"
        reload "admin: daemon-reload with admrun.container fixed" || return
        expect_eq "admin: fixed, the unit is the definition's again, never stopped" "active/$main/$DEFS/admrun.container" \
                "$(prop $u ActiveState)/$(prop $u MainPID)/$(prop $u SourcePath)"
        expect_match "admin: ...with its ExecStop= again" "podman" "$(prop $u ExecStop)"
        # broken again, and stopped: the stand-in has no ExecStop=, so systemd ends the processes
        echo "Bogus=1" >>"$E2E_ROOT$DEFS/admrun.container"
        reload "admin: daemon-reload with admrun.container broken again" || return
        local cg
        cg=$(prop $u ControlGroup)
        g systemctl stop $u
        expect_eq "admin: stopped while it is a stand-in: its main process and its cgroup are gone" "inactive/gone/gone" \
                "$(prop $u ActiveState)/$(g kill -0 "$main" 2>/dev/null && echo alive || echo gone)/$(g test -d "/sys/fs/cgroup$cg" && echo left || echo gone)"
        expect_ne "admin: ...and its container does not run" running "$(g podman inspect --format '{{.State.Status}}' $c 2>/dev/null)"
        sed -i '/^Bogus=1$/d' "$E2E_ROOT$DEFS/admrun.container"
        reload "admin: daemon-reload with admrun.container fixed again" || return
        expect_ok "admin: once fixed, it starts again" g systemctl start $u
        expect_eq "admin: ...and its container runs" running "$(g podman inspect --format '{{.State.Status}}' $c 2>&1)"
        g systemctl stop $u
        rm -f "$E2E_ROOT$DEFS/admrun.container"
        reload "admin: daemon-reload without admrun.container"
}

# after the boot: what the generator said at boot (no journal yet, and no kernel log in a
# container) was told the journal by the report service; the stand-in failed at boot
admin_after_boot() {
        local f=$ADMIN_DEF u=adm.service
        expect_eq "boot: $REPORT ran, wanted by the generator" "active/success/$REPORT" \
                "$(prop $REPORT ActiveState)/$(prop $REPORT Result)/$(g readlink $GEN_DIR/multi-user.target.wants/$REPORT | xargs basename)"
        expect_json "boot: the journal has the generator's messages of the boot, in line order, with their fields" \
                "$(admin_expected_journal)" \
                "$(g journalctl -q --no-pager -b -o json |
                        python3 "$E2E_DIR/jsontool.py" journal CONFIG_FILE=$f _SYSTEMD_UNIT=$REPORT CONFIG_COLUMN CONFIG_LINE PRIORITY SYSLOG_IDENTIFIER)"
        expect_match "boot: journalctl -b -t oci-containers-generator shows them" "$f:6: unknown key 'Imagee'" \
                "$(g journalctl -q --no-pager -b -t oci-containers-generator -o cat)"
        expect_eq "boot: the stand-in $u failed at boot" failed/exit-code "$(prop $u ActiveState)/$(prop $u Result)"
        expect_match "boot: systemctl --failed lists it" "(^| )$u " "$(g systemctl --failed --no-legend --plain)"
        expect_eq "boot: the system says it is degraded, not running" degraded "$(g systemctl is-system-running)"
        expect_match "boot: systemctl status $u shows why" "$f:9: Privileged= takes a boolean" \
                "$(g systemctl status --no-pager --full -n 20 $u 2>&1)"
        rm -f "$E2E_ROOT$f"
        # the suite's copy of the report service, not the package's
        [ -n "$E2E_DEB" ] || rm -f "$E2E_ROOT/usr/lib/systemd/system/$REPORT"
        g systemctl reset-failed $u
        reload "boot: daemon-reload after removing adm.container"
        expect_eq "boot: its stand-in is gone with it" not-found "$(prop $u LoadState)"
        ADMIN_DEF=
}

# ---- 7. AutoStart= over a reboot ----
scenario_boot() {
        put_def boot-yes <<'EOF'
[Container]
Image=localhost/e2e-busybox:latest
Pull=never
Exec=sh -c "trap 'exit 0' TERM; sleep 1000 & wait"
EOF
        put_def boot-no <<'EOF'
[Container]
Image=localhost/e2e-busybox:latest
Pull=never
AutoStart=no
Exec=sh -c "trap 'exit 0' TERM; sleep 1000 & wait"
EOF
        # a pullable image name (a local tag: nothing is pulled), so that boot-pull-pull.service exists
        g podman tag "$E2E_IMAGE" docker.io/library/e2e-pullable:latest
        put_def boot-pull <<'EOF'
[Container]
Image=docker.io/library/e2e-pullable:latest
Exec=sh -c "trap 'exit 0' TERM; sleep 1000 & wait"
EOF
        guest_stop
        if ! guest_boot "$E2E_ROOT" "$CONSOLE"; then
                fail "boot: guest boots again" "console: $CONSOLE"
                return
        fi
        pass "boot: guest powered off and booted again"
        expect_eq "boot: boot-yes.service loaded at boot" loaded "$(prop boot-yes.service LoadState)"
        wait_for 20 is_state boot-yes.service active
        expect_eq "boot: boot-yes.service (AutoStart default) running after boot" active "$(prop boot-yes.service ActiveState)"
        expect_eq "boot: its container runs" running \
                "$(g podman inspect --format '{{.State.Status}}' systemd-boot-yes 2>&1)"
        expect_eq "boot: web.service (AutoStart default) running after boot" active "$(prop web.service ActiveState)"
        expect_eq "boot: boot-no.service (AutoStart=no) loaded" loaded "$(prop boot-no.service LoadState)"
        expect_eq "boot: boot-no.service not started" inactive "$(prop boot-no.service ActiveState)"
        wait_for 20 is_state boot-pull.service active
        expect_eq "boot: boot-pull.service (a pullable image, AutoStart default) running after boot" active \
                "$(prop boot-pull.service ActiveState)"
        expect_eq "boot: boot-pull-pull.service loaded" loaded "$(prop boot-pull-pull.service LoadState)"
        expect_eq "boot: boot-pull-pull.service not started by the boot (state/InactiveExitTimestamp)" inactive/0 \
                "$(prop boot-pull-pull.service ActiveState)/$(prop boot-pull-pull.service InactiveExitTimestampMonotonic)"
        if [ "$E2E_DOCKER" = yes ]; then
                wait_for 30 is_state dock.service active
                expect_eq "boot: dock.service (docker, AutoStart default) running after boot" active "$(prop dock.service ActiveState)"
        fi
        wait_for 20 is_state tpl@fixed.service active
        expect_eq "boot: tpl@fixed.service (an instance file) running after boot" active "$(prop tpl@fixed.service ActiveState)"
        expect_eq "boot: tpl@one.service (only started by hand) not running after boot" inactive "$(prop tpl@one.service ActiveState)"
        expect_eq "boot: aliased.service ([Install] without WantedBy=) not started" inactive "$(prop aliased.service ActiveState)"
        expect_eq "boot: bad.service is still the broken definition's stand-in, and failed at boot" \
                "Not generated: $DEFS/bad.container has errors/failed" \
                "$(prop bad.service Description)/$(prop bad.service ActiveState)"
        if [ -n "$ADMIN_DEF" ]; then
                admin_after_boot
        fi
}

# ---- 8. the user generator: root's user manager, and a rootless container of a lingering user ----
RL_USER=e2e-user
RL_UID=1500

# as_user UID CMD...: a command as root (UID 0) or as RL_USER, with what systemctl --user and
# rootless podman need
as_user() {
        local uid=$1
        shift
        if [ "$uid" = 0 ]; then
                g env XDG_RUNTIME_DIR=/run/user/0 HOME=/root "$@"
        else
                g setpriv --reuid="$uid" --regid="$uid" --init-groups env -C / HOME=/home/$RL_USER USER=$RL_USER \
                        XDG_RUNTIME_DIR=/run/user/$uid DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/$uid/bus "$@"
        fi
}

# uprop UID UNIT PROPERTY: a property of a unit of that user's manager
uprop() {
        as_user "$1" systemctl --user show -p "$3" --value "$2"
}

user_state_is() { [ "$(uprop "$1" "$2" ActiveState)" = "$3" ]; }

# user_def PATH: a definition from stdin, written into the guest (also under /run/user, which only
# the guest sees)
user_def() {
        g sh -c 'mkdir -p "$(dirname "$0")" && cat >"$0"' "$1"
}

# dry_run_units GENERATOR [ARG]: which of ua.service (root's ~/.config) and sysonly.service (the
# system's directory) a dry run as root, outside systemd, prints
dry_run_units() {
        g env HOME=/root XDG_RUNTIME_DIR=/run/user/0 "$@" --dry-run 2>/dev/null |
                sed -n 's/^---\(ua\|sysonly\)\.service---$/\1/p' | sort | tr '\n' ' ' | sed 's/ $//'
}

scenario_user() {
        local gen=$USER_GEN
        local ours=oci-containers-wait-network-online.service ugen=/run/user/0/systemd/generator
        # the user unit a pulling unit waits for: podman's own where podman ships it (podman 5),
        # else the project's
        local waitu=$ours podmans=podman-user-wait-network-online.service
        [ -f "$E2E_ROOT/usr/lib/systemd/user/$podmans" ] && waitu=$podmans
        local units_dir
        units_dir=$(cd "$E2E_DIR/../.." && pwd)/units
        if [ ! -f "$units_dir/$ours" ]; then
                fail "user: the project's $ours found" "expected: $units_dir/$ours"
                return
        fi
        # the package installs both itself
        if [ -z "$E2E_DEB" ]; then
                install -D -m 0644 "$units_dir/$ours" "$E2E_ROOT/usr/lib/systemd/user/$ours"
                # the binary itself, under a name with "user" in it: user mode and its built-in
                # search path
                install -d "$E2E_ROOT${gen%/*}"
                ln -sfn "$GEN_BIN" "$E2E_ROOT$gen"
        fi

        local cfg=/root/.config/oci-containers.d sleeper="sh -c \"trap 'exit 0' TERM; sleep 1000 & wait\""
        user_def $cfg/ua.container <<EOF
[Container]
Image=$E2E_IMAGE
Pull=never
Exec=$sleeper
EOF
        user_def $cfg/ub.container <<EOF
[Container]
Image=$E2E_IMAGE
Pull=missing
AutoStart=no
Exec=$sleeper
EOF
        user_def $cfg/uprec.container <<EOF
[Container]
Image=$E2E_IMAGE
Pull=never
AutoStart=no
Exec=$sleeper
EOF
        # /etc/oci-containers.d/users/ as the build's sysconfdir has it: read from the binary
        local users
        users=$(grep -a -o -m 1 '/[[:alnum:]/._-]*/oci-containers\.d/users/%u' "$GENERATOR" | head -n 1)
        users=${users%/%u}
        local f
        if [ -n "$users" ]; then
                # and one for the system generator's own directory, above users/
                for f in $users/0/uu $users/uall $users/uprec ${users%/users}/sysonly; do
                        user_def $f.container <<EOF
[Container]
Image=$E2E_IMAGE
Pull=never
AutoStart=no
Exec=$sleeper
EOF
                done
        fi

        expect_ok "user: start user@0.service (root's user manager)" g systemctl start user@0.service || return
        # $XDG_RUNTIME_DIR exists once the manager runs
        user_def /run/user/0/oci-containers.d/urt.container <<EOF
[Container]
Image=$E2E_IMAGE
Pull=never
AutoStart=no
Exec=$sleeper
EOF
        expect_ok "user: systemctl --user daemon-reload" as_user 0 systemctl --user daemon-reload

        local u=ua.service
        expect_eq "user: $u generated into $ugen from ~/.config (LoadState FragmentPath SourcePath)" \
                "loaded $ugen/$u $cfg/ua.container" \
                "$(uprop 0 $u LoadState) $(uprop 0 $u FragmentPath) $(uprop 0 $u SourcePath)"
        expect_eq "user: $u UnitFileState" generated "$(uprop 0 $u UnitFileState)"
        expect_eq "user: $u (AutoStart default) linked from default.target.wants" "../$u" \
                "$(g readlink $ugen/default.target.wants/$u)"
        expect_match "user: default.target wants $u" '(^| )ua\.service( |$)' "$(uprop 0 default.target Wants)"
        wait_for 20 user_state_is 0 $u active
        expect_eq "user: $u started with the manager" active "$(uprop 0 $u ActiveState)"
        expect_eq "user: its container runs" running "$(g podman inspect --format '{{.State.Status}}' systemd-ua 2>&1)"
        expect_eq "user: MainPID is conmon's pid" "$(g podman inspect --format '{{.State.ConmonPid}}' systemd-ua 2>&1)" \
                "$(uprop 0 $u MainPID)"

        expect_match "user: ub.service (Pull=missing) wants $waitu" "(^| )${waitu//./\\.}( |$)" "$(uprop 0 ub.service Wants)"
        expect_match "user: ub.service is ordered after $waitu" "(^| )${waitu//./\\.}( |$)" "$(uprop 0 ub.service After)"
        expect_eq "user: $u (Pull=never) does not want $waitu" "" "$(uprop 0 $u Wants | grep -o "$waitu")"
        expect_eq "user: $waitu (in /usr/lib/systemd/user) loaded" \
                "loaded $(g realpath /usr/lib/systemd/user/$waitu)" \
                "$(uprop 0 $waitu LoadState) $(g realpath "$(uprop 0 $waitu FragmentPath)" 2>&1)"
        g systemctl start network-online.target
        expect_ok "user: start ub.service" as_user 0 timeout 60 systemctl --user start ub.service
        expect_eq "user: ub.service and $waitu active" active/active \
                "$(uprop 0 ub.service ActiveState)/$(uprop 0 $waitu ActiveState)"

        expect_eq "user: urt.service from \$XDG_RUNTIME_DIR/oci-containers.d" \
                "loaded /run/user/0/oci-containers.d/urt.container" "$(uprop 0 urt.service LoadState) $(uprop 0 urt.service SourcePath)"
        if [ -n "$users" ]; then
                expect_eq "user: uu.service from $users/0" "loaded $users/0/uu.container" \
                        "$(uprop 0 uu.service LoadState) $(uprop 0 uu.service SourcePath)"
                expect_eq "user: uall.service from $users" "loaded $users/uall.container" \
                        "$(uprop 0 uall.service LoadState) $(uprop 0 uall.service SourcePath)"
                expect_eq "user: uprec.container in ~/.config wins over the one in $users" "$cfg/uprec.container" \
                        "$(uprop 0 uprec.service SourcePath)"
        else
                skip "user: users/ directories (their path was not found in the generator binary)"
        fi
        expect_eq "user: the system manager has none of the user units" "not-found not-found" \
                "$(prop ua.service LoadState) $(prop uall.service LoadState)"
        # the mode comes from the name, or --user; the plain name is the system generator
        local sys=
        [ -n "$users" ] && sys=sysonly
        expect_eq "user: run as ...user-generator, the binary reads ~/.config, not the system's (--dry-run)" ua \
                "$(dry_run_units $gen)"
        expect_eq "user: run with --user, the binary reads ~/.config, not the system's (--dry-run)" ua \
                "$(dry_run_units $GEN_BIN --user)"
        expect_eq "user: run plainly, the binary reads the system's directory, not ~/.config (--dry-run)" "$sys" \
                "$(dry_run_units $GEN_BIN)"

        expect_ok "user: stop ua.service and ub.service" as_user 0 systemctl --user stop ua.service ub.service
        expect_eq "user: ua.service inactive after stop" inactive/success "$(uprop 0 $u ActiveState)/$(uprop 0 $u Result)"
        expect_eq "user: its container gone" "" "$(g podman ps -a --filter name=^systemd-ua\$ --format '{{.Names}}' 2>&1)"
        g systemctl stop user@0.service

        user_rootless
}

# A rootless container: a user with subordinate IDs and lingering, its own podman storage, a
# definition in its ~/.config, started by its user manager at the manager's start. With an
# argument, that function runs in place of these checks, with the same set-up (scenario command).
user_rootless() {
        local uid=$RL_UID ru=$RL_USER t="user: rootless:"
        if ! g id $ru >/dev/null 2>&1; then
                g useradd -m -U -u $uid -s /bin/sh $ru || { fail "$t useradd $ru"; return; }
        fi
        g grep -q "^$ru:" /etc/subuid || g usermod --add-subuids 200000-265535 --add-subgids 200000-265535 $ru
        expect_match "$t $ru has subordinate UIDs and GIDs" "^$ru:[0-9]+:[0-9]+ $ru:[0-9]+:[0-9]+\$" \
                "$(g grep -h "^$ru:" /etc/subuid /etc/subgid | tr '\n' ' ' | sed 's/ $//')"
        # a kernel that keeps user namespaces from unprivileged users (sysctls, AppArmor's
        # restrict_unprivileged_userns) leaves rootless podman nothing to run in
        local probe
        if ! probe=$(as_user $uid unshare --user --map-root-user --mount true 2>&1); then
                skip "$t the kernel gives $ru no user namespace: $probe"
                return
        fi
        # The guest's cgroup2 is pure, but on a hybrid host the kernel still lists the v1 hierarchies
        # in /proc/self/cgroup ("N:name:/"). Podman 4.3 then checks /sys/fs/cgroup itself for the
        # user's ownership, finds root, and moves itself out of the service into a scope, where
        # systemd refuses conmon's MAINPID. Giving the user the guest's cgroup root passes that check.
        local hybrid=no tun
        if g grep -qv '^0::' /proc/1/cgroup; then
                hybrid=yes
                log "hybrid cgroup host: $ru owns the guest's /sys/fs/cgroup for podman's ownership check"
                g chown $uid /sys/fs/cgroup
        fi
        # udev makes /dev/net/tun 0666 on a real system; slirp4netns (rootless networking) needs it
        tun=$(g stat -c %a /dev/net/tun 2>/dev/null)
        g chmod 0666 /dev/net/tun

        "${1:-user_rootless_checks}"

        gsvc loginctl disable-linger $ru
        g systemctl stop user@$uid.service
        [ "$hybrid" = yes ] && g chown 0 /sys/fs/cgroup
        [ -n "$tun" ] && g chmod "$tun" /dev/net/tun
}

user_rootless_checks() {
        local uid=$RL_UID ru=$RL_USER t="user: rootless:" u=rl.service home=/home/$RL_USER
        expect_ok "$t loginctl enable-linger $ru" gsvc loginctl enable-linger $ru || return
        wait_for 20 is_state user@$uid.service active
        expect_eq "$t user@$uid.service runs (lingering)" active "$(prop user@$uid.service ActiveState)"
        install -o $uid -g $uid -m 0644 "$E2E_ROOT/root/e2e-busybox.tar" "$E2E_ROOT$home/e2e-busybox.tar"
        expect_ok "$t test image imported into $ru's own storage" as_user $uid podman import --quiet \
                --change 'CMD ["/bin/sh"]' --change 'ENV PATH=/bin' $home/e2e-busybox.tar "$E2E_IMAGE" || return
        install -d -o $uid -g $uid "$E2E_ROOT$home/.config" "$E2E_ROOT$home/.config/oci-containers.d"
        cat >"$E2E_ROOT$home/.config/oci-containers.d/rl.container" <<EOF
[Container]
Image=$E2E_IMAGE
Pull=never
Environment=WHO=rootless
Exec=sh -c "trap 'exit 0' TERM; sleep 1000 & wait"
EOF
        chown $uid:$uid "$E2E_ROOT$home/.config/oci-containers.d/rl.container"
        # the manager starts again, as at boot: the generator runs, AutoStart starts the unit
        expect_ok "$t restart user@$uid.service" g systemctl restart user@$uid.service || return
        wait_for 30 user_state_is $uid $u active
        expect_eq "$t $u generated into /run/user/$uid/systemd/generator from $ru's ~/.config" \
                "loaded /run/user/$uid/systemd/generator/$u $home/.config/oci-containers.d/rl.container" \
                "$(uprop $uid $u LoadState) $(uprop $uid $u FragmentPath) $(uprop $uid $u SourcePath)"
        expect_eq "$t $u started with the manager" active "$(uprop $uid $u ActiveState)"
        local pid
        pid=$(as_user $uid podman inspect --format '{{.State.Pid}}' systemd-rl 2>&1)
        expect_eq "$t MainPID is conmon" conmon "$(g cat /proc/"$(uprop $uid $u MainPID)"/comm 2>&1)"
        expect_eq "$t the payload runs as $ru on the host (owner of /proc/PID)" $uid "$(g stat -c %u /proc/"$pid" 2>&1)"
        expect_eq "$t root in the container is $ru (uid_map)" "0 $uid 1" \
                "$(as_user $uid podman exec systemd-rl cat /proc/self/uid_map 2>&1 | awk 'NR == 1 { print $1, $2, $3 }')"
        expect_eq "$t Environment= inside the container" rootless \
                "$(as_user $uid podman exec systemd-rl sh -c 'printf %s "$WHO"' 2>&1)"
        expect_ok "$t stop $u" as_user $uid systemctl --user stop $u
        expect_eq "$t $u inactive after stop" inactive/success "$(uprop $uid $u ActiveState)/$(uprop $uid $u Result)"
}

# ---- the shipped examples (podman and docker) under oci-containers.target ----
# example_put FILE [EXEC]: examples/FILE into the guest's definitions, its image replaced by the
# local test image (no registry here) and, when EXEC is given, its command by EXEC (busybox has no
# postgres, redis or nginx); everything else as shipped
example_put() {
        python3 - "$E2E_DIR/../../examples/$1" "$E2E_ROOT$DEFS/$1" "$E2E_IMAGE" "${2:-}" <<'PY'
import sys
src, dst, image, exec_ = sys.argv[1:]
out = []
for line in open(src, encoding="utf-8").read().split("\n"):
    if line.startswith("Image="):
        line = f"Image={image}\nPull=never"
    elif exec_ and line.startswith("Exec="):
        continue
    out.append(line)
    if exec_ and line == "[Container]":
        out.append(f"Exec={exec_}")
open(dst, "w", encoding="utf-8").write("\n".join(out))
PY
}

scenario_examples() {
        local sleeper="sh -c \"trap 'exit 0' TERM; sleep 100000 & wait\"" t="examples:"
        local docker=no u
        docker_ready && docker=yes
        g systemctl stop web.service 2>/dev/null
        install -d "$E2E_ROOT$DEFS" "$E2E_ROOT/srv/www" "$E2E_ROOT/srv/blog"
        echo "example-web-$$" >"$E2E_ROOT/srv/www/example.html"
        echo "example-blog-$$" >"$E2E_ROOT/srv/blog/index.html"
        local conf_saved=no
        if [ -e "$E2E_ROOT/etc/oci-containers.conf" ]; then
                mv "$E2E_ROOT/etc/oci-containers.conf" "$E2E_ROOT/etc/oci-containers.conf.e2e-saved"
                conf_saved=yes
        fi
        cp "$E2E_DIR/../../examples/oci-containers.conf" "$E2E_ROOT/etc/oci-containers.conf"
        install -m 0644 "$E2E_DIR/../../units/oci-containers.target" "$E2E_ROOT/etc/systemd/system/oci-containers.target"

        local units="web db web-app shop-network shop-cache shop-web blog-pod blog-web blog-db"
        example_put web.container
        example_put db.container "$sleeper"
        example_put web-app.container "$sleeper"
        cp "$E2E_DIR/../../examples/app.env" "$E2E_ROOT$DEFS/app.env"
        cp "$E2E_DIR/../../examples/shop.network" "$E2E_ROOT$DEFS/shop.network"
        example_put shop-cache.container "sh -c \"echo cache-$$ >/tmp/index.html; trap 'exit 0' TERM; httpd -f -p 6379 -h /tmp & wait\""
        example_put shop-web.container "$sleeper"
        cp "$E2E_DIR/../../examples/blog.pod" "$E2E_ROOT$DEFS/blog.pod"
        example_put blog-web.container "sh -c \"trap 'exit 0' TERM; httpd -f -p 80 -h /usr/share/nginx/html & wait\""
        example_put blog-db.container "$sleeper"
        if [ "$docker" = yes ]; then
                units="$units docker-web docker-db"
                example_put docker-web.container
                example_put docker-db.container "$sleeper"
                install -m 0600 "$E2E_DIR/../../examples/docker-db.env" "$E2E_ROOT$DEFS/docker-db.env"
        else
                skip "$t docker examples (docker is not available)"
        fi
        reload "$t daemon-reload with the examples installed" || return
        expect_eq "$t oci-containers.target loaded" loaded "$(prop oci-containers.target LoadState)"
        # what it starts is in the generator's one drop-in of it, a Wants= each
        expect_match "$t the generator's drop-in of oci-containers.target is loaded" \
                '/oci-containers\.target\.d/oci-containers-generator\.conf( |$)' "$(prop oci-containers.target DropInPaths)"
        expect_match "$t oci-containers.target wants web.service" '(^| )web\.service( |$)' "$(prop oci-containers.target Wants)"
        for u in $units; do
                expect_match "$t $u.service is part of oci-containers.target" '(^| )oci-containers\.target( |$)' \
                        "$(prop $u.service PartOf)"
        done

        # "systemctl start oci-containers.target" starts what starts at boot, and with it what that needs
        if ! expect_ok "$t systemctl start oci-containers.target" g timeout 120 systemctl start oci-containers.target; then
                g journalctl -q --no-pager -o cat $(for u in $units; do printf -- '-u %s.service ' $u; done) | tail -n 20 >&2
        fi
        for u in $units; do
                wait_for 20 is_state $u.service active
                expect_eq "$t $u.service active after starting the target" active "$(prop $u.service ActiveState)"
        done

        # web: the page from /srv/www, on the port it publishes
        local i
        for i in $(seq 20); do [ "$(http_get 8080 /example.html)" = "example-web-$$" ] && break; sleep 0.5; done
        expect_eq "$t web answers on 127.0.0.1:8080 with /srv/www" "example-web-$$" "$(http_get 8080 /example.html)"
        # db: the password from HostEnvironment= is in the container, not on the command line
        wait_for 10 engine_running podman db
        expect_eq "$t db has its POSTGRES_ variables" '{"POSTGRES_DB": "app", "POSTGRES_PASSWORD": "change-me", "POSTGRES_USER": "app"}' \
                "$(json_pick "$(container_env db)" POSTGRES_DB POSTGRES_PASSWORD POSTGRES_USER)"
        expect_eq "$t db's password is not in its unit's command lines" "" \
                "$(g systemctl show -p ExecStart -p ExecStartPre --value db.service | grep -F change-me)"
        # web-app: after db, with app.env's settings, as user 1000
        wait_for 10 engine_running podman systemd-web-app
        expect_eq "$t web-app has APP_MODE from app.env and its own LOG_LEVEL" '{"APP_MODE": "production", "LOG_LEVEL": "info"}' \
                "$(json_pick "$(container_env systemd-web-app)" APP_MODE LOG_LEVEL)"
        expect_eq "$t web-app runs as 1000:1000" "1000:1000" "$(g podman exec systemd-web-app sh -c 'echo "$(id -u):$(id -g)"' 2>&1)"
        expect_match "$t web-app.service requires db.service" '(^| )db\.service( |$)' "$(prop web-app.service Requires)"
        # shop: two containers on shop.network, the cache reached by its name
        wait_for 10 engine_running podman shop-cache
        wait_for 10 engine_running podman shop-web
        expect_eq "$t shop-web reaches shop-cache by name on shop.network" "cache-$$" \
                "$(g podman exec shop-web wget -q -O - http://shop-cache:6379/index.html 2>&1)"
        expect_match "$t shop-cache has an address in 10.90.0.0/24" '^10\.90\.0\.' \
                "$(g podman inspect --format '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}' shop-cache 2>&1)"
        # blog: the pod's published port reaches its web member
        for i in $(seq 20); do [ "$(http_get 8083 /index.html)" = "example-blog-$$" ] && break; sleep 0.5; done
        expect_eq "$t the blog pod answers on 127.0.0.1:8083 (blog-web's /srv/blog)" "example-blog-$$" "$(http_get 8083 /index.html)"
        if [ "$docker" = yes ]; then
                for i in $(seq 20); do [ "$(http_get 8081 /example.html)" = "example-web-$$" ] && break; sleep 0.5; done
                expect_eq "$t docker-web answers on 127.0.0.1:8081 with /srv/www" "example-web-$$" "$(http_get 8081 /example.html)"
                wait_for 10 engine_running docker docker-db
                expect_eq "$t docker-db has the passwords of docker-db.env and its own variables" \
                        '{"MARIADB_DATABASE": "app", "MARIADB_PASSWORD": "change-me", "MARIADB_ROOT_PASSWORD": "change-me-too", "MARIADB_USER": "app"}' \
                        "$(json_pick "$(g docker exec docker-db env | python3 -c '
import json, sys
print(json.dumps(dict(l.split("=", 1) for l in sys.stdin.read().split("\n") if "=" in l)))')" \
                                MARIADB_DATABASE MARIADB_PASSWORD MARIADB_ROOT_PASSWORD MARIADB_USER)"
        fi

        # "systemctl stop oci-containers.target" stops every one of them: it returns once the target
        # is stopped, with the services' stop jobs queued (the target is ordered after what it wants)
        expect_ok "$t systemctl stop oci-containers.target" g timeout 120 systemctl stop oci-containers.target
        local states="" want=""
        for u in $units; do want="$want $u=inactive"; done
        for i in $(seq 120); do
                states=""
                for u in $units; do states="$states $u=$(prop $u.service ActiveState)"; done
                [ "$states" = "$want" ] && break
                sleep 0.5
        done
        expect_eq "$t every example service stopped with the target" "$want" "$states"

        for u in $units; do g systemctl reset-failed $u.service 2>/dev/null; done
        g podman network rm -f systemd-shop >/dev/null 2>&1
        rm -f "$E2E_ROOT$DEFS"/{web,db,web-app,shop-cache,shop-web,blog-web,blog-db,docker-web,docker-db}.container \
                "$E2E_ROOT$DEFS"/{app,docker-db}.env "$E2E_ROOT$DEFS/shop.network" "$E2E_ROOT$DEFS/blog.pod" \
                "$E2E_ROOT/etc/systemd/system/oci-containers.target" "$E2E_ROOT/etc/oci-containers.conf"
        [ "$conf_saved" = yes ] && mv "$E2E_ROOT/etc/oci-containers.conf.e2e-saved" "$E2E_ROOT/etc/oci-containers.conf"
        g systemctl daemon-reload
}
