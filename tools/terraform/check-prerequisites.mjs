// "First apply, on paper": every Secret and namespace that the values of a Terraform-installed
// chart name must exist before that chart is installed - created by Terraform itself (a
// kubernetes_secret_v1 / kubernetes_namespace_v1 in the platform module, a Secret in the release's
// own namespace) or listed, in backticks, under "## Prerequisites" in the environment's README.
// Otherwise an atomic install waits for a pod that cannot start and rolls back.
// Usage: node check-prerequisites.mjs ENV_DIR   (e.g. deploy/terraform/envs/aws-dev)
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { parseHcl } from "./hcl-body.mjs";

const require = createRequire(new URL("../package.json", import.meta.url));
const { parse: parseYaml } = require("yaml");

const envDir = resolve(process.argv[2] ?? "");
const root = resolve(envDir, "../../../..");
const platformDir = join(root, "deploy/terraform/modules/platform");
const builtIn = new Set(["kube-system", "default"]);
const problems = [];
const lines = [];

const blocksOf = (dir) => readdirSync(dir).filter((f) => f.endsWith(".tf"))
  .flatMap((f) => parseHcl(readFileSync(join(dir, f), "utf8"), join(dir, f)).filter((i) => i.kind === "block"));
const platform = blocksOf(platformDir);
const attr = (body, name) => body.find((i) => i.kind === "attribute" && i.name === name)?.expr;
const literal = (expr) => (expr && /^"[^"$]*"$/.test(expr) ? JSON.parse(expr) : null);

// local.namespaces: key => name, from the literal pairs in namespaces.tf.
const namespacesExpr = platform.filter((b) => b.name === "locals").map((b) => attr(b.body, "namespaces")).find(Boolean) ?? "";
const namespaceKeys = Object.fromEntries([...namespacesExpr.matchAll(/([a-z_]+)\s*=\s*"([a-z0-9-]+)"/g)].map((m) => [m[1], m[2]]));
const env = parseYaml(readFileSync(join(envDir, "env.yaml"), "utf8"));
// A namespace expression: a literal, kubernetes_namespace_v1.platform["key"]..., or .app (appraise's).
function namespaceOf(expr) {
  if (literal(expr)) return literal(expr);
  const key = /kubernetes_namespace_v1\.platform\["([a-z_]+)"\]/.exec(expr ?? "")?.[1];
  if (key) return namespaceKeys[key];
  if (/kubernetes_namespace_v1\.app\b/.test(expr ?? "")) return env.appraise.namespace;
  return null;
}

const createdNamespaces = new Set([...Object.values(namespaceKeys), env.appraise.namespace]);
const createdSecrets = new Map();
for (const block of platform.filter((b) => b.name === "resource" && b.labels[0] === "kubernetes_secret_v1")) {
  const metadata = block.body.find((i) => i.kind === "block" && i.name === "metadata");
  const name = literal(attr(metadata.body, "name"));
  const namespace = namespaceOf(attr(metadata.body, "namespace"));
  if (name && namespace) createdSecrets.set(`${namespace}/${name}`, `kubernetes_secret_v1.${block.labels[1]}`);
}

const readme = readFileSync(join(envDir, "README.md"), "utf8");
const prerequisites = /^## Prerequisites\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1] ?? "";
const listed = new Set([...prerequisites.matchAll(/`([^`]+)`/g)].map((m) => m[1]));

// The values files of each release: values/... in the module, and the env's monitoring values file.
const envMain = readFileSync(join(envDir, "main.tf"), "utf8");
function valuesFiles(expr) {
  const files = [...expr.matchAll(/\$\{path\.module\}\/(values\/[A-Za-z0-9_.-]+)/g)].map((m) => join(platformDir, m[1]));
  if (/var\.monitoring\.values_file/.test(expr)) {
    const path = /values_file\s*=\s*"\$\{local\.repository\}\/([^"]+)"/.exec(envMain)?.[1];
    if (path) files.push(join(root, path));
  }
  return files;
}

// Secret and namespace names in a values document.
function names(node, path = [], found = { secrets: [], namespaces: [] }) {
  if (Array.isArray(node)) node.forEach((item, index) => names(item, [...path, index], found));
  else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      const at = [...path, key].join(".");
      if ((key === "existingSecret" || key === "secretName") && typeof value === "string") found.secrets.push([value, at]);
      else if (key === "secrets" && Array.isArray(value) && value.every((v) => typeof v === "string")) value.forEach((v) => found.secrets.push([v, at]));
      else if ((key === "namespace" || key.endsWith("Namespace")) && typeof value === "string" && value) found.namespaces.push([value, at]);
      else if (key === "namespaces" && Array.isArray(value) && value.every((v) => typeof v === "string")) value.forEach((v) => found.namespaces.push([v, at]));
      else names(value, [...path, key], found);
    }
  }
  return found;
}

let releases = 0;
let named = 0;
for (const release of platform.filter((b) => b.name === "resource" && b.labels[0] === "helm_release")) {
  const namespace = namespaceOf(attr(release.body, "namespace"));
  const where = `helm_release.${release.labels[1]}`;
  if (!namespace) { problems.push(`${where}: its namespace cannot be resolved`); continue; }
  releases++;
  if (!createdNamespaces.has(namespace) && !builtIn.has(namespace) && !listed.has(namespace)) problems.push(`${where}: namespace ${namespace} is neither created by Terraform nor a prerequisite`);
  for (const file of valuesFiles(attr(release.body, "values") ?? "")) {
    if (!existsSync(file)) { problems.push(`${where}: values file ${file} does not exist`); continue; }
    const document = parseYaml(readFileSync(file, "utf8").replace(/\$\{[^}]*\}/g, "TEMPLATED"));
    const found = names(document);
    for (const [secret, at] of found.secrets) {
      named++;
      const creator = createdSecrets.get(`${namespace}/${secret}`);
      if (creator) lines.push(`ok    Secret ${namespace}/${secret} (${file.slice(root.length + 1)}: ${at}) is created by ${creator}`);
      else if (listed.has(secret)) lines.push(`ok    Secret ${namespace}/${secret} (${at}) is a prerequisite in ${envDir.slice(root.length + 1)}/README.md`);
      else problems.push(`Secret ${namespace}/${secret}, named by ${file.slice(root.length + 1)} (${at}), is neither created by Terraform in ${namespace} nor a prerequisite in the README`);
    }
    for (const [name, at] of found.namespaces) {
      named++;
      if (createdNamespaces.has(name) || builtIn.has(name)) lines.push(`ok    namespace ${name} (${file.slice(root.length + 1)}: ${at}) is created by Terraform`);
      else if (listed.has(name)) lines.push(`ok    namespace ${name} (${at}) is a prerequisite in the README`);
      else problems.push(`namespace ${name}, named by ${file.slice(root.length + 1)} (${at}), is neither created by Terraform nor a prerequisite`);
    }
  }
}
for (const line of lines) console.log(line);
for (const problem of problems) console.log(`FAIL  ${problem}`);
console.log(`${releases} releases, ${named} Secret and namespace names in their values, ${problems.length} problems`);
process.exit(problems.length === 0 && releases > 0 && named > 0 ? 0 : 1);
