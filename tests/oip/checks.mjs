// The counting the oip stage's node clients share: check(name, body) runs one behaviour (body
// returns null when it holds, or the problem) and prints "ok" or "FAIL"; summary(suite) prints
// "SUITE: N passed, N failed" (the line tests/lib/checks.sh adds up) and exits 1 on a failure.
let passed = 0;
let failed = 0;

export async function check(name, body) {
  try {
    const problem = await body();
    if (problem) throw new Error(problem);
    passed++;
    console.log(`ok    ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL  ${name}: ${e.message}`);
  }
}

export function summary(suite) {
  console.log(`${suite}: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
