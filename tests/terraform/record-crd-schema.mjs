// Records one served version's openAPIV3Schema of a CustomResourceDefinition, from a git clone of
// its repository at a tag, as a JSON Schema the checks can use offline (validate-platform-config.mjs).
// Only the structure is kept (names, types, enums, patterns, limits, required): descriptions go.
//   node record-crd-schema.mjs GIT_DIR TAG CRD_PATH VERSION REPOSITORY_URL > schemas/NAME.json
// e.g. node record-crd-schema.mjs ~/gateway-api/.git v1.6.1 \
//        config/crd/standard/gateway.networking.k8s.io_gateways.yaml v1 https://github.com/kubernetes-sigs/gateway-api
import { execFileSync } from "node:child_process";
import { parse } from "yaml";

const [gitDir, tag, path, version, repository] = process.argv.slice(2);
if (!repository) { console.error("usage: record-crd-schema.mjs GIT_DIR TAG CRD_PATH VERSION REPOSITORY_URL"); process.exit(2); }
const git = (...args) => execFileSync("git", ["--git-dir", gitDir, ...args], { encoding: "utf8", maxBuffer: 1 << 26 });
const commit = git("rev-parse", `${tag}^{commit}`).trim();
const crd = parse(git("show", `${commit}:${path}`));
const served = crd.spec.versions.find((v) => v.name === version && v.served);
if (!served) { console.error(`${crd.metadata.name} does not serve ${version} at ${tag}`); process.exit(1); }
const strip = (node) => {
  if (Array.isArray(node)) return node.map(strip);
  if (node === null || typeof node !== "object") return node;
  return Object.fromEntries(Object.entries(node).filter(([key]) => key !== "description").map(([key, value]) =>
    [key, key === "properties" ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, strip(v)])) : strip(value)]));
};
console.log(JSON.stringify({
  $comment: `openAPIV3Schema of ${crd.spec.group}/${version} ${crd.spec.names.kind}, ${repository} ${tag} (${commit}) ${path}; recorded by tests/terraform/record-crd-schema.mjs`,
  apiVersion: `${crd.spec.group}/${version}`,
  kind: crd.spec.names.kind,
  schema: strip(served.schema.openAPIV3Schema),
}, null, 1));
