#!/usr/bin/python3
"""A large model for the memory check: a random forest of deep trees on the housing model's six
features (synthetic rows, seeded), converted by model/convert.py, with the housing model's
settings so it validates the same rows. Writes OUT/model.onnx and OUT/model-settings.json.

    /usr/bin/python3 tests/oip/big_model.py OUT
"""
import json
import pathlib
import sys

import numpy as np
from sklearn.ensemble import RandomForestRegressor

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "model"))
import convert  # noqa: E402  (model/convert.py)

out = pathlib.Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
settings = json.loads((ROOT / "model/housing/1/model-settings.json").read_text())
settings.pop("sha256", None)
settings["description"] = "A large random forest for the memory check (synthetic data)"
rng = np.random.default_rng(20261204)
low = np.array([f["minimum"] for f in settings["features"]], dtype=float)
high = np.array([f["maximum"] for f in settings["features"]], dtype=float)
x = low + rng.random((20_000, len(low))) * (high - low)
x[:, 0] = np.round(x[:, 0])  # CHAS is 0 or 1
y = x @ rng.random(len(low)) + rng.normal(0, 1, len(x))
forest = RandomForestRegressor(n_estimators=40, random_state=7, n_jobs=2).fit(x, y)
model = convert.to_onnx(forest, len(low), "float", settings)
convert.save(model, out / "model.onnx")
(out / "model-settings.json").write_text(json.dumps(settings, indent=2) + "\n")
print(f"{out}/model.onnx: {sum(e.tree_.node_count for e in forest.estimators_)} nodes, {(out / 'model.onnx').stat().st_size} bytes")
