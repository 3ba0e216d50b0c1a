// Regression checks for the defects the reviews of deploy/terraform found against the pinned
// providers' and modules' sources: each names what must hold for a first apply to work, and
// fails on the configuration as it was before its fix. They read the HCL structure (hcl-body.mjs),
// the env.yaml files and the workflows that use the identities.
// Usage: node check-review-defects.mjs ROOT CHECK   (ROOT: the repository; CHECK: one name below)
// Prints what it found; exits 1 when the check fails.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { parseHcl } from "./hcl-body.mjs";

const require = createRequire(new URL("../package.json", import.meta.url));
const { parse: parseYaml } = require("yaml");

const [root, name] = process.argv.slice(2);
const terraform = join(root, "deploy/terraform");
const problems = [];

function tfFiles(dir) {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (entry === ".terraform") return [];
    return statSync(path).isDirectory() ? tfFiles(path) : entry.endsWith(".tf") ? [path] : [];
  });
}
// Every block of every .tf file under deploy/terraform, with its file.
const blocks = tfFiles(terraform).flatMap((file) =>
  parseHcl(readFileSync(file, "utf8"), file).filter((i) => i.kind === "block").map((item) => ({ file: relative(root, file), item })));
const attr = (body, key) => body.find((i) => i.kind === "attribute" && i.name === key)?.expr;
const nested = (body, key) => body.filter((i) => i.kind === "block" && i.name === key);
const resources = (type) => blocks.filter(({ item }) => item.name === "resource" && item.labels[0] === type);
const modules = (source) => blocks.filter(({ item }) => item.name === "module" && attr(item.body, "source") === JSON.stringify(source));
const env = (dir) => parseYaml(readFileSync(join(terraform, "envs", dir, "env.yaml"), "utf8"));
const workflow = (file) => parseYaml(readFileSync(join(root, ".github/workflows", file), "utf8"));
// The string literals of an HCL list expression.
const list = (expr) => [...(expr ?? "").matchAll(/"([^"]+)"/g)].map((m) => m[1]);
const expect = (ok, message) => { if (!ok) problems.push(message); return ok; };

const checks = {
  // EKS 1.30 and later have no default StorageClass and no in-tree EBS provisioner: without the
  // EBS CSI add-on (with its IRSA role) and a default class, the SQLite PVC stays Pending.
  "ebs-csi"() {
    const eks = modules("terraform-aws-modules/eks/aws")[0]?.item;
    const addons = attr(eks?.body ?? [], "addons") ?? "";
    expect(/aws-ebs-csi-driver\s*=\s*\{[^}]*service_account_role_arn\s*=/.test(addons), "the eks module's addons have no aws-ebs-csi-driver with service_account_role_arn");
    const classes = resources("kubernetes_storage_class_v1").map(({ item }) => item.body);
    expect(classes.some((b) => attr(b, "storage_provisioner") === '"ebs.csi.aws.com"' &&
      nested(b, "metadata").some((m) => /"storageclass\.kubernetes\.io\/is-default-class"\s*=\s*"true"/.test(attr(m.body, "annotations") ?? ""))),
    "no kubernetes_storage_class_v1 on ebs.csi.aws.com annotated as the default class");
  },
  // With floating IP the packets keep the load balancer's public address as destination, which
  // the VirtualNetwork tag does not cover: the Internet rule for 80/443 must allow any destination.
  "nsg-load-balancer"() {
    const rules = resources("azurerm_network_security_group").flatMap(({ item }) => nested(item.body, "security_rule").map((r) => r.body));
    const web = rules.filter((r) => attr(r, "source_address_prefix") === '"Internet"' && /"443"/.test(attr(r, "destination_port_ranges") ?? attr(r, "destination_port_range") ?? ""));
    expect(web.length > 0, "no NSG rule admits 443 from Internet");
    for (const r of web) expect(attr(r, "destination_address_prefix") === '"*"', `the Internet rule for 80/443 has destination ${attr(r, "destination_address_prefix")}, not "*"`);
  },
  // Each identity trusts exactly the token subjects of the jobs that use it: a job with an
  // environment gets repo:<repo>:environment:<name>.
  "oidc-subjects"() {
    const jobsOf = (file) => Object.entries(workflow(file).jobs ?? {});
    const environmentsUsing = (file, variable) => jobsOf(file).filter(([, job]) => JSON.stringify(job).includes(variable)).map(([, job]) => job.environment ?? null);
    const dispatchOptions = (file) => workflow(file).on?.workflow_dispatch?.inputs?.environment?.options ?? [];
    for (const dir of ["azure-dev", "aws-dev", "azure-appservice-dev"]) {
      const text = readFileSync(join(terraform, "envs", dir, "github/main.tf"), "utf8");
      const github = env(dir).github;
      expect(text.includes(":environment:release"), `${dir}/github: the push identity does not trust environment:release`);
      expect(text.includes(":pull_request") && text.includes(":ref:refs/heads/main"), `${dir}/github: the plan identity does not trust pull_request and ref:refs/heads/main`);
      expect(text.includes(":environment:${local.env.github.environment}"), `${dir}/github: the apply identity does not trust environment:<env.yaml github.environment>`);
      if (dir === "azure-appservice-dev") {
        const jobs = Object.fromEntries(jobsOf("deploy-appservice.yml"));
        expect(jobs.staging?.environment === github.staging_environment, `deploy-appservice.yml's staging job runs in ${jobs.staging?.environment}, not ${github.staging_environment}`);
        expect(jobs.swap?.environment === github.environment, `deploy-appservice.yml's swap job runs in ${jobs.swap?.environment}, not ${github.environment}`);
      } else {
        for (const file of ["deploy.yml", "destroy.yml"]) {
          expect(dispatchOptions(file).includes(github.environment), `${file} cannot be run for ${github.environment} (its environment input's options: ${dispatchOptions(file)})`);
        }
      }
    }
    for (const variable of ["AZURE_PUSH_CLIENT_ID", "AWS_PUSH_ROLE_ARN", "APPSERVICE_PUSH_CLIENT_ID"]) {
      for (const environment of environmentsUsing("release.yml", variable)) expect(environment === "release", `release.yml uses ${variable} in a job whose environment is ${environment}, not release`);
    }
    for (const environment of environmentsUsing("deploy.yml", "APPLY")) expect(environment === "${{ inputs.environment }}", `deploy.yml uses an apply identity in a job whose environment is ${environment}`);
    for (const [id, job] of jobsOf("terraform-plan.yml")) expect(job.environment === undefined, `terraform-plan.yml's job ${id} has an environment: its token's subject would not be pull_request or the ref`);
  },
  // The AWS apply role: reads of the pipelines' roles stay allowed (the environment and the eks
  // module read them); roles are created only with exactly the boundary, attached policies are
  // the known ones, no role of its own can be assumed, no statement grants iam:*; every role and
  // policy the modules create is named <name>-... and carries the boundary; and the boundary
  // itself grants nothing account-wide but reads and what a condition narrows.
  "aws-iam"() {
    const policies = readFileSync(join(terraform, "envs/aws-dev/github/policies.tf"), "utf8");
    const documents = parseHcl(policies).filter((i) => i.kind === "block" && i.name === "data");
    const statementsOf = (doc) => nested(documents.find((d) => d.labels[1] === doc)?.body ?? [], "statement").map((s) => ({ doc, body: s.body, sid: attr(s.body, "sid") }));
    const conditions = (s) => nested(s.body, "condition").map((c) => ({ test: attr(c.body, "test"), variable: attr(c.body, "variable"), values: attr(c.body, "values") }));
    const apply = statementsOf("apply");
    expect(apply.length > 0, "no apply policy document");
    for (const s of [...statementsOf("read"), ...apply]) {
      const actions = list(attr(s.body, "actions"));
      if (attr(s.body, "effect") === '"Deny"') {
        expect(!actions.some((a) => a === "iam:*" || /^iam:(Get|List)/.test(a)), `${s.doc} ${s.sid}: a Deny of ${actions} refuses the reads every refresh needs`);
        const not = attr(s.body, "not_actions");
        if (not !== undefined) expect(list(not).includes("iam:Get*") && list(not).includes("iam:List*"), `${s.doc} ${s.sid}: a Deny with not_actions ${not} refuses iam:Get* or iam:List*`);
        continue;
      }
      expect(!actions.includes("iam:*"), `${s.doc} ${s.sid}: grants iam:*`);
      if (actions.some((a) => /^iam:(CreateRole|AttachRolePolicy|PutRolePolicy|PutRolePermissionsBoundary)$/.test(a))) {
        expect(conditions(s).some((c) => c.test === '"StringEquals"' && c.variable === '"iam:PermissionsBoundary"' && c.values === "[local.arn.boundary]"),
          `${s.doc} ${s.sid}: creates or changes roles without StringEquals iam:PermissionsBoundary = [local.arn.boundary]`);
      }
      if (actions.includes("iam:AttachRolePolicy")) {
        expect(conditions(s).some((c) => c.test === '"ArnLike"' && c.variable === '"iam:PolicyARN"'), `${s.doc} ${s.sid}: attaches any policy (no iam:PolicyARN condition)`);
      }
    }
    expect(apply.some((s) => attr(s.body, "effect") === '"Deny"' && list(attr(s.body, "actions")).includes("sts:AssumeRole") && attr(s.body, "resources") === "[local.arn.roles]"),
      "the apply role is not denied sts:AssumeRole on the roles it creates (a trust policy alone would let it in)");
    const boundary = statementsOf("boundary");
    expect(boundary.length > 0, "no boundary policy document");
    for (const s of boundary) {
      if (attr(s.body, "resources") !== '["*"]' || conditions(s).length > 0) continue;
      const writes = list(attr(s.body, "actions")).filter((a) => !/^[a-z0-9-]+:(Get|List|Describe|BatchGet)/.test(a));
      expect(writes.length === 0, `boundary ${s.sid}: ${writes} on every resource in the account, with no condition`);
    }
    expect(resources("aws_iam_policy").some(({ item }) => attr(item.body, "name") === '"${local.name}-github-boundary"'), "no permissions boundary policy <name>-github-boundary in envs/aws-dev/github");
    const boundaryArn = "data.aws_iam_policy.role_boundary.arn";
    const irsa = modules("terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts");
    expect(irsa.length > 0, "no IRSA module calls found");
    for (const { file, item } of irsa) {
      expect(/^"\$\{var\.name\}-/.test(attr(item.body, "policy_name") ?? ""), `${file} module ${item.labels[0]}: policy_name is not <name>-... (the module's default, such as EBS_CSI, is outside policy/<name>-*)`);
      expect(attr(item.body, "permissions_boundary") === boundaryArn, `${file} module ${item.labels[0]}: permissions_boundary is not ${boundaryArn}`);
    }
    const eks = modules("terraform-aws-modules/eks/aws")[0]?.item.body ?? [];
    expect(attr(eks, "iam_role_permissions_boundary") === boundaryArn, `the eks module's cluster role's iam_role_permissions_boundary is not ${boundaryArn}`);
    const groups = attr(eks, "eks_managed_node_groups") ?? "";
    const groupCount = [...groups.matchAll(/^ {4}[a-z0-9_-]+\s*=\s*\{/gm)].length;
    const bounded = [...groups.matchAll(new RegExp(`iam_role_permissions_boundary\\s*=\\s*${boundaryArn.replaceAll(".", "\\.")}`, "g"))].length;
    expect(groupCount > 0 && bounded === groupCount, `${bounded} of ${groupCount} node groups carry the boundary`);
  },
  // ECR repositories are IMMUTABLE, so the release may push each tag once: X.Y.Z only.
  "ecr-tags"() {
    const repos = resources("aws_ecr_repository");
    expect(repos.length > 0 && repos.every(({ item }) => attr(item.body, "image_tag_mutability") === '"IMMUTABLE"'), "an ECR repository is not IMMUTABLE");
    const steps = Object.values(workflow("release.yml").jobs).flatMap((j) => j.steps ?? []);
    const meta = steps.find((s) => String(s.uses ?? "").startsWith("docker/metadata-action@"));
    const tags = String(meta?.with?.tags ?? "").split("\n").map((t) => t.trim()).filter(Boolean);
    expect(tags.length > 0 && tags.every((t) => t === "type=semver,pattern={{version}}"), `release.yml tags ${JSON.stringify(tags)}: a moving tag cannot be pushed twice to an IMMUTABLE repository`);
  },
  // NetworkPolicy objects are accepted and ignored unless the cluster enforces them.
  "network-policy-enforced"() {
    const eks = attr(modules("terraform-aws-modules/eks/aws")[0]?.item.body ?? [], "addons") ?? "";
    expect(/vpc-cni\s*=\s*\{[^}]*enableNetworkPolicy\s*=\s*"true"/s.test(eks), "the vpc-cni add-on is not configured with enableNetworkPolicy");
    for (const { item } of resources("azurerm_kubernetes_cluster")) {
      const profile = nested(item.body, "network_profile")[0]?.body ?? [];
      expect(attr(profile, "network_policy") === '"cilium"' && attr(profile, "network_data_plane") === '"cilium"', "the AKS cluster does not enforce NetworkPolicy with Cilium");
    }
  },
  // Role assignments take minutes to propagate: a Key Vault secret written right after the
  // assignment that lets Terraform write it fails with 403 on a first apply now and then.
  "key-vault-propagation"() {
    const secrets = resources("azurerm_key_vault_secret");
    expect(secrets.length > 0, "no Key Vault secrets found");
    for (const { file, item } of secrets) expect(/time_sleep\.role_propagation/.test(attr(item.body, "depends_on") ?? ""), `${file} ${item.labels[1]}: not written after time_sleep.role_propagation`);
    for (const { file, item } of resources("time_sleep").filter(({ item }) => item.labels[1] === "role_propagation")) {
      expect(/^"([5-9]|[1-9]\d)m"$/.test(attr(item.body, "create_duration") ?? ""), `${file} time_sleep ${item.labels[1]}: waits less than 5 minutes`);
      expect(/azurerm_role_assignment\./.test(attr(item.body, "triggers") ?? ""), `${file} time_sleep ${item.labels[1]}: does not follow the role assignments`);
    }
  },
  // The Kubernetes minors the environments run are in standard support today.
  "kubernetes-support"() {
    const table = JSON.parse(readFileSync(new URL("./upstream/kubernetes-support.json", import.meta.url)));
    const today = new Date().toISOString().slice(0, 10);
    for (const [dir, cloud, version] of [["azure-dev", "aks", env("azure-dev").aks.kubernetes_version], ["aws-dev", "eks", env("aws-dev").eks.kubernetes_version]]) {
      const row = table[cloud].versions[version];
      if (!expect(row, `${dir}: ${cloud.toUpperCase()} ${version} is not in upstream/kubernetes-support.json`)) continue;
      expect(row.end >= today, `${dir}: ${cloud.toUpperCase()} ${version}'s standard support ended on ${row.end}`);
      console.log(`${dir}: ${cloud.toUpperCase()} ${version}, standard support until ${row.end}`);
    }
  },
  // The apply identities (Contributor and Role Based Access Control Administrator) cannot define
  // roles: a role definition belongs to the github/ configuration an administrator applies.
  "azure-role-definitions"() {
    for (const { file } of resources("azurerm_role_definition")) expect(/\/github\/[^/]+\.tf$/.test(file), `${file}: an azurerm_role_definition outside envs/*/github (the apply identity has no roleDefinitions/write)`);
  },
  // The plan identity only reads the state and its plans take no lock.
  "plan-read-only"() {
    for (const dir of ["azure-dev", "azure-appservice-dev"]) {
      const text = readFileSync(join(terraform, "envs", dir, "github/main.tf"), "utf8");
      expect(/plan\s*=\s*"Storage Blob Data Reader"/.test(text), `${dir}/github: the plan identity's state role is not Storage Blob Data Reader`);
    }
    // The plan role's document and every document it draws on: no write of a state object.
    const aws = parseHcl(readFileSync(join(terraform, "envs/aws-dev/github/policies.tf"), "utf8")).filter((i) => i.kind === "block" && i.name === "data");
    const planDoc = aws.find((d) => d.labels[1] === "plan");
    const sources = [...(attr(planDoc?.body ?? [], "source_policy_documents") ?? "").matchAll(/aws_iam_policy_document\.([a-z_]+)\.json/g)].map((m) => m[1]);
    const docs = [planDoc, ...sources.map((n) => aws.find((d) => d.labels[1] === n))];
    expect(planDoc !== undefined && docs.every(Boolean), "the plan document or one of its sources is missing");
    const writes = docs.filter(Boolean).flatMap((d) => nested(d.body, "statement")).map((st) => attr(st.body, "actions") ?? "").filter((a) => /s3:(PutObject|DeleteObject|\*)|"s3:\*"/.test(a));
    expect(writes.length === 0, `aws-dev/github: the plan role may write state objects (${writes})`);
    // The environment looks up every identity the module's pipeline_identities object needs (a
    // missing attribute fails the plan before anything is assigned).
    const variables = readFileSync(join(terraform, "modules/app-service/variables.tf"), "utf8");
    const wanted = [...(/variable "pipeline_identities"[\s\S]*?object\(\{([\s\S]*?)\}\)/.exec(variables)?.[1] ?? "").matchAll(/^\s*([a-z_]+)\s*=/gm)].map((m) => m[1]);
    const envMain = readFileSync(join(terraform, "envs/azure-appservice-dev/main.tf"), "utf8");
    const looked = list(/data "azurerm_user_assigned_identity" "github" \{\s*for_each\s*=\s*toset\((\[[^\]]*\])\)/.exec(envMain)?.[1]);
    expect(wanted.length > 0 && wanted.every((w) => looked.includes(w)), `azure-appservice-dev looks up ${looked}, but modules/app-service's pipeline_identities needs ${wanted}`);
    const access = readFileSync(join(terraform, "modules/app-service/access.tf"), "utf8");
    expect(/role_definition_name = "\$\{var\.name\} web app plan reader"[\s\S]{0,80}pipeline_identities\.plan/.test(access) &&
      /"Key Vault Secrets User"\s*\n\s*principal_id\s*=\s*var\.pipeline_identities\.plan/.test(access),
    "azure-appservice-dev: the plan identity cannot refresh the web app's settings or its Key Vault secrets (Reader lacks list actions and data reads)");
    const make = readFileSync(join(root, "Makefile"), "utf8");
    expect(/\$\(if \$\(READ_ONLY\),-lock=false/.test(make), "make tf-plan has no READ_ONLY form without a lock");
    const plan = readFileSync(join(root, ".github/workflows/terraform-plan.yml"), "utf8");
    expect(/make tf-plan ENV="\$ENV" READ_ONLY=1/.test(plan), "terraform-plan.yml does not plan with READ_ONLY=1");
  },
};

if (!checks[name]) {
  console.log(`unknown check ${name}; known: ${Object.keys(checks).join(", ")}`);
  process.exit(2);
}
if (!existsSync(terraform)) { console.log(`no deploy/terraform under ${root}`); process.exit(2); }
checks[name]();
for (const p of problems) console.log(`FAIL  ${p}`);
console.log(`${name}: ${problems.length === 0 ? "holds" : `${problems.length} problem(s)`}`);
process.exit(problems.length === 0 ? 0 : 1);
