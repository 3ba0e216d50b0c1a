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
//                 than GITHUB_TOKEN or an apply/push/model-release identity (make model-release-upload
//                 and -promote count as deploying), runs in a GitHub environment; a job
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
//   azure-pushes  (Azure Pipelines, app-ci.yml) with every parameter at its default, which is all
//                 a run started by the CI trigger gets, the image stage pushes to the AKS registry
//                 (acrName, release.yml deploys from it) and the App Service one
//                 (appServiceAcrName, appservice-release.yml deploys from it)
//   azure-resources  (Azure Pipelines) every pipeline resource names `branch: main` (without it
//                 a manual run takes the latest run of any branch), every deployment job checks
//                 each resource's sourceBranch is refs/heads/main before it deploys, and a
//                 pipeline that runs on pull requests publishes no artifact from them
//   deploy-digest  (all three) every `make deploy` and `make appservice-deploy` passes DIGEST
//                 (a tag can be pushed again; a digest cannot); in GitHub the job first runs
//                 ci/verify-release-image.sh (release.yml's signature, exact identity) and takes
//                 the digest from it; no cosign verify anywhere with an identity regexp
//   release-gate  a workflow triggered by tags builds, pushes and signs only in jobs that need
//                 a job running ci/require-green.sh (the commit passed ci and e2e on main) with
//                 permissions actions: read
//   reviewed-plan  a job running make tf-apply passes EXPECT_PLAN from the fingerprint output
//                 of the job that called terraform-plan.yml, which declares that output
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
const deploying = /\bmake\s+(tf-apply|tf-destroy|deploy|rollback|model-release-upload|model-release-promote)\b|\bterraform\s+(-chdir=\S+\s+)?(apply|destroy)\b|\bhelm\s+(upgrade|rollback|uninstall)\b/;
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
      const identities = [...body.matchAll(/vars\.(\w*_(?:APPLY|PUSH|MODEL_RELEASE)_\w*)/g)].map((m) => m[1]);
      const plan = [...body.matchAll(/vars\.(\w*_PLAN_\w*)/g)].map((m) => m[1]);
      const why = [deploying.test(scripts) && "it deploys, applies, destroys or rolls back",
        secrets.length && `it uses secrets ${secrets.join(", ")}`, identities.length && `it uses ${identities.join(", ")}`].filter(Boolean);
      if (why.length && !job.environment) fail(file, `job ${name} has no environment, but ${why.join(" and ")}`);
      if (plan.length && (job.environment || identities.length || secrets.length)) fail(file, `job ${name} uses the plan identity and also an environment, a secret or an apply identity`);
    }
    if (!text.includes("jobs:")) fail(file, "no jobs");
  },
  "main-plan"(file, { doc }) {
    // ci.yml: on pushes to main, a job calls the plan workflow for every environment deploy.yml
    // applies, with an OIDC token, no secrets passed, and the required check waits for it; no job
    // calls it on pull requests (the plan identity reads secrets and trusts main only, issue 27
    // point 14).
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
    const callers = jobsOf(doc).filter(([, job]) => job.uses === planWorkflow);
    // A caller runs on pushes to main only when its condition requires both.
    const mainOnly = ([, job]) => /github\.event_name == 'push'/.test(job.if ?? "") && /github\.ref == 'refs\/heads\/main'/.test(job.if ?? "")
      && !/\|\|/.test(job.if ?? "");
    for (const [name] of callers.filter((caller) => !mainOnly(caller))) fail(file, `job ${name} calls ${planWorkflow} on more than pushes to main (pull requests would get the plan identity)`);
    const onMain = callers.filter(mainOnly);
    if (onMain.length === 0) fail(file, `no job calls ${planWorkflow} on pushes to main`);
    for (const [name, job] of onMain) {
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
  "azure-pushes"(file, { doc }) {
    const params = Object.fromEntries((doc.parameters ?? []).map((p) => [p.name, p.default]));
    const expanded = expandDefaults(doc, params, file);
    const image = (expanded.stages ?? []).find((st) => st.stage === "image");
    if (!image) { fail(file, "no image stage"); return; }
    const pushed = new Set();
    for (const step of azureSteps(image)) {
      for (const m of String(step.script ?? step.bash ?? "").matchAll(/docker\s+push\s+"?\$\{?(\w+)\}?\.azurecr\.io\//g)) pushed.add(azureVariable(step, m[1]));
    }
    // A Docker@2 login needs its service connection: an empty default compiles, then fails or skips.
    for (const step of azureSteps(image).filter((st) => /^Docker@/.test(st.task ?? "") && st.inputs?.command === "login")) {
      const connection = String(step.inputs.containerRegistry ?? "").replace(/\$\{\{\s*parameters\.(\w+)\s*\}\}/g, (_, p) => String(params[p] ?? ""));
      if (!connection.trim()) fail(file, `${step.displayName ?? step.task}: no service connection when the parameters are at their defaults`);
    }
    console.log(`${file}: with every parameter at its default the image stage pushes to: ${[...pushed].join(", ") || "nothing"}`);
    // The registries the pipelines app-ci triggers deploy from (release.yml: the AKS registry
    // Terraform's appraise_values names; appservice-release.yml: APPSERVICE_REGISTRY, the App
    // Service environment's registry, appServiceAcrName in the variable group appraise-acr).
    for (const [variable, consumer] of [["acrName", "release.yml"], ["appServiceAcrName", "appservice-release.yml"]]) {
      if (!pushed.has(variable)) fail(file, `a run started by the CI trigger (parameters at their defaults) pushes nothing to $(${variable}).azurecr.io, which ${consumer} deploys from`);
    }
  },
  "azure-resources"(file, { doc }) {
    const aliases = (doc.resources?.pipelines ?? []).map((r) => r.pipeline);
    for (const resource of doc.resources?.pipelines ?? []) {
      if (!["main", "refs/heads/main"].includes(resource.branch)) fail(file, `pipeline resource ${resource.pipeline} has no branch: main (a manual run takes the latest run of any branch)`);
    }
    const deployments = [];
    const walk = (node) => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === "object") { if (node.deployment) deployments.push(node); Object.values(node).forEach(walk); }
    };
    walk(doc);
    for (const job of aliases.length ? deployments : []) {
      const steps = azureSteps(job);
      const deployAt = steps.findIndex((st) => deploys(st.script ?? st.inputs?.inlineScript ?? ""));
      if (deployAt < 0) continue;
      const guarded = new Set(steps.slice(0, deployAt).flatMap((st) =>
        Object.values(st.env ?? {}).flatMap((v) => [...String(v).matchAll(/\$\(resources\.pipeline\.(\w+)\.sourceBranch\)/g)].map((m) => m[1]))
          .filter(() => /refs\/heads\/main/.test(String(st.script ?? "")))));
      for (const alias of aliases.filter((a) => !guarded.has(a))) fail(file, `deployment ${job.deployment} does not check that resource ${alias} comes from refs/heads/main before it deploys`);
    }
    if (doc.pr !== "none" && doc.pr !== undefined) {
      for (const step of azureSteps(doc).filter((st) => /^Publish(Pipeline|Build)Artifacts?@/.test(st.task ?? ""))) {
        const stage = (doc.stages ?? []).find((st) => azureSteps(st).includes(step));
        const conditions = `${step.condition ?? ""} ${stage?.condition ?? ""}`;
        if (!/ne\(variables\['Build\.Reason'\],\s*'PullRequest'\)/.test(conditions)) fail(file, `${step.task} publishes an artifact from pull-request runs too (condition: ne(variables['Build.Reason'], 'PullRequest'))`);
      }
    }
  },
  "deploy-digest"(file, { doc, text }) {
    if (/--certificate-identity-regexp/.test(text)) fail(file, "cosign verify with --certificate-identity-regexp (any workflow of the repository on any ref matches): name the exact identity");
    for (const [name, job] of jobsOf(doc)) {
      const steps = Array.isArray(job.steps) ? job.steps : [];
      steps.forEach((step, i) => {
        const script = uncommented(step.run ?? step.script ?? "");
        for (const [command] of script.matchAll(deployCommand)) {
          const digest = command.match(/\bDIGEST="?\$\{?(\w+)/)?.[1];
          if (!digest) { fail(file, `job ${name}: ${command.trim()} runs the image by its tag (pass DIGEST=)`); continue; }
          if (!doc.on) continue;   // GitHub only: the digest must be the one the signature check printed
          const from = String(step.env?.[digest] ?? "").match(/steps\.(\w[\w-]*)\.outputs\.digest/)?.[1];
          const verifier = steps.slice(0, i).find((st) => st.id === from && /ci\/verify-release-image\.sh/.test(st.run ?? ""));
          if (!verifier) fail(file, `job ${name}: DIGEST does not come from a step before it running ci/verify-release-image.sh`);
        }
      });
    }
    if (doc.on) return;
    // Azure Pipelines and CircleCI: scripts anywhere in the file.
    const scripts = doc.stages || doc.steps ? azureSteps(doc).map((st) => uncommented(st.script ?? st.inputs?.inlineScript ?? ""))
      : Object.values(doc.jobs ?? {}).flatMap((job) => (job.steps ?? []).map((st) => uncommented(st.run?.command ?? st.run ?? "")));
    for (const script of scripts) {
      for (const [command] of script.matchAll(deployCommand)) {
        if (!/\bDIGEST="?\$\{?\w+/.test(command)) fail(file, `${command.trim()} runs the image by its tag (pass DIGEST=)`);
      }
    }
  },
  "release-gate"(file, { doc }) {
    if (!doc.on?.push?.tags) return;
    const jobs = Object.fromEntries(jobsOf(doc));
    const gates = Object.entries(jobs).filter(([, job]) => stepsOf(job).some((st) => /ci\/require-green\.sh\s+"?\$\{?GITHUB_SHA/.test(st.run ?? "")) &&
      job.permissions?.actions === "read").map(([n]) => n);
    const needs = (n, seen = new Set()) => seen.has(n) ? [] : (seen.add(n), [].concat(jobs[n]?.needs ?? []).flatMap((m) => [m, ...needs(m, seen)]));
    for (const [name, job] of Object.entries(jobs)) {
      const publishes = stepsOf(job).some((st) => /^docker\/build-push-action@/.test(st.uses ?? "") || /\bcosign\s+sign\b|\bhelm\s+push\b/.test(st.run ?? "") || /^softprops\/action-gh-release@/.test(st.uses ?? ""));
      if (publishes && !needs(name).some((n) => gates.includes(n))) fail(file, `job ${name} builds, pushes or releases without needing a job that runs ci/require-green.sh "$GITHUB_SHA" (permissions actions: read)`);
    }
  },
  "reviewed-plan"(file, { doc }) {
    const jobs = Object.fromEntries(jobsOf(doc));
    for (const [name, job] of Object.entries(jobs)) {
      for (const step of stepsOf(job).filter((st) => /\bmake\s+tf-apply\b/.test(st.run ?? ""))) {
        const from = String(step.env?.EXPECT_PLAN ?? "").match(/needs\.([\w-]+)\.outputs\.fingerprint/)?.[1];
        if (!/EXPECT_PLAN="?\$\{?EXPECT_PLAN/.test(step.run) || !from) { fail(file, `job ${name}: make tf-apply without EXPECT_PLAN from the plan job's fingerprint: it applies a plan nobody reviewed`); continue; }
        const callee = /^\.\/(\.github\/workflows\/[^@]+\.ya?ml)$/.exec(jobs[from]?.uses ?? "")?.[1];
        const declared = callee && load(join(dirname(file), "..", "..", callee)).doc?.on?.workflow_call?.outputs?.fingerprint;
        if (!declared) fail(file, `job ${name}: job ${from} calls no workflow with a fingerprint output`);
        if (![].concat(job.needs ?? []).includes(from)) fail(file, `job ${name} does not need job ${from}`);
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

// Azure Pipelines template expressions a run started by a trigger compiles with: every parameter
// at its default. Only `${{ if eq|ne(parameters.X, 'literal') }}` is evaluated; another `${{ if }}`
// is a finding (the check would have to guess).
function expandDefaults(node, params, file) {
  if (Array.isArray(node)) {
    return node.flatMap((item) => {
      const keys = item && typeof item === "object" && !Array.isArray(item) ? Object.keys(item) : [];
      if (keys.length === 1 && keys[0].startsWith("${{ if")) {
        const m = keys[0].match(/^\$\{\{\s*if\s+(eq|ne)\(parameters\.(\w+),\s*'([^']*)'\)\s*\}\}$/);
        if (!m) { fail(file, `cannot evaluate ${keys[0]}`); return []; }
        const equal = String(params[m[2]] ?? "") === m[3];
        return (m[1] === "eq") === equal ? expandDefaults(item[keys[0]], params, file) : [];
      }
      return [expandDefaults(item, params, file)];
    });
  }
  if (node && typeof node === "object") return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, expandDefaults(v, params, file)]));
  return node;
}
// The Azure Pipelines variable a script's $VAR comes from through the step's env ($(name)).
const azureVariable = (step, shellVar) => String(step.env?.[shellVar] ?? "").match(/^\$\((\w+)\)$/)?.[1];
const deployCommand = /\bmake\s+(deploy|appservice-deploy)\b[^\n]*/g;
const deploys = (script) => /\bmake\s+(deploy|appservice-deploy)\b/.test(uncommented(script));
// A shell script without its comments (a comment may name a command it does not run).
const uncommented = (script) => String(script).replace(/(^|\s)#.*$/gm, "$1");

if (!checks[check] || files.length === 0) {
  console.error(`usage: check.mjs {${Object.keys(checks).join("|")}} FILE...`);
  process.exit(2);
}
for (const file of files) checks[check](file, load(file));
for (const f of findings) console.log(f);
console.log(`${check}: ${files.length} files, ${findings.length} findings`);
process.exit(findings.length ? 1 : 0);
