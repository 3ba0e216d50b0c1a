"""The Python baseline appraise replaces: seed 000's hello endpoint on FastAPI, served by one
uvicorn process as its Dockerfile does. Only the endpoint the comparison needs; run by bench/run.sh.

    /usr/bin/python3 bench/fastapi_reference.py PORT
"""
import sys

import uvicorn
from fastapi import FastAPI

app = FastAPI()


@app.get("/api/v1/hello/")
def hello():
    return {"message": "Hello World"}


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", access_log=False)
