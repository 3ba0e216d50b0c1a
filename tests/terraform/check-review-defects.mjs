// Regression checks for the defects the reviews of deploy/terraform found against the pinned
// providers' and modules' sources: each names what must hold for a first apply to work, and
// fails on the configuration as it was before its fix. They read the HCL structure (hcl-body.mjs),
// the env.yaml files and the workflows that use the identities.
// Usage: node check-review-defects.mjs ROOT CHECK   (ROOT: the repository; CHECK: one name below)
// Prints what it found; exits 1 when the check fails.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
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
// The blocks of one directory (relative to deploy/terraform), and its locals by name.
const inDir = (list, dir) => list.filter(({ file }) => dirname(file) === `deploy/terraform/${dir}`);
const localsOf = (dir) => Object.fromEntries(inDir(blocks, dir).filter(({ item }) => item.name === "locals").flatMap(({ item }) => item.body.map((l) => [l.name, l.expr])));
// An expression, or the local it names.
const resolve = (expr, dir) => (/^local\.[a-z_]+$/.test(expr ?? "") ? localsOf(dir)[expr.slice(6)] ?? "" : expr ?? "");
const azureGithub = { "azure-dev": "modules/azure", "azure-appservice-dev": "modules/app-service" };

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
      expect(text.includes(":ref:refs/heads/main"), `${dir}/github: the plan identity does not trust ref:refs/heads/main`);
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
    for (const [id, job] of jobsOf("terraform-plan.yml")) expect(job.environment === undefined, `terraform-plan.yml's job ${id} has an environment: its token's subject would not be the ref`);
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
    // (model-release is passed as model_release: the map's keys go through replace(role, "-", "_").)
    const renamed = /pipeline_identities\s*=\s*\{\s*for role, identity in data\.azurerm_user_assigned_identity\.github\s*:\s*replace\(role, "-", "_"\)\s*=>/.test(envMain);
    const looked = list(/data "azurerm_user_assigned_identity" "github" \{\s*for_each\s*=\s*toset\((\[[^\]]*\])\)/.exec(envMain)?.[1]).map((r) => (renamed ? r.replaceAll("-", "_") : r));
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
  // Issue 27 point 11. kubelogin in GitHub Actions signs in with the job's OIDC token, fetched
  // afresh each time (kubelogin v0.2.19 pkg/internal/token/provider.go: workloadidentity with
  // ACTIONS_ID_TOKEN_REQUEST_* set; AAD_LOGIN_METHOD overrides --login, pkg/cmd/token.go), not with
  // the Azure CLI session azure/login leaves, whose one assertion expires within minutes
  // (Azure/azure-cli#28708) while a first apply reaches the cluster about 20 minutes in.
  "kubelogin-oidc"() {
    for (const [file, id] of [["deploy.yml", "apply"], ["destroy.yml", "destroy"], ["terraform-plan.yml", "plan"]]) {
      const flow = workflow(file);
      const job = flow.jobs?.[id];
      if (!expect(job, `${file} has no job ${id}`)) continue;
      const env = { ...(flow.env ?? {}), ...(job.env ?? {}) };
      expect(job.permissions?.["id-token"] === "write", `${file} ${id}: no id-token: write (kubelogin needs the job's OIDC token)`);
      expect(env.AAD_LOGIN_METHOD === "workloadidentity", `${file} ${id}: kubelogin uses ${env.AAD_LOGIN_METHOD ?? "the --login azurecli of main.tf and kubeconfig_command"} (AAD_LOGIN_METHOD is not workloadidentity): the CLI's assertion expires before a first apply reaches the cluster`);
      // AZURE_CLIENT_ID in the job's env, or written to GITHUB_ENV by a step (the plan picks its identity in bash).
      const exported = (job.steps ?? []).some((s) => /AZURE_CLIENT_ID=/.test(s.run ?? "") && /GITHUB_ENV/.test(s.run ?? ""));
      expect("AZURE_TENANT_ID" in env && ("AZURE_CLIENT_ID" in env || exported), `${file} ${id}: AZURE_CLIENT_ID and AZURE_TENANT_ID are not both set for kubelogin`);
    }
  },
  // Issue 27 point 12. Container Insights with managed-identity auth sends nothing without a data
  // collection rule with the ContainerInsights extension, associated with the cluster
  // (microsoft/Docker-Provider scripts/onboarding/aks/onboarding-msi-terraform/main.tf).
  "container-insights"() {
    const clusters = resources("azurerm_kubernetes_cluster");
    expect(clusters.length > 0, "no AKS cluster found");
    for (const { file, item } of clusters) {
      const oms = nested(item.body, "oms_agent")[0]?.body;
      if (!oms || attr(oms, "msi_auth_for_monitoring_enabled") !== "true") continue;
      const workspace = attr(oms, "log_analytics_workspace_id");
      const rules = resources("azurerm_monitor_data_collection_rule").filter(({ item: rule }) => {
        const extensions = nested(nested(rule.body, "data_sources")[0]?.body ?? [], "extension").map((e) => e.body);
        const destinations = nested(nested(rule.body, "destinations")[0]?.body ?? [], "log_analytics").map((l) => l.body);
        const flows = nested(rule.body, "data_flow").map((f) => attr(f.body, "destinations") ?? "");
        return extensions.some((e) => attr(e, "extension_name") === '"ContainerInsights"') &&
          destinations.some((d) => attr(d, "workspace_resource_id") === workspace && flows.some((f) => list(f).includes(JSON.parse(attr(d, "name") ?? '""'))));
      });
      if (!expect(rules.length > 0, `${file} ${item.labels[1]}: oms_agent with msi_auth_for_monitoring_enabled, but no data collection rule with the ContainerInsights extension sending to ${workspace}`)) continue;
      const ids = rules.map(({ item: rule }) => `azurerm_monitor_data_collection_rule.${rule.labels[1]}.id`);
      expect(resources("azurerm_monitor_data_collection_rule_association").some(({ item: a }) =>
        attr(a.body, "target_resource_id") === `azurerm_kubernetes_cluster.${item.labels[1]}.id` && ids.includes(attr(a.body, "data_collection_rule_id"))),
      `${file} ${item.labels[1]}: the Container Insights data collection rule is not associated with the cluster`);
    }
  },
  // Issue 27 point 13. The Azure apply identity: no Contributor on the subscription (it would
  // reach rg-<name>-github, where the identities' federated credentials are), and every Role Based
  // Access Control Administrator (or stronger) assignment conditioned on the roles it may assign
  // (write, @Request) and remove (delete, @Resource); those roles are exactly what the module
  // assigns, none of them privileged.
  "apply-rbac-condition"() {
    const privileged = /^(Owner|User Access Administrator|Role Based Access Control Administrator|Contributor)$/;
    for (const [env, module] of Object.entries(azureGithub)) {
      const dir = `envs/${env}/github`;
      const assignments = inDir(resources("azurerm_role_assignment"), dir);
      // Each (identity, scope, role) an assignment makes: its own, or one per for_each entry.
      const pairs = assignments.flatMap(({ item }) => {
        const scope = attr(item.body, "scope") ?? "", role = attr(item.body, "role_definition_name") ?? "", each = attr(item.body, "for_each") ?? "";
        const principal = attr(item.body, "principal_id") ?? "";
        const entries = [...each.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]);
        if (entries.length > 0 && /each\.value\.(scope|role|identity)/.test(scope + role + principal)) {
          return entries.map((e) => ({ item, identity: /identity\s*=\s*"([^"]+)"/.exec(e)?.[1] ?? principal, scope: /scope\s*=\s*([^,\n]+)/.exec(e)?.[1]?.trim() ?? scope, roles: list(/role\s*=\s*("[^"]+")/.exec(e)?.[1] ?? role) }));
        }
        return [{ item, identity: principal, scope, roles: list(role).length > 0 ? list(role) : list(each) }];
      });
      const apply = pairs.filter(({ identity }) => /^apply$|github\["apply"\]/.test(identity));
      for (const { item, scope, roles } of apply) {
        if (roles.includes("Contributor")) expect(!/data\.azurerm_subscription\.current\.id/.test(scope), `${dir} ${item.labels[1]}: the apply identity's Contributor on the subscription reaches rg-<name>-github (federatedIdentityCredentials/write)`);
      }
      const rbac = apply.filter(({ roles }) => roles.some((r) => privileged.test(r) && r !== "Contributor"));
      expect(rbac.length > 0, `${dir}: no Role Based Access Control Administrator assignment for the apply identity`);
      for (const { item } of rbac) {
        const condition = resolve(attr(item.body, "condition"), dir);
        expect(attr(item.body, "condition_version") === '"2.0"' &&
          /ActionMatches\{'Microsoft\.Authorization\/roleAssignments\/write'\}/.test(condition) && /@Request\[Microsoft\.Authorization\/roleAssignments:RoleDefinitionId\] ForAnyOfAnyValues:GuidEquals/.test(condition) &&
          /ActionMatches\{'Microsoft\.Authorization\/roleAssignments\/delete'\}/.test(condition) && /@Resource\[Microsoft\.Authorization\/roleAssignments:RoleDefinitionId\] ForAnyOfAnyValues:GuidEquals/.test(condition),
        `${dir} ${item.labels[1]}: Role Based Access Control Administrator without a condition (version 2.0) on the roles it may assign and remove: it can make itself Owner`);
      }
      const assignable = list(localsOf(dir).assignable_roles);
      for (const role of assignable) expect(!privileged.test(role), `${dir}: assignable_roles lets the apply identity assign ${role}`);
      if (rbac.length === 0) continue;
      const used = [...new Set(blocks.filter(({ file }) => file.startsWith(`deploy/terraform/${module}/`)).filter(({ item }) => item.name === "resource" && item.labels[0] === "azurerm_role_assignment")
        .map(({ item }) => attr(item.body, "role_definition_name") ?? "").filter((r) => /^"[^$]*"$/.test(r)).map((r) => JSON.parse(r)))];
      for (const role of used) expect(assignable.includes(role), `${module} assigns ${role}, which ${dir}'s assignable_roles does not list: the apply would fail with 403`);
    }
  },
  // Issue 27 point 14. No plan identity trusts pull_request: it reads the state, the cluster's
  // Secrets and the API key, and any branch can change the workflow a pull request runs.
  "plan-no-pull-request"() {
    for (const dir of ["azure-dev", "aws-dev", "azure-appservice-dev"]) {
      const code = readFileSync(join(terraform, "envs", dir, "github/main.tf"), "utf8").replace(/^\s*#.*$/gm, "");
      expect(!/:pull_request"/.test(code), `${dir}/github: an identity trusts repo:<repo>:pull_request (the plan identity reads the state and Secrets)`);
    }
  },
  // Issue 27 point 15. The staging slot (whatever the unapproved staging job deploys) runs as
  // identities of its own that read no production secret, and the settings holding secrets stay
  // with their slot across a swap.
  "staging-slot-identity"() {
    const module = "modules/app-service";
    const slot = resources("azurerm_linux_web_app_slot")[0]?.item;
    const app = resources("azurerm_linux_web_app")[0]?.item;
    if (!expect(slot && app, "no web app and staging slot")) return;
    // Every identity attached to the slot: code running there can get its tokens.
    const slotIdentities = [...(attr(nested(slot.body, "identity")[0]?.body ?? [], "identity_ids") ?? "").matchAll(/azurerm_user_assigned_identity\.([a-z_]+)\.id/g)].map((m) => m[1]);
    expect(slotIdentities.length > 0, "the staging slot names no user-assigned identity");
    expect(attr(slot.body, "key_vault_reference_identity_id") !== attr(app.body, "key_vault_reference_identity_id"), "the staging slot resolves Key Vault references with the production identity");
    for (const { item } of resources("azurerm_role_assignment").filter(({ file }) => file.startsWith(`deploy/terraform/${module}/`))) {
      const who = /^azurerm_user_assigned_identity\.([a-z_]+)\.principal_id$/.exec(attr(item.body, "principal_id") ?? "")?.[1];
      if (!who || !slotIdentities.includes(who) || !/Key Vault/.test(attr(item.body, "role_definition_name") ?? "")) continue;
      const scope = `${attr(item.body, "scope")} ${attr(item.body, "for_each") ?? ""}`;
      expect(!/azurerm_key_vault\.this\.id|\["production"\]/.test(scope) && /\["staging"\]/.test(scope), `${item.labels[1]}: the staging slot's identity ${who} has ${attr(item.body, "role_definition_name")} on ${scope.trim()}, not on the staging secrets only`);
    }
    const main = readFileSync(join(terraform, module, "main.tf"), "utf8");
    const references = [...new Set([...main.matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"@Microsoft\.KeyVault/g)].map((m) => m[1]))];
    expect(references.length > 0, "no Key Vault reference found in the app settings");
    const sticky = resolve(attr(nested(app.body, "sticky_settings")[0]?.body ?? [], "app_setting_names"), module);
    for (const setting of references) expect(sticky.includes(`"${setting}"`), `${setting} (a Key Vault reference) is not sticky: a swap would hand each slot the other's secret reference`);
  },
  // Issue 27 point 16. The App Service README's first -target apply creates what its next step,
  // the release workflow's push, needs: AcrPush. -target applies the targets and what they depend
  // on, not what depends on them.
  "appservice-first-push"() {
    const readme = readFileSync(join(terraform, "envs/azure-appservice-dev/README.md"), "utf8");
    const targets = [...readme.matchAll(/-target=module\.app_service\.([a-z_]+\.[a-z0-9_]+)/g)].map((m) => m[1]);
    const moduleBlocks = blocks.filter(({ file }) => file.startsWith("deploy/terraform/modules/app-service/"));
    const byAddress = new Map(moduleBlocks.filter(({ item }) => item.name === "resource" || item.name === "data")
      .map(({ item }) => [`${item.name === "data" ? "data." : ""}${item.labels[0]}.${item.labels[1]}`, item]));
    const closure = new Set();
    const visit = (address) => {
      if (closure.has(address) || !byAddress.has(address)) return;
      closure.add(address);
      for (const m of JSON.stringify(byAddress.get(address).body).matchAll(/(?<![\w.])((?:data\.)?[a-z][a-z0-9]*_[a-z0-9_]+\.[a-z0-9_]+)/g)) visit(m[1]);
    };
    targets.forEach(visit);
    expect(targets.length > 0, "the README has no -target apply");
    const push = [...byAddress.entries()].filter(([a, item]) => a.startsWith("azurerm_role_assignment.") && attr(item.body, "role_definition_name") === '"AcrPush"').map(([a]) => a);
    expect(push.length > 0, "modules/app-service assigns no AcrPush");
    for (const a of push) expect(closure.has(a), `the README's -target apply (${targets}) does not create ${a}: the release cannot push the first image`);
  },
  // Issue 27 point 17. Each Azure identity reaches its own state blob only (../backend.tf key), as
  // the AWS roles reach only their own key: the container holds every environment's state.
  "state-own-key"() {
    for (const env of Object.keys(azureGithub)) {
      const dir = `envs/${env}/github`;
      const key = /key\s*=\s*"([^"]+)"/.exec(readFileSync(join(terraform, "envs", env, "backend.tf"), "utf8"))?.[1];
      const state = inDir(resources("azurerm_role_assignment"), dir).filter(({ item }) => item.labels[1] === "state");
      if (!expect(state.length === 1, `${dir}: no state role assignment`)) continue;
      const body = state[0].item.body;
      const locals = localsOf(dir);
      const condition = [attr(body, "condition") ?? "", ...Object.values(locals)].join("\n");
      const named = condition.includes(`'${key}'`) || (condition.includes("'${local.state_key}'") && locals.state_key?.replace(/\s*#.*$/, "") === `"${key}"`);
      expect(attr(body, "condition_version") === '"2.0"' && attr(body, "condition") !== undefined, `${dir}: the state role assignment has no condition: every state in the container is readable (both environments, both github/ states)`);
      expect(condition.includes("@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringEquals") && condition.includes("NOT SubOperationMatches{'Blob.List'}") && named,
        `${dir}: the state condition does not limit blob reads and writes to the path ${key} (../backend.tf)`);
    }
  },
  // Issue 27 point 18. A change that replaces the AKS cluster (azurerm 4.55.0 ForceNew in
  // kubernetes_cluster_resource.go) is refused in plan, with the settings named: the kubernetes and
  // helm providers' host would be unknown in the same plan. Every variable a ForceNew argument
  // reads must be in the record.
  "cluster-replacement"() {
    const forceNew = ["name", "dns_prefix", "node_resource_group", "private_cluster_enabled", "network_profile.pod_cidr", "network_profile.service_cidr", "network_profile.dns_service_ip", "network_profile.network_plugin", "network_profile.network_plugin_mode"];
    for (const { file, item } of resources("azurerm_kubernetes_cluster")) {
      const dir = dirname(file).replace(/^deploy\/terraform\//, "");
      const settings = inDir(resources("terraform_data"), dir).find(({ item: t }) => t.labels[1] === "cluster_settings")?.item;
      if (!expect(settings, `${file}: no terraform_data.cluster_settings recording what the cluster was created with: a plan that replaces it fails mid-apply instead`)) continue;
      const life = nested(settings.body, "lifecycle")[0]?.body ?? [];
      expect(/^\[\s*input\s*\]$/.test(attr(life, "ignore_changes") ?? ""), `${file}: terraform_data.cluster_settings does not ignore_changes = [input]`);
      expect(nested(life, "postcondition").some((p) => /self\.output\s*==/.test(attr(p.body, "condition") ?? "")), `${file}: terraform_data.cluster_settings has no postcondition comparing self.output`);
      expect(/terraform_data\.cluster_settings/.test(attr(item.body, "depends_on") ?? ""), `${file}: the cluster does not depend on terraform_data.cluster_settings`);
      const recorded = resolve(attr(settings.body, "input"), dir);
      for (const path of forceNew) {
        const [block, key] = path.includes(".") ? path.split(".") : [null, path];
        const body = block ? nested(item.body, block)[0]?.body ?? [] : item.body;
        for (const ref of (attr(body, key) ?? "").match(/var\.[a-z_]+(\.[a-z_]+)*/g) ?? []) expect(recorded.includes(ref), `${file}: ${path} (${ref}) replaces the cluster but is not in terraform_data.cluster_settings`);
      }
    }
  },
  // Issue 25 point 2. The Azure model repository (modules/azure and modules/app-service
  // storage.tf): an account nobody reaches anonymously or with a shared key, TLS 1.2 over HTTPS,
  // blob versioning, the container `models` created through Resource Manager (its id is the scope
  // of the roles), private behind an endpoint in the VNet when the AKS cluster is private; Storage
  // Blob Data Reader for the app's identities, Storage Blob Data Contributor for the model-release
  // identity and nobody else with a write role on it; the environments' provider reaches no
  // storage data plane (shared keys off), and the apply identity may assign both roles.
  "model-storage-azure"() {
    const writeRoles = /^(Storage Blob Data (Contributor|Owner)|Storage Account Contributor|Contributor|Owner)$/;
    const expected = {
      "modules/azure": { readers: ["azurerm_user_assigned_identity.appraise.principal_id"], writer: 'data.azurerm_user_assigned_identity.github["model-release"].principal_id', env: "azure-dev", github: "model-release" },
      "modules/app-service": { readers: ["azurerm_user_assigned_identity.app.principal_id", "azurerm_user_assigned_identity.staging.principal_id"], writer: "var.pipeline_identities.model_release", env: "azure-appservice-dev", github: "model-release" },
    };
    for (const [dir, want] of Object.entries(expected)) {
      const accounts = inDir(resources("azurerm_storage_account"), dir).filter(({ item }) => item.labels[1] === "models");
      if (!expect(accounts.length === 1, `${dir}: no azurerm_storage_account.models`)) continue;
      // Values without a trailing comment (https_traffic_only_enabled = true # azurerm 4.x name).
      const account = accounts[0].item.body.map((i) => (i.kind === "attribute" ? { ...i, expr: i.expr.replace(/\s+#.*$/, "") } : i));
      expect(attr(account, "allow_nested_items_to_be_public") === "false", `${dir}: the models account allows public (anonymous) containers and blobs`);
      expect(attr(account, "shared_access_key_enabled") === "false", `${dir}: the models account accepts shared keys (and SAS signed with them): access would bypass Azure RBAC`);
      expect(attr(account, "min_tls_version") === '"TLS1_2"', `${dir}: the models account's min_tls_version is ${attr(account, "min_tls_version")}, not "TLS1_2"`);
      expect(attr(account, "https_traffic_only_enabled") === "true", `${dir}: the models account accepts plain HTTP`);
      expect(attr(nested(account, "blob_properties")[0]?.body ?? [], "versioning_enabled") === "true", `${dir}: the models account has no blob versioning`);
      const containers = inDir(resources("azurerm_storage_container"), dir).filter(({ item }) => attr(item.body, "name") === '"models"');
      if (expect(containers.length === 1, `${dir}: no container "models"`)) {
        const container = containers[0].item.body;
        expect(attr(container, "storage_account_id") === "azurerm_storage_account.models.id", `${dir}: the models container is not created through Resource Manager (storage_account_id): its id would be a data-plane URL, no role scope, and shared keys are off`);
        expect((attr(container, "container_access_type") ?? '"private"') === '"private"', `${dir}: the models container is not private`);
      }
      if (dir === "modules/azure") {
        const locals = localsOf(dir);
        expect(locals.models_private === "var.aks.private_cluster", `${dir}: local.models_private is ${locals.models_private}, not var.aks.private_cluster`);
        expect(attr(account, "public_network_access_enabled") === "!local.models_private", `${dir}: the models account's public network access is ${attr(account, "public_network_access_enabled")}, not off with a private cluster`);
        const endpoint = inDir(resources("azurerm_private_endpoint"), dir).find(({ item }) => /azurerm_storage_account\.models\.id/.test(JSON.stringify(item.body)))?.item.body;
        if (expect(endpoint, `${dir}: no private endpoint for the models account`)) {
          const connection = nested(endpoint, "private_service_connection")[0]?.body ?? [];
          const zones = attr(nested(endpoint, "private_dns_zone_group")[0]?.body ?? [], "private_dns_zone_ids") ?? "";
          expect(attr(endpoint, "count") === "local.models_private ? 1 : 0", `${dir}: the models private endpoint is not made exactly when the cluster is private`);
          expect(attr(endpoint, "subnet_id") === "azurerm_subnet.private_endpoints.id", `${dir}: the models private endpoint is not in the private-endpoints subnet`);
          expect(JSON.stringify(list(attr(connection, "subresource_names"))) === '["blob"]', `${dir}: the models private endpoint's subresource is ${attr(connection, "subresource_names")}, not ["blob"]`);
          const zone = inDir(resources("azurerm_private_dns_zone"), dir).find(({ item }) => attr(item.body, "name") === '"privatelink.blob.core.windows.net"')?.item;
          if (expect(zone, `${dir}: no privatelink.blob.core.windows.net zone`)) {
            expect(zones.includes(`azurerm_private_dns_zone.${zone.labels[1]}[0].id`), `${dir}: the models private endpoint does not register in privatelink.blob.core.windows.net`);
            expect(inDir(resources("azurerm_private_dns_zone_virtual_network_link"), dir).some(({ item }) => attr(item.body, "private_dns_zone_name") === `azurerm_private_dns_zone.${zone.labels[1]}[0].name` && attr(item.body, "virtual_network_id") === "azurerm_virtual_network.this.id"),
              `${dir}: privatelink.blob.core.windows.net is not linked to the cluster's VNet: pods would resolve the public address`);
          }
        }
      }
      // Who gets which role on the container (or the account): each principal, for_each expanded.
      const grants = inDir(resources("azurerm_role_assignment"), dir).flatMap(({ item }) => {
        const scope = attr(item.body, "scope") ?? "";
        if (!/azurerm_storage_(container|account)\.models\./.test(scope)) return [];
        const role = JSON.parse(attr(item.body, "role_definition_name") ?? '""');
        const principal = attr(item.body, "principal_id") ?? "";
        const each = attr(item.body, "for_each") ?? "";
        const principals = principal === "each.value" ? [...each.matchAll(/=\s*([a-z_][\w.[\]"-]*\.principal_id)/g)].map((m) => m[1]) : [principal];
        return principals.map((who) => ({ role, who, scope, name: item.labels[1] }));
      });
      const readers = grants.filter((g) => g.role === "Storage Blob Data Reader").map((g) => g.who);
      for (const who of want.readers) expect(readers.includes(who), `${dir}: ${who} has no Storage Blob Data Reader on the models`);
      for (const g of grants) {
        expect(g.scope === "azurerm_storage_container.models.id", `${dir} ${g.name}: ${g.role} scoped to ${g.scope}, not the models container`);
        if (writeRoles.test(g.role)) expect(g.who === want.writer, `${dir} ${g.name}: ${g.who} gets ${g.role} on the models: only the model-release identity writes`);
        else expect(g.role === "Storage Blob Data Reader", `${dir} ${g.name}: ${g.role} on the models for ${g.who}`);
      }
      expect(grants.some((g) => g.role === "Storage Blob Data Contributor" && g.who === want.writer), `${dir}: the model-release identity has no Storage Blob Data Contributor on the models`);
      // Every other role assignment of the module: no write role on the account, its group or the subscription.
      for (const { item } of inDir(resources("azurerm_role_assignment"), dir)) {
        const role = attr(item.body, "role_definition_name") ?? "";
        if (/^"Storage (Blob Data (Contributor|Owner)|Account Contributor)"$/.test(role)) expect(attr(item.body, "principal_id") === want.writer, `${dir} ${item.labels[1]}: ${role} for ${attr(item.body, "principal_id")}`);
      }
      // The environment: no data plane from the provider; the model-release identity and subject in github/.
      const envMain = parseHcl(readFileSync(join(terraform, "envs", want.env, "main.tf"), "utf8"));
      const provider = envMain.find((i) => i.kind === "block" && i.name === "provider" && i.labels[0] === "azurerm");
      const storage = nested(nested(provider?.body ?? [], "features")[0]?.body ?? [], "storage")[0]?.body ?? [];
      expect(attr(storage, "data_plane_available") === "false", `envs/${want.env}: the azurerm provider reaches the storage data plane (features.storage.data_plane_available is not false): with shared keys off, the account's read fails`);
      const github = readFileSync(join(terraform, "envs", want.env, "github/main.tf"), "utf8");
      expect(/toset\(\[[^\]]*"model-release"[^\]]*\]\)/.test(github), `envs/${want.env}/github: no model-release identity`);
      expect(/identity = "model-release", subject = "repo:\$\{local\.(repo|repository)\}:environment:model-release"/.test(github), `envs/${want.env}/github: the model-release identity does not trust (only) repo:<repo>:environment:model-release`);
      const assignable = list(localsOf(`envs/${want.env}/github`).assignable_roles);
      for (const role of ["Storage Blob Data Reader", "Storage Blob Data Contributor"]) expect(assignable.includes(role), `envs/${want.env}/github: the apply identity may not assign ${role} (403)`);
    }
  },
  // Issue 25 point 2. The AWS model repository (modules/aws/models.tf): versioning, encryption at
  // rest, every public access block setting on, ACLs off, TLS-only bucket policy; appraise's IRSA
  // role lists the prefix and gets objects, nothing more (and its permissions boundary allows no
  // more); only the model-release role (envs/aws-dev/github) puts objects.
  "model-storage-aws"() {
    const dir = "modules/aws";
    const bucket = inDir(resources("aws_s3_bucket"), dir).find(({ item }) => item.labels[1] === "models");
    if (!expect(bucket, `${dir}: no aws_s3_bucket.models`)) return;
    const of = (type) => inDir(resources(type), dir).filter(({ item }) => attr(item.body, "bucket") === "aws_s3_bucket.models.id").map(({ item }) => item.body);
    expect(of("aws_s3_bucket_versioning").some((b) => attr(nested(b, "versioning_configuration")[0]?.body ?? [], "status") === '"Enabled"'), `${dir}: the models bucket's versioning is not Enabled`);
    expect(of("aws_s3_bucket_server_side_encryption_configuration").some((b) => nested(b, "rule").some((r) =>
      ['"AES256"', '"aws:kms"'].includes(attr(nested(r.body, "apply_server_side_encryption_by_default")[0]?.body ?? [], "sse_algorithm")))), `${dir}: the models bucket has no default encryption (AES256 or aws:kms)`);
    const block = of("aws_s3_bucket_public_access_block")[0] ?? [];
    for (const key of ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"]) expect(attr(block, key) === "true", `${dir}: the models bucket's public access block has ${key} = ${attr(block, key)}`);
    expect(of("aws_s3_bucket_ownership_controls").some((b) => attr(nested(b, "rule")[0]?.body ?? [], "object_ownership") === '"BucketOwnerEnforced"'), `${dir}: the models bucket's object ownership is not BucketOwnerEnforced (ACLs on)`);
    const documents = (file) => parseHcl(readFileSync(join(terraform, file), "utf8"), file).filter((i) => i.kind === "block" && i.name === "data" && i.labels[0] === "aws_iam_policy_document");
    const moduleDocs = readdirSync(join(terraform, dir)).filter((f) => f.endsWith(".tf")).flatMap((f) => documents(`${dir}/${f}`));
    const policyDoc = /^data\.aws_iam_policy_document\.([a-z_]+)\.json$/.exec(of("aws_s3_bucket_policy")[0] ? attr(of("aws_s3_bucket_policy")[0], "policy") : "")?.[1];
    const tls = nested(moduleDocs.find((d) => d.labels[1] === policyDoc)?.body ?? [], "statement").some((st) => attr(st.body, "effect") === '"Deny"' &&
      list(attr(st.body, "actions")).includes("s3:*") && /aws_s3_bucket\.models\.arn/.test(attr(st.body, "resources") ?? "") && /\/\*/.test(attr(st.body, "resources") ?? "") &&
      nested(st.body, "principals").some((p) => attr(p.body, "type") === '"*"') &&
      nested(st.body, "condition").some((c) => attr(c.body, "test") === '"Bool"' && attr(c.body, "variable") === '"aws:SecureTransport"' && JSON.stringify(list(attr(c.body, "values"))) === '["false"]'));
    expect(tls, `${dir}: the models bucket's policy does not deny every request with aws:SecureTransport = false`);
    // appraise's IRSA role: its policy documents, each statement a read.
    const irsa = modules("terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts").find(({ item }) => item.labels[0] === "appraise_irsa")?.item.body;
    if (expect(irsa, `${dir}: no module appraise_irsa`)) {
      expect(/var\.appraise\.namespace\}:\$\{var\.appraise\.service_account/.test(attr(irsa, "oidc_providers") ?? ""), `${dir}: appraise_irsa does not trust appraise's ServiceAccount`);
      const names = [...(attr(irsa, "source_policy_documents") ?? "").matchAll(/aws_iam_policy_document\.([a-z_]+)\.json/g)].map((m) => m[1]);
      const statements = names.flatMap((n) => nested(moduleDocs.find((d) => d.labels[1] === n)?.body ?? [], "statement"));
      expect(statements.length > 0, `${dir}: appraise_irsa has no models policy`);
      const actions = statements.flatMap((st) => list(attr(st.body, "actions")));
      expect(actions.includes("s3:GetObject") && actions.includes("s3:ListBucket"), `${dir}: appraise_irsa cannot list and get the models (${actions})`);
      for (const st of statements) {
        const acts = list(attr(st.body, "actions"));
        expect(acts.every((a) => a === "s3:GetObject" || a === "s3:ListBucket") && attr(st.body, "not_actions") === undefined, `${dir}: appraise_irsa's ${attr(st.body, "sid")} grants ${acts}: it only reads`);
        if (acts.includes("s3:ListBucket")) expect(nested(st.body, "condition").some((c) => attr(c.body, "variable") === '"s3:prefix"'), `${dir}: appraise_irsa lists the whole bucket (no s3:prefix condition)`);
      }
    }
    // Writers: only the model-release document puts objects; every other document of the pipelines
    // (and the boundary) keeps object writes out of the models bucket.
    const github = "envs/aws-dev/github";
    const docs = documents(`${github}/policies.tf`);
    const objectWrite = (a) => /^s3:(\*|Put\*|PutObject\w*|Replicate\w*|RestoreObject|\*Object\*?)$/.test(a);
    for (const doc of [...docs, ...moduleDocs]) {
      for (const st of nested(doc.body, "statement")) {
        if (attr(st.body, "effect") === '"Deny"') continue;
        const resources = attr(st.body, "resources") ?? "";
        if (!/local\.arn\.models|aws_s3_bucket\.models|"\*"/.test(resources)) continue;
        const writes = list(attr(st.body, "actions")).filter(objectWrite);
        if (doc.labels[1] === "model_release" || writes.length === 0) continue;
        expect(false, `${doc.labels[1]} ${attr(st.body, "sid")}: ${writes} on ${resources}: only model-release writes the models`);
      }
    }
    const release = nested(docs.find((d) => d.labels[1] === "model_release")?.body ?? [], "statement");
    expect(release.some((st) => list(attr(st.body, "actions")).includes("s3:PutObject") && /local\.arn\.models\}\/\$\{local\.models_prefix\}\/\*/.test(attr(st.body, "resources") ?? "")), `${github}: the model-release role cannot put objects under the models prefix`);
    expect(release.every((st) => list(attr(st.body, "actions")).every((a) => ["s3:PutObject", "s3:GetObject", "s3:ListBucket"].includes(a))), `${github}: the model-release role may do more than put, get and list models`);
    const locals = localsOf(github);
    expect(/model-release\s*=\s*data\.aws_iam_policy_document\.model_release\.json/.test(locals.policies ?? ""), `${github}: the model-release role's policy is not the model_release document`);
    expect(/model-release\s*=\s*\["repo:\$\{local\.repository\}:environment:model-release"\]/.test(locals.subjects ?? ""), `${github}: the model-release role does not trust (only) repo:<repo>:environment:model-release`);
    expect(/"arn:aws:s3:::\$\{local\.name\}-models-\$\{local\.account\}"/.test(locals.arn ?? "") && localsOf(dir).models_bucket === '"${var.name}-models-${data.aws_caller_identity.current.account_id}"',
      `${github}'s local.arn.models and ${dir}'s bucket name differ: the policies would name another bucket`);
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
