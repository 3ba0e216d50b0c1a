#!/usr/bin/env bash
# Black-box check of a running appraise: every endpoint answers as documented.
# Usage: scripts/smoke.sh BASE_URL   (API key from APPRAISE_API_KEY, default: the Development key)
# This is seed 004's make_predict_azure_app.sh, grown up: against a deployed App Service app run
#   scripts/smoke.sh https://<app>.azurewebsites.net    (make appservice-url prints the address)
# and it sends, among the rest, the seed's own request byte for byte (POST /predict with its
# multi-line pandas-style JSON and Content-Type: application/json) and expects a prediction.
set -uo pipefail

base="${1:?usage: scripts/smoke.sh BASE_URL}"
base="${base%/}"
key="${APPRAISE_API_KEY:-appraise-dev-key}"
passed=0
failed=0
body_file="$(mktemp)"
trap 'rm -f "$body_file"' EXIT

# check NAME EXPECTED_STATUS BODY_PATTERN CURL_ARGS...
check() {
    local name="$1" want_status="$2" pattern="$3"
    shift 3
    local status
    status="$(curl -sS -o "$body_file" -w '%{http_code}' --max-time 10 "$@" 2>/dev/null)" || status="000"
    if [[ "$status" == "$want_status" ]] && grep -Eq -- "$pattern" "$body_file"; then
        passed=$((passed + 1))
        echo "ok    $name"
    else
        failed=$((failed + 1))
        echo "FAIL  $name: status $status (want $want_status), body: $(head -c 300 "$body_file")"
    fi
}

json=(-H 'Content-Type: application/json')
prediction='{"event_id": 1, "payload": {"CHAS": 0, "RM": 6.575, "TAX": 296.0, "PTRATIO": 15.3, "B": 396.9, "LSTAT": 4.98}}'
pandas='{"CHAS":{"0":0},"RM":{"0":6.575},"TAX":{"0":296.0},"PTRATIO":{"0":15.3},"B":{"0":396.9},"LSTAT":{"0":4.98}}'

check "liveness"              200 '"status":"healthy"'               "$base/healthz"
check "readiness"             200 '"report_store"'                   "$base/readyz"
check "root"                  200 '"message":"Hello World"'          "$base/"
check "helloworld"            200 '^\{"message":"Hello World"\}$'    "$base/helloworld"
check "test"                  200 '^\{"test":"test"\}$'              "$base/test"
check "hello v1"              200 '^\{"message":"Hello World"\}$'    "$base/api/v1/hello/"
check "version"               200 '"model_version":"'               "$base/version"
check "prediction"            200 '"predicted_value":28\.30'         -X POST "${json[@]}" -H "X-Api-Key: $key" -d "$prediction" "$base/api/v1/prediction/"
check "prediction bad key"    418 'InvalidSecretKeyError'            -X POST "${json[@]}" -H "X-Api-Key: not-$key" -d "$prediction" "$base/api/v1/prediction/"
check "prediction typo 422"   422 'payload\.LSAT'                    -X POST "${json[@]}" -H "X-Api-Key: $key" -d "${prediction/LSTAT/LSAT}" "$base/api/v1/prediction/"
check "predict (pandas)"      200 '^\{"prediction":\[28\.30'         -X POST "${json[@]}" -d "$pandas" "$base/predict"
# Seed 004's request, unchanged: its body with the seed's own line breaks and indentation.
seed_request='{
   "CHAS":{
      "0":0
   },
   "RM":{
      "0":6.575
   },
   "TAX":{
      "0":296.0
   },
   "PTRATIO":{
      "0":15.3
   },
   "B":{
      "0":396.9
   },
   "LSTAT":{
      "0":4.98
   }
}'
check "seed 004's request"    200 '^\{"prediction":\[28\.30'         -d "$seed_request" -H "Content-Type: application/json" -X POST "$base/predict"
check "report requested"      200 '"report_id":"[0-9a-f-]{36}"'      -X POST "${json[@]}" -H "X-Api-Key: $key" -d "$prediction" "$base/api/v1/prediction/?generate_report=true"
report_id="$(grep -Eo '"report_id":"[0-9a-f-]{36}"' "$body_file" | cut -d'"' -f4)"
for _ in $(seq 1 50); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' -H "X-Api-Key: $key" "$base/api/v1/reports/$report_id")" == 200 ]] && break
    sleep 0.2
done
check "report completed"      200 '"state":"completed".*"contributions":\[' -H "X-Api-Key: $key" "$base/api/v1/reports/$report_id"
check "report chart"          200 '<svg'                             -H "X-Api-Key: $key" "$base/api/v1/reports/$report_id/chart.svg"
check "metrics"               200 'appraise_predictions_total'        "$base/metrics"
check "openapi"               200 '"openapi":'                        "$base/openapi/v1.json"
check "swagger ui"            200 'swagger'                           "$base/docs/index.html"

echo "smoke: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
