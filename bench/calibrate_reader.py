"""Fit the reader's abstention model on the dev split of the seed evaluation set.

    python bench/calibrate_reader.py            # prints weights, bias and threshold to paste in reader.py
    python bench/calibrate_reader.py --with-tune   # the tuning collections' questions join dev's

A logistic regression (numpy, L2-regularized) separates answerable from unanswerable dev
questions using the FEATURES of Reader.evidence(); the threshold abstains on the most
unanswerable dev questions while keeping wrong abstentions on answerable ones at or under 5%
(and, among such, the fewest wrong abstentions), and declining no more than 5% of the even
CMRC 2018 questions either (tuning data, all answerable; read over the index that
bench/cmrc_bench.py builds, skipped with a note when it is missing, or with --no-guard).  The
test split is not looked at.

The guard (2026-11-25): once the asked-unit fix below let the dev tail move, the threshold
fitted on 128 answerable dev questions alone rose 0.446 -> 0.527 and declined 8.3% of the even
CMRC questions (F1 of that half 73.9 -> 71.3).  The held-out figures were printed at 0.527
before the guard was written, and all fell (seed test wrong abstention 0.079 -> 0.087, fresh
set 0.094 -> 0.141, odd CMRC F1 61.8 -> 61.0), so the guard's choice is not blind to them;
BENCHMARKS.md says so.  The dev split grew later that day to 173 answerable and 57
unanswerable questions (eval/README.md), 14 of them off-topic: fitted on near-misses alone the
model trusted word coverage less and answered 月球的质量是多少.

FEATURES was chosen on dev, by the dev abstention rate at the 5% cap: with the sentence
weights of 2026-11-24 (bench/tune_reader.py), coverage of the question's words in the passage,
key terms (years, numbers, titles) missing from it, the asked unit missing from the sentence
and the asked role missing from it gave 0.64 on the 28 dev unanswerable questions (0.75 once
measures asked by name counted as units); adding any of the other evidence features gave no more.  All of them together give less (the likelihood fit
spends itself on the easy cases).  With the sentence ranker (2026-11-24, later), its probability
for the chosen sentence ("sentence_score") was added: dev abstention 0.786 at 0.031 wrong
abstentions, against 0.750 at 0.023 without it (final ranker, cross-fitted; with the first
ranker 0.714 at 0.008 against 0.714 at 0.039).  Each dev question is
read with a ranker trained without it (bench/train_ranker.py writes the fold models), because
the shipped ranker has seen the answerable dev questions and is over-confident on them.
"entity_missing" (a proper name of the question not in the passage) and "head_missing" (the
noun asked about not in the sentence) were tried: 0.821 each alone, 0.857 together at 0.047
wrong abstentions on dev, but they abstain on paraphrased answerable questions: on the even
CMRC half (tuning data, all answerable) F1 fell 61.2 -> 60.4 and containment 0.816 -> 0.803,
so they are not used.  (The held-out figures were also printed, and agreed: seed test accuracy
0.787 -> 0.772, wrong abstention 0.079 -> 0.110, abstention 0.714 -> 0.750.)
"conflict" (2026-11-25, reader.qualifier_conflict: the chosen sentence names another phase,
quarter, half-year, year, Nth session or place of the same level than the one asked, and not
the asked one) came from reading the dev unanswerable questions that were answered (一期 asked,
二期 said; 黑龙江省 asked, 吉林省 said).  It fires on 3 of 28 dev unanswerable questions and on
none of the 128 answerable ones, and on 1 of 1,536 answered even CMRC questions (a sentence
without the gold); dev abstention 0.750 -> 0.786, wrong abstention 0.047 -> 0.039.  With the
fix of the asked unit (多少个人参产品 asks for 个, not 人) the one answerable dev question it
declined no longer holds the threshold down: 0.857 at 0.047 wrong abstentions, threshold
0.446 -> 0.527.
"subject_unknown" (2026-11-25, evening: the question's first noun is in no document) was added
when the refit on the 295 dev questions (65 new, mostly near-misses) answered 月球的质量是多少
again (confidence 0.455 at a threshold of 0.444; a test of the web chat failed): dev abstention
0.720 -> 0.683 at the same 0.047 wrong abstentions, even CMRC declined 4.5% -> 2.2%, and the
off-topic questions are declined with a margin (月球: 0.25 against 0.401).
"subset_missing" (2026-12-06, twenty-second session: the question asks about a part of a whole,
558名高素质农民中，有多少人是种黑木耳的, and the sentence names none of the part's words) was added
by the abstention rule, out of fold over the 493 dev questions (`python bench/feature_transfer.py
--oof-add subset_missing`): 107 -> 112 of 131 caught at 0.050 wrong abstentions.
"item_of_total" (2026-12-06, twenty-third session: a quantity asked of one item of an enumeration
that the sentence gives one figure for, 海棠、京梅、造型松、金达莱花等各类乔灌木8000余株 asked
金达莱花) by the same rule (112 -> 114 caught, wrong abstentions 0.050 -> 0.044), then on the
judging pool (`python bench/judge_pool.py --variant ...`: right 75 -> 75, one more wrong abstention).
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import encoder_halves  # noqa: E402

from assistant import Assistant  # noqa: E402
from assistant.evaluate import choose_threshold, load_questions  # noqa: E402
from assistant.reader import Reader, question_type  # noqa: E402


FEATURES = ["passage_coverage", "missing_key_terms", "unit_missing", "role_missing", "sentence_score", "conflict",
            "subject_unknown", "subset_missing", "item_of_total"]


def features(bot, items, names):
    """Evidence rows of the dev questions, each read with the cross-fitting ranker that was
    trained without it (bench/train_ranker.py writes them), when those exist."""
    from train_ranker import FOLDS, N_FOLDS, fold_of

    from assistant.ranker import load_ranker

    folds = [load_ranker(str(FOLDS / f"fold{k}.json")) for k in range(N_FOLDS)] if FOLDS.exists() else []
    if folds and any(f is None for f in folds):
        raise SystemExit(f"unreadable cross-fitting models in {FOLDS}: run python bench/train_ranker.py")
    if not folds:
        print(f"note: no cross-fitting models in {FOLDS}; the shipped ranker reads every dev question")
    # Each dev question is also read by a reader model tuned without it (encoder_halves.py).
    readings = encoder_halves.Readings(bot.index, "seeds", bot.reader_encoder)
    readers = {}
    rows, labels = [], []
    for item in items:
        index, fold = readings.index(item["id"]), fold_of(item["id"]) % max(1, len(folds))
        if (id(index), fold) not in readers:
            readers[id(index), fold] = Reader(index, sentence_ranker=folds[fold]) if folds else Reader(index)
        ev = evidence_of(bot, readers[id(index), fold], item["question"], readings.encoder(item["id"]))
        if ev is not None:
            rows.append(ev)
            labels.append(1.0 if item.get("answerable", True) else 0.0)
    return names, np.array([[r[n] for n in names] for r in rows]), np.array(labels)


def tune_features(bot, names):
    """Evidence rows of the tuning collections' questions (eval/tune6 and eval/tune7, all of
    them), each read over its own index by the shipped reader model (never tuned on them) and,
    like the dev questions, by the cross-fitting sentence ranker of their fold
    (bench/train_ranker.py --with-tune trains the rankers on them)."""
    from train_ranker import FOLDS, N_FOLDS, TUNE_COLLECTIONS, fold_of, tune_paths

    from assistant.ranker import load_ranker

    folds = [load_ranker(str(FOLDS / f"fold{k}.json")) for k in range(N_FOLDS)]
    if any(f is None for f in folds):
        raise SystemExit(f"unreadable cross-fitting models in {FOLDS}: run python bench/train_ranker.py")
    rows, labels = [], []
    for name in TUNE_COLLECTIONS:
        docs, index, questions = tune_paths(name)
        tune = Assistant.load(docs=str(docs), index=str(index), progress=False, encoder=bot.encoder)
        readers = {k: Reader(tune.index, sentence_ranker=folds[k]) for k in range(N_FOLDS)}
        for item in load_questions(questions):
            ev = evidence_of(tune, readers[fold_of(item["id"])], item["question"], tune.reader_encoder)
            if ev is not None:
                rows.append(ev)
                labels.append(1.0 if item.get("answerable", True) else 0.0)
    return np.array([[r[n] for n in names] for r in rows]), np.array(labels)


def evidence_of(bot, reader, question: str, reader_encoder) -> dict | None:
    """Reader.evidence() for the sentence ``reader`` chooses among the top 5 passages (the
    question embedded by ``reader_encoder`` for it); None when they have no sentence."""
    got = evidence_and_sentence(bot, reader, question, reader_encoder)
    return got[0] if got else None


def evidence_and_sentence(bot, reader, question: str, reader_encoder) -> tuple[dict, str] | None:
    """evidence_of, with the chosen sentence's text (bench/abstention_probe.py reads it)."""
    query_vector = bot.retriever.query_vector(question)
    qv = reader_encoder.encode_queries([question])[0]
    passages = bot.retriever.retrieve(question, k=5, query_vector=query_vector)
    kind = question_type(question)
    scored = reader.score_sentences(question, passages, qv, kind)
    if not scored:
        return None
    best = reader.choose(scored, kind)
    return reader.evidence(question, passages, best), reader.sentence_text(best)


CMRC_INDEX = ROOT / "bench" / "out" / "cmrc_index"


def guard_features(names):
    """Evidence rows of the even-numbered CMRC 2018 questions (tuning data, all answerable),
    read over the CMRC index that bench/cmrc_bench.py builds; None when it is not there."""
    import argparse

    import cmrc_bench

    if not (CMRC_INDEX / "CURRENT").is_file():
        print(f"note: no CMRC index in {CMRC_INDEX} (python bench/cmrc_bench.py builds it); "
              "the threshold is not guarded")
        return None
    documents, questions = cmrc_bench.load_cmrc(cmrc_bench.DATA)
    bot = cmrc_bench.open_index(argparse.Namespace(index=str(CMRC_INDEX), model=None), documents)
    readings = encoder_halves.Readings(bot.index, "cmrc", bot.reader_encoder)
    readers = {}
    for q in questions[::2]:
        index = readings.index(q["id"])
        if id(index) not in readers:
            readers[id(index)] = Reader(index)
    evidence = (evidence_of(bot, readers[id(readings.index(q["id"]))], q["question"], readings.encoder(q["id"]))
                for q in questions[::2])
    return np.array([[ev[n] for n in names] for ev in evidence if ev is not None])


def fit_logistic(x, y, l2=0.01, steps=20000, lr=1.0):
    w, b = np.zeros(x.shape[1]), 0.0
    weight = np.where(y == 1, 0.5 / y.mean(), 0.5 / (1 - y.mean()))      # balance the classes
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(x @ w + b)))
        g = (p - y) * weight
        w -= lr * (x.T @ g / len(y) + l2 * w)
        b -= lr * g.mean()
    return w, b


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--features", default=",".join(FEATURES), help="evidence features to use (comma-separated)")
    parser.add_argument("--no-guard", action="store_true",
                        help="fit the threshold on the seed dev split alone, without the even CMRC questions")
    parser.add_argument("--with-tune", action="store_true",
                        help="fit on the tuning collections' questions (eval/tune6, eval/tune7) too, beside the seed dev split")
    parser.add_argument("--threshold-on-dev", action="store_true",
                        help="with --with-tune: choose the threshold on the seed dev rows alone (the weights on all)")
    args = parser.parse_args()
    bot = Assistant.load(progress=False)
    items = load_questions(ROOT / "eval" / "seeds_qa.jsonl", "dev")
    names, x, y = features(bot, items, args.features.split(","))
    n_dev = len(y)                  # the dev rows come first
    if args.with_tune:
        tx, ty = tune_features(bot, names)
        print(f"with the tuning collections: {int(ty.sum())} answerable, {int(len(ty) - ty.sum())} unanswerable")
        x, y = np.vstack([x, tx]), np.concatenate([y, ty])
    w, b = fit_logistic(x, y)
    p = 1 / (1 + np.exp(-(x @ w + b)))
    # The threshold: the most unanswerable dev questions caught with <= 5% wrong abstentions
    # (evaluate.choose_threshold, which `assistant calibrate` also uses per collection).
    # Guarded by the even CMRC questions: no more than 5% of them declined either.
    guard = None if args.no_guard else guard_features(names)
    guard_p = None if guard is None else 1 / (1 + np.exp(-(guard @ w + b)))
    # --threshold-on-dev: the weights read every row, the threshold the dev rows alone.
    cut_p, cut_y = (p[:n_dev], y[:n_dev]) if args.threshold_on_dev else (p, y)
    threshold = choose_threshold(cut_p[cut_y == 1].tolist(), cut_p[cut_y == 0].tolist(), 0.05,
                                 guard=None if guard_p is None else guard_p.tolist())
    print("CONFIDENCE_WEIGHTS = {")
    print("    " + ", ".join(f'"{n}": {v:.3f}' for n, v in zip(names, w)) + ",\n}")
    print(f"CONFIDENCE_BIAS = {b:.3f}")
    print(f"ABSTAIN_BELOW = {threshold:.3f}")
    for label, part in (("dev", slice(0, n_dev)), ("tuning collections", slice(n_dev, None))):
        pp, yy = p[part], y[part]
        if len(yy):
            print(f"{label}: abstention on unanswerable {np.mean(pp[yy == 0] < threshold):.3f}, "
                  f"wrong abstention {np.mean(pp[yy == 1] < threshold):.3f}")
    if guard_p is not None:
        print(f"even CMRC questions declined: {np.mean(guard_p < threshold):.3f} of {len(guard_p)}")
    for n in names:
        col = x[:, names.index(n)]
        print(f"  {n:18s} answerable mean {col[y == 1].mean():.3f}  unanswerable mean {col[y == 0].mean():.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
