// The structure of an HCL file: which items of each body are attributes (`name = expr`) and which
// are blocks (`type "label" { ... }`), with their line numbers and the raw text of expressions.
// @cdktf/hcl2json turns blocks and attributes into the same JSON shape (and keeps only one of an
// attribute and a block of the same name), so it cannot tell `set { ... }` from `set = [{ ... }]`;
// this scanner can, and check-terraform.mjs cross-checks the item names against hcl2json.
// Grammar followed: https://github.com/hashicorp/hcl/blob/main/hclsyntax/spec.md (bodies,
// attributes, blocks, template strings with ${ } and %{ }, heredocs, the three comment forms).

export class HclError extends Error {}

export function parseHcl(text, file = "<input>") {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") lineStarts.push(i + 1);
  const lineOf = (index) => {
    let lo = 0, hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= index) lo = mid; else hi = mid - 1;
    }
    return lo + 1;
  };
  let i = 0;
  const fail = (message) => { throw new HclError(`${file}:${lineOf(i)}: ${message}`); };

  // Skips blanks and comments; newlines too when `newlines` is true. A line comment ends at its
  // newline, which is left for the caller when newlines are significant.
  function skip(newlines) {
    for (;;) {
      const c = text[i];
      if (c === " " || c === "\t" || c === "\r" || (newlines && c === "\n")) { i++; continue; }
      if (c === "#" || (c === "/" && text[i + 1] === "/")) { while (i < text.length && text[i] !== "\n") i++; continue; }
      if (c === "/" && text[i + 1] === "*") {
        const end = text.indexOf("*/", i + 2);
        if (end < 0) fail("unterminated /* comment");
        i = end + 2;
        continue;
      }
      return;
    }
  }

  function identifier() {
    const match = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(i, i + 256));
    if (!match) return null;
    i += match[0].length;
    return match[0];
  }

  // At a double quote: consumes the template string, interpolations included. Returns its text
  // when it has no interpolation (a block label), else null.
  function quoted() {
    const start = i;
    i++;
    let plain = true;
    for (;;) {
      if (i >= text.length || text[i] === "\n") fail("unterminated string");
      const c = text[i];
      if (c === "\\") { i += 2; continue; }
      if (c === "\"") { i++; break; }
      if ((c === "$" || c === "%") && text[i + 1] === c && text[i + 2] === "{") { i += 3; continue; } // $${ and %%{ are literal
      if ((c === "$" || c === "%") && text[i + 1] === "{") { plain = false; i += 2; expression("}"); i++; continue; }
      i++;
    }
    return plain ? JSON.parse(text.slice(start, i)) : null;
  }

  function heredoc() {
    const match = /^<<(-?)([A-Za-z_][A-Za-z0-9_-]*)\r?\n/.exec(text.slice(i, i + 300));
    if (!match) return false;
    i += match[0].length;
    for (;;) {
      if (i >= text.length) fail(`unterminated heredoc ${match[2]}`);
      const end = text.indexOf("\n", i);
      const line = text.slice(i, end < 0 ? text.length : end);
      i = end < 0 ? text.length : end;
      if (line.trim() === match[2]) return true;
      i++;
    }
  }

  // Consumes an expression. With stop "}" it ends at the closing brace of an interpolation; with
  // stop "\n" at the end of its line (or at a "}" closing a one-line block) outside brackets.
  function expression(stop) {
    let depth = 0;
    for (;;) {
      skip(depth > 0 || stop === "}");
      if (i >= text.length) { if (stop === "\n" && depth === 0) return; fail("unexpected end of file in an expression"); }
      const c = text[i];
      if (depth === 0 && (c === stop || (stop === "\n" && c === "}"))) return;
      if (c === "\"") { quoted(); continue; }
      if (c === "<" && text[i + 1] === "<" && heredoc()) continue;
      if (c === "(" || c === "[" || c === "{") depth++;
      else if (c === ")" || c === "]" || c === "}") { if (depth === 0) fail(`unbalanced ${c}`); depth--; }
      i++;
    }
  }

  function body(closing) {
    const items = [];
    for (;;) {
      skip(true);
      if (i >= text.length) { if (closing) fail("missing } at end of file"); return items; }
      if (text[i] === "}") { if (!closing) fail("unexpected }"); i++; return items; }
      const start = i;
      const name = identifier();
      if (!name) fail(`expected an attribute or a block, found ${JSON.stringify(text[i])}`);
      skip(false);
      if (text[i] === "=" && text[i + 1] !== "=") {
        i++;
        skip(false);
        const exprStart = i;
        expression("\n");
        items.push({ kind: "attribute", name, expr: text.slice(exprStart, i).trim(), line: lineOf(start) });
        continue;
      }
      const labels = [];
      for (;;) {
        skip(false);
        if (text[i] === "\"") {
          const label = quoted();
          if (label === null) fail("a block label cannot contain interpolation");
          labels.push(label);
        } else if (text[i] === "{") {
          break;
        } else {
          const label = identifier();
          if (!label) fail(`expected "=" or a block after ${name}`);
          labels.push(label);
        }
      }
      i++;
      items.push({ kind: "block", name, labels, body: body(true), line: lineOf(start) });
    }
  }

  return body(false);
}
