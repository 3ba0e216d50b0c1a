#!/usr/bin/python3
"""Train appraise's house-price model and export it as ONNX with its model-settings.json.

Run with Debian's Python (it carries python3-sklearn, python3-onnx and the Boston housing CSV):

    /usr/bin/python3 model/train.py [--out DIR]

Writes, under DIR (default: model/):

- housing/1/model.onnx: the GradientBoostingRegressor, converted by convert.py in double
  precision, so that a double evaluator reproduces scikit-learn's predictions bit for bit;
  its metadata_props entry `appraise.settings` carries the settings below (without sha256);
- housing/1/model-settings.json: description, target, features, training, importances and
  the file's sha256 (docs/models.md);
- parity.csv: inputs with scikit-learn's own predictions, read by the C# parity test.

Everything is seeded, so a rerun produces the same bytes; only `trained_at` follows the
clock, unless SOURCE_DATE_EPOCH is set.
"""

import argparse
import csv
import datetime
import hashlib
import json
import os
import pathlib

import numpy as np
import sklearn
import sklearn.datasets
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import mean_squared_error, r2_score
from sklearn.model_selection import train_test_split

import convert

FEATURES = ["CHAS", "RM", "TAX", "PTRATIO", "B", "LSTAT"]
TARGET = "MEDV"
SEED = 42
PARAMS = {
    "loss": "squared_error",  # keeps internal node values consistent with leaves (attribution)
    "n_estimators": 300,
    "max_depth": 3,
    "learning_rate": 0.05,
    "subsample": 0.8,
    "random_state": SEED,
}
# Plausible ranges the service accepts; synthetic parity rows are drawn from them too.
RANGES = {
    "CHAS": (0, 1),
    "RM": (1.0, 20.0),
    "TAX": (0.0, 2000.0),
    "PTRATIO": (1.0, 100.0),
    "B": (0.0, 400.0),
    "LSTAT": (0.0, 100.0),
}
SYNTHETIC_ROWS = 300
DESCRIPTION = "Median house value of Boston census tracts"
TARGET_INFO = {"name": TARGET, "description": "Median value of owner-occupied homes", "unit": "USD 1000s"}
# name -> (description, unit, typical); typical values are the first dataset row.
FEATURE_INFO = {
    "CHAS": ("Charles River dummy: 1 if the tract bounds the river, else 0", "0 or 1", 0),
    "RM": ("Average number of rooms per dwelling", "rooms", 6.575),
    "TAX": ("Full-value property-tax rate", "$ per $10,000", 296),
    "PTRATIO": ("Pupil-teacher ratio by town", "pupils per teacher", 15.3),
    "B": ("1000(Bk - 0.63)², Bk the proportion of Black residents by town", "index", 396.9),
    "LSTAT": ("Lower-status share of the population", "%", 4.98),
}
BINARY = {"CHAS"}
MODEL_DIR = pathlib.Path("housing") / "1"

HERE = pathlib.Path(__file__).resolve().parent
DATASET = pathlib.Path(sklearn.datasets.__file__).parent / "data" / "boston_house_prices.csv"


def load_dataset():
    with DATASET.open() as f:
        next(f)  # first line holds the row and column counts
        rows = list(csv.DictReader(f))
    x = np.array([[float(r[name]) for name in FEATURES] for r in rows])
    y = np.array([float(r[TARGET]) for r in rows])
    return x, y


def synthetic_inputs(rng):
    columns = []
    for name in FEATURES:
        low, high = RANGES[name]
        if name == "CHAS":
            columns.append(rng.integers(0, 2, SYNTHETIC_ROWS).astype(float))
        else:
            columns.append(rng.uniform(low, high, SYNTHETIC_ROWS))
    return np.column_stack(columns)


def train():
    """Fit the model on the 80% split; returns (model, all x, metrics)."""
    x, y = load_dataset()
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.2, random_state=SEED)
    model = GradientBoostingRegressor(**PARAMS).fit(x_train, y_train)
    holdout = model.predict(x_test)
    metrics = {
        "train_rows": int(len(y_train)),
        "holdout_rows": int(len(y_test)),
        "holdout_r2": float(r2_score(y_test, holdout)),
        "holdout_rmse": float(mean_squared_error(y_test, holdout) ** 0.5),
    }
    return model, x, metrics


def trained_at():
    """SOURCE_DATE_EPOCH when set (reproducible builds), else now; UTC, ISO 8601."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    now = datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc) if epoch else datetime.datetime.now(datetime.timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%SZ")


def feature_settings(name):
    description, unit, typical = FEATURE_INFO[name]
    low, high = RANGES[name]
    entry = {"name": name, "description": description, "unit": unit, "minimum": low, "maximum": high, "typical": typical}
    if name in BINARY:
        entry["binary"] = True
    return entry


def settings(model, metrics, when):
    """model-settings.json without its sha256 (docs/models.md)."""
    return {
        "description": DESCRIPTION,
        "target": TARGET_INFO,
        "features": [feature_settings(name) for name in FEATURES],
        "training": {
            "trained_at": when,
            "library": f"scikit-learn {sklearn.__version__}",
            "estimator": type(model).__name__,
            "metrics": metrics,
        },
        # scikit-learn's impurity-based importances (mean decrease in squared error), summing to 1.
        "importances": {name: float(v) for name, v in zip(FEATURES, model.feature_importances_)},
    }


def export(model, document, directory):
    """Write model.onnx (settings embedded) and model-settings.json (with the file's sha256)."""
    directory.mkdir(parents=True, exist_ok=True)
    onnx_bytes = convert.to_onnx(model, len(FEATURES), precision="double", settings=document).SerializeToString()
    (directory / "model.onnx").write_bytes(onnx_bytes)
    described = dict(document, sha256=hashlib.sha256(onnx_bytes).hexdigest())
    text = json.dumps(described, indent=2, ensure_ascii=False) + "\n"
    (directory / "model-settings.json").write_text(text, encoding="utf-8")
    return described["sha256"]


def write_parity(model, x, path):
    """The dataset rows and synthetic rows with scikit-learn's own predictions."""
    parity_inputs = np.vstack([x, synthetic_inputs(np.random.default_rng(SEED))])
    predictions = model.predict(parity_inputs)
    with path.open("w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(FEATURES + ["prediction"])
        for row, prediction in zip(parity_inputs, predictions):
            writer.writerow([repr(float(v)) for v in row] + [repr(float(prediction))])
    return len(parity_inputs)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=pathlib.Path, default=HERE, help="directory for housing/1/ and parity.csv")
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)

    model, x, metrics = train()
    digest = export(model, settings(model, metrics, trained_at()), out / MODEL_DIR)
    rows = write_parity(model, x, out / "parity.csv")
    print(f"housing/1 sha256 {digest[:12]}: holdout R2 {metrics['holdout_r2']:.4f}, "
          f"RMSE {metrics['holdout_rmse']:.4f}, {len(model.estimators_)} trees, {rows} parity rows")


if __name__ == "__main__":
    main()
