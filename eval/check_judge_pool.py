"""Check a judging-pool file: python eval/check_judge_pool.py eval/seeds_qa_judge.jsonl

(The script the helpers who wrote the pools ran on their drafts; paths are relative to the
repository now, and every other judging pool counts as an older set, as it did for the second
pool's writers.)

Checks each line: the fields, the gold strings verbatim in the source file (whitespace removed),
that the sentence holding the gold answer holds no gold answer of a test-split or fresh question
(protected sentences), and that the main answer differs from the main answer of every existing
question. Prints one line per problem; exits 1 if any.
"""
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_seeds_qa import FIELDS, ROOT, TYPES, load, squash  # noqa: E402

SEEDS = ROOT / "seeds"

def joined(name):
    return squash((SEEDS / name).read_text(encoding="utf-8"))

def sentences(text):
    return [s for s in re.split(r"(?<=[。！？；])", text) if s]

texts = {p.name: joined(p.name) for p in SEEDS.glob("*.txt")}
# The older sets: the two question sets and every other judging pool (a later pool is checked
# against the earlier ones: their sentences are protected like the test split's).
checked = Path(sys.argv[1]).resolve()
older = [ROOT / "eval" / f for f in ("seeds_qa.jsonl", "seeds_qa_fresh.jsonl")] + \
    sorted(p for p in (ROOT / "eval").glob("seeds_qa_judge*.jsonl") if p.resolve() != checked)
old = [q for f in older for q in load(f)]
protected = set()
for q in old:
    if q["answerable"] and q["split"] != "dev":
        for s in sentences(texts[q["source"]]):
            if any(a and squash(a) in s for a in q["answers"]):
                protected.add((q["source"], s))
old_answers = {q["answer"] for q in old if q["answerable"]}
old_questions = {q["question"] for q in old}

problems = 0
def bad(qid, msg):
    global problems
    problems += 1
    print(f"{qid}: {msg}")

rows = load(Path(sys.argv[1]))
seen = set()
for q in rows:
    qid = q.get("id", "?")
    for k, t in FIELDS.items():
        if not isinstance(q.get(k), t):
            bad(qid, f"field {k} missing or not {t.__name__}")
    if q.get("type") not in TYPES:
        bad(qid, f"type {q.get('type')} unknown")
    if q.get("question") in old_questions or q.get("question") in seen:
        bad(qid, "question duplicated")
    seen.add(q.get("question"))
    if not q.get("answerable"):
        if q.get("answer") or q.get("answers") or q.get("source"):
            bad(qid, "unanswerable: answer, answers and source must be empty")
        continue
    if q.get("source") not in texts:
        bad(qid, f"source {q.get('source')} is not a seed file"); continue
    if not q["answers"] or q["answers"][0] != q["answer"]:
        bad(qid, "answers must start with answer")
    text = texts[q["source"]]
    for a in q["answers"]:
        if squash(a) not in text:
            bad(qid, f"gold {a!r} not verbatim in {q['source']}")
    if q["answer"] in old_answers:
        bad(qid, f"main answer {q['answer']!r} equals an existing question's")
    holding = [s for s in sentences(text) if squash(q["answer"]) in s]
    if holding and all((q["source"], s) in protected for s in holding):
        bad(qid, "every sentence holding the answer holds a test/fresh gold answer (protected)")
print(f"{len(rows)} questions, {problems} problems")
sys.exit(1 if problems else 0)
