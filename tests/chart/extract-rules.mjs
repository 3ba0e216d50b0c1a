// Writes the rule groups of the PrometheusRule objects in rendered manifests as a plain
// Prometheus rules file, for promtool and a real Prometheus.
// Usage: node extract-rules.mjs RENDERED.yaml > rules.yaml
import { readFileSync } from "node:fs";
import { parseAllDocuments, stringify } from "yaml";

const groups = parseAllDocuments(readFileSync(process.argv[2], "utf8"))
  .map((d) => d.toJSON())
  .filter((o) => o?.kind === "PrometheusRule")
  .flatMap((o) => o.spec.groups);
if (groups.length === 0) {
  console.error("no PrometheusRule found");
  process.exit(1);
}
process.stdout.write(stringify({ groups }));
