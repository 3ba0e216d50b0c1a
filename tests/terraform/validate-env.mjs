// Validates Terraform environment files (env.yaml) against deploy/terraform/env.schema.json and
// checks what a schema cannot: node bounds, the cluster DNS address inside the service range,
// and that every listed chart values file exists. Usage: node validate-env.mjs ENV.yaml...
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";
import { parse } from "yaml";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const schema = JSON.parse(readFileSync(join(root, "deploy/terraform/env.schema.json"), "utf8"));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

function inCidr(address, cidr) {
  const toInt = (ip) => ip.split(".").reduce((n, part) => (n << 8) + Number(part), 0) >>> 0;
  const [base, bits] = cidr.split("/");
  const mask = bits === "0" ? 0 : (~0 << (32 - Number(bits))) >>> 0;
  return (toInt(address) & mask) === (toInt(base) & mask);
}

let failures = 0;
for (const file of process.argv.slice(2)) {
  const env = parse(readFileSync(file, "utf8"));
  const problems = [];
  if (!validate(env)) {
    // oneOf reports every branch; the branch for the declared cloud is the one that matters.
    const branch = env?.cloud === "aws" ? 1 : 0;
    problems.push(...validate.errors
      .filter((e) => e.schemaPath.startsWith(`#/oneOf/${branch}/`))
      .map((e) => `${e.instancePath || "/"} ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ""}`));
    if (problems.length === 0) problems.push("cloud must be azure or aws");
  } else {
    const cluster = env.aks ?? env.eks;
    if (cluster.min_nodes > cluster.max_nodes) problems.push("min_nodes is larger than max_nodes");
    if (env.eks && !(env.eks.min_nodes <= env.eks.desired_nodes && env.eks.desired_nodes <= env.eks.max_nodes)) problems.push("desired_nodes is outside min_nodes..max_nodes");
    if (env.network && !inCidr(env.network.dns_service_ip, env.network.service_cidr)) problems.push("network.dns_service_ip is outside network.service_cidr");
    if (env.vpc && env.vpc.public_subnets.length !== env.vpc.azs.length) problems.push("one public subnet per zone");
    if (env.vpc && env.vpc.private_subnets.length !== env.vpc.azs.length) problems.push("one private subnet per zone");
    for (const values of env.appraise.values_files) {
      if (!existsSync(join(root, values))) problems.push(`appraise.values_files: ${values} does not exist`);
    }
  }
  failures += problems.length ? 1 : 0;
  console.log(problems.length ? `INVALID  ${file}\n${problems.map((p) => `         ${p}`).join("\n")}` : `valid    ${file}`);
}
process.exit(failures === 0 ? 0 : 1);
