"""How much the span ranker's picks move with its training data: one LambdaRank fit against the
average of K bootstrap fits (train_ranker.SPAN_BAGS).

    python bench/span_stability.py 10          # K = 10, fold draw "" (then: 10 a, 10 b)

5-fold cross-validation on the tuning questions (seed dev, even CMRC; needs the question cache
of `python bench/train_ranker.py`).  Each fold's model is fitted twice, each time without a
different 5 % of its training questions; the table gives the objective of train_ranker's CV
(seeds' containment and CMRC's char F1, weighed alike, at SPAN_MARGIN; the mean of the two
fits) and, for the held-out questions, how often the two fits pick different spans.  About
2 minutes for K = 5 and 5 for K = 10 on 2 cores.  Log: bench/results/span_bag_cv.log.
"""
from __future__ import annotations

import hashlib
import pickle
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import train_ranker as tr  # noqa: E402
from assistant import ranker  # noqa: E402
from assistant.index import load_index  # noqa: E402


def left_out(d: dict, perturbation: int) -> bool:
    key = f"{d['source']}{d['id']}{perturbation}".encode()
    return int(hashlib.md5(key).hexdigest()[:8], 16) % 20 == 0


def main() -> int:
    bags = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    draw = sys.argv[2] if len(sys.argv) > 2 else ""
    questions = pickle.loads(tr.QUESTIONS.read_bytes())
    import encoder_halves

    indexes = {"seeds": load_index(ROOT / "embeddings"), "cmrc": load_index(ROOT / "bench" / "out" / "cmrc_index")}
    spans = [d for d in encoder_halves.grouped_examples(tr.span_examples, indexes, questions) if d["half"] == "in"]
    picks = {}
    for k in range(tr.N_FOLDS):
        held = [d for d in spans if tr.fold_of(d["id"], draw) == k]
        for p in (1, 2):
            train = [d for d in spans if tr.fold_of(d["id"], draw) != k and not left_out(d, p)]
            for name, n in (("single", 1), (f"average of {bags}", bags)):
                tr.SPAN_BAGS = n
                model = ranker.TreeEnsemble(tr.fit_span_ranker(train)[0], ranker.span_feature_names())
                for d in held:
                    picks[name, p, d["source"], d["id"]] = tr.span_pick(d, model.decision(d["X"]), tr.SPAN_MARGIN)
    print("| span ranker | fold draw | seeds containment | CMRC F1 | objective | seeds picks moved | CMRC picks moved |")
    print("|---|---|---|---|---|---|---|")
    for name in ("single", f"average of {bags}"):
        def pick(d, p):
            return picks[name, p, d["source"], d["id"]]
        seeds = np.mean([d["contains"][pick(d, p)] for p in (1, 2) for d in spans if d["source"] == "seeds"])
        cmrc = np.mean([d["f1"][pick(d, p)] for p in (1, 2) for d in spans if d["source"] == "cmrc"])
        moved = {s: np.mean([pick(d, 1) != pick(d, 2) for d in spans if d["source"] == s]) for s in ("seeds", "cmrc")}
        print(f"| {name} | {draw or '-'} | {seeds:.3f} | {cmrc:.3f} | {(seeds + cmrc) / 2:.4f} | "
              f"{moved['seeds']:.3f} | {moved['cmrc']:.3f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
