#!/usr/bin/env bash
# Builds the real Dockerfile with a real Docker engine and proves the image behaves:
# hardened run flags, readiness, smoke test, non-root, no shell or package manager, graceful
# SIGTERM with a request in flight, no secret in the history or the filesystem.
# Installs docker.io and starts dockerd when needed; builds stand-in base images when no
# registry can be reached. Ends with "container: N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root" || exit 1
docker=/usr/bin/docker      # Debian's client: the newer one first on PATH needs buildx
export DOCKER_BUILDKIT=1
image="appraise:test"
name="appraise-container-test"
port="${APPRAISE_CONTAINER_PORT:-18480}"
key="container-test-key-$RANDOM$RANDOM"
results="${APPRAISE_RESULTS:-$root/artifacts/test-results}"
mkdir -p "$results"

check_log="$results/container.log"
# shellcheck source=scripts/lib/checks.sh
source "$root/scripts/lib/checks.sh"
finish() {
    "$docker" rm -f "$name" "$name-slow" >/dev/null 2>&1
    checks_summary container
    exit
}

# --- a Docker engine
need=()
[[ -x "$docker" ]] || need+=(docker.io)
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v docker-compose >/dev/null || need+=(docker-compose)
if [[ ${#need[@]} -gt 0 ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null || { failed=1; finish; }
fi
if ! "$docker" info >/dev/null 2>&1; then
    (dockerd >/var/log/appraise-dockerd.log 2>&1 &)
    for _ in $(seq 1 60); do "$docker" info >/dev/null 2>&1 && break; sleep 0.5; done
fi
check "docker engine is running" "$docker" info

# --- base images: the real ones when a registry answers, local stand-ins otherwise
if ! "$docker" image inspect mcr.microsoft.com/dotnet/sdk:10.0 >/dev/null 2>&1 && ! timeout 20 "$docker" pull -q mcr.microsoft.com/dotnet/sdk:10.0 >/dev/null 2>&1; then
    DOCKER="$docker" scripts/container/stand-in-bases.sh >>"$results/container.log" 2>&1
fi
check "base images available" "$docker" image inspect mcr.microsoft.com/dotnet/sdk:10.0 mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled

check "compose.yaml is valid and needs both secrets from the environment" bash -c \
    "APPRAISE_API_KEY=x POSTGRES_PASSWORD=y docker-compose -f compose.yaml config -q && ! docker-compose -f compose.yaml config -q 2>/dev/null"

# --- build the real Dockerfile
commit="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
check "docker build" "$docker" build -q \
    --build-arg VERSION=0.1.0-test --build-arg COMMIT="$commit" --build-arg CREATED="$(date -u +%Y-%m-%dT%H:%M:%SZ)" -t "$image" .
"$docker" image inspect "$image" >/dev/null 2>&1 || finish

size="$("$docker" image inspect --format '{{.Size}}' "$image")"
app_layer="$("$docker" history --format '{{.Size}} {{.CreatedBy}}' "$image" | grep -m1 'COPY /app /app' | cut -d' ' -f1)"
echo "image $image: $((size / 1000 / 1000)) MB in all, application layer $app_layer" | tee -a "$results/figures.txt"
labels="$("$docker" image inspect --format '{{json .Config.Labels}}' "$image")"
check "OCI labels: source, revision, version, created" bash -c "grep -q 'org.opencontainers.image.source' <<<'$labels' && grep -q '\"org.opencontainers.image.revision\":\"$commit\"' <<<'$labels' && grep -q 'org.opencontainers.image.version\":\"0.1.0-test' <<<'$labels' && grep -q 'org.opencontainers.image.created\":\"20' <<<'$labels'"

# --- run it the hardened way
run_hardened() { # run_hardened NAME [extra docker args...]
    local container="$1"; shift
    "$docker" run -d --name "$container" --read-only --cap-drop ALL --security-opt no-new-privileges \
        --user 1654:1654 --memory 256m --cpus 1 \
        --tmpfs /data:uid=1654,gid=1654,mode=0700 --tmpfs /tmp:uid=1654,gid=1654,mode=1777 \
        -e Auth__ApiKeys__0="$key" "$@" "$image"
}
run_hardened "$name" -p "127.0.0.1:$port:8080" >/dev/null
ready=1
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && { ready=0; break; }; sleep 0.1; done
check "ready with --read-only, no capabilities, 256 MB, 1 CPU" test "$ready" -eq 0
[[ $ready -eq 0 ]] || { "$docker" logs "$name" 2>&1 | tail -20; finish; }
APPRAISE_API_KEY="$key" scripts/smoke.sh "http://127.0.0.1:$port" >"$results/container-smoke.log" 2>&1
check "smoke test against the container" test $? -eq 0
cat "$results/container-smoke.log"

health=""
for _ in $(seq 1 40); do
    health="$("$docker" inspect --format '{{.State.Health.Status}}' "$name")"
    [[ "$health" == healthy ]] && break
    sleep 0.5
done
check "HEALTHCHECK (the binary's healthcheck mode) reports healthy" test "$health" = healthy
check "every process runs as uid 1654, not root" bash -c "'$docker' top '$name' -o uid,pid | tail -n +2 | awk '{print \$1}' | sort -u | grep -qx 1654"
check "no sh in the image" bash -c "! '$docker' run --rm --entrypoint sh '$image' -c true"
check "no shell or package manager in the filesystem" bash -c \
    "! '$docker' export '$name' | tar -t | grep -E '(^|/)(bin/(ba|da)?sh|usr/bin/(apt|apt-get|dpkg|rpm|apk|microdnf))$'"
check "root filesystem is read-only" bash -c "'$docker' inspect --format '{{.HostConfig.ReadonlyRootfs}}' '$name' | grep -qx true"
check "the runtime key is in no layer or file" bash -c \
    "! '$docker' history --no-trunc '$image' | grep -q '$key' && ! '$docker' export '$name' | tar -xO 2>/dev/null | grep -aq '$key'"
check "no development key or other secret baked in" bash -c \
    "! '$docker' export '$name' | tar -xO 2>/dev/null | grep -aqE 'appraise-dev-key|BEGIN (RSA |EC )?PRIVATE KEY|Password=[^;]'"

# --- SIGTERM with a slow request in flight: it finishes, then the container exits 0
body="$(mktemp)"
# About 6 s to upload: it is still in flight after the 2 s drain, when the server stops accepting.
printf '{"CHAS":{"0":0},"RM":{"0":6.575},"TAX":{"0":296.0},"PTRATIO":{"0":15.3},"B":{"0":396.9},"LSTAT":{"0":4.98}}%9000s' "" >"$body"
curl -s -o "$results/slow-response.json" -w '%{http_code}' --limit-rate 1500 -H 'Content-Type: application/json' \
    --data-binary "@$body" "http://127.0.0.1:$port/predict" >"$results/slow-status.txt" &
slow=$!
sleep 1
started=$(date +%s)
"$docker" stop -t 30 "$name" >/dev/null
stopped=$(date +%s)
wait "$slow"
check "the request was still in flight when the drain ended" test $((stopped - started)) -ge 3
check "the in-flight request finished with 200" grep -qx 200 "$results/slow-status.txt"
check "the container exited 0 on SIGTERM" bash -c "'$docker' inspect --format '{{.State.ExitCode}}' '$name' | grep -qx 0"
echo "graceful stop with a request in flight: $((stopped - started)) s" | tee -a "$results/figures.txt"
rm -f "$body"

finish
