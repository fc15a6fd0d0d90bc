"""Does the span head's reading of the chosen sentence tell when the documents lack the answer?

    python bench/abstention_probe.py        # about 10 minutes on 2 cores

The rule (BENCHMARKS.md section 3, sixteenth session, committed before the first run): the
abstention model (calibrate_reader.py: its seven features, its logistic fit, its threshold rule)
is fitted out of fold on the seed dev split (5 folds, train_ranker.fold_of), with and without one
candidate feature read from the span head's token states of the (question, chosen sentence) pair,
the pass ``ask`` already makes for the span:

- ``span_peak``: the head's best start log-probability plus its best end log-probability (a flat
  softmax: no place of the sentence looks like the answer);
- ``answerability``: a logistic probe on the mean of the sentence tokens' states (and
  ``answerability_max``, on the mean and the maximum, since the twentieth session), fitted on the
  tuning questions' chosen sentences that hold a gold answer (positive) against the tuning
  questions' best-ranked sentences without one and the seed dev unanswerable questions' chosen
  sentences (negative).

Every feature of a dev question is read by models that did not see it: its fold's sentence
ranker and span head, the half reader model that was not tuned on it (as calibrate_reader.py
does), and the probe fitted without its fold.  The out-of-fold confidences are pooled and one
threshold is chosen on them by evaluate.choose_threshold (wrong abstention at most 5%, and at
most 5% of the even CMRC questions declined: their confidences are the five fold models'
average).  A candidate is kept if the abstention on the 102 unanswerable dev questions rises by
at least 2 questions.
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

import calibrate_reader as C  # noqa: E402
import encoder_halves  # noqa: E402
import train_ranker as T  # noqa: E402
import train_span_head as H  # noqa: E402

from assistant import Assistant  # noqa: E402
from assistant.evaluate import choose_threshold, cmrc_normalize, load_questions  # noqa: E402
from assistant.reader import Reader, question_type  # noqa: E402


def dev_rows(bot) -> list[dict]:
    """The seed dev questions, as calibrate_reader.features reads them, with their sentence."""
    from assistant.ranker import load_ranker

    folds = [load_ranker(str(T.FOLDS / f"fold{k}.json")) for k in range(T.N_FOLDS)]
    readings = encoder_halves.Readings(bot.index, "seeds", bot.reader_encoder)
    readers, rows = {}, []
    for item in load_questions(ROOT / "eval" / "seeds_qa.jsonl", "dev"):
        index, fold = readings.index(item["id"]), T.fold_of(item["id"])
        if (id(index), fold) not in readers:
            readers[id(index), fold] = Reader(index, sentence_ranker=folds[fold])
        got = C.evidence_and_sentence(bot, readers[id(index), fold], item["question"], readings.encoder(item["id"]))
        if got is not None:
            rows.append({"id": item["id"], "fold": fold, "question": item["question"], "evidence": got[0],
                         "sentence": got[1], "y": 1.0 if item.get("answerable", True) else 0.0})
    return rows


def guard_rows() -> list[dict]:
    """The even CMRC questions (tuning data, all answerable), as calibrate_reader.guard_features
    reads them."""
    import cmrc_bench

    documents, questions = cmrc_bench.load_cmrc(cmrc_bench.DATA)
    bot = cmrc_bench.open_index(argparse.Namespace(index=str(C.CMRC_INDEX), model=None), documents)
    readings = encoder_halves.Readings(bot.index, "cmrc", bot.reader_encoder)
    readers, rows = {}, []
    for q in questions[::2]:
        index = readings.index(q["id"])
        if id(index) not in readers:
            readers[id(index)] = Reader(index)
        got = C.evidence_and_sentence(bot, readers[id(index)], q["question"], readings.encoder(q["id"]))
        if got is not None:
            rows.append({"id": q["id"], "fold": T.fold_of(q["id"]), "question": q["question"], "evidence": got[0],
                         "sentence": got[1], "y": 1.0})
    return rows


def pairs(index, questions: list[dict]) -> list[dict]:
    """The probe's examples from the tuning questions: the chosen sentence when it holds a gold
    answer (1), and the best-scored sentence that holds none (0)."""
    reader = Reader(index, span_ranker=False)
    out = []
    for q in questions:
        if q["half"] != "in":
            continue
        kind = question_type(q["question"])
        scored = reader.score_sentences(q["question"], q["passages"], q["reader_vector"], kind)
        if not scored:
            continue
        golds = [g for g in (cmrc_normalize(a) for a in q["answers"]) if g]
        holds = lambda s: any(g in cmrc_normalize(reader.sentence_text(s)) for g in golds)  # noqa: E731
        best = reader.choose(scored, kind)
        if holds(best):
            out.append({"id": q["id"], "question": q["question"], "sentence": reader.sentence_text(best), "y": 1.0})
        wrong = next((s for s in scored if not holds(s)), None)
        if wrong is not None:
            out.append({"id": q["id"], "question": q["question"], "sentence": reader.sentence_text(wrong), "y": 0.0})
    return out


def read_states(rows: list[dict], label: str) -> None:
    """Each row's sentence tokens' states (the head's two layers) and its fold head's peak."""
    started = time.perf_counter()
    for i, d in enumerate(rows):
        head = H.fold_head(T.fold_of(d["id"]))
        states, _ = head.token_states(d["question"], d["sentence"])
        zeros = np.zeros(head.weight.shape[0], np.float32)
        d["pooled"] = states.mean(axis=0) if len(states) else zeros
        d["pooled_max"] = np.concatenate([d["pooled"], states.max(axis=0) if len(states) else zeros])
        if len(states):
            start, end = head.log_probabilities(states)
            d["span_peak"] = float(start.max() + end.max())
        else:
            d["span_peak"] = -20.0
        if i % 1000 == 0:
            print(f"  {label}: states {i + 1} / {len(rows)} in {time.perf_counter() - started:.0f} s", flush=True)


def fit_probe(train: list[dict], pooling: str = "pooled"):
    from sklearn.linear_model import LogisticRegression

    x = np.stack([d[pooling] for d in train])
    y = np.array([d["y"] for d in train])
    return LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced").fit(x, y)


def oof_abstention(dev: list[dict], guard: list[dict], names: list[str]) -> tuple[float, float, float, float]:
    """Out-of-fold abstention, wrong abstention, guard declines and threshold (see the docstring)."""
    x = np.array([[d["evidence"][n] if n in d["evidence"] else d[n] for n in names] for d in dev])
    g = np.array([[d["evidence"][n] if n in d["evidence"] else d[n] for n in names] for d in guard])
    y = np.array([d["y"] for d in dev])
    folds = np.array([d["fold"] for d in dev])
    p, gp = np.zeros(len(dev)), np.zeros(len(guard))
    for k in range(T.N_FOLDS):
        w, b = C.fit_logistic(x[folds != k], y[folds != k])
        p[folds == k] = 1 / (1 + np.exp(-(x[folds == k] @ w + b)))
        gp += 1 / (1 + np.exp(-(g @ w + b))) / T.N_FOLDS
    cut = choose_threshold(p[y == 1].tolist(), p[y == 0].tolist(), 0.05, guard=gp.tolist())
    return float(np.mean(p[y == 0] < cut)), float(np.mean(p[y == 1] < cut)), float(np.mean(gp < cut)), cut


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", default=str(ROOT / "bench" / "out" / "abstention_probe.pkl"),
                        help="the rows read (reused when present)")
    args = parser.parse_args()
    cache = Path(args.cache)
    if cache.exists():
        dev, guard, train = pickle.loads(cache.read_bytes())
    else:
        started = time.perf_counter()
        bot = Assistant.load(progress=False)
        dev = dev_rows(bot)
        print(f"{len(dev)} dev questions read in {time.perf_counter() - started:.0f} s", flush=True)
        guard = guard_rows()
        print(f"{len(guard)} even CMRC questions read in {time.perf_counter() - started:.0f} s", flush=True)
        from assistant.index import load_index

        questions = pickle.loads(T.QUESTIONS.read_bytes())
        indexes = {"seeds": load_index(ROOT / "embeddings"), "cmrc": load_index(ROOT / "bench" / "out" / "cmrc_index")}
        train = encoder_halves.grouped_examples(pairs, indexes, questions)
        print(f"{len(train)} probe examples from the tuning questions in {time.perf_counter() - started:.0f} s",
              flush=True)
        for rows, label in ((dev, "dev"), (guard, "guard"), (train, "probe examples")):
            read_states(rows, label)
        cache.write_bytes(pickle.dumps((dev, guard, train)))
    # The probe of fold k: fitted on the examples and the unanswerable dev questions of the other folds.
    unanswerable = [dict(d) for d in dev if d["y"] == 0]
    for name, pooling in (("answerability", "pooled"), ("answerability_max", "pooled_max")):
        probes = [fit_probe([d for d in train + unanswerable if T.fold_of(d["id"]) != k], pooling)
                  for k in range(T.N_FOLDS)]
        for d in dev + guard:
            d[name] = float(probes[T.fold_of(d["id"])].decision_function(d[pooling][None])[0])
    from sklearn.metrics import roc_auc_score

    y = np.array([d["y"] for d in dev])
    for n in ("sentence_score", "span_peak", "answerability", "answerability_max"):
        col = np.array([d["evidence"].get(n, d.get(n)) for d in dev])
        even = np.mean([d["evidence"].get(n, d.get(n)) for d in guard])
        print(f"  {n:17s} answerable mean {col[y == 1].mean():.3f}  unanswerable mean {col[y == 0].mean():.3f}"
              f"  (even CMRC {even:.3f}), ROC AUC {roc_auc_score(y, col):.3f}")
    print(f"\n{int(y.sum())} answerable and {int((1 - y).sum())} unanswerable dev questions, out of fold\n")
    print("| features | abstention | caught | wrong abstention | even CMRC declined | threshold |\n|---|---|---|---|---|---|")
    results = {}
    for label, names in (("the shipped features", C.FEATURES), ("+ span_peak", C.FEATURES + ["span_peak"]),
                         ("+ answerability", C.FEATURES + ["answerability"]),
                         ("+ answerability_max", C.FEATURES + ["answerability_max"])):
        abst, wrong, declined, cut = oof_abstention(dev, guard, names)
        results[label] = abst
        print(f"| {label} | {abst:.3f} | {round(abst * (1 - y).sum())} | {wrong:.3f} | {declined:.3f} | {cut:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
