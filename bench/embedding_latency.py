"""`ask`'s latency with the question's two embeddings side by side (as shipped:
Assistant.question_vectors) and one after the other, asked in turn on the same warm assistant,
so that a slow or busy machine slows both alike.

    python bench/embedding_latency.py [--rounds 2]

Prints p50 / p95 over the seed test split's questions for each way and round.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Timed on torch, as when it was written: the fallback when onnxruntime is not there (runtime.py).
os.environ.setdefault("ASSISTANT_RUNTIME", "torch")
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from span_head_latency import timed_asks  # noqa: E402

from assistant import Assistant, pipeline  # noqa: E402
from assistant.evaluate import load_questions  # noqa: E402


def one_after_the_other(self, question: str):
    """question_vectors before the sixteenth session."""
    query_vector = self.retriever.query_vector(question)
    return query_vector, self.reader_encoder.encode_queries([question])[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    bot = Assistant.load(progress=False)
    questions = [q["question"] for q in load_questions(ROOT / "eval" / "seeds_qa.jsonl", "test")]
    for q in questions[:20]:        # warm: the models, jieba, the worker thread
        bot.ask(q)
    ways = {"side by side (shipped)": pipeline.Assistant.question_vectors, "one after the other": one_after_the_other}
    try:
        for round_ in range(args.rounds):
            for name, way in ways.items():
                pipeline.Assistant.question_vectors = way
                print(f"round {round_ + 1}, {name}: {timed_asks(bot, questions)}", flush=True)
    finally:
        pipeline.Assistant.question_vectors = ways["side by side (shipped)"]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
