"""CMRC 2018 (dev) as an open-domain benchmark: index all 848 passages, ask all 3,219 questions.

    python bench/cmrc_bench.py                  # retrieval for the three modes + answers
    python bench/cmrc_bench.py --retrieval-only
    python bench/cmrc_bench.py --tune           # sweep the blend weight on even-numbered questions
    python bench/cmrc_bench.py --answers-only --calibrate-even   # with a threshold fitted on CMRC
    python bench/cmrc_bench.py --answers-only --even-only   # the even (tuning) half alone, to judge
                                                            # a change without printing the odd half

Retrieval: the rank of the gold passage among documents (chunks of one passage count once).
Answers: exact match and character F1 of Answer.text against the gold spans (CMRC
normalization), and how often Answer.sentence contains a gold answer; broken down by type.
The index is cached in bench/out/cmrc_index (delete it to rebuild; the build time is printed).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.documents import Document, content_hash  # noqa: E402
from assistant.evaluate import char_f1, cmrc_normalize, exact_match  # noqa: E402
from assistant.pipeline import Assistant, _empty_index  # noqa: E402
from assistant.reader import question_type  # noqa: E402

DATA = ROOT.parent / "shared" / "benchmarks" / "cmrc2018" / "cmrc2018_dev.json"


def load_cmrc(path: Path):
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    documents, questions = [], []
    for article in data:
        for para in article["paragraphs"]:
            name = f"{para['id']}.txt"
            text = para["context"]
            documents.append(Document(name=name, text=text, encoding="utf-8", sha256=content_hash(text.encode())))
            for qa in para["qas"]:
                questions.append({"id": qa["id"], "question": qa["question"], "source": name,
                                  "answers": [a["text"] for a in qa["answers"]]})
    return documents, questions


def open_index(args, documents):
    from assistant.encoder import Encoder, reader_encoder

    from assistant.index import IndexProblem, default_chunking, load_index

    encoder = Encoder(args.model)
    index_dir = Path(args.index)

    try:
        index = load_index(index_dir)
        if index.model != encoder.name:
            raise IndexProblem("model changed")
        if index.reader_model != reader_encoder(encoder).name:
            raise IndexProblem("reader model changed")
        if index.chunking != default_chunking():
            raise IndexProblem("chunking changed")
        bot = Assistant(ROOT / "seeds", index_dir, encoder, index)
        print(f"loaded cached index: {len(index.chunks)} chunks, {len(index.sentences)} sentences "
              f"(built in {index.build_seconds:.0f} s)")
    except IndexProblem:
        bot = Assistant(ROOT / "seeds", index_dir, encoder, _empty_index(encoder))
        started = time.perf_counter()
        bot.build(progress=True, documents=documents)
        print(f"built index of {len(documents)} passages: {len(bot.index.chunks)} chunks, "
              f"{len(bot.index.sentences)} sentences in {time.perf_counter() - started:.0f} s")
    return bot


def doc_ranks(bot, question: str, mode: str, depth: int = 30) -> list[str]:
    """Documents in the order of their best chunk."""
    seen: list[str] = []
    for p in bot.retrieve(question, k=depth, mode=mode):
        if p.source not in seen:
            seen.append(p.source)
    return seen


def retrieval(bot, questions, modes) -> dict:
    out = {}
    for mode in modes:
        r1 = r5 = rr = 0.0
        lat = []
        for q in questions:
            t = time.perf_counter()
            ranked = doc_ranks(bot, q["question"], mode)
            lat.append(time.perf_counter() - t)
            if q["source"] in ranked:
                rank = ranked.index(q["source"]) + 1
                r1 += rank == 1
                r5 += rank <= 5
                rr += 1 / rank
        n = len(questions)
        lat.sort()
        out[mode] = {"recall@1": r1 / n, "recall@5": r5 / n, "mrr": rr / n,
                     "p50_ms": lat[n // 2] * 1000, "p95_ms": lat[int(n * 0.95)] * 1000}
        print(f"{mode:8s} R@1 {r1 / n:.3f}  R@5 {r5 / n:.3f}  MRR {rr / n:.3f}  "
              f"(p50 {lat[n // 2] * 1000:.1f} ms, p95 {lat[int(n * 0.95)] * 1000:.1f} ms)", flush=True)
    return out


def tune_fusion(bot, questions) -> dict:
    """Sweep the fusion on the even-numbered questions; report the held-out odd half too.

    Each question is embedded once; every fusion is then computed from the same candidate
    scores (what Retriever.rank does), so the sweep costs one pass."""
    import numpy as np

    from assistant.lexical import tokenize
    from assistant.retriever import blend_scores, reciprocal_rank_fusion, top_rows

    index = bot.index
    sources = np.array([c.source for c in index.chunks])
    configs = [("blend", a) for a in (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95)] + [("rrf", 60)]
    hits = {half: {c: [0, 0] for c in configs} for half in ("even", "odd")}
    for i, q in enumerate(questions):
        half = "even" if i % 2 == 0 else "odd"
        qv = bot.retriever.query_vector(q["question"])
        lexical_all = index.bm25.scores(tokenize(q["question"]))
        _, dense_rows = index.dense_search(qv, bot.retriever.candidates)
        lexical_rows = top_rows(lexical_all, bot.retriever.candidates)
        lexical_rows = lexical_rows[lexical_all[lexical_rows] > 0]
        rows = np.union1d(dense_rows, lexical_rows)
        dense = index.vectors[rows] @ qv
        for config in configs:
            if config[0] == "rrf":
                fused = reciprocal_rank_fusion([dense_rows, lexical_rows])
                order = [r for r, _ in sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))]
            else:
                combined = blend_scores(dense, lexical_all[rows], config[1])
                order = list(rows[np.lexsort((rows, -combined))])
            docs: list[str] = []
            for r in order:
                if sources[r] not in docs:
                    docs.append(sources[r])
                if len(docs) == 5:
                    break
            hits[half][config][0] += docs[:1] == [q["source"]]
            hits[half][config][1] += q["source"] in docs
    out = {}
    for half, table in hits.items():
        n = (len(questions) + (half == "even")) // 2
        for (kind, value), (h1, h5) in table.items():
            name = f"{half} {kind} {value}"
            out[name] = {"recall@1": h1 / n, "recall@5": h5 / n}
            print(f"{name:16s} R@1 {h1 / n:.3f}  R@5 {h5 / n:.3f}", flush=True)
    return out


def answers(bot, questions, even_only: bool = False) -> dict:
    """EM, F1, sentence containment and answer rate, by type and by half; ``even_only``: the
    questions are the even half alone (--even-only)."""
    em = f1 = contain = found = 0.0
    by_type = defaultdict(lambda: defaultdict(float))
    lat = []
    halves = {"even": defaultdict(float), "odd": defaultdict(float)}
    for i, q in enumerate(questions):
        t = time.perf_counter()
        a = bot.ask(q["question"])
        lat.append(time.perf_counter() - t)
        e = max(exact_match(a.text, g) for g in q["answers"]) if a.found else 0.0
        f = max(char_f1(a.text, g) for g in q["answers"]) if a.found else 0.0
        c = float(a.found and any(cmrc_normalize(g) in cmrc_normalize(a.sentence) for g in q["answers"]))
        em, f1, contain, found = em + e, f1 + f, contain + c, found + a.found
        t_ = by_type[question_type(q["question"])]
        t_["n"] += 1
        t_["em"] += e
        t_["f1"] += f
        t_["contain"] += c
        t_["found"] += a.found
        h = halves["even" if even_only or i % 2 == 0 else "odd"]
        h["n"] += 1
        h["em"] += e
        h["f1"] += f
        h["contain"] += c
    n = len(questions)
    lat.sort()
    result = {"exact_match": 100 * em / n, "f1": 100 * f1 / n, "sentence_contains_gold": contain / n,
              "answered": found / n, "p50_ms": lat[n // 2] * 1000, "p95_ms": lat[int(n * 0.95)] * 1000,
              "by_type": {k: {"n": int(v["n"]), "em": 100 * v["em"] / v["n"], "f1": 100 * v["f1"] / v["n"],
                              "sentence_contains_gold": v["contain"] / v["n"], "answered": v["found"] / v["n"]}
                          for k, v in sorted(by_type.items(), key=lambda kv: -kv[1]["n"])},
              # The reader's sentence weights were tuned on the even questions (bench/tune_reader.py).
              "halves": {k: {"n": int(v["n"]), "em": 100 * v["em"] / max(v["n"], 1), "f1": 100 * v["f1"] / max(v["n"], 1),
                             "sentence_contains_gold": v["contain"] / max(v["n"], 1)} for k, v in halves.items()}}
    print(f"answers: EM {result['exact_match']:.1f}  F1 {result['f1']:.1f}  sentence contains gold "
          f"{result['sentence_contains_gold']:.3f}  answered {result['answered']:.3f}  "
          f"(ask p50 {result['p50_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms)")
    for k, v in result["halves"].items():
        if not v["n"]:
            continue
        print(f"  {k} questions ({'tuning' if k == 'even' else 'held out'}): EM {v['em']:.1f}  F1 {v['f1']:.1f}  "
              f"sentence contains gold {v['sentence_contains_gold']:.3f}")
    print("| type | n | EM | F1 | sentence has gold | answered |\n|---|---|---|---|---|---|")
    for k, v in result["by_type"].items():
        print(f"| {k} | {v['n']} | {v['em']:.1f} | {v['f1']:.1f} | {v['sentence_contains_gold']:.3f} | {v['answered']:.3f} |")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(DATA))
    parser.add_argument("--index", default=str(ROOT / "bench" / "out" / "cmrc_index"))
    parser.add_argument("--model", default=None)
    parser.add_argument("--retrieval-only", action="store_true")
    parser.add_argument("--answers-only", action="store_true")
    parser.add_argument("--tune", action="store_true", help="sweep the blend weight on even-numbered questions")
    parser.add_argument("--limit", type=int, default=0, help="use only the first N questions")
    parser.add_argument("--calibrate-even", action="store_true",
                        help="fit this collection's abstention threshold on the even questions first "
                             "(as `assistant calibrate` would; all CMRC questions are answerable)")
    parser.add_argument("--even-only", action="store_true",
                        help="read only the even questions (tuning data): judging a change prints no held-out figure")
    parser.add_argument("--out", default=str(ROOT / "bench" / "out" / "cmrc_results.json"))
    args = parser.parse_args()

    documents, questions = load_cmrc(Path(args.data))
    if args.limit:
        questions = questions[:args.limit]
    if args.even_only:
        questions = questions[::2]
    print(f"CMRC 2018 dev: {len(documents)} passages, {len(questions)} questions")
    bot = open_index(args, documents)
    results: dict = {"passages": len(documents), "questions": len(questions),
                     "chunks": len(bot.index.chunks), "build_seconds": bot.index.build_seconds}
    if args.tune:
        results["tune"] = tune_fusion(bot, questions)
    else:
        if not args.answers_only:
            results["retrieval"] = retrieval(bot, questions, ["lexical", "dense", "hybrid"])
            bot.retriever.fusion = "rrf"
            print("plain reciprocal-rank fusion, for comparison:")
            results["retrieval_rrf"] = retrieval(bot, questions, ["hybrid"])
            bot.retriever.fusion = "blend"
        if not args.retrieval_only:
            if args.calibrate_even:
                report = bot.calibrate([q for i, q in enumerate(questions) if i % 2 == 0], save=False)
                print(f"abstention threshold fitted on the even questions: {report['abstain_below']} "
                      f"(declines {report['wrong_abstention']:.1%} of them)")
                results["calibration"] = report
            results["answers"] = answers(bot, questions, args.even_only)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
