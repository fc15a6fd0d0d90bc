"""Print, for each question, the answer, the chosen sentence, its POS tokens, and the span
candidates of that sentence with the span ranker's scores (best first).

    python bench/span_probe.py eval/tune7/docs bench/out/tune7_index "浔河石埠大桥是哪家企业负责施工的？"

For tuning collections and the seed dev split only: the judging pools are read in aggregate.
The thirtieth session's rules 2 and 3 (BENCHMARKS.md section 3) were read off its output.  The
ranker is given no clause cosines here (None), so its scores can differ slightly from ask's.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import ranker  # noqa: E402
from assistant import reader as R  # noqa: E402
from assistant.pipeline import Assistant  # noqa: E402


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__)
        return 2
    bot = Assistant.load(argv[0], argv[1])
    for question in argv[2:]:
        answer = bot.ask(question)
        reader = bot._reader
        print("Q", question, "| kind", R.question_type(question), "| got", repr(answer.text), answer.score,
              answer.found, (answer.message or "")[:60])
        print("  S", answer.sentence)
        if not answer.found:
            continue
        table = reader.index.sentences
        row = next(r for r in range(len(table)) if table.start[r] == answer.sentence_start and
                   table.end[r] == answer.sentence_end and
                   reader.index.chunks[int(table.chunk[r])].source == answer.source)
        pos, sentence, kind = table.pos[row], answer.sentence, R.question_type(question)
        print("  POS", " ".join(pos))
        candidates = R.span_candidates(question, kind, sentence, pos, R.pick_span(question, kind, sentence, pos))
        neural = reader.span_head.span_scores(question, sentence, [(sp.start, sp.end) for sp, _ in candidates])
        scores = reader.span_ranker.decision(ranker.span_features(question, kind, sentence, pos, candidates, None, neural))
        for i in np.argsort(-scores)[:8]:
            span, tags = candidates[i]
            print(f"   {scores[i]:+.3f} {sentence[span.start:span.end]!r} {sorted(tags)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
