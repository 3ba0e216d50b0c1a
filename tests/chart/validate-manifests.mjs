// Validates every object in rendered manifests against its schema: Kubernetes itself
// (kubernetes-models), Gateway API, prometheus-operator and External Secrets CRDs, and the Secrets
// Store CSI driver's SecretProviderClass and Flagger's Canary and MetricTemplate (their CRD schemas,
// kept in schemas/). Every third-party
// object's apiVersion must also be one the pinned upstream version serves, and a
// SecretProviderClass for Azure may only use parameters the pinned provider reads
// (schemas/third-party-apis.json, with sources). Unknown kinds fail.
// Usage: node validate-manifests.mjs FILE...   Prints one line per object; exits 1 on any failure.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import Ajv from "ajv";

const packages = {
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
  "external-secrets.io": "@kubernetes-models/external-secrets",
  "cert-manager.io": "@kubernetes-models/cert-manager",
  "gateway.networking.k8s.io": "@kubernetes-models/gateway-api",
};
const kubernetesGroups = ["", "apps", "policy", "autoscaling", "batch", "networking.k8s.io", "rbac.authorization.k8s.io"];
const pinned = JSON.parse(readFileSync(new URL("./schemas/third-party-apis.json", import.meta.url)));

// Served by the pinned version (third-party groups only) and, for Azure, known parameters.
function checkPinned(object, group, version) {
  if (kubernetesGroups.includes(group)) return;
  const facts = pinned.served[`${group}/${object.kind}`];
  if (!facts) throw new Error(`${object.apiVersion} ${object.kind} is not in schemas/third-party-apis.json`);
  if (!facts.versions.includes(version)) throw new Error(`${object.apiVersion} is not served by the pinned version (${facts.source}); served: ${facts.versions.join(", ")}`);
  if (object.kind === "SecretProviderClass" && object.spec.provider === "azure") {
    const known = pinned.secretProviderClassAzure;
    const parameters = Object.keys(object.spec.parameters ?? {});
    const unknown = parameters.filter((p) => !known.parameters.includes(p));
    const deprecated = parameters.filter((p) => known.deprecated[p]).map((p) => `${p} (use ${known.deprecated[p]})`);
    const missing = known.required.filter((p) => !parameters.includes(p));
    if (unknown.length || deprecated.length || missing.length) {
      throw new Error(`Azure provider parameters: unknown [${unknown}], deprecated [${deprecated}], missing [${missing}] (${known.source})`);
    }
  }
}
const readSchema = (file) => JSON.parse(readFileSync(new URL(`./schemas/${file}`, import.meta.url)));
// A CRD's structural schema prunes unknown fields silently: the API server would drop a misspelt
// field and Flagger would run without it. Validated as `kubectl apply --validate=strict` does
// (server-side field validation Strict), every object with declared properties refuses others.
function strict(schema) {
  if (Array.isArray(schema)) return schema.map(strict);
  if (!schema || typeof schema !== "object") return schema;
  const out = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, strict(v)]));
  if (out.properties && out.additionalProperties === undefined && !out["x-kubernetes-preserve-unknown-fields"]) out.additionalProperties = false;
  return out;
}
const localSchemas = {
  "secrets-store.csi.x-k8s.io/v1/SecretProviderClass": readSchema("secretproviderclass.v1.json"),
  // fluxcd/flagger v1.44.0 artifacts/flagger/crd.yaml (the $comment in each file).
  "flagger.app/v1beta1/Canary": strict(readSchema("flagger-canary.v1beta1.json")),
  "flagger.app/v1beta1/MetricTemplate": strict(readSchema("flagger-metrictemplate.v1beta1.json")),
};

// Label keys and values as the API server checks them (apimachinery's IsQualifiedName and
// IsValidLabelValue), which the OpenAPI schemas cannot express: an optional DNS subdomain prefix
// of at most 253 characters, and a name part and a value of at most 63. Every metadata.labels
// (templates included) and every matchLabels.
const labelName = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
function labelProblems(labels, where) {
  const problems = [];
  for (const [key, value] of Object.entries(labels ?? {})) {
    const [prefix, name] = key.includes("/") ? key.split(/\/(.*)/s) : [undefined, key];
    if (prefix !== undefined && (prefix.length > 253 || !dnsSubdomain.test(prefix))) problems.push(`${where}: label key prefix "${prefix}" is not a DNS subdomain of at most 253 characters`);
    if (name.length > 63 || !labelName.test(name)) problems.push(`${where}: label key "${key}" has a name part over 63 characters or with invalid characters`);
    if (typeof value !== "string" || value.length > 63 || (value !== "" && !labelName.test(value))) problems.push(`${where}: label value "${value}" of "${key}" is over 63 characters or invalid`);
  }
  return problems;
}
function checkLabels(node, path = "") {
  if (Array.isArray(node)) return node.flatMap((item, i) => checkLabels(item, `${path}[${i}]`));
  if (!node || typeof node !== "object") return [];
  return Object.entries(node).flatMap(([key, value]) => {
    const here = path ? `${path}.${key}` : key;
    if (key === "matchLabels" || (key === "labels" && path.endsWith("metadata"))) return labelProblems(value, here);
    return checkLabels(value, here);
  });
}

async function validate(object) {
  const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : ["", object.apiVersion];
  checkPinned(object, group, version);
  const labels = checkLabels(object);
  if (labels.length) throw new Error(labels.join("; "));
  const local = localSchemas[`${object.apiVersion}/${object.kind}`];
  if (local) {
    // Formats off: the CRDs declare OpenAPI formats such as "string" and "int32" that Ajv does not
    // know (and would warn about for every object); the types and patterns are what is checked.
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    if (!ajv.validate(local, object)) {
      throw new Error(ajv.errorsText(ajv.errors));
    }
    return;
  }
  const module = group === ""
    ? `kubernetes-models/v1/${object.kind}`
    : `${packages[group] ?? "kubernetes-models"}/${group}/${version}/${object.kind}`;
  let Model;
  try {
    Model = (await import(module))[object.kind];
  } catch {
    throw new Error(`no schema known for ${object.apiVersion} ${object.kind}`);
  }
  new Model(object).validate();
}

let failures = 0;
let count = 0;
for (const file of process.argv.slice(2)) {
  for (const document of parseAllDocuments(readFileSync(file, "utf8"))) {
    const object = document.toJSON();
    if (!object) continue;
    count++;
    const name = `${file}: ${object.kind}/${object.metadata?.name}`;
    try {
      await validate(object);
      console.log(`valid    ${name}`);
    } catch (error) {
      failures++;
      console.log(`INVALID  ${name}: ${error.message}`);
    }
  }
}
console.log(`${count} objects, ${failures} invalid`);
process.exit(failures === 0 && count > 0 ? 0 : 1);
