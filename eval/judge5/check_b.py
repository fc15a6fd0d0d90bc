#!/usr/bin/env python3
"""Check helper B's questions (ids b…, in eval/judge5/qa.jsonl) against eval/judge5/docs/00{2,3}_synthetic_b.txt.

Usage: python3 eval/judge5/check_b.py [-v]

Checks: fields and their types; answer == answers[0]; every string of `answers`
occurs verbatim in its source file once all whitespace is removed; unanswerable
rows have answer "", answers [] and source ""; 40 answerable and 20 unanswerable;
at least 20 answerable quantity questions; at least 45 % of the answerable
questions paraphrased; both files covered; ids and questions unique.
With -v it also lists gold strings that occur more than once in their file.
Exits 1 on any problem.
"""
import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
QA = HERE / "qa.jsonl"   # both helpers' questions; this script checks the b… ones
DOCS = HERE / "docs"
FILES = ["002_synthetic_b.txt", "003_synthetic_b.txt"]
TYPES = {"quantity", "time", "place", "person", "org", "list", "title", "what", "sentence"}
FIELDS = {
    "id": str, "question": str, "answer": str, "answers": list, "source": str,
    "type": str, "paraphrase": bool, "answerable": bool, "split": str,
}


def squash(s):
    return re.sub(r"\s+", "", s)


def main():
    verbose = "-v" in sys.argv[1:]
    problems = []
    texts = {f: squash((DOCS / f).read_text(encoding="utf-8")) for f in FILES}
    rows = []
    for n, line in enumerate(QA.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as e:
            problems.append(f"line {n}: bad JSON ({e})")

    rows = [r for r in rows if str(r.get("id", "")).startswith("b")]
    multi = []
    for r in rows:
        rid = r.get("id", "?")
        if set(r) != set(FIELDS):
            problems.append(f"{rid}: fields {sorted(r)}")
            continue
        for k, t in FIELDS.items():
            if not isinstance(r[k], t):
                problems.append(f"{rid}: field {k} is not {t.__name__}")
        if not re.fullmatch(r"b\d{3}", rid):
            problems.append(f"{rid}: id not of the form b001")
        if r["type"] not in TYPES:
            problems.append(f"{rid}: type {r['type']!r}")
        if r["split"] != "judge5":
            problems.append(f"{rid}: split {r['split']!r}")
        if not r["question"].strip():
            problems.append(f"{rid}: empty question")
        if r["answerable"]:
            if r["source"] not in texts:
                problems.append(f"{rid}: source {r['source']!r}")
                continue
            if not r["answers"] or r["answer"] != r["answers"][0]:
                problems.append(f"{rid}: answer must equal answers[0]")
            if len(set(r["answers"])) != len(r["answers"]):
                problems.append(f"{rid}: duplicate strings in answers")
            text = texts[r["source"]]
            for a in r["answers"]:
                if not isinstance(a, str) or not a.strip():
                    problems.append(f"{rid}: empty or non-string answer {a!r}")
                    continue
                if squash(a) != a:
                    problems.append(f"{rid}: answer holds whitespace {a!r}")
                c = text.count(squash(a))
                if c == 0:
                    problems.append(f"{rid}: {a!r} not found in {r['source']}")
                elif c > 1 and a == r["answer"]:
                    multi.append(f"{rid}: {a!r} occurs {c} times in {r['source']}")
        else:
            if r["answer"] != "" or r["answers"] != [] or r["source"] != "":
                problems.append(f"{rid}: unanswerable row must have answer '', answers [], source ''")

    ids = Counter(r.get("id") for r in rows)
    qs = Counter(r.get("question") for r in rows)
    problems += [f"duplicate id {i}" for i, c in ids.items() if c > 1]
    problems += [f"duplicate question {q}" for q, c in qs.items() if c > 1]

    ans = [r for r in rows if r.get("answerable") is True]
    una = [r for r in rows if r.get("answerable") is False]
    nq = sum(r["type"] == "quantity" for r in ans)
    npara = sum(r["paraphrase"] for r in ans)
    share = npara / len(ans) if ans else 0.0
    if len(ans) != 40:
        problems.append(f"{len(ans)} answerable questions, expected 40")
    if len(una) != 20:
        problems.append(f"{len(una)} unanswerable questions, expected 20")
    if nq < 20:
        problems.append(f"only {nq} quantity questions, expected >= 20")
    if share < 0.45:
        problems.append(f"paraphrase share {share:.2f} < 0.45")
    for f in FILES:
        if not any(r["source"] == f for r in ans):
            problems.append(f"no question on {f}")

    print(f"rows {len(rows)}: answerable {len(ans)}, unanswerable {len(una)}")
    print("answerable by type:", dict(Counter(r["type"] for r in ans).most_common()))
    print("answerable by file:", dict(Counter(r["source"] for r in ans)))
    print(f"paraphrased: {npara}/{len(ans)} = {share:.0%}")
    print("file sizes (chars without whitespace):", {f: len(t) for f, t in texts.items()})
    if verbose:
        print("main answers occurring more than once in their file (questions worded for one):")
        for m in multi:
            print("  " + m)
    if problems:
        print(f"{len(problems)} problem(s):")
        for p in problems:
            print("  " + p)
        sys.exit(1)
    print("OK")


if __name__ == "__main__":
    main()
