# SPDX-License-Identifier: LGPL-2.1-or-later
# Scenario "kube", sourced by run.sh: the podman examples exported with --export=kube and run with
# podman kube play answer as their generated units do, on the same ports, with the same
# environment; podman kube down removes what it made.

# kube_wait_http PORT PATH BODY: until the page at PORT has BODY (20 s at most)
kube_wait_http() {
        local i
        for i in $(seq 40); do
                [ "$(http_get "$1" "$2")" = "$3" ] && return 0
                sleep 0.5
        done
        return 1
}

scenario_kube() {
        local t="kube:" dir=/root/kube-export
        local sleeper="sh -c \"trap 'exit 0' TERM; sleep 100000 & wait\""
        g systemctl stop web.service db.service blog-pod.service 2>/dev/null
        install -d "$E2E_ROOT$DEFS" "$E2E_ROOT/srv/www" "$E2E_ROOT/srv/blog" "$E2E_ROOT$dir"
        echo "kube-web-$$" >"$E2E_ROOT/srv/www/example.html"
        echo "kube-blog-$$" >"$E2E_ROOT/srv/blog/index.html"
        example_put web.container
        example_put db.container "$sleeper"
        cp "$E2E_DIR/../../examples/blog.pod" "$E2E_ROOT$DEFS/blog.pod"
        example_put blog-web.container "sh -c \"trap 'exit 0' TERM; httpd -f -p 80 -h /usr/share/nginx/html & wait\""
        reload "$t daemon-reload with web, db and the blog pod" || return

        # the units first: what they answer and the environment they give
        expect_ok "$t web.service, db.service and blog-web.service start" \
                g timeout 120 systemctl start web.service db.service blog-web.service
        kube_wait_http 8080 /example.html "kube-web-$$"
        expect_eq "$t the unit web answers on 127.0.0.1:8080" "kube-web-$$" "$(http_get 8080 /example.html)"
        kube_wait_http 8083 /index.html "kube-blog-$$"
        expect_eq "$t the blog pod's units answer on 127.0.0.1:8083" "kube-blog-$$" "$(http_get 8083 /index.html)"
        wait_for 10 engine_running podman systemd-web
        wait_for 10 engine_running podman db
        local web_env db_env
        web_env=$(json_pick "$(container_env systemd-web)" GREETING LANG)
        db_env=$(json_pick "$(container_env db)" POSTGRES_DB POSTGRES_PASSWORD POSTGRES_USER)
        expect_eq "$t the unit web's environment" '{"GREETING": "hello world", "LANG": "C.UTF-8"}' "$web_env"
        expect_eq "$t the unit db's environment" '{"POSTGRES_DB": "app", "POSTGRES_PASSWORD": "change-me", "POSTGRES_USER": "app"}' "$db_env"
        g timeout 120 systemctl stop web.service db.service blog-web.service blog-pod.service
        wait_for 20 is_state web.service inactive
        g podman volume rm -f pgdata >/dev/null 2>&1

        # the export: YAML on standard output, the messages on standard error, exit 0
        expect_ok "$t --export=kube of the examples" \
                g sh -c "'$GEN_BIN' --export=kube $DEFS/web.container $DEFS/db.container $DEFS/blog.pod $DEFS/blog-web.container >$dir/all.yaml 2>$dir/messages"
        expect_match "$t its summary" '^Exported 7 objects of 4 definitions: 0 skipped, 0 errors' "$(tail -n 1 "$E2E_ROOT$dir/messages")"
        expect_eq "$t the password is not in the YAML" "" "$(grep -F change-me "$E2E_ROOT$dir/all.yaml")"
        expect_match "$t the message names the Secret to make" 'create secret generic db-env --from-literal=POSTGRES_PASSWORD=' \
                "$(cat "$E2E_ROOT$dir/messages")"
        # the Secret as podman keeps one for kube play: a JSON map of base64 values
        printf '{"POSTGRES_PASSWORD": "%s"}' "$(printf change-me | base64)" >"$E2E_ROOT$dir/secret.json"
        g podman secret rm db-env >/dev/null 2>&1
        expect_ok "$t the Secret db-env made" g podman secret create db-env "$dir/secret.json"

        if ! expect_ok "$t podman kube play of the export" g timeout 120 podman kube play "$dir/all.yaml"; then
                g cat "$dir/all.yaml" | head -n 60 >&2
        fi
        kube_wait_http 8080 /example.html "kube-web-$$"
        expect_eq "$t web's Pod answers on 127.0.0.1:8080 as its unit did" "kube-web-$$" "$(http_get 8080 /example.html)"
        kube_wait_http 8083 /index.html "kube-blog-$$"
        expect_eq "$t the blog Pod answers on 127.0.0.1:8083 as its units did" "kube-blog-$$" "$(http_get 8083 /index.html)"
        # podman names a Pod's container POD-CONTAINER
        wait_for 10 engine_running podman systemd-web-systemd-web
        wait_for 10 engine_running podman db-db
        expect_eq "$t web's Pod has the unit's environment" "$web_env" "$(json_pick "$(container_env systemd-web-systemd-web)" GREETING LANG)"
        expect_eq "$t db's Pod has the unit's environment, the password from the Secret" "$db_env" \
                "$(json_pick "$(container_env db-db)" POSTGRES_DB POSTGRES_PASSWORD POSTGRES_USER)"
        expect_eq "$t web's container restarts always, as Restart=always" "always" \
                "$(g podman inspect --format '{{.HostConfig.RestartPolicy.Name}}' systemd-web-systemd-web 2>&1)"

        expect_ok "$t podman kube down of the export" g timeout 120 podman kube down "$dir/all.yaml"
        expect_eq "$t no Pod left" "" "$(g podman pod ps -q --filter name=systemd-web --filter name=systemd-blog --filter name=db)"

        # --kube-kind=deployment: a Deployment whose Pod answers the same
        expect_ok "$t --export=kube --kube-kind=deployment of web" \
                g sh -c "'$GEN_BIN' --export=kube --kube-kind=deployment $DEFS/web.container >$dir/web-deployment.yaml 2>/dev/null"
        expect_match "$t it is a Deployment" '^kind: "Deployment"$' "$(grep -x 'kind: "Deployment"' "$E2E_ROOT$dir/web-deployment.yaml")"
        expect_ok "$t podman kube play of the Deployment" g timeout 120 podman kube play "$dir/web-deployment.yaml"
        kube_wait_http 8080 /example.html "kube-web-$$"
        expect_eq "$t the Deployment's Pod answers on 127.0.0.1:8080" "kube-web-$$" "$(http_get 8080 /example.html)"
        expect_ok "$t podman kube down of the Deployment" g timeout 120 podman kube down "$dir/web-deployment.yaml"

        g podman secret rm db-env >/dev/null 2>&1
        g podman volume rm -f pgdata >/dev/null 2>&1
        for u in web db blog-pod blog-web; do g systemctl reset-failed $u.service 2>/dev/null; done
        rm -rf "$E2E_ROOT$dir" "$E2E_ROOT$DEFS"/{web,db,blog-web}.container "$E2E_ROOT$DEFS/blog.pod"
        g systemctl daemon-reload
}
