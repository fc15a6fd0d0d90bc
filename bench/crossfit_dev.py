"""Answer the seed dev questions as if they were unseen: each one is read by rankers trained
without it (5-fold cross-fitting), so the error table is an honest proxy of the test split that
may be read and tuned on.

    python bench/crossfit_dev.py            # table by type and the list of failures
    python bench/crossfit_dev.py --json F   # also write every question's answer to F
    python bench/crossfit_dev.py --save-spans    # ... and keep the fold span rankers fitted here
    python bench/crossfit_dev.py --fixed-spans   # read a changed code with those same rankers

The shipped rankers have seen every answerable dev question, so `python bench/retrieval_bench.py`
reports the dev split at 0.94 while the test split is at 0.80: the dev failures it lists are
the few the rankers could not fit, not the ones a new question meets.  Here fold k's sentence
ranker is bench/out/ranker_folds/fold{k}.json (written by `python bench/train_ranker.py`) and
fold k's span ranker is fitted here on the same tuning questions less the seed dev questions of
fold k (LambdaRank is quick), and reads the scores of fold k's span head
(bench/out/span_head_folds/, bench/train_span_head.py).  The reader's tuned encoder is cross-fitted too: each question
is embedded, and its candidate sentences read, with the half model tuned without it
(bench/encoder_halves.py).  The abstention model stays as shipped: it was itself fitted on
cross-fitted sentence scores (bench/calibrate_reader.py), with the weights of CONFIDENCE_WEIGHTS.

A refit alone moves a few questions (the fold span rankers are fitted on the features of the
code as it is, and a code change moves them), so a change is judged with --fixed-spans: the
fold span rankers saved by --save-spans on the code before it, the shipped rankers for CMRC
(BENCHMARKS.md section 3, eleventh session).
"""
from __future__ import annotations

import argparse
import json
import pickle
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import encoder_halves  # noqa: E402

from assistant import Assistant, ranker  # noqa: E402
from assistant.evaluate import answer_correct, load_questions  # noqa: E402
from assistant.pipeline import clean_question  # noqa: E402
from assistant.reader import Reader  # noqa: E402


SPAN_FOLDS = ROOT / "bench" / "out" / "ranker_folds"


def fold_readers(bot, readings, items, spans: str = "refit") -> list[dict[int, Reader]]:
    """The five fold readers.  ``spans``: "refit" fits the fold span rankers on the current
    code's features; "save" does so and writes them beside the sentence folds
    (span_fold{k}.json); "fixed" reads the ones written before, so that a change of the code is
    judged by the same rankers as the code before it (a refit alone moves a few questions).
    Each fold's readers are keyed by the index (view) they read: ``readings`` (encoder_halves)
    gives each dev question the half model that did not see it, and its sentence vectors."""
    import train_ranker as tr
    import train_span_head

    from assistant.index import load_index

    if not tr.FOLDS.exists() or not tr.QUESTIONS.exists():
        raise SystemExit("run python bench/train_ranker.py first (it writes the fold models and the question cache)")
    questions = pickle.loads(tr.QUESTIONS.read_bytes())
    if tr.USE_POOLS and not any(q["half"] == "pool" for q in questions["seeds"]):
        raise SystemExit("the question cache holds no pool questions: run python bench/train_ranker.py --with-pools first")
    spans_of = []
    if spans != "fixed":
        indexes = {"seeds": load_index(ROOT / "embeddings"), "cmrc": load_index(ROOT / "bench" / "out" / "cmrc_index")}
        spans_of = [d for d in encoder_halves.grouped_examples(tr.span_examples, indexes, questions) if tr.teaching(d)]
    readers = []
    for k in range(tr.N_FOLDS):
        sentence_model = ranker.load_ranker(str(tr.FOLDS / f"fold{k}.json"))
        path = SPAN_FOLDS / f"span_fold{k}.json"
        if spans == "fixed":
            if not path.exists():
                raise SystemExit(f"{path.relative_to(ROOT)} is missing: run python bench/crossfit_dev.py --save-spans first")
            model = json.loads(path.read_text(encoding="utf-8"))
        else:
            model, _ = tr.fit_span_ranker([d for d in spans_of if not tr.left_out_of_fold(d, k)])
            if spans == "save":
                path.write_text(json.dumps(model), encoding="utf-8")
        span_model = ranker.TreeEnsemble(model, ranker.span_feature_names())
        readers.append({id(index): Reader(index, sentence_ranker=sentence_model, span_ranker=span_model,
                                          span_head=train_span_head.fold_head(k))
                        for index in {id(readings.index(q["id"])): readings.index(q["id"]) for q in items}.values()})
    return readers


def main() -> int:
    import train_ranker as tr

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="write every question's answer here")
    parser.add_argument("--draw", type=int, default=0,
                        help="fit the fold span rankers on this draw of bootstrap samples (as train_ranker.py --draw)")
    parser.add_argument("--with-pools", action="store_true",
                        help="fit the fold span rankers with the listed judging pools too (as train_ranker.py --with-pools)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--save-spans", action="store_true",
                       help="write the fold span rankers fitted here (bench/out/ranker_folds/span_fold*.json)")
    group.add_argument("--fixed-spans", action="store_true",
                       help="read the fold span rankers written by --save-spans instead of fitting them")
    args = parser.parse_args()
    tr.DRAW, tr.USE_POOLS = args.draw, args.with_pools
    bot = Assistant.load(progress=False)
    items = load_questions(ROOT / "eval" / "seeds_qa.jsonl", "dev")
    readings = encoder_halves.Readings(bot.index, "seeds", bot.reader_encoder)
    readers = fold_readers(bot, readings, items, "save" if args.save_spans else "fixed" if args.fixed_spans else "refit")
    rows, by_type = [], Counter()
    for item in items:
        reader = readers[tr.fold_of(item["id"])][id(readings.index(item["id"]))]
        question = clean_question(item["question"])
        passages = bot.retriever.retrieve(question, k=5)
        answer = reader.read(question, passages, readings.encoder(item["id"]).encode_queries([question])[0])
        answerable = item.get("answerable", True)
        ok = answer_correct(answer, item) if answerable else not answer.found
        kind = item.get("type", "?") if answerable else "unanswerable"
        by_type[kind, ok] += 1
        rows.append({"id": item["id"], "type": kind, "ok": ok, "question": item["question"],
                     "gold": item["answers"][0] if answerable else "", "found": answer.found,
                     "text": answer.text, "sentence": answer.sentence, "score": answer.score})
    answerable = [r for r in rows if r["type"] != "unanswerable"]
    unanswerable = [r for r in rows if r["type"] == "unanswerable"]
    print(f"seed dev, cross-fitted: accuracy {sum(r['ok'] for r in answerable) / len(answerable):.3f} "
          f"({len(answerable)}), abstention {sum(r['ok'] for r in unanswerable) / len(unanswerable):.3f} "
          f"({len(unanswerable)}), wrong abstention {sum(not r['found'] for r in answerable) / len(answerable):.3f}")
    print("\n| type | correct | n | declined |\n|---|---|---|---|")
    for kind in sorted({r["type"] for r in answerable}):
        group = [r for r in answerable if r["type"] == kind]
        print(f"| {kind} | {sum(r['ok'] for r in group)} | {len(group)} | {sum(not r['found'] for r in group)} |")
    print("\nfailures:")
    for r in rows:
        if not r["ok"]:
            got = r["text"] if r["found"] else "(declined)"
            print(f"{r['id']} [{r['type']}] {r['question']} | gold {r['gold']} | got {got} | {r['score']:.3f} | {r['sentence'][:60]}")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
