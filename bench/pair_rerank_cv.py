"""Does the pair classifier choose better between the sentence ranker's closest sentences?

    python bench/pair_classifier_cv.py     # first: the five fold pair classifiers (bench/out/pair_classifier)
    python bench/pair_rerank_cv.py         # about 5 minutes on 2 cores

(The questions' readings are cached in bench/out/pair_rerank/read.pkl: delete it after a change
of the features or the indexes.)

Every tuning question (seed dev answerable, even CMRC) is read by models that did not see it:
a sentence ranker fitted like the shipped one (train_ranker.fit) without the question's fold of
train_ranker.fold_of, in both collections, and the fold pair classifier of
bench/pair_classifier_cv.py.  Among the fold ranker's top K sentences the choice becomes the
highest logit(p) + w * pair logit.  The rule that judges it is in BENCHMARKS.md section 3
(twenty-first session).
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

import os  # noqa: E402

os.environ.setdefault("ASSISTANT_RUNTIME", "torch")     # no graphs written into the user's model cache

import pair_classifier_cv as PC  # noqa: E402
import train_ranker as T  # noqa: E402

from assistant import ranker  # noqa: E402
from assistant.reader import Reader  # noqa: E402

OUT = ROOT / "bench" / "out" / "pair_rerank"
SETTINGS = [(k, w) for k in (2, 3) for w in (0.5, 1.0, 2.0)]


def tuning_examples() -> list[dict]:
    """train_ranker's sentence examples of the tuning questions, each with its question and the
    text of every candidate sentence."""
    import encoder_halves

    from assistant.index import load_index

    questions = pickle.loads(T.QUESTIONS.read_bytes())
    indexes = {"seeds": load_index(ROOT / "embeddings"), "cmrc": load_index(ROOT / "bench" / "out" / "cmrc_index")}
    models, files = encoder_halves.HalfModels(), encoder_halves.seed_files()
    out = []
    for name, index in indexes.items():
        asked = {q["id"]: q["question"] for q in questions[name]}
        tuning = [q for q in questions[name] if q["half"] == "in"]
        for view, qs in encoder_halves.groups(index, name, tuning, models, files):
            reader = Reader(view)
            for d in T.examples(view, qs):
                d["question"] = asked[d["id"]]
                d["texts"] = [reader.row_text(r) for r in d["rows"]]
                out.append(d)
    return out


def fold_rankers(data: list[dict]) -> list:
    """Five sentence rankers, fold k fitted without the fold-k questions of both collections."""
    OUT.mkdir(parents=True, exist_ok=True)
    models = []
    for k in range(T.N_FOLDS):
        path = OUT / f"rank_fold{k}.json"
        model = ranker.load_ranker(str(path)) if path.exists() else None
        if model is None:       # missing, or fitted on other features than the code's
            started = time.perf_counter()
            fitted, _ = T.fit([d for d in data if d["y"].any() and T.fold_of(d["id"]) != k])
            T.write(fitted, path)
            model = ranker.load_ranker(str(path))
            print(f"  fold ranker {k + 1} / {T.N_FOLDS} in {time.perf_counter() - started:.0f} s", flush=True)
        models.append(model)
    return models


def read(data: list[dict], rankers: list, depth: int = 3) -> None:
    """Each question's top ``depth`` sentences by its fold ranker, and their fold pair logits."""
    started = time.perf_counter()
    for k in range(T.N_FOLDS):
        numbers = pickle.loads((PC.OUT / f"fold{k}.pkl").read_bytes())
        head = PC.reader_of(numbers)
        mine = [d for d in data if T.fold_of(d["id"]) == k]
        for d in mine:
            p = rankers[k].probability(d["X"])
            order = sorted(range(len(p)), key=lambda j: (-p[j], d["rows"][j]))[:depth]
            d["top"] = order
            d["p"] = np.array([p[j] for j in order])
            d["pair"] = np.array([PC.logit(head, numbers, d["question"], d["texts"][j]) for j in order])
        print(f"  fold {k + 1} / {T.N_FOLDS}: {len(mine)} questions read in {time.perf_counter() - started:.0f} s",
              flush=True)


def choice(d: dict, k: int, w: float) -> int:
    """The candidate row the rerank takes (ties: the ranker's order)."""
    p = np.clip(d["p"][:k], 1e-6, 1 - 1e-6)
    score = np.log(p / (1 - p)) + w * d["pair"][:k]
    return d["top"][int(np.argmax(score))]


def rates(data: list[dict], pick) -> tuple[float, float, int]:
    seeds = [d["y"][pick(d)] for d in data if d["source"] == "seeds"]
    cmrc = [d["y"][pick(d)] for d in data if d["source"] == "cmrc"]
    return float(np.mean(seeds)), float(np.mean(cmrc)), int(sum(seeds))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    started = time.perf_counter()
    cache = OUT / "read.pkl"
    if cache.exists():
        data = pickle.loads(cache.read_bytes())
    else:
        data = tuning_examples()
        print(f"features of {len(data)} tuning questions in {time.perf_counter() - started:.0f} s", flush=True)
        read(data, fold_rankers(data))
        cache.write_bytes(pickle.dumps(data))
    n_seeds = sum(d["source"] == "seeds" for d in data)
    print(f"\n{n_seeds} seed dev and {len(data) - n_seeds} even CMRC questions, out of fold\n")
    print("| choice | seed dev | (questions) | even CMRC | changed |\n|---|---|---|---|---|")
    base = rates(data, lambda d: d["top"][0])
    print(f"| fold ranker alone | {base[0]:.3f} | {base[2]} | {base[1]:.3f} | 0 |")
    for k, w in SETTINGS:
        s, c, n = rates(data, lambda d: choice(d, k, w))
        changed = sum(choice(d, k, w) != d["top"][0] for d in data)
        print(f"| top {k}, w = {w} | {s:.3f} | {n} | {c:.3f} | {changed} |")
    # Nested: the setting chosen on four folds (mean of the two rates), applied to the fifth.
    picked = {}
    for f in range(T.N_FOLDS):
        train = [d for d in data if T.fold_of(d["id"]) != f]
        best = max(SETTINGS, key=lambda kw: (np.mean(rates(train, lambda d: choice(d, *kw))[:2]), -kw[0], -kw[1]))
        for d in data:
            if T.fold_of(d["id"]) == f:
                picked[d["id"], d["source"]] = best
        print(f"  fold {f}: chose top {best[0]}, w = {best[1]}")
    s, c, n = rates(data, lambda d: choice(d, *picked[d["id"], d["source"]]))
    print(f"\n| nested (setting chosen without the fold) | {s:.3f} | {n} | {c:.3f} | |")
    print(f"\n{time.perf_counter() - started:.0f} s in all")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
