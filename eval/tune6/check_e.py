"""Check eval/tune6/qa.jsonl against eval/tune6/docs/*_synthetic_e.txt.

Verifies fields and types, that every string in `answers` occurs verbatim in its
source once all whitespace is removed, the counts asked for (40 answerable,
20 unanswerable, >= 20 quantity questions, >= 2 of each other type among the
answerable ones, >= 45 % of the answerable ones paraphrased), unique ids and
questions. Exits 1 on any problem. `-v` also lists gold strings that occur more
than once in their source.
"""
import collections
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
QA = os.path.join(HERE, "qa.jsonl")   # the three helpers' questions; this script checks its own (e…)


def own_lines(path, encoding="utf-8"):
    """The lines of qa.jsonl whose id starts with 'e' (the other helpers' are checked by their scripts)."""
    import io
    return io.StringIO("".join(line for line in open(path, encoding=encoding) if line.lstrip().startswith('{"id": "e')))
DOCS = os.path.join(HERE, "docs")
SOURCES = ["000_synthetic_e.txt", "001_synthetic_e.txt"]
TYPES = {"quantity", "time", "place", "person", "org", "list", "title", "what", "sentence"}
FIELDS = {"id": str, "question": str, "answer": str, "answers": list, "source": str,
          "type": str, "paraphrase": bool, "answerable": bool, "split": str}


def squash(s):
    return re.sub(r"\s+", "", s)


def main():
    verbose = "-v" in sys.argv
    problems = []
    texts = {}
    for name in SOURCES:
        path = os.path.join(DOCS, name)
        if not os.path.exists(path):
            problems.append(f"missing document {name}")
            continue
        texts[name] = squash(open(path, encoding="utf-8").read())

    rows = []
    with own_lines(QA) as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                problems.append(f"line {n}: empty line")
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as e:
                problems.append(f"line {n}: bad JSON ({e})")

    ids, questions = collections.Counter(), collections.Counter()
    for i, r in enumerate(rows, 1):
        rid = r.get("id", f"line{i}")
        if set(r) != set(FIELDS):
            problems.append(f"{rid}: fields {sorted(r)} != {sorted(FIELDS)}")
        for k, t in FIELDS.items():
            if k in r and not isinstance(r[k], t):
                problems.append(f"{rid}: field {k} is not {t.__name__}")
        if r.get("id") != f"e{i:03d}":
            problems.append(f"{rid}: expected id e{i:03d}")
        ids[r.get("id")] += 1
        questions[squash(r.get("question", ""))] += 1
        if r.get("type") not in TYPES:
            problems.append(f"{rid}: unknown type {r.get('type')!r}")
        if r.get("split") != "tune6":
            problems.append(f"{rid}: split must be 'tune6'")
        answers = r.get("answers", [])
        if not all(isinstance(a, str) for a in answers):
            problems.append(f"{rid}: answers must be strings")
            continue
        if len(set(answers)) != len(answers):
            problems.append(f"{rid}: duplicate strings in answers")
        if r.get("answerable"):
            if not answers or r.get("answer") != answers[0]:
                problems.append(f"{rid}: answer must be answers[0]")
            src = r.get("source")
            if src not in texts:
                problems.append(f"{rid}: source {src!r} is not one of {SOURCES}")
                continue
            for a in answers:
                if not a.strip():
                    problems.append(f"{rid}: empty gold string")
                    continue
                cnt = texts[src].count(squash(a))
                if cnt == 0:
                    problems.append(f"{rid}: {a!r} not found in {src}")
                elif cnt > 1 and verbose:
                    print(f"  note {rid}: {a!r} occurs {cnt} times in {src}")
            if squash(r["answer"]) in squash(r.get("question", "")):
                problems.append(f"{rid}: the answer appears in the question")
        else:
            if r.get("answer") != "" or answers != [] or r.get("source") != "":
                problems.append(f"{rid}: unanswerable needs answer '', answers [], source ''")

    for k, c in ids.items():
        if c > 1:
            problems.append(f"duplicate id {k}")
    for k, c in questions.items():
        if c > 1:
            problems.append(f"duplicate question {k}")

    ans = [r for r in rows if r.get("answerable")]
    una = [r for r in rows if not r.get("answerable")]
    types = collections.Counter(r.get("type") for r in ans)
    para = sum(1 for r in ans if r.get("paraphrase"))
    share = para / len(ans) if ans else 0.0
    if len(rows) != 60:
        problems.append(f"{len(rows)} questions, expected 60")
    if [r.get("id") for r in ans] != [f"e{i:03d}" for i in range(1, 41)]:
        problems.append("e001-e040 must be exactly the answerable questions")
    if len(una) != 20:
        problems.append(f"{len(una)} unanswerable questions, expected 20")
    if types["quantity"] < 20:
        problems.append(f"only {types['quantity']} quantity questions (need >= 20)")
    for t in sorted(TYPES - {"quantity"}):
        if types[t] < 2:
            problems.append(f"only {types[t]} answerable {t} questions (need >= 2)")
    if share < 0.45:
        problems.append(f"paraphrase share {share:.1%} < 45%")
    for src in SOURCES:
        if not any(r.get("source") == src for r in ans):
            problems.append(f"no question on {src}")

    print(f"questions {len(rows)}: answerable {len(ans)}, unanswerable {len(una)}")
    print("answerable by type:", dict(sorted(types.items(), key=lambda kv: -kv[1])))
    print("by source:", dict(collections.Counter(r.get("source") for r in ans)))
    print(f"paraphrased: {para}/{len(ans)} = {share:.1%}")
    for name in SOURCES:
        path = os.path.join(DOCS, name)
        if os.path.exists(path):
            raw = open(path, encoding="utf-8").read()
            print(f"{name}: {len(raw)} characters, {len(raw.encode('utf-8'))} bytes, "
                  f"{len(squash(raw))} without whitespace")
    for p in problems:
        print("PROBLEM:", p)
    print(f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
