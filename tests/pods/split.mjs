// Splits `helm template` output for `podman kube play`: the objects podman runs (Secret,
// ConfigMap, PersistentVolumeClaim, Deployment), after the user's own objects, into APP; the helm
// test pod into TEST. Prints what it left out (podman has no Service, NetworkPolicy, HPA...).
// Usage: node split.mjs RENDERED.yaml USER_OBJECTS.yaml APP.yaml TEST.yaml
import { readFileSync, writeFileSync } from "node:fs";
import { parseAllDocuments, stringify } from "yaml";

const [rendered, user, app, test] = process.argv.slice(2);
const read = (f) => parseAllDocuments(readFileSync(f, "utf8")).map((d) => d.toJSON()).filter(Boolean);
const played = ["Secret", "ConfigMap", "PersistentVolumeClaim", "Deployment"];
const objects = read(rendered);
const isTest = (o) => o.kind === "Pod" && o.metadata.annotations?.["helm.sh/hook"] === "test";
const keep = [...read(user), ...objects.filter((o) => played.includes(o.kind))];
const left = objects.filter((o) => !played.includes(o.kind) && !isTest(o)).map((o) => `${o.kind}/${o.metadata.name}`);
writeFileSync(app, keep.map((o) => stringify(o)).join("---\n"));
writeFileSync(test, objects.filter(isTest).map((o) => stringify(o)).join("---\n"));
console.log(`podman runs: ${keep.map((o) => `${o.kind}/${o.metadata.name}`).join(", ")}; left to evaluation: ${left.join(", ")}`);
