"""How much does `assistant calibrate` help a new collection, given k labelled questions?

    python bench/calibration_curve.py              # pools 5-12 (eval/judgeN), about 3 minutes on 2 cores
    python bench/calibration_curve.py --draws 500 --k 10 20 40 80
    python bench/calibration_curve.py --seeds      # the operating curve on the seed splits, the fresh set, tune6/7

`assistant calibrate --set FILE` fits one collection's abstention threshold on questions its user
labelled (evaluate.calibrate: the threshold that declines the most unanswerable questions while
declining at most --max-wrong of the answerable ones).  This script measures what that buys on the
blind synthetic pools (eval/judgeN/: a collection each, 22 fictional places, questions written by
helpers that saw no model), read in aggregate only:

1. every question of a pool is read once over its own index, and the reader's decision is recorded
   as a function of the threshold (it is piecewise constant: it changes only where the threshold
   crosses the confidence of the chosen sentence or of a second-chance sentence, Reader.read), so
   any threshold is evaluated without reading again;
2. for each k, ``--draws`` times per pool: k questions drawn at random are the user's labelled set,
   the threshold is fitted on them (evaluate.choose_threshold), and the pool's other questions are
   answered with it and with the shipped threshold; the table gives the means over draws and pools.

The last row, "best for the pool", is the threshold that maximizes each pool's right answers,
fitted on all its questions (not a held-out figure: the ceiling of any threshold).
Nothing here changes the shipped reader.  Cache: bench/out/calibration_curve.pkl (delete it after
a change of the reader or the indexes).
"""
from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import Assistant  # noqa: E402
from assistant import reader as R  # noqa: E402
from assistant.evaluate import answer_correct, choose_threshold, load_questions  # noqa: E402

CACHE = ROOT / "bench" / "out" / "calibration_curve.pkl"
POOLS = [f"judge{n}" for n in range(5, 13)]
EPSILON = 1e-7


def decisions(bot, item: dict) -> dict:
    """The reader's outcome on ``item`` for every threshold: ``breaks`` (sorted confidences) and
    ``outcomes`` (len(breaks) + 1 of them; outcomes[j] holds for thresholds t with exactly j
    breaks below t), each outcome "right", "wrong" or "declined"."""
    captured = {}
    original = R.Reader.read

    def capture(self, question, passages, query_vector=None):
        captured["args"] = (question, passages, query_vector)
        return original(self, question, passages, query_vector)

    R.Reader.read = capture
    try:
        asked = bot.ask(item["question"])
    finally:
        R.Reader.read = original
    if "args" not in captured:                      # an empty question: never answered
        return {"breaks": [], "outcomes": ["declined"], "score": asked.score,
                "answerable": bool(item.get("answerable", True))}
    question, passages, query_vector = captured["args"]
    # The confidences read() weighs (the chosen sentence's, then the second chance's): recorded
    # while it reads under a threshold nothing reaches, so that it weighs them all and declines.
    weighed: list[float] = []
    confidence = R.Reader.confidence

    def record(evidence):
        weighed.append(round(confidence(evidence), 4))      # read() rounds them so
        return weighed[-1]

    reader = bot._reader
    shipped = reader.abstain_below
    R.Reader.confidence = staticmethod(record)
    reader.abstain_below = 2.0
    try:
        reader.read(question, passages, query_vector)
    finally:
        R.Reader.confidence = staticmethod(confidence)
        reader.abstain_below = shipped
    breaks_sorted = sorted(set(weighed))
    outcomes = []
    try:
        for t in [-1.0] + [b + EPSILON for b in breaks_sorted]:
            reader.abstain_below = t
            answer = reader.read(question, passages, query_vector)
            answer.question = item["question"]
            if not answer.found:
                outcomes.append("declined")
            elif item.get("answerable", True):
                outcomes.append("right" if answer_correct(answer, item) else "wrong")
            else:
                outcomes.append("wrong")
    finally:
        reader.abstain_below = shipped
    # score: what calibrate() reads (answer.score at the shipped threshold: the confidence of the
    # sentence finally weighed, after the second chance).
    return {"breaks": breaks_sorted, "outcomes": outcomes, "score": asked.score,
            "answerable": bool(item.get("answerable", True))}


def outcome_at(d: dict, t: float) -> str:
    return d["outcomes"][int(np.searchsorted(d["breaks"], t, side="left"))]


def read_pools() -> tuple[dict, float]:
    if CACHE.is_file():
        with CACHE.open("rb") as f:
            return pickle.load(f)
    pools, shipped = {}, None
    for name in POOLS:
        folder = ROOT / "eval" / name
        index = ROOT / "bench" / "out" / f"{name}_index"
        if not index.is_dir():
            print(f"skipping {name}: no index at {index} (build it: python -m assistant build "
                  f"--docs {folder / 'docs'} --index {index})", flush=True)
            continue
        bot = Assistant.load(str(folder / "docs"), str(index))
        items = load_questions(folder / "qa.jsonl")
        pools[name] = [decisions(bot, item) for item in items]
        shipped = bot._reader.abstain_below
        print(f"{name}: {len(items)} questions read", flush=True)
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    with CACHE.open("wb") as f:
        pickle.dump((pools, shipped), f)
    return pools, shipped


# --seeds: the operating curve of the shipped confidence model on the project's other sets, each
# over its own collection (name: docs, index, question file, split).  Aggregates only: the
# threshold of a row is each set's own best under the cap, a ceiling, never shipped.
OTHER_SETS = {
    "seed dev (tuned on)": (None, None, "eval/seeds_qa.jsonl", "dev"),
    "seed test (held out)": (None, None, "eval/seeds_qa.jsonl", "test"),
    "fresh (held out)": (None, None, "eval/seeds_qa_fresh.jsonl", "all"),
    "tune6 (listed)": ("eval/tune6/docs", "bench/out/tune6_index", "eval/tune6/qa.jsonl", "all"),
    "tune7 (listed)": ("eval/tune7/docs", "bench/out/tune7_index", "eval/tune7/qa.jsonl", "all"),
}
OTHER_CACHE = ROOT / "bench" / "out" / "calibration_curve_sets.pkl"


def read_other_sets() -> dict:
    if OTHER_CACHE.is_file():
        with OTHER_CACHE.open("rb") as f:
            return pickle.load(f)
    out = {}
    for name, (docs, index, path, split) in OTHER_SETS.items():
        if index and not (ROOT / index).is_dir():
            print(f"skipping {name}: no index at {index}", flush=True)
            continue
        bot = Assistant.load(str(ROOT / docs), str(ROOT / index)) if docs else Assistant.load()
        out[name] = [decisions(bot, item) for item in load_questions(ROOT / path, split)]
        print(f"{name}: {len(out[name])} questions read", flush=True)
    with OTHER_CACHE.open("wb") as f:
        pickle.dump(out, f)
    return out


def operating_curve(sets: dict, shipped: float, caps=(0.05, 0.10, 0.20)) -> None:
    """Per set: its figures at the shipped threshold, at no threshold (never declining: the
    ceiling of accuracy), and at its own best threshold under each cap on wrong abstention."""
    print("| set | shipped: accuracy / abstention / wrong | never declining: accuracy | " +
          " | ".join(f"best at wrong ≤ {cap:.2f}: accuracy / abstention" for cap in caps) + " |")
    print("|---|---|---|" + "---|" * len(caps))
    for name, ds in sets.items():
        grid = sorted({b for d in ds for b in d["breaks"]})
        every = [rates(ds, t) for t in [-1.0] + [b + EPSILON for b in grid]]
        a = rates(ds, shipped)
        cells = []
        for cap in caps:
            r = max((r for r in every if r[2] <= cap + 1e-12), key=lambda r: (r[1], -r[2]))
            cells.append(f"{r[0]:.3f} / {r[1]:.3f}")
        print(f"| {name} | {a[0]:.3f} / {a[1]:.3f} / {a[2]:.3f} | {rates(ds, -1.0)[0]:.3f} | " + " | ".join(cells) + " |")


def rates(ds: list[dict], t: float) -> np.ndarray:
    """accuracy, abstention on unanswerable, wrong abstention, right share (correct + caught over all)."""
    answerable = [outcome_at(d, t) for d in ds if d["answerable"]]
    unanswerable = [outcome_at(d, t) for d in ds if not d["answerable"]]
    correct = sum(o == "right" for o in answerable)
    caught = sum(o == "declined" for o in unanswerable)
    return np.array([correct / max(len(answerable), 1), caught / max(len(unanswerable), 1),
                     sum(o == "declined" for o in answerable) / max(len(answerable), 1),
                     (correct + caught) / max(len(ds), 1)])


def fitted_threshold(train: list[dict], max_wrong: float) -> float:
    """What `assistant calibrate` would fit on these labelled questions."""
    return choose_threshold([d["score"] for d in train if d["answerable"]],
                            [d["score"] for d in train if not d["answerable"]], max_wrong)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--k", type=int, nargs="+", default=[10, 20, 40, 80], help="labelled questions per collection")
    parser.add_argument("--draws", type=int, default=300, help="random labelled sets per pool and k")
    parser.add_argument("--max-wrong", type=float, nargs="+", default=[0.05, 0.10],
                        help="calibrate's cap on wrong abstentions")
    parser.add_argument("--seeds", action="store_true",
                        help="only the operating curve on the seed splits, the fresh set and the tuning collections")
    args = parser.parse_args()
    if args.seeds:
        from assistant.reader import ABSTAIN_BELOW

        operating_curve(read_other_sets(), ABSTAIN_BELOW)
        return 0
    pools, shipped = read_pools()
    if not pools:
        print("no pool index found")
        return 1
    rng = np.random.default_rng(0)
    n = sum(len(ds) for ds in pools.values())
    print(f"\n{len(pools)} pools, {n} questions; shipped threshold {shipped:.3f}\n")
    all_shipped = np.mean([rates(ds, shipped) for ds in pools.values()], axis=0)
    right = sum(round(rates(ds, shipped)[3] * len(ds)) for ds in pools.values())
    print(f"right at the shipped threshold: {right} of {n} (the same count as `assistant eval` on each pool)\n")
    print("| threshold | labelled questions | accuracy | abstention | wrong abstention | right share | "
          "draws better / worse than shipped (right) |")
    print("|---|---|---|---|---|---|---|")
    print(f"| shipped ({shipped:.3f}), all questions | 0 | {all_shipped[0]:.3f} | {all_shipped[1]:.3f} | "
          f"{all_shipped[2]:.3f} | {all_shipped[3]:.3f} | |")
    for max_wrong in args.max_wrong:
        for k in args.k:
            calibrated, base, better, worse = [], [], 0, 0
            for ds in pools.values():
                for _ in range(args.draws):
                    pick = rng.choice(len(ds), size=k, replace=False)
                    chosen = set(pick.tolist())
                    train = [ds[i] for i in pick]
                    test = [d for i, d in enumerate(ds) if i not in chosen]
                    t = fitted_threshold(train, max_wrong)
                    c, b = rates(test, t), rates(test, shipped)
                    calibrated.append(c)
                    base.append(b)
                    better += c[3] > b[3] + 1e-12
                    worse += c[3] < b[3] - 1e-12
            c, b = np.mean(calibrated, axis=0), np.mean(base, axis=0)
            total = len(calibrated)
            print(f"| calibrated, --max-wrong {max_wrong:.2f} | {k} | {c[0]:.3f} | {c[1]:.3f} | {c[2]:.3f} | "
                  f"{c[3]:.3f} (shipped on the same questions {b[3]:.3f}) | {better / total:.2f} / {worse / total:.2f} |",
                  flush=True)
    best = []
    for ds in pools.values():
        grid = sorted({b for d in ds for b in d["breaks"]})
        cuts = [-1.0] + [b + EPSILON for b in grid]
        best.append(max((rates(ds, t) for t in cuts), key=lambda r: r[3]))
    b = np.mean(best, axis=0)
    print(f"| best for the pool (in sample, a ceiling) | all | {b[0]:.3f} | {b[1]:.3f} | {b[2]:.3f} | {b[3]:.3f} | |")
    # The confidence model's operating curve on new collections: for each cap on wrong abstention,
    # each pool's own best threshold (most unanswerable questions declined under the cap, fitted on
    # all its questions: in sample).
    print("\n| cap on wrong abstention (each pool's own threshold, in sample) | accuracy | abstention | wrong abstention | right share |")
    print("|---|---|---|---|---|")
    for cap in (0.05, 0.10, 0.15, 0.20, 0.30):
        rows = []
        for ds in pools.values():
            grid = sorted({b for d in ds for b in d["breaks"]})
            cuts = [-1.0] + [b + EPSILON for b in grid]
            allowed = [r for r in (rates(ds, t) for t in cuts) if r[2] <= cap + 1e-12]
            rows.append(max(allowed, key=lambda r: (r[1], -r[2])))
        r = np.mean(rows, axis=0)
        print(f"| {cap:.2f} | {r[0]:.3f} | {r[1]:.3f} | {r[2]:.3f} | {r[3]:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
