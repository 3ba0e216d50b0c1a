// Runs two actions' own released code (their dist/ at the pinned SHA) offline with the inputs a
// workflow gives them, where what the action does with those inputs is the defect to catch:
//   node tests/pipelines/upstream.mjs metadata WORKFLOW...
//       docker/metadata-action: for a workflow triggered by tags, the metadata step's tags and
//       flavor, verbatim, with refs/tags/v1.2.3 and refs/tags/v1.2.3-rc.1 must give exactly
//       <image>:1.2.3 (resp. 1.2.3-rc.1) for every image: no `latest` (its default latest=auto
//       adds it for every semver tag, src/meta.ts procSemver) and no other moving tag. ECR is
//       IMMUTABLE, so a second push of any tag fails the release.
//   node tests/pipelines/upstream.mjs paths-filter WORKFLOW...
//       dorny/paths-filter: each job using it, on a push of two commits to main, after a checkout
//       made as that job's actions/checkout step makes it (fetch-depth, 1 by default; with
//       persist-credentials: false the origin is a private repository that refuses anonymous
//       fetches), must report every filter true and exit 0. On push it diffs against the event's
//       `before` and fetches it when missing (src/git.ts ensureRefAvailable), with git's own
//       credentials only: its `token` input is used for the pull-request API alone.
// The code comes from a local clone of each action's repository (UPSTREAM_REPOS, a pattern with
// {owner} and {repo}, as tests/pipelines/record.mjs takes) or from a copy in
// tests/pipelines/upstream/; either way its git blob id must be the one recorded below.
// Nothing is downloaded. Exits 1 and names every finding.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { parse } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
// The dist each pin runs (action.yml runs.main at that SHA) and its git blob id there.
const dists = {
  "docker/metadata-action@dc802804100637a589fabce1cb79ff13a1411302": { path: "dist/index.cjs", blob: "9edb5c86adce7aa700ef990a2be4ca7cbffb30a0" },
  "dorny/paths-filter@7b450fff21473bca461d4b92ce414b9d0420d706": { path: "dist/index.js", blob: "a4eba751410a6880d6e68575ca3d1d807bdfc56c" },
};
const [command, ...files] = process.argv.slice(2);
const findings = [];
const fail = (file, message) => findings.push(`${file}: ${message}`);
const run = (file, args, options = {}) => new Promise((resolve) => {
  // Asynchronous, so the stand-in servers in this process answer while the action runs.
  execFile(file, args, { maxBuffer: 64 << 20, ...options }, (error, stdout, stderr) =>
    resolve({ status: error ? (error.code ?? 1) : 0, output: options.encoding === "buffer" ? stdout : `${stdout}${stderr}` }));
});
const gitBlob = (bytes) => createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");

// The action's dist, checked against its recorded blob id, written into DIR; its path.
async function dist(uses, dir) {
  const known = dists[uses];
  if (!known) throw new Error(`${uses}: no dist recorded in tests/pipelines/upstream.mjs (a new pin: add its dist path and blob id)`);
  const [name, sha] = uses.split("@");
  const [owner, repo] = name.split("/");
  const copy = join(here, "upstream", `${owner}+${repo}@${sha}`, `${known.path.split("/").pop()}.gz`);
  let bytes;
  if (existsSync(copy)) bytes = gunzipSync(readFileSync(copy));
  else {
    const clone = (process.env.UPSTREAM_REPOS ?? "").replace("{owner}", owner).replace("{repo}", repo);
    if (!clone || !existsSync(clone)) throw new Error(`${uses}: no copy at ${copy} and no clone at '${clone}' (set UPSTREAM_REPOS)`);
    const out = await run("git", ["-C", clone, "cat-file", "blob", `${sha}:${known.path}`], { encoding: "buffer" });
    if (out.status !== 0) throw new Error(`${uses}: ${clone} has no ${sha}:${known.path}`);
    bytes = out.output;
  }
  if (gitBlob(bytes) !== known.blob) throw new Error(`${uses}: ${known.path} is blob ${gitBlob(bytes)}, recorded ${known.blob}`);
  const path = join(dir, known.path.split("/").pop());
  writeFileSync(path, bytes);
  return path;
}

// GITHUB_OUTPUT's multi-line entries (name<<DELIMITER ... DELIMITER) as an object.
function outputs(file) {
  const result = {};
  const lines = readFileSync(file, "utf8").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = lines[i].match(/^([\w-]+)<<(.+)$/);
    if (!m) continue;
    const end = lines.indexOf(m[2], i + 1);
    result[m[1]] = lines.slice(i + 1, end).join("\n");
    i = end;
  }
  return result;
}

function listen(handler) {
  const server = createServer(handler);
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

const stepsUsing = (doc, action) => Object.entries(doc.jobs ?? {}).flatMap(([name, job]) =>
  (job.steps ?? []).map((step, index) => ({ name, job, step, index })).filter(({ step }) => step.uses?.startsWith(`${action}@`)));

async function metadata(file, doc, work) {
  if (!doc.on?.push?.tags) return;
  // api.github.com stand-in: main.ts awaits repoData() (GET /repos/{owner}/{repo}); the commit
  // date comes from the event's head_commit, so no other request is made.
  const api = await listen((req, res) => {
    const m = req.url.match(/^\/repos\/([^/]+)\/([^/?]+)\/?(\?.*)?$/);
    res.setHeader("content-type", "application/json");
    if (!m) { res.statusCode = 404; res.end("{}"); return; }
    res.end(JSON.stringify({ name: m[2], full_name: `${m[1]}/${m[2]}`, html_url: `https://github.com/${m[1]}/${m[2]}`, description: "", license: null, default_branch: "main" }));
  });
  try {
    for (const { name, step } of stepsUsing(doc, "docker/metadata-action")) {
      const script = await dist(step.uses, work);
      const images = String(step.with?.images ?? "").split("\n").map((l) => l.trim()).filter(Boolean)
        .map((line, i) => (line.includes("${{") ? `registry${i}.example/appraise` : line));
      for (const input of ["tags", "flavor"]) {
        if (String(step.with?.[input] ?? "").includes("${{")) fail(file, `${name}: metadata-action input ${input} is an expression; the check takes it verbatim`);
      }
      for (const [ref, version] of [["refs/tags/v1.2.3", "1.2.3"], ["refs/tags/v1.2.3-rc.1", "1.2.3-rc.1"]]) {
        const sha = "0123456789abcdef0123456789abcdef01234567";
        writeFileSync(join(work, "event.json"), JSON.stringify({ ref, head_commit: { id: sha, timestamp: "2026-07-01T00:00:00Z" },
          repository: { name: "appraise", owner: { login: "acme" } } }));
        writeFileSync(join(work, "output"), "");
        const result = await run(process.execPath, [script], { cwd: work, env: {
          PATH: process.env.PATH, HOME: work, RUNNER_TEMP: work, GITHUB_ACTIONS: "true", GITHUB_EVENT_NAME: "push",
          GITHUB_EVENT_PATH: join(work, "event.json"), GITHUB_REF: ref, GITHUB_SHA: sha, GITHUB_REPOSITORY: "acme/appraise",
          GITHUB_WORKFLOW: "release", GITHUB_RUN_ID: "1", GITHUB_RUN_NUMBER: "1", GITHUB_ACTOR: "someone",
          GITHUB_SERVER_URL: "https://github.com", GITHUB_API_URL: `http://127.0.0.1:${api.address().port}`,
          GITHUB_OUTPUT: join(work, "output"), "INPUT_GITHUB-TOKEN": "not-a-token",
          // core.getInput does not apply action.yml's defaults: context's (workflow) is given here.
          INPUT_CONTEXT: "workflow", INPUT_IMAGES: images.join("\n"), INPUT_TAGS: String(step.with?.tags ?? ""), INPUT_FLAVOR: String(step.with?.flavor ?? ""),
        } });
        if (result.status !== 0) { fail(file, `${name}: metadata-action failed for ${ref}:\n${result.output.slice(-2000)}`); continue; }
        const tags = (outputs(join(work, "output")).tags ?? "").split("\n").filter(Boolean).sort();
        const expected = images.map((image) => `${image}:${version}`).sort();
        console.log(`${file}: ${name}: ${ref} -> ${tags.join(" ")}`);
        const extra = tags.filter((t) => !expected.includes(t));
        const missing = expected.filter((t) => !tags.includes(t));
        if (extra.length) fail(file, `${name}: ${ref} also pushes ${extra.join(", ")} (a moving tag: a second release pushes it again, and ECR's IMMUTABLE repository refuses)`);
        if (missing.length) fail(file, `${name}: ${ref} does not push ${missing.join(", ")}`);
      }
    }
  } finally {
    api.close();
  }
}

async function pathsFilter(file, doc, work) {
  // A private GitHub repository fetched without credentials: every request gets 401.
  const origin = await listen((req, res) => { res.writeHead(401, { "WWW-Authenticate": 'Basic realm="GitHub"' }); res.end(); });
  const git = (cwd, ...args) => run("git", ["-c", "user.name=t", "-c", "user.email=t@t.invalid", "-c", "init.defaultBranch=main", ...args],
    { cwd, env: { PATH: process.env.PATH, HOME: work, GIT_CONFIG_NOSYSTEM: "1", GIT_TERMINAL_PROMPT: "0" } });
  try {
    for (const { name, job, step, index } of stepsUsing(doc, "dorny/paths-filter")) {
      const script = await dist(step.uses, work);
      const checkout = job.steps.slice(0, index).reverse().find((s) => s.uses?.startsWith("actions/checkout@"));
      if (!checkout) { fail(file, `${name}: no actions/checkout before paths-filter`); continue; }
      const depth = Number(checkout.with?.["fetch-depth"] ?? 1);
      const persisted = String(checkout.with?.["persist-credentials"] ?? true) !== "false";
      const filters = parse(String(step.with?.filters ?? ""));
      // main had `before`; the push adds two commits (a rebase merge of two): the first changes a
      // file every filter matches, the second only README.md.
      const upstream = join(work, `${name}-upstream`);
      const ws = join(work, `${name}-ws`);
      rmSync(upstream, { recursive: true, force: true });
      rmSync(ws, { recursive: true, force: true });
      mkdirSync(upstream, { recursive: true });
      await git(upstream, "init", "-q");
      writeFileSync(join(upstream, "README.md"), "before\n");
      await git(upstream, "add", "-A");
      await git(upstream, "commit", "-qm", "before");
      for (const patterns of Object.values(filters)) {
        const path = join(upstream, String(patterns[0]).replaceAll("**", "a/b").replaceAll("*", "x"));
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, "changed\n");
      }
      await git(upstream, "add", "-A");
      await git(upstream, "commit", "-qm", "change");
      writeFileSync(join(upstream, "README.md"), "after\n");
      await git(upstream, "commit", "-qam", "after");
      const before = (await git(upstream, "rev-parse", "HEAD~2")).output.trim();
      const after = (await git(upstream, "rev-parse", "HEAD")).output.trim();
      // What actions/checkout v7 does for a push to main: fetch the pushed commit (depth N; 0: every
      // branch and tag, whole), then checkout -B main. Without persisted credentials git keeps none.
      mkdirSync(ws);
      await git(ws, "init", "-q");
      const refspecs = depth === 0 ? ["+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"] : [`+${after}:refs/remotes/origin/main`];
      const fetched = await git(ws, "fetch", "-q", "--no-tags", ...(depth ? [`--depth=${depth}`] : []), `file://${upstream}`, ...refspecs);
      if (fetched.status !== 0) { fail(file, `${name}: emulating the checkout failed: ${fetched.output}`); continue; }
      await git(ws, "checkout", "-q", "-B", "main", "refs/remotes/origin/main");
      await git(ws, "remote", "add", "origin", persisted ? `file://${upstream}` : `http://127.0.0.1:${origin.address().port}/acme/appraise`);
      writeFileSync(join(work, "event.json"), JSON.stringify({ before, after, ref: "refs/heads/main",
        repository: { default_branch: "main", name: "appraise", owner: { login: "acme" } } }));
      writeFileSync(join(work, "output"), "");
      // action.yml's defaults at the pin (core.getInput does not apply them): token github.token,
      // list-files none, initial-fetch-depth 100, predicate-quantifier some.
      const result = await run(process.execPath, [script], { cwd: ws, env: {
        PATH: process.env.PATH, HOME: work, GIT_CONFIG_NOSYSTEM: "1", GIT_TERMINAL_PROMPT: "0", RUNNER_TEMP: work,
        GITHUB_ACTIONS: "true", GITHUB_EVENT_NAME: "push", GITHUB_EVENT_PATH: join(work, "event.json"), GITHUB_REF: "refs/heads/main",
        GITHUB_SHA: after, GITHUB_REPOSITORY: "acme/appraise", GITHUB_WORKSPACE: ws, GITHUB_OUTPUT: join(work, "output"),
        INPUT_TOKEN: "not-a-token", INPUT_FILTERS: String(step.with?.filters ?? ""), "INPUT_LIST-FILES": "none",
        "INPUT_INITIAL-FETCH-DEPTH": "100", "INPUT_PREDICATE-QUANTIFIER": "some",
        ...(step.with?.base ? { INPUT_BASE: String(step.with.base) } : {}), ...(step.with?.ref ? { INPUT_REF: String(step.with.ref) } : {}),
      } });
      const got = outputs(join(work, "output"));
      console.log(`${file}: ${name}: fetch-depth ${depth}, credentials ${persisted ? "kept" : "removed"}: exit ${result.status}, ${JSON.stringify(Object.fromEntries(Object.keys(filters).map((f) => [f, got[f]])))}`);
      if (result.status !== 0) {
        const why = result.output.split("\n").filter((l) => /^::error|fatal:/.test(l)).join("\n");
        fail(file, `${name}: paths-filter fails on a push of two commits to main:\n${why || result.output.slice(-1500)}`);
        continue;
      }
      const unseen = Object.keys(filters).filter((f) => got[f] !== "true");
      if (unseen.length) fail(file, `${name}: the push changed files of ${unseen.join(", ")}, paths-filter says otherwise`);
    }
  } finally {
    origin.close();
  }
}

const commands = { metadata, "paths-filter": pathsFilter };
if (!commands[command] || files.length === 0) {
  console.error(`usage: upstream.mjs {${Object.keys(commands).join("|")}} WORKFLOW...`);
  process.exit(2);
}
const work = mkdtempSync(join(tmpdir(), "appraise-upstream-"));
try {
  for (const file of files) await commands[command](file, parse(readFileSync(file, "utf8")), work);
} catch (error) {
  findings.push(String(error.message ?? error));
} finally {
  rmSync(work, { recursive: true, force: true });
}
for (const f of findings) console.log(f);
console.log(`${command}: ${files.length} files, ${findings.length} findings`);
process.exit(findings.length ? 1 : 0);
