"""Does a thesaurus (同义词词林) make the abstention model's coverage fairer to paraphrases?

    python bench/synonym_coverage_cv.py      # about 3 minutes on 2 cores

``syn_coverage``: the passage coverage of Reader.evidence() (the weighted share of the question's
words found in the passage), where a word of two or more characters that the passage lacks counts
as found when a true synonym of it (a word of one of its groups coded "=") of two or more
characters is in the passage.  The abstention model is fitted out of fold on the seed dev split
exactly as in soft_coverage_cv.py (abstention_probe.dev_rows / guard_rows), with the seven shipped
features, with ``syn_coverage`` added, and with it in place of ``passage_coverage``
(soft_coverage_cv.judge).  The synonyms are assistant/thesaurus.py's.  The rule that judges it is
in BENCHMARKS.md section 3 (twenty-first session).
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from soft_coverage_cv import judge  # noqa: E402

from assistant import thesaurus  # noqa: E402


def syn_coverage(words: list[str], weights: np.ndarray, text: str) -> float:
    """The weighted share of ``words`` in ``text``, a word also found through a synonym."""
    total = float(weights.sum())
    if total <= 0:
        return 0.0
    return float(np.dot(weights, [thesaurus.found_in(word, text) for word in words]) / total)


def main() -> int:
    return judge("syn_coverage", syn_coverage)


if __name__ == "__main__":
    raise SystemExit(main())
