// Joins two renderings for `podman kube play`, which publishes each containerPort on the host (so
// stable and canary, one containerPort in the chart, cannot both listen on it): everything of
// STABLE.yaml but the canary Deployment, then the canary Deployment of CANARY.yaml (the same
// values rendered with another containerPort) with its ConfigMaps. Both are split.mjs's APP output.
// Usage: node tracks.mjs STABLE.yaml CANARY.yaml CANARY_DEPLOYMENT_NAME > OUT.yaml
import { readFileSync } from "node:fs";
import { parseAllDocuments, stringify } from "yaml";

const [stable, canary, name] = process.argv.slice(2);
const read = (f) => parseAllDocuments(readFileSync(f, "utf8")).map((d) => d.toJSON()).filter(Boolean);
const isCanary = (o) => o.kind === "Deployment" && o.metadata.name === name;
const picked = read(canary).filter(isCanary);
if (picked.length !== 1) throw new Error(`no Deployment ${name} in ${canary}`);
// podman 4.3 makes an emptyDir a named volume of the volume's name, so two pods would share one
// (the kubelet gives each pod its own): the canary's emptyDirs get names of their own.
const spec = picked[0].spec.template.spec;
const renamed = new Set((spec.volumes ?? []).filter((v) => v.emptyDir).map((v) => v.name));
for (const v of spec.volumes ?? []) if (renamed.has(v.name)) v.name = `${v.name}-canary`;
for (const c of [...(spec.initContainers ?? []), ...spec.containers])
  for (const m of c.volumeMounts ?? []) if (renamed.has(m.name)) m.name = `${m.name}-canary`;
// The ConfigMap carries the port (ASPNETCORE_HTTP_PORTS): the canary takes its own rendering's,
// under a name of its own.
const canaryObjects = read(canary);
const maps = [];
const own = (ref) => {
  if (!ref?.name) return;
  const map = canaryObjects.find((o) => o.kind === "ConfigMap" && o.metadata.name === ref.name);
  if (!map) return;
  if (!maps.some((m) => m.metadata.name === `${ref.name}-canary`)) maps.push({ ...map, metadata: { ...map.metadata, name: `${ref.name}-canary` } });
  ref.name = `${ref.name}-canary`;
};
for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
  for (const e of c.envFrom ?? []) own(e.configMapRef);
  for (const e of c.env ?? []) own(e.valueFrom?.configMapKeyRef);
}
for (const v of spec.volumes ?? []) own(v.configMap);
const objects = [...read(stable).filter((o) => !isCanary(o)), ...maps, ...picked];
process.stdout.write(objects.map((o) => stringify(o)).join("---\n"));
