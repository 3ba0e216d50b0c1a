// A client generated from appraise's own OpenAPI document, calling a running appraise: the
// document is only right if code written against it works. Type-checked by tsc first, so a
// field the document names wrongly fails before anything runs.
//   node dist/client-test.js BASE_URL API_KEY
import { client } from "./generated/client.gen.js";
import { explain, getReport, hello, predict } from "./generated/sdk.gen.js";
import type { PredictionResponse, ReportResponse } from "./generated/types.gen.js";

const [baseUrl, apiKey] = process.argv.slice(2);
let passed = 0;
let failed = 0;

async function check(name: string, run: () => Promise<string | void>): Promise<void> {
  try {
    const detail = await run();
    passed++;
    console.log(`ok    ${name}${detail ? ` (${detail})` : ""}`);
  } catch (error) {
    failed++;
    console.log(`FAIL  ${name}: ${(error as Error).message}`);
  }
}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

const house = { CHAS: 0, RM: 6.575, TAX: 296, PTRATIO: 15.3, B: 396.9, LSTAT: 4.98 };
client.setConfig({ baseUrl, auth: () => apiKey });

await check("hello: the generated call answers {\"message\":\"Hello World\"}", async () => {
  const { data, response } = await hello();
  assert(response.status === 200 && data?.message === "Hello World", `status ${response.status}, ${JSON.stringify(data)}`);
});

let prediction: PredictionResponse | undefined;
await check("a prediction with the key, sent by the client from the security scheme", async () => {
  const { data, response } = await predict({ body: { event_id: 7, payload: house }, query: { generate_report: true } });
  assert(response.status === 200 && data, `status ${response.status}`);
  assert(response.url.endsWith("/api/v1/prediction?generate_report=true"), `called ${response.url}`);
  assert(data.event_id === 7 && Math.abs(data.predicted_value - 28.3) < 0.01, JSON.stringify(data));
  assert(data.report_generated && typeof data.report_id === "string", "no report id");
  prediction = data;
  return `predicted ${data.predicted_value.toFixed(2)}`;
});

await check("the report read back: completed, baseline plus contributions is the prediction", async () => {
  assert(prediction?.report_id, "no report was requested");
  let report: ReportResponse | undefined;
  for (let attempt = 0; attempt < 100 && report?.state !== "completed"; attempt++) {
    const { data, response } = await getReport({ path: { id: prediction.report_id } });
    assert(response.status === 200 || response.status === 202, `status ${response.status}`);
    report = data;
    if (report?.state !== "completed") await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert(report?.state === "completed", `state ${report?.state}`);
  const total = (report.baseline ?? 0) + (report.contributions ?? []).reduce((sum, c) => sum + c.contribution, 0);
  assert(Math.abs(total - report.predicted_value) < 1e-9, `sum ${total} vs ${report.predicted_value}`);
});

await check("a wrong key is answered 418 with the original service's message", async () => {
  const { error, response } = await predict({ body: { event_id: 1, payload: house }, auth: () => "not-the-key" });
  assert(response.status === 418, `status ${response.status}`);
  assert(JSON.stringify(error).includes("InvalidSecretKeyError"), JSON.stringify(error));
});

await check("an invalid feature is a 422 whose errors name the field", async () => {
  const { error, response } = await explain({ body: { ...house, RM: 55 } });
  assert(response.status === 422, `status ${response.status}`);
  assert(JSON.stringify(error).includes("RM must be between 1 and 20"), JSON.stringify(error));
});

console.log(`client: ${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
