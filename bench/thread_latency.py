"""`ask`'s latency with the threads as shipped before the seventeenth session and as now, asked
in turn on the same warm assistant, so that a slow or busy machine slows both alike.

    python bench/thread_latency.py [--rounds 3]

Before: FAISS's search set its calling thread to one OpenMP thread and left it so, and torch
shares that setting, so after the first search the calling thread embedded the retrieval
question (and ran the span head) on one thread while the reader's worker thread embedded on
two.  Now: each question embedding runs on one thread (encoder.QUERY_THREADS), the search puts
the thread count back, and the span head's pass runs on span_head.HEAD_THREADS; both counts
for the span head are timed.  Prints p50 / p95 over the seed test split's questions for each
way and round, and whether the answers are the same.
"""
from __future__ import annotations

import argparse
import functools
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Timed on torch, as when it was written: the fallback when onnxruntime is not there (runtime.py).
os.environ.setdefault("ASSISTANT_RUNTIME", "torch")
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import numpy as np  # noqa: E402
import torch  # noqa: E402
from span_head_latency import ways_in_turn  # noqa: E402

from assistant import Assistant, encoder, span_head  # noqa: E402
from assistant.encoder import BATCH_SIZE, Encoder  # noqa: E402
from assistant.evaluate import load_questions  # noqa: E402
from assistant.index import Index  # noqa: E402

SHIPPED = {"encode_queries": Encoder.encode_queries, "dense_search": Index.dense_search,
           "head_threads": span_head.HEAD_THREADS}


def old_encode_queries(self, texts):
    return self._encode(texts, self.query_prompt, batch_size=BATCH_SIZE, progress=False)


def old_dense_search(self, query_vector, k):
    import faiss

    k = min(k, len(self.chunks))
    if k <= 0:
        return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64)
    faiss.omp_set_num_threads(1)
    scores, rows = self.faiss_index.search(query_vector.reshape(1, -1).astype(np.float32), k)
    keep = rows[0] >= 0
    return scores[0][keep], rows[0][keep]


def use(way: str, threads: int) -> None:
    """Before: the old methods; the span head then ran on the one thread the search had left
    (so HEAD_THREADS = 1 is the same).  Now: the shipped methods, the head on the way's count."""
    if way == "before":
        Encoder.encode_queries, Index.dense_search = old_encode_queries, old_dense_search
        span_head.HEAD_THREADS = 1
    else:
        Encoder.encode_queries, Index.dense_search = SHIPPED["encode_queries"], SHIPPED["dense_search"]
        span_head.HEAD_THREADS = int(way.rsplit(" ", 1)[1])
        torch.set_num_threads(threads)      # the calling thread's count, as the encoder set it


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    bot = Assistant.load(progress=False)
    threads = bot.encoder.threads
    questions = [q["question"] for q in load_questions(ROOT / "eval" / "seeds_qa.jsonl", "test")]
    ways = ["before", "now, span head on 1", f"now, span head on {threads}"]
    print(f"query threads {encoder.QUERY_THREADS}; encoder threads {threads}", flush=True)
    try:
        ways_in_turn(bot, questions, {way: functools.partial(use, way, threads) for way in ways}, args.rounds)
    finally:
        Encoder.encode_queries, Index.dense_search = SHIPPED["encode_queries"], SHIPPED["dense_search"]
        span_head.HEAD_THREADS = SHIPPED["head_threads"]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
