#!/usr/bin/env bash
# Builds the real Dockerfile with a real Docker engine and proves the image behaves as users
# run it: the image's own USER (no --user given), hardened run flags, readiness, smoke test,
# every process non-root, nothing written outside /data and /tmp, no shell or package manager
# in the layers we add, no secret in any layer, the history or the configuration, and a graceful
# SIGTERM with a request in flight. Installs docker.io and starts dockerd when needed; builds
# stand-in base images when no registry can be reached, and then says so: what is checked is
# what we add (application layers, USER, ENTRYPOINT, HEALTHCHECK), not the stand-in.
# Ends with "container: N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root" || exit 1
docker=/usr/bin/docker      # Debian's client: the newer one first on PATH needs buildx
export DOCKER_BUILDKIT=1
image="appraise:test"
name="appraise-container-test"
port="${APPRAISE_CONTAINER_PORT:-18480}"
key="container-test-key-$RANDOM$RANDOM"
results="${APPRAISE_RESULTS:-$root/artifacts/test-results}/container"
rm -rf "$results" && mkdir -p "$results"
runtime_base=mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled
sdk_base=mcr.microsoft.com/dotnet/sdk:10.0

check_log="$results/checks.log"
# shellcheck source=tests/lib/checks.sh
source "$root/tests/lib/checks.sh"
# Every container this test starts, by name.
remove_test_containers() {
    "$docker" rm -fv "$name" "$name-writes" "$name-unwritable" >/dev/null 2>&1
    "$docker" rm -fv appraise-appservice-test appraise-appservice-test-2 appraise-appservice-ports >/dev/null 2>&1
}
finish() {
    remove_test_containers
    "$docker" rmi -f appraise:secret-canary >/dev/null 2>&1
    checks_summary container
    exit
}

# --- a Docker engine and base images: setup, not tests
need=()
[[ -x "$docker" ]] || need+=(docker.io)
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v docker-compose >/dev/null || need+=(docker-compose)
if [[ ${#need[@]} -gt 0 ]]; then
    setup "install ${need[*]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" || finish
fi
if ! "$docker" info >/dev/null 2>&1; then
    (dockerd >/var/log/appraise-dockerd.log 2>&1 &)
    for _ in $(seq 1 120); do "$docker" info >/dev/null 2>&1 && break; sleep 0.5; done
fi
setup "a Docker engine answers" "$docker" info || finish
# A run that was interrupted leaves its containers behind, holding their names and ports.
remove_test_containers
if ! "$docker" image inspect "$sdk_base" >/dev/null 2>&1 && ! timeout 20 "$docker" pull -q "$sdk_base" >/dev/null 2>&1; then
    setup "local stand-ins for the base images" env DOCKER="$docker" tests/container/stand-in-bases.sh || finish
fi
setup "both base images present" "$docker" image inspect "$sdk_base" "$runtime_base" || finish
if "$docker" history --format '{{.Comment}}' "$runtime_base" | grep -q 'Imported from'; then
    echo "NOTE  the base images are local stand-ins (tests/container/stand-in-bases.sh), not Microsoft's:"
    echo "      what the base itself holds (no shell, its libraries) is Microsoft's to prove; the checks"
    echo "      below are about what this Dockerfile adds and configures."
fi

check "compose.yaml is valid and needs both secrets from the environment" bash -c \
    "APPRAISE_API_KEY=x POSTGRES_PASSWORD=y docker-compose -f compose.yaml config -q && ! docker-compose -f compose.yaml config -q 2>/dev/null"

# --- build the real Dockerfile
commit="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
# A failed build must not leave an older image under the tag for the checks below.
"$docker" rmi -f "$image" >/dev/null 2>&1
check "docker build" "$docker" build -q \
    --build-arg VERSION=0.1.0-test --build-arg COMMIT="$commit" --build-arg CREATED="$(date -u +%Y-%m-%dT%H:%M:%SZ)" -t "$image" .
"$docker" image inspect "$image" >/dev/null 2>&1 || finish

size="$("$docker" image inspect --format '{{.Size}}' "$image")"
app_layer="$("$docker" history --format '{{.Size}} {{.CreatedBy}}' "$image" | grep -m1 'COPY /app /app' | cut -d' ' -f1)"
echo "image $image: $((size / 1000 / 1000)) MB in all, application layer $app_layer" | tee -a "$results/../figures.txt"
config() { "$docker" image inspect --format "$1" "$image"; }
check "OCI labels: source, revision, version, created" bash -c "grep -q 'org.opencontainers.image.source' <<<'$(config '{{json .Config.Labels}}')' &&
    [[ '$(config '{{index .Config.Labels "org.opencontainers.image.revision"}}')' == '$commit' ]] &&
    [[ '$(config '{{index .Config.Labels "org.opencontainers.image.version"}}')' == 0.1.0-test ]]"
check "the image's USER is 1654:1654 (set by our Dockerfile)" test "$(config '{{.Config.User}}')" == "1654:1654"
check "ENTRYPOINT is the self-contained binary" test "$(config '{{json .Config.Entrypoint}}')" == '["/app/Appraise.Api"]'
check "/data is a VOLUME, so a --read-only run without a mount can still keep reports" test "$(config '{{json .Config.Volumes}}')" == '{"/data":{}}'
check "HEALTHCHECK runs the binary's healthcheck mode" test "$(config '{{json .Config.Healthcheck.Test}}')" == '["CMD","/app/Appraise.Api","healthcheck"]'

# --- what our layers add: the application, nothing to run a shell or install packages with
"$docker" save "$image" -o "$results/image.tar"
base_layers="$("$docker" image inspect --format '{{len .RootFS.Layers}}' "$runtime_base")"
tests/container/inspect-image.py files "$results/image.tar" "$base_layers" >"$results/our-files.txt"
check "our layers add the application under /app and the /data directory, nothing else" \
    bash -c "! grep -vE '^(app|app/.*|data)$' '$results/our-files.txt'"
check "our layers add no shell or package manager" \
    bash -c "! grep -E '(^|/)(sh|bash|dash|busybox|apt|apt-get|dpkg|rpm|apk|microdnf)$' '$results/our-files.txt'"

# --- secrets: in no layer (deleted files too), the history or the image configuration
check "no secret in any layer (every file of every layer searched)" tests/container/inspect-image.py secrets "$results/image.tar"
history_and_env() { "$docker" history --no-trunc --format '{{.CreatedBy}}' "$1"; "$docker" image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$1"; }
secret_setting='(PASSWORD|SECRET|TOKEN|API_?KEY|APIKEYS|CONNECTIONSTRINGS)[A-Z0-9_]*='
check "no secret-like build argument or variable in the history or ENV" bash -c "! grep -iE '$secret_setting' <<<'$(history_and_env "$image")'"
# Negative control: an image that does leak both ways must be caught by the same two searches.
printf -- '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n' >"$results/canary.pem"
# shellcheck disable=SC2016 # $NUGET_PASSWORD is for the Dockerfile, not this shell
printf 'FROM %s\nARG NUGET_PASSWORD\nENV NUGET_PASSWORD=$NUGET_PASSWORD\nCOPY canary.pem /app/canary.pem\n' "$image" \
    | "$docker" build -q --build-arg NUGET_PASSWORD=canary -t appraise:secret-canary -f - "$results" >/dev/null 2>&1
"$docker" save appraise:secret-canary -o "$results/canary.tar" 2>/dev/null
check "the secret searches find a key file and a password build argument planted on purpose" bash -c "
    ! tests/container/inspect-image.py secrets '$results/canary.tar' >'$results/canary-findings.txt' &&
    grep -q 'canary.pem: a private key' '$results/canary-findings.txt' && grep -iqE '$secret_setting' <<<'$(history_and_env appraise:secret-canary 2>/dev/null)'"
rm -f "$results/image.tar" "$results/canary.tar"

# --- a data directory that cannot be written: one clear line, exit 1
"$docker" run --name "$name-unwritable" --read-only --tmpfs /tmp -e Auth__ApiKeys__0="$key" -e Reports__DataDirectory=/app/data \
    "$image" >"$results/unwritable.log" 2>&1
unwritable_exit=$?
"$docker" rm -fv "$name-unwritable" >/dev/null 2>&1
check "an unwritable data directory: exit 1 with one log line naming Reports__DataDirectory, no stack trace" bash -c "
    [[ $unwritable_exit -eq 1 && \$(wc -l <'$results/unwritable.log') -eq 1 ]] &&
    grep -q 'Reports__DataDirectory' '$results/unwritable.log' && ! grep -q '   at ' '$results/unwritable.log'"

# --- run it as users do: the image's own user, hardened flags, no mount (VOLUME /data serves)
"$docker" run -d --name "$name" --read-only --cap-drop ALL --security-opt no-new-privileges \
    --memory 256m --cpus 1 --tmpfs /tmp \
    -e Auth__ApiKeys__0="$key" -p "127.0.0.1:$port:8080" -p "127.0.0.1:$((port + 2)):8081" "$image" >/dev/null
check "ready with --read-only and no /data mount, no capabilities, 256 MB, 1 CPU, no --user" wait_for_url "http://127.0.0.1:$port/readyz" 60 ||
    { "$docker" logs "$name" 2>&1 | tail -20; finish; }
runtime="$(sed -n 's|.*<PatchedRuntimeVersion>\(.*\)</PatchedRuntimeVersion>.*|\1|p' src/Appraise.Api/Appraise.Api.csproj)"
check "the image runs the pinned runtime, .NET $runtime (PatchedRuntimeVersion), not the SDK's $(dotnet --list-runtimes | awk '/NETCore.App/{v=$2} END{print v}')" bash -c \
    "curl -sf 'http://127.0.0.1:$port/version' | grep -q '\"dotnet\":\".NET $runtime\"'"
# 10.0.15's Kestrel refuses a fragment in the request target (RFC 9112); curl would strip it.
# shellcheck disable=SC2317 # runs through check
fragment_refused() (
    exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
    printf 'GET /helloworld#fragment HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
    head -1 <&3 | grep -q '^HTTP/1.1 400 '
)
check "a request target with a #fragment answers 400 (Kestrel 10.0.15)" fragment_refused
if tools/install-checkers.sh oip >>"$check_log" 2>&1; then
    node tests/oip/grpc-smoke.mjs "127.0.0.1:$((port + 2))" "$key" >"$results/grpc-smoke.log" 2>&1
    cat "$results/grpc-smoke.log"
    add_counts_from grpc-smoke "$results/grpc-smoke.log"
else
    check "npm gRPC clients (tests/oip) installed" false
fi
check "the image declares ports 8080 (HTTP) and 8081 (gRPC) and serves plaintext HTTP/2 on 8081" bash -c "
    [[ \"\$('$docker' inspect --format '{{range \$p, \$_ := .Config.ExposedPorts}}{{\$p}} {{end}}' '$image')\" == '8080/tcp 8081/tcp ' ]] &&
    [[ \"\$(curl -s --http2-prior-knowledge -o /dev/null -w '%{http_version} %{http_code}' 'http://127.0.0.1:$((port + 2))/v2/health/live')\" == '2 200' ]]"
APPRAISE_API_KEY="$key" scripts/smoke.sh "http://127.0.0.1:$port" >"$results/smoke.log" 2>&1
cat "$results/smoke.log"
add_counts_from smoke "$results/smoke.log"

check "HEALTHCHECK reports healthy" bash -c "for _ in \$(seq 1 60); do [[ \"\$('$docker' inspect --format '{{.State.Health.Status}}' '$name')\" == healthy ]] && exit 0; sleep 0.5; done; exit 1"
"$docker" top "$name" -o uid,pid,comm >"$results/processes.txt"
check "every process in the container runs as uid 1654" bash -c "[[ \"\$(tail -n +2 '$results/processes.txt' | awk '{print \$1}' | sort -u)\" == 1654 ]]"

# --- nothing is written outside /data and /tmp (the root filesystem can be read-only)
"$docker" run -d --name "$name-writes" -e Auth__ApiKeys__0="$key" -p "127.0.0.1:$((port + 1)):8080" "$image" >/dev/null
wait_for_url "http://127.0.0.1:$((port + 1))/readyz" 60 >>"$check_log" 2>&1
APPRAISE_API_KEY="$key" scripts/smoke.sh "http://127.0.0.1:$((port + 1))" >>"$check_log" 2>&1
"$docker" diff "$name-writes" >"$results/writes.txt"
volume="$("$docker" inspect --format '{{range .Mounts}}{{if eq .Destination "/data"}}{{.Source}}{{end}}{{end}}' "$name-writes")"
check "a full smoke run writes its reports to the /data volume and nothing else outside /tmp" \
    bash -c "[[ -s '$volume/appraise.db' ]] && ! grep -vE '^[ACD] /tmp(/|$)' '$results/writes.txt'"

# --- SIGTERM with a slow request in flight: it finishes, then the container exits 0
body="$(mktemp)"
# About 6 s to upload at 1500 bytes/s: still in flight after the 2 s drain.
printf '{"CHAS":{"0":0},"RM":{"0":6.575},"TAX":{"0":296.0},"PTRATIO":{"0":15.3},"B":{"0":396.9},"LSTAT":{"0":4.98}}%9000s' "" >"$body"
curl -s -o "$results/slow-response.json" -w '%{http_code}' --limit-rate 1500 -H 'Content-Type: application/json' \
    --data-binary "@$body" "http://127.0.0.1:$port/predict" >"$results/slow-status.txt" &
slow=$!
sleep 1
in_flight_at_stop=no
kill -0 "$slow" 2>/dev/null && in_flight_at_stop=yes
started="$(cut -d' ' -f1 /proc/uptime)"     # monotonic (boot time), 10 ms resolution
"$docker" stop -t 30 "$name" >/dev/null
stopped="$(cut -d' ' -f1 /proc/uptime)"
wait "$slow"
check "the request was still uploading when SIGTERM was sent" test "$in_flight_at_stop" == yes
check "the in-flight request finished with 200 and its prediction" bash -c "grep -qx 200 '$results/slow-status.txt' && grep -q '\"prediction\":\[28\.30' '$results/slow-response.json'"
check "the container exited 0 on SIGTERM" test "$("$docker" inspect --format '{{.State.ExitCode}}' "$name")" == 0
echo "graceful stop with a request in flight: $(awk -v a="$started" -v b="$stopped" 'BEGIN { printf "%.1f", b - a }') s" | tee -a "$results/../figures.txt"
rm -f "$body"

# ==== Azure App Service: the container as App Service runs it ===================================
# deploy/terraform/modules/app-service sets these app settings, which App Service passes to the
# container as environment variables; /home is App Service storage (an SMB share mounted
# read-write, mode 777, shared by instances and kept across restarts); no --read-only, no --user,
# no capability flags (App Service runs the image's own user and root file system). Port
# APPRAISE_APPSERVICE_PORT (default 19300) stands for WEBSITES_PORT on the host.
as_port="${APPRAISE_APPSERVICE_PORT:-19300}"
as_home="$(mktemp -d)" && chmod 777 "$as_home"
as_env=(-e WEBSITES_PORT=8080 -e ASPNETCORE_HTTP_PORTS=8080 -e WEBSITES_ENABLE_APP_SERVICE_STORAGE=true
    -e WEBSITE_SITE_NAME=app-appraise-as-dev -e WEBSITE_HOSTNAME=app-appraise-as-dev.azurewebsites.net
    -e WEBSITE_INSTANCE_ID=0123456789abcdef -e WEBSITE_SKU=PremiumV3 -e Auth__ApiKeys__0="$key"
    -e Reports__DataDirectory=/home/data/appraise -e Reports__SqliteJournalMode=delete -e OTEL_SERVICE_NAME=appraise
    -e OTEL_RESOURCE_ATTRIBUTES=deployment.environment.name=staging)
appservice_run() { # appservice_run NAME [--no-home]: starts the image as App Service would
    local mount=(-v "$as_home:/home")
    [[ "${2:-}" == --no-home ]] && mount=()
    "$docker" run -d --name "$1" "${as_env[@]}" "${mount[@]}" -p "127.0.0.1:$as_port:8080" "$image" >/dev/null
}
appservice_run appraise-appservice-test
check "App Service: ready on WEBSITES_PORT with its app settings and a writable /home (no --read-only)" \
    wait_for_url "http://127.0.0.1:$as_port/readyz" 60 || "$docker" logs appraise-appservice-test 2>&1 | tail -20
APPRAISE_API_KEY="$key" scripts/smoke.sh "http://127.0.0.1:$as_port" >"$results/appservice-smoke.log" 2>&1
sed 's/^/App Service /' "$results/appservice-smoke.log" | head -n -1
add_counts_from smoke "$results/appservice-smoke.log"
check "App Service: the reports database is in /home (Reports__DataDirectory), owned by the image's user, no WAL (rollback journal)" \
    bash -c "[[ -s '$as_home/data/appraise/appraise.db' && \$(stat -c %u '$as_home/data/appraise/appraise.db') == 1654 && ! -e '$as_home/data/appraise/appraise.db-wal' ]]"
"$docker" logs appraise-appservice-test >"$results/appservice-stdout.log" 2>/dev/null
check "App Service: stdout is JSON lines (the log stream), the seed's /predict request among them" bash -c "
    python3 -c 'import json, sys; [json.loads(l) for l in open(sys.argv[1]) if l.strip()]' '$results/appservice-stdout.log' &&
    grep -q '/predict' '$results/appservice-stdout.log'"
report="$(curl -sf -X POST -H 'Content-Type: application/json' -H "X-Api-Key: $key" \
    -d '{"event_id": 7, "payload": {"CHAS": 0, "RM": 6.575, "TAX": 296.0, "PTRATIO": 15.3, "B": 396.9, "LSTAT": 4.98}}' \
    "http://127.0.0.1:$as_port/api/v1/prediction/?generate_report=true" | grep -Eo '"report_id":"[0-9a-f-]{36}"' | cut -d'"' -f4)"
# shellcheck disable=SC2317 # called through check and setup
report_ready() { # report_ready: polls the report on as_port until completed (30 s)
    local deadline=$((SECONDS + 30))
    until curl -sf -H "X-Api-Key: $key" "http://127.0.0.1:$as_port/api/v1/reports/$report" | grep -q '"state":"completed"'; do
        ((SECONDS < deadline)) || return 1
        sleep 0.2
    done
}
setup "App Service: a report to keep (id ${report:-none})" report_ready
# A new instance (a restart, a scale-out, a platform move): a new container on the same /home.
"$docker" rm -fv appraise-appservice-test >/dev/null 2>&1
appservice_run appraise-appservice-test-2
wait_for_url "http://127.0.0.1:$as_port/readyz" 60 >>"$check_log" 2>&1
check "App Service: a new container on the same /home still has the report" report_ready
"$docker" rm -fv appraise-appservice-test-2 >/dev/null 2>&1
# Negative control: without the /home mount the report is gone, so the check above can fail.
appservice_run appraise-appservice-test-2 --no-home
wait_for_url "http://127.0.0.1:$as_port/readyz" 60 >>"$check_log" 2>&1
check "App Service: without /home (storage off) the report is gone (the persistence check can fail)" bash -c "$(declare -f report_ready); key='$key' as_port=$as_port report=$report; ! report_ready"
"$docker" rm -fv appraise-appservice-test-2 >/dev/null 2>&1
# Negative control: WEBSITES_PORT and ASPNETCORE_HTTP_PORTS must agree. Kestrel on 80 while the
# platform sends to 8080: nothing answers where App Service sends requests.
"$docker" run -d --name appraise-appservice-ports "${as_env[@]}" -e ASPNETCORE_HTTP_PORTS=80 -v "$as_home:/home" \
    -p "127.0.0.1:$as_port:8080" -p "127.0.0.1:$((as_port + 1)):80" "$image" >/dev/null
wait_for_url "http://127.0.0.1:$((as_port + 1))/readyz" 60 >>"$check_log" 2>&1
check "App Service: with ASPNETCORE_HTTP_PORTS=80 against WEBSITES_PORT=8080 it answers on 80 and not on WEBSITES_PORT" bash -c "
    curl -sf --max-time 5 http://127.0.0.1:$((as_port + 1))/readyz >/dev/null && ! curl -sf --max-time 5 http://127.0.0.1:$as_port/readyz >/dev/null"
"$docker" rm -fv appraise-appservice-ports >/dev/null 2>&1
rm -rf "$as_home"
# ==== end of the App Service block ================================================================

finish
