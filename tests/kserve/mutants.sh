# shellcheck shell=bash
# The kserve stage's hand-written mutants (tests/lib/mutants.sh): one edit each to the serving
# runtime or the example InferenceService that KServe would accept, or that would break appraise
# under KServe, each of which tests/kserve/check-kserve.mjs must refuse. Sourced by
# tests/kserve/run.sh; each command runs in the mutated copy, from its root.

runtime=deploy/kserve/clusterservingruntime.yaml
isvc=deploy/kserve/inferenceservice-example.yaml
checker() { node tests/kserve/check-kserve.mjs; }

mutant_control "the KServe checker" -- checker

# Unknown fields: the CRDs leave these objects open, so the API server would drop them silently.
kill_mutant "an unknown field in the runtime (a misspelt probe timeout, pruned by the API server)" \
    "$runtime" $'        periodSeconds: 5\n        timeoutSeconds: 3\n        failureThreshold: 60' \
    $'        periodSeconds: 5\n        timeoutSecond: 3\n        failureThreshold: 60' -- checker
kill_mutant "an unknown field in the InferenceService (minReplica for minReplicas)" \
    "$isvc" $'  predictor:\n    model:' $'  predictor:\n    minReplica: 2\n    model:' -- checker
# Protocols.
kill_mutant "the InferenceService asks for protocol v1, which appraise does not speak" \
    "$isvc" 'protocolVersion: v2' 'protocolVersion: v1' -- checker
kill_mutant "the runtime lists protocol v1 instead of v2" \
    "$runtime" $'    - v2\n    - grpc-v2' $'    - v1\n    - grpc-v2' -- checker
kill_mutant "a protocol KServe does not know (grpc-v3)" \
    "$runtime" $'    - grpc-v2\n' $'    - grpc-v3\n' -- checker
# The model and the ports.
kill_mutant "Model__Repository is not the storage initializer's mount" \
    "$runtime" 'value: /mnt/models' 'value: /mnt/model' -- checker
kill_mutant "a volume mounted over /mnt/models (KServe mounts the model there)" \
    "$runtime" '          mountPath: /data' '          mountPath: /mnt/models' -- checker
kill_mutant "Grpc__Port disagrees with the h2c port" \
    "$runtime" $'- name: Grpc__Port\n          value: "8081"' $'- name: Grpc__Port\n          value: "9000"' -- checker
kill_mutant "the gRPC port not named h2c (KServe would route it as HTTP/1)" \
    "$runtime" '        - name: h2c' '        - name: http2' -- checker
# The security context.
kill_mutant "securityContext without runAsNonRoot" "$runtime" $'        runAsNonRoot: true\n' '' -- checker
kill_mutant "securityContext without allowPrivilegeEscalation: false" "$runtime" $'        allowPrivilegeEscalation: false\n' '' -- checker
kill_mutant "securityContext without the seccomp profile" "$runtime" $'        seccompProfile:\n          type: RuntimeDefault\n' '' -- checker
# Selection, the key, the probes, the image, the storage.
kill_mutant "the runtime auto-selects onnx (it would take over KServe's Triton default)" \
    "$runtime" 'autoSelect: false' 'autoSelect: true' -- checker
kill_mutant "the API key as a literal value in the runtime" \
    "$runtime" $'          valueFrom:\n            secretKeyRef:\n              name: appraise-api-keys\n              key: key-1' \
    '          value: insecure-key-0123456789' -- checker
kill_mutant "liveness on readiness's path (a draining pod would be killed)" \
    "$runtime" $'      livenessProbe:\n        httpGet:\n          path: /healthz' $'      livenessProbe:\n        httpGet:\n          path: /v2/health/ready' -- checker
kill_mutant "an image tag other than the chart's appVersion" "$runtime" 'appraise:0.1.0' 'appraise:latest' -- checker
kill_mutant "the InferenceService names another runtime" "$isvc" 'runtime: appraise' 'runtime: kserve-tritonserver' -- checker
kill_mutant "a storageUri that is one file over https, not a repository prefix" \
    "$isvc" 'storageUri: s3://models/appraise' 'storageUri: https://example.com/model.onnx' -- checker
kill_mutant "the InferenceService on Knative (Serverless), which allows one port" \
    "$isvc" 'serving.kserve.io/deploymentMode: Standard' 'serving.kserve.io/deploymentMode: Serverless' -- checker
