"""Tune the reader's sentence-score weights on held-in questions, report the held-out ones.

    python bench/tune_reader.py            # collects features (cached in bench/out), grid search

Tuning set: the even-numbered CMRC 2018 questions and the seed dev split.  Held out: the odd
CMRC questions and the seed test split.  The objective is how often the sentence the reader
picks contains a gold answer (what Answer.sentence must do); the weights of
``score = W_COS * cos + W_LEX * coverage + W_BIGRAM * bigrams + W_CONTEXT * context + W_RANK / (1 + rank)
+ W_TYPE * fit`` (context: bigram overlap of the previous sentence and the sentence together)
are searched on a grid with W_COS fixed at 1, and the choice rule of Reader.choose (a sentence
with a span of the asked type within FIT_MARGIN of the best wins) is applied as in the reader.
"""
from __future__ import annotations

import argparse
import itertools
import pickle
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from assistant.evaluate import cmrc_normalize, load_questions  # noqa: E402
from assistant.pipeline import clean_question  # noqa: E402
from assistant.reader import Reader, question_type  # noqa: E402

FEATURES = ROOT / "bench" / "out" / "reader_features.pkl"


def collect(bot, items, source: str) -> list[dict]:
    """Per question: the component scores of every candidate sentence and whether it holds a gold answer."""
    reader = Reader(bot.index, bot.reader_encoder)
    out = []
    for i, item in enumerate(items):
        question = clean_question(item["question"])
        kind = question_type(question)
        query_vector, qv = bot.question_vectors(question)
        passages = bot.retriever.retrieve(question, k=5, query_vector=query_vector)
        scored = reader.score_sentences(question, passages, qv, kind)
        golds = [cmrc_normalize(g) for g in item["answers"] if cmrc_normalize(g)]
        rows = [(s.cosine, s.coverage, s.bigrams, 1.0 / (1 + s.passage), s.fit, s.context,
                 any(g in cmrc_normalize(reader.sentence_text(s)) for g in golds)) for s in scored]
        out.append({"source": source, "half": item["half"], "kind": kind, "rows": np.array(rows, dtype=float)})
        if (i + 1) % 500 == 0:
            print(f"  {source}: {i + 1} questions", flush=True)
    return out


def chosen(rows: np.ndarray, kind: str, w: tuple, margin: float) -> int:
    score = rows[:, 0] + w[0] * rows[:, 1] + w[1] * rows[:, 2] + w[2] * rows[:, 3] + w[3] * rows[:, 4] + \
        w[4] * rows[:, 5]
    order = np.lexsort((np.arange(len(score)), -score))
    best = order[0]
    if rows[best, 4] == 0 and kind != "what":
        for other in order[1:]:
            if score[other] < score[best] - margin:
                break
            if rows[other, 4] > 0:
                return int(other)
    return int(best)


def accuracy(data: list[dict], w: tuple, margin: float) -> float:
    hits = [d["rows"][chosen(d["rows"], d["kind"], w, margin), 6] if len(d["rows"]) else 0.0 for d in data]
    return float(np.mean(hits)) if hits else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recollect", action="store_true", help="recompute the cached features")
    args = parser.parse_args()

    if args.recollect or not FEATURES.exists():
        from cmrc_bench import DATA, load_cmrc, open_index

        from assistant import Assistant

        seeds = Assistant.load(progress=False)
        items = [dict(q, half="in" if q["split"] == "dev" else "out")
                 for q in load_questions(ROOT / "eval" / "seeds_qa.jsonl") if q.get("answerable", True)]
        data = collect(seeds, items, "seeds")
        documents, questions = load_cmrc(DATA)
        cmrc = open_index(argparse.Namespace(index=str(ROOT / "bench" / "out" / "cmrc_index"), model=None), documents)
        questions = [dict(q, half="in" if i % 2 == 0 else "out") for i, q in enumerate(questions)]
        data += collect(cmrc, questions, "cmrc")
        FEATURES.parent.mkdir(parents=True, exist_ok=True)
        FEATURES.write_bytes(pickle.dumps(data))
    data = pickle.loads(FEATURES.read_bytes())

    def part(source, half):
        return [d for d in data if d["source"] == source and d["half"] == half]

    tuning = part("seeds", "in") + part("cmrc", "in")
    grid = itertools.product((0.0, 0.25, 0.5), (0.0, 0.25, 0.5, 1.0), (0.0, 0.05, 0.1),
                             (0.0, 0.1, 0.2), (0.0, 0.25, 0.5, 1.0), (0.0, 0.15))
    results = []
    for w_lex, w_big, w_rank, w_type, w_context, margin in grid:
        w = (w_lex, w_big, w_rank, w_type, w_context)
        # Both collections weigh the same in the objective (CMRC has 10x the questions).
        score = 0.5 * accuracy(part("seeds", "in"), w, margin) + 0.5 * accuracy(part("cmrc", "in"), w, margin)
        results.append((score, w, margin))
    results.sort(key=lambda r: -r[0])
    print("| W_LEX | W_BIGRAM | W_RANK | W_TYPE | W_CONTEXT | FIT_MARGIN | seeds dev | CMRC even | seeds test | CMRC odd |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    from assistant import reader

    current = ((reader.W_LEX, reader.W_BIGRAM, reader.W_RANK, reader.W_TYPE, reader.W_CONTEXT), reader.FIT_MARGIN)
    for score, w, margin in results[:5] + [(None, *current)]:
        cells = [accuracy(part(s, h), w, margin) for s, h in (("seeds", "in"), ("cmrc", "in"), ("seeds", "out"),
                                                              ("cmrc", "out"))]
        label = " (in reader.py)" if (w, margin) == current else ""
        print(f"| {w[0]} | {w[1]} | {w[2]} | {w[3]} | {w[4]} | {margin}{label} | " + " | ".join(f"{c:.3f}" for c in cells) + " |")
    print(f"tuning questions: {len(tuning)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
