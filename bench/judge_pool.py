"""Judge the assistant, and variants of its abstention model, on the judging pool.

    python bench/judge_pool.py                       # the shipped assistant on the pool, then the
                                                     # abstention variants (about 4 minutes)
    python bench/judge_pool.py --answers-only        # the shipped assistant alone (about 20 s)
    python bench/judge_pool.py --answers-only -v     # ... and the pool questions it gets wrong
    python bench/judge_pool.py --set eval/seeds_qa_judge2.jsonl --fit-extra eval/seeds_qa_judge.jsonl
                                                     # pool 2 judges the abstention model refitted
                                                     # with pool 1's questions added to dev's
    python bench/judge_pool.py --set eval/judge5/qa.jsonl --docs eval/judge5/docs --index bench/out/judge5_index
                                                     # a pool over its own collection (pool 5)

The judging pool (eval/seeds_qa_judge.jsonl, eval/README.md) was written after the twenty-second
session found that cross-fitted dev is optimistic for any new question: the rules and signals of
twenty sessions were drawn from reading dev failures.  The pool is never trained or fitted on; it
judges changes (the rule for each is committed to BENCHMARKS.md section 3 before it is read).

Each pool question is read as a user's question is: by the shipped models, none of which saw it.
The answer is taken with abstention off (``abstain_below`` 0) and its confidence kept, so that one
reading gives both the shipped figures (abstain below reader.ABSTAIN_BELOW) and those of any other
abstention model fitted the shipped way (calibrate_reader.fit_logistic on the dev questions' out-of-
fold evidence, threshold by evaluate.choose_threshold: at most 5 % wrong abstentions on dev and
at most 5 % of the even CMRC questions declined).

"right" is what both goals count: answerable questions answered correctly (evaluate.answer_correct)
plus unanswerable questions declined.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import calibrate_reader as C  # noqa: E402

from assistant import Assistant  # noqa: E402
from assistant.evaluate import answer_correct, choose_threshold, load_questions  # noqa: E402
from assistant.reader import ABSTAIN_BELOW, Reader  # noqa: E402

POOL = ROOT / "eval" / "seeds_qa_judge.jsonl"


def pool_rows(bot, items: list[dict]) -> list[dict]:
    """Each pool question's forced answer (abstention off), whether it is right, its shipped
    confidence and its evidence (Reader.evidence, as calibrate_reader reads it)."""
    bot.abstain_below = 0.0
    bot._reader = None                       # rebuilt with the threshold above
    reader = Reader(bot.index, bot.reader_encoder)
    rows = []
    for item in items:
        answer = bot.ask(item["question"])
        got = C.evidence_and_sentence(bot, reader, item["question"], bot.reader_encoder)
        rows.append({"id": item["id"], "type": item["type"], "question": item["question"],
                     "y": 1.0 if item["answerable"] else 0.0,
                     "correct": bool(item["answerable"]) and answer_correct(answer, item),
                     "score": answer.score, "text": answer.text, "sentence": answer.sentence,
                     "evidence": got[0] if got else None})
    return rows


def tally(rows: list[dict], declined: list[bool]) -> dict:
    ans = [(d, no) for d, no in zip(rows, declined) if d["y"] == 1]
    una = [(d, no) for d, no in zip(rows, declined) if d["y"] == 0]
    correct = sum(d["correct"] and not no for d, no in ans)
    caught = sum(no for _, no in una)
    wrong = sum(no for _, no in ans)
    return {"correct": correct, "answerable": len(ans), "caught": caught, "unanswerable": len(una),
            "wrong": wrong, "right": correct + caught}


def line(label: str, t: dict, cut: float) -> str:
    return (f"| {label} | {t['correct']} / {t['answerable']} ({t['correct'] / t['answerable']:.3f}) | "
            f"{t['caught']} / {t['unanswerable']} ({t['caught'] / t['unanswerable']:.3f}) | "
            f"{t['wrong']} ({t['wrong'] / t['answerable']:.3f}) | {t['right']} | {cut:.3f} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default=str(POOL), help="the judging pool (JSON lines, eval/README.md)")
    parser.add_argument("--answers-only", action="store_true", help="the shipped assistant only")
    parser.add_argument("--variant", action="append", default=[],
                        help="LABEL=feature,feature,...[@cap]: an abstention model to fit and judge, its "
                             "threshold at that cap of wrong abstentions (default 0.05; repeatable); default: "
                             "the shipped features, each left out in turn, and the shipped ones at caps 0.03 and 0.04")
    parser.add_argument("--fit-extra", action="append", default=[], metavar="SET",
                        help="a question set (JSON lines) whose questions, read by the shipped models, join the "
                             "dev questions in fitting the variants (a pool whose failures were read: it can "
                             "teach, no longer judge); with it the only variants are the shipped features fitted "
                             "without and with the extra sets")
    parser.add_argument("--docs", help="the pool's own collection (a folder of documents), for a pool over other "
                             "documents than the seeds (eval/judge5); the dev and extra questions stay on the seeds")
    parser.add_argument("--index", help="with --docs: the folder of that collection's index")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the pool questions not right")
    args = parser.parse_args()
    if bool(args.docs) != bool(args.index):
        parser.error("--docs and --index go together: the pool's collection and the folder of its index")
    bot = Assistant.load(progress=False)
    pool_bot = Assistant.load(docs=args.docs, index=args.index, progress=False, encoder=bot.encoder) if args.docs else bot
    items = load_questions(args.set)
    rows = pool_rows(pool_bot, items)
    shipped = tally(rows, [d["score"] < ABSTAIN_BELOW for d in rows])
    print(f"judging pool {args.set}: {shipped['answerable']} answerable, {shipped['unanswerable']} unanswerable\n")
    print("| abstention model | accuracy | caught | wrong abstentions | right | threshold |\n|---|---|---|---|---|---|")
    print(line("shipped (reader.py)", shipped, ABSTAIN_BELOW), flush=True)
    forced = sum(d["correct"] for d in rows)
    print(f"\nanswered with abstention off: {forced} of {shipped['answerable']} answerable questions correct")
    if args.verbose:
        for d in rows:
            declined = d["score"] < ABSTAIN_BELOW
            if (d["y"] == 1 and (declined or not d["correct"])) or (d["y"] == 0 and not declined):
                print(f"  {d['id']} [{d['type']}] {d['question']} | got {d['text'] or '(sentence)'} | "
                      f"{d['score']:.3f}{' declined' if declined else ''} | correct if answered: {d['correct']}")
    if args.answers_only:
        return 0

    import abstention_probe as P

    dev, guard = P.dev_rows(bot), P.guard_rows()
    extra = [d for path in args.fit_extra for d in pool_rows(bot, load_questions(path)) if d["evidence"]]
    # (label, signals, cap of wrong abstentions, fitted with the --fit-extra questions too)
    variants = [("the shipped features, refitted", C.FEATURES, 0.05, False)]
    if extra:
        variants.append((f"the shipped features, refitted with {len(extra)} questions of "
                         f"{', '.join(Path(s).name for s in args.fit_extra)}", C.FEATURES, 0.05, True))
    for v in args.variant:
        label, spec = v.split("=", 1)
        names, _, cap = spec.partition("@")
        variants.append((label, names.split(","), float(cap or 0.05), False))
    if not args.variant and not extra:
        variants += [(f"without {n}", [m for m in C.FEATURES if m != n], 0.05, False) for n in C.FEATURES]
        variants += [(f"the shipped features, cap {cap}", C.FEATURES, cap, False) for cap in (0.03, 0.04)]

    def matrix(rs, names):
        return np.array([[d["evidence"][n] for n in names] for d in rs])

    print("\nrefitted on the dev questions (out-of-fold evidence), applied to the pool:\n")
    print("| abstention model | accuracy | caught | wrong abstentions | right | threshold |\n|---|---|---|---|---|---|")
    for label, names, cap, with_extra in variants:
        train = dev + extra if with_extra else dev
        y = np.array([d["y"] for d in train])
        w, b = C.fit_logistic(matrix(train, names), y)
        p = 1 / (1 + np.exp(-(matrix(train, names) @ w + b)))
        g = 1 / (1 + np.exp(-(matrix(guard, names) @ w + b)))
        cut = choose_threshold(p[y == 1].tolist(), p[y == 0].tolist(), cap, guard=g.tolist())
        confidence = [1 / (1 + np.exp(-(np.array([d["evidence"][n] for n in names]) @ w + b)))
                      if d["evidence"] else 0.0 for d in rows]
        print(line(label, tally(rows, [c < cut for c in confidence]), cut), flush=True)
        if with_extra:
            print("  weights: " + ", ".join(f"{n} {v:.3f}" for n, v in zip(names, w)) + f"; bias {b:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
