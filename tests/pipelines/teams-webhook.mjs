// The Teams receiver's precondition (modules/platform/secrets.tf) as the two workflows that plan
// feed it, evaluated by Terraform itself (this machine's terraform; no provider, no cloud): the
// precondition block and the root variable's declaration (envs/azure-dev) are copied verbatim into a scratch root module
// on a terraform_data, with the receiver on.
//   node tests/pipelines/teams-webhook.mjs PLAN_WORKFLOW DEPLOY_WORKFLOW
//   - terraform-plan.yml: with its plan job's TF_VAR_* environment (the literals; it has no
//     secret) the plan must pass: pull requests and deploy.yml's plan job run it.
//   - deploy.yml: the script of the step that runs make tf-apply, with `make` standing in for the
//     plan, must stop when the TEAMS_WEBHOOK_URL secret is unset (GitHub gives "", and Terraform
//     takes TF_VAR_x="" as "", which passes `!= null`) and pass when it is set.
// Exits 1 and names every finding.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const [planFile, deployFile] = process.argv.slice(2);
const findings = [];

// The block that starts at the first line matching START, to its closing brace (HCL, braces balanced).
function block(text, start) {
  const lines = text.split("\n");
  const first = lines.findIndex((l) => start.test(l));
  if (first < 0) throw new Error(`no ${start} in the Terraform source`);
  let depth = 0;
  for (let i = first; i < lines.length; i++) {
    depth += (lines[i].match(/{/g) ?? []).length - (lines[i].match(/}/g) ?? []).length;
    if (depth === 0) return lines.slice(first, i + 1).join("\n");
  }
  throw new Error(`${start}: unbalanced braces`);
}
const secrets = readFileSync(join(root, "deploy/terraform/modules/platform/secrets.tf"), "utf8");
const resource = block(secrets, /^resource "kubernetes_secret_v1" "alertmanager_webhooks"/);
const precondition = block(resource, /^\s*precondition\s*{/);
const variable = block(readFileSync(join(root, "deploy/terraform/envs/azure-dev/variables.tf"), "utf8"), /^variable "teams_webhook_url"/);
const work = mkdtempSync(join(tmpdir(), "appraise-teams-"));
writeFileSync(join(work, "main.tf"), `${variable}\nresource "terraform_data" "alertmanager_webhooks" {\n  lifecycle {\n${precondition}\n  }\n}\n`);
const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("TF_VAR_")));
execFileSync("terraform", [`-chdir=${work}`, "init", "-input=false", "-no-color"], { env: clean, stdio: "ignore" });
const plan = (env) => spawnSync("terraform", [`-chdir=${work}`, "plan", "-input=false", "-no-color", "-lock=false"], { env: { ...clean, ...env }, encoding: "utf8" });
const literals = (env) => Object.fromEntries(Object.entries(env ?? {}).filter(([, v]) => !String(v).includes("${{")).map(([k, v]) => [k, String(v)]));

try {
  const planJob = Object.values(parse(readFileSync(planFile, "utf8")).jobs ?? {}).find((j) => (j.steps ?? []).some((s) => /\bmake tf-plan\b/.test(s.run ?? "")));
  const env = Object.fromEntries(Object.entries(literals(planJob?.env)).filter(([k]) => k.startsWith("TF_VAR_")));
  const result = plan(env);
  console.log(`${planFile}: plan with ${JSON.stringify(Object.keys(env))} and the receiver on: exit ${result.status}`);
  if (result.status !== 0) findings.push(`${planFile}: the plan fails with the Teams receiver on:\n${(result.stdout + result.stderr).trim().split("\n").filter((l) => /Error|precondition|teams/i.test(l)).join("\n")}`);

  const deploy = parse(readFileSync(deployFile, "utf8"));
  for (const [name, job] of Object.entries(deploy.jobs ?? {})) {
    for (const step of (job.steps ?? []).filter((s) => /\bmake tf-apply\b/.test(s.run ?? ""))) {
      for (const [secret, stops] of [["", true], ["https://example.invalid/workflows/hook", false]]) {
        // The step's environment as GitHub gives it: the webhook secret under test, any other
        // expression a stand-in. `make` plans the scratch module with the TF_VAR_ the script exports.
        const stepEnv = Object.fromEntries(Object.entries({ ...job.env, ...step.env }).map(([k, v]) =>
          [k, /secrets\.TEAMS_WEBHOOK_URL/.test(String(v)) ? secret : String(v).includes("${{") ? "stand-in" : String(v)]));
        const script = `make() { terraform -chdir='${work}' plan -input=false -no-color -lock=false >/dev/null; }\n${step.run}`;
        const ran = spawnSync("bash", ["-eo", "pipefail", "-c", script], { env: { ...clean, ...stepEnv }, encoding: "utf8" });
        console.log(`${deployFile}: job ${name}, TEAMS_WEBHOOK_URL ${secret ? "set" : "unset"}: exit ${ran.status}`);
        if (stops && ran.status !== 0 && !/precondition failed/i.test(ran.stderr)) findings.push(`${deployFile}: job ${name} stops without the secret, but not at the precondition:\n${ran.stderr.trim()}`);
        if (stops && ran.status === 0) findings.push(`${deployFile}: job ${name} plans with the Teams receiver on and no TEAMS_WEBHOOK_URL secret (an empty URL passes the precondition)`);
        if (!stops && ran.status !== 0) findings.push(`${deployFile}: job ${name} fails with the TEAMS_WEBHOOK_URL secret set:\n${ran.stderr.trim()}`);
      }
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
for (const f of findings) console.log(f);
console.log(`teams-webhook: ${findings.length} findings`);
process.exit(findings.length ? 1 : 0);
