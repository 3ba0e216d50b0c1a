// The counting the browser tests share: check(name, fn) runs fn, prints "ok" or "FAIL" and
// counts it; summary(suite) prints "SUITE: N passed, N failed" and sets the exit code.
let passed = 0;
let failed = 0;

export async function check(name, fn) {
  try {
    const detail = await fn();
    passed++;
    console.log(`ok    ${name}${typeof detail === "string" ? ` (${detail})` : ""}`);
  } catch (error) {
    failed++;
    console.log(`FAIL  ${name}: ${error.message}`);
  }
}

export function assert(condition, message) {
  if (!condition) throw new Error(message);
}

export function summary(suite) {
  console.log(`${suite}: ${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

// Debian's Chromium, started as this machine's network allows: no background or component
// traffic (nothing outside may be reached), a fresh profile per run.
export const launchOptions = {
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
};
