"""`ask`'s latency with the rankers' trees on onnxruntime (runtime.tree_session) and on numpy,
asked in turn on the same warm assistant, in both orders.

    python bench/tree_latency.py [--rounds 3]

The model passes run as shipped in both ways; only ranker.TreeEnsemble.decision changes.
Prints p50 / p95 over the seed test split's questions for each way and round, and whether
the answers are the same.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from span_head_latency import ways_in_both_orders, with_graphs  # noqa: E402

from assistant import ranker  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    ready = with_graphs()
    if ready is None:
        return 1
    bot, questions, _ = ready
    onnx_decision = ranker.TreeEnsemble.decision

    def use(engine: str) -> None:
        ranker.TreeEnsemble.decision = onnx_decision if engine == "onnxruntime" else ranker.TreeEnsemble.numpy_decision

    try:
        ways_in_both_orders(bot, questions, {name: (lambda n=name: use(n)) for name in ("numpy", "onnxruntime")},
                            args.rounds)
    finally:
        ranker.TreeEnsemble.decision = onnx_decision
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
