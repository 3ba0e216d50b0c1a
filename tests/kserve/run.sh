#!/usr/bin/env bash
# shellcheck disable=SC2317 # functions run through check and finish exits: shellcheck sees them as unreachable
# Proves appraise's KServe serving runtime (deploy/kserve/) without a cluster:
#   1. tests/kserve/check-kserve.mjs: the ClusterServingRuntime and the example InferenceService
#      against KServe v0.20.0's CRD schemas (unknown fields refused) and what appraise needs of
#      them; with a KServe clone at hand, the schemas and conventions it uses are re-read from
#      KServe's source at that tag;
#   2. the mutants (tests/kserve/mutants.sh): one-line defects the checker must refuse;
#   3. the pod KServe would make from the runtime (tests/kserve/build-pod.mjs: the runtime's
#      container, its volumes, /mnt/models read-only), the storage initializer replaced by a local
#      copy of model/housing laid out as a repository, run with Debian's podman 4.3 (`podman kube
#      play`) and the image the container stage built (appraise:test): /v2/health/ready, REST
#      inference with and without the key, gRPC on the h2c port, the security context applied.
# Ports 18760 (REST) and 18761 (gRPC) on loopback (APPRAISE_KSERVE_PORT moves both).
# APPRAISE_KSERVE_GIT: a KServe clone (default /work/.mirror/kserve+kserve/repo).
# Ends with "kserve: N passed, N failed".
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root" || exit 1
results="${APPRAISE_RESULTS:-$root/artifacts/test-results}/kserve"
rm -rf "$results" && mkdir -p "$results"
check_log="$results/checks.log"
# shellcheck source=tests/lib/checks.sh
source "$root/tests/lib/checks.sh"
# shellcheck source=tests/lib/mutants.sh
source "$root/tests/lib/mutants.sh"
runtime=deploy/kserve/clusterservingruntime.yaml
isvc=deploy/kserve/inferenceservice-example.yaml
kserve_git="${APPRAISE_KSERVE_GIT:-/work/.mirror/kserve+kserve/repo}"
kserve_tag=v0.20.0
http_port="${APPRAISE_KSERVE_PORT:-18760}"
grpc_port=$((http_port + 1))
# The harness's own Secret name: podman keeps secrets host-wide, other stages have theirs.
secret_name=appraise-kserve-test-keys
pod_name=housing-predictor   # <InferenceService name>-predictor, as KServe names it
work="$(mktemp -d /tmp/appraise-kserve.XXXXXX)"
chmod 755 "$work"
# A private containers.conf, as tests/pods/run.sh has (why: there): no default ulimits, runc.
export CONTAINERS_CONF="$work/containers.conf"
printf '[containers]\ndefault_ulimits = []\n\n[engine]\nruntime = "runc"\n' >"$CONTAINERS_CONF"
played=false

finish() {
    if $played; then
        podman logs "$pod_name-kserve-container" >"$results/pod.log" 2>&1
        podman kube down "$work/pod.yaml" >/dev/null 2>&1
    fi
    podman secret rm "$secret_name" >/dev/null 2>&1
    rm -rf "$work"
    checks_summary kserve
    exit
}
# Stopped (the stage's time limit): the pod and the secret go too, and the run counts as failed.
trap 'failed=$((failed + 1)); echo "FAIL  interrupted"; finish' TERM INT

if ! tools/install-checkers.sh shared oip 2>>"$check_log"; then setup "npm checkers (tools/install-checkers.sh shared oip)" false; finish; fi

# --- 1. the checker
check "check-kserve.mjs: the runtime and the example InferenceService (KServe $kserve_tag schemas, closed; appraise's needs)" \
    bash -c "node tests/kserve/check-kserve.mjs | tee '$results/check-kserve.txt'"
if [[ -d "$kserve_git" ]]; then
    check "tests/kserve/schemas are what extract-schemas.mjs takes from KServe $kserve_tag's CRDs" bash -c "
        node tests/kserve/extract-schemas.mjs '$kserve_git' $kserve_tag '$work/schemas' &&
        for f in clusterservingruntime.v1alpha1.json inferenceservice.v1beta1.json; do cmp \"$work/schemas/\$f\" tests/kserve/schemas/\$f || exit 1; done"
    check "every KServe convention the checks use is in KServe $kserve_tag's source (schemas/kserve-facts.json)" \
        node tests/kserve/check-facts.mjs "$kserve_git"
else
    echo "note  no KServe clone at $kserve_git: the recorded schemas and conventions are used as they are"
fi

# --- 2. the mutants
# shellcheck source=tests/kserve/mutants.sh
source "$root/tests/kserve/mutants.sh"

# --- 3. the pod, under podman
need=()
command -v podman >/dev/null || need+=(podman)
[[ -x /usr/bin/catatonit ]] || need+=(catatonit)   # podman's init for kube play pods
command -v runc >/dev/null || need+=(runc)          # the runtime containers.conf names
if [[ ${#need[@]} -gt 0 ]]; then
    setup "install ${need[*]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" || finish
fi
setup "podman runs containers with runc, as containers.conf says" \
    test "$(podman info --format '{{.Host.OCIRuntime.Name}}')" == runc || finish
# The container stage builds appraise:test with Docker: the newest copy goes to podman when
# Docker has one; otherwise podman's own (from an earlier pods or kserve stage) is used.
if docker image inspect appraise:test >/dev/null 2>&1; then
    setup "podman has the image appraise:test the container stage built" \
        bash -c 'docker save appraise:test | podman load -q && podman image exists localhost/appraise:test' || finish
elif podman image exists localhost/appraise:test; then
    echo "note  Docker has no appraise:test: podman's localhost/appraise:test ($(podman image inspect --format '{{.Created}}' localhost/appraise:test)) is used"
else
    echo "FAIL  setup: no image appraise:test: run the container stage first (bash tests/run.sh container kserve)"
    failed=$((failed + 1))
    finish
fi
setup "podman's network for kube play is up" bash -c \
    'podman network exists podman-default-kube-network || podman network create podman-default-kube-network' || finish

# What the storage initializer would have put in /mnt/models from storageUri: model/housing laid
# out as a repository (housing/1).
mkdir -p "$work/models/housing/1" && cp model/housing/1/model.onnx model/housing/1/model-settings.json "$work/models/housing/1/" &&
    chmod -R a+rX "$work/models"
key="kserve-test-key-$RANDOM$RANDOM$RANDOM"
setup "the pod KServe would make from the runtime and the InferenceService (tests/kserve/build-pod.mjs)" bash -c "
    APPRAISE_KSERVE_SECRET=$secret_name APPRAISE_KSERVE_KEY='$key' node tests/kserve/build-pod.mjs $runtime $isvc \
        '$work/models' localhost/appraise:test '$work/pod' $http_port $grpc_port >/dev/null &&
    cp '$work/pod.yaml' '$results/pod.yaml'" || finish
# The key Secret, as podman 4.3 reads an env secretKeyRef (build-pod.mjs says how).
setup "the key Secret as podman reads a secretKeyRef" bash -c "
    podman secret rm $secret_name >/dev/null 2>&1
    podman secret create $secret_name '$work/pod.secret.json' >/dev/null" || finish
podman pod rm -f "$pod_name" >/dev/null 2>&1
played=true
check "podman kube play starts the pod and /v2/health/ready answers 200 {\"ready\":true}" bash -c "
    podman kube play '$work/pod.yaml' >/dev/null && wait_for() { local deadline=\$((SECONDS + 120))
        until curl -sf --max-time 2 http://127.0.0.1:$http_port/v2/health/ready | grep -q '\"ready\":true'; do
            ((SECONDS < deadline)) || return 1; sleep 0.5; done; }; wait_for" ||
    { podman logs "$pod_name-kserve-container" 2>&1 | tail -20; finish; }

infer() { # infer MODEL [KEY]: prints the answer and the status of one REST inference
    local headers=(-H 'Content-Type: application/json')
    [[ $# -gt 1 ]] && headers+=(-H "X-Api-Key: $2")
    curl -s -w '\n%{http_code}' "${headers[@]}" "http://127.0.0.1:$http_port/v2/models/$1/infer" \
        -d '{"inputs": [{"name": "X", "shape": [1, 6], "datatype": "FP64", "data": [[0, 6.575, 296, 15.3, 396.9, 4.98]]}]}'
}
export -f infer
export http_port
# shellcheck disable=SC2016 # expanded by the inner bash
check "POST /v2/models/housing/infer with the key: 200, the known prediction" bash -c '
    answer="$(infer housing "$1")"; echo "$answer"
    [[ "$(tail -1 <<<"$answer")" == 200 ]] && grep -q "\"model_version\":\"1\"" <<<"$answer" && grep -q "28.30186" <<<"$answer"' _ "$key"
# shellcheck disable=SC2016
check "POST /v2/models/housing/infer without the key: 401" bash -c 'answer="$(infer housing)"; echo "$answer"; [[ "$(tail -1 <<<"$answer")" == 401 ]]'
# shellcheck disable=SC2016
check "POST /v2/models/housing/infer with a wrong key: 401" bash -c 'answer="$(infer housing wrong-key-0123456789)"; echo "$answer"; [[ "$(tail -1 <<<"$answer")" == 401 ]]'
check "/healthz (the liveness and start-up probes' path) answers 200" curl -sf -o /dev/null "http://127.0.0.1:$http_port/healthz"
# The gRPC port as a client sees it: health, reflection, ModelInfer with the key.
node tests/oip/grpc-smoke.mjs "127.0.0.1:$grpc_port" "$key" >"$results/grpc-smoke.log" 2>&1
cat "$results/grpc-smoke.log"
add_counts_from grpc-smoke "$results/grpc-smoke.log"
check "runs as 1654 with a read-only root filesystem and no capabilities" bash -c "
    state=\"\$(podman inspect --format '{{.Config.User}} {{.HostConfig.ReadonlyRootfs}} {{len .EffectiveCaps}}' $pod_name-kserve-container)\"
    echo \"user, read-only root, effective capabilities: \$state\"; [[ \"\$state\" == '1654:1654 true 0' ]]"
check "/mnt/models is mounted read-only, /tmp and /data writable" bash -c "
    mounts=\"\$(podman inspect --format '{{range .Mounts}}{{.Destination}}={{.RW}} {{end}}' $pod_name-kserve-container)\"
    echo \"\$mounts\"; [[ \" \$mounts\" == *' /mnt/models=false '* && \" \$mounts\" == *' /tmp=true '* && \" \$mounts\" == *' /data=true '* ]]"
# The image embeds a housing/1 of its own: that the repository served is /mnt/models shows when a
# version put into the directory behind it (housing/2) is served after the next poll (5 s). Last,
# since the unversioned routes move to the new version.
mkdir -p "$work/staging/2" && cp model/housing/1/model.onnx "$work/staging/2/" && chmod -R a+rX "$work/staging" &&
    mv "$work/staging/2" "$work/models/housing/2"
# shellcheck disable=SC2016 # expanded by the inner bash
check "the repository served is /mnt/models: a version added behind it (housing/2) is served" bash -c '
    deadline=$((SECONDS + 60))
    until curl -s "http://127.0.0.1:$http_port/v2/models/housing" >"$1" && grep -Eq "\"versions\":\[(\"1\",\"2\"|\"2\",\"1\")\]" "$1"; do
        ((SECONDS < deadline)) || { cat "$1"; exit 1; }; sleep 1; done' _ "$results/housing-2.json"

finish
