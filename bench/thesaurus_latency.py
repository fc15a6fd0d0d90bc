"""`ask`'s latency with the thesaurus (thesaurus.py: synonyms for the sentence ranker's
syn_coverage) and without it (every word matching only itself), asked in turn on the same warm
assistant, in both orders.

    python bench/thesaurus_latency.py [--rounds 3]

Without the thesaurus the answers may differ (the ranker reads plain coverage where it was trained
on synonyms): only the time is compared.  Prints p50 / p95 over the seed test split's questions
for each way and round.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from span_head_latency import ways_in_both_orders, with_graphs  # noqa: E402

from assistant import thesaurus  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    ready = with_graphs()
    if ready is None:
        return 1
    bot, questions, _ = ready
    found_in = thesaurus.found_in

    def use(way: str) -> None:
        thesaurus.found_in = found_in if way == "thesaurus" else (lambda word, text: word in text)

    try:
        ways_in_both_orders(bot, questions, {name: (lambda n=name: use(n)) for name in ("without", "thesaurus")},
                            args.rounds)
    finally:
        thesaurus.found_in = found_in
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
