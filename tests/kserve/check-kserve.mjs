// Checks appraise's KServe serving runtime and its example InferenceService, field by field,
// against the CRD schemas of the pinned KServe (schemas/*.json, extracted by extract-schemas.mjs
// with their source and tag), with every object closed: the CRDs leave most objects open to
// unknown fields, which the API server then prunes silently, so a misspelt field would be lost
// without a word. Only an object marked x-kubernetes-preserve-unknown-fields stays open.
// Then what the schema cannot say: that the container is appraise as it runs (its image, the
// storage initializer's mount as Model__Repository, the ports it listens on, its probes), the
// restricted security context, and that the InferenceService selects this runtime. KServe's
// conventions come from schemas/kserve-facts.json (each with its source line).
// Usage: node tests/kserve/check-kserve.mjs [RUNTIME.yaml [INFERENCESERVICE.yaml]]
//   (default: deploy/kserve/clusterservingruntime.yaml and inferenceservice-example.yaml of the
//   repository this file is in). One line per check; exits 1 when any fails.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import Ajv from "ajv";

const root = new URL("../../", import.meta.url);
const [runtimeFile = new URL("deploy/kserve/clusterservingruntime.yaml", root).pathname,
  isvcFile = new URL("deploy/kserve/inferenceservice-example.yaml", root).pathname] = process.argv.slice(2);
const json = (path) => JSON.parse(readFileSync(new URL(path, import.meta.url)));
const factsFile = json("./schemas/kserve-facts.json");
const fact = (name) => factsFile.facts[name].value;
const pinnedTag = factsFile.tag;

let failures = 0;
function check(name, problems) {
  const list = [problems].flat().filter(Boolean);
  if (list.length === 0) {
    console.log(`ok    ${name}`);
  } else {
    failures++;
    console.log(`FAIL  ${name}`);
    for (const problem of list) console.log(`        ${problem}`);
  }
}

// --- the schemas, closed
// Every object schema without x-kubernetes-preserve-unknown-fields and without a schema for its
// other keys (a map such as labels or resource limits) accepts only the properties it names.
function closed(node) {
  if (Array.isArray(node)) return node.map(closed);
  if (!node || typeof node !== "object") return node;
  const copy = Object.fromEntries(Object.entries(node).map(([key, value]) =>
    [key, key === "properties" ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, closed(v)])) : closed(value)]));
  if (copy.type === "object" && !copy["x-kubernetes-preserve-unknown-fields"] && copy.additionalProperties === undefined) {
    copy.additionalProperties = false;
    copy.properties ??= {};
  }
  return copy;
}
// metadata is "type: object" in a CRD (the API server checks it itself): the fields a manifest
// may carry, as ObjectMeta has them.
const stringMap = { type: "object", additionalProperties: { type: "string" } };
const metadataSchema = (namespaced) => ({
  type: "object",
  required: ["name"],
  additionalProperties: false,
  properties: {
    name: { type: "string", pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", maxLength: 63 },
    ...(namespaced ? { namespace: { type: "string", pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", maxLength: 63 } } : {}),
    labels: stringMap,
    annotations: stringMap,
  },
});

// The schema reduced to the document's shape before compiling: a property the document does not
// have keeps its name (so additionalProperties: false still knows it) but not its subtree, which
// could not fail on an absent value. The same verdicts as the whole schema; the InferenceService
// CRD's whole schema takes ajv seconds to compile, its reduction milliseconds.
const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
function reduced(schema, values) {
  if (!isObject(schema)) return schema;
  const out = { ...schema };
  const objects = values.filter(isObject);
  if (schema.properties) {
    out.properties = Object.fromEntries(Object.entries(schema.properties).map(([key, sub]) => {
      const present = objects.filter((o) => key in o).map((o) => o[key]);
      return [key, present.length ? reduced(sub, present) : {}];
    }));
  }
  if (isObject(schema.items)) out.items = reduced(schema.items, values.filter(Array.isArray).flat());
  if (isObject(schema.additionalProperties)) {
    const named = new Set(Object.keys(schema.properties ?? {}));
    out.additionalProperties = reduced(schema.additionalProperties,
      objects.flatMap((o) => Object.entries(o).filter(([key]) => !named.has(key)).map(([, v]) => v)));
  }
  return out;
}

const ajv = new Ajv({
  allErrors: true,
  strict: false, // the x-kubernetes-* keywords are annotations for the API server, not for ajv
  formats: {
    int32: { type: "number", validate: (n) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 },
    int64: { type: "number", validate: (n) => Number.isInteger(n) },
    "date-time": true,
  },
});
function schemaFor(file, namespaced) {
  const crd = json(file);
  const schema = closed(crd.openAPIV3Schema);
  schema.properties.metadata = metadataSchema(namespaced);
  schema.properties.apiVersion = { const: `${crd.group}/${crd.version}` };
  schema.properties.kind = { const: crd.kind };
  schema.required = ["apiVersion", "kind", "metadata", "spec"];
  delete schema.properties.status; // written by the controller, never by a manifest
  return { crd, schema };
}
const runtimeSchema = schemaFor("./schemas/clusterservingruntime.v1alpha1.json", false);
const isvcSchema = schemaFor("./schemas/inferenceservice.v1beta1.json", true);

function load(file) {
  const documents = parseAllDocuments(readFileSync(file, "utf8"));
  const errors = documents.flatMap((d) => d.errors.map((e) => e.message));
  if (errors.length) throw new Error(`${file}: ${errors.join("; ")}`);
  const objects = documents.map((d) => d.toJS()).filter(Boolean);
  if (objects.length !== 1) throw new Error(`${file}: ${objects.length} objects, expected one`);
  return { object: objects[0], text: readFileSync(file, "utf8") };
}
function schemaProblems({ schema }, object) {
  const validate = ajv.compile(reduced(schema, [object]));
  return validate(object) ? [] : validate.errors.map((e) =>
  `${e.instancePath || "/"} ${e.message}${e.params?.additionalProperty ? `: ${e.params.additionalProperty}` : ""}${e.params?.allowedValue !== undefined ? ` (${e.params.allowedValue})` : ""}`);
}

const runtime = load(runtimeFile);
const isvc = load(isvcFile);
const rt = runtime.object;
const spec = rt.spec ?? {};

// --- the pinned version
for (const [file, v, { text }] of [[runtimeFile, runtimeSchema, runtime], [isvcFile, isvcSchema, isvc]]) {
  check(`${v.crd.kind}: the schema is KServe ${pinnedTag}'s and the file says it targets ${pinnedTag}`, [
    v.crd.source.tag !== pinnedTag && `the schema comes from ${v.crd.source.tag}, the facts from ${pinnedTag}`,
    !text.includes(`KServe ${pinnedTag}`) && `${file} has no comment naming KServe ${pinnedTag}`,
  ]);
}
check(`ClusterServingRuntime: valid against the CRD schema at ${pinnedTag}, unknown fields refused`, schemaProblems(runtimeSchema, rt));
check(`InferenceService: valid against the CRD schema at ${pinnedTag}, unknown fields refused`, schemaProblems(isvcSchema, isvc.object));

// --- the runtime: formats and protocols
const formats = spec.supportedModelFormats ?? [];
check("runtime: supports the onnx format, and auto-selects nothing (KServe's own ONNX runtime stays the default)", [
  !formats.some((f) => f.name === "onnx") && "no supportedModelFormats entry named onnx",
  ...formats.filter((f) => f.autoSelect !== false).map((f) => `${f.name}: autoSelect is ${f.autoSelect}, not false`),
  ...formats.filter((f) => f.priority !== undefined).map((f) => `${f.name}: a priority, which only matters with autoSelect`),
]);
const protocols = spec.protocolVersions ?? [];
const containers = spec.containers ?? [];
const container = containers.find((c) => c.name === fact("containerName")) ?? {};
const ports = container.ports ?? [];
const isGrpcPort = (p) => fact("grpcPortNameMarkers").some((m) => (p.name ?? "").includes(m));
check("runtime: protocolVersions are KServe's, include v2, and appraise speaks each (not v1; grpc-v2 with an h2c port)", [
  ...protocols.filter((p) => !fact("protocols").includes(p)).map((p) => `${p} is not a KServe protocol (${fact("protocols")})`),
  !protocols.includes("v2") && "v2 (the Open Inference Protocol over REST) is missing",
  ...protocols.filter((p) => p === "v1" || p === "grpc-v1").map((p) => `${p}: appraise does not speak KServe's v1 protocol`),
  protocols.includes("grpc-v2") && !ports.some(isGrpcPort) && "grpc-v2 without a port KServe treats as gRPC",
  new Set(protocols).size !== protocols.length && "a protocol listed twice",
]);

// --- the container: image, env, ports
check(`runtime: one container, named ${fact("containerName")} (the name KServe merges the InferenceService into)`, [
  containers.length !== 1 && `${containers.length} containers`,
  !containers.some((c) => c.name === fact("containerName")) && `no container named ${fact("containerName")}`,
]);
const chartValues = parseAllDocuments(readFileSync(new URL("deploy/helm/appraise/values.yaml", root), "utf8"))[0].toJS();
const chart = parseAllDocuments(readFileSync(new URL("deploy/helm/appraise/Chart.yaml", root), "utf8"))[0].toJS();
const expectedImage = `${chartValues.image.repository}:${chart.appVersion}`;
check(`runtime: the image is the chart's, at the chart's appVersion (${expectedImage})`,
  container.image !== expectedImage && `image ${container.image}`);

const env = container.env ?? [];
const envValue = (name) => env.find((e) => e.name === name)?.value;
const httpPort = ports[0] ?? {};
const grpcPort = ports.find(isGrpcPort);
const names = env.map((e) => e.name);
check(`runtime: Model__Repository is the storage initializer's mount, ${fact("modelMountPath")}`,
  envValue("Model__Repository") !== fact("modelMountPath") && `Model__Repository is ${envValue("Model__Repository")}`);
check("runtime: no setting given twice", names.filter((n, i) => names.indexOf(n) !== i).map((n) => `${n} twice`));
check("runtime: the first port is REST (KServe's Service port 80 and default probe go to it), named http1, where ASPNETCORE_HTTP_PORTS listens", [
  ports.length === 0 && "no ports",
  httpPort.name !== "http1" && `the first port is named ${httpPort.name}`,
  isGrpcPort(httpPort) && "the first port has a gRPC name",
  String(httpPort.containerPort) !== envValue("ASPNETCORE_HTTP_PORTS") && `containerPort ${httpPort.containerPort}, ASPNETCORE_HTTP_PORTS ${envValue("ASPNETCORE_HTTP_PORTS")}`,
]);
check("runtime: the gRPC port is named h2c (KServe gives it appProtocol kubernetes.io/h2c) and is where Grpc__Port listens", [
  !grpcPort && "no port named h2c",
  grpcPort && grpcPort.name !== "h2c" && `named ${grpcPort.name}`,
  grpcPort && String(grpcPort.containerPort) !== envValue("Grpc__Port") && `containerPort ${grpcPort.containerPort}, Grpc__Port ${envValue("Grpc__Port")}`,
  ports.length !== 2 && `${ports.length} ports, expected REST and gRPC`,
]);
check(`runtime: no port KServe's agent takes (${fact("agentPort")}) and no port twice`, [
  ports.some((p) => p.containerPort === fact("agentPort")) && `port ${fact("agentPort")} is KServe's logger/batcher agent`,
  new Set(ports.map((p) => p.containerPort)).size !== ports.length && "a port twice",
]);
const keyEnv = env.find((e) => e.name === "Auth__ApiKeys__0");
const secretish = /key|password|secret|connectionstring|token/i;
check("runtime: the API key comes from a Secret (valueFrom.secretKeyRef), and no secret has a value in the file", [
  !keyEnv && "no Auth__ApiKeys__0",
  keyEnv && keyEnv.value !== undefined && "Auth__ApiKeys__0 has a literal value",
  keyEnv && !(keyEnv.valueFrom?.secretKeyRef?.name && keyEnv.valueFrom?.secretKeyRef?.key) && "Auth__ApiKeys__0 is not from a secretKeyRef with a name and a key",
  keyEnv?.valueFrom?.secretKeyRef?.optional === true && "the key Secret is optional: a pod without it would serve nobody",
  ...env.filter((e) => secretish.test(e.name) && e.value !== undefined).map((e) => `${e.name} has a literal value`),
]);
check(`runtime: ASPNETCORE_ENVIRONMENT is not Development (its dev key would be accepted)`,
  envValue("ASPNETCORE_ENVIRONMENT") === "Development" && "ASPNETCORE_ENVIRONMENT=Development");

// --- probes
const onHttpPort = (probe) => probe?.httpGet && (probe.httpGet.port === httpPort.name || probe.httpGet.port === httpPort.containerPort);
const probeProblems = (kind, paths) => {
  const probe = container[kind];
  if (!probe) return [`no ${kind}`];
  return [
    !probe.httpGet && `${kind} is not an HTTP GET`,
    probe.httpGet && !paths.includes(probe.httpGet.path) && `${kind} on ${probe.httpGet.path}, expected ${paths.join(" or ")}`,
    probe.httpGet && !onHttpPort(probe) && `${kind} on port ${probe.httpGet.port}, not the REST port`,
  ];
};
check("runtime: readiness on /v2/health/ready (the default model serves, not draining), on the REST port", probeProblems("readinessProbe", ["/v2/health/ready", "/readyz"]));
check("runtime: liveness (and start-up) on /healthz: a draining or loading pod is not killed", [
  ...probeProblems("livenessProbe", ["/healthz"]),
  ...(container.startupProbe ? probeProblems("startupProbe", ["/healthz"]) : []),
]);

// --- the restricted Pod Security Standard (no pod-level securityContext in a runtime)
const sc = container.securityContext ?? {};
check("runtime: restricted security context (non-root, no privilege escalation, drop ALL, RuntimeDefault seccomp)", [
  sc.runAsNonRoot !== true && "runAsNonRoot is not true",
  sc.runAsUser === 0 && "runAsUser 0",
  sc.allowPrivilegeEscalation !== false && "allowPrivilegeEscalation is not false",
  sc.privileged === true && "privileged",
  !(sc.capabilities?.drop ?? []).includes("ALL") && "capabilities.drop lacks ALL",
  (sc.capabilities?.add ?? []).length > 0 && `capabilities added: ${sc.capabilities.add}`,
  !["RuntimeDefault", "Localhost"].includes(sc.seccompProfile?.type) && `seccompProfile.type ${sc.seccompProfile?.type}`,
]);
const mounts = container.volumeMounts ?? [];
const volumes = spec.volumes ?? [];
const mountPath = fact("modelMountPath");
check("runtime: a read-only root filesystem with writable /tmp and /data from the runtime's own emptyDir volumes", [
  sc.readOnlyRootFilesystem !== true && "readOnlyRootFilesystem is not true",
  ...["/tmp", "/data"].filter((p) => {
    const mount = mounts.find((m) => m.mountPath === p);
    return !mount || mount.readOnly || !volumes.find((v) => v.name === mount.name)?.emptyDir;
  }).map((p) => `${p} is not a writable emptyDir mount`),
]);
check(`runtime: nothing mounted at or under ${mountPath}, and no volume named ${fact("storageVolumeName")} (the storage initializer's)`, [
  ...mounts.filter((m) => m.mountPath === mountPath || m.mountPath.startsWith(`${mountPath}/`) || mountPath.startsWith(`${m.mountPath}/`)).map((m) => `${m.name} at ${m.mountPath}`),
  volumes.some((v) => v.name === fact("storageVolumeName")) && `a volume named ${fact("storageVolumeName")}`,
  ...mounts.filter((m) => !volumes.some((v) => v.name === m.name)).map((m) => `volumeMount ${m.name} has no volume`),
]);

// Quantities as Kubernetes writes them (enough of them for requests and limits).
function quantity(value) {
  const match = /^([0-9.]+)(m|k|M|G|Ki|Mi|Gi|Ti)?$/.exec(String(value));
  if (!match) return NaN;
  const scale = { m: 1e-3, k: 1e3, M: 1e6, G: 1e9, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 }[match[2]] ?? 1;
  return Number(match[1]) * scale;
}
const resources = container.resources ?? {};
check("runtime: requests and limits for cpu and memory, each limit at least its request", ["cpu", "memory"].flatMap((r) => [
  resources.requests?.[r] === undefined && `no ${r} request`,
  resources.limits?.[r] === undefined && `no ${r} limit`,
  quantity(resources.limits?.[r]) < quantity(resources.requests?.[r]) && `${r} limit ${resources.limits[r]} below its request ${resources.requests[r]}`,
]));
const prometheusPort = spec.annotations?.["prometheus.kserve.io/port"];
check("runtime: KServe's metrics annotations point at the REST port's /metrics", [
  prometheusPort !== undefined && prometheusPort !== String(httpPort.containerPort) && `prometheus.kserve.io/port ${prometheusPort}`,
  spec.annotations?.["prometheus.kserve.io/path"] !== undefined && spec.annotations["prometheus.kserve.io/path"] !== "/metrics" && "prometheus.kserve.io/path is not /metrics",
]);

// --- the InferenceService
const model = isvc.object.spec?.predictor?.model ?? {};
const format = model.modelFormat ?? {};
// RuntimeSupportsModel (pkg/apis/serving/v1beta1/predictor_model.go): with the runtime named,
// every supported format counts, as mt:<name> and mt:<name>:<version>.
const labels = new Set(formats.flatMap((f) => [`mt:${f.name}`, ...(f.version ? [`mt:${f.name}:${f.version}`] : [])]));
check(`InferenceService: names the runtime (${rt.metadata?.name}), which supports its model format`, [
  model.runtime !== rt.metadata?.name && `runtime ${model.runtime}`,
  format.name !== "onnx" && `modelFormat ${format.name}`,
  !labels.has(format.version ? `mt:${format.name}:${format.version}` : `mt:${format.name}`) && `the runtime does not list ${format.name}${format.version ? ` version ${format.version}` : ""}`,
]);
check("InferenceService: protocolVersion is one the runtime lists (v2 or grpc-v2)", [
  !["v2", "grpc-v2"].includes(model.protocolVersion) && `protocolVersion ${model.protocolVersion}`,
  !protocols.includes(model.protocolVersion) && `the runtime does not list ${model.protocolVersion}`,
]);
// The storage initializer keeps paths below the prefix for S3, GCS and Azure Blob; a PVC is
// mounted at the same place. Plain http(s) fetches one file, not a repository.
const uri = model.storageUri ?? "";
const repositoryUri = /^(s3|gs|pvc):\/\/[^/]+\/?/.test(uri) || new RegExp(`^${fact("azureBlobUri")}$`).test(uri);
check("InferenceService: storageUri is a prefix KServe downloads as a tree (s3://, gs://, pvc://, Azure Blob)", [
  !fact("storageUriPrefixes").some((p) => uri.startsWith(p)) && `${uri}: not a prefix KServe supports`,
  !repositoryUri && `${uri}: not an S3, GCS, PVC or Azure Blob prefix`,
]);
const name = isvc.object.metadata?.name ?? "";
check("InferenceService: its name is one KServe accepts", !new RegExp(`^${fact("isvcNameFormat")}$`).test(name) && `name ${name}`);
check("InferenceService: Standard deployment mode when the runtime has two ports (Knative allows one)", ports.length > 1 &&
  isvc.object.metadata?.annotations?.[fact("deploymentModeAnnotation")] !== fact("standardDeploymentMode") &&
  `${fact("deploymentModeAnnotation")} is ${isvc.object.metadata?.annotations?.[fact("deploymentModeAnnotation")]}`);
const overridden = ["image", "command", "args", "ports", "readinessProbe", "livenessProbe", "startupProbe", "securityContext"].filter((k) => model[k] !== undefined);
const modelEnv = model.env ?? [];
check("InferenceService: runs the runtime's container as it is (no image, ports, probes or security override; env keeps the mount, ports and key)", [
  ...overridden.map((k) => `predictor.model.${k} overrides the runtime`),
  ...modelEnv.filter((e) => ["Model__Repository", "ASPNETCORE_HTTP_PORTS", "Grpc__Port"].includes(e.name)).map((e) => `env ${e.name} overrides the runtime`),
  ...modelEnv.filter((e) => secretish.test(e.name) && e.value !== undefined).map((e) => `env ${e.name} has a literal value`),
]);

console.log(`${failures === 0 ? "ok" : "FAIL"}: ${failures} check(s) failed`);
process.exit(failures === 0 ? 0 : 1);
