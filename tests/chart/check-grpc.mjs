// The chart's gRPC wiring in a rendered manifest: the container's grpc port and Grpc__Port agree,
// the Service's grpc port targets it and says appProtocol kubernetes.io/h2c (KEP-3726, which
// Gateway API v1.6.1 BackendRefs honour), and the GRPCRoute sends the inference, health and
// reflection services to that Service port.
// Usage: node tests/chart/check-grpc.mjs RENDERED.yaml
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const objects = parseAllDocuments(readFileSync(process.argv[2], "utf8")).map((d) => d.toJSON()).filter(Boolean);
const find = (kind) => objects.find((o) => o.kind === kind);
const container = find("Deployment").spec.template.spec.containers[0];
const containerPort = container.ports.find((p) => p.name === "grpc")?.containerPort;
const servicePort = find("Service").spec.ports.find((p) => p.name === "grpc");
const route = find("GRPCRoute");
const services = route?.spec.rules.flatMap((r) => r.matches.map((m) => m.method?.type === "Exact" && m.method.service)) ?? [];
const problems = [
  containerPort !== undefined && String(containerPort) === find("ConfigMap").data.Grpc__Port ? null : `container port ${containerPort} vs Grpc__Port ${find("ConfigMap").data.Grpc__Port}`,
  servicePort?.targetPort === "grpc" && servicePort.appProtocol === "kubernetes.io/h2c" ? null : `Service grpc port ${JSON.stringify(servicePort)}`,
  route?.spec.rules.every((r) => r.backendRefs.every((b) => b.port === servicePort?.port && b.name === find("Service").metadata.name)) ? null : "GRPCRoute backendRefs",
  ["inference.GRPCInferenceService", "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection"].every((s) => services.includes(s)) ? null : `GRPCRoute services ${services}`,
].filter(Boolean);
problems.forEach((p) => console.log(p));
process.exit(problems.length ? 1 : 0);
