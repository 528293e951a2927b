// Validates rendered Kubernetes manifests (kubectl kustomize output, on stdin or as file
// arguments) against the Kubernetes, Prometheus Operator and KEDA schemas of the
// kubernetes-models packages. Exits non-zero, naming each invalid object, when any fails.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const packages = [
  ["monitoring.coreos.com/", "@kubernetes-models/prometheus-operator"],
  ["keda.sh/", "@kubernetes-models/keda"],
  ["", "kubernetes-models"],
];

async function modelFor(apiVersion, kind) {
  const [prefix, pkg] = packages.find(([p]) => apiVersion.startsWith(p));
  // core objects live under "v1/", the others under "<group>/<version>/"
  const module = await import(`${pkg}/${apiVersion}/${kind}`);
  return module[kind] ?? module.default;
}

const inputs = process.argv.length > 2
  ? process.argv.slice(2).map((f) => readFileSync(f, "utf8"))
  : [readFileSync(0, "utf8")];
let objects = 0;
const failures = [];
for (const text of inputs) {
  for (const doc of parseAllDocuments(text)) {
    const obj = doc.toJS();
    if (!obj) continue;
    objects++;
    const name = `${obj.kind}/${obj.metadata?.name}`;
    try {
      const Model = await modelFor(obj.apiVersion, obj.kind);
      new Model(obj).validate();
    } catch (e) {
      failures.push(`${name}: ${e.message}`);
    }
  }
}
if (objects === 0) failures.push("no objects to validate");
for (const f of failures) console.error(`invalid: ${f}`);
console.log(`${objects - failures.length} of ${objects} objects valid`);
process.exit(failures.length ? 1 : 0);
