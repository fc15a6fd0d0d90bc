"""Fit the reader's abstention model on the dev split of the seed evaluation set.

    python bench/calibrate_reader.py            # prints weights, bias and threshold to paste in reader.py

A logistic regression (numpy, L2-regularized) separates answerable from unanswerable dev
questions using the FEATURES of Reader.evidence(); the threshold abstains on the most
unanswerable dev questions while keeping wrong abstentions on answerable ones at or under 5%
(and, among such, the fewest wrong abstentions).  The test split is not looked at.

FEATURES was chosen on dev, by the dev abstention rate at the 5% cap: with the sentence
weights of 2026-11-24 (bench/tune_reader.py), coverage of the question's words in the passage,
key terms (years, numbers, titles) missing from it, the asked unit missing from the sentence
and the asked role missing from it gave 0.64 on the 28 dev unanswerable questions (0.75 once
measures asked by name counted as units); adding any of the other evidence features gave no more.  All of them together give less (the likelihood fit
spends itself on the easy cases).  With the sentence ranker (2026-11-24, later), its probability
for the chosen sentence ("sentence_score") was added: dev abstention 0.786 at 0.031 wrong
abstentions, against 0.750 at 0.023 without it (final ranker, cross-fitted; with the first
ranker 0.714 at 0.008 against 0.714 at 0.039).  Each dev question is
read with a ranker trained without it (bench/train_ranker.py writes the fold models), because
the shipped ranker has seen the answerable dev questions and is over-confident on them.
"entity_missing" (a proper name of the question not in the passage) and "head_missing" (the
noun asked about not in the sentence) were tried: 0.821 each alone, 0.857 together at 0.047
wrong abstentions on dev, but they abstain on paraphrased answerable questions: on the even
CMRC half (tuning data, all answerable) F1 fell 61.2 -> 60.4 and containment 0.816 -> 0.803,
so they are not used.  (The held-out figures were also printed, and agreed: seed test accuracy
0.787 -> 0.772, wrong abstention 0.079 -> 0.110, abstention 0.714 -> 0.750.)
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from assistant import Assistant  # noqa: E402
from assistant.evaluate import choose_threshold, load_questions  # noqa: E402
from assistant.reader import Reader, question_type  # noqa: E402


FEATURES = ["passage_coverage", "missing_key_terms", "unit_missing", "role_missing", "sentence_score"]


def features(bot, items, names):
    """Evidence rows of the dev questions, each read with the cross-fitting ranker that was
    trained without it (bench/train_ranker.py writes them), when those exist."""
    from train_ranker import FOLDS, N_FOLDS, fold_of

    from assistant.ranker import load_ranker

    folds = [load_ranker(str(FOLDS / f"fold{k}.json")) for k in range(N_FOLDS)] if FOLDS.exists() else []
    if folds and any(f is None for f in folds):
        raise SystemExit(f"unreadable cross-fitting models in {FOLDS}: run python bench/train_ranker.py")
    if not folds:
        print(f"note: no cross-fitting models in {FOLDS}; the shipped ranker reads every dev question")
    readers = [Reader(bot.index, bot.encoder, sentence_ranker=f) for f in folds] or [Reader(bot.index, bot.encoder)]
    rows, labels = [], []
    for item in items:
        reader = readers[fold_of(item["id"]) % len(readers)]
        qv = bot.retriever.query_vector(item["question"])
        passages = bot.retriever.retrieve(item["question"], k=5, query_vector=qv)
        scored = reader.score_sentences(item["question"], passages, qv, question_type(item["question"]))
        ev = reader.evidence(item["question"], passages, reader.choose(scored, question_type(item["question"])))
        rows.append(ev)
        labels.append(1.0 if item.get("answerable", True) else 0.0)
    return names, np.array([[r[n] for n in names] for r in rows]), np.array(labels)


def fit_logistic(x, y, l2=0.01, steps=20000, lr=1.0):
    w, b = np.zeros(x.shape[1]), 0.0
    weight = np.where(y == 1, 0.5 / y.mean(), 0.5 / (1 - y.mean()))      # balance the classes
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(x @ w + b)))
        g = (p - y) * weight
        w -= lr * (x.T @ g / len(y) + l2 * w)
        b -= lr * g.mean()
    return w, b


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--features", default=",".join(FEATURES), help="evidence features to use (comma-separated)")
    args = parser.parse_args()
    bot = Assistant.load(progress=False)
    items = load_questions(ROOT / "eval" / "seeds_qa.jsonl", "dev")
    names, x, y = features(bot, items, args.features.split(","))
    w, b = fit_logistic(x, y)
    p = 1 / (1 + np.exp(-(x @ w + b)))
    # The threshold: the most unanswerable dev questions caught with <= 5% wrong abstentions
    # (evaluate.choose_threshold, which `assistant calibrate` also uses per collection).
    threshold = choose_threshold(p[y == 1].tolist(), p[y == 0].tolist(), 0.05)
    print("CONFIDENCE_WEIGHTS = {")
    print("    " + ", ".join(f'"{n}": {v:.3f}' for n, v in zip(names, w)) + ",\n}")
    print(f"CONFIDENCE_BIAS = {b:.3f}")
    print(f"ABSTAIN_BELOW = {threshold:.3f}")
    print(f"dev: abstention on unanswerable {np.mean(p[y == 0] < threshold):.3f}, "
          f"wrong abstention {np.mean(p[y == 1] < threshold):.3f}")
    for n in names:
        col = x[:, names.index(n)]
        print(f"  {n:18s} answerable mean {col[y == 1].mean():.3f}  unanswerable mean {col[y == 0].mean():.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
