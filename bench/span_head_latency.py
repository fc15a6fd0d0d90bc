"""`ask`'s latency with the shipped span head and with another head file, asked in turn on the
same warm assistant, so that a slow or busy machine slows both alike.

    git show <commit>:assistant/span_head.npz > /tmp/other_head.npz
    python bench/span_head_latency.py /tmp/other_head.npz [--rounds 2]

Prints p50 / p95 over the seed test split's questions for each head and round.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import Assistant  # noqa: E402
from assistant.evaluate import load_questions  # noqa: E402
from assistant.span_head import SpanHead  # noqa: E402


def timed_asks(bot, questions: list[str]) -> str:
    """Each question asked once: "ask p50 … ms, p95 … ms (n questions)"."""
    times = []
    for q in questions:
        started = time.perf_counter()
        bot.ask(q)
        times.append((time.perf_counter() - started) * 1000)
    return f"ask p50 {np.percentile(times, 50):.1f} ms, p95 {np.percentile(times, 95):.1f} ms ({len(times)} questions)"


def with_graphs():
    """The default assistant, warmed by one question, the seed test split's questions, and the
    onnxruntime graphs of the question's three passes (runtime.py); None (with a line) when a
    pass has no graph (bench/runtime_latency.py, bench/torchfree_latency.py)."""
    bot = Assistant.load(progress=False)
    questions = [q["question"] for q in load_questions(ROOT / "eval" / "seeds_qa.jsonl", "test")]
    bot.ask(questions[0])
    graphs = [bot.encoder.query_graph(), bot.reader_encoder.query_graph(), bot._reader.span_head.graph(bot.encoder)]
    if not all(graphs):
        print(f"graphs: {[g is not None for g in graphs]}; a pass has no graph (see the warnings): nothing to compare",
              flush=True)
        return None
    return bot, questions, graphs


def ways_in_turn(bot, questions: list[str], ways: dict, rounds: int) -> None:
    """Each way (name: a function that sets it up) warmed and its answers compared with the
    first way's, then all asked in turn, round after round (bench/thread_latency.py,
    bench/encode_latency.py)."""
    answers = {}
    for name, use in ways.items():
        use()
        for q in questions[:20]:        # warm: the models, jieba, the worker thread's pool
            bot.ask(q)
        answers[name] = [(a.text, a.sentence, a.found) for a in map(bot.ask, questions)]
    first = next(iter(answers.values()))
    print(f"answers the same: {all(a == first for a in answers.values())}", flush=True)
    for round_ in range(rounds):
        for name, use in ways.items():
            use()
            print(f"round {round_ + 1}, {name}: {timed_asks(bot, questions)}", flush=True)


def ways_in_both_orders(bot, questions: list[str], ways: dict, rounds: int) -> None:
    """ways_in_turn for two ways, once with each of them first in every round (a way asked second
    in a round may find the caches warmer)."""
    names = list(ways)
    for order in (names, names[::-1]):
        print(f"# {order[0]} first in each round", flush=True)
        ways_in_turn(bot, questions, {name: ways[name] for name in order}, rounds)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("other", help="another span head file (.npz)")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    bot = Assistant.load(progress=False)
    questions = [q["question"] for q in load_questions(ROOT / "eval" / "seeds_qa.jsonl", "test")]
    for q in questions[:20]:        # warm: the models, jieba, the head's merged layers
        bot.ask(q)
    reader = bot._reader
    heads = {"shipped": reader.span_head, Path(args.other).name: SpanHead.load(args.other)}
    for head in heads.values():
        head.span_scores(questions[0], "全州地区生产总值增长6%。", [(0, 2)])
    for round_ in range(args.rounds):
        for name, head in heads.items():
            reader.span_head = head
            print(f"round {round_ + 1}, {name}: {timed_asks(bot, questions)}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
