// Prints "SECRET<TAB>FILE<TAB>BASE64" for every file the kubelet would write into each Secret
// volume of the pods in a YAML file: every data key, or only the volume's items (key -> path)
// when it lists some. podman 4.3 writes the values still base64-encoded and ignores items; the
// harness writes these files itself, decoded, as the kubelet would.
// Usage: node secrets.mjs FILE.yaml
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const objects = parseAllDocuments(readFileSync(process.argv[2], "utf8")).map((d) => d.toJSON()).filter(Boolean);
const secrets = Object.fromEntries(objects.filter((o) => o.kind === "Secret").map((o) => [o.metadata.name, o.data ?? {}]));
const podSpecs = objects.flatMap((o) => (o.kind === "Deployment" ? [o.spec.template.spec] : o.kind === "Pod" ? [o.spec] : []));
for (const volume of podSpecs.flatMap((s) => s.volumes ?? []).filter((v) => v.secret)) {
  const data = secrets[volume.secret.secretName];
  if (!data) throw new Error(`no Secret ${volume.secret.secretName} in ${process.argv[2]}`);
  const files = volume.secret.items ?? Object.keys(data).map((key) => ({ key, path: key }));
  for (const { key, path } of files) {
    if (data[key] === undefined) throw new Error(`Secret ${volume.secret.secretName} has no key ${key}`);
    console.log(`${volume.secret.secretName}\t${path}\t${data[key]}`);
  }
}
