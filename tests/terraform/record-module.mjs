// Records a community module's interface at one tag, from a git clone of its repository: input
// names (which have no default, and their type constraints), output names, and its
// required_providers constraints. The
// test reads these records offline (check-terraform.mjs); re-run this when a module pin changes:
//   node record-module.mjs GIT_DIR TAG SOURCE REPOSITORY_URL [SUBDIR] > modules/NAME.json
// e.g. node record-module.mjs ~/terraform-aws-eks/.git v21.11.0 terraform-aws-modules/eks/aws \
//        https://github.com/terraform-aws-modules/terraform-aws-eks
import { execFileSync } from "node:child_process";
import { parseHcl } from "./hcl-body.mjs";
import { parse as hcl2json } from "@cdktf/hcl2json";
import { parseType } from "./type-constraint.mjs";

const [gitDir, tag, source, repository, subdir = ""] = process.argv.slice(2);
if (!repository) { console.error("usage: record-module.mjs GIT_DIR TAG SOURCE REPOSITORY_URL [SUBDIR]"); process.exit(2); }
const git = (...args) => execFileSync("git", ["--git-dir", gitDir, ...args], { encoding: "utf8", maxBuffer: 1 << 26 });
const commit = git("rev-parse", `${tag}^{commit}`).trim();
const prefix = subdir ? `${subdir.replace(/\/$/, "")}/` : "";
const files = git("ls-tree", "--name-only", commit, ...(prefix ? [prefix] : [])).split("\n").filter((f) => f.endsWith(".tf"));

const inputs = {};
const outputs = [];
const requiredProviders = {};
for (const file of files) {
  const text = git("show", `${commit}:${file}`);
  for (const item of parseHcl(text, file)) {
    if (item.kind !== "block") continue;
    if (item.name === "variable") {
      const type = item.body.find((i) => i.kind === "attribute" && i.name === "type")?.expr;
      inputs[item.labels[0]] = {
        required: !item.body.some((i) => i.kind === "attribute" && i.name === "default"),
        ...(type ? { type: parseType(type) } : {}),
      };
    }
    if (item.name === "output") outputs.push(item.labels[0]);
    if (item.name === "terraform") {
      for (const block of item.body.filter((b) => b.kind === "block" && b.name === "required_providers")) {
        for (const entry of block.body) requiredProviders[entry.name] = (await hcl2json("v.tf", `v = ${entry.expr}\n`)).v.version;
      }
    }
  }
}
console.log(JSON.stringify({
  source,
  version: tag.replace(/^v/, ""),
  repository,
  tag,
  commit,
  files: files.sort(),
  recorded_by: "tests/terraform/record-module.mjs",
  required_providers: requiredProviders,
  inputs: Object.fromEntries(Object.entries(inputs).sort()),
  outputs: outputs.sort(),
}, null, 2));
