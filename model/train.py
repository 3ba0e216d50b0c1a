#!/usr/bin/python3
"""Train appraise's house-price model and export it as appraise-gbr/1 JSON.

Run with Debian's Python (it carries python3-sklearn and the Boston housing CSV):

    /usr/bin/python3 model/train.py [--out DIR]

Writes model/housing-gbr.json (the model; the format is described in model/README.md) and
model/parity.csv (inputs with scikit-learn's own predictions, read by the C# parity test).
Everything is seeded, so a rerun produces the same trees; only `trained_at` follows the
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

HERE = pathlib.Path(__file__).resolve().parent
DATASET = pathlib.Path(sklearn.datasets.__file__).parent / "data" / "boston_house_prices.csv"


def load_dataset():
    with DATASET.open() as f:
        next(f)  # first line holds the row and column counts
        rows = list(csv.DictReader(f))
    x = np.array([[float(r[name]) for name in FEATURES] for r in rows])
    y = np.array([float(r[TARGET]) for r in rows])
    return x, y


def export_tree(estimator):
    tree = estimator.tree_
    return {
        "feature": [int(f) if left != -1 else -1 for f, left in zip(tree.feature, tree.children_left)],
        "threshold": [float(t) if left != -1 else 0.0 for t, left in zip(tree.threshold, tree.children_left)],
        "left": [int(c) for c in tree.children_left],
        "right": [int(c) for c in tree.children_right],
        "value": [float(v) for v in tree.value[:, 0, 0]],
    }


def synthetic_inputs(rng):
    columns = []
    for name in FEATURES:
        low, high = RANGES[name]
        if name == "CHAS":
            columns.append(rng.integers(0, 2, SYNTHETIC_ROWS).astype(float))
        else:
            columns.append(rng.uniform(low, high, SYNTHETIC_ROWS))
    return np.column_stack(columns)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=pathlib.Path, default=HERE, help="directory for housing-gbr.json and parity.csv")
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)

    x, y = load_dataset()
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.2, random_state=SEED)
    model = GradientBoostingRegressor(**PARAMS).fit(x_train, y_train)
    holdout = model.predict(x_test)

    trees = [export_tree(stage[0]) for stage in model.estimators_]
    init_value = float(model.init_.constant_.reshape(-1)[0])
    core = {"features": FEATURES, "init_value": init_value, "learning_rate": PARAMS["learning_rate"], "trees": trees}
    digest = hashlib.sha256(json.dumps(core, sort_keys=True).encode()).hexdigest()[:12]

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    now = datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc) if epoch else datetime.datetime.now(datetime.timezone.utc)
    document = {
        "format": "appraise-gbr/1",
        "model_version": f"housing-gbr-{digest}",
        "trained_at": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "sklearn_version": sklearn.__version__,
        "target": TARGET,
        "target_unit": "USD 1000s",
        "features": FEATURES,
        "feature_ranges": {name: list(bounds) for name, bounds in RANGES.items()},
        "params": PARAMS,
        "metrics": {
            "train_rows": int(len(y_train)),
            "holdout_rows": int(len(y_test)),
            "holdout_r2": float(r2_score(y_test, holdout)),
            "holdout_rmse": float(mean_squared_error(y_test, holdout) ** 0.5),
        },
        # scikit-learn's impurity-based importances (mean decrease in squared error), summing to 1.
        "feature_importances": {name: float(v) for name, v in zip(FEATURES, model.feature_importances_)},
        "init_value": init_value,
        "learning_rate": PARAMS["learning_rate"],
        "trees": trees,
    }
    (out / "housing-gbr.json").write_text(json.dumps(document, separators=(",", ":")) + "\n")

    parity_inputs = np.vstack([x, synthetic_inputs(np.random.default_rng(SEED))])
    predictions = model.predict(parity_inputs)
    with (out / "parity.csv").open("w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(FEATURES + ["prediction"])
        for row, prediction in zip(parity_inputs, predictions):
            writer.writerow([repr(float(v)) for v in row] + [repr(float(prediction))])

    print(f"{document['model_version']}: holdout R2 {document['metrics']['holdout_r2']:.4f}, "
          f"RMSE {document['metrics']['holdout_rmse']:.4f}, {len(trees)} trees, {len(parity_inputs)} parity rows")


if __name__ == "__main__":
    main()
