"""Whether a near tie between two span candidates should be answered with a span that holds both.

    python bench/span_cover_cv.py            # out-of-fold scores of five fold draws, then the table
    python bench/span_cover_cv.py --cached   # the table again from bench/out/span_cover_scores.pkl

The reader takes the span ranker's best candidate (SPAN_MARGIN over the rules' pick).  When one
sentence gives several facts of one kind, the ranker's best and the right one can score almost
alike.  The cover rule (reader.cover_pick): where the best other candidate that is not inside
the pick scores within m of it, answer with the shortest candidate that holds both (their
clause, two clauses, the sentence), if there is one.

Scores come from 5-fold cross-validation on the tuning questions (seed dev split, even CMRC
questions; each read with the half reader model and the fold span head that did not see it, as
in train_ranker.py), with the shipped span ranker's settings (train_ranker.fit_span_ranker), for
five assignments of the questions to folds.  For each m: the seeds' containment, CMRC's char F1
and containment, the mean answer length, and how many answers the cover changed.  The rule that
judges it is in BENCHMARKS.md section 3 (nineteenth session).
"""
from __future__ import annotations

import argparse
import pickle
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import train_ranker as T  # noqa: E402

from assistant import ranker  # noqa: E402
from assistant.reader import SPAN_MARGIN, cover_pick  # noqa: E402

SCORES = ROOT / "bench" / "out" / "span_cover_scores.pkl"
DRAWS = ("", "a", "b", "c", "d")
MARGINS = (0.0, 0.05, 0.1, 0.2, 0.3, 0.5)


def out_of_fold(tuning: list[dict], draw: str) -> list[np.ndarray]:
    scores: list[np.ndarray | None] = [None] * len(tuning)
    for k in range(T.N_FOLDS):
        model = ranker.TreeEnsemble(T.fit_span_ranker([d for d in tuning if T.fold_of(d["id"], draw) != k])[0],
                                    ranker.span_feature_names())
        for i, d in enumerate(tuning):
            if T.fold_of(d["id"], draw) == k:
                scores[i] = model.decision(d["X"])
    return scores


def table(tuning: list[dict], by_draw: dict[str, list[np.ndarray]]) -> None:
    print("| draw | m | seeds containment | CMRC F1 | CMRC containment | mean length (seeds / CMRC) | answers changed |")
    print("|---|---|---|---|---|---|---|")
    summary = {m: [] for m in MARGINS}
    for draw, scores in by_draw.items():
        for m in MARGINS:
            seeds, f1, contains, lengths, changed = [], [], [], {"seeds": [], "cmrc": []}, 0
            for d, s in zip(tuning, scores):
                base = T.span_pick(d, s, SPAN_MARGIN)
                pick = cover_pick(d["spans"], s, base, m)
                changed += pick != base
                lengths[d["source"]].append(d["spans"][pick][1] - d["spans"][pick][0])
                if d["source"] == "seeds":
                    seeds.append(d["contains"][pick])
                else:
                    f1.append(d["f1"][pick])
                    contains.append(d["contains"][pick])
            row = (float(np.mean(seeds)), float(np.mean(f1)), float(np.mean(contains)))
            summary[m].append(row)
            print(f"| {draw or '-'} | {m} | {row[0]:.3f} | {row[1]:.3f} | {row[2]:.3f} | "
                  f"{np.mean(lengths['seeds']):.1f} / {np.mean(lengths['cmrc']):.1f} | {changed} |", flush=True)
    print("\n| m | seeds containment (mean) | draws higher than m = 0 | CMRC F1 (mean) | CMRC F1 change |")
    print("|---|---|---|---|---|")
    base = summary[0.0]
    for m in MARGINS:
        rows = summary[m]
        up = sum(r[0] > b[0] for r, b in zip(rows, base))
        print(f"| {m} | {np.mean([r[0] for r in rows]):.4f} | {up} of {len(rows)} | {np.mean([r[1] for r in rows]):.4f} | "
              f"{np.mean([r[1] - b[1] for r, b in zip(rows, base)]):+.4f} |")
    n_seeds = sum(d["source"] == "seeds" for d in tuning)
    print(f"\n{n_seeds} seed questions, {len(tuning) - n_seeds} CMRC questions (chosen sentence holds a gold answer)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cached", action="store_true", help="read the out-of-fold scores written by the last run")
    args = parser.parse_args()
    if args.cached:
        tuning, by_draw = pickle.loads(SCORES.read_bytes())
        table(tuning, by_draw)
        return 0

    import encoder_halves

    from assistant.index import load_index

    started = time.perf_counter()
    questions = pickle.loads(T.QUESTIONS.read_bytes())
    indexes = {"seeds": load_index(ROOT / "embeddings"), "cmrc": load_index(ROOT / "bench" / "out" / "cmrc_index")}
    spans = encoder_halves.grouped_examples(T.span_examples, indexes, questions)
    tuning = [d for d in spans if d["half"] == "in"]
    print(f"span candidates of {len(tuning)} tuning questions in {time.perf_counter() - started:.0f} s", flush=True)
    by_draw = {}
    for draw in DRAWS:
        started = time.perf_counter()
        by_draw[draw] = out_of_fold(tuning, draw)
        print(f"draw {draw or '-'}: out-of-fold scores in {time.perf_counter() - started:.0f} s", flush=True)
    keep = [{k: d[k] for k in ("source", "id", "f1", "contains", "rule", "spans")} for d in tuning]
    SCORES.write_bytes(pickle.dumps((keep, by_draw)))
    table(keep, by_draw)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
