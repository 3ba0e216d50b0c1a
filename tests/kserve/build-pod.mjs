// Builds the predictor Pod KServe v0.20.0's controller and storage-initializer webhook would make
// from the ClusterServingRuntime and an InferenceService, for `podman kube play`:
//   - the runtime's kserve-container, its {{.Name}}-style placeholders filled from the
//     InferenceService's metadata (isvcutils.ReplacePlaceholders: a Go template over ObjectMeta),
//     the InferenceService's predictor.model env, resources and args merged in
//     (isvcutils.MergeRuntimeContainers: the InferenceService wins, args are appended);
//   - the runtime's volumes (isvcutils.MergePodSpec);
//   - the storage volume kserve-provision-location at /mnt/models, read-only (the webhook's
//     default), which the storage initializer fills from storageUri. Here it is a hostPath holding
//     the local copy of what the storage initializer would have downloaded.
// Then, for the harness only (each printed to stderr): the local image, never pulled, and a
// hostPort for each port so the test reaches the pod on loopback.
// The API key Secret KServe users create is written beside the Pod in the form podman 4.3 reads an
// env secretKeyRef from: a podman secret holding a JSON map of keys to base64 values (`podman
// secret create NAME OUT.secret.json`); a Secret played from YAML is stored as YAML, which it
// cannot read. The key comes from $APPRAISE_KSERVE_KEY, never an argument.
// Usage: [APPRAISE_KSERVE_SECRET=name] APPRAISE_KSERVE_KEY=... \
//          node build-pod.mjs RUNTIME.yaml ISVC.yaml MODELS_DIR IMAGE OUT HOST_PORT...
//   writes OUT.yaml (the Pod) and OUT.secret.json; HOST_PORTs in the order of the container's
//   ports; prints the Secret's name.
import { readFileSync, writeFileSync } from "node:fs";
import { parse, stringify } from "yaml";

const [runtimeFile, isvcFile, modelsDir, image, out, ...hostPorts] = process.argv.slice(2);
const key = process.env.APPRAISE_KSERVE_KEY;
if (!runtimeFile || !isvcFile || !modelsDir || !image || !out || !key) {
  console.error("usage: APPRAISE_KSERVE_KEY=... node build-pod.mjs RUNTIME.yaml ISVC.yaml MODELS_DIR IMAGE OUT HOST_PORT...");
  process.exit(2);
}
const facts = JSON.parse(readFileSync(new URL("./schemas/kserve-facts.json", import.meta.url))).facts;
const runtime = parse(readFileSync(runtimeFile, "utf8"));
const isvc = parse(readFileSync(isvcFile, "utf8"));
const note = (text) => console.error(`build-pod: ${text}`);

// ReplacePlaceholders: the container, as JSON, is a Go template executed over the
// InferenceService's ObjectMeta. The fields a runtime can sensibly use.
function fillPlaceholders(container, meta) {
  const text = JSON.stringify(container).replace(/\{\{\s*\.(\w+)(?:\.(\w[\w.-]*))?\s*\}\}/g, (whole, field, key) => {
    const value = key ? meta[field.toLowerCase()]?.[key] : meta[field.charAt(0).toLowerCase() + field.slice(1)];
    if (value === undefined) throw new Error(`placeholder ${whole}: ${field}${key ? `.${key}` : ""} is not in the InferenceService's metadata`);
    return String(value);
  });
  if (text.includes("{{")) throw new Error("a placeholder this builder does not fill");
  return JSON.parse(text);
}

const runtimeContainer = runtime.spec.containers.find((c) => c.name === facts.containerName.value);
if (!runtimeContainer) throw new Error(`the runtime has no ${facts.containerName.value}`);
const container = fillPlaceholders(runtimeContainer, isvc.metadata);

// MergeRuntimeContainers, for the fields an InferenceService's model may add here.
const { modelFormat, runtime: runtimeName, protocolVersion, storageUri, env = [], resources, args = [], ...rest } = isvc.spec.predictor.model;
if (Object.keys(rest).length) throw new Error(`predictor.model fields this builder does not merge: ${Object.keys(rest)}`);
if (runtimeName !== runtime.metadata.name) throw new Error(`the InferenceService names runtime ${runtimeName}`);
for (const variable of env) {
  container.env = (container.env ?? []).filter((e) => e.name !== variable.name).concat(variable);
}
if (resources) container.resources = { ...container.resources, ...resources };
if (args.length) container.args = [...(container.args ?? []), ...args];
note(`${isvc.metadata.name}: ${modelFormat.name} model from ${storageUri} (${protocolVersion}), runtime ${runtimeName}`);

// The storage initializer's volume, filled here from MODELS_DIR instead of from storageUri.
const storageVolume = facts.storageVolumeName.value;
container.volumeMounts = [...(container.volumeMounts ?? []),
  { name: storageVolume, mountPath: facts.modelMountPath.value, readOnly: facts.storageReadOnlyByDefault.value }];
const volumes = [...(runtime.spec.volumes ?? []), { name: storageVolume, hostPath: { path: modelsDir, type: "Directory" } }];
note(`${storageVolume} at ${facts.modelMountPath.value}: hostPath ${modelsDir} in place of the storage initializer's emptyDir`);

// The harness's own changes.
container.image = image;
container.imagePullPolicy = "Never";
note(`image ${image}, never pulled`);
(container.ports ?? []).forEach((port, i) => {
  if (!hostPorts[i]) throw new Error(`no host port for ${port.name}`);
  port.hostPort = Number(hostPorts[i]);
  note(`port ${port.name} ${port.containerPort} published on 127.0.0.1:${port.hostPort}`);
});

const keyRef = container.env.find((e) => e.name === "Auth__ApiKeys__0")?.valueFrom?.secretKeyRef;
if (!keyRef) throw new Error("the container takes no API key from a Secret");
// podman keeps a played Secret as a podman secret, one namespace for the whole host: a name of
// the harness's own ($APPRAISE_KSERVE_SECRET) keeps it apart from other stages' Secrets.
if (process.env.APPRAISE_KSERVE_SECRET) {
  note(`Secret ${keyRef.name} renamed ${process.env.APPRAISE_KSERVE_SECRET}`);
  keyRef.name = process.env.APPRAISE_KSERVE_SECRET;
}
const secretData = { [keyRef.key]: Buffer.from(key).toString("base64") };
const pod = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: `${isvc.metadata.name}-predictor`, labels: { app: `isvc.${isvc.metadata.name}-predictor` } },
  spec: { containers: [container], volumes, restartPolicy: "Always" },
};
writeFileSync(`${out}.yaml`, stringify(pod));
writeFileSync(`${out}.secret.json`, JSON.stringify(secretData), { mode: 0o600 });
console.log(keyRef.name);
