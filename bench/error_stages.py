"""Where the answerable questions are lost: retrieval, sentence choice, abstention or span.

    python bench/error_stages.py                                  # seed test split
    python bench/error_stages.py --split dev                      # (the shipped rankers saw it)
    python bench/error_stages.py --set eval/seeds_qa_fresh.jsonl  # the fresh set
    python bench/error_stages.py --set eval/judge5/qa.jsonl --docs eval/judge5/docs --index bench/out/judge5_index
                                                                  # pool 5, over its own collection
    python bench/error_stages.py --set eval/tune6/qa.jsonl --docs eval/tune6/docs --index bench/out/tune6_index --list
                                                                  # the tuning collection, its failures listed

Each answerable question is asked twice over the shipped index and models: as shipped, and
with the abstention threshold off (the reader answers whatever it finds).  The forced answer
says which stage lost a question that is not answered correctly:
- retrieval: no top-5 passage holds a gold answer;
- sentence: a passage holds it, the chosen sentence does not;
- span: the sentence holds it, the answer span does not;
- abstention: the forced answer is right, the shipped one is declined;
- no figure: the reader itself declines (a 多少 question whose span has no number, a 何时
  question without a time), though the sentence holds the gold.
Counts only: the questions are not printed, so that reading the table does not tune on them.
``--list`` prints them, with the unanswerable questions that were answered, for tuning sets only
(the seed dev split, the tuning collections): it refuses held-out and judging sets.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import Assistant  # noqa: E402
from assistant.evaluate import answer_correct, load_questions, passage_hit, squeeze  # noqa: E402

TUNING_SPLITS = ("dev", "tune6", "tune7")
STAGES = ("correct", "retrieval", "sentence", "span", "abstention", "no figure")


def stage_of(bot, item: dict, shipped=None) -> str:
    """The stage that lost ``item`` ("correct" when it is answered right); ``shipped``: its
    answer as shipped, when the caller has it already."""
    shipped = bot.ask(item["question"]) if shipped is None else shipped
    if answer_correct(shipped, item):
        return "correct"
    reader = bot._reader            # the Reader that ask() built for this index
    threshold, reader.abstain_below = reader.abstain_below, -1.0
    try:
        forced = bot.ask(item["question"])
    finally:
        reader.abstain_below = threshold
    golds = [squeeze(a) for a in item["answers"]]
    if not any(passage_hit(p, item) for p in forced.citations):
        return "retrieval"
    if not forced.found:
        return "no figure"
    if not any(g in squeeze(forced.sentence) for g in golds):
        return "sentence"
    if not answer_correct(forced, item):
        return "span"
    return "abstention"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default=str(ROOT / "eval" / "seeds_qa.jsonl"))
    parser.add_argument("--split", default=None, help="dev, test or all (default: test for the seed set, else all)")
    parser.add_argument("--docs", help="the set's own collection, when it is not the seeds (eval/judge5)")
    parser.add_argument("--index", help="with --docs: the folder of that collection's index")
    parser.add_argument("--list", action="store_true",
                        help="list the questions not right (tuning sets only: the seed dev split, eval/tune6, eval/tune7)")
    args = parser.parse_args()
    if bool(args.docs) != bool(args.index):
        parser.error("--docs and --index go together: the set's collection and the folder of its index")
    split = args.split or ("test" if Path(args.set).name == "seeds_qa.jsonl" else "all")
    everything = load_questions(args.set, split)
    if args.list and not all(i.get("split") in TUNING_SPLITS for i in everything):
        parser.error(f"--list reads tuning sets only (splits {', '.join(TUNING_SPLITS)}): listing a held-out "
                     "or judging set's failures would tune on it")
    bot = Assistant.load(docs=args.docs or "seeds", index=args.index or "embeddings", progress=False)
    items = [i for i in everything if i.get("answerable", True)]
    by_type: dict[str, Counter] = {}
    for item in items:
        got = bot.ask(item["question"])
        stage = stage_of(bot, item, got)
        by_type.setdefault(item.get("type", "?"), Counter())[stage] += 1
        if args.list and stage != "correct":
            print(f"{item['id']} [{item.get('type')}] {stage}: {item['question']}\n  gold {item['answers']} | "
                  f"got {got.text!r} (score {got.score:.3f}{'' if got.found else ', declined'})\n  sentence {got.sentence}")
    if args.list:
        for item in everything:
            if not item.get("answerable", True):
                got = bot.ask(item["question"])
                if got.found:
                    print(f"{item['id']} [{item.get('type')}] answered, unanswerable: {item['question']}\n"
                          f"  got {got.text!r} (score {got.score:.3f})\n  sentence {got.sentence}")
        print()
    total = sum(by_type.values(), Counter())
    print(f"{Path(args.set).name}, split {split}: {len(items)} answerable questions\n")
    print("| type | n | " + " | ".join(STAGES) + " |\n|---|---|" + "---|" * len(STAGES))
    for kind in sorted(by_type, key=lambda k: -sum(by_type[k].values())):
        c = by_type[kind]
        print(f"| {kind} | {sum(c.values())} | " + " | ".join(str(c[s]) for s in STAGES) + " |")
    print(f"| all | {len(items)} | " + " | ".join(str(total[s]) for s in STAGES) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
