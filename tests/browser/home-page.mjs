// The home page in headless Chromium, as a person uses it: the form is built from the model card,
// filled and submitted, the price shown is the API's for the same input, the chart renders, and
// nothing breaks the page's Content-Security-Policy or reaches another origin. Screenshots at
// desktop and phone width go to OUT_DIR.
//   node home-page.mjs BASE_URL OUT_DIR
import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";
import { assert, check, launchOptions, summary } from "./checks.mjs";

const [base, outDir] = process.argv.slice(2);
mkdirSync(outDir, { recursive: true });
const origin = new URL(base).origin;
// Row 3 of the Boston housing data; the page starts from row 1 (the seeds' sample).
const house = { CHAS: "0", RM: "7.185", TAX: "242", PTRATIO: "17.8", B: "392.83", LSTAT: "4.03" };

async function apiPrediction(features) {
  const columns = Object.fromEntries(Object.entries(features).map(([name, value]) => [name, { 0: Number(value) }]));
  const response = await fetch(`${base}/predict`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(columns) });
  return (await response.json()).prediction[0];
}

// Everything the page does wrong that a person might never notice: console errors (CSP
// violations are reported there), uncaught exceptions, failed requests, other origins.
function watch(page) {
  const problems = [];
  page.on("console", (message) => { if (message.type() === "error") problems.push(`console: ${message.text()}`); });
  page.on("pageerror", (error) => problems.push(`exception: ${error.message}`));
  page.on("requestfailed", (request) => problems.push(`failed: ${request.url()}`));
  page.on("request", (request) => { if (new URL(request.url()).origin !== origin) problems.push(`other origin: ${request.url()}`); });
  return problems;
}

async function open(browser, viewport) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems = watch(page);
  await page.goto(`${base}/`);
  await page.waitForSelector("#submit:not([disabled])", { timeout: 15000 });
  return { context, page, problems };
}

async function submit(page, features) {
  for (const [name, value] of Object.entries(features)) {
    if (name === "CHAS") await page.selectOption(`#feature-${name}`, value);
    else await page.fill(`#feature-${name}`, value);
  }
  await page.click("#submit");
  await page.waitForSelector("#result:not([hidden]) #chart svg", { timeout: 15000 });
}

const browser = await chromium.launch(launchOptions);
try {
  const desktop = await open(browser, { width: 1280, height: 900 });
  const { page } = desktop;

  await check("the page is HTML served under a Content-Security-Policy with no inline script or style", async () => {
    const response = await page.request.get(`${base}/`, { headers: { Accept: "text/html" } });
    const policy = response.headers()["content-security-policy"] ?? "";
    assert(response.headers()["content-type"].startsWith("text/html"), "not HTML");
    assert(policy.includes("script-src 'self'") && !policy.includes("unsafe-inline"), `policy: ${policy}`);
    return policy;
  });

  await check("the form has the model's six features, each labelled, with the model file's ranges", async () => {
    const fields = await page.$$eval("#fields input, #fields select", (inputs) => inputs.map((input) => ({
      name: input.name, labelled: input.labels.length === 1, min: input.min, max: input.max,
    })));
    const card = await (await fetch(`${base}/api/v1/model`)).json();
    assert(fields.length === 6, `${fields.length} fields`);
    assert(fields.every((f) => f.labelled), "an input without its label");
    for (const feature of card.features.filter((f) => !f.binary)) {
      const field = fields.find((f) => f.name === feature.name);
      assert(Number(field.min) === feature.minimum && Number(field.max) === feature.maximum, `${feature.name} range ${field.min}..${field.max}`);
    }
  });

  await check("the page describes the model from its card: title, description, target and unit, no model named in the page itself", async () => {
    const card = await (await fetch(`${base}/api/v1/model`)).json();
    const description = await page.textContent("#description");
    const title = await page.title();
    const raw = await (await fetch(`${base}/`, { headers: { Accept: "text/html" } })).text();
    assert(title === `appraise: ${card.description}` && description.includes(card.description) && description.includes(card.target_unit),
      `title '${title}', description '${description}'`);
    assert(!/house|boston|\$1000/i.test(raw), "the static page names a model");
  });

  await check("prefilled with a typical house, whose price the page shows on submit", async () => {
    await page.click("#submit");
    await page.waitForSelector("#result:not([hidden])");
    const shown = Number(await page.$eval("#prediction", (prediction) => prediction.dataset.value));
    const expected = await apiPrediction({ CHAS: 0, RM: 6.575, TAX: 296, PTRATIO: 15.3, B: 396.9, LSTAT: 4.98 });
    assert(shown === expected, `page ${shown}, API ${expected}`);
  });

  let shownPrice;
  await check("a filled form shows the price the API gives for the same input", async () => {
    await submit(page, house);
    await page.waitForFunction((previous) => document.getElementById("prediction").dataset.value !== previous,
      String(await apiPrediction({ CHAS: 0, RM: 6.575, TAX: 296, PTRATIO: 15.3, B: 396.9, LSTAT: 4.98 })));
    shownPrice = Number(await page.$eval("#prediction", (prediction) => prediction.dataset.value));
    const expected = await apiPrediction(house);
    const text = await page.textContent("#prediction");
    assert(shownPrice === expected, `page ${shownPrice}, API ${expected}`);
    // In the model's own unit, from its description (the housing model's: USD 1000s).
    const unit = (await (await fetch(`${base}/api/v1/model`)).json()).target_unit;
    assert(text === `${expected.toLocaleString("en-US", { maximumFractionDigits: 2 })} ${unit}`, `shown as '${text}'`);
    return text;
  });

  await check("the waterfall chart renders: baseline, six contributions and the prediction as visible bars", async () => {
    const bars = await page.$$eval("#chart svg rect", (rects) => rects.map((rect) => rect.getBoundingClientRect().width));
    const box = await page.$eval("#chart svg", (svg) => svg.getBoundingClientRect().toJSON());
    // The first rect is the background; then one bar per row.
    assert(bars.length === 1 + 8, `${bars.length} rects`);
    assert(bars.slice(1).every((width) => width > 0), "an invisible bar");
    assert(box.width > 300 && box.height > 200, `chart ${box.width}x${box.height}`);
    const label = await page.$eval("#chart svg", (svg) => svg.getAttribute("aria-label"));
    assert(label.includes(String(Math.round(shownPrice * 100) / 100)), `chart label '${label}'`);
  });

  await check("an out-of-range value is refused with the API's reason, shown on the page", async () => {
    const before = desktop.problems.length;
    await page.fill("#feature-RM", "55");
    await page.click("#submit");
    await page.waitForSelector("#problem:not([hidden])");
    const text = await page.textContent("#problem");
    assert(text.includes("RM must be between 1 and 20"), text);
    await page.fill("#feature-RM", house.RM);
    // Chromium logs every 4xx answer as a console error: these two 422s were asked for.
    const asked = desktop.problems.slice(before).filter((problem) => problem.includes("status of 422"));
    assert(asked.length === 2, `expected two 422 answers, saw: ${desktop.problems.slice(before).join("; ")}`);
    desktop.problems.splice(before, 2);
  });

  await check("works from the keyboard: Tab reaches every field and the button, Enter submits", async () => {
    await page.goto(`${base}/`);
    await page.waitForSelector("#submit:not([disabled])");
    const order = [];
    for (let i = 0; i < 12 && !order.includes("submit"); i++) {
      await page.keyboard.press("Tab");
      order.push(await page.evaluate(() => document.activeElement.id || document.activeElement.tagName));
    }
    const fields = ["CHAS", "RM", "TAX", "PTRATIO", "B", "LSTAT"].map((name) => `feature-${name}`);
    assert(fields.every((id) => order.includes(id)) && order.includes("submit"), `focus order ${order.join(", ")}`);
    await page.keyboard.press("Enter");
    await page.waitForSelector("#result:not([hidden])");
  });

  await check("text contrast is at least 4.5:1 (WCAG AA) for body text, hints, labels, links and the button", async () => {
    const ratios = await page.evaluate(() => {
      const luminance = (color) => {
        const [r, g, b] = color.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number).map((v) => {
          const c = v / 255;
          return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      const background = (node) => {
        for (let n = node; n; n = n.parentElement) {
          const color = getComputedStyle(n).backgroundColor;
          if (!color.startsWith("rgba(0, 0, 0, 0)")) return color;
        }
        return "rgb(255, 255, 255)";
      };
      const ratio = (node) => {
        const [a, b] = [luminance(getComputedStyle(node).color), luminance(background(node))].sort((x, y) => y - x);
        return (a + 0.05) / (b + 0.05);
      };
      return Object.fromEntries(["body", "header p", ".hint", "label", "nav a", "#submit", "figcaption", "footer"]
        .map((selector) => [selector, ratio(document.querySelector(selector))]));
    });
    const low = Object.entries(ratios).filter(([, value]) => value < 4.5);
    assert(low.length === 0, `low contrast: ${JSON.stringify(low)}`);
    return `lowest ${Math.min(...Object.values(ratios)).toFixed(1)}:1`;
  });

  await check("no console error, CSP violation, exception, failed request or other origin on desktop", async () => {
    assert(desktop.problems.length === 0, desktop.problems.join("; "));
  });
  await page.screenshot({ path: `${outDir}/home-desktop.png`, fullPage: true });
  await desktop.context.close();

  const phone = await open(browser, { width: 390, height: 844 });
  await check("on a phone (390 px wide): no sideways scrolling, the form works, the chart fits", async () => {
    await submit(phone.page, house);
    const widths = await phone.page.evaluate(() => ({
      page: document.documentElement.scrollWidth, viewport: window.innerWidth,
      chart: document.querySelector("#chart svg").getBoundingClientRect().width,
    }));
    assert(widths.page <= widths.viewport, `page ${widths.page} px in a ${widths.viewport} px viewport`);
    assert(widths.chart <= widths.viewport, `chart ${widths.chart} px`);
    assert(Number(await phone.page.$eval("#prediction", (prediction) => prediction.dataset.value)) === shownPrice, "a different price on the phone");
  });
  await check("no console error, CSP violation, exception, failed request or other origin on the phone", async () => {
    assert(phone.problems.length === 0, phone.problems.join("; "));
  });
  await phone.page.screenshot({ path: `${outDir}/home-phone.png`, fullPage: true });
  await phone.context.close();
} finally {
  await browser.close();
}
summary("browser");
