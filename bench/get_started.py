"""A pipeline shaped like DVC's get-started example, to compare this template's first hour with.

DVC's documented layout (iterative/example-get-started): `src/requirements.txt` installed with pip
into a virtualenv, `params.yaml` with a section per stage, and four stages, prepare -> featurize ->
train -> evaluate, each `python src/<stage>.py ...` with its script in `deps`. The public example
downloads its data from DVC remote storage; here `prepare` makes synthetic data of the same kind
(labelled rows split into train and test), so the comparison needs nothing but PyPI.
"""

from __future__ import annotations

import json
from pathlib import Path

REQUIREMENTS = "dvc==3.67.1\npandas>=2.2,<4\nscikit-learn>=1.5,<2\npyyaml>=6.0,<7\n"

PARAMS = """\
prepare:
  split: 0.2
  seed: 20170428
  rows: 2000
featurize:
  max_features: 20
train:
  seed: 20170428
  n_est: 50
  min_split: 0.01
"""

STAGES = {
    "prepare": """\
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

params = yaml.safe_load(open("params.yaml"))["prepare"]
rng = np.random.default_rng(params["seed"])
features = rng.normal(size=(params["rows"], 30))
labels = (features[:, :3].sum(axis=1) + rng.normal(scale=0.5, size=params["rows"]) > 0).astype(int)
frame = pd.DataFrame(features, columns=[f"f{i}" for i in range(30)]).assign(label=labels)
test = frame.sample(frac=params["split"], random_state=params["seed"])
out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
frame.drop(test.index).to_csv(out / "train.tsv", sep="\\t", index=False)
test.to_csv(out / "test.tsv", sep="\\t", index=False)
""",
    "featurization": """\
import pickle
import sys
from pathlib import Path

import pandas as pd
import yaml
from sklearn.feature_selection import SelectKBest
from sklearn.preprocessing import StandardScaler

params = yaml.safe_load(open("params.yaml"))["featurize"]
source, out = Path(sys.argv[1]), Path(sys.argv[2])
train = pd.read_csv(source / "train.tsv", sep="\\t")
test = pd.read_csv(source / "test.tsv", sep="\\t")
scaler = StandardScaler().fit(train.drop(columns="label"))
select = SelectKBest(k=params["max_features"]).fit(
    scaler.transform(train.drop(columns="label")), train["label"]
)
out.mkdir(parents=True, exist_ok=True)
for name, frame in (("train", train), ("test", test)):
    matrix = select.transform(scaler.transform(frame.drop(columns="label")))
    with open(out / f"{name}.pkl", "wb") as file:
        pickle.dump((matrix, frame["label"].to_numpy()), file)
""",
    "train": """\
import pickle
import sys

import yaml
from sklearn.ensemble import RandomForestClassifier

params = yaml.safe_load(open("params.yaml"))["train"]
with open(sys.argv[1] + "/train.pkl", "rb") as file:
    matrix, labels = pickle.load(file)
model = RandomForestClassifier(
    n_estimators=params["n_est"], min_samples_split=params["min_split"], n_jobs=2,
    random_state=params["seed"],
).fit(matrix, labels)
with open(sys.argv[2], "wb") as file:
    pickle.dump(model, file)
""",
    "evaluate": """\
import json
import pickle
import sys
from pathlib import Path

from sklearn import metrics

with open(sys.argv[1], "rb") as file:
    model = pickle.load(file)
with open(sys.argv[2] + "/test.pkl", "rb") as file:
    matrix, labels = pickle.load(file)
probability = model.predict_proba(matrix)[:, 1]
out = Path("eval")
out.mkdir(exist_ok=True)
scores = {
    "avg_prec": metrics.average_precision_score(labels, probability),
    "roc_auc": metrics.roc_auc_score(labels, probability),
}
(out / "metrics.json").write_text(json.dumps(scores))
fpr, tpr, _ = metrics.roc_curve(labels, probability)
(out / "roc.json").write_text(json.dumps([{"fpr": f, "tpr": t} for f, t in zip(fpr, tpr)]))
""",
}

DVC_YAML = {
    "stages": {
        "prepare": {
            "cmd": "python src/prepare.py data/prepared",
            "deps": ["src/prepare.py"],
            "params": ["prepare.seed", "prepare.split", "prepare.rows"],
            "outs": ["data/prepared"],
        },
        "featurize": {
            "cmd": "python src/featurization.py data/prepared data/features",
            "deps": ["data/prepared", "src/featurization.py"],
            "params": ["featurize.max_features"],
            "outs": ["data/features"],
        },
        "train": {
            "cmd": "python src/train.py data/features model.pkl",
            "deps": ["data/features", "src/train.py"],
            "params": ["train.seed", "train.n_est", "train.min_split"],
            "outs": ["model.pkl"],
        },
        "evaluate": {
            "cmd": "python src/evaluate.py model.pkl data/features",
            "deps": ["data/features", "model.pkl", "src/evaluate.py"],
            "outs": [{"eval/roc.json": {"cache": False}}],
            "metrics": [{"eval/metrics.json": {"cache": False}}],
        },
    }
}


def write_project(folder: Path) -> Path:
    """The get-started-shaped project's files (no venv, no git yet) in `folder`."""
    (folder / "src").mkdir(parents=True)
    (folder / "src/requirements.txt").write_text(REQUIREMENTS)
    (folder / "params.yaml").write_text(PARAMS)
    for name, code in STAGES.items():
        (folder / "src" / f"{name}.py").write_text(code)
    # JSON is YAML: dvc reads it as dvc.yaml.
    (folder / "dvc.yaml").write_text(json.dumps(DVC_YAML, indent=2) + "\n")
    return folder


# What a user of the example runs after cloning it (DVC's get-started: venv, pip install, repro).
SETUP = (
    "python3 -m venv .venv && .venv/bin/pip install --quiet -r src/requirements.txt"
    " && git init --quiet && .venv/bin/dvc init --quiet"
)
REPRO = "PATH=$PWD/.venv/bin:$PATH dvc repro --quiet"
