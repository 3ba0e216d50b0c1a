// The client label NOTES tell users to set is one the rendered NetworkPolicy admits. Reads
// `helm install --dry-run=client` output (manifests, then NOTES), takes "pods labelled KEY=VALUE"
// from the NOTES, puts a pod with exactly that label in the app's namespace and asks the
// evaluator (netpol.mjs) whether it reaches the app's http port.
// Usage: node tests/chart/check-notes-client-label.mjs DRY_RUN_OUTPUT
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { Cluster } from "./netpol.mjs";

const text = readFileSync(process.argv[2], "utf8");
const [manifests, notes = ""] = text.split(/^NOTES:$/m);
const label = /pods labelled (\S+?)=(\S+)/.exec(notes);
if (!label) {
  console.log("FAIL  NOTES name no client label");
  process.exit(1);
}
const objects = parseAllDocuments(manifests.replace(/^[\s\S]*?^MANIFEST:$/m, "")).map((d) => d.toJSON()).filter((o) => o?.kind);
const deployment = objects.find((o) => o.kind === "Deployment");
const namespace = deployment.metadata.namespace;
const cluster = new Cluster();
cluster.namespace(namespace);
objects.filter((o) => o.kind === "NetworkPolicy").forEach((p) => cluster.add(p));
const app = cluster.pod({ namespace, labels: deployment.spec.template.metadata.labels, ip: "10.244.1.10", ports: deployment.spec.template.spec.containers.flatMap((c) => c.ports ?? []) });
const client = cluster.pod({ namespace, labels: { [label[1]]: label[2] }, ip: "10.244.1.11" });
const ok = cluster.allows(client, app, "http", "TCP");
console.log(`${ok ? "ok  " : "FAIL"}  a pod labelled ${label[1]}=${label[2]} (as NOTES say) ${ok ? "reaches" : "does not reach"} the app`);
process.exit(ok ? 0 : 1);
