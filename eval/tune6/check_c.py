#!/usr/bin/env python3
"""Check eval/tune6/qa.jsonl against its two synthetic documents (letter c).

Checks: fields and types, ids c001..c060 unique and in order, unique questions,
every string of `answers` occurs verbatim in its source once all whitespace is
removed, answer == answers[0], unanswerable rows empty, counts (40 answerable
with >= 20 quantity and >= 2 of each other type, 20 unanswerable), paraphrase
share >= 45 % of the answerable questions. With -v it lists answers whose main
string occurs more than once in the source, and answerable questions whose
main answer also occurs in the other file. Exit status 1 on any problem.
"""
import json, os, re, sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
QA = os.path.join(HERE, "qa.jsonl")   # the three helpers' questions; this script checks its own (c…)


def own_lines(path, encoding="utf-8"):
    """The lines of qa.jsonl whose id starts with 'c' (the other helpers' are checked by their scripts)."""
    import io
    return io.StringIO("".join(line for line in open(path, encoding=encoding) if line.lstrip().startswith('{"id": "c')))
DOCS = os.path.join(HERE, 'docs')
FILES = ['000_synthetic_c.txt', '001_synthetic_c.txt']
TYPES = {'quantity', 'time', 'place', 'person', 'org', 'list', 'title', 'what', 'sentence'}
FIELDS = {'id': str, 'question': str, 'answer': str, 'answers': list, 'source': str,
          'type': str, 'paraphrase': bool, 'answerable': bool, 'split': str}


def squash(s):
    return re.sub(r'\s+', '', s)


def main():
    verbose = '-v' in sys.argv
    problems = []
    texts = {}
    for f in FILES:
        p = os.path.join(DOCS, f)
        if not os.path.exists(p):
            problems.append(f'missing document {f}')
            continue
        raw = open(p, encoding='utf-8').read()
        texts[f] = squash(raw)
        nbytes = len(raw.encode('utf-8'))
        print(f'{f}: {len(raw)} chars, {nbytes} bytes, {len(texts[f])} non-space chars')
    rows = []
    for n, line in enumerate(own_lines(QA), 1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as e:
            problems.append(f'line {n}: bad JSON ({e})')
    ids, qs = Counter(), Counter()
    for i, r in enumerate(rows, 1):
        rid = r.get('id', f'line{i}')
        if set(r) != set(FIELDS):
            problems.append(f'{rid}: fields {sorted(r)}')
            continue
        for k, t in FIELDS.items():
            if not isinstance(r[k], t):
                problems.append(f'{rid}: field {k} is not {t.__name__}')
        if rid != f'c{i:03d}':
            problems.append(f'{rid}: expected id c{i:03d}')
        ids[rid] += 1
        qs[squash(r['question'])] += 1
        if r['type'] not in TYPES:
            problems.append(f'{rid}: unknown type {r["type"]}')
        if r['split'] != 'tune6':
            problems.append(f'{rid}: split {r["split"]}')
        if not r['question'].endswith(('？', '?')):
            problems.append(f'{rid}: question does not end with ？')
        if r['answerable']:
            if not r['answers'] or r['answer'] != r['answers'][0]:
                problems.append(f'{rid}: answer must equal answers[0]')
            if len(set(r['answers'])) != len(r['answers']):
                problems.append(f'{rid}: duplicate strings in answers')
            if r['source'] not in texts:
                problems.append(f'{rid}: source {r["source"]!r} not one of {FILES}')
                continue
            text = texts[r['source']]
            for a in r['answers']:
                if not isinstance(a, str) or not a.strip():
                    problems.append(f'{rid}: empty answer string')
                elif squash(a) not in text:
                    problems.append(f'{rid}: {a!r} not in {r["source"]}')
            bare = lambda a: squash(a).strip('《》“”')
            if r['type'] != 'sentence' and len(bare(r['answer'])) > min(len(bare(a)) for a in r['answers']):
                problems.append(f'{rid}: answer is not the shortest accepted string')
            if verbose:
                k = text.count(squash(r['answer']))
                if k > 1:
                    print(f'  note {rid}: {r["answer"]!r} occurs {k}x in {r["source"]}')
                if r['type'] == 'quantity' and re.match(r'[0-9.]', r['answer']):
                    longer = set(re.findall(r'[0-9.]+' + re.escape(squash(r['answer'])), text))
                    if longer:
                        print(f'  note {rid}: {r["answer"]!r} is the tail of {sorted(longer)}')
                other = [f for f in texts if f != r['source'] and squash(r['answer']) in texts[f]]
                if other:
                    print(f'  note {rid}: {r["answer"]!r} also occurs in {other[0]}')
        else:
            if r['answer'] != '' or r['answers'] != [] or r['source'] != '':
                problems.append(f'{rid}: unanswerable row must have empty answer/answers/source')
    for k, v in ids.items():
        if v > 1:
            problems.append(f'duplicate id {k}')
    for k, v in qs.items():
        if v > 1:
            problems.append(f'duplicate question {k}')
    ans = [r for r in rows if r.get('answerable') is True]
    una = [r for r in rows if r.get('answerable') is False]
    types = Counter(r['type'] for r in ans)
    para = sum(1 for r in ans if r['paraphrase'])
    print(f'rows {len(rows)}: answerable {len(ans)}, unanswerable {len(una)}')
    print('answerable by type:', dict(types.most_common()))
    print('answerable by file:', dict(Counter(r['source'] for r in ans)))
    print('unanswerable by type:', dict(Counter(r['type'] for r in una).most_common()))
    share = para / len(ans) if ans else 0
    print(f'paraphrased: {para}/{len(ans)} answerable ({share:.0%}), '
          f'{sum(1 for r in rows if r.get("paraphrase"))}/{len(rows)} overall')
    if len(rows) != 60:
        problems.append(f'expected 60 rows, got {len(rows)}')
    if len(ans) != 40 or len(una) != 20:
        problems.append('expected 40 answerable and 20 unanswerable')
    if [r['answerable'] for r in rows] != [True] * len(ans) + [False] * len(una):
        problems.append('answerable rows must come first (c001-c040)')
    if types['quantity'] < 20:
        problems.append(f'only {types["quantity"]} quantity questions (need 20)')
    for t in TYPES - {'quantity'}:
        if types[t] < 2:
            problems.append(f'only {types[t]} {t} questions (need 2)')
    if share < 0.45:
        problems.append(f'paraphrase share {share:.0%} < 45%')
    for p in problems:
        print('PROBLEM:', p)
    print(f'{len(problems)} problem(s)')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
