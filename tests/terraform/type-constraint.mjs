// Terraform type constraints (variable "x" { type = ... }), parsed into a small tree, so a literal
// value passed to a module can be checked key by key: Terraform converts an object with an
// attribute the type does not declare by silently dropping it, so a misspelt node-group setting
// would be ignored rather than refused. Grammar: the primitive types, any, list/set/map(T),
// tuple([T, ...]), object({ name = T, ... }), optional(T[, default]).
// Result: { t: "object", attrs: { name: T } } | { t: "list"|"set"|"map", of: T } | { t: "tuple", of: [T] } | { t: name }.
export function parseType(text) {
  let i = 0;
  const skip = () => {
    for (;;) {
      while (i < text.length && /[\s,]/.test(text[i])) i++;
      if (text[i] === "#" || (text[i] === "/" && text[i + 1] === "/")) { while (i < text.length && text[i] !== "\n") i++; continue; }
      return;
    }
  };
  const expect = (c) => { skip(); if (text[i] !== c) throw new Error(`type constraint: expected ${c} at ${i} in ${text.slice(0, 60)}`); i++; };
  const word = () => { skip(); const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(i)); if (!m) throw new Error(`type constraint: expected a name at ${i}`); i += m[0].length; return m[0]; };
  // Skips an optional() default: a balanced expression up to the closing parenthesis.
  const skipExpression = () => {
    let depth = 0;
    while (i < text.length) {
      const c = text[i];
      if (c === "\"") { i++; while (i < text.length && text[i] !== "\"") i += text[i] === "\\" ? 2 : 1; }
      else if ("([{".includes(c)) depth++;
      else if (")]}".includes(c)) { if (depth === 0) return; depth--; }
      i++;
    }
  };
  function type() {
    const name = word();
    if (["list", "set", "map"].includes(name)) { expect("("); const of = type(); expect(")"); return { t: name, of }; }
    if (name === "optional") {
      expect("(");
      const inner = type();
      skip();
      if (text[i] !== ")") skipExpression();
      expect(")");
      return inner;
    }
    if (name === "tuple") {
      expect("("); expect("[");
      const of = [];
      for (skip(); text[i] !== "]"; skip()) of.push(type());
      expect("]"); expect(")");
      return { t: "tuple", of };
    }
    if (name === "object") {
      expect("("); expect("{");
      const attrs = {};
      for (skip(); text[i] !== "}"; skip()) {
        let key = word();
        expect("=");
        attrs[key] = type();
      }
      expect("}"); expect(")");
      return { t: "object", attrs };
    }
    return { t: name };
  }
  const result = type();
  return result;
}
