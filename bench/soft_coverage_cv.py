"""Does a softer passage coverage (soft_coverage below) help the abstention model?

    python bench/soft_coverage_cv.py        # about 3 minutes on 2 cores

The abstention model (calibrate_reader.py's logistic and threshold rule) is fitted out of fold on
the seed dev split, as in abstention_probe.py (every feature of a dev question read by the fold
sentence ranker and the half reader model that did not see it; the threshold under the 5% cap
and the guard of the even CMRC questions), with the shipped features (seven at its run), with
``soft_coverage`` added, and with it in place of ``passage_coverage``.  The rule that judges it
is in BENCHMARKS.md section 3 (twentieth session).  It was not kept, so the reader does not
compute it: this script adds it to Reader.evidence() for its own run.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import abstention_probe as P  # noqa: E402
import calibrate_reader as C  # noqa: E402

from assistant import Assistant  # noqa: E402
from assistant import reader as R  # noqa: E402


def soft_coverage(words: list[str], weights: np.ndarray, text: str) -> float:
    """The weighted share of ``words`` in ``text`` (lower-cased), a word the text does not hold
    counting by the share of its character bigrams it holds: a paraphrase often keeps characters
    of the words it replaces (分散的饮用水源 / 分散式水源)."""
    total = float(weights.sum())
    if total <= 0:
        return 0.0
    credit = []
    for word in words:
        pairs = [word[i:i + 2] for i in range(len(word) - 1)]
        credit.append(1.0 if word in text else (sum(p in text for p in pairs) / len(pairs) if pairs else 0.0))
    return float(np.dot(weights, credit) / total)


def with_feature(evidence, name: str, measure):
    """Reader.evidence, with ``name``: ``measure(words, weights, text)`` of the question's asked
    words over the chosen sentence's passage (title and text, lower-cased)."""
    def wrapped(self, question, passages, best):
        found = evidence(self, question, passages, best)
        passage = passages[best.passage]
        words = R.asked_words(question)
        weights = self._idf(words) if words else np.zeros(0)
        found[name] = measure(words, weights, (passage.title + passage.text).lower())
        return found
    return wrapped


def judge(name: str, measure) -> int:
    """The out-of-fold abstention with the shipped features (calibrate_reader.FEATURES), with ``name`` added, and with it
    in place of passage_coverage (see the docstring)."""
    from sklearn.metrics import roc_auc_score

    R.Reader.evidence = with_feature(R.Reader.evidence, name, measure)
    started = time.perf_counter()
    dev = P.dev_rows(Assistant.load(progress=False))
    guard = P.guard_rows()
    print(f"{len(dev)} dev and {len(guard)} even CMRC questions read in {time.perf_counter() - started:.0f} s\n")
    y = np.array([d["y"] for d in dev])
    for column in ("passage_coverage", name):
        col = np.array([d["evidence"][column] for d in dev])
        even = np.mean([d["evidence"][column] for d in guard])
        print(f"  {column:16s} answerable mean {col[y == 1].mean():.3f}  unanswerable mean {col[y == 0].mean():.3f}"
              f"  (even CMRC {even:.3f}), ROC AUC on dev {roc_auc_score(y, col):.3f}")
    lifted = [d for d in dev if d["evidence"][name] > d["evidence"]["passage_coverage"]]
    print(f"  {name} above passage_coverage for {sum(d['y'] == 1 for d in lifted)} answerable and "
          f"{sum(d['y'] == 0 for d in lifted)} unanswerable dev questions, "
          f"{sum(d['evidence'][name] > d['evidence']['passage_coverage'] for d in guard)} even CMRC ones")
    print(f"\n{int(y.sum())} answerable and {int((1 - y).sum())} unanswerable dev questions, out of fold\n")
    print("| features | abstention | caught | wrong abstention | even CMRC declined | threshold |\n|---|---|---|---|---|---|")
    replaced = [name if n == "passage_coverage" else n for n in C.FEATURES]
    for label, names in (("the shipped features", C.FEATURES), (f"+ {name}", C.FEATURES + [name]),
                         (f"{name} for passage_coverage", replaced)):
        abst, wrong, declined, cut = P.oof_abstention(dev, guard, names)
        print(f"| {label} | {abst:.3f} | {round(abst * (1 - y).sum())} | {wrong:.3f} | {declined:.3f} | {cut:.3f} |")
    return 0


def main() -> int:
    return judge("soft_coverage", soft_coverage)


if __name__ == "__main__":
    raise SystemExit(main())
