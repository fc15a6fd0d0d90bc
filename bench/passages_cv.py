"""Would the reader choose better among the sentences of seven chunks than of five?

    python bench/passages_cv.py        # about 10 minutes on 2 cores

Tuning questions only (seed dev answerable, even CMRC): each question's retrieval is redone with
its stored query vector (bench/out/ranker_questions.pkl, train_ranker.collect) at k = 5 and at
k = 7, the candidates' features computed as train_ranker.examples does (tuning questions read by
the half reader model that did not see them), and the sentence chosen by five fold sentence
rankers fitted like the shipped one on the five-chunk examples without the question's fold of
train_ranker.fold_of, in both collections.  Prints how often the chosen sentence holds a gold
answer, and the ceiling (a gold sentence among the candidates).  The rule that judges it is in
BENCHMARKS.md section 3 (twenty-first session).
"""
from __future__ import annotations

import argparse
import os
import pickle
import sys
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("ASSISTANT_RUNTIME", "torch")     # no graphs written into the user's model cache

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import train_ranker as T  # noqa: E402

from assistant import ranker  # noqa: E402

OUT = ROOT / "bench" / "out" / "passages_cv"


def main() -> int:
    import cmrc_bench
    import encoder_halves

    import calibrate_reader as C
    from assistant import Assistant

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--depths", default="5,7", help="how many chunks the reader reads (comma-separated)")
    args = parser.parse_args()
    depths = [int(k) for k in args.depths.split(",")]
    started = time.perf_counter()
    questions = pickle.loads(T.QUESTIONS.read_bytes())
    documents, _ = cmrc_bench.load_cmrc(cmrc_bench.DATA)
    bots = {"seeds": Assistant.load(progress=False),
            "cmrc": cmrc_bench.open_index(argparse.Namespace(index=str(C.CMRC_INDEX), model=None), documents)}
    models, files = encoder_halves.HalfModels(), encoder_halves.seed_files()
    data: dict[int, list[dict]] = {k: [] for k in depths}
    same = 0
    for name, bot in bots.items():
        tuning = [q for q in questions[name] if q["half"] == "in"]
        for q in tuning:
            again = bot.retriever.retrieve(q["question"], k=5, query_vector=q["query_vector"])
            same += [p.chunk_id for p in again] == [p.chunk_id for p in q["passages"]]
        for k in depths:
            asked = [dict(q, passages=bot.retriever.retrieve(q["question"], k=k, query_vector=q["query_vector"]))
                     for q in tuning]
            for view, qs in encoder_halves.groups(bot.index, name, asked, models, files):
                data[k] += T.examples(view, qs)
    n = len(data[depths[0]])
    print(f"{n} tuning questions; retrieval at k = 5 reproduced for {same}; features in "
          f"{time.perf_counter() - started:.0f} s", flush=True)

    OUT.mkdir(parents=True, exist_ok=True)
    rankers = []
    for fold in range(T.N_FOLDS):
        path = OUT / f"rank_fold{fold}.json"
        model = ranker.load_ranker(str(path)) if path.exists() else None
        if model is None:
            fitted, _ = T.fit([d for d in data[5] if d["y"].any() and T.fold_of(d["id"]) != fold])
            T.write(fitted, path)
            model = ranker.load_ranker(str(path))
            print(f"  fold ranker {fold + 1} / {T.N_FOLDS} in {time.perf_counter() - started:.0f} s", flush=True)
        rankers.append(model)

    print("\n| chunks read | seed dev choice | even CMRC choice | seed dev ceiling | even CMRC ceiling |")
    print("|---|---|---|---|---|")
    for k in depths:
        hits = {"seeds": [], "cmrc": []}
        reach = {"seeds": [], "cmrc": []}
        for d in data[k]:
            p = rankers[T.fold_of(d["id"])].probability(d["X"])
            i = min(range(len(p)), key=lambda j: (-p[j], d["rows"][j]))
            hits[d["source"]].append(d["y"][i])
            reach[d["source"]].append(d["y"].any())
        print(f"| {k} | {np.mean(hits['seeds']):.3f} ({int(np.sum(hits['seeds']))} of {len(hits['seeds'])}) | "
              f"{np.mean(hits['cmrc']):.3f} | {np.mean(reach['seeds']):.3f} | {np.mean(reach['cmrc']):.3f} |")
    print(f"\n{time.perf_counter() - started:.0f} s in all")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
