"""Speed and quality on the seed collection: build, load, retrieve and ask latency, memory, eval set.

    python bench/retrieval_bench.py                 # everything, prints markdown tables
    python bench/retrieval_bench.py --skip-build    # reuse embeddings/ instead of a fresh build

The build is timed from documents to saved index with the model already converted and
loaded; the load is timed for a saved index (load_index) and for Assistant.load with a
loaded model; latencies are warm (after 3 warm-up questions), over the evaluation questions.
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import Assistant  # noqa: E402
from assistant.encoder import Encoder  # noqa: E402
from assistant.evaluate import evaluate_file, load_questions  # noqa: E402
from assistant.index import load_index  # noqa: E402
from assistant.pipeline import _empty_index  # noqa: E402


def percentiles(values: list[float]) -> tuple[float, float]:
    values = sorted(values)
    return values[len(values) // 2] * 1000, values[min(len(values) - 1, int(len(values) * 0.95))] * 1000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--out", default=str(ROOT / "bench" / "out" / "seed_bench.json"))
    args = parser.parse_args()
    results: dict = {}

    t = time.perf_counter()
    encoder = Encoder()
    results["model_load_s"] = time.perf_counter() - t

    if args.skip_build:
        bot = Assistant.load(encoder=encoder, progress=False)
    else:
        tmp = Path(tempfile.mkdtemp(prefix="seed-index-"))
        bot = Assistant(ROOT / "seeds", tmp, encoder, _empty_index(encoder))
        t = time.perf_counter()
        report = bot.build(progress=False)
        results["build_s"] = time.perf_counter() - t
        results["chunks"] = len(bot.index.chunks)
        results["sentences"] = len(bot.index.sentences)
        results["embedded_texts"] = report.chunks_embedded + len(bot.index.sentences)

    t = time.perf_counter()
    load_index(bot.index_dir)
    results["index_load_s"] = time.perf_counter() - t
    t = time.perf_counter()
    Assistant.load(docs=bot.docs, index=bot.index_dir, encoder=encoder, progress=False)
    results["assistant_load_with_model_loaded_s"] = time.perf_counter() - t

    questions = [q["question"] for q in load_questions(ROOT / "eval" / "seeds_qa.jsonl")]
    for q in questions[:3]:
        bot.ask(q)
    for mode in ("lexical", "dense", "hybrid"):
        lat = []
        for q in questions:
            t = time.perf_counter()
            bot.retrieve(q, k=5, mode=mode)
            lat.append(time.perf_counter() - t)
        results[f"retrieve_{mode}_ms_p50_p95"] = percentiles(lat)
    lat = []
    for q in questions:
        t = time.perf_counter()
        bot.ask(q)
        lat.append(time.perf_counter() - t)
    results["ask_ms_p50_p95"] = percentiles(lat)
    results["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    for split in ("dev", "test"):
        report = evaluate_file(bot, ROOT / "eval" / "seeds_qa.jsonl", split=split)
        results[f"eval_{split}"] = {k: v for k, v in report.items() if k != "table"}
        print(report["table"], "\n")
    for key, value in results.items():
        if not key.startswith("eval_"):
            print(f"{key}: {value if not isinstance(value, float) else round(value, 3)}")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
