"""Do near misses made from answerable questions teach the abstention model more?

    python bench/pair_rerank_cv.py          # first: its fold sentence rankers (bench/out/pair_rerank)
    python bench/masked_negatives_cv.py     # about 3 minutes on 2 cores (--recollect after a change)

An answerable question becomes a near miss when the sentences that give its answer are taken
away: the reader then chooses among the other sentences of the passages (the subset's figure,
the neighbouring year, the other measure), as it does for a question the documents do not
answer.  Every tuning question (the seed dev split, the even CMRC questions) is read by models
that did not see it (the fold sentence rankers of pair_rerank_cv.py, which leave out one fold of
train_ranker.fold_of in both collections, and the half reader models of encoder_halves.py): once
as it is, and once more with every candidate sentence that holds a gold answer removed (the
ranker's features computed without them, the passage's text without them for the coverage).

Three abstention models, each fitted out of fold and thresholded by the shipped rule
(evaluate.choose_threshold on the pooled out-of-fold dev confidences, with the even CMRC
questions as the guard): (0) the shipped procedure, calibrate_reader's logistic on its seven
features over the dev questions alone; (A) the same logistic over the dev questions, the masked
examples and the even CMRC questions; (B) a gradient-boosted classifier on every evidence feature
over the same examples.  The rule that judges them is in BENCHMARKS.md section 3 (twenty-first
session).
"""
from __future__ import annotations

import argparse
import os
import pickle
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

os.environ.setdefault("ASSISTANT_RUNTIME", "torch")     # no graphs written into the user's model cache

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import calibrate_reader as C  # noqa: E402
import encoder_halves  # noqa: E402
import pair_rerank_cv as PR  # noqa: E402
import train_ranker as T  # noqa: E402

from assistant import ranker  # noqa: E402
from assistant.evaluate import choose_threshold, cmrc_normalize, load_questions  # noqa: E402
from assistant.pipeline import clean_question  # noqa: E402
from assistant.reader import Reader, question_type  # noqa: E402

ROWS = ROOT / "bench" / "out" / "masked_negatives.pkl"


def masked_scores(reader: Reader, question: str, passages, vector, kind: str, drop: set[int]):
    """reader.score_sentences without the sentence rows ``drop``: the ranker's features (some are
    relative to the best candidate) are computed over the remaining sentences only."""
    original = ranker.sentence_features

    def without(question, kind, scored, *lists):
        keep = [i for i, s in enumerate(scored) if s.row not in drop]
        scored[:] = [scored[i] for i in keep]        # the list sentence_candidates returns
        return original(question, kind, scored, *[[column[i] for i in keep] for column in lists])

    ranker.sentence_features = without
    try:
        return reader.score_sentences(question, passages, vector, kind)
    finally:
        ranker.sentence_features = original


def squeeze(text: str) -> str:
    return "".join(text.split())


def read(bot, reader: Reader, encoder, question: str, answers: list[str]) -> tuple[dict | None, dict | None]:
    """The evidence of the chosen sentence, and (answerable questions with a gold sentence among
    the candidates) the evidence of the sentence chosen once the gold sentences are removed."""
    query_vector = bot.retriever.query_vector(question)
    passages = bot.retriever.retrieve(question, k=5, query_vector=query_vector)
    vector = encoder.encode_queries([question])[0]
    kind = question_type(question)
    scored = reader.score_sentences(question, passages, vector, kind)
    if not scored:
        return None, None
    plain = reader.evidence(question, passages, reader.choose(scored, kind))
    golds = [g for g in (cmrc_normalize(a) for a in answers) if g]
    drop = {s.row for s in scored if any(g in cmrc_normalize(reader.sentence_text(s)) for g in golds)}
    if not drop or len(drop) == len(scored):
        return plain, None
    rest = masked_scores(reader, question, passages, vector, kind, drop)
    removed = [squeeze(reader.row_text(r)) for r in drop]

    def strip(text: str) -> str:
        text = squeeze(text)
        for sentence in removed:
            text = text.replace(sentence, "")
        return text

    masked_passages = [replace(p, text=strip(p.text)) for p in passages]
    return plain, reader.evidence(question, masked_passages, reader.choose(rest, kind))


def collect() -> list[dict]:
    import cmrc_bench

    from assistant import Assistant

    rankers = [ranker.load_ranker(str(PR.OUT / f"rank_fold{k}.json")) for k in range(T.N_FOLDS)]
    if any(r is None for r in rankers):
        raise SystemExit(f"no fold rankers in {PR.OUT}: run python bench/pair_rerank_cv.py first")
    seeds = Assistant.load(progress=False)
    documents, questions = cmrc_bench.load_cmrc(cmrc_bench.DATA)
    cmrc = cmrc_bench.open_index(argparse.Namespace(index=str(C.CMRC_INDEX), model=None), documents)
    work = [("seeds", seeds, q["id"], q["question"], q["answers"] if q.get("answerable", True) else [],
             q.get("answerable", True)) for q in load_questions(ROOT / "eval" / "seeds_qa.jsonl", "dev")]
    work += [("cmrc", cmrc, q["id"], q["question"], q["answers"], True) for q in questions[::2]]
    readings = {"seeds": encoder_halves.Readings(seeds.index, "seeds", seeds.reader_encoder),
                "cmrc": encoder_halves.Readings(cmrc.index, "cmrc", cmrc.reader_encoder)}
    readers, rows = {}, []
    started = time.perf_counter()
    for i, (source, bot, qid, question, answers, answerable) in enumerate(work):
        index, fold = readings[source].index(qid), T.fold_of(qid)
        key = (id(index), fold)
        if key not in readers:
            readers[key] = Reader(index, sentence_ranker=rankers[fold], span_ranker=False, span_head=False)
        plain, masked = read(bot, readers[key], readings[source].encoder(qid), clean_question(question), answers)
        base = {"id": qid, "source": source, "fold": fold}
        if plain is not None:
            rows.append(dict(base, y=1.0 if answerable else 0.0, masked=False, evidence=plain))
        if masked is not None:
            rows.append(dict(base, y=0.0, masked=True, evidence=masked))
        if i % 500 == 0:
            print(f"  {i + 1} / {len(work)} questions in {time.perf_counter() - started:.0f} s", flush=True)
    return rows


def logistic(names):
    def fit(train):
        x = np.array([[d["evidence"][n] for n in names] for d in train])
        w, b = C.fit_logistic(x, np.array([d["y"] for d in train]))
        return lambda rows: 1 / (1 + np.exp(-(np.array([[d["evidence"][n] for n in names] for d in rows]) @ w + b)))
    return fit


def boosted(names):
    def fit(train):
        from sklearn.ensemble import HistGradientBoostingClassifier

        x = np.array([[d["evidence"][n] for n in names] for d in train])
        y = np.array([d["y"] for d in train])
        weight = np.where(y == 1, 0.5 / y.mean(), 0.5 / (1 - y.mean()))
        model = HistGradientBoostingClassifier(random_state=0).fit(x, y, sample_weight=weight)
        return lambda rows: model.predict_proba(np.array([[d["evidence"][n] for n in names] for d in rows]))[:, 1]
    return fit


def out_of_fold(rows: list[dict], fit, train_on) -> tuple[float, int, float, float, float]:
    """Abstention, caught, wrong abstention, even CMRC declined and threshold, out of fold."""
    dev = [d for d in rows if d["source"] == "seeds" and not d["masked"]]
    guard = [d for d in rows if d["source"] == "cmrc" and not d["masked"]]
    p = {}
    for k in range(T.N_FOLDS):
        predict = fit([d for d in rows if d["fold"] != k and train_on(d)])
        mine = [d for d in dev + guard if d["fold"] == k]
        for d, value in zip(mine, predict(mine)):
            p[d["source"], d["id"]] = float(value)
    a = [p["seeds", d["id"]] for d in dev if d["y"] == 1]
    u = [p["seeds", d["id"]] for d in dev if d["y"] == 0]
    g = [p["cmrc", d["id"]] for d in guard]
    cut = choose_threshold(a, u, 0.05, guard=g)
    return float(np.mean(np.array(u) < cut)), int(np.sum(np.array(u) < cut)), float(np.mean(np.array(a) < cut)), \
        float(np.mean(np.array(g) < cut)), cut


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recollect", action="store_true", help=f"read the questions again ({ROWS.name})")
    args = parser.parse_args()
    started = time.perf_counter()
    if ROWS.exists() and not args.recollect:
        rows = pickle.loads(ROWS.read_bytes())
    else:
        rows = collect()
        ROWS.write_bytes(pickle.dumps(rows))
    count = lambda **kw: sum(all(d[k] == v for k, v in kw.items()) for d in rows)  # noqa: E731
    print(f"\nrows: seed dev {count(source='seeds', masked=False)} ({count(source='seeds', masked=False, y=0.0)} "
          f"unanswerable), seed dev masked {count(source='seeds', masked=True)}, even CMRC "
          f"{count(source='cmrc', masked=False)}, even CMRC masked {count(source='cmrc', masked=True)}\n")
    every = sorted(rows[0]["evidence"])
    dev_only = lambda d: d["source"] == "seeds" and not d["masked"]  # noqa: E731
    print("| abstention model | abstention (102) | caught | wrong abstention (283) | even CMRC declined | threshold |")
    print("|---|---|---|---|---|---|")
    for label, fit, train_on in (
            ("(0) the shipped features, logistic, dev alone (shipped procedure)", logistic(C.FEATURES), dev_only),
            ("(A) the shipped features, logistic, dev + masked + even CMRC", logistic(C.FEATURES), lambda d: True),
            (f"(B) all {len(every)} features, boosted trees, dev + masked + even CMRC", boosted(every), lambda d: True)):
        abst, caught, wrong, declined, cut = out_of_fold(rows, fit, train_on)
        print(f"| {label} | {abst:.3f} | {caught} | {wrong:.3f} | {declined:.3f} | {cut:.3f} |")
    print(f"\n{time.perf_counter() - started:.0f} s in all")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
