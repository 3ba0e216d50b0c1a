// Asks a real Prometheus, which scrapes a real appraise and has the chart's alert rules loaded,
// whether the dashboard and the alerts can work: the target is up, every metric they name
// exists in the scrape (or comes from the cluster's kube-state-metrics and cAdvisor), every
// expression evaluates without error, and every rule evaluates healthily.
// Usage: node check-prometheus.mjs PROMETHEUS_URL RULES.yaml DASHBOARD.json
import { readFileSync } from "node:fs";
import { parse } from "yaml";

const [base, rulesFile, dashboardFile] = process.argv.slice(2);
// Metrics a cluster provides, not appraise: kube-state-metrics and the kubelet's cAdvisor.
const clusterMetrics = new Set([
  "container_cpu_usage_seconds_total", "container_memory_working_set_bytes",
  "kube_pod_container_resource_requests", "kube_pod_container_resource_limits",
  "kube_pod_container_status_restarts_total", "kube_pod_container_status_waiting_reason",
]);
const variables = { $namespace: "appraise", $service: "appraise", $__rate_interval: "1m" };

async function api(path) {
  const response = await fetch(`${base}/api/v1/${path}`);
  const body = await response.json();
  if (body.status !== "success") throw new Error(`${path}: ${body.error ?? response.status}`);
  return body.data;
}

const alerts = parse(readFileSync(rulesFile, "utf8")).groups.flatMap((g) => g.rules).map((r) => ({ name: `alert ${r.alert}`, expr: r.expr }));
const panels = JSON.parse(readFileSync(dashboardFile, "utf8")).panels.flatMap((p) => (p.targets ?? []).map((t) => ({
  name: `panel "${p.title}" ${t.refId}`,
  expr: Object.entries(variables).reduce((e, [k, v]) => e.replaceAll(k, v), t.expr),
})));
const queries = [...alerts, ...panels];

let passed = 0;
let failed = 0;
const check = (ok, name, detail = "") => {
  ok ? passed++ : failed++;
  console.log(`${ok ? "ok  " : "FAIL"}  ${name}${detail ? `: ${detail}` : ""}`);
};

const targets = (await api("targets")).activeTargets;
check(targets.length > 0 && targets.every((t) => t.health === "up"), "the appraise target is up", targets.map((t) => `${t.scrapeUrl} ${t.health} ${t.lastError}`).join("; "));

const present = new Set(await api("label/__name__/values"));
const named = new Set(queries.flatMap((q) => [...q.expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{/g)].map((m) => m[1])));
for (const name of [...named].sort()) {
  if (clusterMetrics.has(name)) {
    console.log(`skip  metric ${name}: provided by kube-state-metrics or cAdvisor in a cluster`);
    continue;
  }
  check(present.has(name), `metric ${name} is in the scrape`);
}

for (const query of queries) {
  try {
    const data = await api(`query?query=${encodeURIComponent(query.expr)}`);
    check(true, `${query.name} evaluates`, `${data.result.length} series`);
  } catch (error) {
    check(false, `${query.name} evaluates`, error.message);
  }
}

const rules = (await api("rules")).groups.flatMap((g) => g.rules);
check(rules.length === alerts.length, `all ${alerts.length} alert rules are loaded`, `${rules.length} loaded`);
for (const rule of rules) {
  check(rule.health === "ok" && !rule.lastError, `rule ${rule.name} evaluates healthily`, rule.lastError ?? rule.health);
}

console.log(`prometheus: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
