// Runs the rendered Flagger MetricTemplates' queries on a real Prometheus that scrapes a real
// appraise, as Flagger v1.44.0 would (pkg/metrics/providers/prometheus.go): the template variables
// filled in, and the answer must be exactly one sample that is a number (an empty result or NaN
// is ErrNoValuesFound there, a failed check that would roll every canary back).
// Usage: node check-flagger-queries.mjs PROMETHEUS_URL RENDERED.yaml NAMESPACE TARGET INTERVAL
// (INTERVAL stands for the analysis interval: a window that holds the test's traffic.)
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const [base, file, namespace, target, interval] = process.argv.slice(2);
const templates = parseAllDocuments(readFileSync(file, "utf8")).map((d) => d.toJSON()).filter((o) => o?.kind === "MetricTemplate");
const variables = { namespace, target, interval, name: target, service: target };
let failures = 0;
for (const t of templates) {
  const query = t.spec.query.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, v) => variables[v] ?? `<unknown variable ${v}>`);
  const body = await (await fetch(`${base}/api/v1/query?query=${encodeURIComponent(query)}`)).json();
  const result = body.data?.result ?? [];
  const value = result.length === 1 ? Number(result[0].value[1]) : NaN;
  const ok = body.status === "success" && result.length === 1 && Number.isFinite(value);
  if (!ok) failures++;
  console.log(`${ok ? "ok  " : "FAIL"}  ${t.metadata.name}: ${body.status === "success" ? `${result.length} sample(s), value ${value}` : body.error}`);
}
console.log(`${templates.length} templates, ${failures} failed`);
process.exit(failures === 0 && templates.length > 0 ? 0 : 1);
