# SPDX-License-Identifier: LGPL-2.1-or-later
# A scenario of the end-to-end suite (sourced by run.sh, see scenarios.sh): keys that only a podman
# newer than Debian 12's 4.3 takes, run by the guest's podman. On an older podman it is skipped.

# ---- podman 5: Notify=healthy, the startup health check, health logs, containers.conf modules ----
scenario_podman5() {
        local t="podman5:" u=p5.service c=systemd-p5 logdir=/var/log/p5-health mod=/etc/containers/e2e-p5.conf
        if ! podman_newer_than 4 3; then
                skip "$t keys for a podman newer than 4.3 (the guest has podman $E2E_PODMAN_VERSION)"
                return
        fi
        install -d "$E2E_ROOT$logdir"
        printf '[containers]\nenv = ["FROM_MODULE=yes"]\n' >"$E2E_ROOT$mod"
        # ready after three seconds: Notify=healthy holds the start until the first passing check
        put_def p5 <<EOF
[Container]
Image=$E2E_IMAGE
Pull=never
AutoStart=no
Notify=healthy
Exec=sh -c "sleep 3; touch /tmp/ready; trap 'exit 0' TERM; sleep 1000 & wait"
HealthCmd=test -e /tmp/ready
HealthInterval=1s
HealthStartupCmd=test -e /tmp/ready
HealthStartupInterval=1s
HealthStartupSuccess=1
HealthLogDestination=$logdir
HealthMaxLogCount=3
ContainersConfModule=$mod
Retry=2
RetryDelay=1s
EOF
        reload "$t daemon-reload" || return
        expect_eq "$t $u loaded" loaded "$(prop $u LoadState)"
        if ! expect_ok "$t start $u (returns once the container is healthy)" g timeout 60 systemctl start $u; then
                g journalctl -q --no-pager -u $u -o cat | tail -n 15 >&2
                return
        fi
        expect_eq "$t the container is healthy when the start returns" healthy \
                "$(g podman inspect --format '{{.State.Health.Status}}' $c 2>&1)"
        local begin up
        begin=$(prop $u InactiveExitTimestampMonotonic)
        up=$(prop $u ActiveEnterTimestampMonotonic)
        if [ "$begin" -gt 0 ] && [ $((up - begin)) -ge 2500000 ]; then
                pass "$t $u became active only after the payload was ready (3 s)"
        else
                fail "$t $u became active only after the payload was ready (3 s)" \
                        "seen: InactiveExit=$begin ActiveEnter=$up (monotonic us)"
        fi
        expect_json "$t the startup health check and the log settings (podman inspect)" \
                '{"max": 3, "dest": "'"$logdir"'", "startup": ["CMD-SHELL", "test -e /tmp/ready"]}' \
                "$(g podman inspect $c | python3 -c '
import json, sys
c = json.load(sys.stdin)[0]["Config"]
print(json.dumps({"max": c.get("HealthcheckMaxLogCount"), "dest": c.get("HealthLogDestination"),
                  "startup": (c.get("StartupHealthCheck") or {}).get("Test")}))')"
        wait_for 10 sh -c "ls $E2E_ROOT$logdir | grep -q ."
        expect_match "$t health check results are written to $logdir" 'healthcheck' "$(ls "$E2E_ROOT$logdir")"
        expect_eq "$t the containers.conf module of ContainersConfModule= reached the container" yes \
                "$(g podman exec $c sh -c 'printf %s "$FROM_MODULE"' 2>&1)"
        expect_ok "$t stop $u" g systemctl stop $u
        expect_eq "$t $u inactive after stop" inactive "$(prop $u ActiveState)"
        rm -rf "$E2E_ROOT$DEFS/p5.container" "$E2E_ROOT$mod" "$E2E_ROOT$logdir"
        g systemctl daemon-reload
}
