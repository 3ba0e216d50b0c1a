// Checks every pod template in rendered manifests against the Kubernetes Pod Security Standard
// "restricted" (which includes "baseline"), one rule at a time, as the PodSecurity admission
// controller defines them (https://kubernetes.io/docs/concepts/security/pod-security-standards/).
// Usage: node check-restricted.mjs FILE...   Exits 1 on any violation.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const allowedVolumes = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];
const safeSysctls = ["kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes"];
const selinuxTypes = ["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"];

const containersOf = (spec) => [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];

// Each rule returns the list of problems it finds in a pod spec (empty when it passes).
const rules = {
  "host namespaces": (spec) => ["hostNetwork", "hostPID", "hostIPC"].filter((f) => spec[f] === true).map((f) => `${f} is true`),
  "host processes": (spec) => [spec, ...containersOf(spec)].filter((s) => s.securityContext?.windowsOptions?.hostProcess === true).map(() => "hostProcess is true"),
  "privileged containers": (spec) => containersOf(spec).filter((c) => c.securityContext?.privileged === true).map((c) => `${c.name} is privileged`),
  "host paths": (spec) => (spec.volumes ?? []).filter((v) => v.hostPath).map((v) => `volume ${v.name} is a hostPath`),
  "host ports": (spec) => containersOf(spec).flatMap((c) => (c.ports ?? []).filter((p) => p.hostPort).map((p) => `${c.name} uses hostPort ${p.hostPort}`)),
  "AppArmor": (spec) => [spec, ...containersOf(spec)].filter((s) => s.securityContext?.appArmorProfile?.type === "Unconfined").map(() => "AppArmor is Unconfined"),
  "SELinux": (spec) => [spec, ...containersOf(spec)].flatMap((s) => {
    const o = s.securityContext?.seLinuxOptions;
    if (!o) return [];
    return [...(selinuxTypes.includes(o.type ?? "") ? [] : [`SELinux type ${o.type}`]), ...(o.user ? ["SELinux user set"] : []), ...(o.role ? ["SELinux role set"] : [])];
  }),
  "/proc mount": (spec) => containersOf(spec).filter((c) => (c.securityContext?.procMount ?? "Default") !== "Default").map((c) => `${c.name} procMount ${c.securityContext.procMount}`),
  "sysctls": (spec) => (spec.securityContext?.sysctls ?? []).filter((s) => !safeSysctls.includes(s.name)).map((s) => `unsafe sysctl ${s.name}`),
  "volume types": (spec) => (spec.volumes ?? []).filter((v) => !Object.keys(v).some((k) => allowedVolumes.includes(k))).map((v) => `volume ${v.name} has a forbidden type`),
  "privilege escalation": (spec) => containersOf(spec).filter((c) => c.securityContext?.allowPrivilegeEscalation !== false).map((c) => `${c.name} does not set allowPrivilegeEscalation: false`),
  "running as non-root": (spec) => {
    const pod = spec.securityContext?.runAsNonRoot;
    return containersOf(spec).filter((c) => (c.securityContext?.runAsNonRoot ?? pod) !== true).map((c) => `${c.name} is not runAsNonRoot`);
  },
  "running as non-root user": (spec) => [spec, ...containersOf(spec)].filter((s) => s.securityContext?.runAsUser === 0).map((s) => `${s.name ?? "pod"} runs as UID 0`),
  "seccomp": (spec) => {
    const pod = spec.securityContext?.seccompProfile?.type;
    return containersOf(spec).filter((c) => !["RuntimeDefault", "Localhost"].includes(c.securityContext?.seccompProfile?.type ?? pod)).map((c) => `${c.name} has no RuntimeDefault or Localhost seccomp profile`);
  },
  "capabilities": (spec) => containersOf(spec).flatMap((c) => {
    const caps = c.securityContext?.capabilities ?? {};
    return [
      ...((caps.drop ?? []).includes("ALL") ? [] : [`${c.name} does not drop ALL capabilities`]),
      ...(caps.add ?? []).filter((a) => a !== "NET_BIND_SERVICE").map((a) => `${c.name} adds ${a}`),
    ];
  }),
};

function podSpecOf(object) {
  switch (object.kind) {
    case "Pod": return object.spec;
    case "Deployment": case "StatefulSet": case "DaemonSet": case "ReplicaSet": case "Job": return object.spec.template.spec;
    case "CronJob": return object.spec.jobTemplate.spec.template.spec;
    default: return null;
  }
}

let violations = 0;
let pods = 0;
for (const file of process.argv.slice(2)) {
  for (const document of parseAllDocuments(readFileSync(file, "utf8"))) {
    const object = document.toJSON();
    const spec = object && podSpecOf(object);
    if (!spec) continue;
    pods++;
    for (const [rule, check] of Object.entries(rules)) {
      const problems = check(spec);
      violations += problems.length;
      console.log(`${problems.length ? "VIOLATES" : "ok      "} ${file}: ${object.kind}/${object.metadata.name}: ${rule}${problems.length ? `: ${problems.join("; ")}` : ""}`);
    }
  }
}
console.log(`${pods} pod specs, ${Object.keys(rules).length} rules each, ${violations} violations`);
process.exit(violations === 0 && pods > 0 ? 0 : 1);
