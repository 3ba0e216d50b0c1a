// appraise home page: builds the form from the model card (GET /api/v1/model), asks
// POST /api/v1/explanation and /api/v1/explanation/chart.svg, and shows the answers. Everything
// is built with DOM calls and textContent: nothing the server or the user sends becomes markup,
// and nothing runs inline (the page's Content-Security-Policy allows only this file).
"use strict";

const element = (name, attributes = {}, text = "") => {
  const node = document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (text) node.textContent = text;
  return node;
};

const number = (value, digits = 2) => Number(value).toLocaleString("en-US", { maximumFractionDigits: digits });

async function json(response) {
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(body.title || `The service answered ${response.status}.`);
    error.problem = body;
    throw error;
  }
  return body;
}

function showProblem(error) {
  const box = document.getElementById("problem");
  box.replaceChildren(element("p", {}, error.message));
  const errors = error.problem && error.problem.errors;
  if (errors) {
    const list = element("ul");
    for (const [field, messages] of Object.entries(errors)) list.append(element("li", {}, `${field}: ${messages.join(" ")}`));
    box.append(list);
  }
  box.hidden = false;
}

function field(feature) {
  const id = `feature-${feature.name}`;
  const wrapper = element("div", { class: "field" });
  const label = element("label", { for: id });
  label.append(element("span", { class: "name" }, feature.name), document.createTextNode(feature.meaning ?? ""));
  wrapper.append(label);
  let input;
  if (feature.binary) {
    input = element("select", { id, name: feature.name, "aria-describedby": `${id}-hint` });
    input.append(element("option", { value: String(feature.minimum) }, `No (${feature.minimum})`));
    input.append(element("option", { value: String(feature.maximum) }, `Yes (${feature.maximum})`));
  } else {
    input = element("input", {
      id, name: feature.name, type: "number", inputmode: "decimal", required: "", step: "any", "aria-describedby": `${id}-hint`,
    });
    // A model without a description accepts any finite number: no bounds to show or enforce.
    if (feature.minimum !== null) input.setAttribute("min", String(feature.minimum));
    if (feature.maximum !== null) input.setAttribute("max", String(feature.maximum));
  }
  input.value = String(feature.typical);
  wrapper.append(input);
  const range = feature.minimum !== null && feature.maximum !== null ? `${number(feature.minimum)} to ${number(feature.maximum)}` : "";
  const hint = feature.binary ? feature.unit : [feature.unit, range].filter(Boolean).join(", ");
  wrapper.append(element("span", { id: `${id}-hint`, class: "hint" }, hint ?? ""));
  return wrapper;
}

// The page says what the model is from its own description: no model is named here.
function describe(card) {
  const target = card.target ? `${card.target}${card.target_unit ? ` (${card.target_unit})` : ""}` : "its prediction";
  if (card.description) {
    document.getElementById("description").textContent = `${card.description}: ${target}, with the reasons behind each prediction.`;
    document.title = `appraise: ${card.description}`;
  }
  document.getElementById("caption").textContent =
    `How each feature moves the prediction from the model's baseline${card.target_unit ? ` (in ${card.target_unit})` : ""}.`;
  if (card.target_unit) {
    const units = document.getElementById("units");
    units.textContent = `Predictions are in ${card.target_unit}, as in the data the model learned from.`;
    units.hidden = false;
  }
}

function showCard(card) {
  const list = document.getElementById("card");
  const rows = [
    ["Version", card.model_version],
    ["Trained", card.trained_at],
    ["Trees", String(card.trees)],
  ];
  if (card.metrics) {
    if (card.metrics.holdout_r2 !== undefined) rows.push(["Holdout R²", number(card.metrics.holdout_r2, 3)]);
    if (card.metrics.holdout_rmse !== undefined) rows.push(["Holdout RMSE", `${number(card.metrics.holdout_rmse, 2)}${card.target_unit ? ` (${card.target_unit})` : ""}`]);
    if (card.metrics.train_rows !== undefined) rows.push(["Rows", `${card.metrics.train_rows} to train, ${card.metrics.holdout_rows} held out`]);
  }
  list.replaceChildren(...rows.flatMap(([term, detail]) => [element("dt", {}, term), element("dd", {}, detail)]));

  const body = document.querySelector("#importances tbody");
  const features = [...card.features].sort((a, b) => (b.importance ?? 0) - (a.importance ?? 0));
  body.replaceChildren(...features.map((feature) => {
    const row = element("tr");
    const header = element("th", { scope: "row" }, feature.name);
    header.append(element("span", { class: "meaning" }, feature.meaning));
    row.append(header);
    const cell = element("td", { class: "share" });
    const bar = element("span", { class: "bar", "aria-hidden": "true" });
    bar.style.width = `${Math.round((feature.importance ?? 0) * 100)}%`;
    cell.append(bar, document.createTextNode(`${number((feature.importance ?? 0) * 100, 1)} %`));
    row.append(cell);
    return row;
  }));
}

async function estimate(event, features, unit) {
  event.preventDefault();
  const form = event.target;
  const button = document.getElementById("submit");
  document.getElementById("problem").hidden = true;
  const payload = {};
  for (const feature of features) payload[feature.name] = Number(form.elements[feature.name].value);
  const request = { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload) };
  button.disabled = true;
  try {
    // Both answers are awaited (and read) before either is shown: a refused input answers 422 to
    // both, and showing the first refusal while the chart's answer is still on its way would leave
    // that request to be cancelled by whatever the user does next.
    const [explained, charted] = await Promise.allSettled([
      fetch("/api/v1/explanation", request).then(json),
      fetch("/api/v1/explanation/chart.svg", request).then(async (response) => {
        const text = await response.text();
        return response.ok ? text : "";
      }),
    ]);
    if (explained.status === "rejected") throw explained.reason;
    const explanation = explained.value;
    const chart = charted.status === "fulfilled" ? charted.value : "";
    const prediction = document.getElementById("prediction");
    prediction.textContent = `${number(explanation.predicted_value, 2)}${unit ? ` ${unit}` : ""}`;
    prediction.dataset.value = String(explanation.predicted_value);
    const svg = new DOMParser().parseFromString(chart, "image/svg+xml").documentElement;
    const holder = document.getElementById("chart");
    holder.replaceChildren();
    if (svg && svg.nodeName === "svg") holder.append(document.importNode(svg, true));
    document.getElementById("result").hidden = false;
  } catch (error) {
    showProblem(error);
  } finally {
    button.disabled = false;
  }
}

async function start() {
  try {
    const card = await fetch("/api/v1/model").then(json);
    describe(card);
    const fields = document.getElementById("fields");
    fields.replaceChildren(...card.features.map(field));
    showCard(card);
    const form = document.getElementById("estimate");
    form.addEventListener("submit", (event) => estimate(event, card.features, card.target_unit));
    document.getElementById("submit").disabled = false;
  } catch (error) {
    showProblem(error);
  }
}

document.addEventListener("DOMContentLoaded", start);
