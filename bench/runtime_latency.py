"""`ask`'s latency with the question's three passes on torch and on onnxruntime (runtime.py),
asked in turn on the same warm assistant, so that a slow or busy machine slows both alike.

    python bench/runtime_latency.py [--rounds 3]

The graphs are made (or read from the cache) first; then $ASSISTANT_RUNTIME switches the
warm assistant between the two.  Prints p50 / p95 over the seed test
split's questions for each way and round, and whether the answers are the same.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from span_head_latency import ways_in_turn  # noqa: E402

from assistant import Assistant  # noqa: E402
from assistant.evaluate import load_questions  # noqa: E402
from assistant.runtime import RUNTIME_ENV  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    bot = Assistant.load(progress=False)
    questions = [q["question"] for q in load_questions(ROOT / "eval" / "seeds_qa.jsonl", "test")]
    bot.ask(questions[0])
    head = bot._reader.span_head
    graphs = [bot.encoder.query_graph(), bot.reader_encoder.query_graph(), head.graph(bot.encoder)]
    print(f"graphs: {[g is not None for g in graphs]}", flush=True)
    if not all(graphs):
        print("a pass has no graph (see the warnings): nothing to compare", flush=True)
        return 1

    def use(runtime: str) -> None:
        os.environ[RUNTIME_ENV] = runtime

    try:
        ways_in_turn(bot, questions, {"torch": lambda: use("torch"), "onnxruntime": lambda: use("onnx")}, args.rounds)
    finally:
        os.environ.pop(RUNTIME_ENV, None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
