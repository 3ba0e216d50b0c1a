#!/usr/bin/env bash
# shellcheck disable=SC2317 # functions run through check and finish exits: shellcheck sees them as unreachable
# Runs the pods the chart renders, for real, with Debian's podman 4.3 (`podman kube play`), the
# image the container stage built (appraise:test) and a real PostgreSQL 15:
#   A. deploy/helm/values/minimal.yaml: SQLite on the claimed volume, API keys from an existing
#      Secret, and a user's own model repository mounted in (extraVolumes, Model__Repository);
#   B. PostgreSQL from an existing Secret (deploy/k8s/values.yaml, the plain manifests' values)
#      with API keys from a Secret the chart makes;
#   C. B's values with models from S3 (s3rver on the bridge's gateway, model.repository=s3://...)
#      and a static canary: stable (pinned to housing 1) and canary (pinned to 2) run together,
#      each from a rendering with its own containerPort (tests/pods/tracks.mjs); an unpinned
#      rendering serving 2 is the negative control.
# Each: scripts/smoke.sh against the pod, the restricted security context as the runtime applied
# it, and the helm test pod's own command. Then the key Secret's file changes (as the kubelet
# changes it after `kubectl apply`) and the new key works in the same process.
# What podman does not do (Services, NetworkPolicy, probes, rolling updates) is proven by
# evaluation in tests/chart/run.sh. Test traffic stays on loopback: podman publishes each
# containerPort on the host. Ends with "pods: N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root" || exit 1
results="${APPRAISE_RESULTS:-$root/artifacts/test-results}/pods"
rm -rf "$results" && mkdir -p "$results"
check_log="$results/checks.log"
# shellcheck source=tests/lib/checks.sh
source "$root/tests/lib/checks.sh"
fails() { ! "$@"; }
chart=deploy/helm/appraise
namespace=appraise
port_a="${APPRAISE_PODS_PORT_A:-18620}"
port_b="${APPRAISE_PODS_PORT_B:-18621}"
pg_port="${APPRAISE_PODS_PG_PORT:-18622}"
port_c="${APPRAISE_PODS_PORT_C:-18623}"   # C: stable
port_d="${APPRAISE_PODS_PORT_D:-18624}"   # C: canary
s3_port="${APPRAISE_PODS_S3_PORT:-18625}"
pg_bin=/usr/lib/postgresql/15/bin
work="$(mktemp -d /tmp/appraise-pods.XXXXXX)"
chmod 755 "$work"
# A private containers.conf, so the system's configuration is left alone:
# - podman's default ulimits (nproc, nofile) are refused in this sandbox: none;
# - the OCI runtime is runc, named: podman 4.3 otherwise takes crun when it is installed (it is,
#   when podman arrived before docker.io), and crun refuses this host's hybrid cgroup layout
#   ("cgroups in hybrid mode not supported"); runc runs it.
export CONTAINERS_CONF="$work/containers.conf"
printf '[containers]\ndefault_ulimits = []\n\n[engine]\nruntime = "runc"\n' >"$CONTAINERS_CONF"
played=()

finish() {
    for file in "${played[@]}"; do podman kube down "$file" >/dev/null 2>&1; done
    podman pod rm -f appraise-pods-network >/dev/null 2>&1
    podman volume rm -f "${volumes[@]}" >/dev/null 2>&1
    # kube play also keeps each Secret as a podman secret.
    podman secret rm "${secrets[@]}" >/dev/null 2>&1
    [[ -n "${s3rver_pid:-}" ]] && kill "$s3rver_pid" 2>/dev/null && wait "$s3rver_pid" 2>/dev/null
    [[ -f "$work/pg/data/postmaster.pid" ]] && runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg/data" -m immediate -w stop >/dev/null 2>&1
    rm -rf "$work"
    checks_summary pods
    exit
}
volumes=()
secrets=(appraise-api-keys appraise-database)

# --- podman, PostgreSQL and the image: setup, not tests
need=()
command -v podman >/dev/null || need+=(podman)
[[ -x /usr/bin/catatonit ]] || need+=(catatonit)   # podman's init for kube play pods
command -v runc >/dev/null || need+=(runc)          # the runtime containers.conf names
[[ -x "$pg_bin/initdb" ]] || need+=(postgresql-15)
if [[ ${#need[@]} -gt 0 ]]; then
    setup "install ${need[*]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" || finish
fi
id postgres >/dev/null 2>&1 || useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash postgres
if ! helm="$(tools/install.sh)/helm" || ! tools/install-checkers.sh shared; then setup "tools installed" false; finish; fi
if ! docker info >/dev/null 2>&1; then
    (dockerd >/var/log/appraise-dockerd.log 2>&1 &)
    for _ in $(seq 1 120); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
fi
# The container stage builds appraise:test from the Dockerfile; without it there is nothing to run.
if ! docker image inspect appraise:test >/dev/null 2>&1; then
    echo "FAIL  setup: no image appraise:test: run the container stage first (bash tests/run.sh container pods)"
    failed=$((failed + 1))
    finish
fi
setup "podman runs containers with runc, as containers.conf says, whichever runtimes are installed" \
    test "$(podman info --format '{{.Host.OCIRuntime.Name}}')" == runc || finish
setup "podman $(podman --version | awk '{print $3}') has the image appraise:test the container stage built" \
    bash -c 'docker save appraise:test | podman load -q && podman image exists localhost/appraise:test' || finish
# kube play puts pods on podman's network for Kubernetes YAML; an empty pod on it keeps its
# bridge (and the gateway address, where PostgreSQL listens) up between the pods under test.
kube_network=podman-default-kube-network
setup "podman's network for kube play is up" bash -c "
    podman network exists $kube_network || podman network create $kube_network
    podman pod rm -f appraise-pods-network >/dev/null 2>&1
    podman pod create --network $kube_network --name appraise-pods-network && podman pod start appraise-pods-network" || finish

# --- rendering for podman: the objects kube play runs (Deployment, Pod, ConfigMap, Secret, PVC),
# the user's own objects first; the chart's Service, NetworkPolicy, HPA, ServiceAccount... are
# left out (podman has no such thing) and proven by evaluation in chart-test.sh.
render() { # render RELEASE PORT OUT USER_OBJECTS.yaml HELM_ARGS...
    local release="$1" port="$2" out="$3" extra="$4"; shift 4
    "$helm" template "$release" "$chart" --namespace "$namespace" \
        --set image.repository=localhost/appraise --set-string image.tag=test --set image.pullPolicy=Never \
        --set containerPort="$port" --set service.port="$port" "$@" >"$work/$release.rendered.yaml" || return 1
    node tests/pods/split.mjs "$work/$release.rendered.yaml" "$extra" "$out" "$out.test.yaml"
}

# podman 4.3 writes a Secret's data into the mounted files still base64-encoded, and ignores a
# Secret volume's items (key -> path); the kubelet decodes and projects them. After
# `kube play --start=false`, the Secret volumes get the files the kubelet would write.
decode_secret_volumes() { # decode_secret_volumes PLAYED.yaml
    local name path value dir projected
    projected="$(node tests/pods/secrets.mjs "$1")" || return 1
    while read -r name; do
        dir="$(podman volume inspect --format '{{.Mountpoint}}' "$name")" || return 1
        find "$dir" -mindepth 1 -delete
        volumes+=("$name")
    done < <(cut -f1 <<<"$projected" | sort -u)
    while IFS=$'\t' read -r name path value; do
        dir="$(podman volume inspect --format '{{.Mountpoint}}' "$name")" || return 1
        printf '%s' "$value" | base64 -d >"$dir/$path"
        chmod 0444 "$dir/$path"
    done <<<"$projected"
}

play() { # play NAME FILE: creates the pod stopped, decodes its secrets, starts it
    played+=("$2")
    podman kube play --start=false "$2" >>"$check_log" 2>&1 && decode_secret_volumes "$2" && podman pod start "$1-pod-0" >>"$check_log" 2>&1
}

start_pod() { play "$1" "$2" && wait_for_url "http://127.0.0.1:$3/readyz" 90; }

pod_ip() { podman inspect --format '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$(podman pod inspect --format '{{.InfraContainerID}}' "$1-pod-0")"; }

# The helm test pod's own command (the image in healthcheck mode against the Service URL). The
# Service name resolves to the app pod's address through hostAliases, as cluster DNS would.
helm_test() { # helm_test RELEASE TEST.yaml IP
    local file="$work/$1.test-run.yaml" exit_code
    echo "helm test pod: $1.$namespace resolves to ${3:?no pod address}"
    node tests/pods/host-alias.mjs "$2" "$3" "$1.$namespace" >"$file" || return 1
    played+=("$file")
    podman kube play "$file" >>"$check_log" 2>&1 || return 1
    local container
    container="$(podman ps -a --filter "pod=$1-test" --format '{{.Names}}' | grep -v infra | head -1)"
    exit_code="$(podman wait "$container")"
    podman logs "$container" >>"$check_log" 2>&1
    podman kube down "$file" >/dev/null 2>&1
    [[ "$exit_code" == 0 ]]
}

# The security context as podman applied it: the image's user, read-only root, no capabilities.
hardened() { # hardened CONTAINER
    local state
    state="$(podman inspect --format '{{.Config.User}} {{.HostConfig.ReadonlyRootfs}} {{len .EffectiveCaps}}' "$1")"
    echo "user, read-only root, effective capabilities: $state"
    [[ "$state" == "1654:1654 true 0" ]]
}

# --- A: minimal.yaml, SQLite, keys from an existing Secret, the user's own model
key_a="pods-existing-key-$RANDOM$RANDOM$RANDOM"
key_a2="pods-rotated-key-$RANDOM$RANDOM$RANDOM"
# The user's own model repository: the house-price model as their version 7, in a volume the
# chart mounts from a PersistentVolumeClaim (podman kube play binds a claim to the podman volume
# of that name; the values schema refuses hostPath).
models_volume=appraise-pods-models
seed_models() {
    local dir
    podman volume rm -f "$models_volume" >/dev/null 2>&1
    podman volume create "$models_volume" >/dev/null &&
        dir="$(podman volume inspect --format '{{.Mountpoint}}' "$models_volume")" &&
        mkdir -p "$dir/housing/7" && cp model/housing/1/model.onnx model/housing/1/model-settings.json "$dir/housing/7/" &&
        chmod -R a+rX "$dir"
}
cat >"$work/a-user.yaml" <<YAML
# What the user creates before the install: the key Secret (kubectl create secret generic
# appraise-api-keys --from-literal=key-1=...).
apiVersion: v1
kind: Secret
metadata: {name: appraise-api-keys, namespace: $namespace}
type: Opaque
data:
  key-1: $(printf '%s' "$key_a" | base64 -w0)
YAML
volumes+=(appraise-data appraise-api-keys tmp data)
setup "render minimal.yaml with a mounted model repository" render appraise "$port_a" "$work/a.yaml" "$work/a-user.yaml" \
    -f deploy/helm/values/minimal.yaml --set 'extraVolumes[0].name=models' --set "extraVolumes[0].persistentVolumeClaim.claimName=$models_volume" \
    --set 'extraVolumeMounts[0].name=models' --set 'extraVolumeMounts[0].mountPath=/models' --set 'extraVolumeMounts[0].readOnly=true' \
    --set 'extraEnv[0].name=Model__Repository' --set 'extraEnv[0].value=/models' || finish
podman pod rm -f appraise-pod-0 >/dev/null 2>&1
podman volume rm -f "${volumes[@]}" >/dev/null 2>&1
setup "the user's model repository (housing/7) in the claimed volume $models_volume" seed_models || finish
volumes+=("$models_volume")
check "A (minimal, SQLite): podman kube play starts the rendered pod and it gets ready" start_pod appraise "$work/a.yaml" "$port_a" ||
    { podman logs appraise-pod-0-appraise 2>&1 | tail -20; finish; }
check "A: scripts/smoke.sh against the pod (key from the existing Secret)" bash -c \
    "APPRAISE_API_KEY='$key_a' scripts/smoke.sh http://127.0.0.1:$port_a >'$results/smoke-a.log' 2>&1; rc=\$?; tail -1 '$results/smoke-a.log'; exit \$rc"
check "A: runs as 1654 with a read-only root filesystem and no capabilities" hardened appraise-pod-0-appraise
check "A: Model__Repository serves the user's own model repository (housing version 7)" bash -c \
    "curl -sf http://127.0.0.1:$port_a/version | grep -q '\"model_version\":\"housing/7\"'"
check "A: SQLite reports on the claimed volume (appraise-data)" bash -c \
    "ls \"\$(podman volume inspect --format '{{.Mountpoint}}' appraise-data)\" | grep -q '\.db'"
ip_a="$(pod_ip appraise)"
check "A: the helm test pod's command (healthcheck against the Service URL) succeeds" helm_test appraise "$work/a.yaml.test.yaml" "$ip_a"
check "negative control: the same test pod fails when the Service leads nowhere" fails helm_test appraise "$work/a.yaml.test.yaml" 192.0.2.1

# Key rotation: the Secret's file changes in place (as the kubelet updates a mounted Secret);
# the service re-reads its key directory every 5 s, so the new key works in the same process.
started="$(podman inspect --format '{{.State.StartedAt}} {{.State.Pid}}' appraise-pod-0-appraise)"
printf '%s' "$key_a2" >"$(podman volume inspect --format '{{.Mountpoint}}' appraise-api-keys)/key-1"
predict() { curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -H "X-Api-Key: $2" \
    -d '{"event_id": 1, "payload": {"CHAS": 0, "RM": 6.575, "TAX": 296.0, "PTRATIO": 15.3, "B": 396.9, "LSTAT": 4.98}}' "$1/api/v1/prediction/"; }
rotated() {
    local deadline=$((SECONDS + 30))
    until [[ "$(predict "http://127.0.0.1:$port_a" "$key_a2")" == 200 ]]; do ((SECONDS < deadline)) || return 1; sleep 0.5; done
    [[ "$(predict "http://127.0.0.1:$port_a" "$key_a")" == 418 ]] &&
        [[ "$(podman inspect --format '{{.State.StartedAt}} {{.State.Pid}}' appraise-pod-0-appraise)" == "$started" ]]
}
check "A: a changed key Secret file: the new key works, the old one gets 418, same process (no restart)" rotated
podman kube down "$work/a.yaml" >>"$check_log" 2>&1

# --- B: PostgreSQL from an existing Secret, keys from a Secret the chart makes
# PostgreSQL 15 listens on the podman bridge's gateway, the address the pod reaches the host by,
# with password authentication as production servers require.
gateway="$(podman network inspect "$kube_network" --format '{{range .Subnets}}{{.Gateway}}{{end}}')"
subnet="$(podman network inspect "$kube_network" --format '{{range .Subnets}}{{.Subnet}}{{end}}')"
pg_password="pg-$RANDOM$RANDOM$RANDOM"
mkdir -p "$work/pg" && chown postgres:postgres "$work/pg"
printf '%s' "$pg_password" >"$work/pg/password" && chown postgres "$work/pg/password"
setup "PostgreSQL 15 on $gateway:$pg_port (scram-sha-256)" bash -c "
    runuser -u postgres -- $pg_bin/initdb -D '$work/pg/data' -U postgres --auth-local=trust --auth-host=scram-sha-256 --pwfile='$work/pg/password' -E UTF8 --no-sync >/dev/null &&
    echo 'host all all $subnet scram-sha-256' >>'$work/pg/data/pg_hba.conf' &&
    runuser -u postgres -- $pg_bin/pg_ctl -D '$work/pg/data' -l '$work/pg/server.log' -w -t 30 \
        -o '-p $pg_port -k $work/pg -c listen_addresses=$gateway' start >/dev/null &&
    runuser -u postgres -- psql -h '$work/pg' -p $pg_port -U postgres -qc 'CREATE DATABASE appraise'" ||
    { tail -5 "$work/pg/server.log"; finish; }
key_b="pods-chart-made-key-$RANDOM$RANDOM$RANDOM"
connection="Host=$gateway;Port=$pg_port;Username=postgres;Password=$pg_password;Database=appraise"
cat >"$work/b-user.yaml" <<YAML
# The user's database Secret (kubectl create secret generic appraise-database --from-literal=connectionString=...).
apiVersion: v1
kind: Secret
metadata: {name: appraise-database, namespace: $namespace}
type: Opaque
data:
  connectionString: $(printf '%s' "$connection" | base64 -w0)
YAML
volumes+=(appraise-database)
# deploy/k8s/values.yaml takes both from existing Secrets; the keys come from the chart here.
setup "render the plain manifests' values (PostgreSQL from an existing Secret) with a chart-made key Secret" \
    render appraise "$port_b" "$work/b.yaml" "$work/b-user.yaml" -f deploy/k8s/values.yaml \
    --set apiKeys.source=secret --set "apiKeys.values[0]=$key_b" || finish
check "B (PostgreSQL): podman kube play starts the rendered pod and it gets ready" start_pod appraise "$work/b.yaml" "$port_b" ||
    { podman logs appraise-pod-0-appraise 2>&1 | tail -20; finish; }
# /readyz says "degraded" (200) while the report store is away; healthy means PostgreSQL answered.
check "B: the report store (PostgreSQL) is reachable: /readyz healthy, not degraded" bash -c \
    "curl -sf http://127.0.0.1:$port_b/readyz | tee -a '$check_log' | grep -q '^{\"status\":\"healthy\"'"
check "B: scripts/smoke.sh against the pod (key from the chart-made Secret)" bash -c \
    "APPRAISE_API_KEY='$key_b' scripts/smoke.sh http://127.0.0.1:$port_b >'$results/smoke-b.log' 2>&1; rc=\$?; tail -1 '$results/smoke-b.log'; exit \$rc"
check "B: the smoke test's report is in PostgreSQL" bash -c \
    "[[ \$(runuser -u postgres -- psql -h '$work/pg' -p $pg_port -U postgres -d appraise -Atc 'SELECT count(*) FROM reports') -ge 1 ]]"
check "B: runs as 1654 with a read-only root filesystem and no capabilities" hardened appraise-pod-0-appraise
check "B: the helm test pod's command succeeds" helm_test appraise "$work/b.yaml.test.yaml" "$(pod_ip appraise)"
podman kube down "$work/b.yaml" >>"$check_log" 2>&1

# --- C: models from S3 (s3rver), stable and canary together, each serving its pinned version
# s3rver listens on the bridge's gateway, as PostgreSQL does; the bucket models holds housing
# versions 1 and 2 (copies of model/housing/1) under appraise/, uploaded path-style with aws.
s3_bin="$root/tests/storage/node_modules/.bin/s3rver"
if [[ ! -x "$s3_bin" ]]; then setup "s3rver (tools/install-checkers.sh storage)" tools/install-checkers.sh storage || finish; fi
command -v aws >/dev/null || setup "install awscli (Debian)" bash -c \
    "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends awscli" || finish
mkdir -p "$work/s3rver"
"$s3_bin" --directory "$work/s3rver" --address "$gateway" --port "$s3_port" --silent >"$results/s3rver.log" 2>&1 &
s3rver_pid=$!
listening() { local deadline=$((SECONDS + 30)); until (exec 3<>"/dev/tcp/$gateway/$1") 2>/dev/null; do ((SECONDS < deadline)) || return 1; sleep 0.2; done; }
setup "s3rver on $gateway:$s3_port" listening "$s3_port" || finish
# s3rver's own credentials (it checks the access key id only): not secrets.
s3() { AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_DEFAULT_REGION=us-east-1 aws --endpoint-url "http://$gateway:$s3_port" "$@"; }
upload_models() {
    s3 s3 mb s3://models || return 1
    for version in 1 2; do
        for file in model.onnx model-settings.json; do
            s3 s3 cp "model/housing/1/$file" "s3://models/appraise/housing/$version/$file" --only-show-errors || return 1
        done
    done
}
setup "bucket models: appraise/housing/1 and appraise/housing/2" upload_models || finish
key_c="pods-s3-key-$RANDOM$RANDOM$RANDOM"
volumes+=(model-cache tmp-canary data-canary model-cache-canary)
# The S3 values; gRPC off, as its port (one for both tracks) would be published twice as well.
s3_values=(-f deploy/k8s/values.yaml --set apiKeys.source=secret --set "apiKeys.values[0]=$key_c" --set grpc.containerPort=0
    --set model.repository=s3://models/appraise --set model.default=housing --set model.s3ForcePathStyle=true
    --set 'extraEnv[0].name=AWS_ENDPOINT_URL_S3' --set "extraEnv[0].value=http://$gateway:$s3_port"
    --set 'extraEnv[1].name=AWS_ACCESS_KEY_ID' --set 'extraEnv[1].value=S3RVER'
    --set 'extraEnv[2].name=AWS_SECRET_ACCESS_KEY' --set 'extraEnv[2].value=S3RVER'
    --set 'extraEnv[3].name=AWS_REGION' --set 'extraEnv[3].value=us-east-1')
canary_values=(--set model.pins.housing=1 --set canary.enabled=true --set canary.model.pins.housing=2
    --set httpRoute.enabled=true --set 'httpRoute.hostnames[0]=appraise.example.test')
render_tracks() {
    render appraise "$port_c" "$work/c-stable.yaml" "$work/b-user.yaml" "${s3_values[@]}" "${canary_values[@]}" &&
        render appraise "$port_d" "$work/c-canary.yaml" "$work/b-user.yaml" "${s3_values[@]}" "${canary_values[@]}" &&
        node tests/pods/tracks.mjs "$work/c-stable.yaml" "$work/c-canary.yaml" appraise-canary >"$work/c.yaml" &&
        cp "$work/c.yaml" "$results/c.yaml"
}
setup "render model.repository=s3://models/appraise with pins (stable housing=1, canary housing=2): stable on $port_c, canary on $port_d" \
    render_tracks || finish
play_tracks() {
    played+=("$work/c.yaml")
    podman kube play --start=false "$work/c.yaml" >>"$check_log" 2>&1 && decode_secret_volumes "$work/c.yaml" &&
        podman pod start appraise-pod-0 appraise-canary-pod-0 >>"$check_log" 2>&1 &&
        wait_for_url "http://127.0.0.1:$port_c/readyz" 120 && wait_for_url "http://127.0.0.1:$port_d/readyz" 120 && return 0
    podman ps -a --pod >>"$check_log" 2>&1
    podman logs appraise-pod-0-appraise 2>&1 | tail -20; podman logs appraise-canary-pod-0-appraise 2>&1 | tail -20
    return 1
}
check "C (S3): stable and canary pods start together and both get ready (models downloaded from s3rver)" play_tracks
serves() { # serves PORT VERSION: /version and an inference's model_version name VERSION of housing
    local answer
    answer="$(curl -sf "http://127.0.0.1:$1/version")" || return 1
    echo "$answer"
    grep -q "\"model_version\":\"housing/$2\"" <<<"$answer" || return 1
    answer="$(curl -sf -H 'Content-Type: application/json' -H "X-Api-Key: $key_c" "http://127.0.0.1:$1/v2/models/housing/infer" \
        -d '{"inputs": [{"name": "X", "shape": [1, 6], "datatype": "FP64", "data": [[0, 6.575, 296, 15.3, 396.9, 4.98]]}]}')" || return 1
    echo "$answer"
    grep -q "\"model_version\":\"$2\"" <<<"$answer"
}
check "C: stable serves housing version 1 (its pin): /version and an inference's model_version" serves "$port_c" 1
check "C: canary serves housing version 2 (its pin over stable's): /version and an inference's model_version" serves "$port_d" 2
check "C: stable loaded version 2 too (the pin chooses): /v2/models/housing/versions/2/ready answers 200" \
    curl -sf -H "X-Api-Key: $key_c" "http://127.0.0.1:$port_c/v2/models/housing/versions/2/ready"
cached() { # cached CONTAINER: the model files in the volume behind its cache mount, as downloaded
    local dir count
    dir="$(podman inspect --format '{{range .Mounts}}{{if eq .Destination "/var/cache/appraise/models"}}{{.Source}}{{end}}{{end}}' "$1")"
    echo "$1: /var/cache/appraise/models is $dir"
    # The cache keeps each version as <model>/<version>/model.<hash>.onnx.
    [[ -n "$dir" ]] && find "$dir" -type f && count="$(find "$dir" -type f -path '*/housing/[12]/model*.onnx' | wc -l)" &&
        [[ "$count" -ge 2 ]] && cmp "$(find "$dir" -type f -path '*/housing/2/model*.onnx' | head -1)" model/housing/1/model.onnx
}
check "C: stable's cache volume (/var/cache/appraise/models) holds the downloaded models" cached appraise-pod-0-appraise
check "C: canary's cache volume holds the downloaded models" cached appraise-canary-pod-0-appraise
check "C: stable runs as 1654 with a read-only root filesystem and no capabilities" hardened appraise-pod-0-appraise
check "C: canary runs as 1654 with a read-only root filesystem and no capabilities" hardened appraise-canary-pod-0-appraise
podman kube down "$work/c.yaml" >>"$check_log" 2>&1
# Negative control: the same values without any pins serve version 2, the newest: the pin, not
# the order of the versions, made stable serve 1.
unpinned() {
    grep -A1 'name: Model__Pins__housing' "$work/c.yaml" | grep -c 'value: "1"' | grep -qx 1 &&
        render appraise "$port_c" "$work/c-unpinned.yaml" "$work/b-user.yaml" "${s3_values[@]}" || return 1
    if grep -q Model__Pins "$work/c-unpinned.yaml"; then echo "pins rendered without pins"; return 1; fi
    play appraise "$work/c-unpinned.yaml" && wait_for_url "http://127.0.0.1:$port_c/readyz" 120 && serves "$port_c" 2
}
check "negative control: rendered stable has Model__Pins__housing=1; the same values without pins serve housing 2" unpinned
podman kube down "$work/c-unpinned.yaml" >>"$check_log" 2>&1

finish
