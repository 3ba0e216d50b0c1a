// Validates App Service environment files (envs/<env>/env.yaml with `target: app-service`) against
// deploy/terraform/appservice-env.schema.json, and what a schema cannot say: min_instances <=
// max_instances, one instance with SQLite reports (the SMB-backed /home has one writer), the
// three PostgreSQL ranges inside each other as the VNet needs them.
// Usage: node validate-appservice-env.mjs ENV.yaml...
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv from "../node_modules/ajv/dist/ajv.js";
import { parse } from "../node_modules/yaml/dist/index.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const schema = JSON.parse(readFileSync(join(root, "deploy/terraform/appservice-env.schema.json"), "utf8"));
const validate = new Ajv.default({ allErrors: true, strict: false }).compile(schema);

const toInt = (ip) => ip.split(".").reduce((n, part) => n * 256 + Number(part), 0);
function within(inner, outer) {
  const [innerBase, innerBits] = inner.split("/");
  const [outerBase, outerBits] = outer.split("/");
  const size = 2 ** (32 - Number(outerBits));
  const start = Math.floor(toInt(outerBase) / size) * size;
  return Number(innerBits) >= Number(outerBits) && toInt(innerBase) >= start && toInt(innerBase) < start + size;
}

let failures = 0;
for (const file of process.argv.slice(2)) {
  const env = parse(readFileSync(file, "utf8"));
  const problems = [];
  if (!validate(env)) {
    problems.push(...validate.errors.map((e) => `${e.instancePath || "/"} ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ""}${e.params?.allowedValues ? ` (${e.params.allowedValues.join(", ")})` : ""}`));
  } else {
    if (env.app.min_instances > env.app.max_instances) problems.push("app.min_instances is larger than app.max_instances");
    if (env.app.reports === "sqlite" && env.app.max_instances !== 1) problems.push("app.reports sqlite needs max_instances 1: SQLite on the shared /home must have one writer");
    for (const key of ["app_subnet", "postgres_subnet"]) {
      if (!within(env.postgres[key], env.postgres.address_space)) problems.push(`postgres.${key} is outside postgres.address_space`);
    }
    if (within(env.postgres.app_subnet, env.postgres.postgres_subnet) || within(env.postgres.postgres_subnet, env.postgres.app_subnet)) problems.push("postgres.app_subnet and postgres.postgres_subnet overlap");
  }
  failures += problems.length ? 1 : 0;
  console.log(problems.length ? `INVALID  ${file}\n${problems.map((p) => `         ${p}`).join("\n")}` : `valid    ${file}`);
}
process.exit(failures === 0 ? 0 : 1);
