"""Questions and documents in different scripts: answer accuracy on the seed test split.

Four cases: Simplified or Traditional documents (the seeds, or the seeds converted by OpenCC
s2tw), asked the test split's questions in Simplified or in Traditional (s2tw).  Each case is
asked twice: with the question put into the collection's script before retrieval
(Assistant.in_collection_script, documents.CollectionScript), and as written.  The reader itself
reads the question and the documents in Simplified characters either way (documents.reading_text;
before the thirty-ninth session it read them as written: bench/results/script_bench.log at
commit ce9f464 has those figures).  An answer from a Traditional document is judged after
converting it to Simplified, as the gold strings are written.

    python bench/script_bench.py            # builds bench/out/seeds_traditional{,_index} once
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.documents import to_simplified  # noqa: E402
from assistant.evaluate import answer_correct, load_questions, squeeze  # noqa: E402
from assistant.pipeline import Assistant  # noqa: E402

OUT = ROOT / "bench" / "out"


def to_traditional(text: str) -> str:
    import opencc

    return opencc.OpenCC("s2tw").convert(text)


def traditional_seeds() -> Path:
    folder = OUT / "seeds_traditional"
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        target = folder / path.name
        if not target.exists():
            target.write_text(to_traditional(path.read_text(encoding="utf-8")), encoding="utf-8")
    return folder


def score(bot: Assistant, items: list[dict], convert_question, convert: bool) -> dict:
    as_written = bot.in_collection_script
    if not convert:
        bot.in_collection_script = lambda question: question
    try:
        right = caught = declined = 0
        for item in items:
            answer = bot.ask(convert_question(item["question"]))
            answer.text, answer.sentence = to_simplified(answer.text), to_simplified(answer.sentence)
            if item.get("answerable", True):
                right += answer_correct(answer, item)
                declined += not answer.found
            else:
                caught += not answer.found
    finally:
        bot.in_collection_script = as_written
    n = sum(1 for i in items if i.get("answerable", True))
    u = len(items) - n
    return {"accuracy": right / n, "abstention": caught / u, "wrong_abstention": declined / n,
            "right": right + caught}


def retrieval_hits(bot: Assistant, items: list[dict], convert_question, convert: bool, mode: str) -> int:
    """How many answerable questions find a passage of their gold file holding a gold string in
    the top 5 (the gold strings compared in Simplified characters)."""
    hits = 0
    for item in items:
        question = convert_question(item["question"])
        if convert:
            question = bot.in_collection_script(question)
        passages = bot.retriever.retrieve(question, k=5, mode=mode)
        hits += any(p.source == item["source"] and any(squeeze(a) in squeeze(to_simplified(p.text)) for a in item["answers"])
                    for p in passages)
    return hits


def main() -> None:
    items = load_questions(ROOT / "eval" / "seeds_qa.jsonl", "test")
    simplified = Assistant.load(docs=ROOT / "seeds", index=ROOT / "embeddings", progress=False)
    traditional = Assistant.load(docs=traditional_seeds(), index=OUT / "seeds_traditional_index", progress=False)
    rows = []
    for docs, bot in (("Simplified", simplified), ("Traditional", traditional)):
        for asked, convert_question in (("Simplified", lambda q: q), ("Traditional", to_traditional)):
            for convert in (False, True):
                m = score(bot, items, convert_question, convert)
                rows.append({"documents": docs, "questions": asked,
                             "question": "in the documents' script" if convert else "as written", **m})
                print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    n = sum(1 for i in items if i.get("answerable", True))
    print(f"\nseed test split: {n} answerable, {len(items) - n} unanswerable questions\n")
    print("| documents | questions | question given to retrieval | accuracy | abstention | wrong abstention | right |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['documents']} | {r['questions']} | {r['question']} | {r['accuracy']:.3f} | "
              f"{r['abstention']:.3f} | {r['wrong_abstention']:.3f} | {r['right']} |")
    # Retrieval alone, over every answerable seed question (dev and test): what putting the
    # question into the documents' script does for the dense vector (BM25's tokens are converted
    # either way: lexical.tokenize).
    answerable = [i for i in load_questions(ROOT / "eval" / "seeds_qa.jsonl") if i.get("answerable", True)]
    print(f"\nretrieval, {len(answerable)} answerable seed questions (dev and test): hit@5 (a top-5 passage of "
          "the gold file holds a gold string)\n")
    print("| documents | questions | mode | question as written | in the documents' script |\n|---|---|---|---|---|")
    for docs, bot, asked, convert_question in (("Simplified", simplified, "Traditional", to_traditional),
                                               ("Traditional", traditional, "Simplified", lambda q: q)):
        for mode in ("dense", "hybrid"):
            plain, converted = (retrieval_hits(bot, answerable, convert_question, c, mode) for c in (False, True))
            print(f"| {docs} | {asked} | {mode} | {plain} | {converted} |", flush=True)


if __name__ == "__main__":
    main()
