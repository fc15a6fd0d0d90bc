#!/usr/bin/env python3
"""Check qa.jsonl (judge6, letter h) against docs/*_synthetic_h.txt.

Checks: fields and types, ids h001..h060 in order, unique ids and questions,
every string of `answers` verbatim in its source once all whitespace is removed,
answer == answers[0] and the shortest of them, no quantity answer sitting inside
a longer number of its file, counts (40 answerable / 20 not, >= 20 quantity,
>= 2 of each other type, >= 45 % paraphrased), document sizes 14,000-16,000 bytes.
Exit status 1 on any problem.  -v lists answers occurring more than once.
"""
import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
QA = HERE / "qa.jsonl"   # the three helpers' questions; this script checks its own (h…)
DOCS = HERE / "docs"
FILES = ["000_synthetic_h.txt", "001_synthetic_h.txt"]
TYPES = {"quantity", "time", "place", "person", "org", "list", "title", "what", "sentence"}
# answers whose main string is deliberately not the shortest accepted one
ALLOW_LONGER = {"h030": "full name first; 州林科院 is the abbreviation the text also uses"}
MARKS = "《》“”"
FIELDS = {"id": str, "question": str, "answer": str, "answers": list, "source": str,
          "type": str, "paraphrase": bool, "answerable": bool, "split": str}


def main():
    verbose = "-v" in sys.argv
    problems = []
    texts = {}
    for f in FILES:
        p = DOCS / f
        if not p.exists():
            problems.append(f"missing document {f}")
            continue
        raw = p.read_bytes()
        if not 14000 <= len(raw) <= 16000:
            problems.append(f"{f}: {len(raw)} bytes, outside 14,000-16,000")
        texts[f] = re.sub(r"\s+", "", raw.decode("utf-8"))

    rows = []
    for n, line in enumerate([line for line in QA.read_text(encoding="utf-8").splitlines() if line.lstrip().startswith('{"id": "h')], 1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as e:
            problems.append(f"line {n}: bad JSON ({e})")

    ids, questions = Counter(), Counter()
    for i, q in enumerate(rows, 1):
        qid = q.get("id", f"line{i}")
        if set(q) != set(FIELDS):
            problems.append(f"{qid}: fields {sorted(q)}")
            continue
        for k, t in FIELDS.items():
            if not isinstance(q[k], t):
                problems.append(f"{qid}: field {k} is not {t.__name__}")
        if qid != f"h{i:03d}":
            problems.append(f"{qid}: expected id h{i:03d}")
        ids[qid] += 1
        questions[q["question"]] += 1
        if q["type"] not in TYPES:
            problems.append(f"{qid}: unknown type {q['type']}")
        if q["split"] != "judge6":
            problems.append(f"{qid}: split {q['split']}")
        if not q["question"].strip():
            problems.append(f"{qid}: empty question")
        if (i <= 40) != q["answerable"]:
            problems.append(f"{qid}: h001-h040 must be answerable, h041-h060 not")
        if not q["answerable"]:
            if q["answer"] != "" or q["answers"] != [] or q["source"] != "":
                problems.append(f"{qid}: unanswerable needs answer '', answers [], source ''")
            continue
        if q["source"] not in texts:
            problems.append(f"{qid}: source {q['source']!r} not one of {FILES}")
            continue
        text = texts[q["source"]]
        if not q["answers"] or q["answers"][0] != q["answer"]:
            problems.append(f"{qid}: answers must start with answer")
        if len(set(q["answers"])) != len(q["answers"]):
            problems.append(f"{qid}: duplicate strings in answers")
        for a in q["answers"]:
            if not isinstance(a, str) or not a:
                problems.append(f"{qid}: empty or non-string answer")
                continue
            if re.sub(r"\s+", "", a) != a:
                problems.append(f"{qid}: whitespace in answer {a!r}")
            if a not in text:
                problems.append(f"{qid}: {a!r} not found in {q['source']}")
        if q["answers"] and qid not in ALLOW_LONGER:
            bare = lambda x: x.strip(MARKS)
            if len(bare(q["answer"])) > min(len(bare(a)) for a in q["answers"]):
                problems.append(f"{qid}: answer is not the shortest accepted string")
        a = q["answer"]
        if a and a in text:
            occ = [m.start() for m in re.finditer(re.escape(a), text)]
            if q["type"] == "quantity":
                for s in occ:
                    before = text[s - 1] if s > 0 else ""
                    after = text[s + len(a)] if s + len(a) < len(text) else ""
                    if (a[0].isdigit() and (before.isdigit() or before == ".")) or \
                       (a[-1].isdigit() and (after.isdigit() or after == ".")):
                        problems.append(f"{qid}: {a!r} sits inside a longer number at {s}")
            if verbose and len(occ) > 1:
                print(f"note {qid}: {a!r} occurs {len(occ)} times in {q['source']}")

    for k, c in ids.items():
        if c > 1:
            problems.append(f"duplicate id {k}")
    for k, c in questions.items():
        if c > 1:
            problems.append(f"duplicate question {k}")

    ans = [q for q in rows if q.get("answerable") is True]
    una = [q for q in rows if q.get("answerable") is False]
    types = Counter(q["type"] for q in ans)
    para = sum(1 for q in ans if q["paraphrase"])
    if len(rows) != 60 or len(ans) != 40 or len(una) != 20:
        problems.append(f"counts: {len(rows)} rows, {len(ans)} answerable, {len(una)} not (want 60/40/20)")
    if types["quantity"] < 20:
        problems.append(f"only {types['quantity']} quantity questions")
    for t in TYPES - {"quantity"}:
        if types[t] < 2:
            problems.append(f"type {t}: only {types[t]} answerable questions")
    if ans and para / len(ans) < 0.45:
        problems.append(f"paraphrased {para}/{len(ans)} < 45%")
    for f in FILES:
        if not any(q["source"] == f for q in ans):
            problems.append(f"no question on {f}")

    print(f"answerable {len(ans)}, unanswerable {len(una)}")
    print("types:", dict(sorted(types.items(), key=lambda x: -x[1])))
    print("unanswerable types:", dict(Counter(q["type"] for q in una)))
    print(f"paraphrased {para}/{len(ans)} = {para / max(1, len(ans)):.0%}")
    print("by file:", dict(Counter(q["source"] for q in ans)))
    for f, t in texts.items():
        print(f"{f}: {(DOCS / f).stat().st_size} bytes")
    for p in problems:
        print("PROBLEM:", p)
    print(f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
