#!/usr/bin/env python3
"""Check helper A's questions (ids a…, in qa.jsonl) against docs/000_synthetic_a.txt and docs/001_synthetic_a.txt.

Checks: fields and types; every string of `answers` occurs verbatim in its source file
after removing all whitespace; 40 answerable, 20 unanswerable, >= 20 quantity questions,
paraphrase share of the answerable ones >= 45 %; unique ids and questions.
With -v it also lists answers that occur more than once in their source or that occur
in the other file (to be worded for one reading), and the document sizes.
Exit status 1 on any problem.
"""
import json, os, re, sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
QA = os.path.join(HERE, 'qa.jsonl')   # both helpers' questions; this script checks the a… ones
DOCS = os.path.join(HERE, 'docs')
FILES = ['000_synthetic_a.txt', '001_synthetic_a.txt']
TYPES = {'quantity', 'time', 'place', 'person', 'org', 'list', 'title', 'what', 'sentence'}
FIELDS = {'id': str, 'question': str, 'answer': str, 'answers': list, 'source': str,
          'type': str, 'paraphrase': bool, 'answerable': bool, 'split': str}

verbose = '-v' in sys.argv
problems = []
texts = {}
for f in FILES:
    raw = open(os.path.join(DOCS, f), encoding='utf-8').read()
    texts[f] = re.sub(r'\s+', '', raw)
    if verbose:
        print(f'{f}: {len(raw)} chars, {len(texts[f])} without whitespace, '
              f'{len(re.findall(r"[一-鿿]", raw))} CJK ideographs')

rows = []
with open(QA, encoding='utf-8') as fh:
    for ln, line in enumerate(fh, 1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as e:
            problems.append(f'line {ln}: bad JSON ({e})')

rows = [r for r in rows if str(r.get('id', '')).startswith('a')]
ids = Counter(r.get('id') for r in rows)
qs = Counter(r.get('question') for r in rows)
for k, v in ids.items():
    if v > 1: problems.append(f'duplicate id {k}')
for k, v in qs.items():
    if v > 1: problems.append(f'duplicate question {k}')

for r in rows:
    rid = r.get('id', '?')
    if set(r) != set(FIELDS):
        problems.append(f'{rid}: fields {sorted(set(r) ^ set(FIELDS))} missing or extra')
    for k, t in FIELDS.items():
        if k in r and not isinstance(r[k], t):
            problems.append(f'{rid}: field {k} should be {t.__name__}')
    if not re.fullmatch(r'a\d{3}', str(rid)): problems.append(f'{rid}: id should be aNNN')
    if r.get('type') not in TYPES: problems.append(f'{rid}: bad type {r.get("type")}')
    if r.get('split') != 'judge5': problems.append(f'{rid}: split should be judge5')
    if not str(r.get('question', '')).strip(): problems.append(f'{rid}: empty question')
    if r.get('answerable'):
        ans = r.get('answers') or []
        if not ans or ans[0] != r.get('answer'):
            problems.append(f'{rid}: answers must start with answer')
        if r.get('source') not in texts:
            problems.append(f'{rid}: bad source {r.get("source")!r}')
            continue
        src = texts[r['source']]
        for a in ans:
            if not isinstance(a, str) or not a.strip():
                problems.append(f'{rid}: empty/non-string answer variant'); continue
            a2 = re.sub(r'\s+', '', a)
            if a2 not in src:
                problems.append(f'{rid}: {a!r} not in {r["source"]}')
        if len(set(ans)) != len(ans): problems.append(f'{rid}: duplicate variants')
        if verbose and r['answer']:
            a2 = re.sub(r'\s+', '', r['answer'])
            n = src.count(a2)
            other = [f for f in FILES if f != r['source'] and a2 in texts[f]]
            if n > 1 or other:
                print(f'  note {rid}: {r["answer"]!r} x{n} in source' +
                      (f', also in {other}' if other else ''))
    else:
        if r.get('answer') != '' or r.get('answers') != [] or r.get('source') != '':
            problems.append(f'{rid}: unanswerable needs answer "", answers [], source ""')

ansd = [r for r in rows if r.get('answerable')]
una = [r for r in rows if r.get('answerable') is False]
nq = sum(r.get('type') == 'quantity' for r in ansd)
npar = sum(bool(r.get('paraphrase')) for r in ansd)
share = npar / len(ansd) if ansd else 0
if len(ansd) != 40: problems.append(f'answerable count {len(ansd)} != 40')
if len(una) != 20: problems.append(f'unanswerable count {len(una)} != 20')
if nq < 20: problems.append(f'quantity count {nq} < 20')
if share < 0.45: problems.append(f'paraphrase share {share:.2f} < 0.45')
for f in FILES:
    if not any(r.get('source') == f for r in ansd): problems.append(f'no question on {f}')

print(f'{len(rows)} questions: {len(ansd)} answerable, {len(una)} unanswerable')
print('answerable by type:', dict(Counter(r['type'] for r in ansd).most_common()))
print('answerable by file:', dict(Counter(r['source'] for r in ansd)))
print(f'paraphrased: {npar}/{len(ansd)} = {share:.1%}')
for p in problems: print('PROBLEM:', p)
print(f'{len(problems)} problems')
sys.exit(1 if problems else 0)
