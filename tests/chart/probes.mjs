// Prints the probes of the appraise container in a rendered chart, one per line:
// "<startup|liveness|readiness> <path> <port number>", the port resolved from its name the way the
// kubelet resolves it (a named containerPort of the same container), after a line
// "listening - <port>": where the service listens (ASPNETCORE_HTTP_PORTS in its environment, else 8080).
//   node tests/chart/probes.mjs RENDERED.yaml
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const objects = parseAllDocuments(readFileSync(process.argv[2], "utf8")).map((d) => d.toJSON()).filter(Boolean);
const deployments = objects.filter((o) => o.kind === "Deployment");
if (deployments.length === 0) throw new Error("no Deployment rendered");
for (const deployment of deployments) {
  const container = deployment.spec.template.spec.containers.find((c) => c.name === "appraise") ?? deployment.spec.template.spec.containers[0];
  // The container's environment: its ConfigMaps (envFrom), then env, as the kubelet merges them.
  const fromMaps = (container.envFrom ?? []).map((source) => objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === source.configMapRef?.name)?.data ?? {});
  const environment = Object.assign({}, ...fromMaps, Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value])));
  const listening = environment.ASPNETCORE_HTTP_PORTS;
  console.log(`listening - ${listening ?? "8080"}`);
  for (const kind of ["startup", "liveness", "readiness"]) {
    const probe = container[`${kind}Probe`];
    if (!probe) throw new Error(`${deployment.metadata.name}: no ${kind} probe`);
    if (!probe.httpGet) throw new Error(`${deployment.metadata.name}: the ${kind} probe is not an HTTP GET`);
    const { path, port } = probe.httpGet;
    const number = typeof port === "number" ? port : (container.ports ?? []).find((p) => p.name === port)?.containerPort;
    if (number === undefined) throw new Error(`${deployment.metadata.name}: the ${kind} probe's port ${port} is not a port of the container`);
    console.log(`${kind} ${path} ${number}`);
  }
}
