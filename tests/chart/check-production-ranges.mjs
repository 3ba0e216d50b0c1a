// The production values files name the same address ranges Terraform's appraise_values output
// passes for their environment, so a user who installs with the file alone gets the same trusted
// proxies and database egress as the pipeline does. Reads env.yaml as the envs' main.tf does.
// Usage: node check-production-ranges.mjs VALUES_DIR TERRAFORM_ENVS_DIR
import { readFileSync } from "node:fs";
import { parse } from "yaml";

const [valuesDir, envsDir] = process.argv.slice(2);
const load = (path) => parse(readFileSync(path, "utf8"));
const azure = load(`${envsDir}/azure-dev/env.yaml`);
const aws = load(`${envsDir}/aws-dev/env.yaml`);
// What envs/*/main.tf passes to modules/appraise-values.
const expected = {
  "azure-production.yaml": { trustedProxyNetworks: [azure.network.pod_cidr], databaseCidrs: [azure.network.private_endpoints_subnet] },
  "aws-production.yaml": { trustedProxyNetworks: aws.vpc.private_subnets, databaseCidrs: [aws.vpc.cidr] },
};

let failures = 0;
for (const [file, want] of Object.entries(expected)) {
  const values = load(`${valuesDir}/${file}`);
  const have = { trustedProxyNetworks: values.settings?.trustedProxyNetworks, databaseCidrs: values.networkPolicy?.databaseCidrs };
  for (const key of Object.keys(want)) {
    const ok = JSON.stringify(have[key]) === JSON.stringify(want[key]);
    if (!ok) failures++;
    console.log(`${ok ? "ok  " : "FAIL"}  ${file} ${key}: ${JSON.stringify(have[key])} (Terraform passes ${JSON.stringify(want[key])})`);
  }
}
process.exit(failures === 0 ? 0 : 1);
