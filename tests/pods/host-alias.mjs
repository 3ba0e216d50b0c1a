// Writes the helm test pod with a hostAliases entry: the Service's name resolves to the app pod's
// address, as cluster DNS resolves it to the Service (podman has no Services).
// Usage: node host-alias.mjs TEST.yaml IP HOSTNAME > OUT.yaml
import { readFileSync } from "node:fs";
import { parse, stringify } from "yaml";

const [file, ip, hostname] = process.argv.slice(2);
const pod = parse(readFileSync(file, "utf8"));
pod.spec.hostAliases = [{ ip, hostnames: [hostname] }];
process.stdout.write(stringify(pod));
