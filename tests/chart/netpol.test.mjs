// Tests of the NetworkPolicy evaluator (netpol.mjs) against the semantics the Kubernetes
// documentation states, including the documentation's own example policy. Every case that says
// "denied" is a negative control: an evaluator that allowed everything would fail it.
// Run: node --test tests/chart/netpol.test.mjs
import { test } from "node:test";
import assert from "node:assert/strict";
import { Cluster, inCidr, selects } from "./netpol.mjs";

const policy = (namespace, spec) => ({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "p", namespace }, spec });

test("CIDR containment, IPv4 and IPv6", () => {
  assert.ok(inCidr("10.1.2.3", "10.0.0.0/8"));
  assert.ok(!inCidr("11.1.2.3", "10.0.0.0/8"));
  assert.ok(inCidr("203.0.113.9", "0.0.0.0/0"));
  assert.ok(!inCidr("2001:db8::1", "0.0.0.0/0"));
  assert.ok(inCidr("2001:db8::1", "2001:db8::/32"));
  assert.ok(!inCidr("2001:db9::1", "2001:db8::/32"));
  assert.ok(inCidr("fd00::5", "::/0"));
});

test("selectors: matchLabels and every matchExpressions operator; absent selects nothing", () => {
  assert.ok(selects({}, { a: "1" }));
  assert.ok(!selects(undefined, { a: "1" }));
  assert.ok(selects({ matchLabels: { a: "1" } }, { a: "1", b: "2" }));
  assert.ok(!selects({ matchLabels: { a: "1" } }, { a: "2" }));
  assert.ok(selects({ matchExpressions: [{ key: "a", operator: "In", values: ["1", "2"] }] }, { a: "2" }));
  assert.ok(!selects({ matchExpressions: [{ key: "a", operator: "In", values: ["1"] }] }, {}));
  assert.ok(selects({ matchExpressions: [{ key: "a", operator: "NotIn", values: ["1"] }] }, {}));
  assert.ok(!selects({ matchExpressions: [{ key: "a", operator: "NotIn", values: ["1"] }] }, { a: "1" }));
  assert.ok(selects({ matchExpressions: [{ key: "a", operator: "Exists" }] }, { a: "" }));
  assert.ok(!selects({ matchExpressions: [{ key: "a", operator: "DoesNotExist" }] }, { a: "" }));
});

test("no policy: everything is allowed; a default-deny ingress policy denies ingress only", () => {
  const c = new Cluster();
  const a = c.pod({ namespace: "x", labels: { app: "a" }, ip: "10.0.0.1" });
  const b = c.pod({ namespace: "x", labels: { app: "b" }, ip: "10.0.0.2" });
  assert.ok(c.allows(a, b, 80));
  c.add(policy("x", { podSelector: {}, policyTypes: ["Ingress"] }));
  assert.ok(!c.allows(a, b, 80), "denied: default deny ingress");
  assert.ok(c.allows(a, c.external("8.8.8.8"), 53, "UDP"), "egress is not isolated");
});

// The example policy of the Network Policies concepts page ("test-network-policy").
function documentationExample() {
  const c = new Cluster();
  c.namespace("default").namespace("myproject", { project: "myproject" }).namespace("other");
  c.add(policy("default", {
    podSelector: { matchLabels: { role: "db" } },
    policyTypes: ["Ingress", "Egress"],
    ingress: [{
      from: [
        { ipBlock: { cidr: "172.17.0.0/16", except: ["172.17.1.0/24"] } },
        { namespaceSelector: { matchLabels: { project: "myproject" } } },
        { podSelector: { matchLabels: { role: "frontend" } } },
      ],
      ports: [{ protocol: "TCP", port: 6379 }],
    }],
    egress: [{ to: [{ ipBlock: { cidr: "10.0.0.0/24" } }], ports: [{ protocol: "TCP", port: 5978 }] }],
  }));
  const db = c.pod({ namespace: "default", labels: { role: "db" }, ip: "192.168.5.5" });
  return { c, db };
}

test("documentation example: ingress by pod, namespace and ipBlock with except, on one port", () => {
  const { c, db } = documentationExample();
  const frontend = c.pod({ namespace: "default", labels: { role: "frontend" }, ip: "192.168.1.1" });
  const backend = c.pod({ namespace: "default", labels: { role: "backend" }, ip: "192.168.1.2" });
  const anyInProject = c.pod({ namespace: "myproject", labels: {}, ip: "192.168.2.1" });
  const frontendElsewhere = c.pod({ namespace: "other", labels: { role: "frontend" }, ip: "192.168.3.1" });
  assert.ok(c.allows(frontend, db, 6379));
  assert.ok(!c.allows(frontend, db, 6380), "denied: other port");
  assert.ok(!c.allows(frontend, db, 6379, "UDP"), "denied: other protocol");
  assert.ok(!c.allows(backend, db, 6379), "denied: pod not selected");
  assert.ok(c.allows(anyInProject, db, 6379));
  assert.ok(!c.allows(frontendElsewhere, db, 6379), "denied: podSelector alone means the policy's namespace");
  assert.ok(c.allows(c.external("172.17.0.5"), db, 6379));
  assert.ok(!c.allows(c.external("172.17.1.5"), db, 6379), "denied: in except");
  assert.ok(!c.allows(c.external("10.9.9.9"), db, 6379), "denied: outside the cidr");
});

test("documentation example: egress only to the ipBlock on its port", () => {
  const { c, db } = documentationExample();
  assert.ok(c.allows(db, c.external("10.0.0.7"), 5978));
  assert.ok(!c.allows(db, c.external("10.0.0.7"), 80), "denied: other port");
  assert.ok(!c.allows(db, c.external("10.0.1.7"), 5978), "denied: outside the cidr");
});

test("namespaceSelector and podSelector in one peer mean AND; in two peers, OR", () => {
  const build = (from) => {
    const c = new Cluster();
    c.namespace("app").namespace("alice", { user: "alice" }).namespace("bob");
    c.add(policy("app", { podSelector: {}, ingress: [{ from }] }));
    return { c, target: c.pod({ namespace: "app", ip: "10.0.0.1" }) };
  };
  const and = build([{ namespaceSelector: { matchLabels: { user: "alice" } }, podSelector: { matchLabels: { role: "client" } } }]);
  assert.ok(and.c.allows(and.c.pod({ namespace: "alice", labels: { role: "client" } }), and.target, 80));
  assert.ok(!and.c.allows(and.c.pod({ namespace: "alice", labels: {} }), and.target, 80), "denied: AND needs the pod label");
  assert.ok(!and.c.allows(and.c.pod({ namespace: "bob", labels: { role: "client" } }), and.target, 80), "denied: AND needs the namespace");
  const or = build([{ namespaceSelector: { matchLabels: { user: "alice" } } }, { podSelector: { matchLabels: { role: "client" } } }]);
  assert.ok(or.c.allows(or.c.pod({ namespace: "alice", labels: {} }), or.target, 80));
  assert.ok(or.c.allows(or.c.pod({ namespace: "app", labels: { role: "client" } }), or.target, 80));
  assert.ok(!or.c.allows(or.c.pod({ namespace: "bob", labels: { role: "client" } }), or.target, 80), "denied: a podSelector peer is this namespace only");
});

test("policyTypes defaults: Ingress always, Egress when an egress section exists", () => {
  const c = new Cluster();
  c.add(policy("x", { podSelector: { matchLabels: { app: "a" } }, egress: [{ ports: [{ port: 53, protocol: "UDP" }] }] }));
  const a = c.pod({ namespace: "x", labels: { app: "a" }, ip: "10.0.0.1" });
  const b = c.pod({ namespace: "x", labels: { app: "b" }, ip: "10.0.0.2" });
  assert.ok(!c.allows(b, a, 80), "denied: ingress isolated although the policy has no ingress section");
  assert.ok(c.allows(a, c.external("10.96.0.10"), 53, "UDP"));
  assert.ok(!c.allows(a, b, 80), "denied: egress isolated to DNS");
});

test("policies are additive; named ports resolve on the destination pod; endPort ranges", () => {
  const c = new Cluster();
  c.add(policy("x", { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ ports: [{ port: "http" }] }] }));
  c.add(policy("x", { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ ports: [{ port: 9000, endPort: 9010 }] }] }));
  const named = c.pod({ namespace: "x", ip: "10.0.0.1", ports: [{ name: "http", containerPort: 8080 }] });
  const unnamed = c.pod({ namespace: "x", ip: "10.0.0.2", ports: [{ containerPort: 8080 }] });
  const client = c.pod({ namespace: "x", ip: "10.0.0.3" });
  assert.ok(c.allows(client, named, "http"));
  assert.ok(c.allows(client, named, 8080));
  assert.ok(!c.allows(client, unnamed, 8080), "denied: 8080 has no name http on this pod");
  assert.ok(c.allows(client, unnamed, 9005));
  assert.ok(!c.allows(client, unnamed, 9011), "denied: past endPort");
});

test("ipBlock against pod addresses is the plugin's choice: both views are available", () => {
  for (const matches of [true, false]) {
    const c = new Cluster({ ipBlockMatchesPods: matches });
    c.add(policy("x", { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: "0.0.0.0/0" } }] }] }));
    const target = c.pod({ namespace: "x", ip: "10.0.0.1" });
    const pod = c.pod({ namespace: "y", ip: "10.1.0.1" });
    assert.equal(c.allows(pod, target, 80), matches);
    assert.ok(c.allows(c.external("198.51.100.1"), target, 80));
  }
});
