"""Print, for each question, the answer and the abstention evidence of the four best-ranked
sentences: the ranker's probability, the abstention model's confidence, the passage's rank, and
the weighed features that fire (Reader.evidence, CONFIDENCE_WEIGHTS).

    python bench/evidence_probe.py eval/tune6/docs bench/out/tune6_index "2025年沅溪州的过夜游客在游客总数中只占多大比例？"

For tuning collections and the seed dev split only: the judging pools are read in aggregate.
The thirty-first session's rule 2 (BENCHMARKS.md section 3) was read off its output.
It reaches the reader through Assistant._reader, as bench/span_probe.py does.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import reader as R  # noqa: E402
from assistant.pipeline import Assistant, clean_question  # noqa: E402


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__)
        return 2
    bot = Assistant.load(argv[0], argv[1])
    for question in argv[2:]:
        answer = bot.ask(question)
        reader = bot._reader
        print("Q", question, "| got", repr(answer.text), answer.score, answer.found, (answer.message or "")[:50])
        cleaned = clean_question(question)
        query_vector, reader_vector = bot.question_vectors(cleaned)
        passages = bot.retriever.retrieve(cleaned, k=5, query_vector=query_vector)
        scored = reader.score_sentences(cleaned, passages, reader_vector, R.question_type(cleaned))
        for s in scored[:4]:
            evidence = reader.evidence(cleaned, passages, s)
            print(f"  p={s.score:.3f} conf={reader.confidence(evidence):.3f} rank={s.passage}",
                  reader.sentence_text(s)[:70])
            print("     ", {k: round(v, 2) for k, v in evidence.items() if k in R.CONFIDENCE_WEIGHTS and v})
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
