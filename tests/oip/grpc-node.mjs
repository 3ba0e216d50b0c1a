// Every rpc of inference.GRPCInferenceService, called by @grpc/grpc-js with the spec's own .proto
// loaded by @grpc/proto-loader (kserve/open-inference-protocol d49cc23, vendored in
// src/Appraise.Api/OpenInference/Protos), plus the standard health service (grpc-health-check's
// client and health.proto) and server reflection (grpc-js-reflection-client). Each answer is
// compared with what the REST routes answer for the same request.
//
//   node tests/oip/grpc-node.mjs HTTP_BASE GRPC_ADDRESS API_KEY
// Prints "ok    ..." or "FAIL  ..." per check and ends with "grpc-node: N passed, N failed".
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';
import health from 'grpc-health-check';
import { GrpcReflection } from 'grpc-js-reflection-client';
import { check, summary } from './checks.mjs';

const [base, address, apiKey] = process.argv.slice(2);
const here = path.dirname(fileURLToPath(import.meta.url));
const protoPath = path.join(here, '../../src/Appraise.Api/OpenInference/Protos/open_inference_grpc.proto');
const definition = protoLoader.loadSync(protoPath, { keepCase: true, longs: Number, defaults: true });
const { inference } = grpc.loadPackageDefinition(definition);
const client = new inference.GRPCInferenceService(address, grpc.credentials.createInsecure());
const withKey = () => { const m = new grpc.Metadata(); m.set('x-api-key', apiKey); return m; };
const call = (method, request, metadata = new grpc.Metadata()) =>
  new Promise((resolve, reject) => client[method](request, metadata, (error, answer) => (error ? reject(error) : resolve(answer))));
const rejection = async (promise) => { try { await promise; return null; } catch (e) { return e; } };

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
// JSON carries an FP32 value as its shortest decimal; as a float it is the value gRPC carries.
const floats = (values) => values.map(Math.fround);
async function rest(route, body) {
  const response = await fetch(`${base}${route}`, body === undefined ? {} : {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': apiKey }, body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}
const restRows = (model, features, rows, datatype = 'FP32') => rest(`/v2/models/${model}/infer`, {
  inputs: [{ name: 'X', shape: [rows.length, features], datatype, data: rows }],
});
const typical = async (model) => (await rest(`/api/v1/model?model=${model}`)).json;

await check('ServerLive: live', async () => { const a = await call('ServerLive', {}); return a.live === true ? null : JSON.stringify(a); });
await check('ServerReady: ready', async () => { const a = await call('ServerReady', {}); return a.ready === true ? null : JSON.stringify(a); });
await check('ServerMetadata: the name, version and extensions /v2 answers', async () => {
  const a = await call('ServerMetadata', {});
  const r = (await rest('/v2')).json;
  return same([a.name, a.version, a.extensions], [r.name, r.version, r.extensions]) && a.extensions.includes('binary_tensor_data')
    ? null : `${JSON.stringify(a)} vs ${JSON.stringify(r)}`;
});
for (const model of ['housing', 'wine-rf', 'cancer-gbc']) {
  await check(`ModelMetadata ${model}: the tensors /v2/models/${model} answers`, async () => {
    const a = await call('ModelMetadata', { name: model, version: '' });
    const r = (await rest(`/v2/models/${model}`)).json;
    const tensors = (list) => list.map((t) => [t.name, t.datatype, t.shape.map(Number)]);
    return same([a.name, a.versions, a.platform, tensors(a.inputs), tensors(a.outputs)], [r.name, r.versions, r.platform, tensors(r.inputs), tensors(r.outputs)])
      ? null : `${JSON.stringify(a)} vs ${JSON.stringify(r)}`;
  });
}
await check('ModelReady: housing version 1 ready', async () => { const a = await call('ModelReady', { name: 'housing', version: '1' }); return a.ready ? null : 'not ready'; });
await check('ModelReady: an unknown model is NOT_FOUND', async () => {
  const e = await rejection(call('ModelReady', { name: 'no-such-model', version: '' }));
  return e?.code === grpc.status.NOT_FOUND ? null : `got ${e?.code} ${e?.details}`;
});
await check('ModelMetadata: an unknown version is NOT_FOUND', async () => {
  const e = await rejection(call('ModelMetadata', { name: 'housing', version: '99' }));
  return e?.code === grpc.status.NOT_FOUND ? null : `got ${e?.code} ${e?.details}`;
});

// housing: FP64 [2, 6] typed contents; the answer equals REST's and the seed endpoint's value cast to float.
const housingRows = [[0, 6.575, 296, 15.3, 396.9, 4.98], [1, 6.2, 300, 17, 390, 12.5]];
await check('ModelInfer housing: fp64_contents, id echoed, the same values as REST /v2 and /api/v1/prediction', async () => {
  const a = await call('ModelInfer', {
    model_name: 'housing', id: 'grpc-1',
    inputs: [{ name: 'X', datatype: 'FP64', shape: [2, 6], contents: { fp64_contents: housingRows.flat() } }],
  }, withKey());
  const r = (await restRows('housing', 6, housingRows, 'FP64')).json;
  const seed = await fetch(`${base}/api/v1/prediction/`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    body: JSON.stringify({ event_id: 1, payload: { CHAS: 0, RM: 6.575, TAX: 296, PTRATIO: 15.3, B: 396.9, LSTAT: 4.98 } }),
  }).then((x) => x.json());
  const values = a.outputs[0].contents.fp32_contents;
  return a.id === 'grpc-1' && a.model_name === 'housing' && a.model_version === '1' && same(values, floats(r.outputs[0].data))
    && same(a.outputs[0].shape.map(Number), [2, 1]) && values[0] === Math.fround(seed.predicted_value)
    ? null : `${JSON.stringify(a)} vs ${JSON.stringify(r)} and ${seed.predicted_value}`;
});
await check('ModelInfer housing: raw_input_contents are answered with raw_output_contents, same values', async () => {
  const raw = Buffer.alloc(2 * 6 * 8);
  housingRows.flat().forEach((v, i) => raw.writeDoubleLE(v, i * 8));
  const a = await call('ModelInfer', {
    model_name: 'housing', inputs: [{ name: 'X', datatype: 'FP64', shape: [2, 6] }], raw_input_contents: [raw],
  }, withKey());
  const out = a.raw_output_contents[0];
  const values = [out.readFloatLE(0), out.readFloatLE(4)];
  const r = (await restRows('housing', 6, housingRows, 'FP64')).json;
  return out.length === 8 && !a.outputs[0].contents && same(values, floats(r.outputs[0].data)) ? null : `${values} vs ${r.outputs[0].data}`;
});
await check('ModelInfer without x-api-key is UNAUTHENTICATED', async () => {
  const e = await rejection(call('ModelInfer', { model_name: 'housing', inputs: [{ name: 'X', datatype: 'FP64', shape: [1, 6], contents: { fp64_contents: housingRows[0] } }] }));
  return e?.code === grpc.status.UNAUTHENTICATED ? null : `got ${e?.code} ${e?.details}`;
});
await check('ModelInfer with contents that disagree with the shape is INVALID_ARGUMENT with the reason', async () => {
  const e = await rejection(call('ModelInfer', { model_name: 'housing', inputs: [{ name: 'X', datatype: 'FP64', shape: [2, 6], contents: { fp64_contents: housingRows[0] } }] }, withKey()));
  return e?.code === grpc.status.INVALID_ARGUMENT && /12 values/.test(e.details) ? null : `got ${e?.code} ${e?.details}`;
});
await check('ModelInfer on an unknown version is NOT_FOUND', async () => {
  const e = await rejection(call('ModelInfer', { model_name: 'housing', model_version: '42', inputs: [{ name: 'X', datatype: 'FP64', shape: [1, 6], contents: { fp64_contents: housingRows[0] } }] }, withKey()));
  return e?.code === grpc.status.NOT_FOUND ? null : `got ${e?.code} ${e?.details}`;
});

// Classifiers: labels (string and int64) and probabilities, as REST answers them.
for (const [model, features] of [['wine-rf', 13], ['cancer-gbc', 30]]) {
  await check(`ModelInfer ${model}: label and probabilities, as REST answers them`, async () => {
    const card = await typical(model);
    const row = card.features.map((f) => f.typical);
    const a = await call('ModelInfer', {
      model_name: model, inputs: [{ name: 'X', datatype: 'FP32', shape: [1, features], contents: { fp32_contents: row } }],
    }, withKey());
    const r = (await restRows(model, features, [row])).json;
    const label = a.outputs.find((o) => o.name === 'label');
    const probabilities = a.outputs.find((o) => o.name === 'probabilities').contents.fp32_contents;
    const labelValue = label.datatype === 'BYTES' ? label.contents.bytes_contents.map((b) => b.toString('utf8')) : label.contents.int64_contents;
    const restLabel = r.outputs.find((o) => o.name === 'label').data;
    const sum = probabilities.reduce((s, p) => s + p, 0);
    return same(labelValue, restLabel) && same(probabilities, floats(r.outputs.find((o) => o.name === 'probabilities').data)) && Math.abs(sum - 1) < 1e-5
      ? null : `${JSON.stringify(a.outputs)} vs ${JSON.stringify(r.outputs)}`;
  });
}

await check('grpc.health.v1 Check: the server and inference.GRPCInferenceService are SERVING', async () => {
  const Health = grpc.makeClientConstructor(health.service, 'grpc.health.v1.Health');
  const h = new Health(address, grpc.credentials.createInsecure());
  const ask = (service) => new Promise((resolve, reject) => h.check({ service }, (e, a) => (e ? reject(e) : resolve(a.status))));
  const statuses = [await ask(''), await ask('inference.GRPCInferenceService')];
  return same(statuses, ['SERVING', 'SERVING']) ? null : JSON.stringify(statuses);
});
await check('server reflection lists inference.GRPCInferenceService and describes ModelInfer', async () => {
  const reflection = new GrpcReflection(address, grpc.credentials.createInsecure());
  const services = await reflection.listServices();
  const methods = await reflection.listMethods('inference.GRPCInferenceService');
  const names = methods.map((m) => m.name);
  return services.includes('inference.GRPCInferenceService') && names.includes('ModelInfer') && names.length === 6
    ? null : `${services} / ${names}`;
});

summary('grpc-node');
