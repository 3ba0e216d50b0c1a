// Confirms every KServe convention in schemas/kserve-facts.json against KServe's source at the
// recorded tag: each fact's line must be in its file there.
// Usage: node tests/kserve/check-facts.mjs KSERVE_GIT_DIR      exits 1 when a line is missing.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const gitDir = process.argv[2];
if (!gitDir) {
  console.error("usage: node check-facts.mjs KSERVE_GIT_DIR");
  process.exit(2);
}
const { tag, facts } = JSON.parse(readFileSync(new URL("./schemas/kserve-facts.json", import.meta.url)));
let missing = 0;
for (const [name, fact] of Object.entries(facts)) {
  const text = execFileSync("git", ["-C", gitDir, "show", `${tag}:${fact.path}`], { encoding: "utf8", maxBuffer: 64 << 20 });
  for (const line of fact.lines ?? [fact.line]) {
    const found = text.includes(line);
    if (!found) missing++;
    console.log(`${found ? "ok  " : "FAIL"} ${name}: ${fact.path}@${tag} ${found ? "has" : "lacks"} ${line}`);
  }
}
process.exit(missing ? 1 : 0);
