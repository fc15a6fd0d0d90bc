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

from span_head_latency import ways_in_turn, with_graphs  # noqa: E402

from assistant.runtime import RUNTIME_ENV  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    ready = with_graphs()
    if ready is None:
        return 1
    bot, questions, _ = ready

    def use(runtime: str) -> None:
        os.environ[RUNTIME_ENV] = runtime

    try:
        ways_in_turn(bot, questions, {"torch": lambda: use("torch"), "onnxruntime": lambda: use("onnx")}, args.rounds)
    finally:
        os.environ.pop(RUNTIME_ENV, None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
