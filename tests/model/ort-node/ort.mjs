// Runs ONNX Runtime over the models tests/model/parity_models.py wrote and compares with
// scikit-learn:
//
//   node tests/model/ort-node/ort.mjs OUT
//
// For every OUT/<model>/1/model.onnx it feeds OUT/<model>/rows.f64 (as float32 for float
// models, float64 for double ones) to a session with one intra-op thread, so that the trees are
// summed in order, writes each output next to the rows (ort-node.<output>.f32, raw little-endian
// float32, or ort-node.<output>.json for labels) and prints the largest differences from
// scikit-learn's own outputs. It exits 1 when a float output is further than the tolerance from
// scikit-learn, or a label differs where scikit-learn's top two probabilities are not a near tie.
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import ort from 'onnxruntime-node';

// float models: float32 inputs, thresholds, sums; double models: double sums, float32 output.
const TOLERANCE = { float: 1e-5, double: 1e-6 };
const NEAR_TIE = 1e-5; // top-two probability gap under which a label may legitimately flip

const out = process.argv[2];
if (!out) {
  console.error('usage: node ort.mjs OUT');
  process.exit(2);
}

function readF64(path) {
  const bytes = readFileSync(path);
  return new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
}

// Largest |ort - sklearn|, largest |ort - sklearn| / max(|sklearn|, 1), and how many values
// are exactly scikit-learn's rounded to float32, over the values scikit-learn computed (NaN
// marks the rows it refused).
function compareFloats(ortValues, sklearnValues) {
  let maxAbs = 0;
  let maxRel = 0;
  let compared = 0;
  let exact = 0;
  for (let i = 0; i < sklearnValues.length; i++) {
    const want = sklearnValues[i];
    if (Number.isNaN(want)) continue;
    const diff = Math.abs(ortValues[i] - want);
    compared++;
    if (ortValues[i] === Math.fround(want)) exact++;
    maxAbs = Math.max(maxAbs, diff);
    maxRel = Math.max(maxRel, diff / Math.max(Math.abs(want), 1));
  }
  return { compared, exact, maxAbs, maxRel };
}

// Label agreement; a disagreement is a "tie" when scikit-learn's two largest probabilities
// are within NEAR_TIE of each other.
function compareLabels(ortLabels, sklearnLabels, proba, classes) {
  let agree = 0;
  let ties = 0;
  const other = [];
  for (let i = 0; i < sklearnLabels.length; i++) {
    if (sklearnLabels[i] === null) continue;
    if (ortLabels[i] === sklearnLabels[i]) {
      agree++;
      continue;
    }
    const row = Array.from(proba.subarray(i * classes, (i + 1) * classes)).sort((a, b) => b - a);
    if (row[0] - row[1] < NEAR_TIE) ties++;
    else other.push(i);
  }
  return { agree, ties, other };
}

function toJsonLabels(tensor) {
  return Array.from(tensor.data, (v) => (typeof v === 'bigint' ? Number(v) : v));
}

async function check(name) {
  const directory = join(out, name);
  const description = JSON.parse(readFileSync(join(directory, 'rows.json'), 'utf8'));
  const { rows, features, precision } = description;
  const raw = readF64(join(directory, 'rows.f64'));
  const input = precision === 'float'
    ? new ort.Tensor('float32', Float32Array.from(raw), [rows, features])
    : new ort.Tensor('float64', Float64Array.from(raw), [rows, features]);
  const session = await ort.InferenceSession.create(join(directory, '1', 'model.onnx'), {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
  });
  const results = await session.run({ [session.inputNames[0]]: input });
  await session.release();

  const lines = [];
  let ok = true;
  const probaOutput = description.outputs.find((o) => o.name === 'probabilities');
  for (const output of description.outputs) {
    const tensor = results[output.name];
    if (output.type === 'label') {
      const labels = toJsonLabels(tensor);
      writeFileSync(join(directory, `ort-node.${output.name}.json`), JSON.stringify(labels) + '\n');
      const sklearnLabels = JSON.parse(readFileSync(join(directory, output.sklearn), 'utf8'));
      const proba = readF64(join(directory, probaOutput.sklearn));
      const { agree, ties, other } = compareLabels(labels, sklearnLabels, proba, probaOutput.shape[1]);
      const compared = sklearnLabels.filter((l) => l !== null).length;
      lines.push(`${output.name}: ${agree}/${compared} agree, ${ties} near-tie flips, ${other.length} other`
        + (other.length ? ` (rows ${other.slice(0, 10).join(', ')})` : ''));
      ok &&= other.length === 0;
    } else {
      const values = tensor.data;
      writeFileSync(join(directory, `ort-node.${output.name}.f32`),
        Buffer.from(values.buffer, values.byteOffset, values.byteLength));
      const { compared, exact, maxAbs, maxRel } = compareFloats(values, readF64(join(directory, output.sklearn)));
      lines.push(`${output.name}: ${compared} values, max |diff| ${maxAbs.toExponential(3)}, `
        + `max |diff|/max(|sklearn|,1) ${maxRel.toExponential(3)}, ${exact} equal float32(sklearn)`);
      ok &&= maxRel <= TOLERANCE[precision];
    }
  }
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name} (${precision}, ${rows} rows): ${lines.join('; ')}`);
  return ok;
}

const models = readdirSync(out, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(out, entry.name, '1', 'model.onnx')))
  .map((entry) => entry.name)
  .sort();
if (models.length === 0) {
  console.error(`no OUT/<model>/1/model.onnx under ${out}`);
  process.exit(2);
}
let failed = 0;
for (const name of models) {
  if (!(await check(name))) failed++;
}
console.log(`onnxruntime-node ${ort.env.versions?.common ?? ''}: ${models.length - failed} of ${models.length} models within tolerance`);
process.exit(failed ? 1 : 0);
