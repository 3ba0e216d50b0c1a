// Checks the Alertmanager part of kube-prometheus-stack values against the facts of the pinned
// Alertmanager (schemas/third-party-apis.json): only known keys in msteamsv2_configs, no retired
// msteams_configs, and every *_file a receiver reads lies in a Secret the values mount through
// alertmanagerSpec.secrets (else Alertmanager cannot send). Writes the Alertmanager config to
// OUT for amtool check-config.
// Usage: node check-alertmanager-values.mjs VALUES.yaml OUT.yaml
import { readFileSync, writeFileSync } from "node:fs";
import { parse, stringify } from "yaml";

const [valuesFile, out] = process.argv.slice(2);
const facts = JSON.parse(readFileSync(new URL("./schemas/third-party-apis.json", import.meta.url))).alertmanager;
const values = parse(readFileSync(valuesFile, "utf8"));
const config = values.alertmanager.config;
const mounted = values.alertmanager.alertmanagerSpec?.secrets ?? [];
const problems = [];
for (const receiver of config.receivers ?? []) {
  for (const [kind, entries] of Object.entries(receiver)) {
    if (kind === "name") continue;
    if (facts.retired[kind]) problems.push(`${receiver.name}: ${kind}: ${facts.retired[kind]}`);
    for (const entry of entries ?? []) {
      const known = facts.receiverKeys[kind];
      for (const key of Object.keys(entry)) {
        if (known && !known.includes(key)) problems.push(`${receiver.name}: ${kind}.${key} is not a field of Alertmanager v0.34.0`);
        if (key.endsWith("_file")) {
          const secret = entry[key].startsWith(facts.secretsMount) ? entry[key].slice(facts.secretsMount.length).split("/")[0] : null;
          if (!secret || !mounted.includes(secret)) problems.push(`${receiver.name}: ${kind}.${key} ${entry[key]} is not in a Secret listed in alertmanager.alertmanagerSpec.secrets`);
        }
      }
    }
  }
}
problems.forEach((p) => console.log(`FAIL  ${p}`));
writeFileSync(out, stringify(config));
console.log(`${config.receivers.length} receivers, ${problems.length} problems`);
process.exit(problems.length === 0 ? 0 : 1);
