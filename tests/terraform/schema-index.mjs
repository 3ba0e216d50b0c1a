// Provider schemas from the prebuilt CDK for Terraform bindings (@cdktf/provider-*): each package's
// .jsii file describes every resource, data source and the provider block of the exact provider
// version it was generated from. The cdktf generator (packages/@cdktf/provider-generator, parser
// for block_types) gives every nested BLOCK the description "<name> block" and every attribute its
// schema description, so the summary tells blocks from nested attributes (helm 3's `set = [...]`).
// A property is required when the jsii says it is not optional (cdktf: attribute `required`, block
// `min_items > 0`). buildIndex() reduces a .jsii (up to 130 MB) to what the checker needs.
import { mkdirSync, readFileSync, writeFileSync, existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const packages = JSON.parse(readFileSync(join(here, "package.json"), "utf8")).devDependencies;
const indexDir = join(here, "node_modules", ".schema-index");
const linkPattern = /\{@link https:\/\/registry\.terraform\.io\/providers\/hashicorp\/([a-z0-9-]+)\/([0-9.]+)\/docs(?:\/(resources|data-sources)\/\S+)? ([a-z0-9_]+)\}/;
const anchorPattern = /\{@link https:\/\/registry\.terraform\.io\/\S+#(\S+) \S+\}/;

const snake = (name) => name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();

function describeType(type, types) {
  const isStruct = (fqn) => types[fqn]?.kind === "interface" && types[fqn]?.datatype;
  if (type.fqn && isStruct(type.fqn)) return { struct: type.fqn, nesting: "single" };
  if (type.collection) {
    const element = type.collection.elementtype;
    if (element.fqn && isStruct(element.fqn)) return { struct: element.fqn, nesting: type.collection.kind === "map" ? "map" : "list" };
    return {};
  }
  if (type.union) {
    for (const member of type.union.types) {
      const described = describeType(member, types);
      if (described.struct) return described;
    }
  }
  return {};
}

// The Terraform type of an attribute, from its jsii type: cdktf maps string/number/bool to
// primitives (bool as a union with IResolvable), list/set to "array", map to "map".
function valueType(type) {
  if (type.primitive && ["string", "number", "boolean"].includes(type.primitive)) return type.primitive === "boolean" ? "bool" : type.primitive;
  if (type.union) { const prim = type.union.types.find((t) => t.primitive); return prim ? valueType(prim) : undefined; }
  if (type.collection) { const of = valueType(type.collection.elementtype); return of ? `${type.collection.kind === "map" ? "map" : "list"}(${of})` : undefined; }
  return undefined;
}

function describeStruct(fqn, types, structs) {
  if (structs[fqn]) return;
  const properties = {};
  structs[fqn] = properties;
  for (const property of types[fqn].properties ?? []) {
    const docs = `${property.docs?.summary ?? ""} ${property.docs?.remarks ?? ""}`;
    const name = anchorPattern.exec(docs)?.[1] ?? snake(property.name);
    const { struct, nesting } = describeType(property.type, types);
    const block = new RegExp(`^${name} block\\.?$`).test(property.docs?.summary ?? "");
    properties[name] = { required: !property.optional, block, ...(struct ? { struct, nesting } : { type: valueType(property.type) }) };
    if (struct) describeStruct(struct, types, structs);
  }
}

export function buildIndex(packageName) {
  const jsii = JSON.parse(readFileSync(join(here, "node_modules", packageName, ".jsii"), "utf8"));
  const index = { package: packageName, packageVersion: jsii.version, resources: {}, dataSources: {}, attributes: {}, structs: {} };
  for (const type of Object.values(jsii.types)) {
    if (type.kind !== "class") continue;
    const link = linkPattern.exec(type.docs?.summary ?? "");
    const config = type.initializer?.parameters?.[2]?.type?.fqn;
    if (!link || !config) continue;
    const [, provider, version, kind, tfName] = link;
    index.provider = provider;
    index.providerVersion = version;
    if (kind === "resources") index.resources[tfName] = config;
    else if (kind === "data-sources") index.dataSources[tfName] = config;
    else index.providerConfig = config;
    // What expressions may read: the class's getters (arguments and computed attributes alike).
    if (kind) {
      index.attributes[`${kind === "data-sources" ? "data." : ""}${tfName}`] = (type.properties ?? [])
        .filter((p) => !p.static && !p.name.endsWith("Input")).map((p) => snake(p.name));
    }
    describeStruct(config, jsii.types, index.structs);
  }
  return index;
}

// The index of one provider package, built once per installed version and kept in node_modules.
export function loadIndex(packageName) {
  const file = join(indexDir, `${packageName.replace("/", "+")}@${packages[packageName]}.json`);
  const jsii = join(here, "node_modules", packageName, ".jsii");
  if (!existsSync(file) || statSync(file).mtimeMs < Math.max(statSync(jsii).mtimeMs, statSync(fileURLToPath(import.meta.url)).mtimeMs)) {
    mkdirSync(indexDir, { recursive: true });
    writeFileSync(file, JSON.stringify(buildIndex(packageName)));
  }
  return JSON.parse(readFileSync(file, "utf8"));
}

export const providerPackages = () => Object.keys(packages).filter((name) => name.startsWith("@cdktf/provider-"));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // node schema-index.mjs: build (or refresh) every provider's index; the install step runs it.
  for (const name of providerPackages()) {
    const index = loadIndex(name);
    console.log(`${name}@${index.packageVersion}: hashicorp/${index.provider} ${index.providerVersion}, ` +
      `${Object.keys(index.resources).length} resources, ${Object.keys(index.dataSources).length} data sources`);
  }
}
