// Static checks of the CI/CD definitions against what tests/pipelines/record.mjs recorded from
// the upstream sources (actions.json, azure-tasks.json), so they run offline.
//   node tests/pipelines/check.mjs CHECK FILE...     exits 1 and names every finding
// Checks (GitHub workflows unless noted):
//   pins          every `uses:` is pinned by a full 40-character commit SHA with its release tag
//                 (vX.Y.Z or vX.Y, never a moving major such as v4) in a comment, and that pin
//                 was recorded (its tag resolved to that SHA upstream)
//   inputs        every `with:` input exists in the action.yml at the pinned SHA, none is
//                 deprecated there, and every required input is given
//   run-expressions  no `${{ ... }}` inside a `run:` script (GitHub) or a script/inlineScript
//                 (Azure Pipelines): event payloads and step outputs reach scripts through env:
//   plan-artifacts   no uploaded artifact (upload-artifact, PublishPipelineArtifact, CircleCI
//                 store_artifacts/persist_to_workspace) can include a Terraform plan
//   environments  a job that deploys, applies, destroys or rolls back, or uses a secret other
//                 than GITHUB_TOKEN or an apply/push identity, runs in a GitHub environment; a job
//                 with the plan identity uses no environment and no apply identity
//   pr-plan       ci.yml: pull requests get a terraform plan of every environment deploy.yml
//                 applies through terraform-plan.yml, with OIDC and no secrets, and the
//                 always-reporting required check waits for it; terraform-plan.yml: no
//                 environment, no secret, only plan identities, and it runs make tf-plan
//   required-checks  a job docs/branch-protection.md requires reports on every pull request: no
//                 path filter, no matrix, if: always(), and it waits for every other job
//   azure-tasks   (Azure Pipelines) every task@major was recorded, is not deprecated, every input
//                 exists in its task.json (names or aliases), every required one is given, and
//                 no service connection input is a runtime variable ($(...) or $[...]), which
//                 queue-time authorisation cannot resolve
//   reusable-inputs  a job that calls a workflow of this repository (uses: ./.github/workflows/X)
//                 gives only inputs X declares under on.workflow_call, every required one without
//                 a default, and literal values of the declared type: GitHub refuses the run when
//                 a boolean input gets "yes" or a number input "ten" (an ${{ }} expression is
//                 checked when it runs, not here)
//   circleci      (CircleCI) every job that deploys is held behind an approval job, and no job
//                 logs in with a stored password or token
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const { actions } = JSON.parse(readFileSync(join(here, "actions.json"), "utf8"));
const { tasks } = JSON.parse(readFileSync(join(here, "azure-tasks.json"), "utf8"));
const [check, ...files] = process.argv.slice(2);
const findings = [];
const fail = (file, message) => findings.push(`${file}: ${message}`);

const load = (file) => ({ text: readFileSync(file, "utf8"), doc: parse(readFileSync(file, "utf8")) });
const jobsOf = (doc) => Object.entries(doc?.jobs ?? {});
const stepsOf = (job) => job.steps ?? [];
const deploying = /\bmake\s+(tf-apply|tf-destroy|deploy|rollback)\b|\bterraform\s+(-chdir=\S+\s+)?(apply|destroy)\b|\bhelm\s+(upgrade|rollback|uninstall)\b/;
const planFile = /tfplan|\.plan\b|plan\.out|(^|\/)deploy\/terraform\/?$|(^|\/)deploy\/terraform\/envs|^\.?\/?$|^\*+$|github\.workspace\s*}}\/?$/;

// Every script of an Azure Pipelines file, with the step it belongs to.
function azureSteps(node, out = []) {
  if (Array.isArray(node)) node.forEach((n) => azureSteps(n, out));
  else if (node && typeof node === "object") {
    if (node.task || node.script || node.bash || node.pwsh || node.powershell || node.publish) out.push(node);
    Object.values(node).forEach((n) => azureSteps(n, out));
  }
  return out;
}

const checks = {
  pins(file, { text }) {
    for (const [line, n] of text.split("\n").map((l, i) => [l, i + 1])) {
      const m = line.match(/^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/);
      if (!m || m[1].startsWith("./")) continue;
      const pin = m[1].match(/^([\w.-]+\/[\w.-]+(?:\/[\w./-]+)?)@([0-9a-f]{40})$/);
      // The release tag itself: vX.Y.Z, or vX.Y where that is how the action tags releases
      // (Azure/use-kubelogin); record.mjs proves the tag resolves to the SHA.
      const tag = m[2].match(/^\s+#\s*(v?\d+\.\d+(?:\.\d+)?)\s*$/);
      if (!pin) { fail(file, `line ${n}: ${m[1]} is not pinned by a 40-character commit SHA`); continue; }
      if (!tag) { fail(file, `line ${n}: ${m[1]} has no "# vX.Y.Z" comment naming its release tag`); continue; }
      const recorded = actions[m[1]];
      if (!recorded) fail(file, `line ${n}: ${m[1]} was not recorded: run tests/pipelines/record.mjs (it checks the tag resolves to the SHA)`);
      else if (recorded.version !== tag[1]) fail(file, `line ${n}: ${m[1]} is ${recorded.version} upstream, the comment says ${tag[1]}`);
    }
  },
  inputs(file, { doc }) {
    for (const [name, job] of jobsOf(doc)) {
      for (const step of stepsOf(job)) {
        if (!step.uses || step.uses.startsWith("./")) continue;
        const action = actions[step.uses];
        if (!action) { fail(file, `${name}: ${step.uses} was not recorded`); continue; }
        const given = Object.keys(step.with ?? {});
        for (const input of given) {
          if (!action.inputs.includes(input)) fail(file, `${name}: ${step.uses.split("@")[0]} ${action.version} has no input "${input}" (${action.source})`);
          if (action.deprecated.includes(input)) fail(file, `${name}: input "${input}" is deprecated in ${step.uses.split("@")[0]} ${action.version}`);
        }
        for (const input of action.required) {
          if (!given.includes(input)) fail(file, `${name}: ${step.uses.split("@")[0]} ${action.version} requires input "${input}"`);
        }
      }
    }
  },
  "run-expressions"(file, { doc }) {
    for (const [name, job] of jobsOf(doc)) {
      for (const step of stepsOf(job)) {
        if (typeof step.run === "string" && step.run.includes("${{")) fail(file, `${name}: a run: script interpolates \${{ }} (pass it through env:)`);
      }
    }
    for (const step of azureSteps(doc)) {
      for (const script of [step.script, step.bash, step.inputs?.inlineScript]) {
        if (typeof script === "string" && script.includes("${{")) fail(file, `a script interpolates \${{ }} (pass it through env:)`);
      }
    }
  },
  "plan-artifacts"(file, { doc }) {
    const paths = [];
    for (const [, job] of jobsOf(doc)) {
      for (const step of stepsOf(job)) {
        if (step.uses?.startsWith("actions/upload-artifact@")) paths.push(...String(step.with?.path ?? "").split("\n"));
        if (step.store_artifacts) paths.push(step.store_artifacts.path);
        if (step.persist_to_workspace) paths.push(...(step.persist_to_workspace.paths ?? []).map((p) => `${step.persist_to_workspace.root}/${p}`));
      }
    }
    for (const step of azureSteps(doc)) {
      if (/^Publish(Pipeline|Build)Artifacts?@/.test(step.task ?? "")) paths.push(step.inputs?.targetPath ?? step.inputs?.path ?? step.inputs?.PathtoPublish ?? "");
      if (step.publish) paths.push(step.publish);
    }
    for (const path of paths.map((p) => String(p).trim()).filter(Boolean)) {
      if (planFile.test(path)) fail(file, `an artifact would include a Terraform plan or working directory: ${path}`);
    }
  },
  environments(file, { doc, text }) {
    for (const [name, job] of jobsOf(doc)) {
      const body = JSON.stringify(job);
      const scripts = stepsOf(job).map((s) => s.run ?? "").join("\n");
      const secrets = [...body.matchAll(/secrets\.(\w+)/g)].map((m) => m[1]).filter((s) => s !== "GITHUB_TOKEN");
      const identities = [...body.matchAll(/vars\.(\w*_(?:APPLY|PUSH)_\w*)/g)].map((m) => m[1]);
      const plan = [...body.matchAll(/vars\.(\w*_PLAN_\w*)/g)].map((m) => m[1]);
      const why = [deploying.test(scripts) && "it deploys, applies, destroys or rolls back",
        secrets.length && `it uses secrets ${secrets.join(", ")}`, identities.length && `it uses ${identities.join(", ")}`].filter(Boolean);
      if (why.length && !job.environment) fail(file, `job ${name} has no environment, but ${why.join(" and ")}`);
      if (plan.length && (job.environment || identities.length || secrets.length)) fail(file, `job ${name} uses the plan identity and also an environment, a secret or an apply identity`);
    }
    if (!text.includes("jobs:")) fail(file, "no jobs");
  },
  "pr-plan"(file, { doc }) {
    // ci.yml: on pull requests, a job calls the plan workflow for every environment deploy.yml
    // applies, with an OIDC token, no secrets passed, and the required check waits for it.
    // The plan workflow: no environment, no secret, only plan identities, and it runs make tf-plan.
    const planWorkflow = "./.github/workflows/terraform-plan.yml";
    if (file.endsWith("/terraform-plan.yml")) {
      for (const [name, job] of jobsOf(doc)) {
        const body = JSON.stringify(job);
        if (job.environment) fail(file, `job ${name} runs in an environment`);
        if (/secrets\./.test(body)) fail(file, `job ${name} uses a secret`);
        if (/vars\.\w*_(APPLY|PUSH)_/.test(body)) fail(file, `job ${name} uses an apply or push identity`);
        if (!stepsOf(job).some((st) => /\bmake tf-plan\b/.test(st.run ?? ""))) fail(file, `job ${name} does not run make tf-plan`);
      }
      return;
    }
    const deploy = parse(readFileSync(join(here, "../../.github/workflows/deploy.yml"), "utf8"));
    const envs = (deploy.on?.workflow_dispatch?.inputs?.environment?.options ?? []).map(String).sort();
    if (envs.length === 0) fail(file, "deploy.yml names no environment to plan");
    if (!("pull_request" in (doc.on ?? {}))) fail(file, "does not run on pull requests");
    const callers = jobsOf(doc).filter(([, job]) => job.uses === planWorkflow);
    const pr = callers.filter(([, job]) => /pull_request/.test(job.if ?? "pull_request"));
    if (pr.length === 0) fail(file, `no job calls ${planWorkflow} on pull requests`);
    for (const [name, job] of pr) {
      const covered = (job.strategy?.matrix?.environment ?? [job.with?.environment]).map(String).sort();
      const missing = envs.filter((e) => !covered.includes(e));
      if (missing.length) fail(file, `job ${name} plans no ${missing.join(", ")}`);
      if (job.permissions?.["id-token"] !== "write") fail(file, `job ${name} gets no OIDC token (permissions id-token: write)`);
      if (job.secrets !== undefined) fail(file, `job ${name} passes secrets to the plan`);
      if (job.environment) fail(file, `job ${name} runs in an environment`);
      const gate = jobsOf(doc).find(([, j]) => j.if === "always()" && (j.needs ?? []).includes(name));
      if (!gate) fail(file, `no always() job (the required check) needs job ${name}`);
    }
  },
  "required-checks"(file, { doc }) {
    // Every required check docs/branch-protection.md names (**`name`**) that is a job of this
    // workflow must report on every pull request: no path filter on the workflow's
    // pull_request trigger, no matrix (it would report under another name), if: always(), and
    // it waits for every other job of the workflow.
    const required = [...readFileSync(join(here, "../../docs/branch-protection.md"), "utf8").matchAll(/\*\*`([\w-]+)`\*\*/g)].map((m) => m[1]);
    const trigger = doc.on?.pull_request;
    for (const [name, job] of jobsOf(doc).filter(([n]) => required.includes(n))) {
      if (trigger === undefined) fail(file, `required check ${name}: the workflow does not run on pull requests`);
      if (trigger && (trigger.paths || trigger["paths-ignore"])) fail(file, `required check ${name}: a path filter on pull_request leaves it pending on other pull requests`);
      if (job.strategy?.matrix) fail(file, `required check ${name}: a matrix job reports under another name`);
      if (job.if !== "always()") fail(file, `required check ${name}: without if: always() it is skipped when a job it needs fails`);
      const others = jobsOf(doc).map(([n]) => n).filter((n) => n !== name);
      const missing = others.filter((n) => !(job.needs ?? []).includes(n));
      if (missing.length) fail(file, `required check ${name} does not wait for ${missing.join(", ")}`);
    }
  },
  "azure-tasks"(file, { doc }) {
    for (const step of azureSteps(doc).filter((s) => s.task)) {
      const task = tasks[step.task];
      if (!task) { fail(file, `${step.task} was not recorded: run tests/pipelines/record.mjs`); continue; }
      if (task.deprecated) fail(file, `${step.task} (${task.version}) is deprecated`);
      const given = Object.keys(step.inputs ?? {});
      for (const input of given) {
        if (!task.inputs.includes(input)) fail(file, `${step.task} ${task.version} has no input "${input}" (${task.source})`);
      }
      for (const input of (task.connections ?? []).filter((i) => given.includes(i))) {
        // Queue-time authorisation sees a runtime variable's name, not its value.
        if (/\$[([]/.test(String(step.inputs[input]))) fail(file, `${step.task} input "${input}" names its service connection with a runtime variable (${step.inputs[input]}): use a literal or a template parameter`);
      }
      for (const names of task.required) {
        if (!names.split("|").some((n) => given.includes(n))) fail(file, `${step.task} ${task.version} requires input "${names}"`);
      }
    }
  },
  "reusable-inputs"(file, { doc }) {
    for (const [name, job] of jobsOf(doc)) {
      const callee = /^\.\/(\.github\/workflows\/[^@]+\.ya?ml)$/.exec(job.uses ?? "")?.[1];
      if (!callee) continue;
      const root = join(dirname(file), "..", "..");
      const declared = load(join(root, callee)).doc?.on?.workflow_call?.inputs ?? {};
      const given = job.with ?? {};
      for (const [input, value] of Object.entries(given)) {
        const spec = declared[input];
        if (!spec) { fail(file, `job ${name}: ${callee} declares no input ${input}`); continue; }
        const expression = typeof value === "string" && /^\s*\$\{\{.*\}\}\s*$/s.test(value);
        if (expression) continue;
        const ok = { boolean: typeof value === "boolean", number: typeof value === "number", string: typeof value !== "object" }[spec.type];
        if (ok === false) fail(file, `job ${name}: input ${input} of ${callee} is a ${spec.type}, given ${JSON.stringify(value)}`);
      }
      for (const [input, spec] of Object.entries(declared)) {
        if (spec.required && spec.default === undefined && !(input in given)) fail(file, `job ${name}: required input ${input} of ${callee} is not given`);
      }
    }
  },
  circleci(file, { doc, text }) {
    const workflowJobs = Object.values(doc.workflows ?? {}).flatMap((w) => (w.jobs ?? []).map((j) =>
      typeof j === "string" ? [j, {}] : Object.entries(j)[0]));
    const approvals = new Set(workflowJobs.filter(([, c]) => c.type === "approval").map(([n]) => n));
    const requires = new Map(workflowJobs.map(([n, c]) => [n, c.requires ?? []]));
    const heldBack = (n, seen = new Set()) => !seen.has(n) && (seen.add(n), (requires.get(n) ?? []).some((r) => approvals.has(r) || heldBack(r, seen)));
    for (const [name] of workflowJobs) {
      const job = doc.jobs?.[name];
      if (!job) continue;
      if (deploying.test(JSON.stringify(job.steps ?? [])) && !heldBack(name)) fail(file, `job ${name} deploys without an approval job before it`);
    }
    if (/password-stdin|--password\b|_TOKEN\b|_PASSWORD\b/.test(text.replace(/\w*OIDC_TOKEN\w*/g, ""))) fail(file, "a job logs in with a stored password or token (use OIDC)");
  },
};

if (!checks[check] || files.length === 0) {
  console.error(`usage: check.mjs {${Object.keys(checks).join("|")}} FILE...`);
  process.exit(2);
}
for (const file of files) checks[check](file, load(file));
for (const f of findings) console.log(f);
console.log(`${check}: ${files.length} files, ${findings.length} findings`);
process.exit(findings.length ? 1 : 0);
