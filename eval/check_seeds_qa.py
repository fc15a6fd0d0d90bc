"""Check eval/seeds_qa.jsonl against the seed documents.

Verifies the schema of every record, that every gold string occurs verbatim in the
named source document once all whitespace (the hard line wraps included) is removed,
and the coverage requirements of the set; prints counts by file, type, split,
paraphrase and answerable. Exits with status 1 on any error.

    python eval/check_seeds_qa.py [--qa eval/seeds_qa.jsonl] [--docs seeds] [-v]

-v also lists answers whose string occurs more than once in their document (the
question must then still single out one of the occurrences; these were checked by hand).
"""
from __future__ import annotations

import argparse
import collections
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TYPES = {"quantity", "time", "place", "person", "org", "list", "title", "what", "sentence"}
FIELDS = {
    "id": str, "question": str, "answer": str, "answers": list, "source": str,
    "type": str, "paraphrase": bool, "answerable": bool, "split": str,
}
_WS = re.compile(r"\s+")


def squash(text: str) -> str:
    """Remove every whitespace character (line breaks, spaces, U+3000)."""
    return _WS.sub("", text)


def load(path: Path) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as e:
                    raise SystemExit(f"{path}:{n}: not JSON: {e}")
    return rows


def check(rows: list[dict], docs: Path, verbose: bool = False) -> list[str]:
    errors: list[str] = []
    texts = {p.name: squash(p.read_text(encoding="utf-8")) for p in sorted(docs.glob("*.txt"))}
    seen_ids, seen_q = set(), set()
    for k, r in enumerate(rows, 1):
        rid = r.get("id", f"#{k}")
        err = lambda msg: errors.append(f"{rid}: {msg}")  # noqa: E731
        if set(r) != set(FIELDS):
            err(f"fields {sorted(r)} != {sorted(FIELDS)}")
            continue
        for f, t in FIELDS.items():
            if not isinstance(r[f], t):
                err(f"{f} should be {t.__name__}")
        if rid != f"s{k:03d}":
            err(f"id should be s{k:03d}")
        if rid in seen_ids:
            err("duplicate id")
        seen_ids.add(rid)
        q = r["question"].strip()
        if not q or q in seen_q:
            err("empty or duplicate question")
        seen_q.add(q)
        if r["type"] not in TYPES:
            err(f"unknown type {r['type']!r}")
        if r["split"] not in ("dev", "test"):
            err(f"unknown split {r['split']!r}")
        if not r["answerable"]:
            if r["answer"] or r["answers"] or r["source"]:
                err("unanswerable question must have answer '', answers [], source ''")
            continue
        if r["source"] not in texts:
            err(f"unknown source {r['source']!r}")
            continue
        if not r["answer"].strip():
            err("answerable question with empty answer")
        if not r["answers"] or r["answers"][0] != r["answer"]:
            err("answers must start with answer")
        if len(set(r["answers"])) != len(r["answers"]):
            err("duplicate strings in answers")
        doc = texts[r["source"]]
        for a in r["answers"]:
            if not isinstance(a, str) or not squash(a):
                err(f"bad answer string {a!r}")
            elif squash(a) not in doc:
                err(f"{a!r} not found in {r['source']}")
        n = doc.count(squash(r["answer"]))
        if verbose and n > 1:
            print(f"  note {rid}: {r['answer']!r} occurs {n}x in {r['source']} — {r['question']}")
    return errors


def requirements(rows: list[dict]) -> list[str]:
    errors = []
    ans = [r for r in rows if r["answerable"]]
    if len(ans) < 120:
        errors.append(f"only {len(ans)} answerable questions (< 120)")
    for src, n in collections.Counter(r["source"] for r in ans).items():
        if n < 20:
            errors.append(f"{src}: only {n} questions (< 20)")
    types = collections.Counter(r["type"] for r in ans)
    for t in ("quantity", "time", "place", "person", "org", "list", "sentence"):
        if types[t] < 8:
            errors.append(f"type {t}: only {types[t]} (< 8)")
    if types["title"] + types["what"] < 8:
        errors.append("types title+what: fewer than 8")
    para = sum(r["paraphrase"] for r in ans)
    if para < 0.35 * len(ans):
        errors.append(f"paraphrased {para}/{len(ans)} < 35%")
    if len(rows) - len(ans) < 25:
        errors.append(f"only {len(rows) - len(ans)} unanswerable questions (< 25)")
    for split in ("dev", "test"):
        part = [r for r in ans if r["split"] == split]
        if {r["source"] for r in part} != {r["source"] for r in ans}:
            errors.append(f"split {split} misses a file")
        if {r["type"] for r in part} != {r["type"] for r in ans}:
            errors.append(f"split {split} misses a type")
    return errors


def _by(rows: list[dict], key) -> dict:
    out = collections.defaultdict(collections.Counter)
    for r in rows:
        out[key(r)][r["split"]] += 1
    return out


def table(title: str, counts: dict) -> None:
    print(f"{title}:")
    for key in sorted(counts, key=str):
        c = counts[key]
        print(f"  {str(key):28s} dev {c['dev']:3d}  test {c['test']:3d}  total {c['dev'] + c['test']:3d}")


def report(rows: list[dict]) -> None:
    ans = [r for r in rows if r["answerable"]]
    print(f"{len(rows)} questions: {len(ans)} answerable, {len(rows) - len(ans)} unanswerable")
    table("answerable (all questions)", _by(rows, lambda r: r["answerable"]))
    table("file (answerable)", _by(ans, lambda r: r["source"]))
    table("type (answerable)", _by(ans, lambda r: r["type"]))
    table("type (unanswerable)", _by([r for r in rows if not r["answerable"]], lambda r: r["type"]))
    table("paraphrase (answerable)", _by(ans, lambda r: r["paraphrase"]))
    print(f"  paraphrased share: {sum(r['paraphrase'] for r in ans) / max(1, len(ans)):.1%}")
    splits = collections.Counter(r["split"] for r in rows)
    print(f"split (all): dev {splits['dev']}  test {splits['test']}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--qa", type=Path, default=ROOT / "eval" / "seeds_qa.jsonl")
    ap.add_argument("--docs", type=Path, default=ROOT / "seeds")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    rows = load(args.qa)
    errors = check(rows, args.docs, args.verbose)
    if not errors:
        errors = requirements(rows)
        report(rows)
    for e in errors:
        print("ERROR", e)
    print("FAILED" if errors else "OK")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
