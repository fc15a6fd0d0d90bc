"""Train the sentence ranker (assistant/ranker.py) and report how often it picks a gold sentence.

    python bench/train_ranker.py               # retrieval cached in bench/out, features recomputed
    python bench/train_ranker.py --recollect   # redo the retrieval too (after an index change)
    python bench/train_ranker.py --report      # only compare the shipped ranker with the weighted score

Training questions: the seed dev split (answerable) and the even-numbered CMRC 2018 questions.
Held out: the seed test split and the odd CMRC questions.  Every candidate sentence (all
sentences of the top 5 passages) is one example, labelled by whether it contains a gold answer
(CMRC normalization); questions with no such candidate are left out.  Seed questions weigh 5
(there are 128 of them against 1,610 CMRC ones).  The model is scikit-learn's
HistGradientBoostingClassifier with its default settings except early stopping, which is off
(all 100 trees; with it, a random tenth of the rows stopped it at 65 trees and the even CMRC
choice fell from 0.857 to 0.836), exported as JSON
to assistant/sentence_ranker.json; the export is checked against scikit-learn's own decision
function before it is written.
"""
from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
import zlib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from assistant import ranker  # noqa: E402
from assistant.evaluate import cmrc_normalize, load_questions  # noqa: E402
from assistant.pipeline import clean_question  # noqa: E402
from assistant.reader import Reader, question_type  # noqa: E402

QUESTIONS = ROOT / "bench" / "out" / "ranker_questions.pkl"
SEED_WEIGHT = 5.0
FOLDS = ROOT / "bench" / "out" / "ranker_folds"
N_FOLDS = 5


def fold_of(question_id: str) -> int:
    """The cross-fitting fold of a seed question (stable across runs and machines)."""
    return zlib.crc32(question_id.encode()) % N_FOLDS


def retrieve_all(bot, items: list[dict], source: str) -> list[dict]:
    out = []
    for item in items:
        question = clean_question(item["question"])
        qv = bot.retriever.query_vector(question)
        out.append({"source": source, "id": item["id"], "half": item["half"], "question": question, "answers": item["answers"],
                    "query_vector": qv, "passages": bot.retriever.retrieve(question, k=5, query_vector=qv)})
    return out


def collect() -> dict[str, list[dict]]:
    """The retrieval results of every question, per collection (slow part: query embeddings)."""
    from cmrc_bench import DATA, load_cmrc, open_index

    from assistant import Assistant

    seeds = Assistant.load(progress=False)
    items = [dict(q, half="in" if q["split"] == "dev" else "out")
             for q in load_questions(ROOT / "eval" / "seeds_qa.jsonl") if q.get("answerable", True)]
    documents, questions = load_cmrc(DATA)
    cmrc = open_index(argparse.Namespace(index=str(ROOT / "bench" / "out" / "cmrc_index"), model=None), documents)
    questions = [dict(q, half="in" if i % 2 == 0 else "out") for i, q in enumerate(questions)]
    return {"seeds": retrieve_all(seeds, items, "seeds"), "cmrc": retrieve_all(cmrc, questions, "cmrc")}


def examples(index, questions: list[dict]) -> list[dict]:
    """Per question: feature rows, labels, and which row the weighted score would choose."""
    reader = Reader(index, sentence_ranker=False)
    out = []
    for q in questions:
        kind = question_type(q["question"])
        scored, X = reader.sentence_candidates(q["question"], q["passages"], q["query_vector"], kind)
        if not scored:
            continue
        golds = [g for g in (cmrc_normalize(a) for a in q["answers"]) if g]
        y = np.array([any(g in cmrc_normalize(reader.sentence_text(s)) for g in golds) for s in scored], dtype=float)
        by_score = sorted(scored, key=lambda s: (-s.score, s.row))
        weighted = scored.index(reader.choose(by_score, kind))
        out.append({"source": q["source"], "id": q["id"], "half": q["half"], "X": X, "y": y, "weighted": weighted,
                    "rows": [s.row for s in scored]})
    return out


def export(model) -> dict:
    trees = []
    for (predictor,) in model._predictors:
        nodes = predictor.nodes
        trees.append({"value": nodes["value"].tolist(), "feature": nodes["feature_idx"].tolist(),
                      "threshold": nodes["num_threshold"].tolist(), "left": nodes["left"].tolist(),
                      "right": nodes["right"].tolist(), "leaf": nodes["is_leaf"].astype(int).tolist()})
    depth = max(int(p.nodes["depth"].max()) for (p,) in model._predictors)
    return {"features": list(ranker.FEATURES), "baseline": float(model._baseline_prediction.ravel()[0]),
            "max_depth": depth, "trees": trees,
            "trained_on": "seed dev split (answerable, weight 5) + even CMRC 2018 dev questions; bench/train_ranker.py"}


def fit(train: list[dict]):
    from sklearn.ensemble import HistGradientBoostingClassifier

    X = np.vstack([d["X"] for d in train])
    y = np.concatenate([d["y"] for d in train])
    w = np.concatenate([np.full(len(d["y"]), SEED_WEIGHT if d["source"] == "seeds" else 1.0) for d in train])
    model = HistGradientBoostingClassifier(early_stopping=False, random_state=0).fit(X, y, sample_weight=w)
    model.exported = export(model)
    check = ranker.TreeEnsemble(model.exported).decision(X)
    assert np.allclose(check, model.decision_function(X), atol=1e-9), "export differs from scikit-learn"
    return model, len(y)


def write(model, path: Path) -> None:
    path.write_text(json.dumps(model.exported, separators=(",", ":")), encoding="utf-8")


def picks(data: list[dict], model: ranker.TreeEnsemble | None) -> float:
    """How often the chosen candidate contains a gold answer (ties: the earlier row)."""
    hits = []
    for d in data:
        if model is None:
            i = d["weighted"]
        else:
            p = model.probability(d["X"])
            i = min(range(len(p)), key=lambda j: (-p[j], d["rows"][j]))
        hits.append(d["y"][i])
    return float(np.mean(hits)) if hits else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recollect", action="store_true", help="redo the retrieval of every question")
    parser.add_argument("--report", action="store_true", help="do not train; report the shipped ranker")
    args = parser.parse_args()

    if args.recollect or not QUESTIONS.exists():
        QUESTIONS.parent.mkdir(parents=True, exist_ok=True)
        QUESTIONS.write_bytes(pickle.dumps(collect()))
    questions = pickle.loads(QUESTIONS.read_bytes())

    from assistant.index import load_index

    started = time.perf_counter()
    data = examples(load_index(ROOT / "embeddings"), questions["seeds"]) + \
        examples(load_index(ROOT / "bench" / "out" / "cmrc_index"), questions["cmrc"])
    print(f"features of {len(data)} questions in {time.perf_counter() - started:.0f} s")

    def part(source, half):
        return [d for d in data if d["source"] == source and d["half"] == half]

    if not args.report:
        tuning = [d for d in part("seeds", "in") + part("cmrc", "in") if d["y"].any()]
        started = time.perf_counter()
        model, rows = fit(tuning)
        write(model, ranker.MODEL_PATH)
        print(f"trained on {len(tuning)} questions, {rows} sentences ({model.n_iter_} trees) in "
              f"{time.perf_counter() - started:.0f} s; wrote {ranker.MODEL_PATH.relative_to(ROOT)} "
              f"({ranker.MODEL_PATH.stat().st_size // 1024} KiB)")
        ranker.load_ranker.cache_clear()
        # Cross-fitting for bench/calibrate_reader.py: the abstention model reads the ranker's
        # probability, which is optimistic on the questions the ranker was trained on; fold k
        # leaves out the seed dev questions of fold k, and the calibrator reads each dev question
        # with the model that did not see it.
        FOLDS.mkdir(parents=True, exist_ok=True)
        for k in range(N_FOLDS):
            model, _ = fit([d for d in tuning if d["source"] != "seeds" or fold_of(d["id"]) != k])
            write(model, FOLDS / f"fold{k}.json")
        print(f"wrote {N_FOLDS} cross-fitting models to {FOLDS.relative_to(ROOT)}")

    shipped = ranker.load_ranker()
    print("\n| sentence choice | seeds dev | CMRC even | seeds test | CMRC odd |")
    print("|---|---|---|---|---|")
    for label, model in (("weighted score (W_* in reader.py)", None), ("sentence ranker", shipped)):
        cells = [picks(part(s, h), model) for s, h in (("seeds", "in"), ("cmrc", "in"), ("seeds", "out"), ("cmrc", "out"))]
        print(f"| {label} | " + " | ".join(f"{c:.3f}" for c in cells) + " |")
    reachable = [float(np.mean([d["y"].any() for d in part(s, h)])) for s, h in
                 (("seeds", "in"), ("cmrc", "in"), ("seeds", "out"), ("cmrc", "out"))]
    print("| a gold sentence among the candidates | " + " | ".join(f"{c:.3f}" for c in reachable) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
