// Validates the objects Terraform's platform-config chart renders against the CRD schemas of the
// versions the platform installs (schemas/*.json, recorded from the upstream tags by
// record-crd-schema.mjs): Gateway API v1.6.1 GatewayClass and Gateway (what Envoy Gateway v1.9.0
// bundles), Envoy Gateway v1.9.0 EnvoyProxy, cert-manager v1.21 ClusterIssuer, External Secrets 2.9.0 ClusterSecretStore.
// Unknown fields are errors, as the API server's strict field validation (kubectl's default)
// makes them: every object schema without x-kubernetes-preserve-unknown-fields is closed. The
// CRDs' CEL rules (x-kubernetes-validations) are not evaluated here.
// Usage: node validate-platform-config.mjs RENDERED.yaml   Exits 1 on any invalid or unknown object.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";

// ajv and yaml come from the chart tools (tests/package.json), which the test installs first.
const require = createRequire(new URL("../package.json", import.meta.url));
const Ajv = require("ajv");
const { parseAllDocuments } = require("yaml");

function closed(node) {
  if (Array.isArray(node)) return node.map(closed);
  if (node === null || typeof node !== "object") return node;
  const copy = Object.fromEntries(Object.entries(node).map(([key, value]) =>
    [key, key === "properties" ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, closed(v)])) : closed(value)]));
  if (copy.type === "object" && copy.properties && copy.additionalProperties === undefined && !copy["x-kubernetes-preserve-unknown-fields"]) {
    copy.additionalProperties = false;
  }
  return copy;
}

const ajv = new Ajv.default({ allErrors: true, strict: false, validateFormats: false });
const schemas = new Map();
for (const file of readdirSync(new URL("./schemas/", import.meta.url))) {
  const recorded = JSON.parse(readFileSync(new URL(`./schemas/${file}`, import.meta.url), "utf8"));
  const schema = closed(recorded.schema);
  // metadata is the API server's, not the CRD's: any ObjectMeta.
  schema.properties.metadata = { type: "object" };
  schemas.set(`${recorded.apiVersion}/${recorded.kind}`, { validate: ajv.compile(schema), source: recorded.$comment });
}

let failures = 0;
let count = 0;
for (const document of parseAllDocuments(readFileSync(process.argv[2], "utf8"))) {
  const object = document.toJSON();
  if (!object) continue;
  count++;
  const name = `${object.kind}/${object.metadata?.name}`;
  const known = schemas.get(`${object.apiVersion}/${object.kind}`);
  if (!known) {
    failures++;
    console.log(`INVALID  ${name}: no recorded schema for ${object.apiVersion} ${object.kind}`);
  } else if (!known.validate(object)) {
    failures++;
    console.log(`INVALID  ${name}: ${ajv.errorsText(known.validate.errors)}`);
  } else {
    console.log(`valid    ${name} (${object.apiVersion})`);
  }
}
console.log(`${count} objects, ${failures} invalid`);
process.exit(failures === 0 && count > 0 ? 0 : 1);
