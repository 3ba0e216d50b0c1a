// The Open Inference Protocol over REST, as a client sees it: every answer validated against the
// JSON Schemas in schemas.json (written from the spec), tensors checked against their shapes, a
// binary tensor data request built byte by byte, every error in the protocol's shape, and the
// model repository extension's unload and load observed on readiness and inference.
//
//   node tests/oip/rest.mjs BASE API_KEY ADMIN_KEY
// Prints "ok    ..." or "FAIL  ..." per check and ends with "rest: N passed, N failed".
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import { check, summary } from './checks.mjs';

const [base, apiKey, adminKey] = process.argv.slice(2);
const here = path.dirname(fileURLToPath(import.meta.url));
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, strictRequired: false });
ajv.addSchema(JSON.parse(fs.readFileSync(path.join(here, 'schemas.json'), 'utf8')), 'oip');
const valid = (definition, value) => {
  const validate = ajv.getSchema(`oip#/$defs/${definition}`);
  return validate(value) ? null : `${definition}: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(value).slice(0, 400)}`;
};

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const get = async (route) => { const r = await fetch(`${base}${route}`); return { status: r.status, json: await r.json() }; };
async function post(route, body, { key = apiKey, headers = {} } = {}) {
  const r = await fetch(`${base}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}), ...headers },
    body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
  });
  const bytes = Buffer.from(await r.arrayBuffer());
  let json = null;
  try { json = JSON.parse(bytes.toString('utf8')); } catch { /* a binary answer: the caller splits it */ }
  return { status: r.status, headers: r.headers, bytes, json };
}
const product = (shape) => shape.reduce((a, b) => a * b, 1);
const flat = (data) => data.flat(Infinity);
// Every JSON output holds as many values as its shape says.
const shapesHold = (answer) => answer.outputs.every((o) => !o.data || flat(o.data).length === product(o.shape))
  ? null : `data and shape disagree in ${JSON.stringify(answer)}`;

const housing = [[0, 6.575, 296, 15.3, 396.9, 4.98], [1, 6.2, 300, 17, 390, 12.5], [0, 5.9, 666, 20.2, 380, 20]];
const names = ['CHAS', 'RM', 'TAX', 'PTRATIO', 'B', 'LSTAT'];
const infer = (body, model = 'housing') => post(`/v2/models/${model}/infer`, body);

await check('GET /v2: metadata_server_response, with binary_tensor_data and model_repository', async () => {
  const { status, json } = await get('/v2');
  return status !== 200 ? `status ${status}` : valid('metadata_server_response', json)
    ?? (same(json.extensions, ['binary_tensor_data', 'model_repository']) ? null : `extensions ${json.extensions}`);
});
await check('GET /v2/health/live and /v2/health/ready: 200, {"live": true} and {"ready": true}', async () => {
  const live = await get('/v2/health/live');
  const ready = await get('/v2/health/ready');
  return valid('live_server_response', live.json) ?? valid('ready_server_response', ready.json)
    ?? (live.status === 200 && ready.status === 200 && live.json.live && ready.json.ready ? null : JSON.stringify([live, ready]));
});
for (const model of ['housing', 'wine-rf', 'cancer-gbc']) {
  await check(`GET /v2/models/${model} and /versions/1: metadata_model_response, the same answer`, async () => {
    const a = await get(`/v2/models/${model}`);
    const b = await get(`/v2/models/${model}/versions/1`);
    return a.status !== 200 ? `status ${a.status}` : valid('metadata_model_response', a.json) ?? (same(a.json, b.json) ? null : 'versions differ');
  });
  await check(`GET /v2/models/${model}/ready and /versions/1/ready: ready_model_response, ready`, async () => {
    const a = await get(`/v2/models/${model}/ready`);
    const b = await get(`/v2/models/${model}/versions/1/ready`);
    return valid('ready_model_response', a.json) ?? (a.status === 200 && b.status === 200 && a.json.ready && b.json.ready && a.json.name === model ? null : JSON.stringify([a, b]));
  });
}

let nested;
await check('infer housing, [3, 6] FP64 nested: inference_response, id echoed, model_version 1, shape [3, 1]', async () => {
  const r = await infer({ id: 'req-7', parameters: { priority: 1, note: 'kept' }, inputs: [{ name: 'X', shape: [3, 6], datatype: 'FP64', data: housing }] });
  nested = r.json;
  return r.status !== 200 ? `status ${r.status} ${JSON.stringify(r.json)}` : valid('inference_response', r.json) ?? shapesHold(r.json)
    ?? (r.json.id === 'req-7' && r.json.model_version === '1' && same(r.json.outputs[0].shape, [3, 1]) ? null : JSON.stringify(r.json));
});
await check('infer housing, the same rows flat: the same answer', async () => {
  const r = await infer({ id: 'req-7', inputs: [{ name: 'X', shape: [3, 6], datatype: 'FP64', data: housing.flat() }] });
  return same(r.json, nested) ? null : `${JSON.stringify(r.json)} vs ${JSON.stringify(nested)}`;
});
await check('infer housing as MLServer pd: one [3] tensor per feature (any order, mixed datatypes), the same values', async () => {
  const inputs = names.map((name, c) => ({ name, shape: [3], datatype: c === 0 ? 'INT64' : 'FP64', data: housing.map((row) => row[c]) })).reverse();
  const r = await infer({ parameters: { content_type: 'pd' }, inputs });
  return r.status === 200 && same(r.json.outputs[0].data, nested.outputs[0].data) ? null : JSON.stringify(r.json);
});
await check('infer housing as pd with [3, 1] columns (MLServer\'s own encoder): the same values', async () => {
  const inputs = names.map((name, c) => ({ name, shape: [3, 1], datatype: 'FP64', data: housing.map((row) => [row[c]]) }));
  const r = await infer({ parameters: { content_type: 'pd' }, inputs });
  return r.status === 200 && same(r.json.outputs[0].data, nested.outputs[0].data) ? null : JSON.stringify(r.json);
});
await check('infer housing, a missing value (null) is routed by the trees, not refused', async () => {
  const r = await infer({ inputs: [{ name: 'X', shape: [1, 6], datatype: 'FP64', data: [0, 6.5, null, 15.3, 396.9, 4.98] }] });
  return r.status === 200 && typeof r.json.outputs[0].data[0] === 'number' ? null : JSON.stringify(r.json);
});

await check('binary tensor data, built byte by byte: FP32 input after the JSON, binary output back, the JSON answer\'s values', async () => {
  const values = new Float32Array(housing.flat());
  const tensor = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => tensor.writeFloatLE(v, i * 4));
  const header = Buffer.from(JSON.stringify({
    inputs: [{ name: 'X', shape: [3, 6], datatype: 'FP32', parameters: { binary_data_size: tensor.length } }],
    outputs: [{ name: 'variable', parameters: { binary_data: true } }],
  }));
  const r = await post('/v2/models/housing/infer', Buffer.concat([header, tensor]), {
    headers: { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(header.length) },
  });
  const jsonLength = Number(r.headers.get('inference-header-content-length'));
  const json = JSON.parse(r.bytes.subarray(0, jsonLength).toString('utf8'));
  const size = json.outputs[0].parameters?.binary_data_size;
  const data = r.bytes.subarray(jsonLength);
  const got = [0, 1, 2].map((i) => data.readFloatLE(i * 4));
  const asJson = await infer({ inputs: [{ name: 'X', shape: [3, 6], datatype: 'FP32', data: housing }] });
  return r.status !== 200 ? `status ${r.status} ${r.bytes}` : valid('inference_response', json)
    ?? (r.headers.get('content-type') === 'application/octet-stream' && size === 12 && data.length === 12 && !json.outputs[0].data
      && same(got, asJson.json.outputs[0].data.flat().map(Math.fround)) ? null : `${got} vs ${JSON.stringify(asJson.json)}`);
});
await check('binary_data_output: every output binary, BYTES labels as 4-byte length + UTF-8', async () => {
  const card = (await get('/api/v1/model?model=wine-rf')).json;
  const row = card.features.map((f) => f.typical);
  const r = await infer({ parameters: { binary_data_output: true }, inputs: [{ name: 'X', shape: [1, 13], datatype: 'FP32', data: row }] }, 'wine-rf');
  const asJson = await infer({ inputs: [{ name: 'X', shape: [1, 13], datatype: 'FP32', data: row }] }, 'wine-rf');
  const jsonLength = Number(r.headers.get('inference-header-content-length'));
  const json = JSON.parse(r.bytes.subarray(0, jsonLength).toString('utf8'));
  const data = r.bytes.subarray(jsonLength);
  const labelLength = data.readUInt32LE(0);
  const label = data.subarray(4, 4 + labelLength).toString('utf8');
  const probabilities = [0, 1, 2].map((i) => data.readFloatLE(4 + labelLength + i * 4));
  const expected = asJson.json.outputs;
  return valid('inference_response', json) ?? (json.outputs.every((o) => o.parameters.binary_data_size > 0) && label === expected[0].data[0]
    && same(probabilities, expected[1].data.map(Math.fround)) ? null : `${label} ${probabilities} vs ${JSON.stringify(expected)}`);
});
await check('outputs selects one output of a classifier (probabilities only)', async () => {
  const card = (await get('/api/v1/model?model=cancer-gbc')).json;
  const row = card.features.map((f) => f.typical);
  const r = await infer({ inputs: [{ name: 'X', shape: [1, 30], datatype: 'FP32', data: row }], outputs: [{ name: 'probabilities' }] }, 'cancer-gbc');
  return valid('inference_response', r.json) ?? (r.json.outputs.length === 1 && r.json.outputs[0].name === 'probabilities' && same(r.json.outputs[0].shape, [1, 2]) ? null : JSON.stringify(r.json));
});

// Errors: the status and {"error": ...} with a reason.
const errors = [
  ['a shape that disagrees with the data', 400, /6 values, but its data holds 5/, { inputs: [{ name: 'X', shape: [1, 6], datatype: 'FP64', data: [1, 2, 3, 4, 5] }] }],
  ['a negative shape', 400, /none negative/, { inputs: [{ name: 'X', shape: [-1, 6], datatype: 'FP64', data: [1, 2, 3, 4, 5, 6] }] }],
  ['a shape whose size overflows', 400, /more than the/, { inputs: [{ name: 'X', shape: [4611686018427387904, 4], datatype: 'FP64', data: [1] }] }],
  ['10^7 declared rows', 400, /10000000/, { inputs: [{ name: 'X', shape: [10000000, 6], datatype: 'FP64', data: [1, 2, 3, 4, 5, 6] }] }],
  ['a wrong datatype', 400, /BYTES/, { inputs: [{ name: 'X', shape: [1, 6], datatype: 'BYTES', data: ['a', 'b', 'c', 'd', 'e', 'f'] }] }],
  ['a value outside the model\'s range', 400, /CHAS/, { inputs: [{ name: 'X', shape: [1, 6], datatype: 'FP64', data: [7, 6, 300, 15, 390, 5] }] }],
  ['an input the model does not have', 400, /not a feature/, { parameters: { content_type: 'pd' }, inputs: [{ name: 'ZN', shape: [1], datatype: 'FP64', data: [1] }] }],
  ['an output the model does not have', 400, /no output/, { inputs: [{ name: 'X', shape: [1, 6], datatype: 'FP64', data: housing[0] }], outputs: [{ name: 'nope' }] }],
  ['no inputs', 400, /inputs/, { inputs: [] }],
  ['a body that is not JSON', 400, /JSON/, '{"inputs": ['],
];
for (const [what, status, reason, body] of errors) {
  await check(`infer with ${what}: ${status} {"error"} naming the reason`, async () => {
    const r = await infer(body);
    return valid('error_response', r.json) ?? (r.status === status && reason.test(r.json.error) ? null : `${r.status} ${JSON.stringify(r.json)}`);
  });
}
await check('infer without an API key: 401 {"error"}', async () => {
  const r = await post('/v2/models/housing/infer', { inputs: [] }, { key: null });
  return valid('error_response', r.json) ?? (r.status === 401 ? null : `${r.status}`);
});
await check('an unknown model: 404 {"error"} on metadata, ready and infer', async () => {
  const answers = [await get('/v2/models/nope'), await get('/v2/models/nope/ready'), await infer({ inputs: [{ name: 'X', shape: [1, 1], datatype: 'FP64', data: [1] }] }, 'nope')];
  return answers.map((a) => valid('error_response', a.json)).find((p) => p) ?? (answers.every((a) => a.status === 404) ? null : JSON.stringify(answers));
});
await check('an unknown version: 404 {"error"}', async () => {
  const a = await get('/v2/models/housing/versions/9');
  const b = await post('/v2/models/housing/versions/abc/infer', { inputs: [{ name: 'X', shape: [1, 6], datatype: 'FP64', data: housing[0] }] });
  return valid('error_response', a.json) ?? valid('error_response', b.json) ?? (a.status === 404 && b.status === 404 ? null : `${a.status} ${b.status}`);
});
await check('a body over Inference:MaxBodyBytes (16 MiB): 413 {"error"} before the body is sent', async () => {
  // The headers alone: the answer comes from Content-Length, and nothing is uploaded.
  const r = await new Promise((resolve, reject) => {
    const request = http.request(`${base}/v2/models/housing/infer`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': apiKey, 'content-length': 17 * 1024 * 1024 },
    }, (response) => {
      let text = '';
      response.on('data', (chunk) => { text += chunk; });
      response.on('end', () => resolve({ status: response.statusCode, json: JSON.parse(text) }));
    });
    request.on('error', reject);
    request.flushHeaders();
  });
  return valid('error_response', r.json) ?? (r.status === 413 && /16777216 bytes/.test(r.json.error) ? null : `${r.status} ${JSON.stringify(r.json)}`);
});

// The repository extension: admin key only; unload and load seen on readiness, inference and the index.
const admin = (route, body = '') => post(route, body, { key: adminKey });
await check('repository index: 401 {"error"} with the API key, the index with the admin key', async () => {
  const refused = await post('/v2/repository/index', '', { key: apiKey });
  const index = await admin('/v2/repository/index');
  return valid('error_response', refused.json) ?? valid('repository_index_response', index.json)
    ?? (refused.status === 401 && index.status === 200 && same(index.json.map((e) => [e.name, e.version, e.state]), [['cancer-gbc', '1', 'READY'], ['hot', '1', 'READY'], ['housing', '1', 'READY'], ['wine-rf', '1', 'READY']])
      ? null : `${refused.status} ${JSON.stringify(index.json)}`);
});
await check('unload wine-rf: 200; then its ready is 503, its infer 503, the index UNAVAILABLE, {"ready": true} leaves it out', async () => {
  const unload = await admin('/v2/repository/models/wine-rf/unload');
  const ready = await get('/v2/models/wine-rf/ready');
  const inferred = await infer({ inputs: [{ name: 'X', shape: [1, 13], datatype: 'FP32', data: new Array(13).fill(1) }] }, 'wine-rf');
  const index = await admin('/v2/repository/index');
  const readyOnly = await admin('/v2/repository/index', '{"ready": true}');
  const state = index.json.find((e) => e.name === 'wine-rf');
  return valid('error_response', ready.json) ?? valid('error_response', inferred.json)
    ?? (unload.status === 200 && ready.status === 503 && inferred.status === 503 && state.state === 'UNAVAILABLE'
      && !readyOnly.json.some((e) => e.name === 'wine-rf') ? null : JSON.stringify([unload.status, ready, inferred, state]));
});
await check('load wine-rf: 200 once it serves; ready and infer answer again', async () => {
  const load = await admin('/v2/repository/models/wine-rf/load');
  const ready = await get('/v2/models/wine-rf/ready');
  const card = (await get('/api/v1/model?model=wine-rf')).json;
  const inferred = await infer({ inputs: [{ name: 'X', shape: [1, 13], datatype: 'FP32', data: card.features.map((f) => f.typical) }] }, 'wine-rf');
  return load.status === 200 && ready.status === 200 && inferred.status === 200 ? null : JSON.stringify([load.status, ready, inferred.status]);
});
await check('load of a model the repository does not have: 404 {"error"}; unload of the default model: 400 {"error"}', async () => {
  const missing = await admin('/v2/repository/models/nope/load');
  const defaultModel = await admin('/v2/repository/models/housing/unload');
  return valid('error_response', missing.json) ?? valid('error_response', defaultModel.json)
    ?? (missing.status === 404 && defaultModel.status === 400 ? null : `${missing.status} ${defaultModel.status}`);
});

summary('rest');
