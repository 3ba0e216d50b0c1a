// Checks Terraform configuration offline, against the schemas of the exact provider versions it pins
// (schema-index.mjs) and the recorded inputs of the exact community module versions it calls
// (modules/*.json, written by record-module.mjs from the module's git tag):
//   - every resource, data source and provider block: unknown arguments and blocks, deprecated
//     arguments (upstream/deprecated-arguments.json), missing required ones, a block written as an
//     argument and an argument written as a block (recursively, into nested blocks and into literal values of nested attributes such as helm's `set = [...]`);
//   - every module call: local modules against their variable blocks, registry modules against the
//     record of that version (unknown input, missing required input), and every module.NAME.OUTPUT
//     reference against the module's outputs;
//   - provider pins: a root module (one with a backend) pins each provider to exactly the version the
//     schema package was generated from; every other constraint, and every recorded module's, admits it;
//     every provider a directory uses is declared with a version.
// The structure comes from hcl-body.mjs; @cdktf/hcl2json parses the same files and must agree on
// the names in every checked block. Usage: node check-terraform.mjs DIR... (recursively, .tf files).
// Prints one line per problem and the counts; exits 1 on any problem or when nothing was checked.
import { readdirSync, readFileSync, statSync, existsSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as hcl2json } from "@cdktf/hcl2json";
import { parseHcl } from "./hcl-body.mjs";
import { loadIndex, providerPackages } from "./schema-index.mjs";
import { admits, exactVersion } from "./versions.mjs";
import { parseType } from "./type-constraint.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const problems = [];
const counts = { resources: 0, dataSources: 0, ephemeral: 0, providers: 0, modules: 0, nestedBlocks: 0, arguments: 0, literalValues: 0, references: 0, moduleValues: 0 };
const report = (file, line, message) => problems.push(`${file}:${line}: ${message}`);

// The built-in provider terraform.io/builtin/terraform has no package: its one managed resource,
// as Terraform declares it (hashicorp/terraform v1.11.4 internal/builtin/providers/terraform/
// resource_data.go: input and triggers_replace optional, any type; output and id computed). It
// needs no required_providers entry.
const builtinIndexes = {
  terraform: {
    provider: "terraform", providerVersion: "built-in", package: "terraform", packageVersion: "1.11",
    resources: { terraform_data: "builtin:terraform_data" }, dataSources: {},
    attributes: { terraform_data: ["input", "output", "triggers_replace", "id"] },
    structs: { "builtin:terraform_data": { input: { required: false, block: false }, triggers_replace: { required: false, block: false } } },
  },
};

const indexes = new Map();
function providerIndex(name) {
  if (builtinIndexes[name]) return builtinIndexes[name];
  if (!indexes.has(name)) {
    const pkg = providerPackages().find((p) => p === `@cdktf/provider-${name}`);
    indexes.set(name, pkg ? loadIndex(pkg) : null);
  }
  return indexes.get(name);
}

// Arguments the provider deprecates (upstream/deprecated-arguments.json, with its source): a
// deprecated argument works today and breaks on the next major version.
const deprecated = JSON.parse(readFileSync(join(here, "upstream/deprecated-arguments.json"), "utf8")).arguments;

const records = readdirSync(join(here, "modules")).filter((f) => f.endsWith(".json"))
  .map((f) => ({ file: f, ...JSON.parse(readFileSync(join(here, "modules", f), "utf8")) }));

function distance(a, b) {
  const row = Array.from({ length: b.length + 1 }, (_, k) => k);
  for (let x = 1; x <= a.length; x++) {
    let previous = row[0];
    row[0] = x;
    for (let y = 1; y <= b.length; y++) {
      const saved = row[y];
      row[y] = Math.min(row[y] + 1, row[y - 1] + 1, previous + (a[x - 1] === b[y - 1] ? 0 : 1));
      previous = saved;
    }
  }
  return row[b.length];
}
function suggest(name, candidates) {
  const best = candidates.map((c) => [distance(name, c), c]).sort((p, q) => p[0] - q[0])[0];
  return best && best[0] <= Math.max(2, name.length / 3) ? ` (did you mean ${best[1]}?)` : "";
}

const unquote = (expr) => (/^"[^"$%]*"$/.test(expr) ? JSON.parse(expr) : null);

// A nested attribute's literal value, as hcl2json reads it (expressions come back as "${...}").
async function literal(expr) {
  try {
    return (await hcl2json("value.tf", `value = ${expr}\n`)).value;
  } catch {
    return undefined;
  }
}
const isExpression = (value) => typeof value === "string" && value.startsWith("${");

// Terraform's blocktoattr fix-up lets a list-of-objects ATTRIBUTE (a plain cty type, as SDKv2's
// ConfigModeAttr produces, e.g. azurerm's security_rule) be written as blocks. cdktf gives the
// fields of such an object the attribute's own optional/required flags; a framework nested
// attribute (helm 3's set: name required, value optional) has its own flags, and takes no blocks.
function acceptsBlockSyntax(property, structs) {
  if (property.block || property.nesting !== "list") return false;
  return Object.values(structs[property.struct]).every((field) => field.required === property.required);
}

// A literal module input against the variable's type constraint: Terraform drops object attributes
// the type does not declare without a word, so an unknown key here is a setting silently lost.
function checkTyped(value, type, where, file, line) {
  if (value === undefined || value === null || isExpression(value) || !type) return;
  if (type.t === "object" && typeof value === "object" && !Array.isArray(value)) {
    counts.moduleValues++;
    for (const [key, inner] of Object.entries(value)) {
      if (!(key in type.attrs)) report(file, line, `${where}: the type has no attribute ${key}${suggest(key, Object.keys(type.attrs))} (Terraform would drop it silently)`);
      else checkTyped(inner, type.attrs[key], `${where}.${key}`, file, line);
    }
  } else if (type.t === "map" && typeof value === "object" && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) checkTyped(inner, type.of, `${where}["${key}"]`, file, line);
  } else if ((type.t === "list" || type.t === "set") && Array.isArray(value)) {
    value.forEach((inner, position) => checkTyped(inner, type.of, `${where}[${position}]`, file, line));
  }
}

async function checkValue(value, property, structs, where, file, line) {
  if (value === undefined || isExpression(value) || value === null) return;
  const objects = property.nesting === "single" ? [value] : property.nesting === "map" ? Object.values(value) : value;
  if (!Array.isArray(objects)) return;
  for (const object of objects) {
    if (object === null || typeof object !== "object" || Array.isArray(object)) continue;
    counts.literalValues++;
    const fields = structs[property.struct];
    for (const [key, inner] of Object.entries(object)) {
      const field = fields[key];
      if (!field) { report(file, line, `${where}: unknown field ${key}${suggest(key, Object.keys(fields))}`); continue; }
      if (field.struct) await checkValue(inner, field, structs, `${where}.${key}`, file, line);
    }
    for (const [key, field] of Object.entries(fields)) {
      if (field.required && !(key in object)) report(file, line, `${where}: missing required field ${key}`);
    }
  }
}

// Ephemeral resources are not in the cdktf packages (cdktf 0.21 predates them). The ones used
// here, with the managed resource whose arguments they share, as read in the provider's source:
// random 3.7.2 internal/provider/ephemeral_password.go has random_password's arguments but keepers.
const ephemeralSchemas = {
  random_password: { resource: "random_password", without: ["keepers"], source: "hashicorp/random v3.7.2 internal/provider/ephemeral_password.go" },
};

const metaArguments = {
  resource: { attributes: ["count", "for_each", "depends_on", "provider"], blocks: ["lifecycle", "provisioner", "connection"] },
  data: { attributes: ["count", "for_each", "depends_on", "provider"], blocks: ["lifecycle"] },
  ephemeral: { attributes: ["count", "for_each", "depends_on", "provider"], blocks: ["lifecycle"] },
  provider: { attributes: ["alias"], blocks: [] },
  nested: { attributes: [], blocks: [] },
};

// Terraform's conversions of a literal (hcl2json's value) to an attribute's type: a string converts
// to a number or bool only when it reads as one; nothing converts to a list or map but a tuple or object.
function convertible(value, type) {
  if (value === null || isExpression(value) || !type) return true;
  const inner = /^(list|map)\((.*)\)$/.exec(type);
  if (inner) {
    if (inner[1] === "list") return Array.isArray(value) && value.every((v) => convertible(v, inner[2]));
    return typeof value === "object" && !Array.isArray(value) && Object.values(value).every((v) => convertible(v, inner[2]));
  }
  if (typeof value === "object") return false;
  if (type === "string") return true;
  if (type === "number") return typeof value === "number" || (typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value)));
  if (type === "bool") return typeof value === "boolean" || value === "true" || value === "false";
  return true;
}
const literalText = (value) => JSON.stringify(value);

// lifecycle { ignore_changes = [...] }: each path must name an argument of the schema (Terraform's
// validate does the same: internal/terraform/node_resource_validate.go StaticValidateTraversal).
function checkIgnoreChanges(expr, structId, structs, where, file, line) {
  const body = expr.trim().replace(/^\[|\]$/g, "");
  if (/^\s*all\s*$/.test(body) || expr.trim() === "all") return;
  for (const path of body.split(",").map((p) => p.trim()).filter(Boolean)) {
    let fields = structs[structId];
    let field;
    for (const step of path.match(/[A-Za-z_][A-Za-z0-9_-]*|\[[^\]]*\]/g) ?? []) {
      if (step.startsWith("[")) {
        if (!field || field.struct === undefined && !/^(list|map)/.test(field.type ?? "")) { report(file, line, `${where}: ignore_changes ${path}: ${step} indexes an attribute that is not a collection`); break; }
        continue;
      }
      if (!fields) { report(file, line, `${where}: ignore_changes ${path}: ${step} is inside an attribute with no nested schema`); break; }
      field = fields[step];
      if (!field) { report(file, line, `${where}: ignore_changes ${path}: no argument ${step}${suggest(step, Object.keys(fields))}`); break; }
      fields = field.struct ? structs[field.struct] : undefined;
    }
  }
}

// Arguments the provider's schema declares in conflict or required together, read from its source
// at the pinned tag (upstream/argument-constraints.json, with its source).
const constraints = existsSync(join(here, "upstream/argument-constraints.json")) ? JSON.parse(readFileSync(join(here, "upstream/argument-constraints.json"), "utf8")).constraints : {};

async function checkBody(items, structId, structs, where, file, meta, line) {
  const fields = structs[structId];
  const present = new Map();
  for (const item of items) {
    let name = item.name;
    let body = item.body;
    let kind = item.kind;
    if (kind === "attribute" && meta.attributes.includes(name)) { counts.arguments++; continue; }
    if (kind === "block" && meta.blocks.includes(name)) {
      if (name === "lifecycle") for (const inner of item.body) if (inner.kind === "attribute" && inner.name === "ignore_changes") checkIgnoreChanges(inner.expr, structId, structs, where, file, inner.line);
      continue;
    }
    if (meta.attributes.includes(name) || meta.blocks.includes(name)) {
      report(file, item.line, `${where}: ${name} is ${meta.blocks.includes(name) ? "a block" : "an argument"} here`);
      continue;
    }
    if (kind === "block" && name === "dynamic") {
      name = item.labels[0];
      const content = item.body.find((inner) => inner.kind === "block" && inner.name === "content");
      if (!content) { report(file, item.line, `${where}: dynamic "${name}" has no content block`); continue; }
      if (!item.body.some((inner) => inner.kind === "attribute" && inner.name === "for_each")) report(file, item.line, `${where}: dynamic "${name}" has no for_each`);
      body = content.body;
    }
    const field = fields[name];
    present.set(name, (present.get(name) ?? 0) + 1);
    const schemaPath = `${where.replace(/^(?:data )?([a-z0-9_]+)\.[^.]+/, "$1")}.${name}`;
    if (deprecated[schemaPath]) report(file, item.line, `${where}: ${name} is deprecated: ${deprecated[schemaPath]}`);
    if (!field) {
      report(file, item.line, `${where}: unknown ${kind === "block" ? "block type" : "argument"} ${name}${suggest(name, Object.keys(fields))}`);
      continue;
    }
    if (kind === "attribute") {
      counts.arguments++;
      if (field.block) { report(file, item.line, `${where}: ${name} is a block: write ${name} { ... }, not ${name} = ...`); continue; }
      if (field.struct) await checkValue(await literal(item.expr), field, structs, `${where}.${name}`, file, item.line);
      else if (field.type) {
        const value = await literal(item.expr);
        if (value !== undefined && !convertible(value, field.type)) report(file, item.line, `${where}: ${name} = ${literalText(value)} is not a ${field.type}`);
      }
      continue;
    }
    if (!field.block && !acceptsBlockSyntax(field, structs)) {
      report(file, item.line, `${where}: ${name} is an argument, not a block: write ${name} = ${field.nesting === "list" ? "[{ ... }]" : "{ ... }"}`);
      continue;
    }
    if (!field.struct) { report(file, item.line, `${where}: ${name} has no nested schema`); continue; }
    counts.nestedBlocks++;
    await checkBody(body, field.struct, structs, `${where}.${name}`, file, metaArguments.nested, item.line);
  }
  const schemaWhere = where.replace(/^(?:data )?([a-z0-9_]+)\.[^.]+/, "$1");
  for (const rule of constraints[schemaWhere] ?? []) {
    const set = rule.arguments.filter((a) => present.has(a));
    if ((rule.kind === "ExactlyOneOf" || rule.kind === "ConflictsWith") && set.length > 1) report(file, line, `${where}: ${set.join(" and ")} together (${rule.kind} in ${rule.source})`);
    if (rule.kind === "ExactlyOneOf" && set.length === 0) report(file, line, `${where}: one of ${rule.arguments.join(", ")} is needed (${rule.source})`);
    if (rule.kind === "RequiredWith" && present.has(rule.arguments[0]) && !rule.arguments.slice(1).every((a) => present.has(a))) report(file, line, `${where}: ${rule.arguments[0]} needs ${rule.arguments.slice(1).join(", ")} (${rule.source})`);
  }
  for (const [name, field] of Object.entries(fields)) {
    if (field.required && !present.has(name)) report(file, line, `${where}: missing required ${field.block ? "block" : "argument"} ${name}`);
    if (field.block && field.nesting === "single" && (present.get(name) ?? 0) > 1) report(file, line, `${where}: at most one ${name} block`);
  }
}

function tfFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir)) {
    if (entry === ".terraform" || entry === "node_modules") continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...tfFiles(path));
    else if (entry.endsWith(".tf")) out.push(path);
  }
  return out;
}

const parsedDirs = new Map();
function parseDir(dir) {
  if (!parsedDirs.has(dir)) {
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".tf")).map((f) => join(dir, f)) : [];
    parsedDirs.set(dir, files.map((file) => ({ file, text: readFileSync(file, "utf8"), items: parseHcl(readFileSync(file, "utf8"), file) })));
  }
  return parsedDirs.get(dir);
}

const topBlocks = (dirFiles, name) => dirFiles.flatMap(({ file, items }) => items.filter((i) => i.kind === "block" && i.name === name).map((item) => ({ file, item })));

function moduleInterface(call, file) {
  const attribute = (name) => call.body.find((i) => i.kind === "attribute" && i.name === name)?.expr;
  const source = unquote(attribute("source") ?? "");
  if (!source) { report(file, call.line, `module "${call.labels[0]}": source must be a literal string`); return null; }
  if (source.startsWith("./") || source.startsWith("../")) {
    const dir = resolve(dirname(file), source);
    const dirFiles = parseDir(dir);
    if (dirFiles.length === 0) { report(file, call.line, `module "${call.labels[0]}": no .tf files in ${source}`); return null; }
    const inputs = Object.fromEntries(topBlocks(dirFiles, "variable").map(({ item }) => {
      const type = item.body.find((i) => i.kind === "attribute" && i.name === "type")?.expr;
      return [item.labels[0], { required: !item.body.some((i) => i.kind === "attribute" && i.name === "default"), ...(type ? { type: parseType(type) } : {}) }];
    }));
    return { label: source, inputs, outputs: topBlocks(dirFiles, "output").map(({ item }) => item.labels[0]) };
  }
  const versionExpr = attribute("version");
  const version = versionExpr && exactVersion(unquote(versionExpr) ?? "");
  if (!version) { report(file, call.line, `module "${call.labels[0]}": ${source} needs an exact version (version = "X.Y.Z") so its inputs can be checked`); return null; }
  const record = records.find((r) => r.source === source && r.version === version);
  if (!record) { report(file, call.line, `module "${call.labels[0]}": no recorded inputs for ${source} ${version} (tests/terraform/modules/)`); return null; }
  for (const [provider, constraint] of Object.entries(record.required_providers ?? {})) {
    const index = providerIndex(provider);
    if (index && !admits(constraint, index.providerVersion)) {
      report(file, call.line, `module "${call.labels[0]}": ${source} ${version} requires ${provider} ${constraint}, but the schema checked is ${provider} ${index.providerVersion}`);
    }
  }
  return { label: `${source} ${version}`, inputs: record.inputs, outputs: record.outputs };
}

async function checkDirectory(dir) {
  const dirFiles = parseDir(dir);
  const moduleOutputs = new Map();
  const used = new Set();
  for (const { file, text, items } of dirFiles) {
    let json;
    try {
      json = await hcl2json(file, text);
    } catch (error) {
      report(file, 0, `hcl2json cannot parse it: ${error.message}`);
      continue;
    }
    for (const item of items.filter((i) => i.kind === "block")) {
      const agree = (jsonBody, label) => {
        const mine = [...new Set(item.body.map((i) => i.name))].sort().join(",");
        const theirs = Object.keys(jsonBody ?? {}).sort().join(",");
        if (mine !== theirs) report(file, item.line, `${label}: the parsers disagree (${mine} vs ${theirs})`);
      };
      if (item.name === "resource" || item.name === "data") {
        const [type, name] = item.labels;
        const where = `${item.name === "data" ? "data " : ""}${type}.${name}`;
        agree(json[item.name]?.[type]?.[name]?.[0], where);
        const provider = type.split("_")[0];
        used.add(provider);
        const index = providerIndex(provider);
        if (!index) { report(file, item.line, `${where}: no schema package for provider ${provider} (tests/terraform/package.json)`); continue; }
        const struct = (item.name === "data" ? index.dataSources : index.resources)[type];
        if (!struct) {
          const known = Object.keys(item.name === "data" ? index.dataSources : index.resources);
          report(file, item.line, `${where}: hashicorp/${provider} ${index.providerVersion} has no ${item.name === "data" ? "data source" : "resource type"} ${type}${suggest(type, known)}`);
          continue;
        }
        counts[item.name === "data" ? "dataSources" : "resources"]++;
        await checkBody(item.body, struct, index.structs, where, file, metaArguments[item.name], item.line);
      } else if (item.name === "ephemeral") {
        const [type, name] = item.labels;
        const where = `ephemeral ${type}.${name}`;
        agree(json.ephemeral?.[type]?.[name]?.[0], where);
        const known = ephemeralSchemas[type];
        const provider = type.split("_")[0];
        used.add(provider);
        const index = providerIndex(provider);
        if (!known || !index?.resources[known.resource]) { report(file, item.line, `${where}: no schema known for this ephemeral resource (add it to ephemeralSchemas with its source)`); continue; }
        const base = index.structs[index.resources[known.resource]];
        const structs = { ...index.structs, [`ephemeral:${type}`]: Object.fromEntries(Object.entries(base).filter(([k]) => !known.without.includes(k) && k !== "id")) };
        counts.ephemeral++;
        await checkBody(item.body, `ephemeral:${type}`, structs, where, file, metaArguments.ephemeral, item.line);
      } else if (item.name === "provider") {
        const [provider] = item.labels;
        agree(json.provider?.[provider]?.[0], `provider ${provider}`);
        used.add(provider);
        const index = providerIndex(provider);
        if (!index) { report(file, item.line, `provider ${provider}: no schema package (tests/terraform/package.json)`); continue; }
        counts.providers++;
        await checkBody(item.body, index.providerConfig, index.structs, `provider ${provider}`, file, metaArguments.provider, item.line);
      } else if (item.name === "module") {
        const [name] = item.labels;
        agree(json.module?.[name]?.[0], `module ${name}`);
        counts.modules++;
        const face = moduleInterface(item, file);
        if (!face) continue;
        moduleOutputs.set(name, face);
        const meta = ["source", "version", "count", "for_each", "depends_on", "providers"];
        const given = new Set();
        for (const input of item.body) {
          if (input.kind === "block") { report(file, input.line, `module ${name}: a module call takes no blocks (${input.name})`); continue; }
          counts.arguments++;
          if (meta.includes(input.name)) continue;
          given.add(input.name);
          if (!face.inputs[input.name]) report(file, input.line, `module ${name}: ${face.label} has no input ${input.name}${suggest(input.name, Object.keys(face.inputs))}`);
          else if (face.inputs[input.name].type && /^[[{]/.test(input.expr)) checkTyped(await literal(input.expr), face.inputs[input.name].type, `module ${name}: ${input.name}`, file, input.line);
        }
        for (const [input, { required }] of Object.entries(face.inputs)) {
          if (required && !given.has(input)) report(file, item.line, `module ${name}: missing required input ${input} of ${face.label}`);
        }
      }
    }
  }
  // module.NAME.OUTPUT references, anywhere in this directory's files (comments removed, and the
  // moved, removed and import blocks, whose addresses name resources, not outputs).
  const codeOf = (text) => text.replace(/^\s*(#|\/\/).*$/gm, "").replace(/^(moved|removed|import) \{[\s\S]*?^\}/gm, (block) => block.replace(/[^\n]/g, ""));
  for (const { file, text } of dirFiles) {
    const code = codeOf(text);
    for (const match of code.matchAll(/\bmodule\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_]+)/g)) {
      const face = moduleOutputs.get(match[1]);
      const line = code.slice(0, match.index).split("\n").length;
      if (!face) { if (!parsedDirs.get(dir).some(({ items }) => items.some((i) => i.name === "module" && i.labels[0] === match[1]))) report(file, line, `module.${match[1]} is not called here`); continue; }
      if (!face.outputs.includes(match[2])) report(file, line, `module.${match[1]}.${match[2]}: ${face.label} has no output ${match[2]}${suggest(match[2], face.outputs)}`);
    }
  }
  // TYPE.NAME.ATTRIBUTE references to this directory's resources, data sources and ephemeral
  // resources: the attribute must exist in the provider's schema (arguments and computed ones).
  const declared = new Map();
  for (const { items } of dirFiles) {
    for (const item of items) {
      if (["resource", "data", "ephemeral"].includes(item.name) && item.kind === "block") {
        declared.set(`${item.name === "resource" ? "" : `${item.name}.`}${item.labels[0]}.${item.labels[1]}`, item);
      }
    }
  }
  for (const { file, text } of dirFiles) {
    const code = codeOf(text);
    for (const match of code.matchAll(/(?<![\w.])((?:data|ephemeral)\.)?([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z_][A-Za-z0-9_-]*)(?:\[[^\]]*\])?\.([a-z_][a-z0-9_]*)/g)) {
      const [, prefix = "", type, name, attribute] = match;
      if (!declared.has(`${prefix}${type}.${name}`)) continue;
      const index = providerIndex(type.split("_")[0]);
      const known = prefix === "ephemeral." ? index?.attributes[ephemeralSchemas[type]?.resource] : index?.attributes[`${prefix === "data." ? "data." : ""}${type}`];
      if (!known) continue;
      counts.references++;
      if (!known.includes(attribute)) {
        const line = code.slice(0, match.index).split("\n").length;
        report(file, line, `${prefix}${type}.${name}.${attribute}: hashicorp/${index.provider} ${index.providerVersion} has no attribute ${attribute}${suggest(attribute, known)}`);
      }
    }
  }
  // Provider pins.
  const isRoot = dirFiles.some(({ items }) => items.some((i) => i.name === "terraform" && i.body.some((b) => b.kind === "block" && b.name === "backend")));
  const pins = new Map();
  for (const { file, items } of dirFiles) {
    for (const terraform of items.filter((i) => i.kind === "block" && i.name === "terraform")) {
      for (const block of terraform.body.filter((b) => b.kind === "block" && b.name === "required_providers")) {
        for (const entry of block.body) {
          const value = await literal(entry.expr ?? "null");
          const index = providerIndex(entry.name);
          pins.set(entry.name, value?.version);
          if (!value?.version) { report(file, entry.line, `required_providers.${entry.name}: no version constraint`); continue; }
          if (!index) continue;
          if (value.source !== `hashicorp/${index.provider}`) report(file, entry.line, `required_providers.${entry.name}: source ${value.source}, but the schema is hashicorp/${index.provider}`);
          if (isRoot && exactVersion(value.version) !== index.providerVersion) {
            report(file, entry.line, `required_providers.${entry.name}: a root module pins exactly ${index.providerVersion} (the version its schema package was generated from), not "${value.version}"`);
          } else if (!admits(value.version, index.providerVersion)) {
            report(file, entry.line, `required_providers.${entry.name}: "${value.version}" does not admit ${index.providerVersion}, the version checked`);
          }
        }
      }
    }
  }
  for (const provider of used) {
    if (!pins.has(provider) && !builtinIndexes[provider]) report(relative(process.cwd(), dir), 0, `provider ${provider} is used but not in required_providers`);
  }
}

const roots = process.argv.slice(2);
if (roots.length === 0) { console.error("usage: check-terraform.mjs DIR..."); process.exit(2); }
const dirs = [...new Set(roots.flatMap((root) => tfFiles(resolve(root))).map((f) => dirname(f)))].sort();
for (const dir of dirs) {
  try {
    await checkDirectory(dir);
  } catch (error) {
    problems.push(`${relative(process.cwd(), dir)}: ${error.message}`);
  }
}
for (const problem of problems) console.log(`FAIL  ${relative(process.cwd(), problem.split(":")[0]) || problem.split(":")[0]}:${problem.split(":").slice(1).join(":")}`);
const blocks = counts.resources + counts.dataSources + counts.ephemeral + counts.providers + counts.modules;
console.log(`${blocks} blocks checked (${counts.resources} resources, ${counts.dataSources} data sources, ${counts.ephemeral} ephemeral resources, ${counts.providers} providers, ` +
  `${counts.modules} module calls), ${counts.nestedBlocks} nested blocks, ${counts.arguments} arguments, ${counts.literalValues} nested attribute values, ${counts.moduleValues} module input objects, ${counts.references} attribute references; ` +
  `${problems.length} problems`);
for (const [name, index] of indexes) if (index) console.log(`schema: hashicorp/${name} ${index.providerVersion} (${index.package}@${index.packageVersion})`);
process.exit(problems.length === 0 && blocks > 0 ? 0 : 1);
