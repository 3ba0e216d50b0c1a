// Swagger UI at /docs in headless Chromium, as a developer tries the API: Authorize with a key,
// "Try it out" on the prediction, Execute, and the answer is 200 (and 418 without the key).
// Selectors are Swagger UI's own (swagger-ui 5, served by Swashbuckle.AspNetCore.SwaggerUI).
//   node docs-page.mjs BASE_URL API_KEY
import { chromium } from "playwright-core";
import { assert, check, launchOptions, summary } from "./checks.mjs";

const [base, apiKey] = process.argv.slice(2);
const operation = "#operations-Predictions-Predict";

async function execute(page) {
  const block = page.locator(operation);
  if (!(await block.locator(".try-out__btn").isVisible())) await block.locator(".opblock-summary").click();
  if (await block.locator(".try-out__btn.cancel").count() === 0) await block.locator(".try-out__btn").click();
  const answered = page.waitForResponse((response) => response.url().includes("/api/v1/prediction") && response.request().method() === "POST");
  await block.locator(".execute").click();
  const response = await answered;
  // The table shows the answer that just arrived (a previous try's row is replaced).
  const status = block.locator(".live-responses-table tbody .response-col_status", { hasText: String(response.status()) });
  await status.first().waitFor({ timeout: 15000 });
  return { request: response.request(), status: (await status.first().textContent()).trim() };
}

const browser = await chromium.launch(launchOptions);
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(`exception: ${error.message}`));
  page.on("console", (message) => {
    // Chromium logs the deliberate 418 of the unauthorized try as a failed resource load.
    if (message.type() === "error" && !message.text().includes("status of 418")) problems.push(`console: ${message.text()}`);
  });
  await page.goto(`${base}/docs/`);
  await page.waitForSelector(".swagger-ui .btn.authorize", { timeout: 20000 });

  await check("Swagger UI shows Authorize (the document declares the API key)", async () => {
    assert(await page.locator(".swagger-ui .btn.authorize").isVisible(), "no Authorize button");
    assert(await page.locator(`${operation} .authorization__btn`).count() === 1, "the prediction shows no lock");
  });

  await check("without a key, Try it out on the prediction gets the original service's 418", async () => {
    const { status } = await execute(page);
    assert(status === "418", `status ${status}`);
  });

  await check("after Authorize with a key, Execute sends X-Api-Key and gets 200 with the prediction", async () => {
    await page.locator(".swagger-ui .btn.authorize").click();
    const modal = page.locator(".dialog-ux .modal-ux");
    await modal.locator("input").first().fill(apiKey);
    await modal.locator("button.authorize").click();
    await modal.locator("button.btn-done").click();
    const { request, status } = await execute(page);
    assert(request.headers()["x-api-key"] === apiKey, "the request carried no X-Api-Key");
    assert(status === "200", `status ${status}`);
    const body = await page.locator(`${operation} .live-responses-table tbody .response-col_description pre`).first().textContent();
    assert(body.includes("\"predicted_value\": 28.30"), `answer ${body.slice(0, 200)}`);
  });

  await check("no console error or exception on /docs", async () => {
    assert(problems.length === 0, problems.join("; "));
  });
  await context.close();
} finally {
  await browser.close();
}
summary("docs");
