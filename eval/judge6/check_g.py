#!/usr/bin/env python3
"""Check eval/judge6/qa.jsonl (helper letter g).

Checks: fields and their types, ids g001..g060 in order, unique ids and questions,
every string of `answers` verbatim in its source once all whitespace is removed,
answer == answers[0], unanswerable rows empty, counts (40 answerable with >= 20
quantity and >= 2 of each other type, 20 unanswerable), paraphrase share >= 45 %.
Also warns (does not fail) when a main answer occurs more than once in its source
or sits inside a longer number. Exit status 1 on any problem.
"""
import json, os, re, sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
QA = os.path.join(HERE, "qa.jsonl")   # the three helpers' questions; this script checks its own (g…)


def own_lines(path, encoding="utf-8"):
    """The lines of qa.jsonl whose id starts with 'g' (the other helpers' are checked by their scripts)."""
    import io
    return io.StringIO("".join(line for line in open(path, encoding=encoding) if line.lstrip().startswith('{"id": "g')))
DOCS = os.path.join(HERE, "docs")
SOURCES = ["000_synthetic_g.txt", "001_synthetic_g.txt"]
TYPES = {"quantity", "time", "place", "person", "org", "list", "title", "what", "sentence"}
FIELDS = {"id": str, "question": str, "answer": str, "answers": list, "source": str,
          "type": str, "paraphrase": bool, "answerable": bool, "split": str}

def norm(s):
    return re.sub(r"\s+", "", s)

def main():
    problems, warnings = [], []
    texts = {}
    for name in SOURCES:
        path = os.path.join(DOCS, name)
        raw = open(path, encoding="utf-8").read()
        size = len(raw.encode("utf-8"))
        if not 14000 <= size <= 16000:
            problems.append(f"{name}: {size} bytes, outside 14000-16000")
        texts[name] = norm(raw)
    rows = []
    for n, line in enumerate(own_lines(QA), 1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as e:
            problems.append(f"line {n}: bad JSON ({e})")
    ids, questions = Counter(), Counter()
    for i, r in enumerate(rows, 1):
        rid = r.get("id", f"line{i}")
        if set(r) != set(FIELDS):
            problems.append(f"{rid}: fields {sorted(r)}")
        for k, t in FIELDS.items():
            if k in r and not isinstance(r[k], t):
                problems.append(f"{rid}: field {k} is not {t.__name__}")
        if rid != f"g{i:03d}":
            problems.append(f"{rid}: expected id g{i:03d}")
        ids[rid] += 1
        questions[norm(r.get("question", ""))] += 1
        if r.get("type") not in TYPES:
            problems.append(f"{rid}: bad type {r.get('type')}")
        if r.get("split") != "judge6":
            problems.append(f"{rid}: split must be judge6")
        if not r.get("question", "").strip():
            problems.append(f"{rid}: empty question")
        if r.get("answerable"):
            ans = r.get("answers", [])
            if not ans or ans[0] != r.get("answer") or not r.get("answer"):
                problems.append(f"{rid}: answer must be non-empty and answers[0]")
            if len(set(ans)) != len(ans):
                problems.append(f"{rid}: duplicate strings in answers")
            src = r.get("source")
            if src not in texts:
                problems.append(f"{rid}: unknown source {src!r}")
                continue
            for a in ans:
                if not isinstance(a, str) or not norm(a) or norm(a) not in texts[src]:
                    problems.append(f"{rid}: {a!r} not found verbatim in {src}")
            a = norm(r["answer"])
            cnt = texts[src].count(a)
            if cnt > 1:
                warnings.append(f"{rid}: main answer {a!r} occurs {cnt} times in {src}")
            if re.match(r"[\d.]", a):
                for m in re.finditer(re.escape(a), texts[src]):
                    if m.start() > 0 and re.match(r"[\d.]", texts[src][m.start() - 1]):
                        warnings.append(f"{rid}: {a!r} also sits inside a longer number")
                        break
        else:
            if r.get("answer") != "" or r.get("answers") != [] or r.get("source") != "":
                problems.append(f"{rid}: unanswerable row must have empty answer/answers/source")
    for k, v in ids.items():
        if v > 1:
            problems.append(f"duplicate id {k}")
    for k, v in questions.items():
        if v > 1:
            problems.append(f"duplicate question {k}")
    ans_rows = [r for r in rows if r.get("answerable")]
    una_rows = [r for r in rows if not r.get("answerable")]
    types = Counter(r["type"] for r in ans_rows)
    para = sum(1 for r in ans_rows if r.get("paraphrase"))
    if len(rows) != 60:
        problems.append(f"{len(rows)} rows, expected 60")
    if len(ans_rows) != 40 or len(una_rows) != 20:
        problems.append(f"answerable {len(ans_rows)} / unanswerable {len(una_rows)}, expected 40 / 20")
    if any(not r.get("answerable") for r in rows[:40]) or any(r.get("answerable") for r in rows[40:]):
        problems.append("g001-g040 must be answerable and g041-g060 unanswerable")
    if types["quantity"] < 20:
        problems.append(f"only {types['quantity']} quantity questions")
    for t in TYPES - {"quantity"}:
        if types[t] < 2:
            problems.append(f"only {types[t]} {t} questions")
    share = para / len(ans_rows) if ans_rows else 0
    if share < 0.45:
        problems.append(f"paraphrase share {share:.0%} < 45%")
    by_src = Counter(r["source"] for r in ans_rows)
    for w in warnings:
        print("warning:", w)
    print(f"rows {len(rows)}: answerable {len(ans_rows)}, unanswerable {len(una_rows)}")
    print("answerable by type:", dict(sorted(types.items())))
    print("answerable by source:", dict(by_src))
    print("unanswerable by type:", dict(Counter(r['type'] for r in una_rows)))
    print(f"paraphrased {para}/{len(ans_rows)} = {share:.1%}")
    for p in problems:
        print("PROBLEM:", p)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0

if __name__ == "__main__":
    sys.exit(main())
