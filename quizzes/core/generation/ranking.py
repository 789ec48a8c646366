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
import re
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


_YEAR = re.compile(r"\b1[0-9]{3}\b|\b20[0-9]{2}\b")
_CONTEXT_WORDS = frozenset(
    re.findall(
        r"\w+",
        "this these that those such also similarly same other however thus therefore but "
        "latter former it they he she his her their its them both either neither then",
    )
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
# "the party", "the state", "the dispute": a common noun that names nothing unless the
# question says whose or which (RUBRIC C2)
_ANCHORLESS = re.compile(
    r"\bthe (?:[a-z]+ )?(?:party|parties|state|states|government|country|regime|leadership|"
    r"congress|committee|union|army|nation|city|region|opposition|movement|policy|system|"
    r"plan|campaign|reform|slogan|problem|question|issue|idea|ideas|view|dispute|offensive|"
    r"period|era|war|revolution|body|bodies|leader|leaders|group|groups|organisation|"
    r"organization|institution|institutions|tension|approach|debate|conflict|crisis|"
    r"programme|program|constitution|law|article|section|bill|house)\b(?! of\b)(?! [A-Z])"
)
_PRESENT = re.compile(r"\b(?:does|do|is|are|shall|can|may|must|has|have)\b")
_PAST = re.compile(r"\b(?:did|was|were|had)\b")
_INDEFINITE_SUBJECT = re.compile(
    r"\b(?:was|were|did|does|do|is|are|had|has|have) (?:a|an|some|people|many)\b"
)


def text_features(prompt: str, answer: str, evidence: str) -> dict[str, float]:
    """Features read from the item's text alone (so judged items can be re-featured)."""
    body = re.sub(r"^According to [^,]+, ", "", prompt).replace("_____", " ")
    words = _WORD.findall(body)
    evidence_words = _WORD.findall(evidence)
    evidence_lower = {w.lower() for w in evidence_words}
    content = [w.lower() for w in words if len(w) > 3]
    answer_words = _WORD.findall(answer)
    capitals = [w for w in words[1:] if w[:1].isupper()]
    return {
        "t_year": 1.0 if _YEAR.search(body) else 0.0,
        "t_capitals": min(3, len(capitals)) / 3,
        "t_bare_definite": min(3, len(re.findall(r"\bthe [a-z]+\b(?! of\b)", body))) / 3,
        "t_context_in_evidence": min(3, sum(w.lower() in _CONTEXT_WORDS for w in evidence_words))
        / 3,
        "t_copy": (sum(w in evidence_lower for w in content) / len(content)) if content else 0.0,
        "t_cover": min(1.0, (len(words) + len(answer_words)) / max(1, len(evidence_words))),
        "t_answer_capital": 1.0 if any(w[:1].isupper() for w in answer_words) else 0.0,
        "t_answer_digit": 1.0 if re.search(r"\d", answer) else 0.0,
        "t_answer_indefinite": 1.0 if re.match(r"(?:a|an|some|any)\b", answer, re.I) else 0.0,
        "t_answer_one_common": 1.0
        if len(answer_words) <= 2 and all(w.islower() for w in answer_words)
        else 0.0,
        "t_evidence_words": min(2.0, len(evidence_words) / 40),
        "t_attributed": 1.0 if prompt.startswith("According to") else 0.0,
        "t_anchored": 1.0 if capitals or _YEAR.search(body) else 0.0,
        "t_present": 1.0 if _PRESENT.search(body) and not _PAST.search(body) else 0.0,
        "t_indefinite_subject": 1.0 if _INDEFINITE_SUBJECT.search(body) else 0.0,
        "t_unnamed_definite": 1.0 if not capitals and re.search(r"\bthe [a-z]+\b", body) else 0.0,
        "t_anchorless_noun": min(2, len(_ANCHORLESS.findall(body))) / 2,
        "t_short_answer_year": 1.0 if re.fullmatch(r"1[0-9]{3}|20[0-9]{2}", answer) else 0.0,
    }


def vector(features: dict) -> dict[str, float]:
    """Sparse named feature vector of one item."""
    out: dict[str, float] = {}
    if "prompt" in features:
        out.update(
            text_features(
                features["prompt"], features.get("answer", ""), features.get("evidence", "")
            )
        )
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


def _matrix(rows: list[dict], names: list[str]):
    import numpy as np

    x = np.zeros((len(rows), len(names)))
    index = {n: i for i, n in enumerate(names)}
    for r, row in enumerate(rows):
        for name, value in vector(row["features"]).items():
            if name in index:
                x[r, index[name]] = value
    return x


def _names(rows: list[dict]) -> list[str]:
    seen: dict[str, None] = {}
    for row in rows:
        for name in vector(row["features"]):
            seen.setdefault(name, None)
    return sorted(seen)


def _logistic(rows: list[dict], names: list[str], c: float):
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    y = np.array([row["label"] for row in rows])
    model = LogisticRegression(C=c, max_iter=2000, class_weight=None)
    model.fit(_matrix(rows, names), y)
    return model


def _precision_at(scores, labels, threshold: float) -> tuple[float, int]:
    kept = [lab for s, lab in zip(scores, labels, strict=True) if s >= threshold]
    return (sum(kept) / len(kept) if kept else 0.0), len(kept)


def fit(
    rows: list[dict],
    *,
    target: float = 0.8,
    folds: int = 5,
    seed: int = 0,
    c: float = 0.1,
    min_kept: int = 30,
) -> tuple[dict, dict]:
    """Fit the ranker on judged rows and choose the approve threshold on held-out ones.

    ``rows``: one per judgement, ``{"features": ..., "label": 0|1, "group": passage}``.
    Every row is scored once while held out: the passages are split into ``folds``
    groups (no passage on both sides of a split) and each group is scored by a model
    fitted on the others. The threshold is the lowest held-out score at which
    precision reaches ``target`` with at least ``min_kept`` held-out judgements above
    it (else the threshold of best precision with that many). The stored model is then
    refitted on every row. Returns (model, report).
    """
    import numpy as np
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import GroupKFold

    groups = [row["group"] for row in rows]
    names = _names(rows)
    labels = [row["label"] for row in rows]
    scores = np.zeros(len(rows))
    # shuffle the passages with the seed so the folds do not follow file order
    order = sorted(set(groups))
    random_groups = np.random.default_rng(seed).permutation(len(order))
    group_id = {g: int(random_groups[i]) for i, g in enumerate(order)}
    splitter = GroupKFold(n_splits=folds)
    for train_index, test_index in splitter.split(rows, groups=[group_id[g] for g in groups]):
        train = [rows[i] for i in train_index]
        model = _logistic(train, names, c)
        scores[test_index] = model.predict_proba(_matrix([rows[i] for i in test_index], names))[
            :, 1
        ]
    auc = float(roc_auc_score(labels, scores)) if len(set(labels)) == 2 else float("nan")
    candidates = sorted(set(np.round(scores, 4)))
    threshold, best = None, (0.0, 0.0)
    for t in candidates:
        precision, kept = _precision_at(scores, labels, t)
        if kept < min_kept:
            break
        if precision >= target and threshold is None:
            threshold = float(t)
        if precision > best[0]:
            best = (precision, float(t))
    if threshold is None:
        threshold = best[1]
    precision, kept = _precision_at(scores, labels, threshold)
    base = sum(labels) / max(1, len(labels))
    final = _logistic(rows, names, c)
    coefficients = {
        n: round(float(w), 5) for n, w in zip(names, final.coef_[0], strict=True) if abs(w) > 1e-6
    }
    report = {
        "judgements": len(rows),
        "accepted": int(sum(labels)),
        "passages": len(order),
        "folds": folds,
        "held_out_base_rate": round(base, 4),
        "held_out_auc": round(auc, 4),
        "target_precision": target,
        "threshold": round(threshold, 4),
        "held_out_precision_at_threshold": round(precision, 4),
        "held_out_kept_at_threshold": kept,
        "held_out_precision_top_10pct": round(_top_share(scores, labels, 0.1), 4),
        "held_out_precision_top_20pct": round(_top_share(scores, labels, 0.2), 4),
        "seed": seed,
        "C": c,
    }
    serve_floor = min(threshold, _quantile_floor(scores, labels))
    model_json = {
        "source": "logistic regression fitted on judged labels (manage.py qgen_fit_ranker)",
        "intercept": round(float(final.intercept_[0]), 5),
        "coefficients": coefficients,
        "approve_threshold": round(threshold, 4),
        "serve_floor": round(serve_floor, 4),
        "report": report,
    }
    return model_json, report


def _top_share(scores, labels, share: float) -> float:
    """Precision among the best-scored ``share`` of held-out judgements."""
    ordered = sorted(zip(scores, labels, strict=True), key=lambda x: -x[0])
    top = ordered[: max(1, round(len(ordered) * share))]
    return sum(label for _, label in top) / len(top)


def _quantile_floor(scores, labels) -> float:
    """A low floor: below it almost nothing held out was accepted (kept out of storage)."""
    ordered = sorted(zip(scores, labels, strict=True))
    accepted = sum(labels)
    if not accepted:
        return 0.0
    seen = 0
    for score, label in ordered:
        seen += label
        if seen > accepted * 0.05:
            return float(score)
    return 0.0


def approve_threshold() -> float | None:
    """The precision-target threshold chosen on held-out labels, if the model has one."""
    value = model().get("approve_threshold")
    return None if value is None else float(value)
