"""The learned ranker: a logistic regression over item features, stored as JSON.

``ranker.json`` (beside this module) holds the feature names, the coefficients, the
intercept and the serve floor; :func:`score` is the predicted probability that a
blind judge accepts the item (RUBRIC.md). ``manage.py qgen_fit_ranker`` refits it
from the judged labels in ``fixtures/qgen_labels.jsonl``. No pickles: the model is
a dot product.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

MODEL_PATH = Path(__file__).with_name("ranker.json")

CATEGORICAL = ("rule", "kind", "label", "clause_source", "wh")
NUMERIC = {
    "prompt_words": 30.0,
    "answer_words": 10.0,
    "sentence_words": 50.0,
    "propn_in_prompt": 3.0,
    "parts": 5.0,
    "choices": 4.0,
    "subject_words": 5.0,
}
BOOLEAN = (
    "answer_propn",
    "answer_number",
    "attributed",
    "resolved",
    "opinion",
    "has_year",
    "moved",
    "passive",
    "subject_propn",
)


def vector(features: dict) -> dict[str, float]:
    """Sparse named feature vector of one item."""
    out: dict[str, float] = {}
    for name in CATEGORICAL:
        out[f"{name}={features.get(name, '')}"] = 1.0
    for name, scale in NUMERIC.items():
        out[name] = min(2.0, float(features.get(name, 0)) / scale)
    for name in BOOLEAN:
        out[name] = 1.0 if features.get(name) else 0.0
    return out


@lru_cache(maxsize=1)
def model() -> dict:
    return json.loads(MODEL_PATH.read_text(encoding="utf-8"))


def score(features: dict) -> float:
    """Predicted probability of acceptance."""
    m = model()
    weights = m["coefficients"]
    z = m["intercept"] + sum(weights.get(k, 0.0) * v for k, v in vector(features).items())
    return 1.0 / (1.0 + math.exp(-z))


def serve_floor() -> float:
    """Items scoring below this are not stored at all (they would never be served)."""
    return float(model().get("serve_floor", 0.0))
