#!/usr/bin/python3
"""Every rpc of inference.GRPCInferenceService, called by Debian's python3-grpcio.

The messages come from the spec's own .proto (kserve/open-inference-protocol d49cc23, vendored
in src/Appraise.Api/OpenInference/Protos), compiled by Debian's protoc into a descriptor set and
turned into classes by python3-protobuf: no generated code, nothing of appraise's.

    /usr/bin/python3 tests/oip/grpc_python.py GRPC_ADDRESS API_KEY DESCRIPTOR_SET

Prints "ok    ..." or "FAIL  ..." per check and ends with "grpc-python: N passed, N failed".
"""

import struct
import sys

import grpc
from google.protobuf import descriptor_pb2, message_factory

address, api_key, descriptor_set = sys.argv[1:4]
files = descriptor_pb2.FileDescriptorSet.FromString(open(descriptor_set, "rb").read()).file
messages = message_factory.GetMessages(files)
channel = grpc.insecure_channel(address)
SERVICE = "inference.GRPCInferenceService"


def rpc(method, request_type, response_type, request, key=None):
    call = channel.unary_unary(f"/{SERVICE}/{method}",
                               request_serializer=lambda m: m.SerializeToString(),
                               response_deserializer=messages[f"inference.{response_type}"].FromString)
    message = messages[f"inference.{request_type}"](**request)
    return call(message, metadata=[("x-api-key", key)] if key else None, timeout=30)


passed = failed = 0


def check(name, body):
    global passed, failed
    try:
        problem = body()
    except grpc.RpcError as e:
        problem = f"{e.code()}: {e.details()}"
    except Exception as e:  # noqa: BLE001 (any failure of a check is reported, not raised)
        problem = repr(e)
    if problem:
        failed += 1
        print(f"FAIL  {name}: {problem}")
    else:
        passed += 1
        print(f"ok    {name}")


def status_of(call):
    try:
        call()
    except grpc.RpcError as e:
        return e.code()
    return grpc.StatusCode.OK


ROWS = [[0, 6.575, 296, 15.3, 396.9, 4.98], [1, 6.2, 300, 17, 390, 12.5]]


def infer_typed(key=api_key, **extra):
    tensor = {"name": "X", "datatype": "FP64", "shape": [2, 6], "contents": {"fp64_contents": [v for row in ROWS for v in row]}}
    return rpc("ModelInfer", "ModelInferRequest", "ModelInferResponse",
               {"model_name": "housing", "inputs": [tensor], **extra}, key)


check("ServerLive: live", lambda: None if rpc("ServerLive", "ServerLiveRequest", "ServerLiveResponse", {}).live else "not live")
check("ServerReady: ready", lambda: None if rpc("ServerReady", "ServerReadyRequest", "ServerReadyResponse", {}).ready else "not ready")


def server_metadata():
    answer = rpc("ServerMetadata", "ServerMetadataRequest", "ServerMetadataResponse", {})
    return None if answer.name == "appraise" and "binary_tensor_data" in answer.extensions else str(answer)


check("ServerMetadata: appraise, binary_tensor_data", server_metadata)


def model_metadata():
    answer = rpc("ModelMetadata", "ModelMetadataRequest", "ModelMetadataResponse", {"name": "housing"})
    tensor = answer.inputs[0]
    return None if (answer.platform == "onnx_onnxv1" and list(answer.versions) == ["1"]
                    and tensor.datatype == "FP64" and list(tensor.shape) == [-1, 6]) else str(answer)


check("ModelMetadata housing: FP64 [-1, 6] input, version 1", model_metadata)
check("ModelReady housing: ready",
      lambda: None if rpc("ModelReady", "ModelReadyRequest", "ModelReadyResponse", {"name": "housing"}).ready else "not ready")
check("ModelReady of an unknown model: NOT_FOUND", lambda: None if status_of(
    lambda: rpc("ModelReady", "ModelReadyRequest", "ModelReadyResponse", {"name": "nope"})) == grpc.StatusCode.NOT_FOUND else "not NOT_FOUND")


def typed_and_raw_agree():
    typed = infer_typed(id="py-1")
    values = list(typed.outputs[0].contents.fp32_contents)
    raw_tensor = {"name": "X", "datatype": "FP64", "shape": [2, 6]}
    raw = rpc("ModelInfer", "ModelInferRequest", "ModelInferResponse", {
        "model_name": "housing", "model_version": "1", "inputs": [raw_tensor],
        "raw_input_contents": [struct.pack("<12d", *(v for row in ROWS for v in row))]}, api_key)
    raw_values = list(struct.unpack("<2f", raw.raw_output_contents[0]))
    if typed.id != "py-1" or typed.model_version != "1" or len(values) != 2:
        return str(typed)
    return None if raw_values == values else f"{raw_values} vs {values}"


check("ModelInfer housing: typed fp64_contents and raw_input_contents give the same FP32 values", typed_and_raw_agree)
check("ModelInfer without x-api-key: UNAUTHENTICATED",
      lambda: None if status_of(lambda: infer_typed(key=None)) == grpc.StatusCode.UNAUTHENTICATED else "not UNAUTHENTICATED")


def bad_datatype():
    tensor = {"name": "X", "datatype": "BYTES", "shape": [1, 6], "contents": {"bytes_contents": [b"x"]}}
    return None if status_of(lambda: rpc("ModelInfer", "ModelInferRequest", "ModelInferResponse",
                                         {"model_name": "housing", "inputs": [tensor]}, api_key)) == grpc.StatusCode.INVALID_ARGUMENT else "accepted"


check("ModelInfer with a BYTES feature tensor: INVALID_ARGUMENT", bad_datatype)

print(f"grpc-python: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
