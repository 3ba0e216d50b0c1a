// A NetworkPolicy evaluator (networking.k8s.io/v1) for checking rendered manifests without a
// cluster. It follows the API reference and https://kubernetes.io/docs/concepts/services-networking/network-policies/:
// - a pod is isolated for ingress (egress) when a policy in its namespace selects it and lists
//   Ingress (Egress) in policyTypes; policyTypes defaults to Ingress, plus Egress when the
//   policy has an egress section. A pod no policy isolates allows everything that way.
// - an isolated pod allows a connection when any rule of any policy selecting it allows it
//   (policies are additive); a connection needs both the source's egress and the
//   destination's ingress to allow it.
// - a rule with no from/to allows every peer; no ports allows every port. A peer with
//   podSelector only means pods of the policy's namespace; namespaceSelector only means every pod
//   of those namespaces; both in one peer means pods matching both (AND); ipBlock matches an
//   address in cidr and not in except.
// - a port entry's protocol defaults to TCP; a named port matches the destination pod's container
//   port of that name and protocol; endPort makes a range.
// - ipBlock and pod addresses: the spec leaves it to the network plugin whether ipBlock
//   matches pod addresses. The default here (ipBlockMatchesPods: true) is the stricter view for
//   "must stay closed" checks: a pod whose address falls in an allowed ipBlock gets in.
// Selectors support matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist); a
// namespace always carries kubernetes.io/metadata.name.

// --- addresses (IPv4 and IPv6) as BigInt, for CIDR containment
function parseIp(ip) {
  if (ip.includes(":")) {
    const [head, tail] = ip.split("::");
    const h = head ? head.split(":") : [];
    const t = tail !== undefined ? (tail ? tail.split(":") : []) : [];
    const groups = tail !== undefined ? [...h, ...Array(8 - h.length - t.length).fill("0"), ...t] : h;
    if (groups.length !== 8) throw new Error(`bad IPv6 address ${ip}`);
    return { v: 6, n: groups.reduce((a, g) => (a << 16n) + BigInt(parseInt(g || "0", 16)), 0n) };
  }
  const parts = ip.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !(p >= 0 && p <= 255))) throw new Error(`bad IPv4 address ${ip}`);
  return { v: 4, n: parts.reduce((a, p) => (a << 8n) + BigInt(p), 0n) };
}

export function inCidr(ip, cidr) {
  const [base, bits] = cidr.split("/");
  const a = parseIp(ip);
  const b = parseIp(base);
  if (a.v !== b.v) return false;
  const width = a.v === 4 ? 32n : 128n;
  const shift = width - BigInt(bits);
  return (a.n >> shift) === (b.n >> shift);
}

// --- label selectors
export function selects(selector, labels = {}) {
  if (!selector) return false; // an absent selector selects nothing; {} selects everything
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[k] !== v) return false;
  }
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    switch (e.operator) {
      case "In": if (!has || !e.values.includes(labels[e.key])) return false; break;
      case "NotIn": if (has && e.values.includes(labels[e.key])) return false; break;
      case "Exists": if (!has) return false; break;
      case "DoesNotExist": if (has) return false; break;
      default: throw new Error(`unknown selector operator ${e.operator}`);
    }
  }
  return true;
}

// --- the cluster: namespaces with labels, pods (namespace, labels, ip, ports), external addresses
export class Cluster {
  constructor({ ipBlockMatchesPods = true } = {}) {
    this.namespaces = new Map();
    this.policies = [];
    this.ipBlockMatchesPods = ipBlockMatchesPods;
  }

  namespace(name, labels = {}) {
    this.namespaces.set(name, { ...labels, "kubernetes.io/metadata.name": name });
    return this;
  }

  // A pod: { namespace, labels, ip, ports: [{ name, containerPort, protocol }] }.
  pod(spec) {
    if (!this.namespaces.has(spec.namespace)) this.namespace(spec.namespace);
    return { kind: "pod", ports: [], labels: {}, ...spec };
  }

  external(ip) {
    return { kind: "external", ip };
  }

  add(policy) {
    if (policy.kind !== "NetworkPolicy") throw new Error(`not a NetworkPolicy: ${policy.kind}`);
    this.policies.push(policy);
    return this;
  }

  policyTypes(policy) {
    return policy.spec.policyTypes ?? (policy.spec.egress ? ["Ingress", "Egress"] : ["Ingress"]);
  }

  selecting(pod, type) {
    return this.policies.filter((p) => p.metadata.namespace === pod.namespace && selects(p.spec.podSelector, pod.labels) && this.policyTypes(p).includes(type));
  }

  peerMatches(peer, policyNamespace, other) {
    if (peer.ipBlock) {
      if (other.kind === "pod" && !this.ipBlockMatchesPods) return false;
      if (!other.ip) return false;
      return inCidr(other.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c) => inCidr(other.ip, c));
    }
    if (other.kind !== "pod") return false; // selectors only ever match pods
    const namespaceOk = peer.namespaceSelector
      ? selects(peer.namespaceSelector, this.namespaces.get(other.namespace))
      : other.namespace === policyNamespace;
    const podOk = peer.podSelector ? selects(peer.podSelector, other.labels) : true;
    return namespaceOk && podOk;
  }

  // port: the destination's number; destination: the pod (for named ports) or null.
  portMatches(entries, port, protocol, destination) {
    if (!entries || entries.length === 0) return true;
    return entries.some((e) => {
      if ((e.protocol ?? "TCP") !== protocol) return false;
      if (e.port === undefined) return true;
      if (typeof e.port === "string" && !/^\d+$/.test(e.port)) {
        const named = destination?.ports?.find((p) => p.name === e.port && (p.protocol ?? "TCP") === protocol);
        return named !== undefined && named.containerPort === port;
      }
      const start = Number(e.port);
      return e.endPort !== undefined ? port >= start && port <= e.endPort : port === start;
    });
  }

  allowedBy(rules, key, policyNamespace, other, port, protocol, destination) {
    return (rules ?? []).some((rule) => {
      const peers = rule[key];
      const peerOk = !peers || peers.length === 0 || peers.some((peer) => this.peerMatches(peer, policyNamespace, other));
      return peerOk && this.portMatches(rule.ports, port, protocol, destination);
    });
  }

  // Ingress at the destination pod from the source (pod or external).
  ingressAllows(source, destination, port, protocol) {
    const policies = this.selecting(destination, "Ingress");
    if (policies.length === 0) return true;
    return policies.some((p) => this.allowedBy(p.spec.ingress, "from", p.metadata.namespace, source, port, protocol, destination));
  }

  // Egress at the source pod to the destination (pod or external).
  egressAllows(source, destination, port, protocol) {
    if (source.kind !== "pod") return true;
    const policies = this.selecting(source, "Egress");
    if (policies.length === 0) return true;
    const target = destination.kind === "pod" ? destination : null;
    return policies.some((p) => this.allowedBy(p.spec.egress, "to", p.metadata.namespace, destination, port, protocol, target));
  }

  // Can source open a connection to destination:port/protocol? port may name a destination port.
  allows(source, destination, port, protocol = "TCP") {
    let number = port;
    if (typeof port === "string") {
      const named = destination.ports?.find((p) => p.name === port && (p.protocol ?? "TCP") === protocol);
      if (!named) throw new Error(`destination has no ${protocol} port named ${port}`);
      number = named.containerPort;
    }
    const ingress = destination.kind === "pod" ? this.ingressAllows(source, destination, number, protocol) : true;
    return ingress && this.egressAllows(source, destination, number, protocol);
  }
}
