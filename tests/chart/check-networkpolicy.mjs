// Evaluates the NetworkPolicies of rendered manifests (netpol.mjs) in a model cluster built from
// the same manifests: the app's pod (Deployment template) and the helm test pod as rendered, plus
// the peers around them as the platform runs them (Envoy Gateway proxies, Prometheus, CoreDNS, an
// Ingress controller, an OTLP collector, pods of other namespaces, outside addresses).
// Usage: node check-networkpolicy.mjs RENDERED.yaml "SOURCE->DEST:PORT[/PROTO] allow|deny" ...
// Peers: app, canary (the canary Deployment's pod), test, gateway, gateway-other (a proxy of another Gateway in the same namespace),
// ingress-controller, prometheus, dns, otlp, neighbour (same namespace, no client label),
// intruder (another namespace, even with the client label), lb-client and internet (outside
// addresses), database (first databaseCidrs address, or 10.0.99.5). Prints one line per check;
// exits 1 when any expectation fails.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { Cluster } from "./netpol.mjs";

const [file, ...expectations] = process.argv.slice(2);
const objects = parseAllDocuments(readFileSync(file, "utf8")).map((d) => d.toJSON()).filter(Boolean);
// "app" is the stable Deployment's pod; "canary" the canary Deployment's (canary.enabled), if any.
const deployments = objects.filter((o) => o.kind === "Deployment");
const deployment = deployments.find((o) => !o.metadata.name.endsWith("-canary"));
const canaryDeployment = deployments.find((o) => o.metadata.name.endsWith("-canary"));
const testPod = objects.find((o) => o.kind === "Pod" && o.metadata.annotations?.["helm.sh/hook"] === "test");
const policies = objects.filter((o) => o.kind === "NetworkPolicy");
const namespace = deployment.metadata.namespace;
const firstHost = (cidr) => cidr.replace(/\.0\/\d+$/, ".5").replace(/::\/\d+$/, "::5");
const databaseCidr = policies.flatMap((p) => p.spec.egress ?? []).flatMap((r) => r.to ?? []).find((t) => t.ipBlock && !t.ipBlock.cidr.endsWith("/0"))?.ipBlock.cidr;

const cluster = new Cluster();
cluster.namespace(namespace).namespace("envoy-gateway-system").namespace("monitoring").namespace("kube-system").namespace("ingress-system").namespace("other");
policies.forEach((p) => cluster.add(p));
const containerPorts = (spec) => spec.containers.flatMap((c) => c.ports ?? []);
const envoy = (gateway) => ({
  "app.kubernetes.io/name": "envoy", "app.kubernetes.io/component": "proxy", "app.kubernetes.io/managed-by": "envoy-gateway",
  "gateway.envoyproxy.io/owning-gateway-name": gateway, "gateway.envoyproxy.io/owning-gateway-namespace": "envoy-gateway-system",
});
// The label the helm test pod carries for the policy (appraise-client: <full name>), given to the
// intruder too: another namespace's pod must stay out even when it copies the label.
const clientLabel = Object.entries(testPod?.metadata.labels ?? {}).find(([k]) => k === "appraise-client") ?? ["appraise-client", "none"];
const peers = {
  app: cluster.pod({ namespace, labels: deployment.spec.template.metadata.labels, ip: "10.244.1.10", ports: containerPorts(deployment.spec.template.spec) }),
  canary: canaryDeployment && cluster.pod({ namespace, labels: canaryDeployment.spec.template.metadata.labels, ip: "10.244.1.13", ports: containerPorts(canaryDeployment.spec.template.spec) }),
  test: testPod && cluster.pod({ namespace: testPod.metadata.namespace, labels: testPod.metadata.labels, ip: "10.244.1.11" }),
  gateway: cluster.pod({ namespace: "envoy-gateway-system", labels: envoy("public"), ip: "10.244.2.10" }),
  "gateway-other": cluster.pod({ namespace: "envoy-gateway-system", labels: envoy("internal"), ip: "10.244.2.11" }),
  "ingress-controller": cluster.pod({ namespace: "ingress-system", labels: { "app.kubernetes.io/name": "ingress-controller" }, ip: "10.244.3.10" }),
  prometheus: cluster.pod({ namespace: "monitoring", labels: { "app.kubernetes.io/name": "prometheus" }, ip: "10.244.4.10" }),
  otlp: cluster.pod({ namespace: "monitoring", labels: { "app.kubernetes.io/name": "otel-collector" }, ip: "10.244.4.11", ports: [{ name: "otlp-grpc", containerPort: 4317 }, { name: "otlp-http", containerPort: 4318 }] }),
  dns: cluster.pod({ namespace: "kube-system", labels: { "k8s-app": "kube-dns" }, ip: "10.244.0.10", ports: [{ name: "dns", containerPort: 53, protocol: "UDP" }, { name: "dns-tcp", containerPort: 53 }] }),
  neighbour: cluster.pod({ namespace, labels: { "app.kubernetes.io/name": "something-else" }, ip: "10.244.1.12" }),
  intruder: cluster.pod({ namespace: "other", labels: { [clientLabel[0]]: clientLabel[1] }, ip: "10.244.5.10" }),
  "lb-client": cluster.external("198.51.100.23"),
  internet: cluster.external("93.184.216.34"),
  database: cluster.external(databaseCidr ? firstHost(databaseCidr) : "10.0.99.5"),
};

let failures = 0;
for (const expectation of expectations) {
  const m = expectation.match(/^([\w-]+)->([\w-]+):(\w+)(?:\/(TCP|UDP))?\s+(allow|deny)$/);
  if (!m) throw new Error(`cannot read expectation "${expectation}"`);
  const [, from, to, port, protocol = "TCP", want] = m;
  if (!peers[from] || !peers[to]) throw new Error(`unknown peer in "${expectation}" (or no test pod rendered)`);
  const allowed = cluster.allows(peers[from], peers[to], /^\d+$/.test(port) ? Number(port) : port, protocol);
  const ok = allowed === (want === "allow");
  if (!ok) failures++;
  console.log(`${ok ? "ok  " : "FAIL"}  ${from} -> ${to}:${port}/${protocol} ${allowed ? "allowed" : "denied"} (want ${want})`);
}
console.log(`${policies.length} policies, ${expectations.length} expectations, ${failures} failed`);
process.exit(failures === 0 && expectations.length > 0 ? 0 : 1);
