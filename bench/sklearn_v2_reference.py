"""The peer users would pick: the house-price model served the way KServe's sklearnserver
answers the Open Inference Protocol (kserve v0.20.0, python/sklearnserver: the request's tensor
as a numpy array, the estimator's predict, one output "output-0"), on FastAPI + uvicorn, one
process, Debian's packages. The estimator is model/train.py's, refitted here (seeded: the same
trees model/housing/1/model.onnx holds). Run by bench/run.sh.

    /usr/bin/python3 bench/sklearn_v2_reference.py PORT
"""
import pathlib
import sys

import numpy
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "model"))
import train  # noqa: E402  (model/train.py)

DTYPES = {"FP32": numpy.float32, "FP64": numpy.float64, "INT32": numpy.int32, "INT64": numpy.int64}
model, _, _ = train.train()
app = FastAPI()


@app.post("/v2/models/housing/infer")
async def infer(request: Request):
    body = await request.json()
    tensor = body["inputs"][0]
    rows = numpy.asarray(tensor["data"], dtype=DTYPES[tensor["datatype"]]).reshape(tensor["shape"])
    predictions = model.predict(rows)
    answer = {"model_name": "housing", "outputs": [
        {"name": "output-0", "shape": list(predictions.shape), "datatype": "FP64", "data": predictions.tolist()}]}
    if "id" in body:
        answer["id"] = body["id"]
    return JSONResponse(answer)


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", access_log=False)
