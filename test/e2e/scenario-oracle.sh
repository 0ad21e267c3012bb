# SPDX-License-Identifier: LGPL-2.1-or-later
# A scenario of the end-to-end suite (sourced by run.sh, see scenarios.sh): podman's own Quadlet as
# the oracle. One set of Quadlet files (.network, .volume, .pod and two .container, with the keys
# users use most) is run twice in the guest, first by the guest's Quadlet (podman 5 ships it as a
# system generator), then by this generator, under the same names: each pass starts its units, keeps
# what `podman inspect` says of every object, and removes everything before the next. Then the two
# are compared field by field, one line each (oracle.py says what a field is).
#
# Needs a podman with Quadlet (4.4 and newer); skipped on Debian 12's 4.3.

ORACLE_QUADLET=/usr/libexec/podman/quadlet
ORACLE_QDIR=/etc/containers/systemd
ORACLE_UNITS="orc-app.service orc-web.service orc-pod.service orc-network.service orc-volume.service"
ORACLE_PORTS="18600 18601 18602"

# Fields that differ on purpose, not compared; each difference is shown as a note. "GLOB|why", the
# glob over oracle.py's field names (FIELD[PATH] for a part of one).
ORACLE_ON_PURPOSE=(
        "Created|when the object was made"
        "CreatedAt|when the object was made"
        "created|when the object was made"
        "State|what the container is doing now (PIDs, times, health so far), not what it was told"
        "ExecIDs|the health checks run so far"
        "lockNumber|podman's lock slot, taken in the order of creation"
        "LockNumber|podman's lock slot, taken in the order of creation"
        "Config.CreateCommand|the command line as written: its spelling (--flag=value or --flag value) and order are not settings"
        "CreateCommand|the command line as written: its spelling (--flag=value or --flag value) and order are not settings"
        "NetworkSettings.SandboxKey|the network namespace's random name"
        "NetworkSettings.Networks[*.MacAddress]|a random address"
        "containers|the containers attached now, keyed by their IDs; each container's own side is compared"
        "HostConfig.ContainerIDFile|Debian 13's Quadlet (podman 5.4) writes --cidfile; 5.8's, the reference, does not"
        "Config.Annotations[io.podman.annotations.cid-file]|the --cidfile of Quadlet 5.4, see HostConfig.ContainerIDFile"
        "HostConfig.Annotations[io.podman.annotations.cid-file]|the --cidfile of Quadlet 5.4, see HostConfig.ContainerIDFile"
)

# Differences certain to go with generator work in flight: they still print, as "known", and each
# entry is removed once its work lands. "GLOB|why", the glob over the check's name.
ORACLE_KNOWN=(
)

# oracle_defs DIR: the Quadlet files, written into DIR of the guest
oracle_defs() {
        local d=$E2E_ROOT$1
        install -d "$d"
        cat >"$d/orc.network" <<'EOF'
[Network]
Subnet=10.89.40.0/24
Gateway=10.89.40.1
IPRange=10.89.40.128/25
Label=e2e.oracle=network "e2e.words=two words"
Options=mtu=1400
EOF
        cat >"$d/orc.volume" <<'EOF'
[Volume]
Label=e2e.oracle=volume
Type=tmpfs
Device=tmpfs
Options=size=8m
User=1000
Group=1000
EOF
        # Debian 13's Quadlet (5.4) has no Label= in [Pod] yet
        cat >"$d/orc.pod" <<'EOF'
[Pod]
PodName=orc-pod
Network=orc.network
PublishPort=127.0.0.1:18600:8080
Volume=/srv/oracle:/shared:ro
EOF
        cat >"$d/orc-web.container" <<EOF
[Container]
Image=$E2E_IMAGE
Pod=orc.pod
Exec=httpd -f -p 8080 -h /www
Volume=/srv/oracle:/www:ro
Environment=ROLE=web
Label=e2e.oracle=web
EOF
        # UserNS=host: a user namespace of its own (auto, a map) fails in this nested guest for any
        # rootful container ("cannot unmount /sys/kernel"), whoever wrote the command
        cat >"$d/orc-app.container" <<EOF
[Unit]
Description=the oracle's container of many keys

[Container]
Image=$E2E_IMAGE
ContainerName=orc-app
HostName="orc-host"
Exec=sh -c "trap 'exit 0' TERM; sleep 100000 & wait"
Environment=A=1 "B=two words"
Environment=C=x
Environment=FROM_SERVICE=\${ORC_TAG}
EnvironmentFile=/etc/oracle.env
Volume=orc.volume:/data
Volume=/srv/oracle:/srv/ro:ro
Mount=type=bind,source=/srv/oracle,destination=/mnt/ro,ro=true
Tmpfs=/scratch:rw,size=16m
PublishPort=127.0.0.1:18601:8081
PublishPort=18602:8082/udp
ExposeHostPort=9000
Network=orc.network
NetworkAlias=orc-alias
IP=10.89.40.200
Label=e2e.oracle=app
Label="e2e.spaces=two words" e2e.unit=%N
Annotation=e2e.note=oracle
AutoUpdate=registry
HealthCmd=test -d /data
HealthInterval=30s
HealthRetries=2
HealthTimeout=5s
HealthStartPeriod=5s
HealthOnFailure=kill
Secret=orc-secret,type=env,target=ORC_SECRET
Secret=orc-secret
User=1000
Group=1000
GroupAdd=2000
UserNS=host
AddCapability=NET_RAW CAP_NET_ADMIN
DropCapability=CHOWN
NoNewPrivileges=true
SecurityLabelDisable=true
Ulimit=nofile=1024:2048
Sysctl=net.ipv4.ip_unprivileged_port_start=80
RunInit=true
StopTimeout=5
PodmanArgs=--workdir=/tmp --shm-size 16m --annotation e2e.oracle=args

[Service]
Environment=ORC_TAG=v1
EOF
}

# the objects compared: KIND LABEL NAME (the name podman knows it by)
ORACLE_OBJECTS="container:orc-app:orc-app container:orc-web:systemd-orc-web container:orc-pod-infra:orc-pod-infra
pod:orc-pod:orc-pod network:systemd-orc:systemd-orc volume:systemd-orc:systemd-orc"

# oracle_pass WHO DIR: the files in DIR, their units started, every object inspected into
# $E2E_LOGS/oracle-WHO-KIND-LABEL.json, then everything stopped and removed
oracle_pass() {
        local who=$1 dir=$2 t="oracle: $1:" u o kind label name
        oracle_defs "$dir"
        reload "$t daemon-reload with the files in $dir" || return 1
        for u in $ORACLE_UNITS; do
                local src=${u%.service}
                case $src in
                *-pod) src=${src%-pod}.pod ;; *-network) src=${src%-network}.network ;;
                *-volume) src=${src%-volume}.volume ;; *) src=$src.container ;;
                esac
                expect_eq "$t $u generated from $dir/$src" "loaded $dir/$src" "$(prop $u LoadState) $(prop $u SourcePath)"
        done
        local ok=yes
        if ! expect_ok "$t start orc-app.service and orc-web.service (and what they need)" \
                g timeout 90 systemctl start orc-app.service orc-web.service; then
                g journalctl -q --no-pager $(printf -- '-u %s ' $ORACLE_UNITS) -o cat | tail -n 20 >&2
                ok=no
        fi
        if [ $ok = yes ]; then
                local i
                for i in $(seq 20); do [ "$(http_get 18600 /index.html)" = "oracle-$$" ] && break; sleep 0.5; done
                expect_eq "$t the pod's port reaches orc-web" "oracle-$$" "$(http_get 18600 /index.html)"
                expect_eq "$t orc-app sees its secret as \$ORC_SECRET" "orc-s3cret" \
                        "$(g podman exec orc-app sh -c 'printf %s "$ORC_SECRET"' 2>&1)"
        fi
        for o in $ORACLE_OBJECTS; do
                IFS=: read -r kind label name <<<"$o"
                local cmd=(podman inspect --type container)
                [ "$kind" = container ] || cmd=(podman "$kind" inspect)
                g "${cmd[@]}" "$name" >"$E2E_LOGS/oracle-$who-$kind-$label.json" 2>&1 ||
                        echo '[]' >"$E2E_LOGS/oracle-$who-$kind-$label.json"
        done
        g systemctl stop $ORACLE_UNITS
        for u in $ORACLE_UNITS; do g systemctl reset-failed $u 2>/dev/null; done
        rm -f "$E2E_ROOT$dir"/orc.network "$E2E_ROOT$dir"/orc.volume "$E2E_ROOT$dir"/orc.pod "$E2E_ROOT$dir"/orc-*.container
        g systemctl daemon-reload
        # nothing of this pass may meet the next: the generator would take a network or volume
        # that is still there instead of making its own
        g podman rm -f -t 0 orc-app systemd-orc-web >/dev/null 2>&1
        g podman pod rm -f -t 0 orc-pod >/dev/null 2>&1
        g podman network rm -f systemd-orc >/dev/null 2>&1
        g podman volume rm -f systemd-orc >/dev/null 2>&1
        expect_eq "$t nothing of the pass left (containers, pod, network, volume)" "" \
                "$(g sh -c 'podman ps -a --format "{{.Names}}"; podman pod ls --format "{{.Name}}";
                        podman network ls --format "{{.Name}}"; podman volume ls --format "{{.Name}}"' 2>&1 | grep -E '^(orc|systemd-orc)')"
}

# oracle_compare KIND LABEL: one line per field of the two inspections
oracle_compare() {
        local kind=$1 label=$2 st field qv ov glob n e skips=()
        local qf=$E2E_LOGS/oracle-quadlet-$kind-$label.json of=$E2E_LOGS/oracle-generator-$kind-$label.json
        if [ "$(cat "$qf")" = "[]" ] || [ "$(cat "$of")" = "[]" ]; then
                fail "oracle: $kind $label: inspected after both passes" "Quadlet:   $(head -c 300 "$qf")" \
                        "generator: $(head -c 300 "$of")"
                return
        fi
        for e in "${ORACLE_ON_PURPOSE[@]}"; do skips+=(--skip "${e%%|*}"); done
        while IFS=$'\t' read -r st field qv ov glob; do
                n="oracle: $kind $label: $field"
                case $st in
                same) pass "$n" ;;
                empty) pass "oracle: $kind $label: $field more fields, empty or zero on both sides: $qv" ;;
                skipped)
                        local why=
                        for e in "${ORACLE_ON_PURPOSE[@]}"; do
                                [ "${e%%|*}" = "$glob" ] && why=${e#*|} && break
                        done
                        log "$n differs on purpose ($why): Quadlet ${qv:0:160}, generator ${ov:0:160}"
                        ;;
                differ) fail "$n" "Quadlet:   $qv" "generator: $ov" ;;
                esac
        done < <(python3 "$E2E_DIR/oracle.py" compare "$qf" "$of" "${skips[@]}")
}

scenario_oracle() {
        if ! g test -x $ORACLE_QUADLET; then
                skip "oracle: podman's Quadlet is not in the guest (podman $E2E_PODMAN_VERSION has none)"
                return
        fi
        local p busy=
        for p in $ORACLE_PORTS; do
                g timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$p" 2>/dev/null && busy="$busy $p"
        done
        if [ -n "$busy" ]; then
                fail "oracle: its ports are free" "in use:$busy"
                return
        fi
        E2E_KNOWN+=("${ORACLE_KNOWN[@]}")
        install -d "$E2E_ROOT/srv/oracle"
        echo "oracle-$$" >"$E2E_ROOT/srv/oracle/index.html"
        printf 'FROM_FILE=yes\nFILE_SPACES=a b\n' >"$E2E_ROOT/etc/oracle.env"
        g sh -c 'podman secret rm orc-secret; printf orc-s3cret | podman secret create orc-secret -' >/dev/null 2>&1
        oracle_pass quadlet $ORACLE_QDIR || return
        oracle_pass generator $DEFS || return
        local o kind label name
        for o in $ORACLE_OBJECTS; do
                IFS=: read -r kind label name <<<"$o"
                oracle_compare "$kind" "$label"
        done
        g podman secret rm orc-secret >/dev/null 2>&1
        rm -rf "$E2E_ROOT/srv/oracle" "$E2E_ROOT/etc/oracle.env"
}
