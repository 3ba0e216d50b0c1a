#!/usr/bin/python3
"""Train small tree ensembles, convert them with model/convert.py and write adversarial inputs.

The converter is checked against ONNX Runtime (tests/model/ort-node/ort.mjs), and the C#
evaluator can be checked against both, on files this script writes under OUT:

    OUT/<model>/1/model.onnx, OUT/<model>/1/model-settings.json   a model repository
    OUT/<model>/rows.f64          [rows, F] little-endian float64, row-major
    OUT/<model>/rows.json         shapes, outputs, which rows scikit-learn evaluated
    OUT/<model>/sklearn.*         scikit-learn's own outputs on the rows

Models are trained with Debian's scikit-learn on data sets it ships (no download), seeded, so
every run writes the same bytes. Rows are built to hit every split: for every split node, and
for each of its thresholds (scikit-learn's own and the one the file holds) the value itself and
its float32 and float64 neighbours, a row that reaches the node (the other features of the row
are chosen inside the node's path box) with that feature set to the value; rows with NaN at
every split of the missing-value models and a few in the others; the rest are data rows.

scikit-learn is run on the rows as the model receives them: rounded to float32 for the float
models (ONNX Runtime and appraise cast float64 requests to the input type), as they are for the
double models. scikit-learn 1.2's GradientBoosting and RandomForest refuse NaN; those rows get
NaN (null labels) in the sklearn files and are listed in rows.json.

    /usr/bin/python3 tests/model/parity_models.py --out DIR
"""

import argparse
import csv
import dataclasses
import hashlib
import json
import pathlib
import sys

import numpy as np
import sklearn
import sklearn.datasets
from sklearn import ensemble
from sklearn.model_selection import train_test_split

MODEL_DIR = pathlib.Path(__file__).resolve().parents[2] / "model"
sys.path.insert(0, str(MODEL_DIR))
import convert  # noqa: E402  (model/convert.py)
import train  # noqa: E402  (model/train.py: the housing model)

ROWS = 10_000
SEED = 20261122
TRAINED_AT = "2026-11-22T00:00:00Z"
NAN_SHARE = 0.10  # of the entries of the missing-value data sets
NAN_ROWS_OTHERS = 2  # per feature, for models that were trained without NaN
PACK_WINDOW = 64  # open rows a probe may join


# --- data sets -------------------------------------------------------------------------------


def boston():
    """The Boston CSV as train.py reads it, all 13 feature columns."""
    with train.DATASET.open() as f:
        next(f)
        rows = list(csv.DictReader(f))
    names = [name for name in rows[0] if name != train.TARGET]
    x = np.array([[float(r[name]) for name in names] for r in rows])
    return x, np.array([float(r[train.TARGET]) for r in rows]), names


def bundled(loader, string_labels=False):
    data = loader()
    y = data.target_names[data.target] if string_labels else data.target
    return data.data, y, [str(n) for n in data.feature_names]


def with_missing(x, seed):
    """A copy of x with NAN_SHARE of its entries replaced by NaN (seeded)."""
    x = x.copy()
    x[np.random.default_rng(seed).random(x.shape) < NAN_SHARE] = np.nan
    return x


def diabetes():
    return bundled(sklearn.datasets.load_diabetes)


def diabetes_missing():
    x, y, names = diabetes()
    return with_missing(x, SEED), y, names


def cancer():
    return bundled(sklearn.datasets.load_breast_cancer)


def cancer_missing():
    x, y, names = cancer()
    return with_missing(x, SEED + 1), y, names


def wine():
    return bundled(sklearn.datasets.load_wine, string_labels=True)


def housing():
    """train.py's six columns (the housing model itself comes from train.train())."""
    x, y = train.load_dataset()
    return x, y, train.FEATURES


# --- the models ------------------------------------------------------------------------------


@dataclasses.dataclass
class Spec:
    name: str
    description: str
    target: str
    data: object  # () -> (x, y, feature names)
    estimator: object  # () -> unfitted estimator, or None: train.py's housing model
    precision: str = "float"


def hgb_regressor():
    return ensemble.HistGradientBoostingRegressor(max_iter=80, max_depth=5, max_leaf_nodes=15,
                                                  learning_rate=0.1, random_state=SEED)


def specs():
    return [
        Spec("diabetes-gbr", "Diabetes progression, gradient boosting", "progression", diabetes,
             lambda: ensemble.GradientBoostingRegressor(n_estimators=100, max_depth=3, learning_rate=0.1,
                                                        subsample=0.8, random_state=SEED)),
        Spec("housing-rf", "Boston median house value, random forest", "MEDV", boston,
             lambda: ensemble.RandomForestRegressor(n_estimators=50, max_depth=6, min_samples_leaf=3,
                                                    random_state=SEED)),
        Spec("cancer-gbc", "Breast cancer (binary), gradient boosting", "diagnosis", cancer,
             lambda: ensemble.GradientBoostingClassifier(n_estimators=60, max_depth=3, learning_rate=0.1,
                                                         subsample=0.8, random_state=SEED)),
        Spec("wine-rf", "Wine cultivar (3 classes, string labels), random forest", "cultivar", wine,
             lambda: ensemble.RandomForestClassifier(n_estimators=50, max_depth=5, random_state=SEED)),
        Spec("diabetes-hgb-nan", "Diabetes progression with 10% missing, histogram boosting",
             "progression", diabetes_missing, hgb_regressor),
        Spec("diabetes-hgb-nan-double", "The same histogram boosting model in double precision",
             "progression", diabetes_missing, hgb_regressor, "double"),
        Spec("cancer-hgb-nan", "Breast cancer (binary) with 10% missing, histogram boosting",
             "diagnosis", cancer_missing,
             lambda: ensemble.HistGradientBoostingClassifier(max_iter=60, max_depth=4, max_leaf_nodes=12,
                                                             random_state=SEED)),
        Spec("housing-gbr-double", "model/train.py's housing model, as it ships (double)", "MEDV",
             housing, None, "double"),
    ]


def fit(spec):
    """(fitted estimator, x, feature names, settings without sha256)."""
    x, y, names = spec.data()
    if spec.estimator is None:
        model, x, metrics = train.train()
        return model, x, names, train.settings(model, metrics, TRAINED_AT)
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.2, random_state=SEED)
    model = spec.estimator().fit(x_train, y_train)
    metric = "holdout_accuracy" if hasattr(model, "classes_") else "holdout_r2"
    settings = {
        "description": spec.description,
        "target": {"name": spec.target},
        "features": [{"name": name} for name in names],
        "training": {
            "trained_at": TRAINED_AT,
            "library": f"scikit-learn {sklearn.__version__}",
            "estimator": type(model).__name__,
            "metrics": {"train_rows": len(y_train), "holdout_rows": len(y_test),
                        metric: float(model.score(x_test, y_test))},
        },
    }
    return model, x, names, settings


# --- boundary probes -------------------------------------------------------------------------


@dataclasses.dataclass
class Probe:
    """Feature `feature` = `value` in a row inside the box that leads to (tree, node)."""

    tree: int
    node: int
    feature: int
    value: float
    low: np.ndarray  # per feature, bounds of the path (inclusive)
    high: np.ndarray
    nan_ok: np.ndarray  # per feature: NaN follows the path at every split on it
    as_float32: bool  # the model compares float32(x): bounds are float32 values


def split_bounds(threshold, as_float32):
    """(highest value going left, lowest going right) as the model compares."""
    if as_float32:  # float32(x) <= t exactly when float32(x) <= the float32 below t
        below = float(convert.float_threshold(threshold))
        return below, next32(below, np.inf)
    return float(threshold), float(np.nextafter(threshold, np.inf))


def next32(v, direction):
    return float(np.nextafter(np.float32(v), np.float32(direction)))


def boundary_values(threshold, written):
    """The thresholds, their float64 neighbours, and the float32 values around them."""
    values = set()
    for t in (float(threshold), float(written)):
        values.update({t, float(np.nextafter(t, -np.inf)), float(np.nextafter(t, np.inf))})
        below = float(convert.float_threshold(t))  # the float32 values on each side of t
        above = next32(below, np.inf)
        values.update({below, above, next32(below, -np.inf), next32(above, np.inf)})
    return sorted(v for v in values if np.isfinite(v))


def tree_probes(tree_id, tree, written, features, nan_probes, as_float32):
    """Depth-first over one tree, carrying the path box; one probe per split and value."""
    probes = []
    stack = [(0, np.full(features, -np.inf), np.full(features, np.inf), np.ones(features, bool))]
    missing = tree.missing_left if tree.missing_left is not None else np.zeros(len(tree.leaf), bool)
    while stack:
        node, low, high, nan_ok = stack.pop()
        if tree.leaf[node]:
            continue
        j, t = tree.feature[node], tree.threshold[node]
        values = boundary_values(t, written[node]) + ([np.nan] if nan_probes else [])
        for v in values:
            if reaches(v, low[j], high[j], nan_ok[j], as_float32):
                probes.append(Probe(tree_id, node, j, v, low, high, nan_ok, as_float32))
        last_left, first_right = split_bounds(t, as_float32)
        left_high, right_low = high.copy(), low.copy()
        left_high[j] = min(high[j], last_left)
        right_low[j] = max(low[j], first_right)
        left_nan, right_nan = nan_ok.copy(), nan_ok.copy()
        left_nan[j] &= bool(missing[node])
        right_nan[j] &= not missing[node]
        stack.append((tree.right[node], right_low, high, right_nan))
        stack.append((tree.left[node], low, left_high, left_nan))
    return probes


def reaches(value, low, high, nan_ok, as_float32):
    """Whether a feature value stays inside a path's bounds (NaN: follows its missing branches)."""
    if np.isnan(value):
        return bool(nan_ok)
    compared = float(np.float32(value)) if as_float32 else value
    return low <= compared <= high


class Row:
    """A row under construction: fixed features and the intersection of its probes' boxes."""

    def __init__(self, probe):
        self.fixed = {probe.feature: probe.value}
        self.low, self.high, self.nan_ok = probe.low.copy(), probe.high.copy(), probe.nan_ok.copy()
        self.probes = [probe]

    def accepts(self, probe):
        if probe.feature in self.fixed:
            return False
        if not reaches(probe.value, self.low[probe.feature], self.high[probe.feature], self.nan_ok[probe.feature],
                       probe.as_float32):
            return False
        if any(not reaches(v, probe.low[k], probe.high[k], probe.nan_ok[k], probe.as_float32)
               for k, v in self.fixed.items()):
            return False
        return bool(np.all(np.maximum(self.low, probe.low) <= np.minimum(self.high, probe.high)))

    def add(self, probe):
        self.fixed[probe.feature] = probe.value
        self.low = np.maximum(self.low, probe.low)
        self.high = np.minimum(self.high, probe.high)
        self.nan_ok &= probe.nan_ok
        self.probes.append(probe)

    def values(self, filler):
        """The row: fixed features as probed, the others float32(filler) clipped into the box."""
        row = np.clip(filler.astype(np.float32).astype(np.float64), self.low, self.high)
        for k, v in self.fixed.items():
            row[k] = v
        return row


def pack(probes):
    """Greedy first fit of the probes into rows, looking back PACK_WINDOW rows."""
    rows = []
    for probe in probes:
        for row in rows[-PACK_WINDOW:]:
            if row.accepts(probe):
                row.add(probe)
                break
        else:
            rows.append(Row(probe))
    return rows


# --- evaluation helpers ----------------------------------------------------------------------


def model_view(rows, precision):
    """The rows as the model receives them: float32-rounded for float models."""
    return rows.astype(np.float32).astype(np.float64) if precision == "float" else rows


def path_reaches(tree, written, row, node, precision):
    """Walks the tree as ONNX Runtime would and says whether `node` is on the row's path."""
    x = row.astype(np.float32) if precision == "float" else row
    current = 0
    while current != node and not tree.leaf[current]:
        v = x[tree.feature[current]]
        if np.isnan(v):
            left = tree.missing_left is not None and tree.missing_left[current]
        else:
            left = v <= written[current]
        current = tree.left[current] if left else tree.right[current]
    return current == node


def accepts_nan(model):
    return isinstance(model, (ensemble.HistGradientBoostingRegressor, ensemble.HistGradientBoostingClassifier))


def sklearn_outputs(model, x):
    """{file name: array or list}; rows with NaN are skipped where scikit-learn refuses them."""
    usable = np.ones(len(x), bool) if accepts_nan(model) else ~np.isnan(x).any(axis=1)
    outputs = {}
    if hasattr(model, "classes_"):
        proba = np.full((len(x), len(model.classes_)), np.nan)
        proba[usable] = model.predict_proba(x[usable])
        labels = [None] * len(x)
        for i, label in zip(np.flatnonzero(usable), model.predict(x[usable])):
            labels[i] = label.item()
        outputs["sklearn.predict_proba.f64"] = proba
        outputs["sklearn.label.json"] = labels
    else:
        predictions = np.full((len(x), getattr(model, "n_outputs_", 1)), np.nan)
        predictions[usable] = model.predict(x[usable]).reshape(int(usable.sum()), -1)
        outputs["sklearn.predict.f64"] = predictions
    return outputs, np.flatnonzero(~usable)


def onnx_outputs(model, rows):
    """rows.json's description of the graph outputs and the scikit-learn file to compare with."""
    if hasattr(model, "classes_"):
        return [{"name": "label", "type": "label", "sklearn": "sklearn.label.json"},
                {"name": "probabilities", "type": "float32", "shape": [rows, len(model.classes_)],
                 "sklearn": "sklearn.predict_proba.f64"}]
    return [{"name": "variable", "type": "float32", "shape": [rows, getattr(model, "n_outputs_", 1)],
             "sklearn": "sklearn.predict.f64"}]


# --- one model -------------------------------------------------------------------------------


def build_rows(spec, model, x, rng):
    """(rows [ROWS, F], probe statistics)."""
    features = x.shape[1]
    ensemble_ = convert.describe(model)
    nan_everywhere = accepts_nan(model)
    written = [convert.written_thresholds(tree, spec.precision, ensemble_.float32_inputs).astype(np.float64)
               for tree in ensemble_.trees]
    # float models and scikit-learn's float32-casting trees compare float32(x); double HGB compares x
    as_float32 = spec.precision == "float" or ensemble_.float32_inputs
    probes = [p for tree_id, tree in enumerate(ensemble_.trees)
              for p in tree_probes(tree_id, tree, written[tree_id], features, nan_everywhere, as_float32)]
    packed = pack(probes)
    clean = x[~np.isnan(x).any(axis=1)]
    probe_rows = [row.values(clean[rng.integers(len(clean))]) for row in packed]
    nan_rows = []
    if not nan_everywhere:  # a few NaN rows: ONNX Runtime sends NaN to the false branch
        for j in range(features):
            for _ in range(NAN_ROWS_OTHERS):
                row = clean[rng.integers(len(clean))].copy()
                row[j] = np.nan
                nan_rows.append(row)
    fill = ROWS - len(probe_rows) - len(nan_rows)
    if fill < 0:
        raise SystemExit(f"{spec.name}: {len(probe_rows) + len(nan_rows)} rows needed, more than {ROWS}")
    data_rows = x[rng.integers(len(x), size=fill)]
    rows = np.vstack([np.array(probe_rows), np.array(nan_rows).reshape(-1, features), data_rows])
    reached = sum(path_reaches(ensemble_.trees[p.tree], written[p.tree], rows[i], p.node, spec.precision)
                  for i, row in enumerate(packed) for p in row.probes)
    stats = {"probes": len(probes), "reached": int(reached), "probe_rows": len(probe_rows),
             "nan_rows": len(nan_rows), "data_rows": fill,
             "splits": int(sum((~t.leaf).sum() for t in ensemble_.trees))}
    return rows, stats


def write_model(spec, model, names, settings, directory):
    """OUT/<model>/1/model.onnx and model-settings.json (with the file's sha256)."""
    version = directory / "1"
    version.mkdir(parents=True, exist_ok=True)
    onnx_bytes = convert.to_onnx(model, len(names), spec.precision, settings).SerializeToString()
    (version / "model.onnx").write_bytes(onnx_bytes)
    described = dict(settings, sha256=hashlib.sha256(onnx_bytes).hexdigest())
    (version / "model-settings.json").write_text(json.dumps(described, indent=2, ensure_ascii=False) + "\n",
                                                 encoding="utf-8")
    return len(onnx_bytes)


def write_f64(path, array):
    path.write_bytes(np.ascontiguousarray(array, dtype="<f8").tobytes())


def build(spec, out):
    model, x, names, settings = fit(spec)
    directory = out / spec.name
    size = write_model(spec, model, names, settings, directory)
    rng = np.random.default_rng([SEED, len(spec.name)] + [ord(c) for c in spec.name])
    rows, stats = build_rows(spec, model, x, rng)
    write_f64(directory / "rows.f64", rows)
    outputs, skipped = sklearn_outputs(model, model_view(rows, spec.precision))
    for name, values in outputs.items():
        if name.endswith(".json"):
            (directory / name).write_text(json.dumps(values) + "\n")
        else:
            write_f64(directory / name, values)
    description = {
        "rows": len(rows), "features": len(names), "feature_names": names,
        "estimator": type(model).__name__, "precision": spec.precision,
        "model_input": "float32" if spec.precision == "float" else "float64",
        "outputs": onnx_outputs(model, len(rows)),
        "sklearn_skipped_rows": [int(i) for i in skipped],
        "sklearn_input": "the rows rounded to float32" if spec.precision == "float" else "the rows as they are",
        "construction": stats,
    }
    (directory / "rows.json").write_text(json.dumps(description, indent=1) + "\n")
    print(f"{spec.name}: {type(model).__name__} {spec.precision}, {stats['splits']} splits, "
          f"{size} bytes; {stats['reached']}/{stats['probes']} boundary probes reach their node "
          f"in {stats['probe_rows']} rows, {stats['nan_rows']} NaN rows, {stats['data_rows']} data rows; "
          f"scikit-learn skipped {len(skipped)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=pathlib.Path, required=True, help="directory to write the models into")
    parser.add_argument("--only", nargs="*", help="model names (default: all)")
    args = parser.parse_args()
    for spec in specs():
        if not args.only or spec.name in args.only:
            build(spec, args.out)


if __name__ == "__main__":
    main()
