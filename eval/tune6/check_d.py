#!/usr/bin/env python3
"""Checker for eval/tune6/qa.jsonl (helper d): schema, verbatim gold strings, counts.

Usage: python eval/tune6/check_d.py [-v]     (exit 1 on any problem)
"""
import json, os, re, sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
QA = os.path.join(HERE, "qa.jsonl")   # the three helpers' questions; this script checks its own (d…)


def own_lines(path, encoding="utf-8"):
    """The lines of qa.jsonl whose id starts with 'd' (the other helpers' are checked by their scripts)."""
    import io
    return io.StringIO("".join(line for line in open(path, encoding=encoding) if line.lstrip().startswith('{"id": "d')))
DOCS = os.path.join(HERE, "docs")
FILES = ["000_synthetic_d.txt", "001_synthetic_d.txt"]
FIELDS = ["id", "question", "answer", "answers", "source", "type",
          "paraphrase", "answerable", "split"]
TYPES = {"quantity", "time", "place", "person", "org", "list", "title", "what", "sentence"}
verbose = "-v" in sys.argv
problems = []


def norm(s):
    return re.sub(r"\s+", "", s)


texts = {}
for f in FILES:
    p = os.path.join(DOCS, f)
    if not os.path.exists(p):
        problems.append(f"missing document {f}")
        continue
    raw = open(p, encoding="utf-8").read()
    texts[f] = norm(raw)
    nbytes = len(raw.encode("utf-8"))
    body = [l for l in raw.split("\n") if l.strip()]
    long_lines = [l for l in body if len(l) > 32]
    print(f"{f}: {len(raw)} chars, {nbytes} bytes, {len(body)} non-empty lines, "
          f"{len(long_lines)} lines over 32 chars (headings)")
    if not 13000 <= nbytes <= 17000:
        problems.append(f"{f}: size {nbytes} bytes outside 13000-17000")

rows = []
with own_lines(QA) as fh:
    for n, line in enumerate(fh, 1):
        if not line.strip():
            problems.append(f"line {n}: empty line")
            continue
        try:
            rows.append(json.loads(line))
        except Exception as e:
            problems.append(f"line {n}: bad JSON ({e})")

ids = Counter(r.get("id") for r in rows)
qs = Counter(r.get("question") for r in rows)
for k, c in ids.items():
    if c > 1:
        problems.append(f"duplicate id {k}")
for k, c in qs.items():
    if c > 1:
        problems.append(f"duplicate question {k}")
expected = [f"d{i:03d}" for i in range(1, 61)]
if [r.get("id") for r in rows] != expected:
    problems.append("ids are not d001..d060 in order")

for r in rows:
    rid = r.get("id")
    if list(r.keys()) != FIELDS:
        problems.append(f"{rid}: fields {list(r.keys())} != {FIELDS}")
        continue
    if not isinstance(r["question"], str) or not r["question"].strip():
        problems.append(f"{rid}: empty question")
    if r["type"] not in TYPES:
        problems.append(f"{rid}: bad type {r['type']}")
    for k in ("paraphrase", "answerable"):
        if not isinstance(r[k], bool):
            problems.append(f"{rid}: {k} not bool")
    if r["split"] != "tune6":
        problems.append(f"{rid}: split {r['split']}")
    if not isinstance(r["answers"], list) or not all(isinstance(a, str) for a in r["answers"]):
        problems.append(f"{rid}: answers not a list of strings")
        continue
    if r["answerable"]:
        if not r["answers"] or r["answer"] != r["answers"][0]:
            problems.append(f"{rid}: answer must equal answers[0]")
        if len(set(r["answers"])) != len(r["answers"]):
            problems.append(f"{rid}: repeated string in answers")
        if r["source"] not in FILES:
            problems.append(f"{rid}: bad source {r['source']!r}")
            continue
        t = texts.get(r["source"], "")
        for a in r["answers"]:
            if not norm(a) or norm(a) not in t:
                problems.append(f"{rid}: {a!r} not found in {r['source']}")
        main = norm(r["answer"])
        occ = t.count(main)
        other = sum(texts[f].count(main) for f in texts if f != r["source"])
        if verbose and (occ > 1 or other):
            print(f"  note {rid}: {r['answer']!r} occurs {occ}x in source, {other}x in the other file")
        if main in norm(r["question"]):
            problems.append(f"{rid}: answer appears in the question")
    else:
        if r["answer"] != "" or r["answers"] != [] or r["source"] != "":
            problems.append(f"{rid}: unanswerable must have empty answer/answers/source")

ans = [r for r in rows if r.get("answerable") is True]
una = [r for r in rows if r.get("answerable") is False]
tc = Counter(r["type"] for r in ans)
para = sum(1 for r in ans if r["paraphrase"])
para_all = sum(1 for r in rows if r.get("paraphrase"))
print(f"questions {len(rows)}: answerable {len(ans)}, unanswerable {len(una)}")
print("answerable by type:", dict(sorted(tc.items(), key=lambda x: -x[1])))
print("answerable by file:", dict(Counter(r["source"] for r in ans)))
print(f"paraphrased: {para}/{len(ans)} answerable ({para / max(1, len(ans)):.0%}), "
      f"{para_all}/{len(rows)} overall")
if len(ans) != 40:
    problems.append(f"{len(ans)} answerable, expected 40")
if len(una) != 20:
    problems.append(f"{len(una)} unanswerable, expected 20")
if any(not r["answerable"] for r in rows[:40]) or any(r["answerable"] for r in rows[40:]):
    problems.append("d001-d040 must be answerable, d041-d060 unanswerable")
if tc["quantity"] < 20:
    problems.append(f"only {tc['quantity']} quantity questions (need 20)")
for ty in TYPES - {"quantity"}:
    if tc[ty] < 2:
        problems.append(f"only {tc[ty]} {ty} questions (need 2)")
if para / max(1, len(ans)) < 0.45:
    problems.append("paraphrase share of answerable questions under 45%")

for p in problems:
    print("PROBLEM:", p)
print("OK" if not problems else f"{len(problems)} problem(s)")
sys.exit(1 if problems else 0)
