#!/usr/bin/python3
"""Convert fitted scikit-learn tree ensembles to ONNX, the way skl2onnx writes them.

appraise serves ONNX tree ensembles (docs/models.md). skl2onnx is not packaged for Debian, so
this module writes the same graphs with nothing but numpy and python3-onnx's `onnx.helper`:

- input "X", float or double, shape [None, F];
- one `ai.onnx.ml` TreeEnsembleRegressor (output "variable", float [N, n_targets]) or
  TreeEnsembleClassifier (outputs "label" and "probabilities"); with `zipmap=True` also
  skl2onnx's Cast/Identity -> "output_label" and ZipMap -> "output_probability";
- BRANCH_LEQ splits whose true branch is scikit-learn's left child, one tree per fitted
  estimator in scikit-learn's order, leaf weights and base values as skl2onnx computes them;
- `nodes_hitrates` holds each node's training sample count, so that a reader can derive the
  value of an internal node (the count-weighted mean of its leaves) for explanations.

Two precisions:

- "float" (skl2onnx's default): FloatTensorType input, ai.onnx.ml opset 1, FLOATS attributes.
  Every threshold is the largest float32 not above scikit-learn's float64 threshold t: for a
  float32 input x, `x <= that` exactly when `x <= t`.
- "double": DOUBLE input, ai.onnx.ml opset 3, thresholds, leaf weights and base values in the
  `*_as_tensor` DOUBLE attributes. Every scikit-learn tree except HistGradientBoosting's casts
  the input to float32 and tests `float32(x) <= t`; the threshold written is the double t' with
  `x <= t'` exactly when `float32(x) <= t`, for every double x (see `double_threshold`), so a
  double evaluator following the file reproduces scikit-learn's routing exactly.
  HistGradientBoosting compares in float64 and keeps its threshold as it is.

Usable as a module (`to_onnx`) and from the command line on a pickled/joblib estimator:

    /usr/bin/python3 model/convert.py MODEL.joblib model.onnx --precision double \
        [--features F] [--settings model-settings.json] [--zipmap]
"""

import argparse
import dataclasses
import json
import pathlib
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

PRODUCER_NAME = "appraise-convert"
PRODUCER_VERSION = "1.0"
IR_VERSION = 8  # what ONNX 1.12 writes
ONNX_OPSET = 17
ML_OPSET = {"float": 1, "double": 3}
SETTINGS_KEY = "appraise.settings"

FLOAT32_MAX = float(np.finfo(np.float32).max)
# float32(x) overflows to infinity from here on (max + half an ulp; the tie rounds to "even" 2**128).
FLOAT32_OVERFLOW = FLOAT32_MAX + 2.0**103


@dataclasses.dataclass
class Tree:
    """One tree as parallel arrays indexed by node id (node 0 is the root)."""

    feature: np.ndarray  # split feature; meaningless on leaves
    threshold: np.ndarray  # scikit-learn's own float64 threshold
    left: np.ndarray  # child ids; the left child is taken when x <= threshold
    right: np.ndarray
    leaf: np.ndarray  # bool
    samples: np.ndarray  # training samples reaching the node (weighted)
    weights: np.ndarray  # [nodes, columns] leaf weights (rows of internal nodes unused)
    columns: list  # target / class id of each weight column
    missing_left: np.ndarray = None  # HistGradientBoosting: NaN goes left (true)


@dataclasses.dataclass
class Ensemble:
    """What a fitted estimator computes, before any precision is chosen."""

    estimator: str
    trees: list
    outputs: int  # n_targets (regressor) or number of classes
    classes: np.ndarray = None  # classifier labels, scikit-learn's classes_
    base_values: np.ndarray = None
    post_transform: str = "NONE"
    float32_inputs: bool = True  # scikit-learn compares float32(x) <= t


# --- thresholds ------------------------------------------------------------------------------


def float_threshold(t):
    """The largest float32 not above each float64 threshold (as float32)."""
    t = np.asarray(t, dtype=np.float64)
    with np.errstate(over="ignore"):
        f = t.astype(np.float32)
        return np.where(f.astype(np.float64) > t, np.nextafter(f, np.float32(-np.inf)), f)


def double_threshold(t):
    """The double t' such that, for every double x, `x <= t'` exactly when `float32(x) <= t`.

    float32(x) <= t holds exactly when float32(x) <= f, f the largest float32 not above t.
    float32() rounds to nearest, ties to even, and is monotonic, so with g the float32 after f
    and m = (f + g) / 2 (exact in double: 25 significant bits) every x < m rounds to f or below,
    every x > m rounds to g or above, and x == m rounds to whichever of f and g is even: the
    answer is m when f's bit pattern is even, else the double just below m. Infinities behave
    as +-2**128 (even) there: float32(x) overflows from FLOAT32_OVERFLOW on.
    """
    t = np.asarray(t, dtype=np.float64)
    if np.isnan(t).any():
        raise ValueError("NaN threshold")
    f = float_threshold(t)
    with np.errstate(invalid="ignore", over="ignore"):
        g = np.nextafter(f, np.float32(np.inf))
        m = (f.astype(np.float64) + g.astype(np.float64)) / 2
    m = np.where(f == np.float32(FLOAT32_MAX), FLOAT32_OVERFLOW, m)  # g is +inf
    m = np.where(np.isneginf(f), -FLOAT32_OVERFLOW, m)  # g is -FLOAT32_MAX
    even = (f.view(np.uint32) & 1) == 0
    out = np.where(even | np.isneginf(f), m, np.nextafter(m, -np.inf))
    return np.where(np.isposinf(f), np.inf, out)  # t = +inf: every x is below it


# --- scikit-learn estimators -> Ensemble -----------------------------------------------------


def _sklearn_tree(tree_, weights, columns):
    """A `sklearn.tree._tree.Tree` with the given per-node weight columns."""
    leaf = tree_.children_left == -1
    return Tree(
        feature=np.where(leaf, 0, tree_.feature).astype(np.int64),
        threshold=np.where(leaf, 0.0, tree_.threshold),
        left=np.where(leaf, 0, tree_.children_left).astype(np.int64),
        right=np.where(leaf, 0, tree_.children_right).astype(np.int64),
        leaf=leaf,
        samples=np.asarray(tree_.weighted_n_node_samples, dtype=np.float64),
        weights=np.asarray(weights, dtype=np.float64).reshape(tree_.node_count, len(columns)),
        columns=list(columns),
    )


def _members(estimator):
    """The fitted trees of a forest, or the tree itself."""
    return list(estimator.estimators_) if hasattr(estimator, "estimators_") else [estimator]


def _gb_init(estimator):
    """The initial raw prediction, as skl2onnx takes it: `_raw_predict_init` of one zero row."""
    zero = np.zeros((1, estimator.n_features_in_), dtype=np.float32)
    return np.asarray(estimator._raw_predict_init(zero), dtype=np.float64).ravel()


def _forest_regressor(estimator):
    """RandomForest/ExtraTrees/DecisionTree regressor: mean of the trees, as value / n, SUM."""
    members = _members(estimator)
    outputs = estimator.n_outputs_
    scale = 1.0 / len(members) if len(members) > 1 else 1.0
    trees = []
    for member in members:
        values = member.tree_.value[:, :, 0]
        weights = values * scale if scale != 1.0 else values
        trees.append(_sklearn_tree(member.tree_, weights, range(outputs)))
    return Ensemble(type(estimator).__name__, trees, outputs)


def _forest_classifier(estimator):
    """RandomForest/ExtraTrees/DecisionTree classifier: mean of the trees' leaf frequencies."""
    if estimator.n_outputs_ != 1:
        raise ValueError("multi-output classifiers are not supported")
    members = _members(estimator)
    classes = np.asarray(estimator.classes_)
    trees = []
    for member in members:
        counts = member.tree_.value[:, 0, :]
        weights = counts / counts.sum(axis=1, keepdims=True)
        if len(members) > 1:
            weights = weights / len(members)
        if len(classes) == 2:  # one score column: p(class 1) as class id 0, as skl2onnx does
            trees.append(_sklearn_tree(member.tree_, weights[:, 1:], [0]))
        else:
            trees.append(_sklearn_tree(member.tree_, weights, range(len(classes))))
    return Ensemble(type(estimator).__name__, trees, len(classes), classes=classes)


def _gb_regressor(estimator):
    """GradientBoostingRegressor: init + learning_rate * leaf value, summed in stage order."""
    rate = estimator.learning_rate
    trees = [_sklearn_tree(stage[0].tree_, stage[0].tree_.value[:, 0, 0] * rate, [0])
             for stage in estimator.estimators_]
    return Ensemble(type(estimator).__name__, trees, 1, base_values=_gb_init(estimator))


def _gb_classifier(estimator):
    """GradientBoostingClassifier (log loss): LOGISTIC on one score, or SOFTMAX over K."""
    if estimator.loss not in ("log_loss", "deviance"):
        raise ValueError(f"GradientBoostingClassifier loss {estimator.loss!r} is not supported")
    rate = estimator.learning_rate
    classes = np.asarray(estimator.classes_)
    per_stage = estimator.estimators_.shape[1]
    trees = [_sklearn_tree(stage[k].tree_, stage[k].tree_.value[:, 0, 0] * rate, [k])
             for stage in estimator.estimators_ for k in range(per_stage)]
    return Ensemble(type(estimator).__name__, trees, len(classes), classes=classes,
                    base_values=_gb_init(estimator),
                    post_transform="LOGISTIC" if len(classes) == 2 else "SOFTMAX")


def _hgb_tree(nodes, column):
    """A HistGradientBoosting predictor's node array; leaf values already carry the shrinkage."""
    if nodes["is_categorical"].any():
        raise ValueError("categorical splits are not supported")
    leaf = nodes["is_leaf"].astype(bool)
    return Tree(
        feature=np.where(leaf, 0, nodes["feature_idx"]).astype(np.int64),
        threshold=np.where(leaf, 0.0, nodes["num_threshold"]),
        left=np.where(leaf, 0, nodes["left"]).astype(np.int64),
        right=np.where(leaf, 0, nodes["right"]).astype(np.int64),
        leaf=leaf,
        samples=nodes["count"].astype(np.float64),
        weights=nodes["value"].astype(np.float64).reshape(-1, 1),
        columns=[column],
        missing_left=~leaf & nodes["missing_go_to_left"].astype(bool),
    )


def _hgb(estimator, classifier):
    """HistGradientBoosting{Regressor,Classifier}: baseline + leaf values, float64 splits."""
    trees = [_hgb_tree(predictor.nodes, k)
             for iteration in estimator._predictors for k, predictor in enumerate(iteration)]
    base = np.asarray(estimator._baseline_prediction, dtype=np.float64).ravel()
    name = type(estimator).__name__
    if not classifier:
        if type(estimator._loss.link).__name__ != "IdentityLink":
            raise ValueError(f"HistGradientBoostingRegressor loss {estimator.loss!r} is not supported")
        return Ensemble(name, trees, 1, base_values=base, float32_inputs=False)
    classes = np.asarray(estimator.classes_)
    return Ensemble(name, trees, len(classes), classes=classes, base_values=base,
                    post_transform="LOGISTIC" if len(classes) == 2 else "SOFTMAX",
                    float32_inputs=False)


def describe(estimator):
    """The Ensemble a fitted scikit-learn estimator computes."""
    from sklearn import ensemble, tree  # imported here: the threshold helpers need numpy only

    if isinstance(estimator, ensemble.GradientBoostingRegressor):
        return _gb_regressor(estimator)
    if isinstance(estimator, ensemble.GradientBoostingClassifier):
        return _gb_classifier(estimator)
    if isinstance(estimator, ensemble.HistGradientBoostingRegressor):
        return _hgb(estimator, classifier=False)
    if isinstance(estimator, ensemble.HistGradientBoostingClassifier):
        return _hgb(estimator, classifier=True)
    if isinstance(estimator, (ensemble.RandomForestRegressor, ensemble.ExtraTreesRegressor,
                              tree.DecisionTreeRegressor)):
        return _forest_regressor(estimator)
    if isinstance(estimator, (ensemble.RandomForestClassifier, ensemble.ExtraTreesClassifier,
                              tree.DecisionTreeClassifier)):
        return _forest_classifier(estimator)
    raise TypeError(f"{type(estimator).__name__} is not a supported tree ensemble")


# --- Ensemble -> ONNX ------------------------------------------------------------------------


def written_thresholds(tree, precision, float32_inputs):
    """The thresholds as the file holds them (float32 or float64 array; 0 on leaves)."""
    if precision == "float":
        values = float_threshold(tree.threshold)
    elif float32_inputs:
        values = double_threshold(tree.threshold)
    else:
        values = tree.threshold.astype(np.float64)
    return np.where(tree.leaf, 0, values).astype(values.dtype)


def _values(name, values, precision):
    """An attribute as FLOATS (float) or as its `*_as_tensor` DOUBLE twin (double)."""
    values = np.asarray(values, dtype=np.float64)
    if precision == "float":
        return {name: [float(v) for v in values.astype(np.float32)]}
    return {f"{name}_as_tensor": numpy_helper.from_array(values, name=f"{name}_as_tensor")}


def _node_attributes(ensemble, precision):
    """The nodes_* attributes of every tree, in tree order."""
    columns = {key: [] for key in ("treeids", "nodeids", "featureids", "modes", "true", "false",
                                   "missing", "hitrates", "values")}
    for tree_id, tree in enumerate(ensemble.trees):
        count = len(tree.leaf)
        columns["treeids"].extend([tree_id] * count)
        columns["nodeids"].extend(range(count))
        columns["featureids"].extend(int(f) for f in tree.feature)
        columns["modes"].extend("LEAF" if leaf else "BRANCH_LEQ" for leaf in tree.leaf)
        columns["true"].extend(int(c) for c in tree.left)
        columns["false"].extend(int(c) for c in tree.right)
        missing = tree.missing_left if tree.missing_left is not None else np.zeros(count, bool)
        columns["missing"].extend(int(m) for m in missing)
        columns["hitrates"].extend(float(s) for s in tree.samples.astype(np.float32))
        columns["values"].append(written_thresholds(tree, precision, ensemble.float32_inputs))
    attributes = {
        "nodes_treeids": columns["treeids"],
        "nodes_nodeids": columns["nodeids"],
        "nodes_featureids": columns["featureids"],
        "nodes_modes": columns["modes"],
        "nodes_truenodeids": columns["true"],
        "nodes_falsenodeids": columns["false"],
        "nodes_hitrates": columns["hitrates"],
    }
    if any(columns["missing"]):
        attributes["nodes_missing_value_tracks_true"] = columns["missing"]
    attributes.update(_values("nodes_values", np.concatenate(columns["values"]), precision))
    return attributes


def _leaf_attributes(ensemble, prefix, precision):
    """The target_* / class_* weight tuples: every leaf, node order, one per weight column."""
    tree_ids, node_ids, ids, weights = [], [], [], []
    for tree_id, tree in enumerate(ensemble.trees):
        for node in np.flatnonzero(tree.leaf):
            for column, target in enumerate(tree.columns):
                tree_ids.append(tree_id)
                node_ids.append(int(node))
                ids.append(int(target))
                weights.append(tree.weights[node, column])
    attributes = {f"{prefix}_treeids": tree_ids, f"{prefix}_nodeids": node_ids, f"{prefix}_ids": ids}
    attributes.update(_values(f"{prefix}_weights", weights, precision))
    return attributes


def _class_labels(classes):
    """classlabels_int64s for integer labels (also integral floats), else classlabels_strings."""
    if np.issubdtype(classes.dtype, np.integer) or np.issubdtype(classes.dtype, np.bool_):
        return "classlabels_int64s", [int(c) for c in classes]
    if np.issubdtype(classes.dtype, np.floating) and np.all(classes == np.floor(classes)):
        return "classlabels_int64s", [int(c) for c in classes]
    return "classlabels_strings", [str(c) for c in classes]


def _tree_node(ensemble, precision):
    """The TreeEnsembleRegressor or TreeEnsembleClassifier node (inputs "X")."""
    attributes = _node_attributes(ensemble, precision)
    if ensemble.classes is None:
        op, outputs = "TreeEnsembleRegressor", ["variable"]
        attributes.update(_leaf_attributes(ensemble, "target", precision))
        attributes["n_targets"] = ensemble.outputs  # required: ONNX Runtime refuses 0
    else:
        op, outputs = "TreeEnsembleClassifier", ["label", "probabilities"]
        attributes.update(_leaf_attributes(ensemble, "class", precision))
        key, labels = _class_labels(ensemble.classes)
        attributes[key] = labels
    if ensemble.base_values is not None:
        attributes.update(_values("base_values", ensemble.base_values, precision))
    if ensemble.post_transform != "NONE":
        attributes["post_transform"] = ensemble.post_transform
    return helper.make_node(op, ["X"], outputs, name=op, domain="ai.onnx.ml", **attributes)


def _zipmap_nodes(ensemble):
    """skl2onnx's default classifier tail: Cast/Identity -> output_label, ZipMap -> output_probability."""
    key, labels = _class_labels(ensemble.classes)
    if key == "classlabels_int64s":
        label = helper.make_node("Cast", ["label"], ["output_label"], name="Cast", to=TensorProto.INT64)
    else:
        label = helper.make_node("Identity", ["label"], ["output_label"], name="Identity")
    zipmap = helper.make_node("ZipMap", ["probabilities"], ["output_probability"], name="ZipMap",
                              domain="ai.onnx.ml", **{key: labels})
    return [label, zipmap]


def _map_sequence_type(key_type):
    """seq(map(key_type, float)), ZipMap's output type."""
    map_type = onnx.TypeProto()
    map_type.map_type.key_type = key_type
    map_type.map_type.value_type.CopyFrom(helper.make_tensor_type_proto(TensorProto.FLOAT, []))
    return helper.make_sequence_type_proto(map_type)


def _graph_outputs(ensemble, zipmap):
    if ensemble.classes is None:
        return [helper.make_tensor_value_info("variable", TensorProto.FLOAT, [None, ensemble.outputs])]
    key, _ = _class_labels(ensemble.classes)
    label_type = TensorProto.INT64 if key == "classlabels_int64s" else TensorProto.STRING
    if not zipmap:
        return [helper.make_tensor_value_info("label", label_type, [None]),
                helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [None, ensemble.outputs])]
    return [helper.make_tensor_value_info("output_label", label_type, [None]),
            helper.make_value_info("output_probability", _map_sequence_type(label_type))]


def fold_base_values(ensemble):
    """The base values added to the first tree of each target (or class), base_values dropped.

    scikit-learn's boosting starts every row at the initial prediction and adds the trees in
    stage order: init + w0 + w1 + ... ONNX adds the base value after the trees (ONNX Runtime:
    w0 + w1 + ... + init), which in double differs in the last bits on most rows. Folding init
    into the first tree's leaves (each leaf init + w0, the very addition scikit-learn makes
    first) gives the same sums, in the same order, under ONNX's own rule: the double model is
    then bit-identical to scikit-learn in any evaluator that sums in tree order. Only for sums
    (boosting); forests carry no base values.
    """
    if ensemble.base_values is None:
        return ensemble
    base = np.asarray(ensemble.base_values, dtype=np.float64)
    columns = sorted({c for tree in ensemble.trees for c in tree.columns})
    if len(base) == 1 and columns != [0]:
        return ensemble  # one base value over several columns: nothing to fold it into exactly
    trees = list(ensemble.trees)
    for column in columns:
        value = base[0] if len(base) == 1 else base[column]
        first = next(i for i, tree in enumerate(trees) if column in tree.columns)
        tree = trees[first]
        weights = tree.weights.copy()
        index = tree.columns.index(column)
        weights[tree.leaf, index] = value + weights[tree.leaf, index]
        trees[first] = dataclasses.replace(tree, weights=weights)
    return dataclasses.replace(ensemble, trees=trees, base_values=None)


def settings_json(settings):
    """The compact, key-sorted JSON embedded as metadata `appraise.settings`."""
    return json.dumps(settings, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def to_onnx(estimator, feature_count, precision="float", settings=None, zipmap=False):
    """An onnx.ModelProto computing what the fitted `estimator` predicts (checked, deterministic)."""
    if precision not in ML_OPSET:
        raise ValueError(f"precision must be 'float' or 'double', not {precision!r}")
    expected = getattr(estimator, "n_features_in_", feature_count)
    if feature_count != expected:
        raise ValueError(f"the estimator was fitted on {expected} features, not {feature_count}")
    ensemble = describe(estimator)
    if precision == "double":
        ensemble = fold_base_values(ensemble)
    input_type = TensorProto.FLOAT if precision == "float" else TensorProto.DOUBLE
    nodes = [_tree_node(ensemble, precision)]
    if zipmap and ensemble.classes is not None:
        nodes += _zipmap_nodes(ensemble)
    graph = helper.make_graph(
        nodes, ensemble.estimator,
        [helper.make_tensor_value_info("X", input_type, [None, feature_count])],
        _graph_outputs(ensemble, zipmap))
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", ONNX_OPSET), helper.make_opsetid("ai.onnx.ml", ML_OPSET[precision])],
        producer_name=PRODUCER_NAME, producer_version=PRODUCER_VERSION, ir_version=IR_VERSION)
    if settings is not None:
        helper.set_model_props(model, {SETTINGS_KEY: settings_json(settings)})
    # full_check adds strict shape inference, which ONNX 1.12 cannot do over ZipMap's seq(map) type
    onnx.checker.check_model(model, full_check=not (zipmap and ensemble.classes is not None))
    return model


def save(model, path):
    """Write the model's serialized bytes (protobuf serialization is deterministic here: no maps)."""
    pathlib.Path(path).write_bytes(model.SerializeToString())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("estimator", type=pathlib.Path, help="a pickled or joblib-dumped fitted estimator")
    parser.add_argument("output", type=pathlib.Path, help="the model.onnx to write")
    parser.add_argument("--features", type=int, help="input columns (default: the estimator's n_features_in_)")
    parser.add_argument("--precision", choices=sorted(ML_OPSET), default="float")
    parser.add_argument("--settings", type=pathlib.Path, help="model-settings.json to embed (its sha256 key is dropped)")
    parser.add_argument("--zipmap", action="store_true", help="classifiers: add ZipMap, as skl2onnx does by default")
    args = parser.parse_args(argv)

    import joblib  # scikit-learn's dependency; reads pickles too

    estimator = joblib.load(args.estimator)
    settings = None
    if args.settings:
        settings = json.loads(args.settings.read_text())
        settings.pop("sha256", None)
    features = args.features if args.features is not None else estimator.n_features_in_
    save(to_onnx(estimator, features, args.precision, settings, args.zipmap), args.output)
    print(f"{args.output}: {type(estimator).__name__}, {args.precision}", file=sys.stderr)


if __name__ == "__main__":
    main()
