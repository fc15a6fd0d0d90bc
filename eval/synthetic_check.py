"""The checks every helper-written synthetic collection passes (eval/judge7, eval/tune7): one
helper's two documents (docs/000_synthetic_<letter>.txt, docs/001_synthetic_<letter>.txt) and its
own ids of the collection's qa.jsonl.

Checks fields and types, ids <letter>001..<letter>060 in order, unique ids and questions, every
string of `answers` verbatim in its source once all whitespace is removed, answer == answers[0],
counts (40 answerable with >= 20 quantity and >= 2 of every other type, 20 unanswerable after
them), paraphrase share >= 45 % of the answerable questions, and document sizes (14,000-16,000
bytes, at least 150 hard-wrapped lines with an empty line between every two). Prints warnings
(not errors) for gold strings that occur more than once in their file. Each helper's
check_<letter>.py calls check(); it returns 1 on any problem.
"""
import json, os, re
from collections import Counter

TYPES = ['quantity', 'time', 'place', 'person', 'org', 'list', 'title', 'what', 'sentence']
FIELDS = {'id': str, 'question': str, 'answer': str, 'answers': list, 'source': str,
          'type': str, 'paraphrase': bool, 'answerable': bool, 'split': str}


def own_lines(path, letter):
    """The lines of qa.jsonl whose id starts with ``letter`` (the other helpers' are checked by their scripts)."""
    return [line for line in open(path, encoding="utf-8") if line.lstrip().startswith('{"id": "' + letter)]


def check(folder, letter, split):
    """Check helper ``letter``'s documents and questions in ``folder``; print the report; 1 on any problem."""
    DOCS = os.path.join(folder, 'docs')
    FILES = [f'000_synthetic_{letter}.txt', f'001_synthetic_{letter}.txt']
    problems, warnings = [], []

    def bad(msg):
        problems.append(msg)

    docs = {}
    for f in FILES:
        p = os.path.join(DOCS, f)
        if not os.path.exists(p):
            bad(f'missing document {f}'); continue
        raw = open(p, 'rb').read()
        if not 14000 <= len(raw) <= 16000:
            bad(f'{f}: {len(raw)} bytes, outside 14000-16000')
        text = raw.decode('utf-8')
        docs[f] = re.sub(r'\s+', '', text)
        lines = text.split('\n')
        nonempty = [l for l in lines if l.strip()]
        if len(nonempty) < 150:
            bad(f'{f}: only {len(nonempty)} non-empty lines: not hard-wrapped?')
        # layout: an empty line between every two text lines
        for a, b in zip(lines, lines[1:]):
            if a.strip() and b.strip():
                bad(f'{f}: two text lines without an empty line between: {a[:15]}|{b[:15]}'); break

    rows = []
    for n, line in enumerate(own_lines(os.path.join(folder, 'qa.jsonl'), letter), 1):
        if not line.strip():
            bad(f'line {n}: empty line'); continue
        try:
            rows.append(json.loads(line))
        except Exception as e:
            bad(f'line {n}: bad JSON: {e}')

    if len(rows) != 60:
        bad(f'{len(rows)} questions, expected 60')

    for i, r in enumerate(rows, 1):
        rid = r.get('id', f'#{i}')
        if set(r) != set(FIELDS):
            bad(f'{rid}: fields {sorted(r)} != {sorted(FIELDS)}')
        for k, t in FIELDS.items():
            if k in r and not isinstance(r[k], t):
                bad(f'{rid}: field {k} is not {t.__name__}')
        if r.get('id') != f'{letter}{i:03d}':
            bad(f'{rid}: expected id {letter}{i:03d}')
        if r.get('split') != split:
            bad(f'{rid}: split must be {split}')
        if r.get('type') not in TYPES:
            bad(f'{rid}: unknown type {r.get("type")}')
        if not str(r.get('question', '')).strip():
            bad(f'{rid}: empty question')
        ans = r.get('answers', [])
        if r.get('answerable'):
            if i > 40:
                bad(f'{rid}: answerable but id above {letter}040')
            src = r.get('source')
            if src not in docs:
                bad(f'{rid}: bad source {src!r}'); continue
            if not ans or r.get('answer') != ans[0]:
                bad(f'{rid}: answer must equal answers[0]')
            if len(set(ans)) != len(ans):
                bad(f'{rid}: duplicate strings in answers')
            for a in ans:
                if not isinstance(a, str) or not a:
                    bad(f'{rid}: empty or non-string answer'); continue
                if re.search(r'\s', a):
                    bad(f'{rid}: answer {a!r} holds whitespace')
                key = re.sub(r'\s+', '', a)
                cnt = docs[src].count(key)
                if cnt == 0:
                    bad(f'{rid}: {a!r} not found in {src}')
                elif cnt > 1:
                    warnings.append(f'{rid}: {a!r} occurs {cnt} times in {src}')
                # a number must not sit inside a longer number
                if re.match(r'[0-9.]', key):
                    for m in re.finditer(re.escape(key), docs[src]):
                        prev = docs[src][m.start() - 1] if m.start() else ''
                        if prev.isdigit() or prev == '.':
                            bad(f'{rid}: {a!r} sits inside a longer number in {src}')
            if len(r.get('answer', '')) > 40 and r.get('type') != 'title':
                warnings.append(f'{rid}: long main answer ({len(r["answer"])} chars)')
        else:
            if i <= 40:
                bad(f'{rid}: unanswerable but id {letter}001-{letter}040')
            if r.get('answer') != '' or ans != [] or r.get('source') != '':
                bad(f'{rid}: unanswerable needs answer "", answers [], source ""')

    for k in ('id', 'question'):
        c = Counter(r.get(k) for r in rows)
        for v, n in c.items():
            if n > 1:
                bad(f'duplicate {k}: {v}')

    answerable = [r for r in rows if r.get('answerable')]
    unans = [r for r in rows if not r.get('answerable')]
    tc = Counter(r.get('type') for r in answerable)
    if len(answerable) != 40: bad(f'{len(answerable)} answerable, expected 40')
    if len(unans) != 20: bad(f'{len(unans)} unanswerable, expected 20')
    if tc['quantity'] < 20: bad(f'only {tc["quantity"]} quantity questions')
    for t in TYPES[1:]:
        if tc[t] < 2: bad(f'only {tc[t]} {t} questions')
    para = sum(1 for r in answerable if r.get('paraphrase'))
    share = para / max(1, len(answerable))
    if share < 0.45: bad(f'paraphrase share {share:.0%} < 45%')
    fc = Counter(r.get('source') for r in answerable)

    print('documents:', {f: len(open(os.path.join(DOCS, f), 'rb').read()) for f in FILES if f in docs}, 'bytes')
    print('answerable', len(answerable), 'unanswerable', len(unans), 'by file', dict(fc))
    print('types', dict(tc))
    print(f'paraphrased {para}/{len(answerable)} = {share:.0%}')
    for w in warnings: print('warning:', w)
    for p in problems: print('PROBLEM:', p)
    print(f'{len(problems)} problems')
    return 1 if problems else 0
