// The gRPC port of a running appraise (the container image's, trimmed and ReadyToRun) as a client
// sees it: health, reflection, and one ModelInfer on the default housing model with the key.
//   node tests/oip/grpc-smoke.mjs ADDRESS API_KEY
// Prints "ok    ..." or "FAIL  ..." per check and ends with "grpc-smoke: N passed, N failed".
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';
import health from 'grpc-health-check';
import { GrpcReflection } from 'grpc-js-reflection-client';
import { check, summary } from './checks.mjs';

const [address, apiKey] = process.argv.slice(2);
const here = path.dirname(fileURLToPath(import.meta.url));
const definition = protoLoader.loadSync(path.join(here, '../../src/Appraise.Api/OpenInference/Protos/open_inference_grpc.proto'),
  { keepCase: true, longs: Number, defaults: true });
const { inference } = grpc.loadPackageDefinition(definition);
const client = new inference.GRPCInferenceService(address, grpc.credentials.createInsecure());

await check('grpc.health.v1 Check "": SERVING', async () => {
  const Health = grpc.makeClientConstructor(health.service, 'grpc.health.v1.Health');
  const status = await new Promise((resolve, reject) => new Health(address, grpc.credentials.createInsecure())
    .check({ service: '' }, (e, a) => (e ? reject(e) : resolve(a.status))));
  return status === 'SERVING' ? null : status;
});
await check('reflection lists the inference, health and reflection services', async () => {
  const services = await new GrpcReflection(address, grpc.credentials.createInsecure()).listServices();
  return ['inference.GRPCInferenceService', 'grpc.health.v1.Health'].every((s) => services.includes(s)) ? null : `${services}`;
});
await check('ModelInfer housing with x-api-key: one FP32 prediction, version 1', async () => {
  const metadata = new grpc.Metadata();
  metadata.set('x-api-key', apiKey);
  const answer = await new Promise((resolve, reject) => client.ModelInfer({
    model_name: 'housing', inputs: [{ name: 'X', datatype: 'FP64', shape: [1, 6], contents: { fp64_contents: [0, 6.575, 296, 15.3, 396.9, 4.98] } }],
  }, metadata, (e, a) => (e ? reject(e) : resolve(a))));
  const values = answer.outputs[0].contents.fp32_contents;
  return answer.model_version === '1' && values.length === 1 && values[0] > 0 ? null : JSON.stringify(answer);
});
summary('grpc-smoke');
