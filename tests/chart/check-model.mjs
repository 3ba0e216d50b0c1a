// Checks the model settings of a rendered Deployment: each expected environment variable (a value,
// or "secret:NAME/KEY" for a secretKeyRef), no Model__* variable that was not expected (unset
// values set nothing), and, when Model__CacheDirectory is set, that it is the mount of a writable
// emptyDir with a sizeLimit while the root filesystem stays read-only.
// Usage: node check-model.mjs RENDERED.yaml NAME=VALUE...   Exits 1 when any check fails.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const [file, ...expected] = process.argv.slice(2);
const objects = parseAllDocuments(readFileSync(file, "utf8")).map((d) => d.toJSON()).filter(Boolean);
const deployment = objects.find((o) => o.kind === "Deployment" && !o.metadata.name.endsWith("-canary"));
const pod = deployment.spec.template.spec;
const container = pod.containers.find((c) => c.name === "appraise");
const env = Object.fromEntries((container.env ?? []).map((e) => [e.name,
  e.valueFrom?.secretKeyRef ? `secret:${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}` : e.value]));
let failures = 0;
const check = (name, ok) => { if (!ok) failures++; console.log(`${ok ? "ok  " : "FAIL"}  ${name}`); };

const wanted = Object.fromEntries(expected.map((e) => e.split(/=(.*)/s).slice(0, 2)));
for (const [name, value] of Object.entries(wanted)) check(`${name}=${value} (got ${env[name]})`, env[name] === value);
const extra = Object.keys(env).filter((n) => /^(Model__|Auth__AdminKeys__)/.test(n) && !(n in wanted));
check(`no other model setting (${extra.join(", ") || "none"})`, extra.length === 0);
if ("Model__CacheDirectory" in wanted) {
  const mount = container.volumeMounts.find((m) => m.mountPath === env.Model__CacheDirectory);
  const volume = mount && pod.volumes.find((v) => v.name === mount.name);
  check(`Model__CacheDirectory ${env.Model__CacheDirectory} is a writable emptyDir mount with a sizeLimit`,
    Boolean(volume?.emptyDir?.sizeLimit) && !mount.readOnly);
}
check("the root filesystem is read-only", container.securityContext?.readOnlyRootFilesystem === true);
console.log(`${failures} failed`);
process.exit(failures === 0 ? 0 : 1);
