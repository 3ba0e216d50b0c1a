// Which request paths the rendered HTTPRoutes send to the app's Service, by Gateway API v1.6.1's
// path matching (apis/v1/httproute_types.go: Exact is the whole path, case-sensitive; PathPrefix
// matches element by element, a trailing "/" ignored, "/" matches everything; a request no rule
// matches gets 404). The redirect route on the http listener sends nothing to the Service.
// Usage: node tests/chart/check-httproute.mjs RENDERED.yaml "PATH allow|deny" ...
// Prints one line per expectation; exits 1 when any fails.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const [file, ...expectations] = process.argv.slice(2);
const objects = parseAllDocuments(readFileSync(file, "utf8")).map((d) => d.toJSON()).filter(Boolean);
const service = objects.find((o) => o.kind === "Service")?.metadata.name;
const matches = (match, path) => {
  const type = match?.path?.type ?? "PathPrefix";
  const value = match?.path?.value ?? "/";
  if (type === "Exact") return path === value;
  if (type === "PathPrefix") {
    const prefix = value.replace(/\/+$/, "");
    return prefix === "" || path === prefix || path.startsWith(`${prefix}/`);
  }
  throw new Error(`path match type ${type} is implementation-specific: not evaluated`);
};
const routed = (path) => objects.filter((o) => o.kind === "HTTPRoute").flatMap((r) => r.spec.rules ?? [])
  .some((rule) => (rule.backendRefs ?? []).some((b) => b.name === service) && (rule.matches ?? [{}]).some((m) => matches(m, path)));
let failures = 0;
for (const expectation of expectations) {
  const [, path, want] = /^(\S+)\s+(allow|deny)$/.exec(expectation) ?? [];
  const got = routed(path);
  const ok = got === (want === "allow");
  if (!ok) failures++;
  console.log(`${ok ? "ok  " : "FAIL"}  ${path} ${got ? "routed to" : "not routed to"} Service ${service} (want ${want})`);
}
process.exit(failures === 0 && expectations.length > 0 ? 0 : 1);
