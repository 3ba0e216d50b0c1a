// Terraform version constraints (https://developer.hashicorp.com/terraform/language/expressions/version-constraints):
// comma-separated =, !=, >, >=, <, <=, ~> with versions of one to three parts.

const parse = (version) => {
  const parts = version.trim().replace(/^v/, "").split(".").map(Number);
  if (parts.length === 0 || parts.length > 3 || parts.some((n) => !Number.isInteger(n))) throw new Error(`not a version: ${version}`);
  return parts;
};
const compare = (a, b) => {
  for (let k = 0; k < 3; k++) {
    const d = (a[k] ?? 0) - (b[k] ?? 0);
    if (d) return Math.sign(d);
  }
  return 0;
};

export function admits(constraint, version) {
  const v = parse(version);
  return constraint.split(",").every((term) => {
    const match = /^\s*(=|!=|>=|<=|>|<|~>)?\s*(\S+)\s*$/.exec(term);
    if (!match) throw new Error(`not a version constraint: ${constraint}`);
    const [, op = "=", bound] = match;
    const b = parse(bound);
    const c = compare(v, b);
    switch (op) {
      case "=": return c === 0;
      case "!=": return c !== 0;
      case ">": return c > 0;
      case ">=": return c >= 0;
      case "<": return c < 0;
      case "<=": return c <= 0;
      default: { // ~> X.Y allows >= X.Y and < (X+1); ~> X.Y.Z allows >= X.Y.Z and < X.(Y+1)
        if (b.length === 1) return c >= 0;
        const upper = b.slice(0, -1);
        upper[upper.length - 1] += 1;
        return c >= 0 && compare(v, upper) < 0;
      }
    }
  });
}

// "= 1.2.3" or "1.2.3": the one version an exact pin allows, else null.
export function exactVersion(constraint) {
  const match = /^\s*=?\s*v?(\d+\.\d+\.\d+)\s*$/.exec(constraint);
  return match ? match[1] : null;
}
