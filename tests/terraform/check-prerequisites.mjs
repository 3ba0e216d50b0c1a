// "First apply, on paper": every Secret and namespace that the values of a Terraform-installed
// chart name must exist before that chart is installed - created by Terraform itself (a
// kubernetes_secret_v1 / kubernetes_namespace_v1 in the platform module, a Secret in the release's
// own namespace) or listed, in backticks, under "## Prerequisites" in the environment's README.
// Otherwise an atomic install waits for a pod that cannot start and rolls back. Evaluated for the
// environment's own switches (cloud, the Teams receiver): a Secret created only with a switch on
// counts only then, and the values are every file the release gets there, merged as Helm does.
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

// The module's own switches, as this environment sets them (main.tf passes cloud = env.yaml
// cloud and monitoring.teams_receiver = env.yaml platform.monitoring.teams_receiver): a resource
// with `count = SWITCH ? 1 : 0` exists only when SWITCH holds, and a values entry `SWITCH ? a : b`
// is a or b. SWITCH is `var.monitoring.teams_receiver` or `var.cloud == "..."`.
const switches = {
  "var.monitoring.teams_receiver": env.platform?.monitoring?.teams_receiver === true,
  "var.external_dns.enabled": env.platform?.external_dns?.enabled === true,
  "var.cloud": env.cloud,
};
// Calls visit(index, char) for each character of text outside brackets and strings; stops when
// visit returns true.
function scanTopLevel(text, visit) {
  let depth = 0, quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) { if (c === "\\") i++; else if (c === '"') quoted = false; continue; }
    if (c === '"') quoted = true;
    else if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) depth--;
    else if (depth === 0 && visit(i, c)) return;
  }
}
// Splits "COND ? A : B" at its top-level ? and :; null otherwise.
function conditional(expr) {
  let question = -1, parts = null;
  scanTopLevel(expr, (i, c) => {
    if (c === "?" && question < 0) question = i;
    else if (c === ":" && question >= 0) parts = [expr.slice(0, question), expr.slice(question + 1, i), expr.slice(i + 1)].map((p) => p.trim());
    return parts !== null;
  });
  return parts;
}
function holds(condition) { // the condition's value, or null when it is not made of the switches
  const both = condition.split(/\s*&&\s*/);
  if (both.length > 1) {
    const values = both.map(holds);
    return values.includes(null) ? null : values.every(Boolean);
  }
  const bool = /^(!?)(var\.[a-z_.]+)$/.exec(condition);
  if (bool && typeof switches[bool[2]] === "boolean") return bool[1] ? !switches[bool[2]] : switches[bool[2]];
  const equals = /^(var\.[a-z_.]+)\s*(==|!=)\s*"([^"]*)"$/.exec(condition);
  if (equals && equals[1] in switches) return (switches[equals[1]] === equals[3]) === (equals[2] === "==");
  return null;
}
// What an expression is in this environment: the chosen side of every switch conditional in it.
// A conditional on anything else is a problem: this check cannot tell what the environment gets.
function chosen(expr) {
  const parts = conditional(expr);
  if (!parts) return expr;
  const when = holds(parts[0]);
  if (when === null) {
    problems.push(`cannot evaluate the condition ${parts[0]} (add its switch to check-prerequisites.mjs)`);
    return expr;
  }
  return chosen(when ? parts[1] : parts[2]);
}
const exists = (block) => {
  const count = attr(block.body, "count");
  return count === undefined || chosen(count).trim() !== "0";
};

const createdNamespaces = new Set([...Object.values(namespaceKeys), env.appraise.namespace]);
const createdSecrets = new Map();
for (const block of platform.filter((b) => b.name === "resource" && b.labels[0] === "kubernetes_secret_v1" && exists(b))) {
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
// The values files in the order Helm merges them, in this environment: list entries of `values`
// (or of its concat(...)), each with its switch conditionals resolved.
function valuesFiles(expr) {
  const files = [];
  for (const entry of topLevelItems(expr.replace(/^concat\(([\s\S]*)\)$/, "$1"))) {
    for (const item of topLevelItems(chosen(entry).replace(/^\[([\s\S]*)\]$/, "$1"))) {
      const text = chosen(item);
      for (const m of text.matchAll(/\$\{path\.module\}\/(values\/[A-Za-z0-9_.-]+)/g)) files.push(join(platformDir, m[1]));
      if (/var\.monitoring\.values_file/.test(text)) {
        const path = /values_file\s*=\s*"\$\{local\.repository\}\/([^"]+)"/.exec(envMain)?.[1];
        if (path) files.push(join(root, path));
      }
    }
  }
  return files;
}
// The comma-separated items of a list body, split outside brackets and strings.
function topLevelItems(body) {
  const items = [];
  let start = 0;
  scanTopLevel(body, (i, c) => { if (c === ",") { items.push(body.slice(start, i)); start = i + 1; } return false; });
  items.push(body.slice(start));
  return items.map((i) => i.trim()).filter(Boolean);
}
// Helm's merge of values files: maps merge key by key, anything else is replaced.
function merge(base, over) {
  if (!base || typeof base !== "object" || Array.isArray(base) || !over || typeof over !== "object" || Array.isArray(over)) return over;
  const out = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = value === null ? undefined : merge(base[key], value);
  return out;
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
for (const release of platform.filter((b) => b.name === "resource" && b.labels[0] === "helm_release" && exists(b))) {
  const namespace = namespaceOf(attr(release.body, "namespace"));
  const where = `helm_release.${release.labels[1]}`;
  if (!namespace) { problems.push(`${where}: its namespace cannot be resolved`); continue; }
  releases++;
  if (!createdNamespaces.has(namespace) && !builtIn.has(namespace) && !listed.has(namespace)) problems.push(`${where}: namespace ${namespace} is neither created by Terraform nor a prerequisite`);
  const files = valuesFiles(attr(release.body, "values") ?? "");
  const missing = files.filter((file) => !existsSync(file));
  for (const file of missing) problems.push(`${where}: values file ${file} does not exist`);
  if (files.length === 0 || missing.length > 0) continue;
  // The values the release gets: every file of this environment, merged as Helm merges them.
  const document = files.map((file) => parseYaml(readFileSync(file, "utf8").replace(/\$\{[^}]*\}/g, "TEMPLATED")) ?? {}).reduce(merge, {});
  const file = files.map((f) => f.slice(root.length + 1)).join(" + ");
  {
    const found = names(document);
    for (const [secret, at] of found.secrets) {
      named++;
      const creator = createdSecrets.get(`${namespace}/${secret}`);
      if (creator) lines.push(`ok    Secret ${namespace}/${secret} (${file}: ${at}) is created by ${creator}`);
      else if (listed.has(secret)) lines.push(`ok    Secret ${namespace}/${secret} (${at}) is a prerequisite in ${envDir.slice(root.length + 1)}/README.md`);
      else problems.push(`Secret ${namespace}/${secret}, named by ${file} (${at}), is neither created by Terraform in ${namespace} nor a prerequisite in the README`);
    }
    for (const [name, at] of found.namespaces) {
      named++;
      if (createdNamespaces.has(name) || builtIn.has(name)) lines.push(`ok    namespace ${name} (${file}: ${at}) is created by Terraform`);
      else if (listed.has(name)) lines.push(`ok    namespace ${name} (${at}) is a prerequisite in the README`);
      else problems.push(`namespace ${name}, named by ${file} (${at}), is neither created by Terraform nor a prerequisite`);
    }
  }
}
for (const line of lines) console.log(line);
for (const problem of problems) console.log(`FAIL  ${problem}`);
console.log(`${releases} releases, ${named} Secret and namespace names in their values, ${problems.length} problems`);
process.exit(problems.length === 0 && releases > 0 && named > 0 ? 0 : 1);
