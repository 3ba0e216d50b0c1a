// Checks a rendering with a canary (static or Flagger) against what the traffic split needs: the
// HTTPRoute's weights, the canary's pins, and that every selector picks the pods it should: the
// stable Service and Deployment never a canary pod (or the split is not what the weights say), the
// canary's never a stable pod, the NetworkPolicy, ServiceMonitor and PodDisruptionBudget both
// tracks. Selectors are matched against the rendered pod templates' labels.
// Usage: node check-canary.mjs RENDERED.yaml static STABLE_WEIGHT CANARY_WEIGHT MODEL=VERSION
//        node check-canary.mjs RENDERED.yaml flagger
// Prints one line per check; exits 1 when any fails.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const [file, mode, ...args] = process.argv.slice(2);
const objects = parseAllDocuments(readFileSync(file, "utf8")).map((d) => d.toJSON()).filter(Boolean);
const of = (kind) => objects.filter((o) => o.kind === kind);
let failures = 0;
const check = (name, ok) => { if (!ok) failures++; console.log(`${ok ? "ok  " : "FAIL"}  ${name}`); };

// A label selector (matchLabels and matchExpressions, or a Service's plain map) against labels.
function selects(selector, labels) {
  if (!selector) return false;
  const plain = !selector.matchLabels && !selector.matchExpressions;
  const matchLabels = plain ? selector : selector.matchLabels ?? {};
  if (!Object.entries(matchLabels).every(([k, v]) => labels[k] === v)) return false;
  return (selector.matchExpressions ?? []).every((e) => {
    const has = Object.hasOwn(labels, e.key);
    switch (e.operator) {
      case "In": return has && e.values.includes(labels[e.key]);
      case "NotIn": return !has || !e.values.includes(labels[e.key]);
      case "Exists": return has;
      case "DoesNotExist": return !has;
      default: throw new Error(`operator ${e.operator}`);
    }
  });
}
const podLabels = (d) => d.spec.template.metadata.labels;
const envOf = (d) => Object.fromEntries(d.spec.template.spec.containers[0].env?.map((e) => [e.name, e.value]) ?? []);
const isCanary = (name) => /-canary$/.test(name);

if (mode === "static") {
  const [stableWeight, canaryWeight, pin] = args;
  const deployments = of("Deployment");
  const stable = deployments.find((d) => !isCanary(d.metadata.name));
  const canary = deployments.find((d) => isCanary(d.metadata.name));
  const services = of("Service");
  const stableService = services.find((s) => s.metadata.name === stable?.metadata.name);
  const canaryService = services.find((s) => s.metadata.name === canary?.metadata.name);
  check("a stable and a canary Deployment, each with its Service", stable && canary && stableService && canaryService);
  if (!(stable && canary && stableService && canaryService)) process.exit(1);
  const route = of("HTTPRoute").find((r) => r.metadata.name === stable.metadata.name);
  const refs = route?.spec.rules.flatMap((r) => r.backendRefs ?? []) ?? [];
  const weightOf = (name) => refs.filter((b) => b.name === name).map((b) => b.weight);
  check(`HTTPRoute: ${stableService.metadata.name} weight ${stableWeight}, ${canaryService.metadata.name} weight ${canaryWeight} in every rule`,
    route && route.spec.rules.every((r) => r.backendRefs.length === 2) &&
    weightOf(stableService.metadata.name).every((w) => w === Number(stableWeight)) && weightOf(stableService.metadata.name).length > 0 &&
    weightOf(canaryService.metadata.name).every((w) => w === Number(canaryWeight)) && weightOf(canaryService.metadata.name).length > 0);
  const [model, version] = pin.split("=");
  check(`the canary pins ${model} to ${version} (Model__Pins__${model}), the stable track does not`,
    envOf(canary)[`Model__Pins__${model}`] === version && envOf(stable)[`Model__Pins__${model}`] !== version);
  check("the stable Service selects the stable pods and no canary pod",
    selects(stableService.spec.selector, podLabels(stable)) && !selects(stableService.spec.selector, podLabels(canary)));
  check("the canary Service selects the canary pods and no stable pod",
    selects(canaryService.spec.selector, podLabels(canary)) && !selects(canaryService.spec.selector, podLabels(stable)));
  check("the two Deployments' selectors share no pod (each matches its own template only)",
    selects(stable.spec.selector, podLabels(stable)) && !selects(stable.spec.selector, podLabels(canary)) &&
    selects(canary.spec.selector, podLabels(canary)) && !selects(canary.spec.selector, podLabels(stable)));
  const policies = of("NetworkPolicy");
  check("the NetworkPolicy applies to both tracks' pods",
    policies.length > 0 && policies.every((p) => selects(p.spec.podSelector, podLabels(stable)) && selects(p.spec.podSelector, podLabels(canary))));
  for (const monitor of of("ServiceMonitor")) {
    check("the ServiceMonitor scrapes both Services (error rate and latency per track)",
      selects(monitor.spec.selector, stableService.metadata.labels) && selects(monitor.spec.selector, canaryService.metadata.labels));
  }
  for (const pdb of of("PodDisruptionBudget")) {
    const own = isCanary(pdb.metadata.name) ? canary : stable, other = own === stable ? canary : stable;
    check(`PodDisruptionBudget ${pdb.metadata.name} covers its own track only`, selects(pdb.spec.selector, podLabels(own)) && !selects(pdb.spec.selector, podLabels(other)));
  }
  for (const hpa of of("HorizontalPodAutoscaler")) check("the HPA scales the stable Deployment", hpa.spec.scaleTargetRef.name === stable.metadata.name);
} else if (mode === "flagger") {
  const [canaryObject] = of("Canary");
  const target = of("Deployment").find((d) => d.metadata.name === canaryObject?.spec.targetRef.name);
  check("a Canary whose targetRef is the rendered Deployment", canaryObject && target);
  if (!target) process.exit(1);
  const templates = new Set(of("MetricTemplate").map((t) => t.metadata.name));
  check("every analysis metric names a rendered MetricTemplate", canaryObject.spec.analysis.metrics.every((m) => templates.has(m.templateRef?.name)));
  const name = canaryObject.spec.service.name ?? canaryObject.metadata.name;
  check(`no chart Service or HTTPRoute named ${name} (Flagger owns them)`,
    !of("Service").some((s) => s.metadata.name === name) && !of("HTTPRoute").some((r) => r.metadata.name === name));
  // Flagger's primary: the same template with the selector label's value suffixed -primary
  // (pkg/canary/deployment_controller.go, v1.44.0; app.kubernetes.io/name is in its -selector-labels).
  const primary = { ...podLabels(target), "app.kubernetes.io/name": `${podLabels(target)["app.kubernetes.io/name"]}-primary` };
  const policies = of("NetworkPolicy");
  check("the NetworkPolicy applies to the primary's and the canary's pods",
    policies.length > 0 && policies.every((p) => selects(p.spec.podSelector, primary) && selects(p.spec.podSelector, podLabels(target))));
  for (const pdb of of("PodDisruptionBudget")) check("the PodDisruptionBudget covers the primary's pods", selects(pdb.spec.selector, primary));
  const service = canaryObject.spec.service;
  for (const monitor of of("ServiceMonitor")) {
    check("the ServiceMonitor selects Flagger's primary and canary Services (by the labels the Canary gives them), not its apex",
      selects(monitor.spec.selector, service.primary?.labels ?? {}) && selects(monitor.spec.selector, service.canary?.labels ?? {}) &&
      !selects(monitor.spec.selector, service.apex?.labels ?? {}));
  }
} else {
  throw new Error("mode: static or flagger");
}
console.log(`${failures} failed`);
process.exit(failures === 0 ? 0 : 1);
