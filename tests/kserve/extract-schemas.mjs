// Extracts the openAPIV3Schema of KServe's ClusterServingRuntime and InferenceService CRDs at a
// pinned tag into schemas/, so the checker runs offline and a KServe upgrade is one re-run.
// The "description" strings are dropped (they are documentation, most of the bytes, and play no
// part in validation); every other keyword is kept as the CRD has it.
// Usage: node tests/kserve/extract-schemas.mjs KSERVE_GIT_DIR [TAG] [OUT_DIR]
//   KSERVE_GIT_DIR: a clone of github.com/kserve/kserve (here /work/.mirror/kserve+kserve/repo)
//   TAG: v0.20.0 unless given; OUT_DIR: tests/kserve/schemas unless given.
import { execFileSync } from "node:child_process";
import { writeFileSync, mkdirSync } from "node:fs";
import { parse } from "yaml";

const [gitDir, tag = "v0.20.0", outDir = new URL("./schemas/", import.meta.url).pathname] = process.argv.slice(2);
if (!gitDir) {
  console.error("usage: node extract-schemas.mjs KSERVE_GIT_DIR [TAG] [OUT_DIR]");
  process.exit(2);
}
const crds = [
  { kind: "ClusterServingRuntime", version: "v1alpha1", path: "charts/kserve-crd/templates/serving.kserve.io_clusterservingruntimes.yaml", out: "clusterservingruntime.v1alpha1.json" },
  { kind: "InferenceService", version: "v1beta1", path: "charts/kserve-crd/templates/serving.kserve.io_inferenceservices.yaml", out: "inferenceservice.v1beta1.json" },
];

// Drops documentation strings only: a property that happens to be called "description" is an
// object (a schema) and stays.
function withoutDescriptions(node) {
  if (Array.isArray(node)) return node.map(withoutDescriptions);
  if (!node || typeof node !== "object") return node;
  return Object.fromEntries(
    Object.entries(node).filter(([key, value]) => !(key === "description" && typeof value === "string")).map(([key, value]) => [key, withoutDescriptions(value)]),
  );
}

mkdirSync(outDir, { recursive: true });
for (const crd of crds) {
  const text = execFileSync("git", ["-C", gitDir, "show", `${tag}:${crd.path}`], { encoding: "utf8", maxBuffer: 64 << 20 });
  const document = parse(text);
  if (document.spec.names.kind !== crd.kind) throw new Error(`${crd.path}: kind ${document.spec.names.kind}, expected ${crd.kind}`);
  const version = document.spec.versions.find((v) => v.name === crd.version);
  if (!version || !version.served) throw new Error(`${crd.path}: ${crd.version} is not served at ${tag}`);
  const out = {
    source: { repository: "https://github.com/kserve/kserve", tag, path: crd.path },
    group: document.spec.group,
    kind: crd.kind,
    version: crd.version,
    served: document.spec.versions.filter((v) => v.served).map((v) => v.name),
    scope: document.spec.scope,
    openAPIV3Schema: withoutDescriptions(version.schema.openAPIV3Schema),
  };
  writeFileSync(`${outDir}/${crd.out}`, JSON.stringify(out) + "\n");
  console.log(`${crd.out}: ${crd.kind} ${document.spec.group}/${crd.version} from ${crd.path} at ${tag}`);
}
