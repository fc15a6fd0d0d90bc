"""`ask`'s latency with a question embedded by `SentenceTransformer.encode` (as shipped) or
directly (the steps encode takes for a batch of one, without its batching machinery; tried and
not kept in the seventeenth session, BENCHMARKS.md section 3), and with the span head's pass on
one thread (as before that session) or on all the cores (span_head.HEAD_THREADS, as shipped),
asked in turn on the same warm assistant, so that a slow or busy machine slows every way alike.

    python bench/encode_latency.py [--rounds 4]

Prints whether the answers are the same, then p50 / p95 over the seed test split's questions for
each way and round.
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

from assistant import Assistant, span_head  # noqa: E402
from assistant.encoder import QUERY_THREADS, Encoder, torch_threads  # noqa: E402
from assistant.evaluate import load_questions  # noqa: E402

SHIPPED = {"encode_queries": Encoder.encode_queries, "head_threads": span_head.HEAD_THREADS}


def direct(self, texts):
    """encode_queries with one question taken through encode's steps for a batch of one
    (preprocess with the prompt, the forward pass, L2 normalization) without the machinery around
    them: the same vector at the same thread count."""
    if len(texts) != 1:
        return SHIPPED["encode_queries"](self, texts)
    with torch_threads(QUERY_THREADS), torch.inference_mode():
        features = self.model.preprocess(list(texts), prompt=self.query_prompt)
        vector = torch.nn.functional.normalize(self.model(features)["sentence_embedding"], p=2, dim=1)
    return np.ascontiguousarray(vector.numpy(), dtype=np.float32)


def use(direct_path: bool, head_threads: int) -> None:
    Encoder.encode_queries = direct if direct_path else SHIPPED["encode_queries"]
    span_head.HEAD_THREADS = head_threads


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    bot = Assistant.load(progress=False)
    threads = bot.encoder.threads
    questions = [q["question"] for q in load_questions(ROOT / "eval" / "seeds_qa.jsonl", "test")]
    ways = {"as before (encode, head on 1)": (False, 1), "(a) direct, head on 1": (True, 1),
            f"(b) encode, head on {threads} (shipped)": (False, threads),
            f"(a)+(b) direct, head on {threads}": (True, threads)}
    try:
        ways_in_turn(bot, questions, {name: functools.partial(use, *way) for name, way in ways.items()}, args.rounds)
    finally:
        Encoder.encode_queries, span_head.HEAD_THREADS = SHIPPED["encode_queries"], SHIPPED["head_threads"]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
