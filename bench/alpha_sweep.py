"""Sweep the blend's dense weight (retriever.ALPHA) on four tuning sets at once.

    python bench/alpha_sweep.py

The seed dev split, the tuning collections (eval/tune6 and eval/tune7, each over its own index;
tune7 since the thirtieth session) and the even CMRC 2018 questions (over bench/out/cmrc_index):
R@5 of hybrid retrieval (a top-5 passage from the gold file holds a gold string: evaluate.passage_hit) for each weight of the grid 0.5 ... 0.9, and
their mean.  Each question is embedded once and every weight is computed from the same candidate
scores, as Retriever.rank computes them (the twenty-eighth session's rule 5, BENCHMARKS.md
section 3).  No held-out question is read.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from assistant import Assistant  # noqa: E402
from assistant.evaluate import load_questions, passage_hit  # noqa: E402
from assistant.lexical import tokenize  # noqa: E402
from assistant.records import Passage  # noqa: E402
from assistant.retriever import ALPHA, blend_scores, top_rows  # noqa: E402

GRID = (0.5, 0.6, 0.7, 0.8, 0.9)


def recall_at_5(bot, items: list[dict]) -> dict[float, float]:
    """R@5 of the blend at each weight of GRID over the answerable items."""
    index, retriever = bot.index, bot.retriever
    hits = dict.fromkeys(GRID, 0)
    items = [i for i in items if i.get("answerable", True)]
    for item in items:
        qv = retriever.query_vector(item["question"])
        lexical_all = index.bm25.scores(tokenize(item["question"]))
        _, dense_rows = index.dense_search(qv, retriever.candidates)
        lexical_rows = top_rows(lexical_all, retriever.candidates)
        lexical_rows = lexical_rows[lexical_all[lexical_rows] > 0]
        rows = np.union1d(dense_rows, lexical_rows)
        dense = index.vectors[rows] @ qv
        for alpha in GRID:
            combined = blend_scores(dense, lexical_all[rows], alpha)
            top = rows[np.lexsort((rows, -combined))[:5]]
            hits[alpha] += any(passage_hit(Passage.of_chunk(index.chunks[r], 0.0, int(r)), item) for r in top)
    return {alpha: hits[alpha] / len(items) for alpha in GRID}


def main() -> int:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    import cmrc_bench

    seeds = Assistant.load(progress=False)
    tune = {n: Assistant.load(docs=str(ROOT / "eval" / n / "docs"), index=str(ROOT / "bench" / "out" / f"{n}_index"),
                              progress=False, encoder=seeds.encoder) for n in ("tune6", "tune7")}
    documents, questions = cmrc_bench.load_cmrc(cmrc_bench.DATA)
    cmrc = cmrc_bench.open_index(argparse.Namespace(index=str(ROOT / "bench" / "out" / "cmrc_index"), model=None), documents)
    sets = {"seed dev": recall_at_5(seeds, load_questions(ROOT / "eval" / "seeds_qa.jsonl", "dev")),
            **{n: recall_at_5(bot, load_questions(ROOT / "eval" / n / "qa.jsonl")) for n, bot in tune.items()},
            "CMRC even": recall_at_5(cmrc, questions[::2])}
    print("| ALPHA | " + " | ".join(sets) + " | mean |\n|---|" + "---|" * (len(sets) + 1))
    for alpha in GRID:
        cells = [sets[name][alpha] for name in sets]
        print(f"| {alpha}{' (shipped)' if alpha == ALPHA else ''} | " + " | ".join(f"{c:.3f}" for c in cells) +
              f" | {np.mean(cells):.4f} |")
    best = max(GRID, key=lambda a: (round(float(np.mean([sets[n][a] for n in sets])), 6), a))
    print(f"\nbest mean R@5: ALPHA {best}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
